/* SPDX-License-Identifier: MIT */
/*
 * pages.c - the reader site's pages: routing a path to a page kind, building
 * its value tree from the store (docs/internals/theme.md), and rendering it.
 * Also the theme's static files and the media library's image files, which
 * live under fingerprinted or content-addressed names and never change.
 */
#include "core/compat.h"

#include <dirent.h>
#include <pthread.h>
#include <stdarg.h>
#include <strings.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/fs.h"
#include "core/limits.h"
#include "core/log.h"
#include "feed/feed.h"
#include "model/date.h"
#include "render/escape.h"
#include "render/markdown.h"
#include "render/sanitize.h"
#include "render/template.h"
#include "render/value.h"
#include "site/site.h"
#include "store/store.h"

#define TOP_NEWS_MAX 6
#define MOST_READ_MAX 10
#define RELATED_MAX 6
#define HOME_SECTION_ITEMS 3

/* A static file of the theme, served under a fingerprinted name. */
struct asset {
    char url[96];         /* "/static/site.3f2a9c1d.css" */
    const char *type;
    char *data;
    size_t len;
};

struct site_app {
    struct site *site;
    struct tpl_set *tpl;
    struct asset css, js;
};

/* ------------------------------------------------------------------ */
/* The UI words of each language (docs/internals/theme.md, Strings)      */

struct ui_string {
    const char *key, *en, *zh;
};

static const struct ui_string ui_strings[] = {
    {"skip_to_content", "Skip to content", "跳到正文"},
    {"old_browser",
     "This site is built for current browsers. In an old browser or in compatibility mode "
     "some pages may not display correctly; please update your browser.",
     "本站为新版浏览器设计，在旧版浏览器或兼容模式下部分页面可能显示异常，建议升级浏览器。"},
    {"channels", "Channels", "栏目"},
    {"editions", "Editions", "语言版本"},
    {"position", "Position", "当前位置"},
    {"colon", ": ", "："},
    {"source", "Source", "来源"},
    {"author", "Author", "作者"},
    {"editor", "Editor", "责任编辑"},
    {"keywords", "Keywords", "关键词"},
    {"permalink", "Permanent link", "本文链接"},
    {"related", "Related", "相关文章"},
    {"top_news", "Top News", "要闻"},
    {"most_read", "Most Read", "阅读排行"},
    {"more", "More", "更多"},
    {"search", "Search", "搜索"},
    {"prev", "Previous", "上一页"},
    {"next", "Next", "下一页"},
    {"page", "Pages", "分页"},
    {"no_items", "There are no articles here yet.", "本栏目暂无文章。"},
    {"topic_ended", "This special topic has ended; its articles remain available.",
     "本专题已结束，专题文章仍可阅读。"},
    {"not_found_title", "Page not found", "页面未找到"},
    {"not_found_text",
     "The page you asked for does not exist or has moved. Try the search box, or start again "
     "from the front page.",
     "您访问的页面不存在或已经移动。请使用搜索框，或从首页重新开始。"},
    {"gone_title", "Article withdrawn", "文章已撤回"},
    {"gone_text", "This article has been withdrawn by the editors and is no longer available.",
     "该文章已被编辑撤回，无法继续访问。"},
    {"home", "Back to the front page", "返回首页"},
    {"search_label", "Search the English edition", "搜索中文版"},
    {"search_placeholder", "Search articles", "搜索文章"},
    {"edition_suffix", "English Edition", "中文版"},
};

static bool is_zh(struct str lang)
{
    return str_starts(lang, "zh");
}

static const char *ui(struct str lang, const char *key)
{
    for (size_t i = 0; i < MH_ARRAY_LEN(ui_strings); i++)
        if (strcmp(ui_strings[i].key, key) == 0)
            return is_zh(lang) ? ui_strings[i].zh : ui_strings[i].en;
    MH_BUG("no UI string '%s'", key);
}

/* ------------------------------------------------------------------ */
/* Loading the theme                                                    */

static int load_asset(const char *dir, const char *name, const char *ext, const char *type,
                      struct asset *a, char *errbuf, size_t errlen)
{
    char path[4096];
    struct buf b;
    snprintf(path, sizeof(path), "%s/static/%s.%s", dir, name, ext);
    buf_init(&b, NULL, MH_MIB);
    int rc = fs_read_file(path, &b, errbuf, errlen);
    if (rc) {
        buf_release(&b);
        return rc;
    }
    /* the fingerprint: 32 bits of FNV-1a over the bytes */
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < b.len; i++)
        h = (h ^ (unsigned char)b.data[i]) * 16777619u;
    snprintf(a->url, sizeof(a->url), "/static/%s.%08x.%s", name, h, ext);
    a->type = type;
    a->data = buf_take(&b, &a->len);
    return MH_OK;
}

int site_app_new(struct site *site, const char *theme_dir, struct site_app **out, char *errbuf,
                 size_t errlen)
{
    struct site_app *app = mh_calloc(1, sizeof(*app));
    DIR *d = opendir(theme_dir);
    struct dirent *e;
    int rc = MH_OK;
    app->site = site;
    app->tpl = tpl_set_new();
    if (d == NULL) {
        snprintf(errbuf, errlen, "no theme in '%s'", theme_dir);
        site_app_free(app);
        return MH_NOTFOUND;
    }
    while (rc == MH_OK && (e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n <= 9 || strcmp(e->d_name + n - 9, ".mustache") != 0)
            continue;
        char path[4096], name[256], why[512];
        struct buf src;
        snprintf(path, sizeof(path), "%s/%s", theme_dir, e->d_name);
        snprintf(name, sizeof(name), "%.*s", (int)(n - 9), e->d_name);
        buf_init(&src, NULL, MH_MIB);
        rc = fs_read_file(path, &src, errbuf, errlen);
        if (rc == MH_OK) {
            rc = tpl_set_add(app->tpl, name, buf_str(&src), why, sizeof(why));
            if (rc)
                snprintf(errbuf, errlen, "%s/%s", theme_dir, why);
        }
        buf_release(&src);
    }
    closedir(d);
    if (rc == MH_OK)
        rc = load_asset(theme_dir, "site", "css", "text/css; charset=utf-8", &app->css, errbuf,
                        errlen);
    if (rc == MH_OK)
        rc = load_asset(theme_dir, "site", "js", "text/javascript; charset=utf-8", &app->js,
                        errbuf, errlen);
    static const char *const needed[] = {"home", "channel", "article", "error"};
    for (size_t i = 0; rc == MH_OK && i < MH_ARRAY_LEN(needed); i++) {
        if (!tpl_set_has(app->tpl, needed[i])) {
            snprintf(errbuf, errlen, "the theme in '%s' has no %s.mustache", theme_dir,
                     needed[i]);
            rc = MH_NOTFOUND;
        }
    }
    if (rc) {
        site_app_free(app);
        return rc;
    }
    *out = app;
    return MH_OK;
}

void site_app_assets(const struct site_app *app, const char **css, const char **js)
{
    *css = app->css.url;
    *js = app->js.url;
}

void site_app_free(struct site_app *app)
{
    if (app == NULL)
        return;
    tpl_set_free(app->tpl);
    free(app->css.data);
    free(app->js.data);
    free(app);
}

/* ------------------------------------------------------------------ */
/* Paths                                                                */

/* "/english/2026-03/06/content_481099.html": the date of first publication
 * in the edition's time zone. */
struct str site_article_url(struct arena *arena, const struct edition *e, int64_t published,
                            int64_t id)
{
    struct buf b;
    buf_init(&b, arena, 256);
    buf_addc(&b, '/');
    buf_addstr(&b, e->slug);
    date_format(&b, published, e->tz, "/%Y-%m/%d/");
    buf_addf(&b, "content_%lld.html", (long long)id);
    return buf_str(&b);
}

static struct str fmt(struct arena *arena, const char *f, ...) MH_PRINTF(2, 3);
static struct str fmt(struct arena *arena, const char *f, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, f);
    int n = vsnprintf(tmp, sizeof(tmp), f, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    if ((size_t)n >= sizeof(tmp))
        n = sizeof(tmp) - 1;
    return arena_str(arena, str_make(tmp, (size_t)n));
}

struct str site_channel_url(struct arena *arena, struct str edition, struct str channel,
                            int64_t page)
{
    if (page <= 1)
        return fmt(arena, "/%.*s/%.*s/", (int)edition.len, edition.ptr, (int)channel.len,
                   channel.ptr);
    return fmt(arena, "/%.*s/%.*s/index_%lld.html", (int)edition.len, edition.ptr,
               (int)channel.len, channel.ptr, (long long)page);
}

