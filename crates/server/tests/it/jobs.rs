//! Background jobs: schedules, advance-and-drain in time order, idempotency, retries, the
//! dead-letter state, several instances on one database, graceful shutdown.

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use educenter_domain::queues::JobState;
use educenter_domain::schedule::Schedule;
use educenter_services::jobs::JobRegistry;
use educenter_store::jobs::{self, NewJob};
use jiff::Timestamp;
use serde_json::json;

use crate::harness::TestApp;

/// One run of a test job: which instance, the slot it ran for, and the clock when it ran.
#[derive(Debug, Clone, PartialEq)]
struct Run {
    instance: &'static str,
    kind: String,
    due_at: Timestamp,
    clock_at_run: Timestamp,
}

type Runs = Arc<Mutex<Vec<Run>>>;

fn recorder(runs: &Runs, instance: &'static str, registry: &mut JobRegistry, kind: &str) {
    let runs = runs.clone();
    registry.handle(kind, move |ctx| {
        let runs = runs.clone();
        async move {
            runs.lock().unwrap().push(Run {
                instance,
                kind: ctx.kind.clone(),
                due_at: ctx.due_at,
                clock_at_run: ctx.services.clock.now(),
            });
            Ok(())
        }
    });
}

fn daily_nine(
    runs: &Runs,
    instance: &'static str,
) -> impl FnOnce(&mut JobRegistry) + Send + 'static {
    let runs = runs.clone();
    move |r: &mut JobRegistry| {
        recorder(&runs, instance, r, "test.daily");
        r.schedule(
            "test.daily-nine",
            "test.daily",
            Schedule::daily_at(9, 0).unwrap(),
        );
    }
}

fn slots(runs: &Runs, kind: &str) -> Vec<String> {
    runs.lock()
        .unwrap()
        .iter()
        .filter(|r| r.kind == kind)
        .map(|r| r.due_at.to_string())
        .collect()
}

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

#[tokio::test]
async fn a_daily_job_at_nine_almaty_runs_once_per_day_in_one_big_step() {
    let runs = Runs::default();
    // 2027-03-01 05:00 in Almaty.
    let app = TestApp::builder()
        .clock("2027-03-01T00:00:00Z")
        .jobs(daily_nine(&runs, "a"))
        .start()
        .await;
    app.advance(0, 3, 59).await; // 08:59 local: not yet.
    assert!(slots(&runs, "test.daily").is_empty());
    app.advance(0, 0, 1).await; // 09:00 local.
    assert_eq!(slots(&runs, "test.daily"), ["2027-03-01T04:00:00Z"]);
    app.advance(3, 0, 0).await;
    assert_eq!(
        slots(&runs, "test.daily"),
        [
            "2027-03-01T04:00:00Z",
            "2027-03-02T04:00:00Z",
            "2027-03-03T04:00:00Z",
            "2027-03-04T04:00:00Z"
        ]
    );
    // Each ran with the clock standing at its own slot: time order, not "all at the end".
    for run in runs.lock().unwrap().iter() {
        assert_eq!(run.clock_at_run, run.due_at);
    }
    assert_eq!(app.now().await, ts("2027-03-04T04:00:00Z"));
    app.stop().await;
}

#[tokio::test]
async fn a_daily_job_runs_once_per_day_in_many_small_steps() {
    let runs = Runs::default();
    let app = TestApp::builder()
        .clock("2027-03-01T00:00:00Z")
        .jobs(daily_nine(&runs, "a"))
        .start()
        .await;
    for _ in 0..(3 * 24 * 2) {
        app.advance(0, 0, 30).await;
    }
    assert_eq!(
        slots(&runs, "test.daily"),
        [
            "2027-03-01T04:00:00Z",
            "2027-03-02T04:00:00Z",
            "2027-03-03T04:00:00Z"
        ]
    );
    // A restart keeps the schedule: it neither repeats nor skips the next slot.
    let db = app.db.clone();
    app.stop().await;
    let app = TestApp::builder()
        .db(&db)
        .clock("2027-03-04T00:00:00Z")
        .jobs(daily_nine(&runs, "a"))
        .start()
        .await;
    app.advance(1, 0, 0).await;
    assert_eq!(slots(&runs, "test.daily").len(), 4);
    assert_eq!(slots(&runs, "test.daily")[3], "2027-03-04T04:00:00Z");
    app.stop().await;
}

