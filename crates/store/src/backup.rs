//! Backups as the database sees them (issue 18, item 1): a consistent copy of an SQLite
//! database taken while the server runs, each table's row count and checksum read from such a
//! copy, and the record of backup runs and of the alerts raised when none succeeded for too
//! long. The set's files, their encryption and the target they go to are the services'.

use std::path::Path;

use educenter_domain::backup::{AlertLevel, RunKind, RunStatus};
use jiff::Timestamp;
use rusqlite::{OpenFlags, types::ValueRef};
use sha2::{Digest as _, Sha256};

use crate::{Cols, Conn, Db, Result, StoreError, to_micros};

/// One table of a copy: its name, how many rows it holds and the SHA-256 of those rows read in
/// the order of its primary key.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TableDigest {
    pub name: String,
    pub rows: i64,
    pub sha256: String,
}

/// What a copy of the database holds: the last migration applied and every table's digest,
/// by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyDigest {
    pub schema_version: i64,
    pub tables: Vec<TableDigest>,
}

/// Writes a consistent snapshot of the SQLite database `db` opens into `to`, which must not
/// exist: `VACUUM INTO` reads one transaction's view (writers go on meanwhile) and writes a
/// compact copy, synced to disk. Runs on a blocking thread.
pub async fn snapshot_sqlite(db: &Db, to: &Path) -> Result<()> {
    let from = db
        .sqlite_file()
        .ok_or_else(|| StoreError::Corrupt("a snapshot file is taken of SQLite only".into()))?
        .to_owned();
    let to = to.to_owned();
    tokio::task::spawn_blocking(move || -> Result<()> {
        let conn = rusqlite::Connection::open_with_flags(
            &from,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(15))?;
        let target = to
            .to_str()
            .ok_or_else(|| StoreError::Corrupt(format!("{} is not UTF-8", to.display())))?;
        conn.execute("VACUUM INTO ?1", [target])?;
        Ok(())
    })
    .await
    .map_err(|e| StoreError::Corrupt(format!("the snapshot's thread: {e}")))?
}

