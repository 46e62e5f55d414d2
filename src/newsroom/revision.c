/* SPDX-License-Identifier: MIT */
/*
 * revision.c - an article's revisions: the list, any one of them, restoring
 * one as a new revision, and the side-by-side line diff of two versions.
 * The diff trims the common head and tail, then takes a longest common
 * subsequence of the middle when it is small enough (DIFF_MAX_CELLS);
 * beyond that the middle shows as one change, which is still correct.
 */
#include "core/compat.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/err.h"
#include "newsroom/newsroom.h"
#include "newsroom/newsroom_int.h"
#include "store/store.h"

#define DIFF_MAX_CELLS (4u * 1000 * 1000) /* LCS table cells: 16 MB of uint32_t at most */

int newsroom_revisions(struct newsroom_ctx *nr, struct arena *arena, int64_t id,
                       struct newsroom_revision **out, size_t *n)
{
    struct store_revision_info *old;
    size_t n_old;
    struct article cur;
    *out = NULL;
    *n = 0;
    int rc = nr_check_article(nr, id, NR_ARTICLE_VIEW, NULL, NULL);
    if (rc == MH_OK)
        rc = store_article_get(nr->store, arena, id, &cur);
    if (rc == MH_OK)
        rc = store_revisions(nr->store, arena, id, &old, &n_old);
    if (rc)
        return rc;
    struct newsroom_revision *r = arena_zalloc(arena, (n_old + 1) * sizeof(*r));
    r[0].revision = cur.revision;
    r[0].current = true;
    rc = store_article_saved(nr->store, arena, id, &r[0].saved_by, &r[0].note, &r[0].saved_at);
    if (rc)
        return rc;
    for (size_t i = 0; i < n_old; i++) {
        r[i + 1].revision = old[i].revision;
        r[i + 1].saved_at = old[i].saved_at;
        r[i + 1].saved_by = old[i].saved_by;
        r[i + 1].note = old[i].note;
    }
    *out = r;
    *n = n_old + 1;
    return MH_OK;
}

int newsroom_revision_get(struct newsroom_ctx *nr, struct arena *arena, int64_t id, int revision,
                          struct article *out)
{
    struct article cur;
    int rc = nr_check_article(nr, id, NR_ARTICLE_VIEW, NULL, NULL);
    if (rc == MH_OK)
        rc = store_article_get(nr->store, arena, id, &cur);
    if (rc)
        return rc;
    if (revision == cur.revision) {
        *out = cur;
        return MH_OK;
    }
    rc = store_revision_get(nr->store, arena, id, revision, out);
    if (rc == MH_NOTFOUND)
        return nr_refuse(nr, MH_NOTFOUND, "revision", "article %lld has no revision %d",
                         (long long)id, revision);
    if (rc)
        return rc;
    int saved_rev = out->revision;
    int64_t saved_at = out->updated_at;
    out->edition = cur.edition;
    out->status = cur.status;
    out->created_at = cur.created_at;
    out->first_published_at = cur.first_published_at;
    out->last_published_at = cur.last_published_at;
    out->scheduled_at = cur.scheduled_at;
    out->revision = saved_rev;
    out->updated_at = saved_at;
    return MH_OK;
}

