//! Applications and invoices: what a school asks for, the invoice issued for it, its lines in three languages, and voids.

use crate::{
    Msg, ServiceError, Services, access::Principal, access::require_operator,
    billing::chain::current_period, billing::licence::activate, invalid,
};
use educenter_domain::ids::{InvoiceId, TenantId};
use educenter_domain::{
    billing::Currency, billing::InvoicePurpose, billing::InvoiceStatus, billing::LineKind,
    billing::Period, billing::PromotionKind, billing::ServiceUnit, billing::TERMS,
    billing::proration_credit, clock::local_date, money, money::Money, roles::OperatorAction,
    roles::TenantAction,
};
use educenter_store::{
    Conn, accounts, audit, audit::Actor, audit::Entry, audit::Origin, billing as store,
    billing::Invoice, billing::Line, billing::Plan, calendar, new_id, page::Page,
    page::PageRequest, tenancy,
};
use jiff::Timestamp;
use serde_json::json;

/// What an application asks for.
#[derive(Debug, Clone, Default)]
pub struct Application {
    pub plan: String,
    pub months: i64,
    pub currency: String,
    pub services: Vec<(String, i64)>,
    pub promo_code: Option<String>,
}

/// An invoice with its lines.
#[derive(Debug, Clone)]
pub struct InvoiceView {
    pub invoice: Invoice,
    pub lines: Vec<Line>,
}

pub(crate) fn tenant_of(who: &Principal, action: TenantAction) -> Result<TenantId, ServiceError> {
    crate::access::require_tenant(who, action).cloned()
}

/// Files an application: one invoice for the plan and term in the currency, with a proration
/// credit when it changes the plan of a paid period and the credit balance used first.
pub async fn apply(
    services: &Services,
    who: &Principal,
    app: Application,
    origin: Origin,
) -> Result<InvoiceView, ServiceError> {
    apply_or_preview(services, who, app, origin, true).await
}

/// What [`apply`] would issue, computed the same way and then rolled back: the lines and total
/// a person confirms before applying (a plan change's credit shown first). Nothing is kept, not
/// even a number.
pub async fn preview(
    services: &Services,
    who: &Principal,
    app: Application,
    origin: Origin,
) -> Result<InvoiceView, ServiceError> {
    apply_or_preview(services, who, app, origin, false).await
}

