/* SPDX-License-Identifier: MIT */
/* manifest_test.c - the publisher's manifest: round trip, strict parsing,
 * file names it accepts. */
#include "../check.h"

#include "core/buf.h"
#include "core/err.h"
#include "publish/publish_int.h"

static const char good[] =
    "masthead-publish 1\n"
    "seq 42\n"
    "at 1780000000000\n"
    "finger\tenglish\t00112233445566778899aabbccddeeff\n"
    "ffeeddccbbaa99887766554433221100\tgb\tenglish/index.html\n"
    "0123456789abcdef0123456789abcdef\tg\tenglish/2026-03/06/content_481099.html\tnews\t"
    "fedcba9876543210fedcba9876543210\n"
    "00000000000000000000000000000001\t-\tmedia/ab/ab01.png\n";

static void test_round_trip(void **state)
{
    (void)state;
    struct manifest m;
    char err[256];
    manifest_init(&m);
    assert_int_equal(manifest_parse(&m, STR_LIT(good), err, sizeof(err)), MH_OK);
    assert_int_equal(m.seq, 42);
    assert_int_equal(m.used, 3);
    struct pentry *e = manifest_find(&m, STR_LIT("english/2026-03/06/content_481099.html"));
    assert_non_null(e);
    assert_int_equal(e->article_id, 481099);
    assert_string_equal(e->channel, "news");
    assert_true(e->flags & PE_GZ);
    assert_false(e->flags & PE_BR);
    assert_true(e->flags & PE_CARD);
    assert_int_equal(e->card[0], 0xfe);
    assert_non_null(manifest_finger(&m, STR_LIT("english")));
    assert_null(manifest_finger(&m, STR_LIT("zh")));
    assert_null(manifest_find(&m, STR_LIT("english/")));

    /* formatted and parsed again: the same manifest (entry order aside) */
    struct buf b;
    struct manifest m2;
    buf_init(&b, NULL, 1 << 20);
    manifest_format(&m, &b);
    manifest_init(&m2);
    assert_int_equal(manifest_parse(&m2, buf_str(&b), err, sizeof(err)), MH_OK);
    assert_int_equal(m2.used, 3);
    struct pentry *e2 = manifest_find(&m2, str_c(e->file));
    assert_memory_equal(e2->hash, e->hash, PUBLISH_HASH_LEN);
    assert_memory_equal(e2->card, e->card, PUBLISH_HASH_LEN);
    assert_int_equal(e2->flags, e->flags);
    /* a page marked gone is left out */
    e2->flags |= PE_GONE;
    buf_reset(&b);
    manifest_format(&m2, &b);
    assert_null(strstr(b.data, "content_481099"));
    buf_release(&b);
    manifest_release(&m2);
    manifest_release(&m);
}

static void test_rejects(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "masthead-publish 2\n",
        "masthead-publish 1\nseq x\n",
        "masthead-publish 1\nseq 1", /* cut short */
        "masthead-publish 1\n00112233445566778899aabbccddeeff\tgb\t../etc/passwd\n",
        "masthead-publish 1\n00112233445566778899aabbccddeeff\tgb\t/abs\n",
        "masthead-publish 1\n00112233445566778899aabbccddeeff\tgg\ta.html\n",
        "masthead-publish 1\n00112233445566778899aabbccddeeZZ\tg\ta.html\n",
        "masthead-publish 1\n00112233445566778899aabbccddeeff\tg\ta.html\tnews\n",
        ("masthead-publish 1\n00112233445566778899aabbccddeeff\t-\ta.html\n"
         "00112233445566778899aabbccddeeff\t-\ta.html\n"), /* twice */
        "masthead-publish 1\nfinger\ten\n",
    };
    for (size_t i = 0; i < MH_ARRAY_LEN(bad); i++) {
        struct manifest m;
        char err[256];
        manifest_init(&m);
        assert_int_equal(manifest_parse(&m, str_c(bad[i]), err, sizeof(err)), MH_INVAL);
        assert_int_equal(m.used, 0);
        assert_true(strncmp(err, "line ", 5) == 0);
        manifest_release(&m);
    }
}

static void test_file_names(void **state)
{
    (void)state;
    assert_true(manifest_file_ok(STR_LIT("english/index.html")));
    assert_true(manifest_file_ok(STR_LIT("404.html")));
    assert_false(manifest_file_ok(STR_LIT("english/../x")));
    assert_false(manifest_file_ok(STR_LIT(".masthead-publish")));
    assert_false(manifest_file_ok(STR_LIT("a//b")));
    assert_false(manifest_file_ok(STR_LIT("a/")));
    assert_false(manifest_file_ok(STR_LIT("a\tb")));
    assert_false(manifest_file_ok(STR_LIT("")));
    assert_int_equal(manifest_article_id(STR_LIT("zh/2026-01/02/content_7.html")), 7);
    assert_int_equal(manifest_article_id(STR_LIT("zh/news/index_2.html")), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_rejects),
        cmocka_unit_test(test_file_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
