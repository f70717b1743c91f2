//! The compliance officer's decisions over a school (R-2.5a, R-2.8, R-3.5.4, R-7.10): a block
//! with an internal note, lifting it, and turning a `licence_breach` block into a termination
//! of the contract on stated grounds. Each is audited and e-mailed to the owner.

use educenter_domain::{
    clock::local_date,
    offers::refusal_dates,
    roles::OperatorAction,
    tenancy::{BlockReason, EndReason},
};
use educenter_store::{
    accounts,
    audit::{self, Origin},
    blocks::{self, Block, NewBlock},
    calendar,
    offers::notices,
    outbox::{self, NewMail},
    tenancy,
};
use fluent_bundle::FluentArgs;
use jiff::civil::Date;

use crate::Msg;
use crate::{
    ServiceError, Services,
    access::Principal,
    access::require_operator,
    i18n::{Lang, format_date},
};

/// A reason the operator may block a school for ([`BlockReason::BY_OPERATOR`]).
fn check_reason(reason: &str) -> Result<BlockReason, ServiceError> {
    BlockReason::parse(reason)
        .filter(|r| BlockReason::BY_OPERATOR.contains(r))
        .ok_or_else(|| {
            ServiceError::Invalid(vec![(
                "reason".into(),
                Msg::one_of_these(BlockReason::BY_OPERATOR),
            )])
        })
}

/// Free text the operator must give (an internal note, the grounds of a termination).
fn required_text(field: &str, text: &str) -> Result<String, ServiceError> {
    let text = text.trim();
    if let Some(m) = Msg::text_error(text, 1, 2000, true) {
        return Err(ServiceError::Invalid(vec![(field.into(), m)]));
    }
    Ok(text.to_owned())
}

/// Queues a message to the school's owner in their language with the school's name (`org`),
/// the owner's name (`name`), the support address (`support`) and `args`.
pub(crate) async fn mail_owner(
    tx: &mut educenter_store::Conn,
    tenant: &tenancy::Tenant,
    services: &Services,
    key: &str,
    args: &[(&str, String)],
    now: jiff::Timestamp,
) -> Result<(), ServiceError> {
    let Some(owner) = accounts::owner_of(tx, &tenant.id).await? else {
        return Ok(());
    };
    let support = educenter_store::documents::current_profile(tx)
        .await?
        .support_email;
    let lang = Lang::from_code(&owner.locale).unwrap_or(Lang::Ru);
    let mut fa = FluentArgs::new();
    fa.set("name", owner.full_name.clone());
    fa.set("org", tenant.name.clone());
    fa.set("support", support);
    for (k, v) in args {
        let v = if *k == "reason" {
            services.i18n.t(lang, &format!("block-reason-{v}"))
        } else {
            v.clone()
        };
        fa.set(*k, v);
    }
    let mail = NewMail {
        to: owner.email.clone(),
        subject: services
            .i18n
            .t_args(lang, &format!("mail-{key}-subject"), &fa),
        text: services.i18n.t_args(lang, &format!("mail-{key}-body"), &fa),
        html: None,
        class: outbox::MailClass::Transactional,
    };
    outbox::queue(tx, &mail, now).await?;
    Ok(())
}

