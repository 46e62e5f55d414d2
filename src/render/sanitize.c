/* SPDX-License-Identifier: MIT */
/*
 * sanitize.c - one pass: guard the input, parse it with gumbo, walk the
 * tree writing out what the allow-list keeps.  sanitize_html() is that one
 * pass.  Safety holds after it by construction: only allow-listed tags and
 * attributes are written, URLs are checked on their decoded values, and
 * every text and attribute value is escaped, so what a browser parses back
 * is only what the walk wrote.
 *
 * The guard.  gumbo 0.10.1 implements the HTML5 tree builder faithfully,
 * costs included: every start tag walks the stack of open elements, so
 * 40,000 nested <div>s take seconds and the 1.6 million an 8 MiB body can
 * hold would take hours; "reconstruct the active formatting elements"
 * clones every open <b>, <i>, ... into each new paragraph, so a 27 KB input
 * can make 4 million nodes; duplicate-attribute checks are quadratic.  And
 * its asserts are compiled in (Debian), and several fire on foreign content
 * (<svg> or <math> inside tables, selects and integration points), which
 * would abort the whole server.  So before gumbo sees the input, a small
 * tokenizer (guard_*) removes every svg and math element up to its end tag
 * (they are dropped anyway), models gumbo's stack and formatting list
 * conservatively (it may think the tree deeper than it is, never
 * shallower), cuts out start tags that would take it past GUARD_DEPTH or
 * GUARD_FORMATTING, and keeps only our attributes on tags with more than
 * GUARD_ATTRS.  The text around a cut tag stays.  Input that is not
 * pathological passes through untouched.  As a backstop, gumbo allocates
 * through gmem_*, which stops the parse (longjmp) past PARSE_MEMORY and
 * frees everything gumbo had.
 *
 * The walk keeps a content model (struct rule, enum ctx): an element is
 * written only where the HTML parser would put it back in the same place
 * (no block inside a paragraph, li only in ul/ol, table parts only in their
 * table, no link in a link).  Otherwise its tag is dropped and its children
 * are treated as if they were in its place.  That keeps the output stable
 * under re-parsing, so the result is a fixed point (sanitizing it again
 * gives the same bytes) without a second parse at run time.  The tests hold
 * that promise instead: tests/fuzz/fuzz_sanitize.c checks it on every input
 * it makes, and tests/render/sanitize_test.c on the XSS payloads, the fuzz
 * corpus and generated article bodies.  Earlier versions re-parsed every
 * result until it settled; in fuzzing, the first re-parse always gave the
 * same bytes back, and it cost a third of a published page's CPU.
 *
 * Choices worth knowing:
 *  - data: URLs are refused everywhere, even for images: uploads go through
 *    media/, and data:image/svg+xml is a script vector in some contexts.
 *  - class survives on span, div and code only (code for Markdown's
 *    language-xxx), and only tokens of [a-z0-9_-]: no id, no style, no
 *    data-*, so article HTML cannot clobber the page's DOM or CSS hooks.
 *  - rel="noopener noreferrer nofollow" goes on every absolute link (http,
 *    https and //host): we do not know our own host name here.
 *  - <pre> is always written as "<pre>\n": the parser drops one newline
 *    after <pre>, so this keeps leading newlines of the content intact.
 */
#include "core/compat.h"

#include <gumbo.h>
#include <setjmp.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/utf8.h"
#include "render/escape.h"
#include "render/sanitize.h"

#define GUARD_DEPTH 512      /* open elements the guard lets gumbo have */
#define GUARD_FORMATTING 32  /* active formatting elements it lets gumbo have */
#define GUARD_ATTRS 6        /* more attributes than this: keep (at most this many of) ours */
#define GUARD_LIST (GUARD_FORMATTING + GUARD_DEPTH) /* entries and markers */
#define PARSE_MEMORY(len) (64 * MH_MIB + 64 * (len)) /* gumbo needs up to ~50x on dense markup */

/* The attributes the walk can keep, and so the ones the guard keeps. */
static const char *const kept_attrs[] = {
    "href", "src", "title", "alt", "width", "height", "colspan", "rowspan",
    "class", "poster", "type", "start", "align",
};

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool eq_nocase(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (lower(a[i]) != lower(b[i]))
            return false;
    return true;
}

/*
 * What gumbo's input stream turns into U+FFFD (and so must never be written:
 * an entity such as &#1; decodes to one, but a raw one would not survive).
 */
static bool bad_code_point(int32_t c)
{
    return c < 0 || (c >= 0x1 && c <= 0x8) || c == 0xB || (c >= 0xE && c <= 0x1F) ||
           (c >= 0x7F && c <= 0x9F) || (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFF) >= 0xFFFE;
}

/*
 * Append S as gumbo would read it back: CR as LF (the input stream
 * normalizes newlines) and U+FFFD for bad code points; escaped with
 * escape_html() when ESCAPE.
 */
static void put_text(struct buf *out, struct str s, bool escape)
{
    const char *p = s.ptr, *end = s.ptr + s.len, *run = p;
    while (p < end) {
        const char *at = p;
        if ((unsigned char)*p >= 0x20 && *p != 0x7f && (unsigned char)*p < 0x80) {
            p++; /* the common case */
            continue;
        }
        int32_t c = utf8_next(&p, end);
        if (c != '\r' && !bad_code_point(c))
            continue;
        if (escape)
            escape_html(out, str_make(run, (size_t)(at - run)));
        else
            buf_add(out, run, (size_t)(at - run));
        buf_adds(out, c == '\r' ? "\n" : "\xEF\xBF\xBD");
        run = p;
    }
    if (escape)
        escape_html(out, str_make(run, (size_t)(end - run)));
    else
        buf_add(out, run, (size_t)(end - run));
}

/*
 * ===========================================================================
 * Memory for gumbo: tracked, capped, and freed all at once
 * ===========================================================================
 */

union gmem_hdr {
    struct {
        union gmem_hdr *prev, *next;
        size_t size;
    } h;
    max_align_t align;
};

struct gmem {
    union gmem_hdr *head;
    size_t used, limit;
    jmp_buf fail;
};

static void *gmem_alloc(void *ud, size_t n)
{
    struct gmem *m = ud;
    if (n > m->limit - m->used)
        longjmp(m->fail, 1); /* parse() frees what gumbo had */
    /* zeroed: gumbo 0.10.1 reads memory it never wrote (valgrind, on "<table>") */
    union gmem_hdr *h = mh_calloc(1, sizeof(*h) + n);
    h->h.prev = NULL;
    h->h.next = m->head;
    h->h.size = n;
    if (m->head)
        m->head->h.prev = h;
    m->head = h;
    m->used += n;
    return h + 1;
}

static void gmem_free(void *ud, void *p)
{
    struct gmem *m = ud;
    if (p == NULL)
        return;
    union gmem_hdr *h = (union gmem_hdr *)p - 1;
    if (h->h.prev)
        h->h.prev->h.next = h->h.next;
    else
        m->head = h->h.next;
    if (h->h.next)
        h->h.next->h.prev = h->h.prev;
    m->used -= h->h.size;
    free(h);
}

static void gmem_release(struct gmem *m)
{
    union gmem_hdr *h = m->head;
    while (h) {
        union gmem_hdr *next = h->h.next;
        free(h);
        h = next;
    }
    m->head = NULL;
    m->used = 0;
}

/*
 * Parse IN as the children of a <div>.  The tree lives in M until
 * gmem_release(M); gumbo_destroy_output() is never needed (it recurses).
 */
static int parse(struct gmem *m, struct str in, GumboOutput **out)
{
    GumboOptions opt = kGumboDefaultOptions;
    opt.allocator = gmem_alloc;
    opt.deallocator = gmem_free;
    opt.userdata = m;
    opt.max_errors = 0; /* we never look at them */
    opt.fragment_context = GUMBO_TAG_DIV;
    opt.fragment_namespace = GUMBO_NAMESPACE_HTML;
    m->head = NULL;
    m->used = 0;
    m->limit = PARSE_MEMORY(in.len);
    if (setjmp(m->fail) != 0) {
        gmem_release(m);
        return MH_TOOBIG;
    }
    *out = gumbo_parse_with_options(&opt, in.len ? in.ptr : "", in.len);
    return MH_OK;
}

