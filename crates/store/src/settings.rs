//! Settings of the platform the operator chooses (`platform_settings`): one text value per key.

use educenter_domain::ids::UserId;
use jiff::Timestamp;

use crate::{Cols, Conn, Result, to_micros};

/// The plan whose limits a trial runs under (its code); none set: the built-in trial limits.
pub const TRIAL_PLAN: &str = "trial_plan";

pub async fn get(conn: &mut Conn, key: &str) -> Result<Option<String>> {
    let row = sqlx::query("SELECT value FROM platform_settings WHERE key = $1")
        .bind(key)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|r| Cols::new(&r, "").get("value")).transpose()
}

/// Sets a value, or removes it with `None`.
pub async fn put(
    conn: &mut Conn,
    key: &str,
    value: Option<&str>,
    by: Option<&UserId>,
    at: Timestamp,
) -> Result<()> {
    match value {
        Some(value) => {
            sqlx::query(
                "INSERT INTO platform_settings (key, value, updated_at, updated_by) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO UPDATE SET value = $2, \
                 updated_at = $3, updated_by = $4",
            )
            .bind(key)
            .bind(value)
            .bind(to_micros(at))
            .bind(by.map(UserId::as_str))
            .execute(&mut *conn)
            .await?;
        }
        None => {
            sqlx::query("DELETE FROM platform_settings WHERE key = $1")
                .bind(key)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}
