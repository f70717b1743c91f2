//! `/operator/operations`: the infrastructure role's view of what failed for good (background
//! jobs and e-mails past their attempts), with a retry for each.

use askama::Template;
use axum::{
    Router,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    routing::{get, post},
};
use educenter_domain::backup::RunStatus;
use educenter_services::{
    backup::{self, Status},
    ops::{self, Failures, Queue},
};

use super::{Layout, PageError, PageResult, redirect_with_flash};
use crate::{AppState, ClientOrigin, auth::OperatorUser};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/operator/operations", get(page))
        .route("/operator/operations/{queue}/{id}/retry", post(retry))
        .route("/operator/operations/backup", post(back_up_now))
}

#[derive(Template)]
#[template(path = "operator_operations.html")]
struct OperationsPage<'a> {
    l: Layout<'a>,
    f: Failures,
    b: Status,
}

impl OperationsPage<'_> {
    /// A run's size for people: `12.3 MB`.
    fn size(&self, bytes: &Option<i64>) -> String {
        bytes.map_or_else(String::new, |b| {
            educenter_services::i18n::format_size(self.l.lang, b)
        })
    }
}

async fn page(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    headers: HeaderMap,
) -> PageResult {
    let f = ops::failures(state.services(), &who).await?;
    let b = backup::status(state.services(), &who).await?;
    let page = OperationsPage {
        l: Layout::for_user(&state, &headers, "/operator/operations", &who),
        f,
        b,
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

/// "Back up now": queues a backup to run at once (the infrastructure role; audited).
async fn back_up_now(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    origin: ClientOrigin,
) -> PageResult {
    backup::request(state.services(), &who, origin.0).await?;
    Ok(redirect_with_flash(
        &state,
        "/operator/operations",
        "backup-queued",
    ))
}
