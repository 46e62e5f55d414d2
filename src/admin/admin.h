/* SPDX-License-Identifier: MIT */
/*
 * admin.h - the newsroom in the browser: every page under /admin/ (sign-in,
 * dashboard, the article list and editor, revisions, media, Top News, links,
 * channels, editions, users, the audit log), rendered on the server from
 * templates compiled into the binary, with one external script for the
 * editor's live preview, autosave and drag ordering (the CSP forbids inline
 * script).  The rules (who may do what, workflow, sessions, CSRF, locks,
 * revisions) are the newsroom library's; this module only shows them and
 * hands every action to it, so nothing here can be bypassed by a hand-made
 * request.  Previews are rendered by site/ with the real theme.
 *
 * Every answer is Cache-Control: no-store.  A refused or failed form is shown
 * again with what the user typed and a message saying why.
 */
#ifndef MH_ADMIN_ADMIN_H
#define MH_ADMIN_ADMIN_H

#include "core/compat.h"
#include "core/str.h"

struct admin_app;
struct http_request;
struct http_response;
struct site;
struct site_app;
struct store;

/* Compile the admin templates for SITE.  MH_INVAL with "name:line:col:
 * reason" in ERRBUF if one does not compile (a build bug).  Free with
 * admin_app_free(). */
MH_MUST_CHECK int admin_app_new(struct site *site, struct admin_app **out, char *errbuf,
                                size_t errlen);
void admin_app_free(struct admin_app *app);

/* Does PATH belong to the admin UI ("/admin" or under "/admin/")? */
bool admin_owns(struct str path);

/*
 * Answer REQ (GET, HEAD or POST under /admin/) into RES, using store S (this
 * thread's connection) and THEME for previews.  Returns MH_OK with RES
 * filled (also for refusals, which are pages with a 4xx status and a
 * message), or an error for the server's generic error page.  Blocks for the
 * store only (and argon2id on sign-in).
 */
MH_MUST_CHECK int admin_handle(struct admin_app *app, struct site_app *theme, struct store *s,
                               struct http_request *req, struct http_response *res);

#endif
