#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# import_migrate.sh - migration in: a WordPress export (--from wxr) and a folder
# of saved Founder-CMS pages (--from founder), from our own fixtures in
# tests/data/.  Bad entries are reported with their place, the good ones are
# imported, --strict writes nothing, a second run changes nothing; then the
# reader site serves the pages, the pictures and the 301s from the old addresses.
source "$(dirname "$0")/lib/common.bash"
D="$MH_SRC/tests/data"
db() { sqlite3 "$T/site/masthead.db" "$1"; }

"$MASTHEAD" init "$T/site" > /dev/null

# ---- WordPress ----
x="$D/wxr/export.xml"
expect_status 1 "$MASTHEAD" import "$T/site" --from wxr "$x" --media "$D/wxr/uploads" > "$T/out" 2> "$T/err"
cat "$T/out" "$T/err"
contains "$T/out" "15 entries: 7 imported, 0 unchanged, 4 bad, 4 skipped; 3 image files added, 4 channels made, 3 old addresses redirected"
contains "$T/err" "$x:138: item 8 (post 107): skipped: a page, not a post"
contains "$T/err" "$x:147: item 9 (post 108): skipped: in the trash"
contains "$T/err" "$x:156: item 10 (post 109): image '2025/04/lock-gate.jpg' in the body is missing: no file $D/wxr/uploads/2025/04/lock-gate.jpg"
contains "$T/err" "$x:167: item 11 (post 110): it has no title"
contains "$T/err" "$x:177: item 12 (post 111): featured image: attachment 999 is not in the export"
contains "$T/err" "$x:188: item 13 (post abc): wp:post_id must be a positive whole number"
[ "$(db "SELECT group_concat(id || ':' || status, ' ') FROM (SELECT * FROM article ORDER BY id)")" = \
  "101:published 102:draft 103:scheduled 104:draft 105:submitted 106:published 113:published" ] \
  || fail "statuses: $(db "SELECT group_concat(id || ':' || status, ' ') FROM article")"
[ "$(db "SELECT authors FROM article WHERE id = 101")" = "Mara Quill" ] || fail "display name from wp:author"
[ "$(db "SELECT title FROM article WHERE id = 113")" = "Heron chicks: the colony’s first & best" ] || fail "character references in titles are decoded"
[ "$(db "SELECT replace(keywords, char(10), ',') FROM article WHERE id = 101")" = "birds,mill pond" ] || fail "tags become keywords"
[ "$(db "SELECT abstract FROM article WHERE id = 101")" = "Eleven grey herons were counted at the mill pond." ] || fail "excerpt becomes the abstract, as text"
[ "$(db "SELECT first_published_at FROM article WHERE id = 101")" = 1744961400000 ] || fail "wp:post_date_gmt is UTC"
[ "$(db "SELECT c.slug || '/' || c.name FROM article a JOIN channel c ON c.id = a.channel_id WHERE a.id = 102")" = "town-hall/Town Hall" ] \
  || fail "a category becomes a channel"
[ "$(db "SELECT count(*) FROM channel WHERE edition = 'english' AND slug IN ('science', 'town-hall', 'uncategorized', '科技')")" = 4 ] \
  || fail "the missing channels were made"
[ "$(db "SELECT count(*) FROM article_media m JOIN media x ON x.id = m.media_id WHERE m.position = 0 AND m.alt = 'A grey heron standing in reeds' AND m.article_id IN (101, 113)")" = 2 ] \
  || fail "the featured image is the lead, with its alt text"
body=$(db "SELECT body FROM article WHERE id = 106")
for bad in script onclick onerror javascript: iframe evil.example style; do
  case "$body" in *"$bad"*) fail "hostile markup survived: $bad";; esac
done
case "$(db "SELECT body FROM article WHERE id = 101")" in
  *'src="/media/'*'<figure>'*|*'<figure>'*'src="/media/'*) ;;
  *) fail "body images point at the media library";;
esac
"$MASTHEAD" check "$T/site" > /dev/null
ok "WordPress export: posts, statuses, channels, keywords, images; bad items reported at their line"

expect_status 1 "$MASTHEAD" import "$T/site" --from wxr "$x" --media "$D/wxr/uploads" > "$T/out" 2> /dev/null
contains "$T/out" "15 entries: 0 imported, 7 unchanged, 4 bad, 4 skipped; 0 image files added, 0 channels made"
ok "a second WordPress import changes nothing"

expect_status 1 "$MASTHEAD" import "$T/site" --from wxr "$D/wxr/broken.xml" > "$T/out" 2> "$T/err"
contains "$T/err" "$D/wxr/broken.xml:24: malformed XML: Opening and ending tag mismatch: title line 22 and item"
[ "$(db "SELECT title FROM article WHERE id = 401")" = "Ferry runs late again" ] || fail "the item before the error is imported"
ok "broken XML is reported with its line; what came before is imported"

