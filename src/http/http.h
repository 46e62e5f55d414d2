/* SPDX-License-Identifier: MIT */
/*
 * http.h - the HTTP layer of `masthead serve`: a libmicrohttpd server with its
 * poll() thread pool, one arena per request, limits on connections, headers,
 * bodies and idle time, graceful shutdown, the access log, strict URL decoding
 * and the one map from return codes to HTTP statuses.  It knows HTTP, not
 * news: routing, pages, templates and caching belong to site/ and admin/,
 * which give the server one handler and one error page callback.
 */
#ifndef MH_HTTP_HTTP_H
#define MH_HTTP_HTTP_H

#include "core/compat.h"

#include "core/arena.h"
#include "core/limits.h"
#include "core/str.h"

/* Longest request path accepted, as received (before decoding); longer is 414. */
#define HTTP_MAX_PATH (2 * MH_KIB)
/* Paths with a body limit of their own (struct http_config.body_limits). */
#define HTTP_MAX_BODY_LIMITS 4
/* Most parameters in one query string or form body; more is refused. */
#define HTTP_MAX_PARAMS 64

/* ------------------------------------------------------------------ */
/* URLs (url.c): pure functions, fuzzed by tests/fuzz/fuzz_url.c        */

/*
 * Percent-decode and validate request path RAW (the request target before
 * '?').  The result is canonical or refused; nothing is collapsed silently.
 * Refused with MH_INVAL: not starting with '/', a malformed escape, raw bytes
 * outside RFC 3986 pchar (space, '"', '<', '>', '\\', '^', '`', '{', '|', '}',
 * '[', ']', controls) other than UTF-8, and after decoding: NUL or any other
 * control character, an encoded slash (%2F), a backslash, invalid or overlong
 * UTF-8 (%C0%AF), a "." or ".." segment (also as %2E%2E), or an empty segment
 * other than a trailing slash ("//").  MH_TOOBIG when RAW is longer than
 * HTTP_MAX_PATH.  On MH_OK *OUT is the decoded path: it lives in ARENA, or is
 * RAW itself when RAW holds no escape.
 */
MH_MUST_CHECK int http_url_decode_path(struct str raw, struct arena *arena, struct str *out);

struct http_param {
    struct str name, value; /* decoded, valid UTF-8 */
};

struct http_params {
    struct http_param *v; /* in the order received; lives in the arena given to the parser */
    size_t n;
};

/*
 * Parse query string RAW (without the '?'), or an
 * application/x-www-form-urlencoded body, into *OUT: pairs split on '&',
 * name and value split on the first '=', '+' decoded as a space and %XX
 * escapes decoded.  Empty pairs ("a=1&&b=2") are skipped; a name without
 * '=' has an empty value.  MH_INVAL for a malformed escape, a raw control
 * character or space, or a decoded name or value that is not valid UTF-8 or
 * holds a control character other than tab, CR and LF; MH_TOOBIG for more
 * than HTTP_MAX_PARAMS pairs.  Names and values live in ARENA.
 */
MH_MUST_CHECK int http_query_parse(struct str raw, struct arena *arena, struct http_params *out);

/* The value of the first parameter called NAME; empty (ptr NULL) when absent. */
struct str http_params_get(const struct http_params *p, const char *name);

/* ------------------------------------------------------------------ */
/* Statuses (status.c)                                                  */

/*
 * The one map from a return code to an HTTP status: MH_OK 200,
 * MH_NOTFOUND 404, MH_GONE 410, MH_INVAL 400, MH_TOOBIG 413,
 * MH_FORBIDDEN 403, MH_CONFLICT 409, MH_TIMEOUT 503, anything else 500.
 */
int http_status_for(int rc);
/* The reason phrase of STATUS ("Not Found"); "Unknown" for one we never send. */
const char *http_status_reason(int status);

/* ------------------------------------------------------------------ */
/* Requests and responses (server.c)                                    */

enum http_method {
    HTTP_GET,
    HTTP_HEAD,
    HTTP_POST,
    HTTP_PUT,
    HTTP_DELETE,
    HTTP_OPTIONS,
    HTTP_OTHER
};

/*
 * One request.  Everything in it lives in ARENA, which is released once the
 * response has been sent (or the connection has died): copy out whatever must
 * outlive the request.  Only one thread touches a request at a time.
 */
struct http_request {
    struct arena arena;         /* this request's allocations; use it freely */
    enum http_method method;    /* only GET, HEAD, POST, PUT and DELETE reach a handler */
    struct str path;            /* percent-decoded and validated (http_url_decode_path) */
    struct str raw_path, query; /* as received, without decoding; query without the '?' */
    struct http_params params;  /* the decoded query, in order (http_query_parse) */
    struct str remote;          /* the client's address as text ("127.0.0.1", "::1") */
    struct str body;            /* the POST/PUT body, at most http_config.max_body bytes */
    void *conn;                 /* the libmicrohttpd connection: private */
    int64_t started_ns;         /* clock_mono_ns() when the request line arrived */
};

/* The value of request header NAME (case-insensitive), or "" (never a NULL ptr)
 * when absent; with repeated headers, the first.  Valid until the request ends. */
struct str http_header(const struct http_request *req, const char *name);
/* The decoded value of query parameter NAME (the first), or empty (ptr NULL). */
struct str http_query_param(const struct http_request *req, const char *name);

struct http_res_header; /* private: the list http_response_header() builds */

/*
 * What a handler answers.  The server zeroes it before calling the handler.
 * BODY is borrowed and must stay valid until the response has been sent:
 * put it in the request's arena, or hold a reference (a page-cache entry) and
 * release it in ON_DONE, which the server calls exactly once when the body is
 * no longer needed, whether the response was sent or not.  For HEAD, build
 * the same body as for GET: the server sends its length, not its bytes.
 */
