/* SPDX-License-Identifier: MIT */
/*
 * search_test.c - the search index through store_search() on a real SQLite
 * file: it follows publish, edit and withdrawal in the same transaction,
 * finds only published articles, applies every filter, pages, sorts by
 * date, survives every FTS5 operator typed as text, and rebuilds.
 */
#include "../check.h"

#include <sqlite3.h>

#include "auth/auth.h"
#include "core/arena.h"
#include "core/err.h"
#include "search/search.h"
#include "store/store.h"

#define DAY INT64_C(86400000)
#define T0 INT64_C(1780000000000) /* 2026-05-28 */

struct fixture {
    char *dir;
    struct site *site;
    struct arena arena;
    struct search_tokenizer *tok;
};

static int setup(void **state)
{
    struct fixture *f = mh_calloc(1, sizeof(*f));
    char err[1024], path[4200];
    assert_int_equal(auth_init(), MH_OK);
    f->dir = check_tmpdir("search");
    snprintf(path, sizeof(path), "%s/site", f->dir);
    assert_int_equal(site_init(path, err, sizeof(err)), MH_OK);
    if (site_open(path, false, &f->site, err, sizeof(err)) != MH_OK) {
        fprintf(stderr, "%s\n", err);
        fail();
    }
    arena_init(&f->arena, 0);
    f->tok = search_tokenizer_new(SEARCH_CJK_BIGRAM);
    setenv("MH_NOW_MS", "1780000000000", 1);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    site_close(f->site);
    arena_release(&f->arena);
    search_tokenizer_free(f->tok);
    free(f->dir);
    free(f);
    return 0;
}

static struct str authors_a[] = {STR_LIT("Jane Doe")};
static struct str authors_b[] = {STR_LIT("LI Wen"), STR_LIT("Jane Doe")};
static struct str keywords_a[] = {STR_LIT("energy storage")};

/* Insert an article of EDITION/CHANNEL with TITLE and BODY, published DAYS_AGO
 * days before T0 (or with STATUS); returns its id. */
static int64_t add(struct fixture *f, const char *edition, const char *channel, const char *title,
                   const char *body, int days_ago, enum article_status status)
{
    struct article a = {0};
    a.edition = str_c(edition);
    a.channel = str_c(channel);
    a.title = str_c(title);
    a.body = str_c(body);
    a.status = status;
    a.created_at = a.updated_at = T0 - days_ago * DAY - 1000;
    if (status == ARTICLE_PUBLISHED || status == ARTICLE_WITHDRAWN)
        a.first_published_at = a.last_published_at = T0 - days_ago * DAY;
    if (status == ARTICLE_SCHEDULED)
        a.scheduled_at = T0 + DAY;
    a.revision = 1;
    assert_int_equal(store_article_insert(f->site->store, &a), MH_OK);
    return a.id;
}

struct result {
    size_t n;
    int64_t total;
    int64_t ids[100];
};

static int search(struct fixture *f, struct store_search_params *p, const char *q,
                  struct result *r)
{
    struct search_query sq;
    struct store_search_hit *hits;
    memset(r, 0, sizeof(*r));
    assert_int_equal(search_query_parse(f->tok, &f->arena, str_c(q), &sq), MH_OK);
    p->q = &sq;
    if (p->edition.len == 0)
        p->edition = STR_LIT("english");
    if (p->limit == 0)
        p->limit = 20;
    int rc = store_search(f->site->store, &f->arena, p, &hits, &r->n, &r->total);
    for (size_t i = 0; i < r->n && i < 100; i++)
        r->ids[i] = hits[i].id;
    return rc;
}

/* Search Q with no filters: the ids found, in order. */
static struct result find(struct fixture *f, const char *q)
{
    struct store_search_params p = {0};
    struct result r;
    assert_int_equal(search(f, &p, q, &r), MH_OK);
    return r;
}

static bool has(const struct result *r, int64_t id)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->ids[i] == id)
            return true;
    return false;
}

static void on_problem(void *ctx, const char *what)
{
    (void)ctx;
    fprintf(stderr, "check: %s\n", what);
}

