/* SPDX-License-Identifier: MIT */
/*
 * probe_test.c - tests for media/probe.c.  Real files made by ImageMagick
 * 6.9 and libwebp 1.2 are embedded below; the rest are built here a segment
 * or chunk at a time.  Every probe runs on an exact-size heap copy, so ASan
 * reports any read past the end.
 */
#include "core/compat.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "media/probe.h"

/* ------------------------------------------------------------------------ */
/* Samples                                                                  */
/* ------------------------------------------------------------------------ */

/*
 * convert -size 3x2 xc:red -strip png:png_3x2 (and 1234x567, xc:green)
 * convert -size 3x2 xc:red -strip -interlace none|Plane jpg:  (SOF0, SOF2)
 * convert -size 3x2 xc:red -strip gif:;  convert -delay 10 -size 3x2 xc:red xc:blue gif:
 * cwebp -q 50 | -lossless;  cwebp of a half-transparent PNG (VP8X ALPH VP8);
 * gif2webp gif_anim (VP8X ANIM ANMF ANMF)
 */
static const unsigned char png_3x2[84] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
    0x44, 0x52, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x02, 0x01, 0x03, 0x00, 0x00,
    0x00, 0xa7, 0xba, 0xf4, 0x59, 0x00, 0x00, 0x00, 0x03, 0x50, 0x4c, 0x54, 0x45, 0xff,
    0x00, 0x00, 0x19, 0xe2, 0x09, 0x37, 0x00, 0x00, 0x00, 0x0c, 0x49, 0x44, 0x41, 0x54,
    0x08, 0xd7, 0x63, 0x60, 0x60, 0x60, 0x00, 0x00, 0x00, 0x04, 0x00, 0x01, 0x27, 0x34,
    0x27, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};
static const unsigned char png_1234x567[180] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
    0x52, 0x00, 0x00, 0x04, 0xd2, 0x00, 0x00, 0x02, 0x37, 0x01, 0x03, 0x00, 0x00, 0x00, 0x64,
    0x98, 0xe4, 0x9b, 0x00, 0x00, 0x00, 0x03, 0x50, 0x4c, 0x54, 0x45, 0x00, 0x80, 0x00, 0x9c,
    0xf9, 0xa5, 0x91, 0x00, 0x00, 0x00, 0x6c, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0xed, 0xc1,
    0x01, 0x0d, 0x00, 0x00, 0x00, 0xc2, 0xa0, 0xf7, 0x4f, 0x6d, 0x0f, 0x07, 0x14, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x7c, 0x1a, 0x59, 0x93, 0x00, 0x01, 0xd2,
    0x0d, 0x3e, 0x33, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};
