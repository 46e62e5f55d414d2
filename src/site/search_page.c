/* SPDX-License-Identifier: MIT */
/*
 * search_page.c - what a reader's search gives back: the page
 * /{edition}/search in the site's look, and the JSON of GET /api/v1/search
 * and GET /api/v1/suggest.  It checks the parameters (each refusal names
 * its field), parses the query (search/), asks the store for the hits and
 * cuts a highlighted snippet for each.  Nothing here is cached: a results
 * page is a function of its query string, which the page cache does not key.
 */
#include "core/compat.h"

#include <jansson.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/log.h"
#include "model/date.h"
#include "render/value.h"
#include "search/search.h"
#include "site/site.h"
#include "site/site_int.h"
#include "store/store.h"

#define RESULTS_PER_PAGE 20
#define MAX_PAGE (STORE_SEARCH_MAX_RESULTS / RESULTS_PER_PAGE)
#define SNIPPET_CHARS 180
#define MAX_NAME 200 /* author and keyword filters */
#define SUGGEST_MAX 8

/* ------------------------------------------------------------------ */
/* Parameters                                                           */

struct req {
    struct search_query q;
    struct store_search_params p;
    int64_t page;
    bool by_date;
    struct str from, to; /* as given, for the form */
    /* a refusal: the field, and the message in English and Chinese */
    const char *field, *msg_en, *msg_zh;
};

static int refuse(struct req *r, const char *field, const char *en, const char *zh)
{
    r->field = field;
    r->msg_en = en;
    r->msg_zh = zh;
    return MH_INVAL;
}

/* "YYYY-MM-DD" in zone TZ: the first millisecond of that day, or of the next
 * one when NEXT. */
static int parse_day(struct str s, struct str tz, bool next, int64_t *out)
{
    int64_t y, m, d;
    if (s.len != 10 || s.ptr[4] != '-' || s.ptr[7] != '-' ||
        str_to_i64(str_make(s.ptr, 4), 1970, 9999, &y) != MH_OK ||
        str_to_i64(str_make(s.ptr + 5, 2), 1, 12, &m) != MH_OK ||
        str_to_i64(str_make(s.ptr + 8, 2), 1, 31, &d) != MH_OK)
        return MH_INVAL;
    int64_t days = date_days_from_civil((int)y, (int)m, (int)d);
    int cy, cm, cd;
    date_civil_from_days(days, &cy, &cm, &cd);
    if (cy != y || cm != m || cd != d)
        return MH_INVAL; /* 2026-02-30 */
    int64_t ms = (days + (next ? 1 : 0)) * 86400000;
    struct civil c;
    if (date_civil(ms, tz, &c) == MH_OK)
        ms -= (int64_t)c.offset_min * 60000;
    *out = ms;
    return MH_OK;
}

