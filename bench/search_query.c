/* SPDX-License-Identifier: MIT */
/*
 * search_query.c - time store_search() in-process on a site, one query per
 * line of standard input ("EDITION<TAB>QUERY"), to tell the index's time from
 * the HTTP server's, and the CPU time from the wall time on a busy machine.
 * Prints "wall_ms cpu_ms total hits query" per query.  With PASSES (default
 * 1) it runs the whole list that many times in one process and prints the
 * last pass: the earlier ones warm the caches a server keeps (document
 * frequencies), as the HTTP measurement's first pass does.
 *   bench_search_query DIR [PASSES] < queries.tsv
 */
#include "core/compat.h"

#include <time.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/err.h"
#include "search/search.h"
#include "store/store.h"

int main(int argc, char **argv)
{
    char err[1024], line[4096];
    struct site *site;
    char *end = NULL;
    long passes = argc == 3 ? strtol(argv[2], &end, 10) : 1;
    if (argc < 2 || argc > 3 || passes < 1 || passes > 100 || (end && *end)) {
        fprintf(stderr, "usage: %s DIR [PASSES] < queries.tsv\n", argv[0]);
        return 2;
    }
    size_t nq = 0, cap = 0;
    char **queries = NULL;
    while (fgets(line, sizeof(line), stdin)) {
        if (nq == cap) {
            cap = cap ? cap * 2 : 256;
            queries = realloc(queries, cap * sizeof(*queries));
            if (queries == NULL)
                return 1;
        }
        queries[nq] = strdup(line);
        if (queries[nq++] == NULL)
            return 1;
    }
    if (site_open(argv[1], true, &site, err, sizeof(err)) != MH_OK) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    struct search_tokenizer *tok = search_tokenizer_new(SEARCH_CJK_BIGRAM);
    struct arena a;
    arena_init(&a, 0);
    for (size_t i = 0; i < nq * (size_t)passes; i++) {
        snprintf(line, sizeof(line), "%s", queries[i % nq]);
        bool print = i >= nq * (size_t)(passes - 1);
        char *tab = strchr(line, '\t');
        size_t n = strlen(line);
        if (tab == NULL)
            continue;
        if (n && line[n - 1] == '\n')
            line[--n] = '\0';
        *tab = '\0';
        struct search_query q;
        struct store_search_hit *hits;
        size_t nh = 0;
        int64_t total = 0;
        arena_reset(&a);
        struct timespec c0, c1;
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
        uint64_t t0 = clock_mono_ns();
        int rc = search_query_parse(tok, &a, str_c(tab + 1), &q);
        struct store_search_params p = {.q = &q, .edition = str_c(line), .limit = 20};
        if (rc == MH_OK)
            rc = store_search(site->store, &a, &p, &hits, &nh, &total);
        double ms = (double)(clock_mono_ns() - t0) / 1e6;
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
        double cpu = (double)(c1.tv_sec - c0.tv_sec) * 1e3 + (double)(c1.tv_nsec - c0.tv_nsec) / 1e6;
        if (print)
            printf("%8.2f %8.2f %8lld %3zu %s%s\n", ms, cpu, (long long)total, nh, tab + 1,
               rc ? " (error)" : "");
    }
    for (size_t i = 0; i < nq; i++)
        free(queries[i]);
    free(queries);
    arena_release(&a);
    search_tokenizer_free(tok);
    site_close(site);
    return 0;
}
