/* SPDX-License-Identifier: MIT */
/*
 * accesslog.c - one line per request, in the combined log format or as JSON.
 * It formats and writes; deciding what goes into a line (status, bytes,
 * times) is server.c's job.  Every byte a client chose is escaped, and long
 * fields are cut, so a hostile request cannot forge lines or grow one without
 * bound.
 */
#include "core/compat.h"

#include <time.h>

#include "core/err.h"
#include "core/utf8.h"
#include "http/http_int.h"

static const char hex[] = "0123456789abcdef";

/* Combined format: printable ASCII passes except '"' and '\\'; the rest is \xHH (nginx). */
static void add_combined(struct buf *b, struct str s)
{
    if (s.ptr == NULL || s.len == 0) {
        buf_addc(b, '-');
        return;
    }
    size_t n = s.len > HTTP_LOG_FIELD_MAX ? HTTP_LOG_FIELD_MAX : s.len;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
            buf_addc(b, (char)c);
        } else {
            char e[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
            buf_add(b, e, sizeof(e));
        }
    }
    if (n < s.len)
        buf_adds(b, "...");
}

/* A JSON string: valid UTF-8 passes, controls are \u00XX, invalid bytes U+FFFD. */
static void add_json(struct buf *b, struct str s)
{
    size_t n = s.len > HTTP_LOG_FIELD_MAX ? HTTP_LOG_FIELD_MAX : s.len;
    const char *p = n ? s.ptr : "", *end = p + n; /* an empty S may have a NULL ptr */
    buf_addc(b, '"');
    while (p < end) {
        unsigned char c = (unsigned char)*p;
        if (c >= 0x80) {
            const char *start = p;
            if (utf8_next(&p, end) < 0)
                buf_adds(b, "\\ufffd"); /* utf8_next advanced one byte */
            else
                buf_add(b, start, (size_t)(p - start));
            continue;
        }
        p++;
        if (c == '"' || c == '\\') {
            char e[2] = {'\\', (char)c};
            buf_add(b, e, sizeof(e));
        } else if (c < 0x20 || c == 0x7F) {
            char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            buf_add(b, e, sizeof(e));
        } else {
            buf_addc(b, (char)c);
        }
    }
    if (n < s.len)
        buf_adds(b, "...");
    buf_addc(b, '"');
}

void http_log_format(struct buf *b, enum http_log_format format, const struct http_log_entry *e)
{
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t secs = (time_t)(e->time_ms / 1000);
    struct tm tm;
    if (format == HTTP_LOG_OFF)
        return;
    if (gmtime_r(&secs, &tm) == NULL)
        memset(&tm, 0, sizeof(tm));
    if (format == HTTP_LOG_COMBINED) {
        add_combined(b, e->remote);
        buf_addf(b, " - - [%02d/%s/%04d:%02d:%02d:%02d +0000] \"", tm.tm_mday,
                 months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
        add_combined(b, e->method);
        buf_addc(b, ' ');
        add_combined(b, e->target);
        buf_addc(b, ' ');
        add_combined(b, e->version);
        buf_addf(b, "\" %d %llu \"", e->status, (unsigned long long)e->bytes);
        add_combined(b, e->referer);
        buf_adds(b, "\" \"");
        add_combined(b, e->ua);
        buf_adds(b, "\"\n");
        return;
    }
    buf_addf(b, "{\"time\":\"%04d-%02d-%02dT%02d:%02d:%02d.%03dZ\",\"remote\":", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(e->time_ms % 1000));
    add_json(b, e->remote);
    buf_adds(b, ",\"method\":");
    add_json(b, e->method);
    buf_adds(b, ",\"path\":");
    add_json(b, e->target);
    buf_addf(b, ",\"status\":%d,\"bytes\":%llu,\"ms\":%.3f,\"referer\":", e->status,
             (unsigned long long)e->bytes, (double)e->duration_ns / 1e6);
    add_json(b, e->referer);
    buf_adds(b, ",\"ua\":");
    add_json(b, e->ua);
    buf_adds(b, "}\n");
}

void http_log_write(FILE *out, enum http_log_format format, const struct http_log_entry *e,
                    struct arena *arena)
{
    struct buf b;
    struct str line;
    if (format == HTTP_LOG_OFF)
        return;
    buf_init(&b, arena, HTTP_LOG_LINE_MAX);
    http_log_format(&b, format, e);
    if (buf_finish(&b, &line) != MH_OK)
        MH_BUG("access log line over its ceiling"); /* fields are capped, so it cannot be */
    if (fwrite(line.ptr, 1, line.len, out) == line.len)
        fflush(out);
}