static const unsigned char jpeg_baseline[286] = {
    0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01,
    0x00, 0x01, 0x00, 0x00, 0xff, 0xdb, 0x00, 0x43, 0x00, 0x03, 0x02, 0x02, 0x02, 0x02, 0x02, 0x03,
    0x02, 0x02, 0x02, 0x03, 0x03, 0x03, 0x03, 0x04, 0x06, 0x04, 0x04, 0x04, 0x04, 0x04, 0x08, 0x06,
    0x06, 0x05, 0x06, 0x09, 0x08, 0x0a, 0x0a, 0x09, 0x08, 0x09, 0x09, 0x0a, 0x0c, 0x0f, 0x0c, 0x0a,
    0x0b, 0x0e, 0x0b, 0x09, 0x09, 0x0d, 0x11, 0x0d, 0x0e, 0x0f, 0x10, 0x10, 0x11, 0x10, 0x0a, 0x0c,
    0x12, 0x13, 0x12, 0x10, 0x13, 0x0f, 0x10, 0x10, 0x10, 0xff, 0xdb, 0x00, 0x43, 0x01, 0x03, 0x03,
    0x03, 0x04, 0x03, 0x04, 0x08, 0x04, 0x04, 0x08, 0x10, 0x0b, 0x09, 0x0b, 0x10, 0x10, 0x10, 0x10,
    0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10,
    0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10,
    0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0xff, 0xc0,
    0x00, 0x11, 0x08, 0x00, 0x02, 0x00, 0x03, 0x03, 0x01, 0x11, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11,
    0x01, 0xff, 0xc4, 0x00, 0x14, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0xff, 0xc4, 0x00, 0x14, 0x10, 0x01, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xc4, 0x00,
    0x15, 0x01, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x07, 0x09, 0xff, 0xc4, 0x00, 0x14, 0x11, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xda, 0x00, 0x0c, 0x03, 0x01,
    0x00, 0x02, 0x11, 0x03, 0x11, 0x00, 0x3f, 0x00, 0x3a, 0x03, 0x15, 0x4d, 0xff, 0xd9,
};
static const unsigned char jpeg_progressive[523] = {
    0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01,
    0x00, 0x01, 0x00, 0x00, 0xff, 0xdb, 0x00, 0x43, 0x00, 0x03, 0x02, 0x02, 0x02, 0x02, 0x02, 0x03,
    0x02, 0x02, 0x02, 0x03, 0x03, 0x03, 0x03, 0x04, 0x06, 0x04, 0x04, 0x04, 0x04, 0x04, 0x08, 0x06,
    0x06, 0x05, 0x06, 0x09, 0x08, 0x0a, 0x0a, 0x09, 0x08, 0x09, 0x09, 0x0a, 0x0c, 0x0f, 0x0c, 0x0a,
    0x0b, 0x0e, 0x0b, 0x09, 0x09, 0x0d, 0x11, 0x0d, 0x0e, 0x0f, 0x10, 0x10, 0x11, 0x10, 0x0a, 0x0c,
    0x12, 0x13, 0x12, 0x10, 0x13, 0x0f, 0x10, 0x10, 0x10, 0xff, 0xdb, 0x00, 0x43, 0x01, 0x03, 0x03,
    0x03, 0x04, 0x03, 0x04, 0x08, 0x04, 0x04, 0x08, 0x10, 0x0b, 0x09, 0x0b, 0x10, 0x10, 0x10, 0x10,
    0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10,
    0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10,
    0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0xff, 0xc2,
    0x00, 0x11, 0x08, 0x00, 0x02, 0x00, 0x03, 0x03, 0x01, 0x11, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11,
    0x01, 0xff, 0xc4, 0x00, 0x14, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, 0xff, 0xc4, 0x00, 0x15, 0x01, 0x01, 0x01, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06, 0x08, 0xff, 0xda,
    0x00, 0x0c, 0x03, 0x01, 0x00, 0x02, 0x10, 0x03, 0x10, 0x00, 0x00, 0x01, 0x39, 0x0b, 0x54, 0xff,
    0x00, 0xff, 0xc4, 0x00, 0x14, 0x10, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x01, 0x05,
    0x02, 0x7f, 0xff, 0xc4, 0x00, 0x14, 0x11, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xda, 0x00, 0x08, 0x01, 0x03, 0x01, 0x01,
    0x3f, 0x01, 0x7f, 0xff, 0xc4, 0x00, 0x14, 0x11, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xda, 0x00, 0x08, 0x01, 0x02, 0x01,
    0x01, 0x3f, 0x01, 0x7f, 0xff, 0xc4, 0x00, 0x14, 0x10, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xda, 0x00, 0x08, 0x01, 0x01,
    0x00, 0x06, 0x3f, 0x02, 0x7f, 0xff, 0xc4, 0x00, 0x14, 0x10, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xda, 0x00, 0x08, 0x01,
    0x01, 0x00, 0x01, 0x3f, 0x21, 0x7f, 0xff, 0xda, 0x00, 0x0c, 0x03, 0x01, 0x00, 0x02, 0x00, 0x03,
    0x00, 0x00, 0x00, 0x10, 0xff, 0x00, 0xff, 0xc4, 0x00, 0x14, 0x11, 0x01, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xda, 0x00, 0x08,
    0x01, 0x03, 0x01, 0x01, 0x3f, 0x10, 0x7f, 0xff, 0xc4, 0x00, 0x14, 0x11, 0x01, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xda, 0x00,
    0x08, 0x01, 0x02, 0x01, 0x01, 0x3f, 0x10, 0x7f, 0xff, 0xc4, 0x00, 0x14, 0x10, 0x01, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xda,
    0x00, 0x08, 0x01, 0x01, 0x00, 0x01, 0x3f, 0x10, 0x7f, 0xff, 0xd9,
};
static const unsigned char gif_still[43] = {
    0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x03, 0x00, 0x02, 0x00, 0xf0, 0x00, 0x00, 0xff, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x21, 0xf9, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00,
    0x00, 0x00, 0x03, 0x00, 0x02, 0x00, 0x00, 0x02, 0x02, 0x84, 0x5f, 0x00, 0x3b,
};
static const unsigned char gif_anim[91] = {
    0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x03, 0x00, 0x02, 0x00, 0xf0, 0x00, 0x00, 0xff, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x21, 0xf9, 0x04, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x21, 0xff, 0x0b, 0x4e, 0x45,
    0x54, 0x53, 0x43, 0x41, 0x50, 0x45, 0x32, 0x2e, 0x30, 0x03, 0x01, 0x00, 0x00, 0x00, 0x2c, 0x00,
    0x00, 0x00, 0x00, 0x03, 0x00, 0x02, 0x00, 0x00, 0x02, 0x02, 0x84, 0x5f, 0x00, 0x21, 0xf9, 0x04,
    0x00, 0x0a, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x02, 0x00, 0x80, 0x00,
    0x00, 0xff, 0x00, 0x00, 0x00, 0x02, 0x02, 0x84, 0x5f, 0x00, 0x3b,
};
static const unsigned char webp_lossy[64] = {
    0x52, 0x49, 0x46, 0x46, 0x38, 0x00, 0x00, 0x00, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38, 0x20,
    0x2c, 0x00, 0x00, 0x00, 0x90, 0x01, 0x00, 0x9d, 0x01, 0x2a, 0x03, 0x00, 0x02, 0x00, 0x02, 0xc0,
    0x4c, 0x25, 0xa0, 0x02, 0x74, 0xba, 0x00, 0x03, 0x98, 0x00, 0xfe, 0xee, 0x43, 0x1f, 0xee, 0x6c,
    0x73, 0x8b, 0x70, 0x57, 0xff, 0x6d, 0x0f, 0xff, 0x5a, 0x1f, 0xfe, 0xb4, 0x3f, 0xe9, 0x40, 0x00,
};
static const unsigned char webp_lossless[36] = {
    0x52, 0x49, 0x46, 0x46, 0x1c, 0x00, 0x00, 0x00, 0x57, 0x45, 0x42, 0x50,
    0x56, 0x50, 0x38, 0x4c, 0x0f, 0x00, 0x00, 0x00, 0x2f, 0x02, 0x40, 0x00,
    0x00, 0x07, 0x10, 0xfd, 0x8f, 0xfe, 0x07, 0x22, 0xa2, 0xff, 0x01, 0x00,
};
static const unsigned char webp_lossless_1234x567[72] = {
    0x52, 0x49, 0x46, 0x46, 0x40, 0x00, 0x00, 0x00, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38,
    0x4c, 0x33, 0x00, 0x00, 0x00, 0x2f, 0xd1, 0x84, 0x8d, 0x00, 0x07, 0x50, 0xc0, 0x88, 0xfe,
    0x07, 0x04, 0x24, 0x49, 0xff, 0xff, 0x87, 0x11, 0xfd, 0xcf, 0xf8, 0xcf, 0x7f, 0xfe, 0xf3,
    0x9f, 0xff, 0xfc, 0xe7, 0x3f, 0xff, 0xf9, 0xcf, 0x7f, 0xfe, 0xf3, 0x9f, 0xff, 0xfc, 0xe7,
    0x3f, 0xff, 0xf9, 0xcf, 0x7f, 0xfe, 0xf3, 0x9f, 0xff, 0x83, 0x05, 0x00,
};
static const unsigned char webp_vp8x_alpha[98] = {
    0x52, 0x49, 0x46, 0x46, 0x5a, 0x00, 0x00, 0x00, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50,
    0x38, 0x58, 0x0a, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x01,
    0x00, 0x00, 0x41, 0x4c, 0x50, 0x48, 0x07, 0x00, 0x00, 0x00, 0x00, 0x80, 0x80, 0x80,
    0x80, 0x80, 0x80, 0x00, 0x56, 0x50, 0x38, 0x20, 0x2c, 0x00, 0x00, 0x00, 0x90, 0x01,
    0x00, 0x9d, 0x01, 0x2a, 0x03, 0x00, 0x02, 0x00, 0x02, 0xc0, 0x4c, 0x25, 0xa0, 0x02,
    0x74, 0xba, 0x00, 0x03, 0x98, 0x00, 0xfe, 0xee, 0x43, 0x1f, 0xee, 0x6c, 0x73, 0x8b,
    0x70, 0x57, 0xff, 0x6d, 0x0f, 0xff, 0x5a, 0x1f, 0xfe, 0xb4, 0x3f, 0xe9, 0x40, 0x00,
};
static const unsigned char webp_anim[140] = {
    0x52, 0x49, 0x46, 0x46, 0x84, 0x00, 0x00, 0x00, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38, 0x58,
    0x0a, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x01, 0x00, 0x00, 0x41, 0x4e,
    0x49, 0x4d, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00, 0x41, 0x4e, 0x4d, 0x46,
    0x28, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x01, 0x00, 0x00,
    0x64, 0x00, 0x00, 0x02, 0x56, 0x50, 0x38, 0x4c, 0x0f, 0x00, 0x00, 0x00, 0x2f, 0x02, 0x40, 0x00,
    0x00, 0x07, 0x10, 0xfd, 0x8f, 0xfe, 0x07, 0x22, 0xa2, 0xff, 0x01, 0x00, 0x41, 0x4e, 0x4d, 0x46,
    0x28, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x01, 0x00, 0x00,
    0x64, 0x00, 0x00, 0x00, 0x56, 0x50, 0x38, 0x4c, 0x0f, 0x00, 0x00, 0x00, 0x2f, 0x02, 0x40, 0x00,
    0x00, 0x07, 0x10, 0xd1, 0xff, 0xfe, 0x07, 0x22, 0xa2, 0xff, 0x01, 0x00,
};

