//! The audit log: append-only (database triggers refuse UPDATE and DELETE), one row per
//! mutating action, written in the same transaction as the action.

use educenter_domain::ids::TenantId;
use jiff::Timestamp;
use serde::Serialize;
use sqlx::AssertSqlSafe;

use crate::{Cols, Conn, Db, Result, new_id, to_micros};

/// Who did it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Actor {
    /// The platform itself: a job, a start-up task, a command-line action.
    System,
    /// A person or an API token, by kind (`operator`, `owner`, `staff`, `learner`,
    /// `api_token`, `test_harness`) and id.
    Principal { kind: String, id: String },
    /// Someone not signed in (a sign-up, a password reset request).
    Anonymous,
}

impl Actor {
    fn parts(&self) -> (&str, Option<&str>) {
        match self {
            Actor::System => ("system", None),
            Actor::Anonymous => ("anonymous", None),
            Actor::Principal { kind, id } => (kind.as_str(), Some(id.as_str())),
        }
    }
}

/// Where the request came from, when there was one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Origin {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// One audit entry. Build it with [`Entry::new`] and the `with_*` methods.
#[derive(Debug, Clone)]
pub struct Entry {
    pub actor: Actor,
    pub tenant_id: Option<String>,
    pub action: String,
    pub target: Option<(String, String)>,
    pub origin: Origin,
    pub details: serde_json::Value,
    /// The API token the action came with.
    pub token_id: Option<String>,
}

impl Entry {
    /// `action` is a dotted verb phrase such as `tenant.signup` or `test_clock.advance`.
    pub fn new(actor: Actor, action: impl Into<String>) -> Self {
        Self {
            actor,
            tenant_id: None,
            action: action.into(),
            target: None,
            origin: Origin::default(),
            details: serde_json::Value::Object(Default::default()),
            token_id: None,
        }
    }

    /// The API token the action came with.
    pub fn token(mut self, token_id: impl Into<String>) -> Self {
        self.token_id = Some(token_id.into());
        self
    }

    /// Records what an update changed: every field whose value differs between `old` and
    /// `new` (objects), as `{"field": {"old": ..., "new": ...}}` under `changes`; the values of
    /// personal fields (e-mails, names, phones) are masked.
    pub fn changes(mut self, old: &serde_json::Value, new: &serde_json::Value) -> Self {
        let mut changed = serde_json::Map::new();
        if let (Some(old), Some(new)) = (old.as_object(), new.as_object()) {
            let keys: std::collections::BTreeSet<&String> = old.keys().chain(new.keys()).collect();
            for key in keys
                .into_iter()
                .filter(|k| !UNRECORDED.contains(&k.as_str()))
            {
                let (a, b) = (
                    old.get(key).unwrap_or(&serde_json::Value::Null),
                    new.get(key).unwrap_or(&serde_json::Value::Null),
                );
                if a != b {
                    changed.insert(
                        key.clone(),
                        serde_json::json!({ "old": mask(key, a), "new": mask(key, b) }),
                    );
                }
            }
        }
        if let Some(details) = self.details.as_object_mut() {
            details.insert("changes".into(), serde_json::Value::Object(changed));
        }
        self
    }

    pub fn tenant(mut self, tenant_id: impl Into<String>) -> Self {
        self.tenant_id = Some(tenant_id.into());
        self
    }

    pub fn target(mut self, kind: impl Into<String>, id: impl Into<String>) -> Self {
        self.target = Some((kind.into(), id.into()));
        self
    }

    pub fn origin(mut self, origin: Origin) -> Self {
        self.origin = origin;
        self
    }

    pub fn details(mut self, details: serde_json::Value) -> Self {
        self.details = details;
        self
    }
}

/// Fields an update always moves, not worth recording as changes.
const UNRECORDED: &[&str] = &["updated_at", "revision", "created_at"];

/// Fields whose values are personal data: masked in recorded changes.
const MASKED: &[&str] = &[
    "email",
    "full_name",
    "phone",
    "name",
    "address",
    "password_hash",
    "contact_email",
    "contact_phone",
    "contact_address",
];

/// A personal value as the audit keeps it: enough to recognise, not to read (`a***@alma.kz`,
/// `+7***67`, `А***`).
fn mask(key: &str, value: &serde_json::Value) -> serde_json::Value {
    let Some(text) = value.as_str().filter(|_| MASKED.contains(&key)) else {
        return value.clone();
    };
    let first: String = text.chars().take(1).collect();
    let masked = match text.split_once('@') {
        Some((_, domain)) => format!("{first}***@{domain}"),
        None if key.ends_with("phone") => {
            let last: String = text
                .chars()
                .rev()
                .take(2)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            format!("{}***{last}", text.chars().take(2).collect::<String>())
        }
        None => format!("{first}***"),
    };
    serde_json::Value::String(masked)
}

