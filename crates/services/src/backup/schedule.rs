//! Backups on their own: the scheduled backup (every `--backup-every-hours`, 24 by default),
//! the alerts when none has succeeded for 48 hours (a warning) and 72 hours (critical: the
//! contract's limit), each raised at that exact instant by a job queued for it, and the
//! monthly restore drill. What the back office and `/metrics` show of them.

use educenter_domain::{
    backup::{AlertLevel, RETENTION, RunKind},
    clock::almaty,
    roles::{OperatorAction, OperatorRole},
    schedule::Schedule,
};
use educenter_store::{
    audit::{self, Actor, Entry},
    backup::{self as store, Alert, Run},
    jobs::enqueue,
    outbox::{self, MailClass, NewMail},
};
use jiff::{SignedDuration, Timestamp};
use serde_json::json;

use crate::{
    Msg, ServiceError, Services,
    access::{Principal, require_operator},
    jobs::{Job, JobContext, JobRegistry},
};

/// Registers the backup jobs; the schedules only where backups are configured (every
/// `every_hours`, and the drill's daily look at 04:30).
pub fn register(registry: &mut JobRegistry, every_hours: Option<u16>) {
    registry.job::<Overdue>();
    match every_hours.map(Schedule::every_hours) {
        Some(Ok(every)) => {
            registry.every::<RunBackup>(every);
            if let Ok(daily) = Schedule::daily_at(4, 30) {
                registry.every::<Drill>(daily);
            }
        }
        _ => {
            registry.job::<RunBackup>();
            registry.job::<Drill>();
        }
    }
}

/// The scheduled backup. A failure is retried by the job runner; each attempt is a run.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct RunBackup {}

impl Job for RunBackup {
    const KIND: &'static str = "backup.run";

    async fn run(self, ctx: JobContext) -> anyhow::Result<()> {
        if ctx.services.backups.is_none() {
            return Ok(());
        }
        super::run(&ctx.services).await.map(|_| ())
    }
}

/// The restore drill: once a month (when the last good drill is 30 days old), the newest set
/// is restored into scratch and checked; a failure is mailed to the operator's super-admins
/// and infrastructure staff.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Drill {}

impl Job for Drill {
    const KIND: &'static str = "backup.drill";

