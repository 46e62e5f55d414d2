#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# http_hostile.sh - src/http/ over real HTTP on 127.0.0.1 (free ports), driven by curl,
# bash /dev/tcp and python3 sockets against tests/http/echo_server.c: keep-alive reuse,
# HEAD, 405, 413, 431, smuggling, pipelining, path traversal, thousands of idle
# connections and the per-address and total limits, idle timeouts, SIGTERM with a slow
# request in flight, SIGHUP, the access log, generic error pages.
# HTTP_ECHO_SERVER names the test server (default: next to $MASTHEAD); skipped without it.
source "$(dirname "$0")/lib/common.bash"

ECHO=${HTTP_ECHO_SERVER:-$(dirname "$MASTHEAD")/http_echo_server}
if [ ! -x "$ECHO" ]; then
  echo "skip: no echo server at '$ECHO' (set HTTP_ECHO_SERVER)"
  exit 77
fi
if ! command -v curl >/dev/null || ! command -v python3 >/dev/null; then
  echo "skip: needs curl and python3"
  exit 77
fi

PIDS=()
at_exit 'for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done' 

# start_echo NAME ARGS...: run the echo server in the background; sets PID and PORT.
start_echo() {
  local name=$1; shift
  "$ECHO" "$@" > "$T/$name.out" 2> "$T/$name.err" &
  PID=$!
  PIDS+=("$PID")
  for _ in $(seq 200); do grep -q '^port ' "$T/$name.out" 2>/dev/null && break; sleep 0.05; done
  PORT=$(awk '/^port /{print $2}' "$T/$name.out")
  [ -n "$PORT" ] || { cat "$T/$name.err" >&2; fail "echo server '$name' did not start"; }
  URL="http://127.0.0.1:$PORT"
}
# stop_echo: SIGTERM, and the server must exit 0 with every cached body released.
stop_echo() {
  kill -TERM "$PID"
  local rc=0; wait "$PID" || rc=$?
  [ "$rc" = 0 ] || fail "echo server exited $rc"
}
# code ARGS...: the HTTP status curl gets (000 when the connection failed).
code() { curl -s -o /dev/null --max-time 10 -w '%{http_code}' "$@" || true; }
# raw TEXT: send TEXT (printf escapes) on one connection, print all the answers until the
# server closes or 3 s pass.
raw() {
  python3 - "$PORT" "$1" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.settimeout(3)
s.sendall(sys.argv[2].encode("latin1").decode("unicode_escape").encode("latin1"))
out = b""
try:
    while True:
        d = s.recv(65536)
        if not d:
            out += b"<closed>"
            break
        out += d
except socket.timeout:
    out += b"<open>"
except ConnectionResetError:
    out += b"<reset>"
sys.stdout.write(out.decode("latin1"))
PY
}

ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "file descriptor limit: $(ulimit -n)"

start_echo main --log json --log-file "$T/access.json" --max-body 1000 --max-header 8192 \
  --max-conn 12000 --per-ip 256 --timeout 30

# --- keep-alive: curl reuses one connection for two URLs ------------------------------------
curl -sv --max-time 10 "$URL/one" "$URL/two" > "$T/ka.out" 2> "$T/ka.err"
grep -qi 're-using existing connection' "$T/ka.err" || { cat "$T/ka.err" >&2; fail "keep-alive"; }
lacks "$T/ka.err" "Connection: close"
contains "$T/ka.out" "path=/one"; contains "$T/ka.out" "path=/two"
ok "keep-alive: two requests on one connection"

# --- HEAD answers like GET, without the body, with the same length --------------------------
curl -s --max-time 10 -D "$T/get.h" -o "$T/get.b" "$URL/bytes?n=1234"
curl -s --max-time 10 -I "$URL/bytes?n=1234" > "$T/head.h"
[ "$(stat -c %s "$T/get.b")" = 1234 ] || fail "GET body"
contains "$T/head.h" "Content-Length: 1234"
ok "HEAD"

# --- methods ------------------------------------------------------------------------------------
for m in OPTIONS TRACE PATCH BREW; do
  curl -s --max-time 10 -X "$m" -D "$T/m.h" -o /dev/null "$URL/x"
  contains "$T/m.h" "HTTP/1.1 405"; contains "$T/m.h" "Allow: GET, HEAD, POST, PUT, DELETE"
done
[ "$(code -X DELETE "$URL/x")" = 200 ] || fail "DELETE"
[ "$(code -X PUT -d x "$URL/x")" = 200 ] || fail "PUT"
ok "405 with Allow for other methods"

