-- SPDX-License-Identifier: MIT
-- 004_search: the full-text index of published articles (docs/internals/search.md).
--
-- search_fts is a contentless FTS5 table (the text stays in article only) with
-- Masthead's own tokenizer, registered on every connection before this runs.
-- Its rowid is the docid: the first publication second shifted left 22 bits,
-- or'ed with the low 22 bits of the article id, so that rowid order is
-- publication order and a search can walk the newest matches first and stop.
-- search_doc keeps, per indexed article, the docid and the filter terms
-- (edition, channel and its parent, authors, keywords; see SEARCH_META_MARK),
-- so that a later change can remove exactly what was added.  The triggers keep
-- the index in the same transaction as the article.
CREATE TABLE search_doc (
    docid INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL UNIQUE,
    meta TEXT NOT NULL
);

CREATE VIEW search_src AS
SELECT a.id AS article_id,
       ((COALESCE(a.first_published_at, a.created_at) / 1000) << 22) | (a.id & 4194303) AS docid,
       char(57344) || 'ed' || char(57344) || a.edition
       || ' ' || char(57344) || 'ch' || char(57344) || a.channel_id
       || COALESCE(' ' || char(57344) || 'ch' || char(57344)
                   || (SELECT c.parent_id FROM channel c WHERE c.id = a.channel_id), '')
       || CASE WHEN a.authors = '' THEN '' ELSE ' ' || char(57344) || 'au' || char(57344)
          || replace(replace(a.authors, ' ', char(57344)), char(10),
                     ' ' || char(57344) || 'au' || char(57344)) END
       || CASE WHEN a.keywords = '' THEN '' ELSE ' ' || char(57344) || 'kw' || char(57344)
          || replace(replace(a.keywords, ' ', char(57344)), char(10),
                     ' ' || char(57344) || 'kw' || char(57344)) END AS meta
FROM article a WHERE a.status = 'published';

CREATE VIRTUAL TABLE search_fts USING fts5(
    title, kicker, subtitle, abstract, keywords, authors, body, meta,
    content = '', tokenize = 'masthead');
CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_fts, 'row');

INSERT INTO search_doc(docid, article_id, meta) SELECT docid, article_id, meta FROM search_src;
INSERT INTO search_fts(rowid, title, kicker, subtitle, abstract, keywords, authors, body, meta)
SELECT d.docid, a.title, a.kicker, a.subtitle, a.abstract, a.keywords, a.authors, a.body, d.meta
FROM search_doc d JOIN article a ON a.id = d.article_id;

CREATE TRIGGER search_article_insert AFTER INSERT ON article WHEN NEW.status = 'published'
BEGIN
    INSERT INTO search_doc(docid, article_id, meta)
    SELECT docid, article_id, meta FROM search_src WHERE article_id = NEW.id;
    INSERT INTO search_fts(rowid, title, kicker, subtitle, abstract, keywords, authors, body, meta)
    SELECT docid, NEW.title, NEW.kicker, NEW.subtitle, NEW.abstract, NEW.keywords, NEW.authors,
           NEW.body, meta FROM search_doc WHERE article_id = NEW.id;
END;

CREATE TRIGGER search_article_delete AFTER DELETE ON article
BEGIN
    INSERT INTO search_fts(search_fts, rowid, title, kicker, subtitle, abstract, keywords,
                           authors, body, meta)
    SELECT 'delete', docid, OLD.title, OLD.kicker, OLD.subtitle, OLD.abstract, OLD.keywords,
           OLD.authors, OLD.body, meta FROM search_doc WHERE article_id = OLD.id;
    DELETE FROM search_doc WHERE article_id = OLD.id;
END;

CREATE TRIGGER search_article_update AFTER UPDATE OF title, kicker, subtitle, abstract, keywords,
    authors, body, status, edition, channel_id, first_published_at, created_at ON article
BEGIN
    INSERT INTO search_fts(search_fts, rowid, title, kicker, subtitle, abstract, keywords,
                           authors, body, meta)
    SELECT 'delete', docid, OLD.title, OLD.kicker, OLD.subtitle, OLD.abstract, OLD.keywords,
           OLD.authors, OLD.body, meta FROM search_doc WHERE article_id = OLD.id;
    DELETE FROM search_doc WHERE article_id = OLD.id;
    INSERT INTO search_doc(docid, article_id, meta)
    SELECT docid, article_id, meta FROM search_src WHERE article_id = NEW.id;
    INSERT INTO search_fts(rowid, title, kicker, subtitle, abstract, keywords, authors, body, meta)
    SELECT docid, NEW.title, NEW.kicker, NEW.subtitle, NEW.abstract, NEW.keywords, NEW.authors,
           NEW.body, meta FROM search_doc WHERE article_id = NEW.id;
END;
