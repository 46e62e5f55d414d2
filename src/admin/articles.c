/* SPDX-License-Identifier: MIT */
/*
 * articles.c - the article screens: the dashboard, the list with its
 * filters, the editor (every field of the model, images, keywords), saving
 * with the revision check, autosave, the edit lock banner, the workflow
 * buttons, the preview through the site's own code, revisions with a
 * side-by-side diff and restore.  Each action is one newsroom_* call; what
 * the buttons offer is asked of newsroom_may(), and the library checks again.
 */
#include "core/compat.h"

#include "admin/admin_int.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/log.h"
#include "render/escape.h"
#include "render/markdown.h"
#include "render/sanitize.h"
#include "render/value.h"
#include "site/site.h"
#include "store/store.h"

#define LIST_PAGE 50

#define S(x) tval_str(a, (x))
#define C(x) tval_strc(a, (x))
#define I(x) tval_int(a, (x))
#define B(x) tval_bool(a, (x))

/* ------------------------------------------------------------------ */
/* Shared bits                                                          */

static const char *const status_labels[ARTICLE_STATUS_COUNT] = {
    [ARTICLE_DRAFT] = "Draft",         [ARTICLE_SUBMITTED] = "Submitted",
    [ARTICLE_APPROVED] = "Approved",   [ARTICLE_SCHEDULED] = "Scheduled",
    [ARTICLE_PUBLISHED] = "Published", [ARTICLE_WITHDRAWN] = "Withdrawn",
};

static struct str join_list(struct admin_req *r, const struct str *items, size_t n,
                            const char *sep)
{
    struct buf b;
    buf_init(&b, r->arena, MH_MAX_LIST * (MH_MAX_FIELD + 4));
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_adds(&b, sep);
        buf_addstr(&b, items[i]);
    }
    return buf_str(&b);
}

/* "2026-03-06T09:39" for an <input type=datetime-local> (the newsroom's zone). */
static struct str local_input(struct admin_req *r, int64_t ms)
{
    struct str t = admin_time(r, ms);
    if (t.len < 16)
        return STR_LIT("");
    char *p = arena_strndup(r->arena, t.ptr, 16);
    p[10] = 'T';
    return str_make(p, 16);
}

static bool parse_id(struct str s, int64_t *id)
{
    return s.len && str_to_i64(s, 1, INT64_MAX, id) == MH_OK;
}

/* The editions and their channels, for the selects. */
struct sections {
    struct edition *eds;
    size_t n_eds;
    struct channel **ch;
    size_t *n_ch;
};

static int load_sections(struct admin_req *r, struct sections *out)
{
    int rc = store_editions(r->s, r->arena, &out->eds, &out->n_eds);
    if (rc)
        return rc;
    out->ch = arena_zalloc(r->arena, (out->n_eds + 1) * sizeof(*out->ch));
    out->n_ch = arena_zalloc(r->arena, (out->n_eds + 1) * sizeof(*out->n_ch));
    for (size_t i = 0; rc == MH_OK && i < out->n_eds; i++)
        rc = store_channels(r->s, r->arena, out->eds[i].slug, &out->ch[i], &out->n_ch[i]);
    return rc;
}

static struct str channel_name(const struct sections *sec, struct str edition, struct str slug)
{
    for (size_t i = 0; i < sec->n_eds; i++)
        if (str_eq(sec->eds[i].slug, edition))
            for (size_t k = 0; k < sec->n_ch[i]; k++)
                if (str_eq(sec->ch[i][k].slug, slug))
                    return sec->ch[i][k].name;
    return slug;
}

/* [{name, slug, selected}] of the editions, and [{label, channels: [{value,
 * name, selected}]}] of "edition/channel" choices. */
static void section_values(struct admin_req *r, const struct sections *sec, struct str edition,
                           struct str channel)
{
    struct arena *a = r->arena;
    struct tval *eds = tval_list(a), *groups = tval_list(a);
    for (size_t i = 0; i < sec->n_eds; i++) {
        struct tval *e = tval_object(a), *g = tval_object(a), *chs = tval_list(a);
        tval_set(e, "slug", S(sec->eds[i].slug));
        tval_set(e, "name", S(sec->eds[i].name));
        tval_set(e, "selected", B(str_eq(sec->eds[i].slug, edition)));
        tval_append(eds, e);
        tval_set(g, "label", S(sec->eds[i].name));
        for (size_t k = 0; k < sec->n_ch[i]; k++) {
            const struct channel *ch = &sec->ch[i][k];
            struct tval *c = tval_object(a);
            tval_set(c, "value", S(admin_fmt(r, "%.*s/%.*s", (int)ch->edition.len,
                                             ch->edition.ptr, (int)ch->slug.len, ch->slug.ptr)));
            tval_set(c, "slug", S(ch->slug));
            tval_set(c, "name", S(ch->parent_id ? admin_fmt(r, "— %.*s", (int)ch->name.len,
                                                            ch->name.ptr)
                                                : ch->name));
            tval_set(c, "selected",
                     B(str_eq(ch->edition, edition) && str_eq(ch->slug, channel)));
            tval_append(chs, c);
        }
        tval_set(g, "channels", chs);
        tval_append(groups, g);
    }
    tval_set(r->root, "editions", eds);
    tval_set(r->root, "sections", groups);
}

int admin_refused(struct admin_req *r, int rc, const char *title)
{
    int status;
    switch (rc) {
    case MH_FORBIDDEN: status = 403; break;
    case MH_NOTFOUND: status = 404; break;
    case MH_CONFLICT: status = 409; break;
    case MH_INVAL: status = 400; break;
    case MH_TOOBIG: status = 413; break;
    case MH_GONE: status = 410; break;
    default: return rc;
    }
    admin_message(r, "error", "%s",
                  r->nr.message[0] ? r->nr.message
                  : rc == MH_NOTFOUND ? "There is no such article, or you may not see it."
                  : rc == MH_FORBIDDEN ? "Your role may not do this."
                                       : "This cannot be done now.");
    return admin_page(r, "message", title, status);
}

/* ------------------------------------------------------------------ */
/* Dashboard and list                                                   */

