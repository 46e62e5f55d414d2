/* SPDX-License-Identifier: MIT */
/*
 * png.c - the image pool of the demo paper: abstract editorial illustrations
 * (orbits, molecules, charts, waves, circuits, networks) drawn into an RGB
 * canvas with anti-aliased integer geometry and written as PNG with zlib.
 * Only integer arithmetic touches pixels, so every machine draws the same
 * bytes; the file format (chunks, CRCs, filters) is done here, compression is
 * zlib's.  Which article uses which image is text.c's decision.
 */
#include "core/compat.h"

#include <zlib.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/rng.h"
#include "demo/demo.h"

/*
 * Palettes and descriptions
 */

struct palette {
    const char *en, *zh;
    uint8_t bg0[3], bg1[3], a[3], b[3], ink[3];
    uint8_t sun[3]; /* a warm light colour that stands out on the background */
};

static const struct palette palettes[] = {
    {"deep blue", "深蓝色", {0x0B, 0x1F, 0x3A}, {0x1E, 0x4D, 0x7B}, {0xF2, 0xA5, 0x41},
     {0x5F, 0xC4, 0xD9}, {0xE8, 0xEE, 0xF5}, {0xF2, 0xA5, 0x41}},
    {"teal", "青绿色", {0x0E, 0x3B, 0x43}, {0x1F, 0x7A, 0x7A}, {0xF4, 0xD3, 0x5E},
     {0xEE, 0x96, 0x4B}, {0xF1, 0xF7, 0xF5}, {0xF4, 0xD3, 0x5E}},
    {"sand", "米色", {0xF3, 0xE9, 0xDC}, {0xE2, 0xCB, 0xAB}, {0xC8, 0x55, 0x3D},
     {0x2F, 0x48, 0x58}, {0x3A, 0x3A, 0x3A}, {0xE0, 0x7A, 0x5F}},
    {"violet", "紫色", {0x22, 0x1E, 0x3F}, {0x4B, 0x3F, 0x8C}, {0xFF, 0x8C, 0x61},
     {0x7F, 0xD8, 0xBE}, {0xED, 0xE9, 0xFF}, {0xFF, 0x8C, 0x61}},
    {"forest green", "墨绿色", {0x12, 0x35, 0x2B}, {0x2E, 0x6B, 0x4F}, {0xE9, 0xC4, 0x6A},
     {0xA8, 0xDA, 0xDC}, {0xEE, 0xF4, 0xEE}, {0xE9, 0xC4, 0x6A}},
    {"slate grey", "石板灰色", {0x26, 0x28, 0x2E}, {0x4A, 0x50, 0x5A}, {0xFF, 0x6B, 0x5A},
     {0x4F, 0xC3, 0xF7}, {0xF0, 0xF0, 0xF0}, {0xFF, 0x6B, 0x5A}},
    {"dawn pink", "晨曦粉色", {0xFD, 0xE2, 0xC8}, {0xF2, 0xA0, 0x9A}, {0x3D, 0x40, 0x5B},
     {0x81, 0xB2, 0x9A}, {0x2D, 0x2A, 0x32}, {0xFF, 0xF1, 0xD6}},
    {"pale blue", "浅蓝色", {0xE6, 0xF2, 0xFB}, {0xAE, 0xCF, 0xE8}, {0x1D, 0x35, 0x57},
     {0xE6, 0x39, 0x46}, {0x1D, 0x35, 0x57}, {0xFF, 0xC8, 0x57}},
};

#define N_PALETTES ((int)MH_ARRAY_LEN(palettes))

static const char *const motif_en[DEMO_MOTIF_COUNT] = {
    "planetary orbits and moons",
    "ball-and-stick molecules",
    "bar and line charts on a grid",
    "layered waves and a rising sun",
    "a microchip and circuit traces",
    "a network of connected nodes",
};

static const char *const motif_zh[DEMO_MOTIF_COUNT] = {
    "行星轨道与卫星", "球棍分子模型", "网格上的柱状图与折线图",
    "层叠的波浪与初升的太阳", "芯片与电路走线", "相互连接的网络节点",
};

