/* SPDX-License-Identifier: MIT */
/*
 * site.c - the site folder: masthead.conf, masthead.db and media/ side by
 * side.  It creates new sites with the standard editions and channel trees,
 * opens existing ones (migrating their database), and parses the config.
 */
#include "core/compat.h"

#include <errno.h>
#include <unistd.h>


#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/fs.h"
#include "core/ini.h"
#include "core/limits.h"
#include "store/store_int.h"

/* ------------------------------------------------------------------ */
/* masthead.conf                                                        */

void site_conf_defaults(struct site_conf *c)
{
    memset(c, 0, sizeof(*c));
    snprintf(c->name, sizeof(c->name), "Masthead");
    snprintf(c->default_edition, sizeof(c->default_edition), "english");
    snprintf(c->listen, sizeof(c->listen), "127.0.0.1:8080");
    c->threads = 0;
    c->cache_mb = 64;
    c->access_log = ACCESS_LOG_COMBINED;
    c->feed_full_text = false;
    snprintf(c->indexnow_endpoint, sizeof(c->indexnow_endpoint),
             "https://api.indexnow.org/indexnow");
    snprintf(c->baidu_endpoint, sizeof(c->baidu_endpoint), "http://data.zz.baidu.com/urls");
    c->push_batch = 10000;
    c->push_retry_min_ms = 5000;
    c->push_retry_max_ms = 3600000;
    c->image_max_mb = 32;
    c->image_max_megapixels = 50;
}

static int copy_value(char *dst, size_t cap, struct str v, char *errbuf, size_t errlen)
{
    if (v.len >= cap) {
        snprintf(errbuf, errlen, "value is longer than %zu bytes", cap - 1);
        return MH_TOOBIG;
    }
    memcpy(dst, v.ptr, v.len);
    dst[v.len] = '\0';
    return MH_OK;
}

static int int_value(int *dst, struct str v, int min, int max, char *errbuf, size_t errlen)
{
    int64_t n;
    if (str_to_i64(v, min, max, &n) != MH_OK) {
        snprintf(errbuf, errlen, "'%.*s' is not a whole number from %d to %d",
                 (int)(v.len > 32 ? 32 : v.len), v.ptr, min, max);
        return MH_INVAL;
    }
    *dst = (int)n;
    return MH_OK;
}

static int onoff_value(bool *dst, struct str v, char *errbuf, size_t errlen)
{
    if (str_eq_c(v, "on") || str_eq_c(v, "yes") || str_eq_c(v, "true"))
        *dst = true;
    else if (str_eq_c(v, "off") || str_eq_c(v, "no") || str_eq_c(v, "false"))
        *dst = false;
    else {
        snprintf(errbuf, errlen, "'%.*s' is not on or off", (int)(v.len > 32 ? 32 : v.len),
                 v.ptr);
        return MH_INVAL;
    }
    return MH_OK;
}

/* An http:// or https:// URL without spaces or control characters. */
static int url_value(char *dst, size_t cap, struct str v, char *errbuf, size_t errlen)
{
    bool ok = str_starts(v, "http://") || str_starts(v, "https://");
    for (size_t i = 0; ok && i < v.len; i++)
        ok = (unsigned char)v.ptr[i] > ' ' && v.ptr[i] != 0x7f;
    if (!ok) {
        snprintf(errbuf, errlen, "'%.*s' is not an http:// or https:// URL",
                 (int)(v.len > 64 ? 64 : v.len), v.ptr);
        return MH_INVAL;
    }
    return copy_value(dst, cap, v, errbuf, errlen);
}

/* MIN to MAX characters of [A-Za-z0-9-] (an IndexNow key, a Baidu token). */
static int token_value(char *dst, size_t cap, struct str v, size_t min, char *errbuf,
                       size_t errlen)
{
    bool ok = v.len >= min && v.len < cap;
    for (size_t i = 0; ok && i < v.len; i++) {
        char ch = v.ptr[i];
        ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
             ch == '-';
    }
    if (!ok) {
        snprintf(errbuf, errlen, "must be %zu to %zu letters, digits or '-'", min, cap - 1);
        return MH_INVAL;
    }
    return copy_value(dst, cap, v, errbuf, errlen);
}

