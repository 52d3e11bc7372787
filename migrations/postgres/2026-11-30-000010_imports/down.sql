DROP TABLE duplicate_dismissals;
ALTER TABLE audit_log DROP COLUMN import_id;
DROP TABLE import_rows;
DROP TABLE imports;
