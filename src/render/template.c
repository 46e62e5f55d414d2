/* SPDX-License-Identifier: MIT */
/*
 * template.c - Mustache compiler and renderer; see template.h for the
 * contract.  Compiling runs three passes over one template's source:
 *
 *   1. tokenize: find the tags (following delimiter changes), check that
 *      sections nest, and pair each closing tag with its opener;
 *   2. lines: decide which lines are "standalone" (only white space and a
 *      tag, or one of the tag pairs ~inheritance allows on a line) and cut
 *      them out of the text;
 *   3. build: emit the instruction array.  Every line start in the output
 *      text gets an OP_LINE holding the line's leading white space, which is
 *      where partial and block indentation is applied while rendering.
 *
 * Indentation follows the reference model ("prepend the indentation to every
 * line of the partial's source") without copying sources at render time: a
 * render scope carries the indentation to add (a chain of strings) and how
 * many bytes of each line's own leading white space to drop (a block body
 * defined on standalone lines is dedented where it is defined and re-indented
 * where it is expanded).  Rendering only reads the set and the values.
 */
#include "core/compat.h"

#include <inttypes.h>
#include <stdarg.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "render/escape.h"
#include "render/template.h"
#include "render/value.h"

/* ------------------------------------------------------------------------
 * Compiled form
 * ------------------------------------------------------------------------ */

enum op_kind {
    OP_TEXT,     /* copy S */
    OP_LINE,     /* a line starts: indentation, then S (its leading white space) */
    OP_VAR,      /* PATH, HTML-escaped */
    OP_RAW,      /* PATH, as is */
    OP_SECTION,  /* PATH; body is [this + 1, END) */
    OP_INVERTED, /* PATH; body is [this + 1, END) */
    OP_PARTIAL,  /* template S */
    OP_PARENT,   /* template S; [this + 1, END) holds only OP_BLOCK overrides */
    OP_BLOCK,    /* block S; body [this + 1, END) is the default or the override */
};

struct op {
    uint8_t kind;
    bool standalone;        /* PARTIAL/PARENT/BLOCK: on a line of its own */
    bool body_at_line;      /* BLOCK: the body starts at the start of a line */
    bool blank;             /* LINE: only white space before the newline */
    uint32_t end;           /* SECTION/INVERTED/PARENT/BLOCK: index after the body */
    uint32_t npath;         /* 0 with a NULL PATH is "." */
    uint32_t dedent;        /* BLOCK: bytes of line indentation the body drops */
    struct str s;           /* text, white space or a name */
    struct str ws;          /* PARTIAL/PARENT/BLOCK standalone: indentation */
    const struct str *path; /* dotted name, split */
};

struct tpl {
    struct str name;
    struct op *ops;
    size_t nops;
    struct arena arena; /* the name, the source copy, ops and paths */
};

struct tpl_set {
    struct tpl **slots; /* open addressing; NULL is empty */
    size_t nslots, count;
};

/* ------------------------------------------------------------------------
 * Compiling: shared state and errors
 * ------------------------------------------------------------------------ */

enum tok_kind {
    T_VAR,
    T_RAW, /* {{& x}} and {{{x}}} */
    T_SECTION,
    T_INVERTED,
    T_CLOSE,
    T_PARTIAL,
    T_PARENT,
    T_BLOCK,
    T_COMMENT,
    T_DELIM,
};

struct tok {
    uint8_t kind;
    bool standalone; /* its line is removed (a block pair keeps the newline) */
    bool first;      /* standalone and the first tag on its line */
    bool last;       /* standalone and the last tag on its line */
    size_t start, end; /* the tag, delimiters included */
    size_t ls, eol;    /* standalone: line start; end of the removed tail */
    size_t match;      /* opener <-> closer */
    struct str name;   /* trimmed content */
};

struct cut {
    size_t a, b; /* source bytes [a, b) are not output */
};

struct compiler {
    const char *name;
    const char *src; /* the template's own copy */
    size_t len;
    struct arena *arena;
    struct tok *toks;
    size_t ntoks, captoks;
    struct cut *cuts;
    size_t ncuts, capcuts, cutpos;
    struct op *ops;
    size_t nops, capops;
    char *err;
    size_t errlen;
};

/* The 1-based line and byte column of POS. */
static void where(const struct compiler *c, size_t pos, size_t *line, size_t *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < pos && i < c->len; i++) {
        if (c->src[i] == '\n') {
            ++*line;
            *col = 1;
        } else {
            ++*col;
        }
    }
}

