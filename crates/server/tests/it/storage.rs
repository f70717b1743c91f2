//! The storage layer on both engines: migrations in step, SQLite settings, write
//! transactions that wait, the append-only audit log.

use std::time::Duration;

use educenter_store::{
    Db, Engine,
    audit::{self, Actor, Entry, Origin},
    schema,
};
use sqlx::Row;

use crate::harness::{PG_ENV, TestDb};

async fn fresh_db() -> (std::sync::Arc<TestDb>, Db) {
    let test_db = TestDb::create().await;
    let db = educenter_server::open_db(&test_db.url).await.unwrap();
    (test_db, db)
}

#[tokio::test]
async fn sqlite_and_postgres_migrations_give_the_same_tables_and_columns() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite =
        educenter_server::open_db(&format!("sqlite://{}", dir.path().join("s.db").display()))
            .await
            .unwrap();
    let sqlite_shape = schema::shape(&sqlite).await.unwrap();
    for table in ["jobs", "job_schedules", "mail_outbox", "audit_log"] {
        assert!(sqlite_shape.contains_key(table), "{table} missing");
    }
    sqlite.close().await;
    if std::env::var(PG_ENV).is_err() {
        eprintln!("{PG_ENV} is not set: compared SQLite only (CI compares both engines)");
        return;
    }
    let (_guard, pg) = fresh_db().await;
    assert_eq!(pg.engine(), Engine::Postgres);
    let pg_shape = schema::shape(&pg).await.unwrap();
    assert_eq!(
        sqlite_shape.keys().collect::<Vec<_>>(),
        pg_shape.keys().collect::<Vec<_>>(),
        "tables differ"
    );
    for (table, columns) in &sqlite_shape {
        assert_eq!(columns, &pg_shape[table], "columns of {table} differ");
    }
    pg.close().await;
}

#[tokio::test]
async fn migrating_twice_changes_nothing() {
    let (_guard, db) = fresh_db().await;
    let before = schema::shape(&db).await.unwrap();
    db.migrate().await.unwrap();
    assert_eq!(schema::shape(&db).await.unwrap(), before);
    db.close().await;
}

#[tokio::test]
async fn sqlite_runs_in_wal_with_full_sync_foreign_keys_and_a_busy_timeout() {
    let (guard, db) = fresh_db().await;
    if guard.is_postgres() {
        return;
    }
    // Several times, so more than one pooled connection is asked.
    for _ in 0..4 {
        let mut conn = db.pool().acquire().await.unwrap();
        let mode: String = sqlx::query("PRAGMA journal_mode")
            .fetch_one(&mut *conn)
            .await
            .unwrap()
            .get(0);
        assert_eq!(mode, "wal");
        let sync: i64 = sqlx::query("PRAGMA synchronous")
            .fetch_one(&mut *conn)
            .await
            .unwrap()
            .get(0);
        assert_eq!(sync, 2, "synchronous=FULL");
        let fk: i64 = sqlx::query("PRAGMA foreign_keys")
            .fetch_one(&mut *conn)
            .await
            .unwrap()
            .get(0);
        assert_eq!(fk, 1);
        let busy: i64 = sqlx::query("PRAGMA busy_timeout")
            .fetch_one(&mut *conn)
            .await
            .unwrap()
            .get(0);
        assert_eq!(busy, 15000, "our busy timeout, not the driver default");
    }
    db.close().await;
}

/// Two read-then-write transactions at once: with `BEGIN IMMEDIATE` on SQLite the second
/// waits for the first instead of failing when it tries to write; on PostgreSQL both commit.
#[tokio::test]
async fn concurrent_write_transactions_wait_instead_of_failing() {
    let (_guard, db) = fresh_db().await;
    let at = jiff::Timestamp::from_second(1_800_000_000).unwrap();
    let write = |n: i64| {
        let db = db.clone();
        async move {
            let mut tx = db.begin().await?;
            let count: i64 = sqlx::query("SELECT COUNT(*) FROM audit_log")
                .fetch_one(&mut *tx)
                .await?
                .get(0);
            tokio::time::sleep(Duration::from_millis(150)).await;
            let entry = Entry::new(Actor::System, "test.concurrent")
                .details(serde_json::json!({ "n": n, "seen": count }));
            audit::record(&mut tx, &entry, at).await?;
            tx.commit().await?;
            Ok::<_, educenter_store::StoreError>(())
        }
    };
    let (a, b) = tokio::join!(write(1), write(2));
    a.unwrap();
    b.unwrap();
    assert_eq!(
        audit::recent(&db, Some("test.concurrent"), 10)
            .await
            .unwrap()
            .len(),
        2
    );
    db.close().await;
}

#[tokio::test]
async fn the_audit_log_is_append_only() {
    let (_guard, db) = fresh_db().await;
    let at = jiff::Timestamp::from_second(1_800_000_000).unwrap();
    let mut tx = db.begin().await.unwrap();
    let entry = Entry::new(
        Actor::Principal {
            kind: "operator".into(),
            id: "op-1".into(),
        },
        "tenant.block",
    )
    .tenant("t-1")
    .target("tenant", "t-1")
    .origin(Origin {
        ip: Some("10.0.0.7".into()),
        user_agent: Some("curl/8".into()),
    })
    .details(serde_json::json!({ "reason": "unpaid" }));
    let id = audit::record(&mut tx, &entry, at).await.unwrap();
    tx.commit().await.unwrap();

    let stored = audit::recent(&db, None, 10).await.unwrap();
    assert_eq!(stored.len(), 1);
    let e = &stored[0];
    assert_eq!(
        (e.id.as_str(), e.actor_kind.as_str(), e.actor_id.as_deref()),
        (id.as_str(), "operator", Some("op-1"))
    );
    assert_eq!(e.tenant_id.as_deref(), Some("t-1"));
    assert_eq!(e.target_kind.as_deref(), Some("tenant"));
    assert_eq!(e.ip.as_deref(), Some("10.0.0.7"));
    assert_eq!(e.user_agent.as_deref(), Some("curl/8"));
    assert_eq!(e.details["reason"], "unpaid");
    assert_eq!(e.at, at);

    let update = sqlx::query("UPDATE audit_log SET action = 'x'")
        .execute(db.pool())
        .await;
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = sqlx::query("DELETE FROM audit_log")
        .execute(db.pool())
        .await;
    assert!(delete.unwrap_err().to_string().contains("append-only"));
    assert_eq!(audit::recent(&db, None, 10).await.unwrap().len(), 1);
    db.close().await;
}
