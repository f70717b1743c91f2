//! What signing in keeps between requests: the accounts an e-mail may sign in to, codes
//! e-mailed after too many failures, and the choice of school after a match at several.

use educenter_domain::ids::UserId;
use jiff::Timestamp;

use crate::{
    Cols, Conn, Result,
    accounts::{COLUMNS, User, from_row},
    to_micros,
};

/// The live accounts of an e-mail in every school and among operator staff (at most `limit`),
/// operator staff first, then by school.
pub async fn accounts_of(conn: &mut Conn, email: &str, limit: i64) -> Result<Vec<User>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM users WHERE email = $1 AND removed_at IS NULL \
         ORDER BY CASE kind WHEN 'operator' THEN 0 ELSE 1 END, scope, id LIMIT $2"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(email.trim().to_lowercase())
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(from_row).collect()
}

/// A sign-in code as stored.
#[derive(Debug, Clone)]
pub struct LoginCode {
    pub code_hash: String,
    pub sent_at: Timestamp,
    pub expires_at: Timestamp,
    pub attempts: i64,
}

pub async fn code(conn: &mut Conn, email: &str) -> Result<Option<LoginCode>> {
    let row = sqlx::query(
        "SELECT code_hash, sent_at, expires_at, attempts FROM login_codes WHERE email = $1",
    )
    .bind(email)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        let c = Cols::new(&r, "");
        Ok(LoginCode {
            code_hash: c.get("code_hash")?,
            sent_at: c.at("sent_at")?,
            expires_at: c.at("expires_at")?,
            attempts: c.get("attempts")?,
        })
    })
    .transpose()
}

/// Stores a new code for an address, replacing the one before.
pub async fn put_code(
    conn: &mut Conn,
    email: &str,
    code_hash: &str,
    now: Timestamp,
    expires_at: Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO login_codes (email, code_hash, sent_at, expires_at, attempts) \
         VALUES ($1, $2, $3, $4, 0) ON CONFLICT (email) DO UPDATE SET code_hash = $2, \
         sent_at = $3, expires_at = $4, attempts = 0",
    )
    .bind(email)
    .bind(code_hash)
    .bind(to_micros(now))
    .bind(to_micros(expires_at))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn count_code_attempt(conn: &mut Conn, email: &str) -> Result<()> {
    sqlx::query("UPDATE login_codes SET attempts = attempts + 1 WHERE email = $1")
        .bind(email)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A successful sign-in ends the address's code and its failures.
pub async fn clear(conn: &mut Conn, email: &str, bucket: &str) -> Result<()> {
    sqlx::query("DELETE FROM login_codes WHERE email = $1")
        .bind(email)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM rate_limits WHERE bucket = $1")
        .bind(bucket)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Keeps the accounts a browser may choose from, behind a secret's hash.
pub async fn put_choice(
    conn: &mut Conn,
    secret_hash: &str,
    user_ids: &[UserId],
    expires_at: Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO login_choices (secret_hash, user_ids, expires_at) VALUES ($1, $2, $3)",
    )
    .bind(secret_hash)
    .bind(serde_json::to_string(user_ids).unwrap_or_default())
    .bind(to_micros(expires_at))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Takes a choice (once): the account ids behind a secret's hash while it is live at `now`.
pub async fn take_choice(
    conn: &mut Conn,
    secret_hash: &str,
    now: Timestamp,
) -> Result<Option<Vec<UserId>>> {
    // One statement takes the choice: of two requests with the same secret at once, only one
    // gets its row back.
    let row = sqlx::query(
        "DELETE FROM login_choices WHERE secret_hash = $1 AND expires_at > $2 RETURNING user_ids",
    )
    .bind(secret_hash)
    .bind(to_micros(now))
    .fetch_optional(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM login_choices WHERE expires_at <= $1")
        .bind(to_micros(now))
        .execute(&mut *conn)
        .await?;
    Ok(row
        .map(|r| Cols::new(&r, "").get::<String>("user_ids"))
        .transpose()?
        .map(|ids| {
            serde_json::from_str::<Vec<String>>(&ids)
                .unwrap_or_default()
                .into_iter()
                .map(UserId::new)
                .collect()
        }))
}
