-- Issue 15, item 7: API write access (A-15, R-7.11). Tokens write only while the owner has
-- switched it on for the school; a school that already uses a read_write token keeps it on.
ALTER TABLE tenants ADD COLUMN api_write_enabled INTEGER NOT NULL DEFAULT 0;
UPDATE tenants SET api_write_enabled = 1 WHERE EXISTS (SELECT 1 FROM api_tokens t
    WHERE t.tenant_id = tenants.id AND t.scope = 'read_write' AND t.revoked_at IS NULL);

-- The API token an action came with (R-7.11): every write by a token names it.
ALTER TABLE audit_log ADD COLUMN token_id TEXT;
DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NOT (OLD.pseudonymised_at IS NULL AND NEW.pseudonymised_at IS NOT NULL
    AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.actor_kind = OLD.actor_kind
    AND NEW.actor_id IS OLD.actor_id AND NEW.tenant_id IS OLD.tenant_id
    AND NEW.action = OLD.action AND NEW.target_kind IS OLD.target_kind
    AND NEW.target_id IS OLD.target_id AND NEW.token_id IS OLD.token_id)
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
