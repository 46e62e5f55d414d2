/* SPDX-License-Identifier: MIT */
/*
 * compat.h - the first include of every Masthead file.  It fixes the feature
 * macros, pulls in the few standard headers everything uses, defines the
 * attribute macros, and bans the libc calls that have a safer form (git's
 * banned.h).  It owns nothing at run time.
 */
#ifndef MH_CORE_COMPAT_H
#define MH_CORE_COMPAT_H

#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700 /* realpath, strptime-free XSI bits */
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__) || defined(__clang__)
#define MH_MUST_CHECK __attribute__((warn_unused_result))
#define MH_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define MH_NORETURN __attribute__((noreturn))
#define MH_UNUSED __attribute__((unused))
#else
#define MH_MUST_CHECK
#define MH_PRINTF(f, a)
#define MH_NORETURN
#define MH_UNUSED
#endif

#define MH_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* A bug, not an error: report where and abort in every build (git BUG()). */
MH_NORETURN void mh_bug(const char *file, int line, const char *fmt, ...) MH_PRINTF(3, 4);
#define MH_BUG(...) mh_bug(__FILE__, __LINE__, __VA_ARGS__)

/* Allocation that aborts on exhaustion (Redis zmalloc, git xmalloc). */
void *mh_malloc(size_t n);
void *mh_calloc(size_t n, size_t size);
void *mh_realloc(void *p, size_t n);
char *mh_strdup(const char *s);
char *mh_strndup(const char *s, size_t n);

#ifndef MH_ALLOW_BANNED
#undef strcpy
#define strcpy(a, b) BANNED_strcpy_use_memcpy_with_a_length
#undef strcat
#define strcat(a, b) BANNED_strcat_use_buf_add
#undef sprintf
#define sprintf(...) BANNED_sprintf_use_snprintf
#undef strtok
#define strtok(a, b) BANNED_strtok_use_a_cursor
#undef atoi
#define atoi(a) BANNED_atoi_use_strtol_and_check
#undef gmtime
#define gmtime(t) BANNED_gmtime_use_gmtime_r
#undef localtime
#define localtime(t) BANNED_localtime_use_model_date
#endif

#endif