static struct str date_text(struct arena *arena, const struct edition *e, int64_t ms,
                            bool seconds)
{
    struct buf b;
    buf_init(&b, arena, 64);
    if (is_zh(e->lang))
        date_format(&b, ms, e->tz, seconds ? "%Y年%m月%d日 %H:%M:%S" : "%Y年%m月%d日 %H:%M");
    else
        date_format(&b, ms, e->tz, seconds ? "%Y-%m-%d %H:%M:%S" : "%Y-%m-%d %H:%M");
    return buf_str(&b);
}

static struct str iso_date(struct arena *arena, const struct edition *e, int64_t ms)
{
    struct buf b;
    buf_init(&b, arena, 64);
    date_format(&b, ms, e->tz, "%Y-%m-%dT%H:%M:%S%Z");
    return buf_str(&b);
}

/* ------------------------------------------------------------------ */
/* The context every page shares                                        */

struct page_ctx {
    struct site_app *app;
    struct store *s;
    struct site_memo *memo; /* NULL: every read goes to the store */
    struct arena *arena;
    struct edition ed;
    struct edition *editions;
    size_t n_editions;
    struct channel *channels;
    size_t n_channels;
    struct tval *root, *page;
    struct tval *feeds; /* page.feeds */
    int64_t *shows;     /* the articles linked so far: site_page.shows */
    size_t n_shows, cap_shows;
    bool lists_newest;  /* site_page.lists_newest */
};

/* ------------------------------------------------------------------ */
/* The memo: what many pages share, read from the store once            */

#define MEMO_EDITIONS 32

struct memo_top { /* one Top News slot and its article's card */
    struct curation_slot slot;
    struct article_card card;
    int rc; /* of store_card_get: MH_NOTFOUND when withdrawn since */
};

struct memo_edition {
    struct str slug;
    bool have_channels, have_asides;
    struct channel *channels;
    size_t n_channels;
    struct memo_top *top;
    size_t n_top;
    struct article_card *most;
    size_t n_most;
    struct link_group *groups;
    size_t n_groups;
    struct memo_newest *newest; /* the newest of each channel asked for so far */
    size_t n_newest, cap_newest;
};

struct memo_newest { /* the newest RELATED_MAX + 1 of a channel: related lists top up */
    struct str channel;
    struct article_card *cards;
    size_t n;
};

struct memo_media { /* the derivatives of one image */
    int64_t id;     /* 0: a free slot */
    struct image_derivative *d;
    size_t n;
};

struct site_memo {
    struct arena arena; /* everything below */
    bool have_editions;
    struct edition *editions;
    size_t n_editions;
    struct memo_edition ed[MEMO_EDITIONS];
    size_t n_ed;
    struct memo_media *media; /* open addressing on id, at most half full */
    size_t media_cap, media_used;
};

struct site_memo *site_memo_new(void)
{
    struct site_memo *m = mh_calloc(1, sizeof(*m));
    arena_init(&m->arena, 64 * 1024);
    return m;
}

void site_memo_free(struct site_memo *m)
{
    if (m == NULL)
        return;
    arena_release(&m->arena);
    free(m->media);
    free(m);
}

/* The memo's entry for EDITION, added when absent; NULL without a memo or
 * past MEMO_EDITIONS (the store is asked then). */
static struct memo_edition *memo_edition(struct page_ctx *c, struct str edition)
{
    struct site_memo *m = c->memo;
    if (m == NULL)
        return NULL;
    for (size_t i = 0; i < m->n_ed; i++)
        if (str_eq(m->ed[i].slug, edition))
            return &m->ed[i];
    if (m->n_ed == MEMO_EDITIONS)
        return NULL;
    struct memo_edition *e = &m->ed[m->n_ed++];
    memset(e, 0, sizeof(*e));
    e->slug = arena_str(&m->arena, edition);
    return e;
}

static int get_editions(struct page_ctx *c, struct edition **out, size_t *n)
{
    struct site_memo *m = c->memo;
    if (m == NULL)
        return store_editions(c->s, c->arena, out, n);
    if (!m->have_editions) {
        int rc = store_editions(c->s, &m->arena, &m->editions, &m->n_editions);
        if (rc)
            return rc;
        m->have_editions = true;
    }
    *out = m->editions;
    *n = m->n_editions;
    return MH_OK;
}

static int get_edition(struct page_ctx *c, struct str slug, struct edition *out)
{
    struct edition *eds;
    size_t n;
    if (c->memo == NULL)
        return store_edition_get(c->s, c->arena, slug, out);
    int rc = get_editions(c, &eds, &n);
    for (size_t i = 0; rc == MH_OK && i < n; i++)
        if (str_eq(eds[i].slug, slug)) {
            *out = eds[i];
            return MH_OK;
        }
    return rc ? rc : MH_NOTFOUND;
}

static int get_channels(struct page_ctx *c, struct str edition, struct channel **out, size_t *n)
{
    struct memo_edition *e = memo_edition(c, edition);
    if (e == NULL)
        return store_channels(c->s, c->arena, edition, out, n);
    if (!e->have_channels) {
        int rc = store_channels(c->s, &c->memo->arena, edition, &e->channels, &e->n_channels);
        if (rc)
            return rc;
        e->have_channels = true;
    }
    *out = e->channels;
    *n = e->n_channels;
    return MH_OK;
}

static int get_channel(struct page_ctx *c, struct str edition, struct str slug,
                       struct channel *out)
{
    struct channel *chs;
    size_t n;
    if (c->memo == NULL)
        return store_channel_get(c->s, c->arena, edition, slug, out);
    int rc = get_channels(c, edition, &chs, &n);
    for (size_t i = 0; rc == MH_OK && i < n; i++)
        if (str_eq(chs[i].slug, slug)) {
            *out = chs[i];
            return MH_OK;
        }
    return rc ? rc : MH_NOTFOUND;
}

static int get_derivatives(struct page_ctx *c, int64_t media_id, struct image_derivative **out,
                           size_t *n)
{
    struct site_memo *m = c->memo;
    if (m == NULL)
        return store_derivatives_get(c->s, c->arena, media_id, out, n);
    if (2 * (m->media_used + 1) > m->media_cap) { /* grow: rehash into twice the slots */
        size_t cap = m->media_cap ? 2 * m->media_cap : 64;
        struct memo_media *t = mh_calloc(cap, sizeof(*t));
        for (size_t i = 0; i < m->media_cap; i++)
            if (m->media[i].id) {
                size_t k = (size_t)m->media[i].id * 0x9E3779B97F4A7C15u & (cap - 1);
                while (t[k].id)
                    k = (k + 1) & (cap - 1);
                t[k] = m->media[i];
            }
        free(m->media);
        m->media = t;
        m->media_cap = cap;
    }
    size_t k = (size_t)media_id * 0x9E3779B97F4A7C15u & (m->media_cap - 1);
    while (m->media[k].id && m->media[k].id != media_id)
        k = (k + 1) & (m->media_cap - 1);
    struct memo_media *e = &m->media[k];
    if (e->id == 0) {
        int rc = store_derivatives_get(c->s, &m->arena, media_id, &e->d, &e->n);
        if (rc)
            return rc;
        e->id = media_id;
        m->media_used++;
    }
    *out = e->d;
    *n = e->n;
    return MH_OK;
}

/* The newest RELATED_MAX + 1 articles of CHANNEL in the page's edition,
 * from the memo when there is one. */
static int get_channel_newest(struct page_ctx *c, struct str channel,
                              struct article_card **out, size_t *n)
{
    struct memo_edition *e = memo_edition(c, c->ed.slug);
    if (e == NULL)
        return store_cards_latest(c->s, c->arena, c->ed.slug, channel, 0, RELATED_MAX + 1, out,
                                  n);
    for (size_t i = 0; i < e->n_newest; i++)
        if (str_eq(e->newest[i].channel, channel)) {
            *out = e->newest[i].cards;
            *n = e->newest[i].n;
            return MH_OK;
        }
    struct memo_newest m = {.channel = arena_str(&c->memo->arena, channel)};
    int rc = store_cards_latest(c->s, &c->memo->arena, c->ed.slug, channel, 0, RELATED_MAX + 1,
                                &m.cards, &m.n);
    if (rc)
        return rc;
    if (e->n_newest == e->cap_newest) {
        size_t cap = e->cap_newest ? 2 * e->cap_newest : 16;
        struct memo_newest *more = arena_alloc(&c->memo->arena, cap * sizeof(*more));
        if (e->n_newest)
            memcpy(more, e->newest, e->n_newest * sizeof(*more));
        e->newest = more;
        e->cap_newest = cap;
    }
    e->newest[e->n_newest++] = m;
    *out = m.cards;
    *n = m.n;
    return MH_OK;
}

