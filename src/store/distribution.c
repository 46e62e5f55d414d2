/* SPDX-License-Identifier: MIT */
/*
 * distribution.c - what the feeds, sitemaps and the search-engine push need
 * from the database: months of published articles and their URL parts, and
 * the push queue that triggers on article fill (migrations/005_push.sql).
 * Turning rows into XML or HTTP requests is feed/'s job.
 */
#include "core/compat.h"

#include "core/arena.h"
#include "core/err.h"
#include "model/date.h"
#include "store/store_int.h"

/* A row of Q_SITEMAP_MONTHS is one day of an edition; its month in YEAR, MONTH. */
static void day_row(struct store *s, struct store_stmt *st, struct arena *arena, void *out)
{
    struct sitemap_month *m = out;
    int d;
    m->edition = C_STR(st, 0);
    date_civil_from_days(C_I64(st, 1), &m->year, &m->month, &d);
    m->count = C_I64(st, 2);
    m->lastmod = C_I64(st, 3);
}

int store_sitemap_months(struct store *s, struct arena *arena, struct sitemap_month **out,
                         size_t *n)
{
    struct sitemap_month *days;
    size_t nd, k = 0;
    int rc = store_query_all(s, Q_SITEMAP_MONTHS, NULL, 0, day_row, arena, sizeof(*days),
                             (void **)&days, &nd);
    if (rc)
        return rc;
    for (size_t i = 0; i < nd; i++) { /* fold the days of a month, in place */
        struct sitemap_month *m = k ? &days[k - 1] : NULL;
        if (m && str_eq(m->edition, days[i].edition) && m->year == days[i].year &&
            m->month == days[i].month) {
            m->count += days[i].count;
            if (days[i].lastmod > m->lastmod)
                m->lastmod = days[i].lastmod;
        } else {
            days[k++] = days[i];
        }
    }
    *out = days;
    *n = k;
    return MH_OK;
}

static void url_row(struct store *s, struct store_stmt *st, struct arena *arena, void *out)
{
    struct sitemap_url *u = out;
    (void)arena;
    u->id = C_I64(st, 0);
    u->published_at = C_I64(st, 1);
    u->updated_at = C_I64(st, 2);
}

int store_sitemap_urls(struct store *s, struct arena *arena, struct str edition, int64_t from,
                       int64_t to, int64_t offset, int64_t limit, struct sitemap_url **out,
                       size_t *n)
{
    struct store_stmt *st;
    if (offset < 0 || limit <= 0)
        return MH_INVAL;
    int rc = stmt_prepare(s, Q_SITEMAP_URLS, &st);
    if (rc)
        return rc;
    B_STR(st, 1, edition);
    B_I64(st, 2, from);
    B_I64(st, 3, to);
    B_I64(st, 4, limit);
    B_I64(st, 5, offset);
    return store_collect(s, st, url_row, arena, sizeof(**out), (void **)out, n);
}

/* ------------------------------------------------------------------ */
/* The push queue                                                       */

static void push_row(struct store *s, struct store_stmt *st, struct arena *arena, void *out)
{
    struct push_item *p = out;
    p->id = C_I64(st, 0);
    p->article_id = C_I64(st, 1);
    p->published_at = C_I64(st, 2);
    p->edition = C_STR(st, 3);
    p->base_url = C_STR(st, 4);
    p->tz = C_STR(st, 5);
    p->reason = C_STR(st, 6);
}

int store_push_pending(struct store *s, struct arena *arena, int target, int limit,
                       struct push_item **out, size_t *n)
{
    struct store_stmt *st;
    if (limit <= 0 || target <= 0)
        return MH_INVAL;
    int rc = stmt_prepare(s, Q_PUSH_PENDING, &st);
    if (rc)
        return rc;
    B_I64(st, 1, target);
    B_I64(st, 2, limit);
    return store_collect(s, st, push_row, arena, sizeof(**out), (void **)out, n);
}

/* Run Q bound to (A, B), expecting no rows. */
static int exec2(struct store *s, enum store_query q, int64_t a, int64_t b, int nbind)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, q, &st);
    if (rc)
        return rc;
    B_I64(st, 1, a);
    if (nbind > 1)
        B_I64(st, 2, b);
    rc = STEP(st);
    DONE(st);
    return rc == STORE_DONE ? MH_OK : rc;
}

int store_push_done(struct store *s, int target, const int64_t *ids, size_t n, int enabled)
{
    int rc = store_begin(s);
    if (rc)
        return rc;
    for (size_t i = 0; rc == MH_OK && i < n; i++)
        rc = exec2(s, Q_PUSH_DONE, target, ids[i], 2);
    if (rc == MH_OK)
        rc = exec2(s, Q_PUSH_PRUNE, enabled, 0, 1);
    if (rc == MH_OK)
        return store_commit(s);
    store_rollback(s);
    return rc;
}

int store_push_count(struct store *s, int64_t *out)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_PUSH_COUNT, &st);
    if (rc)
        return rc;
    rc = STEP1(st);
    if (rc == MH_OK)
        *out = C_I64(st, 0);
    DONE(st);
    return rc;
}
