//! The purge of a school whose data was kept 60 days after it lapsed, refused or was terminated
//! (R-4.4a, R-8.2, A-14): its content, files' rows, students, staff and their sessions go; the
//! school's own row, its money records (invoices, payments, acts, credits) and contracts stay;
//! its audit trail is pseudonymised.

use educenter_domain::ids::TenantId;
use jiff::Timestamp;
use sqlx::Row;

use crate::{Cols, Conn, Result, to_micros};

/// What a purge deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    pub courses: u64,
    pub lessons: u64,
    pub files: u64,
    pub students: u64,
    pub staff: u64,
    pub audit_entries: u64,
}

/// Deletes a school's data in the caller's transaction (the files' bytes are the media store's:
/// the caller queues their deletion). The owner's account stays, without sessions or tokens,
/// for the money records; every other account of the school is deleted.
pub async fn purge_school(conn: &mut Conn, tenant_id: &TenantId) -> Result<Purged> {
    let mut out = Purged::default();
    let count = async |conn: &mut Conn, sql: &str| -> Result<u64> {
        let row = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
            .bind(tenant_id.as_str())
            .fetch_one(&mut *conn)
            .await?;
        Ok(u64::try_from(row.try_get::<i64, _>(0)?).unwrap_or(0))
    };
    out.courses = count(conn, "SELECT COUNT(*) FROM courses WHERE tenant_id = $1").await?;
    out.lessons = count(conn, "SELECT COUNT(*) FROM lessons WHERE tenant_id = $1").await?;
    out.files = count(conn, "SELECT COUNT(*) FROM media WHERE tenant_id = $1").await?;
    out.students = count(
        conn,
        "SELECT COUNT(*) FROM users WHERE tenant_id = $1 AND kind = 'learner'",
    )
    .await?;
    out.staff = count(
        conn,
        "SELECT COUNT(*) FROM users WHERE tenant_id = $1 AND kind = 'staff'",
    )
    .await?;
    // Children before parents (foreign keys are on).
    for sql in [
        "DELETE FROM lesson_progress WHERE tenant_id = $1",
        "DELETE FROM quiz_answers WHERE tenant_id = $1",
        "DELETE FROM quiz_attempts WHERE tenant_id = $1",
        "DELETE FROM submission_files WHERE tenant_id = $1",
        "DELETE FROM submission_entries WHERE tenant_id = $1",
        "DELETE FROM submissions WHERE tenant_id = $1",
        "DELETE FROM certificates WHERE tenant_id = $1",
        "DELETE FROM quizzes WHERE tenant_id = $1",
        "DELETE FROM lesson_images WHERE tenant_id = $1",
        "DELETE FROM learner_days WHERE tenant_id = $1",
        "DELETE FROM enrolments WHERE tenant_id = $1",
        "DELETE FROM group_members WHERE tenant_id = $1",
        "DELETE FROM learner_groups WHERE tenant_id = $1",
        "DELETE FROM course_teachers WHERE tenant_id = $1",
        "DELETE FROM lessons WHERE tenant_id = $1",
        "DELETE FROM course_modules WHERE tenant_id = $1",
        "DELETE FROM courses WHERE tenant_id = $1",
        "DELETE FROM question_tags WHERE tenant_id = $1",
        "DELETE FROM questions WHERE tenant_id = $1",
        "DELETE FROM question_categories WHERE tenant_id = $1",
        "UPDATE tenants SET logo_id = NULL WHERE id = $1",
        // The school's contacts on its site go with its data.
        "UPDATE tenants SET contact_email = NULL, contact_phone = NULL, contact_address = NULL, \
         social_links = '' WHERE id = $1",
        "DELETE FROM media WHERE tenant_id = $1",
        "DELETE FROM learner_consents WHERE tenant_id = $1",
        "DELETE FROM school_privacy_texts WHERE tenant_id = $1",
        "DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE tenant_id = $1)",
        // The authenticators of the people who go (the owner keeps theirs with the account).
        "DELETE FROM mfa_recovery_codes WHERE user_id IN (SELECT id FROM users \
         WHERE tenant_id = $1 AND kind <> 'owner')",
        "DELETE FROM mfa_totp WHERE user_id IN (SELECT id FROM users \
         WHERE tenant_id = $1 AND kind <> 'owner')",
        "DELETE FROM api_tokens WHERE tenant_id = $1",
        // Exports on their way or ready go: their ZIPs are deleted with the school's files.
        "UPDATE exports SET status = 'expired' WHERE tenant_id = $1 \
         AND status IN ('queued', 'running', 'ready')",
        "DELETE FROM email_tokens WHERE user_id IN (SELECT id FROM users WHERE tenant_id = $1)",
        // Sign-in throttling and codes name people's e-mails.
        "DELETE FROM rate_limits WHERE bucket IN (SELECT 'login:email:' || email FROM users \
         WHERE tenant_id = $1 AND kind <> 'owner')",
        "DELETE FROM login_codes WHERE email IN (SELECT email FROM users \
         WHERE tenant_id = $1 AND kind <> 'owner')",
        // A copy request of an act is a money record: it stays, without the staff member.
        "UPDATE act_copy_requests SET requested_by = NULL WHERE requested_by IN \
         (SELECT id FROM users WHERE tenant_id = $1 AND kind <> 'owner')",
        // The school's mail (invitations, sign-in codes, links, names) goes too, except what is
        // being handed to the mail server this moment; the owner's stays with the account.
        "DELETE FROM mail_outbox WHERE state <> 'sending' AND (tenant_id = $1 OR \
         (tenant_id IS NULL AND to_address IN (SELECT email FROM users \
         WHERE tenant_id = $1 AND kind <> 'owner')))",
        "DELETE FROM users WHERE tenant_id = $1 AND kind <> 'owner'",
    ] {
        sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
            .bind(tenant_id.as_str())
            .execute(&mut *conn)
            .await?;
    }
    // Reset throttling buckets name people's e-mails.
    for prefix in ["reset:"] {
        sqlx::query("DELETE FROM rate_limits WHERE bucket LIKE $1")
            .bind(format!("{prefix}{tenant_id}:%"))
            .execute(&mut *conn)
            .await?;
    }
    Ok(out)
}

