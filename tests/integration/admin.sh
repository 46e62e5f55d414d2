#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# admin.sh - the newsroom UI over HTTP with curl, against `masthead serve` on a
# demo site: sign-in and its cookie, no-store everywhere, CSRF and expired
# sessions, the article editor and workflow for every role (the whole matrix,
# allowed and refused, checked in the database too), a guessed id of another
# reporter's draft, stale saves and edit locks, autosave, revisions (diff,
# restore), previews, Top News, links, channels, editions, users, the audit log.
source "$(dirname "$0")/lib/common.bash"
command -v sqlite3 > /dev/null || { echo "skip: no sqlite3"; exit 77; }

"$MASTHEAD" demo "$T/site" --articles 40 --seed 7 > "$T/demo.out"
pw() { awk -v u="$1" '$1 == u { print $3 }' "$T/demo.out"; }
printf 'second-reporter-pw\n' | "$MASTHEAD" user add "$T/site" reporter2 --role reporter > /dev/null
sed -i 's/^max_mb = .*/max_mb = 1/' "$T/site/masthead.conf" # so that "too big" is quick to send
grep -q '^max_mb = 1$' "$T/site/masthead.conf" || printf '\n[images]\nmax_mb = 1\n' >> "$T/site/masthead.conf"
start_serve "$T/site"
db() { sqlite3 "$T/site/masthead.db" "$1"; }

