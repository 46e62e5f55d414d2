/* SPDX-License-Identifier: MIT */
/*
 * body_test.c - the API's request bodies: an article is an import record
 * (the interchange parser's checks, with the field at fault named), the
 * envelope rules of POST and PUT, and transitions.
 */
#include "../check.h"

#include "api/api.h"
#include "core/arena.h"
#include "core/err.h"

static struct arena A;

static int post(const char *json, struct api_article_body *b, struct api_error *e)
{
    memset(e, 0, sizeof(*e));
    return api_parse_article(str_c(json), false, &A, b, e);
}

static int put(const char *json, struct api_article_body *b, struct api_error *e)
{
    memset(e, 0, sizeof(*e));
    return api_parse_article(str_c(json), true, &A, b, e);
}

/* BODY is refused by POST with STATUS, naming FIELD ("" for none). */
static void refused(const char *body, int status, const char *field)
{
    struct api_article_body b;
    struct api_error e;
    if (post(body, &b, &e) == MH_OK) {
        fprintf(stderr, "accepted: %s\n", body);
        fail();
    }
    if (e.status != status || strcmp(e.field, field) != 0) {
        fprintf(stderr, "%s: got %d field '%s' (%s), want %d '%s'\n", body, e.status, e.field,
                e.message, status, field);
        fail();
    }
    assert_true(e.message[0] != '\0');
}

static void test_post_takes_an_import_record(void **state)
{
    struct api_article_body b;
    struct api_error e;
    (void)state;
    assert_int_equal(post("{\"edition\":\"english\",\"channel\":\"news\",\"title\":\"  A lab "
                          "opens \",\"authors\":[\"Li Wei\"],\"keywords\":[\"lab\"],"
                          "\"body\":\"# Hi\\n\\ntext\",\"status\":\"draft\","
                          "\"images\":[{\"file\":\"media/ab/x.png\",\"alt\":\"a\"}]}",
                          &b, &e),
                     MH_OK);
    CHECK_STR(b.a.title, "A lab opens");
    CHECK_STR(b.a.edition, "english");
    assert_int_equal(b.a.n_authors, 1);
    CHECK_STR(b.a.authors[0], "Li Wei");
    assert_int_equal(b.a.status, ARTICLE_DRAFT);
    assert_true(b.has_status);
    assert_false(b.has_published_at);
    assert_int_equal(b.a.n_images, 1);
    CHECK_STR(b.a.images[0].path, "media/ab/x.png");
    /* an HTML body is cleaned as on import */
    assert_int_equal(post("{\"edition\":\"english\",\"channel\":\"news\",\"title\":\"t\","
                          "\"body_format\":\"html\",\"body\":\"<p onclick=x>hi<script>1"
                          "</script></p>\"}",
                          &b, &e),
                     MH_OK);
    assert_null(strstr(b.a.body.ptr, "script"));
    assert_null(strstr(b.a.body.ptr, "onclick"));
    /* read-only fields of a GET answer are ignored */
    assert_int_equal(post("{\"edition\":\"zh\",\"channel\":\"news\",\"title\":\"标题\","
                          "\"url\":\"/x\",\"created_at\":1,\"updated_at\":null,"
                          "\"last_published_at\":\"z\"}",
                          &b, &e),
                     MH_OK);
    CHECK_STR(b.a.title, "标题");
}

static void test_post_refusals_name_the_field(void **state)
{
    (void)state;
    refused("", 400, "");
    refused("{", 400, "");
    refused("[1]", 400, "");
    refused("{\"title\":\"a\",\"title\":\"b\",\"edition\":\"english\",\"channel\":\"news\"}", 400,
            "");
    refused("{\"edition\":\"english\",\"channel\":\"news\"}", 400, "title");
    refused("{\"channel\":\"news\",\"title\":\"t\"}", 400, "edition");
    refused("{\"edition\":\"english\",\"channel\":\"news\",\"title\":\"   \"}", 400, "title");
    refused("{\"edition\":\"english\",\"channel\":\"news\",\"title\":\"a\\u0001b\"}", 400,
            "title");
    refused("{\"edition\":\"english\",\"channel\":\"news\",\"title\":7}", 400, "title");
    refused("{\"edition\":\"english\",\"channel\":\"news\",\"title\":\"t\",\"colour\":1}", 400,
            "colour");
    refused("{\"edition\":\"english\",\"channel\":\"news\",\"title\":\"t\",\"authors\":\"x\"}",
            400, "authors");
    refused("{\"edition\":\"english\",\"channel\":\"news\",\"title\":\"t\",\"keywords\":[\"\"]}",
            400, "keywords");
    refused("{\"edition\":\"english\",\"channel\":\"news\",\"title\":\"t\","
            "\"body_format\":\"rtf\"}",
            400, "body_format");
    refused("{\"edition\":\"english\",\"channel\":\"news\",\"title\":\"t\",\"images\":[{}]}", 400,
            "images");
    refused("{\"edition\":\"english\",\"channel\":\"news\",\"title\":\"t\","
            "\"images\":[{\"file\":\"a\",\"x\":1}]}",
            400, "images");
    /* the workflow, not a create, sets these */
    refused("{\"edition\":\"english\",\"channel\":\"news\",\"title\":\"t\",\"status\":"
            "\"published\"}",
            400, "status");
    refused("{\"edition\":\"english\",\"channel\":\"news\",\"title\":\"t\",\"status\":\"nope\"}",
            400, "status");
    refused("{\"edition\":\"english\",\"channel\":\"news\",\"title\":\"t\",\"published_at\":"
            "\"2026-03-06T09:39:50.194+08:00\"}",
            400, "published_at");
    refused("{\"edition\":\"english\",\"channel\":\"news\",\"title\":\"t\",\"id\":5}", 400, "id");
    refused("{\"edition\":\"english\",\"channel\":\"news\",\"title\":\"t\",\"revision\":1}", 400,
            "revision");
    refused("{\"edition\":\"english\",\"channel\":\"news\",\"title\":\"t\",\"note\":\"n\"}", 400,
            "note");
}

