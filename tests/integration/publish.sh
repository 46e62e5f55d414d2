#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# publish.sh - `masthead publish` against `masthead serve` on the same site:
# the same bytes at the same URLs (identity, gzip, brotli) for every page
# kind; an incremental run after one edit writes only the expected files; a
# withdrawn article's files go; an incremental result equals a full publish;
# kill -9 mid-publish leaves whole files and a rerun repairs the folder;
# `serve --mirror` follows a change.  Serve (whose page views move the
# most-read lists) runs only after the incremental checks.
source "$(dirname "$0")/lib/common.bash"
export MH_NOW_MS=1780000000000
db() { sqlite3 "$T/site/masthead.db" "$@"; }

"$MASTHEAD" demo "$T/site" --articles 90 --seed 7 > /dev/null
"$MASTHEAD" publish "$T/site" --out "$T/out" > "$T/sum" || fail "publish"
contains "$T/sum" "(every page)"
grep -qE '[0-9]+ written, 0 unchanged, 0 removed, [0-9.]+ s$' "$T/sum" || { cat "$T/sum"; fail "summary"; }
for f in english/index.html zh/index.html english/news/index.html english/news/index_2.html 404.html; do
  [ -s "$T/out/$f" ] || fail "no $f"
  [ -s "$T/out/$f.gz" ] && [ -s "$T/out/$f.br" ] || fail "no .gz/.br beside $f"
done
for f in robots.txt sitemap.xml english/rss.xml english/atom.xml english/news/rss.xml english/news-sitemap.xml; do
  [ -s "$T/out/$f" ] || fail "no $f"
done
ls "$T"/out/sitemaps/english/20*.xml > /dev/null || fail "no monthly sitemaps"
ls "$T"/out/static/site.*.css "$T"/out/static/site.*.js > /dev/null || fail "no theme files"
ls "$T"/out/media/*/*.png > /dev/null || fail "no media files"
# every image a page names (src, srcset: originals and derivatives) is in the folder
grep -rhoE --include='*.html' '/media/[0-9a-f]{2}/[^" ,<]+' "$T/out" | sort -u > "$T/media-urls"
[ -s "$T/media-urls" ] || fail "no page names an image"
while IFS= read -r u; do [ -s "$T/out$u" ] || fail "a page names $u, which was not published"; done < "$T/media-urls"
[ -e "$T/out/.masthead-publish" ] && [ ! -e "$T/out/.masthead-publish.journal" ] || fail "record/journal"
ok "full publish"

# --- an incremental run after a body edit touches that article's files only
# (a hand-run UPDATE leaves updated_at alone, so no feed or sitemap changes)
id=$(db "SELECT id FROM article WHERE status = 'published' AND edition = 'english' ORDER BY first_published_at LIMIT 1")
file=$(cd "$T/out" && ls english/20*/*/content_$id.html)
sleep 1.1; touch "$T/mark"; sleep 0.1
db "UPDATE article SET body = body || ' A closing line from the desk.' WHERE id = $id"
"$MASTHEAD" publish "$T/site" --out "$T/out" > "$T/sum"
contains "$T/sum" "(incremental): 1 written"
changed=$(cd "$T/out" && find . -type f -newer "$T/mark" ! -name '.masthead-publish*' | sed 's|^\./||' | sort | tr '\n' ' ')
[ "$changed" = "$file $file.br $file.gz " ] || fail "the edit rewrote: $changed"
contains "$T/out/$file" "A closing line from the desk."
ok "incremental after a body edit writes only $file"

# full publish into a fresh folder: the incremental result must equal it
same_as_full() {
  rm -rf "$T/fresh"
  "$MASTHEAD" publish "$T/site" --out "$T/fresh" > /dev/null
  diff -r -x '.masthead-publish*' "$T/out" "$T/fresh" > "$T/diff" || { head -20 "$T/diff"; fail "$1: incremental differs from a full publish"; }
}

