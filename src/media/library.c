/* SPDX-License-Identifier: MIT */
/* library.c - content-addressed image files under DIR/media, and their rows. */
#include "core/compat.h"

#include <sodium.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/fs.h"
#include "core/limits.h"
#include "media/media.h"
#include "store/store.h"

void media_sha256_hex(struct str data, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)data.ptr, data.len);
    sodium_bin2hex(out, 65, h, sizeof(h));
}

int media_add_bytes(struct site *site, struct str bytes, const struct media *meta,
                    struct arena *arena, struct media *out, bool *added, char *errbuf,
                    size_t errlen)
{
    bool ignored;
    if (added == NULL)
        added = &ignored;
    *added = false;
    struct probe_info info;
    char sha[65], rel[128];
    int rc;
    if (bytes.len > MH_MAX_IMAGE_FILE) {
        snprintf(errbuf, errlen, "image is larger than %zu MiB", MH_MAX_IMAGE_FILE / MH_MIB);
        return MH_TOOBIG;
    }
    rc = probe_image(bytes, &info);
    if (rc) {
        snprintf(errbuf, errlen, "not a JPEG, PNG, GIF or WebP image (or a damaged one)");
        return MH_INVAL;
    }
    media_sha256_hex(bytes, sha);
    snprintf(rel, sizeof(rel), "%s/%.2s/%s.%s", STORE_MEDIA_DIR, sha, sha, info.ext);

    char *abs = site_path(site, arena, str_c(rel));
    if (!fs_exists(abs)) {
        char *dir = arena_strndup(arena, abs, strlen(abs) - strlen(sha) - strlen(info.ext) - 2);
        rc = fs_mkdirs(dir, 0755, errbuf, errlen);
        if (rc == MH_OK)
            rc = fs_write_atomic(abs, bytes, errbuf, errlen);
        if (rc)
            return rc;
    }
    rc = store_media_by_sha(site->store, arena, str_c(sha), out);
    if (rc != MH_NOTFOUND) {
        if (rc)
            snprintf(errbuf, errlen, "cannot look up the media library: %s",
                     store_errmsg(site->store));
        return rc;
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
    out->focal_x = out->focal_y = 0.5;
    rc = store_media_insert(site->store, out);
    *added = rc == MH_OK;
    if (rc)
        snprintf(errbuf, errlen, "cannot add to the media library: %s", store_errmsg(site->store));
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
