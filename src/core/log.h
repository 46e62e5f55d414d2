/* SPDX-License-Identifier: MIT */
/*
 * log.h - messages for operators on standard error.  Log once, where the
 * context is, in lower case without a full stop.  Access logs belong to
 * http/, not here.
 */
#ifndef MH_CORE_LOG_H
#define MH_CORE_LOG_H

#include "core/compat.h"

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR, LOG_QUIET };

/* Messages below LEVEL are dropped.  Default LOG_INFO. */
void log_set_level(enum log_level level);
/* Prefix of every line ("masthead"). */
void log_set_prefix(const char *prefix);

void log_msg(enum log_level level, const char *fmt, ...) MH_PRINTF(2, 3);
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

#endif
