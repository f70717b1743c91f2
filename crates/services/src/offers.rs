//! Offer versions (R-2.3a-c): the operator publishes a version, owners of contracts in force
//! are told, an owner may object within the window (which files a termination notice under the
//! old version, A-12), and everyone else is deemed to accept at 00:00 after the window. Also the
//! owner's own termination notice, which may be withdrawn before it takes effect.

use educenter_domain::ids::TenantId;
use educenter_domain::{
    clock::local_date,
    offers::{deemed_acceptance_at, notice_end_date, objection_deadline},
    roles::{OperatorAction, TenantAction},
    tenancy::{ContractStatus, EndReason, is_clean_text},
};
use educenter_store::{
    audit::{self, Actor, Entry, Origin},
    calendar, jobs,
    offers::{
        self,
        notices::{self, NewNotice, Notice},
    },
    outbox::{self, NewMail},
    tenancy::{self, NewAcceptance},
};
use fluent_bundle::FluentArgs;
use jiff::{Timestamp, civil::Date};

use crate::Msg;
use crate::{
    ServiceError, Services,
    access::Principal,
    access::require_operator,
    i18n::{Lang, format_date},
    jobs::{Job, JobContext, JobRegistry},
};

pub fn register(registry: &mut JobRegistry) {
    registry.job::<DeemAcceptance>();
    if let Ok(midnight) = educenter_domain::schedule::Schedule::daily_at(0, 0) {
        registry.every::<EndContracts>(midnight);
    }
}

/// At 00:00 every day: contracts whose notice ran through yesterday end.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct EndContracts {}

impl Job for EndContracts {
    const KIND: &'static str = "contracts.end_notices";

    async fn run(self, ctx: JobContext) -> anyhow::Result<()> {
        end_contracts(ctx).await
    }
}

