/* SPDX-License-Identifier: MIT */
/* cmd_import.c - `masthead import DIR FILE [--strict]`: JSON Lines in. */
#include "core/compat.h"

#include <errno.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "core/err.h"
#include "interchange/interchange.h"
#include "store/store.h"

struct import_ui {
    const char *file;
    struct progress bar;
    bool bar_drawn;
};

static void on_bad_line(void *ctx, uint64_t lineno, const char *reason)
{
    struct import_ui *ui = ctx;
    if (ui->bar.active)
        fputc('\n', stderr);
    fprintf(stderr, "%s:%llu: %s\n", ui->file, (unsigned long long)lineno, reason);
}

static void on_progress(void *ctx, uint64_t bytes)
{
    struct import_ui *ui = ctx;
    progress_update(&ui->bar, bytes);
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        return mh_strdup(".");
    if (slash == path)
        return mh_strdup("/");
    return mh_strndup(path, (size_t)(slash - path));
}

int cmd_import(int argc, char **argv)
{
    struct cli_args a;
    const char *name, *value;
    struct import_opts o = {0};
    struct import_stats st;
    struct import_ui ui = {0};
    char err[1024];
    int64_t batch = 0;
    cli_args_init(&a, argc, argv);
    while (cli_next_option(&a, &name, &value)) {
        if (strcmp(name, "--strict") == 0) {
            o.strict = true;
        } else if (strcmp(name, "--batch") == 0) {
            if (cli_int("import", name, cli_option_value(&a, name, value), 1, 1000000, &batch))
                return 2;
            o.batch = (int)batch;
        } else {
            fprintf(stderr, "masthead import: unknown option '%s'\n", name);
            return cli_usage("import");
        }
    }
    if (a.n_operands != 2)
        return cli_usage("import");
    const char *dir = a.operands[0], *file = a.operands[1];
    FILE *in = stdin;
    uint64_t total = 0;
    if (strcmp(file, "-") != 0) {
        struct stat sb;
        in = fopen(file, "rb");
        if (in == NULL) {
            fprintf(stderr, "masthead import: cannot open '%s': %s\n", file, strerror(errno));
            return 1;
        }
        if (fstat(fileno(in), &sb) == 0 && S_ISREG(sb.st_mode))
            total = (uint64_t)sb.st_size;
    }
    struct site *site = cli_open_site("import", dir, false);
    if (site == NULL) {
        if (in != stdin)
            fclose(in);
        return 1;
    }
    char *base = strcmp(file, "-") == 0 ? mh_strdup(".") : dir_of(file);
    ui.file = strcmp(file, "-") == 0 ? "stdin" : file;
    o.base_dir = base;
    o.report = on_bad_line;
    o.progress = on_progress;
    o.ctx = &ui;
    progress_start(&ui.bar, "importing", "bytes", total);
    int rc = import_jsonl(site, in, &o, &st, err, sizeof(err));
    progress_end(&ui.bar);
    if (in != stdin)
        fclose(in);
    free(base);
    site_close(site);
    if (rc) {
        fprintf(stderr, "masthead import: stopped: %s\n", err);
        fprintf(stderr, "masthead import: %llu articles imported before the error are kept; "
                        "run the import again to finish (it skips what is stored)\n",
                (unsigned long long)st.imported);
        return 1;
    }
    if (o.strict && st.bad) {
        fprintf(stderr, "masthead import: %llu bad lines; --strict: nothing was imported\n",
                (unsigned long long)st.bad);
        return 1;
    }
    printf("%llu lines: %llu imported, %llu unchanged, %llu bad; %llu image files added\n",
           (unsigned long long)st.lines, (unsigned long long)st.imported,
           (unsigned long long)st.unchanged, (unsigned long long)st.bad,
           (unsigned long long)st.media);
    return st.bad ? 1 : 0;
}