/* Write "NAME:LINE:COL: message" about POS to the caller's buffer; return RC. */
MH_PRINTF(4, 5)
static int fail(struct compiler *c, size_t pos, int rc, const char *fmt, ...)
{
    size_t line, col;
    where(c, pos, &line, &col);
    if (c->errlen) {
        int n = snprintf(c->err, c->errlen, "%s:%zu:%zu: ", c->name, line, col);
        if (n >= 0 && (size_t)n < c->errlen) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    return rc;
}

static bool is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

static bool is_blank(char ch)
{
    return ch == ' ' || ch == '\t';
}

static struct str trim(struct str s)
{
    while (s.len && is_space(s.ptr[0])) {
        s.ptr++;
        s.len--;
    }
    while (s.len && is_space(s.ptr[s.len - 1]))
        s.len--;
    return s;
}

/* Index of NEEDLE in SRC[FROM, LEN), or SIZE_MAX. */
static size_t find(const char *src, size_t from, size_t len, struct str needle)
{
    if (needle.len == 0 || from > len || len - from < needle.len)
        return SIZE_MAX;
    const char *p = src + from, *last = src + len - needle.len;
    while (p <= last) {
        p = memchr(p, needle.ptr[0], (size_t)(last - p) + 1);
        if (p == NULL)
            return SIZE_MAX;
        if (memcmp(p, needle.ptr, needle.len) == 0)
            return (size_t)(p - src);
        p++;
    }
    return SIZE_MAX;
}

/* Index of CH immediately followed by NEEDLE in SRC[FROM, LEN), or SIZE_MAX. */
static size_t find_after(const char *src, size_t from, size_t len, char ch, struct str needle)
{
    for (size_t at = from + 1; (at = find(src, at, len, needle)) != SIZE_MAX; at++)
        if (src[at - 1] == ch)
            return at - 1;
    return SIZE_MAX;
}

static void *grow(void *p, size_t *cap, size_t size)
{
    *cap = *cap ? *cap * 2 : 16;
    return mh_realloc(p, *cap * size);
}

/* ------------------------------------------------------------------------
 * Pass 1: tokenize
 * ------------------------------------------------------------------------ */

static bool has_space(struct str s)
{
    for (size_t i = 0; i < s.len; i++)
        if (is_space(s.ptr[i]))
            return true;
    return false;
}

/* Whether NAME is "." or dot-separated non-empty parts. */
static bool good_path(struct str name)
{
    if (name.len == 1 && name.ptr[0] == '.')
        return true;
    if (name.ptr[0] == '.' || name.ptr[name.len - 1] == '.')
        return false;
    for (size_t i = 1; i < name.len; i++)
        if (name.ptr[i] == '.' && name.ptr[i - 1] == '.')
            return false;
    return true;
}

/* Parse the content of {{=open close=}} into *OPEN and *CLOSE. */
static bool parse_delims(struct str s, struct str *open, struct str *close)
{
    size_t i = 0;
    s = trim(s);
    while (i < s.len && !is_space(s.ptr[i]))
        i++;
    *open = str_make(s.ptr, i);
    *close = trim(str_make(s.ptr + i, s.len - i));
    if (open->len == 0 || close->len == 0 || has_space(*close))
        return false;
    return memchr(open->ptr, '=', open->len) == NULL && memchr(close->ptr, '=', close->len) == NULL;
}

static int tokenize(struct compiler *c)
{
    struct str otag = STR_LIT("{{"), ctag = STR_LIT("}}");
    size_t stack[TPL_MAX_NEST], depth = 0, pos = 0, at;
    while ((at = find(c->src, pos, c->len, otag)) != SIZE_MAX) {
        struct tok t = {.start = at};
        size_t q = at + otag.len, close, after;
        char type = q < c->len ? c->src[q] : '\0';
        switch (type) {
        case '#': t.kind = T_SECTION; break;
        case '^': t.kind = T_INVERTED; break;
        case '/': t.kind = T_CLOSE; break;
        case '>': t.kind = T_PARTIAL; break;
        case '<': t.kind = T_PARENT; break;
        case '$': t.kind = T_BLOCK; break;
        case '!': t.kind = T_COMMENT; break;
        case '=': t.kind = T_DELIM; break;
        case '&': t.kind = T_RAW; break;
        case '{': t.kind = T_RAW; break;
        default: t.kind = T_VAR; type = '\0'; break;
        }
        if (type)
            q++;
        if (type == '{' || type == '=') {
            close = find_after(c->src, q, c->len, type == '{' ? '}' : '=', ctag);
            after = close == SIZE_MAX ? 0 : close + 1 + ctag.len;
        } else {
            close = find(c->src, q, c->len, ctag);
            after = close == SIZE_MAX ? 0 : close + ctag.len;
        }
        if (close == SIZE_MAX && type == '=')
            return fail(c, at, MH_INVAL, "bad delimiter change: no '=%.*s'", (int)ctag.len,
                        ctag.ptr);
        if (close == SIZE_MAX)
            return fail(c, at, MH_INVAL, "unclosed tag");
        t.end = after;
        t.name = trim(str_make(c->src + q, close - q));
        pos = after;
        if (t.kind == T_DELIM) {
            if (!parse_delims(t.name, &otag, &ctag))
                return fail(c, at, MH_INVAL, "bad delimiter change '%.*s'", (int)t.name.len,
                            t.name.ptr);
        } else if (t.kind != T_COMMENT) {
            if (t.name.len == 0)
                return fail(c, at, MH_INVAL, "empty tag");
            if (has_space(t.name))
                return fail(c, at, MH_INVAL, "bad tag name '%.*s'", (int)t.name.len, t.name.ptr);
            if ((t.kind == T_VAR || t.kind == T_RAW || t.kind == T_SECTION ||
                 t.kind == T_INVERTED) && !good_path(t.name))
                return fail(c, at, MH_INVAL, "bad name '%.*s'", (int)t.name.len, t.name.ptr);
        }
        if (c->ntoks == c->captoks)
            c->toks = grow(c->toks, &c->captoks, sizeof(*c->toks));
        size_t k = c->ntoks++;
        if (t.kind == T_SECTION || t.kind == T_INVERTED || t.kind == T_PARENT ||
            t.kind == T_BLOCK) {
            if (depth == TPL_MAX_NEST)
                return fail(c, at, MH_TOOBIG, "sections nested deeper than %d", TPL_MAX_NEST);
            stack[depth++] = k;
        } else if (t.kind == T_CLOSE) {
            if (depth == 0)
                return fail(c, at, MH_INVAL, "unexpected closing tag '%.*s'", (int)t.name.len,
                            t.name.ptr);
            struct tok *o = &c->toks[stack[depth - 1]];
            if (!str_eq(o->name, t.name)) {
                size_t line, col;
                where(c, o->start, &line, &col);
                return fail(c, at, MH_INVAL,
                            "closing tag '%.*s' does not match '%.*s' opened at %zu:%zu",
                            (int)t.name.len, t.name.ptr, (int)o->name.len, o->name.ptr, line, col);
            }
            o->match = k;
            t.match = stack[--depth];
        }
        c->toks[k] = t;
    }
    if (depth) {
        const struct tok *o = &c->toks[stack[depth - 1]];
        return fail(c, o->start, MH_INVAL, "unclosed section '%.*s'", (int)o->name.len,
                    o->name.ptr);
    }
    return MH_OK;
}

/* ------------------------------------------------------------------------
 * Pass 2: standalone lines
 * ------------------------------------------------------------------------ */

static void add_cut(struct compiler *c, size_t a, size_t b)
{
    if (a >= b)
        return;
    if (c->ncuts == c->capcuts)
        c->cuts = grow(c->cuts, &c->capcuts, sizeof(*c->cuts));
    c->cuts[c->ncuts++] = (struct cut){a, b};
}

/*
 * A line from LS holds only white space and the N tags from index FIRST.
 * NL is where its newline starts (LEN at the end), EOL where the next line
 * starts.  Decide whether it is standalone and cut it.
 */
static void standalone(struct compiler *c, size_t ls, size_t first, size_t n, size_t nl, size_t eol)
{
    struct tok *a = &c->toks[first], *b = n == 2 ? a + 1 : NULL;
    size_t keep_from = eol; /* a block pair keeps its newline */
    if (n == 1) {
        if (a->kind == T_VAR || a->kind == T_RAW)
            return;
        b = a;
    } else if (n == 2 && a->end == b->start) {
        size_t ib = first + 1;
        bool parent_pair = a->kind == T_PARENT && a->match == ib;       /* {{<p}}{{/p}} */
        bool block_pair = a->kind == T_BLOCK && a->match == ib;         /* {{$b}}{{/b}} */
        bool parent_block = a->kind == T_PARENT && b->kind == T_BLOCK;  /* {{<p}}{{$b}} */
        bool close_close = a->kind == T_CLOSE && b->kind == T_CLOSE &&  /* {{/b}}{{/p}} */
                           c->toks[a->match].kind == T_BLOCK && c->toks[b->match].kind == T_PARENT;
        if (!parent_pair && !block_pair && !parent_block && !close_close)
            return;
        if (block_pair)
            keep_from = nl;
    } else {
        return;
    }
    for (struct tok *t = a; t <= b; t++) {
        t->standalone = true;
        t->ls = ls;
        t->eol = keep_from;
    }
    a->first = true;
    b->last = true;
    add_cut(c, ls, a->start);
    add_cut(c, b->end, keep_from);
}

static void find_standalone(struct compiler *c)
{
    size_t ls = 0, first = 0, n = 0, pos = 0;
    bool dirty = false;
    for (size_t k = 0; k <= c->ntoks; k++) {
        size_t stop = k < c->ntoks ? c->toks[k].start : c->len;
        for (size_t p = pos; p < stop; p++) {
            char ch = c->src[p];
            if (ch == '\n') {
                size_t nl = p > pos && c->src[p - 1] == '\r' ? p - 1 : p;
                if (!dirty && n)
                    standalone(c, ls, first, n, nl, p + 1);
                ls = p + 1;
                n = 0;
                dirty = false;
            } else if (!is_blank(ch) && !(ch == '\r' && p + 1 < stop && c->src[p + 1] == '\n')) {
                dirty = true;
            }
        }
        if (k == c->ntoks)
            break;
        if (n == 0)
            first = k;
        n++;
        pos = c->toks[k].end;
    }
    if (!dirty && n)
        standalone(c, ls, first, n, c->len, c->len);
}

/* ------------------------------------------------------------------------
 * Pass 3: build
 * ------------------------------------------------------------------------ */

static struct op *emit(struct compiler *c, uint8_t kind)
{
    if (c->nops == c->capops)
        c->ops = grow(c->ops, &c->capops, sizeof(*c->ops));
    struct op *op = &c->ops[c->nops++];
    memset(op, 0, sizeof(*op));
    op->kind = kind;
    return op;
}

static bool line_start(const struct compiler *c, size_t p)
{
    return p == 0 || c->src[p - 1] == '\n';
}

/* Emit the uncut text [A, B), which lies between two tags. */
static void emit_span(struct compiler *c, size_t a, size_t b)
{
    while (a < b) {
        if (line_start(c, a)) {
            size_t r = a;
            while (r < b && is_blank(c->src[r]))
                r++;
            struct op *op = emit(c, OP_LINE);
            op->s = str_make(c->src + a, r - a);
            op->blank = (r < b && c->src[r] == '\n') ||
                        (r + 1 < b && c->src[r] == '\r' && c->src[r + 1] == '\n');
            a = r;
            if (a == b)
                break;
        }
        const char *nl = memchr(c->src + a, '\n', b - a);
        size_t e = nl ? (size_t)(nl - c->src) + 1 : b;
        emit(c, OP_TEXT)->s = str_make(c->src + a, e - a);
        a = e;
    }
}

/* Emit the text [S, E) less the cuts; LIVE false only moves past it. */
static void emit_text(struct compiler *c, size_t s, size_t e, bool live)
{
    while (s < e) {
        while (c->cutpos < c->ncuts && c->cuts[c->cutpos].b <= s)
            c->cutpos++;
        const struct cut *cut = c->cutpos < c->ncuts ? &c->cuts[c->cutpos] : NULL;
        if (cut && cut->a <= s) {
            s = cut->b;
            continue;
        }
        size_t stop = cut && cut->a < e ? cut->a : e;
        if (live)
            emit_span(c, s, stop);
        s = stop;
    }
}

/* Split T's dotted name (checked by tokenize()) into OP->PATH; "." is the empty path. */
static void set_path(struct compiler *c, const struct tok *t, struct op *op)
{
    struct str name = t->name;
    if (name.len == 1 && name.ptr[0] == '.')
        return;
    size_t n = 1, k = 0, from = 0;
    for (size_t i = 0; i < name.len; i++)
        n += name.ptr[i] == '.';
    struct str *parts = arena_alloc(c->arena, n * sizeof(*parts));
    for (size_t i = 0; i <= name.len; i++) {
        if (i == name.len || name.ptr[i] == '.') {
            parts[k++] = str_make(name.ptr + from, i - from);
            from = i + 1;
        }
    }
    op->path = parts;
    op->npath = (uint32_t)n;
}

/*
 * A block defined on standalone lines is dedented by the least indentation
 * of its non-blank lines; that indentation, taken from its first non-blank
 * line, is also where it expands (or, when the body is blank, the open tag's
 * own indentation).
 */
static void block_indent(struct compiler *c, const struct tok *open, const struct tok *close,
                         struct op *op)
{
    size_t bs = open->last ? open->eol : open->end;
    size_t be = close->first ? close->ls : close->start;
    size_t least = SIZE_MAX, first = SIZE_MAX;
    for (size_t p = bs; p < be;) {
        size_t ws = p, e;
        while (ws < be && is_blank(c->src[ws]))
            ws++;
        for (e = ws; e < be && c->src[e] != '\n'; e++)
            ;
        bool blank = true;
        for (size_t q = ws; q < e && blank; q++)
            blank = is_space(c->src[q]);
        if (!blank) {
            if (ws - p < least)
                least = ws - p;
            if (first == SIZE_MAX)
                first = p;
        }
        p = e + 1;
    }
    if (first == SIZE_MAX) {
        if (open->first)
            op->ws = str_make(c->src + open->ls, open->start - open->ls);
        return;
    }
    op->dedent = (uint32_t)least;
    op->ws = str_make(c->src + first, least);
}

struct open {
    size_t tok, op; /* op is SIZE_MAX when nothing was emitted for it */
    bool live;      /* its op is emitted */
    bool body_live; /* ops directly inside it are emitted */
    bool parent;    /* a parent: only its blocks are kept */
};

static uint8_t op_kind(uint8_t tok_kind)
{
    switch (tok_kind) {
    case T_VAR: return OP_VAR;
    case T_RAW: return OP_RAW;
    case T_SECTION: return OP_SECTION;
    case T_INVERTED: return OP_INVERTED;
    case T_PARTIAL: return OP_PARTIAL;
    case T_PARENT: return OP_PARENT;
    case T_BLOCK: return OP_BLOCK;
    }
    MH_BUG("no op for token kind %d", tok_kind);
}

/* The indentation of standalone tag T (the first on its line), else "". */
static struct str tag_ws(const struct compiler *c, const struct tok *t)
{
    if (!t->standalone || !t->first)
        return STR_NULL;
    return str_make(c->src + t->ls, t->start - t->ls);
}

/* An OP_LINE for a line that starts with tag T, unless the line is cut. */
static void tag_line(struct compiler *c, const struct tok *t, bool live)
{
    if (live && line_start(c, t->start) && !(t->standalone && t->first))
        emit(c, OP_LINE);
}

static int build(struct compiler *c)
{
    struct open stack[TPL_MAX_NEST + 1];
    size_t depth = 1, pos = 0;
    stack[0] = (struct open){.op = SIZE_MAX, .live = true, .body_live = true};
    for (size_t k = 0; k < c->ntoks; k++) {
        const struct tok *t = &c->toks[k];
        struct open *top = &stack[depth - 1];
        emit_text(c, pos, t->start, top->body_live);
        pos = t->end;
        if (t->kind == T_CLOSE) {
            struct open o = stack[--depth];
            if (o.op != SIZE_MAX) {
                struct op *op = &c->ops[o.op];
                op->end = (uint32_t)c->nops;
                if (op->kind == OP_BLOCK && c->toks[o.tok].standalone)
                    block_indent(c, &c->toks[o.tok], t, op);
            }
            /* the closed section does not own the start of this line */
            tag_line(c, t, stack[depth - 1].body_live);
            continue;
        }
        tag_line(c, t, top->body_live);
        if (t->kind == T_COMMENT || t->kind == T_DELIM)
            continue;
        bool opens = t->kind == T_SECTION || t->kind == T_INVERTED || t->kind == T_PARENT ||
                     t->kind == T_BLOCK;
        /* inside a parent only the blocks count: they are its arguments */
        bool live = top->parent && t->kind == T_BLOCK ? top->live : top->body_live;
        size_t at = SIZE_MAX;
        if (live) {
            struct op *op = emit(c, op_kind(t->kind));
            at = c->nops - 1;
            if (t->kind == T_PARTIAL || t->kind == T_PARENT || t->kind == T_BLOCK) {
                op->s = t->name;
                op->ws = tag_ws(c, t);
                op->standalone = t->standalone && t->first;
                op->body_at_line = t->standalone && t->last;
            } else {
                set_path(c, t, op);
            }
        }
        if (opens)
            stack[depth++] = (struct open){.tok = k, .op = at, .live = live,
                                           .body_live = live && t->kind != T_PARENT,
                                           .parent = t->kind == T_PARENT};
    }
    emit_text(c, pos, c->len, true);
    if (c->nops > UINT32_MAX)
        return fail(c, 0, MH_TOOBIG, "too many instructions");
    return MH_OK;
}

static int compile(struct compiler *c)
{
    int rc = tokenize(c);
    if (rc)
        return rc;
    find_standalone(c);
    return build(c);
}

/* ------------------------------------------------------------------------
 * Sets
 * ------------------------------------------------------------------------ */

static uint32_t hash(struct str s)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < s.len; i++) {
        h ^= (unsigned char)s.ptr[i];
        h *= 16777619u;
    }
    return h;
}