# an incremental run: N_MADE is what it rendered (written + unchanged + removed)
incremental() {
  "$MASTHEAD" publish "$T/site" --out "$T/out" > "$T/sum" || fail "incremental publish"
  contains "$T/sum" "(incremental)"
  n_made=$(sed -nE 's/.*: ([0-9]+) written, ([0-9]+) unchanged, ([0-9]+) removed.*/\1 \2 \3/p' "$T/sum" |
           awk '{print $1 + $2 + $3}')
}
n_pages=$(cd "$T/out" && find english zh -name '*.html' | wc -l)

# --- a title edit (English) shows on other pages (lists, related, feeds): the
# pages that link it follow, not the edition
db "UPDATE article SET title = 'Harbour cranes return after the long strike' WHERE id = $id"
incremental
contains "$T/out/$file" "Harbour cranes return after the long strike"
[ "$n_made" -lt $((n_pages / 3)) ] || fail "a title edit rendered $n_made of $n_pages pages"
same_as_full "title edit"
ok "title edit: $n_made pages rendered of $n_pages, equal to a full publish"

# --- a withdrawn article's (Chinese) files are removed, and the lists close up
gone=$(db "SELECT id FROM article WHERE status = 'published' AND edition = 'zh' ORDER BY id LIMIT 1")
gfile=$(cd "$T/out" && ls zh/20*/*/content_$gone.html)
db "UPDATE article SET status = 'withdrawn' WHERE id = $gone"
incremental
grep -qE '[1-9][0-9]* removed' "$T/sum" || { cat "$T/sum"; fail "nothing removed"; }
[ ! -e "$T/out/$gfile" ] && [ ! -e "$T/out/$gfile.gz" ] && [ ! -e "$T/out/$gfile.br" ] || fail "withdrawn $gfile still there"
same_as_full "withdrawal"
ok "withdrawn article: $n_made pages rendered, files removed, equal to a full publish"

# --- a newly published article (imported) that shares keywords with others,
# then new keywords for it, then a move to another channel and another day
# (a keyword held only outside its channel: only the keyword rule reaches those pages)
kw=$(db "SELECT k.keyword FROM article_keyword k JOIN article a ON a.id = k.article_id JOIN channel c ON c.id = a.channel_id WHERE a.edition = 'english' AND a.status = 'published' GROUP BY k.keyword HAVING sum(c.slug = 'news') = 0 ORDER BY count(*) DESC, k.keyword LIMIT 1")
python3 - "$T/new.jsonl" "$kw" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    f.write(json.dumps({"id": 990001, "edition": "english", "channel": "news",
                        "title": "Night ferries add a late crossing", "keywords": [sys.argv[2], "ferries"],
                        "body": "<p>The operator adds a crossing after ten.</p>", "status": "published",
                        "published_at": "2026-05-28T21:00:00+08:00"}) + "\n")
PY
"$MASTHEAD" import "$T/site" "$T/new.jsonl" > /dev/null || fail "import one article"
incremental
nfile=$(cd "$T/out" && ls english/20*/*/content_990001.html) || fail "the new article was not published"
same_as_full "new publication"
ok "new article: $n_made pages rendered, equal to a full publish"
db "DELETE FROM article_keyword WHERE article_id = 990001"
db "UPDATE article SET keywords = 'lighthouses' WHERE id = 990001"
db "INSERT INTO article_keyword(keyword, article_id) VALUES ('lighthouses', 990001)"
incremental
same_as_full "new keywords"
ok "new keywords: $n_made pages rendered, equal to a full publish"
db "UPDATE article SET channel_id = (SELECT id FROM channel WHERE edition = 'english' AND slug <> 'news' AND kind = 'regular' ORDER BY id LIMIT 1), first_published_at = first_published_at - 86400000 * 40 WHERE id = 990001"
incremental
[ ! -e "$T/out/$nfile" ] || fail "the moved article's old page is still there"
same_as_full "moved to another channel and date"
ok "moved article: $n_made pages rendered, old page removed, equal to a full publish"

