/* SPDX-License-Identifier: MIT */
/* publish_test.c - the publisher's small decisions: URL to file, which
 * edition a feed belongs to and whether an article edit shows in it, and
 * what the look and place hashes (an edit seen by other pages) cover, and a
 * record file name back to its URL.  The run itself
 * is tested end to end by tests/integration/publish.sh. */
#define _GNU_SOURCE /* publish.c needs syncfs */
#include "../check.h"

#include "../../src/publish/publish.c"

static void test_file_of(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a, 4096);
    CHECK_STR(file_of(&a, STR_LIT("/english/")), "english/index.html");
    CHECK_STR(file_of(&a, STR_LIT("/english/news/index_2.html")), "english/news/index_2.html");
    CHECK_STR(file_of(&a, STR_LIT("/robots.txt")), "robots.txt");
    arena_release(&a);
}

static void test_feeds(void **state)
{
    (void)state;
    CHECK_STR(edition_of(STR_LIT("english/rss.xml")), "english");
    CHECK_STR(edition_of(STR_LIT("english/news/atom.xml")), "english");
    CHECK_STR(edition_of(STR_LIT("english/2026-03/06/content_1.html")), "english");
    CHECK_STR(edition_of(STR_LIT("sitemaps/zh/2026-03.xml")), "zh");
    CHECK_STR(edition_of(STR_LIT("sitemaps/odd.xml")), "");
    CHECK_STR(edition_of(STR_LIT("sitemap.xml")), "");
    CHECK_STR(edition_of(STR_LIT("robots.txt")), "");
    CHECK_STR(edition_of(STR_LIT("static/site.css")), "static");
    struct page_edit e = {.edition = "english", .channel = "news", .month = "2026-03"};
    assert_true(feed_shows(&e, STR_LIT("/english/rss.xml")));
    assert_true(feed_shows(&e, STR_LIT("/english/news/atom.xml")));
    assert_true(feed_shows(&e, STR_LIT("/english/news-sitemap.xml")));
    assert_true(feed_shows(&e, STR_LIT("/sitemaps/english/2026-03.xml")));
    assert_true(feed_shows(&e, STR_LIT("/sitemaps/english/2026-03-2.xml")));
    assert_false(feed_shows(&e, STR_LIT("/sitemaps/english/2026-04.xml")));
    assert_false(feed_shows(&e, STR_LIT("/sitemaps/english/sections.xml")));
    e.placed = true; /* a new place changes the sections' newest dates */
    assert_true(feed_shows(&e, STR_LIT("/sitemaps/english/sections.xml")));
    assert_false(feed_shows(&e, STR_LIT("/english/policy/rss.xml")));
}

static void test_card_hashes(void **state)
{
    (void)state;
    struct str kw[] = {STR_LIT("ports")};
    struct article_image im = {.path = STR_LIT("media/ab/ab.png"), .width = 960, .height = 540};
    struct article art = {.id = 7, .edition = STR_LIT("english"), .channel = STR_LIT("news"),
                          .title = STR_LIT("Cranes"), .abstract = STR_LIT("Back at work."),
                          .body = STR_LIT("Body one."), .status = ARTICLE_PUBLISHED,
                          .first_published_at = 1780000000000, .keywords = kw, .n_keywords = 1,
                          .images = &im, .n_images = 1};
    unsigned char l0[PUBLISH_HASH_LEN], p0[PUBLISH_HASH_LEN], l[PUBLISH_HASH_LEN],
        p[PUBLISH_HASH_LEN];
    look_hash(NULL, &art, l0);
    place_hash(&art, p0);
    /* what only the article's own page shows: neither changes */
    art.body = STR_LIT("Body two, longer.");
    art.editor = STR_LIT("Desk");
    look_hash(NULL, &art, l);
    place_hash(&art, p);
    assert_memory_equal(l, l0, sizeof(l));
    assert_memory_equal(p, p0, sizeof(p));
    /* what lists show: the look, not the place */
    art.title = STR_LIT("Cranes again");
    look_hash(NULL, &art, l);
    place_hash(&art, p);
    assert_memory_not_equal(l, l0, sizeof(l));
    assert_memory_equal(p, p0, sizeof(p));
    art.title = STR_LIT("Cranes");
    im.width = 640;
    look_hash(NULL, &art, l);
    assert_memory_not_equal(l, l0, sizeof(l));
    im.width = 960;
    /* what lists and related lists rank by: the place, not the look */
    kw[0] = STR_LIT("harbours");
    look_hash(NULL, &art, l);
    place_hash(&art, p);
    assert_memory_equal(l, l0, sizeof(l));
    assert_memory_not_equal(p, p0, sizeof(p));
    kw[0] = STR_LIT("ports");
    art.status = ARTICLE_WITHDRAWN;
    place_hash(&art, p);
    assert_memory_not_equal(p, p0, sizeof(p));
    art.status = ARTICLE_PUBLISHED;
    art.channel = STR_LIT("policy");
    place_hash(&art, p);
    assert_memory_not_equal(p, p0, sizeof(p));
    art.channel = STR_LIT("news");
    art.first_published_at++;
    place_hash(&art, p);
    assert_memory_not_equal(p, p0, sizeof(p));
}

static void test_url_of(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a, 4096);
    CHECK_STR(url_of(&a, STR_LIT("index.html")), "/");
    CHECK_STR(url_of(&a, STR_LIT("english/index.html")), "/english/");
    CHECK_STR(url_of(&a, STR_LIT("english/news/index.html")), "/english/news/");
    CHECK_STR(url_of(&a, STR_LIT("english/news/index_2.html")), "/english/news/index_2.html");
    CHECK_STR(url_of(&a, STR_LIT("english/2026-03/06/content_1.html")),
              "/english/2026-03/06/content_1.html");
    CHECK_STR(url_of(&a, STR_LIT("sitemaps/english/2026-03.xml")),
              "/sitemaps/english/2026-03.xml");
    arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_file_of),
        cmocka_unit_test(test_feeds),
        cmocka_unit_test(test_card_hashes),
        cmocka_unit_test(test_url_of),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
