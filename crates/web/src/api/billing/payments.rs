//! Money coming in and going back through the API: bank transfers, a payment provider's
//! callback and refunds.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use educenter_domain::billing::Currency;
use educenter_services::{
    billing::{self, payments::BankTransfer},
    store::billing::Payment,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    AppState, ClientOrigin,
    auth::KeptAuth,
    problem::{ApiError, ApiJson, Problem},
};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(record_payment))
        .routes(routes!(payment_callback))
        .routes(routes!(record_refund))
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
            invoice_id: r.invoice_id.into_string(),
            amount_minor: r.amount.minor,
            currency: r.amount.currency,
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
            invoice_id: p.invoice_id.into_string(),
            reference: p.reference,
            amount_minor: p.amount.minor,
            currency: p.amount.currency,
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
