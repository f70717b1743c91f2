-- Plans and their price versions (R-1.4, R-5.8a, A-19): a price is in force from its
-- effective date until a later version of the same plan, currency and term.
CREATE TABLE plans (
    code                TEXT PRIMARY KEY,
    name_ru             TEXT NOT NULL,
    name_kk             TEXT NOT NULL,
    name_en             TEXT NOT NULL,
    limit_students      BIGINT NOT NULL,
    limit_staff         BIGINT NOT NULL,
    limit_storage_bytes BIGINT NOT NULL,
    limit_courses       BIGINT NOT NULL,
    created_at          BIGINT NOT NULL
);

CREATE TABLE plan_prices (
    id             TEXT PRIMARY KEY,
    plan_code      TEXT NOT NULL REFERENCES plans (code),
    currency       TEXT NOT NULL CHECK (currency IN ('KZT', 'EUR', 'USD')),
    months         BIGINT NOT NULL CHECK (months IN (1, 3, 6, 12)),
    amount_minor   BIGINT NOT NULL CHECK (amount_minor > 0),
    decided_on     TEXT NOT NULL,
    effective_from TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    UNIQUE (plan_code, currency, months, effective_from)
);

-- Gapless invoice numbers per year: the counter moves inside the issuing transaction.
CREATE TABLE invoice_numbers (
    year     BIGINT PRIMARY KEY,
    last_seq BIGINT NOT NULL
);

CREATE TABLE invoices (
    id          TEXT PRIMARY KEY,
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    number      TEXT NOT NULL UNIQUE,
    purpose     TEXT NOT NULL CHECK (purpose IN ('licence', 'renewal', 'plan_change', 'service')),
    -- A service invoice (a quote, R-5.3) names no plan and has months 0.
    plan_code   TEXT REFERENCES plans (code),
    months      BIGINT NOT NULL,
    currency    TEXT NOT NULL CHECK (currency IN ('KZT', 'EUR', 'USD')),
    total_minor BIGINT NOT NULL CHECK (total_minor >= 0),
    paid_minor  BIGINT NOT NULL,
    -- A plan change's credit above the new price, credited to the balance once paid (R-4.5b).
    excess_credit_minor BIGINT NOT NULL,
    -- Extra storage ordered with the licence: granted for the paid period (R-1.9).
    extra_storage_bytes BIGINT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('issued', 'paid', 'overdue', 'void')),
    issued_at   BIGINT NOT NULL,
    issued_on   TEXT NOT NULL,
    due_on      TEXT NOT NULL,
    paid_on     TEXT,
    voided_at   BIGINT,
    supplier    TEXT NOT NULL,
    customer    TEXT NOT NULL
);
CREATE INDEX invoices_tenant ON invoices (tenant_id, issued_at);
CREATE INDEX invoices_open ON invoices (status, due_on);

CREATE TABLE invoice_lines (
    id           TEXT PRIMARY KEY,
    invoice_id   TEXT NOT NULL REFERENCES invoices (id),
    tenant_id    TEXT NOT NULL REFERENCES tenants (id),
    position     BIGINT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('licence', 'service', 'discount', 'proration_credit', 'credit_balance')),
    description  TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    UNIQUE (invoice_id, position)
);

-- Money received (R-5.5, R-5.6): received_on is the bank value date or the capture date.
CREATE TABLE payments (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants (id),
    invoice_id   TEXT NOT NULL REFERENCES invoices (id),
    channel      TEXT NOT NULL,
    reference    TEXT NOT NULL,
    amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),
    currency     TEXT NOT NULL CHECK (currency IN ('KZT', 'EUR', 'USD')),
    received_on  TEXT NOT NULL,
    recorded_at  BIGINT NOT NULL,
    recorded_by  TEXT REFERENCES users (id),
    UNIQUE (channel, reference)
);
CREATE INDEX payments_invoice ON payments (invoice_id);

-- The ledger of paid time: one period per paid licence invoice, in a chain (anchor + months).
CREATE TABLE licence_periods (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants (id),
    contract_id  TEXT NOT NULL REFERENCES contracts (id),
    invoice_id   TEXT NOT NULL UNIQUE REFERENCES invoices (id),
    plan_code    TEXT NOT NULL REFERENCES plans (code),
    from_on      TEXT NOT NULL,
    to_on        TEXT NOT NULL,
    anchor_on    TEXT NOT NULL,
    chain_months BIGINT NOT NULL,
    paid_minor   BIGINT NOT NULL,
    currency     TEXT NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX licence_periods_tenant ON licence_periods (tenant_id, to_on);

-- The credit balance as a ledger: overpayments and excess credits in, uses out.
CREATE TABLE credit_ledger (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants (id),
    currency     TEXT NOT NULL CHECK (currency IN ('KZT', 'EUR', 'USD')),
    amount_minor BIGINT NOT NULL,
    reason       TEXT NOT NULL,
    invoice_id   TEXT REFERENCES invoices (id),
    payment_id   TEXT REFERENCES payments (id),
    at           BIGINT NOT NULL
);
CREATE INDEX credit_ledger_tenant ON credit_ledger (tenant_id, currency);

-- Billing notices already sent (renewal invoices, reminders, state changes), so that a daily run
-- repeated on the same day sends nothing twice.
CREATE TABLE billing_notices (
    tenant_id TEXT NOT NULL REFERENCES tenants (id),
    kind      TEXT NOT NULL,
    key       TEXT NOT NULL,
    sent_at   BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, kind, key)
);

