/* SPDX-License-Identifier: MIT */
/*
 * snippet.c - what a result shows of an article: its plain text (markup
 * dropped), and the passage with the most of the query's terms, the matches
 * in <mark> and every other byte HTML-escaped, so that nothing stored in an
 * article can become markup in a results page.
 */
#include "core/compat.h"

#include "core/buf.h"
#include "core/utf8.h"
#include "search/search.h"
#include "search/search_int.h"

#define MAX_TERMS 64
#define MAX_MATCHES 4096
#define LEAD_CHARS 30 /* context kept before the first match */

/* ------------------------------------------------------------------ */
/* Plain text                                                           */

static const struct {
    const char *name;
    const char *text;
} entities[] = {
    {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"},
    {"&apos;", "'"}, {"&nbsp;", " "}, {"&mdash;", "—"}, {"&ndash;", "–"},
};

void search_plain_text(struct str body, struct buf *out)
{
    if (body.len == 0)
        return;
    const char *p = body.ptr, *end = body.ptr + body.len;
    bool space = out->len == 0 || out->data[out->len - 1] == ' ';
    bool line_start = true;
    while (p < end) {
        char c = *p;
        if (c == '<' && p + 1 < end &&
            (((p[1] | 0x20) >= 'a' && (p[1] | 0x20) <= 'z') || p[1] == '/' || p[1] == '!')) {
            const char *q = p + 1;
            while (q < end && *q != '>' && *q != '<' && q - p < 1024)
                q++;
            if (q < end && *q == '>') {
                p = q + 1;
                if (!space)
                    buf_addc(out, ' ');
                space = true;
                continue;
            }
        }
        if (c == '&') {
            bool done = false;
            for (size_t i = 0; i < MH_ARRAY_LEN(entities) && !done; i++) {
                size_t n = strlen(entities[i].name);
                if ((size_t)(end - p) >= n && memcmp(p, entities[i].name, n) == 0) {
                    buf_adds(out, entities[i].text);
                    p += n;
                    done = true;
                }
            }
            if (done) {
                space = false;
                line_start = false;
                continue;
            }
        }
        if (c == ']' && p + 1 < end && p[1] == '(') { /* [text](target): drop the target */
            const char *q = memchr(p, ')', (size_t)(end - p));
            p = q ? q + 1 : p + 1;
            continue;
        }
        if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
            if (!space)
                buf_addc(out, ' ');
            space = true;
            line_start = line_start || c == '\n';
            p++;
            continue;
        }
        if (c == '*' || c == '`' || c == '[' || c == ']' || c == '|' ||
            (line_start && (c == '#' || c == '>' || c == '!' || c == '=')) ||
            (c == '!' && p + 1 < end && p[1] == '[')) {
            p++;
            continue;
        }
        if (line_start && (c == '-' || c == '+') && p + 1 < end && p[1] == ' ') {
            p++;
            continue;
        }
        line_start = false;
        space = false;
        buf_addc(out, c);
        p++;
    }
}

/* ------------------------------------------------------------------ */
/* Snippets                                                             */

struct terms {
    char text[MAX_TERMS][SEARCH_MAX_TERM + 8];
    size_t len[MAX_TERMS];
    size_t n;
};

static int add_term(void *ctx, int flags, const char *term, size_t len, size_t start,
                    size_t end)
{
    struct terms *t = ctx;
    (void)flags, (void)start, (void)end;
    for (size_t i = 0; i < t->n; i++)
        if (t->len[i] == len && memcmp(t->text[i], term, len) == 0)
            return 0;
    if (t->n < MAX_TERMS && len <= SEARCH_MAX_TERM) {
        memcpy(t->text[t->n], term, len);
        t->len[t->n++] = len;
    }
    return 0;
}

/* Could WORD stem to one of the terms?  Stems keep the word's first two
 * letters (Snowball English changes only endings), so compare those. */
static bool may_match(void *ctx, const char *word, size_t len)
{
    const struct terms *t = ctx;
    for (size_t i = 0; i < t->n; i++) {
        size_t n = t->len[i] < 2 ? t->len[i] : 2;
        if (len >= n && memcmp(t->text[i], word, n) == 0)
            return true;
    }
    return false;
}

struct match {
    size_t start, end;
    int term;
};

struct matches {
    const struct terms *terms;
    struct match m[MAX_MATCHES];
    size_t n;
};

