/* SPDX-License-Identifier: MIT */
/*
 * library.c - ingestion: limits, type from the bytes, metadata stripped by
 * libvips; then content-addressed image files under DIR/media and their rows.
 */
#include "core/compat.h"

#include <pthread.h>
#include <sodium.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/fs.h"
#include "core/limits.h"
#include "media/media.h"
#include "media/media_vips.h"
#include "store/store.h"

void media_sha256_hex(struct str data, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)data.ptr, data.len);
    sodium_bin2hex(out, 65, h, sizeof(h));
}

/* ------------------------------------------------------------------ */
/* Ingestion                                                            */

static const char *type_name(enum probe_type t)
{
    switch (t) {
    case PROBE_JPEG:
        return "JPEG";
    case PROBE_PNG:
        return "PNG";
    case PROBE_GIF:
        return "GIF";
    case PROBE_WEBP:
        return "WebP";
    default:
        return "image";
    }
}

/* The format the leading bytes announce, for a clear message when the
 * rest does not follow. */
static enum probe_type magic(struct str b)
{
    const unsigned char *p = (const unsigned char *)b.ptr;
    if (b.len >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff)
        return PROBE_JPEG;
    if (b.len >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
        return PROBE_PNG;
    if (b.len >= 6 && (memcmp(p, "GIF87a", 6) == 0 || memcmp(p, "GIF89a", 6) == 0))
        return PROBE_GIF;
    if (b.len >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0)
        return PROBE_WEBP;
    return PROBE_UNKNOWN;
}

/* Does the JPEG carry anything but pixels: an APP1..APP15 segment (EXIF,
 * XMP, ICC, IPTC, maker notes) or a comment?  Walks the segments up to the
 * first scan; probe_image has checked their lengths already. */
static bool jpeg_has_metadata(struct str b)
{
    const unsigned char *p = (const unsigned char *)b.ptr + 2, *end = p + b.len - 2;
    while (end - p >= 4) {
        if (p[0] != 0xff)
            return true; /* unexpected: re-encode rather than trust it */
        unsigned char m = p[1];
        if (m == 0xff) {
            p++;
            continue;
        }
        if (m == 0xda || m == 0xd9)
            return false; /* start of scan: no more headers */
        if ((m >= 0xe1 && m <= 0xef) || m == 0xfe)
            return true;
        size_t len = ((size_t)p[2] << 8) | p[3];
        if (len < 2 || len > (size_t)(end - p) - 2)
            return true;
        p += 2 + len;
    }
    return true;
}

/* Metadata names libvips keeps beside the pixels, which the saver would
 * write out again: removed before saving, on top of "strip". */
static bool is_metadata(const char *name)
{
    static const char *const prefixes[] = {"exif-", "xmp-", "iptc-", "icc-", "png-comment",
                                           "gif-comment", "jpeg-comment", "orientation"};
    for (size_t i = 0; i < MH_ARRAY_LEN(prefixes); i++)
        if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
            return true;
    return false;
}

static void unref(VipsImage **im)
{
    if (*im)
        g_object_unref(*im);
    *im = NULL;
}

/* Replace *IM with OUT (a new reference made from it). */
static void take(VipsImage **im, VipsImage *out)
{
    g_object_unref(*im);
    *im = out;
}

/* Decode BYTES (of type INFO->type), apply the orientation, turn an ICC
 * profile into plain sRGB, drop the metadata and encode again. */
static int reencode(struct str bytes, uint64_t max_pixels, struct probe_info *info,
                    struct buf *clean, char *errbuf, size_t errlen)
{
    VipsImage *im = NULL, *t = NULL;
    void *out = NULL;
    size_t out_len = 0;
    int rc = MH_INVAL;
    bool multi = info->type == PROBE_GIF || info->type == PROBE_WEBP;
    if (multi)
        im = vips_image_new_from_buffer(bytes.ptr, bytes.len, "", "n", -1, "fail_on",
                                        VIPS_FAIL_ON_TRUNCATED, NULL);
    else
        im = vips_image_new_from_buffer(bytes.ptr, bytes.len, "", "fail_on",
                                        VIPS_FAIL_ON_TRUNCATED, NULL);
    if (im == NULL)
        goto out;
    /* libvips read the header on its own: the same limits apply to what it found */
    uint64_t pixels = (uint64_t)vips_image_get_width(im) * (uint64_t)vips_image_get_height(im);
    if (max_pixels && pixels > max_pixels) { /* every frame of an animation counts */
        rc = MH_TOOBIG;
        snprintf(errbuf, errlen,
                 "the %s animation has too many pixels: %.1f megapixels in all its frames, at "
                 "most %.0f",
                 type_name(info->type), (double)pixels / 1e6, (double)max_pixels / 1e6);
        goto out;
    }
    if (!multi && vips_image_get_typeof(im, "orientation")) {
        if (vips_autorot(im, &t, NULL))
            goto out;
        take(&im, t);
    }
    if (vips_image_get_typeof(im, VIPS_META_ICC_NAME) &&
        vips_image_get_interpretation(im) != VIPS_INTERPRETATION_B_W) {
        /* keep the colours the profile meant; without a usable profile, keep the numbers */
        if (vips_icc_transform(im, &t, "srgb", "embedded", TRUE, "intent",
                               VIPS_INTENT_PERCEPTUAL, NULL) == 0)
            take(&im, t);
        else
            vips_error_clear();
    }
    if (vips_copy(im, &t, NULL))
        goto out;
    take(&im, t);
    gchar **fields = vips_image_get_fields(im);
    for (gchar **f = fields; f && *f; f++)
        if (is_metadata(*f))
            vips_image_remove(im, *f);
    g_strfreev(fields);
    int failed;
    switch (info->type) {
    case PROBE_JPEG:
        failed = vips_jpegsave_buffer(im, &out, &out_len, "Q", 90, "strip", TRUE,
                                      "optimize_coding", TRUE, NULL);
        break;
    case PROBE_PNG:
        failed = vips_pngsave_buffer(im, &out, &out_len, "strip", TRUE, "compression", 6, NULL);
        break;
    case PROBE_GIF:
        failed = vips_gifsave_buffer(im, &out, &out_len, "strip", TRUE, NULL);
        break;
    default:
        failed = vips_webpsave_buffer(im, &out, &out_len, "Q", 90, "strip", TRUE, NULL);
        break;
    }
    if (failed)
        goto out;
    buf_add(clean, out, out_len);
    rc = MH_OK;
    /* the sizes after rotation, as stored */
    struct probe_info again;
    if (probe_image(buf_str(clean), &again) == MH_OK)
        *info = again;
    else
        rc = MH_INVAL;
out:
    if (rc == MH_INVAL && errbuf[0] == '\0')
        snprintf(errbuf, errlen, "the %s image is damaged or truncated: it cannot be decoded",
                 type_name(info->type));
    vips_error_clear();
    g_free(out);
    unref(&im);
    return rc;
}

int media_clean(struct str bytes, size_t max_bytes, uint64_t max_pixels, struct buf *clean,
                struct probe_info *info, char *errbuf, size_t errlen)
{
    if (errlen)
        errbuf[0] = '\0';
    if (max_bytes == 0 || max_bytes > MH_MAX_IMAGE_FILE)
        max_bytes = MH_MAX_IMAGE_FILE;
    if (bytes.len > max_bytes) {
        snprintf(errbuf, errlen, "the image is too big: %zu bytes, at most %zu MiB", bytes.len,
                 max_bytes / MH_MIB);
        return MH_TOOBIG;
    }
    if (probe_image(bytes, info) != MH_OK) {
        enum probe_type t = magic(bytes);
        if (t == PROBE_UNKNOWN)
            snprintf(errbuf, errlen, "not a JPEG, PNG, GIF or WebP image (those are the "
                                     "image types accepted)");
        else
            snprintf(errbuf, errlen,
                     "not a JPEG, PNG, GIF or WebP image: the %s file is truncated or damaged, "
                     "or declares an impossible size",
                     type_name(t));
        return MH_INVAL;
    }
    /* a decompression bomb is a small file declaring a huge image: refuse it
     * on the declared size, before a single pixel is decoded */
    uint64_t pixels = (uint64_t)info->width * info->height;
    if (max_pixels && pixels > max_pixels) {
        snprintf(errbuf, errlen,
                 "the image has too many pixels: %ux%u is %.1f megapixels, at most %.0f",
                 (unsigned)info->width, (unsigned)info->height, (double)pixels / 1e6,
                 (double)max_pixels / 1e6);
        return MH_TOOBIG;
    }
    if (info->type == PROBE_JPEG && !jpeg_has_metadata(bytes)) {
        /* nothing to strip: keep the bytes, no second lossy generation */
        buf_add(clean, bytes.ptr, bytes.len);
        return clean->err;
    }
    int rc = media_vips_init(errbuf, errlen);
    if (rc == MH_OK)
        rc = reencode(bytes, max_pixels, info, clean, errbuf, errlen);
    if (rc == MH_OK && clean->err) {
        snprintf(errbuf, errlen, "the image is too big once decoded and encoded again");
        rc = clean->err;
    }
    return rc;
}

int media_add_bytes(struct site *site, struct str bytes, const struct media *meta,
                    struct arena *arena, struct media *out, bool *added, char *errbuf,
                    size_t errlen)
{
    return media_ingest(site, site->store, bytes, meta, arena, out, added, errbuf, errlen);
}

int media_ingest(struct site *site, struct store *s, struct str bytes, const struct media *meta,
                 struct arena *arena, struct media *out, bool *added, char *errbuf,
                 size_t errlen)
{
    bool ignored;
    if (added == NULL)
        added = &ignored;
    *added = false;
    struct probe_info info;
    char sha[65], rel[128];
    double fx = 0.5, fy = 0.5;
    if (meta && (meta->focal_x != 0 || meta->focal_y != 0)) {
        fx = meta->focal_x;
        fy = meta->focal_y;
        if (!(fx >= 0 && fx <= 1 && fy >= 0 && fy <= 1)) {
            snprintf(errbuf, errlen, "the focal point must be two numbers from 0 to 1");
            return MH_INVAL;
        }
    }
    struct buf clean;
    buf_init(&clean, NULL, MH_MAX_IMAGE_FILE);
    int rc = media_clean(bytes, (size_t)site->conf.image_max_mb * MH_MIB,
                         (uint64_t)site->conf.image_max_megapixels * 1000000u, &clean, &info,
                         errbuf, errlen);
    if (rc)
        goto done;
    bytes = buf_str(&clean);
    media_sha256_hex(bytes, sha);
    snprintf(rel, sizeof(rel), "%s/%.2s/%s.%s", STORE_MEDIA_DIR, sha, sha, info.ext);

    char *abs = site_path(site, arena, str_c(rel));
    if (!fs_exists(abs)) {
        char *dir = arena_strndup(arena, abs, strlen(abs) - strlen(sha) - strlen(info.ext) - 2);
        rc = fs_mkdirs(dir, 0755, errbuf, errlen);
        if (rc == MH_OK)
            rc = fs_write_atomic(abs, bytes, errbuf, errlen);
        if (rc)
            goto done;
    }
    rc = store_media_by_sha(s, arena, str_c(sha), out);
    if (rc != MH_NOTFOUND) {
        if (rc)
            snprintf(errbuf, errlen, "cannot look up the media library: %s",
                     store_errmsg(s));
        goto done;
    }
    memset(out, 0, sizeof(*out));
    if (meta) {
        out->caption = arena_str(arena, meta->caption);
        out->credit = arena_str(arena, meta->credit);
        out->alt = arena_str(arena, meta->alt);
        out->created_at = meta->created_at;
    }
    out->kind = MEDIA_IMAGE;
    out->sha256 = arena_str(arena, str_c(sha));
    out->path = arena_str(arena, str_c(rel));
    out->mime = str_c(info.mime);
    out->width = (int)info.width;
    out->height = (int)info.height;
    out->bytes = (int64_t)bytes.len;
    out->focal_x = fx;
    out->focal_y = fy;
    rc = store_media_insert(s, out);
    *added = rc == MH_OK;
    if (rc)
        snprintf(errbuf, errlen, "cannot add to the media library: %s", store_errmsg(s));
done:
    buf_release(&clean);
    return rc;
}

int media_add_file(struct site *site, const char *path, const struct media *meta,
                   struct arena *arena, struct media *out, bool *added, char *errbuf,
                   size_t errlen)
{
    struct buf data;
    buf_init(&data, NULL, MH_MAX_IMAGE_FILE);
    int rc = fs_read_file(path, &data, errbuf, errlen);
    if (rc == MH_TOOBIG)
        snprintf(errbuf, errlen, "image '%s' is larger than %zu MiB", path,
                 MH_MAX_IMAGE_FILE / MH_MIB);
    else if (rc == MH_NOTFOUND)
        snprintf(errbuf, errlen, "image file '%s' does not exist", path);
    if (rc == MH_OK)
        rc = media_add_bytes(site, buf_str(&data), meta, arena, out, added, errbuf, errlen);
    buf_release(&data);
    return rc;
}
