-- Issue 18, item 4: the owner deletes the school's account. The contract ends by agreement that
-- day and the school's data is purged on tenants.purge_on (14 days on) unless the owner undoes
-- it before; this is when the deletion was asked for (NULL: none pending).
ALTER TABLE tenants ADD COLUMN deletion_requested_at INTEGER;
