/* SPDX-License-Identifier: MIT */
/*
 * cmd_images.c - `masthead images [make|add|find] DIR ...`: the media
 * library from the command line.  `make` derives what the theme asks for
 * (the path the demo, imports and a static publish use without a server),
 * `add` ingests one file as an upload would, `find` lists the library.
 */
#include "core/compat.h"

#include <stdlib.h>

#include "cli/cli.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/err.h"
#include "media/media.h"
#include "store/store.h"

#ifndef MH_THEME_DIR
#define MH_THEME_DIR "themes/default"
#endif

#define FIND_PAGE 20

static int images_make(struct site *site, const char *theme)
{
    struct media_spec spec;
    char err[1024];
    size_t made, failed;
    if (media_spec_load(theme, &spec, err, sizeof(err)) != MH_OK) {
        fprintf(stderr, "masthead images: %s\n", err);
        return 1;
    }
    if (media_derive_pending(site, site->store, &spec, 0, NULL, &made, &failed) != MH_OK) {
        fprintf(stderr, "masthead images: cannot list the images: %s\n",
                store_errmsg(site->store));
        return 1;
    }
    printf("made the derivatives of %zu images", made);
    if (failed)
        printf("; %zu could not be read (see above)", failed);
    printf("\n");
    return failed ? 1 : 0;
}

/* "0.3,0.7" -> two numbers in 0..1 */
static bool parse_focal(const char *v, double *x, double *y)
{
    char *end;
    *x = strtod(v, &end);
    if (end == v || *end != ',')
        return false;
    const char *second = end + 1;
    *y = strtod(second, &end);
    return end != second && *end == '\0' && *x >= 0 && *x <= 1 && *y >= 0 && *y <= 1;
}

static int images_add(struct site *site, const char *file, const struct media *meta)
{
    struct arena a;
    struct media m;
    bool added;
    char err[1024];
    arena_init(&a, 0);
    int rc = media_add_file(site, file, meta, &a, &m, &added, err, sizeof(err));
    if (rc)
        fprintf(stderr, "masthead images: %s: %s\n", file, err);
    else
        printf("%s media %lld: %.*s (%dx%d, %.*s, %lld bytes)\n",
               added ? "added" : "already in the library as", (long long)m.id,
               (int)m.path.len, m.path.ptr, m.width, m.height, (int)m.mime.len, m.mime.ptr,
               (long long)m.bytes);
    arena_release(&a);
    return rc ? 1 : 0;
}

static int images_find(struct site *site, const char *text, int64_t page)
{
    struct arena a;
    struct media *ms;
    size_t n;
    int64_t total;
    struct media_query q = {text ? str_c(text) : STR_NULL, 0, 0, (page - 1) * FIND_PAGE,
                            FIND_PAGE};
    arena_init(&a, 0);
    int rc = store_media_find(site->store, &a, &q, &ms, &n, &total);
    if (rc) {
        fprintf(stderr, "masthead images: cannot search the library: %s\n",
                store_errmsg(site->store));
        arena_release(&a);
        return 1;
    }
    for (size_t i = 0; i < n; i++)
        printf("%lld\t%.*s\t%dx%d\t%.*s\t%.*s\t%.*s\n", (long long)ms[i].id,
               (int)ms[i].path.len, ms[i].path.ptr, ms[i].width, ms[i].height,
               (int)ms[i].caption.len, ms[i].caption.ptr, (int)ms[i].credit.len,
               ms[i].credit.ptr, (int)ms[i].alt.len, ms[i].alt.ptr);
    printf("%lld images match; page %lld of %lld\n", (long long)total, (long long)page,
           (long long)((total + FIND_PAGE - 1) / FIND_PAGE));
    arena_release(&a);
    return 0;
}

int cmd_images(int argc, char **argv)
{
    struct cli_args a;
    const char *name, *value, *theme = MH_THEME_DIR, *text = NULL;
    struct media meta = {0};
    int64_t page = 1;
    cli_args_init(&a, argc, argv);
    while (cli_next_option(&a, &name, &value)) {
        const char *v = cli_option_value(&a, name, value);
        if (v == NULL)
            return 2;
        if (strcmp(name, "--theme") == 0)
            theme = v;
        else if (strcmp(name, "--caption") == 0)
            meta.caption = str_c(v);
        else if (strcmp(name, "--credit") == 0)
            meta.credit = str_c(v);
        else if (strcmp(name, "--alt") == 0)
            meta.alt = str_c(v);
        else if (strcmp(name, "--text") == 0)
            text = v;
        else if (strcmp(name, "--page") == 0) {
            if (cli_int("images", name, v, 1, 1000000, &page))
                return 2;
        } else if (strcmp(name, "--focal") == 0) {
            if (!parse_focal(v, &meta.focal_x, &meta.focal_y)) {
                fprintf(stderr, "masthead images: --focal wants X,Y with both from 0 to 1, "
                                "like 0.5,0.3\n");
                return 2;
            }
        } else {
            fprintf(stderr, "masthead images: unknown option '%s'\n", name);
            return cli_usage("images");
        }
    }
    const char *verb = "make";
    int first = 0;
    if (a.n_operands >= 1 && (strcmp(a.operands[0], "make") == 0 ||
                              strcmp(a.operands[0], "add") == 0 ||
                              strcmp(a.operands[0], "find") == 0)) {
        verb = a.operands[0];
        first = 1;
    }
    int want = strcmp(verb, "add") == 0 ? 2 : 1;
    if (a.n_operands - first != want)
        return cli_usage("images");
    struct site *site = cli_open_site("images", a.operands[first], false);
    if (site == NULL)
        return 1;
    int rc;
    if (strcmp(verb, "add") == 0) {
        meta.created_at = clock_now_ms();
        rc = images_add(site, a.operands[first + 1], &meta);
    } else if (strcmp(verb, "find") == 0) {
        rc = images_find(site, text, page);
    } else {
        rc = images_make(site, theme);
    }
    site_close(site);
    return rc;
}
