/* SPDX-License-Identifier: MIT */
/*
 * store.h - everything a newsroom stores, behind one interface: a site folder
 * (masthead.conf, masthead.db, media/) and the database in it.  The first
 * backend is SQLite; no backend type or SQL text appears above store/.
 *
 * A struct store is one connection: use it from one thread at a time.
 * Loaders copy every string into the caller's arena before returning, so
 * results outlive the next call.  Functions return MH_OK or an enum mh_err;
 * MH_DB and MH_IO failures are logged here, where the SQL is known.
 */
#ifndef MH_STORE_STORE_H
#define MH_STORE_STORE_H

#include "core/compat.h"
#include "core/str.h"
#include "model/model.h"

struct arena;
struct store;

/* ------------------------------------------------------------------ */
/* The site folder                                                      */

#define STORE_DB_FILE "masthead.db"
#define STORE_CONF_FILE "masthead.conf"
#define STORE_MEDIA_DIR "media"

enum access_log_format { ACCESS_LOG_COMBINED, ACCESS_LOG_JSON, ACCESS_LOG_OFF };

/* masthead.conf, parsed.  Every field has a default. */
struct site_conf {
    char name[256];            /* [site] name */
    char default_edition[64];  /* [site] default_edition */
    char listen[128];          /* [serve] listen, "127.0.0.1:8080" */
    int threads;               /* [serve] threads; 0 = one per core */
    int cache_mb;              /* [serve] cache_mb */
    enum access_log_format access_log; /* [serve] access_log */
    bool feed_full_text;       /* [feeds] full_text: whole articles in RSS and Atom */
    /* [push]: search-engine push (feed/push.h); both targets are off by default */
    bool push_indexnow, push_baidu;  /* indexnow, baidu: on or off */
    char indexnow_endpoint[512];     /* indexnow_endpoint */
    char indexnow_key[129];          /* indexnow_key: 8-128 of [A-Za-z0-9-], served at /KEY.txt */
    char baidu_endpoint[512];        /* baidu_endpoint */
    char baidu_token[129];           /* baidu_token */
    int push_batch;                  /* batch: URLs per request, 1 to 10,000 */
    int push_retry_min_ms;           /* retry_min_ms: first backoff after a failure */
    int push_retry_max_ms;           /* retry_max_ms: the longest backoff */
    int image_max_mb;          /* [images] max_mb: largest image file accepted */
    int image_max_megapixels;  /* [images] max_megapixels: width x height, from the header */
};

struct site {
    char *dir; /* the folder, as given */
    struct site_conf conf;
    struct store *store;
};

/* Create a new site in DIR (absent or empty): folder, masthead.conf,
 * media/, and a database with the standard editions and channel trees.
 * MH_CONFLICT when DIR holds anything; messages go to ERRBUF. */
MH_MUST_CHECK int site_init(const char *dir, char *errbuf, size_t errlen);

/* Open the site in DIR, migrating an older database.  MH_NOTFOUND when DIR
 * is not a site, MH_CONFLICT when a newer Masthead made it, MH_INVAL for a
 * bad masthead.conf, MH_DB/MH_IO otherwise; the reason is in ERRBUF.
 * READONLY opens the database without write access. Caller frees with
 * site_close(). */
MH_MUST_CHECK int site_open(const char *dir, bool readonly, struct site **out, char *errbuf,
                            size_t errlen);
void site_close(struct site *site);

/* Parse masthead.conf text into *CONF (defaults first). */
MH_MUST_CHECK int site_conf_parse(struct str text, struct site_conf *conf, char *errbuf,
                                  size_t errlen);
void site_conf_defaults(struct site_conf *conf);

/* Absolute path of a media file (PATH relative to the site folder), or the
 * site's media folder when PATH is empty: "DIR/media/ab/abcd.png".  Lives in
 * ARENA (heap when NULL). */
char *site_path(const struct site *site, struct arena *arena, struct str path);

/* ------------------------------------------------------------------ */
/* Connection and transactions                                          */

/* Open (creating when CREATE) the database file PATH, apply migrations,
 * turn on WAL and foreign keys.  Errors as site_open(). */
