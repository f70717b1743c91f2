-- Issue 19, item 6: certificates. A course may issue one on completion; a certificate keeps
-- what it says (the holder's name, the course and the school as they were when issued), its
-- public verification code, and whether and when it was revoked.
ALTER TABLE courses ADD COLUMN certificate INTEGER NOT NULL DEFAULT 0;
CREATE TABLE certificates (
    id            TEXT PRIMARY KEY,
    tenant_id     TEXT NOT NULL REFERENCES tenants (id),
    course_id     TEXT NOT NULL REFERENCES courses (id),
    user_id       TEXT NOT NULL REFERENCES users (id),
    code          TEXT NOT NULL UNIQUE,
    holder_name   TEXT NOT NULL,
    course_title  TEXT NOT NULL,
    school_name   TEXT NOT NULL,
    -- The local date (Asia/Almaty) of issue, and the language it is written in.
    issued_on     TEXT NOT NULL,
    lang          TEXT NOT NULL,
    issued_at     INTEGER NOT NULL,
    revoked_at    INTEGER,
    -- No foreign key: a restore into a copy names an erased person by a stand-in id.
    revoked_by    TEXT,
    UNIQUE (course_id, user_id)
);
CREATE INDEX certificates_user ON certificates (tenant_id, user_id);
CREATE INDEX certificates_course ON certificates (tenant_id, course_id, issued_at, id);
