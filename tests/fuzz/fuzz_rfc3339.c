/* SPDX-License-Identifier: MIT */
/* fuzz_rfc3339.c - dates: whatever parses must format and parse back to the same instant. */
#include "core/compat.h"

#include "core/buf.h"
#include "core/err.h"
#include "model/date.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int64_t ms, back;
    if (date_parse_rfc3339(str_make((const char *)data, size), &ms) != MH_OK)
        return 0;
    struct buf b;
    buf_init(&b, NULL, 256);
    date_format_rfc3339(&b, ms, STR_LIT("Asia/Shanghai"));
    if (b.err || date_parse_rfc3339(buf_str(&b), &back) != MH_OK || back != ms) {
        fprintf(stderr, "'%.*s' -> %lld -> '%s' does not round-trip\n", (int)size,
                (const char *)data, (long long)ms, b.data);
        abort();
    }
    buf_release(&b);
    return 0;
}