#[tokio::test]
async fn due_work_runs_in_time_order_across_schedules_and_queued_jobs() {
    let runs = Runs::default();
    let r = runs.clone();
    let app = TestApp::builder()
        .clock("2027-03-01T00:00:00Z")
        .jobs(move |reg| {
            recorder(&r, "a", reg, "test.daily");
            recorder(&r, "a", reg, "test.six-hourly");
            recorder(&r, "a", reg, "test.once");
            reg.schedule("d", "test.daily", Schedule::daily_at(9, 0).unwrap());
            reg.schedule("s", "test.six-hourly", Schedule::every_hours(6).unwrap());
        })
        .start()
        .await;
    let mut tx = app.store().begin().await.unwrap();
    let job = NewJob::new("test.once", json!({}), ts("2027-03-01T05:30:00Z"));
    jobs::enqueue(&mut tx, &job, ts("2027-03-01T00:00:00Z"))
        .await
        .unwrap();
    tx.commit().await.unwrap();

    app.advance(0, 12, 0).await;
    let order: Vec<(String, String)> = runs
        .lock()
        .unwrap()
        .iter()
        .map(|r| (r.kind.clone(), r.clock_at_run.to_string()))
        .collect();
    assert_eq!(
        order,
        [
            ("test.daily".to_owned(), "2027-03-01T04:00:00Z".to_owned()),
            ("test.once".to_owned(), "2027-03-01T05:30:00Z".to_owned()),
            (
                "test.six-hourly".to_owned(),
                "2027-03-01T06:00:00Z".to_owned()
            ),
            (
                "test.six-hourly".to_owned(),
                "2027-03-01T12:00:00Z".to_owned()
            ),
        ]
    );
    app.stop().await;
}

