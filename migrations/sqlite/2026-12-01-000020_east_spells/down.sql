DROP INDEX placements_east_spell;
DROP TABLE east_spell_rules;
ALTER TABLE placements DROP COLUMN east_spell_started_on;
