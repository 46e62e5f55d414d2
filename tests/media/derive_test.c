/* SPDX-License-Identifier: MIT */
/*
 * derive_test.c - derivatives (media/derive.c): theme.ini [images] parsing,
 * the crop rectangle around the focal point, and real files made on a real
 * site: sizes, names, formats, never enlarged, made once, and recorded.
 */
#include "../check.h"

#include <vips/vips.h>

#include "auth/auth.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/fs.h"
#include "media/media.h"
#include "store/store.h"

#include "images.h"

static void test_spec_parse(void **state)
{
    struct media_spec sp, other;
    char err[512];
    (void)state;
    assert_int_equal(media_spec_parse(STR_LIT("[site]\nname = x\n[images]\n"
                                              "lead = 960x540, 640x360\nwidths = 1280,640\n"
                                              "t1 = 590x324\n"),
                                      &sp, err, sizeof(err)),
                     MH_OK);
    assert_int_equal(sp.n, 3);
    assert_string_equal(sp.v[0].name, "lead");
    assert_int_equal(sp.v[0].n, 2);
    assert_int_equal(sp.v[0].size[1].width, 640);
    assert_int_equal(sp.v[0].size[1].height, 360);
    assert_string_equal(sp.v[1].name, MEDIA_WIDTHS);
    assert_int_equal(sp.v[1].size[0].width, 1280);
    assert_int_equal(sp.v[1].size[0].height, 0);
    assert_string_equal(sp.v[2].name, "t1");
    assert_int_equal(strlen(sp.digest), 16);
    /* another list, another digest; the same list, the same one */
    assert_int_equal(media_spec_parse(STR_LIT("[images]\nlead = 960x540\n"), &other, err,
                                      sizeof(err)),
                     MH_OK);
    assert_string_not_equal(sp.digest, other.digest);
    static const char *const bad[] = {
        "[images]\nlead = 960\n",         "[images]\nwidths = 960x540\n",
        "[images]\nlead = 0x540\n",       "[images]\nlead = 9000x540\n",
        "[images]\nLead = 960x540\n",     "[images]\nlead = 960x540\nlead = 640x360\n",
        "[images]\nlead = \n",            "[images]\nlead = 960x540,,\n",
        "[images]\nw = 960x540\n",        "[images]\nlead = 960x540 640x360\n",
    };
    for (size_t i = 0; i < MH_ARRAY_LEN(bad); i++) {
        err[0] = '\0';
        assert_int_equal(media_spec_parse(str_c(bad[i]), &sp, err, sizeof(err)), MH_INVAL);
        assert_true(err[0] != '\0');
    }
    /* the default theme's own list parses */
    assert_int_equal(media_spec_load(MH_SRC_THEME, &sp, err, sizeof(err)), MH_OK);
    assert_true(sp.n >= 2);
}

static void check_crop(int w, int h, double fx, double fy, int ow, int oh, int x, int y, int cw,
                       int ch)
{
    struct media_crop c;
    media_crop_rect(w, h, fx, fy, ow, oh, &c);
    if (c.x != x || c.y != y || c.w != cw || c.h != ch) {
        fprintf(stderr, "%dx%d focal %.2f,%.2f to %dx%d: got %d,%d %dx%d, want %d,%d %dx%d\n", w,
                h, fx, fy, ow, oh, c.x, c.y, c.w, c.h, x, y, cw, ch);
        fail();
    }
}

