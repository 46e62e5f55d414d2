/* SPDX-License-Identifier: MIT */
/* arena.c - blocks chained newest first; big requests get a block of their own. */
#include "core/compat.h"

#include "core/arena.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MH_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define MH_ASAN 1
#endif
#ifdef MH_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define ALIGN 16

struct arena_block {
    struct arena_block *next;
    size_t size, off;
    _Alignas(ALIGN) unsigned char data[];
};

void arena_init(struct arena *a, size_t block_size)
{
    a->head = NULL;
    a->block_size = block_size ? block_size : 16 * 1024;
    a->used = 0;
}

void arena_release(struct arena *a)
{
    struct arena_block *b = a->head, *next;
    for (; b; b = next) {
        next = b->next;
        UNPOISON(b->data, b->size);
        free(b);
    }
    a->head = NULL;
    a->used = 0;
}

void arena_reset(struct arena *a)
{
    struct arena_block *b = a->head, *first = NULL;
    /* keep the oldest ordinary block, the one most likely to be reused */
    while (b) {
        struct arena_block *next = b->next;
        if (next == NULL && b->size == a->block_size) {
            first = b;
        } else {
            UNPOISON(b->data, b->size);
            free(b);
        }
        b = next;
    }
    if (first) {
        first->off = 0;
        POISON(first->data, first->size);
    }
    a->head = first;
    a->used = 0;
}

static struct arena_block *new_block(size_t size)
{
    struct arena_block *b = mh_malloc(sizeof(*b) + size);
    b->size = size;
    b->off = 0;
    b->next = NULL;
    POISON(b->data, size);
    return b;
}

void *arena_alloc(struct arena *a, size_t n)
{
    struct arena_block *b = a->head;
    size_t need = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (need < n)
        MH_BUG("arena request of %zu bytes overflows", n);
    if (b == NULL || b->size - b->off < need) {
        if (need > a->block_size / 4) {
            /* a big object gets its own block, placed behind the current one
             * so the current block's free space stays usable */
            struct arena_block *big = new_block(need);
            if (b) {
                big->next = b->next;
                b->next = big;
            } else {
                a->head = big;
            }
            big->off = need;
            UNPOISON(big->data, n);
            a->used += need;
            return big->data;
        }
        b = new_block(a->block_size);
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->off;
    b->off += need;
    a->used += need;
    UNPOISON(p, n);
    return p;
}

void *arena_zalloc(struct arena *a, size_t n)
{
    void *p = arena_alloc(a, n);
    memset(p, 0, n);
    return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
    char *p = a ? arena_alloc(a, n + 1) : mh_malloc(n + 1);
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

struct str arena_str(struct arena *a, struct str s)
{
    return (struct str){arena_strndup(a, s.ptr, s.len), s.len};
}

void *arena_realloc(struct arena *a, void *p, size_t old, size_t new_size)
{
    struct arena_block *b = a->head;
    if (p == NULL)
        return arena_alloc(a, new_size);
    if (new_size <= old)
        return p;
    size_t old_al = (old + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    size_t new_al = (new_size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (b && (unsigned char *)p + old_al == b->data + b->off &&
        b->size - (b->off - old_al) >= new_al) {
        b->off = b->off - old_al + new_al;
        a->used += new_al - old_al;
        UNPOISON(p, new_size);
        return p;
    }
    void *q = arena_alloc(a, new_size);
    memcpy(q, p, old);
    return q;
}
