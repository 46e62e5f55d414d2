/* SPDX-License-Identifier: MIT */
/* password.c - argon2id with libsodium's interactive limits (64 MiB, 2 passes). */
#include "core/compat.h"

#include <sodium.h>

#include "auth/auth.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/utf8.h"

int auth_init(void)
{
    return sodium_init() < 0 ? MH_IO : MH_OK;
}

int auth_hash_password(struct str password, char out[AUTH_HASH_MAX])
{
    if (password.len < AUTH_MIN_PASSWORD || password.len > MH_MAX_PASSWORD ||
        !utf8_valid(password, NULL) || utf8_has_controls(password, false))
        return MH_INVAL;
    if (crypto_pwhash_str(out, password.ptr, password.len, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        MH_BUG("argon2id ran out of memory");
    return MH_OK;
}

bool auth_verify_password(const char *hash, struct str password)
{
    if (password.len > MH_MAX_PASSWORD)
        return false;
    return crypto_pwhash_str_verify(hash, password.ptr, password.len) == 0;
}

void auth_random_password(char *out, size_t cap, size_t len)
{
    static const char alphabet[] = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    if (len >= cap)
        MH_BUG("password buffer of %zu for %zu characters", cap, len);
    for (size_t i = 0; i < len; i++)
        out[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
    out[len] = '\0';
}
