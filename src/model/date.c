/* SPDX-License-Identifier: MIT */
/*
 * date.c - RFC 3339 parsing and formatting, and civil time in IANA zones.
 * The calendar arithmetic is Howard Hinnant's days_from_civil; zone offsets
 * come from ICU's calendar, cached per thread since opening one is slow.
 */
#include "core/compat.h"

#include <pthread.h>
#include <unicode/ucal.h>
#include <unicode/ustring.h>

#include "core/buf.h"
#include "core/err.h"
#include "model/date.h"

int64_t date_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void date_civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static int days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dm[m - 1];
}

/* N decimal digits at *P into *OUT; advances on success only. */
static bool digits(const char **p, const char *end, int n, int *out)
{
    int v = 0;
    if (end - *p < n)
        return false;
    for (int i = 0; i < n; i++) {
        unsigned c = (unsigned char)(*p)[i] - '0';
        if (c > 9)
            return false;
        v = v * 10 + (int)c;
    }
    *p += n;
    *out = v;
    return true;
}

static bool lit(const char **p, const char *end, char c)
{
    if (*p < end && **p == c) {
        (*p)++;
        return true;
    }
    return false;
}

int date_parse_rfc3339(struct str s, int64_t *ms_out)
{
    const char *p = s.ptr, *end = s.ptr + s.len;
    int y, mo, d, h, mi, sec, ms = 0, oh = 0, om = 0, sign = 0;
    if (!(digits(&p, end, 4, &y) && lit(&p, end, '-') && digits(&p, end, 2, &mo) &&
          lit(&p, end, '-') && digits(&p, end, 2, &d)))
        return MH_INVAL;
    if (!(lit(&p, end, 'T') || lit(&p, end, 't') || lit(&p, end, ' ')))
        return MH_INVAL;
    if (!(digits(&p, end, 2, &h) && lit(&p, end, ':') && digits(&p, end, 2, &mi) &&
          lit(&p, end, ':') && digits(&p, end, 2, &sec)))
        return MH_INVAL;
    if (lit(&p, end, '.')) {
        int n = 0;
        while (p < end && *p >= '0' && *p <= '9') {
            if (n < 3)
                ms = ms * 10 + (*p - '0');
            n++;
            p++;
        }
        if (n == 0 || n > 9)
            return MH_INVAL;
        for (; n < 3; n++)
            ms *= 10;
    }
    if (lit(&p, end, 'Z') || lit(&p, end, 'z')) {
        sign = 0;
    } else if (lit(&p, end, '+')) {
        sign = 1;
    } else if (lit(&p, end, '-')) {
        sign = -1;
    } else {
        return MH_INVAL;
    }
    if (sign && !(digits(&p, end, 2, &oh) && lit(&p, end, ':') && digits(&p, end, 2, &om)))
        return MH_INVAL;
    if (p != end)
        return MH_INVAL;
    if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 ||
        sec > 60 || oh > 23 || om > 59)
        return MH_INVAL;
    if (sec == 60) /* a leap second is the last millisecond of its minute */
        sec = 59, ms = 999;
    int64_t t = date_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
    t -= (int64_t)sign * (oh * 3600 + om * 60);
    /* keep a day's margin so the instant has a four-digit year in every zone */
    if (t < date_days_from_civil(1000, 1, 2) * 86400 ||
        t >= date_days_from_civil(9999, 12, 31) * 86400)
        return MH_INVAL;
    *ms_out = t * 1000 + ms;
    return MH_OK;
}

/* Per-thread cache of open ICU calendars, one per zone name; a thread's
 * cache is closed when the thread ends (server threads come and go). */
#define ZONE_CACHE 4
struct zone_cache {
    struct {
        char name[64];
        UCalendar *cal;
        bool valid;
    } z[ZONE_CACHE];
    unsigned next;
};

static pthread_key_t zone_key;
static pthread_once_t zone_once = PTHREAD_ONCE_INIT;

static void zone_cache_free(void *p)
{
    struct zone_cache *c = p;
    for (int i = 0; i < ZONE_CACHE; i++)
        if (c->z[i].cal)
            ucal_close(c->z[i].cal);
    free(c);
}

static void zone_key_make(void)
{
    if (pthread_key_create(&zone_key, zone_cache_free) != 0)
        MH_BUG("cannot create the time-zone cache key");
}

static struct zone_cache *zone_cache_get(void)
{
    pthread_once(&zone_once, zone_key_make);
    struct zone_cache *c = pthread_getspecific(zone_key);
    if (c == NULL) {
        c = mh_calloc(1, sizeof(*c));
        pthread_setspecific(zone_key, c);
    }
    return c;
}

