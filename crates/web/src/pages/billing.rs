//! Billing pages (issue 4, item 9): the public price list `/pricing`, the cabinet's billing
//! (the licence, its periods, the credit balance, invoices, an application with its lines shown
//! before confirming), an invoice to print, and the billing officer's page (invoices of every
//! school, recording a bank transfer).

use askama::Template;
use axum::{
    Form, Router,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use educenter_domain::{
    billing::{Currency, TERMS, parse_amount},
    clock::local_date,
    roles::OperatorAction,
};
use educenter_services::{
    ServiceError,
    access::Principal,
    billing::{
        self, invoices::Application, invoices::InvoiceView, licence::Licence,
        payments::BankTransfer,
    },
    i18n::{Lang, format_money},
    store::billing::{InvoiceRow, Plan, Price},
};
use serde::Deserialize;

use super::{
    Layout, error_page,
    forms::{Field, FieldErrors},
    redirect_with_flash, request_lang,
};
use crate::{AppState, ClientOrigin, auth::KeptUser};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/pricing", get(pricing))
        .route("/cabinet/billing", get(cabinet))
        .route("/cabinet/billing/preview", post(preview))
        .route("/cabinet/billing/apply", post(apply))
        .route("/cabinet/billing/invoices/{id}", get(invoice))
        .route("/cabinet/billing/invoices/{id}/pay", post(pay_online))
        .route("/sandbox/checkout", get(sandbox_page).post(sandbox_pay))
        .route("/operator/billing", get(operator))
        .route("/operator/billing/payments", post(record_payment))
        .route(
            "/operator/billing/refunds",
            get(refund_form).post(refund_submit),
        )
        .route(
            "/operator/billing/quotes",
            get(quote_form).post(quote_submit),
        )
        .route(
            "/operator/billing/promotions",
            get(promotion_form).post(promotion_submit),
        )
}

fn plan_name(lang: Lang, p: &Plan) -> String {
    match lang {
        Lang::Ru => p.name_ru.clone(),
        Lang::Kk => p.name_kk.clone(),
        Lang::En => p.name_en.clone(),
    }
}

pub(super) fn service_error(state: &AppState, headers: &HeaderMap, e: ServiceError) -> Response {
    super::failure_page(state, headers, "/cabinet/billing", e)
}

/// A row of the price list: a plan's name, limits, and price per (currency, months).
pub struct PriceRow {
    name: String,
    limits: String,
    prices: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "pricing.html")]
struct PricingPage<'a> {
    l: Layout<'a>,
    plans: Vec<PriceRow>,
}

fn price_rows(l: &Layout<'_>, catalogue: Vec<(Plan, Vec<Price>)>) -> Vec<PriceRow> {
    catalogue
        .into_iter()
        .map(|(plan, prices)| PriceRow {
            name: plan_name(l.lang, &plan),
            limits: l.t_args(
                "pricing-limits",
                &[
                    ("students", plan.limit_students.to_string()),
                    ("staff", plan.limit_staff.to_string()),
                    ("courses", plan.limit_courses.to_string()),
                    (
                        "storage",
                        educenter_services::i18n::format_gb(l.lang, plan.limit_storage_bytes),
                    ),
                ],
            ),
            prices: prices
                .into_iter()
                .map(|p| {
                    (
                        l.months(p.months),
                        format_money(l.lang, p.amount_minor, &p.currency),
                    )
                })
                .collect(),
        })
        .collect()
}

async fn pricing(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let l = Layout::new(&state, &headers, "/pricing");
    let today = local_date(state.services().clock.now());
    let catalogue = match billing::catalog::catalogue(state.services(), today).await {
        Ok(c) => c,
        Err(e) => return service_error(&state, &headers, e),
    };
    let page = PricingPage {
        plans: price_rows(&l, catalogue),
        l,
    };
    page.l.render(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "billing.html")]
struct CabinetBilling<'a> {
    l: Layout<'a>,
    licence: Licence,
    state_name: String,
    state_text: String,
    invoices: Vec<(String, String, String, String, String, String)>,
    credit: Vec<String>,
    fields: Vec<Field>,
    form_error: Option<String>,
    /// Why the school may not work now (the owner lands here).
    restricted: Option<String>,
    /// Plans' names by code, for the periods' table.
    plan_names: std::collections::BTreeMap<String, String>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct ApplyForm {
    plan: String,
    months: String,
    currency: String,
}

