/* SPDX-License-Identifier: MIT */
/* jsonl_test.c - the JSON Lines article format: every field, every refusal, round trips. */
#include "../check.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "interchange/interchange.h"

static const char good[] =
    "{\"id\":480001,\"edition\":\"english\",\"channel\":\"news\",\"title\":\" Robots learn to "
    "fold proteins \",\"subtitle\":\"A lab in Hefei\",\"kicker\":\"Analysis\",\"authors\":["
    "\"ZHOU Lanting\",\"MA Qiu\"],\"editor\":\"LI Wen\",\"source\":\"Masthead Science Daily\","
    "\"keywords\":[\"robots\",\"proteins\"],\"abstract\":\"Short.\",\"body_format\":"
    "\"markdown\",\"body\":\"Para one.\\n\\n## Head\\n\\nPara two.\\n\",\"status\":"
    "\"published\",\"published_at\":\"2026-03-06T09:39:50.194+08:00\",\"images\":[{\"file\":"
    "\"img/lead.png\",\"caption\":\"A robot arm.\",\"credit\":\"Photo: Masthead\",\"alt\":"
    "\"A robot arm over a bench\"}]}";

static void test_parse_good(void **state)
{
    (void)state;
    struct arena a;
    struct article art;
    char err[512];
    arena_init(&a, 0);
    assert_int_equal(jsonl_parse_article(STR_LIT(good), &a, &art, err, sizeof(err)), MH_OK);
    assert_true(art.id == 480001);
    CHECK_STR(art.title, "Robots learn to fold proteins");
    assert_int_equal(art.n_authors, 2);
    CHECK_STR(art.authors[1], "MA Qiu");
    assert_int_equal(art.status, ARTICLE_PUBLISHED);
    assert_true(art.first_published_at == INT64_C(1772761190194));
    assert_int_equal(art.n_images, 1);
    CHECK_STR(art.images[0].path, "img/lead.png");
    CHECK_STR(art.body, "Para one.\n\n## Head\n\nPara two.\n");
    arena_release(&a);
}

static void test_write_then_parse(void **state)
{
    (void)state;
    struct arena a;
    struct article art, again;
    struct buf out, out2;
    char err[512];
    arena_init(&a, 0);
    assert_int_equal(jsonl_parse_article(STR_LIT(good), &a, &art, err, sizeof(err)), MH_OK);
    buf_init(&out, NULL, MH_MAX_IMPORT_LINE);
    jsonl_write_article(&out, &art, STR_LIT("Asia/Shanghai"), NULL);
    assert_true(out.data[out.len - 1] == '\n');
    assert_non_null(strstr(out.data, "\"published_at\":\"2026-03-06T09:39:50.194+08:00\""));
    assert_int_equal(jsonl_parse_article(str_make(out.data, out.len - 1), &a, &again, err,
                                         sizeof(err)),
                     MH_OK);
    buf_init(&out2, NULL, MH_MAX_IMPORT_LINE);
    jsonl_write_article(&out2, &again, STR_LIT("Asia/Shanghai"), NULL);
    assert_string_equal(out.data, out2.data); /* stable */
    buf_release(&out);
    buf_release(&out2);
    arena_release(&a);
}

static void test_html_body_is_sanitized(void **state)
{
    (void)state;
    struct arena a;
    struct article art;
    char err[512];
    arena_init(&a, 0);
    const char *line = "{\"edition\":\"english\",\"channel\":\"news\",\"title\":\"t\","
                       "\"body_format\":\"html\",\"body\":\"<p onclick=\\\"x()\\\">Hi"
                       "<script>alert(1)</script></p>\"}";
    assert_int_equal(jsonl_parse_article(str_c(line), &a, &art, err, sizeof(err)), MH_OK);
    assert_null(strstr(art.body.ptr, "script"));
    assert_null(strstr(art.body.ptr, "onclick"));
    assert_non_null(strstr(art.body.ptr, "Hi"));
    assert_int_equal(art.status, ARTICLE_DRAFT); /* the default: nothing goes live by accident */
    arena_release(&a);
}

struct bad_case {
    const char *line, *reason;
};

