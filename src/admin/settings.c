/* SPDX-License-Identifier: MIT */
/*
 * settings.c - the screens around the articles: the media library, Top News
 * per edition (pick, order by buttons or drag, override title and summary,
 * expiry), link groups and the footer, channels, editions, users and roles,
 * the audit log, and the signed-in user's own account (password).  Every change is one newsroom_* call, which checks the
 * role and writes the audit entry; a refusal shows the form again with what
 * was typed and the library's reason.
 */
#include "core/compat.h"

#include "admin/admin_int.h"
#include "auth/auth.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/limits.h"
#include "http/multipart.h"
#include "media/media.h"
#include "render/escape.h"
#include "render/value.h"
#include "store/store.h"

#define S(x) tval_str(a, (x))
#define C(x) tval_strc(a, (x))
#define I(x) tval_int(a, (x))
#define B(x) tval_bool(a, (x))

/* The edition the screen works on: ?edition= (or the form's), else the default. */
static int pick_edition(struct admin_req *r, struct edition **eds, size_t *n, struct str *cur)
{
    struct arena *a = r->arena;
    int rc = store_editions(r->s, a, eds, n);
    if (rc)
        return rc;
    struct str want = r->req->method == HTTP_POST ? admin_form(r, "edition")
                                                  : admin_query(r, "edition");
    *cur = STR_LIT("");
    for (size_t i = 0; i < *n; i++)
        if (str_eq((*eds)[i].slug, want) || (want.len == 0 && (*eds)[i].is_default))
            *cur = (*eds)[i].slug;
    if (cur->len == 0 && *n)
        *cur = (*eds)[0].slug;
    struct tval *list = tval_list(a);
    for (size_t i = 0; i < *n; i++) {
        struct tval *e = tval_object(a);
        tval_set(e, "slug", S((*eds)[i].slug));
        tval_set(e, "name", S((*eds)[i].name));
        tval_set(e, "selected", B(str_eq((*eds)[i].slug, *cur)));
        tval_append(list, e);
    }
    tval_set(r->root, "editions", list);
    tval_set(r->root, "edition", S(*cur));
    return MH_OK;
}

/* After a refused change: the library's reason, as a message. */
static void refused(struct admin_req *r, int rc)
{
    admin_message(r, "error", "Not changed: %s",
                  r->nr.message[0]       ? r->nr.message
                  : rc == MH_FORBIDDEN   ? "your role may not do this."
                  : rc == MH_NOTFOUND    ? "it does not exist."
                                         : "the input was refused.");
}

static int status_for(int rc)
{
    return rc == MH_FORBIDDEN ? 403 : rc == MH_NOTFOUND ? 404 : rc == MH_CONFLICT ? 409 : 400;
}

static bool is_refusal(int rc)
{
    return rc == MH_FORBIDDEN || rc == MH_NOTFOUND || rc == MH_CONFLICT || rc == MH_INVAL ||
           rc == MH_TOOBIG;
}

/* Show a page only a role of at least MIN may use; others get 403. */
static int need_role(struct admin_req *r, enum newsroom_action act)
{
    if (newsroom_may(r->me.role, act, NULL))
        return MH_OK;
    admin_message(r, "error", "Your role (%s) may not use this page.",
                  user_role_name(r->me.role));
    int rc = admin_page(r, "message", "Not allowed", 403);
    return rc ? rc : -1;
}

/* ------------------------------------------------------------------ */
/* Media library                                                        */

#define MEDIA_PAGE 48

static struct tval *media_value(struct admin_req *r, const struct media *m)
{
    struct arena *a = r->arena;
    struct tval *it = tval_object(a);
    tval_set(it, "id", I(m->id));
    tval_set(it, "src", S(admin_fmt(r, "/%.*s", (int)m->path.len, m->path.ptr)));
    tval_set(it, "mime", S(m->mime));
    tval_set(it, "width", I(m->width));
    tval_set(it, "height", I(m->height));
    tval_set(it, "kb", I((m->bytes + 1023) / 1024));
    tval_set(it, "caption", S(m->caption));
    tval_set(it, "credit", S(m->credit));
    tval_set(it, "alt", S(m->alt));
    tval_set(it, "added", S(admin_time(r, m->created_at)));
    return it;
}

/* POST /admin/media/upload (multipart/form-data): one image with its
 * caption, credit and alt text.  Any signed-in user may add to the library
 * (reporters illustrate their own articles); each upload is audited.  The
 * editor's script asks for JSON (Accept: application/json). */
