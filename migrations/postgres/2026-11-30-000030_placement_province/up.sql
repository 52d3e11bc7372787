-- The province of a placement's work place (the first two digits of its
-- region code), kept by the database itself so that no write path (the
-- registry, an import, `gen`, a clerk's SQL) can leave it stale, and indexed
-- with the start day: the ledgers ask for "east placements begun by D"
-- without computing substr() on every row of a province's registry.
-- Mirrors ../sqlite/2026-11-30-000030_placement_province/up.sql. Adding a
-- STORED generated column fills it for every existing row.
ALTER TABLE placements ADD COLUMN work_province TEXT GENERATED ALWAYS AS (substr(region_code, 1, 2)) STORED;
CREATE INDEX placements_province_started ON placements (work_province, started_on);
