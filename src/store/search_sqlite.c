/* SPDX-License-Identifier: MIT */
/*
 * search_sqlite.c - search on SQLite FTS5: the tokenizer "masthead" (the
 * search module's, registered through fts5_api on every connection), the
 * ranking function mh_bm25() (BM25 with field weights over our own idf), the
 * reader's query tree as an FTS5 expression in which every reader's word is a
 * quoted string, and the top-k walk: matches come newest first (the rowid is
 * the publication time), each is scored with BM25 times freshness, and the
 * walk stops as soon as no older match can enter the top k, or after
 * SCAN_MAX matches.  docs/internals/search.md explains the design.
 */
#include "core/compat.h"

#include <math.h>
#include <pthread.h>
#include <sqlite3.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "search/search.h"
#include "store/search_sqlite.h"
#include "store/store_int.h"

#define K1 1.2
#define B 0.75
#define MAX_PHRASES 64
#define SCAN_MAX 1000       /* matches scored at most, newest first */
#define COUNT_MAX STORE_SEARCH_EXACT_MAX /* matches counted exactly */
#define HALF_LIFE_DAYS 14.0 /* freshness: a story this old counts 0.35 + 0.65 / 2 */
#define FRESH_FLOOR 0.35
#define DOCID_SHIFT 2 /* four docids a second */
#define DF_SLOTS 16384
#define DF_TTL_MS (10 * 60 * 1000)
#define RECENT_TTL_MS (60 * 1000)

/* body, title, kicker, subtitle, abstract, keywords, authors, meta */
static const double col_weight[] = {1.0, 10.0, 3.0, 4.0, 3.0, 5.0, 4.0, 0.0};

/* ------------------------------------------------------------------ */
/* The tokenizer                                                        */

struct tok_call {
    void *ctx;
    int (*x)(void *, int, const char *, int, int, int);
};

static int tok_term(void *c, int flags, const char *term, size_t len, size_t start, size_t end)
{
    struct tok_call *tc = c;
    return tc->x(tc->ctx, (flags & SEARCH_TOKEN_COLOCATED) ? FTS5_TOKEN_COLOCATED : 0, term,
                 (int)len, (int)start, (int)end);
}

static int tok_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
    (void)ctx;
    enum search_cjk mode = SEARCH_CJK_BIGRAM;
    const char *env = getenv("MH_SEARCH_CJK"); /* for measuring only: tests/store/relevance_test.c */
    if ((argc > 0 && strcmp(argv[0], "icu") == 0) || (env && strcmp(env, "icu") == 0))
        mode = SEARCH_CJK_ICU;
    else if (argc > 0)
        return SQLITE_ERROR;
    *out = (Fts5Tokenizer *)search_tokenizer_new(mode);
    return SQLITE_OK;
}

static void tok_delete(Fts5Tokenizer *t)
{
    search_tokenizer_free((struct search_tokenizer *)t);
}

static int tok_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *text, int n,
                        int (*x)(void *, int, const char *, int, int, int))
{
    struct tok_call tc = {ctx, x};
    if (n <= 0)
        return SQLITE_OK;
    return search_tokenize((struct search_tokenizer *)t, str_make(text, (size_t)n),
                           (flags & FTS5_TOKENIZE_QUERY) != 0, tok_term, &tc);
}

/* ------------------------------------------------------------------ */
/* mh_bm25(search_fts, IDF, BAR): BM25 with field weights               */

static double freshness(int64_t now_s, int64_t docid)
{
    double age_days = (double)(now_s - (docid >> DOCID_SHIFT)) / 86400.0;
    if (age_days < 0)
        age_days = 0;
    return FRESH_FLOOR + (1.0 - FRESH_FLOOR) * exp2(-age_days / HALF_LIFE_DAYS);
}

/* What a match must beat to enter the top k, kept by the walk as it goes
 * (bound to the statement with sqlite3_bind_pointer). */
#define BAR_TYPE "mh_bm25_bar"
struct bm25_bar {
    double score;   /* the k-th best score so far (with freshness); -1 while fewer */
    int64_t now_s;  /* for freshness */
    int64_t skipped; /* matches not scored in full: they could not enter */
};

/* IDF is a blob of doubles, one per phrase of the expression in order
 * (0 for filters and exclusions).  FTS5's own bm25() counts every match of
 * every phrase to get its idf, which is the cost we must not pay.  With
 * BAR, a match whose score cannot beat BAR->score is not scored in full:
 * its weighted counts come first (positions, in memory), and the score they
 * give with the shortest possible article (length normalisation only
 * lowers it), times its freshness, is its bound; only a match whose bound
 * beats the bar pays for its length (a lookup in the docsize table).  Such
 * a match gets -1, which no top k takes. */