static struct tval *row_value(struct admin_req *r, const struct newsroom_row *row)
{
    struct arena *a = r->arena;
    struct tval *it = tval_object(a);
    tval_set(it, "id", I(row->id));
    tval_set(it, "href", S(admin_fmt(r, "/admin/articles/%lld", (long long)row->id)));
    tval_set(it, "title", S(row->title.len ? row->title : STR_LIT("(untitled)")));
    tval_set(it, "edition", S(row->edition));
    tval_set(it, "channel", S(row->channel));
    tval_set(it, "authors", S(row->authors));
    tval_set(it, "owner", S(row->owner));
    tval_set(it, "status", C(article_status_name(row->status)));
    tval_set(it, "status_label", C(status_labels[row->status]));
    tval_set(it, "revision", I(row->revision));
    tval_set(it, "updated", S(admin_time(r, row->updated_at)));
    tval_set(it, "scheduled", S(admin_time(r, row->scheduled_at)));
    tval_set(it, "published", S(admin_time(r, row->first_published_at)));
    return it;
}

int admin_dashboard(struct admin_req *r)
{
    struct arena *a = r->arena;
    struct tval *counts = tval_list(a), *mine = tval_list(a), *recent = tval_list(a);
    struct newsroom_row *rows;
    size_t n;
    int64_t total;
    for (int st = 0; st < ARTICLE_STATUS_COUNT; st++) {
        struct newsroom_filter f = {.status = st, .limit = 1};
        int rc = newsroom_article_list(&r->nr, a, &f, &rows, &n, &total);
        if (rc)
            return rc;
        struct tval *c = tval_object(a);
        tval_set(c, "status", C(article_status_name((enum article_status)st)));
        tval_set(c, "label", C(status_labels[st]));
        tval_set(c, "count", I(total));
        tval_set(c, "href", S(admin_fmt(r, "/admin/articles?status=%s",
                                        article_status_name((enum article_status)st))));
        tval_append(counts, c);
    }
    struct newsroom_filter fm = {.status = -1, .mine_only = true, .limit = 10};
    int rc = newsroom_article_list(&r->nr, a, &fm, &rows, &n, NULL);
    for (size_t i = 0; rc == MH_OK && i < n; i++)
        tval_append(mine, row_value(r, &rows[i]));
    struct newsroom_filter fr = {.status = ARTICLE_SUBMITTED, .limit = 10};
    if (rc == MH_OK && r->me.role >= ROLE_EDITOR)
        rc = newsroom_article_list(&r->nr, a, &fr, &rows, &n, NULL);
    else
        n = 0;
    for (size_t i = 0; rc == MH_OK && i < n; i++)
        tval_append(recent, row_value(r, &rows[i]));
    if (rc)
        return rc;
    tval_set(r->root, "counts", counts);
    tval_set(r->root, "mine", mine);
    tval_set(r->root, "review", recent);
    tval_set(r->root, "is_editor", B(r->me.role >= ROLE_EDITOR));
    return admin_page(r, "dashboard", "Dashboard", 200);
}

/* "/admin/articles?edition=...&page=N" keeping the filters */
static struct str list_url(struct admin_req *r, const char *const *keys, const struct str *vals,
                           size_t n, int64_t page)
{
    struct buf b;
    buf_init(&b, r->arena, 16 * MH_KIB);
    buf_adds(&b, "/admin/articles?");
    for (size_t i = 0; i < n; i++) {
        if (vals[i].len == 0)
            continue;
        buf_addf(&b, "%s=", keys[i]);
        escape_url_component(&b, vals[i]);
        buf_addc(&b, '&');
    }
    buf_addf(&b, "page=%lld", (long long)page);
    return buf_str(&b);
}

int admin_articles(struct admin_req *r)
{
    struct arena *a = r->arena;
    struct sections sec;
    struct newsroom_row *rows;
    size_t n;
    int64_t total = 0, page = 1;
    static const char *const keys[] = {"edition", "channel", "status", "author", "q", "mine"};
    struct str vals[MH_ARRAY_LEN(keys)];
    for (size_t i = 0; i < MH_ARRAY_LEN(keys); i++)
        vals[i] = admin_query(r, keys[i]);
    struct newsroom_filter f = {.status = -1, .limit = LIST_PAGE};
    f.edition = vals[0];
    /* the channel select's value is "edition/slug" */
    const char *slash = memchr(vals[1].ptr ? vals[1].ptr : "", '/', vals[1].len);
    if (slash) {
        if (f.edition.len == 0)
            f.edition = str_make(vals[1].ptr, (size_t)(slash - vals[1].ptr));
        if (str_eq(f.edition, str_make(vals[1].ptr, (size_t)(slash - vals[1].ptr))))
            f.channel = str_make(slash + 1, vals[1].len - (size_t)(slash - vals[1].ptr) - 1);
    }
    enum article_status st;
    if (vals[2].len && article_status_parse(vals[2], &st) == MH_OK)
        f.status = (int)st;
    f.author = vals[3];
    f.text = vals[4];
    f.mine_only = str_eq_c(vals[5], "1");
    struct str pg = admin_query(r, "page");
    if (pg.len && str_to_i64(pg, 1, 1000000, &page) != MH_OK)
        page = 1;
    f.offset = (page - 1) * LIST_PAGE;
    if (str_eq_c(admin_query(r, "deleted"), "1"))
        admin_message(r, "ok", "The draft was deleted.");
    /* A text or author filter tests every row: counting all matches would scan the
     * archive a second time, so those pages ask for one row more than they show and
     * offer "Older" when it came (bench/admin). */
    bool counted = f.text.len == 0 && f.author.len == 0;
    if (!counted)
        f.limit = LIST_PAGE + 1;
    int rc = load_sections(r, &sec);
    if (rc == MH_OK)
        rc = newsroom_article_list(&r->nr, a, &f, &rows, &n, counted ? &total : NULL);
    bool more = false;
    if (rc == MH_OK && !counted) {
        more = n > LIST_PAGE;
        if (more)
            n = LIST_PAGE;
        total = f.offset + (int64_t)n + more;
    }
    if (rc == MH_INVAL || rc == MH_TOOBIG) {
        admin_message(r, "error", "%s", r->nr.message[0] ? r->nr.message : "Bad filter.");
        rows = NULL;
        n = 0;
        total = 0;
    } else if (rc) {
        return rc;
    }
    struct tval *items = tval_list(a);
    for (size_t i = 0; i < n; i++) {
        struct tval *it = row_value(r, &rows[i]);
        tval_set(it, "channel", S(channel_name(&sec, rows[i].edition, rows[i].channel)));
        tval_append(items, it);
    }
    tval_set(r->root, "items", items);
    section_values(r, &sec, f.edition, f.channel);
    struct tval *sts = tval_list(a);
    for (int i = 0; i < ARTICLE_STATUS_COUNT; i++) {
        struct tval *o = tval_object(a);
        tval_set(o, "value", C(article_status_name((enum article_status)i)));
        tval_set(o, "label", C(status_labels[i]));
        tval_set(o, "selected", B(f.status == i));
        tval_append(sts, o);
    }
    tval_set(r->root, "statuses", sts);
    struct tval *flt = tval_object(a);
    tval_set(flt, "author", S(f.author));
    tval_set(flt, "q", S(f.text));
    tval_set(flt, "mine", B(f.mine_only));
    tval_set(flt, "any_edition", B(f.edition.len == 0));
    tval_set(flt, "any_channel", B(f.channel.len == 0));
    tval_set(flt, "any_status", B(f.status < 0));
    tval_set(r->root, "filter", flt);
    int64_t pages = (total + LIST_PAGE - 1) / LIST_PAGE;
    struct tval *pv = tval_object(a);
    tval_set(pv, "counted", B(counted));
    tval_set(pv, "total", I(total));
    tval_set(pv, "page", I(page));
    tval_set(pv, "pages", I(pages ? pages : 1));
    tval_set(pv, "from", I(n ? f.offset + 1 : 0));
    tval_set(pv, "to", I(f.offset + (int64_t)n));
    if (page > 1)
        tval_set(pv, "prev", S(list_url(r, keys, vals, MH_ARRAY_LEN(keys), page - 1)));
    if (page < pages)
        tval_set(pv, "next", S(list_url(r, keys, vals, MH_ARRAY_LEN(keys), page + 1)));
    tval_set(r->root, "pager", pv);
    return admin_page(r, "articles", "Articles", 200);
}

