//! Blocks over a tenant (SPEC 3.0) and what a refusal schedules (R-4.4a).

use educenter_domain::ids::{TenantId, UserId};
use educenter_domain::tenancy::BlockReason;
use jiff::{Timestamp, civil::Date};

use crate::{Cols, Conn, Result, new_id, to_micros};

/// A block as stored.
#[derive(Debug, Clone)]
pub struct Block {
    pub id: String,
    pub tenant_id: TenantId,
    pub reason: BlockReason,
    pub blocked_at: Timestamp,
    pub purge_on: Option<Date>,
    pub purge_warning_on: Option<Date>,
    /// The operator's internal note (never shown to the school).
    pub note: Option<String>,
}

/// A block to lay over a tenant.
#[derive(Debug, Clone)]
pub struct NewBlock<'a> {
    pub tenant_id: &'a TenantId,
    pub reason: BlockReason,
    pub blocked_by: Option<&'a UserId>,
    pub purge_on: Option<Date>,
    pub purge_warning_on: Option<Date>,
    pub note: Option<&'a str>,
}

/// Lays a block over a tenant; the tenant's row names the block in force (the earliest).
pub async fn create(conn: &mut Conn, b: &NewBlock<'_>, at: Timestamp) -> Result<String> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO tenant_blocks (id, tenant_id, reason, blocked_at, blocked_by, purge_on, \
         purge_warning_on, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(b.tenant_id.as_str())
    .bind(b.reason.as_str())
    .bind(to_micros(at))
    .bind(b.blocked_by.map(UserId::as_str))
    .bind(b.purge_on.map(|d| d.to_string()))
    .bind(b.purge_warning_on.map(|d| d.to_string()))
    .bind(b.note)
    .execute(&mut *conn)
    .await?;
    sync_tenant(conn, b.tenant_id).await?;
    Ok(id)
}

/// Writes the reason of the earliest block in force on the tenant's row.
async fn sync_tenant(conn: &mut Conn, tenant_id: &TenantId) -> Result<()> {
    sqlx::query(
        "UPDATE tenants SET blocked_reason = (SELECT b.reason FROM tenant_blocks b \
         WHERE b.tenant_id = $1 AND b.lifted_at IS NULL ORDER BY b.blocked_at, b.id LIMIT 1) \
         WHERE id = $1",
    )
    .bind(tenant_id.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The blocks in force over a tenant, oldest first.
pub async fn in_force(conn: &mut Conn, tenant_id: &TenantId) -> Result<Vec<Block>> {
    let rows = sqlx::query(
        "SELECT id, tenant_id, reason, blocked_at, purge_on, purge_warning_on, note \
         FROM tenant_blocks WHERE tenant_id = $1 AND lifted_at IS NULL ORDER BY blocked_at, id",
    )
    .bind(tenant_id.as_str())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let c = Cols::new(r, "");
            Ok(Block {
                id: c.get("id")?,
                tenant_id: c.get("tenant_id")?,
                reason: c.word("reason")?,
                blocked_at: c.at("blocked_at")?,
                purge_on: c.date_opt("purge_on")?,
                purge_warning_on: c.date_opt("purge_warning_on")?,
                note: c.get("note")?,
            })
        })
        .collect()
}

/// Lifts the block of a reason; returns whether one was in force.
pub async fn lift(
    conn: &mut Conn,
    tenant_id: &TenantId,
    reason: BlockReason,
    by: Option<&UserId>,
    at: Timestamp,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE tenant_blocks SET lifted_at = $1, lifted_by = $2 WHERE tenant_id = $3 \
         AND reason = $4 AND lifted_at IS NULL",
    )
    .bind(to_micros(at))
    .bind(by.map(UserId::as_str))
    .bind(tenant_id.as_str())
    .bind(reason.as_str())
    .execute(&mut *conn)
    .await?;
    sync_tenant(conn, tenant_id).await?;
    Ok(done.rows_affected() == 1)
}
