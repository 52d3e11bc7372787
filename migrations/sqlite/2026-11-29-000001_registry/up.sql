-- The registry: people, employers, postings, placements, and who may touch them.
-- Mirrors ../postgres/2026-11-29-000001_registry/up.sql; keep the two in step.

CREATE TABLE labourers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    id_number TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    gender TEXT NOT NULL,
    birth_date DATE NOT NULL,
    phone TEXT,
    hukou_region_code TEXT,
    hukou_township TEXT,
    hukou_village TEXT,
    poverty_status TEXT NOT NULL,
    household_no TEXT,
    education TEXT,
    skills TEXT NOT NULL DEFAULT '[]',
    desired_occupations TEXT NOT NULL DEFAULT '[]',
    desired_region_codes TEXT NOT NULL DEFAULT '[]',
    available_from DATE,
    notes TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX labourers_name_birth ON labourers (name, birth_date);
CREATE INDEX labourers_hukou ON labourers (hukou_region_code);

CREATE TABLE employers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    uscc TEXT UNIQUE,
    region_code TEXT NOT NULL,
    address TEXT,
    industry TEXT,
    contact_name TEXT,
    contact_phone TEXT,
    is_poverty_workshop BOOLEAN NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE postings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    employer_id BIGINT NOT NULL REFERENCES employers (id),
    title TEXT NOT NULL,
    occupation TEXT,
    description TEXT,
    headcount INTEGER NOT NULL,
    salary_min INTEGER,
    salary_max INTEGER,
    region_code TEXT NOT NULL,
    min_age INTEGER,
    max_age INTEGER,
    gender_requirement TEXT NOT NULL DEFAULT 'any',
    education_min TEXT,
    benefits TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL DEFAULT 'open',
    opens_on DATE,
    closes_on DATE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX postings_employer ON postings (employer_id);

CREATE TABLE placements (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    labourer_id BIGINT NOT NULL REFERENCES labourers (id),
    employer_id BIGINT REFERENCES employers (id),
    employer_name TEXT,
    posting_id BIGINT REFERENCES postings (id),
    region_code TEXT NOT NULL,
    occupation TEXT,
    started_on DATE NOT NULL,
    ended_on DATE,
    monthly_income INTEGER,
    channel TEXT NOT NULL,
    part_time BOOLEAN NOT NULL DEFAULT 0,
    evidence TEXT,
    verified_on DATE,
    notes TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX placements_labourer ON placements (labourer_id, started_on);
CREATE INDEX placements_employer ON placements (employer_id);
CREATE INDEX placements_posting ON placements (posting_id);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    unit TEXT,
    labourer_id BIGINT REFERENCES labourers (id),
    password_hash TEXT,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    actor TEXT NOT NULL,
    actor_id BIGINT,
    action TEXT NOT NULL,
    resource TEXT NOT NULL,
    resource_id BIGINT,
    at TIMESTAMP NOT NULL,
    before TEXT,
    after TEXT
);
CREATE INDEX audit_log_resource ON audit_log (resource, resource_id);

-- The audit trail is append-only: the database itself refuses to change it.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- Writes to searchable resources, in commit order, for the search indexer.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    resource TEXT NOT NULL,
    resource_id BIGINT NOT NULL,
    op TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
