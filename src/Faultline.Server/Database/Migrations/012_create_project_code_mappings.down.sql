DROP TABLE project_code_mappings;
