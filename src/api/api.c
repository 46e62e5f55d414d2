/* SPDX-License-Identifier: MIT */
/*
 * api.c - the front door of /api/v1/: the route table, matching a path and
 * a method to a handler (404, 405 with Allow), the bearer token (401), the
 * JSON media type of bodies (415), and every answer's form: JSON, its
 * headers, a strong ETag on reads, and the error body
 * {"error": {"code", "message", "field"}}.
 */
#include "core/compat.h"

#include <sodium.h>
#include <strings.h>

#include "api/api_int.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"
#include "model/date.h"

const struct api_route api_routes[] = {
    {HTTP_GET, "/api/v1/editions", api_get_editions},
    {HTTP_GET, "/api/v1/channels", api_get_channels},
    {HTTP_GET, "/api/v1/articles", api_get_articles},
    {HTTP_POST, "/api/v1/articles", api_post_article},
    {HTTP_GET, "/api/v1/articles/{id}", api_get_article},
    {HTTP_PUT, "/api/v1/articles/{id}", api_put_article},
    {HTTP_DELETE, "/api/v1/articles/{id}", api_delete_article},
    {HTTP_POST, "/api/v1/articles/{id}/transition", api_post_transition},
    {0, NULL, NULL},
};

const struct api_route api_routes_elsewhere[] = {
    {HTTP_GET, "/api/v1/search", NULL},  /* search/ (issue 5) */
    {HTTP_GET, "/api/v1/suggest", NULL}, /* search/ (issue 5) */
    {0, NULL, NULL},
};

bool api_owns_path(struct str path)
{
    return str_eq_c(path, "/api") || str_starts(path, "/api/");
}

static const char *method_name(enum http_method m)
{
    switch (m) {
    case HTTP_GET:
        return "GET";
    case HTTP_HEAD:
        return "HEAD";
    case HTTP_POST:
        return "POST";
    case HTTP_PUT:
        return "PUT";
    case HTTP_DELETE:
        return "DELETE";
    default:
        return "OTHER";
    }
}

/* ------------------------------------------------------------------ */
/* JSON helpers                                                         */

json_t *api_jstr(struct str s)
{
    json_t *v = json_stringn(s.ptr ? s.ptr : "", s.len);
    return v ? v : json_string("");
}

json_t *api_jtime(struct api_call *c, int64_t ms, struct str tz)
{
    struct buf b;
    if (ms == 0)
        return json_null();
    buf_init(&b, c->arena, 64);
    date_format_rfc3339(&b, ms, tz);
    return api_jstr(buf_str(&b));
}

/* Does If-None-Match HEADER name ETAG ("*", or one of a comma-separated list)? */
static bool etag_matches(struct str header, struct str etag)
{
    const char *p = header.ptr, *end = header.ptr + header.len;
    while (p && p < end) {
        const char *q = memchr(p, ',', (size_t)(end - p));
        struct str tag = str_trim(str_make(p, (size_t)((q ? q : end) - p)));
        if (str_starts(tag, "W/"))
            tag = str_make(tag.ptr + 2, tag.len - 2);
        if (str_eq_c(tag, "*") || str_eq(tag, etag))
            return true;
        p = q ? q + 1 : end;
    }
    return false;
}

static int add_common_headers(struct api_call *c, bool cacheable)
{
    int rc = http_response_header(c->req, c->res, "X-Content-Type-Options", STR_LIT("nosniff"));
    if (rc == MH_OK)
        rc = http_response_header(c->req, c->res, "Cache-Control",
                                  cacheable ? STR_LIT("no-cache")
                                            : STR_LIT("private, no-store"));
    /* a token may see more than an anonymous reader: shared caches must tell them apart */
    if (rc == MH_OK)
        rc = http_response_header(c->req, c->res, "Vary", STR_LIT("Authorization"));
    return rc;
}