/*
 * ===========================================================================
 * The guard: a conservative model of gumbo's stack, run before gumbo
 * ===========================================================================
 */

enum {
    G_SPECIAL = 1 << 0,    /* "special" in the HTML5 parsing algorithm */
    G_SCOPE = 1 << 1,      /* ends the default scope */
    G_FORMATTING = 1 << 2, /* goes on the list of active formatting elements */
    G_MARKER = 1 << 3,     /* pushes a marker onto that list */
    G_VOID = 1 << 4,       /* never on the stack */
    G_CLOSES_P = 1 << 5,   /* its start tag closes an open <p> */
    G_RAW = 1 << 6,        /* its content is text up to its end tag */
    G_NO_PUSH = 1 << 7,    /* merged or ignored in a fragment (html, body, ...) */
};

static unsigned guard_flags(GumboTag t)
{
    switch (t) {
    case GUMBO_TAG_A: case GUMBO_TAG_B: case GUMBO_TAG_BIG: case GUMBO_TAG_CODE:
    case GUMBO_TAG_EM: case GUMBO_TAG_FONT: case GUMBO_TAG_I: case GUMBO_TAG_NOBR:
    case GUMBO_TAG_S: case GUMBO_TAG_SMALL: case GUMBO_TAG_STRIKE: case GUMBO_TAG_STRONG:
    case GUMBO_TAG_TT: case GUMBO_TAG_U:
        return G_FORMATTING;
    case GUMBO_TAG_APPLET: case GUMBO_TAG_MARQUEE: case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_CAPTION: case GUMBO_TAG_TD: case GUMBO_TAG_TH: case GUMBO_TAG_TEMPLATE:
        return G_SPECIAL | G_SCOPE | G_MARKER;
    case GUMBO_TAG_TABLE:
        return G_SPECIAL | G_SCOPE | G_CLOSES_P;
    case GUMBO_TAG_TITLE: case GUMBO_TAG_TEXTAREA:
        return G_SPECIAL | G_RAW; /* RCDATA */
    case GUMBO_TAG_HTML:
        return G_SPECIAL | G_SCOPE | G_NO_PUSH;
    case GUMBO_TAG_BODY: case GUMBO_TAG_HEAD: case GUMBO_TAG_FRAMESET:
        return G_SPECIAL | G_NO_PUSH;
    case GUMBO_TAG_AREA: case GUMBO_TAG_BASE: case GUMBO_TAG_BASEFONT: case GUMBO_TAG_BGSOUND:
    case GUMBO_TAG_BR: case GUMBO_TAG_COL: case GUMBO_TAG_EMBED: case GUMBO_TAG_FRAME:
    case GUMBO_TAG_IMG: case GUMBO_TAG_INPUT: case GUMBO_TAG_KEYGEN: case GUMBO_TAG_LINK:
    case GUMBO_TAG_META: case GUMBO_TAG_PARAM: case GUMBO_TAG_SOURCE: case GUMBO_TAG_TRACK:
    case GUMBO_TAG_WBR: case GUMBO_TAG_ISINDEX: case GUMBO_TAG_MENUITEM:
        return G_SPECIAL | G_VOID;
    case GUMBO_TAG_IMAGE:
        return G_VOID;
    case GUMBO_TAG_HR:
        return G_SPECIAL | G_VOID | G_CLOSES_P;
    case GUMBO_TAG_ADDRESS: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_CENTER: case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_DIR: case GUMBO_TAG_DIV: case GUMBO_TAG_DL: case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_FIGURE: case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_HEADER: case GUMBO_TAG_HGROUP: case GUMBO_TAG_MAIN: case GUMBO_TAG_MENU:
    case GUMBO_TAG_NAV: case GUMBO_TAG_OL: case GUMBO_TAG_P: case GUMBO_TAG_SECTION:
    case GUMBO_TAG_SUMMARY: case GUMBO_TAG_UL: case GUMBO_TAG_H1: case GUMBO_TAG_H2:
    case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6:
    case GUMBO_TAG_PRE: case GUMBO_TAG_LISTING: case GUMBO_TAG_FORM:
        return G_SPECIAL | G_CLOSES_P;
    case GUMBO_TAG_XMP: case GUMBO_TAG_PLAINTEXT:
        return G_SPECIAL | G_CLOSES_P | G_RAW;
    case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_NOEMBED: case GUMBO_TAG_NOFRAMES:
        return G_SPECIAL | G_RAW;
    case GUMBO_TAG_BUTTON: case GUMBO_TAG_COLGROUP: case GUMBO_TAG_DD: case GUMBO_TAG_DT:
    case GUMBO_TAG_LI: case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_SELECT:
    case GUMBO_TAG_TBODY: case GUMBO_TAG_TFOOT: case GUMBO_TAG_THEAD: case GUMBO_TAG_TR:
        return G_SPECIAL;
    default:
        return 0;
    }
}

struct guard_el {
    uint32_t name;  /* a GumboTag, or 0x80000000 | hash for other names */
    uint8_t flags;  /* guard_flags() */
    bool fmt;       /* has an entry on the formatting list */
    bool marker;    /* pushed a marker onto that list */
};

struct guard_entry {
    uint32_t name, attrs; /* attrs: hash of the raw attribute text */
    int pos;              /* index on the stack, -1 when off it, -2 for a marker */
};

struct guard {
    const char *p, *end; /* the cursor */
    const char *copied;  /* input before this is already in OUT */
    struct buf *out;     /* the rewritten input, once something was cut */
    struct guard_el st[GUARD_DEPTH];
    unsigned depth;
    struct guard_entry list[GUARD_LIST];
    unsigned nlist, nfmt, offstack; /* entries, formatting entries, those off the stack */
    unsigned select;                /* select elements on the stack */
    const char *no_end[2];          /* past here there is no </svg> (0), </math> (1) */
};

static uint32_t hash_add(uint32_t h, char c)
{
    return (h ^ (unsigned char)c) * 16777619u; /* FNV-1a */
}

static bool el_is(const struct guard_el *el, GumboTag t)
{
    return el->name == (uint32_t)t;
}

static void list_remove(struct guard *g, unsigned i)
{
    struct guard_entry *e = &g->list[i];
    if (e->pos != -2) {
        g->nfmt--;
        if (e->pos == -1)
            g->offstack--;
        else
            g->st[e->pos].fmt = false;
    }
    memmove(e, e + 1, (g->nlist - i - 1) * sizeof(*e));
    g->nlist--;
}

/*
 * Gumbo clears the list back to the last marker when a cell, caption,
 * applet, marquee, object or template closes.
 */
static void clear_to_marker(struct guard *g)
{
    while (g->nlist > 0) {
        bool marker = g->list[g->nlist - 1].pos == -2;
        list_remove(g, g->nlist - 1);
        if (marker)
            break;
    }
}

/* Pop the stack down to K elements. */
static void pop_to(struct guard *g, unsigned k)
{
    while (g->depth > k) {
        struct guard_el *el = &g->st[--g->depth];
        if (el->fmt) {
            for (unsigned i = 0; i < g->nlist; i++) {
                if (g->list[i].pos == (int)g->depth) {
                    g->list[i].pos = -1; /* stays on the list: gumbo may reconstruct it */
                    g->offstack++;
                    break;
                }
            }
        }
        if (el->marker)
            clear_to_marker(g);
        if (el_is(el, GUMBO_TAG_SELECT))
            g->select--;
    }
}

static void push(struct guard *g, uint32_t name, unsigned flags)
{
    struct guard_el *el = &g->st[g->depth++];
    el->name = name;
    el->flags = (uint8_t)flags;
    el->fmt = false;
    el->marker = false;
    if (name == GUMBO_TAG_SELECT)
        g->select++;
}

/* Index of the latest formatting entry NAME after the last marker, or -1. */
static int list_find(const struct guard *g, uint32_t name)
{
    for (unsigned i = g->nlist; i-- > 0;) {
        if (g->list[i].pos == -2)
            break;
        if (g->list[i].name == name)
            return (int)i;
    }
    return -1;
}

/*
 * Find an open NAME, walking down from the top and giving up at a scope
 * boundary (or at any special element when SPECIAL_STOPS).
 */