    async fn run(self, ctx: JobContext) -> anyhow::Result<()> {
        let services = &ctx.services;
        if services.backups.is_none() {
            return Ok(());
        }
        let (last_drill, last_backup) = {
            let mut conn = services.db.conn().await?;
            (
                store::last_success(&mut conn, RunKind::Drill).await?,
                store::last_success(&mut conn, RunKind::Backup).await?,
            )
        };
        let due = last_drill
            .and_then(|r| r.finished_at)
            .is_none_or(|at| ctx.due_at.duration_since(at) >= RETENTION);
        if !due || last_backup.is_none() {
            return Ok(());
        }
        let problems = match super::verify(services, None, RunKind::Drill).await {
            Ok(v) if v.ok() => return Ok(()),
            Ok(v) => v.problems.join("; "),
            Err(e) => format!("{e:#}"),
        };
        let mut tx = services.db.begin().await?;
        mail_operators(
            &mut tx,
            "mail-backup-drill-failed-subject",
            "mail-backup-drill-failed-body",
            &[("problems", problems)],
            ctx.due_at,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Raised at `since` + 48 or 72 hours unless a backup succeeded since.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Overdue {
    level: AlertLevel,
    since: Timestamp,
}

impl Job for Overdue {
    const KIND: &'static str = "backup.overdue";

    async fn run(self, ctx: JobContext) -> anyhow::Result<()> {
        let services = &ctx.services;
        let mut tx = services.db.begin().await?;
        if base(&mut tx).await? != Some(self.since) {
            // A backup succeeded since: nothing is overdue.
            return Ok(());
        }
        if store::raise_alert(&mut tx, self.level, self.since, ctx.due_at).await? {
            let hours = self.level.after().as_hours();
            tracing::error!(level = self.level.as_str(), hours, since = %self.since, "no backup has succeeded");
            mail_operators(
                &mut tx,
                match self.level {
                    AlertLevel::Warning => "mail-backup-warning-subject",
                    AlertLevel::Critical => "mail-backup-critical-subject",
                },
                "mail-backup-overdue-body",
                &[("hours", hours.to_string()), ("since", local(self.since))],
                ctx.due_at,
            )
            .await?;
            let entry = Entry::new(Actor::System, "backup.alert")
                .details(json!({ "level": self.level, "since": self.since }));
            audit::record(&mut tx, &entry, ctx.due_at).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// Where the instant backups were turned on is kept (the first time alerts were armed).
const ARMED_AT: &str = "backups_armed_at";

/// The instant alerts count from: the last success; before any, the first attempt; before
/// any, the instant backups were turned on (so a schedule that never starts still alerts).
async fn base(conn: &mut educenter_store::Conn) -> anyhow::Result<Option<Timestamp>> {
    if let Some(run) = store::last_success(conn, RunKind::Backup).await? {
        return Ok(run.finished_at);
    }
    let armed: Option<Timestamp> = educenter_store::settings::get(conn, ARMED_AT)
        .await?
        .and_then(|t| t.parse().ok());
    let first = store::first_started(conn, RunKind::Backup).await?;
    // Before any success, the earlier of the two: a later first attempt never delays alerts.
    Ok(match (armed, first) {
        (Some(a), Some(f)) => Some(a.min(f)),
        (a, f) => a.or(f),
    })
}

/// Queues the warning and the critical alert for the current base (once each: a job per base
/// and level); after every run, and at start.
pub async fn arm_alerts(services: &Services) -> anyhow::Result<()> {
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let since = match base(&mut tx).await? {
        Some(since) => since,
        None => {
            educenter_store::settings::put(&mut tx, ARMED_AT, Some(&now.to_string()), None, now)
                .await?;
            now
        }
    };
    for &level in AlertLevel::ALL {
        let job = Overdue { level, since }
            .job(level.due(since))
            .idempotency_key(format!(
                "{}:{}:{}",
                Overdue::KIND,
                level.as_str(),
                since.as_microsecond()
            ));
        enqueue(&mut tx, &job, now).await?;
    }
    tx.commit().await?;
    services.jobs.wake();
    Ok(())
}

/// An instant as people in Almaty read it.
fn local(at: Timestamp) -> String {
    almaty()
        .to_datetime(at)
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

/// Mails the operator's super-admins and infrastructure staff (in Russian, as the back office's
/// other alerts).
async fn mail_operators(
    tx: &mut educenter_store::Conn,
    subject: &str,
    body: &str,
    args: &[(&'static str, String)],
    at: Timestamp,
) -> anyhow::Result<()> {
    let i18n = crate::i18n::catalogs();
    let mut fargs = fluent_bundle::FluentArgs::new();
    for (name, value) in args {
        fargs.set(*name, value.clone());
    }
    let to = educenter_store::billing::operator_emails(
        tx,
        &[OperatorRole::SuperAdmin, OperatorRole::Infrastructure],
    )
    .await?;
    for address in to {
        let mail = NewMail {
            to: address,
            subject: i18n.t_args(crate::i18n::Lang::Ru, subject, &fargs),
            text: i18n.t_args(crate::i18n::Lang::Ru, body, &fargs),
            html: None,
            class: MailClass::Transactional,
        };
        outbox::queue(tx, &mail, at).await?;
    }
    Ok(())
}

/// "Back up now" (the infrastructure role): a backup job due at once; audited.
pub async fn request(
    services: &Services,
    who: &Principal,
    origin: educenter_store::audit::Origin,
) -> Result<(), ServiceError> {
    who.require_write()?;
    require_operator(who, OperatorAction::RunInfrastructure)?;
    if services.backups.is_none() {
        return Err(ServiceError::Conflict(Msg::new("err-backups-off")));
    }
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    enqueue(&mut tx, &RunBackup {}.job(now), now).await?;
    let entry = who.audit("backup.requested").origin(origin);
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    services.jobs.wake();
    Ok(())
}

/// What the back office shows of backups.
#[derive(Debug, Clone)]
pub struct Status {
    /// Where sets go; `None`: backups are off (no key configured).
    pub target: Option<String>,
    /// The key's public half.
    pub key: Option<String>,
    pub every_hours: Option<u16>,
    pub last_backup: Option<Run>,
    pub last_drill: Option<Run>,
    /// The newest runs of every kind.
    pub runs: Vec<Run>,
    pub alerts: Vec<Alert>,
}

/// How many runs the back office lists.
const RUNS_SHOWN: i64 = 30;

/// Backups as the infrastructure role sees them.
pub async fn status(services: &Services, who: &Principal) -> Result<Status, ServiceError> {
    require_operator(who, OperatorAction::RunInfrastructure)?;
    let mut conn = services.db.conn().await?;
    Ok(Status {
        target: services.backups.as_ref().map(|b| b.target_name.clone()),
        key: services.backups.as_ref().map(|b| b.key_public()),
        every_hours: services.backups.as_ref().map(|b| b.every_hours),
        last_backup: store::last_success(&mut conn, RunKind::Backup).await?,
        last_drill: store::last_success(&mut conn, RunKind::Drill).await?,
        runs: store::recent_runs(&mut conn, RUNS_SHOWN).await?,
        alerts: store::open_alerts(&mut conn).await?,
    })
}

/// The open backup alerts, for the back office's home: shown to the super-admin and the
/// infrastructure role, none for other roles.
pub async fn open_alerts(services: &Services, who: &Principal) -> Result<Vec<Alert>, ServiceError> {
    if !(who.operator_may(OperatorAction::RunInfrastructure)
        || who.operator_may(OperatorAction::ManagePlatform))
    {
        return Ok(Vec::new());
    }
    let mut conn = services.db.conn().await?;
    Ok(store::open_alerts(&mut conn).await?)
}

/// How long ago the last backup succeeded (for `/metrics`); `None` before the first.
pub async fn last_success_age(services: &Services) -> Result<Option<SignedDuration>, ServiceError> {
    let mut conn = services.db.conn().await?;
    let last = store::last_success(&mut conn, RunKind::Backup).await?;
    Ok(last
        .and_then(|r| r.finished_at)
        .map(|at| services.clock.now().duration_since(at)))
}
