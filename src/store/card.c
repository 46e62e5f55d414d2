/* SPDX-License-Identifier: MIT */
/*
 * card.c - the lists the reader site shows: newest published articles of an
 * edition or a channel, page by page, and the most read.  A card is what a
 * list needs of an article (title, abstract, date, lead image), no body.
 */
#include "core/compat.h"

#include "core/arena.h"
#include "core/err.h"
#include "core/limits.h"
#include "store/store_int.h"

static void card_row(struct store *s, struct store_stmt *st, struct arena *arena, void *out)
{
    struct article_card *c = out;
    c->id = C_I64(st, 0);
    c->edition = C_STR(st, 1);
    c->channel = C_STR(st, 2);
    c->title = C_STR(st, 3);
    c->abstract = C_STR(st, 4);
    c->published_at = C_I64(st, 5);
    if (!s->ops->col_null(st, 6)) {
        c->lead.media_id = C_I64(st, 6);
        c->lead.sha256 = C_STR(st, 7);
        c->lead.path = C_STR(st, 8);
        c->lead.mime = C_STR(st, 9);
        c->lead.width = (int)C_I64(st, 10);
        c->lead.height = (int)C_I64(st, 11);
        c->lead.caption = C_STR(st, 12);
        c->lead.credit = C_STR(st, 13);
        c->lead.alt = C_STR(st, 14);
    }
}

static void card_views_row(struct store *s, struct store_stmt *st, struct arena *arena,
                           void *out)
{
    struct article_card *c = out;
    card_row(s, st, arena, out);
    c->views = C_I64(st, 15);
}

/* Run Q, bound as (edition, channel, limit, offset) or (edition, limit),
 * into cards. */
static int cards(struct store *s, struct arena *arena, enum store_query q, struct str edition,
                 struct str channel, int64_t a, int64_t b, store_row_fn *row,
                 struct article_card **out, size_t *n)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, q, &st);
    if (rc)
        return rc;
    B_STR(st, 1, edition);
    if (q == Q_CARDS_MOST_READ) {
        B_I64(st, 2, a);
    } else {
        B_STR(st, 2, channel);
        B_I64(st, 3, a);
        B_I64(st, 4, b);
    }
    return store_collect(s, st, row, arena, sizeof(**out), (void **)out, n);
}

int store_cards_latest(struct store *s, struct arena *arena, struct str edition,
                       struct str channel, int64_t offset, int limit, struct article_card **out,
                       size_t *n)
{
    if (offset < 0 || limit <= 0)
        return MH_INVAL;
    return cards(s, arena, channel.len ? Q_CARDS_LATEST_CHANNEL : Q_CARDS_LATEST, edition,
                 channel, limit, offset, card_row, out, n);
}

int store_cards_count(struct store *s, struct str edition, struct str channel, int64_t *out)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, channel.len ? Q_CARDS_COUNT_CHANNEL : Q_CARDS_COUNT, &st);
    if (rc)
        return rc;
    B_STR(st, 1, edition);
    if (channel.len)
        B_STR(st, 2, channel);
    rc = STEP1(st);
    if (rc == MH_OK)
        *out = C_I64(st, 0);
    DONE(st);
    return rc;
}

int store_cards_most_read(struct store *s, struct arena *arena, struct str edition, int limit,
                          struct article_card **out, size_t *n)
{
    if (limit <= 0)
        return MH_INVAL;
    return cards(s, arena, Q_CARDS_MOST_READ, edition, STR_NULL, limit, 0, card_views_row, out,
                 n);
}

int store_rankings_refresh(struct store *s, int64_t since_hour, int per_edition)
{
    static const enum store_query steps[] = {Q_RANKING_CLEAR, Q_RANKING_FILL};
    struct store_stmt *st;
    int rc = store_begin(s);
    for (size_t i = 0; rc == MH_OK && i < MH_ARRAY_LEN(steps); i++) {
        if ((rc = stmt_prepare(s, steps[i], &st)) != MH_OK)
            break;
        if (steps[i] == Q_RANKING_FILL) {
            B_I64(st, 1, since_hour);
            B_I64(st, 2, per_edition);
        }
        rc = STEP(st);
        DONE(st);
        rc = rc == STORE_DONE ? MH_OK : rc;
    }
    if (rc) {
        store_rollback(s);
        return rc;
    }
    return store_commit(s);
}

