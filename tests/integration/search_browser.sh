#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# search_browser.sh - tests/e2e/search.mjs against a demo site served on a free port,
# in Debian's Chromium through playwright-core; screenshots land in the build folder
# (e2e-shots/search-*.png).  Skipped (77) where Chromium or playwright-core is missing.
source "$(dirname "$0")/lib/common.bash"
export MH_NOW_MS=1780000000000
[ -x /usr/bin/chromium ] || { echo "skip: no /usr/bin/chromium"; exit 77; }
[ -d "$MH_SRC/node_modules/playwright-core" ] || { echo "skip: no node_modules/playwright-core (run scripts/bootstrap)"; exit 77; }
shots="$(dirname "$MASTHEAD")/e2e-shots"
mkdir -p "$shots"

"$MASTHEAD" demo "$T/site" --articles 200 --seed 11 > /dev/null
start_serve "$T/site"
HOME="$T" MH_SRC="$MH_SRC" timeout 120 node "$MH_SRC/tests/e2e/search.mjs" "$base" "$shots"
