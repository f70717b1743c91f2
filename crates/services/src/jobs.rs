//! Running background jobs: a [`Job`] is a type (its kind, the data it carries, its work),
//! registered with a [`JobRegistry`] alone or on a recurring schedule; a [`Runner`] claims due
//! jobs from the database and runs them one at a time, each with the [`Services`].
//!
//! Several server instances may share one database: claiming is atomic (see
//! `educenter_store::jobs::claim`), schedules fire by compare-and-set, and each fired slot is
//! a job with an idempotency key, so a slot runs once however many instances see it.

use std::{
    collections::HashMap, future::Future, panic::AssertUnwindSafe, pin::Pin, sync::Arc,
    time::Duration,
};

use educenter_domain::{
    clock::{Clock, TestClock},
    schedule::{Schedule, retry_delay},
};
use educenter_store::{Db, jobs as store};
use futures::FutureExt;
use jiff::Timestamp;
use tokio::sync::{Notify, watch};

use crate::Services;
use crate::clock::Gate;
use crate::clock::wall_now;

/// What a job gets to do its work: the services (the database, the clock, the catalogs, the
/// mailer, the media store...) and which run of which job this is.
#[derive(Clone)]
pub struct JobContext {
    pub services: Services,
    pub job_id: String,
    pub kind: String,
    /// When the job was due: for a scheduled job, the slot it runs for.
    pub due_at: Timestamp,
    /// 1 on the first attempt.
    pub attempt: i64,
    /// The stored data, read into the job's own type before it runs.
    payload: serde_json::Value,
}

/// A kind of background job: its name as stored (`jobs.kind`), the data it carries (the type
/// itself, stored as the job's JSON payload) and its work. A job must be safe to run again:
/// one whose worker died mid-run runs again when its lease expires. A scheduled job carries
/// nothing (an empty struct `{}`: the slot's bookkeeping in its payload is not read).
pub trait Job: serde::Serialize + serde::de::DeserializeOwned + Send + 'static {
    const KIND: &'static str;

    /// Does the job's work.
    fn run(self, ctx: JobContext) -> impl Future<Output = anyhow::Result<()>> + Send;

    /// A new job of this kind carrying `self`, due at `run_at`.
    fn job(&self, run_at: Timestamp) -> store::NewJob {
        let payload = serde_json::to_value(self).unwrap_or(serde_json::Value::Null);
        store::NewJob::new(Self::KIND, payload, run_at)
    }
}

pub type JobFuture = Pin<Box<dyn Future<Output = anyhow::Result<()>> + Send>>;
type Handler = Arc<dyn Fn(JobContext) -> JobFuture + Send + Sync>;

/// A recurring job.
#[derive(Clone, Debug)]
pub struct ScheduleDef {
    pub name: String,
    pub kind: String,
    pub schedule: Schedule,
}

/// The job kinds this process can run and the schedules it keeps.
#[derive(Clone, Default)]
pub struct JobRegistry {
    handlers: HashMap<String, Handler>,
    schedules: Vec<ScheduleDef>,
}

