//! Applications, quotes and the school's invoices through the API.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use educenter_domain::{
    billing::{InvoicePurpose, InvoiceStatus, LineKind},
    money::Money,
};
use educenter_services::billing::{self, invoices::Application, invoices::InvoiceView};
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

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(apply))
        .routes(routes!(list_invoices))
        .routes(routes!(get_invoice))
        .routes(routes!(create_quote))
}

page_of!(InvoicePage, InvoiceSummary, "invoices");

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
        id: i.id.into_string(),
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
        id: i.id.into_string(),
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
