//! The compliance officer's cases through the API (issue 18, item 7): anyone reports a page of
//! a school's site; compliance officers record complaints about schools' mailings
//! read the queue, read a report's content through its case (each view recorded) and
//! close cases.

use axum::{
    Json,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
};
use educenter_services::{
    cases::{self, CaseContent, CaseDetail, ComplaintInput, ReportInput},
    store::cases::Case,
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
        .routes(routes!(report_content))
        .routes(routes!(list_cases, record_complaint))
        .routes(routes!(get_case))
        .routes(routes!(case_content))
        .routes(routes!(close_case))
}

page_of!(CasePage, CaseOut, "compliance cases");

#[derive(Serialize, ToSchema)]
pub struct CaseOut {
    id: String,
    /// `C-12`.
    number: String,
    /// `content_report` or `mailing_complaint`.
    kind: String,
    tenant_id: String,
    /// The reported page of the school's site.
    page: Option<String>,
    /// What it shows: `school`, `course` or `lesson`, and its id.
    target_kind: Option<String>,
    target_id: Option<String>,
    /// A report's reason (`illegal`, `copyright`, `personal_data`, `children`, `other`);
    /// `unsolicited_mailing` for a complaint.
    reason: String,
    /// What the reporter wrote, or the complaint's evidence.
    details: String,
    reporter_name: Option<String>,
    reporter_email: Option<String>,
    campaign_ref: Option<String>,
    /// `YYYY-MM-DD`.
    received_on: String,
    /// `open` or `closed`.
    status: String,
    /// `no_action`, `removed_by_school`, `blocked` or `disclosed`.
    outcome: Option<String>,
    outcome_note: Option<String>,
    created_at: String,
    closed_at: Option<String>,
}

impl From<Case> for CaseOut {
    fn from(c: Case) -> Self {
        Self {
            number: educenter_domain::cases::case_number(c.number),
            id: c.id,
            kind: c.kind.as_str().to_owned(),
            tenant_id: c.tenant_id.into_string(),
            page: c.page,
            target_kind: c.target_kind.map(|k| k.as_str().to_owned()),
            target_id: c.target_id,
            reason: c.reason,
            details: c.details,
            reporter_name: c.reporter_name,
            reporter_email: c.reporter_email,
            campaign_ref: c.campaign_ref,
            received_on: c.received_on,
            status: c.status.as_str().to_owned(),
            outcome: c.outcome.map(|o| o.as_str().to_owned()),
            outcome_note: c.outcome_note,
            created_at: c.created_at.to_string(),
            closed_at: c.closed_at.map(|t| t.to_string()),
        }
    }
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct ReportIn {
    /// The school's address on the platform (its slug).
    school: String,
    /// The page of the school's site the report is about (`/s/{slug}/lessons/{id}`); empty for
    /// the site as a whole.
    page: String,
    /// `illegal`, `copyright`, `personal_data`, `children` or `other`.
    reason: String,
    /// What is wrong, 10 to 4000 characters.
    details: String,
    /// Optional: who reports, and where to write to them.
    name: String,
    email: String,
}

#[derive(Serialize, ToSchema)]
pub struct ReportOut {
    /// The case's number, `C-12`.
    number: String,
}

/// Reports a page of a school's site to the platform (anyone, no sign-in): a case opens in the
/// compliance queue; the reporter gets its number, and an e-mail with it when they gave an
/// address. 5 reports per client address, then one every 10 minutes.
#[utoipa::path(post, path = "/api/v1/reports", tag = "compliance", request_body = ReportIn,
    responses((status = 201, body = ReportOut), (status = 404, body = Problem), (status = 422, body = Problem),
        (status = 429, body = Problem)))]
async fn report_content(
    State(state): State<AppState>,
    origin: ClientOrigin,
    headers: HeaderMap,
    ApiJson(body): ApiJson<ReportIn>,
) -> Result<(StatusCode, Json<ReportOut>), ApiError> {
    let input = ReportInput {
        page: body.page,
        reason: body.reason,
        details: body.details,
        name: body.name,
        email: body.email,
    };
    let lang = crate::base::request_lang(&headers);
    let number =
        cases::report(state.services(), body.school.trim(), &input, lang, origin.0).await?;
    Ok((StatusCode::CREATED, Json(ReportOut { number })))
}

/// The compliance queue: open cases first, the newest first (compliance officers).
#[utoipa::path(get, path = "/api/v1/operator/cases", tag = "compliance", security(("bearer" = [])),
    params(PageParams),
    responses((status = 200, body = CasePage), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, body = Problem)))]
