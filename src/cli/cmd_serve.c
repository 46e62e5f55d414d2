/* SPDX-License-Identifier: MIT */
/*
 * cmd_serve.c - `masthead serve DIR [--listen ADDR] [--threads N] [--theme DIR]
 * [--mirror OUT]`:
 * the reader site over HTTP.  It wires the site module (pages) to the http
 * module (the server): one store connection per server thread, security
 * and caching headers by page kind, ETags and conditional GET, SIGHUP to
 * reload the theme, and with --mirror a thread that keeps a static copy of
 * the site in OUT current (publish/publish.h).
 *
 * Page views are counted by the server, not by a beacon: every GET of an
 * article page that is answered 200 or 304 is one view.  Nothing is stored
 * in the reader's browser and no script or extra request is needed.  Counts
 * gather in memory and a flusher thread adds them to the hourly counters
 * every few seconds, in one transaction, so counting never slows a page.
 * The search-engine push worker (feed/push.h) runs beside it when
 * masthead.conf turns it on.
 */
#include "core/compat.h"

#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <strings.h>
#include <time.h>

#include "api/api.h"
#include "admin/admin.h"
#include "cli/cli.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "feed/push.h"
#include "http/http.h"
#include "newsroom/newsroom.h"
#include "media/media.h"
#include "publish/publish.h"
#include "site/site.h"
#include "store/store.h"

#ifndef MH_THEME_DIR
#define MH_THEME_DIR "themes/default"
#endif

/* Views counted since the last flush: open addressing on the article id. */
struct view_slot {
    int64_t id, count; /* id 0: free */
};

struct views {
    pthread_mutex_t mu;
    pthread_cond_t wake;
    pthread_cond_t mirror_wake; /* the mirror thread's, signalled on stop */
    struct view_slot *slot;
    size_t cap, used; /* cap is a power of two; the table is at most half full */
    bool stop;
};

#define VIEWS_FLUSH_S 5

/* Add N views of ID to TAB; true when ID took a free slot. */
static bool slot_add(struct view_slot *tab, size_t cap, int64_t id, int64_t n)
{
    size_t h = (size_t)((uint64_t)id * UINT64_C(0x9E3779B97F4A7C15)) & (cap - 1);
    while (tab[h].id && tab[h].id != id)
        h = (h + 1) & (cap - 1);
    bool fresh = tab[h].id == 0;
    tab[h].id = id;
    tab[h].count += n;
    return fresh;
}

static void views_add(struct views *v, int64_t id)
{
    pthread_mutex_lock(&v->mu);
    if (2 * (v->used + 1) > v->cap) {
        size_t cap = v->cap ? 2 * v->cap : 1024;
        struct view_slot *tab = mh_calloc(cap, sizeof(*tab));
        for (size_t i = 0; i < v->cap; i++)
            if (v->slot[i].id)
                slot_add(tab, cap, v->slot[i].id, v->slot[i].count);
        free(v->slot);
        v->slot = tab;
        v->cap = cap;
    }
    v->used += slot_add(v->slot, v->cap, id, 1);
    pthread_mutex_unlock(&v->mu);
}

struct server_ctx {
    struct site *site;
    char *db_path;
    struct newsroom_scheduler *scheduler; /* publishes scheduled articles at their minute */
    char theme_dir[4096];
    _Atomic(struct site_app *) app; /* swapped on SIGHUP */
    pthread_mutex_t reload_mu;
    pthread_key_t store_key;        /* this thread's store connection */
    struct views views;
    struct page_cache *cache;
    struct admin_app *admin; /* the newsroom under /admin/ */
    struct site_app *retired[64]; /* themes replaced by SIGHUP, freed at the end */
    size_t n_retired;
    const char *mirror;           /* --mirror OUT, or NULL */
};

#define WATCH_MS 250                /* how often the database is asked for changes */
#define RANKING_REFRESH_S (10 * 60) /* most-read lists are redrawn this often */
#define CHANGE_KEEP_MS (INT64_C(30) * 24 * 3600 * 1000) /* change log rows kept */

