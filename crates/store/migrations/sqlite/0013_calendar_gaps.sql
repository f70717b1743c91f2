-- Issue 15, item 5: the calendar's fallback (A-2). An invoice whose due date was computed over
-- a year with no loaded calendar says so; each missing year alerts the super-admins once.
ALTER TABLE invoices ADD COLUMN due_on_provisional INTEGER NOT NULL DEFAULT 0;

-- Years a calculation reached without a loaded calendar, and when the super-admins were told.
CREATE TABLE calendar_gaps (
    year          INTEGER PRIMARY KEY,
    first_seen_at INTEGER NOT NULL
);
