-- Issue 15, item 16: mail a person waits for (a reset link, a sign-in code, an invoice, one
-- person's invitation) goes before bulk mail (a CSV import's invitations, a notice to every
-- school), and bulk mail takes turns between schools, so that one school's 5,000 messages
-- hold up neither another school's password reset nor its own notices.
--
-- priority: 0 transactional, 1 bulk. tenant_id: the school a bulk message is sent for.
-- fair_rank: a bulk message's turn, given when it is queued: one more than its school's last
-- queued message, and never before the turn being served now, so each school's n-th waiting
-- message is served with every other school's n-th.
ALTER TABLE mail_outbox ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mail_outbox ADD COLUMN tenant_id TEXT;
ALTER TABLE mail_outbox ADD COLUMN fair_rank INTEGER NOT NULL DEFAULT 0;

-- The claim reads queued mail in this order and stops at the first one due.
CREATE INDEX mail_outbox_claim ON mail_outbox (state, priority, fair_rank, next_attempt_at, id);
-- A school's last queued turn.
CREATE INDEX mail_outbox_tenant_turn ON mail_outbox (state, tenant_id, fair_rank);
