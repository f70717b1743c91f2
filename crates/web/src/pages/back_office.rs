//! The billing officer's and super-admin's forms beside the billing page: money received
//! without an invoice to match and matching it, new plans with their first prices,
//! and new price versions (R-1.4, R-5.8a).

use std::collections::BTreeMap;

use axum::{
    Form, Router,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    routing::{get, post},
};
use educenter_domain::{
    billing::{TERMS, parse_amount},
    clock::local_date,
};
use educenter_services::{
    ServiceError,
    access::Principal,
    billing::{self, catalog::PlanInput, catalog::PriceInput},
    receipts::{self, NewReceipt},
};
use serde::Deserialize;

use super::{
    Layout, PageResult,
    account::FormPage,
    billing::{Again, MatchError, back_office_form, currency_options, render_operator},
    forms::{Field, FieldErrors},
    redirect_with_flash,
};
use crate::{AppState, ClientOrigin, auth::OperatorUser};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/operator/billing/receipts",
            get(receipt_form).post(receipt_submit),
        )
        .route("/operator/billing/receipts/{id}/match", post(match_submit))
        .route("/operator/billing/plans", get(plan_form).post(plan_submit))
        .route(
            "/operator/billing/prices",
            get(price_form).post(price_submit),
        )
        .route(
            "/operator/billing/trial-plan",
            get(trial_plan_form).post(trial_plan_submit),
        )
}

/// The trial plan's form: the plans, and the built-in limits.
async fn trial_plan_page<'a>(
    state: &'a AppState,
    headers: &HeaderMap,
    who: &Principal,
    errors: &FieldErrors,
) -> Result<super::account::FormPage<'a>, ServiceError> {
    let l = Layout::for_user(state, headers, "/operator/billing/trial-plan", who);
    let today = local_date(state.services().clock.now());
    let current = billing::limits::trial_plan(state.services(), who).await?;
    let mut options = vec![(String::new(), l.t("trial-plan-builtin"))];
    for (plan, _) in billing::catalog::catalogue(state.services(), today).await? {
        let name = billing::catalog::plan_label(l.lang, &plan);
        options.push((plan.code, name));
    }
    let fields = vec![
        Field::new(&l, "plan", "select")
            .value(current.map(|p| p.code).unwrap_or_default())
            .options(options),
    ];
    let mut page = back_office_form(l, "trial-plan", fields, errors);
    page.action = "/operator/billing/trial-plan".into();
    Ok(page)
}

