/* SPDX-License-Identifier: MIT */
/*
 * jread_test.c - core/jread: accept and reject lists for every rule in
 * jread.h, each also checked against jansson by the oracle of
 * tests/fuzz/fuzz_jread.c (included below), plus values, positions, depth,
 * wide objects and an exhaustive UTF-8 sweep against core/utf8.
 */
#include "../check.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/jread.h"
#include "core/utf8.h"

#include "../fuzz/fuzz_jread.c"

/* Parse LEN bytes of TEXT; fail unless the rc is WANT and jansson agrees. */
static int check_case(const char *text, size_t len, int want, const char *file, int line)
{
    char why[512] = "";
    int rc;
    bool agree = diff_agree(text, len, &rc, why, sizeof(why));
    if (!agree || rc != want) {
        fprintf(stderr, "%s:%d: '%.*s': rc %d (want %d)%s%s\n", file, line, (int)len, text, rc,
                want, agree ? "" : ", disagrees with jansson: ", agree ? "" : why);
        fail();
    }
    return rc;
}
#define ACCEPT(lit) check_case(lit, sizeof(lit) - 1, MH_OK, __FILE__, __LINE__)
#define REJECT(lit) check_case(lit, sizeof(lit) - 1, MH_INVAL, __FILE__, __LINE__)

/* Parse a NUL-terminated TEXT that must succeed; the tree lives in A. */
static struct jval *parse_ok(struct arena *a, const char *text)
{
    struct jval *v = NULL;
    struct jread_error err;
    int rc = jread_parse(str_c(text), a, &v, &err);
    if (rc != MH_OK) {
        fprintf(stderr, "'%s': %s\n", text, err.text);
        fail();
    }
    return v;
}

/* The error text for TEXT, which must fail with RC. */
static const char *parse_err(const char *text, size_t len, int rc, struct jread_error *err)
{
    struct arena a;
    struct jval *v = (struct jval *)1;
    arena_init(&a, 0);
    assert_int_equal(jread_parse(str_make(text, len), &a, &v, err), rc);
    assert_null(v);
    arena_release(&a);
    return err->text;
}

static void test_literals_and_white_space(void **state)
{
    (void)state;
    ACCEPT("null");
    ACCEPT("true");
    ACCEPT("false");
    ACCEPT(" \t\r\n null \t\r\n");
    ACCEPT("[ ]");
    ACCEPT("{ }");
    ACCEPT("[\n1 ,\t2\r]");
    REJECT("");
    REJECT("   ");
    REJECT("nul");
    REJECT("nulll");
    REJECT("True");
    REJECT("NULL");
    REJECT("truefalse");
    REJECT("true false");
    REJECT("[true1]");
    REJECT("\fnull");    /* form feed is not JSON white space */
    REJECT("\vnull");
    REJECT("\xC2\xA0null"); /* nor is U+00A0 */
    REJECT("\xEF\xBB\xBFnull"); /* nor a BOM */
    REJECT("undefined");
    REJECT("NaN");
    REJECT("Infinity");
    REJECT("-Infinity");
    REJECT("// comment\nnull");
    REJECT("/* comment */ null");
    REJECT("null // comment");
    REJECT("# comment\nnull");
}

static void test_structure(void **state)
{
    (void)state;
    ACCEPT("[]");
    ACCEPT("{}");
    ACCEPT("[[], {}, [[]], {\"a\": {}}]");
    ACCEPT("{\"a\": [1, {\"b\": null}], \"c\": \"d\"}");
    ACCEPT("[1,2,3]");
    REJECT("[");
    REJECT("]");
    REJECT("{");
    REJECT("}");
    REJECT("[1,]");
    REJECT("[,1]");
    REJECT("[1,,2]");
    REJECT("[1 2]");
    REJECT("[1;2]");
    REJECT("{\"a\":1,}");
    REJECT("{,}");
    REJECT("{\"a\"}");
    REJECT("{\"a\" 1}");
    REJECT("{\"a\"::1}");
    REJECT("{\"a\":}");
    REJECT("{a:1}");
    REJECT("{'a':1}");
    REJECT("{1:1}");
    REJECT("{null:1}");
    REJECT("{[]:1}");
    REJECT("['a']");
    REJECT("'a'");
    REJECT("[1]]");
    REJECT("{}}");
    REJECT("[1] [2]");
    REJECT("1 2");
    REJECT("{\"a\":1 \"b\":2}");
    REJECT("[\"a\":1]");
    REJECT("{\"a\",1}");
}