declare -A CSRF
# req WHO METHOD PATH [curl args]: the status; the page in $T/out.html, headers in $T/out.hdr
req() {
  local who=$1 method=$2 path=$3; shift 3
  local jar=()
  [ "$who" != - ] && jar=(-b "$T/$who.jar" -c "$T/$who.jar")
  if [ "$method" = POST ] && [ "$who" != - ] && [ -n "${CSRF[$who]:-}" ]; then
    set -- --data-urlencode "csrf=${CSRF[$who]}" "$@"
  fi
  [ "$method" = POST ] && [ $# = 0 ] && set -- -d ''
  curl -s "${jar[@]}" -D "$T/out.hdr" -o "$T/out.html" -w '%{http_code}' "$@" "$base$path"
}
expect() { # expect WANT WHAT: the last req's status
  [ "$got" = "$1" ] || { sed -n 1,40p "$T/out.html" >&2; fail "$2: status $got, expected $1"; }
}
location() { tr -d '\r' < "$T/out.hdr" | sed -n 's/^Location: //Ip'; }
signin() {
  got=$(req "$1" POST /admin/signin -d "login=$1" --data-urlencode "password=$2" -d next=/admin/)
  expect 303 "sign-in of $1"
  got=$(req "$1" GET /admin/)
  expect 200 "dashboard of $1"
  CSRF[$1]=$(grep -o 'data-csrf="[^"]*"' "$T/out.html" | sed 's/data-csrf="//; s/"$//')
  [ -n "${CSRF[$1]}" ] || fail "no CSRF token on the dashboard of $1"
}

# ---- signed out, signing in --------------------------------------------------------
got=$(req - GET /admin/articles?status=draft); expect 303 "signed-out list"
location | grep -q '^/admin/signin?next=/admin/articles' || fail "not sent to sign-in: $(location)"
grep -qi '^Cache-Control: no-store' "$T/out.hdr" || fail "a redirect without no-store"
got=$(req - POST /admin/signin -d login=editor -d password=wrong); expect 403 "wrong password"
contains "$T/out.html" "Wrong login or password"
contains "$T/out.html" 'value="editor"'
got=$(req - POST /admin/signin -d login=nobody -d password=wrong); expect 403 "unknown login"
contains "$T/out.html" "Wrong login or password"
for u in reporter editor chief admin; do signin "$u" "$(pw $u)"; done
signin reporter2 second-reporter-pw
cookie=$(curl -s -D - -o /dev/null -d "login=editor&password=$(pw editor)" "$base/admin/signin" | grep -i '^Set-Cookie')
echo "$cookie" | grep -q 'HttpOnly' || fail "cookie not HttpOnly: $cookie"
echo "$cookie" | grep -q 'SameSite=Strict' || fail "cookie not SameSite=Strict: $cookie"
echo "$cookie" | grep -q 'Secure' && fail "Secure cookie on plain http: $cookie"
ok "sign-in, cookie flags, wrong passwords"

# every admin page is no-store and answers for an admin
for p in / /articles /articles/new /media /topnews /links /channels /editions /users /audit; do
  got=$(req admin GET "/admin$p"); expect 200 "GET /admin$p"
  grep -qi '^Cache-Control: no-store' "$T/out.hdr" || fail "/admin$p without no-store"
  grep -qi "^Content-Security-Policy: default-src 'self'; script-src 'self'" "$T/out.hdr" || fail "/admin$p without CSP"
done
css=$(grep -o '/admin/static/admin\.[0-9a-f]*\.css' "$T/out.html" | head -1)
got=$(req - GET "$css"); expect 200 "the stylesheet"
ok "every screen answers, no-store, CSP"

# ---- CSRF and expired sessions -------------------------------------------------------
got=$(curl -s -b "$T/reporter.jar" -o "$T/out.html" -w '%{http_code}' -d section=english/news \
  --data-urlencode 'title=Without a token' "$base/admin/articles/new")
expect 403 "a POST without a CSRF token"
contains "$T/out.html" "security token"
got=$(curl -s -b "$T/reporter.jar" -o "$T/out.html" -w '%{http_code}' -d csrf=forged -d section=english/news \
  --data-urlencode 'title=Forged token' "$base/admin/articles/new")
expect 403 "a POST with a wrong CSRF token"
[ "$(db "SELECT count(*) FROM article WHERE title IN ('Without a token','Forged token')")" = 0 ] || fail "refused POSTs wrote"
got=$(curl -s -H 'Cookie: mh_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' -o "$T/out.html" -w '%{http_code}' \
  -d csrf=x -d section=english/news --data-urlencode 'title=Typed after the session ended' \
  --data-urlencode 'body=Two hours of careful work' "$base/admin/articles/new")
expect 401 "a POST with an expired session"
contains "$T/out.html" "session has expired"
contains "$T/out.html" "Two hours of careful work"
ok "missing or wrong CSRF token refused, expired session keeps the input"

# ---- a reporter's draft, and the workflow --------------------------------------------
new_article() { # new_article WHO TITLE -> $id
  got=$(req "$1" POST /admin/articles/new -d section=english/news --data-urlencode "title=$2" \
    --data-urlencode $'authors=TEST Writer\nSECOND Writer' --data-urlencode 'keywords=lab, river' \
    --data-urlencode 'abstract=One line.' --data-urlencode $'body=First paragraph.\n\nSecond paragraph.' \
    -d body_format=markdown -d note=first)
  expect 303 "create '$2' as $1"
  id=$(location | sed -n 's|^/admin/articles/\([0-9]*\)?saved=1$|\1|p')
  [ -n "$id" ] || fail "no article id in $(location)"
}
status_of() { db "SELECT status FROM article WHERE id = $1"; }
rev_of() { db "SELECT revision FROM article WHERE id = $1"; }
save() { # save WHO ID REV TITLE
  got=$(req "$1" POST "/admin/articles/$2" -d section=english/news -d "revision=$3" \
    --data-urlencode "title=$4" --data-urlencode 'authors=TEST Writer' --data-urlencode 'body=Body text.' -d note=edit)
}
step() { # step WHO ID TO [extra curl args]
  local who=$1 aid=$2 to=$3; shift 3
  got=$(req "$who" POST "/admin/articles/$aid/workflow" -d "to=$to" "$@")
}

new_article reporter "A reporter's first draft"; draft=$id
[ "$(status_of $draft)" = draft ] || fail "new article is $(status_of $draft)"
got=$(req reporter GET "/admin/articles/$draft"); expect 200 "the editor"
contains "$T/out.html" 'value="A reporter&#39;s first draft"'
contains "$T/out.html" 'Submit for review'
grep -q 'Publish now' "$T/out.html" && fail "a reporter is offered Publish"
# another reporter guesses the id
got=$(req reporter2 GET "/admin/articles/$draft"); expect 404 "another reporter's draft"
contains "$T/out.html" "no article"
save reporter2 "$draft" 1 "Hijacked"; [ "$got" = 404 ] || [ "$got" = 403 ] || fail "reporter2 saved: $got"
[ "$(db "SELECT title FROM article WHERE id = $draft")" = "A reporter's first draft" ] || fail "reporter2 changed the draft"
ok "a draft, and a guessed id of another reporter's draft"

# the list's filters: title text is literal (% and _ are not wildcards), with paging
new_article reporter "Rates rose 100% in_a year"
got=$(req editor GET "/admin/articles?q=100%25"); expect 200 "filter by 100%"
contains "$T/out.html" "Rates rose 100% in_a year"; contains "$T/out.html" "Matches 1–1,"
got=$(req editor GET "/admin/articles?q=_"); contains "$T/out.html" "Matches 1–1,"
got=$(req editor GET "/admin/articles?q=RATES+ROSE"); contains "$T/out.html" "Matches 1–1,"
got=$(req editor GET "/admin/articles?edition=english&channel=english%2Fnews&status=draft&author=TEST+Writer")
contains "$T/out.html" "Rates rose 100%"
got=$(req editor GET "/admin/articles?q=e"); expect 200 "a broad text filter"
n_e=$(db "SELECT count(*) FROM article WHERE title LIKE '%e%'")
if [ "$n_e" -gt 50 ]; then
  contains "$T/out.html" "Matches 1–50,"; contains "$T/out.html" 'rel="next" href="/admin/articles?q=e&amp;page=2"'
else
  contains "$T/out.html" "Matches 1–$n_e,"; lacks "$T/out.html" 'rel="next"'
fi
got=$(req editor GET "/admin/articles?status=published&page=2"); expect 200 "page 2"
contains "$T/out.html" "Page 2 of"
got=$(req reporter GET "/admin/articles?status=submitted"); expect 200 "a reporter's list"
n_sub=$(db "SELECT count(*) FROM article WHERE status = 'submitted' AND owner = 'reporter'")
contains "$T/out.html" "$n_sub articles"
ok "list filters, literal title text, paging, a reporter sees only their own unpublished work"

# the journey: submit, return with a comment, fix, submit, approve, schedule, publish, withdraw, republish
step reporter $draft submitted -d revision=1; expect 303 "submit"
[ "$(status_of $draft)" = submitted ] || fail "not submitted"
step editor $draft draft --data-urlencode 'comment=Needs a second source'; expect 303 "return with a comment"
[ "$(status_of $draft)" = draft ] || fail "not returned"
got=$(req admin GET "/admin/audit?object=article:$draft"); expect 200 "the article's history"
contains "$T/out.html" "Needs a second source"
save reporter $draft "$(rev_of $draft)" "A reporter's fixed draft"; expect 303 "the fix"
step reporter $draft submitted; expect 303 "submit again"
step reporter $draft approved; [ "$got" != 303 ] || fail "a reporter approved"
[ "$(status_of $draft)" = submitted ] || fail "refused approval changed the status"
step editor $draft approved; expect 303 "approve"
step chief $draft scheduled -d at=2001-01-01T00:00; [ "$got" != 303 ] || fail "scheduled in the past"
contains "$T/out.html" "Not done"
later=$(date -u -d '+2 days' +%Y-%m-%dT%H:%M)
step chief $draft scheduled -d "at=$later"; expect 303 "schedule"
[ "$(status_of $draft)" = scheduled ] || fail "not scheduled"
# the time typed is the newsroom's (the default edition's zone, Asia/Shanghai), and so is the one shown
want=$(TZ=Asia/Shanghai date -d "${later/T/ }" +%s)
[ "$(db "SELECT scheduled_at / 1000 FROM article WHERE id = $draft")" = "$want" ] || fail "the schedule time was not read in Asia/Shanghai"
got=$(req chief GET "/admin/articles/$draft"); expect 200 "the scheduled article"
contains "$T/out.html" "$(TZ=Asia/Shanghai date -d "@$want" '+%Y-%m-%d %H:%M') +08:00"
contains "$T/out.html" "Publish at (Asia/Shanghai)"
step chief $draft published; expect 303 "publish now"
path=$(db "SELECT strftime('/english/%Y-%m/%d/content_', first_published_at / 1000, 'unixepoch', '+8 hours') || id || '.html' FROM article WHERE id = $draft")
got=$(req - GET "$path"); [ "$got" = 200 ] || [ "$got" = 301 ] || fail "the published article answers $got at $path"
first=$(db "SELECT first_published_at FROM article WHERE id = $draft")
step chief $draft withdrawn --data-urlencode 'comment=Legal asked'; expect 303 "withdraw"
got=$(curl -s -o /dev/null -w '%{http_code}' -L "$base$path"); [ "$got" = 410 ] || fail "withdrawn article answers $got"
step chief $draft published; expect 303 "republish"
[ "$(db "SELECT first_published_at FROM article WHERE id = $draft")" = "$first" ] || fail "republishing moved the first publication"
ok "submit, return, fix, approve, schedule, publish, withdraw (410), republish"

# ---- the role matrix -------------------------------------------------------------------
# prepare STATE: an article of the reporter's in STATE, made by the roles that may
prepare() {
  new_article reporter "Matrix $1 $RANDOM"; local a=$id
  [ "$1" = draft ] && return
  step reporter $a submitted; expect 303 "prepare submit"; [ "$1" = submitted ] && return
  step editor $a approved; expect 303 "prepare approve"; [ "$1" = approved ] && return
  step chief $a published; expect 303 "prepare publish"; [ "$1" = published ] && return
  fail "cannot prepare $1"
}
# check WHO ACTION FROM TO ALLOWED [args]
check() {
  local who=$1 action=$2 from=$3 to=$4 allowed=$5; shift 5
  prepare "$from"; local a=$id
  step "$who" $a "$to" "$@"
  if [ "$allowed" = yes ]; then
    [ "$got" = 303 ] && [ "$(status_of $a)" = "$to" ] || fail "$who may $action, got $got, status $(status_of $a)"
  else
    [ "$got" != 303 ] && [ "$(status_of $a)" = "$from" ] || fail "$who may not $action, got $got, status $(status_of $a)"
    grep -q 'class="msg msg-error"' "$T/out.html" || fail "$who $action refused without a message"
  fi
}
for who in reporter editor chief admin; do
  case $who in reporter) e=no c=no;; editor) e=yes c=no;; *) e=yes c=yes;; esac
  check $who return submitted draft $e --data-urlencode comment=again
  check $who approve submitted approved $e
  check $who publish approved published $c
  check $who schedule approved scheduled $c -d "at=$later"
  check $who withdraw published withdrawn $c --data-urlencode comment=why
