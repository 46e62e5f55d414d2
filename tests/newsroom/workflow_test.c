/* SPDX-License-Identifier: MIT */
/*
 * workflow_test.c - an article's life through the newsroom library on a
 * real site database: creation and who sees it, every transition for every
 * role (allowed and refused), stale saves, the edit lock, autosave,
 * revisions with diff and restore, delete, the list, the scheduler (also
 * for what was missed while down, and its thread), curation and settings,
 * and the audit log.
 */
#include "../check.h"

#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "newsroom/newsroom.h"
#include "store/store.h"
#include "testclock.h"

#define T0 INT64_C(1800000000000)
#define MIN (60 * 1000)

struct fixture {
    char *dir, *db;
    struct site *site;
    struct arena arena;
    struct newsroom_ctx nr;
};

static struct fixture *F;

static const struct {
    const char *login, *name;
    enum user_role role;
} people[] = {
    {"rita", "Rita Reporter", ROLE_REPORTER}, {"rob", "Rob Reporter", ROLE_REPORTER},
    {"eddie", "Eddie Editor", ROLE_EDITOR},   {"chloe", "Chloe Chief", ROLE_CHIEF_EDITOR},
    {"ada", "Ada Admin", ROLE_ADMIN},
};

/* Act as LOGIN from a fixed address. */
static void as(const char *login)
{
    for (size_t i = 0; i < MH_ARRAY_LEN(people); i++) {
        if (strcmp(people[i].login, login) == 0) {
            newsroom_ctx_init(&F->nr, F->site->store, NULL);
            F->nr.who.user_id = (int64_t)i + 1;
            F->nr.who.login = str_c(people[i].login);
            F->nr.who.display_name = str_c(people[i].name);
            F->nr.who.role = people[i].role;
            F->nr.who.address = STR_LIT("198.51.100.4");
            return;
        }
    }
    fail();
}

static int group_setup(void **state)
{
    char err[1024], path[4200];
    (void)state;
    F = mh_calloc(1, sizeof(*F));
    F->dir = check_tmpdir("newsroom-workflow");
    snprintf(path, sizeof(path), "%s/site", F->dir);
    assert_int_equal(site_init(path, err, sizeof(err)), MH_OK);
    assert_int_equal(site_open(path, false, &F->site, err, sizeof(err)), MH_OK);
    F->db = site_path(F->site, NULL, STR_LIT(STORE_DB_FILE)); /* heap: freed at the end */
    arena_init(&F->arena, 0);
    testclock_set(T0);
    for (size_t i = 0; i < MH_ARRAY_LEN(people); i++) {
        struct user u = {0};
        u.login = str_c(people[i].login);
        u.display_name = str_c(people[i].name);
        u.role = people[i].role;
        /* not an argon2 string: nobody signs in here */
        assert_int_equal(store_user_add(F->site->store, &u, "x"), MH_OK);
    }
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    site_close(F->site);
    arena_release(&F->arena);
    free(F->db);
    free(F->dir);
    free(F);
    return 0;
}

static int setup(void **state)
{
    (void)state;
    testclock_set(T0);
    arena_reset(&F->arena);
    as("ada");
    return 0;
}

static struct article draft(const char *title)
{
    static struct str authors[] = {STR_LIT("Rita Reporter")};
    static struct str keywords[] = {STR_LIT("harbour"), STR_LIT("ferries")};
    struct article a = {0};
    a.edition = STR_LIT("english");
    a.channel = STR_LIT("news");
    a.title = str_c(title);
    a.authors = authors;
    a.n_authors = 1;
    a.keywords = keywords;
    a.n_keywords = 2;
    a.abstract = STR_LIT("The night ferry returns for the winter timetable.");
    a.body = STR_LIT("The harbour office said the ferry runs again.\n\nTickets go on sale "
                     "on Monday.\n\nThe last boat leaves at eleven.");
    return a;
}

static int64_t create_as(const char *login, const char *title)
{
    struct article a = draft(title);
    as(login);
    assert_int_equal(newsroom_article_create(&F->nr, &a, STR_LIT("first draft")), MH_OK);
    assert_true(a.id > 0);
    assert_int_equal(a.revision, 1);
    assert_int_equal(a.status, ARTICLE_DRAFT);
    return a.id;
}

static enum article_status status_of(int64_t id)
{
    struct article a;
    assert_int_equal(store_article_get(F->site->store, &F->arena, id, &a), MH_OK);
    return a.status;
}

/* Bring article ID (a draft) to STATUS as the admin. */
static void bring_to(int64_t id, enum article_status st)
{
    static const enum article_status path_p[] = {ARTICLE_SUBMITTED, ARTICLE_APPROVED,
                                                 ARTICLE_PUBLISHED, ARTICLE_WITHDRAWN};
    struct newsroom_actor saved = F->nr.who;
    as("ada");
    if (st == ARTICLE_SCHEDULED) {
        bring_to(id, ARTICLE_APPROVED);
        as("ada");
        assert_int_equal(newsroom_transition(&F->nr, id, 0, ARTICLE_SCHEDULED, T0 + 60 * MIN,
                                             STR_NULL), MH_OK);
    } else {
        for (size_t i = 0; i < MH_ARRAY_LEN(path_p) && status_of(id) != st; i++)
            assert_int_equal(newsroom_transition(&F->nr, id, 0, path_p[i], 0, STR_NULL), MH_OK);
    }
    assert_int_equal(status_of(id), st);
    F->nr.who = saved;
}

