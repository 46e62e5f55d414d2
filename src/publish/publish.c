/* SPDX-License-Identifier: MIT */
/*
 * publish.c - a publish run: lock the folder, read the manifest (and the
 * journal of a killed run), decide which pages to render (all of them, or
 * those the change log since the last run can touch), render them on a few
 * threads with site_render() and page_entry_encode(), write the files whose
 * bytes changed (temporary name + rename), remove the pages that are gone,
 * and replace the manifest.  Which pages a change touches is in
 * docs/internals/publish.md; the rule of thumb is "exact for the common
 * edit, the whole edition when in doubt".
 *
 * fsync policy: page files are not synced one by one (a killed process
 * loses nothing the kernel has; every reader sees an old or a new file
 * thanks to rename).  Before the manifest is replaced, syncfs() flushes the
 * folder's file system once, and the manifest itself is written with fsync,
 * so a manifest on disk never describes files that are not on disk.
 */
#define _GNU_SOURCE /* syncfs */
#include "core/compat.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <sodium.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/fs.h"
#include "core/limits.h"
#include "core/log.h"
#include "feed/feed.h"
#include "publish/publish.h"
#include "publish/publish_int.h"
#include "site/site.h"
#include "store/pubdb.h"
#include "store/store.h"

/* ------------------------------------------------------------------ */
/* Jobs: one page each                                                   */

enum job_kind {
    JOB_PAGE,   /* a page or asset: written when its bytes change */
    JOB_404,    /* the 404 page, expected to answer 404 */
    JOB_FINGER, /* an edition's fingerprint: rendered, hashed, not written */
    JOB_MEDIA,  /* a media file: content-addressed, written once */
};

struct job {
    struct str url, file;  /* "/english/", "english/index.html" */
    struct str edition;    /* JOB_FINGER */
    enum job_kind kind;
    /* results, filled by the worker */
    int rc;
    bool made, written, gone;
    bool article;   /* an article page: look, place, keywords and channel are set */
    bool newest;    /* site_page.lists_newest */
    unsigned flags; /* PE_GZ | PE_BR */
    unsigned char hash[PUBLISH_HASH_LEN];
    unsigned char look[PUBLISH_HASH_LEN], place[PUBLISH_HASH_LEN];
    struct str channel, keywords;
    int64_t published_at;
    const int64_t *shows; /* the articles it links, less its edition's chrome */
    size_t n_shows;
};

/* The articles an edition's chrome links (Top News, Most Read): every page
 * shows them, so a change of them is a fingerprint change, not a link. */
struct chrome {
    struct str edition;
    const int64_t *ids; /* sorted */
    size_t n;
};

struct run {
    struct site *site;
    struct site_app *app;
    const struct publish_opts *o;
    char *db_path;
    int dirfd;            /* OUT */
    int journal;          /* OUT/.masthead-publish.journal, O_APPEND */
    struct pubdb *db;     /* OUT/.masthead-publish */
    struct store *main_store; /* the planning connection, lent to the calling thread's worker */
    struct manifest m;
    struct manifest planned; /* the files of the jobs, as a set */
    bool recovering;      /* the journal of a killed run was found */
    struct arena arena;   /* URLs and file names of the jobs */
    struct job *jobs;
    size_t n_jobs, cap_jobs;
    struct chrome chrome[PUBLISH_MAX_EDITIONS];
    size_t n_chrome;
    pthread_mutex_t keep_mu; /* for KEEP */
    struct arena keep;    /* the workers' results that outlive a job */
    atomic_size_t next, done;
    pthread_mutex_t err_mu;
    int rc;               /* the first worker error */
    char err[512];
};

/* Add a job; NULL when FILE is planned already (a page found by two rules,
 * a derivative file named by two rows): two jobs on one file would race. */
static struct job *add_job(struct run *r, enum job_kind kind, struct str url, struct str file)
{
    if (file.len) {
        if (manifest_find(&r->planned, file))
            return NULL;
        manifest_put(&r->planned, file);
    }
    if (r->n_jobs == r->cap_jobs) {
        r->cap_jobs = r->cap_jobs ? 2 * r->cap_jobs : 1024;
        r->jobs = mh_realloc(r->jobs, r->cap_jobs * sizeof(*r->jobs));
    }
    struct job *j = &r->jobs[r->n_jobs++];
    memset(j, 0, sizeof(*j));
    j->kind = kind;
    j->url = arena_str(&r->arena, url);
    j->file = arena_str(&r->arena, file);
    return j;
}

/* The file a URL path is written to: a folder's "index.html", else the
 * path without its leading slash. */
static struct str file_of(struct arena *a, struct str url)
{
    struct buf b;
    buf_init(&b, a, PUBLISH_PATH_MAX);
    buf_add(&b, url.ptr + 1, url.len - 1);
    if (url.ptr[url.len - 1] == '/')
        buf_adds(&b, "index.html");
    return buf_str(&b);
}

static struct job *add_page(struct run *r, struct str url)
{
    return add_job(r, JOB_PAGE, url, file_of(&r->arena, url));
}

/* The front page of EDITION: "/english/". */
static void add_front(struct run *r, struct str edition)
{
    struct buf b;
    buf_init(&b, &r->arena, 256);
    buf_addf(&b, "/%.*s/", (int)edition.len, edition.ptr);
    add_page(r, buf_str(&b));
}

/* ------------------------------------------------------------------ */
/* Which pages                                                           */

static int edition_pages(struct run *r, struct store *s, const struct edition *ed)
{
    struct arena *a = &r->arena;
    struct channel *chs;
    struct article_card *cards;
    size_t n_ch, n;
    int rc = store_channels(s, a, ed->slug, &chs, &n_ch);
    if (rc)
        return rc;
    add_front(r, ed->slug);
    for (size_t i = 0; i < n_ch; i++) {
        int64_t total;
        rc = store_cards_count(s, ed->slug, chs[i].slug, &total);
        if (rc)
            return rc;
        int64_t pages = total ? (total + SITE_PAGE_SIZE - 1) / SITE_PAGE_SIZE : 1;
        for (int64_t p = 1; p <= pages; p++)
            add_page(r, site_channel_url(a, ed->slug, chs[i].slug, p));
    }
    /* every published article: the newest first, in slices */
    struct arena scratch;
    arena_init(&scratch, 1024 * 1024);
    for (int64_t off = 0;; off += 10000) {
        arena_reset(&scratch);
        rc = store_cards_latest(s, &scratch, ed->slug, STR_NULL, off, 10000, &cards, &n);
        for (size_t i = 0; rc == MH_OK && i < n; i++) {
            add_page(r, site_article_url(&scratch, ed, cards[i].published_at, cards[i].id));
        }
        if (rc || n < 10000)
            break;
    }
    arena_release(&scratch);
    return rc;
}

static void add_media(struct run *r, struct str path)
{
    struct buf b;
    buf_init(&b, &r->arena, PUBLISH_PATH_MAX);
    buf_addc(&b, '/');
    buf_addstr(&b, path);
    add_job(r, JOB_MEDIA, buf_str(&b), path);
}

/* The derivatives made so far of image MEDIA_ID (media/derive.c), as files. */
static int add_derivatives(struct run *r, struct store *s, int64_t media_id)
{
    struct image_derivative *d;
    size_t n;
    struct arena scratch;
    arena_init(&scratch, 4096);
    int rc = store_derivatives_get(s, &scratch, media_id, &d, &n);
    for (size_t i = 0; rc == MH_OK && i < n; i++)
        add_media(r, d[i].path);
    arena_release(&scratch);
    return rc;
}

