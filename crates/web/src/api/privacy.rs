//! A school's privacy text for its students through the API.

use axum::{Json, extract::State};
use educenter_services::privacy;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    AppState, ClientOrigin,
    auth::Auth,
    problem::{ApiError, ApiJson, Problem},
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_privacy, put_privacy))
}

#[derive(Serialize, ToSchema)]
pub struct PrivacyVersion {
    version: i64,
    text: String,
    #[schema(value_type = String)]
    created_at: jiff::Timestamp,
}

#[derive(Serialize, ToSchema)]
pub struct PrivacyOut {
    /// The version students are shown now (`null`: the platform's default text).
    current: Option<PrivacyVersion>,
    /// Every version, newest first.
    versions: Vec<PrivacyVersion>,
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct PrivacyIn {
    /// The text (20 to 20 000 characters; paragraphs split by blank lines).
    text: String,
}

fn out(v: educenter_services::store::privacy::PrivacyText) -> PrivacyVersion {
    PrivacyVersion {
        version: v.version,
        text: v.text,
        created_at: v.created_at,
    }
}

/// The school's privacy text for its students and its earlier versions (staff who manage
/// learners).
#[utoipa::path(get, path = "/api/v1/school/privacy", tag = "learning", security(("bearer" = [])),
    responses((status = 200, body = PrivacyOut), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn get_privacy(
    State(state): State<AppState>,
    Auth(who): Auth,
) -> Result<Json<PrivacyOut>, ApiError> {
    let mut versions: Vec<PrivacyVersion> = privacy::texts(state.services(), &who)
        .await?
        .into_iter()
        .map(out)
        .collect();
    let current = (!versions.is_empty()).then(|| versions.remove(0));
    let mut all = Vec::new();
    if let Some(c) = &current {
        all.push(PrivacyVersion {
            version: c.version,
            text: c.text.clone(),
            created_at: c.created_at,
        });
    }
    all.extend(versions);
    Ok(Json(PrivacyOut {
        current,
        versions: all,
    }))
}

/// Saves a new version of the school's privacy text: students who sign up from now on agree to
/// it, and their consent records its version (`school-v{N}`). Audited.
#[utoipa::path(put, path = "/api/v1/school/privacy", tag = "learning", security(("bearer" = [])),
    request_body = PrivacyIn,
    responses((status = 200, body = PrivacyVersion), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, body = Problem)))]
async fn put_privacy(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<PrivacyIn>,
) -> Result<Json<PrivacyVersion>, ApiError> {
    let v = privacy::set_text(state.services(), &who, &body.text, origin.0).await?;
    Ok(Json(out(v)))
}
