/* SPDX-License-Identifier: MIT */
/*
 * store.c - the portable half of the store: connections, transactions, and
 * the small objects (editions, channels, users, links, curation, page views,
 * audit, checks).  Articles and media are in article.c.  Everything here is
 * written against store_int.h, never against a backend.
 */
#include "core/compat.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "model/date.h"
#include "store/store_int.h"

int store_open(const char *path, bool create, bool readonly, struct store **out, char *errbuf,
               size_t errlen)
{
    struct store *s = mh_calloc(1, sizeof(*s));
    s->ops = &store_sqlite_ops;
    s->scratch = mh_malloc(sizeof(struct arena));
    arena_init(s->scratch, 64 * 1024);
    int rc = s->ops->open(s, path, create, readonly, errbuf, errlen);
    if (rc == MH_OK && !readonly)
        rc = store_migrate(s, errbuf, errlen);
    if (rc == MH_OK && readonly) {
        int v = store_db_version(s);
        if (v > store_schema_version()) {
            snprintf(errbuf, errlen,
                     "the database was made by a newer Masthead (schema %d; this one knows up "
                     "to %d): upgrade masthead to open it",
                     v, store_schema_version());
            rc = MH_CONFLICT;
        } else if (v < store_schema_version()) {
            snprintf(errbuf, errlen,
                     "the database has schema %d and needs migrating to %d; open it once "
                     "without read-only",
                     v, store_schema_version());
            rc = MH_CONFLICT;
        }
    }
    if (rc) {
        store_close(s);
        return rc;
    }
    *out = s;
    return MH_OK;
}

void store_close(struct store *s)
{
    if (s == NULL)
        return;
    if (s->tx_depth)
        s->ops->exec(s, "ROLLBACK");
    s->ops->close(s);
    free(s->channels);
    arena_release(s->scratch);
    free(s->scratch);
    free(s);
}

int store_data_version(struct store *s, int64_t *out)
{
    return s->ops->data_version(s, out);
}

const char *store_errmsg(struct store *s)
{
    return s->errmsg[0] ? s->errmsg : s->ops->errmsg(s);
}

static int run(struct store *s, enum store_query q)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, q, &st);
    if (rc)
        return rc;
    rc = STEP(st);
    DONE(st);
    return rc == STORE_DONE ? MH_OK : rc;
}

int store_begin(struct store *s)
{
    s->errmsg[0] = '\0';
    int rc = run(s, s->tx_depth > 0 ? Q_SAVEPOINT : Q_BEGIN);
    if (rc == MH_OK)
        s->tx_depth++;
    return rc;
}

int store_commit(struct store *s)
{
    if (s->tx_depth == 0)
        MH_BUG("store_commit without store_begin");
    if (s->tx_depth > 1) {
        int rc = run(s, Q_RELEASE);
        if (rc == MH_OK)
            s->tx_depth--;
        return rc;
    }
    int rc = store_search_flush(s); /* the index, in the same transaction */
    if (rc == MH_OK)
        rc = run(s, Q_COMMIT);
    if (rc) {
        /* SQLite may have rolled back already; the reason is the commit's */
        char why[256];
        snprintf(why, sizeof(why), "%s", store_errmsg(s));
        s->ops->exec(s, "ROLLBACK");
        snprintf(s->errmsg, sizeof(s->errmsg), "%s", why);
    }
    s->tx_depth = 0;
    return rc;
}

int store_read_begin(struct store *s)
{
    if (s->tx_depth != 0)
        MH_BUG("store_read_begin inside a transaction");
    s->errmsg[0] = '\0';
    int rc = run(s, Q_BEGIN_READ);
    if (rc == MH_OK)
        s->tx_depth = 1;
    return rc;
}

void store_read_end(struct store *s)
{
    if (s->tx_depth != 1)
        MH_BUG("store_read_end without store_read_begin");
    (void)run(s, Q_COMMIT); /* nothing was written: it cannot fail to keep anything */
    s->tx_depth = 0;
}