/* ------------------------------------------------------------------ */

static void test_create_and_visibility(void **state)
{
    (void)state;
    struct article a, got;
    /* nobody (a context no one signed into) may do nothing */
    struct newsroom_ctx anon;
    newsroom_ctx_init(&anon, F->site->store, NULL);
    a = draft("Anonymous");
    assert_int_equal(newsroom_article_create(&anon, &a, STR_NULL), MH_FORBIDDEN);
    assert_string_equal(anon.message, "please sign in to write");
    struct newsroom_audit_entry *e;
    size_t n_e;
    struct newsroom_audit_filter af = {0};
    assert_int_equal(newsroom_audit_list(&anon, &F->arena, &af, &e, &n_e), MH_FORBIDDEN);
    struct user nu = {.login = STR_LIT("sneaky"), .role = ROLE_ADMIN};
    assert_int_equal(newsroom_user_add(&anon, &nu, STR_LIT("long enough pass")), MH_FORBIDDEN);
    int64_t id = create_as("rita", "Night ferry returns");
    struct str owner;
    assert_int_equal(newsroom_article_owner(&F->nr, &F->arena, id, &owner), MH_OK);
    CHECK_STR(owner, "rita");
    /* another reporter does not even see it; an editor does */
    as("rob");
    assert_int_equal(newsroom_article_get(&F->nr, &F->arena, id, &got), MH_NOTFOUND);
    assert_non_null(strstr(F->nr.message, "no article"));
    as("eddie");
    assert_int_equal(newsroom_article_get(&F->nr, &F->arena, id, &got), MH_OK);
    CHECK_STR(got.title, "Night ferry returns");
    assert_int_equal(got.n_keywords, 2);

    /* bad input: a clear message and the field */
    as("rita");
    a = draft("   ");
    assert_int_equal(newsroom_article_create(&F->nr, &a, STR_NULL), MH_INVAL);
    assert_string_equal(F->nr.field, "title");
    a = draft("Line\nbreak");
    assert_int_equal(newsroom_article_create(&F->nr, &a, STR_NULL), MH_INVAL);
    assert_string_equal(F->nr.field, "title");
    a = draft("Fine title");
    a.channel = STR_LIT("no-such-channel");
    assert_int_equal(newsroom_article_create(&F->nr, &a, STR_NULL), MH_INVAL);
    assert_string_equal(F->nr.field, "channel");
    a = draft("Fine title");
    a.body = STR_LIT("bad \x01 byte");
    assert_int_equal(newsroom_article_create(&F->nr, &a, STR_NULL), MH_INVAL);
    assert_string_equal(F->nr.field, "body");
    a = draft("Fine title");
    a.id = 77;
    assert_int_equal(newsroom_article_create(&F->nr, &a, STR_NULL), MH_INVAL);
    /* nothing of that was stored */
    int64_t count;
    assert_int_equal(store_article_count(F->site->store, STR_NULL, &count), MH_OK);
    assert_int_equal(status_of(id), ARTICLE_DRAFT);
    as("ada");
    assert_int_equal(newsroom_article_get(&F->nr, &F->arena, 999999, &got), MH_NOTFOUND);
}

/* Every step of the workflow, for every role, on own and other's articles. */
static void test_every_transition(void **state)
{
    (void)state;
    const char *actors[] = {"rita", "eddie", "chloe", "ada"};
    int ok = 0, refused = 0;
    for (int from = 0; from < ARTICLE_STATUS_COUNT; from++) {
        for (int to = 0; to < ARTICLE_STATUS_COUNT; to++) {
            enum newsroom_action action;
            bool step = newsroom_transition_action((enum article_status)from,
                                                   (enum article_status)to, &action) == MH_OK;
            for (size_t r = 0; r < MH_ARRAY_LEN(actors); r++) {
                for (int own = 0; own < 2; own++) {
                    arena_reset(&F->arena);
                    int64_t id = create_as(own ? actors[r] : "rob", "A step");
                    bring_to(id, (enum article_status)from);
                    as(actors[r]);
                    struct newsroom_subject subj = {own != 0, (enum article_status)from};
                    int want;
                    if (!newsroom_may(F->nr.who.role, NR_ARTICLE_VIEW, &subj) &&
                        from != ARTICLE_PUBLISHED)
                        want = MH_NOTFOUND;
                    else if (!step)
                        want = MH_INVAL;
                    else if (!newsroom_may(F->nr.who.role, action, &subj))
                        want = MH_FORBIDDEN;
                    else
                        want = MH_OK;
                    int64_t at = to == ARTICLE_SCHEDULED ? T0 + 90 * MIN : 0;
                    struct str why = to == ARTICLE_DRAFT ? STR_LIT("needs a source") : STR_NULL;
                    int rc = newsroom_transition(&F->nr, id, 0, (enum article_status)to, at, why);
                    if (rc != want) {
                        fprintf(stderr, "%s %s -> %s on %s article: got %d want %d (%s)\n",
                                actors[r], article_status_name((enum article_status)from),
                                article_status_name((enum article_status)to),
                                own ? "own" : "other's", rc, want, F->nr.message);
                        fail();
                    }
                    assert_int_equal(status_of(id), rc == MH_OK ? to : from);
                    rc == MH_OK ? ok++ : refused++;
                }
            }
        }
    }
    assert_true(ok > 30 && refused > 200);
}

