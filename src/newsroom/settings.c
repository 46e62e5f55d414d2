/* SPDX-License-Identifier: MIT */
/*
 * settings.c - curation and the site's settings as newsroom operations:
 * Top News, friendly and footer links, channels, editions, users and roles,
 * and reading the audit log.  Each checks the rule, validates, writes and
 * audits in one transaction.  The reader site sees each change at once: it
 * is a commit like any other.
 */
#include "core/compat.h"

#include "auth/auth.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/utf8.h"
#include "model/date.h"
#include "newsroom/newsroom.h"
#include "newsroom/newsroom_int.h"
#include "store/store.h"

static int need(struct newsroom_ctx *nr, enum newsroom_action action)
{
    if (newsroom_may(nr->who.role, action, NULL))
        return MH_OK;
    if ((unsigned)nr->who.role >= ROLE_COUNT)
        return nr_refuse(nr, MH_FORBIDDEN, NULL, "please sign in");
    return nr_refuse(nr, MH_FORBIDDEN, NULL, "a%s %s may not do %s",
                     nr->who.role == ROLE_ADMIN || nr->who.role == ROLE_EDITOR ? "n" : "",
                     user_role_name(nr->who.role), newsroom_action_name(action));
}

static int line_ok(struct newsroom_ctx *nr, const char *field, struct str v, size_t max,
                   bool required)
{
    v = nr_nz(v);
    if (required && str_trim(v).len == 0)
        return nr_refuse(nr, MH_INVAL, field, "the %s is required", field);
    if (v.len > max)
        return nr_refuse(nr, MH_TOOBIG, field, "the %s is longer than %zu bytes", field, max);
    if (!utf8_valid(v, NULL) || utf8_has_controls(v, false))
        return nr_refuse(nr, MH_INVAL, field, "the %s has characters that are not allowed",
                         field);
    return MH_OK;
}

