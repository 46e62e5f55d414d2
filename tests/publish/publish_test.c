/* SPDX-License-Identifier: MIT */
/* publish_test.c - the publisher's small decisions: URL to file, which
 * edition a feed belongs to and whether an article edit shows in it, and
 * what the card hash (an edit seen by other pages) covers.  The run itself
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
    CHECK_STR(feed_edition(STR_LIT("/english/rss.xml")), "english");
    CHECK_STR(feed_edition(STR_LIT("/english/news/atom.xml")), "english");
    CHECK_STR(feed_edition(STR_LIT("/sitemaps/zh/2026-03.xml")), "zh");
    CHECK_STR(feed_edition(STR_LIT("/sitemap.xml")), "");
    CHECK_STR(feed_edition(STR_LIT("/robots.txt")), "");
    struct page_edit e = {.edition = "english", .channel = "news", .month = "2026-03"};
    assert_true(feed_shows(&e, STR_LIT("/english/rss.xml")));
    assert_true(feed_shows(&e, STR_LIT("/english/news/atom.xml")));
    assert_true(feed_shows(&e, STR_LIT("/english/news-sitemap.xml")));
    assert_true(feed_shows(&e, STR_LIT("/sitemaps/english/2026-03.xml")));
    assert_true(feed_shows(&e, STR_LIT("/sitemaps/english/2026-03-2.xml")));
    assert_false(feed_shows(&e, STR_LIT("/sitemaps/english/2026-04.xml")));
    assert_false(feed_shows(&e, STR_LIT("/sitemaps/english/sections.xml")));
    assert_false(feed_shows(&e, STR_LIT("/english/policy/rss.xml")));
}

static void test_card_hash(void **state)
{
    (void)state;
    struct str kw[] = {STR_LIT("ports")};
    struct article_image im = {.path = STR_LIT("media/ab/ab.png"), .width = 960, .height = 540};
    struct article art = {.id = 7, .edition = STR_LIT("english"), .channel = STR_LIT("news"),
                          .title = STR_LIT("Cranes"), .abstract = STR_LIT("Back at work."),
                          .body = STR_LIT("Body one."), .status = ARTICLE_PUBLISHED,
                          .first_published_at = 1780000000000, .keywords = kw, .n_keywords = 1,
                          .images = &im, .n_images = 1};
    unsigned char h0[PUBLISH_HASH_LEN], h[PUBLISH_HASH_LEN];
    card_hash(NULL, &art, h0);
    /* what only the article's own page shows: the same card */
    art.body = STR_LIT("Body two, longer.");
    art.editor = STR_LIT("Desk");
    card_hash(NULL, &art, h);
    assert_memory_equal(h, h0, sizeof(h));
    /* what lists, related articles and feeds show or rank by: another card */
    art.title = STR_LIT("Cranes again");
    card_hash(NULL, &art, h);
    assert_memory_not_equal(h, h0, sizeof(h));
    art.title = STR_LIT("Cranes");
    kw[0] = STR_LIT("harbours");
    card_hash(NULL, &art, h);
    assert_memory_not_equal(h, h0, sizeof(h));
    kw[0] = STR_LIT("ports");
    art.status = ARTICLE_WITHDRAWN;
    card_hash(NULL, &art, h);
    assert_memory_not_equal(h, h0, sizeof(h));
    art.status = ARTICLE_PUBLISHED;
    im.width = 640;
    card_hash(NULL, &art, h);
    assert_memory_not_equal(h, h0, sizeof(h));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_file_of),
        cmocka_unit_test(test_feeds),
        cmocka_unit_test(test_card_hash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
