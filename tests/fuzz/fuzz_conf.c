/* SPDX-License-Identifier: MIT */
/* fuzz_conf.c - masthead.conf through the INI parser and the key checks. */
#include "core/compat.h"

#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct site_conf c;
    char err[512];
    if (site_conf_parse(str_make((const char *)data, size), &c, err, sizeof(err)) != 0)
        return 0;
    return 0;
}
