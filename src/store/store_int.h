/* SPDX-License-Identifier: MIT */
/*
 * store_int.h - inside store/ only: the backend table and the prepared
 * statement interface the portable store code (article.c, site.c, ...) is
 * written against.  A backend supplies struct store_ops and the SQL text of
 * every enum store_query; the portable code never sees a backend type.
 */
#ifndef MH_STORE_STORE_INT_H
#define MH_STORE_STORE_INT_H

#include "core/compat.h"
#include "core/str.h"
#include "store/store.h"

/* Every statement the store runs, named; SQL text lives in the backend. */
enum store_query {
    Q_BEGIN,
    Q_BEGIN_READ,
    Q_COMMIT,
    Q_ROLLBACK,
    Q_SAVEPOINT,
    Q_RELEASE,
    Q_ROLLBACK_TO,
    Q_EDITION_PUT,
    Q_EDITION_GET,
    Q_EDITIONS,
    Q_CHANNEL_FIND,
    Q_CHANNEL_INSERT,
    Q_CHANNEL_UPDATE,
    Q_CHANNEL_GET,
    Q_CHANNELS,
    Q_ARTICLE_INSERT,
    Q_ARTICLE_UPDATE,
    Q_ARTICLE_GET,
    Q_ARTICLE_HASH,
    Q_ARTICLE_REVISION_SAVE,
    Q_ARTICLE_MEDIA_INSERT,
    Q_ARTICLE_MEDIA_DELETE,
    Q_ARTICLE_MEDIA_GET,
    Q_ARTICLE_ALL,
    Q_ARTICLE_BY_EDITION,
    Q_ARTICLE_COUNT_ALL,
    Q_ARTICLE_COUNT_EDITION,
    Q_CARDS_LATEST,
    Q_CARDS_LATEST_CHANNEL,
    Q_CARDS_COUNT,
    Q_CARDS_COUNT_CHANNEL,
    Q_CARDS_MOST_READ,
    Q_CARD_GET,
    Q_MEDIA_BY_SHA,
    Q_MEDIA_INSERT,
    Q_MEDIA_ALL,
    Q_USER_ADD,
    Q_USER_GET,
    Q_USER_SET_PASSWORD,
    Q_USERS,
    Q_LINK_GROUP_FIND,
    Q_LINK_GROUP_INSERT,
    Q_LINK_GROUP_UPDATE,
    Q_LINK_DELETE,
    Q_LINK_INSERT,
    Q_LINK_GROUPS,
    Q_LINKS,
    Q_CURATION_DELETE,
    Q_CURATION_INSERT,
    Q_CURATION_GET,
    Q_PAGEVIEW_ADD,
    Q_PAGEVIEW_TOTAL,
    Q_AUDIT_ADD,
    Q_CHECK_CHANNEL_EDITION,
    Q_CHECK_PUBLISHED_DATES,
    Q_CHECK_LEAD_IMAGE,
    Q_CHECK_DEFAULT_EDITION,
    Q_CHECK_CHANNEL_PARENT,

    /* change log and translations (reader site, issue 3) */
    Q_CHANGE_SEQ,
    Q_CHANGES_SINCE,
    Q_CHANGES_PRUNE,
    Q_KEYWORDS_DELETE,
    Q_KEYWORD_INSERT,
    Q_ARTICLE_SET_TRANSLATION,
    Q_RELATED_KEYWORDS,
    Q_RELATED_HOLDERS,
    Q_RELATED_CARD,
    Q_CARDS_TRANSLATIONS,
    Q_RANKING_CLEAR,
    Q_RANKING_FILL,

    /* newsroom: sessions, workflow, locks, tokens (issue 4) */
    Q_NR_ARTICLE_STATE,
    Q_NR_ARTICLE_SAVED,
    Q_NR_ARTICLE_OWNER_SET,
    Q_NR_ARTICLE_STATUS,
    Q_NR_ARTICLE_DELETE,
    Q_NR_ARTICLE_LIST,
    Q_NR_ARTICLE_LIST_COUNT,
    Q_NR_USER_BY_ID,
    Q_NR_USER_SET_ROLE,
    Q_NR_USER_SET_DISABLED,
    Q_NR_SESSION_ADD,
    Q_NR_SESSION_GET,
    Q_NR_SESSION_TOUCH,
    Q_NR_SESSION_DELETE,
    Q_NR_SESSION_DELETE_USER,
    Q_NR_SESSION_PURGE,
    Q_NR_FAIL_ADD,
    Q_NR_FAIL_COUNT,
    Q_NR_FAIL_CLEAR,
    Q_NR_FAIL_PURGE,
    Q_NR_LOCK_GET,
    Q_NR_LOCK_PUT,
    Q_NR_LOCK_DELETE,
    Q_NR_AUTOSAVE_PUT,
    Q_NR_AUTOSAVE_GET,
    Q_NR_AUTOSAVE_DELETE,
    Q_NR_REVISIONS,
    Q_NR_REVISION_GET,
    Q_NR_MEDIA_BY_ID,
    Q_NR_SCHEDULED_DUE,
    Q_NR_SCHEDULED_NEXT,
    Q_NR_AUDIT_LIST,
    Q_NR_AUDIT_BY_OBJECT,
    Q_NR_CHANNEL_POSITION,
    /* (JSON API tokens, issue 6: token.c) */
    Q_TOKEN_ADD,
    Q_TOKEN_FIND,
    Q_TOKEN_TOUCH,
    Q_TOKENS,
    Q_TOKEN_REVOKE,
    Q_TOKEN_REVOKE_USER,

