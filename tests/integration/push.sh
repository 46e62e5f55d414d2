#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# push.sh - search-engine push against a receiver of ours on 127.0.0.1
# (lib/push_receiver.py standing in for IndexNow and Baidu): publishing
# queues URLs in the store, the worker of `masthead serve` sends them in
# batches, retries 429/5xx with growing waits, groups by host, keeps what was
# not accepted across a restart, and queues withdrawals and edits too.
source "$(dirname "$0")/lib/common.bash"
LIB="$(dirname "$0")/lib"
DB="$T/site/masthead.db"

"$MASTHEAD" init "$T/site" > /dev/null
sqlite3 "$DB" "UPDATE edition SET base_url = 'https://zh.example.org' WHERE slug = 'zh'"
python3 - "$T/drafts.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(28):
        f.write(json.dumps({"id": 1000 + i, "edition": "english" if i < 24 else "zh",
                            "channel": "news", "title": f"Push test draft {i}",
                            "body": "Draft text.", "status": "draft"}) + "\n")
PY
"$MASTHEAD" import "$T/site" "$T/drafts.jsonl" > /dev/null
[ "$(sqlite3 "$DB" 'SELECT count(*) FROM push_queue')" = 0 ] || fail "drafts were queued"

python3 "$LIB/push_receiver.py" "$T/rport" "$T/received.jsonl" --failfile "$T/fail" \
  --plan /indexnow=429,500 --plan /urls=503 &
rpid=$!
at_exit 'kill $rpid 2>/dev/null'
for _ in $(seq 1 100); do [ -s "$T/rport" ] && break; sleep 0.05; done
rport=$(cat "$T/rport")
cat >> "$T/site/masthead.conf" <<EOF

[push]
indexnow = on
indexnow_key = 5f2b8c1d9e3a4b7c
indexnow_endpoint = http://127.0.0.1:$rport/indexnow
baidu = on
baidu_token = tok3n
baidu_endpoint = http://127.0.0.1:$rport/urls
batch = 10
retry_min_ms = 150
retry_max_ms = 2000
EOF

# publish all 28 in one transaction, as the newsroom would: the triggers queue them
now=1780000000000
sqlite3 "$DB" "UPDATE article SET status = 'published', first_published_at = $now + id,
  last_published_at = $now + id, updated_at = $now + id WHERE id BETWEEN 1000 AND 1027"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM push_queue WHERE reason = 'publish'")" = 28 ] ||
  fail "publishing did not queue 28 URLs"
ok "publishing queues in the same transaction"

url_of() { # url_of ID: the article's absolute URL
  sqlite3 "$DB" "SELECT e.base_url || '/' || a.edition || strftime('/%Y-%m/%d/', a.first_published_at / 1000 + 8 * 3600, 'unixepoch') || 'content_' || a.id || '.html' FROM article a JOIN edition e ON e.slug = a.edition WHERE a.id = $1"
}
sqlite3 "$DB" "SELECT id FROM article ORDER BY id" | while read -r id; do url_of "$id"; done > "$T/all_urls"

# wait_for PYTHON-EXPR: poll the receiver's log until EXPR (over 'reqs') holds
wait_for() {
  for _ in $(seq 1 150); do
    if python3 - "$T/received.jsonl" "$1" <<'PY'
import json, sys
try:
    reqs = [json.loads(l) for l in open(sys.argv[1])]
except FileNotFoundError:
    reqs = []
sys.exit(0 if eval(sys.argv[2]) else 1)
PY
    then return 0; fi
    sleep 0.1
  done
  return 1
}

start_serve "$T/site"
curl -s -o "$T/key" "$base/5f2b8c1d9e3a4b7c.txt"
[ "$(cat "$T/key")" = 5f2b8c1d9e3a4b7c ] || fail "the IndexNow key file is not served"
ok "the key file is served at /{key}.txt"

wait_for "len([r for r in reqs if r['status'] == 200 and r['path'] == '/indexnow']) >= 4 and len([r for r in reqs if r['status'] == 200 and r['path'] == '/urls']) >= 4" ||
  { cat "$T/received.jsonl" >&2; fail "the receiver did not get every batch"; }

