-- GitHub repository names are case-insensitive ("Arin/Checkout" is "arin/checkout"), so one
-- project per repository must hold whatever case a caller types; the seed's UNIQUE is
-- case-sensitive. Also serves look-ups by lower(repo_full_name).
CREATE UNIQUE INDEX idx_projects_repo_full_name_lower ON projects (lower(repo_full_name));
