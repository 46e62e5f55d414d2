/* SPDX-License-Identifier: MIT */
/*
 * migrate.h - the table of schema migrations compiled into the binary from
 * migrations/NNN_name.sql (cmake/embed_migrations.cmake writes it).
 */
#ifndef MH_STORE_MIGRATE_H
#define MH_STORE_MIGRATE_H

struct migration {
    int number;       /* 1, 2, ...: the schema version after applying it */
    const char *name; /* "001_init" */
    const char *sql;
};

/* By number, ending with {0, 0, 0}; numbers increase but may have gaps. */
extern const struct migration mh_migrations[];
extern const int mh_migration_count; /* the highest number: this binary's schema */

#endif
