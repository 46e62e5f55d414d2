#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# import_bad.sh - every kind of bad input gets its line number and reason,
# the good lines are imported, --strict writes nothing, and a refused line
# leaves the store as it was.
source "$(dirname "$0")/lib/common.bash"

"$MASTHEAD" init "$T/site" > /dev/null
mkdir -p "$T/in"
printf '\x89PNG\r\n\x1a\n' > "$T/in/fake.png"           # a PNG signature and nothing else
echo "<svg xmlns='http://www.w3.org/2000/svg'/>" > "$T/in/drawing.png"
# a real 1x1 PNG
printf '\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82' > "$T/in/dot.png"

good() { # good ID TITLE
  printf '{"id":%s,"edition":"english","channel":"news","title":"%s","status":"published","published_at":"2026-03-06T09:39:50.194+08:00","images":[{"file":"dot.png","caption":"A dot."}]}\n' "$1" "$2"
}
{
  good 1001 "First good line"                                                     # 1
  echo '{"id":1002,"edition":"english","channel":"news","title":"broken'          # 2 malformed
  echo '{"id":1003,"edition":"english","channel":"sports","title":"No such channel"}'   # 3
  echo '{"id":1004,"edition":"fr","channel":"news","title":"No such edition"}'    # 4
  echo '{"id":1005,"edition":"english","channel":"news","title":"Missing image","images":[{"file":"gone.jpg"}]}' # 5
  python3 -c 'import sys; sys.stdout.write("{\"title\":\"" + "x" * (50 * 1024 * 1024) + "\"}\n")' # 6 50 MB
  printf '{"id":1007,"edition":"english","channel":"news","title":"caf\xc3\x28"}\n'  # 7 bad UTF-8
  good 1001 "First good line, but changed"                                        # 8 duplicate id
  echo '{"id":1009,"edition":"english","channel":"news","title":"Not an image","images":[{"file":"drawing.png"}]}' # 9
  echo '{"id":1010,"edition":"english","channel":"news","title":"Truncated image","images":[{"file":"fake.png"}]}' # 10
  echo ''                                                                          # 11 blank: fine
  good 1012 "Second good line"                                                     # 12
  echo '{"id":1013,"edition":"english","channel":"news","title":"Bad date","status":"published","published_at":"06/03/2026"}' # 13
  good 1001 "First good line"                                                      # 14 same again: unchanged
} > "$T/in/mixed.jsonl"

expect_status 1 "$MASTHEAD" import "$T/site" "$T/in/mixed.jsonl" > "$T/out" 2> "$T/err"
cat "$T/err"
f="$T/in/mixed.jsonl"
contains "$T/err" "$f:2: malformed JSON"
contains "$T/err" "$f:3: unknown channel 'sports' in edition 'english'"
contains "$T/err" "$f:4: unknown edition 'fr' (this site has: english, zh)"
contains "$T/err" "$f:5: images[0]: image file '$T/in/gone.jpg' does not exist"
contains "$T/err" "$f:6: line is longer than 16 MiB"
contains "$T/err" "$f:7: not valid UTF-8 (byte"
contains "$T/err" "$f:8: article 1001 already exists with different content"
contains "$T/err" "$f:9: images[0]: not a JPEG, PNG, GIF or WebP image"
contains "$T/err" "$f:10: images[0]: not a JPEG, PNG, GIF or WebP image"
contains "$T/err" "$f:13: field 'published_at' must be RFC 3339"
contains "$T/out" "14 lines: 2 imported, 1 unchanged, 10 bad; 1 image files added"
[ "$(sqlite3 "$T/site/masthead.db" "SELECT group_concat(id) FROM article")" = "1001,1012" ] \
  || fail "only the good lines are stored"
[ "$(sqlite3 "$T/site/masthead.db" "SELECT title FROM article WHERE id = 1001")" = "First good line" ] \
  || fail "the conflicting line changed article 1001"
[ "$(sqlite3 "$T/site/masthead.db" "SELECT count(*) FROM media")" = 1 ] \
  || fail "refused lines left media rows behind"
"$MASTHEAD" check "$T/site" > /dev/null
ok "bad lines are reported, good lines imported"

# --strict: nothing unless everything is good
"$MASTHEAD" init "$T/strict" > /dev/null
expect_status 1 "$MASTHEAD" import "$T/strict" "$T/in/mixed.jsonl" --strict > "$T/out" 2> "$T/err"
contains "$T/err" "--strict: nothing was imported"
[ "$(count_articles "$T/strict")" = 0 ] || fail "--strict wrote something"
[ "$(sqlite3 "$T/strict/masthead.db" "SELECT count(*) FROM media")" = 0 ] || fail "--strict kept media"
good 2001 "All good" > "$T/in/good.jsonl"; good 2002 "Also good" >> "$T/in/good.jsonl"
"$MASTHEAD" import "$T/strict" "$T/in/good.jsonl" --strict > "$T/out"
contains "$T/out" "2 lines: 2 imported"
ok "--strict"

# hostile HTML bodies are stored sanitized
echo '{"id":3001,"edition":"english","channel":"news","title":"HTML","body_format":"html","body":"<p>Fine <b>bold</b></p><script>alert(1)</script><img src=x onerror=alert(2)><a href=\"javascript:alert(3)\">x</a>"}' > "$T/in/html.jsonl"
"$MASTHEAD" import "$T/site" "$T/in/html.jsonl" > /dev/null
body=$(sqlite3 "$T/site/masthead.db" "SELECT body FROM article WHERE id = 3001")
echo "$body" | grep -q "<b>bold</b>" || fail "sanitizer dropped allowed markup: $body"
echo "$body" | grep -qiE "script|onerror|javascript:" && fail "sanitizer kept: $body"
ok "HTML bodies are sanitized on import"

# a missing input file and a site that is not one
expect_status 1 "$MASTHEAD" import "$T/site" "$T/in/none.jsonl" 2>"$T/err"; contains "$T/err" "cannot open"
expect_status 1 "$MASTHEAD" import "$T/in" "$T/in/good.jsonl" 2>"$T/err"; contains "$T/err" "is not a Masthead site"
ok "missing file, not a site"