pub(crate) async fn apply_or_preview(
    services: &Services,
    who: &Principal,
    app: Application,
    origin: Origin,
    keep: bool,
) -> Result<InvoiceView, ServiceError> {
    who.require_write()?;
    let tenant_id = tenant_of(who, TenantAction::ManageBilling)?;
    let now = services.clock.now();
    let today = local_date(now);
    let mut errors = Vec::new();
    let currency = Currency::parse(&app.currency);
    if currency.is_none() {
        errors.push(("currency".into(), Msg::one_of_words::<Currency>()));
    }
    if !TERMS.iter().any(|t| i64::from(*t) == app.months) {
        errors.push(("months".into(), Msg::new("err-months")));
    }

    let promo_code = app
        .promo_code
        .as_deref()
        .map(|c| c.trim().to_uppercase())
        .filter(|c| !c.is_empty());
    let cal = calendar::load(&services.db).await?;
    let mut tx = services.db.begin().await?;
    store::lock_tenant(&mut tx, &tenant_id).await?;
    let tenant = tenancy::get_in(&mut tx, &tenant_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-school")))?;
    if let Some(c) = currency
        && !c.allowed_for(tenant.resident)
    {
        errors.push(("currency".into(), Msg::new("err-resident-kzt")));
    }
    let plan = store::plan(&mut tx, &app.plan).await?;
    if plan.is_none() {
        errors.push(("plan".into(), Msg::new("err-no-plan")));
    }
    // Additional services from the catalogue at their list price; a price on request is agreed
    // by e-mail and invoiced through a quote instead.
    let catalogue = educenter_store::service_items::items(&mut tx, today).await?;
    let mut service_lines = Vec::new();
    for (i, (code, quantity)) in app.services.iter().enumerate() {
        let at = |f: &str| format!("services[{i}].{f}");
        let Some(item) = catalogue.iter().find(|s| s.code == *code) else {
            errors.push((at("code"), Msg::new("err-no-service").text("code", code)));
            continue;
        };
        if !(1..=10_000).contains(quantity) {
            errors.push((
                at("quantity"),
                Msg::new("err-range").num("min", 1).num("max", 10_000),
            ));
            continue;
        }
        if item.price_on_request {
            errors.push((
                at("code"),
                Msg::new("err-price-on-request").text("code", code),
            ));
            continue;
        }
        let Some(unit_price) = item.prices.iter().find(|p| Some(p.currency) == currency) else {
            errors.push((
                at("code"),
                Msg::new("err-service-no-price")
                    .text("code", code)
                    .text("currency", app.currency.clone()),
            ));
            continue;
        };
        // Extra storage is per GB per month, for the licence's term.
        let (units, storage_bytes) = if item.unit == ServiceUnit::GbMonth {
            (
                quantity.saturating_mul(app.months.max(1)),
                quantity.saturating_mul(educenter_domain::billing::BYTES_PER_GB),
            )
        } else {
            (*quantity, 0)
        };
        // One line is bounded like any amount entered: a price times a quantity past it is
        // refused, never wrapped.
        let Some(amount_minor) = money::line_amount(unit_price.minor, units) else {
            errors.push((at("quantity"), Msg::line_total()));
            continue;
        };
        service_lines.push(ServiceLine {
            code: item.code.clone(),
            words: Msg::new("line-service")
                .words("name", &item.name_ru, &item.name_kk, &item.name_en)
                .num("quantity", *quantity),
            amount_minor,
            storage_bytes,
        });
    }
    // A promotion applies when it runs today, covers the plan and, for a fixed amount, is in
    // the invoice's currency.
    let mut promo = None;
    if let Some(code) = &promo_code {
        let found = store::promotion(&mut tx, code).await?;
        match found {
            Some(p)
                if p.runs_on(today)
                    && (p.plans.is_empty() || p.plans.contains(&app.plan))
                    && (p.kind == PromotionKind::Percent || p.currency == currency) =>
            {
                promo = Some(p);
            }
            _ => errors.push((
                "promo_code".into(),
                Msg::new("err-promo-not-applicable").text("code", code),
            )),
        }
    }
    let price = match (&plan, currency, errors.is_empty()) {
        (Some(plan), Some(c), true) => store::prices_in_force(&mut tx, today)
            .await?
            .into_iter()
            .find(|p| p.plan_code == plan.code && p.amount.currency == c && p.months == app.months),
        _ => None,
    };
    let (Some(plan), Some(currency), Some(price), true) =
        (plan, currency, price.clone(), errors.is_empty())
    else {
        if errors.is_empty() {
            errors.push((
                "months".into(),
                Msg::new("err-plan-no-price")
                    .num("months", app.months)
                    .text("currency", app.currency.clone()),
            ));
        }
        return Err(ServiceError::Invalid(errors));
    };
    if let Some(open) = store::open_licence_invoice(&mut tx, &tenant_id).await? {
        // The renewal the system issued gives way to the licensee's own choice (another plan or
        // term) while nothing was paid against it; anything else must be paid first.
        if open.purpose != InvoicePurpose::Renewal || open.paid_minor > 0 {
            return Err(ServiceError::Conflict(
                Msg::new("err-invoice-open").text("number", open.number.clone()),
            ));
        }
        void(&mut tx, &open, "replaced_by_application", Some(who), now).await?;
    }

    let order = Order {
        discount: promo.as_ref(),
        services: &service_lines,
        ..Order::licence(
            &plan,
            app.months,
            Money::new(price.amount.minor, currency),
            IssueAs::Application,
        )
    };
    let view = issue(&mut tx, &cal, &tenant, &order, now).await?;
    let invoice = &view.invoice;
    let entry = who
        .audit("invoice.issue")
        .tenant(tenant_id.clone())
        .target("invoice", invoice.id.clone())
        .origin(origin)
        .details(json!({
            "number": invoice.number,
            "purpose": invoice.purpose,
            "plan": plan.code,
            "months": app.months,
            "total_minor": invoice.total_minor,
            "currency": currency.as_str(),
        }));
    audit::record(&mut tx, &entry, now).await?;
    if keep {
        tx.commit().await?;
    } else {
        tx.rollback().await?;
    }
    Ok(view)
}

/// Voids an invoice: what the credit balance paid on it and any money received go back to the
/// balance, and the void is audited.
pub(crate) async fn void(
    tx: &mut Conn,
    invoice: &Invoice,
    reason: &str,
    who: Option<&Principal>,
    now: Timestamp,
) -> Result<(), ServiceError> {
    let tenant_id = &invoice.tenant_id;
    store::void_invoice(tx, tenant_id, &invoice.id, now).await?;
    let from_balance = money::saturating_sum(
        store::lines(tx, tenant_id, &invoice.id)
            .await?
            .iter()
            .filter(|l| l.kind == LineKind::CreditBalance)
            .map(|l| l.amount_minor.saturating_neg()),
    );
    for (amount, why) in [
        (from_balance, "void_reversal"),
        (invoice.paid_minor, "voided_invoice"),
    ] {
        if amount > 0 {
            store::add_credit(
                tx,
                tenant_id,
                Money::new(amount, invoice.currency),
                why,
                Some(&invoice.id),
                None,
                now,
            )
            .await?;
        }
    }
    // A person's void names their API token too, when they used one.
    let entry = match who {
        Some(who) => who.audit("invoice.void"),
        None => Entry::new(Actor::System, "invoice.void"),
    }
    .tenant(tenant_id.clone())
    .target("invoice", invoice.id.clone())
    .details(json!({
        "number": invoice.number,
        "reason": reason,
        "returned_to_balance": money::add(from_balance.max(0), invoice.paid_minor),
    }));
    audit::record(tx, &entry, now).await?;
    Ok(())
}

/// An additional service on an invoice.
#[derive(Debug, Clone)]
pub struct ServiceLine {
    /// The service of the catalogue.
    pub code: String,
    /// The line's words.
    pub words: Msg,
    pub amount_minor: i64,
    /// Extra storage it grants for the paid period.
    pub storage_bytes: i64,
}

/// An invoice line with its words in the three languages.
pub(crate) fn line_of(
    kind: LineKind,
    words: &Msg,
    amount_minor: i64,
    service_code: Option<String>,
) -> Line {
    use crate::i18n::Lang;
    Line {
        kind,
        description: words.render(Lang::Ru),
        description_kk: Some(words.render(Lang::Kk)),
        description_en: Some(words.render(Lang::En)),
        amount_minor,
        service_code,
    }
}

/// Why an invoice is issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueAs {
    /// The licensee's application: a renewal, a plan change or a first purchase, told apart by
    /// the paid period in force.
    Application,
    /// The renewal the daily run issues 10 days before L.
    Renewal,
    /// A new contract after 7 days late.
    NewContract,
}

