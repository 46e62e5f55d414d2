#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# newsroom_schedule.sh - scheduled articles go live at their time inside
# `masthead serve`, in real time (no MH_NOW_MS: the scheduler must see the
# clock move): one scheduled before the server starts, one scheduled by
# another process while it runs, one whose time passed while the server was
# down.  Each must show on the (cached) front page at once, and the audit
# log must say the scheduler published it within its second.
source "$(dirname "$0")/lib/common.bash"
unset MH_NOW_MS

"$MASTHEAD" demo "$T/site" --articles 40 --seed 11 > /dev/null
db="$T/site/masthead.db"
now_ms() { date +%s%3N; }
pick() { sqlite3 "$db" "SELECT id FROM article WHERE status = 'published' AND edition = 'english' ORDER BY id LIMIT 1 OFFSET $1"; }
# schedule ID TITLE AT: make article ID a scheduled, never-published article due AT
schedule() {
  sqlite3 "$db" "PRAGMA busy_timeout = 5000; UPDATE article SET title = '$2', status = 'scheduled', scheduled_at = $3, first_published_at = NULL, last_published_at = NULL WHERE id = $1" > /dev/null
}
# wait_front TITLE: poll the front page until it shows TITLE (10 s at most)
wait_front() {
  local _
  for _ in $(seq 1 100); do
    curl -s -o "$T/front.html" "$base/english/" || true
    grep -qF -- "$1" "$T/front.html" && return 0
    sleep 0.1
  done
  fail "'$1' did not appear on the front page"
}
# lateness ID: ms between the due time and the scheduler's audit entry
lateness() {
  sqlite3 "$db" "SELECT a.at - r.last_published_at FROM audit a JOIN article r ON a.object = 'article:' || r.id WHERE r.id = $1 AND a.login = 'scheduler' AND a.action = 'article.publish'"
}

a=$(pick 0); b=$(pick 1); c=$(pick 2)
due_a=$(( $(now_ms) + 2500 ))
schedule "$a" "Harbour notice alpha zx81" "$due_a"
start_serve "$T/site"
curl -s -o "$T/front.html" "$base/english/"            # the front page is now in the cache
if [ "$(now_ms)" -lt $(( due_a - 300 )) ]; then
  lacks "$T/front.html" "Harbour notice alpha zx81"
  [ "$(sqlite3 "$db" "SELECT status FROM article WHERE id = $a")" = scheduled ] || fail "published early"
fi
wait_front "Harbour notice alpha zx81"
[ "$(now_ms)" -ge "$due_a" ] || fail "published before its time"
late=$(lateness "$a"); [ -n "$late" ] && [ "$late" -lt 1500 ] || fail "alpha went out ${late:-never} ms late"
[ "$(sqlite3 "$db" "SELECT first_published_at FROM article WHERE id = $a")" = "$due_a" ] || fail "first publication is not the scheduled minute"
first_link "$base/english/" "/english/[0-9-]*/[0-9]*/content_$a\.html"
status=$(curl -s -o /dev/null -w '%{http_code}' "$base$link"); [ "$status" = 200 ] || fail "article page $status"
ok "scheduled before start: live at its time ($late ms), seen through the page cache"

due_b=$(( $(now_ms) + 2000 ))
schedule "$b" "Harbour notice bravo zx82" "$due_b"   # another process, while serving
wait_front "Harbour notice bravo zx82"
late=$(lateness "$b"); [ -n "$late" ] && [ "$late" -lt 2000 ] || fail "bravo went out ${late:-never} ms late"
ok "scheduled by another process while serving: live at its time ($late ms)"

kill "$pid"; wait "$pid" 2>/dev/null || true
due_c=$(( $(now_ms) + 300 ))
schedule "$c" "Harbour notice charlie zx83" "$due_c"
sleep 1                                               # its time passes while the server is down
start_serve "$T/site"
wait_front "Harbour notice charlie zx83"
[ "$(sqlite3 "$db" "SELECT first_published_at FROM article WHERE id = $c")" = "$due_c" ] || fail "missed article has the wrong publication time"
ok "missed during downtime: published when the server came back"
[ "$(sqlite3 "$db" "SELECT count(*) FROM article WHERE status = 'scheduled'")" = 0 ] || fail "something stayed scheduled"
