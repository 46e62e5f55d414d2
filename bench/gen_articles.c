/* SPDX-License-Identifier: MIT */
/*
 * gen_articles.c - write N generated articles as JSON Lines for the
 * benchmarks: the demo generator's text (English and Chinese) with bodies of
 * MIN..MAX words, each with a lead image from a pool written beside the file.
 *   bench_gen_articles OUT.jsonl N [MIN_WORDS MAX_WORDS]
 */
#include "core/compat.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/fs.h"
#include "core/limits.h"
#include "demo/demo.h"
#include "interchange/interchange.h"

static const char *const channels[] = {
    "news", "innovation-china", "cooperation", "insight", "policy",
    "case", "experts-in-china", "graphic",     "science-week",
};

int main(int argc, char **argv)
{
    if (argc != 3 && argc != 5) {
        fprintf(stderr, "usage: %s OUT.jsonl N [MIN_WORDS MAX_WORDS]\n", argv[0]);
        return 2;
    }
    int64_t n, lo = 600, hi = 1200;
    if (str_to_i64(str_c(argv[2]), 1, 100000000, &n) != MH_OK ||
        (argc == 5 && (str_to_i64(str_c(argv[3]), 1, 100000, &lo) != MH_OK ||
                       str_to_i64(str_c(argv[4]), lo, 100000, &hi) != MH_OK))) {
        fprintf(stderr, "%s: bad number\n", argv[0]);
        return 2;
    }
    struct demo_edition_spec specs[] = {
        {"english", "en", channels, MH_ARRAY_LEN(channels), NULL, 80},
        {"zh", "zh-CN", channels, MH_ARRAY_LEN(channels), NULL, 20},
    };
    struct demo_params p = {42, INT64_C(1780000000000), (int)lo, (int)hi, specs, 2, 0, 0};
    struct demo *d = demo_new(&p);
    struct arena arena;
    struct buf line, png;
    char err[512], dir[4096], path[4200];
    FILE *out = fopen(argv[1], "w");
    if (out == NULL) {
        perror(argv[1]);
        return 1;
    }
    /* the image pool goes into OUT's folder as img-N.png */
    const char *slash = strrchr(argv[1], '/');
    snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - argv[1]) : 1,
             slash ? argv[1] : ".");
    buf_init(&png, NULL, 16 * MH_MIB);
    for (int i = 0; i < demo_image_count(d); i++) {
        buf_reset(&png);
        snprintf(path, sizeof(path), "%s/img-%d.png", dir, i);
        if (demo_image_png(d, i, &png) != MH_OK ||
            fs_write_atomic(path, buf_str(&png), err, sizeof(err)) != MH_OK) {
            fprintf(stderr, "%s: cannot write %s\n", argv[0], path);
            return 1;
        }
    }
    arena_init(&arena, 256 * 1024);
    buf_init(&line, NULL, MH_MAX_IMPORT_LINE);
    for (int64_t i = 0; i < n; i++) {
        struct article a;
        char file[64];
        arena_reset(&arena);
        demo_article(d, i, &arena, &a);
        a.id = 1000000 + i;
        snprintf(file, sizeof(file), "img-%d.png", demo_article_image(d, i));
        for (size_t k = 0; k < a.n_images; k++)
            a.images[k].path = str_c(file);
        buf_reset(&line);
        jsonl_write_article(&line, &a, STR_LIT("Asia/Shanghai"), NULL);
        fwrite(line.data, 1, line.len, out);
    }
    buf_release(&line);
    buf_release(&png);
    arena_release(&arena);
    demo_free(d);
    return fclose(out) == 0 ? 0 : 1;
}
