/* SPDX-License-Identifier: MIT */
/* core_test.c - buf, arena, str, utf8, ini, fs and rng. */
#include "../check.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/fs.h"
#include "core/ini.h"
#include "core/rng.h"
#include "core/utf8.h"

static void test_buf_ceiling_is_sticky(void **state)
{
    (void)state;
    struct arena a;
    struct buf b;
    struct str s;
    arena_init(&a, 1024);
    buf_init(&b, &a, 8);
    buf_add(&b, "headline", 8);
    buf_add(&b, "!", 1);
    buf_add(&b, "?", 1);
    assert_int_equal(buf_finish(&b, &s), MH_TOOBIG);
    assert_string_equal(b.data, "headline");
    arena_release(&a);
}

static void test_buf_heap_and_printf(void **state)
{
    (void)state;
    struct buf b;
    size_t len;
    buf_init(&b, NULL, 1 << 20);
    for (int i = 0; i < 1000; i++)
        buf_addf(&b, "%d,", i);
    buf_addf(&b, "%s", "a long tail that is longer than the small stack buffer used by buf_addf "
                       "for the common case, so that the second vsnprintf path runs too......"
                       "................................................................!");
    assert_int_equal(b.err, MH_OK);
    assert_true(b.data[b.len - 1] == '!');
    char *p = buf_take(&b, &len);
    assert_int_equal(strlen(p), len);
    free(p);
    assert_null(b.data);
}

static void test_arena_alignment_and_big(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a, 256);
    for (int i = 0; i < 100; i++) {
        void *p = arena_alloc(&a, (size_t)(i % 7) + 1);
        assert_int_equal((uintptr_t)p % 16, 0);
        memset(p, 0xAB, (size_t)(i % 7) + 1);
    }
    char *big = arena_alloc(&a, 10000);
    memset(big, 1, 10000);
    char *s = arena_strdup(&a, "kept");
    char *grown = arena_realloc(&a, s, 5, 100);
    assert_string_equal(grown, "kept");
    arena_reset(&a);
    char *again = arena_strdup(&a, "after reset");
    assert_string_equal(again, "after reset");
    arena_release(&a);
}

static void test_str_to_i64(void **state)
{
    (void)state;
    int64_t v;
    assert_int_equal(str_to_i64(STR_LIT("480001"), 0, INT64_MAX, &v), MH_OK);
    assert_int_equal(v, 480001);
    assert_int_equal(str_to_i64(STR_LIT("-5"), -10, 10, &v), MH_OK);
    assert_int_equal(v, -5);
    assert_int_equal(str_to_i64(STR_LIT("9223372036854775808"), 0, INT64_MAX, &v), MH_INVAL);
    assert_int_equal(str_to_i64(STR_LIT("12a"), 0, 100, &v), MH_INVAL);
    assert_int_equal(str_to_i64(STR_LIT(""), 0, 100, &v), MH_INVAL);
    assert_int_equal(str_to_i64(STR_LIT("101"), 0, 100, &v), MH_INVAL);
    CHECK_STR(str_trim(STR_LIT("  x y \n")), "x y");
}

static void test_utf8(void **state)
{
    (void)state;
    size_t bad;
    assert_true(utf8_valid(STR_LIT("plain ascii"), NULL));
    assert_true(utf8_valid(STR_LIT("人工智能 and café 😀"), NULL));
    assert_false(utf8_valid(STR_LIT("ab\xC0\xAF"), &bad)); /* overlong '/' */
    assert_int_equal(bad, 2);
    assert_false(utf8_valid(STR_LIT("\xED\xA0\x80"), NULL)); /* a surrogate */
    assert_false(utf8_valid(STR_LIT("\xF4\x90\x80\x80"), NULL)); /* past U+10FFFF */
    assert_false(utf8_valid(STR_LIT("\xE4\xBA"), NULL)); /* truncated */
    assert_true(utf8_has_controls(STR_LIT("a\x01"), true));
    assert_false(utf8_has_controls(STR_LIT("a\nb\tc"), true));
    assert_true(utf8_has_controls(STR_LIT("a\nb"), false));
}

static bool naive_controls(const unsigned char *p, size_t n, bool nl)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\t' || (nl && (p[i] == '\n' || p[i] == '\r')))
            continue;
        if (p[i] < 0x20 || p[i] == 0x7F)
            return true;
    }
    return false;
}

