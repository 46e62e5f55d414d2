/* SPDX-License-Identifier: MIT */
/*
 * worker.c - the thread of `masthead serve` that makes derivatives in the
 * background, so that an upload or an import never waits for libvips and a
 * page falls back to the original until the sizes exist.
 */
#include "core/compat.h"

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "core/err.h"
#include "core/log.h"
#include "media/media.h"
#include "store/store.h"

#define WORKER_POLL_MS 1000 /* how often it asks whether anything was committed */

struct media_worker {
    struct site *site;
    char *db_path, *theme_dir;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t wake;
    _Atomic bool stop;
};

static void *worker_main(void *arg)
{
    struct media_worker *w = arg;
    struct store *s;
    char err[1024];
    int64_t seen = -1, now = 0;
    if (store_open(w->db_path, false, false, &s, err, sizeof(err)) != MH_OK) {
        log_error("images: derivatives will not be made: %s", err);
        return NULL;
    }
    while (!atomic_load(&w->stop)) {
        if (store_data_version(s, &now) != MH_OK)
            now = seen + 1; /* cannot tell: look anyway */
        if (now != seen) {
            struct media_spec spec;
            size_t made = 0, failed = 0;
            seen = now;
            if (media_spec_load(w->theme_dir, &spec, err, sizeof(err)) != MH_OK)
                log_error("images: %s", err);
            else if (media_derive_pending(w->site, s, &spec, 0, &w->stop, &made, &failed) != MH_OK)
                log_error("images: cannot list the images to derive: %s", store_errmsg(s));
            if (made || failed)
                log_info("images: made the derivatives of %zu images (%zu could not be read)",
                         made, failed);
        }
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += WORKER_POLL_MS / 1000;
        pthread_mutex_lock(&w->mu);
        if (!atomic_load(&w->stop))
            pthread_cond_timedwait(&w->wake, &w->mu, &until);
        pthread_mutex_unlock(&w->mu);
    }
    store_close(s);
    return NULL;
}

struct media_worker *media_worker_start(struct site *site, const char *db_path,
                                        const char *theme_dir)
{
    struct media_worker *w = mh_calloc(1, sizeof(*w));
    w->site = site;
    w->db_path = mh_strdup(db_path);
    w->theme_dir = mh_strdup(theme_dir);
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->wake, NULL);
    if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
        log_error("images: cannot start the derivative thread");
        pthread_cond_destroy(&w->wake);
        pthread_mutex_destroy(&w->mu);
        free(w->db_path);
        free(w->theme_dir);
        free(w);
        return NULL;
    }
    return w;
}

void media_worker_stop(struct media_worker *w)
{
    if (w == NULL)
        return;
    pthread_mutex_lock(&w->mu);
    atomic_store(&w->stop, true);
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->wake);
    pthread_mutex_destroy(&w->mu);
    free(w->db_path);
    free(w->theme_dir);
    free(w);
}
