//! Money that arrived without an invoice to match it to: the billing officer
//! records it as a receipt, and the back office shows it with its grant deadline, the receipt
//! date plus 3 business days. The nightly run alerts the operator 1 business day before an
//! unmet deadline, and matching it to an invoice records the payment with the original
//! receipt date, so the licence period follows the day the money came, not the day it was
//! matched.

use educenter_domain::billing::PaymentChannel;
use educenter_domain::roles::OperatorRole;
use educenter_domain::{
    billing::grant_deadline, calendar::BusinessCalendar, clock::local_date, roles::OperatorAction,
};
use educenter_store::page::{Page, PageRequest};
use educenter_store::{
    Conn,
    audit::{self, Actor, Entry, Origin},
    billing::{self as store, Payment},
    calendar, new_id,
    receipts::{self, Receipt},
};
use jiff::{Timestamp, civil::Date};
use serde_json::json;

use crate::Msg;
use crate::{
    ServiceError, Services,
    access::Principal,
    access::require_operator,
    billing::{payments::Transfer, payments::check_money, payments::pay_by_transfer},
};

/// A receipt as the billing officer enters it from the bank statement.
#[derive(Debug, Clone)]
pub struct NewReceipt {
    pub reference: String,
    pub amount_minor: i64,
    pub currency: String,
    pub received_on: String,
    /// Who paid, as the statement names them (name, BIN or IIN).
    pub payer: String,
    /// The payment purpose as the statement gives it.
    pub purpose: String,
}

fn check_text(field: &str, value: &str, max: usize, errors: &mut Vec<(String, Msg)>) {
    if let Some(m) = Msg::text_error(value, 0, max, false) {
        errors.push((field.into(), m));
    }
}

/// Records a receipt (billing officer): 201 for a new one; the same reference twice answers
/// with the first. A reference already recorded as a payment is refused.
pub async fn record(
    services: &Services,
    who: &Principal,
    r: NewReceipt,
    origin: Origin,
) -> Result<(Receipt, bool), ServiceError> {
    require_operator(who, OperatorAction::ManageBilling)?;
    who.require_write()?;
    let now = services.clock.now();
    let mut errors = Vec::new();
    check_text("payer", &r.payer, 200, &mut errors);
    check_text("purpose", &r.purpose, 500, &mut errors);
    let checked = check_money(
        &r.reference,
        r.amount_minor,
        &r.currency,
        &r.received_on,
        local_date(now),
    );
    let Transfer {
        reference,
        amount,
        received_on,
    } = match checked {
        Ok(ok) if errors.is_empty() => ok,
        Ok(_) => return Err(ServiceError::Invalid(errors)),
        Err(ServiceError::Invalid(mut more)) => {
            more.append(&mut errors);
            return Err(ServiceError::Invalid(more));
        }
        Err(e) => return Err(e),
    };
    let cal = calendar::load(&services.db).await?;
    let mut tx = services.db.begin().await?;
    if let Some(first) = receipts::by_reference(&mut tx, &reference).await? {
        return Ok((first, false));
    }
    if let Some(p) =
        store::payment_by_reference(&mut tx, PaymentChannel::BankTransfer, &reference).await?
    {
        return Err(ServiceError::Conflict(
            Msg::new("err-reference-paid")
                .text("reference", p.reference.clone())
                .text("date", p.received_on.to_string()),
        ));
    }
    let receipt = Receipt {
        id: new_id(),
        reference,
        amount,
        received_on,
        grant_deadline: grant_deadline(&cal, received_on),
        payer: r.payer.trim().to_owned(),
        purpose: r.purpose.trim().to_owned(),
        recorded_at: now,
        payment_id: None,
        matched_at: None,
        alerted_at: None,
    };
    receipts::insert(&mut tx, &receipt, Some(&who.user_id)).await?;
    crate::calendar::note_gaps(
        &mut tx,
        &cal,
        received_on,
        grant_deadline(&cal, received_on),
        now,
    )
    .await?;
    let entry = who
        .audit("receipt.record")
        .target("receipt", receipt.id.clone())
        .origin(origin)
        .details(json!({
            "reference": receipt.reference,
            "amount_minor": receipt.amount.minor,
            "currency": receipt.amount.currency,
            "received_on": receipt.received_on,
            "payer": receipt.payer,
        }));
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok((receipt, true))
}

/// Receipts for the back office: unmatched first by deadline; `open_only` hides matched ones.
pub async fn list(
    services: &Services,
    who: &Principal,
    open_only: bool,
) -> Result<Vec<Receipt>, ServiceError> {
    require_operator(who, OperatorAction::ManageBilling)?;
    let mut conn = services.db.conn().await?;
    Ok(receipts::list(&mut conn, open_only, 500).await?)
}