static void test_publication_dates(void **state)
{
    (void)state;
    struct article a;
    int64_t id = create_as("rita", "Dates are kept");
    assert_int_equal(newsroom_transition(&F->nr, id, 0, ARTICLE_SUBMITTED, 0, STR_NULL), MH_OK);
    /* returning needs a comment, which goes into the article's history */
    as("eddie");
    assert_int_equal(newsroom_transition(&F->nr, id, 0, ARTICLE_DRAFT, 0, STR_LIT("  ")),
                     MH_INVAL);
    assert_string_equal(F->nr.field, "comment");
    assert_int_equal(newsroom_transition(&F->nr, id, 0, ARTICLE_DRAFT, 0,
                                         STR_LIT("Please name the harbour office")),
                     MH_OK);
    as("rita");
    struct newsroom_audit_entry *h;
    size_t n;
    struct newsroom_audit_filter f = {0};
    char obj[32];
    snprintf(obj, sizeof(obj), "article:%lld", (long long)id);
    f.object = str_c(obj);
    assert_int_equal(newsroom_audit_list(&F->nr, &F->arena, &f, &h, &n), MH_OK);
    assert_true(n >= 3);
    CHECK_STR(h[0].action, "article.return");
    CHECK_STR(h[0].login, "eddie");
    assert_non_null(strstr(h[0].detail.ptr, "name the harbour office"));
    CHECK_STR(h[0].address, "198.51.100.4");
    /* a stale revision in a transition is refused */
    assert_int_equal(newsroom_transition(&F->nr, id, 5, ARTICLE_SUBMITTED, 0, STR_NULL),
                     MH_CONFLICT);
    assert_int_equal(newsroom_transition(&F->nr, id, 1, ARTICLE_SUBMITTED, 0, STR_NULL), MH_OK);
    as("eddie");
    assert_int_equal(newsroom_transition(&F->nr, id, 0, ARTICLE_APPROVED, 0, STR_NULL), MH_OK);
    as("chloe");
    assert_int_equal(newsroom_transition(&F->nr, id, 0, ARTICLE_SCHEDULED, T0 - 1, STR_NULL),
                     MH_INVAL);
    assert_string_equal(F->nr.field, "at");
    testclock_set(T0 + 5 * MIN);
    assert_int_equal(newsroom_transition(&F->nr, id, 0, ARTICLE_PUBLISHED, 0, STR_NULL), MH_OK);
    assert_int_equal(store_article_get(F->site->store, &F->arena, id, &a), MH_OK);
    assert_int_equal(a.first_published_at, T0 + 5 * MIN);
    assert_int_equal(a.last_published_at, T0 + 5 * MIN);
    testclock_set(T0 + 50 * MIN);
    assert_int_equal(newsroom_transition(&F->nr, id, 0, ARTICLE_WITHDRAWN, 0, STR_NULL), MH_OK);
    testclock_set(T0 + 80 * MIN);
    assert_int_equal(newsroom_transition(&F->nr, id, 0, ARTICLE_PUBLISHED, 0, STR_NULL), MH_OK);
    assert_int_equal(store_article_get(F->site->store, &F->arena, id, &a), MH_OK);
    assert_int_equal(a.status, ARTICLE_PUBLISHED);
    assert_int_equal(a.first_published_at, T0 + 5 * MIN); /* kept */
    assert_int_equal(a.last_published_at, T0 + 80 * MIN);  /* updated */
    assert_int_equal(a.revision, 1); /* transitions make no revision */
    as("ada");
    assert_int_equal(newsroom_audit_list(&F->nr, &F->arena, &f, &h, &n), MH_OK);
    CHECK_STR(h[0].action, "article.republish");
}