MH_MUST_CHECK int store_open(const char *path, bool create, bool readonly, struct store **out,
                             char *errbuf, size_t errlen);
void store_close(struct store *s);

/* The schema version this binary writes, and the one in the open database. */
int store_schema_version(void);
int store_db_version(struct store *s);

MH_MUST_CHECK int store_begin(struct store *s);
MH_MUST_CHECK int store_commit(struct store *s);
/* Roll back the open transaction; a no-op when none is open. */
void store_rollback(struct store *s);

/* A read transaction: every read until store_read_end() sees one snapshot
 * of the database, and the locks are taken once rather than once per
 * statement (the static publisher renders thousands of pages in one).
 * Not inside another transaction; writes in it fail. */
MH_MUST_CHECK int store_read_begin(struct store *s);
void store_read_end(struct store *s);

/* A number that changes whenever another connection (another thread or
 * process) commits to the database: a cheap "has anything changed?". */
MH_MUST_CHECK int store_data_version(struct store *s, int64_t *out);

/* The last database error message, for reports ("disk is full"). */
const char *store_errmsg(struct store *s);

/* ------------------------------------------------------------------ */
/* Editions and channels                                                */

/* Insert or replace an edition by slug. */
MH_MUST_CHECK int store_edition_put(struct store *s, const struct edition *e);
MH_MUST_CHECK int store_edition_get(struct store *s, struct arena *arena, struct str slug,
                                    struct edition *out);
/* All editions by position. */
MH_MUST_CHECK int store_editions(struct store *s, struct arena *arena, struct edition **out,
                                 size_t *n);

/* Insert a channel, or update it when (edition, slug) exists; sets c->id. */
MH_MUST_CHECK int store_channel_put(struct store *s, struct channel *c);
MH_MUST_CHECK int store_channel_get(struct store *s, struct arena *arena, struct str edition,
                                    struct str slug, struct channel *out);
/* The channels of EDITION, parents before children, by position. */
MH_MUST_CHECK int store_channels(struct store *s, struct arena *arena, struct str edition,
                                 struct channel **out, size_t *n);

/* ------------------------------------------------------------------ */
/* Articles                                                             */

#define STORE_HASH_LEN 32

/* A digest of what an article says (every interchange field, images by
 * content address), used to tell a re-import from a conflicting one. */
void store_article_hash(const struct article *a, unsigned char out[STORE_HASH_LEN]);

/* Insert A as a new article.  A->id 0 takes the next free id; a given id
 * must be unused (MH_CONFLICT otherwise).  A->channel must name a channel
 * of A->edition (MH_NOTFOUND).  Images must already be in the media library
 * (media_id set).  Sets a->id. */
MH_MUST_CHECK int store_article_insert(struct store *s, struct article *a);

/* Replace article A->id with A, keeping the previous version as a revision
 * (saved by BY with NOTE).  A->revision must equal the stored revision
 * (MH_CONFLICT when stale); on success it is incremented. */
MH_MUST_CHECK int store_article_update(struct store *s, struct article *a, struct str by,
                                       struct str note);

/* Load article ID with its images.  MH_NOTFOUND when absent. */
MH_MUST_CHECK int store_article_get(struct store *s, struct arena *arena, int64_t id,
                                    struct article *out);

/* The stored content hash of article ID: MH_NOTFOUND when there is none. */
MH_MUST_CHECK int store_article_hash_get(struct store *s, int64_t id,
                                         unsigned char out[STORE_HASH_LEN]);

/* Call FN for every article (of EDITION, or all when empty), by id.  Each
 * article's strings live in a scratch arena reset between calls.  FN
 * returning non-zero stops the walk with that rc. */
typedef int store_article_fn(void *ctx, const struct article *a);
MH_MUST_CHECK int store_article_each(struct store *s, struct str edition, store_article_fn *fn,
                                     void *ctx);

/* Number of articles (of EDITION, or all when empty). */
MH_MUST_CHECK int store_article_count(struct store *s, struct str edition, int64_t *out);

/* ------------------------------------------------------------------ */
/* Lists of published articles, as front and channel pages show them     */

