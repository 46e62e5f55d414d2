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

#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

static uint64_t load8(const char *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}

bool utf8_valid(struct str s, size_t *bad_at)
{
    const char *p = s.ptr, *end = s.ptr + s.len;
    while (p < end) {
        /* fast paths for ASCII: eight bytes at a time, then one */
        if (end - p >= 8 && (load8(p) & HIGHS) == 0) {
            p += 8;
            continue;
        }
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
    size_t i = 0;
    while (i < s.len) {
        /* eight bytes at a time while none is below 0x20 or is 0x7F */
        if (i + 8 <= s.len) {
            uint64_t w = load8(s.ptr + i);
            uint64_t low = (w - ONES * 0x20) & ~w & HIGHS;
            uint64_t x = w ^ (ONES * 0x7F);
            uint64_t del = (x - ONES) & ~x & HIGHS;
            if ((low | del) == 0) {
                i += 8;
                continue;
            }
        }
        unsigned char c = (unsigned char)s.ptr[i++];
        if (c == '\t' || (allow_newlines && (c == '\n' || c == '\r')))
            continue;
        if (c < 0x20 || c == 0x7F)
            return true;
    }
    return false;
}