static void test_crop_geometry(void **state)
{
    (void)state;
    /* landscape 1000x800 to 16:9: full width, 563 high, centred on the focal point */
    check_crop(1000, 800, 0.5, 0.5, 640, 360, 0, 119, 1000, 563);
    check_crop(1000, 800, 0.5, 0.0, 640, 360, 0, 0, 1000, 563);     /* top edge */
    check_crop(1000, 800, 0.5, 1.0, 640, 360, 0, 237, 1000, 563);   /* bottom edge */
    check_crop(1000, 800, 0.9, 0.3, 640, 360, 0, 0, 1000, 563);     /* y: 240-281 < 0 */
    /* a wide panorama to a square: full height, x follows the focal point */
    check_crop(3000, 1000, 0.5, 0.5, 300, 300, 1000, 0, 1000, 1000);
    check_crop(3000, 1000, 0.1, 0.5, 300, 300, 0, 0, 1000, 1000);
    check_crop(3000, 1000, 0.8, 0.5, 300, 300, 1900, 0, 1000, 1000);
    check_crop(3000, 1000, 1.0, 0.5, 300, 300, 2000, 0, 1000, 1000);
    /* the reference page's t1 = 590x324 of a 614x336 picture */
    check_crop(614, 336, 0.5, 0.5, 590, 324, 1, 0, 612, 336);
    /* same ratio: the whole image; no height: the whole image */
    check_crop(1280, 720, 0.2, 0.9, 640, 360, 0, 0, 1280, 720);
    check_crop(1280, 720, 0.2, 0.9, 640, 0, 0, 0, 1280, 720);
    /* a focal point out of range is the centre */
    check_crop(1000, 800, -3, 7, 640, 360, 0, 119, 1000, 563);
}

struct site_fixture {
    char *dir;
    struct site *site;
    struct arena a;
};

static void open_site(struct site_fixture *f)
{
    char err[1024], path[4200];
    assert_int_equal(auth_init(), MH_OK);
    f->dir = check_tmpdir("derive");
    snprintf(path, sizeof(path), "%s/site", f->dir);
    assert_int_equal(site_init(path, err, sizeof(err)), MH_OK);
    assert_int_equal(site_open(path, false, &f->site, err, sizeof(err)), MH_OK);
    arena_init(&f->a, 0);
}

static void close_site(struct site_fixture *f)
{
    arena_release(&f->a);
    site_close(f->site);
    free(f->dir);
}

static void check_file(struct site_fixture *f, const struct image_derivative *d)
{
    char *abs = site_path(f->site, &f->a, d->path);
    VipsImage *im = vips_image_new_from_file(abs, NULL);
    assert_non_null(im);
    assert_int_equal(vips_image_get_width(im), d->width);
    assert_int_equal(vips_image_get_height(im), d->height);
    const char *loader = NULL;
    assert_int_equal(vips_image_get_string(im, "vips-loader", &loader), 0);
    assert_non_null(strstr(loader, str_eq_c(d->format, "webp") ? "webpload" : "jpegload"));
    g_object_unref(im);
}

