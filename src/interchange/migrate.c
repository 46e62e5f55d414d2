/* SPDX-License-Identifier: MIT */
/*
 * migrate.c - what the migration sources (wxr.c, founder.c) share: fields
 * normalised the same way, HTML bodies through render/sanitize, the images
 * a cleaned body shows, civil times in the edition's zone, channel slugs.
 */
#include "core/compat.h"

#include <stdarg.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/utf8.h"
#include "interchange/interchange_int.h"
#include "model/date.h"
#include "render/sanitize.h"

void import_refuse(struct import_item *it, struct arena *arena, int status, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    if (it->status != MH_OK)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    it->status = status;
    it->reason = arena_strdup(arena, msg);
}

struct str import_text(struct arena *arena, struct str raw, bool multiline)
{
    struct buf b;
    bool space = false;
    buf_init(&b, arena, raw.len + 1);
    for (size_t i = 0; i < raw.len; i++) {
        unsigned char c = (unsigned char)raw.ptr[i];
        if (c == '\r' && i + 1 < raw.len && raw.ptr[i + 1] == '\n')
            continue;
        bool ws = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
        if (multiline && (c == '\n' || c == '\r')) {
            buf_addc(&b, '\n');
            continue;
        }
        if (ws) {
            space = true;
            continue;
        }
        if (c < 0x20 || c == 0x7f)
            continue;
        if (space && b.len && (multiline || b.data[b.len - 1] != ' '))
            buf_addc(&b, ' ');
        space = false;
        buf_addc(&b, (char)c);
    }
    return arena_str(arena, str_trim(buf_str(&b)));
}

static void check_one(struct import_item *it, struct arena *arena, const char *name,
                      struct str v, size_t max)
{
    if (v.len > max)
        import_refuse(it, arena, MH_TOOBIG, "%s is longer than %zu bytes", name, max);
}

void import_check_fields(struct import_item *it, struct arena *arena)
{
    const struct article *a = &it->a;
    if (a->title.len == 0)
        import_refuse(it, arena, MH_INVAL, "it has no title");
    check_one(it, arena, "the title", a->title, MH_MAX_FIELD);
    check_one(it, arena, "the subtitle", a->subtitle, MH_MAX_FIELD);
    check_one(it, arena, "the kicker", a->kicker, MH_MAX_FIELD);
    check_one(it, arena, "the editor", a->editor, MH_MAX_FIELD);
    check_one(it, arena, "the source", a->source, MH_MAX_FIELD);
    check_one(it, arena, "the abstract", a->abstract, MH_MAX_ABSTRACT);
    check_one(it, arena, "the body", a->body, MH_MAX_BODY);
    check_one(it, arena, "the channel", a->channel, 128);
    for (size_t i = 0; i < a->n_authors; i++)
        check_one(it, arena, "an author", a->authors[i], MH_MAX_FIELD);
    for (size_t i = 0; i < a->n_keywords; i++)
        check_one(it, arena, "a keyword", a->keywords[i], MH_MAX_FIELD);
    for (size_t i = 0; i < a->n_images; i++) {
        check_one(it, arena, "an image caption", a->images[i].caption, MH_MAX_ABSTRACT);
        check_one(it, arena, "an image's alt text", a->images[i].alt, MH_MAX_FIELD);
    }
}

int import_clean_html(struct arena *arena, struct str raw, struct str *out, char *why,
                      size_t whylen)
{
    struct buf clean;
    size_t bad;
    if (!utf8_valid(raw, &bad)) {
        snprintf(why, whylen, "the body is not valid UTF-8 (byte %zu)", bad + 1);
        return MH_INVAL;
    }
    buf_init(&clean, arena, MH_MAX_BODY + MH_MAX_BODY / 2);
    int rc = sanitize_html(raw, &clean);
    if (rc == MH_OK && clean.err)
        rc = clean.err;
    if (rc) {
        snprintf(why, whylen, "the body's HTML cannot be cleaned (%s)", mh_strerror(rc));
        return rc;
    }
    *out = buf_str(&clean);
    return MH_OK;
}

