/* SPDX-License-Identifier: MIT */
/*
 * derive.c - derivatives of the library's images: the sizes and crops the
 * theme's theme.ini asks for, cut around the focal point with libvips, as
 * JPEG and WebP files next to the original, recorded in the store.  Which
 * derivative a page shows is the site's business (srcset); serving the
 * files too.
 */
#include "core/compat.h"

#include <math.h>
#include <stdatomic.h>
#include <sys/stat.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/fs.h"
#include "core/ini.h"
#include "core/limits.h"
#include "core/log.h"
#include "media/media.h"
#include "media/media_vips.h"
#include "store/store.h"

/* ------------------------------------------------------------------ */
/* What the theme asks for                                              */

/* "960x540" or "1280": a cursor over one item of the list. */
static int parse_size(struct str item, bool crop, int *w, int *h)
{
    const char *x = memchr(item.ptr, 'x', item.len);
    int64_t a, b = 0;
    if (crop != (x != NULL))
        return MH_INVAL;
    struct str ws = x ? str_make(item.ptr, (size_t)(x - item.ptr)) : item;
    if (str_to_i64(ws, 16, 4096, &a) != MH_OK)
        return MH_INVAL;
    if (x && str_to_i64(str_make(x + 1, item.len - (size_t)(x + 1 - item.ptr)), 16, 4096, &b))
        return MH_INVAL;
    *w = (int)a;
    *h = (int)b;
    return MH_OK;
}

static int spec_pair(void *ctx, struct str section, struct str key, struct str value,
                     char *errbuf, size_t errlen)
{
    struct media_spec *spec = ctx;
    if (!str_eq_c(section, "images"))
        return MH_OK; /* not ours */
    bool widths = str_eq_c(key, "widths");
    struct str name = widths ? STR_LIT(MEDIA_WIDTHS) : key;
    bool good = name.len >= 1 && name.len <= 16;
    for (size_t i = 0; good && i < name.len; i++)
        good = (name.ptr[i] >= 'a' && name.ptr[i] <= 'z') ||
               (name.ptr[i] >= '0' && name.ptr[i] <= '9');
    if (!good || (!widths && str_eq_c(name, MEDIA_WIDTHS))) {
        snprintf(errbuf, errlen,
                 "[images] '%.*s': a variant is named with 1 to 16 lower-case letters or digits",
                 (int)(key.len > 32 ? 32 : key.len), key.ptr);
        return MH_INVAL;
    }
    for (size_t i = 0; i < spec->n; i++)
        if (str_eq_c(name, spec->v[i].name)) {
            snprintf(errbuf, errlen, "[images] '%.*s' is given twice", (int)name.len, name.ptr);
            return MH_INVAL;
        }
    if (spec->n == MEDIA_MAX_VARIANTS) {
        snprintf(errbuf, errlen, "[images] names more than %d variants", MEDIA_MAX_VARIANTS);
        return MH_INVAL;
    }
    struct media_variant *v = &spec->v[spec->n];
    memset(v, 0, sizeof(*v));
    memcpy(v->name, name.ptr, name.len);
    const char *p = value.ptr, *end = value.ptr + value.len;
    while (p < end) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *e = comma ? comma : end;
        struct str item = str_trim(str_make(p, (size_t)(e - p)));
        if (v->n == MEDIA_MAX_SIZES ||
            parse_size(item, !widths, &v->size[v->n].width, &v->size[v->n].height)) {
            snprintf(errbuf, errlen,
                     "[images] %.*s: '%.*s' is not %s from 16 to 4096 (at most %d sizes)",
                     (int)name.len, name.ptr, (int)(item.len > 32 ? 32 : item.len), item.ptr,
                     widths ? "a width" : "WIDTHxHEIGHT", MEDIA_MAX_SIZES);
            return MH_INVAL;
        }
        v->n++;
        p = comma ? comma + 1 : end;
    }
    if (v->n == 0) {
        snprintf(errbuf, errlen, "[images] %.*s: no sizes", (int)name.len, name.ptr);
        return MH_INVAL;
    }
    spec->n++;
    return MH_OK;
}

int media_spec_parse(struct str text, struct media_spec *out, char *errbuf, size_t errlen)
{
    memset(out, 0, sizeof(*out));
    int rc = ini_parse(text, spec_pair, out, errbuf, errlen);
    if (rc)
        return rc;
    /* the digest: a canonical text of the list, and the ways we cut and encode */
    struct buf b;
    buf_init(&b, NULL, 64 * 1024);
    buf_adds(&b, "masthead-derive-v1");
    for (size_t i = 0; i < out->n; i++) {
        buf_addf(&b, ";%s=", out->v[i].name);
        for (size_t k = 0; k < out->v[i].n; k++)
            buf_addf(&b, "%dx%d,", out->v[i].size[k].width, out->v[i].size[k].height);
    }
    char hex[65];
    media_sha256_hex(buf_str(&b), hex);
    memcpy(out->digest, hex, 16);
    out->digest[16] = '\0';
    buf_release(&b);
    return MH_OK;
}

