/* SPDX-License-Identifier: MIT */
/*
 * newsroom_store.c - the rows the newsroom keeps besides articles:
 * ownership and workflow state, sessions, failed sign-ins, edit locks,
 * autosaves, earlier revisions, the newsroom's article list and the audit
 * log.  Reading and writing only; who may do what is newsroom/'s business.
 */
#include "core/compat.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/limits.h"
#include "store/store_int.h"

/* Run a statement that returns no rows (or rows we ignore). */
static int finish(struct store *s, struct store_stmt *st)
{
    int rc;
    while ((rc = STEP(st)) == MH_OK)
        ;
    DONE(st);
    return rc == STORE_DONE ? MH_OK : rc;
}

/* ------------------------------------------------------------------ */
/* Articles: owner, status, delete, list                                */

int store_article_state(struct store *s, struct arena *arena, int64_t id, struct str *owner,
                        enum article_status *status, int *revision)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_NR_ARTICLE_STATE, &st);
    if (rc)
        return rc;
    B_I64(st, 1, id);
    rc = STEP1(st);
    if (rc == MH_OK) {
        if (owner)
            *owner = C_STR(st, 0);
        if (article_status_parse(s->ops->col_str(st, 1), status) != MH_OK)
            *status = ARTICLE_DRAFT;
        *revision = (int)C_I64(st, 2);
    }
    DONE(st);
    return rc;
}

int store_article_saved(struct store *s, struct arena *arena, int64_t id, struct str *by,
                        struct str *note, int64_t *at)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_NR_ARTICLE_SAVED, &st);
    if (rc)
        return rc;
    B_I64(st, 1, id);
    rc = STEP1(st);
    if (rc == MH_OK) {
        *by = C_STR(st, 0);
        *note = C_STR(st, 1);
        *at = C_I64(st, 2);
    }
    DONE(st);
    return rc;
}

int store_article_owner_set(struct store *s, int64_t id, struct str owner, struct str note)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_NR_ARTICLE_OWNER_SET, &st);
    if (rc)
        return rc;
    B_I64(st, 1, id);
    B_STR(st, 2, owner);
    B_STR(st, 3, note);
    return finish(s, st);
}

int store_article_set_status(struct store *s, const struct article *a, int revision)
{
    struct store_stmt *st;
    unsigned char hash[STORE_HASH_LEN];
    store_article_hash(a, hash);
    int rc = stmt_prepare(s, Q_NR_ARTICLE_STATUS, &st);
    if (rc)
        return rc;
    B_I64(st, 1, a->id);
    B_STR(st, 2, str_c(article_status_name(a->status)));
    B_TIME(st, 3, a->scheduled_at);
    B_TIME(st, 4, a->first_published_at);
    B_TIME(st, 5, a->last_published_at);
    B_I64(st, 6, a->updated_at);
    s->ops->bind_blob(st, 7, hash, STORE_HASH_LEN);
    B_I64(st, 8, revision > 0 ? revision : 0);
    rc = STEP(st);
    DONE(st);
    if (rc == STORE_DONE) { /* no row: absent, or the revision moved on */
        int cur;
        enum article_status stt;
        int rc2 = store_article_state(s, NULL, a->id, NULL, &stt, &cur);
        return rc2 == MH_OK ? MH_CONFLICT : rc2;
    }
    return rc;
}

int store_article_delete_draft(struct store *s, int64_t id)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_NR_ARTICLE_DELETE, &st);
    if (rc)
        return rc;
    B_I64(st, 1, id);
    rc = STEP1(st);
    DONE(st);
    return rc;
}

/* TEXT as a LIKE pattern that matches it anywhere, its own %, _ and \ taken
 * literally (LIKE folds ASCII case, as a newsroom search should). */
static struct str like_pattern(struct arena *arena, struct str text)
{
    if (text.len == 0)
        return STR_LIT("");
    char *p = arena_alloc(arena, 2 * text.len + 3);
    size_t k = 0;
    p[k++] = '%';
    for (size_t i = 0; i < text.len; i++) {
        if (text.ptr[i] == '%' || text.ptr[i] == '_' || text.ptr[i] == '\\')
            p[k++] = '\\';
        p[k++] = text.ptr[i];
    }
    p[k++] = '%';
    p[k] = '\0';
    return str_make(p, k);
}

