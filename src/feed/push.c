/* SPDX-License-Identifier: MIT */
/*
 * push.c - the search-engine push worker (feed/push.h): one thread, one
 * store connection, one libcurl easy handle per request.  Each round takes,
 * per target that is due, the oldest `batch` queued rows, sends those of one
 * base URL (one host) in one request, and on a 2xx clears the target's bit
 * on exactly those rows.  Backoff is per target, in memory: after a restart
 * a target is tried at once, which is what a restart is for.
 */
#include "core/compat.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "feed/feed.h"
#include "feed/push.h"
#include "render/escape.h"
#include "store/store.h"

#define POLL_MS 200               /* how often an idle worker looks at the queue */
#define CONNECT_TIMEOUT_MS 10000
#define REQUEST_TIMEOUT_MS 60000
#define ANSWER_KEEP 512           /* bytes of an answer kept for the log */

enum outcome { SENT, RETRY, REFUSED };

struct target {
    int bit;            /* STORE_PUSH_INDEXNOW, STORE_PUSH_BAIDU */
    const char *name;
    bool on;
    int failures;       /* in a row */
    uint64_t due_ns;    /* clock_mono_ns() when it may try again */
};

struct push {
    struct site_conf conf;
    char *db_path;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t wake;
    atomic_bool stop;
    struct target target[2];
    int enabled; /* bits of the targets that are on */
};

/* ------------------------------------------------------------------ */
/* One request                                                          */

static size_t keep_answer(char *data, size_t size, size_t n, void *arg)
{
    struct buf *b = arg;
    size_t len = size * n, room = b->max - b->len;
    buf_add(b, data, len < room ? len : room);
    return len;
}

static int abort_on_stop(void *arg, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
    struct push *p = arg;
    (void)a, (void)b, (void)c, (void)d;
    return atomic_load(&p->stop) ? 1 : 0;
}

/* POST BODY of TYPE to URL; classify the answer. */
static enum outcome post(struct push *p, const struct target *t, const char *url,
                         const char *type, struct str body, size_t n_urls, long *status)
{
    CURL *h = curl_easy_init();
    struct curl_slist *headers = NULL;
    struct buf answer;
    char type_header[128], why[CURL_ERROR_SIZE] = "";
    enum outcome out = RETRY;
    *status = 0;
    if (h == NULL) {
        log_error("push: %s: cannot make a libcurl handle", t->name);
        return RETRY;
    }
    buf_init(&answer, NULL, ANSWER_KEEP);
    snprintf(type_header, sizeof(type_header), "Content-Type: %s", type);
    headers = curl_slist_append(headers, type_header);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.ptr);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body.len);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "Masthead/" MH_VERSION);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)CONNECT_TIMEOUT_MS);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)REQUEST_TIMEOUT_MS);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, keep_answer);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &answer);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, abort_on_stop);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, p);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, why);
    CURLcode cc = curl_easy_perform(h);
    if (cc != CURLE_OK) {
        if (!atomic_load(&p->stop))
            log_error("push: %s: %s: %s", t->name, url, why[0] ? why : curl_easy_strerror(cc));
    } else {
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
        struct str a = buf_str(&answer);
        if (*status >= 200 && *status < 300) {
            out = SENT;
            log_info("push: %s took %zu URL%s (%ld)", t->name, n_urls, n_urls == 1 ? "" : "s",
                     *status);
        } else {
            out = *status == 429 || *status >= 500 ? RETRY : REFUSED;
            log_error("push: %s answered %ld for %zu URL%s: %.*s", t->name, *status, n_urls,
                      n_urls == 1 ? "" : "s", (int)a.len, a.ptr ? a.ptr : "");
        }
    }
    buf_release(&answer);
    curl_slist_free_all(headers);
    curl_easy_cleanup(h);
    return out;
}

/* ------------------------------------------------------------------ */
/* Building a request                                                   */

struct url_item {
    int64_t article_id;
    struct str url;
};

static int by_article(const void *a, const void *b)
{
    const struct url_item *x = a, *y = b;
    return x->article_id < y->article_id ? -1 : x->article_id > y->article_id;
}

