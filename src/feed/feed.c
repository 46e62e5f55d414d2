/* SPDX-License-Identifier: MIT */
/*
 * feed.c - RSS 2.0, Atom 1.0, sitemaps (index, monthly parts, sections), the
 * Google News sitemap, robots.txt and the IndexNow key file, written
 * straight into a struct buf: each document is a flat list of elements, so a
 * writer library would add a dependency and a copy for nothing.  Every piece
 * of text goes through xml_text(), which escapes markup and drops the
 * characters XML 1.0 forbids.
 */
#include "core/compat.h"

#include <stdarg.h>
#include <sys/stat.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/log.h"
#include "feed/feed.h"
#include "model/date.h"
#include "render/markdown.h"
#include "render/sanitize.h"
#include "store/store.h"

const struct feed_limits feed_default_limits = {FEED_SITEMAP_URLS, FEED_SITEMAP_BYTES};

#define FEED_MAX_DOC (4 * MH_MAX_PAGE) /* a full-text feed of 50 long articles */

#define T_RSS "application/rss+xml; charset=utf-8"
#define T_ATOM "application/atom+xml; charset=utf-8"
#define T_XML "application/xml; charset=utf-8"
#define T_TEXT "text/plain; charset=utf-8"

#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
#define NS_SITEMAP "http://www.sitemaps.org/schemas/sitemap/0.9"

/* ------------------------------------------------------------------ */
/* Writing XML                                                          */

/* S as XML character data or attribute text: & < > " ' escaped, and the
 * C0 controls XML 1.0 does not allow (all but tab, LF, CR) dropped. */
static void xml_text(struct buf *b, struct str s)
{
    size_t from = 0;
    for (size_t i = 0; i < s.len; i++) {
        unsigned char ch = (unsigned char)s.ptr[i];
        const char *rep;
        switch (ch) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default:
            rep = ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r' ? "" : NULL;
        }
        if (rep == NULL)
            continue;
        buf_add(b, s.ptr + from, i - from);
        buf_adds(b, rep);
        from = i + 1;
    }
    buf_add(b, s.ptr + from, s.len - from);
}

/* <TAG>text</TAG> */
static void element(struct buf *b, const char *tag, struct str text)
{
    buf_addf(b, "<%s>", tag);
    xml_text(b, text);
    buf_addf(b, "</%s>\n", tag);
}

/* BASE followed by PATH, as one escaped piece of text. */
static void abs_url(struct buf *b, struct str base, struct str path)
{
    xml_text(b, base);
    xml_text(b, path);
}

static void gmt(int64_t ms, struct tm *tm)
{
    time_t t = (time_t)(ms / 1000 - (ms % 1000 < 0));
    gmtime_r(&t, tm);
}

