/* SPDX-License-Identifier: MIT */
/*
 * session_test.c - sign-in, sessions with idle and absolute expiry (time
 * moved with MH_NOW_MS), sign-out everywhere, rate limits per account and
 * per address, CSRF tokens, and the cookie, on a real site database.
 */
#include "../check.h"

#include "auth/auth.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "newsroom/newsroom.h"
#include "store/store.h"
#include "testclock.h"

#define T0 INT64_C(1800000000000)
#define MIN (60 * 1000)

struct fixture {
    char *dir;
    struct site *site;
    struct arena arena;
    struct newsroom_ctx nr;
};

static struct fixture *F;

static void add_user(const char *login, enum user_role role, const char *password, bool disabled)
{
    char hash[AUTH_HASH_MAX];
    struct user u = {0};
    u.login = str_c(login);
    u.display_name = str_c(login);
    u.role = role;
    u.disabled = disabled;
    assert_int_equal(auth_hash_password(str_c(password), hash), MH_OK);
    assert_int_equal(store_user_add(F->site->store, &u, hash), MH_OK);
}

static int group_setup(void **state)
{
    char err[1024], path[4200];
    (void)state;
    F = mh_calloc(1, sizeof(*F));
    assert_int_equal(auth_init(), MH_OK);
    F->dir = check_tmpdir("newsroom-session");
    snprintf(path, sizeof(path), "%s/site", F->dir);
    assert_int_equal(site_init(path, err, sizeof(err)), MH_OK);
    assert_int_equal(site_open(path, false, &F->site, err, sizeof(err)), MH_OK);
    arena_init(&F->arena, 0);
    testclock_set(T0);
    add_user("rita", ROLE_REPORTER, "correct horse", false);
    add_user("ada", ROLE_ADMIN, "battery staple", false);
    add_user("gone", ROLE_EDITOR, "correct horse", true);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    site_close(F->site);
    arena_release(&F->arena);
    free(F->dir);
    free(F);
    return 0;
}

static int setup(void **state)
{
    (void)state;
    testclock_set(T0);
    newsroom_ctx_init(&F->nr, F->site->store, NULL);
    return 0;
}

static int signin(const char *login, const char *password, const char *addr,
                  struct newsroom_session *s)
{
    int64_t retry = 0;
    return newsroom_signin(&F->nr, &F->arena, str_c(login), str_c(password), str_c(addr), s,
                           &retry);
}

static void test_signin_and_expiry(void **state)
{
    (void)state;
    struct newsroom_session s, c;
    assert_int_equal(signin("rita", "correct horse", "10.0.0.1", &s), MH_OK);
    assert_int_equal(strlen(s.token), NEWSROOM_TOKEN_LEN);
    assert_int_equal(strlen(s.csrf), NEWSROOM_TOKEN_LEN);
    assert_int_not_equal(strcmp(s.token, s.csrf), 0);
    CHECK_STR(s.who.login, "rita");
    assert_int_equal(s.who.role, ROLE_REPORTER);

    /* the token works; the store holds only its hash */
    assert_int_equal(newsroom_session_check(&F->nr, &F->arena, str_c(s.token), STR_LIT("10.0.0.1"),
                                            &c), MH_OK);
    CHECK_STR(c.who.login, "rita");
    CHECK_STR(F->nr.who.login, "rita");
    assert_string_equal(c.csrf, s.csrf);

    /* a wrong, malformed or empty token finds nothing */
    char bad[NEWSROOM_TOKEN_LEN + 1];
    memcpy(bad, s.token, sizeof(bad));
    bad[0] = bad[0] == 'A' ? 'B' : 'A';
    assert_int_equal(newsroom_session_check(&F->nr, &F->arena, str_c(bad), STR_NULL, &c),
                     MH_NOTFOUND);
    assert_int_equal(newsroom_session_check(&F->nr, &F->arena, STR_LIT("short"), STR_NULL, &c),
                     MH_NOTFOUND);
    assert_int_equal(newsroom_session_check(&F->nr, &F->arena, STR_NULL, STR_NULL, &c),
                     MH_NOTFOUND);

    /* idle: used every 20 minutes it lives on; 31 idle minutes end it */
    for (int i = 1; i <= 5; i++) {
        testclock_set(T0 + i * 20 * MIN);
        assert_int_equal(newsroom_session_check(&F->nr, &F->arena, str_c(s.token), STR_NULL, &c),
                         MH_OK);
    }
    testclock_set(T0 + 100 * MIN + 31 * MIN);
    assert_int_equal(newsroom_session_check(&F->nr, &F->arena, str_c(s.token), STR_NULL, &c),
                     MH_NOTFOUND);
    assert_non_null(strstr(F->nr.message, "expired"));

    /* absolute: 12 hours after sign-in, however busy */
    testclock_set(T0);
    assert_int_equal(signin("rita", "correct horse", "10.0.0.1", &s), MH_OK);
    for (int64_t t = 0; t < 12 * 60; t += 25) {
        testclock_set(T0 + t * MIN);
        assert_int_equal(newsroom_session_check(&F->nr, &F->arena, str_c(s.token), STR_NULL, &c),
                         MH_OK);
        assert_true(c.expires_at <= T0 + 12 * 60 * MIN);
    }
    testclock_set(T0 + 12 * 60 * MIN);
    assert_int_equal(newsroom_session_check(&F->nr, &F->arena, str_c(s.token), STR_NULL, &c),
                     MH_NOTFOUND);
}

