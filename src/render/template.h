/* SPDX-License-Identifier: MIT */
/*
 * template.h - Mustache templates, compiled once and rendered many times.
 * A struct tpl_set holds named templates; partials ({{>name}}) and parents
 * ({{<name}}...{{/name}}, the ~inheritance module used for layouts) resolve by
 * name inside the set.  Compiling turns the source into an instruction array
 * (text spans, lookups with pre-split dotted paths, section jumps), so
 * rendering never parses.  Values come from render/value.h; HTML escaping is
 * render/escape.h's.  Loading template files from disk is the caller's job.
 *
 * Supported: the required spec modules (interpolation, sections, inverted,
 * partials, delimiters, comments) and ~inheritance.  Not supported: lambdas
 * and dynamic names.  Rendering details the spec leaves open:
 *   - truth: see tval_truthy() (null, false, 0, "" and [] are false);
 *   - {{x}} renders an int in decimal, true as "true", and null, false, a
 *     missed lookup, a list or an object as nothing;
 *   - a partial included inline (not standalone) is not indented, as in the
 *     reference implementation, and empty lines are never indented (as in
 *     mustache.js);
 *   - a partial sees the block overrides of the template that includes it.
 */
#ifndef MH_RENDER_TEMPLATE_H
#define MH_RENDER_TEMPLATE_H

#include "core/compat.h"
#include "core/limits.h"
#include "core/str.h"

struct buf;
struct tval;
struct tpl_set;

/* Ceilings: a template or a render past one fails with MH_TOOBIG. */
#define TPL_MAX_SOURCE MH_MIB          /* bytes of one template's source */
#define TPL_MAX_NAME 256               /* bytes of a template name */
#define TPL_MAX_NEST 100               /* open sections/blocks/parents in one template */
#define TPL_MAX_INCLUDE 64             /* nested partial/parent/block expansions in a render */
#define TPL_MAX_DEPTH 256              /* nested sections and expansions in a render */
#define TPL_MAX_STEPS (8 * 1024 * 1024) /* ops run plus names looked up by one render */

/* An empty set.  Never NULL (out of memory aborts).  Free with tpl_set_free(). */
struct tpl_set *tpl_set_new(void);
/* Free SET and every template in it; NULL is a no-op. */
void tpl_set_free(struct tpl_set *set);

/*
 * Compile SOURCE and add it to SET as NAME; both are copied.  Templates may
 * name partials that are not in the set (yet): they are looked up when
 * rendering, and a missing one renders as nothing.
 * Returns MH_OK; MH_INVAL on a syntax error (unclosed tag or section,
 * mismatched closing tag, bad delimiter change, empty or bad name ...);
 * MH_TOOBIG past TPL_MAX_SOURCE, TPL_MAX_NAME or TPL_MAX_NEST; MH_CONFLICT
 * when NAME is already in SET.  On error SET is unchanged and, when ERRLEN is
 * not 0, ERRBUF holds "NAME:LINE:COL: reason" (1-based; COL counts bytes).
 * Not thread-safe: fill the set before anyone renders from it.
 */
MH_MUST_CHECK int tpl_set_add(struct tpl_set *set, const char *name, struct str source,
                              char *errbuf, size_t errlen);

/* Whether SET holds a template called NAME. */
bool tpl_set_has(const struct tpl_set *set, const char *name);

/*
 * Render template NAME of SET against CTX (NULL renders as a null context)
 * and append the result to OUT.  Reads SET and CTX only, so any number of
 * threads may render from one set at once, each with its own OUT.
 * Recursion is bounded by TPL_MAX_DEPTH: at worst about 100 KiB of stack
 * (twice that under ASan).
 * Returns MH_OK; MH_NOTFOUND when SET has no NAME; MH_TOOBIG past
 * TPL_MAX_INCLUDE, TPL_MAX_DEPTH or TPL_MAX_STEPS (runaway recursion or
 * loops), or when OUT hits its ceiling; OUT's own sticky error if it had
 * one.  On error OUT holds part of a page: discard it.
 */
MH_MUST_CHECK int tpl_render(const struct tpl_set *set, const char *name, const struct tval *ctx,
                             struct buf *out);

#endif
