#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# serve.sh - `masthead serve` over real HTTP on 127.0.0.1 (a free port): every
# page kind, status codes, headers, conditional GET, HEAD, 404/410, graceful stop.
source "$(dirname "$0")/lib/common.bash"
export MH_NOW_MS=1780000000000

"$MASTHEAD" demo "$T/site" --articles 120 --seed 5 > /dev/null
# withdraw one published article behind the server's back, as an editor would
gone=$(sqlite3 "$T/site/masthead.db" "SELECT id FROM article WHERE status = 'published' AND edition = 'english' ORDER BY id LIMIT 1")
# an article no other check reads, for counting its views
views_id=$(sqlite3 "$T/site/masthead.db" "SELECT id FROM article WHERE status = 'published' AND edition = 'zh' ORDER BY id DESC LIMIT 1")
views_url=$(sqlite3 "$T/site/masthead.db" "SELECT strftime('/zh/%Y-%m/%d/', first_published_at / 1000 + 8 * 3600, 'unixepoch') || 'content_' || id || '.html' FROM article WHERE id = $views_id")
before=$(sqlite3 "$T/site/masthead.db" "SELECT COALESCE(sum(count), 0) FROM pageview WHERE article_id = $views_id")
start_serve "$T/site"

get() { # get PATH -> status in $status, headers in $T/h, body in $T/b
  rm -f "$T/b"; : > "$T/b"
  status=$(curl -s -o "$T/b" -D "$T/h" -w '%{http_code}' "$@")
}
until_miss() { # until_miss URL: true once the cache answers URL afresh (the watcher polls)
  for _ in $(seq 1 40); do
    get "$1"; grep -qi '^x-cache: miss' "$T/h" && return 0
    sleep 0.1
  done
  return 1
}

get "$base/"; [ "$status" = 302 ] || fail "/ gives $status"; grep -qi '^location: /english/' "$T/h" || fail "/ redirects to the default edition"
get "$base/english/"; [ "$status" = 200 ] || fail "front page $status"
contains "$T/b" '<html lang="en"'; contains "$T/b" 'aria-current="page"'
grep -qi '^content-type: text/html; charset=utf-8' "$T/h" || fail "content type"
grep -qi "^content-security-policy: default-src 'self'; script-src 'self'" "$T/h" || fail "CSP"
grep -qi '^x-content-type-options: nosniff' "$T/h" || fail "nosniff"
grep -qi '^referrer-policy:' "$T/h" || fail "referrer policy"
grep -qi "frame-ancestors 'none'" "$T/h" || fail "frame-ancestors"
get "$base/zh/"; [ "$status" = 200 ] || fail "Chinese front page $status"; contains "$T/b" '<html lang="zh-CN"'
ok "front pages"

get "$base/english/news/"; [ "$status" = 200 ] || fail "channel page $status"
contains "$T/b" 'index_2.html'
get "$base/english/news/index_2.html"; [ "$status" = 200 ] || fail "channel page 2 $status"
get "$base/english/news/index_999.html"; [ "$status" = 404 ] || fail "page past the end gives $status"
get "$base/english/sports/"; [ "$status" = 404 ] || fail "unknown channel gives $status"
contains "$T/b" 'Page not found'; contains "$T/b" '<nav'   # the 404 page is in the site's look
ok "channel pages and pagination"

first_link "$base/english/" '/english/20[0-9][0-9]-[0-9][0-9]/[0-9][0-9]/content_[0-9]*\.html'
get "$base$link"
[ "$status" = 200 ] || fail "article $status"
for want in '<h1' 'Source' 'Author' 'Editor' '<figcaption' 'application/ld+json' '"@type":"NewsArticle"' \
            '<!--enpproperty <articleid>' 'rel="canonical"' 'og:title' 'Top News' 'Most Read'; do
  contains "$T/b" "$want"
done
etag=$(grep -i '^etag:' "$T/h" | sed 's/^[Ee][Tt][Aa][Gg]: *//; s/\r$//')
[ -n "$etag" ] || fail "no ETag on an article"
lm=$(grep -i '^last-modified:' "$T/h" | sed 's/^[^:]*: *//; s/\r$//')
echo "$lm" | grep -qE '^[A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9:]{8} GMT$' || fail "Last-Modified '$lm'"
get "$base$link" -H "If-Modified-Since: $lm"; [ "$status" = 304 ] || fail "If-Modified-Since gives $status"
get "$base$link" -H "If-Modified-Since: Mon, 01 Jan 2001 00:00:00 GMT"; [ "$status" = 200 ] || fail "old If-Modified-Since gives $status"
url=$(grep -o -m1 '/english/20[0-9][0-9]-[0-9][0-9]/[0-9][0-9]/content_[0-9]*\.html' "$T/b" | sed -n 1p)
get "$base$url" -H "If-None-Match: $etag"
[ "$status" = 304 ] || [ "$status" = 200 ] || fail "conditional GET gives $status"
ok "article page"

