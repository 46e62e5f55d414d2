/* SPDX-License-Identifier: MIT */
/*
 * precompress.c - give another site generator's output what `masthead
 * publish` writes beside every page: FILE.gz and FILE.br for nginx's
 * gzip_static and brotli_static, made by Masthead's own encoder
 * (page_entry_compress(), the levels serve and publish use), each written
 * as a temporary file and renamed, as the publisher does.  bench/publish runs
 * it over Hugo's folder, so that the peer does the same job: pages plus their
 * encodings.  Prints the files, the bytes and the CPU seconds it took.
 *
 *     build/bench_precompress DIR [THREADS]
 */
#define _GNU_SOURCE /* nftw's FTW_ACTIONRETVAL */
#include "core/compat.h"

#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/resource.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/fs.h"
#include "site/site.h"

static char **files;
static size_t n_files, cap_files;
static atomic_size_t next_file;
static atomic_ullong bytes_in, bytes_gz, bytes_br;

/* The type serve would send for NAME: the compressible ones, else NULL. */
static const char *type_of(const char *name)
{
    static const char *const types[][2] = {
        {".html", "text/html; charset=utf-8"}, {".xml", "application/xml; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},   {".js", "text/javascript; charset=utf-8"},
        {".txt", "text/plain; charset=utf-8"},
    };
    size_t n = strlen(name);
    for (size_t i = 0; i < MH_ARRAY_LEN(types); i++) {
        size_t k = strlen(types[i][0]);
        if (n > k && strcmp(name + n - k, types[i][0]) == 0)
            return types[i][1];
    }
    return NULL;
}

static int take(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (flag != FTW_F || type_of(path) == NULL)
        return 0;
    if (n_files == cap_files) {
        cap_files = cap_files ? 2 * cap_files : 4096;
        files = mh_realloc(files, cap_files * sizeof(*files));
    }
    files[n_files++] = mh_strdup(path);
    return 0;
}

static bool put(const char *path, const char *suffix, struct str data)
{
    char final[4096], tmp[4200];
    snprintf(final, sizeof(final), "%s%s", path, suffix);
    snprintf(tmp, sizeof(tmp), "%s.tmp", final);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return false;
    bool ok = write(fd, data.ptr, data.len) == (ssize_t)data.len;
    ok = close(fd) == 0 && ok && rename(tmp, final) == 0;
    return ok;
}

static void *worker(void *arg)
{
    struct arena a;
    char err[256];
    (void)arg;
    arena_init(&a, 1024 * 1024);
    for (;;) {
        size_t i = atomic_fetch_add(&next_file, 1);
        if (i >= n_files)
            break;
        struct buf b;
        buf_init(&b, &a, (size_t)64 * 1024 * 1024);
        struct page_entry pe;
        memset(&pe, 0, sizeof(pe));
        if (fs_read_file(files[i], &b, err, sizeof(err)) != MH_OK) {
            fprintf(stderr, "bench_precompress: %s\n", err);
            exit(1);
        }
        pe.page.body = buf_str(&b);
        pe.page.content_type = type_of(files[i]);
        page_entry_compress(&pe, &a);
        if ((pe.gzip.len && !put(files[i], ".gz", pe.gzip)) ||
            (pe.brotli.len && !put(files[i], ".br", pe.brotli))) {
            fprintf(stderr, "bench_precompress: cannot write beside %s\n", files[i]);
            exit(1);
        }
        atomic_fetch_add(&bytes_in, pe.page.body.len);
        atomic_fetch_add(&bytes_gz, pe.gzip.len);
        atomic_fetch_add(&bytes_br, pe.brotli.len);
        arena_reset(&a);
    }
    arena_release(&a);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: bench_precompress DIR [THREADS]\n");
        return 2;
    }
    long threads = argc == 3 ? strtol(argv[2], NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
    if (threads < 1 || threads > 64)
        threads = 1;
    if (nftw(argv[1], take, 64, FTW_PHYS) != 0) {
        fprintf(stderr, "bench_precompress: cannot walk %s\n", argv[1]);
        return 1;
    }
    pthread_t t[64];
    for (long i = 1; i < threads; i++)
        if (pthread_create(&t[i], NULL, worker, NULL) != 0)
            return 1;
    worker(NULL);
    for (long i = 1; i < threads; i++)
        pthread_join(t[i], NULL);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
                 (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    printf("%zu files, %llu bytes -> gzip %llu, brotli %llu; CPU %.2f s\n", n_files,
           (unsigned long long)bytes_in, (unsigned long long)bytes_gz,
           (unsigned long long)bytes_br, cpu);
    for (size_t i = 0; i < n_files; i++)
        free(files[i]);
    free(files);
    return 0;
}
