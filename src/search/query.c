/* SPDX-License-Identifier: MIT */
/*
 * query.c - the reader's query language (search.h): words ANDed, "quoted
 * phrases", -exclusions and OR, and nothing else.  The input is cleaned
 * first (invalid UTF-8, controls and private-use marks become spaces), and
 * every part that would give no term is dropped, so the tree store/ gets
 * always has real terms in it and no character is ever an operator of the
 * index underneath.
 */
#include "core/compat.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/utf8.h"
#include "search/search.h"

#define MAX_ALTS 8
#define MAX_PHRASES 16

/* Copy INPUT into ARENA, cleaned: see search_query_parse(). */
static struct str clean(struct arena *arena, struct str input)
{
    char *out = arena_alloc(arena, input.len + 1);
    size_t n = 0;
    const char *p = input.ptr, *end = input.ptr + input.len;
    while (p < end) {
        const char *at = p;
        int32_t c = utf8_next(&p, end);
        if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || (c >= 0xe000 && c <= 0xf8ff) ||
            c == 0x3000 || c == 0xfeff || c == 0x200b) {
            out[n++] = ' ';
        } else if (c == 0x201c || c == 0x201d || c == 0xff02 || c == 0x300c || c == 0x300d) {
            out[n++] = '"'; /* “ ” ＂ 「 」 */
        } else if (c == 0xff0d || c == 0x2212) {
            out[n++] = '-';
        } else {
            memcpy(out + n, at, (size_t)(p - at));
            n += (size_t)(p - at);
        }
    }
    out[n] = '\0';
    return str_make(out, n);
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

struct item {
    struct str phrases[MAX_PHRASES];
    size_t n;
    bool exclude, is_or;
};

static bool cjk_at(const char *p, const char *end, size_t *len)
{
    const char *q = p;
    int32_t c = utf8_next(&q, end);
    *len = (size_t)(q - p);
    return (c >= 0x3040 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x9fff) ||
           (c >= 0xf900 && c <= 0xfaff) || (c >= 0x20000 && c <= 0x3134f);
}

static void add_phrase(struct search_tokenizer *t, struct item *it, struct str s)
{
    if (it->n < MAX_PHRASES && search_term_count(t, s) > 0)
        it->phrases[it->n++] = s;
}

/* An unquoted word: one phrase per script run (CJK or not). */
static void split_word(struct search_tokenizer *t, struct item *it, struct str w)
{
    const char *p = w.ptr, *end = w.ptr + w.len, *start = p;
    int run = -1; /* -1: nothing yet, 0: other, 1: CJK */
    while (p < end) {
        size_t len;
        bool cjk = cjk_at(p, end, &len);
        bool alnum = cjk || (unsigned char)*p >= 0x80 || (*p >= '0' && *p <= '9') ||
                     ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z');
        if (alnum && run != -1 && run != (int)cjk) {
            add_phrase(t, it, str_make(start, (size_t)(p - start)));
            start = p;
        }
        if (alnum)
            run = cjk;
        p += len;
    }
    add_phrase(t, it, str_make(start, (size_t)(end - start)));
}

int search_query_parse(struct search_tokenizer *t, struct arena *arena, struct str input,
                       struct search_query *out)
{
    memset(out, 0, sizeof(*out));
    if (input.len > SEARCH_MAX_QUERY)
        return MH_TOOBIG;
    if (input.ptr == NULL)
        input = STR_LIT("");
    struct str text = clean(arena, input);
    out->text = text;
    struct item items[SEARCH_MAX_CLAUSES * 2];
    size_t n_items = 0;
    const char *p = text.ptr, *end = text.ptr + text.len;
    while (p < end && n_items < MH_ARRAY_LEN(items)) {
        while (p < end && is_space(*p))
            p++;
        if (p == end)
            break;
        struct item *it = &items[n_items];
        memset(it, 0, sizeof(*it));
        if (*p == '-' && p + 1 < end && !is_space(p[1])) {
            it->exclude = true;
            p++;
        }
        if (*p == '"') {
            const char *q = memchr(p + 1, '"', (size_t)(end - p - 1));
            const char *stop = q ? q : end;
            add_phrase(t, it, str_make(p + 1, (size_t)(stop - p - 1)));
            p = q ? q + 1 : end;
        } else {
            const char *q = p;
            while (q < end && !is_space(*q))
                q++;
            struct str w = str_make(p, (size_t)(q - p));
            if (!it->exclude && w.len == 2 && w.ptr[0] == 'O' && w.ptr[1] == 'R')
                it->is_or = true;
            split_word(t, it, w);
            p = q;
        }
        if (it->n || it->is_or)
            n_items++;
    }

    /* items to clauses: "a OR b" joins; an OR without two plain sides is the word "or" */
    out->clauses = arena_zalloc(arena, sizeof(*out->clauses) * SEARCH_MAX_CLAUSES);
    for (size_t i = 0; i < n_items && out->n < SEARCH_MAX_CLAUSES; i++) {
        struct item *it = &items[i];
        struct search_clause *prev = out->n ? &out->clauses[out->n - 1] : NULL;
        if (it->is_or && prev && !prev->exclude && prev->n < MAX_ALTS && i + 1 < n_items &&
            !items[i + 1].exclude && !items[i + 1].is_or && items[i + 1].n) {
            it = &items[++i];
            struct search_alt *alt = &prev->alts[prev->n++];
            alt->phrases = arena_alloc(arena, sizeof(struct str) * it->n);
            memcpy(alt->phrases, it->phrases, sizeof(struct str) * it->n);
            alt->n = it->n;
            continue;
        }
        if (it->n == 0)
            continue; /* a lone OR with nothing to join */
        struct search_clause *cl = &out->clauses[out->n++];
        cl->alts = arena_zalloc(arena, sizeof(*cl->alts) * MAX_ALTS);
        cl->exclude = it->exclude;
        cl->alts[0].phrases = arena_alloc(arena, sizeof(struct str) * it->n);
        memcpy(cl->alts[0].phrases, it->phrases, sizeof(struct str) * it->n);
        cl->alts[0].n = it->n;
        cl->n = 1;
        if (!cl->exclude)
            out->n_include++;
    }
    return MH_OK;
}
