/* SPDX-License-Identifier: MIT */
/*
 * rules.c - the permission matrix and the workflow's steps: who may do
 * what to which article, and which status changes exist.  Every other file
 * in newsroom/ asks here; nothing else decides.  Also the policy defaults
 * and the call context.
 */
#include "core/compat.h"

#include <stdarg.h>

#include "core/err.h"
#include "newsroom/newsroom.h"
#include "newsroom/newsroom_int.h"

void newsroom_policy_defaults(struct newsroom_policy *p)
{
    p->session_idle_ms = 30 * 60 * 1000;
    p->session_absolute_ms = 12 * 3600 * 1000;
    p->lock_ms = 2 * 60 * 1000;
    p->fail_window_ms = 15 * 60 * 1000;
    p->max_fails_account = 5;
    p->max_fails_address = 20;
}

static const struct newsroom_policy default_policy = {
    .session_idle_ms = 30 * 60 * 1000,
    .session_absolute_ms = 12 * 3600 * 1000,
    .lock_ms = 2 * 60 * 1000,
    .fail_window_ms = 15 * 60 * 1000,
    .max_fails_account = 5,
    .max_fails_address = 20,
};

void newsroom_ctx_init(struct newsroom_ctx *nr, struct store *store,
                       const struct newsroom_policy *policy)
{
    memset(nr, 0, sizeof(*nr));
    nr->store = store;
    nr->policy = policy ? policy : &default_policy;
    nr->who.login = STR_LIT("");
    nr->who.display_name = STR_LIT("");
    nr->who.role = ROLE_COUNT; /* nobody: fail closed */
    nr->who.address = STR_LIT("");
}

void newsroom_ctx_system(struct newsroom_ctx *nr, const char *login)
{
    nr->who.user_id = 0;
    nr->who.login = str_c(login);
    nr->who.display_name = str_c(login);
    nr->who.role = ROLE_ADMIN;
    nr->who.address = STR_LIT("");
}

int nr_refuse(struct newsroom_ctx *nr, int rc, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(nr->message, sizeof(nr->message), fmt, ap);
    va_end(ap);
    nr->field = field;
    return rc;
}

static const char *const action_names[NR_ACTION_COUNT] = {
    [NR_ARTICLE_VIEW] = "article.view",
    [NR_ARTICLE_CREATE] = "article.create",
    [NR_ARTICLE_EDIT] = "article.edit",
    [NR_ARTICLE_DELETE] = "article.delete",
    [NR_ARTICLE_SUBMIT] = "article.submit",
    [NR_ARTICLE_RETURN] = "article.return",
    [NR_ARTICLE_APPROVE] = "article.approve",
    [NR_ARTICLE_PUBLISH] = "article.publish",
    [NR_ARTICLE_SCHEDULE] = "article.schedule",
    [NR_ARTICLE_UNSCHEDULE] = "article.unschedule",
    [NR_ARTICLE_WITHDRAW] = "article.withdraw",
    [NR_CURATE_TOP_NEWS] = "curation.top_news",
    [NR_MANAGE_USERS] = "manage.users",
    [NR_MANAGE_CHANNELS] = "manage.channels",
    [NR_MANAGE_EDITIONS] = "manage.editions",
    [NR_MANAGE_LINKS] = "manage.links",
    [NR_READ_AUDIT] = "audit.read",
};

const char *newsroom_action_name(enum newsroom_action a)
{
    return (unsigned)a < NR_ACTION_COUNT ? action_names[a] : "unknown";
}

#define S(x) (1u << ARTICLE_##x)
#define ANY_STATUS ((1u << ARTICLE_STATUS_COUNT) - 1)

/*
 * One row per action: the statuses it may start from, and per role whether
 * it is allowed on any article, only on the actor's own, or not at all.
 */
enum reach { NO, OWN, ALL };

