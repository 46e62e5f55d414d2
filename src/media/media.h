/* SPDX-License-Identifier: MIT */
/*
 * media.h - the media library on disk: image files stored once under the
 * site's media/ folder by content address (media/ab/abcdef....jpg, named by
 * their SHA-256), with a row per file in the store.  The type comes from the
 * bytes (probe.h), never from the name.  Derivatives (resized, cropped,
 * WebP) come with the newsroom; originals are kept as given.
 */
#ifndef MH_MEDIA_MEDIA_H
#define MH_MEDIA_MEDIA_H

#include "core/compat.h"
#include "core/str.h"
#include "media/probe.h"
#include "model/model.h"

struct arena;
struct site;

/* Add the image BYTES to SITE's library, or find them there when the same
 * bytes are stored already (then *OUT is the existing row; its caption and
 * credit are not changed).  *ADDED (when not NULL) tells which.  The file is written atomically before the row.
 * MH_INVAL (with the reason in ERRBUF) when BYTES are not a JPEG, PNG, GIF
 * or WebP image; MH_TOOBIG over MH_MAX_IMAGE_FILE; MH_IO when the file
 * cannot be written.  Strings in *OUT live in ARENA. */
MH_MUST_CHECK int media_add_bytes(struct site *site, struct str bytes, const struct media *meta,
                                  struct arena *arena, struct media *out, bool *added,
                                  char *errbuf, size_t errlen);

/* The same for the file at PATH; MH_NOTFOUND when it does not exist. */
MH_MUST_CHECK int media_add_file(struct site *site, const char *path, const struct media *meta,
                                 struct arena *arena, struct media *out, bool *added,
                                 char *errbuf, size_t errlen);

/* Lower-case hex SHA-256 of DATA into OUT (65 bytes with the NUL). */
void media_sha256_hex(struct str data, char out[65]);

#endif
