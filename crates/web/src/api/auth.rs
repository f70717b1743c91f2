//! Signing in and out through the API, and who am I.

use axum::{Json, extract::State, http::StatusCode};
use educenter_services::{ServiceError, sessions, signin};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    AppState, ClientOrigin,
    auth::{KeptAuth, SelfAuth},
    problem::{ApiError, ApiJson, Problem},
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(resend_verification))
        .routes(routes!(logout))
        .routes(routes!(logout_everywhere))
        .routes(routes!(me))
        .routes(routes!(request_reset))
        .routes(routes!(confirm_reset))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct ResetRequest {
    email: String,
    /// The school's slug. Omitted, every account of the e-mail (in any school, or operator
    /// staff) gets a link naming its school.
    tenant: Option<String>,
}

/// Asks for a password-reset link. Always 202: whether the account exists is not told.
#[utoipa::path(post, path = "/api/v1/auth/password-reset", tag = "accounts",
    request_body = ResetRequest, responses((status = 202)))]
async fn request_reset(
    State(state): State<AppState>,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<ResetRequest>,
) -> Result<StatusCode, ApiError> {
    educenter_services::accounts::request_password_reset(
        state.services(),
        &body.email,
        body.tenant.as_deref(),
        origin.0,
    )
    .await?;
    Ok(StatusCode::ACCEPTED)
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct ResetConfirm {
    /// The `token` of the e-mailed link.
    token: String,
    password: String,
}

/// Sets a new password with the e-mailed link (valid 1 hour, once); every session ends.
#[utoipa::path(post, path = "/api/v1/auth/password-reset/confirm", tag = "accounts",
    request_body = ResetConfirm,
    responses((status = 204), (status = 404, body = Problem),
        (status = 410, description = "The link expired or was used", body = Problem), (status = 422, body = Problem)))]
