/* SPDX-License-Identifier: MIT */
/*
 * cache.c - the page cache: rendered pages by path, each with its gzip and
 * brotli forms made once, reference-counted so a page can be sent while it
 * is evicted, bounded by bytes with least-recently-used eviction, and
 * generation-stamped so invalidation is one increment.  A miss is rendered
 * by the first thread that asks; the others wait for it (single flight).
 */
#include "core/compat.h"

#include <brotli/encode.h>
#include <libdeflate.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "site/site.h"

struct centry {
    struct page_entry e; /* first: callers see only this */
    struct arena arena;  /* every byte of the entry */
    struct str key;
    atomic_int refs;     /* the table's one, and one per caller */
    bool ready, in_table;
    int rc;              /* the render's result, once ready */
    uint64_t gen;
    size_t bytes;
    struct centry *prev, *next; /* LRU, newest first */
    struct centry *hnext;       /* hash chain */
};

struct page_cache {
    pthread_mutex_t mu;
    pthread_cond_t ready;
    struct centry **table;
    size_t nslots; /* a power of two */
    size_t count;
    struct centry lru; /* sentinel */
    size_t bytes, max;
    uint64_t gen;
};

static uint64_t hash_key(struct str k)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < k.len; i++)
        h = (h ^ (unsigned char)k.ptr[i]) * 1099511628211ull;
    return h;
}

struct page_cache *page_cache_new(size_t max_bytes)
{
    struct page_cache *c = mh_calloc(1, sizeof(*c));
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->ready, NULL);
    c->nslots = 1024;
    c->table = mh_calloc(c->nslots, sizeof(*c->table));
    c->lru.prev = c->lru.next = &c->lru;
    c->max = max_bytes;
    return c;
}

static void entry_free(struct centry *e)
{
    arena_release(&e->arena);
    free(e);
}

void page_entry_unref(struct page_entry *pe)
{
    struct centry *e = (struct centry *)pe;
    if (e && atomic_fetch_sub(&e->refs, 1) == 1)
        entry_free(e);
}

/* Take E out of the table and the LRU list; the table's reference goes. */
static void unlink_entry(struct page_cache *c, struct centry *e)
{
    struct centry **pp = &c->table[hash_key(e->key) & (c->nslots - 1)];
    while (*pp && *pp != e)
        pp = &(*pp)->hnext;
    if (*pp)
        *pp = e->hnext;
    if (e->prev) {
        e->prev->next = e->next;
        e->next->prev = e->prev;
        e->prev = e->next = NULL;
    }
    e->in_table = false;
    c->count--;
    c->bytes -= e->bytes;
    page_entry_unref(&e->e);
}

void page_cache_free(struct page_cache *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < c->nslots; i++)
        while (c->table[i])
            unlink_entry(c, c->table[i]);
    pthread_cond_destroy(&c->ready);
    pthread_mutex_destroy(&c->mu);
    free(c->table);
    free(c);
}

void page_cache_invalidate(struct page_cache *c)
{
    pthread_mutex_lock(&c->mu);
    c->gen++;
    pthread_mutex_unlock(&c->mu);
}

void page_cache_invalidate_where(struct page_cache *c, page_stale_fn *stale, void *ctx)
{
    pthread_mutex_lock(&c->mu);
    for (size_t i = 0; i < c->nslots; i++) {
        struct centry *e = c->table[i], *next;
        for (; e; e = next) {
            next = e->hnext;
            if (!e->ready)
                e->gen = c->gen - 1; /* stale the moment it is ready */
            else if (stale(ctx, &e->e.page))
                unlink_entry(c, e);
        }
    }
    pthread_mutex_unlock(&c->mu);
}

static void lru_front(struct page_cache *c, struct centry *e)
{
    if (e->prev) {
        e->prev->next = e->next;
        e->next->prev = e->prev;
    }
    e->next = c->lru.next;
    e->prev = &c->lru;
    c->lru.next->prev = e;
    c->lru.next = e;
}

static bool compressible(const char *type)
{
    return type && (strncmp(type, "text/", 5) == 0 || strstr(type, "json") ||
                    strstr(type, "xml") || strstr(type, "javascript"));
}