struct http_response {
    int status;               /* 0 until set; a handler returning MH_OK with 0 means 200 */
    const char *content_type; /* static or in the arena; NULL with a body means
                                 application/octet-stream (text/html on an error page) */
    struct str body;
    void (*on_done)(void *arg);
    void *on_done_arg;
    struct http_res_header *headers; /* private: add with http_response_header() */
};

/*
 * Append header NAME: VALUE to RES (both copied into REQ's arena); headers
 * go out in the order added.  NAME must be a token and VALUE free of control
 * characters other than tab (CR and LF would inject headers); MH_INVAL
 * otherwise, and nothing is added.  Content-Length, Content-Type (use
 * content_type), Date, Connection and Transfer-Encoding are the server's:
 * MH_INVAL too.
 */
MH_MUST_CHECK int http_response_header(struct http_request *req, struct http_response *res,
                                       const char *name, struct str value);

/*
 * The site's request handler, called on a server thread once the whole
 * request (and its body) has arrived.  Returns MH_OK after filling RES, or an
 * enum mh_err: the server then discards RES (calling its on_done) and sends
 * http_status_for(rc) with the error page.  Never blocks for long: a slow
 * handler holds one of the pool's threads.
 */
typedef int http_handler_fn(void *ctx, struct http_request *req, struct http_response *res);

/*
 * Render the error page for STATUS into RES (zeroed, status set to STATUS)
 * in the site's look.  Called for handler errors and for the server's own
 * refusals (400 bad path, query or framing, 405, 413, 414, 501), when
 * REQ->path may be empty and REQ->params too.  STATUS cannot be changed;
 * headers may be added.  The page must not reveal internals.  When this
 * callback is NULL, or leaves the body empty, the server sends a small
 * generic page.  (libmicrohttpd answers a few refusals itself with its own
 * generic pages: 431 oversized headers, 400 missing Host or bad Content-Length.)
 */
typedef void http_error_fn(void *ctx, struct http_request *req, int status,
                           struct http_response *res);

enum http_log_format { HTTP_LOG_COMBINED, HTTP_LOG_JSON, HTTP_LOG_OFF };

struct http_config {
    const char *listen; /* "127.0.0.1:8080", "[::1]:0", "0.0.0.0:80"; port 0 picks a free one */
    int threads;        /* thread pool size; 0 means one per core */
    unsigned max_connections; /* in total, e.g. 20000; 0 means 10000 */
    unsigned max_per_ip;      /* e.g. 256; 0 means no per-address limit */
    unsigned idle_timeout_s;  /* e.g. 30; 0 means 30 */
    size_t max_header_bytes;  /* memory per connection for the request line and headers (and
                                 I/O buffers), e.g. 32 KiB; 0 means 32 KiB; beyond it: 431 */
    size_t max_body;          /* e.g. 8 MiB; 0 means MH_MAX_BODY; beyond it: 413 */
    /* Larger (or smaller) body limits for some paths, such as an upload route: the first
     * whose PREFIX starts the request path as received (before decoding) gives its MAX
     * instead of max_body.  Unused entries have a NULL prefix; prefixes are borrowed and
     * must outlive the server (string literals). */
    struct http_body_limit {
        const char *prefix; /* "/admin/media/upload" */
        size_t max;         /* bytes */
    } body_limits[HTTP_MAX_BODY_LIMITS];
    unsigned grace_s;         /* longest wait for in-flight requests on shutdown; 0 means 30 */
    /* One line per request whose request line arrived, after its response (or its death);
     * for requests that got no answer it logs 408 (idle timeout), 499 (client gone) or 503
     * (cut by shutdown), as nginx does.  The zero value logs combined lines to stdout. */
    enum http_log_format access_log;
    FILE *log_out; /* where access log lines go; NULL means stdout */
};

struct http_server;

/*
 * Bind CFG->listen and start the thread pool: requests are served from now
 * on, by HANDLER (and ON_ERROR, which may be NULL) with CTX, on the pool's
 * threads.  Returns NULL on failure with the reason in ERRBUF ("cannot
 * listen on '...': ...").  CFG is copied; CFG->log_out stays the caller's, to
 * close after http_server_free().
 */
struct http_server *http_server_new(const struct http_config *cfg, http_handler_fn *handler,
                                    http_error_fn *on_error, void *ctx, char *errbuf,
                                    size_t errlen);
/* The port bound (useful with port 0). */
int http_server_port(const struct http_server *srv);
/*
 * Block the calling (main) thread until SIGTERM, SIGINT or
 * http_server_stop(), then shut down gracefully: stop accepting (new clients
 * are refused), let in-flight requests (those whose headers have arrived)
 * finish, at most grace_s, with Connection: close on their responses, then
 * close every connection, stop the pool and return MH_OK.  SIGHUP calls
 * ON_RELOAD(CTX) on this thread (may be NULL), while requests keep being
 * served.  The signal handlers only write to a pipe, and are restored on
 * return.  One server at a time may run.  MH_IO when the handlers cannot
 * be installed.
 */
MH_MUST_CHECK int http_server_run(struct http_server *srv, void (*on_reload)(void *ctx), void *ctx);
/* Make http_server_run() return as on SIGTERM; from any thread or a signal handler. */
void http_server_stop(struct http_server *srv);
/* Stop serving at once (in-flight requests are cut) if still running, and free SRV.
 * NULL is a no-op. */
void http_server_free(struct http_server *srv);

#endif