static void list_bind(struct store *s, struct store_stmt *st, const struct store_article_filter *f,
                      struct str pattern)
{
    B_STR(st, 1, f->edition);
    B_STR(st, 2, f->channel);
    B_STR(st, 3, f->status);
    B_STR(st, 4, f->owner);
    B_STR(st, 5, f->author);
    B_STR(st, 6, pattern);
    B_STR(st, 7, f->viewer);
}

static void list_row(struct store *s, struct store_stmt *st, struct arena *arena, void *out)
{
    struct store_article_row *r = out;
    r->id = C_I64(st, 0);
    r->edition = C_STR(st, 1);
    r->channel = C_STR(st, 2);
    r->title = C_STR(st, 3);
    r->owner = C_STR(st, 4);
    r->authors = C_STR(st, 5);
    if (article_status_parse(s->ops->col_str(st, 6), &r->status) != MH_OK)
        r->status = ARTICLE_DRAFT;
    r->revision = (int)C_I64(st, 7);
    r->updated_at = C_I64(st, 8);
    r->first_published_at = C_I64(st, 9);
    r->scheduled_at = C_I64(st, 10);
}

int store_article_list(struct store *s, struct arena *arena, const struct store_article_filter *f,
                       struct store_article_row **out, size_t *n, int64_t *total)
{
    struct store_stmt *st;
    struct str pattern = like_pattern(arena, f->text);
    int rc = stmt_prepare(s, Q_NR_ARTICLE_LIST, &st);
    if (rc)
        return rc;
    list_bind(s, st, f, pattern);
    B_I64(st, 8, f->limit);
    B_I64(st, 9, f->offset);
    rc = store_collect(s, st, list_row, arena, sizeof(**out), (void **)out, n);
    if (rc || total == NULL)
        return rc;
    rc = stmt_prepare(s, Q_NR_ARTICLE_LIST_COUNT, &st);
    if (rc)
        return rc;
    list_bind(s, st, f, pattern);
    rc = STEP1(st);
    if (rc == MH_OK)
        *total = C_I64(st, 0);
    DONE(st);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Users                                                                */

int store_user_by_id(struct store *s, struct arena *arena, int64_t id, struct user *out,
                     char **hash_out)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_NR_USER_BY_ID, &st);
    if (rc)
        return rc;
    B_I64(st, 1, id);
    rc = STEP1(st);
    if (rc == MH_OK) {
        memset(out, 0, sizeof(*out));
        out->id = C_I64(st, 0);
        out->login = C_STR(st, 1);
        out->display_name = C_STR(st, 2);
        if (user_role_parse(s->ops->col_str(st, 3), &out->role) != MH_OK)
            out->role = ROLE_REPORTER;
        out->created_at = C_I64(st, 4);
        out->disabled = C_I64(st, 5) != 0;
        if (hash_out)
            *hash_out = (char *)C_STR(st, 6).ptr;
    }
    DONE(st);
    return rc;
}

static int user_update(struct store *s, enum store_query q, struct str login, struct str text,
                       int64_t num, bool is_text)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, q, &st);
    if (rc)
        return rc;
    B_STR(st, 1, login);
    if (is_text)
        B_STR(st, 2, text);
    else
        B_I64(st, 2, num);
    rc = STEP1(st);
    DONE(st);
    return rc;
}

int store_user_set_role(struct store *s, struct str login, enum user_role role)
{
    return user_update(s, Q_NR_USER_SET_ROLE, login, str_c(user_role_name(role)), 0, true);
}

int store_user_set_disabled(struct store *s, struct str login, bool disabled)
{
    return user_update(s, Q_NR_USER_SET_DISABLED, login, STR_NULL, disabled, false);
}

/* ------------------------------------------------------------------ */
/* Sessions and failed sign-ins                                         */

int store_session_add(struct store *s, const unsigned char *hash, int64_t user_id, int64_t now,
                      struct str address)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_NR_SESSION_ADD, &st);
    if (rc)
        return rc;
    s->ops->bind_blob(st, 1, hash, STORE_HASH_LEN);
    B_I64(st, 2, user_id);
    B_I64(st, 3, now);
    B_I64(st, 4, now);
    B_STR(st, 5, address);
    return finish(s, st);
}

int store_session_get(struct store *s, const unsigned char *hash, int64_t *user_id,
                      int64_t *created_at, int64_t *seen_at)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_NR_SESSION_GET, &st);
    if (rc)
        return rc;
    s->ops->bind_blob(st, 1, hash, STORE_HASH_LEN);
    rc = STEP1(st);
    if (rc == MH_OK) {
        *user_id = C_I64(st, 0);
        *created_at = C_I64(st, 1);
        *seen_at = C_I64(st, 2);
    }
    DONE(st);
    return rc;
}

