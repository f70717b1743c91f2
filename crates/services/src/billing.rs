//! Plans and prices, applications and invoices, payments and the licence chain (issue 4):
//! the rules of `domain::billing` applied in one transaction per use case, audited.

use std::collections::BTreeMap;

use educenter_domain::{
    billing::{
        Chain, Currency, Ending, LicenceFacts, LicenceState, Limits, Period, Placement, TERMS,
        TRIAL_LIMITS, first_purchase, proration_credit, renewal, state_on,
    },
    clock::local_date,
    money,
    roles::{OperatorAction, TenantAction},
};
use educenter_store::page::{Page, PageRequest};
use educenter_store::{
    Conn, accounts,
    audit::{self, Actor, Entry, Origin},
    billing::{self as store, Invoice, Line, Payment, Plan, Price, StoredPeriod},
    calendar, new_id, notices, tenancy,
};
use jiff::{Timestamp, civil::Date};
use serde_json::json;

use crate::Msg;
use crate::{
    ServiceError, Services,
    calendar::require_operator,
    jobs::{JobContext, JobRegistry},
    sessions::Principal,
    staff,
};

/// The largest value of a plan's limit (a count, or bytes: about 1 PB).
pub const MAX_LIMIT: i64 = 1_000_000_000_000_000;

pub const DAILY_JOB: &str = "billing.daily";

pub fn register(registry: &mut JobRegistry) {
    registry.handle(DAILY_JOB, daily);
    if let Ok(midnight) = educenter_domain::schedule::Schedule::daily_at(0, 0) {
        registry.schedule(DAILY_JOB, DAILY_JOB, midnight);
    }
}

pub(crate) fn actor(who: &Principal) -> Actor {
    Actor::Principal {
        kind: who.kind.clone(),
        id: who.user_id.clone(),
    }
}

pub(crate) fn invalid(field: &str, message: Msg) -> ServiceError {
    ServiceError::Invalid(vec![(field.to_owned(), message)])
}

/// A price of a plan as the operator enters it.
#[derive(Debug, Clone)]
pub struct PriceInput {
    pub currency: String,
    pub months: i64,
    pub amount_minor: i64,
    pub effective_from: String,
}

/// A new plan.
#[derive(Debug, Clone)]
pub struct PlanInput {
    pub code: String,
    pub name_ru: String,
    pub name_kk: String,
    pub name_en: String,
    pub limits: [i64; 4],
    pub prices: Vec<PriceInput>,
}

/// Checks prices; a change's effective dates may not precede its decision date (R-5.8a), while a
/// new plan's first prices may carry any date.
fn check_prices(
    prices: &[PriceInput],
    decided_on: Date,
    not_before: Option<Date>,
    prefix: &str,
    errors: &mut Vec<(String, Msg)>,
) -> Vec<Price> {
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    if prices.is_empty() {
        errors.push((prefix.to_owned(), Msg::new("err-prices-none")));
    }
    for (i, p) in prices.iter().enumerate() {
        let at = |f: &str| format!("{prefix}[{i}].{f}");
        let currency = Currency::parse(&p.currency);
        if currency.is_none() {
            errors.push((at("currency"), Msg::one_of(&["KZT", "EUR", "USD"])));
        }
        if !TERMS.iter().any(|t| i64::from(*t) == p.months) {
            errors.push((at("months"), Msg::new("err-months")));
        }
        if !money::is_line_amount(p.amount_minor) {
            errors.push((at("amount_minor"), Msg::amount()));
        }
        match p.effective_from.parse::<Date>() {
            Ok(d) if not_before.is_some_and(|n| d < n) => errors.push((
                at("effective_from"),
                Msg::new("err-not-before").date("date", decided_on),
            )),
            Ok(_) => {}
            Err(_) => errors.push((at("effective_from"), Msg::date_format())),
        }
        if !seen.insert((p.currency.clone(), p.months, p.effective_from.clone())) {
            errors.push((at("currency"), Msg::new("err-price-twice-term")));
        }
        out.push(Price {
            plan_code: String::new(),
            currency: p.currency.clone(),
            months: p.months,
            amount_minor: p.amount_minor,
            decided_on: decided_on.to_string(),
            effective_from: p.effective_from.clone(),
        });
    }
    out
}

/// Creates a plan with its first prices (super-admin).
pub async fn create_plan(
    services: &Services,
    who: &Principal,
    input: PlanInput,
    origin: Origin,
) -> Result<Plan, ServiceError> {
    require_operator(who, OperatorAction::ManagePlatform)?;
    let now = services.clock.now();
    let today = local_date(now);
    let mut errors = Vec::new();
    let code = input.code.trim().to_owned();
    if !(2..=32).contains(&code.len())
        || !code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    {
        errors.push(("code".into(), Msg::new("err-code-format")));
    }
    for (field, name) in [
        ("name.ru", &input.name_ru),
        ("name.kk", &input.name_kk),
        ("name.en", &input.name_en),
    ] {
        if let Some(m) = Msg::text_error(name, 1, 100, false) {
            errors.push((field.into(), m));
        }
    }
    for (field, value) in ["students", "staff", "storage_bytes", "courses"]
        .iter()
        .zip(input.limits)
    {
        // Far beyond any school, and small enough that sums and percentages never overflow.
        if !(0..=MAX_LIMIT).contains(&value) {
            errors.push((
                format!("limits.{field}"),
                Msg::new("err-range").num("min", 0).num("max", MAX_LIMIT),
            ));
        }
    }
    let mut prices = check_prices(&input.prices, today, None, "prices", &mut errors);
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let plan = Plan {
        code: code.clone(),
        name_ru: input.name_ru.trim().to_owned(),
        name_kk: input.name_kk.trim().to_owned(),
        name_en: input.name_en.trim().to_owned(),
        limit_students: input.limits[0],
        limit_staff: input.limits[1],
        limit_storage_bytes: input.limits[2],
        limit_courses: input.limits[3],
    };
    let mut tx = services.db.begin().await?;
    if store::plan(&mut tx, &code).await?.is_some() {
        return Err(ServiceError::Conflict(
            Msg::new("err-plan-exists").text("code", code),
        ));
    }
    store::create_plan(&mut tx, &plan, now).await?;
    for p in &mut prices {
        p.plan_code = code.clone();
        store::add_price(&mut tx, p, now).await?;
    }
    let entry = who
        .audit("plan.create")
        .target("plan", code.clone())
        .origin(origin)
        .details(json!({ "prices": prices }));
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(plan)
}

