//! The register of force majeure on pages (issue 18, item 7; ):
//! `/operator/force-majeure` for the operator's infrastructure staff (record the platform's
//! events, ask a school for evidence) and compliance officers (read), and
//! `/cabinet/force-majeure` for a school's owner (the platform's events affecting the school,
//! its own notices, their documents, asking the platform for evidence).

use askama::Template;
use axum::{
    Form, Router,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::Response,
    routing::{get, post},
};
use educenter_domain::force_majeure::Party;
use educenter_services::{
    ServiceError,
    access::Principal,
    force_majeure::{self, Entry, EventInput},
};
use serde::Deserialize;

use super::{
    Layout, PageResult,
    forms::{Field, FieldErrors},
    redirect_with_flash,
};
use crate::{
    AppState, ClientOrigin,
    auth::{KeptUser, OperatorUser},
};

const OPERATOR: &str = "/operator/force-majeure";
const CABINET: &str = "/cabinet/force-majeure";

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/operator/force-majeure", get(operator_page).post(record))
        .route(
            "/operator/force-majeure/{id}/request-evidence",
            post(operator_evidence),
        )
        .route(
            "/operator/force-majeure/{id}/files/{file}",
            get(operator_file),
        )
        .route("/cabinet/force-majeure", get(cabinet_page).post(notify))
        .route("/cabinet/force-majeure/{id}/files", post(attach))
        .route(
            "/cabinet/force-majeure/{id}/files/{file}",
            get(cabinet_file),
        )
        .route(
            "/cabinet/force-majeure/{id}/request-evidence",
            post(cabinet_evidence),
        )
}

#[derive(Template)]
#[template(path = "force_majeure.html")]
struct RegisterPage<'a> {
    l: Layout<'a>,
    /// `/operator/force-majeure` or `/cabinet/force-majeure`: where its forms post.
    base: &'static str,
    operator: bool,
    /// The operator's infrastructure staff record events and ask for evidence; compliance
    /// officers read (a school's owner gives its own notices).
    may_write: bool,
    items: Vec<Entry>,
    fields: Vec<Field>,
    /// The school's files to attach (the cabinet).
    media: Vec<(String, String)>,
}

impl RegisterPage<'_> {
    fn party(&self, e: &Entry) -> String {
        self.l.t(&format!("fm-party-{}", e.event.party.as_str()))
    }

    /// Whether this side may ask the other for evidence of `e`.
    fn may_ask(&self, e: &Entry) -> bool {
        (self.operator && self.may_write && e.event.party == Party::Licensee)
            || (!self.operator && e.event.party == Party::Licensor)
    }

    /// Whether the school may attach documents to `e` (its own notice).
    fn may_attach(&self, e: &Entry) -> bool {
        !self.operator && e.event.party == Party::Licensee
    }

    fn schools(&self, e: &Entry) -> String {
        if e.event.all_schools {
            self.l.t("fm-all-schools")
        } else if let Some(t) = &e.event.tenant_id {
            t.to_string()
        } else {
            e.schools
                .iter()
                .map(|t| t.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        }
    }
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct EventForm {
    onset_on: String,
    communication_restored_on: String,
    description: String,
    /// The operator's: `all`, or school ids one per line.
    schools: String,
}

impl EventForm {
    fn input(&self) -> EventInput {
        EventInput {
            onset_on: self.onset_on.clone(),
            communication_restored_on: self.communication_restored_on.clone(),
            description: self.description.clone(),
            schools: self
                .schools
                .split(['\n', ','])
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect(),
        }
    }
}

async fn render(
    state: &AppState,
    headers: &HeaderMap,
    who: &Principal,
    operator: bool,
    form: EventForm,
    errors: FieldErrors,
    status: StatusCode,
) -> PageResult {
    let services = state.services();
    let (base, items, media) = if operator {
        let all = educenter_services::store::page::PageRequest::first(
            educenter_services::store::page::MAX_LIMIT,
        );
        let items = force_majeure::list(services, who, &all).await?.items;
        (OPERATOR, items, Vec::new())
    } else {
        let items = force_majeure::of_school(services, who).await?;
        let media = educenter_services::media::list(services, who)
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|m| (m.id.to_string(), m.filename))
            .collect();
        (CABINET, items, media)
    };
    let l = Layout::for_user(state, headers, base, who);
    let mut fields = vec![
        Field::labelled("onset_on", "date", l.t("fm-field-onset_on")).value(form.onset_on),
        Field::labelled(
            "communication_restored_on",
            "date",
            l.t("fm-field-communication_restored_on"),
        )
        .value(form.communication_restored_on)
        .optional(),
        Field::labelled("description", "textarea", l.t("fm-field-description"))
            .value(form.description),
    ];
    if operator {
        fields.push(
            Field::labelled("schools", "textarea", l.t("fm-field-schools")).value(form.schools),
        );
    }
    errors.apply(&mut fields);
    let may_write =
        !operator || who.operator_may(educenter_domain::roles::OperatorAction::RunInfrastructure);
    let page = RegisterPage {
        base,
        operator,
        may_write,
        items,
        fields,
        media,
        l,
    };
    Ok(page.l.render(status, &page))
}

