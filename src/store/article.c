/* SPDX-License-Identifier: MIT */
/*
 * article.c - articles and the media library in the store: insert, update
 * with a revision snapshot, load with images, walk, and the content hash
 * that makes imports idempotent.
 */
#include "core/compat.h"

#include <sodium.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/limits.h"
#include "store/store_int.h"

/* ------------------------------------------------------------------ */
/* Content hash                                                         */

static void hash_str(crypto_generichash_state *h, struct str s)
{
    unsigned char len[8];
    uint64_t n = s.len;
    for (int i = 0; i < 8; i++)
        len[i] = (unsigned char)(n >> (8 * i));
    crypto_generichash_update(h, len, sizeof(len));
    if (s.len)
        crypto_generichash_update(h, (const unsigned char *)s.ptr, s.len);
}

static void hash_i64(crypto_generichash_state *h, int64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)((uint64_t)v >> (8 * i));
    crypto_generichash_update(h, b, sizeof(b));
}

void store_article_hash(const struct article *a, unsigned char out[STORE_HASH_LEN])
{
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, STORE_HASH_LEN);
    hash_str(&h, STR_LIT("masthead-article-v1"));
    hash_str(&h, a->edition);
    hash_str(&h, a->channel);
    hash_str(&h, a->title);
    hash_str(&h, a->subtitle);
    hash_str(&h, a->kicker);
    hash_i64(&h, (int64_t)a->n_authors);
    for (size_t i = 0; i < a->n_authors; i++)
        hash_str(&h, a->authors[i]);
    hash_str(&h, a->editor);
    hash_str(&h, a->source);
    hash_i64(&h, (int64_t)a->n_keywords);
    for (size_t i = 0; i < a->n_keywords; i++)
        hash_str(&h, a->keywords[i]);
    hash_str(&h, a->abstract);
    hash_str(&h, a->body);
    hash_i64(&h, a->body_format);
    hash_i64(&h, a->status);
    hash_i64(&h, a->first_published_at);
    hash_i64(&h, a->scheduled_at);
    if (a->translation_of) /* absent from older hashes: they stay valid */
        hash_i64(&h, a->translation_of);
    hash_i64(&h, (int64_t)a->n_images);
    for (size_t i = 0; i < a->n_images; i++) {
        hash_str(&h, a->images[i].sha256);
        hash_str(&h, a->images[i].caption);
        hash_str(&h, a->images[i].credit);
        hash_str(&h, a->images[i].alt);
    }
    crypto_generichash_final(&h, out, STORE_HASH_LEN);
}

/* ------------------------------------------------------------------ */
/* Writing                                                              */

/* A few dozen channels per site: a small array scanned linearly. */
struct channel_cache {
    size_t n;
    struct {
        char edition[64], slug[128];
        int64_t id;
    } e[64];
};

void store_channel_cache_clear(struct store *s)
{
    if (s->channels)
        s->channels->n = 0;
}

int store_channel_id(struct store *s, struct str edition, struct str slug, int64_t *out)
{
    struct channel_cache *c = s->channels;
    if (c == NULL)
        c = s->channels = mh_calloc(1, sizeof(*c));
    for (size_t i = 0; i < c->n; i++) {
        if (str_eq_c(edition, c->e[i].edition) && str_eq_c(slug, c->e[i].slug)) {
            *out = c->e[i].id;
            return MH_OK;
        }
    }
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_CHANNEL_FIND, &st);
    if (rc)
        return rc;
    B_STR(st, 1, edition);
    B_STR(st, 2, slug);
    rc = STEP1(st);
    if (rc == MH_OK)
        *out = C_I64(st, 0);
    DONE(st);
    if (rc == MH_OK && c->n < MH_ARRAY_LEN(c->e) && edition.len < sizeof(c->e[0].edition) &&
        slug.len < sizeof(c->e[0].slug)) {
        memcpy(c->e[c->n].edition, edition.ptr, edition.len);
        c->e[c->n].edition[edition.len] = '\0';
        memcpy(c->e[c->n].slug, slug.ptr, slug.len);
        c->e[c->n].slug[slug.len] = '\0';
        c->e[c->n].id = *out;
        c->n++;
    }
    return rc;
}

