//! Versions of the prices of additional services (R-5.8a) through the API.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use educenter_services::service_items::{self, PriceInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    AppState, ClientOrigin,
    auth::Auth,
    problem::{ApiError, ApiJson, Problem},
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(add_service_prices))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct ServicePriceIn {
    #[schema(example = "KZT")]
    currency: String,
    /// Per unit, in minor units (at most 10 000 000 000 000).
    #[schema(maximum = 10_000_000_000_000_i64)]
    amount_minor: i64,
    /// YYYY-MM-DD, not before the decision date nor today.
    effective_from: String,
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct ServicePricesIn {
    /// YYYY-MM-DD, today or earlier; today when absent.
    decided_on: Option<String>,
    prices: Vec<ServicePriceIn>,
}

#[derive(Serialize, ToSchema)]
pub struct ServicePriceOut {
    currency: educenter_domain::billing::Currency,
    amount_minor: i64,
    decided_on: String,
    effective_from: String,
}

/// Adds price versions to an additional service (super-admin, R-5.8a): each school that uses
/// the service is e-mailed at once and sees the change in its cabinet; a notice still unsent 5
/// days after the decision alerts the super-admins and billing officers.
#[utoipa::path(post, path = "/api/v1/operator/services/{code}/prices", tag = "billing",
    security(("bearer" = [])), request_body = ServicePricesIn,
    responses((status = 201, body = Vec<ServicePriceOut>), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn add_service_prices(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(code): Path<String>,
    ApiJson(body): ApiJson<ServicePricesIn>,
) -> Result<(StatusCode, Json<Vec<ServicePriceOut>>), ApiError> {
    let rows = service_items::add_prices(
        state.services(),
        &who,
        &code,
        body.decided_on.as_deref(),
        body.prices
            .into_iter()
            .map(|p| PriceInput {
                currency: p.currency,
                amount_minor: p.amount_minor,
                effective_from: p.effective_from,
            })
            .collect(),
        origin.0,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(
            rows.into_iter()
                .map(|p| ServicePriceOut {
                    currency: p.amount.currency,
                    amount_minor: p.amount.minor,
                    decided_on: p.decided_on.to_string(),
                    effective_from: p.effective_from.to_string(),
                })
                .collect(),
        ),
    ))
}
