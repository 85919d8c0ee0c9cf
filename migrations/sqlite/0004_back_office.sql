-- The back office: casework on reports (workflow, assessment, assignment,
-- labels, internal notes, links, read marks), invitations, recovery codes,
-- TOTP enrolment, and the hash-chained audit log.
-- Assessment codes, labels and the workflow are in clear: the inbox filters
-- and the statistics need them. What people write (notes, the reason for
-- urgency) is sealed to the organisation like the report itself.

-- "received" becomes "new", the first state of the workflow.
UPDATE reports SET status = 'new' WHERE status = 'received';

-- The category the reporter chose; `category` is the analysts' assessment.
ALTER TABLE reports ADD COLUMN reported_category TEXT;
UPDATE reports SET reported_category = category;
-- 1 while the report is new, else 0: the inbox lists new reports first.
ALTER TABLE reports ADD COLUMN inbox_rank INTEGER NOT NULL DEFAULT 1;
UPDATE reports SET inbox_rank = CASE WHEN status = 'new' THEN 1 ELSE 0 END;
ALTER TABLE reports ADD COLUMN assignee_id TEXT REFERENCES users(id);
-- 0 low, 1 normal, 2 high; `urgent` is a flag on top, with a sealed reason.
ALTER TABLE reports ADD COLUMN priority INTEGER NOT NULL DEFAULT 1;
ALTER TABLE reports ADD COLUMN urgent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reports ADD COLUMN sealed_urgent_reason BLOB;
-- illegal / not-illegal / outside-remit
ALTER TABLE reports ADD COLUMN legal_assessment TEXT;
-- For abuse material: baseline / national / not-illegal, the apparent age
-- band of the youngest child, and the children's gender.
ALTER TABLE reports ADD COLUMN material_classification TEXT;
ALTER TABLE reports ADD COLUMN age_band TEXT;
ALTER TABLE reports ADD COLUMN child_gender TEXT;
ALTER TABLE reports ADD COLUMN closing_reason TEXT;
ALTER TABLE reports ADD COLUMN updated_at INTEGER;
UPDATE reports SET updated_at = created_at;

-- Indexes that keep every sort and filter of the inbox fast at a million reports.
DROP INDEX reports_inbox;
CREATE INDEX reports_inbox ON reports (organisation_id, created_at, id);
CREATE INDEX reports_triage ON reports (organisation_id, inbox_rank, created_at, id);
CREATE INDEX reports_priority ON reports (organisation_id, urgent, priority, created_at, id);
CREATE INDEX reports_status ON reports (organisation_id, status, created_at, id);
CREATE INDEX reports_category ON reports (organisation_id, category, created_at, id);
CREATE INDEX reports_country ON reports (organisation_id, country, created_at, id);
CREATE INDEX reports_language ON reports (organisation_id, language, created_at, id);
CREATE INDEX reports_assignee ON reports (organisation_id, assignee_id, created_at, id);

CREATE TABLE labels (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    name            TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    UNIQUE (organisation_id, name)
);

CREATE TABLE report_labels (
    report_id       TEXT NOT NULL REFERENCES reports(id),
    label_id        TEXT NOT NULL REFERENCES labels(id),
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    PRIMARY KEY (report_id, label_id)
);
CREATE INDEX report_labels_label ON report_labels (label_id, report_id);

-- Internal notes: never shown to the reporter, sealed to the organisation.
CREATE TABLE notes (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    report_id       TEXT NOT NULL REFERENCES reports(id),
    author_user_id  TEXT NOT NULL REFERENCES users(id),
    sealed_body     BLOB NOT NULL,
    created_at      INTEGER NOT NULL
);
CREATE INDEX notes_report ON notes (report_id, created_at);

-- Duplicate or related reports; each link is stored in both directions.
CREATE TABLE report_links (
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    report_id       TEXT NOT NULL REFERENCES reports(id),
    other_report_id TEXT NOT NULL REFERENCES reports(id),
    kind            TEXT NOT NULL CHECK (kind IN ('duplicate', 'related')),
    created_by      TEXT NOT NULL REFERENCES users(id),
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (report_id, other_report_id)
);

-- Which user has read a report (since its last news).
CREATE TABLE report_reads (
    user_id   TEXT NOT NULL REFERENCES users(id),
    report_id TEXT NOT NULL REFERENCES reports(id),
    read_at   INTEGER NOT NULL,
    PRIMARY KEY (user_id, report_id)
);
CREATE INDEX report_reads_report ON report_reads (report_id);

-- One-time links: invitations of new members and password resets. Only a
-- keyed hash of the token is kept; the organisation's key travels sealed
-- under the token, so the link alone gives the new key pair its access.
CREATE TABLE invitations (
    token_hash      TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    kind            TEXT NOT NULL CHECK (kind IN ('invite', 'reset')),
    email           TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'analyst')),
    user_id         TEXT REFERENCES users(id),
    sealed_org_key  BLOB NOT NULL,
    created_by      TEXT NOT NULL REFERENCES users(id),
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL,
    used_at         INTEGER
);
CREATE INDEX invitations_organisation ON invitations (organisation_id, created_at);

-- One-time recovery codes for the second factor (keyed hashes only).
CREATE TABLE recovery_codes (
    user_id   TEXT NOT NULL REFERENCES users(id),
    code_hash TEXT NOT NULL,
    used_at   INTEGER,
    PRIMARY KEY (user_id, code_hash)
);

-- 1 when the user must enrol an authenticator at the next sign-in.
ALTER TABLE users ADD COLUMN totp_pending INTEGER NOT NULL DEFAULT 0;
-- 'full', or 'enrol' while a signed-in user may only enrol an authenticator.
ALTER TABLE sessions ADD COLUMN stage TEXT NOT NULL DEFAULT 'full';

-- The audit log: who did what to which object, when; never content. Each
-- entry carries a keyed hash of the one before (see domain::audit), and
-- `audit_head` the last, so editing, removing or truncating is detected.
CREATE TABLE audit_log (
    seq             INTEGER PRIMARY KEY,
    at              INTEGER NOT NULL,
    organisation_id TEXT,
    actor_user_id   TEXT,
    actor           TEXT NOT NULL,
    action          TEXT NOT NULL,
    object_type     TEXT,
    object_id       TEXT,
    detail          TEXT,
    prev_hash       TEXT NOT NULL,
    hash            TEXT NOT NULL
);
CREATE INDEX audit_log_organisation ON audit_log (organisation_id, seq);
CREATE INDEX audit_log_object ON audit_log (object_id, seq);

CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
);

-- Append-only, so that a mistake in Ward cannot rewrite history. (Someone
-- with the database can drop these; the hash chain then tells.)
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
