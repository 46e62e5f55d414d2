/* SPDX-License-Identifier: MIT */
/*
 * rules_test.c - the whole permission matrix, every role x every action x
 * every status x own/other's, against an expectation written out here by
 * hand (not computed the way rules.c computes it), and the workflow's steps.
 */
#include "../check.h"

#include "core/err.h"
#include "newsroom/newsroom.h"

/* Status letters: D draft, S submitted, A approved, C scheduled (calendar),
 * P published, W withdrawn.  "*" marks a site-level action that is allowed. */
struct expect {
    enum user_role role;
    enum newsroom_action action;
    const char *own, *other;
};

#define ALL6 "DSACPW"
static const struct expect table[] = {
    {ROLE_REPORTER, NR_ARTICLE_VIEW, ALL6, ""},
    {ROLE_EDITOR, NR_ARTICLE_VIEW, ALL6, ALL6},
    {ROLE_CHIEF_EDITOR, NR_ARTICLE_VIEW, ALL6, ALL6},
    {ROLE_ADMIN, NR_ARTICLE_VIEW, ALL6, ALL6},
    {ROLE_REPORTER, NR_ARTICLE_CREATE, "*", "*"},
    {ROLE_EDITOR, NR_ARTICLE_CREATE, "*", "*"},
    {ROLE_CHIEF_EDITOR, NR_ARTICLE_CREATE, "*", "*"},
    {ROLE_ADMIN, NR_ARTICLE_CREATE, "*", "*"},
    {ROLE_REPORTER, NR_ARTICLE_EDIT, "D", ""},
    {ROLE_EDITOR, NR_ARTICLE_EDIT, "DS", "DS"},
    {ROLE_CHIEF_EDITOR, NR_ARTICLE_EDIT, ALL6, ALL6},
    {ROLE_ADMIN, NR_ARTICLE_EDIT, ALL6, ALL6},
    {ROLE_REPORTER, NR_ARTICLE_DELETE, "D", ""},
    {ROLE_EDITOR, NR_ARTICLE_DELETE, "D", "D"},
    {ROLE_CHIEF_EDITOR, NR_ARTICLE_DELETE, "D", "D"},
    {ROLE_ADMIN, NR_ARTICLE_DELETE, "D", "D"},
    {ROLE_REPORTER, NR_ARTICLE_SUBMIT, "D", ""},
    {ROLE_EDITOR, NR_ARTICLE_SUBMIT, "D", "D"},
    {ROLE_CHIEF_EDITOR, NR_ARTICLE_SUBMIT, "D", "D"},
    {ROLE_ADMIN, NR_ARTICLE_SUBMIT, "D", "D"},
    {ROLE_REPORTER, NR_ARTICLE_RETURN, "", ""},
    {ROLE_EDITOR, NR_ARTICLE_RETURN, "SA", "SA"},
    {ROLE_CHIEF_EDITOR, NR_ARTICLE_RETURN, "SAC", "SAC"},
    {ROLE_ADMIN, NR_ARTICLE_RETURN, "SAC", "SAC"},
    {ROLE_REPORTER, NR_ARTICLE_APPROVE, "", ""},
    {ROLE_EDITOR, NR_ARTICLE_APPROVE, "S", "S"},
    {ROLE_CHIEF_EDITOR, NR_ARTICLE_APPROVE, "S", "S"},
    {ROLE_ADMIN, NR_ARTICLE_APPROVE, "S", "S"},
    {ROLE_REPORTER, NR_ARTICLE_PUBLISH, "", ""},
    {ROLE_EDITOR, NR_ARTICLE_PUBLISH, "", ""},
    {ROLE_CHIEF_EDITOR, NR_ARTICLE_PUBLISH, "ACW", "ACW"},
    {ROLE_ADMIN, NR_ARTICLE_PUBLISH, "ACW", "ACW"},
    {ROLE_REPORTER, NR_ARTICLE_SCHEDULE, "", ""},
    {ROLE_EDITOR, NR_ARTICLE_SCHEDULE, "", ""},
    {ROLE_CHIEF_EDITOR, NR_ARTICLE_SCHEDULE, "AC", "AC"},
    {ROLE_ADMIN, NR_ARTICLE_SCHEDULE, "AC", "AC"},
    {ROLE_REPORTER, NR_ARTICLE_UNSCHEDULE, "", ""},
    {ROLE_EDITOR, NR_ARTICLE_UNSCHEDULE, "", ""},
    {ROLE_CHIEF_EDITOR, NR_ARTICLE_UNSCHEDULE, "C", "C"},
    {ROLE_ADMIN, NR_ARTICLE_UNSCHEDULE, "C", "C"},
    {ROLE_REPORTER, NR_ARTICLE_WITHDRAW, "", ""},
    {ROLE_EDITOR, NR_ARTICLE_WITHDRAW, "", ""},
    {ROLE_CHIEF_EDITOR, NR_ARTICLE_WITHDRAW, "P", "P"},
    {ROLE_ADMIN, NR_ARTICLE_WITHDRAW, "P", "P"},
    {ROLE_REPORTER, NR_CURATE_TOP_NEWS, "", ""},
    {ROLE_EDITOR, NR_CURATE_TOP_NEWS, "", ""},
    {ROLE_CHIEF_EDITOR, NR_CURATE_TOP_NEWS, "*", "*"},
    {ROLE_ADMIN, NR_CURATE_TOP_NEWS, "*", "*"},
    {ROLE_REPORTER, NR_MANAGE_USERS, "", ""},
    {ROLE_EDITOR, NR_MANAGE_USERS, "", ""},
    {ROLE_CHIEF_EDITOR, NR_MANAGE_USERS, "", ""},
    {ROLE_ADMIN, NR_MANAGE_USERS, "*", "*"},
    {ROLE_REPORTER, NR_MANAGE_CHANNELS, "", ""},
    {ROLE_EDITOR, NR_MANAGE_CHANNELS, "", ""},
    {ROLE_CHIEF_EDITOR, NR_MANAGE_CHANNELS, "", ""},
    {ROLE_ADMIN, NR_MANAGE_CHANNELS, "*", "*"},
    {ROLE_REPORTER, NR_MANAGE_EDITIONS, "", ""},
    {ROLE_EDITOR, NR_MANAGE_EDITIONS, "", ""},
    {ROLE_CHIEF_EDITOR, NR_MANAGE_EDITIONS, "", ""},
    {ROLE_ADMIN, NR_MANAGE_EDITIONS, "*", "*"},
    {ROLE_REPORTER, NR_MANAGE_LINKS, "", ""},
    {ROLE_EDITOR, NR_MANAGE_LINKS, "", ""},
    {ROLE_CHIEF_EDITOR, NR_MANAGE_LINKS, "", ""},
    {ROLE_ADMIN, NR_MANAGE_LINKS, "*", "*"},
    {ROLE_REPORTER, NR_READ_AUDIT, "", ""},
    {ROLE_EDITOR, NR_READ_AUDIT, "", ""},
    {ROLE_CHIEF_EDITOR, NR_READ_AUDIT, "", ""},
    {ROLE_ADMIN, NR_READ_AUDIT, "*", "*"},
};

