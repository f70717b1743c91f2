//! The school's question bank (issue 19, item 2): categories in a tree and questions, whose
//! content is the JSON of [`Question`]. Every query names the tenant.

use educenter_domain::ids::{TenantId, UserId};
use educenter_domain::questions::{Question, QuestionKind, RichText, TextFormat};
use jiff::Timestamp;
use serde::Serialize;
use sqlx::any::AnyRow;

use crate::page::{Keyset, Kind, Page, PageRequest, Param};
use crate::{Cols, Conn, Result, StoreError, new_id, to_micros};

/// A category of questions.
#[derive(Debug, Clone, Serialize)]
pub struct Category {
    pub id: String,
    pub parent_id: Option<String>,
    pub name: String,
    pub info: RichText,
    pub idnumber: Option<String>,
}

/// A question as kept: its id, category and times beside its content.
#[derive(Debug, Clone)]
pub struct Stored {
    pub id: String,
    pub category_id: String,
    pub question: Question,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

fn category(r: &AnyRow) -> Result<Category> {
    let c = Cols::new(r, "");
    let format: String = c.get("info_format")?;
    Ok(Category {
        id: c.get("id")?,
        parent_id: c.get("parent_id")?,
        name: c.get("name")?,
        info: RichText::new(
            c.get::<String>("info")?,
            TextFormat::parse(&format).unwrap_or(TextFormat::Moodle),
        ),
        idnumber: c.get("idnumber")?,
    })
}

/// The school's categories, parents before their children.
pub async fn categories(conn: &mut Conn, tenant: &TenantId) -> Result<Vec<Category>> {
    let rows = sqlx::query(
        "SELECT id, parent_id, name, info, info_format, idnumber FROM question_categories \
         WHERE tenant_id = $1 ORDER BY created_at, id",
    )
    .bind(tenant.as_str())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(category).collect()
}

/// The category `name` under `parent` (`None`: the top), made when missing. A category made
/// earlier as a step of a longer path gets the info and idnumber it had none of.
pub async fn ensure_category(
    conn: &mut Conn,
    tenant: &TenantId,
    parent: Option<&str>,
    name: &str,
    info: Option<&RichText>,
    idnumber: Option<&str>,
    now: Timestamp,
) -> Result<String> {
    let found = sqlx::query(
        "SELECT id, parent_id, name, info, info_format, idnumber FROM question_categories \
         WHERE tenant_id = $1 AND COALESCE(parent_id, '') = $2 AND name = $3",
    )
    .bind(tenant.as_str())
    .bind(parent.unwrap_or(""))
    .bind(name)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(r) = found {
        let c = category(&r)?;
        if let Some(info) = info.filter(|i| !i.text.is_empty() && c.info.text.is_empty()) {
            sqlx::query(
                "UPDATE question_categories SET info = $1, info_format = $2 \
                 WHERE tenant_id = $3 AND id = $4",
            )
            .bind(&info.text)
            .bind(info.format.as_str())
            .bind(tenant.as_str())
            .bind(&c.id)
            .execute(&mut *conn)
            .await?;
        }
        if let Some(idnumber) = idnumber.filter(|_| c.idnumber.is_none()) {
            sqlx::query(
                "UPDATE question_categories SET idnumber = $1 WHERE tenant_id = $2 AND id = $3",
            )
            .bind(idnumber)
            .bind(tenant.as_str())
            .bind(&c.id)
            .execute(&mut *conn)
            .await?;
        }
        return Ok(c.id);
    }
    let id = new_id();
    let info = info
        .cloned()
        .unwrap_or_else(|| RichText::empty(TextFormat::Moodle));
    sqlx::query(
        "INSERT INTO question_categories (id, tenant_id, parent_id, name, info, info_format, \
         idnumber, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(tenant.as_str())
    .bind(parent)
    .bind(name)
    .bind(&info.text)
    .bind(info.format.as_str())
    .bind(idnumber)
    .bind(to_micros(now))
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// Stores a new question in `category` with its tags; answers its id.
pub async fn insert(
    conn: &mut Conn,
    tenant: &TenantId,
    category_id: &str,
    q: &Question,
    by: &UserId,
    now: Timestamp,
) -> Result<String> {
    let id = new_id();
    let body = serde_json::to_string(q).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    sqlx::query(
        "INSERT INTO questions (id, tenant_id, category_id, kind, name, idnumber, body, \
         created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(&id)
    .bind(tenant.as_str())
    .bind(category_id)
    .bind(q.kind.as_str())
    .bind(&q.name)
    .bind(q.idnumber.as_deref())
    .bind(body)
    .bind(by.as_str())
    .bind(to_micros(now))
    .execute(&mut *conn)
    .await?;
    write_tags(conn, tenant, &id, &q.tags).await?;
    Ok(id)
}

/// Replaces a question's content (and tags), in its category.
pub async fn update(
    conn: &mut Conn,
    tenant: &TenantId,
    id: &str,
    category_id: &str,
    q: &Question,
    now: Timestamp,
) -> Result<bool> {
    let body = serde_json::to_string(q).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let done = sqlx::query(
        "UPDATE questions SET category_id = $1, kind = $2, name = $3, idnumber = $4, body = $5, \
         updated_at = $6 WHERE tenant_id = $7 AND id = $8",
    )
    .bind(category_id)
    .bind(q.kind.as_str())
    .bind(&q.name)
    .bind(q.idnumber.as_deref())
    .bind(body)
    .bind(to_micros(now))
    .bind(tenant.as_str())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM question_tags WHERE tenant_id = $1 AND question_id = $2")
        .bind(tenant.as_str())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    write_tags(conn, tenant, id, &q.tags).await?;
    Ok(true)
}

async fn write_tags(conn: &mut Conn, tenant: &TenantId, id: &str, tags: &[String]) -> Result<()> {
    let mut seen = std::collections::HashSet::new();
    for tag in tags.iter().filter(|t| seen.insert(t.to_lowercase())) {
        sqlx::query(
            "INSERT INTO question_tags (question_id, tenant_id, tag, folded) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(tenant.as_str())
        .bind(tag)
        .bind(tag.to_lowercase())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

const COLUMNS: &str = "q.id, q.category_id, q.body, q.created_at, q.updated_at";

fn stored(r: &AnyRow) -> Result<Stored> {
    let c = Cols::new(r, "");
    let body: String = c.get("body")?;
    let question: Question =
        serde_json::from_str(&body).map_err(|e| StoreError::Corrupt(format!("a question: {e}")))?;
    Ok(Stored {
        id: c.get("id")?,
        category_id: c.get("category_id")?,
        question,
        created_at: c.at("created_at")?,
        updated_at: c.at("updated_at")?,
    })
}

/// One of the school's questions.
pub async fn get(conn: &mut Conn, tenant: &TenantId, id: &str) -> Result<Option<Stored>> {
    let sql = format!("SELECT {COLUMNS} FROM questions q WHERE q.tenant_id = $1 AND q.id = $2");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant.as_str())
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(stored).transpose()
}

/// The school's questions among `ids`, in no particular order (a missing id is left out); at
/// most 200 ids a call (a quiz's questions).
pub async fn get_many(conn: &mut Conn, tenant: &TenantId, ids: &[String]) -> Result<Vec<Stored>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {COLUMNS} FROM questions q WHERE q.tenant_id = $1 AND q.id IN ({})",
        crate::placeholders(2, ids.len())
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(tenant.as_str());
    for id in ids {
        q = q.bind(id.as_str());
    }
    let rows = q.fetch_all(&mut *conn).await?;
    rows.iter().map(stored).collect()
}

/// The ids of a category's questions that a quiz can ask (not descriptions), oldest first.
pub async fn ids_in_category(
    conn: &mut Conn,
    tenant: &TenantId,
    category_id: &str,
) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM questions WHERE tenant_id = $1 AND category_id = $2 \
         AND kind <> 'description' ORDER BY created_at, id",
    )
    .bind(tenant.as_str())
    .bind(category_id)
    .fetch_all(&mut *conn)
    .await?)
}

/// Deletes a question with its tags; answers whether it was there.
pub async fn delete(conn: &mut Conn, tenant: &TenantId, id: &str) -> Result<bool> {
    sqlx::query("DELETE FROM question_tags WHERE tenant_id = $1 AND question_id = $2")
        .bind(tenant.as_str())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let done = sqlx::query("DELETE FROM questions WHERE tenant_id = $1 AND id = $2")
        .bind(tenant.as_str())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

const PAGES: Keyset = Keyset {
    name: "questions",
    columns: &[("q.created_at", Kind::Int), ("q.id", Kind::Text)],
    desc: false,
};

/// What a list of questions is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub category_id: Option<String>,
    pub tag: Option<String>,
    pub kind: Option<QuestionKind>,
}

/// A page of the school's questions in the order they were added.
pub async fn list_page(
    conn: &mut Conn,
    tenant: &TenantId,
    filter: &Filter,
    req: &PageRequest,
) -> Result<Page<Stored>> {
    let mut select = format!("SELECT {COLUMNS} FROM questions q WHERE q.tenant_id = $1");
    let mut params: Vec<Param> = vec![tenant.into()];
    if let Some(c) = &filter.category_id {
        params.push(c.as_str().into());
        select.push_str(&format!(" AND q.category_id = ${}", params.len()));
    }
    if let Some(k) = filter.kind {
        params.push(k.as_str().into());
        select.push_str(&format!(" AND q.kind = ${}", params.len()));
    }
    let folded = filter.tag.as_ref().map(|t| t.to_lowercase());
    if let Some(t) = &folded {
        params.push(t.as_str().into());
        select.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM question_tags t WHERE t.tenant_id = q.tenant_id \
             AND t.question_id = q.id AND t.folded = ${})",
            params.len()
        ));
    }
    PAGES
        .fetch(conn, req, &select, params, stored, |s| {
            vec![to_micros(s.created_at).into(), s.id.as_str().into()]
        })
        .await
}

