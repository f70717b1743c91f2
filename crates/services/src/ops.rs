//! Housekeeping the platform does for itself, and what the infrastructure role sees of it:
//! background jobs and e-mails that failed for good, and retrying them.

use educenter_domain::queues::{JobState, MailState};
use educenter_domain::{roles::OperatorAction, schedule::Schedule};
use educenter_store::{
    audit::{self, Origin},
    jobs::{self, Job},
    outbox::{self, Mail},
};
use jiff::SignedDuration;

use crate::{
    Msg, ServiceError, Services,
    access::Principal,
    access::require_operator,
    jobs::{JobContext, JobRegistry},
};

/// How many failures of each queue the back office lists (the newest).
const FAILURES_SHOWN: i64 = 100;

/// Jobs and e-mails that failed for good, newest first.
pub struct Failures {
    pub jobs: Vec<Job>,
    pub mails: Vec<Mail>,
}

/// The dead jobs and e-mails (infrastructure).
pub async fn failures(services: &Services, who: &Principal) -> Result<Failures, ServiceError> {
    require_operator(who, OperatorAction::RunInfrastructure)?;
    Ok(Failures {
        jobs: jobs::list(&services.db, Some(JobState::Dead), FAILURES_SHOWN).await?,
        mails: outbox::list(&services.db, Some(MailState::Dead), FAILURES_SHOWN).await?,
    })
}

/// Which queue a failure is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queue {
    Jobs,
    Mail,
}

/// Queues a dead job or e-mail again (infrastructure), audited.
pub async fn retry(
    services: &Services,
    who: &Principal,
    queue: Queue,
    id: &str,
    origin: Origin,
) -> Result<(), ServiceError> {
    who.require_write()?;
    require_operator(who, OperatorAction::RunInfrastructure)?;
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let (retried, kind) = match queue {
        Queue::Jobs => (jobs::retry_dead(&mut tx, id, now).await?, "job"),
        Queue::Mail => (outbox::retry_dead(&mut tx, id, now).await?, "mail"),
    };
    if !retried {
        return Err(ServiceError::NotFound(Msg::new("err-no-failure")));
    }
    let entry = who
        .audit(format!("{kind}.retry"))
        .target(kind, id.to_owned())
        .origin(origin);
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    match queue {
        Queue::Jobs => services.jobs.wake(),
        Queue::Mail => services.mailer.wake(),
    }
    Ok(())
}

/// Registers the platform's own jobs and schedules.
pub fn register(registry: &mut JobRegistry) {
    if let Ok(daily) = Schedule::daily_at(3, 30) {
        registry.every::<PruneFinishedJobs>(daily);
    }
}

/// At 03:30 every day: deletes jobs that finished successfully more than 30 days ago; dead
/// jobs stay until a person has looked at them.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct PruneFinishedJobs {}

impl crate::jobs::Job for PruneFinishedJobs {
    const KIND: &'static str = "ops.prune_finished_jobs";

    async fn run(self, ctx: JobContext) -> anyhow::Result<()> {
        let before = ctx.due_at - SignedDuration::from_hours(30 * 24);
        let n = jobs::prune_done(&ctx.services.db, before).await?;
        tracing::info!(deleted = n, "pruned finished jobs");
        Ok(())
    }
}

/// Whether the database answers (`/readyz`): the engine's name, or the store's error.
pub async fn ready(services: &Services) -> Result<&'static str, ServiceError> {
    services.db.ping().await?;
    Ok(services.db.engine().name())
}

/// How many jobs and e-mails are in each state, as `(state, count)` (for `/metrics`).
#[derive(Debug, Clone, Default)]
pub struct QueueCounts {
    pub jobs: Vec<(JobState, i64)>,
    pub mail: Vec<(MailState, i64)>,
}

pub async fn queue_counts(services: &Services) -> Result<QueueCounts, ServiceError> {
    Ok(QueueCounts {
        jobs: educenter_store::jobs::count_by_state(&services.db).await?,
        mail: educenter_store::outbox::count_by_state(&services.db).await?,
    })
}
