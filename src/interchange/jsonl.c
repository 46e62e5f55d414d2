/* SPDX-License-Identifier: MIT */
/*
 * jsonl.c - one article as one JSON line: validation on the way in (with
 * core/jread, strict and about twenty times faster than jansson on these
 * lines), a small deterministic writer on the way out so that
 * export | import | export is byte-stable.
 */
#include "core/compat.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/jread.h"
#include "core/limits.h"
#include "core/utf8.h"
#include "interchange/interchange.h"
#include "model/date.h"
#include "render/escape.h"
#include "render/sanitize.h"

/* The fields of the format, in the order the writer emits them. */
static const char *const known_fields[] = {
    "id",     "edition",  "channel",  "title",    "subtitle",    "kicker", "authors",
    "editor", "source",   "keywords", "abstract", "body_format", "body",   "status",
    "published_at", "images", "translation_of",
};

#define FAIL(...)                                                                              \
    do {                                                                                       \
        snprintf(errbuf, errlen, __VA_ARGS__);                                                 \
        rc = MH_INVAL;                                                                         \
        goto out;                                                                              \
    } while (0)

/* A string field: absent or null is empty (or an error when REQUIRED). */
static int get_text(const struct jval *obj, const char *key, bool required, size_t max,
                    bool multiline, struct arena *arena, struct str *out, char *errbuf,
                    size_t errlen)
{
    const struct jval *v = jval_get(obj, key);
    *out = STR_LIT("");
    if (v == NULL || v->type == JV_NULL) {
        if (required) {
            snprintf(errbuf, errlen, "field '%s' is required", key);
            return MH_INVAL;
        }
        return MH_OK;
    }
    if (v->type != JV_STRING) {
        snprintf(errbuf, errlen, "field '%s' must be a string", key);
        return MH_INVAL;
    }
    struct str s = v->str;
    if (s.len > max) {
        snprintf(errbuf, errlen, "field '%s' is longer than %zu bytes", key, max);
        return MH_TOOBIG;
    }
    if (utf8_has_controls(s, multiline)) {
        snprintf(errbuf, errlen, "field '%s' contains a control character", key);
        return MH_INVAL;
    }
    if (!multiline)
        s = str_trim(s);
    if (required && s.len == 0) {
        snprintf(errbuf, errlen, "field '%s' is empty", key);
        return MH_INVAL;
    }
    *out = arena_str(arena, s);
    return MH_OK;
}

static int get_list(const struct jval *obj, const char *key, struct arena *arena,
                    struct str **items, size_t *n, char *errbuf, size_t errlen)
{
    const struct jval *v = jval_get(obj, key);
    *items = NULL;
    *n = 0;
    if (v == NULL || v->type == JV_NULL)
        return MH_OK;
    if (v->type != JV_ARRAY) {
        snprintf(errbuf, errlen, "field '%s' must be an array of strings", key);
        return MH_INVAL;
    }
    if (v->n_items > MH_MAX_LIST) {
        snprintf(errbuf, errlen, "field '%s' has more than %d entries", key, MH_MAX_LIST);
        return MH_TOOBIG;
    }
    *items = arena_alloc(arena, (v->n_items ? v->n_items : 1) * sizeof(struct str));
    for (size_t i = 0; i < v->n_items; i++) {
        const struct jval *e = &v->items[i];
        if (e->type != JV_STRING) {
            snprintf(errbuf, errlen, "field '%s' must be an array of strings", key);
            return MH_INVAL;
        }
        struct str s = str_trim(e->str);
        if (s.len == 0 || s.len > MH_MAX_FIELD || utf8_has_controls(s, false)) {
            snprintf(errbuf, errlen, "field '%s' entry %zu is empty, too long or has a "
                     "control character", key, i + 1);
            return MH_INVAL;
        }
        (*items)[(*n)++] = arena_str(arena, s);
    }
    return MH_OK;
}

