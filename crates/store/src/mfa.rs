//! Two-step sign-in (issue 18, item 5): a person's authenticator (a TOTP secret shared with
//! their app) and their one-time recovery codes. Whether it is on is `users.mfa_enabled_at`,
//! read with every session; the owner's requirement for the school's staff is
//! `tenants.staff_mfa_required`.

use educenter_domain::ids::{TenantId, UserId};
use jiff::Timestamp;

use crate::{Cols, Conn, Result, to_micros};

/// A person's authenticator as stored.
#[derive(Debug, Clone)]
pub struct Totp {
    /// The shared secret, base32 (never shown again once confirmed).
    pub secret: String,
    /// `None` while it waits for the first code from the app.
    pub confirmed_at: Option<Timestamp>,
    /// The last time step whose code signed in: a code of this step or an earlier one is
    /// refused (no code works twice).
    pub last_step: i64,
}

pub async fn get(conn: &mut Conn, user_id: &UserId) -> Result<Option<Totp>> {
    let row =
        sqlx::query("SELECT secret, confirmed_at, last_step FROM mfa_totp WHERE user_id = $1")
            .bind(user_id.as_str())
            .fetch_optional(&mut *conn)
            .await?;
    row.map(|r| {
        let c = Cols::new(&r, "");
        Ok(Totp {
            secret: c.get("secret")?,
            confirmed_at: c.at_opt("confirmed_at")?,
            last_step: c.get("last_step")?,
        })
    })
    .transpose()
}

/// Keeps a new secret waiting for its first code, replacing one that waited before; `false`
/// (nothing changed) when an authenticator is already confirmed.
pub async fn put_pending(
    conn: &mut Conn,
    user_id: &UserId,
    tenant_id: Option<&TenantId>,
    secret: &str,
    now: Timestamp,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO mfa_totp (user_id, tenant_id, secret, created_at, confirmed_at, last_step) \
         VALUES ($1, $2, $3, $4, NULL, 0) ON CONFLICT (user_id) DO UPDATE SET secret = $3, \
         created_at = $4, last_step = 0 WHERE mfa_totp.confirmed_at IS NULL",
    )
    .bind(user_id.as_str())
    .bind(tenant_id.map(TenantId::as_str))
    .bind(secret)
    .bind(to_micros(now))
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Confirms the waiting authenticator with the step whose code was typed, and switches
/// two-step sign-in on; `false` when none was waiting (a concurrent confirmation won).
pub async fn confirm(conn: &mut Conn, user_id: &UserId, step: i64, now: Timestamp) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE mfa_totp SET confirmed_at = $1, last_step = $2 \
         WHERE user_id = $3 AND confirmed_at IS NULL",
    )
    .bind(to_micros(now))
    .bind(step)
    .bind(user_id.as_str())
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query("UPDATE users SET mfa_enabled_at = $1 WHERE id = $2")
        .bind(to_micros(now))
        .bind(user_id.as_str())
        .execute(&mut *conn)
        .await?;
    Ok(true)
}

/// Takes a confirmed authenticator's code of `step`: `true` when no code of this step or a
/// later one was taken before (one statement, so two requests with one code cannot both pass).
pub async fn advance(conn: &mut Conn, user_id: &UserId, step: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE mfa_totp SET last_step = $1 \
         WHERE user_id = $2 AND confirmed_at IS NOT NULL AND last_step < $1",
    )
    .bind(step)
    .bind(user_id.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Switches two-step sign-in off: the authenticator and the recovery codes go.
pub async fn remove(conn: &mut Conn, user_id: &UserId) -> Result<()> {
    for sql in [
        "DELETE FROM mfa_recovery_codes WHERE user_id = $1",
        "DELETE FROM mfa_totp WHERE user_id = $1",
        "UPDATE users SET mfa_enabled_at = NULL WHERE id = $1",
    ] {
        sqlx::query(sql)
            .bind(user_id.as_str())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Replaces the person's recovery codes with new ones (their hashes).
pub async fn replace_codes(
    conn: &mut Conn,
    user_id: &UserId,
    tenant_id: Option<&TenantId>,
    hashes: &[String],
    now: Timestamp,
) -> Result<()> {
    sqlx::query("DELETE FROM mfa_recovery_codes WHERE user_id = $1")
        .bind(user_id.as_str())
        .execute(&mut *conn)
        .await?;
    for hash in hashes {
        sqlx::query(
            "INSERT INTO mfa_recovery_codes (user_id, tenant_id, code_hash, created_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(user_id.as_str())
        .bind(tenant_id.map(TenantId::as_str))
        .bind(hash)
        .bind(to_micros(now))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Uses a recovery code (its hash), once: `true` when it was the person's and unused.
pub async fn use_code(
    conn: &mut Conn,
    user_id: &UserId,
    hash: &str,
    now: Timestamp,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE mfa_recovery_codes SET used_at = $1 \
         WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
    )
    .bind(to_micros(now))
    .bind(user_id.as_str())
    .bind(hash)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// How many of the person's recovery codes are unused.
pub async fn codes_left(conn: &mut Conn, user_id: &UserId) -> Result<i64> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM mfa_recovery_codes WHERE user_id = $1 AND used_at IS NULL",
    )
    .bind(user_id.as_str())
    .fetch_one(&mut *conn)
    .await?;
    Cols::new(&row, "").get("n")
}

/// Sets whether the school's staff must use two-step sign-in.
pub async fn set_staff_required(
    conn: &mut Conn,
    tenant_id: &TenantId,
    required: bool,
) -> Result<()> {
    sqlx::query("UPDATE tenants SET staff_mfa_required = $1 WHERE id = $2")
        .bind(i64::from(required))
        .bind(tenant_id.as_str())
        .execute(&mut *conn)
        .await?;
    Ok(())
}
