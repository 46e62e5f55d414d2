/* SPDX-License-Identifier: MIT */
/*
 * escape.h - escaping for the places text goes into HTML, XML and URLs.
 * Templates escape by default through these; nothing else in Masthead
 * should hand-escape.
 */
#ifndef MH_RENDER_ESCAPE_H
#define MH_RENDER_ESCAPE_H

#include "core/compat.h"
#include "core/str.h"

struct buf;

/* & < > " ' become entities: safe in element text and quoted attributes
 * (the Mustache spec's set, with ' as &#39;). */
void escape_html(struct buf *out, struct str s);
/* S as a JSON string with its quotes.  With SCRIPT_SAFE, < > & are written
 * as \u003c \u003e \u0026 too, so the JSON can sit in a <script> block. */
void escape_json(struct buf *out, struct str s, bool script_safe);
/* Percent-encode everything but RFC 3986 unreserved characters. */
void escape_url_component(struct buf *out, struct str s);

#endif
