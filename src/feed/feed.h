/* SPDX-License-Identifier: MIT */
/*
 * feed.h - the machine-read documents of a site: RSS 2.0 and Atom feeds per
 * edition and per channel, the sitemap index and its monthly sitemaps, a
 * Google News sitemap per edition, robots.txt and the IndexNow key file.
 * Their URLs are in docs/internals/urls.md.
 *
 * They are pages like the others: site/pages.c asks feed_render() first, so
 * the page cache (compression, ETag, 304) and the static publisher get them
 * without knowing what they are.  This module knows XML and the store, not
 * HTTP.  The search-engine push worker is in feed/push.h.
 */
#ifndef MH_FEED_FEED_H
#define MH_FEED_FEED_H

#include "core/compat.h"
#include "core/str.h"

struct arena;
struct site;
struct store;

#define FEED_ITEMS 50                 /* items in a feed */
#define FEED_SITEMAP_URLS 50000       /* the sitemap protocol's limits per file */
#define FEED_SITEMAP_BYTES 52428800   /* 50 MiB */
#define FEED_NEWS_URLS 1000           /* Google News: at most 1,000 URLs ... */
#define FEED_NEWS_WINDOW_MS (48 * 3600 * INT64_C(1000)) /* ... of the last two days */

/* Limits of the sitemaps; tests make them small to see months split. */
struct feed_limits {
    size_t sitemap_urls;  /* URLs per sitemap file */
    size_t sitemap_bytes; /* bytes per sitemap file */
};
/* The protocol's limits (FEED_SITEMAP_URLS, FEED_SITEMAP_BYTES). */
extern const struct feed_limits feed_default_limits;

/* A rendered document. */
struct feed_doc {
    int status;               /* 200 */
    const char *content_type; /* static string */
    struct str body;          /* lives in the arena given to feed_render */
    int64_t last_modified;    /* ms: the newest change it shows, or 0 */
    /* what it depends on, for a page cache that drops only stale pages:
     * the articles of EDITION (empty: of every edition, as the sitemap
     * index and robots.txt), narrowed to CHANNEL_ID when it is not 0 */
    struct str edition;
    int64_t channel_id;
};

/* Render the document at PATH (decoded, as site_render gets it) for SITE
 * from store S into *OUT, its bytes in ARENA; LIMITS NULL means the
 * defaults.  *FOUND is false (and MH_OK returned) when PATH names no
 * document of this module: the caller routes it on.  A sitemap of a month
 * or part without articles is not found.  Returns MH_OK or a store error. */
MH_MUST_CHECK int feed_render(const struct site *site, struct store *s, struct arena *arena,
                              struct str path, const struct feed_limits *limits,
                              struct feed_doc *out, bool *found);

/* Every path feed_render answers for the site as it is now (robots.txt, the
 * sitemap index and each sitemap, every feed, the news sitemaps, the key
 * file), for the static publisher.  *OUT is an array in ARENA. */
MH_MUST_CHECK int feed_paths(const struct site *site, struct store *s, struct arena *arena,
                             const struct feed_limits *limits, struct str **out, size_t *n);

/* The feeds a page offers in its head: FN(CTX, type, title, path) for each
 * feed of EDITION when CHANNEL is empty, else for each feed of CHANNEL
 * (RSS, then Atom).  Titles are "EDITION_NAME (RSS)", "EDITION_NAME -
 * CHANNEL_NAME (Atom)"; they live in ARENA. */
typedef void feed_link_fn(void *ctx, const char *type, struct str title, struct str path);
void feed_links(struct arena *arena, struct str edition, struct str edition_name,
                struct str channel, struct str channel_name, feed_link_fn *fn, void *ctx);

/* The Google News language code of a BCP 47 tag: "zh-cn" (or "zh-tw" for
 * zh-TW, zh-HK and zh-Hant), else the primary subtag in lower case. */
struct str feed_news_language(struct arena *arena, struct str lang);

/* The path of an article of EDITION first published at PUBLISHED in zone
 * TZ: "/english/2026-03/06/content_481099.html" (as the reader site names
 * it, docs/internals/urls.md).  Lives in ARENA. */
struct str feed_article_path(struct arena *arena, struct str edition, struct str tz,
                             int64_t published, int64_t id);

#endif
