//! The nightly billing run (`billing.daily` at 00:00 Asia/Almaty): state changes, renewal invoices, price changes coming into force, reminders; safe to run twice.

use educenter_domain::ids::{InvoiceId, TenantId};
use educenter_domain::roles::OperatorRole;
use std::collections::{HashMap, HashSet};

use crate::{
    ServiceError, billing::invoices::IssueAs, billing::invoices::Known, billing::invoices::Order,
    billing::invoices::issue, billing::invoices::issue_known, billing::invoices::void,
    billing::licence, billing::licence::Facts, billing::licence::refresh_state_with, jobs::Job,
    jobs::JobContext, jobs::JobRegistry, notify::mail_owner, notify::owner_lang,
    notify::owner_mail,
};
use educenter_domain::{
    billing::{Currency, InvoicePurpose},
    clock::local_date,
    money::Money,
};
use educenter_store::{
    Conn, audit, audit::Actor, audit::Entry, billing as store, billing::Invoice, calendar, tenancy,
};
use jiff::{Timestamp, civil::Date};
use serde_json::json;

pub fn register(registry: &mut JobRegistry) {
    if let Ok(midnight) = educenter_domain::schedule::Schedule::daily_at(0, 0) {
        registry.every::<BillingNight>(midnight);
    }
}

/// Price changes that take effect today: unpaid invoices of the plan already past due are
/// voided and reissued at the new price, with a new number and due date, and the owner is told
/// money paid against a voided invoice goes to the credit balance, which the reissue
/// uses first. Invoices not yet due keep their price.
pub(crate) async fn apply_price_changes(
    tx: &mut Conn,
    night: &Night,
) -> Result<usize, ServiceError> {
    let (cal, today, now) = (&night.cal, night.today, night.now);
    let mut reissued = 0;
    for change in store::changes_to_apply(tx, today).await? {
        // The currencies and terms this change reprices.
        let changed: Vec<(Currency, i64)> = store::price_versions(tx, &change.plan_code)
            .await?
            .into_iter()
            .filter(|p| {
                p.effective_from == change.effective_from && p.decided_on == change.decided_on
            })
            .map(|p| (p.amount.currency, p.months))
            .collect();
        for old in store::past_due_of_plan(tx, &change.plan_code, change.effective_from).await? {
            if !changed.contains(&(old.currency, old.months)) {
                continue;
            }
            let Some(tenant) = tenancy::get_in(tx, &old.tenant_id).await? else {
                continue;
            };
            void(tx, &old, "price_change", None, now).await?;
            let Some((plan, currency, price)) =
                night.offer(&old.plan_code, old.currency, old.months)
            else {
                continue;
            };
            let issue_as = match old.purpose {
                InvoicePurpose::Renewal => IssueAs::Renewal,
                InvoicePurpose::PlanChange => IssueAs::Application,
                _ => IssueAs::NewContract,
            };
            let view = issue(
                tx,
                cal,
                &tenant,
                &Order::licence(plan, old.months, Money::new(price, currency), issue_as),
                now,
            )
            .await?;
            let entry = Entry::new(Actor::System, "invoice.issue")
                .tenant(tenant.id.clone())
                .target("invoice", view.invoice.id.clone())
                .details(json!({ "number": view.invoice.number, "replaces": old.number, "reason": "price_change" }));
            audit::record(tx, &entry, now).await?;
            let lang = owner_lang(&tenant);
            mail_owner(
                tx,
                &tenant,
                "repriced",
                &[
                    ("old", old.number.clone()),
                    ("number", view.invoice.number.clone()),
                    (
                        "amount",
                        crate::i18n::format_money(
                            lang,
                            view.invoice.total_minor,
                            view.invoice.currency.as_str(),
                        ),
                    ),
                    ("due", crate::i18n::format_date(lang, view.invoice.due_on)),
                ],
                now,
            )
            .await?;
            store::billing_due_now(tx, &tenant.id).await?;
            reissued += 1;
        }
        store::mark_change_applied(tx, &change.id, now).await?;
    }
    Ok(reissued)
}

