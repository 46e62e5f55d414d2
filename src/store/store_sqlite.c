/* SPDX-License-Identifier: MIT */
/*
 * store_sqlite.c - the SQLite backend: one connection per struct store,
 * every statement prepared once and cached, WAL journal, foreign keys on.
 * This file and the SQL in it are the only places that know SQLite.
 */
#include "core/compat.h"

#include <sqlite3.h>

#include "core/err.h"
#include "core/log.h"
#include "store/search_sqlite.h"
#include "store/store_int.h"

#define APPLICATION_ID 1296585540 /* 'MHSD' */

#define ARTICLE_COLS                                                                           \
    "a.id, a.edition, c.slug, a.title, a.subtitle, a.kicker, a.authors, a.editor, a.source, "  \
    "a.keywords, a.abstract, a.body, a.body_format, a.status, a.created_at, a.updated_at, "    \
    "a.first_published_at, a.last_published_at, a.scheduled_at, a.revision, "                 \
    "coalesce(a.translation_of, 0) "
#define CHANNEL_COLS                                                                           \
    "id, edition, parent_id, slug, name, search_name, position, description, kind, end_at "
#define CARD_COLS                                                                              \
    "a.id, a.edition, c.slug, a.title, a.abstract, a.first_published_at, m.id, m.sha256, "     \
    "m.path, m.mime, m.width, m.height, am.caption, am.credit, am.alt "
#define CARD_FROM                                                                              \
    "FROM article a JOIN channel c ON c.id = a.channel_id "                                    \
    "LEFT JOIN article_media am ON am.article_id = a.id AND am.position = 0 "                  \
    "LEFT JOIN media m ON m.id = am.media_id "
#define MEDIA_COLS                                                                             \
    "id, kind, sha256, path, mime, width, height, bytes, caption, credit, alt, focal_x, "      \
    "focal_y, video_url, created_at "

