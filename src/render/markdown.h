/* SPDX-License-Identifier: MIT */
/*
 * markdown.h - article bodies written in Markdown, rendered to HTML.  md4c
 * parses (CommonMark plus GitHub tables, strikethrough and autolinks; no
 * task lists); this module writes the HTML and hands it to sanitize_html(),
 * so raw HTML inside Markdown obeys the same allow-list as HTML bodies.
 */
#ifndef MH_RENDER_MARKDOWN_H
#define MH_RENDER_MARKDOWN_H

#include "core/compat.h"
#include "core/str.h"

struct buf;

/*
 * Render the Markdown MD and append the sanitized HTML to OUT.
 *
 * An image with a title, ![alt](src "title"), standing on its own in a
 * paragraph or list item becomes <figure><img ...><figcaption>title
 * </figcaption></figure>; elsewhere the title stays a title attribute.
 * Headings start at h2 (# is h2, as in sanitize_html()); ~~text~~ is <s>.
 * The result is what sanitize_html() gives, so it is a fixed point of it.
 *
 * Cost: md4c 0.4.8 (Debian 12) is quadratic on some hostile input (40 KB of
 * nested brackets take 2 s, 500 KB of "[a](" lines 5 s; upstream has fixed
 * such cases since, md4c issues 172 and 236), then what sanitize_html()
 * costs on the HTML.  Reentrant.
 *
 * Returns MH_OK; MH_INVAL when MD is not valid UTF-8; MH_TOOBIG when MD or
 * the HTML is over MH_MAX_BODY, or when OUT's ceiling is hit (then OUT
 * carries the error).  On any other error OUT is left as it was.
 */
MH_MUST_CHECK int markdown_render(struct str md, struct buf *out);

#endif
