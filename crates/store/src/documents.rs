//! Documents (issue 5): the operator's versioned requisites, a school's document settings,
//! monthly acts with their lines, objections and copy requests.

use educenter_domain::billing::Currency;
use educenter_domain::documents::{ActLineKind, ActStatus, CopyKind, ObjectionBy};
use educenter_domain::ids::{ActId, InvoiceId, TenantId, UserId};
use educenter_domain::money::Money;
use educenter_domain::words::DocLang;
use jiff::{Timestamp, civil::Date};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;

use crate::page::{Keyset, Kind, Page, PageRequest};
use crate::{Cols, Conn, Result, new_id, to_micros};

/// The operator's requisites, one version.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(default)]
pub struct Profile {
    pub version: i64,
    pub name: String,
    pub bin: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    /// Where schools write for support (tickets, objections to acts; A-16).
    pub support_email: String,
    pub bank: String,
    pub iik: String,
    pub bik: String,
    pub kbe: String,
    pub knp: String,
    pub signer: String,
    /// None: not a VAT payer; else the rate included in prices.
    pub vat_percent: Option<i64>,
}

const PROFILE_COLUMNS: &str = "version, name, bin, address, phone, email, support_email, bank, iik, bik, kbe, knp, signer, \
     vat_percent";

fn profile_row(r: &AnyRow) -> Result<Profile> {
    let c = Cols::new(r, "");
    Ok(Profile {
        version: c.get("version")?,
        name: c.get("name")?,
        bin: c.get("bin")?,
        address: c.get("address")?,
        phone: c.get("phone")?,
        email: c.get("email")?,
        support_email: c.get("support_email")?,
        bank: c.get("bank")?,
        iik: c.get("iik")?,
        bik: c.get("bik")?,
        kbe: c.get("kbe")?,
        knp: c.get("knp")?,
        signer: c.get("signer")?,
        vat_percent: c.get("vat_percent")?,
    })
}

