/* SPDX-License-Identifier: MIT */
/*
 * push.h - search-engine push: a background thread of `masthead serve` that
 * sends the URLs of published, changed and withdrawn articles to IndexNow
 * (a JSON POST per host, up to 10,000 URLs) and to Baidu's link submission
 * interface (text/plain, one URL per line, ?site=&token=), as masthead.conf
 * [push] says.  The URLs come from the queue in the store, which triggers
 * on article fill in the same transaction as the change
 * (migrations/005_push.sql), so publishing never waits for a search engine.
 *
 * A row leaves the queue only after every enabled target answered 2xx for
 * it; 429, 5xx and connection errors are retried with exponential backoff
 * (retry_min_ms doubling up to retry_max_ms), any other answer waits
 * retry_max_ms (a wrong key or token needs a person), and a restart
 * resumes from the queue.  Nothing is lost but nothing is sent twice on
 * purpose: a URL queued twice before a send goes out once.
 */
#ifndef MH_FEED_PUSH_H
#define MH_FEED_PUSH_H

#include "core/compat.h"

struct push;
struct site_conf;

/* Start the worker for CONF (copied) on the database at DB_PATH, with a
 * connection of its own.  *OUT is NULL, and nothing runs, when neither
 * target is on.  Call from the main thread before other threads use
 * libcurl.  Returns MH_OK, or MH_IO when libcurl cannot start. */
MH_MUST_CHECK int push_start(const struct site_conf *conf, const char *db_path,
                             struct push **out);

/* Stop the worker: a request in flight is abandoned (its URLs stay queued),
 * the thread is joined and everything freed.  NULL is a no-op. */
void push_stop(struct push *p);

#endif
