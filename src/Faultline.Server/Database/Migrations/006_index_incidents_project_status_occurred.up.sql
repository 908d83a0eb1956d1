-- The composite index the schema document recommends for its most common query
-- (a project's open incidents, newest first). It serves the list, the groups and the keyset
-- pagination on (occurred_at, id) without sorting the project's whole history.
CREATE INDEX idx_incidents_project_status_occurred ON incidents(project_id, status, occurred_at DESC);
