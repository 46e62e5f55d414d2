/* SPDX-License-Identifier: MIT */
/* store_test.c - the SQLite store through its public interface, on real files. */
#include "../check.h"

#include <sqlite3.h>

#include "auth/auth.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/fs.h"
#include "store/store.h"

struct fixture {
    char *dir;
    struct site *site;
    struct arena arena;
};

static int setup(void **state)
{
    struct fixture *f = mh_calloc(1, sizeof(*f));
    char err[1024], path[4200];
    assert_int_equal(auth_init(), MH_OK);
    f->dir = check_tmpdir("store");
    snprintf(path, sizeof(path), "%s/site", f->dir);
    assert_int_equal(site_init(path, err, sizeof(err)), MH_OK);
    if (site_open(path, false, &f->site, err, sizeof(err)) != MH_OK) {
        fprintf(stderr, "%s\n", err);
        fail();
    }
    arena_init(&f->arena, 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    site_close(f->site);
    arena_release(&f->arena);
    free(f->dir);
    free(f);
    return 0;
}

static struct article sample(void)
{
    static struct str authors[] = {STR_LIT("ZHOU Lanting"), STR_LIT("MA Qiu")};
    static struct str keywords[] = {STR_LIT("batteries"), STR_LIT("materials")};
    struct article a = {0};
    a.edition = STR_LIT("english");
    a.channel = STR_LIT("news");
    a.title = STR_LIT("Sodium cells pass a winter test");
    a.authors = authors;
    a.n_authors = 2;
    a.keywords = keywords;
    a.n_keywords = 2;
    a.editor = STR_LIT("LI Wen");
    a.source = STR_LIT("Masthead Science Daily");
    a.abstract = STR_LIT("A short abstract.");
    a.body = STR_LIT("First paragraph.\n\n## A heading\n\nSecond.");
    a.status = ARTICLE_PUBLISHED;
    a.first_published_at = a.last_published_at = INT64_C(1772761190194);
    return a;
}

static void test_skeleton(void **state)
{
    struct fixture *f = *state;
    struct edition *eds;
    struct channel *chs;
    size_t n;
    assert_int_equal(store_editions(f->site->store, &f->arena, &eds, &n), MH_OK);
    assert_int_equal(n, 2);
    CHECK_STR(eds[0].slug, "english");
    assert_true(eds[0].is_default);
    CHECK_STR(eds[1].tz, "Asia/Shanghai");
    assert_int_equal(store_channels(f->site->store, &f->arena, STR_LIT("zh"), &chs, &n), MH_OK);
    assert_int_equal(n, 9);
    CHECK_STR(chs[0].name, "新闻");
    CHECK_STR(chs[8].slug, "science-week");
    assert_int_equal(chs[8].kind, CHANNEL_SPECIAL);
}

static void test_article_round_trip(void **state)
{
    struct fixture *f = *state;
    struct article a = sample(), b;
    a.id = 480000;
    assert_int_equal(store_article_insert(f->site->store, &a), MH_OK);
    assert_int_equal(store_article_get(f->site->store, &f->arena, 480000, &b), MH_OK);
    CHECK_STR(b.title, "Sodium cells pass a winter test");
    assert_int_equal(b.n_authors, 2);
    CHECK_STR(b.authors[1], "MA Qiu");
    CHECK_STR(b.keywords[0], "batteries");
    CHECK_STR(b.channel, "news");
    assert_int_equal(b.status, ARTICLE_PUBLISHED);
    assert_true(b.first_published_at == a.first_published_at);
    assert_int_equal(b.revision, 1);

    /* the same id again is a conflict; no id takes the next one */
    assert_int_equal(store_article_insert(f->site->store, &a), MH_CONFLICT);
    struct article c = sample();
    assert_int_equal(store_article_insert(f->site->store, &c), MH_OK);
    assert_true(c.id == 480001);

    /* the hash tells equal content from changed content */
    unsigned char h1[STORE_HASH_LEN], h2[STORE_HASH_LEN];
    assert_int_equal(store_article_hash_get(f->site->store, 480000, h1), MH_OK);
    store_article_hash(&b, h2);
    assert_memory_equal(h1, h2, STORE_HASH_LEN);
    b.title = STR_LIT("Sodium cells pass a winter test!");
    store_article_hash(&b, h2);
    assert_memory_not_equal(h1, h2, STORE_HASH_LEN);
}

static void test_unknown_channel(void **state)
{
    struct fixture *f = *state;
    struct article a = sample();
    a.channel = STR_LIT("sports");
    assert_int_equal(store_article_insert(f->site->store, &a), MH_NOTFOUND);
    a.channel = STR_LIT("news");
    a.edition = STR_LIT("fr");
    assert_int_equal(store_article_insert(f->site->store, &a), MH_NOTFOUND);
    int64_t n = -1;
    assert_int_equal(store_article_count(f->site->store, STR_NULL, &n), MH_OK);
    assert_true(n == 0);
}

static void test_update_keeps_revisions(void **state)
{
    struct fixture *f = *state;
    struct article a = sample(), b;
    assert_int_equal(store_article_insert(f->site->store, &a), MH_OK);
    a.title = STR_LIT("Sodium cells pass a second winter test");
    assert_int_equal(store_article_update(f->site->store, &a, STR_LIT("editor"),
                                          STR_LIT("tightened the headline")),
                     MH_OK);
    assert_int_equal(a.revision, 2);
    /* a save based on revision 1 is stale now */
    struct article stale = a;
    stale.revision = 1;
    assert_int_equal(store_article_update(f->site->store, &stale, STR_LIT("reporter"),
                                          STR_NULL),
                     MH_CONFLICT);
    assert_int_equal(store_article_get(f->site->store, &f->arena, a.id, &b), MH_OK);
    CHECK_STR(b.title, "Sodium cells pass a second winter test");
    assert_int_equal(b.revision, 2);
}

static void test_nested_transactions(void **state)
{
    struct fixture *f = *state;
    struct store *s = f->site->store;
    struct article a = sample(), bad = sample();
    int64_t n;
    bad.channel = STR_LIT("nope");
    assert_int_equal(store_begin(s), MH_OK);
    assert_int_equal(store_article_insert(s, &a), MH_OK);
    /* an inner failure rolls back only itself */
    assert_int_equal(store_article_insert(s, &bad), MH_NOTFOUND);
    assert_int_equal(store_commit(s), MH_OK);
    assert_int_equal(store_article_count(s, STR_NULL, &n), MH_OK);
    assert_true(n == 1);
    /* an outer rollback undoes everything */
    assert_int_equal(store_begin(s), MH_OK);
    struct article c = sample();
    assert_int_equal(store_article_insert(s, &c), MH_OK);
    store_rollback(s);
    assert_int_equal(store_article_count(s, STR_NULL, &n), MH_OK);
    assert_true(n == 1);
}

static void test_users_links_curation_views(void **state)
{
    struct fixture *f = *state;
    struct store *s = f->site->store;
    char hash[AUTH_HASH_MAX], *stored;
    struct user u = {0}, got;
    assert_int_equal(auth_hash_password(STR_LIT("correct horse"), hash), MH_OK);
    u.login = STR_LIT("wen");
    u.role = ROLE_EDITOR;
    assert_int_equal(store_user_add(s, &u, hash), MH_OK);
    assert_int_equal(store_user_add(s, &u, hash), MH_CONFLICT);
    assert_int_equal(store_user_get(s, &f->arena, STR_LIT("wen"), &got, &stored), MH_OK);
    assert_int_equal(got.role, ROLE_EDITOR);
    assert_true(auth_verify_password(stored, STR_LIT("correct horse")));
    assert_false(auth_verify_password(stored, STR_LIT("wrong horse")));
    assert_int_equal(store_user_set_password(s, STR_LIT("nobody"), hash), MH_NOTFOUND);
    assert_int_equal(auth_hash_password(STR_LIT("short"), hash), MH_INVAL);

    struct link links[] = {{STR_LIT("Archive"), STR_LIT("https://archive.example.org/")}};
    struct link_group g = {0}, *gs;
    size_t n;
    g.edition = STR_LIT("english");
    g.slug = STR_LIT("friendly");
    g.name = STR_LIT("Friendly links");
    g.links = links;
    g.n_links = 1;
    assert_int_equal(store_link_group_put(s, &g), MH_OK);
    assert_int_equal(store_link_group_put(s, &g), MH_OK); /* replaces, not duplicates */
    assert_int_equal(store_link_groups(s, &f->arena, STR_LIT("english"), &gs, &n), MH_OK);
    assert_int_equal(n, 1);
    assert_int_equal(gs[0].n_links, 1);
    CHECK_STR(gs[0].links[0].url, "https://archive.example.org/");

    struct article a = sample();
    assert_int_equal(store_article_insert(s, &a), MH_OK);
    struct curation_slot slot = {0}, *slots;
    slot.article_id = a.id;
    slot.summary = STR_LIT("Why it matters.");
    assert_int_equal(store_curation_set(s, STR_LIT("english"), STR_LIT("top"), &slot, 1), MH_OK);
    assert_int_equal(store_curation_get(s, &f->arena, STR_LIT("english"), STR_LIT("top"),
                                        &slots, &n),
                     MH_OK);
    assert_int_equal(n, 1);
    CHECK_STR(slots[0].summary, "Why it matters.");
    slot.article_id = 999999; /* no such article */
    assert_int_equal(store_curation_set(s, STR_LIT("english"), STR_LIT("top"), &slot, 1),
                     MH_NOTFOUND);

    int64_t total;
    assert_int_equal(store_pageviews_add(s, a.id, 490000, 5), MH_OK);
    assert_int_equal(store_pageviews_add(s, a.id, 490000, 7), MH_OK);
    assert_int_equal(store_pageviews_total(s, a.id, &total), MH_OK);
    assert_true(total == 12);
    assert_int_equal(store_audit(s, STR_LIT("wen"), STR_LIT("test"), STR_NULL, STR_NULL,
                                 STR_LIT("127.0.0.1")),
                     MH_OK);
}

static int count_problems_fn_calls;
static void on_problem(void *ctx, const char *what)
{
    (void)ctx;
    fprintf(stderr, "  (expected) problem: %s\n", what);
    count_problems_fn_calls++;
}

static void test_check_finds_tampering(void **state)
{
    struct fixture *f = *state;
    struct article a = sample();
    int problems;
    char path[4200];
    sqlite3 *db;
    assert_int_equal(store_article_insert(f->site->store, &a), MH_OK);
    assert_int_equal(store_check(f->site->store, on_problem, NULL, &problems), MH_OK);
    assert_int_equal(problems, 0);
    /* change a title behind Masthead's back */
    snprintf(path, sizeof(path), "%s/site/masthead.db", f->dir);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "UPDATE article SET title = 'tampered', "
                                  "first_published_at = NULL",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(store_check(f->site->store, on_problem, NULL, &problems), MH_OK);
    assert_int_equal(problems, 2); /* no publication time; hash mismatch */
}

static void test_open_refuses(void **state)
{
    struct fixture *f = *state;
    char path[4200], err[1024];
    struct site *site;
    sqlite3 *db;
    /* not a site */
    snprintf(path, sizeof(path), "%s/nothing", f->dir);
    assert_int_equal(site_open(path, false, &site, err, sizeof(err)), MH_NOTFOUND);
    assert_non_null(strstr(err, "is not a folder"));
    assert_int_equal(fs_mkdirs(path, 0755, err, sizeof(err)), MH_OK);
    assert_int_equal(site_open(path, false, &site, err, sizeof(err)), MH_NOTFOUND);
    assert_non_null(strstr(err, "is not a Masthead site"));
    /* init refuses a folder with something in it */
    assert_int_equal(site_init(f->dir, err, sizeof(err)), MH_CONFLICT);
    /* a masthead.db that is not a database at all */
    snprintf(path, sizeof(path), "%s/nothing/masthead.db", f->dir);
    assert_int_equal(fs_write_atomic(path, STR_LIT("this is not SQLite, just text.........."
                                                   "........................................"
                                                   "........................................"),
                                     err, sizeof(err)),
                     MH_OK);
    snprintf(path, sizeof(path), "%s/nothing", f->dir);
    assert_int_not_equal(site_open(path, false, &site, err, sizeof(err)), MH_OK);
    fprintf(stderr, "  (expected) %s\n", err);
    /* a database from a newer Masthead */
    snprintf(path, sizeof(path), "%s/site/masthead.db", f->dir);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 999", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    snprintf(path, sizeof(path), "%s/site", f->dir);
    assert_int_equal(site_open(path, false, &site, err, sizeof(err)), MH_CONFLICT);
    assert_non_null(strstr(err, "newer Masthead (schema 999"));
}

static void test_open_migrates_older(void **state)
{
    struct fixture *f = *state;
    char path[4200], err[1024];
    struct site *site;
    sqlite3 *db;
    /* an empty database is schema 0: the oldest there is */
    snprintf(path, sizeof(path), "%s/old", f->dir);
    assert_int_equal(fs_mkdirs(path, 0755, err, sizeof(err)), MH_OK);
    snprintf(path, sizeof(path), "%s/old/masthead.db", f->dir);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 0", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    snprintf(path, sizeof(path), "%s/old", f->dir);
    assert_int_equal(site_open(path, false, &site, err, sizeof(err)), MH_OK);
    assert_int_equal(store_db_version(site->store), store_schema_version());
    int64_t n = -1;
    assert_int_equal(store_article_count(site->store, STR_NULL, &n), MH_OK);
    assert_true(n == 0);
    site_close(site);
    /* a read-only open does not migrate: it says so */
    snprintf(path, sizeof(path), "%s/old/masthead.db", f->dir);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 0", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    snprintf(path, sizeof(path), "%s/old", f->dir);
    assert_int_equal(site_open(path, true, &site, err, sizeof(err)), MH_CONFLICT);
    assert_non_null(strstr(err, "needs migrating"));
}

static void test_cards(void **state)
{
    struct fixture *f = *state;
    struct store *s = f->site->store;
    struct article_card *cards;
    size_t n;
    int64_t count;
    /* five published in news, one draft, one published in policy */
    for (int i = 0; i < 7; i++) {
        struct article a = sample();
        a.first_published_at = a.last_published_at = INT64_C(1772761190194) + i * 60000;
        if (i == 5)
            a.status = ARTICLE_DRAFT, a.first_published_at = a.last_published_at = 0;
        if (i == 6)
            a.channel = STR_LIT("policy");
        assert_int_equal(store_article_insert(s, &a), MH_OK);
        assert_int_equal(store_pageviews_add(s, a.id, 100 + i, 10 * (7 - i)), MH_OK);
    }
    assert_int_equal(store_cards_count(s, STR_LIT("english"), STR_NULL, &count), MH_OK);
    assert_true(count == 6);
    assert_int_equal(store_cards_count(s, STR_LIT("english"), STR_LIT("news"), &count), MH_OK);
    assert_true(count == 5);
    assert_int_equal(store_cards_latest(s, &f->arena, STR_LIT("english"), STR_LIT("news"), 1, 2,
                                        &cards, &n),
                     MH_OK);
    assert_int_equal(n, 2);
    assert_true(cards[0].published_at > cards[1].published_at); /* newest first */
    CHECK_STR(cards[0].channel, "news");
    assert_int_equal(cards[0].lead.path.len, 0); /* no image */
    assert_int_equal(store_cards_latest(s, &f->arena, STR_LIT("english"), STR_NULL, 0, 10,
                                        &cards, &n),
                     MH_OK);
    assert_int_equal(n, 6);
    CHECK_STR(cards[0].channel, "policy");
    /* most read since hour 101: the draft's views do not count */
    assert_int_equal(store_rankings_refresh(s, 101, 3), MH_OK);
    assert_int_equal(store_cards_most_read(s, &f->arena, STR_LIT("english"), 3, &cards,
                                           &n),
                     MH_OK);
    assert_int_equal(n, 3);
    assert_true(cards[0].views == 60 && cards[1].views == 50 && cards[2].views == 40);
    assert_int_equal(store_card_get(s, &f->arena, cards[0].id, &cards[0]), MH_OK);
    assert_int_equal(store_card_get(s, &f->arena, 99999999, &cards[0]), MH_NOTFOUND);
    assert_int_equal(store_cards_latest(s, &f->arena, STR_LIT("english"), STR_NULL, -1, 10,
                                        &cards, &n),
                     MH_INVAL);
}

struct seen {
    int n, articles, chrome, site;
    int64_t last_article;
};

static int on_change(void *ctx, const struct store_change *c)
{
    struct seen *sn = ctx;
    sn->n++;
    if (c->kind == STORE_CHANGE_ARTICLE) {
        sn->articles++;
        sn->last_article = c->article_id;
        assert_true(c->edition.len > 0 && c->channel_id > 0);
    } else if (c->kind == STORE_CHANGE_CHROME) {
        sn->chrome++;
    } else {
        sn->site++;
    }
    return MH_OK;
}

/* The triggers log what readers can see, and only that. */
static void test_change_log(void **state)
{
    struct fixture *f = *state;
    struct store *s = f->site->store;
    int64_t seq0, seq, last;
    struct seen sn = {0};
    assert_int_equal(store_change_seq(s, &seq0), MH_OK);
    struct article draft = sample();
    draft.status = ARTICLE_DRAFT;
    draft.first_published_at = draft.last_published_at = 0;
    assert_int_equal(store_article_insert(s, &draft), MH_OK);
    assert_int_equal(store_change_seq(s, &seq), MH_OK);
    assert_true(seq == seq0); /* a draft is nobody's business */

    struct article pub = sample();
    assert_int_equal(store_article_insert(s, &pub), MH_OK);
    pub.title = STR_LIT("Sodium cells pass a second winter");
    assert_int_equal(store_article_update(s, &pub, STR_LIT("editor"), STR_NULL), MH_OK);
    struct curation_slot top = {.article_id = pub.id};
    assert_int_equal(store_curation_set(s, STR_LIT("english"), STR_LIT("top"), &top, 1), MH_OK);
    assert_int_equal(store_changes_since(s, seq0, 100, on_change, &sn, &last), MH_OK);
    assert_int_equal(sn.articles, 2);
    assert_true(sn.last_article == pub.id);
    assert_int_equal(sn.chrome, 1);
    assert_true(last > seq0);
    /* nothing new after LAST; a title change of a curated article is chrome too */
    memset(&sn, 0, sizeof(sn));
    assert_int_equal(store_changes_since(s, last, 100, on_change, &sn, &seq), MH_OK);
    assert_int_equal(sn.n, 0);
    pub.title = STR_LIT("Sodium cells pass a third winter");
    assert_int_equal(store_article_update(s, &pub, STR_LIT("editor"), STR_NULL), MH_OK);
    assert_int_equal(store_changes_since(s, last, 100, on_change, &sn, &seq), MH_OK);
    assert_int_equal(sn.articles, 1);
    assert_int_equal(sn.chrome, 1);
    /* MAX bounds a batch */
    memset(&sn, 0, sizeof(sn));
    assert_int_equal(store_changes_since(s, seq0, 1, on_change, &sn, &last), MH_OK);
    assert_int_equal(sn.n, 1);
    assert_true(last == seq0 + 1);
    /* pruned rows: a consumer that is behind must start over */
    assert_int_equal(store_changes_prune(s, INT64_MAX), MH_OK);
    assert_int_equal(store_changes_since(s, seq0, 100, on_change, &sn, &last), MH_GONE);
    assert_int_equal(store_change_seq(s, &last), MH_OK);
    assert_true(last == seq); /* the counter never goes back */
    assert_int_equal(store_changes_since(s, seq, 100, on_change, &sn, &last), MH_OK);
}

/* Related: most shared keywords first; translations: both directions. */
static void test_related_and_translations(void **state)
{
    struct fixture *f = *state;
    struct store *s = f->site->store;
    static struct str k_both[] = {STR_LIT("Batteries"), STR_LIT("materials")};
    static struct str k_one[] = {STR_LIT("batteries")};
    static struct str k_none[] = {STR_LIT("volcanoes")};
    struct article base = sample(), one = sample(), both = sample(), none = sample();
    struct article_card *cards;
    size_t n;
    one.keywords = k_one, one.n_keywords = 1, one.channel = STR_LIT("policy");
    both.keywords = k_both, both.n_keywords = 2, both.channel = STR_LIT("policy");
    none.keywords = k_none, none.n_keywords = 1;
    assert_int_equal(store_article_insert(s, &base), MH_OK);
    assert_int_equal(store_article_insert(s, &one), MH_OK);
    assert_int_equal(store_article_insert(s, &both), MH_OK);
    assert_int_equal(store_article_insert(s, &none), MH_OK);
    assert_int_equal(store_cards_related(s, &f->arena, base.id, STR_LIT("english"), 0, 5, &cards,
                                         &n),
                     MH_OK);
    assert_int_equal(n, 2);
    assert_true(cards[0].id == both.id && cards[1].id == one.id);
    /* keywords change with the article */
    one.keywords = k_none;
    assert_int_equal(store_article_update(s, &one, STR_NULL, STR_NULL), MH_OK);
    assert_int_equal(store_cards_related(s, &f->arena, base.id, STR_LIT("english"), 0, 5, &cards,
                                         &n),
                     MH_OK);
    assert_int_equal(n, 1);

    struct article zh = sample(), zh2 = sample(), got;
    zh.edition = zh2.edition = STR_LIT("zh");
    zh.translation_of = zh2.translation_of = base.id;
    assert_int_equal(store_article_insert(s, &zh), MH_OK);
    assert_int_equal(store_article_insert(s, &zh2), MH_OK);
    assert_int_equal(store_article_get(s, &f->arena, zh.id, &got), MH_OK);
    assert_true(got.translation_of == base.id);
    assert_int_equal(store_cards_translations(s, &f->arena, base.id, 0, &cards, &n), MH_OK);
    assert_int_equal(n, 2);
    assert_int_equal(store_cards_translations(s, &f->arena, zh.id, base.id, &cards, &n), MH_OK);
    assert_int_equal(n, 2); /* the original and the other translation */
    assert_true(cards[0].id != zh.id && cards[1].id != zh.id);
    /* a translation of itself is refused */
    got.translation_of = got.id;
    assert_int_equal(store_article_update(s, &got, STR_NULL, STR_NULL), MH_INVAL);
}

/* Related articles: of the holders of a keyword, the 12 sharing the most
 * (the newer first) are read, so an old holder does not show when many newer
 * ones share as much; drafts and other editions never show; among those read,
 * the article's own channel comes first, then the newest. */
static void test_related_bounds(void **state)
{
    struct fixture *f = *state;
    struct store *s = f->site->store;
    static struct str tides[] = {STR_LIT("tides")};
    struct article base = sample(), elder = sample(), draft = sample(), zh = sample();
    struct article_card *cards;
    struct channel news;
    size_t n;
    int64_t same[2] = {0, 0};
    base.keywords = elder.keywords = draft.keywords = zh.keywords = tides;
    base.n_keywords = elder.n_keywords = draft.n_keywords = zh.n_keywords = 1;
    assert_int_equal(store_article_insert(s, &base), MH_OK);
    assert_int_equal(store_article_insert(s, &elder), MH_OK); /* news, like base */
    for (int i = 0; i < 105; i++) {
        struct article a = sample();
        a.keywords = tides;
        a.n_keywords = 1;
        a.channel = i == 97 || i == 99 ? STR_LIT("news") : STR_LIT("policy");
        assert_int_equal(store_article_insert(s, &a), MH_OK);
        if (i == 97 || i == 99)
            same[i == 99] = a.id;
    }
    draft.status = ARTICLE_DRAFT;
    draft.first_published_at = draft.last_published_at = 0;
    zh.edition = STR_LIT("zh");
    assert_int_equal(store_article_insert(s, &draft), MH_OK);
    assert_int_equal(store_article_insert(s, &zh), MH_OK);
    assert_int_equal(store_channel_get(s, &f->arena, STR_LIT("english"), STR_LIT("news"), &news),
                     MH_OK);
    assert_int_equal(store_cards_related(s, &f->arena, base.id, STR_LIT("english"), news.id, 6,
                                         &cards, &n),
                     MH_OK);
    assert_int_equal(n, 6);
    assert_true(cards[0].id == same[1] && cards[1].id == same[0]); /* its channel first */
    for (size_t i = 0; i < n; i++) {
        assert_true(cards[i].id != elder.id && cards[i].id != draft.id && cards[i].id != zh.id);
        assert_true(i < 3 || cards[i].id < cards[i - 1].id); /* then the newest */
    }
}

static void test_conf(void **state)
{
    (void)state;
    struct site_conf c;
    char err[256];
    assert_int_equal(site_conf_parse(STR_LIT("[serve]\nthreads = 4\naccess_log = json\n"), &c,
                                     err, sizeof(err)),
                     MH_OK);
    assert_int_equal(c.threads, 4);
    assert_int_equal(c.access_log, ACCESS_LOG_JSON);
    assert_string_equal(c.listen, "127.0.0.1:8080");
    assert_int_equal(site_conf_parse(STR_LIT("[serve]\nthreads = lots\n"), &c, err, sizeof(err)),
                     MH_INVAL);
    assert_string_equal(err, "line 2: 'lots' is not a whole number from 0 to 256");
    assert_int_equal(site_conf_parse(STR_LIT("[serve]\nthread = 4\n"), &c, err, sizeof(err)),
                     MH_INVAL);
    assert_string_equal(err, "line 2: unknown key 'thread' in [serve]");
}

/* The one form in which related lists match keywords (index, holders, serve's cache). */
static void test_keyword_key(void **state)
{
    (void)state;
    char key[8];
    assert_true(store_keyword_key(STR_LIT("Port 5G"), key, sizeof(key)));
    assert_memory_equal(key, "port 5g", 7);
    assert_true(store_keyword_key(STR_LIT("\xe6\xb8\xaf\xe5\x8f\xa3"), key, sizeof(key)));
    assert_memory_equal(key, "\xe6\xb8\xaf\xe5\x8f\xa3", 6); /* only ASCII folds */
    assert_false(store_keyword_key(STR_LIT("Harbour 5G"), key, sizeof(key))); /* over CAP */
    assert_false(store_keyword_key(STR_LIT(""), key, sizeof(key)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_skeleton, setup, teardown),
        cmocka_unit_test_setup_teardown(test_article_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_channel, setup, teardown),
        cmocka_unit_test_setup_teardown(test_update_keeps_revisions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nested_transactions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_users_links_curation_views, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_finds_tampering, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_refuses, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_migrates_older, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cards, setup, teardown),
        cmocka_unit_test_setup_teardown(test_change_log, setup, teardown),
        cmocka_unit_test_setup_teardown(test_related_bounds, setup, teardown),
        cmocka_unit_test(test_keyword_key),
        cmocka_unit_test_setup_teardown(test_related_and_translations, setup, teardown),
        cmocka_unit_test(test_conf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
