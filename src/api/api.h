/* SPDX-License-Identifier: MIT */
/*
 * api.h - the JSON API under /api/v1/ (docs/openapi.yaml is its contract):
 * editions, channels and articles to read, and articles to write with a
 * bearer token under the newsroom's role rules.  It owns the routes, the
 * JSON bodies (jansson), the error body {"error": {"code", "message",
 * "field"}}, the request-body parsing and the tokens (made here, stored as
 * digests by store/).  The rules of who may do what, revisions and the
 * workflow are newsroom/'s; the fields of an article and their validation
 * are interchange/'s (an API body is an import record); rc -> status is
 * http/status.c's.  Like site/, it answers requests handed to it by
 * cli/cmd_serve.c, on the caller's store connection.
 */
#ifndef MH_API_API_H
#define MH_API_API_H

#include "core/compat.h"
#include "core/str.h"
#include "http/http.h"
#include "model/model.h"

struct arena;
struct store;

#define API_PREFIX "/api/v1/"
#define API_PAGE_SIZE 20 /* articles per page of /api/v1/articles */
/* Request bodies are bounded by the server (http_config.max_body, 8 MiB by
 * default): a larger one is refused with 413 before the API sees it, and
 * api_error_response() gives that refusal its JSON body. */

/* ------------------------------------------------------------------ */
/* Answering requests (api.c)                                           */

/* True when PATH is the API's (starts with /api/). */
bool api_owns_path(struct str path);

/*
 * Answer REQ (a path api_owns_path() accepted) from store S, which belongs to
 * this thread.  Every answer, errors included, is JSON: RES is filled and
 * MH_OK returned, except when even the error body cannot be made (MH_DB
 * etc.: then the server's generic page goes out).  Blocks on the store only.
 * Writes record REMOTE (the client address) in the audit log through the
 * newsroom.
 */
MH_MUST_CHECK int api_handle(struct store *s, struct http_request *req, struct http_response *res);

/* Replace RES with the JSON error body for STATUS, for refusals made before
 * api_handle() could run (the server's 400, 405, 413, 414, 501). */
void api_error_response(struct http_request *req, int status, struct http_response *res);

/* One route: METHOD on PATTERN, where "{id}" is one path segment (a
 * positive whole number), answered by HANDLER (api_int.h).  The table is
 * what the dispatcher uses and what tests/api check against
 * docs/openapi.yaml, in both directions. */
struct api_call;
typedef int api_handler_fn(struct api_call *c);
struct api_route {
    enum http_method method;
    const char *pattern; /* "/api/v1/articles/{id}" */
    api_handler_fn *handler;
};
/* The routes api_handle() answers, and the ones of /api/v1/ that another
 * module answers before it (search, suggest), which openapi.yaml also
 * describes.  Both end with a NULL pattern. */
extern const struct api_route api_routes[];
extern const struct api_route api_routes_elsewhere[];

/* ------------------------------------------------------------------ */
/* Request bodies (body.c), fuzzed by tests/fuzz/fuzz_api_body.c        */

/* Why a request was refused: the status, the error code and message of the
 * error body, and the field at fault ("" when none). */
struct api_error {
    int status;
    const char *code; /* "invalid", "unauthorized", ... (static) */
    char message[512];
    char field[64];
};

/* Fill E and return RC (for "return api_fail(...)" chains). */
int api_fail(struct api_error *e, int status, const char *field, const char *fmt, ...)
    MH_PRINTF(4, 5);

/* An article body of POST /api/v1/articles or PUT /api/v1/articles/{id}. */
struct api_article_body {
    struct article a;      /* the import format's fields; status draft unless given */
    int revision;          /* PUT: the revision the client edits (required) */
    struct str note;       /* PUT: "note", the revision's note (optional) */
    bool has_status;       /* "status" was given: a.status */
    bool has_published_at; /* "published_at" was given: a.first_published_at */
};

/*
 * Parse BODY, the JSON of POST /api/v1/articles (IS_PUT false) or of
 * PUT /api/v1/articles/{id} (true: "revision", a positive integer, is
 * required, and "note", a text, is the new revision's note).  The fields
 * are the import format's (docs/interchange.md), checked by
 * jsonl_parse_article(), so an API body is an import record.
 * What GET returns may be sent back: its read-only fields ("url",
 * "created_at", "updated_at", "last_published_at", "body_html") are ignored.  "status"
 * and "published_at" are only parsed here: the workflow, not an edit, moves
 * an article (POST .../transition), so a POST may only say "draft" and a
 * PUT may only repeat the stored values (the caller compares).  Image
 * entries name files of the media library by their stored path
 * ("media/ab/<sha256>.jpg"); the caller resolves them.  Strings live in
 * ARENA.  MH_OK, or MH_INVAL / MH_TOOBIG with E filled (400 or 413).
 */
MH_MUST_CHECK int api_parse_article(struct str body, bool is_put, struct arena *arena,
                                    struct api_article_body *out, struct api_error *e);

/*
 * Parse a transition body {"to": STATUS, "at": RFC 3339, "note": TEXT}: TO is
 * required; AT (optional, 0 when absent) is when a scheduled article goes
 * out; NOTE (optional, e.g. the comment of a return to draft) lives in
 * ARENA.  MH_OK, or MH_INVAL with E filled.
 */
MH_MUST_CHECK int api_parse_transition(struct str body, struct arena *arena,
                                       enum article_status *to, int64_t *at, struct str *note,
                                       struct api_error *e);

/* ------------------------------------------------------------------ */
/* Tokens (token.c)                                                     */

#define API_TOKEN_PREFIX "mht_"
#define API_TOKEN_LEN 47 /* "mht_" and 43 base64url characters (32 random bytes) */
#define API_TOKEN_SHOWN 12 /* the characters kept in clear to tell tokens apart */

/* Make a new token for user LOGIN (NOTE says what it is for) into OUT, store
 * its digest, and set *ID.  OUT is shown once and never stored.
 * MH_NOTFOUND when there is no such user. */
MH_MUST_CHECK int api_token_create(struct store *s, struct str login, struct str note,
                                   char out[API_TOKEN_LEN + 1], int64_t *id);

/*
 * The user of the Authorization header value AUTH ("Bearer <token>"), into
 * *USER (strings in ARENA), recording the use.  MH_NOTFOUND when AUTH is
 * empty (an anonymous request); MH_FORBIDDEN when AUTH is not a bearer
 * token, or names no active token, or its user is disabled (all answered
 * 401); MH_DB on a store failure.
 */
MH_MUST_CHECK int api_token_check(struct store *s, struct arena *arena, struct str auth,
                                  struct user *user);

#endif