# --- a run of random edits, each published incrementally and compared with a full publish
for round in 1 2 3 4 5 6; do
  pick=$(db "SELECT id FROM article WHERE edition = '$( [ $((round % 2)) = 0 ] && echo zh || echo english)' ORDER BY (id * $round * 7919) % 1009 LIMIT 1")
  case $((round % 3)) in
    0) db "UPDATE article SET abstract = 'Round $round: a shorter summary.' WHERE id = $pick" ;;
    1) db "UPDATE article SET status = CASE status WHEN 'published' THEN 'withdrawn' ELSE 'published' END, first_published_at = coalesce(first_published_at, $MH_NOW_MS - 3600000 * $round) WHERE id = $pick" ;;
    2) db "UPDATE article SET channel_id = (SELECT id FROM channel c WHERE c.edition = article.edition AND c.id <> article.channel_id ORDER BY (c.id * $round) % 7 LIMIT 1) WHERE id = $pick" ;;
  esac
  incremental
  same_as_full "random edit $round (article $pick)"
done
ok "six random edits (abstract, state, channel), each equal to a full publish"

# --- a footer link is on every page of its edition: all of them follow
db "UPDATE link SET title = 'Our partner papers' WHERE position = 0 AND group_id = (SELECT min(id) FROM link_group WHERE edition = 'zh' AND kind = 'footer')"
"$MASTHEAD" publish "$T/site" --out "$T/out" > /dev/null
pages=$(cd "$T/out" && find zh -name '*.html' | wc -l)
shown=$(cd "$T/out" && grep -rl --include='*.html' 'Our partner papers' zh | wc -l)
[ "$pages" -gt 20 ] && [ "$shown" = "$pages" ] || fail "the link shows on $shown of $pages pages"
ok "link edit followed on all $pages pages of its edition"

# --- a second publisher on the same folder is refused
python3 -c 'import fcntl, sys, time
f = open(sys.argv[1], "a"); fcntl.lockf(f, fcntl.LOCK_EX); print("locked", flush=True); time.sleep(60)' \
  "$T/out/.masthead-publish.lock" > "$T/locker" &
lpid=$!
at_exit 'kill $lpid 2>/dev/null'
for _ in $(seq 1 100); do grep -q locked "$T/locker" && break; sleep 0.05; done
expect_status 1 "$MASTHEAD" publish "$T/site" --out "$T/out" 2> "$T/err"
contains "$T/err" "another publish is writing"
kill $lpid; wait $lpid 2>/dev/null || true
ok "a second publisher is refused"

# --- the same bytes as serve, for every file (and the encodings of a sample); serve
# starts only now, as the page views it counts move the most-read lists
start_serve "$T/site"
n=0
while IFS= read -r f; do
  url="/${f%index.html}"
  [ "$f" = 404.html ] && url="/english/no-such-page/"
  code=$(curl -s -o "$T/got" -w '%{http_code}' "$base$url")
  want=200; [ "$f" = 404.html ] && want=404
  [ "$code" = "$want" ] || fail "$url answers $code"
  cmp -s "$T/got" "$T/out/$f" || fail "$url differs from $f"
  n=$((n + 1))
