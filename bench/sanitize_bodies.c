/* SPDX-License-Identifier: MIT */
/*
 * sanitize_bodies.c - what sanitize_html() costs on given article bodies:
 * bytes in and out and the median CPU microseconds of 51 calls, next to the
 * cost of sanitizing the result again (what the fixed-point check cost when
 * every call made it), so changes to render/sanitize.c are judged on figures.
 * A body that is not a fixed point is reported.
 *
 *     build/bench_sanitize FILE...
 */
#include "core/compat.h"

#include "core/buf.h"
#include "core/err.h"
#include "core/fs.h"
#include "core/limits.h"
#include "render/sanitize.h"

#include "cpu_time.h"

#define RUNS 51

/* Median CPU microseconds of sanitize_html(IN); the last result stays in OUT. */
static double median_us(struct str in, struct buf *out, int *rc)
{
    double t[RUNS];
    for (int r = 0; r < RUNS; r++) {
        buf_reset(out);
        double t0 = cpu_us();
        *rc = sanitize_html(in, out);
        t[r] = cpu_us() - t0;
    }
    return median_of(t, RUNS);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE...\n", argv[0]);
        return 2;
    }
    int status = 0;
    for (int f = 1; f < argc; f++) {
        struct buf in, once, twice;
        buf_init(&in, NULL, MH_MAX_BODY);
        buf_init(&once, NULL, MH_MAX_BODY);
        buf_init(&twice, NULL, MH_MAX_BODY);
        char why[256] = "";
        int rc = fs_read_file(argv[f], &in, why, sizeof(why));
        if (rc) {
            fprintf(stderr, "%s: cannot read '%s': %s\n", argv[0], argv[f],
                    why[0] ? why : mh_strerror(rc));
            status = 1;
        } else {
            int rc1, rc2;
            double one = median_us(buf_str(&in), &once, &rc1);
            double again = median_us(buf_str(&once), &twice, &rc2);
            bool fixed = rc1 == MH_OK && rc2 == MH_OK && str_eq(buf_str(&once), buf_str(&twice));
            printf("%s: %zu bytes in, %zu out: sanitize %.0f us, again %.0f us%s\n", argv[f],
                   in.len, once.len, one, again,
                   rc1 ? " (refused)" : fixed ? "" : " NOT A FIXED POINT");
            status |= rc1 == MH_OK && !fixed;
        }
        buf_release(&in);
        buf_release(&once);
        buf_release(&twice);
    }
    return status;
}
