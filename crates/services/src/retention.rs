//! Data retention (R-4.4a, R-8.2, A-14): a school that lapsed, refused or was terminated keeps
//! its data for 60 days, is warned at least 10 business days before, and is then purged: its
//! courses, files, students, staff and sessions are deleted; its own record, money records and
//! contracts stay; its audit trail is pseudonymised.

use educenter_domain::ids::TenantId;
use educenter_store::{
    Conn,
    audit::{self, Actor, Entry},
    jobs,
    retention::{self, PERSONAL_KEYS, Purged},
    tenancy,
};
use hmac::{Hmac, KeyInit, Mac};
use jiff::Timestamp;
use serde_json::{Value, json};
use sha2::Sha256;

use crate::ServiceError;
use crate::jobs::Job;

/// The deletion of a purged school's files from the media store (its work is `media`'s).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct PurgeFiles {
    pub tenant_id: String,
}

/// Purges a school in the caller's transaction and queues the deletion of its files' bytes.
pub async fn purge(
    tx: &mut Conn,
    tenant_id: &TenantId,
    purge_on: &str,
    now: Timestamp,
) -> Result<Purged, ServiceError> {
    let mut purged = retention::purge_school(tx, tenant_id).await?;
    let key = pseudonym_key(tx, now).await?;
    loop {
        let rows = retention::audit_to_pseudonymise(tx, tenant_id, 500).await?;
        if rows.is_empty() {
            break;
        }
        purged.audit_entries += pseudonymise_rows(tx, &key, tenant_id, rows, now).await?;
    }
    tenancy::mark_purged(tx, tenant_id, now).await?;
    jobs::enqueue(
        tx,
        &PurgeFiles {
            tenant_id: tenant_id.to_string(),
        }
        .job(now)
        .idempotency_key(format!("purge-files:{tenant_id}")),
        now,
    )
    .await?;
    let entry = Entry::new(Actor::System, "tenant.purge")
        .tenant(tenant_id.to_owned())
        .details(json!({
            "purge_on": purge_on,
            "courses": purged.courses,
            "lessons": purged.lessons,
            "files": purged.files,
            "students": purged.students,
            "staff": purged.staff,
            "audit_entries_pseudonymised": purged.audit_entries,
        }));
    audit::record(tx, &entry, now).await?;
    Ok(purged)
}

/// The key pseudonyms are made with: the installation's own secret, so that an e-mail guessed
/// from a dictionary does not lead back to its pseudonym.
pub(crate) async fn pseudonym_key(tx: &mut Conn, now: Timestamp) -> Result<String, ServiceError> {
    let (candidate, _) = crate::accounts::new_secret()?;
    Ok(educenter_store::media::shared_secret(tx, "pseudonyms", &candidate, now).await?)
}

/// Pseudonymises these audit entries of the school (no address or browser, and every personal
/// value of their details a pseudonym); answers how many.
pub(crate) async fn pseudonymise_rows(
    tx: &mut Conn,
    key: &str,
    tenant_id: &TenantId,
    rows: Vec<retention::AuditRow>,
    now: Timestamp,
) -> Result<u64, ServiceError> {
    let mut n = 0;
    for row in rows {
        let details = serde_json::from_str::<Value>(&row.details).unwrap_or(Value::Null);
        let details = pseudonymised(key.as_bytes(), tenant_id, details).to_string();
        retention::pseudonymise(tx, &row.id, &details, now).await?;
        n += 1;
    }
    Ok(n)
}

/// The same details with every personal value (e-mails, names, phones, searches, addresses)
/// replaced by a pseudonym: the same value gives the same pseudonym within the school, and the
/// value cannot be read back from it.
pub fn pseudonymised(key: &[u8], tenant_id: &str, details: Value) -> Value {
    match details {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let v = if PERSONAL_KEYS.contains(&k.as_str()) {
                        pseudonym(key, tenant_id, &v)
                    } else {
                        pseudonymised(key, tenant_id, v)
                    };
                    (k, v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|v| pseudonymised(key, tenant_id, v))
                .collect(),
        ),
        other => other,
    }
}

fn pseudonym(key: &[u8], tenant_id: &str, value: &Value) -> Value {
    match value {
        Value::Null => Value::Null,
        Value::String(s) if s.is_empty() => Value::String(String::new()),
        other => {
            let text = match other {
                Value::String(s) => s.clone(),
                v => v.to_string(),
            };
            let mut mac =
                Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
            mac.update(format!("{tenant_id}:{text}").as_bytes());
            let digest = mac.finalize().into_bytes();
            Value::String(format!("pseudonym:{}", &hex::encode(digest)[..16]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_values_become_pseudonyms_and_the_rest_stays() {
        let d = json!({
            "email": "aigerim@alma.kz",
            "reason": "over_limit",
            "amount_minor": 3_000_000,
            "rows": [{ "full_name": "Айгерим", "group": "7A" }],
        });
        let p = pseudonymised(b"k", "t1", d.clone());
        assert_eq!(p["reason"], "over_limit");
        assert_eq!(p["amount_minor"], 3_000_000);
        assert_eq!(p["rows"][0]["group"], "7A");
        let email = p["email"].as_str().unwrap();
        assert!(email.starts_with("pseudonym:") && !email.contains("aigerim"));
        assert_ne!(p["rows"][0]["full_name"], "Айгерим");
        // The same value gives the same pseudonym in one school, another in another school.
        assert_eq!(pseudonymised(b"k", "t1", d.clone())["email"], p["email"]);
        assert_ne!(pseudonymised(b"k", "t2", d.clone())["email"], p["email"]);
        // Another installation's key gives another pseudonym.
        assert_ne!(pseudonymised(b"other", "t1", d)["email"], p["email"]);
    }
}