static uint64_t image_seed(const struct demo *d, int index)
{
    uint64_t z = demo_seed(d) ^ (0xA5A5F00Dull + (uint64_t)index * 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Variants of one motif get distinct palettes. */
static int palette_of(const struct demo *d, int index)
{
    int motif = index % DEMO_MOTIF_COUNT, variant = index / DEMO_MOTIF_COUNT;
    int offset = (int)(image_seed(d, motif) % N_PALETTES);
    return (variant + offset) % N_PALETTES;
}

int demo_image_count(const struct demo *d)
{
    (void)d;
    return DEMO_MOTIF_COUNT * DEMO_IMAGE_VARIANTS;
}

void demo_image_size(const struct demo *d, int index, int *width, int *height)
{
    (void)d;
    bool small = (index / DEMO_MOTIF_COUNT) % 3 == 2;
    *width = small ? 960 : 1200;
    *height = small ? 540 : 675;
}

struct str demo_image_alt(const struct demo *d, int index, const char *lang, struct arena *arena)
{
    if (index < 0 || index >= demo_image_count(d))
        index = 0;
    const struct palette *p = &palettes[palette_of(d, index)];
    int m = index % DEMO_MOTIF_COUNT;
    char tmp[256];
    int n;
    if (lang && lang[0] == 'z' && lang[1] == 'h')
        n = snprintf(tmp, sizeof(tmp), "抽象插图：%s背景上的%s", p->zh, motif_zh[m]);
    else
        n = snprintf(tmp, sizeof(tmp), "Abstract illustration of %s on a %s background",
                     motif_en[m], p->en);
    return (struct str){arena_strndup(arena, tmp, (size_t)n), (size_t)n};
}

/*
 * Integer geometry
 */

struct canvas {
    int w, h;
    uint8_t *px; /* w * h * 3, row-major RGB */
};

/* floor(sqrt(n)) by Newton's method from an overestimate; integers only */
static uint32_t isqrt(uint64_t n)
{
    if (n < 2)
        return (uint32_t)n;
    int bits = 0;
    for (uint64_t m = n; m; m >>= 1)
        bits++;
    uint64_t x = (uint64_t)1 << ((bits + 1) / 2), y;
    for (;;) {
        y = (x + n / x) >> 1;
        if (y >= x)
            return (uint32_t)x;
        x = y;
    }
}

/* How far (8.8 fixed point) a pixel at squared distance D2 lies outside
 * radius R.  Big radii use (d^2 - r^2) / 2r, off by under 4% of a pixel in
 * the anti-aliased band; small ones take the exact root. */
static int rim_offset(int64_t d2, int r)
{
    if (r >= 48)
        return (int)((d2 - (int64_t)r * r) * 128 / r);
    return (int)isqrt((uint64_t)d2 << 16) - r * 256;
}

/* sin of A (1024 units per turn) times 4096, by Bhaskara's approximation */
static int isin(int a)
{
    a &= 1023;
    int sign = a >= 512 ? -1 : 1;
    int64_t x = a & 511, p = x * (512 - x);
    return sign * (int)(4096 * 16 * p / (5 * 512 * 512 - 4 * p));
}

static int icos(int a)
{
    return isin(a + 256);
}

static int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* Blend colour C into pixel P with coverage A in 0..256. */
static inline void blend(uint8_t *p, const uint8_t c[3], int a)
{
    if (a <= 0)
        return;
    if (a >= 256) {
        p[0] = c[0];
        p[1] = c[1];
        p[2] = c[2];
        return;
    }
    for (int k = 0; k < 3; k++)
        p[k] = (uint8_t)((p[k] * (256 - a) + c[k] * a) >> 8);
}

static inline void plot(struct canvas *cv, int x, int y, const uint8_t c[3], int a)
{
    if (x >= 0 && y >= 0 && x < cv->w && y < cv->h)
        blend(cv->px + ((size_t)y * cv->w + x) * 3, c, a);
}

static void hspan(struct canvas *cv, int y, int x0, int x1, const uint8_t c[3], int a)
{
    if (y < 0 || y >= cv->h)
        return;
    x0 = clampi(x0, 0, cv->w);
    x1 = clampi(x1, 0, cv->w - 1);
    uint8_t *p = cv->px + ((size_t)y * cv->w + x0) * 3;
    for (int x = x0; x <= x1; x++, p += 3)
        blend(p, c, a);
}

static void mix_color(const uint8_t c0[3], const uint8_t c1[3], int t, uint8_t out[3])
{
    t = clampi(t, 0, 256);
    for (int k = 0; k < 3; k++)
        out[k] = (uint8_t)((c0[k] * (256 - t) + c1[k] * t) >> 8);
}

static void fill_rect(struct canvas *cv, int x0, int y0, int x1, int y1, const uint8_t c[3],
                      int a)
{
    for (int y = clampi(y0, 0, cv->h); y < clampi(y1, 0, cv->h); y++)
        hspan(cv, y, x0, x1 - 1, c, a);
}

/* Background: a vertical gradient from C0 (top) to C1 (bottom).  Rows are
 * uniform, so the Sub filter turns them into zeros: diagonal gradients look
 * nicer but their rounding noise costs a hundred kilobytes. */
static void gradient(struct canvas *cv, const uint8_t c0[3], const uint8_t c1[3])
{
    for (int y = 0; y < cv->h; y++) {
        uint8_t col[3];
        mix_color(c0, c1, y * 256 / (cv->h - 1), col);
        uint8_t *p = cv->px + (size_t)y * cv->w * 3;
        for (int x = 0; x < cv->w; x++, p += 3)
            memcpy(p, col, 3);
    }
}

/*
 * A disc of radius R at (CX, CY), shaded from C0 (top) to C1 (bottom), with
 * opacity ALPHA (0..256).  Interior spans are filled directly;
 * only the rim pixels pay for a square root.
 */
static void disc(struct canvas *cv, int cx, int cy, int r, const uint8_t c0[3],
                 const uint8_t c1[3], int alpha)
{
    bool flat = memcmp(c0, c1, 3) == 0;
    uint8_t col[3];
    memcpy(col, c0, 3);
    for (int y = cy - r - 1; y <= cy + r + 1; y++) {
        if (y < 0 || y >= cv->h)
            continue;
        int dy = y - cy;
        int64_t o2 = (int64_t)(r + 1) * (r + 1) - (int64_t)dy * dy;
        if (o2 < 0)
            continue;
        int xo = (int)isqrt((uint64_t)o2);
        int xi = -1;
        if (r - 1 > (dy < 0 ? -dy : dy))
            xi = (int)isqrt((uint64_t)((int64_t)(r - 1) * (r - 1) - (int64_t)dy * dy));
        if (!flat)
            mix_color(c0, c1, (dy + r) * 256 / (2 * r + 1), col);
        for (int x = cx - xo; x <= cx + xo; x++) {
            if (x < 0 || x >= cv->w)
                continue;
            int dx = x - cx, cov = 256;
            if (dx < -xi || dx > xi)
                cov = clampi(128 - rim_offset((int64_t)dx * dx + (int64_t)dy * dy, r), 0, 256);
            blend(cv->px + ((size_t)y * cv->w + x) * 3, col, cov * alpha >> 8);
        }
    }
}

/* A circle outline of radius R and stroke width SW. */
static void ring(struct canvas *cv, int cx, int cy, int r, int sw, const uint8_t c[3], int alpha)
{
    int ro = r + sw / 2 + 2, ri = r - sw / 2 - 2;
    for (int y = cy - ro; y <= cy + ro; y++) {
        if (y < 0 || y >= cv->h)
            continue;
        int dy = y - cy, ady = dy < 0 ? -dy : dy;
        int64_t o2 = (int64_t)ro * ro - (int64_t)dy * dy;
        if (o2 < 0)
            continue;
        int xo = (int)isqrt((uint64_t)o2);
        int xi = ri > ady ? (int)isqrt((uint64_t)((int64_t)ri * ri - (int64_t)dy * dy)) : -1;
        /* one span through the middle, or two beside the hole */
        int spans[2][2] = {{cx - xo, xi < 0 ? cx + xo : cx - xi - 1}, {cx + xi + 1, cx + xo}};
        for (int s = 0; s < (xi < 0 ? 1 : 2); s++) {
            for (int x = clampi(spans[s][0], 0, cv->w); x <= clampi(spans[s][1], -1, cv->w - 1);
                 x++) {
                int dx = x - cx;
                int off = rim_offset((int64_t)dx * dx + (int64_t)dy * dy, r);
                off = off < 0 ? -off : off;
                int cov = clampi(sw * 128 + 128 - off, 0, 256);
                if (cov)
                    blend(cv->px + ((size_t)y * cv->w + x) * 3, c, cov * alpha >> 8);
            }
        }
    }
}

/* An anti-aliased segment of width W with round ends. */
static void segment(struct canvas *cv, int x0, int y0, int x1, int y1, int w, const uint8_t c[3],
                    int alpha)
{
    int64_t dx = x1 - x0, dy = y1 - y0, len2 = dx * dx + dy * dy;
    if (len2 == 0) {
        disc(cv, x0, y0, w / 2 > 0 ? w / 2 : 1, c, c, alpha);
        return;
    }
    int64_t len256 = isqrt((uint64_t)len2 << 16);
    int pad = w / 2 + 2;
    int ylo = (y0 < y1 ? y0 : y1) - pad, yhi = (y0 > y1 ? y0 : y1) + pad;
    int xlo = (x0 < x1 ? x0 : x1) - pad, xhi = (x0 > x1 ? x0 : x1) + pad;
    int64_t ady = dy < 0 ? -dy : dy;
    for (int y = clampi(ylo, 0, cv->h - 1); y <= clampi(yhi, 0, cv->h - 1); y++) {
        int a = xlo, b = xhi;
        if (ady * 4 > (dx < 0 ? -dx : dx)) {
            /* the band crosses this row near x = x0 + (y - y0) dx / dy */
            int64_t xc = x0 + (int64_t)(y - y0) * dx / dy;
            int64_t half = (int64_t)pad * len256 / (ady * 256) + 2;
            a = (int)(xc - half > xlo ? xc - half : xlo);
            b = (int)(xc + half < xhi ? xc + half : xhi);
        }
        for (int x = clampi(a, 0, cv->w - 1); x <= clampi(b, 0, cv->w - 1); x++) {
            int64_t px = x - x0, py = y - y0, proj = px * dx + py * dy, d;
            if (proj <= 0) {
                d = isqrt((uint64_t)(px * px + py * py) << 16);
            } else if (proj >= len2) {
                int64_t qx = x - x1, qy = y - y1;
                d = isqrt((uint64_t)(qx * qx + qy * qy) << 16);
            } else {
                int64_t cross = px * dy - py * dx;
                d = (cross < 0 ? -cross : cross) * 65536 / len256;
            }
            int cov = clampi((int)(w * 128 + 128 - d), 0, 256);
            if (cov)
                blend(cv->px + ((size_t)y * cv->w + x) * 3, c, cov * alpha >> 8);
        }
    }
}

/* A filled region below the curve YS[x] (8.8 fixed point) down to row
 * BOTTOM (exclusive), anti-aliased along the curve. */
static void fill_below(struct canvas *cv, const int *ys, int bottom, const uint8_t c[3],
                       int alpha)
{
    for (int y = 0; y < clampi(bottom, 0, cv->h); y++) {
        uint8_t *p = cv->px + (size_t)y * cv->w * 3;
        int y256 = y * 256;
        for (int x = 0; x < cv->w; x++, p += 3) {
            int top = ys[x];
            if (y256 + 256 <= top)
                continue;
            int cov = y256 >= top ? 256 : y256 + 256 - top;
            blend(p, c, cov * alpha >> 8);
        }
    }
}

static int rnd(struct rng *r, int lo, int hi)
{
    return (int)rng_range(r, lo, hi);
}

/* Faint large circles: depth behind the motif. */
static void bokeh(struct canvas *cv, struct rng *r, const struct palette *p, int n)
{
    for (int k = 0; k < n; k++) {
        int rad = rnd(r, cv->h / 8, cv->h / 3);
        const uint8_t *c = k & 1 ? p->a : p->b;
        disc(cv, rnd(r, 0, cv->w), rnd(r, 0, cv->h), rad, c, c, rnd(r, 10, 26));
    }
}

/*
 * Motifs
 */

static void draw_orbits(struct canvas *cv, struct rng *r, const struct palette *p)
{
    gradient(cv, p->bg0, p->bg1);
    for (int k = 0; k < 220; k++) /* stars */
        plot(cv, rnd(r, 0, cv->w - 1), rnd(r, 0, cv->h - 1), p->ink, rnd(r, 60, 200));
    for (int k = 0; k < 24; k++)
        disc(cv, rnd(r, 0, cv->w - 1), rnd(r, 0, cv->h - 1), 2, p->ink, p->ink, rnd(r, 80, 200));
    int cx = rnd(r, cv->w / 4, cv->w * 3 / 4), cy = rnd(r, cv->h / 3, cv->h * 2 / 3);
    int pr = rnd(r, cv->h / 7, cv->h / 4);
    int rings = rnd(r, 3, 6), gap = rnd(r, cv->h / 12, cv->h / 7);
    for (int k = 1; k <= rings; k++) {
        int rr = pr + k * gap;
        ring(cv, cx, cy, rr, k == rings ? 3 : 2, p->ink, 70 + 20 * (k & 1));
        int ang = rnd(r, 0, 1023);
        int mx = cx + (int)((int64_t)rr * icos(ang) / 4096);
        int my = cy + (int)((int64_t)rr * isin(ang) / 4096);
        int mr = rnd(r, 6, 16);
        disc(cv, mx, my, mr + 6, p->bg0, p->bg0, 140);
        disc(cv, mx, my, mr, k & 1 ? p->a : p->b, p->ink, 256);
    }
    uint8_t dark[3];
    mix_color(p->a, p->bg0, 150, dark);
    disc(cv, cx, cy, pr + 18, p->a, p->a, 40); /* glow */
    disc(cv, cx, cy, pr, p->a, dark, 256);
}

static void draw_molecules(struct canvas *cv, struct rng *r, const struct palette *p)
{
    gradient(cv, p->bg0, p->bg1);
    bokeh(cv, r, p, 4);
    /* hexagonal directions: cos and sin of k * 60 degrees, times 1024 */
    static const int hx[6] = {1024, 512, -512, -1024, -512, 512};
    static const int hy[6] = {0, 887, 887, 0, -887, -887};
    enum { MAX_ATOMS = 4 * 13 };
    int all_x[MAX_ATOMS], all_y[MAX_ATOMS], n_all = 0;
    int clusters = rnd(r, 2, 4);
    for (int m = 0; m < clusters; m++) {
        int want = rnd(r, 7, 13), bond = rnd(r, 70, 110), n = 1, first = n_all;
        int xs[13], ys[13], from[13];
        xs[0] = rnd(r, cv->w / 6, cv->w * 5 / 6);
        ys[0] = rnd(r, cv->h / 5, cv->h * 4 / 5);
        from[0] = -1;
        for (int tries = 0; n < want && tries < 60; tries++) {
            /* grow from a random atom in a hexagonal direction, never onto
             * or next to an atom of this or an earlier molecule */
            int parent = rnd(r, 0, n - 1), dir = rnd(r, 0, 5);
            int x = xs[parent] + bond * hx[dir] / 1024, y = ys[parent] + bond * hy[dir] / 1024;
            bool clear = true;
            for (int k = 0; k < n; k++) {
                int64_t dx = x - xs[k], dy = y - ys[k];
                clear &= dx * dx + dy * dy >= (int64_t)bond * bond * 3 / 4;
            }
            for (int k = 0; k < first; k++) {
                int64_t dx = x - all_x[k], dy = y - all_y[k];
                clear &= dx * dx + dy * dy >= (int64_t)bond * bond;
            }
            if (!clear)
                continue;
            from[n] = parent;
            xs[n] = x;
            ys[n] = y;
            n++;
        }
        for (int k = 0; k < n; k++, n_all++) {
            all_x[n_all] = xs[k];
            all_y[n_all] = ys[k];
        }
        for (int k = 1; k < n; k++)
            segment(cv, xs[from[k]], ys[from[k]], xs[k], ys[k], 7, p->ink, 200);
        for (int k = 0; k < n; k++) {
            int ar = k == 0 ? rnd(r, 24, 34) : rnd(r, 12, 24);
            const uint8_t *c = (k + m) % 3 == 0 ? p->b : p->a;
            uint8_t shade[3];
            mix_color(c, p->bg0, 120, shade);
            disc(cv, xs[k], ys[k], ar, c, shade, 256);
            static const uint8_t white[3] = {255, 255, 255};
            uint8_t shine[3];
            mix_color(c, white, 170, shine);
            disc(cv, xs[k] - ar / 3, ys[k] - ar / 3, ar / 4 + 1, shine, shine, 150);
        }
    }
    for (int k = 0; k < 40; k++)
        disc(cv, rnd(r, 0, cv->w - 1), rnd(r, 0, cv->h - 1), rnd(r, 2, 5), p->ink, p->ink,
             rnd(r, 40, 120));
}

static void draw_chart(struct canvas *cv, struct rng *r, const struct palette *p)
{
    gradient(cv, p->bg0, p->bg1);
    int step = cv->h / 9;
    for (int x = step; x < cv->w; x += step)
        fill_rect(cv, x, 0, x + 1, cv->h, p->ink, 26);
    for (int y = step; y < cv->h; y += step)
        fill_rect(cv, 0, y, cv->w, y + 1, p->ink, 26);
    int left = cv->w / 10, right = cv->w - cv->w / 12, base = cv->h - cv->h / 8;
    fill_rect(cv, left, base, right, base + 3, p->ink, 200);
    int n = rnd(r, 7, 12), bw = (right - left) / n;
    int level = rnd(r, cv->h / 8, cv->h / 3);
    int lx[12], ly[12];
    for (int k = 0; k < n; k++) {
        level += rnd(r, -cv->h / 14, cv->h / 9);
        level = clampi(level, cv->h / 10, base - cv->h / 6);
        int x0 = left + k * bw + bw / 6;
        fill_rect(cv, x0, base - level, x0 + bw * 2 / 3, base, k == n - 1 ? p->a : p->b,
                  k == n - 1 ? 240 : 150);
        lx[k] = x0 + bw / 3;
        ly[k] = base - level - rnd(r, cv->h / 20, cv->h / 6);
    }
    /* the trend line, a soft area under it, and its points */
    int *curve = mh_malloc((size_t)cv->w * sizeof(int));
    for (int x = 0; x < cv->w; x++) {
        int k = 0;
        while (k + 1 < n && lx[k + 1] < x)
            k++;
        int y;
        if (x <= lx[0])
            y = ly[0];
        else if (k + 1 >= n)
            y = ly[n - 1];
        else
            y = ly[k] + (ly[k + 1] - ly[k]) * (x - lx[k]) / (lx[k + 1] - lx[k]);
        curve[x] = (x < lx[0] || x > lx[n - 1]) ? cv->h * 256 : y * 256;
    }
    fill_below(cv, curve, base, p->a, 34);
    free(curve);
    for (int k = 0; k + 1 < n; k++)
        segment(cv, lx[k], ly[k], lx[k + 1], ly[k + 1], 5, p->ink, 230);
    for (int k = 0; k < n; k++) {
        disc(cv, lx[k], ly[k], 10, p->ink, p->ink, 256);
        disc(cv, lx[k], ly[k], 6, p->a, p->a, 256);
    }
    /* a donut gauge in a corner */
    int gx = cv->w - cv->w / 7, gy = cv->h / 5, gr = cv->h / 10;
    ring(cv, gx, gy, gr, 14, p->ink, 50);
    int sweep = rnd(r, 300, 900);
    for (int a = 0; a < sweep; a += 4)
        disc(cv, gx + (int)((int64_t)gr * isin(a) / 4096), gy - (int)((int64_t)gr * icos(a) / 4096),
             7, p->a, p->a, 256);
}

static void draw_waves(struct canvas *cv, struct rng *r, const struct palette *p)
{
    gradient(cv, p->bg1, p->bg0);
    int sx = rnd(r, cv->w / 5, cv->w * 4 / 5), sy = rnd(r, cv->h / 4, cv->h / 2);
    int sr = rnd(r, cv->h / 9, cv->h / 6);
    for (int k = 0; k < 3; k++) /* a soft glow */
        disc(cv, sx, sy, sr * (20 - 3 * k) / 10, p->sun, p->sun, 16);
    disc(cv, sx, sy, sr, p->sun, p->sun, 256);
    int layers = rnd(r, 4, 6);
    int *ys = mh_malloc((size_t)cv->w * sizeof(int));
    for (int l = 0; l < layers; l++) {
        int base = cv->h * (45 + l * 45 / layers) / 100;
        int a1 = rnd(r, cv->h / 30, cv->h / 12), a2 = rnd(r, cv->h / 80, cv->h / 30);
        int w1 = rnd(r, 700, 1600), w2 = rnd(r, 250, 500); /* pixels per turn */
        int ph1 = rnd(r, 0, 1023), ph2 = rnd(r, 0, 1023);
        for (int x = 0; x < cv->w; x++) {
            int64_t y = (int64_t)base * 256 +
                        (int64_t)a1 * isin(ph1 + x * 1024 / w1) / 16 +
                        (int64_t)a2 * isin(ph2 + x * 1024 / w2) / 16;
            ys[x] = (int)y;
        }
        uint8_t c[3], crest[3];
        mix_color(p->b, p->bg0, 40 + l * 200 / layers, c);
        mix_color(c, p->ink, 70, crest);
        fill_below(cv, ys, cv->h, crest, 256); /* two pixels of crest show above */
        for (int x = 0; x < cv->w; x++)
            ys[x] += 2 * 256;
        fill_below(cv, ys, cv->h, c, 256);
    }
    free(ys);
    for (int k = 0; k < 3; k++) { /* birds, or data points */
        int bx = rnd(r, cv->w / 8, cv->w * 7 / 8), by = rnd(r, cv->h / 10, cv->h / 3);
        segment(cv, bx - 14, by - 6, bx, by, 3, p->ink, 160);
        segment(cv, bx, by, bx + 14, by - 6, 3, p->ink, 160);
    }
}

static void draw_circuit(struct canvas *cv, struct rng *r, const struct palette *p)
{
    gradient(cv, p->bg0, p->bg1);
    int gs = 30;
    for (int y = gs; y < cv->h; y += gs)
        for (int x = gs; x < cv->w; x += gs)
            plot(cv, x, y, p->ink, 70);
    int cx = cv->w / 2 + rnd(r, -cv->w / 8, cv->w / 8), cy = cv->h / 2 + rnd(r, -30, 30);
    int half = rnd(r, cv->h / 7, cv->h / 5), pins = rnd(r, 5, 8);
    int pitch = 2 * half / (pins + 1);
    for (int side = 0; side < 4; side++) {
        for (int k = 1; k <= pins; k++) {
            int along = -half + k * pitch;
            int ox = side == 0 ? cx - half : side == 1 ? cx + half : cx + along;
            int oy = side == 2 ? cy - half : side == 3 ? cy + half : cy + along;
            int dx = side == 0 ? -1 : side == 1 ? 1 : 0, dy = side == 2 ? -1 : side == 3 ? 1 : 0;
            int l1 = rnd(r, 30, 140), l2 = rnd(r, 20, 120), l3 = rnd(r, 40, 260);
            int bend = rnd(r, 0, 2) - 1; /* -1, 0, 1: which way the 45-degree turn goes */
            int x1 = ox + dx * l1, y1 = oy + dy * l1;
            int x2 = x1 + dx * l2 + (dx ? 0 : bend * l2), y2 = y1 + dy * l2 + (dy ? 0 : bend * l2);
            int x3 = x2 + dx * l3, y3 = y2 + dy * l3;
            const uint8_t *c = rnd(r, 0, 4) == 0 ? p->a : p->ink;
            int al = c == p->a ? 230 : 120;
            segment(cv, ox, oy, x1, y1, 3, c, al);
            segment(cv, x1, y1, x2, y2, 3, c, al);
            segment(cv, x2, y2, x3, y3, 3, c, al);
            ring(cv, x3, y3, 7, 3, c, al);
            /* the pin: 9 px wide across the trace, 10 px long outwards */
            int px0 = ox - (dx ? 0 : 4) - (dx < 0 ? 10 : 0), py0 = oy - (dy ? 0 : 4) - (dy < 0 ? 10 : 0);
            int px1 = ox + (dx ? 0 : 4) + (dx > 0 ? 10 : 0), py1 = oy + (dy ? 0 : 4) + (dy > 0 ? 10 : 0);
            fill_rect(cv, px0, py0, px1 + 1, py1 + 1, p->ink, 220);
        }
    }
    uint8_t body[3];
    mix_color(p->bg0, p->ink, 40, body);
    fill_rect(cv, cx - half, cy - half, cx + half, cy + half, body, 256);
    fill_rect(cv, cx - half, cy - half, cx + half, cy - half + 3, p->ink, 160);
    fill_rect(cv, cx - half, cy + half - 3, cx + half, cy + half, p->ink, 160);
    fill_rect(cv, cx - half, cy - half, cx - half + 3, cy + half, p->ink, 160);
    fill_rect(cv, cx + half - 3, cy - half, cx + half, cy + half, p->ink, 160);
    int inner = half / 2;
    fill_rect(cv, cx - inner, cy - inner, cx + inner, cy + inner, p->a, 200);
    disc(cv, cx - half + 16, cy - half + 16, 5, p->ink, p->ink, 200);
}

static void draw_network(struct canvas *cv, struct rng *r, const struct palette *p)
{
    gradient(cv, p->bg0, p->bg1);
    bokeh(cv, r, p, 5);
    enum { COLS = 8, ROWS = 5, N = COLS * ROWS };
    int xs[N], ys[N], rs[N];
    int cw = cv->w / COLS, rh = cv->h / ROWS;
    for (int k = 0; k < N; k++) {
        xs[k] = (k % COLS) * cw + cw / 2 + rnd(r, -cw / 3, cw / 3);
        ys[k] = (k / COLS) * rh + rh / 2 + rnd(r, -rh / 3, rh / 3);
        rs[k] = rnd(r, 5, 14);
    }
    for (int k = 0; k < N; k++) {
        /* link to the two nearest nodes that come later */
        int best[2] = {-1, -1};
        int64_t bd[2] = {INT64_MAX, INT64_MAX};
        for (int j = k + 1; j < N; j++) {
            int64_t dx = xs[j] - xs[k], dy = ys[j] - ys[k], d = dx * dx + dy * dy;
            if (d < bd[0]) {
                bd[1] = bd[0];
                best[1] = best[0];
                bd[0] = d;
                best[0] = j;
            } else if (d < bd[1]) {
                bd[1] = d;
                best[1] = j;
            }
        }
        for (int m = 0; m < 2; m++)
            if (best[m] >= 0 && (m == 0 || rnd(r, 0, 2)))
                segment(cv, xs[k], ys[k], xs[best[m]], ys[best[m]], 2, p->ink, 110);
    }
    for (int k = 0; k < N; k++) {
        bool hot = rnd(r, 0, 6) == 0;
        if (hot) {
            ring(cv, xs[k], ys[k], rs[k] + 14, 2, p->a, 120);
            disc(cv, xs[k], ys[k], rs[k] + 4, p->a, p->a, 256);
        } else {
            disc(cv, xs[k], ys[k], rs[k], p->b, p->ink, 235);
        }
    }
}

static void draw(struct canvas *cv, int motif, struct rng *r, const struct palette *p)
{
    switch (motif) {
    case DEMO_MOTIF_ORBITS:
        draw_orbits(cv, r, p);
        break;
    case DEMO_MOTIF_MOLECULES:
        draw_molecules(cv, r, p);
        break;
    case DEMO_MOTIF_CHART:
        draw_chart(cv, r, p);
        break;
    case DEMO_MOTIF_WAVES:
        draw_waves(cv, r, p);
        break;
    case DEMO_MOTIF_CIRCUIT:
        draw_circuit(cv, r, p);
        break;
    default:
        draw_network(cv, r, p);
        break;
    }
}

/*
 * PNG
 */

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static void chunk(struct buf *out, const char *type, const uint8_t *data, uint32_t len)
{
    uint8_t head[8];
    put32(head, len);
    memcpy(head + 4, type, 4);
    uLong crc = crc32(0L, head + 4, 4);
    if (len)
        crc = crc32(crc, data, len);
    uint8_t tail[4];
    put32(tail, (uint32_t)crc);
    buf_add(out, head, 8);
    buf_add(out, data, len);
    buf_add(out, tail, 4);
}

/* Filter row Y with Sub (into F) and Up (into F + ROW), both 1 + 3w bytes,
 * and return the one with the smallest sum of absolute residuals (the usual
 * heuristic).  Paeth wins nothing on these flat pictures and costs a third
 * of the encoding time, so it is left out. */
static const uint8_t *filter_row(const struct canvas *cv, int y, uint8_t *f, size_t row)
{
    size_t n = (size_t)cv->w * 3;
    const uint8_t *cur = cv->px + (size_t)y * n, *prev = y ? cur - n : cur;
    uint8_t *sub = f + 1, *up = f + row + 1;
    uint64_t s_sub = 0, s_up = 0;
    for (size_t i = 0; i < n; i++) {
        sub[i] = (uint8_t)(cur[i] - (i >= 3 ? cur[i - 3] : 0));
        up[i] = (uint8_t)(cur[i] - (y ? prev[i] : 0));
        s_sub += (uint64_t)abs((int8_t)sub[i]);
        s_up += (uint64_t)abs((int8_t)up[i]);
    }
    f[0] = 1;
    f[row] = 2;
    return y && s_up < s_sub ? f + row : f;
}

static int write_png(const struct canvas *cv, struct buf *out)
{
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    buf_add(out, sig, 8);
    uint8_t ihdr[13];
    put32(ihdr, (uint32_t)cv->w);
    put32(ihdr + 4, (uint32_t)cv->h);
    ihdr[8] = 8;  /* bits per sample */
    ihdr[9] = 2;  /* RGB */
    ihdr[10] = 0; /* deflate */
    ihdr[11] = 0; /* adaptive filtering */
    ihdr[12] = 0; /* no interlace */
    chunk(out, "IHDR", ihdr, sizeof(ihdr));
    if (out->err)
        return out->err;

    /* IDAT: length and type now, data streamed from deflate, then patched */
    size_t at = out->len;
    buf_add(out, "\0\0\0\0IDAT", 8);
    size_t row = 1 + (size_t)cv->w * 3;
    uint8_t *f = mh_malloc(row * 2);
    z_stream z;
    memset(&z, 0, sizeof(z));
    if (deflateInit2(&z, 6, Z_DEFLATED, 15, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        MH_BUG("deflateInit2 failed");
    int rc = Z_OK;
    for (int y = 0; y <= cv->h && out->err == MH_OK; y++) {
        int flush = y == cv->h ? Z_FINISH : Z_NO_FLUSH;
        if (y < cv->h) {
            z.next_in = (Bytef *)filter_row(cv, y, f, row);
            z.avail_in = (uInt)row;
        }
        do {
            size_t room = out->max - out->len;
            uInt chunk = room == 0 ? 1 : room < 65536 ? (uInt)room : 65536; /* 1: fails */
            uint8_t *dst = (uint8_t *)buf_reserve(out, chunk);
            if (dst == NULL)
                break;
            z.next_out = dst;
            z.avail_out = chunk;
            rc = deflate(&z, flush);
            buf_commit(out, chunk - z.avail_out);
        } while (z.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END && rc >= 0));
    }
    deflateEnd(&z);
    free(f);
    if (out->err)
        return out->err;
    size_t len = out->len - at - 8;
    put32((uint8_t *)out->data + at, (uint32_t)len);
    uint8_t tail[4];
    put32(tail, (uint32_t)crc32(0L, (const Bytef *)out->data + at + 4, (uInt)(len + 4)));
    buf_add(out, tail, 4);
    chunk(out, "IEND", NULL, 0);
    return out->err;
}

int demo_image_png(const struct demo *d, int index, struct buf *out)
{
    if (index < 0 || index >= demo_image_count(d))
        MH_BUG("demo image %d out of range", index);
    struct canvas cv;
    demo_image_size(d, index, &cv.w, &cv.h);
    cv.px = mh_malloc((size_t)cv.w * cv.h * 3);
    struct rng r;
    rng_seed(&r, image_seed(d, index));
    draw(&cv, index % DEMO_MOTIF_COUNT, &r, &palettes[palette_of(d, index)]);
    int rc = write_png(&cv, out);
    free(cv.px);
    return rc;
}
