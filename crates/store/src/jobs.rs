//! The job queue and recurring schedules.
//!
//! A job is `queued` until its `run_at` (by the application clock) has come, then one worker
//! claims it (`running`, with a lease by the wall clock), and it ends `done`, goes back to
//! `queued` for a retry, or ends `dead` after its last attempt. An idempotency key makes a
//! second enqueue of the same work a no-op, even after the first has finished.

use educenter_domain::queues::JobState;
use jiff::Timestamp;
use serde::Serialize;
use sqlx::{AssertSqlSafe, any::AnyRow};

use crate::{Cols, Conn, Db, Engine, Result, StoreError, new_id, to_micros};

/// A job to enqueue.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub kind: String,
    pub payload: serde_json::Value,
    pub run_at: Timestamp,
    pub idempotency_key: Option<String>,
    pub max_attempts: i64,
}

impl NewJob {
    pub fn new(kind: impl Into<String>, payload: serde_json::Value, run_at: Timestamp) -> Self {
        Self {
            kind: kind.into(),
            payload,
            run_at,
            idempotency_key: None,
            max_attempts: 5,
        }
    }

    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    pub fn max_attempts(mut self, n: i64) -> Self {
        self.max_attempts = n.max(1);
        self
    }
}

/// A job as stored.
#[derive(Debug, Clone, Serialize)]
pub struct Job {
    pub id: String,
    pub kind: String,
    pub payload: serde_json::Value,
    pub idempotency_key: Option<String>,
    pub state: JobState,
    pub attempts: i64,
    pub max_attempts: i64,
    pub run_at: Timestamp,
    pub last_error: Option<String>,
    pub created_at: Timestamp,
    pub finished_at: Option<Timestamp>,
}

const JOB_COLUMNS: &str = "id, kind, payload, idempotency_key, state, attempts, max_attempts, \
                           run_at, last_error, created_at, finished_at";

fn job_from_row(row: &AnyRow) -> Result<Job> {
    let c = Cols::new(row, "");
    let payload: String = c.get("payload")?;
    Ok(Job {
        id: c.get("id")?,
        kind: c.get("kind")?,
        payload: serde_json::from_str(&payload)
            .map_err(|e| StoreError::Corrupt(format!("job payload: {e}")))?,
        idempotency_key: c.get("idempotency_key")?,
        state: c.word("state")?,
        attempts: c.get("attempts")?,
        max_attempts: c.get("max_attempts")?,
        run_at: c.at("run_at")?,
        last_error: c.get("last_error")?,
        created_at: c.at("created_at")?,
        finished_at: c.at_opt("finished_at")?,
    })
}

/// Enqueues a job in the caller's transaction, so it exists exactly when the caller's change
/// does. Returns the id of the new job, or `None` when a job with the same idempotency key
/// already exists (in any state): the work is then not queued again.
pub async fn enqueue(conn: &mut Conn, job: &NewJob, now: Timestamp) -> Result<Option<String>> {
    let id = new_id();
    let done = sqlx::query(
        "INSERT INTO jobs (id, kind, payload, idempotency_key, state, attempts, max_attempts, \
         run_at, created_at) VALUES ($1, $2, $3, $4, 'queued', 0, $5, $6, $7) \
         ON CONFLICT (idempotency_key) DO NOTHING",
    )
    .bind(&id)
    .bind(&job.kind)
    .bind(job.payload.to_string())
    .bind(job.idempotency_key.as_deref())
    .bind(job.max_attempts)
    .bind(to_micros(job.run_at))
    .bind(to_micros(now))
    .execute(&mut *conn)
    .await?;
    Ok((done.rows_affected() == 1).then_some(id))
}

/// A job claimed by one worker.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: String,
    pub kind: String,
    pub payload: serde_json::Value,
    pub attempts: i64,
    pub max_attempts: i64,
    pub run_at: Timestamp,
}

