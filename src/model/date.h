/* SPDX-License-Identifier: MIT */
/*
 * date.h - instants as milliseconds since the epoch (UTC) and their forms in
 * files and URLs: RFC 3339 with offset and milliseconds, and the civil date
 * in an edition's IANA time zone (via ICU, which carries its own zone data).
 */
#ifndef MH_MODEL_DATE_H
#define MH_MODEL_DATE_H

#include "core/compat.h"
#include "core/str.h"

struct buf;

/* A civil time in some zone. */
struct civil {
    int year, month, day, hour, min, sec, ms;
    int offset_min; /* the zone's offset from UTC at that instant */
};

/* Parse RFC 3339 ("2026-03-06T09:39:50.194+08:00", "Z" or an offset; the
 * fraction is optional, kept to milliseconds; "T" may be "t" or " ").
 * MH_INVAL on anything else, including impossible dates and instants
 * outside the years 1000 to 9999. */
MH_MUST_CHECK int date_parse_rfc3339(struct str s, int64_t *ms_out);

/* The civil time of MS in zone TZ.  MH_INVAL for an unknown zone. */
MH_MUST_CHECK int date_civil(int64_t ms, struct str tz, struct civil *out);
/* True when TZ names a zone ICU knows. */
bool date_zone_valid(struct str tz);

/* Append MS as RFC 3339 in zone TZ with milliseconds and the zone's offset
 * ("2026-03-06T09:39:50.194+08:00"); UTC prints "Z".  Unknown zone: UTC. */
void date_format_rfc3339(struct buf *out, int64_t ms, struct str tz);
/* Append strftime-like FMT for MS in TZ: %Y %m %d %H %M %S %L(ms) %z(+0800)
 * %Z(+08:00) %%; other bytes are copied. */
void date_format(struct buf *out, int64_t ms, struct str tz, const char *fmt);

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int64_t date_days_from_civil(int y, int m, int d);
void date_civil_from_days(int64_t days, int *y, int *m, int *d);

#endif
