/* SPDX-License-Identifier: MIT */
/*
 * import_floor.c - the floor for bench/import: the time SQLite itself takes
 * to insert the same article rows through one prepared statement in one
 * transaction, into the same table (migration 001's article table and
 * indexes).  The file is read and parsed first, untimed; only the inserts
 * are timed.
 *   bench_import_floor FILE.jsonl DB
 */
#include "core/compat.h"

#include <jansson.h>
#include <sqlite3.h>
#include <time.h>

#include "store/migrate.h"

struct row {
    json_t *j;
    char *authors, *keywords;
};

static char *joined(json_t *arr)
{
    size_t cap = 256, len = 0;
    char *s = mh_malloc(cap);
    size_t i;
    json_t *v;
    s[0] = '\0';
    json_array_foreach(arr, i, v)
    {
        const char *t = json_string_value(v);
        size_t n = strlen(t);
        while (len + n + 2 > cap)
            s = mh_realloc(s, cap *= 2);
        if (i)
            s[len++] = '\n';
        memcpy(s + len, t, n + 1);
        len += n;
    }
    return s;
}

static const char *str(json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "";
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s FILE.jsonl DB\n", argv[0]);
        return 2;
    }
    FILE *in = fopen(argv[1], "r");
    if (in == NULL) {
        perror(argv[1]);
        return 1;
    }
    size_t cap = 1024, n = 0;
    struct row *rows = mh_malloc(cap * sizeof(*rows));
    char *line = NULL;
    size_t linecap = 0;
    while (getline(&line, &linecap, in) > 0) {
        json_error_t e;
        if (n == cap)
            rows = mh_realloc(rows, (cap *= 2) * sizeof(*rows));
        rows[n].j = json_loads(line, 0, &e);
        if (rows[n].j == NULL)
            continue;
        rows[n].authors = joined(json_object_get(rows[n].j, "authors"));
        rows[n].keywords = joined(json_object_get(rows[n].j, "keywords"));
        n++;
    }
    free(line);
    fclose(in);

    sqlite3 *db;
    sqlite3_stmt *st;
    if (sqlite3_open(argv[2], &db) != SQLITE_OK)
        return 1;
    sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;", 0, 0, 0);
    sqlite3_exec(db, "CREATE TABLE edition(slug TEXT PRIMARY KEY); "
                     "CREATE TABLE channel(id INTEGER PRIMARY KEY);", 0, 0, 0);
    /* the article table exactly as the migration makes it */
    const char *m = mh_migrations[0].sql;
    const char *a = strstr(m, "CREATE TABLE article");
    const char *b = strstr(m, "CREATE TABLE media");
    char *ddl = mh_strndup(a, (size_t)(b - a));
    if (sqlite3_exec(db, ddl, 0, 0, 0) != SQLITE_OK) {
        fprintf(stderr, "ddl: %s\n", sqlite3_errmsg(db));
        return 1;
    }
    sqlite3_prepare_v2(db,
                       "INSERT INTO article(id, edition, channel_id, title, subtitle, kicker, "
                       "authors, editor, source, keywords, abstract, body, body_format, status, "
                       "created_at, updated_at, first_published_at, last_published_at, "
                       "scheduled_at, revision, content_hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                       "?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
                       -1, &st, NULL);
    struct timespec t0, t1;
    static const unsigned char hash[32];
    clock_gettime(CLOCK_MONOTONIC, &t0);
    sqlite3_exec(db, "BEGIN", 0, 0, 0);
    for (size_t i = 0; i < n; i++) {
        json_t *j = rows[i].j;
        sqlite3_bind_int64(st, 1, json_integer_value(json_object_get(j, "id")));
        sqlite3_bind_text(st, 2, str(j, "edition"), -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, 1);
        sqlite3_bind_text(st, 4, str(j, "title"), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, str(j, "subtitle"), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, str(j, "kicker"), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, rows[i].authors, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 8, str(j, "editor"), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 9, str(j, "source"), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 10, rows[i].keywords, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 11, str(j, "abstract"), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 12, str(j, "body"), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 13, str(j, "body_format"), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 14, str(j, "status"), -1, SQLITE_STATIC);
        for (int c = 15; c <= 18; c++)
            sqlite3_bind_int64(st, c, 1780000000000 + (int64_t)i);
        sqlite3_bind_null(st, 19);
        sqlite3_bind_int(st, 20, 1);
        sqlite3_bind_blob(st, 21, hash, 32, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE) {
            fprintf(stderr, "insert: %s\n", sqlite3_errmsg(db));
            return 1;
        }
        sqlite3_reset(st);
    }
    sqlite3_exec(db, "COMMIT", 0, 0, 0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("%zu %.3f\n", n, secs);
    sqlite3_finalize(st);
    sqlite3_close(db);
    for (size_t i = 0; i < n; i++) {
        json_decref(rows[i].j);
        free(rows[i].authors);
        free(rows[i].keywords);
    }
    free(rows);
    free(ddl);
    return 0;
}
