ALTER TABLE saved_searches DROP COLUMN last_run_on;