impl JobRegistry {
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers a handler for a job kind that carries nothing it reads (the tests' probes);
    /// the product's jobs are [`Job`]s ([`JobRegistry::job`]). A handler must be safe to run
    /// again for the same job: a job whose worker died mid-run is run again when its lease
    /// expires.
    pub fn handle<F, Fut>(&mut self, kind: &str, handler: F) -> &mut Self
    where
        F: Fn(JobContext) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = anyhow::Result<()>> + Send + 'static,
    {
        self.handlers
            .insert(kind.to_owned(), Arc::new(move |ctx| Box::pin(handler(ctx))));
        self
    }

    /// Registers a kind of job: its payload is read into the type before it runs; one that
    /// does not read fails the job (retried, then dead, like any failure) and never reaches
    /// [`Job::run`] half-read.
    pub fn job<J: Job>(&mut self) -> &mut Self {
        self.handle(J::KIND, |ctx| async move {
            let job = serde_json::from_value::<J>(ctx.payload.clone()).map_err(|e| {
                anyhow::anyhow!("the payload of a {} job does not read: {e}", J::KIND)
            })?;
            job.run(ctx).await
        })
    }

    /// Registers a kind of job and runs it on `schedule` (the schedule is named by the kind).
    pub fn every<J: Job>(&mut self, schedule: Schedule) -> &mut Self {
        self.job::<J>().schedule(J::KIND, J::KIND, schedule)
    }

    /// Runs `kind` on `schedule`; the schedule's `name` identifies it across restarts (the
    /// product's schedules are [`JobRegistry::every`]).
    pub fn schedule(&mut self, name: &str, kind: &str, schedule: Schedule) -> &mut Self {
        self.schedules.push(ScheduleDef {
            name: name.to_owned(),
            kind: kind.to_owned(),
            schedule,
        });
        self
    }

    pub fn kinds(&self) -> Vec<&str> {
        let mut kinds: Vec<&str> = self.handlers.keys().map(String::as_str).collect();
        kinds.sort_unstable();
        kinds
    }

    pub fn schedules(&self) -> &[ScheduleDef] {
        &self.schedules
    }
}

/// How one claimed job ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Done,
    Retry {
        at: Timestamp,
        error: String,
    },
    Dead {
        error: String,
    },
    /// Its lease ran out while it ran and another worker took it over.
    Lost,
}

/// How long a worker holds a claimed job before another may take it over. A handler that
/// may run longer must split its work into several jobs.
pub const JOB_LEASE: Duration = Duration::from_secs(10 * 60);

/// Claims and runs jobs.
pub struct Runner {
    db: Db,
    clock: Arc<dyn Clock>,
    registry: JobRegistry,
    worker: String,
    wake: Notify,
}

impl Runner {
    pub fn new(db: Db, clock: Arc<dyn Clock>, registry: JobRegistry) -> Self {
        Self {
            db,
            clock,
            registry,
            worker: format!("worker-{}", uuid::Uuid::new_v4().simple()),
            wake: Notify::new(),
        }
    }

    /// This process's worker id, as stored in `jobs.locked_by`.
    pub fn worker_id(&self) -> &str {
        &self.worker
    }

    /// Stores every schedule this process keeps, each due first at its next slot after now
    /// (an existing schedule with the same definition keeps its stored next slot).
    pub async fn register_schedules(&self) -> anyhow::Result<()> {
        let now = self.clock.now();
        for def in self.registry.schedules() {
            store::ensure_schedule(
                &self.db,
                &def.name,
                &def.kind,
                &def.schedule.describe(),
                def.schedule.next_after(now),
                now,
            )
            .await?;
        }
        Ok(())
    }

    /// Tells the loop that work may be due (call after committing an enqueue).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Turns every schedule slot due by now into a job, oldest slot first. Returns how many
    /// slots this process fired.
    pub async fn fire_due_schedules(&self) -> anyhow::Result<usize> {
        let now = self.clock.now();
        let mut fired = 0;
        for def in self.registry.schedules() {
            while let Some(slot) = store::schedule_next_run(&self.db, &def.name).await? {
                if slot > now {
                    break;
                }
                let next = def.schedule.next_after(slot);
                let job = store::NewJob::new(
                    def.kind.clone(),
                    serde_json::json!({ "schedule": def.name, "slot": slot }),
                    slot,
                );
                if store::fire_schedule(&self.db, &def.name, slot, next, &job, now).await? {
                    fired += 1;
                }
            }
        }
        Ok(fired)
    }