/* Check ARGS for edition ED into R; the query is parsed with TOK. */
static int check_args(struct search_tokenizer *tok, struct arena *arena, struct store *s,
                      const struct edition *ed, const struct site_search_args *args,
                      struct req *r)
{
    memset(r, 0, sizeof(*r));
    r->page = 1;
    int rc = search_query_parse(tok, arena, args->q, &r->q);
    if (rc == MH_TOOBIG)
        return refuse(r, "q", "the query is too long (at most 1,000 bytes)",
                      "搜索词太长（最多 1000 字节）");
    if (rc)
        return rc;
    if (args->page.len && (str_to_i64(args->page, 1, MAX_PAGE, &r->page) != MH_OK))
        return refuse(r, "page", "page must be a whole number from 1 to 50",
                      "页码必须是 1 到 50 之间的整数");
    if (args->sort.len && !str_eq_c(args->sort, "date") && !str_eq_c(args->sort, "relevance"))
        return refuse(r, "sort", "sort must be 'relevance' or 'date'",
                      "排序方式只能是 relevance 或 date");
    r->by_date = str_eq_c(args->sort, "date");
    r->from = args->from;
    r->to = args->to;
    if (args->from.len && parse_day(args->from, ed->tz, false, &r->p.from_ms) != MH_OK)
        return refuse(r, "from", "from must be a date written YYYY-MM-DD",
                      "起始日期的格式应为 YYYY-MM-DD");
    if (args->to.len && parse_day(args->to, ed->tz, true, &r->p.to_ms) != MH_OK)
        return refuse(r, "to", "to must be a date written YYYY-MM-DD",
                      "截止日期的格式应为 YYYY-MM-DD");
    if (r->p.to_ms)
        r->p.to_ms--; /* the last millisecond of the day */
    if (r->p.from_ms && r->p.to_ms && r->p.from_ms > r->p.to_ms)
        return refuse(r, "to", "to must not be before from", "截止日期不能早于起始日期");
    if (args->author.len > MAX_NAME)
        return refuse(r, "author", "author is too long (at most 200 bytes)",
                      "作者名太长（最多 200 字节）");
    if (args->keyword.len > MAX_NAME)
        return refuse(r, "keyword", "keyword is too long (at most 200 bytes)",
                      "关键词太长（最多 200 字节）");
    if (args->channel.len) {
        struct channel ch;
        rc = store_channel_get(s, arena, ed->slug, args->channel, &ch);
        if (rc == MH_NOTFOUND)
            return refuse(r, "channel", "there is no such channel in this edition",
                          "本版没有这个栏目");
        if (rc)
            return rc;
    }
    r->p.q = &r->q;
    r->p.edition = ed->slug;
    r->p.channel = args->channel;
    r->p.author = args->author;
    r->p.keyword = args->keyword;
    r->p.by_date = r->by_date;
    r->p.offset = (r->page - 1) * RESULTS_PER_PAGE;
    r->p.limit = RESULTS_PER_PAGE;
    return MH_OK;
}

/* The snippet of hit H for query Q: HTML, in ARENA. */
static struct str snippet(struct search_tokenizer *tok, struct arena *arena,
                          const struct search_query *q, const struct store_search_hit *h)
{
    struct buf text, out;
    buf_init(&text, NULL, MH_MAX_PAGE);
    if (h->abstract.len) {
        buf_addstr(&text, h->abstract);
        buf_addc(&text, ' ');
    }
    search_plain_text(h->body, &text);
    buf_init(&out, arena, 64 * 1024);
    search_snippet(tok, q, buf_str(&text), SNIPPET_CHARS, &out);
    buf_release(&text);
    return buf_str(&out);
}

/* Append NAME=VALUE to a query string, percent-encoded. */
static void add_param(struct buf *b, const char *name, struct str value)
{
    static const char hex[] = "0123456789ABCDEF";
    if (value.len == 0)
        return;
    buf_addc(b, b->len && memchr(b->data, '?', b->len) ? '&' : '?');
    buf_adds(b, name);
    buf_addc(b, '=');
    for (size_t i = 0; i < value.len; i++) {
        unsigned char c = (unsigned char)value.ptr[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~') {
            buf_addc(b, (char)c);
        } else {
            buf_addc(b, '%');
            buf_addc(b, hex[c >> 4]);
            buf_addc(b, hex[c & 15]);
        }
    }
}

/* The URL of results page PAGE for ARGS on EDITION. */
static struct str page_url(struct arena *arena, struct str edition,
                           const struct site_search_args *args, int64_t page)
{
    struct buf b;
    char n[24];
    buf_init(&b, arena, 16 * 1024);
    buf_addc(&b, '/');
    buf_addstr(&b, edition);
    buf_adds(&b, "/search");
    add_param(&b, "q", args->q);
    add_param(&b, "channel", args->channel);
    add_param(&b, "from", args->from);
    add_param(&b, "to", args->to);
    add_param(&b, "author", args->author);
    add_param(&b, "keyword", args->keyword);
    add_param(&b, "sort", args->sort);
    if (page > 1) {
        snprintf(n, sizeof(n), "%lld", (long long)page);
        add_param(&b, "page", str_c(n));
    }
    return buf_str(&b);
}