/* ------------------------------------------------------------------ */
/* The editor                                                           */

/* Read the editor form into *A (strings borrowed from the form). */
static void read_form(struct admin_req *r, struct article *a)
{
    struct arena *ar = r->arena;
    memset(a, 0, sizeof(*a));
    struct str sec = admin_form(r, "section");
    const char *slash = memchr(sec.ptr ? sec.ptr : "", '/', sec.len);
    if (slash) {
        a->edition = str_make(sec.ptr, (size_t)(slash - sec.ptr));
        a->channel = str_make(slash + 1, sec.len - (size_t)(slash - sec.ptr) - 1);
    }
    a->title = admin_form(r, "title");
    a->subtitle = admin_form(r, "subtitle");
    a->kicker = admin_form(r, "kicker");
    admin_split_list(ar, admin_form(r, "authors"), false, &a->authors, &a->n_authors);
    a->editor = admin_form(r, "editor");
    a->source = admin_form(r, "source");
    admin_split_list(ar, admin_form(r, "keywords"), true, &a->keywords, &a->n_keywords);
    a->abstract = admin_form(r, "abstract");
    a->body = admin_form(r, "body");
    a->body_format = str_eq_c(admin_form(r, "body_format"), "html") ? BODY_HTML : BODY_MARKDOWN;
    int64_t rev = 0;
    if (str_to_i64(admin_form(r, "revision"), 1, INT32_MAX, &rev) == MH_OK)
        a->revision = (int)rev;
    /* images: image_id, image_caption, image_credit, image_alt in order */
    size_t n = 0, ci = 0, cr = 0, al = 0;
    for (size_t i = 0; i < r->form.n; i++)
        n += str_eq_c(r->form.v[i].name, "image_id");
    a->images = arena_zalloc(ar, (n + 1) * sizeof(*a->images));
    for (size_t i = 0; i < r->form.n; i++) {
        struct str name = r->form.v[i].name, v = r->form.v[i].value;
        int64_t id;
        if (str_eq_c(name, "image_id") && str_to_i64(v, 1, INT64_MAX, &id) == MH_OK)
            a->images[a->n_images++].media_id = id;
        else if (str_eq_c(name, "image_id"))
            a->images[a->n_images++].media_id = 0; /* keeps positions aligned */
        else if (str_eq_c(name, "image_caption") && ci < n)
            a->images[ci++].caption = v;
        else if (str_eq_c(name, "image_credit") && cr < n)
            a->images[cr++].credit = v;
        else if (str_eq_c(name, "image_alt") && al < n)
            a->images[al++].alt = v;
    }
    /* drop removed rows (empty id); fill path and size from the library */
    size_t kept = 0;
    for (size_t i = 0; i < a->n_images; i++) {
        if (a->images[i].media_id == 0)
            continue;
        a->images[kept++] = a->images[i];
    }
    a->n_images = kept;
}

/* Fill image paths and sizes from the library (a form only carries ids);
 * an id that is not in the library stays without a path (the library
 * refuses it on save). */
static int resolve_images(struct admin_req *r, struct article *art)
{
    for (size_t i = 0; i < art->n_images; i++) {
        struct media m;
        int rc = store_media_get(r->s, r->arena, art->images[i].media_id, &m);
        if (rc == MH_NOTFOUND)
            continue;
        if (rc)
            return rc;
        art->images[i].sha256 = m.sha256;
        art->images[i].path = m.path;
        art->images[i].mime = m.mime;
        art->images[i].width = m.width;
        art->images[i].height = m.height;
    }
    return MH_OK;
}

#define PICKER_MAX 60

