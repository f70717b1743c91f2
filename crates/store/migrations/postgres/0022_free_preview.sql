-- Issue 17, item 3: a lesson a school offers as a free preview: visitors of its site open it
-- from the course's public page without signing up.
ALTER TABLE lessons ADD COLUMN free_preview BIGINT NOT NULL DEFAULT 0;
