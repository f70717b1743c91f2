//! Versions of the public offer (the contract), immutable once published, and the
//! contract's notices and objections ([`notices`]).

use jiff::{Timestamp, civil::Date};
use serde::Serialize;
use sqlx::any::AnyRow;

use crate::{Cols, Conn, Db, Result, StoreError, to_micros};

pub mod notices;

/// The offer text the product ships as version 1 (`shared/seed/license-offer.ru.txt`).
pub const SEED_TEXT_RU: &str = include_str!("../../seed/license-offer.ru.txt");

#[derive(Debug, Clone, Serialize)]
pub struct OfferVersion {
    pub number: i64,
    pub text_ru: String,
    pub text_kk: Option<String>,
    pub change_summary: String,
    pub published_at: Timestamp,
    /// The local date of publication (Asia/Almaty).
    pub published_on: Date,
}

fn from_row(row: &AnyRow) -> Result<OfferVersion> {
    let c = Cols::new(row, "");
    Ok(OfferVersion {
        number: c.get("number")?,
        text_ru: c.get("text_ru")?,
        text_kk: c.get("text_kk")?,
        change_summary: c.get("change_summary")?,
        published_at: c.at("published_at")?,
        published_on: c.date("published_on")?,
    })
}

const COLUMNS: &str = "number, text_ru, text_kk, change_summary, published_at, published_on";

/// The version in force at `at`: the highest number published by then.
pub async fn current(conn: &mut Conn, at: Timestamp) -> Result<Option<OfferVersion>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM offer_versions WHERE published_at <= $1 ORDER BY number DESC LIMIT 1"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(to_micros(at))
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn get(db: &Db, number: i64) -> Result<Option<OfferVersion>> {
    let sql = format!("SELECT {COLUMNS} FROM offer_versions WHERE number = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(number)
        .fetch_optional(db.pool())
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Publishes the next version; returns its number.
pub async fn publish(
    conn: &mut Conn,
    text_ru: &str,
    text_kk: Option<&str>,
    change_summary: &str,
    at: Timestamp,
) -> Result<i64> {
    let row = sqlx::query("SELECT COALESCE(MAX(number), 0) + 1 AS n FROM offer_versions")
        .fetch_one(&mut *conn)
        .await?;
    let next: i64 = Cols::new(&row, "").get("n")?;
    let on = educenter_domain::clock::local_date(at).to_string();
    sqlx::query(
        "INSERT INTO offer_versions (number, text_ru, text_kk, change_summary, published_at, \
         published_on) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(next)
    .bind(text_ru)
    .bind(text_kk)
    .bind(change_summary)
    .bind(to_micros(at))
    .bind(on)
    .execute(&mut *conn)
    .await?;
    Ok(next)
}

/// Publishes the shipped text as version 1 when no version exists, dated 1 January 2024 in
/// Almaty (before any licensee, so it is in force whatever date a test clock starts at).
/// Returns whether it did.
pub async fn seed_first(db: &Db) -> Result<bool> {
    let mut tx = db.begin().await?;
    let row = sqlx::query("SELECT COUNT(*) AS n FROM offer_versions")
        .fetch_one(&mut *tx)
        .await?;
    let n: i64 = Cols::new(&row, "").get("n")?;
    if n > 0 {
        return Ok(false);
    }
    let first = Timestamp::from_second(1_704_049_200).unwrap_or(Timestamp::UNIX_EPOCH);
    match publish(&mut tx, SEED_TEXT_RU, None, "Первая редакция", first).await {
        Ok(_) => {}
        // Another instance seeded it at the same moment.
        Err(e) if e.is_unique_violation() => return Ok(false),
        Err(e) => return Err(e),
    }
    match tx.commit().await.map_err(StoreError::from) {
        Ok(()) => Ok(true),
        Err(e) if e.is_unique_violation() => Ok(false),
        Err(e) => Err(e),
    }
}

/// Every version published by `at`, newest first (number and date only).
pub async fn published(db: &Db, at: Timestamp) -> Result<Vec<(i64, Date)>> {
    let rows = sqlx::query(
        "SELECT number, published_on FROM offer_versions WHERE published_at <= $1 \
         ORDER BY number DESC",
    )
    .bind(to_micros(at))
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            let c = Cols::new(r, "");
            Ok((c.get::<i64>("number")?, c.date("published_on")?))
        })
        .collect()
}
