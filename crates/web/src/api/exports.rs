//! The export of a school's data through the API (issue 18, item 3): ask for one, follow its
//! progress, and get its signed download link.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use educenter_services::exports::{self, ExportView};
use jiff::Timestamp;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    AppState, ClientOrigin,
    auth::KeptAuth,
    problem::{ApiError, Problem},
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(request_export))
        .routes(routes!(get_export))
}

#[derive(Serialize, ToSchema)]
pub struct ExportOut {
    id: String,
    /// `queued`, `running`, `ready`, `failed` or `expired`.
    status: String,
    /// Percent done, 0 to 100.
    progress: i64,
    /// While `ready`: the signed link to the ZIP, a path on this site (`/exports/{id}/download`,
    /// no sign-in needed; 404 when tampered with, 410 once expired), working until
    /// `expires_at`.
    download_url: Option<String>,
    #[schema(value_type = Option<String>)]
    expires_at: Option<Timestamp>,
    /// The ZIP's size once ready.
    bytes: Option<i64>,
}

impl From<ExportView> for ExportOut {
    fn from(v: ExportView) -> Self {
        Self {
            id: v.id,
            status: v.status,
            progress: v.progress,
            download_url: v.download_url,
            expires_at: v.expires_at,
            bytes: v.bytes,
        }
    }
}

/// Asks for a full export of the school (the owner; also while the contract ends and until the
/// data is purged): a ZIP with `manifest.json`, every entity as JSON Lines and CSV, the
/// invoices and acts as PDFs and every uploaded file, built in the background; the link is
/// e-mailed when it is ready and works 7 days. 409 while another export is on its way.
#[utoipa::path(post, path = "/api/v1/exports", tag = "accounts", security(("bearer" = [])),
    responses((status = 202, body = ExportOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, description = "The school's data is purged", body = Problem),
        (status = 409, description = "Another export of the school is on its way", body = Problem)))]
async fn request_export(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    origin: ClientOrigin,
) -> Result<(StatusCode, Json<ExportOut>), ApiError> {
    let v = exports::request(state.services(), &who, origin.0).await?;
    Ok((StatusCode::ACCEPTED, Json(v.into())))
}

/// An export of the school: its status, progress and, once ready, its download link.
#[utoipa::path(get, path = "/api/v1/exports/{id}", tag = "accounts", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = ExportOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
async fn get_export(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    Path(id): Path<String>,
) -> Result<Json<ExportOut>, ApiError> {
    Ok(Json(
        exports::status(state.services(), &who, &id).await?.into(),
    ))
}
