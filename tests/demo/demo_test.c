/* SPDX-License-Identifier: MIT */
/*
 * demo_test.c - the demo generator: determinism, independence from the order
 * of generation, valid and bounded fields, the promised distributions, body
 * lengths, staff names, and PNG files that zlib can read back.  It includes
 * text.c to expand every grammar rule under every tag.
 */
#include "core/compat.h"

#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>
#include <zlib.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/utf8.h"
#include "demo/demo.h"
#include "demo/text.c"

static const int64_t NOW = 1772760000000LL; /* 2026-03-06T01:20:00Z */
static const int64_t HOUR = 3600000, DAY = 24 * 3600000LL;

static const char *const en_channels[] = {"news",   "innovation-china", "cooperation",
                                          "insight", "policy",          "case",
                                          "experts-in-china", "graphic"};
static const char *const zh_channels[] = {"news", "policy", "cooperation", "insight", "case"};
static const struct demo_edition_spec editions[] = {
    {"english", "en", en_channels, MH_ARRAY_LEN(en_channels), NULL, 7},
    {"zh", "zh-CN", zh_channels, MH_ARRAY_LEN(zh_channels), NULL, 3},
};

static struct demo_params params(uint64_t seed, int min_words, int max_words)
{
    return (struct demo_params){.seed = seed, .now_ms = NOW, .min_words = min_words,
                                .max_words = max_words, .editions = editions,
                                .n_editions = MH_ARRAY_LEN(editions)};
}

/* Every field of A, serialised, so that articles compare byte for byte. */
static void serialise(const struct article *a, struct buf *out)
{
    buf_addf(out, "%.*s|%.*s|%.*s|%.*s|%.*s|", (int)a->edition.len, a->edition.ptr,
             (int)a->channel.len, a->channel.ptr, (int)a->title.len, a->title.ptr,
             (int)a->subtitle.len, a->subtitle.ptr, (int)a->kicker.len, a->kicker.ptr);
    for (size_t k = 0; k < a->n_authors; k++)
        buf_addf(out, "%.*s;", (int)a->authors[k].len, a->authors[k].ptr);
    buf_addf(out, "|%.*s|%.*s|", (int)a->editor.len, a->editor.ptr, (int)a->source.len,
             a->source.ptr);
    for (size_t k = 0; k < a->n_keywords; k++)
        buf_addf(out, "%.*s;", (int)a->keywords[k].len, a->keywords[k].ptr);
    buf_addf(out, "|%.*s|%.*s|%d|", (int)a->abstract.len, a->abstract.ptr, (int)a->body.len,
             a->body.ptr, (int)a->body_format);
    for (size_t k = 0; k < a->n_images; k++) {
        const struct article_image *im = &a->images[k];
        buf_addf(out, "%.*s;%.*s;%dx%d;%.*s;%.*s;%.*s|", (int)im->path.len, im->path.ptr,
                 (int)im->mime.len, im->mime.ptr, im->width, im->height, (int)im->caption.len,
                 im->caption.ptr, (int)im->credit.len, im->credit.ptr, (int)im->alt.len,
                 im->alt.ptr);
    }
    buf_addf(out, "%d|%lld|%lld|%lld|%lld|%lld|%lld|%d", (int)a->status,
             (long long)a->created_at, (long long)a->updated_at,
             (long long)a->first_published_at, (long long)a->last_published_at,
             (long long)a->scheduled_at, (long long)a->id, a->revision);
}

static char *article_text(struct demo *d, int64_t i)
{
    struct arena ar;
    struct buf b;
    struct article a;
    arena_init(&ar, 0);
    buf_init(&b, NULL, MH_MAX_PAGE);
    demo_article(d, i, &ar, &a);
    serialise(&a, &b);
    assert_int_equal(b.err, MH_OK);
    arena_release(&ar);
    return buf_take(&b, NULL);
}

