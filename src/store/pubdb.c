/* SPDX-License-Identifier: MIT */
/*
 * pubdb.c - the static publisher's record of a folder (pubdb.h) in SQLite:
 *
 *     state(seq, at)                       the last complete run
 *     finger(edition, hash)                each edition's fingerprint
 *     page(id, file, hash, flags, article_id, channel, look, place,
 *          keywords, shows_sum, shows)     every file written; SHOWS is the
 *                                          page's linked articles, int64 LE
 *     shown(article_id, page)              the same links, by article
 *
 * A page's links are kept twice: as a blob in its row (so that replacing
 * them knows what to delete) and as rows of `shown` (so that "which pages
 * link article 42" is one index range).  The file is WAL, synchronous FULL:
 * a commit is durable, and it is the publisher's last step.
 */
#include "core/compat.h"

#include <sqlite3.h>

#include "core/err.h"
#include "store/pubdb.h"

#define PUBDB_STR_(x) #x
#define PUBDB_STR(x) PUBDB_STR_(x)
#define PUBDB_APPLICATION_ID 1296585552 /* "MH-P" */
#define PUBDB_VERSION 1

enum pq {
    PQ_STATE,
    PQ_SET_STATE,
    PQ_FINGERS,
    PQ_FINGERS_CLEAR,
    PQ_FINGER_PUT,
    PQ_PAGES,
    PQ_PAGE_GET,
    PQ_ARTICLE_PAGES,
    PQ_SHOWING,
    PQ_CHANNEL_PAGES,
    PQ_PAGES_UNDER,
    PQ_PAGE_OLD,
    PQ_PAGE_INSERT,
    PQ_PAGE_UPDATE,
    PQ_PAGE_SHOWS,
    PQ_PAGE_DELETE,
    PQ_SHOWN_ADD,
    PQ_SHOWN_DROP,
    PQ_BEGIN,
    PQ_COMMIT,
    PQ_ROLLBACK,
    PQ_COUNT
};

#define PAGE_COLS "file, hash, flags, article_id, channel, look, place, shows_sum, published_at"