static const struct tpl *lookup(const struct tpl_set *set, struct str name)
{
    if (set->nslots == 0)
        return NULL;
    size_t mask = set->nslots - 1;
    for (size_t i = hash(name) & mask; set->slots[i]; i = (i + 1) & mask)
        if (str_eq(set->slots[i]->name, name))
            return set->slots[i];
    return NULL;
}

static void insert(struct tpl **slots, size_t nslots, struct tpl *t)
{
    size_t mask = nslots - 1, i = hash(t->name) & mask;
    while (slots[i])
        i = (i + 1) & mask;
    slots[i] = t;
}

struct tpl_set *tpl_set_new(void)
{
    return mh_calloc(1, sizeof(struct tpl_set));
}

void tpl_set_free(struct tpl_set *set)
{
    if (set == NULL)
        return;
    for (size_t i = 0; i < set->nslots; i++) {
        if (set->slots[i]) {
            arena_release(&set->slots[i]->arena);
            free(set->slots[i]);
        }
    }
    free(set->slots);
    free(set);
}

bool tpl_set_has(const struct tpl_set *set, const char *name)
{
    return lookup(set, str_c(name)) != NULL;
}

MH_PRINTF(4, 5)
static int refuse(char *errbuf, size_t errlen, int rc, const char *fmt, ...)
{
    if (errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(errbuf, errlen, fmt, ap);
        va_end(ap);
    }
    return rc;
}