struct sample {
    const unsigned char *bytes;
    size_t len;
    enum probe_type type;
    uint32_t width, height;
    bool animated;
};

static const struct sample samples[] = {
    {png_3x2, sizeof(png_3x2), PROBE_PNG, 3, 2, false},
    {png_1234x567, sizeof(png_1234x567), PROBE_PNG, 1234, 567, false},
    {jpeg_baseline, sizeof(jpeg_baseline), PROBE_JPEG, 3, 2, false},
    {jpeg_progressive, sizeof(jpeg_progressive), PROBE_JPEG, 3, 2, false},
    {gif_still, sizeof(gif_still), PROBE_GIF, 3, 2, false},
    {gif_anim, sizeof(gif_anim), PROBE_GIF, 3, 2, true},
    {webp_lossy, sizeof(webp_lossy), PROBE_WEBP, 3, 2, false},
    {webp_lossless, sizeof(webp_lossless), PROBE_WEBP, 3, 2, false},
    {webp_lossless_1234x567, sizeof(webp_lossless_1234x567), PROBE_WEBP, 1234, 567, false},
    {webp_vp8x_alpha, sizeof(webp_vp8x_alpha), PROBE_WEBP, 3, 2, false},
    {webp_anim, sizeof(webp_anim), PROBE_WEBP, 3, 2, true},
};

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

/* Append the bytes listed, e.g. ADD(&b, 0xff, 0xd8). */
#define ADD(b, ...)                                                                                \
    do {                                                                                           \
        static const unsigned char add_[] = {__VA_ARGS__};                                         \
        buf_add((b), add_, sizeof(add_));                                                          \
    } while (0)

/* Probe an exact-size heap copy of P, so that a read past the end is an ASan report. */
static int probe_bytes(const void *p, size_t len, struct probe_info *out)
{
    char *copy = mh_malloc(len ? len : 1);
    int rc;
    if (len)
        memcpy(copy, p, len);
    rc = probe_image(str_make(copy, len), out);
    free(copy);
    return rc;
}

static const char *mime_for(enum probe_type t)
{
    switch (t) {
    case PROBE_JPEG: return "image/jpeg";
    case PROBE_PNG: return "image/png";
    case PROBE_GIF: return "image/gif";
    case PROBE_WEBP: return "image/webp";
    default: return NULL;
    }
}

static const char *ext_for(enum probe_type t)
{
    switch (t) {
    case PROBE_JPEG: return "jpg";
    case PROBE_PNG: return "png";
    case PROBE_GIF: return "gif";
    case PROBE_WEBP: return "webp";
    default: return NULL;
    }
}

static void check_ok(const void *p, size_t len, enum probe_type type, uint32_t width,
                     uint32_t height, bool animated)
{
    struct probe_info info;
    memset(&info, 0, sizeof(info));
    assert_int_equal(probe_bytes(p, len, &info), MH_OK);
    assert_int_equal(info.type, type);
    assert_string_equal(info.mime, mime_for(type));
    assert_string_equal(info.ext, ext_for(type));
    assert_int_equal(info.width, width);
    assert_int_equal(info.height, height);
    assert_int_equal(info.animated, animated);
}

/* MH_INVAL, and *out untouched. */
static void check_inval(const void *p, size_t len)
{
    struct probe_info info, before;
    memset(&info, 0xa5, sizeof(info));
    before = info;
    assert_int_equal(probe_bytes(p, len, &info), MH_INVAL);
    assert_memory_equal(&info, &before, sizeof(info));
}

static void check_every_prefix_refused(const void *p, size_t len)
{
    for (size_t n = 0; n < len; n++) {
        struct probe_info info, before;
        int rc;
        memset(&info, 0xa5, sizeof(info));
        before = info;
        rc = probe_bytes(p, n, &info);
        if (rc != MH_INVAL)
            fail_msg("prefix of %zu of %zu bytes: rc %d", n, len, rc);
        assert_memory_equal(&info, &before, sizeof(info));
    }
}

