/* SPDX-License-Identifier: MIT */
/*
 * ini.h - the parser for masthead.conf: "[section]" headers, "key = value"
 * lines, "#" or ";" comments, UTF-8 only.  It owns syntax, not meaning: each
 * pair goes to a callback that decides what the key means (store/site.c).
 */
#ifndef MH_CORE_INI_H
#define MH_CORE_INI_H

#include "core/compat.h"
#include "core/str.h"

/* Called once per key; SECTION is "" before the first header.  Return MH_OK
 * to go on, or an error (with a message in ERRBUF) to stop the parse. */
typedef int ini_pair_fn(void *ctx, struct str section, struct str key, struct str value,
                        char *errbuf, size_t errlen);

/* Parse TEXT.  On error returns MH_INVAL (or the callback's rc) with
 * "line N: reason" in ERRBUF. */
MH_MUST_CHECK int ini_parse(struct str text, ini_pair_fn *fn, void *ctx, char *errbuf,
                            size_t errlen);

#endif