static void test_numbers(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a, 0);
    ACCEPT("0");
    ACCEPT("-0");
    ACCEPT("1");
    ACCEPT("-1");
    ACCEPT("1234567890");
    ACCEPT("0.5");
    ACCEPT("-0.0");
    ACCEPT("1.5e10");
    ACCEPT("1E5");
    ACCEPT("1e+5");
    ACCEPT("1e-5");
    ACCEPT("0e0");
    ACCEPT("1.7976931348623157e308");
    ACCEPT("1e-400"); /* underflows to 0: jansson accepts */
    ACCEPT("4.9e-324");
    ACCEPT("123456789012345678901234567890.0");
    ACCEPT("1e0000000000000000000000001");
    ACCEPT("9223372036854775807");
    ACCEPT("-9223372036854775808");
    ACCEPT("[0,-0,1,-1]");
    ACCEPT("{\"n\":-12.5e-3}");
    REJECT("9223372036854775808"); /* jansson: too big integer */
    REJECT("-9223372036854775809");
    REJECT("123456789012345678901234567890");
    REJECT("1e400"); /* jansson: real number overflow */
    REJECT("-1e400");
    REJECT("1.8e308");
    REJECT("01");
    REJECT("-01");
    REJECT("00");
    REJECT("0.5.5");
    REJECT("+1");
    REJECT(".5");
    REJECT("1.");
    REJECT("1.e5");
    REJECT("-");
    REJECT("--1");
    REJECT("-a");
    REJECT("1e");
    REJECT("1e+");
    REJECT("1e-");
    REJECT("1e+-1");
    REJECT("0x10");
    REJECT("0X10");
    REJECT("1_000");
    REJECT("[1.]");
    REJECT("[-]");
    REJECT("[01]");
    REJECT("1 000");

    struct jval *v = parse_ok(&a, "9223372036854775807");
    assert_int_equal(v->type, JV_NUMBER);
    assert_true(v->is_int);
    assert_true(v->i == INT64_MAX);
    v = parse_ok(&a, "-9223372036854775808");
    assert_true(v->is_int && v->i == INT64_MIN);
    v = parse_ok(&a, "-0");
    assert_true(v->is_int && v->i == 0);
    CHECK_STR(v->str, "-0");
    v = parse_ok(&a, " -12.5e-1 ");
    assert_false(v->is_int);
    assert_true(v->d == -1.25);
    CHECK_STR(v->str, "-12.5e-1");
    v = parse_ok(&a, "1e-400");
    assert_false(v->is_int);
    assert_true(v->d == 0.0);
    v = parse_ok(&a, "1.0");
    assert_false(v->is_int); /* a real, though integral */
    assert_true(v->d == 1.0);
    /* a long real goes through the heap copy for strtod */
    char longreal[128] = "1.";
    memset(longreal + 2, '0', 100);
    memcpy(longreal + 102, "e2", 3);
    v = parse_ok(&a, longreal);
    assert_false(v->is_int);
    assert_true(v->d == 100.0);
    /* strtod must stop at the token, not read the neighbour */
    v = parse_ok(&a, "[1.5,2e1]");
    assert_true(v->items[0].d == 1.5 && v->items[1].d == 20.0);
    arena_release(&a);
}

