/* SPDX-License-Identifier: MIT */
/*
 * write.c - the routes that change articles: create a draft, save an edit
 * against the revision it is based on, move it through the workflow,
 * delete a draft.  Each one parses its body (body.c), resolves what the
 * body names, and calls the newsroom, which checks the role, the state and
 * the revision, writes, and audits.  No rule is decided here: a refusal of
 * the newsroom is passed on with its status, message and field.
 */
#include "core/compat.h"

#include "api/api_int.h"
#include "core/arena.h"
#include "core/err.h"
#include "newsroom/newsroom.h"
#include "store/store.h"

void api_newsroom(struct api_call *c, struct newsroom_ctx *nr)
{
    newsroom_ctx_init(nr, c->s, NULL);
    nr->who = (struct newsroom_actor){c->user.id, c->user.login, c->user.display_name,
                                      c->user.role, c->req->remote};
}

/* The newsroom refused with RC: pass its reason on. */
static int refused(struct api_call *c, const struct newsroom_ctx *nr, int rc)
{
    int status = http_status_for(rc);
    if (status >= 500 || nr->message[0] == '\0')
        return rc; /* the generic message of the status */
    return api_fail(&c->err, status, nr->field, "%s", nr->message);
}

static bool is_hex(struct str s)
{
    for (size_t i = 0; i < s.len; i++)
        if (!((s.ptr[i] >= '0' && s.ptr[i] <= '9') || (s.ptr[i] >= 'a' && s.ptr[i] <= 'f')))
            return false;
    return true;
}

/* Turn the image paths of A into media library entries.  A path must be a
 * stored one, "media/ab/<sha256>.<ext>": the API never reads files of the
 * server's disk on a client's word. */
static int resolve_images(struct api_call *c, struct article *a)
{
    for (size_t i = 0; i < a->n_images; i++) {
        struct article_image *im = &a->images[i];
        struct str p = im->path, sha;
        struct media m;
        bool shaped = p.len > 6 + 3 + 64 + 1 && str_starts(p, "media/") && p.ptr[8] == '/' &&
                      p.ptr[9 + 64] == '.';
        if (shaped) {
            sha = str_make(p.ptr + 9, 64);
            shaped = is_hex(sha) && memcmp(p.ptr + 6, sha.ptr, 2) == 0;
        }
        int rc = shaped ? store_media_by_sha(c->s, c->arena, sha, &m) : MH_NOTFOUND;
        if (rc == MH_OK && !str_eq(m.path, p))
            rc = MH_NOTFOUND;
        if (rc == MH_NOTFOUND)
            return api_fail(&c->err, 400, "images",
                            "images[%zu]: 'file' must name a file of the media library, like "
                            "media/ab/<sha256>.jpg",
                            i);
        if (rc)
            return rc;
        im->media_id = m.id;
        im->sha256 = m.sha256;
        im->mime = m.mime;
        im->width = m.width;
        im->height = m.height;
    }
    return MH_OK;
}

/* Edition and channel of A must exist: a precise 400 rather than a bare
 * "not found". */
static int check_place(struct api_call *c, const struct article *a, struct edition *ed)
{
    struct channel ch;
    int rc = store_edition_get(c->s, c->arena, a->edition, ed);
    if (rc == MH_NOTFOUND)
        return api_fail(&c->err, 400, "edition", "no edition '%.*s'",
                        (int)(a->edition.len > 64 ? 64 : a->edition.len), a->edition.ptr);
    if (rc == MH_OK)
        rc = store_channel_get(c->s, c->arena, a->edition, a->channel, &ch);
    if (rc == MH_NOTFOUND)
        return api_fail(&c->err, 400, "channel", "no channel '%.*s' in edition '%.*s'",
                        (int)(a->channel.len > 64 ? 64 : a->channel.len), a->channel.ptr,
                        (int)a->edition.len, a->edition.ptr);
    return rc;
}

