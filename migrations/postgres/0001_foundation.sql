-- Ward's first schema. Every record belongs to an organisation.
-- Times are milliseconds since the Unix epoch (UTC). Sensitive content is
-- stored only as ciphertext (see docs/SECURITY.md); the columns in clear are
-- the ones routing and statistics need.

CREATE TABLE organisations (
    id                   TEXT PRIMARY KEY,
    name                 TEXT NOT NULL,
    country              TEXT NOT NULL,
    -- age X25519 recipient: anyone may encrypt to the organisation.
    public_key           TEXT NOT NULL,
    -- The organisation's private key, encrypted to the recovery key.
    recovery_public_key  TEXT NOT NULL,
    recovery_wrapped_key BYTEA NOT NULL,
    created_at           BIGINT NOT NULL
);

CREATE TABLE users (
    id                 TEXT PRIMARY KEY,
    organisation_id    TEXT NOT NULL REFERENCES organisations(id),
    email              TEXT NOT NULL UNIQUE,
    role               TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'analyst')),
    -- Argon2id PHC string for sign-in.
    password_hash      TEXT NOT NULL,
    -- TOTP secret sealed under the instance key.
    totp_secret_sealed BYTEA NOT NULL,
    -- The user's age key pair; the private half sealed under a key derived from the password.
    public_key         TEXT NOT NULL,
    sealed_private_key BYTEA NOT NULL,
    disabled           BIGINT NOT NULL DEFAULT 0,
    created_at         BIGINT NOT NULL
);
CREATE INDEX users_organisation ON users (organisation_id);

-- The organisation's private key encrypted to a member's public key.
-- A member without a row here has no access to encrypted content yet.
CREATE TABLE organisation_key_grants (
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    user_id         TEXT NOT NULL REFERENCES users(id),
    wrapped_key     BYTEA NOT NULL,
    granted_at      BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, user_id)
);

-- One-time links for the first administrator. Only a hash of the token is kept.
CREATE TABLE setup_tokens (
    token_hash TEXT PRIMARY KEY,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);

CREATE TABLE reports (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    receipt_hash    TEXT NOT NULL UNIQUE,
    category        TEXT NOT NULL,
    country         TEXT NOT NULL,
    language        TEXT NOT NULL,
    status          TEXT NOT NULL,
    -- Answers and contact details, age-encrypted to the organisation.
    sealed_content  BYTEA NOT NULL,
    created_at      BIGINT NOT NULL
);
CREATE INDEX reports_inbox ON reports (organisation_id, created_at);

CREATE TABLE attachments (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    report_id       TEXT NOT NULL REFERENCES reports(id),
    -- Key of the encrypted object in the file store.
    object_key      TEXT NOT NULL,
    -- Size of the ciphertext; the file name and type are inside sealed_metadata.
    stored_size     BIGINT NOT NULL,
    sealed_metadata BYTEA NOT NULL,
    created_at      BIGINT NOT NULL
);
CREATE INDEX attachments_report ON attachments (report_id);
