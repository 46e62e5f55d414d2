/* SPDX-License-Identifier: MIT */
/*
 * probe.h - tell which image format some uploaded bytes hold, and its size,
 * from the bytes alone: never from a file name or a client's Content-Type.
 * It walks the container (PNG chunks, JPEG segments, GIF blocks, RIFF
 * chunks) far enough to refuse truncated files, but it never decompresses
 * anything: decoding, resizing and metadata stripping are derive's job
 * (libvips), and size ceilings on the upload are upload's.
 */
#ifndef MH_MEDIA_PROBE_H
#define MH_MEDIA_PROBE_H

#include "core/compat.h"
#include "core/str.h"

/* Longest side, in pixels, of an image we accept; longer is refused as
 * absurd (a decompression bomb more often than a photograph). */
#define PROBE_MAX_SIDE 30000

enum probe_type {
    PROBE_UNKNOWN,
    PROBE_JPEG,
    PROBE_PNG,
    PROBE_GIF,
    PROBE_WEBP,
};

struct probe_info {
    enum probe_type type;
    const char *mime;       /* "image/jpeg", "image/png", ...: static, never freed */
    const char *ext;        /* "jpg", "png", "gif", "webp": static, without the dot */
    uint32_t width, height; /* in 1..PROBE_MAX_SIDE */
    bool animated;          /* a GIF or WebP with more than one frame; PNG and
                               JPEG are always false (an APNG probes as its
                               still default image) */
};

/*
 * Identify DATA, a whole file, from its bytes alone.  On MH_OK *OUT is
 * filled in.  MH_INVAL when DATA is not a JPEG, PNG, GIF or WebP, is
 * truncated (the format's end marker or declared length is missing), is
 * malformed in the parts read, or declares a side of zero or over
 * PROBE_MAX_SIDE; *OUT is then left untouched.  Bytes after a complete
 * image are ignored.  Reads DATA only; no allocation, no logging, no I/O.
 */
MH_MUST_CHECK int probe_image(struct str data, struct probe_info *out);

#endif
