//! `/operator/cases` (issue 18, item 7): the compliance officers' queue of cases: visitors'
//! reports of schools' content and complaints about schools' mailings; a
//! case's page with the reported content (each view recorded), the complainant's consents, and
//! closing it.

use askama::Template;
use axum::{
    Form, Router,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    routing::{get, post},
};
use educenter_domain::cases::{CaseKind, CaseOutcome, case_number};
use educenter_services::{
    ServiceError,
    access::Principal,
    cases::{self, CaseContent, CaseDetail, ComplaintInput},
    store::cases::Case,
};
use serde::Deserialize;

use super::{
    Layout, PageResult,
    forms::{Field, FieldErrors},
    redirect_with_flash,
};
use crate::{AppState, ClientOrigin, auth::OperatorUser};

const PAGE: &str = "/operator/cases";

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/operator/cases", get(queue).post(complaint))
        .route("/operator/cases/{id}", get(case))
        .route("/operator/cases/{id}/content", get(content))
        .route("/operator/cases/{id}/close", post(close))
}

#[derive(Template)]
#[template(path = "operator_cases.html")]
struct QueuePage<'a> {
    l: Layout<'a>,
    items: Vec<Case>,
    fields: Vec<Field>,
}

impl QueuePage<'_> {
    fn number(&self, c: &Case) -> String {
        case_number(c.number)
    }

    fn reason(&self, c: &Case) -> String {
        self.l.t(&format!("case-reason-{}", c.reason))
    }
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct ComplaintForm {
    tenant_id: String,
    name: String,
    email: String,
    evidence: String,
    campaign_ref: String,
    received_on: String,
}

const FIELDS: &[(&str, &str)] = &[
    ("tenant_id", "text"),
    ("name", "text"),
    ("email", "email"),
    ("campaign_ref", "text"),
    ("received_on", "date"),
    ("evidence", "textarea"),
];

async fn render_queue(
    state: &AppState,
    headers: &HeaderMap,
    who: &Principal,
    form: ComplaintForm,
    errors: FieldErrors,
    status: StatusCode,
) -> PageResult {
    let all = educenter_services::store::page::PageRequest::first(
        educenter_services::store::page::MAX_LIMIT,
    );
    let items = cases::list(state.services(), who, &all).await?.items;
    let l = Layout::for_user(state, headers, PAGE, who);
    let value = |name: &str| match name {
        "tenant_id" => form.tenant_id.clone(),
        "name" => form.name.clone(),
        "email" => form.email.clone(),
        "campaign_ref" => form.campaign_ref.clone(),
        "received_on" => form.received_on.clone(),
        _ => form.evidence.clone(),
    };
    let mut fields: Vec<Field> = FIELDS
        .iter()
        .map(|(name, kind)| {
            let f = Field::labelled(name, kind, l.t(&format!("complaint-field-{name}")))
                .value(value(name));
            if matches!(*name, "name" | "campaign_ref") {
                f.optional()
            } else {
                f
            }
        })
        .collect();
    errors.apply(&mut fields);
    let page = QueuePage { items, fields, l };
    Ok(page.l.render(status, &page))
}

