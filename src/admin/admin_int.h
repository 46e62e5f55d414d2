/* SPDX-License-Identifier: MIT */
/*
 * admin_int.h - inside admin/ only: the application (compiled templates and
 * the static files under fingerprinted names), one request's context, and
 * the helpers every screen uses to read a form, build the template context
 * and answer.  One file per group of screens: app.c (routing, layout,
 * answers), session.c (sign-in, sign-out, CSRF), articles.c (list, editor,
 * preview, workflow, revisions), settings.c (Top News, links, channels,
 * editions, users, audit log, media).
 */
#ifndef MH_ADMIN_ADMIN_INT_H
#define MH_ADMIN_ADMIN_INT_H

#include "core/compat.h"

#include "admin/admin.h"
#include "core/arena.h"
#include "core/str.h"
#include "http/http.h"
#include "http/multipart.h"
#include "model/model.h"
#include "newsroom/newsroom.h"

struct tpl_set;
struct tval;

struct admin_asset {
    char url[96]; /* "/admin/static/admin.3f2a9c1d.css" */
    const char *type;
    struct str data;
};

struct admin_app {
    struct site *site;
    struct tpl_set *tpl;
    struct admin_asset css, js;
    bool secure_cookie; /* an edition's base URL is https */
};

/* One request. */
struct admin_req {
    struct admin_app *app;
    struct site_app *theme;
    struct store *s;
    struct http_request *req;
    struct http_response *res;
    struct arena *arena;        /* the request's */
    struct http_params form;    /* POST body (urlencoded), else empty */
    struct http_form *multipart; /* POST body (multipart/form-data), else NULL */
    struct str sub;             /* the path after "/admin/" ("articles/12/edit") */
    /* the newsroom library's context: nr.who is the signed-in user */
    struct newsroom_ctx nr;
    bool signed_in;
    struct user me;               /* login, display name and role of nr.who */
    struct newsroom_session sess; /* valid when signed_in */
    struct str csrf;              /* this session's CSRF token */
    struct tval *root;          /* the page's template context */
    struct tval *messages;      /* [{kind, text}] shown on top of the page */
    struct str tz;              /* the newsroom's time zone, once admin_zone() read it */
};

/* The value of form field NAME (POST body), "" when absent. */
struct str admin_form(const struct admin_req *r, const char *name);
/* The value of query parameter NAME, "" when absent. */
struct str admin_query(const struct admin_req *r, const char *name);
/* Add a message ("ok", "error", "info") to the page. */
void admin_message(struct admin_req *r, const char *kind, const char *fmt, ...) MH_PRINTF(3, 4);
/* printf into the request's arena. */
struct str admin_fmt(struct admin_req *r, const char *fmt, ...) MH_PRINTF(2, 3);
/* Render template TPL with r->root (plus the layout's keys) as the answer,
 * with STATUS. */
MH_MUST_CHECK int admin_page(struct admin_req *r, const char *tpl, const char *title, int status);
/* Answer 303 See Other to PATH (a local path), after a successful POST. */
MH_MUST_CHECK int admin_redirect(struct admin_req *r, struct str path);
/* Answer a refusal of the newsroom library (RC with r->nr.message) as a
 * message page: 403, 404, 409, 400.  Other rcs are returned as they are. */
MH_MUST_CHECK int admin_refused(struct admin_req *r, int rc, const char *title);
/* The newsroom's time zone: the default edition's ("Asia/Shanghai"), UTC
 * when it cannot be read.  The pages show times in it and read the times
 * typed into them in it. */
struct str admin_zone(struct admin_req *r);
/* Date-time MS in the newsroom's zone, "2026-03-06 17:39 +08:00" ("" for 0). */
struct str admin_time(struct admin_req *r, int64_t ms);
/* A time typed in the newsroom's zone (admin_parse_time's forms) as ms
 * since the epoch.  MH_INVAL for what admin_parse_time refuses. */
MH_MUST_CHECK int admin_parse_local(struct admin_req *r, struct str s, int64_t *out);
/* form.c: pure parsers of what the forms send.
 * Parse "2026-03-06T09:39" or "2026-03-06T09:39:30" (an <input
 * type=datetime-local>, read as UTC; a space may replace the T) into ms since
 * the epoch (admin_parse_local() reads it in the newsroom's zone).  MH_INVAL for anything else, or a day the month lacks. */
MH_MUST_CHECK int admin_parse_time(struct str s, int64_t *out);
/* Parse a number from 0 to 1 typed in plain decimals ("0.35", "1", ".5"),
 * spaces around allowed: a focal point's coordinate.  MH_INVAL otherwise. */
MH_MUST_CHECK int admin_parse_unit(struct str s, double *out);
/* Split TEXT at newlines (and, with COMMA, at commas too) into trimmed,
 * non-empty items viewing TEXT; the array lives in ARENA. */
void admin_split_list(struct arena *arena, struct str text, bool comma, struct str **out,
                      size_t *n);
/* "Title | URL" per line (the last '|' splits; blank lines skipped) into
 * links viewing TEXT, the array in ARENA.  false when a line has no '|'. */
bool admin_parse_links(struct arena *arena, struct str text, struct link **out, size_t *n);

/* Screens; each returns MH_OK after answering, or an error. */
int admin_signin(struct admin_req *r);
int admin_signout(struct admin_req *r);
int admin_dashboard(struct admin_req *r);
int admin_articles(struct admin_req *r);
int admin_article(struct admin_req *r, struct str rest);
int admin_preview_markdown(struct admin_req *r);
int admin_media(struct admin_req *r);
int admin_topnews(struct admin_req *r);
int admin_links(struct admin_req *r);
int admin_channels(struct admin_req *r);
int admin_editions(struct admin_req *r);
int admin_users(struct admin_req *r);
/* /admin/account: the signed-in user's own password. */
int admin_account(struct admin_req *r);
int admin_audit(struct admin_req *r);

/* Session plumbing (session.c): find the session of the request's cookie
 * and fill r->me, r->csrf, r->nr.who; check the CSRF token of a POST. */
MH_MUST_CHECK int admin_session_load(struct admin_req *r);
bool admin_csrf_ok(struct admin_req *r);

#endif