static const char *const sql_text[Q_COUNT] = {
    [Q_BEGIN] = "BEGIN IMMEDIATE",
    [Q_BEGIN_READ] = "BEGIN",
    [Q_COMMIT] = "COMMIT",
    [Q_ROLLBACK] = "ROLLBACK",
    [Q_SAVEPOINT] = "SAVEPOINT nested",
    [Q_RELEASE] = "RELEASE nested",
    [Q_ROLLBACK_TO] = "ROLLBACK TO nested",
    [Q_EDITION_PUT] =
        "INSERT INTO edition(slug, name, lang, tz, base_url, position, is_default) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(slug) DO UPDATE SET "
        "name = excluded.name, lang = excluded.lang, tz = excluded.tz, "
        "base_url = excluded.base_url, position = excluded.position, "
        "is_default = excluded.is_default",
    [Q_EDITION_GET] = "SELECT slug, name, lang, tz, base_url, position, is_default "
                      "FROM edition WHERE slug = ?1",
    [Q_EDITIONS] = "SELECT slug, name, lang, tz, base_url, position, is_default "
                   "FROM edition ORDER BY position, slug",
    [Q_CHANNEL_FIND] = "SELECT id FROM channel WHERE edition = ?1 AND slug = ?2",
    [Q_CHANNEL_INSERT] =
        "INSERT INTO channel(edition, parent_id, slug, name, search_name, position, "
        "description, kind, end_at) VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id",
    [Q_CHANNEL_UPDATE] = "UPDATE channel SET edition = ?2, parent_id = ?3, slug = ?4, "
                         "name = ?5, search_name = ?6, position = ?7, description = ?8, "
                         "kind = ?9, end_at = ?10 WHERE id = ?1",
    [Q_CHANNEL_GET] = "SELECT " CHANNEL_COLS "FROM channel WHERE edition = ?1 AND slug = ?2",
    [Q_CHANNELS] = "SELECT " CHANNEL_COLS "FROM channel WHERE edition = ?1 "
                   "ORDER BY parent_id IS NOT NULL, position, id",
    [Q_ARTICLE_INSERT] =
        "INSERT INTO article(id, edition, channel_id, title, subtitle, kicker, authors, "
        "editor, source, keywords, abstract, body, body_format, status, created_at, "
        "updated_at, first_published_at, last_published_at, scheduled_at, revision, "
        "content_hash, updated_by, revision_note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
        "?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23) "
        "RETURNING id",
    [Q_ARTICLE_UPDATE] =
        "UPDATE article SET edition = ?2, channel_id = ?3, title = ?4, subtitle = ?5, "
        "kicker = ?6, authors = ?7, editor = ?8, source = ?9, keywords = ?10, abstract = ?11, "
        "body = ?12, body_format = ?13, status = ?14, created_at = ?15, updated_at = ?16, "
        "first_published_at = ?17, last_published_at = ?18, scheduled_at = ?19, "
        "revision = ?20, content_hash = ?21, updated_by = ?22, revision_note = ?23 "
        "WHERE id = ?1 AND revision = ?24 RETURNING id",
    [Q_ARTICLE_GET] = "SELECT " ARTICLE_COLS
                      "FROM article a JOIN channel c ON c.id = a.channel_id WHERE a.id = ?1",
    [Q_ARTICLE_HASH] = "SELECT content_hash FROM article WHERE id = ?1",
    [Q_ARTICLE_REVISION_SAVE] =
        "INSERT INTO revision(article_id, revision, saved_at, saved_by, note, channel_id, "
        "title, subtitle, kicker, authors, editor, source, keywords, abstract, body, "
        "body_format, status, images) SELECT id, revision, updated_at, updated_by, "
        "revision_note, channel_id, title, subtitle, kicker, authors, editor, source, "
        "keywords, abstract, body, body_format, status, COALESCE((SELECT group_concat("
        "media_id || char(9) || caption || char(9) || credit || char(9) || alt, char(10)) "
        "FROM (SELECT * FROM article_media WHERE article_id = ?1 ORDER BY position)), '') "
        "FROM article WHERE id = ?1",
    [Q_ARTICLE_MEDIA_INSERT] = "INSERT INTO article_media(article_id, position, media_id, "
                               "caption, credit, alt) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [Q_ARTICLE_MEDIA_DELETE] = "DELETE FROM article_media WHERE article_id = ?1",
    [Q_ARTICLE_MEDIA_GET] =
        "SELECT m.id, m.sha256, m.path, m.mime, m.width, m.height, am.caption, am.credit, "
        "am.alt FROM article_media am JOIN media m ON m.id = am.media_id "
        "WHERE am.article_id = ?1 ORDER BY am.position",
    [Q_ARTICLE_ALL] = "SELECT " ARTICLE_COLS
                      "FROM article a JOIN channel c ON c.id = a.channel_id ORDER BY a.id",
    [Q_ARTICLE_BY_EDITION] = "SELECT " ARTICLE_COLS
                             "FROM article a JOIN channel c ON c.id = a.channel_id "
                             "WHERE a.edition = ?1 ORDER BY a.id",
    [Q_ARTICLE_COUNT_ALL] = "SELECT count(*) FROM article",
    [Q_ARTICLE_COUNT_EDITION] = "SELECT count(*) FROM article WHERE edition = ?1",
    /* the page's ids first, from the index alone: an OFFSET deep in an
     * archive then skips index entries, not joined rows (page 1,093 of a
     * channel: 1 ms instead of 45) */
    [Q_CARDS_LATEST] = "SELECT " CARD_COLS CARD_FROM
                       "WHERE a.id IN (SELECT id FROM article WHERE edition = ?1 "
                       "AND status = 'published' ORDER BY first_published_at DESC, id DESC "
                       "LIMIT ?3 OFFSET ?4) ORDER BY a.first_published_at DESC, a.id DESC",
    [Q_CARDS_LATEST_CHANNEL] =
        "SELECT " CARD_COLS CARD_FROM
        "WHERE a.id IN (SELECT id FROM article WHERE channel_id = "
        "(SELECT id FROM channel WHERE edition = ?1 AND slug = ?2) AND status = 'published' "
        "ORDER BY first_published_at DESC, id DESC LIMIT ?3 OFFSET ?4) "
        "ORDER BY a.first_published_at DESC, a.id DESC",
    [Q_CARDS_COUNT] = "SELECT count(*) FROM article WHERE edition = ?1 AND status = 'published'",
    [Q_CARDS_COUNT_CHANNEL] =
        "SELECT count(*) FROM article WHERE channel_id = (SELECT id FROM channel "
        "WHERE edition = ?1 AND slug = ?2) AND status = 'published'",
    [Q_CARDS_MOST_READ] =
        "SELECT " CARD_COLS ", r.views FROM ranking r "
        "JOIN article a ON a.id = r.article_id " /* CARD_FROM without its FROM */
        "JOIN channel c ON c.id = a.channel_id "
        "LEFT JOIN article_media am ON am.article_id = a.id AND am.position = 0 "
        "LEFT JOIN media m ON m.id = am.media_id "
        "WHERE r.edition = ?1 AND a.status = 'published' ORDER BY r.position LIMIT ?2",
    [Q_CARD_GET] = "SELECT " CARD_COLS CARD_FROM "WHERE a.id = ?1 AND a.status = 'published'",
    [Q_MEDIA_BY_SHA] = "SELECT " MEDIA_COLS "FROM media WHERE sha256 = ?1",
    [Q_MEDIA_INSERT] =
        "INSERT INTO media(kind, sha256, path, mime, width, height, bytes, caption, credit, "
        "alt, focal_x, focal_y, video_url, created_at) VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, "
        "?9, ?10, ?11, ?12, ?13, ?14, ?15) RETURNING id",
    [Q_MEDIA_ALL] = "SELECT " MEDIA_COLS "FROM media ORDER BY id",
    [Q_USER_ADD] = "INSERT INTO user(login, display_name, role, password_hash, created_at, "
                   "disabled) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
    [Q_USER_GET] = "SELECT id, login, display_name, role, created_at, disabled, "
                   "password_hash FROM user WHERE login = ?1",
    [Q_USER_SET_PASSWORD] = "UPDATE user SET password_hash = ?2 WHERE login = ?1 RETURNING id",
    [Q_USERS] = "SELECT id, login, display_name, role, created_at, disabled, '' "
                "FROM user ORDER BY login",
    [Q_LINK_GROUP_FIND] = "SELECT id FROM link_group WHERE edition = ?1 AND slug = ?2",
    [Q_LINK_GROUP_INSERT] = "INSERT INTO link_group(edition, slug, name, kind, position) "
                            "VALUES (?2, ?3, ?4, ?5, ?6) RETURNING id",
    [Q_LINK_GROUP_UPDATE] = "UPDATE link_group SET edition = ?2, slug = ?3, name = ?4, "
                            "kind = ?5, position = ?6 WHERE id = ?1",
    [Q_LINK_DELETE] = "DELETE FROM link WHERE group_id = ?1",
    [Q_LINK_INSERT] = "INSERT INTO link(group_id, position, title, url) VALUES (?1, ?2, ?3, ?4)",
    [Q_LINK_GROUPS] = "SELECT id, edition, slug, name, kind, position FROM link_group "
                      "WHERE edition = ?1 ORDER BY kind, position, id",
    [Q_LINKS] = "SELECT title, url FROM link WHERE group_id = ?1 ORDER BY position",
    [Q_CURATION_DELETE] = "DELETE FROM curation WHERE edition = ?1 AND slot = ?2",
    [Q_CURATION_INSERT] = "INSERT INTO curation(edition, slot, position, article_id, title, "
                          "summary, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [Q_CURATION_GET] = "SELECT position, article_id, title, summary, expires_at FROM curation "
                       "WHERE edition = ?1 AND slot = ?2 ORDER BY position",
    [Q_PAGEVIEW_ADD] = "INSERT INTO pageview(article_id, hour, count) VALUES (?1, ?2, ?3) "
                       "ON CONFLICT(article_id, hour) DO UPDATE SET count = count + "
                       "excluded.count",
    [Q_PAGEVIEW_TOTAL] = "SELECT COALESCE(sum(count), 0) FROM pageview WHERE article_id = ?1",
    [Q_AUDIT_ADD] = "INSERT INTO audit(at, login, action, object, detail, address) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [Q_CHECK_CHANNEL_EDITION] =
        "SELECT 'article ' || a.id || ' is in edition ''' || a.edition || ''' but its channel "
        "''' || c.slug || ''' belongs to ''' || c.edition || '''' FROM article a "
        "JOIN channel c ON c.id = a.channel_id WHERE c.edition <> a.edition LIMIT 100",
    [Q_CHECK_PUBLISHED_DATES] =
        "SELECT 'article ' || id || ' (' || status || '): ' || CASE "
        "WHEN status IN ('published', 'withdrawn') AND first_published_at IS NULL "
        "THEN 'has no first publication time' "
        "WHEN last_published_at < first_published_at "
        "THEN 'was last published before it was first published' "
        "WHEN status = 'scheduled' AND scheduled_at IS NULL THEN 'has no scheduled time' "
        "ELSE 'was updated before it was created' END FROM article WHERE "
        "(status IN ('published', 'withdrawn') AND first_published_at IS NULL) "
        "OR last_published_at < first_published_at "
        "OR (status = 'scheduled' AND scheduled_at IS NULL) OR updated_at < created_at "
        "LIMIT 100",
    [Q_CHECK_LEAD_IMAGE] =
        "SELECT 'article ' || article_id || ': image positions are not 0..' || (count(*) - 1) "
        "FROM article_media GROUP BY article_id HAVING max(position) <> count(*) - 1 "
        "OR min(position) <> 0 LIMIT 100",
    [Q_CHECK_DEFAULT_EDITION] =
        "SELECT 'there are ' || count(*) || ' default editions; there must be exactly one' "
        "FROM edition HAVING count(*) > 0 AND sum(is_default) <> 1",
    [Q_CHECK_CHANNEL_PARENT] =
        "SELECT 'channel ''' || c.edition || '/' || c.slug || ''' has a parent in another "
        "edition or is its own parent' FROM channel c JOIN channel p ON p.id = c.parent_id "
        "WHERE p.edition <> c.edition OR c.parent_id = c.id LIMIT 100",

    /* change log and translations (reader site, issue 3) */
    [Q_CHANGE_SEQ] = "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'change_log'), 0)",
    [Q_CHANGES_SINCE] = "SELECT seq, at, kind, coalesce(edition, ''), coalesce(article_id, 0), "
                        "coalesce(channel_id, 0) FROM change_log WHERE seq > ?1 ORDER BY seq "
                        "LIMIT ?2",
    [Q_CHANGES_PRUNE] = "DELETE FROM change_log WHERE at < ?1",
    [Q_KEYWORDS_DELETE] = "DELETE FROM article_keyword WHERE article_id = ?1",
    [Q_KEYWORD_INSERT] = "INSERT OR IGNORE INTO article_keyword(keyword, article_id) VALUES (?1, ?2)",
    [Q_ARTICLE_SET_TRANSLATION] = "UPDATE article SET translation_of = ?2 WHERE id = ?1 "
                                  "AND translation_of IS NOT ?2",
    /* the 200 articles sharing most keywords with ?1 (newest first among
     * equals), then the published ones of edition ?2, same channel ?3 first */
    /* related articles (card.c): the keywords of ?1; the newest ?3
     * articles but ?2 holding keyword ?1; a candidate's card when it is a
     * published article of edition ?3, with whether it is in channel ?2 */
    [Q_RELATED_KEYWORDS] = "SELECT keyword FROM article_keyword WHERE article_id = ?1",
    [Q_RELATED_HOLDERS] = "SELECT article_id FROM article_keyword WHERE keyword = ?1 "
                          "AND article_id <> ?2 ORDER BY article_id DESC LIMIT ?3",
    [Q_RELATED_CARD] = "SELECT " CARD_COLS ", a.channel_id = ?2 " CARD_FROM
                       "WHERE a.id = ?1 AND a.status = 'published' AND a.edition = ?3",
    /* the published translations of ?1, whose own original is ?2 (or 0) */
    [Q_RANKING_CLEAR] = "DELETE FROM ranking",
    /* the ?2 most viewed published articles of each edition since hour ?1 */
    [Q_RANKING_FILL] =
        "INSERT INTO ranking(edition, position, article_id, views) "
        "SELECT edition, n, article_id, views FROM (SELECT a.edition, v.article_id, v.views, "
        "row_number() OVER (PARTITION BY a.edition ORDER BY v.views DESC, "
        "a.first_published_at DESC, a.id DESC) AS n FROM (SELECT article_id, sum(count) AS views "
        "FROM pageview WHERE hour >= ?1 GROUP BY article_id) v "
        "JOIN article a ON a.id = v.article_id WHERE a.status = 'published') WHERE n <= ?2",
    [Q_CARDS_TRANSLATIONS] = /* a union of index lookups: an OR here scanned */
        "SELECT " CARD_COLS CARD_FROM "WHERE a.id IN (SELECT ?2 WHERE ?2 <> 0 "
        "UNION ALL SELECT id FROM article WHERE translation_of = ?1 "
        "UNION ALL SELECT id FROM article WHERE ?2 <> 0 AND translation_of = ?2) "
        "AND a.status = 'published' AND a.id <> ?1 ORDER BY a.edition",

    /* newsroom: sessions, workflow, locks, tokens (issue 4) */
    [Q_NR_ARTICLE_STATE] = "SELECT owner, status, revision FROM article WHERE id = ?1",
    [Q_NR_ARTICLE_SAVED] =
        "SELECT updated_by, revision_note, updated_at FROM article WHERE id = ?1",
    [Q_NR_ARTICLE_OWNER_SET] =
        "UPDATE article SET owner = ?2, updated_by = ?2, revision_note = ?3 WHERE id = ?1",
    [Q_NR_ARTICLE_STATUS] =
        "UPDATE article SET status = ?2, scheduled_at = ?3, first_published_at = ?4, "
        "last_published_at = ?5, updated_at = ?6, content_hash = ?7 "
        "WHERE id = ?1 AND (?8 = 0 OR revision = ?8) RETURNING id",
    [Q_NR_ARTICLE_DELETE] = "DELETE FROM article WHERE id = ?1 AND status = 'draft' RETURNING id",
/* No join: the channel filter is resolved once, the slug read only for the
 * rows shown, so a scan stays in the covering index article_list. */
#define NR_LIST_WHERE                                                                          \
    "FROM article a WHERE (?1 = '' OR a.edition = ?1) "                                        \
    "AND (?2 = '' OR a.channel_id IN (SELECT id FROM channel WHERE slug = ?2 "                 \
    "AND (?1 = '' OR edition = ?1))) "                                                         \
    "AND (?3 = '' OR a.status = ?3) AND (?4 = '' OR a.owner = ?4) "                            \
    "AND (?5 = '' OR instr(char(10) || a.authors || char(10), char(10) || ?5 || char(10)) > 0) " \
    "AND (?6 = '' OR a.title LIKE ?6 ESCAPE '\\') "                                           \
    "AND (?7 = '' OR a.owner = ?7 OR a.status = 'published') "
    [Q_NR_ARTICLE_LIST] =
        "SELECT a.id, a.edition, (SELECT slug FROM channel WHERE id = a.channel_id), a.title, "
        "a.owner, a.authors, a.status, a.revision, a.updated_at, a.first_published_at, "
        "a.scheduled_at " NR_LIST_WHERE "ORDER BY a.updated_at DESC, a.id DESC LIMIT ?8 OFFSET ?9",
    [Q_NR_ARTICLE_LIST_COUNT] = "SELECT count(*) " NR_LIST_WHERE,
    [Q_NR_USER_BY_ID] = "SELECT id, login, display_name, role, created_at, disabled, "
                        "password_hash FROM user WHERE id = ?1",
    [Q_NR_USER_SET_ROLE] = "UPDATE user SET role = ?2 WHERE login = ?1 RETURNING id",
    [Q_NR_USER_SET_DISABLED] = "UPDATE user SET disabled = ?2 WHERE login = ?1 RETURNING id",
    [Q_NR_SESSION_ADD] = "INSERT INTO session(token_hash, user_id, created_at, seen_at, address) "
                         "VALUES (?1, ?2, ?3, ?4, ?5)",
    [Q_NR_SESSION_GET] = "SELECT user_id, created_at, seen_at FROM session WHERE token_hash = ?1",
    [Q_NR_SESSION_TOUCH] = "UPDATE session SET seen_at = ?2 WHERE token_hash = ?1",
    [Q_NR_SESSION_DELETE] = "DELETE FROM session WHERE token_hash = ?1",
    [Q_NR_SESSION_DELETE_USER] =
        "DELETE FROM session WHERE user_id = ?1 AND token_hash IS NOT ?2 RETURNING 1",
    [Q_NR_SESSION_PURGE] = "DELETE FROM session WHERE seen_at < ?1 OR created_at < ?2",
    [Q_NR_FAIL_ADD] = "INSERT INTO signin_failure(key, at) VALUES (?1, ?2)",
    [Q_NR_FAIL_COUNT] =
        "SELECT count(*), COALESCE(min(at), 0) FROM signin_failure WHERE key = ?1 AND at > ?2",
    [Q_NR_FAIL_CLEAR] = "DELETE FROM signin_failure WHERE key = ?1",
    [Q_NR_FAIL_PURGE] = "DELETE FROM signin_failure WHERE at <= ?1",
    [Q_NR_LOCK_GET] = "SELECT article_id, login, display_name, since, expires_at "
                      "FROM article_lock WHERE article_id = ?1",
    [Q_NR_LOCK_PUT] = "INSERT OR REPLACE INTO article_lock(article_id, login, display_name, "
                      "since, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    [Q_NR_LOCK_DELETE] = "DELETE FROM article_lock WHERE article_id = ?1 AND login = ?2",
    [Q_NR_AUTOSAVE_PUT] =
        "INSERT OR REPLACE INTO autosave(article_id, login, base_revision, saved_at, channel, "
        "title, subtitle, kicker, authors, editor, source, keywords, abstract, body, "
        "body_format, images) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
        "?14, ?15, ?16)",
    [Q_NR_AUTOSAVE_GET] =
        "SELECT base_revision, saved_at, channel, title, subtitle, kicker, authors, editor, "
        "source, keywords, abstract, body, body_format, images FROM autosave "
        "WHERE article_id = ?1 AND login = ?2",
    [Q_NR_AUTOSAVE_DELETE] = "DELETE FROM autosave WHERE article_id = ?1 AND (?2 = '' OR login = ?2)",
    [Q_NR_REVISIONS] = "SELECT revision, saved_at, saved_by, note FROM revision "
                       "WHERE article_id = ?1 ORDER BY revision DESC",
    [Q_NR_REVISION_GET] =
        "SELECT r.revision, r.saved_at, c.slug, r.title, r.subtitle, r.kicker, r.authors, "
        "r.editor, r.source, r.keywords, r.abstract, r.body, r.body_format, r.images "
        "FROM revision r JOIN channel c ON c.id = r.channel_id "
        "WHERE r.article_id = ?1 AND r.revision = ?2",
    [Q_NR_MEDIA_BY_ID] = "SELECT " MEDIA_COLS "FROM media WHERE id = ?1",
    [Q_NR_SCHEDULED_DUE] = "SELECT id FROM article WHERE status = 'scheduled' "
                           "AND scheduled_at <= ?1 ORDER BY scheduled_at, id LIMIT 100",
    [Q_NR_SCHEDULED_NEXT] =
        "SELECT COALESCE(min(scheduled_at), 0) FROM article WHERE status = 'scheduled'",
    [Q_NR_AUDIT_LIST] = "SELECT id, at, login, action, object, detail, address FROM audit "
                        "WHERE (?1 = '' OR login = ?1) AND (?3 = 0 OR id < ?3) "
                        "ORDER BY id DESC LIMIT ?4",
    [Q_NR_AUDIT_BY_OBJECT] = "SELECT id, at, login, action, object, detail, address FROM audit "
                             "WHERE object = ?2 AND (?1 = '' OR login = ?1) "
                             "AND (?3 = 0 OR id < ?3) ORDER BY id DESC LIMIT ?4",
    [Q_NR_CHANNEL_POSITION] =
        "UPDATE channel SET position = ?3 WHERE id = ?1 AND edition = ?2 RETURNING id",
    /* (JSON API tokens, issue 6: token.c) */
    [Q_TOKEN_ADD] = "INSERT INTO api_token(user_id, hash, prefix, note, created_at) "
                    "SELECT id, ?2, ?3, ?4, ?5 FROM user WHERE login = ?1 RETURNING id",
    [Q_TOKEN_FIND] = "SELECT t.id, u.login, t.prefix, t.note, t.created_at, t.last_used_at, "
                     "t.revoked_at, u.id, u.display_name, u.role, u.created_at, u.disabled "
                     "FROM api_token t JOIN user u ON u.id = t.user_id "
                     "WHERE t.hash = ?1 AND t.revoked_at IS NULL",
    [Q_TOKEN_TOUCH] = "UPDATE api_token SET last_used_at = ?2 WHERE id = ?1 AND "
                      "(last_used_at IS NULL OR last_used_at <= ?2 - 60000)",
    [Q_TOKENS] = "SELECT t.id, u.login, t.prefix, t.note, t.created_at, t.last_used_at, "
                 "t.revoked_at FROM api_token t JOIN user u ON u.id = t.user_id ORDER BY t.id",
    [Q_TOKEN_REVOKE] = "UPDATE api_token SET revoked_at = ?2 WHERE id = ?1 AND "
                       "revoked_at IS NULL RETURNING id",
    [Q_TOKEN_REVOKE_USER] = "UPDATE api_token SET revoked_at = ?2 WHERE revoked_at IS NULL AND "
                            "user_id = (SELECT id FROM user WHERE login = ?1) RETURNING id",

    /* search (issue 5): search_sqlite.c runs these */
    [Q_SEARCH_SCAN] = "SELECT rowid, mh_bm25(search_fts, ?2, ?5) FROM search_fts "
                      "WHERE search_fts MATCH ?1 AND rowid BETWEEN ?3 AND ?4 ORDER BY rowid DESC",
    [Q_SEARCH_BY_DATE] = "SELECT rowid FROM search_fts WHERE search_fts MATCH ?1 "
                         "AND rowid BETWEEN ?3 AND ?4 ORDER BY rowid DESC LIMIT ?5 OFFSET ?6",
    [Q_SEARCH_COUNT] = "SELECT count(*), min(rowid) FROM (SELECT rowid FROM search_fts "
                       "WHERE search_fts MATCH ?1 AND rowid BETWEEN ?3 AND ?4 "
                       "ORDER BY rowid DESC LIMIT ?5)",
    [Q_SEARCH_COUNT_UP] = "SELECT count(*) FROM (SELECT rowid FROM search_fts "
                          "WHERE search_fts MATCH ?1 AND rowid BETWEEN ?3 AND ?4 "
                          "ORDER BY rowid LIMIT ?5)",
    [Q_SEARCH_RANGE] = "SELECT (SELECT min(docid) FROM search_doc), "
                       "(SELECT max(docid) FROM search_doc)",
    [Q_SEARCH_SPAN] = "SELECT count(*) FROM search_doc WHERE docid >= ?1 AND docid < ?2",
    [Q_SEARCH_DF] = "SELECT doc FROM search_vocab WHERE term = ?1",
    [Q_SEARCH_DOCS] = "SELECT count(*) FROM search_doc",
    [Q_SEARCH_HIT] = "SELECT a.id, a.edition, c.slug, c.name, a.title, a.abstract, a.body, "
                     "a.body_format, a.first_published_at FROM search_doc d "
                     "JOIN article a ON a.id = d.article_id JOIN channel c ON c.id = a.channel_id "
                     "WHERE d.docid = ?1 AND a.status = 'published' AND a.edition = ?2",
    [Q_SEARCH_CLEAR_FTS] = "INSERT INTO search_fts(search_fts) VALUES ('delete-all')",
    [Q_SEARCH_CLEAR_DOC] = "DELETE FROM search_doc",
    /* four docids a second, each the first free one: docs/internals/search.md */
    [Q_SEARCH_FILL_DOC] =
        "INSERT INTO search_doc(docid, article_id, parent_id) "
        "SELECT rn + max(base - rn) OVER (ORDER BY rn ROWS UNBOUNDED PRECEDING), article_id, "
        "parent_id FROM (SELECT article_id, parent_id, sec * 4 AS base, "
        "row_number() OVER (ORDER BY sec, article_id) AS rn FROM search_src)",
    [Q_SEARCH_FILL_FTS] =
        "INSERT INTO search_fts(rowid, body, title, kicker, subtitle, abstract, keywords, "
        "authors, meta) SELECT docid, body, title, kicker, subtitle, abstract, keywords, "
        "authors, meta FROM search_row ORDER BY docid",
    [Q_SEARCH_OPTIMIZE] = "INSERT INTO search_fts(search_fts) VALUES ('optimize')",
    [Q_SEARCH_PENDING_ANY] = "SELECT EXISTS (SELECT 1 FROM search_pending)",
    [Q_SEARCH_PENDING_NEXT] = "SELECT article_id FROM search_pending ORDER BY article_id",
    [Q_SEARCH_PENDING_CLEAR] = "DELETE FROM search_pending",
    /* a batch of pending changes (search_sqlite.c apply_pending) */
    [Q_SEARCH_FTS_DELETE] =
        "INSERT INTO search_fts(search_fts, rowid, body, title, kicker, subtitle, abstract, "
        "keywords, authors, meta) SELECT 'delete', docid, body, title, kicker, subtitle, "
        "abstract, keywords, authors, meta FROM search_pending WHERE docid IS NOT NULL",
    [Q_SEARCH_DOC_DELETE] =
        "DELETE FROM search_doc WHERE article_id IN (SELECT article_id FROM search_pending)",
    /* the first free docid at or after four times the second of publication */
    [Q_SEARCH_DOC_ADD] =
        "INSERT INTO search_doc(docid, article_id, parent_id) "
        "SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM search_doc WHERE docid = s.sec * 4) "
        "THEN s.sec * 4 ELSE (SELECT d.docid + 1 FROM search_doc d WHERE d.docid >= s.sec * 4 "
        "AND NOT EXISTS (SELECT 1 FROM search_doc e WHERE e.docid = d.docid + 1) "
        "ORDER BY d.docid LIMIT 1) END, s.article_id, s.parent_id "
        "FROM search_src s WHERE s.article_id = ?1",
    [Q_SEARCH_FTS_ADD] =
        "INSERT INTO search_fts(rowid, body, title, kicker, subtitle, abstract, keywords, "
        "authors, meta) SELECT docid, body, title, kicker, subtitle, abstract, keywords, "
        "authors, meta FROM search_row "
        "WHERE article_id IN (SELECT article_id FROM search_pending)",
    [Q_SEARCH_EDITIONS] = "SELECT slug FROM edition ORDER BY slug",

    /* distribution: feeds, push queue, publish state (issue 6) */
    /* by UTC day (migrations/010_sitemap_days.sql), folded into months in C */
    [Q_SITEMAP_MONTHS] = "SELECT edition, day, count, lastmod FROM sitemap_day "
                         "WHERE count > 0 ORDER BY edition, day",
    /* in the order of article_by_edition, which holds every column: no sort
     * (ordering ties by id instead sorted 25,000 rows: 33 ms against 5) */
    [Q_SITEMAP_URLS] = "SELECT id, first_published_at, updated_at FROM article "
                       "WHERE edition = ?1 AND status = 'published' AND first_published_at >= ?2 "
                       "AND first_published_at < ?3 ORDER BY first_published_at, updated_at, id "
                       "LIMIT ?4 OFFSET ?5",
    [Q_PUSH_PENDING] = "SELECT q.id, q.article_id, q.published_at, q.edition, e.base_url, e.tz, "
                       "q.reason FROM push_queue q JOIN edition e ON e.slug = q.edition "
                       "WHERE q.pending & ?1 ORDER BY q.id LIMIT ?2",
    [Q_PUSH_DONE] = "UPDATE push_queue SET pending = pending & ~?1 WHERE id = ?2",
    [Q_PUSH_PRUNE] = "DELETE FROM push_queue WHERE pending & ?1 = 0",
    [Q_PUSH_COUNT] = "SELECT count(*) FROM push_queue",

    /* imports: redirects (issue 6) */
    [Q_REDIRECT_PUT] = "INSERT INTO redirect(path, article_id, created_at) VALUES (?1, ?2, ?3) "
                       "ON CONFLICT(path) DO UPDATE SET article_id = excluded.article_id "
                       "WHERE article_id <> excluded.article_id",
    [Q_REDIRECT_GET] = "SELECT article_id FROM redirect WHERE path = ?1",

    /* images: derivatives (issue 4) */
    [Q_MEDIA_GET] = "SELECT " MEDIA_COLS "FROM media WHERE id = ?1",
    [Q_MEDIA_SET_META] = "UPDATE media SET caption = ?2, credit = ?3, alt = ?4, focal_x = ?5, "
                         "focal_y = ?6 WHERE id = ?1",
    /* ?1 text ('' for any) in caption, credit or alt text; created in [?2, ?3) */
#define MEDIA_FIND_WHERE                                                                       \
    "WHERE kind = 'image' AND created_at >= ?2 AND created_at < ?3 AND (?1 = '' OR "           \
    "instr(lower(caption), lower(?1)) OR instr(lower(credit), lower(?1)) OR "                  \
    "instr(lower(alt), lower(?1))) "
    [Q_MEDIA_FIND] = "SELECT " MEDIA_COLS "FROM media " MEDIA_FIND_WHERE
                     "ORDER BY created_at DESC, id DESC LIMIT ?4 OFFSET ?5",
    [Q_MEDIA_FIND_COUNT] = "SELECT count(*) FROM media " MEDIA_FIND_WHERE,
#undef MEDIA_FIND_WHERE
    [Q_MEDIA_PENDING] = "SELECT " MEDIA_COLS "FROM media m WHERE kind = 'image' AND id > ?2 "
                        "AND NOT EXISTS (SELECT 1 FROM image_done d WHERE d.media_id = m.id "
                        "AND d.spec = ?1) ORDER BY id LIMIT ?3",
    [Q_DERIV_DELETE] = "DELETE FROM image_derivative WHERE media_id = ?1",
    [Q_DERIV_INSERT] = "INSERT OR REPLACE INTO image_derivative(media_id, variant, width, height, "
                       "format, crop_x, crop_y, crop_w, crop_h, path, bytes, created_at) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    [Q_DERIV_GET] = "SELECT media_id, variant, width, height, format, crop_x, crop_y, crop_w, "
                    "crop_h, path, bytes FROM image_derivative WHERE media_id = ?1 "
                    "ORDER BY variant, width DESC, format",
    [Q_IMAGE_DONE] = "INSERT OR REPLACE INTO image_done(media_id, spec, error, done_at) "
                     "VALUES (?1, ?2, ?3, ?4)",
    [Q_IMAGE_UNDONE] = "DELETE FROM image_done WHERE media_id = ?1",

};

