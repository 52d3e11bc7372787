-- stable-east reads the east placements ongoing at D. Scanning every east
-- placement for them (placements_east_spell: 2,570,000 entries at 1M people
-- for 440,000 ongoing) was most of that read. The ongoing ones are now found
-- in two parts, each on its own index:
-- - still open (no end day): all of them, in person order, from an index of
--   the open east placements alone;
-- - ended on or after D: from an index ordered by the end day, so that only
--   those ended since D are read (few for this year's ledgers; a ledger for
--   a day years back reads more).
-- Both hold every column that read needs, so the table itself is not read.
DROP INDEX placements_east_spell;
CREATE INDEX placements_east_open ON placements (labourer_id, started_on, id, east_spell_started_on)
    WHERE east_spell_started_on IS NOT NULL AND ended_on IS NULL;
CREATE INDEX placements_east_ended ON placements (ended_on, labourer_id, started_on, id, east_spell_started_on)
    WHERE east_spell_started_on IS NOT NULL AND ended_on IS NOT NULL;
