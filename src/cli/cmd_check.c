/* SPDX-License-Identifier: MIT */
/* cmd_check.c - `masthead check DIR`: database integrity, model invariants, media files. */
#include "core/compat.h"

#include <sys/stat.h>

#include "cli/cli.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/fs.h"
#include "core/limits.h"
#include "media/media.h"
#include "store/store.h"

struct checker {
    struct site *site;
    int problems;
    bool full;
    struct arena arena;
};

static void problem(void *ctx, const char *what)
{
    (void)ctx;
    printf("problem: %s\n", what);
}

static int check_media(void *ctx, const struct media *m)
{
    struct checker *c = ctx;
    struct stat sb;
    arena_reset(&c->arena);
    char *path = site_path(c->site, &c->arena, m->path);
    if (stat(path, &sb) != 0) {
        printf("problem: media %lld: file '%s' is missing\n", (long long)m->id, path);
        c->problems++;
        return MH_OK;
    }
    if ((int64_t)sb.st_size != m->bytes) {
        printf("problem: media %lld: file '%s' has %lld bytes, %lld expected\n",
               (long long)m->id, path, (long long)sb.st_size, (long long)m->bytes);
        c->problems++;
        return MH_OK;
    }
    if (c->full) {
        struct buf data;
        char err[512], sha[65];
        buf_init(&data, NULL, MH_MAX_IMAGE_FILE);
        if (fs_read_file(path, &data, err, sizeof(err)) != MH_OK) {
            printf("problem: media %lld: %s\n", (long long)m->id, err);
            c->problems++;
        } else {
            media_sha256_hex(buf_str(&data), sha);
            if (!str_eq_c(m->sha256, sha)) {
                printf("problem: media %lld: file '%s' does not match its SHA-256\n",
                       (long long)m->id, path);
                c->problems++;
            }
        }
        buf_release(&data);
    }
    return MH_OK;
}

int cmd_check(int argc, char **argv)
{
    struct cli_args a;
    const char *name, *value;
    struct checker c = {0};
    cli_args_init(&a, argc, argv);
    while (cli_next_option(&a, &name, &value)) {
        if (strcmp(name, "--full") == 0) {
            c.full = true;
        } else {
            fprintf(stderr, "masthead check: unknown option '%s'\n", name);
            return cli_usage("check");
        }
    }
    if (a.n_operands != 1)
        return cli_usage("check");
    c.site = cli_open_site("check", a.operands[0], true);
    if (c.site == NULL)
        return 1;
    arena_init(&c.arena, 0);
    int rc = store_check(c.site->store, problem, &c, &c.problems);
    if (rc == MH_OK)
        rc = store_media_each(c.site->store, check_media, &c);
    int64_t articles = 0;
    if (rc == MH_OK)
        rc = store_article_count(c.site->store, STR_NULL, &articles);
    arena_release(&c.arena);
    if (rc) {
        fprintf(stderr, "masthead check: the check could not run: %s\n",
                store_errmsg(c.site->store));
        site_close(c.site);
        return 1;
    }
    site_close(c.site);
    if (c.problems) {
        printf("%d problems found\n", c.problems);
        return 1;
    }
    printf("ok: %lld articles, schema %d\n", (long long)articles, store_schema_version());
    return 0;
}