int store_session_touch(struct store *s, const unsigned char *hash, int64_t now)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_NR_SESSION_TOUCH, &st);
    if (rc)
        return rc;
    s->ops->bind_blob(st, 1, hash, STORE_HASH_LEN);
    B_I64(st, 2, now);
    return finish(s, st);
}

int store_session_delete(struct store *s, const unsigned char *hash)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_NR_SESSION_DELETE, &st);
    if (rc)
        return rc;
    s->ops->bind_blob(st, 1, hash, STORE_HASH_LEN);
    return finish(s, st);
}

int store_session_delete_user(struct store *s, int64_t user_id, const unsigned char *keep, int *n)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_NR_SESSION_DELETE_USER, &st);
    if (rc)
        return rc;
    B_I64(st, 1, user_id);
    if (keep)
        s->ops->bind_blob(st, 2, keep, STORE_HASH_LEN);
    else
        s->ops->bind_null(st, 2);
    int count = 0;
    while ((rc = STEP(st)) == MH_OK)
        count++;
    DONE(st);
    if (n)
        *n = count;
    return rc == STORE_DONE ? MH_OK : rc;
}

int store_session_purge(struct store *s, int64_t idle_before, int64_t absolute_before)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_NR_SESSION_PURGE, &st);
    if (rc)
        return rc;
    B_I64(st, 1, idle_before);
    B_I64(st, 2, absolute_before);
    return finish(s, st);
}

int store_signin_fail_add(struct store *s, struct str key, int64_t at)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_NR_FAIL_ADD, &st);
    if (rc)
        return rc;
    B_STR(st, 1, key);
    B_I64(st, 2, at);
    return finish(s, st);
}

int store_signin_fail_count(struct store *s, struct str key, int64_t since, int *n,
                            int64_t *oldest)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_NR_FAIL_COUNT, &st);
    if (rc)
        return rc;
    B_STR(st, 1, key);
    B_I64(st, 2, since);
    rc = STEP1(st);
    if (rc == MH_OK) {
        *n = (int)C_I64(st, 0);
        *oldest = C_I64(st, 1);
    }
    DONE(st);
    return rc;
}

int store_signin_fail_clear(struct store *s, struct str key)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_NR_FAIL_CLEAR, &st);
    if (rc)
        return rc;
    B_STR(st, 1, key);
    return finish(s, st);
}

int store_signin_fail_purge(struct store *s, int64_t before)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_NR_FAIL_PURGE, &st);
    if (rc)
        return rc;
    B_I64(st, 1, before);
    return finish(s, st);
}

/* ------------------------------------------------------------------ */
/* Edit locks                                                           */

int store_lock_get(struct store *s, struct arena *arena, int64_t id, struct store_lock *out)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_NR_LOCK_GET, &st);
    if (rc)
        return rc;
    B_I64(st, 1, id);
    rc = STEP1(st);
    if (rc == MH_OK) {
        out->article_id = C_I64(st, 0);
        out->login = C_STR(st, 1);
        out->display_name = C_STR(st, 2);
        out->since = C_I64(st, 3);
        out->expires_at = C_I64(st, 4);
    }
    DONE(st);
    return rc;
}

int store_lock_put(struct store *s, const struct store_lock *l)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_NR_LOCK_PUT, &st);
    if (rc)
        return rc;
    B_I64(st, 1, l->article_id);
    B_STR(st, 2, l->login);
    B_STR(st, 3, l->display_name);
    B_I64(st, 4, l->since);
    B_I64(st, 5, l->expires_at);
    return finish(s, st);
}

int store_lock_delete(struct store *s, int64_t id, struct str login)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_NR_LOCK_DELETE, &st);
    if (rc)
        return rc;
    B_I64(st, 1, id);
    B_STR(st, 2, login);
    return finish(s, st);
}

/* ------------------------------------------------------------------ */
/* Autosaves and revisions: the editable fields of an article            */

/* Images as the revision table keeps them: "media_id\tcaption\tcredit\talt"
 * lines. */
static void images_join(struct buf *b, const struct article *a)
{
    for (size_t i = 0; i < a->n_images; i++) {
        const struct article_image *im = &a->images[i];
        buf_addf(b, "%s%lld\t", i ? "\n" : "", (long long)im->media_id);
        buf_addstr(b, im->caption);
        buf_addc(b, '\t');
        buf_addstr(b, im->credit);
        buf_addc(b, '\t');
        buf_addstr(b, im->alt);
    }
}