static int media_upload(struct admin_req *r)
{
    struct arena *a = r->arena;
    bool json = str_starts(http_header(r->req, "Accept"), "application/json");
    char why[512] = "";
    struct media meta = {0}, m;
    bool added = false;
    const struct http_form *form = r->multipart;
    int rc = form ? MH_OK : MH_INVAL;
    const struct http_part *file = form ? http_form_get(form, "file") : NULL;
    if (rc == MH_OK && (file == NULL || file->data.len == 0)) {
        snprintf(why, sizeof(why), "Choose an image file to upload.");
        rc = MH_INVAL;
    } else if (rc) {
        snprintf(why, sizeof(why), "The upload could not be read (send the form from the "
                                   "media page, as multipart/form-data).");
    }
    if (rc == MH_OK) {
        const struct http_part *p;
        if ((p = http_form_get(form, "caption")))
            meta.caption = str_trim(p->data);
        if ((p = http_form_get(form, "credit")))
            meta.credit = str_trim(p->data);
        if ((p = http_form_get(form, "alt")))
            meta.alt = str_trim(p->data);
        meta.created_at = clock_now_ms();
        rc = media_ingest(r->app->site, r->s, file->data, &meta, a, &m, &added, why, sizeof(why));
    }
    if (rc == MH_OK) {
        struct str who = r->me.login, obj = admin_fmt(r, "media:%lld", (long long)m.id);
        rc = store_audit(r->s, who, STR_LIT("media.upload"), obj,
                         file->filename.len ? file->filename : STR_LIT(""), r->req->remote);
        if (rc)
            return rc;
    } else if (rc != MH_INVAL && rc != MH_TOOBIG) {
        return rc;
    }
    if (json) {
        struct buf b;
        buf_init(&b, a, 16 * MH_KIB);
        if (rc == MH_OK) {
            buf_addf(&b, "{\"ok\":true,\"added\":%s,\"id\":%lld,\"src\":", added ? "true" : "false",
                     (long long)m.id);
            escape_json(&b, admin_fmt(r, "/%.*s", (int)m.path.len, m.path.ptr), true);
            buf_adds(&b, ",\"caption\":");
            escape_json(&b, m.caption, true);
            buf_adds(&b, ",\"credit\":");
            escape_json(&b, m.credit, true);
            buf_adds(&b, ",\"alt\":");
            escape_json(&b, m.alt, true);
            buf_adds(&b, "}");
        } else {
            buf_adds(&b, "{\"ok\":false,\"message\":");
            escape_json(&b, str_c(why), true);
            buf_adds(&b, "}");
        }
        r->res->status = rc == MH_OK ? 200 : rc == MH_TOOBIG ? 413 : 400;
        r->res->content_type = "application/json";
        r->res->body = buf_str(&b);
        return MH_OK;
    }
    if (rc == MH_OK)
        return admin_redirect(r, admin_fmt(r, "/admin/media?added=%lld", (long long)m.id));
    admin_message(r, "error", "Not added: %s", why[0] ? why : "the file was refused.");
    return MH_INVAL; /* the caller shows the library with the message */
}

/* /admin/media/ID: an image's caption, credit, alt text and focal point,
 * after its upload.  Any signed-in user, as for uploads; audited.  Articles
 * keep the texts they were given: these are what the next use starts with.
 * A moved focal point makes the image's crops again (store_media_set_meta). */
static int media_edit(struct admin_req *r, int64_t id)
{
    struct arena *a = r->arena;
    struct media m;
    int status = 200;
    int rc = store_media_get(r->s, a, id, &m);
    if (rc == MH_NOTFOUND)
        return admin_refused(r, rc, "Not found");
    if (rc)
        return rc;
    struct str fx = admin_fmt(r, "%.2f", m.focal_x), fy = admin_fmt(r, "%.2f", m.focal_y);
    if (r->req->method == HTTP_POST) {
        struct media want = m;
        want.caption = str_trim(admin_form(r, "caption"));
        want.credit = str_trim(admin_form(r, "credit"));
        want.alt = str_trim(admin_form(r, "alt"));
        fx = admin_form(r, "focal_x");
        fy = admin_form(r, "focal_y");
        if (want.caption.len > MH_MAX_FIELD || want.credit.len > MH_MAX_FIELD ||
            want.alt.len > MH_MAX_FIELD || admin_parse_unit(fx, &want.focal_x) != MH_OK ||
            admin_parse_unit(fy, &want.focal_y) != MH_OK) {
            admin_message(r, "error",
                          "Not changed: each text has at most %d bytes, and the focal point is "
                          "two numbers from 0 to 1.",
                          (int)MH_MAX_FIELD);
            status = 400;
        } else {
            rc = store_media_set_meta(r->s, &want);
            if (rc == MH_OK)
                rc = store_audit(r->s, r->me.login, STR_LIT("media.edit"),
                                 admin_fmt(r, "media:%lld", (long long)id), STR_LIT(""),
                                 r->req->remote);
            if (rc)
                return rc;
            return admin_redirect(r, admin_fmt(r, "/admin/media?changed=%lld", (long long)id));
        }
        m = want; /* what was typed, shown again */
    }
    tval_set(r->root, "item", media_value(r, &m));
    tval_set(r->root, "focal_x", S(fx));
    tval_set(r->root, "focal_y", S(fy));
    return admin_page(r, "mediaform", admin_fmt(r, "Image #%lld", (long long)id).ptr, status);
}

