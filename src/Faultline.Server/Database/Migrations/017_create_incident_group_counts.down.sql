DROP TRIGGER incidents_group_counts_after_update ON incidents;
DROP TRIGGER incidents_group_counts_after_insert ON incidents;
DROP FUNCTION incident_group_counts_after_update();
DROP FUNCTION incident_group_counts_after_insert();
DROP FUNCTION incident_group_counts_lock(INT[]);
DROP TABLE incident_group_counts;
