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
/* Percent-encode everything but RFC 3986 unreserved characters. */
void escape_url_component(struct buf *out, struct str s);

#endif
