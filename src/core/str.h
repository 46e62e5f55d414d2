/* SPDX-License-Identifier: MIT */
/*
 * str.h - struct str, a borrowed view of bytes that may lack a NUL
 * (h2o_iovec_t).  Print one with "%.*s", (int)s.len, s.ptr.  The view owns
 * nothing; whoever made it says how long the bytes live.
 */
#ifndef MH_CORE_STR_H
#define MH_CORE_STR_H

#include "core/compat.h"

struct str {
    const char *ptr;
    size_t len;
};

#define STR_LIT(s) ((struct str){(s), sizeof(s) - 1})
#define STR_NULL ((struct str){NULL, 0})

static inline struct str str_c(const char *s)
{
    return (struct str){s, s ? strlen(s) : 0};
}

static inline struct str str_make(const char *p, size_t len)
{
    return (struct str){p, len};
}

static inline bool str_eq(struct str a, struct str b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

static inline bool str_eq_c(struct str a, const char *b)
{
    return str_eq(a, str_c(b));
}

static inline bool str_starts(struct str a, const char *prefix)
{
    size_t n = strlen(prefix);
    return a.len >= n && memcmp(a.ptr, prefix, n) == 0;
}

/* S without leading and trailing ASCII white space. */
struct str str_trim(struct str s);

/* Parse all of S as a decimal integer in [MIN, MAX] into *OUT.  MH_INVAL on
 * anything else (sign, spaces, overflow, trailing bytes). */
MH_MUST_CHECK int str_to_i64(struct str s, int64_t min, int64_t max, int64_t *out);

#endif
