/* SPDX-License-Identifier: MIT */
/*
 * api_int.h - inside api/ only: one call of the API as the handlers see it,
 * and the helpers they share (JSON bodies, errors, the article as JSON).
 */
#ifndef MH_API_API_INT_H
#define MH_API_API_INT_H

#include "core/compat.h"

#include <jansson.h>

#include "api/api.h"
#include "model/model.h"

struct api_call {
    struct store *s;
    struct http_request *req;
    struct http_response *res;
    struct arena *arena;  /* the request's */
    int64_t id;           /* the {id} of the path, or 0 */
    bool signed_in;       /* a valid bearer token came with the request */
    struct user user;     /* its user, when signed_in */
    struct api_error err; /* why the call was refused (status 0: from the rc) */
};

/* Send ROOT (consumed) as the JSON body with STATUS.  Reads answer 304 to
 * a matching If-None-Match (CACHEABLE: an anonymous GET, with an ETag). */
MH_MUST_CHECK int api_send(struct api_call *c, int status, json_t *root, bool cacheable);

/* A JSON string of S, which is valid UTF-8 (stored text is); "" otherwise. */
json_t *api_jstr(struct str s);
/* MS as RFC 3339 in zone TZ, or JSON null for 0. */
json_t *api_jtime(struct api_call *c, int64_t ms, struct str tz);

/* Where article A is read: its page ("/english/2026-03/06/content_5.html")
 * once it has a first publication time, else its API resource. */
struct str api_article_url(struct api_call *c, const struct article *a, struct str tz);
/* Article A as the API shows it (the import format's fields, body_html
 * rendered as the site renders it, then revision, url and times), with
 * times in zone TZ. */
json_t *api_article_json(struct api_call *c, const struct article *a, struct str tz);

struct newsroom_ctx;
/* A newsroom context acting as the call's user, from the client's address. */
void api_newsroom(struct api_call *c, struct newsroom_ctx *nr);

/* The handlers (read.c, write.c). */
int api_get_editions(struct api_call *c);
int api_get_channels(struct api_call *c);
int api_get_articles(struct api_call *c);
int api_get_article(struct api_call *c);
int api_post_article(struct api_call *c);
int api_put_article(struct api_call *c);
int api_delete_article(struct api_call *c);
int api_post_transition(struct api_call *c);

#endif
