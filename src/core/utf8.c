/* SPDX-License-Identifier: MIT */
/* utf8.c - a straightforward RFC 3629 decoder. */
#include "core/compat.h"

#include "core/utf8.h"

int32_t utf8_next(const char **pos, const char *end)
{
    const unsigned char *p = (const unsigned char *)*pos;
    const unsigned char *e = (const unsigned char *)end;
    unsigned c = p[0];
    int32_t cp;
    int n;
    if (c < 0x80) {
        *pos += 1;
        return (int32_t)c;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        n = 1;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 2;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 3;
        cp = c & 0x07;
    } else {
        goto bad;
    }
    if (e - p <= n)
        goto bad;
    for (int i = 1; i <= n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            goto bad;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        goto bad;
    *pos += n + 1;
    return cp;
bad:
    *pos += 1;
    return -1;
}

bool utf8_valid(struct str s, size_t *bad_at)
{
    const char *p = s.ptr, *end = s.ptr + s.len;
    while (p < end) {
        /* fast path for ASCII runs */
        if ((unsigned char)*p < 0x80) {
            p++;
            continue;
        }
        const char *start = p;
        if (utf8_next(&p, end) < 0) {
            if (bad_at)
                *bad_at = (size_t)(start - s.ptr);
            return false;
        }
    }
    return true;
}

bool utf8_has_controls(struct str s, bool allow_newlines)
{
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        if (c == '\t')
            continue;
        if (allow_newlines && (c == '\n' || c == '\r'))
            continue;
        if (c < 0x20 || c == 0x7F)
            return true;
    }
    return false;
}
