-- Foundation: background jobs, recurring schedules, the mail outbox and the audit log.
-- Instants are INTEGER microseconds since the Unix epoch (UTC); JSON is TEXT.
-- Keep in step with ../postgres/0001_foundation.sql (a test compares the two).

CREATE TABLE jobs (
    id              TEXT PRIMARY KEY,
    kind            TEXT NOT NULL,
    payload         TEXT NOT NULL,
    idempotency_key TEXT UNIQUE,
    state           TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'dead')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    max_attempts    INTEGER NOT NULL,
    run_at          INTEGER NOT NULL,
    locked_by       TEXT,
    lease_until     INTEGER,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    finished_at     INTEGER
);
CREATE INDEX jobs_due ON jobs (state, run_at);

CREATE TABLE job_schedules (
    name        TEXT PRIMARY KEY,
    job_kind    TEXT NOT NULL,
    definition  TEXT NOT NULL,
    next_run_at INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE mail_outbox (
    id              TEXT PRIMARY KEY,
    to_address      TEXT NOT NULL,
    subject         TEXT NOT NULL,
    text_body       TEXT NOT NULL,
    html_body       TEXT,
    state           TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'dead')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    claimed_by      TEXT,
    lease_until     INTEGER,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER
);
CREATE INDEX mail_outbox_due ON mail_outbox (state, next_attempt_at);
CREATE INDEX mail_outbox_to ON mail_outbox (to_address, sent_at);

CREATE TABLE audit_log (
    id          TEXT PRIMARY KEY,
    at          INTEGER NOT NULL,
    actor_kind  TEXT NOT NULL,
    actor_id    TEXT,
    tenant_id   TEXT,
    action      TEXT NOT NULL,
    target_kind TEXT,
    target_id   TEXT,
    ip          TEXT,
    user_agent  TEXT,
    details     TEXT NOT NULL
);
CREATE INDEX audit_log_tenant_at ON audit_log (tenant_id, at);

-- The audit log is append-only: nothing may change or remove an entry.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
