-- The form's own id for one report, as a keyed hash: a second post of the
-- same form (a reload of the receipt page, Back then Send, a double click)
-- finds the report it made instead of making another. Reports sent by the
-- API have none.
ALTER TABLE reports ADD COLUMN submission_hash TEXT;
CREATE UNIQUE INDEX reports_submission ON reports (submission_hash);