static const char letters[ARTICLE_STATUS_COUNT] = {'D', 'S', 'A', 'C', 'P', 'W'};

static const struct expect *find(enum user_role r, enum newsroom_action a)
{
    for (size_t i = 0; i < MH_ARRAY_LEN(table); i++)
        if (table[i].role == r && table[i].action == a)
            return &table[i];
    return NULL;
}

static void test_matrix(void **state)
{
    (void)state;
    int allowed = 0, refused = 0, wrong = 0;
    for (int r = 0; r < ROLE_COUNT; r++) {
        for (int a = 0; a < NR_ACTION_COUNT; a++) {
            const struct expect *e = find((enum user_role)r, (enum newsroom_action)a);
            if (e == NULL) {
                fprintf(stderr, "no expectation for %s %s\n", user_role_name((enum user_role)r),
                        newsroom_action_name((enum newsroom_action)a));
                fail();
            }
            bool site_level = strcmp(e->own, "*") == 0 || a >= NR_CURATE_TOP_NEWS ||
                              a == NR_ARTICLE_CREATE;
            if (site_level) {
                bool want = strcmp(e->own, "*") == 0;
                bool got = newsroom_may((enum user_role)r, (enum newsroom_action)a, NULL);
                if (got != want) {
                    fprintf(stderr, "%s %s: got %d want %d\n", user_role_name((enum user_role)r),
                            newsroom_action_name((enum newsroom_action)a), got, want);
                    wrong++;
                }
                got ? allowed++ : refused++;
                continue;
            }
            /* an article action without its article is refused */
            assert_false(newsroom_may((enum user_role)r, (enum newsroom_action)a, NULL));
            for (int s = 0; s < ARTICLE_STATUS_COUNT; s++) {
                for (int own = 0; own < 2; own++) {
                    struct newsroom_subject subj = {own != 0, (enum article_status)s};
                    bool want = strchr(own ? e->own : e->other, letters[s]) != NULL;
                    bool got = newsroom_may((enum user_role)r, (enum newsroom_action)a, &subj);
                    if (got != want) {
                        fprintf(stderr, "%s %s on %s %s article: got %d want %d\n",
                                user_role_name((enum user_role)r),
                                newsroom_action_name((enum newsroom_action)a),
                                own ? "own" : "other's",
                                article_status_name((enum article_status)s), got, want);
                        wrong++;
                    }
                    got ? allowed++ : refused++;
                }
            }
        }
    }
    assert_int_equal(wrong, 0);
    assert_true(allowed > 50 && refused > 100);
    /* nonsense is refused */
    assert_false(newsroom_may(ROLE_COUNT, NR_ARTICLE_VIEW, NULL));
    assert_false(newsroom_may(ROLE_ADMIN, NR_ACTION_COUNT, NULL));
}