static void bm25_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                    int nv, sqlite3_value **v)
{
    double *avgdl = api->xGetAuxdata(fts, 0);
    if (avgdl == NULL) {
        sqlite3_int64 rows = 0, total = 0;
        if (api->xRowCount(fts, &rows) != SQLITE_OK ||
            api->xColumnTotalSize(fts, -1, &total) != SQLITE_OK) {
            sqlite3_result_error(ctx, "mh_bm25: no statistics", -1);
            return;
        }
        avgdl = sqlite3_malloc(sizeof(double));
        if (avgdl == NULL) {
            sqlite3_result_error_nomem(ctx);
            return;
        }
        *avgdl = rows > 0 && total > 0 ? (double)total / (double)rows : 1.0;
        api->xSetAuxdata(fts, avgdl, sqlite3_free);
    }
    const unsigned char *blob = nv > 0 ? sqlite3_value_blob(v[0]) : NULL;
    struct bm25_bar *bar = nv > 1 ? sqlite3_value_pointer(v[1], BAR_TYPE) : NULL;
    int nidf = nv > 0 ? sqlite3_value_bytes(v[0]) / (int)sizeof(double) : 0;
    int nphrase = api->xPhraseCount(fts), dl = 0;
    double idf[MAX_PHRASES], freq[MAX_PHRASES];
    if (nidf > MAX_PHRASES)
        nidf = MAX_PHRASES;
    for (int i = 0; i < nphrase && i < nidf; i++) {
        memcpy(&idf[i], blob + (size_t)i * sizeof(double), sizeof(idf[i]));
        freq[i] = 0.0;
        if (idf[i] <= 0.0)
            continue;
        Fts5PhraseIter it;
        int col, off;
        if (api->xPhraseFirst(fts, i, &it, &col, &off) != SQLITE_OK)
            continue;
        for (; col >= 0; api->xPhraseNext(fts, &it, &col, &off))
            if (col < (int)MH_ARRAY_LEN(col_weight))
                freq[i] += col_weight[col];
    }
    if (bar && bar->score >= 0.0) {
        double k = K1 * (1.0 - B), bound = 0.0;
        for (int i = 0; i < nphrase && i < nidf; i++)
            if (idf[i] > 0.0)
                bound += idf[i] * freq[i] * (K1 + 1.0) / (freq[i] + k);
        if (bound * freshness(bar->now_s, api->xRowid(fts)) <= bar->score) {
            bar->skipped++;
            sqlite3_result_double(ctx, -1.0);
            return;
        }
    }
    if (api->xColumnSize(fts, -1, &dl) != SQLITE_OK)
        dl = 0;
    double k = K1 * (1.0 - B + B * (double)dl / *avgdl), score = 0.0;
    for (int i = 0; i < nphrase && i < nidf; i++)
        if (idf[i] > 0.0)
            score += idf[i] * freq[i] * (K1 + 1.0) / (freq[i] + k);
    sqlite3_result_double(ctx, score);
}

int store_sqlite_search_init(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
        return MH_DB;
    sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    if (api == NULL || api->iVersion < 2)
        return MH_DB;
    fts5_tokenizer tok = {tok_create, tok_delete, tok_tokenize};
    if (api->xCreateTokenizer(api, "masthead", NULL, &tok, NULL) != SQLITE_OK ||
        api->xCreateFunction(api, "mh_bm25", NULL, bm25_fn, NULL) != SQLITE_OK)
        return MH_DB;
    return MH_OK;
}

/* ------------------------------------------------------------------ */
/* Document frequencies, shared by every connection of the process      */

/* Looking a term up in the vocabulary walks its whole posting list (tens
 * of milliseconds for a common word in a million articles); the answer
 * barely moves from one minute to the next, so it is kept: in sets of
 * DF_WAYS slots (a key lives in one set; the oldest slot makes room), so
 * that two hot words rarely push each other out. */
#define DF_WAYS 4
struct df_slot {
    uint64_t key;
    int64_t df, at;
};
static struct df_slot df_cache[DF_SLOTS];
static pthread_mutex_t df_mu = PTHREAD_MUTEX_INITIALIZER;

static uint64_t hash(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * UINT64_C(0x100000001b3);
    /* FNV's low bits depend on the low bits only: mix the high ones in */
    h ^= h >> 33;
    h *= UINT64_C(0xff51afd7ed558ccd);
    h ^= h >> 33;
    return h | 1;
}

/* The value kept for KEY, if it is younger than TTL ms. */
static bool cache_get(uint64_t key, int64_t now, int64_t ttl, int64_t *value)
{
    struct df_slot *set = &df_cache[key & (DF_SLOTS - DF_WAYS)];
    bool hit = false;
    pthread_mutex_lock(&df_mu);
    for (int i = 0; i < DF_WAYS && !hit; i++)
        if (set[i].key == key && now - set[i].at < ttl) {
            *value = set[i].df;
            hit = true;
        }
    pthread_mutex_unlock(&df_mu);
    return hit;
}

static void cache_put(uint64_t key, int64_t now, int64_t value)
{
    struct df_slot *set = &df_cache[key & (DF_SLOTS - DF_WAYS)];
    pthread_mutex_lock(&df_mu);
    int victim = 0;
    for (int i = 0; i < DF_WAYS; i++) {
        if (set[i].key == key) {
            victim = i;
            break;
        }
        if (set[i].at < set[victim].at)
            victim = i;
    }
    set[victim] = (struct df_slot){key, value, now};
    pthread_mutex_unlock(&df_mu);
}