bool site_is_search_path(struct str path, struct str *edition)
{
    static const char tail[] = "/search";
    size_t n = sizeof(tail) - 1;
    if (path.len <= n + 1 || path.ptr[0] != '/' ||
        memcmp(path.ptr + path.len - n, tail, n) != 0)
        return false;
    struct str ed = str_make(path.ptr + 1, path.len - n - 1);
    if (memchr(ed.ptr, '/', ed.len))
        return false;
    *edition = ed;
    return true;
}

/* ------------------------------------------------------------------ */
/* The page                                                             */

static bool zh(const struct edition *ed)
{
    return str_starts(ed->lang, "zh");
}

#define T(en, zh_) (zh(ed) ? (zh_) : (en))

static struct str fmt_total(struct arena *a, const struct edition *ed, int64_t total)
{
    char num[32], text[96];
    /* 12,345 in English; 12345 in Chinese */
    int len = snprintf(num, sizeof(num), "%lld", (long long)total);
    char grouped[48];
    size_t g = 0;
    for (int i = 0; i < len; i++) {
        if (!zh(ed) && i && (len - i) % 3 == 0)
            grouped[g++] = ',';
        grouped[g++] = num[i];
    }
    grouped[g] = '\0';
    if (zh(ed))
        snprintf(text, sizeof(text), total >= STORE_SEARCH_EXACT_MAX ? "约 %s 条结果" : "共 %s 条结果", grouped);
    else if (total == 1)
        snprintf(text, sizeof(text), "1 result");
    else
        snprintf(text, sizeof(text), total >= STORE_SEARCH_EXACT_MAX ? "About %s results" : "%s results",
                 grouped);
    return arena_str(a, str_c(text));
}

static void add_labels(struct tval *res, struct arena *a, const struct edition *ed)
{
    struct tval *l = tval_object(a);
#define L(key, en, zh_) tval_set(l, key, tval_strc(a, T(en, zh_)))
    L("q", "Search for", "搜索");
    L("filters", "Filters", "筛选");
    L("channel", "Channel", "栏目");
    L("any_channel", "All channels", "全部栏目");
    L("from", "From", "起始日期");
    L("to", "To", "截止日期");
    L("author", "Author", "作者");
    L("keyword", "Keyword", "关键词");
    L("sort", "Order", "排序");
    L("relevance", "Best match", "相关度");
    L("date", "Newest first", "最新");
    L("results", "Results", "搜索结果");
    L("syntax", "All words must appear; \"quoted words\" in that order; -word excludes; "
                "a OR b for either.",
      "多个词须同时出现；用引号 \"...\" 搜索完整短语；-词 表示排除；a OR b 表示任一。");
#undef L
    tval_set(res, "labels", l);
}

static int channels_list(struct store *s, struct arena *a, const struct edition *ed,
                         struct str current, struct tval *res)
{
    struct channel *chs;
    size_t n;
    int rc = store_channels(s, a, ed->slug, &chs, &n);
    if (rc)
        return rc;
    struct tval *list = tval_list(a);
    for (size_t i = 0; i < n; i++) {
        struct tval *o = tval_object(a);
        tval_set(o, "slug", tval_str(a, chs[i].slug));
        tval_set(o, "name", tval_str(a, chs[i].name));
        if (chs[i].parent_id) { /* a sub-channel, indented */
            struct buf b;
            buf_init(&b, a, 512);
            buf_adds(&b, "— ");
            buf_addstr(&b, chs[i].name);
            tval_set(o, "name", tval_str(a, buf_str(&b)));
        }
        tval_set(o, "selected", tval_bool(a, str_eq(chs[i].slug, current)));
        tval_append(list, o);
    }
    tval_set(res, "channels", list);
    return MH_OK;
}

