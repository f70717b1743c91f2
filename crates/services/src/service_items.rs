//! Additional services and the versions of their prices (R-5.8a): the super-admin keeps
//! the catalogue; a price version has a decision date and an effective date that may not
//! precede it or today; the schools that use the service are e-mailed at once and see the
//! change in their cabinet; a notice still unsent 5 days after the decision alerts the operator.

use educenter_domain::ids::TenantId;
use educenter_domain::money::Money;
use educenter_domain::roles::OperatorRole;
use educenter_domain::{
    billing::{Currency, ServiceUnit},
    clock::local_date,
    roles::OperatorAction,
};
use educenter_store::{
    Conn,
    audit::{self, Entry, Origin},
    outbox::NewMail,
    service_items::{self as store, ServiceItem, ServicePrice},
    tenancy,
};
use jiff::{Timestamp, civil::Date};
use serde_json::json;

use crate::Msg;
use crate::{
    ServiceError, Services, access::Principal, access::require_operator, notify::mail_owner_bulk,
};

/// A service of the catalogue as the super-admin enters it.
#[derive(Debug, Clone, Default)]
pub struct ServiceInput {
    pub code: String,
    pub name_ru: String,
    pub name_kk: String,
    pub name_en: String,
    /// `one_off`, `hour`, `package` or `gb_month`.
    pub unit: String,
    pub price_on_request: bool,
    /// (currency, amount per unit): the first prices of a new service, in force from today. An
    /// existing service keeps its prices; they change by [`add_prices`].
    pub prices: Vec<(String, i64)>,
}

/// A price version as the super-admin enters it.
#[derive(Debug, Clone, Default)]
pub struct PriceInput {
    pub currency: String,
    pub amount_minor: i64,
    pub effective_from: String,
}

fn check_code(code: &str, errors: &mut Vec<(String, Msg)>) {
    if !(2..=32).contains(&code.len())
        || !code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    {
        errors.push(("code".into(), Msg::new("err-code-format")));
    }
}

/// Creates or changes an additional service (super-admin, R-1.9). A new service's prices are
/// in force from today; an existing one's prices change only by a price version, so that the
/// schools that use it are told first (R-5.8a).
pub async fn put_service(
    services: &Services,
    who: &Principal,
    input: ServiceInput,
    origin: Origin,
) -> Result<ServiceItem, ServiceError> {
    require_operator(who, OperatorAction::ManagePlatform)?;
    let now = services.clock.now();
    let today = local_date(now);
    let mut errors: Vec<(String, Msg)> = Vec::new();
    let code = input.code.trim().to_owned();
    check_code(&code, &mut errors);
    for (field, name) in [
        ("name.ru", &input.name_ru),
        ("name.kk", &input.name_kk),
        ("name.en", &input.name_en),
    ] {
        if let Some(m) = Msg::text_error(name, 1, 100, false) {
            errors.push((field.into(), m));
        }
    }
    let unit = ServiceUnit::parse(&input.unit);
    if unit.is_none() {
        errors.push(("unit".into(), Msg::one_of_words::<ServiceUnit>()));
    }
    let mut wanted = Vec::with_capacity(input.prices.len());
    for (i, (currency, amount)) in input.prices.iter().enumerate() {
        match Currency::parse(currency) {
            Some(c) => wanted.push(Money::new(*amount, c)),
            None => errors.push((
                format!("prices[{i}].currency"),
                Msg::one_of_words::<Currency>(),
            )),
        }
        if *amount <= 0 || *amount > educenter_domain::billing::MAX_AMOUNT_MINOR {
            errors.push((format!("prices[{i}].amount_minor"), Msg::amount()));
        }
    }
    let mut tx = services.db.begin().await?;
    let exists = store::exists(&mut tx, &code).await?;
    let in_force: Vec<Money> = store::items(&mut tx, today)
        .await?
        .into_iter()
        .find(|s| s.code == code)
        .map(|s| s.prices)
        .unwrap_or_default();
    // In the order of the currencies' codes, as the catalogue lists them.
    let by_code =
        |a: &Money, b: &Money| (a.currency.as_str(), a.minor).cmp(&(b.currency.as_str(), b.minor));
    wanted.sort_by(by_code);
    let mut current = in_force.clone();
    current.sort_by(by_code);
    // Judged on the prices as given (one whose currency is refused counts as given).
    let all_read = wanted.len() == input.prices.len();
    if exists
        && !input.price_on_request
        && !input.prices.is_empty()
        && (!all_read || wanted != current)
    {
        errors.push((
            "prices".into(),
            Msg::new("err-service-prices-by-version").text("code", code.clone()),
        ));
    }
    let none_given = if exists {
        current.is_empty()
    } else {
        input.prices.is_empty()
    };
    let prices = if exists { current } else { wanted };
    if input.price_on_request != none_given {
        errors.push(("prices".into(), Msg::new("err-service-prices-or-request")));
    }
    let (Some(unit), true) = (unit, errors.is_empty()) else {
        return Err(ServiceError::Invalid(errors));
    };
    let item = ServiceItem {
        code: code.clone(),
        name_ru: input.name_ru.trim().to_owned(),
        name_kk: input.name_kk.trim().to_owned(),
        name_en: input.name_en.trim().to_owned(),
        unit,
        price_on_request: input.price_on_request,
        prices,
    };
    store::put_item(&mut tx, &item, now).await?;
    if !exists {
        for price in &item.prices {
            store::add_price(
                &mut tx,
                &ServicePrice {
                    code: code.clone(),
                    amount: *price,
                    decided_on: local_date(now),
                    effective_from: local_date(now),
                },
                now,
            )
            .await?;
        }
    }
    let entry = who
        .audit("service.put")
        .target("service", code)
        .origin(origin)
        .details(json!(item));
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(item)
}

