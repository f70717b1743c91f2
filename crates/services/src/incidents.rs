//! Data-loss incidents (issue 18, item 2; ), kept by the operator's infrastructure
//! staff: a loss of a school's data is recorded with whose fault it was and the day it was
//! confirmed. When it was the licensor's, the restore is due by the third business day after the
//! confirmation (the calendar's, A-3); it is closed as restored, or as technically impossible
//! with its reason. Every step is audited.

use educenter_domain::backup::{Fault, IncidentStatus, restore_deadline};
use educenter_domain::roles::OperatorAction;
use educenter_store::{
    audit::{self, Origin},
    incidents::{self, Incident, NewIncident},
    tenancy,
};
use jiff::civil::Date;
use serde_json::json;

use crate::{Msg, ServiceError, Services, access::Principal, access::require_operator};

/// An incident as the infrastructure staff type it.
#[derive(Debug, Clone, Default)]
pub struct IncidentInput {
    pub tenant_id: String,
    /// `licensor` or `licensee`.
    pub fault: String,
    pub description: String,
    /// `YYYY-MM-DD`: the day the loss was confirmed.
    pub confirmed_on: String,
}

/// Records a data-loss incident; the restore's deadline comes with it when the licensor is at
/// fault. 422 naming each wrong field, 404 for an unknown school.
pub async fn record(
    services: &Services,
    who: &Principal,
    input: &IncidentInput,
    origin: Origin,
) -> Result<Incident, ServiceError> {
    let scope = require_operator(who, OperatorAction::RunInfrastructure)?;
    let mut errors = Vec::new();
    let fault = Fault::parse(input.fault.trim());
    if fault.is_none() {
        errors.push(("fault".to_owned(), Msg::one_of_words::<Fault>()));
    }
    let description = input.description.trim();
    if let Some(m) = Msg::text_error(description, 1, 2000, true) {
        errors.push(("description".into(), m));
    }
    let today = educenter_domain::clock::local_date(services.clock.now());
    let confirmed_on = input.confirmed_on.trim().parse::<Date>().ok();
    match confirmed_on {
        None => errors.push(("confirmed_on".into(), Msg::new("err-date"))),
        Some(d) if d > today => {
            errors.push(("confirmed_on".into(), Msg::new("err-date-not-future")));
        }
        Some(_) => {}
    }
    let (Some(fault), Some(confirmed_on), true) = (fault, confirmed_on, errors.is_empty()) else {
        return Err(ServiceError::Invalid(errors));
    };
    let tenant_id = scope.school(input.tenant_id.trim());
    let cal = educenter_store::calendar::load(&services.db).await?;
    let due = restore_deadline(&cal, fault, confirmed_on);
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    if tenancy::get_in(&mut tx, &tenant_id).await?.is_none() {
        return Err(ServiceError::NotFound(Msg::new("err-no-tenant")));
    }
    if let Some(due) = &due {
        crate::calendar::note_gaps(&mut tx, &cal, confirmed_on, due.date, now).await?;
    }
    let id = incidents::create(
        &mut tx,
        &NewIncident {
            tenant_id: &tenant_id,
            fault,
            description,
            confirmed_on,
            due: due.map(|d| (d.date, d.provisional)),
            recorded_by: &who.user_id,
        },
        now,
    )
    .await?;
    let entry = who
        .audit("incident.record")
        .tenant(tenant_id.clone())
        .target("incident", id.clone())
        .origin(origin)
        .details(json!({
            "fault": fault,
            "confirmed_on": confirmed_on.to_string(),
            "due_on": due.map(|d| d.date.to_string()),
        }));
    audit::record(&mut tx, &entry, now).await?;
    let incident = incidents::get(&mut tx, &id)
        .await?
        .ok_or_else(|| ServiceError::Internal("the incident just recorded is gone".into()))?;
    tx.commit().await?;
    Ok(incident)
}

/// Every incident, the open first.
pub async fn list(
    services: &Services,
    who: &Principal,
    page: &educenter_store::page::PageRequest,
) -> Result<educenter_store::page::Page<Incident>, ServiceError> {
    require_operator(who, OperatorAction::RunInfrastructure)?;
    let mut conn = services.db.conn().await?;
    let all = incidents::list(&mut conn).await?;
    Ok(educenter_store::page::Page::cut(all, page, |i| {
        i.id.clone()
    })?)
}

/// Closes an open incident: `restored`, or `impossible` with its reason (required). 409 when
/// it is closed already.
pub async fn close(
    services: &Services,
    who: &Principal,
    id: &str,
    status: &str,
    reason: &str,
    origin: Origin,
) -> Result<Incident, ServiceError> {
    require_operator(who, OperatorAction::RunInfrastructure)?;
    let status = match IncidentStatus::parse(status.trim()) {
        Some(s @ (IncidentStatus::Restored | IncidentStatus::Impossible)) => s,
        _ => {
            return Err(crate::invalid(
                "status",
                Msg::one_of(&["restored", "impossible"]),
            ));
        }
    };
    let reason = reason.trim();
    if status == IncidentStatus::Impossible
        && let Some(m) = Msg::text_error(reason, 1, 2000, true)
    {
        return Err(crate::invalid("reason", m));
    }
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let incident = incidents::get(&mut tx, id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-incident")))?;
    let reason = (!reason.is_empty()).then_some(reason);
    if !incidents::close(&mut tx, id, status, reason, &who.user_id, now).await? {
        return Err(ServiceError::Conflict(Msg::new("err-incident-closed")));
    }
    let entry = who
        .audit("incident.close")
        .tenant(incident.tenant_id.clone())
        .target("incident", id.to_owned())
        .origin(origin)
        .details(json!({ "status": status, "reason": reason }));
    audit::record(&mut tx, &entry, now).await?;
    let incident = incidents::get(&mut tx, id).await?.unwrap_or(incident);
    tx.commit().await?;
    Ok(incident)
}
