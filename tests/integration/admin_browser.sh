#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# admin_browser.sh - tests/e2e/admin.mjs: the newsroom's journeys in Debian's
# Chromium (playwright-core) against `masthead serve` on a demo site, on the
# real clock (the scheduler must publish at the minute it was given), and every
# payload of xss-public.json through the article fields.  Screenshots of each
# admin screen go to the build folder (e2e-shots/admin-*.png).  Skipped (77)
# without Chromium or playwright-core.
source "$(dirname "$0")/lib/common.bash"
[ -x /usr/bin/chromium ] || { echo "skip: no /usr/bin/chromium"; exit 77; }
[ -d "$MH_SRC/node_modules/playwright-core" ] || { echo "skip: no node_modules/playwright-core (run scripts/bootstrap)"; exit 77; }
xss="${MH_SHARED:-$MH_SRC/../shared}/conformance/xss-public.json"
[ -f "$xss" ] || fail "no $xss"
shots="$(dirname "$MASTHEAD")/e2e-shots"
mkdir -p "$shots"

"$MASTHEAD" demo "$T/site" --articles 60 --seed 21 > "$T/demo.out"
pw() { awk -v u="$1" '$1 == u { print $3 }' "$T/demo.out"; }
start_serve "$T/site"
HOME="$T" MH_SRC="$MH_SRC" PW_REPORTER="$(pw reporter)" PW_EDITOR="$(pw editor)" \
  PW_CHIEF="$(pw chief)" PW_ADMIN="$(pw admin)" XSS="$xss" \
  timeout 300 node "$MH_SRC/tests/e2e/admin.mjs" "$base" "$shots"