static int conf_pair(void *ctx, struct str section, struct str key, struct str v, char *errbuf,
                     size_t errlen)
{
    struct site_conf *c = ctx;
    if (str_eq_c(section, "site")) {
        if (str_eq_c(key, "name"))
            return copy_value(c->name, sizeof(c->name), v, errbuf, errlen);
        if (str_eq_c(key, "default_edition"))
            return copy_value(c->default_edition, sizeof(c->default_edition), v, errbuf, errlen);
    } else if (str_eq_c(section, "serve")) {
        if (str_eq_c(key, "listen"))
            return copy_value(c->listen, sizeof(c->listen), v, errbuf, errlen);
        if (str_eq_c(key, "threads"))
            return int_value(&c->threads, v, 0, 256, errbuf, errlen);
        if (str_eq_c(key, "cache_mb"))
            return int_value(&c->cache_mb, v, 0, 65536, errbuf, errlen);
        if (str_eq_c(key, "access_log")) {
            if (str_eq_c(v, "combined"))
                c->access_log = ACCESS_LOG_COMBINED;
            else if (str_eq_c(v, "json"))
                c->access_log = ACCESS_LOG_JSON;
            else if (str_eq_c(v, "off"))
                c->access_log = ACCESS_LOG_OFF;
            else {
                snprintf(errbuf, errlen, "access_log must be combined, json or off");
                return MH_INVAL;
            }
            return MH_OK;
        }
    } else if (str_eq_c(section, "feeds")) {
        if (str_eq_c(key, "full_text"))
            return onoff_value(&c->feed_full_text, v, errbuf, errlen);
    } else if (str_eq_c(section, "push")) {
        if (str_eq_c(key, "indexnow"))
            return onoff_value(&c->push_indexnow, v, errbuf, errlen);
        if (str_eq_c(key, "baidu"))
            return onoff_value(&c->push_baidu, v, errbuf, errlen);
        if (str_eq_c(key, "indexnow_endpoint"))
            return url_value(c->indexnow_endpoint, sizeof(c->indexnow_endpoint), v, errbuf,
                             errlen);
        if (str_eq_c(key, "baidu_endpoint"))
            return url_value(c->baidu_endpoint, sizeof(c->baidu_endpoint), v, errbuf, errlen);
        if (str_eq_c(key, "indexnow_key"))
            return token_value(c->indexnow_key, sizeof(c->indexnow_key), v, 8, errbuf, errlen);
        if (str_eq_c(key, "baidu_token"))
            return token_value(c->baidu_token, sizeof(c->baidu_token), v, 1, errbuf, errlen);
        if (str_eq_c(key, "batch"))
            return int_value(&c->push_batch, v, 1, 10000, errbuf, errlen);
        if (str_eq_c(key, "retry_min_ms"))
            return int_value(&c->push_retry_min_ms, v, 1, 86400000, errbuf, errlen);
        if (str_eq_c(key, "retry_max_ms"))
            return int_value(&c->push_retry_max_ms, v, 1, 86400000, errbuf, errlen);
    } else if (str_eq_c(section, "images")) {
        if (str_eq_c(key, "max_mb"))
            return int_value(&c->image_max_mb, v, 1, 64, errbuf, errlen);
        if (str_eq_c(key, "max_megapixels"))
            return int_value(&c->image_max_megapixels, v, 1, 900, errbuf, errlen);
    } else {
        snprintf(errbuf, errlen, "unknown section [%.*s]", (int)(section.len > 32 ? 32 : section.len),
                 section.ptr);
        return MH_INVAL;
    }
    snprintf(errbuf, errlen, "unknown key '%.*s' in [%.*s]", (int)(key.len > 32 ? 32 : key.len),
             key.ptr, (int)section.len, section.ptr);
    return MH_INVAL;
}

int site_conf_parse(struct str text, struct site_conf *conf, char *errbuf, size_t errlen)
{
    site_conf_defaults(conf);
    int rc = ini_parse(text, conf_pair, conf, errbuf, errlen);
    if (rc)
        return rc;
    if (conf->push_indexnow && conf->indexnow_key[0] == '\0') {
        snprintf(errbuf, errlen, "[push] indexnow = on needs an indexnow_key");
        return MH_INVAL;
    }
    if (conf->push_baidu && conf->baidu_token[0] == '\0') {
        snprintf(errbuf, errlen, "[push] baidu = on needs a baidu_token");
        return MH_INVAL;
    }
    if (conf->push_retry_max_ms < conf->push_retry_min_ms) {
        snprintf(errbuf, errlen, "[push] retry_max_ms is below retry_min_ms");
        return MH_INVAL;
    }
    return MH_OK;
}

