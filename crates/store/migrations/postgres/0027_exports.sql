-- Issue 18, item 3: the export of a school's data, built by a background job into a ZIP kept
-- in the media store for 7 days behind a signed link.
CREATE TABLE exports (
    id            TEXT PRIMARY KEY,
    tenant_id     TEXT NOT NULL REFERENCES tenants (id),
    requested_by  TEXT REFERENCES users (id),
    status        TEXT NOT NULL CHECK (status IN ('queued', 'running', 'ready', 'failed', 'expired')),
    -- Percent done, 0 to 100.
    progress      BIGINT NOT NULL DEFAULT 0,
    object        TEXT,
    bytes         BIGINT,
    error         TEXT,
    created_at    BIGINT NOT NULL,
    finished_at   BIGINT,
    expires_at    BIGINT
);
CREATE INDEX exports_tenant ON exports (tenant_id, created_at);
-- One export at a time per school.
CREATE UNIQUE INDEX exports_one_open ON exports (tenant_id) WHERE status IN ('queued', 'running');
