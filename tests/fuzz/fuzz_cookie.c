/* SPDX-License-Identifier: MIT */
/*
 * fuzz_cookie.c - the newsroom's session cookie and CSRF token checks
 * (src/newsroom/session.c).  The input's first line is a Cookie header; the
 * rest is a CSRF token as a form would post it.  A token found must lie
 * inside the header, follow "mh_session=", and be 43 base64url characters;
 * a CSRF token is accepted only when it equals the session's byte for byte.
 */
#include "core/compat.h"

#include "core/err.h"
#include "newsroom/newsroom.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "%s\n", what);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct str in = str_make((const char *)data, size), header, csrf, tok = STR_NULL;
    const char *nl = memchr(in.ptr, '\n', in.len);
    header = str_make(in.ptr, nl ? (size_t)(nl - in.ptr) : in.len);
    csrf = nl ? str_make(nl + 1, in.len - header.len - 1) : STR_NULL;

    int rc = newsroom_cookie_token(header, &tok);
    check(rc == MH_OK || rc == MH_NOTFOUND || rc == MH_INVAL, "odd rc");
    if (rc == MH_OK) {
        check(tok.len == NEWSROOM_TOKEN_LEN, "token length");
        check(tok.ptr >= header.ptr && tok.ptr + tok.len <= header.ptr + header.len,
              "token outside the header");
        for (size_t i = 0; i < tok.len; i++)
            check(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
                         tok.ptr[i]) != NULL && tok.ptr[i] != '\0',
                  "token character");
        check(tok.ptr - header.ptr >= 11, "no name before the token");
        /* back over an opening quote and the white space the parser trims */
        const char *q = tok.ptr - (tok.ptr[-1] == '"' ? 1 : 0);
        while (q > header.ptr && strchr(" \t\r\n\v\f", q[-1]) != NULL && q[-1] != '\0')
            q--;
        check(q - header.ptr >= 11 && q[-1] == '=', "no '=' before the token");
    }

    struct newsroom_session s;
    memset(&s, 0, sizeof(s));
    static const char csrf_token[] = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCde";
    _Static_assert(sizeof(csrf_token) == NEWSROOM_TOKEN_LEN + 1, "a whole token");
    memcpy(s.csrf, csrf_token, sizeof(csrf_token));
    bool same = csrf.len == NEWSROOM_TOKEN_LEN && memcmp(csrf.ptr, s.csrf, csrf.len) == 0;
    check(newsroom_csrf_ok(&s, csrf) == same, "csrf check");
    check(!newsroom_csrf_ok(NULL, csrf), "csrf without a session");
    return 0;
}
