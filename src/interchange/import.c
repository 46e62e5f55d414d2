/* SPDX-License-Identifier: MIT */
/*
 * import.c - the import loop every source feeds (JSON Lines here, WXR and
 * Founder pages in wxr.c and founder.c): one arena per chunk of entries,
 * image files resolved once per path, idempotence by id and content hash,
 * channels made for new categories, redirects from old addresses, and
 * transactions of a few thousand entries so that a killed import leaves
 * whole batches behind.  Also the JSON Lines source: a bounded line reader
 * (a 50 MB line is reported, not loaded).
 */
#include "core/compat.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/limits.h"
#include "interchange/interchange_int.h"
#include "media/media.h"
#include "store/store.h"

/* ------------------------------------------------------------------ */
/* A line reader with a ceiling                                         */

struct line_reader {
    FILE *in;
    char *chunk;
    size_t chunk_len, chunk_pos;
    struct buf line;  /* the current line, without its newline */
    uint64_t offset;  /* bytes consumed */
    bool eof, error;
};

#define CHUNK (1u << 20)

static void reader_init(struct line_reader *r, FILE *in)
{
    memset(r, 0, sizeof(*r));
    r->in = in;
    r->chunk = mh_malloc(CHUNK);
    buf_init(&r->line, NULL, MH_MAX_IMPORT_LINE);
}

static void reader_release(struct line_reader *r)
{
    free(r->chunk);
    buf_release(&r->line);
}

/* Read the next line.  Returns MH_OK, MH_NOTFOUND at the end, MH_TOOBIG for
 * a line over the ceiling (its bytes are skipped to the newline), MH_IO. */
static int reader_next(struct line_reader *r)
{
    bool any = false, toobig = false;
    buf_reset(&r->line);
    for (;;) {
        if (r->chunk_pos == r->chunk_len) {
            if (r->eof)
                break;
            r->chunk_len = fread(r->chunk, 1, CHUNK, r->in);
            r->chunk_pos = 0;
            if (r->chunk_len == 0) {
                r->eof = true;
                if (ferror(r->in)) {
                    r->error = true;
                    return MH_IO;
                }
                break;
            }
        }
        any = true;
        char *start = r->chunk + r->chunk_pos;
        size_t avail = r->chunk_len - r->chunk_pos;
        char *nl = memchr(start, '\n', avail);
        size_t take = nl ? (size_t)(nl - start) : avail;
        if (!toobig) {
            buf_add(&r->line, start, take);
            if (r->line.err) {
                toobig = true;
                buf_reset(&r->line);
            }
        }
        r->chunk_pos += take + (nl ? 1 : 0);
        r->offset += take + (nl ? 1 : 0);
        if (nl)
            break;
    }
    if (!any)
        return MH_NOTFOUND;
    if (toobig)
        return MH_TOOBIG;
    /* tolerate CRLF files */
    if (r->line.len && r->line.data[r->line.len - 1] == '\r')
        buf_truncate(&r->line, r->line.len - 1);
    return MH_OK;
}

/* ------------------------------------------------------------------ */
/* Image files, resolved once per path                                   */

struct image_cache_entry {
    char *path;
    int64_t media_id;
    char *sha256, *rel, *mime;
    int width, height;
};

struct image_cache {
    struct image_cache_entry *e;
    size_t n, cap;
};

static struct image_cache_entry *cache_find(struct image_cache *c, const char *path)
{
    for (size_t i = 0; i < c->n; i++) /* few distinct images per file in practice */
        if (strcmp(c->e[i].path, path) == 0)
            return &c->e[i];
    return NULL;
}

static void cache_clear(struct image_cache *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->e[i].path);
        free(c->e[i].sha256);
        free(c->e[i].rel);
        free(c->e[i].mime);
    }
    c->n = 0;
}

