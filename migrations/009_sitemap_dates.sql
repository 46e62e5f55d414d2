-- SPDX-License-Identifier: MIT
-- 009_sitemap_dates: the dates of published articles in one index, so that
-- the sitemaps (how many articles each month has, their newest change, the
-- URLs of a month) read the index alone.  updated_at and first_published_at
-- come after the body in an article's row: reading them from the table walks
-- the body's overflow pages, which made a sitemap index cost a scan of the
-- whole database.
CREATE INDEX article_sitemap ON article(status, edition, first_published_at, updated_at);
