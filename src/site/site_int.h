/* SPDX-License-Identifier: MIT */
/*
 * site_int.h - inside site/ only: what pages.c lends the other page files
 * (search_page.c) so that every page shares one frame: the context every
 * page gets (docs/internals/theme.md, "Every page"), the UI words, dates
 * and URLs in the edition's form, and rendering with the theme.
 */
#ifndef MH_SITE_SITE_INT_H
#define MH_SITE_SITE_INT_H

#include "core/compat.h"
#include "core/str.h"
#include "site/site.h"

struct arena;
struct edition;
struct store;
struct tval;

/* One page being built; lives in the arena given to site_view_begin(). */
struct site_view;

/* Start a page of EDITION (a slug): the edition (MH_NOTFOUND when there is
 * none) and the context every page shares, navigation current on nothing. */
MH_MUST_CHECK int site_view_begin(struct site_app *app, struct store *s, struct arena *arena,
                                  struct str edition, struct site_view **out);
/* The context's root and its "page" object, to add the page's own part. */
struct tval *site_view_root(struct site_view *v);
struct tval *site_view_page(struct site_view *v);
const struct edition *site_view_edition(const struct site_view *v);
const char *site_view_site_name(const struct site_view *v);
/* page.title ("TITLE - site name"), page.description, page.canonical; and
 * the breadcrumb: the edition's front page only. */
void site_view_meta(struct site_view *v, struct str title, struct str description,
                    struct str path);
/* An article's URL, its date as the edition shows it, and as RFC 3339. */
struct str site_view_article_url(struct site_view *v, int64_t published, int64_t id);
struct str site_view_date(struct site_view *v, int64_t ms);
struct str site_view_datetime(struct site_view *v, int64_t ms);
/* Render template TPL over the context with STATUS into *OUT. */
MH_MUST_CHECK int site_view_render(struct site_view *v, const char *tpl, int status,
                                   struct site_page *out);

#endif
