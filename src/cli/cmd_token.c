/* SPDX-License-Identifier: MIT */
/*
 * cmd_token.c - `masthead token create|list|revoke DIR ...`: bearer tokens
 * of the JSON API.  A new token is printed once on standard output and
 * never again (only its digest is stored); a list names tokens by their
 * first characters.  Every change is in the audit log.
 */
#include "core/compat.h"

#include <time.h>

#include "api/api.h"
#include "cli/cli.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/err.h"
#include "store/store.h"

static int token_create(struct cli_args *a, const char *user, const char *note)
{
    char token[API_TOKEN_LEN + 1], id_text[32];
    int64_t id;
    if (a->n_operands != 2 || user == NULL)
        return cli_usage("token");
    struct site *site = cli_open_site("token", a->operands[1], false);
    if (site == NULL)
        return 1;
    int rc = store_begin(site->store);
    if (rc == MH_OK)
        rc = api_token_create(site->store, str_c(user), str_c(note ? note : ""), token, &id);
    if (rc == MH_NOTFOUND)
        fprintf(stderr, "masthead token: no user '%s'\n", user);
    if (rc == MH_OK) {
        snprintf(id_text, sizeof(id_text), "token:%lld", (long long)id);
        rc = store_audit(site->store, STR_LIT("cli"), STR_LIT("token.create"), str_c(id_text),
                         str_c(user), STR_LIT("local"));
    }
    if (rc == MH_OK)
        rc = store_commit(site->store);
    else
        store_rollback(site->store);
    if (rc == MH_OK) {
        printf("%s\n", token);
        fprintf(stderr, "masthead token: token %lld for %s; it is shown only this once\n",
                (long long)id, user);
    } else if (rc != MH_NOTFOUND) {
        fprintf(stderr, "masthead token: %s\n", store_errmsg(site->store));
    }
    memset(token, 0, sizeof(token));
    site_close(site);
    return rc ? 1 : 0;
}

/* "2026-03-06 09:39 UTC", or "never" for 0. */
static void when(char *out, size_t cap, int64_t ms)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    if (ms == 0) {
        snprintf(out, cap, "never");
        return;
    }
    gmtime_r(&t, &tm);
    strftime(out, cap, "%Y-%m-%d %H:%M UTC", &tm);
}

static int token_list(struct cli_args *a)
{
    struct arena arena;
    struct store_token *t;
    size_t n;
    if (a->n_operands != 2)
        return cli_usage("token");
    struct site *site = cli_open_site("token", a->operands[1], true);
    if (site == NULL)
        return 1;
    arena_init(&arena, 0);
    int rc = store_tokens(site->store, &arena, &t, &n);
    if (rc == MH_OK && n)
        printf("%-6s %-16s %-14s %-20s %-20s %s\n", "id", "user", "token", "created",
               "last used", "state");
    for (size_t i = 0; rc == MH_OK && i < n; i++) {
        char created[32], used[32], revoked[40];
        when(created, sizeof(created), t[i].created_at);
        when(used, sizeof(used), t[i].last_used_at);
        when(revoked, sizeof(revoked), t[i].revoked_at);
        printf("%-6lld %-16.*s %.*s... %-20s %-20s %s%s%s%.*s\n", (long long)t[i].id,
               (int)t[i].login.len, t[i].login.ptr, (int)t[i].prefix.len, t[i].prefix.ptr,
               created, used, t[i].revoked_at ? "revoked " : "active",
               t[i].revoked_at ? revoked : "", t[i].note.len ? "  " : "", (int)t[i].note.len,
               t[i].note.ptr);
    }
    if (rc == MH_OK && n == 0)
        printf("no API tokens\n");
    arena_release(&arena);
    site_close(site);
    return rc ? 1 : 0;
}

static int token_revoke(struct cli_args *a)
{
    int64_t id;
    if (a->n_operands != 3)
        return cli_usage("token");
    if (str_to_i64(str_c(a->operands[2]), 1, INT64_MAX, &id) != MH_OK) {
        fprintf(stderr, "masthead token: '%s' is not a token id ('masthead token list' "
                        "shows them)\n", a->operands[2]);
        return 2;
    }
    struct site *site = cli_open_site("token", a->operands[1], false);
    if (site == NULL)
        return 1;
    int rc = store_begin(site->store);
    if (rc == MH_OK)
        rc = store_token_revoke(site->store, id, clock_now_ms());
    if (rc == MH_OK)
        rc = store_audit(site->store, STR_LIT("cli"), STR_LIT("token.revoke"),
                         str_c(a->operands[2]), STR_NULL, STR_LIT("local"));
    if (rc == MH_OK)
        rc = store_commit(site->store);
    else
        store_rollback(site->store);
    if (rc == MH_NOTFOUND)
        fprintf(stderr, "masthead token: no active token %lld\n", (long long)id);
    else if (rc)
        fprintf(stderr, "masthead token: %s\n", store_errmsg(site->store));
    else
        printf("revoked token %lld\n", (long long)id);
    site_close(site);
    return rc ? 1 : 0;
}

int cmd_token(int argc, char **argv)
{
    struct cli_args a;
    const char *name, *value, *user = NULL, *note = NULL;
    cli_args_init(&a, argc, argv);
    while (cli_next_option(&a, &name, &value)) {
        if (strcmp(name, "--user") == 0) {
            if ((user = cli_option_value(&a, name, value)) == NULL)
                return 2;
        } else if (strcmp(name, "--note") == 0) {
            if ((note = cli_option_value(&a, name, value)) == NULL)
                return 2;
        } else {
            fprintf(stderr, "masthead token: unknown option '%s'\n", name);
            return cli_usage("token");
        }
    }
    if (a.n_operands < 1)
        return cli_usage("token");
    if (strcmp(a.operands[0], "create") == 0)
        return token_create(&a, user, note);
    if (strcmp(a.operands[0], "list") == 0)
        return token_list(&a);
    if (strcmp(a.operands[0], "revoke") == 0)
        return token_revoke(&a);
    fprintf(stderr, "masthead token: '%s' is not create, list or revoke\n", a.operands[0]);
    return 2;
}
