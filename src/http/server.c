/* SPDX-License-Identifier: MIT */
/*
 * server.c - libmicrohttpd (0.9.75) behind http.h: the daemon and its poll()
 * thread pool, one request state per request living at the start of its own
 * arena, the checks made before a handler runs (framing, method, path, query),
 * zero-copy responses, the access log line, signals, and graceful shutdown.
 * libmicrohttpd parses HTTP; this file decides what reaches the handler.
 *
 * A request's life: the URI callback creates its state when the request line
 * arrives (so even a request that dies in its headers is logged once); the
 * access handler is called first to announce it (checks only), then with body
 * bytes, then to answer; the completion callback logs the line, calls the
 * body's on_done and releases the arena.
 */
#include "core/compat.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "http/http.h"
#include "http/http_int.h"

#define ALLOWED_METHODS "GET, HEAD, POST, PUT, DELETE"

struct http_res_header {
    struct http_res_header *next;
    const char *name, *value; /* NUL-terminated, in the request's arena */
};

struct http_server {
    struct MHD_Daemon *daemon;
    struct http_config cfg; /* defaults filled in */
    http_handler_fn *handler;
    http_error_fn *on_error;
    void *ctx;
    int port;
    int wake[2];            /* self-pipe: signal handlers and http_server_stop() write here */
    atomic_long inflight;   /* requests from their headers to their completion */
    atomic_bool stopping;   /* set once shutdown began: responses say Connection: close */
    atomic_bool starting;   /* libmicrohttpd's messages go to ERRBUF while set */
    pthread_mutex_t lock;   /* guards ERRBUF and the wait on DRAINED */
    pthread_cond_t drained; /* signalled when INFLIGHT reaches 0 while stopping */
    char *errbuf;
    size_t errlen;
};

/* One request.  It lives at the start of its own arena (req.arena), so a
 * request costs one allocation until its handler needs more. */
struct req_state {
    struct http_request req; /* handlers get &st->req */
    struct http_server *srv;
    struct http_response res;
    struct buf body;
    struct str method_name, version, target;
    int64_t time_ms;
    int reject;     /* the status chosen before the handler (400, 405, 413, ...), or 0 */
    int status;     /* the status queued, or 0 */
    uint64_t bytes; /* body bytes of the queued response (0 for HEAD) */
    bool called;    /* the access handler has been called once */
    bool has_body;  /* a declared body (or ambiguous framing): refusals close */
};

/* ------------------------------------------------------------------ */
/* Requests and responses                                               */

struct str http_header(const struct http_request *req, const char *name)
{
    const char *v = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
    return v ? str_c(v) : STR_LIT(""); /* never a NULL pointer: callers may do arithmetic */
}

struct str http_query_param(const struct http_request *req, const char *name)
{
    return http_params_get(&req->params, name);
}

static bool is_token(const char *s)
{
    if (*s == '\0')
        return false;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && (c == 0 || strchr("!#$%&'*+-.^_`|~", c) == NULL))
            return false;
    }
    return true;
}

int http_response_header(struct http_request *req, struct http_response *res, const char *name,
                         struct str value)
{
    static const char *const reserved[] = {"Content-Length", "Content-Type", "Date", "Connection",
                                           "Transfer-Encoding"};
    if (!is_token(name))
        return MH_INVAL;
    for (size_t i = 0; i < MH_ARRAY_LEN(reserved); i++) {
        if (strcasecmp(name, reserved[i]) == 0)
            return MH_INVAL;
    }
    for (size_t i = 0; i < value.len; i++) {
        unsigned char c = (unsigned char)value.ptr[i];
        if ((c < 0x20 && c != '\t') || c == 0x7F)
            return MH_INVAL; /* CR, LF and NUL would split the header */
    }
    struct http_res_header *h = arena_alloc(&req->arena, sizeof(*h));
    h->name = arena_strdup(&req->arena, name);
    h->value = arena_strndup(&req->arena, value.ptr, value.len);
    h->next = res->headers; /* newest first; queue() reverses */
    res->headers = h;
    return MH_OK;
}

