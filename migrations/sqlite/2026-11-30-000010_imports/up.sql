-- Bulk import (staged, then applied in one short step), duplicate review.
-- Mirrors ../postgres/2026-11-30-000010_imports/up.sql; keep the two in step.

CREATE TABLE imports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    mode TEXT NOT NULL,
    -- staging → applied | dry_run | refused | failed | abandoned
    status TEXT NOT NULL,
    accept_partial BOOLEAN NOT NULL DEFAULT FALSE,
    file_name TEXT,
    file_sha256 TEXT NOT NULL,
    actor TEXT NOT NULL,
    actor_id BIGINT,
    header_row INTEGER,
    -- JSON: the header cells as the file has them, for the rejected-rows workbook
    headers TEXT,
    -- JSON: the summary answered to the client
    summary TEXT,
    created_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
CREATE INDEX imports_status ON imports (status);

CREATE TABLE import_rows (
    import_id BIGINT NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    row_no INTEGER NOT NULL,
    -- insert | update | rejected
    action TEXT NOT NULL,
    target_id BIGINT,
    -- JSON: the registry form the row becomes (insert, update)
    payload TEXT,
    -- JSON: the row's cells as they came (rejected rows)
    cells TEXT,
    -- JSON: [{field, code, message}] (rejected rows)
    errors TEXT,
    PRIMARY KEY (import_id, row_no)
);

-- Every audited write made by an import names it.
ALTER TABLE audit_log ADD COLUMN import_id BIGINT;

-- Pairs a clerk has looked at and found to be two people.
CREATE TABLE duplicate_dismissals (
    labourer_a BIGINT NOT NULL REFERENCES labourers (id) ON DELETE CASCADE,
    labourer_b BIGINT NOT NULL REFERENCES labourers (id) ON DELETE CASCADE,
    dismissed_by TEXT NOT NULL,
    dismissed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (labourer_a, labourer_b)
);
