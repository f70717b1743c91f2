//! Reads that run on every page, done on SQLite without the driver's thread hop.
//!
//! sqlx runs each SQLite connection on a thread of its own, so every query is a hand-off to
//! that thread and a wake-up back: measured under load (docs/BENCHMARKS.md), the two hand-offs
//! cost more than the query itself. On SQLite, [`Db`] therefore keeps a few connections of its
//! own (rusqlite, over the same SQLite library sqlx links; opened read-write, as WAL recovery
//! may need, and made read-only with `query_only`) and runs the queries of [`fold`] on the
//! calling task: a read of a few indexed rows from the page cache takes microseconds, less than
//! the hand-off it saves. Such a read does not wait for locks (`busy_timeout` 0): should SQLite
//! answer "busy" (a checkpoint or recovery holds the file), the query goes through the pool
//! instead, which waits as every other query does. (SQLite may still pause a few microseconds
//! inside a read it retries, and a page not yet in memory is read from disk on this thread.)
//! On PostgreSQL [`fold`] is the pool's query.
//!
//! [`rows_in`] reads the same way for a transaction that has not written yet (the nightly
//! billing run's page of facts): while it holds the write lock and has written nothing, the
//! file's last commit is exactly what it would read. Should SQLite answer "busy", or on
//! PostgreSQL, the rows come through the transaction itself.

