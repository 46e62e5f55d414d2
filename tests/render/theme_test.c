/* SPDX-License-Identifier: MIT */
/*
 * theme_test.c - tests themes/default against the context contract of
 * docs/internals/theme.md.  Every template of the theme must compile and every
 * partial or parent it names must exist; each page kind (home, channel,
 * article, error) is rendered against its English and Chinese fixture
 * (tests/render/fixtures/KIND.LANG.json over common.LANG.json) and the output
 * is parsed with gumbo and checked: no parse error, one <h1>, <html lang>,
 * the landmarks, aria-current on the current channel, no script but site.js
 * and the JSON-LD block, no inline style or handler, no request to another
 * host, images with alt/width/height, user text escaped.  The article page's
 * weight is measured with gzip -9 against the budget (HTML + CSS under 30 KB).
 *
 * Setting MH_THEME_DUMP=DIR writes every rendered page to DIR/KIND.LANG.html
 * and the theme's static files where the pages link them (DIR/static/...),
 * so DIR can be served over HTTP and looked at in a browser.
 */
#include "core/compat.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>

#include <cmocka.h>
#include <gumbo.h>
#include <jansson.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/fs.h"
#include "core/limits.h"
#include "json_tval.h"
#include "render/template.h"
#include "render/value.h"

#define BUDGET_PAGE (30 * 1024) /* article HTML + CSS, gzip -9 */
#define BUDGET_CSS (8 * 1024)   /* site.css, gzip -9 */

static const char *const kinds[] = {"home", "channel", "article", "error"};
static const char *const langs[] = {"en", "zh"};

/* ------------------------------------------------------------------------
 * Helpers: paths, files, JSON
 * ------------------------------------------------------------------------ */

static char root[4096]; /* the source tree: MH_TEST_DATA without "/tests/data" */

static void path_of(char *out, size_t len, const char *rel)
{
    int n = snprintf(out, len, "%s/%s", root, rel);
    assert_true(n > 0 && (size_t)n < len);
}

/* The whole file REL (under the source tree) as a heap string; caller frees. */
static char *slurp(const char *rel, size_t *len)
{
    char path[4096], err[256];
    struct buf b;
    path_of(path, sizeof(path), rel);
    buf_init(&b, NULL, MH_MAX_PAGE);
    if (fs_read_file(path, &b, err, sizeof(err)) != MH_OK)
        fail_msg("%s", err);
    return buf_take(&b, len);
}


/* The context of KIND in LANG: fixtures/KIND.LANG.json over common.LANG.json.
 * Caller releases it with json_decref(). */
static json_t *fixture(const char *kind, const char *lang)
{
    char rel[256], path[4096];
    json_error_t jerr;
    json_t *ctx, *page;
    snprintf(rel, sizeof(rel), "tests/render/fixtures/common.%s.json", lang);
    path_of(path, sizeof(path), rel);
    if ((ctx = json_load_file(path, 0, &jerr)) == NULL)
        fail_msg("%s:%d: %s", path, jerr.line, jerr.text);
    snprintf(rel, sizeof(rel), "tests/render/fixtures/%s.%s.json", kind, lang);
    path_of(path, sizeof(path), rel);
    if ((page = json_load_file(path, 0, &jerr)) == NULL)
        fail_msg("%s:%d: %s", path, jerr.line, jerr.text);
    assert_int_equal(json_object_update(ctx, page), 0);
    json_decref(page);
    return ctx;
}

/* A string inside J by a dotted PATH ("site.assets.css"), or "" when absent. */
static const char *jget(json_t *j, const char *path)
{
    char key[128];
    while (j && *path) {
        size_t n = strcspn(path, ".");
        assert_true(n < sizeof(key));
        memcpy(key, path, n);
        key[n] = '\0';
        j = json_object_get(j, key);
        path += n + (path[n] == '.');
    }
    return json_is_string(j) ? json_string_value(j) : "";
}