static void test_same_seed_same_bytes(void **state)
{
    (void)state;
    struct demo_params p = params(42, 600, 1200);
    struct demo *a = demo_new(&p), *b = demo_new(&p);
    static const int64_t which[] = {0, 1, 7, 1234, 99999};
    for (size_t k = 0; k < MH_ARRAY_LEN(which); k++) {
        char *x = article_text(a, which[k]), *y = article_text(b, which[k]);
        assert_string_equal(x, y);
        free(x);
        free(y);
    }
    struct buf pa, pb;
    buf_init(&pa, NULL, 16 * MH_MIB);
    buf_init(&pb, NULL, 16 * MH_MIB);
    assert_int_equal(demo_image_png(a, 5, &pa), MH_OK);
    assert_int_equal(demo_image_png(b, 5, &pb), MH_OK);
    assert_int_equal(pa.len, pb.len);
    assert_memory_equal(pa.data, pb.data, pa.len);
    buf_release(&pa);
    buf_release(&pb);
    demo_free(a);
    demo_free(b);
}

static void test_other_seed_other_bytes(void **state)
{
    (void)state;
    struct demo_params p1 = params(42, 600, 1200), p2 = params(43, 600, 1200);
    struct demo *a = demo_new(&p1), *b = demo_new(&p2);
    for (int64_t i = 0; i < 5; i++) {
        char *x = article_text(a, i), *y = article_text(b, i);
        assert_true(strcmp(x, y) != 0);
        free(x);
        free(y);
    }
    struct buf pa, pb;
    buf_init(&pa, NULL, 16 * MH_MIB);
    buf_init(&pb, NULL, 16 * MH_MIB);
    assert_int_equal(demo_image_png(a, 0, &pa), MH_OK);
    assert_int_equal(demo_image_png(b, 0, &pb), MH_OK);
    assert_true(pa.len != pb.len || memcmp(pa.data, pb.data, pa.len) != 0);
    buf_release(&pa);
    buf_release(&pb);
    demo_free(a);
    demo_free(b);
}

static void test_order_does_not_matter(void **state)
{
    (void)state;
    enum { N = 40 };
    struct demo_params p = params(7, 200, 400);
    struct demo *fwd = demo_new(&p), *rev = demo_new(&p);
    char *x[N], *y[N];
    for (int i = 0; i < N; i++)
        x[i] = article_text(fwd, i);
    for (int i = N - 1; i >= 0; i--)
        y[i] = article_text(rev, i);
    for (int i = 0; i < N; i++) {
        assert_string_equal(x[i], y[i]);
        free(x[i]);
        free(y[i]);
    }
    char *again = article_text(fwd, 3), *first = article_text(rev, 3);
    assert_string_equal(again, first);
    free(again);
    free(first);
    /* demo_article_image() agrees with the article without generating it */
    struct arena ar;
    arena_init(&ar, 0);
    for (int64_t i = 0; i < 200; i++) {
        struct article a;
        int w, h;
        arena_reset(&ar);
        demo_article(fwd, i, &ar, &a);
        demo_image_size(fwd, demo_article_image(fwd, i), &w, &h);
        assert_int_equal(a.images[0].width, w);
        assert_int_equal(a.images[0].height, h);
    }
    arena_release(&ar);
    demo_free(fwd);
    demo_free(rev);
}

/* S is clean text: valid UTF-8, no controls (but newlines when BODY), no
 * leftover grammar syntax, no doubled or dangling spaces. */
static void check_text(struct str s, size_t max, bool body, bool may_be_empty)
{
    if (!may_be_empty)
        assert_true(s.len > 0);
    assert_non_null(s.ptr);
    assert_true(s.len <= max);
    assert_true(utf8_valid(s, NULL));
    assert_false(utf8_has_controls(s, body));
    assert_null(memchr(s.ptr, '\r', s.len));
    assert_null(memchr(s.ptr, '\t', s.len));
    assert_null(memchr(s.ptr, '{', s.len));
    assert_null(memchr(s.ptr, '}', s.len));
    assert_null(memchr(s.ptr, '|', s.len));
    assert_null(memchr(s.ptr, '~', s.len));
    assert_int_equal(s.ptr[s.len], '\0');
    for (size_t k = 0; k + 1 < s.len; k++) {
        assert_false(s.ptr[k] == ' ' && s.ptr[k + 1] == ' ');
        assert_false(s.ptr[k] == ' ' && s.ptr[k + 1] == '\n');
    }
    if (s.len && !body) {
        assert_true(s.ptr[0] != ' ' && s.ptr[s.len - 1] != ' ');
        assert_null(memchr(s.ptr, '\n', s.len));
    }
}

