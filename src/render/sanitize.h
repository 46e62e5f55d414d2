/* SPDX-License-Identifier: MIT */
/*
 * sanitize.h - turn untrusted article HTML into a small, safe, canonical
 * subset of HTML, or into plain text.  Parsing is gumbo's (the HTML5
 * algorithm, as a fragment inside <div>); this module decides what survives
 * and writes it out again.  Markdown is render/markdown.h's job, and escaping
 * for templates is render/escape.h's.
 *
 * What survives (everything else is dropped; sanitize.c gives the reasons):
 *   blocks   p h2-h6 (h1 becomes h2) blockquote ul ol li dl dt dd pre hr
 *            figure figcaption div, and table caption thead tbody tfoot tr th td
 *   inline   a strong b em i u s sub sup small mark abbr cite q code kbd span
 *            br img video audio source
 *   attrs    a: href title (+ rel="noopener noreferrer nofollow" when the href
 *            is absolute); img: src alt title width height (+ loading="lazy");
 *            video: src poster width height; audio: src (both + controls);
 *            source: src type; td/th: colspan rowspan align; ol: start;
 *            abbr: title; span/div/code: class, only tokens of [a-z0-9_-]
 *   URLs     http:, https:, relative and //host; mailto: for a href only.
 *            No data: URLs at all (images are uploaded, not inlined).  The
 *            check runs on the decoded value with controls removed.
 * script style template noscript svg math iframe object embed noembed
 * noframes title textarea select frameset and head elements go with all
 * their content; any other element (font, section, ...) loses its tag but
 * keeps its children.  Comments go.  An element that does not fit where it
 * is (a block inside a paragraph, an li outside a list, a link inside a
 * link) loses its tag too, so that the output means the same thing when it
 * is parsed again.
 */
#ifndef MH_RENDER_SANITIZE_H
#define MH_RENDER_SANITIZE_H

#include "core/compat.h"
#include "core/str.h"

struct buf;

/*
 * Sanitize the HTML fragment IN and append the result to OUT.
 *
 * The result is well formed: every element is closed, every text and
 * attribute value is escaped with escape_html(), attributes come in a fixed
 * order, and elements nest at most MH_MAX_HTML_DEPTH deep (deeper content is
 * kept as text).  It is a fixed point: sanitizing the result again gives the
 * same bytes (the content model makes it so; the fuzz target and the unit
 * tests check it, nothing re-checks it at run time).
 *
 * Cost: IN is parsed once.  Pathological nesting is flattened before gumbo
 * sees it, so time stays roughly linear in IN; gumbo's memory is capped at
 * 64 MiB + 64 x IN (dense markup needs ~50 x IN).  Reentrant; no global
 * state.
 *
 * Returns MH_OK; MH_INVAL when IN is not valid UTF-8; MH_TOOBIG when IN or
 * the result is over MH_MAX_BODY, when parsing would need too much memory,
 * or when OUT's own ceiling is hit (then OUT carries the error).  On any
 * other error OUT is left as it was.
 */
MH_MUST_CHECK int sanitize_html(struct str in, struct buf *out);

/*
 * Append the visible text of the HTML fragment IN to OUT, for abstracts,
 * snippets and the search index: the content of dropped elements (script,
 * style, ...) is left out, runs of white space become one space, block
 * elements and <br> become a newline, table cells are separated by a space,
 * and there is no white space at either end.  The result is plain UTF-8
 * text, not HTML: escape it before putting it into a page.
 *
 * Returns MH_OK, MH_INVAL or MH_TOOBIG, as sanitize_html() does.
 */
MH_MUST_CHECK int sanitize_text_of_html(struct str in, struct buf *out);

#endif