done
check reporter submit draft submitted yes
check reporter2 submit draft submitted no
# editing a published article: chief editors and admins only
prepare published; pub=$id
for who in reporter editor chief admin; do
  case $who in chief|admin) want=yes;; *) want=no;; esac
  save $who $pub "$(rev_of $pub)" "Edited by $who"
  if [ $want = yes ]; then expect 303 "$who edits a published article"
  else [ "$got" != 303 ] || fail "$who edited a published article"; fi
  req $who POST "/admin/articles/$pub/unlock" > /dev/null
done
# site settings
for who in reporter editor chief admin; do
  case $who in reporter|editor) top=no adm=no;; chief) top=yes adm=no;; admin) top=yes adm=yes;; esac
  got=$(req $who POST /admin/topnews -d edition=english -d "add=$pub")
  [ $top = yes ] && expect 303 "$who curates Top News" || { [ "$got" = 403 ] || fail "$who curated Top News: $got"; }
  got=$(req $who POST /admin/users -d op=add -d "login=new$who" --data-urlencode "display_name=New $who" -d role=reporter -d 'password=a-long-enough-password-1')
  [ $adm = yes ] && expect 303 "$who adds a user" || { [ "$got" = 403 ] || fail "$who added a user: $got"; }
  got=$(req $who POST /admin/channels -d edition=english -d "slug=chan-$who" --data-urlencode "name=Chan $who")
  [ $adm = yes ] && expect 303 "$who adds a channel" || { [ "$got" = 403 ] || fail "$who added a channel: $got"; }
  got=$(req $who POST /admin/links -d edition=english -d "slug=links-$who" --data-urlencode "name=Links $who" -d kind=footer --data-urlencode 'links=Home | /english/')
  [ $adm = yes ] && expect 303 "$who saves links" || { [ "$got" = 403 ] || fail "$who saved links: $got"; }
  got=$(req $who POST /admin/editions -d slug=english -d name=English -d lang=en -d tz=Asia/Shanghai -d base_url=https://news.example.org)
  [ $adm = yes ] || { [ "$got" = 403 ] || fail "$who saved an edition: $got"; }
  got=$(req $who GET /admin/audit)
  [ $adm = yes ] && expect 200 "$who reads the audit log" || { [ "$got" = 403 ] || fail "$who read the audit log: $got"; }
done
[ "$(db "SELECT count(*) FROM user WHERE login LIKE 'new%'")" = 1 ] || fail "refused user additions wrote"
[ "$(db "SELECT count(*) FROM channel WHERE slug LIKE 'chan-%'")" = 1 ] || fail "refused channel additions wrote"
ok "the role matrix through the UI: every role x every action, allowed and refused"

# ---- locks, stale saves, autosave --------------------------------------------------------
new_article reporter "Two people at once"; two=$id
got=$(req reporter GET "/admin/articles/$two"); expect 200 "reporter opens"
got=$(req editor GET "/admin/articles/$two"); expect 200 "editor opens a locked article"
contains "$T/out.html" "Being edited by"
save editor $two 1 "Editor while locked"; expect 409 "a save against the lock"
contains "$T/out.html" "Editor while locked"
got=$(req reporter POST "/admin/articles/$two/unlock"); expect 303 "release"
got=$(req editor GET "/admin/articles/$two"); expect 200 "editor opens"
lacks "$T/out.html" "Being edited by"
save editor $two 1 "The editor's headline"; expect 303 "the editor saves"
got=$(req editor POST "/admin/articles/$two/unlock"); expect 303 "release"
save reporter $two 1 "The reporter's stale headline"; expect 409 "a stale save"
contains "$T/out.html" "someone else saved"
contains "$T/out.html" "The reporter&#39;s stale headline"
contains "$T/out.html" "The editor&#39;s headline"
[ "$(db "SELECT title FROM article WHERE id = $two")" = "The editor's headline" ] || fail "the stale save wrote"
rev=$(rev_of $two)
got=$(req reporter POST "/admin/articles/$two/autosave" -d section=english/news -d "revision=$rev" \
  --data-urlencode 'title=Half-typed headline' --data-urlencode 'body=Half a body')
expect 200 "autosave"; contains "$T/out.html" '"ok":true'
[ "$(rev_of $two)" = "$rev" ] || fail "autosave made a revision"
got=$(req reporter GET "/admin/articles/$two"); expect 200 "reopen"
contains "$T/out.html" "unsaved changes"
got=$(req reporter GET "/admin/articles/$two?autosave=1"); expect 200 "open the autosave"
contains "$T/out.html" 'value="Half-typed headline"'
ok "edit lock banner, lock refusal, stale save with the other's changes, autosave"

new_article reporter "A draft to delete"; gone=$id
got=$(req reporter2 POST "/admin/articles/$gone/delete"); [ "$got" != 303 ] || fail "another reporter deleted a draft"
got=$(req reporter POST "/admin/articles/$gone/delete"); expect 303 "delete a draft"
[ "$(db "SELECT count(*) FROM article WHERE id = $gone")" = 0 ] || fail "not deleted"
got=$(req chief POST "/admin/articles/$pub/delete"); [ "$got" != 303 ] || fail "a published article was deleted"
[ "$(db "SELECT count(*) FROM article WHERE id = $pub")" = 1 ] || fail "a published article is gone"
ok "delete: own drafts only"

# ---- revisions, previews ---------------------------------------------------------------
got=$(req reporter GET "/admin/articles/$two/revisions"); expect 200 "revisions"
contains "$T/out.html" "Compare side by side"
got=$(req reporter GET "/admin/articles/$two/diff?a=1&b=2"); expect 200 "diff"
contains "$T/out.html" "Two people at once"
contains "$T/out.html" "The editor&#39;s headline"
got=$(req reporter POST "/admin/articles/$two/restore" -d revision=1 -d "base=$(rev_of $two)"); expect 303 "restore"
[ "$(db "SELECT title FROM article WHERE id = $two")" = "Two people at once" ] || fail "not restored"
got=$(req reporter GET "/admin/articles/$two/preview"); expect 200 "preview of a draft"
contains "$T/out.html" "Two people at once"
contains "$T/out.html" '/static/site.'
got=$(req - GET "/admin/articles/$two/preview"); expect 303 "preview signed out"
got=$(req reporter POST /admin/markdown --data-urlencode $'body=# Head\n\n<script>alert(1)</script>\n\n**bold**')
expect 200 "live preview"; contains "$T/out.html" "<strong>bold</strong>"; lacks "$T/out.html" "<script"
ok "revisions: list, diff, restore; previews through the site's code"

# ---- uploads ------------------------------------------------------------------------------
png=$(find "$T/site/media" -name '*.png' | head -1)
python3 - "$png" "$T/up.png" <<'PY'
import sys, struct, zlib
# a different small PNG than the demo's: 3x2 pixels, with a text chunk that must not survive
raw = b"".join(b"\x00" + bytes([200, 30, 30] * 3) for _ in range(2))
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
open(sys.argv[2], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 3, 2, 8, 2, 0, 0, 0))
  + chunk(b"tEXt", b"Comment\x00secret place") + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
