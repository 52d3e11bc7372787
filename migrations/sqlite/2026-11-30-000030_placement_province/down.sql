DROP INDEX placements_province_started;
ALTER TABLE placements DROP COLUMN work_province;
