/* SPDX-License-Identifier: MIT */
/*
 * library_test.c - ingestion (media/library.c): every accepted format, EXIF
 * and text chunks really gone with the orientation applied, decompression
 * bombs refused on the header, truncated files, things that are not images,
 * size limits, a wrong file name, and the caption, credit, alt text and
 * focal point reaching the library.  Images are made here with libvips.
 */
#include "../check.h"

#include "auth/auth.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/fs.h"
#include "core/limits.h"
#include "media/media.h"
#include "store/store.h"

#include "images.h"

#define MP50 50000000u

static bool has(struct str hay, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= hay.len; i++)
        if (memcmp(hay.ptr + i, needle, n) == 0)
            return true;
    return false;
}

static int clean(struct str in, struct buf *out, struct probe_info *info, char *err)
{
    buf_init(out, NULL, MH_MAX_IMAGE_FILE);
    return media_clean(in, 8 * MH_MIB, MP50, out, info, err, 512);
}

static void test_each_format(void **state)
{
    static const struct {
        const char *fmt, *mime;
        enum probe_type type;
    } cases[] = {{".jpg", "image/jpeg", PROBE_JPEG},
                 {".png", "image/png", PROBE_PNG},
                 {".gif", "image/gif", PROBE_GIF},
                 {".webp", "image/webp", PROBE_WEBP}};
    (void)state;
    for (size_t i = 0; i < MH_ARRAY_LEN(cases); i++) {
        struct buf img, out;
        struct probe_info info;
        char err[512];
        test_image(120, 80, cases[i].fmt, &img);
        int rc = clean(buf_str(&img), &out, &info, err);
        if (rc)
            fprintf(stderr, "%s: %s\n", cases[i].fmt, err);
        assert_int_equal(rc, MH_OK);
        assert_int_equal(info.type, cases[i].type);
        assert_string_equal(info.mime, cases[i].mime);
        assert_int_equal(info.width, 120);
        assert_int_equal(info.height, 80);
        if (info.type == PROBE_JPEG) /* nothing to strip: the very same bytes */
            assert_true(out.len == img.len && memcmp(out.data, img.data, img.len) == 0);
        buf_release(&img);
        buf_release(&out);
    }
}

static void test_exif_gone_orientation_applied(void **state)
{
    struct buf img, exif, out;
    struct probe_info info;
    char err[512];
    (void)state;
    test_image(200, 100, ".jpg", &img);
    test_jpeg_with_exif(buf_str(&img), 6, "Jane Secret Photographer", &exif);
    assert_true(has(buf_str(&exif), "Jane Secret"));
    assert_int_equal(clean(buf_str(&exif), &out, &info, err), MH_OK);
    assert_false(has(buf_str(&out), "Jane Secret"));
    assert_false(has(buf_str(&out), "Exif"));
    /* orientation 6: turned a quarter, so the stored image stands upright */
    assert_int_equal(info.width, 100);
    assert_int_equal(info.height, 200);
    buf_release(&img);
    buf_release(&exif);
    buf_release(&out);
}

static void test_png_text_gone(void **state)
{
    struct buf img, txt, out;
    struct probe_info info;
    char err[512];
    (void)state;
    test_image(64, 48, ".png", &img);
    test_png_with_text(buf_str(&img), "Comment", "home address 12 Secret Lane", &txt);
    assert_int_equal(clean(buf_str(&txt), &out, &info, err), MH_OK);
    assert_false(has(buf_str(&out), "Secret Lane"));
    assert_false(has(buf_str(&out), "tEXt"));
    assert_int_equal(info.width, 64);
    buf_release(&img);
    buf_release(&txt);
    buf_release(&out);
}

static void test_bomb_refused_on_header(void **state)
{
    struct buf img, out;
    struct probe_info info;
    char err[512];
    (void)state;
    /* a few hundred bytes declaring 20000 x 20000: 400 megapixels */
    test_image(16, 16, ".png", &img);
    test_png_lie(&img, 20000, 20000);
    assert_int_equal(clean(buf_str(&img), &out, &info, err), MH_TOOBIG);
    assert_non_null(strstr(err, "too many pixels"));
    assert_non_null(strstr(err, "20000x20000"));
    buf_release(&out);
    /* the limit is the caller's: 200 pixels is too many for a 16 x 16 limit of 100 */
    buf_reset(&img);
    buf_release(&img);
    test_image(16, 16, ".png", &img);
    buf_init(&out, NULL, MH_MAX_IMAGE_FILE);
    assert_int_equal(media_clean(buf_str(&img), MH_MIB, 100, &out, &info, err, sizeof(err)),
                     MH_TOOBIG);
    buf_release(&out);
    buf_release(&img);
}

