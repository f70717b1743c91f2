//! API tokens of a school.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use educenter_services::{store::tokens::ApiToken, tokens};
use jiff::{Timestamp, civil::Date};
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
        .routes(routes!(create_token, list_tokens))
        .routes(routes!(revoke_token))
        .routes(routes!(get_api_write, put_api_write))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct ApiWrite {
    /// Whether API tokens of the school may write. Off, new tokens are read-only and
    /// existing `read_write` tokens act as read-only.
    enabled: bool,
}

/// Whether the school allows writing through the API (its owner and staff).
#[utoipa::path(get, path = "/api/v1/settings/api-write", tag = "accounts",
    security(("bearer" = [])),
    responses((status = 200, body = ApiWrite), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn get_api_write(
    State(state): State<AppState>,
    Auth(who): Auth,
) -> Result<Json<ApiWrite>, ApiError> {
    Ok(Json(ApiWrite {
        enabled: tokens::api_write(state.services(), &who).await?,
    }))
}

/// Switches writing through the API on or off for the school (the owner, from a signed-in
/// session; audited).
#[utoipa::path(put, path = "/api/v1/settings/api-write", tag = "accounts",
    security(("bearer" = [])), request_body = ApiWrite,
    responses((status = 200, body = ApiWrite), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, body = Problem)))]
async fn put_api_write(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<ApiWrite>,
) -> Result<Json<ApiWrite>, ApiError> {
    Ok(Json(ApiWrite {
        enabled: tokens::set_api_write(state.services(), &who, body.enabled, origin.0).await?,
    }))
}

page_of!(TokenPage, TokenOut, "API tokens");

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct NewToken {
    #[schema(example = "1C export")]
    name: String,
    /// `read` or `read_write`.
    #[schema(example = "read")]
    scope: String,
    /// The last day the token works (local date), or none for no expiry.
    #[schema(value_type = Option<String>, example = "2027-12-31")]
    expires_on: Option<Date>,
}

#[derive(Serialize, ToSchema)]
pub struct TokenOut {
    id: String,
    name: String,
    scope: educenter_domain::roles::TokenScope,
    expires_on: Option<String>,
    #[schema(value_type = String)]
    created_at: Timestamp,
    #[schema(value_type = Option<String>)]
    last_used_at: Option<Timestamp>,
    /// Who created it (the token acts as this person).
    user_id: String,
}

impl From<ApiToken> for TokenOut {
    fn from(t: ApiToken) -> Self {
        Self {
            id: t.id,
            name: t.name,
            scope: t.scope,
            expires_on: t.expires_on.map(|d| d.to_string()),
            created_at: t.created_at,
            last_used_at: t.last_used_at,
            user_id: t.user_id.into_string(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CreatedToken {
    #[serde(flatten)]
    info: TokenOut,
    /// The secret, shown only in this answer: send it as `Authorization: Bearer`.
    token: String,
}

/// Creates a named API token (owner and staff, from a signed-in session).
#[utoipa::path(post, path = "/api/v1/tokens", tag = "accounts", security(("bearer" = [])),
    request_body = NewToken,
    responses(
        (status = 201, body = CreatedToken),
        (status = 401, body = Problem),
        (status = 403, description = "Not owner or staff, or called with an API token", body = Problem),
        (status = 422, body = Problem)))]
async fn create_token(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<NewToken>,
) -> Result<(StatusCode, Json<CreatedToken>), ApiError> {
    let (token, secret) = tokens::create(
        state.services(),
        &who,
        &body.name,
        &body.scope,
        body.expires_on,
        origin.0,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedToken {
            info: token.into(),
            token: secret,
        }),
    ))
}

/// The school's API tokens with their last use (never the secret): all of them for the owner,
/// one's own for staff.
#[utoipa::path(get, path = "/api/v1/tokens", tag = "accounts", security(("bearer" = [])),
    params(PageParams),
    responses((status = 200, body = TokenPage), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, description = "A bad `limit` or `after`, or a NUL in a parameter", body = Problem)))]
async fn list_tokens(
    State(state): State<AppState>,
    Auth(who): Auth,
    PageQuery(page): PageQuery,
) -> Result<Json<TokenPage>, ApiError> {
    let list = tokens::list_page(state.services(), &who, &page).await?;
    Ok(Json(TokenPage::of(list, TokenOut::from)))
}

/// Revokes a token at once.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "accounts", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, description = "No such token in this school", body = Problem)))]
async fn revoke_token(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    tokens::revoke(state.services(), &who, &id, origin.0).await?;
    Ok(StatusCode::NO_CONTENT)
}
