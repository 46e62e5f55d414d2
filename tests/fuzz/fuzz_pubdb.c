/* SPDX-License-Identifier: MIT */
/*
 * fuzz_pubdb.c - the publish record (store/pubdb.h, OUT/.masthead-publish)
 * and the publisher's table loaded from it (publish/manifest.c), on any
 * bytes as the record file: a damaged or hostile file must be refused with a
 * reason, or read without a crash, every row it yields naming a file the
 * publisher may write; its rows can be written back and removed.
 */
#include "core/compat.h"

#include <unistd.h>

#include "core/err.h"
#include "publish/publish_int.h"
#include "store/pubdb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Any answer will do for a damaged file, as long as it comes back. */
static void tried(int rc)
{
    (void)rc;
}

static void take_finger(void *ctx, struct str edition, const unsigned char hash[PUBDB_HASH_LEN])
{
    tried(manifest_set_finger(ctx, edition, hash));
}

static int count(void *ctx, const struct pubdb_page *p)
{
    (void)p;
    (*(size_t *)ctx)++;
    return MH_OK;
}

static void use(struct pubdb *db)
{
    struct manifest m;
    int64_t seq, at;
    size_t n = 0;
    static const int64_t shows[] = {1, 2, 3};
    manifest_init(&m);
    tried(pubdb_state(db, &seq, &at));
    tried(pubdb_fingers(db, take_finger, &m));
    tried(pubdb_showing(db, 1, count, &n));
    tried(pubdb_article_pages(db, 1, count, &n));
    tried(pubdb_pages_under(db, STR_LIT("english/"), count, &n));
    tried(pubdb_channel_pages(db, STR_LIT("english"), STR_LIT("news"), PE_NEWEST, count, &n));
    if (manifest_load_all(&m, db) == MH_OK) {
        bool first = true;
        for (size_t i = 0; i < m.cap; i++) {
            struct pentry *e = &m.slot[i];
            if (e->file == NULL)
                continue;
            if (!manifest_file_ok(str_make(e->file, e->file_len)))
                abort(); /* manifest_take lets no other name in */
            /* rewrite the rows with new links, and drop the first */
            e->flags |= first ? PE_GONE : PE_DIRTY | PE_SHOWS;
            e->shows = shows;
            e->n_shows = MH_ARRAY_LEN(shows);
            first = false;
        }
        if (pubdb_begin(db) == MH_OK) {
            tried(manifest_save(&m, db));
            pubdb_rollback(db);
        }
    }
    manifest_release(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64], aside[80], err[512] = "";
    struct pubdb *db;
    snprintf(path, sizeof(path), "/tmp/mh-fuzz-pubdb-%ld", (long)getpid());
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
    int rc = pubdb_open(path, &db, err, sizeof(err));
    if (rc == MH_OK) {
        use(db);
        pubdb_close(db);
    } else if (err[0] == '\0' || db != NULL) {
        abort(); /* a refusal says why, and leaves nothing open */
    }
    static const char *const sfx[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < MH_ARRAY_LEN(sfx); i++) {
        snprintf(aside, sizeof(aside), "%s%s", path, sfx[i]);
        unlink(aside);
    }
    return 0;
}