/// Appends an entry in the caller's transaction. Every mutating action calls this.
pub async fn record(conn: &mut Conn, entry: &Entry, at: Timestamp) -> Result<String> {
    let id = new_id();
    let (actor_kind, actor_id) = entry.actor.parts();
    let (target_kind, target_id) = match &entry.target {
        Some((k, i)) => (Some(k.as_str()), Some(i.as_str())),
        None => (None, None),
    };
    sqlx::query(
        "INSERT INTO audit_log (id, at, actor_kind, actor_id, tenant_id, action, target_kind, \
         target_id, ip, user_agent, details, token_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(&id)
    .bind(to_micros(at))
    .bind(actor_kind)
    .bind(actor_id)
    .bind(entry.tenant_id.as_deref())
    .bind(&entry.action)
    .bind(target_kind)
    .bind(target_id)
    .bind(entry.origin.ip.as_deref())
    .bind(entry.origin.user_agent.as_deref())
    .bind(entry.details.to_string())
    .bind(entry.token_id.as_deref())
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// [`record`] for many entries, a few statements for all of them.
pub async fn record_many(conn: &mut Conn, entries: &[Entry], at: Timestamp) -> Result<()> {
    let batch = crate::Batch::of(conn);
    for part in entries.chunks(batch.rows(12)) {
        let sql = format!(
            "INSERT INTO audit_log (id, at, actor_kind, actor_id, tenant_id, action, target_kind, \
             target_id, ip, user_agent, details, token_id) VALUES {}",
            batch.tuples(part.len(), 12)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for entry in part {
            let (actor_kind, actor_id) = entry.actor.parts();
            let (target_kind, target_id) = match &entry.target {
                Some((k, i)) => (Some(k.clone()), Some(i.clone())),
                None => (None, None),
            };
            q = q
                .bind(new_id())
                .bind(to_micros(at))
                .bind(actor_kind.to_owned())
                .bind(actor_id.map(str::to_owned))
                .bind(entry.tenant_id.clone())
                .bind(entry.action.clone())
                .bind(target_kind)
                .bind(target_id)
                .bind(entry.origin.ip.clone())
                .bind(entry.origin.user_agent.clone())
                .bind(entry.details.to_string())
                .bind(entry.token_id.clone());
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// An entry as stored.
#[derive(Debug, Clone, Serialize)]
pub struct StoredEntry {
    pub id: String,
    pub at: Timestamp,
    pub actor_kind: String,
    pub actor_id: Option<String>,
    pub tenant_id: Option<String>,
    pub action: String,
    pub target_kind: Option<String>,
    pub target_id: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub details: serde_json::Value,
    /// The API token the action came with.
    pub token_id: Option<String>,
}

fn from_row(r: &sqlx::any::AnyRow) -> Result<StoredEntry> {
    let c = Cols::new(r, "");
    let details: String = c.get("details")?;
    Ok(StoredEntry {
        id: c.get("id")?,
        at: c.at("at")?,
        actor_kind: c.get("actor_kind")?,
        actor_id: c.get("actor_id")?,
        tenant_id: c.get("tenant_id")?,
        action: c.get("action")?,
        target_kind: c.get("target_kind")?,
        target_id: c.get("target_id")?,
        ip: c.get("ip")?,
        user_agent: c.get("user_agent")?,
        details: serde_json::from_str(&details).unwrap_or(serde_json::Value::Null),
        token_id: c.get("token_id")?,
    })
}

/// The newest entries, optionally of one action.
pub async fn recent(db: &Db, action: Option<&str>, limit: i64) -> Result<Vec<StoredEntry>> {
    let sql = "SELECT id, at, actor_kind, actor_id, tenant_id, action, target_kind, target_id, \
               ip, user_agent, details, token_id FROM audit_log WHERE ($1 IS NULL OR action = $1) \
               ORDER BY at DESC, id DESC LIMIT $2";
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(action)
        .bind(limit)
        .fetch_all(db.pool())
        .await?;
    rows.iter().map(from_row).collect()
}

/// A tenant's audit trail, newest first.
pub async fn of_tenant(db: &Db, tenant_id: &TenantId, limit: i64) -> Result<Vec<StoredEntry>> {
    let rows = sqlx::query(
        "SELECT id, at, actor_kind, actor_id, tenant_id, action, target_kind, target_id, ip, \
         user_agent, details, token_id FROM audit_log WHERE tenant_id = $1 ORDER BY at DESC, id DESC \
         LIMIT $2",
    )
    .bind(tenant_id.as_str())
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(from_row).collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn changes_name_each_changed_field_and_mask_personal_values() {
        let e = Entry::new(Actor::System, "x").changes(
            &json!({ "title": "Алгебра", "email": "aigerim@alma.kz", "phone": "+77011234567", "status": "draft" }),
            &json!({ "title": "Геометрия", "email": "aigerim.s@alma.kz", "phone": "+77011234567", "status": "draft" }),
        );
        assert_eq!(
            e.details["changes"],
            json!({
                "title": { "old": "Алгебра", "new": "Геометрия" },
                "email": { "old": "a***@alma.kz", "new": "a***@alma.kz" },
            })
        );
    }
}