/// On decided_on + 5, a price change with a notice still unsent alerts the operator's
/// super-admins and billing officers (R-5.8a), once: early enough to tell those licensees
/// another way before the 5 days are over.
pub(crate) async fn check_price_notices(
    tx: &mut Conn,
    today: Date,
    now: Timestamp,
) -> Result<usize, ServiceError> {
    let cutoff = today.saturating_sub(jiff::Span::new().days(5)).to_string();
    let mut alerts = 0;
    for (change, unsent) in store::changes_to_check(tx, &cutoff).await? {
        if unsent > 0 {
            let i18n = crate::i18n::catalogs();
            let mut args = fluent_bundle::FluentArgs::new();
            args.set("plan", change.plan_code.clone());
            args.set("decided", change.decided_on.to_string());
            args.set("unsent", unsent);
            for to in store::operator_emails(tx, &[OperatorRole::SuperAdmin, OperatorRole::Billing])
                .await?
            {
                let mail = educenter_store::outbox::NewMail {
                    to,
                    subject: i18n.t_args(crate::i18n::Lang::Ru, "mail-price-alert-subject", &args),
                    text: i18n.t_args(crate::i18n::Lang::Ru, "mail-price-alert-body", &args),
                    html: None,
                    class: educenter_store::outbox::MailClass::Transactional,
                };
                educenter_store::outbox::queue(tx, &mail, now).await?;
            }
            tracing::error!(
                plan = %change.plan_code,
                decided_on = %change.decided_on,
                unsent,
                "price-change notices still unsent 5 days after the decision"
            );
            let entry = Entry::new(Actor::System, "price_change.alert")
                .target("price_change", change.id.clone())
                .details(json!({ "plan": change.plan_code, "unsent": unsent }));
            audit::record(tx, &entry, now).await?;
            alerts += 1;
        }
        store::mark_change_checked(tx, &change.id, now).await?;
    }
    Ok(alerts)
}

/// What the nightly run reads once for all schools: the calendar, and the plans and prices in
/// force on the day (price changes coming into force were applied before the schools' days).
pub(crate) struct Night {
    pub(crate) cal: educenter_domain::calendar::BusinessCalendar,
    pub(crate) today: Date,
    pub(crate) now: Timestamp,
    plans: Vec<store::Plan>,
    prices: Vec<store::Price>,
}

impl Night {
    async fn read(
        db: &educenter_store::Db,
        cal: educenter_domain::calendar::BusinessCalendar,
        now: Timestamp,
    ) -> Result<Self, ServiceError> {
        let today = local_date(now);
        let mut conn = db.conn().await?;
        let prices = store::prices_in_force(&mut conn, today).await?;
        Ok(Self {
            cal,
            today,
            now,
            plans: store::plans(db).await?,
            prices,
        })
    }

    /// The plan and its price in force today for `months` in `currency` (none: not sold so).
    fn offer(
        &self,
        plan: &str,
        currency: Currency,
        months: i64,
    ) -> Option<(&store::Plan, Currency, i64)> {
        let plan = self.plans.iter().find(|p| p.code == plan)?;
        let price = self.prices.iter().find(|p| {
            p.plan_code == plan.code && p.amount.currency == currency && p.months == months
        })?;
        Some((plan, currency, price.amount.minor))
    }
}

/// When a school's billing day comes next, as its day ended.
pub(crate) enum Next {
    /// From the facts read before the day: nothing today changed them.
    On(Option<Date>),
    /// Today's work changed the facts (a renewal and its due date, a lapse): read them anew.
    ReadAnew,
}

/// The paid period whose renewal may come due today: the school has a contract, no open
/// licence invoice, and its period ends within 10 days. The page reads for these schools'
/// renewals beforehand; [`day_notes`] keeps those whose contract did not lapse today.
fn renewal_may_be_due(f: &Facts, today: Date) -> Option<&store::StoredPeriod> {
    let last = f.current_period()?;
    (f.open.is_none() && educenter_domain::billing::renewal_due(last.to_on, today)).then_some(last)
}

/// What the first part of a school's day found: whether its state changed, whether its
/// contract lapsed, and the notices its second part needs claimed (each claimed once, so a day
/// run twice issues nothing twice).
pub(crate) struct Day {
    changed: bool,
    lapsed: bool,
    /// The renewal's notice key (the last paid day L) when its invoice comes due today.
    renewal: Option<String>,
    /// The late renewal's invoice id when, 7 days late, a new contract's invoice replaces it.
    reissue: Option<String>,
    /// The months of the renewal's term (the last paid period's), read before the second part.
    months: Option<i64>,
    /// The renewal invoice's number, taken with the other renewals of the page.
    number: Option<String>,
}

