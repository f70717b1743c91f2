//! Housekeeping the platform does for itself.

use educenter_domain::schedule::Schedule;
use educenter_store::jobs;
use jiff::SignedDuration;

use crate::jobs::{JobContext, JobRegistry};

pub const PRUNE_JOBS: &str = "ops.prune_finished_jobs";

/// Registers the platform's own jobs and schedules.
pub fn register(registry: &mut JobRegistry) {
    registry.handle(PRUNE_JOBS, prune_finished_jobs);
    if let Ok(daily) = Schedule::daily_at(3, 30) {
        registry.schedule(PRUNE_JOBS, PRUNE_JOBS, daily);
    }
}

/// Deletes jobs that finished successfully more than 30 days ago; dead jobs stay until a
/// person has looked at them.
async fn prune_finished_jobs(ctx: JobContext) -> anyhow::Result<()> {
    let before = ctx.due_at - SignedDuration::from_hours(30 * 24);
    let n = jobs::prune_done(&ctx.db, before).await?;
    tracing::info!(deleted = n, "pruned finished jobs");
    Ok(())
}