static void test_strings(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a, 0);
    ACCEPT("\"\"");
    ACCEPT("\"abc\"");
    ACCEPT("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\"");
    ACCEPT("\"\\u0041\\u00e9\\u00E9\\u4e2d\\uFFFF\"");
    ACCEPT("\"\\uD83D\\uDE00\"");   /* a surrogate pair */
    ACCEPT("\"\\udbff\\udfff\"");   /* U+10FFFF */
    ACCEPT("\"\\u0001\\u001f\"");   /* escaped controls are fine */
    ACCEPT("\"\x7f\"");             /* DEL is not a JSON control */
    ACCEPT("\"caf\xC3\xA9 \xE4\xB8\xAD\xE6\x96\x87 \xF0\x9F\x98\x80\"");
    ACCEPT("\"\xEF\xBF\xBF\xF4\x8F\xBF\xBF\"");   /* U+FFFF, U+10FFFF */
    ACCEPT("\"/* not a comment */\"");
    REJECT("\"abc");
    REJECT("\"abc\\\"");
    REJECT("\"\\");
    REJECT("\"\\u12");
    REJECT("\"\\u12\"");
    REJECT("\"\\u12G4\"");
    REJECT("\"\\u 123\"");
    REJECT("\"\\q\"");
    REJECT("\"\\x41\"");
    REJECT("\"\\U0041\"");
    REJECT("\"\\'\"");
    REJECT("\"\\0\"");
    REJECT("\"\\\xC3\xA9\"");
    REJECT("'abc'");
    REJECT("\"a\tb\"");   /* raw controls */
    REJECT("\"a\nb\"");
    REJECT("\"a\rb\"");
    REJECT("\"\x01\"");
    REJECT("\"\x1f\"");
    REJECT("\"\\u0000\""); /* jansson without JSON_ALLOW_NUL */
    REJECT("\"a\\u0000b\"");
    REJECT("{\"\\u0000\":1}");
    REJECT("\"\\uD800\"");  /* lone high */
    REJECT("\"\\uDBFF\"");
    REJECT("\"\\uDC00\"");  /* lone low */
    REJECT("\"\\uDFFF\"");
    REJECT("\"\\uDC00\\uD800\"");  /* reversed */
    REJECT("\"\\uD800\\uD800\"");
    REJECT("\"\\uD800\\u0041\"");
    REJECT("\"\\uD800x\"");
    REJECT("\"\\uD800\\n\"");
    REJECT("\"\\uD800\\\"");
    REJECT("\"\\uD83D\\uDE0\"");
    REJECT("\"\x80\"");          /* bad UTF-8: lone continuation */
    REJECT("\"\xBF\"");
    REJECT("\"\xC0\xAF\"");      /* overlong */
    REJECT("\"\xC1\xBF\"");
    REJECT("\"\xE0\x80\xAF\"");
    REJECT("\"\xE0\x9F\xBF\"");
    REJECT("\"\xF0\x8F\xBF\xBF\"");
    REJECT("\"\xED\xA0\x80\"");  /* an encoded surrogate */
    REJECT("\"\xED\xBF\xBF\"");
    REJECT("\"\xF4\x90\x80\x80\""); /* past U+10FFFF */
    REJECT("\"\xF5\x80\x80\x80\"");
    REJECT("\"\xF8\x88\x80\x80\x80\"");
    REJECT("\"\xFE\"");
    REJECT("\"\xFF\"");
    REJECT("\"\xE4\xB8\"");      /* truncated */
    REJECT("\"\xE4\xB8");
    REJECT("\"\xC3\"");
    REJECT("\"\xC3");
    REJECT("\"\xF0\x9F\x98\"");
    REJECT("\"\xC3\x28\"");
    REJECT("\"abcdefgh\xE4\xB8\xADxyz\x80\"");
    REJECT("[\"a\"]\xC3");      /* bad UTF-8 after the value */

    /* no escapes: borrowed from the input; escapes: decoded into the arena */
    const char *text = "[\"plain\", \"esc\\naped \\u00e9\\uD83D\\uDE00\\\"\"]";
    struct jval *v = parse_ok(&a, text);
    assert_int_equal(v->n_items, 2);
    CHECK_STR(v->items[0].str, "plain");
    assert_ptr_equal(v->items[0].str.ptr, text + 2);
    CHECK_STR(v->items[1].str, "esc\naped \xC3\xA9\xF0\x9F\x98\x80\"");
    assert_true(v->items[1].str.ptr < text || v->items[1].str.ptr > text + strlen(text));
    v = parse_ok(&a, "\"\\/\\\\\\b\\f\\n\\r\\t\\u0001\"");
    CHECK_STR(v->str, "/\\\b\f\n\r\t\x01");
    arena_release(&a);
}