static struct str next_field(struct str *rest, char sep)
{
    const char *p = memchr(rest->ptr, sep, rest->len);
    struct str f = str_make(rest->ptr, p ? (size_t)(p - rest->ptr) : rest->len);
    size_t skip = p ? f.len + 1 : f.len;
    rest->ptr += skip;
    rest->len -= skip;
    return f;
}

static int media_by_id(struct store *s, struct arena *arena, int64_t id, struct article_image *im)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_NR_MEDIA_BY_ID, &st);
    if (rc)
        return rc;
    B_I64(st, 1, id);
    rc = STEP1(st);
    if (rc == MH_OK) { /* MEDIA_COLS: id, kind, sha256, path, mime, width, height, ... */
        im->media_id = C_I64(st, 0);
        im->sha256 = C_STR(st, 2);
        im->path = C_STR(st, 3);
        im->mime = C_STR(st, 4);
        im->width = (int)C_I64(st, 5);
        im->height = (int)C_I64(st, 6);
    }
    DONE(st);
    return rc;
}

/* Resolve the image lines TEXT into A->images; a media row that has gone
 * is dropped (it cannot be shown). */
static int images_split(struct store *s, struct arena *arena, struct str text, struct article *a)
{
    size_t cap = 0;
    for (size_t i = 0; i < text.len; i++)
        cap += text.ptr[i] == '\n';
    cap += text.len > 0;
    a->images = cap ? arena_zalloc(arena, cap * sizeof(*a->images)) : NULL;
    a->n_images = 0;
    while (text.len > 0) {
        struct str line = next_field(&text, '\n');
        struct str id = next_field(&line, '\t');
        int64_t media_id;
        if (str_to_i64(id, 1, INT64_MAX, &media_id) != MH_OK)
            continue;
        struct article_image *im = &a->images[a->n_images];
        int rc = media_by_id(s, arena, media_id, im);
        if (rc == MH_NOTFOUND)
            continue;
        if (rc)
            return rc;
        im->caption = arena_str(arena, next_field(&line, '\t'));
        im->credit = arena_str(arena, next_field(&line, '\t'));
        im->alt = arena_str(arena, line);
        a->n_images++;
    }
    return MH_OK;
}

int store_autosave_put(struct store *s, const struct article *a, struct str login, int64_t now)
{
    struct store_stmt *st;
    struct arena scratch;
    struct buf authors, keywords, images;
    arena_init(&scratch, 0);
    buf_init(&authors, &scratch, MH_MAX_LIST * (MH_MAX_FIELD + 1));
    buf_init(&keywords, &scratch, MH_MAX_LIST * (MH_MAX_FIELD + 1));
    buf_init(&images, &scratch, MH_MAX_LIST * (3 * MH_MAX_FIELD + 32));
    store_list_join(&authors, a->authors, a->n_authors);
    store_list_join(&keywords, a->keywords, a->n_keywords);
    images_join(&images, a);
    int rc = authors.err ? authors.err : keywords.err ? keywords.err : images.err;
    if (rc == MH_OK)
        rc = stmt_prepare(s, Q_NR_AUTOSAVE_PUT, &st);
    if (rc == MH_OK) {
        B_I64(st, 1, a->id);
        B_STR(st, 2, login);
        B_I64(st, 3, a->revision);
        B_I64(st, 4, now);
        B_STR(st, 5, a->channel);
        B_STR(st, 6, a->title);
        B_STR(st, 7, a->subtitle);
        B_STR(st, 8, a->kicker);
        B_STR(st, 9, buf_str(&authors));
        B_STR(st, 10, a->editor);
        B_STR(st, 11, a->source);
        B_STR(st, 12, buf_str(&keywords));
        B_STR(st, 13, a->abstract);
        B_STR(st, 14, a->body);
        B_STR(st, 15, str_c(body_format_name(a->body_format)));
        B_STR(st, 16, buf_str(&images));
        rc = finish(s, st);
    }
    arena_release(&scratch);
    return rc;
}

/* A row of Q_NR_AUTOSAVE_GET or Q_NR_REVISION_GET (the same columns). */
static int fields_row(struct store *s, struct store_stmt *st, struct arena *arena,
                      struct article *a, struct str *images)
{
    a->revision = (int)C_I64(st, 0);
    a->updated_at = C_I64(st, 1);
    store_article_text_row(s, st, arena, a);
    *images = C_STR(st, 13);
    return MH_OK;
}