/* The number of indexed articles holding TERM ("" for all of them). */
static int doc_freq(struct store *s, uint64_t dbkey, struct str term, int64_t *out)
{
    uint64_t key = hash(dbkey, term.ptr, term.len);
    int64_t now = clock_mono_ns() / 1000000;
    if (cache_get(key, now, DF_TTL_MS, out))
        return MH_OK;
    struct store_stmt *st;
    int rc = stmt_prepare(s, term.len ? Q_SEARCH_DF : Q_SEARCH_DOCS, &st);
    if (rc)
        return rc;
    if (term.len)
        B_STR(st, 1, term);
    rc = STEP(st);
    *out = rc == MH_OK ? C_I64(st, 0) : 0;
    DONE(st);
    if (rc == STORE_DONE)
        rc = MH_OK;
    if (rc == MH_OK)
        cache_put(key, now, *out);
    return rc;
}

/* ------------------------------------------------------------------ */
/* The FTS5 expression                                                  */

struct expr {
    struct store *s;
    struct search_tokenizer *tok;
    uint64_t dbkey;
    int64_t n_docs;
    struct buf b;
    double idf[MAX_PHRASES];
    int n;
    double rmax;       /* no article scores more (before freshness) */
    int64_t df_bound;  /* no more articles match (the rarest ANDed phrase's) */
    bool in_single_alt; /* the phrase being added must match (no OR around it) */
    int rc;
};

struct idf_walk {
    struct expr *e;
    double max;
    int64_t min_df; /* the phrase is in at most this many articles */
};

static int term_idf(void *ctx, int flags, const char *term, size_t len, size_t start,
                    size_t end)
{
    struct idf_walk *w = ctx;
    int64_t df = 0;
    (void)flags, (void)start, (void)end;
    int rc = doc_freq(w->e->s, w->e->dbkey, str_make(term, len), &df);
    if (rc)
        return rc;
    double n = (double)w->e->n_docs, idf = log((n - (double)df + 0.5) / ((double)df + 0.5));
    if (idf < 0.01)
        idf = 0.01; /* a word in most articles still counts a little */
    if (idf > w->max)
        w->max = idf;
    if (df < w->min_df)
        w->min_df = df;
    return 0;
}

/* Append TEXT as one quoted FTS5 string: its terms, adjacent.  WEIGHTED
 * phrases are scored; filters and exclusions are not. */
static void phrase(struct expr *e, const char *column, struct str text, bool weighted,
                   const char *suffix)
{
    if (column)
        buf_adds(&e->b, column);
    buf_addc(&e->b, '"');
    for (size_t i = 0; i < text.len; i++) {
        if (text.ptr[i] == '"')
            buf_addc(&e->b, '"');
        buf_addc(&e->b, text.ptr[i]);
    }
    buf_addc(&e->b, '"');
    if (suffix)
        buf_adds(&e->b, suffix);
    double idf = 0.0;
    if (weighted && e->rc == MH_OK) {
        struct idf_walk w = {e, 0.0, INT64_MAX};
        e->rc = search_tokenize(e->tok, text, true, term_idf, &w);
        idf = w.max;
        e->rmax += idf * (K1 + 1.0);
        if (e->in_single_alt && w.min_df < e->df_bound)
            e->df_bound = w.min_df;
    }
    if (e->n < MAX_PHRASES)
        e->idf[e->n] = idf;
    e->n++;
}

/* Phrases left for the rest of the expression (filters take up to 4, and
 * the term that keeps the words apart one). */
static int room(const struct expr *e)
{
    return MAX_PHRASES - 5 - e->n;
}

static int alt_size(const struct search_alt *a)
{
    return (int)a->n;
}

static void clause(struct expr *e, const struct search_clause *c, bool weighted)
{
    buf_addc(&e->b, '(');
    for (size_t a = 0; a < c->n; a++) {
        if (a)
            buf_adds(&e->b, " OR ");
        buf_addc(&e->b, '(');
        e->in_single_alt = c->n == 1;
        for (size_t k = 0; k < c->alts[a].n; k++) {
            if (k)
                buf_addc(&e->b, ' ');
            phrase(e, NULL, c->alts[a].phrases[k], weighted, NULL);
        }
        e->in_single_alt = false;
        buf_addc(&e->b, ')');
    }
    buf_addc(&e->b, ')');
}

/* A whole-name filter: "Jane Doe" is the one term "<mark>au<mark>jane<mark>doe". */
static void filter(struct expr *e, struct arena *arena, const char *kind, struct str value)
{
    struct buf v;
    buf_init(&v, arena, 4096);
    buf_adds(&v, SEARCH_META_MARK);
    buf_adds(&v, kind);
    buf_adds(&v, SEARCH_META_MARK);
    for (size_t i = 0; i < value.len; i++) {
        if (value.ptr[i] == ' ')
            buf_adds(&v, SEARCH_META_MARK);
        else
            buf_addc(&v, value.ptr[i]);
    }
    buf_adds(&e->b, " AND ");
    phrase(e, "meta:", buf_str(&v), false, NULL);
}

/* The term of an edition, as the index's meta column has it. */
static struct str edition_term(struct arena *arena, struct str edition)
{
    struct buf v;
    buf_init(&v, arena, 4096);
    buf_adds(&v, SEARCH_META_MARK "ed" SEARCH_META_MARK);
    for (size_t i = 0; i < edition.len; i++) {
        if (edition.ptr[i] == ' ')
            buf_adds(&v, SEARCH_META_MARK);
        else
            buf_addc(&v, edition.ptr[i]);
    }
    return buf_str(&v);
}