/* The newest images of the library, for the editor's picker. */
static int picker_values(struct admin_req *r)
{
    struct arena *a = r->arena;
    struct media_query q = {.limit = PICKER_MAX};
    struct media *ms;
    size_t n;
    int64_t total;
    int rc = store_media_find(r->s, a, &q, &ms, &n, &total);
    if (rc)
        return rc;
    struct tval *list = tval_list(a);
    for (size_t i = 0; i < n; i++) {
        struct tval *it = tval_object(a);
        tval_set(it, "id", I(ms[i].id));
        tval_set(it, "src", S(admin_fmt(r, "/%.*s", (int)ms[i].path.len, ms[i].path.ptr)));
        tval_set(it, "alt", S(ms[i].alt));
        tval_set(it, "caption", S(ms[i].caption));
        tval_set(it, "credit", S(ms[i].credit));
        tval_append(list, it);
    }
    tval_set(r->root, "library", list);
    tval_set(r->root, "library_total", I(total));
    return MH_OK;
}

/* The editor's values for article ART (the stored one, or what was sent). */
static int editor_values(struct admin_req *r, const struct article *art, bool is_new)
{
    struct arena *a = r->arena;
    struct sections sec;
    int rc = load_sections(r, &sec);
    if (rc == MH_OK)
        rc = picker_values(r);
    if (rc)
        return rc;
    section_values(r, &sec, art->edition, art->channel);
    struct tval *av = tval_object(a);
    tval_set(av, "id", I(art->id));
    tval_set(av, "is_new", B(is_new));
    tval_set(av, "action", is_new ? C("/admin/articles/new")
                                  : S(admin_fmt(r, "/admin/articles/%lld", (long long)art->id)));
    tval_set(av, "title", S(art->title));
    tval_set(av, "subtitle", S(art->subtitle));
    tval_set(av, "kicker", S(art->kicker));
    tval_set(av, "authors", S(join_list(r, art->authors, art->n_authors, "\n")));
    tval_set(av, "editor", S(art->editor));
    tval_set(av, "source", S(art->source));
    tval_set(av, "keywords", S(join_list(r, art->keywords, art->n_keywords, ", ")));
    tval_set(av, "abstract", S(art->abstract));
    tval_set(av, "body", S(art->body));
    tval_set(av, "html", B(art->body_format == BODY_HTML));
    tval_set(av, "revision", I(art->revision));
    tval_set(av, "status", C(article_status_name(art->status)));
    tval_set(av, "status_label", C(status_labels[art->status]));
    tval_set(av, "created", S(admin_time(r, art->created_at)));
    tval_set(av, "updated", S(admin_time(r, art->updated_at)));
    tval_set(av, "first_published", S(admin_time(r, art->first_published_at)));
    tval_set(av, "last_published", S(admin_time(r, art->last_published_at)));
    tval_set(av, "scheduled", S(admin_time(r, art->scheduled_at)));
    struct tval *imgs = tval_list(a);
    for (size_t i = 0; i < art->n_images; i++) {
        const struct article_image *im = &art->images[i];
        struct tval *it = tval_object(a);
        tval_set(it, "id", I(im->media_id));
        tval_set(it, "lead", B(i == 0));
        if (im->path.len)
            tval_set(it, "src", S(admin_fmt(r, "/%.*s", (int)im->path.len, im->path.ptr)));
        tval_set(it, "caption", S(im->caption));
        tval_set(it, "credit", S(im->credit));
        tval_set(it, "alt", S(im->alt));
        tval_append(imgs, it);
    }
    tval_set(av, "images", imgs);
    if (!is_new) {
        tval_set(av, "preview", S(admin_fmt(r, "/admin/articles/%lld/preview", (long long)art->id)));
        tval_set(av, "revisions",
                 S(admin_fmt(r, "/admin/articles/%lld/revisions", (long long)art->id)));
        tval_set(av, "autosave",
                 S(admin_fmt(r, "/admin/articles/%lld/autosave", (long long)art->id)));
        tval_set(av, "workflow",
                 S(admin_fmt(r, "/admin/articles/%lld/workflow", (long long)art->id)));
        tval_set(av, "unlock",
                 S(admin_fmt(r, "/admin/articles/%lld/unlock", (long long)art->id)));
    }
    tval_set(r->root, "article", av);
    return MH_OK;
}

/* The workflow buttons the actor's role offers from ART's status. */
static int workflow_values(struct admin_req *r, const struct article *art)
{
    static const struct {
        enum article_status to;
        const char *verb, *label;
        bool comment, at;
    } steps[] = {
        {ARTICLE_SUBMITTED, "submit", "Submit for review", false, false},
        {ARTICLE_DRAFT, "return", "Return to the reporter", true, false},
        {ARTICLE_APPROVED, "approve", "Approve", false, false},
        {ARTICLE_PUBLISHED, "publish", "Publish now", false, false},
        {ARTICLE_SCHEDULED, "schedule", "Schedule", false, true},
        {ARTICLE_WITHDRAWN, "withdraw", "Withdraw", true, false},
    };
    struct arena *a = r->arena;
    struct str owner;
    int rc = newsroom_article_owner(&r->nr, a, art->id, &owner);
    if (rc == MH_NOTFOUND)
        owner = STR_LIT("");
    else if (rc)
        return rc;
    struct newsroom_subject subj = {str_eq(owner, r->me.login), art->status};
    struct tval *list = tval_list(a);
    for (size_t i = 0; i < MH_ARRAY_LEN(steps); i++) {
        enum newsroom_action act;
        if (newsroom_transition_action(art->status, steps[i].to, &act) != MH_OK ||
            !newsroom_may(r->me.role, act, &subj))
            continue;
        struct tval *b = tval_object(a);
        const char *label = steps[i].label;
        if (steps[i].to == ARTICLE_PUBLISHED && art->status == ARTICLE_WITHDRAWN)
            label = "Republish";
        if (steps[i].to == ARTICLE_DRAFT && art->status == ARTICLE_SCHEDULED)
            label = "Unschedule and return";
        if (steps[i].to == ARTICLE_SCHEDULED && art->status == ARTICLE_SCHEDULED)
            label = "Reschedule";
        if (steps[i].to == ARTICLE_APPROVED && art->status == ARTICLE_SCHEDULED)
            label = "Unschedule";
        tval_set(b, "to", C(article_status_name(steps[i].to)));
        tval_set(b, "verb", C(steps[i].verb));
        tval_set(b, "label", C(label));
        tval_set(b, "needs_comment", B(steps[i].comment));
        tval_set(b, "required_comment", B(steps[i].to == ARTICLE_DRAFT));
        tval_set(b, "needs_at", B(steps[i].at));
        if (steps[i].at)
            tval_set(b, "at_value",
                     S(local_input(r, art->scheduled_at ? art->scheduled_at
                                                        : clock_now_ms() + 3600000)));
        tval_append(list, b);
    }
    tval_set(r->root, "workflow", list);
    tval_set(r->root, "owner", S(owner));
    tval_set(r->root, "may_delete", B(newsroom_may(r->me.role, NR_ARTICLE_DELETE, &subj)));
    return MH_OK;
}