int api_send(struct api_call *c, int status, json_t *root, bool cacheable)
{
    struct http_response *res = c->res;
    if (root == NULL)
        return MH_DB; /* jansson could not allocate: the generic 500 page */
    char *text = json_dumps(root, JSON_COMPACT);
    json_decref(root);
    if (text == NULL)
        return MH_DB;
    size_t len = strlen(text);
    char *body = arena_alloc(c->arena, len + 2);
    memcpy(body, text, len);
    body[len++] = '\n';
    body[len] = '\0';
    free(text);
    res->status = status;
    res->content_type = "application/json; charset=utf-8";
    res->body = str_make(body, len);
    int rc = add_common_headers(c, cacheable);
    if (rc == MH_OK && cacheable && status == 200) {
        unsigned char h[16];
        char tag[2 * sizeof(h) + 3];
        crypto_generichash(h, sizeof(h), (const unsigned char *)body, len, NULL, 0);
        tag[0] = '"';
        sodium_bin2hex(tag + 1, sizeof(tag) - 2, h, sizeof(h));
        tag[sizeof(tag) - 2] = '"';
        tag[sizeof(tag) - 1] = '\0';
        struct str etag = str_make(tag, sizeof(tag) - 1);
        rc = http_response_header(c->req, res, "ETag", etag);
        struct str inm = http_header(c->req, "If-None-Match");
        if (rc == MH_OK && inm.len && etag_matches(inm, etag)) {
            res->status = 304;
            res->body = STR_NULL;
        }
    }
    return rc;
}

/* The error body of E (or of RC when E was not filled) into RES. */
static int send_error(struct api_call *c, int rc)
{
    struct api_error *e = &c->err;
    if (e->status == 0) {
        int status = http_status_for(rc);
        api_fail(e, status, NULL, "%s",
                 status == 500 ? "the server failed to answer; the details are in its log"
                 : status == 503 ? "the server is busy; try again"
                                 : mh_strerror(rc));
    }
    json_t *err = json_pack("{s:s, s:s, s:o}", "code", e->code, "message", e->message, "field",
                            e->field[0] ? json_string(e->field) : json_null());
    int src = api_send(c, e->status, json_pack("{s:o}", "error", err), false);
    if (src == MH_OK && e->status == 401)
        src = http_response_header(c->req, c->res, "WWW-Authenticate",
                                   STR_LIT("Bearer realm=\"masthead\""));
    return src;
}

void api_error_response(struct http_request *req, int status, struct http_response *res)
{
    struct api_call c = {.req = req, .res = res, .arena = &req->arena};
    const char *why = "the request was refused";
    switch (status) {
    case 400:
        why = "the request is malformed (its path, query or framing)";
        break;
    case 405:
        why = "this method is not served here";
        break;
    case 413:
        why = "the request body is too large";
        break;
    case 414:
        why = "the path is too long";
        break;
    case 501:
        why = "this transfer coding is not supported";
        break;
    }
    api_fail(&c.err, status, NULL, "%s", why);
    if (send_error(&c, MH_INVAL) != MH_OK)
        res->body = STR_NULL; /* the server's generic page then */
    res->status = status;
}

/* ------------------------------------------------------------------ */
/* Routing                                                              */

/* Does PATH match PATTERN?  "{id}" takes one segment, a positive whole
 * number, into *ID; *ID_BAD says a segment stood there but was no id. */
static bool path_matches(struct str path, const char *pattern, int64_t *id, bool *id_bad)
{
    const char *p = path.ptr, *end = path.ptr + path.len, *t = pattern;
    while (*t) {
        if (strncmp(t, "{id}", 4) == 0) {
            const char *q = p;
            while (q < end && *q != '/')
                q++;
            if (q == p)
                return false;
            if (str_to_i64(str_make(p, (size_t)(q - p)), 1, (int64_t)1 << 53, id) != MH_OK)
                *id_bad = true;
            p = q;
            t += 4;
            continue;
        }
        if (p == end || *p != *t)
            return false;
        p++;
        t++;
    }
    return p == end;
}

/* Is the request's body JSON (Content-Type application/json, any charset
 * parameter being utf-8)? */
