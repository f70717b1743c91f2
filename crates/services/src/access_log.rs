//! The access log (R-2.5c): every sign-in, failed sign-in and sign-out (written with the audit
//! entry, in its transaction) and every request of someone signed in, with its UTC time,
//! school, actor, address, browser and route pattern.
//!
//! Requests are not written one by one: the web layer hands each to [`AccessLog::request`],
//! which queues it, and one writer task per instance appends what waits in one transaction
//! every [`LINGER`], so a page costs a queue push, not a write (nor the waking of a task: the
//! writer sleeps rather than waits on the queue). The queue holds at most [`CAPACITY`]
//! entries; past that, requests wait for the writer instead of losing entries. Shutting down
//! writes what waits ([`AccessLog::stop`]); a crash loses at most the last [`LINGER`] of
//! requests (never a sign-in, which is written at once).

use std::cell::RefCell;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use educenter_domain::{
    access::{AccessEvent, horizon},
    ids::{TenantId, UserId},
    roles::AccountKind,
};
use educenter_store::{
    Conn, Db,
    access_log::{self, AccessEntry},
    audit::Origin,
};
use jiff::Timestamp;
use tokio::sync::{Notify, mpsc, oneshot};

use crate::{ServiceError, access::Principal};

/// How long the writer gathers requests before it writes them.
pub const LINGER: Duration = Duration::from_secs(1);
/// The most entries that wait for the writer.
pub const CAPACITY: usize = 65_536;

tokio::task_local! {
    static SEEN: RefCell<Option<Seen>>;
}

/// Who a request was made by, as its authentication found them.
#[derive(Debug, Clone)]
pub struct Seen {
    tenant_id: Option<TenantId>,
    kind: AccountKind,
    user_id: UserId,
    token_id: Option<String>,
}

/// Runs `request` (a request's handling) and tells who it was made by, if anyone signed in was
/// authenticated on the way.
pub async fn observe<F: Future>(request: F) -> (F::Output, Option<Seen>) {
    SEEN.scope(RefCell::new(None), async {
        let out = request.await;
        let seen = SEEN.with(|s| s.borrow_mut().take());
        (out, seen)
    })
    .await
}

/// Notes that the request being handled was made by `who` (outside [`observe`], nothing).
pub(crate) fn note(who: &Principal) {
    let _ = SEEN.try_with(|s| {
        *s.borrow_mut() = Some(Seen {
            tenant_id: who.tenant_id.clone(),
            kind: who.kind,
            user_id: who.user_id.clone(),
            token_id: who.token.as_ref().map(|(id, _)| id.clone()),
        });
    });
}

/// A request as the web layer saw it.
#[derive(Debug, Clone, Copy)]
pub struct RequestLine<'a> {
    pub method: &'a str,
    pub route: &'a str,
    pub status: u16,
    pub ip: Option<std::net::IpAddr>,
    /// At most 512 bytes of it.
    pub user_agent: Option<&'a str>,
}

enum Command {
    Entry(access_log::QueuedRequest),
    Flush(oneshot::Sender<()>),
    Stop(oneshot::Sender<()>),
}

/// The queue of requests to log and its writer.
pub struct AccessLog {
    queue: mpsc::Sender<Command>,
    receiver: Mutex<Option<mpsc::Receiver<Command>>>,
    running: AtomicBool,
    /// Set by [`AccessLog::stop`]: a writer that cannot write gives up after three tries
    /// rather than hold the shutdown.
    stopping: AtomicBool,
    /// Wakes the writer before its time: a flush, a stop, a full queue. A request never does
    /// (the writer sleeps between writes rather than waiting on the queue, so a push wakes no
    /// task).
    wake: Notify,
}

impl Default for AccessLog {
    fn default() -> Self {
        let (queue, receiver) = mpsc::channel(CAPACITY);
        Self {
            queue,
            receiver: Mutex::new(Some(receiver)),
            running: AtomicBool::new(false),
            stopping: AtomicBool::new(false),
            wake: Notify::new(),
        }
    }
}

impl AccessLog {
    /// Queues the request `line` made by `seen` at `at`.
    pub async fn request(&self, seen: Seen, line: RequestLine<'_>, at: Timestamp) {
        let queued = access_log::QueuedRequest::new(
            seen.tenant_id,
            access_log::RequestFields {
                at,
                actor_kind: seen.kind.as_str(),
                actor_id: seen.user_id.as_str(),
                token_id: seen.token_id.as_deref(),
                method: line.method,
                route: line.route,
                status: line.status,
                ip: line.ip,
                user_agent: line.user_agent,
            },
        );
        let command = Command::Entry(queued);
        match self.queue.try_send(command) {
            Ok(()) => {}
            Err(mpsc::error::TrySendError::Full(command)) => {
                metrics::counter!("educenter_access_log_waits_total").increment(1);
                self.wake.notify_one();
                if self.queue.send(command).await.is_err() {
                    tracing::warn!("the access log's writer has stopped: a request went unlogged");
                }
            }
            Err(mpsc::error::TrySendError::Closed(_)) => {
                tracing::warn!("the access log's writer has stopped: a request went unlogged");
            }
        }
    }

    /// Returns once every request queued before the call is written (at once when no writer
    /// runs).
    pub async fn flush(&self) {
        self.command(Command::Flush).await;
    }

    /// Writes what waits and stops the writer.
    pub async fn stop(&self) {
        self.stopping.store(true, Ordering::Release);
        self.command(Command::Stop).await;
    }