static UCalendar *zone_calendar(struct str tz, bool *valid)
{
    struct zone_cache *c = zone_cache_get();
    if (tz.len == 0 || tz.len >= sizeof(c->z[0].name))
        return NULL;
    for (int i = 0; i < ZONE_CACHE; i++) {
        if (c->z[i].cal && strlen(c->z[i].name) == tz.len &&
            memcmp(c->z[i].name, tz.ptr, tz.len) == 0) {
            *valid = c->z[i].valid;
            return c->z[i].cal;
        }
    }
    UChar id[64], canon[64];
    UErrorCode st = U_ZERO_ERROR;
    UBool is_system = 0;
    for (size_t i = 0; i < tz.len; i++) {
        if ((unsigned char)tz.ptr[i] >= 0x80)
            return NULL;
        id[i] = (UChar)tz.ptr[i];
    }
    ucal_getCanonicalTimeZoneID(id, (int32_t)tz.len, canon, 64, &is_system, &st);
    bool ok = U_SUCCESS(st) && is_system;
    st = U_ZERO_ERROR;
    UCalendar *cal = ucal_open(id, (int32_t)tz.len, "en_US", UCAL_GREGORIAN, &st);
    if (U_FAILURE(st))
        return NULL;
    unsigned slot = c->next++ % ZONE_CACHE;
    if (c->z[slot].cal)
        ucal_close(c->z[slot].cal);
    memcpy(c->z[slot].name, tz.ptr, tz.len);
    c->z[slot].name[tz.len] = '\0';
    c->z[slot].cal = cal;
    c->z[slot].valid = ok;
    *valid = ok;
    return cal;
}

bool date_zone_valid(struct str tz)
{
    bool valid = false;
    return zone_calendar(tz, &valid) != NULL && valid;
}

static int zone_offset_min(int64_t ms, struct str tz, int *out)
{
    bool valid = false;
    if (str_eq_c(tz, "UTC") || str_eq_c(tz, "Etc/UTC")) {
        *out = 0;
        return MH_OK;
    }
    UCalendar *cal = zone_calendar(tz, &valid);
    if (cal == NULL || !valid)
        return MH_INVAL;
    UErrorCode st = U_ZERO_ERROR;
    ucal_setMillis(cal, (UDate)ms, &st);
    int32_t off = ucal_get(cal, UCAL_ZONE_OFFSET, &st);
    off += ucal_get(cal, UCAL_DST_OFFSET, &st);
    if (U_FAILURE(st))
        return MH_INVAL;
    *out = off / 60000;
    return MH_OK;
}

static void civil_at(int64_t ms, int offset_min, struct civil *out)
{
    int64_t local = ms + (int64_t)offset_min * 60000;
    int64_t days = local >= 0 ? local / 86400000 : -((-local + 86399999) / 86400000);
    int64_t rem = local - days * 86400000;
    date_civil_from_days(days, &out->year, &out->month, &out->day);
    out->hour = (int)(rem / 3600000);
    out->min = (int)(rem / 60000 % 60);
    out->sec = (int)(rem / 1000 % 60);
    out->ms = (int)(rem % 1000);
    out->offset_min = offset_min;
}

int date_civil(int64_t ms, struct str tz, struct civil *out)
{
    int off;
    int rc = zone_offset_min(ms, tz, &off);
    if (rc)
        return rc;
    civil_at(ms, off, out);
    return MH_OK;
}

void date_format(struct buf *out, int64_t ms, struct str tz, const char *fmt)
{
    struct civil c;
    int off;
    if (zone_offset_min(ms, tz, &off) != MH_OK)
        off = 0;
    civil_at(ms, off, &c);
    int aoff = off < 0 ? -off : off;
    for (const char *f = fmt; *f; f++) {
        if (*f != '%' || f[1] == '\0') {
            buf_addc(out, *f);
            continue;
        }
        switch (*++f) {
        case 'Y': buf_addf(out, "%04d", c.year); break;
        case 'm': buf_addf(out, "%02d", c.month); break;
        case 'd': buf_addf(out, "%02d", c.day); break;
        case 'H': buf_addf(out, "%02d", c.hour); break;
        case 'M': buf_addf(out, "%02d", c.min); break;
        case 'S': buf_addf(out, "%02d", c.sec); break;
        case 'L': buf_addf(out, "%03d", c.ms); break;
        case 'z': buf_addf(out, "%c%02d%02d", off < 0 ? '-' : '+', aoff / 60, aoff % 60); break;
        case 'Z':
            if (off == 0)
                buf_addc(out, 'Z');
            else
                buf_addf(out, "%c%02d:%02d", off < 0 ? '-' : '+', aoff / 60, aoff % 60);
            break;
        case '%': buf_addc(out, '%'); break;
        default:
            buf_addc(out, '%');
            buf_addc(out, *f);
        }
    }
}

void date_format_rfc3339(struct buf *out, int64_t ms, struct str tz)
{
    date_format(out, ms, tz, "%Y-%m-%dT%H:%M:%S.%L%Z");
}
