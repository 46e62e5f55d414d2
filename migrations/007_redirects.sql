-- SPDX-License-Identifier: MIT
-- 007_redirects: old addresses of imported articles (a Founder-CMS page's path,
-- a WordPress permalink), answered by the reader site with a 301 to the
-- article's address.  The path is as the reader site sees it: decoded, no
-- query, starting with "/".
CREATE TABLE redirect (
    path TEXT PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX redirect_by_article ON redirect(article_id);
