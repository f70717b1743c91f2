//! Deleting a person (issue 18, item 4; ): the school's owner or an administrator
//! deletes a student or a staff member, or a student deletes their own account on the school's
//! site. Their personal data is erased at once, in one transaction: they are gone from every
//! page and API answer, and so from every backup set taken after. Their account row stays
//! without e-mail, name, phone or password, so what names its id (the audit trail, money
//! records, files a teacher uploaded) keeps a pseudonym; the school's audit entries about them
//! have their personal values pseudonymised as a purge does.

use educenter_domain::ids::{TenantId, UserId};
use educenter_domain::roles::{AccountKind, TenantAction};
use educenter_store::{
    Conn,
    accounts::{self, User},
    audit::{self, Origin},
    erasure,
};
use jiff::Timestamp;

use crate::{Msg, ServiceError, Services, access::Principal};

/// Erases `user` of `tenant_id` in the caller's transaction and pseudonymises the school's
/// audit entries about them; `false` when they were erased before.
pub(crate) async fn erase(
    tx: &mut Conn,
    tenant_id: &TenantId,
    user: &User,
    now: Timestamp,
) -> Result<bool, ServiceError> {
    if !erasure::erase_person(tx, tenant_id, &user.id, &user.email, now).await? {
        return Ok(false);
    }
    let key = crate::retention::pseudonym_key(tx, now).await?;
    loop {
        let rows = erasure::audit_of_person(tx, tenant_id, &user.id, &user.email, 500).await?;
        if rows.is_empty() {
            break;
        }
        crate::retention::pseudonymise_rows(tx, &key, tenant_id, rows, now).await?;
    }
    Ok(true)
}

/// The person `id` of `kind` in the school, not yet erased.
async fn person_of(
    conn: &mut Conn,
    tenant_id: &TenantId,
    id: &UserId,
    kind: AccountKind,
    missing: &'static str,
) -> Result<User, ServiceError> {
    accounts::get(conn, id)
        .await?
        .filter(|u| u.kind == kind && u.tenant_id.as_ref() == Some(tenant_id))
        .filter(|u| !u.email.ends_with("@erased.invalid"))
        .ok_or_else(|| ServiceError::NotFound(Msg::new(missing)))
}

