-- Grouping (the schema document's "Future: fingerprinting"): every incident carries a fingerprint,
-- a hash of what identifies the bug, and the groups list reads a project's incidents by it.
ALTER TABLE incidents ADD COLUMN fingerprint VARCHAR(64);

CREATE INDEX idx_incidents_project_fingerprint ON incidents(project_id, fingerprint, occurred_at DESC);
