DROP INDEX idx_incidents_project_event_id;
ALTER TABLE incidents DROP COLUMN event_id;
