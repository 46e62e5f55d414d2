/* SPDX-License-Identifier: MIT */
/* cmd_reindex.c - `masthead reindex DIR`: rebuild the search index. */
#include "core/compat.h"

#include "cli/cli.h"
#include "core/clock.h"
#include "core/err.h"
#include "store/store.h"

int cmd_reindex(int argc, char **argv)
{
    struct cli_args a;
    const char *name, *value;
    cli_args_init(&a, argc, argv);
    while (cli_next_option(&a, &name, &value)) {
        fprintf(stderr, "masthead reindex: unknown option '%s'\n", name);
        return cli_usage("reindex");
    }
    if (a.n_operands != 1)
        return cli_usage("reindex");
    struct site *site = cli_open_site("reindex", a.operands[0], false);
    if (site == NULL)
        return 1;
    uint64_t t0 = clock_mono_ns();
    int64_t n = 0;
    int rc = store_search_reindex(site->store, &n);
    if (rc) {
        fprintf(stderr, "masthead reindex: cannot rebuild the index of %s: %s (%s)\n",
                a.operands[0], mh_strerror(rc), store_errmsg(site->store));
    } else {
        printf("indexed %lld published articles in %.1f s\n", (long long)n,
               (double)(clock_mono_ns() - t0) / 1e9);
    }
    site_close(site);
    return rc ? 1 : 0;
}
