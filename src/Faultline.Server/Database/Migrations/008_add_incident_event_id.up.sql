-- Idempotent ingest: the client's event id (a UUID, or Sentry's 32 hex digits, which is the same
-- 128 bits) is unique per project, so a retried delivery finds the incident it already made
-- instead of creating a second one, even when the retries race on separate connections.
ALTER TABLE incidents ADD COLUMN event_id UUID;

CREATE UNIQUE INDEX idx_incidents_project_event_id ON incidents(project_id, event_id);
