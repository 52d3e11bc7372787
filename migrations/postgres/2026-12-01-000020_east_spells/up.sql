-- Each east placement keeps the first day of the east spell it belongs to
-- (DESIGN §5: placements in the east chained while each starts at most
-- max_gap_days after the spell so far ended). The spell a placement belongs
-- to depends only on the person's east placements begun before it, never on
-- the day a ledger is asked for, so it can be kept when placements are
-- written (src/db/models/east_spells.rs, called by the registry's write
-- path) instead of worked out for every person with an east job at each
-- stable-east ledger. NULL for a placement outside the east.
ALTER TABLE placements ADD COLUMN east_spell_started_on DATE;

-- The rules the kept spells were worked out under: at most one row. A
-- ledger asked under other rules (another east or another gap) works the
-- spells out itself; labour-bridge works them out again when it starts with
-- rules other than these, and fills this table then (no row: not yet).
CREATE TABLE east_spell_rules (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    east_provinces TEXT NOT NULL,
    max_gap_days BIGINT NOT NULL,
    stamped_at TIMESTAMP NOT NULL
);

-- stable-east reads the east placements of each person in turn: ongoing at
-- D with a spell begun early enough, tested on the index entry.
CREATE INDEX placements_east_spell ON placements (labourer_id, started_on, ended_on, east_spell_started_on)
    WHERE east_spell_started_on IS NOT NULL;
