/* SPDX-License-Identifier: MIT */
/*
 * publish_int.h - inside publish/ only: the manifest (what an earlier run
 * wrote: file -> content hash, and the change sequence it saw), parsed and
 * written by manifest.c, and read and updated by publish.c.
 */
#ifndef MH_PUBLISH_PUBLISH_INT_H
#define MH_PUBLISH_PUBLISH_INT_H

#include "core/arena.h"
#include "core/compat.h"
#include "core/str.h"

struct buf;

#define PUBLISH_HASH_LEN 16 /* BLAKE2b-128 of the identity bytes: the page's ETag */

enum {
    PE_GZ = 1,        /* FILE.gz exists beside it */
    PE_BR = 2,        /* FILE.br exists beside it */
    PE_UNTRUSTED = 4, /* a killed run may have changed the file: do not trust the hash */
    PE_SEEN = 8,      /* this run made the page (full runs remove the unseen) */
    PE_GONE = 16,     /* removed in this run; not written to the next manifest */
    PE_CARD = 32,     /* card holds the article's card hash */
};

#define PUBLISH_PATH_MAX 1024 /* a file name under OUT */

struct pentry {
    char *file;    /* relative to OUT, "english/news/index.html"; NULL: a free slot */
    size_t file_len;
    const char *channel; /* article pages: the channel slug when published, or NULL */
    int64_t article_id; /* from "content_ID.html", else 0 */
    unsigned char hash[PUBLISH_HASH_LEN];
    unsigned char card[PUBLISH_HASH_LEN]; /* what other pages show of the article */
    unsigned flags;
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
    int64_t seq;         /* the change sequence the run saw before it rendered; -1: none */
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
/* Set EDITION's fingerprint; MH_TOOBIG past PUBLISH_MAX_EDITIONS. */
MH_MUST_CHECK int manifest_set_finger(struct manifest *m, struct str edition,
                                      const unsigned char hash[PUBLISH_HASH_LEN]);

/* Parse manifest TEXT into M (empty, from manifest_init).  MH_INVAL with
 * "line N: reason" in ERRBUF for anything but a well-formed manifest; M is
 * then emptied again. */
MH_MUST_CHECK int manifest_parse(struct manifest *m, struct str text, char *errbuf,
                                 size_t errlen);
/* M as manifest text (entries marked PE_GONE left out) into OUT. */
void manifest_format(const struct manifest *m, struct buf *out);

/* "english/2026-03/06/content_481099.html" -> 481099; 0 for other files. */
int64_t manifest_article_id(struct str file);

/* Is FILE a path this publisher could have written (no "..", no empty or
 * dot-leading segment, no control bytes, not absolute)? */
bool manifest_file_ok(struct str file);

#endif