static void test_utf8_fast_paths_agree(void **state)
{
    (void)state;
    struct rng r;
    unsigned char buf[40];
    static const unsigned char pool[] = {'a', ' ', '~', 0x7F, 0x1F, '\n', '\t', '\r', 0x00,
                                         0x80, 0xE4, 0xB8, 0xAD, 0xC3, 0xA9, 0xF0, 0x9F};
    rng_seed(&r, 7);
    for (int round = 0; round < 200000; round++) {
        size_t n = rng_below(&r, sizeof(buf) + 1);
        for (size_t i = 0; i < n; i++)
            buf[i] = rng_below(&r, 4) ? 'a' + (unsigned char)rng_below(&r, 26)
                                      : pool[rng_below(&r, sizeof(pool))];
        struct str s = str_make((const char *)buf, n);
        for (int nl = 0; nl < 2; nl++)
            assert_true(utf8_has_controls(s, nl) == naive_controls(buf, n, nl));
        /* the eight-byte ASCII skip agrees with decoding one by one */
        bool ok = true;
        const char *p = s.ptr, *end = s.ptr + n;
        while (p < end && ok)
            ok = utf8_next(&p, end) >= 0;
        assert_true(utf8_valid(s, NULL) == ok);
    }
}

struct pairs {
    char seen[512];
};

static int collect(void *ctx, struct str section, struct str key, struct str value, char *errbuf,
                   size_t errlen)
{
    struct pairs *p = ctx;
    size_t n = strlen(p->seen);
    snprintf(p->seen + n, sizeof(p->seen) - n, "[%.*s]%.*s=%.*s;", (int)section.len, section.ptr,
             (int)key.len, key.ptr, (int)value.len, value.ptr);
    if (str_eq_c(key, "boom")) {
        snprintf(errbuf, errlen, "no boom allowed");
        return MH_INVAL;
    }
    return MH_OK;
}

static void test_ini(void **state)
{
    (void)state;
    struct pairs p = {{0}};
    char err[256];
    int rc = ini_parse(STR_LIT("# comment\ntop = 1\n[site]\nname = The Daily  \n; c\n"
                               "quoted = \"  spaced \"\n"),
                       collect, &p, err, sizeof(err));
    assert_int_equal(rc, MH_OK);
    assert_string_equal(p.seen, "[]top=1;[site]name=The Daily;[site]quoted=  spaced ;");
    assert_int_equal(ini_parse(STR_LIT("[site\n"), collect, &p, err, sizeof(err)), MH_INVAL);
    assert_string_equal(err, "line 1: section header without ']'");
    assert_int_equal(ini_parse(STR_LIT("\n\nnovalue\n"), collect, &p, err, sizeof(err)),
                     MH_INVAL);
    assert_string_equal(err, "line 3: expected 'key = value'");
    assert_int_equal(ini_parse(STR_LIT("a = 1\nboom = 2\n"), collect, &p, err, sizeof(err)),
                     MH_INVAL);
    assert_string_equal(err, "line 2: no boom allowed");
    assert_int_equal(ini_parse(STR_LIT("a = \xff\n"), collect, &p, err, sizeof(err)), MH_INVAL);
}

static void test_fs(void **state)
{
    (void)state;
    char *dir = check_tmpdir("fs");
    char path[4200], err[512];
    struct buf b;
    snprintf(path, sizeof(path), "%s/a/b/c", dir);
    assert_int_equal(fs_mkdirs(path, 0755, err, sizeof(err)), MH_OK);
    assert_true(fs_is_dir(path));
    assert_true(fs_dir_empty(path));
    snprintf(path, sizeof(path), "%s/a/file.txt", dir);
    assert_int_equal(fs_write_atomic(path, STR_LIT("front page"), err, sizeof(err)), MH_OK);
    buf_init(&b, NULL, 1024);
    assert_int_equal(fs_read_file(path, &b, err, sizeof(err)), MH_OK);
    assert_string_equal(b.data, "front page");
    buf_release(&b);
    buf_init(&b, NULL, 4); /* over the ceiling */
    assert_int_equal(fs_read_file(path, &b, err, sizeof(err)), MH_TOOBIG);
    buf_release(&b);
    snprintf(path, sizeof(path), "%s/missing", dir);
    buf_init(&b, NULL, 1024);
    assert_int_equal(fs_read_file(path, &b, err, sizeof(err)), MH_NOTFOUND);
    buf_release(&b);
    free(dir);
}

static void test_rng_is_deterministic(void **state)
{
    (void)state;
    struct rng a, b;
    rng_seed(&a, 42);
    rng_seed(&b, 42);
    for (int i = 0; i < 1000; i++)
        assert_true(rng_next(&a) == rng_next(&b));
    rng_seed(&a, 42);
    for (int i = 0; i < 1000; i++) {
        uint32_t v = rng_below(&a, 7);
        assert_true(v < 7);
        int64_t r = rng_range(&a, -3, 3);
        assert_true(r >= -3 && r <= 3);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_ceiling_is_sticky),
        cmocka_unit_test(test_buf_heap_and_printf),
        cmocka_unit_test(test_arena_alignment_and_big),
        cmocka_unit_test(test_str_to_i64),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_utf8_fast_paths_agree),
        cmocka_unit_test(test_ini),
        cmocka_unit_test(test_fs),
        cmocka_unit_test(test_rng_is_deterministic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
