/* SPDX-License-Identifier: MIT */
/*
 * cmd_publish.c - `masthead publish DIR --out OUT [--full] [--threads N]
 * [--theme DIR]`: the reader site as static files (publish/publish.h), with
 * a progress bar on a terminal and a one-line summary.
 */
#include "core/compat.h"

#include <malloc.h>

#include "cli/cli.h"
#include "core/err.h"
#include "publish/publish.h"
#include "site/site.h"
#include "store/store.h"

#ifndef MH_THEME_DIR
#define MH_THEME_DIR "themes/default"
#endif

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
    struct progress *p = ctx;
    p->total = total;
    progress_update(p, done);
}

int cmd_publish(int argc, char **argv)
{
    struct cli_args a;
    const char *name, *value, *out = NULL, *theme = NULL;
    int64_t threads = 0;
    bool full = false;
    char err[1024];
    cli_args_init(&a, argc, argv);
    while (cli_next_option(&a, &name, &value)) {
        if (strcmp(name, "--out") == 0) {
            if ((out = cli_option_value(&a, name, value)) == NULL)
                return 2;
        } else if (strcmp(name, "--threads") == 0) {
            if (cli_int("publish", name, cli_option_value(&a, name, value), 0, 64, &threads))
                return 2;
        } else if (strcmp(name, "--theme") == 0) {
            if ((theme = cli_option_value(&a, name, value)) == NULL)
                return 2;
        } else if (strcmp(name, "--full") == 0 && value == NULL) {
            full = true;
        } else {
            fprintf(stderr, "masthead publish: unknown option '%s'\n", name);
            return cli_usage("publish");
        }
    }
    if (a.n_operands != 1 || out == NULL || out[0] == '\0')
        return cli_usage("publish");
    /* zlib and brotli take megabytes of work memory for every page: keep it
     * in the heap for the next page rather than mapping and faulting it in
     * afresh each time (that cost more than the compression itself) */
    mallopt(M_MMAP_THRESHOLD, 64 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
    struct site *site = cli_open_site("publish", a.operands[0], false);
    if (site == NULL)
        return 1;
    struct site_app *app;
    if (site_app_new(site, theme ? theme : MH_THEME_DIR, &app, err, sizeof(err)) != MH_OK) {
        fprintf(stderr, "masthead publish: %s\n", err);
        site_close(site);
        return 1;
    }
    /* the most-read lists as of now, as `masthead serve` draws them */
    if (site_rankings_refresh(site->store) != MH_OK) {
        fprintf(stderr, "masthead publish: cannot redraw the most-read lists: %s\n",
                store_errmsg(site->store));
        site_app_free(app);
        site_close(site);
        return 1;
    }
    struct progress bar;
    progress_start(&bar, "publish", "pages", 0);
    struct publish_opts o = {.out = out, .threads = (int)threads, .full = full,
                             .progress = on_progress, .progress_ctx = &bar};
    struct publish_stats st;
    int rc = publish_run(site, app, &o, &st, err, sizeof(err));
    progress_end(&bar);
    if (rc)
        fprintf(stderr, "masthead publish: %s\n", err);
    else
        printf("published %s to %s (%s): %llu written, %llu unchanged, %llu removed, "
               "%.3f s\n",
               a.operands[0], out, st.incremental ? "incremental" : "every page",
               (unsigned long long)st.written, (unsigned long long)st.unchanged,
               (unsigned long long)st.removed, st.seconds);
    site_app_free(app);
    site_close(site);
    return rc ? 1 : 0;
}
