/* SPDX-License-Identifier: MIT */
/*
 * founder.c - a folder of saved Founder-CMS pages as a source of the import
 * loop.  Each page is parsed with gumbo (the HTML5 algorithm, so that a
 * marker inside a script or a textarea is not taken for one): the
 * <!--enpproperty <articleid>..</articleid>.../enpproperty--> comment gives
 * the metadata, the bytes between <!--enpcontent--> and <!--/enpcontent-->
 * the body, and the pictures come from the page's folder (next to it, or in
 * the "NAME_files" folder a browser saves beside it).  The article keeps the
 * page's id, and the page's old path becomes a redirect.
 */
#include "core/compat.h"

#include <dirent.h>
#include <errno.h>
#include <gumbo.h>
#include <sys/stat.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/fs.h"
#include "core/limits.h"
#include "core/utf8.h"
#include "interchange/interchange_int.h"
#include "render/sanitize.h"
#include "store/store.h"

#define FOUNDER_MAX_PAGE (8 * MH_MIB)

/* ------------------------------------------------------------------ */
/* The page                                                             */

/* A picture with a caption in data-original-title (which the page's own
 * script shows under it), as parsed: valid until the parse is freed. */
struct titled_img {
    const char *at; /* where its tag starts in the page */
    const char *src, *title;
};

struct marks {
    struct str property;      /* the enpproperty comment's text */
    const char *body_start;   /* just after <!--enpcontent--> */
    const char *body_end;     /* at <!--/enpcontent--> */
    int n_property;
    struct titled_img caps[16];
    size_t n_caps;
};

static bool comment_is(struct str text, const char *word)
{
    return str_eq_c(str_trim(text), word);
}

/* Find the markers among the comments of the parsed page. */
static void find_marks(const GumboNode *root, struct marks *m)
{
    const GumboNode *stack[512];
    size_t top = 0;
    stack[top++] = root;
    while (top) {
        const GumboNode *n = stack[--top];
        const GumboVector *kids = NULL;
        if (n->type == GUMBO_NODE_DOCUMENT) {
            kids = &n->v.document.children;
        } else if (n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE) {
            kids = &n->v.element.children;
            const GumboAttribute *src, *title;
            if (n->v.element.tag == GUMBO_TAG_IMG && m->n_caps < MH_ARRAY_LEN(m->caps) &&
                n->v.element.original_tag.data &&
                (src = gumbo_get_attribute(&n->v.element.attributes, "src")) != NULL &&
                (title = gumbo_get_attribute(&n->v.element.attributes,
                                             "data-original-title")) != NULL) {
                struct titled_img *c = &m->caps[m->n_caps++];
                c->at = n->v.element.original_tag.data;
                c->src = src->value;
                c->title = title->value;
            }
        } else if (n->type == GUMBO_NODE_COMMENT) {
            struct str t = str_c(n->v.text.text);
            const GumboStringPiece *raw = &n->v.text.original_text;
            if (str_starts(str_trim(t), "enpproperty")) {
                if (m->n_property++ == 0)
                    m->property = t;
            } else if (comment_is(t, "enpcontent") && m->body_start == NULL && raw->data) {
                m->body_start = raw->data + raw->length;
            } else if (comment_is(t, "/enpcontent") && m->body_start && m->body_end == NULL &&
                       raw->data && raw->data >= m->body_start) {
                m->body_end = raw->data;
            }
        }
        if (kids == NULL)
            continue;
        /* children in document order: push them last first */
        for (unsigned i = kids->length; i > 0; i--) {
            if (top == MH_ARRAY_LEN(stack))
                break; /* deeper than any page's metadata sits */
            stack[top++] = kids->data[i - 1];
        }
    }
}

/* The value of <TAG>...</TAG> in the metadata, entities decoded, in ARENA;
 * empty when absent. */
