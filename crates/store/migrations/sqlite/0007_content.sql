-- A school's courses, their modules and lessons (issue 6). Deleting puts a row in the trash
-- (deleted_at) for 30 days, from where staff restore it.
CREATE TABLE courses (
    id          TEXT PRIMARY KEY,
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    title       TEXT NOT NULL,
    description TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('draft', 'published', 'archived')),
    -- A lesson opens when the one before it is complete.
    in_order    INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    deleted_at  INTEGER
);
CREATE INDEX courses_tenant ON courses (tenant_id, created_at);

CREATE TABLE course_modules (
    id          TEXT PRIMARY KEY,
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    course_id   TEXT NOT NULL REFERENCES courses (id),
    title       TEXT NOT NULL,
    position    INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    deleted_at  INTEGER
);
CREATE INDEX course_modules_course ON course_modules (tenant_id, course_id, position);

CREATE TABLE lessons (
    id                 TEXT PRIMARY KEY,
    tenant_id          TEXT NOT NULL REFERENCES tenants (id),
    course_id          TEXT NOT NULL REFERENCES courses (id),
    module_id          TEXT NOT NULL REFERENCES course_modules (id),
    title              TEXT NOT NULL,
    kind               TEXT NOT NULL CHECK (kind IN ('text', 'video', 'audio', 'file', 'embed')),
    -- Markdown for a text lesson.
    body               TEXT NOT NULL,
    -- An https link for an embed lesson.
    embed_url          TEXT,
    position           INTEGER NOT NULL,
    -- Release rules: from a date, or N days after enrolment.
    available_from     TEXT,
    available_after_days INTEGER,
    required           INTEGER NOT NULL,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    deleted_at         INTEGER
);
CREATE INDEX lessons_module ON lessons (tenant_id, module_id, position);
CREATE INDEX lessons_course ON lessons (tenant_id, course_id);
