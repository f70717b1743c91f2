//! The export of a school's data (issue 18, item 3; I-13, R-8.2): the `exports` rows the job and
//! the owner read, and the school's rows of each exported table as JSON objects.

use educenter_domain::ids::TenantId;
use jiff::Timestamp;
use serde_json::{Map, Value};
use sqlx::{Row, ValueRef};

use crate::{Cols, Conn, Result, new_id, schema::Shape, to_micros};

/// An export as stored.
#[derive(Debug, Clone)]
pub struct Export {
    pub id: String,
    pub tenant_id: TenantId,
    /// `queued`, `running`, `ready`, `failed` or `expired`.
    pub status: String,
    pub progress: i64,
    pub object: Option<String>,
    pub bytes: Option<i64>,
    pub error: Option<String>,
    pub created_at: Timestamp,
    pub finished_at: Option<Timestamp>,
    pub expires_at: Option<Timestamp>,
}

const COLUMNS: &str = "id, tenant_id, status, progress, object, bytes, error, \
                       created_at, finished_at, expires_at";

fn from_row(r: &sqlx::any::AnyRow) -> Result<Export> {
    let c = Cols::new(r, "");
    Ok(Export {
        id: c.get("id")?,
        tenant_id: c.get("tenant_id")?,
        status: c.get("status")?,
        progress: c.get("progress")?,
        object: c.get("object")?,
        bytes: c.get("bytes")?,
        error: c.get("error")?,
        created_at: c.at("created_at")?,
        finished_at: c.at_opt("finished_at")?,
        expires_at: c.at_opt("expires_at")?,
    })
}