use std::{
    collections::HashMap,
    path::PathBuf,
    sync::{
        LazyLock, Mutex, OnceLock, PoisonError,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

pub(crate) use rusqlite::types::ValueRef;
use rusqlite::{ErrorCode, OpenFlags};

use crate::{Db, Result, RowRef, StoreError};

/// Read-only connections to the database file, opened when first needed and kept for reuse.
#[derive(Debug)]
pub(crate) struct Connections {
    path: PathBuf,
    idle: Mutex<Vec<rusqlite::Connection>>,
    /// How many idle connections are kept: as many reads run at once as threads run tasks
    /// (a read here does not yield), so one per core, and at least 8.
    keep: usize,
    closed: AtomicBool,
}

impl Connections {
    pub(crate) fn new(path: PathBuf) -> Self {
        Self {
            path,
            idle: Mutex::new(Vec::new()),
            keep: std::thread::available_parallelism().map_or(8, |n| n.get().max(8)),
            closed: AtomicBool::new(false),
        }
    }

    /// The database file.
    pub(crate) fn path(&self) -> &std::path::Path {
        &self.path
    }

    fn take(&self) -> rusqlite::Result<rusqlite::Connection> {
        if let Some(c) = self
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop()
        {
            return Ok(c);
        }
        let c = rusqlite::Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        // Never wait for a lock on the calling task: a busy file sends the query to the pool.
        c.busy_timeout(Duration::ZERO)?;
        c.pragma_update(None, "query_only", true)?;
        // As the pool's connections: reads through a memory map, 16 MiB of pages each.
        c.pragma_update(None, "mmap_size", 1_073_741_824_i64)?;
        c.pragma_update(None, "cache_size", -16_384_i64)?;
        // The lesson page's queries and the billing night's page reads stay prepared.
        c.set_prepared_statement_cache_capacity(64);
        Ok(c)
    }

    /// Closes the idle connections; a read still running closes its own when done.
    pub(crate) fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
        self.idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    fn is_closed(&self) -> bool {
        self.closed.load(Ordering::SeqCst)
    }

    fn give_back(&self, c: rusqlite::Connection) {
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        // Checked under the lock that `close` empties under: nothing comes back after it.
        if idle.len() < self.keep && !self.is_closed() {
            idle.push(c);
        }
    }

    /// Runs `q` here and now; `None` when SQLite is busy and the caller should use the pool.
    fn fold<A: Default>(
        &self,
        q: &'static Query,
        binds: &[Bind<'_>],
        each: &impl Fn(&mut A, RowRef<'_>) -> Result<()>,
    ) -> Option<Result<A>> {
        self.with(|conn| run(conn, q.sql.as_str(), Names::Kept(&q.names), binds, each))
    }

    /// Runs `sql`, a statement made for this read (an `IN (...)` list of a page's ids), here
    /// and now, binding `binds` to `$1`, `$2`, ... in order; `None` when SQLite is busy and the
    /// caller should read another way. Its columns are found by name as [`fold`]'s are.
    pub(crate) fn fold_sql<A: Default>(
        &self,
        sql: &str,
        binds: &[Bind<'_>],
        each: &impl Fn(&mut A, RowRef<'_>) -> Result<()>,
    ) -> Option<Result<A>> {
        self.with(|conn| run(conn, sql, Names::Each, binds, each))
    }

    fn with<A>(&self, read: impl FnOnce(&rusqlite::Connection) -> Result<A>) -> Option<Result<A>> {
        let conn = match self.take() {
            Ok(c) => c,
            Err(e) if is_busy(&e) => return None,
            Err(e) => return Some(Err(e.into())),
        };
        let out = read(&conn);
        self.give_back(conn);
        match out {
            Err(StoreError::Direct(e)) if is_busy(&e) => None,
            out => Some(out),
        }
    }
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

/// A query of the direct path: its SQL, written once for both engines with `$1` placeholders,
/// and (learnt when it first runs on SQLite) the position of each of its columns by name.
pub(crate) struct Query {
    sql: LazyLock<String>,
    names: OnceLock<HashMap<String, usize>>,
}

impl Query {
    pub(crate) const fn new(sql: fn() -> String) -> Self {
        Self {
            sql: LazyLock::new(sql),
            names: OnceLock::new(),
        }
    }
}

/// A value bound to a placeholder.
#[derive(Clone, Copy)]
pub(crate) enum Bind<'a> {
    Text(&'a str),
    Int(i64),
}

/// A row read on the direct path, its columns found by name.
pub(crate) struct Row<'r> {
    row: &'r rusqlite::Row<'r>,
    names: &'r HashMap<String, usize>,
}

impl Row<'_> {
    pub(crate) fn value(&self, key: &str) -> Result<ValueRef<'_>> {
        let i = self
            .names
            .get(key)
            .ok_or_else(|| StoreError::Corrupt(format!("no column {key}")))?;
        Ok(self.row.get_ref(*i)?)
    }
}

/// Where a statement's columns are found by name: learnt once for a query of its own
/// ([`Query`]), or each time for a statement made for one read.
enum Names<'q> {
    Kept(&'q OnceLock<HashMap<String, usize>>),
    Each,
}

fn run<A: Default>(
    conn: &rusqlite::Connection,
    sql: &str,
    names: Names<'_>,
    binds: &[Bind<'_>],
    each: &impl Fn(&mut A, RowRef<'_>) -> Result<()>,
) -> Result<A> {
    let mut st = conn.prepare_cached(sql)?;
    // `$1`, `$2`, ... are named parameters to SQLite (the first few without allocating).
    const FIRST: [&str; 4] = ["$1", "$2", "$3", "$4"];
    for (n, b) in binds.iter().enumerate() {
        let name: std::borrow::Cow<'_, str> = match FIRST.get(n) {
            Some(name) => (*name).into(),
            None => format!("${}", n + 1).into(),
        };
        let Some(i) = st.parameter_index(&name)? else {
            continue;
        };
        match *b {
            Bind::Text(v) => st.raw_bind_parameter(i, v)?,
            Bind::Int(v) => st.raw_bind_parameter(i, v)?,
        }
    }
    let learn = |st: &rusqlite::CachedStatement<'_>| -> HashMap<String, usize> {
        st.column_names()
            .iter()
            .enumerate()
            .map(|(i, n)| ((*n).to_owned(), i))
            .collect()
    };
    let learnt;
    let names = match names {
        Names::Kept(kept) => kept.get_or_init(|| learn(&st)),
        Names::Each => {
            learnt = learn(&st);
            &learnt
        }
    };
    let mut rows = st.raw_query();
    let mut acc = A::default();
    while let Some(row) = rows.next()? {
        each(&mut acc, RowRef::Direct(&Row { row, names }))?;
    }
    Ok(acc)
}

/// `sql` as sqlx's query, with `binds` bound in order: the way through the driver, when a read
/// does not go straight to the file.
fn bound<'q>(
    sql: impl sqlx::SqlSafeStr,
    binds: &[Bind<'q>],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    binds.iter().fold(sqlx::query(sql), |query, b| match *b {
        Bind::Text(v) => query.bind(v),
        Bind::Int(v) => query.bind(v),
    })
}

/// Runs `q` with `binds` (for `$1`, `$2`, ... in order) and folds its rows into an `A` with
/// `each`: on SQLite on the calling task (see the module's notes), otherwise through the pool.
pub(crate) async fn fold<A: Default>(
    db: &Db,
    q: &'static Query,
    binds: &[Bind<'_>],
    each: impl Fn(&mut A, RowRef<'_>) -> Result<()>,
) -> Result<A> {
    if let Some(out) = db.direct().and_then(|d| d.fold(q, binds, &each)) {
        return out;
    }
    let rows = bound(sqlx::AssertSqlSafe(q.sql.as_str()), binds)
        .fetch_all(db.pool())
        .await?;
    let mut acc = A::default();
    for r in &rows {
        each(&mut acc, RowRef::Any(r))?;
    }
    Ok(acc)
}

/// Runs `sql`, a statement made for this read, with `binds` (for `$1`, `$2`, ... in order) and
/// gives each row as `each` reads it. With `unwritten` (the database, when the caller's
/// transaction has not written anything yet) the rows come straight from the file on SQLite:
/// [`Db::begin`] takes the write lock at once, so while the transaction has written nothing,
/// the file's last commit is exactly what it would read, and nobody else can change it. Otherwise,
/// and on PostgreSQL, in the caller's transaction `conn`.
pub(crate) async fn rows_in<T>(
    conn: &mut crate::Conn,
    unwritten: Option<&Db>,
    sql: String,
    binds: &[Bind<'_>],
    each: impl Fn(RowRef<'_>) -> Result<T>,
) -> Result<Vec<T>> {
    let push = |acc: &mut Vec<T>, r: RowRef<'_>| -> Result<()> {
        acc.push(each(r)?);
        Ok(())
    };
    if let Some(out) = unwritten
        .and_then(Db::direct)
        .and_then(|d| d.fold_sql(&sql, binds, &push))
    {
        return out;
    }
    let mut acc = Vec::new();
    for r in &bound(sqlx::AssertSqlSafe(sql), binds)
        .fetch_all(&mut *conn)
        .await?
    {
        push(&mut acc, RowRef::Any(r))?;
    }
    Ok(acc)
}

#[cfg(test)]
mod tests {
    use rusqlite::ffi;

    use super::{Bind, Query, fold, is_busy};
    use crate::{Cols, Db, Result, RowRef};

    static READ: Query = Query::new(|| "SELECT id, n, note FROM t WHERE id = $1".into());

    fn each(found: &mut Vec<(String, i64, Option<String>)>, r: RowRef<'_>) -> Result<()> {
        let c = Cols::of(r, "");
        found.push((c.get("id")?, c.get("n")?, c.get("note")?));
        Ok(())
    }

    #[tokio::test]
    async fn reads_run_directly_with_their_values_checked_until_the_database_closes() {
        let dir = std::env::temp_dir().join(format!("educenter-direct-{}", std::process::id()));
        // The URL's path is percent-decoded, by sqlx and here alike: both open "my school.db".
        let db = Db::connect(&format!("sqlite://{}/my%20school.db", dir.display()))
            .await
            .unwrap();
        assert!(dir.join("my school.db").is_file());
        sqlx::query("CREATE TABLE t (id TEXT, n INTEGER, note TEXT)")
            .execute(db.pool())
            .await
            .unwrap();
        sqlx::query("INSERT INTO t VALUES ('a', 1, NULL), ('b', 7, 'семь')")
            .execute(db.pool())
            .await
            .unwrap();
        let direct = db.direct().expect("SQLite reads directly");
        let got = direct.fold(&READ, &[Bind::Text("b")], &each).unwrap();
        assert_eq!(got.unwrap(), [("b".to_owned(), 7, Some("семь".to_owned()))]);

        // A value of the wrong kind is an error, not a guess.
        let wrong = direct.fold(&READ, &[Bind::Text("a")], &|_: &mut (), r| {
            Cols::of(r, "").get::<i64>("id").map(drop)
        });
        assert!(wrong.unwrap().is_err());
        // Closed, the database reads nothing more, on either path, and keeps no connection.
        db.close().await;
        assert!(db.direct().is_none());
        assert!(direct.idle.lock().unwrap().is_empty());
        assert!(direct.fold(&READ, &[Bind::Text("a")], &each).is_some());
        assert!(direct.idle.lock().unwrap().is_empty());
        assert!(fold(&db, &READ, &[Bind::Text("a")], each).await.is_err());
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn only_a_busy_or_locked_file_sends_a_read_to_the_pool() {
        let failure = |code| rusqlite::Error::SqliteFailure(ffi::Error::new(code), None);
        assert!(is_busy(&failure(ffi::SQLITE_BUSY)));
        assert!(is_busy(&failure(ffi::SQLITE_LOCKED)));
        assert!(!is_busy(&failure(ffi::SQLITE_CORRUPT)));
        assert!(!is_busy(&rusqlite::Error::InvalidQuery));
    }
}