/* Bind parameters 1..23 shared by Q_ARTICLE_INSERT and Q_ARTICLE_UPDATE. */
static void article_bind(struct store *s, struct store_stmt *st, const struct article *a,
                         int64_t chan, struct buf *authors, struct buf *keywords,
                         const unsigned char *hash, struct str by, struct str note)
{
    if (a->id)
        B_I64(st, 1, a->id);
    else
        s->ops->bind_null(st, 1);
    B_STR(st, 2, a->edition);
    B_I64(st, 3, chan);
    B_STR(st, 4, a->title);
    B_STR(st, 5, a->subtitle);
    B_STR(st, 6, a->kicker);
    B_STR(st, 7, buf_str(authors));
    B_STR(st, 8, a->editor);
    B_STR(st, 9, a->source);
    B_STR(st, 10, buf_str(keywords));
    B_STR(st, 11, a->abstract);
    B_STR(st, 12, a->body);
    B_STR(st, 13, str_c(body_format_name(a->body_format)));
    B_STR(st, 14, str_c(article_status_name(a->status)));
    B_I64(st, 15, a->created_at);
    B_I64(st, 16, a->updated_at);
    B_TIME(st, 17, a->first_published_at);
    B_TIME(st, 18, a->last_published_at);
    B_TIME(st, 19, a->scheduled_at);
    B_I64(st, 20, a->revision);
    s->ops->bind_blob(st, 21, hash, STORE_HASH_LEN);
    B_STR(st, 22, by);
    B_STR(st, 23, note);
}

static int write_images(struct store *s, const struct article *a, bool replace)
{
    struct store_stmt *st;
    int rc;
    if (replace) {
        rc = stmt_prepare(s, Q_ARTICLE_MEDIA_DELETE, &st);
        if (rc)
            return rc;
        B_I64(st, 1, a->id);
        rc = STEP(st);
        DONE(st);
        if (rc != STORE_DONE)
            return rc;
    }
    for (size_t i = 0; i < a->n_images; i++) {
        const struct article_image *im = &a->images[i];
        rc = stmt_prepare(s, Q_ARTICLE_MEDIA_INSERT, &st);
        if (rc)
            return rc;
        B_I64(st, 1, a->id);
        B_I64(st, 2, (int64_t)i);
        B_I64(st, 3, im->media_id);
        B_STR(st, 4, im->caption);
        B_STR(st, 5, im->credit);
        B_STR(st, 6, im->alt);
        rc = STEP(st);
        DONE(st);
        if (rc != STORE_DONE)
            return rc;
    }
    return MH_OK;
}

/* The keywords one per row in their index form (store_keyword_key), for
 * related articles; REPLACE drops the old ones first. */
static int write_keywords(struct store *s, const struct article *a, bool replace)
{
    struct store_stmt *st;
    char low[MH_MAX_FIELD];
    int rc;
    if (replace) {
        if ((rc = stmt_prepare(s, Q_KEYWORDS_DELETE, &st)) != MH_OK)
            return rc;
        B_I64(st, 1, a->id);
        rc = STEP(st);
        DONE(st);
        if (rc != STORE_DONE)
            return rc;
    }
    for (size_t i = 0; i < a->n_keywords; i++) {
        struct str k = a->keywords[i];
        if (!store_keyword_key(k, low, sizeof(low)))
            continue;
        if ((rc = stmt_prepare(s, Q_KEYWORD_INSERT, &st)) != MH_OK)
            return rc;
        B_STR(st, 1, str_make(low, k.len));
        B_I64(st, 2, a->id);
        rc = STEP(st);
        DONE(st);
        if (rc != STORE_DONE)
            return rc;
    }
    return MH_OK;
}