static void lock_banner(struct admin_req *r, const struct newsroom_lock *lk)
{
    struct arena *a = r->arena;
    struct tval *l = tval_object(a);
    tval_set(l, "name", S(lk->display_name.len ? lk->display_name : lk->login));
    tval_set(l, "login", S(lk->login));
    tval_set(l, "since", S(admin_time(r, lk->since)));
    tval_set(r->root, "locked", l);
}

/* GET the editor of article ID, or show it again after a refused save. */
static int edit_page(struct admin_req *r, struct article *art, int status)
{
    struct newsroom_lock lk;
    int rc;
    /* opening the editor takes the edit lock; the page after a workflow step
     * only shows whether someone else holds it */
    if (str_eq_c(admin_query(r, "done"), "1")) {
        rc = newsroom_lock_get(&r->nr, r->arena, art->id, &lk);
        if (rc == MH_OK && !str_eq(lk.login, r->me.login))
            lock_banner(r, &lk);
        else if (rc && rc != MH_NOTFOUND && rc != MH_FORBIDDEN)
            return rc;
    } else {
        rc = newsroom_lock_take(&r->nr, r->arena, art->id, &lk);
        if (rc == MH_CONFLICT)
            lock_banner(r, &lk);
        else if (rc && rc != MH_FORBIDDEN)
            return rc;
    }
    rc = editor_values(r, art, false);
    if (rc == MH_OK)
        rc = workflow_values(r, art);
    if (rc)
        return rc;
    return admin_page(r, "edit", "Edit article", status);
}

/* The stored article, or NULL-like refusal page. */
static int load_article(struct admin_req *r, int64_t id, struct article *out)
{
    return newsroom_article_get(&r->nr, r->arena, id, out);
}

static int article_new(struct admin_req *r)
{
    struct article art;
    if (r->req->method != HTTP_POST) {
        memset(&art, 0, sizeof(art));
        struct edition *eds;
        size_t n;
        int rc = store_editions(r->s, r->arena, &eds, &n);
        if (rc)
            return rc;
        for (size_t i = 0; i < n; i++)
            if (eds[i].is_default)
                art.edition = eds[i].slug;
        art.authors = &r->me.display_name;
        art.n_authors = 1;
        rc = editor_values(r, &art, true);
        if (rc)
            return rc;
        return admin_page(r, "edit", "New article", 200);
    }
    read_form(r, &art);
    int rc = newsroom_article_create(&r->nr, &art, admin_form(r, "note"));
    if (rc == MH_OK) {
        admin_message(r, "ok", "Draft created.");
        return admin_redirect(r, admin_fmt(r, "/admin/articles/%lld?saved=1", (long long)art.id));
    }
    if (rc != MH_INVAL && rc != MH_FORBIDDEN && rc != MH_NOTFOUND && rc != MH_TOOBIG &&
        rc != MH_CONFLICT)
        return rc;
    admin_message(r, "error", "Not saved: %s",
                  r->nr.message[0] ? r->nr.message : "the article was refused.");
    art.id = 0;
    rc = resolve_images(r, &art);
    if (rc == MH_OK)
        rc = editor_values(r, &art, true);
    if (rc)
        return rc;
    if (r->nr.field)
        tval_set(r->root, "bad_field", tval_strc(r->arena, r->nr.field));
    return admin_page(r, "edit", "New article", rc == MH_FORBIDDEN ? 403 : 400);
}

/* A stale save: show the user's text again, with what others changed
 * between the revision they started from and the current one. */
static int stale_page(struct admin_req *r, struct article *mine, const struct article *current)
{
    struct arena *a = r->arena;
    struct article base;
    struct newsroom_diff d;
    int rc = newsroom_revision_get(&r->nr, a, current->id, mine->revision, &base);
    if (rc == MH_OK)
        newsroom_diff_articles(a, &base, current, &d);
    else
        newsroom_diff_articles(a, mine, current, &d);
    struct tval *fields = tval_list(a);
    for (size_t i = 0; i < d.n_fields; i++) {
        if (!d.fields[i].changed)
            continue;
        struct tval *f = tval_object(a), *rows = tval_list(a);
        tval_set(f, "name", C(d.fields[i].name));
        for (size_t k = 0; k < d.fields[i].n_rows; k++) {
            const struct newsroom_diff_row *dr = &d.fields[i].rows[k];
            struct tval *row = tval_object(a);
            tval_set(row, "left", S(dr->left));
            tval_set(row, "right", S(dr->right));
            tval_set(row, "op", C(dr->op == NR_DIFF_SAME     ? "same"
                                  : dr->op == NR_DIFF_CHANGE ? "change"
                                  : dr->op == NR_DIFF_DEL    ? "del"
                                                             : "add"));
            tval_append(rows, row);
        }
        tval_set(f, "rows", rows);
        tval_append(fields, f);
    }
    struct tval *st = tval_object(a);
    tval_set(st, "fields", fields);
    tval_set(st, "base", I(mine->revision));
    tval_set(st, "current", I(current->revision));
    tval_set(r->root, "stale", st);
    admin_message(r, "error",
                  "Not saved: someone else saved this article (revision %d) after you opened "
                  "revision %d. Their changes are shown below; your text is still in the "
                  "form. Merge what you need and save again.",
                  current->revision, mine->revision);
    /* the form keeps the user's text but now edits the current revision */
    mine->status = current->status;
    mine->created_at = current->created_at;
    mine->updated_at = current->updated_at;
    mine->first_published_at = current->first_published_at;
    mine->scheduled_at = current->scheduled_at;
    mine->revision = current->revision;
    return edit_page(r, mine, 409);
}

