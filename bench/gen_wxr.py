#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""bench/gen_wxr.py - write a WordPress export of about MIB mebibytes: posts of
a few kilobytes of generated HTML in a handful of categories, with tags, an
attachment every tenth post (its featured image) and a page now and then.
Written in one pass, so it makes a 2 GB file as easily as a small one.

    bench/gen_wxr.py OUT.xml MIB [--media DIR]

With --media, DIR/2025/01/lead-N.png are written for the attachments.
"""
import argparse, os, struct, zlib

ap = argparse.ArgumentParser()
ap.add_argument("out")
ap.add_argument("mib", type=float)
ap.add_argument("--media", default=None)
args = ap.parse_args()

WORDS = ("tide harbour ferry council school river bridge library market orchard rain "
         "lantern survey crane quay festival budget engineer nurse archive").split()

def png(path, seed):
    w, h = 2, 2
    raw = b"".join(b"\x00" + bytes(((seed * 37) % 256, (seed * 91) % 256, 90)) * w for _ in range(h))
    def chunk(t, d):
        c = struct.pack(">I", len(d)) + t + d
        return c + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))

if args.media:
    os.makedirs(os.path.join(args.media, "2025", "01"), exist_ok=True)

head = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>The Generated Gazette</title>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:author><wp:author_login><![CDATA[gen]]></wp:author_login><wp:author_display_name><![CDATA[Gen Writer]]></wp:author_display_name></wp:author>
"""
limit = int(args.mib * 2**20)
with open(args.out, "w", encoding="utf-8") as f:
    f.write(head)
    n = 0
    while f.tell() < limit:
        n += 1
        pid = 1000 + 2 * n
        cat = WORDS[n % 7]
        paras = "".join(
            "<p>" + " ".join(WORDS[(n * 3 + p * 5 + k) % len(WORDS)] for k in range(60)) + ".</p>\n"
            for p in range(8))
        meta = ""
        if n % 10 == 0:
            aid = pid + 1
            meta = ("<wp:postmeta><wp:meta_key><![CDATA[_thumbnail_id]]></wp:meta_key>"
                    f"<wp:meta_value><![CDATA[{aid}]]></wp:meta_value></wp:postmeta>")
            f.write(f"""<item><title>lead {n}</title><wp:post_id>{aid}</wp:post_id>
<wp:post_type><![CDATA[attachment]]></wp:post_type><wp:status><![CDATA[inherit]]></wp:status>
<wp:attachment_url><![CDATA[https://gazette.example/wp-content/uploads/2025/01/lead-{n}.png]]></wp:attachment_url>
</item>
""")
            if args.media:
                png(os.path.join(args.media, "2025", "01", f"lead-{n}.png"), n)
        kind = "page" if n % 50 == 0 else "post"
        f.write(f"""<item>
<title><![CDATA[Report {n}: the {WORDS[n % len(WORDS)]} question]]></title>
<link>https://gazette.example/2025/01/{1 + n % 28:02d}/report-{n}/</link>
<dc:creator><![CDATA[gen]]></dc:creator>
<content:encoded><![CDATA[{paras}]]></content:encoded>
<excerpt:encoded><![CDATA[A generated report, number {n}.]]></excerpt:encoded>
<wp:post_id>{pid}</wp:post_id>
<wp:post_date_gmt><![CDATA[2025-01-{1 + n % 28:02d} 08:00:00]]></wp:post_date_gmt>
<wp:status><![CDATA[publish]]></wp:status>
<wp:post_type><![CDATA[{kind}]]></wp:post_type>
<category domain="category" nicename="{cat}"><![CDATA[{cat.title()}]]></category>
<category domain="post_tag" nicename="t{n % 13}"><![CDATA[tag {n % 13}]]></category>
{meta}
</item>
""")
    f.write("</channel>\n</rss>\n")
print(n)