async fn queue(
    State(state): State<AppState>,
    headers: HeaderMap,
    OperatorUser(who): OperatorUser,
) -> PageResult {
    render_queue(
        &state,
        &headers,
        &who,
        ComplaintForm::default(),
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

async fn complaint(
    State(state): State<AppState>,
    headers: HeaderMap,
    OperatorUser(who): OperatorUser,
    origin: ClientOrigin,
    Form(form): Form<ComplaintForm>,
) -> PageResult {
    let input = ComplaintInput {
        tenant_id: form.tenant_id.clone(),
        name: form.name.clone(),
        email: form.email.clone(),
        evidence: form.evidence.clone(),
        campaign_ref: form.campaign_ref.clone(),
        received_on: form.received_on.clone(),
    };
    match cases::complain(state.services(), &who, &input, origin.0).await {
        Ok(case) => Ok(redirect_with_flash(
            &state,
            &format!("{PAGE}/{}", case.id),
            "case-recorded",
        )),
        Err(ServiceError::Invalid(found)) => {
            let l = Layout::new(&state, &headers, PAGE);
            let map: Vec<(&str, &'static str)> =
                FIELDS.iter().map(|(name, _)| (*name, *name)).collect();
            let errors = FieldErrors::from_service(&l, found, &map);
            render_queue(
                &state,
                &headers,
                &who,
                form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "operator_case.html")]
struct CasePage<'a> {
    l: Layout<'a>,
    d: CaseDetail,
    number: String,
    /// The close form's fields, while the case is open.
    fields: Vec<Field>,
    /// The reported content, on the content page (its view recorded).
    shown: Option<Shown>,
}

/// The reported content as the page shows it.
struct Shown {
    gone: bool,
    title: Option<String>,
    description: Option<String>,
    /// The school's courses, or a course's lessons as `Module: Lesson`.
    items: Vec<String>,
    embed_url: Option<String>,
    /// A lesson's text, rendered from its Markdown and cleaned.
    html: Option<String>,
}

impl From<CaseContent> for Shown {
    fn from(c: CaseContent) -> Self {
        let empty = Shown {
            gone: false,
            title: None,
            description: None,
            items: Vec::new(),
            embed_url: None,
            html: None,
        };
        match c {
            CaseContent::School {
                description,
                courses,
            } => Shown {
                description: Some(description),
                items: courses,
                ..empty
            },
            CaseContent::Course {
                title,
                description,
                outline,
            } => Shown {
                title: Some(title),
                description: Some(description),
                items: outline
                    .into_iter()
                    .flat_map(|(m, lessons)| lessons.into_iter().map(move |l| format!("{m}: {l}")))
                    .collect(),
                ..empty
            },
            CaseContent::Lesson {
                title,
                kind,
                html,
                embed_url,
            } => Shown {
                title: Some(format!("{title} ({kind})")),
                html: Some(html),
                embed_url,
                ..empty
            },
            CaseContent::Gone => Shown {
                gone: true,
                ..empty
            },
        }
    }
}

impl CasePage<'_> {
    fn is_report(&self) -> bool {
        self.d.case.kind == CaseKind::ContentReport
    }

    fn reason(&self) -> String {
        self.l.t(&format!("case-reason-{}", self.d.case.reason))
    }

    fn outcome(&self, o: &CaseOutcome) -> String {
        self.l.t(&format!("case-outcome-{}", o.as_str()))
    }
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct CloseForm {
    outcome: String,
    note: String,
}

#[allow(clippy::too_many_arguments)]
async fn render_case(
    state: &AppState,
    headers: &HeaderMap,
    who: &Principal,
    id: &str,
    content: Option<CaseContent>,
    form: CloseForm,
    errors: FieldErrors,
    status: StatusCode,
) -> PageResult {
    let d = cases::get(state.services(), who, id).await?;
    let path = format!("{PAGE}/{id}");
    let l = Layout::for_user(state, headers, &path, who);
    let outcomes = CaseOutcome::ALL
        .iter()
        .filter(|o| d.case.kind == CaseKind::MailingComplaint || **o != CaseOutcome::Disclosed)
        .map(|o| {
            (
                o.as_str().to_owned(),
                l.t(&format!("case-outcome-{}", o.as_str())),
            )
        })
        .collect();
    let mut fields = vec![
        Field::labelled("outcome", "select", l.t("case-field-outcome"))
            .options(outcomes)
            .value(form.outcome),
        Field::labelled("note", "textarea", l.t("case-field-note")).value(form.note),
    ];
    errors.apply(&mut fields);
    let page = CasePage {
        number: case_number(d.case.number),
        d,
        fields,
        shown: content.map(Shown::from),
        l,
    };
    Ok(page.l.render(status, &page))
}

async fn case(
    State(state): State<AppState>,
    headers: HeaderMap,
    OperatorUser(who): OperatorUser,
    Path(id): Path<String>,
) -> PageResult {
    render_case(
        &state,
        &headers,
        &who,
        &id,
        None,
        CloseForm::default(),
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

/// The reported content, recorded as seen by this officer before the page shows it.
async fn content(
    State(state): State<AppState>,
    headers: HeaderMap,
    OperatorUser(who): OperatorUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
) -> PageResult {
    let shown = cases::view_content(state.services(), &who, &id, origin.0).await?;
    render_case(
        &state,
        &headers,
        &who,
        &id,
        Some(shown),
        CloseForm::default(),
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

async fn close(
    State(state): State<AppState>,
    headers: HeaderMap,
    OperatorUser(who): OperatorUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    Form(form): Form<CloseForm>,
) -> PageResult {
    match cases::close(
        state.services(),
        &who,
        &id,
        &form.outcome,
        &form.note,
        origin.0,
    )
    .await
    {
        Ok(_) => Ok(redirect_with_flash(
            &state,
            &format!("{PAGE}/{id}"),
            "case-closed",
        )),
        Err(ServiceError::Invalid(found)) => {
            let l = Layout::new(&state, &headers, PAGE);
            let errors =
                FieldErrors::from_service(&l, found, &[("outcome", "outcome"), ("note", "note")]);
            render_case(
                &state,
                &headers,
                &who,
                &id,
                None,
                form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