static int find_open(const struct guard *g, uint32_t name, unsigned stop, GumboTag also)
{
    for (unsigned k = g->depth; k-- > 0;) {
        const struct guard_el *el = &g->st[k];
        if (el->name == name)
            return (int)k;
        if ((el->flags & stop) || el_is(el, also))
            return -1;
    }
    return -1;
}

static void close_p(struct guard *g)
{
    int k = find_open(g, GUMBO_TAG_P, G_SCOPE, GUMBO_TAG_BUTTON);
    if (k >= 0)
        pop_to(g, (unsigned)k);
}

/* The innermost table-structure element, or -1. */
static int table_part(const struct guard *g)
{
    for (unsigned k = g->depth; k-- > 0;) {
        switch ((GumboTag)g->st[k].name) {
        case GUMBO_TAG_TD: case GUMBO_TAG_TH: case GUMBO_TAG_TR: case GUMBO_TAG_TBODY:
        case GUMBO_TAG_THEAD: case GUMBO_TAG_TFOOT: case GUMBO_TAG_TABLE:
        case GUMBO_TAG_CAPTION: case GUMBO_TAG_HTML: case GUMBO_TAG_TEMPLATE:
            return (int)k;
        default:
            break;
        }
    }
    return -1;
}

static bool part_is(const struct guard *g, int k, GumboTag a, GumboTag b, GumboTag c)
{
    return k >= 0 && (el_is(&g->st[k], a) || el_is(&g->st[k], b) || el_is(&g->st[k], c));
}

/*
 * A formatting end tag whose entry is I.  Only the simple case of the
 * adoption agency is modelled; in the others nothing is popped.
 */
static void end_formatting(struct guard *g, unsigned i)
{
    int pos = g->list[i].pos;
    if (pos < 0) { /* not on the stack: gumbo just forgets it */
        list_remove(g, i);
        return;
    }
    for (unsigned k = g->depth; k-- > (unsigned)pos + 1;)
        if (g->st[k].flags & (G_SPECIAL | G_SCOPE))
            return; /* a furthest block, or out of scope */
    list_remove(g, i);
    pop_to(g, (unsigned)pos);
}

static void implied_closes(struct guard *g, GumboTag t, unsigned flags)
{
    int k;
    switch (t) {
    case GUMBO_TAG_LI: case GUMBO_TAG_DD: case GUMBO_TAG_DT:
        for (unsigned j = g->depth; j-- > 0;) {
            const struct guard_el *el = &g->st[j];
            bool match = t == GUMBO_TAG_LI ? el_is(el, GUMBO_TAG_LI)
                                           : el_is(el, GUMBO_TAG_DD) || el_is(el, GUMBO_TAG_DT);
            if (match) {
                pop_to(g, j);
                break;
            }
            if ((el->flags & G_SPECIAL) && !el_is(el, GUMBO_TAG_ADDRESS) &&
                !el_is(el, GUMBO_TAG_DIV) && !el_is(el, GUMBO_TAG_P))
                break;
        }
        close_p(g);
        break;
    case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3:
    case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6:
        close_p(g);
        if (g->depth > 0) {
            uint32_t top = g->st[g->depth - 1].name;
            if (top >= GUMBO_TAG_H1 && top <= GUMBO_TAG_H6)
                pop_to(g, g->depth - 1);
        }
        break;
    case GUMBO_TAG_A:
        if ((k = list_find(g, GUMBO_TAG_A)) >= 0)
            end_formatting(g, (unsigned)k);
        break;
    case GUMBO_TAG_BUTTON:
        if ((k = find_open(g, GUMBO_TAG_BUTTON, G_SCOPE, GUMBO_TAG_LAST)) >= 0)
            pop_to(g, (unsigned)k);
        break;
    case GUMBO_TAG_TD: case GUMBO_TAG_TH: case GUMBO_TAG_TR:
    case GUMBO_TAG_TBODY: case GUMBO_TAG_THEAD: case GUMBO_TAG_TFOOT:
        k = table_part(g);
        if (part_is(g, k, GUMBO_TAG_TD, GUMBO_TAG_TH, GUMBO_TAG_TD)) {
            pop_to(g, (unsigned)k); /* close the cell (clears to its marker) */
            k = table_part(g);
        }
        if (t == GUMBO_TAG_TD || t == GUMBO_TAG_TH)
            break;
        if (part_is(g, k, GUMBO_TAG_TR, GUMBO_TAG_TR, GUMBO_TAG_TR)) {
            pop_to(g, (unsigned)k);
            k = table_part(g);
        }
        if (t != GUMBO_TAG_TR && part_is(g, k, GUMBO_TAG_TBODY, GUMBO_TAG_THEAD, GUMBO_TAG_TFOOT))
            pop_to(g, (unsigned)k);
        break;
    case GUMBO_TAG_TABLE:
        k = table_part(g);
        if (part_is(g, k, GUMBO_TAG_TABLE, GUMBO_TAG_TBODY, GUMBO_TAG_TR) ||
            part_is(g, k, GUMBO_TAG_THEAD, GUMBO_TAG_TFOOT, GUMBO_TAG_TFOOT)) {
            while (k >= 0 && !el_is(&g->st[k], GUMBO_TAG_TABLE))
                k--;
            if (k >= 0)
                pop_to(g, (unsigned)k); /* a table in a table closes the first */
        }
        close_p(g);
        break;
    case GUMBO_TAG_OPTION: case GUMBO_TAG_OPTGROUP:
        if (g->depth > 0 && el_is(&g->st[g->depth - 1], GUMBO_TAG_OPTION))
            pop_to(g, g->depth - 1);
        if (t == GUMBO_TAG_OPTGROUP && g->depth > 0 &&
            el_is(&g->st[g->depth - 1], GUMBO_TAG_OPTGROUP))
            pop_to(g, g->depth - 1);
        break;
    default:
        if (flags & G_CLOSES_P)
            close_p(g);
        break;
    }
}

/* A start tag.  Returns false when it must be cut out. */
static bool guard_start(struct guard *g, GumboTag t, uint32_t name, uint32_t attrs)
{
    unsigned flags = guard_flags(t);
    bool quiet = g->select > 0; /* gumbo ignores most tags there: model nothing */
    if (!quiet && (flags & G_NO_PUSH))
        return true;
    if (flags & G_VOID)
        return true; /* never on the stack; closes nothing we rely on */
    unsigned phantoms = 0; /* the tbody and tr gumbo may insert */
    if (t == GUMBO_TAG_TD || t == GUMBO_TAG_TH)
        phantoms = 2;
    else if (t == GUMBO_TAG_TR)
        phantoms = 1;
    if (g->depth + g->offstack + 1 + phantoms > GUARD_DEPTH)
        return false;
    bool fmt = !quiet && (flags & G_FORMATTING);
    unsigned same = 0, first = 0;
    if (fmt) { /* the Noah's Ark clause: at most three identical entries */
        for (unsigned i = g->nlist; i-- > 0 && g->list[i].pos != -2;) {
            if (g->list[i].name == name && g->list[i].attrs == attrs) {
                same++;
                first = i;
            }
        }
        if (same < 3 && g->nfmt >= GUARD_FORMATTING)
            return false;
    }
    if (!quiet)
        implied_closes(g, t, flags);
    if (!quiet && (t == GUMBO_TAG_TD || t == GUMBO_TAG_TH || t == GUMBO_TAG_TR)) {
        int k = table_part(g);
        if (t != GUMBO_TAG_TR && !part_is(g, k, GUMBO_TAG_TR, GUMBO_TAG_TR, GUMBO_TAG_TR)) {
            if (!part_is(g, k, GUMBO_TAG_TBODY, GUMBO_TAG_THEAD, GUMBO_TAG_TFOOT))
                push(g, GUMBO_TAG_TBODY, guard_flags(GUMBO_TAG_TBODY));
            push(g, GUMBO_TAG_TR, guard_flags(GUMBO_TAG_TR));
        } else if (t == GUMBO_TAG_TR &&
                   !part_is(g, k, GUMBO_TAG_TBODY, GUMBO_TAG_THEAD, GUMBO_TAG_TFOOT)) {
            push(g, GUMBO_TAG_TBODY, guard_flags(GUMBO_TAG_TBODY));
        }
    }
    if (same >= 3) {
        /* the first of them may have moved; find it again */
        same = 0;
        for (unsigned i = g->nlist; i-- > 0 && g->list[i].pos != -2;) {
            if (g->list[i].name == name && g->list[i].attrs == attrs) {
                same++;
                first = i;
            }
        }
        if (same >= 3)
            list_remove(g, first);
    }
    push(g, name, flags);
    if (fmt) {
        g->list[g->nlist++] = (struct guard_entry){name, attrs, (int)g->depth - 1};
        g->st[g->depth - 1].fmt = true;
        g->nfmt++;
    }
    if (!quiet && (flags & G_MARKER)) {
        g->list[g->nlist++] = (struct guard_entry){0, 0, -2};
        g->st[g->depth - 1].marker = true;
    }
    return true;
}

