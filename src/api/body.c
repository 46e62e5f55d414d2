/* SPDX-License-Identifier: MIT */
/*
 * body.c - the JSON request bodies of the API.  jansson reads the envelope
 * (duplicate keys refused, no NUL in strings); what is an article is handed
 * to interchange's jsonl_parse_article() as one import record, so the API
 * and `masthead import` accept exactly the same articles.  Its reasons name
 * the field, which becomes the error body's "field".
 */
#include "core/compat.h"

#include <jansson.h>
#include <stdarg.h>

#include "api/api.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/utf8.h"
#include "interchange/interchange.h"
#include "model/date.h"

static const char *code_for(int status)
{
    switch (status) {
    case 400:
        return "invalid";
    case 401:
        return "unauthorized";
    case 403:
        return "forbidden";
    case 404:
        return "not_found";
    case 405:
        return "method_not_allowed";
    case 409:
        return "conflict";
    case 410:
        return "gone";
    case 413:
        return "too_large";
    case 414:
        return "uri_too_long";
    case 415:
        return "unsupported_media_type";
    case 501:
        return "not_implemented";
    case 503:
        return "unavailable";
    default:
        return status >= 500 ? "internal" : "invalid";
    }
}

int api_fail(struct api_error *e, int status, const char *field, const char *fmt, ...)
{
    va_list ap;
    e->status = status;
    e->code = code_for(status);
    snprintf(e->field, sizeof(e->field), "%s", field ? field : "");
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof(e->message), fmt, ap);
    va_end(ap);
    switch (status) {
    case 403:
    case 401:
        return MH_FORBIDDEN;
    case 404:
        return MH_NOTFOUND;
    case 409:
        return MH_CONFLICT;
    case 410:
        return MH_GONE;
    case 413:
        return MH_TOOBIG;
    default:
        return status >= 500 ? MH_DB : MH_INVAL;
    }
}

/* Parse BODY as one JSON object into *OUT (caller json_decref()s it). */
static int load_object(struct str body, json_t **out, struct api_error *e)
{
    json_error_t jerr;
    json_t *root;
    if (body.len == 0)
        return api_fail(e, 400, NULL, "the request needs a JSON object as its body");
    root = json_loadb(body.ptr, body.len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL)
        return api_fail(e, 400, NULL, "malformed JSON at line %d, column %d: %s", jerr.line,
                        jerr.column, jerr.text);
    if (!json_is_object(root)) {
        json_decref(root);
        return api_fail(e, 400, NULL, "the body must be a JSON object");
    }
    *out = root;
    return MH_OK;
}

/* The field a jsonl_parse_article() reason names: "field 'title' is
 * required", "unknown field 'x'", "images[2]: ..." (tests/api pins these). */
static void field_of(const char *why, char *field, size_t cap)
{
    const char *p = strstr(why, "field '");
    field[0] = '\0';
    if (strncmp(why, "images[", 7) == 0) {
        snprintf(field, cap, "images");
    } else if (p) {
        p += 7;
        const char *q = strchr(p, '\'');
        if (q)
            snprintf(field, cap, "%.*s", (int)(q - p), p);
    }
}

/* Take KEY out of OBJ, if present, into *OUT (a new reference, or NULL). */
static json_t *take(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    if (v) {
        json_incref(v);
        json_object_del(obj, key);
    }
    return v;
}