static const char default_conf[] =
    "# masthead.conf - settings of this Masthead site.  Lines are 'key = value';\n"
    "# '#' starts a comment.  Content (editions, channels, links) lives in the\n"
    "# database and is managed in the newsroom, not here.\n"
    "\n"
    "[site]\n"
    "name = Masthead\n"
    "# the edition that / redirects to\n"
    "default_edition = english\n"
    "\n"
    "[serve]\n"
    "# address and port of 'masthead serve'\n"
    "listen = 127.0.0.1:8080\n"
    "# worker threads; 0 means one per core\n"
    "threads = 0\n"
    "# memory for rendered pages, in MiB\n"
    "cache_mb = 64\n"
    "# access log on standard output: combined, json or off\n"
    "access_log = combined\n"
    "\n"
    "[feeds]\n"
    "# whole articles in the RSS and Atom feeds (off: title, abstract and link)\n"
    "full_text = off\n"
    "\n"
    "[push]\n"
    "# tell search engines about published, changed and withdrawn articles\n"
    "# IndexNow: the key (8-128 letters, digits or '-') is served at /KEY.txt\n"
    "indexnow = off\n"
    "indexnow_endpoint = https://api.indexnow.org/indexnow\n"
    "# indexnow_key = \n"
    "# Baidu's link submission interface; site= is each edition's base URL\n"
    "baidu = off\n"
    "baidu_endpoint = http://data.zz.baidu.com/urls\n"
    "# baidu_token = \n"
    "# URLs per request (at most 10000), and the backoff after a failure\n"
    "batch = 10000\n"
    "retry_min_ms = 5000\n"
    "retry_max_ms = 3600000\n"
    "\n"
    "[images]\n"
    "# the largest image file accepted, in MiB (at most 64)\n"
    "max_mb = 32\n"
    "# the most pixels (width x height, in millions) an image may declare;\n"
    "# more is refused before anything is decoded\n"
    "max_megapixels = 50\n";

/* ------------------------------------------------------------------ */
/* The standard newspaper skeleton                                      */

struct std_channel {
    const char *slug, *en, *zh;
    enum channel_kind kind;
};

/* The channel navigation of a science-and-technology daily's sites. */
static const struct std_channel std_channels[] = {
    {"news", "News", "新闻", CHANNEL_REGULAR},
    {"innovation-china", "Innovation China", "创新中国", CHANNEL_REGULAR},
    {"cooperation", "Cooperation", "合作", CHANNEL_REGULAR},
    {"insight", "Insight", "观察", CHANNEL_REGULAR},
    {"policy", "Policy", "政策", CHANNEL_REGULAR},
    {"case", "Case", "案例", CHANNEL_REGULAR},
    {"experts-in-china", "Experts in China", "在华专家", CHANNEL_REGULAR},
    {"graphic", "Graphic", "图解", CHANNEL_REGULAR},
    {"science-week", "Science Week", "科学周", CHANNEL_SPECIAL},
};

static int create_skeleton(struct store *s)
{
    const struct edition eds[] = {
        {STR_LIT("english"), STR_LIT("English"), STR_LIT("en"), STR_LIT("Asia/Shanghai"),
         STR_LIT("http://127.0.0.1:8080"), 0, true},
        {STR_LIT("zh"), STR_LIT("中文"), STR_LIT("zh-CN"), STR_LIT("Asia/Shanghai"),
         STR_LIT("http://127.0.0.1:8080"), 1, false},
    };
    int rc = store_begin(s);
    for (size_t e = 0; rc == MH_OK && e < MH_ARRAY_LEN(eds); e++) {
        rc = store_edition_put(s, &eds[e]);
        for (size_t i = 0; rc == MH_OK && i < MH_ARRAY_LEN(std_channels); i++) {
            const struct std_channel *sc = &std_channels[i];
            struct channel c = {0};
            c.edition = eds[e].slug;
            c.slug = str_c(sc->slug);
            c.name = str_c(e == 0 ? sc->en : sc->zh);
            c.search_name = c.name;
            c.position = (int)i + 1;
            c.kind = sc->kind;
            rc = store_channel_put(s, &c);
        }
    }
    if (rc) {
        store_rollback(s);
        return rc;
    }
    return store_commit(s);
}