/* Let go of RES: its on_done runs exactly once. */
static void discard(struct http_response *res)
{
    if (res->on_done) {
        void (*fn)(void *) = res->on_done;
        res->on_done = NULL;
        fn(res->on_done_arg);
    }
    memset(res, 0, sizeof(*res));
}

static struct str remote_text(struct arena *a, struct MHD_Connection *mc)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(mc, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char text[INET6_ADDRSTRLEN] = "";
    if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET) {
        struct sockaddr_in sin;
        memcpy(&sin, ci->client_addr, sizeof(sin));
        inet_ntop(AF_INET, &sin.sin_addr, text, sizeof(text));
    } else if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET6) {
        struct sockaddr_in6 sin6;
        memcpy(&sin6, ci->client_addr, sizeof(sin6));
        if (IN6_IS_ADDR_V4MAPPED(&sin6.sin6_addr)) /* a dual-stack socket: show plain IPv4 */
            inet_ntop(AF_INET, &sin6.sin6_addr.s6_addr[12], text, sizeof(text));
        else
            inet_ntop(AF_INET6, &sin6.sin6_addr, text, sizeof(text));
    }
    return arena_str(a, str_c(text));
}

static bool starts_caseless(struct str s, const char *prefix)
{
    size_t n = strlen(prefix);
    return s.len >= n && strncasecmp(s.ptr, prefix, n) == 0;
}

/* Split the request target URI (as received) into raw_path and query.  The
 * absolute form ("http://host/path", RFC 9112 section 3.2.2) is reduced to its
 * path; the authority is the Host header's business. */
static void split_target(struct req_state *st, const char *uri)
{
    size_t len = strlen(uri);
    char *t = arena_strndup(&st->req.arena, uri, len);
    const char *q = memchr(t, '?', len);
    struct str path = str_make(t, q ? (size_t)(q - t) : len);
    st->target = str_make(t, len);
    st->req.query = q ? str_make(q + 1, len - (size_t)(q + 1 - t)) : str_make(t + len, 0);
    if (starts_caseless(path, "http://") || starts_caseless(path, "https://")) {
        const char *auth = memchr(path.ptr, ':', path.len) + 3;
        const char *slash = memchr(auth, '/', (size_t)(path.ptr + path.len - auth));
        path = slash ? str_make(slash, (size_t)(path.ptr + path.len - slash)) : STR_LIT("/");
    }
    st->req.raw_path = path;
}

/* libmicrohttpd's URI callback: the request line has arrived. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *mc)
{
    struct http_server *srv = cls;
    struct arena a;
    arena_init(&a, 0);
    struct req_state *st = arena_zalloc(&a, sizeof(*st));
    st->req.arena = a; /* from here on, allocate from st->req.arena only */
    st->srv = srv;
    st->req.conn = mc;
    st->req.started_ns = (int64_t)clock_mono_ns();
    st->time_ms = clock_now_ms();
    st->req.remote = remote_text(&st->req.arena, mc);
    split_target(st, uri);
    return st;
}

/* The default unescaper would decode %00 into the middle of a C string; url.c
 * decodes instead, from the raw bytes. */
static size_t no_unescape(void *cls, struct MHD_Connection *mc, char *s)
{
    (void)cls;
    (void)mc;
    return strlen(s);
}

