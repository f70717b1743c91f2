//! Money received: bank transfers and card payments placed on invoices, the credit balance, activation of paid periods, refunds.

use crate::{
    Msg, ServiceError, Services, access::Principal, access::require_operator,
    billing::invoices::void, billing::licence::activate, invalid,
};
use educenter_domain::{
    billing::Chain,
    billing::Currency,
    billing::InvoicePurpose,
    billing::InvoiceStatus,
    billing::LineKind,
    billing::PaymentChannel,
    clock::local_date,
    money,
    money::Money,
    roles::OperatorAction,
    tenancy::{ContractStatus, EndReason},
};
use educenter_store::{
    Conn, audit, audit::Actor, audit::Entry, audit::Origin, billing as store, billing::Invoice,
    billing::Payment, new_id, tenancy,
};
use jiff::{Timestamp, civil::Date};
use serde_json::json;

/// A bank transfer as the billing officer records it.
#[derive(Debug, Clone)]
pub struct BankTransfer {
    pub invoice_number: String,
    pub amount_minor: i64,
    pub currency: String,
    pub received_on: String,
    pub reference: String,
}

/// Records a bank transfer (billing officer, R-5.6): the same reference twice records one
/// payment (`created` false, the first returned). Partial payments add up; the completing one
/// marks the invoice paid on its value date and places the paid period; any excess goes to the
/// credit balance.
pub async fn record_transfer(
    services: &Services,
    who: &Principal,
    t: BankTransfer,
    origin: Origin,
) -> Result<(Payment, bool), ServiceError> {
    require_operator(who, OperatorAction::ManageBilling)?;
    let now = services.clock.now();
    let transfer = check_money(
        &t.reference,
        t.amount_minor,
        &t.currency,
        &t.received_on,
        local_date(now),
    )?;
    let reference = &transfer.reference;
    let mut tx = services.db.begin().await?;
    let found = store::invoice_by_number(&mut tx, t.invoice_number.trim()).await?;
    // One payment of a school at a time (PostgreSQL; SQLite writes are serial anyway); then
    // the reference and the invoice are read again under the lock.
    if let Some(i) = &found {
        store::lock_tenant(&mut tx, &i.tenant_id).await?;
    }
    if let Some(first) =
        store::payment_by_reference(&mut tx, PaymentChannel::BankTransfer, reference).await?
    {
        return Ok((first, false));
    }
    if let Some(r) = educenter_store::receipts::by_reference(&mut tx, reference).await? {
        return Err(ServiceError::Conflict(
            Msg::new("err-reference-receipt")
                .text("reference", r.reference.clone())
                .text("date", r.received_on.to_string()),
        ));
    }
    let invoice = match found {
        Some(i) => store::invoice_by_id(&mut tx, &i.id).await?,
        None => None,
    }
    .ok_or_else(|| {
        ServiceError::NotFound(
            Msg::new("err-no-invoice-number").text("number", t.invoice_number.trim()),
        )
    })?;
    let payment = pay_by_transfer(&mut tx, who, &invoice, &transfer, now, origin).await?;
    tx.commit().await?;
    Ok((payment, true))
}

/// Money seen on the bank account, checked: what a transfer and a receipt share.
pub(crate) struct Transfer {
    pub reference: String,
    pub amount: Money,
    pub received_on: Date,
}

/// Checks a bank reference, amount, currency and receipt date (not in the future); returns
/// them with the reference trimmed.
pub(crate) fn check_money(
    reference: &str,
    amount_minor: i64,
    currency: &str,
    received_on: &str,
    today: Date,
) -> Result<Transfer, ServiceError> {
    let mut errors = Vec::new();
    let reference = reference.trim().to_owned();
    if let Some(m) = Msg::text_error(&reference, 1, 100, false) {
        errors.push(("reference".into(), m));
    }
    if !money::is_line_amount(amount_minor) {
        errors.push(("amount_minor".into(), Msg::amount()));
    }
    let currency = Currency::parse(currency);
    if currency.is_none() {
        errors.push(("currency".into(), Msg::one_of_words::<Currency>()));
    }
    let received_on = match received_on.parse::<Date>() {
        Ok(d) if d > today => {
            errors.push(("received_on".into(), Msg::new("err-future")));
            None
        }
        Ok(d) => Some(d),
        Err(_) => {
            errors.push(("received_on".into(), Msg::date_format()));
            None
        }
    };
    match (received_on, currency, errors.is_empty()) {
        (Some(received_on), Some(currency), true) => Ok(Transfer {
            reference,
            amount: Money::new(amount_minor, currency),
            received_on,
        }),
        _ => Err(ServiceError::Invalid(errors)),
    }
}

