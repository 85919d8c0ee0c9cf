-- The network: the countries directory (administrators' changes to the
-- bundled data/countries.toml), routing of new reports between the
-- organisations of the instance, the authorities and partners outside it,
-- referrals to them, their portal accounts, and transfers between
-- organisations. What people write (summaries, notes on outcomes) and every
-- referral package is sealed; names and states of recipients are in clear.

CREATE TABLE country_directory (
    code          TEXT PRIMARY KEY,
    emergency     TEXT,
    mechanism     TEXT,
    mechanism_url TEXT,
    -- ISO 639-1 codes, comma-separated.
    languages     TEXT NOT NULL DEFAULT '',
    updated_by    TEXT,
    updated_at    INTEGER NOT NULL
);

-- Which organisation handles a new report about a country (the country of
-- the incident first, then the reporter's).
CREATE TABLE routing_rules (
    country         TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    created_at      INTEGER NOT NULL
);

-- Authorities and partners outside the instance, each organisation its own.
CREATE TABLE recipients (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    name            TEXT NOT NULL,
    country         TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('police', 'prosecutor', 'hotline', 'liaison', 'platform', 'other')),
    email           TEXT,
    -- The recipient's OpenPGP public key (ASCII armour), for e-mail.
    openpgp_key     TEXT,
    notes           TEXT,
    disabled        INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL
);
CREATE INDEX recipients_organisation ON recipients (organisation_id, name);

-- Competent recipients for the cases of a country (and a category; '' for any).
CREATE TABLE recipient_rules (
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    recipient_id    TEXT NOT NULL REFERENCES recipients(id),
    country         TEXT NOT NULL,
    category        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (recipient_id, country, category)
);
CREATE INDEX recipient_rules_lookup ON recipient_rules (organisation_id, country);

-- People of a recipient who read the referrals addressed to it in the portal.
CREATE TABLE portal_accounts (
    id                 TEXT PRIMARY KEY,
    organisation_id    TEXT NOT NULL REFERENCES organisations(id),
    recipient_id       TEXT NOT NULL REFERENCES recipients(id),
    email              TEXT NOT NULL UNIQUE,
    -- Empty until the person accepts the invitation.
    password_hash      TEXT NOT NULL DEFAULT '',
    totp_secret_sealed BLOB,
    public_key         TEXT,
    sealed_private_key BLOB,
    disabled           INTEGER NOT NULL DEFAULT 0,
    failed_sign_ins    INTEGER NOT NULL DEFAULT 0,
    locked_until       INTEGER,
    last_totp_step     INTEGER,
    created_at         INTEGER NOT NULL
);
CREATE INDEX portal_accounts_recipient ON portal_accounts (recipient_id);

CREATE TABLE portal_invitations (
    token_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES portal_accounts(id),
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);

-- A portal session keeps the account's private key sealed under a secret
-- that only the session cookie holds (as back-office sessions do).
CREATE TABLE portal_sessions (
    id_hash            TEXT PRIMARY KEY,
    account_id         TEXT NOT NULL REFERENCES portal_accounts(id),
    sealed_private_key BLOB NOT NULL,
    created_at         INTEGER NOT NULL,
    last_seen_at       INTEGER NOT NULL
);
CREATE INDEX portal_sessions_account ON portal_sessions (account_id);

CREATE TABLE referrals (
    id                  TEXT PRIMARY KEY,
    organisation_id     TEXT NOT NULL REFERENCES organisations(id),
    report_id           TEXT NOT NULL REFERENCES reports(id),
    recipient_id        TEXT NOT NULL REFERENCES recipients(id),
    channel             TEXT NOT NULL CHECK (channel IN ('email', 'portal', 'manual')),
    state               TEXT NOT NULL CHECK (state IN ('prepared', 'sent', 'acknowledged', 'outcome')),
    -- The referral document (JSON) and its files' ids, sealed to the
    -- organisation (and, for the portal, to the recipient's accounts).
    sealed_package      BLOB NOT NULL,
    created_by          TEXT NOT NULL REFERENCES users(id),
    created_at          INTEGER NOT NULL,
    sent_at             INTEGER,
    -- When an acknowledgement is due; later, the referral is overdue.
    due_at              INTEGER,
    acknowledged_at     INTEGER,
    outcome             TEXT,
    sealed_outcome_note BLOB,
    outcome_at          INTEGER
);
CREATE INDEX referrals_report ON referrals (report_id, created_at);
CREATE INDEX referrals_state ON referrals (organisation_id, state, due_at);
CREATE INDEX referrals_recipient ON referrals (recipient_id, created_at);

-- A case passed to another organisation of the instance: both keep the record.
CREATE TABLE transfers (
    id                   TEXT PRIMARY KEY,
    from_organisation_id TEXT NOT NULL REFERENCES organisations(id),
    from_report_id       TEXT NOT NULL REFERENCES reports(id),
    to_organisation_id   TEXT NOT NULL REFERENCES organisations(id),
    to_report_id         TEXT NOT NULL REFERENCES reports(id),
    created_by           TEXT NOT NULL REFERENCES users(id),
    created_at           INTEGER NOT NULL
);
CREATE INDEX transfers_from ON transfers (from_report_id);
CREATE INDEX transfers_to ON transfers (to_report_id);

-- Whether an organisation takes reports about every country (a national
-- hotline also handles its nationals' offences abroad). When none does, the
-- public site tells reporters about a country that no organisation covers
-- where to report instead.
ALTER TABLE organisations ADD COLUMN covers_all_countries INTEGER NOT NULL DEFAULT 1;

-- Each organisation's OpenPGP certificate, which signs referrals sent by
-- e-mail: the public part in clear, the secret part sealed to the
-- organisation. Made at the first referral by e-mail.
ALTER TABLE organisations ADD COLUMN openpgp_cert TEXT;
ALTER TABLE organisations ADD COLUMN openpgp_sealed_key BLOB;