static bool in_list(struct str s, const char *const *list, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (str_eq_c(s, list[k]))
            return true;
    return false;
}

static void check_article(struct demo *d, const struct demo_params *p, const struct article *a)
{
    bool zh = str_eq_c(a->edition, "zh");
    assert_true(zh || str_eq_c(a->edition, "english"));
    const struct demo_edition_spec *es = &p->editions[zh ? 1 : 0];
    assert_true(in_list(a->channel, es->channels, es->n_channels));
    assert_int_equal(a->id, 0);
    check_text(a->title, MH_MAX_FIELD, false, false);
    check_text(a->subtitle, MH_MAX_FIELD, false, true);
    check_text(a->kicker, MH_MAX_FIELD, false, true);
    check_text(a->editor, MH_MAX_FIELD, false, false);
    check_text(a->source, MH_MAX_FIELD, false, false);
    check_text(a->abstract, MH_MAX_ABSTRACT, false, false);
    check_text(a->body, MH_MAX_BODY, true, false);
    if (zh) {
        int chars = utf8_chars(a->title.ptr, a->title.len);
        assert_in_range(chars, 10, 24);
    } else {
        int words = demo_count_words("en", a->title);
        assert_in_range(words, 5, 11);
    }
    assert_in_range(a->n_authors, 1, 3);
    for (size_t k = 0; k < a->n_authors; k++) {
        check_text(a->authors[k], MH_MAX_FIELD, false, false);
        for (size_t m = 0; m < k; m++)
            assert_false(str_eq(a->authors[k], a->authors[m]));
    }
    assert_in_range(a->n_keywords, 2, 5);
    for (size_t k = 0; k < a->n_keywords; k++) {
        check_text(a->keywords[k], MH_MAX_FIELD, false, false);
        for (size_t m = 0; m < k; m++)
            assert_false(str_eq(a->keywords[k], a->keywords[m]));
    }
    assert_int_equal(a->body_format, BODY_MARKDOWN);
    int words = demo_count_words(zh ? "zh-CN" : "en", a->body);
    assert_in_range(words, p->min_words, p->max_words);

    assert_int_equal(a->n_images, 1);
    const struct article_image *im = &a->images[0];
    assert_int_equal(im->path.len, 0);
    assert_int_equal(im->media_id, 0);
    assert_true(str_eq_c(im->mime, "image/png"));
    check_text(im->caption, MH_MAX_FIELD, false, false);
    check_text(im->credit, MH_MAX_FIELD, false, false);
    check_text(im->alt, MH_MAX_FIELD, false, false);
    assert_true(im->width == 1200 || im->width == 960);
    assert_int_equal(im->height * 16, im->width * 9);
    (void)d;

    assert_in_range(a->revision, 1, 4);
    assert_true(a->created_at <= a->updated_at);
    assert_true(a->updated_at <= NOW);
    if (a->status == ARTICLE_PUBLISHED || a->status == ARTICLE_WITHDRAWN) {
        assert_true(a->created_at <= a->first_published_at);
        assert_true(a->first_published_at <= a->last_published_at);
        assert_true(a->last_published_at <= NOW);
        assert_true(a->first_published_at >= NOW - 181 * DAY);
        assert_true(a->updated_at >= a->last_published_at);
    } else {
        assert_int_equal(a->first_published_at, 0);
        assert_int_equal(a->last_published_at, 0);
    }
    if (a->status == ARTICLE_SCHEDULED) {
        assert_true(a->scheduled_at >= NOW + HOUR);
        assert_true(a->scheduled_at <= NOW + 72 * HOUR);
    } else {
        assert_int_equal(a->scheduled_at, 0);
    }
}

static void test_first_articles_are_clean(void **state)
{
    (void)state;
    struct demo_params p = params(2026, 600, 1200);
    struct demo *d = demo_new(&p);
    struct arena ar;
    arena_init(&ar, 64 * 1024);
    for (int64_t i = 0; i < 2000; i++) {
        struct article a;
        arena_reset(&ar);
        demo_article(d, i, &ar, &a);
        check_article(d, &p, &a);
    }
    arena_release(&ar);
    demo_free(d);
}

