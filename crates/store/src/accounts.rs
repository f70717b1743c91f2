//! People who sign in, and the single-use tokens e-mailed to them.

use educenter_domain::ids::{TenantId, UserId};
use educenter_domain::roles::{AccountKind, Role, TenantRole, TokenPurpose};
use jiff::Timestamp;
use serde::Serialize;
use sqlx::any::AnyRow;

use crate::page::{Keyset, Kind, Page, PageRequest, Select};
use crate::{Cols, Conn, Result, new_id, to_micros};

/// The `scope` of operator staff accounts; a tenant's accounts use the tenant id.
pub const PLATFORM_SCOPE: &str = "platform";

#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    pub tenant_id: Option<&'a TenantId>,
    pub kind: AccountKind,
    pub role: Role,
    pub email: &'a str,
    pub full_name: &'a str,
    pub phone: Option<&'a str>,
    pub password_hash: Option<&'a str>,
    pub locale: &'a str,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub id: UserId,
    pub tenant_id: Option<TenantId>,
    pub kind: AccountKind,
    pub role: Role,
    pub email: String,
    pub email_verified_at: Option<Timestamp>,
    pub full_name: String,
    pub phone: Option<String>,
    #[serde(skip)]
    pub password_hash: Option<String>,
    pub locale: String,
    pub created_at: Timestamp,
    pub removed_at: Option<Timestamp>,
}

pub(crate) const COLUMNS: &str = "id, tenant_id, kind, role, email, email_verified_at, full_name, phone, \
                       password_hash, locale, created_at, removed_at";

pub(crate) fn from_row(row: &AnyRow) -> Result<User> {
    from_ref(row.into())
}

/// [`from_row`] of a row read either way (see `crate::direct`).
pub(crate) fn from_ref(row: crate::RowRef<'_>) -> Result<User> {
    let c = Cols::new(row, "");
    let kind = c.word("kind")?;
    Ok(User {
        id: c.get("id")?,
        tenant_id: c.get("tenant_id")?,
        kind,
        role: c.role(kind)?,
        email: c.get("email")?,
        email_verified_at: c.at_opt("email_verified_at")?,
        full_name: c.get("full_name")?,
        phone: c.get("phone")?,
        password_hash: c.get("password_hash")?,
        locale: c.get("locale")?,
        created_at: c.at("created_at")?,
        removed_at: c.at_opt("removed_at")?,
    })
}

/// Creates an account; e-mails are stored in lower case. Returns the id.
pub async fn create(conn: &mut Conn, u: &NewUser<'_>) -> Result<UserId> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO users (id, tenant_id, scope, kind, role, email, full_name, phone, \
         password_hash, locale, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&id)
    .bind(u.tenant_id.map(|t| t.as_str()))
    .bind(u.tenant_id.map_or(PLATFORM_SCOPE, |t| t.as_str()))
    .bind(u.kind.as_str())
    .bind(u.role.as_str())
    .bind(u.email.to_lowercase())
    .bind(u.full_name)
    .bind(u.phone)
    .bind(u.password_hash)
    .bind(u.locale)
    .bind(to_micros(u.created_at))
    .execute(&mut *conn)
    .await?;
    Ok(UserId::new(id))
}

pub async fn get(conn: &mut Conn, id: &UserId) -> Result<Option<User>> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// The school's people among `ids` (a missing id is left out), in no particular order: at most
/// 200 ids a call (a page of a list that names them).
pub async fn of_school(conn: &mut Conn, tenant_id: &TenantId, ids: &[UserId]) -> Result<Vec<User>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {COLUMNS} FROM users WHERE tenant_id = $1 AND id IN ({})",
        crate::placeholders(2, ids.len())
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(tenant_id.as_str());
    for id in ids {
        q = q.bind(id.as_str());
    }
    let rows = q.fetch_all(&mut *conn).await?;
    rows.iter().map(from_row).collect()
}

