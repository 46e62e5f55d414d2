/* SPDX-License-Identifier: MIT */
/*
 * main.c - the `masthead` binary: find the subcommand and run it, print
 * help and the version.  Shared helpers for the commands (options, opening a
 * site, the progress bar) live here too; each command has its own file.
 */
#include "core/compat.h"

#include <unistd.h>

#include "auth/auth.h"
#include "cli/cli.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "store/store.h"

static int cmd_help(int argc, char **argv);

static const struct cmd commands[] = {
    {"init", cmd_init, "masthead init DIR", "create an empty newspaper site in DIR",
     "Creates DIR (which must be absent or empty) with masthead.conf, media/ and a\n"
     "database holding the standard editions (english, zh) and their channels.\n"},
    {"demo", cmd_demo, "masthead demo DIR [--articles N] [--seed S]",
     "create the demo newspaper in DIR",
     "Creates a site in DIR and fills it with an original demo newspaper: an English\n"
     "and a Chinese edition, N articles (default 600) of generated text with lead\n"
     "images, Top News, friendly and footer links, page views, and one user per\n"
     "role, whose passwords are printed once.  The same seed (default 1) gives the\n"
     "same newspaper.\n"},
    {"import", cmd_import,
     "masthead import DIR FILE [--strict] | DIR --from wxr FILE.xml [--media DIR] "
     "[--edition SLUG] [--strict] | DIR --from founder FOLDER [--edition SLUG] [--strict]",
     "import articles from JSON Lines, a WordPress export or saved Founder-CMS pages",
     "Reads one article per line (see docs/interchange.md).  Lines with an id that is\n"
     "already stored with the same content are skipped, so re-importing a file changes\n"
     "nothing; every bad line is reported with its number and reason, and the good\n"
     "ones are imported in transactions of a few thousand.  With --strict nothing is\n"
     "written unless every line is good.  Exit status 1 when any line was bad.\n"
     "\n"
     "--from wxr reads a WordPress export (streamed, any size): posts become articles\n"
     "with their ids, categories channels of the edition (--edition, default the\n"
     "default edition; missing ones are made), tags keywords; featured and body\n"
     "images come from --media, the wp-content/uploads folder (by the URL's part\n"
     "after uploads/).  --from founder reads every saved page under FOLDER: the\n"
     "enpproperty comment, the body between the enpcontent markers, pictures from\n"
     "the page's folder; the page's old path answers 301 to the new one.  Running\n"
     "an import again changes nothing.\n"},
    {"export", cmd_export, "masthead export DIR [--edition E]",
     "write every article as JSON Lines on standard output",
     "Writes one line per article, by id, in the import format; image files are named\n"
     "by their absolute path in DIR/media, so the output imports into another site.\n"},
    {"check", cmd_check, "masthead check DIR",
     "check the database and the model's invariants",
     "Runs SQLite's integrity and foreign-key checks, the model's invariants\n"
     "(channels and editions agree, publication dates, image order, time zones,\n"
     "content hashes) and that every media file is present with its recorded size.\n"
     "Exit status 1 when anything is wrong.\n"},
    {"user", cmd_user, "masthead user add|list|passwd DIR [NAME] [--role ROLE] [--name TEXT]",
     "manage newsroom accounts",
     "  user add DIR NAME --role ROLE [--name 'Display Name']\n"
     "      ROLE is reporter, editor, chief_editor or admin.  The password is read\n"
     "      from standard input when it is not a terminal, else asked for twice.\n"
     "  user list DIR\n"
     "  user passwd DIR NAME\n"
     "      Sets a new password, read as for add.\n"},
    {"token", cmd_token, "masthead token create|list|revoke DIR [--user NAME] [--note TEXT] [ID]",
     "manage the JSON API's bearer tokens",
     "  token create DIR --user NAME [--note TEXT]\n"
     "      Prints a new token for NAME once on standard output; only its digest is\n"
     "      stored.  Send it as 'Authorization: Bearer TOKEN'; it acts with NAME's role.\n"
     "  token list DIR\n"
     "      Every token: id, user, first characters, created, last used, state.\n"
     "  token revoke DIR ID\n"
     "      The token stops working at once.\n"},
    {"serve", cmd_serve,
     "masthead serve DIR [--listen ADDR:PORT] [--threads N] [--theme DIR] [--mirror OUT]",
     "serve the newspaper to readers over HTTP",
     "Serves the front pages, channel pages, articles, the theme's files and the media\n"
     "library of DIR.  --listen defaults to [serve] listen in masthead.conf (port 0 picks a\n"
     "free one; the address is printed on standard error), --threads to [serve] threads\n"
     "(0: one per core), --theme to the default theme.  One access-log line per request\n"
     "on standard output.  SIGTERM stops gracefully; SIGHUP reloads the theme.\n"
     "--mirror OUT keeps a static copy of the site in OUT, as `masthead publish` writes\n"
     "it, current: it publishes incrementally whenever the store changes.\n"},
    {"images", cmd_images,
     "masthead images [make|add|find] DIR [FILE] [--theme DIR] [--caption T] [--credit T] "
     "[--alt T] [--focal X,Y] [--text T] [--page N]",
     "add images to the media library, make their derivatives, find them",
     "  images [make] DIR [--theme DIR]\n"
     "      Makes the sizes and crops the theme's theme.ini asks for (default theme:\n"
     "      the built-in one) of every image that lacks them, as JPEG and WebP files\n"
     "      next to the originals.  `masthead serve` does the same in the background;\n"
     "      run this before a static publish.\n"
     "  images add DIR FILE [--caption T] [--credit T] [--alt T] [--focal X,Y]\n"
     "      Adds the image FILE (JPEG, PNG, GIF or WebP, by its bytes) to the library:\n"
     "      within [images] max_mb and max_megapixels, its metadata (EXIF, XMP, ICC,\n"
     "      comments) stripped and its orientation applied.  The focal point (0..1 from\n"
     "      the left and the top; default 0.5,0.5) is what crops keep.  Prints its id.\n"
     "  images find DIR [--text T] [--page N]\n"
     "      Lists the library, newest first, 20 a page; --text looks in the caption,\n"
     "      credit and alt text.\n"},
    {"publish", cmd_publish,
     "masthead publish DIR --out OUT [--full] [--threads N] [--theme DIR]",
     "write the reader site as static files",
     "Writes every page `masthead serve` answers into OUT, with the same URLs and\n"
     "bytes (a folder URL is its index.html), a .gz and a .br beside each file that\n"
     "compresses (for nginx gzip_static and brotli_static), the theme's files, the\n"
     "media library and 404.html.  A later run into the same OUT is incremental: it\n"
     "renders only the pages the store's changes since then can touch, writes only\n"
     "files whose bytes changed and removes the pages of withdrawn articles.  Every\n"
     "file is written under a temporary name and renamed; OUT is never wiped, and a\n"
     "killed run is repaired by the next.  --full renders every page and compares\n"
     "it with the file on disk.  --threads defaults to one per core.\n"},
    {"reindex", cmd_reindex, "masthead reindex DIR",
     "rebuild the search index",
     "Rebuilds the full-text index of every published article from the articles\n"
     "themselves, in one transaction (readers keep searching the old index until it\n"
     "commits).  The index normally follows every publish, edit and withdrawal by\n"
     "itself; run this after upgrading Masthead's text analysis.\n"},
    {"help", cmd_help, "masthead help [COMMAND]", "show help for a command", ""},
};

