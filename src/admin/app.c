/* SPDX-License-Identifier: MIT */
/*
 * app.c - the admin application: its templates and static files (compiled
 * into the binary from src/admin/ui/), routing a path under /admin/ to a
 * screen, the layout every screen shares, and the answers (pages, 303s,
 * fragments) with their no-store and security headers.
 */
#include "core/compat.h"

#include <stdarg.h>
#include <time.h>

#include "admin/admin_int.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/log.h"
#include "model/date.h"
#include "render/template.h"
#include "render/value.h"
#include "store/store.h"

struct embedded_file {
    const char *name, *data;
    size_t len;
};
extern const struct embedded_file admin_ui_files[];

static const char csp[] = "default-src 'self'; script-src 'self'; style-src 'self'; "
                          "img-src 'self' data:; media-src 'self'; object-src 'none'; "
                          "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/* ------------------------------------------------------------------ */
/* The application                                                      */

static void asset(struct admin_asset *a, const char *name, const char *ext, const char *type)
{
    char file[64];
    snprintf(file, sizeof(file), "static/%s.%s", name, ext);
    for (const struct embedded_file *f = admin_ui_files; f->name; f++) {
        if (strcmp(f->name, file) != 0)
            continue;
        uint32_t h = 2166136261u; /* FNV-1a, as the site's theme files */
        for (size_t i = 0; i < f->len; i++)
            h = (h ^ (unsigned char)f->data[i]) * 16777619u;
        snprintf(a->url, sizeof(a->url), "/admin/static/%s.%08x.%s", name, h, ext);
        a->type = type;
        a->data = str_make(f->data, f->len);
        return;
    }
    MH_BUG("the admin UI has no %s", file);
}

int admin_app_new(struct site *site, struct admin_app **out, char *errbuf, size_t errlen)
{
    struct admin_app *app = mh_calloc(1, sizeof(*app));
    struct arena a;
    struct edition *eds;
    size_t n;
    char why[512];
    int rc = MH_OK;
    app->site = site;
    app->tpl = tpl_set_new();
    for (const struct embedded_file *f = admin_ui_files; rc == MH_OK && f->name; f++) {
        size_t len = strlen(f->name);
        if (strncmp(f->name, "templates/", 10) != 0 || len < 19 ||
            strcmp(f->name + len - 9, ".mustache") != 0)
            continue;
        char name[128];
        snprintf(name, sizeof(name), "%.*s", (int)(len - 19), f->name + 10);
        rc = tpl_set_add(app->tpl, name, str_make(f->data, f->len), why, sizeof(why));
        if (rc)
            snprintf(errbuf, errlen, "admin template %s", why);
    }
    if (rc) {
        admin_app_free(app);
        return rc;
    }
    asset(&app->css, "admin", "css", "text/css; charset=utf-8");
    asset(&app->js, "admin", "js", "text/javascript; charset=utf-8");
    /* the cookie is Secure when the paper is served over https */
    arena_init(&a, 0);
    if (store_editions(site->store, &a, &eds, &n) == MH_OK)
        for (size_t i = 0; i < n; i++)
            app->secure_cookie |= str_starts(eds[i].base_url, "https://");
    arena_release(&a);
    *out = app;
    return MH_OK;
}

void admin_app_free(struct admin_app *app)
{
    if (app == NULL)
        return;
    tpl_set_free(app->tpl);
    free(app);
}

bool admin_owns(struct str path)
{
    return str_eq_c(path, "/admin") || str_starts(path, "/admin/");
}

/* ------------------------------------------------------------------ */
/* Helpers for the screens                                              */

struct str admin_form(const struct admin_req *r, const char *name)
{
    struct str v = http_params_get(&r->form, name);
    return v.ptr ? v : STR_LIT("");
}

struct str admin_query(const struct admin_req *r, const char *name)
{
    struct str v = http_query_param(r->req, name);
    return v.ptr ? v : STR_LIT("");
}