/// Claims the earliest job due by `now` whose kind is in `kinds`, or a running one whose
/// worker's lease ran out (`wall_now` is the wall clock: leases are about real processes).
/// Safe with many workers: `FOR UPDATE SKIP LOCKED` on PostgreSQL; on SQLite the single
/// UPDATE statement runs under the database's write lock.
pub async fn claim(
    db: &Db,
    kinds: &[&str],
    worker: &str,
    now: Timestamp,
    wall_now: Timestamp,
    lease: std::time::Duration,
) -> Result<Option<Claimed>> {
    if kinds.is_empty() {
        return Ok(None);
    }
    let kind_params: Vec<String> = (0..kinds.len()).map(|i| format!("${}", i + 5)).collect();
    let lock = match db.engine() {
        Engine::Postgres => " FOR UPDATE SKIP LOCKED",
        Engine::Sqlite => "",
    };
    let sql = format!(
        "UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_by = $1, \
         lease_until = $2 WHERE id = (SELECT id FROM jobs WHERE kind IN ({kinds}) AND \
         ((state = 'queued' AND run_at <= $3) \
         OR (state = 'running' AND lease_until < $4 AND attempts < max_attempts)) \
         ORDER BY run_at, id LIMIT 1{lock}) \
         RETURNING id, kind, payload, attempts, max_attempts, run_at",
        kinds = kind_params.join(", "),
    );
    let lease_until = wall_now + jiff::SignedDuration::try_from(lease).unwrap_or_default();
    let mut query = sqlx::query(AssertSqlSafe(sql))
        .bind(worker)
        .bind(to_micros(lease_until))
        .bind(to_micros(now))
        .bind(to_micros(wall_now));
    for kind in kinds {
        query = query.bind(*kind);
    }
    let Some(row) = query.fetch_optional(db.pool()).await? else {
        return Ok(None);
    };
    let c = Cols::new(&row, "");
    let payload: String = c.get("payload")?;
    Ok(Some(Claimed {
        id: c.get("id")?,
        kind: c.get("kind")?,
        payload: serde_json::from_str(&payload)
            .map_err(|e| StoreError::Corrupt(format!("job payload: {e}")))?,
        attempts: c.get("attempts")?,
        max_attempts: c.get("max_attempts")?,
        run_at: c.at("run_at")?,
    }))
}

/// Moves a running job's lease to `until` while `worker` still holds it (a long job's
/// heartbeat); `false` when it no longer does.
pub async fn extend_lease(db: &Db, id: &str, worker: &str, until: Timestamp) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE jobs SET lease_until = $1 WHERE id = $2 AND locked_by = $3 AND state = 'running'",
    )
    .bind(to_micros(until))
    .bind(id)
    .bind(worker)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks a claimed job done. `false` when the worker no longer holds it (its lease ran out
/// and another worker took it over).
pub async fn complete(db: &Db, id: &str, worker: &str, now: Timestamp) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE jobs SET state = 'done', finished_at = $1, lease_until = NULL, last_error = NULL \
         WHERE id = $2 AND locked_by = $3 AND state = 'running'",
    )
    .bind(to_micros(now))
    .bind(id)
    .bind(worker)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records a failed attempt: back to `queued` at `retry_at`, or `dead` when `retry_at` is
/// `None` (no attempts left).
pub async fn fail(
    db: &Db,
    id: &str,
    worker: &str,
    error: &str,
    retry_at: Option<Timestamp>,
    now: Timestamp,
) -> Result<bool> {
    let done = match retry_at {
        Some(at) => {
            sqlx::query(
                "UPDATE jobs SET state = 'queued', run_at = $1, last_error = $2, \
                 lease_until = NULL WHERE id = $3 AND locked_by = $4 AND state = 'running'",
            )
            .bind(to_micros(at))
            .bind(error)
            .bind(id)
            .bind(worker)
            .execute(db.pool())
            .await?
        }
        None => {
            sqlx::query(
                "UPDATE jobs SET state = 'dead', finished_at = $1, last_error = $2, \
                 lease_until = NULL WHERE id = $3 AND locked_by = $4 AND state = 'running'",
            )
            .bind(to_micros(now))
            .bind(error)
            .bind(id)
            .bind(worker)
            .execute(db.pool())
            .await?
        }
    };
    Ok(done.rows_affected() == 1)
}