static struct str meta(struct arena *arena, struct str prop, const char *tag)
{
    char open[64], close[64];
    snprintf(open, sizeof(open), "<%s>", tag);
    snprintf(close, sizeof(close), "</%s>", tag);
    size_t lo = strlen(open), lc = strlen(close);
    for (size_t i = 0; i + lo <= prop.len; i++) {
        if (memcmp(prop.ptr + i, open, lo) != 0)
            continue;
        const char *v = prop.ptr + i + lo;
        for (size_t j = 0; v + j + lc <= prop.ptr + prop.len; j++)
            if (memcmp(v + j, close, lc) == 0) {
                /* copied: the comment's text dies with the parse */
                struct str s = arena_str(arena, import_unescape(arena, str_make(v, j)));
                return str_eq_c(str_trim(s), "null") ? STR_NULL : s;
            }
        return STR_NULL;
    }
    return STR_NULL;
}

static char *dir_of(struct arena *arena, const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        return arena_strdup(arena, ".");
    if (slash == path)
        return arena_strdup(arena, "/");
    return arena_strndup(arena, path, (size_t)(slash - path));
}

static bool is_file(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* Where the picture URL (as written in the page) is on disk: a relative URL
 * from the page's folder; any URL by its file name, next to the page or in
 * its NAME_files folder.  NULL when it is in none; *TRIED says where. */
static char *find_picture(struct arena *arena, const char *page_path, struct str url,
                          char *tried, size_t tried_len)
{
    char *dir = dir_of(arena, page_path);
    struct str u = str_trim(url);
    if (u.len == 0) {
        snprintf(tried, tried_len, "it names no file");
        return NULL;
    }
    size_t q = 0;
    while (q < u.len && u.ptr[q] != '?' && u.ptr[q] != '#')
        q++;
    u = import_percent_decode(arena, str_make(u.ptr, q));
    bool absolute = import_url_path(u).len && (u.ptr[0] == '/' || memchr(u.ptr, ':', u.len));
    const char *base = u.ptr ? u.ptr : "";
    for (size_t i = 0; i < u.len; i++)
        if (u.ptr[i] == '/')
            base = u.ptr + i + 1;
    size_t base_len = (size_t)(u.ptr + u.len - base);
    if (base_len == 0 || memchr(u.ptr ? u.ptr : "", '\0', u.len)) {
        snprintf(tried, tried_len, "it names no file");
        return NULL;
    }
    const char *page_base = strrchr(page_path, '/');
    page_base = page_base ? page_base + 1 : page_path;
    const char *dot = strrchr(page_base, '.');
    size_t stem = dot ? (size_t)(dot - page_base) : strlen(page_base);

    char *cand[3];
    size_t n = 0;
    struct buf b;
    if (!absolute) {
        buf_init(&b, arena, 8192);
        buf_addf(&b, "%s/%.*s", dir, (int)u.len, u.ptr);
        cand[n++] = b.data;
    }
    buf_init(&b, arena, 8192);
    buf_addf(&b, "%s/%.*s", dir, (int)base_len, base);
    cand[n++] = b.data;
    buf_init(&b, arena, 8192);
    buf_addf(&b, "%s/%.*s_files/%.*s", dir, (int)stem, page_base, (int)base_len, base);
    cand[n++] = b.data;
    struct buf t;
    buf_init(&t, arena, 3 * 8192);
    buf_adds(&t, "looked for ");
    for (size_t i = 0; i < n; i++) {
        if (is_file(cand[i]))
            return cand[i];
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++)
            seen = strcmp(cand[k], cand[i]) == 0;
        if (!seen)
            buf_addf(&t, "%s%s", i ? " and " : "", cand[i]);
    }
    snprintf(tried, tried_len, "%s", t.data);
    return NULL;
}

/* Drop the first <img> of the cleaned BODY whose src is SRC (the lead
 * picture, which the page shows above the body). */
