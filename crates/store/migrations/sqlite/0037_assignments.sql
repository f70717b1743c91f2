-- Issue 19, item 4: assignments. An assignment is a lesson kind: the lessons' CHECK on `kind`
-- takes 'assignment'. SQLite cannot change a CHECK in place: the table is rebuilt as in 0035.
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE lessons_copy AS SELECT * FROM lessons;
DROP TABLE lessons;
CREATE TABLE lessons (
    id                 TEXT PRIMARY KEY,
    tenant_id          TEXT NOT NULL REFERENCES tenants (id),
    course_id          TEXT NOT NULL REFERENCES courses (id),
    module_id          TEXT NOT NULL REFERENCES course_modules (id),
    title              TEXT NOT NULL,
    kind               TEXT NOT NULL CHECK (kind IN ('text', 'video', 'audio', 'file', 'embed',
                                                     'quiz', 'assignment')),
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
    deleted_at         INTEGER,
    media_id           TEXT REFERENCES media (id),
    captions_id        TEXT REFERENCES media (id),
    free_preview       INTEGER NOT NULL DEFAULT 0,
    stop_lesson        INTEGER NOT NULL DEFAULT 0
);
INSERT INTO lessons (id, tenant_id, course_id, module_id, title, kind, body, embed_url, position,
                     available_from, available_after_days, required, created_at, updated_at,
                     deleted_at, media_id, captions_id, free_preview, stop_lesson)
    SELECT id, tenant_id, course_id, module_id, title, kind, body, embed_url, position,
           available_from, available_after_days, required, created_at, updated_at, deleted_at,
           media_id, captions_id, free_preview, stop_lesson
    FROM lessons_copy;
DROP TABLE lessons_copy;
CREATE INDEX lessons_module ON lessons (tenant_id, module_id, position);
CREATE INDEX lessons_course ON lessons (tenant_id, course_id);
CREATE INDEX lessons_media ON lessons (tenant_id, media_id);
CREATE INDEX lessons_captions ON lessons (tenant_id, captions_id);
-- A student's work on an assignment: one per student and lesson, where it stands and its
-- grade (points, 0 to 100) once a teacher gave one.
CREATE TABLE submissions (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants (id),
    lesson_id    TEXT NOT NULL REFERENCES lessons (id),
    course_id    TEXT NOT NULL REFERENCES courses (id),
    user_id      TEXT NOT NULL REFERENCES users (id),
    state        TEXT NOT NULL CHECK (state IN ('submitted', 'returned', 'accepted')),
    grade        INTEGER,
    -- The student's first and latest answers, the latest decision and who took it.
    created_at   INTEGER NOT NULL,
    submitted_at INTEGER NOT NULL,
    reviewed_at  INTEGER,
    -- No foreign key: a restore into a copy names an erased reviewer by a stand-in id.
    reviewed_by  TEXT,
    UNIQUE (lesson_id, user_id)
);
CREATE INDEX submissions_queue ON submissions (tenant_id, state, submitted_at, id);
CREATE INDEX submissions_user ON submissions (tenant_id, user_id);
-- A submission's thread: the student's answers, comments of either side, and the teachers'
-- decisions, oldest first. `user_id` is the submission's student (an erasure finds the rows
-- by it); `author_id` who wrote the entry.
CREATE TABLE submission_entries (
    id            TEXT PRIMARY KEY,
    tenant_id     TEXT NOT NULL REFERENCES tenants (id),
    submission_id TEXT NOT NULL REFERENCES submissions (id),
    user_id       TEXT NOT NULL REFERENCES users (id),
    -- No foreign key: a restore into a copy names an erased author by a stand-in id.
    author_id     TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('answer', 'comment', 'returned', 'accepted')),
    body          TEXT NOT NULL,
    grade         INTEGER,
    created_at    INTEGER NOT NULL
);
CREATE INDEX submission_entries_thread ON submission_entries (submission_id, created_at, id);
CREATE INDEX submission_entries_user ON submission_entries (tenant_id, user_id);
-- The files of an answer (the school's media, uploaded by the student).
CREATE TABLE submission_files (
    entry_id   TEXT NOT NULL REFERENCES submission_entries (id),
    tenant_id  TEXT NOT NULL REFERENCES tenants (id),
    user_id    TEXT NOT NULL REFERENCES users (id),
    media_id   TEXT NOT NULL REFERENCES media (id),
    position   INTEGER NOT NULL,
    PRIMARY KEY (entry_id, media_id)
);
-- A file answers once.
CREATE UNIQUE INDEX submission_files_media ON submission_files (tenant_id, media_id);
CREATE INDEX submission_files_user ON submission_files (tenant_id, user_id);