-- The next day the daily billing run has something to do for a tenant (NULL: at the next run),
-- so that the run reads only the tenants whose day has come.
ALTER TABLE tenants ADD COLUMN billing_due_on TEXT;
CREATE INDEX tenants_billing_due ON tenants (billing_due_on);

-- A price change (R-5.2, R-5.8a): the new versions of a plan decided on one day for one
-- effective date. Saving it notifies every tenant in force on the plan; an alert goes to the
-- operator if a notice is unsent after decided_on + 5 days; when it takes effect, invoices
-- already past due are voided and reissued at the new price.
CREATE TABLE price_changes (
    id             TEXT PRIMARY KEY,
    plan_code      TEXT NOT NULL REFERENCES plans (code),
    decided_on     TEXT NOT NULL,
    effective_from TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    applied_at     BIGINT,
    alerted_at     BIGINT
);
CREATE TABLE price_change_notices (
    price_change_id TEXT NOT NULL REFERENCES price_changes (id),
    tenant_id       TEXT NOT NULL REFERENCES tenants (id),
    mail_id         TEXT NOT NULL,
    PRIMARY KEY (price_change_id, tenant_id)
);

-- Promotions (R-5.7, R-5.8b): a code giving a percentage or a fixed amount off the licence line,
-- for some plans (none listed: every plan), valid between two dates. Changed silently.
CREATE TABLE promotions (
    code       TEXT PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('percent', 'fixed')),
    value      BIGINT NOT NULL CHECK (value > 0),
    currency   TEXT CHECK (currency IN ('KZT', 'EUR', 'USD')),
    plans      TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to   TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Refunds (R-5.7): only by the billing officer, for a contract ended early, capped.
CREATE TABLE refunds (
    id              TEXT PRIMARY KEY,
    tenant_id       TEXT NOT NULL REFERENCES tenants (id),
    invoice_id      TEXT NOT NULL REFERENCES invoices (id),
    amount_minor    BIGINT NOT NULL CHECK (amount_minor > 0),
    currency        TEXT NOT NULL,
    reason          TEXT NOT NULL,
    email_reference TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    created_by      TEXT REFERENCES users (id)
);
CREATE INDEX refunds_invoice ON refunds (invoice_id);

-- Additional services (R-1.9): set-up, consulting, extra storage; a list price per currency, or
-- agreed by e-mail (price_on_request) and invoiced through a quote (R-5.3).
CREATE TABLE service_items (
    code             TEXT PRIMARY KEY,
    name_ru          TEXT NOT NULL,
    name_kk          TEXT NOT NULL,
    name_en          TEXT NOT NULL,
    unit             TEXT NOT NULL CHECK (unit IN ('one_off', 'hour', 'package', 'gb_month')),
    price_on_request BIGINT NOT NULL,
    created_at       BIGINT NOT NULL
);
CREATE TABLE service_prices (
    code         TEXT NOT NULL REFERENCES service_items (code),
    currency     TEXT NOT NULL CHECK (currency IN ('KZT', 'EUR', 'USD')),
    amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),
    PRIMARY KEY (code, currency)
);

-- A quote the billing officer records from an e-mail agreement; its invoice's payment accepts
-- it (R-5.3).
CREATE TABLE quotes (
    id              TEXT PRIMARY KEY,
    tenant_id       TEXT NOT NULL REFERENCES tenants (id),
    invoice_id      TEXT NOT NULL REFERENCES invoices (id),
    email_reference TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('issued', 'accepted_by_payment')),
    created_at      BIGINT NOT NULL
);
CREATE INDEX quotes_tenant ON quotes (tenant_id);

-- Extra storage bought for a term (R-1.9): raises the storage limit from..to only.
CREATE TABLE storage_grants (
    id         TEXT PRIMARY KEY,
    tenant_id  TEXT NOT NULL REFERENCES tenants (id),
    invoice_id TEXT NOT NULL REFERENCES invoices (id),
    bytes      BIGINT NOT NULL,
    from_on    TEXT NOT NULL,
    to_on      TEXT NOT NULL
);
CREATE INDEX storage_grants_tenant ON storage_grants (tenant_id, to_on);

-- Data retention (R-4.4a, A-14): a school that lapsed or refused keeps its data until purge_on,
-- with a warning by purge_warning_on (10 business days ahead); purged_at marks the purge.
ALTER TABLE tenants ADD COLUMN purge_on TEXT;
ALTER TABLE tenants ADD COLUMN purge_warning_on TEXT;
ALTER TABLE tenants ADD COLUMN purged_at BIGINT;
