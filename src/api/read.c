/* SPDX-License-Identifier: MIT */
/*
 * read.c - the GET routes: editions, channels, the published articles of an
 * edition or channel page by page, and one article.  Anonymous readers see
 * what the site shows (published articles; a withdrawn one is 410); with a
 * token, newsroom_article_get() decides which unpublished articles the
 * user may see.  Query parameters are checked strictly: an unknown one is
 * refused rather than ignored, so a typo does not pass unnoticed.
 */
#include "core/compat.h"

#include "api/api_int.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/log.h"
#include "model/date.h"
#include "newsroom/newsroom.h"
#include "render/markdown.h"
#include "render/sanitize.h"
#include "store/store.h"

/* Refuse query parameters other than ALLOWED (NULL-terminated). */
static int check_params(struct api_call *c, const char *const *allowed)
{
    const struct http_params *p = &c->req->params;
    for (size_t i = 0; i < p->n; i++) {
        bool known = false;
        for (const char *const *a = allowed; *a && !known; a++)
            known = str_eq_c(p->v[i].name, *a);
        if (!known) {
            struct str n = p->v[i].name;
            return api_fail(&c->err, 400, NULL, "unknown query parameter '%.*s'",
                            (int)(n.len > 64 ? 64 : n.len), n.ptr);
        }
    }
    return MH_OK;
}

/* The edition named by ?edition= (the default edition when absent). */
static int edition_param(struct api_call *c, struct edition *ed)
{
    struct str slug = http_query_param(c->req, "edition");
    int rc;
    if (slug.ptr == NULL || slug.len == 0) {
        struct edition *all;
        size_t n;
        rc = store_editions(c->s, c->arena, &all, &n);
        if (rc)
            return rc;
        for (size_t i = 0; i < n; i++) {
            if (all[i].is_default || i == 0)
                *ed = all[i];
        }
        return n ? MH_OK : api_fail(&c->err, 404, "edition", "the site has no edition");
    }
    rc = store_edition_get(c->s, c->arena, slug, ed);
    if (rc == MH_NOTFOUND)
        return api_fail(&c->err, 404, "edition", "no edition '%.*s'",
                        (int)(slug.len > 64 ? 64 : slug.len), slug.ptr);
    return rc;
}

static json_t *edition_json(const struct edition *e)
{
    json_t *o = json_object();
    json_object_set_new(o, "slug", api_jstr(e->slug));
    json_object_set_new(o, "name", api_jstr(e->name));
    json_object_set_new(o, "lang", api_jstr(e->lang));
    json_object_set_new(o, "tz", api_jstr(e->tz));
    json_object_set_new(o, "base_url", api_jstr(e->base_url));
    json_object_set_new(o, "default", json_boolean(e->is_default));
    char url[80];
    snprintf(url, sizeof(url), "/%.*s/", (int)(e->slug.len > 64 ? 64 : e->slug.len), e->slug.ptr);
    json_object_set_new(o, "url", json_string(url));
    return o;
}

int api_get_editions(struct api_call *c)
{
    static const char *const allowed[] = {NULL};
    struct edition *eds;
    size_t n;
    int rc = check_params(c, allowed);
    if (rc == MH_OK)
        rc = store_editions(c->s, c->arena, &eds, &n);
    if (rc)
        return rc;
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, edition_json(&eds[i]));
    return api_send(c, 200, json_pack("{s:o}", "editions", list), !c->signed_in);
}

