-- Foundation: background jobs, recurring schedules, the mail outbox and the audit log.
-- Instants are BIGINT microseconds since the Unix epoch (UTC); JSON is TEXT.
-- Keep in step with ../sqlite/0001_foundation.sql (a test compares the two).

CREATE TABLE jobs (
    id              TEXT PRIMARY KEY,
    kind            TEXT NOT NULL,
    payload         TEXT NOT NULL,
    idempotency_key TEXT UNIQUE,
    state           TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'dead')),
    attempts        BIGINT NOT NULL DEFAULT 0,
    max_attempts    BIGINT NOT NULL,
    run_at          BIGINT NOT NULL,
    locked_by       TEXT,
    lease_until     BIGINT,
    last_error      TEXT,
    created_at      BIGINT NOT NULL,
    finished_at     BIGINT
);
CREATE INDEX jobs_due ON jobs (state, run_at);

CREATE TABLE job_schedules (
    name        TEXT PRIMARY KEY,
    job_kind    TEXT NOT NULL,
    definition  TEXT NOT NULL,
    next_run_at BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);

CREATE TABLE mail_outbox (
    id              TEXT PRIMARY KEY,
    to_address      TEXT NOT NULL,
    subject         TEXT NOT NULL,
    text_body       TEXT NOT NULL,
    html_body       TEXT,
    state           TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'dead')),
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_by      TEXT,
    lease_until     BIGINT,
    last_error      TEXT,
    created_at      BIGINT NOT NULL,
    sent_at         BIGINT
);
CREATE INDEX mail_outbox_due ON mail_outbox (state, next_attempt_at);
CREATE INDEX mail_outbox_to ON mail_outbox (to_address, sent_at);

CREATE TABLE audit_log (
    id          TEXT PRIMARY KEY,
    at          BIGINT NOT NULL,
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
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
