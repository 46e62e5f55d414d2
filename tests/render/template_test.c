/* SPDX-License-Identifier: MIT */
/*
 * template_test.c - tests src/render/template.c and src/render/value.c: every
 * case of the Mustache spec's required modules and of ~inheritance (read
 * from the shared conformance folder with jansson), compile errors and their
 * positions, the recursion and work ceilings, and two threads rendering one
 * compiled set.  ~lambdas and ~dynamic-names are optional and not supported.
 */
#include "core/compat.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>

#include <cmocka.h>
#include <jansson.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "json_tval.h"
#include "render/template.h"
#include "render/value.h"

#define SPEC_DIR MH_SHARED_DIR "/conformance/mustache/"

/* ------------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------------ */



static struct str jstr(json_t *j)
{
    return str_make(json_string_value(j), json_string_length(j));
}

/* Render NAME of SET against CTX into a fresh heap string (caller frees). */
static char *render(const struct tpl_set *set, const char *name, const struct tval *ctx, int *rc)
{
    struct buf out;
    buf_init(&out, NULL, MH_MAX_PAGE);
    *rc = tpl_render(set, name, ctx, &out);
    return buf_take(&out, NULL);
}

/* Add SRC to SET as NAME; it must compile. */
static void add(struct tpl_set *set, const char *name, const char *src)
{
    char err[256];
    if (tpl_set_add(set, name, str_c(src), err, sizeof(err)) != MH_OK)
        fail_msg("compile '%s': %s", name, err);
}

/* Compile one template SRC as "t" and render it against CTX; expect MH_OK. */
static void check_render(const char *src, const struct tval *ctx, const char *expected)
{
    struct tpl_set *set = tpl_set_new();
    char err[256];
    int rc = tpl_set_add(set, "t", str_c(src), err, sizeof(err));
    if (rc)
        fail_msg("compile '%s': %s", src, err);
    char *got = render(set, "t", ctx, &rc);
    assert_int_equal(rc, MH_OK);
    assert_string_equal(got, expected);
    free(got);
    tpl_set_free(set);
}

/* ------------------------------------------------------------------------
 * The spec
 * ------------------------------------------------------------------------ */

/* Compile one case's partials and template, render, compare; MH_OK if it passes. */
static int run_case(json_t *tc)
{
    struct arena a;
    struct tpl_set *set = tpl_set_new();
    const char *name = json_string_value(json_object_get(tc, "name"));
    json_t *partials = json_object_get(tc, "partials"), *p;
    const char *pname;
    char err[256];
    int rc = MH_OK;

    arena_init(&a, 0);
    json_object_foreach(partials, pname, p) {
        if (rc == MH_OK && (rc = tpl_set_add(set, pname, jstr(p), err, sizeof(err))))
            print_message("  %s: partial does not compile: %s\n", name, err);
    }
    if (rc == MH_OK &&
        (rc = tpl_set_add(set, "test case", jstr(json_object_get(tc, "template")), err,
                          sizeof(err)))) {
        print_message("  %s: does not compile: %s\n", name, err);
    } else if (rc == MH_OK) {
        struct tval *ctx = from_json(&a, json_object_get(tc, "data"));
        const char *want = json_string_value(json_object_get(tc, "expected"));
        char *got = render(set, "test case", ctx, &rc);
        if (rc || strcmp(got, want) != 0) {
            print_message("  %s: rc %d\n    template %s\n    expected [%s]\n    got      [%s]\n",
                          name, rc, json_string_value(json_object_get(tc, "template")), want,
                          got);
            rc = rc ? rc : MH_INVAL;
        }
        free(got);
    }
    tpl_set_free(set);
    arena_release(&a);
    return rc;
}

static void run_spec(const char *file)
{
    char path[1024];
    json_error_t jerr;
    int passed = 0, failed = 0;
    size_t i;
    json_t *tc;

    snprintf(path, sizeof(path), "%s%s", SPEC_DIR, file);
    json_t *root = json_load_file(path, 0, &jerr);
    if (root == NULL)
        fail_msg("cannot load '%s': %s", path, jerr.text);
    json_t *tests = json_object_get(root, "tests");
    assert_true(json_array_size(tests) > 0);
    json_array_foreach(tests, i, tc) {
        if (run_case(tc) == MH_OK)
            passed++;
        else
            failed++;
    }
    print_message("mustache spec %s: %d passed, %d failed\n", file, passed, failed);
    json_decref(root);
    assert_int_equal(failed, 0);
}