/* Top News, Most Read and the links of C's edition: from the memo, else
 * read into it (or into the page's arena without one). */
static int get_asides(struct page_ctx *c, struct memo_edition *out)
{
    struct memo_edition *e = memo_edition(c, c->ed.slug);
    struct arena *a = e ? &c->memo->arena : c->arena;
    if (e && e->have_asides) {
        *out = *e;
        return MH_OK;
    }
    struct memo_edition tmp = {0};
    struct curation_slot *slots;
    size_t n;
    int rc = store_curation_get(c->s, a, c->ed.slug, STR_LIT("top"), &slots, &n);
    if (rc)
        return rc;
    tmp.top = arena_zalloc(a, (n ? n : 1) * sizeof(*tmp.top));
    for (size_t i = 0; i < n && tmp.n_top < TOP_NEWS_MAX; i++) {
        struct memo_top *t = &tmp.top[tmp.n_top++];
        t->slot = slots[i];
        t->rc = store_card_get(c->s, a, slots[i].article_id, &t->card);
        if (t->rc && t->rc != MH_NOTFOUND)
            return t->rc;
    }
    rc = store_cards_most_read(c->s, a, c->ed.slug, MOST_READ_MAX, &tmp.most, &tmp.n_most);
    if (rc == MH_OK)
        rc = store_link_groups(c->s, a, c->ed.slug, &tmp.groups, &tmp.n_groups);
    if (rc)
        return rc;
    if (e) {
        e->top = tmp.top;
        e->n_top = tmp.n_top;
        e->most = tmp.most;
        e->n_most = tmp.n_most;
        e->groups = tmp.groups;
        e->n_groups = tmp.n_groups;
        e->have_asides = true;
    }
    *out = tmp;
    return MH_OK;
}

/* Note that the page links article ID by its title. */
static void shown(struct page_ctx *c, int64_t id)
{
    if (c->n_shows == c->cap_shows) {
        size_t cap = c->cap_shows ? 2 * c->cap_shows : 32;
        int64_t *ids = arena_alloc(c->arena, cap * sizeof(*ids));
        if (c->n_shows)
            memcpy(ids, c->shows, c->n_shows * sizeof(*ids));
        c->shows = ids;
        c->cap_shows = cap;
    }
    c->shows[c->n_shows++] = id;
}

#define S(str_) tval_str(c->arena, (str_))
#define C(cstr_) tval_strc(c->arena, (cstr_))

/* ------------------------------------------------------------------ */
/* Images: derivatives in srcset, the original until they are made      */

/* Fill IMG (holding the original's src, width and height) from the
 * derivatives of MEDIA_ID in VARIANT: src the widest JPEG no wider than
 * PREFER (else the narrowest), srcset every JPEG, webp every WebP
 * ("/media/... 640w, ..."), and return that srcset.  IMG stays as it is
 * (and "" is returned) when none are made yet, or when the store fails
 * (logged): a page never waits for derivatives. */
static struct str add_derivatives(struct page_ctx *c, struct tval *img, int64_t media_id,
                                  const char *variant, int prefer)
{
    struct image_derivative *d;
    const struct image_derivative *pick = NULL;
    struct buf jpg, webp;
    size_t n;
    if (media_id == 0)
        return STR_NULL;
    if (get_derivatives(c, media_id, &d, &n) != MH_OK) {
        log_error("image %lld: cannot load its derivatives: %s", (long long)media_id,
                  store_errmsg(c->s));
        return STR_NULL;
    }
    buf_init(&jpg, c->arena, 16 * 1024);
    buf_init(&webp, c->arena, 16 * 1024);
    for (size_t i = 0; i < n; i++) { /* widest first */
        if (!str_eq_c(d[i].variant, variant))
            continue;
        bool is_webp = str_eq_c(d[i].format, "webp");
        struct buf *b = is_webp ? &webp : &jpg;
        buf_addf(b, "%s/%.*s %dw", b->len ? ", " : "", (int)d[i].path.len, d[i].path.ptr,
                 d[i].width);
        if (is_webp)
            continue;
        if (d[i].width <= prefer) {
            if (pick == NULL || pick->width > prefer || d[i].width > pick->width)
                pick = &d[i];
        } else if (pick == NULL || (pick->width > prefer && d[i].width < pick->width)) {
            pick = &d[i];
        }
    }
    if (pick == NULL || jpg.err || webp.err)
        return STR_NULL;
    tval_set(img, "src", S(fmt(c->arena, "/%.*s", (int)pick->path.len, pick->path.ptr)));
    tval_set(img, "width", tval_int(c->arena, pick->width));
    tval_set(img, "height", tval_int(c->arena, pick->height));
    tval_set(img, "srcset", S(buf_str(&jpg)));
    if (webp.len)
        tval_set(img, "webp", S(buf_str(&webp)));
    return buf_str(&jpg);
}

/* The sanitized BODY with a srcset on each <img> that shows one of the
 * article's images whose widths are made.  Only attributes we write are
 * added (site-relative URLs and numbers), so the HTML stays safe. */
static struct str body_srcset(struct page_ctx *c, const struct article *art, struct str body)
{
    struct buf out;
    buf_init(&out, c->arena, MH_MAX_BODY * 2 + 64 * 1024);
    for (size_t k = 0; k < art->n_images; k++) {
        const struct article_image *im = &art->images[k];
        struct str attr = fmt(c->arena, " src=\"/%.*s\"", (int)im->path.len, im->path.ptr);
        const char *hit = NULL;
        for (const char *p = body.ptr; !hit && p + attr.len <= body.ptr + body.len; p++)
            if (*p == ' ' && memcmp(p, attr.ptr, attr.len) == 0)
                hit = p;
        if (hit == NULL)
            continue;
        struct tval *img = tval_object(c->arena);
        struct str srcset = add_derivatives(c, img, im->media_id, "w", 1280); /* theme.ini widths */
        if (srcset.len == 0)
            continue;
        /* every occurrence of this image in the body */
        buf_reset(&out);
        const char *p = body.ptr, *end = body.ptr + body.len;
        while (p < end) {
            const char *q = p;
            while (q + attr.len <= end && memcmp(q, attr.ptr, attr.len) != 0)
                q++;
            if (q + attr.len > end) {
                buf_add(&out, p, (size_t)(end - p));
                break;
            }
            buf_add(&out, p, (size_t)(q - p) + attr.len);
            buf_addf(&out, " srcset=\"%.*s\" sizes=\"(min-width: 48em) 40rem, 100vw\"",
                     (int)srcset.len, srcset.ptr);
            p = q + attr.len;
        }
        if (out.err)
            return body;
        body = arena_str(c->arena, buf_str(&out));
    }
    return body;
}

/* A list item; VARIANT names the derivatives of its image ("thumb",
 * "lead"), NULL for none. */
static struct tval *item_from_card(struct page_ctx *c, const struct article_card *card,
                                   const char *variant)
{
    struct tval *it = tval_object(c->arena);
    shown(c, card->id);
    tval_set(it, "title", S(card->title));
    tval_set(it, "url", S(site_article_url(c->arena, &c->ed, card->published_at, card->id)));
    tval_set(it, "date", S(date_text(c->arena, &c->ed, card->published_at, false)));
    tval_set(it, "datetime", S(iso_date(c->arena, &c->ed, card->published_at)));
    if (card->abstract.len)
        tval_set(it, "abstract", S(card->abstract));
    if (variant && card->lead.path.len) {
        struct tval *img = tval_object(c->arena);
        tval_set(img, "src", S(fmt(c->arena, "/%.*s", (int)card->lead.path.len,
                                   card->lead.path.ptr)));
        tval_set(img, "alt", S(card->lead.alt.len ? card->lead.alt : card->title));
        tval_set(img, "width", tval_int(c->arena, card->lead.width));
        tval_set(img, "height", tval_int(c->arena, card->lead.height));
        add_derivatives(c, img, card->lead.media_id, variant, 640);
        tval_set(it, "image", img);
    }
    return it;
}


int site_rankings_refresh(struct store *s)
{
    return store_rankings_refresh(s, clock_now_ms() / 3600000 - 7 * 24, MOST_READ_MAX);
}

/* Top News, the numbered most-read list (as last drawn by
 * site_rankings_refresh()) and the links. */
