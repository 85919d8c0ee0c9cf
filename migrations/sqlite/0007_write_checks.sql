-- One row that the readiness check rewrites: a database that answers reads
-- but cannot write (a full disk) is not ready.
CREATE TABLE write_checks (
    id         BIGINT PRIMARY KEY,
    checked_at BIGINT NOT NULL
);
INSERT INTO write_checks (id, checked_at) VALUES (1, 0);
