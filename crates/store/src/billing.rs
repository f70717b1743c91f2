//! Plans and prices, invoices with gapless numbers, payments, the ledger of paid periods and
//! the credit balance. Every query of tenant-owned rows filters by the tenant.

use jiff::Timestamp;
use serde::Serialize;
use sqlx::{Row, any::AnyRow};

use crate::page::{Keyset, Kind, Page, PageRequest};
use crate::{Conn, Db, Result, from_micros, new_id, to_micros};

#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub code: String,
    pub name_ru: String,
    pub name_kk: String,
    pub name_en: String,
    pub limit_students: i64,
    pub limit_staff: i64,
    pub limit_storage_bytes: i64,
    pub limit_courses: i64,
}

const PLAN_COLUMNS: &str = "code, name_ru, name_kk, name_en, limit_students, limit_staff, \
                            limit_storage_bytes, limit_courses";

fn plan_row(r: &AnyRow) -> Result<Plan> {
    Ok(Plan {
        code: r.try_get("code")?,
        name_ru: r.try_get("name_ru")?,
        name_kk: r.try_get("name_kk")?,
        name_en: r.try_get("name_en")?,
        limit_students: r.try_get("limit_students")?,
        limit_staff: r.try_get("limit_staff")?,
        limit_storage_bytes: r.try_get("limit_storage_bytes")?,
        limit_courses: r.try_get("limit_courses")?,
    })
}

