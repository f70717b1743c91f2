//! The register of force majeure (issue 18, item 7; ): rows of
//! `force_majeure_events`, the schools a platform's event affects, and the documents attached.

use educenter_domain::{
    force_majeure::Party,
    ids::{TenantId, UserId},
};
use jiff::{Timestamp, civil::Date};

use crate::{Cols, Conn, Result, new_id, to_micros};

/// An event as stored.
#[derive(Debug, Clone)]
pub struct Event {
    pub id: String,
    pub party: Party,
    /// A school's notice: its school.
    pub tenant_id: Option<TenantId>,
    /// A platform's event: whether it affects every school.
    pub all_schools: bool,
    pub onset_on: Date,
    pub communication_restored_on: Option<Date>,
    pub notice_on: Date,
    pub description: String,
    pub evidence_requested_at: Option<Timestamp>,
    pub recorded_by: Option<UserId>,
    pub created_at: Timestamp,
}

const COLUMNS: &str = "id, party, tenant_id, all_schools, onset_on, communication_restored_on, \
                       notice_on, description, evidence_requested_at, recorded_by, \
                       created_at";

fn from_row(r: &sqlx::any::AnyRow) -> Result<Event> {
    let c = Cols::new(r, "");
    Ok(Event {
        id: c.get("id")?,
        party: c.word("party")?,
        tenant_id: c.get("tenant_id")?,
        all_schools: c.get::<i64>("all_schools")? != 0,
        onset_on: c.date("onset_on")?,
        communication_restored_on: c.date_opt("communication_restored_on")?,
        notice_on: c.date("notice_on")?,
        description: c.get("description")?,
        evidence_requested_at: c.at_opt("evidence_requested_at")?,
        recorded_by: c.get("recorded_by")?,
        created_at: c.at("created_at")?,
    })
}

/// An event to record.
#[derive(Debug, Clone)]
pub struct NewEvent<'a> {
    pub party: Party,
    pub tenant_id: Option<&'a TenantId>,
    pub all_schools: bool,
    pub schools: &'a [TenantId],
    pub onset_on: Date,
    pub communication_restored_on: Option<Date>,
    pub notice_on: Date,
    pub description: &'a str,
    pub recorded_by: &'a UserId,
}

pub async fn create(conn: &mut Conn, e: &NewEvent<'_>, now: Timestamp) -> Result<String> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO force_majeure_events (id, party, tenant_id, all_schools, onset_on, \
         communication_restored_on, notice_on, description, recorded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&id)
    .bind(e.party.as_str())
    .bind(e.tenant_id.map(TenantId::as_str))
    .bind(i64::from(e.all_schools))
    .bind(e.onset_on.to_string())
    .bind(e.communication_restored_on.map(|d| d.to_string()))
    .bind(e.notice_on.to_string())
    .bind(e.description)
    .bind(e.recorded_by.as_str())
    .bind(to_micros(now))
    .execute(&mut *conn)
    .await?;
    for school in e.schools {
        sqlx::query("INSERT INTO force_majeure_schools (event_id, tenant_id) VALUES ($1, $2)")
            .bind(&id)
            .bind(school.as_str())
            .execute(&mut *conn)
            .await?;
    }
    Ok(id)
}

pub async fn get(conn: &mut Conn, id: &str) -> Result<Option<Event>> {
    let sql = format!("SELECT {COLUMNS} FROM force_majeure_events WHERE id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// The register, the newest first (at most 500).
pub async fn list(conn: &mut Conn) -> Result<Vec<Event>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM force_majeure_events ORDER BY onset_on DESC, created_at DESC, \
         id DESC LIMIT 500"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(from_row).collect()
}

/// What a school sees: its own notices and the platform's events that affect it, the newest
/// first (at most 500).
pub async fn of_school(conn: &mut Conn, tenant_id: &TenantId) -> Result<Vec<Event>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM force_majeure_events e WHERE e.tenant_id = $1 \
         OR (e.party = 'licensor' AND (e.all_schools = 1 OR EXISTS (SELECT 1 FROM \
         force_majeure_schools s WHERE s.event_id = e.id AND s.tenant_id = $1))) \
         ORDER BY onset_on DESC, created_at DESC, id DESC LIMIT 500"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id.as_str())
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(from_row).collect()
}

/// The schools a platform's event names (none when it affects every school).
pub async fn schools(conn: &mut Conn, event_id: &str) -> Result<Vec<TenantId>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT tenant_id FROM force_majeure_schools WHERE event_id = $1 ORDER BY tenant_id",
    )
    .bind(event_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|(t,)| TenantId::new(&t)).collect())
}

/// Records that evidence was asked for.
pub async fn evidence_requested(conn: &mut Conn, id: &str, now: Timestamp) -> Result<()> {
    sqlx::query("UPDATE force_majeure_events SET evidence_requested_at = $1 WHERE id = $2")
        .bind(to_micros(now))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A document attached to an event.
#[derive(Debug, Clone)]
pub struct File {
    pub id: String,
    pub event_id: String,
    pub tenant_id: TenantId,
    pub object: String,
    pub filename: String,
    pub content_type: String,
    pub bytes: i64,
    pub added_by: UserId,
    pub added_at: Timestamp,
}

const FILE_COLUMNS: &str =
    "id, event_id, tenant_id, object, filename, content_type, bytes, added_by, added_at";

fn file_row(r: &sqlx::any::AnyRow) -> Result<File> {
    let c = Cols::new(r, "");
    Ok(File {
        id: c.get("id")?,
        event_id: c.get("event_id")?,
        tenant_id: c.get("tenant_id")?,
        object: c.get("object")?,
        filename: c.get("filename")?,
        content_type: c.get("content_type")?,
        bytes: c.get("bytes")?,
        added_by: c.get("added_by")?,
        added_at: c.at("added_at")?,
    })
}

pub async fn add_file(conn: &mut Conn, f: &File) -> Result<()> {
    sqlx::query(
        "INSERT INTO force_majeure_files (id, event_id, tenant_id, object, filename, \
         content_type, bytes, added_by, added_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&f.id)
    .bind(&f.event_id)
    .bind(f.tenant_id.as_str())
    .bind(&f.object)
    .bind(&f.filename)
    .bind(&f.content_type)
    .bind(f.bytes)
    .bind(f.added_by.as_str())
    .bind(to_micros(f.added_at))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn files(conn: &mut Conn, event_id: &str) -> Result<Vec<File>> {
    let sql = format!(
        "SELECT {FILE_COLUMNS} FROM force_majeure_files WHERE event_id = $1 ORDER BY added_at, id"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(event_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(file_row).collect()
}

pub async fn file(conn: &mut Conn, event_id: &str, id: &str) -> Result<Option<File>> {
    let sql =
        format!("SELECT {FILE_COLUMNS} FROM force_majeure_files WHERE event_id = $1 AND id = $2");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(event_id)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(file_row).transpose()
}

/// A fresh id for a file (its object is named after it before the row is written).
pub fn new_file_id() -> String {
    new_id()
}

/// The schools an event reaches: the one that filed it, the ones it names, or every school
/// whose data is still kept.
pub async fn reached(conn: &mut Conn, e: &Event) -> Result<Vec<TenantId>> {
    if let Some(t) = &e.tenant_id {
        return Ok(vec![t.clone()]);
    }
    if !e.all_schools {
        return schools(conn, &e.id).await;
    }
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT id FROM tenants WHERE purged_at IS NULL ORDER BY id")
            .fetch_all(&mut *conn)
            .await?;
    Ok(rows.into_iter().map(|(t,)| TenantId::new(t)).collect())
}
