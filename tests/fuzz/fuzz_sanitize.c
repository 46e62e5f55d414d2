/* SPDX-License-Identifier: MIT */
/*
 * fuzz_sanitize.c - feeds bytes to sanitize_html() and sanitize_text_of_html().
 * A successful result must be a fixed point (sanitizing it again gives the
 * same bytes) and must have the shape the sanitizer promises: only
 * allow-listed tags and attributes, every '<' starting one of them.  Either
 * failure aborts, for libFuzzer to report.
 */
#include "core/compat.h"

#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "render/sanitize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* True when P[0..N) is one of the space-separated words of LIST. */
static bool word_in(const char *p, size_t n, const char *list)
{
    char w[16];
    if (n > sizeof(w) - 3)
        return false;
    w[0] = ' ';
    memcpy(w + 1, p, n);
    w[n + 1] = ' ';
    w[n + 2] = '\0';
    return strstr(list, w) != NULL;
}

/* Check the canonical form: <name( attr(="...")?)*> and </name>, nothing else. */
static bool well_shaped(struct str s)
{
    static const char tags[] =
        " p br hr h2 h3 h4 h5 h6 blockquote ul ol li dl dt dd strong b em i u s sub sup small"
        " mark abbr cite q code pre kbd a img figure figcaption table thead tbody tfoot tr th td"
        " caption video audio source span div ";
    static const char attrs[] = " href title rel src alt width height loading poster controls"
                                " type colspan rowspan align start class ";
    const char *p = s.ptr, *end = s.ptr + s.len;
    while ((p = memchr(p, '<', (size_t)(end - p))) != NULL) {
        p++;
        bool closing = p < end && *p == '/';
        p += closing;
        size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789");
        if (n == 0 || !word_in(p, n, tags))
            return false;
        p += n;
        while (!closing && p < end && *p == ' ') {
            p++;
            n = strspn(p, "abcdefghijklmnopqrstuvwxyz");
            if (n == 0 || !word_in(p, n, attrs))
                return false;
            p += n;
            if (*p == '=') {
                if (p[1] != '"')
                    return false;
                const char *q = memchr(p + 2, '"', (size_t)(end - p - 2));
                if (q == NULL || memchr(p + 2, '<', (size_t)(q - p - 2)))
                    return false;
                p = q + 1;
            }
        }
        if (p >= end || *p != '>')
            return false;
    }
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct str in = str_make((const char *)data, size);
    struct buf once, twice, text;
    buf_init(&once, NULL, MH_MAX_BODY);
    buf_init(&twice, NULL, MH_MAX_BODY);
    buf_init(&text, NULL, MH_MAX_BODY);
    int rc = sanitize_html(in, &once);
    if (rc == MH_OK) {
        if (!well_shaped(buf_str(&once)))
            abort();
        if (sanitize_html(buf_str(&once), &twice) != MH_OK ||
            !str_eq(buf_str(&once), buf_str(&twice)))
            abort();
    }
    int trc = sanitize_text_of_html(in, &text);
    if (trc != rc && !(rc == MH_TOOBIG && trc == MH_OK))
        abort(); /* the same input checks; only the HTML can be too big */
    buf_release(&once);
    buf_release(&twice);
    buf_release(&text);
    return 0;
}