int newsroom_revision_restore(struct newsroom_ctx *nr, int64_t id, int revision, int base,
                              int *new_revision)
{
    struct arena arena;
    struct article old, cur;
    char note[64];
    arena_init(&arena, 0);
    int rc = nr_check_article(nr, id, NR_ARTICLE_EDIT, NULL, NULL);
    if (rc == MH_OK)
        rc = newsroom_revision_get(nr, &arena, id, revision, &old);
    if (rc == MH_OK)
        rc = store_article_get(nr->store, &arena, id, &cur);
    if (rc)
        goto out;
    if (cur.revision != base) {
        rc = nr_refuse(nr, MH_CONFLICT, "revision",
                       "the article changed since you looked (revision %d, now %d); look again",
                       base, cur.revision);
        goto out;
    }
    if (revision == cur.revision) {
        rc = nr_refuse(nr, MH_INVAL, "revision", "revision %d is the current one", revision);
        goto out;
    }
    /* save through the one path that checks locks and writes the revision */
    old.id = id;
    old.revision = cur.revision;
    snprintf(note, sizeof(note), "restored revision %d", revision);
    rc = newsroom_article_save(nr, &arena, &old, str_c(note), NULL);
    if (rc == MH_OK && new_revision)
        *new_revision = old.revision;
out:
    arena_release(&arena);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Diff                                                                 */

static size_t split_lines(struct arena *arena, struct str text, struct str **out)
{
    size_t n = text.len ? 1 : 0;
    for (size_t i = 0; i < text.len; i++)
        n += text.ptr[i] == '\n' && i + 1 < text.len;
    *out = arena_alloc(arena, (n ? n : 1) * sizeof(**out));
    size_t k = 0;
    const char *p = text.ptr, *end = text.ptr + text.len;
    while (k < n) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        (*out)[k++] = str_make(p, (size_t)(e - p));
        p = e + 1;
    }
    return n;
}

struct rows {
    struct arena *arena;
    struct newsroom_diff_row *v;
    size_t n, cap;
};

static void row_add(struct rows *r, enum newsroom_diff_op op, struct str left, struct str right,
                    int left_no, int right_no)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        r->v = arena_realloc(r->arena, r->v, r->cap * sizeof(*r->v), cap * sizeof(*r->v));
        r->cap = cap;
    }
    r->v[r->n++] = (struct newsroom_diff_row){op, left, right, left_no, right_no};
}

/* Pair up a run of deletions and additions as changes, side by side. */
static void flush_run(struct rows *r, const struct str *a, size_t a0, size_t a1, const struct str *b,
                      size_t b0, size_t b1)
{
    while (a0 < a1 && b0 < b1) {
        row_add(r, NR_DIFF_CHANGE, a[a0], b[b0], (int)a0 + 1, (int)b0 + 1);
        a0++;
        b0++;
    }
    for (; a0 < a1; a0++)
        row_add(r, NR_DIFF_DEL, a[a0], STR_NULL, (int)a0 + 1, 0);
    for (; b0 < b1; b0++)
        row_add(r, NR_DIFF_ADD, STR_NULL, b[b0], 0, (int)b0 + 1);
}

void newsroom_diff_text(struct arena *arena, struct str old_text, struct str new_text,
                        struct newsroom_diff_row **rows, size_t *n_rows)
{
    struct str *a, *b;
    old_text = nr_nz(old_text);
    new_text = nr_nz(new_text);
    size_t na = split_lines(arena, old_text, &a);
    size_t nb = split_lines(arena, new_text, &b);
    struct rows r = {arena, NULL, 0, 0};
    size_t head = 0, tail = 0;
    while (head < na && head < nb && str_eq(a[head], b[head]))
        head++;
    while (tail < na - head && tail < nb - head && str_eq(a[na - 1 - tail], b[nb - 1 - tail]))
        tail++;
    for (size_t i = 0; i < head; i++)
        row_add(&r, NR_DIFF_SAME, a[i], b[i], (int)i + 1, (int)i + 1);
    size_t ma = na - head - tail, mb = nb - head - tail;
    const struct str *A = a + head, *B = b + head;
    if (ma == 0 || mb == 0 || (uint64_t)(ma + 1) * (mb + 1) > DIFF_MAX_CELLS) {
        flush_run(&r, a, head, head + ma, b, head, head + mb);
    } else {
        /* L[i][j] = LCS length of A[i..] and B[j..] */
        size_t w = mb + 1;
        uint32_t *L = mh_calloc((ma + 1) * w, sizeof(*L));
        for (size_t i = ma; i-- > 0;)
            for (size_t j = mb; j-- > 0;)
                L[i * w + j] = str_eq(A[i], B[j]) ? L[(i + 1) * w + j + 1] + 1
                               : L[(i + 1) * w + j] >= L[i * w + j + 1] ? L[(i + 1) * w + j]
                                                                        : L[i * w + j + 1];
        size_t i = 0, j = 0, ri = 0, rj = 0; /* ri, rj: start of the pending run */
        while (i < ma && j < mb) {
            if (str_eq(A[i], B[j])) {
                flush_run(&r, a, head + ri, head + i, b, head + rj, head + j);
                row_add(&r, NR_DIFF_SAME, A[i], B[j], (int)(head + i) + 1, (int)(head + j) + 1);
                i++;
                j++;
                ri = i;
                rj = j;
            } else if (L[(i + 1) * w + j] >= L[i * w + j + 1]) {
                i++;
            } else {
                j++;
            }
        }
        flush_run(&r, a, head + ri, head + ma, b, head + rj, head + mb);
        free(L);
    }
    for (size_t k = 0; k < tail; k++) {
        size_t ia = na - tail + k, ib = nb - tail + k;
        row_add(&r, NR_DIFF_SAME, a[ia], b[ib], (int)ia + 1, (int)ib + 1);
    }
    *rows = r.v;
    *n_rows = r.n;
}

