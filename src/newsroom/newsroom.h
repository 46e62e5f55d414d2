/* SPDX-License-Identifier: MIT */
/*
 * newsroom.h - the newsroom's rules and operations, once, for every front
 * end: accounts and sessions, the role/permission matrix, the editorial
 * workflow of an article (drafts, revisions, autosave, edit locks,
 * transitions, scheduling), curation and site settings, and the audit log.
 *
 * No HTML and no HTTP here: the admin pages (/admin/) and the JSON API call
 * these functions and turn the rc and the message into a page or a body.
 * Every operation that changes something checks newsroom_may() first,
 * writes through store/, and appends an audit entry in the same
 * transaction.  Refusals are MH_FORBIDDEN (the role may not), MH_CONFLICT
 * (the article's state or revision does not allow it now), MH_INVAL (bad
 * input; ctx->field names the field), MH_NOTFOUND; ctx->message then holds a
 * sentence for the user that leaks nothing internal.
 *
 * Threads: a struct newsroom_ctx and the store in it belong to one thread.
 * The scheduler thread (newsroom_scheduler_start) opens its own connection.
 */
#ifndef MH_NEWSROOM_NEWSROOM_H
#define MH_NEWSROOM_NEWSROOM_H

#include "core/compat.h"
#include "core/str.h"
#include "model/model.h"

struct arena;
struct buf;
struct store;

/* ------------------------------------------------------------------ */
/* Policy: the numbers behind the rules                                  */

struct newsroom_policy {
    int64_t session_idle_ms;     /* a session unused this long ends (default 30 min) */
    int64_t session_absolute_ms; /* a session ends this long after sign-in (default 12 h) */
    int64_t lock_ms;             /* an edit lock not renewed this long lapses (default 2 min) */
    int64_t fail_window_ms;      /* failed sign-ins count within this window (15 min) */
    int max_fails_account;       /* per login within the window (5) */
    int max_fails_address;       /* per client address within the window (20) */
};

/* The defaults above. */
void newsroom_policy_defaults(struct newsroom_policy *p);

/* ------------------------------------------------------------------ */
/* Who acts, and the context of one call                                 */

/* A signed-in user (or the scheduler) acting from an address. */
struct newsroom_actor {
    int64_t user_id;         /* 0 for the system (scheduler, command line) */
    struct str login;        /* "scheduler" for the system */
    struct str display_name;
    enum user_role role;
    struct str address;      /* client address for the audit log and rate limits */
};

/* One call's context.  Initialise with newsroom_ctx_init(); fill WHO
 * (usually from newsroom_session_check()).  After a refusal MESSAGE holds a
 * sentence for the user and FIELD the offending field ("title") or NULL. */
struct newsroom_ctx {
    struct store *store;
    const struct newsroom_policy *policy; /* never NULL after init */
    struct newsroom_actor who;
    char message[256];
    const char *field;
};

/* Prepare NR for STORE with POLICY (NULL: the defaults).  WHO is nobody
 * (role ROLE_COUNT: every rule refuses, "please sign in") until the caller
 * sets it, usually from newsroom_session_check(). */
void newsroom_ctx_init(struct newsroom_ctx *nr, struct store *store,
                       const struct newsroom_policy *policy);
/* Make NR act as the system (an admin named LOGIN, e.g. "scheduler" or
 * "cli"), for work no signed-in user does. */
void newsroom_ctx_system(struct newsroom_ctx *nr, const char *login);

/* ------------------------------------------------------------------ */
/* The permission matrix: the only place that knows who may do what     */

enum newsroom_action {
    NR_ARTICLE_VIEW,       /* read an article that is not published (and its revisions) */
    NR_ARTICLE_CREATE,     /* start a draft */
    NR_ARTICLE_EDIT,       /* save, autosave, take the edit lock, restore a revision */
    NR_ARTICLE_DELETE,     /* delete a draft */
    NR_ARTICLE_SUBMIT,     /* draft -> submitted */
    NR_ARTICLE_RETURN,     /* submitted/approved/scheduled -> draft, with a comment */
    NR_ARTICLE_APPROVE,    /* submitted -> approved */
    NR_ARTICLE_PUBLISH,    /* approved/scheduled -> published, withdrawn -> published */
    NR_ARTICLE_SCHEDULE,   /* approved/scheduled -> scheduled(at) */
    NR_ARTICLE_UNSCHEDULE, /* scheduled -> approved */
    NR_ARTICLE_WITHDRAW,   /* published -> withdrawn */
    NR_CURATE_TOP_NEWS,    /* Top News of an edition */
    NR_MANAGE_USERS,       /* add users, change roles, disable, reset passwords */
    NR_MANAGE_CHANNELS,    /* add, rename, reorder channels and special topics */
    NR_MANAGE_EDITIONS,
    NR_MANAGE_LINKS,       /* friendly links and footer link groups */
    NR_READ_AUDIT,         /* the whole audit log */
    NR_ACTION_COUNT
};

