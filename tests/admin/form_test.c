/* SPDX-License-Identifier: MIT */
/*
 * form_test.c - src/admin/form.c: the admin forms' parsers (datetime-local,
 * numbers from 0 to 1, lists, link lines).
 */
#include "../check.h"

#include "admin/admin_int.h"
#include "core/arena.h"
#include "core/err.h"

static void test_unit(void **state)
{
    (void)state;
    double v;
    static const struct {
        const char *in;
        double want;
    } good[] = {{"0", 0}, {"1", 1}, {"0.35", 0.35}, {" .5 ", 0.5}, {"1.000", 1}};
    for (size_t i = 0; i < MH_ARRAY_LEN(good); i++) {
        assert_int_equal(admin_parse_unit(str_c(good[i].in), &v), MH_OK);
        assert_true(v == good[i].want);
    }
    static const char *const bad[] = {"", " ", "1.5", "-0", "0.3.5", ".", "1e-1", "0x1",
                                      "nan", "inf", "0,5", "5%", "0.000000000000000000000000001x"};
    for (size_t i = 0; i < MH_ARRAY_LEN(bad); i++)
        assert_int_equal(admin_parse_unit(str_c(bad[i]), &v), MH_INVAL);
}

static void test_time(void **state)
{
    (void)state;
    int64_t ms;
    assert_int_equal(admin_parse_time(STR_LIT("1970-01-01T00:00"), &ms), MH_OK);
    assert_int_equal(ms, 0);
    assert_int_equal(admin_parse_time(STR_LIT("2026-11-29T17:40"), &ms), MH_OK);
    assert_int_equal(ms, INT64_C(1795974000000)); /* date -u -d 2026-11-29T17:40 +%s */
    assert_int_equal(admin_parse_time(STR_LIT("2026-11-29 17:40:12"), &ms), MH_OK);
    assert_int_equal(ms, INT64_C(1795974012000));
    assert_int_equal(admin_parse_time(STR_LIT("2026-11-29T17:40:12.5"), &ms), MH_OK);
    assert_int_equal(ms, INT64_C(1795974012500));
    assert_int_equal(admin_parse_time(STR_LIT("2028-02-29T00:00"), &ms), MH_OK);
    static const char *const bad[] = {
        "", "2026-11-29", "2026-11-29T17:4", "2026-13-01T00:00", "2027-02-29T00:00",
        "2026-04-31T00:00", "2026-11-29T24:00", "2026-11-29T17:60", "2026-11-29T17:40:60",
        "2026-11-29T17:40:12.", "2026-11-29T17:40:12.1234", "2026-11-29X17:40", "+026-11-29T17:40",
        "1969-12-31T23:59", "2026-11-29T17:40Z",
    };
    for (size_t i = 0; i < MH_ARRAY_LEN(bad); i++)
        if (admin_parse_time(str_c(bad[i]), &ms) != MH_INVAL) {
            fprintf(stderr, "accepted '%s'\n", bad[i]);
            fail();
        }
}

static void test_lists(void **state)
{
    (void)state;
    struct arena a;
    struct str *v;
    size_t n;
    arena_init(&a, 0);
    admin_split_list(&a, STR_LIT(" LYU Yongyun \r\n\nPENG, Zhihua\n"), false, &v, &n);
    assert_int_equal(n, 2);
    CHECK_STR(v[0], "LYU Yongyun");
    CHECK_STR(v[1], "PENG, Zhihua");
    admin_split_list(&a, STR_LIT("chips, Wuxi,, chip design,"), true, &v, &n);
    assert_int_equal(n, 3);
    CHECK_STR(v[2], "chip design");
    admin_split_list(&a, STR_LIT(""), true, &v, &n);
    assert_int_equal(n, 0);
    struct link *l;
    assert_true(admin_parse_links(&a, STR_LIT("Home | /english/\n\n A|B | https://x.org/ \n"), &l,
                                  &n));
    assert_int_equal(n, 2);
    CHECK_STR(l[0].title, "Home");
    CHECK_STR(l[0].url, "/english/");
    CHECK_STR(l[1].title, "A|B");
    CHECK_STR(l[1].url, "https://x.org/");
    assert_false(admin_parse_links(&a, STR_LIT("Home | /\nno bar here\n"), &l, &n));
    arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time),
        cmocka_unit_test(test_unit),
        cmocka_unit_test(test_lists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
