-- Blocks laid over a tenant whatever its billing state (SPEC 3.0): while one is in force
-- (lifted_at NULL) nobody of the tenant signs in and its tokens stop working. A refusal during
-- the trial (R-4.4a) blocks at once and keeps the data until purge_on, warning the owner by
-- purge_warning_on.
CREATE TABLE tenant_blocks (
    id               TEXT PRIMARY KEY,
    tenant_id        TEXT NOT NULL REFERENCES tenants (id),
    reason           TEXT NOT NULL CHECK (reason IN ('illegal_content', 'licence_breach', 'spam_complaint', 'over_limit', 'refusal')),
    blocked_at       INTEGER NOT NULL,
    blocked_by       TEXT REFERENCES users (id),
    purge_on         TEXT,
    purge_warning_on TEXT,
    lifted_at        INTEGER
);
CREATE INDEX tenant_blocks_tenant ON tenant_blocks (tenant_id);
-- At most one block in force per tenant and reason.
CREATE UNIQUE INDEX tenant_blocks_one_live ON tenant_blocks (tenant_id, reason)
    WHERE lifted_at IS NULL;

-- One-time links to set up the first operator account when no administrator was configured;
-- only a hash of the secret is stored.
CREATE TABLE setup_tokens (
    token_hash TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);

-- The operator searches names case-insensitively in any script; SQLite's LOWER folds only
-- ASCII, so the folded name is kept beside the name, written by the application.
ALTER TABLE tenants ADD COLUMN name_search TEXT NOT NULL DEFAULT '';
UPDATE tenants SET name_search = LOWER(name);