static enum http_method parse_method(const char *m)
{
    static const char *const names[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"};
    for (size_t i = 0; i < MH_ARRAY_LEN(names); i++) {
        if (strcmp(m, names[i]) == 0)
            return (enum http_method)i;
    }
    return HTTP_OTHER;
}

static void generic_page(struct req_state *st, int status)
{
    struct buf b;
    const char *reason = http_status_reason(status);
    buf_init(&b, &st->req.arena, 1024);
    buf_addf(&b,
             "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%d %s</title></head>"
             "<body><h1>%d %s</h1></body></html>\n",
             status, reason, status, reason);
    st->res.body = buf_str(&b);
    st->res.content_type = "text/html; charset=utf-8";
}

/* Replace whatever RES holds with the error page for STATUS. */
static void error_page(struct req_state *st, int status)
{
    struct http_server *srv = st->srv;
    struct http_response *res = &st->res;
    discard(res);
    res->status = status;
    if (srv->on_error)
        srv->on_error(srv->ctx, &st->req, status, res);
    res->status = status; /* the page may not change it */
    if (res->body.len && res->content_type == NULL)
        res->content_type = "text/html; charset=utf-8";
    if (res->body.len == 0) {
        struct http_res_header *keep = res->headers;
        discard(res);
        res->status = status;
        res->headers = keep;
        generic_page(st, status);
    }
    if (status == 405 &&
        http_response_header(&st->req, res, "Allow", STR_LIT(ALLOWED_METHODS)) != MH_OK)
        MH_BUG("cannot add Allow");
}

/* Hand RES to libmicrohttpd.  The body is not copied: it stays valid until the
 * completion callback, which runs on_done and releases the arena. */
static enum MHD_Result queue(struct req_state *st)
{
    struct http_response *res = &st->res;
    struct MHD_Connection *mc = st->req.conn;
    struct http_res_header *h = res->headers, *prev = NULL, *next;
    void *body = (void *)(res->body.ptr ? res->body.ptr : ""); /* PERSISTENT: never written */
    struct MHD_Response *r =
        MHD_create_response_from_buffer(res->body.len, body, MHD_RESPMEM_PERSISTENT);
    if (r == NULL)
        return MHD_NO; /* out of memory in libmicrohttpd: it closes the connection */
    if (res->body.len)
        MHD_add_response_header(r, "Content-Type",
                                res->content_type ? res->content_type : "application/octet-stream");
    for (; h; h = next) { /* the list is newest first: reverse it to send in order */
        next = h->next;
        h->next = prev;
        prev = h;
    }
    res->headers = prev;
    for (h = res->headers; h; h = h->next)
        MHD_add_response_header(r, h->name, h->value);
    if (atomic_load(&st->srv->stopping))
        MHD_add_response_header(r, "Connection", "close");
    enum MHD_Result ok = MHD_queue_response(mc, (unsigned)res->status, r);
    MHD_destroy_response(r); /* libmicrohttpd holds its own reference until it is sent */
    if (ok == MHD_YES) {
        bool no_body = st->req.method == HTTP_HEAD || res->status == 204 || res->status == 304;
        st->status = res->status;
        st->bytes = no_body ? 0 : res->body.len;
    }
    return ok;
}

/* Answer: run the handler unless the request was refused already. */
static enum MHD_Result answer(struct req_state *st)
{
    struct http_server *srv = st->srv;
    struct http_response *res = &st->res;
    int status = st->reject;
    if (status == 0) {
        st->req.body = buf_str(&st->body);
        memset(res, 0, sizeof(*res));
        int rc = srv->handler(srv->ctx, &st->req, res);
        if (rc != MH_OK)
            status = http_status_for(rc); /* error_page() discards what the handler left */
        else if (res->status == 0)
            res->status = 200;
    }
    if (status)
        error_page(st, status);
    return queue(st);
}

static bool is_chunked(const char *te)
{
    struct str s = str_trim(str_c(te));
    return s.len == 7 && strncasecmp(s.ptr, "chunked", 7) == 0;
}

struct framing {
    int content_length, transfer_encoding, host; /* how many of each */
    const char *cl, *te;                         /* the last value of each */
};

static enum MHD_Result count_framing(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
    struct framing *f = cls;
    (void)kind;
    if (strcasecmp(key, "Content-Length") == 0) {
        f->content_length++;
        f->cl = value;
    } else if (strcasecmp(key, "Transfer-Encoding") == 0) {
        f->transfer_encoding++;
        f->te = value;
    } else if (strcasecmp(key, "Host") == 0) {
        f->host++;
    }
    return MHD_YES;
}

/* The body limit of PATH (as received): its own, or the server's. */
static size_t body_limit(const struct http_server *srv, struct str path)
{
    for (size_t i = 0; i < HTTP_MAX_BODY_LIMITS; i++) {
        const struct http_body_limit *l = &srv->cfg.body_limits[i];
        if (l->prefix && str_starts(path, l->prefix))
            return l->max;
    }
    return srv->cfg.max_body;
}

/*
 * The first call: the headers are in.  Decide whether the handler will see
 * this request.  Refusals of requests without a body are answered on the
 * next call, which keeps the connection alive; with a body they are answered
 * now, so that libmicrohttpd closes the connection instead of reading it.
 */
static enum MHD_Result first_call(struct req_state *st, const char *method, const char *version)
{
    struct http_server *srv = st->srv;
    struct http_request *req = &st->req;
    struct framing f = {0};
    int64_t clen = 0;
    size_t max_body = srv->cfg.max_body;
    int status = 0, rc;
    st->called = true; /* in flight from now on: a graceful stop waits for it */
    atomic_fetch_add(&srv->inflight, 1);
    st->method_name = arena_str(&req->arena, str_c(method));
    st->version = arena_str(&req->arena, str_c(version));
    req->method = parse_method(method);
    MHD_get_connection_values(req->conn, MHD_HEADER_KIND, count_framing, &f);
    if (f.content_length == 1 && str_to_i64(str_trim(str_c(f.cl)), 0, INT64_MAX, &clen) != MH_OK)
        clen = -1;
    /* a body, or framing we cannot trust: a refusal must close the connection */
    st->has_body = f.transfer_encoding > 0 || f.content_length > 1 || clen != 0;
    if (f.content_length > 1 || f.transfer_encoding > 1 || f.host > 1 ||
        (f.content_length && f.transfer_encoding) || clen < 0)
        status = 400; /* ambiguous framing: the stuff request smuggling is made of */
    else if (f.transfer_encoding && !is_chunked(f.te))
        status = 501; /* chunked is the only transfer coding we know */
    else if ((uint64_t)clen > (max_body = body_limit(srv, req->raw_path)))
        status = 413;
    else if (req->method > HTTP_DELETE)
        status = 405;
    else if ((rc = http_url_decode_path(req->raw_path, &req->arena, &req->path)) != MH_OK)
        status = rc == MH_TOOBIG ? 414 : 400;
    else if (http_query_parse(req->query, &req->arena, &req->params) != MH_OK)
        status = 400;
    if (status == 0) {
        buf_init(&st->body, &req->arena, max_body);
        if (clen > 0 && buf_reserve(&st->body, (size_t)clen)) /* one allocation for the body */
            buf_commit(&st->body, 0);
        return MHD_YES;
    }
    st->reject = status;
    return st->has_body ? answer(st) : MHD_YES;
}

/* Body bytes.  A declared length was checked already; a chunked body that
 * outgrows max_body cannot be answered in the middle (libmicrohttpd 0.9.75
 * queues responses only before or after the body), so its connection closes. */
static enum MHD_Result take_body(struct req_state *st, const char *data, size_t *len)
{
    if (st->reject) {
        *len = 0;
        return MHD_YES;
    }
    if (*len > st->body.max - st->body.len) {
        st->reject = 413;
        return MHD_NO;
    }
    buf_add(&st->body, data, *len);
    *len = 0;
    return MHD_YES;
}

/* libmicrohttpd calls this at least twice per request: first to announce it,
 * then with body bytes if any, then to let us answer.  Answering on the first
 * call makes 0.9.75 close the connection (Connection: close), so we do not,
 * except to refuse a body. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *mc, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_len, void **state)
{
    struct req_state *st = *state;
    (void)cls;
    (void)mc;
    (void)url; /* raw_path comes from the URI callback, before libmicrohttpd cuts it */
    if (st == NULL)
        return MHD_NO; /* every request passes on_uri first */
    if (!st->called)
        return first_call(st, method, version);
    if (*upload_len)
        return take_body(st, upload, upload_len);
    if (st->status)
        return MHD_YES; /* answered on the first call */
    return answer(st);
}