/// The owner or an administrator deletes a student: their personal data is erased at once
/// (their enrolments, progress, consents, groups and sessions with it). Audited under a
/// pseudonymous id.
pub async fn delete_student(
    services: &Services,
    who: &Principal,
    id: &str,
    origin: Origin,
) -> Result<(), ServiceError> {
    who.require_write()?;
    let tenant_id = crate::access::require_tenant(who, TenantAction::ManageLearners)?.to_owned();
    let id = UserId::new(id);
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let user = person_of(
        &mut tx,
        &tenant_id,
        &id,
        AccountKind::Learner,
        "err-no-student",
    )
    .await?;
    erase(&mut tx, &tenant_id, &user, now).await?;
    let entry = who
        .audit("learner.delete")
        .tenant(tenant_id)
        .target("user", id)
        .origin(origin);
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Erases a staff member the school removes (the rules of removal are the caller's).
pub(crate) async fn erase_staff(
    tx: &mut Conn,
    tenant_id: &TenantId,
    id: &UserId,
    now: Timestamp,
) -> Result<bool, ServiceError> {
    let Ok(user) = person_of(tx, tenant_id, id, AccountKind::Staff, "err-no-staff-member").await
    else {
        return Ok(false);
    };
    erase(tx, tenant_id, &user, now).await
}

/// A student deletes their own account on the school's site, with their password: erased at
/// once, signed out everywhere.
pub async fn delete_own_account(
    services: &Services,
    who: &Principal,
    password: &str,
) -> Result<(), ServiceError> {
    who.require_session()?;
    who.require_access(crate::access::Area::School)?;
    let tenant_id = match (&who.tenant_id, who.kind) {
        (Some(t), AccountKind::Learner) => t.clone(),
        _ => return Err(ServiceError::Forbidden(Msg::new("err-learners-only"))),
    };
    let mut conn = services.db.conn().await?;
    let user = person_of(
        &mut conn,
        &tenant_id,
        &who.user_id,
        AccountKind::Learner,
        "err-no-student",
    )
    .await?;
    drop(conn);
    crate::accounts::confirm_password(&user, password).await?;
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    if !erase(&mut tx, &tenant_id, &user, now).await? {
        return Err(ServiceError::NotFound(Msg::new("err-no-student")));
    }
    // Without the address and browser the request came from: those were the student's too.
    let entry = who
        .audit("learner.delete_own")
        .tenant(tenant_id)
        .target("user", who.user_id.clone());
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(())
}

/// How long a student stays in the learners' trash before they are erased.
const ARCHIVE_DAYS: i64 = educenter_domain::learning::TRASH_DAYS;

fn archive_since(now: Timestamp) -> Timestamp {
    now - jiff::SignedDuration::from_hours(24 * ARCHIVE_DAYS)
}

/// Archives a student into the learners' trash: they disappear from the school's lists and
/// cannot sign in (their sessions and tokens end), their data is kept, and the owner or an
/// administrator may restore them for 30 days; then they are erased.
pub async fn archive_student(
    services: &Services,
    who: &Principal,
    id: &str,
    origin: Origin,
) -> Result<(), ServiceError> {
    who.require_write()?;
    let tenant_id = crate::access::require_tenant(who, TenantAction::ManageLearners)?.to_owned();
    let id = UserId::new(id);
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    if !accounts::archive_learner(&mut tx, &tenant_id, &id, now).await? {
        return Err(ServiceError::NotFound(Msg::new("err-no-student")));
    }
    educenter_store::sessions::revoke_all(&mut tx, &id, now).await?;
    educenter_store::tokens::revoke_all_of(&mut tx, &id, now).await?;
    let entry = who
        .audit("learner.archive")
        .tenant(tenant_id)
        .target("user", id)
        .origin(origin);
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Brings a student back from the learners' trash (within 30 days), with their courses,
/// progress and groups.
pub async fn restore_student(
    services: &Services,
    who: &Principal,
    id: &str,
    origin: Origin,
) -> Result<(), ServiceError> {
    who.require_write()?;
    let tenant_id = crate::access::require_tenant(who, TenantAction::ManageLearners)?.to_owned();
    let id = UserId::new(id);
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    if !accounts::restore_learner(&mut tx, &tenant_id, &id, archive_since(now)).await? {
        return Err(ServiceError::NotFound(Msg::new("err-no-trash-item")));
    }
    let entry = who
        .audit("learner.restore")
        .tenant(tenant_id)
        .target("user", id)
        .origin(origin);
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The school's students in the learners' trash, the last archived first, a page at a time
/// (the cursor is the last student's id).
pub async fn archived_students(
    services: &Services,
    who: &Principal,
    page: &educenter_store::page::PageRequest,
) -> Result<educenter_store::page::Page<User>, ServiceError> {
    let tenant_id = crate::access::require_tenant(who, TenantAction::ManageLearners)?.to_owned();
    let mut conn = services.db.conn().await?;
    let since = archive_since(services.clock.now());
    let all = accounts::archived_learners(&mut conn, &tenant_id, since).await?;
    Ok(educenter_store::page::Page::cut(all, page, |u| {
        u.id.to_string()
    })?)
}

/// The day when a student archived at `at` is erased: the first daily run (04:10, Almaty) at
/// least 30 days after.
pub fn erased_on(at: Timestamp) -> jiff::civil::Date {
    let due = educenter_domain::clock::almaty()
        .to_datetime(at + jiff::SignedDuration::from_hours(24 * ARCHIVE_DAYS));
    if due.time() <= jiff::civil::time(4, 10, 0, 0) {
        due.date()
    } else {
        due.date().tomorrow().unwrap_or(due.date())
    }
}

/// Registers the daily erasure of students who stayed in the learners' trash for 30 days.
pub fn register(registry: &mut crate::jobs::JobRegistry) {
    if let Ok(at) = educenter_domain::schedule::Schedule::daily_at(4, 10) {
        registry.every::<EraseArchived>(at);
    }
}

/// At 04:10 every day: erases the students of every school who have stayed in the learners'
/// trash for 30 days (by the clock, so a run after missed days catches up; running twice erases
/// nothing more).
#[derive(serde::Serialize, serde::Deserialize)]
pub struct EraseArchived {}

impl crate::jobs::Job for EraseArchived {
    const KIND: &'static str = "learning.erase_archived";

    async fn run(self, ctx: crate::jobs::JobContext) -> anyhow::Result<()> {
        let services = &ctx.services;
        let now = services.clock.now();
        let mut erased = 0;
        loop {
            let mut tx = services.db.begin().await?;
            let due = accounts::archived_before(&mut tx, archive_since(now), 100).await?;
            if due.is_empty() {
                break;
            }
            let mut this_batch = 0;
            for user in &due {
                let Some(tenant_id) = user.tenant_id.clone() else {
                    continue;
                };
                if erase(&mut tx, &tenant_id, user, now).await? {
                    this_batch += 1;
                    let entry = audit::Entry::new(audit::Actor::System, "learner.erase_archived")
                        .tenant(tenant_id)
                        .target("user", user.id.clone());
                    audit::record(&mut tx, &entry, now).await?;
                }
            }
            tx.commit().await?;
            erased += this_batch;
            if this_batch == 0 {
                break;
            }
        }
        tracing::info!(erased, "erased the students archived for 30 days");
        Ok(())
    }
}