# --- limits: body, headers, path ----------------------------------------------------------------
head -c 2000 /dev/zero | tr '\0' a > "$T/big.body"
[ "$(code --data-binary @"$T/big.body" "$URL/x")" = 413 ] || fail "413 body"
head -c 1000 /dev/zero | tr '\0' a > "$T/ok.body"
curl -s --max-time 10 --data-binary @"$T/ok.body" "$URL/x" > "$T/ok.out"
contains "$T/ok.out" "body-bytes=1000"
BIG=$(head -c 20000 /dev/zero | tr '\0' h)
got=$(code -H "X-Big: $BIG" "$URL/x")
[ "$got" = 431 ] || [ "$got" = 000 ] || fail "oversized headers gave $got"
[ "$(code "$URL/$(head -c 3000 /dev/zero | tr '\0' p)")" = 414 ] || fail "414"
ok "413 body, $got oversized headers, 414 long path"

# --- request smuggling: Content-Length with Transfer-Encoding -----------------------------------
SMUGGLED='GET /smuggled HTTP/1.1\r\nHost: t\r\n\r\n'
CLTE='POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n'
CLCL='POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nContent-Length: 30\r\n\r\n'
raw "${CLTE}0\\r\\n\\r\\n$SMUGGLED" > "$T/smuggle"
contains "$T/smuggle" "HTTP/1.1 400"; lacks "$T/smuggle" "/smuggled"
contains "$T/smuggle" "<closed>"
raw "${CLCL}abc$SMUGGLED" > "$T/smuggle2"
contains "$T/smuggle2" "HTTP/1.1 400"; lacks "$T/smuggle2" "/smuggled"
ok "CL+TE and double Content-Length: 400 and closed"

# --- pipelining: two requests in one write, answered in order (bash /dev/tcp) -------------------
exec 3<>"/dev/tcp/127.0.0.1/$PORT"
printf 'GET /first HTTP/1.1\r\nHost: t\r\n\r\n%b' \
  'GET /second?x=1 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' >&3
timeout 10 cat <&3 > "$T/pipe" || true
exec 3<&-
[ "$(grep -c '^HTTP/1.1 200' "$T/pipe")" = 2 ] || { cat "$T/pipe" >&2; fail "pipelining"; }
first=$(grep -n '^path=/first' "$T/pipe" | cut -d: -f1)
second=$(grep -n '^path=/second' "$T/pipe" | cut -d: -f1)
[ -n "$first" ] && [ -n "$second" ] && [ "$first" -lt "$second" ] || fail "pipelined order"
ok "pipelining"

# --- path traversal and other hostile paths: 400, and the body says nothing more ---------------
for p in '/../etc/passwd' '/a/%2e%2e/%2e%2e/etc/passwd' '/%2E%2E/' '/a%2fb' '/a%2F..%2Fb' \
         '/a%00b' '/%c0%af' '/%c0%ae%c0%ae/etc' '/a%5c..%5cb' '/a//b' '/a/./b' '/%zz' '/%' \
         '/a%0d%0aSet-Cookie:%20x=1' '/?q=%00' '/%ed%a0%80'; do
  c=$(curl -s --max-time 10 --path-as-is -o "$T/trav.b" -w '%{http_code}' "$URL$p")
  [ "$c" = 400 ] || fail "'$p' gave $c"
  contains "$T/trav.b" "echo error page 400"
done
c=$(raw 'GET /a\\..\\b HTTP/1.1\r\nHost: t\r\n\r\n' | head -1)
case "$c" in "HTTP/1.1 400"*) ;; *) fail "backslash path gave '$c'" ;; esac
ok "hostile paths refused with 400"

# --- thousands of idle connections from many addresses; others are still served ---------------
WANT=10000
FDS=$(ulimit -n)
[ "$FDS" -gt $((WANT + 200)) ] || WANT=$((FDS - 200))
[ "$WANT" -ge 2000 ] || WANT=2000
python3 - "$PORT" "$WANT" "$URL" > "$T/idle.out" 2>&1 <<'PY' \
  || { cat "$T/idle.out" >&2; fail "idle connections"; }