static void guard_end(struct guard *g, GumboTag t, uint32_t name)
{
    unsigned flags = guard_flags(t);
    int k;
    if (g->select) { /* in a select, gumbo ignores most end tags */
        if (t == GUMBO_TAG_SELECT && (k = find_open(g, name, 0, GUMBO_TAG_LAST)) >= 0)
            pop_to(g, (unsigned)k);
        else if ((t == GUMBO_TAG_OPTION || t == GUMBO_TAG_OPTGROUP) && g->depth > 0 &&
                 el_is(&g->st[g->depth - 1], t))
            pop_to(g, g->depth - 1);
        return;
    }
    if ((flags & G_FORMATTING) && (k = list_find(g, name)) >= 0) {
        end_formatting(g, (unsigned)k);
        return;
    }
    if (flags & G_SPECIAL) {
        bool table = t == GUMBO_TAG_TABLE || t == GUMBO_TAG_TBODY || t == GUMBO_TAG_THEAD ||
                     t == GUMBO_TAG_TFOOT || t == GUMBO_TAG_TR || t == GUMBO_TAG_TD ||
                     t == GUMBO_TAG_TH || t == GUMBO_TAG_CAPTION;
        for (unsigned j = g->depth; j-- > 0;) {
            const struct guard_el *el = &g->st[j];
            if (el->name == name) {
                pop_to(g, j);
                return;
            }
            if (table ? el_is(el, GUMBO_TAG_TABLE) || el_is(el, GUMBO_TAG_TEMPLATE)
                      : (el->flags & G_SCOPE) ||
                            (t == GUMBO_TAG_LI && (el_is(el, GUMBO_TAG_UL) ||
                                                   el_is(el, GUMBO_TAG_OL))) ||
                            (t == GUMBO_TAG_P && el_is(el, GUMBO_TAG_BUTTON)))
                return;
        }
        return;
    }
    /* any other end tag: the nearest open one, unless a special element is in the way */
    if ((k = find_open(g, name, G_SPECIAL | G_SCOPE, GUMBO_TAG_LAST)) >= 0)
        pop_to(g, (unsigned)k);
}

/* Copy the input up to UPTO into the rewritten copy, starting it if need be. */
static void guard_copy_to(struct guard *g, const char *upto)
{
    buf_add(g->out, g->copied, (size_t)(upto - g->copied));
    g->copied = upto;
}

/*
 * One attribute of a tag at *POS: its name and its whole raw text.  Returns
 * 1 for an attribute, 0 at the end of the tag (after '>'), -1 when the input
 * ends inside the tag (the tokenizer then drops the tag).
 */
static int next_attr(const char **pos, const char *e, struct str *name, struct str *raw,
                     bool *self_closing)
{
    const char *p = *pos;
    for (;;) {
        while (p < e && is_space(*p))
            p++;
        if (p == e)
            return -1;
        if (*p == '>') {
            *pos = p + 1;
            return 0;
        }
        if (*p != '/')
            break;
        p++;
        if (p < e && *p == '>') {
            *self_closing = true;
            *pos = p + 1;
            return 0;
        }
    }
    const char *start = p++; /* the first character may be anything, even '=' */
    while (p < e && !is_space(*p) && *p != '/' && *p != '>' && *p != '=')
        p++;
    *name = str_make(start, (size_t)(p - start));
    const char *name_end = p;
    while (p < e && is_space(*p))
        p++;
    if (p < e && *p == '=') {
        p++;
        while (p < e && is_space(*p))
            p++;
        if (p == e)
            return -1;
        if (*p == '"' || *p == '\'') {
            const char *close = memchr(p + 1, *p, (size_t)(e - p - 1));
            if (close == NULL)
                return -1;
            p = close + 1;
        } else {
            while (p < e && !is_space(*p) && *p != '>')
                p++;
        }
        name_end = p;
    }
    *raw = str_make(start, (size_t)(name_end - start));
    *pos = name_end;
    return 1;
}

static bool attr_is_kept(struct str name)
{
    for (size_t i = 0; i < MH_ARRAY_LEN(kept_attrs); i++)
        if (strlen(kept_attrs[i]) == name.len && eq_nocase(kept_attrs[i], name.ptr, name.len))
            return true;
    return false;
}

/* Write the tag at START with only the first of each kept attribute. */
static void guard_rewrite(struct guard *g, const char *start, struct str tag, bool end_tag,
                          const char *attrs, const char *tag_end)
{
    struct str seen[GUARD_ATTRS];
    size_t nseen = 0;
    struct str name, raw;
    bool self_closing = false;
    guard_copy_to(g, start);
    buf_adds(g->out, end_tag ? "</" : "<");
    buf_addstr(g->out, tag);
    while (!end_tag && next_attr(&attrs, tag_end, &name, &raw, &self_closing) == 1) {
        bool dup = false;
        for (size_t i = 0; i < nseen; i++)
            dup |= seen[i].len == name.len && eq_nocase(seen[i].ptr, name.ptr, name.len);
        if (dup || !attr_is_kept(name) || nseen == GUARD_ATTRS)
            continue;
        seen[nseen++] = name;
        buf_addc(g->out, ' ');
        buf_addstr(g->out, raw);
    }
    buf_adds(g->out, self_closing ? "/>" : ">");
    g->copied = tag_end;
}

/* Where the raw text of an element NAME ends: at "</name" and a delimiter. */
static const char *raw_end(const char *p, const char *e, struct str name)
{
    while ((p = memchr(p, '<', (size_t)(e - p))) != NULL) {
        if ((size_t)(e - p) > name.len + 2 && p[1] == '/' &&
            eq_nocase(p + 2, name.ptr, name.len)) {
            char d = p[2 + name.len];
            if (is_space(d) || d == '/' || d == '>')
                return p;
        }
        p++;
    }
    return e;
}

/*
 * Just past the end tag that closes the svg or math element whose start tag
 * ends at P, or NULL when there is none (then NO_END remembers where the
 * search began, so that unclosed elements cost one scan, not one each).
 */
static const char *foreign_end(struct guard *g, const char *p, struct str name, int which)
{
    const char *start = p, *e = g->end;
    unsigned depth = 1;
    if (g->no_end[which] && p >= g->no_end[which])
        return NULL;
    while ((p = memchr(p, '<', (size_t)(e - p))) != NULL) {
        const char *q = p + 1;
        bool close = q < e && *q == '/';
        q += close;
        if ((size_t)(e - q) <= name.len || !eq_nocase(q, name.ptr, name.len) ||
            !(is_space(q[name.len]) || q[name.len] == '/' || q[name.len] == '>')) {
            p++;
            continue;
        }
        struct str aname, raw;
        bool self_closing = false;
        int r;
        p = q + name.len;
        while ((r = next_attr(&p, e, &aname, &raw, &self_closing)) == 1)
            continue;
        if (r < 0)
            break;
        if (close && --depth == 0)
            return p;
        depth += !close && !self_closing;
    }
    g->no_end[which] = start;
    return NULL;
}