int tpl_set_add(struct tpl_set *set, const char *name, struct str source, char *errbuf,
                size_t errlen)
{
    size_t name_len = strlen(name);
    if (name_len > TPL_MAX_NAME)
        return refuse(errbuf, errlen, MH_TOOBIG, "%.32s...:1:1: name longer than %d bytes",
                      name, TPL_MAX_NAME);
    if (source.len > TPL_MAX_SOURCE)
        return refuse(errbuf, errlen, MH_TOOBIG, "%s:1:1: template larger than %zu bytes", name,
                      (size_t)TPL_MAX_SOURCE);
    if (tpl_set_has(set, name))
        return refuse(errbuf, errlen, MH_CONFLICT, "%s:1:1: already in the set", name);

    struct tpl *t = mh_calloc(1, sizeof(*t));
    arena_init(&t->arena, 4096); /* most templates are small */
    t->name = arena_str(&t->arena, str_make(name, name_len));
    struct compiler c = {.name = name, .len = source.len, .arena = &t->arena, .err = errbuf,
                         .errlen = errlen};
    c.src = arena_strndup(&t->arena, source.ptr, source.len);
    int rc = compile(&c);
    if (rc == MH_OK) {
        t->nops = c.nops;
        t->ops = arena_alloc(&t->arena, (c.nops ? c.nops : 1) * sizeof(*t->ops));
        if (c.nops)
            memcpy(t->ops, c.ops, c.nops * sizeof(*t->ops));
    }
    free(c.toks);
    free(c.cuts);
    free(c.ops);
    if (rc) {
        arena_release(&t->arena);
        free(t);
        return rc;
    }
    if ((set->count + 1) * 2 > set->nslots) {
        size_t nslots = set->nslots ? set->nslots * 2 : 16;
        struct tpl **slots = mh_calloc(nslots, sizeof(*slots));
        for (size_t i = 0; i < set->nslots; i++)
            if (set->slots[i])
                insert(slots, nslots, set->slots[i]);
        free(set->slots);
        set->slots = slots;
        set->nslots = nslots;
    }
    insert(set->slots, set->nslots, t);
    set->count++;
    return MH_OK;
}