/// Queues an export of the school; a second one while one is queued or running is a unique
/// violation (one at a time).
pub async fn create(
    conn: &mut Conn,
    tenant_id: &TenantId,
    requested_by: Option<&str>,
    now: Timestamp,
) -> Result<String> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO exports (id, tenant_id, requested_by, status, progress, created_at) \
         VALUES ($1, $2, $3, 'queued', 0, $4)",
    )
    .bind(&id)
    .bind(tenant_id.as_str())
    .bind(requested_by)
    .bind(to_micros(now))
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// The school's export `id` (another school's finds nothing).
pub async fn get(conn: &mut Conn, tenant_id: &TenantId, id: &str) -> Result<Option<Export>> {
    let sql = format!("SELECT {COLUMNS} FROM exports WHERE tenant_id = $1 AND id = $2");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id.as_str())
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// An export by its id alone, for its job and its download link (which name it).
pub async fn by_id(conn: &mut Conn, id: &str) -> Result<Option<Export>> {
    let sql = format!("SELECT {COLUMNS} FROM exports WHERE id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// The school's latest export.
pub async fn latest(conn: &mut Conn, tenant_id: &TenantId) -> Result<Option<Export>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM exports WHERE tenant_id = $1 ORDER BY created_at DESC, id DESC \
         LIMIT 1"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Moves an export on: its status and progress (a percent).
pub async fn set_progress(conn: &mut Conn, id: &str, status: &str, progress: i64) -> Result<()> {
    // Only an export on its way moves on (a worker that lost its job changes nothing).
    sqlx::query(
        "UPDATE exports SET status = $1, progress = $2 WHERE id = $3 \
         AND status IN ('queued', 'running')",
    )
    .bind(status)
    .bind(progress)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// What a finished export is.
#[derive(Debug, Clone)]
pub struct Finished<'a> {
    pub object: &'a str,
    pub bytes: i64,
    pub expires_at: Timestamp,
}

/// Records a finished export; `false` when it was no longer on its way (failed as stalled, or
/// expired by a purge), and nothing changed.
pub async fn finish(conn: &mut Conn, id: &str, f: &Finished<'_>, now: Timestamp) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE exports SET status = 'ready', progress = 100, object = $1, bytes = $2, \
         finished_at = $3, expires_at = $4 WHERE id = $5 AND status IN ('queued', 'running')",
    )
    .bind(f.object)
    .bind(f.bytes)
    .bind(to_micros(now))
    .bind(to_micros(f.expires_at))
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Fails the school's exports that have been on their way since before `before` (their job
/// died with its process, or gave up): the school may ask again.
pub async fn fail_stale(
    conn: &mut Conn,
    tenant_id: &TenantId,
    before: Timestamp,
    now: Timestamp,
) -> Result<()> {
    sqlx::query(
        "UPDATE exports SET status = 'failed', error = 'stalled', finished_at = $1 \
         WHERE tenant_id = $2 AND status IN ('queued', 'running') AND created_at < $3",
    )
    .bind(to_micros(now))
    .bind(tenant_id.as_str())
    .bind(to_micros(before))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn fail(conn: &mut Conn, id: &str, error: &str, now: Timestamp) -> Result<()> {
    sqlx::query("UPDATE exports SET status = 'failed', error = $1, finished_at = $2 WHERE id = $3")
        .bind(error)
        .bind(to_micros(now))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Ready exports whose link expired by `now` (their objects are to be deleted).
pub async fn expired(conn: &mut Conn, now: Timestamp) -> Result<Vec<Export>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM exports WHERE status = 'ready' AND expires_at <= $1 LIMIT 500"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(to_micros(now))
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(from_row).collect()
}

pub async fn mark_expired(conn: &mut Conn, id: &str) -> Result<()> {
    sqlx::query("UPDATE exports SET status = 'expired' WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Where the files' bytes are kept: never exported (the files themselves are).
const NEVER_EXPORTED: &[(&str, &str)] = &[("media", "storage_key")];

/// The columns the personal-data inventory classifies as secrets (`secret: ...`): never
/// exported, whatever table a future migration adds them to.
fn secret_columns() -> &'static [(String, String)] {
    static SECRETS: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    SECRETS.get_or_init(|| {
        let mut table = String::new();
        let mut out = Vec::new();
        for line in include_str!("../personal-data.toml").lines() {
            let line = line.trim();
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                name.clone_into(&mut table);
            } else if let Some((column, class)) = line.split_once('=')
                && class.trim().trim_start_matches('"').starts_with("secret:")
            {
                out.push((table.clone(), column.trim().to_owned()));
            }
        }
        out
    })
}

/// Whether `table.column` may be exported.
fn exported(table: &str, column: &str) -> bool {
    !NEVER_EXPORTED.contains(&(table, column))
        && !secret_columns()
            .iter()
            .any(|(t, c)| t == table && c == column)
}

/// The school's rows of `table` (which has a `tenant_id`), `filter` narrowing them (SQL over
/// the table's columns, or empty), as JSON objects of their columns in the order `shape` gives
/// them, without the columns that are never exported. Oldest id first.
pub async fn rows(
    conn: &mut Conn,
    shape: &Shape,
    table: &str,
    filter: &str,
    tenant_id: &TenantId,
) -> Result<Vec<Map<String, Value>>> {
    let Some(columns) = shape.get(table) else {
        return Ok(Vec::new());
    };
    let names: Vec<&str> = columns
        .keys()
        .map(String::as_str)
        .filter(|c| exported(table, c))
        .collect();
    let key = if table == "tenants" {
        "id"
    } else {
        "tenant_id"
    };
    let order = if columns.contains_key("id") {
        " ORDER BY id"
    } else {
        ""
    };
    let filter = if filter.is_empty() {
        String::new()
    } else {
        format!(" AND ({filter})")
    };
    let select: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    let sql = format!(
        "SELECT {} FROM \"{table}\" WHERE {key} = $1{filter}{order}",
        select.join(", ")
    );
    let found = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id.as_str())
        .fetch_all(&mut *conn)
        .await?;
    let mut out = Vec::with_capacity(found.len());
    for row in &found {
        let mut object = Map::new();
        for (i, name) in names.iter().enumerate() {
            object.insert((*name).to_owned(), value(row, i));
        }
        out.push(object);
    }
    Ok(out)
}

/// One person's rows of `table` in the school (`users`: their own row; any other table: its
/// rows whose `user_id` is theirs), as [`rows`] reads them.
pub async fn rows_of_person(
    conn: &mut Conn,
    shape: &Shape,
    table: &str,
    tenant_id: &TenantId,
    user_id: &educenter_domain::ids::UserId,
) -> Result<Vec<Map<String, Value>>> {
    let Some(columns) = shape.get(table) else {
        return Ok(Vec::new());
    };
    let names: Vec<&str> = columns
        .keys()
        .map(String::as_str)
        .filter(|c| exported(table, c))
        .collect();
    let person = if table == "users" { "id" } else { "user_id" };
    let select: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    let sql = format!(
        "SELECT {} FROM \"{table}\" WHERE tenant_id = $1 AND {person} = $2",
        select.join(", ")
    );
    let found = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id.as_str())
        .bind(user_id.as_str())
        .fetch_all(&mut *conn)
        .await?;
    Ok(found
        .iter()
        .map(|row| {
            names
                .iter()
                .enumerate()
                .map(|(i, name)| ((*name).to_owned(), value(row, i)))
                .collect()
        })
        .collect())
}

/// A column's value as JSON, whatever its type on either engine.
pub(crate) fn value(row: &sqlx::any::AnyRow, i: usize) -> Value {
    if row.try_get_raw(i).map(|v| v.is_null()).unwrap_or(true) {
        return Value::Null;
    }
    if let Ok(v) = row.try_get::<i64, _>(i) {
        return Value::from(v);
    }
    if let Ok(v) = row.try_get::<String, _>(i) {
        return Value::from(v);
    }
    if let Ok(v) = row.try_get::<f64, _>(i) {
        return Value::from(v);
    }
    if let Ok(v) = row.try_get::<bool, _>(i) {
        return Value::from(v);
    }
    Value::Null
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_inventorys_secrets_are_never_exported() {
        for (table, column) in [
            ("users", "password_hash"),
            ("sessions", "secret_hash"),
            ("mfa_totp", "secret"),
            ("mfa_recovery_codes", "code_hash"),
            ("media", "storage_key"),
        ] {
            assert!(!super::exported(table, column), "{table}.{column}");
        }
        assert!(super::exported("users", "email"));
    }
}