pub async fn mark_email_verified(conn: &mut Conn, id: &UserId, at: Timestamp) -> Result<()> {
    sqlx::query(
        "UPDATE users SET email_verified_at = COALESCE(email_verified_at, $1) WHERE id = $2",
    )
    .bind(to_micros(at))
    .bind(id.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A stored single-use token.
#[derive(Debug, Clone)]
pub struct EmailToken {
    pub purpose: TokenPurpose,
    pub user_id: UserId,
    pub tenant_id: Option<TenantId>,
    pub expires_at: Timestamp,
    pub used_at: Option<Timestamp>,
}

pub async fn create_token(
    conn: &mut Conn,
    token_hash: &str,
    purpose: TokenPurpose,
    user_id: &UserId,
    tenant_id: Option<&TenantId>,
    now: Timestamp,
    expires_at: Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO email_tokens (token_hash, purpose, user_id, tenant_id, created_at, \
         expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(token_hash)
    .bind(purpose.as_str())
    .bind(user_id.as_str())
    .bind(tenant_id.map(|t| t.as_str()))
    .bind(to_micros(now))
    .bind(to_micros(expires_at))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn find_token(conn: &mut Conn, token_hash: &str) -> Result<Option<EmailToken>> {
    let row = sqlx::query(
        "SELECT purpose, user_id, tenant_id, expires_at, used_at FROM email_tokens \
         WHERE token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        let c = Cols::new(&r, "");
        Ok(EmailToken {
            purpose: c.word("purpose")?,
            user_id: c.get("user_id")?,
            tenant_id: c.get("tenant_id")?,
            expires_at: c.at("expires_at")?,
            used_at: c.at_opt("used_at")?,
        })
    })
    .transpose()
}

/// Marks a token used; `false` when it was already used (a concurrent use lost).
pub async fn use_token(conn: &mut Conn, token_hash: &str, at: Timestamp) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE email_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL",
    )
    .bind(to_micros(at))
    .bind(token_hash)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The live (not removed) account with this e-mail in a scope (a tenant id, or
/// [`PLATFORM_SCOPE`] for operator staff).
pub async fn find_by_email(conn: &mut Conn, scope: &str, email: &str) -> Result<Option<User>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM users WHERE scope = $1 AND email = $2 AND removed_at IS NULL"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(scope)
        .bind(email.trim().to_lowercase())
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// How many operator staff accounts exist (removed ones included).
pub async fn operator_count(conn: &mut Conn) -> Result<i64> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM users WHERE kind = 'operator'")
        .fetch_one(&mut *conn)
        .await?;
    Cols::new(&row, "").get("n")
}

/// Any account (removed ones too) with this e-mail in a scope.
pub async fn find_any_by_email(conn: &mut Conn, scope: &str, email: &str) -> Result<Option<User>> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE scope = $1 AND email = $2");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(scope)
        .bind(email.trim().to_lowercase())
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// The live staff of a tenant (the owner excluded), in order of arrival.
pub async fn staff(conn: &mut Conn, tenant_id: &TenantId) -> Result<Vec<User>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM users WHERE tenant_id = $1 AND kind = 'staff' \
         AND removed_at IS NULL ORDER BY created_at, id"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id.as_str())
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(from_row).collect()
}

const STAFF_PAGES: Keyset = Keyset {
    name: "staff",
    columns: &[("created_at", Kind::Int), ("id", Kind::Text)],
    desc: false,
};

/// A page of the live staff of a tenant (the owner excluded), in order of arrival; with
/// `role`, only those of that role.
pub async fn staff_page(
    conn: &mut Conn,
    tenant_id: &TenantId,
    role: Option<TenantRole>,
    req: &PageRequest,
) -> Result<Page<User>> {
    let select = format!(
        "SELECT {COLUMNS} FROM users WHERE tenant_id = $1 AND kind = 'staff' \
         AND removed_at IS NULL AND ($2 IS NULL OR role = $2)"
    );
    STAFF_PAGES
        .fetch(
            conn,
            req,
            &select,
            vec![tenant_id.into(), role.map(TenantRole::as_str).into()],
            from_row,
            |u| vec![to_micros(u.created_at).into(), (&u.id).into()],
        )
        .await
}

const LEARNER_PAGES: Keyset = Keyset {
    name: "students",
    columns: &[("full_name", Kind::Text), ("id", Kind::Text)],
    desc: false,
};

/// A page of the school's live students by name; `query` keeps those whose name contains it
/// (any case, in any script) or whose e-mail does.
pub async fn learners_page(
    conn: &mut Conn,
    tenant_id: &TenantId,
    query: Option<&str>,
    req: &PageRequest,
) -> Result<Page<User>> {
    let select = format!(
        "SELECT {COLUMNS} FROM users WHERE tenant_id = $1 AND kind = 'learner' \
         AND removed_at IS NULL"
    );
    // Lower-casing in SQL knows only ASCII on SQLite, and names are mostly Cyrillic: the
    // search is applied to rows as they are read, a bounded batch at a time.
    let q = query.map(str::to_lowercase).filter(|q| !q.is_empty());
    let keep = |u: &User| {
        q.as_ref()
            .is_none_or(|q| u.full_name.to_lowercase().contains(q) || u.email.contains(q))
    };
    LEARNER_PAGES
        .fetch_filtered(
            conn,
            req,
            Select {
                sql: &select,
                params: vec![tenant_id.into()],
            },
            from_row,
            |u| vec![(&u.full_name).into(), (&u.id).into()],
            keep,
        )
        .await
}

/// A live staff member of the tenant (another tenant's id finds nothing).
pub async fn staff_member(
    conn: &mut Conn,
    tenant_id: &TenantId,
    id: &UserId,
) -> Result<Option<User>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM users WHERE tenant_id = $1 AND id = $2 AND kind = 'staff' \
         AND removed_at IS NULL"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id.as_str())
        .bind(id.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn set_role(
    conn: &mut Conn,
    tenant_id: &TenantId,
    id: &UserId,
    role: TenantRole,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE users SET role = $1 WHERE tenant_id = $2 AND id = $3 AND kind = 'staff' \
         AND removed_at IS NULL",
    )
    .bind(role.as_str())
    .bind(tenant_id.as_str())
    .bind(id.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn remove(
    conn: &mut Conn,
    tenant_id: &TenantId,
    id: &UserId,
    at: Timestamp,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE users SET removed_at = $1 WHERE tenant_id = $2 AND id = $3 AND kind = 'staff' \
         AND removed_at IS NULL",
    )
    .bind(to_micros(at))
    .bind(tenant_id.as_str())
    .bind(id.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Brings a removed staff account back as a fresh invitation: new role and name, no
/// password until the invitation is accepted.
pub async fn reinvite(
    conn: &mut Conn,
    id: &UserId,
    role: Role,
    full_name: &str,
    at: Timestamp,
) -> Result<()> {
    sqlx::query(
        "UPDATE users SET removed_at = NULL, role = $1, full_name = $2, password_hash = NULL, \
         email_verified_at = NULL, created_at = $3 WHERE id = $4",
    )
    .bind(role.as_str())
    .bind(full_name)
    .bind(to_micros(at))
    .bind(id.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Sets a password (accepting an invitation verifies the e-mail too).
pub async fn set_password(conn: &mut Conn, id: &UserId, hash: &str, at: Timestamp) -> Result<()> {
    sqlx::query(
        "UPDATE users SET password_hash = $1, email_verified_at = COALESCE(email_verified_at, $2) \
         WHERE id = $3",
    )
    .bind(hash)
    .bind(to_micros(at))
    .bind(id.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Marks every unused token of a purpose of a person used (a password reset ends the others).
pub async fn use_all_tokens(
    conn: &mut Conn,
    user_id: &UserId,
    purpose: TokenPurpose,
    at: Timestamp,
) -> Result<u64> {
    let done = sqlx::query(
        "UPDATE email_tokens SET used_at = $1 WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL",
    )
    .bind(to_micros(at))
    .bind(user_id.as_str())
    .bind(purpose.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

/// Every account of a tenant (removed ones excluded), the owner first.
pub async fn people(conn: &mut Conn, tenant_id: &TenantId) -> Result<Vec<User>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM users WHERE tenant_id = $1 AND removed_at IS NULL \
         ORDER BY CASE kind WHEN 'owner' THEN 0 ELSE 1 END, created_at, id"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id.as_str())
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(from_row).collect()
}

/// Creates a one-time set-up link's hash (the first operator account).
pub async fn create_setup_token(
    conn: &mut Conn,
    token_hash: &str,
    now: Timestamp,
    expires_at: Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO setup_tokens (token_hash, created_at, expires_at) VALUES ($1, $2, $3)",
    )
    .bind(token_hash)
    .bind(to_micros(now))
    .bind(to_micros(expires_at))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Spends a set-up link: true when it existed, was unused and had not expired at `now`.
pub async fn use_setup_token(conn: &mut Conn, token_hash: &str, now: Timestamp) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE setup_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL \
         AND expires_at > $1",
    )
    .bind(to_micros(now))
    .bind(token_hash)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether a set-up link's hash is known, unused and unexpired at `now`.
pub async fn setup_token_valid(conn: &mut Conn, token_hash: &str, now: Timestamp) -> Result<bool> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM setup_tokens WHERE token_hash = $1 AND used_at IS NULL \
         AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(to_micros(now))
    .fetch_one(&mut *conn)
    .await?;
    Ok(Cols::new(&row, "").get::<i64>("n")? > 0)
}

/// The owner of a tenant.
pub async fn owner_of(conn: &mut Conn, tenant_id: &TenantId) -> Result<Option<User>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM users WHERE tenant_id = $1 AND kind = 'owner' AND removed_at IS NULL \
         LIMIT 1"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Moves a live student of the school to the learners' trash (`removed_at`), their data kept;
/// `false` when there is no such live student.
pub async fn archive_learner(
    conn: &mut Conn,
    tenant_id: &TenantId,
    id: &UserId,
    at: Timestamp,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE users SET removed_at = $1 WHERE tenant_id = $2 AND id = $3 AND kind = 'learner' \
         AND removed_at IS NULL",
    )
    .bind(to_micros(at))
    .bind(tenant_id.as_str())
    .bind(id.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Brings a student back from the learners' trash when they went there after `since` and were
/// not erased; `false` otherwise.
pub async fn restore_learner(
    conn: &mut Conn,
    tenant_id: &TenantId,
    id: &UserId,
    since: Timestamp,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE users SET removed_at = NULL WHERE tenant_id = $1 AND id = $2 \
         AND kind = 'learner' AND removed_at > $3 AND erased_at IS NULL",
    )
    .bind(tenant_id.as_str())
    .bind(id.as_str())
    .bind(to_micros(since))
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The school's students in the learners' trash since `since`, the last archived first (at
/// most 500).
pub async fn archived_learners(
    conn: &mut Conn,
    tenant_id: &TenantId,
    since: Timestamp,
) -> Result<Vec<User>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM users WHERE tenant_id = $1 AND kind = 'learner' \
         AND removed_at > $2 AND erased_at IS NULL ORDER BY removed_at DESC, id LIMIT 500"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id.as_str())
        .bind(to_micros(since))
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(from_row).collect()
}

/// Students of every school in the learners' trash since before `before`, not yet erased (at
/// most `limit`).
pub async fn archived_before(conn: &mut Conn, before: Timestamp, limit: i64) -> Result<Vec<User>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM users WHERE kind = 'learner' AND removed_at <= $1 \
         AND erased_at IS NULL ORDER BY removed_at, id LIMIT $2"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(to_micros(before))
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(from_row).collect()
}
