-- Issue 18, item 7 (R-2.5b): the register of disclosure requests from authorities. A request
-- names the school, the authority, its reference and legal basis, what it covers and over which
-- dates; a second compliance officer approves it before its package is generated; the package
-- is stored once, read-only, with its SHA-256.
CREATE TABLE disclosure_requests (
    id             TEXT PRIMARY KEY,
    tenant_id      TEXT NOT NULL REFERENCES tenants (id),
    authority      TEXT NOT NULL,
    reference      TEXT NOT NULL,
    received_on    TEXT NOT NULL,
    legal_basis    TEXT NOT NULL,
    -- A JSON array of what it covers: profile, people, access, audit, content, learners.
    scope          TEXT NOT NULL,
    range_from     TEXT NOT NULL,
    range_to       TEXT NOT NULL,
    -- Whether the school is told of the request (and why not, when it is not).
    school_told    INTEGER NOT NULL DEFAULT 0,
    told_note      TEXT NOT NULL DEFAULT '',
    created_by     TEXT NOT NULL REFERENCES users (id),
    created_at     INTEGER NOT NULL,
    approved_by    TEXT REFERENCES users (id),
    approved_at    INTEGER,
    package_object TEXT,
    package_sha256 TEXT,
    package_bytes  INTEGER,
    generated_by   TEXT REFERENCES users (id),
    generated_at   INTEGER
);
CREATE INDEX disclosure_requests_tenant ON disclosure_requests (tenant_id, created_at);
