-- Issue 18, item 4: deleting a person erases their personal data at once. The row stays, with
-- no e-mail, name, phone or password left, so that what names its id (the audit trail, money
-- records, files a teacher uploaded) keeps a pseudonymous id; this is when it was erased.
ALTER TABLE users ADD COLUMN erased_at BIGINT;

-- Staff removed before deletion erased them are erased now, as a removal does from here on
-- (their sessions and tokens ended with the removal).
UPDATE users SET email = 'erased-' || id || '@erased.invalid', full_name = '', phone = NULL,
    password_hash = NULL, email_verified_at = NULL, erased_at = removed_at
    WHERE kind = 'staff' AND removed_at IS NOT NULL AND erased_at IS NULL;