static struct image_cache_entry *cache_add(struct image_cache *c, const char *path,
                                           const struct media *m)
{
    if (c->n == 256) /* keep the scan short; most imports reuse a few images */
        cache_clear(c);
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 16;
        c->e = mh_realloc(c->e, c->cap * sizeof(*c->e));
    }
    struct image_cache_entry *e = &c->e[c->n++];
    e->path = mh_strdup(path);
    e->media_id = m->id;
    e->sha256 = mh_strndup(m->sha256.ptr, m->sha256.len);
    e->rel = mh_strndup(m->path.ptr, m->path.len);
    e->mime = mh_strndup(m->mime.ptr, m->mime.len);
    e->width = m->width;
    e->height = m->height;
    return e;
}

/* ------------------------------------------------------------------ */
/* The loop                                                             */

struct importer {
    struct site *site;
    const struct import_opts *o;
    struct import_stats *st;
    struct image_cache images;
    struct arena arena;
    struct edition *editions;
    size_t n_editions;
    struct arena ed_arena;
    uint64_t added_in_batch;
    bool in_tx;
};

static void report(struct importer *im, const struct import_item *it, const char *fmt, ...)
    MH_PRINTF(3, 4);

/* Report IT as bad: "LABEL: reason" at its file and line. */
static void report(struct importer *im, const struct import_item *it, const char *fmt, ...)
{
    char msg[1024], full[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    im->st->bad++;
    if (it->label)
        snprintf(full, sizeof(full), "%s: %s", it->label, msg);
    else
        snprintf(full, sizeof(full), "%s", msg);
    if (im->o->report)
        im->o->report(im->o->ctx, it->file, it->lineno, full);
}

/* "line 12" or "file.html" or "file.xml:12", for messages that stop the import. */
static void place(const struct import_item *it, char *out, size_t cap)
{
    if (it->file && it->lineno)
        snprintf(out, cap, "%s:%llu", it->file, (unsigned long long)it->lineno);
    else if (it->file)
        snprintf(out, cap, "%s", it->file);
    else
        snprintf(out, cap, "line %llu", (unsigned long long)it->lineno);
}

static bool edition_known(struct importer *im, struct str slug)
{
    for (size_t i = 0; i < im->n_editions; i++)
        if (str_eq(im->editions[i].slug, slug))
            return true;
    return false;
}

static void edition_list(struct importer *im, char *out, size_t cap)
{
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < im->n_editions && len + 1 < cap; i++) {
        int n = snprintf(out + len, cap - len, "%s%.*s", i ? ", " : "",
                         (int)im->editions[i].slug.len, im->editions[i].slug.ptr);
        if (n < 0)
            break;
        len += (size_t)n;
    }
}

/* The file an image entry names: absolute, or relative to the base folder. */
static bool resolve_path(struct importer *im, struct str name, char *out, size_t cap)
{
    const char *base = im->o->base_dir ? im->o->base_dir : ".";
    int n = name.len && name.ptr[0] == '/'
                ? snprintf(out, cap, "%.*s", (int)name.len, name.ptr)
                : snprintf(out, cap, "%s/%.*s", base, (int)name.len, name.ptr);
    return n >= 0 && (size_t)n < cap;
}

/* The library entry of the file at PATH, added when new.  META gives the
 * caption, credit and alt of a new row.  MH_IO stops the import. */
static int resolve_file(struct importer *im, const char *path, const struct media *meta,
                        struct image_cache_entry **out, char *why, size_t whylen)
{
    struct image_cache_entry *e = cache_find(&im->images, path);
    if (e == NULL) {
        struct media m;
        bool added;
        int rc = media_add_file(im->site, path, meta, &im->arena, &m, &added, why, whylen);
        if (rc)
            return rc;
        im->st->media += added;
        e = cache_add(&im->images, path, &m);
    }
    *out = e;
    return MH_OK;
}

