-- Issue 19, item 3: quizzes. A quiz is a lesson kind: the lessons' CHECK on `kind` takes
-- 'quiz'. SQLite cannot change a CHECK in place: the table is rebuilt as SQLite's manual says,
-- with the foreign keys that name it checked at commit (the rows come back with their ids).
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
                                                     'quiz')),
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
    free_preview       INTEGER NOT NULL DEFAULT 0
);
INSERT INTO lessons (id, tenant_id, course_id, module_id, title, kind, body, embed_url, position,
                     available_from, available_after_days, required, created_at, updated_at,
                     deleted_at, media_id, captions_id, free_preview)
    SELECT id, tenant_id, course_id, module_id, title, kind, body, embed_url, position,
           available_from, available_after_days, required, created_at, updated_at, deleted_at,
           media_id, captions_id, free_preview
    FROM lessons_copy;
DROP TABLE lessons_copy;
CREATE INDEX lessons_module ON lessons (tenant_id, module_id, position);
CREATE INDEX lessons_course ON lessons (tenant_id, course_id);
CREATE INDEX lessons_media ON lessons (tenant_id, media_id);
CREATE INDEX lessons_captions ON lessons (tenant_id, captions_id);
-- A quiz lesson's settings (JSON in the shape of `domain::quiz::QuizSettings`).
CREATE TABLE quizzes (
    lesson_id   TEXT PRIMARY KEY REFERENCES lessons (id),
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    settings    TEXT NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX quizzes_tenant ON quizzes (tenant_id);
-- A student's attempt at a quiz. `slots` keeps the questions as they were asked (their content
-- when the attempt began, their marks and the order of their choices), so that editing or
-- deleting a question of the bank changes no attempt. Points are ten-millionths of a mark.
CREATE TABLE quiz_attempts (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants (id),
    lesson_id    TEXT NOT NULL REFERENCES lessons (id),
    course_id    TEXT NOT NULL REFERENCES courses (id),
    user_id      TEXT NOT NULL REFERENCES users (id),
    number       INTEGER NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('in_progress', 'submitted', 'graded')),
    started_at   INTEGER NOT NULL,
    deadline     INTEGER,
    submitted_at INTEGER,
    graded_at    INTEGER,
    score        INTEGER,
    max_score    INTEGER NOT NULL,
    slots        TEXT NOT NULL,
    UNIQUE (lesson_id, user_id, number)
);
-- One attempt in progress per student and quiz.
CREATE UNIQUE INDEX quiz_attempts_open ON quiz_attempts (lesson_id, user_id)
    WHERE state = 'in_progress';
CREATE INDEX quiz_attempts_lesson ON quiz_attempts (tenant_id, lesson_id, started_at, id);
CREATE INDEX quiz_attempts_user ON quiz_attempts (tenant_id, user_id);
CREATE INDEX quiz_attempts_due ON quiz_attempts (state, deadline);
-- A student's answer to one question of an attempt, saved as they go; `fraction` (ten-
-- millionths, -1 to 1) is set when the question is graded, by the program or by a teacher.
CREATE TABLE quiz_answers (
    attempt_id  TEXT NOT NULL REFERENCES quiz_attempts (id),
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    -- The attempt's student (an erasure and a restore find a person's answers by it).
    user_id     TEXT NOT NULL REFERENCES users (id),
    slot        INTEGER NOT NULL,
    response    TEXT,
    saved_at    INTEGER NOT NULL,
    fraction    INTEGER,
    comment     TEXT NOT NULL DEFAULT '',
    graded_by   TEXT REFERENCES users (id),
    PRIMARY KEY (attempt_id, slot)
);
CREATE INDEX quiz_answers_tenant ON quiz_answers (tenant_id, user_id);
