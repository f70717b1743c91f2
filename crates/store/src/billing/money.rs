//! Money received and given back: payments, the credit balance, refunds, and storage granted by a paid service; ledgers are summed in Rust, exactly.

use super::*;

#[derive(Debug, Clone, Serialize)]
pub struct Payment {
    pub id: String,
    pub tenant_id: TenantId,
    pub invoice_id: InvoiceId,
    pub channel: PaymentChannel,
    pub reference: String,
    /// What was paid (`amount_minor` and `currency` in JSON, as in the table).
    #[serde(flatten)]
    pub amount: Money,
    pub received_on: Date,
    pub recorded_at: Timestamp,
}

pub(crate) fn payment_row(r: &AnyRow) -> Result<Payment> {
    let c = Cols::new(r, "");
    Ok(Payment {
        id: c.get("id")?,
        tenant_id: c.get("tenant_id")?,
        invoice_id: c.get("invoice_id")?,
        channel: c.word("channel")?,
        reference: c.get("reference")?,
        amount: c.money()?,
        received_on: c.date("received_on")?,
        recorded_at: c.at("recorded_at")?,
    })
}

pub(crate) const PAYMENT_COLUMNS: &str = "id, tenant_id, invoice_id, channel, reference, amount_minor, \
                               currency, received_on, recorded_at";

/// A school's payments, newest first.
pub async fn payments_of(conn: &mut Conn, tenant_id: &TenantId) -> Result<Vec<Payment>> {
    let sql = format!(
        "SELECT {PAYMENT_COLUMNS} FROM payments WHERE tenant_id = $1 \
         ORDER BY received_on DESC, recorded_at DESC"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id.as_str())
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(payment_row).collect()
}

pub async fn payment_by_reference(
    conn: &mut Conn,
    channel: PaymentChannel,
    reference: &str,
) -> Result<Option<Payment>> {
    let sql =
        format!("SELECT {PAYMENT_COLUMNS} FROM payments WHERE channel = $1 AND reference = $2");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(channel.as_str())
        .bind(reference)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(payment_row).transpose()
}

