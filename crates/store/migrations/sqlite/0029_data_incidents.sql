-- Issue 18, item 2 (R-7.7, R-7.8): losses of a school's data. The infrastructure staff record
-- each with whose fault it was and the day it was confirmed; when it was the licensor's, the
-- restore is due within 3 business days, or recorded as technically impossible with a reason.
CREATE TABLE data_incidents (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants (id),
    fault        TEXT NOT NULL CHECK (fault IN ('licensor', 'licensee')),
    description  TEXT NOT NULL,
    confirmed_on TEXT NOT NULL,
    -- The last day of the restore (licensor's fault), and whether a year of the calendar was
    -- missing when it was counted.
    due_on       TEXT,
    due_provisional INTEGER NOT NULL DEFAULT 0,
    status       TEXT NOT NULL CHECK (status IN ('open', 'restored', 'impossible')),
    reason       TEXT,
    recorded_by  TEXT NOT NULL REFERENCES users (id),
    created_at   INTEGER NOT NULL,
    closed_by    TEXT REFERENCES users (id),
    closed_at    INTEGER
);
CREATE INDEX data_incidents_tenant ON data_incidents (tenant_id, created_at);
