/* SPDX-License-Identifier: MIT */
/*
 * url.c - request paths and query strings, decoded and checked before any
 * handler sees them.  Pure functions over bytes: no libmicrohttpd, no I/O, so
 * tests/fuzz/fuzz_url.c can feed them anything.  A path is either canonical
 * or refused; nothing is collapsed or repaired, so what a handler routes on is
 * what the client asked for.
 */
#include "core/compat.h"

#include "core/err.h"
#include "core/utf8.h"
#include "http/http.h"

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* RFC 3986 pchar without pct-encoded, plus '/': the bytes a path may carry raw.
 * Bytes from 0x80 up pass here and must form UTF-8 (checked after decoding). */
static bool raw_path_byte(unsigned char c)
{
    if (c >= 0x80)
        return true;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return c != 0 && strchr("-._~!$&'()*+,;=:@/", c) != NULL;
}

/* True when decoded path P (starting with '/') has a ".", ".." or empty segment;
 * an empty last segment (a trailing slash) is allowed. */
static bool bad_segments(struct str p)
{
    size_t i = 1, start = 1;
    for (; i <= p.len; i++) {
        if (i < p.len && p.ptr[i] != '/')
            continue;
        size_t n = i - start;
        const char *s = p.ptr + start;
        if (n == 0 && i < p.len)
            return true; /* "//" */
        if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
            return true;
        start = i + 1;
    }
    return false;
}

int http_url_decode_path(struct str raw, struct arena *arena, struct str *out)
{
    if (raw.len > HTTP_MAX_PATH)
        return MH_TOOBIG;
    if (raw.len == 0 || raw.ptr[0] != '/')
        return MH_INVAL;
    bool high = false, escaped = false;
    for (size_t i = 0; i < raw.len; i++) {
        unsigned char c = (unsigned char)raw.ptr[i];
        if (c == '%')
            escaped = true;
        else if (!raw_path_byte(c))
            return MH_INVAL;
        high |= c >= 0x80;
    }
    struct str p = raw;
    if (escaped) {
        char *d = arena_alloc(arena, raw.len + 1);
        size_t n = 0;
        for (size_t i = 0; i < raw.len; i++) {
            unsigned char c = (unsigned char)raw.ptr[i];
            if (c == '%') {
                int hi = i + 2 < raw.len ? hexval((unsigned char)raw.ptr[i + 1]) : -1;
                int lo = hi >= 0 ? hexval((unsigned char)raw.ptr[i + 2]) : -1;
                if (lo < 0)
                    return MH_INVAL; /* "%", "%4", "%zz" */
                c = (unsigned char)(hi << 4 | lo);
                i += 2;
                /* what decoding may not produce: NUL and controls, a slash that would
                 * split a segment, a backslash that some file systems treat as one */
                if (c < 0x20 || c == 0x7F || c == '/' || c == '\\')
                    return MH_INVAL;
                high |= c >= 0x80;
            }
            d[n++] = (char)c;
        }
        d[n] = '\0';
        p = str_make(d, n);
    }
    if (high && !utf8_valid(p, NULL))
        return MH_INVAL;
    if (bad_segments(p))
        return MH_INVAL;
    *out = p;
    return MH_OK;
}

/* Decode one query component S ('+' is a space) into ARENA and check it. */
static int decode_component(struct str s, struct arena *arena, struct str *out)
{
    char *d = arena_alloc(arena, s.len + 1);
    size_t n = 0;
    bool high = false;
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        if (c < 0x21 || c == 0x7F)
            return MH_INVAL; /* raw controls and spaces are never sent by a sane client */
        if (c == '+') {
            c = ' ';
        } else if (c == '%') {
            int hi = i + 2 < s.len ? hexval((unsigned char)s.ptr[i + 1]) : -1;
            int lo = hi >= 0 ? hexval((unsigned char)s.ptr[i + 2]) : -1;
            if (lo < 0)
                return MH_INVAL;
            c = (unsigned char)(hi << 4 | lo);
            i += 2;
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
                return MH_INVAL;
        }
        high |= c >= 0x80;
        d[n++] = (char)c;
    }
    d[n] = '\0';
    *out = str_make(d, n);
    if (high && !utf8_valid(*out, NULL))
        return MH_INVAL;
    return MH_OK;
}

int http_query_parse(struct str raw, struct arena *arena, struct http_params *out)
{
    size_t count = 0;
    out->v = NULL;
    out->n = 0;
    if (raw.len == 0)
        return MH_OK; /* RAW.ptr may be NULL */
    const char *p = raw.ptr, *end = raw.ptr + raw.len;
    /* count the non-empty pairs first, so that the array is one allocation and
     * a flood of "&&&&" costs nothing */
    for (size_t i = 0; i < raw.len; i++) {
        if (raw.ptr[i] != '&' && (i == 0 || raw.ptr[i - 1] == '&'))
            count++;
    }
    if (count > HTTP_MAX_PARAMS)
        return MH_TOOBIG;
    if (count == 0)
        return MH_OK;
    struct http_param *v = arena_alloc(arena, count * sizeof(*v));
    size_t n = 0;
    while (p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        const char *stop = amp ? amp : end;
        if (stop > p) {
            const char *eq = memchr(p, '=', (size_t)(stop - p));
            struct str name = str_make(p, (size_t)((eq ? eq : stop) - p));
            struct str value = eq ? str_make(eq + 1, (size_t)(stop - eq - 1)) : STR_LIT("");
            int rc = decode_component(name, arena, &v[n].name);
            if (rc == MH_OK)
                rc = decode_component(value, arena, &v[n].value);
            if (rc)
                return rc;
            n++;
        }
        p = amp ? amp + 1 : end;
    }
    out->v = v;
    out->n = n;
    return MH_OK;
}

struct str http_params_get(const struct http_params *p, const char *name)
{
    for (size_t i = 0; i < p->n; i++) {
        if (str_eq_c(p->v[i].name, name))
            return p->v[i].value;
    }
    return STR_NULL;
}
