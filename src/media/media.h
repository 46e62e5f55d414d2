/* SPDX-License-Identifier: MIT */
/*
 * media.h - the media library on disk: image files stored once under the
 * site's media/ folder by content address (media/ab/abcdef....jpg, named by
 * their SHA-256), with a row per file in the store.  The type comes from the
 * bytes (probe.h), never from the name.
 *
 * Ingestion (library.c) refuses what is not a JPEG, PNG, GIF or WebP image,
 * what is over the site's byte and pixel limits (checked on the header,
 * before anything is decoded), and damaged files; it strips EXIF, XMP, IPTC,
 * ICC and comments by re-encoding with libvips (the EXIF orientation is
 * applied first), so the stored original carries pixels only.  Derivatives
 * (derive.c) are the sizes and crops the theme's theme.ini asks for, in
 * JPEG and WebP, made once and recorded in the store; originals are kept.
 * HTTP, forms and who may upload are the caller's (admin/, cli/).
 */
#ifndef MH_MEDIA_MEDIA_H
#define MH_MEDIA_MEDIA_H

#include "core/compat.h"
#include "core/str.h"
#include "media/probe.h"
#include "model/model.h"

struct arena;
struct buf;
struct site;
struct store;

/* Ingest the image BYTES into SITE's library, or find them there when the
 * same (cleaned) bytes are stored already (then *OUT is the existing row;
 * its caption and credit are not changed).  *ADDED (when not NULL) tells
 * which.  META (may be NULL) gives the caption, credit, alt text, focal
 * point (0..1; both 0 means the centre) and creation time.  The cleaned file
 * is written atomically before the row.  Errors, with a message for the
 * user in ERRBUF: MH_TOOBIG over [images] max_mb (or MH_MAX_IMAGE_FILE) or
 * when width x height is over [images] max_megapixels (checked on the
 * header: nothing is decoded); MH_INVAL when BYTES are not a JPEG, PNG, GIF
 * or WebP image, are truncated or damaged, or the focal point is outside
 * 0..1; MH_IO when the file cannot be written.  Strings in *OUT live in
 * ARENA.  Thread-safe (libvips is initialised once). */
MH_MUST_CHECK int media_add_bytes(struct site *site, struct str bytes, const struct media *meta,
                                  struct arena *arena, struct media *out, bool *added,
                                  char *errbuf, size_t errlen);

/* The same on connection S instead of SITE->store: what a server thread
 * (an upload) calls with its own connection.  SITE gives the folder and the
 * [images] limits. */
MH_MUST_CHECK int media_ingest(struct site *site, struct store *s, struct str bytes,
                               const struct media *meta, struct arena *arena, struct media *out,
                               bool *added, char *errbuf, size_t errlen);

/* The same for the file at PATH; MH_NOTFOUND when it does not exist. */
MH_MUST_CHECK int media_add_file(struct site *site, const char *path, const struct media *meta,
                                 struct arena *arena, struct media *out, bool *added,
                                 char *errbuf, size_t errlen);

/* Lower-case hex SHA-256 of DATA into OUT (65 bytes with the NUL). */
void media_sha256_hex(struct str data, char out[65]);

/* The ingestion step alone, without the library: check BYTES against the
 * limits (MAX_BYTES, MAX_PIXELS) and give the image without metadata in
 * *CLEAN (heap, caller frees with buf_release(); it may be a copy of BYTES
 * when a JPEG has nothing to strip) and its probe in *INFO (width and height
 * after the orientation is applied).  Errors as media_add_bytes(). */
MH_MUST_CHECK int media_clean(struct str bytes, size_t max_bytes, uint64_t max_pixels,
                              struct buf *clean, struct probe_info *info, char *errbuf,
                              size_t errlen);

/* ------------------------------------------------------------------ */
/* Derivatives (derive.c)                                               */