/// What a licence invoice is for: a plan for a number of months at a price, why it is issued,
/// and the promotion and additional services an application adds.
pub(crate) struct Order<'a> {
    pub plan: &'a Plan,
    pub months: i64,
    /// The plan's price for those months, in the invoice's currency.
    pub price: Money,
    pub issue_as: IssueAs,
    pub discount: Option<&'a store::Promotion>,
    pub services: &'a [ServiceLine],
}

impl<'a> Order<'a> {
    /// The licence alone: no promotion, no additional service.
    pub(crate) fn licence(plan: &'a Plan, months: i64, price: Money, issue_as: IssueAs) -> Self {
        Self {
            plan,
            months,
            price,
            issue_as,
            discount: None,
            services: &[],
        }
    }
}

/// What the caller has read already for an invoice to a school (the nightly run reads it for
/// a page of schools at once), so that [`issue_known`] does not read it again.
pub(crate) struct Known<'a> {
    /// The operator's requisites as the invoice keeps them.
    pub supplier: &'a serde_json::Value,
    /// The e-mail of the school's owner, when it has one.
    pub owner_email: Option<&'a str>,
    /// The school's address for documents.
    pub address: &'a str,
    /// The school's credit balance in the invoice's currency.
    pub credit: i64,
    /// Where an invoice with nothing paid on issue is written, with the rest of the page's
    /// writes (nothing in the page reads it back).
    pub writes: &'a mut store::Writes,
}

/// Issues a licence invoice in the caller's transaction: the licence line, a proration credit
/// for a plan change, the credit balance used, a gapless number, due in 3 business days; an
/// invoice the credit pays in full is paid at once. (With [`Known`], an invoice with nothing
/// paid on issue is handed to its `writes` rather than written: it exists once they are.)
pub(crate) async fn issue(
    tx: &mut Conn,
    cal: &educenter_domain::calendar::BusinessCalendar,
    tenant: &tenancy::Tenant,
    order: &Order<'_>,
    now: Timestamp,
) -> Result<InvoiceView, ServiceError> {
    issue_known(tx, cal, tenant, order, None, None, now).await
}

