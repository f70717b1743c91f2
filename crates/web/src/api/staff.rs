//! A school's staff and accepting an invitation.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use educenter_services::{accounts::PasswordLink, staff, store::accounts::User};
use jiff::Timestamp;
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
        .routes(routes!(invite, list))
        .routes(routes!(change_role, remove))
        .routes(routes!(accept))
}

page_of!(StaffPage, StaffMember, "staff");

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct Invite {
    email: String,
    full_name: String,
    /// `administrator`, `teacher`, `manager` or `accountant`.
    role: String,
}

/// A member of a school's staff, or of the operator's.
#[derive(Serialize, ToSchema)]
pub struct StaffMember {
    id: String,
    email: String,
    full_name: String,
    role: educenter_domain::roles::Role,
    status: StaffStatus,
    #[schema(value_type = String)]
    invited_at: Timestamp,
}

/// Where a staff member stands: `invited` until the invitation is accepted, then `active`.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StaffStatus {
    Invited,
    Active,
}

impl From<User> for StaffMember {
    fn from(u: User) -> Self {
        Self {
            status: if u.password_hash.is_some() {
                StaffStatus::Active
            } else {
                StaffStatus::Invited
            },
            id: u.id.into_string(),
            email: u.email,
            full_name: u.full_name,
            role: u.role,
            invited_at: u.created_at,
        }
    }
}

/// Invites a staff member by e-mail with a role (the owner). Inviting someone whose invitation
/// is still pending sends a fresh one (earlier links stop working; at most once per 10 minutes
/// and 3 times a day).
#[utoipa::path(post, path = "/api/v1/staff", tag = "staff", security(("bearer" = [])),
    request_body = Invite,
    responses((status = 201, body = StaffMember), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 409, description = "Already an account of this school", body = Problem),
        (status = 429, description = "Invited again too often", body = Problem),
        (status = 422, body = Problem)))]
async fn invite(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<Invite>,
) -> Result<(StatusCode, Json<StaffMember>), ApiError> {
    let user = staff::invite(
        state.services(),
        &who,
        &body.email,
        &body.full_name,
        &body.role,
        origin.0,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(user.into())))
}

/// The school's staff.
#[utoipa::path(get, path = "/api/v1/staff", tag = "staff", security(("bearer" = [])),
    params(PageParams),
    responses((status = 200, body = StaffPage), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, description = "A bad `limit` or `after`, or a NUL in a parameter", body = Problem)))]
async fn list(
    State(state): State<AppState>,
    Auth(who): Auth,
    PageQuery(page): PageQuery,
) -> Result<Json<StaffPage>, ApiError> {
    let staff = staff::list_page(state.services(), &who, &page).await?;
    Ok(Json(StaffPage::of(staff, StaffMember::from)))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct RoleChange {
    role: String,
}

/// Changes a staff member's role (the owner).
#[utoipa::path(patch, path = "/api/v1/staff/{id}", tag = "staff", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = RoleChange,
    responses((status = 200, body = StaffMember), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn change_role(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<RoleChange>,
) -> Result<Json<StaffMember>, ApiError> {
    let user = staff::change_role(state.services(), &who, &id, &body.role, origin.0).await?;
    Ok(Json(user.into()))
}

/// Removes a staff member; their sessions and API tokens end at once, and their personal data
/// is erased (the audit trail and the files they uploaded keep a pseudonymous id). The owner.
#[utoipa::path(delete, path = "/api/v1/staff/{id}", tag = "staff", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn remove(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    staff::remove(state.services(), &who, &id, origin.0).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct AcceptInvitation {
    /// The `token` of the e-mailed link.
    token: String,
    /// The password to set: at least 10 characters mixing letters with digits or symbols.
    password: String,
}

#[derive(Serialize, ToSchema)]
pub struct Accepted {
    email: String,
    /// The school to sign in to; empty for the operator's staff, who sign in without one.
    tenant: String,
}

/// Accepts an invitation by setting a password.
#[utoipa::path(post, path = "/api/v1/invitations/accept", tag = "staff", request_body = AcceptInvitation,
    responses((status = 200, body = Accepted), (status = 404, body = Problem),
        (status = 410, description = "The link expired or was used", body = Problem), (status = 422, body = Problem)))]
async fn accept(
    State(state): State<AppState>,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<AcceptInvitation>,
) -> Result<Json<Accepted>, ApiError> {
    match staff::accept_invitation(state.services(), &body.token, &body.password, origin.0).await? {
        PasswordLink::Accepted { email, slug, .. } => Ok(Json(Accepted {
            email,
            tenant: slug,
        })),
        PasswordLink::Expired => Err(Problem::new(
            StatusCode::GONE,
            "link-expired",
            "The invitation has expired; ask for a new one.".to_owned(),
        )
        .into()),
        PasswordLink::AlreadyUsed => Err(Problem::new(
            StatusCode::GONE,
            "link-used",
            "The invitation was already accepted.".to_owned(),
        )
        .into()),
        PasswordLink::Unknown => Err(Problem::new(
            StatusCode::NOT_FOUND,
            "not-found",
            "No such invitation.".to_owned(),
        )
        .into()),
    }
}
