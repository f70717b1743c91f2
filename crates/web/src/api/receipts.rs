//! Unmatched bank receipts and their grant deadlines through the API.

use axum::{
    Json,
    extract::{Path, Query, State},
    http::StatusCode,
};
use educenter_services::{
    receipts::{self, NewReceipt},
    store::receipts::Receipt,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::billing::PaymentOut;
use crate::{
    AppState, ClientOrigin,
    api::page::{PageParams, PageQuery},
    auth::Auth,
    page_of,
    problem::{ApiError, ApiJson, Problem},
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(record_receipt, list_receipts))
        .routes(routes!(match_receipt))
}

page_of!(ReceiptPage, ReceiptOut, "receipts");

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct ReceiptIn {
    /// The bank's reference: the same one twice records one receipt.
    reference: String,
    /// Minor units, 1 to 10000000000000 (100 000 000 000.00): more is refused (422).
    #[schema(maximum = 10_000_000_000_000_i64)]
    amount_minor: i64,
    currency: String,
    /// The bank's value date.
    received_on: String,
    /// Who paid, as the statement names them.
    payer: String,
    /// The payment purpose from the statement.
    purpose: String,
}

#[derive(Serialize, ToSchema)]
pub struct ReceiptOut {
    id: String,
    reference: String,
    amount_minor: i64,
    currency: educenter_domain::billing::Currency,
    received_on: String,
    /// Rights are due by the end of this day: the receipt date + 3 business days.
    grant_deadline: String,
    payer: String,
    purpose: String,
    /// `unmatched` or `matched`.
    status: &'static str,
    /// The payment it became once matched.
    payment_id: Option<String>,
}

impl From<Receipt> for ReceiptOut {
    fn from(r: Receipt) -> Self {
        Self {
            status: if r.payment_id.is_some() {
                "matched"
            } else {
                "unmatched"
            },
            id: r.id,
            reference: r.reference,
            amount_minor: r.amount.minor,
            currency: r.amount.currency,
            received_on: r.received_on.to_string(),
            grant_deadline: r.grant_deadline.to_string(),
            payer: r.payer,
            purpose: r.purpose,
            payment_id: r.payment_id,
        }
    }
}

/// Records money whose invoice is not known yet (billing officer): 201 for a new receipt,
/// 200 with the first one when the reference was recorded before.
#[utoipa::path(post, path = "/api/v1/operator/receipts", tag = "billing", security(("bearer" = [])),
    request_body = ReceiptIn,
    responses((status = 201, body = ReceiptOut), (status = 200, description = "Already recorded", body = ReceiptOut),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 409, description = "The reference is already a payment", body = Problem), (status = 422, body = Problem)))]
async fn record_receipt(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<ReceiptIn>,
) -> Result<(StatusCode, Json<ReceiptOut>), ApiError> {
    let (receipt, created) = receipts::record(
        state.services(),
        &who,
        NewReceipt {
            reference: body.reference,
            amount_minor: body.amount_minor,
            currency: body.currency,
            received_on: body.received_on,
            payer: body.payer,
            purpose: body.purpose,
        },
        origin.0,
    )
    .await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(receipt.into())))
}

#[derive(Deserialize, utoipa::IntoParams, Default)]
#[serde(default)]
pub struct ReceiptQuery {
    /// `unmatched` (the default) or `all`.
    status: String,
}

/// Receipts, the unmatched ones first by grant deadline (billing officer).
#[utoipa::path(get, path = "/api/v1/operator/receipts", tag = "billing", security(("bearer" = [])),
    params(ReceiptQuery, PageParams),
    responses((status = 200, body = ReceiptPage), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 422, description = "A bad `status`, `limit` or `after`, or a NUL in a parameter", body = Problem)))]
async fn list_receipts(
    State(state): State<AppState>,
    Auth(who): Auth,
    Query(q): Query<ReceiptQuery>,
    PageQuery(page): PageQuery,
) -> Result<Json<ReceiptPage>, ApiError> {
    let open_only = match q.status.as_str() {
        "" | "unmatched" => true,
        "all" => false,
        _ => {
            return Err(educenter_services::ServiceError::Invalid(vec![(
                "status".into(),
                educenter_services::Msg::one_of(&["unmatched", "all"]),
            )])
            .into());
        }
    };
    let found = receipts::list_page(state.services(), &who, open_only, &page).await?;
    Ok(Json(ReceiptPage::of(found, Into::into)))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct MatchIn {
    #[schema(example = "2027-000001")]
    invoice_number: String,
}

/// Matches a receipt to an invoice: the payment keeps the receipt's date (billing officer).
#[utoipa::path(post, path = "/api/v1/operator/receipts/{id}/match", tag = "billing", security(("bearer" = [])),
    params(("id" = String, Path, description = "The receipt")),
    request_body = MatchIn,
    responses((status = 201, body = PaymentOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, description = "Already matched", body = Problem),
        (status = 422, description = "Another currency", body = Problem)))]
async fn match_receipt(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<MatchIn>,
) -> Result<(StatusCode, Json<PaymentOut>), ApiError> {
    let payment =
        receipts::match_to_invoice(state.services(), &who, &id, &body.invoice_number, origin.0)
            .await?;
    Ok((StatusCode::CREATED, Json(payment.into())))
}
