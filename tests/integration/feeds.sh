#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# feeds.sh - feeds, sitemaps and robots.txt through `masthead serve` on the
# demo newspaper: content types, every sitemap the index names valid
# against the conformance schemas, feeds well-formed, the feed links in the
# pages' head, and conditional GET and compression from the page cache.
source "$(dirname "$0")/lib/common.bash"
export MH_NOW_MS=1780000000000
X="$MH_SHARED/conformance/sitemaps"
[ -f "$X/sitemap.xsd" ] || { echo "no conformance schemas in $X"; exit 77; }
command -v xmllint > /dev/null || fail "xmllint is missing (Debian libxml2-utils)"

"$MASTHEAD" demo "$T/site" --articles 40 --seed 7 > /dev/null
start_serve "$T/site"

get() { # get PATH [CURL ARGS] -> status in $status, headers in $T/h, body in $T/b
  local p=$1; shift
  rm -f "$T/b"; : > "$T/b"
  status=$(curl -s -o "$T/b" -D "$T/h" -w '%{http_code}' "$@" "$base$p")
}
type_is() { grep -qi "^content-type: $1" "$T/h" || { cat "$T/h" >&2; fail "$2: not $1"; }; }

get /robots.txt; [ "$status" = 200 ] || fail "robots.txt $status"; type_is "text/plain; charset=utf-8" robots
contains "$T/b" "Sitemap: http://127.0.0.1:8080/sitemap.xml"
contains "$T/b" "Sitemap: http://127.0.0.1:8080/zh/news-sitemap.xml"
ok "robots.txt names the sitemaps"

get /sitemap.xml; [ "$status" = 200 ] || fail "sitemap.xml $status"; type_is "application/xml" index
xmllint --noout --schema "$X/siteindex.xsd" "$T/b" 2> "$T/lint" || { cat "$T/lint"; fail "the sitemap index is not valid"; }
n=0
for loc in $(grep -o '<loc>[^<]*</loc>' "$T/b" | sed 's/<[^>]*>//g'); do
  get "${loc#http://127.0.0.1:8080}"; [ "$status" = 200 ] || fail "$loc: $status"
  type_is "application/xml" "$loc"
  xmllint --noout --schema "$X/sitemap.xsd" "$T/b" 2> "$T/lint" || { cat "$T/lint"; fail "$loc is not valid"; }
  n=$((n + 1))
done
[ "$n" -ge 4 ] || fail "the index names only $n sitemaps"
ok "the sitemap index and its $n sitemaps are valid against the conformance schemas"

for p in /english/rss.xml /zh/rss.xml /english/news/rss.xml; do
  get "$p"; [ "$status" = 200 ] || fail "$p: $status"; type_is "application/rss+xml" "$p"
  xmllint --noout "$T/b" || fail "$p is not well-formed"
  [ "$(grep -c '<item>' "$T/b")" -le 50 ] || fail "$p has more than 50 items"
  contains "$T/b" '<enclosure url="http://127.0.0.1:8080/media/'
done
for p in /english/atom.xml /zh/policy/atom.xml; do
  get "$p"; [ "$status" = 200 ] || fail "$p: $status"; type_is "application/atom+xml" "$p"
  xmllint --noout "$T/b" || fail "$p is not well-formed"
done
get /zh/news-sitemap.xml; [ "$status" = 200 ] || fail "news sitemap $status"; type_is "application/xml" news
xmllint --noout "$T/b" || fail "the news sitemap is not well-formed"
contains "$T/b" "<news:language>zh-cn</news:language>"
get /english/nosuch/rss.xml; [ "$status" = 404 ] || fail "a feed of no channel gives $status"
get /sitemaps/english/1999-01.xml; [ "$status" = 404 ] || fail "an empty month gives $status"
ok "feeds are well-formed, typed, at most 50 items, with enclosures; unknown ones are 404"

get /english/news/
contains "$T/b" '<link rel="alternate" type="application/rss+xml" title="Masthead English Edition (RSS)" href="/english/rss.xml">'
contains "$T/b" 'href="/english/news/atom.xml"'
ok "pages link their feeds in the head"

# conditional GET and compression come from the page cache
get /english/rss.xml -H 'Accept-Encoding: gzip'
grep -qi '^content-encoding: gzip' "$T/h" || fail "the feed is not sent gzipped"
grep -qi '^vary: accept-encoding' "$T/h" || fail "no Vary"
etag=$(grep -i '^etag:' "$T/h" | sed 's/^[^:]*: *//; s/\r$//')
lm=$(grep -i '^last-modified:' "$T/h" | sed 's/^[^:]*: *//; s/\r$//')
[ -n "$etag" ] && [ -n "$lm" ] || fail "the feed has no ETag or Last-Modified"
get /english/rss.xml -H "If-None-Match: $etag"; [ "$status" = 304 ] || fail "If-None-Match gives $status"
[ ! -s "$T/b" ] || fail "a 304 has a body"
get /english/rss.xml -H "If-Modified-Since: $lm"; [ "$status" = 304 ] || fail "If-Modified-Since gives $status"
get /sitemap.xml -I; etag2=$(grep -i '^etag:' "$T/h" | sed 's/^[^:]*: *//; s/\r$//')
get /sitemap.xml -H "If-None-Match: $etag2"; [ "$status" = 304 ] || fail "sitemap If-None-Match gives $status"
ok "conditional GET (ETag, Last-Modified) and gzip on feeds and sitemaps"

# a change in the store shows: withdraw the newest English article
id=$(sqlite3 "$T/site/masthead.db" "SELECT id FROM article WHERE edition = 'english' AND status = 'published' ORDER BY first_published_at DESC, id DESC LIMIT 1")
get /english/rss.xml; contains "$T/b" "content_$id.html"
sqlite3 "$T/site/masthead.db" "UPDATE article SET status = 'withdrawn', updated_at = updated_at + 1 WHERE id = $id"
for _ in $(seq 1 40); do
  get /english/rss.xml -H "If-None-Match: $etag"
  [ "$status" = 200 ] && break
  sleep 0.1
done
[ "$status" = 200 ] || fail "the feed did not change after a withdrawal"
lacks "$T/b" "content_$id.html"
[ "$(sqlite3 "$T/site/masthead.db" "SELECT reason FROM push_queue WHERE article_id = $id")" = withdraw ] ||
  fail "the withdrawal was not queued for the search engines"
ok "a withdrawal leaves the feed and is queued for push (push off: it waits in the store)"
