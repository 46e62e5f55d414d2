-- SPDX-License-Identifier: MIT
-- 004_search: the full-text index of published articles (docs/internals/search.md).
--
-- search_fts is a contentless FTS5 table (the text stays in article only) with
-- Masthead's own tokenizer, registered on every Masthead connection before
-- this runs.  Its rowid is the docid:
-- four per second of first publication (the first free one at or after
-- second * 4, so a busy second spills a little into the next), so that rowid
-- order is publication order and a search can walk the newest matches first
-- and stop, while the gaps between the rowids of a term's articles, which the
-- index stores, stay small.  The body is the first column because the index
-- marks a change of column in every entry after the first.
--
-- The meta column holds the filter terms (SEARCH_META_MARK + "ed", "ch",
-- "au", "kw" + the value, spaces as marks): edition, channel and its parent,
-- authors and keywords.  search_doc keeps each indexed article's docid and
-- channel parent.
CREATE TABLE search_doc (
    docid INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL UNIQUE,
    parent_id INTEGER
);

-- The published articles with their second of first publication.
CREATE VIEW search_src AS
SELECT a.id AS article_id, COALESCE(a.first_published_at, a.created_at) / 1000 AS sec,
       (SELECT c.parent_id FROM channel c WHERE c.id = a.channel_id) AS parent_id
FROM article a WHERE a.status = 'published';

-- Indexed articles as indexed: docid, text and filter terms.
CREATE VIEW search_row AS
SELECT d.docid, d.article_id, a.body, a.title, a.kicker, a.subtitle, a.abstract, a.keywords,
       a.authors,
       char(57344) || 'ed' || char(57344) || a.edition
       || ' ' || char(57344) || 'ch' || char(57344) || a.channel_id
       || COALESCE(' ' || char(57344) || 'ch' || char(57344) || d.parent_id, '')
       || CASE WHEN a.authors = '' THEN '' ELSE ' ' || char(57344) || 'au' || char(57344)
          || replace(replace(a.authors, ' ', char(57344)), char(10),
                     ' ' || char(57344) || 'au' || char(57344)) END
       || CASE WHEN a.keywords = '' THEN '' ELSE ' ' || char(57344) || 'kw' || char(57344)
          || replace(replace(a.keywords, ' ', char(57344)), char(10),
                     ' ' || char(57344) || 'kw' || char(57344)) END AS meta
FROM search_doc d JOIN article a ON a.id = d.article_id;

CREATE VIRTUAL TABLE search_fts USING fts5(
    body, title, kicker, subtitle, abstract, keywords, authors, meta,
    content = '', tokenize = 'masthead');
CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_fts, 'row');

-- docid_i = i + max over j <= i of (second_j * 4 - j): increasing, and at
-- least four times the second (Q_SEARCH_FILL_DOC does the same)
INSERT INTO search_doc(docid, article_id, parent_id)
SELECT rn + max(base - rn) OVER (ORDER BY rn ROWS UNBOUNDED PRECEDING), article_id, parent_id
FROM (SELECT article_id, parent_id, sec * 4 AS base,
             row_number() OVER (ORDER BY sec, article_id) AS rn FROM search_src);
INSERT INTO search_fts(rowid, body, title, kicker, subtitle, abstract, keywords, authors, meta)
SELECT docid, body, title, kicker, subtitle, abstract, keywords, authors, meta
FROM search_row ORDER BY docid;

-- The triggers note what changed in search_pending, in the same transaction as
-- the change; they never touch search_fts, so any SQLite connection can still
-- change articles (the tokenizer exists only in Masthead's).  For an article
-- that was indexed, the pending row keeps the text and filter terms that were
-- indexed (the first change wins: later ones keep them), because removing an
-- entry from a contentless index means handing it the same text again.
-- Masthead applies the pending rows (store/search_sqlite.c) before every
-- commit of its own, and before a search when another program left some.
CREATE TABLE search_pending (
    article_id INTEGER PRIMARY KEY,
    docid INTEGER, -- the entry to remove, or NULL when the article was not indexed
    body TEXT, title TEXT, kicker TEXT, subtitle TEXT, abstract TEXT, keywords TEXT,
    authors TEXT, meta TEXT
);

CREATE TRIGGER search_article_insert AFTER INSERT ON article WHEN NEW.status = 'published'
BEGIN
    INSERT OR IGNORE INTO search_pending(article_id) VALUES (NEW.id);
END;

CREATE TRIGGER search_article_delete AFTER DELETE ON article
BEGIN
    INSERT OR IGNORE INTO search_pending(article_id, docid, body, title, kicker, subtitle,
                                         abstract, keywords, authors, meta)
    SELECT OLD.id, d.docid, OLD.body, OLD.title, OLD.kicker, OLD.subtitle, OLD.abstract,
           OLD.keywords, OLD.authors,
           char(57344) || 'ed' || char(57344) || OLD.edition
           || ' ' || char(57344) || 'ch' || char(57344) || OLD.channel_id
           || COALESCE(' ' || char(57344) || 'ch' || char(57344) || d.parent_id, '')
           || CASE WHEN OLD.authors = '' THEN '' ELSE ' ' || char(57344) || 'au' || char(57344)
              || replace(replace(OLD.authors, ' ', char(57344)), char(10),
                         ' ' || char(57344) || 'au' || char(57344)) END
           || CASE WHEN OLD.keywords = '' THEN '' ELSE ' ' || char(57344) || 'kw' || char(57344)
              || replace(replace(OLD.keywords, ' ', char(57344)), char(10),
                         ' ' || char(57344) || 'kw' || char(57344)) END
    FROM (SELECT 1) LEFT JOIN search_doc d ON d.article_id = OLD.id;
END;

CREATE TRIGGER search_article_update AFTER UPDATE OF title, kicker, subtitle, abstract, keywords,
    authors, body, status, edition, channel_id, first_published_at, created_at ON article
WHEN OLD.status = 'published' OR NEW.status = 'published'
BEGIN
    INSERT OR IGNORE INTO search_pending(article_id, docid, body, title, kicker, subtitle,
                                         abstract, keywords, authors, meta)
    SELECT OLD.id, d.docid, OLD.body, OLD.title, OLD.kicker, OLD.subtitle, OLD.abstract,
           OLD.keywords, OLD.authors,
           char(57344) || 'ed' || char(57344) || OLD.edition
           || ' ' || char(57344) || 'ch' || char(57344) || OLD.channel_id
           || COALESCE(' ' || char(57344) || 'ch' || char(57344) || d.parent_id, '')
           || CASE WHEN OLD.authors = '' THEN '' ELSE ' ' || char(57344) || 'au' || char(57344)
              || replace(replace(OLD.authors, ' ', char(57344)), char(10),
                         ' ' || char(57344) || 'au' || char(57344)) END
           || CASE WHEN OLD.keywords = '' THEN '' ELSE ' ' || char(57344) || 'kw' || char(57344)
              || replace(replace(OLD.keywords, ' ', char(57344)), char(10),
                         ' ' || char(57344) || 'kw' || char(57344)) END
    FROM (SELECT 1) LEFT JOIN search_doc d ON d.article_id = OLD.id;
END;
