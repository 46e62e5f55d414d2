/* SPDX-License-Identifier: MIT */
/*
 * interchange.h - articles in and out of a site: JSON Lines, one article
 * per line (docs/interchange.md has the fields), and migration in from a
 * WordPress export (WXR) or a folder of saved Founder-CMS pages.  This
 * module owns the formats, their validation and the one import loop that
 * every source feeds (batches, idempotence, error reports, channels made on
 * the way, redirects from old addresses); the store owns what is kept,
 * media/ the image files, render/ the HTML sanitizer bodies pass through.
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
    uint64_t lines;     /* lines read, blank ones included (WXR: lines of XML; founder: files) */
    uint64_t imported;  /* new articles */
    uint64_t unchanged; /* ids already stored with the same content */
    uint64_t bad;       /* entries reported and skipped */
    uint64_t skipped;   /* entries that are no article (a page, an attachment, the trash) */
    uint64_t media;     /* image files added to the library */
    uint64_t channels;  /* channels made for categories the edition lacked */
    uint64_t redirects; /* old addresses now sending readers to an article */
};

/* Called for each bad or skipped entry: FILE (NULL: the input named on the
 * command line), LINENO (1-based; 0 when the entry is a whole file) and the
 * reason ("item 3 (guid ...): ..."; a skipped entry's starts "skipped: "). */
typedef void import_report_fn(void *ctx, const char *file, uint64_t lineno, const char *reason);
/* Called now and then with the bytes read so far. */
typedef void import_progress_fn(void *ctx, uint64_t bytes);

struct import_opts {
    bool strict;         /* write nothing unless every entry is good */
    int batch;           /* entries per transaction; 0 = 2000 */
    const char *base_dir; /* JSON Lines: relative image paths start here ("." when NULL) */
    const char *edition; /* WXR, founder: the edition to import into (NULL: the default) */
    const char *media_dir; /* WXR: the uploads folder (NULL: images stay where they are) */
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

/* ------------------------------------------------------------------ */
/* Migration in                                                         */

/* An image an HTML body shows: SRC is the attribute's value exactly as it
 * stands in the cleaned body, FILE the local file it was found at.  The
 * import stores the file and points SRC at its /media/ address. */
struct import_body_image {
    struct str src, file;
};

/* One entry of a source, made on the parsing thread; strings live in the
 * arena given to the source. */
struct import_item {
    const char *file;     /* where it comes from (NULL: the input) */
    uint64_t lineno;      /* where it starts, 1-based, or 0 */
    const char *label;    /* names the entry in FILE ("item 3 (guid ...)"), or NULL */
    int status;           /* MH_OK, or MH_INVAL / MH_TOOBIG with REASON */
    bool skip;            /* no article: counted as skipped; REASON (when set) is shown */
    const char *reason;
    struct article a;     /* images[i].path: a local file, not yet stored */
    struct str channel_name;  /* non-empty: make channel a.channel with this name if missing */
    struct str redirect_from; /* an old path to send to the article, or empty */
    struct import_body_image *body_images;
    size_t n_body_images;
};

/*
 * Import a WordPress export (WXR 1.0-1.2) at PATH into SITE, streamed with
 * libxml2's reader: memory stays flat whatever the file's size (a first pass
 * collects only the attachments, as id and file name, when opts->media_dir
 * is set).  Posts become articles with their ids; pages, attachments and
 * other types are skipped; docs/interchange.md says how fields map.  XML
 * that is not well formed is reported at its line and ends the reading; the
 * entries before it are imported.  Returns as import_jsonl().
 */
MH_MUST_CHECK int import_wxr(struct site *site, const char *path, const struct import_opts *opts,
                             struct import_stats *stats, char *errbuf, size_t errlen);

/*
 * Import the saved Founder-CMS pages under FOLDER (every *.html / *.htm, in
 * name order, subfolders included): metadata from the enpproperty comment,
 * body between <!--enpcontent--> and <!--/enpcontent-->, pictures from the
 * page's folder, the article id kept and the old path made a redirect.  A
 * page without the comment is skipped.  Returns as import_jsonl().
 */
MH_MUST_CHECK int import_founder(struct site *site, const char *folder,
                                 const struct import_opts *opts, struct import_stats *stats,
                                 char *errbuf, size_t errlen);

/* The parsers on their own, for tests and fuzzing. */

/* A WXR stream over DATA (borrowed; it must outlive the reader).  EDITION
 * and TZ are the target edition's slug and zone; MEDIA_DIR as in
 * import_opts.  Caller frees with wxr_close(). */
struct wxr_reader;
MH_MUST_CHECK int wxr_open_memory(const char *data, size_t len, const char *edition,
                                  const char *tz, const char *media_dir,
                                  struct wxr_reader **out, char *errbuf, size_t errlen);
/* The next entry into *OUT (strings in ARENA): MH_OK, or MH_NOTFOUND at the
 * end.  Malformed XML comes out as one bad entry, then the end. */
MH_MUST_CHECK int wxr_next(struct wxr_reader *r, struct arena *arena, struct import_item *out);
void wxr_close(struct wxr_reader *r);

/* Parse one saved page HTML, found at PAGE_PATH under ROOT (for its old
 * path when the metadata names no URL), into *OUT for EDITION in zone TZ.
 * Pictures are looked for next to PAGE_PATH. */
void founder_parse_page(struct str html, const char *root, const char *page_path,
                        const char *edition, const char *tz, struct arena *arena,
                        struct import_item *out);

#endif