static void test_truncated_and_not_images(void **state)
{
    static const char *const fmts[] = {".jpg", ".png", ".gif", ".webp"};
    struct buf img, out;
    struct probe_info info;
    char err[512];
    (void)state;
    for (size_t i = 0; i < MH_ARRAY_LEN(fmts); i++) {
        test_image(300, 200, fmts[i], &img);
        assert_int_equal(clean(str_make(img.data, img.len / 2), &out, &info, err), MH_INVAL);
        assert_non_null(strstr(err, "truncated"));
        buf_release(&out);
        buf_release(&img);
    }
    assert_int_equal(clean(STR_LIT("<html>not a picture</html>"), &out, &info, err), MH_INVAL);
    assert_non_null(strstr(err, "not a JPEG, PNG, GIF or WebP image"));
    buf_release(&out);
    assert_int_equal(clean(STR_LIT(""), &out, &info, err), MH_INVAL);
    buf_release(&out);
}

static void test_too_big(void **state)
{
    struct buf img, out;
    struct probe_info info;
    char err[512];
    (void)state;
    test_image(64, 64, ".png", &img);
    buf_init(&out, NULL, MH_MAX_IMAGE_FILE);
    assert_int_equal(media_clean(buf_str(&img), 100, MP50, &out, &info, err, sizeof(err)),
                     MH_TOOBIG);
    assert_non_null(strstr(err, "too big"));
    buf_release(&out);
    buf_release(&img);
}

/* Through the library: a site, the wrong extension, the metadata given. */
static void test_add_file_named_wrong(void **state)
{
    char err[1024], path[4200], file[4300];
    struct site *site;
    struct arena a;
    struct media meta = {0}, m, again;
    struct buf img;
    bool added;
    (void)state;
    assert_int_equal(auth_init(), MH_OK);
    char *dir = check_tmpdir("media");
    snprintf(path, sizeof(path), "%s/site", dir);
    assert_int_equal(site_init(path, err, sizeof(err)), MH_OK);
    assert_int_equal(site_open(path, false, &site, err, sizeof(err)), MH_OK);
    arena_init(&a, 0);
    test_image(90, 60, ".png", &img);
    snprintf(file, sizeof(file), "%s/photo.jpg", dir); /* a PNG called .jpg */
    assert_int_equal(fs_write_atomic(file, buf_str(&img), err, sizeof(err)), MH_OK);
    meta.caption = STR_LIT("Divers check the reef sensors");
    meta.credit = STR_LIT("Photo: Test Desk");
    meta.alt = STR_LIT("Two divers beside a yellow buoy");
    meta.focal_x = 0.25;
    meta.focal_y = 0.75;
    assert_int_equal(media_add_file(site, file, &meta, &a, &m, &added, err, sizeof(err)), MH_OK);
    assert_true(added);
    CHECK_STR(m.mime, "image/png");
    assert_true(str_eq_c(str_make(m.path.ptr + m.path.len - 4, 4), ".png"));
    assert_int_equal(store_media_get(site->store, &a, m.id, &again), MH_OK);
    CHECK_STR(again.caption, "Divers check the reef sensors");
    CHECK_STR(again.credit, "Photo: Test Desk");
    CHECK_STR(again.alt, "Two divers beside a yellow buoy");
    assert_true(again.focal_x == 0.25 && again.focal_y == 0.75);
    assert_int_equal(again.width, 90);
    /* the same picture again is the same row */
    assert_int_equal(media_add_file(site, file, &meta, &a, &again, &added, err, sizeof(err)),
                     MH_OK);
    assert_false(added);
    assert_true(again.id == m.id);
    /* a focal point outside the picture */
    meta.focal_x = 1.5;
    assert_int_equal(media_add_file(site, file, &meta, &a, &again, &added, err, sizeof(err)),
                     MH_INVAL);
    assert_non_null(strstr(err, "focal point"));
    /* the site's own limit: [images] max_megapixels */
    meta.focal_x = 0.5;
    site->conf.image_max_megapixels = 1;
    buf_release(&img);
    test_image(1200, 1000, ".png", &img);
    assert_int_equal(media_add_bytes(site, buf_str(&img), &meta, &a, &again, &added, err,
                                     sizeof(err)),
                     MH_TOOBIG);
    buf_release(&img);
    arena_release(&a);
    site_close(site);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_format),
        cmocka_unit_test(test_exif_gone_orientation_applied),
        cmocka_unit_test(test_png_text_gone),
        cmocka_unit_test(test_bomb_refused_on_header),
        cmocka_unit_test(test_truncated_and_not_images),
        cmocka_unit_test(test_too_big),
        cmocka_unit_test(test_add_file_named_wrong),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