int api_parse_article(struct str body, bool is_put, struct arena *arena,
                      struct api_article_body *out, struct api_error *e)
{
    static const char *const read_only[] = {"url", "created_at", "updated_at",
                                             "last_published_at", "body_html"};
    json_t *root = NULL, *rev = NULL, *status = NULL, *published = NULL, *note = NULL;
    char *line = NULL, why[512];
    int rc;
    memset(out, 0, sizeof(*out));
    rc = load_object(body, &root, e);
    if (rc)
        return rc;
    for (size_t i = 0; i < MH_ARRAY_LEN(read_only); i++)
        json_object_del(root, read_only[i]);
    rev = take(root, "revision");
    status = take(root, "status");
    published = take(root, "published_at");
    if (is_put)
        note = take(root, "note");
    if (note && !json_is_null(note)) {
        if (!json_is_string(note) || json_string_length(note) > MH_MAX_FIELD ||
            utf8_has_controls(str_make(json_string_value(note), json_string_length(note)),
                              false)) {
            rc = api_fail(e, 400, "note",
                          "field 'note' must be one line of text of at most %zu bytes",
                          (size_t)MH_MAX_FIELD);
            goto out;
        }
        out->note = arena_str(arena, str_make(json_string_value(note), json_string_length(note)));
    }
    if (is_put) {
        if (rev == NULL) {
            rc = api_fail(e, 400, "revision",
                          "field 'revision' is required: the revision this edit is based on");
            goto out;
        }
        if (!json_is_integer(rev) || json_integer_value(rev) < 1 ||
            json_integer_value(rev) > INT32_MAX) {
            rc = api_fail(e, 400, "revision", "field 'revision' must be a positive whole number");
            goto out;
        }
        out->revision = (int)json_integer_value(rev);
    } else if (rev) {
        rc = api_fail(e, 400, "revision", "a new article has no 'revision' to give");
        goto out;
    }
    if (!is_put && json_object_get(root, "id")) {
        rc = api_fail(e, 400, "id", "a new article's id is given by the server");
        goto out;
    }
    if (status && !json_is_null(status)) {
        if (!json_is_string(status) ||
            article_status_parse(str_make(json_string_value(status), json_string_length(status)),
                                 &out->a.status) != MH_OK) {
            rc = api_fail(e, 400, "status",
                          "field 'status' must be draft, submitted, approved, scheduled, "
                          "published or withdrawn");
            goto out;
        }
        out->has_status = true;
    }
    if (published && !json_is_null(published)) {
        int64_t when;
        if (!json_is_string(published) ||
            date_parse_rfc3339(str_make(json_string_value(published),
                                        json_string_length(published)),
                               &when) != MH_OK) {
            rc = api_fail(e, 400, "published_at",
                          "field 'published_at' must be RFC 3339 with an offset, like "
                          "2026-03-06T09:39:50.194+08:00");
            goto out;
        }
        out->has_published_at = true;
        out->a.first_published_at = when;
    }
    if (!is_put && out->has_status && out->a.status != ARTICLE_DRAFT) {
        rc = api_fail(e, 400, "status",
                      "a new article is a draft; move it on with POST "
                      "/api/v1/articles/{id}/transition");
        goto out;
    }
    if (!is_put && out->has_published_at) {
        rc = api_fail(e, 400, "published_at",
                      "a draft has no publication time; a transition gives it one");
        goto out;
    }
    /* what is left is an import record: the format's own parser checks it */
    line = json_dumps(root, JSON_COMPACT);
    if (line == NULL) {
        rc = api_fail(e, 400, NULL, "the body cannot be read as an article");
        goto out;
    }
    struct article parsed;
    rc = jsonl_parse_article(str_c(line), arena, &parsed, why, sizeof(why));
    if (rc) {
        char field[64];
        field_of(why, field, sizeof(field));
        rc = api_fail(e, rc == MH_TOOBIG ? 413 : 400, field, "%s", why);
        goto out;
    }
    enum article_status st = out->a.status;
    int64_t when = out->a.first_published_at;
    out->a = parsed;
    out->a.status = st;
    out->a.first_published_at = out->a.last_published_at = when;
out:
    free(line);
    json_decref(rev);
    json_decref(status);
    json_decref(published);
    json_decref(note);
    json_decref(root);
    return rc;
}

int api_parse_transition(struct str body, struct arena *arena, enum article_status *to,
                         int64_t *at, struct str *note, struct api_error *e)
{
    json_t *root = NULL, *v;
    const char *key;
    int rc = load_object(body, &root, e);
    *at = 0;
    *note = STR_LIT("");
    if (rc)
        return rc;
    json_object_foreach(root, key, v)
    {
        if (strcmp(key, "to") != 0 && strcmp(key, "at") != 0 && strcmp(key, "note") != 0) {
            rc = api_fail(e, 400, key, "unknown field '%.64s'", key);
            goto out;
        }
    }
    v = json_object_get(root, "to");
    if (v == NULL || !json_is_string(v) ||
        article_status_parse(str_make(json_string_value(v), json_string_length(v)), to) !=
            MH_OK) {
        rc = api_fail(e, 400, "to",
                      "field 'to' must be submitted, approved, published, scheduled, withdrawn "
                      "or draft");
        goto out;
    }
    v = json_object_get(root, "at");
    if (v && !json_is_null(v) &&
        (!json_is_string(v) ||
         date_parse_rfc3339(str_make(json_string_value(v), json_string_length(v)), at) !=
             MH_OK)) {
        rc = api_fail(e, 400, "at",
                      "field 'at' must be RFC 3339 with an offset, like "
                      "2026-03-06T09:39:50.194+08:00");
        goto out;
    }
    v = json_object_get(root, "note");
    if (v && !json_is_null(v)) {
        if (!json_is_string(v) || json_string_length(v) > MH_MAX_ABSTRACT) {
            rc = api_fail(e, json_is_string(v) ? 413 : 400, "note",
                          "field 'note' must be a string of at most %zu bytes",
                          (size_t)MH_MAX_ABSTRACT);
            goto out;
        }
        *note = arena_str(arena, str_make(json_string_value(v), json_string_length(v)));
        if (utf8_has_controls(*note, true)) {
            rc = api_fail(e, 400, "note", "field 'note' contains a control character");
            goto out;
        }
    }
out:
    json_decref(root);
    return rc;
}
