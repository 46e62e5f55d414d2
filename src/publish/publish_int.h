/* SPDX-License-Identifier: MIT */
/*
 * publish_int.h - inside publish/ only: the manifest, the in-memory table
 * of what earlier runs wrote (file -> content hash, and for article pages
 * how lists show them and where they put them), loaded from and saved to
 * the folder's record (store/pubdb.h) by manifest.c, and read and updated
 * by publish.c.
 */
#ifndef MH_PUBLISH_PUBLISH_INT_H
#define MH_PUBLISH_PUBLISH_INT_H

#include "core/arena.h"
#include "core/compat.h"
#include "core/str.h"

struct pubdb;
struct pubdb_page;

#define PUBLISH_HASH_LEN 16 /* BLAKE2b-128 of the identity bytes: the page's ETag */

enum {
    PE_GZ = 1,        /* FILE.gz exists beside it */
    PE_BR = 2,        /* FILE.br exists beside it */
    PE_UNTRUSTED = 4, /* a killed run may have changed the file: do not trust the hash */
    PE_SEEN = 8,      /* this run made the page (whole-edition runs remove the unseen) */
    PE_GONE = 16,     /* removed in this run; dropped from the record */
    PE_CARD = 32,     /* an article page: look and place hold its hashes */
    PE_NEWEST = 64,   /* its related list was topped up with its channel's newest */
    PE_STORED = 128,  /* the record has a row for it */
    PE_DIRTY = 256,   /* this run changed it: its row is written */
    PE_SHOWS = 512,   /* this run changed the articles it links (shows) */
};
#define PE_KEPT (PE_GZ | PE_BR | PE_CARD | PE_NEWEST) /* the bits the record keeps */

#define PUBLISH_PATH_MAX 1024 /* a file name under OUT */

struct pentry {
    char *file;    /* relative to OUT, "english/news/index.html"; NULL: a free slot */
    size_t file_len;
    const char *channel; /* article pages: the channel slug, or NULL */
    int64_t article_id;  /* from "content_ID.html", else 0 */
    unsigned char hash[PUBLISH_HASH_LEN];
    unsigned char look[PUBLISH_HASH_LEN];  /* how lists show the article */
    unsigned char place[PUBLISH_HASH_LEN]; /* where lists put it */
    int64_t published_at; /* an article page: its first publication (ms) */
    uint64_t shows_sum;  /* pubdb_shows_sum() of the articles it links */
    unsigned flags;
    /* made by this run, for the record (live until the run ends) */
    const int64_t *shows;
    size_t n_shows;
    struct str keywords; /* an article page: one per line */
};

/* One edition's fingerprint: the hash of its 404 page, which shows exactly
 * what every page of the edition shares (navigation, Top News, Most Read,
 * links, editions, the theme's files, the copyright year). */
struct pfinger {
    char edition[64];
    unsigned char hash[PUBLISH_HASH_LEN];
};

#define PUBLISH_MAX_EDITIONS 32

struct manifest {
    struct pentry *slot; /* open addressing on file */
    size_t cap, used;    /* cap a power of two, at most half full */
    bool all;            /* every row of the record is loaded */
    int64_t seq;         /* the change sequence the last run saw before it rendered; -1: none */
    int64_t at;          /* when that run started (ms) */
    struct pfinger finger[PUBLISH_MAX_EDITIONS];
    size_t n_finger;
    struct arena strings; /* the file names and the channels (each channel once) */
    const char **channels;
    size_t n_channels;
};

void manifest_init(struct manifest *m);
void manifest_release(struct manifest *m);

/* The entry for FILE, or NULL. */
struct pentry *manifest_find(struct manifest *m, struct str file);
/* The entry for FILE, added (hash zero, flags 0) when absent. */
struct pentry *manifest_put(struct manifest *m, struct str file);
/* Make room for N entries in all, so that adding them never rehashes. */
void manifest_reserve(struct manifest *m, size_t n);
/* CHANNEL as a string the manifest keeps (one copy per channel). */
const char *manifest_channel(struct manifest *m, struct str channel);
/* The fingerprint of EDITION, or NULL. */
struct pfinger *manifest_finger(struct manifest *m, struct str edition);
/* Set EDITION's fingerprint; MH_TOOBIG past PUBLISH_MAX_EDITIONS or for a
 * name too long, MH_INVAL for an empty one. */
MH_MUST_CHECK int manifest_set_finger(struct manifest *m, struct str edition,
                                      const unsigned char hash[PUBLISH_HASH_LEN]);

/* The entry for record row P, added from it when absent (an entry already
 * loaded is kept as it is); NULL for a row whose file name is not one the
 * publisher writes (manifest_file_ok). */
struct pentry *manifest_take(struct manifest *m, const struct pubdb_page *p);
/* Load every row of DB (once). */
MH_MUST_CHECK int manifest_load_all(struct manifest *m, struct pubdb *db);
/* Load the row of FILE, if DB has one and it is not loaded. */
MH_MUST_CHECK int manifest_load(struct manifest *m, struct pubdb *db, struct str file);
/* Write to DB (inside the caller's transaction) the entries marked
 * PE_DIRTY, and remove the rows of those marked PE_GONE. */
MH_MUST_CHECK int manifest_save(struct manifest *m, struct pubdb *db);

/* "english/2026-03/06/content_481099.html" -> 481099; 0 for other files. */
int64_t manifest_article_id(struct str file);

/* Is FILE a path this publisher could have written (no "..", no empty or
 * dot-leading segment, no control bytes, not absolute)? */
bool manifest_file_ok(struct str file);

#endif
