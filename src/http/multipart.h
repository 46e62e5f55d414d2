/* SPDX-License-Identifier: MIT */
/*
 * multipart.h - form bodies with files in them (multipart/form-data, what a
 * browser sends for <input type=file>), parsed by libmicrohttpd's
 * MHD_PostProcessor over the body the server has already buffered (so the
 * size limit is the server's: http_config.max_body, or a body_limits entry
 * for an upload route).  No home-made MIME parser.  What a part holds is the
 * caller's to judge: a file's name and Content-Type come from the client and
 * are never trusted (media/probe.h reads the bytes).
 */
#ifndef MH_HTTP_MULTIPART_H
#define MH_HTTP_MULTIPART_H

#include "core/compat.h"
#include "core/str.h"

struct http_request;

/* Most parts in one form; more is refused. */
#define HTTP_MAX_PARTS 32

struct http_part {
    struct str name;         /* the form field's name */
    struct str filename;     /* as sent (a file input), or empty (ptr NULL) for a plain field */
    struct str content_type; /* as sent, or empty */
    struct str data;         /* the value or the file's bytes, unmodified */
};

struct http_form {
    struct http_part *v; /* in the order received; lives in the request's arena */
    size_t n;
};

/*
 * Parse REQ's body as multipart/form-data (the boundary comes from its
 * Content-Type header) into *OUT.  Everything lives in REQ's arena.
 * MH_INVAL when the Content-Type is not multipart/form-data with a
 * boundary, or the body does not follow it (a missing closing boundary, a
 * part without a name); MH_TOOBIG for more than HTTP_MAX_PARTS parts.
 * Nothing is written to *OUT on failure.  Call it from the handler (on a
 * server thread, while the request is alive).
 */
MH_MUST_CHECK int http_multipart_parse(struct http_request *req, struct http_form *out);

/* The first part named NAME, or NULL. */
const struct http_part *http_form_get(const struct http_form *f, const char *name);

#endif