struct media_walk {
    struct run *r;
    int64_t *ids;
    size_t n, cap;
};

static int media_job(void *ctx, const struct media *m)
{
    struct media_walk *w = ctx;
    add_media(w->r, m->path);
    if (w->n == w->cap) {
        w->cap = w->cap ? 2 * w->cap : 1024;
        w->ids = mh_realloc(w->ids, w->cap * sizeof(*w->ids));
    }
    w->ids[w->n++] = m->id;
    return MH_OK;
}

/* The whole media library: every original and every derivative. */
static int all_media(struct run *r, struct store *s)
{
    struct media_walk w = {.r = r};
    int rc = store_media_each(s, media_job, &w);
    for (size_t i = 0; rc == MH_OK && i < w.n; i++)
        rc = add_derivatives(r, s, w.ids[i]);
    free(w.ids);
    return rc;
}

/* Pages every run renders: the fingerprints, the 404 page, the theme's files. */
static int site_wide(struct run *r, const struct edition *eds, size_t n_eds)
{
    struct arena *a = &r->arena;
    for (size_t i = 0; i < n_eds; i++) {
        struct buf b;
        buf_init(&b, a, 256);
        buf_addf(&b, "/%.*s/-", (int)eds[i].slug.len, eds[i].slug.ptr);
        struct job *j = add_job(r, JOB_FINGER, buf_str(&b), STR_NULL);
        j->edition = arena_str(a, eds[i].slug);
    }
    add_job(r, JOB_404, STR_LIT("/-/"), STR_LIT("404.html"));
    const char *css, *js;
    site_app_assets(r->app, &css, &js);
    add_page(r, str_c(css));
    add_page(r, str_c(js));
    return MH_OK;
}

#define HASH_ADD(st_, s_)                                                                     \
    do {                                                                                       \
        struct str v_ = (s_);                                                                  \
        uint64_t n_ = v_.len;                                                                  \
        crypto_generichash_update((st_), (const unsigned char *)&n_, sizeof(n_));              \
        crypto_generichash_update((st_), (const unsigned char *)v_.ptr, v_.len);               \
    } while (0)

/* How lists, related lists and feeds show an article: its title, abstract
 * and lead image (with the derivatives made of it). */
static void look_hash(struct store *s, const struct article *art,
                      unsigned char out[PUBLISH_HASH_LEN])
{
    crypto_generichash_state st;
    char num[64];
    crypto_generichash_init(&st, NULL, 0, PUBLISH_HASH_LEN);
    HASH_ADD(&st, art->title);
    HASH_ADD(&st, art->abstract);
    if (art->n_images) {
        const struct article_image *im = &art->images[0];
        snprintf(num, sizeof(num), "%d %d", im->width, im->height);
        HASH_ADD(&st, im->path);
        HASH_ADD(&st, im->alt);
        HASH_ADD(&st, str_c(num));
        /* lists show its derivatives (srcset) once they are made */
        struct image_derivative *d;
        size_t n;
        struct arena scratch;
        arena_init(&scratch, 4096);
        if (s && store_derivatives_get(s, &scratch, im->media_id, &d, &n) == MH_OK)
            for (size_t i = 0; i < n; i++)
                HASH_ADD(&st, d[i].path);
        arena_release(&scratch);
    }
    crypto_generichash_final(&st, out, PUBLISH_HASH_LEN);
}

/* Where lists put an article, and which related lists may take it: its
 * state, first publication, edition, channel, keywords, translation. */
static void place_hash(const struct article *art, unsigned char out[PUBLISH_HASH_LEN])
{
    crypto_generichash_state st;
    char num[64];
    crypto_generichash_init(&st, NULL, 0, PUBLISH_HASH_LEN);
    snprintf(num, sizeof(num), "%d %lld %lld", (int)art->status,
             (long long)art->first_published_at, (long long)art->translation_of);
    HASH_ADD(&st, str_c(num));
    HASH_ADD(&st, art->edition);
    HASH_ADD(&st, art->channel);
    for (size_t i = 0; i < art->n_keywords; i++)
        HASH_ADD(&st, art->keywords[i]);
    crypto_generichash_final(&st, out, PUBLISH_HASH_LEN);
}
#undef HASH_ADD

/* More edited articles than this since the last run: render everything
 * rather than decide for each. */
#define PUBLISH_MAX_EDITS 2000
/* More pages than this picked one by one in an edition: render it whole. */
#define PUBLISH_MAX_PICKED 5000

/* Where an article's change shows beyond the pages that link it: its
 * edition's and channel's feeds and its month's sitemap, and when its place
 * changed, the edition's sections sitemap (each section's newest date). */
struct page_edit {
    char edition[64], channel[64];
    char month[16]; /* "2026-03", UTC, as the sitemaps split */
    bool placed;
};

struct change_scan {
    struct page_edit *edits;
    size_t n_edits;
    bool all;                  /* a site-wide change, or the log was pruned */
    char full[PUBLISH_MAX_EDITIONS][64]; /* editions to render whole */
    size_t n_full;
    int64_t *ids;              /* articles changed in the other editions */
    size_t n_ids, cap_ids;
    struct {
        char edition[64];
        size_t n;
    } picked[PUBLISH_MAX_EDITIONS]; /* pages picked one by one, per edition */
    size_t n_picked;
};

static void mark_full(struct change_scan *cs, struct str edition)
{
    for (size_t i = 0; i < cs->n_full; i++)
        if (str_eq_c(edition, cs->full[i]))
            return;
    if (cs->n_full == PUBLISH_MAX_EDITIONS || edition.len >= sizeof(cs->full[0])) {
        cs->all = true;
        return;
    }
    memcpy(cs->full[cs->n_full], edition.ptr, edition.len);
    cs->full[cs->n_full++][edition.len] = '\0';
}

static bool is_full(const struct change_scan *cs, struct str edition)
{
    for (size_t i = 0; i < cs->n_full; i++)
        if (str_eq_c(edition, cs->full[i]))
            return true;
    return cs->all;
}

/* Count N more pages picked in EDITION; past PUBLISH_MAX_PICKED it is
 * rendered whole. */
static void count_picked(struct change_scan *cs, struct str edition, size_t n)
{
    size_t i = 0;
    while (i < cs->n_picked && !str_eq_c(edition, cs->picked[i].edition))
        i++;
    if (i == cs->n_picked) {
        if (i == PUBLISH_MAX_EDITIONS || edition.len >= sizeof(cs->picked[0].edition))
            return mark_full(cs, edition);
        memcpy(cs->picked[i].edition, edition.ptr, edition.len);
        cs->picked[i].edition[edition.len] = '\0';
        cs->picked[i].n = 0;
        cs->n_picked++;
    }
    cs->picked[i].n += n;
    if (cs->picked[i].n > PUBLISH_MAX_PICKED)
        mark_full(cs, edition);
}

