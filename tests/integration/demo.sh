#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# demo.sh - the demo newspaper: contents, determinism (same seed, same paper), check.
source "$(dirname "$0")/lib/common.bash"
export MH_NOW_MS=1780000000000 # a fixed "now", so that two runs can be compared byte for byte

"$MASTHEAD" demo "$T/a" --articles 150 --seed 7 > "$T/out-a"
contains "$T/out-a" "created the demo newspaper in $T/a: 150 articles"
for role in reporter editor chief_editor admin; do contains "$T/out-a" "$role"; done
"$MASTHEAD" check "$T/a" > "$T/check"; contains "$T/check" "ok: 150 articles"

q() { sqlite3 "$T/a/masthead.db" "$1"; }
[ "$(q "SELECT min(id) FROM article")" = 480000 ] || fail "ids start at 480000"
[ "$(q "SELECT count(DISTINCT edition) FROM article")" = 2 ] || fail "both editions"
[ "$(q "SELECT count(*) FROM article a JOIN article_media m ON m.article_id = a.id AND m.position = 0")" = 150 ] \
  || fail "every article has a lead image"
[ "$(q "SELECT count(*) FROM curation WHERE slot = 'top'")" -ge 2 ] || fail "Top News"
[ "$(q "SELECT count(*) FROM link_group WHERE kind = 'footer'")" = 4 ] || fail "footer groups"
[ "$(q "SELECT count(*) FROM link_group WHERE kind = 'friendly'")" = 2 ] || fail "friendly links"
[ "$(q "SELECT count(*) FROM pageview")" -gt 0 ] || fail "page views"
[ "$(q "SELECT count(*) FROM channel WHERE description = ''")" = 0 ] || fail "channel descriptions"
[ "$(q "SELECT count(*) FROM user")" = 4 ] || fail "one user per role"
[ "$(q "SELECT count(*) FROM article WHERE edition = 'zh' AND length(CAST(title AS BLOB)) > 2 * length(title)")" -gt 0 ] \
  || fail "Chinese articles are in Chinese"
[ "$(q "SELECT count(*) FROM article WHERE status = 'published'")" -gt 100 ] || fail "mostly published"
for f in $(q "SELECT path FROM media"); do
  [ -s "$T/a/$f" ] || fail "media file $f"
  head -c 8 "$T/a/$f" | od -An -tx1 | grep -q '89 50 4e 47' || fail "$f is a PNG"
done
ok "demo contents"

# the same seed gives the same newspaper; another seed another one
"$MASTHEAD" demo "$T/b" --articles 150 --seed 7 > /dev/null
"$MASTHEAD" demo "$T/c" --articles 150 --seed 8 > /dev/null
"$MASTHEAD" export "$T/a" | sed "s#$T/a/##g" > "$T/a.jsonl"
"$MASTHEAD" export "$T/b" | sed "s#$T/b/##g" > "$T/b.jsonl"
"$MASTHEAD" export "$T/c" | sed "s#$T/c/##g" > "$T/c.jsonl"
[ "$(wc -l < "$T/a.jsonl")" = 150 ] || fail "export has one line per article"
cmp -s "$T/a.jsonl" "$T/b.jsonl" || fail "same seed, different newspaper"
! cmp -s "$T/a.jsonl" "$T/c.jsonl" || fail "different seeds, same newspaper"
(cd "$T/a/media" && find . -type f | sort | xargs sha256sum) > "$T/a.media"
(cd "$T/b/media" && find . -type f | sort | xargs sha256sum) > "$T/b.media"
cmp -s "$T/a.media" "$T/b.media" || fail "same seed, different images"
ok "same seed, same newspaper"

# the demo refuses to overwrite a site
expect_status 1 "$MASTHEAD" demo "$T/a" 2>"$T/err"; contains "$T/err" "not an empty folder"
ok "demo keeps an existing folder"

# a progress bar on a terminal, none in a pipe
if command -v script >/dev/null; then
  unset MH_NO_PROGRESS
  script -qec "$MASTHEAD demo $T/tty --articles 40" /dev/null > "$T/tty.out"
  grep -q "creating the demo 100% \[#" "$T/tty.out" || { cat "$T/tty.out"; fail "no progress bar on a terminal"; }
  "$MASTHEAD" demo "$T/pipe" --articles 40 2> "$T/pipe.err" > /dev/null
  [ ! -s "$T/pipe.err" ] || fail "progress output in a pipe"
  ok "progress bar on a terminal only"
fi
