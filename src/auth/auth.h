/* SPDX-License-Identifier: MIT */
/*
 * auth.h - passwords and secrets: argon2id hashing and verification through
 * libsodium, and random tokens.  Sessions, sign-in and the role rules come
 * with the newsroom; this file owns only the cryptography they rest on.
 */
#ifndef MH_AUTH_AUTH_H
#define MH_AUTH_AUTH_H

#include "core/compat.h"
#include "core/str.h"

#define AUTH_HASH_MAX 128 /* crypto_pwhash_STRBYTES */
#define AUTH_MIN_PASSWORD 8

/* Initialise libsodium; call once before anything else here.  MH_IO when
 * the library cannot start (no entropy source). */
MH_MUST_CHECK int auth_init(void);

/* Hash PASSWORD with argon2id into OUT (NUL-terminated, AUTH_HASH_MAX
 * bytes).  MH_INVAL for a password shorter than AUTH_MIN_PASSWORD or over
 * MH_MAX_PASSWORD bytes, or containing control characters. */
MH_MUST_CHECK int auth_hash_password(struct str password, char out[AUTH_HASH_MAX]);

/* True when PASSWORD matches HASH (constant time). */
bool auth_verify_password(const char *hash, struct str password);

/* A random password of LEN (< CAP) letters and digits, easy to read out:
 * no 0/O/1/l/I. */
void auth_random_password(char *out, size_t cap, size_t len);

#endif
