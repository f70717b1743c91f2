//! The operator's back office through the API: the business-day calendar.

use std::collections::BTreeSet;

use axum::{
    Json,
    extract::{Path, State},
};
use educenter_domain::calendar::YearCalendar;
use educenter_services::{calendar, content};
use jiff::civil::Date;
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
        .routes(routes!(get_calendar, put_calendar))
        .routes(routes!(allow_repeat_trial))
        .routes(routes!(search_tenants))
        .routes(routes!(get_tenant))
        .routes(routes!(block_tenant))
        .routes(routes!(unblock_tenant))
        .routes(routes!(terminate_tenant))
        .routes(routes!(move_plan))
        .routes(routes!(get_trial_plan, put_trial_plan))
        .routes(routes!(list_embed_hosts, add_embed_host))
        .routes(routes!(remove_embed_host))
}

page_of!(TenantPage, TenantOut, "tenants");
page_of!(EmbedHostPage, String, "embed hosts");

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct BlockIn {
    /// `illegal_content`, `licence_breach`, `spam_complaint` or `over_limit`.
    reason: String,
    /// The internal note (required; operators only ever see it).
    note: String,
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct UnblockIn {
    /// The reason of the block to lift.
    reason: String,
}

/// Blocks a school (compliance officer) with an internal note: staff, learners and programs get
/// 403 `blocked` at once, the school's site and media links answer 503; the owner keeps
/// billing, documents and the contract. Audited; the owner is e-mailed (for `illegal_content`
/// without the reason).
#[utoipa::path(post, path = "/api/v1/operator/tenants/{id}/block", tag = "operator",
    security(("bearer" = [])), request_body = BlockIn,
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn block_tenant(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<BlockIn>,
) -> Result<axum::http::StatusCode, ApiError> {
    educenter_services::compliance::block(
        state.services(),
        &who,
        &id,
        &body.reason,
        &body.note,
        origin.0,
    )
    .await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// Lifts a block (compliance officer).
#[utoipa::path(post, path = "/api/v1/operator/tenants/{id}/unblock", tag = "operator",
    security(("bearer" = [])), request_body = UnblockIn,
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn unblock_tenant(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<UnblockIn>,
) -> Result<axum::http::StatusCode, ApiError> {
    educenter_services::compliance::unblock(state.services(), &who, &id, &body.reason, origin.0)
        .await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct TerminateIn {
    /// The stated grounds of the termination (required; e-mailed to the owner).
    grounds: String,
}

#[derive(Serialize, ToSchema)]
pub struct TerminateOut {
    /// The contract's last day (today).
    ended_on: String,
    /// The day the school's data is deleted.
    purge_on: String,
}

/// Terminates the contract of a school blocked for `licence_breach` on stated grounds
/// (compliance officer, R-2.8): the contract ends today, the data is kept for 60 days and then
/// deleted. Audited; the owner is e-mailed.
#[utoipa::path(post, path = "/api/v1/operator/tenants/{id}/terminate", tag = "operator",
    security(("bearer" = [])), request_body = TerminateIn,
    responses((status = 200, body = TerminateOut), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn terminate_tenant(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<TerminateIn>,
) -> Result<Json<TerminateOut>, ApiError> {
    let t = educenter_services::compliance::terminate_for_breach(
        state.services(),
        &who,
        &id,
        &body.grounds,
        origin.0,
    )
    .await?;
    Ok(Json(TerminateOut {
        ended_on: t.ended_on.to_string(),
        purge_on: t.purge_on.to_string(),
    }))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct PlanMove {
    plan: String,
    months: i64,
}

#[derive(Serialize, ToSchema)]
pub struct PlanMoveOut {
    invoice_number: String,
    invoice_id: String,
    total_minor: i64,
    currency: educenter_domain::billing::Currency,
}

/// Moves a school to another plan (billing officer, R-3.5.4): a plan-change invoice with the
/// credit of the unused days (R-4.5b), e-mailed to the owner.
#[utoipa::path(post, path = "/api/v1/operator/tenants/{id}/plan-change", tag = "operator",
    security(("bearer" = [])), request_body = PlanMove,
    responses((status = 201, body = PlanMoveOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn move_plan(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<PlanMove>,
) -> Result<(axum::http::StatusCode, Json<PlanMoveOut>), ApiError> {
    let v = educenter_services::billing::changes::operator_plan_change(
        state.services(),
        &who,
        &id,
        &body.plan,
        body.months,
        origin.0,
    )
    .await?;
    Ok((
        axum::http::StatusCode::CREATED,
        Json(PlanMoveOut {
            invoice_number: v.invoice.number,
            invoice_id: v.invoice.id.into_string(),
            total_minor: v.invoice.total_minor,
            currency: v.invoice.currency,
        }),
    ))
}

#[derive(Deserialize, utoipa::IntoParams, Default)]
#[serde(default)]
pub struct TenantQuery {
    /// A part of the slug or the name, an exact IIN/BIN, or any of the tenant's e-mails.
    q: String,
}

#[derive(Serialize, ToSchema)]
pub struct TenantOut {
    id: String,
    slug: String,
    name: String,
    kind: educenter_domain::tenancy::LicenseeKind,
    bin_iin: String,
    resident: bool,
    state: educenter_domain::billing::LicenceState,
    #[schema(value_type = String)]
    created_at: jiff::Timestamp,
    trial_ends_on: String,
    application_deadline: String,
}

impl From<educenter_services::store::tenancy::Tenant> for TenantOut {
    fn from(t: educenter_services::store::tenancy::Tenant) -> Self {
        Self {
            id: t.id.into_string(),
            slug: t.slug,
            name: t.name,
            kind: t.kind,
            bin_iin: t.bin_iin,
            resident: t.resident,
            state: t.state,
            created_at: t.created_at,
            trial_ends_on: t.trial_ends_on.to_string(),
            application_deadline: t.application_deadline.to_string(),
        }
    }
}

/// Finds tenants (any operator role), newest first.
#[utoipa::path(get, path = "/api/v1/operator/tenants", tag = "operator", security(("bearer" = [])),
    params(TenantQuery, PageParams),
    responses((status = 200, body = TenantPage), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, description = "A bad `limit` or `after`, or a NUL in a parameter", body = Problem)))]
async fn search_tenants(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    axum::extract::Query(q): axum::extract::Query<TenantQuery>,
    PageQuery(page): PageQuery,
) -> Result<Json<TenantPage>, ApiError> {
    let found =
        educenter_services::tenancy::search_page(state.services(), &who, &q.q, &page, origin.0)
            .await?;
    Ok(Json(TenantPage::of(found, Into::into)))
}

#[derive(Serialize, ToSchema)]
pub struct TenantDetail {
    tenant: TenantOut,
    owner_email: Option<String>,
    /// Every contract, oldest first.
    #[schema(value_type = Vec<Object>)]
    contracts: Vec<educenter_services::store::tenancy::Contract>,
    /// Every acceptance of the offer: version, method, time, IP and user agent.
    #[schema(value_type = Vec<Object>)]
    acceptances: Vec<educenter_services::store::tenancy::Acceptance>,
    /// Blocks in force: reason, purge date.
    #[schema(value_type = Vec<Object>)]
    blocks: Vec<serde_json::Value>,
    /// The audit trail, newest first (at most 200 entries).
    #[schema(value_type = Vec<Object>)]
    audit: Vec<educenter_services::store::audit::StoredEntry>,
}

/// A tenant with its contracts, acceptances, blocks and audit trail (any operator role).
#[utoipa::path(get, path = "/api/v1/operator/tenants/{id}", tag = "operator", security(("bearer" = [])),
    responses((status = 200, body = TenantDetail), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
async fn get_tenant(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
) -> Result<Json<TenantDetail>, ApiError> {
    let o = educenter_services::tenancy::overview(state.services(), &who, &id, origin.0).await?;
    Ok(Json(TenantDetail {
        owner_email: o.owner.map(|u| u.email),
        contracts: o.contracts,
        acceptances: o.acceptances,
        blocks: o
            .blocks
            .into_iter()
            .map(|b| {
                serde_json::json!({
                    "reason": b.reason,
                    "blocked_at": b.blocked_at,
                    "purge_on": b.purge_on,
                    "purge_warning_by": b.purge_warning_on,
                })
            })
            .collect(),
        audit: o.audit,
        tenant: o.tenant.into(),
    }))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct TrialException {
    /// `bin_iin`, `email` or `phone`.
    kind: String,
    value: String,
    /// Why the exception is granted (kept in the audit log).
    reason: String,
}

/// Lets an IIN/BIN, e-mail or phone that already had a trial start another (A-22; super-admin).
#[utoipa::path(post, path = "/api/v1/operator/trial-exceptions", tag = "operator",
    security(("bearer" = [])), request_body = TrialException,
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, description = "No trial was taken with that value", body = Problem),
        (status = 422, body = Problem)))]
async fn allow_repeat_trial(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<TrialException>,
) -> Result<axum::http::StatusCode, ApiError> {
    educenter_services::accounts::allow_repeat_trial(
        state.services(),
        &who,
        &body.kind,
        &body.value,
        &body.reason,
        origin.0,
    )
    .await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct CalendarYear {
    /// Monday-Friday dates that are days off (holidays, days moved by law or decree).
    #[schema(value_type = Vec<String>, example = json!(["2027-01-01", "2027-03-08"]))]
    non_working_days: BTreeSet<Date>,
    /// Saturdays and Sundays that a decree makes working days.
    #[schema(value_type = Vec<String>, example = json!([]))]
    working_days: BTreeSet<Date>,
}

#[derive(Serialize, ToSchema)]
pub struct CalendarYearOut {
    year: i16,
    #[serde(flatten)]
    days: CalendarYear,
}

impl From<YearCalendar> for CalendarYearOut {
    fn from(y: YearCalendar) -> Self {
        Self {
            year: y.year,
            days: CalendarYear {
                non_working_days: y.non_working_days,
                working_days: y.working_days,
            },
        }
    }
}

/// One year of the business-day calendar (operator super-admin).
#[utoipa::path(get, path = "/api/v1/operator/calendar/{year}", tag = "operator",
    security(("bearer" = [])),
    params(("year" = i16, Path, description = "The calendar year")),
    responses(
        (status = 200, body = CalendarYearOut),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, description = "No calendar is loaded for that year", body = Problem)))]