void store_rollback(struct store *s)
{
    if (s->tx_depth == 0)
        return;
    store_channel_cache_clear(s); /* it may name a channel just undone */
    if (s->tx_depth > 1) {
        /* undo the inner work but leave the outer transaction usable */
        (void)run(s, Q_ROLLBACK_TO);
        (void)run(s, Q_RELEASE);
    } else {
        (void)run(s, Q_ROLLBACK);
    }
    s->tx_depth--;
}

void store_list_join(struct buf *out, const struct str *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_addc(out, '\n');
        buf_addstr(out, items[i]);
    }
}

void store_list_split(struct arena *arena, struct str joined, struct str **items, size_t *n)
{
    size_t count = joined.len ? 1 : 0;
    for (size_t i = 0; i < joined.len; i++)
        count += joined.ptr[i] == '\n';
    *items = count ? arena_alloc(arena, count * sizeof(struct str)) : NULL;
    *n = count;
    const char *p = joined.ptr, *end = joined.ptr + joined.len;
    for (size_t k = 0; k < count; k++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        (*items)[k] = arena_str(arena, str_make(p, (size_t)(e - p)));
        p = e + 1;
    }
}

/* ------------------------------------------------------------------ */
/* Reading rows                                                         */

static int bind_keys(struct store *s, enum store_query q, const struct str *keys, size_t n_keys,
                     struct store_stmt **st)
{
    int rc = stmt_prepare(s, q, st);
    if (rc)
        return rc;
    for (size_t i = 0; i < n_keys; i++)
        B_STR(*st, (int)i + 1, keys[i]);
    return MH_OK;
}

int store_query_one(struct store *s, enum store_query q, const struct str *keys, size_t n_keys,
                    store_row_fn *row, struct arena *arena, void *out)
{
    struct store_stmt *st;
    int rc = bind_keys(s, q, keys, n_keys, &st);
    if (rc)
        return rc;
    rc = STEP1(st);
    if (rc == MH_OK)
        row(s, st, arena, out);
    DONE(st);
    return rc;
}

int store_collect(struct store *s, struct store_stmt *st, store_row_fn *row, struct arena *arena,
                  size_t size, void **out, size_t *n)
{
    size_t cap = 8;
    int rc;
    *n = 0;
    *out = arena_alloc(arena, cap * size);
    while ((rc = STEP(st)) == MH_OK) {
        if (*n == cap) {
            *out = arena_realloc(arena, *out, cap * size, 2 * cap * size);
            cap *= 2;
        }
        void *item = (char *)*out + *n * size;
        memset(item, 0, size);
        row(s, st, arena, item);
        (*n)++;
    }
    DONE(st);
    return rc == STORE_DONE ? MH_OK : rc;
}

int store_query_all(struct store *s, enum store_query q, const struct str *keys, size_t n_keys,
                    store_row_fn *row, struct arena *arena, size_t size, void **out, size_t *n)
{
    struct store_stmt *st;
    int rc = bind_keys(s, q, keys, n_keys, &st);
    if (rc)
        return rc;
    return store_collect(s, st, row, arena, size, out, n);
}

/* ------------------------------------------------------------------ */
/* Editions and channels                                                */

int store_edition_put(struct store *s, const struct edition *e)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_EDITION_PUT, &st);
    if (rc)
        return rc;
    B_STR(st, 1, e->slug);
    B_STR(st, 2, e->name);
    B_STR(st, 3, e->lang);
    B_STR(st, 4, e->tz);
    B_STR(st, 5, e->base_url);
    B_I64(st, 6, e->position);
    B_I64(st, 7, e->is_default);
    rc = STEP(st);
    DONE(st);
    return rc == STORE_DONE ? MH_OK : rc;
}

static void edition_row(struct store *s, struct store_stmt *st, struct arena *arena, void *out)
{
    struct edition *e = out;
    e->slug = C_STR(st, 0);
    e->name = C_STR(st, 1);
    e->lang = C_STR(st, 2);
    e->tz = C_STR(st, 3);
    e->base_url = C_STR(st, 4);
    e->position = (int)C_I64(st, 5);
    e->is_default = C_I64(st, 6) != 0;
}

