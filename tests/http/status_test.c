/* SPDX-License-Identifier: MIT */
/* status_test.c - the one rc-to-status map and the reason phrases. */
#include "../check.h"

#include "core/err.h"
#include "http/http.h"

static void test_every_rc_has_a_status(void **state)
{
    (void)state;
    assert_int_equal(http_status_for(MH_OK), 200);
    assert_int_equal(http_status_for(MH_NOTFOUND), 404);
    assert_int_equal(http_status_for(MH_GONE), 410);
    assert_int_equal(http_status_for(MH_INVAL), 400);
    assert_int_equal(http_status_for(MH_TOOBIG), 413);
    assert_int_equal(http_status_for(MH_FORBIDDEN), 403);
    assert_int_equal(http_status_for(MH_CONFLICT), 409);
    assert_int_equal(http_status_for(MH_TIMEOUT), 503);
    assert_int_equal(http_status_for(MH_IO), 500);
    assert_int_equal(http_status_for(MH_DB), 500);
    assert_int_equal(http_status_for(MH_ERR_COUNT), 500);
    assert_int_equal(http_status_for(-1), 500);
    assert_int_equal(http_status_for(12345), 500);
    /* every status the map gives has a reason phrase */
    for (int rc = MH_OK; rc < MH_ERR_COUNT; rc++)
        assert_string_not_equal(http_status_reason(http_status_for(rc)), "Unknown");
}

static void test_reasons(void **state)
{
    (void)state;
    assert_string_equal(http_status_reason(200), "OK");
    assert_string_equal(http_status_reason(404), "Not Found");
    assert_string_equal(http_status_reason(405), "Method Not Allowed");
    assert_string_equal(http_status_reason(413), "Content Too Large");
    assert_string_equal(http_status_reason(414), "URI Too Long");
    assert_string_equal(http_status_reason(431), "Request Header Fields Too Large");
    assert_string_equal(http_status_reason(501), "Not Implemented");
    assert_string_equal(http_status_reason(299), "Unknown");
    assert_string_equal(http_status_reason(0), "Unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_rc_has_a_status),
        cmocka_unit_test(test_reasons),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