/* A long string through every alignment of the 8-byte scan, with each kind of
 * stop (escape, quote, control, UTF-8) at each offset. */
static void test_string_scan_alignment(void **state)
{
    (void)state;
    static const char *const stops[] = {"\\n", "\\u00e9", "\xC3\xA9", "\xE4\xB8\xAD",
                                        "\xF0\x9F\x98\x80", "\x7f", "\\\\", "\\\""};
    static const char *const bad[] = {"\n", "\x01", "\x80", "\xC3", "\xED\xA0\x80", "\\x"};
    char text[128];
    for (size_t pre = 0; pre < 24; pre++) {
        for (size_t post = 0; post < 12; post++) {
            for (size_t k = 0; k < MH_ARRAY_LEN(stops) + MH_ARRAY_LEN(bad); k++) {
                bool good = k < MH_ARRAY_LEN(stops);
                const char *mid = good ? stops[k] : bad[k - MH_ARRAY_LEN(stops)];
                size_t n = 0;
                text[n++] = '"';
                for (size_t i = 0; i < pre; i++)
                    text[n++] = (char)('a' + i % 26);
                memcpy(text + n, mid, strlen(mid));
                n += strlen(mid);
                for (size_t i = 0; i < post; i++)
                    text[n++] = (char)('A' + i % 26);
                text[n++] = '"';
                check_case(text, n, good ? MH_OK : MH_INVAL, __FILE__, __LINE__);
                /* and cut short: never reads past the end */
                check_case(text, n - 1, MH_INVAL, __FILE__, __LINE__);
            }
        }
    }
}

static void test_duplicate_keys(void **state)
{
    (void)state;
    struct jread_error err;
    ACCEPT("{\"a\":1,\"A\":2,\"b\":{\"a\":3}}"); /* other case, other object: fine */
    ACCEPT("[{\"a\":1},{\"a\":2}]");
    ACCEPT("{\"\":1,\"a\":2}");
    REJECT("{\"a\":1,\"a\":2}");
    REJECT("{\"a\":1,\"a\":1}");
    REJECT("{\"\":1,\"\":2}");
    REJECT("{\"a\":1,\"\\u0061\":2}"); /* the same key once decoded */
    REJECT("{\"\xC3\xA9\":1,\"\\u00e9\":2}");
    REJECT("{\"x\":{\"a\":1,\"b\":2,\"a\":3}}");
    parse_err("{\"title\":\"x\",\"title\":\"y\"}", 25, MH_INVAL, &err);
    assert_string_equal(err.text, "line 1, column 14: duplicate key 'title'");
    assert_int_equal(err.offset, 13);
}

/* N distinct keys, plus a repeat of key DUP when DUP < N. */
static char *wide_object(size_t n, size_t dup, size_t *len)
{
    struct buf b;
    buf_init(&b, NULL, 64 * n + 64);
    buf_addc(&b, '{');
    for (size_t i = 0; i < n; i++)
        buf_addf(&b, "%s\"key%zu\":%zu", i ? "," : "", i * 7919 % n, i);
    if (dup < n)
        buf_addf(&b, ",\"key%zu\":0", dup);
    buf_addc(&b, '}');
    assert_int_equal(b.err, MH_OK);
    return buf_take(&b, len);
}

static void test_wide_objects(void **state)
{
    (void)state;
    struct jread_error err;
    struct arena a;
    size_t len;
    char why[512];
    int rc;
    arena_init(&a, 0);
    static const size_t sizes[] = {2, 23, 24, 25, 26, 100, 5000};
    for (size_t k = 0; k < MH_ARRAY_LEN(sizes); k++) {
        size_t n = sizes[k];
        char *t = wide_object(n, n, &len);
        assert_true(diff_agree(t, len, &rc, why, sizeof(why)));
        assert_int_equal(rc, MH_OK);
        free(t);
        for (size_t dup = 0; dup < n; dup += n / 3 + 1) {
            t = wide_object(n, dup, &len);
            assert_true(diff_agree(t, len, &rc, why, sizeof(why)));
            assert_int_equal(rc, MH_INVAL);
            char want[64];
            snprintf(want, sizeof(want), "duplicate key 'key%zu'", dup);
            assert_non_null(strstr(parse_err(t, len, MH_INVAL, &err), want));
            free(t);
        }
    }
    /* hostile: 200000 keys closes in O(n log n) */
    char *t = wide_object(200000, 200000, &len);
    struct jval *v;
    assert_int_equal(jread_parse(str_make(t, len), &a, &v, &err), MH_OK);
    assert_int_equal(v->n_members, 200000);
    assert_non_null(jval_get(v, "key199999"));
    free(t);
    t = wide_object(200000, 5, &len);
    assert_int_equal(jread_parse(str_make(t, len), &a, &v, &err), MH_INVAL);
    free(t);
    arena_release(&a);
}