impl Day {
    /// The notices this day's second part needs, as `billing_notices` keys them.
    fn claims(&self, tenant_id: &TenantId) -> Vec<Claim> {
        let claim =
            |kind: &str, key: &String| (tenant_id.to_string(), kind.to_owned(), key.clone());
        let renewal = self.renewal.iter().map(|l| claim("renewal", l));
        renewal
            .chain(self.reissue.iter().map(|i| claim("reissue", i)))
            .collect()
    }

    /// Keeps of the second part only what was claimed now (a notice claimed on an earlier run
    /// of the day was acted on then).
    fn keep_claimed(&mut self, tenant_id: &TenantId, claimed: &HashSet<Claim>) {
        let was = |kind: &str, key: &mut Option<String>| {
            if let Some(k) = key.take() {
                let claim = (tenant_id.to_string(), kind.to_owned(), k);
                if claimed.contains(&claim) {
                    *key = Some(claim.2);
                }
            }
        };
        was("renewal", &mut self.renewal);
        was("reissue", &mut self.reissue);
    }
}

/// A billing notice: (school, kind, key), as `billing_notices` keys it.
type Claim = (String, String, String);

/// Claims these notices now: those claimed by this call (the others were before).
async fn claim_all(
    tx: &mut Conn,
    claims: &[Claim],
    now: Timestamp,
) -> Result<HashSet<Claim>, ServiceError> {
    Ok(store::claim_notices(tx, claims, now)
        .await?
        .into_iter()
        .collect())
}

/// The first part of one school's day, which only adds to `writes` (and notes a year missing
/// from the calendar): its state brought to today (and the owner told of a change), the
/// reminders of an open renewal on its due date, at L and at L + 3, and the warning before a
/// purge. Nothing in it reads what another school's day writes, so a page's first parts are
/// written together before their second parts ([`day_actions`]) run.
pub(crate) async fn day_notes(
    tx: &mut Conn,
    writes: &mut store::Writes,
    night: &Night,
    tenant: &tenancy::Tenant,
    f: &Facts,
) -> Result<Day, ServiceError> {
    let (cal, today, now) = (&night.cal, night.today, night.now);
    let tenant_id = &tenant.id;
    let (state, lapsed) = refresh_state_with(tx, writes, Some(cal), tenant, f, today, now).await?;
    let mut day = Day {
        changed: state != tenant.state,
        lapsed,
        renewal: None,
        reissue: None,
        months: None,
        number: None,
    };
    let lang = owner_lang(tenant);
    let contract = if lapsed { None } else { f.contract.as_ref() };
    let open = f.open.as_ref();
    // The renewal that may come due is the one the page read for, while the contract holds.
    day.renewal = renewal_may_be_due(f, today)
        .filter(|_| contract.is_some())
        .map(|last| last.to_on.to_string());
    if contract.is_some()
        && let Some(last) = f.current_period()
    {
        let l = last.to_on;
        if let Some(inv) = open.filter(|i| i.purpose == InvoicePurpose::Renewal) {
            let l3 = l.saturating_add(jiff::Span::new().days(3));
            if today == inv.due_on || today == l || today == l3 {
                let args = [
                    ("number", inv.number.clone()),
                    ("amount", money(lang, inv)),
                    ("due", crate::i18n::format_date(lang, inv.due_on)),
                    ("last_day", crate::i18n::format_date(lang, l)),
                ];
                let mail = f
                    .owner
                    .as_ref()
                    .map(|o| owner_mail(tenant, o, "reminder", &args));
                writes.mail_once(
                    tenant_id,
                    "reminder",
                    &format!("{}:{today}", inv.number),
                    mail,
                );
            }
        }
    }
    // Data retention (R-4.4a, R-8.2, A-14): the purge day set when the school lapsed or its
    // contract was terminated (`refresh_state_with`, a refusal, a termination for breach); the
    // warning 10 business days ahead; the purge itself is the second part's.
    if let Some((warning, purge_on)) = f.purge.filter(|_| tenant.purged_at.is_none())
        && today >= warning
        && today < purge_on
    {
        let args = [("purge", crate::i18n::format_date(lang, purge_on))];
        let mail = f
            .owner
            .as_ref()
            .map(|o| owner_mail(tenant, o, "purge-warning", &args));
        writes.mail_once(tenant_id, "purge_warning", &purge_on.to_string(), mail);
    }
    if contract.is_none()
        && let Some(inv) = open.filter(|i| i.purpose == InvoicePurpose::Renewal)
    {
        day.reissue = Some(inv.id.to_string());
    }
    Ok(day)
}