async fn confirm_reset(
    State(state): State<AppState>,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<ResetConfirm>,
) -> Result<StatusCode, ApiError> {
    use educenter_services::accounts::PasswordLink;
    match educenter_services::accounts::set_password_by_link(
        state.services(),
        educenter_domain::roles::TokenPurpose::ResetPassword,
        &body.token,
        &body.password,
        origin.0,
    )
    .await?
    {
        PasswordLink::Accepted { .. } => Ok(StatusCode::NO_CONTENT),
        PasswordLink::Expired => Err(Problem::new(
            StatusCode::GONE,
            "link-expired",
            "The link has expired; ask for a new one.".to_owned(),
        )
        .into()),
        PasswordLink::AlreadyUsed => Err(Problem::new(
            StatusCode::GONE,
            "link-used",
            "The link was already used.".to_owned(),
        )
        .into()),
        PasswordLink::Unknown => Err(Problem::new(
            StatusCode::NOT_FOUND,
            "not-found",
            "No such link.".to_owned(),
        )
        .into()),
    }
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct LoginRequest {
    email: String,
    password: String,
    /// The school's slug. Omitted, the person the e-mail and password match is signed in; when
    /// they match people of several schools the answer is 409 with the schools to choose from.
    tenant: Option<String>,
    /// The code e-mailed after too many failed sign-ins for this e-mail (see 403
    /// `code-required`).
    code: Option<String>,
    /// For a person with two-step sign-in on: the code their authenticator app shows now, or
    /// one of their recovery codes (see 401 `mfa-required`).
    totp: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer <token>`; shown once.
    token: String,
    #[schema(value_type = String)]
    expires_at: Timestamp,
}

#[derive(Serialize, ToSchema)]
pub struct SchoolChoice {
    /// Repeat the call with this as `tenant` (empty: operator staff).
    slug: String,
    name: String,
}

#[derive(Serialize, ToSchema)]
pub struct ChooseSchool {
    /// The schools where this e-mail and password sign in; no others are named.
    schools: Vec<SchoolChoice>,
}

/// Signs in with an e-mail and a password; the same 401 for an unknown e-mail and a wrong
/// password. Without `tenant`, the one person they match is signed in; when they match people
/// of several schools, 409 lists those schools (only those) and the call is repeated with
/// `tenant`. Tries are throttled per client address (429 with `Retry-After`); after 5 failures
/// for an e-mail, signing in with it also needs a code e-mailed to it (403 `code-required`, the
/// same answer whether the password was right or not), so nobody can lock an account's owner
/// out. A person with two-step sign-in on also sends `totp`: without it the answer is 401
/// `mfa-required`, with a wrong one 401 `unauthorized`.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "accounts", request_body = LoginRequest,
    responses(
        (status = 200, body = LoginResponse),
        (status = 401, description = "Wrong e-mail or password; or (`mfa-required`) the person signs in in two steps and the body carries no `totp`", body = Problem),
        (status = 403, description = "The school is blocked, or a code e-mailed to the address is needed", body = Problem),
        (status = 409, description = "The e-mail and password match people of several schools", body = ChooseSchool),
        (status = 429, description = "Too many tries from this address; see Retry-After", body = Problem)))]
async fn login(
    State(state): State<AppState>,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<LoginRequest>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let signed = signin::login(
        state.services(),
        signin::Credentials {
            email: body.email,
            password: body.password,
            tenant: body.tenant,
            code: body.code,
            totp: body.totp,
        },
        sessions::SessionKind::Api,
        origin.0,
    )
    .await?;
    Ok(match signed {
        signin::SignIn::Session(issued, _) => Json(LoginResponse {
            token: issued.token,
            expires_at: issued.expires_at,
        })
        .into_response(),
        signin::SignIn::Choose { schools, .. } => (
            StatusCode::CONFLICT,
            Json(ChooseSchool {
                schools: schools
                    .into_iter()
                    .map(|s| SchoolChoice {
                        slug: s.slug,
                        name: s.name,
                    })
                    .collect(),
            }),
        )
            .into_response(),
        // Only a browser's sign-in gets a challenge; a program is answered 401 `mfa-required`.
        signin::SignIn::SecondStep { .. } => {
            return Err(ServiceError::MfaCodeRequired.into());
        }
    })
}

/// Signs this token out at once.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "accounts",
    security(("bearer" = [])),
    responses((status = 204), (status = 401, body = Problem)))]
async fn logout(
    State(state): State<AppState>,
    SelfAuth(who): SelfAuth,
    origin: ClientOrigin,
) -> Result<StatusCode, ApiError> {
    sessions::logout(state.services(), &who, false, origin.0).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Signs out every session of the signed-in person, on every device.
#[utoipa::path(post, path = "/api/v1/auth/logout-everywhere", tag = "accounts",
    security(("bearer" = [])),
    responses((status = 204), (status = 401, body = Problem)))]
async fn logout_everywhere(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    origin: ClientOrigin,
) -> Result<StatusCode, ApiError> {
    sessions::logout(state.services(), &who, true, origin.0).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct MeTenant {
    id: String,
    slug: String,
    name: String,
}

#[derive(Serialize, ToSchema)]
pub struct Me {
    id: String,
    email: String,
    full_name: String,
    kind: educenter_domain::roles::AccountKind,
    role: educenter_domain::roles::Role,
    email_verified: bool,
    tenant: Option<MeTenant>,
}

/// The signed-in person.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts",
    security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = Problem)))]
async fn me(State(state): State<AppState>, KeptAuth(who): KeptAuth) -> Result<Json<Me>, ApiError> {
    let (user, tenant) = match educenter_services::accounts::me(state.services(), &who).await {
        Ok(found) => found,
        Err(ServiceError::NotFound(m)) => return Err(ApiError::unauthorized(&m)),
        Err(e) => return Err(e.into()),
    };
    let tenant = tenant.map(|t| MeTenant {
        id: t.id.into_string(),
        slug: t.slug,
        name: t.name,
    });
    Ok(Json(Me {
        id: user.id.into_string(),
        email: user.email,
        full_name: user.full_name,
        kind: user.kind,
        role: user.role,
        email_verified: user.email_verified_at.is_some(),
        tenant,
    }))
}

/// E-mails the signed-in person a new link to verify their address; the links sent before stop
/// working. 409 when it is verified already; 429 after 3 in a row (then one every 20 minutes).
#[utoipa::path(post, path = "/api/v1/me/verification", tag = "accounts",
    security(("bearer" = [])),
    responses((status = 204, description = "Sent"), (status = 401, body = Problem),
        (status = 409, description = "Verified already", body = Problem),
        (status = 429, description = "Asked too often", body = Problem)))]
async fn resend_verification(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    origin: ClientOrigin,
) -> Result<StatusCode, ApiError> {
    match educenter_services::verification::resend_verification(state.services(), &who, origin.0)
        .await
    {
        Ok(()) => Ok(StatusCode::NO_CONTENT),
        Err(ServiceError::NotFound(m)) => Err(ApiError::unauthorized(&m)),
        Err(e) => Err(e.into()),
    }
}
