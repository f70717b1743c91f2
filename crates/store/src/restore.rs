//! One school's rows across databases (issue 18, item 2; ): read from a restored copy of a
//! backup set, written into the live database, either where they are missing (the school's own
//! ids) or as a copy beside the school (a new school, every id new).
//!
//! Only the school's own data moves ([`RESTORED`]): its people, files, courses, groups and
//! learning. The operator's records of the school (contracts, money, documents, the audit
//! trail and access log, registers, sessions and tokens: [`NOT_RESTORED`]) stay as they are
//! live: a set is older than them, and they are the operator's, not the school's.

use std::collections::{HashMap, HashSet};

use educenter_domain::ids::TenantId;
use serde_json::{Map, Value};

use crate::{
    Conn, Result, StoreError,
    schema::{ColumnClass, Shape},
};

/// The school's tables a restore writes, parents before children (their foreign keys).
pub const RESTORED: &[&str] = &[
    "users",
    "school_privacy_texts",
    "media",
    "question_categories",
    "questions",
    "question_tags",
    "courses",
    "course_modules",
    "lessons",
    "lesson_images",
    "course_teachers",
    "learner_groups",
    "group_members",
    "enrolments",
    "lesson_progress",
    "quizzes",
    "quiz_attempts",
    "quiz_answers",
    "submissions",
    "submission_entries",
    "submission_files",
    "certificates",
    "learner_days",
    "learner_consents",
];

/// The tables with a school's rows that a restore leaves as they are live (see the module).
pub const NOT_RESTORED: &[&str] = &[
    "access_log",
    "access_log_requests",
    "acceptances",
    "act_copy_requests",
    "act_lines",
    "acts",
    "api_tokens",
    "audit_log",
    "billing_notices",
    "compliance_cases",
    "contracts",
    "credit_ledger",
    "data_incidents",
    "disclosure_requests",
    "email_tokens",
    "exports",
    "force_majeure_events",
    "force_majeure_files",
    "force_majeure_schools",
    "invoice_lines",
    "invoices",
    "licence_periods",
    "mail_outbox",
    "media_uploads",
    "mfa_recovery_codes",
    "mfa_totp",
    "payments",
    "price_change_notices",
    "quotes",
    "refunds",
    "service_price_change_notices",
    "sessions",
    "storage_grants",
    "tenant_blocks",
    "termination_notices",
    "trial_claims",
];

/// A row: each column's value.
pub type Row = Map<String, Value>;

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Every row of `table` of the school (`tenants`: its own row), every column, as values.
pub async fn rows(
    conn: &mut Conn,
    shape: &Shape,
    table: &str,
    tenant_id: &TenantId,
) -> Result<Vec<Row>> {
    let columns = shape
        .get(table)
        .ok_or_else(|| StoreError::Corrupt(format!("no table {table}")))?;
    let names: Vec<&String> = columns.keys().collect();
    let key = if table == "tenants" {
        "id"
    } else {
        "tenant_id"
    };
    let select: Vec<String> = names.iter().map(|n| quote(n)).collect();
    let sql = format!(
        "SELECT {} FROM {} WHERE {key} = $1",
        select.join(", "),
        quote(table)
    );
    let found = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id.as_str())
        .fetch_all(&mut *conn)
        .await?;
    let rows = found
        .iter()
        .map(|row| {
            names
                .iter()
                .enumerate()
                .map(|(i, name)| ((*name).clone(), crate::exports::value(row, i)))
                .collect()
        })
        .collect();
    Ok(parents_first(rows))
}

/// A table whose rows name a parent row of theirs (`parent_id`: question categories) in an
/// order each parent comes before its children, whatever order the database read them in: the
/// roots in their order, each followed by its descendants (linear in the rows).
fn parents_first(rows: Vec<Row>) -> Vec<Row> {
    let text = |r: &Row, k: &str| r.get(k).and_then(Value::as_str).map(str::to_owned);
    if rows.iter().all(|r| text(r, "parent_id").is_none()) {
        return rows;
    }
    let ids: HashSet<String> = rows.iter().filter_map(|r| text(r, "id")).collect();
    let mut children: HashMap<String, Vec<usize>> = HashMap::new();
    let mut roots = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        match text(r, "parent_id").filter(|p| ids.contains(p)) {
            Some(p) => children.entry(p).or_default().push(i),
            None => roots.push(i),
        }
    }
    let mut order = Vec::with_capacity(rows.len());
    let mut stack: Vec<usize> = roots.into_iter().rev().collect();
    while let Some(i) = stack.pop() {
        order.push(i);
        if let Some(kids) = text(&rows[i], "id").and_then(|id| children.remove(&id)) {
            stack.extend(kids.into_iter().rev());
        }
    }
    // Rows in a cycle reach no root: no order satisfies them; they go last, as they are.
    let mut placed = vec![false; rows.len()];
    for &i in &order {
        placed[i] = true;
    }
    order.extend((0..rows.len()).filter(|i| !placed[*i]));
    let mut slots: Vec<Option<Row>> = rows.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

