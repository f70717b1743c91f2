//! Plans, applications, invoices, payments and the licence through the API (issue 4).

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use educenter_domain::{
    billing::{Currency, InvoicePurpose, InvoiceStatus, LicenceState, LineKind, PromotionKind},
    clock::local_date,
    money::Money,
};
use educenter_services::{
    billing::{
        self, catalog::PlanInput, catalog::PriceInput, invoices::Application,
        invoices::InvoiceView, payments::BankTransfer,
    },
    store::billing::{Payment, Plan, Price},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    AppState, ClientOrigin,
    api::page::{PageParams, PageQuery},
    auth::KeptAuth,
    page_of,
    problem::{ApiError, ApiJson, Problem},
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_plan))
        .routes(routes!(add_prices))
        .routes(routes!(list_plans))
        .routes(routes!(apply))
        .routes(routes!(list_invoices))
        .routes(routes!(get_invoice))
        .routes(routes!(record_payment))
        .routes(routes!(get_licence))
        .routes(routes!(payment_callback))
        .routes(routes!(put_promotion, list_promotions))
        .routes(routes!(record_refund))
        .routes(routes!(put_service))
        .routes(routes!(list_services))
        .routes(routes!(create_quote))
}

page_of!(ServicePage, ServiceOut, "additional services");
page_of!(PromotionPage, PromotionOut, "promotions");
page_of!(PlanPage, PlanOut, "plans");
page_of!(InvoicePage, InvoiceSummary, "invoices");

#[derive(Deserialize, Serialize, ToSchema, Default, Clone)]
#[serde(default)]
pub struct ServicePrice {
    currency: String,
    /// Per unit (per GB per month for `gb_month`), in minor units: at most 10000000000000
    /// (100 000 000 000.00).
    #[schema(maximum = 10_000_000_000_000_i64)]
    amount_minor: i64,
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct ServiceIn {
    #[schema(example = "extra_storage")]
    code: String,
    name: PlanNames,
    /// `one_off`, `hour`, `package` or `gb_month`.
    unit: String,
    /// Agreed by e-mail and invoiced through a quote, instead of list prices.
    price_on_request: bool,
    prices: Vec<ServicePrice>,
}

#[derive(Serialize, ToSchema)]
pub struct ServiceOut {
    code: String,
    name: PlanNames,
    unit: educenter_domain::billing::ServiceUnit,
    price_on_request: bool,
    prices: Vec<ServicePrice>,
}

impl From<educenter_services::store::service_items::ServiceItem> for ServiceOut {
    fn from(s: educenter_services::store::service_items::ServiceItem) -> Self {
        Self {
            code: s.code,
            name: PlanNames {
                ru: s.name_ru,
                kk: s.name_kk,
                en: s.name_en,
            },
            unit: s.unit,
            price_on_request: s.price_on_request,
            prices: s
                .prices
                .into_iter()
                .map(|(currency, amount_minor)| ServicePrice {
                    currency: currency.as_str().to_owned(),
                    amount_minor,
                })
                .collect(),
        }
    }
}

/// Creates or changes an additional service of the catalogue (super-admin, R-1.9). A new
/// service's `prices` are in force from today; an existing service's prices change only by a
/// price version (`POST /api/v1/operator/services/{code}/prices`): other prices here are a 422.
#[utoipa::path(post, path = "/api/v1/operator/services", tag = "billing", security(("bearer" = [])),
    request_body = ServiceIn,
    responses((status = 200, body = ServiceOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, body = Problem)))]
async fn put_service(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<ServiceIn>,
) -> Result<Json<ServiceOut>, ApiError> {
    let item = educenter_services::service_items::put_service(
        state.services(),
        &who,
        educenter_services::service_items::ServiceInput {
            code: body.code,
            name_ru: body.name.ru,
            name_kk: body.name.kk,
            name_en: body.name.en,
            unit: body.unit,
            price_on_request: body.price_on_request,
            prices: body
                .prices
                .into_iter()
                .map(|p| (p.currency, p.amount_minor))
                .collect(),
        },
        origin.0,
    )
    .await?;
    Ok(Json(item.into()))
}

