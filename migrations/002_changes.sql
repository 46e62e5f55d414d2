-- SPDX-License-Identifier: MIT
-- 002_changes: what the reader site shows has changed, so that the page
-- cache of every `masthead serve` and the static publisher redo only the
-- pages concerned.  Rows are written by triggers, in the same transaction
-- as the change itself, whichever program or connection makes it.
--
-- kind       what changed                 scope columns set
-- article    a visible article            edition, article_id, channel_id
-- chrome     Top News, links, channels    edition (NULL: every edition)
-- site       editions, shared media       (none: everything)
--
-- An article is visible when it is published, or was (withdrawn pages
-- answer 410, so they change too); drafts never reach the log.
CREATE TABLE change_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)),
    kind TEXT NOT NULL CHECK (kind IN ('article', 'chrome', 'site')),
    edition TEXT,
    article_id INTEGER,
    channel_id INTEGER
);
CREATE INDEX change_log_by_time ON change_log(at);

CREATE TRIGGER change_article_insert AFTER INSERT ON article
WHEN NEW.status IN ('published', 'withdrawn')
BEGIN
    INSERT INTO change_log(kind, edition, article_id, channel_id)
    VALUES ('article', NEW.edition, NEW.id, NEW.channel_id);
END;

CREATE TRIGGER change_article_update AFTER UPDATE ON article
WHEN OLD.status IN ('published', 'withdrawn') OR NEW.status IN ('published', 'withdrawn')
BEGIN
    INSERT INTO change_log(kind, edition, article_id, channel_id)
    VALUES ('article', NEW.edition, NEW.id, NEW.channel_id);
    INSERT INTO change_log(kind, edition, article_id, channel_id)
    SELECT 'article', OLD.edition, OLD.id, OLD.channel_id
    WHERE OLD.channel_id <> NEW.channel_id OR OLD.edition <> NEW.edition;
    -- Top News shows the article's own title unless overridden
    INSERT INTO change_log(kind, edition)
    SELECT DISTINCT 'chrome', edition FROM curation WHERE article_id = NEW.id;
    -- its translations name it with hreflang
    INSERT INTO change_log(kind, edition, article_id, channel_id)
    SELECT 'article', edition, id, channel_id FROM article
    WHERE id <> NEW.id AND status IN ('published', 'withdrawn')
      AND (id IN (NEW.translation_of, OLD.translation_of)
           OR translation_of IN (NEW.id, NEW.translation_of, OLD.translation_of));
END;

CREATE TRIGGER change_article_delete AFTER DELETE ON article
WHEN OLD.status IN ('published', 'withdrawn')
BEGIN
    INSERT INTO change_log(kind, edition, article_id, channel_id)
    VALUES ('article', OLD.edition, OLD.id, OLD.channel_id);
END;

-- The images of a visible article (captions, order, the lead image).
CREATE TRIGGER change_article_media_insert AFTER INSERT ON article_media
BEGIN
    INSERT INTO change_log(kind, edition, article_id, channel_id)
    SELECT 'article', edition, id, channel_id FROM article
    WHERE id = NEW.article_id AND status IN ('published', 'withdrawn');
END;
CREATE TRIGGER change_article_media_delete AFTER DELETE ON article_media
BEGIN
    INSERT INTO change_log(kind, edition, article_id, channel_id)
    SELECT 'article', edition, id, channel_id FROM article
    WHERE id = OLD.article_id AND status IN ('published', 'withdrawn');
END;
CREATE TRIGGER change_media_update AFTER UPDATE ON media
BEGIN
    INSERT INTO change_log(kind) VALUES ('site');
END;

CREATE TRIGGER change_curation_insert AFTER INSERT ON curation
BEGIN
    INSERT INTO change_log(kind, edition) VALUES ('chrome', NEW.edition);
END;
CREATE TRIGGER change_curation_update AFTER UPDATE ON curation
BEGIN
    INSERT INTO change_log(kind, edition) VALUES ('chrome', NEW.edition);
    INSERT INTO change_log(kind, edition) SELECT 'chrome', OLD.edition
    WHERE OLD.edition <> NEW.edition;
END;
CREATE TRIGGER change_curation_delete AFTER DELETE ON curation
BEGIN
    INSERT INTO change_log(kind, edition) VALUES ('chrome', OLD.edition);
END;