/* Resolve the image files of A into the library.  MH_IO stops the import. */
static int resolve_images(struct importer *im, struct article *a, char *why, size_t whylen)
{
    for (size_t i = 0; i < a->n_images; i++) {
        struct article_image *img = &a->images[i];
        char path[4096], err[512];
        if (!resolve_path(im, img->path, path, sizeof(path))) {
            snprintf(why, whylen, "images[%zu]: file name too long", i);
            return MH_INVAL;
        }
        struct media meta = {0};
        struct image_cache_entry *e;
        meta.caption = img->caption;
        meta.credit = img->credit;
        meta.alt = img->alt;
        int rc = resolve_file(im, path, &meta, &e, err, sizeof(err));
        if (rc) {
            snprintf(why, whylen, "images[%zu]: %s", i, err);
            return rc;
        }
        img->media_id = e->media_id;
        img->sha256 = str_c(e->sha256);
        img->path = str_c(e->rel);
        img->mime = str_c(e->mime);
        img->width = e->width;
        img->height = e->height;
    }
    return MH_OK;
}

/* Store the images IT's body shows and point their src at /media/...: the
 * new body lives in the importer's arena. */
static int resolve_body_images(struct importer *im, struct import_item *it, char *why,
                               size_t whylen)
{
    if (it->n_body_images == 0)
        return MH_OK;
    const char **urls = arena_zalloc(&im->arena, it->n_body_images * sizeof(*urls));
    for (size_t i = 0; i < it->n_body_images; i++) {
        struct image_cache_entry *e;
        char path[4096], err[512];
        struct str f = it->body_images[i].file;
        if (!resolve_path(im, f, path, sizeof(path))) {
            snprintf(why, whylen, "an image's file name is too long");
            return MH_INVAL;
        }
        int rc = resolve_file(im, path, NULL, &e, err, sizeof(err));
        if (rc) {
            snprintf(why, whylen, "image '%.*s' in the body: %s",
                     (int)(it->body_images[i].src.len > 200 ? 200 : it->body_images[i].src.len),
                     it->body_images[i].src.ptr, err);
            return rc;
        }
        size_t n = strlen(e->rel) + 2;
        char *u = arena_alloc(&im->arena, n);
        snprintf(u, n, "/%s", e->rel);
        urls[i] = u;
    }
    struct str body = it->a.body;
    struct buf out;
    size_t pos = 0, copied = 0;
    struct str v;
    buf_init(&out, &im->arena, MH_MAX_BODY + MH_MAX_BODY / 2);
    while (import_next_img(body, &pos, &v)) {
        for (size_t i = 0; i < it->n_body_images; i++) {
            if (!str_eq(v, it->body_images[i].src))
                continue;
            buf_add(&out, body.ptr + copied, (size_t)(v.ptr - body.ptr) - copied);
            buf_adds(&out, urls[i]); /* hex and a plain extension: nothing to escape */
            copied = (size_t)(v.ptr - body.ptr) + v.len;
            break;
        }
    }
    buf_add(&out, body.ptr + copied, body.len - copied);
    if (out.err) {
        snprintf(why, whylen, "the body is too long");
        return MH_TOOBIG;
    }
    it->a.body = buf_str(&out);
    return MH_OK;
}

/* Is the failure the disk's or the database's, so that going on is futile? */
static bool fatal(int rc)
{
    return rc == MH_IO || rc == MH_DB || rc == MH_TIMEOUT;
}

/* Check the edition of a parsed entry, which the parser cannot see. */
static void check_edition(struct importer *im, struct import_item *it, struct arena *arena)
{
    if (it->status != MH_OK || it->skip || edition_known(im, it->a.edition))
        return;
    char list[256];
    edition_list(im, list, sizeof(list));
    import_refuse(it, arena, MH_INVAL, "unknown edition '%.*s' (this site has: %s)",
                  (int)it->a.edition.len, it->a.edition.ptr, list);
}

/* Make channel A->channel of A->edition, named NAME, at the end of the menu. */
static int make_channel(struct importer *im, const struct article *a, struct str name)
{
    struct channel c = {0};
    c.edition = a->edition;
    c.slug = a->channel;
    c.name = name;
    c.search_name = name;
    c.position = 1000;
    c.kind = CHANNEL_REGULAR;
    int rc = store_channel_put(im->site->store, &c);
    if (rc == MH_OK)
        im->st->channels++;
    return rc;
}

