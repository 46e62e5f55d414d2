/* SPDX-License-Identifier: MIT */
/*
 * tokenize.c - text to index terms, the same way for articles and queries.
 * Latin (and Greek, Cyrillic, Hangul...) words are case-folded, stripped of
 * diacritics (é -> e, ß -> ss) and stemmed with Snowball's English stemmer
 * (Porter2, Debian libstemmer).  CJK runs become each character plus each
 * overlapping pair at the same position, so that a query of one character
 * matches a character and a query of n >= 2 characters is a phrase of its
 * n-1 pairs; or, in SEARCH_CJK_ICU mode, ICU's dictionary words.  It owns
 * no storage: terms go to a callback.
 */
#include "core/compat.h"

#include <libstemmer.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include "core/utf8.h"
#include "search/search.h"
#include "search/search_int.h"

#define ICU_RUN_MAX 2048 /* CJK characters segmented at once in ICU mode */

struct search_tokenizer {
    enum search_cjk cjk;
    struct sb_stemmer *stemmer;
    const UNormalizer2 *nfd;
    UBreakIterator *brk;
    search_word_filter_fn *filter; /* snippets: skip words that cannot match */
    void *filter_ctx;
    UChar u16[ICU_RUN_MAX * 2 + 2];
    size_t u16_at[ICU_RUN_MAX * 2 + 2]; /* byte offset of each UTF-16 unit */
};

struct search_tokenizer *search_tokenizer_new(enum search_cjk cjk)
{
    struct search_tokenizer *t = mh_calloc(1, sizeof(*t));
    UErrorCode err = U_ZERO_ERROR;
    t->cjk = cjk;
    t->stemmer = sb_stemmer_new("english", "UTF_8");
    if (t->stemmer == NULL)
        MH_BUG("libstemmer has no English stemmer");
    t->nfd = unorm2_getNFDInstance(&err);
    if (U_FAILURE(err))
        MH_BUG("ICU has no NFD data: %s", u_errorName(err));
    if (cjk == SEARCH_CJK_ICU) {
        t->brk = ubrk_open(UBRK_WORD, "zh", NULL, 0, &err);
        if (U_FAILURE(err))
            MH_BUG("ICU has no word break iterator: %s", u_errorName(err));
    }
    return t;
}

void search_tokenizer_filter(struct search_tokenizer *t, search_word_filter_fn *fn, void *ctx)
{
    t->filter = fn;
    t->filter_ctx = ctx;
}

void search_tokenizer_free(struct search_tokenizer *t)
{
    if (t == NULL)
        return;
    sb_stemmer_delete(t->stemmer);
    if (t->brk)
        ubrk_close(t->brk);
    free(t);
}

/* ------------------------------------------------------------------ */
/* Character classes                                                    */

static bool is_cjk(int32_t c)
{
    return (c >= 0x3040 && c <= 0x30ff) ||  /* Hiragana, Katakana */
           (c >= 0x31f0 && c <= 0x31ff) ||  /* Katakana extensions */
           (c >= 0x3400 && c <= 0x4dbf) ||  /* Han extension A */
           (c >= 0x4e00 && c <= 0x9fff) ||  /* Han */
           (c >= 0xf900 && c <= 0xfaff) ||  /* compatibility ideographs */
           (c >= 0x20000 && c <= 0x3134f); /* Han extensions B-G */
}

static bool is_mark(int32_t c)
{
    return c >= 0x300 && (u_charType(c) == U_NON_SPACING_MARK ||
                          u_charType(c) == U_COMBINING_SPACING_MARK ||
                          u_charType(c) == U_ENCLOSING_MARK);
}

static bool is_word(int32_t c)
{
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (c >= 0xe000 && c <= 0xf8ff)
        return false; /* private use: the meta mark is handled by the caller */
    return !is_cjk(c) && u_isalnum(c);
}

