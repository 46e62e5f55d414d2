/* SPDX-License-Identifier: MIT */
/* clock.c - clock_gettime wrappers. */
#include "core/compat.h"

#include <time.h>

#include "core/clock.h"
#include "core/str.h"

int64_t clock_now_ms(void)
{
    static int frozen = -1;
    static int64_t frozen_ms;
    if (frozen < 0) {
        int64_t v;
        const char *env = getenv("MH_NOW_MS");
        frozen = env && str_to_i64(str_c(env), 0, INT64_MAX, &v) == 0;
        if (frozen)
            frozen_ms = v;
    }
    if (frozen)
        return frozen_ms;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

uint64_t clock_mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
