/* SPDX-License-Identifier: MIT */
/*
 * interchange_int.h - inside interchange/ only: the import loop that every
 * source feeds (import.c), and the small text helpers the migration sources
 * share (migrate.c): normalising fields, cleaning HTML bodies, finding the
 * images a cleaned body shows, civil times in a zone, channel slugs.
 */
#ifndef MH_INTERCHANGE_INTERCHANGE_INT_H
#define MH_INTERCHANGE_INTERCHANGE_INT_H

#include "core/compat.h"
#include "core/str.h"
#include "interchange/interchange.h"

struct arena;

/* A source: the next entry into *OUT (strings in ARENA) and MH_OK, MH_NOTFOUND
 * at the end, or an error that stops the import (reason in ERRBUF).  Runs on
 * the parsing thread; it must not touch the store. */
typedef int import_next_fn(void *src, struct arena *arena, struct import_item *out,
                           char *errbuf, size_t errlen);

struct import_source {
    import_next_fn *next;
    void *src;
    const uint64_t *bytes; /* input consumed so far (written by the parsing thread) */
    const uint64_t *lines; /* stats->lines at the end */
};

/* Run the import of SOURCE into SITE: see import_jsonl() in interchange.h. */
MH_MUST_CHECK int import_run(struct site *site, const struct import_source *source,
                             const struct import_opts *o, struct import_stats *stats,
                             char *errbuf, size_t errlen);

/* The edition a migration imports into: O->edition, else SITE's default,
 * into *OUT (strings in ARENA).  MH_NOTFOUND or the store's error, with the
 * reason in ERRBUF. */
struct edition;
MH_MUST_CHECK int import_edition(struct site *site, const struct import_opts *o,
                                 struct arena *arena, struct edition *out, char *errbuf,
                                 size_t errlen);

/* Mark IT bad (STATUS MH_INVAL or MH_TOOBIG) with the reason FMT... in ARENA.
 * The first reason given sticks. */
void import_refuse(struct import_item *it, struct arena *arena, int status, const char *fmt,
                   ...) MH_PRINTF(4, 5);

/* RAW as a field: valid UTF-8 assumed; a one-line field has its runs of
 * white space made one space and other control characters dropped, a
 * multi-line one keeps newlines (CRLF made LF) and drops other controls;
 * both are trimmed.  Lives in ARENA. */
struct str import_text(struct arena *arena, struct str raw, bool multiline);

/* Check the sizes of IT's fields (title required); refuse IT when one is
 * too long or missing. */
void import_check_fields(struct import_item *it, struct arena *arena);

/* Clean the HTML body RAW into *OUT (in ARENA); MH_OK, or the sanitizer's
 * error with the reason in WHY. */
MH_MUST_CHECK int import_clean_html(struct arena *arena, struct str raw, struct str *out,
                                    char *why, size_t whylen);

/* The next <img src="..."> of cleaned HTML from *POS: its value as written
 * (escaped) into *VALUE, *POS moved past it.  False when there is none. */
bool import_next_img(struct str html, size_t *pos, struct str *value);

/* Decode the character references of HTML text (&amp; &lt; &gt; &quot;
 * &apos; &#39; &nbsp; &#N; &#xN;) into ARENA; others stay as written. */
struct str import_unescape(struct arena *arena, struct str s);

/* A channel slug from a category's name or nicename: percent-escapes
 * decoded, ASCII lower-cased, runs of anything but letters, digits and
 * non-ASCII letters made one '-'.  Empty when nothing is left. */
struct str import_slug(struct arena *arena, struct str name);

/* "YYYY-MM-DD HH:MM:SS" (optionally ".mmm" or ":mmm") as a civil time in
 * zone TZ into *MS.  MH_INVAL for anything else, "0000-00-00 ..." included. */
MH_MUST_CHECK int import_civil_time(struct str text, struct str tz, int64_t *ms);

/* Split S at any of the bytes or UTF-8 sequences in SEPS (NULL-terminated),
 * trimming and dropping empty entries, at most MH_MAX_LIST, into ARENA. */
void import_split(struct arena *arena, struct str s, const char *const *seps,
                  struct str **items, size_t *n);

/* Add FILE as a body image for SRC (escaped value) to IT, once per SRC. */
void import_add_body_image(struct import_item *it, struct arena *arena, struct str src,
                           const char *file);

/* The path of URL: "https://host/a/b.html?x" -> "/a/b.html"; a path as is.
 * Empty when URL has none or it is only "/". */
struct str import_url_path(struct str url);

/* S with its %XX escapes decoded (into ARENA); S itself when the result
 * would not be valid UTF-8 or would hold a NUL. */
struct str import_percent_decode(struct arena *arena, struct str s);

#endif
