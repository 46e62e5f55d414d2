/* SPDX-License-Identifier: MIT */
/*
 * clock.h - the wall clock and a monotonic clock, in milliseconds and
 * nanoseconds.  Time zones and calendar formats are model/date.h's job.
 * MH_NOW_MS in the environment freezes the wall clock for tests.
 */
#ifndef MH_CORE_CLOCK_H
#define MH_CORE_CLOCK_H

#include "core/compat.h"

/* Milliseconds since the Unix epoch, UTC. */
int64_t clock_now_ms(void);
/* A monotonic clock in nanoseconds, for measuring durations. */
uint64_t clock_mono_ns(void);

#endif