/* What a list shows of an article. */
struct article_card {
    int64_t id;
    struct str edition, channel; /* slugs */
    struct str title, abstract;
    int64_t published_at;        /* first publication: fixes the URL */
    struct article_image lead;   /* lead.path is empty when there is none */
    int64_t views;               /* store_cards_most_read only */
};

/* Published articles of EDITION (and of CHANNEL, unless it is empty), the
 * newest first, from OFFSET, at most LIMIT.  Strings live in ARENA. */
MH_MUST_CHECK int store_cards_latest(struct store *s, struct arena *arena, struct str edition,
                                     struct str channel, int64_t offset, int limit,
                                     struct article_card **out, size_t *n);
/* How many articles store_cards_latest can page through. */
MH_MUST_CHECK int store_cards_count(struct store *s, struct str edition, struct str channel,
                                    int64_t *out);
/* The most-read list of EDITION as last drawn by store_rankings_refresh(),
 * most viewed first, at most LIMIT, without articles withdrawn since. */
MH_MUST_CHECK int store_cards_most_read(struct store *s, struct arena *arena, struct str edition,
                                        int limit, struct article_card **out, size_t *n);
/* Redraw the most-read list of every edition: its PER_EDITION published
 * articles with the most views since SINCE_HOUR (epoch ms / 3600000). */
MH_MUST_CHECK int store_rankings_refresh(struct store *s, int64_t since_hour, int per_edition);
/* The card of published article ID: MH_NOTFOUND when it is not published. */
MH_MUST_CHECK int store_card_get(struct store *s, struct arena *arena, int64_t id,
                                 struct article_card *out);

/* Up to LIMIT published articles of EDITION related to article ID: those
 * sharing the most keywords with it first, then its CHANNEL_ID's, then the
 * newest.  Articles sharing no keyword are not listed.  Only the 100 newest
 * articles holding each keyword (by id) are candidates, and the 12 of them
 * sharing the most are read, so the cost does not grow with the archive. */
MH_MUST_CHECK int store_cards_related(struct store *s, struct arena *arena, int64_t id,
                                      struct str edition, int64_t channel_id, int limit,
                                      struct article_card **out, size_t *n);
/* Keyword K as the related lists match it, into OUT (K.len bytes): ASCII
 * lower case, as SQLite's lower() (migration 002 filled the index with it).
 * False for a keyword the index never holds (empty, or over MH_MAX_FIELD). */
bool store_keyword_key(struct str k, char *out, size_t cap);
/* The keywords of article ID as the related lists match them
 * (store_keyword_key), in ARENA. */
MH_MUST_CHECK int store_article_keywords(struct store *s, struct arena *arena, int64_t id,
                                         struct str **out, size_t *n);
/* Every article holding keyword KEYWORD (as the related lists match it:
 * ASCII case folded), in any edition and state: the articles whose related
 * lists a change of one holder can reach. */
MH_MUST_CHECK int store_keyword_holders(struct store *s, struct arena *arena, struct str keyword,
                                        int64_t **out, size_t *n);
/* The published translations of article ID (whose own original is
 * TRANSLATION_OF, or 0): the original, and every other translation of it. */
MH_MUST_CHECK int store_cards_translations(struct store *s, struct arena *arena, int64_t id,
                                           int64_t translation_of, struct article_card **out,
                                           size_t *n);

/* ------------------------------------------------------------------ */
/* What changed, for caches and the static publisher (changes.c)        */

/*
 * Triggers (migrations/002_changes.sql) append a row to the change log in
 * the same transaction as every change a reader could see; a consumer keeps
 * the last seq it has handled and asks for the ones after it.
 */
enum store_change_kind {
    STORE_CHANGE_ARTICLE, /* a visible article: edition, article_id, channel_id */
    STORE_CHANGE_CHROME,  /* Top News, links or channels of edition ("": all) */
    STORE_CHANGE_SITE     /* editions or shared media: everything */
};

struct store_change {
    int64_t seq, at; /* at: ms */
    enum store_change_kind kind;
    struct str edition;            /* empty: every edition */
    int64_t article_id, channel_id; /* 0 when not set */
};