/// An invoice's total in the owner's language.
fn money(lang: crate::i18n::Lang, i: &Invoice) -> String {
    crate::i18n::format_money(lang, i.total_minor, i.currency.as_str())
}

/// The months of the renewal's term, for a day whose renewal notice was claimed: those of the
/// last paid period's invoice (1 when it is gone), as the page read them, or read here in the
/// careful pass of a page that failed (`school_alone`), which reads nothing beforehand.
async fn renewal_months(
    tx: &mut Conn,
    reads: Option<&store::RenewalReads>,
    tenant_id: &TenantId,
    f: &Facts,
    day: &Day,
) -> Result<Option<i64>, ServiceError> {
    let Some(last) = f.current_period().filter(|_| day.renewal.is_some()) else {
        return Ok(None);
    };
    Ok(Some(match reads.filter(|r| r.asked.contains(tenant_id)) {
        Some(r) => r.months.get(last.invoice_id.as_str()).copied().unwrap_or(1),
        None => store::invoice(tx, tenant_id, &last.invoice_id)
            .await?
            .map_or(1, |i| i.months),
    }))
}

/// The renewal invoice a day issues, once its notice is claimed and its term's months read
/// ([`renewal_months`]): the last paid period's plan and term at today's price; none when that
/// plan or term is no longer sold. The page takes a number for each day this answers for, and
/// each of those days issues with it, from the same `Day`.
fn renewal_offer<'n>(
    night: &'n Night,
    f: &Facts,
    day: &Day,
) -> Option<(&'n store::Plan, Currency, i64, i64)> {
    day.renewal.as_ref()?;
    let last = f.current_period()?;
    let months = day.months?;
    let (plan, currency, price) = night.offer(&last.plan_code, last.paid.currency, months)?;
    Some((plan, currency, price, months))
}

