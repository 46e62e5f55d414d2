/* SPDX-License-Identifier: MIT */
/*
 * session.c - sign-in, sign-out and the CSRF check of the admin UI.  The
 * library (newsroom/) owns sessions, password checks and rate limits; this
 * file moves its token in and out of the cookie and shows its refusals.
 */
#include "core/compat.h"

#include "admin/admin_int.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "render/value.h"

int admin_session_load(struct admin_req *r)
{
    struct str token;
    newsroom_ctx_init(&r->nr, r->s, NULL);
    int rc = newsroom_cookie_token(http_header(r->req, "Cookie"), &token);
    if (rc)
        return MH_OK; /* no cookie, or a malformed one: signed out */
    rc = newsroom_session_check(&r->nr, r->arena, token, r->req->remote, &r->sess);
    if (rc == MH_NOTFOUND)
        return MH_OK;
    if (rc)
        return rc;
    r->signed_in = true;
    r->nr.who = r->sess.who;
    r->me.id = r->sess.who.user_id;
    r->me.login = r->sess.who.login;
    r->me.display_name = r->sess.who.display_name;
    r->me.role = r->sess.who.role;
    r->csrf = str_c(r->sess.csrf);
    return MH_OK;
}

bool admin_csrf_ok(struct admin_req *r)
{
    struct str t = admin_form(r, "csrf");
    const struct http_part *p = r->multipart ? http_form_get(r->multipart, "csrf") : NULL;
    if (t.len == 0 && p)
        t = p->data;
    if (t.len == 0)
        t = http_header(r->req, "X-CSRF-Token");
    return r->signed_in && newsroom_csrf_ok(&r->sess, t);
}

static int set_cookie(struct admin_req *r, struct str token)
{
    struct buf v;
    buf_init(&v, r->arena, 4 * MH_KIB);
    newsroom_cookie_value(&r->nr, token, r->app->secure_cookie, &v);
    return http_response_header(r->req, r->res, "Set-Cookie", buf_str(&v));
}

/* Where to go after signing in: a path under /admin/ only (no open redirect). */
static struct str next_path(struct str next)
{
    if (!str_starts(next, "/admin/") || memchr(next.ptr, '\\', next.len) ||
        (next.len > 1 && next.ptr[1] == '/'))
        return STR_LIT("/admin/");
    for (size_t i = 0; i < next.len; i++)
        if ((unsigned char)next.ptr[i] < 0x20)
            return STR_LIT("/admin/");
    return next;
}

int admin_signin(struct admin_req *r)
{
    struct arena *a = r->arena;
    struct str next = r->req->method == HTTP_POST ? admin_form(r, "next") : admin_query(r, "next");
    tval_set(r->root, "next", tval_str(a, next_path(next)));
    if (r->req->method != HTTP_POST) {
        if (r->signed_in)
            return admin_redirect(r, next_path(next));
        if (admin_query(r, "changed").len)
            admin_message(r, "ok", "Your password was changed. Sign in with the new one.");
        return admin_page(r, "signin", "Sign in", 200);
    }
    struct str login = admin_form(r, "login"), password = admin_form(r, "password");
    tval_set(r->root, "login", tval_str(a, login));
    if (login.len == 0 || password.len == 0 || login.len > MH_MAX_LOGIN ||
        password.len > MH_MAX_PASSWORD) {
        admin_message(r, "error", "Enter your login and your password.");
        return admin_page(r, "signin", "Sign in", 400);
    }
    struct newsroom_session sess;
    int64_t retry = 0;
    int rc = newsroom_signin(&r->nr, a, login, password, r->req->remote, &sess, &retry);
    if (rc == MH_TIMEOUT) {
        admin_message(r, "error", "Too many failed sign-ins. Try again in %lld minutes.",
                      (long long)((retry + 59999) / 60000));
        rc = admin_page(r, "signin", "Sign in", 429);
        if (rc == MH_OK)
            rc = http_response_header(r->req, r->res, "Retry-After",
                                      admin_fmt(r, "%lld", (long long)((retry + 999) / 1000)));
        return rc;
    }
    if (rc == MH_FORBIDDEN || rc == MH_NOTFOUND || rc == MH_INVAL) {
        admin_message(r, "error", "Wrong login or password.");
        return admin_page(r, "signin", "Sign in", 403);
    }
    if (rc)
        return rc;
    rc = set_cookie(r, str_c(sess.token));
    if (rc == MH_OK)
        rc = admin_redirect(r, next_path(next));
    return rc;
}

int admin_signout(struct admin_req *r)
{
    if (r->req->method != HTTP_POST)
        return admin_page(r, "signout", "Sign out", 200);
    int rc;
    if (str_eq_c(admin_form(r, "everywhere"), "1"))
        rc = newsroom_signout_everywhere(&r->nr, r->me.login, NULL);
    else
        rc = newsroom_signout(&r->nr, str_c(r->sess.token));
    if (rc)
        return rc;
    rc = set_cookie(r, STR_LIT(""));
    if (rc == MH_OK)
        rc = admin_redirect(r, STR_LIT("/admin/signin"));
    return rc;
}
