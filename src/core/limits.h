/* SPDX-License-Identifier: MIT */
/*
 * limits.h - every ceiling Masthead puts on input, in one place, so that a
 * reviewer can see what a hostile client or file can make us allocate.
 */
#ifndef MH_CORE_LIMITS_H
#define MH_CORE_LIMITS_H

#define MH_KIB ((size_t)1024)
#define MH_MIB (1024 * MH_KIB)

#define MH_MAX_IMPORT_LINE (16 * MH_MIB) /* one JSON Lines record */
#define MH_MAX_BODY (8 * MH_MIB)         /* an article body, as source */
#define MH_MAX_FIELD (4 * MH_KIB)        /* title, subtitle, names, ... */
#define MH_MAX_ABSTRACT (16 * MH_KIB)
#define MH_MAX_LIST 64                   /* authors, keywords, images */
#define MH_MAX_HTML_DEPTH 200            /* nesting kept by the sanitizer */
#define MH_MAX_CONF (1 * MH_MIB)         /* masthead.conf */
#define MH_MAX_IMAGE_FILE (64 * MH_MIB)  /* one image on import */
#define MH_MAX_PAGE (16 * MH_MIB)        /* one rendered page */
#define MH_MAX_PASSWORD 1024
#define MH_MAX_LOGIN 64

#endif