pub async fn create_plan(conn: &mut Conn, p: &Plan, now: Timestamp) -> Result<()> {
    sqlx::query(
        "INSERT INTO plans (code, name_ru, name_kk, name_en, limit_students, limit_staff, \
         limit_storage_bytes, limit_courses, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&p.code)
    .bind(&p.name_ru)
    .bind(&p.name_kk)
    .bind(&p.name_en)
    .bind(p.limit_students)
    .bind(p.limit_staff)
    .bind(p.limit_storage_bytes)
    .bind(p.limit_courses)
    .bind(to_micros(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn plan(conn: &mut Conn, code: &str) -> Result<Option<Plan>> {
    let sql = format!("SELECT {PLAN_COLUMNS} FROM plans WHERE code = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(code)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(plan_row).transpose()
}

pub async fn plans(db: &Db) -> Result<Vec<Plan>> {
    let sql = format!("SELECT {PLAN_COLUMNS} FROM plans ORDER BY created_at, code");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(db.pool())
        .await?;
    rows.iter().map(plan_row).collect()
}

const PLAN_PAGES: Keyset = Keyset {
    name: "plans",
    columns: &[("created_at", Kind::Int), ("code", Kind::Text)],
    desc: false,
};

/// A page of the plans that have a price in force on the local date `on`, oldest first, each
/// with those prices.
pub async fn plans_page(
    conn: &mut Conn,
    on: &str,
    req: &PageRequest,
) -> Result<Page<(Plan, Vec<Price>)>> {
    let select = format!(
        "SELECT {PLAN_COLUMNS}, created_at FROM plans WHERE EXISTS (SELECT 1 FROM plan_prices p \
         WHERE p.plan_code = plans.code AND p.effective_from <= $1)"
    );
    let parse = |r: &AnyRow| Ok((plan_row(r)?, r.try_get::<i64, _>("created_at")?));
    let page = PLAN_PAGES
        .fetch(conn, req, &select, vec![on.into()], parse, |(p, at)| {
            vec![(*at).into(), (&p.code).into()]
        })
        .await?;
    let codes: Vec<&str> = page.items.iter().map(|(p, _)| p.code.as_str()).collect();
    let mut prices = prices_in_force_of(conn, on, &codes).await?;
    Ok(page.map(|(plan, _)| {
        let mine = prices
            .extract_if(.., |p| p.plan_code == plan.code)
            .collect();
        (plan, mine)
    }))
}

/// [`prices_in_force`] of the plans named.
async fn prices_in_force_of(conn: &mut Conn, on: &str, codes: &[&str]) -> Result<Vec<Price>> {
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    let list = (0..codes.len())
        .map(|i| format!("${}", i + 2))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT p.plan_code, p.currency, p.months, p.amount_minor, p.decided_on, \
         p.effective_from FROM plan_prices p WHERE p.effective_from <= $1 \
         AND p.plan_code IN ({list}) AND NOT EXISTS \
         (SELECT 1 FROM plan_prices q WHERE q.plan_code = p.plan_code AND q.currency = p.currency \
         AND q.months = p.months AND q.effective_from <= $1 AND q.effective_from > p.effective_from) \
         ORDER BY p.plan_code, p.currency, p.months"
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(on.to_owned());
    for c in codes {
        q = q.bind(c.to_string());
    }
    let rows = q.fetch_all(&mut *conn).await?;
    rows.iter().map(price_row).collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct Price {
    pub plan_code: String,
    pub currency: String,
    pub months: i64,
    pub amount_minor: i64,
    pub decided_on: String,
    pub effective_from: String,
}

pub async fn add_price(conn: &mut Conn, p: &Price, now: Timestamp) -> Result<()> {
    sqlx::query(
        "INSERT INTO plan_prices (id, plan_code, currency, months, amount_minor, decided_on, \
         effective_from, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(new_id())
    .bind(&p.plan_code)
    .bind(&p.currency)
    .bind(p.months)
    .bind(p.amount_minor)
    .bind(&p.decided_on)
    .bind(&p.effective_from)
    .bind(to_micros(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

fn price_row(r: &AnyRow) -> Result<Price> {
    Ok(Price {
        plan_code: r.try_get("plan_code")?,
        currency: r.try_get("currency")?,
        months: r.try_get("months")?,
        amount_minor: r.try_get("amount_minor")?,
        decided_on: r.try_get("decided_on")?,
        effective_from: r.try_get("effective_from")?,
    })
}

/// The prices in force on a local date: per plan, currency and term, the version with the
/// latest effective date not after it.
pub async fn prices_in_force(conn: &mut Conn, on: &str) -> Result<Vec<Price>> {
    let rows = sqlx::query(
        "SELECT p.plan_code, p.currency, p.months, p.amount_minor, p.decided_on, \
         p.effective_from FROM plan_prices p WHERE p.effective_from <= $1 AND NOT EXISTS \
         (SELECT 1 FROM plan_prices q WHERE q.plan_code = p.plan_code AND q.currency = p.currency \
         AND q.months = p.months AND q.effective_from <= $1 AND q.effective_from > p.effective_from) \
         ORDER BY p.plan_code, p.currency, p.months",
    )
    .bind(on)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(price_row).collect()
}

/// Every price version of a plan, oldest first.
pub async fn price_versions(conn: &mut Conn, plan_code: &str) -> Result<Vec<Price>> {
    let rows = sqlx::query(
        "SELECT plan_code, currency, months, amount_minor, decided_on, effective_from \
         FROM plan_prices WHERE plan_code = $1 ORDER BY effective_from, currency, months",
    )
    .bind(plan_code)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(price_row).collect()
}

/// The next invoice number of a year, `2027-000001`, gapless: the counter moves inside the
/// caller's transaction, so a rolled-back issue gives its number back.
pub async fn next_invoice_number(conn: &mut Conn, year: i16) -> Result<String> {
    sqlx::query(
        "INSERT INTO invoice_numbers (year, last_seq) VALUES ($1, 0) ON CONFLICT (year) DO NOTHING",
    )
    .bind(i64::from(year))
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE invoice_numbers SET last_seq = last_seq + 1 WHERE year = $1")
        .bind(i64::from(year))
        .execute(&mut *conn)
        .await?;
    let row = sqlx::query("SELECT last_seq FROM invoice_numbers WHERE year = $1")
        .bind(i64::from(year))
        .fetch_one(&mut *conn)
        .await?;
    let seq: i64 = row.try_get("last_seq")?;
    Ok(format!("{year}-{seq:06}"))
}

#[derive(Debug, Clone, Serialize)]
pub struct Invoice {
    pub id: String,
    pub tenant_id: String,
    pub number: String,
    pub purpose: String,
    pub plan_code: String,
    pub months: i64,
    pub currency: String,
    pub total_minor: i64,
    pub paid_minor: i64,
    pub excess_credit_minor: i64,
    pub extra_storage_bytes: i64,
    pub status: String,
    pub issued_at: Timestamp,
    pub issued_on: String,
    pub due_on: String,
    /// The due date was computed over a year with no loaded calendar.
    pub due_on_provisional: bool,
    pub paid_on: Option<String>,
    pub supplier: serde_json::Value,
    pub customer: serde_json::Value,
}

const INVOICE_COLUMNS: &str = "id, tenant_id, number, purpose, plan_code, months, currency, \
                               total_minor, paid_minor, excess_credit_minor, extra_storage_bytes, \
                               status, issued_at, \
                               issued_on, due_on, due_on_provisional, paid_on, supplier, customer";

fn invoice_row(r: &AnyRow) -> Result<Invoice> {
    let json = |name: &str| -> Result<serde_json::Value> {
        let text: String = r.try_get(name)?;
        Ok(serde_json::from_str(&text).unwrap_or(serde_json::Value::Null))
    };
    Ok(Invoice {
        id: r.try_get("id")?,
        tenant_id: r.try_get("tenant_id")?,
        number: r.try_get("number")?,
        purpose: r.try_get("purpose")?,
        plan_code: r
            .try_get::<Option<String>, _>("plan_code")?
            .unwrap_or_default(),
        months: r.try_get("months")?,
        currency: r.try_get("currency")?,
        total_minor: r.try_get("total_minor")?,
        paid_minor: r.try_get("paid_minor")?,
        excess_credit_minor: r.try_get("excess_credit_minor")?,
        extra_storage_bytes: r.try_get("extra_storage_bytes")?,
        status: r.try_get("status")?,
        issued_at: from_micros(r.try_get("issued_at")?)?,
        issued_on: r.try_get("issued_on")?,
        due_on: r.try_get("due_on")?,
        due_on_provisional: r.try_get::<i64, _>("due_on_provisional")? != 0,
        paid_on: r.try_get("paid_on")?,
        supplier: json("supplier")?,
        customer: json("customer")?,
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct Line {
    pub kind: String,
    /// The line's words in Russian (documents' default language).
    pub description: String,
    /// The same in Kazakh and English, when the line was written in them.
    #[serde(skip)]
    pub description_kk: Option<String>,
    #[serde(skip)]
    pub description_en: Option<String>,
    pub amount_minor: i64,
    /// The additional service a `service` line sells (its price changes are told to the
    /// schools that use it).
    #[serde(skip)]
    pub service_code: Option<String>,
}

impl Line {
    /// The line's words in a language (`ru`, `kk`, `en`), Russian when not written in it.
    pub fn description_in(&self, lang: &str) -> &str {
        match lang {
            "kk" => self.description_kk.as_deref(),
            "en" => self.description_en.as_deref(),
            _ => None,
        }
        .unwrap_or(&self.description)
    }
}

pub async fn create_invoice(conn: &mut Conn, inv: &Invoice, lines: &[Line]) -> Result<()> {
    sqlx::query(
        "INSERT INTO invoices (id, tenant_id, number, purpose, plan_code, months, currency, \
         total_minor, paid_minor, excess_credit_minor, extra_storage_bytes, status, issued_at, \
         issued_on, due_on, due_on_provisional, paid_on, supplier, customer) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
         $19)",
    )
    .bind(&inv.id)
    .bind(&inv.tenant_id)
    .bind(&inv.number)
    .bind(&inv.purpose)
    .bind((!inv.plan_code.is_empty()).then_some(inv.plan_code.as_str()))
    .bind(inv.months)
    .bind(&inv.currency)
    .bind(inv.total_minor)
    .bind(inv.paid_minor)
    .bind(inv.excess_credit_minor)
    .bind(inv.extra_storage_bytes)
    .bind(&inv.status)
    .bind(to_micros(inv.issued_at))
    .bind(&inv.issued_on)
    .bind(&inv.due_on)
    .bind(i64::from(inv.due_on_provisional))
    .bind(&inv.paid_on)
    .bind(inv.supplier.to_string())
    .bind(inv.customer.to_string())
    .execute(&mut *conn)
    .await?;
    for (i, line) in lines.iter().enumerate() {
        sqlx::query(
            "INSERT INTO invoice_lines (id, invoice_id, tenant_id, position, kind, description, \
             amount_minor, service_code, description_kk, description_en) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(new_id())
        .bind(&inv.id)
        .bind(&inv.tenant_id)
        .bind(i64::try_from(i).unwrap_or(i64::MAX))
        .bind(&line.kind)
        .bind(&line.description)
        .bind(line.amount_minor)
        .bind(&line.service_code)
        .bind(&line.description_kk)
        .bind(&line.description_en)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// An invoice of a tenant.
pub async fn invoice(conn: &mut Conn, tenant_id: &str, id: &str) -> Result<Option<Invoice>> {
    let sql = format!("SELECT {INVOICE_COLUMNS} FROM invoices WHERE tenant_id = $1 AND id = $2");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(invoice_row).transpose()
}

/// An invoice by its number, for the operator (any tenant).
pub async fn invoice_by_number(conn: &mut Conn, number: &str) -> Result<Option<Invoice>> {
    let sql = format!("SELECT {INVOICE_COLUMNS} FROM invoices WHERE number = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(number)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(invoice_row).transpose()
}

/// A tenant's invoices, newest first.
pub async fn invoices(conn: &mut Conn, tenant_id: &str) -> Result<Vec<Invoice>> {
    let sql = format!(
        "SELECT {INVOICE_COLUMNS} FROM invoices WHERE tenant_id = $1 ORDER BY issued_at DESC, \
         number DESC"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(invoice_row).collect()
}

const INVOICE_PAGES: Keyset = Keyset {
    name: "invoices",
    columns: &[("issued_at", Kind::Int), ("number", Kind::Text)],
    desc: true,
};

/// A page of a tenant's invoices, newest first.
pub async fn invoices_page(
    conn: &mut Conn,
    tenant_id: &str,
    req: &PageRequest,
) -> Result<Page<Invoice>> {
    let select = format!("SELECT {INVOICE_COLUMNS} FROM invoices WHERE tenant_id = $1");
    INVOICE_PAGES
        .fetch(
            conn,
            req,
            &select,
            vec![tenant_id.into()],
            invoice_row,
            |i| vec![to_micros(i.issued_at).into(), (&i.number).into()],
        )
        .await
}

/// The tenant's unpaid, not void licence invoice, if any.
pub async fn open_licence_invoice(conn: &mut Conn, tenant_id: &str) -> Result<Option<Invoice>> {
    let sql = format!(
        "SELECT {INVOICE_COLUMNS} FROM invoices WHERE tenant_id = $1 \
         AND status IN ('issued', 'overdue') AND purpose <> 'service' \
         ORDER BY issued_at DESC LIMIT 1"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(invoice_row).transpose()
}

pub async fn lines(conn: &mut Conn, tenant_id: &str, invoice_id: &str) -> Result<Vec<Line>> {
    let rows = sqlx::query(
        "SELECT kind, description, amount_minor, service_code, description_kk, description_en \
         FROM invoice_lines WHERE tenant_id = $1 AND invoice_id = $2 ORDER BY position",
    )
    .bind(tenant_id)
    .bind(invoice_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Line {
                kind: r.try_get("kind")?,
                description: r.try_get("description")?,
                amount_minor: r.try_get("amount_minor")?,
                service_code: r.try_get("service_code")?,
                description_kk: r.try_get("description_kk")?,
                description_en: r.try_get("description_en")?,
            })
        })
        .collect()
}

/// Adds a received amount to an invoice; marks it paid on `paid_on` when given.
pub async fn add_paid(
    conn: &mut Conn,
    tenant_id: &str,
    invoice_id: &str,
    amount_minor: i64,
    paid_on: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "UPDATE invoices SET paid_minor = paid_minor + $1 WHERE tenant_id = $2 AND id = $3",
    )
    .bind(amount_minor)
    .bind(tenant_id)
    .bind(invoice_id)
    .execute(&mut *conn)
    .await?;
    if let Some(on) = paid_on {
        sqlx::query(
            "UPDATE invoices SET status = 'paid', paid_on = $1 WHERE tenant_id = $2 AND id = $3",
        )
        .bind(on)
        .bind(tenant_id)
        .bind(invoice_id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Issued invoices whose due date passed before `today` become `overdue`; returns how many.
pub async fn mark_overdue(conn: &mut Conn, today: &str) -> Result<u64> {
    let done = sqlx::query(
        "UPDATE invoices SET status = 'overdue' WHERE status = 'issued' AND due_on < $1",
    )
    .bind(today)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

#[derive(Debug, Clone, Serialize)]
pub struct Payment {
    pub id: String,
    pub tenant_id: String,
    pub invoice_id: String,
    pub channel: String,
    pub reference: String,
    pub amount_minor: i64,
    pub currency: String,
    pub received_on: String,
    pub recorded_at: Timestamp,
}

fn payment_row(r: &AnyRow) -> Result<Payment> {
    Ok(Payment {
        id: r.try_get("id")?,
        tenant_id: r.try_get("tenant_id")?,
        invoice_id: r.try_get("invoice_id")?,
        channel: r.try_get("channel")?,
        reference: r.try_get("reference")?,
        amount_minor: r.try_get("amount_minor")?,
        currency: r.try_get("currency")?,
        received_on: r.try_get("received_on")?,
        recorded_at: from_micros(r.try_get("recorded_at")?)?,
    })
}

const PAYMENT_COLUMNS: &str = "id, tenant_id, invoice_id, channel, reference, amount_minor, \
                               currency, received_on, recorded_at";

pub async fn payment_by_reference(
    conn: &mut Conn,
    channel: &str,
    reference: &str,
) -> Result<Option<Payment>> {
    let sql =
        format!("SELECT {PAYMENT_COLUMNS} FROM payments WHERE channel = $1 AND reference = $2");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(channel)
        .bind(reference)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(payment_row).transpose()
}

pub async fn insert_payment(conn: &mut Conn, p: &Payment, recorded_by: Option<&str>) -> Result<()> {
    sqlx::query(
        "INSERT INTO payments (id, tenant_id, invoice_id, channel, reference, amount_minor, \
         currency, received_on, recorded_at, recorded_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&p.id)
    .bind(&p.tenant_id)
    .bind(&p.invoice_id)
    .bind(&p.channel)
    .bind(&p.reference)
    .bind(p.amount_minor)
    .bind(&p.currency)
    .bind(&p.received_on)
    .bind(to_micros(p.recorded_at))
    .bind(recorded_by)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, Serialize)]
pub struct StoredPeriod {
    pub contract_id: String,
    pub invoice_id: String,
    pub plan_code: String,
    pub from_on: String,
    pub to_on: String,
    pub anchor_on: String,
    pub chain_months: i64,
    pub paid_minor: i64,
    pub currency: String,
}

pub async fn insert_period(
    conn: &mut Conn,
    tenant_id: &str,
    p: &StoredPeriod,
    now: Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO licence_periods (id, tenant_id, contract_id, invoice_id, plan_code, from_on, \
         to_on, anchor_on, chain_months, paid_minor, currency, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(new_id())
    .bind(tenant_id)
    .bind(&p.contract_id)
    .bind(&p.invoice_id)
    .bind(&p.plan_code)
    .bind(&p.from_on)
    .bind(&p.to_on)
    .bind(&p.anchor_on)
    .bind(p.chain_months)
    .bind(p.paid_minor)
    .bind(&p.currency)
    .bind(to_micros(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Ends a period early (a plan change closes the old period on the payment date).
/// Ends a period early (a plan change): it now runs to `to_on` and is worth what was paid for
/// it less the credit given for its unused days, which the acts of the period then add up to.
pub async fn close_period(
    conn: &mut Conn,
    tenant_id: &str,
    invoice_id: &str,
    to_on: &str,
    credited_minor: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE licence_periods SET to_on = $1, \
         paid_minor = CASE WHEN paid_minor > $4 THEN paid_minor - $4 ELSE 0 END \
         WHERE tenant_id = $2 AND invoice_id = $3",
    )
    .bind(to_on)
    .bind(tenant_id)
    .bind(invoice_id)
    .bind(credited_minor.max(0))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

const PERIOD_COLUMNS: &str = "contract_id, invoice_id, plan_code, from_on, to_on, anchor_on, \
                              chain_months, paid_minor, currency";

fn period_row(r: &AnyRow) -> Result<StoredPeriod> {
    Ok(StoredPeriod {
        contract_id: r.try_get("contract_id")?,
        invoice_id: r.try_get("invoice_id")?,
        plan_code: r.try_get("plan_code")?,
        from_on: r.try_get("from_on")?,
        to_on: r.try_get("to_on")?,
        anchor_on: r.try_get("anchor_on")?,
        chain_months: r.try_get("chain_months")?,
        paid_minor: r.try_get("paid_minor")?,
        currency: r.try_get("currency")?,
    })
}

/// A tenant's periods, oldest first.
pub async fn periods(conn: &mut Conn, tenant_id: &str) -> Result<Vec<StoredPeriod>> {
    let sql = format!(
        "SELECT {PERIOD_COLUMNS} FROM licence_periods WHERE tenant_id = $1 \
         ORDER BY from_on, created_at"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(period_row).collect()
}

/// The sum of the `amount_minor` column of the rows a query finds, exact and clamped to `i64`
/// (issue 15, item 16): SQLite's `SUM` fails with "integer overflow" past `i64` and
/// PostgreSQL's cast of its `numeric` sum fails alike, which would make every page that shows
/// the sum fail for good; a ledger's rows are few, so they are added here in `i128`.
async fn sum_amounts(conn: &mut Conn, sql: &'static str, binds: &[&str]) -> Result<i64> {
    let mut query = sqlx::query(sql);
    for b in binds {
        query = query.bind(*b);
    }
    let rows = query.fetch_all(&mut *conn).await?;
    let amounts = rows
        .iter()
        .map(|r| r.try_get::<i64, _>("amount_minor"))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    Ok(educenter_domain::money::saturating_sum(amounts))
}

/// The credit balance of a tenant in a currency.
pub async fn credit_balance(conn: &mut Conn, tenant_id: &str, currency: &str) -> Result<i64> {
    sum_amounts(
        conn,
        "SELECT amount_minor FROM credit_ledger WHERE tenant_id = $1 AND currency = $2",
        &[tenant_id, currency],
    )
    .await
}

#[allow(clippy::too_many_arguments)]
pub async fn add_credit(
    conn: &mut Conn,
    tenant_id: &str,
    currency: &str,
    amount_minor: i64,
    reason: &str,
    invoice_id: Option<&str>,
    payment_id: Option<&str>,
    at: Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO credit_ledger (id, tenant_id, currency, amount_minor, reason, invoice_id, \
         payment_id, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(new_id())
    .bind(tenant_id)
    .bind(currency)
    .bind(amount_minor)
    .bind(reason)
    .bind(invoice_id)
    .bind(payment_id)
    .bind(to_micros(at))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Records a tenant's licence state.
pub async fn set_state(conn: &mut Conn, tenant_id: &str, state: &str) -> Result<()> {
    sqlx::query("UPDATE tenants SET state = $1 WHERE id = $2")
        .bind(state)
        .bind(tenant_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Ends a contract in force for a billing reason (`late_payment`, `no_application`).
pub async fn lapse_contract(
    conn: &mut Conn,
    tenant_id: &str,
    contract_id: &str,
    at: Timestamp,
    reason: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE contracts SET status = 'ended', ended_at = $1, end_reason = $2 \
         WHERE tenant_id = $3 AND id = $4 AND status IN ('in_force', 'terminating')",
    )
    .bind(to_micros(at))
    .bind(reason)
    .bind(tenant_id)
    .bind(contract_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Whether the tenant ever had a contract that ended.
pub async fn had_ended_contract(conn: &mut Conn, tenant_id: &str) -> Result<bool> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM contracts WHERE tenant_id = $1 AND status = 'ended'",
    )
    .bind(tenant_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get::<i64, _>("n")? > 0)
}

/// How the tenant's latest contract ended, if it did.
pub async fn last_end_reason(conn: &mut Conn, tenant_id: &str) -> Result<Option<String>> {
    let row = sqlx::query(
        "SELECT end_reason FROM contracts WHERE tenant_id = $1 ORDER BY number DESC LIMIT 1",
    )
    .bind(tenant_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.and_then(|r| r.try_get::<Option<String>, _>("end_reason").ok().flatten()))
}

/// Claims a notice: true the first time for (tenant, kind, key), false after.
pub async fn claim_notice(
    conn: &mut Conn,
    tenant_id: &str,
    kind: &str,
    key: &str,
    at: Timestamp,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO billing_notices (tenant_id, kind, key, sent_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (tenant_id, kind, key) DO NOTHING",
    )
    .bind(tenant_id)
    .bind(kind)
    .bind(key)
    .bind(to_micros(at))
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Voids an invoice.
pub async fn void_invoice(conn: &mut Conn, tenant_id: &str, id: &str, at: Timestamp) -> Result<()> {
    sqlx::query(
        "UPDATE invoices SET status = 'void', voided_at = $1 WHERE tenant_id = $2 AND id = $3",
    )
    .bind(to_micros(at))
    .bind(tenant_id)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Records the next day the daily run has something to do for a tenant (`None`: nothing until
/// something else changes).
pub async fn set_billing_due(conn: &mut Conn, tenant_id: &str, on: Option<&str>) -> Result<()> {
    // A tenant with nothing ahead is parked far away rather than NULL, which means "now".
    sqlx::query("UPDATE tenants SET billing_due_on = $1 WHERE id = $2")
        .bind(on.unwrap_or("9999-12-31"))
        .bind(tenant_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Brings a tenant into the next daily run (something changed outside billing).
pub async fn billing_due_now(conn: &mut Conn, tenant_id: &str) -> Result<()> {
    sqlx::query("UPDATE tenants SET billing_due_on = NULL WHERE id = $1")
        .bind(tenant_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// An invoice with its school's address, for the operator's lists.
#[derive(Debug, Clone, Serialize)]
pub struct InvoiceRow {
    pub invoice: Invoice,
    pub slug: String,
}

/// The newest invoices of every school, optionally of one status.
pub async fn recent_invoices(db: &Db, status: Option<&str>, limit: i64) -> Result<Vec<InvoiceRow>> {
    let sql = format!(
        "SELECT {}, t.slug AS slug FROM invoices i JOIN tenants t ON t.id = i.tenant_id \
         WHERE ($1 = '' OR i.status = $1) ORDER BY i.issued_at DESC, i.number DESC LIMIT $2",
        INVOICE_COLUMNS
            .split(", ")
            .map(|c| format!("i.{}", c.trim()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(status.unwrap_or(""))
        .bind(limit)
        .fetch_all(db.pool())
        .await?;
    rows.iter()
        .map(|r| {
            Ok(InvoiceRow {
                invoice: invoice_row(r)?,
                slug: r.try_get("slug")?,
            })
        })
        .collect()
}

/// An invoice by id, for a payment provider's callback (the provider names the invoice).
pub async fn invoice_by_id(conn: &mut Conn, id: &str) -> Result<Option<Invoice>> {
    let sql = format!("SELECT {INVOICE_COLUMNS} FROM invoices WHERE id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(invoice_row).transpose()
}

/// A price change as stored.
#[derive(Debug, Clone, Serialize)]
pub struct PriceChange {
    pub id: String,
    pub plan_code: String,
    pub decided_on: String,
    pub effective_from: String,
}

pub async fn create_price_change(
    conn: &mut Conn,
    plan_code: &str,
    decided_on: &str,
    effective_from: &str,
    now: Timestamp,
) -> Result<String> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO price_changes (id, plan_code, decided_on, effective_from, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&id)
    .bind(plan_code)
    .bind(decided_on)
    .bind(effective_from)
    .bind(to_micros(now))
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// The tenants a change of a plan's prices concerns: a contract in force with a period of that
/// plan, or an open invoice for it.
pub async fn tenants_on_plan(conn: &mut Conn, plan_code: &str) -> Result<Vec<String>> {
    let rows = sqlx::query(
        "SELECT c.tenant_id FROM contracts c WHERE c.status IN ('in_force', 'terminating') \
         AND (EXISTS (SELECT 1 FROM licence_periods p WHERE p.contract_id = c.id \
         AND p.plan_code = $1) OR EXISTS (SELECT 1 FROM invoices i WHERE i.tenant_id = c.tenant_id \
         AND i.plan_code = $1 AND i.status IN ('issued', 'overdue'))) ORDER BY c.tenant_id",
    )
    .bind(plan_code)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|r| Ok(r.try_get("tenant_id")?)).collect()
}

pub async fn record_price_notice(
    conn: &mut Conn,
    change_id: &str,
    tenant_id: &str,
    mail_id: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO price_change_notices (price_change_id, tenant_id, mail_id) VALUES ($1, $2, $3) \
         ON CONFLICT (price_change_id, tenant_id) DO NOTHING",
    )
    .bind(change_id)
    .bind(tenant_id)
    .bind(mail_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

fn change_row(r: &AnyRow) -> Result<PriceChange> {
    Ok(PriceChange {
        id: r.try_get("id")?,
        plan_code: r.try_get("plan_code")?,
        decided_on: r.try_get("decided_on")?,
        effective_from: r.try_get("effective_from")?,
    })
}

/// Changes in effect by `today` whose past-due invoices were not reissued yet.
pub async fn changes_to_apply(conn: &mut Conn, today: &str) -> Result<Vec<PriceChange>> {
    let rows = sqlx::query(
        "SELECT id, plan_code, decided_on, effective_from FROM price_changes \
         WHERE applied_at IS NULL AND effective_from <= $1 ORDER BY effective_from, id",
    )
    .bind(today)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(change_row).collect()
}

pub async fn mark_change_applied(conn: &mut Conn, id: &str, at: Timestamp) -> Result<()> {
    sqlx::query("UPDATE price_changes SET applied_at = $1 WHERE id = $2")
        .bind(to_micros(at))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Changes decided on or before `cutoff` (decided_on + 5 <= today) not yet checked for unsent notices,
/// with how many of their notices are not sent.
pub async fn changes_to_check(conn: &mut Conn, cutoff: &str) -> Result<Vec<(PriceChange, i64)>> {
    let rows = sqlx::query(
        "SELECT c.id, c.plan_code, c.decided_on, c.effective_from, \
         (SELECT COUNT(*) FROM price_change_notices n JOIN mail_outbox m ON m.id = n.mail_id \
          WHERE n.price_change_id = c.id AND m.state <> 'sent') AS unsent \
         FROM price_changes c WHERE c.alerted_at IS NULL AND c.decided_on <= $1 ORDER BY c.id",
    )
    .bind(cutoff)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| Ok((change_row(r)?, r.try_get::<i64, _>("unsent")?)))
        .collect()
}

pub async fn mark_change_checked(conn: &mut Conn, id: &str, at: Timestamp) -> Result<()> {
    sqlx::query("UPDATE price_changes SET alerted_at = $1 WHERE id = $2")
        .bind(to_micros(at))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Unpaid invoices of a plan already past due before `effective_from`.
pub async fn past_due_of_plan(
    conn: &mut Conn,
    plan_code: &str,
    effective_from: &str,
) -> Result<Vec<Invoice>> {
    let sql = format!(
        "SELECT {INVOICE_COLUMNS} FROM invoices WHERE plan_code = $1 \
         AND status IN ('issued', 'overdue') AND due_on < $2 ORDER BY number"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(plan_code)
        .bind(effective_from)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(invoice_row).collect()
}

/// Upcoming price versions of a plan (effective after `today`).
pub async fn upcoming_prices(conn: &mut Conn, plan_code: &str, today: &str) -> Result<Vec<Price>> {
    let rows = sqlx::query(
        "SELECT plan_code, currency, months, amount_minor, decided_on, effective_from \
         FROM plan_prices WHERE plan_code = $1 AND effective_from > $2 \
         ORDER BY effective_from, currency, months",
    )
    .bind(plan_code)
    .bind(today)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(price_row).collect()
}

/// Operator staff with one of these roles (for alerts): their e-mails.
pub async fn operator_emails(conn: &mut Conn, roles: &[&str]) -> Result<Vec<String>> {
    let rows = sqlx::query(
        "SELECT email, role FROM users WHERE kind = 'operator' AND removed_at IS NULL ORDER BY email",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::new();
    for r in &rows {
        let role: String = r.try_get("role")?;
        if roles.contains(&role.as_str()) {
            out.push(r.try_get("email")?);
        }
    }
    Ok(out)
}

/// A promotion.
#[derive(Debug, Clone, Serialize)]
pub struct Promotion {
    pub code: String,
    pub kind: String,
    pub value: i64,
    pub currency: Option<String>,
    /// The plans it applies to; empty: every plan.
    pub plans: Vec<String>,
    pub valid_from: String,
    pub valid_to: String,
}

/// Creates or replaces a promotion (changed silently, R-5.8b).
pub async fn put_promotion(conn: &mut Conn, p: &Promotion, now: Timestamp) -> Result<()> {
    let plans = serde_json::to_string(&p.plans).unwrap_or_else(|_| "[]".into());
    sqlx::query(
        "INSERT INTO promotions (code, kind, value, currency, plans, valid_from, valid_to, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (code) DO UPDATE SET \
         kind = excluded.kind, value = excluded.value, currency = excluded.currency, \
         plans = excluded.plans, valid_from = excluded.valid_from, valid_to = excluded.valid_to, \
         updated_at = excluded.updated_at",
    )
    .bind(&p.code)
    .bind(&p.kind)
    .bind(p.value)
    .bind(&p.currency)
    .bind(plans)
    .bind(&p.valid_from)
    .bind(&p.valid_to)
    .bind(to_micros(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

fn promotion_row(r: &AnyRow) -> Result<Promotion> {
    let plans: String = r.try_get("plans")?;
    Ok(Promotion {
        code: r.try_get("code")?,
        kind: r.try_get("kind")?,
        value: r.try_get("value")?,
        currency: r.try_get("currency")?,
        plans: serde_json::from_str(&plans).unwrap_or_default(),
        valid_from: r.try_get("valid_from")?,
        valid_to: r.try_get("valid_to")?,
    })
}

pub async fn promotion(conn: &mut Conn, code: &str) -> Result<Option<Promotion>> {
    let row = sqlx::query(
        "SELECT code, kind, value, currency, plans, valid_from, valid_to FROM promotions WHERE code = $1",
    )
    .bind(code)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(promotion_row).transpose()
}

pub async fn promotions(db: &Db) -> Result<Vec<Promotion>> {
    let rows = sqlx::query(
        "SELECT code, kind, value, currency, plans, valid_from, valid_to FROM promotions ORDER BY code",
    )
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(promotion_row).collect()
}

const PROMOTION_PAGES: Keyset = Keyset {
    name: "promotions",
    columns: &[("code", Kind::Text)],
    desc: false,
};

/// A page of the promotions by code.
pub async fn promotions_page(conn: &mut Conn, req: &PageRequest) -> Result<Page<Promotion>> {
    PROMOTION_PAGES
        .fetch(
            conn,
            req,
            "SELECT code, kind, value, currency, plans, valid_from, valid_to FROM promotions \
             WHERE 1 = 1",
            Vec::new(),
            promotion_row,
            |p| vec![(&p.code).into()],
        )
        .await
}

/// A refund to record.
#[derive(Debug, Clone, Serialize)]
pub struct Refund {
    pub id: String,
    pub tenant_id: String,
    pub invoice_id: String,
    pub amount_minor: i64,
    pub currency: String,
    pub reason: String,
    pub email_reference: String,
    pub created_at: Timestamp,
}

pub async fn insert_refund(conn: &mut Conn, r: &Refund, by: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO refunds (id, tenant_id, invoice_id, amount_minor, currency, reason, \
         email_reference, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&r.id)
    .bind(&r.tenant_id)
    .bind(&r.invoice_id)
    .bind(r.amount_minor)
    .bind(&r.currency)
    .bind(&r.reason)
    .bind(&r.email_reference)
    .bind(to_micros(r.created_at))
    .bind(by)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// How much was refunded on an invoice already.
pub async fn refunded(conn: &mut Conn, invoice_id: &str) -> Result<i64> {
    sum_amounts(
        conn,
        "SELECT amount_minor FROM refunds WHERE invoice_id = $1",
        &[invoice_id],
    )
    .await
}

/// The paid period of a tenant's invoice.
pub async fn period_of_invoice(
    conn: &mut Conn,
    tenant_id: &str,
    invoice_id: &str,
) -> Result<Option<StoredPeriod>> {
    let sql = format!(
        "SELECT {PERIOD_COLUMNS} FROM licence_periods WHERE tenant_id = $1 AND invoice_id = $2"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id)
        .bind(invoice_id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(period_row).transpose()
}

/// A contract's status and end (status, ended_at).
pub async fn contract_end(
    conn: &mut Conn,
    tenant_id: &str,
    contract_id: &str,
) -> Result<Option<(String, Option<Timestamp>)>> {
    let row =
        sqlx::query("SELECT status, ended_at FROM contracts WHERE tenant_id = $1 AND id = $2")
            .bind(tenant_id)
            .bind(contract_id)
            .fetch_optional(&mut *conn)
            .await?;
    row.map(|r| {
        Ok((
            r.try_get("status")?,
            r.try_get::<Option<i64>, _>("ended_at")?
                .map(from_micros)
                .transpose()?,
        ))
    })
    .transpose()
}

/// What a tenant uses now: (live staff, learners).
pub async fn usage_counts(conn: &mut Conn, tenant_id: &str) -> Result<(i64, i64)> {
    let row = sqlx::query(
        "SELECT \
         (SELECT COUNT(*) FROM users WHERE tenant_id = $1 AND kind = 'staff' AND removed_at IS NULL) AS staff, \
         (SELECT COUNT(*) FROM users WHERE tenant_id = $1 AND kind = 'learner' AND removed_at IS NULL) AS learners",
    )
    .bind(tenant_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok((row.try_get("staff")?, row.try_get("learners")?))
}

/// Takes the tenant's row lock for the rest of the transaction on PostgreSQL, so that billing
/// changes of one tenant (applications, payments, refunds) happen one after another. SQLite's
/// write transactions (`BEGIN IMMEDIATE`) are already one at a time.
pub async fn lock_tenant(conn: &mut Conn, tenant_id: &str) -> Result<()> {
    if conn.backend_name() == "PostgreSQL" {
        // NO KEY UPDATE: lockers wait for each other, but not for inserts whose foreign keys
        // point at the tenant (those take KEY SHARE).
        sqlx::query("SELECT id FROM tenants WHERE id = $1 FOR NO KEY UPDATE")
            .bind(tenant_id)
            .fetch_optional(&mut *conn)
            .await?;
    }
    Ok(())
}

pub async fn create_quote(
    conn: &mut Conn,
    tenant_id: &str,
    invoice_id: &str,
    email_reference: &str,
    now: Timestamp,
) -> Result<String> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO quotes (id, tenant_id, invoice_id, email_reference, status, created_at) \
         VALUES ($1, $2, $3, $4, 'issued', $5)",
    )
    .bind(&id)
    .bind(tenant_id)
    .bind(invoice_id)
    .bind(email_reference)
    .bind(to_micros(now))
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// Marks the quote of a paid invoice accepted by payment; returns whether there was one.
pub async fn accept_quote(conn: &mut Conn, tenant_id: &str, invoice_id: &str) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE quotes SET status = 'accepted_by_payment' WHERE tenant_id = $1 AND invoice_id = $2 \
         AND status = 'issued'",
    )
    .bind(tenant_id)
    .bind(invoice_id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The status of the quote of an invoice.
pub async fn quote_status(conn: &mut Conn, invoice_id: &str) -> Result<Option<String>> {
    let row = sqlx::query("SELECT status FROM quotes WHERE invoice_id = $1")
        .bind(invoice_id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.map(|r| r.try_get("status")).transpose()?)
}

pub async fn add_storage_grant(
    conn: &mut Conn,
    tenant_id: &str,
    invoice_id: &str,
    bytes: i64,
    from_on: &str,
    to_on: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO storage_grants (id, tenant_id, invoice_id, bytes, from_on, to_on) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(new_id())
    .bind(tenant_id)
    .bind(invoice_id)
    .bind(bytes)
    .bind(from_on)
    .bind(to_on)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Extra storage in force on a day.
pub async fn storage_granted(conn: &mut Conn, tenant_id: &str, on: &str) -> Result<i64> {
    let row = sqlx::query(
        "SELECT CAST(COALESCE(SUM(bytes), 0) AS BIGINT) AS bytes FROM storage_grants \
         WHERE tenant_id = $1 AND from_on <= $2 AND to_on >= $2",
    )
    .bind(tenant_id)
    .bind(on)
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get("bytes")?)
}

/// The tenant's latest contract: (id, status, end_reason).
pub async fn latest_contract(
    conn: &mut Conn,
    tenant_id: &str,
) -> Result<Option<(String, String, Option<String>)>> {
    let row = sqlx::query(
        "SELECT id, status, end_reason FROM contracts WHERE tenant_id = $1 ORDER BY number DESC LIMIT 1",
    )
    .bind(tenant_id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok((
            r.try_get("id")?,
            r.try_get("status")?,
            r.try_get("end_reason")?,
        ))
    })
    .transpose()
}

/// Puts a contract that ended for late payment back in force (the money had arrived in time).
pub async fn reopen_contract(conn: &mut Conn, tenant_id: &str, contract_id: &str) -> Result<()> {
    sqlx::query(
        "UPDATE contracts SET status = 'in_force', ended_at = NULL, end_reason = NULL \
         WHERE tenant_id = $1 AND id = $2 AND status = 'ended' AND end_reason = 'late_payment'",
    )
    .bind(tenant_id)
    .bind(contract_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Un-voids an invoice.
pub async fn unvoid_invoice(conn: &mut Conn, tenant_id: &str, id: &str) -> Result<()> {
    sqlx::query(
        "UPDATE invoices SET status = 'issued', voided_at = NULL WHERE tenant_id = $1 AND id = $2 \
         AND status = 'void'",
    )
    .bind(tenant_id)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The tenant's open invoices (issued or overdue), newest first.
pub async fn open_invoices(conn: &mut Conn, tenant_id: &str) -> Result<Vec<Invoice>> {
    let sql = format!(
        "SELECT {INVOICE_COLUMNS} FROM invoices WHERE tenant_id = $1 \
         AND status IN ('issued', 'overdue') ORDER BY issued_at DESC"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(invoice_row).collect()
}