static size_t put_utf8(char *p, int32_t c)
{
    if (c < 0x80) {
        p[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        p[0] = (char)(0xc0 | (c >> 6));
        p[1] = (char)(0x80 | (c & 0x3f));
        return 2;
    }
    if (c < 0x10000) {
        p[0] = (char)(0xe0 | (c >> 12));
        p[1] = (char)(0x80 | ((c >> 6) & 0x3f));
        p[2] = (char)(0x80 | (c & 0x3f));
        return 3;
    }
    p[0] = (char)(0xf0 | (c >> 18));
    p[1] = (char)(0x80 | ((c >> 12) & 0x3f));
    p[2] = (char)(0x80 | ((c >> 6) & 0x3f));
    p[3] = (char)(0x80 | (c & 0x3f));
    return 4;
}

/* Fold C for a word into OUT (up to 3 code points): lower case, no
 * diacritics, full-width forms as ASCII.  Returns how many. */
static int fold(const struct search_tokenizer *t, int32_t c, int32_t out[3])
{
    if (c < 0x80) {
        out[0] = c >= 'A' && c <= 'Z' ? c + 32 : c;
        return 1;
    }
    if (c >= 0xff01 && c <= 0xff5e) /* full-width ASCII */
        return fold(t, c - 0xfee0, out);
    switch (c) {
    case 0xdf: case 0x1e9e: out[0] = out[1] = 's'; return 2;            /* ß */
    case 0xe6: case 0xc6: out[0] = 'a'; out[1] = 'e'; return 2;         /* æ */
    case 0x153: case 0x152: out[0] = 'o'; out[1] = 'e'; return 2;       /* œ */
    case 0xf8: case 0xd8: out[0] = 'o'; return 1;                       /* ø */
    case 0x111: case 0x110: out[0] = 'd'; return 1;                     /* đ */
    case 0x142: case 0x141: out[0] = 'l'; return 1;                     /* ł */
    case 0xfe: case 0xde: out[0] = 't'; out[1] = 'h'; return 2;         /* þ */
    case 0x131: out[0] = 'i'; return 1;                                 /* dotless i */
    default: break;
    }
    c = u_foldCase(c, U_FOLD_CASE_DEFAULT);
    UChar d[8];
    UErrorCode err = U_ZERO_ERROR;
    int32_t n = unorm2_getDecomposition(t->nfd, c, d, MH_ARRAY_LEN(d), &err);
    if (n > 0 && U_SUCCESS(err)) {
        int32_t first;
        int32_t i = 0;
        U16_NEXT(d, i, n, first);
        if (!is_mark(first))
            c = u_foldCase(first, U_FOLD_CASE_DEFAULT);
    }
    out[0] = c;
    return 1;
}

/* ------------------------------------------------------------------ */
/* The walk                                                             */

struct walk {
    struct search_tokenizer *t;
    const char *base;
    bool query;
    search_token_fn *fn;
    void *ctx;
    int rc;
    /* the CJK run in progress (bigram mode) */
    int32_t prev;
    size_t prev_start, prev_end, run_len;
    /* the ICU run in progress */
    size_t icu_start, icu_len;
};

static void emit(struct walk *w, int flags, const char *term, size_t len, size_t start,
                 size_t end)
{
    if (w->rc == 0 && len)
        w->rc = w->fn(w->ctx, flags, term, len, start, end);
}

/* A word of folded UTF-8 in WORD[0..LEN): stem it when it is Latin letters. */
static void emit_word(struct walk *w, char *word, size_t len, bool meta, size_t start,
                      size_t end)
{
    if (w->t->filter && !meta && !w->t->filter(w->t->filter_ctx, word, len))
        return;
    bool letters = !meta;
    for (size_t i = 0; i < len && letters; i++)
        letters = (word[i] >= 'a' && word[i] <= 'z') || word[i] == '\'' ||
                  (unsigned char)word[i] >= 0x80;
    if (letters && len > 2) {
        const sb_symbol *s = sb_stemmer_stem(w->t->stemmer, (const sb_symbol *)word, (int)len);
        if (s) {
            size_t n = (size_t)sb_stemmer_length(w->t->stemmer);
            if (n <= len) {
                memcpy(word, s, n);
                len = n;
            }
        }
    }
    size_t k = 0; /* apostrophes go after stemming: "don't" -> "dont" */
    for (size_t i = 0; i < len; i++)
        if (word[i] != '\'')
            word[k++] = word[i];
    emit(w, 0, word, k, start, end);
}

static void flush_icu(struct walk *w);

/* The CJK run ended (bigram mode: a lone character in a query is a term). */
static void end_cjk(struct walk *w)
{
    if (w->t->cjk == SEARCH_CJK_ICU) {
        flush_icu(w);
        return;
    }
    if (w->query && w->run_len == 1) {
        char u[4];
        emit(w, SEARCH_TOKEN_CJK, u, put_utf8(u, w->prev), w->prev_start, w->prev_end);
    }
    w->run_len = 0;
}

static void cjk_char(struct walk *w, int32_t c, size_t start, size_t end)
{
    if (w->t->cjk == SEARCH_CJK_ICU) {
        if (w->icu_len == 0)
            w->icu_start = start;
        w->icu_len++;
        w->prev_end = end;
        if (w->icu_len == ICU_RUN_MAX)
            flush_icu(w);
        return;
    }
    char pair[8];
    if (w->run_len) {
        size_t n = put_utf8(pair, w->prev);
        n += put_utf8(pair + n, c);
        emit(w, SEARCH_TOKEN_CJK | (w->query ? 0 : SEARCH_TOKEN_COLOCATED), pair, n,
             w->prev_start, end);
    }
    if (!w->query)
        emit(w, SEARCH_TOKEN_CJK, pair, put_utf8(pair, c), start, end);
    w->prev = c;
    w->prev_start = start;
    w->prev_end = end;
    w->run_len++;
}

/* ICU mode: segment the pending run [icu_start, prev_end) into words. */
static void flush_icu(struct walk *w)
{
    struct search_tokenizer *t = w->t;
    if (w->icu_len == 0)
        return;
    const char *p = w->base + w->icu_start, *end = w->base + w->prev_end;
    int32_t n = 0;
    while (p < end) {
        size_t at = (size_t)(p - w->base);
        int32_t c = utf8_next(&p, end);
        if (c < 0)
            continue;
        UBool bad = 0;
        size_t before = (size_t)n;
        U16_APPEND(t->u16, n, (int32_t)MH_ARRAY_LEN(t->u16) - 1, c, bad);
        if (bad)
            break; /* cannot happen: the run is at most ICU_RUN_MAX characters */
        for (size_t i = before; i < (size_t)n; i++)
            t->u16_at[i] = at;
    }
    t->u16_at[n] = w->prev_end;
    UErrorCode err = U_ZERO_ERROR;
    ubrk_setText(t->brk, t->u16, n, &err);
    if (U_SUCCESS(err)) {
        int32_t from = ubrk_first(t->brk), to;
        while ((to = ubrk_next(t->brk)) != UBRK_DONE) {
            size_t s = t->u16_at[from], e = t->u16_at[to];
            emit(w, SEARCH_TOKEN_CJK, w->base + s, e - s, s, e);
            from = to;
        }
    }
    w->icu_len = 0;
}

/* At "<": the length of a markup tag to skip ("<p>", "</a>", "<!-- x -->"), or 0. */
static size_t tag_len(const char *p, const char *end)
{
    if (end - p < 3)
        return 0;
    char c = p[1];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '/' || c == '!'))
        return 0;
    for (const char *q = p + 1; q < end && q - p < 1024; q++) {
        if (*q == '>')
            return (size_t)(q - p + 1);
        if (*q == '<')
            return 0;
    }
    return 0;
}