/* RFC 822 as RSS wants it: "Fri, 06 Mar 2026 01:39:50 GMT". */
static void rfc822(struct buf *b, int64_t ms)
{
    static const char days[][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char months[][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct tm tm;
    gmt(ms, &tm);
    buf_addf(b, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday], tm.tm_mday,
             months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* W3C date-time in UTC to the second: "2026-03-06T01:39:50Z" (Atom, sitemaps). */
/* V in decimal (0 when negative), at least WIDTH digits, at P; returns the end.  The
 * sitemaps write two of these per URL, thousands of URLs each: printf's
 * parsing of its format was a tenth of a month's sitemap. */
static char *put_num(char *p, int64_t v, int width)
{
    char tmp[24];
    int n = 0;
    if (v < 0)
        v = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0 && n < (int)sizeof(tmp));
    while (n < width && n < (int)sizeof(tmp))
        tmp[n++] = '0';
    while (n > 0)
        *p++ = tmp[--n];
    return p;
}

/* W3C date-time in UTC: "2026-03-06T01:39:50Z". */
static void w3c(struct buf *b, int64_t ms)
{
    struct tm tm;
    char s[40], *p = s;
    gmt(ms, &tm);
    p = put_num(p, (tm.tm_year + 1900) % 10000, 4);
    *p++ = '-';
    p = put_num(p, tm.tm_mon + 1, 2);
    *p++ = '-';
    p = put_num(p, tm.tm_mday, 2);
    *p++ = 'T';
    p = put_num(p, tm.tm_hour, 2);
    *p++ = ':';
    p = put_num(p, tm.tm_min, 2);
    *p++ = ':';
    p = put_num(p, tm.tm_sec, 2);
    *p++ = 'Z';
    buf_add(b, s, (size_t)(p - s));
}

static void time_element(struct buf *b, const char *tag, int64_t ms, bool rss)
{
    buf_addf(b, "<%s>", tag);
    if (rss)
        rfc822(b, ms);
    else
        w3c(b, ms);
    buf_addf(b, "</%s>\n", tag);
}

static struct str fmt(struct arena *arena, const char *f, ...) MH_PRINTF(2, 3);
static struct str fmt(struct arena *arena, const char *f, ...)
{
    struct buf b;
    va_list ap;
    char tmp[2048];
    va_start(ap, f);
    int n = vsnprintf(tmp, sizeof(tmp), f, ap);
    va_end(ap);
    buf_init(&b, arena, sizeof(tmp));
    buf_add(&b, tmp, n < 0 ? 0 : (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
    return buf_str(&b);
}

#define SF(s) (int)(s).len, (s).ptr

static int finish(struct buf *b, const char *type, int64_t last_modified, struct feed_doc *out)
{
    struct str body;
    int rc = buf_finish(b, &body);
    if (rc) {
        log_error("a feed document is larger than %zu bytes", b->max);
        return rc;
    }
    out->status = 200;
    out->content_type = type;
    out->body = body;
    out->last_modified = last_modified;
    return MH_OK;
}

/* ------------------------------------------------------------------ */
/* Names                                                                */

struct str feed_article_path(struct arena *arena, struct str edition, struct str tz,
                             int64_t published, int64_t id)
{
    struct buf b;
    buf_init(&b, arena, 256 + edition.len);
    buf_addc(&b, '/');
    buf_addstr(&b, edition);
    date_format(&b, published, tz, "/%Y-%m/%d/");
    buf_addf(&b, "content_%lld.html", (long long)id);
    return buf_str(&b);
}

/* A civil date remembered for the sitemaps, which name thousands of
 * articles in time order: ICU is asked once per day, not once per URL.
 * [from, to) is a span surely inside that civil day even across a
 * daylight-saving shift of up to an hour. */
struct day_memo {
    int64_t from, to;
    int year, month, day;
};

static struct str article_path_memo(struct arena *arena, struct day_memo *m, struct str edition,
                                    struct str tz, int64_t published, int64_t id)
{
    if (published < m->from || published >= m->to) {
        struct civil cv;
        if (date_civil(published, tz, &cv) != MH_OK)
            return feed_article_path(arena, edition, tz, published, id);
        int64_t midnight =
            published - (((int64_t)cv.hour * 60 + cv.min) * 60 + cv.sec) * 1000 - cv.ms;
        m->from = midnight + 3600000;
        m->to = midnight + 22 * 3600000;
        m->year = cv.year;
        m->month = cv.month;
        m->day = cv.day;
        if (published < m->from || published >= m->to) { /* near midnight: not remembered */
            m->from = m->to = 0;
            return feed_article_path(arena, edition, tz, published, id);
        }
    }
    /* "/english/2026-03/06/content_481099.html" */
    char *s = arena_alloc(arena, edition.len + 64), *p = s;
    *p++ = '/';
    memcpy(p, edition.ptr, edition.len);
    p += edition.len;
    *p++ = '/';
    p = put_num(p, m->year % 10000, 4);
    *p++ = '-';
    p = put_num(p, m->month % 100, 2);
    *p++ = '/';
    p = put_num(p, m->day % 100, 2);
    memcpy(p, "/content_", 9);
    p = put_num(p + 9, id, 1);
    memcpy(p, ".html", 5);
    return str_make(s, (size_t)(p + 5 - s));
}

struct str feed_news_language(struct arena *arena, struct str lang)
{
    size_t n = 0;
    char low[64];
    while (n < lang.len && n + 1 < sizeof(low)) {
        char ch = lang.ptr[n];
        low[n++] = ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
    }
    low[n] = '\0';
    if (n >= 2 && low[0] == 'z' && low[1] == 'h' && (n == 2 || low[2] == '-' || low[2] == '_')) {
        bool tw = strstr(low, "-tw") || strstr(low, "-hk") || strstr(low, "-mo") ||
                  strstr(low, "hant") || strstr(low, "_tw");
        return arena_str(arena, str_c(tw ? "zh-tw" : "zh-cn"));
    }
    size_t primary = 0;
    while (primary < n && low[primary] != '-' && low[primary] != '_')
        primary++;
    return arena_str(arena, str_make(low, primary));
}

static const char *const feed_kinds[] = {"rss.xml", "atom.xml"};

void feed_links(struct arena *arena, struct str edition, struct str edition_name,
                struct str channel, struct str channel_name, feed_link_fn *fn, void *ctx)
{
    for (int pass = channel.len ? 1 : 0; pass < (channel.len ? 2 : 1); pass++) {
        for (size_t k = 0; k < MH_ARRAY_LEN(feed_kinds); k++) {
            struct str path = pass == 0 ? fmt(arena, "/%.*s/%s", SF(edition), feed_kinds[k])
                                        : fmt(arena, "/%.*s/%.*s/%s", SF(edition), SF(channel),
                                              feed_kinds[k]);
            struct str title = pass == 0 ? fmt(arena, "%.*s (%s)", SF(edition_name),
                                               k ? "Atom" : "RSS")
                                         : fmt(arena, "%.*s - %.*s (%s)", SF(edition_name),
                                               SF(channel_name), k ? "Atom" : "RSS");
            fn(ctx, k ? "application/atom+xml" : "application/rss+xml", title, path);
        }
    }
}

/* ------------------------------------------------------------------ */
/* RSS and Atom                                                         */

struct feed_ctx {
    const struct site *site;
    struct store *s;
    struct arena *arena;
    struct edition ed;
    struct channel ch; /* ch.slug empty for the edition's feed */
};

/* One item: the article and what its links need. */
struct item {
    struct article art;
    struct str url;          /* absolute */
    struct str channel_name;
    struct str image_url;    /* absolute, or empty */
    int64_t image_bytes;
    struct str html;         /* the body as safe HTML: full text only */
};

/* Make site-relative links in HTML absolute: feed readers have no base. */
static struct str absolute_links(struct arena *arena, struct str html, struct str base)
{
    struct buf b;
    buf_init(&b, arena, FEED_MAX_DOC);
    const char *p = html.ptr, *end = html.ptr + html.len;
    while (p < end) {
        const char *q = p;
        size_t skip = 0;
        for (; q < end; q++) {
            if (end - q >= 7 && (memcmp(q, " src=\"/", 7) == 0)) {
                skip = 6;
                break;
            }
            if (end - q >= 8 && memcmp(q, " href=\"/", 8) == 0) {
                skip = 7;
                break;
            }
        }
        buf_add(&b, p, (size_t)(q - p));
        if (q == end)
            break;
        buf_add(&b, q, skip);
        if (!(end - q > (ptrdiff_t)skip + 1 && q[skip + 1] == '/')) /* not "//host" */
            buf_addstr(&b, base);
        p = q + skip;
    }
    return buf_str(&b);
}

static int load_items(struct feed_ctx *c, bool full, struct item **out, size_t *n)
{
    struct arena *a = c->arena;
    struct article_card *cards;
    size_t nc;
    int rc = store_cards_latest(c->s, a, c->ed.slug, c->ch.slug, 0, FEED_ITEMS, &cards, &nc);
    if (rc)
        return rc;
    struct channel *chs;
    size_t nch;
    rc = store_channels(c->s, a, c->ed.slug, &chs, &nch);
    if (rc)
        return rc;
    struct item *items = arena_zalloc(a, (nc ? nc : 1) * sizeof(*items));
    size_t k = 0;
    for (size_t i = 0; i < nc; i++) {
        struct item *it = &items[k];
        rc = store_article_get(c->s, a, cards[i].id, &it->art);
        if (rc == MH_NOTFOUND)
            continue; /* gone between the two reads */
        if (rc)
            return rc;
        it->url = fmt(a, "%.*s%.*s", SF(c->ed.base_url),
                      SF(feed_article_path(a, c->ed.slug, c->ed.tz, it->art.first_published_at,
                                           it->art.id)));
        for (size_t j = 0; j < nch; j++)
            if (str_eq(chs[j].slug, it->art.channel))
                it->channel_name = chs[j].name;
        if (it->art.n_images) {
            const struct article_image *im = &it->art.images[0];
            struct stat st;
            it->image_url = fmt(a, "%.*s/%.*s", SF(c->ed.base_url), SF(im->path));
            if (stat(site_path(c->site, a, im->path), &st) == 0)
                it->image_bytes = (int64_t)st.st_size;
        }
        if (full) {
            struct buf body;
            buf_init(&body, a, MH_MAX_BODY * 2);
            rc = it->art.body_format == BODY_HTML ? sanitize_html(it->art.body, &body)
                                                  : markdown_render(it->art.body, &body);
            if (rc) {
                log_error("article %lld: cannot render its body for a feed: %s",
                          (long long)it->art.id, mh_strerror(rc));
                return rc;
            }
            it->html = absolute_links(a, buf_str(&body), c->ed.base_url);
        }
        k++;
    }
    *out = items;
    *n = k;
    return MH_OK;
}

static void authors_text(struct buf *b, const struct article *art)
{
    for (size_t i = 0; i < art->n_authors; i++) {
        if (i)
            buf_adds(b, ", ");
        xml_text(b, art->authors[i]);
    }
}

static int64_t newest(const struct item *items, size_t n)
{
    int64_t t = 0;
    for (size_t i = 0; i < n; i++)
        if (items[i].art.updated_at > t)
            t = items[i].art.updated_at;
    return t;
}

static struct str feed_title(struct feed_ctx *c)
{
    if (c->ch.slug.len)
        return fmt(c->arena, "%s - %.*s - %.*s", c->site->conf.name, SF(c->ed.name),
                   SF(c->ch.name));
    return fmt(c->arena, "%s - %.*s", c->site->conf.name, SF(c->ed.name));
}

/* The page the feed stands for, and the feed itself (absolute). */
static struct str feed_home(struct feed_ctx *c)
{
    if (c->ch.slug.len)
        return fmt(c->arena, "%.*s/%.*s/%.*s/", SF(c->ed.base_url), SF(c->ed.slug),
                   SF(c->ch.slug));
    return fmt(c->arena, "%.*s/%.*s/", SF(c->ed.base_url), SF(c->ed.slug));
}

static int rss(struct feed_ctx *c, struct feed_doc *out)
{
    struct item *items;
    size_t n;
    bool full = c->site->conf.feed_full_text;
    int rc = load_items(c, full, &items, &n);
    if (rc)
        return rc;
    struct buf b;
    int64_t updated = newest(items, n);
    struct str home = feed_home(c);
    buf_init(&b, c->arena, FEED_MAX_DOC);
    buf_adds(&b, XML_DECL "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" "
                 "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
                 "xmlns:media=\"http://search.yahoo.com/mrss/\">\n<channel>\n");
    element(&b, "title", feed_title(c));
    element(&b, "link", home);
    element(&b, "description", c->ch.description.len ? c->ch.description : feed_title(c));
    element(&b, "language", c->ed.lang);
    element(&b, "generator", STR_LIT("Masthead"));
    if (updated)
        time_element(&b, "lastBuildDate", updated, true);
    buf_adds(&b, "<atom:link rel=\"self\" type=\"application/rss+xml\" href=\"");
    xml_text(&b, home);
    buf_adds(&b, "rss.xml\"/>\n");
    for (size_t i = 0; i < n; i++) {
        const struct item *it = &items[i];
        buf_adds(&b, "<item>\n");
        element(&b, "title", it->art.title);
        element(&b, "link", it->url);
        buf_adds(&b, "<guid isPermaLink=\"true\">");
        xml_text(&b, it->url);
        buf_adds(&b, "</guid>\n");
        time_element(&b, "pubDate", it->art.first_published_at, true);
        if (it->art.n_authors) {
            buf_adds(&b, "<dc:creator>");
            authors_text(&b, &it->art);
            buf_adds(&b, "</dc:creator>\n");
        }
        if (it->channel_name.len)
            element(&b, "category", it->channel_name);
        element(&b, "description", full ? it->html : it->art.abstract);
        if (it->image_url.len) {
            const struct article_image *im = &it->art.images[0];
            buf_adds(&b, "<enclosure url=\"");
            xml_text(&b, it->image_url);
            buf_addf(&b, "\" length=\"%lld\" type=\"", (long long)it->image_bytes);
            xml_text(&b, im->mime);
            buf_adds(&b, "\"/>\n<media:content url=\"");
            xml_text(&b, it->image_url);
            buf_adds(&b, "\" medium=\"image\" type=\"");
            xml_text(&b, im->mime);
            buf_addf(&b, "\" width=\"%d\" height=\"%d\"", im->width, im->height);
            struct str desc = im->caption.len ? im->caption : im->alt;
            if (desc.len) {
                buf_adds(&b, ">\n");
                element(&b, "media:description", desc);
                buf_adds(&b, "</media:content>\n");
            } else {
                buf_adds(&b, "/>\n");
            }
        }
        buf_adds(&b, "</item>\n");
    }
    buf_adds(&b, "</channel>\n</rss>\n");
    return finish(&b, T_RSS, updated, out);
}

static int atom(struct feed_ctx *c, struct feed_doc *out)
{
    struct item *items;
    size_t n;
    bool full = c->site->conf.feed_full_text;
    int rc = load_items(c, full, &items, &n);
    if (rc)
        return rc;
    struct buf b;
    int64_t updated = newest(items, n);
    struct str home = feed_home(c);
    buf_init(&b, c->arena, FEED_MAX_DOC);
    buf_adds(&b, XML_DECL "<feed xmlns=\"http://www.w3.org/2005/Atom\" "
                 "xmlns:media=\"http://search.yahoo.com/mrss/\" xml:lang=\"");
    xml_text(&b, c->ed.lang);
    buf_adds(&b, "\">\n<id>");
    xml_text(&b, home);
    buf_adds(&b, "atom.xml</id>\n");
    element(&b, "title", feed_title(c));
    if (c->ch.description.len)
        element(&b, "subtitle", c->ch.description);
    time_element(&b, "updated", updated, false);
    buf_adds(&b, "<link rel=\"self\" type=\"application/atom+xml\" href=\"");
    xml_text(&b, home);
    buf_adds(&b, "atom.xml\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
    xml_text(&b, home);
    buf_adds(&b, "\"/>\n<author>\n");
    element(&b, "name", str_c(c->site->conf.name));
    buf_adds(&b, "</author>\n<generator>Masthead</generator>\n");
    for (size_t i = 0; i < n; i++) {
        const struct item *it = &items[i];
        buf_adds(&b, "<entry>\n");
        element(&b, "id", it->url);
        element(&b, "title", it->art.title);
        buf_adds(&b, "<link rel=\"alternate\" type=\"text/html\" href=\"");
        xml_text(&b, it->url);
        buf_adds(&b, "\"/>\n");
        time_element(&b, "published", it->art.first_published_at, false);
        time_element(&b, "updated", it->art.updated_at, false);
        for (size_t k = 0; k < it->art.n_authors; k++) {
            buf_adds(&b, "<author>\n");
            element(&b, "name", it->art.authors[k]);
            buf_adds(&b, "</author>\n");
        }
        if (it->channel_name.len) {
            buf_adds(&b, "<category term=\"");
            xml_text(&b, it->art.channel);
            buf_adds(&b, "\" label=\"");
            xml_text(&b, it->channel_name);
            buf_adds(&b, "\"/>\n");
        }
        if (it->art.abstract.len)
            element(&b, "summary", it->art.abstract);
        if (full) {
            buf_adds(&b, "<content type=\"html\">");
            xml_text(&b, it->html);
            buf_adds(&b, "</content>\n");
        }
        if (it->image_url.len) {
            const struct article_image *im = &it->art.images[0];
            buf_adds(&b, "<link rel=\"enclosure\" type=\"");
            xml_text(&b, im->mime);
            buf_addf(&b, "\" length=\"%lld\" href=\"", (long long)it->image_bytes);
            xml_text(&b, it->image_url);
            buf_adds(&b, "\"/>\n<media:content url=\"");
            xml_text(&b, it->image_url);
            buf_adds(&b, "\" medium=\"image\" type=\"");
            xml_text(&b, im->mime);
            buf_addf(&b, "\" width=\"%d\" height=\"%d\"/>\n", im->width, im->height);
        }
        buf_adds(&b, "</entry>\n");
    }
    buf_adds(&b, "</feed>\n");
    return finish(&b, T_ATOM, updated, out);
}

/* ------------------------------------------------------------------ */
/* Sitemaps                                                             */

/* URLs per part for EDITION: the URL limit, or fewer when the longest
 * possible entry times the count could pass the byte limit. */
static int64_t part_size(const struct edition *e, const struct feed_limits *lim)
{
    size_t entry = 6 * (e->base_url.len + e->slug.len) + 160; /* escaped, 20-digit id */
    size_t room = lim->sitemap_bytes > 512 ? lim->sitemap_bytes - 512 : 1;
    size_t n = room / entry;
    if (n > lim->sitemap_urls)
        n = lim->sitemap_urls;
    return n ? (int64_t)n : 1;
}

static void month_range(int year, int month, int64_t *from, int64_t *to)
{
    *from = date_days_from_civil(year, month, 1) * 86400000;
    *to = date_days_from_civil(month == 12 ? year + 1 : year, month == 12 ? 1 : month + 1, 1) *
          86400000;
}

static struct str part_path(struct arena *a, struct str edition, int year, int month, int64_t k)
{
    if (k <= 1)
        return fmt(a, "/sitemaps/%.*s/%04d-%02d.xml", SF(edition), year, month);
    return fmt(a, "/sitemaps/%.*s/%04d-%02d-%lld.xml", SF(edition), year, month, (long long)k);
}

static const struct edition *find_edition(const struct edition *eds, size_t n, struct str slug)
{
    for (size_t i = 0; i < n; i++)
        if (str_eq(eds[i].slug, slug))
            return &eds[i];
    return NULL;
}

/* Call FN for each sitemap file: its path, base URL and lastmod. */
typedef void sitemap_fn(void *ctx, const struct edition *e, struct str path, int64_t lastmod);

static int each_sitemap(const struct feed_ctx *c, const struct feed_limits *lim, sitemap_fn *fn,
                        void *ctx)
{
    struct arena *a = c->arena;
    struct edition *eds;
    struct sitemap_month *months;
    size_t ne, nm;
    int rc = store_editions(c->s, a, &eds, &ne);
    if (rc == MH_OK)
        rc = store_sitemap_months(c->s, a, &months, &nm);
    if (rc)
        return rc;
    for (size_t i = 0; i < ne; i++)
        fn(ctx, &eds[i], fmt(a, "/sitemaps/%.*s/sections.xml", SF(eds[i].slug)), 0);
    for (size_t i = 0; i < nm; i++) {
        const struct sitemap_month *m = &months[i];
        const struct edition *e = find_edition(eds, ne, m->edition);
        if (e == NULL)
            continue;
        int64_t per = part_size(e, lim), parts = (m->count + per - 1) / per;
        for (int64_t k = 1; k <= parts; k++) {
            int64_t lastmod = m->lastmod;
            if (parts > 1) { /* the part's own newest change */
                struct sitemap_url *urls;
                size_t nu;
                int64_t from, to;
                month_range(m->year, m->month, &from, &to);
                rc = store_sitemap_urls(c->s, a, e->slug, from, to, (k - 1) * per, per, &urls,
                                        &nu);
                if (rc)
                    return rc;
                lastmod = 0;
                for (size_t j = 0; j < nu; j++)
                    if (urls[j].updated_at > lastmod)
                        lastmod = urls[j].updated_at;
            }
            fn(ctx, e, part_path(a, e->slug, m->year, m->month, k), lastmod);
        }
    }
    return MH_OK;
}

struct index_ctx {
    struct buf *b;
    int64_t newest;
};

static void index_entry(void *ctx, const struct edition *e, struct str path, int64_t lastmod)
{
    struct index_ctx *ic = ctx;
    buf_adds(ic->b, "<sitemap><loc>");
    abs_url(ic->b, e->base_url, path);
    buf_adds(ic->b, "</loc>");
    if (lastmod) {
        buf_adds(ic->b, "<lastmod>");
        w3c(ic->b, lastmod);
        buf_adds(ic->b, "</lastmod>");
    }
    buf_adds(ic->b, "</sitemap>\n");
    if (lastmod > ic->newest)
        ic->newest = lastmod;
}

static int sitemap_index(struct feed_ctx *c, const struct feed_limits *lim, struct feed_doc *out)
{
    struct buf b;
    struct index_ctx ic = {&b, 0};
    buf_init(&b, c->arena, FEED_SITEMAP_BYTES);
    buf_adds(&b, XML_DECL "<sitemapindex xmlns=\"" NS_SITEMAP "\">\n");
    int rc = each_sitemap(c, lim, index_entry, &ic);
    if (rc)
        return rc;
    buf_adds(&b, "</sitemapindex>\n");
    return finish(&b, T_XML, ic.newest, out);
}

static void url_entry(struct buf *b, struct str base, struct str path, int64_t lastmod)
{
    buf_adds(b, "<url><loc>");
    abs_url(b, base, path);
    buf_adds(b, "</loc>");
    if (lastmod) {
        buf_adds(b, "<lastmod>");
        w3c(b, lastmod);
        buf_adds(b, "</lastmod>");
    }
    buf_adds(b, "</url>\n");
}

/* /sitemaps/{edition}/{YYYY-MM}.xml and {YYYY-MM}-{N}.xml */
static int sitemap_part(struct feed_ctx *c, const struct feed_limits *lim, int year, int month,
                        int64_t k, struct feed_doc *out, bool *found)
{
    struct sitemap_url *urls;
    size_t n;
    int64_t from, to, per = part_size(&c->ed, lim);
    month_range(year, month, &from, &to);
    if (k > INT64_MAX / per)
        return MH_OK;
    int rc = store_sitemap_urls(c->s, c->arena, c->ed.slug, from, to, (k - 1) * per, per, &urls,
                                &n);
    if (rc || n == 0)
        return rc;
    struct buf b;
    int64_t newest_change = 0;
    buf_init(&b, c->arena, lim->sitemap_bytes);
    struct day_memo memo = {0};
    buf_adds(&b, XML_DECL "<urlset xmlns=\"" NS_SITEMAP "\">\n");
    for (size_t i = 0; i < n; i++) {
        url_entry(&b, c->ed.base_url,
                  article_path_memo(c->arena, &memo, c->ed.slug, c->ed.tz, urls[i].published_at,
                                    urls[i].id),
                  urls[i].updated_at);
        if (urls[i].updated_at > newest_change)
            newest_change = urls[i].updated_at;
    }
    buf_adds(&b, "</urlset>\n");
    *found = true;
    return finish(&b, T_XML, newest_change, out);
}

/* /sitemaps/{edition}/sections.xml: the front page and the channel pages. */
static int sitemap_sections(struct feed_ctx *c, struct feed_doc *out)
{
    struct channel *chs;
    size_t n;
    int rc = store_channels(c->s, c->arena, c->ed.slug, &chs, &n);
    if (rc)
        return rc;
    struct buf b;
    buf_init(&b, c->arena, FEED_SITEMAP_BYTES);
    buf_adds(&b, XML_DECL "<urlset xmlns=\"" NS_SITEMAP "\">\n");
    url_entry(&b, c->ed.base_url, fmt(c->arena, "/%.*s/", SF(c->ed.slug)), 0);
    for (size_t i = 0; i < n; i++)
        url_entry(&b, c->ed.base_url, fmt(c->arena, "/%.*s/%.*s/", SF(c->ed.slug),
                                          SF(chs[i].slug)), 0);
    buf_adds(&b, "</urlset>\n");
    return finish(&b, T_XML, 0, out);
}

/* /{edition}/news-sitemap.xml: the last 48 hours, at most 1,000. */
static int news_sitemap(struct feed_ctx *c, struct feed_doc *out)
{
    struct arena *a = c->arena;
    struct article_card *cards;
    size_t n;
    int64_t since = clock_now_ms() - FEED_NEWS_WINDOW_MS, newest_pub = 0;
    /* the newest first, a hundred at a time, until one is older than the window */
    int rc = MH_OK;
    struct article_card *page;
    size_t got;
    n = 0;
    cards = arena_alloc(a, FEED_NEWS_URLS * sizeof(*cards));
    do {
        int want = FEED_NEWS_URLS - (int)n < 100 ? FEED_NEWS_URLS - (int)n : 100;
        rc = store_cards_latest(c->s, a, c->ed.slug, STR_NULL, (int64_t)n, want, &page, &got);
        for (size_t i = 0; rc == MH_OK && i < got; i++)
            cards[n++] = page[i];
    } while (rc == MH_OK && got == 100 && n < FEED_NEWS_URLS &&
             cards[n - 1].published_at >= since);
    if (rc)
        return rc;
    struct str lang = feed_news_language(a, c->ed.lang);
    struct buf b;
    buf_init(&b, a, FEED_SITEMAP_BYTES);
    buf_adds(&b, XML_DECL "<urlset xmlns=\"" NS_SITEMAP "\" "
                 "xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">\n");
    for (size_t i = 0; i < n && cards[i].published_at >= since; i++) {
        buf_adds(&b, "<url><loc>");
        abs_url(&b, c->ed.base_url,
                feed_article_path(a, c->ed.slug, c->ed.tz, cards[i].published_at, cards[i].id));
        buf_adds(&b, "</loc><news:news><news:publication>");
        buf_adds(&b, "<news:name>");
        xml_text(&b, str_c(c->site->conf.name));
        buf_adds(&b, "</news:name><news:language>");
        xml_text(&b, lang);
        buf_adds(&b, "</news:language></news:publication><news:publication_date>");
        date_format(&b, cards[i].published_at, c->ed.tz, "%Y-%m-%dT%H:%M:%S%Z");
        buf_adds(&b, "</news:publication_date><news:title>");
        xml_text(&b, cards[i].title);
        buf_adds(&b, "</news:title></news:news></url>\n");
        if (cards[i].published_at > newest_pub)
            newest_pub = cards[i].published_at;
    }
    buf_adds(&b, "</urlset>\n");
    return finish(&b, T_XML, newest_pub, out);
}

/* ------------------------------------------------------------------ */
/* robots.txt                                                           */

static int robots(struct feed_ctx *c, struct feed_doc *out)
{
    struct edition *eds;
    size_t n;
    int rc = store_editions(c->s, c->arena, &eds, &n);
    if (rc)
        return rc;
    struct buf b;
    buf_init(&b, c->arena, MH_MAX_PAGE);
    buf_adds(&b, "# robots.txt of this Masthead site\nUser-agent: *\n");
    for (size_t i = 0; i < n; i++) /* search results are an endless space */
        buf_addf(&b, "Disallow: /%.*s/search\n", SF(eds[i].slug));
    buf_adds(&b, "Allow: /\n\n");
    for (size_t i = 0; i < n; i++) {
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++)
            seen = str_eq(eds[k].base_url, eds[i].base_url);
        if (!seen)
            buf_addf(&b, "Sitemap: %.*s/sitemap.xml\n", SF(eds[i].base_url));
    }
    for (size_t i = 0; i < n; i++)
        buf_addf(&b, "Sitemap: %.*s/%.*s/news-sitemap.xml\n", SF(eds[i].base_url),
                 SF(eds[i].slug));
    return finish(&b, T_TEXT, 0, out);
}

/* ------------------------------------------------------------------ */
/* Routing                                                              */

/* Split PATH ("/a/b/c") into at most MAX non-empty segments. */
static bool split(struct str path, struct str *seg, size_t max, size_t *n)
{
    *n = 0;
    if (path.len < 2 || path.ptr[0] != '/')
        return false;
    const char *p = path.ptr + 1, *end = path.ptr + path.len;
    while (p <= end) {
        const char *slash = memchr(p, '/', (size_t)(end - p));
        const char *e = slash ? slash : end;
        if (e == p || *n == max)
            return false;
        seg[(*n)++] = str_make(p, (size_t)(e - p));
        if (slash == NULL)
            return true;
        p = slash + 1;
    }
    return false;
}

static bool digits(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] < '0' || p[i] > '9')
            return false;
    return n > 0;
}

/* "2026-03.xml" or "2026-03-2.xml" */
static bool parse_part(struct str s, int *year, int *month, int64_t *k)
{
    if (s.len < 11 || !str_starts(str_make(s.ptr + s.len - 4, 4), ".xml") || !digits(s.ptr, 4) ||
        s.ptr[4] != '-' || !digits(s.ptr + 5, 2))
        return false;
    *year = (s.ptr[0] - '0') * 1000 + (s.ptr[1] - '0') * 100 + (s.ptr[2] - '0') * 10 +
            (s.ptr[3] - '0');
    *month = (s.ptr[5] - '0') * 10 + (s.ptr[6] - '0');
    if (*year < 1970 || *month < 1 || *month > 12)
        return false;
    if (s.len == 11) {
        *k = 1;
        return true;
    }
    /* "-N", N >= 2 without leading zeros, so each part has one name */
    struct str num = str_make(s.ptr + 8, s.len - 12);
    return s.ptr[7] == '-' && digits(num.ptr, num.len) && num.ptr[0] != '0' &&
           str_to_i64(num, 2, 1000000, k) == MH_OK;
}

static int load_edition(struct feed_ctx *c, struct str slug, bool *ok)
{
    int rc = store_edition_get(c->s, c->arena, slug, &c->ed);
    *ok = rc == MH_OK;
    return rc == MH_NOTFOUND ? MH_OK : rc;
}

int feed_render(const struct site *site, struct store *s, struct arena *arena, struct str path,
                const struct feed_limits *limits, struct feed_doc *out, bool *found)
{
    struct feed_ctx c = {0};
    struct str seg[4];
    size_t n;
    bool ok;
    int rc;
    c.site = site;
    c.s = s;
    c.arena = arena;
    if (limits == NULL)
        limits = &feed_default_limits;
    memset(out, 0, sizeof(*out));
    *found = false;
    if (!split(path, seg, MH_ARRAY_LEN(seg), &n))
        return MH_OK;

    if (n == 1 && str_eq_c(seg[0], "robots.txt")) {
        *found = true;
        return robots(&c, out);
    }
    if (n == 1 && str_eq_c(seg[0], "sitemap.xml")) {
        *found = true;
        return sitemap_index(&c, limits, out);
    }
    if (n == 1 && site->conf.indexnow_key[0] && seg[0].len == strlen(site->conf.indexnow_key) + 4 &&
        memcmp(seg[0].ptr, site->conf.indexnow_key, seg[0].len - 4) == 0 &&
        str_eq_c(str_make(seg[0].ptr + seg[0].len - 4, 4), ".txt")) {
        struct buf b;
        buf_init(&b, arena, 256);
        buf_adds(&b, site->conf.indexnow_key);
        *found = true;
        return finish(&b, T_TEXT, 0, out);
    }
    if (n == 3 && str_eq_c(seg[0], "sitemaps")) {
        int year, month;
        int64_t k;
        bool sections = str_eq_c(seg[2], "sections.xml");
        if (!sections && !parse_part(seg[2], &year, &month, &k))
            return MH_OK;
        rc = load_edition(&c, seg[1], &ok);
        if (rc || !ok)
            return rc;
        rc = sections ? sitemap_sections(&c, out)
                      : sitemap_part(&c, limits, year, month, k, out, found);
        *found |= sections;
        out->edition = c.ed.slug;
        return rc;
    }
    bool is_rss = n >= 2 && str_eq_c(seg[n - 1], "rss.xml");
    bool is_atom = n >= 2 && str_eq_c(seg[n - 1], "atom.xml");
    bool is_news = n == 2 && str_eq_c(seg[1], "news-sitemap.xml");
    if (n > 3 || !(is_rss || is_atom || is_news))
        return MH_OK;
    rc = load_edition(&c, seg[0], &ok);
    if (rc || !ok)
        return rc;
    if (n == 3) {
        rc = store_channel_get(s, arena, c.ed.slug, seg[1], &c.ch);
        if (rc == MH_NOTFOUND)
            return MH_OK;
        if (rc)
            return rc;
    }
    *found = true;
    rc = is_news ? news_sitemap(&c, out) : is_rss ? rss(&c, out) : atom(&c, out);
    out->edition = c.ed.slug;
    out->channel_id = c.ch.id;
    return rc;
}

/* ------------------------------------------------------------------ */
/* Every path, for the static publisher                                 */

struct paths_ctx {
    struct arena *arena;
    struct str *v;
    size_t n, cap;
};

static void add_path(struct paths_ctx *p, struct str path)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 64;
        p->v = arena_realloc(p->arena, p->v, p->cap * sizeof(*p->v), cap * sizeof(*p->v));
        p->cap = cap;
    }
    p->v[p->n++] = path;
}

static void path_entry(void *ctx, const struct edition *e, struct str path, int64_t lastmod)
{
    (void)e, (void)lastmod;
    add_path(ctx, path);
}

int feed_paths(const struct site *site, struct store *s, struct arena *arena,
               const struct feed_limits *limits, struct str **out, size_t *n)
{
    struct feed_ctx c = {0};
    struct paths_ctx p = {arena, NULL, 0, 0};
    struct edition *eds;
    size_t ne;
    c.site = site;
    c.s = s;
    c.arena = arena;
    add_path(&p, STR_LIT("/robots.txt"));
    add_path(&p, STR_LIT("/sitemap.xml"));
    if (site->conf.indexnow_key[0])
        add_path(&p, fmt(arena, "/%s.txt", site->conf.indexnow_key));
    int rc = each_sitemap(&c, limits ? limits : &feed_default_limits, path_entry, &p);
    if (rc == MH_OK)
        rc = store_editions(s, arena, &eds, &ne);
    for (size_t i = 0; rc == MH_OK && i < ne; i++) {
        struct channel *chs;
        size_t nch;
        add_path(&p, fmt(arena, "/%.*s/news-sitemap.xml", SF(eds[i].slug)));
        for (size_t k = 0; k < MH_ARRAY_LEN(feed_kinds); k++)
            add_path(&p, fmt(arena, "/%.*s/%s", SF(eds[i].slug), feed_kinds[k]));
        rc = store_channels(s, arena, eds[i].slug, &chs, &nch);
        for (size_t j = 0; rc == MH_OK && j < nch; j++)
            for (size_t k = 0; k < MH_ARRAY_LEN(feed_kinds); k++)
                add_path(&p, fmt(arena, "/%.*s/%.*s/%s", SF(eds[i].slug), SF(chs[j].slug),
                                 feed_kinds[k]));
    }
    if (rc)
        return rc;
    *out = p.v;
    *n = p.n;
    return MH_OK;
}
