//! Online payments: a provider adapter with a signed callback, and the built-in
//! `sandbox` provider that plays a card gateway in development and tests. The callback is
//! `POST /api/v1/payments/callback/{provider}` with the raw JSON body signed by HMAC-SHA256 over
//! `{timestamp}.{body}` in the header `X-Signature: t=<unix seconds>,v1=<hex>`; it is refused
//! when the signature is wrong or the timestamp is more than 5 minutes away, deduplicated by the
//! provider's transaction id, and checked against the invoice's currency and open amount.

use educenter_domain::ids::InvoiceId;
use educenter_domain::{
    billing::{Currency, PaymentChannel},
    clock::local_date,
    money::Money,
    roles::TenantAction,
};
use educenter_store::{
    audit::{self, Actor, Entry},
    billing::{self as store, Payment},
    new_id, tenancy,
};
use hmac::{Hmac, KeyInit, Mac};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::Msg;
use crate::{ServiceError, Services, access::Principal};

/// How far a callback's timestamp may be from now.
pub const TOLERANCE_SECS: i64 = 300;

/// What a provider reports about a payment.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Callback {
    pub transaction_id: String,
    pub invoice_id: String,
    pub amount_minor: i64,
    pub currency: String,
    /// When the gateway captured the money: its local date is the receipt date.
    pub captured_at: Timestamp,
    /// `captured`; anything else is acknowledged and ignored.
    pub status: ReportStatus,
}

/// What a provider's report says happened to the payment: only a capture records one. Read
/// from the report's text: `captured`, or any other word (declined, pending, refunded, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", from = "String")]
pub enum ReportStatus {
    Captured,
    Other,
}

impl From<String> for ReportStatus {
    fn from(word: String) -> Self {
        match word.as_str() {
            "captured" => Self::Captured,
            _ => Self::Other,
        }
    }
}

/// The provider a callback's path names, with the secret it signs with.
fn provider_of<'a>(
    services: &'a Services,
    word: &str,
) -> Result<(PaymentChannel, &'a str), ServiceError> {
    match PaymentChannel::provider(word) {
        Some(PaymentChannel::Sandbox) => Ok((PaymentChannel::Sandbox, sandbox_secret(services)?)),
        _ => Err(ServiceError::NotFound(
            Msg::new("err-no-provider").text("provider", word),
        )),
    }
}

/// The secret the built-in sandbox provider signs with, when it is on.
fn sandbox_secret(services: &Services) -> Result<&str, ServiceError> {
    services
        .payment_sandbox_secret
        .as_deref()
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-sandbox-off")))
}

fn mac(secret: &str, message: &[u8]) -> Result<Hmac<Sha256>, ServiceError> {
    let mut m = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
    m.update(message);
    Ok(m)
}

/// The `X-Signature` value of a body at a moment.
pub fn sign(secret: &str, at: Timestamp, body: &[u8]) -> Result<String, ServiceError> {
    let t = at.as_second();
    let mut message = format!("{t}.").into_bytes();
    message.extend_from_slice(body);
    let m = mac(secret, &message)?;
    Ok(format!(
        "t={t},v1={}",
        hex::encode(m.finalize().into_bytes())
    ))
}

fn verify(secret: &str, header: &str, body: &[u8], now: Timestamp) -> Result<(), ServiceError> {
    let bad = || ServiceError::Unauthorized(Msg::new("err-callback-signature"));
    let mut t = None;
    let mut v1 = None;
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", v)) => t = v.parse::<i64>().ok(),
            Some(("v1", v)) => v1 = hex::decode(v).ok(),
            _ => {}
        }
    }
    let (Some(t), Some(v1)) = (t, v1) else {
        return Err(bad());
    };
    if now.as_second().abs_diff(t) > TOLERANCE_SECS.unsigned_abs() {
        return Err(ServiceError::Unauthorized(Msg::new("err-callback-time")));
    }
    let mut message = format!("{t}.").into_bytes();
    message.extend_from_slice(body);
    // Constant-time comparison.
    mac(secret, &message)?.verify_slice(&v1).map_err(|_| bad())
}

