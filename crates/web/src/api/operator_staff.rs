//! The operator's staff through the API (super-admin): invite, list, change the role, remove.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use educenter_services::operator_staff::{self, StaffInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    AppState, ClientOrigin,
    api::page::{PageParams, PageQuery},
    api::staff::StaffMember,
    auth::Auth,
    page_of,
    problem::{ApiError, ApiJson, Problem},
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(invite_operator, list_operators))
        .routes(routes!(change_operator_role, remove_operator))
}

page_of!(OperatorStaffPage, StaffMember, "the operator's staff");

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct OperatorInvite {
    email: String,
    full_name: String,
    /// `super_admin`, `billing`, `support`, `compliance` or `infrastructure`.
    role: String,
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct OperatorRoleChange {
    /// `super_admin`, `billing`, `support`, `compliance` or `infrastructure`.
    role: String,
}

/// Adds a member of the operator's staff (super-admin): they are e-mailed a link, valid 7
/// days, to set their password, then sign in without a school.
#[utoipa::path(post, path = "/api/v1/operator/staff", tag = "operator", security(("bearer" = [])),
    request_body = OperatorInvite,
    responses((status = 201, body = StaffMember), (status = 401, body = Problem),
        (status = 403, body = Problem),
        (status = 409, description = "A member with this e-mail exists", body = Problem),
        (status = 422, body = Problem)))]
async fn invite_operator(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<OperatorInvite>,
) -> Result<(StatusCode, Json<StaffMember>), ApiError> {
    let input = StaffInput {
        email: body.email,
        full_name: body.full_name,
        role: body.role,
    };
    let user = operator_staff::invite(state.services(), &who, input, origin.0).await?;
    Ok((StatusCode::CREATED, Json(user.into())))
}

/// The operator's staff, in order of arrival (super-admin).
#[utoipa::path(get, path = "/api/v1/operator/staff", tag = "operator", security(("bearer" = [])),
    params(PageParams),
    responses((status = 200, body = OperatorStaffPage), (status = 401, body = Problem),
        (status = 403, body = Problem),
        (status = 422, description = "A bad `limit` or `after`", body = Problem)))]
async fn list_operators(
    State(state): State<AppState>,
    Auth(who): Auth,
    PageQuery(page): PageQuery,
) -> Result<Json<OperatorStaffPage>, ApiError> {
    let found = operator_staff::list_page(state.services(), &who, &page).await?;
    Ok(Json(OperatorStaffPage::of(found, StaffMember::from)))
}

/// Changes a member's role (super-admin); the last super-admin keeps theirs (409).
#[utoipa::path(patch, path = "/api/v1/operator/staff/{id}", tag = "operator",
    security(("bearer" = [])), params(("id" = String, Path)), request_body = OperatorRoleChange,
    responses((status = 200, body = StaffMember), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, description = "The last super-admin", body = Problem),
        (status = 422, body = Problem)))]
async fn change_operator_role(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<OperatorRoleChange>,
) -> Result<Json<StaffMember>, ApiError> {
    let user =
        operator_staff::change_role(state.services(), &who, &id, &body.role, origin.0).await?;
    Ok(Json(user.into()))
}

/// Removes a member (super-admin): their sessions and API tokens end at once. No one removes
/// themselves, and the last super-admin stays (409).
#[utoipa::path(delete, path = "/api/v1/operator/staff/{id}", tag = "operator",
    security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "Oneself, or the last super-admin", body = Problem)))]
async fn remove_operator(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    operator_staff::remove(state.services(), &who, &id, origin.0).await?;
    Ok(StatusCode::NO_CONTENT)
}
