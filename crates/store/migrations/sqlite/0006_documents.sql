-- The operator's requisites (R-10), versioned: a document keeps the version in force when it
-- was issued (an invoice snapshots it; an act records its version).
CREATE TABLE operator_profiles (
    version     INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    bin         TEXT NOT NULL,
    address     TEXT NOT NULL,
    phone       TEXT NOT NULL,
    email       TEXT NOT NULL,
    bank        TEXT NOT NULL,
    iik         TEXT NOT NULL,
    bik         TEXT NOT NULL,
    kbe         TEXT NOT NULL,
    knp         TEXT NOT NULL,
    signer      TEXT NOT NULL,
    -- NULL: not a VAT payer ("Без НДС"); else the rate included in prices, in percent.
    vat_percent INTEGER,
    created_at  INTEGER NOT NULL,
    created_by  TEXT REFERENCES users (id)
);
INSERT INTO operator_profiles (version, name, bin, address, phone, email, bank, iik, bik, kbe,
    knp, signer, vat_percent, created_at)
VALUES (1, 'ТОО «EduCenter»', '151140002258',
    'г. Алматы, Алмалинский район, ул. Богенбай батыра, 150', '+7 727 339 00 00',
    'info@educenter.kz', 'АО «ForteBank»', 'KZ4796502F0008883813', 'IRTYKZKA', '17', '859',
    'Директор', NULL, 0);

-- How the school's documents are written: language (ru or kk) and postal address.
ALTER TABLE tenants ADD COLUMN document_lang TEXT NOT NULL DEFAULT 'ru';
ALTER TABLE tenants ADD COLUMN address TEXT NOT NULL DEFAULT '';

CREATE TABLE act_numbers (
    year     INTEGER PRIMARY KEY,
    last_seq INTEGER NOT NULL
);

-- Monthly acts of services rendered (R-5.9, A-17) and their objection window (R-5.9.1).
CREATE TABLE acts (
    id              TEXT PRIMARY KEY,
    tenant_id       TEXT NOT NULL REFERENCES tenants (id),
    number          TEXT NOT NULL UNIQUE,
    month           TEXT NOT NULL,
    currency        TEXT NOT NULL CHECK (currency IN ('KZT', 'EUR', 'USD')),
    total_minor     INTEGER NOT NULL,
    drawn_on        TEXT NOT NULL,
    published_at    INTEGER NOT NULL,
    -- The last day to object (publication + 3 days, rolled to a business day, A-3).
    window_ends_on  TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('published', 'objected', 'accepted')),
    accepted_at     INTEGER,
    objected_at     INTEGER,
    objection       TEXT,
    objection_by    TEXT,
    lang            TEXT NOT NULL,
    supplier        TEXT NOT NULL,
    customer        TEXT NOT NULL
);
CREATE INDEX acts_tenant ON acts (tenant_id, month);
CREATE INDEX acts_open ON acts (window_ends_on) WHERE status = 'published';

CREATE TABLE act_lines (
    id           TEXT PRIMARY KEY,
    act_id       TEXT NOT NULL REFERENCES acts (id),
    tenant_id    TEXT NOT NULL REFERENCES tenants (id),
    position     INTEGER NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('licence', 'service')),
    description  TEXT NOT NULL,
    from_on      TEXT NOT NULL,
    to_on        TEXT NOT NULL,
    quantity     INTEGER NOT NULL,
    unit         TEXT NOT NULL,
    price_minor  INTEGER NOT NULL,
    amount_minor INTEGER NOT NULL,
    invoice_id   TEXT NOT NULL REFERENCES invoices (id),
    -- What the line acts for: a licence period (its invoice id) or a service line of an
    -- invoice ("{invoice id}#{position}"). With the month it is unique, so a second run, or
    -- money recorded late on a supplementary act, never bills the same thing twice.
    source       TEXT NOT NULL,
    month        TEXT NOT NULL,
    UNIQUE (act_id, position),
    UNIQUE (tenant_id, month, source)
);

-- A request for a paper or electronic copy of an act, for the operator to act on.
CREATE TABLE act_copy_requests (
    id           TEXT PRIMARY KEY,
    act_id       TEXT NOT NULL REFERENCES acts (id),
    tenant_id    TEXT NOT NULL REFERENCES tenants (id),
    kind         TEXT NOT NULL CHECK (kind IN ('paper', 'electronic')),
    requested_at INTEGER NOT NULL,
    requested_by TEXT REFERENCES users (id),
    done_at      INTEGER,
    done_by      TEXT REFERENCES users (id)
);
CREATE INDEX act_copy_requests_open ON act_copy_requests (requested_at) WHERE done_at IS NULL;