static int article_save(struct admin_req *r, int64_t id)
{
    struct article stored, mine, current;
    int rc = load_article(r, id, &stored);
    if (rc)
        return admin_refused(r, rc, "Not found");
    read_form(r, &mine);
    mine.id = id;
    if (mine.edition.len == 0) {
        mine.edition = stored.edition;
        mine.channel = stored.channel;
    }
    memset(&current, 0, sizeof(current));
    rc = newsroom_article_save(&r->nr, r->arena, &mine, admin_form(r, "note"), &current);
    if (rc == MH_OK) {
        return admin_redirect(r, admin_fmt(r, "/admin/articles/%lld?saved=1", (long long)id));
    }
    int rrc = resolve_images(r, &mine);
    if (rrc)
        return rrc;
    mine.status = stored.status;
    mine.created_at = stored.created_at;
    mine.updated_at = stored.updated_at;
    mine.first_published_at = stored.first_published_at;
    mine.last_published_at = stored.last_published_at;
    mine.scheduled_at = stored.scheduled_at;
    if (rc == MH_CONFLICT && current.id)
        return stale_page(r, &mine, &current);
    if (rc == MH_CONFLICT) {
        struct newsroom_lock lk;
        if (newsroom_lock_get(&r->nr, r->arena, id, &lk) == MH_OK &&
            !str_eq(lk.login, r->me.login))
            admin_message(r, "error",
                          "Not saved: %.*s is editing this article (since %.*s). Your text is "
                          "still in the form; copy it or wait until they are done.",
                          (int)lk.display_name.len, lk.display_name.ptr,
                          (int)admin_time(r, lk.since).len, admin_time(r, lk.since).ptr);
        else
            admin_message(r, "error", "Not saved: %s",
                          r->nr.message[0] ? r->nr.message : "the article changed meanwhile.");
        return edit_page(r, &mine, 409);
    }
    if (rc == MH_INVAL || rc == MH_FORBIDDEN || rc == MH_NOTFOUND || rc == MH_TOOBIG) {
        admin_message(r, "error", "Not saved: %s",
                      r->nr.message[0] ? r->nr.message : "the article was refused.");
        if (r->nr.field)
            tval_set(r->root, "bad_field", tval_strc(r->arena, r->nr.field));
        return edit_page(r, &mine, rc == MH_FORBIDDEN ? 403 : rc == MH_NOTFOUND ? 404 : 400);
    }
    return rc;
}

static int article_edit(struct admin_req *r, int64_t id)
{
    struct article art;
    if (r->req->method == HTTP_POST)
        return article_save(r, id);
    int rc = load_article(r, id, &art);
    if (rc)
        return admin_refused(r, rc, "Not found");
    if (str_eq_c(admin_query(r, "saved"), "1"))
        admin_message(r, "ok", "Saved as revision %d.", art.revision);
    if (str_eq_c(admin_query(r, "done"), "1"))
        admin_message(r, "ok", "Done: the article is now %s.", status_labels[art.status]);
    struct article auto_a;
    if (newsroom_autosave_get(&r->nr, r->arena, id, &auto_a) == MH_OK) {
        if (str_eq_c(admin_query(r, "autosave"), "1")) {
            auto_a.id = id;
            auto_a.status = art.status;
            auto_a.scheduled_at = art.scheduled_at;
            auto_a.first_published_at = art.first_published_at;
            auto_a.created_at = art.created_at;
            int rrc = resolve_images(r, &auto_a);
            if (rrc)
                return rrc;
            admin_message(r, "info",
                          "These are your unsaved changes from %.*s (based on revision %d). "
                          "Save to keep them.",
                          (int)admin_time(r, auto_a.updated_at).len,
                          admin_time(r, auto_a.updated_at).ptr, auto_a.revision);
            if (auto_a.revision != art.revision)
                admin_message(r, "error",
                              "The article was saved by someone else since (revision %d): "
                              "saving will show you their changes.",
                              art.revision);
            return edit_page(r, &auto_a, 200);
        }
        struct tval *as = tval_object(r->arena);
        tval_set(as, "at", tval_str(r->arena, admin_time(r, auto_a.updated_at)));
        tval_set(as, "href",
                 tval_str(r->arena, admin_fmt(r, "/admin/articles/%lld?autosave=1", (long long)id)));
        tval_set(r->root, "autosaved", as);
    }
    return edit_page(r, &art, 200);
}

/* POST .../autosave from the editor's script: JSON out, no new revision. */
static int article_autosave(struct admin_req *r, int64_t id)
{
    struct article mine;
    if (r->req->method != HTTP_POST)
        return MH_NOTFOUND;
    read_form(r, &mine);
    mine.id = id;
    int rc = newsroom_article_autosave(&r->nr, &mine);
    struct buf b;
    buf_init(&b, r->arena, 4 * MH_KIB);
    if (rc == MH_OK) {
        buf_adds(&b, "{\"ok\":true,\"at\":");
        escape_json(&b, admin_time(r, clock_now_ms()), true);
        buf_adds(&b, "}");
        r->res->status = 200;
    } else if (rc == MH_CONFLICT || rc == MH_FORBIDDEN || rc == MH_NOTFOUND || rc == MH_INVAL ||
               rc == MH_TOOBIG) {
        buf_adds(&b, "{\"ok\":false,\"message\":");
        escape_json(&b, str_c(r->nr.message[0] ? r->nr.message : "not kept"), true);
        buf_adds(&b, "}");
        r->res->status = rc == MH_CONFLICT ? 409 : rc == MH_FORBIDDEN ? 403 : 400;
    } else {
        return rc;
    }
    r->res->content_type = "application/json";
    r->res->body = buf_str(&b);
    return MH_OK;
}

