//! Benchmark of the daily billing run (issue 4, item 11): generates schools in every licence
//! situation, then times the run for one day, the same day again, and the next day.
//!
//!     cargo run --release -p educenter --example billing_day -- [TENANTS] [DATABASE_URL]
//!
//! TENANTS defaults to 100000; DATABASE_URL to a new SQLite file in a temporary directory (give
//! `postgres://postgres@127.0.0.1:5432/bench` to use PostgreSQL; that database is emptied of
//! EduCenter's tables first). Peak memory is read from /proc/self/status.

use std::time::Instant;

mod support;
use support::{Value, count_statements, insert, rss, statements, t};

use educenter_store::{Db, billing, sqlx};
use jiff::{Span, Timestamp, civil::Date};

fn local(at: Timestamp) -> Date {
    educenter_domain::clock::local_date(at)
}

fn midnight(d: Date) -> anyhow::Result<Timestamp> {
    Ok(educenter_domain::clock::almaty()
        .to_ambiguous_timestamp(d.to_datetime(jiff::civil::Time::midnight()))
        .compatible()?)
}

fn micros(at: Timestamp) -> i64 {
    educenter_store::to_micros(at)
}

async fn count(db: &Db, sql: &'static str) -> i64 {
    use sqlx::Row;
    sqlx::query(sql)
        .fetch_one(db.pool())
        .await
        .expect("count")
        .get::<i64, _>(0)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    count_statements();
    let mut args = std::env::args().skip(1);
    let tenants: usize = args.next().map_or(Ok(100_000), |s| s.parse())?;
    let dir = tempfile::tempdir()?;
    let url = args
        .next()
        .unwrap_or_else(|| format!("sqlite://{}", dir.path().join("bench.db").display()));
    let db = Db::connect(&url).await?;
    if url.starts_with("postgres") {
        sqlx::query("DROP SCHEMA public CASCADE")
            .execute(db.pool())
            .await?;
        sqlx::query("CREATE SCHEMA public")
            .execute(db.pool())
            .await?;
        db.close().await;
        return Box::pin(rerun(tenants, url)).await;
    }
    bench(db, tenants, &url).await
}

async fn rerun(tenants: usize, url: String) -> anyhow::Result<()> {
    let db = Db::connect(&url).await?;
    bench(db, tenants, &url).await
}