async fn list_cases(
    State(state): State<AppState>,
    Auth(who): Auth,
    PageQuery(page): PageQuery,
) -> Result<Json<CasePage>, ApiError> {
    let page = cases::list(state.services(), &who, &page).await?;
    Ok(Json(CasePage::of(page, CaseOut::from)))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct ComplaintIn {
    /// The school whose mailing it is about.
    tenant_id: String,
    /// The complainant.
    name: String,
    email: String,
    /// What they sent: the message with its headers, as text.
    evidence: String,
    /// The mailing, as the school or the message names it.
    campaign_ref: String,
    /// `YYYY-MM-DD`.
    received_on: String,
}

/// Records a complaint about a school's mailing sent without consent (a compliance officer;
/// audited). 422 naming each wrong field, 404 for an unknown school.
#[utoipa::path(post, path = "/api/v1/operator/cases", tag = "compliance", security(("bearer" = [])),
    request_body = ComplaintIn,
    responses((status = 201, body = CaseOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn record_complaint(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<ComplaintIn>,
) -> Result<(StatusCode, Json<CaseOut>), ApiError> {
    let input = ComplaintInput {
        tenant_id: body.tenant_id,
        name: body.name,
        email: body.email,
        evidence: body.evidence,
        campaign_ref: body.campaign_ref,
        received_on: body.received_on,
    };
    let case = cases::complain(state.services(), &who, &input, origin.0).await?;
    Ok((StatusCode::CREATED, Json(case.into())))
}

#[derive(Serialize, ToSchema)]
pub struct CaseDetailOut {
    case: CaseOut,
    school_name: String,
    school_slug: String,
    /// Every view of the reported content through this case, oldest first.
    views: Vec<CaseViewOut>,
    /// A complaint's: the complainant's marketing consents at the school; empty when there
    /// are none (the school had no consent to mail them). Absent for a report.
    consents: Option<Vec<ConsentOut>>,
}

#[derive(Serialize, ToSchema)]
pub struct CaseViewOut {
    viewer_id: String,
    target_kind: String,
    target_id: String,
    at: String,
}

#[derive(Serialize, ToSchema)]
pub struct ConsentOut {
    text_version: String,
    accepted_at: String,
    withdrawn_at: Option<String>,
}

impl From<CaseDetail> for CaseDetailOut {
    fn from(d: CaseDetail) -> Self {
        Self {
            case: d.case.into(),
            school_name: d.school_name,
            school_slug: d.school_slug,
            views: d
                .views
                .into_iter()
                .map(|v| CaseViewOut {
                    viewer_id: v.viewer_id.into_string(),
                    target_kind: v.target_kind.as_str().to_owned(),
                    target_id: v.target_id,
                    at: v.at.to_string(),
                })
                .collect(),
            consents: d.consents.map(|list| {
                list.into_iter()
                    .map(|c| ConsentOut {
                        text_version: c.text_version,
                        accepted_at: c.accepted_at.to_string(),
                        withdrawn_at: c.withdrawn_at.map(|t| t.to_string()),
                    })
                    .collect()
            }),
        }
    }
}

/// One case with the views of its content and, for a complaint, the complainant's consents.
#[utoipa::path(get, path = "/api/v1/operator/cases/{id}", tag = "compliance", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = CaseDetailOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
async fn get_case(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path(id): Path<String>,
) -> Result<Json<CaseDetailOut>, ApiError> {
    Ok(Json(cases::get(state.services(), &who, &id).await?.into()))
}

#[derive(Serialize, ToSchema)]
pub struct CaseContentOut {
    /// `school`, `course`, `lesson`, or `gone` when it was deleted since the report.
    shows: String,
    title: Option<String>,
    /// The school's or course's description.
    description: Option<String>,
    /// The school's published courses, or a course's modules and lessons as `Module: Lesson`.
    items: Vec<String>,
    /// A lesson's text as HTML.
    html: Option<String>,
    embed_url: Option<String>,
}

impl From<CaseContent> for CaseContentOut {
    fn from(c: CaseContent) -> Self {
        let empty = |shows: &str| Self {
            shows: shows.to_owned(),
            title: None,
            description: None,
            items: Vec::new(),
            html: None,
            embed_url: None,
        };
        match c {
            CaseContent::School {
                description,
                courses,
            } => Self {
                description: Some(description),
                items: courses,
                ..empty("school")
            },
            CaseContent::Course {
                title,
                description,
                outline,
            } => Self {
                title: Some(title),
                description: Some(description),
                items: outline
                    .into_iter()
                    .flat_map(|(module, lessons)| {
                        lessons.into_iter().map(move |l| format!("{module}: {l}"))
                    })
                    .collect(),
                ..empty("course")
            },
            CaseContent::Lesson {
                title,
                html,
                embed_url,
                ..
            } => Self {
                title: Some(title),
                html: Some(html),
                embed_url,
                ..empty("lesson")
            },
            CaseContent::Gone => empty("gone"),
        }
    }
}

/// The reported content of a report's open case (compliance officers): the only way an
/// operator reads a school's content; every read is recorded in the case and the audit trail.
/// 409 once the case is closed.
#[utoipa::path(get, path = "/api/v1/operator/cases/{id}/content", tag = "compliance", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = CaseContentOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, description = "The case is closed", body = Problem)))]
async fn case_content(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
) -> Result<Json<CaseContentOut>, ApiError> {
    let content = cases::view_content(state.services(), &who, &id, origin.0).await?;
    Ok(Json(content.into()))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct CloseCaseIn {
    /// `no_action`, `removed_by_school`, `blocked` (blocks the school) or `disclosed` (a
    /// complaint: e-mails the complainant who the school is, entered in the disclosure
    /// register).
    outcome: String,
    /// Why: required.
    note: String,
}

/// Closes a case with its outcome (compliance officers; audited). 409 once closed.
#[utoipa::path(post, path = "/api/v1/operator/cases/{id}/close", tag = "compliance", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = CloseCaseIn,
    responses((status = 200, body = CaseOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn close_case(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CloseCaseIn>,
) -> Result<Json<CaseOut>, ApiError> {
    let case = cases::close(
        state.services(),
        &who,
        &id,
        &body.outcome,
        &body.note,
        origin.0,
    )
    .await?;
    Ok(Json(case.into()))
}
