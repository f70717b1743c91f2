-- Issue 19, item 3: quizzes. A quiz is a lesson kind: the lessons' CHECK on `kind` takes
-- 'quiz'.
ALTER TABLE lessons DROP CONSTRAINT lessons_kind_check;
ALTER TABLE lessons ADD CONSTRAINT lessons_kind_check
    CHECK (kind IN ('text', 'video', 'audio', 'file', 'embed', 'quiz'));
-- A quiz lesson's settings (JSON in the shape of `domain::quiz::QuizSettings`).
CREATE TABLE quizzes (
    lesson_id   TEXT PRIMARY KEY REFERENCES lessons (id),
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    settings    TEXT NOT NULL,
    updated_at  BIGINT NOT NULL
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
    number       BIGINT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('in_progress', 'submitted', 'graded')),
    started_at   BIGINT NOT NULL,
    deadline     BIGINT,
    submitted_at BIGINT,
    graded_at    BIGINT,
    score        BIGINT,
    max_score    BIGINT NOT NULL,
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
    slot        BIGINT NOT NULL,
    response    TEXT,
    saved_at    BIGINT NOT NULL,
    fraction    BIGINT,
    comment     TEXT NOT NULL DEFAULT '',
    graded_by   TEXT REFERENCES users (id),
    PRIMARY KEY (attempt_id, slot)
);
CREATE INDEX quiz_answers_tenant ON quiz_answers (tenant_id, user_id);