/* The newest seq ever given (0 when none); it never goes back, not even
 * when old rows are pruned. */
MH_MUST_CHECK int store_change_seq(struct store *s, int64_t *out);
/* Call FN for each change after seq AFTER, oldest first, at most MAX;
 * *LAST is the seq of the last one given (AFTER when none).  Strings are
 * valid during the call only.  MH_GONE when rows after AFTER were pruned
 * already: the consumer must start over from everything. */
typedef int store_change_fn(void *ctx, const struct store_change *c);
MH_MUST_CHECK int store_changes_since(struct store *s, int64_t after, int max,
                                      store_change_fn *fn, void *ctx, int64_t *last);
/* Forget changes older than BEFORE (ms). */
MH_MUST_CHECK int store_changes_prune(struct store *s, int64_t before);

/* ------------------------------------------------------------------ */
/* Search (search_sqlite.c; docs/internals/search.md)                    */

struct search_query;

#define STORE_SEARCH_MAX_RESULTS 1000 /* deepest result a search pages to */
#define STORE_SEARCH_EXACT_MAX 2000   /* totals beyond this are estimates */

/* What to look for.  Q must have included terms (q->n_include > 0). */
struct store_search_params {
    const struct search_query *q;
    struct str edition;            /* required */
    struct str channel;            /* slug; its sub-channels count too; empty: any */
    struct str author, keyword;    /* whole names, folded; empty: any */
    int64_t from_ms, to_ms;        /* first publication in [from, to]; 0: open */
    bool by_date;                  /* newest first instead of relevance */
    int64_t offset;                /* offset + limit <= STORE_SEARCH_MAX_RESULTS */
    int limit;
};

/* One result: the article's fields a result list and a snippet need. */
struct store_search_hit {
    int64_t id;
    struct str edition, channel, channel_name; /* slugs, and the channel's menu name */
    struct str title, abstract, body;
    enum body_format body_format;
    int64_t published_at; /* first publication */
    double score;         /* relevance blended with freshness; 0 by date */
};

/*
 * Published articles of P->edition matching P->q, best first (BM25 with
 * field weights, times freshness) or newest first, from P->offset, at most
 * P->limit, into *HITS (in ARENA).  *TOTAL is the number of matches: exact
 * below STORE_SEARCH_EXACT_MAX, else estimated from the publication dates of
 * the newest STORE_SEARCH_EXACT_MAX.
 * A channel P->channel that does not exist matches nothing.  MH_INVAL for
 * bad parameters.  Reads only: no transaction needed.
 */
MH_MUST_CHECK int store_search(struct store *s, struct arena *arena,
                               const struct store_search_params *p,
                               struct store_search_hit **hits, size_t *n, int64_t *total);

/* Up to LIMIT published titles of EDITION whose words begin with the words
 * of PREFIX (the last one as a prefix of at least 3 letters), newest first:
 * search-as-you-type.  Only id, edition, title and published_at are set. */
MH_MUST_CHECK int store_search_suggest(struct store *s, struct arena *arena, struct str edition,
                                       struct str prefix, int limit,
                                       struct store_search_hit **hits, size_t *n);

/* Rebuild the whole index from the published articles, in one transaction;
 * *N is how many were indexed. */
MH_MUST_CHECK int store_search_reindex(struct store *s, int64_t *n);

/* ------------------------------------------------------------------ */
/* Media library                                                        */

/* The media row with content address SHA256 (hex): MH_NOTFOUND if none. */
MH_MUST_CHECK int store_media_by_sha(struct store *s, struct arena *arena, struct str sha256,
                                     struct media *out);
/* Insert M (unique by sha256); sets m->id. */
MH_MUST_CHECK int store_media_insert(struct store *s, struct media *m);
/* Call FN for each media row by id. */
typedef int store_media_fn(void *ctx, const struct media *m);
MH_MUST_CHECK int store_media_each(struct store *s, store_media_fn *fn, void *ctx);

/* ------------------------------------------------------------------ */
/* Images: the media library's search and derivatives (image.c)         */

