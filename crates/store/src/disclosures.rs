//! The register of disclosure requests (issue 18, item 7; R-2.5b): rows of
//! `disclosure_requests`, and what a package reads: a school's sign-ins and audit entries over
//! a range of instants.

use educenter_domain::{
    cases::DisclosureKind,
    ids::{TenantId, UserId},
};
use jiff::Timestamp;
use serde_json::{Map, Value};

use crate::{Cols, Conn, Result, new_id, to_micros};

/// A disclosure request as stored.
#[derive(Debug, Clone)]
pub struct Disclosure {
    pub id: String,
    pub tenant_id: TenantId,
    pub authority: String,
    pub reference: String,
    pub received_on: String,
    pub legal_basis: String,
    /// JSON array of the parts it covers.
    pub scope: String,
    pub range_from: String,
    pub range_to: String,
    pub school_told: bool,
    pub told_note: String,
    pub created_by: UserId,
    pub created_at: Timestamp,
    pub approved_by: Option<UserId>,
    pub approved_at: Option<Timestamp>,
    pub package_object: Option<String>,
    pub package_sha256: Option<String>,
    pub package_bytes: Option<i64>,
    pub generated_at: Option<Timestamp>,
    pub kind: DisclosureKind,
    /// The complaint's case, for a disclosure to a complainant.
    pub case_id: Option<String>,
}

const COLUMNS: &str = "id, tenant_id, authority, reference, received_on, legal_basis, scope, \
                       range_from, range_to, school_told, told_note, created_by, created_at, \
                       approved_by, approved_at, package_object, package_sha256, package_bytes, \
                       generated_at, kind, case_id";

fn from_row(r: &sqlx::any::AnyRow) -> Result<Disclosure> {
    let c = Cols::new(r, "");
    Ok(Disclosure {
        id: c.get("id")?,
        tenant_id: c.get("tenant_id")?,
        authority: c.get("authority")?,
        reference: c.get("reference")?,
        received_on: c.get("received_on")?,
        legal_basis: c.get("legal_basis")?,
        scope: c.get("scope")?,
        range_from: c.get("range_from")?,
        range_to: c.get("range_to")?,
        school_told: c.get::<i64>("school_told")? != 0,
        told_note: c.get("told_note")?,
        created_by: c.get("created_by")?,
        created_at: c.at("created_at")?,
        approved_by: c.get("approved_by")?,
        approved_at: c.at_opt("approved_at")?,
        package_object: c.get("package_object")?,
        package_sha256: c.get("package_sha256")?,
        package_bytes: c.get("package_bytes")?,
        generated_at: c.at_opt("generated_at")?,
        kind: c.word("kind")?,
        case_id: c.get("case_id")?,
    })
}

/// A request to record.
#[derive(Debug, Clone)]
pub struct NewDisclosure<'a> {
    pub tenant_id: &'a TenantId,
    pub authority: &'a str,
    pub reference: &'a str,
    pub received_on: &'a str,
    pub legal_basis: &'a str,
    pub scope: &'a str,
    pub range_from: &'a str,
    pub range_to: &'a str,
    pub school_told: bool,
    pub told_note: &'a str,
    pub created_by: &'a UserId,
}

pub async fn create(conn: &mut Conn, d: &NewDisclosure<'_>, now: Timestamp) -> Result<String> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO disclosure_requests (id, tenant_id, authority, reference, received_on, \
         legal_basis, scope, range_from, range_to, school_told, told_note, created_by, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(&id)
    .bind(d.tenant_id.as_str())
    .bind(d.authority)
    .bind(d.reference)
    .bind(d.received_on)
    .bind(d.legal_basis)
    .bind(d.scope)
    .bind(d.range_from)
    .bind(d.range_to)
    .bind(i64::from(d.school_told))
    .bind(d.told_note)
    .bind(d.created_by.as_str())
    .bind(to_micros(now))
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// A disclosure to a complainant about a school's mailing (R-7.10 b), recorded as decided and
/// generated at once by the officer who chose it: its package (`object`, with its SHA-256 and
/// size) holds the school's identification.
#[derive(Debug, Clone)]
pub struct ComplaintDisclosure<'a> {
    pub tenant_id: &'a TenantId,
    pub case_id: &'a str,
    pub complainant: &'a str,
    pub reference: &'a str,
    pub received_on: &'a str,
    pub today: &'a str,
    pub by: &'a UserId,
    pub object: &'a str,
    pub sha256: &'a str,
    pub bytes: i64,
}

