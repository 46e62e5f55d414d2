/* SPDX-License-Identifier: MIT */
/*
 * newsroom_int.h - inside newsroom/ only: the helpers its files share
 * (refusals with a message, the audit entry of an operation).
 */
#ifndef MH_NEWSROOM_NEWSROOM_INT_H
#define MH_NEWSROOM_NEWSROOM_INT_H

#include "core/compat.h"
#include "newsroom/newsroom.h"

/* Set NR's message (printf-style) and field, and return RC. */
int nr_refuse(struct newsroom_ctx *nr, int rc, const char *field, const char *fmt, ...)
    MH_PRINTF(4, 5);

#endif