    /// The earliest instant at which this process has something to do.
    pub async fn next_due(&self) -> anyhow::Result<Option<Timestamp>> {
        let mut next = store::next_due(&self.db, &self.registry.kinds()).await?;
        for def in self.registry.schedules() {
            if let Some(at) = store::schedule_next_run(&self.db, &def.name).await? {
                next = Some(next.map_or(at, |n| n.min(at)));
            }
        }
        Ok(next)
    }

    /// Claims one job due by now and runs it with `services`. `None` when nothing is due.
    pub async fn run_next(&self, services: &Services) -> anyhow::Result<Option<Outcome>> {
        let kinds = self.registry.kinds();
        let now = self.clock.now();
        store::bury_abandoned(&self.db, wall_now()).await?;
        let Some(job) =
            store::claim(&self.db, &kinds, &self.worker, now, wall_now(), JOB_LEASE).await?
        else {
            return Ok(None);
        };
        let Some(handler) = self.registry.handlers.get(&job.kind).cloned() else {
            // Unreachable: claims are limited to registered kinds.
            return Ok(None);
        };
        let ctx = JobContext {
            services: services.clone(),
            job_id: job.id.clone(),
            kind: job.kind.clone(),
            payload: job.payload.clone(),
            due_at: job.run_at,
            attempt: job.attempts,
        };
        let span =
            tracing::info_span!("job", id = %job.id, kind = %job.kind, attempt = job.attempts);
        let result = {
            let _enter = span.enter();
            tracing::info!("job started");
            drop(_enter);
            // A job that runs long (a backup of a large media store) keeps its lease: every
            // third of it, the lease is moved on while this worker still holds it.
            let heartbeat = async {
                let step = JOB_LEASE / 3;
                loop {
                    tokio::time::sleep(step).await;
                    let until =
                        wall_now() + jiff::SignedDuration::try_from(JOB_LEASE).unwrap_or_default();
                    match store::extend_lease(&self.db, &job.id, &self.worker, until).await {
                        Ok(true) => {}
                        Ok(false) => break,
                        Err(e) => tracing::warn!(error = %e, "extending a job's lease failed"),
                    }
                }
                std::future::pending::<()>().await
            };
            tokio::select! {
                r = AssertUnwindSafe(handler(ctx)).catch_unwind() => r,
                () = heartbeat => unreachable!("the heartbeat never ends"),
            }
        };
        let error = match result {
            Ok(Ok(())) => None,
            Ok(Err(e)) => Some(format!("{e:#}")),
            Err(panic) => Some(format!("panicked: {}", panic_message(&panic))),
        };
        let finished = self.clock.now();
        let outcome = match error {
            None => {
                if store::complete(&self.db, &job.id, &self.worker, finished).await? {
                    Outcome::Done
                } else {
                    Outcome::Lost
                }
            }
            Some(error) if job.attempts < job.max_attempts => {
                let at = finished + retry_delay(job.attempts);
                if store::fail(&self.db, &job.id, &self.worker, &error, Some(at), finished).await? {
                    Outcome::Retry { at, error }
                } else {
                    Outcome::Lost
                }
            }
            Some(error) => {
                if store::fail(&self.db, &job.id, &self.worker, &error, None, finished).await? {
                    Outcome::Dead { error }
                } else {
                    Outcome::Lost
                }
            }
        };
        let _enter = span.enter();
        match &outcome {
            Outcome::Done => tracing::info!("job done"),
            Outcome::Retry { at, error } => tracing::warn!(%at, %error, "job failed; will retry"),
            Outcome::Dead { error } => {
                tracing::error!(%error, "job failed for the last time: dead")
            }
            Outcome::Lost => tracing::warn!("job lease lost to another worker"),
        }
        metrics::counter!("educenter_job_runs_total", "kind" => job.kind.clone(), "outcome" => outcome.label())
            .increment(1);
        Ok(Some(outcome))
    }

    /// Fires due schedules and runs due jobs until nothing is due now.
    pub async fn run_due(&self, services: &Services) -> anyhow::Result<usize> {
        let mut ran = 0;
        loop {
            self.fire_due_schedules().await?;
            if self.run_next(services).await?.is_none() {
                return Ok(ran);
            }
            ran += 1;
        }
    }