#define MEDIA_MAX_VARIANTS 8
#define MEDIA_MAX_SIZES 8
#define MEDIA_WIDTHS "w" /* the variant name of the uncropped widths */

/* What a theme asks for: theme.ini [images].  "widths = 1280, 960, 640"
 * gives the variant "w" (the whole image at those widths); any other key,
 * "lead = 960x540, 640x360", a crop variant of that name (lower-case letters
 * and digits, 1..16) in those sizes, cut around the focal point. */
struct media_spec {
    struct media_variant {
        char name[17];
        size_t n;
        struct {
            int width, height; /* height 0: the image's own ratio */
        } size[MEDIA_MAX_SIZES];
    } v[MEDIA_MAX_VARIANTS];
    size_t n;
    char digest[17]; /* 16 hex digits over the list: a new list makes everything due again */
};

/* Parse the text of a theme.ini into *OUT: only [images] is read (other
 * sections are left to whoever owns them).  MH_INVAL with "line N: reason"
 * in ERRBUF for a malformed size, name or list.  Sizes from 16 to 4096. */
MH_MUST_CHECK int media_spec_parse(struct str text, struct media_spec *out, char *errbuf,
                                   size_t errlen);
/* The same for THEME_DIR/theme.ini; a theme without one asks for nothing. */
MH_MUST_CHECK int media_spec_load(const char *theme_dir, struct media_spec *out, char *errbuf,
                                  size_t errlen);

/* The rectangle of a WIDTH x HEIGHT image that a crop to the ratio
 * OUT_W:OUT_H keeps: as large as the image allows, centred on the focal
 * point (FX, FY in 0..1) and moved inside the image where it would cross an
 * edge.  OUT_H 0 keeps the whole image.  Pure arithmetic. */
struct media_crop {
    int x, y, w, h;
};
void media_crop_rect(int width, int height, double fx, double fy, int out_w, int out_h,
                     struct media_crop *out);

/* Make every derivative SPEC asks of image M (a row of SITE's library) as
 * files next to the original, "media/ab/<sha>_<variant>_<x>X<y>X<w>X<h>_<W>x<H>.jpg"
 * and ".webp" (the crop rectangle in the original's pixels, then the size;
 * never enlarged), and record them and SPEC's digest in store S, in one
 * transaction.  A file that exists already is not made again.  An image
 * libvips cannot read is recorded as done with its reason (it is not retried
 * until SPEC changes) and gives MH_INVAL.  Blocks for the time it takes
 * (tens of milliseconds per size). */
MH_MUST_CHECK int media_derive(struct site *site, struct store *s, const struct media_spec *spec,
                               const struct media *m, char *errbuf, size_t errlen);

/* Derive every image of the library that SPEC has not been made for yet,
 * at most MAX (0: all) of them, stopping early when *STOP (may be NULL)
 * becomes true.  Counts go to *MADE and *FAILED.  MH_OK unless the store
 * fails. */
MH_MUST_CHECK int media_derive_pending(struct site *site, struct store *s,
                                       const struct media_spec *spec, size_t max,
                                       const _Atomic bool *stop, size_t *made, size_t *failed);

/* ------------------------------------------------------------------ */
/* The background worker of `masthead serve` (worker.c)                  */

/*
 * A thread that makes the derivatives of every image that lacks them for
 * the theme in THEME_DIR (its theme.ini is read again on each pass, so a
 * reloaded theme is followed), on its own connection to the database at
 * DB_PATH.  It looks when it starts and whenever another connection has
 * committed, one image at a time, and logs what it cannot make.  Pages
 * notice the new rows through the store like any other change.  NULL (with
 * the reason logged) when the thread cannot start.  Strings are copied.
 */
struct media_worker;
struct media_worker *media_worker_start(struct site *site, const char *db_path,
                                        const char *theme_dir);
/* Ask the worker to stop after the image in hand, wait for it, free it.  NULL is a no-op. */
void media_worker_stop(struct media_worker *w);

#endif
