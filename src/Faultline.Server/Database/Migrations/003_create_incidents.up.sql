-- Incidents: one production error each, as the schema document specifies.
CREATE TABLE incidents (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  incident_id VARCHAR(64) UNIQUE NOT NULL,
  project_id UUID NOT NULL REFERENCES projects(id) ON DELETE CASCADE,

  error_message TEXT NOT NULL,
  error_type VARCHAR(255),
  stack_trace TEXT,

  file_path VARCHAR(1024),
  line_number INTEGER,
  column_number INTEGER,

  commit_sha VARCHAR(40) NOT NULL,
  deployment_id VARCHAR(255),
  environment VARCHAR(50) NOT NULL,

  status VARCHAR(20) NOT NULL DEFAULT 'open',

  occurred_at TIMESTAMP NOT NULL,
  created_at TIMESTAMP DEFAULT NOW(),
  resolved_at TIMESTAMP,

  metadata JSONB
);

CREATE INDEX idx_incidents_incident_id ON incidents(incident_id);
CREATE INDEX idx_incidents_project_id ON incidents(project_id);
CREATE INDEX idx_incidents_status ON incidents(status);
CREATE INDEX idx_incidents_occurred_at ON incidents(occurred_at DESC);
CREATE INDEX idx_incidents_commit_sha ON incidents(commit_sha);
