/* SPDX-License-Identifier: MIT */
/* ini.c - a line-at-a-time cursor over the text; no allocation. */
#include "core/compat.h"

#include "core/err.h"
#include "core/ini.h"
#include "core/utf8.h"

static bool is_key_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-' || c == '.';
}

static bool valid_name(struct str s)
{
    if (s.len == 0)
        return false;
    for (size_t i = 0; i < s.len; i++)
        if (!is_key_char(s.ptr[i]))
            return false;
    return true;
}

int ini_parse(struct str text, ini_pair_fn *fn, void *ctx, char *errbuf, size_t errlen)
{
    struct str section = STR_LIT("");
    const char *p = text.ptr, *end = text.ptr + text.len;
    size_t bad;
    unsigned lineno = 0;
    char inner[256];

    if (!utf8_valid(text, &bad)) {
        snprintf(errbuf, errlen, "byte %zu: not valid UTF-8", bad);
        return MH_INVAL;
    }
    /* a UTF-8 byte-order mark is tolerated at the start */
    if (text.len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        struct str line = str_trim(str_make(p, (size_t)(eol - p)));
        p = nl ? nl + 1 : end;
        lineno++;
        if (line.len == 0 || line.ptr[0] == '#' || line.ptr[0] == ';')
            continue;
        if (utf8_has_controls(line, false)) {
            snprintf(errbuf, errlen, "line %u: control character", lineno);
            return MH_INVAL;
        }
        if (line.ptr[0] == '[') {
            if (line.ptr[line.len - 1] != ']') {
                snprintf(errbuf, errlen, "line %u: section header without ']'", lineno);
                return MH_INVAL;
            }
            section = str_trim(str_make(line.ptr + 1, line.len - 2));
            if (!valid_name(section)) {
                snprintf(errbuf, errlen, "line %u: bad section name '%.*s'", lineno,
                         (int)(section.len > 64 ? 64 : section.len), section.ptr);
                return MH_INVAL;
            }
            continue;
        }
        const char *eq = memchr(line.ptr, '=', line.len);
        if (eq == NULL) {
            snprintf(errbuf, errlen, "line %u: expected 'key = value'", lineno);
            return MH_INVAL;
        }
        struct str key = str_trim(str_make(line.ptr, (size_t)(eq - line.ptr)));
        struct str value = str_trim(str_make(eq + 1, (size_t)(line.ptr + line.len - eq - 1)));
        if (!valid_name(key)) {
            snprintf(errbuf, errlen, "line %u: bad key '%.*s'", lineno,
                     (int)(key.len > 64 ? 64 : key.len), key.ptr);
            return MH_INVAL;
        }
        /* optional double quotes keep leading/trailing spaces */
        if (value.len >= 2 && value.ptr[0] == '"' && value.ptr[value.len - 1] == '"')
            value = str_make(value.ptr + 1, value.len - 2);
        inner[0] = '\0';
        int rc = fn(ctx, section, key, value, inner, sizeof(inner));
        if (rc) {
            snprintf(errbuf, errlen, "line %u: %s", lineno, inner);
            return rc;
        }
    }
    return MH_OK;
}
