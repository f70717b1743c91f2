//! The business-day calendar as stored: one row per year (SPEC A-2).

use std::collections::BTreeSet;

use educenter_domain::calendar::{BusinessCalendar, YearCalendar};
use jiff::{Timestamp, civil::Date};

use crate::{Cols, Conn, Db, Result, StoreError, to_micros};

/// The calendar shipped with the product (`shared/data/kz-calendar.json`), for the years it
/// knows; applied to years the database does not have yet.
pub const SEED_JSON: &str = include_str!("../seed/kz-calendar.json");

fn dates(json: &str) -> Result<BTreeSet<Date>> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("calendar dates: {e}")))
}

/// Every stored year.
pub async fn load(db: &Db) -> Result<BusinessCalendar> {
    load_in(&mut *db.conn().await?).await
}

/// Every stored year, read on the caller's connection (inside its transaction).
pub async fn load_in(conn: &mut Conn) -> Result<BusinessCalendar> {
    let rows = sqlx::query(
        "SELECT year, non_working_days, working_days FROM business_calendar_years ORDER BY year",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut years = Vec::new();
    for row in rows {
        let c = Cols::new(&row, "");
        let year: i64 = c.get("year")?;
        let year = i16::try_from(year).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let off = dates(&c.get::<String>("non_working_days")?)?;
        let on = dates(&c.get::<String>("working_days")?)?;
        years.push(
            YearCalendar::new(year, off, on)
                .map_err(|e| StoreError::Corrupt(format!("calendar {year}: {e:?}")))?,
        );
    }
    Ok(BusinessCalendar::new(years))
}

/// Stores a year, replacing what was there. `source` is `seed` or `operator`.
pub async fn put_year(
    conn: &mut Conn,
    year: &YearCalendar,
    source: &str,
    now: Timestamp,
) -> Result<()> {
    let off = serde_json::to_string(&year.non_working_days).unwrap_or_default();
    let on = serde_json::to_string(&year.working_days).unwrap_or_default();
    sqlx::query(
        "INSERT INTO business_calendar_years (year, non_working_days, working_days, source, \
         updated_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (year) DO UPDATE SET \
         non_working_days = excluded.non_working_days, working_days = excluded.working_days, \
         source = excluded.source, updated_at = excluded.updated_at",
    )
    .bind(i64::from(year.year))
    .bind(off)
    .bind(on)
    .bind(source)
    .bind(to_micros(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The years of the shipped seed.
pub fn seed_years() -> Result<Vec<YearCalendar>> {
    #[derive(serde::Deserialize)]
    struct Seed {
        years: std::collections::BTreeMap<String, SeedYear>,
    }
    #[derive(serde::Deserialize)]
    struct SeedYear {
        non_working_days: BTreeSet<Date>,
        working_days: BTreeSet<Date>,
    }
    let seed: Seed = serde_json::from_str(SEED_JSON)
        .map_err(|e| StoreError::Corrupt(format!("calendar seed: {e}")))?;
    seed.years
        .into_iter()
        .map(|(year, y)| {
            let year: i16 = year
                .parse()
                .map_err(|e| StoreError::Corrupt(format!("calendar seed year: {e}")))?;
            YearCalendar::new(year, y.non_working_days, y.working_days)
                .map_err(|e| StoreError::Corrupt(format!("calendar seed {year}: {e:?}")))
        })
        .collect()
}

/// Stores the seed's years that are not stored yet (an operator's edits are never replaced).
pub async fn seed_missing(db: &Db, now: Timestamp) -> Result<usize> {
    let mut tx = db.begin().await?;
    let mut added = 0;
    for year in seed_years()? {
        let off = serde_json::to_string(&year.non_working_days).unwrap_or_default();
        let on = serde_json::to_string(&year.working_days).unwrap_or_default();
        // DO NOTHING: an operator's edit, or another instance's seed, stays as it is.
        let done = sqlx::query(
            "INSERT INTO business_calendar_years (year, non_working_days, working_days, source, \
             updated_at) VALUES ($1, $2, $3, 'seed', $4) ON CONFLICT (year) DO NOTHING",
        )
        .bind(i64::from(year.year))
        .bind(off)
        .bind(on)
        .bind(to_micros(now))
        .execute(&mut *tx)
        .await?;
        added += usize::try_from(done.rows_affected()).unwrap_or(0);
    }
    tx.commit().await?;
    Ok(added)
}

/// Records that a calculation reached `year` without a loaded calendar; true the first time
/// (the super-admins are then told, once per year).
pub async fn claim_gap(conn: &mut Conn, year: i16, now: Timestamp) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO calendar_gaps (year, first_seen_at) VALUES ($1, $2) ON CONFLICT (year) \
         DO NOTHING",
    )
    .bind(i64::from(year))
    .bind(to_micros(now))
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Years a calculation reached that still have no loaded calendar, oldest first.
pub async fn open_gaps(conn: &mut Conn) -> Result<Vec<i16>> {
    let rows = sqlx::query(
        "SELECT g.year FROM calendar_gaps g WHERE NOT EXISTS \
         (SELECT 1 FROM business_calendar_years y WHERE y.year = g.year) ORDER BY g.year",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let year: i64 = Cols::new(r, "").get("year")?;
            i16::try_from(year).map_err(|e| StoreError::Corrupt(e.to_string()))
        })
        .collect()
}