struct store_stmt {
    sqlite3_stmt *st;
    struct store *s;
    enum store_query q;
};

struct sqlite_state {
    sqlite3 *db;
    struct store_stmt stmts[Q_COUNT];
};

static sqlite3 *db_of(struct store *s)
{
    return ((struct sqlite_state *)s->backend)->db;
}

sqlite3 *store_sqlite_db(struct store *s)
{
    return db_of(s);
}

sqlite3_stmt *store_sqlite_stmt(struct store_stmt *st)
{
    return st->st;
}

/* Map an SQLite result to enum mh_err. */
static int map_rc(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE:
        return MH_OK;
    case SQLITE_CONSTRAINT:
        if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
            return MH_NOTFOUND;
        if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
            return MH_CONFLICT;
        return MH_INVAL;
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
        return MH_IO;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return MH_TIMEOUT;
    case SQLITE_TOOBIG:
        return MH_TOOBIG;
    default:
        return MH_DB;
    }
}

static int sq_exec(struct store *s, const char *sql)
{
    char *err = NULL;
    int rc = sqlite3_exec(db_of(s), sql, NULL, NULL, &err);
    if (rc != SQLITE_OK) {
        log_debug("sqlite: %s", err ? err : sqlite3_errstr(rc));
        sqlite3_free(err);
        return map_rc(sqlite3_extended_errcode(db_of(s)));
    }
    return MH_OK;
}

