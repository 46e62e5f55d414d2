/* SPDX-License-Identifier: MIT */
/*
 * pubdb.h - the static publisher's record of one output folder
 * (OUT/.masthead-publish): an SQLite file of its own, not the site's
 * database, because it describes the folder and goes wherever the folder
 * goes.  It holds every file a publish run wrote with its content hash,
 * the change sequence and the per-edition fingerprints the run saw, and for
 * each page the articles it links, indexed both ways, so that an edit
 * re-renders exactly the pages that show the article.
 *
 * It lives in store/ because store/ is the one module that names SQLite;
 * what the rows mean (flags, hashes, which pages to render) is publish/'s
 * business.  Rows are read one by one or all at once, and written in one
 * transaction per run, so an incremental run reads and writes only the
 * rows of the files it touched.
 */
#ifndef MH_STORE_PUBDB_H
#define MH_STORE_PUBDB_H

#include "core/arena.h"
#include "core/compat.h"
#include "core/str.h"

#define PUBDB_HASH_LEN 16

struct pubdb;

/* One file the publisher wrote. */
struct pubdb_page {
    struct str file;                     /* relative to OUT: "english/index.html" */
    unsigned char hash[PUBDB_HASH_LEN];  /* of its identity bytes */
    unsigned flags;                      /* the publisher's bits, kept as they are */
    int64_t article_id;                  /* an article page: its article; else 0 */
    struct str channel;                  /* an article page: its channel's slug */
    unsigned char look[PUBDB_HASH_LEN];  /* an article page: how lists show it */
    unsigned char place[PUBDB_HASH_LEN]; /* an article page: where lists put it */
    struct str keywords;                 /* an article page: one per line (not in pubdb_pages) */
    int64_t published_at;                /* an article page: its first publication (ms) */
    uint64_t shows_sum;                  /* a checksum of SHOWS, 0 for none */
    const int64_t *shows;                /* the articles the page links (pubdb_page_put only) */
    size_t n_shows;
};

typedef int pubdb_page_fn(void *ctx, const struct pubdb_page *p);

/*
 * Open (creating it when absent) the record at PATH.  MH_INVAL when PATH is
 * some other file (an older text manifest, a damaged file): the caller may
 * remove it and open again.  MH_IO or MH_DB otherwise; the reason in ERRBUF.
 */
MH_MUST_CHECK int pubdb_open(const char *path, struct pubdb **out, char *errbuf, size_t errlen);
void pubdb_close(struct pubdb *db);
const char *pubdb_errmsg(struct pubdb *db);

/* The change sequence and start time (ms) of the last complete run:
 * *SEQ is -1 when no run completed. */
MH_MUST_CHECK int pubdb_state(struct pubdb *db, int64_t *seq, int64_t *at);
/* Each edition's fingerprint: FN(CTX, edition, hash). */
typedef void pubdb_finger_fn(void *ctx, struct str edition,
                             const unsigned char hash[PUBDB_HASH_LEN]);
MH_MUST_CHECK int pubdb_fingers(struct pubdb *db, pubdb_finger_fn *fn, void *ctx);

/* Every page, in no order (no keywords, no shows). */
MH_MUST_CHECK int pubdb_pages(struct pubdb *db, pubdb_page_fn *fn, void *ctx);
/* The page FILE, with its keywords, in ARENA: MH_NOTFOUND when absent. */
MH_MUST_CHECK int pubdb_page_get(struct pubdb *db, struct arena *arena, struct str file,
                                 struct pubdb_page *out);
/* The pages of article ARTICLE_ID (normally one), with their keywords. */
MH_MUST_CHECK int pubdb_article_pages(struct pubdb *db, int64_t article_id, pubdb_page_fn *fn,
                                      void *ctx);
/* The pages that link article ARTICLE_ID. */
MH_MUST_CHECK int pubdb_showing(struct pubdb *db, int64_t article_id, pubdb_page_fn *fn,
                                void *ctx);
/* The pages whose file names start with PREFIX ("english/news/index"). */
MH_MUST_CHECK int pubdb_pages_under(struct pubdb *db, struct str prefix, pubdb_page_fn *fn,
                                    void *ctx);
/* The article pages under folder EDITION of channel CHANNEL with any of FLAGS. */
MH_MUST_CHECK int pubdb_channel_pages(struct pubdb *db, struct str edition, struct str channel,
                                      unsigned flags, pubdb_page_fn *fn, void *ctx);

/* Writing: between begin and commit, which makes it all durable at once. */
MH_MUST_CHECK int pubdb_begin(struct pubdb *db);
MH_MUST_CHECK int pubdb_commit(struct pubdb *db);
void pubdb_rollback(struct pubdb *db);
/* Add or replace page P; its links are replaced too when SHOWS_CHANGED. */
MH_MUST_CHECK int pubdb_page_put(struct pubdb *db, const struct pubdb_page *p,
                                 bool shows_changed);
/* Forget page FILE and its links. */
MH_MUST_CHECK int pubdb_page_delete(struct pubdb *db, struct str file);
MH_MUST_CHECK int pubdb_set_state(struct pubdb *db, int64_t seq, int64_t at);
/* Replace every fingerprint by the N given. */
MH_MUST_CHECK int pubdb_set_fingers(struct pubdb *db, const struct str *editions,
                                    const unsigned char (*hashes)[PUBDB_HASH_LEN], size_t n);

/* The checksum pubdb_page.shows_sum expects for SHOWS. */
uint64_t pubdb_shows_sum(const int64_t *shows, size_t n);

#endif