static int fields_get(struct store *s, struct arena *arena, struct store_stmt *st,
                      struct article *out, int64_t id)
{
    struct str images = STR_NULL;
    int rc = STEP1(st);
    memset(out, 0, sizeof(*out));
    out->id = id;
    if (rc == MH_OK)
        rc = fields_row(s, st, arena, out, &images);
    DONE(st);
    if (rc == MH_OK)
        rc = images_split(s, arena, images, out);
    return rc;
}

int store_autosave_get(struct store *s, struct arena *arena, int64_t id, struct str login,
                       struct article *out)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_NR_AUTOSAVE_GET, &st);
    if (rc)
        return rc;
    B_I64(st, 1, id);
    B_STR(st, 2, login);
    return fields_get(s, arena, st, out, id);
}

int store_autosave_delete(struct store *s, int64_t id, struct str login)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_NR_AUTOSAVE_DELETE, &st);
    if (rc)
        return rc;
    B_I64(st, 1, id);
    B_STR(st, 2, login);
    return finish(s, st);
}

static void revision_row(struct store *s, struct store_stmt *st, struct arena *arena, void *out)
{
    struct store_revision_info *r = out;
    r->revision = (int)C_I64(st, 0);
    r->saved_at = C_I64(st, 1);
    r->saved_by = C_STR(st, 2);
    r->note = C_STR(st, 3);
}

int store_revisions(struct store *s, struct arena *arena, int64_t id,
                    struct store_revision_info **out, size_t *n)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_NR_REVISIONS, &st);
    if (rc)
        return rc;
    B_I64(st, 1, id);
    return store_collect(s, st, revision_row, arena, sizeof(**out), (void **)out, n);
}

int store_revision_get(struct store *s, struct arena *arena, int64_t id, int revision,
                       struct article *out)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_NR_REVISION_GET, &st);
    if (rc)
        return rc;
    B_I64(st, 1, id);
    B_I64(st, 2, revision);
    return fields_get(s, arena, st, out, id);
}

/* ------------------------------------------------------------------ */
/* Scheduling                                                           */

static void id_row(struct store *s, struct store_stmt *st, struct arena *arena, void *out)
{
    (void)arena;
    *(int64_t *)out = C_I64(st, 0);
}

int store_scheduled_due(struct store *s, struct arena *arena, int64_t now, int64_t **ids,
                        size_t *n)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_NR_SCHEDULED_DUE, &st);
    if (rc)
        return rc;
    B_I64(st, 1, now);
    return store_collect(s, st, id_row, arena, sizeof(**ids), (void **)ids, n);
}

int store_scheduled_next(struct store *s, int64_t *at)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_NR_SCHEDULED_NEXT, &st);
    if (rc)
        return rc;
    rc = STEP1(st);
    if (rc == MH_OK)
        *at = C_I64(st, 0);
    DONE(st);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Audit log and channel order                                          */

static void audit_row(struct store *s, struct store_stmt *st, struct arena *arena, void *out)
{
    struct store_audit_entry *e = out;
    e->id = C_I64(st, 0);
    e->at = C_I64(st, 1);
    e->login = C_STR(st, 2);
    e->action = C_STR(st, 3);
    e->object = C_STR(st, 4);
    e->detail = C_STR(st, 5);
    e->address = C_STR(st, 6);
}

int store_audit_list(struct store *s, struct arena *arena, struct str login, struct str object,
                     int64_t before_id, int limit, struct store_audit_entry **out, size_t *n)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, object.len ? Q_NR_AUDIT_BY_OBJECT : Q_NR_AUDIT_LIST, &st);
    if (rc)
        return rc;
    B_STR(st, 1, login);
    if (object.len)
        B_STR(st, 2, object);
    B_I64(st, 3, before_id);
    B_I64(st, 4, limit);
    return store_collect(s, st, audit_row, arena, sizeof(**out), (void **)out, n);
}

int store_channel_position(struct store *s, struct str edition, int64_t id, int position)
{
    struct store_stmt *st;
    store_channel_cache_clear(s);
    int rc = stmt_prepare(s, Q_NR_CHANNEL_POSITION, &st);
    if (rc)
        return rc;
    B_I64(st, 1, id);
    B_STR(st, 2, edition);
    B_I64(st, 3, position);
    rc = STEP1(st);
    DONE(st);
    return rc;
}
