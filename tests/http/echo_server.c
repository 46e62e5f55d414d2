/* SPDX-License-Identifier: MIT */
/*
 * echo_server.c - a tiny program around src/http/ for the integration tests
 * (tests/integration/http_hostile.sh): it serves an echo handler on the
 * address given, prints "port N" once listening, "reload N" on each SIGHUP
 * and "stopped, N bodies outstanding" when it returns.  Paths:
 *   /slow?ms=N     sleeps N ms first (for graceful shutdown)
 *   /rc/NAME       returns that rc (notfound, gone, inval, forbidden, conflict,
 *                  toobig, timeout, db, io) so http_status_for() shows
 *   /bytes?n=N     N bytes of 'x'
 *   /cached        a body held by a refcount and released through on_done
 *   /header?v=V    adds X-Echo: V (refused with CR/LF: then 400)
 *   anything else  echoes method, paths, query parameters and body
 */
#include "core/compat.h"

#include <stdatomic.h>
#include <time.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"
#include "http/http.h"

static atomic_long outstanding; /* /cached bodies not yet released */
static atomic_long reloads;
static bool plain_errors;

static void cached_done(void *arg)
{
    free(arg);
    atomic_fetch_sub(&outstanding, 1);
}

static int64_t num_param(const struct http_request *req, const char *name, int64_t max)
{
    int64_t v;
    if (str_to_i64(http_query_param(req, name), 0, max, &v) != MH_OK)
        return -1;
    return v;
}

static int rc_named(struct str name)
{
    static const struct {
        const char *name;
        int rc;
    } rcs[] = {{"notfound", MH_NOTFOUND},
               {"gone", MH_GONE},
               {"inval", MH_INVAL},
               {"forbidden", MH_FORBIDDEN},
               {"conflict", MH_CONFLICT},
               {"toobig", MH_TOOBIG},
               {"timeout", MH_TIMEOUT},
               {"db", MH_DB},
               {"io", MH_IO}};
    for (size_t i = 0; i < MH_ARRAY_LEN(rcs); i++) {
        if (str_eq_c(name, rcs[i].name))
            return rcs[i].rc;
    }
    return MH_NOTFOUND;
}

static int echo(void *ctx, struct http_request *req, struct http_response *res)
{
    static const char *const methods[] = {"GET",    "HEAD",    "POST", "PUT",
                                          "DELETE", "OPTIONS", "OTHER"};
    (void)ctx;
    res->content_type = "text/plain; charset=utf-8";
    if (str_eq_c(req->path, "/slow")) {
        int64_t ms = num_param(req, "ms", 60000);
        struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
        if (ms > 0)
            nanosleep(&ts, NULL);
    } else if (str_starts(req->path, "/rc/")) {
        return rc_named(str_make(req->path.ptr + 4, req->path.len - 4));
    } else if (str_eq_c(req->path, "/bytes")) {
        int64_t n = num_param(req, "n", 1 << 24);
        if (n < 0)
            return MH_INVAL;
        char *p = arena_alloc(&req->arena, (size_t)n + 1);
        memset(p, 'x', (size_t)n);
        res->body = str_make(p, (size_t)n);
        return MH_OK;
    } else if (str_eq_c(req->path, "/cached")) {
        static const char text[] = "a body that outlives the request arena\n";
        char *p = mh_strdup(text);
        atomic_fetch_add(&outstanding, 1);
        res->body = str_make(p, sizeof(text) - 1);
        res->on_done = cached_done;
        res->on_done_arg = p;
        return MH_OK;
    } else if (str_eq_c(req->path, "/header")) {
        int rc = http_response_header(req, res, "X-Echo", http_query_param(req, "v"));
        if (rc)
            return rc;
    }
    struct buf b;
    buf_init(&b, &req->arena, 1 << 20);
    buf_addf(&b, "method=%s\npath=%.*s\nraw_path=%.*s\nquery=%.*s\n", methods[req->method],
             (int)req->path.len, req->path.ptr, (int)req->raw_path.len, req->raw_path.ptr,
             (int)req->query.len, req->query.ptr);
    for (size_t i = 0; i < req->params.n; i++) {
        const struct http_param *p = &req->params.v[i];
        buf_addf(&b, "param %.*s=%.*s\n", (int)p->name.len, p->name.ptr, (int)p->value.len,
                 p->value.ptr);
    }
    struct str host = http_header(req, "host");
    buf_adds(&b, "host=");
    buf_addstr(&b, host); /* NULL without a Host header: no printf */
    buf_addf(&b, "\nremote=%.*s\nbody-bytes=%zu\n", (int)req->remote.len, req->remote.ptr,
             req->body.len);
    if (req->body.len <= 256)
        buf_addf(&b, "body=%.*s\n", (int)req->body.len, req->body.ptr);
    res->status = str_eq_c(req->path, "/created") ? 201 : 200;
    return buf_finish(&b, &res->body);
}

