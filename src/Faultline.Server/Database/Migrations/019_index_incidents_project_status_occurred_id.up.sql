-- The lists order a project's incidents by (occurred_at, id), newest first: the keyset of their
-- pagination. The index of migration 006 ends at occurred_at, so PostgreSQL sorted every page
-- again by id (an incremental sort that copied each page's 50 full rows, stack traces and all)
-- before it could stop at the limit. With id as the last key the index scan is the order itself:
-- a page is read in index order and nothing is sorted. Same name and leading keys as before.
DROP INDEX idx_incidents_project_status_occurred;
CREATE INDEX idx_incidents_project_status_occurred ON incidents(project_id, status, occurred_at DESC, id DESC);