const MAP: &[(&str, &str)] = &[
    ("onset_on", "onset_on"),
    ("communication_restored_on", "communication_restored_on"),
    ("description", "description"),
    ("schools", "schools"),
];

async fn operator_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    OperatorUser(who): OperatorUser,
) -> PageResult {
    let (form, errors) = (EventForm::default(), FieldErrors::default());
    render(&state, &headers, &who, true, form, errors, StatusCode::OK).await
}

async fn cabinet_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    KeptUser(who): KeptUser,
) -> PageResult {
    let (form, errors) = (EventForm::default(), FieldErrors::default());
    render(&state, &headers, &who, false, form, errors, StatusCode::OK).await
}

/// The form again with each wrong field's message, or the error's page.
async fn again(
    state: &AppState,
    headers: &HeaderMap,
    who: &Principal,
    operator: bool,
    form: EventForm,
    e: ServiceError,
) -> PageResult {
    match e {
        ServiceError::Invalid(found) => {
            let l = Layout::new(state, headers, OPERATOR);
            let errors = FieldErrors::from_service(&l, found, MAP);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render(state, headers, who, operator, form, errors, status).await
        }
        e => Err(e.into()),
    }
}

async fn record(
    State(state): State<AppState>,
    headers: HeaderMap,
    OperatorUser(who): OperatorUser,
    origin: ClientOrigin,
    Form(form): Form<EventForm>,
) -> PageResult {
    match force_majeure::record(state.services(), &who, &form.input(), origin.0).await {
        Ok(_) => Ok(redirect_with_flash(&state, OPERATOR, "fm-recorded")),
        Err(e) => again(&state, &headers, &who, true, form, e).await,
    }
}

async fn notify(
    State(state): State<AppState>,
    headers: HeaderMap,
    KeptUser(who): KeptUser,
    origin: ClientOrigin,
    Form(form): Form<EventForm>,
) -> PageResult {
    match force_majeure::notify(state.services(), &who, &form.input(), origin.0).await {
        Ok(_) => Ok(redirect_with_flash(&state, CABINET, "fm-notified")),
        Err(e) => again(&state, &headers, &who, false, form, e).await,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct EvidenceForm {
    note: String,
}

async fn operator_evidence(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    Form(form): Form<EvidenceForm>,
) -> PageResult {
    force_majeure::request_evidence(state.services(), &who, &id, &form.note, origin.0).await?;
    Ok(redirect_with_flash(&state, OPERATOR, "fm-evidence-asked"))
}

async fn cabinet_evidence(
    State(state): State<AppState>,
    KeptUser(who): KeptUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    Form(form): Form<EvidenceForm>,
) -> PageResult {
    force_majeure::request_evidence(state.services(), &who, &id, &form.note, origin.0).await?;
    Ok(redirect_with_flash(&state, CABINET, "fm-evidence-asked"))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AttachForm {
    media_id: String,
}

async fn attach(
    State(state): State<AppState>,
    KeptUser(who): KeptUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    Form(form): Form<AttachForm>,
) -> PageResult {
    force_majeure::attach(state.services(), &who, &id, &form.media_id, origin.0).await?;
    Ok(redirect_with_flash(&state, CABINET, "fm-attached"))
}

async fn operator_file(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    Path((id, file)): Path<(String, String)>,
) -> Result<Response, super::PageError> {
    let found = force_majeure::download(state.services(), &who, &id, &file).await?;
    Ok(crate::api::force_majeure::file_response(found))
}

async fn cabinet_file(
    State(state): State<AppState>,
    KeptUser(who): KeptUser,
    Path((id, file)): Path<(String, String)>,
) -> Result<Response, super::PageError> {
    let found = force_majeure::download(state.services(), &who, &id, &file).await?;
    Ok(crate::api::force_majeure::file_response(found))
}
