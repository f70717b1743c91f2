//! A school's privacy texts for its students, versioned, and its students' consents
//! (R-2.6b): what they agreed to, and the marketing consent they may withdraw.

use educenter_domain::ids::{TenantId, UserId};
use educenter_domain::learning::ConsentKind;
use jiff::Timestamp;
use serde::Serialize;

use crate::{Cols, Conn, Result, to_micros};

/// One version of a school's privacy text.
#[derive(Debug, Clone, Serialize)]
pub struct PrivacyText {
    pub version: i64,
    pub text: String,
    pub created_at: Timestamp,
}

/// The school's versions, newest first.
pub async fn texts(conn: &mut Conn, tenant_id: &TenantId) -> Result<Vec<PrivacyText>> {
    let rows = sqlx::query(
        "SELECT version, text, created_at FROM school_privacy_texts WHERE tenant_id = $1 \
         ORDER BY version DESC",
    )
    .bind(tenant_id.as_str())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let c = Cols::new(r, "");
            Ok(PrivacyText {
                version: c.get("version")?,
                text: c.get("text")?,
                created_at: c.at("created_at")?,
            })
        })
        .collect()
}

/// The school's text in force: its newest version.
pub async fn current(conn: &mut Conn, tenant_id: &TenantId) -> Result<Option<PrivacyText>> {
    Ok(texts(conn, tenant_id).await?.into_iter().next())
}

/// Saves a new version (the next number); returns it.
pub async fn add(
    conn: &mut Conn,
    tenant_id: &TenantId,
    text: &str,
    by: &UserId,
    at: Timestamp,
) -> Result<i64> {
    let row = sqlx::query(
        "SELECT COALESCE(MAX(version), 0) AS v FROM school_privacy_texts WHERE tenant_id = $1",
    )
    .bind(tenant_id.as_str())
    .fetch_one(&mut *conn)
    .await?;
    let version = Cols::new(&row, "").get::<i64>("v")? + 1;
    sqlx::query(
        "INSERT INTO school_privacy_texts (tenant_id, version, text, created_at, created_by) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(tenant_id.as_str())
    .bind(version)
    .bind(text)
    .bind(to_micros(at))
    .bind(by.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(version)
}

/// A student's consent, given or withdrawn.
#[derive(Debug, Clone, Serialize)]
pub struct ConsentRecord {
    pub kind: ConsentKind,
    pub text_version: String,
    pub accepted_at: Timestamp,
    pub withdrawn_at: Option<Timestamp>,
}

/// Every consent a student gave, oldest first.
pub async fn consents_of(
    conn: &mut Conn,
    tenant_id: &TenantId,
    user_id: &UserId,
) -> Result<Vec<ConsentRecord>> {
    let rows = sqlx::query(
        "SELECT kind, text_version, accepted_at, withdrawn_at FROM learner_consents \
         WHERE tenant_id = $1 AND user_id = $2 ORDER BY accepted_at, id",
    )
    .bind(tenant_id.as_str())
    .bind(user_id.as_str())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let c = crate::Cols::new(r, "");
            Ok(ConsentRecord {
                kind: c.word("kind")?,
                text_version: c.get("text_version")?,
                accepted_at: c.at("accepted_at")?,
                withdrawn_at: c.at_opt("withdrawn_at")?,
            })
        })
        .collect()
}

/// Withdraws a student's consents of a kind in force; returns how many were.
pub async fn withdraw(
    conn: &mut Conn,
    tenant_id: &TenantId,
    user_id: &UserId,
    kind: ConsentKind,
    at: Timestamp,
) -> Result<u64> {
    let done = sqlx::query(
        "UPDATE learner_consents SET withdrawn_at = $1 WHERE tenant_id = $2 AND user_id = $3 \
         AND kind = $4 AND withdrawn_at IS NULL",
    )
    .bind(to_micros(at))
    .bind(tenant_id.as_str())
    .bind(user_id.as_str())
    .bind(kind.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}
