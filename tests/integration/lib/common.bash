# SPDX-License-Identifier: MIT
# common.bash - sourced by every integration test: strict mode, a scratch
# folder removed on success (kept on failure, for the evidence), and small
# assertions.  MASTHEAD is the binary under test (set by CTest).
set -euo pipefail
: "${MASTHEAD:?set MASTHEAD to the masthead binary}"
export MH_NO_PROGRESS=1
T=$(mktemp -d "${TMPDIR:-/tmp}/mh-it-XXXXXX")
# at_exit CMD: run CMD when the test ends, before the scratch folder goes.
exit_cmds=()
at_exit() { exit_cmds+=("$1"); }
finish() {
  local rc=$? c
  for c in "${exit_cmds[@]}"; do eval "$c" || true; done
  if [ $rc = 0 ]; then rm -rf "$T"; else echo "left $T for inspection" >&2; fi
}
trap finish EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok - $*"; }

# expect_status WANT CMD...: run CMD, check its exit status.
expect_status() {
  local want=$1; shift
  set +e; "$@"; local got=$?; set -e
  [ "$got" = "$want" ] || fail "'$*' exited $got, expected $want"
}

# contains FILE TEXT: FILE holds TEXT (fixed string).
contains() { grep -qF -- "$2" "$1" || { cat "$1" >&2; fail "'$1' lacks '$2'"; }; }
lacks() { ! grep -qF -- "$2" "$1" || { cat "$1" >&2; fail "'$1' has '$2'"; }; }

# count_articles DIR: the number of articles stored, asked through SQLite itself.
count_articles() { sqlite3 "$1/masthead.db" 'SELECT count(*) FROM article'; }

# gen_jsonl N FILE [START_ID]: N valid generated articles, ids from START_ID.
gen_jsonl() {
  python3 - "$1" "$2" "${3:-900000}" <<'PY'
import json, sys
n, path, start = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
words = "lab sensor battery orbit robot river seed model grid quantum field crop".split()
with open(path, "w") as f:
    for i in range(n):
        body = " ".join(words[(i * 7 + k) % len(words)] for k in range(400))
        f.write(json.dumps({
            "id": start + i, "edition": "english" if i % 3 else "zh", "channel": "news",
            "title": f"Generated report number {i}", "authors": ["TEST Writer"],
            "keywords": ["test", words[i % len(words)]], "abstract": "A generated line.",
            "body": body, "status": "published",
            "published_at": "2026-01-%02dT08:00:00.000+08:00" % (1 + i % 28),
        }, ensure_ascii=False) + "\n")
PY
}

# start_serve SITE: run `masthead serve SITE` on a free port in the background,
# stopped when the test ends; sets pid and base (http://127.0.0.1:PORT).
start_serve() {
  # Empty the log here, not in the child's redirection: a second start in one
  # test must not read the port of the server before it (the child truncates
  # the file only once it runs, and the loop below may read it first).
  : > "$T/serve.err"
  "$MASTHEAD" serve "$1" --listen 127.0.0.1:0 --threads 2 > "$T/access.log" 2> "$T/serve.err" &
  pid=$!
  at_exit 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' # it may still be writing (image derivatives)
  at_exit '[ -s "$T/serve.err" ] && sed -n "2,40p" "$T/serve.err" >&2'
  local port="" _
  for _ in $(seq 1 200); do
    port=$(grep -o 'http://127.0.0.1:[0-9]*' "$T/serve.err" | head -1 | sed 's/.*://' || true)
    [ -n "$port" ] && break
    sleep 0.05
  done
  [ -n "$port" ] || { cat "$T/serve.err"; fail "serve did not start"; }
  base="http://127.0.0.1:$port"
}

# first_link URL PATTERN: the first match of PATTERN in the page at URL, in $link.
# (The page goes to a file first: with pipefail, "curl | grep -q" fails when
# grep stops reading early and curl gets SIGPIPE.)
first_link() {
  curl -s -o "$T/first_link.html" "$1"
  link=$(grep -o -- "$2" "$T/first_link.html" | sed -n 1p || true)
  [ -n "$link" ] || fail "no link like '$2' in $1"
}