/// Checks an SQLite file (`PRAGMA integrity_check` must answer exactly `ok`) and reads every
/// table's row count and checksum. Blocking: call it from a blocking thread.
pub fn digest_sqlite_file(path: &Path) -> Result<CopyDigest> {
    let conn = rusqlite::Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    let mut check = conn.prepare("PRAGMA integrity_check")?;
    let answers: Vec<String> = check
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<_>>()?;
    if answers != ["ok"] {
        return Err(StoreError::Corrupt(format!(
            "integrity_check: {}",
            answers.join("; ")
        )));
    }
    let names: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             ORDER BY name",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut tables = Vec::with_capacity(names.len());
    for name in names {
        let keys: Vec<String> = conn
            .prepare("SELECT name FROM pragma_table_info(?1) WHERE pk > 0 ORDER BY pk")?
            .query_map([&name], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let order = if keys.is_empty() {
            "rowid".to_owned()
        } else {
            keys.iter().map(|k| quote(k)).collect::<Vec<_>>().join(", ")
        };
        let mut stmt = conn.prepare(&format!("SELECT * FROM {} ORDER BY {order}", quote(&name)))?;
        let width = stmt.column_count();
        let mut rows = stmt.query([])?;
        let mut hash = Sha256::new();
        let mut count = 0i64;
        while let Some(row) = rows.next()? {
            count += 1;
            for i in 0..width {
                feed(&mut hash, row.get_ref(i)?);
            }
        }
        tables.push(TableDigest {
            name,
            rows: count,
            sha256: hex::encode(hash.finalize()),
        });
    }
    let schema_version = conn.query_row(
        "SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success",
        [],
        |r| r.get(0),
    )?;
    Ok(CopyDigest {
        schema_version,
        tables,
    })
}

/// The stored files (`media.storage_key`, `media.sha256`, `media.size_bytes`) an SQLite copy
/// names and has not deleted, by key. Blocking.
pub fn media_in_sqlite_file(path: &Path) -> Result<Vec<(String, String, i64)>> {
    let conn = rusqlite::Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    let files = conn
        .prepare(
            "SELECT storage_key, sha256, size_bytes FROM media WHERE deleted_at IS NULL \
         ORDER BY storage_key",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(files)
}

/// A name as an SQL identifier.
fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// One value into a table's checksum: its kind, then its bytes (length first where they vary),
/// so that no two different rows feed the same bytes.
fn feed(hash: &mut Sha256, v: ValueRef<'_>) {
    match v {
        ValueRef::Null => hash.update(b"N"),
        ValueRef::Integer(i) => {
            hash.update(b"I");
            hash.update(i.to_le_bytes());
        }
        ValueRef::Real(f) => {
            hash.update(b"R");
            hash.update(f.to_bits().to_le_bytes());
        }
        ValueRef::Text(t) => {
            hash.update(b"T");
            hash.update((t.len() as u64).to_le_bytes());
            hash.update(t);
        }
        ValueRef::Blob(b) => {
            hash.update(b"B");
            hash.update((b.len() as u64).to_le_bytes());
            hash.update(b);
        }
    }
}

/// A backup, verification or drill as recorded.
#[derive(Debug, Clone)]
pub struct Run {
    pub id: String,
    pub kind: RunKind,
    pub status: RunStatus,
    pub set_id: Option<String>,
    pub started_at: Timestamp,
    pub finished_at: Option<Timestamp>,
    pub bytes: Option<i64>,
    pub media_added: Option<i64>,
    pub detail: Option<String>,
}

const RUN_COLUMNS: &str =
    "id, kind, status, set_id, started_at, finished_at, bytes, media_added, detail";

fn run_of(c: &Cols<'_>) -> Result<Run> {
    Ok(Run {
        id: c.get("id")?,
        kind: c.word("kind")?,
        status: c.word("status")?,
        set_id: c.get("set_id")?,
        started_at: c.at("started_at")?,
        finished_at: c.at_opt("finished_at")?,
        bytes: c.get("bytes")?,
        media_added: c.get("media_added")?,
        detail: c.get("detail")?,
    })
}

/// Records that a run started; `false` when another run of this kind is under way (one runs
/// at a time: a unique index over the running ones). A run still "running" that began before
/// `stale_before` died with its process: it is marked failed first.
pub async fn start_run(
    conn: &mut Conn,
    id: &str,
    kind: RunKind,
    at: Timestamp,
    stale_before: Timestamp,
) -> Result<bool> {
    sqlx::query(
        "UPDATE backup_runs SET status = 'failed', finished_at = $3, \
         detail = 'interrupted: its process stopped before it finished' \
         WHERE kind = $1 AND status = 'running' AND COALESCE(heartbeat_at, started_at) < $2",
    )
    .bind(kind.as_str())
    .bind(to_micros(stale_before))
    .bind(to_micros(at))
    .execute(&mut *conn)
    .await?;
    let inserted = sqlx::query(
        "INSERT INTO backup_runs (id, kind, status, started_at) VALUES ($1, $2, 'running', $3)",
    )
    .bind(id)
    .bind(kind.as_str())
    .bind(to_micros(at))
    .execute(&mut *conn)
    .await;
    match inserted {
        Ok(_) => Ok(true),
        Err(e) => {
            let e = StoreError::from(e);
            if e.is_unique_violation() {
                Ok(false)
            } else {
                Err(e)
            }
        }
    }
}

/// How a run ended.
#[derive(Debug, Clone, Default)]
pub struct Outcome<'a> {
    pub ok: bool,
    pub set_id: Option<&'a str>,
    pub bytes: Option<i64>,
    pub media_added: Option<i64>,
    pub detail: Option<&'a str>,
}

pub async fn finish_run(conn: &mut Conn, id: &str, o: &Outcome<'_>, at: Timestamp) -> Result<()> {
    sqlx::query(
        "UPDATE backup_runs SET status = $2, set_id = $3, bytes = $4, media_added = $5, \
         detail = $6, finished_at = $7 WHERE id = $1",
    )
    .bind(id)
    .bind(
        if o.ok {
            RunStatus::Ok
        } else {
            RunStatus::Failed
        }
        .as_str(),
    )
    .bind(o.set_id)
    .bind(o.bytes)
    .bind(o.media_added)
    .bind(o.detail)
    .bind(to_micros(at))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The newest runs, newest first.
pub async fn recent_runs(conn: &mut Conn, limit: i64) -> Result<Vec<Run>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {RUN_COLUMNS} FROM backup_runs ORDER BY started_at DESC, id DESC LIMIT $1"
    )))
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|r| run_of(&Cols::new(r, ""))).collect()
}