static void pagination(struct tval *root, struct arena *a, struct str edition,
                       const struct site_search_args *args, int64_t page, int64_t total)
{
    int64_t last = (total + RESULTS_PER_PAGE - 1) / RESULTS_PER_PAGE;
    if (last > MAX_PAGE)
        last = MAX_PAGE;
    if (last <= 1)
        return;
    struct tval *pg = tval_object(a), *pages = tval_list(a);
    if (page > 1)
        tval_set(pg, "prev", tval_str(a, page_url(a, edition, args, page - 1)));
    if (page < last)
        tval_set(pg, "next", tval_str(a, page_url(a, edition, args, page + 1)));
    int64_t lo = page - 4 < 1 ? 1 : page - 4, hi = lo + 9 > last ? last : lo + 9;
    for (int64_t i = lo; i <= hi; i++) {
        struct tval *o = tval_object(a);
        tval_set(o, "n", tval_int(a, i));
        tval_set(o, "url", tval_str(a, page_url(a, edition, args, i)));
        tval_set(o, "current", tval_bool(a, i == page));
        tval_append(pages, o);
    }
    tval_set(pg, "pages", pages);
    tval_set(root, "pagination", pg);
}

int site_search_page(struct site_app *app, struct store *s, struct arena *arena,
                     struct str edition, const struct site_search_args *args,
                     struct site_page *out)
{
    struct site_view *v;
    memset(out, 0, sizeof(*out));
    int rc = site_view_begin(app, s, arena, edition, &v);
    if (rc == MH_NOTFOUND)
        return site_render(app, s, arena, STR_LIT("/-/"), out); /* the 404 page */
    if (rc)
        return rc;
    const struct edition *ed = site_view_edition(v);
    struct tval *root = site_view_root(v), *res = tval_object(arena);
    struct search_tokenizer *tok = search_tokenizer_new(SEARCH_CJK_BIGRAM);
    struct req r;
    int status = 200;

    /* the header's search box shows the query too */
    struct tval *box = tval_object(arena);
    tval_set(box, "action", tval_str(arena, page_url(arena, ed->slug,
                                                     &(struct site_search_args){0}, 1)));
    tval_set(box, "label", tval_strc(arena, T("Search the English edition", "搜索中文版")));
    tval_set(box, "placeholder", tval_strc(arena, T("Search articles", "搜索文章")));
    tval_set(box, "q", tval_str(arena, args->q));
    tval_set(root, "search", box);