/// The second part of one school's day, once the first parts of its page are written and the
/// day's notices claimed ([`Day::keep_claimed`]): the renewal invoice 10 days before L, the purge,
/// a plan change's invoice voided past its due date, and, 7 days late, the renewal voided and
/// a new contract's invoice issued. Returns when to look next.
pub(crate) async fn day_actions(
    tx: &mut Conn,
    writes: &mut store::Writes,
    night: &Night,
    tenant: &tenancy::Tenant,
    f: Facts,
    day: &Day,
    reads: Option<&store::RenewalReads>,
) -> Result<Next, ServiceError> {
    // What the page read already for this school's renewal, if it asked.
    let reads = reads.filter(|r| r.asked.contains(&tenant.id));
    let (cal, today, now) = (&night.cal, night.today, night.now);
    let tenant_id = &tenant.id;
    // Whether anything today changed the facts, so the next day to look must be read anew.
    let mut acted = day.lapsed;
    let lang = owner_lang(tenant);
    let owner = f.owner.as_ref();
    // A message to the owner (a school without one gets none).
    let mail = |key: &str, args: &[(&'static str, String)], writes: &mut store::Writes| {
        if let Some(owner) = owner {
            writes.mail(owner_mail(tenant, owner, key, args));
        }
    };
    let date = |d: Date| crate::i18n::format_date(lang, d);
    if let Some((plan, currency, price, months)) = renewal_offer(night, &f, day) {
        acted = true;
        // What the day wrote so far goes first: issuing may read it back (a credit that pays
        // the invoice activates the licence at once).
        writes.flush(tx, now).await?;
        let known = reads
            .and_then(|r| {
                let credit = r.credit.get(&(tenant.id.clone(), currency));
                Some((
                    r.supplier.as_ref()?,
                    r.address.get(tenant_id.as_str())?,
                    credit,
                ))
            })
            .map(|(supplier, address, credit)| Known {
                supplier,
                owner_email: owner.map(|o| o.email.as_str()),
                address,
                credit: credit.copied().unwrap_or(0),
                writes: &mut *writes,
            });
        let order = Order::licence(plan, months, Money::new(price, currency), IssueAs::Renewal);
        let number = day.number.clone();
        let view = issue_known(tx, cal, tenant, &order, known, number, now).await?;
        let entry = Entry::new(Actor::System, "invoice.issue")
            .tenant(tenant_id.to_owned())
            .target("invoice", view.invoice.id.clone())
            .details(json!({ "number": view.invoice.number, "purpose": "renewal" }));
        writes.audit(entry);
        mail(
            "invoice",
            &[
                ("number", view.invoice.number.clone()),
                ("amount", money(lang, &view.invoice)),
                ("due", date(view.invoice.due_on)),
            ],
            writes,
        );
    }
    if let Some((_, purge_on)) = f.purge.filter(|_| tenant.purged_at.is_none())
        && today >= purge_on
    {
        // What the day wrote so far goes first, as the purge changes the school's state.
        writes.flush(tx, now).await?;
        crate::retention::purge(tx, tenant_id, &purge_on.to_string(), now).await?;
        mail(
            "purged",
            &[("purge", crate::i18n::format_date(lang, purge_on))],
            writes,
        );
        acted = true;
    }

    // A plan change's credit holds until its due date (R-4.5b, A-8): unpaid by then, the
    // invoice is void, so that a late payment never buys days with credit for days gone by.
    if let Some(inv) = f
        .open
        .as_ref()
        .filter(|i| i.purpose == InvoicePurpose::PlanChange)
        && today > inv.due_on
    {
        writes.flush(tx, now).await?;
        void(tx, inv, "plan_change_expired", None, now).await?;
        acted = true;
    }

    // 7 days late: the renewal is voided and a new contract's invoice takes its place.
    if day.reissue.is_some()
        && let Some(inv) = f.open.as_ref()
    {
        // Money already received against it is kept for the new invoice. The lapse was
        // written with the page's first parts: the new contract's invoice, paid by credit,
        // must not find the old contract in force.
        writes.flush(tx, now).await?;
        void(tx, inv, "late_payment", None, now).await?;
        acted = true;
        if let Some((plan, currency, price)) = night.offer(&inv.plan_code, inv.currency, inv.months)
        {
            let order = Order::licence(
                plan,
                inv.months,
                Money::new(price, currency),
                IssueAs::NewContract,
            );
            let view = issue(tx, cal, tenant, &order, now).await?;
            let entry = Entry::new(Actor::System, "invoice.issue")
                .tenant(tenant_id.to_owned())
                .target("invoice", view.invoice.id.clone())
                .details(json!({ "number": view.invoice.number, "replaces": inv.number }));
            writes.audit(entry);
            mail(
                "reissue",
                &[
                    ("old", inv.number.clone()),
                    ("number", view.invoice.number.clone()),
                    ("amount", money(lang, &view.invoice)),
                    ("due", date(view.invoice.due_on)),
                ],
                writes,
            );
        }
    }
    // The next day to look again: read anew when today's work changed the facts (a renewal and
    // its due date, a lapse), else from what was read.
    Ok(if acted {
        Next::ReadAnew
    } else {
        Next::On(f.next_event(today))
    })
}

/// At 00:00 every day: the daily billing run for that day.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct BillingNight {}

impl Job for BillingNight {
    const KIND: &'static str = "billing.daily";

    async fn run(self, ctx: JobContext) -> anyhow::Result<()> {
        let report = run_daily(&ctx.services.db, ctx.due_at).await?;
        tracing::info!(
            overdue = report.overdue,
            changed = report.changed,
            schools = report.schools,
            "daily billing run"
        );
        Ok(())
    }
}

/// What a daily run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DailyReport {
    pub schools: usize,
    pub overdue: u64,
    pub changed: usize,
    /// Invoices voided and reissued at a new price.
    pub reissued: usize,
    /// Price changes whose notices were still unsent after 5 days.
    pub alerts: usize,
    /// Unmatched receipts one business day before their grant deadline.
    pub receipt_alerts: usize,
    /// Schools whose day failed (logged; tried again the next night).
    pub failed: usize,
}