int store_edition_get(struct store *s, struct arena *arena, struct str slug, struct edition *out)
{
    return store_query_one(s, Q_EDITION_GET, &slug, 1, edition_row, arena, out);
}

int store_editions(struct store *s, struct arena *arena, struct edition **out, size_t *n)
{
    return store_query_all(s, Q_EDITIONS, NULL, 0, edition_row, arena, sizeof(**out),
                           (void **)out, n);
}

static void channel_bind(struct store *s, struct store_stmt *st, const struct channel *c)
{
    B_I64(st, 1, c->id);
    B_STR(st, 2, c->edition);
    B_TIME(st, 3, c->parent_id);
    B_STR(st, 4, c->slug);
    B_STR(st, 5, c->name);
    B_STR(st, 6, c->search_name.len ? c->search_name : c->name);
    B_I64(st, 7, c->position);
    B_STR(st, 8, c->description);
    B_STR(st, 9, str_c(channel_kind_name(c->kind)));
    B_TIME(st, 10, c->end_at);
}

int store_channel_put(struct store *s, struct channel *c)
{
    struct store_stmt *st;
    int64_t id = 0;
    store_channel_cache_clear(s);
    int rc = stmt_prepare(s, Q_CHANNEL_FIND, &st);
    if (rc)
        return rc;
    B_STR(st, 1, c->edition);
    B_STR(st, 2, c->slug);
    rc = STEP(st);
    if (rc == MH_OK)
        id = C_I64(st, 0);
    DONE(st);
    if (rc != MH_OK && rc != STORE_DONE)
        return rc;
    c->id = id;
    rc = stmt_prepare(s, id ? Q_CHANNEL_UPDATE : Q_CHANNEL_INSERT, &st);
    if (rc)
        return rc;
    channel_bind(s, st, c);
    rc = STEP(st);
    if (rc == MH_OK && id == 0)
        c->id = C_I64(st, 0);
    DONE(st);
    return rc == STORE_DONE ? MH_OK : rc;
}

static void channel_row(struct store *s, struct store_stmt *st, struct arena *arena, void *out)
{
    struct channel *c = out;
    c->id = C_I64(st, 0);
    c->edition = C_STR(st, 1);
    c->parent_id = C_I64(st, 2);
    c->slug = C_STR(st, 3);
    c->name = C_STR(st, 4);
    c->search_name = C_STR(st, 5);
    c->position = (int)C_I64(st, 6);
    c->description = C_STR(st, 7);
    c->kind = CHANNEL_REGULAR;
    if (channel_kind_parse(s->ops->col_str(st, 8), &c->kind) != MH_OK)
        c->kind = CHANNEL_REGULAR;
    c->end_at = C_I64(st, 9);
}

int store_channel_get(struct store *s, struct arena *arena, struct str edition, struct str slug,
                      struct channel *out)
{
    struct str keys[] = {edition, slug};
    return store_query_one(s, Q_CHANNEL_GET, keys, 2, channel_row, arena, out);
}

int store_channels(struct store *s, struct arena *arena, struct str edition, struct channel **out,
                   size_t *n)
{
    return store_query_all(s, Q_CHANNELS, &edition, 1, channel_row, arena, sizeof(**out),
                           (void **)out, n);
}

/* ------------------------------------------------------------------ */
/* Users                                                                */

int store_user_add(struct store *s, struct user *u, const char *hash)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_USER_ADD, &st);
    if (rc)
        return rc;
    B_STR(st, 1, u->login);
    B_STR(st, 2, u->display_name.len ? u->display_name : u->login);
    B_STR(st, 3, str_c(user_role_name(u->role)));
    B_STR(st, 4, str_c(hash));
    B_I64(st, 5, u->created_at ? u->created_at : clock_now_ms());
    B_I64(st, 6, u->disabled);
    rc = STEP(st);
    if (rc == MH_OK)
        u->id = C_I64(st, 0);
    DONE(st);
    return rc;
}

