/* SPDX-License-Identifier: MIT */
/* search_test.c - text analysis, the query language and snippets (src/search/). */
#include "../check.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "search/search.h"

static int collect(void *ctx, int flags, const char *term, size_t len, size_t start, size_t end)
{
    struct buf *b = ctx;
    (void)start, (void)end;
    if (b->len)
        buf_addc(b, ' ');
    buf_add(b, term, len);
    if (flags & SEARCH_TOKEN_COLOCATED)
        buf_adds(b, "+");
    return 0;
}

/* The terms of TEXT as one string ("a b+ c"; + marks a colocated term). */
static void check_terms(enum search_cjk mode, const char *text, bool query, const char *want)
{
    struct search_tokenizer *t = search_tokenizer_new(mode);
    struct buf b;
    buf_init(&b, NULL, 1 << 20);
    assert_int_equal(search_tokenize(t, str_c(text), query, collect, &b), 0);
    if (strcmp(b.data ? b.data : "", want) != 0) {
        fprintf(stderr, "terms of '%s': got '%s', want '%s'\n", text, b.data ? b.data : "",
                want);
        fail();
    }
    buf_release(&b);
    search_tokenizer_free(t);
}

static void test_latin(void **state)
{
    (void)state;
    check_terms(SEARCH_CJK_BIGRAM, "Robots", false, "robot");
    check_terms(SEARCH_CJK_BIGRAM, "robots ROBOT Robotic", false, "robot robot robot");
    check_terms(SEARCH_CJK_BIGRAM, "Café naïve Zürich façade", false, "cafe naiv zurich facad");
    check_terms(SEARCH_CJK_BIGRAM, "Straße Ærø Łódź", false, "strass aero lodz");
    check_terms(SEARCH_CJK_BIGRAM, "ＡＩ ２０２６", false, "ai 2026"); /* full-width */
    check_terms(SEARCH_CJK_BIGRAM, "don't the lab's", false, "dont the lab");
    check_terms(SEARCH_CJK_BIGRAM, "GPT-4o, 3.5 km/h", false, "gpt 4o 3 5 km h");
    check_terms(SEARCH_CJK_BIGRAM, "running ran runs", false, "run ran run");
    /* markup in a body is skipped, a lone < is not markup */
    check_terms(SEARCH_CJK_BIGRAM, "<p class=\"x\">solar</p> 3 < 4", false, "solar 3 4");
    /* queries keep what looks like a tag as words */
    check_terms(SEARCH_CJK_BIGRAM, "<script>", true, "script");
    /* a word longer than SEARCH_MAX_TERM is cut, not lost */
    char longw[200];
    memset(longw, 'x', sizeof(longw) - 1);
    longw[sizeof(longw) - 1] = '\0';
    struct search_tokenizer *t = search_tokenizer_new(SEARCH_CJK_BIGRAM);
    assert_int_equal(search_term_count(t, str_c(longw)), 1);
    /* invalid UTF-8 and controls separate words */
    assert_int_equal(search_term_count(t, STR_LIT("solar\xff\xfe" "cell\x01" "grid")), 3);
    search_tokenizer_free(t);
}

static void test_cjk(void **state)
{
    (void)state;
    /* a document gives each character and each pair at the same position */
    check_terms(SEARCH_CJK_BIGRAM, "人工智能", false, "人 人工+ 工 工智+ 智 智能+ 能");
    /* a query of one character is that character; of more, its pairs */
    check_terms(SEARCH_CJK_BIGRAM, "人", true, "人");
    check_terms(SEARCH_CJK_BIGRAM, "人工", true, "人工");
    check_terms(SEARCH_CJK_BIGRAM, "人工智能", true, "人工 工智 智能");
    /* mixed text: each script by its own rules; punctuation splits runs */
    check_terms(SEARCH_CJK_BIGRAM, "DeepSeek人工智能", true, "deepseek 人工 工智 智能");
    check_terms(SEARCH_CJK_BIGRAM, "芯片，电池", true, "芯片 电池");
    check_terms(SEARCH_CJK_BIGRAM, "かな", false, "か かな+ な");
    /* ICU's dictionary words */
    check_terms(SEARCH_CJK_ICU, "人工智能", true, "人工 智能");
    check_terms(SEARCH_CJK_ICU, "我们研究电池", false, "我们 研究 电池");
}

