/* SPDX-License-Identifier: MIT */
/*
 * wxr.c - WordPress exports (WXR, an RSS 2.0 file with wp:, content:,
 * excerpt: and dc: elements) as a source of the import loop.  libxml2's
 * xmlTextReader streams the file; each <item> is expanded on its own and
 * freed when the reader moves on, so memory follows the largest item, not
 * the file.  The authors (a few) are kept from the channel's head; the
 * attachments (id and file name each) from a first pass, since a post may
 * name its featured image before the attachment comes.  No DTD is loaded,
 * no entity expanded, nothing fetched from the network.
 */
#include "core/compat.h"

#include <libxml/xmlreader.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/fs.h"
#include "core/limits.h"
#include "interchange/interchange_int.h"
#include "render/sanitize.h"
#include "store/store.h"

#define NS_WP "http://wordpress.org/export/"
#define NS_CONTENT "http://purl.org/rss/1.0/modules/content/"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define READER_OPTS (XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_COMPACT)

struct wxr_author {
    char *login, *name;
};

struct wxr_attachment {
    int64_t id;
    char *file; /* the part of the URL after "/uploads/", decoded */
    char *caption, *alt;
};

struct wxr_reader {
    xmlTextReaderPtr xr;
    const char *data; /* memory input, or NULL */
    size_t len;
    char *path;       /* file input, or NULL */
    char *edition, *tz, *media_dir;
    struct wxr_author *authors;
    size_t n_authors, cap_authors;
    struct wxr_attachment *att;
    size_t n_att, cap_att;
    uint64_t items;   /* <item>s seen */
    uint64_t bytes, line;
    bool root_seen, ended, broken, positioned;
    int err_line;     /* the first XML error, or 0 */
    char err[512];
};

/* ------------------------------------------------------------------ */
/* libxml2 plumbing                                                     */

static void on_xml_error(void *arg, xmlErrorPtr e)
{
    struct wxr_reader *r = arg;
    if (e == NULL || e->level < XML_ERR_ERROR || r->err[0])
        return;
    snprintf(r->err, sizeof(r->err), "%s", e->message ? e->message : "unknown error");
    size_t n = strlen(r->err);
    while (n && (r->err[n - 1] == '\n' || r->err[n - 1] == ' '))
        r->err[--n] = '\0';
    r->err_line = e->line;
}

static xmlTextReaderPtr open_reader(struct wxr_reader *r)
{
    xmlTextReaderPtr xr =
        r->data ? xmlReaderForMemory(r->data, (int)r->len, NULL, NULL, READER_OPTS)
                : xmlReaderForFile(r->path, NULL, READER_OPTS);
    if (xr)
        xmlTextReaderSetStructuredErrorHandler(xr, on_xml_error, r);
    return xr;
}

static bool ns_is(const xmlNode *n, const char *prefix)
{
    return n->ns && n->ns->href && strncmp((const char *)n->ns->href, prefix, strlen(prefix)) == 0;
}

static bool is_wp(const xmlNode *n)
{
    return ns_is(n, NS_WP) && strstr((const char *)n->ns->href, "/excerpt/") == NULL;
}

static bool is_excerpt(const xmlNode *n)
{
    return ns_is(n, NS_WP) && strstr((const char *)n->ns->href, "/excerpt/") != NULL;
}

