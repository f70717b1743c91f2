-- Issue 6, second part: media files, the school's students (learner accounts) with their
-- consents, enrolments and progress per lesson.

-- A file a school uploaded: stored under storage_key by the media store; the type comes from
-- its bytes, the SHA-256 is kept (and is the ETag).
CREATE TABLE media (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants (id),
    kind         TEXT NOT NULL CHECK (kind IN ('video', 'audio', 'image', 'file', 'captions')),
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes   BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    storage_key  TEXT NOT NULL UNIQUE,
    uploaded_by  TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    deleted_at   BIGINT
);
CREATE INDEX media_tenant ON media (tenant_id, created_at);

-- The file a video, audio or file lesson plays or offers, and a video's captions (WebVTT).
ALTER TABLE lessons ADD COLUMN media_id TEXT REFERENCES media (id);
ALTER TABLE lessons ADD COLUMN captions_id TEXT REFERENCES media (id);
-- Which lessons use a file: checked on every request of a media link.
CREATE INDEX lessons_media ON lessons (tenant_id, media_id);
CREATE INDEX lessons_captions ON lessons (tenant_id, captions_id);
-- Students may enrol themselves in a published course that allows it.
ALTER TABLE courses ADD COLUMN self_enrol BIGINT NOT NULL DEFAULT 0;

-- What a student agreed to at sign-up (R-2.6b): the exact text, its version and the time.
CREATE TABLE learner_consents (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants (id),
    user_id      TEXT NOT NULL REFERENCES users (id),
    kind         TEXT NOT NULL CHECK (kind IN ('privacy', 'marketing')),
    text_version TEXT NOT NULL,
    text         TEXT NOT NULL,
    accepted_at  BIGINT NOT NULL,
    withdrawn_at BIGINT
);
CREATE INDEX learner_consents_user ON learner_consents (tenant_id, user_id);

CREATE TABLE enrolments (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants (id),
    course_id    TEXT NOT NULL REFERENCES courses (id),
    user_id      TEXT NOT NULL REFERENCES users (id),
    -- self, staff
    source       TEXT NOT NULL,
    -- Optional access window, local dates.
    access_from  TEXT,
    access_to    TEXT,
    enrolled_at  BIGINT NOT NULL,
    completed_at BIGINT,
    removed_at   BIGINT,
    UNIQUE (tenant_id, course_id, user_id)
);
CREATE INDEX enrolments_user ON enrolments (tenant_id, user_id);

CREATE TABLE lesson_progress (
    tenant_id    TEXT NOT NULL REFERENCES tenants (id),
    user_id      TEXT NOT NULL REFERENCES users (id),
    lesson_id    TEXT NOT NULL REFERENCES lessons (id),
    course_id    TEXT NOT NULL REFERENCES courses (id),
    -- Where a video or audio lesson was stopped, and its length, in milliseconds.
    position_ms  BIGINT NOT NULL,
    duration_ms  BIGINT,
    completed_at BIGINT,
    updated_at   BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, user_id, lesson_id)
);
CREATE INDEX lesson_progress_course ON lesson_progress (tenant_id, course_id, user_id);

-- Secrets the instances share (the key that signs media links), made once.
CREATE TABLE server_secrets (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Groups (cohorts) of a school's students.
CREATE TABLE learner_groups (
    id         TEXT PRIMARY KEY,
    tenant_id  TEXT NOT NULL REFERENCES tenants (id),
    name       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (tenant_id, name)
);

CREATE TABLE group_members (
    tenant_id TEXT NOT NULL REFERENCES tenants (id),
    group_id  TEXT NOT NULL REFERENCES learner_groups (id),
    user_id   TEXT NOT NULL REFERENCES users (id),
    added_at  BIGINT NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user ON group_members (tenant_id, user_id);