/* ------------------------------------------------------------------------
 * Helpers: the theme and rendering
 * ------------------------------------------------------------------------ */

/* Compile every themes/default/NAME.mustache as NAME into a new set. */
static struct tpl_set *load_theme(void)
{
    char dir[4096], rel[512], err[512];
    struct tpl_set *set = tpl_set_new();
    struct dirent *de;
    path_of(dir, sizeof(dir), "themes/default");
    DIR *d = opendir(dir);
    if (d == NULL)
        fail_msg("cannot open '%s'", dir);
    while ((de = readdir(d)) != NULL) {
        size_t n = strlen(de->d_name);
        const char *ext = ".mustache";
        if (n <= strlen(ext) || strcmp(de->d_name + n - strlen(ext), ext) != 0)
            continue;
        snprintf(rel, sizeof(rel), "themes/default/%s", de->d_name);
        size_t len;
        char *src = slurp(rel, &len);
        char name[256];
        snprintf(name, sizeof(name), "%.*s", (int)(n - strlen(ext)), de->d_name);
        if (tpl_set_add(set, name, str_make(src, len), err, sizeof(err)) != MH_OK)
            fail_msg("%s does not compile: %s", rel, err);
        free(src);
    }
    closedir(d);
    return set;
}

/* Render KIND against CTX into a heap string; the render must succeed. */
static char *render(const struct tpl_set *set, const char *kind, json_t *ctx, size_t *len)
{
    struct arena a;
    struct buf out;
    arena_init(&a, 0);
    buf_init(&out, NULL, MH_MAX_PAGE);
    int rc = tpl_render(set, kind, from_json(&a, ctx), &out);
    if (rc)
        fail_msg("render %s: %s", kind, mh_strerror(rc));
    arena_release(&a);
    return buf_take(&out, len);
}

/* ------------------------------------------------------------------------
 * Helpers: walking the parsed page
 * ------------------------------------------------------------------------ */

static const char *attr(const GumboNode *n, const char *name)
{
    GumboAttribute *at = gumbo_get_attribute(&n->v.element.attributes, name);
    return at ? at->value : NULL;
}

static bool has_class(const GumboNode *n, const char *cls)
{
    const char *v = attr(n, "class");
    size_t len = strlen(cls);
    for (const char *p = v; p && (p = strstr(p, cls)) != NULL; p += len) {
        if ((p == v || p[-1] == ' ') && (p[len] == '\0' || p[len] == ' '))
            return true;
    }
    return false;
}

/* Append the text inside N to OUT. */
static void text_of(const GumboNode *n, struct buf *out)
{
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE ||
        n->type == GUMBO_NODE_CDATA) {
        buf_adds(out, n->v.text.text);
        return;
    }
    if (n->type != GUMBO_NODE_ELEMENT)
        return;
    for (unsigned i = 0; i < n->v.element.children.length; i++)
        text_of(n->v.element.children.data[i], out);
}

/* Element nodes in document order, with whether each is inside <footer>. */
struct walk {
    const GumboNode *el[4096];
    bool in_footer[4096];
    size_t n;
};

static void collect(const GumboNode *n, bool in_footer, struct walk *w)
{
    if (n->type != GUMBO_NODE_ELEMENT)
        return;
    assert_true(w->n < MH_ARRAY_LEN(w->el));
    w->el[w->n] = n;
    w->in_footer[w->n++] = in_footer;
    in_footer = in_footer || n->v.element.tag == GUMBO_TAG_FOOTER;
    for (unsigned i = 0; i < n->v.element.children.length; i++)
        collect(n->v.element.children.data[i], in_footer, w);
}

static size_t count_tag(const struct walk *w, GumboTag tag)
{
    size_t k = 0;
    for (size_t i = 0; i < w->n; i++)
        k += w->el[i]->v.element.tag == tag;
    return k;
}

/* The host of an absolute URL at P ("https://host/..." or "//host/..."),
 * copied into HOST; false when P is not one. */
