-- Issue 6, third part: teachers assigned to courses, course covers and the school's logo, the
-- embed hosts the operator allows.

-- The courses a teacher may edit and see the progress of; other roles see every course.
CREATE TABLE course_teachers (
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    course_id   TEXT NOT NULL REFERENCES courses (id),
    user_id     TEXT NOT NULL REFERENCES users (id),
    assigned_at INTEGER NOT NULL,
    PRIMARY KEY (course_id, user_id)
);
CREATE INDEX course_teachers_user ON course_teachers (tenant_id, user_id);

-- A course's cover and the school's logo: images of the school's media, shown on its public
-- site to anyone.
ALTER TABLE courses ADD COLUMN cover_id TEXT REFERENCES media (id);
-- Goes up with every change of a course's modules or lessons: cached outlines check it.
ALTER TABLE courses ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tenants ADD COLUMN logo_id TEXT REFERENCES media (id);

-- Hosts an embed lesson may link to (https only), kept by the operator.
CREATE TABLE embed_hosts (
    host     TEXT PRIMARY KEY,
    added_by TEXT NOT NULL,
    added_at INTEGER NOT NULL
);
INSERT INTO embed_hosts (host, added_by, added_at) VALUES
    ('youtube.com', 'system', 0),
    ('www.youtube.com', 'system', 0),
    ('youtu.be', 'system', 0),
    ('www.youtube-nocookie.com', 'system', 0),
    ('vimeo.com', 'system', 0),
    ('player.vimeo.com', 'system', 0);
