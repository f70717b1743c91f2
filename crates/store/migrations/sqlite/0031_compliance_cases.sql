-- Issue 18, item 7: the compliance officer's cases. A visitor's report of a school's content
-- (R-2.4: the public "report content" link on every page of a school's site) and a complaint
-- about a school's mailing (R-7.10) each open a numbered case (C-1, C-2...). Operators see a
-- school's content only through a case, and every such view is recorded.
CREATE TABLE case_numbers (
    kind     TEXT PRIMARY KEY,
    last_seq INTEGER NOT NULL
);
CREATE TABLE compliance_cases (
    id             TEXT PRIMARY KEY,
    number         INTEGER NOT NULL UNIQUE,
    kind           TEXT NOT NULL CHECK (kind IN ('content_report', 'mailing_complaint')),
    tenant_id      TEXT NOT NULL REFERENCES tenants (id),
    -- A report: the page of the school's site it is about, and what that page shows.
    page           TEXT,
    target_kind    TEXT CHECK (target_kind IN ('school', 'course', 'lesson')),
    target_id      TEXT,
    reason         TEXT NOT NULL,
    details        TEXT NOT NULL,
    -- Who reported or complained (a report may leave them out).
    reporter_name  TEXT,
    reporter_email TEXT,
    reporter_ip    TEXT,
    -- A complaint: the mailing it is about and what the complainant sent as evidence.
    campaign_ref   TEXT,
    received_on    TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    outcome        TEXT CHECK (outcome IN ('no_action', 'removed_by_school', 'blocked', 'disclosed')),
    outcome_note   TEXT,
    created_by     TEXT REFERENCES users (id),
    created_at     INTEGER NOT NULL,
    closed_by      TEXT REFERENCES users (id),
    closed_at      INTEGER
);
CREATE INDEX compliance_cases_open ON compliance_cases (status, created_at);
CREATE INDEX compliance_cases_tenant ON compliance_cases (tenant_id, created_at);
CREATE TABLE case_views (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES compliance_cases (id),
    viewer_id   TEXT NOT NULL REFERENCES users (id),
    target_kind TEXT NOT NULL,
    target_id   TEXT NOT NULL,
    at          INTEGER NOT NULL
);
CREATE INDEX case_views_case ON case_views (case_id, at);

-- A complaint answered by telling the complainant who the school is (R-7.10, option b) is a
-- disclosure too: the register records it beside the authorities' requests.
ALTER TABLE disclosure_requests ADD COLUMN kind TEXT NOT NULL DEFAULT 'authority'
    CHECK (kind IN ('authority', 'complaint'));
ALTER TABLE disclosure_requests ADD COLUMN case_id TEXT REFERENCES compliance_cases (id);
