#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# roundtrip.sh - export | import into a new site reproduces the demo exactly,
# and importing the same file again changes nothing.
source "$(dirname "$0")/lib/common.bash"
export MH_NOW_MS=1780000000000

"$MASTHEAD" demo "$T/a" --articles 300 --seed 3 > /dev/null
"$MASTHEAD" init "$T/b" > /dev/null
"$MASTHEAD" export "$T/a" > "$T/a.jsonl"
"$MASTHEAD" export "$T/a" | "$MASTHEAD" import "$T/b" - > "$T/out"
contains "$T/out" "300 lines: 300 imported, 0 unchanged, 0 bad"
"$MASTHEAD" export "$T/b" > "$T/b.jsonl"
sed "s#$T/a/##g" "$T/a.jsonl" > "$T/a.norm"
sed "s#$T/b/##g" "$T/b.jsonl" > "$T/b.norm"
cmp "$T/a.norm" "$T/b.norm" || fail "export | import did not reproduce the articles"
"$MASTHEAD" images "$T/b" > /dev/null   # the demo made its image sizes; the same ones here
for s in a b; do
  (cd "$T/$s/media" && find . -type f | sort | xargs sha256sum) > "$T/$s.media"
done
cmp -s "$T/a.media" "$T/b.media" || fail "the image files differ"
"$MASTHEAD" check "$T/b" > /dev/null
ok "export | import reproduces the site's articles and images"

# per edition
"$MASTHEAD" export "$T/a" --edition zh > "$T/zh.jsonl"
[ "$(wc -l < "$T/zh.jsonl")" = "$(grep -c '"edition":"zh"' "$T/a.jsonl")" ] || fail "--edition"
expect_status 1 "$MASTHEAD" export "$T/a" --edition fr 2>"$T/err"; contains "$T/err" "no edition 'fr'"
ok "export --edition"

# idempotent: the same file again changes nothing
before=$(sqlite3 "$T/b/masthead.db" "SELECT sum(revision), count(*), max(updated_at) FROM article")
"$MASTHEAD" import "$T/b" "$T/a.jsonl" > "$T/out"
contains "$T/out" "300 lines: 0 imported, 300 unchanged, 0 bad; 0 image files added"
after=$(sqlite3 "$T/b/masthead.db" "SELECT sum(revision), count(*), max(updated_at) FROM article")
[ "$before" = "$after" ] || fail "re-import changed the store"
ok "re-import changes nothing"