/* Take the counts gathered so far and add them to the store in one
 * transaction; on failure they are logged and dropped, never retried into a
 * growing backlog. */
static void views_flush(struct server_ctx *ctx, struct store *s)
{
    struct views *v = &ctx->views;
    pthread_mutex_lock(&v->mu);
    struct view_slot *taken = v->slot;
    size_t cap = v->cap;
    v->slot = NULL;
    v->cap = v->used = 0;
    pthread_mutex_unlock(&v->mu);
    if (taken == NULL)
        return;
    int64_t hour = clock_now_ms() / 3600000;
    int rc = store_begin(s);
    for (size_t i = 0; rc == MH_OK && i < cap; i++)
        if (taken[i].id)
            rc = store_pageviews_add(s, taken[i].id, hour, taken[i].count);
    if (rc == MH_OK)
        rc = store_commit(s);
    else
        store_rollback(s);
    if (rc)
        log_error("page views of the last %d seconds are lost: %s", VIEWS_FLUSH_S,
                  store_errmsg(s));
    free(taken);
}

/* A batch of changes read from the change log, and whether a page is
 * stale after any of them. */
#define CHANGE_BATCH 256

struct change_batch {
    struct store_change c[CHANGE_BATCH];
    char edition[CHANGE_BATCH][64];
    struct str *keywords[CHANGE_BATCH]; /* an article's, for the related lists */
    size_t n_keywords[CHANGE_BATCH];
    size_t n;
    struct store *s;
    struct arena arena; /* the keywords */
};

static int change_take(void *ctx, const struct store_change *c)
{
    struct change_batch *b = ctx;
    struct store_change *to = &b->c[b->n];
    *to = *c;
    b->n_keywords[b->n] = 0;
    if (c->kind == STORE_CHANGE_ARTICLE && c->article_id &&
        store_article_keywords(b->s, &b->arena, c->article_id, &b->keywords[b->n],
                               &b->n_keywords[b->n]) != MH_OK)
        to->kind = STORE_CHANGE_SITE; /* cannot tell which related lists: the widest */
    if (c->edition.len >= sizeof(b->edition[0])) {
        to->kind = STORE_CHANGE_SITE; /* cannot name it: the widest */
        to->edition = STR_NULL;
    } else {
        memcpy(b->edition[b->n], c->edition.ptr, c->edition.len);
        to->edition = str_make(b->edition[b->n], c->edition.len);
    }
    b->n++;
    return MH_OK;
}

static bool batch_stales(void *ctx, const struct site_page *pg)
{
    const struct change_batch *b = ctx;
    for (size_t i = 0; i < b->n; i++)
        if (site_page_stale(pg, &b->c[i], b->keywords[i], b->n_keywords[i]))
            return true;
    return false;
}

/* Drop the cached pages that the changes after *SEQ make stale, and move
 * *SEQ on.  When the log cannot say (pruned, unreadable, or thousands of
 * changes such as an import), everything goes. */
static void invalidate_changed(struct server_ctx *ctx, struct store *s, int64_t *seq)
{
    struct change_batch *b = mh_calloc(1, sizeof(*b));
    arena_init(&b->arena, 64 * 1024);
    b->s = s;
    for (int round = 0; round < 16; round++) {
        b->n = 0;
        arena_reset(&b->arena);
        int64_t last;
        int rc = store_changes_since(s, *seq, CHANGE_BATCH, change_take, b, &last);
        if (rc != MH_OK) {
            if (rc != MH_GONE)
                log_error("cannot read the change log: %s", store_errmsg(s));
            break;
        }
        if (b->n)
            page_cache_invalidate_where(ctx->cache, batch_stales, b);
        *seq = last;
        if (b->n < CHANGE_BATCH)
            goto done;
    }
    page_cache_invalidate(ctx->cache);
    if (store_change_seq(s, seq) != MH_OK)
        log_error("cannot read the change log: %s", store_errmsg(s));
done:
    arena_release(&b->arena);
    free(b);
}