/* Only articles of EDITION.  Every indexed article has one edition term,
 * so when EDITION holds most of the index, "NOT any other edition" says
 * the same as "AND this edition" with sparser posting lists: FTS5 moves a
 * filter's list to each match, loading (and, newest first, reversing) a
 * page each time, and the list of most of the index has the most pages. */
static int edition_filter(struct expr *e, struct arena *arena, struct str edition)
{
    struct store *s = e->s;
    struct str others[8];
    size_t n = 0;
    int64_t mine = 0, rest = 0, df = 0;
    struct store_stmt *st;
    int rc = doc_freq(s, e->dbkey, edition_term(arena, edition), &mine);
    if (rc == MH_OK)
        rc = stmt_prepare(s, Q_SEARCH_EDITIONS, &st);
    if (rc)
        return rc;
    bool fits = true;
    while ((rc = STEP(st)) == MH_OK) {
        if (str_eq(s->ops->col_str(st, 0), edition))
            continue;
        if (n == MH_ARRAY_LEN(others)) {
            fits = false;
            continue;
        }
        others[n++] = C_STR(st, 0);
    }
    DONE(st);
    if (rc != STORE_DONE)
        return rc;
    for (size_t i = 0; i < n && fits; i++) {
        rc = doc_freq(s, e->dbkey, edition_term(arena, others[i]), &df);
        if (rc)
            return rc;
        rest += df;
    }
    if (!fits || mine <= rest || room(e) < (int)n) {
        filter(e, arena, "ed", edition);
        return MH_OK;
    }
    for (size_t i = 0; i < n; i++) {
        buf_adds(&e->b, " NOT ");
        phrase(e, "meta:", edition_term(arena, others[i]), false, NULL);
    }
    return MH_OK;
}

static uint64_t db_key(struct store *s)
{
    const char *f = sqlite3_db_filename(store_sqlite_db(s), "main");
    return hash(UINT64_C(0xcbf29ce484222325), f ? f : "", f ? strlen(f) : 0);
}

static int expr_begin(struct expr *e, struct store *s, struct arena *arena)
{
    memset(e, 0, sizeof(*e));
    e->df_bound = INT64_MAX;
    e->s = s;
    e->dbkey = db_key(s);
    buf_init(&e->b, arena, 64 * 1024);
    return doc_freq(s, e->dbkey, STR_NULL, &e->n_docs);
}

/* ------------------------------------------------------------------ */
/* Searching                                                            */

static int catch_up(struct store *s); /* below, with the other upkeep */

struct scored {
    double score;
    int64_t docid;
};

/* Is A worse than B (lower score; older on a tie)? */
static bool worse(struct scored a, struct scored b)
{
    return a.score < b.score || (a.score == b.score && a.docid < b.docid);
}

/* A min-heap of the best K so far: heap[0] is the worst of them. */
static void heap_push(struct scored *h, size_t *n, size_t k, struct scored x)
{
    size_t i;
    if (*n == k) {
        if (!worse(h[0], x))
            return;
        i = 0; /* replace the root and sift down */
        for (;;) {
            size_t l = 2 * i + 1, r = l + 1, m = i;
            struct scored least = x;
            if (l < *n && worse(h[l], least)) {
                m = l;
                least = h[l];
            }
            if (r < *n && worse(h[r], least))
                m = r;
            if (m == i)
                break;
            h[i] = h[m];
            i = m;
        }
        h[i] = x;
        return;
    }
    i = (*n)++;
    while (i > 0 && worse(x, h[(i - 1) / 2])) {
        h[i] = h[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h[i] = x;
}

static int cmp_best(const void *a, const void *b)
{
    const struct scored *x = a, *y = b;
    return worse(*x, *y) ? 1 : worse(*y, *x) ? -1 : 0;
}

static void bind_expr(struct store *s, struct store_stmt *st, struct str match, int64_t lo,
                      int64_t hi)
{
    B_STR(st, 1, match);
    B_I64(st, 3, lo);
    B_I64(st, 4, hi);
}

/* Indexed articles with a docid in [FROM, TO), counted. */
static int count_docs(struct store *s, int64_t from, int64_t to, int64_t *n)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_SEARCH_SPAN, &st);
    if (rc)
        return rc;
    B_I64(st, 1, from);
    B_I64(st, 2, to);
    rc = STEP1(st);
    *n = rc == MH_OK ? C_I64(st, 0) : 0;
    DONE(st);
    return rc;
}

/* Indexed articles from docid FROM on (up to NEWEST), at least SPAN_MAX
 * meaning "too many".  Docids fall in buckets of about 18 hours; a bucket is
 * counted once and kept like a document frequency (DF_TTL_MS; a minute for
 * the buckets of the last day, which grow as articles are published), so a
 * span of months costs a few lookups instead of a walk over every article
 * in it. */
