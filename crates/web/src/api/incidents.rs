//! Data-loss incidents through the API (issue 18, item 2; ): the operator's
//! infrastructure staff record a loss, and close it as restored or technically impossible.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use educenter_services::{
    incidents::{self, IncidentInput},
    store::incidents::Incident,
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
        .routes(routes!(list_incidents, record_incident))
        .routes(routes!(close_incident))
}

page_of!(IncidentPage, IncidentOut, "data-loss incidents");

#[derive(Serialize, ToSchema)]
pub struct IncidentOut {
    id: String,
    tenant_id: String,
    fault: educenter_domain::backup::Fault,
    description: String,
    /// `YYYY-MM-DD`.
    confirmed_on: String,
    /// The restore's last day (the licensor's fault): the third business day after the
    /// confirmation, `YYYY-MM-DD`; `null` when the school was at fault.
    due_on: Option<String>,
    /// A year of the business calendar was missing when the deadline was counted.
    due_provisional: bool,
    status: educenter_domain::backup::IncidentStatus,
    /// Why it is technically impossible, or a note on the restore.
    reason: Option<String>,
}

impl From<Incident> for IncidentOut {
    fn from(i: Incident) -> Self {
        Self {
            id: i.id,
            tenant_id: i.tenant_id.into_string(),
            fault: i.fault,
            description: i.description,
            confirmed_on: i.confirmed_on.to_string(),
            due_on: i.due_on.map(|d| d.to_string()),
            due_provisional: i.due_provisional,
            status: i.status,
            reason: i.reason,
        }
    }
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct IncidentIn {
    tenant_id: String,
    /// `licensor` or `licensee`.
    fault: String,
    description: String,
    /// The day the loss was confirmed, `YYYY-MM-DD`.
    confirmed_on: String,
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct CloseIn {
    /// `restored` or `impossible`.
    status: String,
    /// Required for `impossible`: why the data cannot be restored.
    reason: String,
}

/// Every data-loss incident, the open first (infrastructure staff).
#[utoipa::path(get, path = "/api/v1/operator/incidents", tag = "operator", security(("bearer" = [])),
    params(PageParams),
    responses((status = 200, body = IncidentPage), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, body = Problem)))]
async fn list_incidents(
    State(state): State<AppState>,
    Auth(who): Auth,
    PageQuery(page): PageQuery,
) -> Result<Json<IncidentPage>, ApiError> {
    let page = incidents::list(state.services(), &who, &page).await?;
    Ok(Json(IncidentPage::of(page, IncidentOut::from)))
}

/// Records a loss of a school's data (audited); with the licensor at fault it is due by the
/// third business day after its confirmation.
#[utoipa::path(post, path = "/api/v1/operator/incidents", tag = "operator", security(("bearer" = [])),
    request_body = IncidentIn,
    responses((status = 201, body = IncidentOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn record_incident(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<IncidentIn>,
) -> Result<(StatusCode, Json<IncidentOut>), ApiError> {
    let input = IncidentInput {
        tenant_id: body.tenant_id,
        fault: body.fault,
        description: body.description,
        confirmed_on: body.confirmed_on,
    };
    let i = incidents::record(state.services(), &who, &input, origin.0).await?;
    Ok((StatusCode::CREATED, Json(i.into())))
}

/// Closes an open incident as restored, or as technically impossible with its reason. 409 when
/// it is closed already.
#[utoipa::path(post, path = "/api/v1/operator/incidents/{id}/close", tag = "operator", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = CloseIn,
    responses((status = 200, body = IncidentOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn close_incident(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CloseIn>,
) -> Result<Json<IncidentOut>, ApiError> {
    let i = incidents::close(
        state.services(),
        &who,
        &id,
        &body.status,
        &body.reason,
        origin.0,
    )
    .await?;
    Ok(Json(i.into()))
}
