-- Issue 15, items 1 and 2: access outside the licence, blocks with the operator's note, the
-- trial plan.

-- The reason of the block in force over a school (the earliest laid), kept on the school's row
-- so that every session, token and visit of its site reads it with the school; tenant_blocks
-- keeps the history. Written by the application with every block and unblock.
ALTER TABLE tenants ADD COLUMN blocked_reason TEXT;
UPDATE tenants SET blocked_reason = (SELECT b.reason FROM tenant_blocks b
    WHERE b.tenant_id = tenants.id AND b.lifted_at IS NULL ORDER BY b.blocked_at LIMIT 1);

-- The operator's internal note on a block (R-2.5a: required for the operator's blocks; never
-- shown to the school), and who lifted it.
ALTER TABLE tenant_blocks ADD COLUMN note TEXT;
ALTER TABLE tenant_blocks ADD COLUMN lifted_by TEXT REFERENCES users (id);

-- Settings of the platform the operator chooses, one value per key (e.g. trial_plan: the code
-- of the plan whose limits a trial runs under).
CREATE TABLE platform_settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by TEXT REFERENCES users (id)
);