static void test_wrong_and_unknown(void **state)
{
    (void)state;
    struct newsroom_session s;
    assert_int_equal(signin("rita", "wrong password", "10.0.0.2", &s), MH_FORBIDDEN);
    assert_string_equal(F->nr.message, "wrong login or password");
    assert_int_equal(signin("nobody", "whatever123", "10.0.0.2", &s), MH_FORBIDDEN);
    assert_string_equal(F->nr.message, "wrong login or password");
    assert_int_equal(signin("gone", "correct horse", "10.0.0.2", &s), MH_FORBIDDEN);
    assert_int_equal(signin("", "x", "10.0.0.2", &s), MH_INVAL);
    assert_string_equal(F->nr.field, "login");
    assert_int_equal(s.token[0], '\0');
    /* each failure is in the audit log, from its address */
    struct newsroom_audit_entry *e;
    size_t n;
    struct newsroom_audit_filter f = {.login = STR_LIT("nobody")};
    assert_int_equal(newsroom_audit_list(&F->nr, &F->arena, &f, &e, &n), MH_FORBIDDEN);
    newsroom_ctx_system(&F->nr, "test");
    assert_int_equal(newsroom_audit_list(&F->nr, &F->arena, &f, &e, &n), MH_OK);
    assert_int_equal(n, 1);
    CHECK_STR(e[0].action, "signin.failed");
    CHECK_STR(e[0].address, "10.0.0.2");
}

static void test_rate_limits(void **state)
{
    (void)state;
    struct newsroom_session s;
    int64_t retry = 0;
    struct newsroom_policy p;
    newsroom_policy_defaults(&p);
    assert_int_equal(p.max_fails_account, 5);
    assert_int_equal(p.max_fails_address, 20);
    /* smaller limits here: each attempt costs an argon2id verification */
    p.max_fails_account = 3;
    p.max_fails_address = 4;
    F->nr.policy = &p;
    testclock_set(T0 + 1000 * MIN); /* away from the other tests' failures */
    /* per account: 3 failures in 15 minutes lock the account, even with the right password */
    for (int i = 0; i < 3; i++)
        assert_int_equal(signin("ada", "not it at all", "10.1.0.1", &s), MH_FORBIDDEN);
    assert_int_equal(newsroom_signin(&F->nr, &F->arena, STR_LIT("ada"), STR_LIT("battery staple"),
                                     STR_LIT("10.1.0.9"), &s, &retry),
                     MH_TIMEOUT);
    assert_true(retry > 0 && retry <= 15 * MIN);
    assert_non_null(strstr(F->nr.message, "too many"));
    /* the window passes */
    testclock_set(T0 + 1016 * MIN);
    assert_int_equal(signin("ada", "battery staple", "10.1.0.9", &s), MH_OK);
    /* a success clears the account's failures */
    for (int i = 0; i < 2; i++)
        assert_int_equal(signin("ada", "not it", "10.1.0.2", &s), MH_FORBIDDEN);
    assert_int_equal(signin("ada", "battery staple", "10.1.0.9", &s), MH_OK);
    assert_int_equal(signin("ada", "not it", "10.1.0.2", &s), MH_FORBIDDEN);
    assert_int_equal(signin("ada", "battery staple", "10.1.0.9", &s), MH_OK);

    /* per address: failures from one address over many logins block it */
    testclock_set(T0 + 2000 * MIN);
    char login[32];
    for (int i = 0; i < 4; i++) {
        snprintf(login, sizeof(login), "guess%d", i);
        assert_int_equal(signin(login, "password1", "192.0.2.7", &s), MH_FORBIDDEN);
    }
    assert_int_equal(signin("rita", "correct horse", "192.0.2.7", &s), MH_TIMEOUT);
    assert_int_equal(signin("rita", "correct horse", "192.0.2.8", &s), MH_OK);
    F->nr.policy = NULL;
}

