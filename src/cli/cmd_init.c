/* SPDX-License-Identifier: MIT */
/* cmd_init.c - `masthead init DIR`: create an empty site. */
#include "core/compat.h"

#include "cli/cli.h"
#include "core/err.h"
#include "store/store.h"

int cmd_init(int argc, char **argv)
{
    struct cli_args a;
    const char *name, *value;
    char err[1024];
    cli_args_init(&a, argc, argv);
    while (cli_next_option(&a, &name, &value)) {
        fprintf(stderr, "masthead init: unknown option '%s'\n", name);
        return cli_usage("init");
    }
    if (a.n_operands != 1)
        return cli_usage("init");
    if (site_init(a.operands[0], err, sizeof(err)) != MH_OK) {
        fprintf(stderr, "masthead init: %s\n", err);
        return 1;
    }
    printf("created an empty site in %s\n", a.operands[0]);
    return 0;
}
