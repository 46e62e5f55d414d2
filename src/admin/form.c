/* SPDX-License-Identifier: MIT */
/*
 * form.c - the admin forms' own small parsers, pure functions fuzzed by
 * tests/fuzz/fuzz_admin_form.c: lists typed one per line or comma separated
 * (authors, keywords), link lines "Title | URL", the date-time of an
 * <input type=datetime-local>, and a number from 0 to 1 (a focal point).  Whether the values are acceptable (URLs,
 * lengths, dates in the future) is the newsroom library's to say.
 */
#include "core/compat.h"

#include "admin/admin_int.h"
#include "core/arena.h"
#include "core/err.h"

/* Split TEXT at newlines (and, with COMMA, at commas) into trimmed,
 * non-empty items in ARENA. */
void admin_split_list(struct arena *arena, struct str text, bool comma, struct str **out,
                       size_t *n)
{
    size_t cap = 1;
    for (size_t i = 0; i < text.len; i++)
        cap += text.ptr[i] == '\n' || (comma && text.ptr[i] == ',');
    *out = arena_alloc(arena, cap * sizeof(**out));
    *n = 0;
    const char *p = text.ptr, *end = text.ptr + text.len;
    while (p && p <= end && text.len) {
        const char *q = p;
        while (q < end && *q != '\n' && !(comma && *q == ','))
            q++;
        struct str item = str_trim(str_make(p, (size_t)(q - p)));
        if (item.len && item.ptr[item.len - 1] == '\r')
            item.len--;
        if (item.len)
            (*out)[(*n)++] = item;
        if (q >= end)
            break;
        p = q + 1;
    }
}

/* "Title | URL" per line into links, in ARENA.  false on a line without '|'. */
bool admin_parse_links(struct arena *arena, struct str text, struct link **out, size_t *n)
{
    size_t cap = 1;
    for (size_t i = 0; i < text.len; i++)
        cap += text.ptr[i] == '\n';
    *out = arena_zalloc(arena, cap * sizeof(**out));
    *n = 0;
    const char *p = text.ptr, *end = text.ptr + text.len;
    while (text.len && p < end) {
        const char *q = memchr(p, '\n', (size_t)(end - p));
        if (q == NULL)
            q = end;
        struct str line = str_trim(str_make(p, (size_t)(q - p)));
        p = q + 1;
        if (line.len == 0)
            continue;
        const char *bar = NULL;
        for (size_t i = line.len; i > 0 && bar == NULL; i--)
            if (line.ptr[i - 1] == '|')
                bar = line.ptr + i - 1;
        if (bar == NULL)
            return false;
        (*out)[*n].title = str_trim(str_make(line.ptr, (size_t)(bar - line.ptr)));
        (*out)[(*n)++].url = str_trim(str_make(bar + 1, (size_t)(line.ptr + line.len - bar - 1)));
    }
    return true;
}

static int digits(const char *p, int n, int lo, int hi, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return MH_INVAL;
        v = v * 10 + (p[i] - '0');
    }
    if (v < lo || v > hi)
        return MH_INVAL;
    *out = v;
    return MH_OK;
}

int admin_parse_time(struct str s, int64_t *out)
{
    /* "YYYY-MM-DDTHH:MM", then ":SS" and ".s" to ".sss" (what datetime-local sends) */
    int y, mo, d, h, mi, sec = 0, ms = 0;
    const char *p = s.ptr;
    if (s.len < 16 || p[4] != '-' || p[7] != '-' || (p[10] != 'T' && p[10] != ' ') ||
        p[13] != ':')
        return MH_INVAL;
    if (digits(p, 4, 1970, 9999, &y) || digits(p + 5, 2, 1, 12, &mo) ||
        digits(p + 8, 2, 1, 31, &d) || digits(p + 11, 2, 0, 23, &h) ||
        digits(p + 14, 2, 0, 59, &mi))
        return MH_INVAL;
    if (s.len > 16) {
        if (s.len < 19 || p[16] != ':' || digits(p + 17, 2, 0, 59, &sec))
            return MH_INVAL;
        if (s.len > 19) {
            size_t frac = s.len - 20;
            if (p[19] != '.' || frac < 1 || frac > 3 || digits(p + 20, (int)frac, 0, 999, &ms))
                return MH_INVAL;
            for (size_t k = frac; k < 3; k++)
                ms *= 10;
        }
    }
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > mdays[mo - 1] + (mo == 2 && leap))
        return MH_INVAL;
    /* days from civil (Howard Hinnant) */
    int yy = y - (mo <= 2);
    int era = yy / 400;
    int yoe = yy - era * 400;
    int doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    int64_t days = (int64_t)era * 146097 + doe - 719468;
    *out = ((days * 24 + h) * 60 + mi) * 60000 + (int64_t)sec * 1000 + ms;
    return MH_OK;
}

int admin_parse_unit(struct str s, double *out)
{
    char buf[32], *end;
    bool point = false;
    s = str_trim(s);
    if (s.len == 0 || s.len >= sizeof(buf))
        return MH_INVAL;
    for (size_t i = 0; i < s.len; i++) {
        if (s.ptr[i] == '.' && !point)
            point = true;
        else if (s.ptr[i] < '0' || s.ptr[i] > '9')
            return MH_INVAL;
    }
    memcpy(buf, s.ptr, s.len);
    buf[s.len] = '\0';
    double v = strtod(buf, &end);
    if (*end != '\0' || !(v >= 0.0 && v <= 1.0))
        return MH_INVAL;
    *out = v;
    return MH_OK;
}
