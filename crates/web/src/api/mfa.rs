//! Two-step sign-in and one's sessions through the API (issue 18, item 5): setting up an
//! authenticator app (`/api/v1/me/mfa/totp*`, the only calls a session of a person who must
//! and has not yet set it up may make), the sessions of the signed-in person, and the owner's
//! requirement for the school's staff.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use educenter_services::{mfa, sessions};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    AppState, ClientOrigin,
    api::page::PageQuery,
    auth::{Auth, KeptAuth, SelfAuth},
    problem::{ApiError, ApiJson, Problem},
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(status, start))
        .routes(routes!(confirm))
        .routes(routes!(disable))
        .routes(routes!(renew_codes))
        .routes(routes!(list_sessions))
        .routes(routes!(end_session))
        .routes(routes!(get_security, put_security))
        .routes(routes!(reset_operator_mfa))
        .routes(routes!(reset_staff_mfa))
}

/// Resets an operator staff member's two-step sign-in when they lost their app and recovery
/// codes (the super-admin; audited): their sessions end and they set it up again at their next
/// sign-in. 403 for one's own.
#[utoipa::path(post, path = "/api/v1/operator/staff/{id}/mfa-reset", tag = "operator",
    security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
async fn reset_operator_mfa(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    mfa::reset_operator(state.services(), &who, &id, origin.0).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Resets a staff member's two-step sign-in when they lost their app and recovery codes (the
/// owner; audited): their sessions end and they set it up again at their next sign-in.
#[utoipa::path(post, path = "/api/v1/staff/{id}/mfa-reset", tag = "staff",
    security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
async fn reset_staff_mfa(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    mfa::reset_staff(state.services(), &who, &id, origin.0).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct MfaStatus {
    /// Two-step sign-in is on.
    enabled: bool,
    /// It is required of this person (the operator's staff; a school's staff when the owner
    /// requires it): it cannot be switched off, and nothing else works until it is on.
    required: bool,
    /// An authenticator waits for its first code (`POST .../totp/confirm`).
    pending: bool,
    recovery_codes_left: i64,
}

/// Where the signed-in person's two-step sign-in stands.
#[utoipa::path(get, path = "/api/v1/me/mfa/totp", tag = "accounts",
    security(("bearer" = [])),
    responses((status = 200, body = MfaStatus), (status = 401, body = Problem),
        (status = 403, description = "An API token: sessions only", body = Problem)))]
async fn status(
    State(state): State<AppState>,
    SelfAuth(who): SelfAuth,
) -> Result<Json<MfaStatus>, ApiError> {
    let s = mfa::status(state.services(), &who).await?;
    Ok(Json(MfaStatus {
        enabled: s.enabled,
        required: s.required,
        pending: s.pending,
        recovery_codes_left: s.recovery_codes_left,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct TotpEnrolment {
    /// The shared secret, base32: type it into the app, or scan `otpauth_url` as a QR code.
    /// Shown this once.
    secret: String,
    otpauth_url: String,
}

/// Starts setting up an authenticator app: a new secret, waiting for its first code (one that
/// waited before is replaced). 409 while two-step sign-in is on.
#[utoipa::path(post, path = "/api/v1/me/mfa/totp", tag = "accounts",
    security(("bearer" = [])),
    responses((status = 201, body = TotpEnrolment), (status = 401, body = Problem),
        (status = 403, description = "An API token: sessions only", body = Problem),
        (status = 409, description = "Two-step sign-in is on already", body = Problem)))]
async fn start(
    State(state): State<AppState>,
    SelfAuth(who): SelfAuth,
) -> Result<(StatusCode, Json<TotpEnrolment>), ApiError> {
    let e = mfa::start(state.services(), &who).await?;
    Ok((
        StatusCode::CREATED,
        Json(TotpEnrolment {
            secret: e.secret,
            otpauth_url: e.otpauth_url,
        }),
    ))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct CodeIn {
    /// The six digits the app shows now (one 30-second step either side is accepted); where
    /// noted, a recovery code also does.
    code: String,
}

#[derive(Serialize, ToSchema)]
pub struct RecoveryCodes {
    /// Ten one-time codes that sign in when the app is lost; shown this once.
    recovery_codes: Vec<String>,
}

/// Switches two-step sign-in on with the app's first code; answers the recovery codes.
#[utoipa::path(post, path = "/api/v1/me/mfa/totp/confirm", tag = "accounts",
    security(("bearer" = [])), request_body = CodeIn,
    responses((status = 200, body = RecoveryCodes), (status = 401, body = Problem),
        (status = 403, description = "An API token: sessions only", body = Problem),
        (status = 409, description = "Nothing waits for a code, or it is on already", body = Problem),
        (status = 422, description = "The code is wrong", body = Problem)))]
async fn confirm(
    State(state): State<AppState>,
    SelfAuth(who): SelfAuth,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<CodeIn>,
) -> Result<Json<RecoveryCodes>, ApiError> {
    let codes = mfa::confirm(state.services(), &who, &body.code, origin.0).await?;
    Ok(Json(RecoveryCodes {
        recovery_codes: codes,
    }))
}

/// Switches two-step sign-in off, with a code of the app or a recovery code. 403 when it is
/// required of the person.
#[utoipa::path(post, path = "/api/v1/me/mfa/totp/disable", tag = "accounts",
    security(("bearer" = [])), request_body = CodeIn,
    responses((status = 204), (status = 401, body = Problem),
        (status = 403, description = "Required of this person, or an API token", body = Problem),
        (status = 422, description = "The code is wrong", body = Problem),
        (status = 429, description = "Too many wrong codes; see Retry-After", body = Problem)))]