/* ------------------------------------------------------------------------
 * Rendering
 * ------------------------------------------------------------------------ */

/* Indentation to add at each line start: UP's, then WS. */
struct indent {
    const struct indent *up;
    struct str ws;
};

/* The blocks a parent tag passes down; the outermost definition wins. */
struct overrides {
    const struct overrides *up;
    const struct tpl *tpl;
    const struct op *parent;
};

/* The context stack, innermost first. */
struct frame {
    const struct frame *up;
    const struct tval *v;
};

/* Where ops come from and how their lines are indented. */
struct scope {
    const struct tpl *tpl;
    const struct indent *ind;
    size_t strip; /* leading white space each line drops */
    const struct overrides *ovr;
};

struct render {
    const struct tpl_set *set;
    struct buf *out;
    size_t steps;
    unsigned depth, includes;
};

static int run(struct render *r, const struct scope *sc, size_t i, size_t end,
               const struct frame *cs);

static void put_indent(struct buf *out, const struct indent *ind)
{
    if (ind == NULL)
        return;
    put_indent(out, ind->up);
    buf_addstr(out, ind->ws);
}

static struct str drop(struct str s, size_t n)
{
    n = n < s.len ? n : s.len;
    return n ? str_make(s.ptr + n, s.len - n) : s;
}

