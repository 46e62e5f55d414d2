/* SPDX-License-Identifier: MIT */
/* fuzz_jsonl.c - one import line: parse, and when it parses, write and parse again. */
#include "core/compat.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "interchange/interchange.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a;
    struct article art, again;
    char err[1024];
    arena_init(&a, 0);
    if (jsonl_parse_article(str_make((const char *)data, size), &a, &art, err, sizeof(err)) ==
        MH_OK) {
        struct buf out;
        buf_init(&out, NULL, 4 * MH_MAX_IMPORT_LINE);
        jsonl_write_article(&out, &art, STR_LIT("UTC"), NULL);
        /* what we write, we must read back */
        if (out.err || jsonl_parse_article(str_make(out.data, out.len - 1), &a, &again, err,
                                           sizeof(err)) != MH_OK) {
            fprintf(stderr, "written line does not parse: %s\n", err);
            abort();
        }
        buf_release(&out);
    }
    arena_release(&a);
    return 0;
}
