/* SPDX-License-Identifier: MIT */
/*
 * jread.c - a recursive-descent JSON reader tuned for long strings.
 *
 * Strings are scanned in two passes.  The first validates: it skips eight
 * plain ASCII bytes at a time (a SWAR test for '"', '\\', bytes below 0x20
 * and bytes above 0x7F), checks UTF-8 sequences where it stops, and finds
 * the closing quote.  Only a string that held a backslash gets the second
 * pass, which copies the runs between escapes (found with memchr) into the
 * arena and decodes the escapes; the decoded text is never longer than the
 * source, so one allocation of the source's length is enough.
 *
 * Containers collect their children on two scratch stacks (values, and keys
 * with their offsets) and copy them into the arena in one piece when they
 * close, so the tree has exact-size arrays and no per-child allocation.  The
 * stacks start on the C stack and move to the heap when a document is wide
 * or deep.  Duplicate keys are found when an object closes: pairwise for a
 * few keys, by sorting for many, so hostile objects cost O(n log n).
 */
#include "core/compat.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/jread.h"

#define INLINE_SLOTS 64  /* scratch entries kept on the C stack */
#define PAIRWISE_KEYS 24 /* objects up to this size check duplicates pairwise */

struct key {
    struct str key;
    size_t off; /* where the key's opening quote is, for the duplicate error */
};

struct parser {
    const char *start, *end;
    struct arena *arena;
    struct jread_error *err;
    int rc;
    int depth;
    struct jval *vals; /* values of the open containers, innermost last */
    size_t n_vals, cap_vals;
    struct key *keys; /* keys of the open objects, innermost last */
    size_t n_keys, cap_keys;
    struct jval vals_inline[INLINE_SLOTS];
    struct key keys_inline[INLINE_SLOTS];
};

/* ------------------------------------------------------------------------ */
/* Errors                                                                   */
/* ------------------------------------------------------------------------ */

/* Record the first error, at AT, and return NULL so callers can return it. */
static const char *fail(struct parser *p, const char *at, int rc, const char *fmt, ...)
    MH_PRINTF(4, 5);

static const char *fail(struct parser *p, const char *at, int rc, const char *fmt, ...)
{
    if (p->rc)
        return NULL;
    p->rc = rc;
    if (p->err == NULL)
        return NULL;
    int line = 1, column = 1;
    for (const char *q = p->start; q < at; q++) {
        unsigned char c = (unsigned char)*q;
        if (c == '\n') {
            line++;
            column = 1;
        } else if ((c & 0xC0) != 0x80) {
            column++;
        }
    }
    char *text = p->err->text;
    size_t n = (size_t)snprintf(text, sizeof(p->err->text), "line %d, column %d: ", line, column);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text + n, sizeof(p->err->text) - n, fmt, ap); /* n < 40 */
    va_end(ap);
    p->err->offset = (size_t)(at - p->start);
    p->err->line = line;
    p->err->column = column;
    return NULL;
}

/* Describe the byte at S for an error message: 'x', or 0xNN when it is not
 * printable ASCII.  BUF holds at least 8 bytes. */
static const char *describe(const char *s, char *buf)
{
    unsigned char c = (unsigned char)*s;
    if (c >= 0x20 && c < 0x7F)
        snprintf(buf, 8, "'%c'", c);
    else
        snprintf(buf, 8, "0x%02X", c);
    return buf;
}

static const char *fail_at(struct parser *p, const char *s, const char *expected)
{
    char b[8];
    if (s >= p->end)
        return fail(p, s, MH_INVAL, "unexpected end of input");
    return fail(p, s, MH_INVAL, "%s, found %s", expected, describe(s, b));
}

/* ------------------------------------------------------------------------ */
/* Scratch stacks                                                           */
/* ------------------------------------------------------------------------ */

static void *grow(void *stack, const void *inline_stack, size_t *cap, size_t size)
{
    size_t n = *cap * 2;
    void *q;
    if (stack == inline_stack) {
        q = mh_malloc(n * size);
        memcpy(q, stack, *cap * size);
    } else {
        q = mh_realloc(stack, n * size);
    }
    *cap = n;
    return q;
}

