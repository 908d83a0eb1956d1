-- Projects: the explicit mapping project <-> repository <-> owner, as the schema document specifies.
CREATE TABLE projects (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id VARCHAR(64) UNIQUE NOT NULL,
  owner_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,

  repo_owner VARCHAR(255) NOT NULL,
  repo_name VARCHAR(255) NOT NULL,
  repo_full_name VARCHAR(512) NOT NULL,

  platform VARCHAR(50) NOT NULL DEFAULT 'vercel',

  ingest_api_key VARCHAR(128) UNIQUE NOT NULL,

  created_at TIMESTAMP DEFAULT NOW(),
  updated_at TIMESTAMP DEFAULT NOW(),

  UNIQUE(repo_full_name)
);

CREATE INDEX idx_projects_project_id ON projects(project_id);
CREATE INDEX idx_projects_repo_full_name ON projects(repo_full_name);
CREATE INDEX idx_projects_owner_id ON projects(owner_id);
CREATE INDEX idx_projects_ingest_key ON projects(ingest_api_key);