/// The newest successful run of a kind.
pub async fn last_success(conn: &mut Conn, kind: RunKind) -> Result<Option<Run>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {RUN_COLUMNS} FROM backup_runs WHERE kind = $1 AND status = 'ok' \
         ORDER BY finished_at DESC, id DESC LIMIT 1"
    )))
    .bind(kind.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| run_of(&Cols::new(&r, ""))).transpose()
}

/// Moves a running run's heartbeat on.
pub async fn touch_run(db: &Db, id: &str, at: Timestamp) -> Result<()> {
    sqlx::query("UPDATE backup_runs SET heartbeat_at = $2 WHERE id = $1")
        .bind(id)
        .bind(to_micros(at))
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Names the set a running check reads (and moves its heartbeat on).
pub async fn reading_set(db: &Db, id: &str, set: &str, at: Timestamp) -> Result<()> {
    sqlx::query("UPDATE backup_runs SET set_id = $2, heartbeat_at = $3 WHERE id = $1")
        .bind(id)
        .bind(set)
        .bind(to_micros(at))
        .execute(db.pool())
        .await?;
    Ok(())
}

/// The sets running checks are reading.
pub async fn sets_in_use(conn: &mut Conn) -> Result<Vec<String>> {
    let rows = sqlx::query(
        "SELECT set_id FROM backup_runs WHERE status = 'running' AND set_id IS NOT NULL",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| Cols::new(r, "").get("set_id"))
        .collect()
}

/// When the first run of a kind started, if one ever did.
pub async fn first_started(conn: &mut Conn, kind: RunKind) -> Result<Option<Timestamp>> {
    let row = sqlx::query("SELECT MIN(started_at) AS first FROM backup_runs WHERE kind = $1")
        .bind(kind.as_str())
        .fetch_one(&mut *conn)
        .await?;
    Cols::new(&row, "").at_opt("first")
}

/// An alert about backups as recorded.
#[derive(Debug, Clone)]
pub struct Alert {
    pub id: String,
    pub level: AlertLevel,
    pub since: Timestamp,
    pub raised_at: Timestamp,
    pub resolved_at: Option<Timestamp>,
}

/// Raises an alert counted from `since`, in one statement that checks no backup succeeded
/// after `since` (so a success committed meanwhile is never followed by a stale alert); `false`
/// when that alert was already raised or a backup has succeeded since.
pub async fn raise_alert(
    conn: &mut Conn,
    level: AlertLevel,
    since: Timestamp,
    at: Timestamp,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO backup_alerts (id, level, since, raised_at) \
         SELECT $1, $2, $3, $4 WHERE NOT EXISTS (SELECT 1 FROM backup_runs \
         WHERE kind = 'backup' AND status = 'ok' AND finished_at > $3) \
         ON CONFLICT (level, since) DO NOTHING",
    )
    .bind(crate::new_id())
    .bind(level.as_str())
    .bind(to_micros(since))
    .bind(to_micros(at))
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Resolves every open alert (a backup succeeded).
pub async fn resolve_alerts(conn: &mut Conn, at: Timestamp) -> Result<u64> {
    let done = sqlx::query("UPDATE backup_alerts SET resolved_at = $1 WHERE resolved_at IS NULL")
        .bind(to_micros(at))
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected())
}

