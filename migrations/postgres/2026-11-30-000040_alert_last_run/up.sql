-- The day of the last job-alert run that looked at a saved search. A posting
-- that was new but not yet taking applications (its opens_on still ahead)
-- when a run passed it is mailed by the first run on or after that day:
-- the run looks at postings whose opens_on falls after this day.
-- Mirrors ../sqlite/2026-11-30-000040_alert_last_run/up.sql.
ALTER TABLE saved_searches ADD COLUMN last_run_on DATE;