/* A tag: NAME points just after "<" or "</". */
static void guard_tag(struct guard *g, const char *start, const char *name, bool end_tag)
{
    const char *p = name, *e = g->end;
    while (p < e && !is_space(*p) && *p != '/' && *p != '>')
        p++;
    if (p == e) { /* the input ends in the tag: the tokenizer drops it */
        g->p = e;
        return;
    }
    struct str tag = str_make(name, (size_t)(p - name));
    const char *attrs = p;
    struct str aname, raw;
    bool self_closing = false;
    unsigned nattrs = 0;
    int r;
    while ((r = next_attr(&p, e, &aname, &raw, &self_closing)) == 1)
        nattrs++;
    if (r < 0) {
        g->p = e;
        return;
    }
    uint32_t attrs_hash = 2166136261u;
    for (const char *q = attrs; q < p; q++)
        attrs_hash = hash_add(attrs_hash, *q);

    char low[16] = {0};
    GumboTag t = GUMBO_TAG_UNKNOWN;
    if (tag.len < sizeof(low)) {
        for (size_t i = 0; i < tag.len; i++)
            low[i] = lower(tag.ptr[i]);
        t = gumbo_tagn_enum(low, (unsigned)tag.len);
    }
    uint32_t id = (uint32_t)t;
    if (t == GUMBO_TAG_UNKNOWN) {
        id = 2166136261u;
        for (size_t i = 0; i < tag.len; i++)
            id = hash_add(id, lower(tag.ptr[i]));
        id |= 0x80000000u;
    }

    if (!end_tag && (t == GUMBO_TAG_SVG || t == GUMBO_TAG_MATH)) {
        /*
         * Both are dropped with all they hold, and gumbo 0.10.1 fails its own
         * assertions (abort) on foreign content in tables, selects and
         * integration points.  So gumbo never sees any: the element goes up to
         * its end tag, or just its start tag when it has none.
         */
        bool math = t == GUMBO_TAG_MATH;
        const char *stop =
            self_closing ? p : foreign_end(g, p, math ? STR_LIT("math") : STR_LIT("svg"), math);
        guard_copy_to(g, start);
        g->copied = g->p = stop ? stop : p;
        return;
    }
    bool raw_text = false;
    if (end_tag) {
        guard_end(g, t, id);
    } else {
        raw_text = !g->select && (guard_flags(t) & G_RAW);
        if (!guard_start(g, t, id, attrs_hash)) {
            guard_copy_to(g, start); /* cut the tag, keep what follows */
            g->copied = p;
            g->p = p;
            return;
        }
    }
    if (nattrs > GUARD_ATTRS || (end_tag && nattrs > 0))
        guard_rewrite(g, start, tag, end_tag, attrs, p);
    g->p = p;
    if (raw_text)
        g->p = t == GUMBO_TAG_PLAINTEXT ? e : raw_end(p, e, tag);
}

/* Skip from "<!" (comments, doctypes, CDATA) or "<?" to the end of it. */
static void guard_bogus(struct guard *g, const char *q)
{
    const char *e = g->end;
    if (e - q >= 3 && q[0] == '!' && q[1] == '-' && q[2] == '-') {
        const char *c = q + 3;
        if (c < e && *c == '>') {
            g->p = c + 1;
            return;
        }
        if (e - c >= 2 && c[0] == '-' && c[1] == '>') {
            g->p = c + 2;
            return;
        }
        while ((c = memchr(c, '-', (size_t)(e - c))) != NULL) {
            if (e - c >= 3 && c[1] == '-' && c[2] == '>') {
                g->p = c + 3;
                return;
            }
            if (e - c >= 4 && c[1] == '-' && c[2] == '!' && c[3] == '>') {
                g->p = c + 4;
                return;
            }
            c++;
        }
        g->p = e;
        return;
    }
    const char *gt = memchr(q, '>', (size_t)(e - q));
    g->p = gt ? gt + 1 : e;
}

/*
 * Run the guard over IN.  *OUT is IN itself, or the rewritten copy in
 * COPY (a heap buffer the caller releases either way).
 */
static void guard_run(struct str in, struct buf *copy, struct str *out)
{
    struct guard *g = mh_calloc(1, sizeof(*g));
    g->p = g->copied = in.ptr;
    g->end = in.ptr + in.len;
    g->out = copy;
    while (g->p < g->end) {
        const char *lt = memchr(g->p, '<', (size_t)(g->end - g->p));
        if (lt == NULL || g->end - lt < 2)
            break;
        const char *q = lt + 1;
        if (*q == '!' || *q == '?') {
            guard_bogus(g, q);
        } else if (*q == '/') {
            if (g->end - q >= 2 && is_alpha(q[1]))
                guard_tag(g, lt, q + 1, true);
            else if (g->end - q >= 2 && q[1] == '>')
                g->p = q + 2;
            else if (g->end - q >= 2)
                guard_bogus(g, q);
            else
                g->p = g->end;
        } else if (is_alpha(*q)) {
            guard_tag(g, lt, q, false);
        } else {
            g->p = q;
        }
    }
    if (g->copied != in.ptr) {
        guard_copy_to(g, g->end);
        *out = buf_str(copy);
    } else {
        *out = in;
    }
    free(g);
}

/*
 * ===========================================================================
 * The allow-list
 * ===========================================================================
 */

enum kind {
    K_UNWRAP = 0, /* not ours but harmless: drop the tag, keep the children */
    K_DROP,       /* drop it with everything inside */
    K_INLINE,
    K_BLOCK,
    K_LI,
    K_DTDD,
    K_FIGCAPTION,
    K_CAPTION,
    K_TSECTION, /* thead tbody tfoot */
    K_TR,
    K_CELL,
    K_SOURCE,
    K_COUNT
};

/* What the children of an element may be. */
enum ctx {
    C_FLOW,     /* blocks and inline content */
    C_LIST,     /* ul ol: flow and li */
    C_DL,       /* flow and dt dd */
    C_FIGURE,   /* flow and figcaption */
    C_PHRASE,   /* inline content only */
    C_MEDIA,    /* video audio: inline content and source */
    C_TABLE,    /* caption thead tbody tfoot */
    C_TSECTION, /* tr */
    C_TR,       /* td th */
};

#define CTX(c) (1u << (c))
#define CTX_FLOWING (CTX(C_FLOW) | CTX(C_LIST) | CTX(C_DL) | CTX(C_FIGURE))
#define CTX_TABULAR (CTX(C_TABLE) | CTX(C_TSECTION) | CTX(C_TR))

static const unsigned allowed_in[K_COUNT] = {
    [K_INLINE] = CTX_FLOWING | CTX(C_PHRASE) | CTX(C_MEDIA),
    [K_BLOCK] = CTX_FLOWING,
    [K_LI] = CTX(C_LIST),
    [K_DTDD] = CTX(C_DL),
    [K_FIGCAPTION] = CTX(C_FIGURE),
    [K_CAPTION] = CTX(C_TABLE),
    [K_TSECTION] = CTX(C_TABLE),
    [K_TR] = CTX(C_TSECTION),
    [K_CELL] = CTX(C_TR),
    [K_SOURCE] = CTX(C_MEDIA),
};

struct rule {
    const char *name; /* as written out */
    uint8_t kind;     /* enum kind */
    uint8_t inner;    /* enum ctx of the children */
    uint8_t need;     /* depth it needs for itself and its required children */
    bool is_void;
};

#define BLOCK(n, in) {n, K_BLOCK, in, 1, false}
#define INLINE(n) {n, K_INLINE, C_PHRASE, 1, false}
#define DROP {NULL, K_DROP, 0, 0, false}

