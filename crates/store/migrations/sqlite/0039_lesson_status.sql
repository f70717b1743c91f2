-- Issue 19, item 1: a lesson is a draft or published. A draft lesson is the teachers' only:
-- students see no trace of it (not in the outline, not counted for completion or grades).
-- Lessons made before this stay published.
ALTER TABLE lessons ADD COLUMN status TEXT NOT NULL DEFAULT 'published'
    CHECK (status IN ('draft', 'published'));

-- The images a lesson's text shows (`![..](media:ID)`), kept in step with its text: a student
-- who may open the lesson may read them, and a file a lesson shows is not deleted.
CREATE TABLE lesson_images (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    lesson_id TEXT NOT NULL REFERENCES lessons(id),
    media_id  TEXT NOT NULL,
    PRIMARY KEY (lesson_id, media_id)
);
CREATE INDEX lesson_images_media ON lesson_images (tenant_id, media_id);
