/* SPDX-License-Identifier: MIT */
/*
 * interchange.h - articles in and out of a site as JSON Lines, one article
 * per line (docs/interchange.md has the fields).  This module owns the
 * format, its validation and the import loop (batches, idempotence, error
 * reports); the store owns what is kept, media/ the image files, render/ the
 * HTML sanitizer that HTML bodies pass through.
 */
#ifndef MH_INTERCHANGE_INTERCHANGE_H
#define MH_INTERCHANGE_INTERCHANGE_H

#include "core/compat.h"
#include "core/str.h"
#include "model/model.h"

struct arena;
struct buf;
struct site;

/* Parse one JSON Lines record into *OUT; every string lives in ARENA.  Image
 * entries carry the file name as given in images[i].path (not yet resolved
 * or stored).  An HTML body comes back sanitized.  On failure returns
 * MH_INVAL or MH_TOOBIG with a reason naming the field in ERRBUF. */
MH_MUST_CHECK int jsonl_parse_article(struct str line, struct arena *arena, struct article *out,
                                      char *errbuf, size_t errlen);

/* Append A as one JSON line (with the newline) to OUT.  Times are written in
 * zone TZ; image files as MEDIA_ROOT/images[i].path (MEDIA_ROOT NULL: as
 * stored). */
void jsonl_write_article(struct buf *out, const struct article *a, struct str tz,
                         const char *media_root);

/* What an import did. */
struct import_stats {
    uint64_t lines;     /* lines read, blank ones included */
    uint64_t imported;  /* new articles */
    uint64_t unchanged; /* ids already stored with the same content */
    uint64_t bad;       /* lines reported and skipped */
    uint64_t media;     /* image files added to the library */
};

/* Called for each bad line: LINENO (1-based) and the reason. */
typedef void import_report_fn(void *ctx, uint64_t lineno, const char *reason);
/* Called now and then with the bytes read so far. */
typedef void import_progress_fn(void *ctx, uint64_t bytes);

struct import_opts {
    bool strict;         /* write nothing unless every line is good */
    int batch;           /* lines per transaction; 0 = 2000 */
    const char *base_dir; /* relative image paths start here ("." when NULL) */
    import_report_fn *report;
    import_progress_fn *progress;
    void *ctx;
};

/* Import every line of IN into SITE.  Bad lines are reported and skipped
 * (with strict, reported and then nothing is written).  Returns MH_OK when
 * the file was read to the end (bad lines or not; see stats->bad), or the
 * error that stopped it (MH_IO for a full or read-only disk, with the reason
 * in ERRBUF); batches committed before such an error stay. */
MH_MUST_CHECK int import_jsonl(struct site *site, FILE *in, const struct import_opts *opts,
                               struct import_stats *stats, char *errbuf, size_t errlen);

#endif
