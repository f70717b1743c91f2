//! A school's money on its page in the back office (issue 17, item 6): its licence, invoices,
//! payments and acts as the operator's staff read them, and the trial's last day moved with a
//! reason.

use educenter_domain::{
    billing::LicenceState, clock::local_date, roles::OperatorAction, tenancy::application_deadline,
};
use educenter_store::{
    audit::{self, Origin},
    billing::{self as store, Invoice, Payment},
    documents::Act,
    tenancy,
};
use jiff::{ToSpan, civil::Date};
use serde_json::json;

use crate::{
    Msg, ServiceError, Services,
    access::{Principal, require_operator},
    billing::licence::{Licence, licence_of, refresh},
};

/// How far after its sign-up a school's trial may run at most.
pub const MAX_TRIAL_DAYS: i64 = 90;

/// A school's money as its page in the back office shows it.
pub struct SchoolMoney {
    pub licence: Licence,
    /// Newest first.
    pub invoices: Vec<Invoice>,
    pub payments: Vec<Payment>,
    pub acts: Vec<Act>,
}

/// A school's licence, invoices, payments and acts (any of the operator's staff).
pub async fn school_money(
    services: &Services,
    who: &Principal,
    tenant_id: &str,
) -> Result<SchoolMoney, ServiceError> {
    let tenant_id = require_operator(who, OperatorAction::ViewTenants)?.school(tenant_id);
    let mut conn = services.db.conn().await?;
    if tenancy::get_in(&mut conn, &tenant_id).await?.is_none() {
        return Err(ServiceError::NotFound(Msg::new("err-no-tenant")));
    }
    let mut invoices = store::invoices(&mut conn, &tenant_id).await?;
    invoices.sort_by_key(|i| std::cmp::Reverse(i.issued_at));
    let payments = store::payments_of(&mut conn, &tenant_id).await?;
    let acts = educenter_store::documents::acts_of(&mut conn, &tenant_id).await?;
    drop(conn);
    Ok(SchoolMoney {
        licence: licence_of(services, tenant_id).await?,
        invoices,
        payments,
        acts,
    })
}

/// A school's open invoices (issued or overdue), newest first, for the operator's staff: what
/// a payment recorded from its page may pay.
pub async fn open_invoices(
    services: &Services,
    who: &Principal,
    tenant_id: &str,
) -> Result<Vec<Invoice>, ServiceError> {
    let tenant_id = require_operator(who, OperatorAction::ViewTenants)?.school(tenant_id);
    let mut conn = services.db.conn().await?;
    Ok(store::open_invoices(&mut conn, &tenant_id).await?)
}

/// Moves the last day of a school's trial (the billing officer), with the reason the audit
/// trail and the owner's e-mail give: on or after today and at most [`MAX_TRIAL_DAYS`] after
/// sign-up, while nothing is paid. The application deadline keeps its distance from the trial's
/// end (16 days, moved off a day off), and the licence's state follows at once.
pub async fn change_trial(
    services: &Services,
    who: &Principal,
    tenant_id: &str,
    ends_on: &str,
    reason: &str,
    origin: Origin,
) -> Result<(Date, Date), ServiceError> {
    who.require_write()?;
    let tenant_id = require_operator(who, OperatorAction::ManageBilling)?.school(tenant_id);
    let now = services.clock.now();
    let today = local_date(now);
    let mut errors = Vec::new();
    let ends_on = match ends_on.trim().parse::<Date>() {
        Ok(d) => Some(d),
        Err(_) => {
            errors.push(("ends_on".into(), Msg::new("err-date")));
            None
        }
    };
    let reason = reason.trim();
    if let Some(m) = Msg::text_error(reason, 3, 500, true) {
        errors.push(("reason".into(), m));
    }
    let cal = educenter_store::calendar::load(&services.db).await?;
    let mut tx = services.db.begin().await?;
    let tenant = tenancy::get_in(&mut tx, &tenant_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-tenant")))?;
    let created_on = local_date(tenant.created_at);
    let latest = created_on.saturating_add(MAX_TRIAL_DAYS.days());
    if let Some(d) = ends_on
        && (d < today || d > latest)
    {
        errors.push((
            "ends_on".into(),
            Msg::new("err-trial-range")
                .date("from", today)
                .date("to", latest),
        ));
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let ends_on = ends_on.unwrap_or(tenant.trial_ends_on);
    let unpaid = store::periods(&mut tx, &tenant_id).await?.is_empty();
    if !unpaid
        || !matches!(
            tenant.state,
            LicenceState::Trial | LicenceState::TrialExpired
        )
    {
        return Err(ServiceError::Conflict(Msg::new("err-trial-over")));
    }
    // The deadline keeps the sign-up's distance: 30 days after sign-up for a 14-day trial.
    let deadline = application_deadline(&cal, ends_on.saturating_sub(14.days())).date;
    tenancy::set_trial(&mut tx, &tenant_id, ends_on, deadline).await?;
    refresh(&mut tx, &tenant_id, now).await?;
    let entry = who
        .audit("trial.change")
        .tenant(tenant_id.clone())
        .target("tenant", tenant_id.clone())
        .origin(origin)
        .details(json!({
            "reason": reason,
            "changes": {
                "trial_ends_on": { "old": tenant.trial_ends_on.to_string(), "new": ends_on.to_string() },
                "application_deadline": { "old": tenant.application_deadline.to_string(), "new": deadline.to_string() },
            },
        }));
    audit::record(&mut tx, &entry, now).await?;
    let lang = crate::notify::owner_lang(&tenant);
    crate::notify::mail_owner(
        &mut tx,
        &tenant,
        "trial-changed",
        &[
            ("org", tenant.name.clone()),
            ("trial_ends", crate::i18n::format_date(lang, ends_on)),
            ("deadline", crate::i18n::format_date(lang, deadline)),
            ("reason", reason.to_owned()),
        ],
        now,
    )
    .await?;
    tx.commit().await?;
    services.mailer.wake();
    Ok((ends_on, deadline))
}
