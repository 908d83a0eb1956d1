DROP INDEX idx_incidents_project_status_occurred;
CREATE INDEX idx_incidents_project_status_occurred ON incidents(project_id, status, occurred_at DESC);
