/* SPDX-License-Identifier: MIT */
/*
 * fuzz_markdown.c - feeds bytes to markdown_render().  It must not crash or
 * leak, and a successful result must be a fixed point of sanitize_html(),
 * which is what the renderer promises; otherwise abort for libFuzzer.
 */
#include "core/compat.h"

#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "render/markdown.h"
#include "render/sanitize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct buf html, again;
    buf_init(&html, NULL, MH_MAX_BODY);
    buf_init(&again, NULL, MH_MAX_BODY);
    int rc = markdown_render(str_make((const char *)data, size), &html);
    if (rc == MH_OK && (sanitize_html(buf_str(&html), &again) != MH_OK ||
                        !str_eq(buf_str(&html), buf_str(&again))))
        abort();
    buf_release(&html);
    buf_release(&again);
    return 0;
}