#[tokio::test]
async fn a_job_enqueued_twice_with_one_key_runs_once() {
    let runs = Runs::default();
    let r = runs.clone();
    let app = TestApp::builder()
        .jobs(move |reg| recorder(&r, "a", reg, "test.once"))
        .start()
        .await;
    let db = app.store();
    let now = app.now().await;
    let job = NewJob::new("test.once", json!({"n": 1}), now).idempotency_key("invoice-42-reminder");
    for expect_new in [true, false] {
        let mut tx = db.begin().await.unwrap();
        let id = jobs::enqueue(&mut tx, &job, now).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(id.is_some(), expect_new);
    }
    app.advance(0, 0, 1).await;
    // Even after it ran, the same key does not queue it again.
    let mut tx = db.begin().await.unwrap();
    assert!(jobs::enqueue(&mut tx, &job, now).await.unwrap().is_none());
    tx.commit().await.unwrap();
    app.advance(0, 0, 1).await;
    assert_eq!(runs.lock().unwrap().len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn a_failing_job_is_retried_with_back_off_then_dead_and_visible() {
    let attempts = Arc::new(Mutex::new(Vec::<Timestamp>::new()));
    let a = attempts.clone();
    let app = TestApp::builder()
        .metrics_token()
        .clock("2027-03-01T00:00:00Z")
        .jobs(move |reg| {
            reg.handle("test.failing", move |ctx| {
                let a = a.clone();
                async move {
                    a.lock().unwrap().push(ctx.services.clock.now());
                    anyhow::bail!("the bank did not answer")
                }
            });
        })
        .start()
        .await;
    let db = app.store();
    let start = ts("2027-03-01T00:00:00Z");
    let mut tx = db.begin().await.unwrap();
    let job = NewJob::new("test.failing", json!({}), ts("2027-03-01T00:00:10Z")).max_attempts(3);
    let id = jobs::enqueue(&mut tx, &job, start).await.unwrap().unwrap();
    tx.commit().await.unwrap();

    app.set_clock("2027-03-01T00:00:20Z").await;
    let job = jobs::get(db, &id).await.unwrap().unwrap();
    assert_eq!(job.state, JobState::Queued);
    assert_eq!(job.attempts, 1);
    assert_eq!(job.run_at, ts("2027-03-01T00:00:40Z"));
    assert_eq!(job.last_error.as_deref(), Some("the bank did not answer"));

    app.advance(0, 1, 0).await;
    // 00:00:10 first, 30 s later the second, 2 min after that the third: then dead.
    assert_eq!(
        attempts
            .lock()
            .unwrap()
            .iter()
            .map(|t| t.to_string())
            .collect::<Vec<_>>(),
        [
            "2027-03-01T00:00:10Z",
            "2027-03-01T00:00:40Z",
            "2027-03-01T00:02:40Z"
        ]
    );
    let job = jobs::get(db, &id).await.unwrap().unwrap();
    assert_eq!(job.state, JobState::Dead);
    assert_eq!(job.attempts, 3);
    let dead = jobs::list(db, Some(JobState::Dead), 10).await.unwrap();
    assert_eq!(dead.len(), 1);
    let metrics = app.metrics().await;
    assert!(
        metrics.contains("educenter_jobs{state=\"dead\"} 1"),
        "{metrics}"
    );

    // A person puts it back; it runs (and fails) again.
    let mut tx = db.begin().await.unwrap();
    assert!(
        jobs::retry_dead(&mut tx, &id, app.now().await)
            .await
            .unwrap()
    );
    tx.commit().await.unwrap();
    // Three fresh attempts within the hour (now, +30 s, +2 min), then dead again.
    app.advance(0, 1, 0).await;
    assert_eq!(attempts.lock().unwrap().len(), 6);
    assert_eq!(
        jobs::get(db, &id).await.unwrap().unwrap().state,
        JobState::Dead
    );
    // It fails work on purpose.
    app.expect_leftovers();
    app.stop().await;
}

#[tokio::test]
async fn a_panicking_job_counts_as_a_failed_attempt() {
    let app = TestApp::builder()
        .jobs(|reg| {
            reg.handle("test.panics", |_ctx| async { panic!("boom") });
        })
        .start()
        .await;
    let db = app.store();
    let now = app.now().await;
    let mut tx = db.begin().await.unwrap();
    let id = jobs::enqueue(
        &mut tx,
        &NewJob::new("test.panics", json!({}), now).max_attempts(1),
        now,
    )
    .await
    .unwrap()
    .unwrap();
    tx.commit().await.unwrap();
    app.advance(0, 0, 1).await;
    let job = jobs::get(db, &id).await.unwrap().unwrap();
    assert_eq!(job.state, JobState::Dead);
    assert!(job.last_error.unwrap().contains("boom"));
    assert_eq!(app.get("/healthz").await.status, 200);
    // It fails work on purpose.
    app.expect_leftovers();
    app.stop().await;
}

#[tokio::test]
async fn two_instances_on_one_database_run_each_daily_slot_once() {
    let runs = Runs::default();
    let a = TestApp::builder()
        .clock("2027-03-01T00:00:00Z")
        .jobs(daily_nine(&runs, "a"))
        .start()
        .await;
    let b = TestApp::builder()
        .db(&a.db)
        .clock("2027-03-01T00:00:00Z")
        .jobs(daily_nine(&runs, "b"))
        .start()
        .await;
    // Taking turns, in small steps and large.
    a.advance(1, 0, 0).await;
    b.advance(1, 0, 0).await;
    for _ in 0..8 {
        b.advance(0, 3, 0).await;
        a.advance(0, 3, 0).await;
    }
    // Both at once, several times.
    for _ in 0..3 {
        tokio::join!(a.advance(1, 0, 0), b.advance(1, 0, 0));
    }
    let mut got = slots(&runs, "test.daily");
    got.sort();
    assert_eq!(
        got,
        [
            "2027-03-01T04:00:00Z",
            "2027-03-02T04:00:00Z",
            "2027-03-03T04:00:00Z",
            "2027-03-04T04:00:00Z",
            "2027-03-05T04:00:00Z",
        ],
        "runs: {:?}",
        runs.lock().unwrap()
    );
    a.stop().await;
    b.stop().await;
}

#[tokio::test]
async fn shutdown_lets_the_running_job_finish() {
    let finished = Arc::new(Mutex::new(false));
    let f = finished.clone();
    let app = TestApp::builder()
        .jobs(move |reg| {
            reg.handle("test.slow", move |_ctx| {
                let f = f.clone();
                async move {
                    tokio::time::sleep(Duration::from_millis(700)).await;
                    *f.lock().unwrap() = true;
                    Ok(())
                }
            });
        })
        .start()
        .await;
    let db = app.store().clone();
    let now = app.now().await;
    let mut tx = db.begin().await.unwrap();
    let id = jobs::enqueue(&mut tx, &NewJob::new("test.slow", json!({}), now), now)
        .await
        .unwrap()
        .unwrap();
    tx.commit().await.unwrap();
    app.services().jobs.wake();
    // Wait until the background loop has claimed it, then stop.
    for _ in 0..200 {
        if jobs::get(&db, &id).await.unwrap().unwrap().state == JobState::Running {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let keep = app.db.clone();
    let check = educenter_store::Db::connect(&keep.url).await.unwrap();
    app.stop_now().await;
    assert!(
        *finished.lock().unwrap(),
        "shutdown did not wait for the job"
    );
    assert_eq!(
        jobs::get(&check, &id).await.unwrap().unwrap().state,
        JobState::Done
    );
    check.close().await;
}

#[tokio::test]
async fn a_job_whose_worker_died_is_taken_over_after_its_lease_or_dead_after_its_last_attempt() {
    let app = TestApp::builder()
        .jobs(|reg| {
            reg.handle("test.crashy", |_ctx| async { Ok(()) });
        })
        .start()
        .await;
    let db = app.store();
    // Due tomorrow by the app's clock, so the app's own runner leaves them alone.
    let due = app.now().await + jiff::SignedDuration::from_hours(24);
    let mut ids = Vec::new();
    for max in [2, 1] {
        let mut tx = db.begin().await.unwrap();
        let job = NewJob::new("test.crashy", json!({ "max": max }), due).max_attempts(max);
        ids.push(jobs::enqueue(&mut tx, &job, due).await.unwrap().unwrap());
        tx.commit().await.unwrap();
    }
    let lease = Duration::from_secs(600);
    let wall = ts("2030-01-01T00:00:00Z");
    let later = wall + jiff::SignedDuration::from_secs(601);
    let kinds = ["test.crashy"];
    // Worker A claims both, then "dies".
    for _ in 0..2 {
        jobs::claim(db, &kinds, "worker-a", due, wall, lease)
            .await
            .unwrap()
            .unwrap();
    }
    assert!(
        jobs::claim(db, &kinds, "worker-b", due, wall, lease)
            .await
            .unwrap()
            .is_none()
    );
    // A worker that still runs a job moves its lease on (the heartbeat); another worker's
    // move, or one for a job it does not hold, changes nothing.
    let moved = wall + jiff::SignedDuration::from_secs(1200);
    assert!(
        !jobs::extend_lease(db, &ids[0], "worker-b", moved)
            .await
            .unwrap()
    );
    assert!(
        jobs::extend_lease(db, &ids[0], "worker-a", moved)
            .await
            .unwrap()
    );
    assert!(
        jobs::claim(db, &kinds, "worker-b", due, later, lease)
            .await
            .unwrap()
            .is_none(),
        "a job whose lease was moved on is not taken over after 10 minutes"
    );
    assert!(
        jobs::extend_lease(db, &ids[0], "worker-a", wall)
            .await
            .unwrap()
    );
    // After the lease: the job with an attempt left is taken over, the other is buried.
    let taken = jobs::claim(db, &kinds, "worker-b", due, later, lease)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((taken.id.as_str(), taken.attempts), (ids[0].as_str(), 2));
    assert!(
        jobs::claim(db, &kinds, "worker-b", due, later, lease)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(jobs::bury_abandoned(db, later).await.unwrap(), 1);
    let dead = jobs::get(db, &ids[1]).await.unwrap().unwrap();
    assert_eq!(dead.state, JobState::Dead);
    assert!(
        dead.last_error
            .unwrap()
            .contains("stopped during the last attempt")
    );
    // Worker A's late report changes nothing; worker B's counts.
    assert!(!jobs::complete(db, &ids[0], "worker-a", due).await.unwrap());
    assert!(jobs::complete(db, &ids[0], "worker-b", due).await.unwrap());
    // It fails work on purpose.
    app.expect_leftovers();
    app.stop().await;
}

/// A test job: a number to record (in [`COUNTED`], this test's alone).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Count {
    n: i64,
}

static COUNTED: Mutex<Vec<i64>> = Mutex::new(Vec::new());

impl educenter_services::jobs::Job for Count {
    const KIND: &'static str = "test.count";

    async fn run(self, _ctx: educenter_services::jobs::JobContext) -> anyhow::Result<()> {
        COUNTED.lock().unwrap().push(self.n);
        Ok(())
    }
}

#[tokio::test]
async fn a_typed_payload_reaches_its_handler_and_a_malformed_one_fails_before_it() {
    use educenter_services::jobs::Job;
    let seen = &COUNTED;
    let app = TestApp::builder()
        .jobs(|reg| {
            reg.job::<Count>();
        })
        .start()
        .await;
    let db = app.store();
    let now = app.now().await;
    let mut tx = db.begin().await.unwrap();
    let good = jobs::enqueue(&mut tx, &Count { n: 7 }.job(now), now)
        .await
        .unwrap()
        .unwrap();
    let bad = jobs::enqueue(
        &mut tx,
        &NewJob::new("test.count", json!({ "n": "seven" }), now).max_attempts(1),
        now,
    )
    .await
    .unwrap()
    .unwrap();
    tx.commit().await.unwrap();
    app.advance(0, 0, 1).await;
    assert_eq!(*seen.lock().unwrap(), vec![7]);
    assert_eq!(
        jobs::get(db, &good).await.unwrap().unwrap().state,
        JobState::Done
    );
    let bad = jobs::get(db, &bad).await.unwrap().unwrap();
    assert_eq!(bad.state, JobState::Dead);
    assert!(
        bad.last_error
            .as_deref()
            .is_some_and(|e| e.contains("test.count")),
        "{:?}",
        bad.last_error
    );
    // It fails work on purpose.
    app.expect_leftovers();
    app.stop().await;
}

/// The harness itself: a test that leaves a failed job behind without saying so fails when it
/// stops (the job is due at its end, so the stop's drain runs it).
#[tokio::test]
#[should_panic(expected = "left failed work behind")]
async fn a_test_that_leaves_failed_work_behind_unsaid_fails() {
    let app = TestApp::builder()
        .jobs(|reg| {
            reg.handle("test.unlucky", |_ctx| async {
                anyhow::bail!("the bank did not answer")
            });
        })
        .start()
        .await;
    let db = app.store();
    let now = app.now().await;
    let mut tx = db.begin().await.unwrap();
    let job = NewJob::new("test.unlucky", json!({}), now).max_attempts(1);
    jobs::enqueue(&mut tx, &job, now).await.unwrap().unwrap();
    tx.commit().await.unwrap();
    app.stop().await;
}