#define SPAN_MAX 200000
#define BUCKET_SHIFT (DOCID_SHIFT + 16)
static int count_span(struct store *s, uint64_t dbkey, int64_t from, int64_t newest,
                      int64_t *span)
{
    int64_t b0 = from >> BUCKET_SHIFT, bn = newest >> BUCKET_SHIFT;
    int64_t today = ((clock_now_ms() / 1000 - 86400) << DOCID_SHIFT) >> BUCKET_SHIFT;
    int rc = count_docs(s, from, (b0 + 1) << BUCKET_SHIFT, span);
    int64_t now = clock_mono_ns() / 1000000;
    for (int64_t b = b0 + 1; rc == MH_OK && b <= bn && *span < SPAN_MAX; b++) {
        char tag[32];
        int len = snprintf(tag, sizeof(tag), "\x01bucket %lld", (long long)b);
        uint64_t key = hash(dbkey, tag, (size_t)len);
        int64_t n = 0;
        if (!cache_get(key, now, b < today ? DF_TTL_MS : RECENT_TTL_MS, &n)) {
            rc = count_docs(s, b << BUCKET_SHIFT, (b + 1) << BUCKET_SHIFT, &n);
            if (rc == MH_OK)
                cache_put(key, now, n);
        }
        *span += n;
    }
    return rc;
}

/* Are fewer than COUNT_MAX - SEEN matches likely left below BELOW (in
 * [LO, HI])?  The walk met SEEN matches from BELOW on: assume the same share
 * of the articles before it. */
static int few_left(struct store *s, uint64_t dbkey, int64_t lo, int64_t hi, int64_t all,
                    int64_t seen, int64_t below, bool *few)
{
    struct store_stmt *r;
    *few = false;
    int rc = stmt_prepare(s, Q_SEARCH_RANGE, &r);
    if (rc)
        return rc;
    rc = STEP1(r);
    int64_t last = rc == MH_OK ? C_I64(r, 1) : 0;
    DONE(r);
    if (rc)
        return rc;
    int64_t after = 0, before = 0;
    rc = count_span(s, dbkey, below, hi < last ? hi : last, &after);
    if (rc || after <= 0 || after >= SPAN_MAX)
        return rc;
    if (lo > 0) {
        rc = count_span(s, dbkey, lo, below - 1, &before);
        if (rc)
            return rc;
        if (before >= SPAN_MAX)
            return MH_OK;
    } else {
        before = all - after;
    }
    *few = (double)seen * (double)before / (double)after < (double)(COUNT_MAX - seen);
    return MH_OK;
}

/* The number of matches: exact up to COUNT_MAX.  The walk already met SEEN
 * matches, the oldest of them BELOW (0: none); counting goes on below it.
 * Beyond COUNT_MAX, the newest COUNT_MAX matches are a sample of the newest
 * articles, from the oldest of them on: the total is that share of ALL
 * indexed articles (publication rates vary too much for a share of time).
 * With a date range, or when the sample spans too many articles, it is the
 * share of the range's time. */
static int count_matches(struct store *s, uint64_t dbkey, struct str match, int64_t lo,
                         int64_t hi, int64_t all, int64_t seen, int64_t below, int64_t *total)
{
    struct store_stmt *st;
    int64_t n = seen, oldest = below, more = 0;
    bool counted = false;
    int rc = MH_OK;
    if (seen >= COUNT_MAX || (seen > 0 && below <= lo)) {
        counted = true; /* nothing left below */
    } else if (seen > 0) {
        /* FTS5 walks oldest first at about half the cost (no page is read
         * backwards): when the walk's density says fewer matches are left
         * below than it takes to reach COUNT_MAX, count them that way; if
         * there are that many after all, count newest first as usual */
        bool up = false;
        rc = few_left(s, dbkey, lo, hi, all, seen, below, &up);
        if (rc == MH_OK && up) {
            rc = stmt_prepare(s, Q_SEARCH_COUNT_UP, &st);
            if (rc)
                return rc;
            bind_expr(s, st, match, lo, below - 1);
            B_I64(st, 5, COUNT_MAX - seen);
            rc = STEP1(st);
            more = rc == MH_OK ? C_I64(st, 0) : 0;
            DONE(st);
            counted = rc == MH_OK && more < COUNT_MAX - seen;
        }
        if (rc)
            return rc;
    }
    if (!counted) {
        rc = stmt_prepare(s, Q_SEARCH_COUNT, &st);
        if (rc)
            return rc;
        bind_expr(s, st, match, lo, seen ? below - 1 : hi);
        B_I64(st, 5, COUNT_MAX - seen);
        rc = STEP1(st);
        more = rc == MH_OK ? C_I64(st, 0) : 0;
        if (rc == MH_OK && more > 0)
            oldest = C_I64(st, 1);
        DONE(st);
        if (rc)
            return rc;
    }
    n += more;
    *total = n;
    if (n < COUNT_MAX)
        return MH_OK;
    struct store_stmt *r;
    rc = stmt_prepare(s, Q_SEARCH_RANGE, &r);
    if (rc)
        return rc;
    rc = STEP1(r);
    int64_t first = rc == MH_OK ? C_I64(r, 0) : 0, last = rc == MH_OK ? C_I64(r, 1) : 0;
    DONE(r);
    if (rc)
        return rc;
    if (lo == 0 && hi == INT64_MAX) {
        int64_t span = 0;
        rc = count_span(s, dbkey, oldest, last, &span);
        if (rc)
            return rc;
        if (span > 0 && span < SPAN_MAX) {
            double est = (double)n * (double)all / (double)span;
            *total = est > (double)all ? all : (int64_t)est;
            return MH_OK;
        }
    }
    if (lo > first)
        first = lo;
    if (hi < last)
        last = hi;
    if (last > oldest && first < oldest) {
        double est = (double)n * (double)(last - first) / (double)(last - oldest);
        *total = est > (double)all ? all : (int64_t)est;
    }
    return MH_OK;
}