/* Store IT: its images, then the article, then its old address.  A refusal
 * is reported (MH_OK returned, stats->bad grows); an error that makes going
 * on futile (a full disk) is returned with the reason in ERRBUF. */
static int store_item(struct importer *im, struct import_item *it, char *errbuf, size_t errlen)
{
    char why[1024], where[512];
    struct store *s = im->site->store;
    struct article *a = &it->a;
    place(it, where, sizeof(where));
    int rc = resolve_images(im, a, why, sizeof(why));
    if (rc == MH_OK)
        rc = resolve_body_images(im, it, why, sizeof(why));
    if (rc) {
        if (fatal(rc)) {
            snprintf(errbuf, errlen, "%s: %s", where, why);
            return rc;
        }
        report(im, it, "%s", why);
        return MH_OK;
    }
    a->created_at = a->updated_at =
        a->first_published_at ? a->first_published_at
                              : (a->scheduled_at ? a->scheduled_at : clock_now_ms());
    if (a->scheduled_at && a->scheduled_at < a->created_at)
        a->created_at = a->updated_at = a->scheduled_at;
    rc = store_article_insert(s, a);
    if (rc == MH_NOTFOUND && it->channel_name.len) {
        rc = make_channel(im, a, it->channel_name);
        if (rc == MH_OK)
            rc = store_article_insert(s, a);
    }
    bool unchanged = false;
    if (rc == MH_CONFLICT && a->id) { /* stored already: the same, or a conflict? */
        unsigned char have[STORE_HASH_LEN], want[STORE_HASH_LEN];
        rc = store_article_hash_get(s, a->id, have);
        if (rc) {
            snprintf(errbuf, errlen, "%s: %s", where, store_errmsg(s));
            return rc;
        }
        store_article_hash(a, want);
        if (memcmp(have, want, sizeof(have)) != 0) {
            report(im, it,
                   "article %lld already exists with different content; it was not changed "
                   "(give the entry another id, or none, to import it as a new article)",
                   (long long)a->id);
            return MH_OK;
        }
        unchanged = true;
    } else if (rc == MH_NOTFOUND) {
        report(im, it, "unknown channel '%.*s' in edition '%.*s'", (int)a->channel.len,
               a->channel.ptr, (int)a->edition.len, a->edition.ptr);
        return MH_OK;
    } else if (rc == MH_CONFLICT || rc == MH_INVAL || rc == MH_TOOBIG) {
        report(im, it, "the store refused the article: %s", store_errmsg(s));
        return MH_OK;
    } else if (rc) {
        snprintf(errbuf, errlen, "%s: %s", where, store_errmsg(s));
        return rc;
    }
    if (it->redirect_from.len) {
        rc = store_redirect_put(s, it->redirect_from, a->id);
        if (rc) {
            snprintf(errbuf, errlen, "%s: cannot keep the old address: %s", where,
                     store_errmsg(s));
            return rc;
        }
        im->st->redirects++;
    }
    if (unchanged) {
        im->st->unchanged++;
    } else {
        im->st->imported++;
        im->added_in_batch++;
    }
    return MH_OK;
}

/* Does storing IT touch nothing but its own rows (images known, channel there)? */
static bool is_simple(struct importer *im, const struct import_item *it)
{
    const struct article *a = &it->a;
    char path[4096];
    for (size_t i = 0; i < a->n_images; i++)
        if (!resolve_path(im, a->images[i].path, path, sizeof(path)) ||
            cache_find(&im->images, path) == NULL)
            return false;
    for (size_t i = 0; i < it->n_body_images; i++)
        if (!resolve_path(im, it->body_images[i].file, path, sizeof(path)) ||
            cache_find(&im->images, path) == NULL)
            return false;
    struct channel ch;
    if (it->channel_name.len &&
        store_channel_get(im->site->store, &im->arena, a->edition, a->channel, &ch) != MH_OK)
        return false;
    return it->redirect_from.len == 0;
}

