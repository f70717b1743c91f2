-- Issue 15, item 8: a school's own privacy text for its students (R-9.4.1), versioned: each
-- consent records the version shown.
CREATE TABLE school_privacy_texts (
    tenant_id  TEXT NOT NULL REFERENCES tenants (id),
    version    INTEGER NOT NULL,
    text       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    created_by TEXT REFERENCES users (id),
    PRIMARY KEY (tenant_id, version)
);
