#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# api.sh - the JSON API over real HTTP: every route and status, tokens from the
# command line (create, use, revoke), the newsroom's role rules per token, a
# stale revision (409), and hostile bodies.  Every answer must be JSON.
source "$(dirname "$0")/lib/common.bash"

"$MASTHEAD" init "$T/site" > /dev/null
for u in rep:reporter rep2:reporter ed:editor chief:chief_editor adm:admin; do
  echo "a long enough password" | "$MASTHEAD" user add "$T/site" "${u%%:*}" --role "${u##*:}" > /dev/null
done
gen_jsonl 45 "$T/articles.jsonl" 700000
"$MASTHEAD" import "$T/site" "$T/articles.jsonl" > /dev/null 2>&1
for u in rep rep2 ed chief adm; do
  "$MASTHEAD" token create "$T/site" --user "$u" > "$T/token.$u" 2> "$T/token.err"
  contains "$T/token.err" "shown only this once"
  grep -qE '^mht_[A-Za-z0-9_-]{43}$' "$T/token.$u" || fail "token of $u: $(cat "$T/token.$u")"
done
# the token is not in the database, only its digest
! sqlite3 "$T/site/masthead.db" "SELECT hex(hash), prefix FROM api_token" | grep -qF "$(cat "$T/token.rep")" \
  || fail "a token stored in clear"
expect_status 1 "$MASTHEAD" token create "$T/site" --user nobody 2> "$T/err"; contains "$T/err" "no user 'nobody'"
expect_status 2 "$MASTHEAD" token create "$T/site" 2> "$T/err"; contains "$T/err" "usage: masthead token"
"$MASTHEAD" help token > "$T/help"; contains "$T/help" "token create DIR --user NAME"
ok "tokens made on the command line"

start_serve "$T/site"

