/* SPDX-License-Identifier: MIT */
/*
 * markdown.c - md4c's parser calls us back block by block and span by span;
 * we write plain HTML into a buffer and sanitize_html() has the last word.
 * md4c's own HTML renderer is not used: we need the image-with-caption rule,
 * <s> for strikethrough, and entities passed through for the HTML parser to
 * decode (md4c hands them over verbatim, and gumbo knows the entity table).
 * Raw HTML is copied as it is; it can close our elements early or swallow
 * the rest (an unclosed <!-- or <textarea>), as it would in any CommonMark
 * renderer, but what comes out is always sanitized.
 */
#include "core/compat.h"

#include <md4c.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/utf8.h"
#include "render/escape.h"
#include "render/markdown.h"
#include "render/sanitize.h"

#define MARKDOWN_FLAGS \
    (MD_FLAG_PERMISSIVEAUTOLINKS | MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH)

/*
 * md4c 0.4.8 (Debian 12) reads a little past the end of its input in some
 * corners (valgrind shows it; fuzz_markdown found it, as text callbacks that
 * ran past the end).  It gets a copy with this much padding after the end.
 */
#define MD4C_PADDING 16

struct block {
    MD_BLOCKTYPE type;
    size_t open; /* html.len just after its start tag */
};

/*
 * An image with a title first in a paragraph or list item is written as
 * <img ... title="T"> and remembered here; if the block ends right after
 * it, leave_block() turns it into a figure with T as the caption.
 */
struct figure {
    size_t img, title, end; /* where "<img", " title=" and the end of the tag are */
};

struct md {
    struct buf html;
    struct block *blocks; /* the open blocks, innermost last */
    size_t nblocks, cap;
    unsigned spans;       /* open spans outside images */
    unsigned img;         /* > 0: inside an image's alt text, so many images deep */
    bool candidate;       /* the image being written may become a figure */
    struct figure fig;    /* the last candidate written (end SIZE_MAX: none) */
};

static const struct block *top_block(const struct md *r)
{
    static const struct block doc = {MD_BLOCK_DOC, 0};
    return r->nblocks ? &r->blocks[r->nblocks - 1] : &doc;
}

/*
 * Text of an attribute: for a URL, percent-encode all but the characters
 * URLs use; otherwise escape for HTML.  Entities go through as they are.
 */
static void put_md_attr(struct buf *b, const MD_ATTRIBUTE *a, bool url)
{
    static const char hex[] = "0123456789ABCDEF";
    if (a->size == 0)
        return; /* then md4c may leave substr_offsets NULL */
    for (unsigned i = 0; a->substr_offsets[i] < a->size; i++) {
        const char *s = a->text + a->substr_offsets[i];
        size_t n = a->substr_offsets[i + 1] - a->substr_offsets[i];
        switch (a->substr_types[i]) {
        case MD_TEXT_NULLCHAR:
            buf_adds(b, url ? "%EF%BF%BD" : "\xEF\xBF\xBD");
            break;
        case MD_TEXT_ENTITY:
            buf_add(b, s, n);
            break;
        default:
            if (!url) {
                escape_html(b, str_make(s, n));
                break;
            }
            for (size_t j = 0; j < n; j++) {
                unsigned char c = (unsigned char)s[j];
                if (c == '&') {
                    buf_adds(b, "&amp;");
                } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                           (c >= '0' && c <= '9') || (c && strchr("-_.+!*(),%#@?=;:/$~", c))) {
                    buf_addc(b, (char)c);
                } else {
                    char e[3] = {'%', hex[c >> 4], hex[c & 15]};
                    buf_add(b, e, 3);
                }
            }
            break;
        }
    }
}

/* class="language-xxx" for a fenced code block, when xxx is a plain word. */
static void put_lang(struct buf *b, const MD_ATTRIBUTE *lang)
{
    char word[33];
    size_t n = 0;
    if (lang->size == 0)
        return;
    for (unsigned i = 0; lang->substr_offsets[i] < lang->size; i++) {
        if (lang->substr_types[i] != MD_TEXT_NORMAL)
            return;
        for (MD_OFFSET j = lang->substr_offsets[i]; j < lang->substr_offsets[i + 1]; j++) {
            char c = lang->text[j];
            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            if (n == sizeof(word) - 1 || !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                                           c == '-' || c == '_'))
                return;
            word[n++] = c;
        }
    }
    if (n == 0)
        return;
    buf_adds(b, " class=\"language-");
    buf_add(b, word, n);
    buf_addc(b, '"');
}

static void put_align(struct buf *b, const MD_BLOCK_TD_DETAIL *d)
{
    static const char *const align[] = {
        [MD_ALIGN_LEFT] = " align=\"left\"",
        [MD_ALIGN_CENTER] = " align=\"center\"",
        [MD_ALIGN_RIGHT] = " align=\"right\"",
    };
    if (d->align != MD_ALIGN_DEFAULT && (size_t)d->align < MH_ARRAY_LEN(align))
        buf_adds(b, align[d->align]);
}