static const struct cmd *find_cmd(const char *name)
{
    for (size_t i = 0; i < MH_ARRAY_LEN(commands); i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static void print_overview(FILE *f)
{
    fprintf(f, "usage: masthead COMMAND [ARGS]\n\n"
               "Masthead runs a newspaper's website end to end.\n\ncommands:\n");
    for (size_t i = 0; i < MH_ARRAY_LEN(commands); i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n'masthead help COMMAND' shows a command's options; "
               "'masthead --version' the version.\n");
}

static int cmd_help(int argc, char **argv)
{
    if (argc < 2) {
        print_overview(stdout);
        return 0;
    }
    const struct cmd *c = find_cmd(argv[1]);
    if (c == NULL) {
        fprintf(stderr, "masthead: no command '%s'; 'masthead help' lists them\n", argv[1]);
        return 2;
    }
    printf("usage: %s\n\n%s.\n\n%s", c->usage, c->summary, c->help);
    return 0;
}

int cli_usage(const char *name)
{
    const struct cmd *c = find_cmd(name);
    fprintf(stderr, "usage: %s\n", c ? c->usage : "masthead COMMAND");
    return 2;
}

int main(int argc, char **argv)
{
    if (auth_init() != MH_OK) {
        fprintf(stderr, "masthead: cannot initialise libsodium\n");
        return 1;
    }
    if (argc < 2) {
        print_overview(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("masthead %s (schema %d)\n", MH_VERSION, store_schema_version());
        return 0;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
        return cmd_help(1, argv);
    const struct cmd *c = find_cmd(argv[1]);
    if (c == NULL) {
        fprintf(stderr, "masthead: '%s' is not a command; 'masthead help' lists them\n",
                argv[1]);
        return 2;
    }
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            char *help_argv[] = {"help", argv[1], NULL};
            return cmd_help(2, help_argv);
        }
    }
    return c->fn(argc - 1, argv + 1);
}

/* ------------------------------------------------------------------ */
/* Helpers shared by the commands                                       */

void cli_args_init(struct cli_args *a, int argc, char **argv)
{
    memset(a, 0, sizeof(*a));
    a->argc = argc;
    a->argv = argv;
    a->i = 1;
    a->cmd = argv[0];
}

bool cli_next_option(struct cli_args *a, const char **name, const char **value)
{
    static char optbuf[64];
    while (a->i < a->argc) {
        char *arg = a->argv[a->i++];
        if (strcmp(arg, "--") == 0) {
            while (a->i < a->argc && a->n_operands < (int)MH_ARRAY_LEN(a->operands))
                a->operands[a->n_operands++] = a->argv[a->i++];
            return false;
        }
        if (arg[0] == '-' && arg[1] != '\0') {
            const char *eq = strchr(arg, '=');
            if (eq && (size_t)(eq - arg) < sizeof(optbuf)) {
                memcpy(optbuf, arg, (size_t)(eq - arg));
                optbuf[eq - arg] = '\0';
                *name = optbuf;
                *value = eq + 1;
            } else {
                *name = arg;
                *value = NULL;
            }
            return true;
        }
        if (a->n_operands < (int)MH_ARRAY_LEN(a->operands))
            a->operands[a->n_operands++] = arg;
    }
    return false;
}

const char *cli_option_value(struct cli_args *a, const char *name, const char *inline_value)
{
    if (inline_value)
        return inline_value;
    if (a->i < a->argc)
        return a->argv[a->i++];
    fprintf(stderr, "masthead %s: option %s needs a value\n", a->cmd, name);
    return NULL;
}

int cli_int(const char *cmd, const char *name, const char *v, int64_t min, int64_t max,
            int64_t *out)
{
    if (v == NULL)
        return MH_INVAL;
    if (str_to_i64(str_c(v), min, max, out) != MH_OK) {
        fprintf(stderr, "masthead %s: %s must be a whole number from %lld to %lld, not '%s'\n",
                cmd, name, (long long)min, (long long)max, v);
        return MH_INVAL;
    }
    return MH_OK;
}

struct site *cli_open_site(const char *cmd, const char *dir, bool readonly)
{
    struct site *site;
    char err[1024];
    if (site_open(dir, readonly, &site, err, sizeof(err)) != MH_OK) {
        fprintf(stderr, "masthead %s: %s\n", cmd, err);
        return NULL;
    }
    return site;
}

void progress_start(struct progress *p, const char *label, const char *unit, uint64_t total)
{
    memset(p, 0, sizeof(*p));
    p->label = label;
    p->unit = unit;
    p->total = total;
    p->started_ns = clock_mono_ns();
    p->active = isatty(STDERR_FILENO) && getenv("MH_NO_PROGRESS") == NULL;
}

static void progress_draw(struct progress *p, uint64_t now)
{
    char bar[31];
    double frac = p->total ? (double)p->done / (double)p->total : 0;
    double secs = (double)(now - p->started_ns) / 1e9;
    if (frac > 1)
        frac = 1;
    int fill = (int)(frac * 30);
    for (int i = 0; i < 30; i++)
        bar[i] = i < fill ? '#' : ' ';
    bar[30] = '\0';
    fprintf(stderr, "\r%s %3d%% [%s] %llu %s, %.0f/s ", p->label, (int)(frac * 100), bar,
            (unsigned long long)p->done, p->unit, secs > 0 ? (double)p->done / secs : 0.0);
    fflush(stderr);
}

void progress_update(struct progress *p, uint64_t done)
{
    p->done = done;
    if (!p->active)
        return;
    uint64_t now = clock_mono_ns();
    if (now - p->last_ns < 100000000u) /* ten frames a second at most */
        return;
    p->last_ns = now;
    progress_draw(p, now);
}

void progress_end(struct progress *p)
{
    if (!p->active)
        return;
    progress_draw(p, clock_mono_ns());
    fputc('\n', stderr);
}
