/* SPDX-License-Identifier: MIT */
/*
 * redirect.c - old addresses of imported articles and the article each one
 * now names.  The importer fills the table; the reader site asks it only
 * for a path that would otherwise be a 404, and builds the new address from
 * the article itself, so the redirect follows the article wherever it is.
 */
#include "core/compat.h"

#include "core/clock.h"
#include "core/err.h"
#include "store/store_int.h"

int store_redirect_put(struct store *s, struct str path, int64_t article_id)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_REDIRECT_PUT, &st);
    if (rc)
        return rc;
    B_STR(st, 1, path);
    B_I64(st, 2, article_id);
    B_I64(st, 3, clock_now_ms());
    rc = STEP(st);
    DONE(st);
    return rc == STORE_DONE ? MH_OK : rc;
}

int store_redirect_get(struct store *s, struct str path, int64_t *article_id)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_REDIRECT_GET, &st);
    if (rc)
        return rc;
    B_STR(st, 1, path);
    rc = STEP1(st);
    if (rc == MH_OK)
        *article_id = C_I64(st, 0);
    DONE(st);
    return rc;
}
