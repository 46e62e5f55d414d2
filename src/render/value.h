/* SPDX-License-Identifier: MIT */
/*
 * value.h - the value tree a template renders against: null, bool, int,
 * string, list and object (ordered keys), all allocated in one arena and
 * freed with it.  A tree is built by one thread and is then read-only, so
 * any number of renders may read it at once.  There are no lambdas: every
 * value is plain data.  Turning articles into trees is the callers' job
 * (site/, feeds/); rendering is template.h's.
 */
#ifndef MH_RENDER_VALUE_H
#define MH_RENDER_VALUE_H

#include "core/compat.h"
#include "core/str.h"

struct arena;

enum tval_kind {
    TVAL_NULL,
    TVAL_BOOL,
    TVAL_INT,
    TVAL_STR,
    TVAL_LIST,
    TVAL_OBJECT,
};

/* Objects with more keys than this get a hash index; smaller ones scan. */
#define TVAL_SCAN_MAX 16

struct tval {
    enum tval_kind kind;
    union {
        bool b;
        int64_t i;
        struct str s; /* borrowed: see tval_str() */
        struct {
            struct tval **items;
            size_t len, cap;
            struct arena *arena; /* where items grow */
        } list;
        struct {
            struct str *keys; /* copies, in insertion order */
            struct tval **vals;
            size_t len, cap;
            uint32_t *index; /* NULL, or slots holding key index + 1 */
            size_t nslots;   /* a power of two, at least 2 * cap */
            struct arena *arena;
        } obj;
    } u;
};

/*
 * Builders.  Each returns a new value that lives in ARENA; none returns NULL
 * (out of memory aborts).  Strings are borrowed, not copied: S must live as
 * long as the tree (typically it sits in the same request arena).  Use
 * tval_strdup() for bytes that die sooner.
 */
struct tval *tval_null(struct arena *arena);
struct tval *tval_bool(struct arena *arena, bool b);
struct tval *tval_int(struct arena *arena, int64_t i);
struct tval *tval_str(struct arena *arena, struct str s);
struct tval *tval_strc(struct arena *arena, const char *s);
struct tval *tval_strdup(struct arena *arena, struct str s);
struct tval *tval_list(struct arena *arena);
struct tval *tval_object(struct arena *arena);

/* Add V (NULL means a null value) at the end of LIST.  LIST must be a list. */
void tval_append(struct tval *list, struct tval *v);
/*
 * Bind KEY to V (NULL means a null value) in OBJ, which must be an object.
 * A new key goes last; an existing key keeps its place and gets V.  KEY is
 * copied into the object's arena.
 */
void tval_set(struct tval *obj, const char *key, struct tval *v);
void tval_set_str(struct tval *obj, struct str key, struct tval *v);

/*
 * The value bound to KEY, or NULL when OBJ is not an object (NULL included)
 * or has no such key.  A key bound to null gives a TVAL_NULL value, not NULL.
 * Read-only: safe from many threads once the tree is built.
 */
const struct tval *tval_get(const struct tval *obj, const char *key);
const struct tval *tval_get_str(const struct tval *obj, struct str key);

/*
 * The Mustache notion of truth used by sections: null, false, 0, "" and the
 * empty list are false (as in mustache.js); everything else, including an
 * empty object, is true.  NULL (a missed lookup) is false.
 */
bool tval_truthy(const struct tval *v);

#endif