static void test_spec_interpolation(void **state)
{
    (void)state;
    run_spec("interpolation.json");
}

static void test_spec_sections(void **state)
{
    (void)state;
    run_spec("sections.json");
}

static void test_spec_inverted(void **state)
{
    (void)state;
    run_spec("inverted.json");
}

static void test_spec_partials(void **state)
{
    (void)state;
    run_spec("partials.json");
}

static void test_spec_delimiters(void **state)
{
    (void)state;
    run_spec("delimiters.json");
}

static void test_spec_comments(void **state)
{
    (void)state;
    run_spec("comments.json");
}

static void test_spec_inheritance(void **state)
{
    (void)state;
    run_spec("~inheritance.json");
}

/* ------------------------------------------------------------------------
 * Compile errors
 * ------------------------------------------------------------------------ */

static void check_error(const char *src, int want_rc, const char *want_msg)
{
    struct tpl_set *set = tpl_set_new();
    char err[256] = "";
    int rc = tpl_set_add(set, "page.html", str_c(src), err, sizeof(err));
    if (rc != want_rc || strcmp(err, want_msg) != 0)
        fail_msg("'%s': rc %d, want %d; message '%s', want '%s'", src, rc, want_rc, err, want_msg);
    assert_false(tpl_set_has(set, "page.html")); /* a failed add leaves no trace */
    tpl_set_free(set);
}

static void test_compile_errors(void **state)
{
    (void)state;
    check_error("a\n  {{#s}}x", MH_INVAL, "page.html:2:3: unclosed section 's'");
    check_error("{{#a}}{{^b}}{{/b}}\n{{/c}}", MH_INVAL,
                "page.html:2:1: closing tag 'c' does not match 'a' opened at 1:1");
    check_error("x{{/a}}", MH_INVAL, "page.html:1:2: unexpected closing tag 'a'");
    check_error("ab\n\n cd {{name", MH_INVAL, "page.html:3:5: unclosed tag");
    check_error("{{{name}}", MH_INVAL, "page.html:1:1: unclosed tag");
    check_error("{{!never closed", MH_INVAL, "page.html:1:1: unclosed tag");
    check_error("{{=<% %>}}", MH_INVAL, "page.html:1:1: bad delimiter change: no '=}}'");
    check_error("1\n{{= <% =}}", MH_INVAL, "page.html:2:1: bad delimiter change '<%'");
    check_error("{{=<% a %>=}}", MH_INVAL, "page.html:1:1: bad delimiter change '<% a %>'");
    check_error("{{=<= =>=}}", MH_INVAL, "page.html:1:1: bad delimiter change '<= =>'");
    check_error("{{=<% %>=}}\n<%#a%><%/b%>", MH_INVAL,
                "page.html:2:7: closing tag 'b' does not match 'a' opened at 2:1");
    check_error("x {{ }}", MH_INVAL, "page.html:1:3: empty tag");
    check_error("{{#}}", MH_INVAL, "page.html:1:1: empty tag");
    check_error("{{a b}}", MH_INVAL, "page.html:1:1: bad tag name 'a b'");
    check_error("{{a..b}}", MH_INVAL, "page.html:1:1: bad name 'a..b'");
    check_error("{{#.a}}{{/.a}}", MH_INVAL, "page.html:1:1: bad name '.a'");
    check_error("{{<layout}}{{$x}}{{/layout}}", MH_INVAL,
                "page.html:1:18: closing tag 'layout' does not match 'x' opened at 1:12");

    /* nesting and size ceilings */
    struct buf deep;
    buf_init(&deep, NULL, MH_MIB);
    for (int i = 0; i <= TPL_MAX_NEST; i++)
        buf_adds(&deep, "{{#a}}");
    char *src = buf_take(&deep, NULL);
    check_error(src, MH_TOOBIG, "page.html:1:601: sections nested deeper than 100");
    free(src);

    struct tpl_set *set = tpl_set_new();
    char err[128];
    char *big = mh_calloc(TPL_MAX_SOURCE + 1, 1);
    assert_int_equal(tpl_set_add(set, "big", str_make(big, TPL_MAX_SOURCE + 1), err, sizeof(err)),
                     MH_TOOBIG);
    assert_int_equal(tpl_set_add(set, "big", str_make(big, TPL_MAX_SOURCE), err, sizeof(err)),
                     MH_OK);
    assert_int_equal(tpl_set_add(set, "big", STR_LIT("again"), err, sizeof(err)), MH_CONFLICT);
    assert_string_equal(err, "big:1:1: already in the set");
    /* a tiny message buffer truncates, and a zero-length one is left alone */
    assert_int_equal(tpl_set_add(set, "x", STR_LIT("{{"), err, 4), MH_INVAL);
    assert_string_equal(err, "x:1");
    assert_int_equal(tpl_set_add(set, "x", STR_LIT("{{"), NULL, 0), MH_INVAL);
    free(big);
    tpl_set_free(set);
}