/* The status for the log when none was sent: nginx's conventions. */
static int unanswered_status(struct MHD_Connection *mc, enum MHD_RequestTerminationCode toe)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(mc, MHD_CONNECTION_INFO_HTTP_STATUS);
    if (ci && ci->http_status)
        return (int)ci->http_status; /* libmicrohttpd's own answer (431, 400, ...) */
    switch (toe) {
    case MHD_REQUEST_TERMINATED_TIMEOUT_REACHED:
        return 408;
    case MHD_REQUEST_TERMINATED_DAEMON_SHUTDOWN:
        return 503;
    case MHD_REQUEST_TERMINATED_READ_ERROR:
    case MHD_REQUEST_TERMINATED_CLIENT_ABORT:
        return 499; /* the client went away */
    default:
        return 400;
    }
}

static void on_completed(void *cls, struct MHD_Connection *mc, void **state,
                         enum MHD_RequestTerminationCode toe)
{
    struct http_server *srv = cls;
    struct req_state *st = *state;
    if (st == NULL)
        return;
    *state = NULL;
    discard(&st->res);
    if (srv->cfg.access_log != HTTP_LOG_OFF) {
        struct http_log_entry e = {
            .time_ms = st->time_ms,
            .remote = st->req.remote,
            .method = st->method_name,
            .target = st->target,
            .version = st->version,
            .referer = http_header(&st->req, "Referer"),
            .ua = http_header(&st->req, "User-Agent"),
            .status = st->status,
            .bytes = toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? st->bytes : 0,
            .duration_ns = clock_mono_ns() - (uint64_t)st->req.started_ns,
        };
        if (e.status == 0) /* a chunked body over max_body is refused by closing: log why */
            e.status = st->reject ? st->reject : unanswered_status(mc, toe);
        http_log_write(srv->cfg.log_out, srv->cfg.access_log, &e, &st->req.arena);
    }
    bool counted = st->called;
    struct arena a = st->req.arena; /* ST lives in it */
    arena_release(&a);
    if (counted && atomic_fetch_sub(&srv->inflight, 1) == 1 && atomic_load(&srv->stopping)) {
        pthread_mutex_lock(&srv->lock);
        pthread_cond_broadcast(&srv->drained);
        pthread_mutex_unlock(&srv->lock);
    }
}