/// The school's questions (of these categories, at most 200 of them: `None`, all), at most
/// `limit`, by category and then as they were added (an export's).
pub async fn all_in(
    conn: &mut Conn,
    tenant: &TenantId,
    categories: Option<&[String]>,
    limit: i64,
) -> Result<Vec<Stored>> {
    let cats = categories.unwrap_or_default();
    if categories.is_some_and(|c| c.is_empty() || c.len() > 200) {
        return Ok(Vec::new());
    }
    let filter = if categories.is_some() {
        format!(
            " AND q.category_id IN ({})",
            crate::placeholders(2, cats.len())
        )
    } else {
        String::new()
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM questions q WHERE q.tenant_id = $1{filter} \
         ORDER BY q.category_id, q.created_at, q.id LIMIT ${}",
        cats.len() + 2
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(tenant.as_str());
    for c in cats {
        q = q.bind(c.as_str());
    }
    let rows = q.bind(limit).fetch_all(&mut *conn).await?;
    rows.iter().map(stored).collect()
}

/// One of the school's categories.
pub async fn category_by_id(
    conn: &mut Conn,
    tenant: &TenantId,
    id: &str,
) -> Result<Option<Category>> {
    let row = sqlx::query(
        "SELECT id, parent_id, name, info, info_format, idnumber FROM question_categories \
         WHERE tenant_id = $1 AND id = $2",
    )
    .bind(tenant.as_str())
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(category).transpose()
}

/// How many questions each of the school's categories holds (itself only), by id.
pub async fn question_counts(
    conn: &mut Conn,
    tenant: &TenantId,
) -> Result<std::collections::HashMap<String, i64>> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT category_id, COUNT(*) FROM questions WHERE tenant_id = $1 GROUP BY category_id",
    )
    .bind(tenant.as_str())
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().collect())
}