static void test_stale_save_lock_autosave(void **state)
{
    (void)state;
    struct article mine, theirs, cur;
    int64_t id = create_as("rita", "Two people, one draft");
    as("rita");
    assert_int_equal(newsroom_article_get(&F->nr, &F->arena, id, &mine), MH_OK);
    as("eddie");
    assert_int_equal(newsroom_article_get(&F->nr, &F->arena, id, &theirs), MH_OK);
    theirs.title = STR_LIT("Two people, one draft (edited)");
    assert_int_equal(newsroom_article_save(&F->nr, &F->arena, &theirs, STR_LIT("tighter title"),
                                           NULL), MH_OK);
    assert_int_equal(theirs.revision, 2);
    /* rita's save carries revision 1: refused, and she gets the current version */
    as("rita");
    mine.body = STR_LIT("Rita's new body.");
    memset(&cur, 0, sizeof(cur));
    assert_int_equal(newsroom_article_save(&F->nr, &F->arena, &mine, STR_NULL, &cur), MH_CONFLICT);
    assert_string_equal(F->nr.field, "revision");
    assert_non_null(strstr(F->nr.message, "eddie saved a newer version (revision 2"));
    assert_int_equal(cur.revision, 2);
    CHECK_STR(cur.title, "Two people, one draft (edited)");
    assert_int_equal(mine.revision, 1);
    /* nothing of hers was written */
    struct article now;
    assert_int_equal(store_article_get(F->site->store, &F->arena, id, &now), MH_OK);
    assert_false(str_eq(now.body, mine.body));

    /* the lock: eddie holds it, rita sees who and since when */
    as("eddie");
    struct newsroom_lock lk;
    assert_int_equal(newsroom_lock_take(&F->nr, &F->arena, id, &lk), MH_OK);
    CHECK_STR(lk.login, "eddie");
    assert_int_equal(lk.since, T0);
    testclock_set(T0 + MIN);
    assert_int_equal(newsroom_lock_take(&F->nr, &F->arena, id, &lk), MH_OK); /* renewal */
    assert_int_equal(lk.since, T0);
    assert_int_equal(lk.expires_at, T0 + 3 * MIN);
    as("rita");
    assert_int_equal(newsroom_lock_take(&F->nr, &F->arena, id, &lk), MH_CONFLICT);
    CHECK_STR(lk.display_name, "Eddie Editor");
    assert_non_null(strstr(F->nr.message, "being edited by Eddie Editor since"));
    mine = now;
    mine.body = STR_LIT("Rita tries while Eddie edits.");
    assert_int_equal(newsroom_article_save(&F->nr, &F->arena, &mine, STR_NULL, NULL), MH_CONFLICT);
    assert_int_equal(newsroom_article_autosave(&F->nr, &mine), MH_CONFLICT);
    assert_int_equal(newsroom_lock_get(&F->nr, &F->arena, id, &lk), MH_OK);
    /* it lapses when not renewed */
    testclock_set(T0 + 4 * MIN);
    assert_int_equal(newsroom_lock_get(&F->nr, &F->arena, id, &lk), MH_NOTFOUND);
    assert_int_equal(newsroom_lock_take(&F->nr, &F->arena, id, &lk), MH_OK);
    CHECK_STR(lk.login, "rita");

    /* autosave: kept, no revision, the article untouched; a save drops it */
    mine.body = STR_LIT("Half-typed paragr");
    assert_int_equal(newsroom_article_autosave(&F->nr, &mine), MH_OK);
    assert_int_equal(newsroom_article_autosave(&F->nr, &mine), MH_OK);
    struct article as_saved;
    assert_int_equal(newsroom_autosave_get(&F->nr, &F->arena, id, &as_saved), MH_OK);
    CHECK_STR(as_saved.body, "Half-typed paragr");
    assert_int_equal(as_saved.revision, 2);
    assert_int_equal(as_saved.updated_at, T0 + 4 * MIN);
    assert_int_equal(store_article_get(F->site->store, &F->arena, id, &now), MH_OK);
    assert_int_equal(now.revision, 2);
    assert_false(str_eq(now.body, mine.body));
    mine.body = STR_LIT("Half-typed paragraph, finished.");
    assert_int_equal(newsroom_article_save(&F->nr, &F->arena, &mine, STR_LIT("done"), NULL), MH_OK);
    assert_int_equal(mine.revision, 3);
    assert_int_equal(newsroom_autosave_get(&F->nr, &F->arena, id, &as_saved), MH_NOTFOUND);
    assert_int_equal(newsroom_lock_release(&F->nr, id), MH_OK);
    /* a reporter may not edit a submitted article, even her own */
    assert_int_equal(newsroom_transition(&F->nr, id, 0, ARTICLE_SUBMITTED, 0, STR_NULL), MH_OK);
    mine.revision = 3;
    assert_int_equal(newsroom_article_save(&F->nr, &F->arena, &mine, STR_NULL, NULL),
                     MH_FORBIDDEN);
    as("rob");
    assert_int_equal(newsroom_lock_take(&F->nr, &F->arena, id, &lk), MH_NOTFOUND);
}

