-- Sentry SDKs accept only digits as the project part of a DSN, so every project also gets a
-- unique positive number. Existing rows are numbered by the sequence as the column is added.
CREATE SEQUENCE projects_project_number_seq AS INTEGER START WITH 1 MINVALUE 1;

ALTER TABLE projects
  ADD COLUMN project_number INTEGER NOT NULL DEFAULT nextval('projects_project_number_seq'),
  ADD CONSTRAINT projects_project_number_positive CHECK (project_number > 0),
  ADD CONSTRAINT projects_project_number_key UNIQUE (project_number);

ALTER SEQUENCE projects_project_number_seq OWNED BY projects.project_number;