/* The background thread: every WATCH_MS it asks the database whether
 * anyone else committed (the newsroom, an import) and then drops the cached
 * pages the change log names; every VIEWS_FLUSH_S it writes the page views;
 * every RANKING_REFRESH_S it drops the pages so the most-read lists move,
 * and forgets changes older than CHANGE_KEEP_MS. */
static void *views_main(void *arg)
{
    struct server_ctx *ctx = arg;
    struct views *v = &ctx->views;
    struct store *s;
    char err[512];
    int64_t seen = 0, now, seq = 0;
    uint64_t last_flush = clock_mono_ns(), last_ranking = last_flush;
    if (store_open(ctx->db_path, false, false, &s, err, sizeof(err)) != MH_OK) {
        log_error("page views will not be counted nor changes noticed: %s", err);
        return NULL;
    }
    if (store_data_version(s, &seen) != MH_OK || store_change_seq(s, &seq) != MH_OK)
        log_error("cannot watch the database for changes: %s", store_errmsg(s));
    pthread_mutex_lock(&v->mu);
    while (!v->stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += WATCH_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&v->wake, &v->mu, &until);
        pthread_mutex_unlock(&v->mu);
        uint64_t mono = clock_mono_ns();
        if (store_data_version(s, &now) == MH_OK && now != seen) {
            seen = now;
            invalidate_changed(ctx, s, &seq);
        }
        if (mono - last_ranking >= (uint64_t)RANKING_REFRESH_S * 1000000000u) {
            last_ranking = mono;
            if (site_rankings_refresh(s) != MH_OK)
                log_error("cannot redraw the most-read lists: %s", store_errmsg(s));
            page_cache_invalidate(ctx->cache);
            if (store_changes_prune(s, clock_now_ms() - CHANGE_KEEP_MS) != MH_OK)
                log_error("cannot prune the change log: %s", store_errmsg(s));
        }
        if (mono - last_flush >= (uint64_t)VIEWS_FLUSH_S * 1000000000u) {
            last_flush = mono;
            views_flush(ctx, s);
        }
        pthread_mutex_lock(&v->mu);
    }
    pthread_mutex_unlock(&v->mu);
    views_flush(ctx, s); /* what came in while stopping */
    store_close(s);
    return NULL;
}

static void close_store(void *p)
{
    store_close(p);
}

/* This server thread's store connection, opened on its first request. */
static struct store *thread_store(struct server_ctx *ctx)
{
    struct store *s = pthread_getspecific(ctx->store_key);
    char err[512];
    if (s)
        return s;
    if (store_open(ctx->db_path, false, false, &s, err, sizeof(err)) != MH_OK) {
        log_error("%s", err);
        return NULL;
    }
    pthread_setspecific(ctx->store_key, s);
    return s;
}

static const char csp[] = "default-src 'self'; script-src 'self'; style-src 'self'; "
                          "img-src 'self' data:; media-src 'self'; object-src 'none'; "
                          "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/* MS as an HTTP date ("Sun, 06 Nov 1994 08:49:37 GMT"), in REQ's arena. */