static int get_images(const struct jval *obj, struct arena *arena, struct article *a,
                      char *errbuf, size_t errlen)
{
    const struct jval *v = jval_get(obj, "images");
    int rc = MH_OK;
    if (v == NULL || v->type == JV_NULL)
        return MH_OK;
    if (v->type != JV_ARRAY) {
        snprintf(errbuf, errlen, "field 'images' must be an array of objects");
        return MH_INVAL;
    }
    if (v->n_items > MH_MAX_LIST) {
        snprintf(errbuf, errlen, "field 'images' has more than %d entries", MH_MAX_LIST);
        return MH_TOOBIG;
    }
    a->images = arena_zalloc(arena, (v->n_items ? v->n_items : 1) * sizeof(*a->images));
    for (size_t i = 0; i < v->n_items && rc == MH_OK; i++) {
        const struct jval *e = &v->items[i];
        struct article_image *im = &a->images[i];
        char inner[256];
        if (e->type != JV_OBJECT) {
            snprintf(errbuf, errlen, "images[%zu] must be an object", i);
            return MH_INVAL;
        }
        for (size_t k = 0; k < e->n_members; k++) {
            struct str key = e->members[k].key;
            if (!str_eq_c(key, "file") && !str_eq_c(key, "caption") &&
                !str_eq_c(key, "credit") && !str_eq_c(key, "alt")) {
                snprintf(errbuf, errlen, "images[%zu]: unknown field '%.*s'", i,
                         (int)(key.len > 64 ? 64 : key.len), key.ptr);
                return MH_INVAL;
            }
        }
        rc = get_text(e, "file", true, 4096, false, arena, &im->path, inner, sizeof(inner));
        if (rc == MH_OK)
            rc = get_text(e, "caption", false, MH_MAX_ABSTRACT, false, arena, &im->caption,
                          inner, sizeof(inner));
        if (rc == MH_OK)
            rc = get_text(e, "credit", false, MH_MAX_FIELD, false, arena, &im->credit, inner,
                          sizeof(inner));
        if (rc == MH_OK)
            rc = get_text(e, "alt", false, MH_MAX_FIELD, false, arena, &im->alt, inner,
                          sizeof(inner));
        if (rc)
            snprintf(errbuf, errlen, "images[%zu]: %s", i, inner);
        a->n_images = i + 1;
    }
    return rc;
}

int jsonl_parse_article(struct str line, struct arena *arena, struct article *a, char *errbuf,
                        size_t errlen)
{
    struct jread_error jerr;
    struct jval *root = NULL;
    size_t bad;
    int rc = MH_OK;
    struct str status = STR_NULL, format = STR_NULL, published = STR_NULL, body;
    memset(a, 0, sizeof(*a));

    if (!utf8_valid(line, &bad))
        FAIL("not valid UTF-8 (byte %zu)", bad + 1);
    rc = jread_parse(line, arena, &root, &jerr);
    if (rc == MH_TOOBIG)
        FAIL("malformed JSON: nested deeper than %d levels", JREAD_MAX_DEPTH);
    if (rc) { /* the record is one line, so its column is all that matters */
        const char *why = strncmp(jerr.text, "line 1, ", 8) == 0 ? jerr.text + 8 : jerr.text;
        FAIL("malformed JSON: %s", why);
    }
    if (root->type != JV_OBJECT)
        FAIL("a line must be a JSON object, one article");
    for (size_t k = 0; k < root->n_members; k++) {
        struct str key = root->members[k].key;
        bool known = false;
        for (size_t i = 0; i < MH_ARRAY_LEN(known_fields) && !known; i++)
            known = str_eq_c(key, known_fields[i]);
        if (!known)
            FAIL("unknown field '%.*s'", (int)(key.len > 64 ? 64 : key.len), key.ptr);
    }
    const struct jval *id = jval_get(root, "id");
    if (id && id->type != JV_NULL) {
        if (id->type != JV_NUMBER || !id->is_int || id->i < 1 || id->i > ((int64_t)1 << 53))
            FAIL("field 'id' must be a positive whole number");
        a->id = id->i;
    }
    const struct jval *tr = jval_get(root, "translation_of");
    if (tr && tr->type != JV_NULL) {
        if (tr->type != JV_NUMBER || !tr->is_int || tr->i < 1 || tr->i > ((int64_t)1 << 53))
            FAIL("field 'translation_of' must be the id of another article");
        if (tr->i == a->id)
            FAIL("field 'translation_of' names the article itself");
        a->translation_of = tr->i;
    }
#define TEXT(key, req, max, multi, dst)                                                        \
    if ((rc = get_text(root, key, req, max, multi, arena, dst, errbuf, errlen)) != MH_OK)      \
        goto out;
    TEXT("edition", true, 64, false, &a->edition);
    TEXT("channel", true, 128, false, &a->channel);
    TEXT("title", true, MH_MAX_FIELD, false, &a->title);
    TEXT("subtitle", false, MH_MAX_FIELD, false, &a->subtitle);
    TEXT("kicker", false, MH_MAX_FIELD, false, &a->kicker);
    TEXT("editor", false, MH_MAX_FIELD, false, &a->editor);
    TEXT("source", false, MH_MAX_FIELD, false, &a->source);
    TEXT("abstract", false, MH_MAX_ABSTRACT, true, &a->abstract);
    TEXT("body", false, MH_MAX_BODY, true, &body);
    TEXT("body_format", false, 16, false, &format);
    TEXT("status", false, 16, false, &status);
    TEXT("published_at", false, 64, false, &published);
#undef TEXT
    if ((rc = get_list(root, "authors", arena, &a->authors, &a->n_authors, errbuf, errlen)) ||
        (rc = get_list(root, "keywords", arena, &a->keywords, &a->n_keywords, errbuf, errlen)) ||
        (rc = get_images(root, arena, a, errbuf, errlen)))
        goto out;

    a->body_format = BODY_MARKDOWN;
    if (format.len && body_format_parse(format, &a->body_format) != MH_OK)
        FAIL("field 'body_format' must be \"markdown\" or \"html\"");
    a->status = ARTICLE_DRAFT;
    if (status.len && article_status_parse(status, &a->status) != MH_OK)
        FAIL("field 'status' must be draft, submitted, approved, scheduled, published or "
             "withdrawn, not '%.32s'", status.ptr);
    int64_t when = 0;
    if (published.len && date_parse_rfc3339(published, &when) != MH_OK)
        FAIL("field 'published_at' must be RFC 3339 with an offset, like "
             "2026-03-06T09:39:50.194+08:00");
    if (when == 0 && (a->status == ARTICLE_PUBLISHED || a->status == ARTICLE_WITHDRAWN ||
                      a->status == ARTICLE_SCHEDULED))
        FAIL("field 'published_at' is required for status %s", article_status_name(a->status));
    if (a->status == ARTICLE_SCHEDULED) {
        a->scheduled_at = when;
    } else {
        a->first_published_at = a->last_published_at = when;
    }
    if (a->body_format == BODY_HTML) {
        struct buf clean;
        buf_init(&clean, arena, MH_MAX_BODY + MH_MAX_BODY / 2);
        rc = sanitize_html(body, &clean);
        if (rc == MH_OK && clean.err)
            rc = clean.err;
        if (rc)
            FAIL("field 'body': the HTML cannot be cleaned (%s)", mh_strerror(rc));
        body = buf_str(&clean);
    }
    a->body = body;
out:
    return rc;
}

