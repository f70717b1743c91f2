//! Erasing one person (issue 18, item 4; ): their learning records, sessions,
//! tokens, links, two-step sign-in, consents, mail and throttling go; their account row stays
//! with no e-mail, name, phone or password, so the ids that name it (the audit trail, money
//! records, files they uploaded) are a pseudonym that leads nowhere. The school's audit entries
//! about them are found by [`audit_of_person`] and pseudonymised by the caller.

use educenter_domain::ids::{TenantId, UserId};
use jiff::Timestamp;

use crate::{Conn, Result, retention::AuditRow, to_micros};

/// Erases the person `user_id` of the school `tenant_id` (whose e-mail was `email`) in the
/// caller's transaction; `false` when no such person is there to erase.
pub async fn erase_person(
    conn: &mut Conn,
    tenant_id: &TenantId,
    user_id: &UserId,
    email: &str,
    now: Timestamp,
) -> Result<bool> {
    for sql in [
        "DELETE FROM lesson_progress WHERE tenant_id = $1 AND user_id = $2",
        "DELETE FROM quiz_answers WHERE tenant_id = $1 AND user_id = $2",
        "DELETE FROM quiz_attempts WHERE tenant_id = $1 AND user_id = $2",
        "DELETE FROM submission_files WHERE tenant_id = $1 AND user_id = $2",
        "DELETE FROM submission_entries WHERE tenant_id = $1 AND user_id = $2",
        "DELETE FROM submissions WHERE tenant_id = $1 AND user_id = $2",
        "DELETE FROM certificates WHERE tenant_id = $1 AND user_id = $2",
        "DELETE FROM learner_days WHERE tenant_id = $1 AND user_id = $2",
        "DELETE FROM enrolments WHERE tenant_id = $1 AND user_id = $2",
        "DELETE FROM group_members WHERE tenant_id = $1 AND user_id = $2",
        "DELETE FROM course_teachers WHERE tenant_id = $1 AND user_id = $2",
        "DELETE FROM learner_consents WHERE tenant_id = $1 AND user_id = $2",
        "DELETE FROM api_tokens WHERE tenant_id = $1 AND user_id = $2",
        "DELETE FROM sessions WHERE tenant_id = $1 AND user_id = $2",
        "DELETE FROM email_tokens WHERE user_id = $2 AND EXISTS \
         (SELECT 1 FROM users WHERE id = $2 AND tenant_id = $1)",
        "DELETE FROM mfa_recovery_codes WHERE tenant_id = $1 AND user_id = $2",
        "DELETE FROM mfa_totp WHERE tenant_id = $1 AND user_id = $2",
    ] {
        sqlx::query(sql)
            .bind(tenant_id.as_str())
            .bind(user_id.as_str())
            .execute(&mut *conn)
            .await?;
    }
    // What names the e-mail: the school's mail to it (but what is being handed to the mail
    // server this moment), and the throttling of its sign-ins and resets.
    for sql in [
        "DELETE FROM mail_outbox WHERE state <> 'sending' AND tenant_id = $1 AND to_address = $2",
        "DELETE FROM rate_limits WHERE bucket = 'reset:' || $1 || ':' || $2",
    ] {
        sqlx::query(sql)
            .bind(tenant_id.as_str())
            .bind(email)
            .execute(&mut *conn)
            .await?;
    }
    // The e-mail's sign-in throttling and code are shared by its accounts in every school:
    // they go when no other account of the e-mail is left.
    for sql in [
        "DELETE FROM rate_limits WHERE bucket = 'login:email:' || $1 AND NOT EXISTS \
         (SELECT 1 FROM users WHERE email = $1 AND id <> $2 AND removed_at IS NULL)",
        "DELETE FROM login_codes WHERE email = $1 AND NOT EXISTS \
         (SELECT 1 FROM users WHERE email = $1 AND id <> $2 AND removed_at IS NULL)",
        "DELETE FROM rate_limits WHERE bucket = 'reset:' || $1 AND NOT EXISTS \
         (SELECT 1 FROM users WHERE email = $1 AND id <> $2 AND removed_at IS NULL)",
        "DELETE FROM mail_outbox WHERE state <> 'sending' AND tenant_id IS NULL \
         AND to_address = $1 AND NOT EXISTS \
         (SELECT 1 FROM users WHERE email = $1 AND id <> $2 AND removed_at IS NULL)",
    ] {
        sqlx::query(sql)
            .bind(email)
            .bind(user_id.as_str())
            .execute(&mut *conn)
            .await?;
    }
    let done = sqlx::query(
        "UPDATE users SET email = 'erased-' || id || '@erased.invalid', full_name = '', \
         phone = NULL, password_hash = NULL, email_verified_at = NULL, mfa_enabled_at = NULL, \
         removed_at = COALESCE(removed_at, $1), erased_at = $1 \
         WHERE tenant_id = $2 AND id = $3 AND kind IN ('learner', 'staff') AND erased_at IS NULL",
    )
    .bind(to_micros(now))
    .bind(tenant_id.as_str())
    .bind(user_id.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The school's audit entries about the person or by them, or naming their e-mail, and the
/// entries of no school naming the e-mail (failed sign-ins) when no other account has it; not
/// yet pseudonymised (`limit` at a time).
pub async fn audit_of_person(
    conn: &mut Conn,
    tenant_id: &TenantId,
    user_id: &UserId,
    email: &str,
    limit: i64,
) -> Result<Vec<AuditRow>> {
    let rows = sqlx::query(
        "SELECT id, details FROM audit_log WHERE pseudonymised_at IS NULL AND (\
         (tenant_id = $1 AND (actor_id = $2 OR target_id = $2 OR details LIKE $3 ESCAPE '\\')) \
         OR (tenant_id IS NULL AND details LIKE $3 ESCAPE '\\' AND NOT EXISTS (SELECT 1 FROM users \
         WHERE email = $5 AND id <> $2 AND removed_at IS NULL))) \
         ORDER BY id LIMIT $4",
    )
    .bind(tenant_id.as_str())
    .bind(user_id.as_str())
    // The e-mail as a JSON string, its `%` and `_` taken literally.
    .bind(format!(
        "%\"{}\"%",
        email
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    ))
    .bind(limit)
    .bind(email)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(crate::retention::audit_row).collect()
}