static void test_refusals(void **state)
{
    (void)state;
    static const struct bad_case cases[] = {
        {"{\"edition\":\"english\"", "malformed JSON"},
        {"[1,2]", "must be a JSON object"},
        {"{\"edition\":\"english\",\"channel\":\"news\"}", "field 'title' is required"},
        {"{\"edition\":\"english\",\"channel\":\"news\",\"title\":\"   \"}",
         "field 'title' is empty"},
        {"{\"edition\":\"english\",\"channel\":\"news\",\"title\":\"t\",\"titel\":1}",
         "unknown field 'titel'"},
        {"{\"edition\":\"english\",\"channel\":\"news\",\"title\":7}",
         "field 'title' must be a string"},
        {"{\"edition\":\"english\",\"channel\":\"news\",\"title\":\"t\",\"authors\":\"x\"}",
         "field 'authors' must be an array of strings"},
        {"{\"edition\":\"english\",\"channel\":\"news\",\"title\":\"t\",\"status\":\"live\"}",
         "field 'status' must be draft"},
        {"{\"edition\":\"english\",\"channel\":\"news\",\"title\":\"t\",\"status\":"
         "\"published\"}",
         "field 'published_at' is required for status published"},
        {"{\"edition\":\"english\",\"channel\":\"news\",\"title\":\"t\",\"published_at\":"
         "\"yesterday\"}",
         "field 'published_at' must be RFC 3339"},
        {"{\"edition\":\"english\",\"channel\":\"news\",\"title\":\"t\",\"id\":-4}",
         "field 'id' must be a positive whole number"},
        {"{\"edition\":\"english\",\"channel\":\"news\",\"title\":\"t\",\"id\":1.5}",
         "field 'id' must be a positive whole number"},
        {"{\"edition\":\"english\",\"channel\":\"news\",\"title\":\"a\\u0001b\"}",
         "control character"},
        {"{\"edition\":\"english\",\"channel\":\"news\",\"title\":\"a\\u0000b\"}",
         "malformed JSON"},
        {"{\"edition\":\"english\",\"channel\":\"news\",\"title\":\"t\",\"title\":\"u\"}",
         "malformed JSON"},
        {"{\"edition\":\"english\",\"channel\":\"news\",\"title\":\"t\",\"images\":[{}]}",
         "images[0]: field 'file' is required"},
        {"{\"edition\":\"english\",\"channel\":\"news\",\"title\":\"t\",\"images\":[{\"file\":"
         "\"a.png\",\"size\":3}]}",
         "images[0]: unknown field 'size'"},
        {"{\"edition\":\"english\",\"channel\":\"news\",\"title\":\"t\",\"body_format\":"
         "\"rtf\"}",
         "field 'body_format' must be"},
        {"{\"edition\":\"english\",\"channel\":\"news\",\"title\":\"caf\xc3\x28\"}",
         "not valid UTF-8 (byte"},
    };
    struct arena a;
    struct article art;
    char err[512];
    arena_init(&a, 0);
    for (size_t i = 0; i < MH_ARRAY_LEN(cases); i++) {
        int rc = jsonl_parse_article(str_c(cases[i].line), &a, &art, err, sizeof(err));
        if (rc == MH_OK || strstr(err, cases[i].reason) == NULL) {
            fprintf(stderr, "case %zu: rc %d, reason '%s', want '%s'\n", i, rc, err,
                    cases[i].reason);
            fail();
        }
    }
    arena_release(&a);
}

static void test_field_limits(void **state)
{
    (void)state;
    struct arena a;
    struct article art;
    struct buf line;
    char err[512];
    arena_init(&a, 0);
    buf_init(&line, NULL, 64 * MH_MIB);
    buf_adds(&line, "{\"edition\":\"english\",\"channel\":\"news\",\"title\":\"");
    for (size_t i = 0; i < MH_MAX_FIELD + 1; i++)
        buf_addc(&line, 'x');
    buf_adds(&line, "\"}");
    assert_int_equal(jsonl_parse_article(buf_str(&line), &a, &art, err, sizeof(err)),
                     MH_TOOBIG);
    assert_non_null(strstr(err, "field 'title' is longer than"));
    buf_release(&line);
    arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_good),  cmocka_unit_test(test_write_then_parse),
        cmocka_unit_test(test_html_body_is_sanitized), cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_field_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