    /* search (issue 5) */
    Q_SEARCH_SCAN,
    Q_SEARCH_BY_DATE,
    Q_SEARCH_COUNT,
    Q_SEARCH_COUNT_UP,
    Q_SEARCH_RANGE,
    Q_SEARCH_SPAN,
    Q_SEARCH_DF,
    Q_SEARCH_DOCS,
    Q_SEARCH_HIT,
    Q_SEARCH_CLEAR_FTS,
    Q_SEARCH_CLEAR_DOC,
    Q_SEARCH_FILL_DOC,
    Q_SEARCH_FILL_FTS,
    Q_SEARCH_OPTIMIZE,
    Q_SEARCH_PENDING_ANY,
    Q_SEARCH_PENDING_NEXT,
    Q_SEARCH_PENDING_CLEAR,
    Q_SEARCH_FTS_DELETE,
    Q_SEARCH_DOC_DELETE,
    Q_SEARCH_DOC_ADD,
    Q_SEARCH_FTS_ADD,
    Q_SEARCH_EDITIONS,

    /* distribution: feeds, push queue, publish state (issue 6) */
    Q_SITEMAP_MONTHS,
    Q_SITEMAP_URLS,
    Q_PUSH_PENDING,
    Q_PUSH_DONE,
    Q_PUSH_PRUNE,
    Q_PUSH_COUNT,

    /* imports: redirects (issue 6) */
    Q_REDIRECT_PUT,
    Q_REDIRECT_GET,

    /* images: derivatives (issue 4) */
    Q_MEDIA_GET,
    Q_MEDIA_SET_META,
    Q_MEDIA_FIND,
    Q_MEDIA_FIND_COUNT,
    Q_MEDIA_PENDING,
    Q_DERIV_DELETE,
    Q_DERIV_INSERT,
    Q_DERIV_GET,
    Q_IMAGE_DONE,
    Q_IMAGE_UNDONE,

    Q_COUNT
};

/* What step() returns after the last row: not an enum mh_err, so that it
 * never leaks out of store/. */
#define STORE_DONE (-1)

struct store_stmt;
struct buf;
struct arena;

struct store_ops {
    const char *name; /* "sqlite" */
    int (*open)(struct store *s, const char *path, bool create, bool readonly, char *errbuf,
                size_t errlen);
    void (*close)(struct store *s);
    /* Run SQL text with no parameters and no result (migrations only). */
    int (*exec)(struct store *s, const char *sql);
    /* The cached statement for Q, reset and with bindings cleared. */
    int (*prepare)(struct store *s, enum store_query q, struct store_stmt **out);
    void (*bind_i64)(struct store_stmt *st, int i, int64_t v);
    void (*bind_double)(struct store_stmt *st, int i, double v);
    void (*bind_str)(struct store_stmt *st, int i, struct str v);
    void (*bind_blob)(struct store_stmt *st, int i, const void *p, size_t len);
    void (*bind_null)(struct store_stmt *st, int i);
    /* MH_OK: a row is ready; STORE_DONE: no more rows; else an error
     * (logged): a missing referenced row (foreign key) is MH_NOTFOUND, a
     * duplicate key MH_CONFLICT, a full or read-only disk MH_IO. */
    int (*step)(struct store_stmt *st);
    int64_t (*col_i64)(struct store_stmt *st, int i);
    double (*col_double)(struct store_stmt *st, int i);
    /* Borrowed until the next step or reset. */
    struct str (*col_str)(struct store_stmt *st, int i);
    bool (*col_null)(struct store_stmt *st, int i);
    /* Finish with the statement; it goes back to the cache. */
    void (*reset)(struct store_stmt *st);
    int (*schema_version)(struct store *s, int *out);
    int (*data_version)(struct store *s, int64_t *out);
    int (*set_schema_version)(struct store *s, int v);
    /* Backend-specific checks (SQLite: integrity_check, foreign_key_check). */
    int (*check)(struct store *s, store_problem_fn *fn, void *ctx, int *problems);
    const char *(*errmsg)(struct store *s);
};

