-- The seed's case-sensitive UNIQUE (repo_full_name) stays.
DROP INDEX idx_projects_repo_full_name_lower;