/// Records money received by bank transfer against an invoice, allocates it and audits it,
/// in the caller's transaction (the school is locked by the caller).
pub(crate) async fn pay_by_transfer(
    tx: &mut Conn,
    who: &Principal,
    invoice: &Invoice,
    money: &Transfer,
    now: Timestamp,
    origin: Origin,
) -> Result<Payment, ServiceError> {
    if invoice.currency != money.amount.currency {
        return Err(invalid(
            "currency",
            Msg::new("err-invoice-currency").text("currency", invoice.currency.as_str()),
        ));
    }
    // Money for a void invoice is not refused: it goes to the credit balance.
    let payment = Payment {
        id: new_id(),
        tenant_id: invoice.tenant_id.clone(),
        invoice_id: invoice.id.clone(),
        channel: PaymentChannel::BankTransfer,
        reference: money.reference.clone(),
        amount: money.amount,
        received_on: money.received_on,
        recorded_at: now,
    };
    store::insert_payment(tx, &payment, Some(&who.user_id)).await?;
    let outcome = allocate(tx, invoice, &payment, money.received_on, now).await?;
    let entry = who
        .audit("payment.record")
        .tenant(invoice.tenant_id.clone())
        .target("payment", payment.id.clone())
        .origin(origin)
        .details(json!({
            "invoice": invoice.number,
            "amount_minor": money.amount.minor,
            "currency": money.amount.currency,
            "received_on": payment.received_on.to_string(),
            "reference": money.reference,
            "outcome": outcome,
        }));
    audit::record(tx, &entry, now).await?;
    Ok(payment)
}

/// Allocates a payment to its invoice: returns what happened (`partial`, `paid`, `credited`).
pub(crate) async fn allocate(
    tx: &mut Conn,
    invoice: &Invoice,
    payment: &Payment,
    received_on: Date,
    now: Timestamp,
) -> Result<&'static str, ServiceError> {
    let reopened = reopen_if_paid_in_time(tx, invoice, received_on, now).await?;
    let invoice = reopened.as_ref().unwrap_or(invoice);
    let tenant_id = &invoice.tenant_id;
    if invoice.status.is_closed() {
        store::add_credit(
            tx,
            tenant_id,
            payment.amount,
            "overpayment",
            Some(&invoice.id),
            Some(&payment.id),
            now,
        )
        .await?;
        return Ok("credited");
    }
    let owed = invoice.total_minor.saturating_sub(invoice.paid_minor);
    if payment.amount.minor < owed {
        store::add_paid(tx, tenant_id, &invoice.id, payment.amount.minor, None).await?;
        return Ok("partial");
    }
    let paid_on = received_on;
    store::add_paid(tx, tenant_id, &invoice.id, owed, Some(paid_on)).await?;
    let excess = payment.amount.minor - owed;
    if excess > 0 {
        store::add_credit(
            tx,
            tenant_id,
            Money::new(excess, payment.amount.currency),
            "overpayment",
            Some(&invoice.id),
            Some(&payment.id),
            now,
        )
        .await?;
    }
    let mut paid = invoice.clone();
    paid.status = InvoiceStatus::Paid;
    paid.paid_minor = invoice.total_minor;
    paid.paid_on = Some(paid_on);
    activate(tx, &paid, received_on, now).await?;
    Ok("paid")
}

/// Money for a renewal that was voided at L + 7 whose receipt date is before L + 7 arrived in
/// time (A-6, R-5.6: the value date counts, not the day it was keyed in or called back): the
/// contract that ended for late payment goes back in force, the new contract's invoice that
/// replaced the renewal is voided, and the renewal is open again, to be paid by this money.
/// Returns the renewal as it now stands, or `None` when nothing was reopened.
pub(crate) async fn reopen_if_paid_in_time(
    tx: &mut Conn,
    invoice: &Invoice,
    received_on: Date,
    now: Timestamp,
) -> Result<Option<Invoice>, ServiceError> {
    let tenant_id = &invoice.tenant_id;
    if invoice.status != InvoiceStatus::Void || invoice.purpose != InvoicePurpose::Renewal {
        return Ok(None);
    }
    let Some((contract_id, status, reason)) = store::latest_contract(tx, tenant_id).await? else {
        return Ok(None);
    };
    if status != ContractStatus::Ended || reason != Some(EndReason::LatePayment) {
        return Ok(None);
    }
    let Some(last) = store::periods(tx, tenant_id)
        .await?
        .into_iter()
        .filter(|p| p.contract_id == contract_id)
        .map(|p| p.to_on)
        .max()
    else {
        return Ok(None);
    };
    if educenter_domain::billing::days_between(last, received_on)
        >= educenter_domain::billing::LATE_DAYS
    {
        return Ok(None);
    }
    // Undo the late-payment day in the order it was done: the replacement first.
    for open in store::open_invoices(tx, tenant_id).await? {
        if open.id != invoice.id && open.purpose == InvoicePurpose::Licence && open.paid_minor == 0
        {
            void(tx, &open, "renewal_paid_in_time", None, now).await?;
        }
    }
    // Take back what voiding the renewal gave to the balance.
    let from_balance = money::saturating_sum(
        store::lines(tx, tenant_id, &invoice.id)
            .await?
            .iter()
            .filter(|l| l.kind == LineKind::CreditBalance)
            .map(|l| l.amount_minor.saturating_neg()),
    );
    let returned = money::add(from_balance.max(0), invoice.paid_minor);
    if returned > 0 {
        store::add_credit(
            tx,
            tenant_id,
            Money::new(-returned, invoice.currency),
            "unvoid",
            Some(&invoice.id),
            None,
            now,
        )
        .await?;
    }
    store::unvoid_invoice(tx, tenant_id, &invoice.id).await?;
    store::reopen_contract(tx, tenant_id, &contract_id).await?;
    tenancy::set_purge(tx, tenant_id, None).await?;
    let entry = Entry::new(Actor::System, "contract.reopen")
        .tenant(tenant_id.clone())
        .target("contract", contract_id)
        .details(json!({
            "invoice": invoice.number,
            "received_on": received_on.to_string(),
            "last_paid_day": last.to_string(),
        }));
    audit::record(tx, &entry, now).await?;
    Ok(store::invoice_by_id(tx, &invoice.id).await?)
}