done < <(cd "$T/out" && find . -type f ! -name '.*' ! -name '*.gz' ! -name '*.br' | sed 's|^\./||')
[ "$n" -gt 90 ] || fail "only $n files compared"
special=$(db "SELECT slug FROM channel WHERE kind = 'special' AND edition = 'english' LIMIT 1")
[ -n "$special" ] && [ -s "$T/out/english/$special/index.html" ] || fail "special topic page"
art=$(cd "$T/out" && ls english/20*/*/content_*.html | head -1)
for f in english/index.html english/news/index_2.html "english/$special/index.html" "$art" \
         zh/index.html $(cd "$T/out" && ls static/*.css static/*.js); do
  url="/${f%index.html}"
  curl -s -H 'Accept-Encoding: gzip' -o "$T/got.gz" "$base$url"
  cmp -s "$T/got.gz" "$T/out/$f.gz" || fail "$url: gzip differs"
  curl -s -H 'Accept-Encoding: br' -o "$T/got.br" "$base$url"
  cmp -s "$T/got.br" "$T/out/$f.br" || fail "$url: brotli differs"
done
ok "$n files equal what serve answers (pages, feeds, sitemaps, assets, media); gzip and brotli too"

# --- kill -9 mid-publish: every file whole, and a rerun repairs the folder
"$MASTHEAD" demo "$T/big" --articles 200 --seed 3 > /dev/null
"$MASTHEAD" publish "$T/big" --out "$T/k" --threads 1 > /dev/null &
kpid=$!
for _ in $(seq 1 200); do
  [ "$(find "$T/k" -name 'content_*.html' 2>/dev/null | head -40 | wc -l)" -ge 40 ] && break
  sleep 0.02
done
kill -9 $kpid; wait $kpid 2>/dev/null || true
[ -e "$T/k/.masthead-publish.journal" ] || fail "the killed run left no journal (did it finish first?)"
[ "$(sqlite3 "$T/k/.masthead-publish" 'SELECT count(*) FROM state')" = 0 ] || fail "a record of a killed first run"
while IFS= read -r f; do
  tail -c 8 "$f" | grep -q '</html>' || fail "a cut-short page: $f"
done < <(find "$T/k" -name '*.html')
"$MASTHEAD" publish "$T/big" --out "$T/k" > "$T/sum" || fail "rerun after kill"
[ ! -e "$T/k/.masthead-publish.journal" ] || fail "journal left after the rerun"
[ -z "$(find "$T/k" -name '*.mh-tmp')" ] || fail "temporary files left"
"$MASTHEAD" publish "$T/big" --out "$T/k2" > /dev/null
diff -r -x '.masthead-publish*' "$T/k" "$T/k2" > "$T/diff" || { head "$T/diff"; fail "repaired folder differs"; }
ok "kill -9 mid-publish: whole files, the rerun repairs"

# --- a damaged record (or an older text manifest) is replaced, and the run renders everything
printf 'masthead-publish 1\nseq 42\n' > "$T/k/.masthead-publish"
"$MASTHEAD" publish "$T/big" --out "$T/k" > "$T/sum" 2> "$T/err" || fail "publish over a damaged record"
contains "$T/err" "is not a publish record"
contains "$T/sum" "(every page)"
"$MASTHEAD" publish "$T/big" --out "$T/k" > "$T/sum" || fail "publish after the repair"
contains "$T/sum" "(incremental): 0 written"
diff -r -x '.masthead-publish*' "$T/k" "$T/k2" > "$T/diff" || { head "$T/diff"; fail "folder differs after the record was replaced"; }
ok "a damaged record is replaced: every page rendered, the folder unchanged"

# --- serve --mirror follows a change
kill $pid; wait $pid 2>/dev/null || true
"$MASTHEAD" serve "$T/site" --listen 127.0.0.1:0 --threads 2 --mirror "$T/mirror" > /dev/null 2> "$T/mirror.err" &
mpid=$!
at_exit 'kill $mpid 2>/dev/null'
mirrored() { [ "$(sqlite3 "$T/mirror/.masthead-publish" 'SELECT count(*) FROM state' 2>/dev/null)" = 1 ]; }
for _ in $(seq 1 200); do mirrored && break; sleep 0.1; done
mirrored || { cat "$T/mirror.err"; fail "mirror not made"; }
mid=$(db "SELECT id FROM article WHERE status = 'published' AND edition = 'english' ORDER BY id DESC LIMIT 1")
mfile=$(cd "$T/mirror" && ls english/20*/*/content_$mid.html)
db "UPDATE article SET body = body || ' Mirror check paragraph.' WHERE id = $mid"
for _ in $(seq 1 100); do grep -q 'Mirror check paragraph.' "$T/mirror/$mfile" && break; sleep 0.1; done
contains "$T/mirror/$mfile" 'Mirror check paragraph.'
kill $mpid; wait $mpid 2>/dev/null || true
ok "serve --mirror follows a change"
