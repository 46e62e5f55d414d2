/* SPDX-License-Identifier: MIT */
/*
 * token.c - bearer tokens of the API.  A token is "mht_" and 32 random
 * bytes in base64url; the store keeps its BLAKE2b digest (libsodium's
 * generichash), never the token, so a copy of the database lets nobody in.
 * 256 random bits need no salt nor slow hash: the digest is only an index.
 */
#include "core/compat.h"

#include <sodium.h>
#include <strings.h>

#include "api/api.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "store/store.h"

#define RANDOM_BYTES 32

static void digest(struct str token, unsigned char out[STORE_TOKEN_HASH_LEN])
{
    crypto_generichash(out, STORE_TOKEN_HASH_LEN, (const unsigned char *)token.ptr, token.len,
                       NULL, 0);
}

int api_token_create(struct store *s, struct str login, struct str note,
                     char out[API_TOKEN_LEN + 1], int64_t *id)
{
    unsigned char raw[RANDOM_BYTES], hash[STORE_TOKEN_HASH_LEN];
    size_t pre = strlen(API_TOKEN_PREFIX);
    if (sodium_init() < 0)
        return MH_IO;
    randombytes_buf(raw, sizeof(raw));
    memcpy(out, API_TOKEN_PREFIX, pre);
    sodium_bin2base64(out + pre, API_TOKEN_LEN + 1 - pre, raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof(raw));
    struct str token = str_make(out, API_TOKEN_LEN);
    digest(token, hash);
    return store_token_add(s, login, hash, str_make(out, API_TOKEN_SHOWN), note, id);
}

int api_token_check(struct store *s, struct arena *arena, struct str auth, struct user *user)
{
    unsigned char hash[STORE_TOKEN_HASH_LEN];
    struct store_token tok;
    struct str token;
    auth = str_trim(auth);
    if (auth.len == 0)
        return MH_NOTFOUND;
    /* "Bearer" is case-insensitive (RFC 6750 via RFC 7235); one or more spaces */
    if (auth.len < 7 || strncasecmp(auth.ptr, "Bearer ", 7) != 0)
        return MH_FORBIDDEN;
    token = str_trim(str_make(auth.ptr + 7, auth.len - 7));
    if (token.len != API_TOKEN_LEN || !str_starts(token, API_TOKEN_PREFIX))
        return MH_FORBIDDEN;
    digest(token, hash);
    int rc = store_token_find(s, arena, hash, &tok, user);
    if (rc == MH_NOTFOUND || (rc == MH_OK && user->disabled))
        return MH_FORBIDDEN;
    if (rc)
        return rc;
    /* the last use, to the minute: most reads then take no write lock at all; and a
     * failed note of the use must not refuse the request */
    int64_t now = clock_now_ms();
    if (tok.last_used_at <= now - 60000 && store_token_touch(s, tok.id, now) != MH_OK)
        log_error("cannot record the use of API token %lld", (long long)tok.id);
    return MH_OK;
}
