//! A tenant as its owner and the operator see it: the licence state for the cabinet banner,
//! the operator's search and tenant page, and the owner's written refusal during the trial,
//! which blocks the tenant at once (R-4.4a).

use educenter_domain::{
    billing::LicenceState,
    roles::AccountKind,
    tenancy::{BlockReason, EndReason},
};
use educenter_domain::{
    clock::local_date,
    offers::{objection_deadline, refusal_dates},
    roles::{OperatorAction, TenantAction},
};
use educenter_store::page::{Page, PageRequest};
use educenter_store::{
    accounts::{self, User},
    audit::{self, Origin, StoredEntry},
    blocks::{self, Block, NewBlock},
    calendar,
    offers::{
        self,
        notices::{self, Notice},
    },
    outbox::{self, NewMail},
    sessions, tenancy,
    tenancy::{Acceptance, Contract, Tenant},
    tokens,
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

/// A newer offer version the tenant has not accepted yet, while it may still object.
#[derive(Debug, Clone)]
pub struct NewVersion {
    pub number: i64,
    pub objection_deadline: Date,
    pub change_summary: String,
}

/// What the cabinet's banner tells: the licence state, the trial's last day, a pending notice,
/// a block, and a new offer version open to objection.
#[derive(Debug, Clone)]
pub struct Licence {
    pub tenant: Tenant,
    pub accepted_version: Option<i64>,
    pub notice: Option<Notice>,
    pub blocks: Vec<Block>,
    pub new_version: Option<NewVersion>,
    /// Whether a refusal may be filed now: during the trial, with no notice pending.
    pub may_refuse: bool,
    /// Whether a contract is in force (a notice may be given).
    pub in_force: bool,
}

/// The licence summary of the principal's tenant (any of its people may see it).
pub async fn licence(services: &Services, who: &Principal) -> Result<Licence, ServiceError> {
    let tenant_id = who
        .tenant_id
        .as_ref()
        .ok_or_else(|| ServiceError::Forbidden(Msg::new("err-school-only")))?;
    let now = services.clock.now();
    let today = local_date(now);
    let mut conn = services.db.conn().await?;
    let tenant = tenancy::get_in(&mut conn, tenant_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-school")))?;
    let accepted_version = tenancy::accepted_version(&mut conn, tenant_id).await?;
    let notice = notices::pending(&mut conn, tenant_id, today).await?;
    let blocks = blocks::in_force(&mut conn, tenant_id).await?;
    let in_force = tenancy::contract_in_force(&mut conn, tenant_id)
        .await?
        .is_some();
    drop(conn);
    let published = offers::published(&services.db, now).await?;
    let mut new_version = None;
    if let (Some(&(current, _)), Some(accepted)) = (published.first(), accepted_version)
        && current > accepted
        && let Some(row) = offers::get(&services.db, current).await?
    {
        let cal = calendar::load(&services.db).await?;
        let deadline = objection_deadline(&cal, local_date(row.published_at)).date;
        if today <= deadline {
            new_version = Some(NewVersion {
                number: current,
                objection_deadline: deadline,
                change_summary: row.change_summary,
            });
        }
    }
    let in_trial = tenant.state == LicenceState::Trial && today <= tenant.trial_ends_on;
    Ok(Licence {
        may_refuse: in_trial && notice.is_none() && blocks.is_empty(),
        in_force,
        tenant,
        accepted_version,
        notice,
        blocks,
        new_version,
    })
}

/// The owner's written refusal during the trial (R-4.4a): the tenant is blocked at once (reason
/// `refusal`), every session and token of its people ends, the contract ends at the end of
/// today, and the data is kept until the refusal date + 60 days.
pub async fn refuse(
    services: &Services,
    who: &Principal,
    origin: Origin,
) -> Result<Block, ServiceError> {
    who.require_write()?;
    // Written, in the cabinet: a signed-in owner, never a program's token.
    who.require_session()?;
    let tenant_id = crate::access::require_tenant(who, TenantAction::ManageContract)?.to_owned();
    let now = services.clock.now();
    let today = local_date(now);
    let cal = calendar::load(&services.db).await?;
    let dates = refusal_dates(&cal, today);
    let mut tx = services.db.begin().await?;
    let tenant = tenancy::get_in(&mut tx, &tenant_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-school")))?;
    let in_trial = tenant.state == LicenceState::Trial && today <= tenant.trial_ends_on;
    if !in_trial {
        return Err(ServiceError::Conflict(Msg::new("err-refusal-trial-only")));
    }
    if !blocks::in_force(&mut tx, &tenant_id).await?.is_empty() {
        return Err(ServiceError::Conflict(Msg::new("err-already-blocked")));
    }
    if notices::pending(&mut tx, &tenant_id, today)
        .await?
        .is_some()
    {
        return Err(ServiceError::Conflict(Msg::new("err-termination-pending")));
    }
    crate::calendar::note_gaps(&mut tx, &cal, today, dates.purge_on, now).await?;
    let purge_on = dates.purge_on.to_string();
    let warning_by = dates.warning_by.date.to_string();
    tenancy::set_purge(
        &mut tx,
        &tenant_id,
        Some((dates.purge_on, dates.warning_by.date)),
    )
    .await?;
    let block_id = blocks::create(
        &mut tx,
        &NewBlock {
            tenant_id: &tenant_id,
            reason: BlockReason::Refusal,
            blocked_by: Some(&who.user_id),
            purge_on: Some(dates.purge_on),
            purge_warning_on: Some(dates.warning_by.date),
            note: None,
        },
        now,
    )
    .await?;
    // The contract ends at the end of today (the midnight job ends it), under the version the
    // tenant accepted.
    if let Some(contract) = tenancy::contract_in_force(&mut tx, &tenant_id).await?
        && let Some(governing) = tenancy::accepted_version(&mut tx, &tenant_id).await?
    {
        notices::file(
            &mut tx,
            &notices::NewNotice {
                tenant_id: &tenant_id,
                contract_id: &contract.id,
                reason: EndReason::Refusal,
                offer_version: None,
                governing_version: governing,
                filed_at: now,
                filed_on: today,
                effective_on: today,
                filed_by: Some(&who.user_id),
            },
        )
        .await?;
        notices::set_contract_status(
            &mut tx,
            &tenant_id,
            &contract.id,
            educenter_domain::tenancy::ContractStatus::Terminating,
        )
        .await?;
        crate::billing::licence::refresh(&mut tx, &tenant_id, now).await?;
    }
    let mut ended = 0;
    for person in accounts::people(&mut tx, &tenant_id).await? {
        ended += sessions::revoke_all(&mut tx, &person.id, now).await?;
        ended += tokens::revoke_all_of(&mut tx, &person.id, now).await?;
    }
    let owner = accounts::get(&mut tx, &who.user_id).await?;
    if let Some(owner) = &owner {
        let lang = Lang::from_code(&owner.locale).unwrap_or(Lang::Ru);
        let mut args = FluentArgs::new();
        args.set("name", owner.full_name.clone());
        args.set("org", tenant.name.clone());
        args.set("purge", format_date(lang, dates.purge_on));
        args.set(
            "support",
            educenter_store::documents::current_profile(&mut tx)
                .await?
                .support_email,
        );
        let mail = NewMail {
            to: owner.email.clone(),
            subject: services.i18n.t_args(lang, "mail-refusal-subject", &args),
            text: services.i18n.t_args(lang, "mail-refusal-body", &args),
            html: None,
            class: outbox::MailClass::Transactional,
        };
        outbox::queue(&mut tx, &mail, now).await?;
    }
    let entry = who
        .audit("tenant.refusal")
        .tenant(tenant_id.clone())
        .target("tenant_block", block_id.clone())
        .origin(origin)
        .details(serde_json::json!({
            "purge_on": purge_on,
            "purge_warning_by": warning_by,
            "credentials_ended": ended,
        }));
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    services.mailer.wake();
    Ok(Block {
        id: block_id,
        tenant_id: tenant_id.clone(),
        reason: BlockReason::Refusal,
        blocked_at: now,
        purge_on: Some(dates.purge_on),
        purge_warning_on: Some(dates.warning_by.date),
        note: None,
    })
}

/// The operator's tenant search.
pub async fn search(
    services: &Services,
    who: &Principal,
    query: &str,
    origin: Origin,
) -> Result<Vec<Tenant>, ServiceError> {
    require_operator(who, OperatorAction::ViewTenants)?;
    let found = tenancy::search(&services.db, query, 50).await?;
    // Operator staff reading licensees' data is on the record (SPEC section 2).
    if !query.trim().is_empty() {
        let entry = who
            .audit("operator.tenant_search")
            .origin(origin)
            .details(serde_json::json!({ "query": query.trim(), "found": found.len() }));
        let mut conn = services.db.conn().await?;
        audit::record(&mut conn, &entry, services.clock.now()).await?;
    }
    Ok(found)
}

/// A page of [`search`]'s tenants, newest first; a search that names something is audited
/// page by page.
pub async fn search_page(
    services: &Services,
    who: &Principal,
    query: &str,
    req: &PageRequest,
    origin: Origin,
) -> Result<Page<Tenant>, ServiceError> {
    require_operator(who, OperatorAction::ViewTenants)?;
    let mut conn = services.db.conn().await?;
    let found = tenancy::search_page(&mut conn, query, req).await?;
    // Operator staff reading licensees' data is on the record (SPEC section 2).
    if !query.trim().is_empty() {
        let entry = who
            .audit("operator.tenant_search")
            .origin(origin)
            .details(serde_json::json!({ "query": query.trim(), "found": found.items.len() }));
        audit::record(&mut conn, &entry, services.clock.now()).await?;
    }
    Ok(found)
}

/// Everything the operator's tenant page shows.
#[derive(Debug, Clone)]
pub struct Overview {
    pub tenant: Tenant,
    pub owner: Option<User>,
    pub staff: Vec<User>,
    pub contracts: Vec<Contract>,
    pub acceptances: Vec<Acceptance>,
    pub notice: Option<Notice>,
    pub blocks: Vec<Block>,
    pub audit: Vec<StoredEntry>,
}

pub async fn overview(
    services: &Services,
    who: &Principal,
    tenant_id: &str,
    origin: Origin,
) -> Result<Overview, ServiceError> {
    let tenant_id = &require_operator(who, OperatorAction::ViewTenants)?.school(tenant_id);
    let today = local_date(services.clock.now());
    let mut conn = services.db.conn().await?;
    let tenant = tenancy::get_in(&mut conn, tenant_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-tenant")))?;
    let people = accounts::people(&mut conn, tenant_id).await?;
    let acceptances = tenancy::acceptances(&mut conn, tenant_id).await?;
    let notice = notices::pending(&mut conn, tenant_id, today).await?;
    let blocks = blocks::in_force(&mut conn, tenant_id).await?;
    drop(conn);
    let contracts = tenancy::contracts(&services.db, tenant_id).await?;
    let entry = who
        .audit("operator.tenant_view")
        .tenant(tenant_id.to_owned())
        .target("tenant", tenant_id.to_owned())
        .origin(origin);
    audit::record(
        &mut *services.db.conn().await?,
        &entry,
        services.clock.now(),
    )
    .await?;
    let audit = audit::of_tenant(&services.db, tenant_id, 200).await?;
    let (owner, staff): (Vec<User>, Vec<User>) = people
        .into_iter()
        .filter(|u| u.kind != AccountKind::Learner)
        .partition(|u| u.kind == AccountKind::Owner);
    Ok(Overview {
        tenant,
        owner: owner.into_iter().next(),
        staff,
        contracts,
        acceptances,
        notice,
        blocks,
        audit,
    })
}

/// The school of a school's person, as it is now (`None` for operator staff or a school
/// already gone).
pub async fn own(services: &Services, who: &Principal) -> Result<Option<Tenant>, ServiceError> {
    match &who.tenant_id {
        Some(id) => Ok(educenter_store::tenancy::get(&services.db, id).await?),
        None => Ok(None),
    }
}