static void test_follows_the_article(void **state)
{
    struct fixture *f = *state;
    struct store *s = f->site->store;
    int64_t pub = add(f, "english", "news", "Sodium batteries pass a winter test",
                      "Cells kept their charge at minus thirty degrees.", 1, ARTICLE_PUBLISHED);
    int64_t draft = add(f, "english", "news", "Sodium batteries draft", "Not yet.", 1,
                        ARTICLE_DRAFT);
    int64_t sched = add(f, "english", "news", "Sodium batteries scheduled", "Soon.", 1,
                        ARTICLE_SCHEDULED);
    int64_t gone = add(f, "english", "news", "Sodium batteries withdrawn", "Wrong.", 1,
                       ARTICLE_WITHDRAWN);
    struct result r = find(f, "sodium");
    assert_int_equal(r.n, 1);
    assert_true(r.ids[0] == pub);
    assert_int_equal(r.total, 1);
    (void)draft, (void)sched, (void)gone;

    /* stemming both ways: "battery" finds "batteries", "charged" finds "charge" */
    assert_int_equal(find(f, "battery").n, 1);
    assert_int_equal(find(f, "charged").n, 1);
    assert_int_equal(find(f, "SODIUM Battery").n, 1);

    /* an edit changes the index in the same transaction */
    struct article a;
    assert_int_equal(store_article_get(s, &f->arena, pub, &a), MH_OK);
    a.title = STR_LIT("Lithium cells pass a winter test");
    assert_int_equal(store_article_update(s, &a, STR_LIT("ed"), STR_LIT("")), MH_OK);
    assert_int_equal(find(f, "sodium").n, 0);
    assert_int_equal(find(f, "lithium").n, 1);

    /* withdrawal removes it; republishing brings it back */
    a.status = ARTICLE_WITHDRAWN;
    assert_int_equal(store_article_update(s, &a, STR_LIT("ed"), STR_LIT("")), MH_OK);
    assert_int_equal(find(f, "lithium").n, 0);
    a.status = ARTICLE_PUBLISHED;
    assert_int_equal(store_article_update(s, &a, STR_LIT("ed"), STR_LIT("")), MH_OK);
    assert_int_equal(find(f, "lithium").n, 1);

    /* a rolled-back edit leaves the index as it was */
    assert_int_equal(store_begin(s), MH_OK);
    a.title = STR_LIT("Potassium cells");
    assert_int_equal(store_article_update(s, &a, STR_LIT("ed"), STR_LIT("")), MH_OK);
    store_rollback(s);
    assert_int_equal(find(f, "potassium").n, 0);
    assert_int_equal(find(f, "lithium").n, 1);

    /* a draft that becomes published is found */
    struct article d;
    assert_int_equal(store_article_get(s, &f->arena, draft, &d), MH_OK);
    d.status = ARTICLE_PUBLISHED;
    d.first_published_at = d.last_published_at = T0;
    assert_int_equal(store_article_update(s, &d, STR_LIT("ed"), STR_LIT("")), MH_OK);
    r = find(f, "sodium");
    assert_int_equal(r.n, 1);
    assert_true(r.ids[0] == draft);

    /* rebuilding finds the same */
    int64_t n = 0;
    assert_int_equal(store_search_reindex(s, &n), MH_OK);
    assert_int_equal(n, 2);
    assert_int_equal(find(f, "lithium").n, 1);
    assert_int_equal(find(f, "sodium").n, 1);
    int problems = 0;
    assert_int_equal(store_check(s, on_problem, NULL, &problems), MH_OK);
    assert_int_equal(problems, 0);
}

/* Another program (here SQLite's own API, without Masthead's tokenizer) may
 * change articles: its change is noted, and the next search catches up. */
static void test_other_writers(void **state)
{
    struct fixture *f = *state;
    int64_t a = add(f, "english", "news", "Tidal turbines", "Power from the sea.", 1,
                    ARTICLE_PUBLISHED);
    int64_t b = add(f, "english", "news", "Tidal lagoons", "A wall in the sea.", 2,
                    ARTICLE_PUBLISHED);
    add(f, "english", "news", "Tidal draft", "Not yet.", 2, ARTICLE_DRAFT);
    char path[4200], sql[512];
    sqlite3 *db;
    snprintf(path, sizeof(path), "%s/site/masthead.db", f->dir);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    snprintf(sql, sizeof(sql),
             "UPDATE article SET status = 'withdrawn' WHERE id = %lld;"
             "UPDATE article SET title = 'Wave lagoons' WHERE id = %lld;"
             "UPDATE article SET status = 'published', first_published_at = %lld, "
             "last_published_at = %lld WHERE title = 'Tidal draft'",
             (long long)a, (long long)b, (long long)T0, (long long)T0);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    struct result r = find(f, "tidal");
    assert_int_equal(r.n, 1); /* only the draft that was published */
    assert_false(has(&r, a) || has(&r, b));
    assert_int_equal(find(f, "wave lagoon").n, 1);
    assert_int_equal(find(f, "turbines").n, 0);
}