CREATE TRIGGER change_link_group_insert AFTER INSERT ON link_group
BEGIN
    INSERT INTO change_log(kind, edition) VALUES ('chrome', NEW.edition);
END;
CREATE TRIGGER change_link_group_update AFTER UPDATE ON link_group
BEGIN
    INSERT INTO change_log(kind, edition) VALUES ('chrome', NEW.edition);
    INSERT INTO change_log(kind, edition) SELECT 'chrome', OLD.edition
    WHERE OLD.edition <> NEW.edition;
END;
CREATE TRIGGER change_link_group_delete AFTER DELETE ON link_group
BEGIN
    INSERT INTO change_log(kind, edition) VALUES ('chrome', OLD.edition);
END;
CREATE TRIGGER change_link_insert AFTER INSERT ON link
BEGIN
    INSERT INTO change_log(kind, edition)
    SELECT 'chrome', edition FROM link_group WHERE id = NEW.group_id;
END;
CREATE TRIGGER change_link_update AFTER UPDATE ON link
BEGIN
    INSERT INTO change_log(kind, edition)
    SELECT 'chrome', edition FROM link_group WHERE id IN (NEW.group_id, OLD.group_id);
END;
CREATE TRIGGER change_link_delete AFTER DELETE ON link
BEGIN
    INSERT INTO change_log(kind, edition)
    SELECT 'chrome', edition FROM link_group WHERE id = OLD.group_id;
END;

-- Channels are in every page's navigation; a channel's articles are
-- logged by the article triggers when they move.
CREATE TRIGGER change_channel_insert AFTER INSERT ON channel
BEGIN
    INSERT INTO change_log(kind, edition, channel_id) VALUES ('chrome', NEW.edition, NEW.id);
END;
CREATE TRIGGER change_channel_update AFTER UPDATE ON channel
BEGIN
    INSERT INTO change_log(kind, edition, channel_id) VALUES ('chrome', NEW.edition, NEW.id);
    INSERT INTO change_log(kind, edition, channel_id) SELECT 'chrome', OLD.edition, OLD.id
    WHERE OLD.edition <> NEW.edition;
END;
CREATE TRIGGER change_channel_delete AFTER DELETE ON channel
BEGIN
    INSERT INTO change_log(kind, edition, channel_id) VALUES ('chrome', OLD.edition, OLD.id);
END;

CREATE TRIGGER change_edition_insert AFTER INSERT ON edition
BEGIN
    INSERT INTO change_log(kind) VALUES ('site');
END;
CREATE TRIGGER change_edition_update AFTER UPDATE ON edition
BEGIN
    INSERT INTO change_log(kind) VALUES ('site');
END;
CREATE TRIGGER change_edition_delete AFTER DELETE ON edition
BEGIN
    INSERT INTO change_log(kind) VALUES ('site');
END;

-- Translations: an article may name the article it translates (in another
-- edition); all articles linked this way, directly or through the same
-- original, are shown to each other with hreflang.
ALTER TABLE article ADD COLUMN translation_of INTEGER REFERENCES article(id) ON DELETE SET NULL;
CREATE INDEX article_by_translation ON article(translation_of) WHERE translation_of IS NOT NULL;

-- Keywords one per row, lower-cased, for "related articles" (shared
-- keywords); kept by store/article.c with every write of the article.
CREATE TABLE article_keyword (
    keyword TEXT NOT NULL,
    article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
    PRIMARY KEY (keyword, article_id)
) WITHOUT ROWID;
CREATE INDEX article_keyword_by_article ON article_keyword(article_id);
INSERT OR IGNORE INTO article_keyword(keyword, article_id)
WITH RECURSIVE split(id, k, rest) AS (
    SELECT id, '', keywords || char(10) FROM article
    UNION ALL
    SELECT id, substr(rest, 1, instr(rest, char(10)) - 1), substr(rest, instr(rest, char(10)) + 1)
    FROM split WHERE rest <> ''
)
SELECT lower(k), id FROM split WHERE k <> '';

-- The most-read lists, redrawn on a schedule (store_rankings_refresh: by
-- `masthead serve` every ten minutes, and by the static publisher) so that
-- no page render has to add up a week of page views.
CREATE TABLE ranking (
    edition TEXT NOT NULL REFERENCES edition(slug) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
    views INTEGER NOT NULL,
    PRIMARY KEY (edition, position)
) WITHOUT ROWID;
