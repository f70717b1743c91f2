-- Issue 18, item 4: deleting a person erases their personal data at once. The row stays, with
-- no e-mail, name, phone or password left, so that what names its id (the audit trail, money
-- records, files a teacher uploaded) keeps a pseudonymous id; this is when it was erased.
ALTER TABLE users ADD COLUMN erased_at BIGINT;
