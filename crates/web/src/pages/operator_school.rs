//! A school's money on its page in the back office (issue 17, item 6): its licence, periods,
//! usage, invoices, payments and acts, and the billing officer's actions there: record a
//! payment (after a confirmation that repeats the amount and the school), move the trial's last
//! day with a reason, and move the school to another plan.

use askama::Template;
use axum::{
    Form, Router,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    routing::post,
};
use educenter_domain::{billing::parse_amount, roles::OperatorAction};
use educenter_services::{
    Msg, ServiceError,
    access::Principal,
    billing::{self, school::SchoolMoney},
    i18n::{format_money, format_money_of, format_size},
};
use serde::Deserialize;

use super::{
    Layout, PageResult,
    forms::{Field, FieldErrors},
    redirect_with_flash,
};
use crate::{AppState, ClientOrigin, auth::OperatorUser};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/operator/tenants/{id}/payments/confirm",
            post(confirm_payment),
        )
        .route("/operator/tenants/{id}/payments", post(record_payment))
        .route("/operator/tenants/{id}/trial", post(change_trial))
        .route("/operator/tenants/{id}/plan", post(move_plan))
}

/// The billing forms' values and errors when the school's page is shown again.
#[derive(Default)]
pub(super) struct MoneyForms {
    pub payment: PaymentForm,
    pub trial: TrialForm,
    pub plan: PlanForm,
    pub errors: FieldErrors,
}

/// The school's money in words, and the billing officer's forms.
pub(super) struct MoneySection {
    /// (label, value) of the licence.
    pub licence: Vec<(String, String)>,
    /// (label, used of the limit).
    pub usage: Vec<(String, String)>,
    /// from, to, plan, invoice number.
    pub periods: Vec<[String; 4]>,
    /// id, number, issued, due, total, paid, status.
    pub invoices: Vec<[String; 7]>,
    /// received, amount, channel, reference, invoice number.
    pub payments: Vec<[String; 5]>,
    /// number, month, total, status.
    pub acts: Vec<[String; 4]>,
    /// The signed-in role records payments, moves the trial and the plan (billing officer).
    pub may_bill: bool,
    /// A billing form's error that belongs to no one field.
    pub form_error: Option<String>,
    pub payment_fields: Vec<Field>,
    pub trial_fields: Vec<Field>,
    pub plan_fields: Vec<Field>,
}