static bool url_host(const char *p, char *host, size_t len)
{
    if (strncmp(p, "http://", 7) == 0)
        p += 7;
    else if (strncmp(p, "https://", 8) == 0)
        p += 8;
    else if (strncmp(p, "//", 2) == 0)
        p += 2;
    else
        return false;
    size_t n = strcspn(p, "/?#\" ,");
    snprintf(host, len, "%.*s", (int)n, p);
    return true;
}

/* Fail when attribute value V of EL names another host than SITE_HOST,
 * unless it is a link (a href) in the footer: friendly links go elsewhere. */
static void check_hosts(const GumboNode *el, bool in_footer, const char *name, const char *v,
                        const char *site_host)
{
    bool link = el->v.element.tag == GUMBO_TAG_A && strcmp(name, "href") == 0;
    char host[256];
    /* every URL in the value: srcset and content may hold several */
    for (const char *p = v; *p; p++) {
        if ((p == v || p[-1] == ' ' || p[-1] == ',') && url_host(p, host, sizeof(host))) {
            if (strcmp(host, site_host) != 0 && !(link && in_footer))
                fail_msg("<%s %s=\"%s\">: host '%s' is not the site's",
                         gumbo_normalized_tagname(el->v.element.tag), name, v, host);
        }
    }
}

/* ------------------------------------------------------------------------
 * The page checks
 * ------------------------------------------------------------------------ */