/// Handles a provider's callback: `Ok(None)` for a report that is not a capture (acknowledged,
/// nothing recorded), `Ok(Some((payment, created)))` otherwise; the same transaction twice
/// records one payment.
pub async fn callback(
    services: &Services,
    provider: &str,
    signature: Option<&str>,
    body: &[u8],
) -> Result<Option<(Payment, bool)>, ServiceError> {
    let (channel, secret) = provider_of(services, provider)?;
    let now = services.clock.now();
    verify(secret, signature.unwrap_or(""), body, now)?;
    let report: Callback = serde_json::from_slice(body).map_err(|e| {
        ServiceError::Invalid(vec![(
            "body".into(),
            Msg::new("err-json").text("why", e.to_string()),
        )])
    })?;
    if report.status != ReportStatus::Captured {
        return Ok(None);
    }
    // What a gateway reports is input like any other: ids of clean text (PostgreSQL refuses a
    // NUL), and an amount one payment may carry (issue 15, item 16).
    let mut errors = Vec::new();
    if let Some(m) = Msg::text_error(&report.transaction_id, 1, 100, false) {
        errors.push(("transaction_id".into(), m));
    }
    if let Some(m) = Msg::text_error(&report.invoice_id, 1, 100, false) {
        errors.push(("invoice_id".into(), m));
    }
    if !educenter_domain::money::is_line_amount(report.amount_minor) {
        errors.push(("amount_minor".into(), Msg::amount()));
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let mut tx = services.db.begin().await?;
    let found = store::invoice_by_id(&mut tx, &InvoiceId::new(&*report.invoice_id)).await?;
    // One payment of a school at a time (PostgreSQL; SQLite writes are serial anyway); then the
    // transaction and the invoice are read again under the lock.
    if let Some(i) = &found {
        store::lock_tenant(&mut tx, &i.tenant_id).await?;
    }
    if let Some(first) =
        store::payment_by_reference(&mut tx, channel, &report.transaction_id).await?
    {
        return Ok(Some((first, false)));
    }
    let invoice = match found {
        Some(i) => store::invoice_by_id(&mut tx, &i.id).await?,
        None => None,
    }
    .ok_or_else(|| {
        ServiceError::NotFound(
            Msg::new("err-no-invoice-number").text("number", report.invoice_id.clone()),
        )
    })?;
    let owed = invoice.total_minor.saturating_sub(invoice.paid_minor);
    let mut errors = Vec::new();
    let currency = Currency::parse(&report.currency).filter(|c| *c == invoice.currency);
    if currency.is_none() {
        errors.push((
            "currency".into(),
            Msg::new("err-invoice-currency").text("currency", invoice.currency.as_str()),
        ));
    }
    // Money captured for an invoice paid or voided meanwhile is kept: it goes to the credit
    // balance. For an open invoice the amount must be what is owed.
    if invoice.status.is_open() && report.amount_minor != owed {
        errors.push((
            "amount_minor".into(),
            Msg::new("err-open-amount").money("amount", Money::new(owed, invoice.currency)),
        ));
    }
    let (Some(currency), true) = (currency, errors.is_empty()) else {
        return Err(ServiceError::Invalid(errors));
    };
    let received_on = local_date(report.captured_at);
    let payment = Payment {
        id: new_id(),
        tenant_id: invoice.tenant_id.clone(),
        invoice_id: invoice.id.clone(),
        channel,
        reference: report.transaction_id.clone(),
        amount: Money::new(report.amount_minor, currency),
        received_on,
        recorded_at: now,
    };
    store::insert_payment(&mut tx, &payment, None).await?;
    let outcome =
        crate::billing::payments::allocate(&mut tx, &invoice, &payment, received_on, now).await?;
    let entry = Entry::new(Actor::System, "payment.online")
        .tenant(invoice.tenant_id.clone())
        .target("payment", payment.id.clone())
        .details(serde_json::json!({
            "provider": channel,
            "invoice": invoice.number,
            "amount_minor": report.amount_minor,
            "currency": report.currency,
            "captured_at": report.captured_at,
            "transaction_id": report.transaction_id,
            "outcome": outcome,
        }));
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(Some((payment, true)))
}

/// A payment to make at the sandbox provider: what its checkout page shows, signed so the page
/// cannot be talked into another amount.
#[derive(Debug, Clone)]
pub struct Checkout {
    pub invoice_id: String,
    pub number: String,
    pub amount_minor: i64,
    pub currency: Currency,
    pub token: String,
}

fn intent_token(
    secret: &str,
    invoice_id: &str,
    amount: i64,
    currency: &str,
) -> Result<String, ServiceError> {
    let m = mac(
        secret,
        format!("intent.{invoice_id}.{amount}.{currency}").as_bytes(),
    )?;
    Ok(hex::encode(m.finalize().into_bytes()))
}

/// Starts paying an open invoice online: for individuals; others pay by bank transfer.
pub async fn start_checkout(
    services: &Services,
    who: &Principal,
    invoice_id: &str,
) -> Result<Checkout, ServiceError> {
    who.require_write()?;
    let tenant_id = crate::access::require_tenant(who, TenantAction::ManageBilling)?.to_owned();
    let secret = sandbox_secret(services)?;
    let mut conn = services.db.conn().await?;
    let tenant = tenancy::get_in(&mut conn, &tenant_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-school")))?;
    let invoice = store::invoice(&mut conn, &tenant_id, &InvoiceId::new(invoice_id))
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-invoice")))?;
    if tenant.kind != educenter_domain::tenancy::LicenseeKind::Individual {
        return Err(ServiceError::Conflict(Msg::new("err-online-individuals")));
    }
    if invoice.status.is_closed() {
        return Err(ServiceError::Conflict(
            Msg::new("err-invoice-status")
                .text("number", invoice.number.clone())
                .key("status", format!("invoice-status-{}", invoice.status)),
        ));
    }
    let amount = invoice.total_minor.saturating_sub(invoice.paid_minor);
    Ok(Checkout {
        token: intent_token(secret, &invoice.id, amount, invoice.currency.as_str())?,
        invoice_id: invoice.id.to_string(),
        number: invoice.number,
        amount_minor: amount,
        currency: invoice.currency,
    })
}

/// The sandbox checkout page's check of the payment it was sent.
pub fn sandbox_intent_valid(
    services: &Services,
    invoice_id: &str,
    amount: i64,
    currency: &str,
    token: &str,
) -> bool {
    let Ok(secret) = sandbox_secret(services) else {
        return false;
    };
    intent_token(secret, invoice_id, amount, currency).is_ok_and(|t| {
        t.len() == token.len()
            && t.bytes()
                .zip(token.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    })
}

/// The sandbox provider's part: the card is "charged" and the provider calls back, signed,
/// exactly as a real gateway would; returns what the callback answered.
pub async fn sandbox_capture(
    services: &Services,
    invoice_id: &str,
    amount_minor: i64,
    currency: &str,
) -> Result<Option<(Payment, bool)>, ServiceError> {
    let secret = sandbox_secret(services)?.to_owned();
    let now = services.clock.now();
    let report = Callback {
        transaction_id: format!("sbx_{}", new_id()),
        invoice_id: invoice_id.to_owned(),
        amount_minor,
        currency: currency.to_owned(),
        captured_at: now,
        status: ReportStatus::Captured,
    };
    let body = serde_json::to_vec(&report).map_err(|e| ServiceError::Internal(e.to_string()))?;
    let signature = sign(&secret, now, &body)?;
    callback(
        services,
        PaymentChannel::Sandbox.as_str(),
        Some(&signature),
        &body,
    )
    .await
}