impl ApplyForm {
    fn application(&self) -> Application {
        Application {
            plan: self.plan.clone(),
            months: self.months.parse().unwrap_or(0),
            currency: self.currency.clone(),
            ..Application::default()
        }
    }
}

impl CabinetBilling<'_> {
    /// A period's plan by name.
    fn plan_of(&self, code: &str) -> String {
        self.plan_names
            .get(code)
            .cloned()
            .unwrap_or_else(|| code.to_owned())
    }

    fn plan_label(&self) -> String {
        self.licence
            .plan
            .as_ref()
            .map(|p| plan_name(self.l.lang, p))
            .unwrap_or_default()
    }
}

async fn render_cabinet(
    state: &AppState,
    headers: &HeaderMap,
    who: &Principal,
    form: ApplyForm,
    errors: FieldErrors,
    status: StatusCode,
) -> Response {
    let services = state.services();
    let l = Layout::for_user(state, headers, "/cabinet/billing", who);
    let licence = match billing::licence::licence(services, who).await {
        Ok(x) => x,
        Err(e) => return service_error(state, headers, e),
    };
    let invoices = match billing::invoices::invoices(services, who).await {
        Ok(x) => x,
        Err(e) => return service_error(state, headers, e),
    };
    let today = local_date(services.clock.now());
    let catalogue = match billing::catalog::catalogue(services, today).await {
        Ok(c) => c,
        Err(e) => return service_error(state, headers, e),
    };
    let resident = match educenter_services::store::tenancy::get(
        &services.db,
        who.tenant_id.as_deref().unwrap_or(""),
    )
    .await
    {
        Ok(t) => t.is_none_or(|t| t.resident),
        Err(e) => return service_error(state, headers, e.into()),
    };
    let plans = catalogue
        .iter()
        .map(|(p, _)| (p.code.clone(), plan_name(l.lang, p)))
        .collect();
    let months = TERMS
        .iter()
        .map(|m| (m.to_string(), l.months(i64::from(*m))))
        .collect();
    let currencies = Currency::ALL
        .iter()
        .filter(|c| c.allowed_for(resident))
        .map(|c| (c.as_str().to_owned(), c.as_str().to_owned()))
        .collect();
    let mut fields = vec![
        Field::new(&l, "plan", "select")
            .value(if form.plan.is_empty() {
                licence
                    .plan
                    .as_ref()
                    .map(|p| p.code.clone())
                    .unwrap_or_default()
            } else {
                form.plan.clone()
            })
            .options(plans),
        Field::new(&l, "months", "select")
            .value(if form.months.is_empty() {
                "1".to_owned()
            } else {
                form.months.clone()
            })
            .options(months),
        Field::new(&l, "currency", "select")
            .value(if form.currency.is_empty() {
                "KZT".to_owned()
            } else {
                form.currency.clone()
            })
            .options(currencies),
    ];
    errors.apply(&mut fields);
    let status_label = |s: &str| l.t(&format!("invoice-status-{s}"));
    let restricted = if who.school_open() {
        None
    } else {
        match educenter_services::requisites::support_email(services).await {
            Ok(support) => super::restricted_banner(&l, who, licence.purge_on.as_deref(), &support),
            Err(e) => return service_error(state, headers, e),
        }
    };
    let plan_names = match billing::catalog::plan_names(services, l.lang).await {
        Ok(names) => names,
        Err(e) => return service_error(state, headers, e),
    };
    let page = CabinetBilling {
        plan_names,
        restricted,
        state_name: l.t(&format!("state-{}", licence.state.as_str())),
        state_text: l.t(&format!("state-{}-text", licence.state.as_str())),
        invoices: invoices
            .into_iter()
            .map(|i| {
                (
                    i.id.clone(),
                    i.number.clone(),
                    l.date(&i.issued_on),
                    l.date(&i.due_on),
                    format_money(l.lang, i.total_minor, &i.currency),
                    status_label(&i.status),
                )
            })
            .collect(),
        credit: licence
            .credit
            .iter()
            .map(|(c, a)| format_money(l.lang, *a, c))
            .collect(),
        licence,
        fields,
        form_error: errors.form.clone(),
        l,
    };
    page.l.render(status, &page)
}