static void test_revisions(void **state)
{
    (void)state;
    struct article a, r1, r3;
    int64_t id = create_as("rita", "Revisions");
    assert_int_equal(newsroom_article_get(&F->nr, &F->arena, id, &a), MH_OK);
    testclock_set(T0 + MIN);
    a.body = STR_LIT("The harbour office said the ferry runs again.\n\nTickets go on sale on "
                     "Tuesday.\n\nThe last boat leaves at eleven.\n\nA new line.");
    assert_int_equal(newsroom_article_save(&F->nr, &F->arena, &a, STR_LIT("day fixed"), NULL),
                     MH_OK);
    testclock_set(T0 + 2 * MIN);
    a.title = STR_LIT("Revisions, again");
    assert_int_equal(newsroom_article_save(&F->nr, &F->arena, &a, STR_LIT("title"), NULL), MH_OK);
    assert_int_equal(a.revision, 3);

    struct newsroom_revision *rv;
    size_t n;
    assert_int_equal(newsroom_revisions(&F->nr, &F->arena, id, &rv, &n), MH_OK);
    assert_int_equal(n, 3);
    assert_int_equal(rv[0].revision, 3);
    assert_true(rv[0].current);
    CHECK_STR(rv[0].saved_by, "rita");
    CHECK_STR(rv[0].note, "title");
    assert_int_equal(rv[1].revision, 2);
    CHECK_STR(rv[1].note, "day fixed");
    assert_int_equal(rv[2].revision, 1);
    CHECK_STR(rv[2].note, "first draft");
    CHECK_STR(rv[2].saved_by, "rita");

    assert_int_equal(newsroom_revision_get(&F->nr, &F->arena, id, 1, &r1), MH_OK);
    assert_int_equal(newsroom_revision_get(&F->nr, &F->arena, id, 3, &r3), MH_OK);
    assert_int_equal(newsroom_revision_get(&F->nr, &F->arena, id, 9, &r3), MH_NOTFOUND);
    assert_int_equal(newsroom_revision_get(&F->nr, &F->arena, id, 3, &r3), MH_OK);
    CHECK_STR(r1.title, "Revisions");
    assert_int_equal(r1.n_keywords, 2);
    struct newsroom_diff d;
    newsroom_diff_articles(&F->arena, &r1, &r3, &d);
    assert_int_equal(d.n_changed, 2);
    for (size_t i = 0; i < d.n_fields; i++) {
        const struct newsroom_diff_field *fd = &d.fields[i];
        if (strcmp(fd->name, "body") == 0) {
            assert_true(fd->changed);
            /* same, same, changed ("Monday" -> "Tuesday"), same, same, added */
            assert_int_equal(fd->n_rows, 7);
            assert_int_equal(fd->rows[0].op, NR_DIFF_SAME);
            assert_int_equal(fd->rows[2].op, NR_DIFF_CHANGE);
            CHECK_STR(fd->rows[2].left, "Tickets go on sale on Monday.");
            CHECK_STR(fd->rows[2].right, "Tickets go on sale on Tuesday.");
            assert_int_equal(fd->rows[2].left_no, 3);
            assert_int_equal(fd->rows[6].op, NR_DIFF_ADD);
            assert_int_equal(fd->rows[6].right_no, 7);
        } else if (strcmp(fd->name, "title") == 0) {
            assert_true(fd->changed);
        } else {
            assert_false(fd->changed);
        }
    }
    /* restore: a new revision with the old content; a stale base is refused */
    int nv = 0;
    assert_int_equal(newsroom_revision_restore(&F->nr, id, 1, 2, &nv), MH_CONFLICT);
    assert_int_equal(newsroom_revision_restore(&F->nr, id, 1, 3, &nv), MH_OK);
    assert_int_equal(nv, 4);
    assert_int_equal(store_article_get(F->site->store, &F->arena, id, &a), MH_OK);
    CHECK_STR(a.title, "Revisions");
    assert_true(str_eq(a.body, r1.body));
    assert_int_equal(newsroom_revisions(&F->nr, &F->arena, id, &rv, &n), MH_OK);
    assert_int_equal(n, 4);
    CHECK_STR(rv[0].note, "restored revision 1");
    /* another reporter sees none of it */
    as("rob");
    assert_int_equal(newsroom_revisions(&F->nr, &F->arena, id, &rv, &n), MH_NOTFOUND);
    assert_int_equal(newsroom_revision_restore(&F->nr, id, 2, 4, &nv), MH_NOTFOUND);
}

static void test_diff_text(void **state)
{
    (void)state;
    struct newsroom_diff_row *r;
    size_t n;
    newsroom_diff_text(&F->arena, STR_LIT("a\nb\nc\nd"), STR_LIT("a\nx\nc\nd\ne"), &r, &n);
    assert_int_equal(n, 5);
    assert_int_equal(r[1].op, NR_DIFF_CHANGE);
    assert_int_equal(r[4].op, NR_DIFF_ADD);
    newsroom_diff_text(&F->arena, STR_LIT("a\nb\nc"), STR_LIT("c"), &r, &n);
    assert_int_equal(n, 3);
    assert_int_equal(r[0].op, NR_DIFF_DEL);
    assert_int_equal(r[1].op, NR_DIFF_DEL);
    assert_int_equal(r[2].op, NR_DIFF_SAME);
    assert_int_equal(r[2].left_no, 3);
    assert_int_equal(r[2].right_no, 1);
    newsroom_diff_text(&F->arena, STR_NULL, STR_NULL, &r, &n);
    assert_int_equal(n, 0);
    newsroom_diff_text(&F->arena, STR_NULL, STR_LIT("new"), &r, &n);
    assert_int_equal(n, 1);
    assert_int_equal(r[0].op, NR_DIFF_ADD);
    /* a large middle falls back to one change, still correct */
    struct buf b1, b2;
    buf_init(&b1, &F->arena, 1 << 24);
    buf_init(&b2, &F->arena, 1 << 24);
    for (int i = 0; i < 3000; i++) {
        buf_addf(&b1, "line %d\n", i);
        buf_addf(&b2, "line %d\n", i % 2 ? i : -i);
    }
    newsroom_diff_text(&F->arena, buf_str(&b1), buf_str(&b2), &r, &n);
    assert_true(n >= 3000);
}