static void test_distributions(void **state)
{
    (void)state;
    enum { N = 8000 };
    struct demo_params p = params(99, 40, 80); /* short bodies: only the mix matters */
    struct demo *d = demo_new(&p);
    struct arena ar;
    arena_init(&ar, 64 * 1024);
    int zh = 0, status[ARTICLE_STATUS_COUNT] = {0}, recent = 0, old = 0;
    int en_ch[MH_ARRAY_LEN(en_channels)] = {0}, zh_ch[MH_ARRAY_LEN(zh_channels)] = {0};
    for (int64_t i = 0; i < N; i++) {
        struct article a;
        arena_reset(&ar);
        demo_article(d, i, &ar, &a);
        bool is_zh = str_eq_c(a.edition, "zh");
        zh += is_zh;
        status[a.status]++;
        for (size_t c = 0; c < (is_zh ? MH_ARRAY_LEN(zh_channels) : MH_ARRAY_LEN(en_channels));
             c++)
            if (str_eq_c(a.channel, is_zh ? zh_channels[c] : en_channels[c]))
                (is_zh ? zh_ch : en_ch)[c]++;
        if (a.first_published_at) {
            recent += a.first_published_at >= NOW - 30 * DAY;
            old += a.first_published_at < NOW - 150 * DAY;
        }
    }
    assert_in_range(zh * 100 / N, 27, 33);
    assert_in_range(status[ARTICLE_PUBLISHED] * 1000 / N, 890, 930);
    assert_in_range(status[ARTICLE_DRAFT] * 1000 / N, 12, 28);
    assert_in_range(status[ARTICLE_SUBMITTED] * 1000 / N, 12, 28);
    assert_in_range(status[ARTICLE_APPROVED] * 1000 / N, 12, 28);
    assert_in_range(status[ARTICLE_SCHEDULED] * 1000 / N, 12, 28);
    assert_in_range(status[ARTICLE_WITHDRAWN] * 1000 / N, 5, 15);
    for (size_t c = 1; c < MH_ARRAY_LEN(en_channels); c++)
        assert_true(en_ch[0] > 2 * en_ch[c]);
    for (size_t c = 1; c < MH_ARRAY_LEN(zh_channels); c++)
        assert_true(zh_ch[0] > 2 * zh_ch[c]);
    assert_true(recent > 2 * old); /* denser near now */
    arena_release(&ar);
    demo_free(d);
}

static void test_body_lengths(void **state)
{
    (void)state;
    static const int ranges[][2] = {{600, 1200}, {40, 52}, {100, 100}, {0, 0}, {3000, 3300}};
    struct arena ar;
    arena_init(&ar, 64 * 1024);
    for (size_t r = 0; r < MH_ARRAY_LEN(ranges); r++) {
        struct demo_params p = params(5 + r, ranges[r][0], ranges[r][1]);
        struct demo *d = demo_new(&p);
        int lo = ranges[r][0] < DEMO_MIN_WORDS ? DEMO_MIN_WORDS : ranges[r][0];
        int hi = ranges[r][1] < lo + DEMO_WORD_SLACK ? lo + DEMO_WORD_SLACK : ranges[r][1];
        for (int64_t i = 0; i < (lo > 1000 ? 30 : 150); i++) {
            struct article a;
            arena_reset(&ar);
            demo_article(d, i, &ar, &a);
            int w = demo_count_words(str_eq_c(a.edition, "zh") ? "zh" : "en", a.body);
            assert_in_range(w, lo, hi);
            assert_true(a.body.ptr[a.body.len - 1] == '\n');
            assert_true(a.body.len < 2 || a.body.ptr[a.body.len - 2] != '\n');
        }
        demo_free(d);
    }
    arena_release(&ar);
}

static void test_count_words(void **state)
{
    (void)state;
    assert_int_equal(demo_count_words("en", STR_LIT("## A title\n\n- one two\n**Bold** — x")), 6);
    assert_int_equal(demo_count_words("en", STR_LIT("“We did it,” ZHOU Lanting said.")), 6);
    /* eight Han characters and two Latin words: five words */
    assert_int_equal(demo_count_words("zh-CN", STR_LIT("新型AI芯片采用RISC-V架构。")), 5);
    assert_int_equal(demo_count_words("zh", STR_LIT("")), 0);
}

