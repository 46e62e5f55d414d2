/* SPDX-License-Identifier: MIT */
/*
 * value.c - arena-built value trees; see value.h.  Lists and objects grow by
 * doubling inside their arena (the old arrays stay there until the arena
 * dies).  Objects scan their keys while small and keep an open-addressing
 * index of key positions once they pass TVAL_SCAN_MAX keys.
 */
#include "core/compat.h"

#include "core/arena.h"
#include "render/value.h"

static struct tval *make(struct arena *arena, enum tval_kind kind)
{
    struct tval *v = arena_zalloc(arena, sizeof(*v));
    v->kind = kind;
    return v;
}

struct tval *tval_null(struct arena *arena)
{
    return make(arena, TVAL_NULL);
}

struct tval *tval_bool(struct arena *arena, bool b)
{
    struct tval *v = make(arena, TVAL_BOOL);
    v->u.b = b;
    return v;
}

struct tval *tval_int(struct arena *arena, int64_t i)
{
    struct tval *v = make(arena, TVAL_INT);
    v->u.i = i;
    return v;
}

struct tval *tval_str(struct arena *arena, struct str s)
{
    struct tval *v = make(arena, TVAL_STR);
    v->u.s = s.ptr ? s : STR_LIT("");
    return v;
}

struct tval *tval_strc(struct arena *arena, const char *s)
{
    return tval_str(arena, str_c(s));
}

struct tval *tval_strdup(struct arena *arena, struct str s)
{
    return tval_str(arena, arena_str(arena, s));
}

struct tval *tval_list(struct arena *arena)
{
    struct tval *v = make(arena, TVAL_LIST);
    v->u.list.arena = arena;
    return v;
}

struct tval *tval_object(struct arena *arena)
{
    struct tval *v = make(arena, TVAL_OBJECT);
    v->u.obj.arena = arena;
    return v;
}

/* The stored form of a NULL argument. */
static struct tval *or_null(struct arena *arena, struct tval *v)
{
    return v ? v : make(arena, TVAL_NULL);
}

static void *grow_array(struct arena *arena, void *p, size_t len, size_t cap, size_t size)
{
    void *q = arena_alloc(arena, cap * size);
    if (len)
        memcpy(q, p, len * size);
    return q;
}

void tval_append(struct tval *list, struct tval *v)
{
    if (list == NULL || list->kind != TVAL_LIST)
        MH_BUG("tval_append on a value that is not a list");
    if (list->u.list.len == list->u.list.cap) {
        size_t cap = list->u.list.cap ? list->u.list.cap * 2 : 4;
        list->u.list.items = grow_array(list->u.list.arena, list->u.list.items,
                                        list->u.list.len, cap, sizeof(struct tval *));
        list->u.list.cap = cap;
    }
    list->u.list.items[list->u.list.len++] = or_null(list->u.list.arena, v);
}

/* FNV-1a: short keys, no adversary worth a keyed hash (keys come from code). */
static uint32_t hash(struct str s)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < s.len; i++) {
        h ^= (unsigned char)s.ptr[i];
        h *= 16777619u;
    }
    return h;
}

static void index_put(uint32_t *slots, size_t nslots, struct str key, uint32_t pos)
{
    size_t mask = nslots - 1, i = hash(key) & mask;
    while (slots[i])
        i = (i + 1) & mask;
    slots[i] = pos + 1;
}

static void reindex(struct tval *obj)
{
    size_t nslots = 64;
    while (nslots < obj->u.obj.cap * 2)
        nslots *= 2;
    uint32_t *slots = arena_zalloc(obj->u.obj.arena, nslots * sizeof(*slots));
    for (size_t k = 0; k < obj->u.obj.len; k++)
        index_put(slots, nslots, obj->u.obj.keys[k], (uint32_t)k);
    obj->u.obj.index = slots;
    obj->u.obj.nslots = nslots;
}

/* Position of KEY in OBJ, or SIZE_MAX. */
static size_t find(const struct tval *obj, struct str key)
{
    if (obj->u.obj.index == NULL) {
        for (size_t k = 0; k < obj->u.obj.len; k++)
            if (str_eq(obj->u.obj.keys[k], key))
                return k;
        return SIZE_MAX;
    }
    size_t mask = obj->u.obj.nslots - 1, i = hash(key) & mask;
    for (; obj->u.obj.index[i]; i = (i + 1) & mask) {
        size_t k = obj->u.obj.index[i] - 1;
        if (str_eq(obj->u.obj.keys[k], key))
            return k;
    }
    return SIZE_MAX;
}

void tval_set_str(struct tval *obj, struct str key, struct tval *v)
{
    if (obj == NULL || obj->kind != TVAL_OBJECT)
        MH_BUG("tval_set on a value that is not an object");
    size_t k = find(obj, key);
    if (k != SIZE_MAX) {
        obj->u.obj.vals[k] = or_null(obj->u.obj.arena, v);
        return;
    }
    if (obj->u.obj.len >= UINT32_MAX - 1)
        MH_BUG("object with too many keys");
    if (obj->u.obj.len == obj->u.obj.cap) {
        size_t cap = obj->u.obj.cap ? obj->u.obj.cap * 2 : 4;
        struct arena *a = obj->u.obj.arena;
        obj->u.obj.keys = grow_array(a, obj->u.obj.keys, obj->u.obj.len, cap, sizeof(struct str));
        obj->u.obj.vals = grow_array(a, obj->u.obj.vals, obj->u.obj.len, cap,
                                     sizeof(struct tval *));
        obj->u.obj.cap = cap;
    }
    k = obj->u.obj.len++;
    obj->u.obj.keys[k] = arena_str(obj->u.obj.arena, key);
    obj->u.obj.vals[k] = or_null(obj->u.obj.arena, v);
    if (obj->u.obj.len > TVAL_SCAN_MAX) {
        if (obj->u.obj.index == NULL || obj->u.obj.nslots < obj->u.obj.cap * 2)
            reindex(obj);
        else
            index_put(obj->u.obj.index, obj->u.obj.nslots, obj->u.obj.keys[k], (uint32_t)k);
    }
}

void tval_set(struct tval *obj, const char *key, struct tval *v)
{
    tval_set_str(obj, str_c(key), v);
}

const struct tval *tval_get_str(const struct tval *obj, struct str key)
{
    if (obj == NULL || obj->kind != TVAL_OBJECT)
        return NULL;
    size_t k = find(obj, key);
    return k == SIZE_MAX ? NULL : obj->u.obj.vals[k];
}

const struct tval *tval_get(const struct tval *obj, const char *key)
{
    return tval_get_str(obj, str_c(key));
}

bool tval_truthy(const struct tval *v)
{
    if (v == NULL)
        return false;
    switch (v->kind) {
    case TVAL_NULL: return false;
    case TVAL_BOOL: return v->u.b;
    case TVAL_INT: return v->u.i != 0;
    case TVAL_STR: return v->u.s.len != 0;
    case TVAL_LIST: return v->u.list.len != 0;
    case TVAL_OBJECT: return true;
    }
    return false;
}