/// The requisites in force: the newest version (the migration seeds version 1).
pub async fn current_profile(conn: &mut Conn) -> Result<Profile> {
    let sql =
        format!("SELECT {PROFILE_COLUMNS} FROM operator_profiles ORDER BY version DESC LIMIT 1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_one(&mut *conn)
        .await?;
    profile_row(&row)
}

/// The requisites in force as an invoice keeps them (its `supplier`).
pub async fn supplier_snapshot(conn: &mut Conn) -> Result<serde_json::Value> {
    Ok(serde_json::to_value(current_profile(conn).await?).unwrap_or_default())
}

pub async fn profile_version(conn: &mut Conn, version: i64) -> Result<Option<Profile>> {
    let sql = format!("SELECT {PROFILE_COLUMNS} FROM operator_profiles WHERE version = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(version)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(profile_row).transpose()
}

/// Saves a new version (the next number); the earlier ones stay for the documents that use them.
pub async fn add_profile(
    conn: &mut Conn,
    p: &Profile,
    at: Timestamp,
    by: Option<&UserId>,
) -> Result<i64> {
    let row = sqlx::query("SELECT COALESCE(MAX(version), 0) AS v FROM operator_profiles")
        .fetch_one(&mut *conn)
        .await?;
    let version: i64 = Cols::new(&row, "").get::<i64>("v")? + 1;
    sqlx::query(
        "INSERT INTO operator_profiles (version, name, bin, address, phone, email, support_email, \
         bank, iik, bik, kbe, knp, signer, vat_percent, created_at, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
    )
    .bind(version)
    .bind(&p.name)
    .bind(&p.bin)
    .bind(&p.address)
    .bind(&p.phone)
    .bind(&p.email)
    .bind(&p.support_email)
    .bind(&p.bank)
    .bind(&p.iik)
    .bind(&p.bik)
    .bind(&p.kbe)
    .bind(&p.knp)
    .bind(&p.signer)
    .bind(p.vat_percent)
    .bind(to_micros(at))
    .bind(by.map(UserId::as_str))
    .execute(&mut *conn)
    .await?;
    Ok(version)
}

/// A school's document settings: language (`ru` or `kk`) and postal address.
pub async fn tenant_settings(conn: &mut Conn, tenant_id: &TenantId) -> Result<(DocLang, String)> {
    let row = sqlx::query("SELECT document_lang, address FROM tenants WHERE id = $1")
        .bind(tenant_id.as_str())
        .fetch_one(&mut *conn)
        .await?;
    let c = Cols::new(&row, "");
    Ok((c.word("document_lang")?, c.get("address")?))
}

pub async fn set_tenant_settings(
    conn: &mut Conn,
    tenant_id: &TenantId,
    lang: DocLang,
    address: &str,
) -> Result<()> {
    sqlx::query("UPDATE tenants SET document_lang = $1, address = $2 WHERE id = $3")
        .bind(lang.as_str())
        .bind(address)
        .bind(tenant_id.as_str())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The next act number of a year, gapless, in the caller's transaction.
pub async fn next_act_number(conn: &mut Conn, year: i16) -> Result<String> {
    sqlx::query(
        "INSERT INTO act_numbers (year, last_seq) VALUES ($1, 0) ON CONFLICT (year) DO NOTHING",
    )
    .bind(i64::from(year))
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE act_numbers SET last_seq = last_seq + 1 WHERE year = $1")
        .bind(i64::from(year))
        .execute(&mut *conn)
        .await?;
    let row = sqlx::query("SELECT last_seq FROM act_numbers WHERE year = $1")
        .bind(i64::from(year))
        .fetch_one(&mut *conn)
        .await?;
    let seq: i64 = Cols::new(&row, "").get("last_seq")?;
    Ok(format!("{year}-{seq:06}"))
}

#[derive(Debug, Clone, Serialize)]
pub struct Act {
    pub id: ActId,
    pub tenant_id: TenantId,
    pub number: String,
    /// `YYYY-MM`.
    pub month: String,
    pub currency: Currency,
    pub total_minor: i64,
    pub drawn_on: Date,
    pub published_at: Timestamp,
    pub window_ends_on: Date,
    pub status: ActStatus,
    pub accepted_at: Option<Timestamp>,
    pub objected_at: Option<Timestamp>,
    pub objection: Option<String>,
    pub objection_by: Option<ObjectionBy>,
    pub lang: DocLang,
    pub supplier: serde_json::Value,
    pub customer: serde_json::Value,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActLine {
    pub kind: ActLineKind,
    pub description: String,
    pub from_on: Date,
    pub to_on: Date,
    pub quantity: i64,
    pub unit: String,
    pub price_minor: i64,
    pub amount_minor: i64,
    pub invoice_id: InvoiceId,
    /// What it acts for: the invoice id of a licence period, `{invoice id}#{position}` of a
    /// service line.
    pub source: String,
}

const ACT_COLUMNS: &str = "id, tenant_id, number, month, currency, total_minor, drawn_on, \
                           published_at, window_ends_on, status, accepted_at, objected_at, \
                           objection, objection_by, lang, supplier, customer";

fn act_row(r: &AnyRow) -> Result<Act> {
    let c = Cols::new(r, "");
    let json = |name: &str| -> Result<serde_json::Value> {
        let text: String = c.get(name)?;
        serde_json::from_str(&text).map_err(|e| crate::StoreError::Corrupt(format!("{name}: {e}")))
    };
    Ok(Act {
        id: c.get("id")?,
        tenant_id: c.get("tenant_id")?,
        number: c.get("number")?,
        month: c.get("month")?,
        currency: c.word("currency")?,
        total_minor: c.get("total_minor")?,
        drawn_on: c.date("drawn_on")?,
        published_at: c.at("published_at")?,
        window_ends_on: c.date("window_ends_on")?,
        status: c.word("status")?,
        accepted_at: c.at_opt("accepted_at")?,
        objected_at: c.at_opt("objected_at")?,
        objection: c.get("objection")?,
        objection_by: c.word_opt("objection_by")?,
        lang: c.word("lang")?,
        supplier: json("supplier")?,
        customer: json("customer")?,
    })
}

/// Stores a published act with its lines. An invoice's share of a month is on one act only
/// (a unique key), so a concurrent second run fails here and rolls back.
pub async fn insert_act(conn: &mut Conn, act: &Act, lines: &[ActLine]) -> Result<()> {
    sqlx::query(
        "INSERT INTO acts (id, tenant_id, number, month, currency, total_minor, drawn_on, \
         published_at, window_ends_on, status, lang, supplier, customer) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(act.id.as_str())
    .bind(act.tenant_id.as_str())
    .bind(&act.number)
    .bind(&act.month)
    .bind(act.currency.as_str())
    .bind(act.total_minor)
    .bind(act.drawn_on.to_string())
    .bind(to_micros(act.published_at))
    .bind(act.window_ends_on.to_string())
    .bind(act.status.as_str())
    .bind(act.lang.as_str())
    .bind(act.supplier.to_string())
    .bind(act.customer.to_string())
    .execute(&mut *conn)
    .await?;
    for (i, l) in lines.iter().enumerate() {
        sqlx::query(
            "INSERT INTO act_lines (id, act_id, tenant_id, position, kind, description, from_on, \
             to_on, quantity, unit, price_minor, amount_minor, invoice_id, source, month) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        )
        .bind(new_id())
        .bind(act.id.as_str())
        .bind(act.tenant_id.as_str())
        .bind(i as i64 + 1)
        .bind(l.kind.as_str())
        .bind(&l.description)
        .bind(l.from_on.to_string())
        .bind(l.to_on.to_string())
        .bind(l.quantity)
        .bind(&l.unit)
        .bind(l.price_minor)
        .bind(l.amount_minor)
        .bind(l.invoice_id.as_str())
        .bind(&l.source)
        .bind(&act.month)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// What of the month is already on one of the school's acts (the lines' sources).
pub async fn acted_sources(
    conn: &mut Conn,
    tenant_id: &TenantId,
    month: &str,
) -> Result<std::collections::BTreeSet<String>> {
    let rows = sqlx::query("SELECT source FROM act_lines WHERE tenant_id = $1 AND month = $2")
        .bind(tenant_id.as_str())
        .bind(month)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|r| Cols::new(r, "").get::<String>("source"))
        .collect()
}

/// A school's acts, newest first.
pub async fn acts_of(conn: &mut Conn, tenant_id: &TenantId) -> Result<Vec<Act>> {
    let sql = format!(
        "SELECT {ACT_COLUMNS} FROM acts WHERE tenant_id = $1 ORDER BY month DESC, number DESC"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id.as_str())
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(act_row).collect()
}

const ACT_PAGES: Keyset = Keyset {
    name: "acts",
    columns: &[("month", Kind::Text), ("number", Kind::Text)],
    desc: true,
};

/// A page of a school's acts, newest first.
pub async fn acts_page(
    conn: &mut Conn,
    tenant_id: &TenantId,
    req: &PageRequest,
) -> Result<Page<Act>> {
    let select = format!("SELECT {ACT_COLUMNS} FROM acts WHERE tenant_id = $1");
    ACT_PAGES
        .fetch(conn, req, &select, vec![tenant_id.into()], act_row, |a| {
            vec![(&a.month).into(), (&a.number).into()]
        })
        .await
}

/// One act of a school: another school's act is not found.
pub async fn act_of(conn: &mut Conn, tenant_id: &TenantId, id: &ActId) -> Result<Option<Act>> {
    let sql = format!("SELECT {ACT_COLUMNS} FROM acts WHERE tenant_id = $1 AND id = $2");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id.as_str())
        .bind(id.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(act_row).transpose()
}

/// An act by id, for the operator's staff.
pub async fn act_by_id(conn: &mut Conn, id: &ActId) -> Result<Option<Act>> {
    let sql = format!("SELECT {ACT_COLUMNS} FROM acts WHERE id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(act_row).transpose()
}

/// The newest acts of every school, for the back office.
pub async fn recent_acts(conn: &mut Conn, limit: i64) -> Result<Vec<Act>> {
    let sql = format!("SELECT {ACT_COLUMNS} FROM acts ORDER BY published_at DESC, id LIMIT $1");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(act_row).collect()
}

pub async fn act_lines(
    conn: &mut Conn,
    tenant_id: &TenantId,
    act_id: &ActId,
) -> Result<Vec<ActLine>> {
    let rows = sqlx::query(
        "SELECT kind, description, from_on, to_on, quantity, unit, price_minor, amount_minor, \
         invoice_id, source FROM act_lines WHERE tenant_id = $1 AND act_id = $2 ORDER BY position",
    )
    .bind(tenant_id.as_str())
    .bind(act_id.as_str())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let c = Cols::new(r, "");
            Ok(ActLine {
                kind: c.word("kind")?,
                description: c.get("description")?,
                from_on: c.date("from_on")?,
                to_on: c.date("to_on")?,
                quantity: c.get("quantity")?,
                unit: c.get("unit")?,
                price_minor: c.get("price_minor")?,
                amount_minor: c.get("amount_minor")?,
                invoice_id: c.get("invoice_id")?,
                source: c.get("source")?,
            })
        })
        .collect()
}

/// Published acts whose objection window ended before `today`: they become accepted.
pub async fn accept_due(conn: &mut Conn, today: Date, at: Timestamp) -> Result<u64> {
    let done = sqlx::query(
        "UPDATE acts SET status = 'accepted', accepted_at = $1 \
         WHERE status = 'published' AND window_ends_on < $2",
    )
    .bind(to_micros(at))
    .bind(today.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

/// Records an objection to an act not objected already (an accepted one too: an e-mail that
/// came in time may be keyed in after 00:00); false when it was objected before.
pub async fn object(
    conn: &mut Conn,
    act_id: &ActId,
    reason: &str,
    by: ObjectionBy,
    at: Timestamp,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE acts SET status = 'objected', objected_at = $1, objection = $2, \
         objection_by = $3, accepted_at = NULL WHERE id = $4 AND status <> 'objected'",
    )
    .bind(to_micros(at))
    .bind(reason)
    .bind(by.as_str())
    .bind(act_id.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(Debug, Clone, Serialize)]
pub struct CopyRequest {
    pub id: String,
    pub act_id: ActId,
    pub act_number: String,
    pub tenant_id: TenantId,
    pub kind: CopyKind,
    pub requested_at: Timestamp,
}

pub async fn request_copy(
    conn: &mut Conn,
    act: &Act,
    kind: CopyKind,
    by: &UserId,
    at: Timestamp,
) -> Result<(String, bool)> {
    let open = sqlx::query(
        "SELECT id FROM act_copy_requests WHERE act_id = $1 AND kind = $2 AND done_at IS NULL",
    )
    .bind(act.id.as_str())
    .bind(kind.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(row) = open {
        return Ok((Cols::new(&row, "").get("id")?, false));
    }
    let id = new_id();
    sqlx::query(
        "INSERT INTO act_copy_requests (id, act_id, tenant_id, kind, requested_at, requested_by) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(act.id.as_str())
    .bind(act.tenant_id.as_str())
    .bind(kind.as_str())
    .bind(to_micros(at))
    .bind(by.as_str())
    .execute(&mut *conn)
    .await?;
    Ok((id, true))
}

/// Marks a copy request handled; false when it was not open.
pub async fn copy_done(conn: &mut Conn, id: &str, by: &UserId, at: Timestamp) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE act_copy_requests SET done_at = $1, done_by = $2 WHERE id = $3 AND done_at IS NULL",
    )
    .bind(to_micros(at))
    .bind(by.as_str())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Copy requests not yet done, oldest first, for the back office.
pub async fn open_copy_requests(conn: &mut Conn) -> Result<Vec<CopyRequest>> {
    let rows = sqlx::query(
        "SELECT r.id, r.act_id, a.number, r.tenant_id, r.kind, r.requested_at \
         FROM act_copy_requests r JOIN acts a ON a.id = r.act_id \
         WHERE r.done_at IS NULL ORDER BY r.requested_at, r.id",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let c = Cols::new(r, "");
            Ok(CopyRequest {
                id: c.get("id")?,
                act_id: c.get("act_id")?,
                act_number: c.get("number")?,
                tenant_id: c.get("tenant_id")?,
                kind: c.word("kind")?,
                requested_at: c.at("requested_at")?,
            })
        })
        .collect()
}

/// A paid licence period with a day in `[first, last]`.
#[derive(Debug, Clone)]
pub struct PeriodInMonth {
    pub tenant_id: TenantId,
    pub invoice_id: InvoiceId,
    pub invoice_number: String,
    pub plan_code: String,
    pub plan_ru: String,
    pub plan_kk: String,
    pub from_on: Date,
    pub to_on: Date,
    pub paid: Money,
    /// When the contract ended, if it did: no licence day is acted after it.
    pub contract_ended_at: Option<Timestamp>,
}

/// Licence periods with a day in the month, a page of schools after `after` (by tenant id):
/// each with its school's id and the row as read, so that one damaged row holds up only its
/// school.
pub async fn periods_in_month(
    conn: &mut Conn,
    first: Date,
    last: Date,
    after: &str,
    limit: i64,
) -> Result<Vec<(TenantId, Result<PeriodInMonth>)>> {
    let rows = sqlx::query(
        "SELECT p.tenant_id, p.invoice_id, i.number, p.plan_code, pl.name_ru, pl.name_kk, \
         p.from_on, p.to_on, p.paid_minor, p.currency, c.ended_at FROM licence_periods p \
         JOIN invoices i ON i.id = p.invoice_id JOIN plans pl ON pl.code = p.plan_code \
         JOIN contracts c ON c.id = p.contract_id \
         WHERE p.from_on <= $2 AND p.to_on >= $1 AND p.tenant_id IN ( \
           SELECT DISTINCT tenant_id FROM licence_periods \
           WHERE from_on <= $2 AND to_on >= $1 AND tenant_id > $3 ORDER BY tenant_id LIMIT $4) \
         ORDER BY p.tenant_id, p.from_on",
    )
    .bind(first.to_string())
    .bind(last.to_string())
    .bind(after)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let c = Cols::new(r, "");
            let period: Result<PeriodInMonth> = (|| {
                Ok(PeriodInMonth {
                    tenant_id: c.get("tenant_id")?,
                    invoice_id: c.get("invoice_id")?,
                    invoice_number: c.get("number")?,
                    plan_code: c.get("plan_code")?,
                    plan_ru: c.get("name_ru")?,
                    plan_kk: c.get("name_kk")?,
                    from_on: c.date("from_on")?,
                    to_on: c.date("to_on")?,
                    paid: c.money_in("paid_minor")?,
                    contract_ended_at: c.at_opt("ended_at")?,
                })
            })();
            Ok((c.get("tenant_id")?, period))
        })
        .collect()
}

/// Service lines of invoices paid in the month (delivered services), by school.
#[derive(Debug, Clone)]
pub struct ServiceInMonth {
    pub tenant_id: TenantId,
    pub invoice_id: InvoiceId,
    pub position: i64,
    pub description: String,
    /// The line's words in Kazakh, when written in it.
    pub description_kk: Option<String>,
    pub amount: Money,
    pub paid_on: Date,
}

/// Each with its school's id and the row as read (see [`periods_in_month`]).
pub async fn services_in_month(
    conn: &mut Conn,
    first: Date,
    last: Date,
) -> Result<Vec<(TenantId, Result<ServiceInMonth>)>> {
    let rows = sqlx::query(
        "SELECT l.tenant_id, l.invoice_id, l.position, l.description, l.description_kk, \
         l.amount_minor, i.currency, i.paid_on \
         FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id \
         WHERE l.kind = 'service' AND i.status = 'paid' AND i.paid_on >= $1 AND i.paid_on <= $2 \
         ORDER BY l.tenant_id, i.paid_on, l.position",
    )
    .bind(first.to_string())
    .bind(last.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let c = Cols::new(r, "");
            let service: Result<ServiceInMonth> = (|| {
                Ok(ServiceInMonth {
                    tenant_id: c.get("tenant_id")?,
                    invoice_id: c.get("invoice_id")?,
                    position: c.get("position")?,
                    description: c.get("description")?,
                    description_kk: c.get("description_kk")?,
                    amount: c.money()?,
                    paid_on: c.date("paid_on")?,
                })
            })();
            Ok((c.get("tenant_id")?, service))
        })
        .collect()
}