int admin_media(struct admin_req *r)
{
    struct arena *a = r->arena;
    struct media *ms;
    size_t n;
    int64_t total, page = 1, id;
    int status = 200;
    if (str_starts(r->sub, "media/") && !str_eq_c(r->sub, "media/upload")) {
        struct str rest = str_make(r->sub.ptr + 6, r->sub.len - 6);
        if (str_to_i64(rest, 1, INT64_MAX, &id) != MH_OK)
            return admin_refused(r, MH_NOTFOUND, "Not found");
        return media_edit(r, id);
    }
    if (str_eq_c(r->sub, "media/upload")) {
        if (r->req->method != HTTP_POST)
            return admin_redirect(r, STR_LIT("/admin/media"));
        int rc = media_upload(r);
        if (rc != MH_INVAL)
            return rc;
        status = 400;
    }
    struct media_query q = {0};
    q.text = admin_query(r, "q");
    struct str pg = admin_query(r, "page");
    if (pg.len && str_to_i64(pg, 1, 100000, &page) != MH_OK)
        page = 1;
    q.limit = MEDIA_PAGE;
    q.offset = (page - 1) * MEDIA_PAGE;
    int rc = store_media_find(r->s, a, &q, &ms, &n, &total);
    if (rc)
        return rc;
    int64_t added;
    if (admin_query(r, "added").len &&
        str_to_i64(admin_query(r, "added"), 1, INT64_MAX, &added) == MH_OK)
        admin_message(r, "ok", "Image #%lld is in the library.", (long long)added);
    if (admin_query(r, "changed").len &&
        str_to_i64(admin_query(r, "changed"), 1, INT64_MAX, &added) == MH_OK)
        admin_message(r, "ok", "Image #%lld is changed.", (long long)added);
    struct tval *items = tval_list(a);
    for (size_t i = 0; i < n; i++)
        tval_append(items, media_value(r, &ms[i]));
    tval_set(r->root, "items", items);
    tval_set(r->root, "q", S(q.text));
    tval_set(r->root, "count", I(total));
    struct buf b;
    if (page > 1 || q.offset + (int64_t)n < total) {
        struct tval *pv = tval_object(a);
        for (int k = 0; k < 2; k++) {
            int64_t to = k == 0 ? page - 1 : page + 1;
            if (to < 1 || (k == 1 && q.offset + (int64_t)n >= total))
                continue;
            buf_init(&b, a, 4 * MH_KIB);
            buf_addf(&b, "/admin/media?page=%lld", (long long)to);
            if (q.text.len) {
                buf_adds(&b, "&q=");
                escape_url_component(&b, q.text);
            }
            tval_set(pv, k == 0 ? "prev" : "next", S(buf_str(&b)));
        }
        tval_set(pv, "page", I(page));
        tval_set(r->root, "pager", pv);
    }
    return admin_page(r, "media", "Media library", status);
}

/* ------------------------------------------------------------------ */
/* Top News                                                             */

#define TOP_MAX 12