/* ------------------------------------------------------------------ */
/* Writing                                                              */

static void json_str(struct buf *out, struct str s)
{
    escape_json(out, s, false);
}

static void field(struct buf *out, const char *key, struct str v)
{
    buf_addf(out, ",\"%s\":", key);
    json_str(out, v);
}

static void list(struct buf *out, const char *key, const struct str *items, size_t n)
{
    buf_addf(out, ",\"%s\":[", key);
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_addc(out, ',');
        json_str(out, items[i]);
    }
    buf_addc(out, ']');
}

void jsonl_write_article(struct buf *out, const struct article *a, struct str tz,
                         const char *media_root)
{
    if (a->id) {
        buf_addf(out, "{\"id\":%lld", (long long)a->id);
        field(out, "edition", a->edition);
    } else { /* not yet numbered: leave the id to the importing site */
        buf_adds(out, "{\"edition\":");
        json_str(out, a->edition);
    }
    field(out, "channel", a->channel);
    field(out, "title", a->title);
    field(out, "subtitle", a->subtitle);
    field(out, "kicker", a->kicker);
    list(out, "authors", a->authors, a->n_authors);
    field(out, "editor", a->editor);
    field(out, "source", a->source);
    list(out, "keywords", a->keywords, a->n_keywords);
    field(out, "abstract", a->abstract);
    field(out, "body_format", str_c(body_format_name(a->body_format)));
    field(out, "body", a->body);
    field(out, "status", str_c(article_status_name(a->status)));
    int64_t when = a->status == ARTICLE_SCHEDULED ? a->scheduled_at : a->first_published_at;
    if (when) {
        buf_adds(out, ",\"published_at\":\"");
        date_format_rfc3339(out, when, tz);
        buf_addc(out, '"');
    }
    buf_adds(out, ",\"images\":[");
    for (size_t i = 0; i < a->n_images; i++) {
        const struct article_image *im = &a->images[i];
        struct buf path;
        char tmp[4096];
        buf_init(&path, NULL, sizeof(tmp));
        if (media_root) {
            buf_adds(&path, media_root);
            buf_addc(&path, '/');
        }
        buf_addstr(&path, im->path);
        buf_adds(out, i ? ",{\"file\":" : "{\"file\":");
        json_str(out, buf_str(&path));
        buf_release(&path);
        field(out, "caption", im->caption);
        field(out, "credit", im->credit);
        field(out, "alt", im->alt);
        buf_addc(out, '}');
    }
    buf_addc(out, ']');
    if (a->translation_of)
        buf_addf(out, ",\"translation_of\":%lld", (long long)a->translation_of);
    buf_adds(out, "}\n");
}
