-- When and how often each project's ingest key is used, as the schema document specifies.
CREATE TABLE api_key_usage (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id UUID NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  key_type VARCHAR(50) NOT NULL,
  last_used_at TIMESTAMP DEFAULT NOW(),
  usage_count BIGINT DEFAULT 0,

  UNIQUE(project_id, key_type)
);

CREATE INDEX idx_api_key_usage_project_id ON api_key_usage(project_id);