pub async fn insert_payment(
    conn: &mut Conn,
    p: &Payment,
    recorded_by: Option<&UserId>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO payments (id, tenant_id, invoice_id, channel, reference, amount_minor, \
         currency, received_on, recorded_at, recorded_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&p.id)
    .bind(p.tenant_id.as_str())
    .bind(p.invoice_id.as_str())
    .bind(p.channel.as_str())
    .bind(&p.reference)
    .bind(p.amount.minor)
    .bind(p.amount.currency.as_str())
    .bind(p.received_on.to_string())
    .bind(to_micros(p.recorded_at))
    .bind(recorded_by.map(UserId::as_str))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The sum of the `amount_minor` column of the rows a query finds, exact and clamped to `i64`
/// (issue 15, item 16): SQLite's `SUM` fails with "integer overflow" past `i64` and
/// PostgreSQL's cast of its `numeric` sum fails alike, which would make every page that shows
/// the sum fail for good; a ledger's rows are few, so they are added here in `i128`.
pub(crate) async fn sum_amounts(conn: &mut Conn, sql: &'static str, binds: &[&str]) -> Result<i64> {
    let mut query = sqlx::query(sql);
    for b in binds {
        query = query.bind(*b);
    }
    let rows = query.fetch_all(&mut *conn).await?;
    let amounts = rows
        .iter()
        .map(|r| Cols::new(r, "").get::<i64>("amount_minor"))
        .collect::<Result<Vec<_>>>()?;
    Ok(educenter_domain::money::saturating_sum(amounts))
}

/// The credit balance of a tenant in a currency.
pub async fn credit_balance(
    conn: &mut Conn,
    tenant_id: &TenantId,
    currency: Currency,
) -> Result<i64> {
    sum_amounts(
        conn,
        "SELECT amount_minor FROM credit_ledger WHERE tenant_id = $1 AND currency = $2",
        &[tenant_id, currency.as_str()],
    )
    .await
}

/// Adds an entry to the credit ledger: money put on the balance (positive) or taken from it.
pub async fn add_credit(
    conn: &mut Conn,
    tenant_id: &TenantId,
    amount: Money,
    reason: &str,
    invoice_id: Option<&InvoiceId>,
    payment_id: Option<&str>,
    at: Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO credit_ledger (id, tenant_id, currency, amount_minor, reason, invoice_id, \
         payment_id, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(new_id())
    .bind(tenant_id.as_str())
    .bind(amount.currency.as_str())
    .bind(amount.minor)
    .bind(reason)
    .bind(invoice_id.map(|i| i.as_str()))
    .bind(payment_id)
    .bind(to_micros(at))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A refund to record.
#[derive(Debug, Clone, Serialize)]
pub struct Refund {
    pub id: String,
    pub tenant_id: TenantId,
    pub invoice_id: InvoiceId,
    /// What is given back (`amount_minor` and `currency` in JSON, as in the table).
    #[serde(flatten)]
    pub amount: Money,
    pub reason: String,
    pub email_reference: String,
    pub created_at: Timestamp,
}

pub async fn insert_refund(conn: &mut Conn, r: &Refund, by: &UserId) -> Result<()> {
    sqlx::query(
        "INSERT INTO refunds (id, tenant_id, invoice_id, amount_minor, currency, reason, \
         email_reference, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&r.id)
    .bind(r.tenant_id.as_str())
    .bind(r.invoice_id.as_str())
    .bind(r.amount.minor)
    .bind(r.amount.currency.as_str())
    .bind(&r.reason)
    .bind(&r.email_reference)
    .bind(to_micros(r.created_at))
    .bind(by.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// How much was refunded on an invoice already.
pub async fn refunded(conn: &mut Conn, invoice_id: &InvoiceId) -> Result<i64> {
    sum_amounts(
        conn,
        "SELECT amount_minor FROM refunds WHERE invoice_id = $1",
        &[invoice_id],
    )
    .await
}

pub async fn add_storage_grant(
    conn: &mut Conn,
    tenant_id: &TenantId,
    invoice_id: &InvoiceId,
    bytes: i64,
    from_on: Date,
    to_on: Date,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO storage_grants (id, tenant_id, invoice_id, bytes, from_on, to_on) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(new_id())
    .bind(tenant_id.as_str())
    .bind(invoice_id.as_str())
    .bind(bytes)
    .bind(from_on.to_string())
    .bind(to_on.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Extra storage in force on a day.
pub async fn storage_granted(conn: &mut Conn, tenant_id: &TenantId, on: Date) -> Result<i64> {
    let row = sqlx::query(
        "SELECT CAST(COALESCE(SUM(bytes), 0) AS BIGINT) AS bytes FROM storage_grants \
         WHERE tenant_id = $1 AND from_on <= $2 AND to_on >= $2",
    )
    .bind(tenant_id.as_str())
    .bind(on.to_string())
    .fetch_one(&mut *conn)
    .await?;
    Cols::new(&row, "").get("bytes")
}

#[cfg(test)]
mod tests {
    use educenter_domain::billing::{Currency, PaymentChannel};
    use educenter_domain::ids::{InvoiceId, TenantId};
    use educenter_domain::money::Money;
    use jiff::civil::date;

    use super::{Payment, Refund};
    use crate::billing::Price;

    #[test]
    fn a_price_shows_its_amount_as_amount_minor_and_currency_as_its_audit_entries_did() {
        let price = Price {
            plan_code: "start".into(),
            amount: Money::new(3_000_000, Currency::Kzt),
            months: 1,
            decided_on: date(2027, 2, 1),
            effective_from: date(2027, 3, 1),
        };
        let json = serde_json::to_value(&price).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "plan_code": "start", "amount_minor": 3_000_000, "currency": "KZT", "months": 1,
                "decided_on": "2027-02-01", "effective_from": "2027-03-01",
            })
        );
    }

    #[test]
    fn payments_and_refunds_show_their_amount_as_amount_minor_and_currency() {
        let payment = Payment {
            id: "p1".into(),
            tenant_id: TenantId::new("t1"),
            invoice_id: InvoiceId::new("i1"),
            channel: PaymentChannel::BankTransfer,
            reference: "KZ-2027-0042".into(),
            amount: Money::new(3_000_000, Currency::Kzt),
            received_on: date(2027, 3, 3),
            recorded_at: "2027-03-03T05:00:00Z".parse().unwrap(),
        };
        let json = serde_json::to_value(&payment).unwrap();
        assert_eq!(
            (json["amount_minor"].clone(), json["currency"].clone()),
            (3_000_000.into(), "KZT".into())
        );
        let refund = Refund {
            id: "r1".into(),
            tenant_id: TenantId::new("t1"),
            invoice_id: InvoiceId::new("i1"),
            amount: Money::new(10_000, Currency::Eur),
            reason: "ended early".into(),
            email_reference: "re: refund".into(),
            created_at: "2027-03-03T05:00:00Z".parse().unwrap(),
        };
        let json = serde_json::to_value(&refund).unwrap();
        assert_eq!(
            (json["amount_minor"].clone(), json["currency"].clone()),
            (10_000.into(), "EUR".into())
        );
        assert!(json.get("amount").is_none());
    }
}
