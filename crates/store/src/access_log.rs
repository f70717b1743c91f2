//! The access log (R-2.5c): written, read for a disclosure package, and expired after the
//! contract term plus three years. No entry is ever changed (triggers refuse it).
//!
//! Two tables hold it. `access_log` has a row per sign-in, failed sign-in and sign-out, written
//! in the transaction of the sign-in's audit entry. `access_log_requests` has the requests of
//! people signed in, a row per school per write of the writer (about a second's worth): its
//! first and last instants, how many, and the entries as JSON Lines, one array a request
//! (`[at, actor_kind, actor_id, token_id, method, route, status, ip, user_agent]`, `at` in
//! microseconds since the epoch). A row per request cost the lesson page about a tenth of its
//! speed under load, in SQLite's work per row (docs/BENCHMARKS.md); a row per second costs
//! nearly nothing, and every request is still there to read.

use std::collections::BTreeMap;

use educenter_domain::{access::AccessEvent, ids::TenantId};
use jiff::Timestamp;
use serde_json::{Map, Value};

use crate::{Batch, Cols, Conn, Db, Result, StoreError, from_micros, to_micros};

/// One entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessEntry {
    pub at: Timestamp,
    pub event: AccessEvent,
    pub tenant_id: Option<TenantId>,
    /// `owner`, `staff`, `learner` or `operator`: the kind of account; `None` when no account
    /// was recognised (a failed sign-in of an unknown address).
    pub actor_kind: Option<&'static str>,
    pub actor_id: Option<String>,
    /// The API token of a request made with one.
    pub token_id: Option<String>,
    pub method: Option<String>,
    /// The route's pattern (`/api/v1/courses/{id}`), never the path with its ids.
    pub route: Option<String>,
    pub status: Option<u16>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

const COLUMNS: &str =
    "at, event, tenant_id, actor_kind, actor_id, token_id, method, route, status, ip, user_agent";

