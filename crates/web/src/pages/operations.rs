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
        .route("/operator/operations/incidents", post(record_incident))
        .route(
            "/operator/operations/incidents/{id}/close",
            post(close_incident),
        )
}

#[derive(Template)]
#[template(path = "operator_operations.html")]
struct OperationsPage<'a> {
    l: Layout<'a>,
    f: Failures,
    b: Status,
    /// Data-loss incidents, the open first.
    incidents: Vec<educenter_services::store::incidents::Incident>,
    incident_fields: Vec<super::forms::Field>,
    /// The incident whose closing was refused, and why.
    close_error: Option<(String, String)>,
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
    render(&state, &headers, &who, Again::default(), StatusCode::OK).await
}

/// What the page shows again after a refused form.
#[derive(Default)]
struct Again {
    incident: IncidentForm,
    errors: super::forms::FieldErrors,
    close_error: Option<(String, String)>,
}

async fn render(
    state: &AppState,
    headers: &HeaderMap,
    who: &educenter_services::access::Principal,
    again: Again,
    status: StatusCode,
) -> PageResult {
    let f = ops::failures(state.services(), who).await?;
    let b = backup::status(state.services(), who).await?;
    let all = educenter_services::store::page::PageRequest::first(
        educenter_services::store::page::MAX_LIMIT,
    );
    let incidents = educenter_services::incidents::list(state.services(), who, &all)
        .await?
        .items;
    let l = Layout::for_user(state, headers, "/operator/operations", who);
    let form = &again.incident;
    let faults = ["licensor", "licensee"]
        .iter()
        .map(|f| ((*f).to_owned(), l.t(&format!("incident-fault-{f}"))))
        .collect();
    let mut incident_fields = vec![
        super::forms::Field::labelled("tenant_id", "text", l.t("disclosure-field-tenant_id"))
            .value(form.tenant_id.clone()),
        super::forms::Field::labelled("fault", "select", l.t("incident-field-fault"))
            .value(if form.fault.is_empty() {
                "licensor".to_owned()
            } else {
                form.fault.clone()
            })
            .options(faults),
        super::forms::Field::labelled("description", "textarea", l.t("incident-field-description"))
            .value(form.description.clone()),
        super::forms::Field::labelled("confirmed_on", "date", l.t("incident-field-confirmed_on"))
            .value(form.confirmed_on.clone()),
    ];
    again.errors.apply(&mut incident_fields);
    let page = OperationsPage {
        l,
        f,
        b,
        incidents,
        incident_fields,
        close_error: again.close_error,
    };
    Ok(page.l.render(status, &page))
}

#[derive(serde::Deserialize, Default, Clone)]
#[serde(default)]
struct IncidentForm {
    tenant_id: String,
    fault: String,
    description: String,
    confirmed_on: String,
}

/// Records a data-loss incident.
async fn record_incident(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    origin: ClientOrigin,
    headers: HeaderMap,
    axum::Form(form): axum::Form<IncidentForm>,
) -> PageResult {
    let input = educenter_services::incidents::IncidentInput {
        tenant_id: form.tenant_id.clone(),
        fault: form.fault.clone(),
        description: form.description.clone(),
        confirmed_on: form.confirmed_on.clone(),
    };
    match educenter_services::incidents::record(state.services(), &who, &input, origin.0).await {
        Ok(_) => Ok(redirect_with_flash(
            &state,
            "/operator/operations#incidents",
            "incident-recorded",
        )),
        Err(educenter_services::ServiceError::Invalid(found)) => {
            let l = Layout::new(&state, &headers, "/operator/operations");
            let map = [
                ("tenant_id", "tenant_id"),
                ("fault", "fault"),
                ("description", "description"),
                ("confirmed_on", "confirmed_on"),
            ];
            let again = Again {
                incident: form,
                errors: super::forms::FieldErrors::from_service(&l, found, &map),
                close_error: None,
            };
            render(
                &state,
                &headers,
                &who,
                again,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct CloseForm {
    status: String,
    reason: String,
}

/// Closes an incident as restored, or technically impossible with its reason.
async fn close_incident(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    origin: ClientOrigin,
    headers: HeaderMap,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<CloseForm>,
) -> PageResult {
    let closed = educenter_services::incidents::close(
        state.services(),
        &who,
        &id,
        &form.status,
        &form.reason,
        origin.0,
    )
    .await;
    match closed {
        Ok(_) => Ok(redirect_with_flash(
            &state,
            "/operator/operations#incidents",
            "incident-closed",
        )),
        Err(educenter_services::ServiceError::Invalid(found)) => {
            let l = Layout::new(&state, &headers, "/operator/operations");
            let text = found
                .iter()
                .map(|(_, m)| l.say(m))
                .collect::<Vec<_>>()
                .join(" ");
            let again = Again {
                close_error: Some((id, text)),
                ..Again::default()
            };
            render(
                &state,
                &headers,
                &who,
                again,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
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