static void test_people(void **state)
{
    (void)state;
    struct demo_params p = params(11, 600, 1200);
    struct demo *d = demo_new(&p);
    struct arena ar;
    arena_init(&ar, 0);
    enum { N = 100000 }; /* the range demo.h promises distinct */
    struct str *en = arena_alloc(&ar, N * sizeof(*en)), *zh = arena_alloc(&ar, N * sizeof(*zh));
    for (int k = 0; k < N; k++) {
        en[k] = demo_person(d, "en", k, &ar);
        zh[k] = demo_person(d, "zh-CN", k, &ar);
        check_text(en[k], MH_MAX_FIELD, false, false);
        check_text(zh[k], MH_MAX_FIELD, false, false);
        /* "ZHOU Lanting": capitals, a space, a capital and lower case */
        const char *sp = memchr(en[k].ptr, ' ', en[k].len);
        assert_non_null(sp);
        for (const char *c = en[k].ptr; c < sp; c++)
            assert_true(*c >= 'A' && *c <= 'Z');
        assert_true(sp[1] >= 'A' && sp[1] <= 'Z');
        for (const char *c = sp + 2; c < en[k].ptr + en[k].len; c++)
            assert_true(*c >= 'a' && *c <= 'z');
        int chars = utf8_chars(zh[k].ptr, zh[k].len);
        assert_in_range(chars, 2, 3);
        assert_int_equal(zh[k].len, (size_t)chars * 3);
    }
    /* distinct within each language: sort-free check through a hash set */
    for (int lang = 0; lang < 2; lang++) {
        struct str *v = lang ? zh : en;
        enum { SLOTS = 262144 };
        int32_t *set = arena_alloc(&ar, SLOTS * sizeof(int32_t));
        for (int s = 0; s < SLOTS; s++)
            set[s] = -1;
        for (int k = 0; k < N; k++) {
            uint32_t h = name_hash(v[k].ptr, v[k].len) & (SLOTS - 1);
            while (set[h] >= 0) {
                assert_false(str_eq(v[set[h]], v[k]));
                h = (h + 1) & (SLOTS - 1);
            }
            set[h] = k;
        }
    }
    /* the same seed and K give the same name; NULL arena means heap */
    struct str again = demo_person(d, "en", 17, NULL);
    assert_true(str_eq(again, en[17]));
    free((void *)again.ptr);
    arena_release(&ar);
    demo_free(d);
}

static void test_bylines_are_staff(void **state)
{
    (void)state;
    struct demo_params p = params(12, 100, 200);
    p.n_reporters = 5;
    p.n_editors = 2;
    struct demo *d = demo_new(&p);
    struct arena ar;
    arena_init(&ar, 0);
    for (size_t e = 0; e < p.n_editions; e++)
        assert_int_equal(demo_staff_count(d, e), 7);
    for (int64_t i = 0; i < 300; i++) {
        struct article a;
        arena_reset(&ar);
        demo_article(d, i, &ar, &a);
        size_t e = str_eq_c(a.edition, "zh");
        const char *lang = p.editions[e].lang;
        bool editor_ok = false;
        for (size_t k = 0; k < a.n_authors; k++) {
            bool found = false;
            for (int j = 0; j < demo_staff_count(d, e); j++) {
                bool is_editor;
                int who = demo_staff_person(d, e, j, &is_editor);
                if (!is_editor && str_eq(demo_person(d, lang, who, &ar), a.authors[k]))
                    found = true;
            }
            assert_true(found);
        }
        for (int j = 0; j < demo_staff_count(d, e); j++) {
            bool is_editor;
            int who = demo_staff_person(d, e, j, &is_editor);
            if (is_editor && str_eq(demo_person(d, lang, who, &ar), a.editor))
                editor_ok = true;
        }
        assert_true(editor_ok);
    }
    arena_release(&ar);
    demo_free(d);
}

/* Expand every rule of both grammars under every field and angle: no rule
 * may be missing a variant, and nothing may leave grammar syntax behind. */
