//! The mail outbox: a message is a row written in the same transaction as the event that
//! causes it, so a committed event never loses its mail and a rolled-back one sends none.
//!
//! A sender claims a row (`sending`, with a lease by the wall clock), delivers it and marks it
//! `sent`. A process killed mid-delivery leaves the row `sending`; when the lease runs out it
//! is claimed again, so a message is delivered twice only when its delivery was interrupted.
//!
//! Transactional mail goes first; bulk mail takes turns between schools: each bulk message
//! gets its school's next turn (`fair_rank`) when it is queued, never earlier than the turn
//! being served, and the claim takes the lowest turn. A school that queues 5,000 messages
//! holds the turns 1 to 5,000; another school's message queued meanwhile gets the turn being
//! served and goes out next to it.

use educenter_domain::ids::TenantId;
use educenter_domain::queues::MailState;
use jiff::Timestamp;
use serde::Serialize;
use sqlx::{AssertSqlSafe, any::AnyRow};

use crate::{Cols, Conn, Db, Engine, Result, new_id, to_micros};

/// How a message waits for its turn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MailClass {
    /// A person waits for it (a reset link, a sign-in code, a verification link, an invoice,
    /// one person's invitation): before any bulk mail.
    Transactional,
    /// One of many sent at once for a school (a CSV import's invitations, a notice to every
    /// school): after transactional mail, taking turns with other schools' bulk mail.
    Bulk { tenant_id: TenantId },
}

/// A message to queue.
#[derive(Debug, Clone)]
pub struct NewMail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
    pub class: MailClass,
}

