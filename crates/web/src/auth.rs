//! Who a request acts as: the bearer token of an API session (issue 3).

use axum::{extract::FromRequestParts, http::header, http::request::Parts};
use educenter_domain::roles::AccountKind;
use educenter_services::{
    Msg, ServiceError,
    access::{Area, Principal},
    sessions,
};

use crate::{AppState, problem::ApiError};

/// The answer for a token that is unknown, expired or signed out.
pub fn unknown_token() -> Msg {
    Msg::new("err-unknown-token")
}

/// A signed-in person working in the school, from `Authorization: Bearer <token>`. Rejects
/// with 401 for no one, and with 403 (`blocked`, `licence_inactive`) while the school may not
/// work ([`Area::School`]).
pub struct Auth(pub Principal);

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        Ok(Self(bearer_principal(parts, state, Area::School).await?))
    }
}

impl Auth {
    /// The person a token authenticated, while their school may work; 401 for no one.
    pub fn admit(who: Option<Principal>) -> Result<Self, ServiceError> {
        admit(who, Area::School).map(Self)
    }
}

/// A signed-in person in the part of the school its owner keeps while the licence does not
/// allow use or the school is blocked ([`Area::Kept`]: billing, documents, the offer,
/// termination, who one is and signing out). Others are refused as by [`Auth`].
pub struct KeptAuth(pub Principal);

impl FromRequestParts<AppState> for KeptAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        Ok(Self(bearer_principal(parts, state, Area::Kept).await?))
    }
}

/// A signed-in person working on their own sign-in: setting up two-step sign-in (admitted
/// while it is required of them and not yet set up, R-9.4) and signing out. No access rule
/// applies: nothing behind it reaches the school's or the operator's work.
pub struct SelfAuth(pub Principal);

impl FromRequestParts<AppState> for SelfAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Bearer(token) = Bearer::from_request_parts(parts, state).await?;
        sessions::authenticate(state.services(), &token)
            .await?
            .map(Self)
            .ok_or_else(|| ApiError::unauthorized(&unknown_token()))
    }
}

async fn bearer_principal(
    parts: &mut Parts,
    state: &AppState,
    area: Area,
) -> Result<Principal, ApiError> {
    let Bearer(token) = Bearer::from_request_parts(parts, state).await?;
    Ok(admit(
        sessions::authenticate(state.services(), &token).await?,
        area,
    )?)
}

fn admit(who: Option<Principal>, area: Area) -> Result<Principal, ServiceError> {
    let p = who.ok_or_else(|| ServiceError::Unauthorized(unknown_token()))?;
    p.require_access(area)?;
    Ok(p)
}

/// The token of `Authorization: Bearer <token>`, not yet checked (see [`Auth`]). Rejects with
/// 401 when there is none.
pub struct Bearer(pub String);

impl FromRequestParts<AppState> for Bearer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, ApiError> {
        parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| Self(t.to_owned()))
            .ok_or_else(|| ApiError::unauthorized(&Msg::new("err-no-token-sent")))
    }
}

pub use crate::base::{
    SESSION_COOKIE, clear_session_cookie, secure_attr, session_cookie, session_secret,
};

/// A person signed in in the browser, from the session cookie, working in the school
/// ([`Area::School`]). Without a live session the page answers with a redirect to
/// `/login?next=<this page>`; while the school may not work, its owner is sent to billing
/// (whose banner says why) and everyone else gets a page that says why.
pub struct WebUser(pub Principal);

impl FromRequestParts<AppState> for WebUser {
    type Rejection = axum::response::Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, axum::response::Response> {
        let who = signed_in(parts, state).await?;
        match refuse_page(state, parts, &who, Area::School) {
            Some(refused) => Err(refused),
            None => Ok(Self(who)),
        }
    }
}

/// A person signed in in the browser on a page of the part the owner keeps ([`Area::Kept`]):
/// billing, documents, the contract, signing out.
pub struct KeptUser(pub Principal);

impl FromRequestParts<AppState> for KeptUser {
    type Rejection = axum::response::Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, axum::response::Response> {
        let who = signed_in(parts, state).await?;
        match refuse_page(state, parts, &who, Area::Kept) {
            Some(refused) => Err(refused),
            None => Ok(Self(who)),
        }
    }
}

/// A person signed in in the browser on a page about their own sign-in (two-step sign-in,
/// sessions, signing out): admitted whatever the state of their school, and while two-step
/// sign-in is required of them and not yet set up.
pub struct SelfUser(pub Principal);

impl FromRequestParts<AppState> for SelfUser {
    type Rejection = axum::response::Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, axum::response::Response> {
        signed_in(parts, state).await.map(Self)
    }
}

