//! The operator's forms for a school's money: refunds, quotes agreed by e-mail, and promotions.

use super::*;
use crate::pages::account::FormPage;

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub(crate) struct RefundForm {
    invoice_number: String,
    amount: String,
    reason: String,
    email_reference: String,
}

pub(crate) fn refund_page<'a>(
    state: &'a AppState,
    headers: &HeaderMap,
    who: &Principal,
    form: &RefundForm,
    errors: &FieldErrors,
) -> FormPage<'a> {
    let l = Layout::for_user(state, headers, "/operator/billing/refunds", who);
    let fields = vec![
        Field::new(&l, "invoice_number", "text").value(&form.invoice_number),
        Field::new(&l, "amount", "text")
            .value(&form.amount)
            .hint(&l),
        Field::new(&l, "reason", "textarea").value(&form.reason),
        Field::new(&l, "email_reference", "text").value(&form.email_reference),
    ];
    back_office_form(l, "refund", fields, errors)
}

pub(crate) async fn refund_form(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    headers: HeaderMap,
) -> PageResult {
    Ok(refund_page(
        &state,
        &headers,
        &who,
        &RefundForm::default(),
        &FieldErrors::default(),
    )
    .respond(StatusCode::OK))
}

/// A refund from the form (billing officer, R-5.7); a refund over the cap names the cap.
pub(crate) async fn refund_submit(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<RefundForm>,
) -> PageResult {
    let l = Layout::new(&state, &headers, "/operator/billing/refunds");
    let mut errors = FieldErrors::default();
    let Some(amount_minor) = parse_amount(&form.amount) else {
        errors.set("amount", l.t("error-amount"));
        return Ok(refund_page(&state, &headers, &who, &form, &errors)
            .respond(StatusCode::UNPROCESSABLE_ENTITY));
    };
    let input = billing::payments::RefundInput {
        invoice_number: form.invoice_number.clone(),
        amount_minor,
        reason: form.reason.clone(),
        email_reference: form.email_reference.clone(),
    };
    let status = match billing::payments::refund(state.services(), &who, input, origin.0).await {
        Ok(_) => {
            return Ok(redirect_with_flash(
                &state,
                "/operator/billing",
                "refund-recorded",
            ));
        }
        Err(ServiceError::Invalid(found)) => {
            for (field, message) in found {
                match field.as_str() {
                    // The cap is a number the officer needs to see.
                    "amount_minor" => errors.set("amount", l.say(&message)),
                    "reason" => errors.set("reason", l.say(&message)),
                    _ => errors.set("email_reference", l.say(&message)),
                }
            }
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(ServiceError::NotFound(_)) => {
            errors.set("invoice_number", l.t("error-invoice_number"));
            StatusCode::NOT_FOUND
        }
        Err(ServiceError::Conflict(message)) => {
            errors.form = Some(l.say(&message));
            StatusCode::CONFLICT
        }
        Err(e) => return Err(e.into()),
    };
    Ok(refund_page(&state, &headers, &who, &form, &errors).respond(status))
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub(crate) struct QuoteForm {
    tenant: String,
    currency: String,
    description: String,
    amount: String,
    email_reference: String,
}

pub(crate) fn quote_page<'a>(
    state: &'a AppState,
    headers: &HeaderMap,
    who: &Principal,
    form: &QuoteForm,
    errors: &FieldErrors,
) -> FormPage<'a> {
    let l = Layout::for_user(state, headers, "/operator/billing/quotes", who);
    let fields = vec![
        Field::new(&l, "tenant", "text").value(&form.tenant),
        Field::new(&l, "currency", "select")
            .value(if form.currency.is_empty() {
                "KZT"
            } else {
                form.currency.as_str()
            })
            .options(currency_options()),
        Field::new(&l, "description", "text").value(&form.description),
        Field::new(&l, "amount", "text")
            .value(&form.amount)
            .hint(&l),
        Field::new(&l, "email_reference", "text").value(&form.email_reference),
    ];
    back_office_form(l, "quote", fields, errors)
}

pub(crate) async fn quote_form(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    headers: HeaderMap,
) -> PageResult {
    Ok(quote_page(
        &state,
        &headers,
        &who,
        &QuoteForm::default(),
        &FieldErrors::default(),
    )
    .respond(StatusCode::OK))
}