static inline void push_val(struct parser *p, const struct jval *v)
{
    if (p->n_vals == p->cap_vals)
        p->vals = grow(p->vals, p->vals_inline, &p->cap_vals, sizeof(*p->vals));
    p->vals[p->n_vals++] = *v;
}

static inline void push_key(struct parser *p, struct str key, size_t off)
{
    if (p->n_keys == p->cap_keys)
        p->keys = grow(p->keys, p->keys_inline, &p->cap_keys, sizeof(*p->keys));
    p->keys[p->n_keys].key = key;
    p->keys[p->n_keys].off = off;
    p->n_keys++;
}

/* ------------------------------------------------------------------------ */
/* Strings                                                                  */
/* ------------------------------------------------------------------------ */

#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SWAR_FIRST(m) ((size_t)__builtin_ctzll(m) >> 3)
#endif

/*
 * Flag (with 0x80) the bytes of X that are '"', '\\', below 0x20 or above
 * 0x7F.  A flagged byte may make the ones above it (in memory: after it)
 * flagged by a borrow too, but never the ones before it, so the lowest flag
 * is exact: that is all the caller uses.
 */
static inline uint64_t special(uint64_t x)
{
    return (((x ^ (ONES * '"')) - ONES) | ((x ^ (ONES * '\\')) - ONES) | (x - ONES * 0x20) | x) &
           HIGHS;
}

/* The length of the valid UTF-8 sequence at S (its first byte >= 0x80), or 0. */
static inline size_t utf8_len(const unsigned char *s, const unsigned char *end)
{
    unsigned c = s[0];
    if (c < 0xC2) /* a continuation byte, or an overlong C0/C1 lead */
        return 0;
    if (c < 0xE0) {
        if (end - s < 2 || (s[1] & 0xC0) != 0x80)
            return 0;
        return 2;
    }
    if (c < 0xF0) {
        if (end - s < 3)
            return 0;
        unsigned lo = c == 0xE0 ? 0xA0 : 0x80; /* E0: no overlongs */
        unsigned hi = c == 0xED ? 0x9F : 0xBF; /* ED: no surrogates */
        if (s[1] < lo || s[1] > hi || (s[2] & 0xC0) != 0x80)
            return 0;
        return 3;
    }
    if (c < 0xF5) {
        if (end - s < 4)
            return 0;
        unsigned lo = c == 0xF0 ? 0x90 : 0x80; /* F0: no overlongs */
        unsigned hi = c == 0xF4 ? 0x8F : 0xBF; /* F4: nothing past U+10FFFF */
        if (s[1] < lo || s[1] > hi || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
            return 0;
        return 4;
    }
    return 0;
}

static inline int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* The four hex digits at S (already checked) as a number. */
static unsigned hex4(const char *s)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++)
        v = v << 4 | (unsigned)hexval((unsigned char)s[i]);
    return v;
}