/* The translation link; only an actual change writes (and logs) anything. */
static int write_translation(struct store *s, const struct article *a)
{
    struct store_stmt *st;
    if (a->translation_of == a->id && a->id)
        return MH_INVAL;
    int rc = stmt_prepare(s, Q_ARTICLE_SET_TRANSLATION, &st);
    if (rc)
        return rc;
    B_I64(st, 1, a->id);
    B_TIME(st, 2, a->translation_of);
    rc = STEP(st);
    DONE(st);
    return rc == STORE_DONE ? MH_OK : rc;
}

/* Insert or (when OLD_REVISION > 0) update A; the caller holds a transaction. */
static int article_write(struct store *s, struct article *a, int old_revision, struct str by,
                         struct str note)
{
    struct store_stmt *st;
    struct buf authors, keywords;
    unsigned char hash[STORE_HASH_LEN];
    int64_t chan = 0;
    int rc = store_channel_id(s, a->edition, a->channel, &chan);
    if (rc)
        return rc; /* MH_NOTFOUND: no such channel in that edition */
    arena_reset(s->scratch);
    buf_init(&authors, s->scratch, MH_MAX_LIST * (MH_MAX_FIELD + 1));
    buf_init(&keywords, s->scratch, MH_MAX_LIST * (MH_MAX_FIELD + 1));
    store_list_join(&authors, a->authors, a->n_authors);
    store_list_join(&keywords, a->keywords, a->n_keywords);
    if (authors.err || keywords.err)
        return MH_TOOBIG;
    store_article_hash(a, hash);
    rc = stmt_prepare(s, old_revision ? Q_ARTICLE_UPDATE : Q_ARTICLE_INSERT, &st);
    if (rc)
        return rc;
    article_bind(s, st, a, chan, &authors, &keywords, hash, by, note);
    if (old_revision)
        B_I64(st, 24, old_revision);
    rc = STEP(st);
    if (rc == MH_OK)
        a->id = C_I64(st, 0);
    DONE(st);
    if (rc == STORE_DONE) /* update matched no row: stale revision */
        return MH_CONFLICT;
    if (rc)
        return rc;
    rc = write_keywords(s, a, old_revision > 0);
    if (rc == MH_OK)
        rc = write_translation(s, a);
    if (rc)
        return rc;
    return write_images(s, a, old_revision > 0);
}

int store_article_insert(struct store *s, struct article *a)
{
    int64_t now = clock_now_ms();
    if (a->created_at == 0)
        a->created_at = now;
    if (a->updated_at == 0)
        a->updated_at = a->created_at;
    if (a->revision <= 0)
        a->revision = 1;
    int rc = store_begin(s);
    if (rc)
        return rc;
    rc = article_write(s, a, 0, STR_NULL, STR_NULL);
    if (rc) {
        store_rollback(s);
        return rc;
    }
    return store_commit(s);
}