static int load_hit(struct store *s, struct arena *arena, struct str edition, struct scored sc,
                    struct store_search_hit *h)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_SEARCH_HIT, &st);
    if (rc)
        return rc;
    B_I64(st, 1, sc.docid);
    B_STR(st, 2, edition);
    rc = STEP1(st);
    if (rc == MH_OK) {
        struct str fmt = s->ops->col_str(st, 7);
        h->id = C_I64(st, 0);
        h->edition = C_STR(st, 1);
        h->channel = C_STR(st, 2);
        h->channel_name = C_STR(st, 3);
        h->title = C_STR(st, 4);
        h->abstract = C_STR(st, 5);
        h->body = C_STR(st, 6);
        h->body_format = str_eq_c(fmt, "html") ? BODY_HTML : BODY_MARKDOWN;
        h->published_at = C_I64(st, 8);
        h->score = sc.score;
    }
    DONE(st);
    return rc;
}

int store_search(struct store *s, struct arena *arena, const struct store_search_params *p,
                 struct store_search_hit **hits, size_t *n, int64_t *total)
{
    *hits = NULL;
    *n = 0;
    *total = 0;
    if (p->limit < 1 || p->limit > 100 || p->offset < 0 ||
        p->offset + p->limit > STORE_SEARCH_MAX_RESULTS || p->edition.len == 0)
        return MH_INVAL;
    if (p->q->n_include == 0)
        return MH_OK;
    int rc0 = catch_up(s);
    if (rc0)
        return rc0;
    int64_t channel_id = 0;
    if (p->channel.len) {
        int rc = store_channel_id(s, p->edition, p->channel, &channel_id);
        if (rc == MH_NOTFOUND)
            return MH_OK;
        if (rc)
            return rc;
    }

    struct expr e;
    int rc = expr_begin(&e, s, arena);
    if (rc)
        return rc;
    e.tok = search_tokenizer_new(SEARCH_CJK_BIGRAM);
    buf_adds(&e.b, "((");
    bool first = true;
    for (size_t i = 0; i < p->q->n; i++) {
        const struct search_clause *c = &p->q->clauses[i];
        int size = 0;
        for (size_t a = 0; a < c->n; a++)
            size += alt_size(&c->alts[a]);
        if (c->exclude || size > room(&e))
            continue;
        if (!first)
            buf_adds(&e.b, " AND ");
        first = false;
        clause(&e, c, true);
    }
    /* FTS5 flattens "(a AND b) AND filter" into one AND that advances every
     * child whenever any of them moves: the edition's posting list (most of
     * the index) would be walked along every candidate of a or b.  A NOT of
     * a term no article has keeps the reader's words one node, whose
     * matches alone move the filters. */
    buf_adds(&e.b, ") NOT ");
    phrase(&e, "meta:", str_c(SEARCH_META_MARK "none"), false, NULL);
    buf_addc(&e.b, ')');
    if (first) { /* nothing fitted (cannot happen with the parser's limits) */
        search_tokenizer_free(e.tok);
        return MH_OK;
    }
    rc = edition_filter(&e, arena, p->edition);
    if (rc) {
        search_tokenizer_free(e.tok);
        return rc;
    }
    if (channel_id) {
        char id[32];
        snprintf(id, sizeof(id), "%lld", (long long)channel_id);
        filter(&e, arena, "ch", str_c(id));
    }
    if (p->author.len)
        filter(&e, arena, "au", p->author);
    if (p->keyword.len)
        filter(&e, arena, "kw", p->keyword);
    for (size_t i = 0; i < p->q->n; i++) {
        const struct search_clause *c = &p->q->clauses[i];
        if (!c->exclude || alt_size(&c->alts[0]) > room(&e) + 5)
            continue;
        buf_adds(&e.b, " NOT ");
        clause(&e, c, false);
    }
    search_tokenizer_free(e.tok);
    struct str match;
    if (e.rc == MH_OK)
        e.rc = buf_finish(&e.b, &match);
    if (e.rc)
        return e.rc;