static struct str join(struct arena *arena, const struct str *items, size_t n)
{
    struct buf b;
    buf_init(&b, arena, SIZE_MAX / 2);
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_addc(&b, '\n');
        buf_addstr(&b, items[i]);
    }
    return buf_str(&b);
}

static struct str images_text(struct arena *arena, const struct article *a)
{
    struct buf b;
    buf_init(&b, arena, SIZE_MAX / 2);
    for (size_t i = 0; i < a->n_images; i++) {
        const struct article_image *im = &a->images[i];
        buf_addf(&b, "%s%.*s | %.*s | %.*s | %.*s", i ? "\n" : "",
                 (int)(im->path.len ? im->path.len : im->sha256.len),
                 im->path.len ? im->path.ptr : im->sha256.ptr, (int)im->caption.len,
                 im->caption.ptr, (int)im->credit.len, im->credit.ptr, (int)im->alt.len,
                 im->alt.ptr);
    }
    return buf_str(&b);
}

void newsroom_diff_articles(struct arena *arena, const struct article *o, const struct article *n,
                            struct newsroom_diff *out)
{
    const struct {
        const char *name;
        struct str left, right;
    } f[] = {
        {"channel", o->channel, n->channel},
        {"kicker", o->kicker, n->kicker},
        {"title", o->title, n->title},
        {"subtitle", o->subtitle, n->subtitle},
        {"authors", join(arena, o->authors, o->n_authors), join(arena, n->authors, n->n_authors)},
        {"editor", o->editor, n->editor},
        {"source", o->source, n->source},
        {"keywords", join(arena, o->keywords, o->n_keywords),
         join(arena, n->keywords, n->n_keywords)},
        {"abstract", o->abstract, n->abstract},
        {"body_format", str_c(body_format_name(o->body_format)),
         str_c(body_format_name(n->body_format))},
        {"body", o->body, n->body},
        {"images", images_text(arena, o), images_text(arena, n)},
    };
    out->n_fields = MH_ARRAY_LEN(f);
    out->fields = arena_zalloc(arena, sizeof(f) / sizeof(f[0]) * sizeof(*out->fields));
    out->n_changed = 0;
    for (size_t i = 0; i < MH_ARRAY_LEN(f); i++) {
        struct newsroom_diff_field *d = &out->fields[i];
        d->name = f[i].name;
        d->changed = !str_eq(f[i].left, f[i].right);
        newsroom_diff_text(arena, f[i].left, f[i].right, &d->rows, &d->n_rows);
        out->n_changed += d->changed;
    }
}
