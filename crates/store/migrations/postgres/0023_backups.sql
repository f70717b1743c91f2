-- Issue 18, item 1: backups. Each backup, verification or restore drill is a run; a run that
-- wrote or checked a set names it (the set's files are in the backup target, not here).
CREATE TABLE backup_runs (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('backup', 'verify', 'drill')),
    status      TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed')),
    set_id      TEXT,
    started_at  BIGINT NOT NULL,
    finished_at BIGINT,
    -- Moved on as the run stores or checks each file: a run whose heartbeat is an hour old
    -- died with its process.
    heartbeat_at BIGINT,
    -- The set's size in the target (its database and the media objects it added).
    bytes       BIGINT,
    media_added BIGINT,
    detail      TEXT
);
CREATE INDEX backup_runs_kind ON backup_runs (kind, status, finished_at);

-- Raised when no backup has succeeded for 48 hours (warning) or 72 hours (critical, the
-- contract's limit); resolved by the next success.
CREATE TABLE backup_alerts (
    id              TEXT PRIMARY KEY,
    level           TEXT NOT NULL CHECK (level IN ('warning', 'critical')),
    -- The last success (or, before any, the first attempt) the alert counts from.
    since           BIGINT NOT NULL,
    raised_at       BIGINT NOT NULL,
    resolved_at     BIGINT,
    UNIQUE (level, since)
);

-- One backup runs at a time across every instance and the command line.
CREATE UNIQUE INDEX backup_runs_one_running ON backup_runs (kind) WHERE status = 'running';
