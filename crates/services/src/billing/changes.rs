//! Plan changes and quotes: the operator's plan change for a school, quotes agreed by e-mail, and granted deadlines.

use crate::{
    Msg, ServiceError, Services, access::Principal, access::require_operator,
    billing::chain::current_period, billing::invoices::InvoiceView, billing::invoices::IssueAs,
    billing::invoices::Order, billing::invoices::invoice, billing::invoices::issue,
    billing::invoices::void, invalid, notify::mail_owner, notify::owner_lang,
};
use educenter_domain::ids::InvoiceId;
use educenter_domain::{
    billing::{Currency, InvoicePurpose, InvoiceStatus, LineKind},
    clock::local_date,
    money::{self, Money},
    roles::OperatorAction,
};
use educenter_store::{
    accounts, audit, audit::Origin, billing as store, billing::Invoice, billing::Line, calendar,
    new_id, tenancy,
};
use jiff::civil::Date;
use serde_json::json;

/// A quote as the billing officer records it from an e-mail agreement.
#[derive(Debug, Clone, Default)]
pub struct QuoteInput {
    /// The school's address.
    pub tenant: String,
    pub currency: String,
    /// (description, amount in minor units).
    pub items: Vec<(String, i64)>,
    pub email_reference: String,
}

/// Records a quote and issues its invoice (billing officer); paying it accepts the quote.
pub async fn create_quote(
    services: &Services,
    who: &Principal,
    input: QuoteInput,
    origin: Origin,
) -> Result<(String, InvoiceView), ServiceError> {
    require_operator(who, OperatorAction::ManageBilling)?;
    let now = services.clock.now();
    let today = local_date(now);
    let mut errors: Vec<(String, Msg)> = Vec::new();
    let currency = Currency::parse(&input.currency);
    if currency.is_none() {
        errors.push(("currency".into(), Msg::one_of_words::<Currency>()));
    }
    if input.items.is_empty() {
        errors.push(("items".into(), Msg::new("err-items-none")));
    }
    for (i, (description, amount)) in input.items.iter().enumerate() {
        if let Some(m) = Msg::text_error(description, 1, 300, false) {
            errors.push((format!("items[{i}].description"), m));
        }
        if !money::is_line_amount(*amount) {
            errors.push((format!("items[{i}].amount_minor"), Msg::amount()));
        }
    }
    // The lines together make one document: past its maximum it is refused, never wrapped.
    if money::document_total(input.items.iter().map(|(_, a)| *a)).is_none() {
        errors.push(("items".into(), Msg::document_total()));
    }
    let reference = input.email_reference.trim();
    if let Some(m) = Msg::text_error(reference, 1, 300, false) {
        errors.push(("email_reference".into(), m));
    }
    let cal = calendar::load(&services.db).await?;
    let mut tx = services.db.begin().await?;
    let tenant = tenancy::by_slug(&mut tx, input.tenant.trim()).await?;
    if tenant.is_none() {
        errors.push((
            "tenant".into(),
            Msg::new("err-no-school-at").text("slug", input.tenant.trim()),
        ));
    }
    if let (Some(t), Some(c)) = (&tenant, currency)
        && !c.allowed_for(t.resident)
    {
        errors.push(("currency".into(), Msg::new("err-resident-kzt")));
    }
    let (Some(tenant), Some(currency), true) = (tenant, currency, errors.is_empty()) else {
        return Err(ServiceError::Invalid(errors));
    };
    store::lock_tenant(&mut tx, &tenant.id).await?;
    let lines: Vec<Line> = input
        .items
        .iter()
        .map(|(d, a)| Line {
            kind: LineKind::Service,
            // The operator's own words, the same in every language.
            description: d.trim().to_owned(),
            description_kk: None,
            description_en: None,
            amount_minor: *a,
            service_code: None,
        })
        .collect();
    let total = money::document_total(lines.iter().map(|l| l.amount_minor))
        .ok_or_else(|| invalid("items", Msg::document_total()))?;
    let owner = accounts::owner_of(&mut tx, &tenant.id).await?;
    let due = educenter_domain::billing::due_on(&cal, today);
    crate::calendar::note_gaps(&mut tx, &cal, today, due.date, now).await?;
    let invoice = Invoice {
        id: InvoiceId::new(new_id()),
        tenant_id: tenant.id.clone(),
        number: store::next_invoice_number(&mut tx, today.year()).await?,
        purpose: InvoicePurpose::Service,
        plan_code: String::new(),
        months: 0,
        currency,
        total_minor: total,
        paid_minor: 0,
        excess_credit_minor: 0,
        extra_storage_bytes: 0,
        status: InvoiceStatus::Issued,
        issued_at: now,
        issued_on: today,
        due_on: due.date,
        due_on_provisional: due.provisional,
        paid_on: None,
        supplier: crate::requisites::supplier_snapshot(&mut tx).await?,
        customer: json!({
            "name": tenant.name,
            "kind": tenant.kind,
            "bin_iin": tenant.bin_iin,
            "resident": tenant.resident,
            "email": owner.as_ref().map(|u| u.email.clone()),
            "address": educenter_store::documents::tenant_settings(&mut tx, &tenant.id).await?.1,
        }),
    };
    store::create_invoice(&mut tx, &invoice, &lines).await?;
    let quote = store::create_quote(&mut tx, &tenant.id, &invoice.id, reference, now).await?;
    let lang = owner_lang(&tenant);
    mail_owner(
        &mut tx,
        &tenant,
        "invoice",
        &[
            ("number", invoice.number.clone()),
            (
                "amount",
                crate::i18n::format_money(lang, total, currency.as_str()),
            ),
            (
                "due",
                crate::i18n::format_date(lang, educenter_domain::billing::due_on(&cal, today).date),
            ),
        ],
        now,
    )
    .await?;
    let entry = who
        .audit("quote.create")
        .tenant(tenant.id.clone())
        .target("invoice", invoice.id.clone())
        .origin(origin)
        .details(json!({
            "quote": quote,
            "number": invoice.number,
            "total_minor": total,
            "currency": currency.as_str(),
            "email_reference": reference,
        }));
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    services.mailer.wake();
    Ok((quote, InvoiceView { invoice, lines }))
}

