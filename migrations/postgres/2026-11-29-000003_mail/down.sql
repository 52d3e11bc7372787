ALTER TABLE users DROP COLUMN email;
DROP TABLE alert_deliveries;
DROP TABLE saved_searches;
DROP TABLE deadline_reminders;
DROP TABLE submissions;