static const char *const pq_sql[PQ_COUNT] = {
    [PQ_STATE] = "SELECT seq, at FROM state WHERE id = 1",
    [PQ_SET_STATE] = "INSERT OR REPLACE INTO state(id, seq, at) VALUES (1, ?1, ?2)",
    [PQ_FINGERS] = "SELECT edition, hash FROM finger",
    [PQ_FINGERS_CLEAR] = "DELETE FROM finger",
    [PQ_FINGER_PUT] = "INSERT OR REPLACE INTO finger(edition, hash) VALUES (?1, ?2)",
    [PQ_PAGES] = "SELECT " PAGE_COLS " FROM page",
    [PQ_PAGE_GET] = "SELECT " PAGE_COLS ", keywords FROM page WHERE file = ?1",
    [PQ_ARTICLE_PAGES] = "SELECT " PAGE_COLS ", keywords FROM page WHERE article_id = ?1",
    [PQ_SHOWING] = "SELECT " PAGE_COLS " FROM page WHERE id IN "
                   "(SELECT page FROM shown WHERE article_id = ?1)",
    [PQ_CHANNEL_PAGES] = "SELECT " PAGE_COLS " FROM page WHERE channel = ?2 "
                         "AND flags & ?3 <> 0 AND substr(file, 1, length(?1) + 1) = ?1 || '/'",
    [PQ_PAGES_UNDER] = "SELECT " PAGE_COLS " FROM page WHERE file >= ?1 AND file < ?2",
    [PQ_PAGE_OLD] = "SELECT id, shows FROM page WHERE file = ?1",
    [PQ_PAGE_INSERT] = "INSERT INTO page(file, hash, flags, article_id, channel, look, place, "
                       "keywords, published_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    [PQ_PAGE_UPDATE] = "UPDATE page SET hash = ?2, flags = ?3, article_id = ?4, channel = ?5, "
                       "look = ?6, place = ?7, keywords = ?8, published_at = ?9 WHERE id = ?1",
    [PQ_PAGE_SHOWS] = "UPDATE page SET shows_sum = ?2, shows = ?3 WHERE id = ?1",
    [PQ_PAGE_DELETE] = "DELETE FROM page WHERE id = ?1",
    [PQ_SHOWN_ADD] = "INSERT OR IGNORE INTO shown(article_id, page) VALUES (?1, ?2)",
    [PQ_SHOWN_DROP] = "DELETE FROM shown WHERE article_id = ?1 AND page = ?2",
    [PQ_BEGIN] = "BEGIN IMMEDIATE",
    [PQ_COMMIT] = "COMMIT",
    [PQ_ROLLBACK] = "ROLLBACK",
};

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS state(id INTEGER PRIMARY KEY CHECK (id = 1),"
    " seq INTEGER NOT NULL, at INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS finger(edition TEXT PRIMARY KEY, hash BLOB NOT NULL);"
    "CREATE TABLE IF NOT EXISTS page(id INTEGER PRIMARY KEY, file TEXT NOT NULL UNIQUE,"
    " hash BLOB NOT NULL, flags INTEGER NOT NULL, article_id INTEGER, channel TEXT,"
    " look BLOB, place BLOB, keywords TEXT, published_at INTEGER, shows_sum INTEGER NOT NULL DEFAULT 0, shows BLOB);"
    "CREATE INDEX IF NOT EXISTS page_article ON page(article_id) WHERE article_id IS NOT NULL;"
    "CREATE INDEX IF NOT EXISTS page_channel ON page(channel) WHERE channel IS NOT NULL;"
    "CREATE TABLE IF NOT EXISTS shown(article_id INTEGER NOT NULL, page INTEGER NOT NULL,"
    " PRIMARY KEY (article_id, page)) WITHOUT ROWID;";

struct pubdb {
    sqlite3 *db;
    sqlite3_stmt *st[PQ_COUNT];
};

const char *pubdb_errmsg(struct pubdb *db)
{
    return sqlite3_errmsg(db->db);
}

static int fail_open(struct pubdb *db, int rc, const char *path, const char *what, char *errbuf,
                     size_t errlen)
{
    if (rc == MH_INVAL)
        snprintf(errbuf, errlen, "'%s' is not a publish record (%s)", path,
                 sqlite3_errmsg(db->db));
    else
        snprintf(errbuf, errlen, "%s '%s': %s", what, path, sqlite3_errmsg(db->db));
    pubdb_close(db);
    return rc;
}

static int one_int(sqlite3 *db, const char *sql, int *out)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return MH_DB;
    int rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? MH_OK : MH_DB;
}

int pubdb_open(const char *path, struct pubdb **out, char *errbuf, size_t errlen)
{
    struct pubdb *db = mh_calloc(1, sizeof(*db));
    int appid = 0, version = 0, n = 0;
    *out = NULL;
    int rc = sqlite3_open_v2(path, &db->db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             NULL);
    if (rc != SQLITE_OK)
        return fail_open(db, MH_IO, path, "cannot open", errbuf, errlen);
    sqlite3_busy_timeout(db->db, 5000);
    /* the first read tells our record from any other file */
    if (one_int(db->db, "PRAGMA application_id", &appid) ||
        one_int(db->db, "PRAGMA user_version", &version) ||
        one_int(db->db, "SELECT count(*) FROM sqlite_schema", &n))
        return fail_open(db, MH_INVAL, path, NULL, errbuf, errlen);
    if ((n > 0 || appid) && (appid != PUBDB_APPLICATION_ID || version != PUBDB_VERSION)) {
        snprintf(errbuf, errlen, "'%s' is not a publish record of this version", path);
        pubdb_close(db);
        return MH_INVAL;
    }
    if (sqlite3_exec(db->db,
                     "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                     "PRAGMA cache_size = -32000;",
                     NULL, NULL, NULL) != SQLITE_OK)
        return fail_open(db, MH_IO, path, "cannot set up", errbuf, errlen);
    if (n == 0 && (sqlite3_exec(db->db, schema, NULL, NULL, NULL) != SQLITE_OK ||
                   sqlite3_exec(db->db,
                                "PRAGMA application_id = " PUBDB_STR(PUBDB_APPLICATION_ID) ";"
                                "PRAGMA user_version = " PUBDB_STR(PUBDB_VERSION) ";",
                                NULL, NULL, NULL) != SQLITE_OK))
        return fail_open(db, MH_IO, path, "cannot create", errbuf, errlen);
    for (int i = 0; i < PQ_COUNT; i++)
        if (sqlite3_prepare_v3(db->db, pq_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &db->st[i],
                               NULL) != SQLITE_OK)
            return fail_open(db, MH_INVAL, path, NULL, errbuf, errlen);
    *out = db;
    return MH_OK;
}

