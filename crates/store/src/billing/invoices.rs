//! Invoices and their lines (gapless numbers, paid amounts, voids), and quotes.

use super::*;

/// The next invoice number of a year, `2027-000001`, gapless: the counter moves inside the
/// caller's transaction, so a rolled-back issue gives its number back.
pub async fn next_invoice_number(conn: &mut Conn, year: i16) -> Result<String> {
    let mut numbers = reserve_invoice_numbers(conn, year, 1).await?;
    numbers
        .pop()
        .ok_or_else(|| crate::StoreError::Corrupt("no invoice number".into()))
}

/// The next `n` invoice numbers of `year`, in order, in one statement: the year's counter
/// created or moved on by `n` and read back (the row stays locked until the caller's
/// transaction ends, so numbers have no gaps as long as the caller uses every one of them).
pub async fn reserve_invoice_numbers(conn: &mut Conn, year: i16, n: usize) -> Result<Vec<String>> {
    let Ok(count) = i64::try_from(n) else {
        return Err(crate::StoreError::Corrupt(format!("{n} invoice numbers")));
    };
    if count == 0 {
        return Ok(Vec::new());
    }
    let row = sqlx::query(
        "INSERT INTO invoice_numbers (year, last_seq) VALUES ($1, $2) \
         ON CONFLICT (year) DO UPDATE SET last_seq = invoice_numbers.last_seq + $2 \
         RETURNING last_seq",
    )
    .bind(i64::from(year))
    .bind(count)
    .fetch_one(&mut *conn)
    .await?;
    let last: i64 = Cols::new(&row, "").get("last_seq")?;
    Ok((last - count + 1..=last)
        .map(|seq| format!("{year}-{seq:06}"))
        .collect())
}

#[derive(Debug, Clone, Serialize)]
pub struct Invoice {
    pub id: InvoiceId,
    pub tenant_id: TenantId,
    pub number: String,
    pub purpose: InvoicePurpose,
    pub plan_code: String,
    pub months: i64,
    pub currency: Currency,
    pub total_minor: i64,
    pub paid_minor: i64,
    pub excess_credit_minor: i64,
    pub extra_storage_bytes: i64,
    pub status: InvoiceStatus,
    pub issued_at: Timestamp,
    pub issued_on: Date,
    pub due_on: Date,
    /// The due date was computed over a year with no loaded calendar.
    pub due_on_provisional: bool,
    pub paid_on: Option<Date>,
    pub supplier: serde_json::Value,
    pub customer: serde_json::Value,
}

impl Invoice {
    /// The invoice's total.
    pub fn total(&self) -> Money {
        Money::new(self.total_minor, self.currency)
    }

    /// What has been paid of it.
    pub fn paid(&self) -> Money {
        Money::new(self.paid_minor, self.currency)
    }
}

pub(crate) const INVOICE_COLUMNS: &str = "id, tenant_id, number, purpose, plan_code, months, currency, \
                               total_minor, paid_minor, excess_credit_minor, extra_storage_bytes, \
                               status, issued_at, \
                               issued_on, due_on, due_on_provisional, paid_on, supplier, customer";

pub(crate) fn invoice_row(r: &AnyRow) -> Result<Invoice> {
    invoice_ref(r.into())
}

/// [`invoice_row`] of a row read either way (see `crate::direct`).
pub(crate) fn invoice_ref(r: crate::RowRef<'_>) -> Result<Invoice> {
    invoice_cols(Cols::new(r, ""))
}

