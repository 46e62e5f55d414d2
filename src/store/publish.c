/* SPDX-License-Identifier: MIT */
/*
 * publish.c - what the static publisher asks of the store beyond the reader
 * site's lists: where an article stands in its channel's pages, so that an
 * edit re-renders the one channel page that shows it.
 */
#include "core/compat.h"

#include "core/err.h"
#include "store/store_int.h"

int store_card_position(struct store *s, int64_t id, int64_t *out)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_CARD_POSITION, &st);
    if (rc)
        return rc;
    B_I64(st, 1, id);
    rc = STEP1(st);
    if (rc == MH_OK)
        *out = C_I64(st, 0);
    DONE(st);
    return rc;
}