int admin_topnews(struct admin_req *r)
{
    struct arena *a = r->arena;
    struct edition *eds;
    size_t n_eds, n = 0;
    struct str ed;
    struct curation_slot slots[TOP_MAX + 1];
    int rc = need_role(r, NR_CURATE_TOP_NEWS);
    if (rc)
        return rc < 0 ? MH_OK : rc;
    rc = pick_edition(r, &eds, &n_eds, &ed);
    if (rc)
        return rc;
    int status = 200;
    if (r->req->method == HTTP_POST) {
        /* rows in the order sent (the drag script reorders the DOM) */
        size_t ti = 0, si = 0, ei = 0;
        memset(slots, 0, sizeof(slots));
        for (size_t i = 0; i < r->form.n; i++) {
            struct str k = r->form.v[i].name, v = r->form.v[i].value;
            int64_t id;
            if (str_eq_c(k, "article_id") && n < TOP_MAX) {
                slots[n].edition = ed;
                slots[n].slot = STR_LIT("top");
                slots[n].article_id = str_to_i64(str_trim(v), 1, INT64_MAX, &id) ? 0 : id;
                slots[n].position = (int)n;
                n++;
            } else if (str_eq_c(k, "title") && ti < n) {
                slots[ti++].title = v;
            } else if (str_eq_c(k, "summary") && si < n) {
                slots[si++].summary = v;
            } else if (str_eq_c(k, "expires") && ei < n) {
                int64_t at = 0;
                if (str_trim(v).len && admin_parse_local(r, str_trim(v), &at) != MH_OK)
                    at = -1;
                slots[ei++].expires_at = at;
            }
        }
        /* buttons: move=up:N / move=down:N / remove=N; add=ID */
        struct str mv = admin_form(r, "move"), rm = admin_form(r, "remove");
        int64_t k;
        if (str_starts(mv, "up:") && str_to_i64(str_make(mv.ptr + 3, mv.len - 3), 1,
                                                (int64_t)n - 1, &k) == MH_OK) {
            struct curation_slot t = slots[k];
            slots[k] = slots[k - 1];
            slots[k - 1] = t;
        } else if (str_starts(mv, "down:") && n > 1 &&
                   str_to_i64(str_make(mv.ptr + 5, mv.len - 5), 0, (int64_t)n - 2, &k) ==
                       MH_OK) {
            struct curation_slot t = slots[k];
            slots[k] = slots[k + 1];
            slots[k + 1] = t;
        } else if (rm.len && str_to_i64(rm, 0, (int64_t)n - 1, &k) == MH_OK) {
            memmove(&slots[k], &slots[k + 1], (n - (size_t)k - 1) * sizeof(*slots));
            n--;
        }
        int64_t add;
        if (admin_form(r, "add").len && n < TOP_MAX) {
            if (str_to_i64(str_trim(admin_form(r, "add")), 1, INT64_MAX, &add) == MH_OK) {
                memset(&slots[n], 0, sizeof(slots[n]));
                slots[n].edition = ed;
                slots[n].slot = STR_LIT("top");
                slots[n++].article_id = add;
            } else {
                admin_message(r, "error", "Give the number (id) of the article to add.");
                status = 400;
            }
        }
        bool bad_time = false;
        for (size_t i = 0; i < n; i++) {
            slots[i].position = (int)i;
            bad_time |= slots[i].expires_at < 0;
        }
        if (bad_time) {
            admin_message(r, "error", "Give expiry times as YYYY-MM-DD HH:MM (%.*s).",
                          (int)admin_zone(r).len, admin_zone(r).ptr);
            status = 400;
        }
        if (status == 200) {
            rc = newsroom_top_news_set(&r->nr, ed, slots, n);
            if (rc == MH_OK)
                return admin_redirect(r, admin_fmt(r, "/admin/topnews?edition=%.*s&saved=1",
                                                   (int)ed.len, ed.ptr));
            if (!is_refusal(rc))
                return rc;
            refused(r, rc);
            status = status_for(rc);
        }
    } else {
        struct curation_slot *cur;
        rc = store_curation_get(r->s, a, ed, STR_LIT("top"), &cur, &n);
        if (rc)
            return rc;
        if (n > TOP_MAX)
            n = TOP_MAX;
        memcpy(slots, cur, n * sizeof(*slots));
        if (str_eq_c(admin_query(r, "saved"), "1"))
            admin_message(r, "ok", "Top News saved; the site shows it now.");
    }
    struct tval *rows = tval_list(a);
    for (size_t i = 0; i < n; i++) {
        struct tval *it = tval_object(a);
        struct article_card card;
        tval_set(it, "index", I((int64_t)i));
        tval_set(it, "n", I((int64_t)i + 1));
        tval_set(it, "article_id", I(slots[i].article_id));
        tval_set(it, "title", S(slots[i].title));
        tval_set(it, "summary", S(slots[i].summary));
        struct str exp = admin_time(r, slots[i].expires_at > 0 ? slots[i].expires_at : 0);
        tval_set(it, "expires", S(exp.len >= 16 ? admin_fmt(r, "%.10sT%.5s", exp.ptr,
                                                            exp.ptr + 11)
                                                : STR_LIT("")));
        tval_set(it, "first", B(i == 0));
        tval_set(it, "last", B(i + 1 == n));
        if (store_card_get(r->s, a, slots[i].article_id, &card) == MH_OK)
            tval_set(it, "article_title", S(card.title));
        else
            tval_set(it, "article_title", C("(not published)"));
        tval_append(rows, it);
    }
    tval_set(r->root, "rows", rows);
    /* recent published articles to pick from */
    struct article_card *cards;
    size_t nc;
    rc = store_cards_latest(r->s, a, ed, STR_LIT(""), 0, 20, &cards, &nc);
    if (rc)
        return rc;
    struct tval *pick = tval_list(a);
    for (size_t i = 0; i < nc; i++) {
        struct tval *it = tval_object(a);
        tval_set(it, "id", I(cards[i].id));
        tval_set(it, "title", S(cards[i].title));
        tval_append(pick, it);
    }
    tval_set(r->root, "candidates", pick);
    return admin_page(r, "topnews", "Top News", status);
}

/* ------------------------------------------------------------------ */
/* Links and footer                                                     */