static void test_query_language(void **state)
{
    struct fixture *f = *state;
    int64_t a = add(f, "english", "news", "Solar farms and wind parks",
                    "A grid that stores solar power at night.", 1, ARTICLE_PUBLISHED);
    int64_t b = add(f, "english", "news", "Wind turbines in winter", "Ice on the blades.", 2,
                    ARTICLE_PUBLISHED);
    int64_t c = add(f, "english", "news", "Power grids under stress",
                    "Solar panels and the night grid.", 3, ARTICLE_PUBLISHED);
    struct result r = find(f, "solar grid");
    assert_int_equal(r.n, 2);
    assert_true(has(&r, a) && has(&r, c));
    r = find(f, "\"solar power\"");
    assert_int_equal(r.n, 1);
    assert_true(r.ids[0] == a);
    r = find(f, "solar -wind");
    assert_int_equal(r.n, 1);
    assert_true(r.ids[0] == c);
    r = find(f, "turbines OR panels");
    assert_int_equal(r.n, 2);
    assert_true(has(&r, b) && has(&r, c));
    assert_int_equal(find(f, "-solar").n, 0); /* only exclusions: nothing */

    /* title weighs most: both mention wind, the one titled "Wind turbines" and
     * the one titled "...wind parks" come before any body mention */
    r = find(f, "winter");
    assert_true(r.ids[0] == b);

    /* every FTS5 operator typed by a reader is text, never an error */
    static const char *const hostile[] = {
        "NEAR(solar grid, 2)", "solar*", "^solar", "title:solar", "{title body}: solar",
        "solar AND", "AND", "OR", "NOT", "solar NOT", "\"", "\"\"\"", "(solar", "solar)",
        "-", "--solar", "+solar", "solar + grid", "*", ":", "'", "\\", "\x01solar",
        "solar\xff\xfe", "rank:1", "rowid", "meta:x", "\xee\x80\x80" "ed" "\xee\x80\x80" "zh",
        "solar OR OR wind", "OR OR", "\"solar OR wind\"", "solar -\"\"", "NEAR", "a:b:c",
    };
    for (size_t i = 0; i < MH_ARRAY_LEN(hostile); i++) {
        struct store_search_params p = {0};
        if (search(f, &p, hostile[i], &r) != MH_OK) {
            fprintf(stderr, "query '%s' failed\n", hostile[i]);
            fail();
        }
    }
    /* "title:solar" is the words "title" and "solar", not a column filter */
    assert_int_equal(find(f, "title:solar").n, 0);
    assert_int_equal(find(f, "solar:power").n, 1); /* one word of two terms: a phrase */
    /* the private filter vocabulary cannot be reached from a query */
    assert_int_equal(find(f, "\xee\x80\x80" "ed" "\xee\x80\x80" "english").n, 0);
}