void pubdb_close(struct pubdb *db)
{
    if (db == NULL)
        return;
    for (int i = 0; i < PQ_COUNT; i++)
        sqlite3_finalize(db->st[i]);
    sqlite3_close(db->db);
    free(db);
}

/* The statement Q, reset and unbound. */
static sqlite3_stmt *q(struct pubdb *db, enum pq which)
{
    sqlite3_stmt *st = db->st[which];
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return st;
}

static void bind_str(sqlite3_stmt *st, int i, struct str s)
{
    if (s.ptr)
        sqlite3_bind_text(st, i, s.ptr, (int)s.len, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static void bind_hash(sqlite3_stmt *st, int i, const unsigned char h[PUBDB_HASH_LEN], bool set)
{
    if (set)
        sqlite3_bind_blob(st, i, h, PUBDB_HASH_LEN, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static struct str col_str(sqlite3_stmt *st, int i)
{
    const char *p = (const char *)sqlite3_column_text(st, i);
    return p ? str_make(p, (size_t)sqlite3_column_bytes(st, i)) : STR_NULL;
}

static void col_hash(sqlite3_stmt *st, int i, unsigned char out[PUBDB_HASH_LEN])
{
    if (sqlite3_column_bytes(st, i) == PUBDB_HASH_LEN)
        memcpy(out, sqlite3_column_blob(st, i), PUBDB_HASH_LEN);
    else
        memset(out, 0, PUBDB_HASH_LEN);
}

/* A row of PAGE_COLS (and keywords when WITH_KEYWORDS) into P; the strings
 * point into the statement until its next step. */
static void page_row(sqlite3_stmt *st, struct pubdb_page *p, bool with_keywords)
{
    memset(p, 0, sizeof(*p));
    p->file = col_str(st, 0);
    col_hash(st, 1, p->hash);
    p->flags = (unsigned)sqlite3_column_int64(st, 2);
    p->article_id = sqlite3_column_int64(st, 3);
    p->channel = col_str(st, 4);
    col_hash(st, 5, p->look);
    col_hash(st, 6, p->place);
    p->shows_sum = (uint64_t)sqlite3_column_int64(st, 7);
    p->published_at = sqlite3_column_int64(st, 8);
    if (with_keywords)
        p->keywords = col_str(st, 9);
}

static int step_done(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE || rc == SQLITE_ROW)
        return MH_OK;
    return (rc & 0xff) == SQLITE_FULL || (rc & 0xff) == SQLITE_IOERR ? MH_IO : MH_DB;
}

/* Every row of ST as a page, to FN. */
static int each_page(sqlite3_stmt *st, bool with_keywords, pubdb_page_fn *fn, void *ctx)
{
    int rc;
    struct pubdb_page p;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        page_row(st, &p, with_keywords);
        int frc = fn(ctx, &p);
        if (frc) {
            sqlite3_reset(st);
            return frc;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? MH_OK : MH_DB;
}

int pubdb_state(struct pubdb *db, int64_t *seq, int64_t *at)
{
    sqlite3_stmt *st = q(db, PQ_STATE);
    int rc = sqlite3_step(st);
    *seq = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    *at = rc == SQLITE_ROW ? sqlite3_column_int64(st, 1) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? MH_OK : MH_DB;
}

int pubdb_fingers(struct pubdb *db, pubdb_finger_fn *fn, void *ctx)
{
    sqlite3_stmt *st = q(db, PQ_FINGERS);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        unsigned char h[PUBDB_HASH_LEN];
        col_hash(st, 1, h);
        fn(ctx, col_str(st, 0), h);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? MH_OK : MH_DB;
}

int pubdb_pages(struct pubdb *db, pubdb_page_fn *fn, void *ctx)
{
    return each_page(q(db, PQ_PAGES), false, fn, ctx);
}

struct copy_ctx {
    struct arena *arena;
    struct pubdb_page *out;
};

static int copy_page(void *ctx, const struct pubdb_page *p)
{
    struct copy_ctx *c = ctx;
    *c->out = *p;
    c->out->file = arena_str(c->arena, p->file);
    c->out->channel = p->channel.ptr ? arena_str(c->arena, p->channel) : STR_NULL;
    c->out->keywords = p->keywords.ptr ? arena_str(c->arena, p->keywords) : STR_NULL;
    return MH_OK;
}

int pubdb_page_get(struct pubdb *db, struct arena *arena, struct str file,
                   struct pubdb_page *out)
{
    sqlite3_stmt *st = q(db, PQ_PAGE_GET);
    struct copy_ctx c = {arena, out};
    bind_str(st, 1, file);
    memset(out, 0, sizeof(*out));
    int rc = each_page(st, true, copy_page, &c);
    return rc ? rc : out->file.ptr ? MH_OK : MH_NOTFOUND;
}

int pubdb_article_pages(struct pubdb *db, int64_t article_id, pubdb_page_fn *fn, void *ctx)
{
    sqlite3_stmt *st = q(db, PQ_ARTICLE_PAGES);
    sqlite3_bind_int64(st, 1, article_id);
    return each_page(st, true, fn, ctx);
}

int pubdb_showing(struct pubdb *db, int64_t article_id, pubdb_page_fn *fn, void *ctx)
{
    sqlite3_stmt *st = q(db, PQ_SHOWING);
    sqlite3_bind_int64(st, 1, article_id);
    return each_page(st, false, fn, ctx);
}

int pubdb_channel_pages(struct pubdb *db, struct str edition, struct str channel,
                        unsigned flags, pubdb_page_fn *fn, void *ctx)
{
    sqlite3_stmt *st = q(db, PQ_CHANNEL_PAGES);
    bind_str(st, 1, edition);
    bind_str(st, 2, channel);
    sqlite3_bind_int64(st, 3, flags);
    return each_page(st, false, fn, ctx);
}

int pubdb_pages_under(struct pubdb *db, struct str prefix, pubdb_page_fn *fn, void *ctx)
{
    char end[1024];
    if (prefix.len == 0 || prefix.len > sizeof(end) ||
        (unsigned char)prefix.ptr[prefix.len - 1] == 0xff)
        return MH_INVAL;
    memcpy(end, prefix.ptr, prefix.len); /* the first name past every "PREFIX..." */
    end[prefix.len - 1]++;
    sqlite3_stmt *st = q(db, PQ_PAGES_UNDER);
    bind_str(st, 1, prefix);
    bind_str(st, 2, str_make(end, prefix.len));
    return each_page(st, false, fn, ctx);
}

int pubdb_begin(struct pubdb *db)
{
    return step_done(q(db, PQ_BEGIN));
}

int pubdb_commit(struct pubdb *db)
{
    return step_done(q(db, PQ_COMMIT));
}

void pubdb_rollback(struct pubdb *db)
{
    if (!sqlite3_get_autocommit(db->db))
        (void)step_done(q(db, PQ_ROLLBACK));
}

uint64_t pubdb_shows_sum(const int64_t *shows, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (uint64_t)shows[i]) * 1099511628211ull;
    return h | 1;
}

static void get_le(const unsigned char *p, int64_t *v)
{
    uint64_t x = 0;
    for (int k = 7; k >= 0; k--)
        x = x << 8 | p[k];
    *v = (int64_t)x;
}

/* Drop (ADD false) or add the `shown` rows of page ID for the links in
 * BLOB (int64 LE each). */
static int links(struct pubdb *db, int64_t id, const unsigned char *blob, size_t len, bool add)
{
    int rc = MH_OK;
    for (size_t off = 0; rc == MH_OK && off + 8 <= len; off += 8) {
        int64_t article;
        get_le(blob + off, &article);
        sqlite3_stmt *st = q(db, add ? PQ_SHOWN_ADD : PQ_SHOWN_DROP);
        sqlite3_bind_int64(st, 1, article);
        sqlite3_bind_int64(st, 2, id);
        rc = step_done(st);
    }
    return rc;
}

int pubdb_page_put(struct pubdb *db, const struct pubdb_page *p, bool shows_changed)
{
    sqlite3_stmt *st = q(db, PQ_PAGE_OLD);
    bind_str(st, 1, p->file);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return MH_DB;
    bool old = rc == SQLITE_ROW;
    int64_t id = old ? sqlite3_column_int64(st, 0) : 0;
    rc = MH_OK;
    if (old && shows_changed) /* the blob is valid until the statement's next step */
        rc = links(db, id, sqlite3_column_blob(st, 1), (size_t)sqlite3_column_bytes(st, 1),
                   false);
    sqlite3_reset(st);
    if (rc)
        return rc;
    bool article = p->article_id != 0;
    st = q(db, old ? PQ_PAGE_UPDATE : PQ_PAGE_INSERT);
    if (old) /* the update binds the id first, the insert the file */
        sqlite3_bind_int64(st, 1, id);
    else
        bind_str(st, 1, p->file);
    sqlite3_bind_blob(st, 2, p->hash, PUBDB_HASH_LEN, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, p->flags);
    if (article)
        sqlite3_bind_int64(st, 4, p->article_id);
    bind_str(st, 5, article ? p->channel : STR_NULL);
    bind_hash(st, 6, p->look, article);
    bind_hash(st, 7, p->place, article);
    bind_str(st, 8, article ? p->keywords : STR_NULL);
    if (article)
        sqlite3_bind_int64(st, 9, p->published_at);
    if ((rc = step_done(st)) != MH_OK)
        return rc;
    if (!old)
        id = sqlite3_last_insert_rowid(db->db);
    if (!old || shows_changed) {
        unsigned char *blob = mh_malloc(p->n_shows * 8 + 1);
        for (size_t i = 0; i < p->n_shows; i++)
            for (int k = 0; k < 8; k++)
                blob[8 * i + (size_t)k] = (unsigned char)((uint64_t)p->shows[i] >> (8 * k));
        st = q(db, PQ_PAGE_SHOWS);
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, (int64_t)pubdb_shows_sum(p->shows, p->n_shows));
        sqlite3_bind_blob(st, 3, blob, (int)(p->n_shows * 8), SQLITE_STATIC);
        rc = step_done(st);
        if (rc == MH_OK)
            rc = links(db, id, blob, p->n_shows * 8, true);
        free(blob);
    }
    return rc;
}

int pubdb_page_delete(struct pubdb *db, struct str file)
{
    sqlite3_stmt *st = q(db, PQ_PAGE_OLD);
    bind_str(st, 1, file);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE)
        return MH_OK;
    if (rc != SQLITE_ROW)
        return MH_DB;
    int64_t id = sqlite3_column_int64(st, 0);
    rc = links(db, id, sqlite3_column_blob(st, 1), (size_t)sqlite3_column_bytes(st, 1), false);
    sqlite3_reset(st);
    if (rc)
        return rc;
    st = q(db, PQ_PAGE_DELETE);
    sqlite3_bind_int64(st, 1, id);
    return step_done(st);
}

int pubdb_set_state(struct pubdb *db, int64_t seq, int64_t at)
{
    sqlite3_stmt *st = q(db, PQ_SET_STATE);
    sqlite3_bind_int64(st, 1, seq);
    sqlite3_bind_int64(st, 2, at);
    return step_done(st);
}

int pubdb_set_fingers(struct pubdb *db, const struct str *editions,
                      const unsigned char (*hashes)[PUBDB_HASH_LEN], size_t n)
{
    int rc = step_done(q(db, PQ_FINGERS_CLEAR));
    for (size_t i = 0; rc == MH_OK && i < n; i++) {
        sqlite3_stmt *st = q(db, PQ_FINGER_PUT);
        bind_str(st, 1, editions[i]);
        sqlite3_bind_blob(st, 2, hashes[i], PUBDB_HASH_LEN, SQLITE_STATIC);
        rc = step_done(st);
    }
    return rc;
}
