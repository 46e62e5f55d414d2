/* SPDX-License-Identifier: MIT */
/*
 * rng.h - a small deterministic generator (xoshiro256**, seeded by
 * splitmix64) for the demo newspaper and benchmarks: the same seed gives the
 * same sequence on every machine.  Not for secrets: use libsodium.
 */
#ifndef MH_CORE_RNG_H
#define MH_CORE_RNG_H

#include "core/compat.h"

struct rng {
    uint64_t s[4];
};

void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
/* Uniform in [0, n); n > 0. */
uint32_t rng_below(struct rng *r, uint32_t n);
/* Uniform in [lo, hi]. */
int64_t rng_range(struct rng *r, int64_t lo, int64_t hi);

#endif