/// Appends sign-ins, failures and sign-outs, a few statements for all of them, in the caller's
/// transaction.
pub async fn append(conn: &mut Conn, entries: &[AccessEntry]) -> Result<()> {
    let batch = Batch::of(conn);
    for part in entries.chunks(batch.rows(11)) {
        let sql = format!(
            "INSERT INTO access_log ({COLUMNS}) VALUES {}",
            batch.tuples(part.len(), 11)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for e in part {
            q = q
                .bind(to_micros(e.at))
                .bind(e.event.as_str())
                .bind(e.tenant_id.as_ref().map(|t| t.as_str().to_owned()))
                .bind(e.actor_kind)
                .bind(e.actor_id.clone())
                .bind(e.token_id.clone())
                .bind(e.method.clone())
                .bind(e.route.clone())
                .bind(e.status.map(i64::from))
                .bind(e.ip.clone())
                .bind(e.user_agent.clone());
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// A row of `access_log_requests`: one school's (or nobody's) requests of one write.
#[derive(Debug)]
struct Packed {
    tenant_id: Option<String>,
    first_at: i64,
    last_at: i64,
    entries: i64,
    body: String,
}

/// Requests packed for writing: a row per school, each of JSON Lines ([`pack`]).
#[derive(Debug, Default)]
pub struct PackedRequests(Vec<Packed>);

impl PackedRequests {
    /// How many requests they hold.
    pub fn len(&self) -> usize {
        self.0.iter().map(|p| p.entries as usize).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A request on its way to the writer: its school, instant and its line, written at once on
/// the request's thread (one allocation, freed by the writer), so that the queue carries no
/// more than that.
#[derive(Debug)]
pub struct QueuedRequest {
    pub tenant_id: Option<TenantId>,
    at: i64,
    line: String,
}

/// What a request's line records (see the module).
#[derive(Debug, Clone, Copy)]
pub struct RequestFields<'a> {
    pub at: Timestamp,
    pub actor_kind: &'a str,
    pub actor_id: &'a str,
    pub token_id: Option<&'a str>,
    pub method: &'a str,
    pub route: &'a str,
    pub status: u16,
    pub ip: Option<std::net::IpAddr>,
    pub user_agent: Option<&'a str>,
}

impl QueuedRequest {
    pub fn new(tenant_id: Option<TenantId>, f: RequestFields<'_>) -> Self {
        let at = to_micros(f.at);
        // A tuple of references serialises as a JSON array, with no tree built on the way.
        let fields = (
            at,
            f.actor_kind,
            f.actor_id,
            f.token_id,
            f.method,
            f.route,
            f.status,
            f.ip,
            f.user_agent,
        );
        let mut line = Vec::with_capacity(160);
        // Strings, numbers and addresses only: writing into memory cannot fail.
        let _ = serde_json::to_writer(&mut line, &fields);
        line.push(b'\n');
        Self {
            tenant_id,
            at,
            line: String::from_utf8(line).unwrap_or_default(),
        }
    }
}

/// Packs requests by school, each group as one row's JSON Lines (on the blocking pool).
pub fn pack(requests: Vec<QueuedRequest>) -> PackedRequests {
    let mut by_school: BTreeMap<Option<String>, Packed> = BTreeMap::new();
    for r in requests {
        let tenant = r.tenant_id.map(TenantId::into_string);
        let p = by_school.entry(tenant.clone()).or_insert_with(|| Packed {
            tenant_id: tenant,
            first_at: r.at,
            last_at: r.at,
            entries: 0,
            body: String::new(),
        });
        p.first_at = p.first_at.min(r.at);
        p.last_at = p.last_at.max(r.at);
        p.entries += 1;
        p.body.push_str(&r.line);
    }
    PackedRequests(by_school.into_values().collect())
}

/// Appends packed requests in one transaction; on failure gives them back with the error (the
/// caller tries again). On SQLite through a connection of their own on the blocking pool, not
/// on a thread serving requests.
pub async fn append_packed(
    db: &Db,
    packed: PackedRequests,
) -> std::result::Result<(), (StoreError, PackedRequests)> {
    if let Some(path) = db.sqlite_file().filter(|_| !db.pool().is_closed()) {
        let path = path.to_owned();
        return match tokio::task::spawn_blocking(move || match append_sqlite(&path, &packed.0) {
            Ok(()) => Ok(()),
            Err(e) => Err((e, packed)),
        })
        .await
        {
            Ok(out) => out,
            Err(e) => Err((
                StoreError::Corrupt(format!("the access log's writer: {e}")),
                PackedRequests::default(),
            )),
        };
    }
    let written = async {
        let mut tx = db.begin().await?;
        for p in &packed.0 {
            sqlx::query(
                "INSERT INTO access_log_requests (tenant_id, first_at, last_at, entries, body) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(p.tenant_id.as_deref())
            .bind(p.first_at)
            .bind(p.last_at)
            .bind(p.entries)
            .bind(p.body.as_str())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok::<(), StoreError>(())
    }
    .await;
    written.map_err(|e| (e, packed))
}

fn append_sqlite(path: &std::path::Path, packed: &[Packed]) -> Result<()> {
    let mut conn = rusqlite::Connection::open(path)?;
    // As the pool's connections: wait for the write lock, and make the commit durable.
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    let tx = conn.transaction()?;
    {
        let mut insert = tx.prepare(
            "INSERT INTO access_log_requests (tenant_id, first_at, last_at, entries, body) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for p in packed {
            insert.execute(rusqlite::params![
                p.tenant_id,
                p.first_at,
                p.last_at,
                p.entries,
                p.body
            ])?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// The most entries [`entries`] gives.
pub const LIMIT: usize = 100_000;

/// The entries (sign-ins, failures, sign-outs and requests) made in `[from, to)`, oldest
/// first, of one school (`Some`), or of every school and none (`None`). Each has its UTC
/// instant (`at`) and the same instant in Almaty (`at_local`). `None` when there are more than
/// [`LIMIT`]: a list cut short would look whole.
pub async fn entries(
    conn: &mut Conn,
    tenant_id: Option<&TenantId>,
    from: Timestamp,
    to: Timestamp,
) -> Result<Option<Vec<Map<String, Value>>>> {
    let school = if tenant_id.is_some() {
        " AND tenant_id = $3"
    } else {
        ""
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM access_log WHERE at >= $1 AND at < $2{school} \
         ORDER BY at, id LIMIT {}",
        LIMIT + 1
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(to_micros(from))
        .bind(to_micros(to));
    if let Some(t) = tenant_id {
        q = q.bind(t.as_str());
    }
    let mut out: Vec<(i64, Map<String, Value>)> = Vec::new();
    for r in q.fetch_all(&mut *conn).await? {
        let c = Cols::new(&r, "");
        let at: i64 = c.get("at")?;
        let mut m = Map::new();
        for name in [
            "event",
            "tenant_id",
            "actor_kind",
            "actor_id",
            "token_id",
            "method",
            "route",
        ] {
            m.insert(name.into(), Value::from(c.get::<Option<String>>(name)?));
        }
        m.insert(
            "status".into(),
            Value::from(c.get::<Option<i64>>("status")?),
        );
        for name in ["ip", "user_agent"] {
            m.insert(name.into(), Value::from(c.get::<Option<String>>(name)?));
        }
        out.push((at, m));
    }
    let sql = format!(
        "SELECT tenant_id, body FROM access_log_requests WHERE last_at >= $1 AND first_at < $2\
         {school} ORDER BY first_at, id"
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(to_micros(from))
        .bind(to_micros(to));
    if let Some(t) = tenant_id {
        q = q.bind(t.as_str());
    }
    let (low, high) = (to_micros(from), to_micros(to));
    for r in q.fetch_all(&mut *conn).await? {
        let c = Cols::new(&r, "");
        let tenant: Option<String> = c.get("tenant_id")?;
        let body: String = c.get("body")?;
        for line in body.lines() {
            let Ok(Value::Array(v)) = serde_json::from_str::<Value>(line) else {
                return Err(StoreError::Corrupt(format!("an access log line: {line}")));
            };
            let at = v.first().and_then(Value::as_i64).unwrap_or(i64::MIN);
            if at < low || at >= high {
                continue;
            }
            let field = |i: usize| v.get(i).cloned().unwrap_or(Value::Null);
            let mut m = Map::new();
            m.insert("event".into(), Value::from(AccessEvent::Request.as_str()));
            m.insert("tenant_id".into(), Value::from(tenant.clone()));
            for (i, name) in [
                "actor_kind",
                "actor_id",
                "token_id",
                "method",
                "route",
                "status",
                "ip",
                "user_agent",
            ]
            .into_iter()
            .enumerate()
            {
                m.insert(name.into(), field(i + 1));
            }
            out.push((at, m));
        }
        if out.len() > LIMIT {
            return Ok(None);
        }
    }
    if out.len() > LIMIT {
        return Ok(None);
    }
    out.sort_by_key(|(at, _)| *at);
    out.into_iter()
        .map(|(at, mut m)| {
            let at = from_micros(at)?;
            m.insert("at".into(), Value::from(at.to_string()));
            // The same instant as the school's clock showed it (Asia/Almaty).
            let local = educenter_domain::clock::almaty().to_datetime(at);
            m.insert("at_local".into(), Value::from(local.to_string()));
            Ok(m)
        })
        .collect::<Result<Vec<_>>>()
        .map(Some)
}

/// Deletes the entries kept long enough at `horizon` ([`educenter_domain::access::horizon`]):
/// those of no school made before it, and those of schools purged before it. At most `limit`
/// rows of each table a call (each statement reads an index); returns how many rows went.
pub async fn expire(conn: &mut Conn, horizon: Timestamp, limit: i64) -> Result<u64> {
    let mut gone = 0;
    for (table, at) in [("access_log", "at"), ("access_log_requests", "last_at")] {
        for filter in [
            format!("{at} < $1 AND tenant_id IS NULL"),
            "tenant_id IN (SELECT id FROM tenants WHERE purged_at IS NOT NULL \
             AND purged_at < $1)"
                .to_owned(),
        ] {
            let sql = format!(
                "DELETE FROM {table} WHERE id IN (SELECT id FROM {table} WHERE {filter} LIMIT $2)"
            );
            gone += sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(to_micros(horizon))
                .bind(limit)
                .execute(&mut *conn)
                .await?
                .rows_affected();
        }
    }
    Ok(gone)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_pack_into_a_row_per_school_of_json_lines() {
        let at: Timestamp = "2026-03-05T07:00:00Z".parse().unwrap();
        let request = |tenant: Option<&str>, route: &str| {
            QueuedRequest::new(
                tenant.map(TenantId::new),
                RequestFields {
                    at,
                    actor_kind: "owner",
                    actor_id: "u-1",
                    token_id: None,
                    method: "GET",
                    route,
                    status: 200,
                    ip: Some("203.0.113.7".parse().unwrap()),
                    user_agent: Some("Tester \"1.0\""),
                },
            )
        };
        let packed = pack(vec![
            request(Some("t-a"), "/a"),
            request(None, "/b"),
            request(Some("t-a"), "/c"),
        ]);
        assert_eq!(packed.len(), 3);
        assert_eq!(packed.0.len(), 2);
        let a = packed.0.iter().find(|p| p.tenant_id.is_some()).unwrap();
        assert_eq!(a.entries, 2);
        let lines: Vec<Value> = a
            .body
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines[1][5], "/c");
        assert_eq!(lines[0][0], to_micros(at));
        assert_eq!(lines[0][7], "203.0.113.7");
        assert_eq!(lines[0][8], "Tester \"1.0\"");
        assert_eq!(lines[0][3], Value::Null);
    }
}
