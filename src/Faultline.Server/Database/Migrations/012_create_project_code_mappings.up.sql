-- Code mappings (like Sentry's): where a stack frame's path starts with stack_root, that prefix
-- becomes source_root, for apps deployed somewhere the built-in deployment roots do not cover.
CREATE TABLE project_code_mappings (
  project_id UUID NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  stack_root VARCHAR(1024) NOT NULL,
  source_root VARCHAR(1024) NOT NULL,
  PRIMARY KEY (project_id, stack_root)
);
