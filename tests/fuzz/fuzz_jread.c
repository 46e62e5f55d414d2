/* SPDX-License-Identifier: MIT */
/*
 * fuzz_jread.c - core/jread against jansson, its oracle: on every input both
 * must accept or both reject, and accepted trees must be equal.  Aborts on a
 * disagreement, so libFuzzer hunts for divergences.  The two differences
 * documented in core/jread.h are the only ones tolerated: nesting past
 * JREAD_MAX_DEPTH, and the NUL byte jansson drops after a number or literal
 * (we then drop it too and compare again).  tests/core/jread_test.c
 * includes this file to run the same oracle on its cases.
 */
#include "core/compat.h"

#include <jansson.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/jread.h"
#include "core/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define DIFF_FLAGS (JSON_REJECT_DUPLICATES | JSON_DECODE_ANY)

/* Compare V with J; on a difference write it to WHY and return false. */
static bool diff_same(const struct jval *v, const json_t *j, char *why, size_t why_len)
{
    switch (v->type) {
    case JV_NULL:
        if (json_is_null(j))
            return true;
        break;
    case JV_TRUE:
        if (json_is_true(j))
            return true;
        break;
    case JV_FALSE:
        if (json_is_false(j))
            return true;
        break;
    case JV_NUMBER:
        if (v->is_int && json_is_integer(j)) {
            if (v->i == json_integer_value(j) && v->d == (double)v->i)
                return true;
            snprintf(why, why_len, "integer %lld vs %lld", (long long)v->i,
                     (long long)json_integer_value(j));
            return false;
        }
        if (!v->is_int && json_is_real(j)) {
            double d = json_real_value(j);
            if (memcmp(&d, &v->d, sizeof(d)) == 0) /* both came from strtod: same bits */
                return true;
            snprintf(why, why_len, "real %.17g vs %.17g", v->d, d);
            return false;
        }
        break;
    case JV_STRING:
        if (json_is_string(j)) {
            size_t n = json_string_length(j);
            if (n == v->str.len && memcmp(json_string_value(j), v->str.ptr, n) == 0 &&
                utf8_valid(v->str, NULL) && memchr(v->str.ptr, '\0', n) == NULL)
                return true;
            snprintf(why, why_len, "string '%.*s' vs '%s'", (int)v->str.len, v->str.ptr,
                     json_string_value(j));
            return false;
        }
        break;
    case JV_ARRAY:
        if (json_is_array(j)) {
            if (json_array_size(j) != v->n_items) {
                snprintf(why, why_len, "array of %zu vs %zu", v->n_items, json_array_size(j));
                return false;
            }
            for (size_t i = 0; i < v->n_items; i++)
                if (!diff_same(&v->items[i], json_array_get(j, i), why, why_len))
                    return false;
            return true;
        }
        break;
    case JV_OBJECT:
        if (json_is_object(j)) {
            if (json_object_size(j) != v->n_members) {
                snprintf(why, why_len, "object of %zu vs %zu", v->n_members, json_object_size(j));
                return false;
            }
            for (size_t i = 0; i < v->n_members; i++) {
                const struct jval_member *m = &v->members[i];
                const json_t *jm = json_object_getn(j, m->key.ptr, m->key.len);
                if (jm == NULL) {
                    snprintf(why, why_len, "key '%.*s' missing in jansson", (int)m->key.len,
                             m->key.ptr);
                    return false;
                }
                char key[64];
                if (m->key.len < sizeof(key)) { /* keys never hold NUL */
                    memcpy(key, m->key.ptr, m->key.len);
                    key[m->key.len] = '\0';
                    if (jval_get(v, key) != &m->value) {
                        snprintf(why, why_len, "jval_get('%s') misses", key);
                        return false;
                    }
                }
                if (!diff_same(&m->value, jm, why, why_len))
                    return false;
            }
            return true;
        }
        break;
    }
    snprintf(why, why_len, "type %s vs jansson type %d", jval_type_name(v->type),
             (int)json_typeof(j));
    return false;
}

/*
 * Parse TEXT with both; return true when they agree, else false with the
 * difference in WHY.  *RC gets jread_parse()'s result.
 */
static bool diff_agree(const char *text, size_t len, int *rc, char *why, size_t why_len)
{
    struct arena a;
    struct jval *v;
    struct jread_error err;
    json_error_t jerr;
    bool ok = false;
    arena_init(&a, 0);
    *rc = jread_parse(str_make(text, len), &a, &v, &err);
    json_t *j = json_loadb(text, len, DIFF_FLAGS, &jerr);
    if (*rc == MH_TOOBIG) {
        ok = true; /* documented: we stop at JREAD_MAX_DEPTH, jansson at 2048 */
    } else if (*rc == MH_OK && j) {
        ok = diff_same(v, j, why, why_len);
    } else if (*rc == MH_OK) {
        snprintf(why, why_len, "jread accepts, jansson rejects: %s", jerr.text);
    } else if (j == NULL) {
        ok = true;
    } else if (err.offset > 0 && err.offset < len && text[err.offset] == '\0' &&
               ((text[err.offset - 1] >= '0' && text[err.offset - 1] <= '9') ||
                text[err.offset - 1] == 'e' || text[err.offset - 1] == 'l')) {
        /* documented: jansson drops a NUL right after a number or a literal
         * (which end in a digit, or in 'e' or 'l'); drop it too */
        char *copy = mh_malloc(len);
        memcpy(copy, text, err.offset);
        memcpy(copy + err.offset, text + err.offset + 1, len - err.offset - 1);
        int rc2;
        ok = diff_agree(copy, len - 1, &rc2, why, why_len);
        free(copy);
    } else {
        snprintf(why, why_len, "jread rejects (%s), jansson accepts", err.text);
    }
    if (ok && *rc && (err.text[0] == '\0' || err.line < 1 || err.column < 1 || err.offset > len)) {
        snprintf(why, why_len, "error without a position or text");
        ok = false;
    }
    json_decref(j);
    arena_release(&a);
    return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char why[512];
    int rc;
    if (!diff_agree((const char *)data, size, &rc, why, sizeof(why))) {
        fprintf(stderr, "jread and jansson disagree on %zu bytes '%.*s': %s\n", size,
                size > 200 ? 200 : (int)size, (const char *)data, why);
        abort();
    }
    return 0;
}