async fn get_calendar(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path(year): Path<i16>,
) -> Result<Json<CalendarYearOut>, ApiError> {
    Ok(Json(
        calendar::get_year(state.services(), &who, year)
            .await?
            .into(),
    ))
}

/// Replaces one year of the business-day calendar (operator super-admin). Dates computed
/// afterwards use it; a year with no calendar is computed Monday-Friday, marked provisional.
#[utoipa::path(put, path = "/api/v1/operator/calendar/{year}", tag = "operator",
    security(("bearer" = [])),
    params(("year" = i16, Path, description = "The calendar year")),
    request_body = CalendarYear,
    responses(
        (status = 200, body = CalendarYearOut),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, description = "A date outside the year, a weekend day off or a weekday working day", body = Problem)))]
async fn put_calendar(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(year): Path<i16>,
    ApiJson(body): ApiJson<CalendarYear>,
) -> Result<Json<CalendarYearOut>, ApiError> {
    let y = calendar::put_year(
        state.services(),
        &who,
        year,
        body.non_working_days.into_iter().collect(),
        body.working_days.into_iter().collect(),
        origin.0,
    )
    .await?;
    Ok(Json(y.into()))
}

/// The hosts embed lessons may link to (https only), as the operator keeps them.
#[derive(Serialize, ToSchema)]
pub struct EmbedHostsOut {
    hosts: Vec<String>,
}

