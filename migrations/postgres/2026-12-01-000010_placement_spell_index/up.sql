-- SQLite widens placements_labourer in this migration
-- (../sqlite/2026-12-01-000010_placement_spell_index) so that its ledger
-- reads test a placement's end and place on the index entry. PostgreSQL
-- reads the placement ledgers through placements_province_started in
-- bitmap scans and keeps its indexes as they are. Recorded on the index:
COMMENT ON INDEX placements_labourer IS 'a person''s placements in order (PostgreSQL; SQLite''s also holds ended_on and region_code for the ledgers)';