static char *put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) {
        *o++ = (char)cp;
    } else if (cp < 0x800) {
        *o++ = (char)(0xC0 | cp >> 6);
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *o++ = (char)(0xE0 | cp >> 12);
        *o++ = (char)(0x80 | (cp >> 6 & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else {
        *o++ = (char)(0xF0 | cp >> 18);
        *o++ = (char)(0x80 | (cp >> 12 & 0x3F));
        *o++ = (char)(0x80 | (cp >> 6 & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    }
    return o;
}

/*
 * Second pass: decode [FROM, CLOSE), whose first backslash is at ESC and whose
 * escapes pass 1 checked for form (a known letter, four hex digits), into the
 * arena.  Here we check what they mean: surrogates and U+0000.
 */
static const char *decode(struct parser *p, const char *from, const char *esc,
                          const char *close, struct str *out)
{
    char *buf = arena_alloc(p->arena, (size_t)(close - from));
    char *o = buf;
    const char *s = esc;
    memcpy(o, from, (size_t)(esc - from));
    o += esc - from;
    while (s < close) {
        /* s is at a backslash */
        char c = s[1];
        switch (c) {
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case 't': *o++ = '\t'; break;
        case 'u': break;
        default: *o++ = c; break; /* '"', '\\', '/' */
        }
        if (c != 'u') {
            s += 2;
        } else {
            unsigned cp = hex4(s + 2);
            if (cp == 0)
                return fail(p, s, MH_INVAL, "\\u0000 is not allowed in a string");
            if (cp >= 0xDC00 && cp <= 0xDFFF)
                return fail(p, s, MH_INVAL, "lone low surrogate \\u%04X", cp);
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                /* s + 6 <= close, and *close is the closing quote */
                if (s[6] != '\\' || s[7] != 'u')
                    return fail(p, s, MH_INVAL, "high surrogate \\u%04X without a low one", cp);
                unsigned lo = hex4(s + 8);
                if (lo < 0xDC00 || lo > 0xDFFF)
                    return fail(p, s, MH_INVAL, "high surrogate \\u%04X followed by \\u%04X", cp,
                                lo);
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                s += 6;
            }
            o = put_utf8(o, cp);
            s += 6;
        }
        const char *next = memchr(s, '\\', (size_t)(close - s));
        if (next == NULL)
            next = close;
        memcpy(o, s, (size_t)(next - s));
        o += next - s;
        s = next;
    }
    *out = str_make(buf, (size_t)(o - buf));
    return close + 1;
}

/* S is just past an opening quote.  Return just past the closing one. */
static const char *parse_string(struct parser *p, const char *s, struct str *out)
{
    const char *begin = s, *end = p->end, *esc = NULL;
    for (;;) {
        while (end - s >= 8) {
            uint64_t x;
            memcpy(&x, s, 8);
            uint64_t m = special(x);
            if (m) {
#ifdef SWAR_FIRST
                s += SWAR_FIRST(m);
#endif
                break;
            }
            s += 8;
        }
        if (s >= end)
            return fail(p, begin - 1, MH_INVAL, "unterminated string");
        unsigned char c = (unsigned char)*s;
        if (c == '"')
            break;
        if (c == '\\') {
            if (end - s < 2)
                return fail(p, begin - 1, MH_INVAL, "unterminated string");
            if (esc == NULL)
                esc = s;
            switch (s[1]) {
            case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
                s += 2;
                continue;
            case 'u':
                for (int i = 2; i < 6; i++) {
                    if (s + i >= end)
                        return fail(p, begin - 1, MH_INVAL, "unterminated string");
                    if (hexval((unsigned char)s[i]) < 0) {
                        char b[8];
                        return fail(p, s, MH_INVAL, "invalid \\u escape: %s is not a hex digit",
                                    describe(s + i, b));
                    }
                }
                s += 6;
                continue;
            default: {
                char b[8];
                if ((unsigned char)s[1] >= 0x20 && (unsigned char)s[1] < 0x7F)
                    return fail(p, s, MH_INVAL, "invalid escape '\\%c'", s[1]);
                return fail(p, s, MH_INVAL, "invalid escape: backslash and %s",
                            describe(s + 1, b));
            }
            }
        }
        if (c < 0x20)
            return fail(p, s, MH_INVAL, "control character 0x%02X in string", c);
        if (c < 0x80) { /* only without SWAR_FIRST, or in the last 7 bytes */
            s++;
            continue;
        }
        /* a run of non-ASCII text: check it sequence by sequence, with a
         * shortcut for the three-byte ones that need no range check (CJK) */
        do {
#ifdef SWAR_FIRST
            /* two at a time: E1-EF (not ED) lead, two continuation bytes */
            while (end - s >= 8) {
                uint64_t x;
                memcpy(&x, s, 8);
                unsigned l0 = (unsigned)(x & 0x0F), l1 = (unsigned)(x >> 24 & 0x0F);
                if ((x & UINT64_C(0xC0C0F0C0C0F0)) != UINT64_C(0x8080E08080E0) || l0 == 0 ||
                    l0 == 0xD || l1 == 0 || l1 == 0xD)
                    break;
                s += 6;
            }
            if ((unsigned char)*s < 0x80) /* s < end: each step leaves two bytes */
                break;
#endif
            const unsigned char *u = (const unsigned char *)s;
            if (u[0] >= 0xE1 && u[0] != 0xED && u[0] <= 0xEF && end - s >= 3 &&
                (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80) {
                s += 3;
                continue;
            }
            size_t n = utf8_len(u, (const unsigned char *)end);
            if (n == 0)
                return fail(p, s, MH_INVAL, "invalid UTF-8");
            s += n;
        } while (s < end && (unsigned char)*s >= 0x80);
    }
    if (esc == NULL) {
        *out = str_make(begin, (size_t)(s - begin));
        return s + 1;
    }
    return decode(p, begin, esc, s, out);
}

/* ------------------------------------------------------------------------ */
/* Numbers and literals                                                     */
/* ------------------------------------------------------------------------ */

static inline bool is_digit(const char *s, const char *end)
{
    return s < end && *s >= '0' && *s <= '9';
}

static const char *parse_number(struct parser *p, const char *s, struct jval *v)
{
    const char *start = s, *end = p->end;
    bool real = false;
    if (*s == '-')
        s++;
    if (!is_digit(s, end))
        return fail_at(p, s, "expected a digit");
    if (*s == '0') {
        s++;
        if (is_digit(s, end))
            return fail(p, s - 1, MH_INVAL, "leading zero in a number");
    } else {
        while (is_digit(s, end))
            s++;
    }
    if (s < end && *s == '.') {
        s++;
        if (!is_digit(s, end))
            return fail_at(p, s, "expected a digit after '.'");
        while (is_digit(s, end))
            s++;
        real = true;
    }
    if (s < end && (*s == 'e' || *s == 'E')) {
        s++;
        if (s < end && (*s == '+' || *s == '-'))
            s++;
        if (!is_digit(s, end))
            return fail_at(p, s, "expected a digit in the exponent");
        while (is_digit(s, end))
            s++;
        real = true;
    }
    v->type = JV_NUMBER;
    v->str = str_make(start, (size_t)(s - start));
    if (!real) {
        if (str_to_i64(v->str, INT64_MIN, INT64_MAX, &v->i) != MH_OK)
            return fail(p, start, MH_INVAL, "integer out of range: %.*s",
                        v->str.len > 40 ? 40 : (int)v->str.len, start);
        v->is_int = true;
        v->d = (double)v->i;
        return s;
    }
    /* strtod needs a NUL and must not read past the token */
    char small[64], *copy = small;
    if (v->str.len >= sizeof(small))
        copy = mh_malloc(v->str.len + 1);
    memcpy(copy, start, v->str.len);
    copy[v->str.len] = '\0';
    errno = 0;
    v->d = strtod(copy, NULL);
    bool overflow = errno == ERANGE && (v->d == HUGE_VAL || v->d == -HUGE_VAL);
    if (copy != small)
        free(copy);
    if (overflow) /* underflow to zero or a subnormal is fine, as in jansson */
        return fail(p, start, MH_INVAL, "number out of range: %.*s",
                    v->str.len > 40 ? 40 : (int)v->str.len, start);
    v->is_int = false;
    v->i = 0;
    return s;
}

static const char *parse_literal(struct parser *p, const char *s, struct jval *v, const char *word,
                                 size_t len, enum jval_type type)
{
    if ((size_t)(p->end - s) < len || memcmp(s, word, len) != 0)
        return fail_at(p, s, "expected a value");
    v->type = type;
    v->str = str_make(s, len);
    return s + len;
}

/* ------------------------------------------------------------------------ */
/* Containers                                                               */
/* ------------------------------------------------------------------------ */

static inline const char *skip_ws(const char *s, const char *end)
{
    while (s < end && (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t'))
        s++;
    return s;
}

static const char *parse_value(struct parser *p, const char *s, struct jval *v);

static int cmp_key(const void *a, const void *b)
{
    const struct key *x = *(const struct key *const *)a, *y = *(const struct key *const *)b;
    if (x->key.len != y->key.len)
        return x->key.len < y->key.len ? -1 : 1;
    int c = x->key.len ? memcmp(x->key.ptr, y->key.ptr, x->key.len) : 0;
    if (c)
        return c;
    return x->off < y->off ? -1 : x->off > y->off;
}

static const char *fail_duplicate(struct parser *p, const struct key *k)
{
    /* quote at most 40 bytes of the key, cut at a character boundary */
    size_t n = k->key.len;
    char shown[48];
    if (n > 40) {
        n = 40;
        while (n > 0 && ((unsigned char)k->key.ptr[n] & 0xC0) == 0x80)
            n--;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)k->key.ptr[i];
        shown[i] = c < 0x20 || c == 0x7F ? '?' : (char)c;
    }
    return fail(p, p->start + k->off, MH_INVAL, "duplicate key '%.*s'%s", (int)n, shown,
                n < k->key.len ? "..." : "");
}

/* Fail on a key that occurs twice among the N keys at KEYS. */
static const char *check_duplicates(struct parser *p, const struct key *keys, size_t n,
                                    const char *s)
{
    if (n <= PAIRWISE_KEYS) {
        for (size_t i = 1; i < n; i++)
            for (size_t j = 0; j < i; j++)
                if (str_eq(keys[i].key, keys[j].key))
                    return fail_duplicate(p, &keys[i]);
        return s;
    }
    const struct key **order = mh_malloc(n * sizeof(*order));
    const struct key *dup = NULL;
    for (size_t i = 0; i < n; i++)
        order[i] = &keys[i];
    qsort(order, n, sizeof(*order), cmp_key);
    for (size_t i = 1; i < n; i++)
        if (str_eq(order[i]->key, order[i - 1]->key) && (dup == NULL || order[i]->off < dup->off))
            dup = order[i]; /* report the earliest second occurrence */
    free(order);
    return dup ? fail_duplicate(p, dup) : s;
}

static const char *enter(struct parser *p, const char *s)
{
    if (++p->depth > JREAD_MAX_DEPTH)
        return fail(p, s, MH_TOOBIG, "nested deeper than %d arrays and objects",
                    JREAD_MAX_DEPTH);
    return s;
}

/* S is at '['. */
static const char *parse_array(struct parser *p, const char *s, struct jval *v)
{
    const char *open = s, *end = p->end;
    size_t base = p->n_vals;
    if (!enter(p, s))
        return NULL;
    s = skip_ws(s + 1, end);
    if (s < end && *s == ']') {
        s++;
    } else {
        for (;;) {
            struct jval item;
            s = parse_value(p, s, &item);
            if (s == NULL)
                return NULL;
            push_val(p, &item);
            s = skip_ws(s, end);
            if (s < end && *s == ',') {
                s = skip_ws(s + 1, end);
                continue;
            }
            if (s < end && *s == ']') {
                s++;
                break;
            }
            return fail_at(p, s, "expected ',' or ']'");
        }
    }
    size_t n = p->n_vals - base;
    memset(v, 0, sizeof(*v));
    v->type = JV_ARRAY;
    v->str = str_make(open, (size_t)(s - open));
    if (n) {
        v->items = arena_alloc(p->arena, n * sizeof(*v->items));
        memcpy(v->items, p->vals + base, n * sizeof(*v->items));
        v->n_items = n;
    }
    p->n_vals = base;
    p->depth--;
    return s;
}

/* S is at '{'. */
static const char *parse_object(struct parser *p, const char *s, struct jval *v)
{
    const char *open = s, *end = p->end;
    size_t vbase = p->n_vals, kbase = p->n_keys;
    if (!enter(p, s))
        return NULL;
    s = skip_ws(s + 1, end);
    if (s < end && *s == '}') {
        s++;
    } else {
        for (;;) {
            struct str key;
            struct jval value;
            if (s >= end || *s != '"')
                return fail_at(p, s, "expected a string key");
            size_t off = (size_t)(s - p->start);
            s = parse_string(p, s + 1, &key);
            if (s == NULL)
                return NULL;
            push_key(p, key, off);
            s = skip_ws(s, end);
            if (s >= end || *s != ':')
                return fail_at(p, s, "expected ':'");
            s = parse_value(p, skip_ws(s + 1, end), &value);
            if (s == NULL)
                return NULL;
            push_val(p, &value);
            s = skip_ws(s, end);
            if (s < end && *s == ',') {
                s = skip_ws(s + 1, end);
                continue;
            }
            if (s < end && *s == '}') {
                s++;
                break;
            }
            return fail_at(p, s, "expected ',' or '}'");
        }
    }
    size_t n = p->n_vals - vbase;
    if (n > 1 && !check_duplicates(p, p->keys + kbase, n, s))
        return NULL;
    memset(v, 0, sizeof(*v));
    v->type = JV_OBJECT;
    v->str = str_make(open, (size_t)(s - open));
    if (n) {
        struct jval_member *m = arena_alloc(p->arena, n * sizeof(*m));
        for (size_t i = 0; i < n; i++) {
            m[i].key = p->keys[kbase + i].key;
            m[i].value = p->vals[vbase + i];
        }
        v->members = m;
        v->n_members = n;
    }
    p->n_vals = vbase;
    p->n_keys = kbase;
    p->depth--;
    return s;
}

/* S is at the value's first byte (white space already skipped). */
static const char *parse_value(struct parser *p, const char *s, struct jval *v)
{
    if (s >= p->end)
        return fail(p, s, MH_INVAL, "unexpected end of input");
    switch (*s) {
    case '"':
        memset(v, 0, sizeof(*v));
        v->type = JV_STRING;
        return parse_string(p, s + 1, &v->str);
    case '{':
        return parse_object(p, s, v);
    case '[':
        return parse_array(p, s, v);
    case '-': case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
        return parse_number(p, s, v);
    }
    memset(v, 0, sizeof(*v));
    switch (*s) {
    case 't':
        return parse_literal(p, s, v, "true", 4, JV_TRUE);
    case 'f':
        return parse_literal(p, s, v, "false", 5, JV_FALSE);
    case 'n':
        return parse_literal(p, s, v, "null", 4, JV_NULL);
    }
    return fail_at(p, s, "expected a value");
}

/* ------------------------------------------------------------------------ */
/* API                                                                      */
/* ------------------------------------------------------------------------ */

int jread_parse(struct str text, struct arena *arena, struct jval **out, struct jread_error *err)
{
    struct parser p;
    struct jval root;
    p.start = text.ptr ? text.ptr : "";
    p.end = p.start + text.len;
    p.arena = arena;
    p.err = err;
    p.rc = MH_OK;
    p.depth = 0;
    p.vals = p.vals_inline;
    p.keys = p.keys_inline;
    p.n_vals = p.n_keys = 0;
    p.cap_vals = p.cap_keys = INLINE_SLOTS;
    *out = NULL;
    if (err) {
        err->offset = 0;
        err->line = err->column = 0;
        err->text[0] = '\0';
    }

    const char *s = parse_value(&p, skip_ws(p.start, p.end), &root);
    if (s) {
        s = skip_ws(s, p.end);
        if (s < p.end)
            fail_at(&p, s, "expected the end of input after the value");
    }
    if (p.vals != p.vals_inline)
        free(p.vals);
    if (p.keys != p.keys_inline)
        free(p.keys);
    if (p.rc)
        return p.rc;
    *out = arena_alloc(arena, sizeof(**out));
    **out = root;
    return MH_OK;
}

const struct jval *jval_get(const struct jval *v, const char *key)
{
    if (v == NULL || v->type != JV_OBJECT)
        return NULL;
    struct str k = str_c(key);
    for (size_t i = 0; i < v->n_members; i++)
        if (str_eq(v->members[i].key, k))
            return &v->members[i].value;
    return NULL;
}

const char *jval_type_name(enum jval_type t)
{
    static const char *const names[] = {"null",   "false", "true",  "number",
                                        "string", "array", "object"};
    return (unsigned)t < MH_ARRAY_LEN(names) ? names[t] : "?";
}
