#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# push_receiver.py - a stand-in for IndexNow and Baidu's push interface on
# 127.0.0.1, for tests/integration/push.sh.  It listens on a free port
# (written to PORTFILE), records every request as one JSON line in LOG
# (time, path, query, content type, body, the status it answered) and
# answers by a plan: "--plan /indexnow=429,500" answers the first two POSTs
# to /indexnow with 429 then 500, later ones with 200.  While the file
# FAILFILE exists, every request is answered 503.
import argparse
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

ap = argparse.ArgumentParser()
ap.add_argument("portfile")
ap.add_argument("log")
ap.add_argument("--plan", action="append", default=[])
ap.add_argument("--failfile", default="")
args = ap.parse_args()

plans = {}
for p in args.plan:
    path, codes = p.split("=", 1)
    plans[path] = [int(c) for c in codes.split(",") if c]
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n).decode("utf-8", "replace")
        u = urlsplit(self.path)
        with lock:
            if args.failfile and os.path.exists(args.failfile):
                code = 503
            elif plans.get(u.path):
                code = plans[u.path].pop(0)
            else:
                code = 200
            with open(args.log, "a") as f:
                f.write(json.dumps({"t": time.time(), "path": u.path, "query": u.query,
                                    "type": self.headers.get("Content-Type", ""),
                                    "body": body, "status": code}) + "\n")
        reply = b'{"success":1}' if code == 200 else b'{"error":"try later"}'
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *a):
        pass


srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(args.portfile + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(args.portfile + ".tmp", args.portfile)
srv.serve_forever()