/* A user and, from the seventh column, the password hash. */
struct user_with_hash {
    struct user u;
    struct str hash;
};

static void user_row(struct store *s, struct store_stmt *st, struct arena *arena, void *out)
{
    struct user *u = out;
    u->id = C_I64(st, 0);
    u->login = C_STR(st, 1);
    u->display_name = C_STR(st, 2);
    if (user_role_parse(s->ops->col_str(st, 3), &u->role) != MH_OK)
        u->role = ROLE_REPORTER;
    u->created_at = C_I64(st, 4);
    u->disabled = C_I64(st, 5) != 0;
}

static void user_hash_row(struct store *s, struct store_stmt *st, struct arena *arena, void *out)
{
    struct user_with_hash *uh = out;
    user_row(s, st, arena, &uh->u);
    uh->hash = C_STR(st, 6);
}

int store_user_get(struct store *s, struct arena *arena, struct str login, struct user *out,
                   char **hash_out)
{
    struct user_with_hash uh;
    int rc = store_query_one(s, Q_USER_GET, &login, 1, user_hash_row, arena, &uh);
    if (rc == MH_OK) {
        *out = uh.u;
        if (hash_out)
            *hash_out = (char *)uh.hash.ptr;
    }
    return rc;
}

int store_user_set_password(struct store *s, struct str login, const char *hash)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_USER_SET_PASSWORD, &st);
    if (rc)
        return rc;
    B_STR(st, 1, login);
    B_STR(st, 2, str_c(hash));
    rc = STEP1(st);
    DONE(st);
    return rc;
}

int store_users(struct store *s, struct arena *arena, struct user **out, size_t *n)
{
    return store_query_all(s, Q_USERS, NULL, 0, user_row, arena, sizeof(**out), (void **)out, n);
}

/* ------------------------------------------------------------------ */
/* Links and curation                                                   */

int store_link_group_put(struct store *s, struct link_group *g)
{
    struct store_stmt *st;
    int64_t id = 0;
    int rc = store_begin(s);
    if (rc)
        return rc;
    rc = stmt_prepare(s, Q_LINK_GROUP_FIND, &st);
    if (rc)
        goto out;
    B_STR(st, 1, g->edition);
    B_STR(st, 2, g->slug);
    rc = STEP(st);
    if (rc == MH_OK)
        id = C_I64(st, 0);
    DONE(st);
    if (rc != MH_OK && rc != STORE_DONE)
        goto out;
    rc = stmt_prepare(s, id ? Q_LINK_GROUP_UPDATE : Q_LINK_GROUP_INSERT, &st);
    if (rc)
        goto out;
    B_I64(st, 1, id);
    B_STR(st, 2, g->edition);
    B_STR(st, 3, g->slug);
    B_STR(st, 4, g->name);
    B_STR(st, 5, str_c(g->kind == LINKS_FOOTER ? "footer" : "friendly"));
    B_I64(st, 6, g->position);
    rc = STEP(st);
    if (rc == MH_OK && id == 0)
        id = C_I64(st, 0);
    DONE(st);
    if (rc != MH_OK && rc != STORE_DONE)
        goto out;
    g->id = id;
    rc = stmt_prepare(s, Q_LINK_DELETE, &st);
    if (rc)
        goto out;
    B_I64(st, 1, id);
    rc = STEP(st);
    DONE(st);
    if (rc != STORE_DONE)
        goto out;
    rc = MH_OK;
    for (size_t i = 0; i < g->n_links && rc == MH_OK; i++) {
        rc = stmt_prepare(s, Q_LINK_INSERT, &st);
        if (rc)
            break;
        B_I64(st, 1, id);
        B_I64(st, 2, (int64_t)i);
        B_STR(st, 3, g->links[i].title);
        B_STR(st, 4, g->links[i].url);
        rc = STEP(st);
        DONE(st);
        if (rc == STORE_DONE)
            rc = MH_OK;
    }
out:
    if (rc) {
        store_rollback(s);
        return rc;
    }
    return store_commit(s);
}