pub(crate) fn invoice_cols(c: Cols<'_>) -> Result<Invoice> {
    let json = |name: &str| -> Result<serde_json::Value> {
        let text: String = c.get(name)?;
        Ok(serde_json::from_str(&text).unwrap_or(serde_json::Value::Null))
    };
    Ok(Invoice {
        id: c.get("id")?,
        tenant_id: c.get("tenant_id")?,
        number: c.get("number")?,
        purpose: c.word("purpose")?,
        plan_code: c.get::<Option<String>>("plan_code")?.unwrap_or_default(),
        months: c.get("months")?,
        currency: c.word("currency")?,
        total_minor: c.get("total_minor")?,
        paid_minor: c.get("paid_minor")?,
        excess_credit_minor: c.get("excess_credit_minor")?,
        extra_storage_bytes: c.get("extra_storage_bytes")?,
        status: c.word("status")?,
        issued_at: c.at("issued_at")?,
        issued_on: c.date("issued_on")?,
        due_on: c.date("due_on")?,
        due_on_provisional: c.get::<i64>("due_on_provisional")? != 0,
        paid_on: c.date_opt("paid_on")?,
        supplier: json("supplier")?,
        customer: json("customer")?,
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct Line {
    pub kind: LineKind,
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
    create_invoices(conn, &[(inv, lines)]).await
}

/// A statement of sqlx's `Any` driver being bound.
type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>;

/// The columns an invoice line is written with, in [`bind_line`]'s order.
const LINE_COLUMNS: &str = "id, invoice_id, tenant_id, position, kind, description, amount_minor, \
     service_code, description_kk, description_en";

/// How many columns a list of them (`"a, b, c"`) names.
fn count(columns: &str) -> usize {
    columns.split(',').count()
}

fn bind_invoice<'q>(q: AnyQuery<'q>, inv: &Invoice) -> AnyQuery<'q> {
    q.bind(inv.id.to_string())
        .bind(inv.tenant_id.as_str())
        .bind(inv.number.clone())
        .bind(inv.purpose.as_str())
        .bind((!inv.plan_code.is_empty()).then(|| inv.plan_code.clone()))
        .bind(inv.months)
        .bind(inv.currency.as_str())
        .bind(inv.total_minor)
        .bind(inv.paid_minor)
        .bind(inv.excess_credit_minor)
        .bind(inv.extra_storage_bytes)
        .bind(inv.status.as_str())
        .bind(to_micros(inv.issued_at))
        .bind(inv.issued_on.to_string())
        .bind(inv.due_on.to_string())
        .bind(i64::from(inv.due_on_provisional))
        .bind(inv.paid_on.map(|d| d.to_string()))
        .bind(inv.supplier.to_string())
        .bind(inv.customer.to_string())
}

fn bind_line<'q>(q: AnyQuery<'q>, inv: &Invoice, position: usize, line: &Line) -> AnyQuery<'q> {
    q.bind(new_id())
        .bind(inv.id.to_string())
        .bind(inv.tenant_id.as_str())
        .bind(i64::try_from(position).unwrap_or(i64::MAX))
        .bind(line.kind.as_str())
        .bind(line.description.clone())
        .bind(line.amount_minor)
        .bind(line.service_code.clone())
        .bind(line.description_kk.clone())
        .bind(line.description_en.clone())
}

