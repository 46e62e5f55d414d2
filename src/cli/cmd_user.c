/* SPDX-License-Identifier: MIT */
/*
 * cmd_user.c - `masthead user add|list|passwd DIR ...`: newsroom accounts.
 * Passwords come from standard input when it is not a terminal (like
 * `docker login --password-stdin`), else from a prompt without echo.
 */
#include "core/compat.h"

#include <termios.h>
#include <unistd.h>

#include "auth/auth.h"
#include "cli/cli.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/limits.h"
#include "store/store.h"

/* Read one line from F into BUF; false at EOF or when too long. */
static bool read_line(FILE *f, char *buf, size_t cap)
{
    if (fgets(buf, (int)cap, f) == NULL)
        return false;
    size_t n = strlen(buf);
    if (n && buf[n - 1] == '\n')
        buf[--n] = '\0';
    else if (!feof(f))
        return false; /* longer than CAP */
    if (n && buf[n - 1] == '\r')
        buf[--n] = '\0';
    return true;
}

static bool prompt(const char *what, char *buf, size_t cap)
{
    struct termios old, quiet;
    bool ok;
    fprintf(stderr, "%s: ", what);
    fflush(stderr);
    if (tcgetattr(STDIN_FILENO, &old) != 0)
        return read_line(stdin, buf, cap);
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    ok = read_line(stdin, buf, cap);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    fputc('\n', stderr);
    return ok;
}

/* Get a password and hash it; prints the reason on failure. */
static int get_password(const char *cmd, char hash[AUTH_HASH_MAX])
{
    char pw[MH_MAX_PASSWORD + 2], again[MH_MAX_PASSWORD + 2];
    int rc;
    if (!isatty(STDIN_FILENO)) {
        if (!read_line(stdin, pw, sizeof(pw))) {
            fprintf(stderr, "masthead %s: no password on standard input (or longer than %d "
                            "bytes)\n", cmd, MH_MAX_PASSWORD);
            return MH_INVAL;
        }
    } else {
        if (!prompt("password", pw, sizeof(pw)) || !prompt("again", again, sizeof(again)))
            return MH_INVAL;
        if (strcmp(pw, again) != 0) {
            fprintf(stderr, "masthead %s: the passwords differ\n", cmd);
            return MH_INVAL;
        }
    }
    rc = auth_hash_password(str_c(pw), hash);
    if (rc)
        fprintf(stderr,
                "masthead %s: a password needs %d to %d characters and no control characters\n",
                cmd, AUTH_MIN_PASSWORD, MH_MAX_PASSWORD);
    memset(pw, 0, sizeof(pw));
    memset(again, 0, sizeof(again));
    return rc;
}

static bool valid_login(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > MH_MAX_LOGIN)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '-'))
            return false;
    }
    return true;
}

static int user_add(struct cli_args *a, const char *role_name, const char *display)
{
    struct user u = {0};
    char hash[AUTH_HASH_MAX];
    if (a->n_operands != 3 || role_name == NULL)
        return cli_usage("user");
    if (!valid_login(a->operands[2])) {
        fprintf(stderr, "masthead user: a login is 1 to %d of a-z 0-9 . _ -\n", MH_MAX_LOGIN);
        return 2;
    }
    if (user_role_parse(str_c(role_name), &u.role) != MH_OK) {
        fprintf(stderr, "masthead user: role must be reporter, editor, chief_editor or admin\n");
        return 2;
    }
    struct site *site = cli_open_site("user", a->operands[1], false);
    if (site == NULL)
        return 1;
    int rc = get_password("user", hash);
    if (rc == MH_OK) {
        u.login = str_c(a->operands[2]);
        u.display_name = str_c(display ? display : a->operands[2]);
        rc = store_user_add(site->store, &u, hash);
        if (rc == MH_CONFLICT)
            fprintf(stderr, "masthead user: '%s' exists already\n", a->operands[2]);
        else if (rc)
            fprintf(stderr, "masthead user: %s\n", store_errmsg(site->store));
        else
            rc = store_audit(site->store, STR_LIT("cli"), STR_LIT("user.add"), u.login,
                             str_c(user_role_name(u.role)), STR_LIT("local"));
    }
    if (rc == MH_OK)
        printf("added %s (%s)\n", a->operands[2], user_role_name(u.role));
    site_close(site);
    return rc ? 1 : 0;
}

static int user_list(struct cli_args *a)
{
    struct arena arena;
    struct user *users;
    size_t n;
    if (a->n_operands != 2)
        return cli_usage("user");
    struct site *site = cli_open_site("user", a->operands[1], true);
    if (site == NULL)
        return 1;
    arena_init(&arena, 0);
    int rc = store_users(site->store, &arena, &users, &n);
    for (size_t i = 0; rc == MH_OK && i < n; i++)
        printf("%-20.*s %-13s %.*s%s\n", (int)users[i].login.len, users[i].login.ptr,
               user_role_name(users[i].role), (int)users[i].display_name.len,
               users[i].display_name.ptr, users[i].disabled ? " (disabled)" : "");
    arena_release(&arena);
    site_close(site);
    return rc ? 1 : 0;
}

static int user_passwd(struct cli_args *a)
{
    char hash[AUTH_HASH_MAX];
    if (a->n_operands != 3)
        return cli_usage("user");
    struct site *site = cli_open_site("user", a->operands[1], false);
    if (site == NULL)
        return 1;
    int rc = get_password("user", hash);
    if (rc == MH_OK) {
        rc = store_user_set_password(site->store, str_c(a->operands[2]), hash);
        if (rc == MH_NOTFOUND)
            fprintf(stderr, "masthead user: no user '%s'\n", a->operands[2]);
        else if (rc == MH_OK)
            rc = store_audit(site->store, STR_LIT("cli"), STR_LIT("user.passwd"),
                             str_c(a->operands[2]), STR_NULL, STR_LIT("local"));
    }
    if (rc == MH_OK)
        printf("password of %s changed\n", a->operands[2]);
    site_close(site);
    return rc ? 1 : 0;
}

int cmd_user(int argc, char **argv)
{
    struct cli_args a;
    const char *name, *value, *role = NULL, *display = NULL;
    cli_args_init(&a, argc, argv);
    while (cli_next_option(&a, &name, &value)) {
        if (strcmp(name, "--role") == 0) {
            if ((role = cli_option_value(&a, name, value)) == NULL)
                return 2;
        } else if (strcmp(name, "--name") == 0) {
            if ((display = cli_option_value(&a, name, value)) == NULL)
                return 2;
        } else {
            fprintf(stderr, "masthead user: unknown option '%s'\n", name);
            return cli_usage("user");
        }
    }
    if (a.n_operands < 1)
        return cli_usage("user");
    if (strcmp(a.operands[0], "add") == 0)
        return user_add(&a, role, display);
    if (strcmp(a.operands[0], "list") == 0)
        return user_list(&a);
    if (strcmp(a.operands[0], "passwd") == 0)
        return user_passwd(&a);
    fprintf(stderr, "masthead user: '%s' is not add, list or passwd\n", a.operands[0]);
    return 2;
}