static int on_change(void *ctx, const struct store_change *c)
{
    struct change_scan *cs = ctx;
    if (c->kind == STORE_CHANGE_SITE || (c->kind == STORE_CHANGE_CHROME && c->edition.len == 0)) {
        cs->all = true;
    } else if (c->kind == STORE_CHANGE_CHROME) {
        mark_full(cs, c->edition);
    } else if (c->article_id && !is_full(cs, c->edition)) {
        for (size_t i = 0; i < cs->n_ids; i++)
            if (cs->ids[i] == c->article_id)
                return MH_OK;
        if (cs->n_ids == PUBLISH_MAX_EDITS) {
            cs->all = true; /* a mass change (an import): render everything */
            return MH_OK;
        }
        if (cs->n_ids == cs->cap_ids) {
            cs->cap_ids = cs->cap_ids ? 2 * cs->cap_ids : 64;
            cs->ids = mh_realloc(cs->ids, cs->cap_ids * sizeof(*cs->ids));
        }
        cs->ids[cs->n_ids++] = c->article_id;
    }
    return MH_OK;
}

static void note_edit(struct change_scan *cs, struct str edition, struct str channel,
                      int64_t published_at, bool placed)
{
    struct page_edit *e;
    if (edition.len >= sizeof(e->edition) || channel.len >= sizeof(e->channel))
        return mark_full(cs, edition);
    cs->edits = mh_realloc(cs->edits, (cs->n_edits + 1) * sizeof(*cs->edits));
    e = &cs->edits[cs->n_edits++];
    memset(e, 0, sizeof(*e));
    memcpy(e->edition, edition.ptr, edition.len);
    memcpy(e->channel, channel.ptr, channel.len);
    e->placed = placed;
    time_t t = (time_t)(published_at / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(e->month, sizeof(e->month), "%04d-%02d", (tm.tm_year + 1900) % 10000,
             (tm.tm_mon + 1) % 100);
}

/* The folder of the edition FILE belongs to: "english/2026-03/06/content_1.html",
 * "english/rss.xml" and "sitemaps/english/2026-03.xml" -> "english"; "" for
 * the site's own files at the top ("robots.txt", "sitemap.xml", the IndexNow
 * key).  Other top folders ("static", "media") come back as they are. */
static struct str edition_of(struct str file)
{
    const char *slash = memchr(file.ptr, '/', file.len);
    if (slash == NULL)
        return STR_NULL;
    struct str top = str_make(file.ptr, (size_t)(slash - file.ptr));
    if (!str_eq_c(top, "sitemaps"))
        return top;
    struct str rest = str_make(slash + 1, file.len - top.len - 1);
    slash = memchr(rest.ptr, '/', rest.len);
    return slash ? str_make(rest.ptr, (size_t)(slash - rest.ptr)) : STR_NULL;
}

/* Does an article change E show in the feed or sitemap at PATH (of E's edition)? */
static bool feed_shows(const struct page_edit *e, struct str path)
{
    char want[256];
    static const char *const own[] = {"rss.xml", "atom.xml", "news-sitemap.xml"};
    for (size_t i = 0; i < MH_ARRAY_LEN(own); i++) {
        snprintf(want, sizeof(want), "/%s/%s", e->edition, own[i]);
        if (str_eq_c(path, want))
            return true;
        snprintf(want, sizeof(want), "/%s/%s/%s", e->edition, e->channel, own[i]);
        if (str_eq_c(path, want))
            return true;
    }
    snprintf(want, sizeof(want), "/sitemaps/%s/sections.xml", e->edition);
    if (e->placed && str_eq_c(path, want))
        return true;
    snprintf(want, sizeof(want), "/sitemaps/%s/%s", e->edition, e->month);
    return str_starts(path, want);
}

/* The URL of page FILE: "english/index.html" -> "/english/". */
static struct str url_of(struct arena *a, struct str file)
{
    struct buf b;
    buf_init(&b, a, PUBLISH_PATH_MAX + 1);
    buf_addc(&b, '/');
    if (str_eq_c(file, "index.html"))
        return buf_str(&b);
    size_t n = file.len;
    if (n > 11 && memcmp(file.ptr + n - 11, "/index.html", 11) == 0)
        n -= 10;
    buf_add(&b, file.ptr, n);
    return buf_str(&b);
}

/* Record rows to render again, those under folder EDITION (all when empty). */
struct pick {
    struct run *r;
    struct str edition;
    size_t n; /* jobs added */
};

static int pick_row(void *ctx, const struct pubdb_page *p)
{
    struct pick *pk = ctx;
    if (pk->edition.len && !(p->file.len > pk->edition.len &&
                             memcmp(p->file.ptr, pk->edition.ptr, pk->edition.len) == 0 &&
                             p->file.ptr[pk->edition.len] == '/'))
        return MH_OK;
    if (manifest_take(&pk->r->m, p) && add_page(pk->r, url_of(&pk->r->arena, p->file)))
        pk->n++;
    return MH_OK;
}

/* The feeds and sitemaps the run's scope touches: all of them for a whole
 * run; those of whole editions, and the site's own (robots.txt, the
 * sitemap index) when anything changed; and for a changed article, the
 * feeds that may list it and its month's sitemap, with the parts the
 * record has of that month (a part may be gone). */
static int plan_feeds(struct run *r, struct store *s, const struct change_scan *cs)
{
    struct str *paths;
    size_t n;
    if (!cs->all && cs->n_full == 0 && cs->n_edits == 0)
        return MH_OK;
    int rc = feed_paths(r->site, s, &r->arena, NULL, &paths, &n);
    if (rc)
        return rc;
    for (size_t i = 0; i < n; i++) {
        struct str ed = edition_of(str_make(paths[i].ptr + 1, paths[i].len - 1));
        bool want = cs->all || ed.len == 0 || is_full(cs, ed);
        for (size_t k = 0; k < cs->n_edits && !want; k++)
            want = str_eq_c(ed, cs->edits[k].edition) && feed_shows(&cs->edits[k], paths[i]);
        if (want)
            add_page(r, paths[i]);
    }
    for (size_t k = 0; rc == MH_OK && k < cs->n_edits; k++) {
        const struct page_edit *e = &cs->edits[k];
        struct pick pk = {r, STR_NULL, 0};
        char prefix[256];
        if (!e->placed || is_full(cs, str_c(e->edition)))
            continue;
        snprintf(prefix, sizeof(prefix), "sitemaps/%s/%s", e->edition, e->month);
        rc = pubdb_pages_under(r->db, str_c(prefix), pick_row, &pk);
    }
    return rc;
}

/* An article page as the record had it, the strings in ARENA. */
struct old_page {
    struct arena *arena;
    struct manifest *m;
    bool found;
    struct pubdb_page p;
};

static int take_old(void *ctx, const struct pubdb_page *p)
{
    struct old_page *o = ctx;
    manifest_take(o->m, p);
    if (o->found)
        return MH_OK;
    o->found = true;
    o->p = *p;
    o->p.file = arena_str(o->arena, p->file);
    o->p.channel = arena_str(o->arena, p->channel);
    o->p.keywords = arena_str(o->arena, p->keywords);
    return MH_OK;
}

/* Pick the pages an article whose place changed (published, withdrawn,
 * deleted, moved, re-dated, new keywords) may change in EDITION, besides its
 * own: the pages that link it; every page of its old and new channel's
 * lists (they shift) and those the record has (a last page may be gone);
 * the articles of those channels whose related lists were topped up with
 * the channel's newest; and every article holding one of its old or new
 * keywords, whose related lists it may enter or leave.  ART is NULL when
 * the article is gone. */
static int pick_placed(struct run *r, struct store *s, struct change_scan *cs,
                       struct arena *scratch, struct str edition, const struct article *art,
                       const struct old_page *old, int64_t id)
{
    struct pick pk = {r, edition, 0};
    struct str channels[2], kws[2 * MH_MAX_LIST + 2];
    size_t n_ch = 0, n_kw = 0;
    int rc = pubdb_showing(r->db, id, pick_row, &pk);
    if (art) {
        channels[n_ch++] = art->channel;
        for (size_t i = 0; i < art->n_keywords && n_kw < MH_ARRAY_LEN(kws); i++)
            kws[n_kw++] = art->keywords[i];
    }
    if (old->found) {
        if (n_ch == 0 || !str_eq(channels[0], old->p.channel))
            channels[n_ch++] = old->p.channel;
        struct str rest = old->p.keywords;
        while (rest.len && n_kw < MH_ARRAY_LEN(kws)) {
            const char *nl = memchr(rest.ptr, '\n', rest.len);
            size_t len = nl ? (size_t)(nl - rest.ptr) : rest.len;
            kws[n_kw++] = str_make(rest.ptr, len);
            rest = nl ? str_make(nl + 1, rest.len - len - 1) : STR_NULL;
        }
    }
    for (size_t c = 0; rc == MH_OK && c < n_ch; c++) {
        int64_t total;
        char prefix[256];
        if (channels[c].len == 0)
            continue;
        rc = store_cards_count(s, edition, channels[c], &total);
        for (int64_t p = 1; rc == MH_OK && p <= (total + SITE_PAGE_SIZE - 1) / SITE_PAGE_SIZE;
             p++)
            if (add_page(r, site_channel_url(&r->arena, edition, channels[c], p)))
                pk.n++;
        snprintf(prefix, sizeof(prefix), "%.*s/%.*s/index", (int)edition.len, edition.ptr,
                 (int)channels[c].len, channels[c].ptr);
        if (rc == MH_OK)
            rc = pubdb_pages_under(r->db, str_c(prefix), pick_row, &pk);
        if (rc == MH_OK)
            rc = pubdb_channel_pages(r->db, edition, channels[c], PE_NEWEST, pick_row, &pk);
    }
    for (size_t k = 0; rc == MH_OK && k < n_kw && !is_full(cs, edition); k++) {
        int64_t *holders;
        size_t n;
        rc = store_keyword_holders(s, scratch, kws[k], &holders, &n);
        for (size_t i = 0; rc == MH_OK && i < n; i++)
            if (holders[i] != id)
                rc = pubdb_article_pages(r->db, holders[i], pick_row, &pk);
        count_picked(cs, edition, pk.n);
        pk.n = 0;
    }
    count_picked(cs, edition, pk.n);
    return rc;
}

/* Decide, for the articles changed in editions not rendered whole, which
 * pages their changes reach: its own page alone for what no other page
 * shows (body, authors, source, editor); with the pages that link it for
 * a new look (title, abstract, lead image); pick_placed()'s pages for a new
 * place.  An edition that would take too many is rendered whole. */
static int plan_articles(struct run *r, struct store *s, struct change_scan *cs,
                         const struct edition *eds, size_t n_eds)
{
    struct arena scratch;
    int rc = MH_OK;
    arena_init(&scratch, 64 * 1024);
    for (size_t i = 0; rc == MH_OK && i < cs->n_ids && !cs->all; i++) {
        struct article art;
        struct old_page old = {.arena = &scratch, .m = &r->m};
        int64_t id = cs->ids[i];
        arena_reset(&scratch);
        rc = pubdb_article_pages(r->db, id, take_old, &old);
        if (rc)
            break;
        rc = store_article_get(s, &scratch, id, &art);
        bool found = rc == MH_OK;
        if (rc == MH_NOTFOUND)
            rc = MH_OK;
        if (rc)
            break;
        const struct edition *ed = NULL;
        for (size_t k = 0; found && k < n_eds; k++)
            if (str_eq(eds[k].slug, art.edition))
                ed = &eds[k];
        bool live = ed && art.status == ARTICLE_PUBLISHED;
        struct str old_ed = old.found ? edition_of(old.p.file) : STR_NULL;
        struct str edition = live ? art.edition : old_ed;
        if (!live && !old.found)
            continue; /* a draft's edit: no page shows it */
        if (live && old.found && !str_eq(old_ed, art.edition)) {
            mark_full(cs, old_ed); /* moved to another edition */
            mark_full(cs, art.edition);
        }
        if (is_full(cs, edition))
            continue;
        unsigned char look[PUBLISH_HASH_LEN], place[PUBLISH_HASH_LEN];
        struct str url = STR_NULL, file = STR_NULL;
        if (live) {
            look_hash(s, &art, look);
            place_hash(&art, place);
            url = site_article_url(&scratch, ed, art.first_published_at, art.id);
            file = file_of(&scratch, url);
            add_page(r, url);
            for (size_t k = 0; rc == MH_OK && k < art.n_images; k++) {
                add_media(r, art.images[k].path);
                rc = add_derivatives(r, s, art.images[k].media_id);
            }
        }
        bool same_place = live && old.found && str_eq(file, old.p.file) &&
                          (old.p.flags & PE_CARD) &&
                          memcmp(old.p.place, place, PUBLISH_HASH_LEN) == 0;
        if (live)
            note_edit(cs, art.edition, art.channel, art.first_published_at, !same_place);
        if (same_place) {
            if (memcmp(old.p.look, look, PUBLISH_HASH_LEN) != 0) { /* the pages that link it */
                struct pick pk = {r, edition, 0};
                rc = pubdb_showing(r->db, id, pick_row, &pk);
                count_picked(cs, edition, pk.n);
            }
            continue;
        }
        if (old.found) { /* its old page goes, or moves */
            struct pick pk = {r, edition, 0};
            rc = pick_row(&pk, &old.p);
            note_edit(cs, old_ed, old.p.channel, old.p.published_at, true);
        }
        if (rc == MH_OK)
            rc = pick_placed(r, s, cs, &scratch, edition, live ? &art : NULL, &old, id);
    }
    arena_release(&scratch);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Writing                                                               */

static void set_err(struct run *r, int rc, const char *fmt, ...) MH_PRINTF(3, 4);
static void set_err(struct run *r, int rc, const char *fmt, ...)
{
    va_list ap;
    pthread_mutex_lock(&r->err_mu);
    if (r->rc == MH_OK) {
        r->rc = rc;
        va_start(ap, fmt);
        vsnprintf(r->err, sizeof(r->err), fmt, ap);
        va_end(ap);
    }
    pthread_mutex_unlock(&r->err_mu);
}

/* Note FILE in the journal before it is touched, so that a killed run's
 * files are known to the next one. */
static void journal_add(struct run *r, struct str file)
{
    char line[PUBLISH_PATH_MAX + 2];
    if (file.len + 1 >= sizeof(line))
        return;
    memcpy(line, file.ptr, file.len);
    line[file.len] = '\n';
    ssize_t w = write(r->journal, line, file.len + 1);
    (void)w; /* unwritable: after a kill, at worst an orphan file stays */
}

/* Make the folders of FILE (relative to OUT). */
static int make_dirs(struct run *r, const char *file)
{
    char path[PUBLISH_PATH_MAX];
    snprintf(path, sizeof(path), "%s", file);
    char *slash = strrchr(path, '/');
    if (slash == NULL)
        return MH_OK;
    *slash = '\0';
    for (char *p = path;; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (mkdirat(r->dirfd, path, 0755) != 0 && errno != EEXIST)
                return MH_IO;
            if (c == '\0')
                break;
            *p = c;
        }
    }
    return MH_OK;
}

/* Write DATA to FILE (relative to OUT): a temporary name, then a rename. */
static int write_file(struct run *r, const char *file, struct str data)
{
    char tmp[PUBLISH_PATH_MAX + 16];
    snprintf(tmp, sizeof(tmp), "%s.mh-tmp", file);
    int fd = openat(r->dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 && errno == ENOENT && make_dirs(r, file) == MH_OK)
        fd = openat(r->dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        set_err(r, MH_IO, "cannot create '%s/%s': %s", r->o->out, tmp, strerror(errno));
        return MH_IO;
    }
    size_t off = 0;
    while (off < data.len) {
        ssize_t w = write(fd, data.ptr + off, data.len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0) {
            set_err(r, MH_IO, "cannot write '%s/%s': %s", r->o->out, tmp, strerror(errno));
            close(fd);
            unlinkat(r->dirfd, tmp, 0);
            return MH_IO;
        }
        off += (size_t)w;
    }
    if (close(fd) != 0 || renameat(r->dirfd, tmp, r->dirfd, file) != 0) {
        set_err(r, MH_IO, "cannot write '%s/%s': %s", r->o->out, file, strerror(errno));
        unlinkat(r->dirfd, tmp, 0);
        return MH_IO;
    }
    return MH_OK;
}

static void remove_file(struct run *r, const char *file)
{
    if (unlinkat(r->dirfd, file, 0) != 0 && errno != ENOENT)
        log_warn("cannot remove '%s/%s': %s", r->o->out, file, strerror(errno));
}

/* Does FILE on disk hold exactly DATA? */
static bool same_on_disk(struct run *r, const char *file, struct str data)
{
    int fd = openat(r->dirfd, file, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct stat st;
    bool same = fstat(fd, &st) == 0 && (size_t)st.st_size == data.len;
    char chunk[65536];
    size_t off = 0;
    while (same && off < data.len) {
        ssize_t n = read(fd, chunk, sizeof(chunk));
        if (n <= 0 || (size_t)n > data.len - off || memcmp(chunk, data.ptr + off, (size_t)n))
            same = false;
        else
            off += (size_t)n;
    }
    close(fd);
    return same;
}

static bool exists(struct run *r, const char *file)
{
    return faccessat(r->dirfd, file, F_OK, 0) == 0;
}

/* Write a rendered page and its encodings when they differ from what the
 * folder holds. */
static void store_page(struct run *r, struct job *j, struct page_entry *pe)
{
    char file[PUBLISH_PATH_MAX], gz[PUBLISH_PATH_MAX + 4], br[PUBLISH_PATH_MAX + 4];
    snprintf(file, sizeof(file), "%.*s", (int)j->file.len, j->file.ptr);
    snprintf(gz, sizeof(gz), "%s.gz", file);
    snprintf(br, sizeof(br), "%s.br", file);
    j->flags = (pe->gzip.len ? PE_GZ : 0) | (pe->brotli.len ? PE_BR : 0);
    struct pentry *old = manifest_find(&r->m, j->file);
    bool same;
    if (r->o->full || r->recovering || old == NULL || (old->flags & PE_UNTRUSTED))
        same = old && memcmp(old->hash, j->hash, PUBLISH_HASH_LEN) == 0 &&
               (old->flags & (PE_GZ | PE_BR)) == j->flags &&
               same_on_disk(r, file, pe->page.body) && (!pe->gzip.len || exists(r, gz)) &&
               (!pe->brotli.len || exists(r, br));
    else
        same = memcmp(old->hash, j->hash, PUBLISH_HASH_LEN) == 0 &&
               (old->flags & (PE_GZ | PE_BR)) == j->flags;
    if (same)
        return;
    journal_add(r, j->file);
    /* the encodings first: a reader who sees the new page finds them new too */
    if ((pe->gzip.len ? write_file(r, gz, pe->gzip) : (remove_file(r, gz), MH_OK)) ||
        (pe->brotli.len ? write_file(r, br, pe->brotli) : (remove_file(r, br), MH_OK)) ||
        write_file(r, file, pe->page.body))
        return;
    j->written = true;
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* The chrome of EDITION, or NULL. */
static const struct chrome *chrome_of(const struct run *r, struct str edition)
{
    for (size_t i = 0; i < r->n_chrome; i++)
        if (str_eq(r->chrome[i].edition, edition))
            return &r->chrome[i];
    return NULL;
}

/* Keep what the record needs of page PG made by job J: the articles it
 * links (less its own and its edition's chrome), and for an article page
 * how lists show it and where they put it. */
static void keep_results(struct run *r, struct job *j, const struct site_page *pg)
{
    const struct chrome *ch = chrome_of(r, pg->edition);
    const struct article *art = pg->article;
    int64_t own = art ? art->id : 0;
    pthread_mutex_lock(&r->keep_mu);
    int64_t *shows = arena_alloc(&r->keep, (pg->n_shows + 1) * sizeof(*shows));
    size_t n = 0;
    for (size_t i = 0; i < pg->n_shows; i++) {
        int64_t id = pg->shows[i];
        if (id == own ||
            (ch && ch->n && bsearch(&id, ch->ids, ch->n, sizeof(id), cmp_id)))
            continue;
        shows[n++] = id;
    }
    j->shows = shows;
    j->n_shows = n;
    j->newest = pg->lists_newest;
    if (art && j->kind == JOB_PAGE) {
        struct buf kw;
        buf_init(&kw, &r->keep, MH_MAX_LIST * (MH_MAX_FIELD + 1));
        for (size_t i = 0; i < art->n_keywords; i++) {
            if (i)
                buf_addc(&kw, '\n');
            buf_addstr(&kw, art->keywords[i]);
        }
        j->keywords = buf_str(&kw);
        j->channel = arena_str(&r->keep, art->channel);
    }
    pthread_mutex_unlock(&r->keep_mu);
    if (art && j->kind == JOB_PAGE) {
        j->article = true;
        j->published_at = art->first_published_at;
        place_hash(art, j->place);
    }
}

static void do_job(struct run *r, struct store *s, struct site_memo *memo, struct arena *a,
                   struct job *j)
{
    struct page_entry pe;
    memset(&pe, 0, sizeof(pe));
    if (j->kind == JOB_MEDIA) {
        /* named by its content: written once */
        char file[PUBLISH_PATH_MAX];
        snprintf(file, sizeof(file), "%.*s", (int)j->file.len, j->file.ptr);
        struct pentry *old = manifest_find(&r->m, j->file);
        if (old && !(old->flags & PE_UNTRUSTED) && exists(r, file)) {
            memcpy(j->hash, old->hash, PUBLISH_HASH_LEN);
            j->made = true;
            return;
        }
    }
    int rc = site_render_memo(r->app, s, memo, a, j->url, &pe.page);
    if (rc) {
        set_err(r, rc, "cannot render '%.*s': %s", (int)j->url.len, j->url.ptr,
                mh_strerror(rc));
        j->rc = rc;
        return;
    }
    int want = j->kind == JOB_PAGE || j->kind == JOB_MEDIA ? 200 : 404;
    if (pe.page.status != want) {
        /* gone since the plan was made (withdrawn, deleted, moved), or a
         * media row whose file is missing */
        if (j->kind == JOB_MEDIA)
            log_warn("media file '%.*s' is missing from the site", (int)j->file.len,
                     j->file.ptr);
        j->gone = true;
        return;
    }
    page_entry_etag(&pe, a);
    /* the ETag is the hash in hex between quotes */
    for (size_t k = 0; k < PUBLISH_HASH_LEN; k++) {
        unsigned hi, lo;
        char c1 = pe.etag.ptr[1 + 2 * k], c2 = pe.etag.ptr[2 + 2 * k];
        hi = (unsigned)(c1 <= '9' ? c1 - '0' : c1 - 'a' + 10);
        lo = (unsigned)(c2 <= '9' ? c2 - '0' : c2 - 'a' + 10);
        j->hash[k] = (unsigned char)(hi << 4 | lo);
    }
    j->made = true;
    keep_results(r, j, &pe.page);
    if (j->article)
        look_hash(s, pe.page.article, j->look);
    if (j->kind == JOB_FINGER)
        return;
    struct pentry *old = manifest_find(&r->m, j->file);
    if (old && !(old->flags & PE_UNTRUSTED) && !r->o->full && !r->recovering &&
        memcmp(old->hash, j->hash, PUBLISH_HASH_LEN) == 0) {
        j->flags = old->flags & (PE_GZ | PE_BR); /* the same bytes: the same encodings */
        return;
    }
    if (j->kind != JOB_MEDIA)
        page_entry_compress(&pe, a);
    store_page(r, j, &pe);
}

struct worker {
    struct run *r;
    pthread_t tid;
    bool main;
    size_t from, to; /* the jobs of this round */
};

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct run *r = w->r;
    struct store *s;
    struct arena a;
    char err[512];
    if (w->main && r->main_store) { /* the run's own connection, idle while jobs run */
        s = r->main_store;
    } else if (store_open(r->db_path, false, true, &s, err, sizeof(err)) != MH_OK) {
        set_err(r, MH_DB, "%s", err);
        return NULL;
    }
    /* one snapshot for the thread's pages, and what they share read once */
    if (store_read_begin(s) != MH_OK) {
        set_err(r, MH_DB, "cannot read '%s': %s", r->db_path, store_errmsg(s));
        if (s != r->main_store)
            store_close(s);
        return NULL;
    }
    struct site_memo *memo = site_memo_new();
    arena_init(&a, 256 * 1024);
    for (;;) {
        size_t i = atomic_fetch_add(&r->next, 1) + w->from;
        if (i >= w->to || r->rc)
            break;
        do_job(r, s, memo, &a, &r->jobs[i]);
        arena_reset(&a);
        size_t d = atomic_fetch_add(&r->done, 1) + 1;
        if (w->main && r->o->progress && (d % 64 == 0 || i + 1 == w->to))
            r->o->progress(r->o->progress_ctx, d, r->n_jobs);
    }
    arena_release(&a);
    site_memo_free(memo);
    store_read_end(s);
    if (s != r->main_store)
        store_close(s);
    return NULL;
}

/* Run jobs [FROM, TO) on the threads; the calling thread is one of them. */
static int run_jobs(struct run *r, size_t from, size_t to)
{
    int n = r->o->threads > 0 ? r->o->threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    size_t most = (to - from + 15) / 16; /* a thread (and a connection) per 16 pages at most */
    if (n > 64)
        n = 64;
    if ((size_t)n > most)
        n = most ? (int)most : 1;
    struct worker w[64];
    atomic_store(&r->next, 0);
    for (int i = 0; i < n; i++) {
        w[i] = (struct worker){.r = r, .main = i == 0, .from = from, .to = to};
        if (i > 0 && pthread_create(&w[i].tid, NULL, worker_main, &w[i]) != 0)
            MH_BUG("cannot start a publishing thread");
    }
    worker_main(&w[0]);
    for (int i = 1; i < n; i++)
        pthread_join(w[i].tid, NULL);
    if (r->o->progress) /* the last job may have been another thread's */
        r->o->progress(r->o->progress_ctx, atomic_load(&r->done), r->n_jobs);
    return r->rc;
}

/* ------------------------------------------------------------------ */
/* The run                                                               */

static void take_finger(void *ctx, struct str edition, const unsigned char hash[PUBDB_HASH_LEN])
{
    if (manifest_set_finger(ctx, edition, hash) != MH_OK)
        return; /* too many: the run finds an edition without one and renders all */
}

/* Open the folder's record and read what the last run saw; a file that is
 * not a record (an older manifest, a damaged one) is replaced by an empty
 * record, and the run renders everything. */
static int open_record(struct run *r)
{
    char path[PUBLISH_PATH_MAX + 64], err[512];
    snprintf(path, sizeof(path), "%s/%s", r->o->out, PUBLISH_MANIFEST);
    for (int attempt = 0;; attempt++) {
        int rc = pubdb_open(path, &r->db, err, sizeof(err));
        if (rc == MH_OK) {
            rc = pubdb_state(r->db, &r->m.seq, &r->m.at);
            if (rc == MH_OK)
                rc = pubdb_fingers(r->db, take_finger, &r->m);
            if (rc)
                snprintf(err, sizeof(err), "cannot read '%.400s': %.80s", path,
                         pubdb_errmsg(r->db));
        }
        if (rc == MH_OK)
            return MH_OK;
        pubdb_close(r->db);
        r->db = NULL;
        r->m.seq = -1;
        r->m.n_finger = 0;
        if (attempt > 0 || (rc != MH_INVAL && rc != MH_DB)) {
            snprintf(r->err, sizeof(r->err), "%s", err);
            return rc;
        }
        log_warn("%s: publishing every page", err);
        static const char *const sfx[] = {"", "-wal", "-shm", "-journal"};
        for (size_t k = 0; k < MH_ARRAY_LEN(sfx); k++) {
            char f[64];
            snprintf(f, sizeof(f), "%s%s", PUBLISH_MANIFEST, sfx[k]);
            if (unlinkat(r->dirfd, f, 0) != 0 && errno != ENOENT) {
                snprintf(r->err, sizeof(r->err), "cannot remove '%.400s/%s': %s", r->o->out, f,
                         strerror(errno));
                return MH_IO;
            }
        }
    }
}

/* A killed run's journal: what it touched is untrusted, and removed if not
 * made again. */
static int read_journal(struct run *r)
{
    struct buf b;
    char err[512], path[PUBLISH_PATH_MAX];
    int rc = MH_OK;
    snprintf(path, sizeof(path), "%s/%s", r->o->out, PUBLISH_JOURNAL);
    buf_init(&b, NULL, (size_t)4 * 1024 * MH_MIB);
    if (fs_read_file(path, &b, err, sizeof(err)) == MH_OK) {
        r->recovering = true;
        rc = manifest_load_all(&r->m, r->db);
        const char *p = b.data, *end = b.data + b.len;
        while (rc == MH_OK && p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            if (nl == NULL)
                break;
            struct str f = str_make(p, (size_t)(nl - p));
            if (manifest_file_ok(f)) {
                char tmp[PUBLISH_PATH_MAX + 16];
                struct pentry *e = manifest_put(&r->m, f);
                e->flags |= PE_UNTRUSTED | PE_GZ | PE_BR; /* remove all three if unseen */
                static const char *const sfx[] = {".mh-tmp", ".gz.mh-tmp", ".br.mh-tmp"};
                for (size_t k = 0; k < MH_ARRAY_LEN(sfx); k++) {
                    snprintf(tmp, sizeof(tmp), "%.*s%s", (int)f.len, f.ptr, sfx[k]);
                    unlinkat(r->dirfd, tmp, 0);
                }
            }
            p = nl + 1;
        }
        log_info("'%s' was left by a publish that did not finish: publishing every page",
                 path);
    }
    buf_release(&b);
    if (rc)
        snprintf(r->err, sizeof(r->err), "cannot read '%s/%s': %s", r->o->out,
                 PUBLISH_MANIFEST, pubdb_errmsg(r->db));
    return rc;
}

/* Load the record's rows of the files of jobs [FROM, TO), unless all are. */
static int load_jobs(struct run *r, size_t from, size_t to)
{
    int rc = MH_OK;
    for (size_t i = from; rc == MH_OK && i < to && !r->m.all; i++)
        if (r->jobs[i].file.len)
            rc = manifest_load(&r->m, r->db, r->jobs[i].file);
    if (rc)
        snprintf(r->err, sizeof(r->err), "cannot read '%s/%s': %s", r->o->out,
                 PUBLISH_MANIFEST, pubdb_errmsg(r->db));
    return rc;
}

static int lock_out(struct run *r, int *fd)
{
    *fd = openat(r->dirfd, PUBLISH_LOCK, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    if (*fd < 0 || fcntl(*fd, F_SETLK, &fl) != 0) {
        bool busy = *fd >= 0 && (errno == EACCES || errno == EAGAIN);
        snprintf(r->err, sizeof(r->err), busy ? "another publish is writing '%s'"
                                              : "cannot lock '%s': %s",
                 r->o->out, strerror(errno));
        return busy ? MH_CONFLICT : MH_IO;
    }
    return MH_OK;
}

/* Remove a page's files and its folders left empty. */
static void remove_page(struct run *r, struct pentry *e)
{
    char f[PUBLISH_PATH_MAX + 4];
    snprintf(f, sizeof(f), "%s.gz", e->file);
    remove_file(r, f);
    snprintf(f, sizeof(f), "%s.br", e->file);
    remove_file(r, f);
    remove_file(r, e->file);
    snprintf(f, sizeof(f), "%s", e->file);
    for (char *slash = strrchr(f, '/'); slash; slash = strrchr(f, '/')) {
        *slash = '\0';
        if (unlinkat(r->dirfd, f, AT_REMOVEDIR) != 0)
            break; /* not empty */
    }
    e->flags |= PE_GONE;
}

/* Take the results of jobs [FROM, TO) into the manifest, marking what the
 * record must be told. */
static void take_results(struct run *r, size_t from, size_t to, struct publish_stats *st)
{
    for (size_t i = from; i < to; i++) {
        struct job *j = &r->jobs[i];
        if (j->kind == JOB_FINGER) {
            continue;
        }
        if (!j->made) {
            struct pentry *e = manifest_find(&r->m, j->file);
            if (j->gone && e && !(e->flags & PE_GONE)) {
                remove_page(r, e);
                st->removed++;
            }
            continue;
        }
        struct pentry *e = manifest_put(&r->m, j->file);
        st->rendered++;
        if (j->written)
            st->written++;
        else
            st->unchanged++;
        unsigned kept = e->flags & PE_KEPT, now = kept;
        if (j->kind != JOB_MEDIA)
            now = j->flags | (j->article ? PE_CARD : 0) | (j->newest ? PE_NEWEST : 0);
        uint64_t sum = pubdb_shows_sum(j->shows, j->n_shows);
        bool stored = e->flags & PE_STORED;
        bool dirty = !stored || kept != now || memcmp(e->hash, j->hash, PUBLISH_HASH_LEN) ||
                     sum != e->shows_sum;
        if (j->article)
            dirty |= memcmp(e->look, j->look, PUBLISH_HASH_LEN) ||
                     memcmp(e->place, j->place, PUBLISH_HASH_LEN) ||
                     e->published_at != j->published_at || e->channel == NULL ||
                     !str_eq_c(j->channel, e->channel);
        unsigned flags = (e->flags & ~(unsigned)(PE_KEPT | PE_UNTRUSTED | PE_GONE)) | now | PE_SEEN;
        if (dirty)
            flags |= PE_DIRTY;
        if (!stored || sum != e->shows_sum)
            flags |= PE_SHOWS;
        e->flags = flags;
        memcpy(e->hash, j->hash, PUBLISH_HASH_LEN);
        e->shows = j->shows;
        e->n_shows = j->n_shows;
        e->shows_sum = sum;
        if (j->article) {
            memcpy(e->look, j->look, PUBLISH_HASH_LEN);
            memcpy(e->place, j->place, PUBLISH_HASH_LEN);
            e->published_at = j->published_at;
            e->keywords = j->keywords;
            if (e->channel == NULL || !str_eq_c(j->channel, e->channel))
                e->channel = manifest_channel(&r->m, j->channel);
        }
    }
}

/* The files first, then the record that describes them, in one commit. */
static int save_record(struct run *r)
{
    if (syncfs(r->dirfd) != 0)
        log_warn("cannot flush '%s' to disk: %s", r->o->out, strerror(errno));
    struct str eds[PUBLISH_MAX_EDITIONS];
    unsigned char hashes[PUBLISH_MAX_EDITIONS][PUBDB_HASH_LEN];
    for (size_t i = 0; i < r->m.n_finger; i++) {
        eds[i] = str_c(r->m.finger[i].edition);
        memcpy(hashes[i], r->m.finger[i].hash, PUBDB_HASH_LEN);
    }
    int rc = pubdb_begin(r->db);
    if (rc == MH_OK)
        rc = manifest_save(&r->m, r->db);
    if (rc == MH_OK)
        rc = pubdb_set_state(r->db, r->m.seq, r->m.at);
    if (rc == MH_OK)
        rc = pubdb_set_fingers(r->db, eds, (const unsigned char (*)[PUBDB_HASH_LEN])hashes,
                               r->m.n_finger);
    if (rc == MH_OK)
        rc = pubdb_commit(r->db);
    if (rc) {
        snprintf(r->err, sizeof(r->err), "cannot write '%s/%s': %s", r->o->out,
                 PUBLISH_MANIFEST, pubdb_errmsg(r->db));
        pubdb_rollback(r->db);
        return rc;
    }
    if (unlinkat(r->dirfd, PUBLISH_JOURNAL, 0) != 0 && errno != ENOENT)
        log_warn("cannot remove '%s/%s': %s", r->o->out, PUBLISH_JOURNAL, strerror(errno));
    return MH_OK;
}

int publish_run(struct site *site, struct site_app *app, const struct publish_opts *o,
                struct publish_stats *stats, char *errbuf, size_t errlen)
{
    struct run r = {.site = site, .app = app, .o = o, .dirfd = -1, .journal = -1};
    struct change_scan cs = {0};
    struct store *s = NULL;
    struct edition *eds;
    size_t n_eds;
    int lockfd = -1, rc;
    uint64_t t0 = clock_mono_ns();
    char err[512];
    memset(stats, 0, sizeof(*stats));
    manifest_init(&r.m);
    manifest_init(&r.planned);
    arena_init(&r.arena, 1024 * 1024);
    arena_init(&r.keep, 1024 * 1024);
    pthread_mutex_init(&r.err_mu, NULL);
    pthread_mutex_init(&r.keep_mu, NULL);
    r.db_path = site_path(site, NULL, STR_LIT(STORE_DB_FILE));

    rc = fs_mkdirs(o->out, 0755, r.err, sizeof(r.err));
    if (rc == MH_OK && (r.dirfd = open(o->out, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
        snprintf(r.err, sizeof(r.err), "cannot open '%s': %s", o->out, strerror(errno));
        rc = MH_IO;
    }
    if (rc == MH_OK)
        rc = lock_out(&r, &lockfd);
    if (rc)
        goto out;
    rc = open_record(&r);
    if (rc == MH_OK)
        rc = read_journal(&r);
    if (rc == MH_OK) {
        r.journal = openat(r.dirfd, PUBLISH_JOURNAL, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
                           0644);
        if (r.journal < 0) {
            snprintf(r.err, sizeof(r.err), "cannot create '%s/%s': %s", o->out,
                     PUBLISH_JOURNAL, strerror(errno));
            rc = MH_IO;
        }
    }
    if (rc == MH_OK && store_open(r.db_path, false, true, &s, err, sizeof(err)) != MH_OK) {
        snprintf(r.err, sizeof(r.err), "%s", err);
        rc = MH_DB;
    }
    r.main_store = s;
    if (rc)
        goto out;

    /* the change sequence before anything is read: what changes later is
     * the next run's */
    int64_t seq, now = clock_now_ms();
    rc = store_change_seq(s, &seq);
    if (rc == MH_OK)
        rc = store_editions(s, &r.arena, &eds, &n_eds);
    if (rc)
        goto db_error;

    cs.all = o->full || r.recovering || r.m.seq < 0;
    if (!cs.all) {
        int64_t last;
        rc = store_changes_since(s, r.m.seq, INT32_MAX, on_change, &cs, &last);
        if (rc == MH_GONE) {
            cs.all = true;
            rc = MH_OK;
        }
        if (rc)
            goto db_error;
        /* a special topic that ended since: its pages say so */
        for (size_t i = 0; i < n_eds && !cs.all; i++) {
            struct channel *chs;
            size_t n_ch;
            rc = store_channels(s, &r.arena, eds[i].slug, &chs, &n_ch);
            for (size_t k = 0; rc == MH_OK && k < n_ch; k++)
                if (chs[k].end_at && chs[k].end_at > r.m.at && chs[k].end_at <= now)
                    mark_full(&cs, eds[i].slug);
            if (rc)
                goto db_error;
        }
        /* editions that came or went */
        if (r.m.n_finger != n_eds)
            cs.all = true;
        for (size_t i = 0; i < n_eds && !cs.all; i++)
            if (manifest_finger(&r.m, eds[i].slug) == NULL)
                cs.all = true;
    }
    stats->incremental = !cs.all;

    /* round one: what every page shares, per edition */
    rc = site_wide(&r, eds, n_eds);
    size_t round1 = r.n_jobs;
    if (rc == MH_OK)
        rc = cs.all ? manifest_load_all(&r.m, r.db) : load_jobs(&r, 0, round1);
    if (rc == MH_OK)
        rc = run_jobs(&r, 0, round1);
    if (rc)
        goto out;
    for (size_t i = 0; i < round1; i++) {
        struct job *j = &r.jobs[i];
        if (j->kind != JOB_FINGER || !j->made)
            continue;
        struct pfinger *f = manifest_finger(&r.m, j->edition);
        if (f == NULL || memcmp(f->hash, j->hash, PUBLISH_HASH_LEN) != 0)
            mark_full(&cs, j->edition);
        if (r.n_chrome < PUBLISH_MAX_EDITIONS) { /* what it links, every page links */
            int64_t *ids = (int64_t *)j->shows;
            qsort(ids, j->n_shows, sizeof(*ids), cmp_id);
            r.chrome[r.n_chrome++] = (struct chrome){j->edition, ids, j->n_shows};
        }
    }
    if (!cs.all)
        rc = plan_articles(&r, s, &cs, eds, n_eds);
    for (size_t i = 0; rc == MH_OK && i < n_eds; i++)
        if (is_full(&cs, eds[i].slug))
            rc = edition_pages(&r, s, &eds[i]);
        else if (cs.n_ids) /* the front page lists the newest */
            add_front(&r, eds[i].slug);
    if (rc == MH_OK)
        rc = plan_feeds(&r, s, &cs);
    if (rc == MH_OK && (cs.all || cs.n_full))
        rc = all_media(&r, s);
    if (rc)
        goto db_error;
    rc = cs.all || cs.n_full ? manifest_load_all(&r.m, r.db) : load_jobs(&r, round1, r.n_jobs);
    if (rc)
        goto out;
    if (o->progress)
        o->progress(o->progress_ctx, 0, r.n_jobs);
    rc = run_jobs(&r, round1, r.n_jobs);
    if (rc)
        goto out;
    take_results(&r, 0, r.n_jobs, stats);
    /* pages not made again in what was rendered whole are gone */
    for (size_t i = 0; i < r.m.cap; i++) {
        struct pentry *e = &r.m.slot[i];
        if (e->file == NULL || (e->flags & (PE_SEEN | PE_GONE)))
            continue;
        struct str top = edition_of(str_make(e->file, e->file_len));
        bool edition_dir = false;
        for (size_t k = 0; k < n_eds; k++)
            edition_dir |= str_eq(top, eds[k].slug);
        /* the theme's files of an older theme go too */
        if (cs.all || (edition_dir && is_full(&cs, top)) || str_eq_c(top, "static")) {
            remove_page(&r, e);
            stats->removed++;
        }
    }
    for (size_t i = 0; i < round1; i++)
        if (r.jobs[i].kind == JOB_FINGER && r.jobs[i].made &&
            manifest_set_finger(&r.m, r.jobs[i].edition, r.jobs[i].hash) != MH_OK) {
            snprintf(r.err, sizeof(r.err), "more than %d editions", PUBLISH_MAX_EDITIONS);
            rc = MH_TOOBIG;
            goto out;
        }
    /* fingerprints of editions that are gone */
    for (size_t i = 0; i < r.m.n_finger;) {
        bool live = false;
        for (size_t k = 0; k < n_eds; k++)
            live |= str_eq_c(eds[k].slug, r.m.finger[i].edition);
        if (live)
            i++;
        else
            r.m.finger[i] = r.m.finger[--r.m.n_finger];
    }
    r.m.seq = seq;
    r.m.at = now;
    rc = save_record(&r);
    goto out;

db_error:
    snprintf(r.err, sizeof(r.err), "cannot read the site: %s", s ? store_errmsg(s) : "");
out:
    if (rc)
        snprintf(errbuf, errlen, "%s", r.err[0] ? r.err : mh_strerror(rc));
    stats->seconds = (double)(clock_mono_ns() - t0) / 1e9;
    store_close(s);
    if (r.journal >= 0)
        close(r.journal);
    if (lockfd >= 0)
        close(lockfd);
    if (r.dirfd >= 0)
        close(r.dirfd);
    pubdb_close(r.db);
    manifest_release(&r.m);
    manifest_release(&r.planned);
    arena_release(&r.arena);
    arena_release(&r.keep);
    pthread_mutex_destroy(&r.keep_mu);
    free(r.jobs);
    free(cs.ids);
    free(cs.edits);
    free(r.db_path);
    pthread_mutex_destroy(&r.err_mu);
    return rc;
}
