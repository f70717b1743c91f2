//! The school's licence through the API: its state, periods and credit.

use axum::{Json, extract::State};
use educenter_domain::{billing::LicenceState, clock::local_date, money::Money};
use educenter_services::billing;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    AppState,
    auth::KeptAuth,
    problem::{ApiError, Problem},
};

use super::catalog::Limits;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_licence))
}

#[derive(Serialize, ToSchema)]
pub struct ContractRef {
    number: i64,
    started_on: String,
}

#[derive(Serialize, ToSchema)]
pub struct PeriodOut {
    from: String,
    to: String,
    plan: String,
    invoice_number: String,
}

#[derive(Serialize, ToSchema)]
pub struct LicenceOut {
    state: LicenceState,
    /// The reason of a block in force, laid over the state.
    blocked: Option<educenter_domain::tenancy::BlockReason>,
    plan: Option<String>,
    trial_ends_on: String,
    application_deadline: String,
    /// The last paid day L of the contract in force.
    paid_through: Option<String>,
    contract: Option<ContractRef>,
    periods: Vec<PeriodOut>,
    credit_balance: Vec<Money>,
    /// What the school uses now.
    usage: Limits,
    /// The limits in force, extra storage included: the paid plan's, or while nothing is paid
    /// the trial's (the operator's trial plan, or 100 students, 5 staff, 10 courses, 5 GB).
    limits: Limits,
    /// A school that lapsed or refused keeps its data until this day (R-4.4a).
    purge_on: Option<String>,
}

/// The school's licence today: state, periods of the contract in force, credit balance.
#[utoipa::path(get, path = "/api/v1/license", tag = "billing", security(("bearer" = [])),
    responses((status = 200, body = LicenceOut), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn get_licence(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
) -> Result<Json<LicenceOut>, ApiError> {
    let l = billing::licence::licence(state.services(), &who).await?;
    Ok(Json(LicenceOut {
        state: l.state,
        blocked: l.blocked,
        plan: l.plan.as_ref().map(|p| p.code.clone()),
        trial_ends_on: l.trial_ends_on.to_string(),
        application_deadline: l.application_deadline.to_string(),
        paid_through: l.paid_through.map(|d| d.to_string()),
        contract: l.contract.map(|c| ContractRef {
            number: c.number,
            started_on: local_date(c.started_at).to_string(),
        }),
        periods: l
            .periods
            .into_iter()
            .map(|p| PeriodOut {
                from: p.from.to_string(),
                to: p.to.to_string(),
                plan: p.plan,
                invoice_number: p.invoice_number,
            })
            .collect(),
        credit_balance: l.credit,
        usage: Limits {
            students: l.usage.students,
            staff: l.usage.staff,
            storage_bytes: l.usage.storage_bytes,
            courses: l.usage.courses,
        },
        purge_on: l.purge_on.map(|d| d.to_string()),
        limits: Limits {
            students: l.limits.students,
            staff: l.limits.staff,
            storage_bytes: l.limits.storage_bytes.saturating_add(l.extra_storage_bytes),
            courses: l.limits.courses,
        },
    }))
}