static struct str links_text(struct admin_req *r, const struct link_group *g)
{
    struct buf b;
    buf_init(&b, r->arena, MH_MIB);
    for (size_t i = 0; i < g->n_links; i++)
        buf_addf(&b, "%.*s | %.*s\n", (int)g->links[i].title.len, g->links[i].title.ptr,
                 (int)g->links[i].url.len, g->links[i].url.ptr);
    return buf_str(&b);
}

static struct tval *group_value(struct admin_req *r, const struct link_group *g)
{
    struct arena *a = r->arena;
    struct tval *it = tval_object(a);
    tval_set(it, "slug", S(g->slug));
    tval_set(it, "name", S(g->name));
    tval_set(it, "footer", B(g->kind == LINKS_FOOTER));
    tval_set(it, "position", I(g->position));
    tval_set(it, "links", S(links_text(r, g)));
    tval_set(it, "count", I((int64_t)g->n_links));
    return it;
}

int admin_links(struct admin_req *r)
{
    struct arena *a = r->arena;
    struct edition *eds;
    size_t n_eds, n;
    struct str ed;
    struct link_group *groups;
    int rc = need_role(r, NR_MANAGE_LINKS);
    if (rc)
        return rc < 0 ? MH_OK : rc;
    rc = pick_edition(r, &eds, &n_eds, &ed);
    if (rc == MH_OK)
        rc = store_link_groups(r->s, a, ed, &groups, &n);
    if (rc)
        return rc;
    int status = 200;
    struct tval *sent = NULL;
    if (r->req->method == HTTP_POST) {
        struct link_group g = {0};
        int64_t pos = 0;
        g.edition = ed;
        g.slug = str_trim(admin_form(r, "slug"));
        g.name = str_trim(admin_form(r, "name"));
        g.kind = str_eq_c(admin_form(r, "kind"), "footer") ? LINKS_FOOTER : LINKS_FRIENDLY;
        if (admin_form(r, "position").len &&
            str_to_i64(admin_form(r, "position"), 0, 1000, &pos) != MH_OK)
            pos = -1;
        g.position = (int)pos;
        if (pos < 0) {
            admin_message(r, "error", "The position is a number from 0 to 1000.");
            status = 400;
        } else if (!admin_parse_links(a, admin_form(r, "links"), &g.links, &g.n_links)) {
            admin_message(r, "error", "Write one link per line as: Title | https://…");
            status = 400;
        } else {
            rc = newsroom_links_put(&r->nr, &g);
            if (rc == MH_OK)
                return admin_redirect(r, admin_fmt(r, "/admin/links?edition=%.*s&saved=1",
                                                   (int)ed.len, ed.ptr));
            if (!is_refusal(rc))
                return rc;
            refused(r, rc);
            status = status_for(rc);
        }
        sent = tval_object(a);
        tval_set(sent, "slug", S(admin_form(r, "slug")));
        tval_set(sent, "name", S(admin_form(r, "name")));
        tval_set(sent, "footer", B(g.kind == LINKS_FOOTER));
        tval_set(sent, "position", S(admin_form(r, "position")));
        tval_set(sent, "links", S(admin_form(r, "links")));
    } else if (str_eq_c(admin_query(r, "saved"), "1")) {
        admin_message(r, "ok", "Links saved; the site shows them now.");
    }
    struct tval *list = tval_list(a);
    for (size_t i = 0; i < n; i++)
        tval_append(list, group_value(r, &groups[i]));
    tval_set(r->root, "groups", list);
    if (sent)
        tval_set(r->root, "sent", sent);
    return admin_page(r, "links", "Links and footer", status);
}

/* ------------------------------------------------------------------ */
/* Channels                                                             */

