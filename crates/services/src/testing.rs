//! Test mode (`--test-mode`): moving the test clock with "advance and drain", and queueing a
//! message through the real outbox. Never reachable without `--test-mode`.

use std::sync::Arc;

use educenter_domain::clock::{Clock, ClockError, TestClock};
use educenter_store::{
    audit::{self, Actor, Entry, Origin},
    outbox::{self, NewMail},
};
use jiff::{Span, Timestamp};
use tokio::sync::Mutex;

use crate::Msg;
use crate::{ServiceError, Services, clock::Gate};

/// The movable clock, the lock that makes moves happen one at a time, and the gate that
/// holds this process's background loops still during a move.
pub struct TestControl {
    pub clock: Arc<TestClock>,
    moving: Mutex<()>,
    gate: Gate,
}

impl TestControl {
    pub fn new(clock: Arc<TestClock>, gate: Gate) -> Self {
        Self {
            clock,
            moving: Mutex::new(()),
            gate,
        }
    }
}

fn control(services: &Services) -> Result<&TestControl, ServiceError> {
    services
        .test
        .as_deref()
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-test-mode-off")))
}

fn clock_error(e: ClockError) -> ServiceError {
    match e {
        ClockError::Backwards { .. } => ServiceError::Conflict(e.into()),
        ClockError::NegativeStep | ClockError::Overflow => {
            ServiceError::Invalid(vec![("step".into(), e.into())])
        }
    }
}

/// Moves the test clock forward to `to` and runs everything that falls due on the way.
pub async fn set_clock(
    services: &Services,
    to: Timestamp,
    origin: Origin,
) -> Result<Timestamp, ServiceError> {
    let control = control(services)?;
    let _one_at_a_time = control.moving.lock().await;
    let from = control.clock.now();
    if to < from {
        return Err(clock_error(ClockError::Backwards {
            now: from,
            requested: to,
        }));
    }
    move_clock(services, control, from, to, origin).await
}

/// Moves the test clock forward by a span of days, hours and minutes (calendar days in
/// Asia/Almaty) and runs everything that falls due on the way.
pub async fn advance_clock(
    services: &Services,
    step: Span,
    origin: Origin,
) -> Result<Timestamp, ServiceError> {
    let control = control(services)?;
    let _one_at_a_time = control.moving.lock().await;
    let from = control.clock.now();
    let to = control.clock.after(step).map_err(clock_error)?;
    move_clock(services, control, from, to, origin).await
}

async fn move_clock(
    services: &Services,
    control: &TestControl,
    from: Timestamp,
    to: Timestamp,
    origin: Origin,
) -> Result<Timestamp, ServiceError> {
    let mut tx = services.db.begin().await?;
    let entry = Entry::new(test_actor(), "test_clock.move")
        .origin(origin)
        .details(serde_json::json!({ "from": from, "to": to }));
    audit::record(&mut tx, &entry, from).await?;
    tx.commit().await?;
    // The background loops finish what they hold, then wait until the move is done.
    let _loops_still = control.gate.write().await;
    services
        .jobs
        .advance_and_drain(services, &control.clock, to)
        .await
        .map_err(|e| ServiceError::Internal(format!("{e:#}")))?;
    Ok(control.clock.now())
}

/// Queues a plain-text message through the outbox as transactional mail, as any use case
/// would (test mode only).
pub async fn queue_mail(
    services: &Services,
    to: &str,
    subject: String,
    text: String,
    origin: Origin,
) -> Result<String, ServiceError> {
    control(services)?;
    let mail = NewMail {
        to: to.trim().to_owned(),
        subject,
        text,
        html: None,
        class: outbox::MailClass::Transactional,
    };
    let mut errors = Vec::new();
    if mail.to.parse::<lettre::Address>().is_err() {
        errors.push(("to".into(), Msg::email()));
    }
    if mail.subject.trim().is_empty() {
        errors.push(("subject".into(), Msg::required()));
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let id = outbox::queue(&mut tx, &mail, now).await?;
    let entry = Entry::new(test_actor(), "test_mail.queue")
        .target("mail", id.clone())
        .origin(origin)
        .details(serde_json::json!({ "to": mail.to }));
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    services.mailer.wake();
    Ok(id)
}

fn test_actor() -> Actor {
    Actor::Principal {
        kind: "test_harness".into(),
        id: "test-mode".into(),
    }
}

/// How many e-mails to `to` are due or being handed to the mail server now (test mode's mail
/// endpoint waits until none are).
pub async fn pending_mail_to(services: &Services, to: &str) -> Result<i64, ServiceError> {
    Ok(educenter_store::outbox::pending_to(&services.db, to, services.clock.now()).await?)
}

/// The e-mails sent to `to`, newest first, at most `limit`.
pub async fn sent_mail_to(
    services: &Services,
    to: &str,
    limit: i64,
) -> Result<Vec<educenter_store::outbox::Mail>, ServiceError> {
    Ok(educenter_store::outbox::sent_to(&services.db, to, limit).await?)
}