static void put_be16(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

static void put_be32(unsigned char *p, uint32_t v)
{
    put_be16(p, v >> 16);
    put_be16(p + 2, v & 0xffff);
}

static void put_le16(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

static void put_le24(unsigned char *p, uint32_t v)
{
    put_le16(p, v & 0xffff);
    p[2] = (unsigned char)(v >> 16);
}

static void put_le32(unsigned char *p, uint32_t v)
{
    put_le24(p, v & 0xffffff);
    p[3] = (unsigned char)(v >> 24);
}

/* Offset of the first NEEDLE in P; fails the test when there is none. */
static size_t find(const unsigned char *p, size_t len, const char *needle, size_t n)
{
    for (size_t i = 0; i + n <= len; i++) {
        if (memcmp(p + i, needle, n) == 0)
            return i;
    }
    fail_msg("'%s' not found", needle);
    return 0;
}

static void check_buf_ok(struct buf *b, enum probe_type type, uint32_t w, uint32_t h, bool anim)
{
    assert_int_equal(b->err, MH_OK);
    check_ok(b->data, b->len, type, w, h, anim);
    check_every_prefix_refused(b->data, b->len);
    buf_release(b);
}

static void check_buf_inval(struct buf *b)
{
    assert_int_equal(b->err, MH_OK);
    check_inval(b->data, b->len);
    buf_release(b);
}

/* ------------------------------------------------------------------------ */
/* Every format, every sample                                               */
/* ------------------------------------------------------------------------ */

static void test_samples(void **state)
{
    (void)state;
    for (size_t i = 0; i < MH_ARRAY_LEN(samples); i++) {
        const struct sample *s = &samples[i];
        check_ok(s->bytes, s->len, s->type, s->width, s->height, s->animated);
    }
}

static void test_every_prefix_is_refused(void **state)
{
    (void)state;
    for (size_t i = 0; i < MH_ARRAY_LEN(samples); i++)
        check_every_prefix_refused(samples[i].bytes, samples[i].len);
}

static void test_trailing_bytes_are_ignored(void **state)
{
    (void)state;
    for (size_t i = 0; i < MH_ARRAY_LEN(samples); i++) {
        const struct sample *s = &samples[i];
        struct buf b;
        buf_init(&b, NULL, MH_MIB);
        buf_add(&b, s->bytes, s->len);
        buf_adds(&b, "\xff\xd8 trailing junk <html>");
        assert_int_equal(b.err, MH_OK);
        check_ok(b.data, b.len, s->type, s->width, s->height, s->animated);
        buf_release(&b);
    }
}

/* The type comes from the bytes: an upload named .jpg that holds a PNG is a PNG. */
static void test_name_is_not_consulted(void **state)
{
    struct upload {
        const char *filename, *content_type;
        const unsigned char *bytes;
        size_t len;
    } up = {"photo.jpg", "image/jpeg", png_3x2, sizeof(png_3x2)};
    struct probe_info info;
    (void)state;
    assert_int_equal(probe_bytes(up.bytes, up.len, &info), MH_OK);
    assert_int_equal(info.type, PROBE_PNG);
    assert_string_equal(info.ext, "png");
    assert_string_equal(info.mime, "image/png");
}

static void test_non_images_are_refused(void **state)
{
    static const struct str inputs[] = {
        STR_LIT(""),
        STR_LIT("hello, world\n"),
        STR_LIT("<!DOCTYPE html><html><body><img src=x onerror=alert(1)></body></html>"),
        STR_LIT("<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"3\" "
                "height=\"2\"><script>alert(1)</script></svg>"),
        STR_LIT("<svg width=\"3\" height=\"2\"></svg>"),
        STR_LIT("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"),
        STR_LIT("BM\x3a\0\0\0\0\0\0\0\x36\0\0\0"),     /* BMP */
        STR_LIT("II*\0\x08\0\0\0"),                    /* TIFF */
        STR_LIT("RIFF\x24\0\0\0WAVEfmt \x10\0\0\0"),   /* WAV */
        STR_LIT("\0\0\0\030ftypheic\0\0\0\0mif1heic"), /* HEIC */
        STR_LIT("\x89PNG\r\n\x1a\n"),                  /* magic only */
        STR_LIT("\xff\xd8\xff"),
        STR_LIT("GIF89a"),
        STR_LIT("RIFF\x04\0\0\0WEBP"),
        /* a whole GIF but for the version */
        STR_LIT("GIF90a\x03\0\x02\0\0\0\0\x2c\0\0\0\0\x03\0\x02\0\0\x02\x02\x84\x5f\0\x3b"),
    };
    struct probe_info info;
    (void)state;
    for (size_t i = 0; i < MH_ARRAY_LEN(inputs); i++)
        check_inval(inputs[i].ptr, inputs[i].len);
    assert_int_equal(probe_image(STR_NULL, &info), MH_INVAL);
    assert_int_equal(probe_image(str_make("x", 0), &info), MH_INVAL);
}

/* ------------------------------------------------------------------------ */
/* PNG                                                                      */
/* ------------------------------------------------------------------------ */

static void png_chunk(struct buf *b, const char *type, const void *data, uint32_t len)
{
    unsigned char h[8];
    put_be32(h, len);
    memcpy(h + 4, type, 4);
    buf_add(b, h, 8);
    buf_add(b, data, len);
    buf_add(b, "\0\0\0\0", 4); /* the CRC is not checked */
}

/* A PNG of W x H, bit DEPTH, colour COLOR, interlace LACE. */
static void png_start(struct buf *b, uint32_t w, uint32_t h, int depth, int color, int lace)
{
    unsigned char ihdr[13] = {0};
    put_be32(ihdr, w);
    put_be32(ihdr + 4, h);
    ihdr[8] = (unsigned char)depth;
    ihdr[9] = (unsigned char)color;
    ihdr[12] = (unsigned char)lace;
    buf_init(b, NULL, MH_MIB);
    buf_add(b, "\x89PNG\r\n\x1a\n", 8);
    png_chunk(b, "IHDR", ihdr, 13);
}

static void png_end(struct buf *b)
{
    png_chunk(b, "IDAT", "\x08\xd7\x63\x60", 4);
    png_chunk(b, "IEND", "", 0);
}

static void test_png_header(void **state)
{
    static const struct {
        int depth, color, lace;
        bool ok;
    } cases[] = {
        {1, 0, 0, true},  {16, 0, 0, true}, {8, 2, 1, true},   {16, 6, 0, true}, {4, 3, 0, true},
        {16, 4, 0, true}, {4, 2, 0, false}, {16, 3, 0, false}, {3, 0, 0, false}, {8, 1, 0, false},
        {8, 5, 0, false}, {8, 7, 0, false}, {8, 2, 2, false},  {0, 0, 0, false},
    };
    struct buf b;
    (void)state;
    for (size_t i = 0; i < MH_ARRAY_LEN(cases); i++) {
        png_start(&b, 640, 480, cases[i].depth, cases[i].color, cases[i].lace);
        png_end(&b);
        if (cases[i].ok)
            check_buf_ok(&b, PROBE_PNG, 640, 480, false);
        else
            check_buf_inval(&b);
    }
}

static void test_png_dimensions(void **state)
{
    static const struct {
        uint32_t w, h;
        bool ok;
    } cases[] = {
        {1, 1, true},  {30000, 30000, true}, {30001, 1, false},      {1, 30001, false},
        {0, 1, false}, {1, 0, false},        {0xffffffff, 1, false}, {0x80000000, 1, false},
    };
    (void)state;
    for (size_t i = 0; i < MH_ARRAY_LEN(cases); i++) {
        unsigned char b[sizeof(png_3x2)];
        memcpy(b, png_3x2, sizeof(b));
        put_be32(b + 16, cases[i].w);
        put_be32(b + 20, cases[i].h);
        if (cases[i].ok)
            check_ok(b, sizeof(b), PROBE_PNG, cases[i].w, cases[i].h, false);
        else
            check_inval(b, sizeof(b));
    }
}

static void test_png_chunks(void **state)
{
    unsigned char ihdr[13] = {0, 0, 0, 3, 0, 0, 0, 2, 8, 2, 0, 0, 0};
    struct buf b;
    (void)state;

    /* ancillary chunks and several IDATs are fine */
    png_start(&b, 3, 2, 8, 2, 0);
    png_chunk(&b, "tEXt", "Title\0Front page", 16);
    png_chunk(&b, "IDAT", "\x08", 1);
    png_chunk(&b, "zzZz", "", 0);
    png_end(&b);
    check_buf_ok(&b, PROBE_PNG, 3, 2, false);

    /* IHDR must come first */
    buf_init(&b, NULL, MH_MIB);
    buf_add(&b, "\x89PNG\r\n\x1a\n", 8);
    png_chunk(&b, "tEXt", "a\0b", 3);
    png_chunk(&b, "IHDR", ihdr, 13);
    png_end(&b);
    check_buf_inval(&b);

    /* IHDR must be 13 bytes */
    buf_init(&b, NULL, MH_MIB);
    buf_add(&b, "\x89PNG\r\n\x1a\n", 8);
    png_chunk(&b, "IHDR", "\0\0\0\x03\0\0\0\x02\x08\x02\0\0\0\0", 14);
    png_end(&b);
    check_buf_inval(&b);

    /* a second IHDR */
    png_start(&b, 3, 2, 8, 2, 0);
    png_chunk(&b, "IHDR", ihdr, 13);
    png_end(&b);
    check_buf_inval(&b);

    /* no IDAT */
    png_start(&b, 3, 2, 8, 2, 0);
    png_chunk(&b, "IEND", "", 0);
    check_buf_inval(&b);

    /* IEND with data */
    png_start(&b, 3, 2, 8, 2, 0);
    png_chunk(&b, "IDAT", "\x08", 1);
    png_chunk(&b, "IEND", "x", 1);
    check_buf_inval(&b);

    /* a chunk type that is not four letters */
    png_start(&b, 3, 2, 8, 2, 0);
    png_chunk(&b, "ID4T", "\x08", 1);
    png_end(&b);
    check_buf_inval(&b);

    /* a chunk length over 2^31 - 1, and one past the end */
    png_start(&b, 3, 2, 8, 2, 0);
    ADD(&b, 0x80, 0, 0, 0, 'I', 'D', 'A', 'T');
    png_end(&b);
    check_buf_inval(&b);
    png_start(&b, 3, 2, 8, 2, 0);
    ADD(&b, 0x7f, 0xff, 0xff, 0xff, 'I', 'D', 'A', 'T');
    png_end(&b);
    check_buf_inval(&b);
}

/* ------------------------------------------------------------------------ */
/* JPEG                                                                     */
/* ------------------------------------------------------------------------ */

#define JPEG_SOI(b) ADD(b, 0xff, 0xd8)
#define JPEG_EOI(b) ADD(b, 0xff, 0xd9)
/* SOF0, 8 bits, 2 high, 3 wide, one component */
#define JPEG_SOF(b) ADD(b, 0xff, 0xc0, 0, 11, 8, 0, 2, 0, 3, 1, 1, 0x11, 0)
/* SOS, one component, then two bytes of entropy-coded data */
#define JPEG_SCAN(b) ADD(b, 0xff, 0xda, 0, 8, 1, 1, 0, 0, 0x3f, 0, 0x12, 0x34)
#define JPEG_APP0(b) ADD(b, 0xff, 0xe0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0)

static void test_jpeg_minimal(void **state)
{
    struct buf b;
    (void)state;
    buf_init(&b, NULL, MH_MIB);
    JPEG_SOI(&b);
    JPEG_APP0(&b);
    JPEG_SOF(&b);
    JPEG_SCAN(&b);
    JPEG_EOI(&b);
    check_buf_ok(&b, PROBE_JPEG, 3, 2, false);
}

static void test_jpeg_fill_and_standalone_markers(void **state)
{
    struct buf b;
    (void)state;
    buf_init(&b, NULL, MH_MIB);
    JPEG_SOI(&b);
    ADD(&b, 0xff, 0xff, 0xff); /* fill before the next marker */
    JPEG_APP0(&b);
    ADD(&b, 0xff, 0x01); /* TEM */
    ADD(&b, 0xff, 0xd0); /* RST0 outside a scan */
    JPEG_SOF(&b);
    JPEG_SCAN(&b);
    /* stuffed 0xff, restart markers, fill before a marker, a second scan */
    ADD(&b, 0xff, 0x00, 0x56, 0xff, 0xd3, 0x78, 0xff, 0xd7, 0xff, 0xff, 0xff);
    ADD(&b, 0xc4, 0, 4, 0x10, 0x00); /* DHT between scans, reached through fill */
    JPEG_SCAN(&b);
    ADD(&b, 0xff, 0xff);
    JPEG_EOI(&b);
    check_buf_ok(&b, PROBE_JPEG, 3, 2, false);
}

/* An EXIF thumbnail inside APP1 has its own SOI, SOF and EOI: stepped over. */
static void test_jpeg_thumbnail_is_skipped(void **state)
{
    struct buf b;
    (void)state;
    buf_init(&b, NULL, MH_MIB);
    JPEG_SOI(&b);
    ADD(&b, 0xff, 0xe1, 0, 2 + 6 + 2 + 13 + 12 + 2, 'E', 'x', 'i', 'f', 0, 0);
    JPEG_SOI(&b);
    ADD(&b, 0xff, 0xc0, 0, 11, 8, 0x01, 0x00, 0x01, 0x40, 1, 1, 0x11, 0); /* 320x256 */
    JPEG_SCAN(&b);
    JPEG_EOI(&b);
    JPEG_SOF(&b);
    JPEG_SCAN(&b);
    JPEG_EOI(&b);
    check_buf_ok(&b, PROBE_JPEG, 3, 2, false);
}

/* C4 (DHT), C8 (JPG) and CC (DAC) sit among the SOFn codes but are not frames. */
static void test_jpeg_sof_lookalikes(void **state)
{
    static const unsigned char codes[] = {0xc4, 0xc8, 0xcc};
    (void)state;
    for (size_t i = 0; i < MH_ARRAY_LEN(codes); i++) {
        struct buf b;
        unsigned char seg[] = {0xff, codes[i], 0, 11, 8, 0x75, 0x30, 0x75, 0x30, 1, 1, 0x11, 0};
        buf_init(&b, NULL, MH_MIB);
        JPEG_SOI(&b);
        buf_add(&b, seg, sizeof(seg));
        JPEG_SOF(&b);
        JPEG_SCAN(&b);
        JPEG_EOI(&b);
        check_buf_ok(&b, PROBE_JPEG, 3, 2, false);
    }
    /* every real SOFn is read: SOF1, SOF3, SOF9, SOF15 */
    static const unsigned char sofs[] = {0xc1, 0xc3, 0xc9, 0xcf};
    for (size_t i = 0; i < MH_ARRAY_LEN(sofs); i++) {
        struct buf b;
        unsigned char seg[] = {0xff, sofs[i], 0, 17, 8,    0x02, 0x37, 0x04, 0xd2, 3,
                               1,    0x22,    0, 2,  0x11, 1,    3,    0x11, 1};
        buf_init(&b, NULL, MH_MIB);
        JPEG_SOI(&b);
        buf_add(&b, seg, sizeof(seg));
        JPEG_SCAN(&b);
        JPEG_EOI(&b);
        check_buf_ok(&b, PROBE_JPEG, 1234, 567, false);
    }
}

static void test_jpeg_malformed(void **state)
{
    struct buf b;
    (void)state;

    /* no frame */
    buf_init(&b, NULL, MH_MIB);
    JPEG_SOI(&b);
    JPEG_APP0(&b);
    JPEG_EOI(&b);
    check_buf_inval(&b);

    /* a frame but no scan */
    buf_init(&b, NULL, MH_MIB);
    JPEG_SOI(&b);
    JPEG_SOF(&b);
    JPEG_EOI(&b);
    check_buf_inval(&b);

    /* a scan before the frame */
    buf_init(&b, NULL, MH_MIB);
    JPEG_SOI(&b);
    JPEG_SCAN(&b);
    JPEG_SOF(&b);
    JPEG_SCAN(&b);
    JPEG_EOI(&b);
    check_buf_inval(&b);

    /* two frames */
    buf_init(&b, NULL, MH_MIB);
    JPEG_SOI(&b);
    JPEG_SOF(&b);
    JPEG_SOF(&b);
    JPEG_SCAN(&b);
    JPEG_EOI(&b);
    check_buf_inval(&b);

    /* segment lengths of 0 and 1, and one past the end */
    for (unsigned len = 0; len < 2; len++) {
        buf_init(&b, NULL, MH_MIB);
        JPEG_SOI(&b);
        ADD(&b, 0xff, 0xe0, 0);
        buf_addc(&b, (char)len);
        JPEG_SOF(&b);
        JPEG_SCAN(&b);
        JPEG_EOI(&b);
        check_buf_inval(&b);
    }
    buf_init(&b, NULL, MH_MIB);
    JPEG_SOI(&b);
    JPEG_SOF(&b);
    JPEG_SCAN(&b);
    ADD(&b, 0xff, 0xfe, 0, 5, 'h', 'i');
    JPEG_EOI(&b);
    check_buf_inval(&b);

    /* a byte between segments */
    buf_init(&b, NULL, MH_MIB);
    JPEG_SOI(&b);
    JPEG_APP0(&b);
    ADD(&b, 0x00);
    JPEG_SOF(&b);
    JPEG_SCAN(&b);
    JPEG_EOI(&b);
    check_buf_inval(&b);

    /* ff 00 outside a scan, and a second SOI */
    buf_init(&b, NULL, MH_MIB);
    JPEG_SOI(&b);
    ADD(&b, 0xff, 0x00);
    JPEG_SOF(&b);
    JPEG_SCAN(&b);
    JPEG_EOI(&b);
    check_buf_inval(&b);
    buf_init(&b, NULL, MH_MIB);
    JPEG_SOI(&b);
    JPEG_SOF(&b);
    ADD(&b, 0xff, 0xd8, 0, 4, 0, 0); /* would pass as a segment of length 4 */
    JPEG_SCAN(&b);
    JPEG_EOI(&b);
    check_buf_inval(&b);

    /* a frame with no components, and one whose length disagrees with Nf */
    buf_init(&b, NULL, MH_MIB);
    JPEG_SOI(&b);
    ADD(&b, 0xff, 0xc0, 0, 8, 8, 0, 2, 0, 3, 0);
    JPEG_SCAN(&b);
    JPEG_EOI(&b);
    check_buf_inval(&b);
    buf_init(&b, NULL, MH_MIB);
    JPEG_SOI(&b);
    ADD(&b, 0xff, 0xc0, 0, 14, 8, 0, 2, 0, 3, 1, 1, 0x11, 0, 2, 0x11, 0);
    JPEG_SCAN(&b);
    JPEG_EOI(&b);
    check_buf_inval(&b);

    /* a scan with no components, and one with five */
    buf_init(&b, NULL, MH_MIB);
    JPEG_SOI(&b);
    JPEG_SOF(&b);
    ADD(&b, 0xff, 0xda, 0, 6, 0, 0, 0x3f, 0, 0x12);
    JPEG_EOI(&b);
    check_buf_inval(&b);
    buf_init(&b, NULL, MH_MIB);
    JPEG_SOI(&b);
    JPEG_SOF(&b);
    ADD(&b, 0xff, 0xda, 0, 16, 5, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 0, 0x3f, 0, 0x12);
    JPEG_EOI(&b);
    check_buf_inval(&b);

    /* a scan whose length disagrees with Ns */
    buf_init(&b, NULL, MH_MIB);
    JPEG_SOI(&b);
    JPEG_SOF(&b);
    ADD(&b, 0xff, 0xda, 0, 10, 1, 1, 0, 0, 0x3f, 0, 0, 0, 0x12);
    JPEG_EOI(&b);
    check_buf_inval(&b);

    /* a scan that never ends */
    buf_init(&b, NULL, MH_MIB);
    JPEG_SOI(&b);
    JPEG_SOF(&b);
    JPEG_SCAN(&b);
    ADD(&b, 0xff, 0x00, 0xff, 0xd0, 0xff, 0xff);
    check_buf_inval(&b);
}

static void test_jpeg_dimensions(void **state)
{
    static const struct {
        uint32_t w, h;
        bool ok;
    } cases[] = {
        {1, 1, true},      {30000, 30000, true}, {30001, 2, false}, {3, 30001, false},
        {65535, 2, false}, {0, 2, false},        {3, 0, false}, /* 0 high: DNL, refused */
    };
    (void)state;
    for (size_t i = 0; i < MH_ARRAY_LEN(cases); i++) {
        unsigned char b[sizeof(jpeg_baseline)];
        size_t sof = find(jpeg_baseline, sizeof(jpeg_baseline), "\xff\xc0", 2);
        memcpy(b, jpeg_baseline, sizeof(b));
        put_be16(b + sof + 5, cases[i].h);
        put_be16(b + sof + 7, cases[i].w);
        if (cases[i].ok)
            check_ok(b, sizeof(b), PROBE_JPEG, cases[i].w, cases[i].h, false);
        else
            check_inval(b, sizeof(b));
    }
}

/* ------------------------------------------------------------------------ */
/* GIF                                                                      */
/* ------------------------------------------------------------------------ */

static void test_gif(void **state)
{
    struct buf b;
    unsigned char g[sizeof(gif_still)];
    (void)state;

    /* GIF87a is as good as GIF89a */
    memcpy(g, gif_still, sizeof(g));
    memcpy(g + 3, "87a", 3);
    check_ok(g, sizeof(g), PROBE_GIF, 3, 2, false);

    /* no global colour table, a local one of 4 entries, one frame, comments */
    buf_init(&b, NULL, MH_MIB);
    buf_adds(&b, "GIF89a");
    ADD(&b, 0x34, 0x12, 0x21, 0x43, 0x00, 0, 0);        /* 0x1234 x 0x4321 */
    ADD(&b, 0x21, 0xfe, 5, 'h', 'e', 'l', 'l', 'o', 0); /* comment */
    ADD(&b, 0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0x81);        /* 1x1 at 0,0, LCT */
    ADD(&b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);     /* 4 colours */
    ADD(&b, 2, 2, 0x44, 0x01, 0);                       /* LZW data */
    ADD(&b, 0x3b);
    check_buf_ok(&b, PROBE_GIF, 0x1234, 0x4321, false);

    /* no frame at all */
    buf_init(&b, NULL, MH_MIB);
    buf_adds(&b, "GIF89a");
    ADD(&b, 3, 0, 2, 0, 0, 0, 0, 0x21, 0xfe, 1, 'x', 0, 0x3b);
    check_buf_inval(&b);

    /* an unknown block */
    buf_init(&b, NULL, MH_MIB);
    buf_add(&b, gif_still, sizeof(gif_still) - 1);
    ADD(&b, 0x99, 0x3b);
    check_buf_inval(&b);

    /* a colour table that runs past the end */
    memcpy(g, gif_still, sizeof(g));
    g[10] = 0xf7; /* 256 entries */
    check_inval(g, sizeof(g));
}

static void test_gif_dimensions(void **state)
{
    static const struct {
        uint32_t w, h;
        bool ok;
    } cases[] = {
        {1, 1, true},      {30000, 30000, true}, {30001, 2, false},
        {3, 65535, false}, {0, 2, false},        {3, 0, false},
    };
    (void)state;
    for (size_t i = 0; i < MH_ARRAY_LEN(cases); i++) {
        unsigned char g[sizeof(gif_anim)];
        memcpy(g, gif_anim, sizeof(g));
        put_le16(g + 6, cases[i].w);
        put_le16(g + 8, cases[i].h);
        if (cases[i].ok)
            check_ok(g, sizeof(g), PROBE_GIF, cases[i].w, cases[i].h, true);
        else
            check_inval(g, sizeof(g));
    }
}

/* ------------------------------------------------------------------------ */
/* WebP                                                                     */
/* ------------------------------------------------------------------------ */

/* Offsets in the samples: RIFF header 0..11, first chunk header 12..19, body from 20. */
enum { RIFF_SIZE = 4, CHUNK_SIZE = 16, BODY = 20 };

static void test_webp_vp8(void **state)
{
    unsigned char w[sizeof(webp_lossy)];
    (void)state;

    /* 14-bit sides; the top two bits are a scaling hint */
    memcpy(w, webp_lossy, sizeof(w));
    put_le16(w + BODY + 6, 1234 | 0xc000);
    put_le16(w + BODY + 8, 567 | 0x4000);
    check_ok(w, sizeof(w), PROBE_WEBP, 1234, 567, false);
    put_le16(w + BODY + 6, 0x3fff);
    put_le16(w + BODY + 8, 0x3fff);
    check_ok(w, sizeof(w), PROBE_WEBP, 16383, 16383, false);
    put_le16(w + BODY + 6, 0xc000);
    check_inval(w, sizeof(w));

    /* an interframe, a hidden frame, a bad version, a bad start code */
    memcpy(w, webp_lossy, sizeof(w));
    w[BODY] |= 0x01;
    check_inval(w, sizeof(w));
    memcpy(w, webp_lossy, sizeof(w));
    w[BODY] &= (unsigned char)~0x10;
    check_inval(w, sizeof(w));
    memcpy(w, webp_lossy, sizeof(w));
    w[BODY] |= 0x08; /* version 4 */
    check_inval(w, sizeof(w));
    memcpy(w, webp_lossy, sizeof(w));
    w[BODY + 4] = 0x02;
    check_inval(w, sizeof(w));

    /* a first partition longer than the chunk */
    memcpy(w, webp_lossy, sizeof(w));
    put_le24(w + BODY, (0x7ffffu << 5) | 0x10);
    check_inval(w, sizeof(w));
}

static void test_webp_vp8l(void **state)
{
    unsigned char w[sizeof(webp_lossless)];
    (void)state;

    memcpy(w, webp_lossless, sizeof(w));
    put_le32(w + BODY + 1, 0x0fffffff); /* 16384 x 16384, no alpha, version 0 */
    check_ok(w, sizeof(w), PROBE_WEBP, 16384, 16384, false);
    put_le32(w + BODY + 1, 1233 | 566u << 14 | 1u << 28);
    check_ok(w, sizeof(w), PROBE_WEBP, 1234, 567, false);
    put_le32(w + BODY + 1, 1u << 29); /* version 1 */
    check_inval(w, sizeof(w));

    memcpy(w, webp_lossless, sizeof(w));
    w[BODY] = 0x2e; /* signature */
    check_inval(w, sizeof(w));
}

static void test_webp_vp8x(void **state)
{
    unsigned char x[sizeof(webp_vp8x_alpha)], a[sizeof(webp_anim)];
    struct buf b;
    size_t frame2;
    (void)state;

    /* a still canvas must match its image */
    memcpy(x, webp_vp8x_alpha, sizeof(x));
    put_le24(x + BODY + 4, 3);
    check_inval(x, sizeof(x));
    memcpy(x, webp_vp8x_alpha, sizeof(x));
    put_le24(x + BODY + 7, 0);
    check_inval(x, sizeof(x));

    /* a chunk after VP8X that runs past the RIFF */
    memcpy(x, webp_vp8x_alpha, sizeof(x));
    put_le32(x + find(x, sizeof(x), "ALPH", 4) + 4, 0x1000);
    check_inval(x, sizeof(x));

    /* a still needs an image chunk; an animation needs ANIM and frames */
    memcpy(a, webp_anim, sizeof(a));
    a[BODY] &= (unsigned char)~0x02;
    check_inval(a, sizeof(a));
    memcpy(x, webp_vp8x_alpha, sizeof(x));
    x[BODY] |= 0x02;
    check_inval(x, sizeof(x));
    memcpy(a, webp_anim, sizeof(a));
    memcpy(a + find(a, sizeof(a), "ANIM", 4), "ANIX", 4);
    check_inval(a, sizeof(a));

    /* an animation of one frame is not animated */
    frame2 = find(webp_anim + 48, sizeof(webp_anim) - 48, "ANMF", 4) + 48;
    memcpy(a, webp_anim, frame2);
    put_le32(a + RIFF_SIZE, (uint32_t)frame2 - 8);
    check_ok(a, frame2, PROBE_WEBP, 3, 2, false);
    check_every_prefix_refused(a, frame2);

    /* 24-bit canvas sides, + 1 */
    memcpy(a, webp_anim, sizeof(a));
    put_le24(a + BODY + 4, 29999);
    put_le24(a + BODY + 7, 29999);
    check_ok(a, sizeof(a), PROBE_WEBP, 30000, 30000, true);
    put_le24(a + BODY + 4, 30000);
    check_inval(a, sizeof(a));
    put_le24(a + BODY + 4, 0xffffff);
    check_inval(a, sizeof(a));

    /* VP8X is 10 bytes, even when the RIFF and chunk sizes agree on more */
    buf_init(&b, NULL, MH_MIB);
    buf_add(&b, webp_vp8x_alpha, BODY + 10);
    buf_add(&b, "\0\0", 2);
    buf_add(&b, webp_vp8x_alpha + BODY + 10, sizeof(webp_vp8x_alpha) - BODY - 10);
    assert_int_equal(b.err, MH_OK);
    put_le32((unsigned char *)b.data + RIFF_SIZE, (uint32_t)b.len - 8);
    put_le32((unsigned char *)b.data + CHUNK_SIZE, 12);
    check_buf_inval(&b);
}

static void test_webp_riff(void **state)
{
    unsigned char w[sizeof(webp_lossy)];
    (void)state;

    /* a RIFF size over the data, under the first chunk, or too small for any */
    memcpy(w, webp_lossy, sizeof(w));
    put_le32(w + RIFF_SIZE, (uint32_t)sizeof(w) - 7);
    check_inval(w, sizeof(w));
    put_le32(w + RIFF_SIZE, 0xffffffff);
    check_inval(w, sizeof(w));
    put_le32(w + RIFF_SIZE, 20);
    check_inval(w, sizeof(w));
    put_le32(w + RIFF_SIZE, 11);
    check_inval(w, sizeof(w));

    /* a first chunk that is none of VP8, VP8L, VP8X */
    memcpy(w, webp_lossy, sizeof(w));
    memcpy(w + 12, "ALPH", 4);
    check_inval(w, sizeof(w));

    /* a chunk size past the RIFF */
    memcpy(w, webp_lossy, sizeof(w));
    put_le32(w + CHUNK_SIZE, 0xfffffff0);
    check_inval(w, sizeof(w));

    /* a VP8 chunk too short for its header */
    memcpy(w, webp_lossy, sizeof(w));
    put_le32(w + RIFF_SIZE, 4 + 8 + 8);
    put_le32(w + CHUNK_SIZE, 8);
    check_inval(w, 12 + 8 + 8);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_samples),
        cmocka_unit_test(test_every_prefix_is_refused),
        cmocka_unit_test(test_trailing_bytes_are_ignored),
        cmocka_unit_test(test_name_is_not_consulted),
        cmocka_unit_test(test_non_images_are_refused),
        cmocka_unit_test(test_png_header),
        cmocka_unit_test(test_png_dimensions),
        cmocka_unit_test(test_png_chunks),
        cmocka_unit_test(test_jpeg_minimal),
        cmocka_unit_test(test_jpeg_fill_and_standalone_markers),
        cmocka_unit_test(test_jpeg_thumbnail_is_skipped),
        cmocka_unit_test(test_jpeg_sof_lookalikes),
        cmocka_unit_test(test_jpeg_malformed),
        cmocka_unit_test(test_jpeg_dimensions),
        cmocka_unit_test(test_gif),
        cmocka_unit_test(test_gif_dimensions),
        cmocka_unit_test(test_webp_vp8),
        cmocka_unit_test(test_webp_vp8l),
        cmocka_unit_test(test_webp_vp8x),
        cmocka_unit_test(test_webp_riff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
