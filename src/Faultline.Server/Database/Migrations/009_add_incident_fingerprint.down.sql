DROP INDEX idx_incidents_project_fingerprint;
ALTER TABLE incidents DROP COLUMN fingerprint;