int search_tokenize(struct search_tokenizer *t, struct str text, bool query, search_token_fn *fn,
                    void *ctx)
{
    if (text.len == 0)
        return 0;
    struct walk w = {t, text.ptr, query, fn, ctx, 0, 0, 0, 0, 0, 0, 0};
    char word[SEARCH_MAX_TERM + 8];
    size_t wlen = 0, wstart = 0, wend = 0;
    bool meta = false, in_word = false;
    const char *p = text.ptr, *end = text.ptr + text.len;
    while (p < end && w.rc == 0) {
        size_t at = (size_t)(p - text.ptr);
        if (*p == '<' && !query) {
            size_t skip = tag_len(p, end);
            if (skip) {
                if (in_word)
                    emit_word(&w, word, wlen, meta, wstart, wend);
                in_word = meta = false;
                wlen = 0;
                end_cjk(&w);
                p += skip;
                continue;
            }
        }
        int32_t c = utf8_next(&p, end);
        size_t after = (size_t)(p - text.ptr);
        bool apostrophe = (c == '\'' || c == 0x2019) && in_word && p < end &&
                          ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'));
        if (c == 0xe000 && !meta) {
            if (in_word)
                emit_word(&w, word, wlen, meta, wstart, wend);
            end_cjk(&w);
            memcpy(word, SEARCH_META_MARK, 3);
            wlen = 3;
            wstart = at;
            wend = after;
            in_word = meta = true;
            continue;
        }
        if (c == 0xe000 && meta) {
            if (wlen + 3 <= SEARCH_MAX_TERM) {
                memcpy(word + wlen, SEARCH_META_MARK, 3);
                wlen += 3;
            }
            wend = after;
            continue;
        }
        if (c >= 0 && (is_word(c) || apostrophe || (in_word && is_mark(c)))) {
            if (w.run_len || w.icu_len)
                end_cjk(&w);
            if (!in_word) {
                in_word = true;
                wlen = 0;
                wstart = at;
            }
            wend = after;
            if (apostrophe) {
                if (wlen < SEARCH_MAX_TERM)
                    word[wlen++] = '\'';
                continue;
            }
            if (is_mark(c))
                continue;
            int32_t f[3];
            int nf = fold(t, c, f);
            for (int i = 0; i < nf; i++) {
                char u[4];
                size_t n = put_utf8(u, f[i]);
                if (wlen + n <= SEARCH_MAX_TERM) {
                    memcpy(word + wlen, u, n);
                    wlen += n;
                }
            }
            continue;
        }
        if (in_word) {
            emit_word(&w, word, wlen, meta, wstart, wend);
            in_word = meta = false;
            wlen = 0;
        }
        if (c >= 0 && is_cjk(c)) {
            cjk_char(&w, c, at, after);
            continue;
        }
        if (w.run_len || w.icu_len)
            end_cjk(&w);
    }
    if (in_word)
        emit_word(&w, word, wlen, meta, wstart, wend);
    if (w.run_len || w.icu_len)
        end_cjk(&w);
    return w.rc;
}

static int count_term(void *ctx, int flags, const char *term, size_t len, size_t start,
                      size_t end)
{
    (void)flags, (void)term, (void)len, (void)start, (void)end;
    ++*(size_t *)ctx;
    return 0;
}

size_t search_term_count(struct search_tokenizer *t, struct str text)
{
    size_t n = 0;
    (void)search_tokenize(t, text, true, count_term, &n);
    return n;
}
