//! The nightly billing run's reads and writes for a page of schools at once: every fact a
//! school's day depends on (its contracts, paid periods, pending notice, open licence invoice
//! and owner) in five queries per page instead of five round trips per school, and the next
//! billing days written in one statement per page.

use std::collections::HashMap;

use super::*;
use crate::direct::{Bind, rows_in};
use crate::offers::notices;
use crate::{RowRef, accounts, audit, outbox, placeholders, tenancy};

/// What a school's billing day depends on, read with the rest of its page.
#[derive(Debug, Clone, Default)]
pub struct SchoolFacts {
    /// The contract in force (`in_force` or `terminating`), the latest by number.
    pub contract: Option<tenancy::Contract>,
    /// Why the latest contract ended (`None` while it is in force or when there is none).
    pub last_end_reason: Option<EndReason>,
    /// Every paid period, in the order of `from_on` then creation.
    pub periods: Vec<StoredPeriod>,
    /// The termination notice not withdrawn that takes effect today or later, the latest filed.
    pub pending_notice: Option<notices::Notice>,
    /// The licence invoice issued or overdue, the latest issued.
    pub open_invoice: Option<Invoice>,
    /// The school's owner (the addressee of every billing e-mail).
    pub owner: Option<accounts::User>,
}

/// How many ids go into one `IN (...)` list (see [`crate::MAX_PARAMS`]).
const CHUNK: usize = crate::MAX_PARAMS / 2;

/// The facts of each of these schools on `today` (schools with nothing stored get defaults),
/// read in the caller's transaction; with `unwritten` (the database, while that transaction has
/// written nothing) straight from the file on SQLite (see [`direct::rows_in`]).
pub async fn school_facts(
    conn: &mut Conn,
    unwritten: Option<&Db>,
    tenant_ids: &[&TenantId],
    today: Date,
) -> Result<HashMap<TenantId, SchoolFacts>> {
    let mut out: HashMap<TenantId, SchoolFacts> = tenant_ids
        .iter()
        .map(|id| ((*id).clone(), SchoolFacts::default()))
        .collect();
    for ids in tenant_ids.chunks(CHUNK) {
        let ids: Vec<&str> = ids.iter().map(|id| id.as_str()).collect();
        read_chunk(conn, unwritten, &ids, today, &mut out).await?;
    }
    Ok(out)
}

/// The ids of a chunk bound to `$1`, `$2`, ..., then `extra`.
fn binds<'a>(ids: &[&'a str], extra: Option<&'a str>) -> Vec<Bind<'a>> {
    ids.iter().copied().chain(extra).map(Bind::Text).collect()
}

