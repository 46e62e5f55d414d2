/* SPDX-License-Identifier: MIT */
/* image_test.c - store/image.c: the media library's search and paging, and
 * the bookkeeping of derivatives, on a real SQLite file. */
#include "../check.h"

#include "auth/auth.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/store.h"

static void add(struct store *s, const char *sha, const char *caption, const char *credit,
                const char *alt, int64_t at)
{
    struct media m = {0};
    m.sha256 = str_c(sha);
    m.path = str_c("media/xx/x.png");
    m.mime = STR_LIT("image/png");
    m.width = m.height = 10;
    m.caption = str_c(caption);
    m.credit = str_c(credit);
    m.alt = str_c(alt);
    m.focal_x = m.focal_y = 0.5;
    m.created_at = at;
    assert_int_equal(store_media_insert(s, &m), MH_OK);
}

static void test_find_and_derivatives(void **state)
{
    char err[1024], path[4200];
    struct site *site;
    struct arena a;
    struct media *ms;
    size_t n;
    int64_t total;
    (void)state;
    assert_int_equal(auth_init(), MH_OK);
    char *dir = check_tmpdir("store-image");
    snprintf(path, sizeof(path), "%s/site", dir);
    assert_int_equal(site_init(path, err, sizeof(err)), MH_OK);
    assert_int_equal(site_open(path, false, &site, err, sizeof(err)), MH_OK);
    struct store *s = site->store;
    arena_init(&a, 0);
    add(s, "a1", "Harbour cranes at dawn", "Photo: Li Wei", "Cranes", 1000);
    add(s, "a2", "Seed vault entrance", "Photo: Ana Ruiz", "A steel door in snow", 2000);
    add(s, "a3", "Rice terraces", "Drone photo: li wei", "Green steps on a hill", 3000);
    add(s, "a4", "Lab bench", "Handout", "Pipettes", 4000);

    struct media_query q = {STR_LIT("LI WEI"), 0, 0, 0, 10};
    assert_int_equal(store_media_find(s, &a, &q, &ms, &n, &total), MH_OK);
    assert_int_equal(n, 2);
    assert_int_equal(total, 2);
    CHECK_STR(ms[0].caption, "Rice terraces"); /* newest first */
    q.text = STR_LIT("snow");                   /* alt text */
    assert_int_equal(store_media_find(s, &a, &q, &ms, &n, &total), MH_OK);
    assert_int_equal(n, 1);
    CHECK_STR(ms[0].sha256, "a2");
    /* a date range and pages */
    q = (struct media_query){STR_NULL, 2000, 4000, 0, 1};
    assert_int_equal(store_media_find(s, &a, &q, &ms, &n, &total), MH_OK);
    assert_int_equal(total, 2);
    assert_int_equal(n, 1);
    CHECK_STR(ms[0].sha256, "a3");
    q.offset = 1;
    assert_int_equal(store_media_find(s, &a, &q, &ms, &n, &total), MH_OK);
    CHECK_STR(ms[0].sha256, "a2");
    q.limit = 0;
    assert_int_equal(store_media_find(s, &a, &q, &ms, &n, &total), MH_INVAL);

    /* derivatives: pending, put, got, done */
    assert_int_equal(store_media_pending(s, &a, STR_LIT("spec1"), 0, 10, &ms, &n), MH_OK);
    assert_int_equal(n, 4);
    int64_t id = ms[0].id;
    struct image_derivative d[2] = {
        {id, STR_LIT("lead"), 640, 360, STR_LIT("jpg"), 0, 1, 10, 5, STR_LIT("media/a.jpg"), 9},
        {id, STR_LIT("lead"), 640, 360, STR_LIT("webp"), 0, 1, 10, 5, STR_LIT("media/a.webp"), 7},
    };
    assert_int_equal(store_derivatives_put(s, id, STR_LIT("spec1"), d, 2, STR_NULL), MH_OK);
    struct image_derivative *got;
    assert_int_equal(store_derivatives_get(s, &a, id, &got, &n), MH_OK);
    assert_int_equal(n, 2);
    CHECK_STR(got[1].format, "webp");
    assert_int_equal(got[0].crop_y, 1);
    assert_int_equal(store_media_pending(s, &a, STR_LIT("spec1"), 0, 10, &ms, &n), MH_OK);
    assert_int_equal(n, 3);
    assert_int_equal(store_media_pending(s, &a, STR_LIT("spec2"), 0, 10, &ms, &n), MH_OK);
    assert_int_equal(n, 4);
    struct media m;
    assert_int_equal(store_media_get(s, &a, id, &m), MH_OK);
    assert_int_equal(store_media_get(s, &a, 999, &m), MH_NOTFOUND);
    m.id = 999;
    assert_int_equal(store_media_set_meta(s, &m), MH_NOTFOUND);
    arena_release(&a);
    site_close(site);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_find_and_derivatives),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