"$MASTHEAD" init "$T/strict" > /dev/null
expect_status 1 "$MASTHEAD" import "$T/strict" --from wxr "$x" --media "$D/wxr/uploads" --strict > /dev/null 2> "$T/err"
contains "$T/err" "4 bad entries; --strict: nothing was imported"
[ "$(count_articles "$T/strict")" = 0 ] || fail "--strict wrote articles"
[ "$(sqlite3 "$T/strict/masthead.db" "SELECT count(*) FROM channel WHERE slug = 'town-hall'")" = 0 ] || fail "--strict made channels"
expect_status 2 "$MASTHEAD" import "$T/strict" --from rss "$x"
expect_status 1 "$MASTHEAD" import "$T/strict" --from wxr "$x" --edition fr 2> "$T/err"
contains "$T/err" "this site has no edition 'fr'"
"$MASTHEAD" import "$T/strict" --from wxr "$D/wxr/broken.xml" --edition zh > /dev/null 2>&1 || true
[ "$(sqlite3 "$T/strict/masthead.db" "SELECT edition FROM article WHERE id = 401")" = zh ] || fail "--edition"
ok "--strict, --from, --edition"

# ---- Founder-CMS ----
f="$D/founder"
expect_status 1 "$MASTHEAD" import "$T/site" --from founder "$f" > "$T/out" 2> "$T/err"
cat "$T/out" "$T/err"
contains "$T/out" "5 pages: 2 imported, 0 unchanged, 2 bad, 1 skipped; 3 image files added, 1 channels made, 2 old addresses redirected"
contains "$T/err" "$f/web/English/2025-05/13/content_7003.html: <date> must be YYYY-MM-DD HH:MM:SS[:mmm], not '13 May 2025:250'"
contains "$T/err" "$f/web/English/2025-05/13/content_7004.html: picture 'content_7004_files/lost.jpg' in the body is missing: looked for $f/web/English/2025-05/13/content_7004_files/lost.jpg"
contains "$T/err" "$f/web/English/index.html: skipped: no enpproperty comment"
[ "$(db "SELECT title || '|' || replace(authors, char(10), ',') || '|' || replace(keywords, char(10), ',') || '|' || editor || '|' || source || '|' || kicker FROM article WHERE id = 7001")" = \
  "Night cranes keep the harbour moving|Wen Hollis,Pavel Ostrov|harbour,cranes,night shift|Ines Marlow|Riverside Daily|Port" ] \
  || fail "metadata from enpproperty: $(db "SELECT title, authors, keywords FROM article WHERE id = 7001")"
# 21:40:05.250 in Shanghai is 13:40:05.250 UTC
[ "$(db "SELECT first_published_at FROM article WHERE id = 7001")" = 1747057205250 ] || fail "the date is the edition's local time"
[ "$(db "SELECT caption FROM article_media WHERE article_id = 7001 AND position = 0")" = "The east quay after dark" ] \
  || fail "the lead picture's caption comes from data-original-title"
[ "$(db "SELECT path FROM redirect WHERE article_id = 7002")" = "/web/English/2025-05/13/content_7002.html" ] || fail "the file's place is the old path"
case "$(db "SELECT body FROM article WHERE id = 7001")" in
  *script*|*onmouseover*|*'not the body'*) fail "the body is not clean";;
esac
expect_status 1 "$MASTHEAD" import "$T/site" --from founder "$f" > "$T/out" 2> /dev/null
contains "$T/out" "5 pages: 0 imported, 2 unchanged, 2 bad, 1 skipped; 0 image files added, 0 channels made"
"$MASTHEAD" check "$T/site" > /dev/null
ok "Founder pages: metadata, body, pictures, ids; bad pages reported; a second run changes nothing"

# ---- the reader site ----
start_serve "$T/site"
get() { status=$(curl -s -o "$T/b" -D "$T/h" -w '%{http_code}' "$base$1"); }
moved() { # moved OLD NEW
  get "$1"; [ "$status" = 301 ] || fail "$1 gives $status, not 301"
  grep -qi "^location: $2"$'\r' "$T/h" || { cat "$T/h"; fail "$1 does not move to $2"; }
}
moved /web/English/2025-05/12/content_7001.html /english/2025-05/12/content_7001.html
moved /web/English/2025-05/13/content_7002.html /english/2025-05/13/content_7002.html
moved /2025/04/18/herons-return/ /english/2025-04/18/content_101.html
get /web/English/2025-05/13/content_7004.html; [ "$status" = 404 ] || fail "a refused page's old path gives $status"
get /english/2025-05/12/content_7001.html; [ "$status" = 200 ] || fail "article 7001 gives $status"
contains "$T/b" "Night cranes keep the harbour moving"
contains "$T/b" "Crews change at midnight."
lacks "$T/b" "alert("
for src in $(grep -o 'src="/media/[^"]*"' "$T/b" | sed 's/src="//; s/"$//'); do
  get "$src"; [ "$status" = 200 ] || fail "picture $src gives $status"
done
get /english/2025-04/22/content_106.html; [ "$status" = 200 ] || fail "article 106 gives $status"
contains "$T/b" "the towpath needs lights"
lacks "$T/b" "evil.example"; lacks "$T/b" "onclick"
get /english/town-hall/; [ "$status" = 200 ] || fail "the made channel's page gives $status"
contains "$T/b" "A letter with some unwelcome markup"
get /english/2025-06/01/content_103.html; [ "$status" = 404 ] || fail "a scheduled post is not public"
ok "the reader site serves the imported articles, their pictures and 301s from the old addresses"
