//! The public offer (R-2.3a).

use axum::{Json, extract::State};
use educenter_services::{ServiceError, offers};
use jiff::{Timestamp, civil::Date};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    AppState,
    problem::{ApiError, Problem},
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(current_offer))
}

#[derive(Serialize, ToSchema)]
pub struct Offer {
    number: i64,
    #[schema(value_type = String)]
    published_at: Timestamp,
    /// The local date of publication.
    #[schema(value_type = String, format = Date)]
    published_on: Date,
    change_summary: String,
    text_ru: String,
    text_kk: Option<String>,
}

/// The version of the offer in force now.
#[utoipa::path(get, path = "/api/v1/offer", tag = "accounts",
    responses((status = 200, body = Offer), (status = 404, body = Problem)))]
async fn current_offer(State(state): State<AppState>) -> Result<Json<Offer>, ApiError> {
    let offer = offers::in_force(state.services())
        .await?
        .ok_or_else(|| ServiceError::NotFound(educenter_services::Msg::new("err-no-offer")))?;
    Ok(Json(Offer {
        number: offer.number,
        published_at: offer.published_at,
        published_on: offer.published_on,
        change_summary: offer.change_summary,
        text_ru: offer.text_ru,
        text_kk: offer.text_kk,
    }))
}