int store_card_get(struct store *s, struct arena *arena, int64_t id, struct article_card *out)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_CARD_GET, &st);
    if (rc)
        return rc;
    B_I64(st, 1, id);
    memset(out, 0, sizeof(*out));
    rc = STEP1(st);
    if (rc == MH_OK)
        card_row(s, st, arena, out);
    DONE(st);
    return rc;
}

/* Related articles are found among the newest RELATED_PER_KEYWORD holders
 * of each keyword (one index range each, whatever the archive's size); the
 * RELATED_READ sharing the most keywords (the newer first among equals) are
 * read, and the published ones of the edition ranked. */
#define RELATED_PER_KEYWORD 100
#define RELATED_READ 12
#define RELATED_KEYWORDS 32

struct related {
    int64_t id;
    int shared;
    bool same_channel;
    struct article_card card;
};

static int cmp_candidate(const void *a, const void *b)
{
    const struct related *x = a, *y = b;
    if (x->shared != y->shared)
        return x->shared > y->shared ? -1 : 1;
    return x->id > y->id ? -1 : x->id < y->id;
}

static int cmp_related(const void *a, const void *b)
{
    const struct related *x = a, *y = b;
    if (x->shared != y->shared)
        return x->shared > y->shared ? -1 : 1;
    if (x->same_channel != y->same_channel)
        return x->same_channel ? -1 : 1;
    if (x->card.published_at != y->card.published_at)
        return x->card.published_at > y->card.published_at ? -1 : 1;
    return x->id > y->id ? -1 : x->id < y->id;
}

int store_cards_related(struct store *s, struct arena *arena, int64_t id, struct str edition,
                        int64_t channel_id, int limit, struct article_card **out, size_t *n)
{
    struct store_stmt *st;
    struct str kw[RELATED_KEYWORDS];
    size_t n_kw = 0, n_cand = 0;
    *out = NULL;
    *n = 0;
    if (limit <= 0)
        return MH_INVAL;
    int rc = stmt_prepare(s, Q_RELATED_KEYWORDS, &st);
    if (rc)
        return rc;
    B_I64(st, 1, id);
    while (n_kw < RELATED_KEYWORDS && (rc = STEP(st)) == MH_OK)
        kw[n_kw++] = C_STR(st, 0);
    DONE(st);
    if (rc != MH_OK && rc != STORE_DONE)
        return rc;

    /* candidates: every holder of each keyword, then one per id with the
     * number of keywords it shares */
    struct related *cand = arena_alloc(arena, (n_kw * RELATED_PER_KEYWORD + 1) * sizeof(*cand));
    for (size_t k = 0; k < n_kw; k++) {
        if ((rc = stmt_prepare(s, Q_RELATED_HOLDERS, &st)) != MH_OK)
            return rc;
        B_STR(st, 1, kw[k]);
        B_I64(st, 2, id);
        B_I64(st, 3, RELATED_PER_KEYWORD);
        while ((rc = STEP(st)) == MH_OK) {
            memset(&cand[n_cand], 0, sizeof(cand[n_cand]));
            cand[n_cand++].id = C_I64(st, 0);
        }
        DONE(st);
        if (rc != STORE_DONE)
            return rc;
    }
    qsort(cand, n_cand, sizeof(*cand), cmp_candidate); /* by id, as all share 0 */
    size_t runs = 0;
    for (size_t i = 0; i < n_cand; i++) {
        if (runs && cand[runs - 1].id == cand[i].id) {
            cand[runs - 1].shared++;
            continue;
        }
        cand[runs] = cand[i];
        cand[runs++].shared = 1;
    }
    n_cand = runs;
    qsort(cand, n_cand, sizeof(*cand), cmp_candidate);

    /* read the best of them; keep the published articles of EDITION */
    size_t kept = 0;
    for (size_t i = 0; i < n_cand && i < RELATED_READ; i++) {
        if ((rc = stmt_prepare(s, Q_RELATED_CARD, &st)) != MH_OK)
            return rc;
        B_I64(st, 1, cand[i].id);
        B_I64(st, 2, channel_id);
        B_STR(st, 3, edition);
        rc = STEP(st);
        if (rc == MH_OK) {
            struct related r = cand[i];
            card_row(s, st, arena, &r.card);
            r.same_channel = C_I64(st, 15) != 0;
            cand[kept++] = r;
        }
        DONE(st);
        if (rc != MH_OK && rc != STORE_DONE)
            return rc;
    }
    qsort(cand, kept, sizeof(*cand), cmp_related);
    if (kept > (size_t)limit)
        kept = (size_t)limit;
    *out = arena_alloc(arena, (kept ? kept : 1) * sizeof(**out));
    for (size_t i = 0; i < kept; i++)
        (*out)[i] = cand[i].card;
    *n = kept;
    return MH_OK;
}

