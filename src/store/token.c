/* SPDX-License-Identifier: MIT */
/*
 * token.c - the JSON API's bearer tokens as rows: add, find by digest,
 * touch, list, revoke.  Only digests reach the database; api/token.c makes
 * the tokens and hashes them.
 */
#include "core/compat.h"

#include "core/arena.h"
#include "core/clock.h"
#include "core/err.h"
#include "store/store_int.h"

int store_token_add(struct store *s, struct str login,
                    const unsigned char hash[STORE_TOKEN_HASH_LEN], struct str prefix,
                    struct str note, int64_t *id)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_TOKEN_ADD, &st);
    if (rc)
        return rc;
    B_STR(st, 1, login);
    s->ops->bind_blob(st, 2, hash, STORE_TOKEN_HASH_LEN);
    B_STR(st, 3, prefix);
    B_STR(st, 4, note);
    B_I64(st, 5, clock_now_ms());
    rc = STEP1(st); /* no row: no such user */
    if (rc == MH_OK)
        *id = C_I64(st, 0);
    DONE(st);
    return rc;
}

/* t.id, u.login, t.prefix, t.note, t.created_at, t.last_used_at, t.revoked_at */
static void token_row(struct store *s, struct store_stmt *st, struct arena *arena, void *out)
{
    struct store_token *t = out;
    t->id = C_I64(st, 0);
    t->login = C_STR(st, 1);
    t->prefix = C_STR(st, 2);
    t->note = C_STR(st, 3);
    t->created_at = C_I64(st, 4);
    t->last_used_at = C_I64(st, 5);
    t->revoked_at = C_I64(st, 6);
}

int store_token_find(struct store *s, struct arena *arena,
                     const unsigned char hash[STORE_TOKEN_HASH_LEN], struct store_token *tok,
                     struct user *user)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_TOKEN_FIND, &st);
    if (rc)
        return rc;
    s->ops->bind_blob(st, 1, hash, STORE_TOKEN_HASH_LEN);
    rc = STEP1(st);
    if (rc == MH_OK) {
        memset(tok, 0, sizeof(*tok));
        memset(user, 0, sizeof(*user));
        token_row(s, st, arena, tok);
        user->id = C_I64(st, 7);
        user->login = tok->login;
        user->display_name = C_STR(st, 8);
        if (user_role_parse(s->ops->col_str(st, 9), &user->role) != MH_OK)
            user->role = ROLE_REPORTER; /* the CHECK constraint makes this unreachable */
        user->created_at = C_I64(st, 10);
        user->disabled = C_I64(st, 11) != 0;
    }
    DONE(st);
    return rc;
}

int store_token_touch(struct store *s, int64_t id, int64_t now)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_TOKEN_TOUCH, &st);
    if (rc)
        return rc;
    B_I64(st, 1, id);
    B_I64(st, 2, now);
    rc = STEP(st);
    DONE(st);
    return rc == STORE_DONE ? MH_OK : rc;
}

int store_tokens(struct store *s, struct arena *arena, struct store_token **out, size_t *n)
{
    return store_query_all(s, Q_TOKENS, NULL, 0, token_row, arena, sizeof(**out), (void **)out,
                           n);
}

int store_token_revoke(struct store *s, int64_t id, int64_t now)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_TOKEN_REVOKE, &st);
    if (rc)
        return rc;
    B_I64(st, 1, id);
    B_I64(st, 2, now);
    rc = STEP1(st);
    DONE(st);
    return rc;
}

int store_token_revoke_user(struct store *s, struct str login, int64_t now, int *n)
{
    struct store_stmt *st;
    int rc = stmt_prepare(s, Q_TOKEN_REVOKE_USER, &st), count = 0;
    if (rc)
        return rc;
    B_STR(st, 1, login);
    B_I64(st, 2, now);
    while ((rc = STEP(st)) == MH_OK)
        count++;
    DONE(st);
    if (n)
        *n = count;
    return rc == STORE_DONE ? MH_OK : rc;
}