async fn trial_plan_form(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    headers: HeaderMap,
) -> PageResult {
    let page = trial_plan_page(&state, &headers, &who, &FieldErrors::default()).await?;
    Ok(page.respond(StatusCode::OK))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TrialPlanForm {
    plan: String,
}

/// Chooses the trial plan (super-admin).
async fn trial_plan_submit(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<TrialPlanForm>,
) -> PageResult {
    let plan = Some(form.plan.trim()).filter(|p| !p.is_empty());
    match billing::limits::set_trial_plan(state.services(), &who, plan, origin.0).await {
        Ok(_) => Ok(redirect_with_flash(
            &state,
            "/operator/billing",
            "trial-plan-saved",
        )),
        Err(ServiceError::Invalid(_)) => {
            let l = Layout::new(&state, &headers, "/operator/billing/trial-plan");
            let mut errors = FieldErrors::default();
            errors.set("plan", l.t("error-plan"));
            let page = trial_plan_page(&state, &headers, &who, &errors).await?;
            Ok(page.respond(StatusCode::UNPROCESSABLE_ENTITY))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct ReceiptForm {
    reference: String,
    amount: String,
    currency: String,
    received_on: String,
    payer: String,
    purpose: String,
}

fn receipt_page<'a>(
    state: &'a AppState,
    headers: &HeaderMap,
    who: &Principal,
    form: &ReceiptForm,
    errors: &FieldErrors,
) -> FormPage<'a> {
    let l = Layout::for_user(state, headers, "/operator/billing/receipts", who);
    let fields = vec![
        Field::new(&l, "reference", "text").value(&form.reference),
        Field::new(&l, "amount", "text")
            .value(&form.amount)
            .hint(&l),
        Field::new(&l, "currency", "select")
            .value(if form.currency.is_empty() {
                "KZT"
            } else {
                form.currency.as_str()
            })
            .options(currency_options()),
        Field::new(&l, "received_on", "date").value(&form.received_on),
        Field::new(&l, "payer", "text")
            .value(&form.payer)
            .optional(),
        Field::new(&l, "purpose", "textarea")
            .value(&form.purpose)
            .optional(),
    ];
    back_office_form(l, "receipt", fields, errors)
}

async fn receipt_form(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    headers: HeaderMap,
) -> PageResult {
    Ok(receipt_page(
        &state,
        &headers,
        &who,
        &ReceiptForm::default(),
        &FieldErrors::default(),
    )
    .respond(StatusCode::OK))
}

/// Records money from the statement whose invoice is not known yet.
async fn receipt_submit(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<ReceiptForm>,
) -> PageResult {
    let l = Layout::new(&state, &headers, "/operator/billing/receipts");
    let Some(amount_minor) = parse_amount(&form.amount) else {
        let mut errors = FieldErrors::default();
        errors.set("amount", l.t("error-amount"));
        return Ok(receipt_page(&state, &headers, &who, &form, &errors)
            .respond(StatusCode::UNPROCESSABLE_ENTITY));
    };
    let input = NewReceipt {
        reference: form.reference.clone(),
        amount_minor,
        currency: form.currency.clone(),
        received_on: form.received_on.clone(),
        payer: form.payer.clone(),
        purpose: form.purpose.clone(),
    };
    match receipts::record(state.services(), &who, input, origin.0).await {
        Ok((_, true)) => Ok(redirect_with_flash(
            &state,
            "/operator/billing",
            "receipt-recorded",
        )),
        Ok((_, false)) => Ok(redirect_with_flash(
            &state,
            "/operator/billing",
            "payment-known",
        )),
        Err(ServiceError::Invalid(found)) => {
            let errors = FieldErrors::from_service(
                &l,
                found,
                &[
                    ("reference", "reference"),
                    ("amount_minor", "amount"),
                    ("currency", "currency"),
                    ("received_on", "received_on"),
                    ("payer", "payer"),
                    ("purpose", "purpose"),
                ],
            );
            Ok(receipt_page(&state, &headers, &who, &form, &errors)
                .respond(StatusCode::UNPROCESSABLE_ENTITY))
        }
        Err(ServiceError::Conflict(message)) => {
            let mut errors = FieldErrors::default();
            errors.form = Some(l.say(&message));
            Ok(receipt_page(&state, &headers, &who, &form, &errors).respond(StatusCode::CONFLICT))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MatchForm {
    invoice_number: String,
}

/// Matches a receipt to an invoice; an error shows beside that receipt's field.
async fn match_submit(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<MatchForm>,
) -> PageResult {
    let l = Layout::new(&state, &headers, "/operator/billing");
    let outcome =
        receipts::match_to_invoice(state.services(), &who, &id, &form.invoice_number, origin.0)
            .await;
    let (status, message) = match outcome {
        Ok(_) => {
            return Ok(redirect_with_flash(
                &state,
                "/operator/billing",
                "receipt-matched",
            ));
        }
        Err(ServiceError::NotFound(m)) if m.key == "err-no-invoice-number" => {
            (StatusCode::NOT_FOUND, l.t("error-invoice_number"))
        }
        Err(ServiceError::Invalid(_)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            l.t("error-match-currency"),
        ),
        Err(ServiceError::Conflict(_)) => (StatusCode::CONFLICT, l.t("error-match-done")),
        Err(e) => return Err(e.into()),
    };
    render_operator(
        &state,
        &headers,
        &who,
        Again {
            match_error: Some(MatchError {
                receipt: id,
                typed: form.invoice_number,
                message,
            }),
            ..Again::default()
        },
        status,
    )
    .await
}

/// The price inputs of the new-plan form: one per currency and term; a blank one is not sold.
const PRICE_FIELDS: [(&str, &str, i64); 12] = [
    ("price_kzt_1", "KZT", 1),
    ("price_kzt_3", "KZT", 3),
    ("price_kzt_6", "KZT", 6),
    ("price_kzt_12", "KZT", 12),
    ("price_eur_1", "EUR", 1),
    ("price_eur_3", "EUR", 3),
    ("price_eur_6", "EUR", 6),
    ("price_eur_12", "EUR", 12),
    ("price_usd_1", "USD", 1),
    ("price_usd_3", "USD", 3),
    ("price_usd_6", "USD", 6),
    ("price_usd_12", "USD", 12),
];

/// Plain form fields of the new-plan form (the prices come after them).
const PLAN_FIELDS: [&str; 9] = [
    "code",
    "name_ru",
    "name_kk",
    "name_en",
    "limit_students",
    "limit_staff",
    "limit_storage_gb",
    "limit_courses",
    "effective_from",
];

fn term_label(l: &Layout<'_>, currency: &str, months: i64) -> String {
    format!("{} · {}", currency, l.months(months))
}

fn plan_page<'a>(
    state: &'a AppState,
    headers: &HeaderMap,
    who: &Principal,
    form: &BTreeMap<String, String>,
    errors: &FieldErrors,
) -> FormPage<'a> {
    let l = Layout::for_user(state, headers, "/operator/billing/plans", who);
    let value = |name: &str| form.get(name).cloned().unwrap_or_default();
    let mut fields: Vec<Field> = PLAN_FIELDS
        .iter()
        .map(|name| {
            let kind = if *name == "effective_from" {
                "date"
            } else {
                "text"
            };
            let mut f = Field::new(&l, name, kind).value(value(name));
            if name.starts_with("limit_") {
                f = f.hint(&l);
            }
            f
        })
        .collect();
    if fields[8].value.is_empty() {
        fields[8].value = local_date(state.services().clock.now()).to_string();
    }
    for (name, currency, months) in PRICE_FIELDS {
        fields.push(
            Field::labelled(name, "text", term_label(&l, currency, months))
                .value(value(name))
                .optional(),
        );
    }
    back_office_form(l, "plan", fields, errors)
}

async fn plan_form(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    headers: HeaderMap,
) -> PageResult {
    Ok(plan_page(
        &state,
        &headers,
        &who,
        &BTreeMap::new(),
        &FieldErrors::default(),
    )
    .respond(StatusCode::OK))
}

/// Creates a plan with its first prices (super-admin): limits are whole numbers (storage in
/// GB, 10^9 bytes), prices are typed as people write money, and a blank price is a term not sold.
async fn plan_submit(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<BTreeMap<String, String>>,
) -> PageResult {
    let l = Layout::new(&state, &headers, "/operator/billing/plans");
    let value = |name: &str| form.get(name).map(|v| v.trim()).unwrap_or_default();
    let mut errors = FieldErrors::default();
    let mut limits = [0i64; 4];
    for (i, name) in [
        "limit_students",
        "limit_staff",
        "limit_storage_gb",
        "limit_courses",
    ]
    .into_iter()
    .enumerate()
    {
        match value(name).replace([' ', '\u{a0}'], "").parse::<i64>() {
            Ok(n) if (0..=1_000_000_000).contains(&n) => {
                limits[i] = if name == "limit_storage_gb" {
                    // A gigabyte is 10^9 bytes everywhere: 100 GB stays 100 GB.
                    n * educenter_domain::billing::BYTES_PER_GB
                } else {
                    n
                };
            }
            _ => errors.set(name, l.t("error-limit")),
        }
    }
    let effective_from = value("effective_from").to_owned();
    let mut prices = Vec::new();
    let mut price_fields = Vec::new();
    for (name, currency, months) in PRICE_FIELDS {
        let typed = value(name);
        if typed.is_empty() {
            continue;
        }
        match parse_amount(typed) {
            Some(amount_minor) if amount_minor > 0 => {
                prices.push(PriceInput {
                    currency: currency.to_owned(),
                    months,
                    amount_minor,
                    effective_from: effective_from.clone(),
                });
                price_fields.push(name);
            }
            _ => errors.set(name, l.t("error-amount")),
        }
    }
    if prices.is_empty() && errors.form.is_none() {
        errors.form = Some(l.t("error-plan-prices"));
    }
    if errors.form.is_some() || errors.has_any() {
        return Ok(plan_page(&state, &headers, &who, &form, &errors)
            .respond(StatusCode::UNPROCESSABLE_ENTITY));
    }
    let input = PlanInput {
        code: value("code").to_owned(),
        name_ru: value("name_ru").to_owned(),
        name_kk: value("name_kk").to_owned(),
        name_en: value("name_en").to_owned(),
        limits,
        prices,
    };
    match billing::catalog::create_plan(state.services(), &who, input, origin.0).await {
        Ok(_) => Ok(redirect_with_flash(
            &state,
            "/operator/billing",
            "plan-created",
        )),
        Err(ServiceError::Invalid(found)) => {
            let mut errors = FieldErrors::default();
            for (field, _) in found {
                if let Some(rest) = field.strip_prefix("prices[") {
                    // prices[i].effective_from is the one date; other price errors are the input's.
                    let index = rest.split(']').next().and_then(|i| i.parse::<usize>().ok());
                    if field.ends_with("effective_from") {
                        errors.set("effective_from", l.t("error-effective_from"));
                    } else if let Some(name) = index.and_then(|i| price_fields.get(i)) {
                        errors.set(name, l.t("error-amount"));
                    }
                    continue;
                }
                let (to, key) = match field.as_str() {
                    "code" => ("code", "error-plan-code"),
                    "name.ru" => ("name_ru", "error-plan-name"),
                    "name.kk" => ("name_kk", "error-plan-name"),
                    "name.en" => ("name_en", "error-plan-name"),
                    _ => ("limit_students", "error-limit"),
                };
                errors.set(to, l.t(key));
            }
            Ok(plan_page(&state, &headers, &who, &form, &errors)
                .respond(StatusCode::UNPROCESSABLE_ENTITY))
        }
        Err(ServiceError::Conflict(_) | ServiceError::Taken(..)) => {
            let mut errors = FieldErrors::default();
            errors.set("code", l.t("error-plan-exists"));
            Ok(plan_page(&state, &headers, &who, &form, &errors).respond(StatusCode::CONFLICT))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct PriceForm {
    plan: String,
    currency: String,
    months: String,
    amount: String,
    decided_on: String,
    effective_from: String,
}

async fn price_page<'a>(
    state: &'a AppState,
    headers: &HeaderMap,
    who: &Principal,
    form: &PriceForm,
    errors: &FieldErrors,
) -> Result<FormPage<'a>, ServiceError> {
    let l = Layout::for_user(state, headers, "/operator/billing/prices", who);
    let today = local_date(state.services().clock.now());
    let plans = billing::catalog::catalogue(state.services(), today)
        .await?
        .into_iter()
        .map(|(p, _)| {
            let label = format!("{} ({})", billing::catalog::plan_label(l.lang, &p), p.code);
            (p.code, label)
        })
        .collect();
    let terms = TERMS
        .iter()
        .map(|m| (m.to_string(), l.months(i64::from(*m))))
        .collect();
    let or = |v: &str, d: String| if v.is_empty() { d } else { v.to_owned() };
    let fields = vec![
        Field::new(&l, "plan", "select")
            .value(&form.plan)
            .options(plans),
        Field::new(&l, "currency", "select")
            .value(or(&form.currency, "KZT".into()))
            .options(currency_options()),
        Field::new(&l, "months", "select")
            .value(or(&form.months, "1".into()))
            .options(terms),
        Field::new(&l, "amount", "text")
            .value(&form.amount)
            .hint(&l),
        Field::new(&l, "decided_on", "date").value(or(&form.decided_on, today.to_string())),
        Field::new(&l, "effective_from", "date")
            .value(&form.effective_from)
            .hint(&l),
    ];
    Ok(back_office_form(l, "price", fields, errors))
}

async fn price_form(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    headers: HeaderMap,
) -> PageResult {
    let page = price_page(
        &state,
        &headers,
        &who,
        &PriceForm::default(),
        &FieldErrors::default(),
    )
    .await?;
    Ok(page.respond(StatusCode::OK))
}

/// Adds a price version (super-admin): every school on the plan is told at once (R-5.8a).
async fn price_submit(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<PriceForm>,
) -> PageResult {
    let l = Layout::new(&state, &headers, "/operator/billing/prices");
    let mut errors = FieldErrors::default();
    let amount = parse_amount(&form.amount).filter(|a| *a > 0);
    if amount.is_none() {
        errors.set("amount", l.t("error-amount"));
    }
    let months = form.months.parse::<i64>().ok();
    if months.is_none() {
        errors.set("months", l.t("error-months"));
    }
    let outcome = match (amount, months) {
        (Some(amount_minor), Some(months)) => {
            let prices = vec![PriceInput {
                currency: form.currency.clone(),
                months,
                amount_minor,
                effective_from: form.effective_from.clone(),
            }];
            let decided = (!form.decided_on.is_empty()).then_some(form.decided_on.as_str());
            billing::catalog::add_prices(
                state.services(),
                &who,
                form.plan.trim(),
                decided,
                prices,
                origin.0,
            )
            .await
        }
        _ => Err(ServiceError::Invalid(Vec::new())),
    };
    let status = match outcome {
        Ok(_) => {
            return Ok(redirect_with_flash(
                &state,
                "/operator/billing",
                "price-added",
            ));
        }
        Err(ServiceError::Invalid(found)) => {
            for (field, _) in found {
                let (to, key) = match field.rsplit('.').next().unwrap_or_default() {
                    "decided_on" => ("decided_on", "error-decided_on"),
                    "currency" => ("currency", "error-currency"),
                    "months" => ("months", "error-months"),
                    "effective_from" => ("effective_from", "error-effective_from"),
                    _ => ("amount", "error-amount"),
                };
                errors.set(to, l.t(key));
            }
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(ServiceError::NotFound(_)) => {
            errors.set("plan", l.t("error-plan"));
            StatusCode::NOT_FOUND
        }
        Err(e) => return Err(e.into()),
    };
    let page = price_page(&state, &headers, &who, &form, &errors).await?;
    Ok(page.respond(status))
}