static struct str drop_img(struct arena *arena, struct str body, struct str src)
{
    size_t pos = 0;
    struct str v;
    while (import_next_img(body, &pos, &v)) {
        if (!str_eq(v, src))
            continue;
        const char *start = v.ptr;
        while (start > body.ptr && memcmp(start, "<img ", 5) != 0)
            start--;
        const char *end = body.ptr + pos; /* just past the tag's '>' */
        struct buf b;
        buf_init(&b, arena, body.len + 1);
        buf_add(&b, body.ptr, (size_t)(start - body.ptr));
        buf_add(&b, end, (size_t)(body.ptr + body.len - end));
        return b.err ? body : buf_str(&b);
    }
    return body;
}

static const char *const author_seps[] = {"&", ",", ";", "\xef\xbc\x8c", "\xe3\x80\x81",
                                          "\xef\xbc\x9b", NULL};
static const char *const keyword_seps[] = {",", ";", "\xef\xbc\x8c", "\xe3\x80\x81",
                                           "\xef\xbc\x9b", NULL};

void founder_parse_page(struct str html, const char *root, const char *page_path,
                        const char *edition, const char *tz, struct arena *arena,
                        struct import_item *it)
{
    struct marks m = {0};
    struct article *a = &it->a;
    char why[512];
    size_t bad;
    it->file = arena_strdup(arena, page_path);
    if (html.len > FOUNDER_MAX_PAGE) {
        import_refuse(it, arena, MH_TOOBIG, "the page is larger than %zu MiB",
                      FOUNDER_MAX_PAGE / MH_MIB);
        return;
    }
    if (!utf8_valid(html, &bad)) {
        import_refuse(it, arena, MH_INVAL,
                      "not valid UTF-8 (byte %zu); convert the page first (iconv -f GBK)",
                      bad + 1);
        return;
    }
    GumboOutput *out = gumbo_parse_with_options(&kGumboDefaultOptions, html.ptr ? html.ptr : "",
                                                html.len);
    if (out == NULL) {
        import_refuse(it, arena, MH_INVAL, "the page cannot be parsed as HTML");
        return;
    }
    find_marks(out->document, &m);
    if (m.n_property == 0) {
        it->skip = true;
        it->reason = "no enpproperty comment: not an article page";
        goto out;
    }
    if (m.n_property > 1) {
        import_refuse(it, arena, MH_INVAL, "more than one enpproperty comment");
        goto out;
    }
    struct str prop = m.property;
    struct str id = str_trim(meta(arena, prop, "articleid"));
    if (str_to_i64(id, 1, (int64_t)1 << 53, &a->id) != MH_OK) {
        import_refuse(it, arena, MH_INVAL, "<articleid> must be a positive whole number");
        goto out;
    }
    a->edition = str_c(edition);
    a->title = import_text(arena, meta(arena, prop, "title"), false);
    a->subtitle = import_text(arena, meta(arena, prop, "subtitle"), false);
    a->kicker = import_text(arena, meta(arena, prop, "introtitle"), false);
    a->source = import_text(arena, meta(arena, prop, "sourcename"), false);
    a->abstract = import_text(arena, meta(arena, prop, "abstract"), true);
    a->editor = import_text(arena, meta(arena, prop, "editor"), false);
    if (a->editor.len == 0)
        a->editor = import_text(arena, meta(arena, prop, "liability"), false);
    import_split(arena, meta(arena, prop, "author"), author_seps, &a->authors, &a->n_authors);
    import_split(arena, meta(arena, prop, "keyword"), keyword_seps, &a->keywords,
                 &a->n_keywords);
    struct str node = import_text(arena, meta(arena, prop, "nodename"), false);
    if (node.len == 0)
        node = import_text(arena, meta(arena, prop, "nodesearchname"), false);
    a->channel = import_slug(arena, node);
    it->channel_name = node;
    if (a->channel.len == 0) {
        import_refuse(it, arena, MH_INVAL, "<nodename> names no channel");
        goto out;
    }
    struct str date = meta(arena, prop, "date");
    int64_t when;
    if (import_civil_time(date, str_c(tz), &when) != MH_OK) {
        import_refuse(it, arena, MH_INVAL,
                      "<date> must be YYYY-MM-DD HH:MM:SS[:mmm], not '%.*s'",
                      (int)(date.len > 40 ? 40 : date.len), date.ptr ? date.ptr : "");
        goto out;
    }
    a->status = ARTICLE_PUBLISHED;
    a->first_published_at = a->last_published_at = when;

