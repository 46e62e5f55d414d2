/* SPDX-License-Identifier: MIT */
/*
 * err.h - the return codes every fallible Masthead function uses.  MH_OK is
 * zero; each error is a small positive number.  Mapping codes to HTTP
 * statuses is http/status.c's job, not this file's.
 */
#ifndef MH_CORE_ERR_H
#define MH_CORE_ERR_H

#include "core/compat.h"

enum mh_err {
    MH_OK = 0,
    MH_TOOBIG,    /* input over a ceiling from core/limits.h */
    MH_INVAL,     /* malformed or invalid input */
    MH_NOTFOUND,  /* no such object */
    MH_CONFLICT,  /* exists with other content, or a stale revision */
    MH_FORBIDDEN, /* the caller may not do this */
    MH_IO,        /* the operating system refused (disk full, read-only, ...) */
    MH_DB,        /* the database refused */
    MH_TIMEOUT,   /* waited too long */
    MH_GONE,      /* existed once and was withdrawn */
    MH_ERR_COUNT
};

/* A short lower-case name for RC ("not found"); never NULL. */
const char *mh_strerror(int rc);

#endif