/* The encodings are made in a heap buffer of the worst-case size and then
 * copied, so the entry keeps only the bytes it sends.  gzip is libdeflate's
 * level 8 and brotli is quality 5 with a window fitted to the page.
 * `build/bench_page_encodings FILE` chose them.  On an article page (14.7 KB)
 * and a front page (22 KB), libdeflate 8 took 100 and 128 us against zlib 6's
 * 120 and 165 us; over 1,000 article pages it wrote 0.36% fewer bytes than
 * zlib 6 (a page at most 17 bytes more), over the 20 front and channel index
 * pages 0.72% fewer (none more).  Its levels 6 and 7 are cheaper still (79,
 * 82 us) but write more than zlib 6 on half the article pages.  brotli 4
 * costs 140 us a page against quality 5's 165 to 180 us, but writes 6% more
 * bytes on those two pages and 11% more over 300 article pages; a 64 KiB
 * window (the smallest the fitting allows) writes no more bytes than 4 MiB.
 * brotli 9 saves 5 to 17 bytes but costs 8.6 ms of CPU a page with the
 * default 4 MiB window, against 0.25 ms.  The static publisher encodes every
 * page of the site.  Documents past BIG_DOCUMENT (a month's sitemap, a long feed:
 * crawlers' reading) take the fastest levels: on a 1.5 MB sitemap gzip 1 and
 * brotli 1 cost 6.7 ms against 24 ms, for 15 to 19% more bytes, and a publish
 * rewrites that sitemap for every edit of the month. */
#define BIG_DOCUMENT (256 * 1024)
#define GZIP_LEVEL 8

/* A compressor is made per call: it costs about 4 us next to the 100 us of
 * compressing a page, and needs no per-thread state. */
static struct str gzip_of(struct arena *a, struct str in)
{
    int level = in.len > BIG_DOCUMENT ? 1 : GZIP_LEVEL;
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(level);
    if (c == NULL)
        MH_BUG("out of memory making a gzip compressor of level %d", level);
    size_t cap = libdeflate_gzip_compress_bound(c, in.len);
    unsigned char *tmp = mh_malloc(cap);
    size_t n = libdeflate_gzip_compress(c, in.ptr, in.len, tmp, cap);
    struct str out = n ? arena_str(a, str_make((const char *)tmp, n)) : STR_NULL;
    libdeflate_free_compressor(c);
    free(tmp);
    return out;
}

static struct str brotli_of(struct arena *a, struct str in)
{
    size_t cap = BrotliEncoderMaxCompressedSize(in.len), n = cap;
    struct str out = STR_NULL;
    if (cap == 0)
        return STR_NULL;
    uint8_t *tmp = mh_malloc(cap);
    int lgwin = 16; /* the smallest window that holds the page, 64 KiB to 4 MiB */
    while (lgwin < BROTLI_DEFAULT_WINDOW && ((size_t)1 << lgwin) < in.len)
        lgwin++;
    int quality = in.len > BIG_DOCUMENT ? 1 : 5;
    if (BrotliEncoderCompress(quality, lgwin, BROTLI_MODE_TEXT, in.len, (const uint8_t *)in.ptr,
                              &n, tmp))
        out = arena_str(a, str_make((const char *)tmp, n));
    free(tmp);
    return out;
}

void page_entry_encode(struct page_entry *pe, struct arena *arena)
{
    page_entry_etag(pe, arena);
    page_entry_compress(pe, arena);
}

void page_entry_etag(struct page_entry *pe, struct arena *arena)
{
    struct str body = pe->page.body;
    unsigned char h[16];
    char hex[33];
    crypto_generichash(h, sizeof(h), (const unsigned char *)body.ptr, body.len, NULL, 0);
    sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
    struct buf b;
    buf_init(&b, arena, 64);
    buf_addf(&b, "\"%s\"", hex);
    pe->etag = buf_str(&b);
}

void page_entry_compress(struct page_entry *pe, struct arena *arena)
{
    struct str body = pe->page.body;
    pe->gzip = pe->brotli = STR_NULL;
    if (body.len > 256 && compressible(pe->page.content_type)) {
        pe->gzip = gzip_of(arena, body);
        pe->brotli = brotli_of(arena, body);
        if (pe->gzip.len >= body.len)
            pe->gzip = STR_NULL;
        if (pe->brotli.len >= body.len)
            pe->brotli = STR_NULL;
    }
}