/* Media row ID: MH_NOTFOUND if none.  Strings live in ARENA. */
MH_MUST_CHECK int store_media_get(struct store *s, struct arena *arena, int64_t id,
                                  struct media *out);
/* Set the caption, credit, alt text and focal point of media row M->id
 * (MH_NOTFOUND if none).  A moved focal point makes its derivatives due
 * again (store_media_pending lists it). */
MH_MUST_CHECK int store_media_set_meta(struct store *s, const struct media *m);

/* What the newsroom's media library asks for: images whose caption, credit
 * or alt text holds TEXT (case-insensitive for ASCII; empty: any), created
 * in [FROM, UNTIL) (ms; 0 for open ends), newest first, LIMIT (1..200) from
 * OFFSET. */
struct media_query {
    struct str text;
    int64_t from, until;
    int64_t offset;
    int limit;
};
/* *OUT (in ARENA) holds one page, *TOTAL every match.  MH_INVAL for a bad
 * LIMIT or OFFSET. */
MH_MUST_CHECK int store_media_find(struct store *s, struct arena *arena,
                                   const struct media_query *q, struct media **out, size_t *n,
                                   int64_t *total);

/* One derivative file of an image (migrations/006_images.sql). */
struct image_derivative {
    int64_t media_id;
    struct str variant; /* a crop of the theme ("lead", "thumb"), or "w": width only */
    int width, height;  /* of the file */
    struct str format;  /* "jpg" or "webp" */
    int crop_x, crop_y, crop_w, crop_h; /* the rectangle of the original it shows */
    struct str path;    /* relative to the site folder */
    int64_t bytes;
};

/* Images not yet made for SPEC (the digest of what the theme asks), with id
 * over AFTER_ID, by id, at most LIMIT. */
MH_MUST_CHECK int store_media_pending(struct store *s, struct arena *arena, struct str spec,
                                      int64_t after_id, int limit, struct media **out,
                                      size_t *n);
/* Replace the derivatives of MEDIA_ID with D[0..N) and mark it made for
 * SPEC (with ERROR, "" when it was made) and for no other, in one
 * transaction. */
MH_MUST_CHECK int store_derivatives_put(struct store *s, int64_t media_id, struct str spec,
                                        const struct image_derivative *d, size_t n,
                                        struct str error);
/* The derivatives of MEDIA_ID by variant, widest first, jpg before webp. */
MH_MUST_CHECK int store_derivatives_get(struct store *s, struct arena *arena, int64_t media_id,
                                        struct image_derivative **out, size_t *n);

/* ------------------------------------------------------------------ */
/* Users                                                                */

/* Add user U with the argon2id string HASH; MH_CONFLICT when the login is
 * taken.  Sets u->id. */
MH_MUST_CHECK int store_user_add(struct store *s, struct user *u, const char *hash);
MH_MUST_CHECK int store_user_get(struct store *s, struct arena *arena, struct str login,
                                 struct user *out, char **hash_out);
MH_MUST_CHECK int store_user_set_password(struct store *s, struct str login, const char *hash);
MH_MUST_CHECK int store_users(struct store *s, struct arena *arena, struct user **out, size_t *n);

/* ------------------------------------------------------------------ */
/* Links, curation, page views, audit                                    */

/* Replace the group (edition, slug) and its links; sets g->id. */
MH_MUST_CHECK int store_link_group_put(struct store *s, struct link_group *g);
MH_MUST_CHECK int store_link_groups(struct store *s, struct arena *arena, struct str edition,
                                    struct link_group **out, size_t *n);

/* Replace the whole slot (edition, slot) with SLOTS in order. */
MH_MUST_CHECK int store_curation_set(struct store *s, struct str edition, struct str slot,
                                     const struct curation_slot *slots, size_t n);
MH_MUST_CHECK int store_curation_get(struct store *s, struct arena *arena, struct str edition,
                                     struct str slot, struct curation_slot **out, size_t *n);

/* Add COUNT views of ARTICLE in HOUR (epoch ms / 3600000). */
MH_MUST_CHECK int store_pageviews_add(struct store *s, int64_t article_id, int64_t hour,
                                      int64_t count);
