/* SPDX-License-Identifier: MIT */
/*
 * multipart_test.c - http/multipart.c over real HTTP on 127.0.0.1: fields
 * and files (binary, with CR LF and NUL inside), several parts of one name,
 * large files in many pieces, malformed bodies, the part limit, and the
 * per-path body limit an upload route needs.
 */
#include "../check.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/err.h"
#include "http/http.h"
#include "http/multipart.h"

/* The handler answers with what it parsed: "rc=0 n=2\nname|filename|type|len|crc\n..." */
static int handler(void *ctx, struct http_request *req, struct http_response *res)
{
    struct http_form f = {0};
    struct buf b;
    (void)ctx;
    int rc = http_multipart_parse(req, &f);
    buf_init(&b, &req->arena, 1 << 20);
    buf_addf(&b, "rc=%d n=%zu body=%zu\n", rc, f.n, req->body.len);
    for (size_t i = 0; i < f.n; i++) {
        uint32_t sum = 0;
        for (size_t k = 0; k < f.v[i].data.len; k++)
            sum = sum * 31 + (unsigned char)f.v[i].data.ptr[k];
        buf_addf(&b, "%.*s|%.*s|%.*s|%zu|%08x\n", (int)f.v[i].name.len, f.v[i].name.ptr,
                 (int)f.v[i].filename.len, f.v[i].filename.ptr ? f.v[i].filename.ptr : "",
                 (int)f.v[i].content_type.len,
                 f.v[i].content_type.ptr ? f.v[i].content_type.ptr : "", f.v[i].data.len, sum);
    }
    const struct http_part *t = http_form_get(&f, "title");
    if (t)
        buf_addf(&b, "title=%.*s\n", (int)t->data.len, t->data.ptr);
    res->content_type = "text/plain";
    return buf_finish(&b, &res->body);
}

struct fixture {
    struct http_server *srv;
    pthread_t thread;
    int port;
};

static void *run_server(void *arg)
{
    struct fixture *fx = arg;
    if (http_server_run(fx->srv, NULL, NULL) != MH_OK)
        abort();
    return NULL;
}

static int setup(void **state)
{
    struct fixture *fx = mh_calloc(1, sizeof(*fx));
    char err[256];
    struct http_config cfg = {
        .listen = "127.0.0.1:0",
        .threads = 2,
        .max_body = 4096,
        .body_limits = {{"/upload", 8u << 20}},
        .access_log = HTTP_LOG_OFF,
    };
    fx->srv = http_server_new(&cfg, handler, NULL, NULL, err, sizeof(err));
    assert_non_null(fx->srv);
    fx->port = http_server_port(fx->srv);
    pthread_create(&fx->thread, NULL, run_server, fx);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    http_server_stop(fx->srv);
    pthread_join(fx->thread, NULL);
    http_server_free(fx->srv);
    free(fx);
    return 0;
}

/* POST BODY to PATH with Content-Type CT; the whole response into OUT (heap). */
static int post(struct fixture *fx, const char *path, const char *ct, struct str body,
                struct buf *out)
{
    struct sockaddr_in sin = {0};
    struct timeval tv = {5, 0};
    char head[1024];
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    sin.sin_family = AF_INET;
    sin.sin_port = htons((uint16_t)fx->port);
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    int n = snprintf(head, sizeof(head),
                     "POST %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Type: %s\r\n"
                     "Content-Length: %zu\r\n\r\n",
                     path, ct, body.len);
    send(fd, head, (size_t)n, MSG_NOSIGNAL);
    for (size_t off = 0; off < body.len;) {
        ssize_t k = send(fd, body.ptr + off, body.len - off, MSG_NOSIGNAL);
        if (k <= 0)
            break; /* refused early: read what the server said */
        off += (size_t)k;
    }
    buf_init(out, NULL, 1 << 24);
    char chunk[4096];
    ssize_t k;
    while ((k = recv(fd, chunk, sizeof(chunk), 0)) > 0)
        buf_add(out, chunk, (size_t)k);
    close(fd);
    return out->len > 12 ? (int)strtol(out->data + 9, NULL, 10) : 0;
}

#define B "----masthead-test-boundary"
#define CT "multipart/form-data; boundary=" B