/* ------------------------------------------------------------------------
 * Rendering
 * ------------------------------------------------------------------------ */

static void test_values_and_truth(void **state)
{
    struct arena a;
    (void)state;
    arena_init(&a, 0);
    struct tval *ctx = tval_object(&a);
    tval_set(ctx, "empty", tval_strc(&a, ""));
    tval_set(ctx, "zero", tval_int(&a, 0));
    tval_set(ctx, "neg", tval_int(&a, INT64_MIN));
    tval_set(ctx, "yes", tval_bool(&a, true));
    tval_set(ctx, "obj", tval_object(&a));
    tval_set(ctx, "list", tval_list(&a));
    tval_set(ctx, "nothing", NULL);
    tval_set(ctx, "html", tval_strc(&a, "<b a='1'>&</b>"));
    check_render("[{{#empty}}E{{/empty}}{{#zero}}Z{{/zero}}{{#obj}}O{{/obj}}{{#list}}L{{/list}}"
                 "{{#nothing}}N{{/nothing}}{{^empty}}e{{/empty}}{{^zero}}z{{/zero}}]",
                 ctx, "[Oez]");
    check_render("{{neg}} {{yes}} {{obj}}{{list}}{{nothing}}{{missing.x}}|{{zero}}", ctx,
                 "-9223372036854775808 true |0");
    check_render("{{html}} {{{html}}} {{&html}}", ctx,
                 "&lt;b a=&#39;1&#39;&gt;&amp;&lt;/b&gt; <b a='1'>&</b> <b a='1'>&</b>");
    check_render("{{.}}", NULL, "");
    check_render("{{#.}}x{{/.}}{{^.}}y{{/.}}", NULL, "y");
    arena_release(&a);
}

static void test_big_objects(void **state)
{
    struct arena a;
    char key[32];
    (void)state;
    arena_init(&a, 256);
    struct tval *o = tval_object(&a);
    for (int i = 0; i < 1000; i++) {
        snprintf(key, sizeof(key), "k%d", i);
        tval_set(o, key, tval_int(&a, i));
    }
    tval_set(o, "k500", tval_int(&a, -500)); /* replaces in place */
    assert_int_equal(o->u.obj.len, 1000);
    for (int i = 0; i < 1000; i++) {
        snprintf(key, sizeof(key), "k%d", i);
        const struct tval *v = tval_get(o, key);
        assert_non_null(v);
        assert_int_equal(v->u.i, i == 500 ? -500 : i);
        assert_true(str_eq_c(o->u.obj.keys[i], key)); /* insertion order kept */
    }
    assert_null(tval_get(o, "k1000"));
    assert_null(tval_get(NULL, "k1"));
    assert_null(tval_get(tval_int(&a, 1), "k1"));
    check_render("{{k0}} {{k999}} {{k500}}", o, "0 999 -500");
    arena_release(&a);
}