# conditional GET on a page whose body is stable: the theme's stylesheet
first_link "$base/english/" '/static/site\.[0-9a-f]*\.css'; css=$link
get "$base$css"; [ "$status" = 200 ] || fail "stylesheet $status"
grep -qi 'cache-control: public, max-age=31536000, immutable' "$T/h" || fail "immutable assets"
etag=$(grep -i '^etag:' "$T/h" | sed 's/^[Ee][Tt][Aa][Gg]: *//; s/\r$//')
get "$base$css" -H "If-None-Match: $etag"; [ "$status" = 304 ] || fail "If-None-Match gives $status"
[ ! -s "$T/b" ] || fail "a 304 with a body"
ok "static files and 304"

# compression: brotli or gzip as asked, the same bytes once decoded
for enc in br gzip; do
  status=$(curl -s -o "$T/z" -D "$T/h" -w '%{http_code}' -H "Accept-Encoding: $enc" "$base/english/")
  [ "$status" = 200 ] || fail "$enc: $status"
  grep -qi "^content-encoding: $enc" "$T/h" || fail "no Content-Encoding: $enc"
  grep -qi '^vary: accept-encoding' "$T/h" || fail "no Vary: Accept-Encoding"
done
curl -s -o "$T/plain" "$base/english/"
curl -s --compressed -H 'Accept-Encoding: gzip' -o "$T/unz" "$base/english/"
cmp -s "$T/plain" "$T/unz" || fail "gzip body differs once decoded"
[ "$(stat -c %s "$T/z")" -lt "$(stat -c %s "$T/plain")" ] || fail "gzip is not smaller"
status=$(curl -s -o "$T/z" -D "$T/h" -w '%{http_code}' -H 'Accept-Encoding: gzip;q=0' "$base/english/")
! grep -qi '^content-encoding' "$T/h" || fail "q=0 refused, but the body is encoded"
ok "gzip and brotli"

# the cache notices a change made by another process (here: sqlite3 itself)
first_link "$base/zh/" '/zh/[0-9-]*/[0-9]*/content_[0-9]*\.html'; zh_article=$link
for p in /zh/ "$zh_article" /english/; do curl -s -o /dev/null "$base$p"; done
get "$base/zh/"; grep -qi '^x-cache: hit' "$T/h" || fail "the Chinese front page was not cached"
first_link "$base/english/" 'content_[0-9]*\.html'; top=$(echo "$link" | tr -dc 0-9)
sqlite3 "$T/site/masthead.db" "UPDATE article SET title = 'A headline changed behind the server' WHERE id = $top"
for _ in $(seq 1 40); do
  curl -s -o "$T/front" "$base/english/"
  grep -q 'A headline changed behind the server' "$T/front" && break
  sleep 0.1
done
grep -q 'A headline changed behind the server' "$T/front" || fail "the cached front page never changed"
# ... precisely: the other edition's pages were not thrown away
get "$base/zh/"; grep -qi '^x-cache: hit' "$T/h" || fail "an English edit dropped the Chinese front page"
get "$base$zh_article"; grep -qi '^x-cache: hit' "$T/h" || fail "an English edit dropped a Chinese article"
# a Chinese link (chrome) change drops every Chinese page
sqlite3 "$T/site/masthead.db" "UPDATE link SET title = title || ' ' WHERE group_id = (SELECT min(id) FROM link_group WHERE edition = 'zh')"
until_miss "$base$zh_article" || fail "a Chinese link change left a Chinese article cached"
# a keyword given to an article of another channel: the holders' related lists may take it
db=$T/site/masthead.db
read -r x xch kw < <(sqlite3 -separator ' ' "$db" "SELECT a.id, a.channel_id, k.keyword FROM article a JOIN article_keyword k ON k.article_id = a.id WHERE a.edition = 'english' AND a.status = 'published' AND a.id <> $gone AND k.keyword NOT LIKE '% %' ORDER BY a.id LIMIT 1")
y=$(sqlite3 "$db" "SELECT id FROM article WHERE edition = 'english' AND status = 'published' AND channel_id <> $xch AND id <> $gone AND id NOT IN (SELECT article_id FROM article_keyword WHERE keyword = '$kw') ORDER BY id DESC LIMIT 1")
xurl=$(curl -s "$base/api/v1/articles/$x" | python3 -c 'import json, sys, urllib.parse; print(urllib.parse.urlparse(json.load(sys.stdin)["url"]).path)')
[ -n "$y" ] && [ -n "$xurl" ] || fail "no article pair for the keyword check"
curl -s -o /dev/null "$base$xurl"
get "$base$xurl"; grep -qi '^x-cache: hit' "$T/h" || fail "article $x was not cached"
sqlite3 "$db" "INSERT INTO article_keyword(keyword, article_id) VALUES ('$kw', $y); UPDATE article SET keywords = keywords || char(10) || '$kw' WHERE id = $y"
until_miss "$base$xurl" || fail "article $x kept its related list after $y took its keyword '$kw'"
ok "the page cache follows the database, page by page (and keyword by keyword)"

