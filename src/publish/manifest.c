/* SPDX-License-Identifier: MIT */
/*
 * manifest.c - the publisher's record of what it wrote, as text:
 *
 *     masthead-publish 1
 *     seq 1234
 *     at 1780000000000
 *     finger english <32 hex>
 *     <32 hex> <flags> <file> [<channel> <32 hex>]
 *
 * fields separated by one tab, one entry per line; flags are "-" or a
 * combination of "g" (FILE.gz exists) and "b" (FILE.br exists); an article
 * page adds its channel and its card hash (what other pages show of it).  The file
 * is read whole and checked strictly: anything else is MH_INVAL, and the
 * publisher then starts over with a full run.  Writing it (atomically) is
 * the caller's job.
 */
#include "core/compat.h"

#include <stdarg.h>

#include "core/buf.h"
#include "core/err.h"
#include "publish/publish_int.h"

#define MANIFEST_MAGIC "masthead-publish 1"

void manifest_init(struct manifest *m)
{
    memset(m, 0, sizeof(*m));
    m->seq = -1;
    arena_init(&m->strings, 1024 * 1024);
}

void manifest_release(struct manifest *m)
{
    free(m->slot);
    free(m->channels);
    arena_release(&m->strings);
    manifest_init(m);
}

const char *manifest_channel(struct manifest *m, struct str channel)
{
    for (size_t i = 0; i < m->n_channels; i++)
        if (str_eq_c(channel, m->channels[i]))
            return m->channels[i];
    if ((m->n_channels & (m->n_channels + 1)) == 0) /* full at 0, 1, 3, 7, ...: double */
        m->channels = mh_realloc(m->channels, (2 * m->n_channels + 2) * sizeof(*m->channels));
    return m->channels[m->n_channels++] = arena_strndup(&m->strings, channel.ptr, channel.len);
}

static size_t hash_file(struct str f)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < f.len; i++)
        h = (h ^ (unsigned char)f.ptr[i]) * 1099511628211ull;
    return (size_t)h;
}

static struct pentry *slot_for(struct pentry *tab, size_t cap, struct str file)
{
    size_t i = hash_file(file) & (cap - 1);
    while (tab[i].file &&
           !(tab[i].file_len == file.len && memcmp(tab[i].file, file.ptr, file.len) == 0))
        i = (i + 1) & (cap - 1);
    return &tab[i];
}

struct pentry *manifest_find(struct manifest *m, struct str file)
{
    if (m->cap == 0)
        return NULL;
    struct pentry *e = slot_for(m->slot, m->cap, file);
    return e->file ? e : NULL;
}

/* "content_481099.html" at the end of FILE -> 481099, else 0 */
int64_t manifest_article_id(struct str file)
{
    const char *slash = file.ptr + file.len;
    while (slash > file.ptr && slash[-1] != '/')
        slash--;
    struct str base = str_make(slash, (size_t)(file.ptr + file.len - slash));
    int64_t id;
    if (base.len < 14 || !str_starts(base, "content_") ||
        memcmp(base.ptr + base.len - 5, ".html", 5) != 0 ||
        str_to_i64(str_make(base.ptr + 8, base.len - 13), 1, INT64_MAX, &id) != MH_OK)
        return 0;
    return id;
}

void manifest_reserve(struct manifest *m, size_t n)
{
    if (2 * n <= m->cap)
        return;
    size_t cap = m->cap ? m->cap : 1024;
    while (cap < 2 * n)
        cap *= 2;
    struct pentry *tab = mh_calloc(cap, sizeof(*tab));
    for (size_t i = 0; i < m->cap; i++)
        if (m->slot[i].file)
            *slot_for(tab, cap, str_make(m->slot[i].file, m->slot[i].file_len)) = m->slot[i];
    free(m->slot);
    m->slot = tab;
    m->cap = cap;
}

struct pentry *manifest_put(struct manifest *m, struct str file)
{
    manifest_reserve(m, m->used + 1);
    struct pentry *e = slot_for(m->slot, m->cap, file);
    if (e->file == NULL) {
        e->file = arena_strndup(&m->strings, file.ptr, file.len);
        e->file_len = file.len;
        e->article_id = manifest_article_id(file);
        m->used++;
    }
    return e;
}

struct pfinger *manifest_finger(struct manifest *m, struct str edition)
{
    for (size_t i = 0; i < m->n_finger; i++)
        if (str_eq_c(edition, m->finger[i].edition))
            return &m->finger[i];
    return NULL;
}

int manifest_set_finger(struct manifest *m, struct str edition,
                        const unsigned char hash[PUBLISH_HASH_LEN])
{
    struct pfinger *f = manifest_finger(m, edition);
    if (f == NULL) {
        if (m->n_finger == PUBLISH_MAX_EDITIONS || edition.len >= sizeof(f->edition))
            return MH_TOOBIG;
        f = &m->finger[m->n_finger++];
        memcpy(f->edition, edition.ptr, edition.len);
        f->edition[edition.len] = '\0';
    }
    memcpy(f->hash, hash, PUBLISH_HASH_LEN);
    return MH_OK;
}

