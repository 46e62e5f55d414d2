/* SPDX-License-Identifier: MIT */
/*
 * fuzz_manifest.c - the publisher's manifest parser (publish/manifest.c) on
 * any bytes: it accepts or refuses, never crashes; what it accepts formats
 * to text that parses again to as many entries.
 */
#include "core/compat.h"

#include "core/buf.h"
#include "core/err.h"
#include "publish/publish_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct manifest m, again;
    char err[256];
    manifest_init(&m);
    if (manifest_parse(&m, str_make((const char *)data, size), err, sizeof(err)) == MH_OK) {
        struct buf b;
        buf_init(&b, NULL, 64 << 20);
        manifest_format(&m, &b);
        manifest_init(&again);
        if (manifest_parse(&again, buf_str(&b), err, sizeof(err)) != MH_OK ||
            again.used != m.used || again.n_finger != m.n_finger || again.seq != m.seq)
            abort();
        manifest_release(&again);
        buf_release(&b);
    }
    manifest_release(&m);
    return 0;
}
