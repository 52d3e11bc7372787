-- PostgreSQL keeps the (work_province, started_on) index of
-- 2026-11-30-000030: its planner reads the placement ledgers through it in
-- bitmap scans. SQLite drops it in this migration
-- (../sqlite/2026-11-30-000050_ledger_reads_by_person), where it made
-- every east placement a random table lookup. Recorded on the index:
COMMENT ON INDEX placements_province_started IS 'east placements begun by a day: the placement ledgers (PostgreSQL only; SQLite reads them by person)';
