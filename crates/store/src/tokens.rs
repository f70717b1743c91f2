//! API tokens of a tenant. Every query filters by the tenant.

use educenter_domain::ids::{TenantId, UserId};
use educenter_domain::{
    billing::LicenceState,
    roles::{AccountKind, TokenScope},
    tenancy::BlockReason,
};
use jiff::{Timestamp, civil::Date};
use serde::Serialize;
use sqlx::any::AnyRow;

use crate::page::{Keyset, Kind, Page, PageRequest};
use crate::{Cols, Conn, Db, Result, new_id, to_micros};

#[derive(Debug, Clone, Serialize)]
pub struct ApiToken {
    pub id: String,
    pub user_id: UserId,
    pub name: String,
    pub scope: TokenScope,
    pub created_at: Timestamp,
    pub expires_on: Option<Date>,
    pub last_used_at: Option<Timestamp>,
}

const COLUMNS: &str = "id, user_id, name, scope, created_at, expires_on, last_used_at";

fn from_row(r: &AnyRow) -> Result<ApiToken> {
    let c = Cols::new(r, "");
    Ok(ApiToken {
        id: c.get("id")?,
        user_id: c.get("user_id")?,
        name: c.get("name")?,
        scope: c.word("scope")?,
        created_at: c.at("created_at")?,
        expires_on: c.date_opt("expires_on")?,
        last_used_at: c.at_opt("last_used_at")?,
    })
}

/// An API token to create.
#[derive(Debug, Clone)]
pub struct NewToken<'a> {
    /// The tenant the token belongs to.
    pub tenant_id: &'a TenantId,
    /// The person who creates the token and as whom it acts.
    pub user_id: &'a UserId,
    /// The name its creator gave it.
    pub name: &'a str,
    /// What it may do (`read` or `read_write`).
    pub scope: TokenScope,
    /// The hash of its secret (the secret itself is never stored).
    pub secret_hash: &'a str,
    /// The last day it may be used, or `None` when it never expires.
    pub expires_on: Option<Date>,
}

/// Creates a token at `now`.
pub async fn create(conn: &mut Conn, t: &NewToken<'_>, now: Timestamp) -> Result<ApiToken> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO api_tokens (id, tenant_id, user_id, name, scope, secret_hash, created_at, \
         expires_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(t.tenant_id.as_str())
    .bind(t.user_id.as_str())
    .bind(t.name)
    .bind(t.scope.as_str())
    .bind(t.secret_hash)
    .bind(to_micros(now))
    .bind(t.expires_on.map(|d| d.to_string()))
    .execute(&mut *conn)
    .await?;
    Ok(ApiToken {
        id,
        user_id: t.user_id.clone(),
        name: t.name.to_owned(),
        scope: t.scope,
        created_at: now,
        expires_on: t.expires_on,
        last_used_at: None,
    })
}

/// The tenant's live tokens (all of them, or one person's), newest first.
pub async fn list(
    db: &Db,
    tenant_id: &TenantId,
    user_id: Option<&UserId>,
) -> Result<Vec<ApiToken>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM api_tokens WHERE tenant_id = $1 AND revoked_at IS NULL \
         AND ($2 IS NULL OR user_id = $2) ORDER BY created_at DESC, id DESC"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id.as_str())
        .bind(user_id.map(|u| u.as_str()))
        .fetch_all(db.pool())
        .await?;
    rows.iter().map(from_row).collect()
}

const TOKEN_PAGES: Keyset = Keyset {
    name: "tokens",
    columns: &[("created_at", Kind::Int), ("id", Kind::Text)],
    desc: true,
};

/// A page of the tenant's live tokens (all of them, or one person's), newest first.
pub async fn list_page(
    conn: &mut Conn,
    tenant_id: &TenantId,
    user_id: Option<&UserId>,
    req: &PageRequest,
) -> Result<Page<ApiToken>> {
    let select = format!(
        "SELECT {COLUMNS} FROM api_tokens WHERE tenant_id = $1 AND revoked_at IS NULL \
         AND ($2 IS NULL OR user_id = $2)"
    );
    TOKEN_PAGES
        .fetch(
            conn,
            req,
            &select,
            vec![tenant_id.into(), user_id.into()],
            from_row,
            |t| vec![to_micros(t.created_at).into(), (&t.id).into()],
        )
        .await
}

