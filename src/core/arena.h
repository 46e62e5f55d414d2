/* SPDX-License-Identifier: MIT */
/*
 * arena.h - a bump allocator for things that die together: one request, one
 * import line, one rendered page.  Nothing is freed piece by piece;
 * arena_reset() empties it and keeps the first block, arena_release() frees it
 * all.  Not thread-safe: one arena, one thread.  Out of memory aborts.
 */
#ifndef MH_CORE_ARENA_H
#define MH_CORE_ARENA_H

#include "core/compat.h"
#include "core/str.h"

struct arena_block;

struct arena {
    struct arena_block *head; /* newest block first */
    size_t block_size;        /* size of an ordinary new block */
    size_t used;              /* bytes handed out since init or reset */
};

/* Prepare A; allocates nothing.  BLOCK_SIZE 0 picks a default (16 KiB). */
void arena_init(struct arena *a, size_t block_size);
/* Free every block. */
void arena_release(struct arena *a);
/* Forget every allocation but keep the first block for reuse. */
void arena_reset(struct arena *a);

/* N bytes aligned for any type; never NULL. */
void *arena_alloc(struct arena *a, size_t n);
void *arena_zalloc(struct arena *a, size_t n);
/* Copies that live in A, NUL-terminated.  A NULL arena means the heap:
 * the caller frees with free(). */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
struct str arena_str(struct arena *a, struct str s);
/* Grow the most recent allocation P of OLD bytes to NEW bytes, in place when
 * it is the last one in its block; otherwise copy.  Returns the new pointer. */
void *arena_realloc(struct arena *a, void *p, size_t old, size_t new_size);

#endif
