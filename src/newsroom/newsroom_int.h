/* SPDX-License-Identifier: MIT */
/*
 * newsroom_int.h - inside newsroom/ only: the helpers its files share
 * (refusals with a message, the audit entry of an operation).
 */
#ifndef MH_NEWSROOM_NEWSROOM_INT_H
#define MH_NEWSROOM_NEWSROOM_INT_H

#include "core/compat.h"
#include "newsroom/newsroom.h"

/* S, or "" when S has no bytes at all (STR_NULL): pointer arithmetic on
 * NULL is undefined even with a zero length. */
static inline struct str nr_nz(struct str s)
{
    return s.ptr ? s : STR_LIT("");
}

/* Set NR's message (printf-style) and field, and return RC. */
int nr_refuse(struct newsroom_ctx *nr, int rc, const char *field, const char *fmt, ...)
    MH_PRINTF(4, 5);

/* Append an audit entry for the actor of NR: ACTION on OBJECT, with a
 * printf-style DETAIL. */
MH_MUST_CHECK int nr_audit(struct newsroom_ctx *nr, const char *action, struct str object,
                           const char *fmt, ...) MH_PRINTF(4, 5);

/* "article:12" into BUF (at least 32 bytes). */
struct str nr_object(char *buf, size_t len, const char *kind, int64_t id);

/* The status, owner check and rule for ACTION on article ID: MH_OK, or a
 * refusal with its message.  A reporter asking for someone else's
 * unpublished article gets MH_NOTFOUND.  *STATUS / *REVISION may be NULL. */
MH_MUST_CHECK int nr_check_article(struct newsroom_ctx *nr, int64_t id,
                                   enum newsroom_action action, enum article_status *status,
                                   int *revision);

/* Validate the editable fields of A (MH_INVAL with field and message). */
MH_MUST_CHECK int nr_validate(struct newsroom_ctx *nr, const struct article *a);

/* Format epoch ms as "2026-11-29 17:35 UTC" into BUF. */
const char *nr_time(char *buf, size_t len, int64_t ms);

#endif