/// Queues a message in the caller's transaction; returns its id.
pub async fn queue(conn: &mut Conn, mail: &NewMail, now: Timestamp) -> Result<String> {
    let id = new_id();
    let (priority, tenant, rank) = match &mail.class {
        MailClass::Transactional => (0i64, None, 0),
        MailClass::Bulk { tenant_id } => (
            1,
            Some(tenant_id.as_str()),
            next_turn(conn, tenant_id, now).await?,
        ),
    };
    sqlx::query(
        "INSERT INTO mail_outbox (id, to_address, subject, text_body, html_body, state, \
         attempts, next_attempt_at, created_at, priority, tenant_id, fair_rank) \
         VALUES ($1, $2, $3, $4, $5, 'queued', 0, $6, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(&mail.to)
    .bind(&mail.subject)
    .bind(&mail.text)
    .bind(mail.html.as_deref())
    .bind(to_micros(now))
    .bind(priority)
    .bind(tenant)
    .bind(rank)
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// [`queue`] for many messages: the transactional ones in a few statements, bulk ones (which
/// take their school's turn) one by one.
pub async fn queue_many(conn: &mut Conn, mails: &[NewMail], now: Timestamp) -> Result<()> {
    let (now_first, rest): (Vec<&NewMail>, Vec<&NewMail>) = mails
        .iter()
        .partition(|m| m.class == MailClass::Transactional);
    // The instant is both the first try's and the creation's, so it is bound twice.
    const ROW: &str = "({}, {}, {}, {}, {}, 'queued', 0, {}, {}, 0, NULL, 0)";
    let batch = crate::Batch::of(conn);
    for part in now_first.chunks(batch.rows(ROW.matches("{}").count())) {
        let rows = batch.tuples_of(part.len(), ROW);
        let sql = format!(
            "INSERT INTO mail_outbox (id, to_address, subject, text_body, html_body, state, \
             attempts, next_attempt_at, created_at, priority, tenant_id, fair_rank) VALUES {rows}"
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for mail in part {
            q = q
                .bind(new_id())
                .bind(mail.to.clone())
                .bind(mail.subject.clone())
                .bind(mail.text.clone())
                .bind(mail.html.clone())
                .bind(to_micros(now))
                .bind(to_micros(now));
        }
        q.execute(&mut *conn).await?;
    }
    for mail in rest {
        queue(conn, mail, now).await?;
    }
    Ok(())
}

/// The turn of a school's next bulk message: after its own last one still queued, and not
/// before the lowest turn due now (the one being served), so a school that had nothing queued
/// is not put behind turns already served, nor ahead of them.
async fn next_turn(conn: &mut Conn, tenant_id: &TenantId, now: Timestamp) -> Result<i64> {
    // Both reads walk an index in order and stop at the first row (mail_outbox_tenant_turn,
    // mail_outbox_claim).
    let row = sqlx::query(
        "SELECT (SELECT fair_rank FROM mail_outbox WHERE state = 'queued' AND tenant_id = $1 \
                 ORDER BY fair_rank DESC LIMIT 1) AS last, \
                (SELECT fair_rank FROM mail_outbox WHERE state = 'queued' AND priority = 1 \
                 AND next_attempt_at <= $2 ORDER BY fair_rank LIMIT 1) AS serving",
    )
    .bind(tenant_id.as_str())
    .bind(to_micros(now))
    .fetch_one(&mut *conn)
    .await?;
    let c = Cols::new(&row, "");
    let last: Option<i64> = c.get("last")?;
    let serving: Option<i64> = c.get("serving")?;
    Ok(last.map_or(0, |l| l + 1).max(serving.unwrap_or(0)))
}

/// A message as stored.
#[derive(Debug, Clone, Serialize)]
pub struct Mail {
    pub id: String,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
    pub state: MailState,
    pub attempts: i64,
    pub next_attempt_at: Timestamp,
    pub last_error: Option<String>,
    pub created_at: Timestamp,
    pub sent_at: Option<Timestamp>,
    pub class: MailClass,
}

const MAIL_COLUMNS: &str = "id, to_address, subject, text_body, html_body, state, attempts, \
                            next_attempt_at, last_error, created_at, sent_at, priority, tenant_id";

fn mail_from_row(row: &AnyRow) -> Result<Mail> {
    let c = Cols::new(row, "");
    Ok(Mail {
        id: c.get("id")?,
        to: c.get("to_address")?,
        subject: c.get("subject")?,
        text: c.get("text_body")?,
        html: c.get("html_body")?,
        state: c.word("state")?,
        attempts: c.get("attempts")?,
        next_attempt_at: c.at("next_attempt_at")?,
        last_error: c.get("last_error")?,
        created_at: c.at("created_at")?,
        sent_at: c.at_opt("sent_at")?,
        // Bulk mail is a school's (`queue` writes its id). A row without one (only hand-edited
        // SQL makes it) reads as transactional rather than failing: the class only ordered the
        // queueing, and the mail must still go.
        class: match (c.get::<i64>("priority")?, c.get("tenant_id")?) {
            (0, _) | (_, None) => MailClass::Transactional,
            (_, Some(tenant_id)) => MailClass::Bulk { tenant_id },
        },
    })
}

/// A message claimed by one sender: `token` identifies this claim, so a sender whose lease
/// ran out cannot overwrite what the next holder did.
#[derive(Debug, Clone)]
pub struct ClaimedMail {
    pub mail: Mail,
    pub token: String,
}

/// Claims a message whose sender's lease ran out by `wall_now` and that has attempts left
/// (`max_attempts`), or else the first message due by `now`: transactional before bulk, bulk
/// by turn (see the module's notes). Returns it with `attempts` already counting this
/// attempt.
pub async fn claim(
    db: &Db,
    now: Timestamp,
    wall_now: Timestamp,
    lease: std::time::Duration,
    max_attempts: i64,
) -> Result<Option<ClaimedMail>> {
    let lock = match db.engine() {
        Engine::Postgres => " FOR UPDATE SKIP LOCKED",
        Engine::Sqlite => "",
    };
    // Two lookups rather than one with OR, so each walks its index in order and stops at the
    // first row (mail_outbox_due for the few `sending`, mail_outbox_claim for the queue).
    let sql = format!(
        "UPDATE mail_outbox SET state = 'sending', attempts = attempts + 1, lease_until = $1, \
         claimed_by = $4 WHERE id = COALESCE(\
         (SELECT id FROM mail_outbox WHERE state = 'sending' AND lease_until < $3 \
          AND attempts < $5 ORDER BY next_attempt_at LIMIT 1{lock}), \
         (SELECT id FROM mail_outbox WHERE state = 'queued' AND next_attempt_at <= $2 \
          ORDER BY priority, fair_rank, next_attempt_at, id LIMIT 1{lock})) \
         RETURNING {MAIL_COLUMNS}"
    );
    let lease_until = wall_now + jiff::SignedDuration::try_from(lease).unwrap_or_default();
    let token = new_id();
    let row = sqlx::query(AssertSqlSafe(sql))
        .bind(to_micros(lease_until))
        .bind(to_micros(now))
        .bind(to_micros(wall_now))
        .bind(&token)
        .bind(max_attempts)
        .fetch_optional(db.pool())
        .await?;
    row.as_ref()
        .map(|r| {
            Ok(ClaimedMail {
                mail: mail_from_row(r)?,
                token: token.clone(),
            })
        })
        .transpose()
}

/// Messages whose sender died during their last allowed attempt become `dead` (they would
/// otherwise be retried forever). Returns how many.
pub async fn bury_abandoned(db: &Db, wall_now: Timestamp, max_attempts: i64) -> Result<u64> {
    let done = sqlx::query(
        "UPDATE mail_outbox SET state = 'dead', lease_until = NULL, claimed_by = NULL, \
         last_error = 'the sender stopped during the last attempt' \
         WHERE state = 'sending' AND lease_until < $1 AND attempts >= $2",
    )
    .bind(to_micros(wall_now))
    .bind(max_attempts)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected())
}

/// Whether a message is being delivered right now by a sender whose lease still runs.
pub async fn sending_live(db: &Db, wall_now: Timestamp) -> Result<bool> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM mail_outbox WHERE state = 'sending' AND lease_until >= $1",
    )
    .bind(to_micros(wall_now))
    .fetch_one(db.pool())
    .await?;
    Ok(Cols::new(&row, "").get::<i64>("n")? > 0)
}