/// Puts a dead job back in the queue with a fresh set of attempts, due at `now`.
pub async fn retry_dead(conn: &mut Conn, id: &str, now: Timestamp) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE jobs SET state = 'queued', attempts = 0, run_at = $1, finished_at = NULL \
         WHERE id = $2 AND state = 'dead'",
    )
    .bind(to_micros(now))
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn get(db: &Db, id: &str) -> Result<Option<Job>> {
    let sql = format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = $1");
    let row = sqlx::query(AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    row.as_ref().map(job_from_row).transpose()
}

/// Jobs in a state (all states when `None`), newest first.
pub async fn list(db: &Db, state: Option<JobState>, limit: i64) -> Result<Vec<Job>> {
    let sql = format!(
        "SELECT {JOB_COLUMNS} FROM jobs WHERE ($1 IS NULL OR state = $1) \
         ORDER BY created_at DESC, id DESC LIMIT $2"
    );
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(state.map(|s| s.as_str()))
        .bind(limit)
        .fetch_all(db.pool())
        .await?;
    rows.iter().map(job_from_row).collect()
}

/// How many jobs are in each state.
pub async fn count_by_state(db: &Db) -> Result<Vec<(JobState, i64)>> {
    let rows = sqlx::query("SELECT state, COUNT(*) AS n FROM jobs GROUP BY state ORDER BY state")
        .fetch_all(db.pool())
        .await?;
    rows.iter()
        .map(|r| {
            let c = Cols::new(r, "");
            Ok((c.word::<JobState>("state")?, c.get::<i64>("n")?))
        })
        .collect()
}

/// The earliest `run_at` of a queued job of these kinds.
pub async fn next_due(db: &Db, kinds: &[&str]) -> Result<Option<Timestamp>> {
    if kinds.is_empty() {
        return Ok(None);
    }
    let params: Vec<String> = (0..kinds.len()).map(|i| format!("${}", i + 1)).collect();
    let sql = format!(
        "SELECT MIN(run_at) AS t FROM jobs WHERE state = 'queued' AND kind IN ({})",
        params.join(", ")
    );
    let mut query = sqlx::query(AssertSqlSafe(sql));
    for kind in kinds {
        query = query.bind(*kind);
    }
    let row = query.fetch_one(db.pool()).await?;
    Cols::new(&row, "").at_opt("t")
}

/// Whether a job of these kinds due by `now` is being run right now by a worker whose lease
/// still runs (by the wall clock).
pub async fn running_due(
    db: &Db,
    kinds: &[&str],
    now: Timestamp,
    wall_now: Timestamp,
) -> Result<bool> {
    if kinds.is_empty() {
        return Ok(false);
    }
    let params: Vec<String> = (0..kinds.len()).map(|i| format!("${}", i + 3)).collect();
    let sql = format!(
        "SELECT COUNT(*) AS n FROM jobs WHERE state = 'running' AND run_at <= $1 \
         AND lease_until >= $2 AND kind IN ({})",
        params.join(", ")
    );
    let mut query = sqlx::query(AssertSqlSafe(sql))
        .bind(to_micros(now))
        .bind(to_micros(wall_now));
    for kind in kinds {
        query = query.bind(*kind);
    }
    let row = query.fetch_one(db.pool()).await?;
    let n: i64 = Cols::new(&row, "").get("n")?;
    Ok(n > 0)
}

/// Jobs whose worker died during their last allowed attempt become `dead` (they would
/// otherwise be claimed again forever). Returns how many.
pub async fn bury_abandoned(db: &Db, wall_now: Timestamp) -> Result<u64> {
    let done = sqlx::query(
        "UPDATE jobs SET state = 'dead', finished_at = lease_until, lease_until = NULL, \
         last_error = 'the worker stopped during the last attempt' \
         WHERE state = 'running' AND lease_until < $1 AND attempts >= max_attempts",
    )
    .bind(to_micros(wall_now))
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected())
}