static void test_layout(void **state)
{
    struct arena a;
    struct tpl_set *set = tpl_set_new();
    int rc;
    (void)state;
    arena_init(&a, 0);
    add(set, "layout",
        "<html>\n"
        "  <head><title>{{$title}}Masthead{{/title}}</title></head>\n"
        "  <body>\n"
        "    {{$body}}\n"
        "    <p>nothing here</p>\n"
        "    {{/body}}\n"
        "    {{>footer}}\n"
        "  </body>\n"
        "</html>\n");
    add(set, "footer", "<footer>\n  {{$credit}}(c){{/credit}}\n</footer>\n");
    add(set, "article",
        "{{<layout}}\n"
        "{{$title}}{{headline}} - Masthead{{/title}}\n"
        "{{$body}}\n"
        "<article>\n"
        "  <h1>{{headline}}</h1>\n"
        "  {{#tags}}\n"
        "  <a>{{.}}</a>\n"
        "  {{/tags}}\n"
        "</article>\n"
        "{{/body}}\n"
        "{{$credit}}Staff{{/credit}}\n"
        "{{/layout}}\n");
    struct tval *ctx = tval_object(&a), *tags = tval_list(&a);
    tval_set(ctx, "headline", tval_strc(&a, "Rain & wind"));
    tval_append(tags, tval_strc(&a, "weather"));
    tval_append(tags, tval_strc(&a, "local"));
    tval_set(ctx, "tags", tags);
    char *got = render(set, "article", ctx, &rc);
    assert_int_equal(rc, MH_OK);
    assert_string_equal(got, "<html>\n"
                             "  <head><title>Rain &amp; wind - Masthead</title></head>\n"
                             "  <body>\n"
                             "    <article>\n"
                             "      <h1>Rain &amp; wind</h1>\n"
                             "      <a>weather</a>\n"
                             "      <a>local</a>\n"
                             "    </article>\n"
                             "    <footer>\n"
                             "      Staff\n"
                             "    </footer>\n"
                             "  </body>\n"
                             "</html>\n");
    free(got);
    got = render(set, "layout", NULL, &rc);
    assert_int_equal(rc, MH_OK);
    assert_string_equal(got, "<html>\n"
                             "  <head><title>Masthead</title></head>\n"
                             "  <body>\n"
                             "    <p>nothing here</p>\n"
                             "    <footer>\n"
                             "      (c)\n"
                             "    </footer>\n"
                             "  </body>\n"
                             "</html>\n");
    free(got);
    got = render(set, "no such page", NULL, &rc);
    assert_int_equal(rc, MH_NOTFOUND);
    free(got);
    tpl_set_free(set);
    arena_release(&a);
}

/* Render "top" of a set made of NAME, SOURCE pairs (NULL-terminated). */
static void check_set(const char *expected, ...)
{
    struct tpl_set *set = tpl_set_new();
    struct arena a;
    const char *name;
    va_list ap;
    int rc;
    arena_init(&a, 0);
    va_start(ap, expected);
    while ((name = va_arg(ap, const char *)) != NULL)
        add(set, name, va_arg(ap, const char *));
    va_end(ap);
    struct tval *ctx = tval_object(&a), *list = tval_list(&a);
    tval_append(list, tval_strc(&a, "A"));
    tval_append(list, tval_strc(&a, "B"));
    tval_set(ctx, "list", list);
    tval_set(ctx, "text", tval_strc(&a, "x\ny"));
    char *got = render(set, "top", ctx, &rc);
    assert_int_equal(rc, MH_OK);
    assert_string_equal(got, expected);
    free(got);
    tpl_set_free(set);
    arena_release(&a);
}