int store_article_update(struct store *s, struct article *a, struct str by, struct str note)
{
    struct store_stmt *st;
    int old = a->revision;
    int rc = store_begin(s);
    if (rc)
        return rc;
    rc = stmt_prepare(s, Q_ARTICLE_REVISION_SAVE, &st);
    if (rc)
        goto fail;
    B_I64(st, 1, a->id);
    rc = STEP(st);
    DONE(st);
    if (rc != STORE_DONE)
        goto fail;
    a->revision = old + 1;
    a->updated_at = clock_now_ms();
    rc = article_write(s, a, old, by, note);
    if (rc) {
        a->revision = old;
        goto fail;
    }
    return store_commit(s);
fail:
    store_rollback(s);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Reading                                                              */

void store_article_text_row(struct store *s, struct store_stmt *st, struct arena *arena,
                            struct article *a)
{
    a->channel = C_STR(st, 2);
    a->title = C_STR(st, 3);
    a->subtitle = C_STR(st, 4);
    a->kicker = C_STR(st, 5);
    store_list_split(arena, s->ops->col_str(st, 6), &a->authors, &a->n_authors);
    a->editor = C_STR(st, 7);
    a->source = C_STR(st, 8);
    store_list_split(arena, s->ops->col_str(st, 9), &a->keywords, &a->n_keywords);
    a->abstract = C_STR(st, 10);
    a->body = C_STR(st, 11);
    if (body_format_parse(s->ops->col_str(st, 12), &a->body_format) != MH_OK)
        a->body_format = BODY_MARKDOWN;
}

static void article_row(struct store *s, struct store_stmt *st, struct arena *arena,
                        struct article *a)
{
    memset(a, 0, sizeof(*a));
    a->id = C_I64(st, 0);
    a->edition = C_STR(st, 1);
    store_article_text_row(s, st, arena, a);
    if (article_status_parse(s->ops->col_str(st, 13), &a->status) != MH_OK)
        a->status = ARTICLE_DRAFT;
    a->created_at = C_I64(st, 14);
    a->updated_at = C_I64(st, 15);
    a->first_published_at = C_I64(st, 16);
    a->last_published_at = C_I64(st, 17);
    a->scheduled_at = C_I64(st, 18);
    a->revision = (int)C_I64(st, 19);
    a->translation_of = C_I64(st, 20);
}

static int article_images(struct store *s, struct arena *arena, struct article *a)
{
    struct store_stmt *st;
    size_t cap = 4;
    int rc = stmt_prepare(s, Q_ARTICLE_MEDIA_GET, &st);
    if (rc)
        return rc;
    B_I64(st, 1, a->id);
    a->images = NULL;
    a->n_images = 0;
    while ((rc = STEP(st)) == MH_OK) {
        if (a->images == NULL || a->n_images == cap) {
            size_t old = a->images ? cap : 0;
            if (a->images)
                cap *= 2;
            a->images = arena_realloc(arena, a->images, old * sizeof(*a->images),
                                      cap * sizeof(*a->images));
        }
        struct article_image *im = &a->images[a->n_images++];
        im->media_id = C_I64(st, 0);
        im->sha256 = C_STR(st, 1);
        im->path = C_STR(st, 2);
        im->mime = C_STR(st, 3);
        im->width = (int)C_I64(st, 4);
        im->height = (int)C_I64(st, 5);
        im->caption = C_STR(st, 6);
        im->credit = C_STR(st, 7);
        im->alt = C_STR(st, 8);
    }
    DONE(st);
    return rc == STORE_DONE ? MH_OK : rc;
}

int store_article_get(struct store *s, struct arena *arena, int64_t id, struct article *out)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_ARTICLE_GET, &st);
    if (rc)
        return rc;
    B_I64(st, 1, id);
    rc = STEP1(st);
    if (rc == MH_OK)
        article_row(s, st, arena, out);
    DONE(st);
    if (rc)
        return rc;
    return article_images(s, arena, out);
}

int store_article_hash_get(struct store *s, int64_t id, unsigned char out[STORE_HASH_LEN])
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_ARTICLE_HASH, &st);
    if (rc)
        return rc;
    B_I64(st, 1, id);
    rc = STEP1(st);
    if (rc == MH_OK) {
        struct str h = s->ops->col_str(st, 0);
        if (h.len == STORE_HASH_LEN)
            memcpy(out, h.ptr, STORE_HASH_LEN);
        else
            memset(out, 0, STORE_HASH_LEN);
    }
    DONE(st);
    return rc;
}