struct str admin_fmt(struct admin_req *r, const char *fmt, ...)
{
    va_list ap;
    char small[256];
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0)
        return STR_LIT("");
    char *p = arena_alloc(r->arena, (size_t)n + 1);
    if ((size_t)n < sizeof(small)) {
        memcpy(p, small, (size_t)n + 1);
    } else {
        va_start(ap, fmt);
        vsnprintf(p, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    return str_make(p, (size_t)n);
}

void admin_message(struct admin_req *r, const char *kind, const char *fmt, ...)
{
    va_list ap;
    char text[1024];
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    struct tval *m = tval_object(r->arena);
    tval_set(m, "kind", tval_strc(r->arena, kind));
    tval_set(m, "error", tval_bool(r->arena, strcmp(kind, "error") == 0));
    tval_set(m, "text", tval_strdup(r->arena, str_c(text)));
    tval_append(r->messages, m);
}

struct str admin_zone(struct admin_req *r)
{
    struct edition ed;
    if (r->tz.len)
        return r->tz;
    r->tz = STR_LIT("UTC");
    if (store_edition_get(r->s, r->arena, str_c(r->app->site->conf.default_edition), &ed) ==
            MH_OK &&
        date_zone_valid(ed.tz))
        r->tz = ed.tz;
    return r->tz;
}

struct str admin_time(struct admin_req *r, int64_t ms)
{
    if (ms == 0)
        return STR_LIT("");
    struct buf b;
    buf_init(&b, r->arena, 64);
    date_format(&b, ms, admin_zone(r), "%Y-%m-%d %H:%M %Z");
    return buf_str(&b);
}

int admin_parse_local(struct admin_req *r, struct str s, int64_t *out)
{
    int64_t wall;
    struct civil c;
    int rc = admin_parse_time(s, &wall); /* the wall clock, as if it were UTC */
    if (rc)
        return rc;
    /* the zone's offset at that wall time: guess with the offset there, then
     * correct once (a change of offset in between: summer time) */
    struct str tz = admin_zone(r);
    int64_t t = wall;
    for (int i = 0; i < 2; i++) {
        if (date_civil(t, tz, &c) != MH_OK)
            return MH_OK; /* UTC */
        t = wall - (int64_t)c.offset_min * 60000;
    }
    *out = t;
    return MH_OK;
}

static int headers(struct admin_req *r)
{
    int rc = http_response_header(r->req, r->res, "Cache-Control", STR_LIT("no-store"));
    if (rc == MH_OK)
        rc = http_response_header(r->req, r->res, "Content-Security-Policy", STR_LIT(csp));
    if (rc == MH_OK)
        rc = http_response_header(r->req, r->res, "X-Content-Type-Options", STR_LIT("nosniff"));
    if (rc == MH_OK)
        rc = http_response_header(r->req, r->res, "Referrer-Policy", STR_LIT("same-origin"));
    if (rc == MH_OK)
        rc = http_response_header(r->req, r->res, "X-Frame-Options", STR_LIT("DENY"));
    return rc;
}

static const struct {
    const char *path, *label;
    enum user_role min; /* the least role the link is shown to (the server checks again) */
} nav_items[] = {
    {"/admin/", "Dashboard", ROLE_REPORTER},
    {"/admin/articles", "Articles", ROLE_REPORTER},
    {"/admin/articles/new", "New article", ROLE_REPORTER},
    {"/admin/media", "Media", ROLE_REPORTER},
    {"/admin/topnews", "Top News", ROLE_CHIEF_EDITOR},
    {"/admin/links", "Links", ROLE_ADMIN},
    {"/admin/channels", "Channels", ROLE_ADMIN},
    {"/admin/editions", "Editions", ROLE_ADMIN},
    {"/admin/users", "Users", ROLE_ADMIN},
    {"/admin/audit", "Audit log", ROLE_ADMIN},
    {"/admin/account", "Your account", ROLE_REPORTER},
};

int admin_page(struct admin_req *r, const char *tpl, const char *title, int status)
{
    struct arena *a = r->arena;
    struct tval *root = r->root;
    struct buf b;
    tval_set(root, "title", tval_strdup(a, str_c(title)));
    tval_set(root, "site_name", tval_strc(a, r->app->site->conf.name));
    struct tval *assets = tval_object(a);
    tval_set(assets, "css", tval_strc(a, r->app->css.url));
    tval_set(assets, "js", tval_strc(a, r->app->js.url));
    tval_set(root, "assets", assets);
    tval_set(root, "messages", r->messages);
    if (r->signed_in) {
        struct tval *me = tval_object(a), *nav = tval_list(a);
        tval_set(me, "login", tval_str(a, r->me.login));
        tval_set(me, "name", tval_str(a, r->me.display_name));
        tval_set(me, "role", tval_strc(a, user_role_name(r->me.role)));
        tval_set(root, "me", me);
        tval_set(root, "csrf", tval_str(a, r->csrf));
        tval_set(root, "tz", tval_str(a, admin_zone(r))); /* what times are shown and read in */
        for (size_t i = 0; i < MH_ARRAY_LEN(nav_items); i++) {
            if (r->me.role < nav_items[i].min)
                continue;
            struct tval *it = tval_object(a);
            tval_set(it, "href", tval_strc(a, nav_items[i].path));
            tval_set(it, "label", tval_strc(a, nav_items[i].label));
            struct str p = r->req->path;
            bool cur = strcmp(nav_items[i].path, "/admin/") == 0
                           ? str_eq_c(p, "/admin/") || str_eq_c(p, "/admin")
                           : str_eq_c(p, nav_items[i].path) ||
                                 (str_starts(p, nav_items[i].path) &&
                                  strcmp(nav_items[i].path, "/admin/articles") == 0 &&
                                  !str_eq_c(p, "/admin/articles/new"));
            tval_set(it, "current", tval_bool(a, cur));
            tval_append(nav, it);
        }
        tval_set(root, "nav", nav);
    }
    /* "has_X" for every list X at the top, for wrappers around lists */
    size_t keys = root->u.obj.len;
    for (size_t i = 0; i < keys; i++) {
        const struct tval *v = root->u.obj.vals[i];
        if (v && v->kind == TVAL_LIST) {
            char name[80];
            snprintf(name, sizeof(name), "has_%.*s", (int)root->u.obj.keys[i].len,
                     root->u.obj.keys[i].ptr);
            tval_set(root, name, tval_bool(a, v->u.list.len > 0));
        }
    }
    buf_init(&b, a, MH_MAX_PAGE);
    int rc = tpl_render(r->app->tpl, tpl, root, &b);
    if (rc) {
        log_error("admin: cannot render %s: %s", tpl, mh_strerror(rc));
        return rc;
    }
    r->res->status = status;
    r->res->content_type = "text/html; charset=utf-8";
    r->res->body = buf_str(&b);
    return MH_OK;
}

int admin_redirect(struct admin_req *r, struct str path)
{
    r->res->status = 303;
    r->res->content_type = "text/plain; charset=utf-8";
    r->res->body = STR_LIT("see other\n");
    return http_response_header(r->req, r->res, "Location", path);
}

/* ------------------------------------------------------------------ */
/* Routing                                                              */

static int static_file(struct admin_req *r)
{
    const struct admin_asset *as = NULL;
    if (str_eq_c(r->req->path, r->app->css.url))
        as = &r->app->css;
    else if (str_eq_c(r->req->path, r->app->js.url))
        as = &r->app->js;
    if (as == NULL || (r->req->method != HTTP_GET && r->req->method != HTTP_HEAD))
        return MH_NOTFOUND;
    r->res->status = 200;
    r->res->content_type = as->type;
    r->res->body = as->data;
    return MH_OK;
}

static int not_found(struct admin_req *r)
{
    admin_message(r, "error", "There is no such page in the newsroom.");
    return admin_page(r, "message", "Not found", 404);
}

int admin_handle(struct admin_app *app, struct site_app *theme, struct store *s,
                 struct http_request *req, struct http_response *res)
{
    struct admin_req r = {0};
    r.app = app;
    r.theme = theme;
    r.s = s;
    r.req = req;
    r.res = res;
    r.arena = &req->arena;
    r.root = tval_object(r.arena);
    r.messages = tval_list(r.arena);
    int rc = headers(&r);
    if (rc)
        return rc;
    if (str_starts(req->path, "/admin/static/"))
        return static_file(&r);
    if (req->method != HTTP_GET && req->method != HTTP_HEAD && req->method != HTTP_POST) {
        res->status = 405;
        res->content_type = "text/plain; charset=utf-8";
        res->body = STR_LIT("only GET, HEAD and POST are allowed here\n");
        return http_response_header(req, res, "Allow", STR_LIT("GET, HEAD, POST"));
    }
    if (str_eq_c(req->path, "/admin"))
        return admin_redirect(&r, STR_LIT("/admin/"));
    r.sub = str_make(req->path.ptr + 7, req->path.len - 7);
    if (req->method == HTTP_POST) {
        struct str type = http_header(req, "Content-Type");
        if (str_starts(type, "multipart/form-data")) {
            r.multipart = arena_zalloc(r.arena, sizeof(*r.multipart));
            if (http_multipart_parse(req, r.multipart) != MH_OK)
                r.multipart = NULL; /* the screen says what is missing */
        } else if (str_starts(type, "application/x-www-form-urlencoded") &&
                   http_query_parse(req->body, r.arena, &r.form) != MH_OK) {
            admin_message(&r, "error", "The form could not be read (malformed or too many "
                                       "fields); nothing was changed.");
            return admin_page(&r, "message", "Bad request", 400);
        }
    }
    rc = admin_session_load(&r);
    if (rc)
        return rc;
    if (str_eq_c(r.sub, "signin"))
        return admin_signin(&r);
    if (!r.signed_in) {
        if (req->method == HTTP_POST) {
            admin_message(&r, "error", "Your session has expired or you signed out. Sign in "
                                       "again; what you sent is shown below so nothing is "
                                       "lost.");
            struct tval *kept = tval_list(r.arena);
            for (size_t i = 0; i < r.form.n; i++) {
                if (str_eq_c(r.form.v[i].name, "csrf"))
                    continue;
                struct tval *f = tval_object(r.arena);
                tval_set(f, "name", tval_str(r.arena, r.form.v[i].name));
                tval_set(f, "value", tval_str(r.arena, r.form.v[i].value));
                tval_append(kept, f);
            }
            tval_set(r.root, "kept", kept);
            tval_set(r.root, "next", tval_str(r.arena, req->path));
            return admin_page(&r, "signin", "Sign in", 401);
        }
        struct buf to;
        buf_init(&to, r.arena, 4 * MH_KIB);
        buf_adds(&to, "/admin/signin?next=");
        for (size_t i = 0; i < req->path.len; i++) {
            unsigned char c = (unsigned char)req->path.ptr[i];
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '/' || c == '-' || c == '_' || c == '.')
                buf_addc(&to, (char)c);
            else
                buf_addf(&to, "%%%02X", c);
        }
        return admin_redirect(&r, buf_str(&to));
    }
    if (req->method == HTTP_POST && !admin_csrf_ok(&r)) {
        admin_message(&r, "error", "This form was not sent from a page of this newsroom, or it "
                                   "is too old (missing or wrong security token). Nothing was "
                                   "changed; go back, reload the page and send it again.");
        return admin_page(&r, "message", "Refused", 403);
    }
    if (str_eq_c(r.sub, "signout"))
        return admin_signout(&r);
    if (r.sub.len == 0)
        return admin_dashboard(&r);
    if (str_eq_c(r.sub, "articles"))
        return admin_articles(&r);
    if (str_starts(r.sub, "articles/"))
        return admin_article(&r, str_make(r.sub.ptr + 9, r.sub.len - 9));
    if (str_eq_c(r.sub, "markdown"))
        return admin_preview_markdown(&r);
    if (str_eq_c(r.sub, "media") || str_starts(r.sub, "media/"))
        return admin_media(&r);
    if (str_eq_c(r.sub, "topnews"))
        return admin_topnews(&r);
    if (str_eq_c(r.sub, "links"))
        return admin_links(&r);
    if (str_eq_c(r.sub, "channels"))
        return admin_channels(&r);
    if (str_eq_c(r.sub, "editions"))
        return admin_editions(&r);
    if (str_eq_c(r.sub, "users"))
        return admin_users(&r);
    if (str_eq_c(r.sub, "account"))
        return admin_account(&r);
    if (str_eq_c(r.sub, "audit"))
        return admin_audit(&r);
    return not_found(&r);
}
