/* SPDX-License-Identifier: MIT */
/*
 * workflow.c - an article's life in the newsroom: create a draft, save
 * (a revision each time, refused when stale), autosave (no revision), the
 * edit lock, status transitions, delete, and the newsroom's article list.
 * Each operation asks rules.c, writes through store/, and audits in the
 * same transaction.  Revisions and diffs are revision.c's.
 */
#include "core/compat.h"

#include <stdarg.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/utf8.h"
#include "newsroom/newsroom.h"
#include "newsroom/newsroom_int.h"
#include "store/store.h"

/* ------------------------------------------------------------------ */
/* Shared helpers                                                       */

int nr_audit(struct newsroom_ctx *nr, const char *action, struct str object, const char *fmt,
             ...)
{
    char detail[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof(detail), fmt, ap);
    va_end(ap);
    return store_audit(nr->store, nr->who.login, str_c(action), object, str_c(detail),
                       nr->who.address);
}

struct str nr_object(char *buf, size_t len, const char *kind, int64_t id)
{
    snprintf(buf, len, "%s:%lld", kind, (long long)id);
    return str_c(buf);
}

const char *nr_time(char *buf, size_t len, int64_t ms)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    if (gmtime_r(&t, &tm) == NULL || strftime(buf, len, "%Y-%m-%d %H:%M UTC", &tm) == 0)
        snprintf(buf, len, "%lld", (long long)ms);
    return buf;
}

static const char *status_word(enum article_status s)
{
    return article_status_name(s);
}

int nr_check_article(struct newsroom_ctx *nr, int64_t id, enum newsroom_action action,
                     enum article_status *status, int *revision)
{
    struct arena arena;
    struct str owner;
    enum article_status st;
    int rev;
    arena_init(&arena, 256);
    int rc = store_article_state(nr->store, &arena, id, &owner, &st, &rev);
    struct newsroom_subject subj = {rc == MH_OK && str_eq(owner, nr->who.login), st};
    arena_release(&arena);
    if (rc == MH_NOTFOUND)
        return nr_refuse(nr, MH_NOTFOUND, NULL, "there is no article %lld", (long long)id);
    if (rc)
        return rc;
    if (status)
        *status = st;
    if (revision)
        *revision = rev;
    /* someone else's unpublished work is not even there for a reporter */
    if (st != ARTICLE_PUBLISHED && !newsroom_may(nr->who.role, NR_ARTICLE_VIEW, &subj))
        return nr_refuse(nr, MH_NOTFOUND, NULL, "there is no article %lld", (long long)id);
    if (action == NR_ARTICLE_VIEW || newsroom_may(nr->who.role, action, &subj))
        return MH_OK;
    if ((unsigned)nr->who.role >= ROLE_COUNT)
        return nr_refuse(nr, MH_FORBIDDEN, NULL, "please sign in");
    struct newsroom_subject any = {true, st};
    if (!newsroom_may(ROLE_ADMIN, action, &any)) /* nobody may, from this status */
        return nr_refuse(nr, MH_CONFLICT, NULL, "the article is %s: %s is not possible now",
                         status_word(st), newsroom_action_name(action));
    return nr_refuse(nr, MH_FORBIDDEN, NULL, "a%s %s may not do %s to this %s%s article",
                     nr->who.role == ROLE_ADMIN || nr->who.role == ROLE_EDITOR ? "n" : "",
                     user_role_name(nr->who.role), newsroom_action_name(action),
                     subj.own ? "" : "other's ", status_word(st));
}

static int check_line(struct newsroom_ctx *nr, const char *field, struct str v, size_t max,
                      bool required)
{
    v = nr_nz(v);
    if (required && str_trim(v).len == 0)
        return nr_refuse(nr, MH_INVAL, field, "the %s is required", field);
    if (v.len > max)
        return nr_refuse(nr, MH_TOOBIG, field, "the %s is longer than %zu bytes", field, max);
    if (!utf8_valid(v, NULL))
        return nr_refuse(nr, MH_INVAL, field, "the %s is not valid UTF-8", field);
    if (utf8_has_controls(v, false))
        return nr_refuse(nr, MH_INVAL, field, "the %s may not contain line breaks or control "
                                              "characters", field);
    return MH_OK;
}

