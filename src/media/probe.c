/* SPDX-License-Identifier: MIT */
/*
 * probe.c - the magic bytes pick a format; a cursor then walks that format's
 * container from the first byte to its end marker.  The size comes from the
 * header (PNG IHDR, JPEG SOFn, GIF logical screen, WebP VP8/VP8L/VP8X); the
 * rest of the walk only steps over lengths, so that a truncated upload is
 * refused here rather than half-decoded later.  Every read goes through
 * take(), which checks the bytes are there before handing them out.
 */
#include "core/compat.h"

#include "core/err.h"
#include "media/probe.h"

/* ------------------------------------------------------------------------ */
/* Cursor helpers                                                            */
/* ------------------------------------------------------------------------ */

/* The N bytes at *POS, stepping over them; NULL, with *POS unmoved, when
 * fewer than N remain before END. */
static const uint8_t *take(const uint8_t **pos, const uint8_t *end, size_t n)
{
    const uint8_t *p = *pos;
    if ((size_t)(end - p) < n)
        return NULL;
    *pos = p + n;
    return p;
}

static uint32_t be16(const uint8_t *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t le16(const uint8_t *p)
{
    return (uint32_t)p[1] << 8 | p[0];
}

static uint32_t le24(const uint8_t *p)
{
    return (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[3] << 24 | le24(p);
}

static bool has_magic(const uint8_t *p, const uint8_t *end, const char *magic, size_t n)
{
    return (size_t)(end - p) >= n && memcmp(p, magic, n) == 0;
}

/* ------------------------------------------------------------------------ */
/* PNG: signature, IHDR first (length 13), chunks up to IEND                 */
/* ------------------------------------------------------------------------ */

/* The bit depths the PNG spec allows for each colour type (table 11.1). */
static bool png_depth_ok(unsigned color, unsigned depth)
{
    switch (color) {
    case 0: return depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
    case 3: return depth == 1 || depth == 2 || depth == 4 || depth == 8;
    case 2:
    case 4:
    case 6: return depth == 8 || depth == 16;
    default: return false;
    }
}

static bool png_type_ok(const uint8_t *t)
{
    for (int i = 0; i < 4; i++) {
        if (!((t[i] >= 'A' && t[i] <= 'Z') || (t[i] >= 'a' && t[i] <= 'z')))
            return false;
    }
    return true;
}

/*
 * P is just past the signature.  CRCs are not checked: a flipped bit in
 * IDAT is for the decoder to find, and a checked IHDR CRC would only stop
 * the fuzzer from reaching the chunk walk.
 */
static int probe_png(const uint8_t *p, const uint8_t *end, struct probe_info *info)
{
    const uint8_t *h = take(&p, end, 8 + 13 + 4); /* length, type, IHDR data, CRC */
    bool have_idat = false;
    if (h == NULL || be32(h) != 13 || memcmp(h + 4, "IHDR", 4) != 0)
        return MH_INVAL;
    info->width = be32(h + 8);
    info->height = be32(h + 12);
    if (!png_depth_ok(h[17], h[16]) || h[18] != 0 || h[19] != 0 || h[20] > 1)
        return MH_INVAL; /* compression and filter method 0; interlace 0 or 1 */
    for (;;) {
        const uint8_t *c = take(&p, end, 8);
        if (c == NULL || be32(c) > 0x7fffffff || !png_type_ok(c + 4))
            return MH_INVAL;
        if (take(&p, end, (size_t)be32(c) + 4) == NULL) /* data and CRC */
            return MH_INVAL;
        if (memcmp(c + 4, "IHDR", 4) == 0)
            return MH_INVAL;
        if (memcmp(c + 4, "IDAT", 4) == 0)
            have_idat = true;
        if (memcmp(c + 4, "IEND", 4) == 0)
            return have_idat && be32(c) == 0 ? MH_OK : MH_INVAL;
    }
}

/* ------------------------------------------------------------------------ */
/* JPEG: segments from SOI to EOI, the size from the one SOFn                */
/* ------------------------------------------------------------------------ */

/* SOF0..SOF15 carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share
 * the range but are not frames. */
static bool is_sof(unsigned code)
{
    return code >= 0xc0 && code <= 0xcf && code != 0xc4 && code != 0xc8 && code != 0xcc;
}

static bool is_rst(unsigned code)
{
    return code >= 0xd0 && code <= 0xd7;
}

/*
 * Step over the entropy-coded data that follows an SOS header, to the 0xff
 * that starts the next marker.  Inside a scan a 0xff is a stuffed data byte
 * (ff 00), a restart (ff d0..d7), or, after any fill bytes, a marker.
 * This finds bytes; it does not decode them.
 */
static int skip_scan(const uint8_t **pos, const uint8_t *end)
{
    const uint8_t *p = *pos;
    for (;;) {
        const uint8_t *q;
        p = memchr(p, 0xff, (size_t)(end - p));
        if (p == NULL)
            return MH_INVAL;
        for (q = p + 1; q < end && *q == 0xff; q++) /* fill bytes */
            ;
        if (q == end)
            return MH_INVAL;
        if (*q != 0x00 && !is_rst(*q))
            break;
        p = q + 1;
    }
    *pos = p;
    return MH_OK;
}

/*
 * P is just past SOI.  The walk goes on after the first SOFn, through every
 * scan, to EOI: that is what tells a whole file from a prefix, since a
 * prefix can hold a perfectly good SOF.  APPn segments are stepped over by
 * their length, so an EXIF thumbnail's own EOI does not end the walk.
 */
static int probe_jpeg(const uint8_t *p, const uint8_t *end, struct probe_info *info)
{
    bool have_frame = false, have_scan = false;
    for (;;) {
        const uint8_t *m = take(&p, end, 1), *h, *seg;
        unsigned code;
        size_t len;
        if (m == NULL || *m != 0xff)
            return MH_INVAL; /* no garbage between segments */
        while (p < end && *p == 0xff) /* fill bytes */
            p++;
        if ((m = take(&p, end, 1)) == NULL)
            return MH_INVAL;
        code = *m;
        if (code == 0xd9) /* EOI */
            return have_scan ? MH_OK : MH_INVAL;
        if (code == 0x01 || is_rst(code)) /* TEM, RSTn: no length follows */
            continue;
        if (code == 0x00 || code == 0xd8) /* a stuffed byte outside a scan, a second SOI */
            return MH_INVAL;
        if ((h = take(&p, end, 2)) == NULL || be16(h) < 2)
            return MH_INVAL;
        len = be16(h) - 2; /* the length counts itself */
        if ((seg = take(&p, end, len)) == NULL)
            return MH_INVAL;
        if (is_sof(code)) {
            /* P, Y, X, Nf, then 3 bytes per component */
            if (have_frame || len < 6 || seg[5] == 0 || len != 6 + 3 * (size_t)seg[5])
                return MH_INVAL;
            info->height = be16(seg + 1);
            info->width = be16(seg + 3);
            have_frame = true;
        } else if (code == 0xda) {
            /* Ns in 1..4, 2 bytes per component, then Ss, Se, Ah/Al */
            if (!have_frame || len < 1 || seg[0] < 1 || seg[0] > 4 || len != 4 + 2 * (size_t)seg[0])
                return MH_INVAL;
            if (skip_scan(&p, end))
                return MH_INVAL;
            have_scan = true;
        }
    }
}

/* ------------------------------------------------------------------------ */
/* GIF: logical screen, then blocks up to the trailer, counting frames       */
/* ------------------------------------------------------------------------ */

/* Step over data sub-blocks (a length byte, that many bytes) and the empty
 * one that ends them. */
static int skip_sub_blocks(const uint8_t **pos, const uint8_t *end)
{
    const uint8_t *p = *pos, *n;
    while ((n = take(&p, end, 1)) != NULL && *n != 0) {
        if (take(&p, end, *n) == NULL)
            return MH_INVAL;
    }
    if (n == NULL)
        return MH_INVAL;
    *pos = p;
    return MH_OK;
}

/* The colour table a packed-fields byte announces, in bytes (0 when its
 * flag, the top bit, is clear). */
static size_t color_table_len(uint8_t packed)
{
    return packed & 0x80 ? (size_t)3 << ((packed & 7) + 1) : 0;
}

/* P is just past "GIF87a" or "GIF89a". */
static int probe_gif(const uint8_t *p, const uint8_t *end, struct probe_info *info)
{
    const uint8_t *s = take(&p, end, 7), *b, *d;
    unsigned frames = 0;
    if (s == NULL || take(&p, end, color_table_len(s[4])) == NULL)
        return MH_INVAL;
    info->width = le16(s);
    info->height = le16(s + 2);
    while ((b = take(&p, end, 1)) != NULL) {
        switch (*b) {
        case 0x3b: /* trailer */
            info->animated = frames > 1;
            return frames ? MH_OK : MH_INVAL;
        case 0x21: /* extension: label, sub-blocks */
            if (take(&p, end, 1) == NULL || skip_sub_blocks(&p, end))
                return MH_INVAL;
            break;
        case 0x2c: /* image: descriptor, local colour table, LZW code size, sub-blocks */
            if ((d = take(&p, end, 9)) == NULL ||
                take(&p, end, color_table_len(d[8]) + 1) == NULL || skip_sub_blocks(&p, end))
                return MH_INVAL;
            frames += frames < 2; /* only "more than one" matters */
            break;
        default: return MH_INVAL;
        }
    }
    return MH_INVAL; /* no trailer */
}

/* ------------------------------------------------------------------------ */
/* WebP: RIFF, then VP8 (lossy), VP8L (lossless) or VP8X (extended)          */
/* ------------------------------------------------------------------------ */

/* A VP8 key frame: a 3-byte frame tag, the start code 9d 01 2a, then two
 * 16-bit sides whose top 2 bits are an upscaling hint (RFC 6386 9.1).  The
 * checks are libwebp's VP8GetInfo(). */
static int vp8_size(const uint8_t *b, size_t len, uint32_t *w, uint32_t *h)
{
    uint32_t tag;
    if (len < 10)
        return MH_INVAL;
    tag = le24(b);
    if ((tag & 1) != 0 || ((tag >> 1) & 7) > 3 || ((tag >> 4) & 1) == 0 || (tag >> 5) >= len)
        return MH_INVAL; /* not a key frame, bad version, hidden, partition too long */
    if (b[3] != 0x9d || b[4] != 0x01 || b[5] != 0x2a)
        return MH_INVAL;
    *w = le16(b + 6) & 0x3fff;
    *h = le16(b + 8) & 0x3fff;
    return MH_OK;
}

/* A VP8L stream: signature 0x2f, then 14 bits of width - 1, 14 of
 * height - 1, an alpha hint and a 3-bit version that must be 0. */
static int vp8l_size(const uint8_t *b, size_t len, uint32_t *w, uint32_t *h)
{
    uint32_t bits;
    if (len < 5 || b[0] != 0x2f)
        return MH_INVAL;
    bits = le32(b + 1);
    if (bits >> 29 != 0)
        return MH_INVAL;
    *w = (bits & 0x3fff) + 1;
    *h = ((bits >> 14) & 0x3fff) + 1;
    return MH_OK;
}

/* Take one RIFF chunk: its header into *FOURCC, its body into *BODY and
 * *LEN, and its pad byte when odd (a missing pad at the very end is
 * tolerated, as libwebp does). */
static int riff_chunk(const uint8_t **pos, const uint8_t *end, const uint8_t **fourcc,
                      const uint8_t **body, size_t *len)
{
    const uint8_t *p = *pos, *c = take(&p, end, 8), *b;
    if (c == NULL || (b = take(&p, end, le32(c + 4))) == NULL)
        return MH_INVAL;
    if ((le32(c + 4) & 1) && p < end)
        p++;
    *fourcc = c;
    *body = b;
    *len = le32(c + 4);
    *pos = p;
    return MH_OK;
}

/*
 * The chunks after VP8X: an animation needs ANIM and at least one ANMF
 * frame; a still needs a VP8 or VP8L image the size of the canvas.  ALPH,
 * ICCP, EXIF, XMP and unknown chunks are stepped over.
 */
static int probe_vp8x(const uint8_t *p, const uint8_t *end, const uint8_t *x,
                      struct probe_info *info)
{
    bool animation = (x[0] & 0x02) != 0, have_anim = false, have_image = false;
    unsigned frames = 0;
    info->width = le24(x + 4) + 1;
    info->height = le24(x + 7) + 1;
    while (p < end) {
        const uint8_t *c, *b;
        size_t len;
        uint32_t w, h;
        if (riff_chunk(&p, end, &c, &b, &len))
            return MH_INVAL;
        if (memcmp(c, "ANIM", 4) == 0) {
            have_anim = true;
        } else if (memcmp(c, "ANMF", 4) == 0) {
            frames += frames < 2;
        } else if (!have_image && (memcmp(c, "VP8 ", 4) == 0 || memcmp(c, "VP8L", 4) == 0)) {
            int rc = c[3] == 'L' ? vp8l_size(b, len, &w, &h) : vp8_size(b, len, &w, &h);
            if (rc || (!animation && (w != info->width || h != info->height)))
                return MH_INVAL;
            have_image = true;
        }
    }
    info->animated = frames > 1;
    return (animation ? have_anim && frames > 0 : have_image) ? MH_OK : MH_INVAL;
}

/* P is at "RIFF". */
static int probe_webp(const uint8_t *p, const uint8_t *end, struct probe_info *info)
{
    const uint8_t *r = take(&p, end, 12), *c, *b;
    size_t len;
    if (r == NULL || le32(r + 4) < 4 + 8 || (size_t)(end - p) < le32(r + 4) - 4)
        return MH_INVAL; /* no room for a chunk, or truncated */
    end = p + (le32(r + 4) - 4); /* bytes after the RIFF are not ours */
    if (riff_chunk(&p, end, &c, &b, &len))
        return MH_INVAL;
    if (memcmp(c, "VP8 ", 4) == 0)
        return vp8_size(b, len, &info->width, &info->height);
    if (memcmp(c, "VP8L", 4) == 0)
        return vp8l_size(b, len, &info->width, &info->height);
    if (memcmp(c, "VP8X", 4) == 0 && len == 10)
        return probe_vp8x(p, end, b, info);
    return MH_INVAL;
}

/* ------------------------------------------------------------------------ */
/* Entry point                                                              */
/* ------------------------------------------------------------------------ */

int probe_image(struct str data, struct probe_info *out)
{
    const uint8_t *p = (const uint8_t *)data.ptr, *end;
    struct probe_info info;
    int rc;
    if (p == NULL)
        return MH_INVAL;
    end = p + data.len;
    if (has_magic(p, end, "\xff\xd8\xff", 3)) {
        info = (struct probe_info){PROBE_JPEG, "image/jpeg", "jpg", 0, 0, false};
        rc = probe_jpeg(p + 2, end, &info);
    } else if (has_magic(p, end, "\x89PNG\r\n\x1a\n", 8)) {
        info = (struct probe_info){PROBE_PNG, "image/png", "png", 0, 0, false};
        rc = probe_png(p + 8, end, &info);
    } else if (has_magic(p, end, "GIF87a", 6) || has_magic(p, end, "GIF89a", 6)) {
        info = (struct probe_info){PROBE_GIF, "image/gif", "gif", 0, 0, false};
        rc = probe_gif(p + 6, end, &info);
    } else if (has_magic(p, end, "RIFF", 4) && data.len >= 12 && memcmp(p + 8, "WEBP", 4) == 0) {
        info = (struct probe_info){PROBE_WEBP, "image/webp", "webp", 0, 0, false};
        rc = probe_webp(p, end, &info);
    } else {
        return MH_INVAL;
    }
    if (rc)
        return rc;
    if (info.width == 0 || info.height == 0 || info.width > PROBE_MAX_SIDE ||
        info.height > PROBE_MAX_SIDE)
        return MH_INVAL;
    *out = info;
    return MH_OK;
}