/// A refund as the billing officer records it.
#[derive(Debug, Clone, Default)]
pub struct RefundInput {
    pub invoice_number: String,
    pub amount_minor: i64,
    pub reason: String,
    pub email_reference: String,
}

/// Records a refund (billing officer, R-5.7): only for a contract that ended before the period
/// the invoice paid for was over, and at most what was paid less the used time at the plan's
/// regular monthly price (whole months, then days pro rata), less earlier refunds; a larger
/// amount is refused with the cap in the error.
pub async fn refund(
    services: &Services,
    who: &Principal,
    input: RefundInput,
    origin: Origin,
) -> Result<store::Refund, ServiceError> {
    require_operator(who, OperatorAction::ManageBilling)?;
    let now = services.clock.now();
    let mut errors = Vec::new();
    for (field, value, multiline) in [
        ("reason", &input.reason, true),
        ("email_reference", &input.email_reference, false),
    ] {
        if let Some(m) = Msg::text_error(value, 1, 500, multiline) {
            errors.push((field.to_owned(), m));
        }
    }
    if !money::is_line_amount(input.amount_minor) {
        errors.push(("amount_minor".into(), Msg::amount()));
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let mut tx = services.db.begin().await?;
    let invoice = store::invoice_by_number(&mut tx, input.invoice_number.trim())
        .await?
        .ok_or_else(|| {
            ServiceError::NotFound(
                Msg::new("err-no-invoice-number").text("number", input.invoice_number.trim()),
            )
        })?;
    store::lock_tenant(&mut tx, &invoice.tenant_id).await?;
    let period = store::period_of_invoice(&mut tx, &invoice.tenant_id, &invoice.id)
        .await?
        .ok_or_else(|| ServiceError::Conflict(Msg::new("err-refund-no-period")))?;
    let ended = store::contract_end(&mut tx, &invoice.tenant_id, &period.contract_id).await?;
    let Some((_, Some(ended_at))) = ended.filter(|(status, _)| *status == ContractStatus::Ended)
    else {
        return Err(ServiceError::Conflict(Msg::new("err-refund-in-force")));
    };
    // The contract was in force through the day before its end instant.
    let last_day = local_date(ended_at - jiff::SignedDuration::from_secs(1));
    let to = period.to_on;
    if last_day >= to {
        return Err(ServiceError::Conflict(Msg::new("err-refund-nothing")));
    }
    let today = local_date(now);
    let monthly = store::prices_in_force(&mut tx, today)
        .await?
        .into_iter()
        .find(|p| {
            p.plan_code == period.plan_code
                && p.amount.currency == period.paid.currency
                && p.months == 1
        })
        .map(|p| p.amount.minor)
        .unwrap_or_else(|| period.paid.minor / invoice.months.max(1));
    let start = Chain {
        anchor: period.anchor_on,
        months: period.chain_months - invoice.months,
    };
    // Never more than the money received for it (credits stay credits, R-5.7).
    let cap = educenter_domain::billing::refund_cap(period.paid.minor, monthly, start, last_day)
        .min(invoice.paid_minor)
        .saturating_sub(store::refunded(&mut tx, &invoice.id).await?);
    let cap = cap.max(0);
    if input.amount_minor > cap {
        return Err(ServiceError::Invalid(vec![(
            "amount_minor".into(),
            Msg::new("err-refund-cap")
                .money("amount", Money::new(cap, invoice.currency))
                .text("number", invoice.number.clone()),
        )]));
    }
    let refund = store::Refund {
        id: new_id(),
        tenant_id: invoice.tenant_id.clone(),
        invoice_id: invoice.id.clone(),
        amount: Money::new(input.amount_minor, invoice.currency),
        reason: input.reason.trim().to_owned(),
        email_reference: input.email_reference.trim().to_owned(),
        created_at: now,
    };
    store::insert_refund(&mut tx, &refund, &who.user_id).await?;
    let entry = who
        .audit("refund.record")
        .tenant(invoice.tenant_id.clone())
        .target("invoice", invoice.id.clone())
        .origin(origin)
        .details(json!({
            "number": invoice.number,
            "amount_minor": refund.amount.minor,
            "cap_minor": cap,
            "reason": refund.reason,
            "email_reference": refund.email_reference,
        }));
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(refund)
}