/*
 * If the block B (a p or an li) holds nothing but a candidate image, write
 * it again as a figure, and return true (a p then loses its own tags).
 */
static bool make_figure(struct md *r, const struct block *b)
{
    struct buf *h = &r->html;
    struct figure f = r->fig;
    if (f.end != h->len || f.img != b->open || h->err)
        return false;
    size_t img_len = f.title - f.img;
    size_t cap_at = f.title + strlen(" title=\"");
    size_t cap_len = f.end - 2 - cap_at; /* the value, without '">' */
    char *copy = mh_malloc(f.end - f.img);
    memcpy(copy, h->data + f.img, f.end - f.img);
    buf_truncate(h, b->type == MD_BLOCK_P ? b->open - strlen("<p>") : b->open);
    buf_adds(h, "<figure>");
    buf_add(h, copy, img_len);
    buf_adds(h, "><figcaption>");
    buf_add(h, copy + (cap_at - f.img), cap_len); /* escaped for an attribute: fine as text */
    buf_adds(h, "</figcaption></figure>\n");
    free(copy);
    r->fig.end = SIZE_MAX;
    return true;
}

static int enter_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
    struct md *r = ud;
    struct buf *b = &r->html;
    if (r->nblocks == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 16;
        r->blocks = mh_realloc(r->blocks, r->cap * sizeof(*r->blocks));
    }
    struct block *blk = &r->blocks[r->nblocks++];
    blk->type = type;
    switch (type) {
    case MD_BLOCK_QUOTE: buf_adds(b, "<blockquote>\n"); break;
    case MD_BLOCK_UL: buf_adds(b, "<ul>\n"); break;
    case MD_BLOCK_OL: {
        const MD_BLOCK_OL_DETAIL *d = detail;
        if (d->start != 1)
            buf_addf(b, "<ol start=\"%u\">\n", d->start);
        else
            buf_adds(b, "<ol>\n");
        break;
    }
    case MD_BLOCK_LI: buf_adds(b, "<li>"); break;
    case MD_BLOCK_HR: buf_adds(b, "<hr>\n"); break;
    case MD_BLOCK_H: buf_addf(b, "<h%u>", ((const MD_BLOCK_H_DETAIL *)detail)->level); break;
    case MD_BLOCK_CODE:
        buf_adds(b, "<pre><code");
        put_lang(b, &((const MD_BLOCK_CODE_DETAIL *)detail)->lang);
        buf_addc(b, '>');
        break;
    case MD_BLOCK_P: buf_adds(b, "<p>"); break;
    case MD_BLOCK_TABLE: buf_adds(b, "<table>"); break; /* no white space: the sanitizer drops it */
    case MD_BLOCK_THEAD: buf_adds(b, "<thead>"); break;
    case MD_BLOCK_TBODY: buf_adds(b, "<tbody>"); break;
    case MD_BLOCK_TR: buf_adds(b, "<tr>"); break;
    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
        buf_adds(b, type == MD_BLOCK_TH ? "<th" : "<td");
        put_align(b, detail);
        buf_addc(b, '>');
        break;
    default: /* MD_BLOCK_DOC, MD_BLOCK_HTML: nothing of our own */
        break;
    }
    blk->open = b->len;
    return b->err ? -1 : 0;
}

static int leave_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
    struct md *r = ud;
    struct buf *b = &r->html;
    struct block blk = *top_block(r);
    r->nblocks--;
    switch (type) {
    case MD_BLOCK_QUOTE: buf_adds(b, "</blockquote>\n"); break;
    case MD_BLOCK_UL: buf_adds(b, "</ul>\n"); break;
    case MD_BLOCK_OL: buf_adds(b, "</ol>\n"); break;
    case MD_BLOCK_LI:
        make_figure(r, &blk);
        buf_adds(b, "</li>\n");
        break;
    case MD_BLOCK_H: buf_addf(b, "</h%u>\n", ((const MD_BLOCK_H_DETAIL *)detail)->level); break;
    case MD_BLOCK_CODE: buf_adds(b, "</code></pre>\n"); break;
    case MD_BLOCK_P:
        if (!make_figure(r, &blk))
            buf_adds(b, "</p>\n");
        break;
    case MD_BLOCK_TABLE: buf_adds(b, "</table>\n"); break;
    case MD_BLOCK_THEAD: buf_adds(b, "</thead>"); break;
    case MD_BLOCK_TBODY: buf_adds(b, "</tbody>"); break;
    case MD_BLOCK_TR: buf_adds(b, "</tr>"); break;
    case MD_BLOCK_TH: buf_adds(b, "</th>"); break;
    case MD_BLOCK_TD: buf_adds(b, "</td>"); break;
    default:
        break;
    }
    return b->err ? -1 : 0;
}

