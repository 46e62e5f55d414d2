/* SPDX-License-Identifier: MIT */
/* cache_test.c - the page cache: hits, invalidation, eviction, single flight, encodings. */
#include "../check.h"

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "site/site.h"
#include "store/store.h"

static atomic_int renders;

static int render_text(void *ctx, struct arena *arena, struct site_page *out)
{
    const char *text = ctx;
    struct buf b;
    atomic_fetch_add(&renders, 1);
    buf_init(&b, arena, 1 << 20);
    for (int i = 0; i < 200; i++)
        buf_adds(&b, text);
    memset(out, 0, sizeof(*out));
    out->status = 200;
    out->content_type = "text/html; charset=utf-8";
    out->body = buf_str(&b);
    out->cache = SITE_CACHE_PAGE;
    return MH_OK;
}

static int render_slowly(void *ctx, struct arena *arena, struct site_page *out)
{
    struct timespec ts = {0, 100 * 1000 * 1000};
    nanosleep(&ts, NULL);
    return render_text(ctx, arena, out);
}

static int render_fails(void *ctx, struct arena *arena, struct site_page *out)
{
    (void)ctx, (void)arena, (void)out;
    atomic_fetch_add(&renders, 1);
    return MH_DB;
}

/* A page of edition "en" in channel 7 showing articles 1 and 2. */
static int render_scoped(void *ctx, struct arena *arena, struct site_page *out)
{
    static const int64_t shows[] = {1, 2};
    int rc = render_text("<p>scoped</p>", arena, out);
    out->scope = *(const enum site_scope *)ctx;
    out->edition = STR_LIT("en");
    out->channel_id = 7;
    out->shows = shows;
    out->n_shows = 2;
    return rc;
}

static bool stale_after(void *ctx, const struct site_page *pg)
{
    return site_page_stale(pg, ctx, NULL, 0);
}

/* Which change makes which page stale, and dropping exactly those. */
static void test_precise_invalidation(void **state)
{
    (void)state;
    struct site_page pg = {.scope = SITE_SCOPE_ARTICLE, .edition = STR_LIT("en"), .channel_id = 7};
    static const int64_t shows[] = {1, 2};
    pg.shows = shows, pg.n_shows = 2;
    struct store_change other_ed = {.kind = STORE_CHANGE_ARTICLE, .edition = STR_LIT("zh"),
                                    .article_id = 9, .channel_id = 7};
    struct store_change shown = {.kind = STORE_CHANGE_ARTICLE, .edition = STR_LIT("zh"),
                                 .article_id = 2, .channel_id = 70};
    struct store_change same_ch = {.kind = STORE_CHANGE_ARTICLE, .edition = STR_LIT("en"),
                                   .article_id = 9, .channel_id = 7};
    struct store_change other_ch = {.kind = STORE_CHANGE_ARTICLE, .edition = STR_LIT("en"),
                                    .article_id = 9, .channel_id = 8};
    struct store_change chrome_en = {.kind = STORE_CHANGE_CHROME, .edition = STR_LIT("en")};
    struct store_change chrome_zh = {.kind = STORE_CHANGE_CHROME, .edition = STR_LIT("zh")};
    struct store_change site = {.kind = STORE_CHANGE_SITE};
    assert_false(site_page_stale(&pg, &other_ed, NULL, 0));
    assert_true(site_page_stale(&pg, &shown, NULL, 0));
    assert_true(site_page_stale(&pg, &same_ch, NULL, 0));
    assert_false(site_page_stale(&pg, &other_ch, NULL, 0));
    assert_true(site_page_stale(&pg, &chrome_en, NULL, 0));
    assert_false(site_page_stale(&pg, &chrome_zh, NULL, 0));
    assert_true(site_page_stale(&pg, &site, NULL, 0));
    /* an article of another channel sharing a keyword: its related list may change */
    struct str held[] = {STR_LIT("Harbour Cranes")}, now[] = {STR_LIT("harbour cranes")},
               other[] = {STR_LIT("ferries")};
    pg.keywords = held;
    pg.n_keywords = 1;
    assert_true(site_page_stale(&pg, &other_ch, now, 1));
    assert_false(site_page_stale(&pg, &other_ch, other, 1));
    assert_false(site_page_stale(&pg, &other_ed, now, 1));
    pg.n_keywords = 0;
    pg.scope = SITE_SCOPE_EDITION; /* the front page lists every article of "en" */
    assert_true(site_page_stale(&pg, &other_ch, NULL, 0));
    assert_false(site_page_stale(&pg, &other_ed, NULL, 0));
    pg.scope = SITE_SCOPE_FIXED;
    assert_false(site_page_stale(&pg, &site, NULL, 0));
    pg.scope = SITE_SCOPE_ALL;
    assert_true(site_page_stale(&pg, &other_ed, NULL, 0));

    /* the cache drops what the change names and keeps the rest */
    struct page_cache *c = page_cache_new(1 << 20);
    struct page_entry *e;
    bool rendered;
    enum site_scope art = SITE_SCOPE_ARTICLE, fixed = SITE_SCOPE_FIXED;
    assert_int_equal(page_cache_get(c, STR_LIT("/a"), render_scoped, &art, &e, &rendered), MH_OK);
    page_entry_unref(e);
    assert_int_equal(page_cache_get(c, STR_LIT("/f"), render_scoped, &fixed, &e, &rendered), MH_OK);
    page_entry_unref(e);
    page_cache_invalidate_where(c, stale_after, &other_ch);
    assert_int_equal(page_cache_get(c, STR_LIT("/a"), render_scoped, &art, &e, &rendered), MH_OK);
    page_entry_unref(e);
    assert_false(rendered);
    page_cache_invalidate_where(c, stale_after, &same_ch);
    assert_int_equal(page_cache_get(c, STR_LIT("/a"), render_scoped, &art, &e, &rendered), MH_OK);
    page_entry_unref(e);
    assert_true(rendered);
    assert_int_equal(page_cache_get(c, STR_LIT("/f"), render_scoped, &fixed, &e, &rendered), MH_OK);
    page_entry_unref(e);
    assert_false(rendered);
    page_cache_free(c);
}

