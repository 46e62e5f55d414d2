/* SPDX-License-Identifier: MIT */
/*
 * sanitize_shape.h - the shape sanitize_html() promises, checked on its
 * bytes: only allow-listed tags and attributes, written canonically
 * (<name( attr(="...")?)*> and </name>), every '<' starting one of them.
 * Shared by fuzz_sanitize.c and tests/render/sanitize_test.c; a header of
 * static functions, so each includes its own copy.
 */
#ifndef MH_TESTS_SANITIZE_SHAPE_H
#define MH_TESTS_SANITIZE_SHAPE_H

#include "core/compat.h"
#include "core/str.h"

/* True when P[0..N) is one of the space-separated words of LIST. */
static bool shape_word_in(const char *p, size_t n, const char *list)
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
static bool sanitize_well_shaped(struct str s)
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
        size_t n = 0;
        while (p + n < end && ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= '0' && p[n] <= '9')))
            n++;
        if (n == 0 || !shape_word_in(p, n, tags))
            return false;
        p += n;
        while (!closing && p < end && *p == ' ') {
            p++;
            n = 0;
            while (p + n < end && p[n] >= 'a' && p[n] <= 'z')
                n++;
            if (n == 0 || !shape_word_in(p, n, attrs))
                return false;
            p += n;
            if (p < end && *p == '=') {
                if (end - p < 2 || p[1] != '"')
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

#endif
