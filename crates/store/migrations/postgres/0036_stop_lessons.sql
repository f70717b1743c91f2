-- Issue 19, item 4: a stop-lesson. The lessons after it stay closed to a student until it is
-- complete (a quiz passed).
ALTER TABLE lessons ADD COLUMN stop_lesson BIGINT NOT NULL DEFAULT 0;
