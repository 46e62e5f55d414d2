/* SPDX-License-Identifier: MIT */
/* log.c - one line per message, written with a single fputs so threads don't interleave. */
#include "core/compat.h"

#include <stdarg.h>

#include "core/log.h"

static enum log_level min_level = LOG_INFO;
static const char *prefix = "masthead";

void log_set_level(enum log_level level)
{
    min_level = level;
}

void log_set_prefix(const char *p)
{
    prefix = p;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
    static const char *const names[] = {"debug", "info", "warning", "error", ""};
    char line[2048];
    int n;
    va_list ap;
    if (level < min_level)
        return;
    n = snprintf(line, sizeof(line), "%s: %s%s", prefix,
                 level == LOG_INFO ? "" : names[level], level == LOG_INFO ? "" : ": ");
    if (n < 0 || (size_t)n >= sizeof(line))
        n = 0;
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
    va_end(ap);
    size_t len = strlen(line);
    line[len] = '\n';
    line[len + 1] = '\0';
    fputs(line, stderr);
}