static void test_filters(void **state)
{
    struct fixture *f = *state;
    struct store *s = f->site->store;
    /* a sub-channel of news */
    struct channel sub = {0};
    sub.edition = STR_LIT("english");
    sub.parent_id = 1;
    sub.slug = STR_LIT("energy");
    sub.name = sub.search_name = STR_LIT("Energy");
    assert_int_equal(store_channel_put(s, &sub), MH_OK);

    int64_t a = add(f, "english", "news", "Battery plant opens", "Cells.", 1, ARTICLE_PUBLISHED);
    int64_t b = add(f, "english", "energy", "Battery recycling", "Cells.", 10,
                    ARTICLE_PUBLISHED);
    int64_t c = add(f, "english", "policy", "Battery rules", "Cells.", 40, ARTICLE_PUBLISHED);
    int64_t z = add(f, "zh", "news", "电池 Battery 工厂", "电池。", 1, ARTICLE_PUBLISHED);
    struct article art;
    assert_int_equal(store_article_get(s, &f->arena, b, &art), MH_OK);
    art.authors = authors_b;
    art.n_authors = 2;
    art.keywords = keywords_a;
    art.n_keywords = 1;
    assert_int_equal(store_article_update(s, &art, STR_LIT("ed"), STR_LIT("")), MH_OK);
    assert_int_equal(store_article_get(s, &f->arena, c, &art), MH_OK);
    art.authors = authors_a;
    art.n_authors = 1;
    assert_int_equal(store_article_update(s, &art, STR_LIT("ed"), STR_LIT("")), MH_OK);

    struct store_search_params p = {0};
    struct result r;
    /* edition */
    assert_int_equal(search(f, &p, "battery", &r), MH_OK);
    assert_int_equal(r.n, 3);
    assert_false(has(&r, z));
    p = (struct store_search_params){.edition = STR_LIT("zh")};
    assert_int_equal(search(f, &p, "battery", &r), MH_OK);
    assert_int_equal(r.n, 1);
    assert_true(r.ids[0] == z);
    /* channel, with its sub-channels */
    p = (struct store_search_params){.channel = STR_LIT("news")};
    assert_int_equal(search(f, &p, "battery", &r), MH_OK);
    assert_int_equal(r.n, 2);
    assert_true(has(&r, a) && has(&r, b));
    p = (struct store_search_params){.channel = STR_LIT("energy")};
    assert_int_equal(search(f, &p, "battery", &r), MH_OK);
    assert_int_equal(r.n, 1);
    assert_true(r.ids[0] == b);
    p = (struct store_search_params){.channel = STR_LIT("no-such-channel")};
    assert_int_equal(search(f, &p, "battery", &r), MH_OK);
    assert_int_equal(r.n, 0);
    /* dates: [from, to] */
    p = (struct store_search_params){.from_ms = T0 - 15 * DAY, .to_ms = T0 - 5 * DAY};
    assert_int_equal(search(f, &p, "battery", &r), MH_OK);
    assert_int_equal(r.n, 1);
    assert_true(r.ids[0] == b);
    p = (struct store_search_params){.from_ms = T0 - 15 * DAY};
    assert_int_equal(search(f, &p, "battery", &r), MH_OK);
    assert_int_equal(r.n, 2);
    /* author: a whole name, any case; not a part of one */
    p = (struct store_search_params){.author = STR_LIT("jane doe")};
    assert_int_equal(search(f, &p, "battery", &r), MH_OK);
    assert_int_equal(r.n, 2);
    assert_true(has(&r, b) && has(&r, c));
    p = (struct store_search_params){.author = STR_LIT("LI Wen")};
    assert_int_equal(search(f, &p, "battery", &r), MH_OK);
    assert_int_equal(r.n, 1);
    p = (struct store_search_params){.author = STR_LIT("Jane")};
    assert_int_equal(search(f, &p, "battery", &r), MH_OK);
    assert_int_equal(r.n, 0);
    /* keyword */
    p = (struct store_search_params){.keyword = STR_LIT("Energy Storage")};
    assert_int_equal(search(f, &p, "battery", &r), MH_OK);
    assert_int_equal(r.n, 1);
    assert_true(r.ids[0] == b);
    /* by date: newest first */
    p = (struct store_search_params){.by_date = true};
    assert_int_equal(search(f, &p, "battery", &r), MH_OK);
    assert_int_equal(r.n, 3);
    assert_true(r.ids[0] == a && r.ids[1] == b && r.ids[2] == c);
    /* bad parameters */
    p = (struct store_search_params){.limit = 20, .offset = STORE_SEARCH_MAX_RESULTS};
    assert_int_equal(search(f, &p, "battery", &r), MH_INVAL);
}

static void test_paging_and_freshness(void **state)
{
    struct fixture *f = *state;
    struct store *s = f->site->store;
    int64_t ids[45];
    assert_int_equal(store_begin(s), MH_OK);
    for (int i = 0; i < 45; i++)
        ids[i] = add(f, "english", "news", "Harbour cranes", "The same text for each.", i,
                     ARTICLE_PUBLISHED);
    assert_int_equal(store_commit(s), MH_OK);
    struct store_search_params p = {.limit = 20};
    struct result r;
    assert_int_equal(search(f, &p, "crane", &r), MH_OK);
    assert_int_equal(r.total, 45);
    assert_int_equal(r.n, 20);
    /* equal text: the freshest first */
    for (int i = 0; i < 20; i++)
        assert_true(r.ids[i] == ids[i]);
    p = (struct store_search_params){.limit = 20, .offset = 40};
    assert_int_equal(search(f, &p, "crane", &r), MH_OK);
    assert_int_equal(r.n, 5);
    assert_true(r.ids[4] == ids[44]);
    assert_int_equal(r.total, 45);
}

