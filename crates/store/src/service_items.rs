//! The catalogue of additional services and the versions of their prices (R-5.8a): each
//! version has a decision date and an effective date; a change of prices is told to the schools
//! that use the service, and an unsent notice is alerted on.

use educenter_domain::billing::ServiceUnit;
use educenter_domain::ids::TenantId;
use educenter_domain::money::Money;
use jiff::{Timestamp, civil::Date};
use serde::Serialize;
use sqlx::any::AnyRow;

use crate::page::{Keyset, Kind, Page, PageRequest};
use crate::{Cols, Conn, Result, new_id, to_micros};

/// A service of the catalogue with the prices in force on the day it was read.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceItem {
    pub code: String,
    pub name_ru: String,
    pub name_kk: String,
    pub name_en: String,
    pub unit: ServiceUnit,
    pub price_on_request: bool,
    /// The amount per unit in force, in each currency it is priced in (written into audit
    /// entries as `[currency, amount]` pairs, as they always were).
    #[serde(serialize_with = "as_pairs")]
    pub prices: Vec<Money>,
}

fn as_pairs<S: serde::Serializer>(prices: &[Money], s: S) -> std::result::Result<S::Ok, S::Error> {
    s.collect_seq(prices.iter().map(|m| (m.currency, m.minor)))
}

/// One version of a service's price.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ServicePrice {
    pub code: String,
    /// The price per unit (`amount_minor` and `currency` in JSON, as in the table).
    #[serde(flatten)]
    pub amount: Money,
    pub decided_on: Date,
    pub effective_from: Date,
}