/* What an article-level rule looks at.  OWN: the actor created the article. */
struct newsroom_subject {
    bool own;
    enum article_status status;
};

/* "article.edit", ...: stable names for logs, the audit and the API. */
const char *newsroom_action_name(enum newsroom_action a);

/* May ROLE do ACTION (to an article described by SUBJECT; NULL for
 * site-level actions)?  The matrix, in words:
 *   reporter     views, edits, deletes and submits own drafts; views own articles
 *   editor       + views all; edits and deletes any draft or submitted article,
 *                  returns submitted/approved ones with a comment, approves
 *   chief_editor + edits any article, publishes, schedules, unschedules,
 *                  withdraws, republishes, returns scheduled ones; curates Top News
 *   admin        + users, channels, editions, links and footer, reads the audit log
 * Article actions also need the status the action starts from (see
 * newsroom_transition_action); a status it cannot start from is refused. */
bool newsroom_may(enum user_role role, enum newsroom_action action,
                  const struct newsroom_subject *subject);

/* The action that moves an article FROM -> TO: MH_OK, or MH_INVAL when the
 * workflow has no such step (draft -> published, ...).  SCHEDULED -> SCHEDULED
 * is a reschedule (NR_ARTICLE_SCHEDULE). */
MH_MUST_CHECK int newsroom_transition_action(enum article_status from, enum article_status to,
                                             enum newsroom_action *out);

/* ------------------------------------------------------------------ */
/* Sign-in, sessions, CSRF                                               */

#define NEWSROOM_TOKEN_LEN 43 /* base64url, no padding, of 32 random bytes */
#define NEWSROOM_COOKIE_NAME "mh_session"
/* Cookie attributes the UI must send with the token (plus "; Secure" when
 * the base URL is https, and Max-Age = session_absolute_ms / 1000). */
#define NEWSROOM_COOKIE_ATTRS "Path=/; HttpOnly; SameSite=Strict"

struct newsroom_session {
    /* The secret the browser holds; only its hash is stored.  Set by
     * newsroom_signin(); newsroom_session_check() copies the one it checked. */
    char token[NEWSROOM_TOKEN_LEN + 1];
    /* The CSRF token bound to this session, for every state-changing form. */
    char csrf[NEWSROOM_TOKEN_LEN + 1];
    struct newsroom_actor who; /* strings live in the arena given to the call */
    int64_t created_at, seen_at;
    int64_t expires_at; /* the earlier of the idle and absolute ends */
};

/* Sign LOGIN in with PASSWORD from ADDRESS: check the rate limits, verify
 * the argon2id hash, start a session.  MH_FORBIDDEN "wrong login or
 * password" (also for unknown or disabled users, in the same time),
 * MH_TIMEOUT when too many recent failures for the login or the address
 * (*RETRY_AFTER_MS says how long; may be NULL).  Every attempt is audited.
 * Strings of OUT->who live in ARENA. */
MH_MUST_CHECK int newsroom_signin(struct newsroom_ctx *nr, struct arena *arena, struct str login,
                                  struct str password, struct str address,
                                  struct newsroom_session *out, int64_t *retry_after_ms);

/* Find the live session of TOKEN (the cookie value), renew its idle
 * timer, and fill OUT (and nr->who, with ADDRESS).  MH_NOTFOUND for an
 * unknown, expired or malformed token, or a disabled user. */
MH_MUST_CHECK int newsroom_session_check(struct newsroom_ctx *nr, struct arena *arena,
                                         struct str token, struct str address,
                                         struct newsroom_session *out);