    tval_set(res, "heading", tval_strc(arena, T("Search", "搜索")));
    tval_set(res, "q", tval_str(arena, args->q));
    tval_set(res, "from", tval_str(arena, args->from));
    tval_set(res, "to", tval_str(arena, args->to));
    tval_set(res, "author", tval_str(arena, args->author));
    tval_set(res, "keyword", tval_str(arena, args->keyword));
    add_labels(res, arena, ed);
    rc = channels_list(s, arena, ed, args->channel, res);
    if (rc == MH_OK)
        rc = check_args(tok, arena, s, ed, args, &r);
    tval_set(res, "sort_date", tval_bool(arena, rc == MH_OK && r.by_date));
    if (rc == MH_INVAL && r.field) {
        status = 400;
        tval_set(res, "error", tval_strc(arena, T(r.msg_en, r.msg_zh)));
        rc = MH_OK;
    } else if (rc == MH_OK && r.q.n_include > 0) {
        struct store_search_hit *hits;
        size_t n;
        int64_t total;
        rc = store_search(s, arena, &r.p, &hits, &n, &total);
        struct tval *items = tval_list(arena);
        for (size_t i = 0; rc == MH_OK && i < n; i++) {
            struct tval *it = tval_object(arena);
            tval_set(it, "title", tval_str(arena, hits[i].title));
            tval_set(it, "url", tval_str(arena, site_view_article_url(v, hits[i].published_at,
                                                                      hits[i].id)));
            tval_set(it, "date", tval_str(arena, site_view_date(v, hits[i].published_at)));
            tval_set(it, "datetime",
                     tval_str(arena, site_view_datetime(v, hits[i].published_at)));
            tval_set(it, "channel", tval_str(arena, hits[i].channel_name));
            struct buf cu;
            buf_init(&cu, arena, 1024);
            buf_addf(&cu, "/%.*s/%.*s/", (int)ed->slug.len, ed->slug.ptr,
                     (int)hits[i].channel.len, hits[i].channel.ptr);
            tval_set(it, "channel_url", tval_str(arena, buf_str(&cu)));
            tval_set(it, "snippet", tval_str(arena, snippet(tok, arena, &r.q, &hits[i])));
            tval_append(items, it);
        }
        if (rc == MH_OK) {
            tval_set(res, "items", items);
            tval_set(res, "any", tval_bool(arena, n > 0));
            tval_set(res, "summary", tval_str(arena, fmt_total(arena, ed, total)));
            if (n == 0)
                tval_set(res, "empty", tval_bool(arena, true));
            pagination(root, arena, ed->slug, args, r.page, total);
        }
    } else if (rc == MH_OK && args->q.len) { /* only punctuation, or only exclusions */
        tval_set(res, "empty", tval_bool(arena, true));
    }
    search_tokenizer_free(tok);
    if (rc)
        return rc;
    struct tval *help = tval_list(arena);
    static const char *const help_en[] = {
        "Check the spelling, or try other or fewer words: every word must appear.",
        "Use OR between alternatives: robot OR drone.",
        "Remove the filters, or search the other edition.",
    };
    static const char *const help_zh[] = {
        "请检查拼写，或换用其他、更少的词语：所有词语都必须出现。",
        "用 OR 连接可选的词：机器人 OR 无人机。",
        "去掉筛选条件，或在另一个语言版本中搜索。",
    };
    for (size_t i = 0; i < MH_ARRAY_LEN(help_en); i++) {
        struct tval *o = tval_object(arena);
        tval_set(o, "text", tval_strc(arena, zh(ed) ? help_zh[i] : help_en[i]));
        tval_append(help, o);
    }
    tval_set(res, "help", help);
    tval_set(res, "no_results",
             tval_strc(arena, T("No articles match your search.", "没有找到符合条件的文章。")));
    tval_set(root, "results", res);

    struct buf title;
    buf_init(&title, arena, 2048);
    buf_adds(&title, T("Search", "搜索"));
    if (args->q.len) {
        buf_adds(&title, T(": ", "："));
        buf_addstr(&title, args->q.len > 100 ? str_make(args->q.ptr, 0) : args->q);
    }
    site_view_meta(v, buf_str(&title), STR_NULL, page_url(arena, ed->slug, args, 1));
    tval_set(site_view_page(v), "robots", tval_strc(arena, "noindex"));
    rc = site_view_render(v, "search", status, out);
    out->cache = SITE_CACHE_NONE;
    return rc;
}

/* ------------------------------------------------------------------ */
/* The API                                                              */

/* OUT is JSON J (which is freed). */
static int json_page(struct arena *arena, json_t *j, int status, struct site_page *out)
{
    char *text = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    if (text == NULL)
        MH_BUG("cannot encode JSON");
    memset(out, 0, sizeof(*out));
    out->status = status;
    out->content_type = "application/json; charset=utf-8";
    out->body = arena_str(arena, str_c(text));
    out->cache = SITE_CACHE_NONE;
    free(text);
    return MH_OK;
}

static json_t *jstr(struct str s)
{
    json_t *j = json_stringn(s.ptr ? s.ptr : "", s.len);
    return j ? j : json_string("");
}

/* The JSON API's error body (api/body.c): a bad parameter is code "invalid", 400. */
static int api_error(struct arena *arena, const char *code, const char *field, const char *msg,
                     struct site_page *out)
{
    json_t *e = json_object();
    json_object_set_new(e, "code", json_string(code));
    json_object_set_new(e, "message", json_string(msg));
    json_object_set_new(e, "field", json_string(field));
    json_t *j = json_object();
    json_object_set_new(j, "error", e);
    return json_page(arena, j, 400, out);
}

