/* SPDX-License-Identifier: MIT */
/*
 * fuzz_sanitize.c - feeds bytes to sanitize_html() and sanitize_text_of_html().
 * A successful result must be a fixed point (sanitizing it again gives the
 * same bytes: sanitize_html() makes one pass and no longer checks this
 * itself, so this is where the promise is held) and must have the shape
 * the sanitizer promises (sanitize_shape.h).  Either failure aborts, for
 * libFuzzer to report.
 */
#include "core/compat.h"

#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "render/sanitize.h"
#include "sanitize_shape.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct str in = str_make((const char *)data, size);
    struct buf once, twice, text;
    buf_init(&once, NULL, MH_MAX_BODY);
    buf_init(&twice, NULL, MH_MAX_BODY);
    buf_init(&text, NULL, MH_MAX_BODY);
    int rc = sanitize_html(in, &once);
    if (rc == MH_OK) {
        if (!sanitize_well_shaped(buf_str(&once)))
            abort();
        if (sanitize_html(buf_str(&once), &twice) != MH_OK ||
            !str_eq(buf_str(&once), buf_str(&twice)))
            abort();
    }
    int trc = sanitize_text_of_html(in, &text);
    if (trc != rc && !(rc == MH_TOOBIG && trc == MH_OK))
        abort(); /* the same input checks; only the HTML can be too big */
    buf_release(&once);
    buf_release(&twice);
    buf_release(&text);
    return 0;
}