static int find_match(void *ctx, int flags, const char *term, size_t len, size_t start,
                      size_t end)
{
    struct matches *ms = ctx;
    (void)flags;
    for (size_t i = 0; i < ms->terms->n; i++) {
        if (ms->terms->len[i] != len || memcmp(ms->terms->text[i], term, len) != 0)
            continue;
        if (ms->n && start < ms->m[ms->n - 1].end) { /* overlapping pairs: extend */
            if (end > ms->m[ms->n - 1].end)
                ms->m[ms->n - 1].end = end;
            return 0;
        }
        ms->m[ms->n++] = (struct match){start, end, (int)i};
        return ms->n == MAX_MATCHES; /* enough */
    }
    return 0;
}

/* Byte offset MAXC characters after FROM in TEXT (or the end). */
static size_t advance_chars(struct str text, size_t from, size_t maxc)
{
    const char *p = text.ptr + from, *end = text.ptr + text.len;
    for (size_t i = 0; i < maxc && p < end; i++)
        (void)utf8_next(&p, end);
    return (size_t)(p - text.ptr);
}

/* Back from AT by about MAXC characters, to the start of a character and
 * preferably of a word. */
static size_t back_chars(struct str text, size_t at, size_t maxc)
{
    size_t p = at, seen = 0;
    while (p > 0 && seen < maxc) {
        p--;
        if (((unsigned char)text.ptr[p] & 0xc0) != 0x80)
            seen++;
    }
    if (p == 0)
        return 0;
    for (size_t q = p; q < at; q++)
        if (text.ptr[q] == ' ')
            return q + 1;
    return p;
}

static void escape(struct buf *out, const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        switch (p[i]) {
        case '&': buf_adds(out, "&amp;"); break;
        case '<': buf_adds(out, "&lt;"); break;
        case '>': buf_adds(out, "&gt;"); break;
        case '"': buf_adds(out, "&quot;"); break;
        case '\'': buf_adds(out, "&#39;"); break;
        default: buf_addc(out, p[i]);
        }
    }
}

void search_snippet(struct search_tokenizer *t, const struct search_query *q, struct str text,
                    size_t max_chars, struct buf *out)
{
    if (max_chars <= LEAD_CHARS)
        max_chars = LEAD_CHARS + 1;
    if (text.ptr == NULL)
        text = STR_LIT("");
    static _Thread_local struct terms terms;
    static _Thread_local struct matches ms;
    terms.n = 0;
    for (size_t i = 0; i < q->n; i++)
        for (size_t a = 0; !q->clauses[i].exclude && a < q->clauses[i].n; a++)
            for (size_t k = 0; k < q->clauses[i].alts[a].n; k++)
                (void)search_tokenize(t, q->clauses[i].alts[a].phrases[k], true, add_term,
                                      &terms);
    ms.terms = &terms;
    ms.n = 0;
    if (terms.n) {
        search_tokenizer_filter(t, may_match, &terms);
        (void)search_tokenize(t, text, false, find_match, &ms);
        search_tokenizer_filter(t, NULL, NULL);
    }

    /* the window starting at a match that covers the most distinct terms */
    size_t best = 0, best_score = 0;
    for (size_t i = 0; i < ms.n; i++) {
        size_t stop = advance_chars(text, ms.m[i].start, max_chars - LEAD_CHARS);
        uint64_t seen = 0;
        size_t score = 0;
        for (size_t k = i; k < ms.n && ms.m[k].end <= stop; k++) {
            uint64_t bit = UINT64_C(1) << (ms.m[k].term & 63);
            score += (seen & bit) ? 1 : 100;
            seen |= bit;
        }
        if (score > best_score) {
            best_score = score;
            best = i;
        }
    }
    size_t from = ms.n ? back_chars(text, ms.m[best].start, LEAD_CHARS) : 0;
    size_t to = advance_chars(text, from, max_chars);
    while (to < text.len && to > from && text.ptr[to - 1] != ' ' && to - from < max_chars * 4 &&
           ((unsigned char)text.ptr[to] & 0x80) == 0)
        to++; /* finish a Latin word */
    while (from < to && text.ptr[from] == ' ')
        from++;
    while (to > from && text.ptr[to - 1] == ' ')
        to--;
    if (from > 0)
        buf_adds(out, "…");
    size_t at = from;
    for (size_t i = 0; i < ms.n; i++) {
        struct match m = ms.m[i];
        if (m.end <= from || m.start < at)
            continue;
        if (m.start >= to)
            break;
        if (m.end > to)
            m.end = to;
        escape(out, text.ptr + at, m.start - at);
        buf_adds(out, "<mark>");
        escape(out, text.ptr + m.start, m.end - m.start);
        buf_adds(out, "</mark>");
        at = m.end;
    }
    escape(out, text.ptr + at, to - at);
    if (to < text.len)
        buf_adds(out, "…");
}