static void test_every_rule_expands(void **state)
{
    (void)state;
    struct demo_params p = params(13, 600, 1200);
    struct demo *d = demo_new(&p);
    struct ctx *c = mh_malloc(sizeof(*c));
    struct buf b;
    buf_init(&b, NULL, MH_MIB);
    for (int zh = 0; zh < 2; zh++) {
        const struct grammar *g = zh ? &d->zh : &d->en;
        for (int f = 0; f < FIELD_COUNT; f++) {
            for (int an = 0; an < ANGLE_COUNT; an++) {
                ctx_init(c, g, (uint64_t)(f * 31 + an), f, an);
                /* name everybody first: rules like p1_short repeat a slot */
                static const char *const people[] = {"p1_full", "p2_name", "p3_intro",
                                                     "p4_intro"};
                for (size_t k = 0; k < MH_ARRAY_LEN(people); k++) {
                    buf_reset(&b);
                    expand(c, &b, rule_id((struct grammar *)g, people[k], strlen(people[k])),
                           0);
                }
                for (uint32_t r = 0; r < g->n_rules; r++) {
                    const char *name = rule_name(g, r);
                    if (strchr(name, '/') || !rule_usable(g, r))
                        continue; /* variants are reached through their base */
                    for (int k = 0; k < 4; k++) {
                        buf_reset(&b);
                        expand(c, &b, r, 0);
                        assert_int_equal(b.err, MH_OK);
                        struct str s = buf_str(&b);
                        assert_true(utf8_valid(s, NULL));
                        assert_null(memchr(s.ptr, '{', s.len));
                        assert_null(memchr(s.ptr, '}', s.len));
                        if (strcmp(name, "loc") && strcmp(name, "thing"))
                            assert_null(memchr(s.ptr, '|', s.len));
                    }
                }
            }
        }
    }
    buf_release(&b);
    free(c);
    demo_free(d);
}