/* UP plus WS; NODE is the storage when WS is not empty. */
static const struct indent *indent_push(struct indent *node, const struct indent *up,
                                        struct str ws)
{
    if (ws.len == 0)
        return up;
    node->up = up;
    node->ws = ws;
    return node;
}

/* The value OP names; each object probed counts as a step of work. */
static const struct tval *resolve(struct render *r, const struct frame *cs, const struct op *op)
{
    const struct tval *v = NULL;
    if (op->npath == 0)
        return cs->v;
    for (; cs && v == NULL; cs = cs->up, r->steps++)
        v = tval_get_str(cs->v, op->path[0]);
    for (uint32_t k = 1; v && k < op->npath; k++, r->steps++)
        v = tval_get_str(v, op->path[k]);
    return v;
}

static void put_value(struct buf *out, const struct tval *v, bool escape)
{
    if (v == NULL)
        return;
    switch (v->kind) {
    case TVAL_STR:
        if (escape)
            escape_html(out, v->u.s);
        else
            buf_addstr(out, v->u.s);
        break;
    case TVAL_INT: buf_addf(out, "%" PRId64, v->u.i); break;
    case TVAL_BOOL:
        if (v->u.b)
            buf_adds(out, "true");
        break;
    case TVAL_NULL:
    case TVAL_LIST:
    case TVAL_OBJECT: break;
    }
}

