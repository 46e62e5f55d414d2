/* SPDX-License-Identifier: MIT */
/*
 * fuzz_template.c - compiles the input as a Mustache template and, when it
 * compiles, renders it against a small fixed context (with a partial and a
 * layout in the same set, and the input itself reachable by name so it can
 * recurse).  Compiling must fail cleanly or succeed; rendering must finish
 * within the ceilings of template.h.  Nothing else is checked.
 */
#include "core/compat.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "render/template.h"
#include "render/value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct tval *context(struct arena *a)
{
    struct tval *ctx = tval_object(a), *list = tval_list(a), *obj = tval_object(a);
    tval_set(obj, "name", tval_strc(a, "<b>&'\""));
    tval_set(obj, "n", tval_int(a, -42));
    tval_set(obj, "t", tval_bool(a, true));
    tval_set(obj, "f", tval_bool(a, false));
    tval_set(obj, "z", NULL);
    tval_append(list, obj);
    tval_append(list, tval_strc(a, "two"));
    tval_append(list, tval_int(a, 3));
    tval_set(ctx, "a", obj);
    tval_set(ctx, "list", list);
    tval_set(ctx, "empty", tval_list(a));
    tval_set(ctx, "s", tval_strc(a, "x\ny"));
    return ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct tpl_set *set = tpl_set_new();
    struct arena a;
    struct buf out;
    char err[256];
    int rc;

    arena_init(&a, 0);
    rc = tpl_set_add(set, "p", STR_LIT("[{{a.name}}\n {{#list}}{{.}}{{/list}}\n]"), err,
                     sizeof(err));
    if (rc == MH_OK)
        rc = tpl_set_add(set, "layout", STR_LIT("<{{$x}}X{{/x}}>\n  {{$y}}\n  Y\n  {{/y}}\n"), err,
                         sizeof(err));
    if (rc)
        MH_BUG("fixed template does not compile: %s", err);
    rc = tpl_set_add(set, "t", str_make((const char *)data, size), err, sizeof(err));
    if (rc == MH_OK) {
        struct tval *ctx = context(&a);
        buf_init(&out, NULL, MH_MIB);
        rc = tpl_render(set, "t", ctx, &out);
        if (rc != MH_OK && rc != MH_TOOBIG)
            MH_BUG("render returned %d", rc);
        buf_release(&out);
    } else if (rc != MH_INVAL && rc != MH_TOOBIG) {
        MH_BUG("compile returned %d", rc);
    } else if (strlen(err) == 0 || strncmp(err, "t:", 2) != 0) {
        MH_BUG("bad error message '%s'", err);
    }
    tpl_set_free(set);
    arena_release(&a);
    return 0;
}
