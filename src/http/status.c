/* SPDX-License-Identifier: MIT */
/*
 * status.c - the one place where a return code becomes an HTTP status
 * (STYLE.md section 4), and the reason phrases of the statuses we send.
 * Handlers return rc; only the server calls http_status_for().
 */
#include "core/compat.h"

#include "core/err.h"
#include "http/http.h"

int http_status_for(int rc)
{
    switch (rc) {
    case MH_OK:
        return 200;
    case MH_INVAL:
        return 400;
    case MH_FORBIDDEN:
        return 403;
    case MH_NOTFOUND:
        return 404;
    case MH_CONFLICT:
        return 409;
    case MH_GONE:
        return 410;
    case MH_TOOBIG:
        return 413;
    case MH_TIMEOUT:
        return 503;
    default: /* MH_IO, MH_DB and anything unexpected: the details go to the log, not the client */
        return 500;
    }
}

const char *http_status_reason(int status)
{
    static const struct {
        int status;
        const char *reason;
    } reasons[] = {
        {200, "OK"},
        {201, "Created"},
        {204, "No Content"},
        {301, "Moved Permanently"},
        {302, "Found"},
        {303, "See Other"},
        {304, "Not Modified"},
        {307, "Temporary Redirect"},
        {308, "Permanent Redirect"},
        {400, "Bad Request"},
        {401, "Unauthorized"},
        {403, "Forbidden"},
        {404, "Not Found"},
        {405, "Method Not Allowed"},
        {408, "Request Timeout"},
        {409, "Conflict"},
        {410, "Gone"},
        {411, "Length Required"},
        {412, "Precondition Failed"},
        {413, "Content Too Large"},
        {414, "URI Too Long"},
        {415, "Unsupported Media Type"},
        {429, "Too Many Requests"},
        {431, "Request Header Fields Too Large"},
        {500, "Internal Server Error"},
        {501, "Not Implemented"},
        {503, "Service Unavailable"},
    };
    for (size_t i = 0; i < MH_ARRAY_LEN(reasons); i++) {
        if (reasons[i].status == status)
            return reasons[i].reason;
    }
    return "Unknown";
}