int store_cards_translations(struct store *s, struct arena *arena, int64_t id,
                             int64_t translation_of, struct article_card **out, size_t *n)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_CARDS_TRANSLATIONS, &st);
    if (rc)
        return rc;
    B_I64(st, 1, id);
    B_I64(st, 2, translation_of);
    return store_collect(s, st, card_row, arena, sizeof(**out), (void **)out, n);
}

bool store_keyword_key(struct str k, char *out, size_t cap)
{
    if (k.len == 0 || k.len > cap || k.len > MH_MAX_FIELD)
        return false;
    for (size_t j = 0; j < k.len; j++)
        out[j] = k.ptr[j] >= 'A' && k.ptr[j] <= 'Z' ? (char)(k.ptr[j] + 32) : k.ptr[j];
    return true;
}

int store_keyword_holders(struct store *s, struct arena *arena, struct str keyword,
                          int64_t **out, size_t *n)
{
    struct store_stmt *st;
    char low[MH_MAX_FIELD];
    size_t cap = 64;
    *out = NULL;
    *n = 0;
    if (!store_keyword_key(keyword, low, sizeof(low)))
        return MH_OK; /* never written to the index */
    int rc = stmt_prepare(s, Q_RELATED_HOLDERS, &st);
    if (rc)
        return rc;
    B_STR(st, 1, str_make(low, keyword.len));
    B_I64(st, 2, 0);
    B_I64(st, 3, -1); /* no limit */
    int64_t *ids = arena_alloc(arena, cap * sizeof(*ids));
    while ((rc = STEP(st)) == MH_OK) {
        if (*n == cap) {
            int64_t *more = arena_alloc(arena, 2 * cap * sizeof(*more));
            memcpy(more, ids, cap * sizeof(*ids));
            ids = more;
            cap *= 2;
        }
        ids[(*n)++] = C_I64(st, 0);
    }
    DONE(st);
    *out = ids;
    return rc == STORE_DONE ? MH_OK : rc;
}

int store_article_keywords(struct store *s, struct arena *arena, int64_t id, struct str **out,
                           size_t *n)
{
    struct store_stmt *st;
    struct str *kw = arena_alloc(arena, MH_MAX_LIST * sizeof(*kw));
    *out = kw;
    *n = 0;
    int rc = stmt_prepare(s, Q_RELATED_KEYWORDS, &st);
    if (rc)
        return rc;
    B_I64(st, 1, id);
    while (*n < MH_MAX_LIST && (rc = STEP(st)) == MH_OK)
        kw[(*n)++] = arena_str(arena, C_STR(st, 0));
    DONE(st);
    return rc == MH_OK || rc == STORE_DONE ? MH_OK : rc;
}