static void link_group_row(struct store *s, struct store_stmt *st, struct arena *arena,
                           void *out)
{
    struct link_group *g = out;
    g->id = C_I64(st, 0);
    g->edition = C_STR(st, 1);
    g->slug = C_STR(st, 2);
    g->name = C_STR(st, 3);
    g->kind = str_eq_c(s->ops->col_str(st, 4), "footer") ? LINKS_FOOTER : LINKS_FRIENDLY;
    g->position = (int)C_I64(st, 5);
}

static void link_row(struct store *s, struct store_stmt *st, struct arena *arena, void *out)
{
    struct link *l = out;
    l->title = C_STR(st, 0);
    l->url = C_STR(st, 1);
}

int store_link_groups(struct store *s, struct arena *arena, struct str edition,
                      struct link_group **out, size_t *n)
{
    int rc = store_query_all(s, Q_LINK_GROUPS, &edition, 1, link_group_row, arena, sizeof(**out),
                             (void **)out, n);
    for (size_t i = 0; rc == MH_OK && i < *n; i++) {
        struct link_group *g = &(*out)[i];
        struct store_stmt *st;
        rc = stmt_prepare(s, Q_LINKS, &st);
        if (rc)
            return rc;
        B_I64(st, 1, g->id);
        rc = store_collect(s, st, link_row, arena, sizeof(*g->links), (void **)&g->links,
                           &g->n_links);
    }
    return rc;
}

int store_curation_set(struct store *s, struct str edition, struct str slot,
                       const struct curation_slot *slots, size_t n)
{
    struct store_stmt *st;
    int rc = store_begin(s);
    if (rc)
        return rc;
    rc = stmt_prepare(s, Q_CURATION_DELETE, &st);
    if (rc == MH_OK) {
        B_STR(st, 1, edition);
        B_STR(st, 2, slot);
        rc = STEP(st);
        DONE(st);
        if (rc == STORE_DONE)
            rc = MH_OK;
    }
    for (size_t i = 0; i < n && rc == MH_OK; i++) {
        rc = stmt_prepare(s, Q_CURATION_INSERT, &st);
        if (rc)
            break;
        B_STR(st, 1, edition);
        B_STR(st, 2, slot);
        B_I64(st, 3, (int64_t)i);
        B_I64(st, 4, slots[i].article_id);
        B_STR(st, 5, slots[i].title);
        B_STR(st, 6, slots[i].summary);
        B_TIME(st, 7, slots[i].expires_at);
        rc = STEP(st);
        DONE(st);
        if (rc == STORE_DONE)
            rc = MH_OK;
    }
    if (rc) {
        store_rollback(s);
        return rc;
    }
    return store_commit(s);
}

static void curation_row(struct store *s, struct store_stmt *st, struct arena *arena, void *out)
{
    struct curation_slot *c = out;
    c->position = (int)C_I64(st, 0);
    c->article_id = C_I64(st, 1);
    c->title = C_STR(st, 2);
    c->summary = C_STR(st, 3);
    c->expires_at = C_I64(st, 4);
}

int store_curation_get(struct store *s, struct arena *arena, struct str edition, struct str slot,
                       struct curation_slot **out, size_t *n)
{
    struct str keys[] = {edition, slot};
    int rc = store_query_all(s, Q_CURATION_GET, keys, 2, curation_row, arena, sizeof(**out),
                             (void **)out, n);
    for (size_t i = 0; rc == MH_OK && i < *n; i++) {
        (*out)[i].edition = arena_str(arena, edition);
        (*out)[i].slot = arena_str(arena, slot);
    }
    return rc;
}

/* ------------------------------------------------------------------ */
/* Page views and audit                                                 */

int store_pageviews_add(struct store *s, int64_t article_id, int64_t hour, int64_t count)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_PAGEVIEW_ADD, &st);
    if (rc)
        return rc;
    B_I64(st, 1, article_id);
    B_I64(st, 2, hour);
    B_I64(st, 3, count);
    rc = STEP(st);
    DONE(st);
    return rc == STORE_DONE ? MH_OK : rc;
}