/// A live token of the tenant by id (another tenant's id finds nothing).
pub async fn get(conn: &mut Conn, tenant_id: &TenantId, id: &str) -> Result<Option<ApiToken>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM api_tokens WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id.as_str())
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn revoke(
    conn: &mut Conn,
    tenant_id: &TenantId,
    id: &str,
    now: Timestamp,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE api_tokens SET revoked_at = $1 WHERE tenant_id = $2 AND id = $3 \
         AND revoked_at IS NULL",
    )
    .bind(to_micros(now))
    .bind(tenant_id.as_str())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A token that authenticates a request, with its person.
#[derive(Debug, Clone)]
pub struct LiveToken {
    pub id: String,
    pub tenant_id: TenantId,
    pub user_id: educenter_domain::ids::UserId,
    pub user_kind: AccountKind,
    pub role: educenter_domain::roles::Role,
    pub scope: TokenScope,
    pub expires_on: Option<Date>,
    pub last_used_at: Option<Timestamp>,
    /// The licence state of the token's school, as last recorded.
    pub tenant_state: LicenceState,
    /// The reason of a block in force over the token's school.
    pub tenant_blocked: Option<BlockReason>,
    /// Whether the school's owner allows writing through the API.
    pub tenant_api_write: bool,
}

/// The live token of a secret: not revoked, and its person not removed. Expiry by date is
/// the caller's (it depends on the local date).
pub async fn live(db: &Db, secret_hash: &str) -> Result<Option<LiveToken>> {
    let row = sqlx::query(
        "SELECT t.id, t.tenant_id, t.user_id, u.kind AS user_kind, u.role, t.scope, t.expires_on, \
         t.last_used_at, s.state AS tenant_state, s.blocked_reason AS tenant_blocked, \
         s.api_write_enabled AS tenant_api_write \
         FROM api_tokens t JOIN users u ON u.id = t.user_id JOIN tenants s ON s.id = t.tenant_id \
         WHERE t.secret_hash = $1 AND t.revoked_at IS NULL AND u.removed_at IS NULL",
    )
    .bind(secret_hash)
    .fetch_optional(db.pool())
    .await?;
    row.map(|r| {
        let c = Cols::new(&r, "");
        let user_kind = c.word("user_kind")?;
        Ok(LiveToken {
            id: c.get("id")?,
            tenant_id: c.get("tenant_id")?,
            user_id: c.get("user_id")?,
            user_kind,
            role: c.role(user_kind)?,
            scope: c.word("scope")?,
            expires_on: c.date_opt("expires_on")?,
            tenant_state: c.word("tenant_state")?,
            tenant_blocked: c.word_opt("tenant_blocked")?,
            tenant_api_write: c.get::<i64>("tenant_api_write")? != 0,
            last_used_at: c.at_opt("last_used_at")?,
        })
    })
    .transpose()
}

pub async fn mark_used(db: &Db, id: &str, now: Timestamp) -> Result<()> {
    sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
        .bind(to_micros(now))
        .bind(id)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Revokes every token a person created; returns how many were live.
pub async fn revoke_all_of(conn: &mut Conn, user_id: &UserId, now: Timestamp) -> Result<u64> {
    let done = sqlx::query(
        "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
    )
    .bind(to_micros(now))
    .bind(user_id.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

/// Whether a school allows writing through the API.
pub async fn api_write(conn: &mut Conn, tenant_id: &TenantId) -> Result<bool> {
    let row = sqlx::query("SELECT api_write_enabled FROM tenants WHERE id = $1")
        .bind(tenant_id.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row
        .map(|r| Cols::new(&r, "").get::<i64>("api_write_enabled"))
        .transpose()?
        .unwrap_or(0)
        != 0)
}

/// Switches writing through the API on or off for a school.
pub async fn set_api_write(conn: &mut Conn, tenant_id: &TenantId, enabled: bool) -> Result<()> {
    sqlx::query("UPDATE tenants SET api_write_enabled = $1 WHERE id = $2")
        .bind(i64::from(enabled))
        .bind(tenant_id.as_str())
        .execute(&mut *conn)
        .await?;
    Ok(())
}
