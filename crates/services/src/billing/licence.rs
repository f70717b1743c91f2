//! The licence chain and its state: the facts of a school's periods, the state they give on a day, the next billing day, and the licence as the school sees it.

use crate::{
    Msg, ServiceError, Services, access::Principal, billing::limits::Usage,
    billing::limits::limits_of, billing::limits::usage_of, notify::owner_lang, notify::owner_mail,
};
use educenter_domain::ids::TenantId;
use educenter_domain::{
    billing::Chain, billing::Currency, billing::Ending, billing::InvoicePurpose,
    billing::InvoiceStatus, billing::LicenceFacts, billing::LicenceState, billing::Limits,
    billing::LineKind, billing::Placement, billing::first_purchase, billing::renewal,
    billing::state_on, clock::local_date, money, money::Money, tenancy::BlockReason,
    tenancy::EndReason,
};
use educenter_store::{
    Conn, audit, audit::Actor, audit::Entry, billing as store, billing::Invoice, billing::Plan,
    billing::StoredPeriod, tenancy, tenancy::NewAcceptance,
};
use jiff::{Timestamp, civil::Date};
use serde_json::json;
use std::collections::BTreeMap;

/// Where the period of a licence invoice paid on `paid_on` falls (A-5, A-7, R-4.5b, R-5.1.1,
/// ), from the school's period in force (`current`), whether the invoice starts its first
/// contract's first period, and its creation and trial's last day.
fn place(
    current: Option<&StoredPeriod>,
    purpose: InvoicePurpose,
    first_of_contract: bool,
    (created_on, trial_ends_on): (Date, Date),
    paid_on: Date,
    months: i64,
) -> Placement {
    match (current, purpose) {
        // A new plan runs from the payment day.
        (Some(_), InvoicePurpose::PlanChange) => {
            let (period, chain) = Chain::start(paid_on, months);
            Placement::NewChain { period, chain }
        }
        (Some(old), _) => {
            let chain = Chain {
                anchor: old.anchor_on,
                months: old.chain_months,
            };
            renewal(chain, paid_on, months)
        }
        (None, _) if first_of_contract => {
            first_purchase(created_on, trial_ends_on, paid_on, months)
        }
        (None, _) => {
            let (period, chain) = Chain::start(paid_on, months);
            Placement::NewContract { period, chain }
        }
    }
}

