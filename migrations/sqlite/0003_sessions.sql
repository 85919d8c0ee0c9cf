-- Back-office sessions and sign-in protection.
-- A session's row holds only a hash of its id; the organisation's key is kept
-- sealed under a secret that lives in the session cookie alone.

CREATE TABLE sessions (
    id_hash         TEXT PRIMARY KEY,
    user_id         TEXT NOT NULL REFERENCES users(id),
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    sealed_org_key  BLOB,
    created_at      INTEGER NOT NULL,
    last_seen_at    INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

ALTER TABLE users ADD COLUMN failed_sign_ins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until INTEGER;
-- The last TOTP time step accepted, so a code cannot be used twice.
ALTER TABLE users ADD COLUMN last_totp_step INTEGER;