/// The alerts not yet resolved, the gravest and newest first.
pub async fn open_alerts(conn: &mut Conn) -> Result<Vec<Alert>> {
    let rows = sqlx::query(
        "SELECT id, level, since, raised_at, resolved_at FROM backup_alerts \
         WHERE resolved_at IS NULL ORDER BY CASE level WHEN 'critical' THEN 0 ELSE 1 END, \
         raised_at DESC",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let c = Cols::new(r, "");
            Ok(Alert {
                id: c.get("id")?,
                level: c.word("level")?,
                since: c.at("since")?,
                raised_at: c.at("raised_at")?,
                resolved_at: c.at_opt("resolved_at")?,
            })
        })
        .collect()
}

/// How many schools a database holds (the smoke check of a restored copy: the program's own
/// driver opens it and reads).
pub async fn count_schools(db: &Db) -> Result<i64> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM tenants")
        .fetch_one(db.pool())
        .await?;
    Cols::new(&row, "").get("n")
}

/// What a PostgreSQL dump holds, read in the very snapshot `pg_dump` read.
#[derive(Debug, Clone)]
pub struct PgDump {
    pub digest: CopyDigest,
    /// `(storage_key, sha256, size_bytes)` of every stored file, by key.
    pub media: Vec<(String, String, i64)>,
}

/// A connection URL split for a child process: the URL without its password, and the password
/// (passed in `PGPASSWORD`, so it never shows in the process list).
fn pg_child_url(url: &str) -> (String, Option<String>) {
    let decode = |p: &str| {
        percent_encoding::percent_decode_str(p)
            .decode_utf8_lossy()
            .into_owned()
    };
    // A `password=` parameter leaves the query.
    let (base, mut password) = match url.split_once('?') {
        Some((base, query)) => {
            let mut found = None;
            let kept: Vec<&str> = query
                .split('&')
                .filter(|kv| match kv.strip_prefix("password=") {
                    Some(p) => {
                        found = Some(decode(p));
                        false
                    }
                    None => true,
                })
                .collect();
            let base = if kept.is_empty() {
                base.to_owned()
            } else {
                format!("{base}?{}", kept.join("&"))
            };
            (base, found)
        }
        None => (url.to_owned(), None),
    };
    if let (Some(scheme), Some(at)) = (base.find("://"), base.rfind('@'))
        && at > scheme
        && let Some((user, secret)) = base[scheme + 3..at].split_once(':')
    {
        password = Some(decode(secret));
        return (
            format!("{}{user}{}", &base[..scheme + 3], &base[at..]),
            password,
        );
    }
    (base, password)
}