/* True when CSRF (from a form field or header) is the token bound to
 * SESSION; compared in constant time. */
bool newsroom_csrf_ok(const struct newsroom_session *session, struct str csrf);

/* End the session of TOKEN (a no-op when unknown). */
MH_MUST_CHECK int newsroom_signout(struct newsroom_ctx *nr, struct str token);
/* End every session of LOGIN: the user themself, or an admin.  *ENDED
 * counts them (may be NULL). */
MH_MUST_CHECK int newsroom_signout_everywhere(struct newsroom_ctx *nr, struct str login,
                                              int *ended);

/* The session token inside a Cookie header value ("a=1; mh_session=...").
 * MH_NOTFOUND when absent, MH_INVAL when present but not a well-formed
 * token.  TOKEN views COOKIE_HEADER. */
MH_MUST_CHECK int newsroom_cookie_token(struct str cookie_header, struct str *token);

/* Write the Set-Cookie value for TOKEN (empty TOKEN: one that deletes the
 * cookie) into OUT, with "; Secure" when SECURE. */
void newsroom_cookie_value(const struct newsroom_ctx *nr, struct str token, bool secure,
                           struct buf *out);

/* ------------------------------------------------------------------ */
/* Articles                                                              */

/* Create A as a draft owned by the actor (status, times and revision are
 * set here; A->id must be 0).  Validates fields (MH_INVAL + field) and that
 * the channel exists.  Sets A->id and A->revision. */
MH_MUST_CHECK int newsroom_article_create(struct newsroom_ctx *nr, struct article *a,
                                          struct str note);

/* Load article ID if the actor may see it (published ones always).  A
 * guessed id of someone else's draft is MH_NOTFOUND, not MH_FORBIDDEN. */
MH_MUST_CHECK int newsroom_article_get(struct newsroom_ctx *nr, struct arena *arena, int64_t id,
                                       struct article *out);
/* The login that created article ID, into ARENA. */
MH_MUST_CHECK int newsroom_article_owner(struct newsroom_ctx *nr, struct arena *arena,
                                         int64_t id, struct str *out);

/* Save the editable fields of A (id, revision = the revision it edits) as a
 * new revision with NOTE.  Status and publication times are kept from the
 * stored article.  MH_CONFLICT when A->revision is stale (then *CURRENT, if
 * not NULL, holds the stored version, strings in ARENA) or when another
 * user holds the edit lock.  Drops the actor's autosave.  On success
 * A->revision is the new revision. */
MH_MUST_CHECK int newsroom_article_save(struct newsroom_ctx *nr, struct arena *arena,
                                        struct article *a, struct str note,
                                        struct article *current);

/* Keep the editor's unsaved state of A (based on A->revision) for the actor,
 * replacing their earlier autosave; no revision, the article is untouched.
 * Renews the actor's edit lock; MH_CONFLICT when another user holds it. */
MH_MUST_CHECK int newsroom_article_autosave(struct newsroom_ctx *nr, const struct article *a);
/* The actor's autosave of article ID (fields in OUT, strings in ARENA;
 * OUT->revision is the revision it was based on, OUT->updated_at when it was
 * kept).  MH_NOTFOUND when there is none. */
MH_MUST_CHECK int newsroom_autosave_get(struct newsroom_ctx *nr, struct arena *arena, int64_t id,
                                        struct article *out);

/* Delete draft ID (its revisions, locks and autosaves go with it). */
MH_MUST_CHECK int newsroom_article_delete(struct newsroom_ctx *nr, int64_t id);

/* Move article ID to status TO.  AT is the publication time for
 * ARTICLE_SCHEDULED (must be in the future), else 0.  COMMENT is required
 * when returning to draft, optional otherwise; it goes into the audit entry
 * and the article's history.  Publishing sets first_published_at once and
 * last_published_at each time.  MH_INVAL for a step the workflow lacks,
 * MH_FORBIDDEN for a role that may not, MH_CONFLICT when REVISION (if > 0)
 * is not the current one.  A transition does not make a new revision. */
MH_MUST_CHECK int newsroom_transition(struct newsroom_ctx *nr, int64_t id, int revision,
                                      enum article_status to, int64_t at, struct str comment);

