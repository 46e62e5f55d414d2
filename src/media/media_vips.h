/* SPDX-License-Identifier: MIT */
/*
 * media_vips.h - inside media/ only: libvips, loaded when the process first
 * handles an image (vips.c), not when it starts.  libvips brings about a
 * hundred shared libraries (GLib, codecs, colour management), and mapping
 * and relocating them cost every `masthead` command 20 ms before main(),
 * also the ones that never touch an image (a publish, a search, --version).
 *
 * Include this instead of <vips/vips.h>: it gives the types and constants
 * from the header, and turns each function below into a call through a
 * pointer that media_vips_init() fills with dlsym().  Only functions in
 * MEDIA_VIPS_FUNCTIONS may be called; a new one is added there.
 */
#ifndef MH_MEDIA_MEDIA_VIPS_H
#define MH_MEDIA_MEDIA_VIPS_H

#include <vips/vips.h>

#include "media/media_int.h"

#define MEDIA_VIPS_SONAME "libvips.so.42" /* libvips 8.x; Debian 12 ships 8.14 */

#define MEDIA_VIPS_FUNCTIONS(X)                                                                \
    X(vips_init) X(vips_version) X(vips_cache_set_max) X(vips_cache_set_max_mem)               \
    X(vips_cache_set_max_files) X(vips_block_untrusted_set) X(vips_concurrency_set)            \
    X(vips_error_buffer) X(vips_error_clear) X(vips_image_new_from_buffer)                     \
    X(vips_image_new_from_file) X(vips_image_get_width) X(vips_image_get_height)               \
    X(vips_image_get_interpretation) X(vips_image_get_typeof) X(vips_image_get_fields)         \
    X(vips_image_hasalpha) X(vips_image_remove) X(vips_image_copy_memory) X(vips_copy)         \
    X(vips_autorot) X(vips_icc_transform) X(vips_colourspace) X(vips_flatten)                  \
    X(vips_resize) X(vips_extract_area) X(vips_gravity) X(vips_jpegsave_buffer)                \
    X(vips_webpsave_buffer) X(vips_pngsave_buffer) X(vips_gifsave_buffer)                      \
    X(vips_array_double_newv) X(vips_area_unref) X(g_object_unref) X(g_free) X(g_strfreev)

#define MEDIA_VIPS_FIELD(name) __typeof__(&name) name;
struct media_vips {
    MEDIA_VIPS_FUNCTIONS(MEDIA_VIPS_FIELD)
};
#undef MEDIA_VIPS_FIELD

/* The functions, once media_vips_init() returned MH_OK. */
extern struct media_vips media_vips;

#ifndef MEDIA_VIPS_LOADER /* every file but vips.c calls through the table */
#define vips_init (media_vips.vips_init)
#define vips_version (media_vips.vips_version)
#define vips_cache_set_max (media_vips.vips_cache_set_max)
#define vips_cache_set_max_mem (media_vips.vips_cache_set_max_mem)
#define vips_cache_set_max_files (media_vips.vips_cache_set_max_files)
#define vips_block_untrusted_set (media_vips.vips_block_untrusted_set)
#define vips_concurrency_set (media_vips.vips_concurrency_set)
#define vips_error_buffer (media_vips.vips_error_buffer)
#define vips_error_clear (media_vips.vips_error_clear)
#define vips_image_new_from_buffer (media_vips.vips_image_new_from_buffer)
#define vips_image_new_from_file (media_vips.vips_image_new_from_file)
#define vips_image_get_width (media_vips.vips_image_get_width)
#define vips_image_get_height (media_vips.vips_image_get_height)
#define vips_image_get_interpretation (media_vips.vips_image_get_interpretation)
#define vips_image_get_typeof (media_vips.vips_image_get_typeof)
#define vips_image_get_fields (media_vips.vips_image_get_fields)
#define vips_image_hasalpha (media_vips.vips_image_hasalpha)
#define vips_image_remove (media_vips.vips_image_remove)
#define vips_image_copy_memory (media_vips.vips_image_copy_memory)
#define vips_copy (media_vips.vips_copy)
#define vips_autorot (media_vips.vips_autorot)
#define vips_icc_transform (media_vips.vips_icc_transform)
#define vips_colourspace (media_vips.vips_colourspace)
#define vips_flatten (media_vips.vips_flatten)
#define vips_resize (media_vips.vips_resize)
#define vips_extract_area (media_vips.vips_extract_area)
#define vips_gravity (media_vips.vips_gravity)
#define vips_jpegsave_buffer (media_vips.vips_jpegsave_buffer)
#define vips_webpsave_buffer (media_vips.vips_webpsave_buffer)
#define vips_pngsave_buffer (media_vips.vips_pngsave_buffer)
#define vips_gifsave_buffer (media_vips.vips_gifsave_buffer)
#define vips_array_double_newv (media_vips.vips_array_double_newv)
#define vips_area_unref (media_vips.vips_area_unref)
#define g_object_unref (media_vips.g_object_unref)
#define g_free (media_vips.g_free)
#define g_strfreev (media_vips.g_strfreev)
#endif

#endif
