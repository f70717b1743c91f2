//! Documents through the API (issue 5): invoice and act PDFs, monthly acts with objections and
//! copy requests, the school's document settings and the operator's requisites.

use axum::{
    Json,
    extract::{Path, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use educenter_domain::documents::{ActLineKind, ActStatus, CopyKind};
use educenter_domain::money::Money;
use educenter_services::{
    documents::{self, Settings},
    store::documents::{Act, ActLine, CopyRequest, Profile},
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
        .routes(routes!(invoice_pdf))
        .routes(routes!(list_acts))
        .routes(routes!(get_act))
        .routes(routes!(act_pdf))
        .routes(routes!(object))
        .routes(routes!(copy_request))
        .routes(routes!(get_settings, put_settings))
        .routes(routes!(get_profile, put_profile))
        .routes(routes!(operator_invoice_pdf))
        .routes(routes!(operator_act_pdf))
        .routes(routes!(operator_objection))
        .routes(routes!(operator_acts))
        .routes(routes!(copy_done))
}

page_of!(ActPage, ActOut, "acts");

/// A PDF download: `application/pdf`, named, never cached by intermediaries.
pub fn pdf_response((name, bytes): (String, Vec<u8>)) -> Response {
    file_response(bytes, "application/pdf", &name)
}

/// A file download of this type and name, never cached by intermediaries.
pub(crate) fn file_response(bytes: Vec<u8>, content_type: &'static str, name: &str) -> Response {
    let mut res = bytes.into_response();
    let headers = res.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    res
}

/// An invoice as a PDF, in the school's document language (Russian unless it chose Kazakh).
#[utoipa::path(get, path = "/api/v1/invoices/{id}/pdf", tag = "documents", security(("bearer" = [])),
    params(("id" = String, Path, description = "The invoice")),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn invoice_pdf(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    Ok(pdf_response(
        documents::invoice_pdf(state.services(), &who, &id).await?,
    ))
}

#[derive(Serialize, ToSchema)]
pub struct ActLineOut {
    kind: ActLineKind,
    description: String,
    from: String,
    to: String,
    quantity: i64,
    unit: String,
    price_minor: i64,
    amount_minor: i64,
}

impl From<ActLine> for ActLineOut {
    fn from(l: ActLine) -> Self {
        Self {
            kind: l.kind,
            description: l.description,
            from: l.from_on.to_string(),
            to: l.to_on.to_string(),
            quantity: l.quantity,
            unit: l.unit,
            price_minor: l.price_minor,
            amount_minor: l.amount_minor,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ActOut {
    id: String,
    number: String,
    /// `YYYY-MM`.
    month: String,
    status: ActStatus,
    drawn_on: String,
    published_at: String,
    /// The last day to object.
    objection_window_ends_on: String,
    accepted_at: Option<String>,
    objection: Option<String>,
    total: Money,
    /// Only in `GET /api/v1/acts/{id}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    lines: Option<Vec<ActLineOut>>,
}

fn act_out(a: Act, lines: Option<Vec<ActLine>>) -> ActOut {
    ActOut {
        id: a.id.into_string(),
        number: a.number,
        month: a.month,
        status: a.status,
        drawn_on: a.drawn_on.to_string(),
        published_at: a.published_at.to_string(),
        objection_window_ends_on: a.window_ends_on.to_string(),
        accepted_at: a.accepted_at.map(|t| t.to_string()),
        objection: a.objection,
        total: Money::new(a.total_minor, a.currency),
        lines: lines.map(|l| l.into_iter().map(Into::into).collect()),
    }
}

/// The school's monthly acts, newest first.
#[utoipa::path(get, path = "/api/v1/acts", tag = "documents", security(("bearer" = [])),
    params(PageParams),
    responses((status = 200, body = ActPage), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, description = "A bad `limit` or `after`, or a NUL in a parameter", body = Problem)))]
async fn list_acts(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    PageQuery(page): PageQuery,
) -> Result<Json<ActPage>, ApiError> {
    let acts = documents::acts_page(state.services(), &who, &page).await?;
    Ok(Json(ActPage::of(acts, |a| act_out(a, None))))
}

/// One act with its lines and status.
#[utoipa::path(get, path = "/api/v1/acts/{id}", tag = "documents", security(("bearer" = [])),
    params(("id" = String, Path, description = "The act")),
    responses((status = 200, body = ActOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
async fn get_act(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    Path(id): Path<String>,
) -> Result<Json<ActOut>, ApiError> {
    let view = documents::act(state.services(), &who, &id).await?;
    Ok(Json(act_out(view.act, Some(view.lines))))
}

/// An act as a PDF (form Р-1).
#[utoipa::path(get, path = "/api/v1/acts/{id}/pdf", tag = "documents", security(("bearer" = [])),
    params(("id" = String, Path, description = "The act")),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn act_pdf(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    Ok(pdf_response(
        documents::act_pdf(state.services(), &who, &id).await?,
    ))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct ObjectionIn {
    reason: String,
}

/// The owner objects to an act within its window; the objection is also e-mailed to support.
#[utoipa::path(post, path = "/api/v1/acts/{id}/objection", operation_id = "object_to_act", tag = "documents", security(("bearer" = [])),
    params(("id" = String, Path, description = "The act")),
    request_body = ObjectionIn,
    responses((status = 200, body = ActOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, description = "Not open to objection", body = Problem),
        (status = 422, body = Problem)))]
async fn object(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    origin: ClientOrigin,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ObjectionIn>,
) -> Result<Json<ActOut>, ApiError> {
    let act = documents::object(state.services(), &who, &id, &body.reason, origin.0).await?;
    Ok(Json(act_out(act, None)))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct CopyIn {
    /// `paper` or `electronic`.
    kind: String,
}

#[derive(Serialize, ToSchema)]
pub struct CopyOut {
    id: String,
}

/// Asks for a paper or electronic copy of an act; the operator sees the request.
#[utoipa::path(post, path = "/api/v1/acts/{id}/copy-request", tag = "documents", security(("bearer" = [])),
    params(("id" = String, Path, description = "The act")),
    request_body = CopyIn,
    responses((status = 201, body = CopyOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn copy_request(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    origin: ClientOrigin,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CopyIn>,
) -> Result<(StatusCode, Json<CopyOut>), ApiError> {
    let id = documents::request_copy(state.services(), &who, &id, &body.kind, origin.0).await?;
    Ok((StatusCode::CREATED, Json(CopyOut { id })))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct SettingsIo {
    /// `ru` (the default) or `kk`: the language of the school's invoices and acts.
    lang: String,
    /// The postal address printed on documents.
    address: String,
}

/// The school's document settings.
#[utoipa::path(get, path = "/api/v1/documents/settings", tag = "documents", security(("bearer" = [])),
    responses((status = 200, body = SettingsIo), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn get_settings(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
) -> Result<Json<SettingsIo>, ApiError> {
    let s = documents::settings(state.services(), &who).await?;
    Ok(Json(SettingsIo {
        lang: s.lang,
        address: s.address,
    }))
}

/// Sets the language of the school's documents and the address they print.
#[utoipa::path(put, path = "/api/v1/documents/settings", tag = "documents", security(("bearer" = [])),
    request_body = SettingsIo,
    responses((status = 200, body = SettingsIo), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, body = Problem)))]
async fn put_settings(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<SettingsIo>,
) -> Result<Json<SettingsIo>, ApiError> {
    let s = documents::put_settings(
        state.services(),
        &who,
        Settings {
            lang: body.lang,
            address: body.address,
        },
        origin.0,
    )
    .await?;
    Ok(Json(SettingsIo {
        lang: s.lang,
        address: s.address,
    }))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct ProfileIo {
    /// The version (answers only; a save creates the next one).
    version: i64,
    name: String,
    bin: String,
    address: String,
    phone: String,
    /// The operator's e-mail as the offer's section 10 gives it.
    email: String,
    /// Where schools write for support; objections to acts go here.
    support_email: String,
    bank: String,
    /// The account (IBAN, KZ + 18).
    iik: String,
    /// The bank's code (8 characters).
    bik: String,
    kbe: String,
    knp: String,
    /// Who signs documents: position and name.
    signer: String,
    /// Empty: not a VAT payer ("Без НДС"); else the VAT rate included in prices.
    vat_percent: Option<i64>,
}

impl From<Profile> for ProfileIo {
    fn from(p: Profile) -> Self {
        Self {
            version: p.version,
            name: p.name,
            bin: p.bin,
            address: p.address,
            phone: p.phone,
            email: p.email,
            support_email: p.support_email,
            bank: p.bank,
            iik: p.iik,
            bik: p.bik,
            kbe: p.kbe,
            knp: p.knp,
            signer: p.signer,
            vat_percent: p.vat_percent,
        }
    }
}

impl From<ProfileIo> for Profile {
    fn from(p: ProfileIo) -> Self {
        Self {
            version: 0,
            name: p.name,
            bin: p.bin,
            address: p.address,
            phone: p.phone,
            email: p.email,
            support_email: p.support_email,
            bank: p.bank,
            iik: p.iik,
            bik: p.bik,
            kbe: p.kbe,
            knp: p.knp,
            signer: p.signer,
            vat_percent: p.vat_percent,
        }
    }
}

/// The operator's requisites in force (operator staff).
#[utoipa::path(get, path = "/api/v1/operator/profile", tag = "documents", security(("bearer" = [])),
    responses((status = 200, body = ProfileIo), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn get_profile(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
) -> Result<Json<ProfileIo>, ApiError> {
    Ok(Json(
        documents::profile(state.services(), &who).await?.into(),
    ))
}

/// Saves the operator's requisites as a new version (super-admin); documents issued before keep
/// theirs.
#[utoipa::path(put, path = "/api/v1/operator/profile", tag = "documents", security(("bearer" = [])),
    request_body = ProfileIo,
    responses((status = 200, body = ProfileIo), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, body = Problem)))]
async fn put_profile(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<ProfileIo>,
) -> Result<Json<ProfileIo>, ApiError> {
    let p = documents::put_profile(state.services(), &who, body.into(), origin.0).await?;
    Ok(Json(p.into()))
}

/// Any school's invoice as a PDF (billing officer).
#[utoipa::path(get, path = "/api/v1/operator/invoices/{id}/pdf", tag = "documents", security(("bearer" = [])),
    params(("id" = String, Path, description = "The invoice")),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn operator_invoice_pdf(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    Ok(pdf_response(
        documents::operator_invoice_pdf(state.services(), &who, &id).await?,
    ))
}

/// Any school's act as a PDF (billing officer).
#[utoipa::path(get, path = "/api/v1/operator/acts/{id}/pdf", tag = "documents", security(("bearer" = [])),
    params(("id" = String, Path, description = "The act")),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn operator_act_pdf(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    Ok(pdf_response(
        documents::operator_act_pdf(state.services(), &who, &id).await?,
    ))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct EmailObjectionIn {
    reason: String,
    /// The day the e-mail arrived: it must be within the act's window.
    received_on: String,
}

/// Records an objection that came by e-mail (billing officer).
#[utoipa::path(post, path = "/api/v1/operator/acts/{id}/objection", tag = "documents", security(("bearer" = [])),
    params(("id" = String, Path, description = "The act")),
    request_body = EmailObjectionIn,
    responses((status = 200, body = ActOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, description = "Not open to objection on that day", body = Problem),
        (status = 422, body = Problem)))]
async fn operator_objection(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    origin: ClientOrigin,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<EmailObjectionIn>,
) -> Result<Json<ActOut>, ApiError> {
    let act = documents::record_objection(
        state.services(),
        &who,
        &id,
        &body.reason,
        &body.received_on,
        origin.0,
    )
    .await?;
    Ok(Json(act_out(act, None)))
}

#[derive(Serialize, ToSchema)]
pub struct CopyRequestOut {
    id: String,
    act_id: String,
    act_number: String,
    tenant_id: String,
    kind: CopyKind,
    requested_at: String,
}

impl From<CopyRequest> for CopyRequestOut {
    fn from(r: CopyRequest) -> Self {
        Self {
            id: r.id,
            act_id: r.act_id.into_string(),
            act_number: r.act_number,
            tenant_id: r.tenant_id.into_string(),
            kind: r.kind,
            requested_at: r.requested_at.to_string(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct OperatorActsOut {
    /// The newest acts of every school.
    acts: Vec<ActOut>,
    /// Requests for copies not yet handled.
    copy_requests: Vec<CopyRequestOut>,
}

/// The newest acts and the open copy requests (billing officer).
#[utoipa::path(get, path = "/api/v1/operator/acts", tag = "documents", security(("bearer" = [])),
    responses((status = 200, body = OperatorActsOut), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn operator_acts(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
) -> Result<Json<OperatorActsOut>, ApiError> {
    let (acts, requests) = documents::operator_acts(state.services(), &who).await?;
    Ok(Json(OperatorActsOut {
        acts: acts.into_iter().map(|a| act_out(a, None)).collect(),
        copy_requests: requests.into_iter().map(Into::into).collect(),
    }))
}

/// Marks a copy request handled (billing officer).
#[utoipa::path(post, path = "/api/v1/operator/act-copies/{id}/done", tag = "documents", security(("bearer" = [])),
    params(("id" = String, Path, description = "The copy request")),
    responses((status = 204, description = "Done"), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, description = "No open request", body = Problem)))]
async fn copy_done(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    origin: ClientOrigin,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    documents::copy_done(state.services(), &who, &id, origin.0).await?;
    Ok(StatusCode::NO_CONTENT)
}
