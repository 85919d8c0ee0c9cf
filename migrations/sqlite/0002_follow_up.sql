-- Follow-up: the reporter's own key pair, and messages in both directions.
-- The reporter's private key is sealed under a key derived (Argon2id) from the
-- receipt code, which only the reporter holds; analyst messages are encrypted
-- to the organisation and to the reporter.

ALTER TABLE reports ADD COLUMN reporter_public_key TEXT;
ALTER TABLE reports ADD COLUMN reporter_sealed_key BLOB;

CREATE TABLE messages (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    report_id       TEXT NOT NULL REFERENCES reports(id),
    author          TEXT NOT NULL CHECK (author IN ('reporter', 'analyst')),
    author_user_id  TEXT REFERENCES users(id),
    sealed_body     BLOB NOT NULL,
    created_at      INTEGER NOT NULL
);
CREATE INDEX messages_report ON messages (report_id, created_at);

-- Files the reporter adds later belong to the message that carried them.
ALTER TABLE attachments ADD COLUMN message_id TEXT REFERENCES messages(id);