/// The additional services with their list prices (public); order them in an application's
/// `services`.
#[utoipa::path(get, path = "/api/v1/services", tag = "billing",
    params(PageParams),
    responses((status = 200, body = ServicePage), (status = 422, description = "A bad `limit` or `after`, or a NUL in a parameter", body = Problem)))]
async fn list_services(
    State(state): State<AppState>,
    PageQuery(page): PageQuery,
) -> Result<Json<ServicePage>, ApiError> {
    let found = educenter_services::service_items::catalogue_page(state.services(), &page).await?;
    Ok(Json(ServicePage::of(found, Into::into)))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct QuoteItem {
    description: String,
    /// Minor units, 1 to 10000000000000 (100 000 000 000.00): more is refused (422).
    #[schema(maximum = 10_000_000_000_000_i64)]
    amount_minor: i64,
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct QuoteIn {
    /// The school's address.
    tenant: String,
    currency: String,
    items: Vec<QuoteItem>,
    /// The e-mail the price was agreed in.
    email_reference: String,
}

#[derive(Serialize, ToSchema)]
pub struct QuoteOut {
    quote_id: String,
    invoice: InvoiceOut,
}

/// Records a quote agreed by e-mail and issues its invoice (billing officer, R-5.3); paying
/// the invoice accepts the quote.
#[utoipa::path(post, path = "/api/v1/operator/quotes", tag = "billing", security(("bearer" = [])),
    request_body = QuoteIn,
    responses((status = 201, body = QuoteOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, body = Problem)))]
async fn create_quote(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<QuoteIn>,
) -> Result<(StatusCode, Json<QuoteOut>), ApiError> {
    let (quote_id, view) = billing::changes::create_quote(
        state.services(),
        &who,
        billing::changes::QuoteInput {
            tenant: body.tenant,
            currency: body.currency,
            items: body
                .items
                .into_iter()
                .map(|i| (i.description, i.amount_minor))
                .collect(),
            email_reference: body.email_reference,
        },
        origin.0,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(QuoteOut {
            quote_id,
            invoice: invoice_out(view),
        }),
    ))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct PromotionIn {
    #[schema(example = "SPRING25")]
    code: String,
    /// `percent` (value 1-100) or `fixed` (value in minor units of `currency`, at most
    /// 10000000000000).
    kind: String,
    #[schema(maximum = 10_000_000_000_000_i64)]
    value: i64,
    currency: Option<String>,
    /// Plan codes it applies to; empty: every plan.
    plans: Vec<String>,
    valid_from: String,
    valid_to: String,
}

#[derive(Serialize, ToSchema)]
pub struct PromotionOut {
    code: String,
    kind: PromotionKind,
    value: i64,
    currency: Option<Currency>,
    plans: Vec<String>,
    valid_from: String,
    valid_to: String,
}

impl From<educenter_services::store::billing::Promotion> for PromotionOut {
    fn from(p: educenter_services::store::billing::Promotion) -> Self {
        Self {
            code: p.code,
            kind: p.kind,
            value: p.value,
            currency: p.currency,
            plans: p.plans,
            valid_from: p.valid_from.to_string(),
            valid_to: p.valid_to.to_string(),
        }
    }
}

/// Creates or changes a promotion (super-admin); a change notifies nobody (R-5.8b). The code
/// goes into an application's `promo_code` and shows as a `discount` line.
#[utoipa::path(post, path = "/api/v1/operator/promotions", tag = "billing", security(("bearer" = [])),
    request_body = PromotionIn,
    responses((status = 200, body = PromotionOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, body = Problem)))]