static const struct rule rules[GUMBO_TAG_LAST] = {
    [GUMBO_TAG_P] = BLOCK("p", C_PHRASE),
    [GUMBO_TAG_H1] = BLOCK("h2", C_PHRASE),
    [GUMBO_TAG_H2] = BLOCK("h2", C_PHRASE),
    [GUMBO_TAG_H3] = BLOCK("h3", C_PHRASE),
    [GUMBO_TAG_H4] = BLOCK("h4", C_PHRASE),
    [GUMBO_TAG_H5] = BLOCK("h5", C_PHRASE),
    [GUMBO_TAG_H6] = BLOCK("h6", C_PHRASE),
    [GUMBO_TAG_PRE] = BLOCK("pre", C_PHRASE),
    [GUMBO_TAG_BLOCKQUOTE] = BLOCK("blockquote", C_FLOW),
    [GUMBO_TAG_DIV] = BLOCK("div", C_FLOW),
    [GUMBO_TAG_FIGURE] = BLOCK("figure", C_FIGURE),
    [GUMBO_TAG_UL] = {"ul", K_BLOCK, C_LIST, 2, false},
    [GUMBO_TAG_OL] = {"ol", K_BLOCK, C_LIST, 2, false},
    [GUMBO_TAG_DL] = {"dl", K_BLOCK, C_DL, 2, false},
    [GUMBO_TAG_TABLE] = {"table", K_BLOCK, C_TABLE, 4, false}, /* table tbody tr td */
    [GUMBO_TAG_HR] = {"hr", K_BLOCK, C_FLOW, 1, true},
    [GUMBO_TAG_LI] = {"li", K_LI, C_FLOW, 1, false},
    [GUMBO_TAG_DT] = {"dt", K_DTDD, C_FLOW, 1, false},
    [GUMBO_TAG_DD] = {"dd", K_DTDD, C_FLOW, 1, false},
    [GUMBO_TAG_FIGCAPTION] = {"figcaption", K_FIGCAPTION, C_FLOW, 1, false},
    [GUMBO_TAG_CAPTION] = {"caption", K_CAPTION, C_FLOW, 1, false},
    [GUMBO_TAG_THEAD] = {"thead", K_TSECTION, C_TSECTION, 1, false},
    [GUMBO_TAG_TBODY] = {"tbody", K_TSECTION, C_TSECTION, 1, false},
    [GUMBO_TAG_TFOOT] = {"tfoot", K_TSECTION, C_TSECTION, 1, false},
    [GUMBO_TAG_TR] = {"tr", K_TR, C_TR, 1, false},
    [GUMBO_TAG_TD] = {"td", K_CELL, C_FLOW, 1, false},
    [GUMBO_TAG_TH] = {"th", K_CELL, C_FLOW, 1, false},
    [GUMBO_TAG_A] = INLINE("a"),
    [GUMBO_TAG_STRONG] = INLINE("strong"),
    [GUMBO_TAG_B] = INLINE("b"),
    [GUMBO_TAG_EM] = INLINE("em"),
    [GUMBO_TAG_I] = INLINE("i"),
    [GUMBO_TAG_U] = INLINE("u"),
    [GUMBO_TAG_S] = INLINE("s"),
    [GUMBO_TAG_SUB] = INLINE("sub"),
    [GUMBO_TAG_SUP] = INLINE("sup"),
    [GUMBO_TAG_SMALL] = INLINE("small"),
    [GUMBO_TAG_MARK] = INLINE("mark"),
    [GUMBO_TAG_ABBR] = INLINE("abbr"),
    [GUMBO_TAG_CITE] = INLINE("cite"),
    [GUMBO_TAG_Q] = INLINE("q"),
    [GUMBO_TAG_CODE] = INLINE("code"),
    [GUMBO_TAG_KBD] = INLINE("kbd"),
    [GUMBO_TAG_SPAN] = INLINE("span"),
    [GUMBO_TAG_BR] = {"br", K_INLINE, C_PHRASE, 1, true},
    [GUMBO_TAG_IMG] = {"img", K_INLINE, C_PHRASE, 1, true},
    [GUMBO_TAG_VIDEO] = {"video", K_INLINE, C_MEDIA, 1, false},
    [GUMBO_TAG_AUDIO] = {"audio", K_INLINE, C_MEDIA, 1, false},
    [GUMBO_TAG_SOURCE] = {"source", K_SOURCE, C_PHRASE, 1, true},
    /*
     * gone with their content: scripts, styles, embedded documents, form
     * controls with values, and what belongs in <head>
     */
    [GUMBO_TAG_SCRIPT] = DROP, [GUMBO_TAG_STYLE] = DROP, [GUMBO_TAG_TEMPLATE] = DROP,
    [GUMBO_TAG_NOSCRIPT] = DROP, [GUMBO_TAG_IFRAME] = DROP, [GUMBO_TAG_OBJECT] = DROP,
    [GUMBO_TAG_EMBED] = DROP, [GUMBO_TAG_APPLET] = DROP, [GUMBO_TAG_PARAM] = DROP,
    [GUMBO_TAG_NOEMBED] = DROP, [GUMBO_TAG_NOFRAMES] = DROP, [GUMBO_TAG_FRAMESET] = DROP,
    [GUMBO_TAG_FRAME] = DROP, [GUMBO_TAG_SVG] = DROP, [GUMBO_TAG_MATH] = DROP,
    [GUMBO_TAG_TITLE] = DROP, [GUMBO_TAG_HEAD] = DROP, [GUMBO_TAG_META] = DROP,
    [GUMBO_TAG_LINK] = DROP, [GUMBO_TAG_BASE] = DROP, [GUMBO_TAG_TEXTAREA] = DROP,
    [GUMBO_TAG_SELECT] = DROP, [GUMBO_TAG_DATALIST] = DROP, [GUMBO_TAG_INPUT] = DROP,
    [GUMBO_TAG_KEYGEN] = DROP, [GUMBO_TAG_TRACK] = DROP, [GUMBO_TAG_AREA] = DROP,
    [GUMBO_TAG_BGSOUND] = DROP, [GUMBO_TAG_COLGROUP] = DROP, [GUMBO_TAG_COL] = DROP,
    [GUMBO_TAG_ISINDEX] = DROP, [GUMBO_TAG_WBR] = DROP,
};

/* Where text mode puts a line break; the walk's flattening uses it too. */
static bool is_block_tag(GumboTag t)
{
    switch (t) {
    case GUMBO_TAG_P: case GUMBO_TAG_DIV: case GUMBO_TAG_H1: case GUMBO_TAG_H2:
    case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6:
    case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_UL: case GUMBO_TAG_OL: case GUMBO_TAG_LI:
    case GUMBO_TAG_DL: case GUMBO_TAG_DT: case GUMBO_TAG_DD: case GUMBO_TAG_PRE:
    case GUMBO_TAG_HR: case GUMBO_TAG_BR: case GUMBO_TAG_FIGURE: case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_TABLE: case GUMBO_TAG_CAPTION: case GUMBO_TAG_THEAD: case GUMBO_TAG_TBODY:
    case GUMBO_TAG_TFOOT: case GUMBO_TAG_TR: case GUMBO_TAG_ADDRESS: case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_ASIDE: case GUMBO_TAG_HEADER: case GUMBO_TAG_FOOTER: case GUMBO_TAG_SECTION:
    case GUMBO_TAG_NAV: case GUMBO_TAG_MAIN: case GUMBO_TAG_DETAILS: case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_FIELDSET: case GUMBO_TAG_LEGEND: case GUMBO_TAG_CENTER: case GUMBO_TAG_DIR:
    case GUMBO_TAG_MENU: case GUMBO_TAG_HGROUP: case GUMBO_TAG_LISTING: case GUMBO_TAG_XMP:
    case GUMBO_TAG_PLAINTEXT: case GUMBO_TAG_FORM: case GUMBO_TAG_VIDEO: case GUMBO_TAG_AUDIO:
        return true;
    default:
        return false;
    }
}

/* The rule for an element; anything outside HTML (svg, math) is dropped. */
static const struct rule *rule_of(const GumboNode *n)
{
    static const struct rule drop = DROP, unwrap = {NULL, K_UNWRAP, 0, 0, false};
    if (n->type != GUMBO_NODE_ELEMENT || n->v.element.tag_namespace != GUMBO_NAMESPACE_HTML)
        return &drop;
    GumboTag t = n->v.element.tag;
    return t < GUMBO_TAG_LAST ? &rules[t] : &unwrap;
}

/*
 * ===========================================================================
 * Attributes
 * ===========================================================================
 */

enum url_kind { URL_BAD, URL_RELATIVE, URL_ABSOLUTE, URL_MAILTO };

/*
 * Put URL into CLEAN without C0 controls and DEL (browsers ignore tabs and
 * newlines inside URLs, and strip the others at the ends) and without
 * spaces at either end, then classify it.  Anything with a scheme other
 * than http, https or mailto is bad, and so is anything with a ':' before
 * its first '/', '?' or '#' that is not such a scheme.
 */
