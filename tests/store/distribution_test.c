/* SPDX-License-Identifier: MIT */
/*
 * distribution_test.c - the push queue that triggers on article fill
 * (migrations/005_push.sql), through store_article_update as the newsroom
 * uses it, and the sitemap queries.
 */
#include "../check.h"

#include "auth/auth.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/store.h"

struct fixture {
    char *dir;
    struct site *site;
    struct arena arena;
};

static int setup(void **state)
{
    struct fixture *f = mh_calloc(1, sizeof(*f));
    char err[1024], path[4200];
    assert_int_equal(auth_init(), MH_OK);
    f->dir = check_tmpdir("distribution");
    snprintf(path, sizeof(path), "%s/site", f->dir);
    assert_int_equal(site_init(path, err, sizeof(err)), MH_OK);
    assert_int_equal(site_open(path, false, &f->site, err, sizeof(err)), MH_OK);
    arena_init(&f->arena, 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    site_close(f->site);
    arena_release(&f->arena);
    free(f->dir);
    free(f);
    return 0;
}

static struct article draft(int64_t id)
{
    struct article a = {0};
    a.id = id;
    a.edition = STR_LIT("zh");
    a.channel = STR_LIT("news");
    a.title = STR_LIT("草稿");
    a.body = STR_LIT("Text.");
    a.status = ARTICLE_DRAFT;
    a.created_at = a.updated_at = INT64_C(1772323200000);
    return a;
}

static void set_status(struct fixture *f, struct article *a, enum article_status st)
{
    a->status = st;
    a->updated_at += 1000;
    if (st == ARTICLE_PUBLISHED && a->first_published_at == 0)
        a->first_published_at = a->last_published_at = a->updated_at;
    assert_int_equal(store_article_update(f->site->store, a, STR_LIT("editor"), STR_NULL), MH_OK);
}

static size_t pending(struct fixture *f, int target, struct push_item **items)
{
    size_t n;
    assert_int_equal(store_push_pending(f->site->store, &f->arena, target, 100, items, &n), MH_OK);
    return n;
}

static void test_every_change_is_queued(void **state)
{
    struct fixture *f = *state;
    struct store *s = f->site->store;
    struct article a = draft(500);
    struct push_item *it;
    int64_t n;
    assert_int_equal(store_article_insert(s, &a), MH_OK);
    a.revision = 1;
    a.title = STR_LIT("改过的草稿");
    a.updated_at += 1000;
    assert_int_equal(store_article_update(s, &a, STR_LIT("x"), STR_NULL), MH_OK);
    assert_int_equal(store_push_count(s, &n), MH_OK);
    assert_int_equal(n, 0); /* drafts are nobody's business */

    set_status(f, &a, ARTICLE_PUBLISHED);
    a.title = STR_LIT("已发布");
    a.updated_at += 1000;
    assert_int_equal(store_article_update(s, &a, STR_LIT("x"), STR_NULL), MH_OK);
    set_status(f, &a, ARTICLE_WITHDRAWN);
    set_status(f, &a, ARTICLE_PUBLISHED);
    assert_int_equal(pending(f, STORE_PUSH_INDEXNOW, &it), 4);
    CHECK_STR(it[0].reason, "publish");
    CHECK_STR(it[1].reason, "update");
    CHECK_STR(it[2].reason, "withdraw");
    CHECK_STR(it[3].reason, "publish");
    CHECK_STR(it[0].edition, "zh");
    CHECK_STR(it[0].tz, "Asia/Shanghai");
    CHECK_STR(it[0].base_url, "http://127.0.0.1:8080");
    assert_int_equal(it[0].article_id, 500);
    assert_int_equal(it[2].published_at, a.first_published_at); /* the URL stays */

    /* a change rolled back queues nothing: the queue is in the same transaction */
    assert_int_equal(store_begin(s), MH_OK);
    set_status(f, &a, ARTICLE_WITHDRAWN);
    store_rollback(s);
    assert_int_equal(store_push_count(s, &n), MH_OK);
    assert_int_equal(n, 4);

    /* IndexNow takes two; Baidu still wants all four */
    int64_t ids[2] = {it[0].id, it[1].id};
    assert_int_equal(store_push_done(s, STORE_PUSH_INDEXNOW, ids, 2,
                                     STORE_PUSH_INDEXNOW | STORE_PUSH_BAIDU),
                     MH_OK);
    assert_int_equal(pending(f, STORE_PUSH_INDEXNOW, &it), 2);
    assert_int_equal(pending(f, STORE_PUSH_BAIDU, &it), 4);
    assert_int_equal(store_push_done(s, STORE_PUSH_BAIDU, ids, 2,
                                     STORE_PUSH_INDEXNOW | STORE_PUSH_BAIDU),
                     MH_OK);
    assert_int_equal(store_push_count(s, &n), MH_OK);
    assert_int_equal(n, 2);
    /* with only IndexNow on, a row IndexNow took is gone */
    assert_int_equal(pending(f, STORE_PUSH_INDEXNOW, &it), 2);
    ids[0] = it[0].id;
    ids[1] = it[1].id;
    assert_int_equal(store_push_done(s, STORE_PUSH_INDEXNOW, ids, 2, STORE_PUSH_INDEXNOW),
                     MH_OK);
    assert_int_equal(store_push_count(s, &n), MH_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_push_pending(s, &f->arena, STORE_PUSH_BAIDU, 0, &it, (size_t[]){0}),
                     MH_INVAL);
}

static void test_sitemap_queries(void **state)
{
    struct fixture *f = *state;
    struct store *s = f->site->store;
    struct sitemap_month *m;
    struct sitemap_url *u;
    size_t n;
    for (int i = 0; i < 5; i++) {
        struct article a = draft(600 + i);
        a.edition = STR_LIT("english");
        a.status = i == 4 ? ARTICLE_WITHDRAWN : ARTICLE_PUBLISHED;
        /* 2026-01-31, 2026-02-01 (two), 2026-02-02, and a withdrawn one */
        a.first_published_at = a.last_published_at =
            INT64_C(1769817600000) + (i == 0 ? 0 : i == 3 ? 2 : 1) * 86400000 + i;
        a.updated_at = a.first_published_at + 10 * i;
        assert_int_equal(store_article_insert(s, &a), MH_OK);
    }
    assert_int_equal(store_sitemap_months(s, &f->arena, &m, &n), MH_OK);
    /* the zh article of the other test is published (2026-03) */
    assert_true(n >= 2);
    CHECK_STR(m[0].edition, "english");
    assert_int_equal(m[0].year, 2026);
    assert_int_equal(m[0].month, 1);
    assert_int_equal(m[0].count, 1);
    assert_int_equal(m[1].month, 2);
    assert_int_equal(m[1].count, 3);
    assert_int_equal(m[1].lastmod, INT64_C(1769817600000) + 2 * 86400000 + 3 + 30);
    assert_int_equal(store_sitemap_urls(s, &f->arena, STR_LIT("english"),
                                        INT64_C(1769904000000), INT64_C(1772323200000), 1, 5,
                                        &u, &n),
                     MH_OK);
    assert_int_equal(n, 2); /* February from the second on */
    assert_int_equal(u[0].id, 602);
    assert_int_equal(u[1].id, 603);

    /* the day counts follow later writes (migrations/010_sitemap_days.sql):
     * the newest of February is withdrawn, one moves to January */
    const int64_t base = INT64_C(1769817600000);
    struct article a3, a1;
    assert_int_equal(store_article_get(s, &f->arena, 603, &a3), MH_OK);
    assert_int_equal(store_article_get(s, &f->arena, 601, &a1), MH_OK);
    a3.status = ARTICLE_WITHDRAWN;
    a3.updated_at = a3.first_published_at + 100;
    assert_int_equal(store_article_update(s, &a3, STR_LIT("editor"), STR_NULL), MH_OK);
    assert_int_equal(store_sitemap_months(s, &f->arena, &m, &n), MH_OK);
    assert_int_equal(m[1].count, 2);
    assert_int_equal(m[1].lastmod, base + 86400000 + 2 + 20); /* recounted: 602's */
    a1.first_published_at = a1.last_published_at = base + 5;
    assert_int_equal(store_article_update(s, &a1, STR_LIT("editor"), STR_NULL), MH_OK);
    assert_int_equal(store_article_get(s, &f->arena, 601, &a1), MH_OK); /* stamped now */
    assert_int_equal(store_sitemap_months(s, &f->arena, &m, &n), MH_OK);
    assert_int_equal(m[0].month, 1);
    assert_int_equal(m[0].count, 2);
    assert_int_equal(m[0].lastmod, a1.updated_at);
    assert_int_equal(m[1].month, 2);
    assert_int_equal(m[1].count, 1);
    assert_int_equal(m[1].lastmod, base + 86400000 + 2 + 20);
    a3.status = ARTICLE_PUBLISHED; /* back */
    assert_int_equal(store_article_update(s, &a3, STR_LIT("editor"), STR_NULL), MH_OK);
    assert_int_equal(store_article_get(s, &f->arena, 603, &a3), MH_OK);
    assert_int_equal(store_sitemap_months(s, &f->arena, &m, &n), MH_OK);
    assert_int_equal(m[1].count, 2);
    assert_int_equal(m[1].lastmod, a3.updated_at);
}

/* masthead.conf [feeds] and [push]: defaults, values, and clear refusals. */
static void test_conf(void **state)
{
    (void)state;
    struct site_conf c;
    char err[256];
    assert_int_equal(site_conf_parse(STR_LIT(""), &c, err, sizeof(err)), MH_OK);
    assert_false(c.push_indexnow || c.push_baidu || c.feed_full_text);
    assert_int_equal(c.push_batch, 10000);
    assert_string_equal(c.indexnow_endpoint, "https://api.indexnow.org/indexnow");
    assert_int_equal(site_conf_parse(STR_LIT("[feeds]\nfull_text = on\n[push]\nindexnow = on\n"
                                             "indexnow_key = abcd-1234-EFGH\nbatch = 25\n"
                                             "baidu_endpoint = http://127.0.0.1:9/urls\n"),
                                     &c, err, sizeof(err)),
                     MH_OK);
    assert_true(c.feed_full_text && c.push_indexnow && !c.push_baidu);
    assert_string_equal(c.indexnow_key, "abcd-1234-EFGH");
    assert_int_equal(c.push_batch, 25);
    static const char *const bad[][2] = {
        {"[push]\nindexnow = on\n", "needs an indexnow_key"},
        {"[push]\nbaidu = on\n", "needs a baidu_token"},
        {"[push]\nindexnow_key = short\n", "8 to 128"},
        {"[push]\nindexnow_key = has/slash/../x\n", "letters, digits"},
        {"[push]\nbatch = 10001\n", "from 1 to 10000"},
        {"[push]\nindexnow_endpoint = file:///etc/passwd\n", "http:// or https://"},
        {"[push]\nbaidu = maybe\n", "on or off"},
        {"[push]\nretry_min_ms = 5000\nretry_max_ms = 10\n", "below retry_min_ms"},
        {"[push]\ncolour = blue\n", "unknown key"},
    };
    for (size_t i = 0; i < MH_ARRAY_LEN(bad); i++) {
        err[0] = '\0';
        assert_int_not_equal(site_conf_parse(str_c(bad[i][0]), &c, err, sizeof(err)), MH_OK);
        if (strstr(err, bad[i][1]) == NULL) {
            fprintf(stderr, "'%s': got '%s', want '%s'\n", bad[i][0], err, bad[i][1]);
            fail();
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_change_is_queued),
        cmocka_unit_test(test_sitemap_queries),
        cmocka_unit_test(test_conf),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
