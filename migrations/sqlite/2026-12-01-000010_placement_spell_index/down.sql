DROP INDEX IF EXISTS placements_labourer;
CREATE INDEX placements_labourer ON placements (labourer_id, started_on);
