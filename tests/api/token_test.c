/* SPDX-License-Identifier: MIT */
/*
 * token_test.c - API tokens on a real site database: made once and stored
 * only as a digest, accepted in an Authorization header, refused when
 * malformed, altered, revoked or of a disabled user, and their last use
 * noted to the minute.
 */
#include "../check.h"

#include "../newsroom/testclock.h" /* the clock, moved by setenv("MH_NOW_MS") */
#include "api/api.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/store.h"

#define T0 INT64_C(1800000000000)

static struct site *site;
static struct arena A;

static int setup(void **state)
{
    char err[1024], path[4200];
    char *dir = check_tmpdir("api-token");
    (void)state;
    snprintf(path, sizeof(path), "%s/site", dir);
    free(dir);
    assert_int_equal(site_init(path, err, sizeof(err)), MH_OK);
    assert_int_equal(site_open(path, false, &site, err, sizeof(err)), MH_OK);
    struct user u = {.login = STR_LIT("wen"), .display_name = STR_LIT("LI Wen"),
                     .role = ROLE_EDITOR};
    assert_int_equal(store_user_add(site->store, &u, "x"), MH_OK);
    arena_init(&A, 0);
    testclock_set(T0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    arena_release(&A);
    site_close(site);
    return 0;
}

static int check(const char *header, struct user *u)
{
    return api_token_check(site->store, &A, str_c(header), u);
}

static void test_a_token_works_until_revoked(void **state)
{
    char tok[API_TOKEN_LEN + 1], other[API_TOKEN_LEN + 1], hdr[128];
    int64_t id, id2;
    struct user u;
    struct store_token *list;
    size_t n;
    (void)state;
    assert_int_equal(api_token_create(site->store, STR_LIT("wen"), STR_LIT("the app"), tok, &id),
                     MH_OK);
    assert_int_equal(strlen(tok), API_TOKEN_LEN);
    assert_memory_equal(tok, API_TOKEN_PREFIX, strlen(API_TOKEN_PREFIX));
    assert_int_equal(api_token_create(site->store, STR_LIT("wen"), STR_LIT(""), other, &id2),
                     MH_OK);
    assert_string_not_equal(tok, other);
    assert_int_equal(api_token_create(site->store, STR_LIT("nobody"), STR_LIT(""), other, &id2),
                     MH_NOTFOUND);

    /* the list names it by its first characters only */
    assert_int_equal(store_tokens(site->store, &A, &list, &n), MH_OK);
    assert_int_equal(n, 2);
    assert_int_equal(list[0].prefix.len, API_TOKEN_SHOWN);
    assert_memory_equal(list[0].prefix.ptr, tok, API_TOKEN_SHOWN);
    CHECK_STR(list[0].note, "the app");
    assert_int_equal(list[0].last_used_at, 0);

    snprintf(hdr, sizeof(hdr), "Bearer %s", tok);
    assert_int_equal(check(hdr, &u), MH_OK);
    CHECK_STR(u.login, "wen");
    assert_int_equal(u.role, ROLE_EDITOR);
    snprintf(hdr, sizeof(hdr), "  bearer   %s ", tok); /* the scheme is case-insensitive */
    assert_int_equal(check(hdr, &u), MH_OK);

    /* the last use, to the minute */
    assert_int_equal(store_tokens(site->store, &A, &list, &n), MH_OK);
    assert_int_equal(list[0].last_used_at, T0);
    testclock_set(T0 + 30 * 1000);
    snprintf(hdr, sizeof(hdr), "Bearer %s", tok);
    assert_int_equal(check(hdr, &u), MH_OK);
    assert_int_equal(store_tokens(site->store, &A, &list, &n), MH_OK);
    assert_int_equal(list[0].last_used_at, T0);
    testclock_set(T0 + 61 * 1000);
    assert_int_equal(check(hdr, &u), MH_OK);
    assert_int_equal(store_tokens(site->store, &A, &list, &n), MH_OK);
    assert_int_equal(list[0].last_used_at, T0 + 61 * 1000);

    assert_int_equal(store_token_revoke(site->store, id, T0 + 62 * 1000), MH_OK);
    assert_int_equal(check(hdr, &u), MH_FORBIDDEN);
    assert_int_equal(store_token_revoke(site->store, id, T0 + 63 * 1000), MH_NOTFOUND);
    assert_int_equal(store_token_revoke(site->store, 9999, T0), MH_NOTFOUND);
    assert_int_equal(store_tokens(site->store, &A, &list, &n), MH_OK);
    assert_int_equal(list[0].revoked_at, T0 + 62 * 1000);
    assert_int_equal(list[1].revoked_at, 0);
}

static void test_bad_headers_are_refused(void **state)
{
    char tok[API_TOKEN_LEN + 1], hdr[128];
    int64_t id;
    struct user u;
    (void)state;
    assert_int_equal(api_token_create(site->store, STR_LIT("wen"), STR_LIT(""), tok, &id), MH_OK);
    assert_int_equal(check("", &u), MH_NOTFOUND); /* anonymous */
    assert_int_equal(check("   ", &u), MH_NOTFOUND);
    assert_int_equal(check("Basic d2VuOnB3", &u), MH_FORBIDDEN);
    assert_int_equal(check("Bearer", &u), MH_FORBIDDEN);
    assert_int_equal(check("Bearer short", &u), MH_FORBIDDEN);
    assert_int_equal(check(tok, &u), MH_FORBIDDEN); /* no scheme */
    snprintf(hdr, sizeof(hdr), "Bearer %s", tok);
    hdr[strlen(hdr) - 1] ^= 1; /* one character off */
    assert_int_equal(check(hdr, &u), MH_FORBIDDEN);
    snprintf(hdr, sizeof(hdr), "Bearer %sx", tok);
    assert_int_equal(check(hdr, &u), MH_FORBIDDEN);
    /* a disabled user's tokens stop working */
    snprintf(hdr, sizeof(hdr), "Bearer %s", tok);
    assert_int_equal(check(hdr, &u), MH_OK);
    assert_int_equal(store_user_set_disabled(site->store, STR_LIT("wen"), true), MH_OK);
    assert_int_equal(check(hdr, &u), MH_FORBIDDEN);
    assert_int_equal(store_user_set_disabled(site->store, STR_LIT("wen"), false), MH_OK);
    assert_int_equal(check(hdr, &u), MH_OK);
    /* all of a user's tokens at once */
    int n = -1;
    assert_int_equal(store_token_revoke_user(site->store, STR_LIT("wen"), T0, &n), MH_OK);
    assert_int_equal(n, 2); /* this test's, and the one the first test left active */
    assert_int_equal(check(hdr, &u), MH_FORBIDDEN);
    assert_int_equal(store_token_revoke_user(site->store, STR_LIT("wen"), T0, &n), MH_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_token_revoke_user(site->store, STR_LIT("nobody"), T0, NULL), MH_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_token_works_until_revoked),
        cmocka_unit_test(test_bad_headers_are_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