/* The articles list of the newsroom, filtered and paged. */
struct newsroom_filter {
    struct str edition, channel; /* slugs; empty: any */
    int status;                  /* enum article_status, or -1 for any */
    struct str owner;            /* login; empty: any */
    struct str author;           /* a name in the authors list; empty: any */
    struct str text;             /* in the title (ASCII case folded); empty: any */
    bool mine_only;              /* only the actor's own articles */
    int64_t offset;
    int limit;                   /* at most 200; 0 means 50 */
};

struct newsroom_row {
    int64_t id;
    struct str edition, channel, title, owner, authors; /* authors: "A, B" */
    enum article_status status;
    int revision;
    int64_t updated_at, first_published_at, scheduled_at;
};

/* Articles matching F that the actor may view, most recently updated first.
 * *TOTAL (may be NULL) counts all matches.  Rows live in ARENA. */
MH_MUST_CHECK int newsroom_article_list(struct newsroom_ctx *nr, struct arena *arena,
                                        const struct newsroom_filter *f, struct newsroom_row **out,
                                        size_t *n, int64_t *total);

/* ------------------------------------------------------------------ */
/* Edit locks                                                            */

struct newsroom_lock {
    int64_t article_id;
    struct str login, display_name; /* who holds it */
    int64_t since, expires_at;
};

/* Take or renew the edit lock of article ID for the actor.  MH_CONFLICT
 * when another user holds a live one: then *OUT describes it ("being
 * edited by X since ..."); on MH_OK *OUT is the actor's lock.  Strings in
 * ARENA. */
MH_MUST_CHECK int newsroom_lock_take(struct newsroom_ctx *nr, struct arena *arena, int64_t id,
                                     struct newsroom_lock *out);
/* The live lock of article ID: MH_NOTFOUND when there is none. */
MH_MUST_CHECK int newsroom_lock_get(struct newsroom_ctx *nr, struct arena *arena, int64_t id,
                                    struct newsroom_lock *out);
/* Release the actor's lock of ID (a no-op when they hold none). */
MH_MUST_CHECK int newsroom_lock_release(struct newsroom_ctx *nr, int64_t id);

/* ------------------------------------------------------------------ */
/* Revisions and the history of an article                               */

struct newsroom_revision {
    int revision;
    int64_t saved_at;
    struct str saved_by, note;
    bool current; /* the article as it stands */
};

/* Revisions of article ID, newest first (the current one first).  */
MH_MUST_CHECK int newsroom_revisions(struct newsroom_ctx *nr, struct arena *arena, int64_t id,
                                     struct newsroom_revision **out, size_t *n);
/* The article as it was at REVISION (images resolved from the media
 * library; status and times are the current article's). */
MH_MUST_CHECK int newsroom_revision_get(struct newsroom_ctx *nr, struct arena *arena, int64_t id,
                                        int revision, struct article *out);

/* Make the content of REVISION the current one, as a new revision with note
 * "restored revision N".  BASE is the revision the user looked at
 * (MH_CONFLICT when stale).  Sets *NEW_REVISION. */
MH_MUST_CHECK int newsroom_revision_restore(struct newsroom_ctx *nr, int64_t id, int revision,
                                            int base, int *new_revision);

/* Side-by-side rows of a line diff. */
enum newsroom_diff_op {
    NR_DIFF_SAME,   /* left and right equal */
    NR_DIFF_CHANGE, /* a left line replaced by a right line */
    NR_DIFF_DEL,    /* only left */
    NR_DIFF_ADD     /* only right */
};

struct newsroom_diff_row {
    enum newsroom_diff_op op;
    struct str left, right; /* empty for the missing side */
    int left_no, right_no;  /* 1-based line numbers; 0 for the missing side */
};

struct newsroom_diff_field {
    const char *name; /* "title", "body", "keywords", "images", ... */
    bool changed;
    struct newsroom_diff_row *rows;
    size_t n_rows;
};

struct newsroom_diff {
    struct newsroom_diff_field *fields; /* every field, in model order */
    size_t n_fields;
    size_t n_changed;
};

/* The diff of OLD -> NEW, field by field, lines by a longest common
 * subsequence (bodies too long to compare line by line show as one
 * change).  Everything lives in ARENA. */
void newsroom_diff_articles(struct arena *arena, const struct article *old_a,
                            const struct article *new_a, struct newsroom_diff *out);