static const struct rule {
    unsigned from;            /* statuses the action may start from; 0: site-level */
    enum reach by[ROLE_COUNT]; /* reporter, editor, chief editor, admin */
} rules[NR_ACTION_COUNT] = {
    [NR_ARTICLE_VIEW] = {ANY_STATUS, {OWN, ALL, ALL, ALL}},
    [NR_ARTICLE_CREATE] = {0, {ALL, ALL, ALL, ALL}},
    [NR_ARTICLE_EDIT] = {ANY_STATUS, {OWN, ALL, ALL, ALL}},
    [NR_ARTICLE_DELETE] = {S(DRAFT), {OWN, ALL, ALL, ALL}},
    [NR_ARTICLE_SUBMIT] = {S(DRAFT), {OWN, ALL, ALL, ALL}},
    [NR_ARTICLE_RETURN] = {S(SUBMITTED) | S(APPROVED) | S(SCHEDULED), {NO, ALL, ALL, ALL}},
    [NR_ARTICLE_APPROVE] = {S(SUBMITTED), {NO, ALL, ALL, ALL}},
    [NR_ARTICLE_PUBLISH] = {S(APPROVED) | S(SCHEDULED) | S(WITHDRAWN), {NO, NO, ALL, ALL}},
    [NR_ARTICLE_SCHEDULE] = {S(APPROVED) | S(SCHEDULED), {NO, NO, ALL, ALL}},
    [NR_ARTICLE_UNSCHEDULE] = {S(SCHEDULED), {NO, NO, ALL, ALL}},
    [NR_ARTICLE_WITHDRAW] = {S(PUBLISHED), {NO, NO, ALL, ALL}},
    [NR_CURATE_TOP_NEWS] = {0, {NO, NO, ALL, ALL}},
    [NR_MANAGE_USERS] = {0, {NO, NO, NO, ALL}},
    [NR_MANAGE_CHANNELS] = {0, {NO, NO, NO, ALL}},
    [NR_MANAGE_EDITIONS] = {0, {NO, NO, NO, ALL}},
    [NR_MANAGE_LINKS] = {0, {NO, NO, NO, ALL}},
    [NR_READ_AUDIT] = {0, {NO, NO, NO, ALL}},
};

/* Status limits that depend on the role, beyond the table: a reporter
 * edits only drafts, an editor only drafts and submitted articles, a
 * reporter views own articles in any status. */
static bool role_status_ok(enum user_role role, enum newsroom_action action,
                           enum article_status st)
{
    if (action == NR_ARTICLE_EDIT) {
        if (role == ROLE_REPORTER)
            return st == ARTICLE_DRAFT;
        if (role == ROLE_EDITOR)
            return st == ARTICLE_DRAFT || st == ARTICLE_SUBMITTED;
        return true;
    }
    if (action == NR_ARTICLE_RETURN && st == ARTICLE_SCHEDULED)
        return role >= ROLE_CHIEF_EDITOR; /* a scheduled article is the chief's */
    return true;
}

bool newsroom_may(enum user_role role, enum newsroom_action action,
                  const struct newsroom_subject *subject)
{
    if ((unsigned)role >= ROLE_COUNT || (unsigned)action >= NR_ACTION_COUNT)
        return false;
    const struct rule *r = &rules[action];
    enum reach reach = r->by[role];
    if (reach == NO)
        return false;
    if (r->from == 0) /* site-level, or creating */
        return true;
    if (subject == NULL)
        return false; /* an article action needs its article */
    if ((unsigned)subject->status >= ARTICLE_STATUS_COUNT || !(r->from & (1u << subject->status)))
        return false;
    if (reach == OWN && !subject->own)
        return false;
    return role_status_ok(role, action, subject->status);
}

int newsroom_transition_action(enum article_status from, enum article_status to,
                               enum newsroom_action *out)
{
    static const struct {
        enum article_status from, to;
        enum newsroom_action action;
    } steps[] = {
        {ARTICLE_DRAFT, ARTICLE_SUBMITTED, NR_ARTICLE_SUBMIT},
        {ARTICLE_SUBMITTED, ARTICLE_DRAFT, NR_ARTICLE_RETURN},
        {ARTICLE_APPROVED, ARTICLE_DRAFT, NR_ARTICLE_RETURN},
        {ARTICLE_SCHEDULED, ARTICLE_DRAFT, NR_ARTICLE_RETURN},
        {ARTICLE_SUBMITTED, ARTICLE_APPROVED, NR_ARTICLE_APPROVE},
        {ARTICLE_APPROVED, ARTICLE_PUBLISHED, NR_ARTICLE_PUBLISH},
        {ARTICLE_SCHEDULED, ARTICLE_PUBLISHED, NR_ARTICLE_PUBLISH},
        {ARTICLE_WITHDRAWN, ARTICLE_PUBLISHED, NR_ARTICLE_PUBLISH},
        {ARTICLE_APPROVED, ARTICLE_SCHEDULED, NR_ARTICLE_SCHEDULE},
        {ARTICLE_SCHEDULED, ARTICLE_SCHEDULED, NR_ARTICLE_SCHEDULE},
        {ARTICLE_SCHEDULED, ARTICLE_APPROVED, NR_ARTICLE_UNSCHEDULE},
        {ARTICLE_PUBLISHED, ARTICLE_WITHDRAWN, NR_ARTICLE_WITHDRAW},
    };
    for (size_t i = 0; i < MH_ARRAY_LEN(steps); i++) {
        if (steps[i].from == from && steps[i].to == to) {
            *out = steps[i].action;
            return MH_OK;
        }
    }
    return MH_INVAL;
}