async fn put_promotion(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<PromotionIn>,
) -> Result<Json<PromotionOut>, ApiError> {
    let p = billing::catalog::put_promotion(
        state.services(),
        &who,
        billing::catalog::PromotionInput {
            code: body.code,
            kind: body.kind,
            value: body.value,
            currency: body.currency,
            plans: body.plans,
            valid_from: body.valid_from,
            valid_to: body.valid_to,
        },
        origin.0,
    )
    .await?;
    Ok(Json(p.into()))
}

/// Every promotion (super-admin, billing officer).
#[utoipa::path(get, path = "/api/v1/operator/promotions", tag = "billing", security(("bearer" = [])),
    params(PageParams),
    responses((status = 200, body = PromotionPage), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, description = "A bad `limit` or `after`, or a NUL in a parameter", body = Problem)))]
async fn list_promotions(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    PageQuery(page): PageQuery,
) -> Result<Json<PromotionPage>, ApiError> {
    let found = billing::catalog::promotions_page(state.services(), &who, &page).await?;
    Ok(Json(PromotionPage::of(found, Into::into)))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct RefundIn {
    invoice_number: String,
    /// Minor units, 1 to 10000000000000 (100 000 000 000.00): more is refused (422).
    #[schema(maximum = 10_000_000_000_000_i64)]
    amount_minor: i64,
    reason: String,
    /// The e-mail the refund was agreed in.
    email_reference: String,
}

#[derive(Serialize, ToSchema)]
pub struct RefundOut {
    id: String,
    invoice_id: String,
    amount_minor: i64,
    currency: Currency,
}

/// Records a refund for a contract that ended early (billing officer, R-5.7): capped at what
/// was paid less the used time at the regular price; a larger amount is 422 with the cap.
#[utoipa::path(post, path = "/api/v1/operator/refunds", tag = "billing", security(("bearer" = [])),
    request_body = RefundIn,
    responses((status = 201, body = RefundOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, description = "The contract did not end early", body = Problem),
        (status = 422, body = Problem)))]
async fn record_refund(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<RefundIn>,
) -> Result<(StatusCode, Json<RefundOut>), ApiError> {
    let r = billing::payments::refund(
        state.services(),
        &who,
        billing::payments::RefundInput {
            invoice_number: body.invoice_number,
            amount_minor: body.amount_minor,
            reason: body.reason,
            email_reference: body.email_reference,
        },
        origin.0,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(RefundOut {
            id: r.id,
            invoice_id: r.invoice_id,
            amount_minor: r.amount_minor,
            currency: r.currency,
        }),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct CallbackOut {
    /// `recorded`, `duplicate` (the transaction was recorded before) or `ignored` (not a
    /// capture).
    status: &'static str,
    payment_id: Option<String>,
}

/// A payment provider's callback: the raw JSON body `{"transaction_id", "invoice_id",
/// "amount_minor", "currency", "captured_at", "status": "captured"}` signed with HMAC-SHA256
/// over `{t}.{body}` in `X-Signature: t=<unix seconds>,v1=<hex>` (5 minutes' tolerance).
#[utoipa::path(post, path = "/api/v1/payments/callback/{provider}", tag = "billing",
    request_body(content = String, content_type = "application/json"),
    params(("provider" = String, Path, description = "`sandbox`"),
        ("X-Signature" = String, Header, description = "t=<unix seconds>,v1=<hex HMAC-SHA256>")),
    responses((status = 200, body = CallbackOut), (status = 401, description = "Bad or stale signature", body = Problem),
        (status = 404, description = "Unknown provider or invoice", body = Problem),
        (status = 409, description = "The invoice is paid or void", body = Problem),
        (status = 422, description = "Amount or currency differ from the invoice", body = Problem)))]