/// The school's money for its page.
pub(super) async fn section(
    state: &AppState,
    l: &Layout<'_>,
    who: &Principal,
    tenant_id: &str,
    forms: MoneyForms,
) -> Result<MoneySection, ServiceError> {
    let services = state.services();
    let SchoolMoney {
        licence,
        invoices,
        payments,
        acts,
    } = billing::school::school_money(services, who, tenant_id).await?;
    let plan_names = billing::catalog::plan_names(services, l.lang).await?;
    let plan_of = |code: &str| {
        plan_names
            .get(code)
            .cloned()
            .unwrap_or_else(|| code.to_owned())
    };
    let number_of = |id: &str| {
        invoices
            .iter()
            .find(|i| i.id.as_str() == id)
            .map(|i| i.number.clone())
            .unwrap_or_default()
    };
    let mut facts = vec![
        (l.t("operator-state"), l.state_name(&licence.state)),
        (l.t("operator-trial-ends"), l.date(&licence.trial_ends_on)),
        (
            l.t("operator-deadline"),
            l.date(&licence.application_deadline),
        ),
    ];
    if let Some(plan) = &licence.plan {
        facts.push((l.t("field-plan"), plan_of(&plan.code)));
    }
    if let Some(d) = licence.paid_through {
        facts.push((l.t("billing-paid-through"), l.date(&d)));
    }
    if !licence.credit.is_empty() {
        let credit = licence
            .credit
            .iter()
            .map(|m| format_money_of(l.lang, *m))
            .collect::<Vec<_>>();
        facts.push((l.t("billing-credit"), credit.join(", ")));
    }
    let (u, lim) = (&licence.usage, &licence.limits);
    let of = |used: String, limit: String| {
        l.t_args("home-usage-of", &[("used", used), ("limit", limit)])
    };
    let usage = vec![
        (
            l.t("home-usage-students"),
            of(u.students.to_string(), lim.students.to_string()),
        ),
        (
            l.t("home-usage-staff"),
            of(u.staff.to_string(), lim.staff.to_string()),
        ),
        (
            l.t("home-usage-courses"),
            of(u.courses.to_string(), lim.courses.to_string()),
        ),
        (
            l.t("home-usage-storage"),
            of(
                format_size(l.lang, u.storage_bytes),
                format_size(l.lang, lim.storage_bytes + licence.extra_storage_bytes),
            ),
        ),
    ];
    let may_bill = who.operator_may(OperatorAction::ManageBilling);
    let open: Vec<(String, String)> = invoices
        .iter()
        .filter(|i| i.status.is_open())
        .map(|i| {
            let due = i.total_minor - i.paid_minor;
            (
                i.number.clone(),
                format!("{} — {}", i.number, format_money(l.lang, due, i.currency)),
            )
        })
        .collect();
    let MoneyForms {
        payment,
        trial,
        plan,
        errors,
    } = forms;
    let form_error = errors.form.clone();
    let mut payment_fields = vec![
        Field::new(l, "invoice_number", "select")
            .value(payment.invoice_number)
            .options(open),
        Field::new(l, "amount", "text").value(payment.amount),
        Field::new(l, "received_on", "date").value(payment.received_on),
        Field::new(l, "reference", "text").value(payment.reference),
    ];
    errors.apply(&mut payment_fields);
    let mut trial_fields = vec![
        Field::new(l, "ends_on", "date")
            .value(if trial.ends_on.is_empty() {
                licence.trial_ends_on.to_string()
            } else {
                trial.ends_on
            })
            .hint(l),
        Field::new(l, "trial_reason", "textarea").value(trial.trial_reason),
    ];
    errors.apply(&mut trial_fields);
    let plans = plan_names
        .iter()
        .map(|(code, name)| (code.clone(), name.clone()))
        .collect();
    let terms = educenter_domain::billing::TERMS
        .iter()
        .map(|m| (m.to_string(), l.months(i64::from(*m))))
        .collect();
    let mut plan_fields = vec![
        Field::new(l, "plan", "select")
            .value(plan.plan)
            .options(plans),
        Field::new(l, "months", "select")
            .value(if plan.months.is_empty() {
                "1".to_owned()
            } else {
                plan.months
            })
            .options(terms),
    ];
    errors.apply(&mut plan_fields);
    Ok(MoneySection {
        licence: facts,
        usage,
        periods: licence
            .periods
            .iter()
            .map(|p| {
                [
                    l.date(&p.from),
                    l.date(&p.to),
                    plan_of(&p.plan),
                    p.invoice_number.clone(),
                ]
            })
            .collect(),
        invoices: invoices
            .iter()
            .map(|i| {
                [
                    i.id.to_string(),
                    i.number.clone(),
                    l.date(&i.issued_on),
                    l.date(&i.due_on),
                    format_money(l.lang, i.total_minor, i.currency),
                    format_money(l.lang, i.paid_minor, i.currency),
                    l.t(&format!("invoice-status-{}", i.status)),
                ]
            })
            .collect(),
        payments: payments
            .iter()
            .map(|p| {
                [
                    l.date(&p.received_on),
                    format_money_of(l.lang, p.amount),
                    l.t(&format!("payment-channel-{}", p.channel)),
                    p.reference.clone(),
                    number_of(p.invoice_id.as_str()),
                ]
            })
            .collect(),
        acts: acts
            .iter()
            .map(|a| {
                [
                    a.number.clone(),
                    l.month(&a.month),
                    format_money(l.lang, a.total_minor, a.currency),
                    l.t(&format!("act-status-{}", a.status)),
                ]
            })
            .collect(),
        may_bill,
        form_error,
        payment_fields,
        trial_fields,
        plan_fields,
    })
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub(super) struct PaymentForm {
    invoice_number: String,
    amount: String,
    received_on: String,
    reference: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TrialForm {
    ends_on: String,
    trial_reason: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct PlanForm {
    plan: String,
    months: String,
}

/// The school's page again, with a form's values and errors.
async fn again(
    state: &AppState,
    headers: &HeaderMap,
    who: &Principal,
    id: &str,
    origin: ClientOrigin,
    money: MoneyForms,
) -> PageResult {
    super::operator::render_tenant_with(
        state,
        headers,
        who,
        id,
        origin,
        money,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

#[derive(Template)]
#[template(path = "operator_payment_confirm.html")]
struct ConfirmPage<'a> {
    l: Layout<'a>,
    id: String,
    form: PaymentForm,
    /// "30 000,00 KZT from «School» (BIN …) for invoice № …, received on …".
    summary: String,
}

/// The payment's confirmation: the amount, the school and the invoice said again before it is
/// recorded (nothing is recorded yet).
async fn confirm_payment(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<PaymentForm>,
) -> PageResult {
    let l = Layout::for_user(&state, &headers, "/operator", &who);
    let open = billing::school::open_invoices(state.services(), &who, &id).await?;
    let invoice = open.iter().find(|i| i.number == form.invoice_number);
    let amount = parse_amount(&form.amount);
    let received = form.received_on.trim().parse::<jiff::civil::Date>().ok();
    let mut errors = FieldErrors::default();
    if invoice.is_none() {
        errors.set("invoice_number", l.t("error-choose-invoice"));
    }
    if amount.is_none() {
        errors.set("amount", l.t("error-amount"));
    }
    if received.is_none() {
        errors.set("received_on", l.say(&Msg::new("err-date")));
    }
    if form.reference.trim().is_empty() {
        errors.set("reference", l.say(&Msg::required()));
    }
    let (Some(invoice), Some(amount), Some(received), false) =
        (invoice, amount, received, form.reference.trim().is_empty())
    else {
        let money = MoneyForms {
            payment: form,
            errors,
            ..MoneyForms::default()
        };
        return again(&state, &headers, &who, &id, origin, money).await;
    };
    // Only the billing officer gets as far as confirming.
    educenter_services::access::require_operator(&who, OperatorAction::ManageBilling)?;
    let customer = &invoice.customer;
    let school = customer["name"].as_str().unwrap_or_default().to_owned();
    let bin = customer["bin_iin"].as_str().unwrap_or_default().to_owned();
    let summary = l.t_args(
        "operator-payment-confirm-text",
        &[
            ("amount", format_money(l.lang, amount, invoice.currency)),
            ("school", school),
            ("bin", bin),
            ("number", invoice.number.clone()),
            ("received", l.date(&received)),
        ],
    );
    let page = ConfirmPage {
        id,
        form,
        summary,
        l,
    };
    Ok(page.l.render(StatusCode::OK, &page))
}

/// Records the confirmed payment (the billing officer): a bank transfer against the invoice.
async fn record_payment(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<PaymentForm>,
) -> PageResult {
    // Only an invoice of this school, still open, is paid from its page.
    let open = billing::school::open_invoices(state.services(), &who, &id).await?;
    let Some(currency) = open
        .iter()
        .find(|i| i.number == form.invoice_number)
        .map(|i| i.currency.as_str().to_owned())
    else {
        let l = Layout::new(&state, &headers, "/operator");
        let mut errors = FieldErrors::default();
        errors.set("invoice_number", l.t("error-choose-invoice"));
        let money = MoneyForms {
            payment: form,
            errors,
            ..MoneyForms::default()
        };
        return again(&state, &headers, &who, &id, origin, money).await;
    };
    let transfer = billing::payments::BankTransfer {
        invoice_number: form.invoice_number.clone(),
        amount_minor: parse_amount(&form.amount).unwrap_or(0),
        currency,
        received_on: form.received_on.clone(),
        reference: form.reference.clone(),
    };
    let back = format!("/operator/tenants/{id}#money");
    match billing::payments::record_transfer(state.services(), &who, transfer, origin.0.clone())
        .await
    {
        Ok((_, true)) => Ok(redirect_with_flash(&state, &back, "payment-recorded")),
        Ok((_, false)) => Ok(redirect_with_flash(&state, &back, "payment-known")),
        Err(ServiceError::Invalid(found)) => {
            let l = Layout::new(&state, &headers, "/operator");
            let errors = FieldErrors::from_service(
                &l,
                found,
                &[
                    ("invoice_number", "invoice_number"),
                    ("amount_minor", "amount"),
                    ("currency", "amount"),
                    ("received_on", "received_on"),
                    ("reference", "reference"),
                ],
            );
            let money = MoneyForms {
                payment: form,
                errors,
                ..MoneyForms::default()
            };
            again(&state, &headers, &who, &id, origin, money).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Moves the trial's last day with a reason (the billing officer).
async fn change_trial(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<TrialForm>,
) -> PageResult {
    let result = billing::school::change_trial(
        state.services(),
        &who,
        &id,
        &form.ends_on,
        &form.trial_reason,
        origin.0.clone(),
    )
    .await;
    match result {
        Ok(_) => Ok(redirect_with_flash(
            &state,
            &format!("/operator/tenants/{id}#money"),
            "trial-changed",
        )),
        Err(ServiceError::Invalid(found)) => {
            let l = Layout::new(&state, &headers, "/operator");
            let errors = FieldErrors::from_service(
                &l,
                found,
                &[("ends_on", "ends_on"), ("reason", "trial_reason")],
            );
            let money = MoneyForms {
                trial: form,
                errors,
                ..MoneyForms::default()
            };
            again(&state, &headers, &who, &id, origin, money).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Moves the school to another plan (the billing officer): a plan-change invoice with the
/// credit of the unused days, e-mailed to the owner.
async fn move_plan(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<PlanForm>,
) -> PageResult {
    let months = form.months.parse().unwrap_or(0);
    let result = billing::changes::operator_plan_change(
        state.services(),
        &who,
        &id,
        &form.plan,
        months,
        origin.0.clone(),
    )
    .await;
    match result {
        Ok(_) => Ok(redirect_with_flash(
            &state,
            &format!("/operator/tenants/{id}#money"),
            "plan-moved",
        )),
        Err(ServiceError::Invalid(found)) => {
            let l = Layout::new(&state, &headers, "/operator");
            let errors =
                FieldErrors::from_service(&l, found, &[("plan", "plan"), ("months", "months")]);
            let money = MoneyForms {
                plan: form,
                errors,
                ..MoneyForms::default()
            };
            again(&state, &headers, &who, &id, origin, money).await
        }
        Err(ServiceError::Conflict(message)) => {
            let l = Layout::new(&state, &headers, "/operator");
            let mut errors = FieldErrors::default();
            errors.set("plan", l.say(&message));
            let money = MoneyForms {
                plan: form,
                errors,
                ..MoneyForms::default()
            };
            again(&state, &headers, &who, &id, origin, money).await
        }
        Err(e) => Err(e.into()),
    }
}
