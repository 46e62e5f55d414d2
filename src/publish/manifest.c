/* SPDX-License-Identifier: MIT */
/*
 * manifest.c - the publisher's record of what it wrote, in memory: a table
 * of files (open addressing on the name) loaded from the folder's record
 * (store/pubdb.h, OUT/.masthead-publish) all at once for a run that renders
 * whole editions, or file by file for an incremental one, and written back
 * row by row: only the entries a run changed or removed.
 */
#include "core/compat.h"

#include "core/err.h"
#include "publish/publish_int.h"
#include "store/pubdb.h"

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
    if (edition.len == 0) /* a damaged record's row: no edition has no name */
        return MH_INVAL;
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

/* Fill E (just put) from record row P. */
static void take_row(struct manifest *m, struct pentry *e, const struct pubdb_page *p)
{
    memcpy(e->hash, p->hash, PUBLISH_HASH_LEN);
    e->flags = (p->flags & PE_KEPT) | PE_STORED;
    e->article_id = p->article_id ? p->article_id : e->article_id;
    e->channel = p->channel.len ? manifest_channel(m, p->channel) : NULL;
    memcpy(e->look, p->look, PUBLISH_HASH_LEN);
    memcpy(e->place, p->place, PUBLISH_HASH_LEN);
    e->published_at = p->published_at;
    e->shows_sum = p->shows_sum;
}

struct pentry *manifest_take(struct manifest *m, const struct pubdb_page *p)
{
    struct pentry *e = manifest_find(m, p->file);
    if (e)
        return e; /* loaded already: this run's view wins */
    if (!manifest_file_ok(p->file))
        return NULL;
    e = manifest_put(m, p->file);
    take_row(m, e, p);
    return e;
}

static int take_page(void *ctx, const struct pubdb_page *p)
{
    manifest_take(ctx, p);
    return MH_OK;
}

int manifest_load_all(struct manifest *m, struct pubdb *db)
{
    if (m->all)
        return MH_OK;
    m->all = true;
    return pubdb_pages(db, take_page, m);
}

int manifest_load(struct manifest *m, struct pubdb *db, struct str file)
{
    struct pubdb_page p;
    struct arena scratch;
    if (m->all || manifest_find(m, file))
        return MH_OK;
    arena_init(&scratch, 4096);
    int rc = pubdb_page_get(db, &scratch, file, &p);
    if (rc == MH_OK)
        manifest_take(m, &p);
    arena_release(&scratch);
    return rc == MH_NOTFOUND ? MH_OK : rc;
}

int manifest_save(struct manifest *m, struct pubdb *db)
{
    int rc = MH_OK;
    for (size_t i = 0; rc == MH_OK && i < m->cap; i++) {
        struct pentry *e = &m->slot[i];
        struct str file = str_make(e->file, e->file_len);
        if (e->file == NULL)
            continue;
        if (e->flags & PE_GONE) {
            if (e->flags & PE_STORED)
                rc = pubdb_page_delete(db, file);
            continue;
        }
        if (!(e->flags & PE_DIRTY))
            continue;
        struct pubdb_page p = {.file = file, .flags = e->flags & PE_KEPT};
        memcpy(p.hash, e->hash, PUBLISH_HASH_LEN);
        if (e->flags & PE_CARD) {
            p.article_id = e->article_id;
            p.channel = str_c(e->channel ? e->channel : "");
            memcpy(p.look, e->look, PUBLISH_HASH_LEN);
            memcpy(p.place, e->place, PUBLISH_HASH_LEN);
            p.keywords = e->keywords;
            p.published_at = e->published_at;
        }
        p.shows = e->shows;
        p.n_shows = e->n_shows;
        rc = pubdb_page_put(db, &p, (e->flags & PE_SHOWS) != 0);
    }
    return rc;
}