static int article_preview(struct admin_req *r, int64_t id)
{
    struct article art;
    struct site_page pg;
    int rc = load_article(r, id, &art);
    if (rc)
        return admin_refused(r, rc, "Not found");
    if (str_eq_c(admin_query(r, "autosave"), "1")) {
        struct article auto_a;
        if (newsroom_autosave_get(&r->nr, r->arena, id, &auto_a) == MH_OK) {
            auto_a.id = id;
            auto_a.status = art.status;
            auto_a.first_published_at = art.first_published_at;
            auto_a.created_at = art.created_at;
            auto_a.updated_at = art.updated_at;
            int rrc = resolve_images(r, &auto_a);
            if (rrc)
                return rrc;
            art = auto_a;
        }
    }
    rc = site_render_preview(r->theme, r->s, r->arena, &art, &pg);
    if (rc)
        return admin_refused(r, rc, "Preview");
    r->res->status = 200;
    r->res->content_type = pg.content_type;
    r->res->body = pg.body;
    return MH_OK;
}

static int article_workflow(struct admin_req *r, int64_t id)
{
    struct article art;
    enum article_status to;
    int64_t at = 0, rev = 0;
    if (r->req->method != HTTP_POST)
        return admin_redirect(r, admin_fmt(r, "/admin/articles/%lld", (long long)id));
    int rc = load_article(r, id, &art);
    if (rc)
        return admin_refused(r, rc, "Not found");
    if (article_status_parse(admin_form(r, "to"), &to) != MH_OK) {
        admin_message(r, "error", "Unknown workflow step.");
        return edit_page(r, &art, 400);
    }
    if (to == ARTICLE_SCHEDULED && admin_parse_local(r, admin_form(r, "at"), &at) != MH_OK) {
        admin_message(r, "error", "Give the publication time as YYYY-MM-DD HH:MM (%.*s).",
                      (int)admin_zone(r).len, admin_zone(r).ptr);
        return edit_page(r, &art, 400);
    }
    if (str_to_i64(admin_form(r, "revision"), 1, INT32_MAX, &rev) != MH_OK)
        rev = 0;
    rc = newsroom_transition(&r->nr, id, (int)rev, to, at, admin_form(r, "comment"));
    if (rc == MH_OK) {
        /* the step ends this user's editing: others may take the article now */
        rc = newsroom_lock_release(&r->nr, id);
        if (rc && rc != MH_NOTFOUND && rc != MH_FORBIDDEN)
            return rc;
        return admin_redirect(r, admin_fmt(r, "/admin/articles/%lld?done=1", (long long)id));
    }
    if (rc == MH_INVAL || rc == MH_FORBIDDEN || rc == MH_CONFLICT || rc == MH_NOTFOUND) {
        admin_message(r, "error", "Not done: %s",
                      r->nr.message[0] ? r->nr.message : "this step is not allowed now.");
        tval_set(r->root, "comment", tval_str(r->arena, admin_form(r, "comment")));
        return edit_page(r, &art, rc == MH_FORBIDDEN ? 403 : rc == MH_CONFLICT ? 409 : 400);
    }
    return rc;
}

/* ------------------------------------------------------------------ */
/* Revisions                                                            */

static int article_revisions(struct admin_req *r, int64_t id)
{
    struct arena *a = r->arena;
    struct article art;
    struct newsroom_revision *revs;
    size_t n;
    int rc = load_article(r, id, &art);
    if (rc == MH_OK)
        rc = newsroom_revisions(&r->nr, a, id, &revs, &n);
    if (rc)
        return admin_refused(r, rc, "Not found");
    struct tval *list = tval_list(a);
    for (size_t i = 0; i < n; i++) {
        struct tval *it = tval_object(a);
        tval_set(it, "revision", I(revs[i].revision));
        tval_set(it, "saved", S(admin_time(r, revs[i].saved_at)));
        tval_set(it, "by", S(revs[i].saved_by));
        tval_set(it, "note", S(revs[i].note));
        tval_set(it, "current", B(revs[i].current));
        tval_set(it, "first", B(i == 0));
        tval_set(it, "second", B(i == 1));
        tval_append(list, it);
    }
    struct tval *av = tval_object(a);
    tval_set(av, "id", I(id));
    tval_set(av, "title", S(art.title));
    tval_set(av, "revision", I(art.revision));
    tval_set(av, "href", S(admin_fmt(r, "/admin/articles/%lld", (long long)id)));
    tval_set(r->root, "article", av);
    tval_set(r->root, "revisions", list);
    tval_set(r->root, "may_restore",
             B(newsroom_may(r->me.role, NR_ARTICLE_EDIT,
                            &(struct newsroom_subject){true, art.status})));
    return admin_page(r, "revisions", "Revisions", 200);
}

static int article_diff(struct admin_req *r, int64_t id)
{
    struct arena *a = r->arena;
    struct article left, right, art;
    int64_t ra, rb;
    if (str_to_i64(admin_query(r, "a"), 1, INT32_MAX, &ra) != MH_OK ||
        str_to_i64(admin_query(r, "b"), 1, INT32_MAX, &rb) != MH_OK) {
        admin_message(r, "error", "Choose two revisions to compare.");
        return admin_page(r, "message", "Compare", 400);
    }
    if (ra > rb) {
        int64_t t = ra;
        ra = rb;
        rb = t;
    }
    int rc = load_article(r, id, &art);
    if (rc == MH_OK)
        rc = newsroom_revision_get(&r->nr, a, id, (int)ra, &left);
    if (rc == MH_OK)
        rc = newsroom_revision_get(&r->nr, a, id, (int)rb, &right);
    if (rc)
        return admin_refused(r, rc, "Not found");
    struct newsroom_diff d;
    newsroom_diff_articles(a, &left, &right, &d);
    struct tval *fields = tval_list(a);
    for (size_t i = 0; i < d.n_fields; i++) {
        struct tval *f = tval_object(a), *rows = tval_list(a);
        tval_set(f, "name", C(d.fields[i].name));
        tval_set(f, "changed", B(d.fields[i].changed));
        for (size_t k = 0; k < d.fields[i].n_rows; k++) {
            const struct newsroom_diff_row *dr = &d.fields[i].rows[k];
            struct tval *row = tval_object(a);
            tval_set(row, "left", S(dr->left));
            tval_set(row, "right", S(dr->right));
            tval_set(row, "left_no", dr->left_no ? I(dr->left_no) : C(""));
            tval_set(row, "right_no", dr->right_no ? I(dr->right_no) : C(""));
            tval_set(row, "op", C(dr->op == NR_DIFF_SAME     ? "same"
                                  : dr->op == NR_DIFF_CHANGE ? "change"
                                  : dr->op == NR_DIFF_DEL    ? "del"
                                                             : "add"));
            tval_append(rows, row);
        }
        tval_set(f, "rows", rows);
        tval_append(fields, f);
    }
    struct tval *av = tval_object(a);
    tval_set(av, "id", I(id));
    tval_set(av, "title", S(art.title));
    tval_set(av, "revision", I(art.revision));
    tval_set(av, "href", S(admin_fmt(r, "/admin/articles/%lld", (long long)id)));
    tval_set(av, "revisions", S(admin_fmt(r, "/admin/articles/%lld/revisions", (long long)id)));
    tval_set(r->root, "article", av);
    tval_set(r->root, "left", I(ra));
    tval_set(r->root, "right", I(rb));
    tval_set(r->root, "fields", fields);
    tval_set(r->root, "n_changed", I((int64_t)d.n_changed));
    return admin_page(r, "diff", "Compare revisions", 200);
}

