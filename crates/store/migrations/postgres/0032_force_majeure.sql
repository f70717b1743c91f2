-- Issue 18, item 7 (R-6.1, R-6.2, A-21): the register of force majeure. The platform records
-- an event hitting it (onset, description, the schools it affects) and tells them; a school
-- files a notice of an event hitting it. Each has 10 days from the onset (or from the day
-- communication was restored) to tell the other; a late notice is flagged. Either side may ask
-- for evidence, and a school attaches its documents.
CREATE TABLE force_majeure_events (
    id                        TEXT PRIMARY KEY,
    party                     TEXT NOT NULL CHECK (party IN ('licensor', 'licensee')),
    -- A school's notice: its school.
    tenant_id                 TEXT REFERENCES tenants (id),
    -- The platform's event: every school, or those of force_majeure_schools.
    all_schools               BIGINT NOT NULL DEFAULT 0,
    onset_on                  TEXT NOT NULL,
    communication_restored_on TEXT,
    notice_on                 TEXT NOT NULL,
    description               TEXT NOT NULL,
    evidence_requested_at     BIGINT,
    recorded_by               TEXT REFERENCES users (id),
    created_at                BIGINT NOT NULL
);
CREATE INDEX force_majeure_events_tenant ON force_majeure_events (tenant_id, created_at);
CREATE TABLE force_majeure_schools (
    event_id  TEXT NOT NULL REFERENCES force_majeure_events (id),
    tenant_id TEXT NOT NULL REFERENCES tenants (id),
    PRIMARY KEY (event_id, tenant_id)
);
CREATE INDEX force_majeure_schools_tenant ON force_majeure_schools (tenant_id);
CREATE TABLE force_majeure_files (
    id           TEXT PRIMARY KEY,
    event_id     TEXT NOT NULL REFERENCES force_majeure_events (id),
    tenant_id    TEXT NOT NULL REFERENCES tenants (id),
    object       TEXT NOT NULL,
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    bytes        BIGINT NOT NULL,
    added_by     TEXT NOT NULL REFERENCES users (id),
    added_at     BIGINT NOT NULL
);
CREATE INDEX force_majeure_files_event ON force_majeure_files (event_id, added_at);
