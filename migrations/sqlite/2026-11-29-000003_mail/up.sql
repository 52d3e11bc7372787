-- Mail: ledger submissions kept for good, deadline reminders claimed once,
-- and trainees' saved searches for job alerts.
-- Mirrors ../postgres/2026-11-29-000003_mail/up.sql.

CREATE TABLE submissions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    year INTEGER NOT NULL,
    as_of DATE NOT NULL,
    recipients TEXT NOT NULL,
    subject TEXT NOT NULL,
    attachment_name TEXT NOT NULL,
    attachment BLOB NOT NULL,
    attachment_sha256 TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    smtp_response TEXT,
    message_id TEXT,
    error TEXT,
    sent_by TEXT NOT NULL,
    sent_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE deadline_reminders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    deadline_id BIGINT NOT NULL REFERENCES deadlines (id) ON DELETE CASCADE,
    days_before INTEGER NOT NULL,
    status TEXT NOT NULL,
    claimed_by TEXT NOT NULL,
    claimed_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP,
    smtp_response TEXT,
    error TEXT,
    UNIQUE (deadline_id, days_before)
);

CREATE TABLE saved_searches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id),
    email TEXT,
    query TEXT NOT NULL,
    filters TEXT NOT NULL DEFAULT '{}',
    high_water BIGINT NOT NULL,
    unsubscribe_token TEXT NOT NULL UNIQUE,
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE alert_deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    saved_search_id BIGINT NOT NULL REFERENCES saved_searches (id),
    posting_ids TEXT NOT NULL,
    sent_at TIMESTAMP NOT NULL,
    smtp_response TEXT
);

-- Where a user's own mail (job alerts) goes when a saved search names none.
ALTER TABLE users ADD COLUMN email TEXT;
