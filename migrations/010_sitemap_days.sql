-- SPDX-License-Identifier: MIT
-- 010_sitemap_days: how many articles each edition published each UTC day,
-- and the newest change among them, kept by triggers in the transaction of
-- every article write.  The sitemap index (a line per month, with its
-- lastmod) then reads a few hundred rows instead of every published
-- article's index entry (40 ms at 100,000 articles, twice per publish).
--
-- A day is floor(first_published_at / 86400000).  An article entering a day
-- adds one and raises lastmod to its updated_at; one leaving it takes one
-- off and lastmod is recounted from the edition index for that day alone, so
-- lastmod is always the newest updated_at of the day's published articles.
CREATE TABLE sitemap_day (
    edition TEXT NOT NULL,
    day INTEGER NOT NULL,
    count INTEGER NOT NULL,
    lastmod INTEGER NOT NULL,
    PRIMARY KEY (edition, day)
) WITHOUT ROWID;

INSERT INTO sitemap_day(edition, day, count, lastmod)
SELECT edition, (first_published_at - (first_published_at < 0) * 86399999) / 86400000,
       count(*), max(updated_at)
FROM article WHERE status = 'published' AND first_published_at IS NOT NULL
GROUP BY 1, 2;

CREATE TRIGGER sitemap_day_insert AFTER INSERT ON article
WHEN NEW.status = 'published' AND NEW.first_published_at IS NOT NULL
BEGIN
    INSERT INTO sitemap_day(edition, day, count, lastmod)
    VALUES (NEW.edition,
            (NEW.first_published_at - (NEW.first_published_at < 0) * 86399999) / 86400000,
            1, NEW.updated_at)
    ON CONFLICT(edition, day) DO UPDATE
    SET count = count + 1, lastmod = max(lastmod, excluded.lastmod);
END;

CREATE TRIGGER sitemap_day_update AFTER UPDATE ON article
WHEN (OLD.status = 'published' AND OLD.first_published_at IS NOT NULL)
  OR (NEW.status = 'published' AND NEW.first_published_at IS NOT NULL)
BEGIN
    -- the old state leaves its day (recounted: the row already holds NEW)
    UPDATE sitemap_day
    SET count = count - 1,
        lastmod = coalesce((SELECT max(updated_at) FROM article
                            WHERE edition = OLD.edition AND status = 'published'
                              AND first_published_at >= sitemap_day.day * 86400000
                              AND first_published_at < (sitemap_day.day + 1) * 86400000), 0)
    WHERE OLD.status = 'published' AND OLD.first_published_at IS NOT NULL
      AND edition = OLD.edition
      AND day = (OLD.first_published_at - (OLD.first_published_at < 0) * 86399999) / 86400000;
    DELETE FROM sitemap_day
    WHERE OLD.status = 'published' AND OLD.first_published_at IS NOT NULL
      AND edition = OLD.edition
      AND day = (OLD.first_published_at - (OLD.first_published_at < 0) * 86399999) / 86400000
      AND count <= 0;
    -- the new state enters its day
    INSERT INTO sitemap_day(edition, day, count, lastmod)
    SELECT NEW.edition,
           (NEW.first_published_at - (NEW.first_published_at < 0) * 86399999) / 86400000,
           1, NEW.updated_at
    WHERE NEW.status = 'published' AND NEW.first_published_at IS NOT NULL
    ON CONFLICT(edition, day) DO UPDATE
    SET count = count + 1, lastmod = max(lastmod, excluded.lastmod);
END;

CREATE TRIGGER sitemap_day_delete AFTER DELETE ON article
WHEN OLD.status = 'published' AND OLD.first_published_at IS NOT NULL
BEGIN
    UPDATE sitemap_day
    SET count = count - 1,
        lastmod = coalesce((SELECT max(updated_at) FROM article
                            WHERE edition = OLD.edition AND status = 'published'
                              AND first_published_at >= sitemap_day.day * 86400000
                              AND first_published_at < (sitemap_day.day + 1) * 86400000), 0)
    WHERE edition = OLD.edition
      AND day = (OLD.first_published_at - (OLD.first_published_at < 0) * 86399999) / 86400000;
    DELETE FROM sitemap_day
    WHERE edition = OLD.edition
      AND day = (OLD.first_published_at - (OLD.first_published_at < 0) * 86399999) / 86400000
      AND count <= 0;
END;
