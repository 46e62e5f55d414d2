/* SPDX-License-Identifier: MIT */
/* manifest_test.c - the publisher's record of a folder (store/pubdb.h) and
 * its in-memory table (publish/manifest.c): a round trip through the file,
 * which pages link an article, pages under a prefix, a channel's topped-up
 * pages, replaced and removed links, a file that is not a record, and the
 * file names the table accepts. */
#include "../check.h"

#include "core/err.h"
#include "core/fs.h"
#include "publish/publish_int.h"
#include "store/pubdb.h"

static char *record_path(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/.masthead-publish", dir);
    return mh_strdup(path);
}

/* Add FILE to M as this run made it, linking SHOWS. */
static struct pentry *made(struct manifest *m, const char *file, unsigned char h,
                           const int64_t *shows, size_t n)
{
    struct pentry *e = manifest_put(m, str_c(file));
    memset(e->hash, h, PUBLISH_HASH_LEN);
    e->flags = PE_GZ | PE_DIRTY | PE_SHOWS;
    e->shows = shows;
    e->n_shows = n;
    e->shows_sum = pubdb_shows_sum(shows, n);
    return e;
}

static void take_finger(void *ctx, struct str edition, const unsigned char hash[PUBDB_HASH_LEN])
{
    assert_int_equal(manifest_set_finger(ctx, edition, hash), MH_OK);
}

static int count_row(void *ctx, const struct pubdb_page *p)
{
    (void)p;
    (*(int *)ctx)++;
    return MH_OK;
}

static int last_row(void *ctx, const struct pubdb_page *p)
{
    snprintf(ctx, 256, "%.*s", (int)p->file.len, p->file.ptr);
    return MH_OK;
}

static void test_round_trip(void **state)
{
    (void)state;
    char *dir = check_tmpdir("pubdb"), *path = record_path(dir), err[256];
    struct pubdb *db;
    struct manifest m;
    static const int64_t front_shows[] = {481099, 481100}, art_shows[] = {481100};
    int rc = pubdb_open(path, &db, err, sizeof(err));
    if (rc)
        fprintf(stderr, "%s\n", err);
    assert_int_equal(rc, MH_OK);
    int64_t seq, at;
    assert_int_equal(pubdb_state(db, &seq, &at), MH_OK);
    assert_int_equal(seq, -1); /* no run yet */

    manifest_init(&m);
    made(&m, "english/index.html", 1, front_shows, 2);
    struct pentry *e = made(&m, "english/2026-03/06/content_481099.html", 2, art_shows, 1);
    e->flags |= PE_CARD | PE_NEWEST;
    e->channel = manifest_channel(&m, STR_LIT("news"));
    memset(e->look, 3, PUBLISH_HASH_LEN);
    memset(e->place, 4, PUBLISH_HASH_LEN);
    e->keywords = STR_LIT("ports\ncranes");
    e->published_at = 1780000000000;
    made(&m, "english/news/index.html", 5, front_shows, 2);
    made(&m, "english/news/index_2.html", 6, NULL, 0);
    made(&m, "media/ab/ab01.png", 7, NULL, 0)->flags = PE_DIRTY;
    unsigned char fh[1][PUBDB_HASH_LEN] = {{9}};
    struct str eds[1] = {STR_LIT("english")};
    assert_int_equal(pubdb_begin(db), MH_OK);
    assert_int_equal(manifest_save(&m, db), MH_OK);
    assert_int_equal(pubdb_set_state(db, 42, 1780000000001), MH_OK);
    assert_int_equal(pubdb_set_fingers(db, eds, (const unsigned char (*)[PUBDB_HASH_LEN])fh, 1),
                     MH_OK);
    assert_int_equal(pubdb_commit(db), MH_OK);
    manifest_release(&m);
    pubdb_close(db);

    /* opened again: the same rows */
    assert_int_equal(pubdb_open(path, &db, err, sizeof(err)), MH_OK);
    assert_int_equal(pubdb_state(db, &seq, &at), MH_OK);
    assert_int_equal(seq, 42);
    assert_int_equal(at, 1780000000001);
    manifest_init(&m);
    assert_int_equal(pubdb_fingers(db, take_finger, &m), MH_OK);
    assert_non_null(manifest_finger(&m, STR_LIT("english")));
    assert_int_equal(manifest_finger(&m, STR_LIT("english"))->hash[0], 9);
    assert_int_equal(manifest_load(&m, db, STR_LIT("english/2026-03/06/content_481099.html")),
                     MH_OK);
    assert_int_equal(m.used, 1);
    assert_int_equal(manifest_load(&m, db, STR_LIT("english/absent.html")), MH_OK);
    assert_int_equal(m.used, 1);
    assert_int_equal(manifest_load_all(&m, db), MH_OK);
    assert_int_equal(m.used, 5);
    e = manifest_find(&m, STR_LIT("english/2026-03/06/content_481099.html"));
    assert_non_null(e);
    assert_int_equal(e->article_id, 481099);
    assert_string_equal(e->channel, "news");
    assert_int_equal(e->flags, PE_GZ | PE_CARD | PE_NEWEST | PE_STORED);
    assert_int_equal(e->look[0], 3);
    assert_int_equal(e->place[0], 4);
    assert_int_equal(e->published_at, 1780000000000);
    assert_int_equal(e->shows_sum, pubdb_shows_sum(art_shows, 1));
    assert_int_equal(manifest_find(&m, STR_LIT("media/ab/ab01.png"))->flags, PE_STORED);

    /* the keywords come with a single page */
    struct arena a;
    struct pubdb_page p;
    arena_init(&a, 4096);
    assert_int_equal(pubdb_page_get(db, &a, STR_LIT("english/2026-03/06/content_481099.html"), &p),
                     MH_OK);
    CHECK_STR(p.keywords, "ports\ncranes");
    assert_int_equal(pubdb_page_get(db, &a, STR_LIT("nothing.html"), &p), MH_NOTFOUND);

    /* who links 481100: the front page, the channel page and the article */
    int n = 0;
    assert_int_equal(pubdb_showing(db, 481100, count_row, &n), MH_OK);
    assert_int_equal(n, 3);
    n = 0;
    assert_int_equal(pubdb_showing(db, 481099, count_row, &n), MH_OK);
    assert_int_equal(n, 2);
    n = 0;
    assert_int_equal(pubdb_pages_under(db, STR_LIT("english/news/index"), count_row, &n), MH_OK);
    assert_int_equal(n, 2);
    n = 0;
    assert_int_equal(pubdb_channel_pages(db, STR_LIT("english"), STR_LIT("news"), PE_NEWEST,
                                         count_row, &n),
                     MH_OK);
    assert_int_equal(n, 1);
    n = 0;
    assert_int_equal(pubdb_channel_pages(db, STR_LIT("zh"), STR_LIT("news"), PE_NEWEST,
                                         count_row, &n),
                     MH_OK);
    assert_int_equal(n, 0);
    char last[256] = "";
    assert_int_equal(pubdb_article_pages(db, 481099, last_row, last), MH_OK);
    assert_string_equal(last, "english/2026-03/06/content_481099.html");

    /* the front page now links only 481099; the channel's second page goes */
    static const int64_t fewer[] = {481099};
    e = manifest_find(&m, STR_LIT("english/index.html"));
    e->shows = fewer;
    e->n_shows = 1;
    e->flags |= PE_DIRTY | PE_SHOWS;
    manifest_find(&m, STR_LIT("english/news/index_2.html"))->flags |= PE_GONE;
    assert_int_equal(pubdb_begin(db), MH_OK);
    assert_int_equal(manifest_save(&m, db), MH_OK);
    assert_int_equal(pubdb_commit(db), MH_OK);
    n = 0;
    assert_int_equal(pubdb_showing(db, 481100, count_row, &n), MH_OK);
    assert_int_equal(n, 2);
    n = 0;
    assert_int_equal(pubdb_pages(db, count_row, &n), MH_OK);
    assert_int_equal(n, 4);
    arena_release(&a);
    manifest_release(&m);
    pubdb_close(db);
    free(path);
    free(dir);
}

