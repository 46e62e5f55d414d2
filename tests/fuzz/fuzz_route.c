/* SPDX-License-Identifier: MIT */
/*
 * fuzz_route.c - the reader site's routing: any request target, decoded as
 * the server decodes it, goes through site_render() against a small real
 * site (made once, in a temporary folder removed at exit).  It must answer
 * with one of the statuses the site uses and never crash, leak or hang.
 */
#include "core/compat.h"

#include <ftw.h>
#include <unistd.h>

#include "auth/auth.h"
#include "core/arena.h"
#include "core/err.h"
#include "http/http.h"
#include "site/site.h"
#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct site *site;
static struct site_app *app;
static char dir[256];

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

static void cleanup(void)
{
    site_app_free(app);
    site_close(site);
    nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void setup(void)
{
    char err[1024];
    snprintf(dir, sizeof(dir), "/tmp/mh-fuzz-route-%ld", (long)getpid());
    if (auth_init() != MH_OK || site_init(dir, err, sizeof(err)) != MH_OK ||
        site_open(dir, false, &site, err, sizeof(err)) != MH_OK) {
        fprintf(stderr, "fuzz_route: %s\n", err);
        abort();
    }
    static struct str authors[] = {STR_LIT("LIN Qiao")};
    for (int i = 0; i < 30; i++) {
        struct article a = {0};
        a.id = 480000 + i;
        a.edition = i % 3 ? STR_LIT("english") : STR_LIT("zh");
        a.channel = i % 2 ? STR_LIT("news") : STR_LIT("policy");
        a.title = STR_LIT("A test headline");
        a.authors = authors;
        a.n_authors = 1;
        a.body = STR_LIT("Some *body* text.\n\n<script>alert(1)</script>");
        a.status = i % 7 == 0 ? ARTICLE_WITHDRAWN : ARTICLE_PUBLISHED;
        a.first_published_at = a.last_published_at = INT64_C(1772761190194) + i * 3600000;
        if (store_article_insert(site->store, &a) != MH_OK)
            abort();
    }
    /* the IndexNow key file is a route too */
    snprintf(site->conf.indexnow_key, sizeof(site->conf.indexnow_key), "fuzzkey0123");
    if (site_app_new(site, MH_SRC_DIR "/themes/default", &app, err, sizeof(err)) != MH_OK) {
        fprintf(stderr, "fuzz_route: %s\n", err);
        abort();
    }
    atexit(cleanup);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena arena;
    struct str path;
    struct site_page pg;
    if (site == NULL)
        setup();
    arena_init(&arena, 0);
    /* the server decodes the target first; what it refuses never reaches the site */
    if (http_url_decode_path(str_make((const char *)data, size), &arena, &path) == MH_OK) {
        int rc = site_render(app, site->store, &arena, path, &pg);
        if (rc != MH_OK || !(pg.status == 200 || pg.status == 301 || pg.status == 302 ||
                             pg.status == 404 || pg.status == 410)) {
            fprintf(stderr, "'%.*s': rc %d status %d\n", (int)path.len, path.ptr, rc, pg.status);
            abort();
        }
    }
    arena_release(&arena);
    return 0;
}
