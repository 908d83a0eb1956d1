ALTER TABLE projects DROP COLUMN project_number;