extern const struct store_ops store_sqlite_ops;

struct store {
    const struct store_ops *ops;
    void *backend;     /* the backend's own state */
    int tx_depth;      /* store_begin nesting: the outermost is a transaction, inner ones savepoints */
    struct arena *scratch; /* for walks (store_article_each) */
    char errmsg[256];      /* the reason of a failed commit, kept past the rollback */
    struct channel_cache *channels; /* (edition, slug) -> id; emptied by store_channel_put */
};

/* Shorthands for the portable code. */
static inline int stmt_prepare(struct store *s, enum store_query q, struct store_stmt **out)
{
    return s->ops->prepare(s, q, out);
}

/* Binding and reading through the backend; 0 times bind as NULL. */
#define B_I64(st, i, v) s->ops->bind_i64((st), (i), (v))
#define B_STR(st, i, v) s->ops->bind_str((st), (i), (v))
#define B_TIME(st, i, v) ((v) ? s->ops->bind_i64((st), (i), (v)) : s->ops->bind_null((st), (i)))
#define C_I64(st, i) s->ops->col_i64((st), (i))
#define C_STR(st, i) arena_str(arena, s->ops->col_str((st), (i)))
#define STEP(st) s->ops->step(st)
/* For lookups of one row: no row is MH_NOTFOUND. */
#define STEP1(st) store_step1(s, (st))
#define DONE(st) s->ops->reset(st)

static inline int store_step1(struct store *s, struct store_stmt *st)
{
    int rc = s->ops->step(st);
    return rc == STORE_DONE ? MH_NOTFOUND : rc;
}

/* A media row of MEDIA_COLS (store_sqlite.c) into OUT, a struct media. */
void store_media_row(struct store *s, struct store_stmt *st, struct arena *arena, void *out);
/* Columns 2..12 of an article, revision or autosave row: channel, title,
 * subtitle, kicker, authors, editor, source, keywords, abstract, body,
 * body_format (the order ARTICLE_COLS and the revision queries share). */
void store_article_text_row(struct store *s, struct store_stmt *st, struct arena *arena,
                            struct article *a);

/* Read the current row of ST into OUT (an element of the caller's type);
 * strings go into ARENA. */
typedef void store_row_fn(struct store *s, struct store_stmt *st, struct arena *arena,
                          void *out);
/* Run Q with text parameters KEYS[0..N_KEYS) and read its one row into OUT:
 * MH_NOTFOUND when there is none. */
MH_MUST_CHECK int store_query_one(struct store *s, enum store_query q, const struct str *keys,
                                  size_t n_keys, store_row_fn *row, struct arena *arena,
                                  void *out);
/* Step ST (prepared and bound by the caller) to its end, reading every row
 * with ROW into an array of SIZE-byte elements in ARENA (zeroed first), and
 * finish with it. */
MH_MUST_CHECK int store_collect(struct store *s, struct store_stmt *st, store_row_fn *row,
                                struct arena *arena, size_t size, void **out, size_t *n);
/* The same for every row, into an array of SIZE-byte elements in ARENA
 * (zeroed before ROW fills them). */
MH_MUST_CHECK int store_query_all(struct store *s, enum store_query q, const struct str *keys,
                                  size_t n_keys, store_row_fn *row, struct arena *arena,
                                  size_t size, void **out, size_t *n);

/* Channel ids by (edition, slug), so an import does not ask per article.
 * In article.c. */
MH_MUST_CHECK int store_channel_id(struct store *s, struct str edition, struct str slug,
                                   int64_t *out);
void store_channel_cache_clear(struct store *s);

/* Bring the search index up to date with the changes its triggers noted
 * (search_pending), inside the open transaction.  store_commit() calls it
 * before the outermost COMMIT.  In search_sqlite.c. */
MH_MUST_CHECK int store_search_flush(struct store *s);

/* Apply the migrations the database lacks; refuse a newer one.  In migrate.c. */
MH_MUST_CHECK int store_migrate(struct store *s, char *errbuf, size_t errlen);

/* Join/split newline-joined lists (authors, keywords).  Split copies into ARENA. */
void store_list_join(struct buf *out, const struct str *items, size_t n);
void store_list_split(struct arena *arena, struct str joined, struct str **items, size_t *n);

#endif
