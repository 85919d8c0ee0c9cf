-- Reports being written on the public form, kept between its pages so that
-- every step is a page the browser can load again (Back, reload). A row is
-- found by a keyed hash of the random token in the reporter's cookie and
-- sealed under a key derived from that token: without the reporter's
-- browser, a copy of the database reveals nothing of it. Rows go when the
-- report is sent or the draft expires; backups leave them out.
CREATE TABLE drafts (
    id_hash TEXT PRIMARY KEY,
    sealed BYTEA NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX drafts_expiry ON drafts (expires_at);
