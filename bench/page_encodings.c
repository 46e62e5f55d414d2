/* SPDX-License-Identifier: MIT */
/*
 * page_encodings.c - what each gzip and brotli setting costs on given pages:
 * bytes out and CPU microseconds per page (the median of 51 runs), so the
 * levels in src/site/cache.c are chosen on figures, not folklore.  gzip is
 * measured twice: zlib (deflateInit2 as cache.c used it, memLevel 9) and
 * libdeflate (libdeflate_gzip_compress with a compressor made once, outside
 * the timing, as cache.c keeps one per thread; "+alloc" rows time making
 * it too).
 *
 *     build/bench_page_encodings FILE...
 */
#define _POSIX_C_SOURCE 200809L
#include <brotli/encode.h>
#include <libdeflate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "cpu_time.h"

#define RUNS 51

static size_t gzip_len(const unsigned char *in, size_t n, unsigned char *out, size_t cap,
                       int level)
{
    z_stream z;
    memset(&z, 0, sizeof(z));
    if (deflateInit2(&z, level, Z_DEFLATED, 31, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        return 0;
    z.next_in = (unsigned char *)in;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    size_t len = deflate(&z, Z_FINISH) == Z_STREAM_END ? z.total_out : 0;
    deflateEnd(&z);
    return len;
}

/* libdeflate's gzip; C is made beforehand, or here (and freed) when NULL. */
static size_t deflate_len(struct libdeflate_compressor *c, const unsigned char *in, size_t n,
                          unsigned char *out, size_t cap, int level)
{
    struct libdeflate_compressor *own = c ? NULL : libdeflate_alloc_compressor(level);
    size_t len = libdeflate_gzip_compress(c ? c : own, in, n, out, cap);
    libdeflate_free_compressor(own);
    return len;
}

static size_t brotli_len(const unsigned char *in, size_t n, unsigned char *out, size_t cap,
                         int quality, int lgwin)
{
    size_t len = cap;
    return BrotliEncoderCompress(quality, lgwin, BROTLI_MODE_TEXT, n, in, &len, out) ? len : 0;
}

static int fitted_window(size_t n)
{
    int lgwin = 16;
    while (lgwin < BROTLI_DEFAULT_WINDOW && ((size_t)1 << lgwin) < n)
        lgwin++;
    return lgwin;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE...\n", argv[0]);
        return 2;
    }
    for (int f = 1; f < argc; f++) {
        FILE *fp = fopen(argv[f], "rb");
        if (fp == NULL) {
            perror(argv[f]);
            return 1;
        }
        static unsigned char in[8 << 20], out[9 << 20];
        size_t n = fread(in, 1, sizeof(in), fp);
        fclose(fp);
        printf("%s: %zu bytes\n", argv[f], n);
        /*
         * kind 0: zlib gzip LEVEL; 1: brotli QUALITY, default window; 2: fitted
         * window; 3: libdeflate gzip LEVEL; 4: the same, making the compressor too
         */
        static const int settings[][2] = {
            {0, 1}, {0, 4}, {0, 6}, {0, 9}, {3, 1}, {3, 4}, {3, 5}, {3, 6}, {3, 7}, {3, 8},
            {3, 9}, {3, 12}, {4, 1}, {4, 8}, {1, 5}, {1, 9}, {2, 1}, {2, 3}, {2, 4}, {2, 5}, {2, 9},
            {2, 11},
        };
        static const char *const names[] = {"zlib", "brotli", "brotli", "libdeflate",
                                            "libdeflate+alloc"};
        for (size_t s = 0; s < sizeof(settings) / sizeof(settings[0]); s++) {
            int kind = settings[s][0], level = settings[s][1];
            int lgwin = kind == 2 ? fitted_window(n) : kind == 1 ? BROTLI_DEFAULT_WINDOW : 15;
            struct libdeflate_compressor *c = kind == 3 ? libdeflate_alloc_compressor(level) : NULL;
            double t[RUNS];
            size_t len = 0;
            for (int r = 0; r < RUNS; r++) {
                double t0 = cpu_us();
                if (kind == 0)
                    len = gzip_len(in, n, out, sizeof(out), level);
                else if (kind >= 3)
                    len = deflate_len(c, in, n, out, sizeof(out), level);
                else
                    len = brotli_len(in, n, out, sizeof(out), level, lgwin);
                t[r] = cpu_us() - t0;
            }
            libdeflate_free_compressor(c);
            printf("  %-16s %2d window %2d: %8zu bytes %9.0f us\n", names[kind], level, lgwin,
                   len, median_of(t, RUNS));
        }
    }
    return 0;
}
