/* SPDX-License-Identifier: MIT */
/*
 * search_sqlite.h - inside store/ only: what the SQLite backend sets up on
 * every connection for search (search_sqlite.c).
 */
#ifndef MH_STORE_SEARCH_SQLITE_H
#define MH_STORE_SEARCH_SQLITE_H

#include "core/compat.h"

#include <sqlite3.h>

/* Register the FTS5 tokenizer "masthead" (search/tokenize.c) and the
 * ranking function mh_bm25() on DB.  MH_OK or MH_DB. */
MH_MUST_CHECK int store_sqlite_search_init(sqlite3 *db);

struct store;
struct store_stmt;
/* The connection of S, the statement of ST (store_sqlite.c). */
sqlite3 *store_sqlite_db(struct store *s);
sqlite3_stmt *store_sqlite_stmt(struct store_stmt *st);

#endif