/* An older text manifest, or any other file, is not a record. */
static void test_not_a_record(void **state)
{
    (void)state;
    char *dir = check_tmpdir("pubdb"), *path = record_path(dir), err[256];
    struct pubdb *db;
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("masthead-publish 1\nseq 42\nat 1780000000000\n", f);
    fclose(f);
    assert_int_equal(pubdb_open(path, &db, err, sizeof(err)), MH_INVAL);
    assert_non_null(strstr(err, path));
    free(path);
    free(dir);
}

static void test_file_names(void **state)
{
    (void)state;
    struct manifest m;
    unsigned char h[PUBLISH_HASH_LEN] = {1};
    manifest_init(&m); /* a damaged record's fingerprint row without an edition */
    assert_int_equal(manifest_set_finger(&m, STR_NULL, h), MH_INVAL);
    assert_int_equal(m.n_finger, 0);
    manifest_release(&m);
    assert_true(manifest_file_ok(STR_LIT("english/index.html")));
    assert_true(manifest_file_ok(STR_LIT("404.html")));
    assert_false(manifest_file_ok(STR_LIT("english/../x")));
    assert_false(manifest_file_ok(STR_LIT(".masthead-publish")));
    assert_false(manifest_file_ok(STR_LIT("a//b")));
    assert_false(manifest_file_ok(STR_LIT("a/")));
    assert_false(manifest_file_ok(STR_LIT("a\tb")));
    assert_false(manifest_file_ok(STR_LIT("")));
    assert_int_equal(manifest_article_id(STR_LIT("zh/2026-01/02/content_7.html")), 7);
    assert_int_equal(manifest_article_id(STR_LIT("zh/news/index_2.html")), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_not_a_record),
        cmocka_unit_test(test_file_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