static void test_indentation(void **state)
{
    (void)state;
    /* standalone partials nest their indentation; values are not indented */
    check_set("  x\n    1\n    x\ny\n  end\n", "top", "  {{>a}}\n", "a", "x\n  {{>b}}\nend\n",
              "b", "1\n{{text}}\n", NULL);
    /* an inline partial is not indented, even inside an indented one */
    check_set("  x 1\n2\n", "top", "  {{>a}}\n", "a", "x {{>b}}", "b", "1\n2\n", NULL);
    /* empty lines stay empty; lines of blanks get the indentation */
    check_set("[\n  a\n\n     \n  b\n]", "top", "[\n  {{>p}}\n]", "p", "a\n\n   \nb\n", NULL);
    /* CRLF lines */
    check_set("a\r\n  1\r\n  2\r\nb", "top", "a\r\n  {{>p}}\r\nb", "p", "1\r\n2\r\n", NULL);
    /* a layout: the block body is dedented where defined, indented where used */
    check_set("<div>\n  <p>\n    X\n    - A\n    - B\n  </p>\n</div>\n", "top",
              "<div>\n"
              "  {{<p}}\n"
              "    {{$x}}\n"
              "      X\n"
              "      {{#list}}\n"
              "      - {{.}}\n"
              "      {{/list}}\n"
              "    {{/x}}\n"
              "  {{/p}}\n"
              "</div>\n",
              "p", "<p>\n  {{$x}}\n  nothing\n  {{/x}}\n</p>\n", NULL);
    /* an empty override of a standalone block leaves nothing, not blanks */
    check_set("[\n]\n", "top", "{{<p}}{{$x}}{{/x}}{{/p}}", "p",
              "[\n  {{$x}}\n  default\n  {{/x}}\n]\n", NULL);
    /* overrides reach blocks in partials of the parent; the outermost wins */
    check_set("<h1>mine</h1>\n", "top", "{{<page}}{{$title}}mine{{/title}}{{/page}}", "page",
              "{{<base}}{{$title}}page{{/title}}{{/base}}", "base", "{{>head}}", "head",
              "<h1>{{$title}}base{{/title}}</h1>\n", NULL);
}

static void test_recursion_limit(void **state)
{
    struct arena a;
    struct tpl_set *set = tpl_set_new();
    int rc;
    (void)state;
    arena_init(&a, 0);
    add(set, "loop", "x{{>loop}}");
    add(set, "parent", "{{<parent}}{{/parent}}");
    add(set, "tree", "({{name}}{{#kids}}{{>tree}}{{/kids}})");
    add(set, "fan", "{{>fan}}{{>fan}}");

    char *got = render(set, "loop", NULL, &rc);
    assert_int_equal(rc, MH_TOOBIG);
    assert_int_equal(strlen(got), TPL_MAX_INCLUDE + 1); /* 1 + 64 levels, then it stops */
    free(got);
    free(render(set, "parent", NULL, &rc));
    assert_int_equal(rc, MH_TOOBIG);
    free(render(set, "fan", NULL, &rc));
    assert_int_equal(rc, MH_TOOBIG);

    /* a tree exactly as deep as the limit renders; one level more does not */
    struct tval *root = tval_object(&a), *node = root, *kids = NULL;
    for (int depth = 0; depth < TPL_MAX_INCLUDE; depth++) {
        struct tval *kid = tval_object(&a);
        kids = tval_list(&a);
        tval_set(node, "name", tval_int(&a, depth));
        tval_set(node, "kids", kids);
        tval_append(kids, kid);
        node = kid;
    }
    /* a node without "kids" would see its parent's through the context stack */
    tval_set(node, "kids", tval_list(&a));
    got = render(set, "tree", root, &rc);
    assert_int_equal(rc, MH_OK);
    assert_int_equal(strncmp(got, "(0(1(2(3", 8), 0);
    free(got);
    struct tval *leaf = tval_object(&a);
    tval_set(leaf, "kids", tval_list(&a));
    kids = tval_list(&a);
    tval_set(node, "kids", kids);
    tval_append(kids, leaf);
    free(render(set, "tree", root, &rc));
    assert_int_equal(rc, MH_TOOBIG);
    tpl_set_free(set);
    arena_release(&a);
}

