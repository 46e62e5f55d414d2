#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# images.sh - the image path without an upload: `masthead images add` ingests
# files (metadata really gone, checked with exiftool; the orientation applied;
# the type from the bytes), refuses bombs, truncated files and non-images with
# clear words; an import uses the image; `masthead images` makes the
# derivatives (and `masthead serve` does in the background); the served pages
# carry srcset and a WebP source, and every derivative URL answers 200 with
# its type, cached as immutable.  Pages work
# before any derivative exists.  Images are made here (Python's zlib, then
# masthead's own JPEG derivatives), never copied.
source "$(dirname "$0")/lib/common.bash"
command -v exiftool >/dev/null || { echo "skip: exiftool (libimage-exiftool-perl) is not installed"; exit 77; }
export MH_NOW_MS=1780000000000

"$MASTHEAD" init "$T/site" > /dev/null

# a 900x600 PNG gradient, and a tiny PNG whose header claims 30000x30000
python3 - "$T" <<'PY'
import struct, sys, zlib
t = sys.argv[1]
def png(path, w, h, rows):
    def chunk(k, d): return struct.pack('>I', len(d)) + k + d + struct.pack('>I', zlib.crc32(k + d))
    open(path, 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0))
                           + chunk(b'IDAT', zlib.compress(rows)) + chunk(b'IEND', b''))
