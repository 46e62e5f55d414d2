/* SPDX-License-Identifier: MIT */
/*
 * model.h - the newspaper as plain data: editions, channels, articles,
 * images, users, links, curation.  These structs carry no behaviour and no
 * storage: store/ loads and saves them, render/ shows them, interchange/
 * reads and writes them as JSON Lines.  Strings are struct str views whose
 * bytes live wherever the loader says (usually a request or import arena).
 * Times are milliseconds since the Unix epoch, UTC; 0 means "not set".
 */
#ifndef MH_MODEL_MODEL_H
#define MH_MODEL_MODEL_H

#include "core/compat.h"
#include "core/str.h"

enum article_status {
    ARTICLE_DRAFT,
    ARTICLE_SUBMITTED,
    ARTICLE_APPROVED,
    ARTICLE_SCHEDULED,
    ARTICLE_PUBLISHED,
    ARTICLE_WITHDRAWN,
    ARTICLE_STATUS_COUNT
};

enum user_role { ROLE_REPORTER, ROLE_EDITOR, ROLE_CHIEF_EDITOR, ROLE_ADMIN, ROLE_COUNT };

enum channel_kind { CHANNEL_REGULAR, CHANNEL_SPECIAL };

enum media_kind { MEDIA_IMAGE, MEDIA_VIDEO };

enum body_format { BODY_MARKDOWN, BODY_HTML };

enum link_group_kind { LINKS_FRIENDLY, LINKS_FOOTER };

/* "draft", "submitted", ...; and back.  The _parse functions return
 * MH_INVAL on an unknown name. */
const char *article_status_name(enum article_status s);
MH_MUST_CHECK int article_status_parse(struct str name, enum article_status *out);
const char *user_role_name(enum user_role r);
MH_MUST_CHECK int user_role_parse(struct str name, enum user_role *out);
const char *channel_kind_name(enum channel_kind k);
MH_MUST_CHECK int channel_kind_parse(struct str name, enum channel_kind *out);
const char *body_format_name(enum body_format f);
MH_MUST_CHECK int body_format_parse(struct str name, enum body_format *out);

struct edition {
    struct str slug;     /* "english", "zh": the first URL segment */
    struct str name;     /* "English", "中文" */
    struct str lang;     /* BCP 47: "en", "zh-CN" */
    struct str tz;       /* IANA: "Asia/Shanghai" */
    struct str base_url; /* "https://news.example.org" without trailing slash */
    int position;        /* order in the edition switcher */
    bool is_default;     /* "/" redirects here */
};

struct channel {
    int64_t id;
    struct str edition;     /* edition slug */
    int64_t parent_id;      /* 0 for a top-level channel */
    struct str slug;        /* URL segment: "news", "innovation-china" */
    struct str name;        /* menu label */
    struct str search_name; /* name used by the search filter */
    int position;           /* menu order among siblings */
    struct str description;
    enum channel_kind kind;
    int64_t end_at;         /* special topics: when it closes, or 0 */
};

/* One image (or video reference) as used by an article: the file in the
 * media library plus the caption, credit and alt text of this use. */
struct article_image {
    int64_t media_id;
    struct str sha256; /* hex digest: the content address */
    struct str path;   /* relative to the site folder: media/ab/abcd....jpg */
    struct str mime;
    int width, height;
    struct str caption, credit, alt;
};

struct article {
    int64_t id; /* stable, never reused; 0 = not yet assigned */
    struct str edition;
    struct str channel; /* channel slug within the edition */
    struct str title, subtitle, kicker;
    struct str *authors; /* ordered */
    size_t n_authors;
    struct str editor; /* the responsible editor */
    struct str source;
    struct str *keywords;
    size_t n_keywords;
    struct str abstract;
    struct str body; /* source text in body_format */
    enum body_format body_format;
    struct article_image *images; /* [0] is the lead image */
    size_t n_images;
    enum article_status status;
    int64_t created_at, updated_at;
    int64_t first_published_at; /* fixes the URL; kept across withdraw/republish */
    int64_t last_published_at;
    int64_t scheduled_at;
    int revision; /* 1 for a new article, +1 per saved change */
    int64_t translation_of; /* the article this one translates (another edition), or 0 */
};

struct media {
    int64_t id;
    enum media_kind kind;
    struct str sha256, path, mime;
    int width, height;
    int64_t bytes;
    struct str caption, credit, alt;
    double focal_x, focal_y; /* 0..1, the point crops keep; 0.5 by default */
    struct str video_url;    /* MEDIA_VIDEO: where the video is served */
    int64_t created_at;
};

struct user {
    int64_t id;
    struct str login, display_name;
    enum user_role role;
    int64_t created_at;
    bool disabled;
};

struct link {
    struct str title, url;
};

struct link_group {
    int64_t id;
    struct str edition;
    struct str slug, name;
    enum link_group_kind kind;
    int position;
    struct link *links;
    size_t n_links;
};

/* One Top News entry: an article with an optional override. */
struct curation_slot {
    struct str edition;
    struct str slot; /* "top" */
    int position;
    int64_t article_id;
    struct str title, summary; /* empty: use the article's */
    int64_t expires_at;        /* 0: never */
};

#endif
