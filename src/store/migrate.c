/* SPDX-License-Identifier: MIT */
/*
 * migrate.c - bring an open database to this binary's schema: each missing
 * migration runs in its own transaction with the version bump, so a killed
 * process leaves a database at some whole version.
 */
#include "core/compat.h"

#include "core/err.h"
#include "core/log.h"
#include "store/migrate.h"
#include "store/store_int.h"

int store_schema_version(void)
{
    return mh_migration_count;
}

int store_db_version(struct store *s)
{
    int v = -1;
    if (s->ops->schema_version(s, &v) != MH_OK)
        return -1;
    return v;
}

int store_migrate(struct store *s, char *errbuf, size_t errlen)
{
    int have;
    int rc = s->ops->schema_version(s, &have);
    if (rc) {
        snprintf(errbuf, errlen, "cannot read the schema version: %s", s->ops->errmsg(s));
        return rc;
    }
    if (have > mh_migration_count) {
        snprintf(errbuf, errlen,
                 "the database was made by a newer Masthead (schema %d; this one knows up to "
                 "%d): upgrade masthead to open it",
                 have, mh_migration_count);
        return MH_CONFLICT;
    }
    for (const struct migration *m = mh_migrations; m->number; m++) {
        if (m->number <= have)
            continue;
        rc = s->ops->exec(s, "BEGIN IMMEDIATE");
        if (rc == MH_OK)
            rc = s->ops->exec(s, m->sql);
        if (rc == MH_OK)
            rc = s->ops->set_schema_version(s, m->number);
        if (rc == MH_OK)
            rc = s->ops->exec(s, "COMMIT");
        if (rc) {
            snprintf(errbuf, errlen, "migration %s failed: %s", m->name, s->ops->errmsg(s));
            s->ops->exec(s, "ROLLBACK");
            return rc;
        }
        if (have > 0)
            log_info("migrated the database to schema %d (%s)", m->number, m->name);
    }
    return MH_OK;
}
