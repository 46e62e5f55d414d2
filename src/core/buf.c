/* SPDX-License-Identifier: MIT */
/* buf.c - sticky-error growable bytes; see buf.h. */
#include "core/compat.h"

#include <stdarg.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"

void buf_init(struct buf *b, struct arena *arena, size_t max)
{
    b->data = NULL;
    b->len = b->cap = 0;
    b->max = max;
    b->err = MH_OK;
    b->arena = arena;
}

void buf_release(struct buf *b)
{
    if (b->arena == NULL)
        free(b->data);
    buf_init(b, b->arena, b->max);
}

void buf_reset(struct buf *b)
{
    b->len = 0;
    b->err = MH_OK;
    if (b->data)
        b->data[0] = '\0';
}

static void grow(struct buf *b, size_t need)
{
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    if (b->arena)
        b->data = arena_realloc(b->arena, b->data, b->cap, cap);
    else
        b->data = mh_realloc(b->data, cap);
    b->cap = cap;
}

char *buf_reserve(struct buf *b, size_t n)
{
    if (b->err)
        return NULL;
    if (n > b->max - b->len) { /* b->len <= b->max, so no wrap */
        b->err = MH_TOOBIG;
        return NULL;
    }
    if (b->len + n >= b->cap)
        grow(b, b->len + n + 1);
    return b->data + b->len;
}

void buf_commit(struct buf *b, size_t used)
{
    if (b->err)
        return;
    b->len += used;
    b->data[b->len] = '\0';
}

void buf_add(struct buf *b, const void *p, size_t len)
{
    if (b->err)
        return;
    char *dst = buf_reserve(b, len);
    if (dst == NULL)
        return;
    if (len)
        memcpy(dst, p, len);
    buf_commit(b, len);
}

void buf_adds(struct buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

void buf_addstr(struct buf *b, struct str s)
{
    buf_add(b, s.ptr, s.len);
}

void buf_addc(struct buf *b, char c)
{
    buf_add(b, &c, 1);
}

void buf_addf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    char small[256];
    int n;
    if (b->err)
        return;
    va_start(ap, fmt);
    n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->err = MH_INVAL;
        return;
    }
    if ((size_t)n < sizeof(small)) {
        buf_add(b, small, (size_t)n);
        return;
    }
    char *dst = buf_reserve(b, (size_t)n);
    if (dst == NULL)
        return;
    va_start(ap, fmt);
    vsnprintf(dst, (size_t)n + 1, fmt, ap);
    va_end(ap);
    buf_commit(b, (size_t)n);
}

void buf_truncate(struct buf *b, size_t len)
{
    if (len > b->len)
        MH_BUG("buf_truncate to %zu past length %zu", len, b->len);
    b->len = len;
    if (b->data)
        b->data[len] = '\0';
}

int buf_finish(const struct buf *b, struct str *out)
{
    if (b->err)
        return b->err;
    *out = buf_str(b);
    return MH_OK;
}

char *buf_take(struct buf *b, size_t *len)
{
    char *p = b->data;
    if (b->arena)
        MH_BUG("buf_take on an arena buffer");
    if (len)
        *len = b->len;
    if (p == NULL)
        p = mh_strdup("");
    buf_init(b, NULL, b->max);
    return p;
}
