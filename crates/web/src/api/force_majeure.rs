//! The register of force majeure through the API (issue 18, item 7; ): the
//! operator's infrastructure staff record the platform's events (the affected schools' owners
//! are e-mailed) and ask schools for evidence; compliance officers read the register; a
//! school's owner files the school's notices, attaches documents and asks the platform for
//! evidence of its events.

use axum::{
    Json,
    extract::{Path, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use educenter_services::force_majeure::{self, Entry, EventInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    AppState, ClientOrigin,
    api::page::{PageParams, PageQuery},
    auth::{Auth, KeptAuth},
    page_of,
    problem::{ApiError, ApiJson, Problem},
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_force_majeure, record_force_majeure))
        .routes(routes!(get_force_majeure))
        .routes(routes!(ask_school_for_evidence))
        .routes(routes!(download_force_majeure_file))
        .routes(routes!(school_force_majeure, notify_force_majeure))
        .routes(routes!(get_school_force_majeure))
        .routes(routes!(attach_force_majeure_file))
        .routes(routes!(download_school_force_majeure_file))
        .routes(routes!(ask_platform_for_evidence))
}

page_of!(ForceMajeurePage, ForceMajeureOut, "force majeure events");

#[derive(Serialize, ToSchema)]
pub struct ForceMajeureOut {
    id: String,
    /// `licensor` (the platform was hit) or `licensee` (a school was).
    party: String,
    /// A school's notice: its school.
    tenant_id: Option<String>,
    /// The platform's event: every school, or those of `schools`.
    all_schools: bool,
    schools: Vec<String>,
    /// `YYYY-MM-DD`.
    onset_on: String,
    communication_restored_on: Option<String>,
    /// The day the other party was told.
    notice_on: String,
    /// The last day to tell the other party: 10 days after the onset, or after communication
    /// was restored.
    deadline: String,
    /// The notice came after the deadline.
    late: bool,
    description: String,
    evidence_requested_at: Option<String>,
    files: Vec<FileOut>,
}

#[derive(Serialize, ToSchema)]
pub struct FileOut {
    id: String,
    filename: String,
    content_type: String,
    bytes: i64,
    added_at: String,
}

impl From<Entry> for ForceMajeureOut {
    fn from(e: Entry) -> Self {
        let ev = e.event;
        Self {
            id: ev.id,
            party: ev.party.as_str().to_owned(),
            tenant_id: ev.tenant_id.map(|t| t.into_string()),
            all_schools: ev.all_schools,
            schools: e.schools.into_iter().map(|t| t.into_string()).collect(),
            onset_on: ev.onset_on.to_string(),
            communication_restored_on: ev.communication_restored_on.map(|d| d.to_string()),
            notice_on: ev.notice_on.to_string(),
            deadline: e.deadline.to_string(),
            late: e.late,
            description: ev.description,
            evidence_requested_at: ev.evidence_requested_at.map(|t| t.to_string()),
            files: e
                .files
                .into_iter()
                .map(|f| FileOut {
                    id: f.id,
                    filename: f.filename,
                    content_type: f.content_type,
                    bytes: f.bytes,
                    added_at: f.added_at.to_string(),
                })
                .collect(),
        }
    }
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct ForceMajeureIn {
    /// `YYYY-MM-DD`, not in the future.
    onset_on: String,
    /// `YYYY-MM-DD`: when communication was restored after being lost; leave out otherwise.
    communication_restored_on: String,
    /// What happened, 10 to 4000 characters.
    description: String,
    /// The platform's event only: `["all"]`, or the ids of the schools it affects.
    schools: Vec<String>,
}

impl From<ForceMajeureIn> for EventInput {
    fn from(b: ForceMajeureIn) -> Self {
        Self {
            onset_on: b.onset_on,
            communication_restored_on: b.communication_restored_on,
            description: b.description,
            schools: b.schools,
        }
    }
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct EvidenceIn {
    /// What to send, 1 to 2000 characters.
    note: String,
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct AttachIn {
    /// A file of the school's media (`POST /api/v1/media`).
    media_id: String,
}

/// The register of force majeure, the latest onset first (infrastructure and compliance).
#[utoipa::path(get, path = "/api/v1/operator/force-majeure", tag = "compliance", security(("bearer" = [])),
    params(PageParams),
    responses((status = 200, body = ForceMajeurePage), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, body = Problem)))]
async fn list_force_majeure(
    State(state): State<AppState>,
    Auth(who): Auth,
    PageQuery(page): PageQuery,
) -> Result<Json<ForceMajeurePage>, ApiError> {
    let page = force_majeure::list(state.services(), &who, &page).await?;
    Ok(Json(ForceMajeurePage::of(page, ForceMajeureOut::from)))
}