static void test_derive_files(void **state)
{
    struct site_fixture f;
    struct media_spec sp;
    struct media meta = {0}, m;
    struct buf img;
    struct image_derivative *d;
    size_t n;
    char err[1024];
    (void)state;
    open_site(&f);
    assert_int_equal(media_spec_parse(STR_LIT("[images]\nlead = 640x360, 320x180\n"
                                              "widths = 1280, 640\nt1 = 590x324\n"),
                                      &sp, err, sizeof(err)),
                     MH_OK);
    test_image(1000, 800, ".png", &img);
    meta.focal_x = 0.5;
    meta.focal_y = 1.0; /* the bottom edge: crops sit at the bottom */
    assert_int_equal(media_add_bytes(f.site, buf_str(&img), &meta, &f.a, &m, NULL, err,
                                     sizeof(err)),
                     MH_OK);
    int rc = media_derive(f.site, f.site->store, &sp, &m, err, sizeof(err));
    if (rc)
        fprintf(stderr, "%s\n", err);
    assert_int_equal(rc, MH_OK);
    assert_int_equal(store_derivatives_get(f.site->store, &f.a, m.id, &d, &n), MH_OK);
    /* lead: 2 sizes, t1: 1, w: 1280 is not enlarged (1000x800) and 640: 5 sizes x 2 formats */
    assert_int_equal(n, 10);
    bool seen_lead640 = false, seen_w1000 = false, seen_t1 = false;
    for (size_t i = 0; i < n; i++) {
        check_file(&f, &d[i]);
        assert_true(str_starts(d[i].path, "media/"));
        if (str_eq_c(d[i].variant, "lead") && d[i].width == 640) {
            seen_lead640 = true;
            assert_int_equal(d[i].height, 360);
            assert_int_equal(d[i].crop_y, 237); /* bottom */
            assert_int_equal(d[i].crop_h, 563);
            char want[64];
            snprintf(want, sizeof(want), "_lead_0X237X1000X563_640x360.%s",
                     str_eq_c(d[i].format, "jpg") ? "jpg" : "webp");
            assert_true(d[i].path.len > strlen(want) &&
                        memcmp(d[i].path.ptr + d[i].path.len - strlen(want), want,
                               strlen(want)) == 0);
        }
        if (str_eq_c(d[i].variant, MEDIA_WIDTHS) && d[i].width == 1000) {
            seen_w1000 = true;
            assert_int_equal(d[i].height, 800);
        }
        if (str_eq_c(d[i].variant, "t1")) {
            seen_t1 = true;
            assert_int_equal(d[i].width, 590);
            assert_int_equal(d[i].height, 324);
        }
    }
    assert_true(seen_lead640 && seen_w1000 && seen_t1);

    /* made once: nothing is pending for this list any more */
    size_t made, failed;
    assert_int_equal(media_derive_pending(f.site, f.site->store, &sp, 0, NULL, &made, &failed),
                     MH_OK);
    assert_int_equal(made, 0);
    /* a moved focal point makes it due again */
    m.focal_y = 0.0;
    assert_int_equal(store_media_set_meta(f.site->store, &m), MH_OK);
    assert_int_equal(media_derive_pending(f.site, f.site->store, &sp, 0, NULL, &made, &failed),
                     MH_OK);
    assert_int_equal(made, 1);
    assert_int_equal(store_derivatives_get(f.site->store, &f.a, m.id, &d, &n), MH_OK);
    for (size_t i = 0; i < n; i++)
        if (str_eq_c(d[i].variant, "lead"))
            assert_int_equal(d[i].crop_y, 0);
    /* a file that cannot be read is recorded with its reason, not retried */
    char *abs = site_path(f.site, &f.a, m.path);
    assert_int_equal(fs_write_atomic(abs, STR_LIT("gone bad"), err, sizeof(err)), MH_OK);
    m.focal_y = 0.5;
    assert_int_equal(store_media_set_meta(f.site->store, &m), MH_OK);
    assert_int_equal(media_derive_pending(f.site, f.site->store, &sp, 0, NULL, &made, &failed),
                     MH_OK);
    assert_int_equal(failed, 1);
    assert_int_equal(media_derive_pending(f.site, f.site->store, &sp, 0, NULL, &made, &failed),
                     MH_OK);
    assert_int_equal(made + failed, 0);
    buf_release(&img);
    close_site(&f);
}

static void test_small_and_animated(void **state)
{
    struct site_fixture f;
    struct media_spec sp;
    struct media m;
    struct buf img;
    struct image_derivative *d;
    size_t n;
    char err[1024];
    (void)state;
    open_site(&f);
    assert_int_equal(media_spec_parse(STR_LIT("[images]\nlead = 960x540, 640x360, 320x180\n"),
                                      &sp, err, sizeof(err)),
                     MH_OK);
    /* smaller than every size: one derivative at the crop's own size, never enlarged */
    test_image(200, 150, ".gif", &img);
    assert_int_equal(media_add_bytes(f.site, buf_str(&img), NULL, &f.a, &m, NULL, err,
                                     sizeof(err)),
                     MH_OK);
    assert_int_equal(media_derive(f.site, f.site->store, &sp, &m, err, sizeof(err)), MH_OK);
    assert_int_equal(store_derivatives_get(f.site->store, &f.a, m.id, &d, &n), MH_OK);
    assert_int_equal(n, 2);
    assert_int_equal(d[0].width, 200);
    assert_int_equal(d[0].height, 113);
    for (size_t i = 0; i < n; i++)
        check_file(&f, &d[i]);
    buf_release(&img);
    close_site(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spec_parse),
        cmocka_unit_test(test_crop_geometry),
        cmocka_unit_test(test_derive_files),
        cmocka_unit_test(test_small_and_animated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
