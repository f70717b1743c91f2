//! Deleting the school's account (issue 18, item 4; ). The owner, signed in, with
//! their password and the school's address typed out: the contract ends by agreement that day
//! (so staff, students and programs are refused at once, and their sessions and tokens end),
//! and the school's data is purged 14 days later by the nightly run, through the purge of
//! R-4.4a (courses, files and their bytes, students, staff; the money records stay). Until then
//! the owner may undo it (the data is then kept as after any ended contract: they may buy a
//! licence again) or have it purged at once.

use educenter_domain::clock::local_date;
use educenter_domain::roles::{AccountKind, TenantAction};
use educenter_domain::tenancy::EndReason;
use educenter_store::{
    Conn, accounts,
    audit::{self, Origin},
    offers::notices,
    outbox::{self, NewMail},
    sessions, tenancy, tokens,
};
use fluent_bundle::FluentArgs;
use jiff::{Timestamp, civil::Date};

use crate::{Msg, ServiceError, Services, access::Principal, i18n::Lang};

/// How long the owner may undo the deletion.
pub const UNDO_DAYS: i64 = 14;

/// A deletion waiting for its purge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deletion {
    pub requested_at: Timestamp,
    /// The day the data is purged (unless undone before).
    pub purge_on: Date,
}

/// The owner's school (in the part the owner keeps, so it works while the contract is over).
fn owner_school(who: &Principal) -> Result<educenter_domain::ids::TenantId, ServiceError> {
    who.require_session()?;
    who.require_write()?;
    if who.kind != AccountKind::Owner {
        return Err(ServiceError::Forbidden(Msg::new("err-owner-only")));
    }
    Ok(crate::access::require_tenant(who, TenantAction::ManageContract)?.to_owned())
}

async fn check_password(
    conn: &mut Conn,
    who: &Principal,
    password: &str,
) -> Result<accounts::User, ServiceError> {
    let owner = accounts::get(conn, &who.user_id)
        .await?
        .ok_or_else(|| ServiceError::Unauthorized(Msg::new("err-unknown-token")))?;
    crate::accounts::confirm_password(&owner, password).await?;
    Ok(owner)
}

fn pending(t: &tenancy::Tenant) -> Option<Deletion> {
    Some(Deletion {
        requested_at: t.deletion_requested_at?,
        purge_on: t.purge_on?,
    })
}

