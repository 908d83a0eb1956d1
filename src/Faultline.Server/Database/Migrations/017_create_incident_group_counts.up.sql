-- The incident-groups list (one row per fingerprint with counts, first and last seen and
-- environments) aggregated a project's incidents on every request: 20,000 open incidents cost
-- ~8 ms of a core per request, and the cost grows with every incident. This table holds those
-- aggregates per project, group, status and environment, kept exact inside the transaction that
-- changes incidents, by statement-level triggers (so every writer, ingest's batches, COPY and
-- resolving alike, keeps it right, once per statement rather than once per row). A group is the
-- fingerprint, or for an incident without one (stored before grouping) its incident id.
CREATE TABLE incident_group_counts (
  project_id UUID NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  status VARCHAR(20) NOT NULL,
  fingerprint VARCHAR(64) NOT NULL,
  environment VARCHAR(50) NOT NULL,
  incident_count BIGINT NOT NULL CHECK (incident_count > 0),
  first_seen TIMESTAMPTZ NOT NULL,
  last_seen TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (project_id, status, fingerprint, environment)
);

INSERT INTO incident_group_counts (project_id, status, fingerprint, environment, incident_count, first_seen, last_seen)
SELECT project_id, status, COALESCE(fingerprint, incident_id), environment, count(*), min(occurred_at), max(occurred_at)
FROM incidents
GROUP BY 1, 2, 3, 4;

-- Every change to a project's rows here first takes the project's transaction-scoped advisory
-- lock (class 1018, a hash of the project id), in the order of the keys, under a shared lock on
-- (1017, 0): new incidents add to the rows, while a status change counts groups again from their
-- incidents, and the two must not interleave (a recount that saw a concurrent batch's incidents
-- would otherwise be added to again, or its insert would collide with a row the batch made
-- meanwhile). A statement touching more than 100 projects (a bulk load) takes (1017, 0) alone,
-- exclusively, instead of a lock per project. Taken in one order, the locks never wait in a cycle;
-- ingest batches of one project already wait for each other at its api_key_usage row.
CREATE FUNCTION incident_group_counts_lock(project_keys INT[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  project_key INT;
BEGIN
  IF cardinality(project_keys) > 100 THEN
    PERFORM pg_advisory_xact_lock(1017, 0);
    RETURN;
  END IF;

  PERFORM pg_advisory_xact_lock_shared(1017, 0);
  FOREACH project_key IN ARRAY project_keys LOOP
    PERFORM pg_advisory_xact_lock(1018, project_key);
  END LOOP;
END
$$;

-- New incidents add to their groups' rows.
CREATE FUNCTION incident_group_counts_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM incident_group_counts_lock(ARRAY(
    SELECT DISTINCT hashtext(n.project_id::text) FROM inserted_incidents n ORDER BY 1));

  INSERT INTO incident_group_counts AS g (project_id, status, fingerprint, environment, incident_count, first_seen, last_seen)
  SELECT n.project_id, n.status, COALESCE(n.fingerprint, n.incident_id), n.environment, count(*), min(n.occurred_at), max(n.occurred_at)
  FROM inserted_incidents n
  GROUP BY 1, 2, 3, 4
  ORDER BY 1, 2, 3, 4
  ON CONFLICT (project_id, status, fingerprint, environment) DO UPDATE
  SET incident_count = g.incident_count + EXCLUDED.incident_count,
      first_seen = LEAST(g.first_seen, EXCLUDED.first_seen),
      last_seen = GREATEST(g.last_seen, EXCLUDED.last_seen);
  RETURN NULL;
END
$$;

CREATE TRIGGER incidents_group_counts_after_insert
  AFTER INSERT ON incidents
  REFERENCING NEW TABLE AS inserted_incidents
  FOR EACH STATEMENT EXECUTE FUNCTION incident_group_counts_after_insert();

-- A resolved or reopened incident moves between statuses, and the first or last seen of what is
-- left may change: the affected groups are counted again from their incidents (a group's
-- incidents are found by index), each statement after the lock seeing what others committed.
CREATE FUNCTION incident_group_counts_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  projects UUID[];
  groups TEXT[];
BEGIN
  SELECT array_agg(k.project_id ORDER BY k.project_id, k.fingerprint), array_agg(k.fingerprint ORDER BY k.project_id, k.fingerprint)
  INTO projects, groups
  FROM (
    SELECT o.project_id, COALESCE(o.fingerprint, o.incident_id) AS fingerprint
    FROM old_incidents o JOIN new_incidents n ON n.id = o.id
    WHERE (o.project_id, o.status, o.fingerprint, o.incident_id, o.environment, o.occurred_at)
          IS DISTINCT FROM (n.project_id, n.status, n.fingerprint, n.incident_id, n.environment, n.occurred_at)
    UNION
    SELECT n.project_id, COALESCE(n.fingerprint, n.incident_id)
    FROM old_incidents o JOIN new_incidents n ON n.id = o.id
    WHERE (o.project_id, o.status, o.fingerprint, o.incident_id, o.environment, o.occurred_at)
          IS DISTINCT FROM (n.project_id, n.status, n.fingerprint, n.incident_id, n.environment, n.occurred_at)
  ) k;

  IF projects IS NULL THEN
    RETURN NULL;
  END IF;

  PERFORM incident_group_counts_lock(ARRAY(
    SELECT DISTINCT hashtext(g.project_id::text) FROM unnest(projects) AS g(project_id) ORDER BY 1));

  DELETE FROM incident_group_counts g
  USING unnest(projects, groups) AS k(project_id, fingerprint)
  WHERE g.project_id = k.project_id AND g.fingerprint = k.fingerprint;

  INSERT INTO incident_group_counts (project_id, status, fingerprint, environment, incident_count, first_seen, last_seen)
  SELECT i.project_id, i.status, k.fingerprint, i.environment, count(*), min(i.occurred_at), max(i.occurred_at)
  FROM unnest(projects, groups) AS k(project_id, fingerprint)
  JOIN incidents i ON i.project_id = k.project_id
    AND (i.fingerprint = k.fingerprint OR (i.fingerprint IS NULL AND i.incident_id = k.fingerprint))
  GROUP BY 1, 2, 3, 4
  ORDER BY 1, 2, 3, 4;
  RETURN NULL;
END
$$;

CREATE TRIGGER incidents_group_counts_after_update
  AFTER UPDATE ON incidents
  REFERENCING OLD TABLE AS old_incidents NEW TABLE AS new_incidents
  FOR EACH STATEMENT EXECUTE FUNCTION incident_group_counts_after_update();
