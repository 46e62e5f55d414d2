/* SPDX-License-Identifier: MIT */
/*
 * fuzz_admin_form.c - the admin forms' parsers (src/admin/form.c) on any
 * bytes: the author and keyword lists, the "Title | URL" link lines, the
 * datetime-local reader and the 0-to-1 number reader.  Every item must lie
 * inside the input, be trimmed and non-empty; a parsed time must print back
 * to the same minute; a parsed number must lie in [0, 1].
 */
#include "core/compat.h"

#include <time.h>

#include "admin/admin_int.h"
#include "core/arena.h"
#include "core/err.h"

static void check_item(struct str in, struct str it)
{
    if (it.len == 0 || it.ptr < in.ptr || it.ptr + it.len > in.ptr + in.len)
        abort();
    if (it.ptr[0] == ' ' || it.ptr[0] == '\n' || it.ptr[it.len - 1] == ' ' ||
        it.ptr[it.len - 1] == '\n')
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a;
    struct str in = str_make((const char *)data, size), *items;
    struct link *links;
    size_t n;
    int64_t ms;
    arena_init(&a, 0);
    for (int comma = 0; comma < 2; comma++) {
        admin_split_list(&a, in, comma, &items, &n);
        for (size_t i = 0; i < n; i++) {
            check_item(in, items[i]);
            if (memchr(items[i].ptr, '\n', items[i].len) ||
                (comma && memchr(items[i].ptr, ',', items[i].len)))
                abort();
        }
    }
    if (admin_parse_links(&a, in, &links, &n))
        for (size_t i = 0; i < n; i++)
            if (memchr(links[i].url.ptr ? links[i].url.ptr : "", '|', links[i].url.len))
                abort();
    if (admin_parse_time(in, &ms) == MH_OK) {
        time_t t = (time_t)(ms / 1000);
        struct tm tm;
        char back[32];
        if (ms < 0 || gmtime_r(&t, &tm) == NULL)
            abort();
        snprintf(back, sizeof(back), "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                 tm.tm_mday);
        if (memcmp(back, data, 10) != 0)
            abort();
    }
    double unit;
    if (admin_parse_unit(in, &unit) == MH_OK && !(unit >= 0.0 && unit <= 1.0))
        abort();
    arena_release(&a);
    return 0;
}