    int64_t lo = p->from_ms > 0 ? (p->from_ms / 1000) << DOCID_SHIFT : 0;
    int64_t hi = p->to_ms > 0 ? ((p->to_ms / 1000) << DOCID_SHIFT) | ((1 << DOCID_SHIFT) - 1)
                              : INT64_MAX;
    size_t k = (size_t)(p->offset + p->limit), got = 0;
    struct scored *best = arena_alloc(arena, sizeof(*best) * k);
    struct store_stmt *st;
    bool complete = false;
    int64_t seen = 0, below = 0; /* matches walked; the oldest of them */
    if (p->by_date) {
        rc = stmt_prepare(s, Q_SEARCH_BY_DATE, &st);
        if (rc)
            return rc;
        bind_expr(s, st, match, lo, hi);
        B_I64(st, 5, (int64_t)k);
        B_I64(st, 6, 0);
        while ((rc = STEP(st)) == MH_OK)
            best[got++] = (struct scored){0.0, C_I64(st, 0)};
        DONE(st);
        complete = got < k;
        seen = (int64_t)got;
        below = got ? best[got - 1].docid : 0;
    } else {
        double idf_blob[MAX_PHRASES];
        int np = e.n < MAX_PHRASES ? e.n : MAX_PHRASES;
        memcpy(idf_blob, e.idf, sizeof(double) * (size_t)np);
        struct bm25_bar bar = {-1.0, clock_now_ms() / 1000, 0};
        rc = stmt_prepare(s, Q_SEARCH_SCAN, &st);
        if (rc)
            return rc;
        bind_expr(s, st, match, lo, hi);
        s->ops->bind_blob(st, 2, idf_blob, sizeof(double) * (size_t)np);
        sqlite3_bind_pointer(store_sqlite_stmt(st), 5, &bar, BAR_TYPE, NULL);
        complete = true;
        while ((rc = STEP(st)) == MH_OK) {
            int64_t docid = C_I64(st, 0);
            double fresh = freshness(bar.now_s, docid);
            seen++;
            below = docid;
            heap_push(best, &got, k, (struct scored){s->ops->col_double(st, 1) * fresh, docid});
            if (got == k)
                bar.score = best[0].score;
            /* older matches are less fresh: stop when none can beat the k-th */
            if ((got == k && e.rmax * fresh < best[0].score) || seen >= SCAN_MAX) {
                complete = false;
                break;
            }
        }
        DONE(st);
        qsort(best, got, sizeof(*best), cmp_best);
    }
    if (rc != STORE_DONE && rc != MH_OK)
        return rc;
    rc = MH_OK;
    if (complete)
        *total = seen;
    else
        rc = count_matches(s, e.dbkey, match, lo, hi, e.n_docs, seen, below, total);
    if (rc)
        return rc;
    if (*total > e.df_bound && e.df_bound >= COUNT_MAX) /* an estimate over the bound */
        *total = e.df_bound;
    if ((size_t)p->offset >= got)
        return MH_OK;
    size_t want = got - (size_t)p->offset, k2 = 0;
    *hits = arena_zalloc(arena, sizeof(**hits) * want);
    for (size_t i = 0; i < want && rc == MH_OK; i++) {
        rc = load_hit(s, arena, p->edition, best[(size_t)p->offset + i], &(*hits)[k2]);
        if (rc == MH_OK)
            k2++;
        else if (rc == MH_NOTFOUND) /* unpublished by a program that could not index */
            rc = MH_OK;
    }
    *n = k2;
    return rc;
}

/* ------------------------------------------------------------------ */
/* Keeping up with the articles                                         */

static int run1(struct store *s, enum store_query q, int64_t id)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, q, &st);
    if (rc)
        return rc;
    B_I64(st, 1, id);
    while ((rc = STEP(st)) == MH_OK)
        ;
    DONE(st);
    return rc == STORE_DONE ? MH_OK : rc;
}

static int run(struct store *s, enum store_query q)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, q, &st);
    if (rc)
        return rc;
    while ((rc = STEP(st)) == MH_OK)
        ;
    DONE(st);
    return rc == STORE_DONE ? MH_OK : rc;
}

/*
 * Apply the pending changes: remove what was indexed (the pending rows hold
 * it), then index each article as it is now if it is published.  The FTS5
 * writes are one statement each for the whole batch.  Inside a transaction
 * SQLite opens a statement savepoint for most writes, and FTS5 (3.40) moves
 * its in-memory terms to a new segment at every savepoint: written one
 * article at a time, each article became a segment of its own and its merge
 * work (47% of an import's CPU).
 */
static int apply_pending(struct store *s)
{
    struct store_stmt *st;
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    int rc = run(s, Q_SEARCH_FTS_DELETE); /* the old entries, all at once */
    if (rc == MH_OK)
        rc = run(s, Q_SEARCH_DOC_DELETE);
    if (rc == MH_OK)
        rc = stmt_prepare(s, Q_SEARCH_PENDING_NEXT, &st);
    if (rc)
        return rc;
    while ((rc = STEP(st)) == MH_OK) {
        if (n == cap) {
            cap = cap ? 2 * cap : 256;
            ids = mh_realloc(ids, cap * sizeof(*ids));
        }
        ids[n++] = C_I64(st, 0);
    }
    DONE(st);
    rc = rc == STORE_DONE ? MH_OK : rc;
    /* docids one by one (each takes the first free one after its second) */
    for (size_t i = 0; rc == MH_OK && i < n; i++)
        rc = run1(s, Q_SEARCH_DOC_ADD, ids[i]); /* nothing when it is not published */
    free(ids);
    if (rc == MH_OK)
        rc = run(s, Q_SEARCH_FTS_ADD); /* the new entries, all at once */
    if (rc == MH_OK)
        rc = run(s, Q_SEARCH_PENDING_CLEAR);
    return rc;
}

