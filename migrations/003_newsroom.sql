-- SPDX-License-Identifier: MIT
-- 003_newsroom: who owns an article, sessions, failed sign-ins, edit locks and
-- autosaves.  Times are milliseconds since the epoch (UTC).

-- The login that created an article (reporters edit only their own drafts).
ALTER TABLE article ADD COLUMN owner TEXT NOT NULL DEFAULT '';
CREATE INDEX article_by_owner ON article(owner, updated_at);
-- The newsroom's list, newest change first, filtered by any of these
-- columns: covering, so a scan never reads the article rows with their bodies
-- (100,000 articles, a title filter: ~25-30 ms of CPU instead of ~90 and up to
-- a second of page reads).
CREATE INDEX article_list ON article(updated_at, id, edition, channel_id, status, owner,
    revision, first_published_at, scheduled_at, title, authors);

-- Server-side sessions: only a hash of the browser's token is kept.
CREATE TABLE session (
    token_hash BLOB PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    seen_at INTEGER NOT NULL,
    address TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX session_by_user ON session(user_id);

-- Failed sign-ins, per account ('login:NAME') and per address ('addr:IP').
CREATE TABLE signin_failure (
    key TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX signin_failure_by_key ON signin_failure(key, at);

-- "Being edited by X since ...": one live lock per article.
CREATE TABLE article_lock (
    article_id INTEGER PRIMARY KEY REFERENCES article(id) ON DELETE CASCADE,
    login TEXT NOT NULL,
    display_name TEXT NOT NULL,
    since INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);

-- The open editor's unsaved state, per article and user: no revision.
CREATE TABLE autosave (
    article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
    login TEXT NOT NULL,
    base_revision INTEGER NOT NULL,
    saved_at INTEGER NOT NULL,
    channel TEXT NOT NULL,
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
    images TEXT NOT NULL,
    PRIMARY KEY (article_id, login)
) WITHOUT ROWID;

CREATE INDEX audit_by_object ON audit(object, id);
CREATE INDEX audit_by_login ON audit(login, id);