/// Records an event hitting the platform and e-mails the owner of every school it affects
/// (infrastructure staff; audited): that day is the notice's. 422 naming each wrong field,
/// 404 for an unknown school.
#[utoipa::path(post, path = "/api/v1/operator/force-majeure", tag = "compliance", security(("bearer" = [])),
    request_body = ForceMajeureIn,
    responses((status = 201, body = ForceMajeureOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn record_force_majeure(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<ForceMajeureIn>,
) -> Result<(StatusCode, Json<ForceMajeureOut>), ApiError> {
    let e = force_majeure::record(state.services(), &who, &body.into(), origin.0).await?;
    Ok((StatusCode::CREATED, Json(e.into())))
}

/// One event of the register.
#[utoipa::path(get, path = "/api/v1/operator/force-majeure/{id}", tag = "compliance", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = ForceMajeureOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
async fn get_force_majeure(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path(id): Path<String>,
) -> Result<Json<ForceMajeureOut>, ApiError> {
    force_majeure::require_reader(&who)?;
    Ok(Json(
        force_majeure::get(state.services(), &who, &id)
            .await?
            .into(),
    ))
}

/// Asks the school that filed a notice for evidence, by e-mail to its owner (infrastructure
/// staff; audited). 409 for the platform's own event.
#[utoipa::path(post, path = "/api/v1/operator/force-majeure/{id}/request-evidence", tag = "compliance", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = EvidenceIn,
    responses((status = 200, body = ForceMajeureOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn ask_school_for_evidence(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<EvidenceIn>,
) -> Result<Json<ForceMajeureOut>, ApiError> {
    force_majeure::require_reader(&who)?;
    let e =
        force_majeure::request_evidence(state.services(), &who, &id, &body.note, origin.0).await?;
    Ok(Json(e.into()))
}

/// A document attached to an event, as the school attached it.
#[utoipa::path(get, path = "/api/v1/operator/force-majeure/{id}/files/{file}", tag = "compliance", security(("bearer" = [])),
    params(("id" = String, Path), ("file" = String, Path)),
    responses((status = 200, description = "The document", content_type = "application/octet-stream"),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn download_force_majeure_file(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path((id, file)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    force_majeure::require_reader(&who)?;
    Ok(file_response(
        force_majeure::download(state.services(), &who, &id, &file).await?,
    ))
}

/// The school's notices and the platform's events affecting it (the owner), the latest onset
/// first.
#[utoipa::path(get, path = "/api/v1/force-majeure", tag = "compliance", security(("bearer" = [])),
    params(PageParams),
    responses((status = 200, body = ForceMajeurePage), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, body = Problem)))]
async fn school_force_majeure(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    PageQuery(page): PageQuery,
) -> Result<Json<ForceMajeurePage>, ApiError> {
    let all = force_majeure::of_school(state.services(), &who).await?;
    let page = educenter_services::store::page::Page::cut(all, &page, |e| e.event.id.clone())
        .map_err(educenter_services::ServiceError::from)?;
    Ok(Json(ForceMajeurePage::of(page, ForceMajeureOut::from)))
}

/// The owner gives notice of an event hitting the school (audited): dated today, flagged late
/// past its deadline; the platform's support is e-mailed. 422 naming each wrong field.
#[utoipa::path(post, path = "/api/v1/force-majeure", tag = "compliance", security(("bearer" = [])),
    request_body = ForceMajeureIn,
    responses((status = 201, body = ForceMajeureOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, body = Problem)))]
async fn notify_force_majeure(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<ForceMajeureIn>,
) -> Result<(StatusCode, Json<ForceMajeureOut>), ApiError> {
    let e = force_majeure::notify(state.services(), &who, &body.into(), origin.0).await?;
    Ok((StatusCode::CREATED, Json(e.into())))
}

/// One of the school's notices, or an event of the platform affecting it.
#[utoipa::path(get, path = "/api/v1/force-majeure/{id}", tag = "compliance", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = ForceMajeureOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
async fn get_school_force_majeure(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    Path(id): Path<String>,
) -> Result<Json<ForceMajeureOut>, ApiError> {
    Ok(Json(
        force_majeure::get(state.services(), &who, &id)
            .await?
            .into(),
    ))
}

/// Attaches a file of the school's media to the school's own notice (the owner; audited): a
/// copy is kept with the register.
#[utoipa::path(post, path = "/api/v1/force-majeure/{id}/files", tag = "compliance", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = AttachIn,
    responses((status = 201, body = ForceMajeureOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
async fn attach_force_majeure_file(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    origin: ClientOrigin,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<AttachIn>,
) -> Result<(StatusCode, Json<ForceMajeureOut>), ApiError> {
    let e = force_majeure::attach(state.services(), &who, &id, &body.media_id, origin.0).await?;
    Ok((StatusCode::CREATED, Json(e.into())))
}

/// A document attached to one of the school's notices.
#[utoipa::path(get, path = "/api/v1/force-majeure/{id}/files/{file}", tag = "compliance", security(("bearer" = [])),
    params(("id" = String, Path), ("file" = String, Path)),
    responses((status = 200, description = "The document", content_type = "application/octet-stream"),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn download_school_force_majeure_file(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    Path((id, file)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    Ok(file_response(
        force_majeure::download(state.services(), &who, &id, &file).await?,
    ))
}

/// Asks the platform for evidence of an event of its affecting the school, by e-mail to its
/// support (the owner; audited). 409 for the school's own notice.
#[utoipa::path(post, path = "/api/v1/force-majeure/{id}/request-evidence", tag = "compliance", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = EvidenceIn,
    responses((status = 200, body = ForceMajeureOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn ask_platform_for_evidence(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    origin: ClientOrigin,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<EvidenceIn>,
) -> Result<Json<ForceMajeureOut>, ApiError> {
    let e =
        force_majeure::request_evidence(state.services(), &who, &id, &body.note, origin.0).await?;
    Ok(Json(e.into()))
}

/// A stored document as a download: its type, never cached, named as it was uploaded.
pub(crate) fn file_response(
    (file, bytes): (educenter_services::store::force_majeure::File, bytes::Bytes),
) -> Response {
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    let content_type = HeaderValue::from_str(&file.content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    h.insert(header::CONTENT_TYPE, content_type);
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    let ascii: String = file
        .filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{ascii}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}