/// Runs `pg_dump` or `pg_restore` with a database URL; fails with what it said.
async fn pg_tool(program: &str, args: &[&str], url: &str, url_flag: &str) -> Result<()> {
    let (url, password) = pg_child_url(url);
    let mut cmd = tokio::process::Command::new(program);
    cmd.args(args).arg(url_flag).arg(&url);
    if let Some(p) = password {
        cmd.env("PGPASSWORD", p);
    }
    let out = cmd.output().await.map_err(|e| {
        StoreError::Io(std::io::Error::new(
            e.kind(),
            format!("running {program} (install the PostgreSQL client): {e}"),
        ))
    })?;
    if !out.status.success() {
        return Err(StoreError::Corrupt(format!(
            "{program} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(())
}

/// Dumps the PostgreSQL database `db` is connected to (at `url`) into `to` in `pg_dump`'s
/// custom format, and reads every table's digest and the stored files in the same snapshot:
/// a read-only repeatable-read transaction exports its snapshot and `pg_dump --snapshot` reads
/// that one, so the dump and the manifest describe one instant while writers go on.
pub async fn dump_postgres(db: &Db, url: &str, to: &Path) -> Result<PgDump> {
    let mut tx = db.pool().begin().await?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .execute(&mut *tx)
        .await?;
    let row = sqlx::query("SELECT pg_export_snapshot() AS s")
        .fetch_one(&mut *tx)
        .await?;
    let snapshot: String = { Cols::new(&row, "").get("s")? };
    let file = to
        .to_str()
        .ok_or_else(|| StoreError::Corrupt(format!("{} is not UTF-8", to.display())))?;
    pg_tool(
        "pg_dump",
        &[
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            &format!("--snapshot={snapshot}"),
            &format!("--file={file}"),
        ],
        url,
        "--dbname",
    )
    .await?;
    let digest = digest_postgres_in(&mut tx).await?;
    let rows = sqlx::query(
        "SELECT storage_key, sha256, size_bytes FROM media WHERE deleted_at IS NULL \
         ORDER BY storage_key",
    )
    .fetch_all(&mut *tx)
    .await?;
    let media = rows
        .iter()
        .map(|r| {
            let c = Cols::new(r, "");
            Ok((
                c.get("storage_key")?,
                c.get("sha256")?,
                c.get("size_bytes")?,
            ))
        })
        .collect::<Result<_>>()?;
    tx.commit().await?;
    Ok(PgDump { digest, media })
}

/// Every table's digest on PostgreSQL, each row read as its text form (`t::text`) in the order
/// of its primary key.
async fn digest_postgres_in(conn: &mut Conn) -> Result<CopyDigest> {
    let rows = sqlx::query(
        "SELECT c.relname::TEXT AS name, \
         COALESCE((SELECT string_agg(quote_ident(a.attname) \
           || CASE WHEN a.attcollation <> 0 THEN ' COLLATE \"C\"' ELSE '' END, ', ' ORDER BY k.n) \
           FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) \
           JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum \
           WHERE i.indrelid = c.oid AND i.indisprimary), '') AS keys \
         FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace \
         WHERE c.relkind = 'r' AND s.nspname = current_schema() ORDER BY c.relname",
    )
    .fetch_all(&mut *conn)
    .await?;
    let names = rows
        .iter()
        .map(|r| {
            let c = Cols::new(r, "");
            Ok((c.get::<String>("name")?, c.get::<String>("keys")?))
        })
        .collect::<Result<Vec<_>>>()?;
    let mut tables = Vec::with_capacity(names.len());
    for (name, keys) in names {
        let order = if keys.is_empty() {
            "t::text COLLATE \"C\"".to_owned()
        } else {
            keys
        };
        let sql = format!(
            "SELECT t::text AS r FROM {} t ORDER BY {order}",
            quote(&name)
        );
        let mut hash = Sha256::new();
        let mut count = 0i64;
        // Row by row: a table is never held whole in memory.
        let mut rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch(&mut *conn);
        while let Some(row) = futures::TryStreamExt::try_next(&mut rows).await? {
            let text: String = { Cols::new(&row, "").get("r")? };
            count += 1;
            hash.update((text.len() as u64).to_le_bytes());
            hash.update(text.as_bytes());
        }
        tables.push(TableDigest {
            name,
            rows: count,
            sha256: hex::encode(hash.finalize()),
        });
    }
    let row = sqlx::query(
        "SELECT CAST(COALESCE(MAX(version), 0) AS BIGINT) AS v FROM _sqlx_migrations WHERE success",
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(CopyDigest {
        schema_version: Cols::new(&row, "").get("v")?,
        tables,
    })
}

/// Every table's digest of the PostgreSQL database `db` is connected to, in one snapshot.
pub async fn digest_postgres(db: &Db) -> Result<CopyDigest> {
    let mut tx = db.pool().begin().await?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .execute(&mut *tx)
        .await?;
    let digest = digest_postgres_in(&mut tx).await?;
    tx.commit().await?;
    Ok(digest)
}

/// A scratch database beside the one at `url` (same server, a new name), for a dump to be
/// restored into and checked; dropped by [`drop_scratch_postgres`]. Returns its URL.
pub async fn create_scratch_postgres(db: &Db, url: &str, name: &str) -> Result<String> {
    if !name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        return Err(StoreError::Corrupt(format!(
            "scratch database name {name:?}"
        )));
    }
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(db.pool())
        .await?;
    Ok(replace_db_name(url, name))
}

pub async fn drop_scratch_postgres(db: &Db, name: &str) -> Result<()> {
    if !name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        return Err(StoreError::Corrupt(format!(
            "scratch database name {name:?}"
        )));
    }
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    )))
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Restores a custom-format dump into the (empty) database at `url`.
pub async fn restore_postgres(url: &str, file: &Path) -> Result<()> {
    let file = file
        .to_str()
        .ok_or_else(|| StoreError::Corrupt(format!("{} is not UTF-8", file.display())))?;
    pg_tool(
        "pg_restore",
        &["--no-owner", "--no-privileges", "--exit-on-error", file],
        url,
        "--dbname",
    )
    .await
}

/// `postgres://u@h:5432/db?x` with another database name.
fn replace_db_name(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let head = match base.find("://").map(|i| i + 3) {
        Some(start) => match base[start..].find('/') {
            Some(slash) => &base[..start + slash],
            None => base,
        },
        None => base,
    };
    format!("{head}/{name}{query}")
}

/// Which of these stored files the live database still names (not deleted): a file it names
/// that the media store lacks is lost, not deleted meanwhile.
pub async fn live_media(db: &Db, keys: &[String]) -> Result<Vec<String>> {
    let mut live = Vec::new();
    let mut conn = db.conn().await?;
    for chunk in keys.chunks(crate::MAX_PARAMS) {
        let sql = format!(
            "SELECT storage_key FROM media WHERE deleted_at IS NULL AND storage_key IN ({})",
            crate::placeholders(1, chunk.len())
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for k in chunk {
            q = q.bind(k.as_str());
        }
        for row in q.fetch_all(&mut *conn).await? {
            live.push(Cols::new(&row, "").get("storage_key")?);
        }
    }
    Ok(live)
}

/// A school whose site is open (its slug and the name its students see), the oldest, for the
/// smoke check of a restored copy.
pub async fn any_school(db: &Db) -> Result<Option<(String, String)>> {
    let row = sqlx::query(
        "SELECT slug, COALESCE(display_name, name) AS shown FROM tenants \
         WHERE purged_at IS NULL AND blocked_reason IS NULL \
         AND state IN ('trial', 'active', 'terminating') ORDER BY created_at, id LIMIT 1",
    )
    .fetch_optional(db.pool())
    .await?;
    row.map(|r| {
        let c = Cols::new(&r, "");
        Ok((c.get("slug")?, c.get("shown")?))
    })
    .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_child_process_gets_the_url_without_its_password() {
        assert_eq!(
            pg_child_url("postgres://app:s3cret@db:5432/edu"),
            (
                "postgres://app@db:5432/edu".to_owned(),
                Some("s3cret".to_owned())
            )
        );
        assert_eq!(
            pg_child_url("postgres://postgres@127.0.0.1:5432/test"),
            ("postgres://postgres@127.0.0.1:5432/test".to_owned(), None)
        );
        assert_eq!(
            pg_child_url("postgres://app@db/edu?sslmode=require&password=p%26w"),
            (
                "postgres://app@db/edu?sslmode=require".to_owned(),
                Some("p&w".to_owned())
            )
        );
    }

    #[test]
    fn a_scratch_database_keeps_the_server_and_options() {
        assert_eq!(
            replace_db_name("postgres://u@h:5432/edu?sslmode=require", "edu_verify_1"),
            "postgres://u@h:5432/edu_verify_1?sslmode=require"
        );
        assert_eq!(
            replace_db_name("postgres://u@h/edu", "x"),
            "postgres://u@h/x"
        );
    }
}