static int pending(struct store *s, bool *any)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_SEARCH_PENDING_ANY, &st);
    if (rc)
        return rc;
    rc = STEP1(st);
    *any = rc == MH_OK && C_I64(st, 0) != 0;
    DONE(st);
    return rc;
}

int store_search_flush(struct store *s)
{
    bool any = false;
    int rc = pending(s, &any);
    return rc == MH_OK && any ? apply_pending(s) : rc;
}

/* Another program changed articles (its triggers noted it, it cannot index):
 * catch up before searching, in a transaction of our own. */
static int catch_up(struct store *s)
{
    bool any = false;
    int rc = pending(s, &any);
    if (rc || !any || s->tx_depth > 0)
        return rc;
    rc = store_begin(s);
    if (rc == MH_OK)
        rc = store_commit(s); /* which applies them */
    if (rc)
        log_error("search: cannot bring the index up to date: %s", store_errmsg(s));
    return MH_OK; /* search what there is: hits are checked against the articles */
}

/* ------------------------------------------------------------------ */
/* Suggestions and rebuilding                                           */

int store_search_suggest(struct store *s, struct arena *arena, struct str edition,
                         struct str prefix, int limit, struct store_search_hit **hits, size_t *n)
{
    *hits = NULL;
    *n = 0;
    if (limit < 1 || limit > 100 || edition.len == 0)
        return MH_INVAL;
    struct search_tokenizer *tok = search_tokenizer_new(SEARCH_CJK_BIGRAM);
    struct search_query q;
    int rc = search_query_parse(tok, arena, prefix, &q);
    struct expr e;
    if (rc == MH_OK)
        rc = expr_begin(&e, s, arena);
    if (rc || q.n_include == 0) {
        search_tokenizer_free(tok);
        return rc;
    }
    e.tok = tok;
    /* the words in order; the last one is a prefix unless it is CJK or short */
    buf_adds(&e.b, "title:(");
    bool any = false;
    for (size_t i = 0; i < q.n; i++) {
        const struct search_clause *c = &q.clauses[i];
        const struct search_alt *a = &c->alts[0];
        if (c->exclude || c->n != 1)
            continue;
        for (size_t k = 0; k < a->n && room(&e) > 0; k++) {
            struct str ph = a->phrases[k];
            bool last = i + 1 == q.n && k + 1 == a->n;
            bool latin = ph.len >= 3 && (unsigned char)ph.ptr[ph.len - 1] < 0x80 &&
                         prefix.len && prefix.ptr[prefix.len - 1] != ' ';
            if (any)
                buf_addc(&e.b, ' ');
            phrase(&e, NULL, ph, false, last && latin ? " *" : NULL);
            any = true;
        }
    }
    buf_addc(&e.b, ')');
    search_tokenizer_free(tok);
    if (!any)
        return MH_OK;
    filter(&e, arena, "ed", edition);
    struct str match;
    rc = buf_finish(&e.b, &match);
    struct store_stmt *st;
    if (rc == MH_OK)
        rc = stmt_prepare(s, Q_SEARCH_BY_DATE, &st);
    if (rc)
        return rc;
    bind_expr(s, st, match, 0, INT64_MAX);
    B_I64(st, 5, limit);
    B_I64(st, 6, 0);
    int64_t docids[100];
    size_t got = 0;
    while ((rc = STEP(st)) == MH_OK)
        docids[got++] = C_I64(st, 0);
    DONE(st);
    if (rc != STORE_DONE)
        return rc;
    *hits = arena_zalloc(arena, sizeof(**hits) * (got ? got : 1));
    rc = MH_OK;
    size_t k2 = 0;
    for (size_t i = 0; i < got && rc == MH_OK; i++) {
        rc = load_hit(s, arena, edition, (struct scored){0.0, docids[i]}, &(*hits)[k2]);
        if (rc == MH_OK)
            k2++;
        else if (rc == MH_NOTFOUND)
            rc = MH_OK;
    }
    *n = k2;
    return rc;
}

int store_search_reindex(struct store *s, int64_t *n)
{
    struct store_stmt *st;
    int rc = store_begin(s);
    if (rc)
        return rc;
    rc = run(s, Q_SEARCH_CLEAR_FTS);
    if (rc == MH_OK)
        rc = run(s, Q_SEARCH_CLEAR_DOC);
    if (rc == MH_OK)
        rc = run(s, Q_SEARCH_PENDING_CLEAR);
    if (rc == MH_OK)
        rc = run(s, Q_SEARCH_FILL_DOC);
    if (rc == MH_OK)
        rc = run(s, Q_SEARCH_FILL_FTS);
    if (rc == MH_OK)
        rc = run(s, Q_SEARCH_OPTIMIZE);
    if (rc == MH_OK)
        rc = stmt_prepare(s, Q_SEARCH_DOCS, &st);
    if (rc == MH_OK) {
        rc = STEP1(st);
        *n = rc == MH_OK ? C_I64(st, 0) : 0;
        DONE(st);
    }
    if (rc == MH_OK)
        rc = store_commit(s);
    else
        store_rollback(s);
    return rc;
}