    /// The background loop: runs due work, then sleeps until woken or a second passes (other
    /// instances enqueue too, and time moves). Stops between jobs when `shutdown` turns true,
    /// so the running job finishes first.
    pub async fn run_loop(
        &self,
        services: &Services,
        gate: Gate,
        mut shutdown: watch::Receiver<bool>,
    ) {
        if let Err(e) = self.register_schedules().await {
            tracing::error!(error = %format!("{e:#}"), "registering schedules failed");
        }
        loop {
            if *shutdown.borrow() {
                break;
            }
            loop {
                if *shutdown.borrow() {
                    return;
                }
                let _open = gate.read().await;
                match self.fire_due_schedules().await {
                    Ok(_) => {}
                    Err(e) => tracing::error!(error = %format!("{e:#}"), "firing schedules failed"),
                }
                match self.run_next(services).await {
                    Ok(Some(_)) => continue,
                    Ok(None) => break,
                    Err(e) => {
                        tracing::error!(error = %format!("{e:#}"), "job runner error");
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

    /// Waits until no job due by now is being run by any worker (this process's loop or
    /// another instance), so a drain returns only when that work has finished.
    async fn wait_for_running(&self, mailer: &crate::outbox::Mailer) -> anyhow::Result<()> {
        let deadline = tokio::time::Instant::now() + JOB_LEASE;
        while store::running_due(
            &self.db,
            &self.registry.kinds(),
            self.clock.now(),
            wall_now(),
        )
        .await?
            || mailer.delivering().await?
        {
            if tokio::time::Instant::now() > deadline {
                anyhow::bail!("a running job did not finish within its lease");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Ok(())
    }

    /// Test mode: moves `clock` to `target`, stopping at every instant where work falls due
    /// on the way, in time order, and running that work (and delivering due mail) before
    /// moving on. Returns when everything due by `target` has run.
    pub async fn advance_and_drain(
        &self,
        services: &Services,
        clock: &TestClock,
        target: Timestamp,
    ) -> anyhow::Result<()> {
        let mailer = &services.mailer;
        // How long to keep retrying work that is due but held by another live worker (a claim
        // in flight on another instance) before moving on without it.
        const HELD_ELSEWHERE: Duration = Duration::from_secs(5);
        let mut held_since: Option<tokio::time::Instant> = None;
        loop {
            let ran = self.run_due(services).await?;
            self.wait_for_running(mailer).await?;
            let sent = mailer.deliver_due().await?;
            if ran + sent > 0 {
                // What just ran may have queued more work due now.
                held_since = None;
                continue;
            }
            let next = [self.next_due().await?, mailer.next_due().await?]
                .into_iter()
                .flatten()
                .min();
            match next {
                Some(at) if at <= target && at > clock.now() => {
                    held_since = None;
                    clock.set(at)?;
                }
                Some(at) if at <= target => {
                    // Due now, yet nothing could be claimed: another worker is between its
                    // claim and its commit. Wait for it, a little.
                    let since = *held_since.get_or_insert_with(tokio::time::Instant::now);
                    if since.elapsed() > HELD_ELSEWHERE {
                        tracing::warn!(%at, "due work stayed unclaimable; moving on");
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                _ => break,
            }
        }
        if target > clock.now() {
            clock.set(target)?;
            self.run_due(services).await?;
            self.wait_for_running(mailer).await?;
            mailer.deliver_due().await?;
        }
        Ok(())
    }
}

impl Outcome {
    fn label(&self) -> &'static str {
        match self {
            Outcome::Done => "done",
            Outcome::Retry { .. } => "retry",
            Outcome::Dead { .. } => "dead",
            Outcome::Lost => "lost",
        }
    }
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_owned()
    }
}
