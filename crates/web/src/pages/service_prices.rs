//! The back office's form for a version of an additional service's price (R-5.8a):
//! `/operator/billing/service-prices`.

use axum::{
    Form, Router,
    extract::State,
    http::{HeaderMap, StatusCode},
    routing::get,
};
use educenter_domain::{billing::parse_amount, clock::local_date};
use educenter_services::{
    ServiceError,
    access::Principal,
    service_items::{self, PriceInput},
};
use serde::Deserialize;

use super::{
    Layout, PageResult,
    account::FormPage,
    billing::{back_office_form, currency_options},
    forms::{Field, FieldErrors},
    redirect_with_flash,
};
use crate::{AppState, ClientOrigin, auth::OperatorUser};

pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/operator/billing/service-prices",
        get(form_page).post(submit),
    )
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct PriceForm {
    service: String,
    currency: String,
    amount: String,
    decided_on: String,
    effective_from: String,
}

async fn page<'a>(
    state: &'a AppState,
    headers: &HeaderMap,
    who: &Principal,
    form: &PriceForm,
    errors: &FieldErrors,
) -> Result<FormPage<'a>, ServiceError> {
    let l = Layout::for_user(state, headers, "/operator/billing/service-prices", who);
    let today = local_date(state.services().clock.now());
    let items = service_items::catalogue(state.services())
        .await?
        .into_iter()
        .filter(|s| !s.price_on_request)
        .map(|s| {
            let label = format!("{} ({})", service_items::name(l.lang, &s), s.code);
            (s.code, label)
        })
        .collect();
    let or = |v: &str, d: String| if v.is_empty() { d } else { v.to_owned() };
    let fields = vec![
        Field::new(&l, "service", "select")
            .value(&form.service)
            .options(items),
        Field::new(&l, "currency", "select")
            .value(or(&form.currency, "KZT".into()))
            .options(currency_options()),
        Field::new(&l, "amount", "text")
            .value(&form.amount)
            .hint(&l),
        Field::new(&l, "decided_on", "date").value(or(&form.decided_on, today.to_string())),
        Field::new(&l, "effective_from", "date")
            .value(&form.effective_from)
            .hint(&l),
    ];
    let mut page = back_office_form(l, "service-price", fields, errors);
    page.action = "/operator/billing/service-prices".into();
    Ok(page)
}

async fn form_page(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    headers: HeaderMap,
) -> PageResult {
    let page = page(
        &state,
        &headers,
        &who,
        &PriceForm::default(),
        &FieldErrors::default(),
    )
    .await?;
    Ok(page.respond(StatusCode::OK))
}

/// Adds a version of a service's price (super-admin): every school that uses the service is
/// told at once.
async fn submit(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<PriceForm>,
) -> PageResult {
    let l = Layout::new(&state, &headers, "/operator/billing/service-prices");
    let mut errors = FieldErrors::default();
    let outcome = match parse_amount(&form.amount).filter(|a| *a > 0) {
        Some(amount_minor) => {
            let decided = (!form.decided_on.is_empty()).then_some(form.decided_on.as_str());
            service_items::add_prices(
                state.services(),
                &who,
                form.service.trim(),
                decided,
                vec![PriceInput {
                    currency: form.currency.clone(),
                    amount_minor,
                    effective_from: form.effective_from.clone(),
                }],
                origin.0,
            )
            .await
        }
        None => Err(ServiceError::Invalid(vec![(
            "prices[0].amount_minor".into(),
            educenter_services::Msg::amount(),
        )])),
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
                    "effective_from" => ("effective_from", "error-effective_from"),
                    _ => ("amount", "error-amount"),
                };
                errors.set(to, l.t(key));
            }
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(ServiceError::NotFound(_) | ServiceError::Conflict(_)) => {
            errors.set("service", l.t("error-service"));
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(e) => return Err(e.into()),
    };
    let page = page(&state, &headers, &who, &form, &errors).await?;
    Ok(page.respond(status))
}
