//! `/operator/operations`: the infrastructure role's view of what failed for good (background
//! jobs and e-mails past their attempts), with a retry for each.

use askama::Template;
use axum::{
    Router,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::Response,
    routing::{get, post},
};
use educenter_services::ops::{self, Failures, Queue};

use super::{Layout, failure_page, redirect_with_flash};
use crate::{AppState, ClientOrigin, auth::WebUser};

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
    WebUser(who): WebUser,
    headers: HeaderMap,
) -> Response {
    if let Some(away) = crate::base::unless_operator(&who, "/cabinet") {
        return away;
    }
    match ops::failures(state.services(), &who).await {
        Ok(f) => {
            let page = OperationsPage {
                l: Layout::for_user(&state, &headers, "/operator/operations", &who),
                f,
            };
            page.l.render(StatusCode::OK, &page)
        }
        Err(e) => failure_page(&state, &headers, "/operator", e),
    }
}

async fn retry(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Path((queue, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    if let Some(away) = crate::base::unless_operator(&who, "/cabinet") {
        return away;
    }
    let queue = match queue.as_str() {
        "jobs" => Queue::Jobs,
        "mail" => Queue::Mail,
        _ => {
            return super::error_page(&state, super::request_lang(&headers), StatusCode::NOT_FOUND);
        }
    };
    match ops::retry(state.services(), &who, queue, &id, origin.0).await {
        Ok(()) => redirect_with_flash(&state, "/operator/operations", "retried"),
        Err(e) => failure_page(&state, &headers, "/operator", e),
    }
}