static int add_asides(struct page_ctx *c)
{
    struct arena *a = c->arena;
    struct memo_edition as;
    int64_t now = clock_now_ms();
    int rc = get_asides(c, &as);
    if (rc)
        return rc;
    struct tval *top = tval_list(a);
    for (size_t i = 0; i < as.n_top; i++) {
        const struct curation_slot *slot = &as.top[i].slot;
        const struct article_card *card = &as.top[i].card;
        if ((slot->expires_at && slot->expires_at < now) || as.top[i].rc != MH_OK)
            continue; /* expired, or withdrawn since it was picked */
        struct tval *it = tval_object(a);
        shown(c, card->id);
        tval_set(it, "title", S(slot->title.len ? slot->title : card->title));
        tval_set(it, "url", S(site_article_url(a, &c->ed, card->published_at, card->id)));
        if (slot->summary.len)
            tval_set(it, "summary", S(slot->summary));
        tval_append(top, it);
    }
    tval_set(c->root, "topnews", top);
    tval_set(c->root, "topnews_more", S(fmt(a, "/%.*s/news/", (int)c->ed.slug.len,
                                             c->ed.slug.ptr)));

    struct tval *most = tval_list(a);
    for (size_t i = 0; i < as.n_most; i++) {
        const struct article_card *card = &as.most[i];
        struct tval *it = tval_object(a);
        shown(c, card->id);
        tval_set(it, "rank", tval_int(a, (int64_t)i + 1));
        tval_set(it, "title", S(card->title));
        tval_set(it, "url", S(site_article_url(a, &c->ed, card->published_at, card->id)));
        tval_append(most, it);
    }
    tval_set(c->root, "mostread", most);

    struct link_group *groups = as.groups;
    size_t n = as.n_groups;
    struct tval *links = tval_object(a), *footer = tval_list(a);
    for (size_t i = 0; i < n; i++) {
        struct tval *g = tval_object(a), *items = tval_list(a);
        tval_set(g, "name", S(groups[i].name));
        for (size_t k = 0; k < groups[i].n_links; k++) {
            struct tval *l = tval_object(a);
            tval_set(l, "title", S(groups[i].links[k].title));
            tval_set(l, "url", S(groups[i].links[k].url));
            tval_append(items, l);
        }
        tval_set(g, "items", items);
        if (groups[i].kind == LINKS_FRIENDLY)
            tval_set(links, "friendly", g);
        else
            tval_append(footer, g);
    }
    tval_set(links, "footer", footer);
    tval_set(c->root, "links", links);
    return MH_OK;
}

/* Everything but the page's own part.  CURRENT is the channel slug to mark
 * in the navigation ("" for Home, NULL for none). */
static void add_feed(void *ctx, const char *type, struct str title, struct str path)
{
    struct page_ctx *c = ctx;
    struct tval *f = tval_object(c->arena);
    tval_set(f, "type", C(type));
    tval_set(f, "title", S(title));
    tval_set(f, "url", S(path));
    tval_append(c->feeds, f);
}

/* page.feeds: the edition's feeds (CH NULL), or add CH's after them. */
static void add_feeds(struct page_ctx *c, const struct channel *ch)
{
    struct str name = str_c(ui(c->ed.lang, "edition_suffix"));
    if (ch == NULL) {
        c->feeds = tval_list(c->arena);
        tval_set(c->page, "feeds", c->feeds);
    }
    feed_links(c->arena, c->ed.slug, fmt(c->arena, "%s %.*s", c->app->site->conf.name,
                                         (int)name.len, name.ptr),
               ch ? ch->slug : STR_NULL, ch ? ch->name : STR_NULL, add_feed, c);
}

static int common(struct page_ctx *c, const char *current)
{
    struct arena *a = c->arena;
    struct str lang = c->ed.lang;
    int rc = get_editions(c, &c->editions, &c->n_editions);
    if (rc == MH_OK)
        rc = get_channels(c, c->ed.slug, &c->channels, &c->n_channels);
    if (rc)
        return rc;
    c->root = tval_object(a);
    c->page = tval_object(a);
    tval_set(c->root, "page", c->page);

    struct tval *site = tval_object(a), *ed = tval_object(a), *eds = tval_list(a);
    tval_set(site, "name", C(c->app->site->conf.name));
    tval_set(site, "copyright",
             S(fmt(a, "Copyright © %d %s. All rights reserved.",
                   (int)(clock_now_ms() / 1000 / 86400 / 365 + 1970), c->app->site->conf.name)));
    tval_set(site, "lang", S(lang));
    tval_set(site, "dir", C("ltr"));
    tval_set(site, "base_url", S(c->ed.base_url));
    tval_set(ed, "slug", S(c->ed.slug));
    tval_set(ed, "name", C(ui(lang, "edition_suffix")));
    tval_set(ed, "url", S(fmt(a, "/%.*s/", (int)c->ed.slug.len, c->ed.slug.ptr)));
    tval_set(site, "edition", ed);
    for (size_t i = 0; i < c->n_editions; i++) {
        struct tval *e = tval_object(a);
        tval_set(e, "name", S(c->editions[i].name));
        tval_set(e, "url", S(fmt(a, "/%.*s/", (int)c->editions[i].slug.len,
                                 c->editions[i].slug.ptr)));
        tval_set(e, "lang", S(c->editions[i].lang));
        tval_set(e, "current", tval_bool(a, str_eq(c->editions[i].slug, c->ed.slug)));
        tval_append(eds, e);
    }
    tval_set(site, "editions", eds);
    struct tval *assets = tval_object(a);
    tval_set(assets, "css", C(c->app->css.url));
    tval_set(assets, "js", C(c->app->js.url));
    tval_set(site, "assets", assets);
    tval_set(c->root, "site", site);

    struct tval *nav = tval_list(a), *home = tval_object(a);
    tval_set(home, "name", C(is_zh(lang) ? "首页" : "Home"));
    tval_set(home, "url", S(fmt(a, "/%.*s/", (int)c->ed.slug.len, c->ed.slug.ptr)));
    tval_set(home, "current", tval_bool(a, current && current[0] == '\0'));
    tval_append(nav, home);
    for (size_t i = 0; i < c->n_channels; i++) {
        const struct channel *ch = &c->channels[i];
        if (ch->parent_id)
            continue; /* the bar shows top-level channels */
        struct tval *it = tval_object(a);
        tval_set(it, "name", S(ch->name));
        tval_set(it, "url", S(site_channel_url(a, c->ed.slug, ch->slug, 1)));
        tval_set(it, "current", tval_bool(a, current && str_eq_c(ch->slug, current)));
        tval_set(it, "special", tval_bool(a, ch->kind == CHANNEL_SPECIAL));
        tval_append(nav, it);
    }
    tval_set(c->root, "nav", nav);

    struct tval *search = tval_object(a);
    tval_set(search, "action", S(fmt(a, "/%.*s/search", (int)c->ed.slug.len, c->ed.slug.ptr)));
    tval_set(search, "label", C(ui(lang, "search_label")));
    tval_set(search, "placeholder", C(ui(lang, "search_placeholder")));
    tval_set(search, "q", C(""));
    tval_set(c->root, "search", search);

    struct tval *strings = tval_object(a);
    for (size_t i = 0; i < MH_ARRAY_LEN(ui_strings); i++)
        tval_set(strings, ui_strings[i].key, C(is_zh(lang) ? ui_strings[i].zh : ui_strings[i].en));
    tval_set(c->root, "strings", strings);
    tval_set(c->root, "breadcrumb", tval_list(a));
    tval_set(c->page, "og_type", C("website"));
    tval_set(c->page, "hreflang", tval_list(a));
    add_feeds(c, NULL);
    return add_asides(c);
}

/* page.hreflang: this article and its published translations, each under
 * its edition's language and address; none when it has no translation. */
static int add_hreflang(struct page_ctx *c, const struct article *art, struct str url)
{
    struct arena *a = c->arena;
    struct article_card *tr;
    size_t n;
    int rc = store_cards_translations(c->s, a, art->id, art->translation_of, &tr, &n);
    if (rc || n == 0)
        return rc;
    struct tval *list = tval_list(a), *self = tval_object(a);
    tval_set(self, "lang", S(c->ed.lang));
    tval_set(self, "url", S(url));
    tval_append(list, self);
    for (size_t i = 0; i < n; i++)
        for (size_t e = 0; e < c->n_editions; e++) {
            const struct edition *ed = &c->editions[e];
            if (!str_eq(ed->slug, tr[i].edition))
                continue;
            struct str path = site_article_url(a, ed, tr[i].published_at, tr[i].id);
            shown(c, tr[i].id);
            struct tval *t = tval_object(a);
            tval_set(t, "lang", S(ed->lang));
            tval_set(t, "url", S(fmt(a, "%.*s%.*s", (int)ed->base_url.len, ed->base_url.ptr,
                                     (int)path.len, path.ptr)));
            tval_append(list, t);
        }
    tval_set(c->page, "hreflang", list);
    return MH_OK;
}