static void test_text_helpers(void **state)
{
    (void)state;
    struct demo_params p = params(14, 600, 1200);
    struct demo *d = demo_new(&p);
    struct arena ar;
    arena_init(&ar, 0);
    for (int64_t i = 0; i < 50; i++) {
        struct str s = demo_article_summary(d, i, &ar);
        check_text(s, MH_MAX_ABSTRACT, false, false);
    }
    static const char *const slugs[] = {"news", "policy", "cooperation", "experts-in-china",
                                        "insight", "case", "unknown"};
    for (size_t k = 0; k < MH_ARRAY_LEN(slugs); k++) {
        check_text(demo_channel_description(d, "en", slugs[k], &ar), MH_MAX_FIELD, false, false);
        check_text(demo_channel_description(d, "zh-CN", slugs[k], &ar), MH_MAX_FIELD, false,
                   false);
    }
    for (int k = 0; k < demo_image_count(d); k++) {
        check_text(demo_image_alt(d, k, "en", &ar), MH_MAX_FIELD, false, false);
        check_text(demo_image_alt(d, k, "zh-CN", &ar), MH_MAX_FIELD, false, false);
    }
    char buf[64] = "hello world. the end\n“quoted” text? yes ## no";
    struct buf b;
    buf_init(&b, NULL, 256);
    buf_adds(&b, "  a  b \n c. d");
    assert_int_equal(polish(&b, 0, false, true), 4);
    assert_string_equal(b.data, "A b\nC. D");
    buf_reset(&b);
    buf_adds(&b, buf);
    polish(&b, 0, false, true);
    assert_string_equal(b.data, "Hello world. The end\n“Quoted” text? Yes ## no");
    static const struct {
        const char *word;
        bool an;
    } articles[] = {{"AI chip", true}, {"mRNA vaccine", true}, {"RISC-V chip", false},
                    {"5G network", false}, {"8-bit", true}, {"hour", true},
                    {"university", false}, {"ocean buoy", true}, {"GPU", false}};
    for (size_t k = 0; k < MH_ARRAY_LEN(articles); k++)
        assert_int_equal(wants_an(articles[k].word, strlen(articles[k].word)), articles[k].an);
    buf_reset(&b);
    buf_adds(&b, "cheaper solid-state batteries move a step closer to mRNA");
    title_case(b.data, b.len);
    assert_string_equal(b.data, "Cheaper Solid-State Batteries Move a Step Closer to mRNA");
    buf_release(&b);
    arena_release(&ar);
    demo_free(d);
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Walk the chunks of one PNG, check CRCs, inflate the IDATs. */
static void check_png(const struct demo *d, int index, const struct buf *png)
{
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    const uint8_t *p = (const uint8_t *)png->data, *end = p + png->len;
    int w, h;
    demo_image_size(d, index, &w, &h);
    assert_true(png->len > 8 + 25 + 12 + 12);
    assert_true(png->len < 150 * 1024);
    assert_memory_equal(p, sig, 8);
    p += 8;
    size_t idat_len = 0;
    uint8_t *idat = NULL;
    bool seen_ihdr = false, seen_iend = false;
    while (p < end) {
        assert_true(end - p >= 12);
        uint32_t len = get32(p);
        assert_true((size_t)(end - p) >= 12 + (size_t)len);
        const uint8_t *type = p + 4, *data = p + 8;
        uLong crc = crc32(crc32(0L, type, 4), data, len);
        assert_int_equal(get32(data + len), (uint32_t)crc);
        if (memcmp(type, "IHDR", 4) == 0) {
            assert_false(seen_ihdr);
            assert_int_equal(len, 13);
            assert_int_equal(get32(data), (uint32_t)w);
            assert_int_equal(get32(data + 4), (uint32_t)h);
            assert_int_equal(data[8], 8);
            assert_int_equal(data[9], 2);
            assert_int_equal(data[10] | data[11] | data[12], 0);
            seen_ihdr = true;
        } else if (memcmp(type, "IDAT", 4) == 0) {
            assert_true(seen_ihdr);
            idat = mh_realloc(idat, idat_len + len);
            memcpy(idat + idat_len, data, len);
            idat_len += len;
        } else if (memcmp(type, "IEND", 4) == 0) {
            assert_int_equal(len, 0);
            seen_iend = true;
        }
        p += 12 + len;
        if (seen_iend)
            break;
    }
    assert_true(seen_iend);
    assert_true(p == end);
    uLongf raw_len = (uLongf)h * (1 + 3 * (uLongf)w) + 1; /* one spare byte: must stay unused */
    uint8_t *raw = mh_malloc(raw_len);
    assert_int_equal(uncompress(raw, &raw_len, idat, idat_len), Z_OK);
    assert_int_equal(raw_len, (uLongf)h * (1 + 3 * (uLongf)w));
    for (int y = 0; y < h; y++)
        assert_in_range(raw[(size_t)y * (1 + 3 * (size_t)w)], 0, 4);
    free(raw);
    free(idat);
}

static void test_png_files(void **state)
{
    (void)state;
    struct demo_params p = params(42, 600, 1200);
    struct demo *d = demo_new(&p);
    int n = demo_image_count(d);
    assert_in_range(n, 24, 48);
    for (int k = 0; k < n; k++) {
        struct buf b;
        buf_init(&b, NULL, 16 * MH_MIB);
        assert_int_equal(demo_image_png(d, k, &b), MH_OK);
        check_png(d, k, &b);
        buf_release(&b);
    }
    for (int64_t i = 0; i < 100; i++)
        assert_in_range(demo_article_image(d, i), 0, n - 1);
    /* a ceiling under the file size is reported, not overrun */
    struct buf small;
    buf_init(&small, NULL, 4096);
    assert_int_equal(demo_image_png(d, 0, &small), MH_TOOBIG);
    buf_release(&small);
    struct arena ar;
    arena_init(&ar, 0);
    struct buf in_arena;
    buf_init(&in_arena, &ar, 16 * MH_MIB);
    assert_int_equal(demo_image_png(d, 1, &in_arena), MH_OK);
    check_png(d, 1, &in_arena);
    arena_release(&ar);
    demo_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_seed_same_bytes),
        cmocka_unit_test(test_other_seed_other_bytes),
        cmocka_unit_test(test_order_does_not_matter),
        cmocka_unit_test(test_first_articles_are_clean),
        cmocka_unit_test(test_distributions),
        cmocka_unit_test(test_body_lengths),
        cmocka_unit_test(test_count_words),
        cmocka_unit_test(test_people),
        cmocka_unit_test(test_bylines_are_staff),
        cmocka_unit_test(test_every_rule_expands),
        cmocka_unit_test(test_text_helpers),
        cmocka_unit_test(test_png_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