PY
up() { curl -s -b "$T/$1.jar" -D "$T/out.hdr" -o "$T/out.html" -w '%{http_code}' "${@:2}" "$base/admin/media/upload"; }
got=$(up reporter -F "csrf=${CSRF[reporter]}" -F "file=@$T/up.png;type=image/png" -F 'caption=Three red pixels' -F 'alt=A red block')
expect 303 "upload"
mid=$(location | sed -n 's|^/admin/media?added=\([0-9]*\)$|\1|p'); [ -n "$mid" ] || fail "no media id in $(location)"
[ "$(db "SELECT caption FROM media WHERE id = $mid")" = "Three red pixels" ] || fail "caption not stored"
grep -rq "secret place" "$T/site/media" && fail "the PNG text chunk survived"
got=$(up reporter -H 'Accept: application/json' -F "csrf=${CSRF[reporter]}" -F "file=@$T/up.png;type=image/png")
expect 200 "upload again (JSON)"; contains "$T/out.html" "\"id\":$mid"
printf 'not an image at all' > "$T/fake.jpg"
got=$(up reporter -F "csrf=${CSRF[reporter]}" -F "file=@$T/fake.jpg;type=image/jpeg" -F 'caption=Kept caption')
expect 400 "a file that is not an image"; contains "$T/out.html" "Not added"
got=$(up reporter -F "file=@$T/up.png;type=image/png"); expect 403 "an upload without a CSRF token"
head -c $((3 * 1024 * 1024)) /dev/zero > "$T/big.jpg"
got=$(up reporter -F "csrf=${CSRF[reporter]}" -F "file=@$T/big.jpg;type=image/jpeg"); expect 413 "an oversized upload"
got=$(req reporter GET "/admin/media?q=red+pixels"); expect 200 "find in the library"
contains "$T/out.html" "Three red pixels"
# the uploaded image in an article
new_article reporter "With an uploaded image"; wi=$id
got=$(req reporter POST "/admin/articles/$wi" -d section=english/news -d "revision=$(rev_of $wi)" \
  --data-urlencode 'title=With an uploaded image' -d "image_id=$mid" --data-urlencode 'image_caption=Red, close up' \
  -d image_credit= --data-urlencode 'image_alt=A red block')
