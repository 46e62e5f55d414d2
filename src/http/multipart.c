/* SPDX-License-Identifier: MIT */
/*
 * multipart.c - multipart/form-data through MHD_PostProcessor: it calls us
 * back with pieces of each part (name, file name, type, bytes at an
 * offset), which we gather into the request's arena.
 */
#include "core/compat.h"

#include <microhttpd.h>
#include <strings.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "http/http.h"
#include "http/multipart.h"

#define PP_BUFFER (64 * 1024) /* libmicrohttpd's working buffer; the body is already ours */

struct gather {
    struct arena *arena;
    struct http_part part[HTTP_MAX_PARTS];
    struct buf data[HTTP_MAX_PARTS];
    size_t n, max_data;
    int err;
};

static struct str dup_c(struct arena *a, const char *s)
{
    return s ? arena_str(a, str_c(s)) : STR_NULL;
}

static enum MHD_Result on_piece(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *filename, const char *content_type,
                                const char *transfer_encoding, const char *data, uint64_t off,
                                size_t size)
{
    struct gather *g = cls;
    (void)kind;
    (void)transfer_encoding;
    if (g->err)
        return MHD_NO;
    if (key == NULL || key[0] == '\0') {
        g->err = MH_INVAL;
        return MHD_NO;
    }
    /* a new part starts at offset 0; later pieces continue the last one */
    struct http_part *last = g->n ? &g->part[g->n - 1] : NULL;
    bool same = last && off > 0 && str_eq_c(last->name, key) &&
                off == g->data[g->n - 1].len;
    if (!same && off > 0) { /* a piece of a part we never saw begin */
        g->err = MH_INVAL;
        return MHD_NO;
    }
    if (!same) {
        if (g->n == HTTP_MAX_PARTS) {
            g->err = MH_TOOBIG;
            return MHD_NO;
        }
        struct http_part *p = &g->part[g->n];
        p->name = dup_c(g->arena, key);
        p->filename = dup_c(g->arena, filename);
        p->content_type = dup_c(g->arena, content_type);
        buf_init(&g->data[g->n], g->arena, g->max_data);
        g->n++;
    }
    buf_add(&g->data[g->n - 1], data, size);
    if (g->data[g->n - 1].err) {
        g->err = g->data[g->n - 1].err;
        return MHD_NO;
    }
    return MHD_YES;
}

/* The boundary parameter of content type CT, unquoted; empty when absent. */
static struct str boundary_of(struct str ct)
{
    static const char key[] = "boundary=";
    for (size_t i = 0; i + sizeof(key) - 1 <= ct.len; i++) {
        if (strncasecmp(ct.ptr + i, key, sizeof(key) - 1) != 0)
            continue;
        const char *p = ct.ptr + i + sizeof(key) - 1, *end = ct.ptr + ct.len;
        bool quoted = p < end && *p == '"';
        const char *q = p += quoted;
        while (q < end && (quoted ? *q != '"' : *q != ';' && *q != ' '))
            q++;
        return str_make(p, (size_t)(q - p));
    }
    return STR_NULL;
}

/* Does BODY hold the closing delimiter "--BOUNDARY--"?  libmicrohttpd
 * accepts a body that never finds its boundary as an empty form. */
static bool has_close(struct str body, struct str boundary)
{
    size_t n = boundary.len + 4;
    for (size_t i = 0; i + n <= body.len; i++)
        if (body.ptr[i] == '-' && body.ptr[i + 1] == '-' &&
            memcmp(body.ptr + i + 2, boundary.ptr, boundary.len) == 0 &&
            body.ptr[i + 2 + boundary.len] == '-' && body.ptr[i + 3 + boundary.len] == '-')
            return true;
    return false;
}

int http_multipart_parse(struct http_request *req, struct http_form *out)
{
    struct str ct = http_header(req, "Content-Type");
    static const char want[] = "multipart/form-data";
    if (ct.len < sizeof(want) - 1 || strncasecmp(ct.ptr, want, sizeof(want) - 1) != 0)
        return MH_INVAL;
    struct str boundary = boundary_of(ct);
    if (boundary.len == 0 || boundary.len > 70 || !has_close(req->body, boundary))
        return MH_INVAL;
    struct gather *g = arena_zalloc(&req->arena, sizeof(*g));
    g->arena = &req->arena;
    g->max_data = req->body.len + 1;
    struct MHD_PostProcessor *pp =
        MHD_create_post_processor(req->conn, PP_BUFFER, on_piece, g);
    if (pp == NULL)
        return MH_INVAL; /* no boundary, or not a type libmicrohttpd knows */
    enum MHD_Result r = MHD_YES;
    if (req->body.len)
        r = MHD_post_process(pp, req->body.ptr, req->body.len);
    /* MHD_NO from destroy: the body ended before the closing boundary */
    enum MHD_Result complete = MHD_destroy_post_processor(pp);
    if (g->err)
        return g->err;
    if (r != MHD_YES || complete != MHD_YES)
        return MH_INVAL;
    out->v = arena_alloc(&req->arena, (g->n ? g->n : 1) * sizeof(*out->v));
    for (size_t i = 0; i < g->n; i++) {
        out->v[i] = g->part[i];
        out->v[i].data = buf_str(&g->data[i]);
    }
    out->n = g->n;
    return MH_OK;
}

const struct http_part *http_form_get(const struct http_form *f, const char *name)
{
    for (size_t i = 0; i < f->n; i++)
        if (str_eq_c(f->v[i].name, name))
            return &f->v[i];
    return NULL;
}