static int check_text(struct newsroom_ctx *nr, const char *field, struct str v, size_t max)
{
    v = nr_nz(v);
    if (v.len > max)
        return nr_refuse(nr, MH_TOOBIG, field, "the %s is longer than %zu bytes", field, max);
    if (!utf8_valid(v, NULL))
        return nr_refuse(nr, MH_INVAL, field, "the %s is not valid UTF-8", field);
    if (utf8_has_controls(v, true))
        return nr_refuse(nr, MH_INVAL, field, "the %s contains control characters", field);
    return MH_OK;
}

static int check_list(struct newsroom_ctx *nr, const char *field, const struct str *items,
                      size_t n)
{
    if (n > MH_MAX_LIST)
        return nr_refuse(nr, MH_TOOBIG, field, "at most %d %s", MH_MAX_LIST, field);
    for (size_t i = 0; i < n; i++) {
        int rc = check_line(nr, field, items[i], MH_MAX_FIELD, true);
        if (rc)
            return rc;
    }
    return MH_OK;
}

int nr_validate(struct newsroom_ctx *nr, const struct article *a)
{
    int rc;
    if ((rc = check_line(nr, "edition", a->edition, 64, true)) ||
        (rc = check_line(nr, "channel", a->channel, 128, true)) ||
        (rc = check_line(nr, "title", a->title, MH_MAX_FIELD, true)) ||
        (rc = check_line(nr, "subtitle", a->subtitle, MH_MAX_FIELD, false)) ||
        (rc = check_line(nr, "kicker", a->kicker, MH_MAX_FIELD, false)) ||
        (rc = check_line(nr, "editor", a->editor, MH_MAX_FIELD, false)) ||
        (rc = check_line(nr, "source", a->source, MH_MAX_FIELD, false)) ||
        (rc = check_list(nr, "authors", a->authors, a->n_authors)) ||
        (rc = check_list(nr, "keywords", a->keywords, a->n_keywords)) ||
        (rc = check_text(nr, "abstract", a->abstract, MH_MAX_ABSTRACT)) ||
        (rc = check_text(nr, "body", a->body, MH_MAX_BODY)))
        return rc;
    if ((unsigned)a->body_format > BODY_HTML)
        return nr_refuse(nr, MH_INVAL, "body_format", "the body format is markdown or html");
    if (a->n_images > MH_MAX_LIST)
        return nr_refuse(nr, MH_TOOBIG, "images", "at most %d images", MH_MAX_LIST);
    for (size_t i = 0; i < a->n_images; i++) {
        const struct article_image *im = &a->images[i];
        if (im->media_id <= 0)
            return nr_refuse(nr, MH_INVAL, "images", "image %zu is not in the media library",
                             i + 1);
        if ((rc = check_line(nr, "caption", im->caption, MH_MAX_FIELD, false)) ||
            (rc = check_line(nr, "credit", im->credit, MH_MAX_FIELD, false)) ||
            (rc = check_line(nr, "alt", im->alt, MH_MAX_FIELD, false)))
            return rc;
    }
    struct arena arena;
    struct channel c;
    arena_init(&arena, 1024);
    rc = store_channel_get(nr->store, &arena, a->edition, a->channel, &c);
    arena_release(&arena);
    if (rc == MH_NOTFOUND)
        return nr_refuse(nr, MH_INVAL, "channel", "there is no channel '%.*s' in edition '%.*s'",
                         (int)a->channel.len, a->channel.ptr, (int)a->edition.len,
                         a->edition.ptr);
    return rc;
}