int media_spec_load(const char *theme_dir, struct media_spec *out, char *errbuf, size_t errlen)
{
    char path[4096], why[512];
    struct buf b;
    snprintf(path, sizeof(path), "%s/theme.ini", theme_dir);
    buf_init(&b, NULL, MH_MAX_CONF);
    int rc = fs_read_file(path, &b, why, sizeof(why));
    if (rc == MH_NOTFOUND)
        rc = media_spec_parse(STR_LIT(""), out, errbuf, errlen);
    else if (rc)
        snprintf(errbuf, errlen, "%s", why);
    else if ((rc = media_spec_parse(buf_str(&b), out, why, sizeof(why))) != MH_OK)
        snprintf(errbuf, errlen, "%s: %s", path, why);
    buf_release(&b);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Geometry                                                             */

void media_crop_rect(int width, int height, double fx, double fy, int out_w, int out_h,
                     struct media_crop *out)
{
    *out = (struct media_crop){0, 0, width, height};
    if (out_h <= 0 || out_w <= 0 || width <= 0 || height <= 0)
        return;
    if (!(fx >= 0 && fx <= 1))
        fx = 0.5;
    if (!(fy >= 0 && fy <= 1))
        fy = 0.5;
    /* the largest rectangle of the ratio out_w:out_h inside the image */
    if ((int64_t)width * out_h > (int64_t)height * out_w) {
        out->w = (int)(((int64_t)height * out_w + out_h / 2) / out_h);
        out->w = out->w < 1 ? 1 : out->w;
    } else {
        out->h = (int)(((int64_t)width * out_h + out_w / 2) / out_w);
        out->h = out->h < 1 ? 1 : out->h;
    }
    /* centred on the focal point, then pushed back inside */
    int x = (int)lround(fx * width - out->w / 2.0), y = (int)lround(fy * height - out->h / 2.0);
    out->x = x < 0 ? 0 : x > width - out->w ? width - out->w : x;
    out->y = y < 0 ? 0 : y > height - out->h ? height - out->h : y;
}

/* ------------------------------------------------------------------ */
/* Making the files                                                     */

struct plan {
    const char *variant;
    struct media_crop crop;
    int w, h;
};

/* Cut and scale one derivative, in memory (so that its JPEG and WebP are
 * encoded from one resize).  BASE is the decoded original scaled by K (<= 1):
 * the crop rectangle, in the original's pixels, is scaled the same way.
 * NULL on failure. */
static VipsImage *cut(VipsImage *base, double k, const struct plan *p)
{
    VipsImage *c = NULL, *r = NULL, *f = NULL, *done = NULL;
    int bw = vips_image_get_width(base), bh = vips_image_get_height(base);
    int x = (int)floor(p->crop.x * k), y = (int)floor(p->crop.y * k);
    int w = (int)lround(p->crop.w * k), h = (int)lround(p->crop.h * k);
    x = x < bw - 1 ? x : bw - 1;
    y = y < bh - 1 ? y : bh - 1;
    w = w < 1 ? 1 : w > bw - x ? bw - x : w;
    h = h < 1 ? 1 : h > bh - y ? bh - y : h;
    int failed = vips_extract_area(base, &c, x, y, w, h, NULL);
    if (!failed)
        failed = vips_resize(c, &r, (double)p->w / w, "vscale", (double)p->h / h, "kernel",
                             VIPS_KERNEL_CUBIC, NULL);
    if (!failed && (vips_image_get_width(r) != p->w || vips_image_get_height(r) != p->h)) {
        /* rounding: make the size exactly what the name says */
        failed = vips_gravity(r, &f, VIPS_COMPASS_DIRECTION_CENTRE, p->w, p->h, "extend",
                              VIPS_EXTEND_COPY, NULL);
        if (!failed) {
            g_object_unref(r);
            r = f;
        }
    }
    if (!failed)
        done = vips_image_copy_memory(r);
    if (c)
        g_object_unref(c);
    if (r)
        g_object_unref(r);
    return done;
}

/* Encode IM as WebP or JPEG (flattened on white: JPEG has no alpha) into OUT. */
static int encode(VipsImage *im, bool webp, void **out, size_t *len)
{
    VipsImage *f = NULL;
    int failed;
    if (webp)
        return vips_webpsave_buffer(im, out, len, "Q", 80, "effort", 2, "strip", TRUE, NULL)
                   ? MH_INVAL
                   : MH_OK;
    if (vips_image_hasalpha(im)) {
        VipsArrayDouble *white = vips_array_double_newv(1, 255.0);
        failed = vips_flatten(im, &f, "background", white, NULL);
        vips_area_unref(VIPS_AREA(white));
        if (failed)
            return MH_INVAL;
        im = f;
    }
    failed = vips_jpegsave_buffer(im, out, len, "Q", 82, "strip", TRUE, "optimize_coding", TRUE,
                                  "interlace", TRUE, NULL);
    if (f)
        g_object_unref(f);
    return failed ? MH_INVAL : MH_OK;
}

static bool planned(const struct plan *plans, size_t n, const struct plan *p)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(plans[i].variant, p->variant) == 0 && plans[i].w == p->w &&
            plans[i].h == p->h)
            return true;
    return false;
}