static int section(struct render *r, const struct scope *sc, size_t i, const struct frame *cs)
{
    const struct op *op = &sc->tpl->ops[i];
    const struct tval *v = resolve(r, cs, op);
    int rc = MH_OK;
    if (!tval_truthy(v))
        return MH_OK;
    if (v->kind != TVAL_LIST) {
        struct frame f = {cs, v};
        return run(r, sc, i + 1, op->end, &f);
    }
    for (size_t k = 0; k < v->u.list.len && rc == MH_OK; k++) {
        struct frame f = {cs, v->u.list.items[k]};
        if (++r->steps > TPL_MAX_STEPS)
            return MH_TOOBIG;
        rc = run(r, sc, i + 1, op->end, &f);
    }
    return rc;
}

/* Run SC's ops [I, END) one expansion deeper. */
static int include(struct render *r, const struct scope *sc, size_t i, size_t end,
                   const struct frame *cs)
{
    if (r->includes >= TPL_MAX_INCLUDE)
        return MH_TOOBIG;
    r->includes++;
    int rc = run(r, sc, i, end, cs);
    r->includes--;
    return rc;
}

/* {{>name}}, or {{<name}} with OVR holding its blocks. */
static int partial(struct render *r, const struct scope *sc, const struct op *op,
                   const struct frame *cs, const struct overrides *ovr)
{
    const struct tpl *t = lookup(r->set, op->s);
    struct indent node;
    if (t == NULL)
        return MH_OK; /* the spec: a missing partial is empty */
    /* a standalone partial indents each of its lines; an inline one, none */
    struct scope inner = {t, NULL, 0, ovr};
    if (op->standalone)
        inner.ind = indent_push(&node, sc->ind, drop(op->ws, sc->strip));
    return include(r, &inner, 0, t->nops, cs);
}

