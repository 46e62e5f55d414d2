/* SPDX-License-Identifier: MIT */
/*
 * relevance_test.c - the labelled relevance set (tests/data/search/
 * relevance.json: our own articles, and queries with the articles they must
 * and must not find), run through store_search() twice: with CJK split into
 * characters and overlapping pairs (what Masthead uses) and with ICU's
 * dictionary words (MH_SEARCH_CJK=icu).  It prints recall and precision for
 * each and fails when the pairs' recall on the must-find set is under 0.95
 * or a must-not article is found.
 */
#include "../check.h"

#include <jansson.h>

#include "auth/auth.h"
#include "core/arena.h"
#include "core/err.h"
#include "search/search.h"
#include "store/store.h"

#define DAY INT64_C(86400000)
#define NOW INT64_C(1780000000000)

struct score {
    int must, found, must_not_found, retrieved, relevant_retrieved;
    int zh_must, zh_found, en_must, en_found;
};

static json_t *load_set(void)
{
    json_error_t e;
    json_t *j = json_load_file(MH_TEST_DATA "/search/relevance.json", 0, &e);
    if (j == NULL) {
        fprintf(stderr, "relevance.json:%d: %s\n", e.line, e.text);
        fail();
    }
    return j;
}

static bool in(json_t *list, int64_t id)
{
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v)
    {
        if (json_integer_value(v) == id)
            return true;
    }
    return false;
}

/* Build a site from the set (with the tokenizer mode of the environment)
 * and score every query. */
static struct score run_set(json_t *set, const char *label, bool verbose)
{
    struct score sc = {0};
    char err[1024], path[4200];
    char *dir = check_tmpdir("relevance");
    struct site *site;
    struct arena arena;
    snprintf(path, sizeof(path), "%s/site", dir);
    assert_int_equal(site_init(path, err, sizeof(err)), MH_OK);
    assert_int_equal(site_open(path, false, &site, err, sizeof(err)), MH_OK);
    arena_init(&arena, 0);
    size_t i;
    json_t *a;
    assert_int_equal(store_begin(site->store), MH_OK);
    json_array_foreach(json_object_get(set, "articles"), i, a)
    {
        struct article art = {0};
        int64_t days = json_integer_value(json_object_get(a, "days_ago"));
        art.id = json_integer_value(json_object_get(a, "id"));
        art.edition = str_c(json_string_value(json_object_get(a, "edition")));
        art.channel = STR_LIT("news");
        art.title = str_c(json_string_value(json_object_get(a, "title")));
        art.body = str_c(json_string_value(json_object_get(a, "body")));
        art.status = ARTICLE_PUBLISHED;
        art.created_at = art.updated_at = NOW - days * DAY;
        art.first_published_at = art.last_published_at = NOW - days * DAY;
        art.revision = 1;
        assert_int_equal(store_article_insert(site->store, &art), MH_OK);
    }
    assert_int_equal(store_commit(site->store), MH_OK);

    struct search_tokenizer *tok = search_tokenizer_new(SEARCH_CJK_BIGRAM);
    json_t *q;
    json_array_foreach(json_object_get(set, "queries"), i, q)
    {
        const char *text = json_string_value(json_object_get(q, "q"));
        const char *edition = json_string_value(json_object_get(q, "edition"));
        json_t *must = json_object_get(q, "must"), *must_not = json_object_get(q, "must_not");
        bool zh = strcmp(edition, "zh") == 0;
        struct search_query sq;
        struct store_search_hit *hits;
        size_t n;
        int64_t total;
        assert_int_equal(search_query_parse(tok, &arena, str_c(text), &sq), MH_OK);
        struct store_search_params p = {.q = &sq, .edition = str_c(edition), .limit = 100};
        assert_int_equal(store_search(site->store, &arena, &p, &hits, &n, &total), MH_OK);
        int found = 0;
        for (size_t k = 0; k < n; k++) {
            bool relevant = in(must, hits[k].id);
            found += relevant;
            sc.must_not_found += in(must_not, hits[k].id);
            if (verbose && !relevant)
                fprintf(stderr, "  %s: '%s' also found %lld\n", label, text,
                        (long long)hits[k].id);
        }
        if (verbose && found < (int)json_array_size(must))
            fprintf(stderr, "  %s: '%s' found %d of %zu\n", label, text, found,
                    json_array_size(must));
        sc.must += (int)json_array_size(must);
        sc.found += found;
        sc.retrieved += (int)n;
        sc.relevant_retrieved += found;
        if (zh) {
            sc.zh_must += (int)json_array_size(must);
            sc.zh_found += found;
        } else {
            sc.en_must += (int)json_array_size(must);
            sc.en_found += found;
        }
        arena_reset(&arena);
    }
    printf("%-22s recall %.3f (English %.3f, Chinese %.3f)  precision %.3f  "
           "must-not found %d\n",
           label, (double)sc.found / sc.must, (double)sc.en_found / sc.en_must,
           (double)sc.zh_found / sc.zh_must,
           sc.retrieved ? (double)sc.relevant_retrieved / sc.retrieved : 1.0, sc.must_not_found);
    search_tokenizer_free(tok);
    arena_release(&arena);
    site_close(site);
    free(dir);
    return sc;
}

static void test_relevance(void **state)
{
    (void)state;
    assert_int_equal(auth_init(), MH_OK);
    setenv("MH_NOW_MS", "1780000000000", 1);
    json_t *set = load_set();
    printf("relevance set: %zu articles, %zu queries\n",
           json_array_size(json_object_get(set, "articles")),
           json_array_size(json_object_get(set, "queries")));
    unsetenv("MH_SEARCH_CJK");
    struct score pairs = run_set(set, "CJK pairs + chars", true);
    setenv("MH_SEARCH_CJK", "icu", 1);
    struct score icu = run_set(set, "CJK ICU dictionary", true);
    unsetenv("MH_SEARCH_CJK");
    (void)icu;
    json_decref(set);
    assert_true((double)pairs.found / pairs.must >= 0.95);
    assert_int_equal(pairs.must_not_found, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_relevance)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