static void error_page(void *ctx, struct http_request *req, int status, struct http_response *res)
{
    (void)ctx;
    if (plain_errors)
        return; /* the server's generic page */
    struct buf b;
    buf_init(&b, &req->arena, 256);
    buf_addf(&b, "<p>echo error page %d</p>\n", status);
    if (buf_finish(&b, &res->body) == MH_OK)
        res->content_type = "text/html; charset=utf-8";
    if (http_response_header(req, res, "X-Error-Page", STR_LIT("echo")) != MH_OK)
        MH_BUG("cannot add a header");
}

static void on_reload(void *ctx)
{
    (void)ctx;
    printf("reload %ld\n", atomic_fetch_add(&reloads, 1) + 1);
    fflush(stdout);
}

static unsigned long num_arg(const char *s)
{
    int64_t v;
    if (str_to_i64(str_c(s), 0, INT32_MAX, &v) != MH_OK) {
        fprintf(stderr, "echo_server: '%s' is not a number\n", s);
        exit(2);
    }
    return (unsigned long)v;
}

int main(int argc, char **argv)
{
    struct http_config cfg = {.listen = "127.0.0.1:0", .threads = 2, .access_log = HTTP_LOG_OFF};
    FILE *log = NULL;
    char err[256];
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--plain-errors") == 0) {
            plain_errors = true;
            continue;
        }
        if (v == NULL) {
            fprintf(stderr, "echo_server: %s needs a value\n", a);
            return 2;
        }
        i++;
        if (strcmp(a, "--listen") == 0)
            cfg.listen = v;
        else if (strcmp(a, "--threads") == 0)
            cfg.threads = (int)num_arg(v);
        else if (strcmp(a, "--max-conn") == 0)
            cfg.max_connections = (unsigned)num_arg(v);
        else if (strcmp(a, "--per-ip") == 0)
            cfg.max_per_ip = (unsigned)num_arg(v);
        else if (strcmp(a, "--timeout") == 0)
            cfg.idle_timeout_s = (unsigned)num_arg(v);
        else if (strcmp(a, "--max-header") == 0)
            cfg.max_header_bytes = num_arg(v);
        else if (strcmp(a, "--max-body") == 0)
            cfg.max_body = num_arg(v);
        else if (strcmp(a, "--grace") == 0)
            cfg.grace_s = (unsigned)num_arg(v);
        else if (strcmp(a, "--log") == 0)
            cfg.access_log = strcmp(v, "json") == 0       ? HTTP_LOG_JSON
                             : strcmp(v, "combined") == 0 ? HTTP_LOG_COMBINED
                                                          : HTTP_LOG_OFF;
        else if (strcmp(a, "--log-file") == 0 && (log = fopen(v, "a")) != NULL)
            cfg.log_out = log;
        else {
            fprintf(stderr, "echo_server: bad option '%s %s'\n", a, v);
            return 2;
        }
    }
    if (getenv("ECHO_DEBUG"))
        log_set_level(LOG_DEBUG);
    struct http_server *srv = http_server_new(&cfg, echo, error_page, NULL, err, sizeof(err));
    if (srv == NULL) {
        fprintf(stderr, "echo_server: %s\n", err);
        return 1;
    }
    printf("port %d\n", http_server_port(srv));
    fflush(stdout);
    int rc = http_server_run(srv, on_reload, NULL);
    http_server_free(srv);
    printf("stopped, %ld bodies outstanding\n", atomic_load(&outstanding));
    if (log)
        fclose(log);
    return rc == MH_OK ? 0 : 1;
}
