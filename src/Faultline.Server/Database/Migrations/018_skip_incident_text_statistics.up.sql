-- ANALYZE samples 30,000 incidents, and for the stack traces, messages and metadata it compared
-- and sorted kilobytes of text per row to build statistics that no query uses (nothing filters,
-- joins, groups or sorts on them). Autovacuum analyses a table after every 10% of growth, so a
-- new installation taking thousands of incidents a second analysed it every few seconds, and
-- these three columns were a third of each run's cost. The planner's width estimates for them
-- fall back to their types' defaults.
ALTER TABLE incidents
  ALTER COLUMN stack_trace SET STATISTICS 0,
  ALTER COLUMN error_message SET STATISTICS 0,
  ALTER COLUMN metadata SET STATISTICS 0;
