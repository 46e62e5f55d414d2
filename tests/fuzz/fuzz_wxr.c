/* SPDX-License-Identifier: MIT */
/* fuzz_wxr.c - any bytes as a WordPress export: every entry read to the end, none stored. */
#include "core/compat.h"

#include "core/arena.h"
#include "core/err.h"
#include "interchange/interchange.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct wxr_reader *r;
    struct arena a;
    char err[256];
    /* a media folder that does not exist: images are looked for, never found */
    if (wxr_open_memory((const char *)data, size, "english", "Asia/Shanghai",
                        "/nonexistent-media", &r, err, sizeof(err)) != MH_OK)
        return 0;
    arena_init(&a, 0);
    for (int i = 0; i < 100000; i++) {
        struct import_item it;
        memset(&it, 0, sizeof(it));
        arena_reset(&a);
        if (wxr_next(r, &a, &it) != MH_OK)
            break;
        if (it.status == MH_OK && !it.skip && (it.a.title.len == 0 || it.a.id <= 0))
            abort(); /* a good entry has an id and a title */
        if (it.status != MH_OK && it.reason == NULL)
            abort(); /* a bad one says why */
    }
    arena_release(&a);
    wxr_close(r);
    return 0;
}