/// Inserts `row` into `table` unless a row with its key (or another unique value) is there;
/// whether it went in. Each value is bound as its column's type, so a NULL is a typed NULL.
pub async fn insert_missing(
    conn: &mut Conn,
    shape: &Shape,
    table: &str,
    row: &Row,
) -> Result<bool> {
    let columns = shape
        .get(table)
        .ok_or_else(|| StoreError::Corrupt(format!("no table {table}")))?;
    let names: Vec<&String> = row.keys().filter(|k| columns.contains_key(*k)).collect();
    let list: Vec<String> = names.iter().map(|n| quote(n)).collect();
    let places: Vec<String> = (1..=names.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "INSERT INTO {} ({}) VALUES ({}) ON CONFLICT DO NOTHING",
        quote(table),
        list.join(", "),
        places.join(", ")
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for name in &names {
        let value = &row[name.as_str()];
        q = match columns[name.as_str()].0 {
            ColumnClass::Integer => q.bind(match value {
                Value::Bool(b) => Some(i64::from(*b)),
                v => v.as_i64(),
            }),
            ColumnClass::Real => q.bind(value.as_f64()),
            _ => q.bind(value.as_str().map(str::to_owned)),
        };
    }
    Ok(q.execute(&mut *conn).await?.rows_affected() == 1)
}

/// The school's people erased in the live database: a restore never brings back
/// anything of theirs.
pub async fn erased_people(conn: &mut Conn, tenant_id: &TenantId) -> Result<HashSet<String>> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT id FROM users WHERE tenant_id = $1 AND erased_at IS NOT NULL")
            .bind(tenant_id.as_str())
            .fetch_all(&mut *conn)
            .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// Sets the school's logo once its file is in (the logo's foreign key names a file).
pub async fn set_logo(conn: &mut Conn, tenant_id: &TenantId, logo: Option<&str>) -> Result<()> {
    sqlx::query("UPDATE tenants SET logo_id = $1 WHERE id = $2")
        .bind(logo)
        .bind(tenant_id.as_str())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Raises the revision of every course of the school, so that every instance reads their
/// modules and lessons afresh (a restore may have brought some back).
pub async fn bump_courses(conn: &mut Conn, tenant_id: &TenantId) -> Result<()> {
    sqlx::query("UPDATE courses SET revision = revision + 1 WHERE tenant_id = $1")
        .bind(tenant_id.as_str())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The new values of a copy: every id of the school's rows (and the school's own) gets a new
/// one, wherever it appears whole; a value that starts with the school's id and `/` (a file's
/// storage key) gets the new school's id instead.
pub struct Renaming {
    ids: HashMap<String, String>,
    /// Ids that name nobody in the copy (people erased since the set): written as NULL.
    forgotten: HashSet<String>,
    from_tenant: String,
    to_tenant: String,
}

impl Renaming {
    pub fn new(from_tenant: &TenantId, to_tenant: &TenantId) -> Self {
        let mut ids = HashMap::new();
        ids.insert(from_tenant.to_string(), to_tenant.to_string());
        Self {
            ids,
            forgotten: HashSet::new(),
            from_tenant: from_tenant.to_string(),
            to_tenant: to_tenant.to_string(),
        }
    }

    /// Makes these ids name nobody: a row naming one gets NULL there, or, in a column that
    /// takes no NULL, a pseudonym of its own (as erasure leaves an id that names nobody).
    pub fn forget(&mut self, ids: impl IntoIterator<Item = String>) {
        self.forgotten.extend(ids);
    }

    /// Gives `row`'s own id (its `id` column) a new one.
    pub fn learn(&mut self, row: &Row) {
        if let Some(Value::String(id)) = row.get("id") {
            self.ids.entry(id.clone()).or_insert_with(crate::new_id);
        }
    }

    /// A text (a lesson's) with the files it shows as images (`media:ID`) renamed.
    fn images(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for id in educenter_domain::content::image_refs(text) {
            if let Some(new) = self.ids.get(id.as_str()) {
                let scheme = educenter_domain::content::IMAGE_SCHEME;
                out = out.replace(&format!("{scheme}{id}"), &format!("{scheme}{new}"));
            }
        }
        out
    }

    /// `row` with every known id replaced; `nullable` tells whether a column takes NULL.
    pub fn apply(&self, row: &Row, nullable: impl Fn(&str) -> bool) -> Row {
        row.iter()
            .map(|(k, v)| {
                let v = match v {
                    Value::String(s) if self.forgotten.contains(s) => {
                        if nullable(k) {
                            Value::Null
                        } else {
                            Value::String(format!("erased-{}", crate::new_id()))
                        }
                    }
                    Value::String(s) => match self.ids.get(s) {
                        Some(new) => Value::String(new.clone()),
                        None => match s.strip_prefix(&format!("{}/", self.from_tenant)) {
                            Some(rest) => Value::String(format!("{}/{rest}", self.to_tenant)),
                            None => Value::String(self.images(s)),
                        },
                    },
                    v => v.clone(),
                };
                (k.clone(), v)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_renames_ids_and_storage_keys_and_nothing_else() {
        let (a, b) = (TenantId::new("t-a"), TenantId::new("t-b"));
        let mut r = Renaming::new(&a, &b);
        let media: Row = serde_json::from_value(serde_json::json!({
            "id": "m-1", "tenant_id": "t-a", "storage_key": "t-a/m-1", "filename": "t-a.txt",
            "size_bytes": 5
        }))
        .unwrap();
        r.learn(&media);
        let out = r.apply(&media, |_| true);
        assert_ne!(out["id"], "m-1");
        assert_eq!(out["tenant_id"], "t-b");
        assert_eq!(out["storage_key"], "t-b/m-1");
        assert_eq!(out["filename"], "t-a.txt");
        assert_eq!(out["size_bytes"], 5);
        let lesson: Row =
            serde_json::from_value(serde_json::json!({ "id": "l-1", "media_id": "m-1" })).unwrap();
        assert_eq!(r.apply(&lesson, |_| true)["media_id"], out["id"]);
        // A lesson's text shows the copy's image.
        let old = "0190f0a2-1b2c-7d3e-8f40-0123456789ab";
        let mut r = Renaming::new(&TenantId::new("t-1"), &TenantId::new("t-2"));
        r.learn(&serde_json::from_value(serde_json::json!({ "id": old })).unwrap());
        let text: Row = serde_json::from_value(
            serde_json::json!({ "body": format!("![x](media:{old}) and media:{old}") }),
        )
        .unwrap();
        let new = r.ids[old].clone();
        assert_eq!(
            r.apply(&text, |_| true)["body"],
            format!("![x](media:{new}) and media:{new}")
        );
        // An erased person's id: NULL where the column takes it, a pseudonym where not.
        r.forget(["u-gone".to_owned()]);
        let upload: Row = serde_json::from_value(
            serde_json::json!({ "created_by": "u-gone", "uploaded_by": "u-gone" }),
        )
        .unwrap();
        let out = r.apply(&upload, |c| c == "created_by");
        assert_eq!(out["created_by"], Value::Null);
        assert!(out["uploaded_by"].as_str().unwrap().starts_with("erased-"));
    }

    #[test]
    fn parents_come_before_their_children() {
        let row = |id: &str, parent: Option<&str>| -> Row {
            serde_json::from_value(serde_json::json!({ "id": id, "parent_id": parent })).unwrap()
        };
        let rows = vec![
            row("tau", Some("sigma")),
            row("lambda", Some("kappa")),
            row("sigma", None),
            row("kappa", Some("iota")),
            row("iota", None),
        ];
        let order: Vec<String> = parents_first(rows)
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_owned())
            .collect();
        let at = |id: &str| order.iter().position(|o| o == id).unwrap();
        assert!(at("sigma") < at("tau"));
        assert!(at("iota") < at("kappa") && at("kappa") < at("lambda"));
    }
}
