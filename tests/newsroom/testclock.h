/* SPDX-License-Identifier: MIT */
/*
 * testclock.h - the newsroom tests' clock: core/clock's two functions,
 * defined here so the linker never takes clock.o from mh_core, reading
 * MH_NOW_MS on every call (core/clock.c reads it once), so that a test can
 * move time forward with setenv() and watch sessions, locks and schedules
 * expire.  Include it in exactly one file of a test executable.
 */
#ifndef MH_TESTS_NEWSROOM_TESTCLOCK_H
#define MH_TESTS_NEWSROOM_TESTCLOCK_H

#include "core/compat.h"

#include <time.h>

#include "core/clock.h"
#include "core/str.h"

int64_t clock_now_ms(void)
{
    int64_t v;
    const char *env = getenv("MH_NOW_MS");
    if (env && str_to_i64(str_c(env), 0, INT64_MAX, &v) == 0)
        return v;
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

/* Set the clock to MS. */
static inline void testclock_set(int64_t ms)
{
    char v[32];
    snprintf(v, sizeof(v), "%lld", (long long)ms);
    setenv("MH_NOW_MS", v, 1);
}

#endif
