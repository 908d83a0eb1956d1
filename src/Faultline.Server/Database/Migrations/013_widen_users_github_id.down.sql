-- Back to the seed's INTEGER; fails (and so rolls back) if an id above 2^31-1 was stored.
ALTER TABLE users ALTER COLUMN github_id TYPE INTEGER;