MH_MUST_CHECK int store_pageviews_total(struct store *s, int64_t article_id, int64_t *out);

/* Append an audit entry: LOGIN did ACTION to OBJECT (DETAIL) from ADDRESS. */
MH_MUST_CHECK int store_audit(struct store *s, struct str login, struct str action,
                              struct str object, struct str detail, struct str address);

/* ------------------------------------------------------------------ */
/* Distribution: sitemaps and the search-engine push queue (issue 6)      */

/* One UTC calendar month of an edition's published articles (by first
 * publication), as the sitemap index lists them. */
struct sitemap_month {
    struct str edition;
    int year, month;
    int64_t count;   /* published articles */
    int64_t lastmod; /* the newest updated_at among them */
};
/* Every (edition, month) with published articles, by edition then month. */
MH_MUST_CHECK int store_sitemap_months(struct store *s, struct arena *arena,
                                       struct sitemap_month **out, size_t *n);

/* What a sitemap entry needs of an article. */
struct sitemap_url {
    int64_t id, published_at, updated_at;
};
/* Published articles of EDITION first published in [FROM, TO) (ms), oldest
 * first (ties by last change, then id), from OFFSET, at most LIMIT.  Lives in
 * ARENA. */
MH_MUST_CHECK int store_sitemap_urls(struct store *s, struct arena *arena, struct str edition,
                                     int64_t from, int64_t to, int64_t offset, int64_t limit,
                                     struct sitemap_url **out, size_t *n);

/* The targets of the push queue, as bits of push_queue.pending. */
#define STORE_PUSH_INDEXNOW 1
#define STORE_PUSH_BAIDU 2

/* A queued URL (migrations/005_push.sql: triggers on article fill the queue). */
struct push_item {
    int64_t id;            /* the queue row */
    int64_t article_id;
    int64_t published_at;  /* first publication: fixes the URL */
    struct str edition, base_url, tz, reason;
};
/* The oldest LIMIT rows TARGET has not accepted yet.  Lives in ARENA. */
MH_MUST_CHECK int store_push_pending(struct store *s, struct arena *arena, int target, int limit,
                                     struct push_item **out, size_t *n);
/* In one transaction: TARGET accepted rows IDS[0..N), and rows that no
 * target of ENABLED (a bit set) still needs are deleted. */
MH_MUST_CHECK int store_push_done(struct store *s, int target, const int64_t *ids, size_t n,
                                  int enabled);
/* Rows in the queue. */
MH_MUST_CHECK int store_push_count(struct store *s, int64_t *out);
/* Newsroom: ownership, workflow state, sessions, locks, autosaves,      */
/* revisions, lists and the audit log (issue 4; in newsroom_store.c).    */
/* The rules are newsroom/'s: these only read and write.                 */

/* Owner, status and revision of article ID (OWNER in ARENA; may be NULL). */
MH_MUST_CHECK int store_article_state(struct store *s, struct arena *arena, int64_t id,
                                      struct str *owner, enum article_status *status,
                                      int *revision);
/* Who saved the current version of ID, with which note, when (in ARENA). */
MH_MUST_CHECK int store_article_saved(struct store *s, struct arena *arena, int64_t id,
                                      struct str *by, struct str *note, int64_t *at);
/* Set the owner of ID, who also saved its current version with NOTE. */
MH_MUST_CHECK int store_article_owner_set(struct store *s, int64_t id, struct str owner,
                                          struct str note);
/* Write A's status, scheduled_at, first/last_published_at and updated_at
 * (and the content hash they change) without a new revision.  MH_CONFLICT
 * when REVISION > 0 and not the stored one; MH_NOTFOUND without the article. */
MH_MUST_CHECK int store_article_set_status(struct store *s, const struct article *a,
                                           int revision);
/* Delete article ID if it is a draft: MH_NOTFOUND otherwise. */
MH_MUST_CHECK int store_article_delete_draft(struct store *s, int64_t id);