static int article_restore(struct admin_req *r, int64_t id)
{
    int64_t rev, base;
    int now;
    if (r->req->method != HTTP_POST)
        return admin_redirect(r, admin_fmt(r, "/admin/articles/%lld/revisions", (long long)id));
    if (str_to_i64(admin_form(r, "revision"), 1, INT32_MAX, &rev) != MH_OK ||
        str_to_i64(admin_form(r, "base"), 1, INT32_MAX, &base) != MH_OK) {
        admin_message(r, "error", "Choose the revision to restore.");
        return admin_page(r, "message", "Restore", 400);
    }
    int rc = newsroom_revision_restore(&r->nr, id, (int)rev, (int)base, &now);
    if (rc)
        return admin_refused(r, rc, "Not restored");
    return admin_redirect(r, admin_fmt(r, "/admin/articles/%lld?saved=1", (long long)id));
}

/* POST .../delete: a draft goes, with its revisions. */
static int article_delete(struct admin_req *r, int64_t id)
{
    struct article art;
    if (r->req->method != HTTP_POST)
        return admin_redirect(r, admin_fmt(r, "/admin/articles/%lld", (long long)id));
    int rc = newsroom_article_delete(&r->nr, id);
    if (rc == MH_OK)
        return admin_redirect(r, STR_LIT("/admin/articles?deleted=1"));
    if (rc != MH_FORBIDDEN && rc != MH_CONFLICT && rc != MH_INVAL && rc != MH_NOTFOUND)
        return rc;
    if (load_article(r, id, &art) != MH_OK)
        return admin_refused(r, rc, "Not deleted");
    admin_message(r, "error", "Not deleted: %s",
                  r->nr.message[0] ? r->nr.message : "only drafts can be deleted.");
    return edit_page(r, &art, rc == MH_FORBIDDEN ? 403 : 409);
}

/* POST .../unlock: the editor is left (the script sends it on leaving). */
static int article_unlock(struct admin_req *r, int64_t id)
{
    if (r->req->method != HTTP_POST)
        return admin_redirect(r, admin_fmt(r, "/admin/articles/%lld", (long long)id));
    int rc = newsroom_lock_release(&r->nr, id);
    if (rc && rc != MH_NOTFOUND && rc != MH_FORBIDDEN)
        return rc;
    if (str_eq_c(admin_form(r, "beacon"), "1")) {
        r->res->status = 204;
        return MH_OK;
    }
    return admin_redirect(r, STR_LIT("/admin/articles"));
}

int admin_article(struct admin_req *r, struct str rest)
{
    int64_t id;
    if (str_eq_c(rest, "new"))
        return article_new(r);
    const char *slash = memchr(rest.ptr, '/', rest.len);
    struct str head = slash ? str_make(rest.ptr, (size_t)(slash - rest.ptr)) : rest;
    struct str verb = slash ? str_make(slash + 1, rest.len - head.len - 1) : STR_LIT("");
    if (!parse_id(head, &id)) {
        admin_message(r, "error", "There is no such article.");
        return admin_page(r, "message", "Not found", 404);
    }
    if (verb.len == 0)
        return article_edit(r, id);
    if (str_eq_c(verb, "autosave"))
        return article_autosave(r, id);
    if (str_eq_c(verb, "preview"))
        return article_preview(r, id);
    if (str_eq_c(verb, "workflow"))
        return article_workflow(r, id);
    if (str_eq_c(verb, "revisions"))
        return article_revisions(r, id);
    if (str_eq_c(verb, "diff"))
        return article_diff(r, id);
    if (str_eq_c(verb, "restore"))
        return article_restore(r, id);
    if (str_eq_c(verb, "unlock"))
        return article_unlock(r, id);
    if (str_eq_c(verb, "delete"))
        return article_delete(r, id);
    admin_message(r, "error", "There is no such page in the newsroom.");
    return admin_page(r, "message", "Not found", 404);
}

/* POST /admin/markdown: the editor's live preview, rendered by the same code
 * as the site (render/markdown.h, then the sanitizer). */
int admin_preview_markdown(struct admin_req *r)
{
    struct buf b;
    if (r->req->method != HTTP_POST)
        return MH_NOTFOUND;
    buf_init(&b, r->arena, MH_MAX_BODY * 2);
    struct str body = admin_form(r, "body");
    int rc = str_eq_c(admin_form(r, "body_format"), "html") ? sanitize_html(body, &b)
                                                             : markdown_render(body, &b);
    if (rc == MH_INVAL || rc == MH_TOOBIG) {
        r->res->status = 400;
        r->res->content_type = "text/plain; charset=utf-8";
        r->res->body = STR_LIT("The body cannot be shown (too long, or not valid UTF-8).\n");
        return MH_OK;
    }
    if (rc)
        return rc;
    r->res->status = 200;
    r->res->content_type = "text/html; charset=utf-8";
    r->res->body = buf_str(&b);
    return MH_OK;
}