/// The daily billing run for the local day of `at`: invoices past due become overdue, price
/// changes come into force, then every school due is run ([`day_notes`], [`day_actions`]), a
/// page of schools per transaction with the page's facts read in a few queries, so memory stays
/// flat however many schools there are. Run twice for one day, the second run changes nothing.
pub async fn run_daily(db: &educenter_store::Db, at: Timestamp) -> anyhow::Result<DailyReport> {
    let today = local_date(at);
    // The prices in force today are the same before and after today's price changes are
    // applied (those only mark a change applied and reissue invoices at its prices).
    let night = Night::read(db, calendar::load(db).await?, at)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let cal = &night.cal;
    let mut tx = db.begin().await?;
    let overdue = store::mark_overdue(&mut tx, today).await?;
    let reissued = apply_price_changes(&mut tx, &night)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let alerts = check_price_notices(&mut tx, today, at)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        + crate::service_items::alert_unsent(&mut tx, today, at)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    let receipt_alerts = crate::receipts::check_deadlines(&mut tx, cal, today, at)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    tx.commit().await?;
    let mut after = String::new();
    let mut report = DailyReport {
        overdue,
        reissued,
        alerts,
        receipt_alerts,
        ..DailyReport::default()
    };
    loop {
        let rows = tenancy::billing_due_page(db, today, &after, 500).await?;
        let Some((last, _)) = rows.last() else { break };
        after = last.to_string();
        report.schools += rows.len();
        // A school whose row cannot be read is left for the next night, alone.
        let mut page = Vec::with_capacity(rows.len());
        for (id, row) in rows {
            match row {
                Ok(tenant) => page.push(tenant),
                Err(e) => {
                    tracing::error!(tenant = %id, error = %e, "a school's row cannot be read: its billing day is not run");
                    report.failed += 1;
                }
            }
        }
        // The page in one go; should a school fail, the page is run again school by school,
        // each in a savepoint, so that only the failing school is rolled back.
        let mut tx = db.begin().await?;
        let done = match run_page(&mut tx, db, &night, &page, false).await {
            Ok(done) => done,
            Err(e) => {
                tracing::warn!(error = %e, "a school of the page failed; the page runs again school by school");
                tx.rollback().await?;
                tx = db.begin().await?;
                run_page(&mut tx, db, &night, &page, true).await?
            }
        };
        tx.commit().await?;
        report.changed += done.changed;
        report.failed += done.failed;
    }
    Ok(report)
}

/// What a page of schools' days did.
#[derive(Default)]
struct PageDone {
    changed: usize,
    failed: usize,
}