/// Blocks a school (compliance officer, A-23: a manual, audited decision) with an internal note
/// the school never sees: its staff, learners and programs are refused at once, its site and
/// media links are closed; the owner keeps billing, documents and the contract. The owner is
/// e-mailed; for `illegal_content` the message says only that the cabinet is blocked and how to
/// reach support (R-2.5a: no reasons are given).
pub async fn block(
    services: &Services,
    who: &Principal,
    tenant_id: &str,
    reason: &str,
    note: &str,
    origin: Origin,
) -> Result<Block, ServiceError> {
    let tenant_id = &require_operator(who, OperatorAction::HandleCompliance)?.school(tenant_id);
    let reason = check_reason(reason)?;
    let note = required_text("note", note)?;
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let tenant = tenancy::get_in(&mut tx, tenant_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-tenant")))?;
    if blocks::in_force(&mut tx, tenant_id)
        .await?
        .iter()
        .any(|b| b.reason == reason)
    {
        return Err(ServiceError::Conflict(
            Msg::new("err-already-blocked-for").key("reason", format!("block-reason-{reason}")),
        ));
    }
    let id = blocks::create(
        &mut tx,
        &NewBlock {
            tenant_id,
            reason,
            blocked_by: Some(&who.user_id),
            purge_on: None,
            purge_warning_on: None,
            note: Some(&note),
        },
        now,
    )
    .await?;
    // The note stays with the block, where only operators read it; the audit names the block.
    let entry = who
        .audit("tenant.block")
        .tenant(tenant_id.to_owned())
        .target("tenant_block", id.clone())
        .origin(origin)
        .details(serde_json::json!({ "reason": reason }));
    audit::record(&mut tx, &entry, now).await?;
    let key = if reason == BlockReason::IllegalContent {
        "blocked-silent"
    } else {
        "blocked"
    };
    mail_owner(
        &mut tx,
        &tenant,
        services,
        key,
        &[("reason", reason.as_str().to_owned())],
        now,
    )
    .await?;
    tx.commit().await?;
    services.mailer.wake();
    Ok(Block {
        id,
        tenant_id: tenant_id.to_owned(),
        reason,
        blocked_at: now,
        purge_on: None,
        purge_warning_on: None,
        note: Some(note),
    })
}

/// Lifts an operator's block (compliance officer); the owner is e-mailed that the school works
/// again (when no other block remains).
pub async fn unblock(
    services: &Services,
    who: &Principal,
    tenant_id: &str,
    reason: &str,
    origin: Origin,
) -> Result<(), ServiceError> {
    let tenant_id = &require_operator(who, OperatorAction::HandleCompliance)?.school(tenant_id);
    let reason = check_reason(reason)?;
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    if tenancy::get_in(&mut tx, tenant_id).await?.is_none() {
        return Err(ServiceError::NotFound(Msg::new("err-no-tenant")));
    }
    if !blocks::lift(&mut tx, tenant_id, reason, Some(&who.user_id), now).await? {
        return Err(ServiceError::NotFound(
            Msg::new("err-no-block").key("reason", format!("block-reason-{reason}")),
        ));
    }
    let entry = who
        .audit("tenant.unblock")
        .tenant(tenant_id.to_owned())
        .target("tenant", tenant_id.to_owned())
        .origin(origin)
        .details(serde_json::json!({ "reason": reason }));
    audit::record(&mut tx, &entry, now).await?;
    if let Some(tenant) = tenancy::get_in(&mut tx, tenant_id).await?
        && tenant.blocked_reason.is_none()
    {
        mail_owner(&mut tx, &tenant, services, "unblocked", &[], now).await?;
    }
    tx.commit().await?;
    services.mailer.wake();
    Ok(())
}

/// What a termination for breach decided.
#[derive(Debug, Clone)]
pub struct Termination {
    /// The contract's last day (today).
    pub ended_on: Date,
    /// The day the school's data is deleted (60 days on, R-4.4a, A-14).
    pub purge_on: Date,
}

/// Turns a `licence_breach` block into a termination of the contract on stated grounds (R-2.8,
/// compliance officer): the contract ends today (reason `breach`), the block stays, the
/// data is kept for 60 days and then purged like after any termination. Audited and e-mailed.
pub async fn terminate_for_breach(
    services: &Services,
    who: &Principal,
    tenant_id: &str,
    grounds: &str,
    origin: Origin,
) -> Result<Termination, ServiceError> {
    let tenant_id = &require_operator(who, OperatorAction::HandleCompliance)?.school(tenant_id);
    let grounds = required_text("grounds", grounds)?;
    let now = services.clock.now();
    let today = local_date(now);
    let cal = calendar::load(&services.db).await?;
    let dates = refusal_dates(&cal, today);
    let mut tx = services.db.begin().await?;
    let tenant = tenancy::get_in(&mut tx, tenant_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-tenant")))?;
    if !blocks::in_force(&mut tx, tenant_id)
        .await?
        .iter()
        .any(|b| b.reason == BlockReason::LicenceBreach)
    {
        return Err(ServiceError::Conflict(Msg::new("err-block-breach-first")));
    }
    let Some(contract) = tenancy::contract_in_force(&mut tx, tenant_id).await? else {
        return Err(ServiceError::Conflict(Msg::new("err-no-contract")));
    };
    notices::terminate_now(&mut tx, tenant_id, &contract.id, now, EndReason::Breach).await?;
    crate::calendar::note_gaps(&mut tx, &cal, today, dates.purge_on, now).await?;
    let purge_on = dates.purge_on.to_string();
    tenancy::set_purge(
        &mut tx,
        tenant_id,
        Some((dates.purge_on, dates.warning_by.date)),
    )
    .await?;
    let entry = who
        .audit("contract.terminate")
        .tenant(tenant_id.to_owned())
        .target("contract", contract.id.clone())
        .origin(origin)
        .details(serde_json::json!({
            "reason": "breach",
            "grounds": grounds,
            "purge_on": purge_on,
        }));
    audit::record(&mut tx, &entry, now).await?;
    let lang = accounts::owner_of(&mut tx, tenant_id)
        .await?
        .and_then(|o| Lang::from_code(&o.locale))
        .unwrap_or(Lang::Ru);
    mail_owner(
        &mut tx,
        &tenant,
        services,
        "terminated-breach",
        &[
            ("grounds", grounds),
            ("ended", format_date(lang, today)),
            ("purge", format_date(lang, dates.purge_on)),
        ],
        now,
    )
    .await?;
    crate::billing::licence::refresh(&mut tx, tenant_id, now).await?;
    tx.commit().await?;
    services.mailer.wake();
    Ok(Termination {
        ended_on: today,
        purge_on: dates.purge_on,
    })
}
