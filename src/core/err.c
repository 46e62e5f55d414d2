/* SPDX-License-Identifier: MIT */
/* err.c - names for enum mh_err, and the process-wide abort helpers. */
#include "core/compat.h"

#include <stdarg.h>

#include "core/err.h"

const char *mh_strerror(int rc)
{
    static const char *const names[MH_ERR_COUNT] = {
        [MH_OK] = "ok",
        [MH_TOOBIG] = "too big",
        [MH_INVAL] = "invalid input",
        [MH_NOTFOUND] = "not found",
        [MH_CONFLICT] = "conflict",
        [MH_FORBIDDEN] = "forbidden",
        [MH_IO] = "input/output error",
        [MH_DB] = "database error",
        [MH_TIMEOUT] = "timed out",
        [MH_GONE] = "gone",
    };
    if (rc < 0 || rc >= MH_ERR_COUNT)
        return "unknown error";
    return names[rc];
}

void mh_bug(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "BUG: %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

static void oom(size_t n)
{
    fprintf(stderr, "fatal: out of memory allocating %zu bytes\n", n);
    abort();
}

void *mh_malloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom(n);
    return p;
}

void *mh_calloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom(n * size);
    return p;
}

void *mh_realloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom(n);
    return q;
}

char *mh_strndup(const char *s, size_t n)
{
    char *p = mh_malloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *mh_strdup(const char *s)
{
    return mh_strndup(s, strlen(s));
}
