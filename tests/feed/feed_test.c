/* SPDX-License-Identifier: MIT */
/*
 * feed_test.c - feeds, sitemaps, robots.txt and the key file from a real
 * site folder: documents are checked by xmllint (well-formed; sitemaps
 * against ../shared/conformance/sitemaps/ schemas), by structure, for hostile
 * titles, and for month splitting with small limits.
 */
#include "../check.h"

#include <sys/stat.h>

#include "auth/auth.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "feed/feed.h"
#include "store/store.h"

#define NOW INT64_C(1780000000000) /* 2026-05-28T20:26:40Z, MH_NOW_MS */
#define DAY INT64_C(86400000)
#define HOSTILE "Ampersands & <script>alert(\"x\")</script> ]]> 'quotes' \x01\x1f end"

struct fixture {
    char *dir;
    struct site *site;
    struct arena arena;
};

static int64_t next_id = 1000;

static void add_article(struct fixture *f, const char *edition, const char *channel,
                        const char *title, int64_t published, enum article_status status,
                        int64_t media_id)
{
    static struct str authors[] = {STR_LIT("ZHOU Lanting"), STR_LIT("MA <Qiu>")};
    struct article a = {0};
    struct article_image im = {0};
    a.id = next_id++;
    a.edition = str_c(edition);
    a.channel = str_c(channel);
    a.title = str_c(title);
    a.authors = authors;
    a.n_authors = 2;
    a.abstract = STR_LIT("An abstract with <b>markup</b> & an ampersand.");
    a.body = STR_LIT("Body *text* with [a link](/english/news/) and a picture.\n\n"
                     "![alt text](/media/x.png)\n");
    a.status = status;
    a.first_published_at = a.last_published_at = published;
    a.created_at = published;
    a.updated_at = published + 1000;
    if (media_id) {
        im.media_id = media_id;
        im.caption = STR_LIT("A caption & more");
        a.images = &im;
        a.n_images = 1;
    }
    assert_int_equal(store_article_insert(f->site->store, &a), MH_OK);
}

static int64_t add_media(struct fixture *f)
{
    struct media m = {0};
    char path[4200];
    m.sha256 = STR_LIT("abababababababababababababababababababababababababababababababab");
    m.path = STR_LIT("media/ab/abababababababababababababababababababababababababababababababab.png");
    m.mime = STR_LIT("image/png");
    m.width = 640;
    m.height = 360;
    m.bytes = 1234;
    m.created_at = NOW;
    assert_int_equal(store_media_insert(f->site->store, &m), MH_OK);
    snprintf(path, sizeof(path), "%s/site/media/ab", f->dir);
    mkdir(path, 0755);
    snprintf(path, sizeof(path), "%s/site/%.*s", f->dir, (int)m.path.len, m.path.ptr);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    for (int i = 0; i < 1234; i++)
        fputc(i & 0xff, fp);
    fclose(fp);
    return m.id;
}