async fn payment_callback(
    State(state): State<AppState>,
    Path(provider): Path<String>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> Result<Json<CallbackOut>, ApiError> {
    let signature = headers.get("x-signature").and_then(|v| v.to_str().ok());
    let out = educenter_services::payments::callback(state.services(), &provider, signature, &body)
        .await?;
    Ok(Json(match out {
        None => CallbackOut {
            status: "ignored",
            payment_id: None,
        },
        Some((p, created)) => CallbackOut {
            status: if created { "recorded" } else { "duplicate" },
            payment_id: Some(p.id),
        },
    }))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct PlanNames {
    ru: String,
    kk: String,
    en: String,
}

#[derive(Deserialize, Serialize, ToSchema, Default, Clone, Copy)]
#[serde(default)]
pub struct Limits {
    students: i64,
    staff: i64,
    storage_bytes: i64,
    courses: i64,
}

#[derive(Deserialize, Serialize, ToSchema, Default, Clone)]
#[serde(default)]
pub struct PriceIn {
    /// `KZT`, `EUR` or `USD`.
    #[schema(example = "KZT")]
    currency: String,
    /// 1, 3, 6 or 12.
    months: i64,
    /// Minor units (tiyn, cents): 3000000 is 30 000.00; at most 10000000000000
    /// (100 000 000 000.00), more is refused (422).
    #[schema(example = 3000000, maximum = 10_000_000_000_000_i64)]
    amount_minor: i64,
    /// The first day the price applies (not before the decision date).
    #[schema(example = "2027-01-01")]
    effective_from: String,
}

impl From<PriceIn> for PriceInput {
    fn from(p: PriceIn) -> Self {
        Self {
            currency: p.currency,
            months: p.months,
            amount_minor: p.amount_minor,
            effective_from: p.effective_from,
        }
    }
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct NewPlan {
    #[schema(example = "start")]
    code: String,
    name: PlanNames,
    limits: Limits,
    prices: Vec<PriceIn>,
}

#[derive(Serialize, ToSchema)]
pub struct PriceOut {
    currency: Currency,
    months: i64,
    amount_minor: i64,
    decided_on: String,
    effective_from: String,
}

impl From<Price> for PriceOut {
    fn from(p: Price) -> Self {
        Self {
            currency: p.currency,
            months: p.months,
            amount_minor: p.amount_minor,
            decided_on: p.decided_on.to_string(),
            effective_from: p.effective_from.to_string(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PlanOut {
    code: String,
    name: PlanNames,
    limits: Limits,
    /// The prices in force today (Asia/Almaty).
    prices: Vec<PriceOut>,
}

fn plan_out(plan: Plan, prices: Vec<Price>) -> PlanOut {
    PlanOut {
        code: plan.code,
        name: PlanNames {
            ru: plan.name_ru,
            kk: plan.name_kk,
            en: plan.name_en,
        },
        limits: Limits {
            students: plan.limit_students,
            staff: plan.limit_staff,
            storage_bytes: plan.limit_storage_bytes,
            courses: plan.limit_courses,
        },
        prices: prices.into_iter().map(Into::into).collect(),
    }
}

/// Creates a plan with its prices (super-admin).
#[utoipa::path(post, path = "/api/v1/operator/plans", tag = "billing", security(("bearer" = [])),
    request_body = NewPlan,
    responses((status = 201, body = PlanOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 409, description = "The code is taken", body = Problem), (status = 422, body = Problem)))]
async fn create_plan(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<NewPlan>,
) -> Result<(StatusCode, Json<PlanOut>), ApiError> {
    let input = PlanInput {
        code: body.code,
        name_ru: body.name.ru,
        name_kk: body.name.kk,
        name_en: body.name.en,
        limits: [
            body.limits.students,
            body.limits.staff,
            body.limits.storage_bytes,
            body.limits.courses,
        ],
        prices: body.prices.into_iter().map(Into::into).collect(),
    };
    let services = state.services();
    let plan = billing::catalog::create_plan(services, &who, input, origin.0).await?;
    let today = local_date(services.clock.now());
    let prices = billing::catalog::catalogue(services, today)
        .await?
        .into_iter()
        .find(|(p, _)| p.code == plan.code)
        .map(|(_, prices)| prices)
        .unwrap_or_default();
    Ok((StatusCode::CREATED, Json(plan_out(plan, prices))))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct NewPrices {
    /// The day the change was decided (default today): notices go out from it (R-5.8a).
    decided_on: Option<String>,
    prices: Vec<PriceIn>,
}

/// Adds price versions to a plan (super-admin); periods already paid keep their price.
#[utoipa::path(post, path = "/api/v1/operator/plans/{code}/prices", tag = "billing",
    security(("bearer" = [])), request_body = NewPrices,
    responses((status = 201, body = Vec<PriceOut>), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn add_prices(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    origin: ClientOrigin,
    Path(code): Path<String>,
    ApiJson(body): ApiJson<NewPrices>,
) -> Result<(StatusCode, Json<Vec<PriceOut>>), ApiError> {
    let rows = billing::catalog::add_prices(
        state.services(),
        &who,
        &code,
        body.decided_on.as_deref(),
        body.prices.into_iter().map(Into::into).collect(),
        origin.0,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(rows.into_iter().map(Into::into).collect()),
    ))
}

/// The plans with the prices in force today (public).
#[utoipa::path(get, path = "/api/v1/plans", tag = "billing",
    params(PageParams),
    responses((status = 200, body = PlanPage), (status = 422, description = "A bad `limit` or `after`, or a NUL in a parameter", body = Problem)))]
async fn list_plans(
    State(state): State<AppState>,
    PageQuery(page): PageQuery,
) -> Result<Json<PlanPage>, ApiError> {
    let services = state.services();
    let today = local_date(services.clock.now());
    let found = billing::catalog::catalogue_page(services, today, &page).await?;
    Ok(Json(PlanPage::of(found, |(plan, prices)| {
        plan_out(plan, prices)
    })))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct ServiceItem {
    code: String,
    quantity: i64,
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct ApplicationIn {
    #[schema(example = "start")]
    plan: String,
    /// 1, 3, 6 or 12.
    months: i64,
    /// `KZT` (the only choice for residents), `EUR` or `USD`.
    #[schema(example = "KZT")]
    currency: String,
    services: Vec<ServiceItem>,
    promo_code: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct LineOut {
    kind: LineKind,
    description: String,
    amount_minor: i64,
}

#[derive(Serialize, ToSchema)]
pub struct InvoiceOut {
    id: String,
    /// Gapless per year: `2027-000001`.
    number: String,
    /// `service` is a quote's.
    purpose: InvoicePurpose,
    plan: String,
    months: i64,
    status: InvoiceStatus,
    issued_on: String,
    /// issued_on + 3 business days.
    due_on: String,
    /// The due date was counted over a year with no loaded business calendar: Monday to Friday
    /// minus the fixed-date holidays, so it may move once the year is loaded.
    due_on_provisional: bool,
    paid_on: Option<String>,
    lines: Vec<LineOut>,
    total: Money,
    paid: Money,
    /// The operator's requisites as they were at issue.
    #[schema(value_type = Object)]
    supplier: serde_json::Value,
    /// The licensee's details as they were at issue.
    #[schema(value_type = Object)]
    customer: serde_json::Value,
    /// For a quote's invoice (`purpose` = `service`): `issued` or `accepted_by_payment`.
    quote_status: Option<educenter_domain::billing::QuoteStatus>,
    /// For a paid invoice: rights are due by the end of this day, the receipt date + 3
    /// business days.
    grant_deadline: Option<String>,
}

fn invoice_out(v: InvoiceView) -> InvoiceOut {
    let i = v.invoice;
    let (total, paid) = (i.total(), i.paid());
    InvoiceOut {
        id: i.id,
        number: i.number,
        purpose: i.purpose,
        plan: i.plan_code,
        months: i.months,
        status: i.status,
        issued_on: i.issued_on.to_string(),
        due_on: i.due_on.to_string(),
        due_on_provisional: i.due_on_provisional,
        paid_on: i.paid_on.map(|d| d.to_string()),
        lines: v
            .lines
            .into_iter()
            .map(|l| LineOut {
                // In the reader's language (`Accept-Language`), Russian when not written in it.
                description: l
                    .description_in(crate::problem::reader_lang().code())
                    .to_owned(),
                kind: l.kind,
                amount_minor: l.amount_minor,
            })
            .collect(),
        total,
        paid,
        supplier: i.supplier,
        customer: i.customer,
        quote_status: None,
        grant_deadline: None,
    }
}

#[derive(Serialize, ToSchema)]
pub struct ApplicationOut {
    invoice: InvoiceOut,
}

/// Applies for a plan (owner, administrator, accountant): one invoice, due in 3 business days.
#[utoipa::path(post, path = "/api/v1/applications", tag = "billing", security(("bearer" = [])),
    request_body = ApplicationIn,
    responses((status = 201, body = ApplicationOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 409, description = "A licence invoice is still open", body = Problem), (status = 422, body = Problem)))]
async fn apply(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<ApplicationIn>,
) -> Result<(StatusCode, Json<ApplicationOut>), ApiError> {
    let app = Application {
        plan: body.plan,
        months: body.months,
        currency: body.currency,
        services: body
            .services
            .into_iter()
            .map(|s| (s.code, s.quantity))
            .collect(),
        promo_code: body.promo_code,
    };
    let v = billing::invoices::apply(state.services(), &who, app, origin.0).await?;
    Ok((
        StatusCode::CREATED,
        Json(ApplicationOut {
            invoice: invoice_out(v),
        }),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct InvoiceSummary {
    id: String,
    number: String,
    purpose: InvoicePurpose,
    status: InvoiceStatus,
    issued_on: String,
    due_on: String,
    paid_on: Option<String>,
    total: Money,
}

/// The school's invoices, newest first.
#[utoipa::path(get, path = "/api/v1/invoices", tag = "billing", security(("bearer" = [])),
    params(PageParams),
    responses((status = 200, body = InvoicePage), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, description = "A bad `limit` or `after`, or a NUL in a parameter", body = Problem)))]
async fn list_invoices(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    PageQuery(page): PageQuery,
) -> Result<Json<InvoicePage>, ApiError> {
    let list = billing::invoices::invoices_page(state.services(), &who, &page).await?;
    Ok(Json(InvoicePage::of(list, |i| InvoiceSummary {
        total: i.total(),
        id: i.id,
        number: i.number,
        purpose: i.purpose,
        status: i.status,
        issued_on: i.issued_on.to_string(),
        due_on: i.due_on.to_string(),
        paid_on: i.paid_on.map(|d| d.to_string()),
    })))
}

/// One invoice with its lines.
#[utoipa::path(get, path = "/api/v1/invoices/{id}", tag = "billing", security(("bearer" = [])),
    responses((status = 200, body = InvoiceOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
async fn get_invoice(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    Path(id): Path<String>,
) -> Result<Json<InvoiceOut>, ApiError> {
    let view = billing::invoices::invoice(state.services(), &who, &id).await?;
    let deadline = billing::changes::grant_deadline(state.services(), &view.invoice).await?;
    let mut out = invoice_out(view);
    out.quote_status = billing::changes::quote_status(state.services(), &who, &id).await?;
    out.grant_deadline = deadline.map(|d| d.to_string());
    Ok(Json(out))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct TransferIn {
    #[schema(example = "2027-000001")]
    invoice_number: String,
    /// Minor units, 1 to 10000000000000 (100 000 000 000.00): more is refused (422).
    #[schema(maximum = 10_000_000_000_000_i64)]
    amount_minor: i64,
    currency: String,
    /// The bank's value date (not the day it is keyed in).
    received_on: String,
    /// The bank's reference: the same one twice records one payment.
    reference: String,
}

#[derive(Serialize, ToSchema)]
pub struct PaymentOut {
    id: String,
    invoice_id: String,
    reference: String,
    amount_minor: i64,
    currency: Currency,
    received_on: String,
}

impl From<Payment> for PaymentOut {
    fn from(p: Payment) -> Self {
        Self {
            id: p.id,
            invoice_id: p.invoice_id,
            reference: p.reference,
            amount_minor: p.amount_minor,
            currency: p.currency,
            received_on: p.received_on.to_string(),
        }
    }
}

/// Records a bank transfer (billing officer): 201 for a new payment, 200 with the first one
/// when the reference was recorded before.
#[utoipa::path(post, path = "/api/v1/operator/payments", tag = "billing", security(("bearer" = [])),
    request_body = TransferIn,
    responses((status = 201, body = PaymentOut), (status = 200, description = "Already recorded", body = PaymentOut),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, description = "The invoice is void", body = Problem), (status = 422, body = Problem)))]
async fn record_payment(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<TransferIn>,
) -> Result<(StatusCode, Json<PaymentOut>), ApiError> {
    let (payment, created) = billing::payments::record_transfer(
        state.services(),
        &who,
        BankTransfer {
            invoice_number: body.invoice_number,
            amount_minor: body.amount_minor,
            currency: body.currency,
            received_on: body.received_on,
            reference: body.reference,
        },
        origin.0,
    )
    .await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(payment.into())))
}

#[derive(Serialize, ToSchema)]
pub struct ContractRef {
    number: i64,
    started_on: String,
}

#[derive(Serialize, ToSchema)]
pub struct PeriodOut {
    from: String,
    to: String,
    plan: String,
    invoice_number: String,
}

#[derive(Serialize, ToSchema)]
pub struct LicenceOut {
    state: LicenceState,
    /// The reason of a block in force, laid over the state.
    blocked: Option<educenter_domain::tenancy::BlockReason>,
    plan: Option<String>,
    trial_ends_on: String,
    application_deadline: String,
    /// The last paid day L of the contract in force.
    paid_through: Option<String>,
    contract: Option<ContractRef>,
    periods: Vec<PeriodOut>,
    credit_balance: Vec<Money>,
    /// What the school uses now.
    usage: Limits,
    /// The limits in force, extra storage included: the paid plan's, or while nothing is paid
    /// the trial's (the operator's trial plan, or 100 students, 5 staff, 10 courses, 5 GB).
    limits: Limits,
    /// A school that lapsed or refused keeps its data until this day (R-4.4a).
    purge_on: Option<String>,
}

/// The school's licence today: state, periods of the contract in force, credit balance.
#[utoipa::path(get, path = "/api/v1/license", tag = "billing", security(("bearer" = [])),
    responses((status = 200, body = LicenceOut), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn get_licence(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
) -> Result<Json<LicenceOut>, ApiError> {
    let l = billing::licence::licence(state.services(), &who).await?;
    Ok(Json(LicenceOut {
        state: l.state,
        blocked: l.blocked,
        plan: l.plan.as_ref().map(|p| p.code.clone()),
        trial_ends_on: l.trial_ends_on.to_string(),
        application_deadline: l.application_deadline.to_string(),
        paid_through: l.paid_through.map(|d| d.to_string()),
        contract: l.contract.map(|c| ContractRef {
            number: c.number,
            started_on: local_date(c.started_at).to_string(),
        }),
        periods: l
            .periods
            .into_iter()
            .map(|p| PeriodOut {
                from: p.from.to_string(),
                to: p.to.to_string(),
                plan: p.plan,
                invoice_number: p.invoice_number,
            })
            .collect(),
        credit_balance: l.credit,
        usage: Limits {
            students: l.usage.students,
            staff: l.usage.staff,
            storage_bytes: l.usage.storage_bytes,
            courses: l.usage.courses,
        },
        purge_on: l.purge_on.map(|d| d.to_string()),
        limits: Limits {
            students: l.limits.students,
            staff: l.limits.staff,
            storage_bytes: l.limits.storage_bytes.saturating_add(l.extra_storage_bytes),
            courses: l.limits.courses,
        },
    }))
}