/* The line diff of two texts, for one field. */
void newsroom_diff_text(struct arena *arena, struct str old_text, struct str new_text,
                        struct newsroom_diff_row **rows, size_t *n_rows);

/* ------------------------------------------------------------------ */
/* Scheduler                                                             */

/* Publish every scheduled article whose time is at or before NOW (also the
 * ones missed while the server was down), each audited as done by
 * "scheduler".  *PUBLISHED (may be NULL) counts them. */
MH_MUST_CHECK int newsroom_publish_due(struct store *s, int64_t now, int *published);

/* The earliest scheduled time, or 0 when nothing is scheduled. */
MH_MUST_CHECK int newsroom_next_due(struct store *s, int64_t *at);

/* A thread with its own connection to DB_PATH that calls
 * newsroom_publish_due at each minute boundary and at the time of the next
 * scheduled article; it checks every second whether another connection
 * changed the database (a new schedule) and recomputes.  Runs once at
 * start (catching up after downtime).  Caller stops it with
 * newsroom_scheduler_stop(), which wakes it and joins. */
struct newsroom_scheduler;
MH_MUST_CHECK int newsroom_scheduler_start(const char *db_path,
                                           struct newsroom_scheduler **out);
/* Wake the thread now (a schedule changed in this process). */
void newsroom_scheduler_wake(struct newsroom_scheduler *sch);
void newsroom_scheduler_stop(struct newsroom_scheduler *sch);

/* ------------------------------------------------------------------ */
/* Curation and site settings                                            */

/* Replace the Top News of EDITION with SLOTS in order (positions are
 * renumbered; each article must be published; titles and summaries may
 * override; expires_at 0 = never, else in the future). */
MH_MUST_CHECK int newsroom_top_news_set(struct newsroom_ctx *nr, struct str edition,
                                        const struct curation_slot *slots, size_t n);

/* Insert or replace a friendly-link or footer group (links: title and an
 * http(s) or site-relative URL). */
MH_MUST_CHECK int newsroom_links_put(struct newsroom_ctx *nr, struct link_group *g);

/* Add a channel (c->id 0) or rename/move/change one (by id).  Specials may
 * carry end_at. */
MH_MUST_CHECK int newsroom_channel_put(struct newsroom_ctx *nr, struct channel *c);
/* Set the positions of the channels IDS[0..N) of EDITION to 0..N-1. */
MH_MUST_CHECK int newsroom_channel_order(struct newsroom_ctx *nr, struct str edition,
                                         const int64_t *ids, size_t n);

MH_MUST_CHECK int newsroom_edition_put(struct newsroom_ctx *nr, const struct edition *e);

/* Users.  Passwords follow auth_hash_password's rules. */
MH_MUST_CHECK int newsroom_user_add(struct newsroom_ctx *nr, struct user *u,
                                    struct str password);
MH_MUST_CHECK int newsroom_user_set_role(struct newsroom_ctx *nr, struct str login,
                                         enum user_role role);
/* Disabling ends the user's sessions and revokes their API tokens. */
MH_MUST_CHECK int newsroom_user_set_disabled(struct newsroom_ctx *nr, struct str login,
                                             bool disabled);
/* The user themself (OLD_PASSWORD checked) or an admin (OLD ignored).  Ends
 * every session of the user: they sign in again with the new password. */
MH_MUST_CHECK int newsroom_user_set_password(struct newsroom_ctx *nr, struct str login,
                                             struct str old_password, struct str new_password);

/* ------------------------------------------------------------------ */
/* Audit log                                                             */

struct newsroom_audit_entry {
    int64_t id, at;
    struct str login, action, object, detail, address;
};

struct newsroom_audit_filter {
    struct str login;  /* empty: anyone */
    struct str object; /* "article:12"; empty: anything */
    int64_t before_id; /* paging: entries older than this id; 0: the newest */
    int limit;         /* at most 500; 0 means 100 */
};

/* Entries newest first.  The whole log needs NR_READ_AUDIT; the history of
 * one article ("article:ID") needs NR_ARTICLE_VIEW of it. */
MH_MUST_CHECK int newsroom_audit_list(struct newsroom_ctx *nr, struct arena *arena,
                                      const struct newsroom_audit_filter *f,
                                      struct newsroom_audit_entry **out, size_t *n);

#endif