/// The keys of an audit entry's details that hold personal data: their values are replaced by
/// a pseudonym when the school is purged.
pub const PERSONAL_KEYS: &[&str] = &[
    "email",
    "full_name",
    "name",
    "phone",
    "query",
    "address",
    "to",
    "payer",
    "filename",
];

/// An audit entry of the school, to pseudonymise.
#[derive(Debug, Clone)]
pub struct AuditRow {
    pub id: String,
    pub details: String,
}

/// The school's audit entries not yet pseudonymised, `limit` at a time.
pub async fn audit_to_pseudonymise(
    conn: &mut Conn,
    tenant_id: &TenantId,
    limit: i64,
) -> Result<Vec<AuditRow>> {
    let rows = sqlx::query(
        "SELECT id, details FROM audit_log WHERE tenant_id = $1 AND pseudonymised_at IS NULL \
         ORDER BY id LIMIT $2",
    )
    .bind(tenant_id.as_str())
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(audit_row).collect()
}

/// An [`AuditRow`] from its `id` and `details` columns.
pub(crate) fn audit_row(r: &sqlx::any::AnyRow) -> Result<AuditRow> {
    let c = Cols::new(r, "");
    Ok(AuditRow {
        id: c.get("id")?,
        details: c.get("details")?,
    })
}

/// Pseudonymises one entry: no address or browser, and `details` as given.
pub async fn pseudonymise(conn: &mut Conn, id: &str, details: &str, at: Timestamp) -> Result<()> {
    sqlx::query(
        "UPDATE audit_log SET ip = NULL, user_agent = NULL, details = $1, pseudonymised_at = $2 \
         WHERE id = $3",
    )
    .bind(details)
    .bind(to_micros(at))
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