/// Records a delivery. `false` when this claim no longer holds the message (its lease ran
/// out and another sender took it over).
pub async fn mark_sent(db: &Db, claim: &ClaimedMail, now: Timestamp) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE mail_outbox SET state = 'sent', sent_at = $1, lease_until = NULL, \
         claimed_by = NULL, last_error = NULL \
         WHERE id = $2 AND state = 'sending' AND claimed_by = $3",
    )
    .bind(to_micros(now))
    .bind(&claim.mail.id)
    .bind(&claim.token)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records a failed delivery: queued again at `retry_at`, or `dead` when `None`. `false` when
/// this claim no longer holds the message.
pub async fn mark_failed(
    db: &Db,
    claim: &ClaimedMail,
    error: &str,
    retry_at: Option<Timestamp>,
) -> Result<bool> {
    let (state, at) = match retry_at {
        Some(at) => (MailState::Queued, Some(to_micros(at))),
        None => (MailState::Dead, None),
    };
    let done = sqlx::query(
        "UPDATE mail_outbox SET state = $1, next_attempt_at = COALESCE($2, next_attempt_at), \
         last_error = $3, lease_until = NULL, claimed_by = NULL \
         WHERE id = $4 AND state = 'sending' AND claimed_by = $5",
    )
    .bind(state.as_str())
    .bind(at)
    .bind(error)
    .bind(&claim.mail.id)
    .bind(&claim.token)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Puts a dead message back in the queue, due at `now`.
pub async fn retry_dead(conn: &mut Conn, id: &str, now: Timestamp) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE mail_outbox SET state = 'queued', attempts = 0, next_attempt_at = $1 \
         WHERE id = $2 AND state = 'dead'",
    )
    .bind(to_micros(now))
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Messages sent to an address, newest first.
pub async fn sent_to(db: &Db, to: &str, limit: i64) -> Result<Vec<Mail>> {
    let sql = format!(
        "SELECT {MAIL_COLUMNS} FROM mail_outbox WHERE to_address = $1 AND state = 'sent' \
         ORDER BY sent_at DESC, id DESC LIMIT $2"
    );
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(to)
        .bind(limit)
        .fetch_all(db.pool())
        .await?;
    rows.iter().map(mail_from_row).collect()
}

/// Messages in a state (all when `None`), newest first.
pub async fn list(db: &Db, state: Option<MailState>, limit: i64) -> Result<Vec<Mail>> {
    let sql = format!(
        "SELECT {MAIL_COLUMNS} FROM mail_outbox WHERE ($1 IS NULL OR state = $1) \
         ORDER BY created_at DESC, id DESC LIMIT $2"
    );
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(state.map(|s| s.as_str()))
        .bind(limit)
        .fetch_all(db.pool())
        .await?;
    rows.iter().map(mail_from_row).collect()
}

/// How many messages are in each state.
pub async fn count_by_state(db: &Db) -> Result<Vec<(MailState, i64)>> {
    let rows =
        sqlx::query("SELECT state, COUNT(*) AS n FROM mail_outbox GROUP BY state ORDER BY state")
            .fetch_all(db.pool())
            .await?;
    rows.iter()
        .map(|r| {
            let c = Cols::new(r, "");
            Ok((c.word::<MailState>("state")?, c.get::<i64>("n")?))
        })
        .collect()
}

/// The earliest time a queued message is due.
pub async fn next_due(db: &Db) -> Result<Option<Timestamp>> {
    let row =
        sqlx::query("SELECT MIN(next_attempt_at) AS t FROM mail_outbox WHERE state = 'queued'")
            .fetch_one(db.pool())
            .await?;
    Cols::new(&row, "").at_opt("t")
}

/// How many messages to an address are due by `now` or being delivered right now.
pub async fn pending_to(db: &Db, to: &str, now: Timestamp) -> Result<i64> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM mail_outbox WHERE to_address = $1 AND \
         (state = 'sending' OR (state = 'queued' AND next_attempt_at <= $2))",
    )
    .bind(to)
    .bind(to_micros(now))
    .fetch_one(db.pool())
    .await?;
    Cols::new(&row, "").get("n")
}