static enum url_kind url_clean(const char *url, struct buf *clean)
{
    buf_reset(clean);
    for (const char *p = url; *p; p++)
        if ((unsigned char)*p >= 0x20 && *p != 0x7f)
            buf_addc(clean, *p);
    struct str s = str_trim(buf_str(clean));
    if (clean->err || s.len == 0)
        return URL_BAD;
    memmove(clean->data, s.ptr, s.len);
    buf_truncate(clean, s.len);
    s = buf_str(clean);
    for (size_t i = 0; i < s.len; i++) {
        char c = s.ptr[i];
        if (c == '/' || c == '?' || c == '#' || c == '\\')
            break;
        if (c != ':')
            continue;
        if (i == 4 && eq_nocase(s.ptr, "http", 4))
            return URL_ABSOLUTE;
        if (i == 5 && eq_nocase(s.ptr, "https", 5))
            return URL_ABSOLUTE;
        if (i == 6 && eq_nocase(s.ptr, "mailto", 6))
            return URL_MAILTO;
        return URL_BAD; /* javascript:, vbscript:, data:, anything else */
    }
    if (s.len >= 2 && (s.ptr[0] == '/' || s.ptr[0] == '\\') &&
        (s.ptr[1] == '/' || s.ptr[1] == '\\'))
        return URL_ABSOLUTE; /* //host: another site */
    return URL_RELATIVE;
}

struct walk {
    struct buf *out;
    struct buf scratch; /* a cleaned URL or class list */
    bool word_end;      /* the last text ended in a word, and no block came since */
    bool want_break;    /* a block lost its tag there: keep the words apart */
};

static const char *attr_of(const GumboNode *n, const char *name)
{
    GumboAttribute *a = gumbo_get_attribute(&n->v.element.attributes, name);
    return a ? a->value : NULL;
}

static void put_attr(struct walk *w, const char *name, struct str value)
{
    buf_addc(w->out, ' ');
    buf_adds(w->out, name);
    buf_adds(w->out, "=\"");
    put_text(w->out, value, true);
    buf_addc(w->out, '"');
}

static void put_text_attr(struct walk *w, const GumboNode *n, const char *name)
{
    const char *v = attr_of(n, name);
    if (v)
        put_attr(w, name, str_c(v));
}

/* A URL attribute; returns its kind (URL_BAD: not written). */
static enum url_kind put_url_attr(struct walk *w, const GumboNode *n, const char *name,
                                  bool mailto_ok)
{
    const char *v = attr_of(n, name);
    if (v == NULL)
        return URL_BAD;
    enum url_kind k = url_clean(v, &w->scratch);
    if (k == URL_BAD || (k == URL_MAILTO && !mailto_ok))
        return URL_BAD;
    put_attr(w, name, buf_str(&w->scratch));
    return k;
}

/* A number of at most MAX_DIGITS digits, written as given. */
static void put_number_attr(struct walk *w, const GumboNode *n, const char *name,
                            size_t max_digits)
{
    const char *v = attr_of(n, name);
    if (v == NULL)
        return;
    size_t len = strlen(v);
    if (len == 0 || len > max_digits || strspn(v, "0123456789") != len)
        return;
    put_attr(w, name, str_make(v, len));
}

/* class: the tokens made of [a-z0-9_-] (at most 8, each at most 64 bytes). */
static void put_class_attr(struct walk *w, const GumboNode *n)
{
    const char *v = attr_of(n, "class");
    if (v == NULL)
        return;
    buf_reset(&w->scratch);
    unsigned count = 0;
    while (*v && count < 8) {
        while (is_space(*v))
            v++;
        size_t len = strcspn(v, " \t\n\r\f");
        if (len == 0)
            break;
        if (len <= 64 && strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789_-") >= len) {
            if (count++)
                buf_addc(&w->scratch, ' ');
            buf_add(&w->scratch, v, len);
        }
        v += len;
    }
    if (count)
        put_attr(w, "class", buf_str(&w->scratch));
}

static void put_align_attr(struct walk *w, const GumboNode *n)
{
    static const char *const values[] = {"left", "center", "right"};
    const char *v = attr_of(n, "align");
    if (v == NULL)
        return;
    size_t len = strlen(v);
    for (size_t i = 0; i < MH_ARRAY_LEN(values); i++)
        if (len == strlen(values[i]) && eq_nocase(v, values[i], len))
            put_attr(w, "align", str_c(values[i]));
}

/*
 * Where a block lost its tag (not allowed there, or past the depth limit),
 * its words must not run into the neighbours': "<b><p>one</p><p>two</p></b>"
 * becomes "<b>one\ntwo</b>".  The newline goes in lazily, only between two
 * words, so that it is written the same way when the output is parsed again.
 */
static void settle_break(struct walk *w)
{
    if (w->want_break && w->word_end)
        buf_addc(w->out, '\n');
    w->want_break = false;
}

static void put_html_text(struct walk *w, const char *text)
{
    size_t len = strlen(text);
    if (len == 0)
        return;
    if (!is_space(text[0]))
        settle_break(w);
    put_text(w->out, str_make(text, len), true);
    w->word_end = !is_space(text[len - 1]);
}

enum open_result { OPENED, OPEN_UNWRAP, OPEN_DROP };

