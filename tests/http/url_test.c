/* SPDX-License-Identifier: MIT */
/* url_test.c - path decoding (every hostile form of issue 3) and query parsing. */
#include "../check.h"

#include "core/arena.h"
#include "core/err.h"
#include "http/http.h"

static struct arena arena; /* each test's scratch: set up and released around it */

static int setup(void **state)
{
    (void)state;
    arena_init(&arena, 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    arena_release(&arena);
    return 0;
}

static int decode(const char *raw, struct str *out)
{
    return http_url_decode_path(str_c(raw), &arena, out);
}

static void expect_path(const char *raw, const char *want)
{
    struct str out;
    int rc = decode(raw, &out);
    if (rc != MH_OK) {
        fprintf(stderr, "'%s' refused (%d), want '%s'\n", raw, rc, want);
        fail();
    }
    CHECK_STR(out, want);
}

static void expect_refused(const char *raw, int want_rc)
{
    struct str out;
    int rc = decode(raw, &out);
    if (rc != want_rc) {
        fprintf(stderr, "'%s' gave rc %d, want %d\n", raw, rc, want_rc);
        fail();
    }
}

static void test_canonical_paths(void **state)
{
    (void)state;
    expect_path("/", "/");
    expect_path("/english/", "/english/");
    expect_path("/english/2026-01/05/content_123.html", "/english/2026-01/05/content_123.html");
    expect_path("/a-b_c~d.e/f!$&'()*+,;=:@", "/a-b_c~d.e/f!$&'()*+,;=:@");
    expect_path("/%E4%B8%AD%E6%96%87/", "/\xE4\xB8\xAD\xE6\x96\x87/"); /* 中文 */
    expect_path("/\xE4\xB8\xAD", "/\xE4\xB8\xAD");                     /* raw UTF-8 */
    expect_path("/a%20b", "/a b");
    expect_path("/%41%62", "/Ab");
    expect_path("/100%25", "/100%");
    expect_path("/a%3Fb%23c", "/a?b#c");
    expect_path("/...", "/..."); /* three dots are a name, not a step */
    expect_path("/.well-known/x", "/.well-known/x");
    expect_path("/a..b/c.", "/a..b/c.");
}

static void test_no_copy_without_escapes(void **state)
{
    (void)state;
    struct arena a;
    struct str out;
    static const char raw[] = "/english/index.html";
    arena_init(&a, 0);
    assert_int_equal(http_url_decode_path(STR_LIT(raw), &a, &out), MH_OK);
    assert_ptr_equal(out.ptr, raw);
    assert_int_equal(a.used, 0);
    arena_release(&a);
}

static void test_traversal(void **state)
{
    (void)state;
    expect_refused("/..", MH_INVAL);
    expect_refused("/../etc/passwd", MH_INVAL);
    expect_refused("/a/../../etc/passwd", MH_INVAL);
    expect_refused("/a/..", MH_INVAL);
    expect_refused("/a/./b", MH_INVAL);
    expect_refused("/.", MH_INVAL);
    expect_refused("/./", MH_INVAL);
    expect_refused("/%2e%2e/etc/passwd", MH_INVAL);
    expect_refused("/%2E%2E/", MH_INVAL);
    expect_refused("/.%2e/x", MH_INVAL);
    expect_refused("/%2e./x", MH_INVAL);
    expect_refused("/a/%2e", MH_INVAL);
    expect_refused("/a%2f..%2fb", MH_INVAL); /* encoded slash */
    expect_refused("/a%2F..%2Fb", MH_INVAL);
    expect_refused("/a%2fb", MH_INVAL);
    expect_refused("/a\\..\\b", MH_INVAL);   /* raw backslash */
    expect_refused("/a%5c..%5cb", MH_INVAL); /* encoded backslash */
    expect_refused("/a%5Cb", MH_INVAL);
    expect_refused("//etc/passwd", MH_INVAL); /* empty segments */
    expect_refused("/a//b", MH_INVAL);
    expect_refused("/a//", MH_INVAL);
}

static void test_bytes(void **state)
{
    (void)state;
    expect_refused("/a%00b", MH_INVAL); /* NUL */
    expect_refused("/a%00", MH_INVAL);
    expect_refused("/a%0ab", MH_INVAL); /* controls, encoded */
    expect_refused("/a%0D%0AX-Evil:%201", MH_INVAL);
    expect_refused("/a%09", MH_INVAL);
    expect_refused("/a%7f", MH_INVAL);
    expect_refused("/a\tb", MH_INVAL); /* controls, raw */
    expect_refused("/a\x7f", MH_INVAL);
    expect_refused("/a b", MH_INVAL); /* raw bytes outside pchar */
    expect_refused("/a\"b", MH_INVAL);
    expect_refused("/a<b>", MH_INVAL);
    expect_refused("/a|b", MH_INVAL);
    expect_refused("/a{b}", MH_INVAL);
    expect_refused("/a^b", MH_INVAL);
    expect_refused("/a`b", MH_INVAL);
    expect_refused("/a[b]", MH_INVAL);
    expect_refused("/a#b", MH_INVAL);
    expect_refused("/%c0%af", MH_INVAL);        /* overlong '/' */
    expect_refused("/%c0%ae%c0%ae/", MH_INVAL); /* overlong ".." */
    expect_refused("/%e0%80%af", MH_INVAL);     /* overlong, three bytes */
    expect_refused("/%f0%80%80%af", MH_INVAL);  /* overlong, four bytes */
    expect_refused("/%ed%a0%80", MH_INVAL);     /* a surrogate */
    expect_refused("/%f4%90%80%80", MH_INVAL);  /* past U+10FFFF */
    expect_refused("/%ff", MH_INVAL);
    expect_refused("/%e4%b8", MH_INVAL);   /* truncated */
    expect_refused("/\xc0\xaf", MH_INVAL); /* overlong, raw */
    expect_refused("/\xff", MH_INVAL);
}

static void test_malformed(void **state)
{
    (void)state;
    char long_path[HTTP_MAX_PATH + 2];
    expect_refused("", MH_INVAL);
    expect_refused("a/b", MH_INVAL);
    expect_refused("*", MH_INVAL);
    expect_refused("http://example.com/", MH_INVAL); /* the server reduces the absolute form */
    expect_refused("/%", MH_INVAL);
    expect_refused("/%4", MH_INVAL);
    expect_refused("/%4g", MH_INVAL);
    expect_refused("/%zz", MH_INVAL);
    expect_refused("/%%41", MH_INVAL);
    expect_refused("/a%", MH_INVAL);
    expect_refused("/%-1", MH_INVAL);
    expect_refused("/% 1", MH_INVAL);
    memset(long_path, 'a', sizeof(long_path));
    long_path[0] = '/';
    long_path[HTTP_MAX_PATH] = '\0';
    expect_path(long_path, long_path); /* exactly the limit */
    long_path[HTTP_MAX_PATH] = 'a';
    long_path[HTTP_MAX_PATH + 1] = '\0';
    expect_refused(long_path, MH_TOOBIG);
}

static void test_query(void **state)
{
    (void)state;
    struct arena a;
    struct http_params p;
    arena_init(&a, 0);
    assert_int_equal(http_query_parse(STR_LIT("q=news+today&page=2&q=again&flag&&=v&e="), &a, &p),
                     MH_OK);
    assert_int_equal(p.n, 6);
    CHECK_STR(p.v[0].name, "q");
    CHECK_STR(p.v[0].value, "news today");
    CHECK_STR(http_params_get(&p, "q"), "news today"); /* the first one */
    CHECK_STR(http_params_get(&p, "page"), "2");
    CHECK_STR(p.v[2].value, "again");
    CHECK_STR(p.v[3].name, "flag");
    CHECK_STR(p.v[3].value, "");
    CHECK_STR(p.v[4].name, "");
    CHECK_STR(p.v[4].value, "v");
    CHECK_STR(http_params_get(&p, "e"), "");
    assert_null(http_params_get(&p, "absent").ptr);

    assert_int_equal(
        http_query_parse(STR_LIT("q=%E4%B8%AD%E6%96%87&x=a%2Bb%3D%26c&t=a%09b%0D%0A"), &a, &p),
        MH_OK);
    CHECK_STR(http_params_get(&p, "q"), "\xE4\xB8\xAD\xE6\x96\x87");
    CHECK_STR(http_params_get(&p, "x"), "a+b=&c");
    CHECK_STR(http_params_get(&p, "t"), "a\tb\r\n");
    assert_int_equal(http_query_parse(STR_LIT("a=1=2"), &a, &p), MH_OK);
    CHECK_STR(p.v[0].value, "1=2");

    assert_int_equal(http_query_parse(STR_LIT(""), &a, &p), MH_OK);
    assert_int_equal(p.n, 0);
    assert_int_equal(http_query_parse(STR_LIT("&&&&"), &a, &p), MH_OK);
    assert_int_equal(p.n, 0);
    assert_int_equal(http_query_parse(STR_NULL, &a, &p), MH_OK);
    assert_int_equal(p.n, 0);

    assert_int_equal(http_query_parse(STR_LIT("q=%00"), &a, &p), MH_INVAL);
    assert_int_equal(http_query_parse(STR_LIT("q=%01"), &a, &p), MH_INVAL);
    assert_int_equal(http_query_parse(STR_LIT("q=%7F"), &a, &p), MH_INVAL);
    assert_int_equal(http_query_parse(STR_LIT("q=%"), &a, &p), MH_INVAL);
    assert_int_equal(http_query_parse(STR_LIT("q=%4"), &a, &p), MH_INVAL);
    assert_int_equal(http_query_parse(STR_LIT("q=%xy"), &a, &p), MH_INVAL);
    assert_int_equal(http_query_parse(STR_LIT("%zz=1"), &a, &p), MH_INVAL);
    assert_int_equal(http_query_parse(STR_LIT("q=%c0%af"), &a, &p), MH_INVAL);
    assert_int_equal(http_query_parse(STR_LIT("q=\xff"), &a, &p), MH_INVAL);
    assert_int_equal(http_query_parse(STR_LIT("q=a b"), &a, &p), MH_INVAL);
    assert_int_equal(http_query_parse(STR_LIT("q=a\nb"), &a, &p), MH_INVAL);
    arena_release(&a);
}

static void test_query_count_is_bounded(void **state)
{
    (void)state;
    struct arena a;
    struct http_params p;
    char q[HTTP_MAX_PARAMS * 4 + 8];
    size_t n = 0;
    arena_init(&a, 0);
    for (int i = 0; i < HTTP_MAX_PARAMS; i++)
        n += (size_t)snprintf(q + n, sizeof(q) - n, "a=%d&", i % 10);
    assert_int_equal(http_query_parse(str_make(q, n), &a, &p), MH_OK);
    assert_int_equal(p.n, HTTP_MAX_PARAMS);
    n += (size_t)snprintf(q + n, sizeof(q) - n, "b");
    assert_int_equal(http_query_parse(str_make(q, n), &a, &p), MH_TOOBIG);
    arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_canonical_paths, setup, teardown),
        cmocka_unit_test(test_no_copy_without_escapes),
        cmocka_unit_test_setup_teardown(test_traversal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bytes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
        cmocka_unit_test(test_query),
        cmocka_unit_test(test_query_count_is_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