int admin_channels(struct admin_req *r)
{
    struct arena *a = r->arena;
    struct edition *eds;
    size_t n_eds, n;
    struct str ed;
    struct channel *chs;
    int rc = need_role(r, NR_MANAGE_CHANNELS);
    if (rc)
        return rc < 0 ? MH_OK : rc;
    rc = pick_edition(r, &eds, &n_eds, &ed);
    if (rc == MH_OK)
        rc = store_channels(r->s, a, ed, &chs, &n);
    if (rc)
        return rc;
    int status = 200;
    struct tval *sent = NULL;
    if (r->req->method == HTTP_POST) {
        struct str mv = admin_form(r, "move");
        int64_t k;
        if (mv.len) {
            /* reorder among siblings: up:ID / down:ID */
            bool up = str_starts(mv, "up:");
            struct str idt = str_make(mv.ptr + (up ? 3 : 5), mv.len - (up ? 3 : 5));
            int64_t *ids = arena_alloc(a, (n + 1) * sizeof(*ids));
            size_t m = 0, at = SIZE_MAX;
            if ((up || str_starts(mv, "down:")) && str_to_i64(idt, 1, INT64_MAX, &k) == MH_OK)
                for (size_t i = 0; i < n; i++)
                    if (chs[i].id == k)
                        at = i;
            if (at != SIZE_MAX) {
                for (size_t i = 0; i < n; i++)
                    if (chs[i].parent_id == chs[at].parent_id)
                        ids[m++] = chs[i].id;
                for (size_t i = 0; i < m; i++) {
                    if (ids[i] != k)
                        continue;
                    size_t j = up ? (i ? i - 1 : i) : (i + 1 < m ? i + 1 : i);
                    ids[i] = ids[j];
                    ids[j] = k;
                    break;
                }
                rc = newsroom_channel_order(&r->nr, ed, ids, m);
            } else {
                rc = MH_INVAL;
            }
        } else {
            struct channel c = {0};
            int64_t id = 0, parent = 0, pos = 0;
            c.edition = ed;
            c.slug = str_trim(admin_form(r, "slug"));
            c.name = str_trim(admin_form(r, "name"));
            c.search_name = c.name;
            c.description = admin_form(r, "description");
            c.kind = str_eq_c(admin_form(r, "kind"), "special") ? CHANNEL_SPECIAL
                                                                 : CHANNEL_REGULAR;
            rc = MH_OK;
            if ((admin_form(r, "id").len &&
                 str_to_i64(admin_form(r, "id"), 0, INT64_MAX, &id) != MH_OK) ||
                (admin_form(r, "parent").len &&
                 str_to_i64(admin_form(r, "parent"), 0, INT64_MAX, &parent) != MH_OK) ||
                (admin_form(r, "position").len &&
                 str_to_i64(admin_form(r, "position"), 0, 100000, &pos) != MH_OK))
                rc = MH_INVAL;
            if (admin_form(r, "end_at").len &&
                admin_parse_local(r, admin_form(r, "end_at"), &c.end_at) != MH_OK)
                rc = MH_INVAL;
            c.id = id;
            c.parent_id = parent;
            c.position = (int)pos;
            if (rc == MH_INVAL)
                snprintf(r->nr.message, sizeof(r->nr.message),
                         "numbers and the end date (YYYY-MM-DD HH:MM, %.*s) must be well formed.",
                         (int)admin_zone(r).len, admin_zone(r).ptr);
            else
                rc = newsroom_channel_put(&r->nr, &c);
            sent = tval_object(a);
            static const char *const keys[] = {"id", "slug", "name", "parent", "position",
                                               "description", "end_at"};
            for (size_t i = 0; i < MH_ARRAY_LEN(keys); i++)
                tval_set(sent, keys[i], S(admin_form(r, keys[i])));
            tval_set(sent, "special", B(c.kind == CHANNEL_SPECIAL));
        }
        if (rc == MH_OK)
            return admin_redirect(r, admin_fmt(r, "/admin/channels?edition=%.*s&saved=1",
                                               (int)ed.len, ed.ptr));
        if (!is_refusal(rc))
            return rc;
        refused(r, rc);
        status = status_for(rc);
    } else if (str_eq_c(admin_query(r, "saved"), "1")) {
        admin_message(r, "ok", "Channels saved; the site shows them now.");
    }
    struct tval *list = tval_list(a);
    for (size_t i = 0; i < n; i++) {
        struct tval *it = tval_object(a);
        tval_set(it, "id", I(chs[i].id));
        tval_set(it, "slug", S(chs[i].slug));
        tval_set(it, "name", S(chs[i].name));
        tval_set(it, "child", B(chs[i].parent_id != 0));
        tval_set(it, "parent", I(chs[i].parent_id));
        tval_set(it, "position", I(chs[i].position));
        tval_set(it, "description", S(chs[i].description));
        tval_set(it, "special", B(chs[i].kind == CHANNEL_SPECIAL));
        struct str end = admin_time(r, chs[i].end_at);
        tval_set(it, "end_at", S(end.len >= 16 ? admin_fmt(r, "%.10sT%.5s", end.ptr, end.ptr + 11)
                                               : STR_LIT("")));
        tval_append(list, it);
    }
    tval_set(r->root, "channels", list);
    if (sent)
        tval_set(r->root, "sent", sent);
    return admin_page(r, "channels", "Channels", status);
}

/* ------------------------------------------------------------------ */
/* Editions                                                             */

