/* SPDX-License-Identifier: MIT */
/*
 * http_int.h - what the files of src/http/ share and nothing else may use:
 * the access log line (accesslog.c), called by server.c and tested on its own.
 */
#ifndef MH_HTTP_HTTP_INT_H
#define MH_HTTP_HTTP_INT_H

#include "core/compat.h"

#include "core/buf.h"
#include "http/http.h"

/* Longest part of a client-supplied field (target, referer, user agent) that
 * goes into a log line; the rest is cut and marked with "...". */
#define HTTP_LOG_FIELD_MAX 1024
/* Ceiling of one formatted line: four capped fields, each escaped (x6 at worst). */
#define HTTP_LOG_LINE_MAX (32 * MH_KIB)

/* What one access log line says.  Empty strings (ptr NULL) print as "-" (or ""
 * in JSON); a status of 0 means none was sent. */
struct http_log_entry {
    int64_t time_ms;    /* wall clock when the request line arrived */
    struct str remote;  /* client address */
    struct str method;  /* as received */
    struct str target;  /* the request target as received, path and query */
    struct str version; /* "HTTP/1.1" */
    struct str referer, ua;
    int status;
    uint64_t bytes;       /* body bytes sent */
    uint64_t duration_ns; /* from the request line to the end of the response */
};

/* Append E as one line (with its newline) in FORMAT to B: the combined log
 * format, times in UTC, or one JSON object with fields time, remote, method,
 * path, status, bytes, ms, referer and ua.  Client-supplied bytes are escaped
 * (\xHH in the combined format; JSON escapes, U+FFFD for invalid UTF-8), so
 * a line can neither be split nor forged.  Nothing for HTTP_LOG_OFF. */
void http_log_format(struct buf *b, enum http_log_format format, const struct http_log_entry *e);

/* Format E in ARENA and write it to OUT with a single fwrite (stdio locks
 * the stream, so lines from several threads never interleave), then flush. */
void http_log_write(FILE *out, enum http_log_format format, const struct http_log_entry *e,
                    struct arena *arena);

#endif