/// [`issue`], with what the caller has read already (`None`: read it here) and the number it
/// has taken for the invoice already (`None`: take the next one here).
pub(crate) async fn issue_known(
    tx: &mut Conn,
    cal: &educenter_domain::calendar::BusinessCalendar,
    tenant: &tenancy::Tenant,
    order: &Order<'_>,
    known: Option<Known<'_>>,
    number: Option<String>,
    now: Timestamp,
) -> Result<InvoiceView, ServiceError> {
    let Order {
        plan,
        months,
        price,
        issue_as,
        discount,
        services,
    } = *order;
    let (currency, amount_minor) = (price.currency, price.minor);
    let today = local_date(now);
    let tenant_id = tenant.id.clone();
    let mut lines = vec![line_of(
        LineKind::Licence,
        &Msg::new("line-licence")
            .words("plan", &plan.name_ru, &plan.name_kk, &plan.name_en)
            .num("months", months),
        amount_minor,
        None,
    )];
    if let Some(promo) = discount {
        let off = match promo.kind {
            PromotionKind::Percent => educenter_domain::billing::percent_of(
                amount_minor,
                u8::try_from(promo.value).unwrap_or(100),
            ),
            PromotionKind::Fixed => promo.value,
        }
        .min(amount_minor);
        if off > 0 {
            lines.push(line_of(
                LineKind::Discount,
                &Msg::new("line-discount").text("code", promo.code.clone()),
                -off,
                None,
            ));
        }
    }
    // What the period costs: the licence after its discount (credits are paid by other money).
    let amount_minor = money::saturating_sum(lines.iter().map(|l| l.amount_minor));
    // Additional services are lines of their own, never part of the plan price.
    let mut extra_storage_bytes = 0;
    for s in services {
        lines.push(line_of(
            LineKind::Service,
            &s.words,
            s.amount_minor,
            Some(s.code.clone()),
        ));
        extra_storage_bytes = money::add(extra_storage_bytes, s.storage_bytes);
    }
    let mut purpose = match issue_as {
        IssueAs::Application => InvoicePurpose::Licence,
        IssueAs::Renewal => InvoicePurpose::Renewal,
        IssueAs::NewContract => InvoicePurpose::Licence,
    };
    let mut excess_credit = 0;
    if issue_as == IssueAs::Application
        && let Some(contract) = tenancy::contract_in_force(tx, &tenant_id).await?
        && let Some(current) = current_period(tx, &tenant_id, &contract.id).await?
    {
        let (from, to) = (current.from_on, current.to_on);
        if current.plan_code != plan.code && from > today {
            // The renewal is paid already: the plan can change once that period has begun.
            return Err(ServiceError::Conflict(
                Msg::new("err-plan-change-later")
                    .date("from", from)
                    .date("to", to),
            ));
        }
        if current.plan_code == plan.code {
            purpose = InvoicePurpose::Renewal;
        } else if to >= today {
            if current.paid.currency != currency {
                return Err(invalid("currency", Msg::new("err-plan-change-currency")));
            }
            purpose = InvoicePurpose::PlanChange;
            let credit = proration_credit(current.paid.minor, Period { from, to }, today);
            // A credit above the new price goes to the credit balance when paid (R-4.5b).
            excess_credit = (credit - amount_minor).max(0);
            let credit = credit.min(amount_minor);
            if credit > 0 {
                lines.push(line_of(
                    LineKind::ProrationCredit,
                    &Msg::new("line-proration").date("from", from).date("to", to),
                    -credit,
                    None,
                ));
            }
        } else {
            purpose = InvoicePurpose::Renewal;
        }
    }
    // A document past its maximum is refused before anything is written (issue 15, item 16).
    let subtotal = money::document_total(lines.iter().map(|l| l.amount_minor))
        .ok_or_else(|| invalid("services", Msg::document_total()))?;
    let balance = match &known {
        Some(k) => k.credit,
        None => store::credit_balance(tx, &tenant_id, currency).await?,
    };
    let used = balance.min(subtotal).max(0);
    if used > 0 {
        lines.push(line_of(
            LineKind::CreditBalance,
            &Msg::new("line-credit"),
            -used,
            None,
        ));
    }
    // The credit used is at most the subtotal: the total stays within the document's bound.
    let total = subtotal - used;
    let number = match number {
        Some(number) => number,
        None => store::next_invoice_number(tx, today.year()).await?,
    };
    let due = educenter_domain::billing::due_on(cal, today);
    crate::calendar::note_gaps(tx, cal, today, due.date, now).await?;
    let owner_email = match &known {
        Some(k) => k.owner_email.map(str::to_owned),
        None => accounts::owner_of(tx, &tenant_id).await?.map(|u| u.email),
    };
    let (supplier, address) = match &known {
        Some(k) => (k.supplier.clone(), k.address.to_owned()),
        None => (
            crate::requisites::supplier_snapshot(&mut *tx).await?,
            educenter_store::documents::tenant_settings(&mut *tx, &tenant.id)
                .await?
                .1,
        ),
    };
    let mut invoice = Invoice {
        id: InvoiceId::new(new_id()),
        tenant_id: tenant_id.clone(),
        number,
        purpose,
        plan_code: plan.code.clone(),
        months,
        currency,
        total_minor: total,
        paid_minor: 0,
        excess_credit_minor: excess_credit,
        extra_storage_bytes,
        status: InvoiceStatus::Issued,
        issued_at: now,
        issued_on: today,
        due_on: due.date,
        due_on_provisional: due.provisional,
        paid_on: None,
        supplier,
        customer: json!({
            "name": tenant.name,
            "kind": tenant.kind,
            "bin_iin": tenant.bin_iin,
            "resident": tenant.resident,
            "email": owner_email,
            "address": address,
        }),
    };
    match known {
        Some(k) if used == 0 && total > 0 => k.writes.invoice(invoice.clone(), lines.clone()),
        _ => store::create_invoice(tx, &invoice, &lines).await?,
    }
    if used > 0 {
        store::add_credit(
            tx,
            &tenant_id,
            Money::new(-used, currency),
            "applied",
            Some(&invoice.id),
            None,
            now,
        )
        .await?;
    }
    if total == 0 {
        // The credit pays it all: paid on issue.
        store::add_paid(tx, &tenant_id, &invoice.id, 0, Some(today)).await?;
        invoice.status = InvoiceStatus::Paid;
        invoice.paid_on = Some(today);
        activate(tx, &invoice, today, now).await?;
    }
    Ok(InvoiceView { invoice, lines })
}