/* Parse HTML, rendered from CTX, and check what every page must be. */
static void check_page(const char *what, const char *html, size_t len, json_t *ctx)
{
    GumboOutput *g = gumbo_parse_with_options(&kGumboDefaultOptions, html, len);
    static struct walk w; /* big: keep it off the stack */
    char site_host[256] = "";
    const char *js = jget(ctx, "site.assets.js");
    size_t n_js = 0, n_ld = 0;

    print_message("  %s: %zu bytes, %u parse errors\n", what, len, g->errors.length);
    if (g->errors.length)
        fail_msg("%s: gumbo reports %u parse errors", what, g->errors.length);
    assert_true(url_host(jget(ctx, "site.base_url"), site_host, sizeof(site_host)));
    w.n = 0;
    collect(g->root, false, &w);

    /* <html lang dir> */
    assert_string_equal(attr(g->root, "lang"), jget(ctx, "site.lang"));
    assert_string_equal(attr(g->root, "dir"), jget(ctx, "site.dir"));
    /* one h1, one title, the landmarks */
    assert_int_equal(count_tag(&w, GUMBO_TAG_H1), 1);
    assert_int_equal(count_tag(&w, GUMBO_TAG_TITLE), 1);
    assert_int_equal(count_tag(&w, GUMBO_TAG_MAIN), 1);
    assert_true(count_tag(&w, GUMBO_TAG_HEADER) >= 1);
    assert_true(count_tag(&w, GUMBO_TAG_NAV) >= 1);
    assert_true(count_tag(&w, GUMBO_TAG_FOOTER) >= 1);
    assert_int_equal(count_tag(&w, GUMBO_TAG_ASIDE), 1);
    assert_int_equal(count_tag(&w, GUMBO_TAG_STYLE), 0);

    for (size_t i = 0; i < w.n; i++) {
        const GumboNode *el = w.el[i];
        const GumboVector *atts = &el->v.element.attributes;
        GumboTag tag = el->v.element.tag;
        /* CSP: no inline style or handler; no request to another host */
        for (unsigned k = 0; k < atts->length; k++) {
            const GumboAttribute *at = atts->data[k];
            if (strncmp(at->name, "on", 2) == 0 || strcmp(at->name, "style") == 0)
                fail_msg("%s: <%s %s=...> is not allowed under the CSP", what,
                         gumbo_normalized_tagname(tag), at->name);
            check_hosts(el, w.in_footer[i], at->name, at->value, site_host);
        }
        /* scripts: site.js (deferred) and the JSON-LD data block, nothing else */
        if (tag == GUMBO_TAG_SCRIPT) {
            const char *src = attr(el, "src"), *type = attr(el, "type");
            if (src) {
                assert_string_equal(src, js);
                assert_non_null(attr(el, "defer"));
                assert_int_equal(el->v.element.children.length, 0);
                n_js++;
            } else if (type && strcmp(type, "application/ld+json") == 0) {
                n_ld++;
            } else {
                fail_msg("%s: a script other than site.js and JSON-LD", what);
            }
        }
        /* images: alt text, and a size so nothing shifts while they load */
        if (tag == GUMBO_TAG_IMG) {
            assert_non_null(attr(el, "alt"));
            assert_non_null(attr(el, "width"));
            assert_non_null(attr(el, "height"));
        }
    }
    assert_int_equal(n_js, 1);
    assert_int_equal(n_ld, *jget(ctx, "page.jsonld") ? 1 : 0);

    /* the current channel in the bar: aria-current, and only there */
    const char *current = NULL;
    size_t i_nav;
    json_t *item;
    json_array_foreach(json_object_get(ctx, "nav"), i_nav, item) {
        if (json_is_true(json_object_get(item, "current")))
            current = json_string_value(json_object_get(item, "name"));
    }
    size_t n_current = 0, n_bars = 0;
    for (size_t i = 0; i < w.n; i++) {
        if (w.el[i]->v.element.tag != GUMBO_TAG_NAV || !has_class(w.el[i], "channels"))
            continue;
        n_bars++;
        struct walk *inner = calloc(1, sizeof(*inner));
        collect(w.el[i], false, inner);
        for (size_t k = 0; k < inner->n; k++) {
            const GumboNode *a = inner->el[k];
            if (a->v.element.tag != GUMBO_TAG_A || attr(a, "aria-current") == NULL)
                continue;
            struct buf t;
            buf_init(&t, NULL, MH_MAX_FIELD);
            text_of(a, &t);
            assert_non_null(current);
            assert_string_equal(t.data ? t.data : "", current);
            buf_release(&t);
            n_current++;
        }
        free(inner);
    }
    assert_int_equal(n_bars, 1);
    assert_int_equal(n_current, current ? 1 : 0);

    /* user text is escaped: the fixtures' most-read lists have a <script> title */
    assert_null(strstr(html, "<script>alert"));
    json_array_foreach(json_object_get(ctx, "mostread"), i_nav, item) {
        if (strstr(jget(item, "title"), "<script>alert(\"x\")</script>"))
            assert_non_null(strstr(html, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"));
    }

    gumbo_destroy_output(&kGumboDefaultOptions, g);
}

/* The text of the only <h1> of HTML, as a heap string. */
static char *h1_text(const char *html, size_t len)
{
    GumboOutput *g = gumbo_parse_with_options(&kGumboDefaultOptions, html, len);
    static struct walk w;
    struct buf t;
    w.n = 0;
    collect(g->root, false, &w);
    buf_init(&t, NULL, MH_MAX_FIELD);
    for (size_t i = 0; i < w.n; i++) {
        if (w.el[i]->v.element.tag == GUMBO_TAG_H1)
            text_of(w.el[i], &t);
    }
    gumbo_destroy_output(&kGumboDefaultOptions, g);
    buf_addc(&t, '\0'); /* an empty h1 still gives a string */
    return buf_take(&t, NULL);
}

/* Bytes of DATA once compressed with gzip -9 (the system's gzip). */
static size_t gzipped(const char *data, size_t len)
{
    char tmpl[] = "/tmp/mh-theme-gz-XXXXXX", cmd[128];
    int fd = mkstemp(tmpl);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    snprintf(cmd, sizeof(cmd), "gzip -9c < %s | wc -c", tmpl);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    unsigned long n = 0;
    assert_int_equal(fscanf(p, "%lu", &n), 1);
    assert_int_equal(pclose(p), 0);
    remove(tmpl);
    assert_true(n > 0);
    return n;
}

/* With MH_THEME_DUMP set, write PAGE there as NAME, and the static files at
 * the URLs CTX gives them. */
static void dump(const char *name, const char *page, size_t len, json_t *ctx)
{
    const char *dir = getenv("MH_THEME_DUMP");
    char path[4096], err[256];
    if (dir == NULL || *dir == '\0')
        return;
    snprintf(path, sizeof(path), "%s/static", dir);
    assert_int_equal(fs_mkdirs(path, 0755, err, sizeof(err)), MH_OK);
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    assert_int_equal(fs_write_atomic(path, str_make(page, len), err, sizeof(err)), MH_OK);
    const char *assets[][2] = {{"site.assets.css", "themes/default/static/site.css"},
                               {"site.assets.js", "themes/default/static/site.js"}};
    for (size_t i = 0; i < MH_ARRAY_LEN(assets); i++) {
        size_t n;
        char *data = slurp(assets[i][1], &n);
        snprintf(path, sizeof(path), "%s%s", dir, jget(ctx, assets[i][0]));
        assert_int_equal(fs_write_atomic(path, str_make(data, n), err, sizeof(err)), MH_OK);
        free(data);
    }
}

/* ------------------------------------------------------------------------
 * Tests
 * ------------------------------------------------------------------------ */

static int setup(void **state)
{
    const char *data = MH_TEST_DATA, *tail = "/tests/data";
    size_t n = strlen(data), t = strlen(tail);
    if (n < t || strcmp(data + n - t, tail) != 0 || n - t >= sizeof(root))
        return -1;
    memcpy(root, data, n - t);
    root[n - t] = '\0';
    *state = load_theme();
    return 0;
}

static int teardown(void **state)
{
    tpl_set_free(*state);
    return 0;
}

/* Every template compiles (setup), and every partial and parent one names
 * is in the theme: a missing partial would silently render as nothing. */
static void test_templates_resolve(void **state)
{
    const struct tpl_set *set = *state;
    const char *need[] = {"layout", "head", "header", "breadcrumb", "sidebar", "footer",
                          "pagination", "article-card", "home", "channel", "article", "error"};
    for (size_t i = 0; i < MH_ARRAY_LEN(need); i++) {
        if (!tpl_set_has(set, need[i]))
            fail_msg("themes/default/%s.mustache is missing", need[i]);
    }
    char dir[4096];
    struct dirent *de;
    path_of(dir, sizeof(dir), "themes/default");
    DIR *d = opendir(dir);
    assert_non_null(d);
    while ((de = readdir(d)) != NULL) {
        char rel[512], name[256];
        size_t len;
        if (strstr(de->d_name, ".mustache") == NULL)
            continue;
        snprintf(rel, sizeof(rel), "themes/default/%s", de->d_name);
        char *src = slurp(rel, &len);
        for (char *p = src; (p = strstr(p, "{{")) != NULL; p += 2) {
            if (p[2] != '>' && p[2] != '<')
                continue;
            const char *s = p + 3;
            while (*s == ' ')
                s++;
            size_t n = strcspn(s, " }");
            snprintf(name, sizeof(name), "%.*s", (int)n, s);
            if (!tpl_set_has(set, name))
                fail_msg("%s names '%s', which the theme lacks", rel, name);
        }
        free(src);
    }
    closedir(d);
}

/* Each page kind in each language passes the page checks. */
static void test_pages(void **state)
{
    const struct tpl_set *set = *state;
    for (size_t k = 0; k < MH_ARRAY_LEN(kinds); k++) {
        for (size_t l = 0; l < MH_ARRAY_LEN(langs); l++) {
            char what[64];
            size_t len;
            json_t *ctx = fixture(kinds[k], langs[l]);
            char *html = render(set, kinds[k], ctx, &len);
            snprintf(what, sizeof(what), "%s.%s.html", kinds[k], langs[l]);
            check_page(what, html, len, ctx);
            dump(what, html, len, ctx);
            free(html);
            json_decref(ctx);
        }
    }
}

/* What the article page must carry (issue 3's list), in both languages. */
static void test_article_parts(void **state)
{
    for (size_t l = 0; l < MH_ARRAY_LEN(langs); l++) {
        size_t len;
        json_t *ctx = fixture("article", langs[l]);
        char *html = render(*state, "article", ctx, &len), want[4096];
        const char *parts[] = {
            "<!--enpproperty <articleid>",
            "/enpproperty-->",
            "<figure class=\"lead\">",
            "<figcaption>",
            "<time datetime=\"2026-03-06T09:39:50+08:00\">",
            "rel=\"canonical\"",
            "hreflang=\"zh-CN\"",
            "property=\"og:image\"",
            "aria-current=\"true\">", /* the channel of the article, not the page */
            "<ol class=\"rank\">",
            "class=\"more\"",
            "<section class=\"related\"",
        };
        for (size_t i = 0; i < MH_ARRAY_LEN(parts); i++) {
            if (strstr(html, parts[i]) == NULL)
                fail_msg("article.%s: no '%s'", langs[l], parts[i]);
        }
        /* the body and the metadata go in unescaped: the site made them safe */
        snprintf(want, sizeof(want), "%.60s", jget(ctx, "article.body_html"));
        assert_non_null(strstr(html, want));
        snprintf(want, sizeof(want), "<!--enpproperty %.40s", jget(ctx, "page.enpproperty"));
        assert_non_null(strstr(html, want));
        snprintf(want, sizeof(want), "%s%s%s", jget(ctx, "strings.editor"),
                 jget(ctx, "strings.colon"), jget(ctx, "article.editor"));
        assert_non_null(strstr(html, want));
        free(html);
        json_decref(ctx);
    }
}

/* Markup in a headline is text: it round-trips through a parser unchanged,
 * in the <h1>, the <title> and attributes alike. */
static void test_title_is_escaped(void **state)
{
    const char *evil = "Q&A: \"<script>alert('t')</script>\" </h1><h1>";
    size_t len;
    json_t *ctx = fixture("article", "en");
    json_object_set_new(json_object_get(ctx, "article"), "title", json_string(evil));
    json_object_set_new(json_object_get(ctx, "page"), "title", json_string(evil));
    char *html = render(*state, "article", ctx, &len);
    check_page("article with markup in its title", html, len, ctx);
    char *h1 = h1_text(html, len);
    assert_string_equal(h1, evil);
    assert_non_null(strstr(html, "content=\"Q&amp;A: &quot;&lt;script&gt;"));
    free(h1);
    free(html);
    json_decref(ctx);
}

/* Optional parts may be missing: no lead image, keywords, related articles,
 * kicker, subtitle, Top News or ranking; the page stays valid. */
static void test_article_minimal(void **state)
{
    size_t len;
    json_t *ctx = fixture("article", "zh"), *a = json_object_get(ctx, "article");
    json_object_del(a, "lead");
    json_object_del(a, "kicker");
    json_object_set_new(a, "subtitle", json_string(""));
    json_object_set_new(a, "keywords", json_array());
    json_object_set_new(a, "related", json_array());
    json_object_set_new(ctx, "topnews", json_array());
    json_object_set_new(ctx, "mostread", json_array());
    json_object_del(ctx, "topnews_more");
    char *html = render(*state, "article", ctx, &len);
    check_page("article without its optional parts", html, len, ctx);
    assert_null(strstr(html, "<figure class=\"lead\">"));
    assert_null(strstr(html, "class=\"kicker\""));
    assert_null(strstr(html, "class=\"dek\""));
    assert_null(strstr(html, "class=\"more\""));
    free(html);
    json_decref(ctx);
}

/* A channel without articles says so; a special topic that ended says so. */
static void test_channel_empty_and_ended(void **state)
{
    size_t len;
    json_t *ctx = fixture("channel", "zh");
    json_object_set_new(ctx, "items", json_array());
    char *html = render(*state, "channel", ctx, &len);
    check_page("empty channel", html, len, ctx);
    assert_non_null(strstr(html, jget(ctx, "strings.no_items")));
    assert_non_null(strstr(html, jget(ctx, "strings.topic_ended")));
    assert_non_null(strstr(html, "class=\"chead special\""));
    assert_null(strstr(html, "class=\"pager\""));
    free(html);
    json_decref(ctx);

    ctx = fixture("channel", "en");
    html = render(*state, "channel", ctx, &len);
    assert_null(strstr(html, jget(ctx, "strings.no_items")));
    assert_non_null(strstr(html, "<span aria-current=\"page\">2</span>"));
    assert_non_null(strstr(html, "rel=\"prev\""));
    assert_non_null(strstr(html, "rel=\"next\""));
    assert_non_null(strstr(html, "<h2><a href=")); /* list headlines are h2 here */
    assert_non_null(strstr(html, "aria-current=\"page\">Innovation China</a>"));
    free(html);
    json_decref(ctx);
}

/* 410 for a withdrawn article, with its own words. */
static void test_gone_page(void **state)
{
    size_t len;
    json_t *ctx = fixture("error", "en"), *e = json_object_get(ctx, "error");
    json_object_set_new(e, "status", json_integer(410));
    json_object_set_new(e, "title", json_string(jget(ctx, "strings.gone_title")));
    json_object_set_new(e, "text", json_string(jget(ctx, "strings.gone_text")));
    char *html = render(*state, "error", ctx, &len);
    check_page("410 page", html, len, ctx);
    assert_non_null(strstr(html, "<p class=\"status\">410</p>"));
    char *h1 = h1_text(html, len);
    assert_string_equal(h1, jget(ctx, "strings.gone_title"));
    free(h1);
    free(html);
    json_decref(ctx);
}

/* The article page with a 1,000-word body, plus the stylesheet, under 30 KB
 * gzipped; the stylesheet alone under 8 KB. */
static void test_weight(void **state)
{
    size_t len, css_len;
    json_t *ctx = fixture("article", "en");
    char *html = render(*state, "article", ctx, &len);
    char *css = slurp("themes/default/static/site.css", &css_len);
    size_t html_gz = gzipped(html, len), css_gz = gzipped(css, css_len);
    print_message("  article.en.html %zu bytes, %zu gzipped; site.css %zu bytes, %zu gzipped;"
                  " total %zu of %d\n",
                  len, html_gz, css_len, css_gz, html_gz + css_gz, BUDGET_PAGE);
    assert_true(css_gz < BUDGET_CSS);
    assert_true(html_gz + css_gz < BUDGET_PAGE);
    free(css);
    free(html);
    json_decref(ctx);
}

/* site.js: small, no network, no inline script anywhere else to back it. */
static void test_script(void **state)
{
    (void)state;
    size_t len;
    char *js = slurp("themes/default/static/site.js", &len);
    assert_true(len < 1024);
    const char *banned[] = {"http", "XMLHttpRequest", "fetch(", "import", "eval", "cookie",
                            "localStorage", "createElement"};
    for (size_t i = 0; i < MH_ARRAY_LEN(banned); i++) {
        if (strstr(js, banned[i]))
            fail_msg("site.js uses '%s'", banned[i]);
    }
    assert_non_null(strstr(js, "pause()"));
    free(js);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_templates_resolve),
        cmocka_unit_test(test_pages),
        cmocka_unit_test(test_article_parts),
        cmocka_unit_test(test_title_is_escaped),
        cmocka_unit_test(test_article_minimal),
        cmocka_unit_test(test_channel_empty_and_ended),
        cmocka_unit_test(test_gone_page),
        cmocka_unit_test(test_weight),
        cmocka_unit_test(test_script),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