static void test_steps(void **state)
{
    (void)state;
    enum newsroom_action a;
    int steps = 0;
    for (int from = 0; from < ARTICLE_STATUS_COUNT; from++)
        for (int to = 0; to < ARTICLE_STATUS_COUNT; to++)
            steps += newsroom_transition_action((enum article_status)from,
                                                (enum article_status)to, &a) == MH_OK;
    assert_int_equal(steps, 12);
    assert_int_equal(newsroom_transition_action(ARTICLE_DRAFT, ARTICLE_PUBLISHED, &a), MH_INVAL);
    assert_int_equal(newsroom_transition_action(ARTICLE_DRAFT, ARTICLE_DRAFT, &a), MH_INVAL);
    assert_int_equal(newsroom_transition_action(ARTICLE_WITHDRAWN, ARTICLE_PUBLISHED, &a), MH_OK);
    assert_int_equal(a, NR_ARTICLE_PUBLISH);
    assert_int_equal(newsroom_transition_action(ARTICLE_APPROVED, ARTICLE_DRAFT, &a), MH_OK);
    assert_int_equal(a, NR_ARTICLE_RETURN);
    assert_int_equal(newsroom_transition_action(ARTICLE_SCHEDULED, ARTICLE_APPROVED, &a), MH_OK);
    assert_int_equal(a, NR_ARTICLE_UNSCHEDULE);
    /* every step's action may start from the step's status for an admin */
    for (int from = 0; from < ARTICLE_STATUS_COUNT; from++) {
        for (int to = 0; to < ARTICLE_STATUS_COUNT; to++) {
            if (newsroom_transition_action((enum article_status)from, (enum article_status)to,
                                           &a) != MH_OK)
                continue;
            struct newsroom_subject subj = {true, (enum article_status)from};
            assert_true(newsroom_may(ROLE_ADMIN, a, &subj));
        }
    }
    for (int i = 0; i < NR_ACTION_COUNT; i++)
        assert_non_null(strchr(newsroom_action_name((enum newsroom_action)i), '.'));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matrix),
        cmocka_unit_test(test_steps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
