-- SQLite reads the placement ledgers faster without the (work_province,
-- started_on) index of 2026-11-30-000030: through it, every east placement
-- begun by the as-of day (2.4 million at a province's scale) costs a random
-- lookup into the table, and stable-east took 26 s at 1M people and 3M
-- placements. Without it, SQLite scans placements once to list the people
-- concerned and reads each one's placements through placements_labourer,
-- already in person order: 2 s for the same rows (BENCHMARKS.md). The
-- column stays, computed as it is read. PostgreSQL keeps the index, which
-- its planner uses well: see ../postgres/2026-11-30-000050_ledger_reads_by_person.
DROP INDEX IF EXISTS placements_province_started;
