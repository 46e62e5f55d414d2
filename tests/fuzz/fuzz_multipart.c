/* SPDX-License-Identifier: MIT */
/*
 * fuzz_multipart.c - libFuzzer target for http/multipart.c.  The input's
 * first line is the Content-Type header, the rest the request body; it is
 * POSTed over a real socket to a server (started once, on 127.0.0.1, port
 * 0) whose handler parses it, because MHD_PostProcessor reads the header
 * from a live connection.  The handler checks the parser's promises: few
 * enough parts, each named, each inside the body's size.  Seeds are in
 * tests/fuzz/corpus/multipart/.
 */
#include "core/compat.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <time.h>
#include <errno.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/err.h"
#include "http/http.h"
#include "http/multipart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int handler(void *ctx, struct http_request *req, struct http_response *res)
{
    struct http_form f = {0};
    (void)ctx;
    int rc = http_multipart_parse(req, &f);
    if (rc != MH_OK && rc != MH_INVAL && rc != MH_TOOBIG)
        MH_BUG("http_multipart_parse returned %d", rc);
    if (rc == MH_OK) {
        size_t total = 0;
        if (f.n > HTTP_MAX_PARTS)
            MH_BUG("%zu parts", f.n);
        for (size_t i = 0; i < f.n; i++) {
            if (f.v[i].name.len == 0)
                MH_BUG("a part without a name");
            total += f.v[i].data.len;
            (void)http_form_get(&f, "file");
        }
        if (total > req->body.len)
            MH_BUG("parts hold %zu bytes of a %zu-byte body", total, req->body.len);
    }
    res->content_type = "text/plain";
    res->body = rc == MH_OK ? STR_LIT("ok\n") : STR_LIT("refused\n");
    return MH_OK;
}

static struct http_server *srv;
static int port;

static void *run(void *arg)
{
    (void)arg;
    if (http_server_run(srv, NULL, NULL) != MH_OK)
        MH_BUG("the fuzz server stopped");
    return NULL;
}

static void start(void)
{
    char err[256];
    struct http_config cfg = {
        .listen = "127.0.0.1:0",
        .threads = 1,
        .max_body = 1 << 20,
        .access_log = HTTP_LOG_OFF,
    };
    pthread_t t;
    srv = http_server_new(&cfg, handler, NULL, NULL, err, sizeof(err));
    if (srv == NULL)
        MH_BUG("%s", err);
    port = http_server_port(srv);
    pthread_create(&t, NULL, run, NULL);
    pthread_detach(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, start);
    const uint8_t *nl = memchr(data, '\n', size);
    size_t ct_len = nl ? (size_t)(nl - data) : size;
    struct buf req;
    buf_init(&req, NULL, 4u << 20);
    buf_adds(&req, "POST /upload HTTP/1.1\r\nHost: f\r\nConnection: close\r\nContent-Type: ");
    for (size_t i = 0; i < ct_len && i < 1000; i++) /* one header line, whatever the bytes */
        buf_addc(&req, data[i] == '\r' || data[i] == '\0' ? ' ' : (char)data[i]);
    size_t body = nl ? size - ct_len - 1 : 0;
    buf_addf(&req, "\r\nContent-Length: %zu\r\n\r\n", body);
    if (body)
        buf_add(&req, nl + 1, body);

    struct sockaddr_in sin = {0};
    struct timeval tv = {10, 0};
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        MH_BUG("socket");
    sin.sin_family = AF_INET;
    sin.sin_port = htons((uint16_t)port);
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    /* tens of thousands of connections a minute: close with a reset (no
     * TIME_WAIT), and wait out a moment without a free local port */
    struct linger reset = {1, 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof(reset));
    int tries = 0;
    while (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        if (errno == EISCONN) /* an interrupted connect that finished meanwhile */
            break;
        if ((errno != EINTR && errno != EALREADY && errno != EINPROGRESS &&
             errno != EADDRNOTAVAIL && errno != EAGAIN) ||
            ++tries > 500)
            MH_BUG("connect: %s", strerror(errno));
        nanosleep(&ts, NULL);
    }
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    for (size_t off = 0; off < req.len;) {
        ssize_t k = send(fd, req.data + off, req.len - off, MSG_NOSIGNAL);
        if (k <= 0)
            break;
        off += (size_t)k;
    }
    char sink[4096];
    while (recv(fd, sink, sizeof(sink), 0) > 0)
        ;
    close(fd);
    buf_release(&req);
    return 0;
}