/* Store one parsed entry.  One that adds files to the media library, makes a
 * channel or keeps an old address runs in a savepoint, so that a refused
 * entry leaves nothing behind, not even those rows; any other is one atomic
 * insert already. */
static int import_item(struct importer *im, struct import_item *it, char *errbuf, size_t errlen)
{
    struct store *s = im->site->store;
    char where[512];
    if (it->skip) {
        im->st->skipped++;
        if (it->reason && im->o->report) {
            char msg[1200];
            snprintf(msg, sizeof(msg), "%s%sskipped: %s", it->label ? it->label : "",
                     it->label ? ": " : "", it->reason);
            im->o->report(im->o->ctx, it->file, it->lineno, msg);
        }
        return MH_OK;
    }
    if (it->status != MH_OK) {
        report(im, it, "%s", it->reason ? it->reason : "refused");
        return MH_OK;
    }
    if (is_simple(im, it))
        return store_item(im, it, errbuf, errlen);
    uint64_t bad = im->st->bad, media = im->st->media, channels = im->st->channels;
    uint64_t redirects = im->st->redirects;
    place(it, where, sizeof(where));
    int rc = store_begin(s);
    if (rc) {
        snprintf(errbuf, errlen, "%s: %s", where, store_errmsg(s));
        return rc;
    }
    rc = store_item(im, it, errbuf, errlen);
    if (rc || im->st->bad != bad) {
        store_rollback(s);
        if (im->st->media != media) { /* the cache may name rows just undone */
            cache_clear(&im->images);
            im->st->media = media;
        }
        im->st->channels = channels;
        im->st->redirects = redirects;
        return rc;
    }
    rc = store_commit(s);
    if (rc)
        snprintf(errbuf, errlen, "%s: %s", where, store_errmsg(s));
    return rc;
}

/* ------------------------------------------------------------------ */
/* Two threads: one reads and parses, the other writes                  */

/*
 * Parsing, validation and HTML cleaning take about as long as SQLite's
 * insert, so they run on a thread of their own, a chunk of entries ahead of
 * the writer.  Chunks carry their own arena; at most PIPE_CHUNKS are in
 * flight, which bounds memory whatever the input's size.  Reports, progress
 * and every store call stay on the calling thread, in input order.
 */
#define CHUNK_LINES 64
#define PIPE_CHUNKS 8
#define CHUNK_BYTES (4 * MH_MIB) /* a chunk of big entries ends early */

struct chunk {
    struct arena arena;
    struct import_item items[CHUNK_LINES];
    size_t n;
    uint64_t offset;   /* input bytes consumed after this chunk */
    bool last;         /* the input ends after this chunk */
    int stop_rc;       /* the source failed after this chunk */
    char stop_why[512];
    struct chunk *next;
};

struct pipe {
    pthread_mutex_t mu;
    pthread_cond_t ready, freed;
    struct chunk *head, *tail;  /* parsed, waiting for the writer */
    struct chunk *free;         /* empty, for the parser */
    bool stop;                  /* the writer gave up: parse no more */
    struct importer *im;
    const struct import_source *source;
};

static struct chunk *take_free(struct pipe *p)
{
    pthread_mutex_lock(&p->mu);
    while (p->free == NULL && !p->stop)
        pthread_cond_wait(&p->freed, &p->mu);
    struct chunk *c = p->stop ? NULL : p->free;
    if (c)
        p->free = c->next;
    pthread_mutex_unlock(&p->mu);
    return c;
}

static void push_ready(struct pipe *p, struct chunk *c)
{
    pthread_mutex_lock(&p->mu);
    c->next = NULL;
    if (p->tail)
        p->tail->next = c;
    else
        p->head = c;
    p->tail = c;
    pthread_cond_signal(&p->ready);
    pthread_mutex_unlock(&p->mu);
}