/* The edition ARGS names (the default one when absent) into *ED. */
static int api_edition(struct store *s, struct arena *arena, const struct site_search_args *args,
                       struct edition *ed)
{
    struct str slug = args->edition;
    if (slug.len == 0) {
        struct edition *eds;
        size_t n;
        int rc = store_editions(s, arena, &eds, &n);
        if (rc)
            return rc;
        for (size_t i = 0; i < n; i++)
            if (eds[i].is_default || slug.len == 0)
                slug = eds[i].slug;
    }
    return store_edition_get(s, arena, slug, ed);
}

int site_search_api(struct site_app *app, struct store *s, struct arena *arena,
                    const struct site_search_args *args, struct site_page *out)
{
    (void)app; /* the JSON needs no theme; kept for the page's signature */
    struct edition ed;
    int rc = api_edition(s, arena, args, &ed);
    if (rc == MH_NOTFOUND)
        return api_error(arena, "invalid", "edition", "there is no such edition",
                         out);
    if (rc)
        return rc;
    if (args->q.len == 0)
        return api_error(arena, "invalid", "q", "q is required", out);
    struct search_tokenizer *tok = search_tokenizer_new(SEARCH_CJK_BIGRAM);
    struct req r;
    rc = check_args(tok, arena, s, &ed, args, &r);
    if (rc == MH_INVAL && r.field) {
        search_tokenizer_free(tok);
        return api_error(arena, "invalid", r.field, r.msg_en, out);
    }
    struct store_search_hit *hits = NULL;
    size_t n = 0;
    int64_t total = 0;
    if (rc == MH_OK && r.q.n_include > 0)
        rc = store_search(s, arena, &r.p, &hits, &n, &total);
    json_t *list = json_array();
    for (size_t i = 0; rc == MH_OK && i < n; i++) {
        struct buf when;
        buf_init(&when, arena, 64);
        date_format_rfc3339(&when, hits[i].published_at, ed.tz);
        json_t *h = json_object();
        json_object_set_new(h, "id", json_integer(hits[i].id));
        json_object_set_new(h, "title", jstr(hits[i].title));
        json_object_set_new(h, "url", jstr(site_article_url(arena, &ed, hits[i].published_at,
                                                             hits[i].id)));
        json_object_set_new(h, "published_at", jstr(buf_str(&when)));
        json_object_set_new(h, "channel", jstr(hits[i].channel));
        json_object_set_new(h, "snippet", jstr(snippet(tok, arena, &r.q, &hits[i])));
        json_array_append_new(list, h);
    }
    search_tokenizer_free(tok);
    if (rc) {
        json_decref(list);
        return rc;
    }
    json_t *j = json_object();
    json_object_set_new(j, "total", json_integer(total));
    json_object_set_new(j, "page", json_integer(r.page));
    json_object_set_new(j, "hits", list);
    return json_page(arena, j, 200, out);
}

int site_suggest_api(struct site_app *app, struct store *s, struct arena *arena,
                     const struct site_search_args *args, struct site_page *out)
{
    (void)app;
    struct edition ed;
    int rc = api_edition(s, arena, args, &ed);
    if (rc == MH_NOTFOUND)
        return api_error(arena, "invalid", "edition", "there is no such edition",
                         out);
    if (rc)
        return rc;
    if (args->q.len > SEARCH_MAX_QUERY)
        return api_error(arena, "invalid", "q",
                         "the query is too long (at most 1,000 bytes)", out);
    struct store_search_hit *hits = NULL;
    size_t n = 0;
    rc = store_search_suggest(s, arena, ed.slug, args->q, SUGGEST_MAX, &hits, &n);
    if (rc)
        return rc;
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *h = json_object();
        json_object_set_new(h, "title", jstr(hits[i].title));
        json_object_set_new(h, "url", jstr(site_article_url(arena, &ed, hits[i].published_at,
                                                             hits[i].id)));
        json_array_append_new(list, h);
    }
    json_t *j = json_object();
    json_object_set_new(j, "suggestions", list);
    return json_page(arena, j, 200, out);
}