struct store_article_filter {
    struct str edition, channel, status, owner, author, text;
    struct str viewer; /* non-empty: only VIEWER's own and published articles */
    int64_t offset;
    int limit;
};
struct store_article_row {
    int64_t id;
    struct str edition, channel, title, owner, authors; /* authors newline-joined */
    enum article_status status;
    int revision;
    int64_t updated_at, first_published_at, scheduled_at;
};
/* Rows matching F, most recently updated first; *TOTAL counts them all
 * (TOTAL may be NULL). */
MH_MUST_CHECK int store_article_list(struct store *s, struct arena *arena,
                                     const struct store_article_filter *f,
                                     struct store_article_row **out, size_t *n, int64_t *total);

/* Users by id, roles and the disabled flag. */
MH_MUST_CHECK int store_user_by_id(struct store *s, struct arena *arena, int64_t id,
                                   struct user *out, char **hash_out);
MH_MUST_CHECK int store_user_set_role(struct store *s, struct str login, enum user_role role);
MH_MUST_CHECK int store_user_set_disabled(struct store *s, struct str login, bool disabled);

/* Sessions by the hash of their token (STORE_HASH_LEN bytes). */
MH_MUST_CHECK int store_session_add(struct store *s, const unsigned char *hash, int64_t user_id,
                                    int64_t now, struct str address);
MH_MUST_CHECK int store_session_get(struct store *s, const unsigned char *hash, int64_t *user_id,
                                    int64_t *created_at, int64_t *seen_at);
MH_MUST_CHECK int store_session_touch(struct store *s, const unsigned char *hash, int64_t now);
MH_MUST_CHECK int store_session_delete(struct store *s, const unsigned char *hash);
/* Delete USER_ID's sessions but KEEP (a hash, or NULL); *N counts them. */
MH_MUST_CHECK int store_session_delete_user(struct store *s, int64_t user_id,
                                            const unsigned char *keep, int *n);
/* Delete sessions seen before IDLE_BEFORE or made before ABSOLUTE_BEFORE. */
MH_MUST_CHECK int store_session_purge(struct store *s, int64_t idle_before,
                                      int64_t absolute_before);

/* Failed sign-ins under KEY ("login:x", "addr:y"). */
MH_MUST_CHECK int store_signin_fail_add(struct store *s, struct str key, int64_t at);
/* Failures after SINCE: their number and the oldest time. */
MH_MUST_CHECK int store_signin_fail_count(struct store *s, struct str key, int64_t since,
                                          int *n, int64_t *oldest);
MH_MUST_CHECK int store_signin_fail_clear(struct store *s, struct str key);
MH_MUST_CHECK int store_signin_fail_purge(struct store *s, int64_t before);

/* Edit locks; strings in ARENA. */
struct store_lock {
    int64_t article_id;
    struct str login, display_name;
    int64_t since, expires_at;
};
MH_MUST_CHECK int store_lock_get(struct store *s, struct arena *arena, int64_t id,
                                 struct store_lock *out);
MH_MUST_CHECK int store_lock_put(struct store *s, const struct store_lock *l);
MH_MUST_CHECK int store_lock_delete(struct store *s, int64_t id, struct str login);

/* The autosave of (A->id, LOGIN): A's editable fields, A->revision as the
 * base.  Get fills OUT (revision = base, updated_at = when kept). */
MH_MUST_CHECK int store_autosave_put(struct store *s, const struct article *a, struct str login,
                                     int64_t now);
MH_MUST_CHECK int store_autosave_get(struct store *s, struct arena *arena, int64_t id,
                                     struct str login, struct article *out);
/* Delete the autosave of (ID, LOGIN), or every autosave of ID when LOGIN
 * is empty. */
MH_MUST_CHECK int store_autosave_delete(struct store *s, int64_t id, struct str login);

/* Earlier revisions of ID (the current version is the article itself). */
struct store_revision_info {
    int revision;
    int64_t saved_at;
    struct str saved_by, note;
};
MH_MUST_CHECK int store_revisions(struct store *s, struct arena *arena, int64_t id,
                                  struct store_revision_info **out, size_t *n);
/* The editable fields of ID at REVISION into OUT (the rest zero; images
 * resolved from the media library); MH_NOTFOUND when it is not kept. */
