-- The placement ledgers read each person's placements through
-- placements_labourer, and list the people concerned through it too ("has
-- an east placement begun by D and ongoing at D"). With only (labourer_id,
-- started_on) in the index, every placement of every person in range cost
-- a lookup into the table to test its end and its place. With ended_on and
-- region_code in the index entry as well, SQLite tests them there and goes
-- to the table only for the placements that pass: stable-east at 1M people
-- and 3M placements 1.90 s -> 1.63 s, new-transfers-east 0.34 s -> 0.26 s
-- (BENCHMARKS.md). The index still serves every read by person (its first
-- columns are unchanged); it is about 50 MB larger at that scale.
-- PostgreSQL keeps its indexes: ../postgres/2026-12-01-000010_placement_spell_index.
DROP INDEX IF EXISTS placements_labourer;
CREATE INDEX placements_labourer ON placements (labourer_id, started_on, ended_on, region_code);
