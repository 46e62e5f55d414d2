/* SPDX-License-Identifier: MIT */
/* fuzz_api_body.c - a request body of the JSON API, read as a POST article, a PUT article
 * and a transition: never a crash, and a refusal always says why. */
#include "core/compat.h"

#include "api/api.h"
#include "core/arena.h"
#include "core/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int rc, const struct api_error *e)
{
    if (rc != MH_OK && (e->status < 400 || e->message[0] == '\0' || e->code == NULL))
        abort(); /* a refusal without a status or a reason */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a;
    struct api_article_body b;
    struct api_error e;
    enum article_status to;
    int64_t at;
    struct str note, body = str_make((const char *)data, size);
    arena_init(&a, 0);
    memset(&e, 0, sizeof(e));
    check(api_parse_article(body, false, &a, &b, &e), &e);
    memset(&e, 0, sizeof(e));
    check(api_parse_article(body, true, &a, &b, &e), &e);
    memset(&e, 0, sizeof(e));
    check(api_parse_transition(body, &a, &to, &at, &note, &e), &e);
    arena_release(&a);
    return 0;
}
