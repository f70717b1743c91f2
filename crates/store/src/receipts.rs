//! Unmatched bank receipts: money that arrived without an invoice to match it to.

use educenter_domain::ids::UserId;
use educenter_domain::money::Money;
use jiff::{Timestamp, civil::Date};
use serde::Serialize;
use sqlx::any::AnyRow;

use crate::page::{Key, Keyset, Kind, Page, PageRequest};
use crate::{Cols, Conn, Result, to_micros};

#[derive(Debug, Clone, Serialize)]
pub struct Receipt {
    pub id: String,
    pub reference: String,
    /// What reached the account (`amount_minor` and `currency` in JSON, as in the table).
    #[serde(flatten)]
    pub amount: Money,
    pub received_on: Date,
    pub grant_deadline: Date,
    pub payer: String,
    pub purpose: String,
    pub recorded_at: Timestamp,
    /// The payment it became once matched to an invoice.
    pub payment_id: Option<String>,
    pub matched_at: Option<Timestamp>,
    pub alerted_at: Option<Timestamp>,
}

const COLUMNS: &str = "id, reference, amount_minor, currency, received_on, grant_deadline, \
                       payer, purpose, recorded_at, payment_id, matched_at, alerted_at";

fn row(r: &AnyRow) -> Result<Receipt> {
    let c = Cols::new(r, "");
    Ok(Receipt {
        id: c.get("id")?,
        reference: c.get("reference")?,
        amount: c.money()?,
        received_on: c.date("received_on")?,
        grant_deadline: c.date("grant_deadline")?,
        payer: c.get("payer")?,
        purpose: c.get("purpose")?,
        recorded_at: c.at("recorded_at")?,
        payment_id: c.get("payment_id")?,
        matched_at: c.at_opt("matched_at")?,
        alerted_at: c.at_opt("alerted_at")?,
    })
}

pub async fn insert(conn: &mut Conn, r: &Receipt, recorded_by: Option<&UserId>) -> Result<()> {
    sqlx::query(
        "INSERT INTO receipts (id, reference, amount_minor, currency, received_on, \
         grant_deadline, payer, purpose, recorded_at, recorded_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&r.id)
    .bind(&r.reference)
    .bind(r.amount.minor)
    .bind(r.amount.currency.as_str())
    .bind(r.received_on.to_string())
    .bind(r.grant_deadline.to_string())
    .bind(&r.payer)
    .bind(&r.purpose)
    .bind(to_micros(r.recorded_at))
    .bind(recorded_by.map(UserId::as_str))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn by_id(conn: &mut Conn, id: &str) -> Result<Option<Receipt>> {
    let sql = format!("SELECT {COLUMNS} FROM receipts WHERE id = $1");
    let found = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    found.as_ref().map(row).transpose()
}

pub async fn by_reference(conn: &mut Conn, reference: &str) -> Result<Option<Receipt>> {
    let sql = format!("SELECT {COLUMNS} FROM receipts WHERE reference = $1");
    let found = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(reference)
        .fetch_optional(&mut *conn)
        .await?;
    found.as_ref().map(row).transpose()
}

/// Receipts, the unmatched ones first by deadline; `open_only` leaves out the matched ones.
pub async fn list(conn: &mut Conn, open_only: bool, limit: i64) -> Result<Vec<Receipt>> {
    let filter = if open_only {
        "WHERE payment_id IS NULL"
    } else {
        ""
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM receipts {filter} \
         ORDER BY CASE WHEN payment_id IS NULL THEN 0 ELSE 1 END, grant_deadline, id LIMIT $1"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(row).collect()
}

const RECEIPT_PAGES: Keyset = Keyset {
    name: "receipts",
    columns: &[
        ("CASE WHEN payment_id IS NULL THEN 0 ELSE 1 END", Kind::Int),
        ("grant_deadline", Kind::Text),
        ("id", Kind::Text),
    ],
    desc: false,
};

/// A page of the receipts, the unmatched ones first by deadline; `open_only` leaves out the
/// matched ones.
pub async fn list_page(
    conn: &mut Conn,
    open_only: bool,
    req: &PageRequest,
) -> Result<Page<Receipt>> {
    let filter = if open_only {
        "payment_id IS NULL"
    } else {
        "1 = 1"
    };
    let select = format!("SELECT {COLUMNS} FROM receipts WHERE {filter}");
    RECEIPT_PAGES
        .fetch(conn, req, &select, Vec::new(), row, |r| {
            vec![
                i64::from(r.payment_id.is_some()).into(),
                Key::Text(r.grant_deadline.to_string()),
                (&r.id).into(),
            ]
        })
        .await
}

/// Ties a receipt to the payment it became; false when another request matched it first.
pub async fn mark_matched(
    conn: &mut Conn,
    id: &str,
    payment_id: &str,
    at: Timestamp,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE receipts SET payment_id = $1, matched_at = $2 WHERE id = $3 AND payment_id IS NULL",
    )
    .bind(payment_id)
    .bind(to_micros(at))
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Unmatched receipts not yet alerted whose deadline is on or before `by`.
pub async fn due_for_alert(conn: &mut Conn, by: Date) -> Result<Vec<Receipt>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM receipts \
         WHERE payment_id IS NULL AND alerted_at IS NULL AND grant_deadline <= $1 \
         ORDER BY grant_deadline, id"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(by.to_string())
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(row).collect()
}

pub async fn mark_alerted(conn: &mut Conn, id: &str, at: Timestamp) -> Result<()> {
    sqlx::query("UPDATE receipts SET alerted_at = $1 WHERE id = $2")
        .bind(to_micros(at))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use educenter_domain::billing::Currency;
    use educenter_domain::money::Money;
    use jiff::civil::date;

    use super::Receipt;

    #[test]
    fn a_receipts_amount_is_amount_minor_and_currency_in_json_as_in_its_table() {
        let receipt = Receipt {
            id: "r1".into(),
            reference: "KZ-2027-0042".into(),
            amount: Money::new(3_000_000, Currency::Kzt),
            received_on: date(2027, 3, 3),
            grant_deadline: date(2027, 3, 9),
            payer: "ТОО «Білім»".into(),
            purpose: "Оплата по счёту 2027-000001".into(),
            recorded_at: "2027-03-03T05:00:00Z".parse().unwrap(),
            payment_id: None,
            matched_at: None,
            alerted_at: None,
        };
        let json = serde_json::to_value(&receipt).unwrap();
        assert_eq!(json["amount_minor"], 3_000_000);
        assert_eq!(json["currency"], "KZT");
        assert!(json.get("amount").is_none());
    }
}
