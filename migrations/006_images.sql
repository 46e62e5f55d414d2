-- SPDX-License-Identifier: MIT
-- 006_images.sql - what the media module makes of the library's images
-- (issue 4): resized and cropped derivatives in JPEG and WebP, and which
-- media rows have been through the theme's current list of sizes.

-- One derivative file: VARIANT is a crop name of the theme's [images]
-- ('lead', 'thumb', ...) or 'w' for the uncropped widths; the crop rectangle
-- is in the original's pixels, around its focal point.
CREATE TABLE image_derivative (
    media_id INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,
    variant TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    format TEXT NOT NULL CHECK (format IN ('jpg', 'webp')),
    crop_x INTEGER NOT NULL,
    crop_y INTEGER NOT NULL,
    crop_w INTEGER NOT NULL,
    crop_h INTEGER NOT NULL,
    path TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (media_id, variant, width, height, format)
) WITHOUT ROWID;

-- A media row made for SPEC (a digest of the theme's [images] list and the
-- focal point): made once.  ERROR is why it could not be made ('' when it was).
CREATE TABLE image_done (
    media_id INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,
    spec TEXT NOT NULL,
    error TEXT NOT NULL DEFAULT '',
    done_at INTEGER NOT NULL,
    PRIMARY KEY (media_id, spec)
) WITHOUT ROWID;

-- the media library lists the newest first
CREATE INDEX media_by_created ON media(created_at, id);

-- Pages show an image's derivatives once they are made: every visible
-- article using the image has changed (the change log of
-- 002_changes.sql), so the cached pages showing it, its own and the lists
-- carrying its card, are made again.
CREATE TRIGGER change_image_done AFTER INSERT ON image_done
BEGIN
    INSERT INTO change_log(kind, edition, article_id, channel_id)
    SELECT 'article', a.edition, a.id, a.channel_id
    FROM article_media am JOIN article a ON a.id = am.article_id
    WHERE am.media_id = NEW.media_id AND a.status IN ('published', 'withdrawn');
END;