/* Write the start tag of N (rule R) with the attributes it may keep. */
static enum open_result open_tag(struct walk *w, const GumboNode *n, const struct rule *r)
{
    size_t mark;
    if (r->kind == K_INLINE || r->kind == K_SOURCE) {
        settle_break(w);
    } else {
        w->want_break = false; /* a block separates words anyway */
        w->word_end = false;
    }
    mark = w->out->len;
    buf_addc(w->out, '<');
    buf_adds(w->out, r->name);
    switch (n->v.element.tag) {
    case GUMBO_TAG_A: {
        enum url_kind k = put_url_attr(w, n, "href", true);
        if (k == URL_BAD) { /* a link to nowhere is just its text */
            buf_truncate(w->out, mark);
            return OPEN_UNWRAP;
        }
        put_text_attr(w, n, "title");
        if (k == URL_ABSOLUTE)
            buf_adds(w->out, " rel=\"noopener noreferrer nofollow\"");
        break;
    }
    case GUMBO_TAG_IMG:
        if (put_url_attr(w, n, "src", false) == URL_BAD) {
            buf_truncate(w->out, mark);
            return OPEN_DROP;
        }
        put_text_attr(w, n, "alt");
        put_text_attr(w, n, "title");
        put_number_attr(w, n, "width", 5);
        put_number_attr(w, n, "height", 5);
        buf_adds(w->out, " loading=\"lazy\"");
        break;
    case GUMBO_TAG_VIDEO:
        put_url_attr(w, n, "src", false);
        put_url_attr(w, n, "poster", false);
        put_number_attr(w, n, "width", 5);
        put_number_attr(w, n, "height", 5);
        buf_adds(w->out, " controls");
        break;
    case GUMBO_TAG_AUDIO:
        put_url_attr(w, n, "src", false);
        buf_adds(w->out, " controls");
        break;
    case GUMBO_TAG_SOURCE: {
        if (put_url_attr(w, n, "src", false) == URL_BAD) {
            buf_truncate(w->out, mark);
            return OPEN_DROP;
        }
        const char *type = attr_of(n, "type");
        size_t len = type ? strlen(type) : 0;
        if (len > 0 && len <= 64 &&
            strspn(type, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/+.-") ==
                len)
            put_attr(w, "type", str_make(type, len));
        break;
    }
    case GUMBO_TAG_TD: case GUMBO_TAG_TH:
        put_number_attr(w, n, "colspan", 4);
        put_number_attr(w, n, "rowspan", 4);
        put_align_attr(w, n);
        break;
    case GUMBO_TAG_OL:
        put_number_attr(w, n, "start", 9);
        break;
    case GUMBO_TAG_ABBR:
        put_text_attr(w, n, "title");
        break;
    case GUMBO_TAG_SPAN: case GUMBO_TAG_DIV: case GUMBO_TAG_CODE:
        put_class_attr(w, n);
        break;
    default:
        break;
    }
    buf_addc(w->out, '>');
    if (n->v.element.tag == GUMBO_TAG_PRE)
        buf_addc(w->out, '\n'); /* the parser eats one newline after <pre> */
    if (n->v.element.tag == GUMBO_TAG_BR)
        w->word_end = false;
    return OPENED;
}

/*
 * ===========================================================================
 * The walk: the tree, depth first, without recursion
 * ===========================================================================
 */

enum {
    F_IN_A = 1 << 0,     /* inside an <a> we wrote */
    F_IN_MEDIA = 1 << 1, /* inside a <video> or <audio> we wrote */
    F_FLAT = 1 << 2,     /* past the depth limit: text only */
    F_BREAK = 1 << 3,    /* a block without its tag: words apart when it ends */
    F_BLOCK = 1 << 4,    /* a block we wrote */
};

struct frame {
    const GumboNode *node;
    unsigned next;     /* the next child to visit */
    unsigned depth;    /* elements written and still open */
    const char *close; /* the end tag to write, if we wrote the start tag */
    uint8_t ctx;       /* enum ctx */
    uint8_t flags;
};

struct stack {
    struct frame *f;
    size_t len, cap;
};

static void stack_push(struct stack *s, struct frame f)
{
    if (s->len == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 64;
        s->f = mh_realloc(s->f, s->cap * sizeof(*s->f));
    }
    s->f[s->len++] = f;
}

static void visit_element(struct walk *w, struct stack *s, const GumboNode *n)
{
    struct frame parent = s->f[s->len - 1];
    const struct rule *r = rule_of(n);
    struct frame f = {n, 0, parent.depth, NULL, parent.ctx, parent.flags & ~(F_BREAK | F_BLOCK)};
    if (r->kind == K_DROP)
        return;
    if (parent.flags & F_FLAT) {
        bool block = is_block_tag(n->v.element.tag);
        w->want_break |= block;
        if (r->is_void)
            return;
        f.flags |= block ? F_BREAK : 0;
        stack_push(s, f);
        return;
    }
    bool fits = (allowed_in[r->kind] & CTX(parent.ctx)) != 0;
    if (n->v.element.tag == GUMBO_TAG_A && (parent.flags & F_IN_A))
        fits = false;
    if ((n->v.element.tag == GUMBO_TAG_VIDEO || n->v.element.tag == GUMBO_TAG_AUDIO) &&
        (parent.flags & F_IN_MEDIA))
        fits = false;
    if (r->kind == K_UNWRAP || !fits) {
        if (CTX(parent.ctx) & CTX_TABULAR)
            return; /* gumbo puts nothing else there; text would move on re-parse */
        if (is_block_tag(n->v.element.tag)) {
            w->want_break = true;
            f.flags |= F_BREAK;
        }
        stack_push(s, f);
        return;
    }
    if (parent.depth + r->need > MH_MAX_HTML_DEPTH) {
        if (CTX(parent.ctx) & CTX_TABULAR)
            return; /* cannot happen: a table reserves depth for its parts */
        w->want_break = true;
        f.flags |= F_FLAT | F_BREAK;
        stack_push(s, f);
        return;
    }
    switch (open_tag(w, n, r)) {
    case OPEN_DROP:
        return;
    case OPEN_UNWRAP:
        stack_push(s, f);
        return;
    case OPENED:
        break;
    }
    if (r->is_void)
        return;
    f.depth = parent.depth + 1;
    f.close = r->name;
    f.ctx = r->inner;
    if (r->kind != K_INLINE)
        f.flags |= F_BLOCK;
    if (n->v.element.tag == GUMBO_TAG_A)
        f.flags |= F_IN_A;
    if (r->inner == C_MEDIA)
        f.flags |= F_IN_MEDIA;
    stack_push(s, f);
}

/* Write the sanitized form of ROOT's children to OUT. */
static void walk_html(const GumboNode *root, struct buf *out)
{
    struct walk w = {out, {0}, false, false};
    struct stack s = {0};
    buf_init(&w.scratch, NULL, MH_MAX_BODY);
    stack_push(&s, (struct frame){root, 0, 0, NULL, C_FLOW, 0});
    while (s.len > 0 && !out->err) {
        struct frame *f = &s.f[s.len - 1];
        const GumboVector *kids = &f->node->v.element.children;
        if (f->next == kids->length) {
            if (f->close) {
                buf_adds(out, "</");
                buf_adds(out, f->close);
                buf_addc(out, '>');
            }
            if (f->flags & F_BLOCK)
                w.want_break = w.word_end = false;
            if (f->flags & F_BREAK)
                w.want_break = true;
            s.len--;
            continue;
        }
        const GumboNode *n = kids->data[f->next++];
        switch (n->type) {
        case GUMBO_NODE_TEXT:
        case GUMBO_NODE_WHITESPACE:
            if (!(CTX(f->ctx) & CTX_TABULAR))
                put_html_text(&w, n->v.text.text);
            break;
        case GUMBO_NODE_ELEMENT:
            visit_element(&w, &s, n); /* may move s.f */
            break;
        default: /* comments, CDATA (only in svg and math), templates */
            break;
        }
    }
    free(s.f);
    buf_release(&w.scratch);
}

/*
 * ===========================================================================
 * Text mode
 * ===========================================================================
 */

struct text {
    struct buf *out;
    int pending; /* 0 nothing, 1 a space, 2 a newline, before the next word */
};

static void text_put(struct text *t, const char *s)
{
    while (*s) {
        if (is_space(*s)) {
            if (t->pending < 1)
                t->pending = 1;
            s++;
            continue;
        }
        size_t run = strcspn(s, " \t\n\r\f");
        if (t->pending && t->out->len > 0)
            buf_addc(t->out, t->pending == 2 ? '\n' : ' ');
        t->pending = 0;
        put_text(t->out, str_make(s, run), false);
        s += run;
    }
}

static void walk_text(const GumboNode *root, struct buf *out)
{
    struct text t = {out, 0};
    struct stack s = {0};
    stack_push(&s, (struct frame){root, 0, 0, NULL, 0, 0});
    while (s.len > 0 && !out->err) {
        struct frame *f = &s.f[s.len - 1];
        const GumboVector *kids = &f->node->v.element.children;
        if (f->next == kids->length) {
            GumboTag tag = f->node->v.element.tag;
            if (is_block_tag(tag))
                t.pending = 2;
            else if ((tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH) && t.pending < 1)
                t.pending = 1;
            s.len--;
            continue;
        }
        const GumboNode *n = kids->data[f->next++];
        if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE) {
            text_put(&t, n->v.text.text);
        } else if (n->type == GUMBO_NODE_ELEMENT && rule_of(n)->kind != K_DROP) {
            if (is_block_tag(n->v.element.tag))
                t.pending = 2;
            stack_push(&s, (struct frame){n, 0, 0, NULL, 0, 0});
        }
    }
    free(s.f);
}

/*
 * ===========================================================================
 * Passes and the public functions
 * ===========================================================================
 */

enum mode { MODE_HTML, MODE_TEXT };

/* One pass: guard, parse and walk IN, appending to OUT. */
static int pass(struct str in, enum mode mode, struct buf *out)
{
    struct buf copy;
    struct str view;
    struct gmem mem;
    GumboOutput *tree = NULL;
    buf_init(&copy, NULL, 2 * MH_MAX_BODY); /* a rewrite adds at most a space per attribute */
    guard_run(in, &copy, &view);
    int rc = copy.err;
    if (rc == MH_OK)
        rc = parse(&mem, view, &tree);
    if (rc == MH_OK) {
        if (mode == MODE_HTML)
            walk_html(tree->root, out);
        else
            walk_text(tree->root, out);
        gmem_release(&mem);
        rc = out->err;
    }
    buf_release(&copy);
    return rc;
}

static int check_input(struct str in)
{
    if (in.len > MH_MAX_BODY)
        return MH_TOOBIG;
    if (!utf8_valid(in, NULL))
        return MH_INVAL;
    return MH_OK;
}

static int append(struct buf *out, const struct buf *b)
{
    buf_add(out, b->data, b->len);
    return out->err;
}

int sanitize_html(struct str in, struct buf *out)
{
    struct buf b;
    int rc = check_input(in);
    if (rc)
        return rc;
    buf_init(&b, NULL, MH_MAX_BODY);
    rc = pass(in, MODE_HTML, &b); /* one pass: see the top of this file */
    if (rc == MH_OK)
        rc = append(out, &b);
    buf_release(&b);
    return rc;
}

int sanitize_text_of_html(struct str in, struct buf *out)
{
    struct buf b;
    int rc = check_input(in);
    if (rc)
        return rc;
    buf_init(&b, NULL, MH_MAX_BODY);
    rc = pass(in, MODE_TEXT, &b);
    if (rc == MH_OK)
        rc = append(out, &b);
    buf_release(&b);
    return rc;
}