int store_pageviews_total(struct store *s, int64_t article_id, int64_t *out)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_PAGEVIEW_TOTAL, &st);
    if (rc)
        return rc;
    B_I64(st, 1, article_id);
    rc = STEP1(st);
    if (rc == MH_OK)
        *out = C_I64(st, 0);
    DONE(st);
    return rc;
}

int store_audit(struct store *s, struct str login, struct str action, struct str object,
                struct str detail, struct str address)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_AUDIT_ADD, &st);
    if (rc)
        return rc;
    B_I64(st, 1, clock_now_ms());
    B_STR(st, 2, login);
    B_STR(st, 3, action);
    B_STR(st, 4, object);
    B_STR(st, 5, detail);
    B_STR(st, 6, address);
    rc = STEP(st);
    DONE(st);
    return rc == STORE_DONE ? MH_OK : rc;
}

/* ------------------------------------------------------------------ */
/* Checks                                                               */

static int check_query(struct store *s, enum store_query q, store_problem_fn *fn, void *ctx,
                       int *problems)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, q, &st);
    if (rc)
        return rc;
    while ((rc = STEP(st)) == MH_OK) {
        struct str line = s->ops->col_str(st, 0);
        char msg[512];
        snprintf(msg, sizeof(msg), "%.*s", (int)line.len, line.ptr);
        fn(ctx, msg);
        (*problems)++;
    }
    DONE(st);
    return rc == STORE_DONE ? MH_OK : rc;
}

struct hash_check {
    struct store *s;
    store_problem_fn *fn;
    void *ctx;
    int *problems;
};

static int check_article(void *ctx, const struct article *a)
{
    struct hash_check *hc = ctx;
    unsigned char want[STORE_HASH_LEN], have[STORE_HASH_LEN];
    char msg[256];
    store_article_hash(a, want);
    int rc = store_article_hash_get(hc->s, a->id, have);
    if (rc)
        return rc;
    if (memcmp(want, have, sizeof(want)) != 0) {
        snprintf(msg, sizeof(msg),
                 "article %lld: stored content hash does not match its content (changed "
                 "outside Masthead?)",
                 (long long)a->id);
        hc->fn(hc->ctx, msg);
        (*hc->problems)++;
    }
    return MH_OK;
}

int store_check(struct store *s, store_problem_fn *fn, void *ctx, int *problems)
{
    static const enum store_query queries[] = {
        Q_CHECK_CHANNEL_EDITION, Q_CHECK_PUBLISHED_DATES, Q_CHECK_LEAD_IMAGE,
        Q_CHECK_DEFAULT_EDITION, Q_CHECK_CHANNEL_PARENT,
    };
    struct arena arena;
    struct edition *eds;
    size_t n;
    *problems = 0;
    int rc = s->ops->check(s, fn, ctx, problems);
    if (rc)
        return rc;
    if (*problems) /* a damaged file: the model checks would only add noise */
        return MH_OK;
    for (size_t i = 0; i < MH_ARRAY_LEN(queries) && rc == MH_OK; i++)
        rc = check_query(s, queries[i], fn, ctx, problems);
    if (rc)
        return rc;
    arena_init(&arena, 0);
    rc = store_editions(s, &arena, &eds, &n);
    for (size_t i = 0; rc == MH_OK && i < n; i++) {
        if (!date_zone_valid(eds[i].tz)) {
            char msg[256];
            snprintf(msg, sizeof(msg), "edition '%.*s': unknown time zone '%.*s'",
                     (int)eds[i].slug.len, eds[i].slug.ptr, (int)eds[i].tz.len, eds[i].tz.ptr);
            fn(ctx, msg);
            (*problems)++;
        }
    }
    arena_release(&arena);
    if (rc)
        return rc;
    struct hash_check hc = {s, fn, ctx, problems};
    return store_article_each(s, STR_NULL, check_article, &hc);
}