async fn read_chunk(
    conn: &mut Conn,
    unwritten: Option<&Db>,
    ids: &[&str],
    today: Date,
    out: &mut HashMap<TenantId, SchoolFacts>,
) -> Result<()> {
    let list = placeholders(1, ids.len());
    let just_ids = binds(ids, None);
    let tenant = |r: RowRef<'_>| Cols::new(r, "").get::<String>("tenant_id");

    let sql = format!(
        "SELECT tenant_id, {} FROM contracts WHERE tenant_id IN ({list})",
        tenancy::CONTRACT_COLUMNS
    );
    let contracts = rows_in(conn, unwritten, sql, &just_ids, |r| {
        Ok((tenant(r)?, tenancy::contract_ref(r)?))
    })
    .await?;
    // (number of the latest contract, its end reason) per school.
    let mut latest: HashMap<String, (i64, Option<EndReason>)> = HashMap::new();
    for (tenant, c) in contracts {
        let Some(f) = out.get_mut(tenant.as_str()) else {
            continue;
        };
        if latest.get(&tenant).is_none_or(|(n, _)| c.number > *n) {
            latest.insert(tenant.clone(), (c.number, c.end_reason));
        }
        if c.status.is_live() && f.contract.as_ref().is_none_or(|k| c.number > k.number) {
            f.contract = Some(c);
        }
    }
    for (tenant, (_, reason)) in latest {
        if let Some(f) = out.get_mut(tenant.as_str()) {
            f.last_end_reason = reason;
        }
    }

    let sql = format!(
        "SELECT tenant_id, {PERIOD_COLUMNS} FROM licence_periods WHERE tenant_id IN ({list}) \
         ORDER BY tenant_id, from_on, created_at"
    );
    for (tenant, p) in rows_in(conn, unwritten, sql, &just_ids, |r| {
        Ok((tenant(r)?, period_ref(r)?))
    })
    .await?
    {
        if let Some(f) = out.get_mut(tenant.as_str()) {
            f.periods.push(p);
        }
    }

    let sql = format!(
        "SELECT tenant_id, {} FROM termination_notices WHERE tenant_id IN ({list}) \
         AND withdrawn_at IS NULL AND effective_on >= ${}",
        notices::COLUMNS,
        ids.len() + 1
    );
    let today = today.to_string();
    let with_today = binds(ids, Some(&today));
    for (tenant, n) in rows_in(conn, unwritten, sql, &with_today, |r| {
        Ok((tenant(r)?, notices::from_ref(r)?))
    })
    .await?
    {
        if let Some(f) = out.get_mut(tenant.as_str())
            && f.pending_notice
                .as_ref()
                .is_none_or(|k| n.filed_at > k.filed_at)
        {
            f.pending_notice = Some(n);
        }
    }

    // Each school's latest open invoice found through its own invoices, newest first (the index
    // on tenant and issue): filtering every open invoice by school instead reads them all.
    let sql = format!(
        "SELECT {INVOICE_COLUMNS} FROM invoices WHERE id IN (SELECT (SELECT i.id FROM invoices i \
         WHERE i.tenant_id = t.id AND i.status IN ('issued', 'overdue') \
         AND i.purpose <> 'service' ORDER BY i.issued_at DESC LIMIT 1) \
         FROM tenants t WHERE t.id IN ({list}))"
    );
    for i in rows_in(conn, unwritten, sql, &just_ids, invoice_ref).await? {
        if let Some(f) = out.get_mut(i.tenant_id.as_str()) {
            f.open_invoice = Some(i);
        }
    }

    let sql = format!(
        "SELECT {} FROM users WHERE tenant_id IN ({list}) AND kind = 'owner' \
         AND removed_at IS NULL ORDER BY created_at",
        accounts::COLUMNS
    );
    for u in rows_in(conn, unwritten, sql, &just_ids, accounts::from_ref).await? {
        if let Some(f) = u.tenant_id.as_deref().and_then(|t| out.get_mut(t))
            && f.owner.is_none()
        {
            f.owner = Some(u);
        }
    }
    Ok(())
}

/// What issuing a renewal invoice reads, for the schools of a page whose renewal may come due
/// today, read together (three queries per 100 schools instead of three per renewal).
#[derive(Debug, Default)]
pub struct RenewalReads {
    /// The schools asked for.
    pub asked: std::collections::HashSet<TenantId>,
    /// The months of each invoice asked for (the invoice of a school's last paid period).
    pub months: HashMap<InvoiceId, i64>,
    /// Each school's credit balance by currency (a currency with no entry is 0).
    pub credit: HashMap<(TenantId, Currency), i64>,
    /// Each school's address for documents (the invoice's customer).
    pub address: HashMap<TenantId, String>,
    /// The operator's requisites in force, as the page's invoices keep them (`None` when no
    /// school was asked for).
    pub supplier: Option<serde_json::Value>,
}

impl RenewalReads {
    /// What `schools` (their ids with the invoice of each one's last paid period) read. On
    /// PostgreSQL the schools are locked first, as every change of a school's money locks it
    /// (`lock_tenant`), so that what is read here holds until the page commits.
    pub async fn read(
        conn: &mut Conn,
        unwritten: Option<&Db>,
        schools: &[(&TenantId, &InvoiceId)],
    ) -> Result<Self> {
        let mut out = Self {
            asked: schools.iter().map(|(t, _)| (*t).clone()).collect(),
            ..Self::default()
        };
        if schools.is_empty() {
            return Ok(out);
        }
        out.supplier = Some(crate::documents::supplier_snapshot(conn).await?);
        for chunk in schools.chunks(CHUNK) {
            let list = placeholders(1, chunk.len());
            let tenants: Vec<Bind<'_>> = chunk.iter().map(|s| Bind::Text(s.0.as_str())).collect();
            let invoices: Vec<Bind<'_>> = chunk.iter().map(|s| Bind::Text(s.1.as_str())).collect();
            if conn.backend_name() == "PostgreSQL" {
                let sql = format!(
                    "SELECT id FROM tenants WHERE id IN ({list}) ORDER BY id FOR NO KEY UPDATE"
                );
                rows_in(conn, None, sql, &tenants, |_| Ok(())).await?;
            }
            let sql = format!("SELECT id, tenant_id, months FROM invoices WHERE id IN ({list})");
            for (id, tenant, months) in rows_in(conn, unwritten, sql, &invoices, |r| {
                let c = Cols::new(r, "");
                Ok((
                    c.get::<InvoiceId>("id")?,
                    c.get::<TenantId>("tenant_id")?,
                    c.get::<i64>("months")?,
                ))
            })
            .await?
            {
                // Only an invoice of the school that asked for it.
                if chunk.iter().any(|(t, i)| **t == tenant && **i == id) {
                    out.months.insert(id, months);
                }
            }
            let sql = format!(
                "SELECT tenant_id, currency, amount_minor FROM credit_ledger \
                 WHERE tenant_id IN ({list})"
            );
            let mut entries: HashMap<(TenantId, Currency), Vec<i64>> = HashMap::new();
            for (key, amount) in rows_in(conn, unwritten, sql, &tenants, |r| {
                let c = Cols::new(r, "");
                Ok((
                    (c.get("tenant_id")?, c.word("currency")?),
                    c.get("amount_minor")?,
                ))
            })
            .await?
            {
                entries.entry(key).or_default().push(amount);
            }
            for (key, amounts) in entries {
                out.credit
                    .insert(key, educenter_domain::money::saturating_sum(amounts));
            }
            let sql = format!("SELECT id, address FROM tenants WHERE id IN ({list})");
            for (id, address) in rows_in(conn, unwritten, sql, &tenants, |r| {
                let c = Cols::new(r, "");
                Ok((c.get("id")?, c.get("address")?))
            })
            .await?
            {
                out.address.insert(id, address);
            }
        }
        Ok(out)
    }
}