expect 303 "save with an image"
[ "$(db "SELECT media_id || '|' || caption FROM article_media WHERE article_id = $wi")" = "$mid|Red, close up" ] || fail "the image was not attached"
got=$(req reporter GET "/admin/articles/$wi/preview"); contains "$T/out.html" "Red, close up"
ok "uploads: stored without metadata, JSON for the editor, refusals (not an image, no token, too big), used in an article"

# the image's texts and focal point, after its upload
got=$(req reporter GET "/admin/media/$mid"); expect 200 "the image's page"
contains "$T/out.html" "Focal point"
got=$(req reporter POST "/admin/media/$mid" --data-urlencode 'caption=Red block, studio' -d credit= -d alt=Red -d focal_x=1.5 -d focal_y=0.2)
expect 400 "a focal point outside the image"
contains "$T/out.html" 'value="Red block, studio"'
got=$(req reporter POST "/admin/media/$mid" --data-urlencode 'caption=Red block, studio' --data-urlencode 'credit=Photo: Desk' -d alt=Red -d focal_x=0.25 -d focal_y=0.75)
expect 303 "the image's texts saved"
[ "$(location)" = "/admin/media?changed=$mid" ] || fail "not back to the library: $(location)"
[ "$(db "SELECT caption || '|' || credit || '|' || alt || '|' || focal_x || '|' || focal_y FROM media WHERE id = $mid")" = "Red block, studio|Photo: Desk|Red|0.25|0.75" ] || fail "the image's texts were not stored"
got=$(req reporter GET "/admin/media/999999"); expect 404 "an unknown image"
got=$(req admin GET "/admin/audit"); contains "$T/out.html" "media.edit"
ok "an image's caption, credit, alt text and focal point edited after upload; refusals keep the input"

