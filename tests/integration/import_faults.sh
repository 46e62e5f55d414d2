#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# import_faults.sh - the world fails under an import: the disk fills, the
# disk is read-only, the process is killed.  Each leaves the store as it was
# before the failed transaction, and a second run finishes the job.  Needs
# root to mount small file systems; skipped (77) without.
source "$(dirname "$0")/lib/common.bash"

gen_jsonl 3000 "$T/many.jsonl"

# killed mid-import: whole batches stay, the rest is gone, a re-run completes
"$MASTHEAD" init "$T/killed" > /dev/null
"$MASTHEAD" import "$T/killed" "$T/many.jsonl" --batch 100 > /dev/null 2>&1 &
pid=$!
for _ in $(seq 1 200); do
  n=$(sqlite3 "$T/killed/masthead.db" "SELECT count(*) FROM article" 2>/dev/null || echo 0)
  [ "${n:-0}" -gt 0 ] && break
  sleep 0.02
done
kill -9 $pid 2>/dev/null || true
wait $pid 2>/dev/null || true
n=$(count_articles "$T/killed")
echo "killed after $n articles"
[ $((n % 100)) = 0 ] || [ "$n" = 3000 ] || fail "a killed import left a partial batch ($n)"
"$MASTHEAD" check "$T/killed" > /dev/null || fail "check after kill"
"$MASTHEAD" import "$T/killed" "$T/many.jsonl" > "$T/out"
contains "$T/out" "3000 lines: $((3000 - n)) imported, $n unchanged, 0 bad"
[ "$(count_articles "$T/killed")" = 3000 ] || fail "re-run did not finish the import"
ok "killed mid-import"

if [ "$(id -u)" != 0 ] || ! mount -t tmpfs -o size=1m none "$T" 2>/dev/null; then
  echo "skipped: needs root and mount for the disk-full and read-only cases"
  exit 77
fi
# (T is now a tmpfs of 1 MiB; use a bigger one for the sites)
umount "$T"
mkdir -p "$T/full" "$T/ro"
gen_jsonl 3000 "$T/many.jsonl"

# a full disk: a 6 MiB file system holds the site and a few hundred articles
mount -t tmpfs -o size=6m none "$T/full"
at_exit 'umount "$T/full" "$T/ro" 2>/dev/null' 
"$MASTHEAD" init "$T/full/site" > /dev/null
expect_status 1 "$MASTHEAD" import "$T/full/site" "$T/many.jsonl" --batch 100 > "$T/out" 2> "$T/err"
cat "$T/err"
contains "$T/err" "stopped: "
grep -qiE "full|space" "$T/err" || fail "the message does not say the disk is full"
n=$(count_articles "$T/full/site")
[ $((n % 100)) = 0 ] || fail "a full disk left a partial batch ($n)"
"$MASTHEAD" check "$T/full/site" > /dev/null || fail "check after a full disk"
ok "full disk: stopped with a clear message after $n articles, store consistent"

# a read-only disk: a clear message, nothing changes
mount -t tmpfs -o size=8m none "$T/ro"
"$MASTHEAD" init "$T/ro/site" > /dev/null
mount -o remount,ro "$T/ro"
expect_status 1 "$MASTHEAD" import "$T/ro/site" "$T/many.jsonl" > "$T/out" 2> "$T/err"
cat "$T/err"
grep -qiE "read-only|readonly" "$T/err" || fail "the message does not say read-only"
mount -o remount,rw "$T/ro"
[ "$(count_articles "$T/ro/site")" = 0 ] || fail "read-only import wrote"
ok "read-only disk"