static int pragma_int(sqlite3 *db, const char *sql, int *out)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return map_rc(rc);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int(st, 0);
    int frc = sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return map_rc(frc ? frc : rc);
    return MH_OK;
}

static int sq_open(struct store *s, const char *path, bool create, bool readonly, char *errbuf,
                   size_t errlen)
{
    struct sqlite_state *st = mh_calloc(1, sizeof(*st));
    int flags = readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    int rc, n = 0, appid = 0, version = 0;
    if (create)
        flags |= SQLITE_OPEN_CREATE;
    s->backend = st;
    rc = sqlite3_open_v2(path, &st->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        snprintf(errbuf, errlen, "cannot open database '%s': %s", path,
                 st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
        return map_rc(rc);
    }
    sqlite3_extended_result_codes(st->db, 1);
    sqlite3_busy_timeout(st->db, 5000);
    /* the first read tells a database from any other file */
    rc = pragma_int(st->db, "PRAGMA application_id", &appid);
    if (rc == MH_OK)
        rc = pragma_int(st->db, "PRAGMA user_version", &version);
    if (rc == MH_OK)
        rc = pragma_int(st->db, "SELECT count(*) FROM sqlite_schema", &n);
    if (rc) {
        snprintf(errbuf, errlen, "cannot read '%s': %s", path, sqlite3_errmsg(st->db));
        return rc == MH_DB ? MH_INVAL : rc;
    }
    if (appid != APPLICATION_ID && (n > 0 || version > 0)) {
        snprintf(errbuf, errlen, "'%s' is an SQLite database, but not a Masthead one", path);
        return MH_INVAL;
    }
    if (!readonly) {
        if (sq_exec(s, "PRAGMA journal_mode = WAL") != MH_OK ||
            sq_exec(s, "PRAGMA synchronous = NORMAL") != MH_OK) {
            snprintf(errbuf, errlen, "cannot set up '%s': %s", path, sqlite3_errmsg(st->db));
            return MH_IO;
        }
    }
    if (sq_exec(s, "PRAGMA foreign_keys = ON") != MH_OK ||
        sq_exec(s, "PRAGMA cache_size = -16000") != MH_OK ||
        sq_exec(s, "PRAGMA temp_store = MEMORY") != MH_OK) { /* savepoint journals too */
        snprintf(errbuf, errlen, "cannot set up '%s': %s", path, sqlite3_errmsg(st->db));
        return MH_DB;
    }
    if (store_sqlite_search_init(st->db) != MH_OK) { /* before migrations: the index needs it */
        snprintf(errbuf, errlen, "cannot set up search on '%s': %s", path,
                 sqlite3_errmsg(st->db));
        return MH_DB;
    }
    if (appid != APPLICATION_ID && !readonly)
        return sq_exec(s, "PRAGMA application_id = 1296585540");
    return MH_OK;
}

static void sq_close(struct store *s)
{
    struct sqlite_state *st = s->backend;
    if (st == NULL)
        return;
    for (int i = 0; i < Q_COUNT; i++)
        sqlite3_finalize(st->stmts[i].st);
    sqlite3_close(st->db);
    free(st);
    s->backend = NULL;
}

static int sq_prepare(struct store *s, enum store_query q, struct store_stmt **out)
{
    struct sqlite_state *st = s->backend;
    struct store_stmt *ss = &st->stmts[q];
    if (ss->st == NULL) {
        int rc = sqlite3_prepare_v3(st->db, sql_text[q], -1, SQLITE_PREPARE_PERSISTENT, &ss->st,
                                    NULL);
        if (rc != SQLITE_OK) {
            log_error("cannot prepare query %d: %s", (int)q, sqlite3_errmsg(st->db));
            return map_rc(rc);
        }
        ss->s = s;
        ss->q = q;
    }
    *out = ss;
    return MH_OK;
}

static void sq_bind_i64(struct store_stmt *st, int i, int64_t v)
{
    sqlite3_bind_int64(st->st, i, v);
}

static void sq_bind_double(struct store_stmt *st, int i, double v)
{
    sqlite3_bind_double(st->st, i, v);
}

static void sq_bind_str(struct store_stmt *st, int i, struct str v)
{
    sqlite3_bind_text(st->st, i, v.ptr ? v.ptr : "", (int)v.len, SQLITE_STATIC);
}

static void sq_bind_blob(struct store_stmt *st, int i, const void *p, size_t len)
{
    sqlite3_bind_blob(st->st, i, p, (int)len, SQLITE_STATIC);
}

static void sq_bind_null(struct store_stmt *st, int i)
{
    sqlite3_bind_null(st->st, i);
}

static int sq_step(struct store_stmt *st)
{
    int rc = sqlite3_step(st->st);
    if (rc == SQLITE_ROW)
        return MH_OK;
    if (rc == SQLITE_DONE)
        return STORE_DONE;
    int xrc = sqlite3_extended_errcode(db_of(st->s));
    int mrc = map_rc(xrc);
    if (mrc != MH_CONFLICT && mrc != MH_NOTFOUND)
        log_error("database: %s (query %d)", sqlite3_errmsg(db_of(st->s)), (int)st->q);
    return mrc == MH_OK ? MH_DB : mrc;
}

static int64_t sq_col_i64(struct store_stmt *st, int i)
{
    return sqlite3_column_int64(st->st, i);
}

static double sq_col_double(struct store_stmt *st, int i)
{
    return sqlite3_column_double(st->st, i);
}

static struct str sq_col_str(struct store_stmt *st, int i)
{
    const char *p = (const char *)sqlite3_column_blob(st->st, i);
    int n = sqlite3_column_bytes(st->st, i);
    return (struct str){p ? p : "", (size_t)n};
}

static bool sq_col_null(struct store_stmt *st, int i)
{
    return sqlite3_column_type(st->st, i) == SQLITE_NULL;
}

static void sq_reset(struct store_stmt *st)
{
    sqlite3_reset(st->st);
    sqlite3_clear_bindings(st->st);
}

static int sq_schema_version(struct store *s, int *out)
{
    return pragma_int(db_of(s), "PRAGMA user_version", out);
}

static int sq_data_version(struct store *s, int64_t *out)
{
    int v = 0;
    int rc = pragma_int(db_of(s), "PRAGMA data_version", &v);
    *out = v;
    return rc;
}

static int sq_set_schema_version(struct store *s, int v)
{
    char sql[64];
    snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v);
    return sq_exec(s, sql);
}

