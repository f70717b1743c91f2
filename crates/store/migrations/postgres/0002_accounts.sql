-- Accounts, tenancy and the offer: the business-day calendar, offer versions, tenants, people
-- who sign in, contracts, acceptances, single-use e-mailed tokens and trial claims.
-- Keep in step with ../sqlite/0002_accounts.sql.

CREATE TABLE business_calendar_years (
    year             BIGINT PRIMARY KEY,
    non_working_days TEXT NOT NULL,
    working_days     TEXT NOT NULL,
    source           TEXT NOT NULL,
    updated_at       BIGINT NOT NULL
);

CREATE TABLE offer_versions (
    number         BIGINT PRIMARY KEY,
    text_ru        TEXT NOT NULL,
    text_kk        TEXT,
    change_summary TEXT NOT NULL,
    published_at   BIGINT NOT NULL,
    published_on   TEXT NOT NULL
);

CREATE TABLE tenants (
    id                   TEXT PRIMARY KEY,
    slug                 TEXT NOT NULL UNIQUE,
    name                 TEXT NOT NULL,
    kind                 TEXT NOT NULL CHECK (kind IN ('individual', 'sole_proprietor', 'legal_entity')),
    bin_iin              TEXT NOT NULL,
    resident             BIGINT NOT NULL,
    locale               TEXT NOT NULL,
    state                TEXT NOT NULL,
    created_at           BIGINT NOT NULL,
    trial_started_at     BIGINT NOT NULL,
    trial_ends_on        TEXT NOT NULL,
    application_deadline TEXT NOT NULL
);
CREATE INDEX tenants_bin_iin ON tenants (bin_iin);

-- Everyone who signs in: operator staff (tenant_id NULL) and a tenant's owner, staff and
-- learners. An e-mail is unique within its tenant (or among operator staff).
CREATE TABLE users (
    id                TEXT PRIMARY KEY,
    tenant_id         TEXT REFERENCES tenants (id),
    scope             TEXT NOT NULL,
    kind              TEXT NOT NULL CHECK (kind IN ('operator', 'owner', 'staff', 'learner')),
    role              TEXT NOT NULL,
    email             TEXT NOT NULL,
    email_verified_at BIGINT,
    full_name         TEXT NOT NULL,
    phone             TEXT,
    password_hash     TEXT,
    locale            TEXT NOT NULL,
    created_at        BIGINT NOT NULL,
    removed_at        BIGINT,
    UNIQUE (scope, email)
);
CREATE INDEX users_tenant ON users (tenant_id);

CREATE TABLE contracts (
    id            TEXT PRIMARY KEY,
    tenant_id     TEXT NOT NULL REFERENCES tenants (id),
    number        BIGINT NOT NULL,
    status        TEXT NOT NULL,
    offer_version BIGINT NOT NULL REFERENCES offer_versions (number),
    started_at    BIGINT NOT NULL,
    ended_at      BIGINT,
    end_reason    TEXT,
    UNIQUE (tenant_id, number)
);

CREATE TABLE acceptances (
    id            TEXT PRIMARY KEY,
    tenant_id     TEXT NOT NULL REFERENCES tenants (id),
    user_id       TEXT REFERENCES users (id),
    offer_version BIGINT NOT NULL REFERENCES offer_versions (number),
    method        TEXT NOT NULL CHECK (method IN ('checkbox', 'email_verification', 'payment', 'deemed')),
    accepted_at   BIGINT NOT NULL,
    ip            TEXT,
    user_agent    TEXT
);
CREATE INDEX acceptances_tenant ON acceptances (tenant_id, accepted_at);

-- Single-use links sent by e-mail; only a hash of the secret is stored.
CREATE TABLE email_tokens (
    token_hash TEXT PRIMARY KEY,
    purpose    TEXT NOT NULL,
    user_id    TEXT NOT NULL REFERENCES users (id),
    tenant_id  TEXT REFERENCES tenants (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX email_tokens_user ON email_tokens (user_id, purpose);

-- One trial per IIN/BIN, e-mail and phone (A-22); an operator may lift a claim.
CREATE TABLE trial_claims (
    kind      TEXT NOT NULL,
    value     TEXT NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants (id),
    PRIMARY KEY (kind, value)
);

-- Signed-in sessions, of people in a browser (`web`) and of programs (`api`); only a hash of
-- the secret is stored.
CREATE TABLE sessions (
    secret_hash         TEXT PRIMARY KEY,
    user_id             TEXT NOT NULL REFERENCES users (id),
    tenant_id           TEXT REFERENCES tenants (id),
    kind                TEXT NOT NULL CHECK (kind IN ('web', 'api')),
    created_at          BIGINT NOT NULL,
    last_seen_at        BIGINT NOT NULL,
    idle_expires_at     BIGINT NOT NULL,
    absolute_expires_at BIGINT NOT NULL,
    revoked_at          BIGINT,
    ip                  TEXT,
    user_agent          TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Token buckets for throttling (sign-in failures per account and per address), kept in the
-- database so that they hold across instances.
CREATE TABLE rate_limits (
    bucket     TEXT PRIMARY KEY,
    tokens     BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- API tokens of a tenant (R-3.5.6, A-15): named, read or read_write, stored as a hash.
CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants (id),
    user_id      TEXT NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    scope        TEXT NOT NULL CHECK (scope IN ('read', 'read_write')),
    secret_hash  TEXT NOT NULL UNIQUE,
    created_at   BIGINT NOT NULL,
    expires_on   TEXT,
    last_used_at BIGINT,
    revoked_at   BIGINT
);
CREATE INDEX api_tokens_tenant ON api_tokens (tenant_id);

-- Termination notices (R-8.2): filed by the owner, or created by an objection to a new offer
-- version (R-2.3c, A-12), or a refusal during the trial (R-4.4a). The contract stays in force
-- through effective_on, under governing_version.
CREATE TABLE termination_notices (
    id                TEXT PRIMARY KEY,
    tenant_id         TEXT NOT NULL REFERENCES tenants (id),
    contract_id       TEXT NOT NULL REFERENCES contracts (id),
    reason            TEXT NOT NULL CHECK (reason IN ('objection', 'notice', 'refusal')),
    offer_version     BIGINT REFERENCES offer_versions (number),
    governing_version BIGINT NOT NULL REFERENCES offer_versions (number),
    filed_at          BIGINT NOT NULL,
    filed_on          TEXT NOT NULL,
    effective_on      TEXT NOT NULL,
    filed_by          TEXT REFERENCES users (id),
    withdrawn_at      BIGINT
);
CREATE INDEX termination_notices_tenant ON termination_notices (tenant_id);
-- At most one pending notice per contract, even for two requests at the same moment.
CREATE UNIQUE INDEX termination_notices_one_pending ON termination_notices (contract_id)
    WHERE withdrawn_at IS NULL;