static void breadcrumb(struct page_ctx *c, const struct channel *ch)
{
    struct tval *bc = tval_list(c->arena), *e = tval_object(c->arena);
    tval_set(e, "name", S(c->ed.name));
    tval_set(e, "url", S(fmt(c->arena, "/%.*s/", (int)c->ed.slug.len, c->ed.slug.ptr)));
    tval_append(bc, e);
    if (ch) {
        struct tval *x = tval_object(c->arena);
        tval_set(x, "name", S(ch->name));
        tval_set(x, "url", S(site_channel_url(c->arena, c->ed.slug, ch->slug, 1)));
        tval_append(bc, x);
    }
    tval_set(c->root, "breadcrumb", bc);
}

static void page_meta(struct page_ctx *c, struct str title, struct str description,
                      struct str path)
{
    tval_set(c->page, "title", S(fmt(c->arena, "%.*s - %s", (int)title.len, title.ptr,
                                     c->app->site->conf.name)));
    if (description.len)
        tval_set(c->page, "description", S(description));
    tval_set(c->page, "canonical", S(fmt(c->arena, "%.*s%.*s", (int)c->ed.base_url.len,
                                         c->ed.base_url.ptr, (int)path.len, path.ptr)));
}

static int render(struct page_ctx *c, const char *tpl, int status, struct site_page *out)
{
    struct buf b;
    buf_init(&b, c->arena, MH_MAX_PAGE);
    int rc = tpl_render(c->app->tpl, tpl, c->root, &b);
    if (rc) {
        log_error("cannot render %s: %s", tpl, mh_strerror(rc));
        return rc;
    }
    out->status = status;
    out->content_type = "text/html; charset=utf-8";
    out->body = buf_str(&b);
    out->cache = SITE_CACHE_PAGE;
    out->edition = c->ed.slug;
    out->shows = c->shows;
    out->n_shows = c->n_shows;
    out->lists_newest = c->lists_newest;
    return MH_OK;
}

/* ------------------------------------------------------------------ */
/* Pages                                                                */

static int error_page(struct page_ctx *c, int status, struct site_page *out)
{
    int rc = common(c, NULL);
    if (rc)
        return rc;
    struct str lang = c->ed.lang;
    struct tval *e = tval_object(c->arena);
    const char *title = ui(lang, status == 410 ? "gone_title" : "not_found_title");
    tval_set(e, "status", tval_int(c->arena, status));
    tval_set(e, "title", C(title));
    tval_set(e, "text", C(ui(lang, status == 410 ? "gone_text" : "not_found_text")));
    tval_set(c->root, "error", e);
    page_meta(c, str_c(title), STR_NULL, STR_LIT("/"));
    return render(c, "error", status, out);
}

static int home_page(struct page_ctx *c, struct site_page *out)
{
    struct arena *a = c->arena;
    struct article_card *cards;
    size_t n;
    int rc = common(c, "");
    if (rc == MH_OK)
        rc = store_cards_latest(c->s, a, c->ed.slug, STR_NULL, 0, 3, &cards, &n);
    if (rc)
        return rc;
    struct tval *lead = tval_list(a);
    for (size_t i = 0; i < n; i++) /* the first is drawn big: the lead crops */
        tval_append(lead, item_from_card(c, &cards[i], i == 0 ? "lead" : "thumb"));
    tval_set(c->root, "lead", lead);
    struct tval *sections = tval_list(a);
    for (size_t k = 0; k < c->n_channels; k++) {
        const struct channel *ch = &c->channels[k];
        if (ch->parent_id)
            continue;
        rc = store_cards_latest(c->s, a, c->ed.slug, ch->slug, 0, HOME_SECTION_ITEMS, &cards,
                                &n);
        if (rc)
            return rc;
        if (n == 0)
            continue;
        struct tval *sec = tval_object(a), *items = tval_list(a);
        tval_set(sec, "name", S(ch->name));
        tval_set(sec, "url", S(site_channel_url(a, c->ed.slug, ch->slug, 1)));
        for (size_t i = 0; i < n; i++)
            tval_append(items, item_from_card(c, &cards[i], "thumb"));
        tval_set(sec, "items", items);
        tval_append(sections, sec);
    }
    tval_set(c->root, "sections", sections);
    page_meta(c, c->ed.name, STR_NULL, fmt(a, "/%.*s/", (int)c->ed.slug.len, c->ed.slug.ptr));
    rc = render(c, "home", 200, out);
    out->scope = SITE_SCOPE_EDITION;
    return rc;
}

static int channel_page(struct page_ctx *c, struct str slug, int64_t pageno,
                        struct site_page *out)
{
    struct arena *a = c->arena;
    struct channel ch;
    struct article_card *cards;
    size_t n;
    int64_t total;
    int rc = get_channel(c, c->ed.slug, slug, &ch);
    if (rc == MH_NOTFOUND)
        return error_page(c, 404, out);
    if (rc == MH_OK)
        rc = store_cards_count(c->s, c->ed.slug, slug, &total);
    if (rc)
        return rc;
    int64_t pages = total ? (total + SITE_PAGE_SIZE - 1) / SITE_PAGE_SIZE : 1;
    if (pageno > pages)
        return error_page(c, 404, out);
    char cur[128];
    snprintf(cur, sizeof(cur), "%.*s", (int)slug.len, slug.ptr);
    rc = common(c, cur);
    if (rc == MH_OK)
        add_feeds(c, &ch);
    if (rc == MH_OK)
        rc = store_cards_latest(c->s, a, c->ed.slug, slug, (pageno - 1) * SITE_PAGE_SIZE,
                                SITE_PAGE_SIZE, &cards, &n);
    if (rc)
        return rc;
    struct tval *chv = tval_object(a), *items = tval_list(a);
    tval_set(chv, "name", S(ch.name));
    if (ch.description.len)
        tval_set(chv, "description", S(ch.description));
    tval_set(chv, "special", tval_bool(a, ch.kind == CHANNEL_SPECIAL));
    tval_set(chv, "ended", tval_bool(a, ch.end_at && ch.end_at < clock_now_ms()));
    tval_set(c->root, "channel", chv);
    for (size_t i = 0; i < n; i++)
        tval_append(items, item_from_card(c, &cards[i], "thumb"));
    tval_set(c->root, "items", items);
    if (pages > 1) {
        struct tval *pg = tval_object(a), *list = tval_list(a);
        for (int64_t p = 1; p <= pages; p++) {
            /* the first, the last, and the neighbourhood of the current page */
            if (p != 1 && p != pages && (p < pageno - 3 || p > pageno + 3))
                continue;
            struct tval *it = tval_object(a);
            tval_set(it, "n", tval_int(a, p));
            tval_set(it, "url", S(site_channel_url(a, c->ed.slug, slug, p)));
            tval_set(it, "current", tval_bool(a, p == pageno));
            tval_append(list, it);
        }
        tval_set(pg, "pages", list);
        if (pageno > 1)
            tval_set(pg, "prev", S(site_channel_url(a, c->ed.slug, slug, pageno - 1)));
        if (pageno < pages)
            tval_set(pg, "next", S(site_channel_url(a, c->ed.slug, slug, pageno + 1)));
        tval_set(c->root, "pagination", pg);
    }
    breadcrumb(c, &ch);
    page_meta(c, ch.name, ch.description, site_channel_url(a, c->ed.slug, slug, pageno));
    rc = render(c, "channel", 200, out);
    out->scope = SITE_SCOPE_CHANNEL;
    out->channel_id = ch.id;
    return rc;
}