import socket, subprocess, sys, time
port, want, url = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
socks = []
per_ip = 200  # under the server's --per-ip 256
t0 = time.time()
for i in range(want):
    s = socket.socket()
    s.bind(("127.0.0.%d" % (10 + i // per_ip), 0))
    s.settimeout(10)
    s.connect(("127.0.0.1", port))
    socks.append(s)
opened = time.time() - t0
if want >= 1000:
    time.sleep(0.5)
# a normal client is still served, quickly
t1 = time.time()
r = subprocess.run(["curl", "-s", "--max-time", "10", "-o", "/dev/null", "-w", "%{http_code}",
                    url + "/still-serving"], capture_output=True, text=True)
took = time.time() - t1
# the idle ones are all still open (not yet timed out)
alive = 0
for s in socks:
    s.setblocking(False)
    try:
        alive += s.recv(1) != b""
    except BlockingIOError:
        alive += 1
print("opened %d idle connections in %.1f s; %d still open; a request meanwhile: %s in %.3f s"
      % (want, opened, alive, r.stdout, took))
for s in socks:
    s.close()
sys.exit(0 if r.stdout == "200" and took < 5 and alive == want else 1)
PY
cat "$T/idle.out"
[ "$(code "$URL/after-idle")" = 200 ] || fail "served after the idle connections"
ok "$WANT idle connections held while others are served"

# --- error pages never show internals -------------------------------------------------------------
curl -s --max-time 10 -D "$T/e.h" -o "$T/e.b" "$URL/rc/db"
contains "$T/e.h" "HTTP/1.1 500"; contains "$T/e.b" "echo error page 500"
[ "$(code "$URL/rc/notfound")" = 404 ] && [ "$(code "$URL/rc/gone")" = 410 ] \
  && [ "$(code "$URL/rc/forbidden")" = 403 ] && [ "$(code "$URL/rc/timeout")" = 503 ] \
  || fail "rc statuses"
curl -s --max-time 10 "$URL/header?v=a%0d%0aSet-Cookie:%20evil" -D "$T/inj.h" -o /dev/null
contains "$T/inj.h" "HTTP/1.1 400"; lacks "$T/inj.h" "evil"
ok "rc to status, header injection refused"

# --- the access log: exactly one JSON line per request -----------------------------------------
# A line is written once its response is sent, so the client may finish
# first: wait for the lines (not a fixed time), then count them per request.
for i in 1 2 3; do
  curl -s --max-time 10 -o /dev/null -A "agent $i" -e "http://ref/$i" "$URL/log/$i?x=$i"
done
log_lines() { grep -c '"path":"/log/' "$T/access.json" || true; }
for _ in $(seq 100); do [ "$(log_lines)" -ge 3 ] && break; sleep 0.05; done
sleep 0.1 # a fourth (duplicate) line would have shown by now
[ "$(log_lines)" = 3 ] || fail "three requests, $(log_lines) log lines"
for i in 1 2 3; do
  [ "$(grep -c "\"path\":\"/log/$i?x=$i\"" "$T/access.json")" = 1 ] || fail "request $i: not one log line"
done
python3 - "$T/access.json" <<'PY' || fail "access log JSON"
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
for l in lines:
    j = json.loads(l)
    assert set(j) == {"time", "remote", "method", "path", "status", "bytes", "ms", "referer",
                      "ua"}, j
last = [j for j in map(json.loads, lines) if j["path"].startswith("/log/")]
assert len(last) == 3, last
for i, j in enumerate(last, 1):
    assert j["path"] == "/log/%d?x=%d" % (i, i) and j["ua"] == "agent %d" % i, j
    assert j["referer"] == "http://ref/%d" % i and j["status"] == 200 and j["method"] == "GET", j
    assert j["remote"] == "127.0.0.1" and j["bytes"] > 0 and j["ms"] >= 0, j
    assert j["time"].endswith("Z"), j
statuses = {j["path"]: j["status"] for j in map(json.loads, lines)}
assert statuses.get("/a%00b") == 400 and statuses.get("/rc/db") == 500, statuses
PY
ok "access log: one JSON line per request ($(wc -l < "$T/access.json") lines)"

# --- SIGHUP reloads, SIGTERM lets a slow request finish ------------------------------------------
kill -HUP "$PID"
for _ in $(seq 100); do grep -q '^reload 1$' "$T/main.out" && break; sleep 0.05; done
contains "$T/main.out" "reload 1"
[ "$(code "$URL/after-reload")" = 200 ] || fail "serving after SIGHUP"
ok "SIGHUP calls reload and serving goes on"

curl -s --max-time 20 -D "$T/slow.h" -o "$T/slow.b" "$URL/slow?ms=3000" & CURL=$!
sleep 0.5
t0=$(date +%s%N)
kill -TERM "$PID"
# the listener closes as soon as the signal is handled (a loaded machine may
# take a moment), while the slow request still runs
refused=0
for _ in $(seq 40); do
  [ "$(code --max-time 1 "$URL/late")" = 000 ] && { refused=1; break; }
  sleep 0.05
done
[ $refused = 1 ] && kill -0 "$CURL" 2>/dev/null || fail "new connections were still accepted while stopping"
rc=0; wait "$PID" || rc=$?
t1=$(date +%s%N)
[ "$rc" = 0 ] || fail "server exit $rc after SIGTERM"
wait "$CURL" || fail "slow request cut off"
contains "$T/slow.h" "HTTP/1.1 200"; contains "$T/slow.h" "Connection: close"
contains "$T/slow.b" "path=/slow"
contains "$T/main.out" "stopped, 0 bodies outstanding"
ok "SIGTERM: the slow request finished ($(( (t1 - t0) / 1000000 )) ms to stop), new ones refused"

# --- per-address and total connection limits, idle timeout, combined log -------------------------
start_echo limits --per-ip 20 --max-conn 60 --timeout 2 --log combined --log-file "$T/access.log"
python3 - "$PORT" "$URL" "$PID" > "$T/limits.out" 2>&1 <<'PY' \
  || { cat "$T/limits.out" >&2; fail "limits"; }
import os, socket, subprocess, sys, time
port, url, pid = int(sys.argv[1]), sys.argv[2], sys.argv[3]
def server_sockets():  # accepted connections, plus the listening socket
    fds = "/proc/%s/fd" % pid
    return sum(os.readlink(fds + "/" + f).startswith("socket:") for f in os.listdir(fds)) - 1
def open_from(ip, n):
    socks = []
    for _ in range(n):
        s = socket.socket()
        s.bind((ip, 0))
        s.connect(("127.0.0.1", port))
        socks.append(s)
    time.sleep(0.5)
    alive = []
    for s in socks:
        s.setblocking(False)
        try:
            if s.recv(1) != b"":
                alive.append(s)
        except BlockingIOError:
            alive.append(s)
        except ConnectionResetError:
            pass
    return socks, alive
def get():
    return subprocess.run(["curl", "-s", "--max-time", "5", "-o", "/dev/null", "-w", "%{http_code}",
                           url + "/x"], capture_output=True, text=True).stdout
one, alive = open_from("127.0.0.2", 40)
print("per address: %d of 40 kept (limit 20); another address meanwhile: %s" % (len(alive), get()))
assert len(alive) == 20, len(alive)
assert get() == "200"
more = []
for ip in ("127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.0.6"):
    more += open_from(ip, 20)[0]
held = server_sockets()
print("in total: the server holds %d connections of 100 (limit 60); the rest wait in the "
      "kernel's backlog" % held)
assert 40 <= held <= 60, held
for s in one + more:
    s.close()
time.sleep(0.5)
assert get() == "200"
# idle timeout: a silent connection and a half-sent request are closed after ~2 s
quiet = socket.create_connection(("127.0.0.1", port))
slow = socket.create_connection(("127.0.0.1", port))
slow.sendall(b"GET /half HTTP/1.1\r\nHo")
t0 = time.time()
for s in (quiet, slow):
    s.settimeout(10)
    assert s.recv(100) == b""
took = time.time() - t0
print("idle connections closed after %.1f s (timeout 2 s)" % took)
assert 1.0 < took < 5.0
PY
cat "$T/limits.out"
stop_echo
LINE_RE='^127\.0\.0\.1 - - \[[0-9]{2}/[A-Z][a-z]{2}/[0-9]{4}(:[0-9]{2}){3} \+0000\] '
LINE_RE+='"GET /x HTTP/1\.1" 200 [0-9]+ "-" "curl/[^"]+"$'
grep -qE "$LINE_RE" "$T/access.log" \
  || { cat "$T/access.log" >&2; fail "combined log line"; }
contains "$T/access.log" '"- /half -" 408 0'
ok "per-address and total limits, idle timeout, combined log format"

# --- the generic error page when the site gives none ----------------------------------------------
start_echo plain --plain-errors
curl -s --max-time 10 -o "$T/g.b" "$URL/rc/db"
contains "$T/g.b" "<h1>500 Internal Server Error</h1>"
lacks "$T/g.b" "db"
stop_echo
ok "generic error page"
