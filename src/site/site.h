/* SPDX-License-Identifier: MIT */
/*
 * site.h - the reader site: which page a path names, the value tree each
 * page kind gets (docs/internals/theme.md is the contract), and rendering it
 * with the theme's compiled templates.  It knows newspapers, not HTTP: the
 * caller (cli/cmd_serve.c, later the static publisher) turns a struct
 * site_page into a response or a file.  Every store call goes through the
 * caller's connection, so one struct site_app serves many threads.
 */
#ifndef MH_SITE_SITE_H
#define MH_SITE_SITE_H

#include "core/compat.h"
#include "core/str.h"

struct arena;
struct article;
struct edition;
struct site;
struct store;

/* What a page kind's caching allows (cmd_serve maps it to Cache-Control). */
enum site_cache { SITE_CACHE_PAGE, SITE_CACHE_IMMUTABLE, SITE_CACHE_NONE };

/* Which changes in the store make a rendered page stale (site_page_stale).
 * Whatever a page does not declare is stale after any change. */
enum site_scope {
    SITE_SCOPE_ALL = 0, /* any change (error pages, redirects, unknown kinds) */
    SITE_SCOPE_FIXED,   /* never: files whose name changes with their bytes */
    SITE_SCOPE_EDITION, /* lists every article of EDITION: front page, feeds */
    SITE_SCOPE_CHANNEL, /* lists the articles of CHANNEL_ID */
    SITE_SCOPE_ARTICLE  /* an article of CHANNEL_ID (its related list draws on it) */
};

/* A rendered page.  Its pointers point into the render's arena; the page
 * cache copies them out in keep_page() (cache.c), so a new pointer field is
 * copied there too. */
struct site_page {
    int status;               /* 200, 301, 302, 404, 410 */
    const char *content_type; /* static string */
    struct str body;          /* lives in the arena given to site_render (or the app) */
    struct str location;      /* 301/302: where to */
    enum site_cache cache;
    int64_t last_modified;    /* ms, or 0 */
    int64_t article_id;       /* an article page: whose views to count; else 0 */
    const struct article *article; /* an article page: the article shown, in the arena
                                    * (not kept by the page cache) */
    /* what the page depends on, beyond its edition's chrome (Top News,
     * links, channels), which every page of the edition shows */
    enum site_scope scope;
    struct str edition;       /* the edition the page belongs to; empty: none */
    int64_t channel_id;       /* SITE_SCOPE_CHANNEL, SITE_SCOPE_ARTICLE */
    const int64_t *shows;     /* every article the page links with its title */
    size_t n_shows;
    bool lists_newest;        /* an article page whose related list was topped up with
                               * its channel's newest (so a new one there changes it) */
    const struct str *keywords; /* an article page: its article's (related lists match) */
    size_t n_keywords;
};

/* Redraw every edition's most-read list (the last 7 days of page views) in
 * store S: `masthead serve` does it on start and every ten minutes, the
 * static publisher before it renders. */
MH_MUST_CHECK int site_rankings_refresh(struct store *s);

struct store_change;
/* Does change C (from the store's change log) make page PG stale?  For an
 * article change, KEYWORDS are the changed article's keywords now, as the
 * related lists match them (store_article_keywords()), when the caller has
 * them: an article page holding one of them is stale too, as its related
 * list may take the article in. */
bool site_page_stale(const struct site_page *pg, const struct store_change *c,
                     const struct str *keywords, size_t n_keywords);

struct site_app;

/* Load the theme in THEME_DIR (every *.mustache, static/site.css and
 * static/site.js) for SITE.  MH_INVAL with "file:line:col: reason" in
 * ERRBUF for a template that does not compile, MH_NOTFOUND without a theme. */
MH_MUST_CHECK int site_app_new(struct site *site, const char *theme_dir, struct site_app **out,
                               char *errbuf, size_t errlen);
void site_app_free(struct site_app *app);

/* Render the page at PATH (percent-decoded and checked by the caller) from
 * store S into *OUT; everything lives in ARENA.  Unknown paths give the 404
 * page (status 404, MH_OK).  Returns MH_OK or a store error. */
MH_MUST_CHECK int site_render(struct site_app *app, struct store *s, struct arena *arena,
                              struct str path, struct site_page *out);

/* What every page of an edition shows (the editions, its channels, Top
 * News, Most Read, the links) and the derivatives of images, read from the
 * store once and then reused by each page rendered with the memo.  Only for
 * a caller that keeps its store on one snapshot (store_read_begin()) for the
 * memo's life, and renders with one memo per thread: the static publisher. */
struct site_memo;
struct site_memo *site_memo_new(void);
void site_memo_free(struct site_memo *m);

/* site_render() reading what pages share through MEMO (NULL: from S). */
MH_MUST_CHECK int site_render_memo(struct site_app *app, struct store *s, struct site_memo *memo,
                                   struct arena *arena, struct str path, struct site_page *out);

/* Render article ART, whatever its status, as its page will look once
 * published, with the real theme and the same code as the reader's page: the
 * newsroom's preview.  An article never published is dated now.  The page is
 * never cached (SITE_CACHE_NONE).  ART->edition and ART->channel must exist
 * (MH_NOTFOUND).  Everything lives in ARENA. */