/*
 * {{$name}} outside a parent: the outermost parent tag that defines NAME
 * wins; with none, the block's own body renders in place.
 */
static int block(struct render *r, const struct scope *sc, size_t i, const struct frame *cs)
{
    const struct op *op = &sc->tpl->ops[i], *def = NULL;
    const struct tpl *dt = NULL;
    for (const struct overrides *o = sc->ovr; o; o = o->up) {
        const struct op *ops = o->tpl->ops;
        for (size_t k = (size_t)(o->parent - ops) + 1; k < o->parent->end; k = ops[k].end) {
            if (str_eq(ops[k].s, op->s)) {
                def = &ops[k];
                dt = o->tpl;
                break;
            }
        }
    }
    if (def == NULL)
        return run(r, sc, i + 1, op->end, cs);
    size_t at = (size_t)(def - dt->ops);
    struct indent node;
    struct scope inner = {dt, NULL, def->dedent, sc->ovr};
    if (op->standalone) {
        inner.ind = indent_push(&node, sc->ind, drop(op->ws, sc->strip));
        if (!def->body_at_line && def->end > at + 1)
            put_indent(r->out, inner.ind); /* no OP_LINE will indent its first line */
    }
    return include(r, &inner, at + 1, def->end, cs);
}

static int run(struct render *r, const struct scope *sc, size_t i, size_t end,
               const struct frame *cs)
{
    const struct op *ops = sc->tpl->ops;
    int rc = MH_OK;
    if (++r->depth > TPL_MAX_DEPTH) {
        r->depth--;
        return MH_TOOBIG;
    }
    while (i < end && rc == MH_OK) {
        const struct op *op = &ops[i];
        if (r->out->err) {
            rc = r->out->err;
            break;
        }
        if (++r->steps > TPL_MAX_STEPS) {
            rc = MH_TOOBIG;
            break;
        }
        switch ((enum op_kind)op->kind) {
        case OP_TEXT:
            buf_addstr(r->out, op->s);
            i++;
            break;
        case OP_LINE: {
            struct str ws = drop(op->s, sc->strip);
            if (!op->blank || ws.len) /* empty lines stay empty */
                put_indent(r->out, sc->ind);
            buf_addstr(r->out, ws);
            i++;
            break;
        }
        case OP_VAR:
        case OP_RAW:
            put_value(r->out, resolve(r, cs, op), op->kind == OP_VAR);
            i++;
            break;
        case OP_SECTION:
            rc = section(r, sc, i, cs);
            i = op->end;
            break;
        case OP_INVERTED:
            if (!tval_truthy(resolve(r, cs, op)))
                rc = run(r, sc, i + 1, op->end, cs);
            i = op->end;
            break;
        case OP_PARTIAL:
            rc = partial(r, sc, op, cs, sc->ovr);
            i++;
            break;
        case OP_PARENT: {
            struct overrides o = {sc->ovr, sc->tpl, op};
            rc = partial(r, sc, op, cs, &o);
            i = op->end;
            break;
        }
        case OP_BLOCK:
            rc = block(r, sc, i, cs);
            i = op->end;
            break;
        }
    }
    r->depth--;
    return rc;
}

int tpl_render(const struct tpl_set *set, const char *name, const struct tval *ctx,
               struct buf *out)
{
    const struct tpl *t = lookup(set, str_c(name));
    if (t == NULL)
        return MH_NOTFOUND;
    if (out->err)
        return out->err;
    struct render r = {.set = set, .out = out};
    struct frame root = {NULL, ctx};
    struct scope sc = {t, NULL, 0, NULL};
    int rc = run(&r, &sc, 0, t->nops, &root);
    return rc ? rc : out->err;
}
