/* SPDX-License-Identifier: MIT */
/*
 * cpu_time.h - for the bench tools that time one call many times: the
 * process's CPU time in microseconds, and the median of a sample.
 */
#ifndef MH_BENCH_CPU_TIME_H
#define MH_BENCH_CPU_TIME_H

#include <stdlib.h>
#include <time.h>

static inline double cpu_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static inline int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The median of the N values at T (sorted in place). */
static inline double median_of(double *t, size_t n)
{
    qsort(t, n, sizeof(*t), cmp_double);
    return t[n / 2];
}

#endif