/* Fill in the encodings and the ETag of a freshly rendered entry. */
static void finish_entry(struct centry *e)
{
    page_entry_encode(&e->e, &e->arena);
    e->bytes = sizeof(*e) + e->arena.used; /* what the entry really holds */
}

/* Copy what page PG points to into TO, so that it outlives the arena it was
 * rendered in: every pointer field of struct site_page is handled here. */
static void keep_page(struct site_page *pg, struct arena *to)
{
    pg->body = arena_str(to, pg->body);
    pg->location = arena_str(to, pg->location);
    pg->edition = arena_str(to, pg->edition);
    if (pg->n_shows) {
        int64_t *ids = arena_alloc(to, pg->n_shows * sizeof(*ids));
        memcpy(ids, pg->shows, pg->n_shows * sizeof(*ids));
        pg->shows = ids;
    }
    if (pg->n_keywords) {
        struct str *kw = arena_alloc(to, pg->n_keywords * sizeof(*kw));
        for (size_t i = 0; i < pg->n_keywords; i++)
            kw[i] = arena_str(to, pg->keywords[i]);
        pg->keywords = kw;
    }
    pg->article = NULL; /* the whole article is not kept */
}

int page_cache_get(struct page_cache *c, struct str key, page_render_fn *render, void *ctx,
                   struct page_entry **out, bool *rendered)
{
    bool dummy;
    if (rendered == NULL)
        rendered = &dummy;
    *rendered = false;
    pthread_mutex_lock(&c->mu);
    size_t slot = hash_key(key) & (c->nslots - 1);
    struct centry *e = c->table[slot];
    while (e && !str_eq(e->key, key))
        e = e->hnext;
    if (e && e->gen != c->gen && e->ready) {
        unlink_entry(c, e); /* stale */
        e = NULL;
    }
    if (e) {
        atomic_fetch_add(&e->refs, 1);
        while (!e->ready)
            pthread_cond_wait(&c->ready, &c->mu);
        int rc = e->rc;
        if (rc == MH_OK && e->in_table)
            lru_front(c, e);
        pthread_mutex_unlock(&c->mu);
        if (rc) {
            page_entry_unref(&e->e);
            return rc;
        }
        *out = &e->e;
        return MH_OK;
    }
    /* a miss: this thread renders; later askers wait on the entry */
    *rendered = true;
    e = mh_calloc(1, sizeof(*e));
    arena_init(&e->arena, 4 * 1024);
    e->key = arena_str(&e->arena, key);
    atomic_init(&e->refs, 2);
    e->gen = c->gen;
    e->in_table = true;
    e->hnext = c->table[slot];
    c->table[slot] = e;
    c->count++;
    pthread_mutex_unlock(&c->mu);

    /* render in a scratch arena, then keep only the bytes that are sent: the
     * value tree and the buffers of a render are many times the page */
    struct arena scratch;
    arena_init(&scratch, 64 * 1024);
    int rc = render(ctx, &scratch, &e->e.page);
    if (rc == MH_OK) {
        keep_page(&e->e.page, &e->arena);
        finish_entry(e);
    }
    arena_release(&scratch);

    pthread_mutex_lock(&c->mu);
    e->rc = rc;
    e->ready = true;
    if (e->in_table) {
        if (rc || e->e.page.cache == SITE_CACHE_NONE || e->bytes > c->max / 4) {
            unlink_entry(c, e);
        } else {
            c->bytes += e->bytes;
            lru_front(c, e);
            /* evict from the old end until the cache fits */
            while (c->bytes > c->max && c->lru.prev != &c->lru && c->lru.prev != e)
                unlink_entry(c, c->lru.prev);
        }
    }
    pthread_cond_broadcast(&c->ready);
    pthread_mutex_unlock(&c->mu);
    if (rc) {
        page_entry_unref(&e->e);
        return rc;
    }
    *out = &e->e;
    return MH_OK;
}
