//! The compliance officer's cases (issue 18, item 7; ): rows of
//! `compliance_cases`, numbered C-1, C-2... across the platform, and the record of every view
//! of a school's content through one (`case_views`).

use educenter_domain::{
    cases::{CaseKind, CaseOutcome, CaseStatus, CaseTarget},
    ids::{TenantId, UserId},
};
use jiff::Timestamp;

use crate::{Cols, Conn, Result, new_id, to_micros};

/// A case as stored.
#[derive(Debug, Clone)]
pub struct Case {
    pub id: String,
    pub number: i64,
    pub kind: CaseKind,
    pub tenant_id: TenantId,
    pub page: Option<String>,
    pub target_kind: Option<CaseTarget>,
    pub target_id: Option<String>,
    /// A report's reason (`domain::cases::ReportReason`); a complaint's is
    /// `unsolicited_mailing`.
    pub reason: String,
    pub details: String,
    pub reporter_name: Option<String>,
    pub reporter_email: Option<String>,
    pub reporter_ip: Option<String>,
    pub campaign_ref: Option<String>,
    pub received_on: String,
    pub status: CaseStatus,
    pub outcome: Option<CaseOutcome>,
    pub outcome_note: Option<String>,
    pub created_by: Option<UserId>,
    pub created_at: Timestamp,
    pub closed_by: Option<UserId>,
    pub closed_at: Option<Timestamp>,
}

/// The reason stored for a complaint about a mailing.
pub const UNSOLICITED_MAILING: &str = "unsolicited_mailing";

const COLUMNS: &str = "id, number, kind, tenant_id, page, target_kind, target_id, reason, \
                       details, reporter_name, reporter_email, reporter_ip, campaign_ref, \
                       received_on, status, outcome, outcome_note, created_by, created_at, \
                       closed_by, closed_at";

fn from_row(r: &sqlx::any::AnyRow) -> Result<Case> {
    let c = Cols::new(r, "");
    Ok(Case {
        id: c.get("id")?,
        number: c.get("number")?,
        kind: c.word("kind")?,
        tenant_id: c.get("tenant_id")?,
        page: c.get("page")?,
        target_kind: c.word_opt("target_kind")?,
        target_id: c.get("target_id")?,
        reason: c.get("reason")?,
        details: c.get("details")?,
        reporter_name: c.get("reporter_name")?,
        reporter_email: c.get("reporter_email")?,
        reporter_ip: c.get("reporter_ip")?,
        campaign_ref: c.get("campaign_ref")?,
        received_on: c.get("received_on")?,
        status: c.word("status")?,
        outcome: c.word_opt("outcome")?,
        outcome_note: c.get("outcome_note")?,
        created_by: c.get("created_by")?,
        created_at: c.at("created_at")?,
        closed_by: c.get("closed_by")?,
        closed_at: c.at_opt("closed_at")?,
    })
}

/// A case to open.
#[derive(Debug, Clone)]
pub struct NewCase<'a> {
    pub kind: CaseKind,
    pub tenant_id: &'a TenantId,
    pub page: Option<&'a str>,
    pub target: Option<(CaseTarget, Option<&'a str>)>,
    pub reason: &'a str,
    pub details: &'a str,
    pub reporter_name: Option<&'a str>,
    pub reporter_email: Option<&'a str>,
    pub reporter_ip: Option<&'a str>,
    pub campaign_ref: Option<&'a str>,
    pub received_on: &'a str,
    /// The operator who recorded it; `None` for a visitor's report.
    pub created_by: Option<&'a UserId>,
}

