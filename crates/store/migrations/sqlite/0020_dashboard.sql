-- Issue 17, item 1: the cabinet's home. The days a student worked in a lesson (the "active
-- students per day" figure: one row per student and local date, written with their progress),
-- and when the school's people put the onboarding checklist away.
CREATE TABLE learner_days (
    tenant_id TEXT NOT NULL REFERENCES tenants (id),
    user_id   TEXT NOT NULL REFERENCES users (id),
    day       TEXT NOT NULL,
    PRIMARY KEY (tenant_id, day, user_id)
);
ALTER TABLE tenants ADD COLUMN checklist_dismissed_at INTEGER;
