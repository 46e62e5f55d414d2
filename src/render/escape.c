/* SPDX-License-Identifier: MIT */
/* escape.c - copy runs of safe bytes at once; replace the few that are not. */
#include "core/compat.h"

#include "core/buf.h"
#include "render/escape.h"

void escape_html(struct buf *out, struct str s)
{
    size_t run = 0;
    for (size_t i = 0; i < s.len; i++) {
        const char *rep;
        switch (s.ptr[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: continue;
        }
        buf_add(out, s.ptr + run, i - run);
        buf_adds(out, rep);
        run = i + 1;
    }
    buf_add(out, s.ptr + run, s.len - run);
}

void escape_url_component(struct buf *out, struct str s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~') {
            buf_addc(out, (char)c);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            buf_add(out, e, 3);
        }
    }
}

void escape_json(struct buf *out, struct str s, bool script_safe)
{
    static const char hex[] = "0123456789abcdef";
    size_t run = 0;
    buf_addc(out, '"');
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        const char *rep = NULL;
        char u[7];
        if (c == '"')
            rep = "\\\"";
        else if (c == '\\')
            rep = "\\\\";
        else if (c == '\n')
            rep = "\\n";
        else if (c == '\r')
            rep = "\\r";
        else if (c == '\t')
            rep = "\\t";
        else if (c < 0x20 || c == 0x7f || (script_safe && (c == '<' || c == '>' || c == '&'))) {
            u[0] = '\\', u[1] = 'u', u[2] = '0', u[3] = '0', u[4] = hex[c >> 4],
            u[5] = hex[c & 15], u[6] = '\0';
            rep = u;
        } else
            continue;
        buf_add(out, s.ptr + run, i - run);
        buf_adds(out, rep);
        run = i + 1;
    }
    buf_add(out, s.ptr + run, s.len - run);
    buf_addc(out, '"');
}