    async fn command(&self, make: fn(oneshot::Sender<()>) -> Command) {
        if !self.running.load(Ordering::Acquire) {
            return;
        }
        let (done, wait) = oneshot::channel();
        if self.queue.send(make(done)).await.is_ok() {
            self.wake.notify_one();
            let _ = wait.await;
        }
    }

    /// The writer: every [`LINGER`] (or when woken), appends what waits, until
    /// [`AccessLog::stop`]. Runs once per instance (a second call returns at once). The queue
    /// is emptied on the blocking pool: a second's requests under load are tens of thousands
    /// of entries, and moving and freeing them on a thread that serves pages held those pages
    /// up (docs/BENCHMARKS.md).
    pub async fn run_loop(&self, db: Db) {
        let Some(receiver) = self.receiver.lock().ok().and_then(|mut r| r.take()) else {
            return;
        };
        self.running.store(true, Ordering::Release);
        let mut receiver = Some(receiver);
        let mut stop = false;
        while !stop {
            tokio::select! {
                () = tokio::time::sleep(LINGER) => {}
                () = self.wake.notified() => {}
            }
            let Some(mut queue) = receiver.take() else {
                break;
            };
            // Emptied and packed on the blocking pool: a second's requests under load are tens
            // of thousands of entries.
            let drained = tokio::task::spawn_blocking(move || {
                let (mut batch, mut acks, mut stop) = (Vec::new(), Vec::new(), false);
                loop {
                    match queue.try_recv() {
                        Ok(command) => take(command, &mut batch, &mut acks, &mut stop),
                        Err(mpsc::error::TryRecvError::Empty) => break,
                        Err(mpsc::error::TryRecvError::Disconnected) => {
                            stop = true;
                            break;
                        }
                    }
                }
                (queue, access_log::pack(batch), acks, stop)
            })
            .await;
            let Ok((queue, packed, acks, stopping)) = drained else {
                tracing::error!("the access log's writer failed to read its queue");
                break;
            };
            receiver = Some(queue);
            stop = stopping;
            write(&db, packed, stop, &self.stopping).await;
            for ack in acks {
                let _ = ack.send(());
            }
        }
        self.running.store(false, Ordering::Release);
    }
}

fn take(
    command: Command,
    batch: &mut Vec<access_log::QueuedRequest>,
    acks: &mut Vec<oneshot::Sender<()>>,
    stop: &mut bool,
) {
    match command {
        Command::Entry(request) => batch.push(request),
        Command::Flush(ack) => acks.push(ack),
        Command::Stop(ack) => {
            acks.push(ack);
            *stop = true;
        }
    }
}

/// Appends `packed`, trying again (a second, then up to 5 seconds apart) while the database
/// refuses; when stopping (`stopping`, or the log's stop asked for since), three tries.
async fn write(
    db: &Db,
    packed: access_log::PackedRequests,
    stopping: bool,
    stop_asked: &AtomicBool,
) {
    if packed.is_empty() {
        return;
    }
    let n = packed.len();
    let mut packed = packed;
    let mut wait = Duration::from_secs(1);
    for attempt in 1.. {
        match access_log::append_packed(db, packed).await {
            Ok(()) => {
                metrics::counter!("educenter_access_log_entries_total").increment(n as u64);
                return;
            }
            Err((e, back))
                if ((stopping || stop_asked.load(Ordering::Acquire)) && attempt >= 3)
                    || back.is_empty() =>
            {
                tracing::error!(error = %e, entries = n, "the access log could not be written");
                return;
            }
            Err((e, back)) => {
                tracing::error!(error = %e, entries = n, "writing the access log failed; trying again");
                packed = back;
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(Duration::from_secs(5));
            }
        }
    }
}

/// Appends a sign-in, failed sign-in or sign-out in the caller's transaction: by `who` (the
/// account's kind, id and school, when one was recognised), from `origin`.
pub(crate) async fn sign(
    tx: &mut Conn,
    event: AccessEvent,
    who: Option<(AccountKind, &UserId, Option<&TenantId>)>,
    origin: &Origin,
    now: Timestamp,
) -> Result<(), ServiceError> {
    let entry = AccessEntry {
        at: now,
        event,
        tenant_id: who.and_then(|(_, _, t)| t.cloned()),
        actor_kind: who.map(|(k, _, _)| k.as_str()),
        actor_id: who.map(|(_, id, _)| id.to_string()),
        token_id: None,
        method: None,
        route: None,
        status: None,
        ip: origin.ip.clone(),
        user_agent: origin.user_agent.clone(),
    };
    access_log::append(tx, std::slice::from_ref(&entry)).await?;
    Ok(())
}

/// Deletes the entries kept long enough (the contract term plus three years), daily at 04:40.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ExpireAccessLog {}

impl crate::jobs::Job for ExpireAccessLog {
    const KIND: &'static str = "access_log.expire";

    async fn run(self, ctx: crate::jobs::JobContext) -> anyhow::Result<()> {
        let services = &ctx.services;
        let horizon = horizon(services.clock.now());
        loop {
            let mut conn = services.db.conn().await?;
            if access_log::expire(&mut conn, horizon, 10_000).await? == 0 {
                return Ok(());
            }
        }
    }
}

/// Registers the daily expiry.
pub fn register(registry: &mut crate::jobs::JobRegistry) {
    if let Ok(at) = educenter_domain::schedule::Schedule::daily_at(4, 40) {
        registry.every::<ExpireAccessLog>(at);
    }
}