static void test_meta_terms(void **state)
{
    (void)state;
    /* the filter vocabulary: whole names, never stemmed */
    check_terms(SEARCH_CJK_BIGRAM, SEARCH_META_MARK "au" SEARCH_META_MARK "Jane" SEARCH_META_MARK
                "Doe " SEARCH_META_MARK "ed" SEARCH_META_MARK "english",
                false,
                SEARCH_META_MARK "au" SEARCH_META_MARK "jane" SEARCH_META_MARK "doe "
                SEARCH_META_MARK "ed" SEARCH_META_MARK "english");
}

/* The parsed query as text: clauses joined by " & ", alternatives by " | ",
 * phrases in [], exclusions prefixed with "-". */
static void check_query(const char *input, const char *want)
{
    struct search_tokenizer *t = search_tokenizer_new(SEARCH_CJK_BIGRAM);
    struct arena a;
    struct search_query q;
    struct buf b;
    arena_init(&a, 0);
    buf_init(&b, &a, 1 << 20);
    assert_int_equal(search_query_parse(t, &a, str_c(input), &q), MH_OK);
    for (size_t i = 0; i < q.n; i++) {
        if (i)
            buf_adds(&b, " & ");
        if (q.clauses[i].exclude)
            buf_addc(&b, '-');
        for (size_t k = 0; k < q.clauses[i].n; k++) {
            if (k)
                buf_adds(&b, " | ");
            for (size_t p = 0; p < q.clauses[i].alts[k].n; p++) {
                struct str ph = q.clauses[i].alts[k].phrases[p];
                buf_addf(&b, "[%.*s]", (int)ph.len, ph.ptr);
            }
        }
    }
    if (strcmp(b.data ? b.data : "", want) != 0) {
        fprintf(stderr, "query '%s': got '%s', want '%s'\n", input, b.data ? b.data : "", want);
        fail();
    }
    arena_release(&a);
    search_tokenizer_free(t);
}

static void test_query_language(void **state)
{
    (void)state;
    check_query("solar battery", "[solar] & [battery]");
    check_query("\"solar battery\" grid", "[solar battery] & [grid]");
    check_query("solar -battery", "[solar] & -[battery]");
    check_query("solar OR wind power", "[solar] | [wind] & [power]");
    check_query("solar or wind", "[solar] & [or] & [wind]"); /* only capitals are OR */
    check_query("OR solar", "[OR] & [solar]");
    check_query("solar OR", "[solar] & [OR]");
    check_query("-solar OR wind", "-[solar] & [OR] & [wind]");
    check_query("DeepSeek人工智能", "[DeepSeek][人工智能]");
    check_query("DeepSeek 人工智能", "[DeepSeek] & [人工智能]");
    check_query("“人工智能” -芯片", "[人工智能] & -[芯片]");
    /* FTS5's syntax is literal text */
    check_query("NEAR(solar battery, 5)", "[NEAR(solar] & [battery,] & [5)]");
    check_query("title:solar body:*", "[title:solar] & [body:*]");
    check_query("sol* ^grid +cell", "[sol*] & [^grid] & [+cell]");
    check_query("\"unbalanced quote", "[unbalanced quote]");
    check_query("\"\" * ( ) : ^ - -- \"", "");
    check_query("AND NOT", "[AND] & [NOT]");
}

