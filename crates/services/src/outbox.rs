//! Delivering the mail outbox: over SMTP when `--smtp-url` is set, otherwise as `.eml` files
//! under `data/mail/`.

use std::{path::PathBuf, sync::Arc, time::Duration};

use educenter_domain::{clock::Clock, schedule::retry_delay};
use educenter_store::{Db, outbox};
use jiff::Timestamp;
use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Mailbox, MultiPart, header::ContentType},
};
use tokio::sync::{Notify, watch};

use crate::clock::{Gate, wall_now};

/// After this many failed attempts a message is `dead` (about a day of retries).
pub const MAX_ATTEMPTS: i64 = 8;
/// How long a sender holds a claimed message before another may retry it.
pub const MAIL_LEASE: Duration = Duration::from_secs(120);

/// Where mail goes.
pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(PathBuf),
}

impl Transport {
    /// `smtp://user:pass@host:port` (plain or `?tls=required` for STARTTLS) or
    /// `smtps://host:465`; see lettre's `from_url`.
    pub fn smtp(url: &str) -> anyhow::Result<Self> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?
            .timeout(Some(Duration::from_secs(30)))
            .build();
        Ok(Self::Smtp(transport))
    }

    pub fn describe(&self) -> String {
        match self {
            Transport::Smtp(_) => "smtp".to_owned(),
            Transport::Files(dir) => format!("files in {}", dir.display()),
        }
    }
}

/// A failed delivery: worth retrying, or not.
#[derive(Debug)]
enum DeliveryError {
    Transient(String),
    Permanent(String),
}

/// Delivers queued mail.
pub struct Mailer {
    db: Db,
    clock: Arc<dyn Clock>,
    transport: Transport,
    from: Mailbox,
    wake: Notify,
}

impl Mailer {
    pub fn new(db: Db, clock: Arc<dyn Clock>, transport: Transport, from: Mailbox) -> Self {
        Self {
            db,
            clock,
            transport,
            from,
            wake: Notify::new(),
        }
    }

    pub fn transport(&self) -> &Transport {
        &self.transport
    }

    /// Tells the loop that mail was queued (call after committing).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Delivers one due message. `None` when nothing is due.
    pub async fn deliver_one(&self) -> anyhow::Result<Option<outbox::Mail>> {
        let now = self.clock.now();
        outbox::bury_abandoned(&self.db, wall_now(), MAX_ATTEMPTS).await?;
        let Some(claim) =
            outbox::claim(&self.db, now, wall_now(), MAIL_LEASE, MAX_ATTEMPTS).await?
        else {
            return Ok(None);
        };
        let mail = &claim.mail;
        let held = match self.send(mail).await {
            Ok(()) => {
                let held = outbox::mark_sent(&self.db, &claim, self.clock.now()).await?;
                tracing::info!(id = %mail.id, to = %mail.to, "mail sent");
                metrics::counter!("educenter_mail_sent_total").increment(1);
                held
            }
            Err(DeliveryError::Transient(e)) if mail.attempts < MAX_ATTEMPTS => {
                let at = self.clock.now() + retry_delay(mail.attempts);
                tracing::warn!(id = %mail.id, error = %e, retry_at = %at, "mail delivery failed");
                metrics::counter!("educenter_mail_failures_total").increment(1);
                outbox::mark_failed(&self.db, &claim, &e, Some(at)).await?
            }
            Err(DeliveryError::Transient(e) | DeliveryError::Permanent(e)) => {
                tracing::error!(id = %mail.id, error = %e, "mail undeliverable: dead");
                metrics::counter!("educenter_mail_failures_total").increment(1);
                outbox::mark_failed(&self.db, &claim, &e, None).await?
            }
        };
        if !held {
            tracing::warn!(id = %mail.id, "mail lease ran out during delivery; another sender holds it");
        }
        Ok(Some(claim.mail))
    }

    /// Delivers every message due now; returns how many were attempted.
    pub async fn deliver_due(&self) -> anyhow::Result<usize> {
        let mut n = 0;
        while self.deliver_one().await?.is_some() {
            n += 1;
        }
        Ok(n)
    }

    pub async fn next_due(&self) -> anyhow::Result<Option<Timestamp>> {
        Ok(outbox::next_due(&self.db).await?)
    }

    /// Whether a message is being delivered now by a live sender (this one or another).
    pub async fn delivering(&self) -> anyhow::Result<bool> {
        Ok(outbox::sending_live(&self.db, wall_now()).await?)
    }

    /// The background loop; stops after the message being delivered when `shutdown` is set.
    /// While a test-mode clock move holds `gate`, it waits.
    pub async fn run_loop(&self, gate: Gate, mut shutdown: watch::Receiver<bool>) {
        loop {
            loop {
                if *shutdown.borrow() {
                    return;
                }
                let _open = gate.read().await;
                match self.deliver_one().await {
                    Ok(Some(_)) => continue,
                    Ok(None) => break,
                    Err(e) => {
                        tracing::error!(error = %format!("{e:#}"), "mail sender error");
                        break;
                    }
                }
            }
            tokio::select! {
                _ = shutdown.changed() => {}
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(Duration::from_secs(1)) => {}
            }
        }
    }

    fn build(&self, mail: &outbox::Mail) -> Result<Message, DeliveryError> {
        let to: Mailbox = mail
            .to
            .parse()
            .map_err(|e| DeliveryError::Permanent(format!("bad recipient {:?}: {e}", mail.to)))?;
        let builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .message_id(Some(format!("<{}@educenter>", mail.id)));
        let message = match &mail.html {
            Some(html) => builder.multipart(MultiPart::alternative_plain_html(
                mail.text.clone(),
                html.clone(),
            )),
            None => builder
                .header(ContentType::TEXT_PLAIN)
                .body(mail.text.clone()),
        };
        message.map_err(|e| DeliveryError::Permanent(format!("cannot build message: {e}")))
    }

    async fn send(&self, mail: &outbox::Mail) -> Result<(), DeliveryError> {
        let message = self.build(mail)?;
        match &self.transport {
            Transport::Smtp(smtp) => smtp.send(message).await.map(|_| ()).map_err(|e| {
                if e.is_permanent() {
                    DeliveryError::Permanent(e.to_string())
                } else {
                    DeliveryError::Transient(e.to_string())
                }
            }),
            Transport::Files(dir) => {
                let write = async {
                    tokio::fs::create_dir_all(dir).await?;
                    let path = dir.join(format!("{}.eml", mail.id));
                    let tmp = dir.join(format!(".{}.eml.tmp", mail.id));
                    tokio::fs::write(&tmp, message.formatted()).await?;
                    tokio::fs::rename(&tmp, &path).await
                };
                write
                    .await
                    .map_err(|e| DeliveryError::Transient(format!("writing mail file: {e}")))
            }
        }
    }
}
