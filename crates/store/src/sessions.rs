//! Signed-in sessions and the throttling buckets of sign-in.

use educenter_domain::ids::{TenantId, UserId};
use educenter_domain::roles::{AccountKind, SessionKind};
use jiff::Timestamp;

use crate::{
    Cols, Conn, Db, Result, RowRef, aliased,
    direct::{self, Bind},
    tenancy::{self, Tenant},
    to_micros,
};

/// A session to open.
#[derive(Debug, Clone)]
pub struct NewSession<'a> {
    pub secret_hash: &'a str,
    pub user_id: &'a UserId,
    pub tenant_id: Option<&'a TenantId>,
    pub kind: SessionKind,
    pub now: Timestamp,
    pub idle_expires_at: Timestamp,
    pub absolute_expires_at: Timestamp,
    pub ip: Option<&'a str>,
    pub user_agent: Option<&'a str>,
}

pub async fn create(conn: &mut Conn, s: &NewSession<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO sessions (secret_hash, user_id, tenant_id, kind, created_at, last_seen_at, \
         idle_expires_at, absolute_expires_at, ip, user_agent) \
         VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8, $9)",
    )
    .bind(s.secret_hash)
    .bind(s.user_id.as_str())
    .bind(s.tenant_id.map(TenantId::as_str))
    .bind(s.kind.as_str())
    .bind(to_micros(s.now))
    .bind(to_micros(s.idle_expires_at))
    .bind(to_micros(s.absolute_expires_at))
    .bind(s.ip)
    .bind(s.user_agent)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A live session with the person it belongs to.
#[derive(Debug, Clone)]
pub struct LiveSession {
    pub user_id: educenter_domain::ids::UserId,
    pub tenant_id: Option<educenter_domain::ids::TenantId>,
    pub kind: SessionKind,
    pub user_kind: AccountKind,
    pub role: educenter_domain::roles::Role,
    pub idle_expires_at: Timestamp,
    pub absolute_expires_at: Timestamp,
    pub last_seen_at: Timestamp,
    /// Whether the person has switched two-step sign-in on.
    pub mfa_on: bool,
    /// The session's school as it is now (its licence state, SPEC 3.0, as last recorded).
    pub tenant: Option<Tenant>,
}

/// The session of a secret, when it is neither revoked nor expired at `now` and its person has
/// not been removed. A block over its school comes with the school (`Tenant::blocked_reason`):
/// what the session may then reach is the services' decision.
pub async fn live(db: &Db, secret_hash: &str, now: Timestamp) -> Result<Option<LiveSession>> {
    // This runs on every signed-in request: on the direct path, its SQL built once.
    static LIVE: direct::Query = direct::Query::new(|| live_query(&[], ""));
    let binds = [Bind::Text(secret_hash), Bind::Int(to_micros(now))];
    direct::fold(db, &LIVE, &binds, |found: &mut Option<LiveSession>, r| {
        if found.is_none() {
            *found = Some(live_row(r)?);
        }
        Ok(())
    })
    .await
}

/// A query of the live session of `$1` (the secret's hash) at `$2` (the instant), as [`live`]
/// reads it, with more `columns` from more tables `joined` to it (`s` is the session, `t` its
/// school): the pages that run on every request read their data with the session this way, so
/// that a session is live by the same rules everywhere.
pub(crate) fn live_query(columns: &[&str], joined: &str) -> String {
    let mut select = vec![
        "s.user_id, s.tenant_id, s.kind, u.kind AS user_kind, u.role, s.idle_expires_at, \
         s.absolute_expires_at, s.last_seen_at, u.mfa_enabled_at"
            .to_owned(),
        aliased(tenancy::COLUMNS, "t"),
    ];
    select.extend(columns.iter().map(|c| (*c).to_owned()));
    format!(
        "SELECT {} FROM sessions s JOIN users u ON u.id = s.user_id \
         LEFT JOIN tenants t ON t.id = s.tenant_id {joined} \
         WHERE s.secret_hash = $1 AND s.revoked_at IS NULL \
         AND u.removed_at IS NULL AND s.idle_expires_at > $2 AND s.absolute_expires_at > $2",
        select.join(", ")
    )
}

/// A session from the columns of a [`live_query`] row.
pub(crate) fn live_row(r: RowRef<'_>) -> Result<LiveSession> {
    let s = Cols::of(r, "");
    let tenant = Cols::of(r, "t_");
    let user_kind = s.word("user_kind")?;
    Ok(LiveSession {
        user_id: s.get("user_id")?,
        tenant_id: s.get("tenant_id")?,
        kind: s.word("kind")?,
        user_kind,
        role: s.role(user_kind)?,
        idle_expires_at: s.at("idle_expires_at")?,
        absolute_expires_at: s.at("absolute_expires_at")?,
        last_seen_at: s.at("last_seen_at")?,
        mfa_on: s.at_opt("mfa_enabled_at")?.is_some(),
        tenant: match tenant.get::<Option<String>>("id")? {
            Some(_) => Some(tenancy::tenant_cols(tenant)?),
            None => None,
        },
    })
}

/// Records use of a session and pushes its idle expiry forward (never past the absolute one).
pub async fn touch(
    db: &Db,
    secret_hash: &str,
    now: Timestamp,
    idle_until: Timestamp,
) -> Result<()> {
    sqlx::query(
        "UPDATE sessions SET last_seen_at = $1, idle_expires_at = \
         CASE WHEN $2 < absolute_expires_at THEN $2 ELSE absolute_expires_at END \
         WHERE secret_hash = $3 AND revoked_at IS NULL",
    )
    .bind(to_micros(now))
    .bind(to_micros(idle_until))
    .bind(secret_hash)
    .execute(db.pool())
    .await?;
    Ok(())
}

