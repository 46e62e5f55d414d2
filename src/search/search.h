/* SPDX-License-Identifier: MIT */
/*
 * search.h - the portable half of search: text analysis and the reader's
 * query language.  It turns text into index terms (Latin letters folded for
 * case and diacritics and stemmed as English with Snowball; CJK split into
 * overlapping bigrams plus unigrams, or ICU dictionary words), parses what a
 * reader types into a small query tree, and cuts highlighted, HTML-escaped
 * snippets.  It knows nothing of SQLite: store/ registers the tokenizer with
 * FTS5 and turns the query tree into an FTS5 expression
 * (docs/internals/search.md).
 */
#ifndef MH_SEARCH_SEARCH_H
#define MH_SEARCH_SEARCH_H

#include "core/compat.h"
#include "core/str.h"

struct arena;
struct buf;

/* ------------------------------------------------------------------ */
/* Tokenizing                                                           */

/* How a run of CJK characters becomes terms. */
enum search_cjk {
    SEARCH_CJK_BIGRAM, /* each character, plus each overlapping pair (the default) */
    SEARCH_CJK_ICU,    /* ICU's dictionary word segmentation (measured, not used) */
};

/* Longest term, in bytes; longer words are cut there. */
#define SEARCH_MAX_TERM 64

/* A term of the private filter vocabulary starts with this code point (a
 * private-use character, UTF-8 EE 80 80): "\xee\x80\x80" "ed" "\xee\x80\x80" "english".
 * Reader text never produces one: the query parser drops the character. */
#define SEARCH_META_MARK "\xee\x80\x80"

/* Flags of search_token_fn and search_tokenize. */
#define SEARCH_TOKEN_COLOCATED 1 /* same position as the previous term (a CJK pair) */
#define SEARCH_TOKEN_CJK 2       /* the term comes from CJK text */

/*
 * One term: TERM[0..LEN) (folded, stemmed; not NUL-terminated), found in
 * the text at bytes [START, END).  Return non-zero to stop; that value is
 * returned by search_tokenize.
 */
typedef int search_token_fn(void *ctx, int flags, const char *term, size_t len, size_t start,
                            size_t end);

struct search_tokenizer;

/* A tokenizer (it holds a Snowball stemmer and, for SEARCH_CJK_ICU, a word
 * break iterator): one thread at a time.  Free with search_tokenizer_free(). */
struct search_tokenizer *search_tokenizer_new(enum search_cjk cjk);
void search_tokenizer_free(struct search_tokenizer *t);

/*
 * Call FN for every term of TEXT in order.  QUERY is for query text: a CJK
 * run of two or more characters then gives only its pairs (so that a phrase
 * of pairs matches the document), never its single characters.  Invalid
 * UTF-8 and control characters separate terms; markup tags ("<p>",
 * "</a>") are skipped.  Returns 0 or FN's first non-zero value.
 */
int search_tokenize(struct search_tokenizer *t, struct str text, bool query, search_token_fn *fn,
                    void *ctx);

/* Number of terms TEXT gives as query text. */
size_t search_term_count(struct search_tokenizer *t, struct str text);

/* ------------------------------------------------------------------ */
/* The reader's query language                                          */

/* Longest query accepted, in bytes; and most clauses. */
#define SEARCH_MAX_QUERY 1000
#define SEARCH_MAX_CLAUSES 32

/*
 * A query is an AND of clauses; a clause is an OR of alternatives (or one
 * excluded alternative); an alternative is an AND of phrases; a phrase is a
 * slice of the cleaned query text whose terms must be adjacent.  Words are
 * ANDed, "quoted phrases" keep their order, -word and -"phrase" exclude,
 * OR (in capitals, between two words) offers alternatives.  Everything else
 * is literal text: no character the reader types is an operator of the
 * index underneath.  An unquoted word that mixes scripts ("DeepSeek人工智能")
 * is one phrase per script run, ANDed.
 */
struct search_alt {
    struct str *phrases; /* each has at least one term */
    size_t n;
};

struct search_clause {
    struct search_alt *alts;
    size_t n;
    bool exclude; /* -word: exactly one alternative */
};

struct search_query {
    struct str text; /* the cleaned query: valid UTF-8, no controls, no marks */
    struct search_clause *clauses;
    size_t n;        /* 0: nothing to look for (empty, or only punctuation) */
    size_t n_include; /* clauses that are not exclusions */
};

/*
 * Parse INPUT into *OUT (everything lives in ARENA).  Invalid UTF-8,
 * control characters and private-use marks become spaces.  MH_TOOBIG when
 * INPUT is over SEARCH_MAX_QUERY bytes; otherwise MH_OK, even for a query
 * with no terms (out->n == 0) or only exclusions (out->n_include == 0):
 * such a query finds nothing.  Extra clauses beyond SEARCH_MAX_CLAUSES are
 * dropped.
 */
MH_MUST_CHECK int search_query_parse(struct search_tokenizer *t, struct arena *arena,
                                     struct str input, struct search_query *out);

/* ------------------------------------------------------------------ */
/* Snippets                                                             */

/* Append the plain text of an article body (Markdown or HTML source) to
 * OUT: tags, Markdown markers and link targets dropped, white space folded. */
void search_plain_text(struct str body, struct buf *out);

/*
 * Append to OUT an HTML snippet of about MAX_CHARS characters of plain
 * TEXT around the best cluster of Q's included terms, each match wrapped in
 * <mark>...</mark>, everything else HTML-escaped; "…" marks cut ends.  With
 * no match it is the start of TEXT.
 */
void search_snippet(struct search_tokenizer *t, const struct search_query *q, struct str text,
                    size_t max_chars, struct buf *out);

#endif
