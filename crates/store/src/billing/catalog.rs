//! Plans, their price versions and price changes with their notices, and promotions.

use super::*;

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

pub(crate) const PLAN_COLUMNS: &str = "code, name_ru, name_kk, name_en, limit_students, limit_staff, \
                            limit_storage_bytes, limit_courses";

pub(crate) fn plan_row(r: &AnyRow) -> Result<Plan> {
    let c = Cols::new(r, "");
    Ok(Plan {
        code: c.get("code")?,
        name_ru: c.get("name_ru")?,
        name_kk: c.get("name_kk")?,
        name_en: c.get("name_en")?,
        limit_students: c.get("limit_students")?,
        limit_staff: c.get("limit_staff")?,
        limit_storage_bytes: c.get("limit_storage_bytes")?,
        limit_courses: c.get("limit_courses")?,
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

pub(crate) const PLAN_PAGES: Keyset = Keyset {
    name: "plans",
    columns: &[("created_at", Kind::Int), ("code", Kind::Text)],
    desc: false,
};

/// A page of the plans that have a price in force on the local date `on`, oldest first, each
/// with those prices.
pub async fn plans_page(
    conn: &mut Conn,
    on: Date,
    req: &PageRequest,
) -> Result<Page<(Plan, Vec<Price>)>> {
    let select = format!(
        "SELECT {PLAN_COLUMNS}, created_at FROM plans WHERE EXISTS (SELECT 1 FROM plan_prices p \
         WHERE p.plan_code = plans.code AND p.effective_from <= $1)"
    );
    let parse = |r: &AnyRow| Ok((plan_row(r)?, Cols::new(r, "").get::<i64>("created_at")?));
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
pub(crate) async fn prices_in_force_of(
    conn: &mut Conn,
    on: Date,
    codes: &[&str],
) -> Result<Vec<Price>> {
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
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(on.to_string());
    for c in codes {
        q = q.bind(c.to_string());
    }
    let rows = q.fetch_all(&mut *conn).await?;
    rows.iter().map(price_row).collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct Price {
    pub plan_code: String,
    /// The price of the term (`amount_minor` and `currency` in JSON, as in the table).
    #[serde(flatten)]
    pub amount: Money,
    pub months: i64,
    pub decided_on: Date,
    pub effective_from: Date,
}

pub async fn add_price(conn: &mut Conn, p: &Price, now: Timestamp) -> Result<()> {
    sqlx::query(
        "INSERT INTO plan_prices (id, plan_code, currency, months, amount_minor, decided_on, \
         effective_from, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(new_id())
    .bind(&p.plan_code)
    .bind(p.amount.currency.as_str())
    .bind(p.months)
    .bind(p.amount.minor)
    .bind(p.decided_on.to_string())
    .bind(p.effective_from.to_string())
    .bind(to_micros(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub(crate) fn price_row(r: &AnyRow) -> Result<Price> {
    let c = Cols::new(r, "");
    Ok(Price {
        plan_code: c.get("plan_code")?,
        amount: c.money()?,
        months: c.get("months")?,
        decided_on: c.date("decided_on")?,
        effective_from: c.date("effective_from")?,
    })
}

/// The prices in force on a local date: per plan, currency and term, the version with the
/// latest effective date not after it.
pub async fn prices_in_force(conn: &mut Conn, on: Date) -> Result<Vec<Price>> {
    let rows = sqlx::query(
        "SELECT p.plan_code, p.currency, p.months, p.amount_minor, p.decided_on, \
         p.effective_from FROM plan_prices p WHERE p.effective_from <= $1 AND NOT EXISTS \
         (SELECT 1 FROM plan_prices q WHERE q.plan_code = p.plan_code AND q.currency = p.currency \
         AND q.months = p.months AND q.effective_from <= $1 AND q.effective_from > p.effective_from) \
         ORDER BY p.plan_code, p.currency, p.months",
    )
    .bind(on.to_string())
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

/// A price change as stored.
#[derive(Debug, Clone, Serialize)]
pub struct PriceChange {
    pub id: String,
    pub plan_code: String,
    pub decided_on: Date,
    pub effective_from: Date,
}

pub async fn create_price_change(
    conn: &mut Conn,
    plan_code: &str,
    decided_on: Date,
    effective_from: Date,
    now: Timestamp,
) -> Result<String> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO price_changes (id, plan_code, decided_on, effective_from, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&id)
    .bind(plan_code)
    .bind(decided_on.to_string())
    .bind(effective_from.to_string())
    .bind(to_micros(now))
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// The tenants a change of a plan's prices concerns: a contract in force with a period of that
/// plan, or an open invoice for it.
pub async fn tenants_on_plan(conn: &mut Conn, plan_code: &str) -> Result<Vec<TenantId>> {
    let rows = sqlx::query(
        "SELECT c.tenant_id FROM contracts c WHERE c.status IN ('in_force', 'terminating') \
         AND (EXISTS (SELECT 1 FROM licence_periods p WHERE p.contract_id = c.id \
         AND p.plan_code = $1) OR EXISTS (SELECT 1 FROM invoices i WHERE i.tenant_id = c.tenant_id \
         AND i.plan_code = $1 AND i.status IN ('issued', 'overdue'))) ORDER BY c.tenant_id",
    )
    .bind(plan_code)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| Cols::new(r, "").get::<TenantId>("tenant_id"))
        .collect()
}

pub async fn record_price_notice(
    conn: &mut Conn,
    change_id: &str,
    tenant_id: &TenantId,
    mail_id: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO price_change_notices (price_change_id, tenant_id, mail_id) VALUES ($1, $2, $3) \
         ON CONFLICT (price_change_id, tenant_id) DO NOTHING",
    )
    .bind(change_id)
    .bind(tenant_id.as_str())
    .bind(mail_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub(crate) fn change_row(r: &AnyRow) -> Result<PriceChange> {
    let c = Cols::new(r, "");
    Ok(PriceChange {
        id: c.get("id")?,
        plan_code: c.get("plan_code")?,
        decided_on: c.date("decided_on")?,
        effective_from: c.date("effective_from")?,
    })
}

/// Changes in effect by `today` whose past-due invoices were not reissued yet.
pub async fn changes_to_apply(conn: &mut Conn, today: Date) -> Result<Vec<PriceChange>> {
    let rows = sqlx::query(
        "SELECT id, plan_code, decided_on, effective_from FROM price_changes \
         WHERE applied_at IS NULL AND effective_from <= $1 ORDER BY effective_from, id",
    )
    .bind(today.to_string())
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
        .map(|r| Ok((change_row(r)?, Cols::new(r, "").get::<i64>("unsent")?)))
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
    effective_from: Date,
) -> Result<Vec<Invoice>> {
    let sql = format!(
        "SELECT {INVOICE_COLUMNS} FROM invoices WHERE plan_code = $1 \
         AND status IN ('issued', 'overdue') AND due_on < $2 ORDER BY number"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(plan_code)
        .bind(effective_from.to_string())
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(invoice_row).collect()
}

/// Upcoming price versions of a plan (effective after `today`).
pub async fn upcoming_prices(conn: &mut Conn, plan_code: &str, today: Date) -> Result<Vec<Price>> {
    let rows = sqlx::query(
        "SELECT plan_code, currency, months, amount_minor, decided_on, effective_from \
         FROM plan_prices WHERE plan_code = $1 AND effective_from > $2 \
         ORDER BY effective_from, currency, months",
    )
    .bind(plan_code)
    .bind(today.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(price_row).collect()
}

/// A promotion.
#[derive(Debug, Clone, Serialize)]
pub struct Promotion {
    pub code: String,
    pub kind: PromotionKind,
    pub value: i64,
    pub currency: Option<Currency>,
    /// The plans it applies to; empty: every plan.
    pub plans: Vec<String>,
    pub valid_from: Date,
    pub valid_to: Date,
}

impl Promotion {
    /// Whether it runs on `day` (both days included).
    pub fn runs_on(&self, day: Date) -> bool {
        (self.valid_from..=self.valid_to).contains(&day)
    }
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
    .bind(p.kind.as_str())
    .bind(p.value)
    .bind(p.currency.map(Currency::as_str))
    .bind(plans)
    .bind(p.valid_from.to_string())
    .bind(p.valid_to.to_string())
    .bind(to_micros(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub(crate) fn promotion_row(r: &AnyRow) -> Result<Promotion> {
    let c = Cols::new(r, "");
    let plans: String = c.get("plans")?;
    Ok(Promotion {
        code: c.get("code")?,
        kind: c.word("kind")?,
        value: c.get("value")?,
        currency: c.word_opt("currency")?,
        plans: serde_json::from_str(&plans).unwrap_or_default(),
        valid_from: c.date("valid_from")?,
        valid_to: c.date("valid_to")?,
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

pub(crate) const PROMOTION_PAGES: Keyset = Keyset {
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