int media_derive(struct site *site, struct store *s, const struct media_spec *spec,
                 const struct media *m, char *errbuf, size_t errlen)
{
    struct plan plans[MEDIA_MAX_VARIANTS * MEDIA_MAX_SIZES];
    struct image_derivative rows[2 * MH_ARRAY_LEN(plans)];
    size_t n_plans = 0, n_rows = 0;
    struct arena a;
    VipsImage *im = NULL, *t = NULL;
    char why[512] = "";
    int rc = media_vips_init(errbuf, errlen);
    if (rc)
        return rc;
    arena_init(&a, 16 * 1024);
    char *abs = site_path(site, &a, m->path);
    im = vips_image_new_from_file(abs, "fail_on", VIPS_FAIL_ON_TRUNCATED, NULL);
    if (im && vips_image_get_interpretation(im) != VIPS_INTERPRETATION_sRGB &&
        vips_image_get_interpretation(im) != VIPS_INTERPRETATION_B_W) {
        if (vips_colourspace(im, &t, VIPS_INTERPRETATION_sRGB, NULL) == 0) {
            g_object_unref(im);
            im = t;
        } else {
            g_object_unref(im);
            im = NULL;
        }
    }
    if (im == NULL) {
        snprintf(why, sizeof(why), "cannot read image %lld ('%.*s')", (long long)m->id,
                 (int)m->path.len, m->path.ptr);
        rc = MH_INVAL;
        goto record;
    }
    int width = vips_image_get_width(im), height = vips_image_get_height(im);
    for (size_t v = 0; v < spec->n; v++) {
        const struct media_variant *var = &spec->v[v];
        for (size_t k = 0; k < var->n; k++) {
            struct plan p = {var->name, {0, 0, width, height}, 0, 0};
            int tw = var->size[k].width, th = var->size[k].height;
            if (th)
                media_crop_rect(width, height, m->focal_x, m->focal_y, tw, th, &p.crop);
            else
                th = (int)(((int64_t)height * tw + width / 2) / width);
            /* never enlarged: a smaller crop gives the largest size it can */
            p.w = tw <= p.crop.w ? tw : p.crop.w;
            p.h = (int)(((int64_t)p.w * th + tw / 2) / tw);
            if (p.h < 1)
                p.h = 1;
            if (!planned(plans, n_plans, &p))
                plans[n_plans++] = p;
        }
    }
    /* decode once: every size is cut from one image in memory, first scaled
     * down to twice the largest scale any size needs (a 24-megapixel photo
     * need not be held whole for a 960-wide crop) */
    double need = 0, k = 1;
    for (size_t i = 0; i < n_plans; i++) {
        double sx = (double)plans[i].w / plans[i].crop.w, sy = (double)plans[i].h / plans[i].crop.h;
        need = fmax(need, fmax(sx, sy));
    }
    VipsImage *base = NULL;
    if (n_plans && 2 * need < 0.75) {
        if (vips_resize(im, &t, 2 * need, NULL) == 0) {
            if ((base = vips_image_copy_memory(t)) != NULL)
                k = (double)vips_image_get_width(base) / width;
            g_object_unref(t);
        }
    } else if (n_plans) {
        base = vips_image_copy_memory(im);
    }
    if (n_plans && base == NULL) {
        snprintf(why, sizeof(why), "cannot decode image %lld ('%.*s')", (long long)m->id,
                 (int)m->path.len, m->path.ptr);
        rc = MH_INVAL;
    }
    for (size_t i = 0; rc == MH_OK && i < n_plans; i++) {
        const struct plan *p = &plans[i];
        VipsImage *sized = NULL; /* made when a file of this size is missing */
        /* the same pixels under another variant's name (lead and thumb share
         * sizes): the rows point at those files */
        size_t same = n_rows;
        for (size_t r = 0; r < n_rows && same == n_rows; r++)
            if (rows[r].width == p->w && rows[r].height == p->h &&
                rows[r].crop_x == p->crop.x && rows[r].crop_y == p->crop.y &&
                rows[r].crop_w == p->crop.w && rows[r].crop_h == p->crop.h)
                same = r;
        if (same < n_rows) {
            size_t end = n_rows;
            for (size_t r = same; r < end; r++)
                if (rows[r].width == p->w && rows[r].height == p->h &&
                    rows[r].crop_x == p->crop.x && rows[r].crop_y == p->crop.y &&
                    rows[r].crop_w == p->crop.w && rows[r].crop_h == p->crop.h) {
                    rows[n_rows] = rows[r];
                    rows[n_rows++].variant = str_c(p->variant);
                }
            continue;
        }
        for (int webp = 0; rc == MH_OK && webp < 2; webp++) {
            struct image_derivative *d = &rows[n_rows];
            struct buf name;
            /* "media/ab/<sha>.png" -> "media/ab/<sha>_lead_0X12X640X360_640x360.jpg" */
            size_t stem = m->path.len;
            while (stem > 0 && m->path.ptr[stem - 1] != '.' && m->path.ptr[stem - 1] != '/')
                stem--;
            stem = stem > 0 && m->path.ptr[stem - 1] == '.' ? stem - 1 : m->path.len;
            buf_init(&name, &a, 512);
            buf_addf(&name, "%.*s_%s_%dX%dX%dX%d_%dx%d.%s", (int)stem, m->path.ptr, p->variant,
                     p->crop.x, p->crop.y, p->crop.w, p->crop.h, p->w, p->h,
                     webp ? "webp" : "jpg");
            struct str rel = buf_str(&name);
            char *file = site_path(site, &a, rel);
            struct stat sb;
            int64_t bytes;
            if (stat(file, &sb) == 0) {
                bytes = (int64_t)sb.st_size; /* made before (another spec, another run) */
            } else {
                void *data = NULL;
                size_t len = 0;
                if (sized == NULL)
                    sized = cut(base, k, p);
                if (sized == NULL || encode(sized, webp, &data, &len)) {
                    snprintf(why, sizeof(why), "cannot make %s of image %lld: %s", rel.ptr,
                             (long long)m->id, vips_error_buffer());
                    rc = MH_INVAL;
                    break;
                }
                rc = fs_write_atomic(file, str_make(data, len), why, sizeof(why));
                g_free(data);
                if (rc)
                    break;
                bytes = (int64_t)len;
            }
            *d = (struct image_derivative){m->id, str_c(p->variant), p->w, p->h,
                                           str_c(webp ? "webp" : "jpg"), p->crop.x, p->crop.y,
                                           p->crop.w, p->crop.h, rel, bytes};
            n_rows++;
        }
        if (sized)
            g_object_unref(sized);
    }
    if (base)
        g_object_unref(base);
    if (rc == MH_IO) { /* the disk, not the image: leave it due */
        snprintf(errbuf, errlen, "%s", why);
        goto out;
    }
record:
    vips_error_clear();
    if (rc) {
        n_rows = 0;
        snprintf(errbuf, errlen, "%s", why);
    }
    {
        int src = store_derivatives_put(s, m->id, str_c(spec->digest), rows, n_rows,
                                        str_c(why));
        if (src) {
            snprintf(errbuf, errlen, "cannot record the derivatives of image %lld: %s",
                     (long long)m->id, store_errmsg(s));
            rc = src;
        }
    }
out:
    if (im)
        g_object_unref(im);
    arena_release(&a);
    return rc;
}

int media_derive_pending(struct site *site, struct store *s, const struct media_spec *spec,
                         size_t max, const _Atomic bool *stop, size_t *made, size_t *failed)
{
    struct arena a;
    int64_t after = 0;
    int rc = MH_OK;
    *made = *failed = 0;
    arena_init(&a, 64 * 1024);
    for (;;) {
        struct media *ms;
        size_t n;
        arena_reset(&a);
        rc = store_media_pending(s, &a, str_c(spec->digest), after, 32, &ms, &n);
        if (rc || n == 0)
            break;
        for (size_t i = 0; i < n; i++) {
            char why[1024];
            if ((stop && atomic_load(stop)) || (max && *made + *failed >= max))
                goto out;
            after = ms[i].id;
            int drc = media_derive(site, s, spec, &ms[i], why, sizeof(why));
            if (drc == MH_OK) {
                (*made)++;
            } else if (drc == MH_INVAL || drc == MH_IO) {
                (*failed)++;
                log_error("%s", why);
            } else {
                log_error("%s", why);
                rc = drc;
                goto out;
            }
        }
    }
out:
    arena_release(&a);
    return rc;
}