    /* the body */
    a->body_format = BODY_HTML;
    if (m.body_start == NULL || m.body_end == NULL) {
        import_refuse(it, arena, MH_INVAL,
                      "no body: <!--enpcontent--> and <!--/enpcontent--> are missing");
        goto out;
    }
    struct str raw = str_make(m.body_start, (size_t)(m.body_end - m.body_start));
    if (import_clean_html(arena, raw, &a->body, why, sizeof(why)) != MH_OK) {
        import_refuse(it, arena, MH_INVAL, "%s", why);
        goto out;
    }

    /* the pictures: the lead from <picurl> (or a size of it), those in the body */
    struct str pic = meta(arena, prop, "picurl");
    static const char *const sizes[] = {"picbig", "picmiddle", "picsmall"};
    for (size_t i = 0; i < MH_ARRAY_LEN(sizes) && str_trim(pic).len == 0; i++)
        pic = meta(arena, prop, sizes[i]);
    char *lead = NULL;
    if (str_trim(pic).len) {
        lead = find_picture(arena, page_path, pic, why, sizeof(why));
        if (lead == NULL) {
            import_refuse(it, arena, MH_INVAL, "the lead picture '%.*s' is missing: %s",
                          (int)(pic.len > 200 ? 200 : pic.len), pic.ptr, why);
            goto out;
        }
        a->images = arena_zalloc(arena, sizeof(*a->images));
        a->images[0].path = str_c(lead);
        a->images[0].alt = a->title;
        a->n_images = 1;
        /* its caption, when the body shows it with one */
        for (size_t i = 0; i < m.n_caps; i++) {
            const struct titled_img *c = &m.caps[i];
            char *f = c->at >= m.body_start && c->at < m.body_end
                          ? find_picture(arena, page_path, str_c(c->src), why, sizeof(why))
                          : NULL;
            if (f && strcmp(f, lead) == 0) {
                a->images[0].caption = import_text(arena, str_c(c->title), false);
                break;
            }
        }
    }
    size_t pos = 0;
    struct str v;
    struct str lead_src = STR_NULL;
    while (import_next_img(a->body, &pos, &v)) {
        char *file = find_picture(arena, page_path, import_unescape(arena, v), why, sizeof(why));
        if (file == NULL) {
            import_refuse(it, arena, MH_INVAL, "picture '%.*s' in the body is missing: %s",
                          (int)(v.len > 200 ? 200 : v.len), v.ptr, why);
            goto out;
        }
        if (lead && strcmp(file, lead) == 0 && lead_src.len == 0)
            lead_src = v;
        else
            import_add_body_image(it, arena, v, file);
    }
    if (lead_src.len)
        a->body = drop_img(arena, a->body, lead_src);

    /* the old address: the URL's path, or the file's place under the folder */
    struct str url = meta(arena, prop, "url");
    it->redirect_from = import_percent_decode(arena, import_url_path(url));
    if (it->redirect_from.len == 0) {
        size_t n = strlen(root);
        if (strncmp(page_path, root, n) == 0 && page_path[n] == '/')
            it->redirect_from = arena_str(arena, str_c(page_path + n));
    }
    import_check_fields(it, arena);
out:
    gumbo_destroy_output(&kGumboDefaultOptions, out);
}

/* ------------------------------------------------------------------ */
/* The folder                                                           */

struct founder_source {
    char **files;
    size_t n, cap, next;
    char *root, *edition, *tz;
    uint64_t bytes, done;
};

static bool is_page(const char *name)
{
    size_t n = strlen(name);
    return (n > 5 && strcmp(name + n - 5, ".html") == 0) ||
           (n > 4 && strcmp(name + n - 4, ".htm") == 0);
}