/// The licence days an invoice would buy if paid on `paid_on`, as the school reads them before
/// it applies (issue 17, item 8): the period, and whether it runs from the day after sign-up
/// rather than the payment because the payment comes during the trial (or fewer than 7 days
/// after it).
pub async fn period_if_paid(
    services: &Services,
    invoice: &Invoice,
    paid_on: Date,
) -> Result<(educenter_domain::billing::Period, bool), ServiceError> {
    let tenant_id = &invoice.tenant_id;
    let mut conn = services.db.conn().await?;
    let tenant = tenancy::get_in(&mut conn, tenant_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-school")))?;
    let created_on = local_date(tenant.created_at);
    let Standing {
        contract,
        ever_paid,
        current,
    } = standing(&mut conn, tenant_id).await?;
    let first_of_contract = contract.is_some() && !ever_paid;
    let placement = place(
        current.as_ref(),
        invoice.purpose,
        first_of_contract,
        (created_on, tenant.trial_ends_on),
        paid_on,
        invoice.months,
    );
    // Paid during the trial: the chain is anchored at the trial's start, not at the payment.
    let start = educenter_domain::billing::trial_start(created_on, tenant.trial_ends_on);
    let from_trial = current.is_none()
        && first_of_contract
        && placement.chain().anchor == start
        && paid_on != start;
    Ok((placement.period(), from_trial))
}

/// Where a school stands in its chain: the contract in force, whether anything was ever paid,
/// and the contract's latest period.
struct Standing {
    contract: Option<tenancy::Contract>,
    ever_paid: bool,
    current: Option<StoredPeriod>,
}

async fn standing(conn: &mut Conn, tenant_id: &TenantId) -> Result<Standing, ServiceError> {
    let contract = tenancy::contract_in_force(conn, tenant_id).await?;
    let all_periods = store::periods(conn, tenant_id).await?;
    let ever_paid = !all_periods.is_empty();
    let current = contract.as_ref().and_then(|c| {
        all_periods
            .into_iter()
            .filter(|p| p.contract_id == c.id)
            .max_by(|a, b| a.to_on.cmp(&b.to_on))
    });
    Ok(Standing {
        contract,
        ever_paid,
        current,
    })
}

/// Places the paid period of a fully paid licence invoice in the ledger (A-5, A-7, R-4.5b,
/// ), starting a new contract where the delay ended the old one, and records an
/// acceptance by payment where the school has none (R-2.2c).
pub(crate) async fn activate(
    tx: &mut Conn,
    invoice: &Invoice,
    paid_on: Date,
    now: Timestamp,
) -> Result<(), ServiceError> {
    let tenant_id = &invoice.tenant_id;
    if invoice.purpose == InvoicePurpose::Service {
        // Paying a quote's invoice accepts the quote; no licence time is bought.
        if store::accept_quote(tx, tenant_id, &invoice.id).await? {
            let entry = Entry::new(Actor::System, "quote.accepted_by_payment")
                .tenant(tenant_id.clone())
                .target("invoice", invoice.id.clone())
                .details(json!({ "number": invoice.number, "paid_on": paid_on.to_string() }));
            audit::record(tx, &entry, now).await?;
        }
        return Ok(());
    }
    let tenant = tenancy::get_in(tx, tenant_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-school")))?;
    if tenant.purged_at.is_some() {
        // After the purge nothing can be restored: the money waits on the balance for the
        // operator to refund or use (R-4.4b).
        store::add_credit(
            tx,
            tenant_id,
            Money::new(invoice.paid_minor, invoice.currency),
            "paid_after_purge",
            Some(&invoice.id),
            None,
            now,
        )
        .await?;
        return Ok(());
    }
    // Paid while the data is kept: nothing will be purged (R-4.4b).
    if tenant.purge_on.is_some() {
        tenancy::set_purge(tx, tenant_id, None).await?;
    }
    let created_on = local_date(tenant.created_at);
    let trial_ends_on = tenant.trial_ends_on;
    let Standing {
        contract,
        ever_paid,
        current,
    } = standing(tx, tenant_id).await?;
    // What the school pays for is the price of the period: the licence line, before credits.
    let lines = store::lines(tx, tenant_id, &invoice.id).await?;
    let period_price = money::saturating_sum(
        lines
            .iter()
            .filter(|l| matches!(l.kind, LineKind::Licence | LineKind::Discount))
            .map(|l| l.amount_minor),
    );
    if let (Some(old), InvoicePurpose::PlanChange) = (&current, invoice.purpose) {
        if invoice.excess_credit_minor > 0 {
            store::add_credit(
                tx,
                tenant_id,
                Money::new(invoice.excess_credit_minor, invoice.currency),
                "plan_change_credit",
                Some(&invoice.id),
                None,
                now,
            )
            .await?;
        }
        // The old period closes on the payment day; the new plan runs from the day after.
        if old.to_on > paid_on {
            let credited = money::saturating_sum(
                lines
                    .iter()
                    .filter(|l| l.kind == LineKind::ProrationCredit)
                    .map(|l| l.amount_minor.saturating_neg()),
            );
            store::close_period(tx, tenant_id, &old.invoice_id, paid_on, credited).await?;
        }
    }
    let placement = place(
        current.as_ref(),
        invoice.purpose,
        contract.is_some() && !ever_paid,
        (created_on, trial_ends_on),
        paid_on,
        invoice.months,
    );
    // The acceptance and a new contract are dated by the receipt (value) date of the money,
    // not the moment it was keyed in (R-2.2c, R-5.6).
    let received_at = educenter_domain::clock::dated(paid_on, now);
    let offer_version = match tenancy::accepted_version(tx, tenant_id).await? {
        Some(v) => v,
        None => {
            // A first full payment with no acceptance accepts the offer in force (R-2.2c).
            let current = educenter_store::offers::current(tx, received_at)
                .await?
                .ok_or_else(|| ServiceError::Internal("no offer is published".into()))?;
            tenancy::accept(
                tx,
                &NewAcceptance {
                    tenant_id,
                    user_id: None,
                    offer_version: current.number,
                    method: educenter_domain::tenancy::AcceptanceMethod::Payment,
                    ip: None,
                    user_agent: None,
                },
                received_at,
            )
            .await?;
            current.number
        }
    };
    let contract_id = match (&placement, &contract) {
        (Placement::NewContract { .. }, old) | (_, old @ None) => {
            if let Some(old) = old {
                // The new contract starts at the money's receipt; the old one ends there too,
                // so that the two never overlap.
                let ends_at = received_at.min(now);
                store::lapse_contract(tx, tenant_id, &old.id, ends_at, EndReason::LatePayment)
                    .await?;
                let entry = Entry::new(Actor::System, "contract.end")
                    .tenant(tenant_id.clone())
                    .target("contract", old.id.clone())
                    .details(json!({ "reason": "late_payment" }));
                audit::record(tx, &entry, now).await?;
            }
            let id = tenancy::start_contract(tx, tenant_id, offer_version, received_at).await?;
            let entry = Entry::new(Actor::System, "contract.start")
                .tenant(tenant_id.clone())
                .target("contract", id.clone())
                .details(json!({ "invoice": invoice.number }));
            audit::record(tx, &entry, now).await?;
            id
        }
        (_, Some(c)) => c.id.clone(),
    };
    let period = placement.period();
    let chain = placement.chain();
    store::insert_period(
        tx,
        tenant_id,
        &StoredPeriod {
            contract_id,
            invoice_id: invoice.id.clone(),
            plan_code: invoice.plan_code.clone(),
            from_on: period.from,
            to_on: period.to,
            anchor_on: chain.anchor,
            chain_months: chain.months,
            paid: Money::new(period_price, invoice.currency),
        },
        now,
    )
    .await?;
    if invoice.extra_storage_bytes > 0 {
        store::add_storage_grant(
            tx,
            tenant_id,
            &invoice.id,
            invoice.extra_storage_bytes,
            period.from,
            period.to,
        )
        .await?;
    }
    let entry = Entry::new(Actor::System, "licence.period")
        .tenant(tenant_id.clone())
        .target("invoice", invoice.id.clone())
        .details(json!({
            "from": period.from.to_string(),
            "to": period.to.to_string(),
            "plan": invoice.plan_code,
        }));
    audit::record(tx, &entry, now).await?;
    refresh(tx, tenant_id, now).await
}

/// The facts the licence state depends on, read in the caller's transaction.
pub(crate) struct Facts {
    pub(crate) facts: LicenceFacts,
    pub(crate) periods: Vec<StoredPeriod>,
    pub(crate) open_due: Option<Date>,
    pub(crate) notice_ends: Option<Date>,
    pub(crate) contract: Option<tenancy::Contract>,
    pub(crate) open: Option<Invoice>,
    /// (warning's last day, purge day) of a school that lapsed or refused.
    pub(crate) purge: Option<(Date, Date)>,
    /// The school's owner, the addressee of its billing e-mails.
    pub(crate) owner: Option<educenter_store::accounts::User>,
}

impl Facts {
    pub(crate) fn next_event(&self, today: Date) -> Option<Date> {
        educenter_domain::billing::next_event(
            &self.facts,
            self.open_due,
            self.notice_ends,
            self.purge,
            today,
        )
    }

    /// The last period of the contract in force.
    pub(crate) fn current_period(&self) -> Option<&StoredPeriod> {
        let c = self.contract.as_ref()?;
        self.periods
            .iter()
            .filter(|p| p.contract_id == c.id)
            .max_by(|a, b| a.to_on.cmp(&b.to_on))
    }
}

pub(crate) async fn facts(
    conn: &mut Conn,
    tenant: &tenancy::Tenant,
    today: Date,
) -> Result<Facts, ServiceError> {
    let mut read = store::school_facts(conn, None, &[&tenant.id], today).await?;
    facts_of(tenant, read.remove(tenant.id.as_str()).unwrap_or_default())
}

/// The facts of a school from what was read of it (alone or with its page of schools).
pub(crate) fn facts_of(
    tenant: &tenancy::Tenant,
    read: store::SchoolFacts,
) -> Result<Facts, ServiceError> {
    let store::SchoolFacts {
        contract,
        last_end_reason,
        periods,
        pending_notice: notice,
        open_invoice: open,
        owner,
    } = read;
    let paid_through = contract.as_ref().and_then(|c| {
        periods
            .iter()
            .filter(|p| p.contract_id == c.id)
            .map(|p| p.to_on)
            .max()
    });
    let facts = LicenceFacts {
        trial_ends_on: tenant.trial_ends_on,
        application_deadline: tenant.application_deadline,
        paid_through,
        // An invoice past its due date no longer holds the school in trial_expired.
        open_licence_invoice: open
            .as_ref()
            .is_some_and(|i| i.status == InvoiceStatus::Issued),
        notice_pending: notice.is_some(),
        ended: match &contract {
            Some(_) => None,
            None => Some(Ending::of_reason(last_end_reason)),
        },
        purged: tenant.purged_at.is_some(),
    };
    Ok(Facts {
        facts,
        periods,
        open_due: open.as_ref().map(|i| i.due_on),
        notice_ends: notice.map(|n| n.effective_on),
        contract,
        open,
        purge: tenant.purge_warning_on.zip(tenant.purge_on),
        owner,
    })
}

/// Brings the stored state to the state on `today`; a change is audited. Returns the state.
pub(crate) async fn refresh_state(
    conn: &mut Conn,
    tenant_id: &TenantId,
    today: Date,
    now: Timestamp,
) -> Result<LicenceState, ServiceError> {
    let tenant = tenancy::get_in(conn, tenant_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-school")))?;
    let f = facts(conn, &tenant, today).await?;
    let mut writes = store::Writes::default();
    let (state, _) = refresh_state_with(conn, &mut writes, None, &tenant, &f, today, now).await?;
    writes.flush(conn, now).await?;
    Ok(state)
}

/// [`refresh_state`] with the school and its facts already read, its writes added to `writes`
/// (the caller flushes them); also says whether the contract lapsed just now.
pub(crate) async fn refresh_state_with(
    conn: &mut Conn,
    writes: &mut store::Writes,
    cal: Option<&educenter_domain::calendar::BusinessCalendar>,
    tenant: &tenancy::Tenant,
    f: &Facts,
    today: Date,
    now: Timestamp,
) -> Result<(LicenceState, bool), ServiceError> {
    let tenant_id = &tenant.id;
    let state = state_on(&f.facts, today);
    let mut lapsed = false;
    if tenant.state != state {
        writes.set_state(tenant_id, state);
        writes.audit(
            Entry::new(Actor::System, "licence.state")
                .tenant(tenant_id.to_owned())
                .details(json!({ "from": tenant.state.as_str(), "to": state.as_str() })),
        );
        // Every change of state is e-mailed to the owner (SPEC 3.0), once.
        let lang = owner_lang(tenant);
        let i18n = crate::i18n::catalogs();
        let args = [
            ("state", i18n.t(lang, &format!("state-{}", state.as_str()))),
            (
                "text",
                i18n.t(lang, &format!("state-{}-text", state.as_str())),
            ),
        ];
        let mail = f
            .owner
            .as_ref()
            .map(|o| owner_mail(tenant, o, "state", &args));
        let key = format!("{}:{today}", state.as_str());
        writes.mail_once(tenant_id, "state", &key, mail);
        // Lapsed or terminated: the data is kept 60 days from today, the owner warned 10
        // business days before the purge (R-4.4a, R-8.2, A-14), unless a refusal or a
        // termination for breach already set the day.
        if matches!(state, LicenceState::Lapsed | LicenceState::Terminated)
            && tenant.purge_on.is_none()
            && tenant.purged_at.is_none()
        {
            // The calendar as the caller read it, or read now (a single school's refresh).
            let read;
            let cal = match cal {
                Some(cal) => cal,
                None => {
                    read = educenter_store::calendar::load_in(conn).await?;
                    &read
                }
            };
            let dates = educenter_domain::offers::refusal_dates(cal, today);
            crate::calendar::note_gaps(conn, cal, today, dates.purge_on, now).await?;
            writes.set_purge(tenant_id, dates.purge_on, dates.warning_by.date);
        }
        if state == LicenceState::Lapsed
            && let Some(c) = &f.contract
        {
            let reason = if f.facts.paid_through.is_some() {
                EndReason::LatePayment
            } else {
                EndReason::NoApplication
            };
            writes.lapse_contract(tenant_id, &c.id, reason);
            writes.audit(
                Entry::new(Actor::System, "contract.end")
                    .tenant(tenant_id.to_owned())
                    .target("contract", c.id.clone())
                    .details(json!({ "reason": reason })),
            );
            lapsed = true;
        }
    }
    Ok((state, lapsed))
}

/// Records the next day the daily run has something to do for a school.
pub(crate) async fn schedule_next(
    conn: &mut Conn,
    tenant_id: &TenantId,
    today: Date,
) -> Result<(), ServiceError> {
    let Some(tenant) = tenancy::get_in(conn, tenant_id).await? else {
        return Ok(());
    };
    let f = facts(conn, &tenant, today).await?;
    store::set_billing_due(conn, tenant_id, f.next_event(today)).await?;
    Ok(())
}

/// Brings a school's recorded state up to date now, after something outside billing changed
/// its contract (a notice filed, withdrawn or taking effect, a refusal).
pub async fn refresh(
    conn: &mut Conn,
    tenant_id: &TenantId,
    now: Timestamp,
) -> Result<(), ServiceError> {
    refresh_state(conn, tenant_id, local_date(now), now).await?;
    schedule_next(conn, tenant_id, local_date(now)).await
}

/// The licence as `GET /api/v1/license` shows it.
#[derive(Debug, Clone)]
pub struct Licence {
    pub state: LicenceState,
    pub blocked: Option<BlockReason>,
    pub plan: Option<Plan>,
    pub trial_ends_on: Date,
    pub application_deadline: Date,
    pub paid_through: Option<Date>,
    pub contract: Option<tenancy::Contract>,
    /// The paid periods of the contract in force, oldest first.
    pub periods: Vec<PaidPeriod>,
    pub credit: Vec<Money>,
    pub usage: Usage,
    /// Extra storage bought for the period in force, on top of the plan's.
    pub extra_storage_bytes: i64,
    /// The limits in force (the paid plan's, or the trial's) without the extra storage.
    pub limits: Limits,
    /// When the data of a lapsed or refused school will be purged (R-4.4a).
    pub purge_on: Option<Date>,
}

/// A paid period of the licence as the school reads it.
#[derive(Debug, Clone)]
pub struct PaidPeriod {
    pub from: Date,
    pub to: Date,
    pub plan: String,
    pub invoice_number: String,
}

/// The school's licence today (any of its people).
pub async fn licence(services: &Services, who: &Principal) -> Result<Licence, ServiceError> {
    let tenant_id = who
        .tenant_id
        .clone()
        .ok_or_else(|| ServiceError::Forbidden(Msg::new("err-school-only")))?;
    licence_of(services, tenant_id).await
}

/// A school's licence today, for whoever the caller has let see it.
pub(crate) async fn licence_of(
    services: &Services,
    tenant_id: TenantId,
) -> Result<Licence, ServiceError> {
    let today = local_date(services.clock.now());
    let mut conn = services.db.conn().await?;
    let tenant = tenancy::get_in(&mut conn, &tenant_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-school")))?;
    let Facts { facts, periods, .. } = facts(&mut conn, &tenant, today).await?;
    let contract = tenancy::contract_in_force(&mut conn, &tenant_id).await?;
    let blocked = educenter_store::blocks::in_force(&mut conn, &tenant_id)
        .await?
        .into_iter()
        .next()
        .map(|b| b.reason);
    let mut numbers = BTreeMap::new();
    for inv in store::invoices(&mut conn, &tenant_id).await? {
        numbers.insert(inv.id, inv.number);
    }
    let in_contract: Vec<&StoredPeriod> = periods
        .iter()
        .filter(|p| contract.as_ref().is_some_and(|c| c.id == p.contract_id))
        .collect();
    let plan = match in_contract.last() {
        Some(p) => store::plan(&mut conn, &p.plan_code).await?,
        None => None,
    };
    let mut credit = Vec::new();
    for &c in Currency::ALL {
        let balance = store::credit_balance(&mut conn, &tenant_id, c).await?;
        if balance != 0 {
            credit.push(Money::new(balance, c));
        }
    }
    Ok(Licence {
        state: state_on(&facts, today),
        blocked,
        plan,
        trial_ends_on: tenant.trial_ends_on,
        application_deadline: tenant.application_deadline,
        paid_through: facts.paid_through,
        periods: in_contract
            .iter()
            .map(|p| PaidPeriod {
                from: p.from_on,
                to: p.to_on,
                plan: p.plan_code.clone(),
                invoice_number: numbers.get(&p.invoice_id).cloned().unwrap_or_default(),
            })
            .collect(),
        contract,
        credit,
        usage: usage_of(&mut conn, &tenant_id).await?,
        limits: limits_of(&mut conn, &tenant_id).await?.1,
        extra_storage_bytes: store::storage_granted(&mut conn, &tenant_id, today).await?,
        purge_on: tenant.purge_on.filter(|_| tenant.purged_at.is_none()),
    })
}