static void test_delete(void **state)
{
    (void)state;
    int64_t id = create_as("rita", "To be deleted");
    as("rob");
    assert_int_equal(newsroom_article_delete(&F->nr, id), MH_NOTFOUND);
    as("rita");
    assert_int_equal(newsroom_article_delete(&F->nr, id), MH_OK);
    struct article a;
    assert_int_equal(store_article_get(F->site->store, &F->arena, id, &a), MH_NOTFOUND);
    id = create_as("rita", "Submitted, not deleted");
    assert_int_equal(newsroom_transition(&F->nr, id, 0, ARTICLE_SUBMITTED, 0, STR_NULL), MH_OK);
    /* only a draft can be deleted, whoever asks: a state, not a role, refuses */
    assert_int_equal(newsroom_article_delete(&F->nr, id), MH_CONFLICT);
    assert_non_null(strstr(F->nr.message, "submitted"));
    as("ada");
    assert_int_equal(newsroom_article_delete(&F->nr, id), MH_CONFLICT);
    assert_int_equal(status_of(id), ARTICLE_SUBMITTED);
}

static void test_scheduler(void **state)
{
    (void)state;
    struct article a;
    int published = -1;
    int64_t next;
    int64_t x = create_as("rita", "Goes out at ten past");
    int64_t y = create_as("rita", "Goes out at twenty past");
    bring_to(x, ARTICLE_APPROVED);
    bring_to(y, ARTICLE_APPROVED);
    as("chloe");
    assert_int_equal(newsroom_transition(&F->nr, x, 0, ARTICLE_SCHEDULED, T0 + 10 * MIN,
                                         STR_NULL), MH_OK);
    assert_int_equal(newsroom_transition(&F->nr, y, 0, ARTICLE_SCHEDULED, T0 + 20 * MIN,
                                         STR_NULL), MH_OK);
    assert_int_equal(newsroom_next_due(F->site->store, &next), MH_OK);
    assert_int_equal(next, T0 + 10 * MIN);
    assert_int_equal(newsroom_publish_due(F->site->store, T0 + 9 * MIN, &published), MH_OK);
    assert_int_equal(published, 0);
    assert_int_equal(newsroom_publish_due(F->site->store, T0 + 10 * MIN, &published), MH_OK);
    assert_int_equal(published, 1);
    assert_int_equal(store_article_get(F->site->store, &F->arena, x, &a), MH_OK);
    assert_int_equal(a.status, ARTICLE_PUBLISHED);
    assert_int_equal(a.first_published_at, T0 + 10 * MIN);
    assert_int_equal(a.scheduled_at, 0);
    /* the server was down from minute 15 to minute 45: caught up on start */
    assert_int_equal(newsroom_publish_due(F->site->store, T0 + 45 * MIN, &published), MH_OK);
    assert_int_equal(published, 1);
    assert_int_equal(store_article_get(F->site->store, &F->arena, y, &a), MH_OK);
    assert_int_equal(a.status, ARTICLE_PUBLISHED);
    assert_int_equal(a.first_published_at, T0 + 20 * MIN); /* its minute, not the restart's */
    assert_int_equal(newsroom_publish_due(F->site->store, T0 + 50 * MIN, &published), MH_OK);
    assert_int_equal(published, 0);
    /* audited as the scheduler */
    struct newsroom_audit_entry *h;
    size_t n;
    struct newsroom_audit_filter f = {.login = STR_LIT("scheduler")};
    as("ada");
    assert_int_equal(newsroom_audit_list(&F->nr, &F->arena, &f, &h, &n), MH_OK);
    assert_int_equal(n, 2);
    CHECK_STR(h[0].action, "article.publish");
    /* unscheduled articles stay put */
    int64_t z = create_as("rita", "Changed its mind");
    bring_to(z, ARTICLE_SCHEDULED);
    as("chloe");
    assert_int_equal(newsroom_transition(&F->nr, z, 0, ARTICLE_APPROVED, 0, STR_NULL), MH_OK);
    assert_int_equal(newsroom_publish_due(F->site->store, T0 + 1000 * MIN, &published), MH_OK);
    assert_int_equal(status_of(z), ARTICLE_APPROVED); /* (earlier tests' schedules went out) */
    assert_int_equal(newsroom_next_due(F->site->store, &next), MH_OK);
    assert_int_equal(next, 0);
}

/* The thread, in real time: an article scheduled 1.5 s ahead goes out. */
static void test_scheduler_thread(void **state)
{
    (void)state;
    struct newsroom_scheduler *sch;
    int64_t id = create_as("rita", "On the dot");
    bring_to(id, ARTICLE_APPROVED);
    unsetenv("MH_NOW_MS");
    as("chloe");
    assert_int_equal(newsroom_scheduler_start(F->db, &sch), MH_OK);
    int64_t due = clock_now_ms() + 1500;
    assert_int_equal(newsroom_transition(&F->nr, id, 0, ARTICLE_SCHEDULED, due, STR_NULL), MH_OK);
    newsroom_scheduler_wake(sch);
    int64_t seen = 0;
    for (int i = 0; i < 100 && seen == 0; i++) {
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
        if (status_of(id) == ARTICLE_PUBLISHED)
            seen = clock_now_ms();
    }
    newsroom_scheduler_stop(sch);
    assert_true(seen != 0);
    assert_true(seen >= due);
    assert_true(seen - due < 1500); /* within its second */
    testclock_set(T0);
}