static void *parser_main(void *arg)
{
    struct pipe *p = arg;
    const struct import_source *src = p->source;
    bool done = false;
    while (!done) {
        struct chunk *c = take_free(p);
        if (c == NULL)
            return NULL;
        arena_reset(&c->arena);
        c->n = 0;
        c->last = false;
        c->stop_rc = 0;
        uint64_t start = *src->bytes;
        while (c->n < CHUNK_LINES && *src->bytes - start < CHUNK_BYTES) {
            struct import_item *it = &c->items[c->n];
            memset(it, 0, sizeof(*it));
            int rc = src->next(src->src, &c->arena, it, c->stop_why, sizeof(c->stop_why));
            if (rc == MH_NOTFOUND) {
                done = c->last = true;
                break;
            }
            if (rc) {
                c->stop_rc = rc;
                done = c->last = true;
                break;
            }
            check_edition(p->im, it, &c->arena);
            c->n++;
        }
        c->offset = *src->bytes;
        push_ready(p, c);
    }
    return NULL;
}

int import_edition(struct site *site, const struct import_opts *o, struct arena *arena,
                   struct edition *out, char *errbuf, size_t errlen)
{
    struct str slug = str_c(o->edition ? o->edition : site->conf.default_edition);
    int rc = store_edition_get(site->store, arena, slug, out);
    if (rc == MH_NOTFOUND)
        snprintf(errbuf, errlen, "this site has no edition '%.*s'", (int)slug.len, slug.ptr);
    else if (rc)
        snprintf(errbuf, errlen, "cannot read the editions: %s", store_errmsg(site->store));
    return rc;
}

int import_run(struct site *site, const struct import_source *source,
               const struct import_opts *o, struct import_stats *stats, char *errbuf,
               size_t errlen)
{
    struct importer im = {0};
    struct pipe p = {0};
    struct chunk *chunks;
    pthread_t parser;
    struct store *s = site->store;
    int batch = o->batch > 0 ? o->batch : 2000;
    int rc;
    uint64_t in_batch = 0, offset = 0;

    memset(stats, 0, sizeof(*stats));
    errbuf[0] = '\0';
    im.site = site;
    im.o = o;
    im.st = stats;
    arena_init(&im.arena, 64 * 1024);
    arena_init(&im.ed_arena, 0);
    rc = store_editions(s, &im.ed_arena, &im.editions, &im.n_editions);
    if (rc) {
        snprintf(errbuf, errlen, "cannot read the editions: %s", store_errmsg(s));
        arena_release(&im.arena);
        arena_release(&im.ed_arena);
        return rc;
    }
    chunks = mh_malloc(PIPE_CHUNKS * sizeof(*chunks));
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.ready, NULL);
    pthread_cond_init(&p.freed, NULL);
    p.im = &im;
    p.source = source;
    for (int i = 0; i < PIPE_CHUNKS; i++) {
        arena_init(&chunks[i].arena, 256 * 1024);
        chunks[i].next = p.free;
        p.free = &chunks[i];
    }
    if (pthread_create(&parser, NULL, parser_main, &p) != 0)
        MH_BUG("cannot start the parsing thread");

    bool last = false;
    while (!last && rc == MH_OK) {
        pthread_mutex_lock(&p.mu);
        while (p.head == NULL)
            pthread_cond_wait(&p.ready, &p.mu);
        struct chunk *c = p.head;
        p.head = c->next;
        if (p.head == NULL)
            p.tail = NULL;
        pthread_mutex_unlock(&p.mu);

        for (size_t i = 0; i < c->n && rc == MH_OK; i++) {
            struct import_item *it = &c->items[i];
            if (it->lineno > stats->lines)
                stats->lines = it->lineno;
            if (!im.in_tx) {
                rc = store_begin(s);
                if (rc) {
                    snprintf(errbuf, errlen, "cannot start a transaction: %s",
                             store_errmsg(s));
                    break;
                }
                im.in_tx = true;
                in_batch = 0;
            }
            arena_reset(&im.arena);
            rc = import_item(&im, it, errbuf, errlen);
            if (rc == MH_OK && !o->strict && ++in_batch >= (uint64_t)batch) {
                char where[512];
                place(it, where, sizeof(where));
                rc = store_commit(s);
                im.in_tx = false;
                if (rc) {
                    snprintf(errbuf, errlen, "cannot commit the entries up to %s: %s", where,
                             store_errmsg(s));
                    stats->imported -= im.added_in_batch;
                }
                im.added_in_batch = 0;
            }
        }
        last = c->last;
        offset = c->offset;
        if (rc == MH_OK && c->stop_rc) {
            snprintf(errbuf, errlen, "%s", c->stop_why);
            rc = c->stop_rc;
        }
        pthread_mutex_lock(&p.mu);
        c->next = p.free;
        p.free = c;
        if (rc)
            p.stop = true;
        pthread_cond_signal(&p.freed);
        pthread_mutex_unlock(&p.mu);
        if (o->progress)
            o->progress(o->ctx, offset);
    }
    pthread_join(parser, NULL);
    if (rc == MH_OK)
        stats->lines = *source->lines; /* trailing blank lines count too */

    if (im.in_tx) {
        if (rc == MH_OK && !(o->strict && stats->bad > 0)) {
            rc = store_commit(s);
            if (rc) {
                snprintf(errbuf, errlen, "cannot commit: %s", store_errmsg(s));
                stats->imported -= im.added_in_batch;
            }
        } else {
            store_rollback(s);
            stats->imported -= im.added_in_batch;
            if (o->strict)
                stats->unchanged = 0, stats->media = 0, stats->channels = 0,
                stats->redirects = 0;
        }
    }
    for (int i = 0; i < PIPE_CHUNKS; i++)
        arena_release(&chunks[i].arena);
    free(chunks);
    pthread_cond_destroy(&p.ready);
    pthread_cond_destroy(&p.freed);
    pthread_mutex_destroy(&p.mu);
    cache_clear(&im.images);
    free(im.images.e);
    arena_release(&im.arena);
    arena_release(&im.ed_arena);
    return rc;
}

