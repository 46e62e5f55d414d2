/* SPDX-License-Identifier: MIT */
/*
 * fuzz_probe.c - libFuzzer target for media/probe.c: any bytes at all, and
 * when they are accepted, the answer must keep the contract in probe.h.
 * Seeds are in tests/fuzz/corpus/probe/.
 */
#include "core/compat.h"

#include "core/err.h"
#include "core/str.h"
#include "media/probe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct probe_info info;
    int rc = probe_image(str_make((const char *)data, size), &info);
    if (rc != MH_OK && rc != MH_INVAL)
        MH_BUG("probe_image returned %d", rc);
    if (rc == MH_OK &&
        (info.type == PROBE_UNKNOWN || info.mime == NULL || info.ext == NULL || info.width == 0 ||
         info.height == 0 || info.width > PROBE_MAX_SIDE || info.height > PROBE_MAX_SIDE ||
         (info.animated && info.type != PROBE_GIF && info.type != PROBE_WEBP)))
        MH_BUG("probe_image accepted %s %ux%u", info.ext ? info.ext : "(null)",
               (unsigned)info.width, (unsigned)info.height);
    return 0;
}