int api_get_channels(struct api_call *c)
{
    static const char *const allowed[] = {"edition", NULL};
    struct edition ed;
    struct channel *chs;
    size_t n;
    int rc = check_params(c, allowed);
    if (rc == MH_OK)
        rc = edition_param(c, &ed);
    if (rc == MH_OK)
        rc = store_channels(c->s, c->arena, ed.slug, &chs, &n);
    if (rc)
        return rc;
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        const struct channel *ch = &chs[i];
        struct str parent = STR_NULL;
        for (size_t j = 0; j < n && ch->parent_id; j++)
            if (chs[j].id == ch->parent_id)
                parent = chs[j].slug;
        json_t *o = json_object();
        json_object_set_new(o, "slug", api_jstr(ch->slug));
        json_object_set_new(o, "name", api_jstr(ch->name));
        json_object_set_new(o, "parent", parent.ptr ? api_jstr(parent) : json_null());
        json_object_set_new(o, "kind", json_string(channel_kind_name(ch->kind)));
        json_object_set_new(o, "description", api_jstr(ch->description));
        json_object_set_new(o, "position", json_integer(ch->position));
        json_object_set_new(o, "end_at", api_jtime(c, ch->end_at, ed.tz));
        struct buf url;
        buf_init(&url, c->arena, 512);
        buf_addf(&url, "/%.*s/%.*s/", (int)ed.slug.len, ed.slug.ptr, (int)ch->slug.len,
                 ch->slug.ptr);
        json_object_set_new(o, "url", api_jstr(buf_str(&url)));
        json_array_append_new(list, o);
    }
    return api_send(c, 200, json_pack("{s:o, s:o}", "edition", api_jstr(ed.slug), "channels", list),
                    !c->signed_in);
}

static json_t *image_json(const struct article_image *im)
{
    json_t *o = json_object();
    json_object_set_new(o, "file", api_jstr(im->path));
    json_object_set_new(o, "caption", api_jstr(im->caption));
    json_object_set_new(o, "credit", api_jstr(im->credit));
    json_object_set_new(o, "alt", api_jstr(im->alt));
    return o;
}

int api_get_articles(struct api_call *c)
{
    static const char *const allowed[] = {"edition", "channel", "page", NULL};
    struct edition ed;
    struct channel ch;
    struct str channel = http_query_param(c->req, "channel"), page_s;
    struct article_card *cards;
    size_t n;
    int64_t page = 1, total = 0;
    int rc = check_params(c, allowed);
    if (rc == MH_OK)
        rc = edition_param(c, &ed);
    if (rc)
        return rc;
    if (channel.len) {
        rc = store_channel_get(c->s, c->arena, ed.slug, channel, &ch);
        if (rc == MH_NOTFOUND)
            return api_fail(&c->err, 404, "channel", "no channel '%.*s' in edition '%.*s'",
                            (int)(channel.len > 64 ? 64 : channel.len), channel.ptr,
                            (int)ed.slug.len, ed.slug.ptr);
        if (rc)
            return rc;
    } else {
        channel = STR_LIT("");
    }
    page_s = http_query_param(c->req, "page");
    if (page_s.ptr && str_to_i64(page_s, 1, 1000000, &page) != MH_OK)
        return api_fail(&c->err, 400, "page", "page must be a whole number from 1 to 1000000");
    rc = store_cards_count(c->s, ed.slug, channel, &total);
    if (rc == MH_OK)
        rc = store_cards_latest(c->s, c->arena, ed.slug, channel, (page - 1) * API_PAGE_SIZE,
                                API_PAGE_SIZE, &cards, &n);
    if (rc)
        return rc;
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        const struct article_card *k = &cards[i];
        struct article a = {.id = k->id, .edition = k->edition, .first_published_at =
                            k->published_at};
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(k->id));
        json_object_set_new(o, "edition", api_jstr(k->edition));
        json_object_set_new(o, "channel", api_jstr(k->channel));
        json_object_set_new(o, "title", api_jstr(k->title));
        json_object_set_new(o, "abstract", api_jstr(k->abstract));
        json_object_set_new(o, "published_at", api_jtime(c, k->published_at, ed.tz));
        json_object_set_new(o, "url", api_jstr(api_article_url(c, &a, ed.tz)));
        json_object_set_new(o, "image", k->lead.path.len ? image_json(&k->lead) : json_null());
        json_array_append_new(list, o);
    }
    int64_t pages = (total + API_PAGE_SIZE - 1) / API_PAGE_SIZE;
    return api_send(c, 200,
                    json_pack("{s:o, s:o, s:I, s:i, s:I, s:I, s:o}", "edition", api_jstr(ed.slug),
                              "channel", channel.len ? api_jstr(channel) : json_null(), "page",
                              (json_int_t)page, "per_page", API_PAGE_SIZE, "total",
                              (json_int_t)total, "pages", (json_int_t)pages, "articles", list),
                    !c->signed_in);
}

