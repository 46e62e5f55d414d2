/* SPDX-License-Identifier: MIT */
/*
 * fuzz_query.c - the reader's query language end to end: any bytes are
 * parsed (search_query_parse), searched for in both editions of a small real
 * site through store_search() and store_search_suggest(), and cut into a
 * snippet against themselves.  Whatever the bytes, the query is refused as
 * too long or runs: an FTS5 syntax error (MH_DB) or any other failure aborts.
 * The site is made once, in a temporary folder removed at exit.
 */
#include "core/compat.h"

#include <ftw.h>
#include <unistd.h>

#include "auth/auth.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "search/search.h"
#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct site *site;
static struct search_tokenizer *tok;
static char dir[256];

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

static void cleanup(void)
{
    search_tokenizer_free(tok);
    site_close(site);
    nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void setup(void)
{
    char err[1024];
    snprintf(dir, sizeof(dir), "/tmp/mh-fuzz-query-%ld", (long)getpid());
    if (auth_init() != MH_OK || site_init(dir, err, sizeof(err)) != MH_OK ||
        site_open(dir, false, &site, err, sizeof(err)) != MH_OK) {
        fprintf(stderr, "fuzz_query: %s\n", err);
        abort();
    }
    static struct str authors[] = {STR_LIT("LIN Qiao")};
    static const char *const titles[] = {"Solar farms near the grid", "Robots OR drones: NEAR",
                                         "人工智能与电池", "DeepSeek发布模型"};
    for (int i = 0; i < 8; i++) {
        struct article a = {0};
        a.edition = i % 4 >= 2 ? STR_LIT("zh") : STR_LIT("english");
        a.channel = STR_LIT("news");
        a.title = str_c(titles[i % 4]);
        a.authors = authors;
        a.n_authors = 1;
        a.body = STR_LIT("Some *body* text \"quoted\" title:body ^ * NEAR(a b) 电网.");
        a.status = ARTICLE_PUBLISHED;
        a.first_published_at = a.last_published_at = INT64_C(1772761190194) + i * 3600000;
        if (store_article_insert(site->store, &a) != MH_OK)
            abort();
    }
    tok = search_tokenizer_new(SEARCH_CJK_BIGRAM);
    atexit(cleanup);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena arena;
    struct search_query q;
    struct str input = str_make((const char *)data, size);
    if (site == NULL)
        setup();
    arena_init(&arena, 0);
    int rc = search_query_parse(tok, &arena, input, &q);
    if (rc == MH_TOOBIG && size > SEARCH_MAX_QUERY)
        goto out;
    if (rc != MH_OK)
        abort();
    static const char *const editions[] = {"english", "zh"};
    for (size_t e = 0; e < 2; e++) {
        struct store_search_params p = {.q = &q, .edition = str_c(editions[e]), .limit = 5};
        struct store_search_hit *hits;
        size_t n;
        int64_t total;
        p.by_date = size % 2;
        if (store_search(site->store, &arena, &p, &hits, &n, &total) != MH_OK ||
            (int64_t)n > total)
            abort();
        if (store_search_suggest(site->store, &arena, p.edition, q.text, 8, &hits, &n) != MH_OK)
            abort();
    }
    struct buf b;
    buf_init(&b, &arena, 1 << 20);
    search_snippet(tok, &q, q.text, 80, &b);
    struct str out;
    if (buf_finish(&b, &out) != MH_OK)
        abort();
out:
    arena_release(&arena);
    return 0;
}