# api METHOD PATH [USER|-] [BODY|@FILE] [curl args...] -> $status, body $T/b, headers $T/h
# (the body goes as application/json, or as $CT)
api() {
  local method=$1 path=$2 who=${3:--} body=${4:-} args=()
  shift $(( $# < 4 ? $# : 4 ))
  [ "$who" != - ] && args+=(-H "Authorization: Bearer $(cat "$T/token.$who")")
  [ -n "$body" ] && args+=(-H "Content-Type: ${CT:-application/json}" --data-binary "$body")
  if [ "$method" = HEAD ]; then args+=(-I); else args+=(-X "$method"); fi
  rm -f "$T/b"; : > "$T/b"
  status=$(curl -s -m 20 -o "$T/b" -D "$T/h" -w '%{http_code}' "${args[@]}" "$@" "$base$path")
}
# want STATUS [FIELD]: the last answer had STATUS; an error names FIELD (or none)
want() {
  [ "$status" = "$1" ] || { cat "$T/b" >&2; fail "status $status, want $1"; }
  if [ "$status" -ge 400 ] || [ $# -gt 1 ]; then
    jq -e --arg f "${2-}" '.error | keys == ["code", "field", "message"] and (.message | length > 0)
      and .field == (if $f == "" then null else $f end)' "$T/b" > /dev/null \
      || { cat "$T/b" >&2; fail "error body (want field '${2-}')"; }
  fi
  if [ "$status" != 204 ] && [ "$status" != 304 ]; then
    grep -qi '^content-type: application/json; charset=utf-8' "$T/h" || fail "not JSON: $(head -c 200 "$T/b")"
  fi
}
# j FILTER: a value of the last body (jq; python3 starts too slowly on a busy machine)
j() { jq -r "$1" "$T/b"; }

# ---- reads -----------------------------------------------------------------
api GET /api/v1/editions; want 200
[ "$(j '[.editions[].slug] | join(",")')" = "english,zh" ] || fail "editions"
[ "$(j '.editions[0].default')" = true ] || fail "default edition"
grep -qi "^cache-control: no-cache" "$T/h" && grep -qi "^vary: authorization" "$T/h" || fail "cache headers of a read"
etag=$(grep -i '^etag:' "$T/h" | sed 's/^[^:]*: *//; s/\r$//'); [ -n "$etag" ] || fail "no ETag"
api GET /api/v1/editions - "" -H "If-None-Match: $etag"; want 304; [ ! -s "$T/b" ] || fail "304 with a body"
api HEAD /api/v1/editions; [ "$status" = 200 ] || fail "HEAD gives $status"
api GET /api/v1/channels; want 200; [ "$(j '.edition')" = english ] || fail "default edition's channels"
api GET '/api/v1/channels?edition=zh'; want 200
[ "$(j '.channels[] | select(.slug == "news") | .name')" = "新闻" ] || fail "zh channels"
api GET '/api/v1/channels?edition=klingon'; want 404 edition
api GET '/api/v1/channels?edition=zh&colour=red'; want 400
api GET '/api/v1/articles?edition=english&channel=news&page=1'; want 200
[ "$(j '.total')" = 30 ] && [ "$(j '.pages')" = 2 ] && [ "$(j '.articles | length')" = 20 ] \
  || fail "article list: $(head -c 300 "$T/b")"
first=$(j '.articles[0].id'); first_url=$(j '.articles[0].url')
[ "$(j '.articles[0].published_at >= .articles[1].published_at')" = true ] || fail "newest first"
api GET '/api/v1/articles?edition=english&channel=news&page=2'; want 200; [ "$(j '.articles | length')" = 10 ] || fail "page 2"
api GET '/api/v1/articles?edition=english&page=9'; want 200; [ "$(j '.articles | length')" = 0 ] || fail "past the end"
api GET '/api/v1/articles?edition=zh'; want 200; [ "$(j '.total')" = 15 ] || fail "zh total"
api GET '/api/v1/articles?page=0'; want 400 page
api GET '/api/v1/articles?page=two'; want 400 page
api GET '/api/v1/articles?channel=sports'; want 404 channel
api GET "/api/v1/articles/$first"; want 200
[ "$(j '.status')" = published ] && [ "$(j '.url')" = "$first_url" ] && [ "$(j '.revision')" = 1 ] \
  || fail "article: $(head -c 300 "$T/b")"
curl -s -o /dev/null -w '%{http_code}' "$base$first_url" | grep -q 200 || fail "the url of an article is its page"
api GET /api/v1/articles/123456789; want 404
api GET /api/v1/articles/abc; want 404
api POST /api/v1/articles/abc chief "{}"; want 404
api GET /api/v1/articles/0; want 404
api GET /api/v1/articles/; want 404
api GET /api/v1/nothing; want 404
api GET /api/v2/editions; want 404
api GET /api/v1/articles/%2F; want 400                # refused by the server itself, still JSON
api GET '/api/v1/articles?page=%ZZ'; want 400
ok "reads: editions, channels, article pages, one article, 304, 404"

# ---- methods, authentication, media type -------------------------------------
api DELETE /api/v1/editions chief; want 405
grep -qi '^allow: GET, HEAD' "$T/h" || fail "Allow on 405"
api PUT /api/v1/articles chief '{}'; want 405; grep -qi '^allow: GET, HEAD, POST' "$T/h" || fail "Allow of /articles"
api PATCH "/api/v1/articles/$first" chief '{}'; want 405   # refused by the server itself, still JSON
doc='{"edition":"english","channel":"news","title":"Tidal turbines power a harbour town","authors":["Ana Ruiz"],"body":"First *draft*."}'
api POST /api/v1/articles - "$doc"; want 401
grep -qi '^www-authenticate: Bearer' "$T/h" || fail "WWW-Authenticate"
api POST /api/v1/articles - "$doc" -H 'Authorization: Bearer mht_nottherealtokenatallnottherealtokenatall1'; want 401
api POST /api/v1/articles - "$doc" -H 'Authorization: Basic YWRtOmFkbQ=='; want 401
api GET /api/v1/editions - "" -H 'Authorization: Bearer wrong'; want 401   # a bad token is never ignored
CT=text/plain api POST /api/v1/articles rep "$doc"; want 415
CT='application/json; charset=latin1' api POST /api/v1/articles rep "$doc"; want 415
CT='application/json; charset=UTF-8' api POST /api/v1/articles rep "$doc"; want 201
api DELETE "/api/v1/articles/$(j '.id')" rep; want 204
ok "405 with Allow, 401, 415"

# ---- create, read back, edit, stale revision ------------------------------------
api POST /api/v1/articles rep "$doc"; want 201
id=$(j '.id')
[ "$(j '.status')" = draft ] && [ "$(j '.revision')" = 1 ] && [ "$(j '.url')" = "/api/v1/articles/$id" ] \
  || fail "201 body: $(cat "$T/b")"
grep -qi "^location: /api/v1/articles/$id" "$T/h" || fail "Location"
grep -qi '^cache-control: private, no-store' "$T/h" || fail "no-store on writes"
api GET "/api/v1/articles/$id"; want 404            # anonymous: a draft does not exist
api GET "/api/v1/articles/$id" rep2; want 404       # another reporter's draft neither
api GET "/api/v1/articles/$id" rep; want 200; grep -qi '^cache-control: private, no-store' "$T/h" || fail "private read"
api GET "/api/v1/articles/$id" ed; want 200
cp "$T/b" "$T/article.json"
edit=$(jq -c '.title = "Tidal turbines light a harbour town" | .note = "sharper title"' "$T/article.json")
api PUT "/api/v1/articles/$id" rep "$edit"; want 200
[ "$(j '.revision')" = 2 ] && [ "$(j '.title')" = "Tidal turbines light a harbour town" ] || fail "PUT: $(cat "$T/b")"
[ "$(j '.body_html')" = "<p>First <em>draft</em>.</p>" ] || fail "body_html: $(j '.body_html')"
api PUT "/api/v1/articles/$id" rep "$edit"; want 409 revision   # revision 1 again: stale
api GET "/api/v1/articles/$id" rep; [ "$(j '.revision')" = 2 ] || fail "a stale save changed something"
api PUT "/api/v1/articles/$id" rep '{"edition":"english","channel":"news","title":"x"}'; want 400 revision
api PUT "/api/v1/articles/$id" rep '{"revision":2,"edition":"english","channel":"news","title":"x","status":"published"}'; want 400 status
api PUT "/api/v1/articles/$id" rep '{"revision":2,"id":1,"edition":"english","channel":"news","title":"x"}'; want 400 id
api PUT "/api/v1/articles/$id" rep '{"revision":2,"edition":"english","channel":"weather","title":"x"}'; want 400 channel
api PUT "/api/v1/articles/$id" rep2 '{"revision":2,"edition":"english","channel":"news","title":"x"}'; want 404
api PUT /api/v1/articles/987654 rep '{"revision":1,"edition":"english","channel":"news","title":"x"}'; want 404
ok "create (201), drafts hidden from others, edit with revision, stale revision 409"

# ---- the workflow, per role -----------------------------------------------------
move() { api POST "/api/v1/articles/$1/transition" "$2" "$3"; }
move "$id" rep '{"to":"approved"}'; want 400 to    # the workflow has no such step
move "$id" rep '{"to":"submitted"}'; want 200; [ "$(j '.status')" = submitted ] || fail "submit"
move "$id" rep '{"to":"approved"}'; want 403
move "$id" ed '{"to":"published"}'; want 400 to    # submitted must be approved first
move "$id" ed '{"to":"approved"}'; want 200
move "$id" ed '{"to":"published"}'; want 403       # an editor may not publish
move "$id" chief '{"to":"bogus"}'; want 400 to
move "$id" chief '{"to":"published","at":"yesterday"}'; want 400 at
move "$id" chief '{"to":"published"}'; want 200
[ "$(j '.status')" = published ] || fail "publish"
page=$(j '.url'); case "$page" in /english/20*/content_$id.html) ;; *) fail "url of a published article: $page";; esac
api GET "/api/v1/articles/$id"; want 200           # now anyone sees it
curl -s -o /dev/null -w '%{http_code}' "$base$page" | grep -q 200 || fail "its page is served"
move "$id" rep '{"to":"withdrawn"}'; want 403
move "$id" chief '{"to":"withdrawn"}'; want 200
api GET "/api/v1/articles/$id"; want 410
move "$id" adm '{"to":"published"}'; want 200       # an admin may republish
[ "$(j '.url')" = "$page" ] || fail "republishing moved the URL"
api DELETE "/api/v1/articles/$id" chief; [ "$status" = 409 ] || [ "$status" = 403 ] || fail "deleting a published article: $status"
api GET "/api/v1/articles/$id"; want 200
ok "workflow: each role's steps allowed and refused (403)"

# scheduling: approved -> scheduled at a time
api POST /api/v1/articles rep "$doc"; want 201; sid=$(j '.id')
move "$sid" rep '{"to":"submitted"}'; want 200
move "$sid" ed '{"to":"approved"}'; want 200
move "$sid" ed '{"to":"scheduled","at":"2099-01-01T08:00:00.000+08:00"}'; want 403
move "$sid" chief '{"to":"scheduled","at":"2099-01-01T08:00:00.000+08:00"}'; want 200
[ "$(j '.status')" = scheduled ] && [ "$(j '.published_at')" = "2099-01-01T08:00:00.000+08:00" ] \
  || fail "schedule: $(cat "$T/b")"
move "$sid" chief '{"to":"draft","note":"hold it: the figures changed"}'; want 200
[ "$(j '.status')" = draft ] || fail "return to draft"
ok "schedule and return with a comment"

# delete: own draft yes, another's no
api POST /api/v1/articles rep "$doc"; want 201; did=$(j '.id')
api DELETE "/api/v1/articles/$did" rep2; want 404
api DELETE "/api/v1/articles/$did" rep; want 204; [ ! -s "$T/b" ] || fail "204 with a body"
api GET "/api/v1/articles/$did" rep; want 404
api DELETE "/api/v1/articles/$did" rep; want 404
ok "delete a draft (204)"

# ---- hostile bodies -----------------------------------------------------------------
api POST /api/v1/articles rep '{"edition":"english",'; want 400
api POST /api/v1/articles rep '{"edition":"english","edition":"zh","channel":"news","title":"x"}'; want 400
api POST /api/v1/articles rep '[]'; want 400
api POST /api/v1/articles rep '' -H 'Content-Type: application/json' --data-binary ''; want 400
api POST /api/v1/articles rep ''; want 415        # no body, no media type
api POST /api/v1/articles rep '{"edition":"english","channel":"news","title":"x","status":"published"}'; want 400 status
api POST /api/v1/articles rep '{"edition":"english","channel":"news","title":"x","id":5}'; want 400 id
api POST /api/v1/articles rep '{"edition":"english","channel":"news","title":"x","secret":1}'; want 400 secret
api POST /api/v1/articles rep '{"edition":"atlantis","channel":"news","title":"x"}'; want 400 edition
api POST /api/v1/articles rep '{"edition":"english","channel":"news","title":"x","images":[{"file":"/etc/passwd"}]}'; want 400 images
api POST /api/v1/articles rep '{"edition":"english","channel":"news","title":"x","images":[{"file":"media/00/0000000000000000000000000000000000000000000000000000000000000000.png"}]}'; want 400 images
printf '{"edition":"english","channel":"news","title":"\xff\xfe"}' > "$T/bad-utf8"
api POST /api/v1/articles rep "@$T/bad-utf8"; want 400
{ printf '{"a":%.0s' $(seq 5000); printf 1; printf '}%.0s' $(seq 5000); } > "$T/deep"
api POST /api/v1/articles rep "@$T/deep"; want 400
printf '{"edition":"english","channel":"news","title":"%s"}' "$(head -c 5000 /dev/zero | tr '\0' x)" > "$T/long"
api POST /api/v1/articles rep "@$T/long"; want 413 title
head -c $((9 * 1024 * 1024)) /dev/zero | tr '\0' 'a' > "$T/huge"
api POST /api/v1/articles rep "@$T/huge"; want 413
api POST /api/v1/articles rep '{"edition":"english","channel":"news","title":"<script>alert(1)</script>","body_format":"html","body":"<img src=x onerror=alert(1)><p>ok</p>"}'
want 201; hid=$(j '.id')
[ "$(j '.body | contains("onerror")')" = false ] || fail "an HTML body is not cleaned"
[ "$(j '.title')" = "<script>alert(1)</script>" ] || fail "a title is text, kept as written"
[ "$(sqlite3 "$T/site/masthead.db" "SELECT count(*) FROM article WHERE title = 'x'")" = 0 ] || fail "a refused body was written"
ok "hostile bodies: 400/413 with the field, nothing written"

# ---- revocation and the audit log ------------------------------------------------------
"$MASTHEAD" token list "$T/site" > "$T/list"
contains "$T/list" "rep2"; lacks "$T/list" "$(cat "$T/token.rep")"
grep -E '^1 +rep ' "$T/list" | grep -q 'UTC *active' || { cat "$T/list"; fail "last used time of a used token"; }
rep2_id=$(sqlite3 "$T/site/masthead.db" "SELECT t.id FROM api_token t JOIN user u ON u.id = t.user_id WHERE u.login = 'rep2'")
"$MASTHEAD" token revoke "$T/site" "$rep2_id" > "$T/out"; contains "$T/out" "revoked token $rep2_id"
api GET /api/v1/editions rep2; want 401
api POST /api/v1/articles rep2 "$doc"; want 401
expect_status 1 "$MASTHEAD" token revoke "$T/site" "$rep2_id" 2> "$T/err"; contains "$T/err" "no active token"
"$MASTHEAD" token list "$T/site" | grep -E "^$rep2_id " | grep -q revoked || fail "revoked in the list"
# a disabled user's tokens stop working too
sqlite3 "$T/site/masthead.db" "UPDATE user SET disabled = 1 WHERE login = 'adm'"
api GET /api/v1/editions adm; want 401
n=$(sqlite3 "$T/site/masthead.db" "SELECT count(*) FROM audit WHERE login = 'chief' AND address = '127.0.0.1'")
[ "$n" -ge 3 ] || fail "the API's changes are not in the audit log ($n)"
ok "revoke, list, audit"

# every answer of the API was JSON, and the server is still well
api GET /api/v1/editions; want 200
