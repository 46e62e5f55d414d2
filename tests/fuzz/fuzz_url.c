/* SPDX-License-Identifier: MIT */
/*
 * fuzz_url.c - request paths and query strings (src/http/url.c).  The input is split
 * at its first '?' as a request target would be.  A path that decodes must be canonical:
 * starting with '/', valid UTF-8, no NUL, control, backslash, "." or ".." segment or "//",
 * and it must survive percent-encoding and decoding again unchanged.  A query that parses
 * must hold at most HTTP_MAX_PARAMS pairs of valid UTF-8 without NUL.
 */
#include "core/compat.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/utf8.h"
#include "http/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok, const char *what, struct str s)
{
    if (!ok) {
        fprintf(stderr, "%s: '%.*s'\n", what, (int)s.len, s.ptr);
        abort();
    }
}

static void check_path(struct str p, struct arena *a)
{
    check(p.len > 0 && p.ptr[0] == '/', "path without a leading slash", p);
    check(utf8_valid(p, NULL), "path not UTF-8", p);
    check(!utf8_has_controls(p, false) && memchr(p.ptr, '\t', p.len) == NULL, "control in path", p);
    check(memchr(p.ptr, '\\', p.len) == NULL, "backslash in path", p);
    for (size_t i = 0; i < p.len; i++) {
        check(p.ptr[i] != '\0', "NUL in path", p);
        if (p.ptr[i] != '/')
            continue;
        struct str rest = str_make(p.ptr + i, p.len - i);
        check(!str_eq_c(rest, "/.") && !str_eq_c(rest, "/..") && !str_starts(rest, "/./") &&
                  !str_starts(rest, "/../") && !str_starts(rest, "//"),
              "dot segment or empty segment in path", p);
    }
    /* percent-encode everything but unreserved bytes and '/', then decode again */
    struct buf b;
    struct str again;
    buf_init(&b, a, 4 * HTTP_MAX_PATH);
    for (size_t i = 0; i < p.len; i++) {
        unsigned char c = (unsigned char)p.ptr[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            strchr("-._~/", c))
            buf_addc(&b, (char)c);
        else
            buf_addf(&b, "%%%02X", c);
    }
    check(buf_finish(&b, &again) == MH_OK, "re-encoding", p);
    if (again.len > HTTP_MAX_PATH)
        return; /* the encoded form may be longer than the limit */
    struct str back;
    check(http_url_decode_path(again, a, &back) == MH_OK && str_eq(back, p), "no round trip", p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a;
    struct str in = str_make((const char *)data, size), path, query = STR_NULL, out;
    const char *q = memchr(in.ptr, '?', in.len);
    struct http_params params;
    path = str_make(in.ptr, q ? (size_t)(q - in.ptr) : in.len);
    if (q)
        query = str_make(q + 1, in.len - path.len - 1);
    arena_init(&a, 0);
    int rc = http_url_decode_path(path, &a, &out);
    check(rc == MH_OK || rc == MH_INVAL || rc == MH_TOOBIG, "odd rc", path);
    if (rc == MH_OK)
        check_path(out, &a);
    rc = http_query_parse(query, &a, &params);
    check(rc == MH_OK || rc == MH_INVAL || rc == MH_TOOBIG, "odd rc", query);
    if (rc == MH_OK) {
        check(params.n <= HTTP_MAX_PARAMS, "too many parameters", query);
        for (size_t i = 0; i < params.n; i++) {
            struct str n = params.v[i].name, v = params.v[i].value;
            check(utf8_valid(n, NULL) && utf8_valid(v, NULL), "parameter not UTF-8", query);
            check(memchr(n.ptr, '\0', n.len) == NULL && memchr(v.ptr, '\0', v.len) == NULL,
                  "NUL in a parameter", query);
        }
        if (params.n) /* names are NUL-terminated in the arena, values too */
            check(str_eq(http_params_get(&params, params.v[0].name.ptr), params.v[0].value),
                  "lookup", query);
    }
    arena_release(&a);
    return 0;
}
