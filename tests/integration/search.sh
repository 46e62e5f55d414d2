#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# search.sh - search over HTTP against `masthead serve`: the page /{edition}/search
# and GET /api/v1/search and /api/v1/suggest with their exact JSON, every filter,
# 400 with {"error": {code, message, field}} for bad parameters, hostile queries
# (10 KB, controls, invalid UTF-8, FTS5 operators), a stored <script> that stays
# text in a snippet, and `masthead reindex`.
source "$(dirname "$0")/lib/common.bash"
export MH_NOW_MS=1780000000000

python3 - "$T/a.jsonl" <<'PY'
import json, sys
arts = [
  (700001, "english", "news", "Harbour robots unload ships at night", ["Ada Lane"], ["ports"],
   "Robots at the harbour unload container ships through the night.", "2026-05-27"),
  (700002, "english", "policy", "New rules for delivery drones", ["Ben Okoro"], ["drones"],
   "The rules limit drone flights over schools. <script>alert('x')</script> 5 < 6 & \"so\".",
   "2026-05-20"),
  (700003, "english", "news", "A robot arm for the kitchen", ["Ada Lane", "Ben Okoro"], ["kitchens"],
   "The arm chops onions; robot makers see a market in restaurants.", "2026-04-02"),
  (700004, "english", "news", "Draft about robots", ["Ada Lane"], [], "robots draft", "2026-05-01"),
  (700005, "zh", "news", "港口机器人夜间卸货", ["林桥"], ["港口"], "机器人在港口连夜装卸集装箱船。", "2026-05-26"),
  (700006, "zh", "policy", "无人机配送新规", ["林桥"], ["无人机"], "新规限制无人机在学校上空飞行。", "2026-05-10"),
]
with open(sys.argv[1], "w") as f:
    for (i, ed, ch, title, au, kw, body, day) in arts:
        f.write(json.dumps({"id": i, "edition": ed, "channel": ch, "title": title, "authors": au,
            "keywords": kw, "body": body, "abstract": "",
            "status": "draft" if "Draft" in title else "published",
            "published_at": day + "T08:00:00.000+08:00"}, ensure_ascii=False) + "\n")
PY
"$MASTHEAD" init "$T/site" > /dev/null
"$MASTHEAD" import "$T/site" "$T/a.jsonl" > /dev/null
"$MASTHEAD" reindex "$T/site" > "$T/reindex.out"
contains "$T/reindex.out" "indexed 5 published articles"
ok "reindex"
start_serve "$T/site"

# get PATH: fetch base+PATH into $T/body, status into $code, headers into $T/head
get() { code=$(curl -s -D "$T/head" -o "$T/body" -w '%{http_code}' "$base$1"); }
# jq-free JSON checks
json() { python3 -c "import json,sys; d=json.load(open('$T/body')); $1" || { cat "$T/body" >&2; fail "json check: $1"; }; }

get "/api/v1/search?q=robot&edition=english"
[ "$code" = 200 ] || fail "search status $code"
contains "$T/head" "application/json"
json "assert d['total'] == 2 and d['page'] == 1 and len(d['hits']) == 2, d
h = d['hits'][0]
assert sorted(h) == ['channel', 'id', 'published_at', 'snippet', 'title', 'url'], sorted(h)
assert h['id'] == 700001 and h['channel'] == 'news', h
assert h['url'] == '/english/2026-05/27/content_700001.html', h['url']
assert h['published_at'].startswith('2026-05-27T08:00:00'), h['published_at']
assert '<mark>Robots</mark>' in h['snippet'], h['snippet']"
ok "api: fields, order, snippet highlight"

get "/api/v1/search?q=robots&edition=english&sort=date"
json "assert [h['id'] for h in d['hits']] == [700001, 700003], d"
get "/api/v1/search?q=robot&edition=english&channel=news&author=ada%20lane"
json "assert d['total'] == 2, d"
get "/api/v1/search?q=robot&edition=english&author=Ben+Okoro"
json "assert [h['id'] for h in d['hits']] == [700003], d"
get "/api/v1/search?q=robot&edition=english&from=2026-05-01&to=2026-05-31"
json "assert [h['id'] for h in d['hits']] == [700001], d"
get "/api/v1/search?q=robot&edition=english&keyword=Kitchens"
json "assert [h['id'] for h in d['hits']] == [700003], d"
get "/api/v1/search?q=drone&edition=english&channel=policy"
json "assert [h['id'] for h in d['hits']] == [700002], d"
get "/api/v1/search?q=robot+OR+drones&edition=english&page=1"
json "assert d['total'] == 3, d"
get "/api/v1/search?q=%E6%9C%BA%E5%99%A8%E4%BA%BA&edition=zh"
json "assert [h['id'] for h in d['hits']] == [700005], d"
get "/api/v1/search?q=%E6%9C%BA&edition=zh"   # one character
json "assert d['total'] == 2, d"
ok "api: sort, channel, author, dates, keyword, OR, Chinese"