static char *nested(size_t depth, bool objects, size_t *len)
{
    struct buf b;
    buf_init(&b, NULL, 16 * depth + 16);
    for (size_t i = 0; i < depth; i++)
        buf_adds(&b, objects ? "{\"k\":" : "[");
    buf_adds(&b, "0");
    for (size_t i = 0; i < depth; i++)
        buf_addc(&b, objects ? '}' : ']');
    return buf_take(&b, len);
}

static void test_depth(void **state)
{
    (void)state;
    struct jread_error err;
    size_t len;
    char why[512];
    int rc;
    for (int objects = 0; objects < 2; objects++) {
        char *t = nested(JREAD_MAX_DEPTH, objects, &len);
        assert_true(diff_agree(t, len, &rc, why, sizeof(why)));
        assert_int_equal(rc, MH_OK);
        free(t);
        t = nested(JREAD_MAX_DEPTH + 1, objects, &len);
        assert_true(diff_agree(t, len, &rc, why, sizeof(why)));
        assert_int_equal(rc, MH_TOOBIG); /* jansson accepts: documented */
        assert_non_null(strstr(parse_err(t, len, MH_TOOBIG, &err), "nested deeper than 64"));
        assert_int_equal(err.offset, objects ? 5 * JREAD_MAX_DEPTH : JREAD_MAX_DEPTH);
        free(t);
        t = nested(100000, objects, &len); /* no stack overflow */
        assert_int_equal(parse_err(t, len, MH_TOOBIG, &err)[0], 'l');
        free(t);
    }
    /* depth counts open containers, not values */
    char *t = nested(JREAD_MAX_DEPTH, false, &len);
    t[JREAD_MAX_DEPTH] = '[';
    assert_int_equal(parse_err(t, len, MH_TOOBIG, &err)[0], 'l');
    free(t);
}

static void test_nul_bytes(void **state)
{
    (void)state;
    struct jread_error err;
    /* documented difference: jansson drops one NUL after a number or literal */
    REJECT("1\0");
    REJECT("[1\0]");
    REJECT("[true\0,null\0]");
    REJECT("{\"a\":-1.5\0}");
    /* elsewhere both reject */
    REJECT("\0");
    REJECT("\0 1");
    REJECT("[\0]");
    REJECT("\"\0\"");
    REJECT("[\"a\"\0]");
    REJECT("1\0\0");
    assert_string_equal(parse_err("[1\0]", 4, MH_INVAL, &err),
                        "line 1, column 3: expected ',' or ']', found 0x00");
}