int store_article_each(struct store *s, struct str edition, store_article_fn *fn, void *ctx)
{
    struct store_stmt *st;
    struct arena arena;
    int rc = stmt_prepare(s, edition.len ? Q_ARTICLE_BY_EDITION : Q_ARTICLE_ALL, &st);
    if (rc)
        return rc;
    if (edition.len)
        B_STR(st, 1, edition);
    arena_init(&arena, 64 * 1024);
    while ((rc = STEP(st)) == MH_OK) {
        struct article a;
        arena_reset(&arena);
        article_row(s, st, &arena, &a);
        rc = article_images(s, &arena, &a);
        if (rc == MH_OK)
            rc = fn(ctx, &a);
        if (rc)
            break;
    }
    DONE(st);
    arena_release(&arena);
    return rc == STORE_DONE ? MH_OK : rc;
}

int store_article_count(struct store *s, struct str edition, int64_t *out)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, edition.len ? Q_ARTICLE_COUNT_EDITION : Q_ARTICLE_COUNT_ALL, &st);
    if (rc)
        return rc;
    if (edition.len)
        B_STR(st, 1, edition);
    rc = STEP1(st);
    if (rc == MH_OK)
        *out = C_I64(st, 0);
    DONE(st);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Media library                                                        */

void store_media_row(struct store *s, struct store_stmt *st, struct arena *arena, void *out)
{
    struct media *m = out;
    memset(m, 0, sizeof(*m));
    m->id = C_I64(st, 0);
    m->kind = str_eq_c(s->ops->col_str(st, 1), "video") ? MEDIA_VIDEO : MEDIA_IMAGE;
    m->sha256 = C_STR(st, 2);
    m->path = C_STR(st, 3);
    m->mime = C_STR(st, 4);
    m->width = (int)C_I64(st, 5);
    m->height = (int)C_I64(st, 6);
    m->bytes = C_I64(st, 7);
    m->caption = C_STR(st, 8);
    m->credit = C_STR(st, 9);
    m->alt = C_STR(st, 10);
    m->focal_x = s->ops->col_double(st, 11);
    m->focal_y = s->ops->col_double(st, 12);
    m->video_url = C_STR(st, 13);
    m->created_at = C_I64(st, 14);
}

int store_media_by_sha(struct store *s, struct arena *arena, struct str sha256, struct media *out)
{
    return store_query_one(s, Q_MEDIA_BY_SHA, &sha256, 1, store_media_row, arena, out);
}

int store_media_insert(struct store *s, struct media *m)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_MEDIA_INSERT, &st);
    if (rc)
        return rc;
    B_STR(st, 2, str_c(m->kind == MEDIA_VIDEO ? "video" : "image"));
    B_STR(st, 3, m->sha256);
    B_STR(st, 4, m->path);
    B_STR(st, 5, m->mime);
    B_I64(st, 6, m->width);
    B_I64(st, 7, m->height);
    B_I64(st, 8, m->bytes);
    B_STR(st, 9, m->caption);
    B_STR(st, 10, m->credit);
    B_STR(st, 11, m->alt);
    s->ops->bind_double(st, 12, m->focal_x);
    s->ops->bind_double(st, 13, m->focal_y);
    B_STR(st, 14, m->video_url);
    B_I64(st, 15, m->created_at ? m->created_at : clock_now_ms());
    rc = STEP(st);
    if (rc == MH_OK)
        m->id = C_I64(st, 0);
    DONE(st);
    return rc;
}

int store_media_each(struct store *s, store_media_fn *fn, void *ctx)
{
    struct store_stmt *st;
    struct arena arena;
    int rc = stmt_prepare(s, Q_MEDIA_ALL, &st);
    if (rc)
        return rc;
    arena_init(&arena, 4096);
    while ((rc = STEP(st)) == MH_OK) {
        struct media m;
        arena_reset(&arena);
        store_media_row(s, st, &arena, &m);
        rc = fn(ctx, &m);
        if (rc)
            break;
    }
    DONE(st);
    arena_release(&arena);
    return rc == STORE_DONE ? MH_OK : rc;
}
