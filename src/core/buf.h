/* SPDX-License-Identifier: MIT */
/*
 * buf.h - growable, NUL-terminated bytes with a hard ceiling.  The first
 * error sticks and later appends are no-ops: check once, in buf_finish().
 * The bytes come from an arena, or from the heap when the arena is NULL
 * (then call buf_release(), or take them with buf_take()).
 */
#ifndef MH_CORE_BUF_H
#define MH_CORE_BUF_H

#include "core/compat.h"
#include "core/str.h"

struct arena;

struct buf {
    char *data;          /* NUL-terminated once anything was added */
    size_t len, cap;     /* bytes used (without the NUL), bytes allocated */
    size_t max;          /* len never exceeds this */
    int err;             /* first error, or MH_OK */
    struct arena *arena; /* NULL: heap, so call buf_release() */
};

/* Prepare B; allocates nothing.  MAX comes from core/limits.h. */
void buf_init(struct buf *b, struct arena *arena, size_t max);
/* Free heap bytes (no-op for arena bytes) and prepare B again. */
void buf_release(struct buf *b);
/* Empty B but keep its bytes and ceiling; clears a sticky error. */
void buf_reset(struct buf *b);

void buf_add(struct buf *b, const void *p, size_t len);
void buf_adds(struct buf *b, const char *s);
void buf_addstr(struct buf *b, struct str s);
void buf_addc(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...) MH_PRINTF(2, 3);
/* Make room for N more bytes; returns where they go, or NULL on error.  Call
 * buf_commit(b, used) after writing at most N of them. */
char *buf_reserve(struct buf *b, size_t n);
void buf_commit(struct buf *b, size_t used);
/* Cut B back to LEN bytes (LEN <= b->len). */
void buf_truncate(struct buf *b, size_t len);

/* Return the first error or MH_OK; on MH_OK *OUT views the bytes. */
MH_MUST_CHECK int buf_finish(const struct buf *b, struct str *out);
/* Hand the heap bytes out (caller frees with free()) and prepare B again.
 * Never NULL: an empty buffer gives "".  Only for heap buffers. */
char *buf_take(struct buf *b, size_t *len);

static inline struct str buf_str(const struct buf *b)
{
    return (struct str){b->data ? b->data : "", b->len};
}

#endif
