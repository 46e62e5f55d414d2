/* SPDX-License-Identifier: MIT */
/*
 * scheduler.c - scheduled articles go live at their minute, not on the next
 * page view.  newsroom_publish_due() publishes whatever is due (also what a
 * restart made us miss); the scheduler thread calls it at each minute
 * boundary and at the next scheduled time, on its own connection, so the
 * page cache (which watches SQLite's data_version) sees the change at once.
 * A schedule made by another connection is noticed within a second: the
 * thread polls data_version, which costs no I/O.
 */
#include "core/compat.h"

#include <errno.h>
#include <pthread.h>
#include <time.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "newsroom/newsroom.h"
#include "newsroom/newsroom_int.h"
#include "store/store.h"

#define POLL_MS 1000
#define MINUTE_MS 60000

/* Publish article ID if it is still scheduled and due. */
static int publish_one(struct newsroom_ctx *nr, struct arena *arena, int64_t id, int64_t now,
                       bool *done)
{
    char obj[48];
    struct article a;
    *done = false;
    int rc = store_begin(nr->store);
    if (rc)
        return rc;
    rc = store_article_get(nr->store, arena, id, &a);
    if (rc == MH_OK && (a.status != ARTICLE_SCHEDULED || a.scheduled_at > now)) {
        store_rollback(nr->store); /* unscheduled meanwhile */
        return MH_OK;
    }
    if (rc == MH_OK) {
        int64_t due = a.scheduled_at;
        a.status = ARTICLE_PUBLISHED;
        if (a.first_published_at == 0)
            a.first_published_at = due; /* the minute it was meant for */
        a.last_published_at = due;
        a.scheduled_at = 0;
        a.updated_at = now;
        rc = store_article_set_status(nr->store, &a, 0);
        if (rc == MH_OK)
            rc = nr_audit(nr, "article.publish", nr_object(obj, sizeof(obj), "article", id),
                          "scheduled -> published (due %lld, %lld s late)", (long long)due,
                          (long long)((now - due) / 1000));
    }
    if (rc) {
        store_rollback(nr->store);
        return rc;
    }
    rc = store_commit(nr->store);
    *done = rc == MH_OK;
    return rc;
}

int newsroom_publish_due(struct store *s, int64_t now, int *published)
{
    struct newsroom_ctx nr;
    struct arena arena;
    int count = 0, rc;
    newsroom_ctx_init(&nr, s, NULL);
    newsroom_ctx_system(&nr, "scheduler");
    arena_init(&arena, 0);
    for (;;) { /* at most 100 ids a query: loop until none is due */
        int64_t *ids;
        size_t n;
        arena_reset(&arena);
        rc = store_scheduled_due(s, &arena, now, &ids, &n);
        if (rc || n == 0)
            break;
        int before = count;
        for (size_t i = 0; i < n && rc == MH_OK; i++) {
            bool done;
            rc = publish_one(&nr, &arena, ids[i], now, &done);
            count += done;
        }
        if (rc || count == before)
            break;
    }
    arena_release(&arena);
    if (published)
        *published = count;
    return rc;
}

int newsroom_next_due(struct store *s, int64_t *at)
{
    return store_scheduled_next(s, at);
}

/* ------------------------------------------------------------------ */
/* The thread                                                           */

struct newsroom_scheduler {
    struct store *store;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t wake;
    bool stop, poked;
};

static void ms_to_timespec(int64_t ms, struct timespec *ts)
{
    ts->tv_sec = (time_t)(ms / 1000);
    ts->tv_nsec = (long)(ms % 1000) * 1000000L;
}

static int64_t realtime_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void run_once(struct newsroom_scheduler *sch, int64_t *next_due)
{
    int published = 0;
    int rc = newsroom_publish_due(sch->store, clock_now_ms(), &published);
    if (rc)
        log_error("scheduler: cannot publish due articles: %s", mh_strerror(rc));
    else if (published)
        log_info("scheduler: published %d scheduled article%s", published,
                 published == 1 ? "" : "s");
    if (newsroom_next_due(sch->store, next_due) != MH_OK)
        *next_due = 0;
}

static void *scheduler_main(void *arg)
{
    struct newsroom_scheduler *sch = arg;
    int64_t next_due = 0, seen = 0, version;
    run_once(sch, &next_due); /* catch up with what was due while we were down */
    if (store_data_version(sch->store, &seen) != MH_OK)
        seen = 0;
    pthread_mutex_lock(&sch->mu);
    while (!sch->stop) {
        int64_t now = clock_now_ms();
        int64_t wake_at = (now / MINUTE_MS + 1) * MINUTE_MS; /* the next minute boundary */
        if (next_due && next_due < wake_at)
            wake_at = next_due;
        if (wake_at > now + POLL_MS)
            wake_at = now + POLL_MS;
        /* the condition variable waits on the real clock, even when MH_NOW_MS
         * freezes the wall clock for tests */
        struct timespec until;
        ms_to_timespec(realtime_ms() + (wake_at > now ? wake_at - now : 0), &until);
        while (!sch->stop && !sch->poked) {
            if (pthread_cond_timedwait(&sch->wake, &sch->mu, &until) == ETIMEDOUT)
                break;
        }
        if (sch->stop)
            break;
        bool poked = sch->poked;
        sch->poked = false;
        pthread_mutex_unlock(&sch->mu);

        now = clock_now_ms();
        bool changed = store_data_version(sch->store, &version) == MH_OK && version != seen;
        if (poked || changed || (next_due && next_due <= now) || now % MINUTE_MS < POLL_MS) {
            run_once(sch, &next_due);
            if (store_data_version(sch->store, &seen) != MH_OK)
                seen = 0;
        }
        pthread_mutex_lock(&sch->mu);
    }
    pthread_mutex_unlock(&sch->mu);
    return NULL;
}

int newsroom_scheduler_start(const char *db_path, struct newsroom_scheduler **out)
{
    char err[256];
    struct newsroom_scheduler *sch = mh_calloc(1, sizeof(*sch));
    int rc = store_open(db_path, false, false, &sch->store, err, sizeof(err));
    if (rc) {
        log_error("scheduler: cannot open '%s': %s", db_path, err);
        free(sch);
        return rc;
    }
    pthread_mutex_init(&sch->mu, NULL);
    pthread_cond_init(&sch->wake, NULL);
    if (pthread_create(&sch->thread, NULL, scheduler_main, sch) != 0) {
        log_error("scheduler: cannot start its thread");
        pthread_cond_destroy(&sch->wake);
        pthread_mutex_destroy(&sch->mu);
        store_close(sch->store);
        free(sch);
        return MH_IO;
    }
    *out = sch;
    return MH_OK;
}

void newsroom_scheduler_wake(struct newsroom_scheduler *sch)
{
    if (sch == NULL)
        return;
    pthread_mutex_lock(&sch->mu);
    sch->poked = true;
    pthread_cond_signal(&sch->wake);
    pthread_mutex_unlock(&sch->mu);
}

void newsroom_scheduler_stop(struct newsroom_scheduler *sch)
{
    if (sch == NULL)
        return;
    pthread_mutex_lock(&sch->mu);
    sch->stop = true;
    pthread_cond_signal(&sch->wake);
    pthread_mutex_unlock(&sch->mu);
    pthread_join(sch->thread, NULL);
    pthread_cond_destroy(&sch->wake);
    pthread_mutex_destroy(&sch->mu);
    store_close(sch->store);
    free(sch);
}
