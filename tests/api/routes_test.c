/* SPDX-License-Identifier: MIT */
/*
 * routes_test.c - the routes api_handle() serves (and the two of /api/v1/
 * that search/ serves before it) against docs/openapi.yaml, both ways: every
 * documented path and method is served, every served one is documented.
 */
#include "../check.h"

#include "api/api.h"

#define MAX_ROUTES 64

struct route {
    char method[8];
    char path[128];
};

static const char *lower(enum http_method m)
{
    switch (m) {
    case HTTP_GET:
        return "get";
    case HTTP_POST:
        return "post";
    case HTTP_PUT:
        return "put";
    case HTTP_DELETE:
        return "delete";
    default:
        return "other";
    }
}

/* The (method, path) pairs under "paths:": paths at two spaces, methods at four. */
static size_t documented(struct route *out)
{
    static const char *const methods[] = {"get", "put", "post", "delete", "patch", "head",
                                          "options", "trace"};
    /* docs/openapi.yaml of the tree this file is in: __FILE__ is absolute under CMake */
    char file[4096], line[512], path[128] = "";
    const char *tail = strstr(__FILE__, "tests/api/routes_test.c");
    assert_non_null(tail);
    snprintf(file, sizeof(file), "%.*sdocs/openapi.yaml", (int)(tail - __FILE__), __FILE__);
    FILE *f = fopen(file, "r");
    size_t n = 0;
    bool in_paths = false;
    assert_non_null(f);
    while (fgets(line, sizeof(line), f)) {
        if (line[0] != ' ' && line[0] != '#' && line[0] != '\n') {
            in_paths = strncmp(line, "paths:", 6) == 0;
            continue;
        }
        if (!in_paths)
            continue;
        if (strncmp(line, "  /", 3) == 0) {
            char *colon = strrchr(line, ':');
            assert_non_null(colon);
            snprintf(path, sizeof(path), "%.*s", (int)(colon - line - 2), line + 2);
            continue;
        }
        if (strncmp(line, "    ", 4) != 0 || line[4] == ' ')
            continue;
        for (size_t i = 0; i < MH_ARRAY_LEN(methods); i++) {
            size_t len = strlen(methods[i]);
            if (strncmp(line + 4, methods[i], len) == 0 && line[4 + len] == ':') {
                assert_true(path[0] == '/');
                assert_true(n < MAX_ROUTES);
                snprintf(out[n].method, sizeof(out[n].method), "%s", methods[i]);
                snprintf(out[n].path, sizeof(out[n].path), "%s", path);
                n++;
            }
        }
    }
    fclose(f);
    return n;
}

static bool served(const struct route *r)
{
    const struct api_route *tables[] = {api_routes, api_routes_elsewhere};
    for (size_t t = 0; t < 2; t++)
        for (const struct api_route *a = tables[t]; a->pattern; a++)
            if (strcmp(lower(a->method), r->method) == 0 && strcmp(a->pattern, r->path) == 0)
                return true;
    return false;
}

static void test_every_documented_route_is_served(void **state)
{
    struct route doc[MAX_ROUTES];
    size_t n = documented(doc);
    (void)state;
    assert_true(n >= 8);
    for (size_t i = 0; i < n; i++) {
        if (!served(&doc[i]))
            fprintf(stderr, "documented but not served: %s %s\n", doc[i].method, doc[i].path);
        assert_true(served(&doc[i]));
    }
}

static void test_every_served_route_is_documented(void **state)
{
    struct route doc[MAX_ROUTES];
    size_t n = documented(doc);
    const struct api_route *tables[] = {api_routes, api_routes_elsewhere};
    (void)state;
    for (size_t t = 0; t < 2; t++) {
        for (const struct api_route *a = tables[t]; a->pattern; a++) {
            bool found = false;
            for (size_t i = 0; i < n && !found; i++)
                found = strcmp(doc[i].method, lower(a->method)) == 0 &&
                        strcmp(doc[i].path, a->pattern) == 0;
            if (!found)
                fprintf(stderr, "served but not documented: %s %s\n", lower(a->method),
                        a->pattern);
            assert_true(found);
            /* the table of this module has a handler for each route */
            assert_true(t == 1 || a->handler != NULL);
        }
    }
}

static void test_paths_are_owned(void **state)
{
    (void)state;
    assert_true(api_owns_path(STR_LIT("/api/v1/articles")));
    assert_true(api_owns_path(STR_LIT("/api/")));
    assert_true(api_owns_path(STR_LIT("/api")));
    assert_false(api_owns_path(STR_LIT("/apiary/")));
    assert_false(api_owns_path(STR_LIT("/english/")));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_documented_route_is_served),
        cmocka_unit_test(test_every_served_route_is_documented),
        cmocka_unit_test(test_paths_are_owned),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