# HEAD: the same headers, no body
status=$(curl -s -I -o "$T/h" -w '%{http_code}' "$base/english/")
[ "$status" = 200 ] || fail "HEAD $status"
grep -qi '^content-length: [1-9]' "$T/h" || fail "HEAD without Content-Length"
status=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$base/english/")
[ "$status" = 405 ] || fail "POST gives $status"
ok "HEAD and 405"

# media files, by content address (the original, or a derivative once the
# background thread has made them)
first_link "$base/english/" '/media/[0-9a-f][0-9a-f]/[0-9a-f]\{64\}[_0-9a-zA-Z]*\.\(png\|jpg\)'; img=$link
get "$base$img"; [ "$status" = 200 ] || fail "image $status"
grep -qiE '^content-type: image/(png|jpeg)' "$T/h" || fail "image type"
get "$base/media/00/$(printf '0%.0s' $(seq 1 64)).png"; [ "$status" = 404 ] || fail "missing image gives $status"
get "$base/media/../masthead.db"; [ "$status" = 400 ] || [ "$status" = 404 ] || fail "traversal gives $status"
ok "media"

# a withdrawn article answers 410
sqlite3 "$T/site/masthead.db" "UPDATE article SET status = 'withdrawn' WHERE id = $gone"
path=$(sqlite3 "$T/site/masthead.db" "SELECT strftime('/english/%Y-%m/%d/', first_published_at / 1000 + 8 * 3600, 'unixepoch') || 'content_' || id || '.html' FROM article WHERE id = $gone")
get "$base$path"; [ "$status" = 410 ] || fail "withdrawn article gives $status at $path"
contains "$T/b" "withdrawn"
get "$base/english/2020-01/01/content_$gone.html"; [ "$status" = 410 ] || [ "$status" = 301 ] || fail "wrong date gives $status"
ok "410 for a withdrawn article"

# page views: the server counts the article pages it answers, and flushes on stop
for _ in 1 2 3; do curl -s -o /dev/null "$base$views_url"; done
curl -s -o /dev/null -I "$base$views_url"   # HEAD is not a view

# SIGHUP reloads the theme: a changed stylesheet gets a new fingerprint
kill -HUP $pid
for _ in $(seq 1 40); do grep -q 'reloaded the theme' "$T/serve.err" && break; sleep 0.05; done
grep -q 'reloaded the theme' "$T/serve.err" || fail "SIGHUP did not reload the theme"
get "$base/english/"; [ "$status" = 200 ] || fail "front page after reload: $status"
ok "SIGHUP reloads the theme"

# translations: each language version names the others with hreflang
en_id=$(sqlite3 "$T/site/masthead.db" "SELECT id FROM article WHERE status = 'published' AND edition = 'english' AND id <> $gone ORDER BY id DESC LIMIT 1")
en_url=$(sqlite3 "$T/site/masthead.db" "SELECT strftime('/english/%Y-%m/%d/', first_published_at / 1000 + 8 * 3600, 'unixepoch') || 'content_' || id || '.html' FROM article WHERE id = $en_id")
zh_id=$(sqlite3 "$T/site/masthead.db" "SELECT id FROM article WHERE status = 'published' AND edition = 'zh' AND id <> $views_id ORDER BY id LIMIT 1")
zh_url=$(sqlite3 "$T/site/masthead.db" "SELECT strftime('/zh/%Y-%m/%d/', first_published_at / 1000 + 8 * 3600, 'unixepoch') || 'content_' || id || '.html' FROM article WHERE id = $zh_id")
get "$base$en_url"; lacks "$T/b" 'rel="alternate" hreflang="zh-CN"'
sqlite3 "$T/site/masthead.db" "UPDATE article SET translation_of = $en_id WHERE id = $zh_id"
for _ in $(seq 1 40); do
  get "$base$en_url"; grep -q 'rel="alternate" hreflang="zh-CN"' "$T/b" && break
  sleep 0.1
done
contains "$T/b" "hreflang=\"zh-CN\" href=\"http://127.0.0.1:8080$zh_url\""
contains "$T/b" "hreflang=\"en\" href=\"http://127.0.0.1:8080$en_url\""
get "$base$zh_url"; contains "$T/b" "hreflang=\"en\" href=\"http://127.0.0.1:8080$en_url\""
ok "hreflang between translations"

get "$base/healthz"; [ "$status" = 200 ] || fail "healthz"
[ "$(grep -c '"GET /english/ HTTP/1.1" 200' "$T/access.log")" -ge 1 ] || fail "access log"
kill -TERM $pid; wait $pid || fail "serve did not exit cleanly on SIGTERM"
after=$(sqlite3 "$T/site/masthead.db" "SELECT COALESCE(sum(count), 0) FROM pageview WHERE article_id = $views_id")
[ $((after - before)) = 3 ] || fail "page views: $before before, $after after 3 GETs and a HEAD"
ok "page views counted"
ok "healthz, access log, graceful stop"
