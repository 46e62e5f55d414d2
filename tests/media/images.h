/* SPDX-License-Identifier: MIT */
/*
 * images.h - test images made here with libvips (never copied from
 * anywhere), and the byte surgery the ingestion tests need: an EXIF segment
 * put into a JPEG, a text chunk into a PNG, a PNG header that lies.
 */
#ifndef MH_TESTS_MEDIA_IMAGES_H
#define MH_TESTS_MEDIA_IMAGES_H

#include "core/compat.h"

#include <vips/vips.h>

#include "core/buf.h"

/* A W x H gradient with a red square near the top-left corner, encoded as
 * FORMAT (".jpg", ".png", ".gif", ".webp") into OUT (heap). */
static inline void test_image(int w, int h, const char *format, struct buf *out)
{
    VipsImage *x, *r, *g, *b, *rgb, *u8;
    void *data;
    size_t len;
    if (VIPS_INIT("masthead-test"))
        abort();
    if (vips_xyz(&x, w, h, NULL) || vips_extract_band(x, &r, 0, NULL) ||
        vips_extract_band(x, &g, 1, NULL))
        abort();
    VipsImage *bands[3];
    if (vips_linear1(g, &b, 0.5, 10.0, NULL))
        abort();
    bands[0] = r;
    bands[1] = g;
    bands[2] = b;
    if (vips_bandjoin(bands, &rgb, 3, NULL) || vips_cast_uchar(rgb, &u8, NULL))
        abort();
    u8->Type = VIPS_INTERPRETATION_sRGB;
    if (vips_image_write_to_buffer(u8, format, &data, &len, "strip", TRUE, NULL))
        abort();
    buf_init(out, NULL, 64u << 20);
    buf_add(out, data, len);
    g_free(data);
    g_object_unref(x);
    g_object_unref(r);
    g_object_unref(g);
    g_object_unref(b);
    g_object_unref(rgb);
    g_object_unref(u8);
}

static inline void put_be16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

static inline void put_be32u(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* JPEG IN with an APP1 EXIF segment after SOI: Orientation ORIENT and
 * Artist ARTIST (little-endian TIFF, one IFD). */
static inline void test_jpeg_with_exif(struct str in, int orient, const char *artist,
                                       struct buf *out)
{
    unsigned char seg[256] = {0};
    size_t alen = strlen(artist) + 1, n = 0;
    seg[n++] = 0xff;
    seg[n++] = 0xe1;
    n += 2; /* length, below */
    memcpy(seg + n, "Exif\0\0", 6);
    n += 6;
    size_t tiff = n;
    memcpy(seg + n, "II*\0\x08\0\0\0", 8);
    n += 8;
    seg[n++] = 2; /* two entries */
    seg[n++] = 0;
    /* 0x0112 Orientation, SHORT, 1, value */
    unsigned char e1[12] = {0x12, 0x01, 3, 0, 1, 0, 0, 0, (unsigned char)orient, 0, 0, 0};
    memcpy(seg + n, e1, 12);
    n += 12;
    /* 0x013b Artist, ASCII, alen, offset after the IFD */
    uint32_t off = (uint32_t)(n + 12 + 4 - tiff);
    unsigned char e2[12] = {0x3b, 0x01, 2, 0, (unsigned char)alen, 0, 0, 0,
                            (unsigned char)off, (unsigned char)(off >> 8), 0, 0};
    memcpy(seg + n, e2, 12);
    n += 12;
    memset(seg + n, 0, 4); /* no next IFD */
    n += 4;
    memcpy(seg + n, artist, alen);
    n += alen;
    put_be16(seg + 2, (unsigned)(n - 2));
    buf_init(out, NULL, 64u << 20);
    buf_add(out, in.ptr, 2);
    buf_add(out, seg, n);
    buf_add(out, in.ptr + 2, in.len - 2);
}

static inline uint32_t test_crc32(const unsigned char *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
    }
    return c ^ 0xffffffffu;
}

/* PNG IN with a tEXt chunk KEY=TEXT after IHDR. */
static inline void test_png_with_text(struct str in, const char *key, const char *text,
                                      struct buf *out)
{
    unsigned char chunk[512];
    size_t kl = strlen(key), tl = strlen(text), dl = kl + 1 + tl;
    put_be32u(chunk, (uint32_t)dl);
    memcpy(chunk + 4, "tEXt", 4);
    memcpy(chunk + 8, key, kl + 1);
    memcpy(chunk + 8 + kl + 1, text, tl);
    put_be32u(chunk + 8 + dl, test_crc32(chunk + 4, 4 + dl));
    buf_init(out, NULL, 64u << 20);
    buf_add(out, in.ptr, 33); /* signature and IHDR */
    buf_add(out, chunk, 12 + dl);
    buf_add(out, in.ptr + 33, in.len - 33);
}

/* Make PNG P (a whole file) declare W x H in its IHDR, with a right CRC. */
static inline void test_png_lie(struct buf *p, uint32_t w, uint32_t h)
{
    unsigned char *d = (unsigned char *)p->data;
    put_be32u(d + 16, w);
    put_be32u(d + 20, h);
    put_be32u(d + 29, test_crc32(d + 12, 17));
}

#endif
