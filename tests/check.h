/* SPDX-License-Identifier: MIT */
/*
 * check.h - what every unit test includes: cmocka, and a few helpers for
 * comparing struct str and making scratch folders.
 */
#ifndef MH_TESTS_CHECK_H
#define MH_TESTS_CHECK_H

#include "core/compat.h"

#include <setjmp.h>
#include <stdarg.h>
/* cmocka needs the three headers above first */
#include <cmocka.h>

#include "core/str.h"

#define CHECK_STR(s, lit) check_str_eq((s), (lit), __FILE__, __LINE__)

static inline void check_str_eq(struct str s, const char *want, const char *file, int line)
{
    if (!str_eq_c(s, want)) {
        fprintf(stderr, "%s:%d: got '%.*s', want '%s'\n", file, line, (int)s.len,
                s.ptr ? s.ptr : "", want);
        fail();
    }
}

/* A fresh folder under $TMPDIR for this test; the caller frees the name.
 * Removing it is left to the OS's temporary-file cleanup on purpose: a
 * failed test leaves its evidence behind. */
char *mkdtemp(char *tmpl);
static inline char *check_tmpdir(const char *name)
{
    const char *base = getenv("TMPDIR");
    char buf[4096];
    snprintf(buf, sizeof(buf), "%s/mh-%s-XXXXXX", base ? base : "/tmp", name);
    if (mkdtemp(buf) == NULL) {
        perror("mkdtemp");
        abort();
    }
    return mh_strdup(buf);
}

#endif
