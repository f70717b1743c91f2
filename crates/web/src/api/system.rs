use axum::{Json, extract::State, http::StatusCode};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{AppState, problem::Problem};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(healthz))
        .routes(routes!(readyz))
}

#[derive(Serialize, ToSchema)]
pub struct Health {
    /// `ok` while the process serves requests.
    status: &'static str,
}

#[derive(Serialize, ToSchema)]
pub struct Readiness {
    /// `ready` when the database answers.
    status: &'static str,
    /// `sqlite` or `postgres`.
    database: &'static str,
}

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "system",
    responses((status = 200, description = "The process serves requests", body = Health)))]
async fn healthz() -> Json<Health> {
    Json(Health { status: "ok" })
}

/// The process can reach its database.
#[utoipa::path(get, path = "/readyz", tag = "system", responses(
    (status = 200, description = "The database answers", body = Readiness),
    (status = 503, description = "The database does not answer", body = Problem,
     content_type = "application/problem+json")))]
async fn readyz(State(state): State<AppState>) -> Result<Json<Readiness>, Problem> {
    match educenter_services::ops::ready(state.services()).await {
        Ok(database) => Ok(Json(Readiness {
            status: "ready",
            database,
        })),
        Err(e) => {
            tracing::error!(error = %e, "readiness: database unavailable");
            Err(Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "not-ready",
                "The database does not answer.".to_owned(),
            ))
        }
    }
}
