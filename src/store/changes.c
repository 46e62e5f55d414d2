/* SPDX-License-Identifier: MIT */
/*
 * changes.c - reading the change log that the triggers of
 * migrations/002_changes.sql write: what the reader site shows has changed,
 * in order, so the page cache and the static publisher redo only that.
 */
#include "core/compat.h"

#include "core/arena.h"
#include "core/err.h"
#include "store/store_int.h"

int store_change_seq(struct store *s, int64_t *out)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_CHANGE_SEQ, &st);
    if (rc)
        return rc;
    rc = STEP1(st);
    if (rc == MH_OK)
        *out = C_I64(st, 0);
    DONE(st);
    return rc;
}

static enum store_change_kind kind_of(struct str k)
{
    if (str_eq_c(k, "article"))
        return STORE_CHANGE_ARTICLE;
    if (str_eq_c(k, "chrome"))
        return STORE_CHANGE_CHROME;
    return STORE_CHANGE_SITE; /* the widest, for anything unknown */
}

int store_changes_since(struct store *s, int64_t after, int max, store_change_fn *fn, void *ctx,
                        int64_t *last)
{
    struct store_stmt *st;
    bool first = true;
    *last = after;
    int rc = stmt_prepare(s, Q_CHANGES_SINCE, &st);
    if (rc)
        return rc;
    B_I64(st, 1, after);
    B_I64(st, 2, max);
    while ((rc = STEP(st)) == MH_OK) {
        struct store_change c = {
            .seq = C_I64(st, 0),
            .at = C_I64(st, 1),
            .kind = kind_of(s->ops->col_str(st, 2)),
            .edition = s->ops->col_str(st, 3),
            .article_id = C_I64(st, 4),
            .channel_id = C_I64(st, 5),
        };
        /* seq has no holes (AUTOINCREMENT, rows only pruned from the old
         * end), so a first row past AFTER + 1 means some were pruned */
        if (first && c.seq != after + 1) {
            rc = MH_GONE;
            break;
        }
        first = false;
        if ((rc = fn(ctx, &c)) != MH_OK)
            break;
        *last = c.seq;
    }
    DONE(st);
    if (rc != STORE_DONE)
        return rc;
    if (first) { /* nothing after AFTER: fine unless everything was pruned */
        int64_t newest;
        if ((rc = store_change_seq(s, &newest)) != MH_OK)
            return rc;
        return newest > after ? MH_GONE : MH_OK;
    }
    return MH_OK;
}

int store_changes_prune(struct store *s, int64_t before)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_CHANGES_PRUNE, &st);
    if (rc)
        return rc;
    B_I64(st, 1, before);
    rc = STEP(st);
    DONE(st);
    return rc == STORE_DONE ? MH_OK : rc;
}
