/* SPDX-License-Identifier: MIT */
/*
 * utf8.h - UTF-8 validation and decoding (RFC 3629: no overlong forms, no
 * surrogates, nothing past U+10FFFF).  Case folding and segmentation are
 * search/'s job, with ICU.
 */
#ifndef MH_CORE_UTF8_H
#define MH_CORE_UTF8_H

#include "core/compat.h"
#include "core/str.h"

/* True when S is valid UTF-8.  On false, *BAD_AT (if not NULL) is the offset
 * of the first byte of the first bad sequence. */
bool utf8_valid(struct str s, size_t *bad_at);

/* Decode one code point at *POS (< END) and advance; -1 on a bad sequence
 * (and *POS advances one byte). */
int32_t utf8_next(const char **pos, const char *end);

/* True when S holds a C0 control other than tab, newline and carriage
 * return, or DEL: text fields refuse them. */
bool utf8_has_controls(struct str s, bool allow_newlines);

#endif