static void test_list(void **state)
{
    (void)state;
    struct newsroom_row *rows;
    size_t n;
    int64_t total;
    int64_t a = create_as("rob", "Rob's unique zeppelin story");
    int64_t b = create_as("rob", "Rob's published zeppelin story");
    bring_to(b, ARTICLE_PUBLISHED);
    struct newsroom_filter f = {.status = -1, .text = STR_LIT("ZEPPELIN")};
    as("eddie");
    assert_int_equal(newsroom_article_list(&F->nr, &F->arena, &f, &rows, &n, &total), MH_OK);
    assert_int_equal(n, 2);
    assert_int_equal(total, 2);
    f.text = STR_LIT("%"); /* taken literally, not as a wildcard */
    assert_int_equal(newsroom_article_list(&F->nr, &F->arena, &f, &rows, &n, &total), MH_OK);
    assert_int_equal(n, 0);
    f.text = STR_LIT("s unique_zeppelin");
    assert_int_equal(newsroom_article_list(&F->nr, &F->arena, &f, &rows, &n, &total), MH_OK);
    assert_int_equal(n, 0);
    f.text = STR_LIT("rob's UNIQUE");
    f.channel = STR_LIT("news");
    assert_int_equal(newsroom_article_list(&F->nr, &F->arena, &f, &rows, &n, &total), MH_OK);
    assert_int_equal(n, 1);
    CHECK_STR(rows[0].channel, "news");
    f.channel = STR_LIT("no-such-channel");
    assert_int_equal(newsroom_article_list(&F->nr, &F->arena, &f, &rows, &n, &total), MH_OK);
    assert_int_equal(n, 0);
    f.channel = STR_NULL;
    f.text = STR_LIT("ZEPPELIN");
    /* a reporter sees the published one only */
    as("rita");
    assert_int_equal(newsroom_article_list(&F->nr, &F->arena, &f, &rows, &n, &total), MH_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].id, b);
    CHECK_STR(rows[0].authors, "Rita Reporter");
    as("rob");
    f.status = ARTICLE_DRAFT;
    assert_int_equal(newsroom_article_list(&F->nr, &F->arena, &f, &rows, &n, &total), MH_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].id, a);
    CHECK_STR(rows[0].owner, "rob");
    f.status = -1;
    f.mine_only = true;
    f.text = STR_NULL;
    f.limit = 1;
    assert_int_equal(newsroom_article_list(&F->nr, &F->arena, &f, &rows, &n, &total), MH_OK);
    assert_int_equal(n, 1);
    assert_true(total >= 2);
    f.offset = -1;
    assert_int_equal(newsroom_article_list(&F->nr, &F->arena, &f, &rows, &n, &total), MH_INVAL);
}