/// Opens a case with the next number; returns its id.
pub async fn open(conn: &mut Conn, c: &NewCase<'_>, now: Timestamp) -> Result<String> {
    let (number,): (i64,) = sqlx::query_as(
        "INSERT INTO case_numbers (kind, last_seq) VALUES ('case', 1) \
         ON CONFLICT (kind) DO UPDATE SET last_seq = case_numbers.last_seq + 1 \
         RETURNING last_seq",
    )
    .fetch_one(&mut *conn)
    .await?;
    let id = new_id();
    sqlx::query(
        "INSERT INTO compliance_cases (id, number, kind, tenant_id, page, target_kind, \
         target_id, reason, details, reporter_name, reporter_email, reporter_ip, campaign_ref, \
         received_on, status, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'open', $15, $16)",
    )
    .bind(&id)
    .bind(number)
    .bind(c.kind.as_str())
    .bind(c.tenant_id.as_str())
    .bind(c.page)
    .bind(c.target.map(|(k, _)| k.as_str()))
    .bind(c.target.and_then(|(_, id)| id))
    .bind(c.reason)
    .bind(c.details)
    .bind(c.reporter_name)
    .bind(c.reporter_email)
    .bind(c.reporter_ip)
    .bind(c.campaign_ref)
    .bind(c.received_on)
    .bind(c.created_by.map(UserId::as_str))
    .bind(to_micros(now))
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn get(conn: &mut Conn, id: &str) -> Result<Option<Case>> {
    let sql = format!("SELECT {COLUMNS} FROM compliance_cases WHERE id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// The queue: open cases first, then the rest, the newest first in each (at most 500).
pub async fn list(conn: &mut Conn) -> Result<Vec<Case>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM compliance_cases \
         ORDER BY CASE status WHEN 'open' THEN 0 ELSE 1 END, created_at DESC, id DESC LIMIT 500"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(from_row).collect()
}

/// Closes an open case with its outcome; `false` when it was closed already.
pub async fn close(
    conn: &mut Conn,
    id: &str,
    outcome: CaseOutcome,
    note: &str,
    by: &UserId,
    now: Timestamp,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE compliance_cases SET status = 'closed', outcome = $1, outcome_note = $2, \
         closed_by = $3, closed_at = $4 WHERE id = $5 AND status = 'open'",
    )
    .bind(outcome.as_str())
    .bind(note)
    .bind(by.as_str())
    .bind(to_micros(now))
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A view of a school's content through a case.
#[derive(Debug, Clone)]
pub struct CaseView {
    pub viewer_id: UserId,
    pub target_kind: CaseTarget,
    pub target_id: String,
    pub at: Timestamp,
}

/// Records that `viewer` saw this content through the case.
pub async fn record_view(
    conn: &mut Conn,
    case_id: &str,
    viewer: &UserId,
    target: (CaseTarget, &str),
    now: Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO case_views (id, case_id, viewer_id, target_kind, target_id, at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(new_id())
    .bind(case_id)
    .bind(viewer.as_str())
    .bind(target.0.as_str())
    .bind(target.1)
    .bind(to_micros(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The views of a case's content, oldest first.
pub async fn views(conn: &mut Conn, case_id: &str) -> Result<Vec<CaseView>> {
    let rows = sqlx::query(
        "SELECT viewer_id, target_kind, target_id, at FROM case_views WHERE case_id = $1 \
         ORDER BY at, id",
    )
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let c = Cols::new(r, "");
            Ok(CaseView {
                viewer_id: c.get("viewer_id")?,
                target_kind: c.word("target_kind")?,
                target_id: c.get("target_id")?,
                at: c.at("at")?,
            })
        })
        .collect()
}

/// A learner's marketing consents at a school, by e-mail: when each was given and withdrawn,
/// and the text version (R-7.10: a complaint shows the complainant's consent, or none).
#[derive(Debug, Clone)]
pub struct ConsentRecord {
    pub text_version: String,
    pub accepted_at: Timestamp,
    pub withdrawn_at: Option<Timestamp>,
}

pub async fn marketing_consents(
    conn: &mut Conn,
    tenant_id: &TenantId,
    email: &str,
) -> Result<Vec<ConsentRecord>> {
    let rows = sqlx::query(
        "SELECT c.text_version, c.accepted_at, c.withdrawn_at FROM learner_consents c \
         JOIN users u ON u.id = c.user_id AND u.tenant_id = c.tenant_id \
         WHERE c.tenant_id = $1 AND c.kind = 'marketing' AND lower(u.email) = lower($2) \
         ORDER BY c.accepted_at",
    )
    .bind(tenant_id.as_str())
    .bind(email)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let c = Cols::new(r, "");
            Ok(ConsentRecord {
                text_version: c.get("text_version")?,
                accepted_at: c.at("accepted_at")?,
                withdrawn_at: c.at_opt("withdrawn_at")?,
            })
        })
        .collect()
}

/// Who a school is, as a complainant about its mailing may be told (R-7.10 b): its legal
/// name, kind, BIN or IIN, postal address, and its owner's name, e-mail and phone.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Identification {
    pub legal_name: String,
    pub kind: String,
    pub bin_iin: String,
    pub address: String,
    pub owner_name: String,
    pub owner_email: String,
    pub owner_phone: Option<String>,
}

pub async fn identification(
    conn: &mut Conn,
    tenant_id: &TenantId,
) -> Result<Option<Identification>> {
    let row = sqlx::query(
        "SELECT t.name, t.kind, t.bin_iin, t.address, u.full_name, u.email, u.phone \
         FROM tenants t JOIN users u ON u.tenant_id = t.id AND u.kind = 'owner' \
         WHERE t.id = $1 AND u.erased_at IS NULL ORDER BY u.created_at LIMIT 1",
    )
    .bind(tenant_id.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        let c = Cols::new(&r, "");
        Ok(Identification {
            legal_name: c.get("name")?,
            kind: c.get("kind")?,
            bin_iin: c.get("bin_iin")?,
            address: c.get("address")?,
            owner_name: c.get("full_name")?,
            owner_email: c.get("email")?,
            owner_phone: c.get("phone")?,
        })
    })
    .transpose()
}