static void test_hit_invalidate_encodings(void **state)
{
    (void)state;
    struct page_cache *c = page_cache_new(1 << 20);
    struct page_entry *e, *f;
    atomic_store(&renders, 0);
    assert_int_equal(page_cache_get(c, STR_LIT("/a/"), render_text, "<p>front page</p>", &e, NULL),
                     MH_OK);
    assert_int_equal(page_cache_get(c, STR_LIT("/a/"), render_text, "<p>other</p>", &f, NULL), MH_OK);
    assert_ptr_equal(e, f); /* a hit: rendered once */
    assert_int_equal(atomic_load(&renders), 1);
    assert_true(e->gzip.len > 0 && e->gzip.len < e->page.body.len);
    assert_true(e->brotli.len > 0 && e->brotli.len < e->page.body.len);
    assert_true(e->etag.len == 34 && e->etag.ptr[0] == '"');
    page_entry_unref(f);
    page_cache_invalidate(c);
    assert_int_equal(page_cache_get(c, STR_LIT("/a/"), render_text, "<p>new</p>", &f, NULL), MH_OK);
    assert_int_equal(atomic_load(&renders), 2);
    assert_ptr_not_equal(e, f);
    assert_non_null(strstr(f->page.body.ptr, "new"));
    assert_non_null(strstr(e->page.body.ptr, "front page")); /* still readable: we hold it */
    page_entry_unref(e);
    page_entry_unref(f);
    /* errors are not kept */
    assert_int_equal(page_cache_get(c, STR_LIT("/b/"), render_fails, NULL, &e, NULL), MH_DB);
    assert_int_equal(page_cache_get(c, STR_LIT("/b/"), render_fails, NULL, &e, NULL), MH_DB);
    assert_int_equal(atomic_load(&renders), 4);
    page_cache_free(c);
}

static void test_eviction(void **state)
{
    (void)state;
    /* each page is ~3.4 KB with its encodings: room for a few */
    struct page_cache *c = page_cache_new(16 * 1024);
    struct page_entry *e;
    char key[32];
    atomic_store(&renders, 0);
    for (int i = 0; i < 50; i++) {
        snprintf(key, sizeof(key), "/p/%d", i);
        assert_int_equal(page_cache_get(c, str_c(key), render_text, "0123456789abcdef", &e, NULL),
                         MH_OK);
        page_entry_unref(e);
    }
    /* the newest is still there, the oldest is gone */
    assert_int_equal(page_cache_get(c, STR_LIT("/p/49"), render_text, "x", &e, NULL), MH_OK);
    page_entry_unref(e);
    assert_int_equal(atomic_load(&renders), 50);
    assert_int_equal(page_cache_get(c, STR_LIT("/p/0"), render_text, "x", &e, NULL), MH_OK);
    page_entry_unref(e);
    assert_int_equal(atomic_load(&renders), 51);
    page_cache_free(c);
}

struct asker {
    struct page_cache *c;
    struct page_entry *e;
    int rc;
};

static void *ask(void *arg)
{
    struct asker *a = arg;
    a->rc = page_cache_get(a->c, STR_LIT("/cold/"), render_slowly, "<p>cold</p>", &a->e, NULL);
    return NULL;
}

static void test_single_flight(void **state)
{
    (void)state;
    struct page_cache *c = page_cache_new(1 << 20);
    struct asker askers[6];
    pthread_t t[6];
    atomic_store(&renders, 0);
    for (int i = 0; i < 6; i++) {
        askers[i].c = c;
        pthread_create(&t[i], NULL, ask, &askers[i]);
    }
    for (int i = 0; i < 6; i++)
        pthread_join(t[i], NULL);
    assert_int_equal(atomic_load(&renders), 1); /* a cold page is rendered once */
    for (int i = 0; i < 6; i++) {
        assert_int_equal(askers[i].rc, MH_OK);
        assert_ptr_equal(askers[i].e, askers[0].e);
        page_entry_unref(askers[i].e);
    }
    page_cache_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hit_invalidate_encodings),
        cmocka_unit_test(test_eviction),
        cmocka_unit_test(test_precise_invalidation),
        cmocka_unit_test(test_single_flight),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
