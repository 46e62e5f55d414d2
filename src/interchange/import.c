/* SPDX-License-Identifier: MIT */
/*
 * import.c - the JSON Lines import loop: a bounded line reader (a 50 MB line
 * is reported, not loaded), one arena per line, image files resolved once per
 * path, idempotence by id and content hash, and transactions of a few
 * thousand lines so that a killed import leaves whole batches behind.
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
#include "interchange/interchange.h"
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
    uint64_t lines_read; /* by the parsing thread; read once it is done */
};

static void report(struct importer *im, uint64_t lineno, const char *fmt, ...) MH_PRINTF(3, 4);

static void report(struct importer *im, uint64_t lineno, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    im->st->bad++;
    if (im->o->report)
        im->o->report(im->o->ctx, lineno, msg);
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

/* Resolve the image files of A into the library.  MH_IO stops the import. */
static int resolve_images(struct importer *im, struct article *a, char *why, size_t whylen)
{
    for (size_t i = 0; i < a->n_images; i++) {
        struct article_image *img = &a->images[i];
        char path[4096];
        if (!resolve_path(im, img->path, path, sizeof(path))) {
            snprintf(why, whylen, "images[%zu]: file name too long", i);
            return MH_INVAL;
        }
        struct image_cache_entry *e = cache_find(&im->images, path);
        if (e == NULL) {
            struct media m, meta = {0};
            char err[512];
            meta.caption = img->caption;
            meta.credit = img->credit;
            meta.alt = img->alt;
            bool added;
            int rc = media_add_file(im->site, path, &meta, &im->arena, &m, &added, err,
                                    sizeof(err));
            if (rc) {
                snprintf(why, whylen, "images[%zu]: %s", i, err);
                return rc;
            }
            im->st->media += added;
            e = cache_add(&im->images, path, &m);
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

/* Is the failure the disk's or the database's, so that going on is futile? */
static bool fatal(int rc)
{
    return rc == MH_IO || rc == MH_DB || rc == MH_TIMEOUT;
}

/* One parsed line, made on the parsing thread and stored on the writing
 * one.  STATUS is MH_OK (A is good), MH_INVAL (REASON says why), MH_TOOBIG
 * (the line was too long) or MH_IO (the input could not be read). */
struct parsed {
    uint64_t lineno;
    int status;
    const char *reason;
    struct article a;
};

/* Parse and check LINE into P without writing anything; strings live in ARENA. */
static void parse_line(struct importer *im, struct str line, struct arena *arena,
                       struct parsed *p)
{
    char why[1024];
    p->status = jsonl_parse_article(line, arena, &p->a, why, sizeof(why));
    if (p->status == MH_OK && !edition_known(im, p->a.edition)) {
        char list[256];
        edition_list(im, list, sizeof(list));
        snprintf(why, sizeof(why), "unknown edition '%.*s' (this site has: %s)",
                 (int)p->a.edition.len, p->a.edition.ptr, list);
        p->status = MH_INVAL;
    }
    if (p->status != MH_OK) {
        p->status = MH_INVAL;
        p->reason = arena_strdup(arena, why);
    }
}

/* Store A: its images, then the article.  A refusal is reported (MH_OK
 * returned, stats->bad grows); an error that makes going on futile (a full
 * disk) is returned with the reason in ERRBUF. */
static int store_line(struct importer *im, struct article *a, uint64_t lineno, char *errbuf,
                      size_t errlen)
{
    char why[1024];
    struct store *s = im->site->store;
    int rc = resolve_images(im, a, why, sizeof(why));
    if (rc) {
        if (fatal(rc)) {
            snprintf(errbuf, errlen, "line %llu: %s", (unsigned long long)lineno, why);
            return rc;
        }
        report(im, lineno, "%s", why);
        return MH_OK;
    }
    a->created_at = a->updated_at =
        a->first_published_at ? a->first_published_at
                              : (a->scheduled_at ? a->scheduled_at : clock_now_ms());
    if (a->scheduled_at && a->scheduled_at < a->created_at)
        a->created_at = a->updated_at = a->scheduled_at;
    rc = store_article_insert(s, a);
    if (rc == MH_CONFLICT && a->id) { /* stored already: the same, or a conflict? */
        unsigned char have[STORE_HASH_LEN], want[STORE_HASH_LEN];
        rc = store_article_hash_get(s, a->id, have);
        if (rc) {
            snprintf(errbuf, errlen, "line %llu: %s", (unsigned long long)lineno,
                     store_errmsg(s));
            return rc;
        }
        store_article_hash(a, want);
        if (memcmp(have, want, sizeof(have)) == 0) {
            im->st->unchanged++;
            return MH_OK;
        }
        report(im, lineno,
               "article %lld already exists with different content; it was not changed "
               "(give the line another id, or none, to import it as a new article)",
               (long long)a->id);
        return MH_OK;
    }
    if (rc == MH_NOTFOUND) {
        report(im, lineno, "unknown channel '%.*s' in edition '%.*s'", (int)a->channel.len,
               a->channel.ptr, (int)a->edition.len, a->edition.ptr);
        return MH_OK;
    }
    if (rc == MH_CONFLICT || rc == MH_INVAL || rc == MH_TOOBIG) {
        report(im, lineno, "the store refused the article: %s", store_errmsg(s));
        return MH_OK;
    }
    if (rc) {
        snprintf(errbuf, errlen, "line %llu: %s", (unsigned long long)lineno, store_errmsg(s));
        return rc;
    }
    im->st->imported++;
    im->added_in_batch++;
    return MH_OK;
}

static bool images_cached(struct importer *im, const struct article *a)
{
    for (size_t i = 0; i < a->n_images; i++) {
        char path[4096];
        if (!resolve_path(im, a->images[i].path, path, sizeof(path)) ||
            cache_find(&im->images, path) == NULL)
            return false;
    }
    return true;
}

/* Store one parsed line.  A line that adds files to the media library runs in
 * a savepoint, so that a refused line leaves nothing behind, not even those
 * rows; any other line is one atomic insert already. */
static int import_line(struct importer *im, struct parsed *p, char *errbuf, size_t errlen)
{
    struct store *s = im->site->store;
    if (p->status == MH_INVAL) {
        report(im, p->lineno, "%s", p->reason);
        return MH_OK;
    }
    if (p->status == MH_TOOBIG) {
        report(im, p->lineno, "line is longer than %zu MiB", MH_MAX_IMPORT_LINE / MH_MIB);
        return MH_OK;
    }
    if (images_cached(im, &p->a))
        return store_line(im, &p->a, p->lineno, errbuf, errlen);
    uint64_t bad = im->st->bad, media = im->st->media;
    int rc = store_begin(s);
    if (rc) {
        snprintf(errbuf, errlen, "line %llu: %s", (unsigned long long)p->lineno,
                 store_errmsg(s));
        return rc;
    }
    rc = store_line(im, &p->a, p->lineno, errbuf, errlen);
    if (rc || im->st->bad != bad) {
        store_rollback(s);
        if (im->st->media != media) { /* the cache may name rows just undone */
            cache_clear(&im->images);
            im->st->media = media;
        }
        return rc;
    }
    rc = store_commit(s);
    if (rc)
        snprintf(errbuf, errlen, "line %llu: %s", (unsigned long long)p->lineno,
                 store_errmsg(s));
    return rc;
}

/* ------------------------------------------------------------------ */
/* Two threads: one reads and parses, the other writes                  */

/*
 * JSON parsing, validation and HTML cleaning take about as long as SQLite's
 * insert, so they run on a thread of their own, a chunk of lines ahead of
 * the writer.  Chunks carry their own arena; at most PIPE_CHUNKS are in
 * flight, which bounds memory whatever the file's size.  Reports, progress
 * and every store call stay on the calling thread, in line order.
 */
#define CHUNK_LINES 64
#define PIPE_CHUNKS 8

struct chunk {
    struct arena arena;
    struct parsed items[CHUNK_LINES];
    size_t n;
    uint64_t offset;   /* input bytes consumed after this chunk */
    bool last;         /* the input ends after this chunk */
    int read_errno;    /* the input failed after this chunk (errno) */
    struct chunk *next;
};

struct pipe {
    pthread_mutex_t mu;
    pthread_cond_t ready, freed;
    struct chunk *head, *tail;  /* parsed, waiting for the writer */
    struct chunk *free;         /* empty, for the parser */
    bool stop;                  /* the writer gave up: parse no more */
    struct importer *im;
    struct line_reader *reader;
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
    struct line_reader *r = p->reader;
    uint64_t lineno = 0;
    bool done = false;
    while (!done) {
        struct chunk *c = take_free(p);
        if (c == NULL)
            return NULL;
        arena_reset(&c->arena);
        c->n = 0;
        c->last = false;
        c->read_errno = 0;
        while (c->n < CHUNK_LINES) {
            int rc = reader_next(r);
            if (rc == MH_NOTFOUND) {
                done = c->last = true;
                break;
            }
            lineno++;
            if (rc == MH_IO) {
                c->read_errno = errno ? errno : EIO;
                done = c->last = true;
                break;
            }
            struct parsed *it = &c->items[c->n];
            memset(it, 0, sizeof(*it));
            it->lineno = lineno;
            if (rc == MH_TOOBIG) {
                it->status = MH_TOOBIG;
                c->n++;
                continue;
            }
            struct str line = str_trim(buf_str(&r->line));
            if (line.len == 0)
                continue;
            parse_line(p->im, line, &c->arena, it);
            c->n++;
        }
        c->offset = r->offset;
        p->im->lines_read = lineno;
        push_ready(p, c);
    }
    return NULL;
}

int import_jsonl(struct site *site, FILE *in, const struct import_opts *o,
                 struct import_stats *stats, char *errbuf, size_t errlen)
{
    struct importer im = {0};
    struct line_reader r;
    struct pipe p = {0};
    struct chunk chunks[PIPE_CHUNKS];
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
    reader_init(&r, in);
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.ready, NULL);
    pthread_cond_init(&p.freed, NULL);
    p.im = &im;
    p.reader = &r;
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
            struct parsed *it = &c->items[i];
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
            rc = import_line(&im, it, errbuf, errlen);
            if (rc == MH_OK && !o->strict && ++in_batch >= (uint64_t)batch) {
                rc = store_commit(s);
                im.in_tx = false;
                if (rc) {
                    snprintf(errbuf, errlen, "cannot commit lines up to %llu: %s",
                             (unsigned long long)it->lineno, store_errmsg(s));
                    stats->imported -= im.added_in_batch;
                }
                im.added_in_batch = 0;
            }
        }
        last = c->last;
        offset = c->offset;
        if (rc == MH_OK && c->read_errno) {
            snprintf(errbuf, errlen, "cannot read the input after line %llu: %s",
                     (unsigned long long)stats->lines, strerror(c->read_errno));
            rc = MH_IO;
        }
        if (rc == MH_OK && last)
            stats->lines = im.lines_read; /* trailing blank lines count too */
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
                stats->unchanged = 0, stats->media = 0;
        }
    }
    for (int i = 0; i < PIPE_CHUNKS; i++)
        arena_release(&chunks[i].arena);
    pthread_cond_destroy(&p.ready);
    pthread_cond_destroy(&p.freed);
    pthread_mutex_destroy(&p.mu);
    reader_release(&r);
    cache_clear(&im.images);
    free(im.images.e);
    arena_release(&im.arena);
    arena_release(&im.ed_arena);
    return rc;
}
