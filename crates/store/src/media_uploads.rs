//! Uploads under way (issue 18, item 9): one row from before an upload's first byte is stored
//! until the transaction that records the file, so that what a crash cut short can be found
//! and cleaned up. Every row names its school.

use educenter_domain::ids::TenantId;
use jiff::Timestamp;

use crate::{Cols, Conn, Result, to_micros};

/// An upload that began.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub storage_key: String,
    pub tenant_id: TenantId,
    /// The object store's id of its multipart upload, when it has one.
    pub upload_id: Option<String>,
    pub started_at: Timestamp,
}

/// Notes an upload about to begin.
pub async fn begin(conn: &mut Conn, p: &Pending) -> Result<()> {
    sqlx::query(
        "INSERT INTO media_uploads (storage_key, tenant_id, upload_id, started_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(&p.storage_key)
    .bind(p.tenant_id.as_str())
    .bind(p.upload_id.as_deref())
    .bind(to_micros(p.started_at))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Forgets an upload recorded as a file; answers whether its note was there and unclaimed (the
/// sweep may have taken the upload for abandoned).
pub async fn finish(conn: &mut Conn, storage_key: &str) -> Result<bool> {
    let done =
        sqlx::query("DELETE FROM media_uploads WHERE storage_key = $1 AND claimed_at IS NULL")
            .bind(storage_key)
            .execute(&mut *conn)
            .await?;
    Ok(done.rows_affected() > 0)
}

/// Claims an abandoned upload for cleaning up, unless another sweep holds a claim younger than
/// `lease_from`; answers whether this one got it.
pub async fn claim(
    conn: &mut Conn,
    storage_key: &str,
    now: Timestamp,
    lease_from: Timestamp,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE media_uploads SET claimed_at = $1 WHERE storage_key = $2 \
         AND (claimed_at IS NULL OR claimed_at < $3)",
    )
    .bind(to_micros(now))
    .bind(storage_key)
    .bind(to_micros(lease_from))
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Forgets an upload the sweep cleaned up.
pub async fn forget(conn: &mut Conn, storage_key: &str) -> Result<()> {
    sqlx::query("DELETE FROM media_uploads WHERE storage_key = $1")
        .bind(storage_key)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Uploads that began before `before` and were never finished, oldest first.
pub async fn stale(conn: &mut Conn, before: Timestamp, limit: i64) -> Result<Vec<Pending>> {
    let rows = sqlx::query(
        "SELECT storage_key, tenant_id, upload_id, started_at FROM media_uploads \
         WHERE started_at < $1 ORDER BY started_at, storage_key LIMIT $2",
    )
    .bind(to_micros(before))
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let c = Cols::new(r, "");
            Ok(Pending {
                storage_key: c.get("storage_key")?,
                tenant_id: c.get("tenant_id")?,
                upload_id: c.get("upload_id")?,
                started_at: c.at("started_at")?,
            })
        })
        .collect()
}

/// Whether a file of the school's (live or deleted) is stored under `storage_key`.
pub async fn named(conn: &mut Conn, tenant_id: &TenantId, storage_key: &str) -> Result<bool> {
    let found = sqlx::query("SELECT 1 FROM media WHERE tenant_id = $1 AND storage_key = $2")
        .bind(tenant_id.as_str())
        .bind(storage_key)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(found.is_some())
}