/* ------------------------------------------------------------------ */
/* Creating and opening                                                 */

static char *join(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    char *p = mh_malloc(a + b + 2);
    memcpy(p, dir, a);
    p[a] = '/';
    memcpy(p + a + 1, name, b + 1);
    return p;
}

int site_init(const char *dir, char *errbuf, size_t errlen)
{
    struct store *s = NULL;
    char *db = NULL, *conf = NULL, *media = NULL;
    int rc;
    if (fs_exists(dir) && !(fs_is_dir(dir) && fs_dir_empty(dir))) {
        snprintf(errbuf, errlen, "'%s' exists and is not an empty folder", dir);
        return MH_CONFLICT;
    }
    rc = fs_mkdirs(dir, 0755, errbuf, errlen);
    if (rc)
        return rc;
    db = join(dir, STORE_DB_FILE);
    conf = join(dir, STORE_CONF_FILE);
    media = join(dir, STORE_MEDIA_DIR);
    rc = fs_mkdirs(media, 0755, errbuf, errlen);
    if (rc == MH_OK)
        rc = fs_write_atomic(conf, STR_LIT(default_conf), errbuf, errlen);
    if (rc == MH_OK)
        rc = store_open(db, true, false, &s, errbuf, errlen);
    if (rc == MH_OK) {
        rc = create_skeleton(s);
        if (rc)
            snprintf(errbuf, errlen, "cannot create the editions: %s", store_errmsg(s));
    }
    store_close(s);
    free(db);
    free(conf);
    free(media);
    return rc;
}

int site_open(const char *dir, bool readonly, struct site **out, char *errbuf, size_t errlen)
{
    struct site *site;
    struct buf text;
    char *db, *conf;
    char why[512];
    int rc;
    if (!fs_is_dir(dir)) {
        snprintf(errbuf, errlen, "'%s' is not a folder; create a site with 'masthead init %s'",
                 dir, dir);
        return MH_NOTFOUND;
    }
    db = join(dir, STORE_DB_FILE);
    conf = join(dir, STORE_CONF_FILE);
    if (!fs_exists(db)) {
        snprintf(errbuf, errlen,
                 "'%s' is not a Masthead site (it has no %s); create one with 'masthead init'",
                 dir, STORE_DB_FILE);
        free(db);
        free(conf);
        return MH_NOTFOUND;
    }
    if (!readonly && access(dir, W_OK) != 0) {
        snprintf(errbuf, errlen, "cannot write to the site '%s': %s", dir, strerror(errno));
        free(db);
        free(conf);
        return MH_IO;
    }
    site = mh_calloc(1, sizeof(*site));
    site->dir = mh_strdup(dir);
    buf_init(&text, NULL, MH_MAX_CONF);
    rc = fs_read_file(conf, &text, why, sizeof(why));
    if (rc == MH_NOTFOUND) {
        site_conf_defaults(&site->conf); /* an absent config means the defaults */
        rc = MH_OK;
    } else if (rc) {
        snprintf(errbuf, errlen, "%s", why);
    } else {
        rc = site_conf_parse(buf_str(&text), &site->conf, why, sizeof(why));
        if (rc)
            snprintf(errbuf, errlen, "%s: %s", conf, why);
    }
    buf_release(&text);
    if (rc == MH_OK)
        rc = store_open(db, false, readonly, &site->store, errbuf, errlen);
    free(db);
    free(conf);
    if (rc) {
        site_close(site);
        return rc;
    }
    *out = site;
    return MH_OK;
}

void site_close(struct site *site)
{
    if (site == NULL)
        return;
    store_close(site->store);
    free(site->dir);
    free(site);
}

char *site_path(const struct site *site, struct arena *arena, struct str path)
{
    struct buf b;
    struct str out;
    buf_init(&b, arena, 8192);
    buf_adds(&b, site->dir);
    buf_addc(&b, '/');
    if (path.len)
        buf_addstr(&b, path);
    else
        buf_adds(&b, STORE_MEDIA_DIR);
    if (buf_finish(&b, &out) != MH_OK)
        MH_BUG("site path too long");
    return b.data;
}