/// The hosts embed lessons may link to, in order: any signed-in person or token may read them.
#[utoipa::path(get, path = "/api/v1/embed-hosts", tag = "operator", security(("bearer" = [])),
    params(PageParams),
    responses((status = 200, body = EmbedHostPage), (status = 401, body = Problem), (status = 422, description = "A bad `limit` or `after`, or a NUL in a parameter", body = Problem)))]
async fn list_embed_hosts(
    State(state): State<AppState>,
    Auth(_who): Auth,
    PageQuery(page): PageQuery,
) -> Result<Json<EmbedHostPage>, ApiError> {
    let hosts = content::embed_hosts_page(state.services(), &page).await?;
    Ok(Json(EmbedHostPage::of(hosts, |h| h)))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct EmbedHostIn {
    /// A host name, e.g. `player.example.com`.
    host: String,
}

/// Allows embed lessons to link to one more host (operator super-admin).
#[utoipa::path(post, path = "/api/v1/embed-hosts", tag = "operator", security(("bearer" = [])),
    request_body = EmbedHostIn,
    responses((status = 200, body = EmbedHostsOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn add_embed_host(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<EmbedHostIn>,
) -> Result<Json<EmbedHostsOut>, ApiError> {
    let hosts = content::add_embed_host(state.services(), &who, &body.host, origin.0).await?;
    Ok(Json(EmbedHostsOut { hosts }))
}

/// Stops allowing a host: lessons linking there stop showing their player (operator
/// super-admin).
#[utoipa::path(delete, path = "/api/v1/embed-hosts/{host}", tag = "operator", security(("bearer" = [])),
    params(("host" = String, Path, description = "The host")),
    responses((status = 200, body = EmbedHostsOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
async fn remove_embed_host(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(host): Path<String>,
) -> Result<Json<EmbedHostsOut>, ApiError> {
    let hosts = content::remove_embed_host(state.services(), &who, &host, origin.0).await?;
    Ok(Json(EmbedHostsOut { hosts }))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct TrialPlan {
    /// The code of the plan whose limits trials run under; `null`: the built-in trial limits
    /// (100 students, 5 staff seats, 10 courses, 5 GB).
    plan: Option<String>,
}

/// The plan whose limits trials run under (any operator staff).
#[utoipa::path(get, path = "/api/v1/operator/trial-plan", tag = "operator",
    security(("bearer" = [])),
    responses((status = 200, body = TrialPlan), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn get_trial_plan(
    State(state): State<AppState>,
    Auth(who): Auth,
) -> Result<Json<TrialPlan>, ApiError> {
    let plan = educenter_services::billing::limits::trial_plan(state.services(), &who).await?;
    Ok(Json(TrialPlan {
        plan: plan.map(|p| p.code),
    }))
}

/// Chooses the plan whose limits trials run under, or `null` for the built-in limits
/// (super-admin; audited).
#[utoipa::path(put, path = "/api/v1/operator/trial-plan", tag = "operator",
    security(("bearer" = [])), request_body = TrialPlan,
    responses((status = 200, body = TrialPlan), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, body = Problem)))]
async fn put_trial_plan(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<TrialPlan>,
) -> Result<Json<TrialPlan>, ApiError> {
    let plan = educenter_services::billing::limits::set_trial_plan(
        state.services(),
        &who,
        body.plan.as_deref(),
        origin.0,
    )
    .await?;
    Ok(Json(TrialPlan {
        plan: plan.map(|p| p.code),
    }))
}