/* JSON-LD for a NewsArticle, safe inside <script>. */
static struct str news_jsonld(struct page_ctx *c, const struct article *art, struct str url,
                              struct str image, struct str section)
{
    struct buf b;
    buf_init(&b, c->arena, 64 * 1024);
    buf_adds(&b, "{\"@context\":\"https://schema.org\",\"@type\":\"NewsArticle\",\"headline\":");
    escape_json(&b, art->title, true);
    buf_adds(&b, ",\"datePublished\":");
    escape_json(&b, iso_date(c->arena, &c->ed, art->first_published_at), true);
    buf_adds(&b, ",\"dateModified\":");
    escape_json(&b, iso_date(c->arena, &c->ed, art->updated_at), true);
    buf_adds(&b, ",\"author\":[");
    for (size_t i = 0; i < art->n_authors; i++) {
        buf_adds(&b, i ? ",{\"@type\":\"Person\",\"name\":" : "{\"@type\":\"Person\",\"name\":");
        escape_json(&b, art->authors[i], true);
        buf_addc(&b, '}');
    }
    buf_adds(&b, "],\"publisher\":{\"@type\":\"Organization\",\"name\":");
    escape_json(&b, str_c(c->app->site->conf.name), true);
    buf_adds(&b, "},\"mainEntityOfPage\":");
    escape_json(&b, url, true);
    if (image.len) {
        buf_adds(&b, ",\"image\":[");
        escape_json(&b, image, true);
        buf_addc(&b, ']');
    }
    buf_adds(&b, ",\"articleSection\":");
    escape_json(&b, section, true);
    buf_adds(&b, ",\"inLanguage\":");
    escape_json(&b, c->ed.lang, true);
    buf_adds(&b, ",\"keywords\":[");
    for (size_t i = 0; i < art->n_keywords; i++) {
        if (i)
            buf_addc(&b, ',');
        escape_json(&b, art->keywords[i], true);
    }
    buf_adds(&b, "]}");
    return buf_str(&b);
}

/* Founder-CMS metadata: <!--enpproperty <articleid>..</articleid>...
 * /enpproperty-->; values may not contain "--" inside a comment. */
static void enp_field(struct buf *b, const char *tag, struct str v)
{
    buf_addf(b, "<%s>", tag);
    for (size_t i = 0; i < v.len; i++) {
        if (v.ptr[i] == '-' && i + 1 < v.len && v.ptr[i + 1] == '-')
            continue; /* collapse runs of '-' */
        if (v.ptr[i] == '<')
            buf_adds(b, "&lt;");
        else
            buf_addc(b, v.ptr[i]);
    }
    buf_addf(b, "</%s>", tag);
}

static struct str enpproperty(struct page_ctx *c, const struct article *art, struct str url,
                              struct str image, const struct channel *ch,
                              struct str authors_text)
{
    struct arena *a = c->arena;
    struct buf b, kw;
    buf_init(&b, a, 256 * 1024);
    buf_init(&kw, a, 64 * 1024);
    for (size_t i = 0; i < art->n_keywords; i++) {
        if (i)
            buf_addc(&kw, ',');
        buf_addstr(&kw, art->keywords[i]);
    }
    struct buf date;
    buf_init(&date, a, 64);
    date_format(&date, art->first_published_at, c->ed.tz, "%Y-%m-%d %H:%M:%S:%L");
    enp_field(&b, "articleid", fmt(a, "%lld", (long long)art->id));
    enp_field(&b, "date", buf_str(&date));
    enp_field(&b, "author", authors_text);
    enp_field(&b, "title", art->title);
    enp_field(&b, "keyword", buf_str(&kw));
    enp_field(&b, "subtitle", art->subtitle);
    enp_field(&b, "introtitle", art->kicker);
    enp_field(&b, "siteid", STR_LIT("1"));
    enp_field(&b, "nodeid", fmt(a, "%lld", (long long)ch->id));
    enp_field(&b, "nodename", ch->name);
    enp_field(&b, "nodesearchname", ch->search_name);
    enp_field(&b, "picurl", image);
    enp_field(&b, "url", url);
    enp_field(&b, "sourcename", art->source);
    enp_field(&b, "abstract", art->abstract);
    enp_field(&b, "editor", art->editor);
    return buf_str(&b);
}

static int article_view(struct page_ctx *c, const struct article *art, struct str path,
                        struct site_page *out);

static int article_page(struct page_ctx *c, struct str date_part, int64_t id,
                        struct site_page *out)
{
    struct arena *a = c->arena;
    struct article art;
    int rc = store_article_get(c->s, a, id, &art);
    if (rc == MH_NOTFOUND || (rc == MH_OK && !str_eq(art.edition, c->ed.slug)))
        return error_page(c, 404, out);
    if (rc)
        return rc;
    if (art.status == ARTICLE_WITHDRAWN)
        return error_page(c, 410, out);
    if (art.status != ARTICLE_PUBLISHED)
        return error_page(c, 404, out);
    struct str path = site_article_url(a, &c->ed, art.first_published_at, art.id);
    if (!str_eq(fmt(a, "/%.*s/%.*s/content_%lld.html", (int)c->ed.slug.len, c->ed.slug.ptr,
                    (int)date_part.len, date_part.ptr, (long long)id),
                path)) {
        /* the right article under a wrong date: send readers to its address */
        out->status = 301;
        out->location = path;
        out->content_type = "text/plain; charset=utf-8";
        out->body = STR_LIT("moved\n");
        out->cache = SITE_CACHE_PAGE;
        return MH_OK;
    }
    return article_view(c, &art, path, out);
}

/* The page of article ART at PATH, whatever its status: the reader's page of
 * a published article, and the newsroom's preview of any other. */
static int article_view(struct page_ctx *c, const struct article *artp, struct str path,
                        struct site_page *out)
{
    struct arena *a = c->arena;
    struct article art = *artp;
    struct channel ch;
    int64_t id = art.id;
    int64_t published = art.first_published_at ? art.first_published_at : clock_now_ms();
    int rc = get_channel(c, art.edition, art.channel, &ch);
    if (rc == MH_OK)
        rc = common(c, arena_strndup(a, art.channel.ptr, art.channel.len));
    if (rc)
        return rc;
    add_feeds(c, &ch);

    struct str url = fmt(a, "%.*s%.*s", (int)c->ed.base_url.len, c->ed.base_url.ptr,
                         (int)path.len, path.ptr);
    struct tval *av = tval_object(a);
    tval_set(av, "id", tval_int(a, art.id));
    tval_set(av, "title", S(art.title));
    if (art.subtitle.len)
        tval_set(av, "subtitle", S(art.subtitle));
    if (art.kicker.len)
        tval_set(av, "kicker", S(art.kicker));
    if (art.source.len)
        tval_set(av, "source", S(art.source));
    tval_set(av, "date", S(date_text(a, &c->ed, published, true)));
    tval_set(av, "datetime", S(iso_date(a, &c->ed, published)));
    struct buf by;
    buf_init(&by, a, 64 * 1024);
    for (size_t i = 0; i < art.n_authors; i++) {
        if (i)
            buf_adds(&by, is_zh(c->ed.lang) ? "、" : (i + 1 == art.n_authors ? " and " : ", "));
        buf_addstr(&by, art.authors[i]);
    }
    struct str authors_text = buf_str(&by);
    if (authors_text.len)
        tval_set(av, "authors_text", S(authors_text));
    if (art.editor.len)
        tval_set(av, "editor", S(art.editor));
    struct tval *kws = tval_list(a);
    for (size_t i = 0; i < art.n_keywords; i++) {
        struct tval *k = tval_object(a);
        struct buf q;
        buf_init(&q, a, 4 * MH_MAX_FIELD);
        buf_addf(&q, "/%.*s/search?q=", (int)c->ed.slug.len, c->ed.slug.ptr);
        escape_url_component(&q, art.keywords[i]);
        tval_set(k, "name", S(art.keywords[i]));
        tval_set(k, "url", S(buf_str(&q)));
        tval_append(kws, k);
    }
    tval_set(av, "keywords", kws);
    struct str image = STR_NULL;
    if (art.n_images) {
        const struct article_image *im = &art.images[0];
        struct tval *lead = tval_object(a);
        struct str src = fmt(a, "/%.*s", (int)im->path.len, im->path.ptr);
        image = fmt(a, "%.*s%.*s", (int)c->ed.base_url.len, c->ed.base_url.ptr, (int)src.len,
                    src.ptr);
        tval_set(lead, "src", S(src));
        tval_set(lead, "width", tval_int(a, im->width));
        tval_set(lead, "height", tval_int(a, im->height));
        tval_set(lead, "alt", S(im->alt.len ? im->alt : art.title));
        if (im->caption.len)
            tval_set(lead, "caption", S(im->caption));
        if (im->credit.len)
            tval_set(lead, "credit", S(im->credit));
        tval_set(lead, "sizes", C("(min-width: 48em) 46rem, 100vw"));
        add_derivatives(c, lead, im->media_id, "lead", 960);
        tval_set(av, "lead", lead);
    }
    struct buf body;
    buf_init(&body, a, MH_MAX_BODY * 2);
    rc = art.body_format == BODY_HTML ? sanitize_html(art.body, &body)
                                      : markdown_render(art.body, &body);
    if (rc) {
        log_error("article %lld: cannot render its body: %s", (long long)id, mh_strerror(rc));
        return rc;
    }
    tval_set(av, "body_html", S(body_srcset(c, &art, buf_str(&body))));