static int setup(void **state)
{
    struct fixture *f = mh_calloc(1, sizeof(*f));
    char err[1024], path[4200];
    assert_int_equal(auth_init(), MH_OK);
    f->dir = check_tmpdir("feed");
    snprintf(path, sizeof(path), "%s/site", f->dir);
    assert_int_equal(site_init(path, err, sizeof(err)), MH_OK);
    if (site_open(path, false, &f->site, err, sizeof(err)) != MH_OK) {
        fprintf(stderr, "%s\n", err);
        fail();
    }
    arena_init(&f->arena, 0);
    int64_t media = add_media(f);
    /* March 2026: 7 English articles, 1 Chinese; one withdrawn, one draft */
    for (int i = 0; i < 7; i++)
        add_article(f, "english", i % 2 ? "news" : "policy", i == 3 ? HOSTILE : "A headline",
                    INT64_C(1772323200000) + i * DAY, ARTICLE_PUBLISHED, i == 0 ? media : 0);
    add_article(f, "english", "news", "Withdrawn", INT64_C(1772323200000), ARTICLE_WITHDRAWN, 0);
    add_article(f, "english", "news", "Draft", 0, ARTICLE_DRAFT, 0);
    add_article(f, "zh", "news", "量子通信的新进展", INT64_C(1772323200000), ARTICLE_PUBLISHED, 0);
    /* recent ones for the news sitemap: 1 hour, 47 hours and 49 hours ago */
    add_article(f, "zh", "news", "一小时前", NOW - 3600000, ARTICLE_PUBLISHED, 0);
    add_article(f, "zh", "policy", "四十七小时前", NOW - 47 * 3600000, ARTICLE_PUBLISHED, 0);
    add_article(f, "zh", "news", "四十九小时前", NOW - 49 * 3600000, ARTICLE_PUBLISHED, 0);
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

static struct feed_doc render(struct fixture *f, const char *path, const struct feed_limits *lim)
{
    struct feed_doc d;
    bool found;
    int rc = feed_render(f->site, f->site->store, &f->arena, str_c(path), lim, &d, &found);
    if (rc != MH_OK || !found) {
        fprintf(stderr, "%s: rc %d found %d\n", path, rc, found);
        fail();
    }
    assert_int_equal(d.status, 200);
    return d;
}

static bool not_found(struct fixture *f, const char *path, const struct feed_limits *lim)
{
    struct feed_doc d;
    bool found = true;
    assert_int_equal(feed_render(f->site, f->site->store, &f->arena, str_c(path), lim, &d,
                                 &found),
                     MH_OK);
    return !found;
}

/* Run xmllint over DOC (with SCHEMA, an .xsd in the conformance folder,
 * or NULL for well-formedness only). */
static void xmllint(struct fixture *f, struct feed_doc d, const char *schema)
{
    char file[4200], cmd[9000];
    snprintf(file, sizeof(file), "%s/doc.xml", f->dir);
    FILE *fp = fopen(file, "wb");
    assert_non_null(fp);
    fwrite(d.body.ptr, 1, d.body.len, fp);
    fclose(fp);
    if (schema)
        snprintf(cmd, sizeof(cmd),
                 "xmllint --noout --schema %s/conformance/sitemaps/%s %s 2>%s/lint.err",
                 MH_SHARED_DIR, schema, file, f->dir);
    else
        snprintf(cmd, sizeof(cmd), "xmllint --noout %s 2>%s/lint.err", file, f->dir);
    if (system(cmd) != 0) {
        fprintf(stderr, "xmllint refused (see %s/lint.err):\n%.*s\n", f->dir,
                (int)(d.body.len > 3000 ? 3000 : d.body.len), d.body.ptr);
        fail();
    }
}

static size_t count(struct str hay, const char *needle)
{
    size_t n = 0, len = strlen(needle);
    for (size_t i = 0; i + len <= hay.len; i++)
        if (memcmp(hay.ptr + i, needle, len) == 0)
            n++;
    return n;
}

static bool has(struct str hay, const char *needle)
{
    return count(hay, needle) > 0;
}

static void test_rss(void **state)
{
    struct fixture *f = *state;
    struct feed_doc d = render(f, "/english/rss.xml", NULL);
    xmllint(f, d, NULL);
    assert_string_equal(d.content_type, "application/rss+xml; charset=utf-8");
    assert_int_equal(count(d.body, "<item>"), 7); /* not the withdrawn one, not the draft */
    assert_true(has(d.body, "<rss version=\"2.0\""));
    assert_true(has(d.body, "<link>http://127.0.0.1:8080/english/</link>"));
    assert_true(has(d.body, "<guid isPermaLink=\"true\">http://127.0.0.1:8080/english/2026-03/"));
    assert_true(has(d.body, "<pubDate>Sun, 01 Mar 2026 00:00:00 GMT</pubDate>"));
    assert_true(has(d.body, "<dc:creator>ZHOU Lanting, MA &lt;Qiu&gt;</dc:creator>"));
    /* the lead image, with its real size */
    assert_true(has(d.body, "<enclosure url=\"http://127.0.0.1:8080/media/ab/abab"));
    assert_true(has(d.body, "length=\"1234\" type=\"image/png\"/>"));
    assert_true(has(d.body, "<media:description>A caption &amp; more</media:description>"));
    /* a hostile title is text, not markup, and the control bytes are gone */
    assert_true(has(d.body, "<title>Ampersands &amp; &lt;script&gt;alert(&quot;x&quot;)"
                            "&lt;/script&gt; ]]&gt; &#39;quotes&#39;  end</title>"));
    assert_false(has(d.body, "<script"));
    /* title and abstract only by default */
    assert_true(has(d.body, "<description>An abstract with &lt;b&gt;markup&lt;/b&gt;"));
    assert_false(has(d.body, "Body"));
    assert_int_equal(d.last_modified, INT64_C(1772323200000) + 6 * DAY + 1000);
}

static void test_atom_and_full_text(void **state)
{
    struct fixture *f = *state;
    f->site->conf.feed_full_text = true;
    struct feed_doc d = render(f, "/english/news/atom.xml", NULL);
    f->site->conf.feed_full_text = false;
    xmllint(f, d, NULL);
    assert_string_equal(d.content_type, "application/atom+xml; charset=utf-8");
    assert_true(has(d.body, "<feed xmlns=\"http://www.w3.org/2005/Atom\""));
    CHECK_STR(d.edition, "english");
    assert_true(d.channel_id > 0); /* what the page depends on */
    assert_int_equal(count(d.body, "<entry>"), 3); /* news: articles 1, 3, 5 */
    assert_true(has(d.body, "<id>http://127.0.0.1:8080/english/news/atom.xml</id>"));
    assert_true(has(d.body, "<updated>2026-03-06T00:00:01Z</updated>"));
    assert_true(has(d.body, "<category term=\"news\" label=\"News\"/>"));
    /* the whole article, escaped once, its links made absolute */
    assert_true(has(d.body, "<content type=\"html\">&lt;p&gt;Body &lt;em&gt;text&lt;/em&gt;"));
    assert_true(has(d.body, "href=&quot;http://127.0.0.1:8080/english/news/&quot;"));
    /* a channel that does not exist, or of another edition's name, is not a feed */
    assert_true(not_found(f, "/english/sports/atom.xml", NULL));
    assert_true(not_found(f, "/nowhere/rss.xml", NULL));
    assert_true(not_found(f, "/english/news/rss.json", NULL));
}

static void test_sitemaps_validate(void **state)
{
    struct fixture *f = *state;
    struct feed_doc d = render(f, "/sitemap.xml", NULL);
    xmllint(f, d, "siteindex.xsd");
    assert_string_equal(d.content_type, "application/xml; charset=utf-8");
    assert_int_equal(d.edition.len, 0); /* every edition's */
    assert_true(has(d.body, "<loc>http://127.0.0.1:8080/sitemaps/english/2026-03.xml</loc>"
                            "<lastmod>2026-03-07T00:00:01Z</lastmod>"));
    assert_true(has(d.body, "<loc>http://127.0.0.1:8080/sitemaps/zh/2026-05.xml</loc>"));
    assert_true(has(d.body, "/sitemaps/english/sections.xml"));
    d = render(f, "/sitemaps/english/2026-03.xml", NULL);
    xmllint(f, d, "sitemap.xsd");
    assert_int_equal(count(d.body, "<url>"), 7);
    assert_true(has(d.body, "<lastmod>2026-03-01T00:00:01Z</lastmod>")); /* updated_at */
    d = render(f, "/sitemaps/zh/sections.xml", NULL);
    xmllint(f, d, "sitemap.xsd");
    assert_true(has(d.body, "<loc>http://127.0.0.1:8080/zh/news/</loc>"));
    assert_true(not_found(f, "/sitemaps/english/2026-04.xml", NULL)); /* no articles */
    assert_true(not_found(f, "/sitemaps/english/2026-13.xml", NULL));
    assert_true(not_found(f, "/sitemaps/english/2026-03-1.xml", NULL)); /* one name per part */
    assert_true(not_found(f, "/sitemaps/english/2026-03-2.xml", NULL));
    assert_true(not_found(f, "/sitemaps/klingon/2026-03.xml", NULL));
}

/* The 50,000-URL rule with a limit of 3: March's 7 English URLs in 3 parts. */
static void test_sitemap_split(void **state)
{
    struct fixture *f = *state;
    struct feed_limits lim = {3, FEED_SITEMAP_BYTES};
    struct feed_doc d = render(f, "/sitemap.xml", &lim);
    xmllint(f, d, "siteindex.xsd");
    assert_true(has(d.body, "/sitemaps/english/2026-03.xml</loc><lastmod>2026-03-03T00:00:01Z"));
    assert_true(has(d.body, "/sitemaps/english/2026-03-2.xml</loc><lastmod>2026-03-06T00:00:01Z"));
    assert_true(has(d.body, "/sitemaps/english/2026-03-3.xml</loc><lastmod>2026-03-07T00:00:01Z"));
    assert_false(has(d.body, "2026-03-4.xml"));
    size_t total = 0;
    const char *parts[] = {"/sitemaps/english/2026-03.xml", "/sitemaps/english/2026-03-2.xml",
                           "/sitemaps/english/2026-03-3.xml"};
    for (size_t i = 0; i < 3; i++) {
        d = render(f, parts[i], &lim);
        xmllint(f, d, "sitemap.xsd");
        assert_true(count(d.body, "<url>") <= 3);
        total += count(d.body, "<url>");
    }
    assert_int_equal(total, 7);
    assert_true(not_found(f, "/sitemaps/english/2026-03-4.xml", &lim));
    /* the byte limit splits too: room for about two entries per file */
    struct feed_limits small = {50000, 512 + 2 * (6 * (21 + 7) + 160)};
    d = render(f, "/sitemap.xml", &small);
    assert_true(has(d.body, "/sitemaps/english/2026-03-4.xml"));
    for (int k = 1; k <= 4; k++) {
        char p[64];
        snprintf(p, sizeof(p), k == 1 ? "/sitemaps/english/2026-03.xml"
                                      : "/sitemaps/english/2026-03-%d.xml", k);
        d = render(f, p, &small);
        assert_true(d.body.len <= small.sitemap_bytes);
    }
}

static void test_news_sitemap(void **state)
{
    struct fixture *f = *state;
    struct feed_doc d = render(f, "/zh/news-sitemap.xml", NULL);
    xmllint(f, d, NULL);
    assert_int_equal(count(d.body, "<url>"), 2); /* 1 h and 47 h ago, not 49 h */
    assert_true(has(d.body, "<news:language>zh-cn</news:language>"));
    assert_true(has(d.body, "<news:name>Masthead</news:name>"));
    assert_true(has(d.body, "<news:title>一小时前</news:title>"));
    assert_true(has(d.body, "+08:00</news:publication_date>"));
    assert_false(has(d.body, "四十九"));
    d = render(f, "/english/news-sitemap.xml", NULL);
    assert_int_equal(count(d.body, "<url>"), 0);
    struct arena *a = &f->arena;
    CHECK_STR(feed_news_language(a, STR_LIT("zh-CN")), "zh-cn");
    CHECK_STR(feed_news_language(a, STR_LIT("zh-Hant-TW")), "zh-tw");
    CHECK_STR(feed_news_language(a, STR_LIT("zh")), "zh-cn");
    CHECK_STR(feed_news_language(a, STR_LIT("en-GB")), "en");
    CHECK_STR(feed_news_language(a, STR_LIT("EN")), "en");
}

static void test_robots_and_key(void **state)
{
    struct fixture *f = *state;
    struct feed_doc d = render(f, "/robots.txt", NULL);
    assert_string_equal(d.content_type, "text/plain; charset=utf-8");
    assert_true(has(d.body, "User-agent: *\n"));
    assert_int_equal(count(d.body, "Sitemap: http://127.0.0.1:8080/sitemap.xml\n"), 1);
    assert_true(has(d.body, "Sitemap: http://127.0.0.1:8080/zh/news-sitemap.xml\n"));
    assert_true(has(d.body, "Disallow: /english/search\n"));
    assert_true(not_found(f, "/abcdefgh1234.txt", NULL)); /* no key configured */
    snprintf(f->site->conf.indexnow_key, sizeof(f->site->conf.indexnow_key), "abcdefgh1234");
    d = render(f, "/abcdefgh1234.txt", NULL);
    CHECK_STR(d.body, "abcdefgh1234");
    assert_true(not_found(f, "/abcdefgh123.txt", NULL));
    f->site->conf.indexnow_key[0] = '\0';
}

/* Every path feed_paths lists renders, and the feeds of each channel are there. */
static void test_paths(void **state)
{
    struct fixture *f = *state;
    struct str *paths;
    size_t n;
    assert_int_equal(feed_paths(f->site, f->site->store, &f->arena, NULL, &paths, &n), MH_OK);
    assert_int_equal(n, 2 + 2 + 3 + 2 * 3 + 2 * 2 * 9); /* 9 channels an edition */
    bool saw_channel = false, saw_month = false;
    for (size_t i = 0; i < n; i++) {
        char p[512];
        snprintf(p, sizeof(p), "%.*s", (int)paths[i].len, paths[i].ptr);
        render(f, p, NULL);
        saw_channel |= strcmp(p, "/zh/policy/atom.xml") == 0;
        saw_month |= strcmp(p, "/sitemaps/zh/2026-03.xml") == 0;
    }
    assert_true(saw_channel && saw_month);
}

static void link_count(void *ctx, const char *type, struct str title, struct str path)
{
    (void)type, (void)title;
    if (str_starts(path, "/english/news/"))
        (*(int *)ctx)++;
}

static void test_links(void **state)
{
    struct fixture *f = *state;
    int n = 0;
    feed_links(&f->arena, STR_LIT("english"), STR_LIT("English"), STR_LIT("news"),
               STR_LIT("News"), link_count, &n);
    assert_int_equal(n, 2);
    struct str p = feed_article_path(&f->arena, STR_LIT("zh"), STR_LIT("Asia/Shanghai"),
                                     INT64_C(1772323200000) - 3600000, 7);
    CHECK_STR(p, "/zh/2026-03/01/content_7.html"); /* 07:00 in Shanghai */
}

/* Sitemaps remember a civil day between URLs: the dates must still be
 * those of feed_article_path(), across daylight-saving shifts and midnights. */
static void test_sitemap_dates_across_dst(void **state)
{
    struct fixture *f = *state;
    struct edition e = {STR_LIT("ny"), STR_LIT("New York"), STR_LIT("en-US"),
                        STR_LIT("America/New_York"), STR_LIT("https://ny.example.org"), 5, false};
    struct channel ch = {0};
    assert_int_equal(store_edition_put(f->site->store, &e), MH_OK);
    ch.edition = e.slug;
    ch.slug = STR_LIT("local");
    ch.name = ch.search_name = STR_LIT("Local");
    assert_int_equal(store_channel_put(f->site->store, &ch), MH_OK);
    /* every 37 minutes over 2026-03-07..09 (spring forward) and 2026-10-31..11-02 */
    const int64_t starts[] = {INT64_C(1772841600000), INT64_C(1793404800000)};
    for (size_t k = 0; k < 2; k++)
        for (int64_t t = starts[k]; t < starts[k] + 3 * DAY; t += 37 * 60000)
            add_article(f, "ny", "local", "Dated", t, ARTICLE_PUBLISHED, 0);
    const char *months[] = {"/sitemaps/ny/2026-03.xml", "/sitemaps/ny/2026-10.xml",
                            "/sitemaps/ny/2026-11.xml"};
    size_t checked = 0;
    for (size_t k = 0; k < 3; k++) {
        struct feed_doc d = render(f, months[k], NULL);
        struct sitemap_url *u;
        size_t n;
        int64_t from = k == 0 ? INT64_C(1772323200000) : k == 1 ? INT64_C(1790812800000)
                                                                : INT64_C(1793491200000);
        assert_int_equal(store_sitemap_urls(f->site->store, &f->arena, e.slug, from,
                                            from + 31 * DAY, 0, 1000, &u, &n),
                         MH_OK);
        for (size_t i = 0; i < n; i++) {
            struct str p = feed_article_path(&f->arena, e.slug, e.tz, u[i].published_at, u[i].id);
            char want[256];
            snprintf(want, sizeof(want), "<loc>https://ny.example.org%.*s</loc>", (int)p.len,
                     p.ptr);
            if (!has(d.body, want)) {
                fprintf(stderr, "%s lacks %s\n", months[k], want);
                fail();
            }
            checked++;
        }
    }
    assert_true(checked > 200);
}

int main(void)
{
    setenv("MH_NOW_MS", "1780000000000", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rss),
        cmocka_unit_test(test_atom_and_full_text),
        cmocka_unit_test(test_sitemaps_validate),
        cmocka_unit_test(test_sitemap_split),
        cmocka_unit_test(test_news_sitemap),
        cmocka_unit_test(test_robots_and_key),
        cmocka_unit_test(test_paths),
        cmocka_unit_test(test_links),
        cmocka_unit_test(test_sitemap_dates_across_dst),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