/// The school's invoices (owner, administrator, accountant).
pub async fn invoices(services: &Services, who: &Principal) -> Result<Vec<Invoice>, ServiceError> {
    let tenant_id = tenant_of(who, TenantAction::ManageBilling)?;
    let mut conn = services.db.conn().await?;
    Ok(store::invoices(&mut conn, &tenant_id).await?)
}

/// A page of the school's invoices, newest first.
pub async fn invoices_page(
    services: &Services,
    who: &Principal,
    req: &PageRequest,
) -> Result<Page<Invoice>, ServiceError> {
    let tenant_id = tenant_of(who, TenantAction::ManageBilling)?;
    let mut conn = services.db.conn().await?;
    Ok(store::invoices_page(&mut conn, &tenant_id, req).await?)
}

/// One invoice of the school with its lines; another school's id is not found.
pub async fn invoice(
    services: &Services,
    who: &Principal,
    id: &str,
) -> Result<InvoiceView, ServiceError> {
    let tenant_id = tenant_of(who, TenantAction::ManageBilling)?;
    let id = &InvoiceId::new(id);
    let mut conn = services.db.conn().await?;
    let invoice = store::invoice(&mut conn, &tenant_id, id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-invoice")))?;
    let lines = store::lines(&mut conn, &tenant_id, id).await?;
    Ok(InvoiceView { invoice, lines })
}

/// The newest invoices of every school, for the billing officer.
pub async fn operator_invoices(
    services: &Services,
    who: &Principal,
    status: Option<InvoiceStatus>,
) -> Result<Vec<store::InvoiceRow>, ServiceError> {
    require_operator(who, OperatorAction::ManageBilling)?;
    Ok(store::recent_invoices(&services.db, status, 200).await?)
}
