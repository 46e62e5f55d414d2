/* SPDX-License-Identifier: MIT */
/* migrate_test.c - what the migration sources share (migrate.c), and the WXR and
 * Founder parsers on small inputs of our own. */
#include "../check.h"

#include "core/arena.h"
#include "core/err.h"
#include "interchange/interchange_int.h"

static void test_text_and_slugs(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a, 0);
    CHECK_STR(import_text(&a, STR_LIT("  Tide \t tables\n for\x01 May "), false),
              "Tide tables for May");
    CHECK_STR(import_text(&a, STR_LIT("one\r\ntwo\x07\n"), true), "one\ntwo");
    CHECK_STR(import_slug(&a, STR_LIT("Town Hall & Council!")), "town-hall-council");
    CHECK_STR(import_slug(&a, STR_LIT("%e7%a7%91%e6%8a%80")), "科技");
    CHECK_STR(import_slug(&a, STR_LIT("--- ")), "");
    CHECK_STR(import_unescape(&a, STR_LIT("a &amp; b &lt;c&gt; &#39;d&#x27; &bogus; &#;")),
              "a & b <c> 'd' &bogus; &#;");
    CHECK_STR(import_percent_decode(&a, STR_LIT("/2025/%e4%b8%ad/")), "/2025/中/");
    CHECK_STR(import_percent_decode(&a, STR_LIT("/a%00b")), "/a%00b"); /* no NUL */
    CHECK_STR(import_url_path(STR_LIT("https://x.example/web/a.html?x=1#top")), "/web/a.html");
    CHECK_STR(import_url_path(STR_LIT("//x.example/b/")), "/b/");
    CHECK_STR(import_url_path(STR_LIT("https://x.example/?p=12")), "");
    CHECK_STR(import_url_path(STR_LIT("https://x.example")), "");
    CHECK_STR(import_url_path(STR_LIT("/c.html")), "/c.html");
    arena_release(&a);
}

static void test_civil_time_and_lists(void **state)
{
    (void)state;
    struct arena a;
    int64_t ms;
    struct str *items;
    size_t n;
    static const char *const seps[] = {"&", ",", "\xef\xbc\x8c", NULL};
    arena_init(&a, 0);
    assert_int_equal(import_civil_time(STR_LIT("2026-03-06 09:39:50:194"),
                                       STR_LIT("Asia/Shanghai"), &ms), MH_OK);
    assert_true(ms == INT64_C(1772761190194));
    assert_int_equal(import_civil_time(STR_LIT("2025-04-18 07:30:00"), STR_LIT("UTC"), &ms),
                     MH_OK);
    assert_true(ms == INT64_C(1744961400000));
    /* summer time in London: 12:00 local is 11:00 UTC */
    assert_int_equal(import_civil_time(STR_LIT("2025-07-01 12:00:00"), STR_LIT("Europe/London"),
                                       &ms), MH_OK);
    assert_true(ms == INT64_C(1751367600000));
    assert_int_equal(import_civil_time(STR_LIT("0000-00-00 00:00:00"), STR_LIT("UTC"), &ms),
                     MH_INVAL);
    assert_int_equal(import_civil_time(STR_LIT("2025-02-30 10:00:00"), STR_LIT("UTC"), &ms),
                     MH_INVAL);
    assert_int_equal(import_civil_time(STR_LIT("6 March 2026"), STR_LIT("UTC"), &ms), MH_INVAL);
    import_split(&a, STR_LIT(" LIANG Wen & QI Ming,, Li\xef\xbc\x8c LIANG Wen "), seps, &items,
                 &n);
    assert_int_equal(n, 3);
    CHECK_STR(items[0], "LIANG Wen");
    CHECK_STR(items[1], "QI Ming");
    CHECK_STR(items[2], "Li");
    arena_release(&a);
}

static void test_images_of_a_clean_body(void **state)
{
    (void)state;
    struct str html = STR_LIT("<p>&lt;img src=\"no\"&gt;<img src=\"a.png?x=1&amp;y=2\" alt=\"A\">"
                              "<img alt=\"no src\"></p><img src=\"b.jpg\">");
    size_t pos = 0;
    struct str v;
    assert_true(import_next_img(html, &pos, &v));
    CHECK_STR(v, "a.png?x=1&amp;y=2");
    assert_true(import_next_img(html, &pos, &v));
    CHECK_STR(v, "b.jpg");
    assert_false(import_next_img(html, &pos, &v));
}

static const char wxr[] =
    "<?xml version=\"1.0\"?>\n"
    "<rss xmlns:wp=\"http://wordpress.org/export/1.1/\" "
    "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" "
    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel>\n"
    "<wp:author><wp:author_login>ada</wp:author_login>"
    "<wp:author_display_name>Ada Brook</wp:author_display_name></wp:author>\n"
    "<item><title>First</title><dc:creator>ada</dc:creator><wp:post_id>7</wp:post_id>"
    "<wp:post_type>post</wp:post_type><wp:status>publish</wp:status>"
    "<wp:post_date_gmt>2025-01-02 03:04:05</wp:post_date_gmt>"
    "<link>https://old.example/2025/01/02/first/</link>"
    "<content:encoded><![CDATA[One.\n\nTwo\nlines.<script>x()</script>]]></content:encoded>"
    "<category domain=\"category\" nicename=\"city-life\">City life</category></item>\n"
    "<item><title>Attachment</title><wp:post_id>8</wp:post_id>"
    "<wp:post_type>attachment</wp:post_type></item>\n"
    "<item><title>Odd</title><wp:post_id>9</wp:post_id><wp:post_type>post</wp:post_type>"
    "<wp:status>sideways</wp:status></item>\n"
    "</channel></rss>\n";