int admin_editions(struct admin_req *r)
{
    struct arena *a = r->arena;
    struct edition *eds;
    size_t n;
    int rc = need_role(r, NR_MANAGE_EDITIONS);
    if (rc)
        return rc < 0 ? MH_OK : rc;
    rc = store_editions(r->s, a, &eds, &n);
    if (rc)
        return rc;
    int status = 200;
    struct tval *sent = NULL;
    if (r->req->method == HTTP_POST) {
        struct edition e = {0};
        int64_t pos = 0;
        e.slug = str_trim(admin_form(r, "slug"));
        e.name = str_trim(admin_form(r, "name"));
        e.lang = str_trim(admin_form(r, "lang"));
        e.tz = str_trim(admin_form(r, "tz"));
        e.base_url = str_trim(admin_form(r, "base_url"));
        e.is_default = str_eq_c(admin_form(r, "is_default"), "1");
        if (admin_form(r, "position").len &&
            str_to_i64(admin_form(r, "position"), 0, 1000, &pos) != MH_OK) {
            snprintf(r->nr.message, sizeof(r->nr.message),
                     "the position is a number from 0 to 1000.");
            rc = MH_INVAL;
        } else {
            e.position = (int)pos;
            rc = newsroom_edition_put(&r->nr, &e);
        }
        if (rc == MH_OK)
            return admin_redirect(r, STR_LIT("/admin/editions?saved=1"));
        if (!is_refusal(rc))
            return rc;
        refused(r, rc);
        status = status_for(rc);
        sent = tval_object(a);
        static const char *const keys[] = {"slug", "name", "lang", "tz", "base_url", "position"};
        for (size_t i = 0; i < MH_ARRAY_LEN(keys); i++)
            tval_set(sent, keys[i], S(admin_form(r, keys[i])));
        tval_set(sent, "is_default", B(e.is_default));
    } else if (str_eq_c(admin_query(r, "saved"), "1")) {
        admin_message(r, "ok", "Edition saved.");
    }
    struct tval *list = tval_list(a);
    for (size_t i = 0; i < n; i++) {
        struct tval *it = tval_object(a);
        tval_set(it, "slug", S(eds[i].slug));
        tval_set(it, "name", S(eds[i].name));
        tval_set(it, "lang", S(eds[i].lang));
        tval_set(it, "tz", S(eds[i].tz));
        tval_set(it, "base_url", S(eds[i].base_url));
        tval_set(it, "position", I(eds[i].position));
        tval_set(it, "is_default", B(eds[i].is_default));
        tval_append(list, it);
    }
    tval_set(r->root, "list", list);
    if (sent)
        tval_set(r->root, "sent", sent);
    return admin_page(r, "editions", "Editions", status);
}

/* ------------------------------------------------------------------ */
/* Users                                                                */

int admin_users(struct admin_req *r)
{
    struct arena *a = r->arena;
    struct user *users;
    size_t n;
    int rc = need_role(r, NR_MANAGE_USERS);
    if (rc)
        return rc < 0 ? MH_OK : rc;
    int status = 200;
    struct tval *sent = NULL;
    if (r->req->method == HTTP_POST) {
        struct str op = admin_form(r, "op"), login = str_trim(admin_form(r, "login"));
        enum user_role role = ROLE_REPORTER;
        bool role_ok = user_role_parse(admin_form(r, "role"), &role) == MH_OK;
        const char *done = "";
        if (str_eq_c(op, "add")) {
            struct user u = {0};
            u.login = login;
            u.display_name = str_trim(admin_form(r, "display_name"));
            u.role = role;
            rc = role_ok ? newsroom_user_add(&r->nr, &u, admin_form(r, "password")) : MH_INVAL;
            done = "User added.";
        } else if (str_eq_c(op, "role")) {
            rc = role_ok ? newsroom_user_set_role(&r->nr, login, role) : MH_INVAL;
            done = "Role changed.";
        } else if (str_eq_c(op, "disable") || str_eq_c(op, "enable")) {
            rc = newsroom_user_set_disabled(&r->nr, login, str_eq_c(op, "disable"));
            done = str_eq_c(op, "disable") ? "User disabled; their sessions have ended."
                                           : "User enabled.";
        } else if (str_eq_c(op, "password")) {
            rc = newsroom_user_set_password(&r->nr, login, STR_LIT(""),
                                            admin_form(r, "password"));
            done = "Password set; the user's other sessions have ended.";
        } else if (str_eq_c(op, "signout")) {
            int ended = 0;
            rc = newsroom_signout_everywhere(&r->nr, login, &ended);
            done = "Signed out everywhere.";
        } else {
            rc = MH_INVAL;
        }
        if (rc == MH_INVAL && r->nr.message[0] == '\0')
            snprintf(r->nr.message, sizeof(r->nr.message), "choose a known action and role.");
        if (rc == MH_OK)
            return admin_redirect(r, admin_fmt(r, "/admin/users?done=%s",
                                               str_eq_c(op, "add") ? "add" : "change"));
        if (!is_refusal(rc))
            return rc;
        (void)done;
        refused(r, rc);
        status = status_for(rc);
        if (str_eq_c(op, "add")) {
            sent = tval_object(a);
            tval_set(sent, "login", S(admin_form(r, "login")));
            tval_set(sent, "display_name", S(admin_form(r, "display_name")));
        }
    } else if (admin_query(r, "done").len) {
        admin_message(r, "ok", "%s",
                      str_eq_c(admin_query(r, "done"), "add") ? "User added." : "User changed.");
    }
    rc = store_users(r->s, a, &users, &n);
    if (rc)
        return rc;
    struct tval *list = tval_list(a);
    for (size_t i = 0; i < n; i++) {
        struct tval *it = tval_object(a), *roles = tval_list(a);
        tval_set(it, "login", S(users[i].login));
        tval_set(it, "name", S(users[i].display_name));
        tval_set(it, "role", C(user_role_name(users[i].role)));
        tval_set(it, "disabled", B(users[i].disabled));
        tval_set(it, "created", S(admin_time(r, users[i].created_at)));
        tval_set(it, "self", B(str_eq(users[i].login, r->me.login)));
        for (int k = 0; k < ROLE_COUNT; k++) {
            struct tval *o = tval_object(a);
            tval_set(o, "value", C(user_role_name((enum user_role)k)));
            tval_set(o, "selected", B(users[i].role == (enum user_role)k));
            tval_append(roles, o);
        }
        tval_set(it, "roles", roles);
        tval_append(list, it);
    }
    struct tval *roles = tval_list(a);
    for (int k = 0; k < ROLE_COUNT; k++) {
        struct tval *o = tval_object(a);
        tval_set(o, "value", C(user_role_name((enum user_role)k)));
        tval_set(o, "selected", B(k == 0));
        tval_append(roles, o);
    }
    tval_set(r->root, "roles", roles);
    tval_set(r->root, "users", list);
    if (sent)
        tval_set(r->root, "sent", sent);
    return admin_page(r, "users", "Users and roles", status);
}