static void test_settings(void **state)
{
    (void)state;
    int64_t pub = create_as("rita", "Top story");
    int64_t dr = create_as("rita", "Not yet out");
    bring_to(pub, ARTICLE_PUBLISHED);
    struct curation_slot slots[2] = {{.article_id = pub, .title = STR_LIT("Override")},
                                     {.article_id = dr}};
    as("eddie");
    assert_int_equal(newsroom_top_news_set(&F->nr, STR_LIT("english"), slots, 1), MH_FORBIDDEN);
    as("chloe");
    assert_int_equal(newsroom_top_news_set(&F->nr, STR_LIT("english"), slots, 2), MH_INVAL);
    assert_string_equal(F->nr.field, "article_id");
    slots[0].expires_at = T0 - 1;
    assert_int_equal(newsroom_top_news_set(&F->nr, STR_LIT("english"), slots, 1), MH_INVAL);
    slots[0].expires_at = T0 + 60 * MIN;
    assert_int_equal(newsroom_top_news_set(&F->nr, STR_LIT("english"), slots, 1), MH_OK);
    struct curation_slot *got;
    size_t n;
    assert_int_equal(store_curation_get(F->site->store, &F->arena, STR_LIT("english"),
                                        STR_LIT("top"), &got, &n), MH_OK);
    assert_int_equal(n, 1);
    CHECK_STR(got[0].title, "Override");

    struct link links[] = {{STR_LIT("Weather office"), STR_LIT("https://weather.example.org/")},
                           {STR_LIT("About us"), STR_LIT("/english/about")}};
    struct link_group g = {.edition = STR_LIT("english"), .slug = STR_LIT("friends"),
                           .name = STR_LIT("Friends"), .kind = LINKS_FRIENDLY,
                           .links = links, .n_links = 2};
    assert_int_equal(newsroom_links_put(&F->nr, &g), MH_FORBIDDEN);
    as("ada");
    assert_int_equal(newsroom_links_put(&F->nr, &g), MH_OK);
    links[1].url = STR_LIT("javascript:alert(1)");
    assert_int_equal(newsroom_links_put(&F->nr, &g), MH_INVAL);
    assert_string_equal(F->nr.field, "url");
    links[1].url = STR_LIT("//evil.example/");
    assert_int_equal(newsroom_links_put(&F->nr, &g), MH_INVAL);

    struct channel c = {.edition = STR_LIT("english"), .slug = STR_LIT("harbour-week"),
                        .name = STR_LIT("Harbour week"), .kind = CHANNEL_SPECIAL,
                        .end_at = T0 + 7 * 24 * 60 * MIN};
    as("chloe");
    assert_int_equal(newsroom_channel_put(&F->nr, &c), MH_FORBIDDEN);
    as("ada");
    assert_int_equal(newsroom_channel_put(&F->nr, &c), MH_OK);
    assert_true(c.id > 0);
    assert_int_equal(newsroom_channel_put(&F->nr, &c), MH_OK); /* same id: a change */
    struct channel dup = c;
    dup.id = 0;
    assert_int_equal(newsroom_channel_put(&F->nr, &dup), MH_CONFLICT);
    c.name = STR_LIT("Harbour fortnight");
    assert_int_equal(newsroom_channel_put(&F->nr, &c), MH_OK);
    struct channel back;
    assert_int_equal(store_channel_get(F->site->store, &F->arena, STR_LIT("english"),
                                       STR_LIT("harbour-week"), &back), MH_OK);
    CHECK_STR(back.name, "Harbour fortnight");
    c.slug = STR_LIT("Bad Slug");
    assert_int_equal(newsroom_channel_put(&F->nr, &c), MH_INVAL);
    struct channel *all;
    assert_int_equal(store_channels(F->site->store, &F->arena, STR_LIT("english"), &all, &n),
                     MH_OK);
    int64_t order[2] = {back.id, all[0].id == back.id ? all[1].id : all[0].id};
    assert_int_equal(newsroom_channel_order(&F->nr, STR_LIT("english"), order, 2), MH_OK);
    assert_int_equal(store_channel_get(F->site->store, &F->arena, STR_LIT("english"),
                                       STR_LIT("harbour-week"), &back), MH_OK);
    assert_int_equal(back.position, 0);
    order[1] = 999999;
    assert_int_equal(newsroom_channel_order(&F->nr, STR_LIT("english"), order, 2), MH_INVAL);

    struct edition e = {.slug = STR_LIT("english"), .name = STR_LIT("English"),
                        .lang = STR_LIT("en"), .tz = STR_LIT("Mars/Olympus"),
                        .base_url = STR_LIT("https://news.example.org")};
    assert_int_equal(newsroom_edition_put(&F->nr, &e), MH_INVAL);
    assert_string_equal(F->nr.field, "tz");

    struct user u = {.login = STR_LIT("newbie"), .display_name = STR_LIT("New Bie"),
                     .role = ROLE_REPORTER};
    as("chloe");
    assert_int_equal(newsroom_user_add(&F->nr, &u, STR_LIT("long enough pass")), MH_FORBIDDEN);
    as("ada");
    assert_int_equal(newsroom_user_add(&F->nr, &u, STR_LIT("short")), MH_INVAL);
    assert_int_equal(newsroom_user_add(&F->nr, &u, STR_LIT("long enough pass")), MH_OK);
    assert_int_equal(newsroom_user_add(&F->nr, &u, STR_LIT("long enough pass")), MH_CONFLICT);
    assert_int_equal(newsroom_user_set_role(&F->nr, STR_LIT("newbie"), ROLE_EDITOR), MH_OK);
    assert_int_equal(newsroom_user_set_role(&F->nr, STR_LIT("ada"), ROLE_EDITOR), MH_CONFLICT);
    assert_int_equal(newsroom_user_set_role(&F->nr, STR_LIT("ghost"), ROLE_EDITOR), MH_NOTFOUND);
    assert_int_equal(newsroom_user_set_disabled(&F->nr, STR_LIT("ada"), true), MH_CONFLICT);

    /* the whole audit log is the admin's; every change above is in it */
    struct newsroom_audit_entry *h;
    struct newsroom_audit_filter af = {.login = STR_LIT("ada"), .limit = 500};
    assert_int_equal(newsroom_audit_list(&F->nr, &F->arena, &af, &h, &n), MH_OK);
    const char *want[] = {"links.put", "channel.add", "channel.change", "channel.order",
                          "user.add", "user.role"};
    for (size_t w = 0; w < MH_ARRAY_LEN(want); w++) {
        bool found = false;
        for (size_t i = 0; i < n; i++)
            found |= str_eq_c(h[i].action, want[w]);
        if (!found)
            fprintf(stderr, "no audit entry %s\n", want[w]);
        assert_true(found);
    }
    as("chloe");
    assert_int_equal(newsroom_audit_list(&F->nr, &F->arena, &af, &h, &n), MH_FORBIDDEN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_create_and_visibility, setup),
        cmocka_unit_test_setup(test_every_transition, setup),
        cmocka_unit_test_setup(test_publication_dates, setup),
        cmocka_unit_test_setup(test_stale_save_lock_autosave, setup),
        cmocka_unit_test_setup(test_revisions, setup),
        cmocka_unit_test_setup(test_diff_text, setup),
        cmocka_unit_test_setup(test_delete, setup),
        cmocka_unit_test_setup(test_scheduler, setup),
        cmocka_unit_test_setup(test_scheduler_thread, setup),
        cmocka_unit_test_setup(test_list, setup),
        cmocka_unit_test_setup(test_settings, setup),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