w, h = 900, 600
png(f'{t}/grad.png', w, h, b''.join(b'\0' + bytes(v for x in range(w) for v in (x * 255 // w, y * 255 // h, 90)) for y in range(h)))
png(f'{t}/bomb.png', 30000, 30000, b'\0' * 64)
PY
cp "$T/grad.png" "$T/grad-named.jpg"   # a PNG under a JPEG name
"$MASTHEAD" images add "$T/site" "$T/grad-named.jpg" --caption "Gradient test card" \
  --credit "Photo: Test Desk" --alt "A blue-green gradient" --focal 0.5,0.2 > "$T/out"
contains "$T/out" "added media 1: media/"
contains "$T/out" ".png (900x600, image/png"
ok "type from the bytes, not the name"

# a JPEG: masthead's own derivative of the gradient, then EXIF put in with exiftool
"$MASTHEAD" images "$T/site" > "$T/out"
contains "$T/out" "made the derivatives of 1 images"
src=$(ls "$T"/site/media/*/*_w_*_900x600.jpg | head -1)
[ -f "$src" ] || fail "no 900-wide JPEG derivative"
cp "$src" "$T/photo.jpg"
exiftool -q -overwrite_original -Artist="Secret Photographer" -GPSLatitude=31.2 -GPSLatitudeRef=N \
  -GPSLongitude=121.4 -GPSLongitudeRef=E -Orientation#=6 -Comment="taken at home" "$T/photo.jpg"
exiftool -s -s -s -Artist "$T/photo.jpg" | grep -q "Secret Photographer" || fail "exiftool did not write"
"$MASTHEAD" images add "$T/site" "$T/photo.jpg" --caption "Upright" > "$T/out"
contains "$T/out" "(600x900, image/jpeg"          # turned a quarter by its Orientation
stored="$T/site/$(sed -n 's/.*: \(media\/[^ ]*\) (.*/\1/p' "$T/out")"
exiftool -a -G1 "$stored" > "$T/exif"
lacks "$T/exif" "Secret Photographer"
lacks "$T/exif" "GPS"
lacks "$T/exif" "taken at home"
lacks "$T/exif" "Orientation"
ok "EXIF, GPS and comments stripped, orientation applied"

# refusals, each with its reason and nothing stored
expect_status 1 "$MASTHEAD" images add "$T/site" "$T/bomb.png" 2> "$T/err"
contains "$T/err" "too many pixels: 30000x30000"
head -c 2000 "$T/photo.jpg" > "$T/cut.jpg"
expect_status 1 "$MASTHEAD" images add "$T/site" "$T/cut.jpg" 2> "$T/err"
contains "$T/err" "truncated or damaged"
echo "<html>hello</html>" > "$T/page.png"
expect_status 1 "$MASTHEAD" images add "$T/site" "$T/page.png" 2> "$T/err"
contains "$T/err" "not a JPEG, PNG, GIF or WebP image"
printf '[images]\nmax_mb = 1\n' >> "$T/site/masthead.conf"
head -c 1500000 /dev/urandom > "$T/big.bin"
expect_status 1 "$MASTHEAD" images add "$T/site" "$T/big.bin" 2> "$T/err"
contains "$T/err" "too big"
[ "$(sqlite3 "$T/site/masthead.db" 'SELECT count(*) FROM media')" = 2 ] || fail "a refused file left a row"
ok "bombs, truncated files, non-images and oversized files refused"

# the media library finds by caption, credit or alt text
"$MASTHEAD" images find "$T/site" --text "test desk" > "$T/out"
contains "$T/out" "Gradient test card"
contains "$T/out" "1 images match"
ok "media library search"

# an article using the images: the PNG as its lead, the JPEG in its body
body_img=$(sqlite3 "$T/site/masthead.db" "SELECT path FROM media WHERE mime = 'image/jpeg'")
python3 - "$T/a.jsonl" "$T/grad.png" "$body_img" "$T/site/$body_img" <<'PY'
import json, sys
path, lead, rel, abs_ = sys.argv[1:5]
open(path, "w").write(json.dumps({
    "id": 7001, "edition": "english", "channel": "news", "title": "Gradients in the newsroom",
    "authors": ["Test Writer"], "abstract": "A test.", "status": "published",
    "body": f"First paragraph.\n\n![Upright photo](/{rel})\n\nMore text.",
    "published_at": "2026-05-01T08:00:00.000+08:00",
    "images": [{"file": lead, "caption": "The lead gradient", "credit": "Photo: Test Desk",
                "alt": "A gradient"},
               {"file": abs_, "caption": "Upright", "alt": "Upright photo"}]}) + "\n")
PY
"$MASTHEAD" import "$T/site" "$T/a.jsonl" > /dev/null 2> "$T/err" || { cat "$T/err"; fail "import"; }
url=$(sqlite3 "$T/site/masthead.db" "SELECT strftime('/english/%Y-%m/%d/', first_published_at / 1000 + 8 * 3600, 'unixepoch') || 'content_' || id || '.html' FROM article WHERE id = 7001")

get() { # get PATH -> status in $status, headers in $T/h, body in $T/b
  rm -f "$T/b"; : > "$T/b"
  status=$(curl -s -o "$T/b" -D "$T/h" -w '%{http_code}' "$@")
}

# before any derivative (as right after an upload): forget those made above, and
# serve with a theme that asks for none, so no background thread makes them
sqlite3 "$T/site/masthead.db" 'DELETE FROM image_derivative; DELETE FROM image_done'
mkdir -p "$T/plain"; cp -r "$MH_SRC/themes/default/." "$T/plain/"
printf '[images]\n' > "$T/plain/theme.ini"
"$MASTHEAD" serve "$T/site" --listen 127.0.0.1:0 --threads 2 --theme "$T/plain" > /dev/null 2> "$T/plain.err" &
ppid_=$!; at_exit 'kill $ppid_ 2>/dev/null'
for _ in $(seq 1 100); do grep -q 'http://' "$T/plain.err" && break; sleep 0.05; done
pbase=$(grep -o 'http://127.0.0.1:[0-9]*' "$T/plain.err" | head -1)
get "$pbase$url"; [ "$status" = 200 ] || fail "article $status"
lead_png=$(sqlite3 "$T/site/masthead.db" "SELECT path FROM media WHERE mime = 'image/png'")
contains "$T/b" "<img src=\"/$lead_png\""
kill $ppid_; wait $ppid_ 2>/dev/null || true
ok "pages work before derivatives exist (the original)"

# served with the default theme: its background thread makes the sizes, and the
# change log drops the cached page, which then carries them
start_serve "$T/site"
for _ in $(seq 1 100); do
  get "$base$url"; [ "$status" = 200 ] || fail "article $status"
  grep -q '<source type="image/webp"' "$T/b" && grep -q "<img src=\"/$body_img\" srcset=" "$T/b" && break
  sleep 0.2
done
contains "$T/b" '<source type="image/webp" srcset="/media/'
contains "$T/b" '_lead_'
contains "$T/b" 'sizes="(min-width: 48em) 46rem, 100vw"'
grep -q "<img src=\"/$body_img\" srcset=\"/media/" "$T/b" || { grep -o '<img[^>]*>' "$T/b" >&2; fail "the body image has no srcset"; }
# every derivative URL in the page answers 200 with its type, immutable
grep -o '/media/[0-9a-f][0-9a-f]/[0-9a-f]\{64\}_[a-z0-9]*_[0-9X]*_[0-9x]*\.\(jpg\|webp\)' "$T/b" | sort -u > "$T/urls"
[ "$(wc -l < "$T/urls")" -ge 6 ] || { cat "$T/urls"; fail "too few derivative URLs"; }
while read -r u; do
  get "$base$u"; [ "$status" = 200 ] || fail "$u gives $status"
  case "$u" in
    *.webp) grep -qi '^content-type: image/webp' "$T/h" || fail "$u type" ;;
    *.jpg) grep -qi '^content-type: image/jpeg' "$T/h" || fail "$u type" ;;
  esac
  grep -qi '^cache-control: public, max-age=31536000, immutable' "$T/h" || fail "$u not immutable"
  magic=$(head -c 12 "$T/b" | od -An -tx1 | tr -d ' \n')
  case "$magic" in ffd8ff*|52494646????????57454250) ;; *) fail "$u is not a JPEG or WebP ($magic)" ;; esac
done < "$T/urls"
get "$base/media/00/$(printf '0%.0s' $(seq 1 64))_lead_0X0X1X1_1x1.jpg"; [ "$status" = 404 ] || fail "a missing derivative gives $status"
get "$base/media/00/$(printf '0%.0s' $(seq 1 64))_lead_0X0X1X1_1x1.png"; [ "$status" = 404 ] || fail "a bad derivative name gives $status"
ok "srcset, WebP sources and derivative URLs ($(wc -l < "$T/urls") files)"

# the front page's card for it carries the lead crops
get "$base/english/"; contains "$T/b" '_lead_'
ok "front page"