static void test_a_long_title_is_413(void **state)
{
    char *big = malloc(MH_MAX_FIELD + 200);
    (void)state;
    int n = snprintf(big, 200, "{\"edition\":\"english\",\"channel\":\"news\",\"title\":\"");
    memset(big + n, 'x', MH_MAX_FIELD + 1);
    memcpy(big + n + MH_MAX_FIELD + 1, "\"}", 3);
    refused(big, 413, "title");
    free(big);
}

static void test_put_needs_the_revision(void **state)
{
    struct api_article_body b;
    struct api_error e;
    (void)state;
    assert_int_not_equal(put("{\"edition\":\"english\",\"channel\":\"news\",\"title\":\"t\"}",
                             &b, &e),
                         MH_OK);
    assert_string_equal(e.field, "revision");
    assert_int_not_equal(put("{\"revision\":\"2\",\"edition\":\"english\",\"channel\":\"news\","
                             "\"title\":\"t\"}",
                             &b, &e),
                         MH_OK);
    assert_string_equal(e.field, "revision");
    assert_int_not_equal(put("{\"revision\":0,\"edition\":\"english\",\"channel\":\"news\","
                             "\"title\":\"t\"}",
                             &b, &e),
                         MH_OK);
    assert_string_equal(e.field, "revision");
    assert_int_not_equal(put("{\"revision\":2,\"note\":\"a\\nb\",\"edition\":\"english\","
                             "\"channel\":\"news\",\"title\":\"t\"}",
                             &b, &e),
                         MH_OK);
    assert_string_equal(e.field, "note");
    assert_int_equal(put("{\"id\":9,\"revision\":3,\"note\":\"typo\",\"edition\":\"english\","
                         "\"channel\":\"news\",\"title\":\"t\",\"status\":\"published\","
                         "\"published_at\":\"2026-03-06T09:39:50.194+08:00\",\"url\":\"/x\"}",
                         &b, &e),
                     MH_OK);
    assert_int_equal(b.revision, 3);
    assert_int_equal(b.a.id, 9);
    CHECK_STR(b.note, "typo");
    assert_true(b.has_status);
    assert_int_equal(b.a.status, ARTICLE_PUBLISHED);
    assert_true(b.has_published_at);
    assert_int_equal(b.a.first_published_at, INT64_C(1772761190194));
}

static void test_transitions(void **state)
{
    enum article_status to;
    int64_t at;
    struct str note;
    struct api_error e = {0};
    (void)state;
    assert_int_equal(api_parse_transition(STR_LIT("{\"to\":\"submitted\"}"), &A, &to, &at, &note,
                                          &e),
                     MH_OK);
    assert_int_equal(to, ARTICLE_SUBMITTED);
    assert_int_equal(at, 0);
    assert_int_equal(api_parse_transition(STR_LIT("{\"to\":\"scheduled\",\"at\":"
                                                  "\"2026-03-06T09:39:50.194+08:00\"}"),
                                          &A, &to, &at, &note, &e),
                     MH_OK);
    assert_int_equal(to, ARTICLE_SCHEDULED);
    assert_int_equal(at, INT64_C(1772761190194));
    assert_int_equal(api_parse_transition(STR_LIT("{\"to\":\"draft\",\"note\":\"fix the "
                                                  "lede\\nplease\"}"),
                                          &A, &to, &at, &note, &e),
                     MH_OK);
    CHECK_STR(note, "fix the lede\nplease");
    static const struct {
        const char *body, *field;
    } bad[] = {
        {"{}", "to"},
        {"{\"to\":\"gone\"}", "to"},
        {"{\"to\":3}", "to"},
        {"{\"to\":\"scheduled\",\"at\":\"tomorrow\"}", "at"},
        {"{\"to\":\"scheduled\",\"at\":5}", "at"},
        {"{\"to\":\"draft\",\"note\":\"a\\u0000b\"}", ""},
        {"{\"to\":\"draft\",\"note\":\"a\\u0007b\"}", "note"},
        {"{\"to\":\"draft\",\"why\":\"x\"}", "why"},
        {"[\"to\"]", ""},
        {"", ""},
    };
    for (size_t i = 0; i < MH_ARRAY_LEN(bad); i++) {
        memset(&e, 0, sizeof(e));
        assert_int_not_equal(api_parse_transition(str_c(bad[i].body), &A, &to, &at, &note, &e),
                             MH_OK);
        assert_int_equal(e.status, 400);
        if (strcmp(e.field, bad[i].field) != 0) {
            fprintf(stderr, "%s: field '%s' (%s)\n", bad[i].body, e.field, e.message);
            fail();
        }
    }
}

static int setup(void **state)
{
    (void)state;
    arena_init(&A, 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    arena_release(&A);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_post_takes_an_import_record),
        cmocka_unit_test(test_post_refusals_name_the_field),
        cmocka_unit_test(test_a_long_title_is_413),
        cmocka_unit_test(test_put_needs_the_revision),
        cmocka_unit_test(test_transitions),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
