-- SPDX-License-Identifier: MIT
-- 008_api_tokens: bearer tokens of the JSON API.  Only a BLAKE2b digest of
-- each token is kept (the token itself is shown once, by `masthead token
-- create`); prefix is its first characters, so a list can name a token
-- without revealing it.  A revoked token stays listed with its revoked_at.
CREATE TABLE api_token (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
    hash BLOB NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at INTEGER
);
CREATE INDEX api_token_by_user ON api_token(user_id);
