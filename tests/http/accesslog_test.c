/* SPDX-License-Identifier: MIT */
/* accesslog_test.c - the combined and JSON lines, and what a hostile client cannot do to them. */
#include "../check.h"

#include <jansson.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "http/http_int.h"

static const struct http_log_entry plain = {
    .time_ms = 1767600000123, /* 2026-01-05T08:00:00.123Z */
    .remote = STR_LIT("203.0.113.7"),
    .method = STR_LIT("GET"),
    .target = STR_LIT("/english/?q=a+b"),
    .version = STR_LIT("HTTP/1.1"),
    .referer = STR_LIT("https://example.com/"),
    .ua = STR_LIT("Mozilla/5.0 (X11)"),
    .status = 200,
    .bytes = 40960,
    .duration_ns = 1234567,
};

static char *format(enum http_log_format f, const struct http_log_entry *e)
{
    struct buf b;
    buf_init(&b, NULL, HTTP_LOG_LINE_MAX);
    http_log_format(&b, f, e);
    assert_int_equal(b.err, MH_OK);
    size_t len;
    return buf_take(&b, &len);
}

static void test_combined(void **state)
{
    (void)state;
    char *line = format(HTTP_LOG_COMBINED, &plain);
    assert_string_equal(line, "203.0.113.7 - - [05/Jan/2026:08:00:00 +0000] "
                              "\"GET /english/?q=a+b HTTP/1.1\" 200 40960 "
                              "\"https://example.com/\" \"Mozilla/5.0 (X11)\"\n");
    free(line);
    struct http_log_entry e = {.time_ms = 0, .status = 431}; /* died before the handler */
    line = format(HTTP_LOG_COMBINED, &e);
    assert_string_equal(line, "- - - [01/Jan/1970:00:00:00 +0000] \"- - -\" 431 0 \"-\" \"-\"\n");
    free(line);
}

static void test_json(void **state)
{
    (void)state;
    char *line = format(HTTP_LOG_JSON, &plain);
    json_error_t err;
    json_t *j = json_loads(line, 0, &err);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "time")), "2026-01-05T08:00:00.123Z");
    assert_string_equal(json_string_value(json_object_get(j, "remote")), "203.0.113.7");
    assert_string_equal(json_string_value(json_object_get(j, "method")), "GET");
    assert_string_equal(json_string_value(json_object_get(j, "path")), "/english/?q=a+b");
    assert_int_equal(json_integer_value(json_object_get(j, "status")), 200);
    assert_int_equal(json_integer_value(json_object_get(j, "bytes")), 40960);
    assert_true(json_real_value(json_object_get(j, "ms")) > 1.23 &&
                json_real_value(json_object_get(j, "ms")) < 1.24);
    assert_string_equal(json_string_value(json_object_get(j, "referer")), "https://example.com/");
    assert_string_equal(json_string_value(json_object_get(j, "ua")), "Mozilla/5.0 (X11)");
    assert_int_equal(json_object_size(j), 9);
    assert_int_equal(strchr(line, '\n') - line, (long)strlen(line) - 1);
    json_decref(j);
    free(line);
}

/* Quotes, newlines, backslashes and bad UTF-8 cannot end a field or a line. */
static void test_hostile_fields(void **state)
{
    (void)state;
    struct http_log_entry e = plain;
    e.target = STR_LIT("/a\"b\\c\r\n127.0.0.1 - - [forged]\x01\xff\xe4\xb8\xad");
    e.ua = STR_LIT("\" \"injected");
    char *line = format(HTTP_LOG_COMBINED, &e);
    assert_non_null(strstr(line, "\"GET /a\\x22b\\x5cc\\x0d\\x0a127.0.0.1 - - [forged]\\x01\\xff"
                                 "\\xe4\\xb8\\xad HTTP/1.1\""));
    assert_non_null(strstr(line, "\"\\x22 \\x22injected\"\n"));
    assert_ptr_equal(strchr(line, '\n'), line + strlen(line) - 1);
    free(line);

    line = format(HTTP_LOG_JSON, &e);
    assert_ptr_equal(strchr(line, '\n'), line + strlen(line) - 1);
    json_error_t err;
    json_t *j = json_loads(line, 0, &err);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "path")),
                        "/a\"b\\c\r\n127.0.0.1 - - [forged]\x01\xef\xbf\xbd\xe4\xb8\xad");
    assert_string_equal(json_string_value(json_object_get(j, "ua")), "\" \"injected");
    json_decref(j);
    free(line);
}

static void test_long_fields_are_cut(void **state)
{
    (void)state;
    static char big[20000];
    memset(big, '\n', sizeof(big)); /* the worst case for escaping */
    struct http_log_entry e = plain;
    e.target = e.referer = e.ua = e.remote = str_make(big, sizeof(big));
    for (int f = HTTP_LOG_COMBINED; f <= HTTP_LOG_JSON; f++) {
        char *line = format((enum http_log_format)f, &e);
        assert_true(strlen(line) < HTTP_LOG_LINE_MAX);
        assert_non_null(strstr(line, "..."));
        free(line);
    }
}

static void test_write_and_off(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    struct arena a;
    FILE *f = open_memstream(&text, &len);
    arena_init(&a, 0);
    http_log_write(f, HTTP_LOG_OFF, &plain, &a);
    http_log_write(f, HTTP_LOG_COMBINED, &plain, &a);
    http_log_write(f, HTTP_LOG_JSON, &plain, &a);
    fclose(f);
    assert_non_null(strstr(text, "\"GET /english/?q=a+b HTTP/1.1\" 200"));
    assert_non_null(strstr(text, "\n{\"time\":"));
    assert_ptr_equal(strchr(strchr(text, '\n') + 1, '\n'), text + len - 1); /* two lines */
    free(text);
    arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_combined),       cmocka_unit_test(test_json),
        cmocka_unit_test(test_hostile_fields), cmocka_unit_test(test_long_fields_are_cut),
        cmocka_unit_test(test_write_and_off),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