/// The catalogue of additional services with the prices in force today (public).
pub async fn catalogue(services: &Services) -> Result<Vec<ServiceItem>, ServiceError> {
    let today = local_date(services.clock.now());
    let mut conn = services.db.conn().await?;
    Ok(store::items(&mut conn, today).await?)
}

/// A page of the catalogue with the prices in force today (public).
pub async fn catalogue_page(
    services: &Services,
    req: &educenter_store::page::PageRequest,
) -> Result<educenter_store::page::Page<ServiceItem>, ServiceError> {
    let today = local_date(services.clock.now());
    let mut conn = services.db.conn().await?;
    Ok(store::items_page(&mut conn, today, req).await?)
}

/// Adds price versions to a service (super-admin), decided today or on `decided_on` (not in the
/// future), each effective no earlier than the decision and today (never retroactive, A-19).
/// Every school that uses the service is e-mailed now; the notices are recorded, and one still
/// unsent 5 days after the decision alerts the operator (R-5.8a).
pub async fn add_prices(
    services: &Services,
    who: &Principal,
    code: &str,
    decided_on: Option<&str>,
    prices: Vec<PriceInput>,
    origin: Origin,
) -> Result<Vec<ServicePrice>, ServiceError> {
    who.require_write()?;
    require_operator(who, OperatorAction::ManagePlatform)?;
    let now = services.clock.now();
    let today = local_date(now);
    let invalid = |f: &str, m: Msg| ServiceError::Invalid(vec![(f.to_owned(), m)]);
    let decided = match decided_on.map(str::trim).filter(|s| !s.is_empty()) {
        None => today,
        Some(s) => match s.parse::<Date>() {
            Ok(d) if d <= today => d,
            Ok(_) => return Err(invalid("decided_on", Msg::new("err-future"))),
            Err(_) => return Err(invalid("decided_on", Msg::date_format())),
        },
    };
    let not_before = decided.max(today);
    let mut errors = Vec::new();
    let mut rows = Vec::new();
    if prices.is_empty() {
        errors.push(("prices".to_owned(), Msg::new("err-prices-none")));
    }
    let mut seen = std::collections::BTreeSet::new();
    for (i, p) in prices.iter().enumerate() {
        let at = |f: &str| format!("prices[{i}].{f}");
        let currency = Currency::parse(&p.currency);
        if currency.is_none() {
            errors.push((at("currency"), Msg::one_of_words::<Currency>()));
        }
        if p.amount_minor <= 0 || p.amount_minor > educenter_domain::billing::MAX_AMOUNT_MINOR {
            errors.push((at("amount_minor"), Msg::amount()));
        }
        let effective_from = p.effective_from.parse::<Date>();
        match effective_from {
            Ok(d) if d < not_before => errors.push((
                at("effective_from"),
                Msg::new("err-not-before").date("date", not_before),
            )),
            Ok(_) => {}
            Err(_) => errors.push((at("effective_from"), Msg::date_format())),
        }
        if !seen.insert((p.currency.clone(), p.effective_from.clone())) {
            errors.push((at("currency"), Msg::new("err-price-twice")));
        }
        if let (Some(currency), Ok(effective_from)) = (currency, effective_from) {
            rows.push(ServicePrice {
                code: code.to_owned(),
                amount: Money::new(p.amount_minor, currency),
                decided_on: decided,
                effective_from,
            });
        }
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let mut tx = services.db.begin().await?;
    let Some(item) = store::items(&mut tx, today)
        .await?
        .into_iter()
        .find(|s| s.code == code)
    else {
        return Err(ServiceError::NotFound(
            Msg::new("err-no-service").text("code", code),
        ));
    };
    if item.price_on_request {
        return Err(ServiceError::Conflict(
            Msg::new("err-price-on-request").text("code", code),
        ));
    }
    for p in &rows {
        store::add_price(&mut tx, p, now).await?;
    }
    let mut dates: Vec<Date> = rows.iter().map(|p| p.effective_from).collect();
    dates.sort_unstable();
    dates.dedup();
    let tenants = store::tenants_using(&mut tx, code).await?;
    for effective in dates {
        let change = store::create_change(&mut tx, code, decided, effective, now).await?;
        let versions: Vec<&ServicePrice> = rows
            .iter()
            .filter(|p| p.effective_from == effective)
            .collect();
        for tenant_id in &tenants {
            notify(
                &mut tx, &item, tenant_id, &change, effective, &versions, now,
            )
            .await?;
        }
    }
    let entry = who
        .audit("service.prices")
        .target("service", code.to_owned())
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

/// E-mails one school the new prices of a service it uses, and records the notice.
async fn notify(
    tx: &mut Conn,
    item: &ServiceItem,
    tenant_id: &TenantId,
    change_id: &str,
    effective: Date,
    versions: &[&ServicePrice],
    now: Timestamp,
) -> Result<(), ServiceError> {
    let Some(tenant) = tenancy::get_in(tx, tenant_id).await? else {
        return Ok(());
    };
    let lang = crate::i18n::Lang::from_code(&tenant.locale).unwrap_or(crate::i18n::Lang::Ru);
    let prices = versions
        .iter()
        .map(|p| crate::i18n::format_money_of(lang, p.amount))
        .collect::<Vec<_>>()
        .join(", ");
    let effective_label = crate::i18n::format_date(lang, effective);
    if let Some(mail_id) = mail_owner_bulk(
        tx,
        &tenant,
        "service-price",
        &[
            ("service", name(lang, item)),
            ("effective", effective_label),
            ("prices", prices),
        ],
        now,
    )
    .await?
    {
        store::record_notice(tx, change_id, tenant_id, &mail_id).await?;
    }
    Ok(())
}

/// A service's name in a language.
pub fn name(lang: crate::i18n::Lang, item: &ServiceItem) -> String {
    match lang {
        crate::i18n::Lang::Ru => item.name_ru.clone(),
        crate::i18n::Lang::Kk => item.name_kk.clone(),
        crate::i18n::Lang::En => item.name_en.clone(),
    }
}

/// Alerts the super-admins and billing officers about service price changes whose notices are
/// still unsent at the end of the decision date + 5 days (R-5.8a); each change is checked once.
pub(crate) async fn alert_unsent(
    tx: &mut Conn,
    today: Date,
    now: Timestamp,
) -> Result<usize, ServiceError> {
    let cutoff = today.saturating_sub(jiff::Span::new().days(5)).to_string();
    let mut alerts = 0;
    for (change, unsent) in store::changes_to_check(tx, &cutoff).await? {
        if unsent > 0 {
            let mut args = fluent_bundle::FluentArgs::new();
            args.set("service", change.service_code.clone());
            args.set("decided", change.decided_on.to_string());
            args.set("unsent", unsent);
            let lang = crate::i18n::Lang::Ru;
            for to in educenter_store::billing::operator_emails(
                tx,
                &[OperatorRole::SuperAdmin, OperatorRole::Billing],
            )
            .await?
            {
                let mail = NewMail {
                    to,
                    subject: crate::i18n::catalogs().t_args(
                        lang,
                        "mail-service-price-alert-subject",
                        &args,
                    ),
                    text: crate::i18n::catalogs().t_args(
                        lang,
                        "mail-service-price-alert-body",
                        &args,
                    ),
                    html: None,
                    class: educenter_store::outbox::MailClass::Transactional,
                };
                educenter_store::outbox::queue(tx, &mail, now).await?;
            }
            tracing::error!(
                service = %change.service_code,
                decided_on = %change.decided_on,
                unsent,
                "service price notices still unsent 5 days after the decision"
            );
            let entry = Entry::new(audit::Actor::System, "service_price_change.alert")
                .target("service_price_change", change.id.clone())
                .details(json!({ "service": change.service_code, "unsent": unsent }));
            audit::record(tx, &entry, now).await?;
            alerts += 1;
        }
        store::mark_change_checked(tx, &change.id, now).await?;
    }
    Ok(alerts)
}

/// Coming price versions of the services the principal's school uses (its cabinet's notice).
pub async fn upcoming_for(
    services: &Services,
    who: &Principal,
) -> Result<Vec<(ServiceItem, Vec<ServicePrice>)>, ServiceError> {
    let Some(tenant_id) = who.tenant_id.as_ref() else {
        return Ok(Vec::new());
    };
    let today = local_date(services.clock.now());
    let mut conn = services.db.conn().await?;
    let used = store::used_by(&mut conn, tenant_id).await?;
    if used.is_empty() {
        return Ok(Vec::new());
    }
    let items = store::items(&mut conn, today).await?;
    let upcoming = store::upcoming_prices(&mut conn, today).await?;
    Ok(items
        .into_iter()
        .filter(|i| used.contains(&i.code))
        .filter_map(|i| {
            let prices: Vec<ServicePrice> = upcoming
                .iter()
                .filter(|p| p.code == i.code)
                .cloned()
                .collect();
            (!prices.is_empty()).then_some((i, prices))
        })
        .collect())
}