static bool named(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* The text of N (CDATA included) in ARENA; entity references are not
 * expanded (no DTD is read, so there are none to expand). */
static struct str text_of(struct arena *arena, const xmlNode *n)
{
    struct buf b;
    buf_init(&b, arena, MH_MAX_BODY + 1);
    for (const xmlNode *c = n->children; c; c = c->next)
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
            buf_adds(&b, (const char *)c->content);
    if (b.err) /* over the ceiling: keep what fits, the field check refuses it */
        return str_make(b.data ? b.data : "", b.len);
    return buf_str(&b);
}

static char *heap_text(const xmlNode *n)
{
    struct arena a;
    arena_init(&a, 0);
    struct str s = text_of(&a, n);
    char *out = mh_strndup(s.ptr ? s.ptr : "", s.len);
    arena_release(&a);
    return out;
}

static bool parse_id(struct str s, int64_t *out)
{
    return str_to_i64(str_trim(s), 1, (int64_t)1 << 53, out) == MH_OK;
}

/* The file an uploads URL names, relative to the media folder: the part
 * after "/uploads/", decoded, without query; NULL when there is none or it
 * climbs out (".."). */
static char *uploads_file(struct arena *arena, struct str url)
{
    const char *key = "/uploads/";
    const char *p = NULL;
    for (size_t i = 0; i + 9 <= url.len; i++)
        if (memcmp(url.ptr + i, key, 9) == 0)
            p = url.ptr + i + 9; /* the last one: ".../uploads/sites/2/uploads/..." is rare */
    if (p == NULL)
        return NULL;
    const char *end = url.ptr + url.len, *q = p;
    while (q < end && *q != '?' && *q != '#')
        q++;
    struct str rel = import_percent_decode(arena, str_make(p, (size_t)(q - p)));
    if (rel.len == 0 || rel.ptr[0] == '/')
        return NULL;
    for (size_t i = 0; i < rel.len; i++) /* no ".." segment, no NUL */
        if (rel.ptr[i] == '\0' ||
            (rel.ptr[i] == '.' && i + 1 < rel.len && rel.ptr[i + 1] == '.' &&
             (i == 0 || rel.ptr[i - 1] == '/') && (i + 2 == rel.len || rel.ptr[i + 2] == '/')))
            return NULL;
    return arena_strndup(arena, rel.ptr, rel.len);
}

/* ------------------------------------------------------------------ */
/* Authors and attachments                                              */

static void add_author(struct wxr_reader *r, const xmlNode *node)
{
    char *login = NULL, *name = NULL;
    for (const xmlNode *c = node->children; c; c = c->next) {
        if (!is_wp(c))
            continue;
        if (named(c, "author_login") && login == NULL)
            login = heap_text(c);
        else if (named(c, "author_display_name") && name == NULL)
            name = heap_text(c);
    }
    if (login == NULL || r->n_authors >= 100000) {
        free(login);
        free(name);
        return;
    }
    if (r->n_authors == r->cap_authors) {
        r->cap_authors = r->cap_authors ? 2 * r->cap_authors : 16;
        r->authors = mh_realloc(r->authors, r->cap_authors * sizeof(*r->authors));
    }
    r->authors[r->n_authors].login = login;
    r->authors[r->n_authors].name = name ? name : mh_strdup(login);
    r->n_authors++;
}

static struct str author_name(struct wxr_reader *r, struct str login)
{
    for (size_t i = 0; i < r->n_authors; i++)
        if (str_eq_c(login, r->authors[i].login))
            return str_c(r->authors[i].name);
    return login;
}

static int att_cmp(const void *a, const void *b)
{
    const struct wxr_attachment *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

static const struct wxr_attachment *find_attachment(const struct wxr_reader *r, int64_t id)
{
    struct wxr_attachment key = {.id = id};
    return r->n_att ? bsearch(&key, r->att, r->n_att, sizeof(key), att_cmp) : NULL;
}

/* Pass one: the attachments' ids and files.  Errors are left to pass two. */
static void collect_attachments(struct wxr_reader *r)
{
    xmlTextReaderPtr xr = open_reader(r);
    struct arena a;
    if (xr == NULL)
        return;
    arena_init(&a, 0);
    bool positioned = false; /* xmlTextReaderNext left us on an unseen node */
    while (positioned || xmlTextReaderRead(xr) == 1) {
        positioned = false;
        if (xmlTextReaderNodeType(xr) == XML_READER_TYPE_DOCUMENT_TYPE)
            break;
        if (xmlTextReaderNodeType(xr) != XML_READER_TYPE_ELEMENT ||
            xmlTextReaderConstNamespaceUri(xr) != NULL ||
            strcmp((const char *)xmlTextReaderConstLocalName(xr), "item") != 0)
            continue;
        xmlNode *item = xmlTextReaderExpand(xr);
        if (item == NULL)
            break;
        arena_reset(&a);
        struct str type = STR_NULL, url = STR_NULL, id = STR_NULL, caption = STR_NULL,
                   alt = STR_NULL;
        for (const xmlNode *c = item->children; c; c = c->next) {
            if (is_wp(c) && named(c, "post_type"))
                type = text_of(&a, c);
            else if (is_wp(c) && named(c, "attachment_url"))
                url = text_of(&a, c);
            else if (is_wp(c) && named(c, "post_id"))
                id = text_of(&a, c);
            else if (is_excerpt(c) && named(c, "encoded"))
                caption = text_of(&a, c);
            else if (is_wp(c) && named(c, "postmeta")) {
                struct str k = STR_NULL, v = STR_NULL;
                for (const xmlNode *m = c->children; m; m = m->next) {
                    if (is_wp(m) && named(m, "meta_key"))
                        k = text_of(&a, m);
                    else if (is_wp(m) && named(m, "meta_value"))
                        v = text_of(&a, m);
                }
                if (str_eq_c(str_trim(k), "_wp_attachment_image_alt"))
                    alt = v;
            }
        }
        int64_t n;
        char *file;
        if (str_eq_c(str_trim(type), "attachment") && parse_id(id, &n) &&
            (file = uploads_file(&a, str_trim(url))) != NULL) {
            if (r->n_att == r->cap_att) {
                r->cap_att = r->cap_att ? 2 * r->cap_att : 64;
                r->att = mh_realloc(r->att, r->cap_att * sizeof(*r->att));
            }
            struct wxr_attachment *t = &r->att[r->n_att++];
            struct str cap = import_text(&a, caption, false), al = import_text(&a, alt, false);
            t->id = n;
            t->file = mh_strdup(file);
            t->caption = mh_strndup(cap.ptr ? cap.ptr : "", cap.len);
            t->alt = mh_strndup(al.ptr ? al.ptr : "", al.len);
        }
        if (xmlTextReaderNext(xr) != 1)
            break;
        positioned = true;
    }
    arena_release(&a);
    xmlFreeTextReader(xr);
    if (r->n_att)
        qsort(r->att, r->n_att, sizeof(*r->att), att_cmp);
    r->err[0] = '\0'; /* pass two reports errors, at their place */
    r->err_line = 0;
}

/* ------------------------------------------------------------------ */
/* One post                                                             */

/* Classic-editor content has no paragraphs, only blank lines between them
 * (WordPress adds <p> when it shows a post); Gutenberg content has tags. */
static struct str autop(struct arena *arena, struct str raw)
{
    struct buf b;
    buf_init(&b, arena, 2 * raw.len + 64);
    bool has_blocks = false;
    for (size_t i = 0; i + 2 < raw.len && !has_blocks; i++)
        if (raw.ptr[i] == '<' && (raw.ptr[i + 1] == 'p' || raw.ptr[i + 1] == 'P' ||
                                  raw.ptr[i + 1] == 'd' || raw.ptr[i + 1] == 'D' ||
                                  (raw.ptr[i + 1] == 'h' && raw.ptr[i + 2] >= '1' &&
                                   raw.ptr[i + 2] <= '6')))
            has_blocks = true;
    bool open = false;
    for (size_t i = 0; i < raw.len; i++) {
        char c = raw.ptr[i];
        /* [caption ...]<img ...> Text[/caption]: a figure */
        if (c == '[' && str_starts(str_make(raw.ptr + i, raw.len - i), "[caption")) {
            const char *e = memchr(raw.ptr + i, ']', raw.len - i);
            if (e) {
                buf_adds(&b, "<figure>");
                i = (size_t)(e - raw.ptr);
                continue;
            }
        }
        if (c == '[' && str_starts(str_make(raw.ptr + i, raw.len - i), "[/caption]")) {
            buf_adds(&b, "</figure>");
            i += 9;
            continue;
        }
        if (has_blocks) {
            buf_addc(&b, c);
            continue;
        }
        if (c == '\n' || c == '\r') {
            size_t j = i, newlines = 0;
            while (j < raw.len && (raw.ptr[j] == '\n' || raw.ptr[j] == '\r' ||
                                   raw.ptr[j] == ' ' || raw.ptr[j] == '\t')) {
                newlines += raw.ptr[j] == '\n';
                j++;
            }
            if (newlines >= 2 && open) {
                buf_adds(&b, "</p>\n");
                open = false;
            } else if (open && j < raw.len) {
                buf_adds(&b, "<br>\n");
            }
            i = j - 1;
            continue;
        }
        if (!open) {
            buf_adds(&b, "<p>");
            open = true;
        }
        buf_addc(&b, c);
    }
    if (open)
        buf_adds(&b, "</p>");
    if (b.err)
        return raw;
    return buf_str(&b);
}

/* Turn the expanded <item> ITEM into *IT. */
static void read_item(struct wxr_reader *r, xmlNode *item, struct arena *arena,
                      struct import_item *it)
{
    struct str title = STR_NULL, link = STR_NULL, guid = STR_NULL, creator = STR_NULL,
               content = STR_NULL, excerpt = STR_NULL, post_id = STR_NULL, date = STR_NULL,
               date_gmt = STR_NULL, status = STR_NULL, type = STR_NULL, thumb = STR_NULL;
    struct str cat_slug = STR_NULL, cat_name = STR_NULL;
    struct str *tags = arena_alloc(arena, MH_MAX_LIST * sizeof(*tags));
    size_t n_tags = 0;
    struct article *a = &it->a;
    char label[256];

    for (const xmlNode *c = item->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (c->ns == NULL) {
            if (named(c, "title"))
                title = text_of(arena, c);
            else if (named(c, "link"))
                link = text_of(arena, c);
            else if (named(c, "guid"))
                guid = text_of(arena, c);
            else if (named(c, "category")) {
                xmlChar *domain = xmlGetProp(c, (const xmlChar *)"domain");
                xmlChar *nice = xmlGetProp(c, (const xmlChar *)"nicename");
                /* WordPress keeps names and titles with HTML character references */
                struct str name = import_text(arena, import_unescape(arena, text_of(arena, c)),
                                              false);
                if (domain && strcmp((const char *)domain, "category") == 0 && !cat_name.len &&
                    name.len) {
                    cat_name = name;
                    cat_slug = import_slug(arena, nice ? str_c((const char *)nice) : name);
                    if (cat_slug.len == 0)
                        cat_slug = import_slug(arena, name);
                } else if (domain && strcmp((const char *)domain, "post_tag") == 0 &&
                           name.len && n_tags < MH_MAX_LIST) {
                    bool dup = false;
                    for (size_t i = 0; i < n_tags && !dup; i++)
                        dup = str_eq(tags[i], name);
                    if (!dup)
                        tags[n_tags++] = name;
                }
                xmlFree(domain);
                xmlFree(nice);
            }
        } else if (ns_is(c, NS_DC) && named(c, "creator")) {
            creator = import_text(arena, text_of(arena, c), false);
        } else if (ns_is(c, NS_CONTENT) && named(c, "encoded")) {
            content = text_of(arena, c);
        } else if (is_excerpt(c) && named(c, "encoded")) {
            excerpt = text_of(arena, c);
        } else if (is_wp(c)) {
            if (named(c, "post_id"))
                post_id = str_trim(text_of(arena, c));
            else if (named(c, "post_date"))
                date = text_of(arena, c);
            else if (named(c, "post_date_gmt"))
                date_gmt = text_of(arena, c);
            else if (named(c, "status"))
                status = str_trim(text_of(arena, c));
            else if (named(c, "post_type"))
                type = str_trim(text_of(arena, c));
            else if (named(c, "postmeta")) {
                struct str k = STR_NULL, v = STR_NULL;
                for (const xmlNode *m = c->children; m; m = m->next) {
                    if (is_wp(m) && named(m, "meta_key"))
                        k = text_of(arena, m);
                    else if (is_wp(m) && named(m, "meta_value"))
                        v = text_of(arena, m);
                }
                if (str_eq_c(str_trim(k), "_thumbnail_id"))
                    thumb = str_trim(v);
            }
        }
    }

    it->lineno = (uint64_t)xmlGetLineNo(item);
    if (post_id.len && post_id.len < 32)
        snprintf(label, sizeof(label), "item %llu (post %.*s)", (unsigned long long)r->items,
                 (int)post_id.len, post_id.ptr);
    else if (guid.len)
        snprintf(label, sizeof(label), "item %llu (guid %.*s)", (unsigned long long)r->items,
                 (int)(guid.len > 120 ? 120 : guid.len), guid.ptr);
    else
        snprintf(label, sizeof(label), "item %llu", (unsigned long long)r->items);
    it->label = arena_strdup(arena, label);

    /* what kind of entry */
    if (!str_eq_c(type, "post") && type.len) {
        it->skip = true;
        if (str_eq_c(type, "page"))
            it->reason = "a page, not a post (pages are not imported)";
        return;
    }
    if (str_eq_c(status, "trash") || str_eq_c(status, "auto-draft") ||
        str_eq_c(status, "inherit")) {
        it->skip = true;
        it->reason = str_eq_c(status, "trash") ? "in the trash" : NULL;
        return;
    }

    a->edition = str_c(r->edition);
    if (!parse_id(post_id, &a->id)) {
        import_refuse(it, arena, MH_INVAL, "wp:post_id must be a positive whole number");
        return;
    }
    a->title = import_text(arena, import_unescape(arena, title), false);
    a->channel = cat_slug.len ? cat_slug : STR_LIT("uncategorized");
    it->channel_name = cat_name.len ? cat_name : STR_LIT("Uncategorized");
    a->keywords = tags;
    a->n_keywords = n_tags;
    if (creator.len) {
        a->authors = arena_alloc(arena, sizeof(*a->authors));
        a->authors[0] = import_text(arena, import_unescape(arena, author_name(r, creator)), false);
        a->n_authors = 1;
    }

    /* when */
    int64_t when = 0;
    if (import_civil_time(date_gmt, STR_LIT("UTC"), &when) != MH_OK &&
        import_civil_time(date, str_c(r->tz), &when) != MH_OK)
        when = 0;
    if (str_eq_c(status, "publish")) {
        a->status = ARTICLE_PUBLISHED;
    } else if (str_eq_c(status, "future")) {
        a->status = ARTICLE_SCHEDULED;
    } else if (str_eq_c(status, "pending")) {
        a->status = ARTICLE_SUBMITTED;
    } else if (str_eq_c(status, "draft") || str_eq_c(status, "private")) {
        a->status = ARTICLE_DRAFT; /* private posts are not for readers */
    } else {
        import_refuse(it, arena, MH_INVAL,
                      "unknown wp:status '%.*s' (publish, future, draft, pending, private)",
                      (int)(status.len > 32 ? 32 : status.len), status.ptr);
        return;
    }
    if (when == 0 && (a->status == ARTICLE_PUBLISHED || a->status == ARTICLE_SCHEDULED)) {
        import_refuse(it, arena, MH_INVAL, "status '%.*s' needs a date: wp:post_date_gmt or "
                      "wp:post_date must be YYYY-MM-DD HH:MM:SS", (int)status.len, status.ptr);
        return;
    }
    if (a->status == ARTICLE_SCHEDULED)
        a->scheduled_at = when;
    else if (a->status == ARTICLE_PUBLISHED)
        a->first_published_at = a->last_published_at = when;

    /* the body, the abstract */
    char why[512];
    a->body_format = BODY_HTML;
    if (content.len &&
        import_clean_html(arena, autop(arena, content), &a->body, why, sizeof(why)) != MH_OK) {
        import_refuse(it, arena, MH_INVAL, "content:encoded: %s", why);
        return;
    }
    if (excerpt.len) {
        struct buf t;
        buf_init(&t, arena, MH_MAX_ABSTRACT + 1);
        if (sanitize_text_of_html(excerpt, &t) == MH_OK && !t.err)
            a->abstract = import_text(arena, buf_str(&t), true);
        else
            import_refuse(it, arena, MH_TOOBIG, "the excerpt is too long or not valid UTF-8");
    }

    /* images: the featured one, and those in the body, from the uploads folder */
    if (r->media_dir) {
        int64_t tid;
        if (thumb.len && parse_id(thumb, &tid)) {
            const struct wxr_attachment *t = find_attachment(r, tid);
            if (t == NULL) {
                import_refuse(it, arena, MH_INVAL,
                              "featured image: attachment %lld is not in the export (or its "
                              "URL has no /uploads/ part)", (long long)tid);
                return;
            }
            char *file = arena_alloc(arena, strlen(r->media_dir) + strlen(t->file) + 2);
            snprintf(file, strlen(r->media_dir) + strlen(t->file) + 2, "%s/%s", r->media_dir,
                     t->file);
            if (!fs_exists(file)) {
                import_refuse(it, arena, MH_INVAL,
                              "featured image '%s' (attachment %lld) is missing: no file %s",
                              t->file, (long long)tid, file);
                return;
            }
            a->images = arena_zalloc(arena, sizeof(*a->images));
            a->images[0].path = str_c(file);
            a->images[0].caption = str_c(t->caption);
            a->images[0].alt = str_c(t->alt);
            a->n_images = 1;
        }
        size_t pos = 0;
        struct str v;
        while (import_next_img(a->body, &pos, &v)) {
            char *rel = uploads_file(arena, import_unescape(arena, v));
            if (rel == NULL)
                continue; /* not an upload of this site: left as it is */
            size_t n = strlen(r->media_dir) + strlen(rel) + 2;
            char *file = arena_alloc(arena, n);
            snprintf(file, n, "%s/%s", r->media_dir, rel);
            if (!fs_exists(file)) {
                import_refuse(it, arena, MH_INVAL, "image '%s' in the body is missing: no file %s",
                              rel, file);
                return;
            }
            import_add_body_image(it, arena, v, file);
        }
    }

    /* the old address, for a published post */
    if (a->status == ARTICLE_PUBLISHED)
        it->redirect_from = import_percent_decode(arena, import_url_path(link));
    import_check_fields(it, arena);
}

/* ------------------------------------------------------------------ */
/* The reader                                                           */

static int start(struct wxr_reader *r, char *errbuf, size_t errlen)
{
    if (r->media_dir)
        collect_attachments(r);
    r->xr = open_reader(r);
    if (r->xr == NULL) {
        snprintf(errbuf, errlen, "cannot read the export");
        return MH_IO;
    }
    return MH_OK;
}

int wxr_open_memory(const char *data, size_t len, const char *edition, const char *tz,
                    const char *media_dir, struct wxr_reader **out, char *errbuf, size_t errlen)
{
    struct wxr_reader *r = mh_calloc(1, sizeof(*r));
    if (len > INT_MAX) {
        free(r);
        snprintf(errbuf, errlen, "the export is too large to read from memory");
        return MH_TOOBIG;
    }
    r->data = data ? data : "";
    r->len = len;
    r->edition = mh_strdup(edition);
    r->tz = mh_strdup(tz);
    r->media_dir = media_dir ? mh_strdup(media_dir) : NULL;
    int rc = start(r, errbuf, errlen);
    if (rc) {
        wxr_close(r);
        return rc;
    }
    *out = r;
    return MH_OK;
}

static int open_file(const char *path, const char *edition, const char *tz,
                     const char *media_dir, struct wxr_reader **out, char *errbuf, size_t errlen)
{
    struct wxr_reader *r = mh_calloc(1, sizeof(*r));
    r->path = mh_strdup(path);
    r->edition = mh_strdup(edition);
    r->tz = mh_strdup(tz);
    r->media_dir = media_dir ? mh_strdup(media_dir) : NULL;
    int rc = start(r, errbuf, errlen);
    if (rc) {
        wxr_close(r);
        return rc;
    }
    *out = r;
    return MH_OK;
}

void wxr_close(struct wxr_reader *r)
{
    if (r == NULL)
        return;
    if (r->xr)
        xmlFreeTextReader(r->xr);
    for (size_t i = 0; i < r->n_authors; i++) {
        free(r->authors[i].login);
        free(r->authors[i].name);
    }
    for (size_t i = 0; i < r->n_att; i++) {
        free(r->att[i].file);
        free(r->att[i].caption);
        free(r->att[i].alt);
    }
    free(r->authors);
    free(r->att);
    free(r->path);
    free(r->edition);
    free(r->tz);
    free(r->media_dir);
    free(r);
}

/* End the stream with one bad entry saying why (WHAT, then DETAIL), at LINE. */
static int fail_at(struct wxr_reader *r, struct arena *arena, struct import_item *it, int line,
                   const char *what, const char *detail)
{
    r->ended = true;
    it->lineno = line > 0 ? (uint64_t)line : r->line;
    import_refuse(it, arena, MH_INVAL, "%s%s", what, detail);
    return MH_OK;
}

static int fail_xml(struct wxr_reader *r, struct arena *arena, struct import_item *it)
{
    return fail_at(r, arena, it, r->err_line, "malformed XML: ",
                   r->err[0] ? r->err : "the reader stopped");
}

int wxr_next(struct wxr_reader *r, struct arena *arena, struct import_item *it)
{
    if (r->ended)
        return MH_NOTFOUND;
    if (r->broken)
        return fail_xml(r, arena, it);
    for (;;) {
        /* after xmlTextReaderNext the reader sits on a node not yet seen */
        int ok = r->positioned ? 1 : xmlTextReaderRead(r->xr);
        r->positioned = false;
        long consumed = xmlTextReaderByteConsumed(r->xr);
        if (consumed > 0)
            r->bytes = (uint64_t)consumed;
        int line = xmlTextReaderGetParserLineNumber(r->xr);
        if (line > 0 && (uint64_t)line > r->line)
            r->line = (uint64_t)line;
        if (ok == 0) {
            r->ended = true;
            if (!r->root_seen)
                return fail_at(r, arena, it, 0, "the file is empty: no <rss> element", "");
            return MH_NOTFOUND;
        }
        if (ok < 0)
            return fail_xml(r, arena, it);
        int type = xmlTextReaderNodeType(r->xr);
        if (type == XML_READER_TYPE_DOCUMENT_TYPE)
            return fail_at(r, arena, it, line, "a DOCTYPE is not allowed in a WordPress export",
                           "");
        if (type != XML_READER_TYPE_ELEMENT)
            continue;
        const char *name = (const char *)xmlTextReaderConstLocalName(r->xr);
        const char *ns = (const char *)xmlTextReaderConstNamespaceUri(r->xr);
        int depth = xmlTextReaderDepth(r->xr);
        if (!r->root_seen) {
            r->root_seen = true;
            if (ns != NULL || strcmp(name, "rss") != 0) {
                char msg[200];
                snprintf(msg, sizeof(msg), "the root element is <%.64s>, not <rss>", name);
                return fail_at(r, arena, it, line, "not a WordPress export: ", msg);
            }
            continue;
        }
        bool author = depth == 2 && ns && strncmp(ns, NS_WP, strlen(NS_WP)) == 0 &&
                      strcmp(name, "author") == 0;
        bool item = depth == 2 && ns == NULL && strcmp(name, "item") == 0;
        if (!author && !item)
            continue;
        xmlNode *node = xmlTextReaderExpand(r->xr);
        if (node == NULL)
            return fail_xml(r, arena, it);
        if (author) {
            add_author(r, node);
        } else {
            r->items++;
            read_item(r, node, arena, it);
        }
        /* the subtree is freed when the reader moves past it */
        int next = xmlTextReaderNext(r->xr);
        if (next < 0)
            r->broken = true; /* after this entry, the error */
        r->positioned = next == 1;
        if (item)
            return MH_OK;
        if (next == 0) {
            r->ended = true;
            return MH_NOTFOUND;
        }
        if (next < 0)
            return fail_xml(r, arena, it);
    }
}

/* ------------------------------------------------------------------ */
/* The import                                                           */

struct wxr_source {
    struct wxr_reader *r;
    uint64_t bytes, lines;
    const char *file;
};

static int source_next(void *arg, struct arena *arena, struct import_item *it, char *errbuf,
                       size_t errlen)
{
    struct wxr_source *ws = arg;
    (void)errbuf;
    (void)errlen;
    int rc = wxr_next(ws->r, arena, it);
    ws->bytes = ws->r->bytes;
    ws->lines = ws->r->line;
    return rc;
}

int import_wxr(struct site *site, const char *path, const struct import_opts *o,
               struct import_stats *stats, char *errbuf, size_t errlen)
{
    struct arena a;
    struct edition ed;
    struct wxr_source ws = {0};
    struct import_source src = {source_next, &ws, &ws.bytes, &ws.lines};
    int rc;
    memset(stats, 0, sizeof(*stats));
    arena_init(&a, 0);
    rc = import_edition(site, o, &a, &ed, errbuf, errlen);
    if (rc == MH_OK && o->media_dir && !fs_is_dir(o->media_dir)) {
        snprintf(errbuf, errlen, "the media folder '%s' does not exist", o->media_dir);
        rc = MH_NOTFOUND;
    }
    if (rc == MH_OK && !fs_exists(path)) {
        snprintf(errbuf, errlen, "cannot open '%s': no such file", path);
        rc = MH_NOTFOUND;
    }
    if (rc == MH_OK) {
        char *edition = arena_strndup(&a, ed.slug.ptr, ed.slug.len);
        char *tz = arena_strndup(&a, ed.tz.ptr, ed.tz.len);
        rc = open_file(path, edition, tz, o->media_dir, &ws.r, errbuf, errlen);
    }
    if (rc == MH_OK)
        rc = import_run(site, &src, o, stats, errbuf, errlen);
    wxr_close(ws.r);
    arena_release(&a);
    return rc;
}