static void test_signout(void **state)
{
    (void)state;
    struct newsroom_session a, b, c, chk;
    assert_int_equal(signin("rita", "correct horse", "10.2.0.1", &a), MH_OK);
    assert_int_equal(signin("rita", "correct horse", "10.2.0.2", &b), MH_OK);
    assert_int_equal(signin("ada", "battery staple", "10.2.0.3", &c), MH_OK);
    assert_int_equal(newsroom_signout(&F->nr, str_c(a.token)), MH_OK);
    assert_int_equal(newsroom_session_check(&F->nr, &F->arena, str_c(a.token), STR_NULL, &chk),
                     MH_NOTFOUND);
    assert_int_equal(newsroom_session_check(&F->nr, &F->arena, str_c(b.token), STR_NULL, &chk),
                     MH_OK);
    /* rita may not sign ada out; she may sign herself out everywhere */
    int ended = -1;
    assert_int_equal(newsroom_signout_everywhere(&F->nr, STR_LIT("ada"), &ended), MH_FORBIDDEN);
    assert_int_equal(signin("rita", "correct horse", "10.2.0.4", &a), MH_OK);
    assert_int_equal(newsroom_signout_everywhere(&F->nr, STR_LIT("rita"), &ended), MH_OK);
    assert_true(ended >= 2);
    assert_int_equal(newsroom_session_check(&F->nr, &F->arena, str_c(b.token), STR_NULL, &chk),
                     MH_NOTFOUND);
    assert_int_equal(newsroom_session_check(&F->nr, &F->arena, str_c(c.token), STR_NULL, &chk),
                     MH_OK);
    /* disabling a user ends their sessions at once */
    assert_int_equal(signin("rita", "correct horse", "10.2.0.5", &a), MH_OK);
    assert_int_equal(newsroom_session_check(&F->nr, &F->arena, str_c(c.token), STR_NULL, &chk),
                     MH_OK); /* acting as ada */
    assert_int_equal(newsroom_user_set_disabled(&F->nr, STR_LIT("rita"), true), MH_OK);
    assert_int_equal(newsroom_session_check(&F->nr, &F->arena, str_c(a.token), STR_NULL, &chk),
                     MH_NOTFOUND);
    assert_int_equal(newsroom_user_set_disabled(&F->nr, STR_LIT("rita"), false), MH_OK);
}

static void test_csrf(void **state)
{
    (void)state;
    struct newsroom_session a, b;
    assert_int_equal(signin("rita", "correct horse", "10.3.0.1", &a), MH_OK);
    assert_int_equal(signin("rita", "correct horse", "10.3.0.1", &b), MH_OK);
    assert_true(newsroom_csrf_ok(&a, str_c(a.csrf)));
    assert_false(newsroom_csrf_ok(&a, str_c(b.csrf))); /* bound to its session */
    assert_false(newsroom_csrf_ok(&a, STR_NULL));
    assert_false(newsroom_csrf_ok(&a, str_make(a.csrf, NEWSROOM_TOKEN_LEN - 1)));
    assert_false(newsroom_csrf_ok(&a, str_c(a.token)));
    assert_false(newsroom_csrf_ok(NULL, str_c(a.csrf)));
    char tampered[NEWSROOM_TOKEN_LEN + 1];
    memcpy(tampered, a.csrf, sizeof(tampered));
    tampered[NEWSROOM_TOKEN_LEN - 1] ^= 1;
    assert_false(newsroom_csrf_ok(&a, str_c(tampered)));
}

static void test_cookie(void **state)
{
    (void)state;
    struct str tok;
    const char *good = "abcdefghijABCDEFGHIJ0123456789-_abcdefghijk";
    char hdr[256];
    assert_int_equal(strlen(good), NEWSROOM_TOKEN_LEN);
    snprintf(hdr, sizeof(hdr), "theme=dark; mh_session=%s; other=1", good);
    assert_int_equal(newsroom_cookie_token(str_c(hdr), &tok), MH_OK);
    CHECK_STR(tok, good);
    snprintf(hdr, sizeof(hdr), "mh_session=\"%s\"", good);
    assert_int_equal(newsroom_cookie_token(str_c(hdr), &tok), MH_OK);
    CHECK_STR(tok, good);
    assert_int_equal(newsroom_cookie_token(STR_LIT("a=b; c=d"), &tok), MH_NOTFOUND);
    assert_int_equal(newsroom_cookie_token(STR_NULL, &tok), MH_NOTFOUND);
    assert_int_equal(newsroom_cookie_token(STR_LIT("xmh_session=abc"), &tok), MH_NOTFOUND);
    assert_int_equal(newsroom_cookie_token(STR_LIT("mh_session=abc"), &tok), MH_INVAL);
    assert_int_equal(newsroom_cookie_token(STR_LIT(";;=;mh_session"), &tok), MH_NOTFOUND);

    struct buf b;
    buf_init(&b, &F->arena, 1024);
    newsroom_cookie_value(&F->nr, str_c(good), true, &b);
    assert_non_null(strstr(b.data, "HttpOnly"));
    assert_non_null(strstr(b.data, "SameSite=Strict"));
    assert_non_null(strstr(b.data, "; Secure"));
    assert_non_null(strstr(b.data, "Max-Age=43200"));
    buf_init(&b, &F->arena, 1024);
    newsroom_cookie_value(&F->nr, STR_NULL, false, &b);
    assert_non_null(strstr(b.data, "mh_session=; Max-Age=0"));
    assert_null(strstr(b.data, "Secure"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_signin_and_expiry, setup),
        cmocka_unit_test_setup(test_wrong_and_unknown, setup),
        cmocka_unit_test_setup(test_rate_limits, setup),
        cmocka_unit_test_setup(test_signout, setup),
        cmocka_unit_test_setup(test_csrf, setup),
        cmocka_unit_test_setup(test_cookie, setup),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