static void test_error_positions(void **state)
{
    (void)state;
    struct jread_error err;
#define ERR(lit, rc) parse_err(lit, sizeof(lit) - 1, rc, &err)
    assert_string_equal(ERR("[1,\n 2,\n \"a\\qb\"]", MH_INVAL),
                        "line 3, column 4: invalid escape '\\q'");
    assert_int_equal(err.offset, 11);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 4);
    assert_string_equal(ERR("", MH_INVAL), "line 1, column 1: unexpected end of input");
    assert_string_equal(ERR("[1,", MH_INVAL), "line 1, column 4: unexpected end of input");
    assert_string_equal(ERR("{\"a\":", MH_INVAL), "line 1, column 6: unexpected end of input");
    assert_string_equal(ERR("{\"a\" 1}", MH_INVAL), "line 1, column 6: expected ':', found '1'");
    assert_string_equal(ERR("[1 2]", MH_INVAL), "line 1, column 4: expected ',' or ']', found '2'");
    assert_string_equal(ERR("{\"a\":1 \"b\":2}", MH_INVAL),
                        "line 1, column 8: expected ',' or '}', found '\"'");
    assert_string_equal(ERR("{1:1}", MH_INVAL),
                        "line 1, column 2: expected a string key, found '1'");
    assert_string_equal(ERR("[1,]", MH_INVAL), "line 1, column 4: expected a value, found ']'");
    assert_string_equal(ERR("1 2", MH_INVAL),
                        "line 1, column 3: expected the end of input after the value, found '2'");
    assert_string_equal(ERR("\"abc", MH_INVAL), "line 1, column 1: unterminated string");
    assert_string_equal(ERR("\"a\tb\"", MH_INVAL),
                        "line 1, column 3: control character 0x09 in string");
    /* columns count characters: the bad byte follows three of them in 7 bytes */
    assert_string_equal(ERR("\"\xC3\xA9\xE4\xB8\xAD\x80\"", MH_INVAL),
                        "line 1, column 4: invalid UTF-8");
    assert_int_equal(err.offset, 6);
    assert_string_equal(ERR("\"\\u00G0\"", MH_INVAL),
                        "line 1, column 2: invalid \\u escape: 'G' is not a hex digit");
    assert_string_equal(ERR("\"\\u0000\"", MH_INVAL),
                        "line 1, column 2: \\u0000 is not allowed in a string");
    assert_string_equal(ERR("\"ab\\uD800\"", MH_INVAL),
                        "line 1, column 4: high surrogate \\uD800 without a low one");
    assert_string_equal(ERR("\"\\uDE00\"", MH_INVAL),
                        "line 1, column 2: lone low surrogate \\uDE00");
    assert_string_equal(ERR("01", MH_INVAL), "line 1, column 1: leading zero in a number");
    assert_string_equal(ERR("[9223372036854775808]", MH_INVAL),
                        "line 1, column 2: integer out of range: 9223372036854775808");
    assert_string_equal(ERR("1e400", MH_INVAL), "line 1, column 1: number out of range: 1e400");
    assert_string_equal(ERR("1.x", MH_INVAL),
                        "line 1, column 3: expected a digit after '.', found 'x'");
    assert_string_equal(ERR("\n\n  tru", MH_INVAL),
                        "line 3, column 3: expected a value, found 't'");
#undef ERR
    /* ERR may be NULL */
    struct arena a;
    struct jval *v;
    arena_init(&a, 0);
    assert_int_equal(jread_parse(STR_LIT("[1,"), &a, &v, NULL), MH_INVAL);
    assert_int_equal(jread_parse(STR_NULL, &a, &v, NULL), MH_INVAL);
    arena_release(&a);
}