    /* related: those sharing the most keywords (this channel's first among
     * equals, then the newest), then the newest others of the channel */
    struct article_card *cards, *recent;
    size_t n, n_recent;
    rc = store_cards_related(c->s, a, art.id, c->ed.slug, ch.id, RELATED_MAX, &cards, &n);
    if (rc == MH_OK)
        rc = get_channel_newest(c, art.channel, &recent, &n_recent);
    if (rc)
        return rc;
    struct tval *related = tval_list(a);
    size_t taken = 0;
    for (size_t i = 0; i < n + n_recent && taken < RELATED_MAX; i++) {
        const struct article_card *cd = i < n ? &cards[i] : &recent[i - n];
        bool seen = cd->id == art.id;
        for (size_t j = 0; j < n && !seen && i >= n; j++)
            seen = cards[j].id == cd->id;
        if (seen)
            continue;
        struct tval *it = tval_object(a);
        shown(c, cd->id);
        if (i >= n)
            c->lists_newest = true;
        tval_set(it, "title", S(cd->title));
        tval_set(it, "url", S(site_article_url(a, &c->ed, cd->published_at, cd->id)));
        tval_set(it, "date", S(date_text(a, &c->ed, cd->published_at, false)));
        tval_append(related, it);
        taken++;
    }
    tval_set(av, "related", related);
    tval_set(c->root, "article", av);

    breadcrumb(c, &ch);
    page_meta(c, art.title, art.abstract, path);
    tval_set(c->page, "og_type", C("article"));
    if (image.len)
        tval_set(c->page, "image", S(image));
    tval_set(c->page, "jsonld", S(news_jsonld(c, &art, url, image, ch.name)));
    tval_set(c->page, "enpproperty", S(enpproperty(c, &art, url, image, &ch, authors_text)));
    if ((rc = add_hreflang(c, &art, url)) != MH_OK)
        return rc;
    shown(c, art.id);
    rc = render(c, "article", 200, out);
    out->last_modified = art.updated_at;
    out->article_id = art.id;
    struct article *kept = arena_alloc(a, sizeof(*kept)); /* ARTP may be the caller's local */
    *kept = art;
    out->article = kept;
    out->keywords = kept->keywords;
    out->n_keywords = kept->n_keywords;
    out->scope = SITE_SCOPE_ARTICLE;
    out->channel_id = ch.id;
    return rc;
}

/* ------------------------------------------------------------------ */
/* Files that never change under their names                            */

static bool is_hex(struct str s)
{
    for (size_t i = 0; i < s.len; i++)
        if (!((s.ptr[i] >= '0' && s.ptr[i] <= '9') || (s.ptr[i] >= 'a' && s.ptr[i] <= 'f')))
            return false;
    return true;
}

/* Digits, then STOP: a cursor over *P (before END). */
static bool digits_then(const char **p, const char *end, char stop)
{
    const char *q = *p;
    while (q < end && *q >= '0' && *q <= '9' && q - *p < 6)
        q++;
    if (q == *p || q == end || *q != stop)
        return false;
    *p = q + 1;
    return true;
}

/* "_lead_0X50X800X450_640x360": what follows the content address in the name
 * of a derivative (media/derive.c). */