MH_MUST_CHECK int site_render_preview(struct site_app *app, struct store *s, struct arena *arena,
                                      const struct article *art, struct site_page *out);

/* ------------------------------------------------------------------ */
/* The site's URLs, for those that list them (the static publisher)     */

#define SITE_PAGE_SIZE 20 /* articles per channel page */

/* "/english/2026-03/06/content_481099.html": article ID, first published at
 * PUBLISHED (ms), dated in E's time zone.  Lives in ARENA. */
struct str site_article_url(struct arena *arena, const struct edition *e, int64_t published,
                            int64_t id);
/* "/english/news/" for PAGE 1, "/english/news/index_PAGE.html" after it. */
struct str site_channel_url(struct arena *arena, struct str edition, struct str channel,
                            int64_t page);
/* The fingerprinted URLs of the theme's stylesheet and script; borrowed
 * until site_app_free(APP). */
void site_app_assets(const struct site_app *app, const char **css, const char **js);
/* Search (search_page.c): dynamic pages, never cached                  */

/* The query parameters of a search, raw as decoded from the URL; absent
 * ones are empty.  The search page and GET /api/v1/search share them. */
struct site_search_args {
    struct str q, edition, channel, from, to, author, keyword, page, sort;
};

/* Is PATH an edition's search page ("/english/search")?  *EDITION is then
 * its first segment. */
bool site_is_search_path(struct str path, struct str *edition);

/* The search page of EDITION in the site's look: the form with its filters,
 * the results with highlighted snippets, pages, and help when nothing is
 * found.  Bad parameters give the page with status 400 and the reason; an
 * unknown edition the 404 page.  Cache class SITE_CACHE_NONE. */
MH_MUST_CHECK int site_search_page(struct site_app *app, struct store *s, struct arena *arena,
                                   struct str edition, const struct site_search_args *args,
                                   struct site_page *out);

/* GET /api/v1/search: {"total": N, "page": P, "hits": [{"id", "title", "url",
 * "published_at", "channel", "snippet"}]}, or status 400 with
 * {"error": {"code", "message", "field"}} for a bad parameter. */
MH_MUST_CHECK int site_search_api(struct site_app *app, struct store *s, struct arena *arena,
                                  const struct site_search_args *args, struct site_page *out);

/* GET /api/v1/suggest?q=&edition=: {"suggestions": [{"title", "url"}]}, at
 * most 8 titles whose words begin with the words typed. */
MH_MUST_CHECK int site_suggest_api(struct site_app *app, struct store *s, struct arena *arena,
                                   const struct site_search_args *args, struct site_page *out);

/* ------------------------------------------------------------------ */
/* The page cache                                                       */

/*
 * Rendered pages in memory, keyed by path, each kept as rendered and
 * precompressed with gzip and brotli (cache.c).  Bounded by size, least
 * recently used out first.  page_cache_invalidate() makes every entry stale
 * at once.  A page missing from the cache is rendered once even when many
 * threads ask for it at the same time: the others wait for the first.
 */
struct page_cache;

/* One cached page; read-only for everyone once published. */
struct page_entry {
    struct site_page page;   /* page.body: the identity encoding */
    struct str gzip, brotli; /* empty when compression does not pay */
    struct str etag;         /* strong, over the identity body, with its quotes */
};

/* Fill in E's gzip and brotli forms (left empty when they do not pay) and
 * its ETag from E->page.body, as the cache does for every page it keeps:
 * the static publisher writes the same bytes.  They live in ARENA. */
void page_entry_encode(struct page_entry *e, struct arena *arena);
/* The two halves of page_entry_encode(), for a caller that may not need
 * the encodings once it knows the ETag (the publisher, for a page whose
 * hash it has written before). */
void page_entry_etag(struct page_entry *e, struct arena *arena);
void page_entry_compress(struct page_entry *e, struct arena *arena);

/* Drop every entry whose page STALE(CTX, page) says is stale, and every
 * entry still being rendered (it may have read what changed). */
typedef bool page_stale_fn(void *ctx, const struct site_page *pg);
void page_cache_invalidate_where(struct page_cache *c, page_stale_fn *stale, void *ctx);

/* A cache of at most MAX_BYTES (0: nothing is kept). */
struct page_cache *page_cache_new(size_t max_bytes);
void page_cache_free(struct page_cache *c);

/* Render a page into OUT; its bytes live in ARENA, which the cache owns. */
typedef int page_render_fn(void *ctx, struct arena *arena, struct site_page *out);

/* The entry for KEY, rendered by RENDER(CTX, ...) when it is missing or
 * stale.  The caller holds a reference: release it with page_entry_unref()
 * once the bytes are sent.  Pages of class SITE_CACHE_NONE, and errors of
 * RENDER, are not kept.  *RENDERED (unless NULL) tells whether this call
 * rendered the page.  Returns MH_OK or RENDER's error. */
MH_MUST_CHECK int page_cache_get(struct page_cache *c, struct str key, page_render_fn *render,
                                 void *ctx, struct page_entry **out, bool *rendered);
void page_entry_unref(struct page_entry *e);
/* Make every entry stale (the content changed). */
void page_cache_invalidate(struct page_cache *c);

#endif
