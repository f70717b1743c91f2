//! Blocks over a tenant (SPEC 3.0) and what a refusal schedules (R-4.4a).

use jiff::Timestamp;
use sqlx::Row;

use crate::{Conn, Result, from_micros, new_id, to_micros};

/// A block as stored.
#[derive(Debug, Clone)]
pub struct Block {
    pub id: String,
    pub tenant_id: String,
    pub reason: String,
    pub blocked_at: Timestamp,
    pub purge_on: Option<String>,
    pub purge_warning_on: Option<String>,
}

/// A block to lay over a tenant.
#[derive(Debug, Clone)]
pub struct NewBlock<'a> {
    pub tenant_id: &'a str,
    pub reason: &'a str,
    pub blocked_by: Option<&'a str>,
    pub purge_on: Option<&'a str>,
    pub purge_warning_on: Option<&'a str>,
}

pub async fn create(conn: &mut Conn, b: &NewBlock<'_>, at: Timestamp) -> Result<String> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO tenant_blocks (id, tenant_id, reason, blocked_at, blocked_by, purge_on, \
         purge_warning_on) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(b.tenant_id)
    .bind(b.reason)
    .bind(to_micros(at))
    .bind(b.blocked_by)
    .bind(b.purge_on)
    .bind(b.purge_warning_on)
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// The blocks in force over a tenant, oldest first.
pub async fn in_force(conn: &mut Conn, tenant_id: &str) -> Result<Vec<Block>> {
    let rows = sqlx::query(
        "SELECT id, tenant_id, reason, blocked_at, purge_on, purge_warning_on FROM tenant_blocks \
         WHERE tenant_id = $1 AND lifted_at IS NULL ORDER BY blocked_at, id",
    )
    .bind(tenant_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Block {
                id: r.try_get("id")?,
                tenant_id: r.try_get("tenant_id")?,
                reason: r.try_get("reason")?,
                blocked_at: from_micros(r.try_get("blocked_at")?)?,
                purge_on: r.try_get("purge_on")?,
                purge_warning_on: r.try_get("purge_warning_on")?,
            })
        })
        .collect()
}

/// Lifts the block of a reason; returns whether one was in force.
pub async fn lift(conn: &mut Conn, tenant_id: &str, reason: &str, at: Timestamp) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE tenant_blocks SET lifted_at = $1 WHERE tenant_id = $2 AND reason = $3 \
         AND lifted_at IS NULL",
    )
    .bind(to_micros(at))
    .bind(tenant_id)
    .bind(reason)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
