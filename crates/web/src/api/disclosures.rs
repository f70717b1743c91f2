//! The register of disclosure requests through the API (issue 18, item 7; R-2.5b): the
//! operator's compliance officers record a request, a second one approves it, and its package
//! is generated once and read back with its SHA-256.

use axum::{
    Json,
    extract::{Path, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use educenter_services::{
    disclosures::{self, DisclosureInput},
    store::disclosures::Disclosure,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    AppState, ClientOrigin,
    api::page::{PageParams, PageQuery},
    auth::Auth,
    page_of,
    problem::{ApiError, ApiJson, Problem},
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_disclosures, record_disclosure))
        .routes(routes!(get_disclosure))
        .routes(routes!(approve_disclosure))
        .routes(routes!(generate_package, download_package))
}

page_of!(DisclosurePage, DisclosureOut, "disclosure requests");

#[derive(Serialize, ToSchema)]
pub struct DisclosureOut {
    id: String,
    tenant_id: String,
    authority: String,
    reference: String,
    /// `YYYY-MM-DD`.
    received_on: String,
    legal_basis: String,
    /// What it covers: `profile`, `people`, `access`, `audit`, `content`, `learners`.
    scope: Vec<String>,
    /// The dates it covers, `YYYY-MM-DD`, both included (Almaty).
    from: String,
    to: String,
    school_told: bool,
    told_note: String,
    created_by: String,
    approved_by: Option<String>,
    /// The package's SHA-256 once generated.
    package_sha256: Option<String>,
    package_bytes: Option<i64>,
    /// `authority` (an authority's request) or `complaint` (a complainant about a school's
    /// mailing told who the school is).
    kind: String,
    /// A complaint's case.
    case_id: Option<String>,
}

impl From<Disclosure> for DisclosureOut {
    fn from(d: Disclosure) -> Self {
        Self {
            id: d.id,
            tenant_id: d.tenant_id.into_string(),
            authority: d.authority,
            reference: d.reference,
            received_on: d.received_on,
            legal_basis: d.legal_basis,
            scope: serde_json::from_str(&d.scope).unwrap_or_default(),
            from: d.range_from,
            to: d.range_to,
            school_told: d.school_told,
            told_note: d.told_note,
            created_by: d.created_by.into_string(),
            approved_by: d.approved_by.map(|u| u.into_string()),
            package_sha256: d.package_sha256,
            package_bytes: d.package_bytes,
            kind: d.kind.as_str().to_owned(),
            case_id: d.case_id,
        }
    }
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct DisclosureIn {
    /// The school the request is about.
    tenant_id: String,
    authority: String,
    reference: String,
    /// `YYYY-MM-DD`.
    received_on: String,
    legal_basis: String,
    /// One or more of `profile`, `people`, `access`, `audit`, `content`, `learners`.
    scope: Vec<String>,
    /// `YYYY-MM-DD`, both included.
    from: String,
    to: String,
    /// Whether the school is told of the request.
    school_told: bool,
    /// Why the school is not told, or how it was.
    told_note: String,
}

/// The register of disclosure requests, the last recorded first (compliance officers).
#[utoipa::path(get, path = "/api/v1/operator/disclosures", tag = "operator", security(("bearer" = [])),
    params(PageParams),
    responses((status = 200, body = DisclosurePage), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, body = Problem)))]
async fn list_disclosures(
    State(state): State<AppState>,
    Auth(who): Auth,
    PageQuery(page): PageQuery,
) -> Result<Json<DisclosurePage>, ApiError> {
    let page = disclosures::list(state.services(), &who, &page).await?;
    Ok(Json(DisclosurePage::of(page, DisclosureOut::from)))
}

/// Records an authority's request in the register (a compliance officer; audited). 422 naming
/// each wrong field, 404 for an unknown school.
#[utoipa::path(post, path = "/api/v1/operator/disclosures", tag = "operator", security(("bearer" = [])),
    request_body = DisclosureIn,
    responses((status = 201, body = DisclosureOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn record_disclosure(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<DisclosureIn>,
) -> Result<(StatusCode, Json<DisclosureOut>), ApiError> {
    let input = DisclosureInput {
        tenant_id: body.tenant_id,
        authority: body.authority,
        reference: body.reference,
        received_on: body.received_on,
        legal_basis: body.legal_basis,
        scope: body.scope,
        from: body.from,
        to: body.to,
        school_told: body.school_told,
        told_note: body.told_note,
    };
    let d = disclosures::record(state.services(), &who, &input, origin.0).await?;
    Ok((StatusCode::CREATED, Json(d.into())))
}

/// One request of the register.
#[utoipa::path(get, path = "/api/v1/operator/disclosures/{id}", tag = "operator", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = DisclosureOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
async fn get_disclosure(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path(id): Path<String>,
) -> Result<Json<DisclosureOut>, ApiError> {
    Ok(Json(
        disclosures::get(state.services(), &who, &id).await?.into(),
    ))
}

/// A second compliance officer approves the request (403 for the one who recorded it; 409 when
/// approved already).
#[utoipa::path(post, path = "/api/v1/operator/disclosures/{id}/approve", tag = "operator", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = DisclosureOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn approve_disclosure(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
) -> Result<Json<DisclosureOut>, ApiError> {
    Ok(Json(
        disclosures::approve(state.services(), &who, &id, origin.0)
            .await?
            .into(),
    ))
}

/// Generates the package of an approved request, once: a JSON document of what the request
/// covers of its school within its dates, stored read-only with its SHA-256. 409 before the
/// approval or once generated.
#[utoipa::path(post, path = "/api/v1/operator/disclosures/{id}/package", tag = "operator", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 201, body = DisclosureOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn generate_package(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<DisclosureOut>), ApiError> {
    let d = disclosures::generate(state.services(), &who, &id, origin.0).await?;
    Ok((StatusCode::CREATED, Json(d.into())))
}

/// The generated package as stored (JSON), its SHA-256 in `X-Content-SHA256`; audited.
#[utoipa::path(get, path = "/api/v1/operator/disclosures/{id}/package", tag = "operator", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, description = "The package", content_type = "application/json", body = Object),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn download_package(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let (bytes, sha256) = disclosures::download(state.services(), &who, &id, origin.0).await?;
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    if let Ok(v) = HeaderValue::from_str(&sha256) {
        h.insert("x-content-sha256", v);
    }
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"disclosure-{id}.json\""))
    {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}