bool manifest_file_ok(struct str file)
{
    if (file.len == 0 || file.len >= PUBLISH_PATH_MAX || file.ptr[0] == '/')
        return false;
    const char *p = file.ptr, *end = file.ptr + file.len;
    while (p < end) {
        const char *seg = p;
        while (p < end && *p != '/') {
            if ((unsigned char)*p < 0x20 || *p == 0x7f)
                return false;
            p++;
        }
        if (p == seg || seg[0] == '.')
            return false; /* "", ".", "..", hidden names (ours, like the manifest) */
        if (p < end)
            p++;
        if (p == end && end[-1] == '/')
            return false; /* a trailing slash names a folder */
    }
    return true;
}

/* ------------------------------------------------------------------ */
/* Parsing: cursors over [*pos, end) that advance only on success        */

static int fail(char *errbuf, size_t errlen, size_t line, const char *fmt, ...) MH_PRINTF(4, 5);
static int fail(char *errbuf, size_t errlen, size_t line, const char *fmt, ...)
{
    char why[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    snprintf(errbuf, errlen, "line %zu: %s", line, why);
    return MH_INVAL;
}

/* Up to the next TAB or the end of the line (not taken). */
static bool field(const char **pos, const char *end, struct str *out)
{
    const char *p = *pos;
    while (p < end && *p != '\t' && *p != '\n')
        p++;
    if (p == *pos)
        return false;
    *out = str_make(*pos, (size_t)(p - *pos));
    *pos = p;
    return true;
}

static bool tab(const char **pos, const char *end)
{
    if (*pos < end && **pos == '\t') {
        (*pos)++;
        return true;
    }
    return false;
}

/* The value of a lowercase hex digit plus one; 0 for anything else. */
static const unsigned char hex_value[256] = {
    ['0'] = 1, ['1'] = 2, ['2'] = 3,   ['3'] = 4,   ['4'] = 5,   ['5'] = 6,   ['6'] = 7,
    ['7'] = 8, ['8'] = 9, ['9'] = 10,  ['a'] = 11,  ['b'] = 12,  ['c'] = 13,  ['d'] = 14,
    ['e'] = 15, ['f'] = 16,
};

static bool hex_hash(struct str s, unsigned char out[PUBLISH_HASH_LEN])
{
    if (s.len != 2 * PUBLISH_HASH_LEN)
        return false;
    const unsigned char *p = (const unsigned char *)s.ptr;
    for (size_t i = 0; i < PUBLISH_HASH_LEN; i++) {
        unsigned hi = hex_value[p[2 * i]], lo = hex_value[p[2 * i + 1]];
        if (hi == 0 || lo == 0)
            return false;
        out[i] = (unsigned char)((hi - 1) << 4 | (lo - 1));
    }
    return true;
}

static bool slug_ok(struct str s)
{
    if (s.len == 0 || s.len >= 64)
        return false;
    for (size_t i = 0; i < s.len; i++)
        if ((unsigned char)s.ptr[i] <= 0x20 || s.ptr[i] == '/' || s.ptr[i] == 0x7f)
            return false;
    return true;
}

static int parse_line(struct manifest *m, struct str line, size_t no, char *errbuf,
                      size_t errlen)
{
    const char *p = line.ptr, *end = line.ptr + line.len;
    struct str a, b, c, d = STR_NULL, k = STR_NULL;
    unsigned char h[PUBLISH_HASH_LEN], card[PUBLISH_HASH_LEN];
    if (str_starts(line, "seq ") || str_starts(line, "at ")) {
        bool is_seq = line.ptr[0] == 's';
        struct str v = str_make(line.ptr + (is_seq ? 4 : 3), line.len - (is_seq ? 4 : 3));
        if (str_to_i64(v, is_seq ? -1 : 0, INT64_MAX, is_seq ? &m->seq : &m->at) != MH_OK)
            return fail(errbuf, errlen, no, "bad number");
        return MH_OK;
    }
    if (str_starts(line, "finger\t")) {
        p += 7;
        if (!field(&p, end, &a) || !tab(&p, end) || !field(&p, end, &b) || p != end)
            return fail(errbuf, errlen, no, "a fingerprint needs an edition and a hash");
        if (!slug_ok(a) || !hex_hash(b, h))
            return fail(errbuf, errlen, no, "bad fingerprint");
        if (manifest_finger(m, a))
            return fail(errbuf, errlen, no, "edition '%.*s' twice", (int)a.len, a.ptr);
        if (manifest_set_finger(m, a, h) != MH_OK)
            return fail(errbuf, errlen, no, "too many editions");
        return MH_OK;
    }
    if (!field(&p, end, &a) || !tab(&p, end) || !field(&p, end, &b) || !tab(&p, end) ||
        !field(&p, end, &c))
        return fail(errbuf, errlen, no, "an entry is HASH, FLAGS and FILE");
    if (tab(&p, end) && (!field(&p, end, &d) || !tab(&p, end) || !field(&p, end, &k)))
        return fail(errbuf, errlen, no, "a channel needs a card hash");
    if (p != end)
        return fail(errbuf, errlen, no, "trailing bytes");
    if (!hex_hash(a, h))
        return fail(errbuf, errlen, no, "bad hash");
    unsigned flags = 0;
    if (!str_eq_c(b, "-")) {
        for (size_t i = 0; i < b.len; i++) {
            unsigned f = b.ptr[i] == 'g' ? PE_GZ : b.ptr[i] == 'b' ? PE_BR : 0;
            if (f == 0 || (flags & f))
                return fail(errbuf, errlen, no, "bad flags");
            flags |= f;
        }
    }
    if (!manifest_file_ok(c))
        return fail(errbuf, errlen, no, "bad file name");
    if (d.len && (!slug_ok(d) || !hex_hash(k, card)))
        return fail(errbuf, errlen, no, "bad channel or card hash");
    size_t before = m->used;
    struct pentry *e = manifest_put(m, c);
    if (m->used == before)
        return fail(errbuf, errlen, no, "'%.*s' twice", (int)c.len, c.ptr);
    memcpy(e->hash, h, PUBLISH_HASH_LEN);
    e->flags = flags;
    if (d.len) {
        e->channel = manifest_channel(m, d);
        memcpy(e->card, card, PUBLISH_HASH_LEN);
        e->flags |= PE_CARD;
    }
    return MH_OK;
}

int manifest_parse(struct manifest *m, struct str text, char *errbuf, size_t errlen)
{
    const char *p = text.ptr, *end = text.ptr + text.len;
    size_t no = 0, lines = 0;
    int rc = MH_OK;
    for (const char *q = p; (q = memchr(q, '\n', (size_t)(end - q))) != NULL; q++)
        lines++;
    manifest_reserve(m, lines); /* one table for all: no rehash on the way */
    while (rc == MH_OK && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (nl == NULL) {
            rc = fail(errbuf, errlen, no + 1, "the last line is cut short");
            break;
        }
        struct str line = str_make(p, (size_t)(nl - p));
        no++;
        if (no == 1) {
            if (!str_eq_c(line, MANIFEST_MAGIC))
                rc = fail(errbuf, errlen, no, "not a Masthead publish manifest");
        } else {
            rc = parse_line(m, line, no, errbuf, errlen);
        }
        p = nl + 1;
    }
    if (rc == MH_OK && no == 0)
        rc = fail(errbuf, errlen, 1, "empty");
    if (rc)
        manifest_release(m);
    return rc;
}

static void add_hex(struct buf *out, const unsigned char h[PUBLISH_HASH_LEN])
{
    static const char hex[] = "0123456789abcdef";
    char line[2 * PUBLISH_HASH_LEN];
    for (size_t k = 0; k < PUBLISH_HASH_LEN; k++) {
        line[2 * k] = hex[h[k] >> 4];
        line[2 * k + 1] = hex[h[k] & 15];
    }
    buf_add(out, line, sizeof(line));
}

void manifest_format(const struct manifest *m, struct buf *out)
{
    if (m->used < (out->max - out->len) / 128) /* a line is ~110 bytes: grow once */
        buf_reserve(out, m->used * 128);
    buf_addf(out, MANIFEST_MAGIC "\nseq %lld\nat %lld\n", (long long)m->seq, (long long)m->at);
    for (size_t i = 0; i < m->n_finger; i++) {
        buf_addf(out, "finger\t%s\t", m->finger[i].edition);
        add_hex(out, m->finger[i].hash);
        buf_addc(out, '\n');
    }
    for (size_t i = 0; i < m->cap; i++) {
        const struct pentry *e = &m->slot[i];
        if (e->file == NULL || (e->flags & PE_GONE))
            continue;
        add_hex(out, e->hash);
        buf_addc(out, '\t');
        if (e->flags & (PE_GZ | PE_BR)) {
            if (e->flags & PE_GZ)
                buf_addc(out, 'g');
            if (e->flags & PE_BR)
                buf_addc(out, 'b');
        } else {
            buf_addc(out, '-');
        }
        buf_addc(out, '\t');
        buf_add(out, e->file, e->file_len);
        if (e->channel && (e->flags & PE_CARD)) {
            buf_addc(out, '\t');
            buf_adds(out, e->channel);
            buf_addc(out, '\t');
            add_hex(out, e->card);
        }
        buf_addc(out, '\n');
    }
}