async fn disable(
    State(state): State<AppState>,
    SelfAuth(who): SelfAuth,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<CodeIn>,
) -> Result<StatusCode, ApiError> {
    mfa::disable(state.services(), &who, &body.code, origin.0).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// New recovery codes in place of the old ones, with a code of the app (or a recovery code).
#[utoipa::path(post, path = "/api/v1/me/mfa/totp/recovery-codes", tag = "accounts",
    security(("bearer" = [])), request_body = CodeIn,
    responses((status = 200, body = RecoveryCodes), (status = 401, body = Problem),
        (status = 403, description = "An API token: sessions only", body = Problem),
        (status = 409, description = "Two-step sign-in is off", body = Problem),
        (status = 422, description = "The code is wrong", body = Problem),
        (status = 429, description = "Too many wrong codes; see Retry-After", body = Problem)))]
async fn renew_codes(
    State(state): State<AppState>,
    SelfAuth(who): SelfAuth,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<CodeIn>,
) -> Result<Json<RecoveryCodes>, ApiError> {
    let codes = mfa::renew_recovery_codes(state.services(), &who, &body.code, origin.0).await?;
    Ok(Json(RecoveryCodes {
        recovery_codes: codes,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct SessionOut {
    /// Names the session here (`DELETE /api/v1/me/sessions/{id}`).
    id: String,
    /// `web` (a browser) or `api` (a program's sign-in).
    kind: educenter_domain::roles::SessionKind,
    #[schema(value_type = String)]
    created_at: Timestamp,
    #[schema(value_type = String)]
    last_used_at: Timestamp,
    ip: Option<String>,
    /// The browser's or program's user agent.
    device: Option<String>,
    /// The session this call came with.
    current: bool,
}

crate::page_of!(SessionPage, SessionOut, "one's sessions");

/// The signed-in person's live sessions, the last used first.
#[utoipa::path(get, path = "/api/v1/me/sessions", tag = "accounts",
    security(("bearer" = [])), params(crate::api::page::PageParams),
    responses((status = 200, body = SessionPage), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn list_sessions(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    PageQuery(page): PageQuery,
) -> Result<Json<SessionPage>, ApiError> {
    let list = sessions::list(state.services(), &who, page).await?;
    Ok(Json(SessionPage::of(list, |s| SessionOut {
        id: s.id,
        kind: s.kind,
        created_at: s.created_at,
        last_used_at: s.last_seen_at,
        ip: s.ip,
        device: s.device,
        current: s.current,
    })))
}

/// Signs out one of the person's sessions (this one too, when named).
#[utoipa::path(delete, path = "/api/v1/me/sessions/{id}", tag = "accounts",
    security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
async fn end_session(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    origin: ClientOrigin,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    sessions::end(state.services(), &who, &id, origin.0).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct SchoolSecurity {
    /// The school's staff must sign in in two steps: those without it set it up before
    /// anything else.
    staff_mfa_required: bool,
}

/// The school's sign-in rules.
#[utoipa::path(get, path = "/api/v1/school/security", tag = "staff",
    security(("bearer" = [])),
    responses((status = 200, body = SchoolSecurity), (status = 401, body = Problem),
        (status = 403, body = Problem)))]
async fn get_security(
    State(state): State<AppState>,
    Auth(who): Auth,
) -> Result<Json<SchoolSecurity>, ApiError> {
    Ok(Json(SchoolSecurity {
        staff_mfa_required: mfa::staff_requirement(state.services(), &who).await?,
    }))
}

/// Sets the school's sign-in rules (the owner only; audited).
#[utoipa::path(put, path = "/api/v1/school/security", tag = "staff",
    security(("bearer" = [])), request_body = SchoolSecurity,
    responses((status = 200, body = SchoolSecurity), (status = 401, body = Problem),
        (status = 403, description = "Not the owner", body = Problem), (status = 422, body = Problem)))]
async fn put_security(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<SchoolSecurity>,
) -> Result<Json<SchoolSecurity>, ApiError> {
    mfa::require_for_staff(state.services(), &who, body.staff_mfa_required, origin.0).await?;
    Ok(Json(body))
}