async fn bench(db: Db, tenants: usize, url: &str) -> anyhow::Result<()> {
    db.migrate().await?;
    // The night of 2027-03-15 in Almaty.
    let now: Timestamp = "2027-03-14T19:00:00Z".parse()?;
    let today = local(now);
    educenter_store::offers::seed_first(&db).await?;
    educenter_store::calendar::seed_missing(&db, now).await?;
    let mut tx = db.begin().await?;
    billing::create_plan(
        &mut tx,
        &billing::Plan {
            code: "start".into(),
            name_ru: "Старт".into(),
            name_kk: "Старт".into(),
            name_en: "Start".into(),
            limit_students: 100,
            limit_staff: 5,
            limit_storage_bytes: 10_000_000_000,
            limit_courses: 20,
        },
        now,
    )
    .await?;
    billing::add_price(
        &mut tx,
        &billing::Price {
            plan_code: "start".into(),
            amount: educenter_domain::money::Money::new(
                3_000_000,
                educenter_domain::billing::Currency::Kzt,
            ),
            months: 1,
            decided_on: jiff::civil::date(2024, 1, 1),
            effective_from: jiff::civil::date(2024, 1, 1),
        },
        now,
    )
    .await?;
    tx.commit().await?;

    let started = Instant::now();
    let day = |n: i64| today.saturating_add(Span::new().days(n)).to_string();
    let batch = 50;
    let mut i = 0;
    while i < tenants {
        let end = (i + batch).min(tenants);
        let (mut ts, mut us, mut cs, mut is, mut ps) = (vec![], vec![], vec![], vec![], vec![]);
        for n in i..end {
            let id = format!("t{n:07}");
            // A quarter each: in the trial; paid with L spread over -6..+33 days; trial ended
            // 34 days ago with nothing filed; paid with L exactly 7 days ago.
            let kind = n % 4;
            let created = match kind {
                0 => day(-5),
                2 => day(-34),
                _ => day(-200),
            };
            let created_d: Date = created.parse()?;
            let created_at = micros(midnight(created_d)?);
            ts.push(vec![
                t(&id),
                t(format!("school-{n}")),
                t(format!("School {n}")),
                t("legal_entity"),
                t(format!("{:012}", n)),
                Value::N(1),
                t("ru"),
                t(if kind == 1 || kind == 3 {
                    "active"
                } else {
                    "trial"
                }),
                Value::N(created_at),
                Value::N(created_at),
                t(created_d.saturating_add(Span::new().days(14)).to_string()),
                t(created_d.saturating_add(Span::new().days(30)).to_string()),
                t(format!("school {n}")),
            ]);
            us.push(vec![
                t(format!("u{n:07}")),
                t(&id),
                t(&id),
                t("owner"),
                t("owner"),
                t(format!("owner{n}@example.kz")),
                t("Owner"),
                t("ru"),
                Value::N(created_at),
            ]);
            cs.push(vec![
                t(format!("c{n:07}")),
                t(&id),
                Value::N(1),
                t("in_force"),
                Value::N(1),
                Value::N(created_at),
            ]);
            if kind == 1 || kind == 3 {
                let l = if kind == 1 {
                    i64::try_from(n % 40)? - 6
                } else {
                    -7
                };
                let to: Date = day(l).parse()?;
                let from = to
                    .saturating_sub(Span::new().months(1))
                    .saturating_add(Span::new().days(1));
                is.push(vec![
                    t(format!("i{n:07}")),
                    t(&id),
                    t(format!("B-{n:07}")),
                    t("licence"),
                    t("start"),
                    Value::N(1),
                    t("KZT"),
                    Value::N(3_000_000),
                    Value::N(3_000_000),
                    Value::N(0),
                    Value::N(0),
                    t("paid"),
                    Value::N(created_at),
                    t(from.to_string()),
                    t(from.to_string()),
                    t(from.to_string()),
                    t("{}"),
                    t("{}"),
                ]);
                ps.push(vec![
                    t(format!("p{n:07}")),
                    t(&id),
                    t(format!("c{n:07}")),
                    t(format!("i{n:07}")),
                    t("start"),
                    t(from.to_string()),
                    t(to.to_string()),
                    t(from.saturating_sub(Span::new().days(1)).to_string()),
                    Value::N(1),
                    Value::N(3_000_000),
                    t("KZT"),
                    Value::N(created_at),
                ]);
            }
        }
        let mut tx = db.begin().await?;
        insert(&mut tx, "tenants", "id, slug, name, kind, bin_iin, resident, locale, state, created_at, trial_started_at, trial_ends_on, application_deadline, name_search", &ts).await;
        insert(
            &mut tx,
            "users",
            "id, tenant_id, scope, kind, role, email, full_name, locale, created_at",
            &us,
        )
        .await;
        insert(
            &mut tx,
            "contracts",
            "id, tenant_id, number, status, offer_version, started_at",
            &cs,
        )
        .await;
        insert(&mut tx, "invoices", "id, tenant_id, number, purpose, plan_code, months, currency, total_minor, paid_minor, excess_credit_minor, extra_storage_bytes, status, issued_at, issued_on, due_on, paid_on, supplier, customer", &is).await;
        insert(&mut tx, "licence_periods", "id, tenant_id, contract_id, invoice_id, plan_code, from_on, to_on, anchor_on, chain_months, paid_minor, currency, created_at", &ps).await;
        tx.commit().await?;
        i = end;
    }
    let _ = Value::Null;
    // Statistics, as a database that grew over time has them (PostgreSQL's autovacuum gathers
    // them after a bulk load like this one; without them it reads the tables whole).
    sqlx::query("ANALYZE").execute(db.pool()).await?;
    println!(
        "engine: {}\nschools: {tenants}\ngenerated in {:.1} s",
        if url.starts_with("postgres") {
            "PostgreSQL"
        } else {
            "SQLite"
        },
        started.elapsed().as_secs_f64()
    );

    for (label, at) in [
        ("first run (every school read)", now),
        ("same day again", now),
        (
            "next day",
            now.checked_add(jiff::SignedDuration::from_hours(24))?,
        ),
    ] {
        let invoices = count(&db, "SELECT COUNT(*) FROM invoices").await;
        let mails = count(&db, "SELECT COUNT(*) FROM mail_outbox").await;
        statements();
        let t0 = Instant::now();
        let report = educenter_services::billing::nightly::run_daily(&db, at).await?;
        let counted = statements();
        let secs = t0.elapsed().as_secs_f64();
        let invoices = count(&db, "SELECT COUNT(*) FROM invoices").await - invoices;
        let mails = count(&db, "SELECT COUNT(*) FROM mail_outbox").await - mails;
        println!(
            "{label}: {secs:.1} s, {} schools read, {} state changes, {invoices} invoices, {mails} e-mails; memory {}",
            report.schools,
            report.changed,
            rss()
        );
        if !counted.is_empty() {
            let total: u64 = counted.iter().map(|(_, n)| n).sum();
            println!("  statements: {total}");
            for (summary, n) in counted.iter().take(15) {
                println!("  {n:>8}  {summary}");
            }
        }
    }
    db.close().await;
    Ok(())
}