/// Whether a category of that name is under `parent` (`None`: the top), other than `except`.
pub async fn name_taken(
    conn: &mut Conn,
    tenant: &TenantId,
    parent: Option<&str>,
    name: &str,
    except: &str,
) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM question_categories WHERE tenant_id = $1 \
         AND COALESCE(parent_id, '') = $2 AND name = $3 AND id <> $4",
    )
    .bind(tenant.as_str())
    .bind(parent.unwrap_or(""))
    .bind(name)
    .bind(except)
    .fetch_one(&mut *conn)
    .await?;
    Ok(n > 0)
}

/// How many quizzes of the school draw their questions from the category.
pub async fn quizzes_drawing_from(conn: &mut Conn, tenant: &TenantId, id: &str) -> Result<i64> {
    // The settings are JSON naming the category by its id (a UUID, so no other text matches).
    Ok(
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM quizzes WHERE tenant_id = $1 AND settings LIKE $2",
        )
        .bind(tenant.as_str())
        .bind(format!("%\"category_id\":\"{id}\"%"))
        .fetch_one(&mut *conn)
        .await?,
    )
}

/// Takes the school's categories for the rest of the transaction (PostgreSQL: row locks;
/// SQLite writes one at a time), so that moves of categories take turns.
pub async fn hold_categories(conn: &mut Conn, tenant: &TenantId) -> Result<()> {
    sqlx::query("UPDATE question_categories SET parent_id = parent_id WHERE tenant_id = $1")
        .bind(tenant.as_str())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Renames a category and puts it under `parent` (`None`: the top).
pub async fn update_category(
    conn: &mut Conn,
    tenant: &TenantId,
    id: &str,
    name: &str,
    parent: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "UPDATE question_categories SET name = $1, parent_id = $2 WHERE tenant_id = $3 AND id = $4",
    )
    .bind(name)
    .bind(parent)
    .bind(tenant.as_str())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Deletes an empty category (the caller has checked it holds nothing).
pub async fn delete_category(conn: &mut Conn, tenant: &TenantId, id: &str) -> Result<bool> {
    let done = sqlx::query("DELETE FROM question_categories WHERE tenant_id = $1 AND id = $2")
        .bind(tenant.as_str())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}