static int check_rows(struct store *s, const char *sql, const char *ok, store_problem_fn *fn,
                      void *ctx, int *problems)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db_of(s), sql, -1, &st, NULL);
    if (rc != SQLITE_OK) {
        log_error("cannot run '%s': %s", sql, sqlite3_errmsg(db_of(s)));
        return map_rc(rc);
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char line[512];
        const char *text = (const char *)sqlite3_column_text(st, 0);
        if (ok && text && strcmp(text, ok) == 0)
            continue;
        if (sqlite3_column_count(st) >= 4) { /* foreign_key_check: table, rowid, parent */
            snprintf(line, sizeof(line), "%s row %lld refers to a missing %s row",
                     sqlite3_column_text(st, 0), (long long)sqlite3_column_int64(st, 1),
                     sqlite3_column_text(st, 2));
        } else {
            snprintf(line, sizeof(line), "database: %s", text ? text : "(null)");
        }
        fn(ctx, line);
        (*problems)++;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? MH_OK : map_rc(rc);
}

static int sq_check(struct store *s, store_problem_fn *fn, void *ctx, int *problems)
{
    int rc = check_rows(s, "PRAGMA integrity_check", "ok", fn, ctx, problems);
    if (rc == MH_OK)
        rc = check_rows(s, "PRAGMA foreign_key_check", NULL, fn, ctx, problems);
    return rc;
}

static const char *sq_errmsg(struct store *s)
{
    return s->backend ? sqlite3_errmsg(db_of(s)) : "not open";
}

const struct store_ops store_sqlite_ops = {
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .exec = sq_exec,
    .prepare = sq_prepare,
    .bind_i64 = sq_bind_i64,
    .bind_double = sq_bind_double,
    .bind_str = sq_bind_str,
    .bind_blob = sq_bind_blob,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .col_i64 = sq_col_i64,
    .col_double = sq_col_double,
    .col_str = sq_col_str,
    .col_null = sq_col_null,
    .reset = sq_reset,
    .schema_version = sq_schema_version,
    .data_version = sq_data_version,
    .set_schema_version = sq_set_schema_version,
    .check = sq_check,
    .errmsg = sq_errmsg,
};