# a stored <script> is text in a snippet
get "/api/v1/search?q=alert&edition=english"
json "s = d['hits'][0]['snippet']; assert '<script' not in s and '&lt;' in s and '<mark>alert</mark>' in s, s"
ok "api: snippets are escaped"

# bad parameters: 400 with the field
for bad in "q=&edition=english:q" "q=x&edition=nowhere:edition" "q=x&page=0:page" \
           "q=x&page=51:page" "q=x&page=abc:page" "q=x&sort=best:sort" "q=x&from=2026-13-01:from" \
           "q=x&to=yesterday:to" "q=x&from=2026-05-02&to=2026-05-01:to" "q=x&channel=nope:channel"; do
  get "/api/v1/search?${bad%%:*}"
  [ "$code" = 400 ] || fail "${bad%%:*}: status $code"
  json "e = d['error']; assert sorted(e) == ['code', 'field', 'message'] and e['field'] == '${bad##*:}', d"
done
ok "api: 400 names the bad parameter"

# hostile queries: never a server error
long=$(python3 -c "print('a' * 10240)")
get "/api/v1/search?q=$long&edition=english"
[ "$code" = 400 ] || fail "10 KB query: $code"
json "assert d['error']['field'] == 'q', d"
for q in 'NEAR(robot%20arm)' 'robot*' '%5Erobot' 'title%3Arobot' '%7Btitle%7D%3Arobot' '%22' \
         '%22%22%22' 'AND' 'OR' 'NOT' 'robot%20NOT' '(' ')' '-' '--' '%2B' '*' '%3A' \
         '%E2%80%9Crobot' '%EE%80%80ed%EE%80%80english' 'rank%3A1'; do
  get "/api/v1/search?q=$q&edition=english"
  [ "$code" = 200 ] || fail "query '$q': status $code"
done
for q in '%01robot' '%FF%FE' 'a%00b'; do   # the server refuses these before search
  get "/api/v1/search?q=$q&edition=english"
  [ "$code" = 400 ] || fail "query '$q': status $code"
  json "assert sorted(d['error']) == ['code', 'field', 'message'], d"
done
get "/api/v1/search?q=robot&edition=english"
[ "$code" = 200 ] || fail "server gone after hostile queries"
ok "api: hostile queries"

get "/api/v1/suggest?q=harb&edition=english"
json "assert d == {'suggestions': [{'title': 'Harbour robots unload ships at night', 'url': '/english/2026-05/27/content_700001.html'}]}, d"
get "/api/v1/suggest?q=r&edition=english"
json "assert d['suggestions'] == [], d"
get "/api/v1/suggest?q=%E6%97%A0%E4%BA%BA&edition=zh"
json "assert len(d['suggestions']) == 1, d"
ok "suggest"

# the page
get "/english/search?q=robot"
[ "$code" = 200 ] || fail "page status $code"
contains "$T/head" "Cache-Control: no-store"
contains "$T/body" '<mark>Robots</mark>'
contains "$T/body" 'href="/english/2026-05/27/content_700001.html"'
contains "$T/body" '2 results'
contains "$T/body" 'value="robot"'
get "/english/search?q=zzzqqq"
contains "$T/body" 'No articles match your search.'
get "/zh/search?q=%E6%97%A0%E4%BA%BA%E6%9C%BA"
contains "$T/body" '<mark>无人机</mark>'
contains "$T/body" '共 1 条结果'
get "/english/search?q=robot&page=0"
[ "$code" = 400 ] || fail "bad page: $code"
contains "$T/body" 'page must be a whole number'
get "/nowhere/search?q=robot"
[ "$code" = 404 ] || fail "unknown edition: $code"
get "/english/"
contains "$T/body" 'action="/english/search"'
ok "page: results, no results, errors, the search box on every page"