static bool is_derivative_suffix(struct str s)
{
    const char *p = s.ptr, *end = s.ptr + s.len, *name;
    if (p == end || *p++ != '_')
        return false;
    for (name = p; p < end && ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')); p++)
        ;
    if (p == name || p - name > 16 || p == end || *p++ != '_')
        return false;
    if (!digits_then(&p, end, 'X') || !digits_then(&p, end, 'X') || !digits_then(&p, end, 'X') ||
        !digits_then(&p, end, '_') || !digits_then(&p, end, 'x'))
        return false;
    const char *q = p;
    while (q < end && *q >= '0' && *q <= '9' && q - p < 6)
        q++;
    return q > p && q == end;
}

/* /media/ab/<64 hex>.<ext>: a file of the media library, or one of its
 * derivatives, /media/ab/<64 hex>_<variant>_<x>X<y>X<w>X<h>_<W>x<H>.jpg|webp. */
static int media_file(struct site_app *app, struct arena *a, struct str path,
                      struct site_page *out, bool *found)
{
    static const struct {
        const char *ext, *type;
    } types[] = {{".jpg", "image/jpeg"}, {".png", "image/png"}, {".gif", "image/gif"},
                 {".webp", "image/webp"}};
    *found = false;
    if (path.len < 7 + 3 + 64 + 4 || !str_starts(path, "/media/") || path.ptr[9] != '/')
        return MH_OK;
    struct str dir = str_make(path.ptr + 7, 2), name = str_make(path.ptr + 10, 64);
    struct str ext = str_make(path.ptr + 74, path.len - 74);
    if (!is_hex(dir) || !is_hex(name) || memcmp(dir.ptr, name.ptr, 2) != 0)
        return MH_OK;
    if (ext.len && ext.ptr[0] == '_') { /* a derivative */
        const char *dot = ext.ptr + ext.len;
        while (dot > ext.ptr && dot[-1] != '.')
            dot--;
        if (dot == ext.ptr || !is_derivative_suffix(str_make(ext.ptr, (size_t)(dot - 1 - ext.ptr))))
            return MH_OK;
        ext = str_make(dot - 1, (size_t)(ext.ptr + ext.len - (dot - 1)));
        if (!str_eq_c(ext, ".jpg") && !str_eq_c(ext, ".webp"))
            return MH_OK;
    }
    for (size_t i = 0; i < MH_ARRAY_LEN(types); i++) {
        if (!str_eq_c(ext, types[i].ext))
            continue;
        struct buf b;
        char err[512];
        buf_init(&b, a, MH_MAX_IMAGE_FILE);
        int rc = fs_read_file(site_path(app->site, a, str_make(path.ptr + 1, path.len - 1)), &b,
                              err, sizeof(err));
        if (rc == MH_NOTFOUND)
            return MH_OK;
        if (rc) {
            log_error("%s", err);
            return rc;
        }
        *found = true;
        out->status = 200;
        out->content_type = types[i].type;
        out->body = buf_str(&b);
        out->cache = SITE_CACHE_IMMUTABLE;
        out->scope = SITE_SCOPE_FIXED;
        return MH_OK;
    }
    return MH_OK;
}

/* ------------------------------------------------------------------ */
/* Routing                                                              */

/* Split PATH ("/a/b/c") into at most MAX segments; false when it has more
 * or an empty one in the middle.  A trailing slash gives a last "" segment. */
static bool split(struct str path, struct str *seg, size_t max, size_t *n)
{
    *n = 0;
    if (path.len == 0 || path.ptr[0] != '/')
        return false;
    const char *p = path.ptr + 1, *end = path.ptr + path.len;
    for (;;) {
        const char *slash = memchr(p, '/', (size_t)(end - p));
        const char *e = slash ? slash : end;
        if (*n == max)
            return false;
        seg[(*n)++] = str_make(p, (size_t)(e - p));
        if (slash == NULL)
            return true;
        if (e == p)
            return false; /* "//" */
        p = slash + 1;
    }
}

/* "content_481099.html" -> 481099 */
static bool content_id(struct str s, int64_t *id)
{
    if (!str_starts(s, "content_") || s.len < 14 || memcmp(s.ptr + s.len - 5, ".html", 5) != 0)
        return false;
    return str_to_i64(str_make(s.ptr + 8, s.len - 13), 1, INT64_MAX, id) == MH_OK;
}

/* "index_2.html" -> 2 */
static bool index_page(struct str s, int64_t *n)
{
    if (!str_starts(s, "index_") || s.len < 12 || memcmp(s.ptr + s.len - 5, ".html", 5) != 0)
        return false;
    return str_to_i64(str_make(s.ptr + 6, s.len - 11), 2, 1000000, n) == MH_OK;
}

static bool is_month(struct str s) /* YYYY-MM */
{
    return s.len == 7 && s.ptr[4] == '-' && is_hex(str_make(s.ptr, 4)) &&
           is_hex(str_make(s.ptr + 5, 2));
}

/* A path no page has: an old address of an imported article (a Founder-CMS
 * page, a WordPress permalink) is sent to the article's address, else 404. */
static int not_found(struct page_ctx *c, struct str path, struct site_page *out)
{
    int64_t id;
    struct article_card card;
    struct edition ed;
    int rc = store_redirect_get(c->s, path, &id);
    if (rc == MH_OK)
        rc = store_card_get(c->s, c->arena, id, &card); /* published only */
    if (rc == MH_OK)
        rc = get_edition(c, card.edition, &ed);
    if (rc == MH_NOTFOUND)
        return error_page(c, 404, out);
    if (rc)
        return rc;
    out->status = 301;
    out->location = site_article_url(c->arena, &ed, card.published_at, id);
    out->content_type = "text/plain; charset=utf-8";
    out->body = STR_LIT("moved\n");
    out->cache = SITE_CACHE_PAGE;
    return MH_OK;
}

int site_render(struct site_app *app, struct store *s, struct arena *arena, struct str path,
                struct site_page *out)
{
    return site_render_memo(app, s, NULL, arena, path, out);
}

int site_render_memo(struct site_app *app, struct store *s, struct site_memo *memo,
                     struct arena *arena, struct str path, struct site_page *out)
{
    struct page_ctx c = {0};
    struct str seg[5];
    size_t n;
    int rc;
    memset(out, 0, sizeof(*out));
    c.app = app;
    c.s = s;
    c.memo = memo;
    c.arena = arena;

    /* the theme's own files and the media library */
    if (str_eq_c(path, app->css.url) || str_eq_c(path, app->js.url)) {
        const struct asset *as = str_eq_c(path, app->css.url) ? &app->css : &app->js;
        out->status = 200;
        out->content_type = as->type;
        out->body = str_make(as->data, as->len);
        out->cache = SITE_CACHE_IMMUTABLE;
        out->scope = SITE_SCOPE_FIXED;
        return MH_OK;
    }
    if (str_starts(path, "/media/")) {
        bool found;
        rc = media_file(app, arena, path, out, &found);
        if (rc || found)
            return rc;
    }
    /* feeds, sitemaps, robots.txt (feed/feed.h) */
    bool is_feed;
    struct feed_doc doc;
    rc = feed_render(app->site, s, arena, path, NULL, &doc, &is_feed);
    if (rc || is_feed) {
        out->status = doc.status;
        out->content_type = doc.content_type;
        out->body = doc.body;
        out->last_modified = doc.last_modified;
        out->cache = SITE_CACHE_PAGE;
        out->edition = doc.edition;
        out->channel_id = doc.channel_id;
        out->scope = doc.edition.len == 0 ? SITE_SCOPE_ALL
                     : doc.channel_id    ? SITE_SCOPE_CHANNEL
                                         : SITE_SCOPE_EDITION;
        return rc;
    }
    if (str_eq_c(path, "/healthz")) {
        out->status = 200;
        out->content_type = "text/plain; charset=utf-8";
        out->body = STR_LIT("ok\n");
        out->cache = SITE_CACHE_NONE;
        return MH_OK;
    }

    /* the edition: the first segment, or the default one */
    struct str edition = str_c(app->site->conf.default_edition);
    bool routed = split(path, seg, MH_ARRAY_LEN(seg), &n) && n >= 1;
    if (routed && seg[0].len) {
        rc = get_edition(&c, seg[0], &c.ed);
        if (rc == MH_NOTFOUND)
            routed = false;
        else if (rc)
            return rc;
    } else {
        routed = false;
    }
    if (!routed) {
        rc = get_edition(&c, edition, &c.ed);
        if (rc)
            return rc;
        if (str_eq_c(path, "/")) {
            out->status = 302;
            out->location = fmt(arena, "/%.*s/", (int)c.ed.slug.len, c.ed.slug.ptr);
            out->content_type = "text/plain; charset=utf-8";
            out->body = STR_LIT("see the front page\n");
            out->cache = SITE_CACHE_PAGE;
            return MH_OK;
        }
        return not_found(&c, path, out);
    }
    int64_t id, pageno;
    if (n == 1) { /* "/english": the front page is "/english/" */
        out->status = 301;
        out->location = fmt(arena, "/%.*s/", (int)c.ed.slug.len, c.ed.slug.ptr);
        out->content_type = "text/plain; charset=utf-8";
        out->body = STR_LIT("moved\n");
        out->cache = SITE_CACHE_PAGE;
        return MH_OK;
    }
    if (n == 2 && seg[1].len == 0)
        return home_page(&c, out);
    if (n == 3 && seg[2].len == 0)
        return channel_page(&c, seg[1], 1, out);
    if (n == 3 && index_page(seg[2], &pageno))
        return channel_page(&c, seg[1], pageno, out);
    if (n == 4 && is_month(seg[1]) && seg[2].len == 2 && content_id(seg[3], &id)) {
        struct str date_part = str_make(seg[1].ptr, 10); /* "2026-03/06" */
        return article_page(&c, date_part, id, out);
    }
    return not_found(&c, path, out);
}

int site_render_preview(struct site_app *app, struct store *s, struct arena *arena,
                        const struct article *art, struct site_page *out)
{
    struct page_ctx c = {0};
    memset(out, 0, sizeof(*out));
    c.app = app;
    c.s = s;
    c.arena = arena;
    int rc = store_edition_get(s, arena, art->edition, &c.ed);
    if (rc)
        return rc;
    int64_t published = art->first_published_at ? art->first_published_at : clock_now_ms();
    rc = article_view(&c, art, site_article_url(arena, &c.ed, published, art->id), out);
    out->cache = SITE_CACHE_NONE;
    out->article_id = 0; /* a preview is not a reader's view */
    return rc;
}

/* ------------------------------------------------------------------ */
/* What a change makes stale                                            */

/* Is keyword K (as an article holds it) the indexed keyword KEY? */
static bool keyword_is(struct str k, struct str key)
{
    char mine[MH_MAX_FIELD];
    return k.len == key.len && store_keyword_key(k, mine, sizeof(mine)) &&
           memcmp(mine, key.ptr, k.len) == 0;
}

bool site_page_stale(const struct site_page *pg, const struct store_change *c,
                     const struct str *keywords, size_t n_keywords)
{
    if (pg->scope == SITE_SCOPE_FIXED)
        return false;
    if (pg->scope == SITE_SCOPE_ALL || c->kind == STORE_CHANGE_SITE)
        return true;
    if (c->kind == STORE_CHANGE_CHROME) /* every page of the edition shows it */
        return c->edition.len == 0 || pg->edition.len == 0 || str_eq(c->edition, pg->edition);
    /* an article: pages that link it, and the lists it is (or was) in */
    for (size_t i = 0; i < pg->n_shows; i++)
        if (pg->shows[i] == c->article_id)
            return true;
    if (!str_eq(c->edition, pg->edition))
        return false;
    if (pg->scope == SITE_SCOPE_EDITION)
        return true;
    if (c->channel_id == pg->channel_id) /* its channel's lists and related */
        return true;
    /* an article page whose related list the article may enter or leave */
    for (size_t k = 0; pg->scope == SITE_SCOPE_ARTICLE && k < n_keywords; k++)
        for (size_t i = 0; i < pg->n_keywords; i++)
            if (keyword_is(pg->keywords[i], keywords[k]))
                return true;
    return false;
}

/* ------------------------------------------------------------------ */
/* Lent to the other page files (site_int.h)                            */

struct site_view {
    struct page_ctx c;
};

int site_view_begin(struct site_app *app, struct store *s, struct arena *arena,
                    struct str edition, struct site_view **out)
{
    struct site_view *v = arena_zalloc(arena, sizeof(*v));
    v->c.app = app;
    v->c.s = s;
    v->c.arena = arena;
    int rc = store_edition_get(s, arena, edition, &v->c.ed);
    if (rc == MH_OK)
        rc = common(&v->c, NULL);
    if (rc == MH_OK)
        breadcrumb(&v->c, NULL);
    *out = v;
    return rc;
}

struct tval *site_view_root(struct site_view *v)
{
    return v->c.root;
}

struct tval *site_view_page(struct site_view *v)
{
    return v->c.page;
}

const struct edition *site_view_edition(const struct site_view *v)
{
    return &v->c.ed;
}

const char *site_view_site_name(const struct site_view *v)
{
    return v->c.app->site->conf.name;
}

void site_view_meta(struct site_view *v, struct str title, struct str description,
                    struct str path)
{
    page_meta(&v->c, title, description, path);
}

struct str site_view_article_url(struct site_view *v, int64_t published, int64_t id)
{
    return site_article_url(v->c.arena, &v->c.ed, published, id);
}

struct str site_view_date(struct site_view *v, int64_t ms)
{
    return date_text(v->c.arena, &v->c.ed, ms, false);
}

struct str site_view_datetime(struct site_view *v, int64_t ms)
{
    return iso_date(v->c.arena, &v->c.ed, ms);
}

int site_view_render(struct site_view *v, const char *tpl, int status, struct site_page *out)
{
    return render(&v->c, tpl, status, out);
}