static void test_wxr_reader(void **state)
{
    (void)state;
    struct wxr_reader *r;
    struct arena a;
    struct import_item it;
    char err[256];
    arena_init(&a, 0);
    assert_int_equal(wxr_open_memory(wxr, sizeof(wxr) - 1, "english", "UTC", NULL, &r, err,
                                     sizeof(err)), MH_OK);
    memset(&it, 0, sizeof(it));
    assert_int_equal(wxr_next(r, &a, &it), MH_OK);
    assert_int_equal(it.status, MH_OK);
    assert_true(it.a.id == 7);
    assert_int_equal(it.lineno, 4);
    CHECK_STR(it.a.title, "First");
    CHECK_STR(it.a.authors[0], "Ada Brook");
    CHECK_STR(it.a.channel, "city-life");
    CHECK_STR(it.channel_name, "City life");
    CHECK_STR(it.a.body, "<p>One.</p>\n<p>Two<br>\nlines.</p>");
    CHECK_STR(it.redirect_from, "/2025/01/02/first/");
    assert_int_equal(it.a.status, ARTICLE_PUBLISHED);
    assert_true(it.a.first_published_at == INT64_C(1735787045000));
    memset(&it, 0, sizeof(it));
    assert_int_equal(wxr_next(r, &a, &it), MH_OK);
    assert_true(it.skip);
    assert_null(it.reason); /* attachments are skipped quietly */
    memset(&it, 0, sizeof(it));
    assert_int_equal(wxr_next(r, &a, &it), MH_OK);
    assert_int_equal(it.status, MH_INVAL);
    assert_non_null(strstr(it.reason, "unknown wp:status 'sideways'"));
    CHECK_STR(str_c(it.label), "item 3 (post 9)");
    memset(&it, 0, sizeof(it));
    assert_int_equal(wxr_next(r, &a, &it), MH_NOTFOUND);
    wxr_close(r);

    /* broken XML: one bad entry at the error's line, then the end */
    static const char broken[] = "<rss><channel>\n<item><title>Cut\n</item>\n</channel></rss>";
    assert_int_equal(wxr_open_memory(broken, sizeof(broken) - 1, "english", "UTC", NULL, &r,
                                     err, sizeof(err)), MH_OK);
    memset(&it, 0, sizeof(it));
    assert_int_equal(wxr_next(r, &a, &it), MH_OK);
    assert_int_equal(it.status, MH_INVAL);
    assert_non_null(strstr(it.reason, "malformed XML: Opening and ending tag mismatch"));
    assert_int_equal(it.lineno, 3);
    assert_int_equal(wxr_next(r, &a, &it), MH_NOTFOUND);
    wxr_close(r);
    arena_release(&a);
}

static const char page[] =
    "<html><head><title>x</title><script>var s = '<!--enpcontent-->';</script></head><body>"
    "<h1>Seen</h1><!--enpcontent--><p onclick=\"x()\">Body text.</p><!--/enpcontent-->"
    "<!--enpproperty <articleid>4242</articleid><date>2026-03-06 09:39:50:194</date>"
    "<author>ZHAO Lin &amp; Ruth Abel</author><title>A &lt;careful&gt; title</title>"
    "<keyword>ports，cranes,ports</keyword><nodename>Innovation China</nodename>"
    "<url>https://old.example/web/English/2026-03/06/content_4242.html</url>"
    "<liability>null</liability><editor>null</editor><sourcename>Daily</sourcename>"
    "/enpproperty--></body></html>";

static void test_founder_page(void **state)
{
    (void)state;
    struct arena a;
    struct import_item it;
    memset(&it, 0, sizeof(it));
    arena_init(&a, 0);
    founder_parse_page(STR_LIT(page), "/saved", "/saved/web/content_4242.html", "english",
                       "Asia/Shanghai", &a, &it);
    assert_int_equal(it.status, MH_OK);
    assert_true(it.a.id == 4242);
    CHECK_STR(it.a.title, "A <careful> title");
    assert_int_equal(it.a.n_authors, 2);
    CHECK_STR(it.a.authors[1], "Ruth Abel");
    assert_int_equal(it.a.n_keywords, 2);
    CHECK_STR(it.a.channel, "innovation-china");
    CHECK_STR(it.a.editor, "");
    CHECK_STR(it.a.body, "<p>Body text.</p>");
    CHECK_STR(it.redirect_from, "/web/English/2026-03/06/content_4242.html");
    assert_true(it.a.first_published_at == INT64_C(1772761190194));

    memset(&it, 0, sizeof(it));
    founder_parse_page(STR_LIT("<p>An index page</p>"), "/saved", "/saved/index.html",
                       "english", "UTC", &a, &it);
    assert_true(it.skip);
    memset(&it, 0, sizeof(it));
    founder_parse_page(STR_LIT("<!--enpproperty <articleid>x</articleid>/enpproperty-->"),
                       "/saved", "/saved/a.html", "english", "UTC", &a, &it);
    assert_int_equal(it.status, MH_INVAL);
    assert_non_null(strstr(it.reason, "<articleid>"));
    arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_and_slugs),
        cmocka_unit_test(test_civil_time_and_lists),
        cmocka_unit_test(test_images_of_a_clean_body),
        cmocka_unit_test(test_wxr_reader),
        cmocka_unit_test(test_founder_page),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
