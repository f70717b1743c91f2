-- Issue 18, item 5: two-step sign-in. A person's authenticator (TOTP, RFC 6238) is a secret
-- shared with their app; it works once confirmed with a code from the app, and the last time
-- step that signed in is kept so that no code signs in twice.
CREATE TABLE mfa_totp (
    user_id      TEXT PRIMARY KEY REFERENCES users (id),
    tenant_id    TEXT REFERENCES tenants (id),
    secret       TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    confirmed_at BIGINT,
    last_step    BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX mfa_totp_tenant ON mfa_totp (tenant_id);

-- One-time recovery codes, stored as hashes; a used code keeps its row (when it was used).
CREATE TABLE mfa_recovery_codes (
    user_id    TEXT NOT NULL REFERENCES users (id),
    tenant_id  TEXT REFERENCES tenants (id),
    code_hash  TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    used_at    BIGINT,
    PRIMARY KEY (user_id, code_hash)
);
CREATE INDEX mfa_recovery_codes_tenant ON mfa_recovery_codes (tenant_id);

-- When the person's two-step sign-in was switched on (NULL: off); read with every session.
ALTER TABLE users ADD COLUMN mfa_enabled_at BIGINT;
-- The owner may require two-step sign-in of the school's staff.
ALTER TABLE tenants ADD COLUMN staff_mfa_required BIGINT NOT NULL DEFAULT 0;