/* "https://news.example.org/x" -> "news.example.org" */
static struct str host_of(struct str base)
{
    const char *p = memchr(base.ptr, ':', base.len);
    if (p == NULL || (size_t)(base.ptr + base.len - p) < 3 || p[1] != '/' || p[2] != '/')
        return base;
    p += 3;
    const char *end = base.ptr + base.len, *slash = memchr(p, '/', (size_t)(end - p));
    return str_make(p, (size_t)((slash ? slash : end) - p));
}

/* Baidu names a site by host, with the scheme only for https. */
static struct str baidu_site(struct str base)
{
    struct str host = host_of(base);
    if (str_starts(base, "https://"))
        return str_make(base.ptr, (size_t)(host.ptr + host.len - base.ptr));
    return host;
}

static enum outcome send_group(struct push *p, struct target *t, struct arena *a,
                               struct str base, struct url_item *urls, size_t n, long *status)
{
    struct buf body, url;
    buf_init(&body, a, (size_t)n * 4200 + 4096);
    buf_init(&url, a, 8192);
    if (t->bit == STORE_PUSH_INDEXNOW) {
        buf_adds(&url, p->conf.indexnow_endpoint);
        buf_adds(&body, "{\"host\":");
        escape_json(&body, host_of(base), false);
        buf_adds(&body, ",\"key\":");
        escape_json(&body, str_c(p->conf.indexnow_key), false);
        buf_adds(&body, ",\"keyLocation\":");
        struct buf loc;
        buf_init(&loc, a, 4096);
        buf_addstr(&loc, base);
        buf_addf(&loc, "/%s.txt", p->conf.indexnow_key);
        escape_json(&body, buf_str(&loc), false);
        buf_adds(&body, ",\"urlList\":[");
        for (size_t i = 0; i < n; i++) {
            if (i)
                buf_addc(&body, ',');
            escape_json(&body, urls[i].url, false);
        }
        buf_adds(&body, "]}");
    } else {
        buf_adds(&url, p->conf.baidu_endpoint);
        buf_adds(&url, strchr(p->conf.baidu_endpoint, '?') ? "&site=" : "?site=");
        escape_url_component(&url, baidu_site(base));
        buf_adds(&url, "&token=");
        escape_url_component(&url, str_c(p->conf.baidu_token));
        for (size_t i = 0; i < n; i++) {
            buf_addstr(&body, urls[i].url);
            buf_addc(&body, '\n');
        }
    }
    struct str b, u;
    if (buf_finish(&body, &b) || buf_finish(&url, &u)) {
        log_error("push: %s: a request would be too large", t->name);
        return REFUSED;
    }
    return post(p, t, u.ptr,
                t->bit == STORE_PUSH_INDEXNOW ? "application/json; charset=utf-8"
                                              : "text/plain",
                b, n, status);
}