/* libmicrohttpd's messages: the reason for a failed start goes to ERRBUF; later
 * ones are about single connections, which any client can provoke, so debug. */
static void on_mhd_log(void *cls, const char *fmt, va_list ap) MH_PRINTF(2, 0);
static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    struct http_server *srv = cls;
    char msg[512];
    vsnprintf(msg, sizeof(msg), fmt, ap);
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == '.' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    if (atomic_load(&srv->starting)) {
        pthread_mutex_lock(&srv->lock);
        if (srv->errlen)
            snprintf(srv->errbuf, srv->errlen, "cannot listen on '%s': %s", srv->cfg.listen, msg);
        pthread_mutex_unlock(&srv->lock);
    }
    log_debug("http: %s", msg);
}

/* ------------------------------------------------------------------ */
/* Starting and stopping                                                */

/* "host:port" or "[v6]:port" into *SS and *PORTNUM. */
static int parse_listen(const char *listen, struct sockaddr_storage *ss, uint16_t *portnum,
                        char *err, size_t errlen)
{
    char host[256];
    const char *port;
    size_t hlen;
    int64_t n;
    if (listen[0] == '[') {
        const char *close = strchr(listen, ']');
        if (close == NULL || close[1] != ':')
            goto bad;
        hlen = (size_t)(close - listen - 1);
        memcpy(host, listen + 1, hlen < sizeof(host) ? hlen : 0);
        port = close + 2;
    } else {
        const char *colon = strrchr(listen, ':');
        if (colon == NULL)
            goto bad;
        hlen = (size_t)(colon - listen);
        memcpy(host, listen, hlen < sizeof(host) ? hlen : 0);
        port = colon + 1;
    }
    if (hlen >= sizeof(host) || str_to_i64(str_c(port), 0, 65535, &n) != MH_OK)
        goto bad;
    *portnum = (uint16_t)n;
    host[hlen] = '\0';
    struct addrinfo hints = {0}, *ai = NULL;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    int gai = getaddrinfo(hlen ? host : NULL, port, &hints, &ai);
    if (gai != 0) {
        snprintf(err, errlen, "cannot listen on '%s': %s", listen, gai_strerror(gai));
        return MH_INVAL;
    }
    memset(ss, 0, sizeof(*ss));
    memcpy(ss, ai->ai_addr, ai->ai_addrlen);
    freeaddrinfo(ai);
    return MH_OK;
bad:
    snprintf(err, errlen, "cannot listen on '%s': expected HOST:PORT or [IPV6]:PORT", listen);
    return MH_INVAL;
}

