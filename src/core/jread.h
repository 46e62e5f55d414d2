/* SPDX-License-Identifier: MIT */
/*
 * jread.h - a small, strict, fast JSON reader for hot paths (one JSON Lines
 * import record at a time).  It parses a whole document into a read-only
 * tree that lives in an arena and borrows from the input; it never writes
 * JSON, never edits a tree, and knows nothing of articles: the mapping from
 * fields to a struct article stays in interchange/.  Everything else keeps
 * using jansson, which is also this reader's test oracle.
 *
 * Strictness is RFC 8259 as jansson 2.14 reads it with JSON_DECODE_ANY and
 * JSON_REJECT_DUPLICATES, so the two accept and reject the same documents:
 *   - any value at the top, with optional white space (space, tab, CR, LF)
 *     around it and nothing else after it; no comments, trailing commas,
 *     single quotes, NaN/Infinity, hex, "+1", ".5", "1.", "01";
 *   - strings: raw bytes must be valid UTF-8 (RFC 3629: no overlong forms,
 *     no surrogates, nothing past U+10FFFF) and not U+0000-U+001F; escapes
 *     are \" \\ \/ \b \f \n \r \t \uXXXX; a surrogate pair makes one code
 *     point, a lone or reversed surrogate is an error, and so is \u0000;
 *   - a key twice in one object is an error (checked in O(n log n));
 *   - an integer literal (no '.', 'e' or 'E') outside int64 is an error, and
 *     so is a real whose magnitude overflows a double (1e400; 1e-400 is 0).
 * Known differences from jansson, both on purpose:
 *   - nesting deeper than JREAD_MAX_DEPTH gives MH_TOOBIG (jansson: 2048);
 *   - a NUL byte outside strings is always an error; jansson silently drops
 *     one NUL byte that directly follows a number or true/false/null
 *     ("[1\0]" is [1] to jansson, an error here).
 * The caller bounds the input's size (MH_MAX_IMPORT_LINE for import).  The
 * tree takes about 1.1 times the input in the arena for an article (strings
 * with escapes are copied), and up to 20 times for hostile documents such
 * as [0,0,0,...], plus as much again on the heap while parsing.
 */
#ifndef MH_CORE_JREAD_H
#define MH_CORE_JREAD_H

#include "core/compat.h"
#include "core/str.h"

struct arena;

#define JREAD_MAX_DEPTH 64 /* nested arrays and objects; the top one is 1 */

enum jval_type { JV_NULL, JV_FALSE, JV_TRUE, JV_NUMBER, JV_STRING, JV_ARRAY, JV_OBJECT };

struct jval_member;

/*
 * One value.  Read only the fields of its type: the union overlaps them.
 */
struct jval {
    enum jval_type type;
    bool is_int; /* JV_NUMBER: an integer literal (no '.', 'e', 'E'); it fits int64 */
    /* JV_STRING: the decoded UTF-8 (never holds U+0000; not NUL-terminated),
     * borrowed from the input when the string had no escapes, else in the
     * arena.  Every other type: the value's source text ("-1.5e3", "true",
     * "[1, 2]"), borrowed from the input. */
    struct str str;
    union {
        struct { /* JV_NUMBER */
            int64_t i; /* when is_int; else 0 */
            double d;  /* always: the value, exactly (double)i when is_int */
        };
        struct { /* JV_ARRAY; NULL and 0 when empty */
            struct jval *items;
            size_t n_items;
        };
        struct { /* JV_OBJECT, in document order; NULL and 0 when empty */
            struct jval_member *members;
            size_t n_members;
        };
    };
};

struct jval_member {
    struct str key; /* decoded like a JV_STRING's str; unique within the object */
    struct jval value;
};

struct jread_error {
    size_t offset;    /* bytes from the start of the input to the fault */
    int line, column; /* 1-based; the column counts characters, not bytes */
    char text[160];   /* "line 1, column 37: invalid escape '\q'" */
};

/*
 * Parse all of TEXT (one JSON value) into *OUT.  The tree lives in ARENA
 * (not NULL: a tree has no free function) and borrows from TEXT, which must
 * outlive it.  Returns MH_OK; MH_INVAL on any violation of the rules above;
 * MH_TOOBIG when arrays and objects nest deeper than JREAD_MAX_DEPTH.  On
 * error *OUT is NULL, *ERR (if not NULL) says what and where, and ARENA may
 * hold a partial tree (reset it).  Uses the heap only for scratch (wide
 * documents, objects of many keys, long numbers) and frees it before
 * returning.  Thread-safe given distinct arenas.
 */
MH_MUST_CHECK int jread_parse(struct str text, struct arena *arena, struct jval **out,
                              struct jread_error *err);

/* The value of member KEY of object V, or NULL when V is NULL, is not an
 * object, or has no such member.  A linear scan: fine for records. */
const struct jval *jval_get(const struct jval *v, const char *key);

/* "null", "false", "true", "number", "string", "array" or "object". */
const char *jval_type_name(enum jval_type t);

#endif
