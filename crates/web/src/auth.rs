//! Who a request acts as: the bearer token of an API session (issue 3).

use axum::{extract::FromRequestParts, http::header, http::request::Parts};
use educenter_services::{
    ServiceError,
    sessions::{self, Principal},
};

use crate::{AppState, problem::ApiError};

/// The 401 detail for a token that authenticates no one.
pub const UNKNOWN_TOKEN: &str = "The token is unknown, expired or signed out.";

/// A signed-in person, from `Authorization: Bearer <token>`. Rejects with 401.
pub struct Auth(pub Principal);

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Bearer(token) = Bearer::from_request_parts(parts, state).await?;
        Ok(Self::admit(
            sessions::authenticate(state.services(), &token).await?,
        )?)
    }
}

impl Auth {
    /// The person a token authenticated, while their school's licence allows use; 401 for
    /// no one.
    pub fn admit(who: Option<Principal>) -> Result<Self, ServiceError> {
        let p = who.ok_or_else(|| ServiceError::Unauthorized(UNKNOWN_TOKEN.into()))?;
        p.require_licence()?;
        Ok(Self(p))
    }
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
            .ok_or_else(|| {
                ApiError::unauthorized("Sign in and send the token as Authorization: Bearer.")
            })
    }
}

/// The cookie that carries a browser session's secret.
pub const SESSION_COOKIE: &str = "session";

/// The session secret of a browser request, from its cookie.
pub fn session_secret(headers: &axum::http::HeaderMap) -> Option<&str> {
    crate::pages::cookie(headers, SESSION_COOKIE).filter(|s| !s.is_empty())
}

/// `Set-Cookie` for a new browser session: HttpOnly, SameSite=Lax, Secure behind https, for
/// the session's absolute lifetime (the server ends it earlier when idle).
pub fn session_cookie(state: &AppState, secret: &str) -> String {
    format!(
        "{SESSION_COOKIE}={secret}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax{}",
        sessions::WEB_ABSOLUTE_LIFETIME.as_secs(),
        secure_attr(state)
    )
}

/// `Set-Cookie` that removes the session cookie.
pub fn clear_session_cookie(state: &AppState) -> String {
    format!(
        "{SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{}",
        secure_attr(state)
    )
}

pub fn secure_attr(state: &AppState) -> &'static str {
    if state.config().public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    }
}

/// A person signed in in the browser, from the session cookie. Without a live session the page
/// answers with a redirect to `/login?next=<this page>`.
pub struct WebUser(pub Principal);

impl FromRequestParts<AppState> for WebUser {
    type Rejection = axum::response::Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, axum::response::Response> {
        use axum::response::IntoResponse;
        let principal = match session_secret(&parts.headers) {
            Some(secret) if !secret.starts_with(educenter_services::tokens::PREFIX) => {
                match sessions::authenticate(state.services(), secret).await {
                    Ok(p) => p,
                    Err(e) => {
                        tracing::error!(error = %e, "reading a session failed");
                        return Err(crate::pages::error_page(
                            state,
                            crate::pages::request_lang(&parts.headers),
                            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                        ));
                    }
                }
            }
            _ => None,
        };
        match principal {
            Some(p) => Ok(Self(p)),
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
                let target = format!("/login?next={}", crate::pages::encode_param(&path));
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
}
