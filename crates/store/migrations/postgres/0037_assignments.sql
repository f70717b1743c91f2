-- Issue 19, item 4: assignments. An assignment is a lesson kind: the lessons' CHECK on `kind`
-- takes 'assignment'.
ALTER TABLE lessons DROP CONSTRAINT lessons_kind_check;
ALTER TABLE lessons ADD CONSTRAINT lessons_kind_check
    CHECK (kind IN ('text', 'video', 'audio', 'file', 'embed', 'quiz', 'assignment'));
-- A student's work on an assignment: one per student and lesson, where it stands and its
-- grade (points, 0 to 100) once a teacher gave one.
CREATE TABLE submissions (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants (id),
    lesson_id    TEXT NOT NULL REFERENCES lessons (id),
    course_id    TEXT NOT NULL REFERENCES courses (id),
    user_id      TEXT NOT NULL REFERENCES users (id),
    state        TEXT NOT NULL CHECK (state IN ('submitted', 'returned', 'accepted')),
    grade        BIGINT,
    -- The student's first and latest answers, the latest decision and who took it.
    created_at   BIGINT NOT NULL,
    submitted_at BIGINT NOT NULL,
    reviewed_at  BIGINT,
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
    grade         BIGINT,
    created_at    BIGINT NOT NULL
);
CREATE INDEX submission_entries_thread ON submission_entries (submission_id, created_at, id);
CREATE INDEX submission_entries_user ON submission_entries (tenant_id, user_id);
-- The files of an answer (the school's media, uploaded by the student).
CREATE TABLE submission_files (
    entry_id   TEXT NOT NULL REFERENCES submission_entries (id),
    tenant_id  TEXT NOT NULL REFERENCES tenants (id),
    user_id    TEXT NOT NULL REFERENCES users (id),
    media_id   TEXT NOT NULL REFERENCES media (id),
    position   BIGINT NOT NULL,
    PRIMARY KEY (entry_id, media_id)
);
-- A file answers once.
CREATE UNIQUE INDEX submission_files_media ON submission_files (tenant_id, media_id);
CREATE INDEX submission_files_user ON submission_files (tenant_id, user_id);