struct str api_article_url(struct api_call *c, const struct article *a, struct str tz)
{
    struct buf b;
    buf_init(&b, c->arena, 512);
    if (a->first_published_at) {
        buf_addc(&b, '/');
        buf_addstr(&b, a->edition);
        date_format(&b, a->first_published_at, tz, "/%Y-%m/%d/");
        buf_addf(&b, "content_%lld.html", (long long)a->id);
    } else {
        buf_addf(&b, "/api/v1/articles/%lld", (long long)a->id);
    }
    return buf_str(&b);
}

static json_t *list_json(const struct str *items, size_t n)
{
    json_t *l = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(l, api_jstr(items[i]));
    return l;
}

json_t *api_article_json(struct api_call *c, const struct article *a, struct str tz)
{
    json_t *o = json_object();
#define S(key, v) json_object_set_new(o, key, api_jstr(v))
    json_object_set_new(o, "id", json_integer(a->id));
    S("edition", a->edition);
    S("channel", a->channel);
    S("title", a->title);
    S("subtitle", a->subtitle);
    S("kicker", a->kicker);
    json_object_set_new(o, "authors", list_json(a->authors, a->n_authors));
    S("editor", a->editor);
    S("source", a->source);
    json_object_set_new(o, "keywords", list_json(a->keywords, a->n_keywords));
    S("abstract", a->abstract);
    json_object_set_new(o, "body_format", json_string(body_format_name(a->body_format)));
    S("body", a->body);
    /* the body as the site shows it, by the same code, for headless front ends */
    struct buf html;
    buf_init(&html, c->arena, MH_MAX_BODY * 2);
    int rc = a->body_format == BODY_HTML ? sanitize_html(a->body, &html)
                                         : markdown_render(a->body, &html);
    if (rc == MH_OK && html.err)
        rc = html.err;
    if (rc)
        log_error("article %lld: cannot render its body: %s", (long long)a->id, mh_strerror(rc));
    json_object_set_new(o, "body_html", rc ? json_null() : api_jstr(buf_str(&html)));
    json_object_set_new(o, "status", json_string(article_status_name(a->status)));
    /* as in the import format: a scheduled article's time is when it goes out */
    json_object_set_new(o, "published_at",
                        api_jtime(c,
                                  a->status == ARTICLE_SCHEDULED ? a->scheduled_at
                                                                 : a->first_published_at,
                                  tz));
    json_t *images = json_array();
    for (size_t i = 0; i < a->n_images; i++)
        json_array_append_new(images, image_json(&a->images[i]));
    json_object_set_new(o, "images", images);
    json_object_set_new(o, "revision", json_integer(a->revision));
    S("url", api_article_url(c, a, tz));
    json_object_set_new(o, "created_at", api_jtime(c, a->created_at, tz));
    json_object_set_new(o, "updated_at", api_jtime(c, a->updated_at, tz));
    json_object_set_new(o, "last_published_at", api_jtime(c, a->last_published_at, tz));
#undef S
    return o;
}

int api_get_article(struct api_call *c)
{
    static const char *const allowed[] = {NULL};
    struct article a;
    struct edition ed;
    int rc = check_params(c, allowed);
    if (rc)
        return rc;
    if (c->signed_in) {
        struct newsroom_ctx nr;
        api_newsroom(c, &nr);
        rc = newsroom_article_get(&nr, c->arena, c->id, &a);
    } else {
        rc = store_article_get(c->s, c->arena, c->id, &a);
        if (rc == MH_OK && a.status == ARTICLE_WITHDRAWN)
            return api_fail(&c->err, 410, NULL, "article %lld was withdrawn", (long long)c->id);
        if (rc == MH_OK && a.status != ARTICLE_PUBLISHED)
            rc = MH_NOTFOUND; /* a draft's existence is nobody's business */
    }
    if (rc == MH_NOTFOUND)
        return api_fail(&c->err, 404, NULL, "no article %lld", (long long)c->id);
    if (rc == MH_OK)
        rc = store_edition_get(c->s, c->arena, a.edition, &ed);
    if (rc)
        return rc;
    return api_send(c, 200, api_article_json(c, &a, ed.tz), !c->signed_in);
}
