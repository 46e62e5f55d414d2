-- SPDX-License-Identifier: MIT
-- 001_init: the newspaper's content model.  Times are milliseconds since
-- the epoch (UTC).  Lists of names (authors, keywords) are newline-joined:
-- the fields themselves may not contain control characters.
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE edition (
    slug TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    lang TEXT NOT NULL,
    tz TEXT NOT NULL,
    base_url TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1))
);

CREATE TABLE channel (
    id INTEGER PRIMARY KEY,
    edition TEXT NOT NULL REFERENCES edition(slug),
    parent_id INTEGER REFERENCES channel(id),
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    search_name TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    description TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT 'regular' CHECK (kind IN ('regular', 'special')),
    end_at INTEGER,
    UNIQUE (edition, slug)
);

CREATE TABLE article (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    edition TEXT NOT NULL REFERENCES edition(slug),
    channel_id INTEGER NOT NULL REFERENCES channel(id),
    title TEXT NOT NULL,
    subtitle TEXT NOT NULL DEFAULT '',
    kicker TEXT NOT NULL DEFAULT '',
    authors TEXT NOT NULL DEFAULT '',
    editor TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    keywords TEXT NOT NULL DEFAULT '',
    abstract TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    body_format TEXT NOT NULL DEFAULT 'markdown' CHECK (body_format IN ('markdown', 'html')),
    status TEXT NOT NULL CHECK (status IN
        ('draft', 'submitted', 'approved', 'scheduled', 'published', 'withdrawn')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    first_published_at INTEGER,
    last_published_at INTEGER,
    scheduled_at INTEGER,
    revision INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1),
    updated_by TEXT NOT NULL DEFAULT '',
    revision_note TEXT NOT NULL DEFAULT '',
    content_hash BLOB NOT NULL
);
CREATE INDEX article_by_edition ON article(edition, status, first_published_at);
CREATE INDEX article_by_channel ON article(channel_id, status, first_published_at);
CREATE INDEX article_by_schedule ON article(status, scheduled_at) WHERE status = 'scheduled';

CREATE TABLE media (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL DEFAULT 'image' CHECK (kind IN ('image', 'video')),
    sha256 TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL,
    mime TEXT NOT NULL,
    width INTEGER NOT NULL DEFAULT 0,
    height INTEGER NOT NULL DEFAULT 0,
    bytes INTEGER NOT NULL DEFAULT 0,
    caption TEXT NOT NULL DEFAULT '',
    credit TEXT NOT NULL DEFAULT '',
    alt TEXT NOT NULL DEFAULT '',
    focal_x REAL NOT NULL DEFAULT 0.5,
    focal_y REAL NOT NULL DEFAULT 0.5,
    video_url TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);

-- The images an article uses, in order; position 0 is the lead image.
CREATE TABLE article_media (
    article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    media_id INTEGER NOT NULL REFERENCES media(id),
    caption TEXT NOT NULL DEFAULT '',
    credit TEXT NOT NULL DEFAULT '',
    alt TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (article_id, position)
) WITHOUT ROWID;
CREATE INDEX article_media_by_media ON article_media(media_id);

CREATE TABLE user (
    id INTEGER PRIMARY KEY,
    login TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('reporter', 'editor', 'chief_editor', 'admin')),
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE link_group (
    id INTEGER PRIMARY KEY,
    edition TEXT NOT NULL REFERENCES edition(slug),
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('friendly', 'footer')),
    position INTEGER NOT NULL DEFAULT 0,
    UNIQUE (edition, slug)
);

CREATE TABLE link (
    group_id INTEGER NOT NULL REFERENCES link_group(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    PRIMARY KEY (group_id, position)
) WITHOUT ROWID;

-- Top News and other hand-curated lists, per edition.
CREATE TABLE curation (
    edition TEXT NOT NULL REFERENCES edition(slug),
    slot TEXT NOT NULL,
    position INTEGER NOT NULL,
    article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
    title TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',
    expires_at INTEGER,
    PRIMARY KEY (edition, slot, position)
) WITHOUT ROWID;

-- Page views per article per hour (hour = epoch milliseconds / 3600000).
CREATE TABLE pageview (
    article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
    hour INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (article_id, hour)
) WITHOUT ROWID;
CREATE INDEX pageview_by_hour ON pageview(hour);

-- Full snapshots of earlier versions of an article; the current version
-- lives in article.  images: one "media_id\tcaption\tcredit\talt" line each.
CREATE TABLE revision (
    article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    saved_at INTEGER NOT NULL,
    saved_by TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    channel_id INTEGER NOT NULL,
    title TEXT NOT NULL,
    subtitle TEXT NOT NULL,
    kicker TEXT NOT NULL,
    authors TEXT NOT NULL,
    editor TEXT NOT NULL,
    source TEXT NOT NULL,
    keywords TEXT NOT NULL,
    abstract TEXT NOT NULL,
    body TEXT NOT NULL,
    body_format TEXT NOT NULL,
    status TEXT NOT NULL,
    images TEXT NOT NULL,
    PRIMARY KEY (article_id, revision)
) WITHOUT ROWID;

CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    login TEXT NOT NULL,
    action TEXT NOT NULL,
    object TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_by_time ON audit(at);