/* Past the scoring ceiling (1,000 matches walked), the count goes on from
 * where the walk stopped: still exact below 2,000 matches, by relevance,
 * by date, in a date range, with an exclusion; beyond, an estimate. */
static void test_counting(void **state)
{
    struct fixture *f = *state;
    struct store *s = f->site->store;
    char body[64];
    assert_int_equal(store_begin(s), MH_OK);
    for (int i = 0; i < 2600; i++) { /* one a minute: freshness cannot close the walk */
        struct article a = {0};
        snprintf(body, sizeof(body), "Crane number %d %s.", i, i < 1500 ? "lifts" : "rests");
        a.edition = STR_LIT("english");
        a.channel = STR_LIT("news");
        a.title = STR_LIT("Harbour cranes");
        a.body = str_c(body);
        a.status = ARTICLE_PUBLISHED;
        a.first_published_at = a.last_published_at = T0 - DAY - i * INT64_C(60000);
        a.created_at = a.updated_at = a.first_published_at - 1000;
        a.revision = 1;
        assert_int_equal(store_article_insert(s, &a), MH_OK);
    }
    assert_int_equal(store_commit(s), MH_OK);
    struct store_search_params p = {0};
    struct result r;
    assert_int_equal(search(f, &p, "crane lifts", &r), MH_OK);
    assert_int_equal(r.total, 1500);
    assert_int_equal(r.n, 20);
    p = (struct store_search_params){.by_date = true};
    assert_int_equal(search(f, &p, "crane lifts", &r), MH_OK);
    assert_int_equal(r.total, 1500);
    p = (struct store_search_params){0};
    assert_int_equal(search(f, &p, "crane -lifts", &r), MH_OK);
    assert_int_equal(r.total, 1100);
    /* the 1,200 newest minutes, 1,000 of them walked and scored */
    p = (struct store_search_params){.from_ms = T0 - DAY - 1199 * INT64_C(60000), .to_ms = T0};
    assert_int_equal(search(f, &p, "harbour", &r), MH_OK);
    assert_int_equal(r.total, 1200);
    p = (struct store_search_params){.offset = 980, .limit = 20};
    assert_int_equal(search(f, &p, "crane lifts", &r), MH_OK);
    assert_int_equal(r.total, 1500);
    assert_int_equal(r.n, 20);
    /* 2,600 matches: about as many (the newest 2,000 span 2,000 of 2,600 articles) */
    p = (struct store_search_params){0};
    assert_int_equal(search(f, &p, "harbour", &r), MH_OK);
    assert_true(r.total >= 2000 && r.total <= 2600);
}

/* An edition that holds most of the index is filtered as "no other
 * edition" (sparser lists): with three editions, each still finds only its
 * own articles, majority or not, with a channel filter and an exclusion. */
static void test_editions(void **state)
{
    struct fixture *f = *state;
    struct store *s = f->site->store;
    struct edition ny = {STR_LIT("ny"), STR_LIT("New York"), STR_LIT("en-US"),
                         STR_LIT("America/New_York"), STR_LIT("https://ny.example.org"), 5, false};
    struct channel ch = {0};
    assert_int_equal(store_edition_put(s, &ny), MH_OK);
    ch.edition = ny.slug;
    ch.slug = STR_LIT("news");
    ch.name = ch.search_name = STR_LIT("News");
    assert_int_equal(store_channel_put(s, &ch), MH_OK);
    int64_t en[6];
    assert_int_equal(store_begin(s), MH_OK);
    for (int i = 0; i < 6; i++)
        en[i] = add(f, "english", "news", i % 2 ? "Ferry timetable" : "Ferry strike", "Boats.", i,
                    ARTICLE_PUBLISHED);
    int64_t z = add(f, "zh", "news", "Ferry 渡轮", "渡轮停运。", 1, ARTICLE_PUBLISHED);
    int64_t y = add(f, "ny", "news", "Ferry strike", "Boats.", 1, ARTICLE_PUBLISHED);
    assert_int_equal(store_commit(s), MH_OK);
    struct store_search_params p = {0};
    struct result r;
    assert_int_equal(search(f, &p, "ferry", &r), MH_OK);
    assert_int_equal(r.total, 6);
    assert_int_equal(r.n, 6);
    assert_false(has(&r, z) || has(&r, y));
    assert_int_equal(search(f, &p, "ferry -timetable", &r), MH_OK);
    assert_int_equal(r.n, 3);
    assert_true(has(&r, en[0]) && has(&r, en[2]) && has(&r, en[4]));
    p = (struct store_search_params){.channel = STR_LIT("news"), .by_date = true};
    assert_int_equal(search(f, &p, "ferry strike", &r), MH_OK);
    assert_int_equal(r.n, 3);
    assert_true(r.ids[0] == en[0]);
    p = (struct store_search_params){.edition = STR_LIT("ny")};
    assert_int_equal(search(f, &p, "ferry", &r), MH_OK);
    assert_int_equal(r.n, 1);
    assert_true(r.ids[0] == y);
    p = (struct store_search_params){.edition = STR_LIT("zh")};
    assert_int_equal(search(f, &p, "ferry", &r), MH_OK);
    assert_int_equal(r.n, 1);
    assert_true(r.ids[0] == z);
}