/// The days of a page of schools in the caller's transaction, just begun (`Db::begin`), then
/// their next billing days. The page's facts are read before anything is written, so on SQLite
/// straight from the file (`store::billing::school_facts`); the first parts of the days are
/// written together, their notices claimed together and their renewals' numbers taken
/// together before the second parts run. With `savepoints`, a school that fails is rolled
/// back alone, logged, and tried again the next night (its billing day stays); without, the
/// first failure ends the page.
async fn run_page(
    tx: &mut Conn,
    db: &educenter_store::Db,
    night: &Night,
    page: &[tenancy::Tenant],
    savepoints: bool,
) -> anyhow::Result<PageDone> {
    let today = night.today;
    // Each school alone reads its own facts, so that a damaged row fails only its school.
    let mut read = if savepoints {
        HashMap::new()
    } else {
        let ids: Vec<&TenantId> = page.iter().map(|t| &t.id).collect();
        store::school_facts(tx, Some(db), &ids, today).await?
    };
    let mut done = PageDone::default();
    let mut next_days = Vec::with_capacity(page.len());
    let mut anew = Vec::new();
    let mut writes = store::Writes::default();
    if !savepoints {
        let mut days = Vec::with_capacity(page.len());
        for tenant in page {
            let read = read.remove(tenant.id.as_str()).unwrap_or_default();
            days.push((
                tenant,
                licence::facts_of(tenant, read).map_err(|e| anyhow::anyhow!("{e}"))?,
            ));
        }
        // What the renewals that may come due today read, for all of them at once.
        let due: Vec<(&TenantId, &InvoiceId)> = days
            .iter()
            .filter_map(|(t, f)| renewal_may_be_due(f, night.today).map(|p| (&t.id, &p.invoice_id)))
            .collect();
        let reads = store::RenewalReads::read(tx, Some(db), &due).await?;
        // The first parts of the days, written together; then the notices the second parts
        // need, claimed together; then the second parts.
        let mut begun = Vec::with_capacity(days.len());
        for (tenant, f) in days {
            let day = day_notes(tx, &mut writes, night, tenant, &f)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            done.changed += usize::from(day.changed);
            begun.push((tenant, f, day));
        }
        writes.flush(tx, night.now).await?;
        let claims: Vec<Claim> = begun.iter().flat_map(|(t, _, d)| d.claims(&t.id)).collect();
        let claimed = claim_all(tx, &claims, night.now).await?;
        for (tenant, _, day) in &mut begun {
            day.keep_claimed(&tenant.id, &claimed);
        }
        // The renewals' invoice numbers, taken together: each day counted here issues its
        // renewal with its number (the same `renewal_offer`), so the numbers have no gaps.
        let mut issuing = Vec::new();
        for (i, (tenant, f, day)) in begun.iter_mut().enumerate() {
            // Every school whose renewal comes due was asked for (`renewal_may_be_due` is the
            // wider condition), so this reads no more.
            debug_assert!(day.renewal.is_none() || reads.asked.contains(&tenant.id));
            day.months = renewal_months(tx, Some(&reads), &tenant.id, f, day)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            if renewal_offer(night, f, day).is_some() {
                issuing.push(i);
            }
        }
        let numbers = store::reserve_invoice_numbers(tx, night.today.year(), issuing.len()).await?;
        for (i, number) in issuing.into_iter().zip(numbers) {
            begun[i].2.number = Some(number);
        }
        for (tenant, f, day) in begun {
            let mut own = store::Writes::default();
            let next = day_actions(tx, &mut own, night, tenant, f, &day, Some(&reads))
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            writes.append(own);
            match next {
                Next::On(on) => next_days.push((tenant.id.clone(), on)),
                Next::ReadAnew => anew.push(&tenant.id),
            }
        }
    }
    for tenant in page.iter().filter(|_| savepoints) {
        // A school alone: its whole day, writes and next billing day inside its savepoint.
        let point = educenter_store::Savepoint::set(tx, "school").await?;
        match school_alone(tx, night, tenant).await {
            Ok((changed, on)) => {
                point.release(tx).await?;
                done.changed += usize::from(changed);
                next_days.push((tenant.id.clone(), on));
            }
            Err(e) => {
                point.rollback(tx).await?;
                tracing::error!(tenant = %tenant.id, error = %e, "the billing day of a school failed");
                done.failed += 1;
            }
        }
    }
    writes.flush(tx, night.now).await?;
    // The schools whose day changed their facts: read again, all at once.
    let mut read = store::school_facts(tx, None, &anew, today).await?;
    for tenant in store::tenants(tx, &anew).await? {
        let f = licence::facts_of(&tenant, read.remove(tenant.id.as_str()).unwrap_or_default())
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        next_days.push((tenant.id, f.next_event(night.today)));
    }
    store::set_billing_due_many(tx, &next_days).await?;
    Ok(done)
}

/// One school's day with its writes done and its next billing day worked out (the careful
/// pass of a page that failed): whether its state changed, and its next billing day.
async fn school_alone(
    tx: &mut Conn,
    night: &Night,
    tenant: &tenancy::Tenant,
) -> Result<(bool, Option<Date>), ServiceError> {
    let read = store::school_facts(tx, None, &[&tenant.id], night.today)
        .await?
        .remove(tenant.id.as_str())
        .unwrap_or_default();
    let f = licence::facts_of(tenant, read)?;
    let mut own = store::Writes::default();
    let mut day = day_notes(tx, &mut own, night, tenant, &f).await?;
    own.flush(tx, night.now).await?;
    let claimed = claim_all(tx, &day.claims(&tenant.id), night.now).await?;
    day.keep_claimed(&tenant.id, &claimed);
    day.months = renewal_months(tx, None, &tenant.id, &f, &day).await?;
    let next = day_actions(tx, &mut own, night, tenant, f, &day, None).await?;
    own.flush(tx, night.now).await?;
    let changed = day.changed;
    let on = match next {
        Next::On(on) => on,
        Next::ReadAnew => {
            let tenant = tenancy::get_in(tx, &tenant.id)
                .await?
                .ok_or_else(|| ServiceError::Internal("the school's row is gone".into()))?;
            licence::facts(tx, &tenant, night.today)
                .await?
                .next_event(night.today)
        }
    };
    Ok((changed, on))
}