static void test_work_ceilings(void **state)
{
    struct arena a;
    struct tpl_set *set = tpl_set_new();
    int rc;
    (void)state;
    arena_init(&a, 0);
    /* 16^8 iterations of nothing: stopped by TPL_MAX_STEPS, not by output */
    struct tval *ctx = tval_object(&a), *list = tval_list(&a);
    for (int i = 0; i < 16; i++)
        tval_append(list, tval_int(&a, i));
    tval_set(ctx, "l", list);
    add(set, "slow", "{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}"
                     "{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}");
    free(render(set, "slow", ctx, &rc));
    assert_int_equal(rc, MH_TOOBIG);

    /* the output ceiling is the caller's buffer's */
    add(set, "wide", "{{#l}}0123456789{{/l}}");
    struct buf out;
    buf_init(&out, NULL, 100);
    assert_int_equal(tpl_render(set, "wide", ctx, &out), MH_TOOBIG);
    assert_int_equal(tpl_render(set, "wide", ctx, &out), MH_TOOBIG); /* sticky */
    buf_release(&out);
    buf_init(&out, &a, 160);
    assert_int_equal(tpl_render(set, "wide", ctx, &out), MH_OK);
    assert_int_equal(out.len, 160);
    tpl_set_free(set);
    arena_release(&a);
}

/* ------------------------------------------------------------------------
 * Threads
 * ------------------------------------------------------------------------ */

struct job {
    const struct tpl_set *set;
    const struct tval *ctx;
    const char *want;
    int bad;
};

static void *render_many(void *arg)
{
    struct job *job = arg;
    for (int i = 0; i < 300; i++) {
        int rc;
        char *got = render(job->set, "page", job->ctx, &rc);
        if (rc || strcmp(got, job->want) != 0)
            job->bad++;
        free(got);
    }
    return NULL;
}

static void test_two_threads(void **state)
{
    struct arena a;
    struct tpl_set *set = tpl_set_new();
    char key[16];
    int rc;
    (void)state;
    arena_init(&a, 0);
    add(set, "item", "<li>{{title}} ({{n}})</li>\n");
    add(set, "base", "<ul>\n  {{$items}}{{/items}}\n</ul>\n");
    add(set, "page", "{{<base}}{{$items}}\n{{#items}}\n{{>item}}\n{{/items}}\n{{/items}}{{/base}}");
    struct tval *ctx = tval_object(&a), *items = tval_list(&a);
    struct buf want_buf;
    buf_init(&want_buf, NULL, MH_MIB);
    buf_adds(&want_buf, "<ul>\n");
    for (int i = 0; i < 40; i++) {
        struct tval *it = tval_object(&a);
        snprintf(key, sizeof(key), "t<%d>", i);
        tval_set(it, "title", tval_strdup(&a, str_c(key)));
        tval_set(it, "n", tval_int(&a, i));
        tval_append(items, it);
        buf_addf(&want_buf, "  <li>t&lt;%d&gt; (%d)</li>\n", i, i);
    }
    /* "{{$items}}{{/items}}" on a line keeps its newline (spec: "Standalone block") */
    buf_adds(&want_buf, "\n</ul>\n");
    tval_set(ctx, "items", items);
    char *want = buf_take(&want_buf, NULL);
    char *got = render(set, "page", ctx, &rc);
    assert_int_equal(rc, MH_OK);
    assert_string_equal(got, want);
    free(got);

    struct job jobs[2] = {{set, ctx, want, 0}, {set, ctx, want, 0}};
    pthread_t th[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&th[i], NULL, render_many, &jobs[i]), 0);
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_join(th[i], NULL), 0);
    assert_int_equal(jobs[0].bad, 0);
    assert_int_equal(jobs[1].bad, 0);
    free(want);
    tpl_set_free(set);
    arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spec_interpolation),
        cmocka_unit_test(test_spec_sections),
        cmocka_unit_test(test_spec_inverted),
        cmocka_unit_test(test_spec_partials),
        cmocka_unit_test(test_spec_delimiters),
        cmocka_unit_test(test_spec_comments),
        cmocka_unit_test(test_spec_inheritance),
        cmocka_unit_test(test_compile_errors),
        cmocka_unit_test(test_values_and_truth),
        cmocka_unit_test(test_big_objects),
        cmocka_unit_test(test_layout),
        cmocka_unit_test(test_indentation),
        cmocka_unit_test(test_recursion_limit),
        cmocka_unit_test(test_work_ceilings),
        cmocka_unit_test(test_two_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
