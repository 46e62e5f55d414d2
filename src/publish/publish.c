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
    struct str channel;    /* article pages: the channel slug */
    struct str edition;    /* JOB_FINGER */
    enum job_kind kind;
    unsigned char card[PUBLISH_HASH_LEN]; /* article pages: what other pages show of it */
    bool has_card;
    /* results, filled by the worker */
    int rc;
    bool made, written, gone;
    unsigned flags; /* PE_GZ | PE_BR */
    unsigned char hash[PUBLISH_HASH_LEN];
};

struct run {
    struct site *site;
    struct site_app *app;
    const struct publish_opts *o;
    char *db_path;
    int dirfd;            /* OUT */
    int journal;          /* OUT/.masthead-publish.journal, O_APPEND */
    struct manifest m;
    struct manifest planned; /* the files of the jobs, as a set */
    bool recovering;      /* the journal of a killed run was found */
    struct arena arena;   /* URLs and file names of the jobs */
    struct job *jobs;
    size_t n_jobs, cap_jobs;
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
            struct job *j =
                add_page(r, site_article_url(&scratch, ed, cards[i].published_at, cards[i].id));
            if (j)
                j->channel = arena_str(a, cards[i].channel);
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

/* What other pages show of an article, and what decides where it is
 * listed: when this is unchanged, an edit touches its own page only. */
static void card_hash(struct store *s, const struct article *art,
                      unsigned char out[PUBLISH_HASH_LEN])
{
    crypto_generichash_state st;
    char num[64];
    crypto_generichash_init(&st, NULL, 0, PUBLISH_HASH_LEN);
#define ADD(s_)                                                                                \
    do {                                                                                       \
        struct str v_ = (s_);                                                                  \
        uint64_t n_ = v_.len;                                                                  \
        crypto_generichash_update(&st, (const unsigned char *)&n_, sizeof(n_));                \
        crypto_generichash_update(&st, (const unsigned char *)v_.ptr, v_.len);                 \
    } while (0)
    snprintf(num, sizeof(num), "%d %lld %lld", (int)art->status,
             (long long)art->first_published_at, (long long)art->translation_of);
    ADD(str_c(num));
    ADD(art->edition);
    ADD(art->channel);
    ADD(art->title);
    ADD(art->abstract);
    for (size_t i = 0; i < art->n_keywords; i++)
        ADD(art->keywords[i]);
    if (art->n_images) {
        const struct article_image *im = &art->images[0];
        snprintf(num, sizeof(num), "%d %d", im->width, im->height);
        ADD(im->path);
        ADD(im->alt);
        ADD(str_c(num));
        /* lists show its derivatives (srcset) once they are made */
        struct image_derivative *d;
        size_t n;
        struct arena scratch;
        arena_init(&scratch, 4096);
        if (s && store_derivatives_get(s, &scratch, im->media_id, &d, &n) == MH_OK)
            for (size_t i = 0; i < n; i++)
                ADD(d[i].path);
        arena_release(&scratch);
    }
#undef ADD
    crypto_generichash_final(&st, out, PUBLISH_HASH_LEN);
}

/* More edited articles than this since the last run: render everything
 * rather than decide for each. */
#define PUBLISH_MAX_EDITS 2000

/* Where an edit of its own page only also shows: its edition's and
 * channel's feeds and its month's sitemap. */
struct page_edit {
    char edition[64], channel[64];
    char month[16]; /* "2026-03", UTC, as the sitemaps split */
};

struct change_scan {
    struct page_edit *edits;
    size_t n_edits;
    bool all;                  /* a site-wide change, or the log was pruned */
    char full[PUBLISH_MAX_EDITIONS][64]; /* editions to render whole */
    size_t n_full;
    int64_t *ids;              /* articles changed in the other editions */
    size_t n_ids, cap_ids;
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

static void note_edit(struct change_scan *cs, const struct article *art)
{
    struct page_edit *e;
    if (art->edition.len >= sizeof(e->edition) || art->channel.len >= sizeof(e->channel))
        return mark_full(cs, art->edition);
    cs->edits = mh_realloc(cs->edits, (cs->n_edits + 1) * sizeof(*cs->edits));
    e = &cs->edits[cs->n_edits++];
    memset(e, 0, sizeof(*e));
    memcpy(e->edition, art->edition.ptr, art->edition.len);
    memcpy(e->channel, art->channel.ptr, art->channel.len);
    time_t t = (time_t)(art->first_published_at / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(e->month, sizeof(e->month), "%04d-%02d", (tm.tm_year + 1900) % 10000,
             (tm.tm_mon + 1) % 100);
}

/* The edition a feed path belongs to ("/english/rss.xml",
 * "/sitemaps/english/2026-03.xml"), or "" for the site's own
 * ("/robots.txt", "/sitemap.xml", the IndexNow key). */
static struct str feed_edition(struct str path)
{
    struct str rest = path;
    if (str_starts(rest, "/sitemaps/"))
        rest = str_make(rest.ptr + 9, rest.len - 9);
    const char *slash = rest.len > 1 ? memchr(rest.ptr + 1, '/', rest.len - 1) : NULL;
    return slash ? str_make(rest.ptr + 1, (size_t)(slash - rest.ptr - 1)) : STR_NULL;
}

/* Does a page edit E change the feed or sitemap at PATH (of E's edition)? */
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
    snprintf(want, sizeof(want), "/sitemaps/%s/%s", e->edition, e->month);
    return str_starts(path, want);
}

/* The feeds and sitemaps the run's scope touches: all of them for a whole
 * run; those of whole editions, and the site's own (robots.txt, the
 * sitemap index) when anything changed; and for an edit of its own page,
 * the feeds that may list it and its month's sitemap. */
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
        struct str ed = feed_edition(paths[i]);
        bool want = cs->all || ed.len == 0 || is_full(cs, ed);
        for (size_t k = 0; k < cs->n_edits && !want; k++)
            want = str_eq_c(ed, cs->edits[k].edition) && feed_shows(&cs->edits[k], paths[i]);
        if (want)
            add_page(r, paths[i]);
    }
    return MH_OK;
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* The manifest entries of the changed articles' pages: OLD[i] for IDS[i]
 * (sorted here), NULL when it had none.  One pass over the manifest. */
static struct pentry **entries_of(struct manifest *m, int64_t *ids, size_t n)
{
    struct pentry **old = mh_calloc(n ? n : 1, sizeof(*old));
    if (n)
        qsort(ids, n, sizeof(*ids), cmp_id);
    for (size_t i = 0; n && i < m->cap; i++) {
        struct pentry *e = &m->slot[i];
        if (e->file == NULL || e->article_id == 0)
            continue;
        int64_t *hit = bsearch(&e->article_id, ids, n, sizeof(*ids), cmp_id);
        if (hit)
            old[hit - ids] = e;
    }
    return old;
}

/* Decide, for the articles changed in editions not rendered whole, whether
 * the edit touches its own page only (body, authors, source, editor: what no
 * other page shows) or more, which renders its edition whole. */
static int plan_articles(struct run *r, struct store *s, struct change_scan *cs,
                         const struct edition *eds, size_t n_eds)
{
    struct arena scratch;
    int rc = MH_OK;
    struct pentry **olds = entries_of(&r->m, cs->ids, cs->n_ids);
    arena_init(&scratch, 64 * 1024);
    for (size_t i = 0; rc == MH_OK && i < cs->n_ids && !cs->all; i++) {
        struct article art;
        struct pentry *old = olds[i];
        arena_reset(&scratch);
        rc = store_article_get(s, &scratch, cs->ids[i], &art);
        if (rc == MH_NOTFOUND) { /* deleted: its edition is in the old file name */
            rc = MH_OK;
            if (old) {
                const char *slash = strchr(old->file, '/');
                mark_full(cs, str_make(old->file, slash ? (size_t)(slash - old->file) : 0));
            }
            continue;
        }
        if (rc)
            break;
        if (is_full(cs, art.edition))
            continue;
        const struct edition *ed = NULL;
        for (size_t k = 0; k < n_eds; k++)
            if (str_eq(eds[k].slug, art.edition))
                ed = &eds[k];
        unsigned char card[PUBLISH_HASH_LEN];
        card_hash(s, &art, card);
        struct str url = ed && art.status == ARTICLE_PUBLISHED
                             ? site_article_url(&scratch, ed, art.first_published_at, art.id)
                             : STR_NULL;
        struct str file = url.len ? file_of(&scratch, url) : STR_NULL;
        /* the same card at the same place: only its own page changes */
        if (old && url.len && old->channel && str_eq_c(file, old->file) &&
            (old->flags & PE_CARD) && memcmp(old->card, card, PUBLISH_HASH_LEN) == 0 &&
            str_eq_c(art.channel, old->channel)) {
            struct job *j = add_page(r, url);
            if (j) {
                j->channel = arena_str(&r->arena, art.channel);
                memcpy(j->card, card, PUBLISH_HASH_LEN);
                j->has_card = true;
            }
            note_edit(cs, &art);
            for (size_t k = 0; rc == MH_OK && k < art.n_images; k++) {
                add_media(r, art.images[k].path);
                rc = add_derivatives(r, s, art.images[k].media_id);
            }
            continue;
        }
        mark_full(cs, art.edition);
        if (old) { /* it may have moved to another edition */
            const char *slash = strchr(old->file, '/');
            mark_full(cs, str_make(old->file, slash ? (size_t)(slash - old->file) : 0));
        }
    }
    arena_release(&scratch);
    free(olds);
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
    page_entry_encode(&pe, a);
    /* the ETag is the hash in hex between quotes */
    for (size_t k = 0; k < PUBLISH_HASH_LEN; k++) {
        unsigned hi, lo;
        char c1 = pe.etag.ptr[1 + 2 * k], c2 = pe.etag.ptr[2 + 2 * k];
        hi = (unsigned)(c1 <= '9' ? c1 - '0' : c1 - 'a' + 10);
        lo = (unsigned)(c2 <= '9' ? c2 - '0' : c2 - 'a' + 10);
        j->hash[k] = (unsigned char)(hi << 4 | lo);
    }
    j->made = true;
    if (j->kind == JOB_FINGER)
        return;
    if (j->channel.len && !j->has_card && pe.page.article) {
        card_hash(s, pe.page.article, j->card);
        j->has_card = true;
    }
    if (j->kind == JOB_MEDIA)
        pe.gzip = pe.brotli = STR_NULL;
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
    if (store_open(r->db_path, false, true, &s, err, sizeof(err)) != MH_OK) {
        set_err(r, MH_DB, "%s", err);
        return NULL;
    }
    /* one snapshot for the thread's pages, and what they share read once */
    if (store_read_begin(s) != MH_OK) {
        set_err(r, MH_DB, "cannot read '%s': %s", r->db_path, store_errmsg(s));
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
    store_close(s);
    return NULL;
}

/* Run jobs [FROM, TO) on the threads; the calling thread is one of them. */
static int run_jobs(struct run *r, size_t from, size_t to)
{
    int n = r->o->threads > 0 ? r->o->threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    if (n > 64)
        n = 64;
    if ((size_t)n > to - from)
        n = (int)(to - from) > 0 ? (int)(to - from) : 1;
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

static int read_manifest(struct run *r)
{
    struct buf b;
    char err[512], path[PUBLISH_PATH_MAX];
    snprintf(path, sizeof(path), "%s/%s", r->o->out, PUBLISH_MANIFEST);
    buf_init(&b, NULL, (size_t)4 * 1024 * MH_MIB);
    int rc = fs_read_file(path, &b, err, sizeof(err));
    if (rc == MH_OK) {
        rc = manifest_parse(&r->m, buf_str(&b), err, sizeof(err));
        if (rc)
            log_warn("ignoring '%s' (%s): publishing every page", path, err);
    } else if (rc != MH_NOTFOUND) {
        log_warn("%s: publishing every page", err);
    }
    buf_release(&b);
    /* a killed run: what it touched is untrusted, and removed if not made again */
    snprintf(path, sizeof(path), "%s/%s", r->o->out, PUBLISH_JOURNAL);
    buf_init(&b, NULL, (size_t)4 * 1024 * MH_MIB);
    if (fs_read_file(path, &b, err, sizeof(err)) == MH_OK) {
        r->recovering = true;
        const char *p = b.data, *end = b.data + b.len;
        while (p < end) {
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
    return MH_OK;
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

/* Take the results of jobs [FROM, TO) into the manifest. */
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
        memcpy(e->hash, j->hash, PUBLISH_HASH_LEN);
        if (j->kind != JOB_MEDIA)
            e->flags = j->flags;
        e->flags |= PE_SEEN;
        e->flags &= ~(unsigned)(PE_UNTRUSTED | PE_GONE);
        if (j->channel.len && (e->channel == NULL || !str_eq_c(j->channel, e->channel))) {
            e->channel = manifest_channel(&r->m, j->channel);
        }
        if (j->has_card) {
            memcpy(e->card, j->card, PUBLISH_HASH_LEN);
            e->flags |= PE_CARD;
        }
    }
}

static int save_manifest(struct run *r)
{
    struct buf b;
    char path[PUBLISH_PATH_MAX], err[512];
    struct str text;
    /* the files first, then the manifest that describes them */
    if (syncfs(r->dirfd) != 0)
        log_warn("cannot flush '%s' to disk: %s", r->o->out, strerror(errno));
    buf_init(&b, NULL, (size_t)4 * 1024 * MH_MIB);
    manifest_format(&r->m, &b);
    int rc = buf_finish(&b, &text);
    snprintf(path, sizeof(path), "%s/%s", r->o->out, PUBLISH_MANIFEST);
    if (rc == MH_OK)
        rc = fs_write_atomic(path, text, err, sizeof(err));
    else
        snprintf(err, sizeof(err), "the manifest of '%s' is too large", r->o->out);
    buf_release(&b);
    if (rc) {
        snprintf(r->err, sizeof(r->err), "%s", err);
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
    pthread_mutex_init(&r.err_mu, NULL);
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
    rc = read_manifest(&r);
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
        const char *slash = strchr(e->file, '/');
        struct str top = str_make(e->file, slash ? (size_t)(slash - e->file) : 0);
        if (str_eq_c(top, "sitemaps")) { /* sitemaps/english/2026-03.xml */
            const char *next = strchr(slash + 1, '/');
            top = str_make(slash + 1, next ? (size_t)(next - slash - 1) : 0);
        }
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
    rc = save_manifest(&r);
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
    manifest_release(&r.m);
    manifest_release(&r.planned);
    arena_release(&r.arena);
    free(r.jobs);
    free(cs.ids);
    free(cs.edits);
    free(r.db_path);
    pthread_mutex_destroy(&r.err_mu);
    return rc;
}
