#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# import_wxr_memory.sh - a WordPress export is streamed: importing one ten times
# larger takes no more memory than SQLite's page cache fills up (cache_size is
# 16 MB) plus a little, so a 2 GB export runs in the memory of a small one.
# bench/import_wxr shows it flat from 64 MiB to 1 GiB.
source "$(dirname "$0")/lib/common.bash"
[ -x /usr/bin/time ] || { echo "no /usr/bin/time: skipped"; exit 77; }
# ASan keeps freed memory in quarantine; keep it small so RSS means what it says
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=4"

peak() { # peak SIZE_MIB -> KiB of peak RSS of the import, in $rss
  python3 "$MH_SRC/bench/gen_wxr.py" "$T/e$1.xml" "$1" --media "$T/up$1" > "$T/n$1"
  "$MASTHEAD" init "$T/s$1" > /dev/null
  /usr/bin/time -o "$T/t$1" -f '%M' "$MASTHEAD" import "$T/s$1" --from wxr "$T/e$1.xml" \
    --media "$T/up$1" > "$T/o$1" 2> /dev/null || true
  rss=$(tail -1 "$T/t$1")
  posts=$(count_articles "$T/s$1")
  echo "$1 MiB export: $posts articles, peak RSS $((rss / 1024)) MiB"
  [ "$posts" -gt 0 ] || fail "nothing imported from the $1 MiB export"
}
peak 1; small=$rss
peak 10; large=$rss
# SQLite's 16 MiB page cache plus the search index's writing (FTS5's buffers, more pages
# touched): a plateau, not a slope.  ASan's allocator also keeps some of what was freed.
slack=20; [ "${MH_SANITIZED:-0}" = 1 ] && slack=36
[ $((large - small)) -lt $(((16 + slack) * 1024)) ] \
  || fail "peak RSS grew from $((small / 1024)) to $((large / 1024)) MiB with a 10x larger export"
ok "a 10x larger WordPress export imports in the same memory"