/* One round for target T: true when it sent something (look again soon). */
static bool round_for(struct push *p, struct target *t, struct store *s, struct arena *a)
{
    struct push_item *items;
    size_t n;
    arena_reset(a);
    if (store_push_pending(s, a, t->bit, p->conf.push_batch, &items, &n) != MH_OK) {
        log_error("push: cannot read the queue: %s", store_errmsg(s));
        return false;
    }
    if (n == 0)
        return false;
    /* the rows of the first row's base URL: one host, one request */
    struct str base = items[0].base_url;
    int64_t *ids = arena_alloc(a, n * sizeof(*ids));
    struct url_item *urls = arena_alloc(a, n * sizeof(*urls));
    size_t k = 0, u = 0;
    for (size_t i = 0; i < n; i++) {
        if (!str_eq(items[i].base_url, base))
            continue;
        ids[k++] = items[i].id;
        urls[u].article_id = items[i].article_id;
        struct str path = feed_article_path(a, items[i].edition, items[i].tz,
                                            items[i].published_at, items[i].article_id);
        struct buf full;
        buf_init(&full, a, base.len + path.len + 1);
        buf_addstr(&full, base);
        buf_addstr(&full, path);
        urls[u++].url = buf_str(&full);
    }
    /* a URL queued several times (publish, then two edits) goes once */
    qsort(urls, u, sizeof(*urls), by_article);
    size_t w = 0;
    for (size_t i = 0; i < u; i++)
        if (w == 0 || urls[w - 1].article_id != urls[i].article_id)
            urls[w++] = urls[i];
    long status;
    enum outcome o = send_group(p, t, a, base, urls, w, &status);
    if (o == SENT) {
        t->failures = 0;
        if (store_push_done(s, t->bit, ids, k, p->enabled) != MH_OK) {
            log_error("push: %s took the URLs but the queue could not be updated (%s); they "
                      "will be sent again", t->name, store_errmsg(s));
            return false;
        }
        return true;
    }
    if (atomic_load(&p->stop))
        return false;
    int64_t delay = p->conf.push_retry_max_ms;
    if (o == RETRY) {
        delay = p->conf.push_retry_min_ms;
        for (int i = 0; i < t->failures && delay < p->conf.push_retry_max_ms; i++)
            delay *= 2;
        if (delay > p->conf.push_retry_max_ms)
            delay = p->conf.push_retry_max_ms;
    }
    t->failures++;
    t->due_ns = clock_mono_ns() + (uint64_t)delay * 1000000u;
    log_info("push: %s: %zu URL%s stay queued; next try in %lld ms", t->name, w,
             w == 1 ? "" : "s", (long long)delay);
    return false;
}

static void *push_main(void *arg)
{
    struct push *p = arg;
    struct store *s;
    struct arena a;
    char err[512];
    if (store_open(p->db_path, false, false, &s, err, sizeof(err)) != MH_OK) {
        log_error("push: search engines will not be told of changes: %s", err);
        return NULL;
    }
    arena_init(&a, 0);
    while (!atomic_load(&p->stop)) {
        bool busy = false;
        uint64_t now = clock_mono_ns();
        for (size_t i = 0; i < MH_ARRAY_LEN(p->target); i++) {
            struct target *t = &p->target[i];
            if (t->on && now >= t->due_ns && !atomic_load(&p->stop))
                busy |= round_for(p, t, s, &a);
        }
        if (busy)
            continue;
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += POLL_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_mutex_lock(&p->mu);
        if (!atomic_load(&p->stop))
            pthread_cond_timedwait(&p->wake, &p->mu, &until);
        pthread_mutex_unlock(&p->mu);
    }
    arena_release(&a);
    store_close(s);
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Start and stop                                                       */

int push_start(const struct site_conf *conf, const char *db_path, struct push **out)
{
    *out = NULL;
    if (!conf->push_indexnow && !conf->push_baidu)
        return MH_OK;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        log_error("push: libcurl cannot start");
        return MH_IO;
    }
    struct push *p = mh_calloc(1, sizeof(*p));
    p->conf = *conf;
    p->db_path = mh_strdup(db_path);
    p->target[0] = (struct target){STORE_PUSH_INDEXNOW, "IndexNow", conf->push_indexnow, 0, 0};
    p->target[1] = (struct target){STORE_PUSH_BAIDU, "Baidu", conf->push_baidu, 0, 0};
    p->enabled = (conf->push_indexnow ? STORE_PUSH_INDEXNOW : 0) |
                 (conf->push_baidu ? STORE_PUSH_BAIDU : 0);
    atomic_init(&p->stop, false);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->wake, NULL);
    if (pthread_create(&p->thread, NULL, push_main, p) != 0)
        MH_BUG("cannot start the push thread");
    *out = p;
    return MH_OK;
}

void push_stop(struct push *p)
{
    if (p == NULL)
        return;
    pthread_mutex_lock(&p->mu);
    atomic_store(&p->stop, true);
    pthread_cond_signal(&p->wake);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->thread, NULL);
    pthread_cond_destroy(&p->wake);
    pthread_mutex_destroy(&p->mu);
    free(p->db_path);
    free(p);
    curl_global_cleanup();
}
