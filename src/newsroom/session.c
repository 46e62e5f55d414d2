/* SPDX-License-Identifier: MIT */
/*
 * session.c - sign-in, server-side sessions, CSRF tokens and the session
 * cookie.  A session is a random token the browser keeps; the store keeps
 * only its BLAKE2b hash, so a copy of the database signs nobody in.  The
 * CSRF token is a keyed hash of the session token: bound to the session,
 * never stored.  Failed sign-ins are counted in the store per login and per
 * address.  Cookie attributes are the UI's to send; we give the values.
 */
#include "core/compat.h"

#include <pthread.h>
#include <sodium.h>

#include "auth/auth.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/limits.h"
#include "newsroom/newsroom.h"
#include "newsroom/newsroom_int.h"
#include "store/store.h"

#define TOKEN_BYTES 32
#define TOUCH_EVERY_MS (60 * 1000) /* renew the idle timer at most once a minute */

static void encode(const unsigned char *bin, char out[NEWSROOM_TOKEN_LEN + 1])
{
    sodium_bin2base64(out, NEWSROOM_TOKEN_LEN + 1, bin, TOKEN_BYTES,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static bool token_well_formed(struct str t)
{
    if (t.len != NEWSROOM_TOKEN_LEN)
        return false;
    for (size_t i = 0; i < t.len; i++) {
        char c = t.ptr[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return false;
    }
    return true;
}

static void token_hash(struct str token, unsigned char out[STORE_HASH_LEN])
{
    crypto_generichash(out, STORE_HASH_LEN, (const unsigned char *)token.ptr, token.len, NULL, 0);
}

static void csrf_for(struct str token, char out[NEWSROOM_TOKEN_LEN + 1])
{
    static const char what[] = "masthead-csrf-v1";
    unsigned char mac[TOKEN_BYTES];
    crypto_generichash(mac, sizeof(mac), (const unsigned char *)what, sizeof(what) - 1,
                       (const unsigned char *)token.ptr, token.len);
    encode(mac, out);
}

bool newsroom_csrf_ok(const struct newsroom_session *session, struct str csrf)
{
    if (session == NULL || csrf.len != NEWSROOM_TOKEN_LEN ||
        strlen(session->csrf) != NEWSROOM_TOKEN_LEN)
        return false;
    return sodium_memcmp(session->csrf, csrf.ptr, NEWSROOM_TOKEN_LEN) == 0;
}

/* A hash to verify against when the login is unknown, so that an unknown
 * login costs the same time as a wrong password. */
static char dummy_hash[AUTH_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
    if (auth_hash_password(STR_LIT("no such user, no such password"), dummy_hash) != MH_OK)
        dummy_hash[0] = '\0';
}

static void fill_actor(struct newsroom_actor *who, const struct user *u, struct arena *arena,
                       struct str address)
{
    who->user_id = u->id;
    who->login = u->login;
    who->display_name = u->display_name;
    who->role = u->role;
    who->address = arena_str(arena, address);
}

static int refuse_signin(struct newsroom_ctx *nr, struct str login, struct str address,
                         int64_t now, const char *why)
{
    char key[MH_MAX_LOGIN + 16];
    struct newsroom_actor saved = nr->who;
    int rc = store_begin(nr->store);
    if (rc)
        return rc;
    snprintf(key, sizeof(key), "login:%.*s", (int)login.len, login.ptr);
    rc = store_signin_fail_add(nr->store, str_c(key), now);
    if (rc == MH_OK) {
        snprintf(key, sizeof(key), "addr:%.*s", (int)(address.len < 64 ? address.len : 64),
                 address.ptr);
        rc = store_signin_fail_add(nr->store, str_c(key), now);
    }
    if (rc == MH_OK) {
        nr->who.login = login;
        nr->who.address = address;
        rc = nr_audit(nr, "signin.failed", STR_NULL, "%s", why);
        nr->who = saved;
    }
    if (rc == MH_OK)
        rc = store_commit(nr->store);
    else
        store_rollback(nr->store);
    if (rc)
        return rc;
    return nr_refuse(nr, MH_FORBIDDEN, "password", "wrong login or password");
}

/* MH_TIMEOUT when KEY has too many recent failures. */
static int limited(struct newsroom_ctx *nr, const char *key, int max, int64_t now,
                   int64_t *retry_after)
{
    int n = 0;
    int64_t oldest = 0;
    int rc = store_signin_fail_count(nr->store, str_c(key), now - nr->policy->fail_window_ms, &n,
                                     &oldest);
    if (rc)
        return rc;
    if (n < max)
        return MH_OK;
    int64_t wait = oldest + nr->policy->fail_window_ms - now;
    if (wait < 1000)
        wait = 1000;
    if (retry_after)
        *retry_after = wait;
    return nr_refuse(nr, MH_TIMEOUT, NULL,
                     "too many failed sign-ins; try again in %lld minute%s",
                     (long long)((wait + 59999) / 60000), wait > 60000 ? "s" : "");
}

int newsroom_signin(struct newsroom_ctx *nr, struct arena *arena, struct str login,
                    struct str password, struct str address, struct newsroom_session *out,
                    int64_t *retry_after_ms)
{
    char key[MH_MAX_LOGIN + 80];
    int64_t now = clock_now_ms();
    memset(out, 0, sizeof(*out));
    if (retry_after_ms)
        *retry_after_ms = 0;
    if (login.len == 0 || login.len > MH_MAX_LOGIN)
        return nr_refuse(nr, MH_INVAL, "login", "enter your login");
    if (password.len == 0 || password.len > MH_MAX_PASSWORD)
        return nr_refuse(nr, MH_INVAL, "password", "enter your password");
    address = nr_nz(address);
    if (address.len > 64)
        address.len = 64;

    snprintf(key, sizeof(key), "login:%.*s", (int)login.len, login.ptr);
    int rc = limited(nr, key, nr->policy->max_fails_account, now, retry_after_ms);
    if (rc == MH_OK) {
        snprintf(key, sizeof(key), "addr:%.*s", (int)address.len, address.ptr);
        rc = limited(nr, key, nr->policy->max_fails_address, now, retry_after_ms);
    }
    if (rc == MH_TIMEOUT) {
        struct newsroom_actor saved = nr->who;
        nr->who.login = login;
        nr->who.address = address;
        char msg[sizeof(nr->message)];
        memcpy(msg, nr->message, sizeof(msg));
        if (nr_audit(nr, "signin.limited", STR_NULL, "rate limit") != MH_OK)
            (void)0; /* the refusal stands either way */
        memcpy(nr->message, msg, sizeof(msg));
        nr->who = saved;
        return MH_TIMEOUT;
    }
    if (rc)
        return rc;

    struct user u;
    char *hash = NULL;
    rc = store_user_get(nr->store, arena, login, &u, &hash);
    if (rc == MH_NOTFOUND || (rc == MH_OK && u.disabled)) {
        pthread_once(&dummy_once, make_dummy);
        if (dummy_hash[0])
            (void)auth_verify_password(dummy_hash, password);
        return refuse_signin(nr, login, address, now,
                             rc == MH_NOTFOUND ? "unknown login" : "disabled");
    }
    if (rc)
        return rc;
    if (!auth_verify_password(hash, password))
        return refuse_signin(nr, login, address, now, "wrong password");

    unsigned char bin[TOKEN_BYTES], h[STORE_HASH_LEN];
    randombytes_buf(bin, sizeof(bin));
    encode(bin, out->token);
    sodium_memzero(bin, sizeof(bin));
    token_hash(str_c(out->token), h);
    csrf_for(str_c(out->token), out->csrf);
    fill_actor(&out->who, &u, arena, address);
    out->created_at = out->seen_at = now;
    int64_t idle = now + nr->policy->session_idle_ms;
    int64_t abs_end = now + nr->policy->session_absolute_ms;
    out->expires_at = idle < abs_end ? idle : abs_end;

    rc = store_begin(nr->store);
    if (rc)
        return rc;
    snprintf(key, sizeof(key), "login:%.*s", (int)login.len, login.ptr);
    rc = store_signin_fail_clear(nr->store, str_c(key));
    if (rc == MH_OK)
        rc = store_signin_fail_purge(nr->store, now - nr->policy->fail_window_ms);
    if (rc == MH_OK)
        rc = store_session_purge(nr->store, now - nr->policy->session_idle_ms,
                                 now - nr->policy->session_absolute_ms);
    if (rc == MH_OK)
        rc = store_session_add(nr->store, h, u.id, now, address);
    if (rc == MH_OK) {
        nr->who = out->who;
        rc = nr_audit(nr, "signin", STR_NULL, "session started");
    }
    if (rc == MH_OK)
        rc = store_commit(nr->store);
    else
        store_rollback(nr->store);
    if (rc)
        memset(out, 0, sizeof(*out));
    return rc;
}

int newsroom_session_check(struct newsroom_ctx *nr, struct arena *arena, struct str token,
                           struct str address, struct newsroom_session *out)
{
    unsigned char h[STORE_HASH_LEN];
    int64_t user_id, created, seen, now = clock_now_ms();
    memset(out, 0, sizeof(*out));
    address = nr_nz(address);
    if (!token_well_formed(token))
        return nr_refuse(nr, MH_NOTFOUND, NULL, "please sign in");
    token_hash(token, h);
    int rc = store_session_get(nr->store, h, &user_id, &created, &seen);
    if (rc == MH_NOTFOUND)
        return nr_refuse(nr, MH_NOTFOUND, NULL, "please sign in");
    if (rc)
        return rc;
    int64_t idle_end = seen + nr->policy->session_idle_ms;
    int64_t abs_end = created + nr->policy->session_absolute_ms;
    if (now >= idle_end || now >= abs_end) {
        if (store_session_delete(nr->store, h) != MH_OK)
            (void)0; /* expired either way; the purge at the next sign-in removes it */
        return nr_refuse(nr, MH_NOTFOUND, NULL, "your session has expired; please sign in again");
    }
    struct user u;
    rc = store_user_by_id(nr->store, arena, user_id, &u, NULL);
    if (rc == MH_NOTFOUND || (rc == MH_OK && u.disabled))
        return nr_refuse(nr, MH_NOTFOUND, NULL, "please sign in");
    if (rc)
        return rc;
    if (now - seen >= TOUCH_EVERY_MS) {
        rc = store_session_touch(nr->store, h, now);
        if (rc)
            return rc;
        seen = now;
        idle_end = now + nr->policy->session_idle_ms;
    }
    memcpy(out->token, token.ptr, NEWSROOM_TOKEN_LEN);
    out->token[NEWSROOM_TOKEN_LEN] = '\0';
    csrf_for(token, out->csrf);
    fill_actor(&out->who, &u, arena, address);
    out->created_at = created;
    out->seen_at = seen;
    out->expires_at = idle_end < abs_end ? idle_end : abs_end;
    nr->who = out->who;
    return MH_OK;
}

int newsroom_signout(struct newsroom_ctx *nr, struct str token)
{
    unsigned char h[STORE_HASH_LEN];
    if (!token_well_formed(token))
        return MH_OK;
    token_hash(token, h);
    int rc = store_begin(nr->store);
    if (rc)
        return rc;
    rc = store_session_delete(nr->store, h);
    if (rc == MH_OK)
        rc = nr_audit(nr, "signout", STR_NULL, "session ended");
    if (rc == MH_OK)
        return store_commit(nr->store);
    store_rollback(nr->store);
    return rc;
}

int newsroom_signout_everywhere(struct newsroom_ctx *nr, struct str login, int *ended)
{
    struct arena arena;
    struct user u;
    int n = 0;
    if (ended)
        *ended = 0;
    if ((unsigned)nr->who.role >= ROLE_COUNT)
        return nr_refuse(nr, MH_FORBIDDEN, NULL, "please sign in");
    if (!str_eq(login, nr->who.login) && !newsroom_may(nr->who.role, NR_MANAGE_USERS, NULL))
        return nr_refuse(nr, MH_FORBIDDEN, NULL, "only an admin may sign other users out");
    arena_init(&arena, 0);
    int rc = store_user_get(nr->store, &arena, login, &u, NULL);
    if (rc == MH_NOTFOUND)
        rc = nr_refuse(nr, MH_NOTFOUND, "login", "no such user");
    if (rc == MH_OK)
        rc = store_begin(nr->store);
    if (rc == MH_OK) {
        rc = store_session_delete_user(nr->store, u.id, NULL, &n);
        if (rc == MH_OK)
            rc = nr_audit(nr, "signout.everywhere", STR_NULL, "%.*s: %d session%s ended",
                          (int)login.len, login.ptr, n, n == 1 ? "" : "s");
        if (rc == MH_OK)
            rc = store_commit(nr->store);
        else
            store_rollback(nr->store);
    }
    arena_release(&arena);
    if (rc == MH_OK && ended)
        *ended = n;
    return rc;
}

/* ------------------------------------------------------------------ */
/* The cookie                                                           */

int newsroom_cookie_token(struct str header, struct str *token)
{
    static const char name[] = NEWSROOM_COOKIE_NAME;
    const size_t name_len = sizeof(name) - 1;
    if (header.len == 0 || header.ptr == NULL)
        return MH_NOTFOUND;
    const char *p = header.ptr, *end = header.ptr + header.len;
    while (p < end) {
        /* one "name=value" pair up to ';' */
        const char *semi = memchr(p, ';', (size_t)(end - p));
        const char *stop = semi ? semi : end;
        struct str pair = str_trim(str_make(p, (size_t)(stop - p)));
        const char *eq = pair.len ? memchr(pair.ptr, '=', pair.len) : NULL;
        if (eq) {
            struct str key = str_trim(str_make(pair.ptr, (size_t)(eq - pair.ptr)));
            struct str value = str_trim(str_make(eq + 1, (size_t)(pair.ptr + pair.len - eq - 1)));
            if (key.len == name_len && memcmp(key.ptr, name, name_len) == 0) {
                if (value.len >= 2 && value.ptr[0] == '"' && value.ptr[value.len - 1] == '"')
                    value = str_make(value.ptr + 1, value.len - 2);
                if (!token_well_formed(value))
                    return MH_INVAL;
                *token = value;
                return MH_OK;
            }
        }
        p = stop + (semi ? 1 : 0);
    }
    return MH_NOTFOUND;
}

void newsroom_cookie_value(const struct newsroom_ctx *nr, struct str token, bool secure,
                           struct buf *out)
{
    buf_adds(out, NEWSROOM_COOKIE_NAME "=");
    if (token.len) {
        buf_addstr(out, token);
        buf_addf(out, "; Max-Age=%lld", (long long)(nr->policy->session_absolute_ms / 1000));
    } else {
        buf_adds(out, "; Max-Age=0");
    }
    buf_adds(out, "; " NEWSROOM_COOKIE_ATTRS);
    if (secure)
        buf_adds(out, "; Secure");
}