/// The status of the quote behind an invoice, if any (`issued`, `accepted_by_payment`).
pub async fn quote_status(
    services: &Services,
    who: &Principal,
    invoice_id: &str,
) -> Result<Option<educenter_domain::billing::QuoteStatus>, ServiceError> {
    let view = invoice(services, who, invoice_id).await?;
    let mut conn = services.db.conn().await?;
    Ok(store::quote_status(&mut conn, &view.invoice.id).await?)
}

/// The operator moves a school to another plan (billing officer, R-3.5.4): the same invoice a
/// plan change by the owner gives, with the credit of the unused days (R-4.5b), e-mailed.
pub async fn operator_plan_change(
    services: &Services,
    who: &Principal,
    tenant_id: &str,
    plan_code: &str,
    months: i64,
    origin: Origin,
) -> Result<InvoiceView, ServiceError> {
    let tenant_id = &require_operator(who, OperatorAction::ManageBilling)?.school(tenant_id);
    let now = services.clock.now();
    let today = local_date(now);
    let cal = calendar::load(&services.db).await?;
    let mut tx = services.db.begin().await?;
    store::lock_tenant(&mut tx, tenant_id).await?;
    let tenant = tenancy::get_in(&mut tx, tenant_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-tenant")))?;
    let contract = tenancy::contract_in_force(&mut tx, tenant_id)
        .await?
        .ok_or_else(|| ServiceError::Conflict(Msg::new("err-no-contract")))?;
    let current = current_period(&mut tx, tenant_id, &contract.id)
        .await?
        .ok_or_else(|| ServiceError::Conflict(Msg::new("err-no-paid-period")))?;
    let mut errors = Vec::new();
    let plan = store::plan(&mut tx, plan_code).await?;
    if plan.is_none() {
        errors.push(("plan".to_owned(), Msg::new("err-no-plan")));
    }
    if plan.as_ref().is_some_and(|p| p.code == current.plan_code) {
        errors.push(("plan".to_owned(), Msg::new("err-same-plan")));
    }
    let price = match &plan {
        Some(p) => store::prices_in_force(&mut tx, today)
            .await?
            .into_iter()
            .find(|x| {
                x.plan_code == p.code
                    && x.amount.currency == current.paid.currency
                    && x.months == months
            }),
        None => None,
    };
    if plan.is_some() && price.is_none() {
        errors.push((
            "months".to_owned(),
            Msg::new("err-plan-no-price")
                .num("months", months)
                .text("currency", current.paid.currency.as_str()),
        ));
    }
    let currency = current.paid.currency;
    let (Some(plan), Some(price), true) = (plan, price, errors.is_empty()) else {
        return Err(ServiceError::Invalid(errors));
    };
    if let Some(open) = store::open_licence_invoice(&mut tx, tenant_id).await? {
        if open.purpose != InvoicePurpose::Renewal || open.paid_minor > 0 {
            return Err(ServiceError::Conflict(
                Msg::new("err-invoice-open").text("number", open.number.clone()),
            ));
        }
        void(&mut tx, &open, "replaced_by_plan_change", Some(who), now).await?;
    }
    let price = Money::new(price.amount.minor, currency);
    let order = Order::licence(&plan, months, price, IssueAs::Application);
    let view = issue(&mut tx, &cal, &tenant, &order, now).await?;
    let lang = owner_lang(&tenant);
    mail_owner(
        &mut tx,
        &tenant,
        "invoice",
        &[
            ("number", view.invoice.number.clone()),
            (
                "amount",
                crate::i18n::format_money(
                    lang,
                    view.invoice.total_minor,
                    view.invoice.currency.as_str(),
                ),
            ),
            (
                "due",
                crate::i18n::format_date(lang, educenter_domain::billing::due_on(&cal, today).date),
            ),
        ],
        now,
    )
    .await?;
    let entry = who
        .audit("invoice.issue")
        .tenant(tenant_id.to_owned())
        .target("invoice", view.invoice.id.clone())
        .origin(origin)
        .details(json!({
            "number": view.invoice.number,
            "purpose": view.invoice.purpose,
            "plan": plan.code,
            "by": "operator",
        }));
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    services.mailer.wake();
    Ok(view)
}

/// When rights must be granted for a paid invoice: the receipt date + 3 business
/// days, end of day. Here a fully paid invoice activates at once, so the deadline is met as
/// soon as the money is recorded; the date tells the operator by when it must be.
pub async fn grant_deadline(
    services: &Services,
    invoice: &Invoice,
) -> Result<Option<Date>, ServiceError> {
    let Some(paid_on) = invoice.paid_on else {
        return Ok(None);
    };
    let cal = calendar::load(&services.db).await?;
    Ok(Some(cal.add_business_days(paid_on, 3).date))
}