async fn end_contracts(ctx: JobContext) -> anyhow::Result<()> {
    let today = local_date(ctx.due_at);
    let mut tx = ctx.services.db.begin().await?;
    let due = notices::due_to_end(&mut tx, today).await?;
    for (tenant_id, contract_id, reason) in &due {
        notices::end_contract(&mut tx, tenant_id, contract_id, ctx.due_at, *reason).await?;
        let entry = Entry::new(Actor::System, "contract.end")
            .tenant(tenant_id.clone())
            .target("contract", contract_id.clone())
            .details(serde_json::json!({ "reason": reason }));
        audit::record(&mut tx, &entry, ctx.due_at).await?;
        crate::billing::licence::refresh(&mut tx, tenant_id, ctx.due_at)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    tx.commit().await?;
    tracing::info!(ended = due.len(), "contracts ended by notice");
    Ok(())
}

/// A published version and its objection window.
#[derive(Debug, Clone)]
pub struct Published {
    pub number: i64,
    pub published_at: Timestamp,
    pub published_on: Date,
    pub objection_deadline: Date,
    pub deemed_acceptance_at: Timestamp,
    pub provisional: bool,
    pub notified: usize,
}

/// Publishes a new version (super-admin), e-mails every owner of a contract in force and
/// schedules the deemed acceptance.
pub async fn publish(
    services: &Services,
    who: &Principal,
    text_ru: &str,
    text_kk: Option<&str>,
    change_summary: &str,
    origin: Origin,
) -> Result<Published, ServiceError> {
    require_operator(who, OperatorAction::ManagePlatform)?;
    let mut errors = Vec::new();
    if text_ru.trim().is_empty() {
        errors.push(("text_ru".to_owned(), Msg::required()));
    } else if !is_clean_text(text_ru, true) {
        errors.push(("text_ru".to_owned(), Msg::control_chars()));
    }
    if let Some(m) = Msg::text_error(change_summary, 1, 2000, true) {
        errors.push(("change_summary".to_owned(), m));
    }
    if text_kk.is_some_and(|t| !is_clean_text(t, true)) {
        errors.push(("text_kk".to_owned(), Msg::new("err-control-chars")));
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let now = services.clock.now();
    let today = local_date(now);
    let cal = calendar::load(&services.db).await?;
    let deadline = objection_deadline(&cal, today);
    let (deemed_at, provisional) = deemed_acceptance_at(&cal, today);

    let mut tx = services.db.begin().await?;
    crate::calendar::note_gaps(&mut tx, &cal, today, local_date(deemed_at), now).await?;
    let number = offers::publish(
        &mut tx,
        text_ru,
        text_kk.filter(|t| !t.trim().is_empty()),
        change_summary.trim(),
        now,
    )
    .await?;
    let in_force = notices::contracts_in_force(&mut tx).await?;
    for c in &in_force {
        let lang = Lang::from_code(&c.locale).unwrap_or(Lang::Ru);
        let mut args = FluentArgs::new();
        args.set("name", c.owner_name.clone());
        args.set("number", number);
        args.set("published", format_date(lang, today));
        args.set("deadline", format_date(lang, deadline.date));
        args.set("summary", change_summary.trim().to_owned());
        let mail = NewMail {
            to: c.owner_email.clone(),
            subject: services.i18n.t_args(lang, "mail-offer-subject", &args),
            text: services.i18n.t_args(lang, "mail-offer-body", &args),
            html: None,
            class: outbox::MailClass::Bulk {
                tenant_id: c.tenant_id.clone(),
            },
        };
        outbox::queue(&mut tx, &mail, now).await?;
    }
    let job = DeemAcceptance { version: number }
        .job(deemed_at)
        .idempotency_key(format!("offer:{number}:deemed"));
    jobs::enqueue(&mut tx, &job, now).await?;
    let entry = who
        .audit("offer.publish")
        .target("offer_version", number.to_string())
        .origin(origin)
        .details(serde_json::json!({
            "change_summary": change_summary.trim(),
            "objection_deadline": deadline.date,
            "deemed_acceptance_at": deemed_at,
            "notified": in_force.len(),
        }));
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    services.mailer.wake();
    services.jobs.wake();
    Ok(Published {
        number,
        published_at: now,
        published_on: today,
        objection_deadline: deadline.date,
        deemed_acceptance_at: deemed_at,
        provisional: deadline.provisional || provisional,
        notified: in_force.len(),
    })
}

/// The deemed acceptance of one offer version, at 00:00 after its window.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct DeemAcceptance {
    pub version: i64,
}

impl Job for DeemAcceptance {
    const KIND: &'static str = "offers.deem_acceptance";

    async fn run(self, ctx: JobContext) -> anyhow::Result<()> {
        deem_acceptance(ctx, self).await
    }
}

/// The job at 00:00 after the window: every contract in force whose tenant neither accepted
/// the version nor objected to it gets `Acceptance(method = deemed)` (R-2.3b).
async fn deem_acceptance(
    ctx: JobContext,
    DeemAcceptance { version }: DeemAcceptance,
) -> anyhow::Result<()> {
    let mut tx = ctx.services.db.begin().await?;
    let mut deemed = 0;
    for c in notices::contracts_in_force(&mut tx).await? {
        let accepted = tenancy::accepted_version(&mut tx, &c.tenant_id).await?;
        if accepted.is_some_and(|v| v >= version)
            || notices::objected_to(&mut tx, &c.tenant_id, version).await?
        {
            continue;
        }
        tenancy::accept(
            &mut tx,
            &NewAcceptance {
                tenant_id: &c.tenant_id,
                user_id: None,
                offer_version: version,
                method: educenter_domain::tenancy::AcceptanceMethod::Deemed,
                ip: None,
                user_agent: None,
            },
            ctx.due_at,
        )
        .await?;
        let entry = Entry::new(Actor::System, "offer.deemed_acceptance")
            .tenant(c.tenant_id.clone())
            .target("offer_version", version.to_string());
        audit::record(&mut tx, &entry, ctx.due_at).await?;
        deemed += 1;
    }
    tx.commit().await?;
    tracing::info!(version, deemed, "deemed acceptances recorded");
    Ok(())
}

/// The owner objects to the newest version within its window: a termination notice effective
/// at the end of the 10th business day, under the version the tenant last accepted.
pub async fn object(
    services: &Services,
    who: &Principal,
    origin: Origin,
) -> Result<Notice, ServiceError> {
    who.require_write()?;
    let tenant_id = crate::access::require_tenant(who, TenantAction::ManageContract)?.to_owned();
    let now = services.clock.now();
    let today = local_date(now);
    let cal = calendar::load(&services.db).await?;
    let mut tx = services.db.begin().await?;
    let latest = offers::current(&mut tx, now)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-offer")))?;
    let published_on = local_date(latest.published_at);
    let deadline = objection_deadline(&cal, published_on);
    if today > deadline.date {
        return Err(ServiceError::Conflict(
            Msg::new("err-objection-closed").date("date", deadline.date),
        ));
    }
    let accepted = tenancy::accepted_version(&mut tx, &tenant_id).await?;
    if accepted.is_some_and(|v| v >= latest.number) {
        return Err(ServiceError::Conflict(
            Msg::new("err-version-accepted").num("version", latest.number),
        ));
    }
    let notice = file_in(
        &mut tx,
        who,
        &tenant_id,
        Filing {
            reason: EndReason::Objection,
            offer_version: Some(latest.number),
            governing: accepted.unwrap_or(latest.number),
            effective_on: notice_end_date(&cal, today).date,
        },
        now,
        origin,
    )
    .await?;
    tx.commit().await?;
    Ok(notice)
}

/// The owner's termination notice: in force through the 10th business day after today.
pub async fn give_notice(
    services: &Services,
    who: &Principal,
    origin: Origin,
) -> Result<Notice, ServiceError> {
    who.require_write()?;
    let tenant_id = crate::access::require_tenant(who, TenantAction::ManageContract)?.to_owned();
    let now = services.clock.now();
    let cal = calendar::load(&services.db).await?;
    let mut tx = services.db.begin().await?;
    let governing = tenancy::accepted_version(&mut tx, &tenant_id)
        .await?
        .ok_or_else(|| ServiceError::Conflict(Msg::new("err-never-accepted")))?;
    let notice = file_in(
        &mut tx,
        who,
        &tenant_id,
        Filing {
            reason: EndReason::Notice,
            offer_version: None,
            governing,
            effective_on: notice_end_date(&cal, local_date(now)).date,
        },
        now,
        origin,
    )
    .await?;
    crate::calendar::note_gaps(
        &mut tx,
        &cal,
        local_date(now),
        notice_end_date(&cal, local_date(now)).date,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(notice)
}

/// The dates a termination notice and a refusal filed today would set (the contract page states
/// them before the owner confirms): the contract's last day after a notice, and the day
/// a refused school's data is deleted (R-4.4a).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndingDates {
    pub notice_ends_on: Date,
    pub refusal_purges_on: Date,
}

pub async fn ending_dates(
    services: &Services,
    who: &Principal,
) -> Result<EndingDates, ServiceError> {
    crate::access::require_tenant(who, TenantAction::ManageContract)?;
    let today = local_date(services.clock.now());
    let cal = calendar::load(&services.db).await?;
    Ok(EndingDates {
        notice_ends_on: notice_end_date(&cal, today).date,
        refusal_purges_on: educenter_domain::offers::refusal_dates(&cal, today).purge_on,
    })
}

/// What a notice the licensee files says.
struct Filing {
    reason: EndReason,
    /// The offer version objected to (an objection only).
    offer_version: Option<i64>,
    /// The offer version that governs the contract until it ends.
    governing: i64,
    effective_on: Date,
}

async fn file_in(
    tx: &mut educenter_store::Tx,
    who: &Principal,
    tenant_id: &TenantId,
    filing: Filing,
    now: Timestamp,
    origin: Origin,
) -> Result<Notice, ServiceError> {
    let Filing {
        reason,
        offer_version,
        governing,
        effective_on,
    } = filing;
    if notices::pending(tx, tenant_id, local_date(now))
        .await?
        .is_some()
    {
        return Err(ServiceError::Conflict(Msg::new("err-termination-pending")));
    }
    let contract = tenancy::contract_in_force(tx, tenant_id)
        .await?
        .ok_or_else(|| ServiceError::Conflict(Msg::new("err-no-contract")))?;
    let notice = notices::file(
        tx,
        &NewNotice {
            tenant_id,
            contract_id: &contract.id,
            reason,
            offer_version,
            governing_version: governing,
            filed_at: now,
            filed_on: local_date(now),
            effective_on,
            filed_by: Some(&who.user_id),
        },
    )
    .await?;
    notices::set_contract_status(tx, tenant_id, &contract.id, ContractStatus::Terminating).await?;
    let entry = who
        .audit(format!("contract.{reason}"))
        .tenant(tenant_id.to_owned())
        .target("termination_notice", notice.id.clone())
        .origin(origin)
        .details(serde_json::json!({
            "effective_on": notice.effective_on.to_string(),
            "governing_version": governing,
            "offer_version": offer_version,
        }));
    audit::record(tx, &entry, now).await?;
    crate::billing::licence::refresh(tx, tenant_id, now).await?;
    Ok(notice)
}

/// The tenant's pending notice.
pub async fn pending_notice(
    services: &Services,
    who: &Principal,
) -> Result<Option<Notice>, ServiceError> {
    let tenant_id = crate::access::require_tenant(who, TenantAction::ManageContract)?;
    let today = local_date(services.clock.now());
    let mut conn = services.db.conn().await?;
    Ok(notices::pending(&mut conn, tenant_id, today).await?)
}

/// Withdraws the pending notice before it takes effect (R-8.2, implied).
pub async fn withdraw_notice(
    services: &Services,
    who: &Principal,
    origin: Origin,
) -> Result<(), ServiceError> {
    who.require_write()?;
    let tenant_id = crate::access::require_tenant(who, TenantAction::ManageContract)?.to_owned();
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let notice = notices::pending(&mut tx, &tenant_id, local_date(now))
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-pending-notice")))?;
    notices::withdraw(&mut tx, &tenant_id, &notice.id, now).await?;
    notices::set_contract_status(
        &mut tx,
        &tenant_id,
        &notice.contract_id,
        ContractStatus::InForce,
    )
    .await?;
    // An objection withdrawn after its window leaves the new version unobjected: it is deemed
    // accepted now (the deemed-acceptance job skipped this tenant while the objection stood).
    if let (Some(version), EndReason::Objection) = (notice.offer_version, notice.reason) {
        let accepted = tenancy::accepted_version(&mut tx, &tenant_id).await?;
        let cal = calendar::load(&services.db).await?;
        if let Some(row) = offers::get(&services.db, version).await? {
            let deadline = objection_deadline(&cal, local_date(row.published_at));
            if accepted.is_none_or(|v| v < version) && local_date(now) > deadline.date {
                tenancy::accept(
                    &mut tx,
                    &NewAcceptance {
                        tenant_id: &tenant_id,
                        user_id: None,
                        offer_version: version,
                        method: educenter_domain::tenancy::AcceptanceMethod::Deemed,
                        ip: None,
                        user_agent: None,
                    },
                    now,
                )
                .await?;
            }
        }
    }
    let entry = who
        .audit("contract.notice_withdrawn")
        .tenant(tenant_id.clone())
        .target("termination_notice", notice.id)
        .origin(origin);
    audit::record(&mut tx, &entry, now).await?;
    crate::billing::licence::refresh(&mut tx, &tenant_id, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The version of the offer in force now, if one is published.
pub async fn in_force(
    services: &Services,
) -> Result<Option<educenter_store::offers::OfferVersion>, ServiceError> {
    let mut conn = services.db.conn().await?;
    Ok(educenter_store::offers::current(&mut conn, services.clock.now()).await?)
}

/// The published versions, newest first: (number, publication date).
pub async fn published(services: &Services) -> Result<Vec<(i64, Date)>, ServiceError> {
    Ok(educenter_store::offers::published(&services.db, services.clock.now()).await?)
}

/// One version of the offer by its number.
pub async fn version(
    services: &Services,
    number: i64,
) -> Result<Option<educenter_store::offers::OfferVersion>, ServiceError> {
    Ok(educenter_store::offers::get(&services.db, number).await?)
}