pub async fn revoke(conn: &mut Conn, secret_hash: &str, now: Timestamp) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE sessions SET revoked_at = $1 WHERE secret_hash = $2 AND revoked_at IS NULL",
    )
    .bind(to_micros(now))
    .bind(secret_hash)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Revokes every session of a person; returns how many were live.
pub async fn revoke_all(conn: &mut Conn, user_id: &UserId, now: Timestamp) -> Result<u64> {
    let done = sqlx::query(
        "UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
    )
    .bind(to_micros(now))
    .bind(user_id.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

/// A live session as its person sees it in the list of their sessions.
#[derive(Debug, Clone)]
pub struct SessionRow {
    pub secret_hash: String,
    pub kind: SessionKind,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// The person's live sessions at `now`, the last used first.
pub async fn of_user(conn: &mut Conn, user_id: &UserId, now: Timestamp) -> Result<Vec<SessionRow>> {
    let rows = sqlx::query(
        "SELECT secret_hash, kind, created_at, last_seen_at, ip, user_agent FROM sessions \
         WHERE user_id = $1 AND revoked_at IS NULL AND idle_expires_at > $2 \
         AND absolute_expires_at > $2 ORDER BY last_seen_at DESC, created_at DESC LIMIT 200",
    )
    .bind(user_id.as_str())
    .bind(to_micros(now))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let c = Cols::new(r, "");
            Ok(SessionRow {
                secret_hash: c.get("secret_hash")?,
                kind: c.word("kind")?,
                created_at: c.at("created_at")?,
                last_seen_at: c.at("last_seen_at")?,
                ip: c.get("ip")?,
                user_agent: c.get("user_agent")?,
            })
        })
        .collect()
}

/// Whether the person signed in before (any session, live or not), and whether any of those
/// sessions came from a device with this user agent.
pub async fn device_seen(
    conn: &mut Conn,
    user_id: &UserId,
    user_agent: Option<&str>,
) -> Result<(bool, bool)> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n, COALESCE(SUM(CASE WHEN COALESCE(user_agent, '') = $2 THEN 1 ELSE 0 END), 0) \
         AS same FROM sessions WHERE user_id = $1",
    )
    .bind(user_id.as_str())
    .bind(user_agent.unwrap_or(""))
    .fetch_one(&mut *conn)
    .await?;
    let c = Cols::new(&row, "");
    Ok((c.get::<i64>("n")? > 0, c.get::<i64>("same")? > 0))
}

/// A token bucket: `capacity` tokens, one more every `refill` (by the application clock).
#[derive(Debug, Clone, Copy)]
pub struct Bucket {
    pub capacity: i64,
    pub refill: jiff::SignedDuration,
}

impl Bucket {
    fn level(&self, tokens: i64, updated_at: Timestamp, now: Timestamp) -> (i64, Timestamp) {
        let step = self.refill.as_micros().max(1);
        let elapsed = (now.as_microsecond() - updated_at.as_microsecond()).max(0) as i128;
        let gained = i64::try_from(elapsed / step).unwrap_or(i64::MAX);
        if tokens.saturating_add(gained) >= self.capacity {
            (self.capacity, now)
        } else {
            // Keep the remainder of a partly refilled token.
            let used = i64::try_from(i128::from(gained) * step).unwrap_or(0);
            (
                tokens + gained,
                Timestamp::from_microsecond(updated_at.as_microsecond() + used).unwrap_or(now),
            )
        }
    }
}

/// Takes one token from a bucket, atomically even with concurrent requests on several
/// instances: `None` when a token was taken, else how long until one is free. Call it in a
/// write transaction (the row is locked until the transaction ends).
pub async fn try_take(
    conn: &mut Conn,
    bucket: &str,
    shape: Bucket,
    now: Timestamp,
) -> Result<Option<jiff::SignedDuration>> {
    sqlx::query(
        "INSERT INTO rate_limits (bucket, tokens, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (bucket) DO NOTHING",
    )
    .bind(bucket)
    .bind(shape.capacity)
    .bind(to_micros(now))
    .execute(&mut *conn)
    .await?;
    // A no-op update takes the row lock on PostgreSQL, so the read below sees the last
    // committed count and no concurrent request can spend the same token.
    sqlx::query("UPDATE rate_limits SET tokens = tokens WHERE bucket = $1")
        .bind(bucket)
        .execute(&mut *conn)
        .await?;
    let row = sqlx::query("SELECT tokens, updated_at FROM rate_limits WHERE bucket = $1")
        .bind(bucket)
        .fetch_one(&mut *conn)
        .await?;
    let (tokens, since) = {
        let c = Cols::new(&row, "");
        shape.level(c.get("tokens")?, c.at("updated_at")?, now)
    };
    if tokens <= 0 {
        return Ok(Some((since + shape.refill).duration_since(now)));
    }
    sqlx::query("UPDATE rate_limits SET tokens = $1, updated_at = $2 WHERE bucket = $3")
        .bind(tokens - 1)
        .bind(to_micros(since))
        .bind(bucket)
        .execute(&mut *conn)
        .await?;
    Ok(None)
}

/// Returns a token taken by [`try_take`] (the attempt succeeded), never above capacity.
pub async fn give_back(conn: &mut Conn, bucket: &str, shape: Bucket) -> Result<()> {
    sqlx::query(
        "UPDATE rate_limits SET tokens = CASE WHEN tokens + 1 > $1 THEN $1 ELSE tokens + 1 END \
         WHERE bucket = $2",
    )
    .bind(shape.capacity)
    .bind(bucket)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