/* Run FN's writes and the audit in one transaction. */
static int commit_or_rollback(struct newsroom_ctx *nr, int rc)
{
    if (rc == MH_OK)
        return store_commit(nr->store);
    store_rollback(nr->store);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Create, read, delete                                                 */

int newsroom_article_create(struct newsroom_ctx *nr, struct article *a, struct str note)
{
    char obj[48];
    if (!newsroom_may(nr->who.role, NR_ARTICLE_CREATE, NULL))
        return nr_refuse(nr, MH_FORBIDDEN, NULL, "please sign in to write");
    if (a->id != 0)
        return nr_refuse(nr, MH_INVAL, "id", "a new article has no id yet");
    int rc = nr_validate(nr, a);
    if (rc == MH_OK)
        rc = check_line(nr, "note", note, MH_MAX_FIELD, false);
    if (rc)
        return rc;
    a->status = ARTICLE_DRAFT;
    a->created_at = a->updated_at = clock_now_ms();
    a->first_published_at = a->last_published_at = a->scheduled_at = 0;
    a->revision = 1;
    rc = store_begin(nr->store);
    if (rc)
        return rc;
    rc = store_article_insert(nr->store, a);
    if (rc == MH_NOTFOUND)
        rc = nr_refuse(nr, MH_INVAL, "images", "an image is not in the media library");
    if (rc == MH_OK)
        rc = store_article_owner_set(nr->store, a->id, nr->who.login,
                                     note.len ? note : STR_LIT("created"));
    if (rc == MH_OK)
        rc = nr_audit(nr, "article.create", nr_object(obj, sizeof(obj), "article", a->id),
                      "%.*s", (int)(a->title.len < 200 ? a->title.len : 200), a->title.ptr);
    rc = commit_or_rollback(nr, rc);
    if (rc)
        a->id = 0;
    return rc;
}

int newsroom_article_get(struct newsroom_ctx *nr, struct arena *arena, int64_t id,
                         struct article *out)
{
    int rc = nr_check_article(nr, id, NR_ARTICLE_VIEW, NULL, NULL);
    if (rc)
        return rc;
    return store_article_get(nr->store, arena, id, out);
}

int newsroom_article_owner(struct newsroom_ctx *nr, struct arena *arena, int64_t id,
                           struct str *out)
{
    enum article_status st;
    int rev;
    int rc = nr_check_article(nr, id, NR_ARTICLE_VIEW, NULL, NULL);
    if (rc)
        return rc;
    return store_article_state(nr->store, arena, id, out, &st, &rev);
}

int newsroom_article_delete(struct newsroom_ctx *nr, int64_t id)
{
    char obj[48];
    int rc = nr_check_article(nr, id, NR_ARTICLE_DELETE, NULL, NULL);
    if (rc)
        return rc;
    rc = store_begin(nr->store);
    if (rc)
        return rc;
    rc = store_article_delete_draft(nr->store, id);
    if (rc == MH_NOTFOUND)
        rc = nr_refuse(nr, MH_CONFLICT, NULL, "only a draft can be deleted");
    if (rc == MH_OK)
        rc = nr_audit(nr, "article.delete", nr_object(obj, sizeof(obj), "article", id),
                      "draft deleted");
    return commit_or_rollback(nr, rc);
}

/* ------------------------------------------------------------------ */
/* Edit locks                                                           */

static void lock_out(struct newsroom_lock *out, const struct store_lock *l)
{
    out->article_id = l->article_id;
    out->login = l->login;
    out->display_name = l->display_name;
    out->since = l->since;
    out->expires_at = l->expires_at;
}

/* MH_CONFLICT (with the message) when someone else holds a live lock of
 * ID; OUT (may be NULL) describes it. */
static int lock_held_by_other(struct newsroom_ctx *nr, struct arena *arena, int64_t id,
                              int64_t now, struct store_lock *out)
{
    struct store_lock l;
    int rc = store_lock_get(nr->store, arena, id, &l);
    if (rc == MH_NOTFOUND)
        return MH_OK;
    if (rc)
        return rc;
    if (out)
        *out = l;
    if (l.expires_at <= now || str_eq(l.login, nr->who.login))
        return MH_OK;
    char since[40];
    return nr_refuse(nr, MH_CONFLICT, NULL, "being edited by %.*s since %s",
                     (int)l.display_name.len, l.display_name.ptr,
                     nr_time(since, sizeof(since), l.since));
}

/* Take or renew the actor's lock; the caller checked the rule. */
static int lock_take(struct newsroom_ctx *nr, struct arena *arena, int64_t id,
                     struct newsroom_lock *out)
{
    int64_t now = clock_now_ms();
    struct store_lock cur = {0};
    int rc = lock_held_by_other(nr, arena, id, now, &cur);
    if (rc == MH_CONFLICT && out)
        lock_out(out, &cur);
    if (rc)
        return rc;
    struct store_lock l = {id, nr->who.login, nr->who.display_name.len ? nr->who.display_name
                                                                       : nr->who.login,
                           now, now + nr->policy->lock_ms};
    if (cur.article_id == id && str_eq(cur.login, nr->who.login) && cur.expires_at > now)
        l.since = cur.since; /* a renewal keeps "since" */
    rc = store_lock_put(nr->store, &l);
    if (rc == MH_OK && out)
        lock_out(out, &l);
    return rc;
}

int newsroom_lock_take(struct newsroom_ctx *nr, struct arena *arena, int64_t id,
                       struct newsroom_lock *out)
{
    memset(out, 0, sizeof(*out));
    int rc = nr_check_article(nr, id, NR_ARTICLE_EDIT, NULL, NULL);
    if (rc)
        return rc;
    return lock_take(nr, arena, id, out);
}

int newsroom_lock_get(struct newsroom_ctx *nr, struct arena *arena, int64_t id,
                      struct newsroom_lock *out)
{
    struct store_lock l;
    memset(out, 0, sizeof(*out));
    int rc = nr_check_article(nr, id, NR_ARTICLE_VIEW, NULL, NULL);
    if (rc == MH_OK)
        rc = store_lock_get(nr->store, arena, id, &l);
    if (rc)
        return rc;
    if (l.expires_at <= clock_now_ms())
        return MH_NOTFOUND;
    lock_out(out, &l);
    return MH_OK;
}

int newsroom_lock_release(struct newsroom_ctx *nr, int64_t id)
{
    return store_lock_delete(nr->store, id, nr->who.login);
}

/* ------------------------------------------------------------------ */
/* Save and autosave                                                    */

/* Copy the editable fields of FROM onto TO (the stored article). */
static void take_fields(struct article *to, const struct article *from)
{
    to->edition = from->edition;
    to->channel = from->channel;
    to->title = from->title;
    to->subtitle = from->subtitle;
    to->kicker = from->kicker;
    to->authors = from->authors;
    to->n_authors = from->n_authors;
    to->editor = from->editor;
    to->source = from->source;
    to->keywords = from->keywords;
    to->n_keywords = from->n_keywords;
    to->abstract = from->abstract;
    to->body = from->body;
    to->body_format = from->body_format;
    to->images = from->images;
    to->n_images = from->n_images;
}

/* The refusal of a stale save: who saved what the user has not seen. */
static int stale(struct newsroom_ctx *nr, const struct article *cur, int given)
{
    char at[40];
    struct arena arena;
    struct str by = STR_NULL, note;
    int64_t when = cur->updated_at;
    arena_init(&arena, 256);
    if (store_article_saved(nr->store, &arena, cur->id, &by, &note, &when) != MH_OK)
        by = STR_NULL; /* the refusal does not depend on it */
    int rc = nr_refuse(nr, MH_CONFLICT, "revision",
                       "%.*s%ssaved a newer version (revision %d, %s) after the revision %d you "
                       "edited: your text was not saved; compare and merge",
                       (int)by.len, by.ptr, by.len ? " " : "someone ", cur->revision,
                       nr_time(at, sizeof(at), when), given);
    arena_release(&arena);
    return rc;
}

int newsroom_article_save(struct newsroom_ctx *nr, struct arena *arena, struct article *a,
                          struct str note, struct article *current)
{
    char obj[48];
    struct article cur;
    int rc = nr_check_article(nr, a->id, NR_ARTICLE_EDIT, NULL, NULL);
    if (rc == MH_OK)
        rc = nr_validate(nr, a);
    if (rc == MH_OK)
        rc = check_line(nr, "note", note, MH_MAX_FIELD, false);
    if (rc == MH_OK)
        rc = lock_held_by_other(nr, arena, a->id, clock_now_ms(), NULL);
    if (rc == MH_OK)
        rc = store_article_get(nr->store, arena, a->id, &cur);
    if (rc)
        return rc;
    if (cur.revision != a->revision) {
        if (current)
            *current = cur;
        return stale(nr, &cur, a->revision);
    }
    take_fields(&cur, a);
    rc = store_begin(nr->store);
    if (rc)
        return rc;
    rc = store_article_update(nr->store, &cur, nr->who.login, note);
    if (rc == MH_CONFLICT) { /* someone saved between our read and write */
        store_rollback(nr->store);
        struct article again;
        rc = store_article_get(nr->store, arena, a->id, &again);
        if (rc)
            return rc;
        if (current)
            *current = again;
        return stale(nr, &again, a->revision);
    }
    if (rc == MH_NOTFOUND)
        rc = nr_refuse(nr, MH_INVAL, "images", "an image is not in the media library");
    if (rc == MH_OK)
        rc = store_autosave_delete(nr->store, a->id, nr->who.login);
    if (rc == MH_OK)
        rc = nr_audit(nr, "article.save", nr_object(obj, sizeof(obj), "article", a->id),
                      "revision %d%s%.*s", cur.revision, note.len ? ": " : "",
                      (int)(note.len < 300 ? note.len : 300), note.ptr);
    rc = commit_or_rollback(nr, rc);
    if (rc == MH_OK) {
        a->revision = cur.revision;
        a->updated_at = cur.updated_at;
    }
    return rc;
}

int newsroom_article_autosave(struct newsroom_ctx *nr, const struct article *a)
{
    struct arena arena;
    int rc = nr_check_article(nr, a->id, NR_ARTICLE_EDIT, NULL, NULL);
    if (rc)
        return rc;
    /* no channel check: an autosave keeps whatever the editor holds */
    if ((rc = check_text(nr, "body", a->body, MH_MAX_BODY)) ||
        (rc = check_text(nr, "abstract", a->abstract, MH_MAX_ABSTRACT)) ||
        (rc = check_text(nr, "title", a->title, MH_MAX_FIELD)))
        return rc;
    if (a->n_authors > MH_MAX_LIST || a->n_keywords > MH_MAX_LIST || a->n_images > MH_MAX_LIST)
        return nr_refuse(nr, MH_TOOBIG, NULL, "too many authors, keywords or images");
    arena_init(&arena, 1024);
    rc = store_begin(nr->store);
    if (rc == MH_OK) {
        rc = lock_take(nr, &arena, a->id, NULL);
        if (rc == MH_OK)
            rc = store_autosave_put(nr->store, a, nr->who.login, clock_now_ms());
        rc = commit_or_rollback(nr, rc);
    }
    arena_release(&arena);
    return rc;
}

int newsroom_autosave_get(struct newsroom_ctx *nr, struct arena *arena, int64_t id,
                          struct article *out)
{
    int rc = nr_check_article(nr, id, NR_ARTICLE_VIEW, NULL, NULL);
    if (rc)
        return rc;
    rc = store_autosave_get(nr->store, arena, id, nr->who.login, out);
    if (rc == MH_OK) {
        struct article cur;
        rc = store_article_get(nr->store, arena, id, &cur);
        if (rc == MH_OK) {
            out->edition = cur.edition;
            out->status = cur.status;
            out->created_at = cur.created_at;
        }
    }
    return rc;
}

/* ------------------------------------------------------------------ */
/* Transitions                                                          */

int newsroom_transition(struct newsroom_ctx *nr, int64_t id, int revision,
                        enum article_status to, int64_t at, struct str comment)
{
    char obj[48], when[40];
    enum article_status from;
    enum newsroom_action action;
    int cur_rev;
    struct arena arena;
    struct article a;
    int64_t now = clock_now_ms();
    int rc = nr_check_article(nr, id, NR_ARTICLE_VIEW, &from, &cur_rev);
    if (rc)
        return rc;
    if ((unsigned)to >= ARTICLE_STATUS_COUNT ||
        newsroom_transition_action(from, to, &action) != MH_OK)
        return nr_refuse(nr, MH_INVAL, "to", "an article that is %s cannot become %s",
                         status_word(from), status_word(to));
    rc = nr_check_article(nr, id, action, NULL, NULL);
    if (rc)
        return rc;
    if (revision > 0 && revision != cur_rev)
        return nr_refuse(nr, MH_CONFLICT, "revision",
                         "the article changed since you opened it (revision %d, now %d)",
                         revision, cur_rev);
    if (action == NR_ARTICLE_RETURN && str_trim(nr_nz(comment)).len == 0)
        return nr_refuse(nr, MH_INVAL, "comment", "say why the article goes back to its author");
    if ((rc = check_text(nr, "comment", comment, MH_MAX_ABSTRACT)))
        return rc;
    if (action == NR_ARTICLE_SCHEDULE && at <= now)
        return nr_refuse(nr, MH_INVAL, "at", "the publication time must be in the future");

    arena_init(&arena, 0);
    rc = store_article_get(nr->store, &arena, id, &a);
    if (rc)
        goto out;
    a.status = to;
    a.updated_at = now;
    switch (to) {
    case ARTICLE_PUBLISHED:
        if (a.first_published_at == 0)
            a.first_published_at = now;
        a.last_published_at = now;
        a.scheduled_at = 0;
        break;
    case ARTICLE_SCHEDULED:
        a.scheduled_at = at;
        break;
    default:
        a.scheduled_at = 0;
        break;
    }
    rc = store_begin(nr->store);
    if (rc)
        goto out;
    /* the write lock is ours now: the status we checked must still hold */
    enum article_status again;
    int rev_again;
    rc = store_article_state(nr->store, NULL, id, NULL, &again, &rev_again);
    if (rc == MH_OK && again != from)
        rc = nr_refuse(nr, MH_CONFLICT, NULL, "the article became %s meanwhile; reload it",
                       status_word(again));
    if (rc == MH_OK)
        rc = store_article_set_status(nr->store, &a, revision);
    if (rc == MH_CONFLICT)
        nr_refuse(nr, MH_CONFLICT, "revision", "the article changed meanwhile; reload it");
    if (rc == MH_OK) {
        const char *verb = newsroom_action_name(action);
        if (action == NR_ARTICLE_PUBLISH && from == ARTICLE_WITHDRAWN)
            verb = "article.republish";
        rc = nr_audit(nr, verb, nr_object(obj, sizeof(obj), "article", id), "%s -> %s%s%s%s%.*s",
                      status_word(from), status_word(to), to == ARTICLE_SCHEDULED ? " at " : "",
                      to == ARTICLE_SCHEDULED ? nr_time(when, sizeof(when), at) : "",
                      comment.len ? ": " : "", (int)(comment.len < 800 ? comment.len : 800),
                      comment.ptr);
    }
    rc = commit_or_rollback(nr, rc);
out:
    arena_release(&arena);
    return rc;
}

/* ------------------------------------------------------------------ */
/* The newsroom's list                                                  */

int newsroom_article_list(struct newsroom_ctx *nr, struct arena *arena,
                          const struct newsroom_filter *f, struct newsroom_row **out, size_t *n,
                          int64_t *total)
{
    struct store_article_filter sf = {0};
    struct store_article_row *rows;
    size_t count;
    *out = NULL;
    *n = 0;
    sf.edition = f->edition;
    sf.channel = f->channel;
    if (f->status >= 0) {
        if (f->status >= ARTICLE_STATUS_COUNT)
            return nr_refuse(nr, MH_INVAL, "status", "no such status");
        sf.status = str_c(article_status_name((enum article_status)f->status));
    }
    sf.owner = f->mine_only ? nr->who.login : f->owner;
    sf.author = f->author;
    sf.text = f->text;
    /* a reporter sees own articles and published ones (NR_ARTICLE_VIEW) */
    struct newsroom_subject others = {false, ARTICLE_DRAFT};
    if (!newsroom_may(nr->who.role, NR_ARTICLE_VIEW, &others))
        sf.viewer = nr->who.login;
    if (f->offset < 0)
        return nr_refuse(nr, MH_INVAL, "offset", "the offset cannot be negative");
    sf.offset = f->offset;
    sf.limit = f->limit <= 0 ? 50 : f->limit > 200 ? 200 : f->limit;
    int rc = store_article_list(nr->store, arena, &sf, &rows, &count, total);
    if (rc)
        return rc;
    *out = arena_zalloc(arena, (count ? count : 1) * sizeof(**out));
    for (size_t i = 0; i < count; i++) {
        struct newsroom_row *r = &(*out)[i];
        r->id = rows[i].id;
        r->edition = rows[i].edition;
        r->channel = rows[i].channel;
        r->title = rows[i].title;
        r->owner = rows[i].owner;
        r->status = rows[i].status;
        r->revision = rows[i].revision;
        r->updated_at = rows[i].updated_at;
        r->first_published_at = rows[i].first_published_at;
        r->scheduled_at = rows[i].scheduled_at;
        /* newline-joined -> "A, B" */
        struct str au = rows[i].authors;
        char *p = arena_alloc(arena, au.len * 2 + 1);
        size_t k = 0;
        for (size_t j = 0; j < au.len; j++) {
            if (au.ptr[j] == '\n') {
                p[k++] = ',';
                p[k++] = ' ';
            } else {
                p[k++] = au.ptr[j];
            }
        }
        p[k] = '\0';
        r->authors = str_make(p, k);
    }
    *n = count;
    return MH_OK;
}
