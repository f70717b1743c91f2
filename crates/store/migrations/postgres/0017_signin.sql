-- Issue 15, items 11 and 16: sign-in with e-mail and password alone (the school is found, or
-- asked for when the e-mail is at several), and throttling that never locks the right
-- password out (after 5 failures a code is e-mailed to the address instead).
CREATE INDEX users_email ON users (email);

-- A code e-mailed to an address whose sign-ins failed too often: with the right password it
-- signs in. Only a hash is kept; a few tries, a short life.
CREATE TABLE login_codes (
    email      TEXT PRIMARY KEY,
    code_hash  TEXT NOT NULL,
    sent_at    BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    attempts   BIGINT NOT NULL DEFAULT 0
);

-- After the right password matched people of several schools: the accounts to choose from,
-- for a few minutes, behind a secret only the browser holds (its hash is kept).
CREATE TABLE login_choices (
    secret_hash TEXT PRIMARY KEY,
    user_ids    TEXT NOT NULL,
    expires_at  BIGINT NOT NULL
);