/* ------------------------------------------------------------------ */
/* The JSON Lines source                                                */

struct jsonl_source {
    struct line_reader r;
    uint64_t lineno, bytes;
};

static int jsonl_next(void *arg, struct arena *arena, struct import_item *it, char *errbuf,
                      size_t errlen)
{
    struct jsonl_source *js = arg;
    char why[1024];
    for (;;) {
        errno = 0;
        int rc = reader_next(&js->r);
        js->bytes = js->r.offset;
        if (rc == MH_NOTFOUND)
            return MH_NOTFOUND;
        js->lineno++;
        if (rc == MH_IO) {
            snprintf(errbuf, errlen, "cannot read the input after line %llu: %s",
                     (unsigned long long)(js->lineno - 1), strerror(errno ? errno : EIO));
            return MH_IO;
        }
        it->lineno = js->lineno;
        if (rc == MH_TOOBIG) {
            import_refuse(it, arena, MH_TOOBIG, "line is longer than %zu MiB",
                          MH_MAX_IMPORT_LINE / MH_MIB);
            return MH_OK;
        }
        struct str line = str_trim(buf_str(&js->r.line));
        if (line.len == 0)
            continue;
        rc = jsonl_parse_article(line, arena, &it->a, why, sizeof(why));
        if (rc)
            import_refuse(it, arena, MH_INVAL, "%s", why);
        return MH_OK;
    }
}

int import_jsonl(struct site *site, FILE *in, const struct import_opts *o,
                 struct import_stats *stats, char *errbuf, size_t errlen)
{
    struct jsonl_source js = {0};
    struct import_source src = {jsonl_next, &js, &js.bytes, &js.lineno};
    reader_init(&js.r, in);
    int rc = import_run(site, &src, o, stats, errbuf, errlen);
    reader_release(&js.r);
    return rc;
}
