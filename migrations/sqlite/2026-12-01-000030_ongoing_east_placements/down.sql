DROP INDEX placements_east_ended;
DROP INDEX placements_east_open;
CREATE INDEX placements_east_spell ON placements (labourer_id, started_on, ended_on, east_spell_started_on)
    WHERE east_spell_started_on IS NOT NULL;