/// Adds price versions to a plan (super-admin), decided today or on `decided_on`.
pub async fn add_prices(
    services: &Services,
    who: &Principal,
    code: &str,
    decided_on: Option<&str>,
    prices: Vec<PriceInput>,
    origin: Origin,
) -> Result<Vec<Price>, ServiceError> {
    require_operator(who, OperatorAction::ManagePlatform)?;
    let now = services.clock.now();
    let today = local_date(now);
    let decided = match decided_on {
        None => today,
        Some(s) => match s.parse::<Date>() {
            Ok(d) if d <= today => d,
            Ok(_) => return Err(invalid("decided_on", Msg::new("err-future"))),
            Err(_) => return Err(invalid("decided_on", Msg::date_format())),
        },
    };
    let mut errors = Vec::new();
    // Not before the decision, and never retroactive (R-5.8a, A-19).
    let mut rows = check_prices(
        &prices,
        decided,
        Some(decided.max(today)),
        "prices",
        &mut errors,
    );
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let mut tx = services.db.begin().await?;
    let Some(plan) = store::plan(&mut tx, code).await? else {
        return Err(ServiceError::NotFound(Msg::new("err-no-plan")));
    };
    for p in &mut rows {
        p.plan_code = code.to_owned();
        store::add_price(&mut tx, p, now).await?;
    }
    // One change per effective date; every school in force on the plan is told now (R-5.8a).
    let mut dates: Vec<&str> = rows.iter().map(|p| p.effective_from.as_str()).collect();
    dates.sort_unstable();
    dates.dedup();
    let tenants = store::tenants_on_plan(&mut tx, code).await?;
    for effective in dates {
        let change =
            store::create_price_change(&mut tx, code, &decided.to_string(), effective, now).await?;
        let versions: Vec<&Price> = rows
            .iter()
            .filter(|p| p.effective_from == effective)
            .collect();
        for tenant_id in &tenants {
            let Some(tenant) = tenancy::get_in(&mut tx, tenant_id).await? else {
                continue;
            };
            let lang = owner_lang(&tenant);
            let prices = versions
                .iter()
                .map(|p| {
                    format!(
                        "{}: {}",
                        catalog().t_args(lang, "pricing-term", &{
                            let mut a = fluent_bundle::FluentArgs::new();
                            a.set("months", p.months);
                            a
                        }),
                        crate::i18n::format_money(lang, p.amount_minor, &p.currency)
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
            let effective_label = effective
                .parse::<Date>()
                .map(|d| crate::i18n::format_date(lang, d))
                .unwrap_or_else(|_| effective.to_owned());
            if let Some(mail_id) = mail_owner_bulk(
                &mut tx,
                &tenant,
                "price",
                &[
                    ("plan", plan_label(lang, &plan)),
                    ("effective", effective_label),
                    ("prices", prices),
                ],
                now,
            )
            .await?
            {
                store::record_price_notice(&mut tx, &change, tenant_id, &mail_id).await?;
            }
        }
    }
    let entry = who
        .audit("plan.prices")
        .target("plan", code.to_owned())
        .origin(origin)
        .details(json!({
            "decided_on": decided.to_string(),
            "prices": rows,
            "notified": tenants.len(),
        }));
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    services.mailer.wake();
    Ok(rows)
}

/// The plans with the prices in force on a date (public).
pub async fn catalogue(
    services: &Services,
    on: Date,
) -> Result<Vec<(Plan, Vec<Price>)>, ServiceError> {
    let plans = store::plans(&services.db).await?;
    let mut conn = services.db.conn().await?;
    let mut prices: BTreeMap<String, Vec<Price>> = BTreeMap::new();
    for p in store::prices_in_force(&mut conn, &on.to_string()).await? {
        prices.entry(p.plan_code.clone()).or_default().push(p);
    }
    Ok(plans
        .into_iter()
        .filter_map(|plan| {
            let p = prices.remove(&plan.code)?;
            Some((plan, p))
        })
        .collect())
}

/// A page of [`catalogue`]: the plans with a price in force on `on`, with those prices.
pub async fn catalogue_page(
    services: &Services,
    on: Date,
    req: &PageRequest,
) -> Result<Page<(Plan, Vec<Price>)>, ServiceError> {
    let mut conn = services.db.conn().await?;
    Ok(store::plans_page(&mut conn, &on.to_string(), req).await?)
}

/// What an application asks for.
#[derive(Debug, Clone, Default)]
pub struct Application {
    pub plan: String,
    pub months: i64,
    pub currency: String,
    pub services: Vec<(String, i64)>,
    pub promo_code: Option<String>,
}

/// An invoice with its lines.
#[derive(Debug, Clone)]
pub struct InvoiceView {
    pub invoice: Invoice,
    pub lines: Vec<Line>,
}

fn tenant_of(who: &Principal, action: TenantAction) -> Result<String, ServiceError> {
    staff::require(who, action).map(str::to_owned)
}

/// The current chain of the contract in force: its last period, if any.
async fn current_period(
    conn: &mut Conn,
    tenant_id: &str,
    contract_id: &str,
) -> Result<Option<StoredPeriod>, ServiceError> {
    Ok(store::periods(conn, tenant_id)
        .await?
        .into_iter()
        .filter(|p| p.contract_id == contract_id)
        .max_by(|a, b| a.to_on.cmp(&b.to_on)))
}

/// Files an application: one invoice for the plan and term in the currency, with a proration
/// credit when it changes the plan of a paid period and the credit balance used first.
pub async fn apply(
    services: &Services,
    who: &Principal,
    app: Application,
    origin: Origin,
) -> Result<InvoiceView, ServiceError> {
    apply_or_preview(services, who, app, origin, true).await
}

/// What [`apply`] would issue, computed the same way and then rolled back: the lines and total
/// a person confirms before applying (a plan change's credit shown first). Nothing is kept, not
/// even a number.
pub async fn preview(
    services: &Services,
    who: &Principal,
    app: Application,
    origin: Origin,
) -> Result<InvoiceView, ServiceError> {
    apply_or_preview(services, who, app, origin, false).await
}

async fn apply_or_preview(
    services: &Services,
    who: &Principal,
    app: Application,
    origin: Origin,
    keep: bool,
) -> Result<InvoiceView, ServiceError> {
    who.require_write()?;
    let tenant_id = tenant_of(who, TenantAction::ManageBilling)?;
    let now = services.clock.now();
    let today = local_date(now);
    let mut errors = Vec::new();
    let currency = Currency::parse(&app.currency);
    if currency.is_none() {
        errors.push(("currency".into(), Msg::one_of(&["KZT", "EUR", "USD"])));
    }
    if !TERMS.iter().any(|t| i64::from(*t) == app.months) {
        errors.push(("months".into(), Msg::new("err-months")));
    }

    let promo_code = app
        .promo_code
        .as_deref()
        .map(|c| c.trim().to_uppercase())
        .filter(|c| !c.is_empty());
    let cal = calendar::load(&services.db).await?;
    let mut tx = services.db.begin().await?;
    store::lock_tenant(&mut tx, &tenant_id).await?;
    let tenant = tenancy::get_in(&mut tx, &tenant_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-school")))?;
    if let Some(c) = currency
        && !c.allowed_for(tenant.resident)
    {
        errors.push(("currency".into(), Msg::new("err-resident-kzt")));
    }
    let plan = store::plan(&mut tx, &app.plan).await?;
    if plan.is_none() {
        errors.push(("plan".into(), Msg::new("err-no-plan")));
    }
    // Additional services from the catalogue at their list price; a price on request is agreed
    // by e-mail and invoiced through a quote instead (R-5.3).
    let catalogue = educenter_store::service_items::items(&mut tx, &today.to_string()).await?;
    let mut service_lines = Vec::new();
    for (i, (code, quantity)) in app.services.iter().enumerate() {
        let at = |f: &str| format!("services[{i}].{f}");
        let Some(item) = catalogue.iter().find(|s| s.code == *code) else {
            errors.push((at("code"), Msg::new("err-no-service").text("code", code)));
            continue;
        };
        if !(1..=10_000).contains(quantity) {
            errors.push((
                at("quantity"),
                Msg::new("err-range").num("min", 1).num("max", 10_000),
            ));
            continue;
        }
        if item.price_on_request {
            errors.push((
                at("code"),
                Msg::new("err-price-on-request").text("code", code),
            ));
            continue;
        }
        let Some((_, unit_price)) = item.prices.iter().find(|(c, _)| *c == app.currency) else {
            errors.push((
                at("code"),
                Msg::new("err-service-no-price")
                    .text("code", code)
                    .text("currency", app.currency.clone()),
            ));
            continue;
        };
        // Extra storage is per GB per month, for the licence's term.
        let (units, storage_bytes) = if item.unit == "gb_month" {
            (
                quantity.saturating_mul(app.months.max(1)),
                quantity.saturating_mul(educenter_domain::billing::BYTES_PER_GB),
            )
        } else {
            (*quantity, 0)
        };
        // One line is bounded like any amount entered: a price times a quantity past it is
        // refused, never wrapped.
        let Some(amount_minor) = money::line_amount(*unit_price, units) else {
            errors.push((at("quantity"), Msg::line_total()));
            continue;
        };
        service_lines.push(ServiceLine {
            code: item.code.clone(),
            words: Msg::new("line-service")
                .words("name", &item.name_ru, &item.name_kk, &item.name_en)
                .num("quantity", *quantity),
            amount_minor,
            storage_bytes,
        });
    }
    // A promotion applies when it runs today, covers the plan and, for a fixed amount, is in
    // the invoice's currency.
    let mut promo = None;
    if let Some(code) = &promo_code {
        let found = store::promotion(&mut tx, code).await?;
        let today_s = today.to_string();
        match found {
            Some(p)
                if p.valid_from <= today_s
                    && today_s <= p.valid_to
                    && (p.plans.is_empty() || p.plans.contains(&app.plan))
                    && (p.kind == "percent"
                        || p.currency.as_deref() == Some(app.currency.as_str())) =>
            {
                promo = Some(p);
            }
            _ => errors.push((
                "promo_code".into(),
                Msg::new("err-promo-not-applicable").text("code", code),
            )),
        }
    }
    let price = match (&plan, currency, errors.is_empty()) {
        (Some(plan), Some(c), true) => store::prices_in_force(&mut tx, &today.to_string())
            .await?
            .into_iter()
            .find(|p| {
                p.plan_code == plan.code && p.currency == c.as_str() && p.months == app.months
            }),
        _ => None,
    };
    let (Some(plan), Some(currency), Some(price), true) =
        (plan, currency, price.clone(), errors.is_empty())
    else {
        if errors.is_empty() {
            errors.push((
                "months".into(),
                Msg::new("err-plan-no-price")
                    .num("months", app.months)
                    .text("currency", app.currency.clone()),
            ));
        }
        return Err(ServiceError::Invalid(errors));
    };
    if let Some(open) = store::open_licence_invoice(&mut tx, &tenant_id).await? {
        // The renewal the system issued gives way to the licensee's own choice (another plan or
        // term) while nothing was paid against it; anything else must be paid first.
        if open.purpose != "renewal" || open.paid_minor > 0 {
            return Err(ServiceError::Conflict(
                Msg::new("err-invoice-open").text("number", open.number.clone()),
            ));
        }
        void(&mut tx, &open, "replaced_by_application", Some(who), now).await?;
    }

    let view = issue(
        &mut tx,
        &cal,
        &tenant,
        &plan,
        app.months,
        currency,
        price.amount_minor,
        IssueAs::Application,
        promo.as_ref(),
        &service_lines,
        now,
    )
    .await?;
    let invoice = &view.invoice;
    let entry = who
        .audit("invoice.issue")
        .tenant(tenant_id.clone())
        .target("invoice", invoice.id.clone())
        .origin(origin)
        .details(json!({
            "number": invoice.number,
            "purpose": invoice.purpose,
            "plan": plan.code,
            "months": app.months,
            "total_minor": invoice.total_minor,
            "currency": currency.as_str(),
        }));
    audit::record(&mut tx, &entry, now).await?;
    if keep {
        tx.commit().await?;
    } else {
        tx.rollback().await?;
    }
    Ok(view)
}

/// Voids an invoice: what the credit balance paid on it and any money received go back to the
/// balance, and the void is audited.
async fn void(
    tx: &mut Conn,
    invoice: &Invoice,
    reason: &str,
    who: Option<&Principal>,
    now: Timestamp,
) -> Result<(), ServiceError> {
    let tenant_id = &invoice.tenant_id;
    store::void_invoice(tx, tenant_id, &invoice.id, now).await?;
    let from_balance = money::saturating_sum(
        store::lines(tx, tenant_id, &invoice.id)
            .await?
            .iter()
            .filter(|l| l.kind == "credit_balance")
            .map(|l| l.amount_minor.saturating_neg()),
    );
    for (amount, why) in [
        (from_balance, "void_reversal"),
        (invoice.paid_minor, "voided_invoice"),
    ] {
        if amount > 0 {
            store::add_credit(
                tx,
                tenant_id,
                &invoice.currency,
                amount,
                why,
                Some(&invoice.id),
                None,
                now,
            )
            .await?;
        }
    }
    // A person's void names their API token too, when they used one (R-7.11).
    let entry = match who {
        Some(who) => who.audit("invoice.void"),
        None => Entry::new(Actor::System, "invoice.void"),
    }
    .tenant(tenant_id.clone())
    .target("invoice", invoice.id.clone())
    .details(json!({
        "number": invoice.number,
        "reason": reason,
        "returned_to_balance": money::add(from_balance.max(0), invoice.paid_minor),
    }));
    audit::record(tx, &entry, now).await?;
    Ok(())
}

/// An additional service on an invoice.
#[derive(Debug, Clone)]
pub struct ServiceLine {
    /// The service of the catalogue.
    pub code: String,
    /// The line's words.
    pub words: Msg,
    pub amount_minor: i64,
    /// Extra storage it grants for the paid period.
    pub storage_bytes: i64,
}

/// An invoice line with its words in the three languages.
fn line_of(kind: &str, words: &Msg, amount_minor: i64, service_code: Option<String>) -> Line {
    use crate::i18n::Lang;
    Line {
        kind: kind.to_owned(),
        description: words.render(Lang::Ru),
        description_kk: Some(words.render(Lang::Kk)),
        description_en: Some(words.render(Lang::En)),
        amount_minor,
        service_code,
    }
}

/// Why an invoice is issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueAs {
    /// The licensee's application: a renewal, a plan change or a first purchase, told apart by
    /// the paid period in force.
    Application,
    /// The renewal the daily run issues 10 days before L (A-9).
    Renewal,
    /// A new contract after 7 days late (A-9, R-5.1.1).
    NewContract,
}

/// Issues a licence invoice in the caller's transaction: the licence line, a proration credit
/// for a plan change, the credit balance used, a gapless number, due in 3 business days; an
/// invoice the credit pays in full is paid at once.
#[allow(clippy::too_many_arguments)]
async fn issue(
    tx: &mut Conn,
    cal: &educenter_domain::calendar::BusinessCalendar,
    tenant: &tenancy::Tenant,
    plan: &Plan,
    months: i64,
    currency: Currency,
    amount_minor: i64,
    issue_as: IssueAs,
    discount: Option<&store::Promotion>,
    services: &[ServiceLine],
    now: Timestamp,
) -> Result<InvoiceView, ServiceError> {
    let today = local_date(now);
    let tenant_id = tenant.id.clone();
    let mut lines = vec![line_of(
        "licence",
        &Msg::new("line-licence")
            .words("plan", &plan.name_ru, &plan.name_kk, &plan.name_en)
            .num("months", months),
        amount_minor,
        None,
    )];
    if let Some(promo) = discount {
        let off = match promo.kind.as_str() {
            "percent" => educenter_domain::billing::percent_of(
                amount_minor,
                u8::try_from(promo.value).unwrap_or(100),
            ),
            _ => promo.value,
        }
        .min(amount_minor);
        if off > 0 {
            lines.push(line_of(
                "discount",
                &Msg::new("line-discount").text("code", promo.code.clone()),
                -off,
                None,
            ));
        }
    }
    // What the period costs: the licence after its discount (credits are paid by other money).
    let amount_minor = money::saturating_sum(lines.iter().map(|l| l.amount_minor));
    // Additional services are lines of their own, never part of the plan price (R-1.9).
    let mut extra_storage_bytes = 0;
    for s in services {
        lines.push(line_of(
            "service",
            &s.words,
            s.amount_minor,
            Some(s.code.clone()),
        ));
        extra_storage_bytes = money::add(extra_storage_bytes, s.storage_bytes);
    }
    let mut purpose = match issue_as {
        IssueAs::Application => "licence",
        IssueAs::Renewal => "renewal",
        IssueAs::NewContract => "licence",
    };
    let mut excess_credit = 0;
    if issue_as == IssueAs::Application
        && let Some(contract) = tenancy::contract_in_force(tx, &tenant_id).await?
        && let Some(current) = current_period(tx, &tenant_id, &contract.id).await?
    {
        let to: Date = current.to_on.parse().map_err(|_| corrupt("period"))?;
        let from: Date = current.from_on.parse().map_err(|_| corrupt("period"))?;
        if current.plan_code != plan.code && from > today {
            // The renewal is paid already: the plan can change once that period has begun.
            return Err(ServiceError::Conflict(
                Msg::new("err-plan-change-later")
                    .date("from", from)
                    .date("to", to),
            ));
        }
        if current.plan_code == plan.code {
            purpose = "renewal";
        } else if to >= today {
            if current.currency != currency.as_str() {
                return Err(invalid("currency", Msg::new("err-plan-change-currency")));
            }
            purpose = "plan_change";
            let credit = proration_credit(current.paid_minor, Period { from, to }, today);
            // A credit above the new price goes to the credit balance when paid (R-4.5b).
            excess_credit = (credit - amount_minor).max(0);
            let credit = credit.min(amount_minor);
            if credit > 0 {
                lines.push(line_of(
                    "proration_credit",
                    &Msg::new("line-proration").date("from", from).date("to", to),
                    -credit,
                    None,
                ));
            }
        } else {
            purpose = "renewal";
        }
    }
    // A document past its maximum is refused before anything is written (issue 15, item 16).
    let subtotal = money::document_total(lines.iter().map(|l| l.amount_minor))
        .ok_or_else(|| invalid("services", Msg::document_total()))?;
    let balance = store::credit_balance(tx, &tenant_id, currency.as_str()).await?;
    let used = balance.min(subtotal).max(0);
    if used > 0 {
        lines.push(line_of(
            "credit_balance",
            &Msg::new("line-credit"),
            -used,
            None,
        ));
    }
    // The credit used is at most the subtotal: the total stays within the document's bound.
    let total = subtotal - used;
    let number = store::next_invoice_number(tx, today.year()).await?;
    let due = educenter_domain::billing::due_on(cal, today);
    crate::calendar::note_gaps(tx, cal, today, due.date, now).await?;
    let owner = accounts::people(tx, &tenant_id)
        .await?
        .into_iter()
        .find(|u| u.kind == "owner");
    let mut invoice = Invoice {
        id: new_id(),
        tenant_id: tenant_id.clone(),
        number,
        purpose: purpose.into(),
        plan_code: plan.code.clone(),
        months,
        currency: currency.as_str().into(),
        total_minor: total,
        paid_minor: 0,
        excess_credit_minor: excess_credit,
        extra_storage_bytes,
        status: "issued".into(),
        issued_at: now,
        issued_on: today.to_string(),
        due_on: due.date.to_string(),
        due_on_provisional: due.provisional,
        paid_on: None,
        supplier: crate::documents::supplier_snapshot(&mut *tx).await?,
        customer: json!({
            "name": tenant.name,
            "kind": tenant.kind,
            "bin_iin": tenant.bin_iin,
            "resident": tenant.resident,
            "email": owner.as_ref().map(|u| u.email.clone()),
            "address": educenter_store::documents::tenant_settings(&mut *tx, &tenant.id).await?.1,
        }),
    };
    store::create_invoice(tx, &invoice, &lines).await?;
    if used > 0 {
        store::add_credit(
            tx,
            &tenant_id,
            currency.as_str(),
            -used,
            "applied",
            Some(&invoice.id),
            None,
            now,
        )
        .await?;
    }
    if total == 0 {
        // The credit pays it all: paid on issue.
        store::add_paid(tx, &tenant_id, &invoice.id, 0, Some(&today.to_string())).await?;
        invoice.status = "paid".into();
        invoice.paid_on = Some(today.to_string());
        activate(tx, &invoice, today, now).await?;
    }
    Ok(InvoiceView { invoice, lines })
}

fn corrupt(what: &str) -> ServiceError {
    ServiceError::Internal(format!("stored {what} is not a date"))
}

/// The school's invoices (owner, administrator, accountant).
pub async fn invoices(services: &Services, who: &Principal) -> Result<Vec<Invoice>, ServiceError> {
    let tenant_id = tenant_of(who, TenantAction::ManageBilling)?;
    let mut conn = services.db.conn().await?;
    Ok(store::invoices(&mut conn, &tenant_id).await?)
}

/// A page of the school's invoices, newest first.
pub async fn invoices_page(
    services: &Services,
    who: &Principal,
    req: &PageRequest,
) -> Result<Page<Invoice>, ServiceError> {
    let tenant_id = tenant_of(who, TenantAction::ManageBilling)?;
    let mut conn = services.db.conn().await?;
    Ok(store::invoices_page(&mut conn, &tenant_id, req).await?)
}

/// One invoice of the school with its lines; another school's id is not found.
pub async fn invoice(
    services: &Services,
    who: &Principal,
    id: &str,
) -> Result<InvoiceView, ServiceError> {
    let tenant_id = tenant_of(who, TenantAction::ManageBilling)?;
    let mut conn = services.db.conn().await?;
    let invoice = store::invoice(&mut conn, &tenant_id, id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-invoice")))?;
    let lines = store::lines(&mut conn, &tenant_id, id).await?;
    Ok(InvoiceView { invoice, lines })
}

/// A bank transfer as the billing officer records it.
#[derive(Debug, Clone)]
pub struct BankTransfer {
    pub invoice_number: String,
    pub amount_minor: i64,
    pub currency: String,
    pub received_on: String,
    pub reference: String,
}

/// Records a bank transfer (billing officer, R-5.6): the same reference twice records one
/// payment (`created` false, the first returned). Partial payments add up; the completing one
/// marks the invoice paid on its value date and places the paid period; any excess goes to the
/// credit balance.
pub async fn record_transfer(
    services: &Services,
    who: &Principal,
    t: BankTransfer,
    origin: Origin,
) -> Result<(Payment, bool), ServiceError> {
    require_operator(who, OperatorAction::ManageBilling)?;
    let now = services.clock.now();
    let (reference, received_on) = check_money(
        &t.reference,
        t.amount_minor,
        &t.currency,
        &t.received_on,
        local_date(now),
    )?;
    let mut tx = services.db.begin().await?;
    let found = store::invoice_by_number(&mut tx, t.invoice_number.trim()).await?;
    // One payment of a school at a time (PostgreSQL; SQLite writes are serial anyway); then
    // the reference and the invoice are read again under the lock.
    if let Some(i) = &found {
        store::lock_tenant(&mut tx, &i.tenant_id).await?;
    }
    if let Some(first) = store::payment_by_reference(&mut tx, "bank_transfer", &reference).await? {
        return Ok((first, false));
    }
    if let Some(r) = educenter_store::receipts::by_reference(&mut tx, &reference).await? {
        return Err(ServiceError::Conflict(
            Msg::new("err-reference-receipt")
                .text("reference", r.reference.clone())
                .text("date", r.received_on.clone()),
        ));
    }
    let invoice = match found {
        Some(i) => store::invoice_by_id(&mut tx, &i.id).await?,
        None => None,
    }
    .ok_or_else(|| {
        ServiceError::NotFound(
            Msg::new("err-no-invoice-number").text("number", t.invoice_number.trim()),
        )
    })?;
    let money = Money {
        reference,
        amount_minor: t.amount_minor,
        currency: t.currency.clone(),
        received_on,
    };
    let payment = pay_by_transfer(&mut tx, who, &invoice, &money, now, origin).await?;
    tx.commit().await?;
    Ok((payment, true))
}

/// Money seen on the bank account, checked: what a transfer and a receipt share.
pub(crate) struct Money {
    pub reference: String,
    pub amount_minor: i64,
    pub currency: String,
    pub received_on: Date,
}

/// Checks a bank reference, amount, currency and receipt date (not in the future); returns
/// the trimmed reference and the date.
pub(crate) fn check_money(
    reference: &str,
    amount_minor: i64,
    currency: &str,
    received_on: &str,
    today: Date,
) -> Result<(String, Date), ServiceError> {
    let mut errors = Vec::new();
    let reference = reference.trim().to_owned();
    if let Some(m) = Msg::text_error(&reference, 1, 100, false) {
        errors.push(("reference".into(), m));
    }
    if !money::is_line_amount(amount_minor) {
        errors.push(("amount_minor".into(), Msg::amount()));
    }
    if Currency::parse(currency).is_none() {
        errors.push(("currency".into(), Msg::one_of(&["KZT", "EUR", "USD"])));
    }
    let received_on = match received_on.parse::<Date>() {
        Ok(d) if d > today => {
            errors.push(("received_on".into(), Msg::new("err-future")));
            None
        }
        Ok(d) => Some(d),
        Err(_) => {
            errors.push(("received_on".into(), Msg::date_format()));
            None
        }
    };
    match (received_on, errors.is_empty()) {
        (Some(d), true) => Ok((reference, d)),
        _ => Err(ServiceError::Invalid(errors)),
    }
}

/// Records money received by bank transfer against an invoice, allocates it and audits it,
/// in the caller's transaction (the school is locked by the caller).
pub(crate) async fn pay_by_transfer(
    tx: &mut Conn,
    who: &Principal,
    invoice: &Invoice,
    money: &Money,
    now: Timestamp,
    origin: Origin,
) -> Result<Payment, ServiceError> {
    if invoice.currency != money.currency {
        return Err(invalid(
            "currency",
            Msg::new("err-invoice-currency").text("currency", invoice.currency.clone()),
        ));
    }
    // Money for a void invoice is not refused: it goes to the credit balance (R-5.2).
    let payment = Payment {
        id: new_id(),
        tenant_id: invoice.tenant_id.clone(),
        invoice_id: invoice.id.clone(),
        channel: "bank_transfer".into(),
        reference: money.reference.clone(),
        amount_minor: money.amount_minor,
        currency: money.currency.clone(),
        received_on: money.received_on.to_string(),
        recorded_at: now,
    };
    store::insert_payment(tx, &payment, Some(&who.user_id)).await?;
    let outcome = allocate(tx, invoice, &payment, money.received_on, now).await?;
    let entry = who
        .audit("payment.record")
        .tenant(invoice.tenant_id.clone())
        .target("payment", payment.id.clone())
        .origin(origin)
        .details(json!({
            "invoice": invoice.number,
            "amount_minor": money.amount_minor,
            "currency": money.currency,
            "received_on": payment.received_on,
            "reference": money.reference,
            "outcome": outcome,
        }));
    audit::record(tx, &entry, now).await?;
    Ok(payment)
}

/// Allocates a payment to its invoice: returns what happened (`partial`, `paid`, `credited`).
pub(crate) async fn allocate(
    tx: &mut Conn,
    invoice: &Invoice,
    payment: &Payment,
    received_on: Date,
    now: Timestamp,
) -> Result<&'static str, ServiceError> {
    let reopened = reopen_if_paid_in_time(tx, invoice, received_on, now).await?;
    let invoice = reopened.as_ref().unwrap_or(invoice);
    let tenant_id = &invoice.tenant_id;
    if invoice.status == "paid" || invoice.status == "void" {
        store::add_credit(
            tx,
            tenant_id,
            &payment.currency,
            payment.amount_minor,
            "overpayment",
            Some(&invoice.id),
            Some(&payment.id),
            now,
        )
        .await?;
        return Ok("credited");
    }
    let owed = invoice.total_minor.saturating_sub(invoice.paid_minor);
    if payment.amount_minor < owed {
        store::add_paid(tx, tenant_id, &invoice.id, payment.amount_minor, None).await?;
        return Ok("partial");
    }
    let paid_on = received_on.to_string();
    store::add_paid(tx, tenant_id, &invoice.id, owed, Some(&paid_on)).await?;
    let excess = payment.amount_minor - owed;
    if excess > 0 {
        store::add_credit(
            tx,
            tenant_id,
            &payment.currency,
            excess,
            "overpayment",
            Some(&invoice.id),
            Some(&payment.id),
            now,
        )
        .await?;
    }
    let mut paid = invoice.clone();
    paid.status = "paid".into();
    paid.paid_minor = invoice.total_minor;
    paid.paid_on = Some(paid_on);
    activate(tx, &paid, received_on, now).await?;
    Ok("paid")
}

/// Money for a renewal that was voided at L + 7 whose receipt date is before L + 7 arrived in
/// time (A-6, R-5.6: the value date counts, not the day it was keyed in or called back): the
/// contract that ended for late payment goes back in force, the new contract's invoice that
/// replaced the renewal is voided, and the renewal is open again, to be paid by this money.
/// Returns the renewal as it now stands, or `None` when nothing was reopened.
async fn reopen_if_paid_in_time(
    tx: &mut Conn,
    invoice: &Invoice,
    received_on: Date,
    now: Timestamp,
) -> Result<Option<Invoice>, ServiceError> {
    let tenant_id = &invoice.tenant_id;
    if invoice.status != "void" || invoice.purpose != "renewal" {
        return Ok(None);
    }
    let Some((contract_id, status, reason)) = store::latest_contract(tx, tenant_id).await? else {
        return Ok(None);
    };
    if status != "ended" || reason.as_deref() != Some("late_payment") {
        return Ok(None);
    }
    let Some(last) = store::periods(tx, tenant_id)
        .await?
        .into_iter()
        .filter(|p| p.contract_id == contract_id)
        .filter_map(|p| p.to_on.parse::<Date>().ok())
        .max()
    else {
        return Ok(None);
    };
    if educenter_domain::billing::days_between(last, received_on)
        >= educenter_domain::billing::LATE_DAYS
    {
        return Ok(None);
    }
    // Undo the late-payment day in the order it was done: the replacement first.
    for open in store::open_invoices(tx, tenant_id).await? {
        if open.id != invoice.id && open.purpose == "licence" && open.paid_minor == 0 {
            void(tx, &open, "renewal_paid_in_time", None, now).await?;
        }
    }
    // Take back what voiding the renewal gave to the balance.
    let from_balance = money::saturating_sum(
        store::lines(tx, tenant_id, &invoice.id)
            .await?
            .iter()
            .filter(|l| l.kind == "credit_balance")
            .map(|l| l.amount_minor.saturating_neg()),
    );
    let returned = money::add(from_balance.max(0), invoice.paid_minor);
    if returned > 0 {
        store::add_credit(
            tx,
            tenant_id,
            &invoice.currency,
            -returned,
            "unvoid",
            Some(&invoice.id),
            None,
            now,
        )
        .await?;
    }
    store::unvoid_invoice(tx, tenant_id, &invoice.id).await?;
    store::reopen_contract(tx, tenant_id, &contract_id).await?;
    tenancy::set_purge(tx, tenant_id, None).await?;
    let entry = Entry::new(Actor::System, "contract.reopen")
        .tenant(tenant_id.clone())
        .target("contract", contract_id)
        .details(json!({
            "invoice": invoice.number,
            "received_on": received_on.to_string(),
            "last_paid_day": last.to_string(),
        }));
    audit::record(tx, &entry, now).await?;
    Ok(store::invoice_by_id(tx, &invoice.id).await?)
}

/// Places the paid period of a fully paid licence invoice in the ledger (A-5, A-7, R-4.5b,
/// R-5.1.1, R-5.1.2), starting a new contract where the delay ended the old one, and records an
/// acceptance by payment where the school has none (R-2.2c).
async fn activate(
    tx: &mut Conn,
    invoice: &Invoice,
    paid_on: Date,
    now: Timestamp,
) -> Result<(), ServiceError> {
    let tenant_id = &invoice.tenant_id;
    if invoice.purpose == "service" {
        // Paying a quote's invoice accepts the quote (R-5.3); no licence time is bought.
        if store::accept_quote(tx, tenant_id, &invoice.id).await? {
            let entry = Entry::new(Actor::System, "quote.accepted_by_payment")
                .tenant(tenant_id.clone())
                .target("invoice", invoice.id.clone())
                .details(json!({ "number": invoice.number, "paid_on": paid_on.to_string() }));
            audit::record(tx, &entry, now).await?;
        }
        return Ok(());
    }
    let tenant = tenancy::get_in(tx, tenant_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-school")))?;
    if tenant.purged_at.is_some() {
        // After the purge nothing can be restored: the money waits on the balance for the
        // operator to refund or use (R-4.4b).
        store::add_credit(
            tx,
            tenant_id,
            &invoice.currency,
            invoice.paid_minor,
            "paid_after_purge",
            Some(&invoice.id),
            None,
            now,
        )
        .await?;
        return Ok(());
    }
    // Paid while the data is kept: nothing will be purged (R-4.4b).
    if tenant.purge_on.is_some() {
        tenancy::set_purge(tx, tenant_id, None).await?;
    }
    let created_on = local_date(tenant.created_at);
    let trial_ends_on: Date = tenant
        .trial_ends_on
        .parse()
        .map_err(|_| corrupt("trial end"))?;
    let contract = tenancy::contract_in_force(tx, tenant_id).await?;
    let all_periods = store::periods(tx, tenant_id).await?;
    let ever_paid = !all_periods.is_empty();
    let current = contract.as_ref().and_then(|c| {
        all_periods
            .into_iter()
            .filter(|p| p.contract_id == c.id)
            .max_by(|a, b| a.to_on.cmp(&b.to_on))
    });
    // What the school pays for is the price of the period: the licence line, before credits.
    let lines = store::lines(tx, tenant_id, &invoice.id).await?;
    let period_price = money::saturating_sum(
        lines
            .iter()
            .filter(|l| l.kind == "licence" || l.kind == "discount")
            .map(|l| l.amount_minor),
    );
    let placement = match (&current, invoice.purpose.as_str()) {
        (Some(old), "plan_change") => {
            if invoice.excess_credit_minor > 0 {
                store::add_credit(
                    tx,
                    tenant_id,
                    &invoice.currency,
                    invoice.excess_credit_minor,
                    "plan_change_credit",
                    Some(&invoice.id),
                    None,
                    now,
                )
                .await?;
            }
            // The old period closes on the payment day; the new plan runs from the day after.
            if old.to_on.as_str() > paid_on.to_string().as_str() {
                let credited = money::saturating_sum(
                    lines
                        .iter()
                        .filter(|l| l.kind == "proration_credit")
                        .map(|l| l.amount_minor.saturating_neg()),
                );
                store::close_period(
                    tx,
                    tenant_id,
                    &old.invoice_id,
                    &paid_on.to_string(),
                    credited,
                )
                .await?;
            }
            let (period, chain) = Chain::start(paid_on, invoice.months);
            Placement::NewChain { period, chain }
        }
        (Some(old), _) => {
            let chain = Chain {
                anchor: old.anchor_on.parse().map_err(|_| corrupt("anchor"))?,
                months: old.chain_months,
            };
            renewal(chain, paid_on, invoice.months)
        }
        (None, _) if contract.is_some() && !ever_paid => {
            first_purchase(created_on, trial_ends_on, paid_on, invoice.months)
        }
        (None, _) => {
            let (period, chain) = Chain::start(paid_on, invoice.months);
            Placement::NewContract { period, chain }
        }
    };
    // The acceptance and a new contract are dated by the receipt (value) date of the money,
    // not the moment it was keyed in (R-2.2c, R-5.6).
    let received_at = educenter_domain::clock::dated(paid_on, now);
    let offer_version = match tenancy::accepted_version(tx, tenant_id).await? {
        Some(v) => v,
        None => {
            // A first full payment with no acceptance accepts the offer in force (R-2.2c).
            let current = educenter_store::offers::current(tx, received_at)
                .await?
                .ok_or_else(|| ServiceError::Internal("no offer is published".into()))?;
            tenancy::accept(
                tx,
                tenant_id,
                None,
                current.number,
                "payment",
                received_at,
                None,
                None,
            )
            .await?;
            current.number
        }
    };
    let contract_id = match (&placement, &contract) {
        (Placement::NewContract { .. }, old) | (_, old @ None) => {
            if let Some(old) = old {
                // The new contract starts at the money's receipt; the old one ends there too,
                // so that the two never overlap (R-5.6).
                let ends_at = received_at.min(now);
                store::lapse_contract(tx, tenant_id, &old.id, ends_at, "late_payment").await?;
                let entry = Entry::new(Actor::System, "contract.end")
                    .tenant(tenant_id.clone())
                    .target("contract", old.id.clone())
                    .details(json!({ "reason": "late_payment" }));
                audit::record(tx, &entry, now).await?;
            }
            let id = tenancy::start_contract(tx, tenant_id, offer_version, received_at).await?;
            let entry = Entry::new(Actor::System, "contract.start")
                .tenant(tenant_id.clone())
                .target("contract", id.clone())
                .details(json!({ "invoice": invoice.number }));
            audit::record(tx, &entry, now).await?;
            id
        }
        (_, Some(c)) => c.id.clone(),
    };
    let period = placement.period();
    let chain = placement.chain();
    store::insert_period(
        tx,
        tenant_id,
        &StoredPeriod {
            contract_id,
            invoice_id: invoice.id.clone(),
            plan_code: invoice.plan_code.clone(),
            from_on: period.from.to_string(),
            to_on: period.to.to_string(),
            anchor_on: chain.anchor.to_string(),
            chain_months: chain.months,
            paid_minor: period_price,
            currency: invoice.currency.clone(),
        },
        now,
    )
    .await?;
    if invoice.extra_storage_bytes > 0 {
        store::add_storage_grant(
            tx,
            tenant_id,
            &invoice.id,
            invoice.extra_storage_bytes,
            &period.from.to_string(),
            &period.to.to_string(),
        )
        .await?;
    }
    let entry = Entry::new(Actor::System, "licence.period")
        .tenant(tenant_id.clone())
        .target("invoice", invoice.id.clone())
        .details(json!({
            "from": period.from.to_string(),
            "to": period.to.to_string(),
            "plan": invoice.plan_code,
        }));
    audit::record(tx, &entry, now).await?;
    refresh(tx, tenant_id, now).await
}

/// The facts the licence state depends on, read in the caller's transaction.
struct Facts {
    facts: LicenceFacts,
    periods: Vec<StoredPeriod>,
    open_due: Option<Date>,
    notice_ends: Option<Date>,
    contract: Option<tenancy::Contract>,
    open: Option<Invoice>,
    /// (warning's last day, purge day) of a school that lapsed or refused.
    purge: Option<(Date, Date)>,
}

impl Facts {
    fn next_event(&self, today: Date) -> Option<String> {
        educenter_domain::billing::next_event(
            &self.facts,
            self.open_due,
            self.notice_ends,
            self.purge,
            today,
        )
        .map(|d| d.to_string())
    }

    /// The last period of the contract in force.
    fn current_period(&self) -> Option<&StoredPeriod> {
        let c = self.contract.as_ref()?;
        self.periods
            .iter()
            .filter(|p| p.contract_id == c.id)
            .max_by(|a, b| a.to_on.cmp(&b.to_on))
    }
}

async fn facts(
    conn: &mut Conn,
    tenant: &tenancy::Tenant,
    today: Date,
) -> Result<Facts, ServiceError> {
    let contract = tenancy::contract_in_force(conn, &tenant.id).await?;
    let periods = store::periods(conn, &tenant.id).await?;
    let paid_through = contract.as_ref().and_then(|c| {
        periods
            .iter()
            .filter(|p| p.contract_id == c.id)
            .filter_map(|p| p.to_on.parse::<Date>().ok())
            .max()
    });
    let notice = notices::pending(conn, &tenant.id, &today.to_string()).await?;
    let open = store::open_licence_invoice(conn, &tenant.id).await?;
    let facts = LicenceFacts {
        trial_ends_on: tenant
            .trial_ends_on
            .parse()
            .map_err(|_| corrupt("trial end"))?,
        application_deadline: tenant
            .application_deadline
            .parse()
            .map_err(|_| corrupt("deadline"))?,
        paid_through,
        // An invoice past its due date no longer holds the school in trial_expired (R-4.2).
        open_licence_invoice: open.as_ref().is_some_and(|i| i.status == "issued"),
        notice_pending: notice.is_some(),
        ended: match &contract {
            Some(_) => None,
            None => Some(Ending::of_reason(
                &store::last_end_reason(conn, &tenant.id)
                    .await?
                    .unwrap_or_default(),
            )),
        },
        purged: tenant.purged_at.is_some(),
    };
    Ok(Facts {
        facts,
        periods,
        open_due: open.as_ref().and_then(|i| i.due_on.parse().ok()),
        notice_ends: notice.and_then(|n| n.effective_on.parse().ok()),
        contract,
        open,
        purge: match (&tenant.purge_warning_on, &tenant.purge_on) {
            (Some(w), Some(p)) => w.parse().ok().zip(p.parse().ok()),
            _ => None,
        },
    })
}

/// Brings the stored state to the state on `today`; a change is audited. Returns the state.
async fn refresh_state(
    conn: &mut Conn,
    tenant_id: &str,
    today: Date,
    now: Timestamp,
) -> Result<LicenceState, ServiceError> {
    let tenant = tenancy::get_in(conn, tenant_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-school")))?;
    let f = facts(conn, &tenant, today).await?;
    Ok(refresh_state_with(conn, &tenant, &f, today, now).await?.0)
}

/// [`refresh_state`] with the school and its facts already read; also says whether the
/// contract lapsed just now.
async fn refresh_state_with(
    conn: &mut Conn,
    tenant: &tenancy::Tenant,
    f: &Facts,
    today: Date,
    now: Timestamp,
) -> Result<(LicenceState, bool), ServiceError> {
    let tenant_id = tenant.id.as_str();
    let state = state_on(&f.facts, today);
    let mut lapsed = false;
    if tenant.state != state.as_str() {
        store::set_state(conn, tenant_id, state.as_str()).await?;
        let entry = Entry::new(Actor::System, "licence.state")
            .tenant(tenant_id.to_owned())
            .details(json!({ "from": tenant.state, "to": state.as_str() }));
        audit::record(conn, &entry, now).await?;
        // Every change of state is e-mailed to the owner (SPEC 3.0), once.
        if store::claim_notice(
            conn,
            tenant_id,
            "state",
            &format!("{}:{today}", state.as_str()),
            now,
        )
        .await?
        {
            let lang = owner_lang(tenant);
            let i18n = catalog();
            mail_owner(
                conn,
                tenant,
                "state",
                &[
                    ("state", i18n.t(lang, &format!("state-{}", state.as_str()))),
                    (
                        "text",
                        i18n.t(lang, &format!("state-{}-text", state.as_str())),
                    ),
                ],
                now,
            )
            .await?;
        }
        // Lapsed or terminated: the data is kept 60 days from today, the owner warned 10
        // business days before the purge (R-4.4a, R-8.2, A-14), unless a refusal or a
        // termination for breach already set the day.
        if matches!(state, LicenceState::Lapsed | LicenceState::Terminated)
            && tenant.purge_on.is_none()
            && tenant.purged_at.is_none()
        {
            let cal = educenter_store::calendar::load_in(conn).await?;
            let dates = educenter_domain::offers::refusal_dates(&cal, today);
            crate::calendar::note_gaps(conn, &cal, today, dates.purge_on, now).await?;
            tenancy::set_purge(
                conn,
                tenant_id,
                Some((
                    &dates.purge_on.to_string(),
                    &dates.warning_by.date.to_string(),
                )),
            )
            .await?;
        }
        if state == LicenceState::Lapsed
            && let Some(c) = &f.contract
        {
            let reason = if f.facts.paid_through.is_some() {
                "late_payment"
            } else {
                "no_application"
            };
            store::lapse_contract(conn, tenant_id, &c.id, now, reason).await?;
            let entry = Entry::new(Actor::System, "contract.end")
                .tenant(tenant_id.to_owned())
                .target("contract", c.id.clone())
                .details(json!({ "reason": reason }));
            audit::record(conn, &entry, now).await?;
            lapsed = true;
        }
    }
    Ok((state, lapsed))
}

/// Records the next day the daily run has something to do for a school.
async fn schedule_next(conn: &mut Conn, tenant_id: &str, today: Date) -> Result<(), ServiceError> {
    let Some(tenant) = tenancy::get_in(conn, tenant_id).await? else {
        return Ok(());
    };
    let f = facts(conn, &tenant, today).await?;
    store::set_billing_due(conn, tenant_id, f.next_event(today).as_deref()).await?;
    Ok(())
}

/// Brings a school's recorded state up to date now, after something outside billing changed
/// its contract (a notice filed, withdrawn or taking effect, a refusal).
pub async fn refresh(conn: &mut Conn, tenant_id: &str, now: Timestamp) -> Result<(), ServiceError> {
    refresh_state(conn, tenant_id, local_date(now), now).await?;
    schedule_next(conn, tenant_id, local_date(now)).await
}

/// The message catalogs for the daily run's e-mails (the same files the pages use).
pub(crate) fn catalog() -> &'static crate::i18n::I18n {
    static CATALOG: std::sync::OnceLock<crate::i18n::I18n> = std::sync::OnceLock::new();
    CATALOG.get_or_init(|| crate::i18n::I18n::load().expect("the shipped catalogs load"))
}

/// Queues a message to the school's owner, in their language, with the school's name and the
/// owner's name as `org` and `name`.
pub(crate) async fn mail_owner(
    conn: &mut Conn,
    tenant: &tenancy::Tenant,
    key: &str,
    args: &[(&'static str, String)],
    now: Timestamp,
) -> Result<Option<String>, ServiceError> {
    let class = educenter_store::outbox::MailClass::Transactional;
    mail_owner_as(conn, tenant, key, args, class, now).await
}

/// [`mail_owner`] for a notice sent to many schools at once (price changes, monthly acts): bulk
/// mail, after what people wait for, taking turns between schools.
pub(crate) async fn mail_owner_bulk(
    conn: &mut Conn,
    tenant: &tenancy::Tenant,
    key: &str,
    args: &[(&'static str, String)],
    now: Timestamp,
) -> Result<Option<String>, ServiceError> {
    let class = educenter_store::outbox::MailClass::Bulk {
        tenant_id: tenant.id.clone(),
    };
    mail_owner_as(conn, tenant, key, args, class, now).await
}

async fn mail_owner_as(
    conn: &mut Conn,
    tenant: &tenancy::Tenant,
    key: &str,
    args: &[(&'static str, String)],
    class: educenter_store::outbox::MailClass,
    now: Timestamp,
) -> Result<Option<String>, ServiceError> {
    let args = args
        .iter()
        .map(|(k, v)| (*k, crate::msg::Arg::Text(v.clone())))
        .collect();
    mail_owner_with(conn, tenant, key, args, class, now).await
}

/// E-mails the school's owner `mail-{key}-*` with arguments formatted in the owner's language
/// (dates, money and months as that language writes them).
pub(crate) async fn mail_owner_with(
    conn: &mut Conn,
    tenant: &tenancy::Tenant,
    key: &str,
    args: Vec<(&'static str, crate::msg::Arg)>,
    class: educenter_store::outbox::MailClass,
    now: Timestamp,
) -> Result<Option<String>, ServiceError> {
    let Some(owner) = accounts::owner_of(conn, &tenant.id).await? else {
        return Ok(None);
    };
    let lang = crate::i18n::Lang::from_code(&owner.locale).unwrap_or(crate::i18n::Lang::Ru);
    let mut fa = crate::msg::fluent_args(&args, lang);
    fa.set("name", owner.full_name.clone());
    fa.set("org", tenant.name.clone());
    let i18n = catalog();
    let mail = educenter_store::outbox::NewMail {
        to: owner.email.clone(),
        subject: i18n.t_args(lang, &format!("mail-{key}-subject"), &fa),
        text: i18n.t_args(lang, &format!("mail-{key}-body"), &fa),
        html: None,
        class,
    };
    Ok(Some(
        educenter_store::outbox::queue(conn, &mail, now).await?,
    ))
}

/// Every plan's name in a language, by code (retired plans too: old periods name them).
pub async fn plan_names(
    services: &Services,
    lang: crate::i18n::Lang,
) -> Result<BTreeMap<String, String>, ServiceError> {
    Ok(store::plans(&services.db)
        .await?
        .iter()
        .map(|p| (p.code.clone(), plan_label(lang, p)))
        .collect())
}

/// A plan's name in a language.
pub fn plan_label(lang: crate::i18n::Lang, p: &Plan) -> String {
    match lang {
        crate::i18n::Lang::Ru => p.name_ru.clone(),
        crate::i18n::Lang::Kk => p.name_kk.clone(),
        crate::i18n::Lang::En => p.name_en.clone(),
    }
}

/// Price changes that take effect today: unpaid invoices of the plan already past due are
/// voided and reissued at the new price, with a new number and due date, and the owner is told
/// (R-5.2); money paid against a voided invoice goes to the credit balance, which the reissue
/// uses first. Invoices not yet due keep their price.
async fn apply_price_changes(
    tx: &mut Conn,
    cal: &educenter_domain::calendar::BusinessCalendar,
    today: Date,
    now: Timestamp,
) -> Result<usize, ServiceError> {
    let mut reissued = 0;
    for change in store::changes_to_apply(tx, &today.to_string()).await? {
        // The currencies and terms this change reprices.
        let changed: Vec<(String, i64)> = store::price_versions(tx, &change.plan_code)
            .await?
            .into_iter()
            .filter(|p| {
                p.effective_from == change.effective_from && p.decided_on == change.decided_on
            })
            .map(|p| (p.currency, p.months))
            .collect();
        for old in store::past_due_of_plan(tx, &change.plan_code, &change.effective_from).await? {
            if !changed.contains(&(old.currency.clone(), old.months)) {
                continue;
            }
            let Some(tenant) = tenancy::get_in(tx, &old.tenant_id).await? else {
                continue;
            };
            void(tx, &old, "price_change", None, now).await?;
            let Some(plan) = store::plan(tx, &old.plan_code).await? else {
                continue;
            };
            let (Some(currency), Some(price)) = (
                Currency::parse(&old.currency),
                store::prices_in_force(tx, &today.to_string())
                    .await?
                    .into_iter()
                    .find(|p| {
                        p.plan_code == old.plan_code
                            && p.currency == old.currency
                            && p.months == old.months
                    }),
            ) else {
                continue;
            };
            let issue_as = match old.purpose.as_str() {
                "renewal" => IssueAs::Renewal,
                "plan_change" => IssueAs::Application,
                _ => IssueAs::NewContract,
            };
            let view = issue(
                tx,
                cal,
                &tenant,
                &plan,
                old.months,
                currency,
                price.amount_minor,
                issue_as,
                None,
                &[],
                now,
            )
            .await?;
            let entry = Entry::new(Actor::System, "invoice.issue")
                .tenant(tenant.id.clone())
                .target("invoice", view.invoice.id.clone())
                .details(json!({ "number": view.invoice.number, "replaces": old.number, "reason": "price_change" }));
            audit::record(tx, &entry, now).await?;
            let lang = owner_lang(&tenant);
            mail_owner(
                tx,
                &tenant,
                "repriced",
                &[
                    ("old", old.number.clone()),
                    ("number", view.invoice.number.clone()),
                    (
                        "amount",
                        crate::i18n::format_money(
                            lang,
                            view.invoice.total_minor,
                            &view.invoice.currency,
                        ),
                    ),
                    (
                        "due",
                        view.invoice
                            .due_on
                            .parse::<Date>()
                            .map(|d| crate::i18n::format_date(lang, d))
                            .unwrap_or_default(),
                    ),
                ],
                now,
            )
            .await?;
            store::billing_due_now(tx, &tenant.id).await?;
            reissued += 1;
        }
        store::mark_change_applied(tx, &change.id, now).await?;
    }
    Ok(reissued)
}

/// On decided_on + 5, a price change with a notice still unsent alerts the operator's
/// super-admins and billing officers (R-5.8a), once: early enough to tell those licensees
/// another way before the 5 days are over.
async fn check_price_notices(
    tx: &mut Conn,
    today: Date,
    now: Timestamp,
) -> Result<usize, ServiceError> {
    let cutoff = today.saturating_sub(jiff::Span::new().days(5)).to_string();
    let mut alerts = 0;
    for (change, unsent) in store::changes_to_check(tx, &cutoff).await? {
        if unsent > 0 {
            let i18n = catalog();
            let mut args = fluent_bundle::FluentArgs::new();
            args.set("plan", change.plan_code.clone());
            args.set("decided", change.decided_on.clone());
            args.set("unsent", unsent);
            for to in store::operator_emails(tx, &["super_admin", "billing"]).await? {
                let mail = educenter_store::outbox::NewMail {
                    to,
                    subject: i18n.t_args(crate::i18n::Lang::Ru, "mail-price-alert-subject", &args),
                    text: i18n.t_args(crate::i18n::Lang::Ru, "mail-price-alert-body", &args),
                    html: None,
                    class: educenter_store::outbox::MailClass::Transactional,
                };
                educenter_store::outbox::queue(tx, &mail, now).await?;
            }
            tracing::error!(
                plan = %change.plan_code,
                decided_on = %change.decided_on,
                unsent,
                "price-change notices still unsent 5 days after the decision"
            );
            let entry = Entry::new(Actor::System, "price_change.alert")
                .target("price_change", change.id.clone())
                .details(json!({ "plan": change.plan_code, "unsent": unsent }));
            audit::record(tx, &entry, now).await?;
            alerts += 1;
        }
        store::mark_change_checked(tx, &change.id, now).await?;
    }
    Ok(alerts)
}

fn owner_lang(tenant: &tenancy::Tenant) -> crate::i18n::Lang {
    crate::i18n::Lang::from_code(&tenant.locale).unwrap_or(crate::i18n::Lang::Ru)
}

/// One school's day: its state brought to today (and the owner told of a change), the renewal
/// invoice 10 days before L (A-9), reminders on the due date, at L and L + 3, and, 7 days late,
/// the renewal voided and a new contract's invoice issued. Every notice is claimed first, so a
/// day run twice sends nothing twice.
async fn run_day(
    tx: &mut Conn,
    cal: &educenter_domain::calendar::BusinessCalendar,
    tenant: &tenancy::Tenant,
    today: Date,
    now: Timestamp,
) -> Result<bool, ServiceError> {
    let tenant_id = tenant.id.as_str();
    let f = facts(tx, tenant, today).await?;
    let (state, lapsed) = refresh_state_with(tx, tenant, &f, today, now).await?;
    let changed = state.as_str() != tenant.state;
    // Whether anything today changed the facts, so the next day to look must be read anew.
    let mut acted = lapsed;
    let lang = owner_lang(tenant);
    let contract = if lapsed { None } else { f.contract.clone() };
    let open = f.open.clone();
    let money = |i: &Invoice| crate::i18n::format_money(lang, i.total_minor, &i.currency);
    let date = |d: &str| {
        d.parse::<Date>()
            .map(|d| crate::i18n::format_date(lang, d))
            .unwrap_or_else(|_| d.to_owned())
    };

    if contract.is_some()
        && let Some(last) = f.current_period().cloned()
    {
        let l: Date = last.to_on.parse().map_err(|_| corrupt("period"))?;
        let renew_from = l.saturating_sub(jiff::Span::new().days(10));
        if open.is_none()
            && today >= renew_from
            && store::claim_notice(tx, tenant_id, "renewal", &last.to_on, now).await?
        {
            let months = store::invoice(tx, tenant_id, &last.invoice_id)
                .await?
                .map_or(1, |i| i.months);
            if let Some(plan) = store::plan(tx, &last.plan_code).await?
                && let Some(currency) = Currency::parse(&last.currency)
                && let Some(price) = store::prices_in_force(tx, &today.to_string())
                    .await?
                    .into_iter()
                    .find(|p| {
                        p.plan_code == plan.code
                            && p.currency == last.currency
                            && p.months == months
                    })
            {
                acted = true;
                let view = issue(
                    tx,
                    cal,
                    tenant,
                    &plan,
                    months,
                    currency,
                    price.amount_minor,
                    IssueAs::Renewal,
                    None,
                    &[],
                    now,
                )
                .await?;
                let entry = Entry::new(Actor::System, "invoice.issue")
                    .tenant(tenant_id.to_owned())
                    .target("invoice", view.invoice.id.clone())
                    .details(json!({ "number": view.invoice.number, "purpose": "renewal" }));
                audit::record(tx, &entry, now).await?;
                mail_owner(
                    tx,
                    tenant,
                    "invoice",
                    &[
                        ("number", view.invoice.number.clone()),
                        ("amount", money(&view.invoice)),
                        ("due", date(&view.invoice.due_on)),
                    ],
                    now,
                )
                .await?;
            }
        }
        if let Some(inv) = &open
            && inv.purpose == "renewal"
        {
            let due: Date = inv.due_on.parse().map_err(|_| corrupt("due date"))?;
            let l3 = l.saturating_add(jiff::Span::new().days(3));
            if (today == due || today == l || today == l3)
                && store::claim_notice(
                    tx,
                    tenant_id,
                    "reminder",
                    &format!("{}:{today}", inv.number),
                    now,
                )
                .await?
            {
                mail_owner(
                    tx,
                    tenant,
                    "reminder",
                    &[
                        ("number", inv.number.clone()),
                        ("amount", money(inv)),
                        ("due", date(&inv.due_on)),
                        ("last_day", crate::i18n::format_date(lang, l)),
                    ],
                    now,
                )
                .await?;
            }
        }
    }

    // Data retention (R-4.4a, R-8.2, A-14): the purge day set when the school lapsed or its
    // contract was terminated (`refresh_state_with`, a refusal, a termination for breach); the
    // warning 10 business days ahead; then the purge (`retention::purge`: the owner's account
    // and the money records stay, R-4.4b).

    if let Some((warning, purge_on)) = f.purge.filter(|_| tenant.purged_at.is_none()) {
        if today >= warning
            && today < purge_on
            && store::claim_notice(tx, tenant_id, "purge_warning", &purge_on.to_string(), now)
                .await?
        {
            mail_owner(
                tx,
                tenant,
                "purge-warning",
                &[("purge", crate::i18n::format_date(lang, purge_on))],
                now,
            )
            .await?;
        }
        if today >= purge_on {
            crate::retention::purge(tx, tenant_id, &purge_on.to_string(), now).await?;
            mail_owner(
                tx,
                tenant,
                "purged",
                &[("purge", crate::i18n::format_date(lang, purge_on))],
                now,
            )
            .await?;
            acted = true;
        }
    }

    // A plan change's credit holds until its due date (R-4.5b, A-8): unpaid by then, the
    // invoice is void, so that a late payment never buys days with credit for days gone by.
    if let Some(inv) = open.as_ref().filter(|i| i.purpose == "plan_change")
        && inv.due_on.parse::<Date>().is_ok_and(|due| today > due)
    {
        void(tx, inv, "plan_change_expired", None, now).await?;
        acted = true;
    }

    // 7 days late: the renewal is voided and a new contract's invoice takes its place (A-9).
    if contract.is_none()
        && let Some(inv) = open.filter(|i| i.purpose == "renewal")
        && store::claim_notice(tx, tenant_id, "reissue", &inv.id, now).await?
    {
        // Money already received against it is kept for the new invoice.
        void(tx, &inv, "late_payment", None, now).await?;
        acted = true;
        if let Some(plan) = store::plan(tx, &inv.plan_code).await?
            && let Some(currency) = Currency::parse(&inv.currency)
            && let Some(price) = store::prices_in_force(tx, &today.to_string())
                .await?
                .into_iter()
                .find(|p| {
                    p.plan_code == plan.code && p.currency == inv.currency && p.months == inv.months
                })
        {
            let view = issue(
                tx,
                cal,
                tenant,
                &plan,
                inv.months,
                currency,
                price.amount_minor,
                IssueAs::NewContract,
                None,
                &[],
                now,
            )
            .await?;
            let entry = Entry::new(Actor::System, "invoice.issue")
                .tenant(tenant_id.to_owned())
                .target("invoice", view.invoice.id.clone())
                .details(json!({ "number": view.invoice.number, "replaces": inv.number }));
            audit::record(tx, &entry, now).await?;
            mail_owner(
                tx,
                tenant,
                "reissue",
                &[
                    ("old", inv.number.clone()),
                    ("number", view.invoice.number.clone()),
                    ("amount", money(&view.invoice)),
                    ("due", date(&view.invoice.due_on)),
                ],
                now,
            )
            .await?;
        }
    }
    // The next day to look again: read anew when today's work changed the facts (a renewal and
    // its due date, a lapse), else from what was read.
    if acted {
        schedule_next(tx, tenant_id, today).await?;
    } else {
        store::set_billing_due(tx, tenant_id, f.next_event(today).as_deref()).await?;
    }
    Ok(changed)
}

/// At 00:00 every day: the daily billing run for that day.
async fn daily(ctx: JobContext) -> anyhow::Result<()> {
    let report = run_daily(&ctx.db, ctx.due_at).await?;
    tracing::info!(
        overdue = report.overdue,
        changed = report.changed,
        schools = report.schools,
        "daily billing run"
    );
    Ok(())
}

/// What a daily run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DailyReport {
    pub schools: usize,
    pub overdue: u64,
    pub changed: usize,
    /// Invoices voided and reissued at a new price (R-5.2).
    pub reissued: usize,
    /// Price changes whose notices were still unsent after 5 days.
    pub alerts: usize,
    /// Unmatched receipts one business day before their grant deadline (R-3.4.1).
    pub receipt_alerts: usize,
    /// Schools whose day failed (logged; tried again the next night).
    pub failed: usize,
}

async fn sqlx_savepoint(tx: &mut Conn, sql: &'static str) -> anyhow::Result<()> {
    educenter_store::sqlx::query(sql).execute(&mut *tx).await?;
    Ok(())
}

/// The daily billing run for the local day of `at`: invoices past due become overdue, then
/// every school's day is run ([`run_day`]), a page of schools per transaction, so memory stays
/// flat however many schools there are. Run twice for one day, the second run changes nothing.
pub async fn run_daily(db: &educenter_store::Db, at: Timestamp) -> anyhow::Result<DailyReport> {
    let today = local_date(at);
    let cal = calendar::load(db).await?;
    let mut tx = db.begin().await?;
    let overdue = store::mark_overdue(&mut tx, &today.to_string()).await?;
    let reissued = apply_price_changes(&mut tx, &cal, today, at)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let alerts = check_price_notices(&mut tx, today, at)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        + crate::service_items::alert_unsent(&mut tx, today, at)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    let receipt_alerts = crate::receipts::check_deadlines(&mut tx, &cal, today, at)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    tx.commit().await?;
    let mut after = String::new();
    let mut report = DailyReport {
        overdue,
        reissued,
        alerts,
        receipt_alerts,
        ..DailyReport::default()
    };
    loop {
        let page = tenancy::billing_due_page(db, &today.to_string(), &after, 500).await?;
        let Some(last) = page.last() else { break };
        after = last.id.clone();
        let mut tx = db.begin().await?;
        for tenant in &page {
            report.schools += 1;
            // A school that fails is rolled back alone, logged, and tried again the next night
            // (its billing day stays); the others go on.
            sqlx_savepoint(&mut tx, "SAVEPOINT school").await?;
            match run_day(&mut tx, &cal, tenant, today, at).await {
                Ok(changed) => {
                    sqlx_savepoint(&mut tx, "RELEASE SAVEPOINT school").await?;
                    if changed {
                        report.changed += 1;
                    }
                }
                Err(e) => {
                    sqlx_savepoint(&mut tx, "ROLLBACK TO SAVEPOINT school").await?;
                    tracing::error!(tenant = %tenant.id, error = %e, "the billing day of a school failed");
                    report.failed += 1;
                }
            }
        }
        tx.commit().await?;
    }
    Ok(report)
}

/// The licence as `GET /api/v1/license` shows it.
#[derive(Debug, Clone)]
pub struct Licence {
    pub state: LicenceState,
    pub blocked: Option<String>,
    pub plan: Option<Plan>,
    pub trial_ends_on: String,
    pub application_deadline: String,
    pub paid_through: Option<Date>,
    pub contract: Option<tenancy::Contract>,
    /// (from, to, plan, invoice number) of the contract in force, oldest first.
    pub periods: Vec<(String, String, String, String)>,
    pub credit: Vec<(String, i64)>,
    pub usage: Usage,
    /// Extra storage bought for the period in force, on top of the plan's (R-1.9).
    pub extra_storage_bytes: i64,
    /// The limits in force (the paid plan's, or the trial's) without the extra storage.
    pub limits: Limits,
    /// When the data of a lapsed or refused school will be purged (R-4.4a).
    pub purge_on: Option<String>,
}

/// The school's licence today (any of its people).
pub async fn licence(services: &Services, who: &Principal) -> Result<Licence, ServiceError> {
    let tenant_id = who
        .tenant_id
        .clone()
        .ok_or_else(|| ServiceError::Forbidden(Msg::new("err-school-only")))?;
    let today = local_date(services.clock.now());
    let mut conn = services.db.conn().await?;
    let tenant = tenancy::get_in(&mut conn, &tenant_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-school")))?;
    let Facts { facts, periods, .. } = facts(&mut conn, &tenant, today).await?;
    let contract = tenancy::contract_in_force(&mut conn, &tenant_id).await?;
    let blocked = educenter_store::blocks::in_force(&mut conn, &tenant_id)
        .await?
        .into_iter()
        .next()
        .map(|b| b.reason);
    let mut numbers = BTreeMap::new();
    for inv in store::invoices(&mut conn, &tenant_id).await? {
        numbers.insert(inv.id, inv.number);
    }
    let in_contract: Vec<&StoredPeriod> = periods
        .iter()
        .filter(|p| contract.as_ref().is_some_and(|c| c.id == p.contract_id))
        .collect();
    let plan = match in_contract.last() {
        Some(p) => store::plan(&mut conn, &p.plan_code).await?,
        None => None,
    };
    let mut credit = Vec::new();
    for c in Currency::ALL {
        let balance = store::credit_balance(&mut conn, &tenant_id, c.as_str()).await?;
        if balance != 0 {
            credit.push((c.as_str().to_owned(), balance));
        }
    }
    Ok(Licence {
        state: state_on(&facts, today),
        blocked,
        plan,
        trial_ends_on: tenant.trial_ends_on,
        application_deadline: tenant.application_deadline,
        paid_through: facts.paid_through,
        periods: in_contract
            .iter()
            .map(|p| {
                (
                    p.from_on.clone(),
                    p.to_on.clone(),
                    p.plan_code.clone(),
                    numbers.get(&p.invoice_id).cloned().unwrap_or_default(),
                )
            })
            .collect(),
        contract,
        credit,
        usage: usage_of(&mut conn, &tenant_id).await?,
        limits: limits_of(&mut conn, &tenant_id).await?.1,
        extra_storage_bytes: store::storage_granted(&mut conn, &tenant_id, &today.to_string())
            .await?,
        purge_on: tenant
            .purge_on
            .clone()
            .filter(|_| tenant.purged_at.is_none()),
    })
}

/// The newest invoices of every school, for the billing officer.
pub async fn operator_invoices(
    services: &Services,
    who: &Principal,
    status: Option<&str>,
) -> Result<Vec<store::InvoiceRow>, ServiceError> {
    require_operator(who, OperatorAction::ManageBilling)?;
    Ok(store::recent_invoices(&services.db, status, 200).await?)
}

/// Price versions of the school's current plan that take effect after today (the cabinet's
/// notice of a price change, R-5.8a): the plan and its upcoming prices.
pub async fn upcoming_prices(
    services: &Services,
    who: &Principal,
) -> Result<Option<(Plan, Vec<Price>)>, ServiceError> {
    let Some(tenant_id) = who.tenant_id.as_deref() else {
        return Ok(None);
    };
    let today = local_date(services.clock.now());
    let mut conn = services.db.conn().await?;
    let Some(contract) = tenancy::contract_in_force(&mut conn, tenant_id).await? else {
        return Ok(None);
    };
    let Some(current) = current_period(&mut conn, tenant_id, &contract.id).await? else {
        return Ok(None);
    };
    let Some(plan) = store::plan(&mut conn, &current.plan_code).await? else {
        return Ok(None);
    };
    let prices: Vec<Price> = store::upcoming_prices(&mut conn, &plan.code, &today.to_string())
        .await?
        .into_iter()
        .filter(|p| p.currency == current.currency)
        .collect();
    Ok((!prices.is_empty()).then_some((plan, prices)))
}

/// A promotion as the super-admin enters it.
#[derive(Debug, Clone, Default)]
pub struct PromotionInput {
    pub code: String,
    pub kind: String,
    pub value: i64,
    pub currency: Option<String>,
    pub plans: Vec<String>,
    pub valid_from: String,
    pub valid_to: String,
}

/// Creates or changes a promotion (super-admin). Changing one tells nobody (R-5.8b).
pub async fn put_promotion(
    services: &Services,
    who: &Principal,
    input: PromotionInput,
    origin: Origin,
) -> Result<store::Promotion, ServiceError> {
    require_operator(who, OperatorAction::ManagePlatform)?;
    let now = services.clock.now();
    let code = input.code.trim().to_uppercase();
    let mut errors: Vec<(String, Msg)> = Vec::new();
    if !(2..=32).contains(&code.len())
        || !code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    {
        errors.push(("code".into(), Msg::new("err-promo-code-format")));
    }
    match input.kind.as_str() {
        "percent" if (1..=100).contains(&input.value) => {}
        "percent" => errors.push((
            "value".into(),
            Msg::new("err-range").num("min", 1).num("max", 100),
        )),
        "fixed" if money::is_line_amount(input.value) => {
            if input
                .currency
                .as_deref()
                .and_then(Currency::parse)
                .is_none()
            {
                errors.push(("currency".into(), Msg::one_of(&["KZT", "EUR", "USD"])));
            }
        }
        "fixed" => errors.push(("value".into(), Msg::amount())),
        _ => errors.push(("kind".into(), Msg::one_of(&["percent", "fixed"]))),
    }
    let from = input.valid_from.parse::<Date>();
    let to = input.valid_to.parse::<Date>();
    match (&from, &to) {
        (Ok(f), Ok(t)) if f > t => {
            errors.push(("valid_to".into(), Msg::new("err-to-before-from")));
        }
        (Err(_), _) => errors.push(("valid_from".into(), Msg::date_format())),
        (_, Err(_)) => errors.push(("valid_to".into(), Msg::date_format())),
        _ => {}
    }
    let mut tx = services.db.begin().await?;
    for (i, plan) in input.plans.iter().enumerate() {
        if store::plan(&mut tx, plan).await?.is_none() {
            errors.push((format!("plans[{i}]"), Msg::new("err-no-plan")));
        }
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let promo = store::Promotion {
        code: code.clone(),
        kind: input.kind.clone(),
        value: input.value,
        currency: if input.kind == "fixed" {
            input.currency.clone()
        } else {
            None
        },
        plans: input.plans.clone(),
        valid_from: input.valid_from.clone(),
        valid_to: input.valid_to.clone(),
    };
    store::put_promotion(&mut tx, &promo, now).await?;
    let entry = who
        .audit("promotion.put")
        .target("promotion", code)
        .origin(origin)
        .details(json!(promo));
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(promo)
}

/// Every promotion (super-admin and billing officer).
pub async fn promotions(
    services: &Services,
    who: &Principal,
) -> Result<Vec<store::Promotion>, ServiceError> {
    require_operator(who, OperatorAction::ManagePlatform)
        .or_else(|_| require_operator(who, OperatorAction::ManageBilling))?;
    Ok(store::promotions(&services.db).await?)
}

/// A page of the promotions by code (super-admin, billing officer).
pub async fn promotions_page(
    services: &Services,
    who: &Principal,
    req: &PageRequest,
) -> Result<Page<store::Promotion>, ServiceError> {
    require_operator(who, OperatorAction::ManagePlatform)
        .or_else(|_| require_operator(who, OperatorAction::ManageBilling))?;
    let mut conn = services.db.conn().await?;
    Ok(store::promotions_page(&mut conn, req).await?)
}

/// A refund as the billing officer records it.
#[derive(Debug, Clone, Default)]
pub struct RefundInput {
    pub invoice_number: String,
    pub amount_minor: i64,
    pub reason: String,
    pub email_reference: String,
}

/// Records a refund (billing officer, R-5.7): only for a contract that ended before the period
/// the invoice paid for was over, and at most what was paid less the used time at the plan's
/// regular monthly price (whole months, then days pro rata), less earlier refunds; a larger
/// amount is refused with the cap in the error.
pub async fn refund(
    services: &Services,
    who: &Principal,
    input: RefundInput,
    origin: Origin,
) -> Result<store::Refund, ServiceError> {
    require_operator(who, OperatorAction::ManageBilling)?;
    let now = services.clock.now();
    let mut errors = Vec::new();
    for (field, value, multiline) in [
        ("reason", &input.reason, true),
        ("email_reference", &input.email_reference, false),
    ] {
        if let Some(m) = Msg::text_error(value, 1, 500, multiline) {
            errors.push((field.to_owned(), m));
        }
    }
    if !money::is_line_amount(input.amount_minor) {
        errors.push(("amount_minor".into(), Msg::amount()));
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let mut tx = services.db.begin().await?;
    let invoice = store::invoice_by_number(&mut tx, input.invoice_number.trim())
        .await?
        .ok_or_else(|| {
            ServiceError::NotFound(
                Msg::new("err-no-invoice-number").text("number", input.invoice_number.trim()),
            )
        })?;
    store::lock_tenant(&mut tx, &invoice.tenant_id).await?;
    let period = store::period_of_invoice(&mut tx, &invoice.tenant_id, &invoice.id)
        .await?
        .ok_or_else(|| ServiceError::Conflict(Msg::new("err-refund-no-period")))?;
    let (status, ended_at) = store::contract_end(&mut tx, &invoice.tenant_id, &period.contract_id)
        .await?
        .unwrap_or_default();
    let Some(ended_at) = ended_at.filter(|_| status == "ended") else {
        return Err(ServiceError::Conflict(Msg::new("err-refund-in-force")));
    };
    // The contract was in force through the day before its end instant.
    let last_day = local_date(ended_at - jiff::SignedDuration::from_secs(1));
    let to: Date = period.to_on.parse().map_err(|_| corrupt("period"))?;
    if last_day >= to {
        return Err(ServiceError::Conflict(Msg::new("err-refund-nothing")));
    }
    let today = local_date(now).to_string();
    let monthly = store::prices_in_force(&mut tx, &today)
        .await?
        .into_iter()
        .find(|p| p.plan_code == period.plan_code && p.currency == period.currency && p.months == 1)
        .map(|p| p.amount_minor)
        .unwrap_or_else(|| period.paid_minor / invoice.months.max(1));
    let start = Chain {
        anchor: period.anchor_on.parse().map_err(|_| corrupt("anchor"))?,
        months: period.chain_months - invoice.months,
    };
    // Never more than the money received for it (credits stay credits, R-5.7).
    let cap = educenter_domain::billing::refund_cap(period.paid_minor, monthly, start, last_day)
        .min(invoice.paid_minor)
        .saturating_sub(store::refunded(&mut tx, &invoice.id).await?);
    let cap = cap.max(0);
    if input.amount_minor > cap {
        return Err(ServiceError::Invalid(vec![(
            "amount_minor".into(),
            Msg::new("err-refund-cap")
                .money("amount", cap, invoice.currency.clone())
                .text("number", invoice.number.clone()),
        )]));
    }
    let refund = store::Refund {
        id: new_id(),
        tenant_id: invoice.tenant_id.clone(),
        invoice_id: invoice.id.clone(),
        amount_minor: input.amount_minor,
        currency: invoice.currency.clone(),
        reason: input.reason.trim().to_owned(),
        email_reference: input.email_reference.trim().to_owned(),
        created_at: now,
    };
    store::insert_refund(&mut tx, &refund, &who.user_id).await?;
    let entry = who
        .audit("refund.record")
        .tenant(invoice.tenant_id.clone())
        .target("invoice", invoice.id.clone())
        .origin(origin)
        .details(json!({
            "number": invoice.number,
            "amount_minor": refund.amount_minor,
            "cap_minor": cap,
            "reason": refund.reason,
            "email_reference": refund.email_reference,
        }));
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(refund)
}

/// The metered quantities of a school (R-3.5.4): live staff and students, the bytes of its
/// files not deleted, and its courses outside the trash.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub students: i64,
    pub staff: i64,
    pub storage_bytes: i64,
    pub courses: i64,
}

/// The limits in force and the code of the plan they come from: the plan of the paid period in
/// force; while nothing is paid (the trial), the operator's trial plan, or the built-in
/// [`TRIAL_LIMITS`] under the code `trial` when none is chosen (issue 15).
pub(crate) async fn limits_of(
    conn: &mut Conn,
    tenant_id: &str,
) -> Result<(String, Limits), ServiceError> {
    let paid = match tenancy::contract_in_force(conn, tenant_id).await? {
        Some(contract) => current_period(conn, tenant_id, &contract.id).await?,
        None => None,
    };
    let code = match paid {
        Some(current) => Some(current.plan_code),
        None => educenter_store::settings::get(conn, educenter_store::settings::TRIAL_PLAN).await?,
    };
    if let Some(code) = code
        && let Some(plan) = store::plan(conn, &code).await?
    {
        return Ok((plan.code.clone(), plan_limits(&plan)));
    }
    Ok(("trial".to_owned(), TRIAL_LIMITS))
}

/// A plan's limits.
pub fn plan_limits(plan: &Plan) -> Limits {
    Limits {
        students: plan.limit_students,
        staff: plan.limit_staff,
        storage_bytes: plan.limit_storage_bytes,
        courses: plan.limit_courses,
    }
}

async fn usage_of(conn: &mut Conn, tenant_id: &str) -> Result<Usage, ServiceError> {
    let (staff, students) = store::usage_counts(conn, tenant_id).await?;
    Ok(Usage {
        students,
        staff,
        storage_bytes: educenter_store::media::total_bytes(conn, tenant_id).await?,
        courses: educenter_store::content::count_courses(conn, tenant_id).await?,
    })
}

/// A metric the plan limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    Students,
    Staff,
    StorageBytes,
    Courses,
}

impl Metric {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Students => "students",
            Self::Staff => "staff",
            Self::StorageBytes => "storage_bytes",
            Self::Courses => "courses",
        }
    }
}

/// The one check every growth action goes through (A-23): adding `adding` to `metric` must stay
/// within the plan's limit, else 403 naming the limit; existing use goes on. Crossing 80% and
/// reaching 100% e-mail the owner once per paid period.
pub async fn check_limit(
    conn: &mut Conn,
    tenant_id: &str,
    metric: Metric,
    adding: i64,
    now: Timestamp,
) -> Result<(), ServiceError> {
    // Two transactions adding at once (two uploads, two sign-ups) must not both pass the check
    // on PostgreSQL's READ COMMITTED: the tenant's row is locked until the caller commits.
    store::lock_tenant(conn, tenant_id).await?;
    let (plan_code, limits) = limits_of(conn, tenant_id).await?;
    let usage = usage_of(conn, tenant_id).await?;
    let (used, limit) = match metric {
        Metric::Students => (usage.students, limits.students),
        Metric::Staff => (usage.staff, limits.staff),
        Metric::StorageBytes => (
            usage.storage_bytes,
            limits.storage_bytes.saturating_add(
                store::storage_granted(conn, tenant_id, &local_date(now).to_string()).await?,
            ),
        ),
        Metric::Courses => (usage.courses, limits.courses),
    };
    let after = used.saturating_add(adding);
    if after > limit {
        return Err(ServiceError::Forbidden(match metric {
            Metric::StorageBytes => Msg::new("err-limit-storage")
                .size("limit", limit)
                .size("used", used),
            _ => Msg::new("err-limit")
                .num("limit", limit)
                .num("used", used)
                .key("metric", format!("metric-{}", metric.as_str())),
        }));
    }
    // Warnings at 80% and 100% (R-3.5.4), once per level and plan.
    for level in [80, 100] {
        if i128::from(after) * 100 >= i128::from(limit) * level
            && limit > 0
            && store::claim_notice(
                conn,
                tenant_id,
                "limit",
                &format!("{plan_code}:{}:{level}", metric.as_str()),
                now,
            )
            .await?
            && let Some(tenant) = tenancy::get_in(conn, tenant_id).await?
        {
            let lang = owner_lang(&tenant);
            mail_owner(
                conn,
                &tenant,
                "limit",
                &[
                    (
                        "metric",
                        catalog().t(lang, &format!("metric-{}", metric.as_str())),
                    ),
                    ("used", amount_of(metric, lang, after)),
                    ("limit", amount_of(metric, lang, limit)),
                    ("level", level.to_string()),
                ],
                now,
            )
            .await?;
        }
    }
    Ok(())
}

/// A figure of `metric` in words: sizes in bytes, KB, MB or GB, counts as numbers.
fn amount_of(metric: Metric, lang: crate::i18n::Lang, value: i64) -> String {
    match metric {
        Metric::StorageBytes => crate::i18n::format_size(lang, value),
        _ => value.to_string(),
    }
}

/// A quote as the billing officer records it from an e-mail agreement (R-5.3).
#[derive(Debug, Clone, Default)]
pub struct QuoteInput {
    /// The school's address.
    pub tenant: String,
    pub currency: String,
    /// (description, amount in minor units).
    pub items: Vec<(String, i64)>,
    pub email_reference: String,
}

/// Records a quote and issues its invoice (billing officer); paying it accepts the quote.
pub async fn create_quote(
    services: &Services,
    who: &Principal,
    input: QuoteInput,
    origin: Origin,
) -> Result<(String, InvoiceView), ServiceError> {
    require_operator(who, OperatorAction::ManageBilling)?;
    let now = services.clock.now();
    let today = local_date(now);
    let mut errors: Vec<(String, Msg)> = Vec::new();
    let currency = Currency::parse(&input.currency);
    if currency.is_none() {
        errors.push(("currency".into(), Msg::one_of(&["KZT", "EUR", "USD"])));
    }
    if input.items.is_empty() {
        errors.push(("items".into(), Msg::new("err-items-none")));
    }
    for (i, (description, amount)) in input.items.iter().enumerate() {
        if let Some(m) = Msg::text_error(description, 1, 300, false) {
            errors.push((format!("items[{i}].description"), m));
        }
        if !money::is_line_amount(*amount) {
            errors.push((format!("items[{i}].amount_minor"), Msg::amount()));
        }
    }
    // The lines together make one document: past its maximum it is refused, never wrapped.
    if money::document_total(input.items.iter().map(|(_, a)| *a)).is_none() {
        errors.push(("items".into(), Msg::document_total()));
    }
    let reference = input.email_reference.trim();
    if let Some(m) = Msg::text_error(reference, 1, 300, false) {
        errors.push(("email_reference".into(), m));
    }
    let cal = calendar::load(&services.db).await?;
    let mut tx = services.db.begin().await?;
    let tenant = tenancy::by_slug(&mut tx, input.tenant.trim()).await?;
    if tenant.is_none() {
        errors.push((
            "tenant".into(),
            Msg::new("err-no-school-at").text("slug", input.tenant.trim()),
        ));
    }
    if let (Some(t), Some(c)) = (&tenant, currency)
        && !c.allowed_for(t.resident)
    {
        errors.push(("currency".into(), Msg::new("err-resident-kzt")));
    }
    let (Some(tenant), Some(currency), true) = (tenant, currency, errors.is_empty()) else {
        return Err(ServiceError::Invalid(errors));
    };
    store::lock_tenant(&mut tx, &tenant.id).await?;
    let lines: Vec<Line> = input
        .items
        .iter()
        .map(|(d, a)| Line {
            kind: "service".into(),
            // The operator's own words, the same in every language.
            description: d.trim().to_owned(),
            description_kk: None,
            description_en: None,
            amount_minor: *a,
            service_code: None,
        })
        .collect();
    let total = money::document_total(lines.iter().map(|l| l.amount_minor))
        .ok_or_else(|| invalid("items", Msg::document_total()))?;
    let owner = accounts::owner_of(&mut tx, &tenant.id).await?;
    let due = educenter_domain::billing::due_on(&cal, today);
    crate::calendar::note_gaps(&mut tx, &cal, today, due.date, now).await?;
    let invoice = Invoice {
        id: new_id(),
        tenant_id: tenant.id.clone(),
        number: store::next_invoice_number(&mut tx, today.year()).await?,
        purpose: "service".into(),
        plan_code: String::new(),
        months: 0,
        currency: currency.as_str().into(),
        total_minor: total,
        paid_minor: 0,
        excess_credit_minor: 0,
        extra_storage_bytes: 0,
        status: "issued".into(),
        issued_at: now,
        issued_on: today.to_string(),
        due_on: due.date.to_string(),
        due_on_provisional: due.provisional,
        paid_on: None,
        supplier: crate::documents::supplier_snapshot(&mut tx).await?,
        customer: json!({
            "name": tenant.name,
            "kind": tenant.kind,
            "bin_iin": tenant.bin_iin,
            "resident": tenant.resident,
            "email": owner.as_ref().map(|u| u.email.clone()),
            "address": educenter_store::documents::tenant_settings(&mut tx, &tenant.id).await?.1,
        }),
    };
    store::create_invoice(&mut tx, &invoice, &lines).await?;
    let quote = store::create_quote(&mut tx, &tenant.id, &invoice.id, reference, now).await?;
    let lang = owner_lang(&tenant);
    mail_owner(
        &mut tx,
        &tenant,
        "invoice",
        &[
            ("number", invoice.number.clone()),
            (
                "amount",
                crate::i18n::format_money(lang, total, currency.as_str()),
            ),
            (
                "due",
                crate::i18n::format_date(lang, educenter_domain::billing::due_on(&cal, today).date),
            ),
        ],
        now,
    )
    .await?;
    let entry = who
        .audit("quote.create")
        .tenant(tenant.id.clone())
        .target("invoice", invoice.id.clone())
        .origin(origin)
        .details(json!({
            "quote": quote,
            "number": invoice.number,
            "total_minor": total,
            "currency": currency.as_str(),
            "email_reference": reference,
        }));
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    services.mailer.wake();
    Ok((quote, InvoiceView { invoice, lines }))
}

/// The status of the quote behind an invoice, if any (`issued`, `accepted_by_payment`).
pub async fn quote_status(
    services: &Services,
    who: &Principal,
    invoice_id: &str,
) -> Result<Option<String>, ServiceError> {
    let view = invoice(services, who, invoice_id).await?;
    let mut conn = services.db.conn().await?;
    Ok(store::quote_status(&mut conn, &view.invoice.id).await?)
}

/// The operator moves a school to another plan (billing officer, R-3.5.4): the same invoice a
/// plan change by the owner gives, with the credit of the unused days (R-4.5b), e-mailed.
pub async fn operator_plan_change(
    services: &Services,
    who: &Principal,
    tenant_id: &str,
    plan_code: &str,
    months: i64,
    origin: Origin,
) -> Result<InvoiceView, ServiceError> {
    require_operator(who, OperatorAction::ManageBilling)?;
    let now = services.clock.now();
    let today = local_date(now);
    let cal = calendar::load(&services.db).await?;
    let mut tx = services.db.begin().await?;
    store::lock_tenant(&mut tx, tenant_id).await?;
    let tenant = tenancy::get_in(&mut tx, tenant_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-tenant")))?;
    let contract = tenancy::contract_in_force(&mut tx, tenant_id)
        .await?
        .ok_or_else(|| ServiceError::Conflict(Msg::new("err-no-contract")))?;
    let current = current_period(&mut tx, tenant_id, &contract.id)
        .await?
        .ok_or_else(|| ServiceError::Conflict(Msg::new("err-no-paid-period")))?;
    let mut errors = Vec::new();
    let plan = store::plan(&mut tx, plan_code).await?;
    if plan.is_none() {
        errors.push(("plan".to_owned(), Msg::new("err-no-plan")));
    }
    if plan.as_ref().is_some_and(|p| p.code == current.plan_code) {
        errors.push(("plan".to_owned(), Msg::new("err-same-plan")));
    }
    let price = match &plan {
        Some(p) => store::prices_in_force(&mut tx, &today.to_string())
            .await?
            .into_iter()
            .find(|x| {
                x.plan_code == p.code && x.currency == current.currency && x.months == months
            }),
        None => None,
    };
    if plan.is_some() && price.is_none() {
        errors.push((
            "months".to_owned(),
            Msg::new("err-plan-no-price")
                .num("months", months)
                .text("currency", current.currency.clone()),
        ));
    }
    let (Some(plan), Some(price), Some(currency), true) = (
        plan,
        price,
        Currency::parse(&current.currency),
        errors.is_empty(),
    ) else {
        return Err(ServiceError::Invalid(errors));
    };
    if let Some(open) = store::open_licence_invoice(&mut tx, tenant_id).await? {
        if open.purpose != "renewal" || open.paid_minor > 0 {
            return Err(ServiceError::Conflict(
                Msg::new("err-invoice-open").text("number", open.number.clone()),
            ));
        }
        void(&mut tx, &open, "replaced_by_plan_change", Some(who), now).await?;
    }
    let view = issue(
        &mut tx,
        &cal,
        &tenant,
        &plan,
        months,
        currency,
        price.amount_minor,
        IssueAs::Application,
        None,
        &[],
        now,
    )
    .await?;
    let lang = owner_lang(&tenant);
    mail_owner(
        &mut tx,
        &tenant,
        "invoice",
        &[
            ("number", view.invoice.number.clone()),
            (
                "amount",
                crate::i18n::format_money(lang, view.invoice.total_minor, &view.invoice.currency),
            ),
            (
                "due",
                crate::i18n::format_date(lang, educenter_domain::billing::due_on(&cal, today).date),
            ),
        ],
        now,
    )
    .await?;
    let entry = who
        .audit("invoice.issue")
        .tenant(tenant_id.to_owned())
        .target("invoice", view.invoice.id.clone())
        .origin(origin)
        .details(json!({
            "number": view.invoice.number,
            "purpose": view.invoice.purpose,
            "plan": plan.code,
            "by": "operator",
        }));
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    services.mailer.wake();
    Ok(view)
}

/// When rights must be granted for a paid invoice (R-3.4.1): the receipt date + 3 business
/// days, end of day. Here a fully paid invoice activates at once, so the deadline is met as
/// soon as the money is recorded; the date tells the operator by when it must be.
pub async fn grant_deadline(
    services: &Services,
    invoice: &Invoice,
) -> Result<Option<Date>, ServiceError> {
    let Some(paid_on) = invoice
        .paid_on
        .as_deref()
        .and_then(|d| d.parse::<Date>().ok())
    else {
        return Ok(None);
    };
    let cal = calendar::load(&services.db).await?;
    Ok(Some(cal.add_business_days(paid_on, 3).date))
}

/// The plan whose limits trials run under (super-admin's setting); `None`: the built-in
/// [`TRIAL_LIMITS`].
pub async fn trial_plan(
    services: &Services,
    who: &Principal,
) -> Result<Option<Plan>, ServiceError> {
    require_operator(who, OperatorAction::ViewTenants)?;
    let mut conn = services.db.conn().await?;
    let Some(code) =
        educenter_store::settings::get(&mut conn, educenter_store::settings::TRIAL_PLAN).await?
    else {
        return Ok(None);
    };
    Ok(store::plan(&mut conn, &code).await?)
}

/// Chooses the plan whose limits trials run under, or the built-in limits with `None`
/// (super-admin; audited).
pub async fn set_trial_plan(
    services: &Services,
    who: &Principal,
    code: Option<&str>,
    origin: Origin,
) -> Result<Option<Plan>, ServiceError> {
    who.require_write()?;
    require_operator(who, OperatorAction::ManagePlatform)?;
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let plan = match code.map(str::trim).filter(|c| !c.is_empty()) {
        Some(code) => Some(store::plan(&mut tx, code).await?.ok_or_else(|| {
            ServiceError::Invalid(vec![("plan".into(), Msg::new("err-no-plan"))])
        })?),
        None => None,
    };
    educenter_store::settings::put(
        &mut tx,
        educenter_store::settings::TRIAL_PLAN,
        plan.as_ref().map(|p| p.code.as_str()),
        Some(&who.user_id),
        now,
    )
    .await?;
    let entry = who
        .audit("settings.trial_plan")
        .origin(origin)
        .details(json!({ "plan": plan.as_ref().map(|p| p.code.clone()) }));
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(plan)
}
