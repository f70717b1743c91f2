//! Data-loss incidents (issue 18, item 2; ): `data_incidents` rows.

use educenter_domain::backup::{Fault, IncidentStatus};
use educenter_domain::ids::{TenantId, UserId};
use jiff::{Timestamp, civil::Date};

use crate::{Cols, Conn, Result, new_id, to_micros};

/// An incident as stored.
#[derive(Debug, Clone)]
pub struct Incident {
    pub id: String,
    pub tenant_id: TenantId,
    pub fault: Fault,
    pub description: String,
    pub confirmed_on: Date,
    pub due_on: Option<Date>,
    pub due_provisional: bool,
    pub status: IncidentStatus,
    pub reason: Option<String>,
    pub recorded_by: UserId,
    pub created_at: Timestamp,
    pub closed_at: Option<Timestamp>,
}

const COLUMNS: &str = "id, tenant_id, fault, description, confirmed_on, due_on, due_provisional, \
                       status, reason, recorded_by, created_at, closed_at";

fn from_row(r: &sqlx::any::AnyRow) -> Result<Incident> {
    let c = Cols::new(r, "");
    Ok(Incident {
        id: c.get("id")?,
        tenant_id: c.get("tenant_id")?,
        fault: c.word("fault")?,
        description: c.get("description")?,
        confirmed_on: c.date("confirmed_on")?,
        due_on: c.date_opt("due_on")?,
        due_provisional: c.get::<i64>("due_provisional")? != 0,
        status: c.word("status")?,
        reason: c.get("reason")?,
        recorded_by: c.get("recorded_by")?,
        created_at: c.at("created_at")?,
        closed_at: c.at_opt("closed_at")?,
    })
}

/// An incident to record.
#[derive(Debug, Clone)]
pub struct NewIncident<'a> {
    pub tenant_id: &'a TenantId,
    pub fault: Fault,
    pub description: &'a str,
    pub confirmed_on: Date,
    pub due: Option<(Date, bool)>,
    pub recorded_by: &'a UserId,
}

pub async fn create(conn: &mut Conn, i: &NewIncident<'_>, now: Timestamp) -> Result<String> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO data_incidents (id, tenant_id, fault, description, confirmed_on, due_on, \
         due_provisional, status, recorded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $9)",
    )
    .bind(&id)
    .bind(i.tenant_id.as_str())
    .bind(i.fault.as_str())
    .bind(i.description)
    .bind(i.confirmed_on.to_string())
    .bind(i.due.map(|d| d.0.to_string()))
    .bind(i64::from(i.due.is_some_and(|d| d.1)))
    .bind(i.recorded_by.as_str())
    .bind(to_micros(now))
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn get(conn: &mut Conn, id: &str) -> Result<Option<Incident>> {
    let sql = format!("SELECT {COLUMNS} FROM data_incidents WHERE id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Every incident, the open first, then the last recorded (at most 500).
pub async fn list(conn: &mut Conn) -> Result<Vec<Incident>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM data_incidents \
         ORDER BY CASE status WHEN 'open' THEN 0 ELSE 1 END, created_at DESC, id DESC LIMIT 500"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(from_row).collect()
}

/// Closes an open incident as restored or technically impossible (with its reason); `false`
/// when it is closed already.
pub async fn close(
    conn: &mut Conn,
    id: &str,
    status: IncidentStatus,
    reason: Option<&str>,
    by: &UserId,
    now: Timestamp,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE data_incidents SET status = $1, reason = $2, closed_by = $3, closed_at = $4 \
         WHERE id = $5 AND status = 'open'",
    )
    .bind(status.as_str())
    .bind(reason)
    .bind(by.as_str())
    .bind(to_micros(now))
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