static bool is_json(struct str ct)
{
    const char *semi = memchr(ct.ptr ? ct.ptr : "", ';', ct.len);
    struct str type = str_trim(str_make(ct.ptr, semi ? (size_t)(semi - ct.ptr) : ct.len));
    if (type.len != 16 || strncasecmp(type.ptr, "application/json", 16) != 0)
        return false;
    if (semi == NULL)
        return true;
    struct str param = str_trim(str_make(semi + 1, (size_t)(ct.ptr + ct.len - semi - 1)));
    return param.len == 0 || (param.len == 13 && strncasecmp(param.ptr, "charset=utf-8", 13) == 0);
}

int api_handle(struct store *s, struct http_request *req, struct http_response *res)
{
    struct api_call c = {.s = s, .req = req, .res = res, .arena = &req->arena};
    const struct api_route *hit = NULL;
    char allow[64] = "";
    bool path_known = false, id_bad = false;
    enum http_method m = req->method == HTTP_HEAD ? HTTP_GET : req->method;
    int rc;

    for (const struct api_route *r = api_routes; r->pattern; r++) {
        int64_t id = 0;
        bool bad = false;
        if (!path_matches(req->path, r->pattern, &id, &bad))
            continue;
        path_known = true;
        id_bad |= bad;
        size_t n = strlen(allow);
        snprintf(allow + n, sizeof(allow) - n, "%s%s", n ? ", " : "", method_name(r->method));
        if (r->method == HTTP_GET && n + 6 < sizeof(allow))
            snprintf(allow + strlen(allow), sizeof(allow) - strlen(allow), ", HEAD");
        if (r->method == m && hit == NULL) {
            hit = r;
            c.id = id;
        }
    }
    if (!path_known) {
        rc = api_fail(&c.err, 404, NULL, "no API route %.*s; see docs/openapi.yaml",
                      (int)(req->path.len > 200 ? 200 : req->path.len), req->path.ptr);
        goto refused;
    }
    if (id_bad) { /* "/api/v1/articles/abc" names nothing, whatever the method */
        rc = api_fail(&c.err, 404, NULL, "an article id is a positive whole number");
        goto refused;
    }
    if (hit == NULL) {
        rc = api_fail(&c.err, 405, NULL, "%s is not allowed here; allowed: %s",
                      method_name(req->method), allow);
        if (http_response_header(req, res, "Allow", str_c(allow)) != MH_OK)
            MH_BUG("cannot add Allow");
        goto refused;
    }
    /* who asks: anonymous, or the user of a valid token; a bad token is never ignored */
    rc = api_token_check(s, c.arena, http_header(req, "Authorization"), &c.user);
    if (rc == MH_OK) {
        c.signed_in = true;
    } else if (rc == MH_FORBIDDEN) {
        rc = api_fail(&c.err, 401, NULL,
                      "the bearer token is malformed, unknown, revoked or its user disabled");
        goto refused;
    } else if (rc != MH_NOTFOUND) {
        goto refused;
    }
    if (m != HTTP_GET && !c.signed_in) {
        rc = api_fail(&c.err, 401, NULL,
                      "changes need an 'Authorization: Bearer <token>' header; "
                      "'masthead token create' makes a token");
        goto refused;
    }
    if ((m == HTTP_POST || m == HTTP_PUT) && !is_json(http_header(req, "Content-Type"))) {
        rc = api_fail(&c.err, 415, NULL, "the body must be sent as application/json (UTF-8)");
        goto refused;
    }
    rc = hit->handler(&c);
    if (rc == MH_OK)
        return MH_OK;
refused:
    if (c.err.status == 0 && (rc == MH_DB || rc == MH_IO))
        log_error("api: %s %.*s failed: %s", method_name(req->method), (int)req->path.len,
                  req->path.ptr, mh_strerror(rc));
    /* the error body replaces whatever the handler had started */
    res->status = 0;
    res->body = STR_NULL;
    return send_error(&c, rc);
}