bool import_next_img(struct str html, size_t *pos, struct str *value)
{
    /* Cleaned HTML is canonical: a literal "<img " is a tag (text has its
     * '<' escaped), attribute values are double-quoted and escaped. */
    while (*pos < html.len) {
        const char *p = html.ptr + *pos, *end = html.ptr + html.len;
        const char *tag = NULL;
        for (const char *q = p; q + 5 <= end; q++)
            if (memcmp(q, "<img ", 5) == 0) {
                tag = q;
                break;
            }
        if (tag == NULL) {
            *pos = html.len;
            return false;
        }
        const char *close = memchr(tag, '>', (size_t)(end - tag));
        if (close == NULL) {
            *pos = html.len;
            return false;
        }
        *pos = (size_t)(close - html.ptr) + 1;
        for (const char *q = tag; q + 6 <= close; q++) {
            if (memcmp(q, " src=\"", 6) == 0) {
                const char *v = q + 6;
                const char *e = memchr(v, '"', (size_t)(close - v));
                if (e == NULL)
                    break;
                *value = str_make(v, (size_t)(e - v));
                return true;
            }
        }
    }
    return false;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static void put_utf8(struct buf *b, uint32_t cp)
{
    char u[4];
    if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        cp = 0xfffd;
    if (cp < 0x80) {
        buf_addc(b, (char)cp);
    } else if (cp < 0x800) {
        u[0] = (char)(0xc0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3f));
        buf_add(b, u, 2);
    } else if (cp < 0x10000) {
        u[0] = (char)(0xe0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        u[2] = (char)(0x80 | (cp & 0x3f));
        buf_add(b, u, 3);
    } else {
        u[0] = (char)(0xf0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
        u[3] = (char)(0x80 | (cp & 0x3f));
        buf_add(b, u, 4);
    }
}

struct str import_unescape(struct arena *arena, struct str s)
{
    static const struct {
        const char *name;
        const char *text;
    } named[] = {{"amp;", "&"},   {"lt;", "<"},   {"gt;", ">"},
                 {"quot;", "\""}, {"apos;", "'"}, {"nbsp;", "\xc2\xa0"}};
    if (memchr(s.ptr ? s.ptr : "", '&', s.len) == NULL)
        return s;
    struct buf b;
    buf_init(&b, arena, s.len + 1);
    for (size_t i = 0; i < s.len; i++) {
        if (s.ptr[i] != '&') {
            buf_addc(&b, s.ptr[i]);
            continue;
        }
        struct str rest = str_make(s.ptr + i + 1, s.len - i - 1);
        bool done = false;
        for (size_t k = 0; k < MH_ARRAY_LEN(named) && !done; k++)
            if (str_starts(rest, named[k].name)) {
                buf_adds(&b, named[k].text);
                i += strlen(named[k].name);
                done = true;
            }
        if (!done && rest.len > 1 && rest.ptr[0] == '#') {
            bool hex = rest.ptr[1] == 'x' || rest.ptr[1] == 'X';
            size_t j = hex ? 2 : 1, digits = 0;
            uint32_t cp = 0;
            while (j < rest.len && digits < 8) {
                int v = hex ? hexval(rest.ptr[j])
                            : (rest.ptr[j] >= '0' && rest.ptr[j] <= '9' ? rest.ptr[j] - '0' : -1);
                if (v < 0)
                    break;
                cp = cp * (hex ? 16 : 10) + (uint32_t)v;
                j++, digits++;
            }
            if (digits && j < rest.len && rest.ptr[j] == ';') {
                put_utf8(&b, cp);
                i += j + 1;
                done = true;
            }
        }
        if (!done)
            buf_addc(&b, '&');
    }
    return buf_str(&b);
}

struct str import_slug(struct arena *arena, struct str name)
{
    struct buf b;
    bool dash = false;
    buf_init(&b, arena, name.len + 1);
    for (size_t i = 0; i < name.len && b.len < 100; i++) {
        unsigned char c = (unsigned char)name.ptr[i];
        if (c == '%' && i + 2 < name.len && hexval(name.ptr[i + 1]) >= 0 &&
            hexval(name.ptr[i + 2]) >= 0) {
            c = (unsigned char)(hexval(name.ptr[i + 1]) * 16 + hexval(name.ptr[i + 2]));
            i += 2;
        }
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
        if (!keep) {
            dash = b.len > 0;
            continue;
        }
        if (dash)
            buf_addc(&b, '-');
        dash = false;
        buf_addc(&b, (char)c);
    }
    struct str s = buf_str(&b);
    size_t bad;
    if (!utf8_valid(s, &bad)) /* a cut or a bad escape: keep the ASCII part */
        s.len = bad;
    while (s.len && s.ptr[s.len - 1] == '-')
        s.len--;
    return s;
}

static bool digits(const char *p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return false;
        v = v * 10 + (p[i] - '0');
    }
    *out = v;
    return true;
}

int import_civil_time(struct str text, struct str tz, int64_t *ms)
{
    int y, mo, d, h, mi, s, frac = 0;
    struct str t = str_trim(text);
    const char *p = t.ptr;
    if (t.len != 19 && t.len != 23)
        return MH_INVAL;
    if (!digits(p, 4, &y) || p[4] != '-' || !digits(p + 5, 2, &mo) || p[7] != '-' ||
        !digits(p + 8, 2, &d) || (p[10] != ' ' && p[10] != 'T') || !digits(p + 11, 2, &h) ||
        p[13] != ':' || !digits(p + 14, 2, &mi) || p[16] != ':' || !digits(p + 17, 2, &s))
        return MH_INVAL;
    if (t.len == 23 && ((p[19] != '.' && p[19] != ':') || !digits(p + 20, 3, &frac)))
        return MH_INVAL;
    if (y < 1000 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59)
        return MH_INVAL;
    int64_t days = date_days_from_civil(y, mo, d);
    int cy, cm, cd;
    date_civil_from_days(days, &cy, &cm, &cd);
    if (cy != y || cm != mo || cd != d) /* 31 February */
        return MH_INVAL;
    int64_t local = ((days * 24 + h) * 60 + mi) * 60000 + (int64_t)s * 1000 + frac;
    /* the zone's offset at the guess, then at the answer (daylight saving) */
    struct civil c;
    if (date_civil(local, tz, &c))
        return MH_INVAL;
    int64_t utc = local - (int64_t)c.offset_min * 60000;
    if (date_civil(utc, tz, &c))
        return MH_INVAL;
    *ms = local - (int64_t)c.offset_min * 60000;
    return MH_OK;
}

static size_t sep_at(struct str s, size_t i, const char *const *seps)
{
    for (size_t k = 0; seps[k]; k++) {
        size_t n = strlen(seps[k]);
        if (n <= s.len - i && memcmp(s.ptr + i, seps[k], n) == 0)
            return n;
    }
    return 0;
}

void import_split(struct arena *arena, struct str s, const char *const *seps, struct str **items,
                  size_t *n)
{
    *n = 0;
    *items = arena_alloc(arena, MH_MAX_LIST * sizeof(struct str));
    if (s.len == 0)
        return;
    size_t start = 0;
    for (size_t i = 0; i <= s.len && *n < MH_MAX_LIST; i++) {
        size_t k = i < s.len ? sep_at(s, i, seps) : 1;
        if (k == 0)
            continue;
        struct str e = import_text(arena, str_make(s.ptr + start, i - start), false);
        bool dup = false;
        for (size_t j = 0; j < *n && !dup; j++)
            dup = str_eq((*items)[j], e);
        if (e.len && !dup)
            (*items)[(*n)++] = e;
        i += k - 1;
        start = i + 1;
    }
}

void import_add_body_image(struct import_item *it, struct arena *arena, struct str src,
                           const char *file)
{
    for (size_t i = 0; i < it->n_body_images; i++)
        if (str_eq(it->body_images[i].src, src))
            return;
    struct import_body_image *n =
        arena_alloc(arena, (it->n_body_images + 1) * sizeof(*it->body_images));
    if (it->n_body_images)
        memcpy(n, it->body_images, it->n_body_images * sizeof(*n));
    n[it->n_body_images].src = src;
    n[it->n_body_images].file = arena_str(arena, str_c(file));
    it->body_images = n;
    it->n_body_images++;
}

struct str import_url_path(struct str url)
{
    struct str s = str_trim(url);
    if (s.len == 0)
        return STR_NULL;
    const char *p = s.ptr, *end = s.ptr + s.len;
    const char *scheme = NULL;
    for (const char *q = p; q + 2 < end; q++) {
        if (*q == '/' || *q == '?' || *q == '#')
            break;
        if (q[0] == ':' && q[1] == '/' && q[2] == '/') {
            scheme = q + 3;
            break;
        }
    }
    if (scheme) {
        p = memchr(scheme, '/', (size_t)(end - scheme));
        if (p == NULL)
            return STR_NULL;
    } else if (s.len >= 2 && p[0] == '/' && p[1] == '/') {
        p = memchr(p + 2, '/', (size_t)(end - p - 2));
        if (p == NULL)
            return STR_NULL;
    }
    const char *q = p;
    while (q < end && *q != '?' && *q != '#')
        q++;
    struct str path = str_make(p, (size_t)(q - p));
    if (path.len <= 1 || path.ptr[0] != '/')
        return STR_NULL;
    return path;
}

struct str import_percent_decode(struct arena *arena, struct str s)
{
    if (memchr(s.ptr ? s.ptr : "", '%', s.len) == NULL)
        return s;
    struct buf b;
    buf_init(&b, arena, s.len + 1);
    for (size_t i = 0; i < s.len; i++) {
        if (s.ptr[i] == '%' && i + 2 < s.len &&
            hexval(s.ptr[i + 1]) >= 0 && hexval(s.ptr[i + 2]) >= 0) {
            buf_addc(&b, (char)(hexval(s.ptr[i + 1]) * 16 + hexval(s.ptr[i + 2])));
            i += 2;
        } else {
            buf_addc(&b, s.ptr[i]);
        }
    }
    struct str out = buf_str(&b);
    size_t bad;
    return utf8_valid(out, &bad) && memchr(out.ptr, '\0', out.len) == NULL ? out : s;
}