/// The deletion waiting for its purge, if any.
pub async fn status(
    services: &Services,
    who: &Principal,
) -> Result<Option<Deletion>, ServiceError> {
    let tenant_id = owner_school(who)?;
    let mut conn = services.db.conn().await?;
    let t = tenancy::get_in(&mut conn, &tenant_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-school")))?;
    Ok(pending(&t))
}

/// Deletes the school's account: `password` is the owner's, `confirm` the school's address
/// typed out. 422 naming the field that is wrong; 409 when a deletion is pending already.
pub async fn request(
    services: &Services,
    who: &Principal,
    password: &str,
    confirm: &str,
    origin: Origin,
) -> Result<Deletion, ServiceError> {
    let tenant_id = owner_school(who)?;
    let now = services.clock.now();
    let today = local_date(now);
    let purge_on = today
        .checked_add(jiff::Span::new().days(UNDO_DAYS))
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
    let mut conn = services.db.conn().await?;
    let owner = check_password(&mut conn, who, password).await?;
    drop(conn);
    let mut tx = services.db.begin().await?;
    let tenant = tenancy::get_in(&mut tx, &tenant_id)
        .await?
        .filter(|t| t.purged_at.is_none())
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-school")))?;
    if confirm.trim() != tenant.slug {
        return Err(crate::invalid("confirm", Msg::new("err-deletion-confirm")));
    }
    // Pending while its purge day stands (a payment meanwhile cancels the purge, and so the
    // deletion).
    if pending(&tenant).is_some() {
        return Err(ServiceError::Conflict(Msg::new("err-deletion-pending")));
    }
    let contract = tenancy::contract_in_force(&mut tx, &tenant_id).await?;
    if let Some(c) = &contract {
        notices::terminate_now(&mut tx, &tenant_id, &c.id, now, EndReason::Agreement).await?;
    }
    // The warning day is today: the owner is told the date now and by the usual warning.
    tenancy::set_purge(&mut tx, &tenant_id, Some((purge_on, today))).await?;
    tenancy::set_deletion(&mut tx, &tenant_id, Some(now)).await?;
    // Everyone's sessions and tokens end but the owner's own session here.
    let mut ended = 0;
    for person in accounts::people(&mut tx, &tenant_id).await? {
        if person.id == who.user_id {
            continue;
        }
        ended += sessions::revoke_all(&mut tx, &person.id, now).await?;
        ended += tokens::revoke_all_of(&mut tx, &person.id, now).await?;
    }
    ended += tokens::revoke_all_of(&mut tx, &who.user_id, now).await?;
    crate::billing::licence::refresh(&mut tx, &tenant_id, now).await?;
    let entry = who
        .audit("tenant.delete_account")
        .tenant(tenant_id.clone())
        .target("tenant", tenant_id.to_string())
        .origin(origin)
        .details(serde_json::json!({
            "purge_on": purge_on.to_string(),
            "contract": contract.map(|c| c.id.to_string()),
            "credentials_ended": ended,
        }));
    audit::record(&mut tx, &entry, now).await?;
    mail_owner(
        &mut tx,
        services,
        &owner,
        &tenant,
        "mail-deletion",
        purge_on,
        now,
    )
    .await?;
    tx.commit().await?;
    services.mailer.wake();
    Ok(Deletion {
        requested_at: now,
        purge_on,
    })
}

/// Undoes a pending deletion: nothing is purged on its day. The contract stays ended (by
/// agreement); the data is kept as after any ended contract (60 days from today), and a new
/// licence brings the school back.
pub async fn undo(
    services: &Services,
    who: &Principal,
    origin: Origin,
) -> Result<(), ServiceError> {
    let tenant_id = owner_school(who)?;
    let now = services.clock.now();
    let cal = educenter_store::calendar::load(&services.db).await?;
    let mut tx = services.db.begin().await?;
    let tenant = tenancy::get_in(&mut tx, &tenant_id)
        .await?
        .filter(|t| t.purged_at.is_none())
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-school")))?;
    if pending(&tenant).is_none() {
        return Err(ServiceError::NotFound(Msg::new("err-no-deletion")));
    }
    tenancy::set_deletion(&mut tx, &tenant_id, None).await?;
    // The contract stays ended: the data is kept as after any ended contract, 60 days from
    // today with the warning 10 business days before (R-4.4a, R-8.2), unless a licence is
    // bought meanwhile.
    let today = local_date(now);
    let dates = educenter_domain::offers::refusal_dates(&cal, today);
    crate::calendar::note_gaps(&mut tx, &cal, today, dates.purge_on, now).await?;
    let kept = (tenancy::contract_in_force(&mut tx, &tenant_id)
        .await?
        .is_none())
    .then_some((dates.purge_on, dates.warning_by.date));
    tenancy::set_purge(&mut tx, &tenant_id, kept).await?;
    crate::billing::licence::refresh(&mut tx, &tenant_id, now).await?;
    let entry = who
        .audit("tenant.deletion_undone")
        .tenant(tenant_id.clone())
        .target("tenant", tenant_id.to_string())
        .origin(origin);
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Purges a school whose deletion is pending at once, on the owner's request (with their
/// password); the owner is signed out with everyone.
pub async fn purge_now(
    services: &Services,
    who: &Principal,
    password: &str,
    origin: Origin,
) -> Result<(), ServiceError> {
    let tenant_id = owner_school(who)?;
    let now = services.clock.now();
    let mut conn = services.db.conn().await?;
    check_password(&mut conn, who, password).await?;
    drop(conn);
    let mut tx = services.db.begin().await?;
    let tenant = tenancy::get_in(&mut tx, &tenant_id)
        .await?
        .filter(|t| t.purged_at.is_none())
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-school")))?;
    if pending(&tenant).is_none() {
        return Err(ServiceError::NotFound(Msg::new("err-no-deletion")));
    }
    let entry = who
        .audit("tenant.purge_now")
        .tenant(tenant_id.clone())
        .target("tenant", tenant_id.to_string())
        .origin(origin);
    audit::record(&mut tx, &entry, now).await?;
    crate::retention::purge(&mut tx, &tenant_id, &local_date(now).to_string(), now).await?;
    tx.commit().await?;
    Ok(())
}

async fn mail_owner(
    tx: &mut Conn,
    services: &Services,
    owner: &accounts::User,
    tenant: &tenancy::Tenant,
    key: &str,
    purge_on: Date,
    now: Timestamp,
) -> Result<(), ServiceError> {
    let lang = Lang::from_code(&owner.locale).unwrap_or(Lang::Ru);
    let mut args = FluentArgs::new();
    args.set("name", owner.full_name.clone());
    args.set("org", tenant.name.clone());
    args.set("purge", crate::i18n::format_date(lang, purge_on));
    let mail = NewMail {
        to: owner.email.clone(),
        subject: services.i18n.t_args(lang, &format!("{key}-subject"), &args),
        text: services.i18n.t_args(lang, &format!("{key}-body"), &args),
        html: None,
        class: outbox::MailClass::Transactional,
    };
    outbox::queue(tx, &mail, now).await?;
    Ok(())
}
