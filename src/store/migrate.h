/* SPDX-License-Identifier: MIT */
/*
 * migrate.h - the table of schema migrations compiled into the binary from
 * migrations/NNN_name.sql (cmake/embed_migrations.cmake writes it).
 */
#ifndef MH_STORE_MIGRATE_H
#define MH_STORE_MIGRATE_H

struct migration {
    int number;       /* increasing (gaps allowed): the schema version after applying it */
    const char *name; /* "001_init" */
    const char *sql;
};

/* In order of number, ended by an entry whose number is 0. */
extern const struct migration mh_migrations[];
/* The number of the last migration: the schema version this binary writes. */
extern const int mh_migration_count;

#endif
