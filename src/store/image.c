/* SPDX-License-Identifier: MIT */
/*
 * image.c - the store's half of the images (issue 4): finding media rows for
 * the newsroom's library, editing what is said about an image, and the rows
 * of the derivative files the media module makes (which ones exist, which
 * images still need them).  The files themselves are the media module's.
 */
#include "core/compat.h"

#include "core/arena.h"
#include "core/clock.h"
#include "core/err.h"
#include "store/store_int.h"


int store_media_get(struct store *s, struct arena *arena, int64_t id, struct media *out)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_MEDIA_GET, &st);
    if (rc)
        return rc;
    B_I64(st, 1, id);
    rc = STEP1(st);
    if (rc == MH_OK) {
        memset(out, 0, sizeof(*out));
        store_media_row(s, st, arena, out);
    }
    DONE(st);
    return rc;
}

int store_media_set_meta(struct store *s, const struct media *m)
{
    struct store_stmt *st;
    struct media old;
    struct arena a;
    arena_init(&a, 1024);
    int rc = store_begin(s);
    if (rc == MH_OK)
        rc = store_media_get(s, &a, m->id, &old);
    if (rc == MH_OK)
        rc = stmt_prepare(s, Q_MEDIA_SET_META, &st);
    if (rc == MH_OK) {
        B_I64(st, 1, m->id);
        B_STR(st, 2, m->caption);
        B_STR(st, 3, m->credit);
        B_STR(st, 4, m->alt);
        s->ops->bind_double(st, 5, m->focal_x);
        s->ops->bind_double(st, 6, m->focal_y);
        rc = STEP(st);
        DONE(st);
        if (rc == STORE_DONE)
            rc = MH_OK;
    }
    /* crops follow the focal point: make them again */
    if (rc == MH_OK && (old.focal_x != m->focal_x || old.focal_y != m->focal_y)) {
        rc = stmt_prepare(s, Q_IMAGE_UNDONE, &st);
        if (rc == MH_OK) {
            B_I64(st, 1, m->id);
            rc = STEP(st);
            DONE(st);
            if (rc == STORE_DONE)
                rc = MH_OK;
        }
    }
    if (rc == MH_OK)
        rc = store_commit(s);
    else
        store_rollback(s);
    arena_release(&a);
    return rc;
}

static void bind_find(struct store *s, struct store_stmt *st, const struct media_query *q)
{
    B_STR(st, 1, q->text.ptr ? q->text : STR_LIT(""));
    B_I64(st, 2, q->from);
    B_I64(st, 3, q->until > 0 ? q->until : INT64_MAX);
}

int store_media_find(struct store *s, struct arena *arena, const struct media_query *q,
                     struct media **out, size_t *n, int64_t *total)
{
    struct store_stmt *st;
    if (q->limit < 1 || q->limit > 200 || q->offset < 0)
        return MH_INVAL;
    int rc = stmt_prepare(s, Q_MEDIA_FIND_COUNT, &st);
    if (rc)
        return rc;
    bind_find(s, st, q);
    rc = STEP1(st);
    if (rc == MH_OK)
        *total = C_I64(st, 0);
    DONE(st);
    if (rc == MH_OK)
        rc = stmt_prepare(s, Q_MEDIA_FIND, &st);
    if (rc)
        return rc;
    bind_find(s, st, q);
    B_I64(st, 4, q->limit);
    B_I64(st, 5, q->offset);
    return store_collect(s, st, store_media_row, arena, sizeof(**out), (void **)out, n);
}

int store_media_pending(struct store *s, struct arena *arena, struct str spec, int64_t after_id,
                        int limit, struct media **out, size_t *n)
{
    struct store_stmt *st;
    if (limit < 1)
        return MH_INVAL;
    int rc = stmt_prepare(s, Q_MEDIA_PENDING, &st);
    if (rc)
        return rc;
    B_STR(st, 1, spec);
    B_I64(st, 2, after_id);
    B_I64(st, 3, limit);
    return store_collect(s, st, store_media_row, arena, sizeof(**out), (void **)out, n);
}

static int run(struct store *s, struct store_stmt *st)
{
    int rc = STEP(st);
    DONE(st);
    return rc == STORE_DONE ? MH_OK : rc;
}

int store_derivatives_put(struct store *s, int64_t media_id, struct str spec,
                          const struct image_derivative *d, size_t n, struct str error)
{
    struct store_stmt *st;
    int64_t now = clock_now_ms();
    int rc = store_begin(s);
    if (rc)
        return rc;
    rc = stmt_prepare(s, Q_DERIV_DELETE, &st);
    if (rc == MH_OK) {
        B_I64(st, 1, media_id);
        rc = run(s, st);
    }
    for (size_t i = 0; rc == MH_OK && i < n; i++) {
        rc = stmt_prepare(s, Q_DERIV_INSERT, &st);
        if (rc)
            break;
        B_I64(st, 1, media_id);
        B_STR(st, 2, d[i].variant);
        B_I64(st, 3, d[i].width);
        B_I64(st, 4, d[i].height);
        B_STR(st, 5, d[i].format);
        B_I64(st, 6, d[i].crop_x);
        B_I64(st, 7, d[i].crop_y);
        B_I64(st, 8, d[i].crop_w);
        B_I64(st, 9, d[i].crop_h);
        B_STR(st, 10, d[i].path);
        B_I64(st, 11, d[i].bytes);
        B_I64(st, 12, now);
        rc = run(s, st);
    }
    /* the rows are this list's now: any other list must make its own again */
    if (rc == MH_OK)
        rc = stmt_prepare(s, Q_IMAGE_UNDONE, &st);
    if (rc == MH_OK) {
        B_I64(st, 1, media_id);
        rc = run(s, st);
    }
    if (rc == MH_OK)
        rc = stmt_prepare(s, Q_IMAGE_DONE, &st);
    if (rc == MH_OK) {
        B_I64(st, 1, media_id);
        B_STR(st, 2, spec);
        B_STR(st, 3, error.ptr ? error : STR_LIT(""));
        B_I64(st, 4, now);
        rc = run(s, st);
    }
    if (rc == MH_OK)
        rc = store_commit(s);
    else
        store_rollback(s);
    return rc;
}

static void deriv_row(struct store *s, struct store_stmt *st, struct arena *arena, void *out)
{
    struct image_derivative *d = out;
    d->media_id = C_I64(st, 0);
    d->variant = C_STR(st, 1);
    d->width = (int)C_I64(st, 2);
    d->height = (int)C_I64(st, 3);
    d->format = C_STR(st, 4);
    d->crop_x = (int)C_I64(st, 5);
    d->crop_y = (int)C_I64(st, 6);
    d->crop_w = (int)C_I64(st, 7);
    d->crop_h = (int)C_I64(st, 8);
    d->path = C_STR(st, 9);
    d->bytes = C_I64(st, 10);
}

int store_derivatives_get(struct store *s, struct arena *arena, int64_t media_id,
                          struct image_derivative **out, size_t *n)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_DERIV_GET, &st);
    if (rc)
        return rc;
    B_I64(st, 1, media_id);
    return store_collect(s, st, deriv_row, arena, sizeof(**out), (void **)out, n);
}
