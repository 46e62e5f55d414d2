/* SPDX-License-Identifier: MIT */
/*
 * publish.h - the static publisher: the whole reader site as files in a
 * folder, with exactly the URLs and bytes `masthead serve` answers (every
 * page is made by site_render() and encoded by page_entry_encode()), a
 * .gz and a .br beside each compressible file for nginx's gzip_static and
 * brotli_static, the theme's files and the media library.
 *
 * A run is incremental when the folder holds the manifest of an earlier
 * run (OUT/.masthead-publish: file -> content hash, and the store's change
 * sequence it saw): it renders only the pages the changes since then can
 * touch (docs/internals/publish.md says which), writes only files whose bytes
 * differ, and removes the files of pages that are gone.  Feeds and sitemaps
 * (feed_paths()) are pages like the others.  Every file is
 * written to a temporary name and renamed over the old one; OUT is never
 * wiped.  A killed run leaves a journal behind, and the next run repairs
 * the folder from it.  Two runs on one folder exclude each other (a lock
 * file).  Serving the folder, and what nginx needs for "/", are left to
 * the reader (docs/internals/publish.md).
 */
#ifndef MH_PUBLISH_PUBLISH_H
#define MH_PUBLISH_PUBLISH_H

#include "core/compat.h"

struct site;
struct site_app;

#define PUBLISH_MANIFEST ".masthead-publish"
#define PUBLISH_JOURNAL ".masthead-publish.journal"
#define PUBLISH_LOCK ".masthead-publish.lock"

/* Called now and then from the publishing thread: DONE pages of TOTAL. */
typedef void publish_progress_fn(void *ctx, uint64_t done, uint64_t total);

struct publish_opts {
    const char *out;   /* the folder; created when absent */
    int threads;       /* render threads; 0: one per core */
    bool full;         /* render every page, trusting neither manifest nor change feed */
    publish_progress_fn *progress; /* may be NULL */
    void *progress_ctx;
};

struct publish_stats {
    uint64_t rendered;  /* pages made */
    uint64_t written;   /* files written (a page with its .gz and .br counts 1) */
    uint64_t unchanged; /* pages whose file already held those bytes */
    uint64_t removed;   /* pages whose files were removed */
    bool incremental;   /* false: every page was rendered */
    double seconds;
};

/*
 * Publish SITE rendered with APP's theme into O->out.  Opens its own store
 * connections (one per thread) on SITE's database.  Returns MH_OK, or
 * MH_CONFLICT when another run holds OUT, MH_IO for a file that cannot be
 * written (the folder keeps every complete file; rerun to finish), MH_DB;
 * the reason is in ERRBUF.  Blocks until done.
 */
MH_MUST_CHECK int publish_run(struct site *site, struct site_app *app,
                              const struct publish_opts *o, struct publish_stats *stats,
                              char *errbuf, size_t errlen);

#endif
