/* SPDX-License-Identifier: MIT */
/*
 * search_int.h - inside search/ only: a word filter for the tokenizer, so
 * that snippets stem only the words that can match a query term.
 */
#ifndef MH_SEARCH_SEARCH_INT_H
#define MH_SEARCH_SEARCH_INT_H

#include "search/search.h"

/* Called with a folded Latin word before it is stemmed; false drops it. */
typedef bool search_word_filter_fn(void *ctx, const char *word, size_t len);

/* Set (or with NULL clear) T's word filter. */
void search_tokenizer_filter(struct search_tokenizer *t, search_word_filter_fn *fn, void *ctx);

#endif
