-- Issue 18, item 9: uploads under way. A row is written before the first byte of an upload is
-- stored and goes in the transaction that records the file; one still here a day later belongs
-- to an upload a crash or a lost connection cut short. The sweep claims it, aborts its multipart upload on
-- the object store (`upload_id`, when the store has them) and deletes any object no file names.
CREATE TABLE media_uploads (
    storage_key TEXT PRIMARY KEY,
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    upload_id   TEXT,
    started_at  INTEGER NOT NULL,
    -- Set by the sweep that is cleaning the upload up; the note goes once that is done, and an
    -- upload whose note the sweep claimed cannot be recorded.
    claimed_at  INTEGER
);
CREATE INDEX media_uploads_started ON media_uploads (started_at);