async fn cabinet(
    State(state): State<AppState>,
    KeptUser(who): KeptUser,
    headers: HeaderMap,
) -> Response {
    if who.kind == "operator" {
        return Redirect::to("/operator/billing").into_response();
    }
    render_cabinet(
        &state,
        &headers,
        &who,
        ApplyForm::default(),
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

const APPLY_FIELDS: &[(&str, &str)] = &[
    ("plan", "plan"),
    ("months", "months"),
    ("currency", "currency"),
];

#[derive(Template)]
#[template(path = "billing_confirm.html")]
struct ConfirmPage<'a> {
    l: Layout<'a>,
    form: ApplyForm,
    lines: Vec<(String, String)>,
    total: String,
}

/// Shows the invoice an application would issue (a plan change's credit included) before the
/// person confirms it.
async fn preview(
    State(state): State<AppState>,
    KeptUser(who): KeptUser,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<ApplyForm>,
) -> Response {
    match billing::invoices::preview(state.services(), &who, form.application(), origin.0).await {
        Ok(view) => {
            let l = Layout::for_user(&state, &headers, "/cabinet/billing", &who);
            let currency = view.invoice.currency.clone();
            let page = ConfirmPage {
                lines: view
                    .lines
                    .iter()
                    .map(|x| {
                        (
                            x.description_in(l.lang.code()).to_owned(),
                            format_money(l.lang, x.amount_minor, &currency),
                        )
                    })
                    .collect(),
                total: format_money(l.lang, view.invoice.total_minor, &currency),
                form,
                l,
            };
            page.l.render(StatusCode::OK, &page)
        }
        Err(e) => apply_error(&state, &headers, &who, form, e).await,
    }
}

async fn apply_error(
    state: &AppState,
    headers: &HeaderMap,
    who: &Principal,
    form: ApplyForm,
    e: ServiceError,
) -> Response {
    let l = Layout::new(state, headers, "/cabinet/billing");
    match e {
        ServiceError::Invalid(errors) => {
            let errors = FieldErrors::from_service(&l, errors, APPLY_FIELDS);
            render_cabinet(
                state,
                headers,
                who,
                form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        ServiceError::Conflict(message) => {
            let mut errors = FieldErrors::default();
            errors.form = Some(l.say(&message));
            render_cabinet(state, headers, who, form, errors, StatusCode::CONFLICT).await
        }
        e => service_error(state, headers, e),
    }
}

async fn apply(
    State(state): State<AppState>,
    KeptUser(who): KeptUser,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<ApplyForm>,
) -> Response {
    match billing::invoices::apply(state.services(), &who, form.application(), origin.0).await {
        Ok(view) => {
            Redirect::to(&format!("/cabinet/billing/invoices/{}", view.invoice.id)).into_response()
        }
        Err(e) => apply_error(&state, &headers, &who, form, e).await,
    }
}

#[derive(Template)]
#[template(path = "invoice.html")]
struct InvoicePage<'a> {
    l: Layout<'a>,
    v: InvoiceView,
    lines: Vec<(String, String)>,
    total: String,
    paid: String,
    status: String,
}

impl InvoicePage<'_> {
    fn field(&self, side: &str, name: &str) -> String {
        let v = if side == "supplier" {
            &self.v.invoice.supplier
        } else {
            &self.v.invoice.customer
        };
        v[name].as_str().unwrap_or("").to_owned()
    }
}

async fn invoice(
    State(state): State<AppState>,
    KeptUser(who): KeptUser,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    match billing::invoices::invoice(state.services(), &who, &id).await {
        Ok(v) => {
            let l = Layout::for_user(&state, &headers, "/cabinet/billing", &who);
            let c = v.invoice.currency.clone();
            let page = InvoicePage {
                lines: v
                    .lines
                    .iter()
                    .map(|x| {
                        (
                            x.description_in(l.lang.code()).to_owned(),
                            format_money(l.lang, x.amount_minor, &c),
                        )
                    })
                    .collect(),
                total: format_money(l.lang, v.invoice.total_minor, &c),
                paid: format_money(l.lang, v.invoice.paid_minor, &c),
                status: l.t(&format!("invoice-status-{}", v.invoice.status)),
                v,
                l,
            };
            page.l.render(StatusCode::OK, &page)
        }
        Err(e) => service_error(&state, &headers, e),
    }
}

#[derive(Template)]
#[template(path = "operator_billing.html")]
struct OperatorBilling<'a> {
    l: Layout<'a>,
    plans: Vec<PriceRow>,
    promotions: Vec<educenter_services::store::billing::Promotion>,
    /// Money not yet matched to an invoice, by grant deadline.
    receipts: Vec<educenter_services::store::receipts::Receipt>,
    /// Deadlines on or before this date are due soon.
    soon: String,
    /// (receipt id, typed invoice number, message) of a failed match.
    match_error: Option<(String, String, String)>,
    /// A billing officer: invoices, payments, receipts, quotes and refunds.
    may_bill: bool,
    /// A super-admin: plans, prices and promotions.
    may_price: bool,
    invoices: Vec<InvoiceRow>,
    status: String,
    fields: Vec<Field>,
    form_error: Option<String>,
    /// Plans' names by code, for the promotions' table.
    plan_names: std::collections::BTreeMap<String, String>,
}