static int list_pages(struct founder_source *fs, const char *dir, int depth, char *errbuf,
                      size_t errlen)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        snprintf(errbuf, errlen, "cannot read the folder '%s': %s", dir, strerror(errno));
        return MH_IO;
    }
    struct dirent *e;
    int rc = MH_OK;
    while (rc == MH_OK && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        size_t n = strlen(dir) + strlen(e->d_name) + 2;
        char *path = mh_malloc(n);
        snprintf(path, n, "%s/%s", dir, e->d_name);
        struct stat sb;
        if (stat(path, &sb) != 0) {
            free(path);
            continue;
        }
        if (S_ISDIR(sb.st_mode) && depth < 32) {
            rc = list_pages(fs, path, depth + 1, errbuf, errlen);
            free(path);
        } else if (S_ISREG(sb.st_mode) && is_page(e->d_name)) {
            if (fs->n == fs->cap) {
                fs->cap = fs->cap ? 2 * fs->cap : 64;
                fs->files = mh_realloc(fs->files, fs->cap * sizeof(*fs->files));
            }
            fs->files[fs->n++] = path;
        } else {
            free(path);
        }
    }
    closedir(d);
    return rc;
}

static int path_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int founder_next(void *arg, struct arena *arena, struct import_item *it, char *errbuf,
                        size_t errlen)
{
    struct founder_source *fs = arg;
    (void)errbuf;
    (void)errlen;
    if (fs->next == fs->n)
        return MH_NOTFOUND;
    const char *path = fs->files[fs->next++];
    struct buf page;
    char why[512];
    buf_init(&page, arena, FOUNDER_MAX_PAGE);
    int rc = fs_read_file(path, &page, why, sizeof(why));
    fs->done = fs->next;
    struct stat sb;
    if (stat(path, &sb) == 0)
        fs->bytes += (uint64_t)sb.st_size;
    if (rc) {
        it->file = arena_strdup(arena, path);
        import_refuse(it, arena, rc == MH_TOOBIG ? MH_TOOBIG : MH_INVAL, "%s",
                      rc == MH_TOOBIG ? "the page is larger than 8 MiB" : why);
        return MH_OK;
    }
    founder_parse_page(buf_str(&page), fs->root, path, fs->edition, fs->tz, arena, it);
    return MH_OK;
}

int import_founder(struct site *site, const char *folder, const struct import_opts *o,
                   struct import_stats *stats, char *errbuf, size_t errlen)
{
    struct arena a;
    struct edition ed;
    struct founder_source fs = {0};
    struct import_source src = {founder_next, &fs, &fs.bytes, &fs.done};
    int rc;
    memset(stats, 0, sizeof(*stats));
    arena_init(&a, 0);
    rc = import_edition(site, o, &a, &ed, errbuf, errlen);
    if (rc == MH_OK && !fs_is_dir(folder)) {
        snprintf(errbuf, errlen, "'%s' is not a folder", folder);
        rc = MH_NOTFOUND;
    }
    if (rc == MH_OK) {
        fs.root = mh_strdup(folder);
        size_t n = strlen(fs.root);
        while (n > 1 && fs.root[n - 1] == '/')
            fs.root[--n] = '\0';
        fs.edition = mh_strndup(ed.slug.ptr, ed.slug.len);
        fs.tz = mh_strndup(ed.tz.ptr, ed.tz.len);
        rc = list_pages(&fs, fs.root, 0, errbuf, errlen);
    }
    if (rc == MH_OK) {
        if (fs.n)
            qsort(fs.files, fs.n, sizeof(*fs.files), path_cmp);
        rc = import_run(site, &src, o, stats, errbuf, errlen);
    }
    for (size_t i = 0; i < fs.n; i++)
        free(fs.files[i]);
    free(fs.files);
    free(fs.root);
    free(fs.edition);
    free(fs.tz);
    arena_release(&a);
    return rc;
}