/// These schools as stored, in no particular order (ids not found are left out).
pub async fn tenants(conn: &mut Conn, tenant_ids: &[&TenantId]) -> Result<Vec<tenancy::Tenant>> {
    let mut out = Vec::with_capacity(tenant_ids.len());
    for ids in tenant_ids.chunks(CHUNK) {
        let sql = format!(
            "SELECT {} FROM tenants WHERE id IN ({})",
            tenancy::COLUMNS,
            placeholders(1, ids.len())
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for id in ids {
            q = q.bind(id.as_str());
        }
        for row in q.fetch_all(&mut *conn).await? {
            out.push(tenancy::from_row(&row)?);
        }
    }
    Ok(out)
}

/// [`set_billing_due`] for many schools in one statement per few hundred.
pub async fn set_billing_due_many(conn: &mut Conn, due: &[(TenantId, Option<Date>)]) -> Result<()> {
    let rows: Vec<Vec<String>> = due
        .iter()
        .map(|(id, on)| {
            let on = on.map_or_else(|| PARKED.to_owned(), |d| d.to_string());
            vec![id.to_string(), on]
        })
        .collect();
    update_from(
        conn,
        "tenants SET billing_due_on = v.column2",
        "tenants.id = v.column1",
        &rows,
    )
    .await
}

/// `UPDATE {set} FROM (VALUES rows) AS v WHERE {matches}`, as many rows a statement as
/// [`crate::Batch`] allows;
/// `VALUES` names its columns column1, column2, ... on both engines, all text.
async fn update_from(
    conn: &mut Conn,
    set: &str,
    matches: &str,
    rows: &[Vec<String>],
) -> Result<()> {
    let Some(cols) = rows.first().map(Vec::len) else {
        return Ok(());
    };
    let batch = crate::Batch::of(conn);
    for part in rows.chunks(batch.rows(cols)) {
        let sql = format!(
            "UPDATE {set} FROM (VALUES {}) AS v WHERE {matches}",
            batch.tuples(part.len(), cols)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for value in part.iter().flatten() {
            q = q.bind(value.clone());
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// A billing notice claimed once: (tenant, kind, key), as in `billing_notices`.
type NoticeKey = (String, String, String);

/// What the days of a page of schools write that nothing later in the page reads back: states,
/// purge days, contracts ending, audit entries and e-mails, some sent only if their notice was
/// never claimed before, and renewal invoices with nothing paid on issue. The first parts of a
/// page's days write into the page's `Writes`; a second part writes into its school's own,
/// [`Writes::append`]ed once it succeeded; all is [`Writes::flush`]ed in a few statements of
/// many rows each.
#[derive(Debug, Default)]
pub struct Writes {
    states: Vec<Vec<String>>,
    purges: Vec<Vec<String>>,
    lapses: Vec<Vec<String>>,
    /// Invoices issued with nothing paid on issue, which nothing in the page reads back.
    invoices: Vec<(Invoice, Vec<Line>)>,
    audit: Vec<audit::Entry>,
    /// Messages in the order they were written, each with the notice that must be claimed now
    /// for it to go; a notice without a message (nobody to write to) is claimed all the same.
    mail: Vec<(Option<NoticeKey>, Option<outbox::NewMail>)>,
}

impl Writes {
    /// Records a tenant's licence state ([`set_state`]).
    pub fn set_state(&mut self, tenant_id: &TenantId, state: LicenceState) {
        self.states
            .push(vec![tenant_id.to_string(), state.as_str().to_owned()]);
    }

    /// Schedules the purge of a school's data ([`tenancy::set_purge`]).
    pub fn set_purge(&mut self, tenant_id: &TenantId, purge_on: Date, warning_on: Date) {
        self.purges.push(vec![
            tenant_id.to_string(),
            purge_on.to_string(),
            warning_on.to_string(),
        ]);
    }

    /// Ends a contract in force for a billing reason ([`lapse_contract`]).
    pub fn lapse_contract(
        &mut self,
        tenant_id: &TenantId,
        contract_id: &ContractId,
        reason: EndReason,
    ) {
        self.lapses.push(vec![
            tenant_id.to_string(),
            contract_id.to_string(),
            reason.as_str().to_owned(),
        ]);
    }

    /// An invoice issued with nothing paid on issue ([`create_invoice`]): its number is
    /// taken already, so it is written with the rest, before any message that names it.
    pub fn invoice(&mut self, invoice: Invoice, lines: Vec<Line>) {
        self.invoices.push((invoice, lines));
    }

    /// An audit entry ([`audit::record`]).
    pub fn audit(&mut self, entry: audit::Entry) {
        self.audit.push(entry);
    }

    /// A message to queue ([`outbox::queue`]).
    pub fn mail(&mut self, mail: outbox::NewMail) {
        self.mail.push((None, Some(mail)));
    }

    /// A message queued only if the notice (tenant, kind, key) is claimed now
    /// ([`claim_notice`]): sent once, however often the day runs. With no message (a school
    /// without an owner) the notice is claimed all the same.
    pub fn mail_once(
        &mut self,
        tenant_id: &TenantId,
        kind: &str,
        key: &str,
        mail: Option<outbox::NewMail>,
    ) {
        let notice = (tenant_id.to_string(), kind.to_owned(), key.to_owned());
        self.mail.push((Some(notice), mail));
    }

    /// Adds another school's writes to these.
    pub fn append(&mut self, mut other: Writes) {
        self.states.append(&mut other.states);
        self.purges.append(&mut other.purges);
        self.lapses.append(&mut other.lapses);
        self.invoices.append(&mut other.invoices);
        self.audit.append(&mut other.audit);
        self.mail.append(&mut other.mail);
    }

    /// Writes all of it in the caller's transaction and starts empty again (nothing to write,
    /// no statement).
    pub async fn flush(&mut self, conn: &mut Conn, at: Timestamp) -> Result<()> {
        let this = std::mem::take(self);
        let invoices: Vec<(&Invoice, &[Line])> = this
            .invoices
            .iter()
            .map(|(i, lines)| (i, lines.as_slice()))
            .collect();
        create_invoices(conn, &invoices).await?;
        update_from(
            conn,
            "tenants SET state = v.column2",
            "tenants.id = v.column1",
            &this.states,
        )
        .await?;
        update_from(
            conn,
            "tenants SET purge_on = v.column2, purge_warning_on = v.column3",
            "tenants.id = v.column1",
            &this.purges,
        )
        .await?;
        let ended_at = to_micros(at).to_string();
        let lapses: Vec<Vec<String>> = this
            .lapses
            .into_iter()
            .map(|mut row| {
                row.push(ended_at.clone());
                row
            })
            .collect();
        // The instant goes as text in VALUES (all its columns are text) and is cast back.
        update_from(
            conn,
            "contracts SET status = 'ended', ended_at = CAST(v.column4 AS BIGINT), \
             end_reason = v.column3",
            "contracts.tenant_id = v.column1 AND contracts.id = v.column2 \
             AND contracts.status IN ('in_force', 'terminating')",
            &lapses,
        )
        .await?;
        audit::record_many(conn, &this.audit, at).await?;
        let notices: Vec<NoticeKey> = this.mail.iter().filter_map(|(n, _)| n.clone()).collect();
        let claimed: std::collections::HashSet<NoticeKey> = claim_notices(conn, &notices, at)
            .await?
            .into_iter()
            .collect();
        let mail: Vec<outbox::NewMail> = this
            .mail
            .into_iter()
            .filter(|(n, _)| n.as_ref().is_none_or(|n| claimed.contains(n)))
            .filter_map(|(_, m)| m)
            .collect();
        outbox::queue_many(conn, &mail, at).await
    }
}