/// [`create_invoice`] for many invoices with their lines, in statements of many rows each.
pub async fn create_invoices(conn: &mut Conn, invoices: &[(&Invoice, &[Line])]) -> Result<()> {
    let batch = crate::Batch::of(conn);
    // An invoice is written with the columns it is read with, in [`bind_invoice`]'s order.
    let cols = count(INVOICE_COLUMNS);
    for part in invoices.chunks(batch.rows(cols)) {
        let sql = format!(
            "INSERT INTO invoices ({INVOICE_COLUMNS}) VALUES {}",
            batch.tuples(part.len(), cols)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (inv, _) in part {
            q = bind_invoice(q, inv);
        }
        q.execute(&mut *conn).await?;
    }
    let lines: Vec<(&Invoice, usize, &Line)> = invoices
        .iter()
        .flat_map(|(inv, lines)| lines.iter().enumerate().map(move |(i, l)| (*inv, i, l)))
        .collect();
    let cols = count(LINE_COLUMNS);
    for part in lines.chunks(batch.rows(cols)) {
        let sql = format!(
            "INSERT INTO invoice_lines ({LINE_COLUMNS}) VALUES {}",
            batch.tuples(part.len(), cols)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (inv, position, line) in part {
            q = bind_line(q, inv, *position, line);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// An invoice of a tenant.
pub async fn invoice(
    conn: &mut Conn,
    tenant_id: &TenantId,
    id: &InvoiceId,
) -> Result<Option<Invoice>> {
    let sql = format!("SELECT {INVOICE_COLUMNS} FROM invoices WHERE tenant_id = $1 AND id = $2");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id.as_str())
        .bind(id.as_str())
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
pub async fn invoices(conn: &mut Conn, tenant_id: &TenantId) -> Result<Vec<Invoice>> {
    let sql = format!(
        "SELECT {INVOICE_COLUMNS} FROM invoices WHERE tenant_id = $1 ORDER BY issued_at DESC, \
         number DESC"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id.as_str())
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(invoice_row).collect()
}

pub(crate) const INVOICE_PAGES: Keyset = Keyset {
    name: "invoices",
    columns: &[("issued_at", Kind::Int), ("number", Kind::Text)],
    desc: true,
};

/// A page of a tenant's invoices, newest first.
pub async fn invoices_page(
    conn: &mut Conn,
    tenant_id: &TenantId,
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
pub async fn open_licence_invoice(
    conn: &mut Conn,
    tenant_id: &TenantId,
) -> Result<Option<Invoice>> {
    let sql = format!(
        "SELECT {INVOICE_COLUMNS} FROM invoices WHERE tenant_id = $1 \
         AND status IN ('issued', 'overdue') AND purpose <> 'service' \
         ORDER BY issued_at DESC LIMIT 1"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(invoice_row).transpose()
}

pub async fn lines(
    conn: &mut Conn,
    tenant_id: &TenantId,
    invoice_id: &InvoiceId,
) -> Result<Vec<Line>> {
    let rows = sqlx::query(
        "SELECT kind, description, amount_minor, service_code, description_kk, description_en \
         FROM invoice_lines WHERE tenant_id = $1 AND invoice_id = $2 ORDER BY position",
    )
    .bind(tenant_id.as_str())
    .bind(invoice_id.as_str())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let c = Cols::new(r, "");
            Ok(Line {
                kind: c.word("kind")?,
                description: c.get("description")?,
                amount_minor: c.get("amount_minor")?,
                service_code: c.get("service_code")?,
                description_kk: c.get("description_kk")?,
                description_en: c.get("description_en")?,
            })
        })
        .collect()
}

/// Adds a received amount to an invoice; marks it paid on `paid_on` when given.
pub async fn add_paid(
    conn: &mut Conn,
    tenant_id: &TenantId,
    invoice_id: &InvoiceId,
    amount_minor: i64,
    paid_on: Option<Date>,
) -> Result<()> {
    sqlx::query(
        "UPDATE invoices SET paid_minor = paid_minor + $1 WHERE tenant_id = $2 AND id = $3",
    )
    .bind(amount_minor)
    .bind(tenant_id.as_str())
    .bind(invoice_id.as_str())
    .execute(&mut *conn)
    .await?;
    if let Some(on) = paid_on {
        sqlx::query(
            "UPDATE invoices SET status = 'paid', paid_on = $1 WHERE tenant_id = $2 AND id = $3",
        )
        .bind(on.to_string())
        .bind(tenant_id.as_str())
        .bind(invoice_id.as_str())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Issued invoices whose due date passed before `today` become `overdue`; returns how many.
pub async fn mark_overdue(conn: &mut Conn, today: Date) -> Result<u64> {
    let done = sqlx::query(
        "UPDATE invoices SET status = 'overdue' WHERE status = 'issued' AND due_on < $1",
    )
    .bind(today.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

/// Voids an invoice.
pub async fn void_invoice(
    conn: &mut Conn,
    tenant_id: &TenantId,
    id: &InvoiceId,
    at: Timestamp,
) -> Result<()> {
    sqlx::query(
        "UPDATE invoices SET status = 'void', voided_at = $1 WHERE tenant_id = $2 AND id = $3",
    )
    .bind(to_micros(at))
    .bind(tenant_id.as_str())
    .bind(id.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// An invoice with its school, for the operator's lists: its address, its legal name, the name
/// its students see (when set) and its BIN/IIN.
#[derive(Debug, Clone, Serialize)]
pub struct InvoiceRow {
    pub invoice: Invoice,
    pub slug: String,
    pub legal_name: String,
    pub display_name: Option<String>,
    pub bin_iin: String,
}

/// The newest invoices of every school, optionally of one status.
pub async fn recent_invoices(
    db: &Db,
    status: Option<InvoiceStatus>,
    limit: i64,
) -> Result<Vec<InvoiceRow>> {
    let sql = format!(
        "SELECT {}, t.slug AS slug, t.name AS legal_name, t.display_name AS display_name, \
         t.bin_iin AS bin_iin FROM invoices i JOIN tenants t ON t.id = i.tenant_id \
         WHERE ($1 = '' OR i.status = $1) ORDER BY i.issued_at DESC, i.number DESC LIMIT $2",
        INVOICE_COLUMNS
            .split(", ")
            .map(|c| format!("i.{}", c.trim()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(status.map_or("", InvoiceStatus::as_str))
        .bind(limit)
        .fetch_all(db.pool())
        .await?;
    rows.iter()
        .map(|r| {
            let c = Cols::new(r, "");
            Ok(InvoiceRow {
                invoice: invoice_row(r)?,
                slug: c.get("slug")?,
                legal_name: c.get("legal_name")?,
                display_name: c.get("display_name")?,
                bin_iin: c.get("bin_iin")?,
            })
        })
        .collect()
}

/// An invoice by id, for a payment provider's callback (the provider names the invoice).
pub async fn invoice_by_id(conn: &mut Conn, id: &InvoiceId) -> Result<Option<Invoice>> {
    let sql = format!("SELECT {INVOICE_COLUMNS} FROM invoices WHERE id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(invoice_row).transpose()
}

pub async fn create_quote(
    conn: &mut Conn,
    tenant_id: &TenantId,
    invoice_id: &InvoiceId,
    email_reference: &str,
    now: Timestamp,
) -> Result<String> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO quotes (id, tenant_id, invoice_id, email_reference, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(tenant_id.as_str())
    .bind(invoice_id.as_str())
    .bind(email_reference)
    .bind(educenter_domain::billing::QuoteStatus::Issued.as_str())
    .bind(to_micros(now))
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// Marks the quote of a paid invoice accepted by payment; returns whether there was one.
pub async fn accept_quote(
    conn: &mut Conn,
    tenant_id: &TenantId,
    invoice_id: &InvoiceId,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE quotes SET status = $3 WHERE tenant_id = $1 AND invoice_id = $2 AND status = $4",
    )
    .bind(tenant_id.as_str())
    .bind(invoice_id.as_str())
    .bind(educenter_domain::billing::QuoteStatus::AcceptedByPayment.as_str())
    .bind(educenter_domain::billing::QuoteStatus::Issued.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The status of the quote of an invoice.
pub async fn quote_status(
    conn: &mut Conn,
    invoice_id: &InvoiceId,
) -> Result<Option<educenter_domain::billing::QuoteStatus>> {
    let row = sqlx::query("SELECT status FROM quotes WHERE invoice_id = $1")
        .bind(invoice_id.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref()
        .map(|r| Cols::new(r, "").word("status"))
        .transpose()
}

/// Un-voids an invoice.
pub async fn unvoid_invoice(conn: &mut Conn, tenant_id: &TenantId, id: &InvoiceId) -> Result<()> {
    sqlx::query(
        "UPDATE invoices SET status = 'issued', voided_at = NULL WHERE tenant_id = $1 AND id = $2 \
         AND status = 'void'",
    )
    .bind(tenant_id.as_str())
    .bind(id.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The tenant's open invoices (issued or overdue), newest first.
pub async fn open_invoices(conn: &mut Conn, tenant_id: &TenantId) -> Result<Vec<Invoice>> {
    let sql = format!(
        "SELECT {INVOICE_COLUMNS} FROM invoices WHERE tenant_id = $1 \
         AND status IN ('issued', 'overdue') ORDER BY issued_at DESC"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id.as_str())
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(invoice_row).collect()
}
