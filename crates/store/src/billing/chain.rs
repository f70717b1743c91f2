//! The licence chain as stored: paid periods, contracts ending and reopening, the tenant's state and next billing day, billing notices claimed once, usage counts and the tenant's lock.

use super::*;

#[derive(Debug, Clone, Serialize)]
pub struct StoredPeriod {
    pub contract_id: ContractId,
    pub invoice_id: InvoiceId,
    pub plan_code: String,
    pub from_on: Date,
    pub to_on: Date,
    pub anchor_on: Date,
    pub chain_months: i64,
    /// What was paid for it (less the credit given back when a plan change ended it early).
    pub paid: Money,
}

pub async fn insert_period(
    conn: &mut Conn,
    tenant_id: &TenantId,
    p: &StoredPeriod,
    now: Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO licence_periods (id, tenant_id, contract_id, invoice_id, plan_code, from_on, \
         to_on, anchor_on, chain_months, paid_minor, currency, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(new_id())
    .bind(tenant_id.as_str())
    .bind(p.contract_id.as_str())
    .bind(p.invoice_id.as_str())
    .bind(&p.plan_code)
    .bind(p.from_on.to_string())
    .bind(p.to_on.to_string())
    .bind(p.anchor_on.to_string())
    .bind(p.chain_months)
    .bind(p.paid.minor)
    .bind(p.paid.currency.as_str())
    .bind(to_micros(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Ends a period early (a plan change): it now runs to `to_on` and is worth what was paid for
/// it less the credit given for its unused days, which the acts of the period then add up to.
pub async fn close_period(
    conn: &mut Conn,
    tenant_id: &TenantId,
    invoice_id: &InvoiceId,
    to_on: Date,
    credited_minor: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE licence_periods SET to_on = $1, \
         paid_minor = CASE WHEN paid_minor > $4 THEN paid_minor - $4 ELSE 0 END \
         WHERE tenant_id = $2 AND invoice_id = $3",
    )
    .bind(to_on.to_string())
    .bind(tenant_id.as_str())
    .bind(invoice_id.as_str())
    .bind(credited_minor.max(0))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub(crate) const PERIOD_COLUMNS: &str = "contract_id, invoice_id, plan_code, from_on, to_on, anchor_on, \
                              chain_months, paid_minor, currency";

pub(crate) fn period_row(r: &AnyRow) -> Result<StoredPeriod> {
    period_ref(r.into())
}

/// [`period_row`] of a row read either way (see `crate::direct`).
pub(crate) fn period_ref(r: crate::RowRef<'_>) -> Result<StoredPeriod> {
    let c = Cols::new(r, "");
    Ok(StoredPeriod {
        contract_id: c.get("contract_id")?,
        invoice_id: c.get("invoice_id")?,
        plan_code: c.get("plan_code")?,
        from_on: c.date("from_on")?,
        to_on: c.date("to_on")?,
        anchor_on: c.date("anchor_on")?,
        chain_months: c.get("chain_months")?,
        paid: c.money_in("paid_minor")?,
    })
}

/// A tenant's periods, oldest first.
pub async fn periods(conn: &mut Conn, tenant_id: &TenantId) -> Result<Vec<StoredPeriod>> {
    let sql = format!(
        "SELECT {PERIOD_COLUMNS} FROM licence_periods WHERE tenant_id = $1 \
         ORDER BY from_on, created_at"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id.as_str())
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(period_row).collect()
}

/// Records a tenant's licence state.
pub async fn set_state(conn: &mut Conn, tenant_id: &TenantId, state: LicenceState) -> Result<()> {
    sqlx::query("UPDATE tenants SET state = $1 WHERE id = $2")
        .bind(state.as_str())
        .bind(tenant_id.as_str())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Ends a contract in force for a billing reason (late payment, no application).
pub async fn lapse_contract(
    conn: &mut Conn,
    tenant_id: &TenantId,
    contract_id: &ContractId,
    at: Timestamp,
    reason: EndReason,
) -> Result<()> {
    sqlx::query(
        "UPDATE contracts SET status = 'ended', ended_at = $1, end_reason = $2 \
         WHERE tenant_id = $3 AND id = $4 AND status IN ('in_force', 'terminating')",
    )
    .bind(to_micros(at))
    .bind(reason.as_str())
    .bind(tenant_id.as_str())
    .bind(contract_id.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Whether the tenant ever had a contract that ended.
pub async fn had_ended_contract(conn: &mut Conn, tenant_id: &TenantId) -> Result<bool> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM contracts WHERE tenant_id = $1 AND status = 'ended'",
    )
    .bind(tenant_id.as_str())
    .fetch_one(&mut *conn)
    .await?;
    Ok(Cols::new(&row, "").get::<i64>("n")? > 0)
}

/// How the tenant's latest contract ended, if it did.
pub async fn last_end_reason(conn: &mut Conn, tenant_id: &TenantId) -> Result<Option<EndReason>> {
    let row = sqlx::query(
        "SELECT end_reason FROM contracts WHERE tenant_id = $1 ORDER BY number DESC LIMIT 1",
    )
    .bind(tenant_id.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row
        .map(|r| Cols::new(&r, "").word_opt("end_reason"))
        .transpose()?
        .flatten())
}

/// Claims a notice: true the first time for (tenant, kind, key), false after.
pub async fn claim_notice(
    conn: &mut Conn,
    tenant_id: &TenantId,
    kind: &str,
    key: &str,
    at: Timestamp,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO billing_notices (tenant_id, kind, key, sent_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (tenant_id, kind, key) DO NOTHING",
    )
    .bind(tenant_id.as_str())
    .bind(kind)
    .bind(key)
    .bind(to_micros(at))
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// [`claim_notice`] for many notices at once: those claimed now (the others were before).
pub async fn claim_notices(
    conn: &mut Conn,
    notices: &[(String, String, String)],
    at: Timestamp,
) -> Result<Vec<(String, String, String)>> {
    let mut claimed = Vec::new();
    let batch = crate::Batch::of(conn);
    for part in notices.chunks(batch.rows(4)) {
        let sql = format!(
            "INSERT INTO billing_notices (tenant_id, kind, key, sent_at) VALUES {} \
             ON CONFLICT (tenant_id, kind, key) DO NOTHING RETURNING tenant_id, kind, key",
            batch.tuples(part.len(), 4)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (tenant, kind, key) in part {
            q = q
                .bind(tenant.clone())
                .bind(kind.clone())
                .bind(key.clone())
                .bind(to_micros(at));
        }
        for row in q.fetch_all(&mut *conn).await? {
            let c = Cols::new(&row, "");
            claimed.push((c.get("tenant_id")?, c.get("kind")?, c.get("key")?));
        }
    }
    Ok(claimed)
}

/// The billing day of a tenant with nothing ahead: parked far away rather than NULL, which
/// means "now".
pub(crate) const PARKED: &str = "9999-12-31";

/// Records the next day the daily run has something to do for a tenant (`None`: nothing until
/// something else changes).
pub async fn set_billing_due(
    conn: &mut Conn,
    tenant_id: &TenantId,
    on: Option<Date>,
) -> Result<()> {
    sqlx::query("UPDATE tenants SET billing_due_on = $1 WHERE id = $2")
        .bind(on.map_or_else(|| PARKED.to_owned(), |d| d.to_string()))
        .bind(tenant_id.as_str())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Brings a tenant into the next daily run (something changed outside billing).
pub async fn billing_due_now(conn: &mut Conn, tenant_id: &TenantId) -> Result<()> {
    sqlx::query("UPDATE tenants SET billing_due_on = NULL WHERE id = $1")
        .bind(tenant_id.as_str())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Operator staff with one of these roles (for alerts): their e-mails.
pub async fn operator_emails(conn: &mut Conn, roles: &[OperatorRole]) -> Result<Vec<String>> {
    let rows = sqlx::query(
        "SELECT email, role FROM users WHERE kind = 'operator' AND removed_at IS NULL ORDER BY email",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::new();
    for r in &rows {
        let c = Cols::new(r, "");
        // A role this version does not know is nobody's to mail (as before: skipped).
        let role = Role::parse(AccountKind::Operator, &c.get::<String>("role")?);
        if role.is_some_and(|role| roles.iter().any(|r| role == Role::Operator(*r))) {
            out.push(c.get("email")?);
        }
    }
    Ok(out)
}

/// The paid period of a tenant's invoice.
pub async fn period_of_invoice(
    conn: &mut Conn,
    tenant_id: &TenantId,
    invoice_id: &InvoiceId,
) -> Result<Option<StoredPeriod>> {
    let sql = format!(
        "SELECT {PERIOD_COLUMNS} FROM licence_periods WHERE tenant_id = $1 AND invoice_id = $2"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id.as_str())
        .bind(invoice_id.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(period_row).transpose()
}

/// A contract's status and end (status, ended_at).
pub async fn contract_end(
    conn: &mut Conn,
    tenant_id: &TenantId,
    contract_id: &ContractId,
) -> Result<Option<(ContractStatus, Option<Timestamp>)>> {
    let row =
        sqlx::query("SELECT status, ended_at FROM contracts WHERE tenant_id = $1 AND id = $2")
            .bind(tenant_id.as_str())
            .bind(contract_id.as_str())
            .fetch_optional(&mut *conn)
            .await?;
    row.map(|r| {
        let c = Cols::new(&r, "");
        Ok((c.word("status")?, c.at_opt("ended_at")?))
    })
    .transpose()
}

/// What a tenant uses now: (live staff, learners).
pub async fn usage_counts(conn: &mut Conn, tenant_id: &TenantId) -> Result<(i64, i64)> {
    let row = sqlx::query(
        "SELECT \
         (SELECT COUNT(*) FROM users WHERE tenant_id = $1 AND kind = 'staff' AND removed_at IS NULL) AS staff, \
         (SELECT COUNT(*) FROM users WHERE tenant_id = $1 AND kind = 'learner' AND removed_at IS NULL) AS learners",
    )
    .bind(tenant_id.as_str())
    .fetch_one(&mut *conn)
    .await?;
    let c = Cols::new(&row, "");
    Ok((c.get("staff")?, c.get("learners")?))
}

/// Takes the tenant's row lock for the rest of the transaction on PostgreSQL, so that billing
/// changes of one tenant (applications, payments, refunds) happen one after another. SQLite's
/// write transactions (`BEGIN IMMEDIATE`) are already one at a time.
pub async fn lock_tenant(conn: &mut Conn, tenant_id: &TenantId) -> Result<()> {
    if conn.backend_name() == "PostgreSQL" {
        // NO KEY UPDATE: lockers wait for each other, but not for inserts whose foreign keys
        // point at the tenant (those take KEY SHARE).
        sqlx::query("SELECT id FROM tenants WHERE id = $1 FOR NO KEY UPDATE")
            .bind(tenant_id.as_str())
            .fetch_optional(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The tenant's latest contract: (id, status, end_reason).
pub async fn latest_contract(
    conn: &mut Conn,
    tenant_id: &TenantId,
) -> Result<Option<(ContractId, ContractStatus, Option<EndReason>)>> {
    let row = sqlx::query(
        "SELECT id, status, end_reason FROM contracts WHERE tenant_id = $1 ORDER BY number DESC LIMIT 1",
    )
    .bind(tenant_id.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        let c = Cols::new(&r, "");
        Ok((c.get("id")?, c.word("status")?, c.word_opt("end_reason")?))
    })
    .transpose()
}

/// Puts a contract that ended for late payment back in force (the money had arrived in time).
pub async fn reopen_contract(
    conn: &mut Conn,
    tenant_id: &TenantId,
    contract_id: &ContractId,
) -> Result<()> {
    sqlx::query(
        "UPDATE contracts SET status = 'in_force', ended_at = NULL, end_reason = NULL \
         WHERE tenant_id = $1 AND id = $2 AND status = 'ended' AND end_reason = 'late_payment'",
    )
    .bind(tenant_id.as_str())
    .bind(contract_id.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(())
}