static void test_chinese(void **state)
{
    struct fixture *f = *state;
    int64_t a = add(f, "zh", "news", "人工智能助力电池研发", "科研团队用人工智能筛选电解液材料。", 1,
                    ARTICLE_PUBLISHED);
    int64_t b = add(f, "zh", "news", "DeepSeek发布新模型", "这家公司的人工智能模型再次更新。", 2,
                    ARTICLE_PUBLISHED);
    int64_t c = add(f, "zh", "news", "智能电网建设提速", "电网公司加快建设。", 3,
                    ARTICLE_PUBLISHED);
    struct store_search_params p = {.edition = STR_LIT("zh")};
    struct result r;
    assert_int_equal(search(f, &p, "人工智能", &r), MH_OK);
    assert_int_equal(r.n, 2);
    assert_true(has(&r, a) && has(&r, b));
    assert_int_equal(search(f, &p, "电", &r), MH_OK); /* one character */
    assert_int_equal(r.n, 2);
    assert_true(has(&r, a) && has(&r, c));
    assert_int_equal(search(f, &p, "智能", &r), MH_OK); /* two */
    assert_int_equal(r.n, 3);
    assert_int_equal(search(f, &p, "能电", &r), MH_OK); /* across words: still text */
    assert_int_equal(r.n, 1);
    assert_true(r.ids[0] == c);
    assert_int_equal(search(f, &p, "DeepSeek 人工智能", &r), MH_OK); /* mixed */
    assert_int_equal(r.n, 1);
    assert_true(r.ids[0] == b);
    assert_int_equal(search(f, &p, "deepseek人工智能", &r), MH_OK);
    assert_int_equal(r.n, 1);
    assert_int_equal(search(f, &p, "人工智能 -电池", &r), MH_OK);
    assert_int_equal(r.n, 1);
    assert_true(r.ids[0] == b);
}

static void test_suggest(void **state)
{
    struct fixture *f = *state;
    add(f, "english", "news", "Robotics lab opens in Hefei", "Text.", 2, ARTICLE_PUBLISHED);
    add(f, "english", "news", "Robot dogs on patrol", "Text.", 1, ARTICLE_PUBLISHED);
    add(f, "english", "news", "Rainfall records", "Text.", 1, ARTICLE_PUBLISHED);
    add(f, "zh", "news", "机器人走进工厂", "文字。", 1, ARTICLE_PUBLISHED);
    struct store_search_hit *h;
    size_t n;
    assert_int_equal(store_search_suggest(f->site->store, &f->arena, STR_LIT("english"),
                                          STR_LIT("robo"), 8, &h, &n), MH_OK);
    assert_int_equal(n, 2);
    CHECK_STR(h[0].title, "Robot dogs on patrol"); /* newest first */
    assert_int_equal(store_search_suggest(f->site->store, &f->arena, STR_LIT("english"),
                                          STR_LIT("robot dog"), 8, &h, &n), MH_OK);
    assert_int_equal(n, 1);
    assert_int_equal(store_search_suggest(f->site->store, &f->arena, STR_LIT("zh"),
                                          STR_LIT("机器"), 8, &h, &n), MH_OK);
    assert_int_equal(n, 1);
    assert_int_equal(store_search_suggest(f->site->store, &f->arena, STR_LIT("english"),
                                          STR_LIT("\"*"), 8, &h, &n), MH_OK);
    assert_int_equal(n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_follows_the_article, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_writers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_query_language, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paging_and_freshness, setup, teardown),
        cmocka_unit_test_setup_teardown(test_counting, setup, teardown),
        cmocka_unit_test_setup_teardown(test_editions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chinese, setup, teardown),
        cmocka_unit_test_setup_teardown(test_suggest, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