/// Creates a service or changes its names, unit and price on request (not its prices: they
/// change by versions).
pub async fn put_item(conn: &mut Conn, s: &ServiceItem, now: Timestamp) -> Result<()> {
    sqlx::query(
        "INSERT INTO service_items (code, name_ru, name_kk, name_en, unit, price_on_request, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (code) DO UPDATE SET \
         name_ru = excluded.name_ru, name_kk = excluded.name_kk, name_en = excluded.name_en, \
         unit = excluded.unit, price_on_request = excluded.price_on_request",
    )
    .bind(&s.code)
    .bind(&s.name_ru)
    .bind(&s.name_kk)
    .bind(&s.name_en)
    .bind(s.unit.as_str())
    .bind(i64::from(s.price_on_request))
    .bind(to_micros(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Whether a service exists.
pub async fn exists(conn: &mut Conn, code: &str) -> Result<bool> {
    Ok(
        sqlx::query("SELECT code FROM service_items WHERE code = $1")
            .bind(code)
            .fetch_optional(&mut *conn)
            .await?
            .is_some(),
    )
}

/// Adds a price version (replacing one of the same service, currency and effective date).
pub async fn add_price(conn: &mut Conn, p: &ServicePrice, now: Timestamp) -> Result<()> {
    sqlx::query(
        "INSERT INTO service_price_versions (code, currency, amount_minor, decided_on, \
         effective_from, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (code, currency, effective_from) DO UPDATE SET \
         amount_minor = excluded.amount_minor, decided_on = excluded.decided_on",
    )
    .bind(&p.code)
    .bind(p.amount.currency.as_str())
    .bind(p.amount.minor)
    .bind(p.decided_on.to_string())
    .bind(p.effective_from.to_string())
    .bind(to_micros(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

fn price_row(r: &AnyRow) -> Result<ServicePrice> {
    let c = Cols::new(r, "");
    Ok(ServicePrice {
        code: c.get("code")?,
        amount: c.money()?,
        decided_on: c.date("decided_on")?,
        effective_from: c.date("effective_from")?,
    })
}

/// The price versions in force on `on` (the latest effective by then, per service and
/// currency).
pub async fn prices_in_force(conn: &mut Conn, on: Date) -> Result<Vec<ServicePrice>> {
    let rows = sqlx::query(
        "SELECT v.code, v.currency, v.amount_minor, v.decided_on, v.effective_from \
         FROM service_price_versions v WHERE v.effective_from <= $1 AND v.effective_from = \
         (SELECT MAX(w.effective_from) FROM service_price_versions w WHERE w.code = v.code \
         AND w.currency = v.currency AND w.effective_from <= $1) ORDER BY v.code, v.currency",
    )
    .bind(on.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(price_row).collect()
}

/// Price versions of services that take effect after `today`, of the services `codes`.
pub async fn upcoming_prices(conn: &mut Conn, today: Date) -> Result<Vec<ServicePrice>> {
    let rows = sqlx::query(
        "SELECT code, currency, amount_minor, decided_on, effective_from \
         FROM service_price_versions WHERE effective_from > $1 \
         ORDER BY effective_from, code, currency",
    )
    .bind(today.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(price_row).collect()
}

/// The catalogue with the prices in force on `on`.
pub async fn items(conn: &mut Conn, on: Date) -> Result<Vec<ServiceItem>> {
    let rows = sqlx::query(
        "SELECT code, name_ru, name_kk, name_en, unit, price_on_request FROM service_items \
         ORDER BY code",
    )
    .fetch_all(&mut *conn)
    .await?;
    let prices = prices_in_force(conn, on).await?;
    rows.iter()
        .map(|r| {
            let c = Cols::new(r, "");
            let code: String = c.get("code")?;
            let prices = prices
                .iter()
                .filter(|p| p.code == code)
                .map(|p| p.amount)
                .collect();
            Ok(ServiceItem {
                name_ru: c.get("name_ru")?,
                name_kk: c.get("name_kk")?,
                name_en: c.get("name_en")?,
                unit: c.word("unit")?,
                price_on_request: c.get::<i64>("price_on_request")? != 0,
                prices,
                code,
            })
        })
        .collect()
}

const ITEM_PAGES: Keyset = Keyset {
    name: "services",
    columns: &[("code", Kind::Text)],
    desc: false,
};

/// A page of the catalogue by code, with the prices in force on `on`.
pub async fn items_page(conn: &mut Conn, on: Date, req: &PageRequest) -> Result<Page<ServiceItem>> {
    let parse = |r: &AnyRow| {
        let c = Cols::new(r, "");
        Ok(ServiceItem {
            code: c.get("code")?,
            name_ru: c.get("name_ru")?,
            name_kk: c.get("name_kk")?,
            name_en: c.get("name_en")?,
            unit: c.word("unit")?,
            price_on_request: c.get::<i64>("price_on_request")? != 0,
            prices: Vec::new(),
        })
    };
    let mut page = ITEM_PAGES
        .fetch(
            conn,
            req,
            "SELECT code, name_ru, name_kk, name_en, unit, price_on_request FROM service_items \
             WHERE 1 = 1",
            Vec::new(),
            parse,
            |s| vec![(&s.code).into()],
        )
        .await?;
    if page.items.is_empty() {
        return Ok(page);
    }
    for p in prices_in_force(conn, on).await? {
        if let Some(s) = page.items.iter_mut().find(|s| s.code == p.code) {
            s.prices.push(p.amount);
        }
    }
    Ok(page)
}

/// The schools a change of a service's prices concerns: a contract in force, and an invoice
/// (not void) that ordered the service.
pub async fn tenants_using(conn: &mut Conn, code: &str) -> Result<Vec<TenantId>> {
    let rows = sqlx::query(
        "SELECT c.tenant_id FROM contracts c WHERE c.status IN ('in_force', 'terminating') \
         AND EXISTS (SELECT 1 FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id \
         WHERE l.tenant_id = c.tenant_id AND l.service_code = $1 AND i.status <> 'void') \
         ORDER BY c.tenant_id",
    )
    .bind(code)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| Cols::new(r, "").get::<TenantId>("tenant_id"))
        .collect()
}

/// A change of a service's prices: the versions decided on one day for one effective date.
#[derive(Debug, Clone)]
pub struct ServicePriceChange {
    pub id: String,
    pub service_code: String,
    pub decided_on: Date,
    pub effective_from: Date,
}

pub async fn create_change(
    conn: &mut Conn,
    code: &str,
    decided_on: Date,
    effective_from: Date,
    now: Timestamp,
) -> Result<String> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO service_price_changes (id, service_code, decided_on, effective_from, \
         created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&id)
    .bind(code)
    .bind(decided_on.to_string())
    .bind(effective_from.to_string())
    .bind(to_micros(now))
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn record_notice(
    conn: &mut Conn,
    change_id: &str,
    tenant_id: &TenantId,
    mail_id: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO service_price_change_notices (change_id, tenant_id, mail_id) \
         VALUES ($1, $2, $3) ON CONFLICT (change_id, tenant_id) DO NOTHING",
    )
    .bind(change_id)
    .bind(tenant_id.as_str())
    .bind(mail_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Changes decided by `cutoff` not checked yet, with how many of their notices are unsent.
pub async fn changes_to_check(
    conn: &mut Conn,
    cutoff: &str,
) -> Result<Vec<(ServicePriceChange, i64)>> {
    let rows = sqlx::query(
        "SELECT c.id, c.service_code, c.decided_on, c.effective_from, \
         (SELECT COUNT(*) FROM service_price_change_notices n JOIN mail_outbox m \
          ON m.id = n.mail_id WHERE n.change_id = c.id AND m.state <> 'sent') AS unsent \
         FROM service_price_changes c WHERE c.alerted_at IS NULL AND c.decided_on <= $1 \
         ORDER BY c.id",
    )
    .bind(cutoff)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let c = Cols::new(r, "");
            Ok((
                ServicePriceChange {
                    id: c.get("id")?,
                    service_code: c.get("service_code")?,
                    decided_on: c.date("decided_on")?,
                    effective_from: c.date("effective_from")?,
                },
                c.get::<i64>("unsent")?,
            ))
        })
        .collect()
}

pub async fn mark_change_checked(conn: &mut Conn, id: &str, at: Timestamp) -> Result<()> {
    sqlx::query("UPDATE service_price_changes SET alerted_at = $1 WHERE id = $2")
        .bind(to_micros(at))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The services a school ordered (on invoices that are not void).
pub async fn used_by(conn: &mut Conn, tenant_id: &TenantId) -> Result<Vec<String>> {
    let rows = sqlx::query(
        "SELECT DISTINCT l.service_code FROM invoice_lines l JOIN invoices i \
         ON i.id = l.invoice_id WHERE l.tenant_id = $1 AND l.service_code IS NOT NULL \
         AND i.status <> 'void' ORDER BY l.service_code",
    )
    .bind(tenant_id.as_str())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| Cols::new(r, "").get::<String>("service_code"))
        .collect()
}

#[cfg(test)]
mod tests {
    use educenter_domain::billing::{Currency, ServiceUnit};
    use educenter_domain::money::Money;

    use super::{ServiceItem, ServicePrice};

    #[test]
    fn a_service_price_version_shows_its_amount_as_amount_minor_and_currency() {
        let version = ServicePrice {
            code: "setup".into(),
            amount: Money::new(5_000_000, Currency::Kzt),
            decided_on: jiff::civil::date(2027, 2, 1),
            effective_from: jiff::civil::date(2027, 3, 1),
        };
        assert_eq!(
            serde_json::to_value(&version).unwrap(),
            serde_json::json!({
                "code": "setup", "amount_minor": 5_000_000, "currency": "KZT",
                "decided_on": "2027-02-01", "effective_from": "2027-03-01",
            })
        );
    }

    #[test]
    fn a_services_prices_are_currency_and_amount_pairs_in_its_audit_entry() {
        let item = ServiceItem {
            code: "setup".into(),
            name_ru: "Настройка".into(),
            name_kk: "Баптау".into(),
            name_en: "Set-up".into(),
            unit: ServiceUnit::OneOff,
            price_on_request: false,
            prices: vec![
                Money::new(5_000_000, Currency::Kzt),
                Money::new(10_000, Currency::Eur),
            ],
        };
        let json = serde_json::to_value(&item).unwrap();
        assert_eq!(
            json["prices"],
            serde_json::json!([["KZT", 5_000_000], ["EUR", 10_000]])
        );
    }
}
