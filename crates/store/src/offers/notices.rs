//! Termination notices and objections to offer versions. Every query filters by the tenant.

use educenter_domain::ids::{ContractId, TenantId, UserId};
use educenter_domain::tenancy::{ContractStatus, EndReason};
use jiff::{Timestamp, civil::Date};
use serde::Serialize;
use sqlx::any::AnyRow;

use crate::{Cols, Conn, Result, new_id, to_micros};

#[derive(Debug, Clone, Serialize)]
pub struct Notice {
    pub id: String,
    pub contract_id: ContractId,
    /// What ends the contract when the notice takes effect: a notice, an objection or a
    /// refusal.
    pub reason: EndReason,
    pub offer_version: Option<i64>,
    pub governing_version: i64,
    pub filed_at: Timestamp,
    pub filed_on: Date,
    pub effective_on: Date,
    pub withdrawn_at: Option<Timestamp>,
}

pub(crate) const COLUMNS: &str = "id, contract_id, reason, offer_version, governing_version, filed_at, \
                       filed_on, effective_on, withdrawn_at";

pub(crate) fn from_row(r: &AnyRow) -> Result<Notice> {
    from_ref(r.into())
}

/// [`from_row`] of a row read either way (see `crate::direct`).
pub(crate) fn from_ref(r: crate::RowRef<'_>) -> Result<Notice> {
    let c = Cols::new(r, "");
    Ok(Notice {
        id: c.get("id")?,
        contract_id: c.get("contract_id")?,
        reason: c.word("reason")?,
        offer_version: c.get("offer_version")?,
        governing_version: c.get("governing_version")?,
        filed_at: c.at("filed_at")?,
        filed_on: c.date("filed_on")?,
        effective_on: c.date("effective_on")?,
        withdrawn_at: c.at_opt("withdrawn_at")?,
    })
}

/// A termination notice to file.
#[derive(Debug, Clone)]
pub struct NewNotice<'a> {
    pub tenant_id: &'a TenantId,
    pub contract_id: &'a ContractId,
    pub reason: EndReason,
    /// The offer version objected to (an objection only).
    pub offer_version: Option<i64>,
    /// The offer version that governs the contract until it ends.
    pub governing_version: i64,
    pub filed_at: Timestamp,
    pub filed_on: Date,
    pub effective_on: Date,
    pub filed_by: Option<&'a UserId>,
}

pub async fn file(conn: &mut Conn, n: &NewNotice<'_>) -> Result<Notice> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO termination_notices (id, tenant_id, contract_id, reason, offer_version, \
         governing_version, filed_at, filed_on, effective_on, filed_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&id)
    .bind(n.tenant_id.as_str())
    .bind(n.contract_id.as_str())
    .bind(n.reason.as_str())
    .bind(n.offer_version)
    .bind(n.governing_version)
    .bind(to_micros(n.filed_at))
    .bind(n.filed_on.to_string())
    .bind(n.effective_on.to_string())
    .bind(n.filed_by.map(UserId::as_str))
    .execute(&mut *conn)
    .await?;
    Ok(Notice {
        id,
        contract_id: n.contract_id.to_owned(),
        reason: n.reason,
        offer_version: n.offer_version,
        governing_version: n.governing_version,
        filed_at: n.filed_at,
        filed_on: n.filed_on,
        effective_on: n.effective_on,
        withdrawn_at: None,
    })
}

/// The tenant's pending notice: not withdrawn and not yet past its last day (`today`,
/// `YYYY-MM-DD`).
pub async fn pending(conn: &mut Conn, tenant_id: &TenantId, today: Date) -> Result<Option<Notice>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM termination_notices WHERE tenant_id = $1 AND withdrawn_at IS NULL \
         AND effective_on >= $2 ORDER BY filed_at DESC LIMIT 1"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id.as_str())
        .bind(today.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Whether the tenant objected to an offer version.
pub async fn objected_to(conn: &mut Conn, tenant_id: &TenantId, version: i64) -> Result<bool> {
    let row = sqlx::query(
        "SELECT id FROM termination_notices WHERE tenant_id = $1 AND reason = 'objection' \
         AND offer_version = $2 AND withdrawn_at IS NULL LIMIT 1",
    )
    .bind(tenant_id.as_str())
    .bind(version)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.is_some())
}

