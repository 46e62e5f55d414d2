-- SPDX-License-Identifier: MIT
-- 009_sitemap_dates: reads that no longer walk an article's body.
--
-- updated_at, first_published_at and status come after the body in an
-- article's row, so reading them from the table walks the body's overflow
-- pages.  The edition index now carries updated_at too, so the sitemaps (how
-- many articles each month has, their newest change, a month's URLs) read the
-- index alone instead of every article row.
DROP INDEX article_by_edition;
CREATE INDEX article_by_edition ON article(edition, status, first_published_at, updated_at);

-- The translations of an article are found through the translation index:
-- written as an OR of two columns, the lookup was a scan of every article on
-- each update of a published one (and on each article page).
DROP TRIGGER change_article_update;
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
    WHERE id IN (SELECT id FROM article WHERE id IN (NEW.translation_of, OLD.translation_of)
                 UNION ALL
                 SELECT id FROM article
                 WHERE translation_of IN (NEW.id, NEW.translation_of, OLD.translation_of))
      AND id <> NEW.id AND status IN ('published', 'withdrawn');
END;
