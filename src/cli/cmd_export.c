/* SPDX-License-Identifier: MIT */
/* cmd_export.c - `masthead export DIR [--edition E]`: JSON Lines out. */
#include "core/compat.h"

#include <errno.h>
#include <limits.h>

#include "cli/cli.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "interchange/interchange.h"
#include "store/store.h"

struct exporter {
    struct edition *editions;
    size_t n_editions;
    const char *media_root;
    struct buf line;
    uint64_t count;
};

static int write_one(void *ctx, const struct article *a)
{
    struct exporter *x = ctx;
    struct str tz = STR_LIT("UTC");
    for (size_t i = 0; i < x->n_editions; i++)
        if (str_eq(x->editions[i].slug, a->edition))
            tz = x->editions[i].tz;
    buf_reset(&x->line);
    jsonl_write_article(&x->line, a, tz, x->media_root);
    if (x->line.err) {
        fprintf(stderr, "masthead export: article %lld is too large to write\n",
                (long long)a->id);
        return MH_TOOBIG;
    }
    if (fwrite(x->line.data, 1, x->line.len, stdout) != x->line.len)
        return MH_IO;
    x->count++;
    return MH_OK;
}

int cmd_export(int argc, char **argv)
{
    struct cli_args a;
    const char *name, *value, *edition = "";
    char root[PATH_MAX];
    struct exporter x = {0};
    struct arena arena;
    cli_args_init(&a, argc, argv);
    while (cli_next_option(&a, &name, &value)) {
        if (strcmp(name, "--edition") == 0) {
            edition = cli_option_value(&a, name, value);
            if (edition == NULL)
                return 2;
        } else {
            fprintf(stderr, "masthead export: unknown option '%s'\n", name);
            return cli_usage("export");
        }
    }
    if (a.n_operands != 1)
        return cli_usage("export");
    struct site *site = cli_open_site("export", a.operands[0], true);
    if (site == NULL)
        return 1;
    if (realpath(site->dir, root) == NULL) {
        fprintf(stderr, "masthead export: cannot resolve '%s': %s\n", site->dir, strerror(errno));
        site_close(site);
        return 1;
    }
    arena_init(&arena, 0);
    int rc = store_editions(site->store, &arena, &x.editions, &x.n_editions);
    if (rc == MH_OK && edition[0]) {
        struct edition e;
        rc = store_edition_get(site->store, &arena, str_c(edition), &e);
        if (rc == MH_NOTFOUND)
            fprintf(stderr, "masthead export: no edition '%s'\n", edition);
    }
    x.media_root = root;
    buf_init(&x.line, NULL, MH_MAX_IMPORT_LINE);
    if (rc == MH_OK)
        rc = store_article_each(site->store, str_c(edition), write_one, &x);
    if (fflush(stdout) != 0)
        rc = MH_IO;
    if (rc == MH_IO)
        fprintf(stderr, "masthead export: cannot write: %s\n", strerror(errno));
    buf_release(&x.line);
    arena_release(&arena);
    site_close(site);
    return rc ? 1 : 0;
}
