/* SPDX-License-Identifier: MIT */
/*
 * cmd_import.c - `masthead import DIR FILE [--strict]`: JSON Lines in; with
 * `--from wxr FILE.xml [--media DIR]` a WordPress export, with `--from
 * founder FOLDER` saved Founder-CMS pages (`--edition SLUG` for both).
 */
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

static void on_bad_line(void *ctx, const char *file, uint64_t lineno, const char *reason)
{
    struct import_ui *ui = ctx;
    if (ui->bar.active)
        fputc('\n', stderr);
    if (lineno)
        fprintf(stderr, "%s:%llu: %s\n", file ? file : ui->file, (unsigned long long)lineno,
                reason);
    else
        fprintf(stderr, "%s: %s\n", file ? file : ui->file, reason);
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
    const char *from = "jsonl";
    cli_args_init(&a, argc, argv);
    while (cli_next_option(&a, &name, &value)) {
        const char *v = NULL;
        if (strcmp(name, "--strict") == 0) {
            o.strict = true;
        } else if (strcmp(name, "--batch") == 0) {
            if (cli_int("import", name, cli_option_value(&a, name, value), 1, 1000000, &batch))
                return 2;
            o.batch = (int)batch;
        } else if (strcmp(name, "--from") == 0 || strcmp(name, "--media") == 0 ||
                   strcmp(name, "--edition") == 0) {
            if ((v = cli_option_value(&a, name, value)) == NULL)
                return 2;
            if (name[2] == 'f')
                from = v;
            else if (name[2] == 'm')
                o.media_dir = v;
            else
                o.edition = v;
        } else {
            fprintf(stderr, "masthead import: unknown option '%s'\n", name);
            return cli_usage("import");
        }
    }
    if (a.n_operands != 2)
        return cli_usage("import");
    bool wxr = strcmp(from, "wxr") == 0, founder = strcmp(from, "founder") == 0;
    if (!wxr && !founder && strcmp(from, "jsonl") != 0) {
        fprintf(stderr, "masthead import: --from must be jsonl, wxr or founder, not '%s'\n",
                from);
        return 2;
    }
    if (!wxr && o.media_dir) {
        fprintf(stderr, "masthead import: --media is for --from wxr (JSON Lines name their "
                        "image files; Founder pictures come from the page's folder)\n");
        return 2;
    }
    if (!wxr && !founder && o.edition) {
        fprintf(stderr, "masthead import: --edition is for --from wxr and founder (each JSON "
                        "line names its edition)\n");
        return 2;
    }
    const char *dir = a.operands[0], *file = a.operands[1];
    FILE *in = stdin;
    uint64_t total = 0;
    struct stat sb;
    if (wxr || founder) {
        if (stat(file, &sb) != 0) {
            fprintf(stderr, "masthead import: cannot open '%s': %s\n", file, strerror(errno));
            return 1;
        }
        if (wxr && S_ISREG(sb.st_mode))
            total = (uint64_t)sb.st_size;
    } else if (strcmp(file, "-") != 0) {
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
    o.base_dir = wxr || founder ? NULL : base; /* their paths are the command line's */
    o.report = on_bad_line;
    o.progress = on_progress;
    o.ctx = &ui;
    progress_start(&ui.bar, "importing", "bytes", total);
    int rc = wxr       ? import_wxr(site, file, &o, &st, err, sizeof(err))
             : founder ? import_founder(site, file, &o, &st, err, sizeof(err))
                       : import_jsonl(site, in, &o, &st, err, sizeof(err));
    progress_end(&ui.bar);
    if (in != stdin)
        fclose(in);
    free(base);
    site_close(site);
    const char *what = founder ? "pages" : "entries";
    if (rc) {
        fprintf(stderr, "masthead import: stopped: %s\n", err);
        if (st.imported)
            fprintf(stderr, "masthead import: %llu articles imported before the error are "
                            "kept; run the import again to finish (it skips what is stored)\n",
                    (unsigned long long)st.imported);
        return 1;
    }
    if (o.strict && st.bad) {
        fprintf(stderr, "masthead import: %llu bad %s; --strict: nothing was imported\n",
                (unsigned long long)st.bad, wxr || founder ? what : "lines");
        return 1;
    }
    if (wxr || founder)
        printf("%llu %s: %llu imported, %llu unchanged, %llu bad, %llu skipped; %llu image "
               "files added, %llu channels made, %llu old addresses redirected\n",
               (unsigned long long)(st.imported + st.unchanged + st.bad + st.skipped), what,
               (unsigned long long)st.imported, (unsigned long long)st.unchanged,
               (unsigned long long)st.bad, (unsigned long long)st.skipped,
               (unsigned long long)st.media, (unsigned long long)st.channels,
               (unsigned long long)st.redirects);
    else
        printf("%llu lines: %llu imported, %llu unchanged, %llu bad; %llu image files added\n",
               (unsigned long long)st.lines, (unsigned long long)st.imported,
               (unsigned long long)st.unchanged, (unsigned long long)st.bad,
               (unsigned long long)st.media);
    return st.bad ? 1 : 0;
}