static void test_fields_and_files(void **state)
{
    struct fixture *fx = *state;
    struct buf body, res;
    static const char bin[] = "\x89PNG\r\n\x1a\n\0\0\r\n-- not the boundary\r\n";
    buf_init(&body, NULL, 1 << 20);
    buf_adds(&body, "--" B "\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n"
                    "Harbour cranes, 雪\r\n");
    buf_adds(&body, "--" B "\r\nContent-Disposition: form-data; name=\"file\"; "
                    "filename=\"cranes.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n");
    buf_add(&body, bin, sizeof(bin) - 1);
    buf_adds(&body, "\r\n--" B "\r\nContent-Disposition: form-data; name=\"file\"; "
                    "filename=\"two.png\"\r\nContent-Type: image/png\r\n\r\nsecond\r\n");
    buf_adds(&body, "--" B "--\r\n");
    assert_int_equal(post(fx, "/upload", CT, buf_str(&body), &res), 200);
    if (strstr(res.data, "rc=0 n=3") == NULL)
    assert_non_null(strstr(res.data, "rc=0 n=3"));
    assert_non_null(strstr(res.data, "title=Harbour cranes, 雪\n"));
    assert_non_null(strstr(res.data, "file|cranes.jpg|image/jpeg|33|"));
    assert_non_null(strstr(res.data, "file|two.png|image/png|6|"));
    buf_release(&res);
    buf_release(&body);
}

static void test_large_file_in_pieces(void **state)
{
    struct fixture *fx = *state;
    struct buf body, res, want;
    size_t big = 3u << 20;
    buf_init(&body, NULL, 8u << 20);
    buf_adds(&body, "--" B "\r\nContent-Disposition: form-data; name=\"file\"; "
                    "filename=\"big.bin\"\r\n\r\n");
    uint32_t sum = 0;
    for (size_t i = 0; i < big; i++) {
        char c = (char)((i * 7 + i / 1000) & 0xff);
        buf_add(&body, &c, 1);
        sum = sum * 31 + (unsigned char)c;
    }
    buf_adds(&body, "\r\n--" B "--\r\n");
    assert_int_equal(post(fx, "/upload", CT, buf_str(&body), &res), 200);
    buf_init(&want, NULL, 256);
    buf_addf(&want, "file|big.bin||%zu|%08x\n", big, sum);
    if (strstr(res.data, want.data) == NULL)
        fprintf(stderr, "%s\nwanted %s", res.data, want.data);
    assert_non_null(strstr(res.data, want.data));
    buf_release(&res);
    /* the same body elsewhere is over the server's limit */
    assert_int_equal(post(fx, "/elsewhere", CT, buf_str(&body), &res), 413);
    buf_release(&res);
    buf_release(&want);
    buf_release(&body);
}

static void test_malformed(void **state)
{
    struct fixture *fx = *state;
    struct buf res, body;
    static const struct {
        const char *ct, *body;
    } bad[] = {
        {"text/plain", "hello"},
        {"multipart/form-data", "--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--x--\r\n"},
        {CT, "--" B "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end"},
        {CT, "--" B "\r\nContent-Disposition: form-data; name=\"\"\r\n\r\n1\r\n--" B "--\r\n"},
        {CT, "not a multipart body at all"},
    };
    for (size_t i = 0; i < MH_ARRAY_LEN(bad); i++) {
        assert_int_equal(post(fx, "/upload", bad[i].ct, str_c(bad[i].body), &res), 200);
        if (strstr(res.data, "rc=2 n=0") == NULL)
            fprintf(stderr, "case %zu: %s\n", i, res.data);
        assert_non_null(strstr(res.data, "rc=2 n=0")); /* MH_INVAL */
        buf_release(&res);
    }
    /* too many parts */
    buf_init(&body, NULL, 1 << 20);
    for (int i = 0; i < HTTP_MAX_PARTS + 1; i++)
        buf_addf(&body, "--" B "\r\nContent-Disposition: form-data; name=\"f%d\"\r\n\r\nv\r\n", i);
    buf_adds(&body, "--" B "--\r\n");
    assert_int_equal(post(fx, "/upload", CT, buf_str(&body), &res), 200);
    assert_non_null(strstr(res.data, "rc=1 n=0")); /* MH_TOOBIG */
    buf_release(&res);
    buf_release(&body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fields_and_files),
        cmocka_unit_test(test_large_file_in_pieces),
        cmocka_unit_test(test_malformed),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
