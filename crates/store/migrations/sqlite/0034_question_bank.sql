-- Issue 19, item 2: the school's question bank. Categories form a tree under the school (a
-- category with no parent is at the top); a question's type-specific content (answers and
-- their fractions, feedback, pairs, hints) is kept as JSON in `body`, in the shape of
-- `domain::questions::Question`; its tags are rows of their own, to list a bank by tag. A
-- deleted question goes with its tags (there is no trash of questions).
CREATE TABLE question_categories (
    id          TEXT PRIMARY KEY,
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    parent_id   TEXT REFERENCES question_categories (id),
    name        TEXT NOT NULL,
    info        TEXT NOT NULL DEFAULT '',
    info_format TEXT NOT NULL DEFAULT 'moodle',
    idnumber    TEXT,
    created_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX question_categories_name
    ON question_categories (tenant_id, COALESCE(parent_id, ''), name);
CREATE TABLE questions (
    id          TEXT PRIMARY KEY,
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    category_id TEXT NOT NULL REFERENCES question_categories (id),
    kind        TEXT NOT NULL CHECK (kind IN ('description', 'essay', 'multichoice', 'truefalse',
                                              'shortanswer', 'numerical', 'matching')),
    name        TEXT NOT NULL,
    idnumber    TEXT,
    body        TEXT NOT NULL,
    created_by  TEXT REFERENCES users (id),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX questions_category ON questions (tenant_id, category_id, created_at, id);
CREATE INDEX questions_tenant ON questions (tenant_id, created_at, id);
CREATE TABLE question_tags (
    question_id TEXT NOT NULL REFERENCES questions (id),
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    tag         TEXT NOT NULL,
    -- The tag in lower case (folded by the program, Cyrillic included), to find it in any case.
    folded      TEXT NOT NULL,
    PRIMARY KEY (question_id, folded)
);
CREATE INDEX question_tags_folded ON question_tags (tenant_id, folded);
