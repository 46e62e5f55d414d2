/* SPDX-License-Identifier: MIT */
/*
 * json_tval.h - for render tests only: a jansson value as a render/value
 * tree, so that spec cases and page fixtures written in JSON can be rendered.
 */
#ifndef MH_TESTS_RENDER_JSON_TVAL_H
#define MH_TESTS_RENDER_JSON_TVAL_H

#include "core/compat.h"

#include <jansson.h>

#include "render/value.h"

/*
 * JSON has decimals and tval does not: render them as the shortest decimal
 * that reads back as the same double (1.21 stays "1.21").
 */
static inline struct tval *real_to_tval(struct arena *a, double d)
{
    char tmp[64];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof(tmp), "%.*g", prec, d);
        if (strtod(tmp, NULL) == d)
            break;
    }
    return tval_strdup(a, str_c(tmp));
}

static inline struct tval *from_json(struct arena *a, json_t *j)
{
    const char *key;
    json_t *item;
    size_t i;
    switch (json_typeof(j)) {
    case JSON_OBJECT: {
        struct tval *o = tval_object(a);
        json_object_foreach(j, key, item) tval_set(o, key, from_json(a, item));
        return o;
    }
    case JSON_ARRAY: {
        struct tval *l = tval_list(a);
        json_array_foreach(j, i, item) tval_append(l, from_json(a, item));
        return l;
    }
    case JSON_STRING:
        return tval_strdup(a, str_make(json_string_value(j), json_string_length(j)));
    case JSON_INTEGER: return tval_int(a, json_integer_value(j));
    case JSON_REAL: return real_to_tval(a, json_real_value(j));
    case JSON_TRUE: return tval_bool(a, true);
    case JSON_FALSE: return tval_bool(a, false);
    case JSON_NULL: return tval_null(a);
    }
    return tval_null(a);
}

#endif
