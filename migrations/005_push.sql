-- SPDX-License-Identifier: MIT
-- 005_push: the search-engine push queue.  Triggers on article queue a row
-- whenever an article is published, changed while published, or withdrawn,
-- in the same transaction as the change, whichever code made it (newsroom,
-- API, scheduler, a hand-run UPDATE).  Inserts are not queued: an import is a
-- migration, found by crawlers through the sitemaps.
--
-- The row keeps what the URL is made of (edition, first publication), so it
-- can be sent even if the article row changes again.  pending is a bit set
-- of the targets that still have to accept it (1 IndexNow, 2 Baidu); the
-- worker in `masthead serve` clears a bit after a 2xx answer and deletes a
-- row when no enabled target still needs it.
CREATE TABLE push_queue (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id INTEGER NOT NULL,
    edition TEXT NOT NULL,
    published_at INTEGER NOT NULL,
    reason TEXT NOT NULL CHECK (reason IN ('publish', 'update', 'withdraw')),
    queued_at INTEGER NOT NULL,
    pending INTEGER NOT NULL DEFAULT 3
);

CREATE TRIGGER push_on_publish AFTER UPDATE OF status ON article
WHEN NEW.status = 'published' AND OLD.status <> 'published'
BEGIN
    INSERT INTO push_queue(article_id, edition, published_at, reason, queued_at)
    VALUES (NEW.id, NEW.edition,
            COALESCE(NEW.first_published_at, NEW.last_published_at, NEW.updated_at),
            'publish', NEW.updated_at);
END;

CREATE TRIGGER push_on_update AFTER UPDATE ON article
WHEN NEW.status = 'published' AND OLD.status = 'published'
     AND (NEW.revision <> OLD.revision OR NEW.updated_at <> OLD.updated_at)
BEGIN
    INSERT INTO push_queue(article_id, edition, published_at, reason, queued_at)
    VALUES (NEW.id, NEW.edition,
            COALESCE(NEW.first_published_at, NEW.last_published_at, NEW.updated_at),
            'update', NEW.updated_at);
END;

CREATE TRIGGER push_on_withdraw AFTER UPDATE OF status ON article
WHEN NEW.status = 'withdrawn' AND OLD.status = 'published'
BEGIN
    INSERT INTO push_queue(article_id, edition, published_at, reason, queued_at)
    VALUES (NEW.id, OLD.edition,
            COALESCE(OLD.first_published_at, OLD.last_published_at, OLD.updated_at),
            'withdraw', NEW.updated_at);
END;
