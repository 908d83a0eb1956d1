-- GitHub's numeric user ids are a growing counter already past 200 million; INTEGER ends at
-- 2^31-1. BIGINT keeps the stable key of every account valid for good (the local account and
-- test fixtures also use values outside the real range, see Auth/LocalAccount.cs).
ALTER TABLE users ALTER COLUMN github_id TYPE BIGINT;