static int enter_span(MD_SPANTYPE type, void *detail, void *ud)
{
    struct md *r = ud;
    struct buf *b = &r->html;
    if (r->img > 0) { /* alt text is plain: no tags, and images inside are text */
        r->img += type == MD_SPAN_IMG;
        return 0;
    }
    switch (type) {
    case MD_SPAN_EM: buf_adds(b, "<em>"); break;
    case MD_SPAN_STRONG: buf_adds(b, "<strong>"); break;
    case MD_SPAN_CODE: buf_adds(b, "<code>"); break;
    case MD_SPAN_DEL: buf_adds(b, "<s>"); break;
    case MD_SPAN_U: buf_adds(b, "<u>"); break;
    case MD_SPAN_A: {
        const MD_SPAN_A_DETAIL *d = detail;
        buf_adds(b, "<a href=\"");
        put_md_attr(b, &d->href, true);
        buf_addc(b, '"');
        if (d->title.size) {
            buf_adds(b, " title=\"");
            put_md_attr(b, &d->title, false);
            buf_addc(b, '"');
        }
        buf_addc(b, '>');
        break;
    }
    case MD_SPAN_IMG: {
        const MD_SPAN_IMG_DETAIL *d = detail;
        const struct block *top = top_block(r);
        r->candidate = d->title.size > 0 && r->spans == 0 && b->len == top->open &&
                       (top->type == MD_BLOCK_P || top->type == MD_BLOCK_LI);
        r->fig.img = b->len;
        buf_adds(b, "<img src=\"");
        put_md_attr(b, &d->src, true);
        buf_adds(b, "\" alt=\"");
        r->img = 1;
        return b->err ? -1 : 0;
    }
    default: /* LaTeX and wiki links are not enabled */
        break;
    }
    r->spans++;
    return b->err ? -1 : 0;
}

static int leave_span(MD_SPANTYPE type, void *detail, void *ud)
{
    struct md *r = ud;
    struct buf *b = &r->html;
    if (r->img > 0) {
        if (type != MD_SPAN_IMG || --r->img > 0)
            return 0;
        const MD_SPAN_IMG_DETAIL *d = detail;
        buf_addc(b, '"');
        r->fig.title = b->len;
        if (d->title.size) {
            buf_adds(b, " title=\"");
            put_md_attr(b, &d->title, false);
            buf_addc(b, '"');
        }
        buf_addc(b, '>');
        r->fig.end = r->candidate ? b->len : SIZE_MAX;
        return b->err ? -1 : 0;
    }
    switch (type) {
    case MD_SPAN_EM: buf_adds(b, "</em>"); break;
    case MD_SPAN_STRONG: buf_adds(b, "</strong>"); break;
    case MD_SPAN_CODE: buf_adds(b, "</code>"); break;
    case MD_SPAN_DEL: buf_adds(b, "</s>"); break;
    case MD_SPAN_U: buf_adds(b, "</u>"); break;
    case MD_SPAN_A: buf_adds(b, "</a>"); break;
    default:
        break;
    }
    r->spans--;
    return b->err ? -1 : 0;
}

static int text(MD_TEXTTYPE type, const MD_CHAR *s, MD_SIZE n, void *ud)
{
    struct md *r = ud;
    struct buf *b = &r->html;
    switch (type) {
    case MD_TEXT_NULLCHAR:
        buf_adds(b, "\xEF\xBF\xBD");
        break;
    case MD_TEXT_BR:
        buf_adds(b, r->img ? " " : "<br>\n");
        break;
    case MD_TEXT_SOFTBR:
        buf_addc(b, r->img ? ' ' : '\n');
        break;
    case MD_TEXT_ENTITY: /* &name; &#123; &#x1F; for the HTML parser to decode */
        buf_add(b, s, n);
        break;
    case MD_TEXT_HTML:
        if (r->img)
            escape_html(b, str_make(s, n));
        else
            buf_add(b, s, n); /* raw HTML: sanitize_html() deals with it */
        break;
    default:
        escape_html(b, str_make(s, n));
        break;
    }
    return b->err ? -1 : 0;
}

int markdown_render(struct str md, struct buf *out)
{
    if (md.len > MH_MAX_BODY)
        return MH_TOOBIG;
    if (!utf8_valid(md, NULL))
        return MH_INVAL;
    struct md r = {.fig.end = SIZE_MAX};
    MD_PARSER parser = {
        .abi_version = 0,
        .flags = MARKDOWN_FLAGS,
        .enter_block = enter_block,
        .leave_block = leave_block,
        .enter_span = enter_span,
        .leave_span = leave_span,
        .text = text,
    };
    buf_init(&r.html, NULL, MH_MAX_BODY);
    char *padded = mh_malloc(md.len + MD4C_PADDING);
    if (md.len)
        memcpy(padded, md.ptr, md.len);
    memset(padded + md.len, '\n', MD4C_PADDING);
    int ret = md_parse(padded, (MD_SIZE)md.len, &parser, &r);
    free(padded);
    int rc = r.html.err;
    if (rc == MH_OK && ret != 0)
        rc = MH_TOOBIG; /* md4c gives up only when out of memory */
    if (rc == MH_OK)
        rc = sanitize_html(buf_str(&r.html), out);
    free(r.blocks);
    buf_release(&r.html);
    return rc;
}