pub async fn create_for_complaint(
    conn: &mut Conn,
    d: &ComplaintDisclosure<'_>,
    now: Timestamp,
) -> Result<String> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO disclosure_requests (id, tenant_id, authority, reference, received_on, \
         legal_basis, scope, range_from, range_to, school_told, told_note, created_by, \
         created_at, approved_by, approved_at, package_object, package_sha256, package_bytes, \
         generated_by, generated_at, kind, case_id) VALUES ($1, $2, $3, $4, $5, \
         'Публичная оферта, п. 7.10', '[\"profile\"]', $5, $6, 0, '', $7, $8, $7, $8, $9, $10, $11, $7, $8, \
         'complaint', $12)",
    )
    .bind(&id)
    .bind(d.tenant_id.as_str())
    .bind(d.complainant)
    .bind(d.reference)
    .bind(d.received_on)
    .bind(d.today)
    .bind(d.by.as_str())
    .bind(to_micros(now))
    .bind(d.object)
    .bind(d.sha256)
    .bind(d.bytes)
    .bind(d.case_id)
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn get(conn: &mut Conn, id: &str) -> Result<Option<Disclosure>> {
    let sql = format!("SELECT {COLUMNS} FROM disclosure_requests WHERE id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// The register, the last recorded first (at most 500).
pub async fn list(conn: &mut Conn) -> Result<Vec<Disclosure>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM disclosure_requests ORDER BY created_at DESC, id DESC LIMIT 500"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(from_row).collect()
}

/// Approves a request by someone other than who recorded it; `false` when it was approved
/// already or the approver is its recorder.
pub async fn approve(conn: &mut Conn, id: &str, by: &UserId, now: Timestamp) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE disclosure_requests SET approved_by = $1, approved_at = $2 \
         WHERE id = $3 AND approved_by IS NULL AND created_by <> $1",
    )
    .bind(by.as_str())
    .bind(to_micros(now))
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records the package of an approved request, once.
pub async fn set_package(
    conn: &mut Conn,
    id: &str,
    object: &str,
    sha256: &str,
    bytes: i64,
    by: &UserId,
    now: Timestamp,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE disclosure_requests SET package_object = $1, package_sha256 = $2, \
         package_bytes = $3, generated_by = $4, generated_at = $5 \
         WHERE id = $6 AND approved_by IS NOT NULL AND package_object IS NULL",
    )
    .bind(object)
    .bind(sha256)
    .bind(bytes)
    .bind(by.as_str())
    .bind(to_micros(now))
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The school's audit entries from `from` up to (not including) `to`, whose action is one of
/// `actions` (all when empty), oldest first: with their addresses and browsers.
pub async fn audit_entries(
    conn: &mut Conn,
    tenant_id: &TenantId,
    from: Timestamp,
    to: Timestamp,
    actions: &[&str],
) -> Result<Vec<Map<String, Value>>> {
    let filter = if actions.is_empty() {
        String::new()
    } else {
        let quoted: Vec<String> = actions.iter().map(|a| format!("'{a}'")).collect();
        format!(" AND action IN ({})", quoted.join(", "))
    };
    let sql = format!(
        "SELECT id, at, actor_kind, actor_id, action, target_kind, target_id, ip, user_agent, \
         details FROM audit_log WHERE tenant_id = $1 AND at >= $2 AND at < $3{filter} \
         AND action NOT LIKE 'disclosure.%' ORDER BY at, id LIMIT 100000"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id.as_str())
        .bind(to_micros(from))
        .bind(to_micros(to))
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|r| {
            let c = Cols::new(r, "");
            let at: Timestamp = c.at("at")?;
            let details: String = c.get("details")?;
            let mut m = Map::new();
            m.insert("id".into(), Value::from(c.get::<String>("id")?));
            m.insert("at".into(), Value::from(at.to_string()));
            m.insert(
                "actor_kind".into(),
                Value::from(c.get::<String>("actor_kind")?),
            );
            m.insert(
                "actor_id".into(),
                Value::from(c.get::<Option<String>>("actor_id")?),
            );
            m.insert("action".into(), Value::from(c.get::<String>("action")?));
            m.insert(
                "target_kind".into(),
                Value::from(c.get::<Option<String>>("target_kind")?),
            );
            m.insert(
                "target_id".into(),
                Value::from(c.get::<Option<String>>("target_id")?),
            );
            m.insert("ip".into(), Value::from(c.get::<Option<String>>("ip")?));
            m.insert(
                "user_agent".into(),
                Value::from(c.get::<Option<String>>("user_agent")?),
            );
            m.insert(
                "details".into(),
                serde_json::from_str(&details).unwrap_or(Value::Null),
            );
            Ok(m)
        })
        .collect()
}