/// Deletes finished (`done`) jobs without an idempotency key that finished before `before`.
/// Jobs with a key stay, so the key keeps a second enqueue from running the work again; dead
/// jobs stay until a person has looked at them.
pub async fn prune_done(db: &Db, before: Timestamp) -> Result<u64> {
    let done = sqlx::query(
        "DELETE FROM jobs WHERE state = 'done' AND idempotency_key IS NULL AND finished_at < $1",
    )
    .bind(to_micros(before))
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected())
}

/// A recurring schedule as stored.
#[derive(Debug, Clone)]
pub struct StoredSchedule {
    pub name: String,
    pub job_kind: String,
    pub definition: String,
    pub next_run_at: Timestamp,
}

/// Registers a schedule, keeping its stored next run when the definition is unchanged (so a
/// restart neither skips nor repeats a run), resetting it when the definition changed.
pub async fn ensure_schedule(
    db: &Db,
    name: &str,
    job_kind: &str,
    definition: &str,
    first_run_at: Timestamp,
    now: Timestamp,
) -> Result<StoredSchedule> {
    let mut tx = db.begin().await?;
    sqlx::query(
        "INSERT INTO job_schedules (name, job_kind, definition, next_run_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(job_kind)
    .bind(definition)
    .bind(to_micros(first_run_at))
    .bind(to_micros(now))
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE job_schedules SET job_kind = $2, definition = $3, next_run_at = $4, \
         updated_at = $5 WHERE name = $1 AND (definition <> $3 OR job_kind <> $2)",
    )
    .bind(name)
    .bind(job_kind)
    .bind(definition)
    .bind(to_micros(first_run_at))
    .bind(to_micros(now))
    .execute(&mut *tx)
    .await?;
    let row = sqlx::query(
        "SELECT name, job_kind, definition, next_run_at FROM job_schedules WHERE name = $1",
    )
    .bind(name)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    let c = Cols::new(&row, "");
    Ok(StoredSchedule {
        name: c.get("name")?,
        job_kind: c.get("job_kind")?,
        definition: c.get("definition")?,
        next_run_at: c.at("next_run_at")?,
    })
}

/// The next run of a schedule.
pub async fn schedule_next_run(db: &Db, name: &str) -> Result<Option<Timestamp>> {
    let row = sqlx::query("SELECT next_run_at FROM job_schedules WHERE name = $1")
        .bind(name)
        .fetch_optional(db.pool())
        .await?;
    row.map(|r| Cols::new(&r, "").at("next_run_at")).transpose()
}

/// Turns one due slot of a schedule into a job: moves the schedule from `slot` to `next`
/// (compare-and-set, so of several instances exactly one wins) and enqueues the job for
/// `slot` under the idempotency key `schedule:{name}:{slot}`. `false` when another instance
/// got there first.
pub async fn fire_schedule(
    db: &Db,
    name: &str,
    slot: Timestamp,
    next: Timestamp,
    job: &NewJob,
    now: Timestamp,
) -> Result<bool> {
    let mut tx = db.begin().await?;
    let moved = sqlx::query(
        "UPDATE job_schedules SET next_run_at = $1, updated_at = $2 \
         WHERE name = $3 AND next_run_at = $4",
    )
    .bind(to_micros(next))
    .bind(to_micros(now))
    .bind(name)
    .bind(to_micros(slot))
    .execute(&mut *tx)
    .await?;
    if moved.rows_affected() != 1 {
        return Ok(false);
    }
    let job = job
        .clone()
        .idempotency_key(format!("schedule:{name}:{}", to_micros(slot)));
    enqueue(&mut tx, &job, now).await?;
    tx.commit().await?;
    Ok(true)
}