impl OperatorBilling<'_> {
    /// The plans a promotion covers, by name.
    fn plans_of(&self, codes: &[String]) -> String {
        codes
            .iter()
            .map(|c| self.plan_names.get(c).cloned().unwrap_or_else(|| c.clone()))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn money(&self, minor: &i64, currency: &str) -> String {
        format_money(self.l.lang, *minor, currency)
    }

    fn status_label(&self, status: &str) -> String {
        self.l.t(&format!("invoice-status-{status}"))
    }

    /// The failed match of this receipt: (typed invoice number, message).
    fn match_error_of(&self, id: &str) -> Option<(&str, &str)> {
        self.match_error
            .as_ref()
            .filter(|(r, _, _)| r == id)
            .map(|(_, typed, message)| (typed.as_str(), message.as_str()))
    }
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub(super) struct PaymentForm {
    invoice_number: String,
    amount: String,
    currency: String,
    received_on: String,
    reference: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct StatusQuery {
    status: String,
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn render_operator(
    state: &AppState,
    headers: &HeaderMap,
    who: &Principal,
    status_filter: String,
    form: PaymentForm,
    errors: FieldErrors,
    match_error: Option<(String, String, String)>,
    status: StatusCode,
) -> Response {
    let filter = (!status_filter.is_empty()).then_some(status_filter.as_str());
    // Each officer sees the parts that are theirs: invoices, payments and receipts are the
    // billing officer's; plans, prices and promotions the super-admin's.
    let may_bill = who.operator_may(OperatorAction::ManageBilling);
    let invoices = if may_bill {
        match billing::invoices::operator_invoices(state.services(), who, filter).await {
            Ok(x) => x,
            Err(e) => return service_error(state, headers, e),
        }
    } else {
        Vec::new()
    };
    let l = Layout::for_user(state, headers, "/operator/billing", who);
    let today = local_date(state.services().clock.now());
    let plans = match billing::catalog::catalogue(state.services(), today).await {
        Ok(c) => price_rows(&l, c),
        Err(e) => return service_error(state, headers, e),
    };
    let promotions = match billing::catalog::promotions(state.services(), who).await {
        Ok(p) => p,
        Err(e) => return service_error(state, headers, e),
    };
    let receipts = if may_bill {
        match educenter_services::receipts::list(state.services(), who, true).await {
            Ok(r) => r,
            Err(e) => return service_error(state, headers, e),
        }
    } else {
        Vec::new()
    };
    // Due soon: the deadline is at most one business day away (when the alert goes out).
    let soon = match educenter_services::store::calendar::load(&state.services().db).await {
        Ok(cal) => cal.add_business_days(today, 1).date.to_string(),
        Err(e) => return service_error(state, headers, e.into()),
    };
    let mut fields = vec![
        Field::new(&l, "invoice_number", "text").value(form.invoice_number),
        Field::new(&l, "amount", "text").value(form.amount).hint(&l),
        Field::new(&l, "currency", "select")
            .value(if form.currency.is_empty() {
                "KZT".to_owned()
            } else {
                form.currency
            })
            .options(currency_options()),
        Field::new(&l, "received_on", "date").value(form.received_on),
        Field::new(&l, "reference", "text").value(form.reference),
    ];
    errors.apply(&mut fields);
    let plan_names = match billing::catalog::plan_names(state.services(), l.lang).await {
        Ok(names) => names,
        Err(e) => return service_error(state, headers, e),
    };
    let page = OperatorBilling {
        plan_names,
        plans,
        promotions,
        receipts,
        soon,
        match_error,
        may_bill,
        may_price: who.operator_may(OperatorAction::ManagePlatform),
        invoices,
        status: status_filter,
        fields,
        form_error: errors.form.clone(),
        l,
    };
    page.l.render(status, &page)
}

async fn operator(
    State(state): State<AppState>,
    KeptUser(who): KeptUser,
    Query(q): Query<StatusQuery>,
    headers: HeaderMap,
) -> Response {
    if who.kind != "operator" {
        return Redirect::to("/cabinet/billing").into_response();
    }
    render_operator(
        &state,
        &headers,
        &who,
        q.status,
        PaymentForm::default(),
        FieldErrors::default(),
        None,
        StatusCode::OK,
    )
    .await
}

/// Records a bank transfer from the form; the amount is typed as people write it.
async fn record_payment(
    State(state): State<AppState>,
    KeptUser(who): KeptUser,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<PaymentForm>,
) -> Response {
    if who.kind != "operator" {
        return Redirect::to("/cabinet/billing").into_response();
    }
    let l = Layout::new(&state, &headers, "/operator/billing");
    let Some(amount_minor) = parse_amount(&form.amount) else {
        let mut errors = FieldErrors::default();
        errors.set("amount", l.t("error-amount"));
        return render_operator(
            &state,
            &headers,
            &who,
            String::new(),
            form,
            errors,
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let transfer = BankTransfer {
        invoice_number: form.invoice_number.clone(),
        amount_minor,
        currency: form.currency.clone(),
        received_on: form.received_on.clone(),
        reference: form.reference.clone(),
    };
    match billing::payments::record_transfer(state.services(), &who, transfer, origin.0).await {
        Ok((_, true)) => redirect_with_flash(&state, "/operator/billing", "payment-recorded"),
        Ok((_, false)) => redirect_with_flash(&state, "/operator/billing", "payment-known"),
        Err(ServiceError::Invalid(errors)) => {
            let errors = FieldErrors::from_service(
                &l,
                errors,
                &[
                    ("amount_minor", "amount"),
                    ("currency", "currency"),
                    ("received_on", "received_on"),
                    ("reference", "reference"),
                ],
            );
            render_operator(
                &state,
                &headers,
                &who,
                String::new(),
                form,
                errors,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(ServiceError::NotFound(_)) => {
            let mut errors = FieldErrors::default();
            errors.set("invoice_number", l.t("error-invoice_number"));
            render_operator(
                &state,
                &headers,
                &who,
                String::new(),
                form,
                errors,
                None,
                StatusCode::NOT_FOUND,
            )
            .await
        }
        Err(ServiceError::Conflict(message)) => {
            let mut errors = FieldErrors::default();
            errors.form = Some(l.say(&message));
            render_operator(
                &state,
                &headers,
                &who,
                String::new(),
                form,
                errors,
                None,
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => service_error(&state, &headers, e),
    }
}

/// Pays an open invoice online: off to the provider's checkout page.
async fn pay_online(
    State(state): State<AppState>,
    KeptUser(who): KeptUser,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    match educenter_services::payments::start_checkout(state.services(), &who, &id).await {
        Ok(c) => {
            let mut res = Redirect::to(&format!(
                "/sandbox/checkout?invoice={}&amount={}&currency={}&token={}",
                c.invoice_id, c.amount_minor, c.currency, c.token
            ))
            .into_response();
            *res.status_mut() = StatusCode::SEE_OTHER;
            res
        }
        Err(e) => service_error(&state, &headers, e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SandboxQuery {
    invoice: String,
    amount: i64,
    currency: String,
    token: String,
}

#[derive(Template)]
#[template(path = "sandbox.html")]
struct SandboxPage<'a> {
    l: Layout<'a>,
    q: SandboxQuery,
    amount: String,
}

/// The sandbox provider's checkout page: it plays a card gateway's part.
async fn sandbox_page(
    State(state): State<AppState>,
    Query(q): Query<SandboxQuery>,
    headers: HeaderMap,
) -> Response {
    if !educenter_services::payments::sandbox_intent_valid(
        state.services(),
        &q.invoice,
        q.amount,
        &q.currency,
        &q.token,
    ) {
        return error_page(&state, request_lang(&headers), StatusCode::NOT_FOUND);
    }
    let l = Layout::new(&state, &headers, "/sandbox/checkout");
    let page = SandboxPage {
        amount: format_money(l.lang, q.amount, &q.currency),
        q,
        l,
    };
    page.l.render(StatusCode::OK, &page)
}

/// "Pay" at the sandbox provider: it captures and calls back, signed, like a real gateway, then
/// sends the person back to the invoice.
async fn sandbox_pay(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(q): Form<SandboxQuery>,
) -> Response {
    let services = state.services();
    if !educenter_services::payments::sandbox_intent_valid(
        services,
        &q.invoice,
        q.amount,
        &q.currency,
        &q.token,
    ) {
        return error_page(&state, request_lang(&headers), StatusCode::NOT_FOUND);
    }
    match educenter_services::payments::sandbox_capture(services, &q.invoice, q.amount, &q.currency)
        .await
    {
        Ok(_) => redirect_with_flash(
            &state,
            &format!("/cabinet/billing/invoices/{}", q.invoice),
            "payment-recorded",
        ),
        Err(e) => service_error(&state, &headers, e),
    }
}

use super::account::FormPage;

/// The back office's form pages: `{name}-title`, `{name}-lead`, `{name}-submit`, posting to
/// `/operator/billing/{name}s`, with a link back to the billing page.
pub(super) fn back_office_form<'a>(
    l: Layout<'a>,
    name: &str,
    mut fields: Vec<Field>,
    errors: &FieldErrors,
) -> FormPage<'a> {
    errors.apply(&mut fields);
    FormPage {
        title: l.t(&format!("{name}-title")),
        lead: l.t(&format!("{name}-lead")),
        action: format!("/operator/billing/{name}s"),
        submit: l.t(&format!("{name}-submit")),
        fields,
        hidden: Vec::new(),
        form_error: errors.form.clone(),
        links: vec![("/operator/billing".into(), l.t("operator-billing"))],
        l,
    }
}

/// The currencies of a select.
pub(super) fn currency_options() -> Vec<(String, String)> {
    Currency::ALL
        .iter()
        .map(|c| (c.as_str().to_owned(), c.as_str().to_owned()))
        .collect()
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct RefundForm {
    invoice_number: String,
    amount: String,
    reason: String,
    email_reference: String,
}

fn refund_page<'a>(
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

async fn refund_form(
    State(state): State<AppState>,
    KeptUser(who): KeptUser,
    headers: HeaderMap,
) -> Response {
    if who.kind != "operator" {
        return Redirect::to("/cabinet/billing").into_response();
    }
    refund_page(
        &state,
        &headers,
        &who,
        &RefundForm::default(),
        &FieldErrors::default(),
    )
    .respond(StatusCode::OK)
}

/// A refund from the form (billing officer, R-5.7); a refund over the cap names the cap.
async fn refund_submit(
    State(state): State<AppState>,
    KeptUser(who): KeptUser,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<RefundForm>,
) -> Response {
    if who.kind != "operator" {
        return Redirect::to("/cabinet/billing").into_response();
    }
    let l = Layout::new(&state, &headers, "/operator/billing/refunds");
    let mut errors = FieldErrors::default();
    let Some(amount_minor) = parse_amount(&form.amount) else {
        errors.set("amount", l.t("error-amount"));
        return refund_page(&state, &headers, &who, &form, &errors)
            .respond(StatusCode::UNPROCESSABLE_ENTITY);
    };
    let input = billing::payments::RefundInput {
        invoice_number: form.invoice_number.clone(),
        amount_minor,
        reason: form.reason.clone(),
        email_reference: form.email_reference.clone(),
    };
    let status = match billing::payments::refund(state.services(), &who, input, origin.0).await {
        Ok(_) => return redirect_with_flash(&state, "/operator/billing", "refund-recorded"),
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
        Err(e) => return service_error(&state, &headers, e),
    };
    refund_page(&state, &headers, &who, &form, &errors).respond(status)
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct QuoteForm {
    tenant: String,
    currency: String,
    description: String,
    amount: String,
    email_reference: String,
}

fn quote_page<'a>(
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

async fn quote_form(
    State(state): State<AppState>,
    KeptUser(who): KeptUser,
    headers: HeaderMap,
) -> Response {
    if who.kind != "operator" {
        return Redirect::to("/cabinet/billing").into_response();
    }
    quote_page(
        &state,
        &headers,
        &who,
        &QuoteForm::default(),
        &FieldErrors::default(),
    )
    .respond(StatusCode::OK)
}

/// A quote from the form (billing officer, R-5.3): its invoice is issued at once.
async fn quote_submit(
    State(state): State<AppState>,
    KeptUser(who): KeptUser,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<QuoteForm>,
) -> Response {
    if who.kind != "operator" {
        return Redirect::to("/cabinet/billing").into_response();
    }
    let l = Layout::new(&state, &headers, "/operator/billing/quotes");
    let mut errors = FieldErrors::default();
    let Some(amount_minor) = parse_amount(&form.amount) else {
        errors.set("amount", l.t("error-amount"));
        return quote_page(&state, &headers, &who, &form, &errors)
            .respond(StatusCode::UNPROCESSABLE_ENTITY);
    };
    let input = billing::changes::QuoteInput {
        tenant: form.tenant.clone(),
        currency: form.currency.clone(),
        items: vec![(form.description.clone(), amount_minor)],
        email_reference: form.email_reference.clone(),
    };
    match billing::changes::create_quote(state.services(), &who, input, origin.0).await {
        Ok(_) => redirect_with_flash(&state, "/operator/billing", "quote-recorded"),
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
            quote_page(&state, &headers, &who, &form, &errors)
                .respond(StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => service_error(&state, &headers, e),
    }
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct PromotionForm {
    code: String,
    promo_kind: String,
    value: String,
    currency: String,
    plans: String,
    valid_from: String,
    valid_to: String,
}

fn promotion_page<'a>(
    state: &'a AppState,
    headers: &HeaderMap,
    who: &Principal,
    form: &PromotionForm,
    errors: &FieldErrors,
) -> FormPage<'a> {
    let l = Layout::for_user(state, headers, "/operator/billing/promotions", who);
    let kinds = ["percent", "fixed"]
        .iter()
        .map(|k| ((*k).to_owned(), l.t(&format!("promotion-kind-{k}"))))
        .collect();
    let fields = vec![
        Field::new(&l, "code", "text").value(&form.code),
        Field::new(&l, "promo_kind", "select")
            .value(if form.promo_kind.is_empty() {
                "percent"
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

async fn promotion_form(
    State(state): State<AppState>,
    KeptUser(who): KeptUser,
    headers: HeaderMap,
) -> Response {
    if who.kind != "operator" {
        return Redirect::to("/cabinet/billing").into_response();
    }
    promotion_page(
        &state,
        &headers,
        &who,
        &PromotionForm::default(),
        &FieldErrors::default(),
    )
    .respond(StatusCode::OK)
}

/// Creates or changes a promotion from the form (super-admin); a percentage is typed as a
/// whole number, a fixed amount as people write money.
async fn promotion_submit(
    State(state): State<AppState>,
    KeptUser(who): KeptUser,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<PromotionForm>,
) -> Response {
    if who.kind != "operator" {
        return Redirect::to("/cabinet/billing").into_response();
    }
    let l = Layout::new(&state, &headers, "/operator/billing/promotions");
    let value = if form.promo_kind == "fixed" {
        parse_amount(&form.value)
    } else {
        form.value.trim().parse::<i64>().ok()
    };
    let Some(value) = value else {
        let mut errors = FieldErrors::default();
        errors.set("value", l.t("error-value"));
        return promotion_page(&state, &headers, &who, &form, &errors)
            .respond(StatusCode::UNPROCESSABLE_ENTITY);
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
        Ok(_) => redirect_with_flash(&state, "/operator/billing/promotions", "promotion-saved"),
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
            promotion_page(&state, &headers, &who, &form, &errors)
                .respond(StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => service_error(&state, &headers, e),
    }
}