# ---- curation and settings show on the site ---------------------------------------------------
got=$(req chief POST /admin/topnews -d edition=english -d "article_id=$pub" --data-urlencode 'title=Curated headline' -d summary= -d expires=)
expect 303 "Top News"
curl -s "$base/english/" -o "$T/front.html"; contains "$T/front.html" "Curated headline"
got=$(req admin POST /admin/links -d edition=english -d slug=evil -d name=Evil -d kind=footer --data-urlencode 'links=Click | javascript:alert(1)')
[ "$got" = 400 ] || fail "a javascript: link was accepted ($got)"
contains "$T/out.html" 'javascript:alert(1)'
got=$(req admin POST /admin/users -d op=disable -d login=reporter2); expect 303 "disable a user"
got=$(req reporter2 GET /admin/); expect 303 "a disabled user's session ends"
got=$(req admin GET /admin/audit); contains "$T/out.html" "article."
ok "Top News on the front page, refused links keep the input, disabled users"

# ---- your own password ---------------------------------------------------------------------
got=$(req reporter GET /admin/account); expect 200 "the account page"
contains "$T/out.html" "Change your password"
got=$(req reporter POST /admin/account --data-urlencode "current=wrong-one" -d password=a-new-secret-9 -d again=a-new-secret-9)
expect 403 "a wrong current password"
contains "$T/out.html" "the current password is wrong"
got=$(req reporter POST /admin/account --data-urlencode "current=$(pw reporter)" -d password=a-new-secret-9 -d again=a-new-secret-8)
expect 400 "a repetition that differs"
got=$(req reporter POST /admin/account --data-urlencode "current=$(pw reporter)" -d password=short -d again=short)
expect 400 "a password too short"
got=$(req reporter POST /admin/account --data-urlencode "current=$(pw reporter)" -d password=a-new-secret-9 -d again=a-new-secret-9)
expect 303 "the password changed"
[ "$(location)" = "/admin/signin?changed=1" ] || fail "not sent to sign in again: $(location)"
got=$(req reporter GET /admin/); expect 303 "the session ended with the old password"
got=$(req - GET "/admin/signin?changed=1"); contains "$T/out.html" "Sign in with the new one"
got=$(req - POST /admin/signin -d login=reporter --data-urlencode "password=$(pw reporter)"); expect 403 "the old password"
signin reporter a-new-secret-9
got=$(req admin GET "/admin/audit"); contains "$T/out.html" "user.password"
ok "your own password: the current one checked, repeated, long enough; every session ends"

got=$(req editor POST /admin/signout); expect 303 "sign out"
got=$(req editor GET /admin/); expect 303 "signed out"
ok "sign out"