MH_MUST_CHECK int store_revision_get(struct store *s, struct arena *arena, int64_t id,
                                     int revision, struct article *out);

/* Scheduled articles due at NOW (at most 100 a call), and the next time. */
MH_MUST_CHECK int store_scheduled_due(struct store *s, struct arena *arena, int64_t now,
                                      int64_t **ids, size_t *n);
MH_MUST_CHECK int store_scheduled_next(struct store *s, int64_t *at);

/* The audit log, newest first. */
struct store_audit_entry {
    int64_t id, at;
    struct str login, action, object, detail, address;
};
MH_MUST_CHECK int store_audit_list(struct store *s, struct arena *arena, struct str login,
                                   struct str object, int64_t before_id, int limit,
                                   struct store_audit_entry **out, size_t *n);

/* Set channel ID (of EDITION) to POSITION: MH_NOTFOUND when no such one. */
MH_MUST_CHECK int store_channel_position(struct store *s, struct str edition, int64_t id,
                                         int position);
/* JSON API tokens (issue 6; token.c).  The store keeps only a digest of  */
/* each token: making and hashing tokens is api/'s job.                  */

#define STORE_TOKEN_HASH_LEN 32

struct store_token {
    int64_t id;
    struct str login;      /* whose token it is */
    struct str prefix;     /* the token's first characters, to tell tokens apart */
    struct str note;
    int64_t created_at;
    int64_t last_used_at;  /* 0: never used */
    int64_t revoked_at;    /* 0: active */
};

/* Add a token of user LOGIN with digest HASH; sets *ID.  MH_NOTFOUND when
 * there is no such user, MH_CONFLICT when the digest is stored already. */
MH_MUST_CHECK int store_token_add(struct store *s, struct str login,
                                  const unsigned char hash[STORE_TOKEN_HASH_LEN], struct str prefix,
                                  struct str note, int64_t *id);
/* The active (unrevoked) token with digest HASH and its user: MH_NOTFOUND
 * when there is none.  Strings live in ARENA. */
MH_MUST_CHECK int store_token_find(struct store *s, struct arena *arena,
                                   const unsigned char hash[STORE_TOKEN_HASH_LEN],
                                   struct store_token *tok, struct user *user);
/* Record a use of token ID at NOW: written at most once a minute per token,
 * so reads do not turn into a write each. */
MH_MUST_CHECK int store_token_touch(struct store *s, int64_t id, int64_t now);
/* Every token, revoked ones too, by id. */
MH_MUST_CHECK int store_tokens(struct store *s, struct arena *arena, struct store_token **out,
                               size_t *n);
/* Revoke token ID at NOW: MH_NOTFOUND when there is no such active token. */
MH_MUST_CHECK int store_token_revoke(struct store *s, int64_t id, int64_t now);
/* Revoke every active token of user LOGIN at NOW (for disabling a user);
 * *N (may be NULL) counts them. */
MH_MUST_CHECK int store_token_revoke_user(struct store *s, struct str login, int64_t now,
                                          int *n);
/* Redirects: old addresses of imported articles (redirect.c)            */

/* Send readers of PATH (decoded, "/web/English/2026-03/06/content_1.html")
 * to article ARTICLE_ID; a path already sent elsewhere is pointed here.
 * MH_NOTFOUND when the article does not exist. */
MH_MUST_CHECK int store_redirect_put(struct store *s, struct str path, int64_t article_id);
/* The article PATH sends readers to: MH_NOTFOUND when it is no old address. */
MH_MUST_CHECK int store_redirect_get(struct store *s, struct str path, int64_t *article_id);

/* ------------------------------------------------------------------ */
/* Checks                                                               */

/* Run the database's own integrity check and the model's invariants,
 * calling FN with one line per problem.  *PROBLEMS counts them.  Returns
 * MH_OK when the check itself ran (problems or not). */
typedef void store_problem_fn(void *ctx, const char *what);
MH_MUST_CHECK int store_check(struct store *s, store_problem_fn *fn, void *ctx, int *problems);

#endif
