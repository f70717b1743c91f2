-- Issue 15, item 4: the purge deletes a school (R-4.4a, R-8.2, A-14). The audit log stays
-- append-only, except for one change: an entry's personal data (address, browser, personal
-- values in its details) may be pseudonymised once, after the purge, keeping what was done,
-- when, by which (pseudonymous) id and to what.
ALTER TABLE audit_log ADD COLUMN pseudonymised_at INTEGER;
DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NOT (OLD.pseudonymised_at IS NULL AND NEW.pseudonymised_at IS NOT NULL
    AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.actor_kind = OLD.actor_kind
    AND NEW.actor_id IS OLD.actor_id AND NEW.tenant_id IS OLD.tenant_id
    AND NEW.action = OLD.action AND NEW.target_kind IS OLD.target_kind
    AND NEW.target_id IS OLD.target_id)
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