struct http_server *http_server_new(const struct http_config *cfg, http_handler_fn *handler,
                                    http_error_fn *on_error, void *ctx, char *errbuf, size_t errlen)
{
    struct sockaddr_storage ss;
    uint16_t portnum;
    pthread_condattr_t ca;
    if (errlen)
        errbuf[0] = '\0';
    if (parse_listen(cfg->listen ? cfg->listen : "", &ss, &portnum, errbuf, errlen) != MH_OK)
        return NULL;
    struct http_server *srv = mh_calloc(1, sizeof(*srv));
    srv->cfg = *cfg;
    srv->cfg.listen = mh_strdup(cfg->listen);
    if (srv->cfg.threads <= 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        srv->cfg.threads = n > 0 && n < 1024 ? (int)n : 1;
    }
    if (srv->cfg.max_connections == 0)
        srv->cfg.max_connections = 10000;
    if (srv->cfg.idle_timeout_s == 0)
        srv->cfg.idle_timeout_s = 30;
    if (srv->cfg.max_header_bytes == 0)
        srv->cfg.max_header_bytes = 32 * MH_KIB;
    if (srv->cfg.max_body == 0)
        srv->cfg.max_body = MH_MAX_BODY;
    if (srv->cfg.grace_s == 0)
        srv->cfg.grace_s = 30;
    if (srv->cfg.log_out == NULL)
        srv->cfg.log_out = stdout;
    srv->handler = handler;
    srv->on_error = on_error;
    srv->ctx = ctx;
    srv->errbuf = errbuf;
    srv->errlen = errlen;
    srv->wake[0] = srv->wake[1] = -1;
    atomic_init(&srv->inflight, 0);
    atomic_init(&srv->stopping, false);
    atomic_init(&srv->starting, true);
    pthread_mutex_init(&srv->lock, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&srv->drained, &ca);
    pthread_condattr_destroy(&ca);
    if (pipe(srv->wake) != 0) {
        snprintf(errbuf, errlen, "cannot make a pipe: %s", strerror(errno));
        goto fail;
    }
    for (int i = 0; i < 2; i++)
        fcntl(srv->wake[i], F_SETFD, FD_CLOEXEC);
    fcntl(srv->wake[1], F_SETFL, O_NONBLOCK); /* a signal storm drops bytes, never blocks */

    /* poll(), not epoll: libmicrohttpd 0.9.75's MHD_quiesce_daemon() races with its
     * own epoll loop over the listen socket (both take it out of the epoll set,
     * and the loser calls MHD_PANIC, which aborts), so a graceful stop could
     * kill the process.  With poll() quiescing goes through the inter-thread
     * channel.  A pool thread polls its few connections; the cost did not show
     * in bench/serve. */
    unsigned flags = MHD_USE_POLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_USE_ITC;
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    /* clang-format off */
    srv->daemon = MHD_start_daemon(flags, portnum /* for its messages: SOCK_ADDR decides */,
        NULL, NULL, on_request, srv,
        MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, srv, /* first, to catch every message */
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)srv->cfg.threads,
        MHD_OPTION_CONNECTION_LIMIT, srv->cfg.max_connections,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, srv->cfg.max_per_ip,
        MHD_OPTION_CONNECTION_TIMEOUT, srv->cfg.idle_timeout_s,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, srv->cfg.max_header_bytes,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, srv,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
        MHD_OPTION_UNESCAPE_CALLBACK, no_unescape, NULL,
        MHD_OPTION_STRICT_FOR_CLIENT, 1, /* e.g. HTTP/1.1 without Host: 400 */
        MHD_OPTION_END);
    /* clang-format on */
    atomic_store(&srv->starting, false);
    if (srv->daemon == NULL) {
        pthread_mutex_lock(&srv->lock);
        if (errlen && errbuf[0] == '\0')
            snprintf(errbuf, errlen, "cannot listen on '%s'", cfg->listen);
        pthread_mutex_unlock(&srv->lock);
        goto fail;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
    srv->port = di ? di->port : 0;
    srv->errbuf = NULL;
    srv->errlen = 0;
    return srv;
fail:
    srv->errbuf = NULL;
    srv->errlen = 0;
    http_server_free(srv);
    return NULL;
}