pub async fn withdraw(
    conn: &mut Conn,
    tenant_id: &TenantId,
    id: &str,
    at: Timestamp,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE termination_notices SET withdrawn_at = $1 WHERE tenant_id = $2 AND id = $3 \
         AND withdrawn_at IS NULL",
    )
    .bind(to_micros(at))
    .bind(tenant_id.as_str())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Contracts in force (`in_force` or `terminating`) with their tenant and owner, for notices
/// to every licensee.
#[derive(Debug, Clone)]
pub struct InForce {
    pub tenant_id: TenantId,
    pub contract_id: ContractId,
    pub offer_version: i64,
    pub owner_email: String,
    pub owner_name: String,
    pub locale: String,
}

pub async fn contracts_in_force(conn: &mut Conn) -> Result<Vec<InForce>> {
    let rows = sqlx::query(
        "SELECT c.tenant_id, c.id AS contract_id, c.offer_version, u.email, u.full_name, t.locale \
         FROM contracts c JOIN tenants t ON t.id = c.tenant_id \
         JOIN users u ON u.tenant_id = c.tenant_id AND u.kind = 'owner' AND u.removed_at IS NULL \
         WHERE c.status IN ('in_force', 'terminating') ORDER BY c.started_at, c.id",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let c = Cols::new(r, "");
            Ok(InForce {
                tenant_id: c.get("tenant_id")?,
                contract_id: c.get("contract_id")?,
                offer_version: c.get("offer_version")?,
                owner_email: c.get("email")?,
                owner_name: c.get("full_name")?,
                locale: c.get("locale")?,
            })
        })
        .collect()
}

/// Sets a contract's status (`in_force`, `terminating`, `ended`) within its tenant.
pub async fn set_contract_status(
    conn: &mut Conn,
    tenant_id: &TenantId,
    contract_id: &ContractId,
    status: ContractStatus,
) -> Result<()> {
    sqlx::query("UPDATE contracts SET status = $1 WHERE tenant_id = $2 AND id = $3")
        .bind(status.as_str())
        .bind(tenant_id.as_str())
        .bind(contract_id.as_str())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Contracts whose notice's last day is before `today`: (tenant, contract, reason).
pub async fn due_to_end(
    conn: &mut Conn,
    today: Date,
) -> Result<Vec<(TenantId, ContractId, EndReason)>> {
    let rows = sqlx::query(
        "SELECT n.tenant_id, n.contract_id, n.reason FROM termination_notices n \
         JOIN contracts c ON c.id = n.contract_id AND c.tenant_id = n.tenant_id \
         WHERE n.withdrawn_at IS NULL AND n.effective_on < $1 AND c.status = 'terminating'",
    )
    .bind(today.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let c = Cols::new(r, "");
            Ok((
                c.get("tenant_id")?,
                c.get("contract_id")?,
                c.word("reason")?,
            ))
        })
        .collect()
}

/// Ends a contract: `ended`, with the moment and the reason.
pub async fn end_contract(
    conn: &mut Conn,
    tenant_id: &TenantId,
    contract_id: &ContractId,
    at: Timestamp,
    reason: EndReason,
) -> Result<()> {
    sqlx::query(
        "UPDATE contracts SET status = 'ended', ended_at = $1, end_reason = $2 \
         WHERE tenant_id = $3 AND id = $4 AND status = 'terminating'",
    )
    .bind(to_micros(at))
    .bind(reason.as_str())
    .bind(tenant_id.as_str())
    .bind(contract_id.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Ends a contract at once on the operator's stated grounds, whatever its
/// status; a pending notice of it is moot.
pub async fn terminate_now(
    conn: &mut Conn,
    tenant_id: &TenantId,
    contract_id: &ContractId,
    at: Timestamp,
    reason: EndReason,
) -> Result<()> {
    sqlx::query(
        "UPDATE contracts SET status = 'ended', ended_at = $1, end_reason = $2 \
         WHERE tenant_id = $3 AND id = $4 AND status <> 'ended'",
    )
    .bind(to_micros(at))
    .bind(reason.as_str())
    .bind(tenant_id.as_str())
    .bind(contract_id.as_str())
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE termination_notices SET withdrawn_at = $1 WHERE tenant_id = $2 \
         AND contract_id = $3 AND withdrawn_at IS NULL",
    )
    .bind(to_micros(at))
    .bind(tenant_id.as_str())
    .bind(contract_id.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(())
}
