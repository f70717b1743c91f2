-- Issue 15, item 6: prices of additional services get versions like plan prices (R-5.8a): a
-- decision date and an effective date per version, a notice to the schools that use the
-- service, and an alert when a notice is still unsent 5 days after the decision.
CREATE TABLE service_price_versions (
    code           TEXT NOT NULL REFERENCES service_items (code),
    currency       TEXT NOT NULL CHECK (currency IN ('KZT', 'EUR', 'USD')),
    amount_minor   INTEGER NOT NULL CHECK (amount_minor > 0),
    decided_on     TEXT NOT NULL,
    effective_from TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    PRIMARY KEY (code, currency, effective_from)
);
-- The prices set so far were in force from the start.
INSERT INTO service_price_versions (code, currency, amount_minor, decided_on, effective_from,
    created_at)
SELECT code, currency, amount_minor, '2024-01-01', '2024-01-01', 0 FROM service_prices;
DROP TABLE service_prices;

-- Which service an invoice line sells: the schools that use a service are told of its price
-- changes.
ALTER TABLE invoice_lines ADD COLUMN service_code TEXT;

CREATE TABLE service_price_changes (
    id             TEXT PRIMARY KEY,
    service_code   TEXT NOT NULL REFERENCES service_items (code),
    decided_on     TEXT NOT NULL,
    effective_from TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    alerted_at     INTEGER
);
CREATE TABLE service_price_change_notices (
    change_id TEXT NOT NULL REFERENCES service_price_changes (id),
    tenant_id TEXT NOT NULL REFERENCES tenants (id),
    mail_id   TEXT NOT NULL,
    PRIMARY KEY (change_id, tenant_id)
);
