//! `/operator/operations`: the infrastructure role's view of what failed for good (background
//! jobs and e-mails past their attempts), with a retry for each.

use askama::Template;
use axum::{
    Router,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    routing::{get, post},
};
use educenter_services::ops::{self, Failures, Queue};

use super::{Layout, PageError, PageResult, redirect_with_flash};
use crate::{AppState, ClientOrigin, auth::OperatorUser};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/operator/operations", get(page))
        .route("/operator/operations/{queue}/{id}/retry", post(retry))
}

#[derive(Template)]
#[template(path = "operator_operations.html")]
struct OperationsPage<'a> {
    l: Layout<'a>,
    f: Failures,
}

async fn page(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    headers: HeaderMap,
) -> PageResult {
    let f = ops::failures(state.services(), &who).await?;
    let page = OperationsPage {
        l: Layout::for_user(&state, &headers, "/operator/operations", &who),
        f,
    };
    Ok(page.l.render(StatusCode::OK, &page))
}

async fn retry(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    origin: ClientOrigin,
    Path((queue, id)): Path<(String, String)>,
) -> PageResult {
    let queue = match queue.as_str() {
        "jobs" => Queue::Jobs,
        "mail" => Queue::Mail,
        _ => return Err(PageError::not_found()),
    };
    ops::retry(state.services(), &who, queue, &id, origin.0).await?;
    Ok(redirect_with_flash(
        &state,
        "/operator/operations",
        "retried",
    ))
}