static void test_tree_and_get(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a, 0);
    const char *text = "{\"id\": 7, \"title\": \"Storm\", \"tags\": [\"a\", \"b\"],"
                       " \"draft\": false, \"sub\": {\"x\": null}, \"empty\": [], \"none\": {}}";
    struct jval *v = parse_ok(&a, text);
    assert_int_equal(v->type, JV_OBJECT);
    assert_int_equal(v->n_members, 7);
    CHECK_STR(v->members[0].key, "id");
    CHECK_STR(v->members[6].key, "none");
    CHECK_STR(v->str, text);
    const struct jval *t = jval_get(v, "title");
    assert_non_null(t);
    assert_int_equal(t->type, JV_STRING);
    CHECK_STR(t->str, "Storm");
    assert_true(jval_get(v, "id")->is_int && jval_get(v, "id")->i == 7);
    const struct jval *tags = jval_get(v, "tags");
    assert_int_equal(tags->type, JV_ARRAY);
    assert_int_equal(tags->n_items, 2);
    CHECK_STR(tags->items[1].str, "b");
    CHECK_STR(tags->str, "[\"a\", \"b\"]");
    assert_int_equal(jval_get(v, "draft")->type, JV_FALSE);
    assert_int_equal(jval_get(jval_get(v, "sub"), "x")->type, JV_NULL);
    assert_null(jval_get(v, "missing"));
    assert_null(jval_get(v, "Title"));
    assert_null(jval_get(tags, "a"));
    assert_null(jval_get(NULL, "a"));
    assert_int_equal(jval_get(v, "empty")->n_items, 0);
    assert_null(jval_get(v, "empty")->items);
    assert_int_equal(jval_get(v, "none")->n_members, 0);
    assert_string_equal(jval_type_name(JV_OBJECT), "object");
    assert_string_equal(jval_type_name(JV_NULL), "null");
    /* many items move the scratch stacks to the heap and back */
    struct buf b;
    size_t len;
    buf_init(&b, NULL, 1 << 20);
    buf_adds(&b, "[");
    for (int i = 0; i < 1000; i++)
        buf_addf(&b, "%s{\"k%d\":[%d,\"%d\"]}", i ? "," : "", i, i, i);
    buf_adds(&b, "]");
    char *big = buf_take(&b, &len);
    char why[512];
    int rc;
    assert_true(diff_agree(big, len, &rc, why, sizeof(why)));
    assert_int_equal(rc, MH_OK);
    v = parse_ok(&a, big);
    assert_int_equal(v->n_items, 1000);
    assert_int_equal(v->items[999].members[0].value.items[0].i, 999);
    free(big);
    arena_release(&a);
}

/* Every 2-byte and 3-byte sequence, and 4-byte ones around each boundary:
 * jread accepts a string without backslashes exactly when core/utf8 calls it
 * valid UTF-8 and it has no quote or control byte. */
static void test_utf8_sweep(void **state)
{
    (void)state;
    struct arena a;
    struct jval *v;
    char text[8];
    static const unsigned char edges[] = {0x00, 0x22, 0x5C, 0x7F, 0x80, 0x8F, 0x90,
                                          0x9F, 0xA0, 0xBF, 0xC0, 0xFF};
    arena_init(&a, 1 << 20);
    for (unsigned long k = 0; k < 0x10000 + 0x1000000 + 256 * 12 * 12 * 16; k++) {
        size_t n;
        if (k < 0x10000) {
            n = 2;
            text[1] = (char)(k >> 8);
            text[2] = (char)k;
        } else if (k < 0x10000 + 0x1000000) {
            unsigned long x = k - 0x10000;
            if ((x >> 16) < 0xE0 || (x >> 16) > 0xEF) /* leads 00-DF were seen above */
                continue;
            n = 3;
            text[1] = (char)(x >> 16);
            text[2] = (char)(x >> 8);
            text[3] = (char)x;
        } else {
            unsigned long x = k - 0x10000 - 0x1000000;
            n = 4;
            text[1] = (char)(0xF0 + x % 16);
            x /= 16;
            text[2] = (char)x;
            text[3] = (char)edges[(x >> 8) % 12];
            text[4] = (char)edges[(x >> 8) / 12 % 12];
        }
        text[0] = '"';
        text[n + 1] = '"';
        struct str s = str_make(text + 1, n);
        bool want = utf8_valid(s, NULL), escape = false;
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)s.ptr[i];
            if (c < 0x20 || c == '"')
                want = false;
            escape |= c == '\\';
        }
        if (escape) /* escapes have tests of their own */
            continue;
        int rc = jread_parse(str_make(text, n + 2), &a, &v, NULL);
        if ((rc == MH_OK) != want) {
            fprintf(stderr, "UTF-8 sweep: %02X %02X %02X %02X: jread %d, utf8_valid %d\n",
                    (unsigned char)text[1], (unsigned char)text[2], (unsigned char)text[3],
                    (unsigned char)text[4], rc, want);
            fail();
        }
        if ((k & 0xFFFF) == 0)
            arena_reset(&a);
    }
    arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_literals_and_white_space),
        cmocka_unit_test(test_structure),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_string_scan_alignment),
        cmocka_unit_test(test_duplicate_keys),
        cmocka_unit_test(test_wide_objects),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_nul_bytes),
        cmocka_unit_test(test_error_positions),
        cmocka_unit_test(test_tree_and_get),
        cmocka_unit_test(test_utf8_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
