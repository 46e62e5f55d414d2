/* SPDX-License-Identifier: MIT */
/* date_test.c - RFC 3339, civil dates in zones, and the model's enum names. */
#include "../check.h"

#include "core/buf.h"
#include "core/err.h"
#include "model/date.h"
#include "model/model.h"

static void test_parse(void **state)
{
    (void)state;
    int64_t ms;
    assert_int_equal(date_parse_rfc3339(STR_LIT("2026-03-06T09:39:50.194+08:00"), &ms), MH_OK);
    assert_true(ms == INT64_C(1772761190194));
    assert_int_equal(date_parse_rfc3339(STR_LIT("2026-03-06T01:39:50.194Z"), &ms), MH_OK);
    assert_true(ms == INT64_C(1772761190194));
    assert_int_equal(date_parse_rfc3339(STR_LIT("2026-03-06 01:39:50z"), &ms), MH_OK);
    assert_true(ms == INT64_C(1772761190000));
    assert_int_equal(date_parse_rfc3339(STR_LIT("2026-03-05T20:39:50.1234567-05:00"), &ms),
                     MH_OK);
    assert_true(ms == INT64_C(1772761190123));
    assert_int_equal(date_parse_rfc3339(STR_LIT("1970-01-01T00:00:00Z"), &ms), MH_OK);
    assert_true(ms == 0);
    assert_int_equal(date_parse_rfc3339(STR_LIT("2024-02-29T00:00:00Z"), &ms), MH_OK);
}

static void test_parse_rejects(void **state)
{
    (void)state;
    int64_t ms;
    const char *bad[] = {
        "",
        "2026-03-06",
        "2026-03-06T09:39:50",        /* no offset */
        "2026-02-29T00:00:00Z",       /* not a leap year */
        "2026-13-01T00:00:00Z",
        "2026-03-06T24:00:00Z",
        "2026-03-06T09:39:50.+08:00",
        "2026-03-06T09:39:50+0800",
        "2026-03-06T09:39:50Z trailing",
        "20260306T093950Z",
        "2026-03-06T09:39:50.1234567890Z",
        "9999-12-31T23:59:60Z", /* past the years we show */
        "0999-12-31T23:59:59Z",
    };
    for (size_t i = 0; i < MH_ARRAY_LEN(bad); i++)
        assert_int_equal(date_parse_rfc3339(str_c(bad[i]), &ms), MH_INVAL);
}

static void test_format_in_zones(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, NULL, 256);
    date_format_rfc3339(&b, INT64_C(1772761190194), STR_LIT("Asia/Shanghai"));
    assert_string_equal(b.data, "2026-03-06T09:39:50.194+08:00");
    buf_reset(&b);
    date_format_rfc3339(&b, INT64_C(1772761190194), STR_LIT("UTC"));
    assert_string_equal(b.data, "2026-03-06T01:39:50.194Z");
    buf_reset(&b);
    /* summer time in New York: -04:00 in July, -05:00 in January */
    date_format(&b, INT64_C(1783000000000), STR_LIT("America/New_York"), "%Y-%m/%d %H:%M %Z");
    assert_string_equal(b.data, "2026-07/02 09:46 -04:00");
    buf_release(&b);
}

static void test_civil_and_zones(void **state)
{
    (void)state;
    struct civil c;
    assert_int_equal(date_civil(INT64_C(1772728800000), STR_LIT("Asia/Shanghai"), &c), MH_OK);
    /* 2026-03-05T16:40:00Z is already the 6th in Shanghai */
    assert_int_equal(c.day, 6);
    assert_int_equal(c.offset_min, 480);
    assert_true(date_zone_valid(STR_LIT("Asia/Shanghai")));
    assert_true(date_zone_valid(STR_LIT("Europe/Berlin")));
    assert_false(date_zone_valid(STR_LIT("Mars/Olympus_Mons")));
    assert_false(date_zone_valid(STR_LIT("")));
    assert_int_equal(date_civil(0, STR_LIT("Nowhere/Land"), &c), MH_INVAL);
    int y, m, d;
    for (int64_t days = -800000; days < 800000; days += 997) {
        date_civil_from_days(days, &y, &m, &d);
        assert_true(date_days_from_civil(y, m, d) == days);
    }
}

static void test_enum_names(void **state)
{
    (void)state;
    enum article_status s;
    enum user_role r;
    for (int i = 0; i < ARTICLE_STATUS_COUNT; i++) {
        assert_int_equal(article_status_parse(str_c(article_status_name(i)), &s), MH_OK);
        assert_int_equal((int)s, i);
    }
    assert_int_equal(article_status_parse(STR_LIT("live"), &s), MH_INVAL);
    assert_int_equal(user_role_parse(STR_LIT("chief-editor"), &r), MH_OK);
    assert_int_equal(r, ROLE_CHIEF_EDITOR);
    assert_int_equal(user_role_parse(STR_LIT("intern"), &r), MH_INVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),         cmocka_unit_test(test_parse_rejects),
        cmocka_unit_test(test_format_in_zones), cmocka_unit_test(test_civil_and_zones),
        cmocka_unit_test(test_enum_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
