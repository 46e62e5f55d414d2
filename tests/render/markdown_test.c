/* SPDX-License-Identifier: MIT */
/*
 * markdown_test.c - tests src/render/markdown.c: CommonMark blocks and
 * spans, the GitHub extensions we enable, images with captions, raw HTML
 * going through the sanitizer, and the error codes.  Every output must be a
 * fixed point of sanitize_html().
 */
#include "core/compat.h"

#include <setjmp.h>
#include <stdarg.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "render/markdown.h"
#include "render/sanitize.h"

static char *render(const char *in, size_t len, int *rc)
{
    struct buf b;
    buf_init(&b, NULL, 4 * MH_MAX_BODY);
    *rc = markdown_render(str_make(in, len), &b);
    return buf_take(&b, NULL);
}

static void expect(const char *in, const char *expected)
{
    int rc;
    char *out = render(in, strlen(in), &rc);
    assert_int_equal(rc, MH_OK);
    if (strcmp(out, expected) != 0)
        fprintf(stderr, "input:\n%s\nexpected:\n%s\ngot:\n%s\n", in, expected, out);
    assert_string_equal(out, expected);

    struct buf again;
    buf_init(&again, NULL, 4 * MH_MAX_BODY);
    assert_int_equal(sanitize_html(str_c(out), &again), MH_OK);
    assert_string_equal(again.data ? again.data : "", out);
    buf_release(&again);
    free(out);
}

static void test_blocks(void **state)
{
    (void)state;
    expect("", "");
    expect("Hello, *world*.", "<p>Hello, <em>world</em>.</p>\n");
    expect("# One\n## Two\n###### Six\n",
           "<h2>One</h2>\n<h2>Two</h2>\n<h6>Six</h6>\n"); /* the page title is the h1 */
    expect("Setext\n======\n", "<h2>Setext</h2>\n");
    expect("a\nb  \nc\n\n---\n", "<p>a\nb<br>\nc</p>\n<hr>\n");
    expect("> quoted\n> > twice\n",
           "<blockquote>\n<p>quoted</p>\n<blockquote>\n<p>twice</p>\n</blockquote>\n"
           "</blockquote>\n");
}

static void test_lists(void **state)
{
    (void)state;
    expect("- a\n- b\n  - c\n", "<ul>\n<li>a</li>\n<li>b<ul>\n<li>c</li>\n</ul>\n</li>\n</ul>\n");
    expect("3. three\n4. four\n", "<ol start=\"3\">\n<li>three</li>\n<li>four</li>\n</ol>\n");
    expect("1. loose\n\n2. list\n",
           "<ol>\n<li><p>loose</p>\n</li>\n<li><p>list</p>\n</li>\n</ol>\n");
    expect("- [ ] no task lists\n", "<ul>\n<li>[ ] no task lists</li>\n</ul>\n");
}

static void test_code(void **state)
{
    (void)state;
    expect("Use `a < b` here.", "<p>Use <code>a &lt; b</code> here.</p>\n");
    expect("```C\nint x = 1 < 2;\n```\n",
           "<pre>\n<code class=\"language-c\">int x = 1 &lt; 2;\n</code></pre>\n");
    expect("```c++ {.x}\nx\n```\n", "<pre>\n<code>x\n</code></pre>\n");
    expect("    indented\n      code\n", "<pre>\n<code>indented\n  code\n</code></pre>\n");
    expect("```\n\nfirst line empty\n```\n",
           "<pre>\n<code>\nfirst line empty\n</code></pre>\n");
}

static void test_tables(void **state)
{
    (void)state;
    expect("| a | b | c |\n|:--|:-:|--:|\n| 1 | *2* | 3 |\n",
           "<table><thead><tr><th align=\"left\">a</th><th align=\"center\">b</th>"
           "<th align=\"right\">c</th></tr></thead><tbody><tr><td align=\"left\">1</td>"
           "<td align=\"center\"><em>2</em></td><td align=\"right\">3</td></tr></tbody>"
           "</table>\n");
    expect("| h |\n|---|\n", "<table><thead><tr><th>h</th></tr></thead></table>\n");
}