/* A URL segment: lower-case letters, digits and '-'. */
static int slug_ok(struct newsroom_ctx *nr, const char *field, struct str v)
{
    if (v.len == 0 || v.len > 64)
        return nr_refuse(nr, MH_INVAL, field, "the %s must be 1 to 64 characters", field);
    for (size_t i = 0; i < v.len; i++) {
        char c = v.ptr[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return nr_refuse(nr, MH_INVAL, field,
                             "the %s may hold only a-z, 0-9 and '-' (it is part of URLs)", field);
    }
    return MH_OK;
}

static int done(struct newsroom_ctx *nr, int rc)
{
    if (rc == MH_OK)
        return store_commit(nr->store);
    store_rollback(nr->store);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Top News                                                             */

int newsroom_top_news_set(struct newsroom_ctx *nr, struct str edition,
                          const struct curation_slot *slots, size_t n)
{
    struct arena arena;
    struct edition e;
    int64_t now = clock_now_ms();
    int rc = need(nr, NR_CURATE_TOP_NEWS);
    if (rc)
        return rc;
    if (n > MH_MAX_LIST)
        return nr_refuse(nr, MH_TOOBIG, "slots", "at most %d Top News entries", MH_MAX_LIST);
    arena_init(&arena, 0);
    rc = store_edition_get(nr->store, &arena, edition, &e);
    if (rc == MH_NOTFOUND)
        rc = nr_refuse(nr, MH_INVAL, "edition", "there is no edition '%.*s'", (int)edition.len,
                       edition.ptr);
    struct curation_slot *copy = arena_zalloc(&arena, (n ? n : 1) * sizeof(*copy));
    for (size_t i = 0; i < n && rc == MH_OK; i++) {
        struct article_card card;
        copy[i] = slots[i];
        copy[i].edition = edition;
        copy[i].slot = STR_LIT("top");
        copy[i].position = (int)i;
        rc = store_card_get(nr->store, &arena, slots[i].article_id, &card);
        if (rc == MH_NOTFOUND)
            rc = nr_refuse(nr, MH_INVAL, "article_id", "article %lld is not published",
                           (long long)slots[i].article_id);
        else if (rc == MH_OK && !str_eq(card.edition, edition))
            rc = nr_refuse(nr, MH_INVAL, "article_id", "article %lld is in another edition",
                           (long long)slots[i].article_id);
        if (rc == MH_OK)
            rc = line_ok(nr, "title", slots[i].title, MH_MAX_FIELD, false);
        if (rc == MH_OK && slots[i].summary.len > MH_MAX_ABSTRACT)
            rc = nr_refuse(nr, MH_TOOBIG, "summary", "the summary is too long");
        if (rc == MH_OK && !utf8_valid(nr_nz(slots[i].summary), NULL))
            rc = nr_refuse(nr, MH_INVAL, "summary", "the summary is not valid UTF-8");
        if (rc == MH_OK && slots[i].expires_at != 0 && slots[i].expires_at <= now)
            rc = nr_refuse(nr, MH_INVAL, "expires_at", "the expiry must be in the future");
        for (size_t j = 0; j < i && rc == MH_OK; j++)
            if (slots[j].article_id == slots[i].article_id)
                rc = nr_refuse(nr, MH_INVAL, "article_id", "article %lld is listed twice",
                               (long long)slots[i].article_id);
    }
    if (rc == MH_OK)
        rc = store_begin(nr->store);
    if (rc == MH_OK) {
        rc = store_curation_set(nr->store, edition, STR_LIT("top"), copy, n);
        if (rc == MH_OK)
            rc = nr_audit(nr, "curation.top_news", str_c("edition"), "%.*s: %zu entries",
                          (int)edition.len, edition.ptr, n);
        rc = done(nr, rc);
    }
    arena_release(&arena);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Links                                                                */

static bool url_ok(struct str u)
{
    u = nr_nz(u);
    if (u.len == 0 || u.len > 2048 || !utf8_valid(u, NULL) || utf8_has_controls(u, false))
        return false;
    for (size_t i = 0; i < u.len; i++)
        if (u.ptr[i] == ' ' || u.ptr[i] == '"' || u.ptr[i] == '<' || u.ptr[i] == '>')
            return false;
    if (u.ptr[0] == '/')
        return u.len == 1 || u.ptr[1] != '/'; /* site-relative, not protocol-relative */
    return (str_starts(u, "https://") && u.len > 8) || (str_starts(u, "http://") && u.len > 7);
}

int newsroom_links_put(struct newsroom_ctx *nr, struct link_group *g)
{
    struct arena arena;
    struct edition e;
    int rc = need(nr, NR_MANAGE_LINKS);
    if (rc == MH_OK)
        rc = slug_ok(nr, "slug", g->slug);
    if (rc == MH_OK)
        rc = line_ok(nr, "name", g->name, MH_MAX_FIELD, true);
    if (rc == MH_OK && g->n_links > 200)
        rc = nr_refuse(nr, MH_TOOBIG, "links", "at most 200 links in a group");
    if (rc == MH_OK && g->kind != LINKS_FRIENDLY && g->kind != LINKS_FOOTER)
        rc = nr_refuse(nr, MH_INVAL, "kind", "a link group is friendly or footer");
    for (size_t i = 0; i < g->n_links && rc == MH_OK; i++) {
        rc = line_ok(nr, "title", g->links[i].title, MH_MAX_FIELD, true);
        if (rc == MH_OK && !url_ok(g->links[i].url))
            rc = nr_refuse(nr, MH_INVAL, "url",
                           "link %zu: a URL is http://, https:// or starts with one /", i + 1);
    }
    if (rc)
        return rc;
    arena_init(&arena, 0);
    rc = store_edition_get(nr->store, &arena, g->edition, &e);
    arena_release(&arena);
    if (rc == MH_NOTFOUND)
        return nr_refuse(nr, MH_INVAL, "edition", "there is no edition '%.*s'",
                         (int)g->edition.len, g->edition.ptr);
    if (rc == MH_OK)
        rc = store_begin(nr->store);
    if (rc)
        return rc;
    rc = store_link_group_put(nr->store, g);
    if (rc == MH_OK)
        rc = nr_audit(nr, "links.put", str_c("links"), "%.*s/%.*s (%s): %zu links",
                      (int)g->edition.len, g->edition.ptr, (int)g->slug.len, g->slug.ptr,
                      g->kind == LINKS_FOOTER ? "footer" : "friendly", g->n_links);
    return done(nr, rc);
}

/* ------------------------------------------------------------------ */
/* Channels and editions                                                */

int newsroom_channel_put(struct newsroom_ctx *nr, struct channel *c)
{
    struct arena arena;
    struct channel old;
    struct edition e;
    char obj[48];
    int rc = need(nr, NR_MANAGE_CHANNELS);
    if (rc == MH_OK)
        rc = slug_ok(nr, "slug", c->slug);
    if (rc == MH_OK)
        rc = line_ok(nr, "name", c->name, MH_MAX_FIELD, true);
    if (rc == MH_OK)
        rc = line_ok(nr, "search_name", c->search_name, MH_MAX_FIELD, false);
    if (rc == MH_OK && (c->description.len > MH_MAX_ABSTRACT || !utf8_valid(nr_nz(c->description), NULL)))
        rc = nr_refuse(nr, MH_INVAL, "description", "the description is too long or not UTF-8");
    if (rc == MH_OK && c->kind != CHANNEL_REGULAR && c->kind != CHANNEL_SPECIAL)
        rc = nr_refuse(nr, MH_INVAL, "kind", "a channel is regular or special");
    if (rc == MH_OK && c->kind == CHANNEL_REGULAR && c->end_at != 0)
        rc = nr_refuse(nr, MH_INVAL, "end_at", "only a special topic has an end date");
    if (rc)
        return rc;
    arena_init(&arena, 0);
    rc = store_edition_get(nr->store, &arena, c->edition, &e);
    if (rc == MH_NOTFOUND)
        rc = nr_refuse(nr, MH_INVAL, "edition", "there is no edition '%.*s'",
                       (int)c->edition.len, c->edition.ptr);
    if (rc == MH_OK) {
        int grc = store_channel_get(nr->store, &arena, c->edition, c->slug, &old);
        if (grc == MH_OK && c->id != 0 && old.id != c->id)
            rc = nr_refuse(nr, MH_CONFLICT, "slug", "another channel already has that slug");
        else if (grc == MH_NOTFOUND && c->id != 0)
            rc = nr_refuse(nr, MH_INVAL, "slug",
                           "a channel's slug is part of its URLs and cannot change");
        else if (grc == MH_OK && c->id == 0)
            rc = nr_refuse(nr, MH_CONFLICT, "slug", "a channel with that slug exists");
        else if (grc != MH_OK && grc != MH_NOTFOUND)
            rc = grc;
    }
    if (rc == MH_OK && c->parent_id != 0) {
        struct channel *all;
        size_t n;
        bool found = false;
        rc = store_channels(nr->store, &arena, c->edition, &all, &n);
        for (size_t i = 0; i < n && rc == MH_OK; i++)
            found |= all[i].id == c->parent_id && all[i].parent_id == 0;
        if (rc == MH_OK && (!found || c->parent_id == c->id))
            rc = nr_refuse(nr, MH_INVAL, "parent_id",
                           "the parent must be a top-level channel of the same edition");
    }
    arena_release(&arena);
    if (rc == MH_OK)
        rc = store_begin(nr->store);
    if (rc)
        return rc;
    bool is_new = c->id == 0;
    rc = store_channel_put(nr->store, c);
    if (rc == MH_OK)
        rc = nr_audit(nr, is_new ? "channel.add" : "channel.change",
                      nr_object(obj, sizeof(obj), "channel", c->id), "%.*s/%.*s: %.*s",
                      (int)c->edition.len, c->edition.ptr, (int)c->slug.len, c->slug.ptr,
                      (int)(c->name.len < 200 ? c->name.len : 200), c->name.ptr);
    return done(nr, rc);
}

int newsroom_channel_order(struct newsroom_ctx *nr, struct str edition, const int64_t *ids,
                           size_t n)
{
    int rc = need(nr, NR_MANAGE_CHANNELS);
    if (rc)
        return rc;
    if (n > 1000)
        return nr_refuse(nr, MH_TOOBIG, "ids", "too many channels");
    rc = store_begin(nr->store);
    if (rc)
        return rc;
    for (size_t i = 0; i < n && rc == MH_OK; i++) {
        rc = store_channel_position(nr->store, edition, ids[i], (int)i);
        if (rc == MH_NOTFOUND)
            rc = nr_refuse(nr, MH_INVAL, "ids", "channel %lld is not in edition '%.*s'",
                           (long long)ids[i], (int)edition.len, edition.ptr);
    }
    if (rc == MH_OK)
        rc = nr_audit(nr, "channel.order", str_c("channels"), "%.*s: %zu channels",
                      (int)edition.len, edition.ptr, n);
    return done(nr, rc);
}

int newsroom_edition_put(struct newsroom_ctx *nr, const struct edition *e)
{
    int rc = need(nr, NR_MANAGE_EDITIONS);
    if (rc == MH_OK)
        rc = slug_ok(nr, "slug", e->slug);
    if (rc == MH_OK)
        rc = line_ok(nr, "name", e->name, MH_MAX_FIELD, true);
    if (rc == MH_OK)
        rc = line_ok(nr, "lang", e->lang, 35, true);
    if (rc == MH_OK && !date_zone_valid(e->tz))
        rc = nr_refuse(nr, MH_INVAL, "tz", "unknown time zone '%.*s'", (int)e->tz.len,
                       e->tz.ptr);
    if (rc == MH_OK && e->base_url.len &&
        (!url_ok(e->base_url) || e->base_url.ptr[0] == '/' ||
         e->base_url.ptr[e->base_url.len - 1] == '/'))
        rc = nr_refuse(nr, MH_INVAL, "base_url",
                       "the base URL is http(s)://host[/path] without a trailing slash");
    if (rc == MH_OK)
        rc = store_begin(nr->store);
    if (rc)
        return rc;
    rc = store_edition_put(nr->store, e);
    if (rc == MH_OK)
        rc = nr_audit(nr, "edition.put", str_c("editions"), "%.*s: %.*s", (int)e->slug.len,
                      e->slug.ptr, (int)(e->name.len < 200 ? e->name.len : 200), e->name.ptr);
    return done(nr, rc);
}

/* ------------------------------------------------------------------ */
/* Users                                                                */

static int login_ok(struct newsroom_ctx *nr, struct str login)
{
    if (login.len == 0 || login.len > MH_MAX_LOGIN)
        return nr_refuse(nr, MH_INVAL, "login", "a login has 1 to %d characters", MH_MAX_LOGIN);
    for (size_t i = 0; i < login.len; i++) {
        char c = login.ptr[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == '_'))
            return nr_refuse(nr, MH_INVAL, "login", "a login may hold letters, digits, '.', "
                                                    "'-' and '_'");
    }
    return MH_OK;
}

int newsroom_user_add(struct newsroom_ctx *nr, struct user *u, struct str password)
{
    char hash[AUTH_HASH_MAX];
    int rc = need(nr, NR_MANAGE_USERS);
    if (rc == MH_OK)
        rc = login_ok(nr, u->login);
    if (rc == MH_OK)
        rc = line_ok(nr, "display_name", u->display_name, MH_MAX_FIELD, false);
    if (rc == MH_OK && (unsigned)u->role >= ROLE_COUNT)
        rc = nr_refuse(nr, MH_INVAL, "role", "no such role");
    if (rc)
        return rc;
    if (auth_hash_password(password, hash) != MH_OK)
        return nr_refuse(nr, MH_INVAL, "password",
                         "a password has %d to %d characters and no control characters",
                         AUTH_MIN_PASSWORD, (int)MH_MAX_PASSWORD);
    rc = store_begin(nr->store);
    if (rc)
        return rc;
    u->created_at = clock_now_ms();
    rc = store_user_add(nr->store, u, hash);
    if (rc == MH_CONFLICT)
        nr_refuse(nr, MH_CONFLICT, "login", "the login '%.*s' is taken", (int)u->login.len,
                  u->login.ptr);
    if (rc == MH_OK)
        rc = nr_audit(nr, "user.add", str_c("users"), "%.*s as %s", (int)u->login.len,
                      u->login.ptr, user_role_name(u->role));
    return done(nr, rc);
}

static int user_exists(struct newsroom_ctx *nr, struct arena *arena, struct str login,
                       struct user *u, char **hash)
{
    int rc = store_user_get(nr->store, arena, login, u, hash);
    if (rc == MH_NOTFOUND)
        return nr_refuse(nr, MH_NOTFOUND, "login", "there is no user '%.*s'", (int)login.len,
                         login.ptr);
    return rc;
}

int newsroom_user_set_role(struct newsroom_ctx *nr, struct str login, enum user_role role)
{
    struct arena arena;
    struct user u;
    int rc = need(nr, NR_MANAGE_USERS);
    if (rc == MH_OK && (unsigned)role >= ROLE_COUNT)
        rc = nr_refuse(nr, MH_INVAL, "role", "no such role");
    if (rc == MH_OK && str_eq(login, nr->who.login) && role != ROLE_ADMIN)
        rc = nr_refuse(nr, MH_CONFLICT, "role", "you cannot take away your own admin role");
    if (rc)
        return rc;
    arena_init(&arena, 0);
    rc = user_exists(nr, &arena, login, &u, NULL);
    if (rc == MH_OK)
        rc = store_begin(nr->store);
    if (rc == MH_OK) {
        rc = store_user_set_role(nr->store, login, role);
        if (rc == MH_OK)
            rc = nr_audit(nr, "user.role", str_c("users"), "%.*s: %s -> %s", (int)login.len,
                          login.ptr, user_role_name(u.role), user_role_name(role));
        rc = done(nr, rc);
    }
    arena_release(&arena);
    return rc;
}

int newsroom_user_set_disabled(struct newsroom_ctx *nr, struct str login, bool disabled)
{
    struct arena arena;
    struct user u;
    int ended = 0;
    int rc = need(nr, NR_MANAGE_USERS);
    if (rc == MH_OK && disabled && str_eq(login, nr->who.login))
        rc = nr_refuse(nr, MH_CONFLICT, "login", "you cannot disable your own account");
    if (rc)
        return rc;
    arena_init(&arena, 0);
    rc = user_exists(nr, &arena, login, &u, NULL);
    if (rc == MH_OK)
        rc = store_begin(nr->store);
    if (rc == MH_OK) {
        rc = store_user_set_disabled(nr->store, login, disabled);
        if (rc == MH_OK && disabled)
            rc = store_session_delete_user(nr->store, u.id, NULL, &ended);
        if (rc == MH_OK)
            rc = nr_audit(nr, disabled ? "user.disable" : "user.enable", str_c("users"),
                          "%.*s (%d session%s ended)", (int)login.len, login.ptr, ended,
                          ended == 1 ? "" : "s");
        rc = done(nr, rc);
    }
    arena_release(&arena);
    return rc;
}

int newsroom_user_set_password(struct newsroom_ctx *nr, struct str login, struct str old_password,
                               struct str new_password)
{
    struct arena arena;
    struct user u;
    char *old_hash = NULL;
    char hash[AUTH_HASH_MAX];
    bool self = str_eq(login, nr->who.login) && (unsigned)nr->who.role < ROLE_COUNT;
    int rc = self ? MH_OK : need(nr, NR_MANAGE_USERS);
    if (rc)
        return rc;
    arena_init(&arena, 0);
    rc = user_exists(nr, &arena, login, &u, &old_hash);
    if (rc == MH_OK && self && !auth_verify_password(old_hash, old_password))
        rc = nr_refuse(nr, MH_FORBIDDEN, "old_password", "the current password is wrong");
    if (rc == MH_OK && auth_hash_password(new_password, hash) != MH_OK)
        rc = nr_refuse(nr, MH_INVAL, "password",
                       "a password has %d to %d characters and no control characters",
                       AUTH_MIN_PASSWORD, (int)MH_MAX_PASSWORD);
    if (rc == MH_OK)
        rc = store_begin(nr->store);
    if (rc == MH_OK) {
        int ended = 0;
        rc = store_user_set_password(nr->store, login, hash);
        /* other sessions end; the one acting (if it is the user's) goes on */
        if (rc == MH_OK)
            rc = store_session_delete_user(nr->store, u.id, NULL, &ended);
        if (rc == MH_OK)
            rc = nr_audit(nr, "user.password", str_c("users"), "%.*s (%d session%s ended)",
                          (int)login.len, login.ptr, ended, ended == 1 ? "" : "s");
        rc = done(nr, rc);
    }
    arena_release(&arena);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Audit log                                                            */

int newsroom_audit_list(struct newsroom_ctx *nr, struct arena *arena,
                        const struct newsroom_audit_filter *f, struct newsroom_audit_entry **out,
                        size_t *n)
{
    struct store_audit_entry *rows;
    size_t count;
    *out = NULL;
    *n = 0;
    if (!newsroom_may(nr->who.role, NR_READ_AUDIT, NULL)) {
        /* the history of one article is open to whoever may see it */
        int64_t id;
        if (f->object.ptr == NULL || !str_starts(f->object, "article:") ||
            str_to_i64(str_make(f->object.ptr + 8, f->object.len - 8), 1, INT64_MAX, &id) !=
                MH_OK)
            return need(nr, NR_READ_AUDIT);
        int rc = nr_check_article(nr, id, NR_ARTICLE_VIEW, NULL, NULL);
        if (rc)
            return rc;
    }
    int limit = f->limit <= 0 ? 100 : f->limit > 500 ? 500 : f->limit;
    int rc = store_audit_list(nr->store, arena, f->login, f->object, f->before_id, limit, &rows,
                              &count);
    if (rc)
        return rc;
    *out = arena_zalloc(arena, (count ? count : 1) * sizeof(**out));
    for (size_t i = 0; i < count; i++) {
        (*out)[i].id = rows[i].id;
        (*out)[i].at = rows[i].at;
        (*out)[i].login = rows[i].login;
        (*out)[i].action = rows[i].action;
        (*out)[i].object = rows[i].object;
        (*out)[i].detail = rows[i].detail;
        (*out)[i].address = rows[i].address;
    }
    *n = count;
    return MH_OK;
}