/// A quote from the form (billing officer, R-5.3): its invoice is issued at once.
pub(crate) async fn quote_submit(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<QuoteForm>,
) -> PageResult {
    let l = Layout::new(&state, &headers, "/operator/billing/quotes");
    let mut errors = FieldErrors::default();
    let Some(amount_minor) = parse_amount(&form.amount) else {
        errors.set("amount", l.t("error-amount"));
        return Ok(quote_page(&state, &headers, &who, &form, &errors)
            .respond(StatusCode::UNPROCESSABLE_ENTITY));
    };
    let input = billing::changes::QuoteInput {
        tenant: form.tenant.clone(),
        currency: form.currency.clone(),
        items: vec![(form.description.clone(), amount_minor)],
        email_reference: form.email_reference.clone(),
    };
    match billing::changes::create_quote(state.services(), &who, input, origin.0).await {
        Ok(_) => Ok(redirect_with_flash(
            &state,
            "/operator/billing",
            "quote-recorded",
        )),
        Err(ServiceError::Invalid(found)) => {
            let errors = FieldErrors::from_service(
                &l,
                found,
                &[
                    ("tenant", "tenant"),
                    ("currency", "currency"),
                    ("items[0].description", "description"),
                    ("items[0].amount_minor", "amount"),
                    ("email_reference", "email_reference"),
                ],
            );
            Ok(quote_page(&state, &headers, &who, &form, &errors)
                .respond(StatusCode::UNPROCESSABLE_ENTITY))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub(crate) struct PromotionForm {
    code: String,
    promo_kind: String,
    value: String,
    currency: String,
    plans: String,
    valid_from: String,
    valid_to: String,
}

pub(crate) fn promotion_page<'a>(
    state: &'a AppState,
    headers: &HeaderMap,
    who: &Principal,
    form: &PromotionForm,
    errors: &FieldErrors,
) -> FormPage<'a> {
    let l = Layout::for_user(state, headers, "/operator/billing/promotions", who);
    let kinds = PromotionKind::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), l.t(&format!("promotion-kind-{k}"))))
        .collect();
    let fields = vec![
        Field::new(&l, "code", "text").value(&form.code),
        Field::new(&l, "promo_kind", "select")
            .value(if form.promo_kind.is_empty() {
                PromotionKind::Percent.as_str()
            } else {
                form.promo_kind.as_str()
            })
            .options(kinds),
        Field::new(&l, "value", "text").value(&form.value).hint(&l),
        Field::new(&l, "currency", "select")
            .value(if form.currency.is_empty() {
                "KZT"
            } else {
                form.currency.as_str()
            })
            .options(currency_options()),
        Field::new(&l, "plans", "text")
            .value(&form.plans)
            .hint(&l)
            .optional(),
        Field::new(&l, "valid_from", "date").value(&form.valid_from),
        Field::new(&l, "valid_to", "date").value(&form.valid_to),
    ];
    back_office_form(l, "promotion", fields, errors)
}

pub(crate) async fn promotion_form(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    headers: HeaderMap,
) -> PageResult {
    Ok(promotion_page(
        &state,
        &headers,
        &who,
        &PromotionForm::default(),
        &FieldErrors::default(),
    )
    .respond(StatusCode::OK))
}

/// Creates or changes a promotion from the form (super-admin); a percentage is typed as a
/// whole number, a fixed amount as people write money.
pub(crate) async fn promotion_submit(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<PromotionForm>,
) -> PageResult {
    let l = Layout::new(&state, &headers, "/operator/billing/promotions");
    let value = if PromotionKind::parse(&form.promo_kind) == Some(PromotionKind::Fixed) {
        parse_amount(&form.value)
    } else {
        form.value.trim().parse::<i64>().ok()
    };
    let Some(value) = value else {
        let mut errors = FieldErrors::default();
        errors.set("value", l.t("error-value"));
        return Ok(promotion_page(&state, &headers, &who, &form, &errors)
            .respond(StatusCode::UNPROCESSABLE_ENTITY));
    };
    let input = billing::catalog::PromotionInput {
        code: form.code.clone(),
        kind: form.promo_kind.clone(),
        value,
        currency: Some(form.currency.clone()),
        plans: form
            .plans
            .split([',', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        valid_from: form.valid_from.clone(),
        valid_to: form.valid_to.clone(),
    };
    match billing::catalog::put_promotion(state.services(), &who, input, origin.0).await {
        Ok(_) => Ok(redirect_with_flash(
            &state,
            "/operator/billing/promotions",
            "promotion-saved",
        )),
        Err(ServiceError::Invalid(found)) => {
            let mut errors = FieldErrors::default();
            for (field, _) in found {
                let (to, key) = match field.as_str() {
                    "code" => ("code", "error-code"),
                    "value" => ("value", "error-value"),
                    "kind" => ("promo_kind", "error-kind-promotion"),
                    "currency" => ("currency", "error-currency"),
                    "valid_from" => ("valid_from", "error-valid_from"),
                    "valid_to" => ("valid_to", "error-valid_to"),
                    _ => ("plans", "error-plans"),
                };
                errors.set(to, l.t(key));
            }
            Ok(promotion_page(&state, &headers, &who, &form, &errors)
                .respond(StatusCode::UNPROCESSABLE_ENTITY))
        }
        Err(e) => Err(e.into()),
    }
}