static void test_links(void **state)
{
    (void)state;
    expect("[home](/ \"Home page\")", "<p><a href=\"/\" title=\"Home page\">home</a></p>\n");
    expect("[ext](https://example.org/a?b=1&c=2)",
           "<p><a href=\"https://example.org/a?b=1&amp;c=2\" "
           "rel=\"noopener noreferrer nofollow\">ext</a></p>\n");
    expect("[sp](<a b.html>)", "<p><a href=\"a%20b.html\">sp</a></p>\n");
    expect("<https://example.org> www.example.org desk@example.org",
           "<p><a href=\"https://example.org\" rel=\"noopener noreferrer nofollow\">"
           "https://example.org</a> <a href=\"http://www.example.org\" "
           "rel=\"noopener noreferrer nofollow\">www.example.org</a> "
           "<a href=\"mailto:desk@example.org\">desk@example.org</a></p>\n");
    expect("[ref][1]\n\n[1]: /r", "<p><a href=\"/r\">ref</a></p>\n");
    expect("[x](javascript:alert(1)) [y](java&#115;cript:alert(1)) [z](data:text/html,x)",
           "<p>x y z</p>\n");
    expect("~~gone~~ and **strong**", "<p><s>gone</s> and <strong>strong</strong></p>\n");
}

static void test_images(void **state)
{
    (void)state;
    expect("![A cat](cat.jpg \"A cat, sleeping & <dreaming>\")\n",
           "<figure><img src=\"cat.jpg\" alt=\"A cat\" loading=\"lazy\">"
           "<figcaption>A cat, sleeping &amp; &lt;dreaming&gt;</figcaption></figure>\n");
    expect("![no caption](a.png)",
           "<p><img src=\"a.png\" alt=\"no caption\" loading=\"lazy\"></p>\n");
    expect("Text ![inline](x.png \"t\") more.",
           "<p>Text <img src=\"x.png\" alt=\"inline\" title=\"t\" loading=\"lazy\"> more.</p>\n");
    expect("![*rich* alt ![inner](i.png)](o.png \"T\")",
           "<figure><img src=\"o.png\" alt=\"rich alt inner\" loading=\"lazy\">"
           "<figcaption>T</figcaption></figure>\n");
    expect("- ![fig](f.png \"cap\")\n- text\n",
           "<ul>\n<li><figure><img src=\"f.png\" alt=\"fig\" loading=\"lazy\">"
           "<figcaption>cap</figcaption></figure>\n</li>\n<li>text</li>\n</ul>\n");
    expect("[![linked](i.png \"t\")](https://x.org/)",
           "<p><a href=\"https://x.org/\" rel=\"noopener noreferrer nofollow\">"
           "<img src=\"i.png\" alt=\"linked\" title=\"t\" loading=\"lazy\"></a></p>\n");
    /* no safe src, no image; the caption is text and stays */
    expect("![x](javascript:alert(1) \"t\")", "<figure><figcaption>t</figcaption></figure>\n");
}

static void test_raw_html(void **state)
{
    (void)state;
    expect("<div class=\"note\" onclick=\"x()\">\n*not* markdown\n</div>\n",
           "<div class=\"note\">\n*not* markdown\n</div>\n");
    expect("a <b onmouseover=alert(1)>bold</b> <script>alert(1)</script> z",
           "<p>a <b>bold</b>  z</p>\n");
    expect("<script>\nalert(1)\n</script>\n\nafter\n", "\n<p>after</p>\n");
    expect("&amp; &copy; &#x41; &nosuch; &#0;",
           "<p>&amp; \xC2\xA9 A &amp;nosuch; \xEF\xBF\xBD</p>\n");
}

static void test_errors(void **state)
{
    (void)state;
    int rc;
    char *out = render("a\xC3(", 3, &rc);
    assert_int_equal(rc, MH_INVAL);
    free(out);
    char *big = mh_malloc(MH_MAX_BODY + 1);
    memset(big, 'a', MH_MAX_BODY + 1);
    out = render(big, MH_MAX_BODY + 1, &rc);
    assert_int_equal(rc, MH_TOOBIG);
    free(out);
    free(big);

    struct buf small;
    buf_init(&small, NULL, 8);
    assert_int_equal(markdown_render(STR_LIT("a paragraph"), &small), MH_TOOBIG);
    buf_release(&small);

    out = render("a\0b", 3, &rc); /* NUL becomes U+FFFD, as CommonMark says */
    assert_int_equal(rc, MH_OK);
    assert_string_equal(out, "<p>a\xEF\xBF\xBD" "b</p>\n");
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blocks),  cmocka_unit_test(test_lists),
        cmocka_unit_test(test_code),    cmocka_unit_test(test_tables),
        cmocka_unit_test(test_links),   cmocka_unit_test(test_images),
        cmocka_unit_test(test_raw_html), cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
