-- The incident-groups list counts a project's matching incidents per fingerprint. Rows of one
-- project are spread over the whole table (each ~2 KB, interleaved with other projects'), so
-- reading them from the heap costs one page per incident. This index holds everything the count
-- needs (an index-only scan once autovacuum has marked the pages all-visible) and finds each
-- group's latest incident of a given status directly.
CREATE INDEX idx_incidents_project_status_fingerprint
  ON incidents (project_id, status, fingerprint, occurred_at DESC) INCLUDE (environment, incident_id);