static void test_hostile_queries(void **state)
{
    (void)state;
    struct search_tokenizer *t = search_tokenizer_new(SEARCH_CJK_BIGRAM);
    struct arena a;
    struct search_query q;
    arena_init(&a, 0);
    /* 10 KB: refused, not truncated silently */
    char *big = mh_malloc(10 * 1024);
    memset(big, 'a', 10 * 1024);
    assert_int_equal(search_query_parse(t, &a, str_make(big, 10 * 1024), &q), MH_TOOBIG);
    /* controls, NUL, invalid UTF-8 and private-use marks are spaces */
    assert_int_equal(search_query_parse(t, &a, STR_LIT("a\x00" "b\x01\x7f" "c\xff" "d\xee\x80\x80"
                                                       "e"), &q), MH_OK);
    assert_int_equal(q.n, 5);
    assert_null(memchr(q.text.ptr, 0, q.text.len));
    /* only exclusions: nothing to look for */
    assert_int_equal(search_query_parse(t, &a, STR_LIT("-solar -wind"), &q), MH_OK);
    assert_int_equal(q.n, 2);
    assert_int_equal(q.n_include, 0);
    /* more words than clauses: the rest is dropped */
    struct buf b;
    buf_init(&b, &a, 4096);
    for (int i = 0; i < 100; i++)
        buf_addf(&b, "w%d ", i);
    assert_int_equal(search_query_parse(t, &a, buf_str(&b), &q), MH_OK);
    assert_int_equal(q.n, SEARCH_MAX_CLAUSES);
    free(big);
    arena_release(&a);
    search_tokenizer_free(t);
}

static void check_snippet(const char *query, const char *text, size_t max, const char *want)
{
    struct search_tokenizer *t = search_tokenizer_new(SEARCH_CJK_BIGRAM);
    struct arena a;
    struct search_query q;
    struct buf b;
    arena_init(&a, 0);
    buf_init(&b, &a, 1 << 20);
    assert_int_equal(search_query_parse(t, &a, str_c(query), &q), MH_OK);
    search_snippet(t, &q, str_c(text), max, &b);
    if (strcmp(b.data ? b.data : "", want) != 0) {
        fprintf(stderr, "snippet: got '%s', want '%s'\n", b.data ? b.data : "", want);
        fail();
    }
    arena_release(&a);
    search_tokenizer_free(t);
}

static void test_snippets(void **state)
{
    (void)state;
    check_snippet("robots", "Two robots met a robot.", 100,
                  "Two <mark>robots</mark> met a <mark>robot</mark>.");
    /* everything else is escaped: a stored <script> never runs */
    check_snippet("alert", "x <script>alert(1)</script> & \"y\"", 100,
                  "x &lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt; &amp; &quot;y&quot;");
    check_snippet("人工智能", "发展人工智能产业", 100, "发展<mark>人工智能</mark>产业");
    check_snippet("电", "电池和电网", 100, "<mark>电</mark>池和<mark>电</mark>网");
    /* a long text is cut around the match, with ellipses */
    check_snippet("needle",
                  "one two three four five six seven eight nine ten eleven twelve thirteen "
                  "fourteen fifteen sixteen seventeen needle in the haystack and more words "
                  "after it that go on and on",
                  60, "…fifteen sixteen seventeen <mark>needle</mark> in the haystack and "
                      "more words…");
    /* no match: the start */
    check_snippet("absent", "Short text.", 100, "Short text.");
}

static void test_plain_text(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, NULL, 1 << 20);
    search_plain_text(STR_LIT("# Title\n\nSome **bold** and [a link](https://x.example/) "
                              "<b>tag</b> &amp; more.\n\n- item"),
                      &b);
    assert_string_equal(b.data, "Title Some bold and a link tag & more. item");
    buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_latin),          cmocka_unit_test(test_cjk),
        cmocka_unit_test(test_meta_terms),     cmocka_unit_test(test_query_language),
        cmocka_unit_test(test_hostile_queries), cmocka_unit_test(test_snippets),
        cmocka_unit_test(test_plain_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
