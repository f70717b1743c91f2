-- Money on the bank account that could not be matched to an invoice when it was entered
-- (R-3.4.1): rights are due 3 business days after it arrived, so it is kept, with that
-- deadline, until the billing officer matches it; the nightly run alerts 1 business day
-- before an unmet deadline.
CREATE TABLE receipts (
    id             TEXT PRIMARY KEY,
    reference      TEXT NOT NULL UNIQUE,
    amount_minor   BIGINT NOT NULL CHECK (amount_minor > 0),
    currency       TEXT NOT NULL CHECK (currency IN ('KZT', 'EUR', 'USD')),
    received_on    TEXT NOT NULL,
    grant_deadline TEXT NOT NULL,
    payer          TEXT NOT NULL,
    purpose        TEXT NOT NULL,
    recorded_at    BIGINT NOT NULL,
    recorded_by    TEXT REFERENCES users (id),
    payment_id     TEXT REFERENCES payments (id),
    matched_at     BIGINT,
    alerted_at     BIGINT
);
CREATE INDEX receipts_open ON receipts (grant_deadline) WHERE payment_id IS NULL;
