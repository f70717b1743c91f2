//! Who a request acts as: the bearer token of an API session (issue 3).

use axum::{extract::FromRequestParts, http::header, http::request::Parts};
use educenter_services::sessions::{self, Principal};

use crate::{AppState, problem::ApiError};

/// A signed-in person, from `Authorization: Bearer <token>`. Rejects with 401.
pub struct Auth(pub Principal);

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                ApiError::unauthorized("Sign in and send the token as Authorization: Bearer.")
            })?;
        match sessions::authenticate(state.services(), token).await? {
            Some(p) => Ok(Self(p)),
            None => Err(ApiError::unauthorized(
                "The token is unknown, expired or signed out.",
            )),
        }
    }
}