int http_server_port(const struct http_server *srv)
{
    return srv->port;
}

/* The write end of the running server's pipe, for the signal handler. */
static volatile sig_atomic_t signal_fd = -1;

static void on_signal(int sig)
{
    int saved = errno;
    char c = sig == SIGHUP ? 'H' : 'T';
    if (signal_fd >= 0 && write(signal_fd, &c, 1) < 0) {
        /* the pipe is full: a stop or reload is pending already */
    }
    errno = saved;
}

/* Stop accepting, wait for in-flight requests (at most grace_s), stop the pool. */
static void drain_and_stop(struct http_server *srv)
{
    struct timespec deadline;
    atomic_store(&srv->stopping, true);
    MHD_socket fd = MHD_quiesce_daemon(srv->daemon);
    if (fd != MHD_INVALID_SOCKET)
        shutdown(fd, SHUT_RDWR); /* refuse new clients now rather than leave them in the backlog */
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += srv->cfg.grace_s;
    pthread_mutex_lock(&srv->lock);
    while (atomic_load(&srv->inflight) > 0) {
        if (pthread_cond_timedwait(&srv->drained, &srv->lock, &deadline) == ETIMEDOUT) {
            log_warn("stopping with %ld requests still in flight after %u s",
                     atomic_load(&srv->inflight), srv->cfg.grace_s);
            break;
        }
    }
    pthread_mutex_unlock(&srv->lock);
    MHD_stop_daemon(srv->daemon);
    srv->daemon = NULL;
    if (fd != MHD_INVALID_SOCKET)
        close(fd); /* after MHD_stop_daemon, as its documentation asks */
}

int http_server_run(struct http_server *srv, void (*on_reload)(void *ctx), void *ctx)
{
    static const int sigs[] = {SIGTERM, SIGINT, SIGHUP};
    struct sigaction sa, old[MH_ARRAY_LEN(sigs)];
    size_t installed = 0;
    int rc = MH_OK;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    signal_fd = srv->wake[1];
    for (; installed < MH_ARRAY_LEN(sigs); installed++) {
        if (sigaction(sigs[installed], &sa, &old[installed]) != 0) {
            log_error("cannot install a signal handler: %s", strerror(errno));
            rc = MH_IO;
            goto out;
        }
    }
    for (;;) {
        char c;
        ssize_t n = read(srv->wake[0], &c, 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break; /* cannot happen while we hold the write end; stop anyway */
        if (c == 'H') {
            if (on_reload)
                on_reload(ctx);
            continue;
        }
        break;
    }
out:
    while (installed > 0) {
        installed--;
        sigaction(sigs[installed], &old[installed], NULL);
    }
    signal_fd = -1;
    if (rc == MH_OK && srv->daemon)
        drain_and_stop(srv);
    return rc;
}

void http_server_stop(struct http_server *srv)
{
    char c = 'S';
    if (write(srv->wake[1], &c, 1) < 0) {
        /* full: a stop is pending already */
    }
}

void http_server_free(struct http_server *srv)
{
    if (srv == NULL)
        return;
    if (srv->daemon) {
        atomic_store(&srv->stopping, true);
        MHD_stop_daemon(srv->daemon);
    }
    for (int i = 0; i < 2; i++) {
        if (srv->wake[i] >= 0)
            close(srv->wake[i]);
    }
    pthread_cond_destroy(&srv->drained);
    pthread_mutex_destroy(&srv->lock);
    free((char *)srv->cfg.listen);
    free(srv);
}