static struct str http_date(struct http_request *req, int64_t ms)
{
    static const char days[][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char months[][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    char text[40];
    gmtime_r(&t, &tm);
    int n = snprintf(text, sizeof(text), "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday],
                     tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                     tm.tm_sec);
    return arena_str(&req->arena, str_make(text, n > 0 ? (size_t)n : 0));
}

static int add_headers(struct http_request *req, struct http_response *res,
                       const struct site_page *pg, struct str etag)
{
    int rc = MH_OK;
#define H(name, value)                                                                         \
    if (rc == MH_OK)                                                                           \
    rc = http_response_header(req, res, name, value)
    H("Content-Security-Policy", STR_LIT(csp));
    H("X-Content-Type-Options", STR_LIT("nosniff"));
    H("Referrer-Policy", STR_LIT("strict-origin-when-cross-origin"));
    switch (pg->cache) {
    case SITE_CACHE_IMMUTABLE:
        H("Cache-Control", STR_LIT("public, max-age=31536000, immutable"));
        break;
    case SITE_CACHE_PAGE:
        H("Cache-Control", STR_LIT("public, max-age=60"));
        break;
    case SITE_CACHE_NONE:
        H("Cache-Control", STR_LIT("no-store"));
        break;
    }
    if (etag.len)
        H("ETag", etag);
    if (pg->last_modified)
        H("Last-Modified", http_date(req, pg->last_modified));
    if (pg->location.len)
        H("Location", pg->location);
#undef H
    return rc;
}

/* The next item of a comma-separated header value, trimmed: a cursor
 * over *POS (< END); false when the list is done. */
static bool next_item(const char **pos, const char *end, struct str *item)
{
    const char *p = *pos;
    while (p < end && (*p == ' ' || *p == ','))
        p++;
    if (p == end)
        return false;
    const char *q = p;
    while (q < end && *q != ',')
        q++;
    *item = str_trim(str_make(p, (size_t)(q - p)));
    *pos = q;
    return true;
}

/* Does If-None-Match name ETAG ("*", or one of a comma-separated list)? */
static bool etag_matches(struct str header, struct str etag)
{
    struct str tag;
    const char *p = header.ptr, *end = header.ptr + header.len;
    while (header.len && next_item(&p, end, &tag)) {
        if (str_starts(tag, "W/"))
            tag = str_make(tag.ptr + 2, tag.len - 2);
        if (str_eq_c(tag, "*") || str_eq(tag, etag))
            return true;
    }
    return false;
}

struct render_args {
    struct server_ctx *ctx;
    struct store *s;
    struct str path;
};

static int render_page(void *arg, struct arena *arena, struct site_page *out)
{
    struct render_args *ra = arg;
    return site_render(atomic_load(&ra->ctx->app), ra->s, arena, ra->path, out);
}

/* Does the client take ENCODING ("br", "gzip")?  A q of 0 refuses it. */
static bool accepts(struct str header, const char *encoding)
{
    struct str item;
    size_t n = strlen(encoding);
    const char *p = header.ptr, *end = header.ptr + header.len;
    while (header.len && next_item(&p, end, &item)) {
        const char *semi = memchr(item.ptr, ';', item.len);
        const char *stop = item.ptr + item.len;
        struct str name = str_trim(str_make(item.ptr, semi ? (size_t)(semi - item.ptr) : item.len));
        if (name.len != n || strncasecmp(name.ptr, encoding, n) != 0)
            continue;
        /* "gzip;q=0" refuses; any other q (or none) accepts */
        const char *qv = NULL;
        for (const char *t = semi; t && t + 1 < stop && qv == NULL; t++)
            if (t[0] == 'q' && t[1] == '=')
                qv = t;
        if (qv == NULL)
            return true;
        for (qv += 2; qv < stop && (*qv == '0' || *qv == '.'); qv++)
            ;
        return qv < stop && *qv >= '1' && *qv <= '9';
    }
    return false;
}

static void release_entry(void *e)
{
    page_entry_unref(e);
}

/* Search: the page /{edition}/search and GET /api/v1/search and /suggest.
 * Their answers depend on the query string, so they never touch the page
 * cache (which is keyed by path); they are cheap enough to make each time. */
enum search_kind { SEARCH_PAGE, SEARCH_API, SUGGEST_API };

static int serve_search(struct server_ctx *ctx, struct http_request *req,
                        struct http_response *res, enum search_kind kind, struct str edition)
{
    if (req->method != HTTP_GET && req->method != HTTP_HEAD) {
        if (kind == SEARCH_PAGE) {
            res->status = 405;
            res->content_type = "text/plain; charset=utf-8";
            res->body = STR_LIT("only GET and HEAD are allowed here\n");
        } else {
            api_error_response(req, 405, res); /* the API's JSON error body */
        }
        return http_response_header(req, res, "Allow", STR_LIT("GET, HEAD"));
    }
    struct store *s = thread_store(ctx);
    if (s == NULL)
        return MH_DB;
    struct site_search_args a = {
        http_query_param(req, "q"),      http_query_param(req, "edition"),
        http_query_param(req, "channel"), http_query_param(req, "from"),
        http_query_param(req, "to"),     http_query_param(req, "author"),
        http_query_param(req, "keyword"), http_query_param(req, "page"),
        http_query_param(req, "sort"),
    };
    struct site_app *app = atomic_load(&ctx->app);
    struct site_page pg;
    int rc = kind == SEARCH_PAGE  ? site_search_page(app, s, &req->arena, edition, &a, &pg)
             : kind == SEARCH_API ? site_search_api(app, s, &req->arena, &a, &pg)
                                  : site_suggest_api(app, s, &req->arena, &a, &pg);
    if (rc)
        return rc;
    res->status = pg.status;
    res->content_type = pg.content_type;
    res->body = pg.body;
    return add_headers(req, res, &pg, STR_NULL);
}

static int handle(void *c, struct http_request *req, struct http_response *res)
{
    struct server_ctx *ctx = c;
    struct page_entry *e;
    struct str search_edition;
    if (str_eq_c(req->path, "/api/v1/search"))
        return serve_search(ctx, req, res, SEARCH_API, STR_NULL);
    if (str_eq_c(req->path, "/api/v1/suggest"))
        return serve_search(ctx, req, res, SUGGEST_API, STR_NULL);
    /* the JSON API after search's two paths, which it leaves to serve_search */
    if (api_owns_path(req->path)) { /* the JSON API: never through the page cache */
        struct store *s = thread_store(ctx);
        return s ? api_handle(s, req, res) : MH_DB;
    }
    if (admin_owns(req->path)) { /* the newsroom: dynamic, never cached */
        struct store *s = thread_store(ctx);
        int64_t seq = -1;
        if (s == NULL)
            return MH_DB;
        if (req->method == HTTP_POST && store_change_seq(s, &seq) != MH_OK)
            seq = -1;
        int rc = admin_handle(ctx->admin, atomic_load(&ctx->app), s, req, res);
        /* what a change made here makes stale goes before the answer, not at the next watch */
        if (rc == MH_OK && seq >= 0 && res->status == 303)
            invalidate_changed(ctx, s, &seq);
        return rc;
    }
    if (site_is_search_path(req->path, &search_edition)) /* an edition's search page */
        return serve_search(ctx, req, res, SEARCH_PAGE, search_edition);
    if (req->method != HTTP_GET && req->method != HTTP_HEAD) {
        res->status = 405;
        res->content_type = "text/plain; charset=utf-8";
        res->body = STR_LIT("only GET and HEAD are allowed here\n");
        return http_response_header(req, res, "Allow", STR_LIT("GET, HEAD"));
    }
    struct render_args ra = {ctx, thread_store(ctx), req->path};
    if (ra.s == NULL)
        return MH_DB;
    bool rendered;
    int rc = page_cache_get(ctx->cache, req->path, render_page, &ra, &e, &rendered);
    if (rc)
        return rc;
    /* from here on the entry is ours until the server is done with it */
    res->on_done = release_entry;
    res->on_done_arg = e;
    /* whether this request had to render the page: for operators and tests */
    rc = http_response_header(req, res, "X-Cache", rendered ? STR_LIT("miss") : STR_LIT("hit"));
    if (rc)
        return rc;
    const struct site_page *pg = &e->page;
    if (pg->article_id && pg->status == 200 && req->method == HTTP_GET)
        views_add(&ctx->views, pg->article_id);
    struct str etag = pg->status == 200 ? e->etag : STR_NULL;
    struct str inm = http_header(req, "If-None-Match"), ims = http_header(req, "If-Modified-Since");
    /* If-None-Match wins; If-Modified-Since must match exactly, as nginx's default */
    bool fresh = inm.len ? etag.len && etag_matches(inm, etag)
                         : ims.len && pg->status == 200 && pg->last_modified &&
                               str_eq(ims, http_date(req, pg->last_modified));
    if (fresh) {
        res->status = 304;
        return add_headers(req, res, pg, etag);
    }
    res->status = pg->status;
    res->content_type = pg->content_type;
    res->body = pg->body;
    rc = add_headers(req, res, pg, etag);
    if (rc == MH_OK && (e->gzip.len || e->brotli.len)) {
        struct str ae = http_header(req, "Accept-Encoding");
        rc = http_response_header(req, res, "Vary", STR_LIT("Accept-Encoding"));
        if (rc == MH_OK && e->brotli.len && accepts(ae, "br")) {
            res->body = e->brotli;
            rc = http_response_header(req, res, "Content-Encoding", STR_LIT("br"));
        } else if (rc == MH_OK && e->gzip.len && accepts(ae, "gzip")) {
            res->body = e->gzip;
            rc = http_response_header(req, res, "Content-Encoding", STR_LIT("gzip"));
        }
    }
    return rc;
}

static void on_error(void *c, struct http_request *req, int status, struct http_response *res)
{
    struct server_ctx *ctx = c;
    struct site_page pg;
    struct store *s;
    if (api_owns_path(req->path.len ? req->path : req->raw_path)) {
        api_error_response(req, status, res); /* API clients get JSON, also from the server */
        return;
    }
    if (status != 404 && status != 410)
        return; /* the server's generic page says no more than the status */
    s = thread_store(ctx);
    if (s == NULL)
        return;
    /* the 404 page in the site's look: render a path that names nothing */
    if (site_render(atomic_load(&ctx->app), s, &req->arena, STR_LIT("/-/"), &pg) == MH_OK) {
        res->content_type = pg.content_type;
        res->body = pg.body;
    }
}

static void on_reload(void *c)
{
    struct server_ctx *ctx = c;
    struct site_app *fresh;
    char err[1024];
    if (ctx->n_retired == MH_ARRAY_LEN(ctx->retired)) {
        log_error("reload: the theme was reloaded %zu times; restart the server to reload it "
                  "again", ctx->n_retired);
        return;
    }
    if (site_app_new(ctx->site, ctx->theme_dir, &fresh, err, sizeof(err)) != MH_OK) {
        log_error("reload: keeping the old theme: %s", err);
        return;
    }
    /* A request may still be rendering with the old theme: it is retired, not
     * freed, until the server has stopped. */
    ctx->retired[ctx->n_retired++] = atomic_exchange(&ctx->app, fresh);
    page_cache_invalidate(ctx->cache);
    log_info("reloaded the theme from %s", ctx->theme_dir);
}

/* ------------------------------------------------------------------ */
/* --mirror OUT: a static copy kept current                              */

#define MIRROR_POLL_MS 500
#define MIRROR_RETRY_S 10 /* after a failed publish */

/* The mirror thread: publish OUT once, then again whenever the change log
 * moves (the newsroom published, an import ran) and every
 * RANKING_REFRESH_S, so that the most-read lists follow the counters.  An
 * incremental publish renders only what the changes touch; a failed one is
 * logged and retried at the next change or refresh. */
static void *mirror_main(void *arg)
{
    struct server_ctx *ctx = arg;
    struct views *v = &ctx->views;
    struct store *s;
    char err[1024];
    int64_t done = -1, seq;
    uint64_t last_run = 0, retry_at = 0;
    if (store_open(ctx->db_path, false, true, &s, err, sizeof(err)) != MH_OK) {
        log_error("the mirror in '%s' will not be kept: %s", ctx->mirror, err);
        return NULL;
    }
    pthread_mutex_lock(&v->mu);
    while (!v->stop) {
        pthread_mutex_unlock(&v->mu);
        uint64_t mono = clock_mono_ns();
        bool due = last_run == 0 ||
                   mono - last_run >= (uint64_t)RANKING_REFRESH_S * 1000000000u;
        if (store_change_seq(s, &seq) != MH_OK)
            log_error("mirror: cannot read the change log: %s", store_errmsg(s));
        else if ((due || seq != done) && mono >= retry_at) {
            struct publish_opts o = {.out = ctx->mirror, .threads = 1};
            struct publish_stats st;
            last_run = mono;
            if (publish_run(ctx->site, atomic_load(&ctx->app), &o, &st, err, sizeof(err)) ==
                MH_OK) {
                done = seq;
                if (st.written || st.removed)
                    log_info("mirror %s: %llu written, %llu unchanged, %llu removed, %.3f s",
                             ctx->mirror, (unsigned long long)st.written,
                             (unsigned long long)st.unchanged,
                             (unsigned long long)st.removed, st.seconds);
            } else { /* a full disk, another publisher: try again in a while */
                log_error("mirror %s: %s (trying again in %d s)", ctx->mirror, err,
                          MIRROR_RETRY_S);
                retry_at = clock_mono_ns() + (uint64_t)MIRROR_RETRY_S * 1000000000u;
            }
        }
        pthread_mutex_lock(&v->mu);
        if (v->stop)
            break;
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += MIRROR_POLL_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&v->mirror_wake, &v->mu, &until);
    }
    pthread_mutex_unlock(&v->mu);
    store_close(s);
    return NULL;
}

int cmd_serve(int argc, char **argv)
{
    struct cli_args a;
    const char *name, *value, *listen = NULL, *theme = NULL, *mirror = NULL;
    int64_t threads = -1;
    char err[1024];
    cli_args_init(&a, argc, argv);
    while (cli_next_option(&a, &name, &value)) {
        if (strcmp(name, "--listen") == 0) {
            if ((listen = cli_option_value(&a, name, value)) == NULL)
                return 2;
        } else if (strcmp(name, "--threads") == 0) {
            if (cli_int("serve", name, cli_option_value(&a, name, value), 0, 256, &threads))
                return 2;
        } else if (strcmp(name, "--theme") == 0) {
            if ((theme = cli_option_value(&a, name, value)) == NULL)
                return 2;
        } else if (strcmp(name, "--mirror") == 0) {
            if ((mirror = cli_option_value(&a, name, value)) == NULL || mirror[0] == '\0')
                return 2;
        } else {
            fprintf(stderr, "masthead serve: unknown option '%s'\n", name);
            return cli_usage("serve");
        }
    }
    if (a.n_operands != 1)
        return cli_usage("serve");
    struct server_ctx ctx = {0};
    ctx.mirror = mirror;
    ctx.site = cli_open_site("serve", a.operands[0], false);
    if (ctx.site == NULL)
        return 1;
    /* the first pages need a most-read list; later the watcher redraws it */
    if (site_rankings_refresh(ctx.site->store) != MH_OK)
        log_error("cannot draw the most-read lists: %s", store_errmsg(ctx.site->store));
    snprintf(ctx.theme_dir, sizeof(ctx.theme_dir), "%s", theme ? theme : MH_THEME_DIR);
    struct site_app *app;
    if (site_app_new(ctx.site, ctx.theme_dir, &app, err, sizeof(err)) != MH_OK) {
        fprintf(stderr, "masthead serve: %s\n", err);
        site_close(ctx.site);
        return 1;
    }
    atomic_store(&ctx.app, app);
    if (admin_app_new(ctx.site, &ctx.admin, err, sizeof(err)) != MH_OK) {
        fprintf(stderr, "masthead serve: %s\n", err);
        site_app_free(app);
        site_close(ctx.site);
        return 1;
    }
    ctx.db_path = site_path(ctx.site, NULL, STR_LIT(STORE_DB_FILE));
    pthread_key_create(&ctx.store_key, close_store);

    struct http_config cfg = {0};
    cfg.listen = listen ? listen : ctx.site->conf.listen;
    cfg.threads = threads >= 0 ? (int)threads : ctx.site->conf.threads;
    cfg.max_per_ip = 256;
    /* an image upload may be larger than other bodies: the site's image limit and its form */
    cfg.body_limits[0].prefix = "/admin/media/upload";
    cfg.body_limits[0].max = ((size_t)ctx.site->conf.image_max_mb + 1) * 1024 * 1024;
    cfg.access_log = ctx.site->conf.access_log == ACCESS_LOG_JSON  ? HTTP_LOG_JSON
                     : ctx.site->conf.access_log == ACCESS_LOG_OFF ? HTTP_LOG_OFF
                                                                   : HTTP_LOG_COMBINED;
    ctx.cache = page_cache_new((size_t)ctx.site->conf.cache_mb * 1024 * 1024);
    pthread_mutex_init(&ctx.views.mu, NULL);
    pthread_cond_init(&ctx.views.wake, NULL);
    pthread_cond_init(&ctx.views.mirror_wake, NULL);
    pthread_t flusher, mirror_thread;
    if (pthread_create(&flusher, NULL, views_main, &ctx) != 0)
        MH_BUG("cannot start the page-view thread");
    if (mirror && pthread_create(&mirror_thread, NULL, mirror_main, &ctx) != 0)
        MH_BUG("cannot start the mirror thread");
    /* search-engine push ([push] in masthead.conf): a thread of its own */
    struct push *push = NULL;
    if (push_start(&ctx.site->conf, ctx.db_path, &push) != MH_OK)
        log_error("search engines will not be told of changes");
    /* its own connection: its commits change data_version, so the page cache drops at once */
    if (newsroom_scheduler_start(ctx.db_path, &ctx.scheduler) != MH_OK)
        fprintf(stderr, "masthead serve: scheduled articles will not be published (see above)\n");
    /* derivatives of the images, made in the background (NULL: logged, pages use originals) */
    struct media_worker *images = media_worker_start(ctx.site, ctx.db_path, ctx.theme_dir);
    struct http_server *srv = http_server_new(&cfg, handle, on_error, &ctx, err, sizeof(err));
    int rc = 1;
    if (srv == NULL) {
        fprintf(stderr, "masthead serve: %s\n", err);
    } else {
        /* the host of --listen, as a reader would type it */
        const char *colon = strrchr(cfg.listen, ':');
        int hostlen = colon ? (int)(colon - cfg.listen) : (int)strlen(cfg.listen);
        bool any = hostlen == 0 || strncmp(cfg.listen, "0.0.0.0", 7) == 0 ||
                   strncmp(cfg.listen, "[::]", 4) == 0;
        fprintf(stderr, "masthead: serving %s on http://%.*s:%d/ (theme %s)\n", a.operands[0],
                any ? 9 : hostlen, any ? "127.0.0.1" : cfg.listen, http_server_port(srv),
                ctx.theme_dir);
        rc = http_server_run(srv, on_reload, &ctx) == MH_OK ? 0 : 1;
        http_server_free(srv);
    }
    push_stop(push);
    newsroom_scheduler_stop(ctx.scheduler);
    media_worker_stop(images);
    pthread_mutex_lock(&ctx.views.mu);
    ctx.views.stop = true;
    pthread_cond_signal(&ctx.views.wake);
    pthread_cond_signal(&ctx.views.mirror_wake);
    pthread_mutex_unlock(&ctx.views.mu);
    if (mirror) /* stops before the flusher, as workers do */
        pthread_join(mirror_thread, NULL);
    pthread_join(flusher, NULL);
    pthread_cond_destroy(&ctx.views.mirror_wake);
    pthread_cond_destroy(&ctx.views.wake);
    page_cache_free(ctx.cache);
    pthread_mutex_destroy(&ctx.views.mu);
    site_app_free(atomic_load(&ctx.app));
    admin_app_free(ctx.admin);
    for (size_t i = 0; i < ctx.n_retired; i++)
        site_app_free(ctx.retired[i]);
    free(ctx.db_path);
    site_close(ctx.site);
    return rc;
}