/// A page of the receipts, the unmatched ones first by grant deadline (billing officer).
pub async fn list_page(
    services: &Services,
    who: &Principal,
    open_only: bool,
    req: &PageRequest,
) -> Result<Page<Receipt>, ServiceError> {
    require_operator(who, OperatorAction::ManageBilling)?;
    let mut conn = services.db.conn().await?;
    Ok(receipts::list_page(&mut conn, open_only, req).await?)
}

/// Matches a receipt to an invoice: the payment is recorded with the receipt's reference,
/// amount and date, and allocated as a transfer would be.
pub async fn match_to_invoice(
    services: &Services,
    who: &Principal,
    id: &str,
    invoice_number: &str,
    origin: Origin,
) -> Result<Payment, ServiceError> {
    require_operator(who, OperatorAction::ManageBilling)?;
    who.require_write()?;
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let Some(receipt) = receipts::by_id(&mut tx, id).await? else {
        return Err(ServiceError::NotFound(Msg::new("err-no-receipt")));
    };
    let invoice = store::invoice_by_number(&mut tx, invoice_number.trim())
        .await?
        .ok_or_else(|| {
            ServiceError::NotFound(
                Msg::new("err-no-invoice-number").text("number", invoice_number.trim()),
            )
        })?;
    store::lock_tenant(&mut tx, &invoice.tenant_id).await?;
    if receipt.payment_id.is_some() {
        return Err(ServiceError::Conflict(
            Msg::new("err-receipt-matched").text("reference", receipt.reference.clone()),
        ));
    }
    let invoice = store::invoice_by_id(&mut tx, &invoice.id)
        .await?
        .ok_or_else(|| {
            ServiceError::NotFound(
                Msg::new("err-no-invoice-number").text("number", invoice_number.trim()),
            )
        })?;
    let money = Transfer {
        reference: receipt.reference.clone(),
        amount: receipt.amount,
        received_on: receipt.received_on,
    };
    let payment = pay_by_transfer(&mut tx, who, &invoice, &money, now, origin.clone()).await?;
    if !receipts::mark_matched(&mut tx, &receipt.id, &payment.id, now).await? {
        return Err(ServiceError::Conflict(
            Msg::new("err-receipt-matched").text("reference", receipt.reference.clone()),
        ));
    }
    let entry = who
        .audit("receipt.match")
        .tenant(invoice.tenant_id.clone())
        .target("receipt", receipt.id.clone())
        .origin(origin)
        .details(json!({ "invoice": invoice.number, "payment": payment.id }));
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(payment)
}

/// The nightly check: an unmatched receipt whose deadline is at most one business day away
/// (or already passed) alerts the operator's super-admins and billing officers, once.
pub(crate) async fn check_deadlines(
    tx: &mut Conn,
    cal: &BusinessCalendar,
    today: Date,
    now: Timestamp,
) -> Result<usize, ServiceError> {
    let by = cal.add_business_days(today, 1).date;
    let due = receipts::due_for_alert(tx, by).await?;
    if due.is_empty() {
        return Ok(0);
    }
    let i18n = crate::i18n::catalogs();
    let to = store::operator_emails(tx, &[OperatorRole::SuperAdmin, OperatorRole::Billing]).await?;
    for r in &due {
        let mut args = fluent_bundle::FluentArgs::new();
        args.set("reference", r.reference.clone());
        args.set(
            "amount",
            crate::i18n::format_money_of(crate::i18n::Lang::Ru, r.amount),
        );
        let date = |d: Date| crate::i18n::format_date(crate::i18n::Lang::Ru, d);
        args.set("received", date(r.received_on));
        args.set("deadline", date(r.grant_deadline));
        args.set("payer", r.payer.clone());
        for address in &to {
            let mail = educenter_store::outbox::NewMail {
                to: address.clone(),
                subject: i18n.t_args(crate::i18n::Lang::Ru, "mail-receipt-alert-subject", &args),
                text: i18n.t_args(crate::i18n::Lang::Ru, "mail-receipt-alert-body", &args),
                html: None,
                class: educenter_store::outbox::MailClass::Transactional,
            };
            educenter_store::outbox::queue(tx, &mail, now).await?;
        }
        tracing::warn!(
            reference = %r.reference,
            deadline = %r.grant_deadline,
            "money received is still unmatched one business day before its grant deadline"
        );
        let entry = Entry::new(Actor::System, "receipt.alert")
            .target("receipt", r.id.clone())
            .details(json!({ "deadline": r.grant_deadline }));
        audit::record(tx, &entry, now).await?;
        receipts::mark_alerted(tx, &r.id, now).await?;
    }
    Ok(due.len())
}
