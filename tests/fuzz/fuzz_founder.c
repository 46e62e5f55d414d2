/* SPDX-License-Identifier: MIT */
/* fuzz_founder.c - any bytes as a saved Founder-CMS page. */
#include "core/compat.h"

#include "core/arena.h"
#include "core/err.h"
#include "interchange/interchange.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a;
    struct import_item it;
    memset(&it, 0, sizeof(it));
    arena_init(&a, 0);
    founder_parse_page(str_make((const char *)data, size), "/nonexistent",
                       "/nonexistent/web/content_1.html", "english", "Asia/Shanghai", &a, &it);
    if (it.status == MH_OK && !it.skip && (it.a.title.len == 0 || it.a.id <= 0))
        abort(); /* a good page has an id and a title */
    if (it.status != MH_OK && it.reason == NULL)
        abort();
    arena_release(&a);
    return 0;
}