/* Answer STATUS with article ID as the actor now sees it. */
static int send_article(struct api_call *c, struct newsroom_ctx *nr, int status, int64_t id)
{
    struct article a;
    struct edition ed;
    int rc = newsroom_article_get(nr, c->arena, id, &a);
    if (rc == MH_OK)
        rc = store_edition_get(c->s, c->arena, a.edition, &ed);
    if (rc)
        return rc;
    if (status == 201) {
        char loc[64];
        snprintf(loc, sizeof(loc), "/api/v1/articles/%lld", (long long)id);
        rc = http_response_header(c->req, c->res, "Location", str_c(loc));
    }
    return rc ? rc : api_send(c, status, api_article_json(c, &a, ed.tz), false);
}

int api_post_article(struct api_call *c)
{
    struct api_article_body b;
    struct newsroom_ctx nr;
    struct edition ed;
    int rc = api_parse_article(c->req->body, false, c->arena, &b, &c->err);
    if (rc == MH_OK)
        rc = check_place(c, &b.a, &ed);
    if (rc == MH_OK)
        rc = resolve_images(c, &b.a);
    if (rc)
        return rc;
    api_newsroom(c, &nr);
    rc = newsroom_article_create(&nr, &b.a, STR_LIT("created through the API"));
    if (rc)
        return refused(c, &nr, rc);
    return send_article(c, &nr, 201, b.a.id);
}

int api_put_article(struct api_call *c)
{
    struct api_article_body b;
    struct newsroom_ctx nr;
    struct article cur;
    struct edition ed;
    int rc = api_parse_article(c->req->body, true, c->arena, &b, &c->err);
    if (rc)
        return rc;
    if (b.a.id && b.a.id != c->id)
        return api_fail(&c->err, 400, "id", "the body's id %lld is not the path's %lld",
                        (long long)b.a.id, (long long)c->id);
    api_newsroom(c, &nr);
    rc = newsroom_article_get(&nr, c->arena, c->id, &cur);
    if (rc == MH_NOTFOUND)
        return api_fail(&c->err, 404, NULL, "no article %lld", (long long)c->id);
    if (rc)
        return rc;
    if (b.has_status && b.a.status != cur.status)
        return api_fail(&c->err, 400, "status",
                        "the article is %s; a status changes with POST "
                        "/api/v1/articles/%lld/transition",
                        article_status_name(cur.status), (long long)c->id);
    int64_t when = cur.status == ARTICLE_SCHEDULED ? cur.scheduled_at : cur.first_published_at;
    if (b.has_published_at && b.a.first_published_at != when)
        return api_fail(&c->err, 400, "published_at",
                        "published_at is set by the workflow, not by an edit");
    rc = check_place(c, &b.a, &ed);
    if (rc == MH_OK)
        rc = resolve_images(c, &b.a);
    if (rc)
        return rc;
    b.a.id = c->id;
    b.a.revision = b.revision;
    rc = newsroom_article_save(&nr, c->arena, &b.a,
                               b.note.len ? b.note : STR_LIT("saved through the API"), NULL);
    if (rc)
        return refused(c, &nr, rc);
    return send_article(c, &nr, 200, c->id);
}

int api_delete_article(struct api_call *c)
{
    struct newsroom_ctx nr;
    api_newsroom(c, &nr);
    int rc = newsroom_article_delete(&nr, c->id);
    if (rc)
        return refused(c, &nr, rc);
    c->res->status = 204;
    return http_response_header(c->req, c->res, "Cache-Control", STR_LIT("private, no-store"));
}

int api_post_transition(struct api_call *c)
{
    struct newsroom_ctx nr;
    enum article_status to;
    int64_t at;
    struct str note;
    int rc = api_parse_transition(c->req->body, c->arena, &to, &at, &note, &c->err);
    if (rc)
        return rc;
    api_newsroom(c, &nr);
    rc = newsroom_transition(&nr, c->id, 0, to, at, note);
    if (rc)
        return refused(c, &nr, rc);
    return send_article(c, &nr, 200, c->id);
}
