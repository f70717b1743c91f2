//! The catalogue: plans and their price versions, promotions, and plan names in words.

use crate::{
    Msg, ServiceError, Services, access::Principal, access::require_operator,
    billing::chain::current_period, billing::limits::MAX_LIMIT, invalid, notify::mail_owner_bulk,
    notify::owner_lang,
};
use educenter_domain::money::Money;
use educenter_domain::{
    billing::Currency, billing::PromotionKind, billing::TERMS, clock::local_date, money,
    roles::OperatorAction,
};
use educenter_store::{
    audit, audit::Origin, billing as store, billing::Plan, billing::Price, page::Page,
    page::PageRequest, tenancy,
};
use jiff::civil::Date;
use serde_json::json;
use std::collections::BTreeMap;

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
pub(crate) fn check_prices(
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
            errors.push((at("currency"), Msg::one_of_words::<Currency>()));
        }
        if !TERMS.iter().any(|t| i64::from(*t) == p.months) {
            errors.push((at("months"), Msg::new("err-months")));
        }
        if !money::is_line_amount(p.amount_minor) {
            errors.push((at("amount_minor"), Msg::amount()));
        }
        let effective_from = p.effective_from.parse::<Date>();
        match effective_from {
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
        if let (Some(currency), Ok(effective_from)) = (currency, effective_from) {
            out.push(Price {
                plan_code: String::new(),
                amount: Money::new(p.amount_minor, currency),
                months: p.months,
                decided_on,
                effective_from,
            });
        }
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
        return Err(ServiceError::Taken(
            "code".into(),
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
    let mut dates: Vec<Date> = rows.iter().map(|p| p.effective_from).collect();
    dates.sort_unstable();
    dates.dedup();
    let tenants = store::tenants_on_plan(&mut tx, code).await?;
    for effective in dates {
        let change = store::create_price_change(&mut tx, code, decided, effective, now).await?;
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
                        crate::i18n::catalogs().t_args(lang, "pricing-term", &{
                            let mut a = fluent_bundle::FluentArgs::new();
                            a.set("months", p.months);
                            a
                        }),
                        crate::i18n::format_money_of(lang, p.amount)
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
            let effective_label = crate::i18n::format_date(lang, effective);
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
                store::record_price_notice(&mut tx, &change, &tenant.id, &mail_id).await?;
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
    for p in store::prices_in_force(&mut conn, on).await? {
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
    Ok(store::plans_page(&mut conn, on, req).await?)
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

/// Price versions of the school's current plan that take effect after today (the cabinet's
/// notice of a price change, R-5.8a): the plan and its upcoming prices.
pub async fn upcoming_prices(
    services: &Services,
    who: &Principal,
) -> Result<Option<(Plan, Vec<Price>)>, ServiceError> {
    let Some(tenant_id) = who.tenant_id.as_ref() else {
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
    let prices: Vec<Price> = store::upcoming_prices(&mut conn, &plan.code, today)
        .await?
        .into_iter()
        .filter(|p| p.amount.currency == current.paid.currency)
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
    let kind = PromotionKind::parse(&input.kind);
    let currency = input.currency.as_deref().and_then(Currency::parse);
    match kind {
        Some(PromotionKind::Percent) if (1..=100).contains(&input.value) => {}
        Some(PromotionKind::Percent) => errors.push((
            "value".into(),
            Msg::new("err-range").num("min", 1).num("max", 100),
        )),
        Some(PromotionKind::Fixed) if money::is_line_amount(input.value) => {
            if currency.is_none() {
                errors.push(("currency".into(), Msg::one_of_words::<Currency>()));
            }
        }
        Some(PromotionKind::Fixed) => errors.push(("value".into(), Msg::amount())),
        None => errors.push(("kind".into(), Msg::one_of_words::<PromotionKind>())),
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
    let (Some(kind), Ok(valid_from), Ok(valid_to), true) = (kind, from, to, errors.is_empty())
    else {
        return Err(ServiceError::Invalid(errors));
    };
    let promo = store::Promotion {
        code: code.clone(),
        kind,
        value: input.value,
        currency: currency.filter(|_| kind == PromotionKind::Fixed),
        plans: input.plans.clone(),
        valid_from,
        valid_to,
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