/* ------------------------------------------------------------------ */
/* Audit log                                                            */

int admin_audit(struct admin_req *r)
{
    struct arena *a = r->arena;
    struct newsroom_audit_entry *es;
    size_t n;
    struct newsroom_audit_filter f = {0};
    f.login = admin_query(r, "login");
    f.object = admin_query(r, "object");
    f.limit = 100;
    int64_t before;
    if (admin_query(r, "before").len &&
        str_to_i64(admin_query(r, "before"), 1, INT64_MAX, &before) == MH_OK)
        f.before_id = before;
    /* the whole log is for admins; anyone may read one article's history */
    if (!str_starts(f.object, "article:")) {
        int rc = need_role(r, NR_READ_AUDIT);
        if (rc)
            return rc < 0 ? MH_OK : rc;
    }
    int rc = newsroom_audit_list(&r->nr, a, &f, &es, &n);
    if (is_refusal(rc))
        return admin_refused(r, rc, "Audit log");
    if (rc)
        return rc;
    struct tval *list = tval_list(a);
    for (size_t i = 0; i < n; i++) {
        struct tval *it = tval_object(a);
        tval_set(it, "at", S(admin_time(r, es[i].at)));
        tval_set(it, "login", S(es[i].login));
        tval_set(it, "action", S(es[i].action));
        tval_set(it, "object", S(es[i].object));
        tval_set(it, "detail", S(es[i].detail));
        tval_set(it, "address", S(es[i].address));
        tval_append(list, it);
    }
    tval_set(r->root, "entries", list);
    tval_set(r->root, "login", S(f.login));
    tval_set(r->root, "object", S(f.object));
    if (n == (size_t)f.limit) {
        struct buf b;
        buf_init(&b, a, 4 * MH_KIB);
        buf_addf(&b, "/admin/audit?before=%lld", (long long)es[n - 1].id);
        if (f.login.len) {
            buf_adds(&b, "&login=");
            escape_url_component(&b, f.login);
        }
        tval_set(r->root, "older", S(buf_str(&b)));
    }
    return admin_page(r, "audit", "Audit log", 200);
}

/* ------------------------------------------------------------------ */
/* Your account                                                         */

int admin_account(struct admin_req *r)
{
    int status = 200;
    if (r->req->method == HTTP_POST) {
        struct str current = admin_form(r, "current"), password = admin_form(r, "password");
        if (!str_eq(password, admin_form(r, "again"))) {
            admin_message(r, "error", "Not changed: the new password and its repetition differ.");
            status = 400;
        } else {
            int rc = newsroom_user_set_password(&r->nr, r->me.login, current, password);
            if (rc == MH_OK) /* every session of the user ended, this one too */
                return admin_redirect(r, STR_LIT("/admin/signin?changed=1"));
            if (!is_refusal(rc))
                return rc;
            refused(r, rc);
            status = status_for(rc);
        }
    }
    tval_set(r->root, "min_password", tval_int(r->arena, AUTH_MIN_PASSWORD));
    return admin_page(r, "account", "Your account", status);
}
