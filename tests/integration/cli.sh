#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli.sh - the command line itself: version, help, usage errors, init, users, check.
source "$(dirname "$0")/lib/common.bash"

"$MASTHEAD" --version | grep -qE '^masthead [0-9]+\.[0-9]+\.[0-9]+ \(schema [0-9]+\)$' \
  || fail "--version"
"$MASTHEAD" help > "$T/help"; contains "$T/help" "import"; contains "$T/help" "export"
"$MASTHEAD" help import > "$T/help-import"; contains "$T/help-import" "usage: masthead import DIR FILE"
"$MASTHEAD" import --help > "$T/help-import2"; contains "$T/help-import2" "--strict"
expect_status 2 "$MASTHEAD" frobnicate 2>"$T/err"; contains "$T/err" "'frobnicate' is not a command"
expect_status 2 "$MASTHEAD" import 2>"$T/err"; contains "$T/err" "usage: masthead import"
expect_status 2 "$MASTHEAD" demo "$T/x" --articles many 2>"$T/err"
contains "$T/err" "--articles must be a whole number"
ok "help and usage"

"$MASTHEAD" init "$T/site" > "$T/out"; contains "$T/out" "created an empty site"
[ -f "$T/site/masthead.conf" ] && [ -d "$T/site/media" ] && [ -f "$T/site/masthead.db" ] \
  || fail "site layout"
expect_status 1 "$MASTHEAD" init "$T/site" 2>"$T/err"; contains "$T/err" "is not an empty folder"
"$MASTHEAD" check "$T/site" > "$T/out"; contains "$T/out" "ok: 0 articles"
ok "init and check"

# a folder that is not a site
mkdir "$T/plain"
expect_status 1 "$MASTHEAD" check "$T/plain" 2>"$T/err"; contains "$T/err" "is not a Masthead site"
expect_status 1 "$MASTHEAD" export "$T/nowhere" 2>"$T/err"; contains "$T/err" "is not a folder"
echo "not a database at all, just some text that is long enough to be read" > "$T/plain/masthead.db"
expect_status 1 "$MASTHEAD" check "$T/plain" 2>"$T/err"; contains "$T/err" "not a database"
ok "not a site"

# a bad masthead.conf is named with its line
printf '[serve]\nthreads = lots\n' > "$T/site/masthead.conf"
expect_status 1 "$MASTHEAD" check "$T/site" 2>"$T/err"
contains "$T/err" "masthead.conf: line 2: 'lots' is not a whole number"
printf '[serve]\nthreads = 2\n' > "$T/site/masthead.conf"

# users: the password comes from standard input when it is not a terminal
echo "correct horse battery" | "$MASTHEAD" user add "$T/site" wen --role editor --name "LI Wen" > "$T/out"
contains "$T/out" "added wen (editor)"
echo "another password" | expect_status 1 "$MASTHEAD" user add "$T/site" wen --role admin 2>"$T/err"
contains "$T/err" "'wen' exists already"
echo "short" | expect_status 1 "$MASTHEAD" user add "$T/site" ann --role reporter 2>"$T/err"
contains "$T/err" "a password needs 8"
echo "long enough pw" | expect_status 2 "$MASTHEAD" user add "$T/site" ann --role intern 2>"$T/err"
contains "$T/err" "role must be reporter, editor, chief_editor or admin"
echo "long enough pw" | expect_status 2 "$MASTHEAD" user add "$T/site" 'Bad Login' --role editor 2>"$T/err"
: | expect_status 1 "$MASTHEAD" user add "$T/site" ann --role reporter 2>"$T/err"
contains "$T/err" "no password on standard input"
echo "a new password" | "$MASTHEAD" user passwd "$T/site" wen > "$T/out"
contains "$T/out" "password of wen changed"
echo "a new password" | expect_status 1 "$MASTHEAD" user passwd "$T/site" nobody 2>"$T/err"
contains "$T/err" "no user 'nobody'"
"$MASTHEAD" user list "$T/site" > "$T/out"; contains "$T/out" "wen"; contains "$T/out" "LI Wen"
# the hash is argon2id, never the password
sqlite3 "$T/site/masthead.db" "SELECT password_hash FROM user" | grep -q '^\$argon2id\$' || fail "argon2id"
sqlite3 "$T/site/masthead.db" "SELECT count(*) FROM audit WHERE action LIKE 'user.%'" | grep -qx 2 \
  || fail "audit of user changes"
ok "users"

# a database from a newer Masthead is refused, not damaged
sqlite3 "$T/site/masthead.db" "PRAGMA user_version = 999"
expect_status 1 "$MASTHEAD" check "$T/site" 2>"$T/err"; contains "$T/err" "newer Masthead"
ok "newer schema refused"
