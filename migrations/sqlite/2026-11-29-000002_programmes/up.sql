-- Programmes: joint job fairs, the 粤菜师傅 training classes, vocational
-- students, and the targets and deadlines the bureaus are measured against.
-- Mirrors ../postgres/2026-11-29-000002_programmes/up.sql.

CREATE TABLE job_fairs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    held_on DATE NOT NULL,
    venue TEXT,
    region_code TEXT NOT NULL,
    organisers TEXT NOT NULL DEFAULT '[]',
    online BOOLEAN NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX job_fairs_held_on ON job_fairs (held_on);

CREATE TABLE job_fair_employers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    job_fair_id BIGINT NOT NULL REFERENCES job_fairs (id),
    employer_id BIGINT NOT NULL REFERENCES employers (id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (job_fair_id, employer_id)
);

CREATE TABLE job_fair_attendees (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    job_fair_id BIGINT NOT NULL REFERENCES job_fairs (id),
    labourer_id BIGINT NOT NULL REFERENCES labourers (id),
    checked_in_at TIMESTAMP NOT NULL,
    checked_in_by TEXT NOT NULL,
    UNIQUE (job_fair_id, labourer_id)
);

CREATE TABLE job_fair_intentions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    job_fair_id BIGINT NOT NULL REFERENCES job_fairs (id),
    labourer_id BIGINT NOT NULL REFERENCES labourers (id),
    posting_id BIGINT NOT NULL REFERENCES postings (id),
    status TEXT NOT NULL DEFAULT 'intended',
    placement_id BIGINT REFERENCES placements (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (job_fair_id, labourer_id, posting_id)
);

ALTER TABLE postings ADD COLUMN job_fair_id BIGINT REFERENCES job_fairs (id);

CREATE TABLE training_programmes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    occupation TEXT,
    provider TEXT NOT NULL,
    provider_region_code TEXT,
    free BOOLEAN NOT NULL DEFAULT 1,
    certificate_name TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE training_sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    programme_id BIGINT NOT NULL REFERENCES training_programmes (id),
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    capacity INTEGER NOT NULL,
    location TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX training_sessions_starts_on ON training_sessions (starts_on);

CREATE TABLE enrolments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id BIGINT NOT NULL REFERENCES training_sessions (id),
    labourer_id BIGINT NOT NULL REFERENCES labourers (id),
    status TEXT NOT NULL DEFAULT 'enrolled',
    completed_on DATE,
    certificate_no TEXT,
    certificate_kind TEXT,
    certificate_level TEXT,
    certified_on DATE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (session_id, labourer_id)
);
CREATE INDEX enrolments_labourer ON enrolments (labourer_id);

ALTER TABLE placements ADD COLUMN job_fair_id BIGINT REFERENCES job_fairs (id);
ALTER TABLE placements ADD COLUMN enrolment_id BIGINT REFERENCES enrolments (id);

CREATE TABLE vocational_enrolments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    labourer_id BIGINT NOT NULL REFERENCES labourers (id),
    school_name TEXT NOT NULL,
    school_region_code TEXT NOT NULL,
    major TEXT,
    enrolled_on DATE NOT NULL,
    status TEXT NOT NULL DEFAULT 'studying',
    graduated_on DATE,
    left_on DATE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
-- A person studies at one school at a time.
CREATE UNIQUE INDEX vocational_one_studying ON vocational_enrolments (labourer_id) WHERE status = 'studying';

CREATE TABLE targets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    year INTEGER NOT NULL,
    metric TEXT NOT NULL,
    min_value INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (year, metric)
);

CREATE TABLE deadlines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    due_on DATE NOT NULL,
    what TEXT NOT NULL,
    recipients TEXT NOT NULL DEFAULT '[]',
    remind_days_before TEXT NOT NULL DEFAULT '[]',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
