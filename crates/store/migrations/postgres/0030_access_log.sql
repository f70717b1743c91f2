-- Issue 18, item 6 (R-2.5c): the access log. Every sign-in, failed sign-in, sign-out and request
-- of someone signed in, with its UTC time, school, actor, address and browser: a row per sign-in,
-- failure and sign-out here, and the requests in access_log_requests below. Append-only: no
-- entry is ever changed; entries go only when kept long enough (the contract term plus three
-- years, A-14).
CREATE TABLE access_log (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         BIGINT NOT NULL,
    event      TEXT NOT NULL CHECK (event IN ('request', 'sign_in', 'sign_in_failed', 'sign_out')),
    tenant_id  TEXT,
    actor_kind TEXT,
    actor_id   TEXT,
    token_id   TEXT,
    method     TEXT,
    route      TEXT,
    status     BIGINT,
    ip         TEXT,
    user_agent TEXT
);
-- One index: a school's entries by time, and (tenant_id NULL) those of no school by time.
CREATE INDEX access_log_tenant_at ON access_log (tenant_id, at);
CREATE FUNCTION access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'access_log is append-only';
END;
$$;
CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
    FOR EACH ROW EXECUTE FUNCTION access_log_append_only();
CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log
    FOR EACH STATEMENT EXECUTE FUNCTION access_log_append_only();

-- The requests of people signed in: a row per school per write of the writer (about a second),
-- its entries as JSON Lines, one array a request: [at (microseconds), actor_kind, actor_id,
-- token_id, method, route, status, ip, user_agent].
CREATE TABLE access_log_requests (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id TEXT,
    first_at  BIGINT NOT NULL,
    last_at   BIGINT NOT NULL,
    entries   BIGINT NOT NULL,
    body      TEXT NOT NULL
);
CREATE INDEX access_log_requests_tenant_at ON access_log_requests (tenant_id, last_at);
CREATE TRIGGER access_log_requests_no_update BEFORE UPDATE ON access_log_requests
    FOR EACH ROW EXECUTE FUNCTION access_log_append_only();
CREATE TRIGGER access_log_requests_no_truncate BEFORE TRUNCATE ON access_log_requests
    FOR EACH STATEMENT EXECUTE FUNCTION access_log_append_only();