/// Where a person goes to set up two-step sign-in (and see their sessions).
pub use crate::base::SECURITY_PAGE;

/// The answer for a person who must set up two-step sign-in first: that page.
fn to_security_page() -> axum::response::Response {
    use axum::response::IntoResponse;
    let mut res = axum::response::Redirect::to(SECURITY_PAGE).into_response();
    *res.status_mut() = axum::http::StatusCode::SEE_OTHER;
    res
}

/// The operator's staff on a page of the back office. Anyone else signed in is sent to the
/// school's page nearest to it (`/operator/billing...` to `/cabinet/billing`, the documents,
/// acts and act copies to `/cabinet/documents`, the rest to `/cabinet`); what each operator
/// role may do is the services' check.
pub struct OperatorUser(pub Principal);

impl FromRequestParts<AppState> for OperatorUser {
    type Rejection = axum::response::Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, axum::response::Response> {
        use axum::response::IntoResponse;
        // The operator's staff have no licence to check; anyone else is only sent away.
        let who = signed_in(parts, state).await?;
        if who.kind == AccountKind::Operator {
            // No back-office page opens before two-step sign-in is set up.
            if who.mfa_missing {
                return Err(to_security_page());
            }
            return Ok(Self(who));
        }
        Err(axum::response::Redirect::to(school_side(parts.uri.path())).into_response())
    }
}

/// The school's page nearest to a back-office page.
fn school_side(path: &str) -> &'static str {
    match path.split('/').nth(2) {
        Some("billing") => "/cabinet/billing",
        Some("documents" | "acts" | "act-copies") => "/cabinet/documents",
        _ => "/cabinet",
    }
}

/// Where the owner of a school that may not work lands: billing, with a banner saying why.
pub const RESTRICTED_HOME: &str = "/cabinet/billing";

/// The answer for someone who may not reach `area` now, or `None` to let them in.
fn refuse_page(
    state: &AppState,
    parts: &Parts,
    who: &Principal,
    area: Area,
) -> Option<axum::response::Response> {
    use axum::response::IntoResponse;
    match who.require_access(area) {
        Ok(()) => None,
        Err(ServiceError::MfaRequired) => Some(to_security_page()),
        // The owner keeps billing: every other page of the cabinet leads there.
        Err(_) if who.kind == AccountKind::Owner && who.token.is_none() => {
            let mut res = axum::response::Redirect::to(RESTRICTED_HOME).into_response();
            *res.status_mut() = axum::http::StatusCode::SEE_OTHER;
            Some(res)
        }
        Err(e) => Some(crate::base::layout::closed_page(
            state,
            crate::base::request_lang(&parts.headers),
            &e,
        )),
    }
}

/// The person of the browser's session cookie, or the answer to give instead (the sign-in page).
async fn signed_in(
    parts: &mut Parts,
    state: &AppState,
) -> Result<Principal, axum::response::Response> {
    use axum::response::IntoResponse;
    let principal = match session_secret(&parts.headers) {
        Some(secret) if !secret.starts_with(educenter_services::tokens::PREFIX) => {
            match sessions::authenticate(state.services(), secret).await {
                Ok(p) => p,
                Err(e) => {
                    tracing::error!(error = %e, "reading a session failed");
                    return Err(crate::base::layout::error_page(
                        state,
                        crate::base::request_lang(&parts.headers),
                        axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                    ));
                }
            }
        }
        _ => None,
    };
    match principal {
        Some(p) => Ok(p),
        None => {
            // Back to this page after signing in; a form post goes back to its section's
            // page (`/cabinet`, `/operator`), since its URL answers only POST.
            let path = if parts.method == axum::http::Method::GET {
                parts
                    .uri
                    .path_and_query()
                    .map_or("/", |p| p.as_str())
                    .to_owned()
            } else {
                match parts.uri.path().split('/').nth(1) {
                    Some(section @ ("cabinet" | "operator")) => format!("/{section}"),
                    _ => "/".to_owned(),
                }
            };
            let target = format!("/login?next={}", crate::base::encode_param(&path));
            let mut res = axum::response::Redirect::to(&target).into_response();
            *res.status_mut() = axum::http::StatusCode::SEE_OTHER;
            // A cookie that no longer signs in is dropped, so pages stop offering "sign out".
            if session_secret(&parts.headers).is_some()
                && let Ok(v) = axum::http::HeaderValue::from_str(&clear_session_cookie(state))
            {
                res.headers_mut().append(axum::http::header::SET_COOKIE, v);
            }
            Err(res)
        }
    }
}