python3 - "$T/received.jsonl" "$T/all_urls" <<'PY' || fail "what the receiver got is wrong"
import json, sys
from urllib.parse import parse_qs
reqs = [json.loads(l) for l in open(sys.argv[1])]
want = set(open(sys.argv[2]).read().split())
ix = [r for r in reqs if r["path"] == "/indexnow"]
bd = [r for r in reqs if r["path"] == "/urls"]
# retry and backoff: 429, then 500, then accepted; the second wait is longer
assert [r["status"] for r in ix[:3]] == [429, 500, 200], [r["status"] for r in ix[:3]]
gap1, gap2 = ix[1]["t"] - ix[0]["t"], ix[2]["t"] - ix[1]["t"]
assert gap1 >= 0.14 and gap2 >= 0.29 and gap2 > gap1, (gap1, gap2)
got = set()
for r in ix:
    assert r["type"].startswith("application/json"), r["type"]
    doc = json.loads(r["body"])
    assert doc["key"] == "5f2b8c1d9e3a4b7c"
    assert 1 <= len(doc["urlList"]) <= 10, len(doc["urlList"])          # batches
    host = doc["host"]
    assert all(u.split("/")[2] == host for u in doc["urlList"]), doc      # one host each
    assert doc["keyLocation"].endswith("/5f2b8c1d9e3a4b7c.txt") and host in doc["keyLocation"]
    if r["status"] == 200:
        got |= set(doc["urlList"])
assert got == want, (len(got), len(want), sorted(want - got)[:3])
assert bd[0]["status"] == 503 and bd[1]["status"] == 200
got = set()
for r in bd:
    q = parse_qs(r["query"])
    assert q["token"] == ["tok3n"], q
    urls = r["body"].split()
    assert r["type"].startswith("text/plain") and 1 <= len(urls) <= 10
    site = q["site"][0]
    assert site in ("127.0.0.1:8080", "https://zh.example.org"), site
    assert all(u.startswith("http://" + site + "/") or u.startswith(site + "/") for u in urls), (site, urls)
    if r["status"] == 200:
        got |= set(urls)
assert got == want, (len(got), len(want))
PY
for _ in $(seq 1 50); do [ "$(sqlite3 "$DB" 'SELECT count(*) FROM push_queue')" = 0 ] && break; sleep 0.1; done
[ "$(sqlite3 "$DB" 'SELECT count(*) FROM push_queue')" = 0 ] || fail "accepted URLs are still queued"
ok "batches of at most 10, grouped by host, retried with backoff, then the queue is empty"

# the search engines go away; an edit and a withdrawal are queued meanwhile
touch "$T/fail"
n_before=$(wc -l < "$T/received.jsonl")
sqlite3 "$DB" "UPDATE article SET title = 'Edited', revision = revision + 1, updated_at = $now + 99000 WHERE id IN (1001, 1002);
               UPDATE article SET status = 'withdrawn', updated_at = $now + 99000 WHERE id = 1003"
wait_for "len(reqs) >= $n_before + 2 and all(r['status'] == 503 for r in reqs[$n_before:])" ||
  fail "the worker did not try while the receiver was failing"
kill "$pid"; wait "$pid" || true
[ "$(sqlite3 "$DB" "SELECT group_concat(reason || ':' || article_id, ' ') FROM (SELECT reason, article_id FROM push_queue ORDER BY id)")" = "update:1001 update:1002 withdraw:1003" ] ||
  fail "the queue lost URLs at the stop: $(sqlite3 "$DB" 'SELECT * FROM push_queue')"
ok "an edit and a withdrawal are queued and survive a stop while the engines fail"

rm -f "$T/fail"
n_before=$(wc -l < "$T/received.jsonl")
start_serve "$T/site"
u1=$(url_of 1001); u3=$(url_of 1003)
wait_for "sum(1 for r in reqs[$n_before:] if r['status'] == 200) >= 2" || fail "nothing was sent after the restart"
for _ in $(seq 1 50); do [ "$(sqlite3 "$DB" 'SELECT count(*) FROM push_queue')" = 0 ] && break; sleep 0.1; done
[ "$(sqlite3 "$DB" 'SELECT count(*) FROM push_queue')" = 0 ] || fail "the queue was not emptied after the restart"
python3 - "$T/received.jsonl" "$n_before" "$u1" "$u3" <<'PY' || fail "the restart did not send the queued URLs"
import json, sys
reqs = [json.loads(l) for l in open(sys.argv[1])][int(sys.argv[2]):]
ok = [r for r in reqs if r["status"] == 200]
ix = set(u for r in ok if r["path"] == "/indexnow" for u in json.loads(r["body"])["urlList"])
bd = set(u for r in ok if r["path"] == "/urls" for u in r["body"].split())
for u in sys.argv[3:]:
    assert u in ix and u in bd, (u, ix, bd)
assert len(ix) == 3 and len(bd) == 3, (ix, bd)   # 1001, 1002, 1003, each once
PY
ok "after a restart the queued URLs are sent, each once, and the queue is empty"

# publishing does not wait for the engines: the queue is only a row per change
touch "$T/fail"
start=$(date +%s%N)
sqlite3 "$DB" "UPDATE article SET status = 'published', updated_at = $now + 120000 WHERE id = 1003"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$ms" -lt 2000 ] || fail "publishing took $ms ms while the engines fail"
ok "publishing took $ms ms with the engines down"
