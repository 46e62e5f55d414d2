/* SPDX-License-Identifier: MIT */
/* model.c - the names of the model's enums, as they appear in files and URLs. */
#include "core/compat.h"

#include "core/err.h"
#include "model/model.h"

static const char *const status_names[ARTICLE_STATUS_COUNT] = {
    "draft", "submitted", "approved", "scheduled", "published", "withdrawn",
};
static const char *const role_names[ROLE_COUNT] = {"reporter", "editor", "chief_editor", "admin"};
static const char *const kind_names[] = {"regular", "special"};
static const char *const format_names[] = {"markdown", "html"};

static int lookup(const char *const *names, int n, struct str s, int *out)
{
    for (int i = 0; i < n; i++) {
        if (str_eq_c(s, names[i])) {
            *out = i;
            return MH_OK;
        }
    }
    return MH_INVAL;
}

const char *article_status_name(enum article_status s)
{
    return (unsigned)s < ARTICLE_STATUS_COUNT ? status_names[s] : "unknown";
}

int article_status_parse(struct str name, enum article_status *out)
{
    int v;
    int rc = lookup(status_names, ARTICLE_STATUS_COUNT, name, &v);
    if (rc == MH_OK)
        *out = (enum article_status)v;
    return rc;
}

const char *user_role_name(enum user_role r)
{
    return (unsigned)r < ROLE_COUNT ? role_names[r] : "unknown";
}

int user_role_parse(struct str name, enum user_role *out)
{
    int v;
    /* "chief-editor" and "chief editor" are accepted spellings too */
    if (str_eq_c(name, "chief-editor") || str_eq_c(name, "chief editor"))
        name = STR_LIT("chief_editor");
    int rc = lookup(role_names, ROLE_COUNT, name, &v);
    if (rc == MH_OK)
        *out = (enum user_role)v;
    return rc;
}

const char *channel_kind_name(enum channel_kind k)
{
    return (unsigned)k < 2 ? kind_names[k] : "unknown";
}

int channel_kind_parse(struct str name, enum channel_kind *out)
{
    int v;
    int rc = lookup(kind_names, 2, name, &v);
    if (rc == MH_OK)
        *out = (enum channel_kind)v;
    return rc;
}

const char *body_format_name(enum body_format f)
{
    return (unsigned)f < 2 ? format_names[f] : "unknown";
}

int body_format_parse(struct str name, enum body_format *out)
{
    int v;
    int rc = lookup(format_names, 2, name, &v);
    if (rc == MH_OK)
        *out = (enum body_format)v;
    return rc;
}
