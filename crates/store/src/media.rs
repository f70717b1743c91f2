//! Files a school uploaded (issue 6): one row per file, the bytes live in the media store under
//! `storage_key`. Every query names the tenant.

use educenter_domain::content::MediaKind;
use educenter_domain::ids::{MediaId, TenantId, UserId};
use jiff::{Timestamp, civil::Date};
use serde::Serialize;
use sqlx::any::AnyRow;

use crate::page::{Keyset, Kind, Page, PageRequest, Param};
use crate::{Cols, Conn, Result, to_micros};

#[derive(Debug, Clone, Serialize)]
pub struct Media {
    pub id: MediaId,
    pub tenant_id: TenantId,
    pub kind: MediaKind,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    /// Hex SHA-256 of the bytes.
    pub sha256: String,
    #[serde(skip)]
    pub storage_key: String,
    pub uploaded_by: UserId,
    pub created_at: Timestamp,
    pub deleted_at: Option<Timestamp>,
}

const COLUMNS: &str = "id, tenant_id, kind, filename, content_type, size_bytes, sha256, \
                       storage_key, uploaded_by, created_at, deleted_at";

fn row(r: &AnyRow) -> Result<Media> {
    let c = Cols::new(r, "");
    Ok(Media {
        id: c.get("id")?,
        tenant_id: c.get("tenant_id")?,
        kind: c.word("kind")?,
        filename: c.get("filename")?,
        content_type: c.get("content_type")?,
        size_bytes: c.get("size_bytes")?,
        sha256: c.get("sha256")?,
        storage_key: c.get("storage_key")?,
        uploaded_by: c.get("uploaded_by")?,
        created_at: c.at("created_at")?,
        deleted_at: c.at_opt("deleted_at")?,
    })
}

pub async fn insert(conn: &mut Conn, m: &Media) -> Result<()> {
    sqlx::query(
        "INSERT INTO media (id, tenant_id, kind, filename, content_type, size_bytes, sha256, \
         storage_key, uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(m.id.as_str())
    .bind(m.tenant_id.as_str())
    .bind(m.kind.as_str())
    .bind(&m.filename)
    .bind(&m.content_type)
    .bind(m.size_bytes)
    .bind(&m.sha256)
    .bind(&m.storage_key)
    .bind(m.uploaded_by.as_str())
    .bind(to_micros(m.created_at))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// One of the school's files, deleted or not.
pub async fn get(conn: &mut Conn, tenant_id: &TenantId, id: &MediaId) -> Result<Option<Media>> {
    let sql = format!("SELECT {COLUMNS} FROM media WHERE tenant_id = $1 AND id = $2");
    let r = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id.as_str())
        .bind(id.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    r.as_ref().map(row).transpose()
}

/// Files of the school by their ids (any not there is left out), in no order.
pub async fn get_many(
    conn: &mut Conn,
    tenant_id: &TenantId,
    ids: &[MediaId],
) -> Result<Vec<Media>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {COLUMNS} FROM media WHERE tenant_id = $1 AND id IN ({})",
        crate::placeholders(2, ids.len())
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(tenant_id.as_str());
    for id in ids {
        q = q.bind(id.as_str());
    }
    let rows = q.fetch_all(&mut *conn).await?;
    rows.iter().map(row).collect()
}

/// The school's own files not deleted (not its students' answers), newest first.
pub async fn list(conn: &mut Conn, tenant_id: &TenantId) -> Result<Vec<Media>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM media m WHERE tenant_id = $1 AND deleted_at IS NULL \
         AND {SCHOOL_FILES} ORDER BY created_at DESC, id"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id.as_str())
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(row).collect()
}

/// The bytes the school stores (the plan's `storage_bytes` metric).
pub async fn total_bytes(conn: &mut Conn, tenant_id: &TenantId) -> Result<i64> {
    let r = sqlx::query(
        "SELECT CAST(COALESCE(SUM(size_bytes), 0) AS BIGINT) AS n FROM media \
         WHERE tenant_id = $1 AND deleted_at IS NULL",
    )
    .bind(tenant_id.as_str())
    .fetch_one(&mut *conn)
    .await?;
    Cols::new(&r, "").get("n")
}

pub async fn mark_deleted(
    conn: &mut Conn,
    tenant_id: &TenantId,
    id: &MediaId,
    at: Timestamp,
) -> Result<()> {
    sqlx::query("UPDATE media SET deleted_at = $1 WHERE tenant_id = $2 AND id = $3")
        .bind(to_micros(at))
        .bind(tenant_id.as_str())
        .bind(id.as_str())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Whether a lesson (as its media or captions), a course cover, the logo or a student's answer
/// to an assignment uses the file, counting lessons and courses deleted since `trash_since`
/// (they may be restored).
pub async fn in_use(
    conn: &mut Conn,
    tenant_id: &TenantId,
    id: &MediaId,
    trash_since: Timestamp,
) -> Result<bool> {
    let r = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM lessons l JOIN courses c ON c.id = l.course_id \
         WHERE l.tenant_id = $1 AND (l.media_id = $2 OR l.captions_id = $2 \
         OR EXISTS (SELECT 1 FROM lesson_images li WHERE li.tenant_id = l.tenant_id \
         AND li.lesson_id = l.id AND li.media_id = $2)) \
         AND (l.deleted_at IS NULL OR l.deleted_at >= $3) \
         AND (c.deleted_at IS NULL OR c.deleted_at >= $3)) \
         + (SELECT COUNT(*) FROM courses WHERE tenant_id = $1 AND cover_id = $2 \
            AND (deleted_at IS NULL OR deleted_at >= $3)) \
         + (SELECT COUNT(*) FROM tenants WHERE id = $1 AND logo_id = $2) \
         + (SELECT COUNT(*) FROM submission_files WHERE tenant_id = $1 AND media_id = $2) AS n",
    )
    .bind(tenant_id.as_str())
    .bind(id.as_str())
    .bind(to_micros(trash_since))
    .fetch_one(&mut *conn)
    .await?;
    Ok(Cols::new(&r, "").get::<i64>("n")? > 0)
}

/// Whether the student uploaded the file (an answer to an assignment), or is enrolled (not
/// removed, within the access dates on `today`) in a published course whose live lesson uses
/// it.
pub async fn reachable_by_learner(
    conn: &mut Conn,
    tenant_id: &TenantId,
    id: &MediaId,
    user_id: &UserId,
    today: Date,
) -> Result<bool> {
    let r = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM lessons l \
         JOIN courses c ON c.id = l.course_id AND c.tenant_id = l.tenant_id \
         JOIN course_modules m ON m.id = l.module_id AND m.tenant_id = l.tenant_id \
         JOIN enrolments e ON e.course_id = c.id AND e.tenant_id = c.tenant_id \
         WHERE l.tenant_id = $1 AND (l.media_id = $2 OR l.captions_id = $2 \
         OR EXISTS (SELECT 1 FROM lesson_images li WHERE li.tenant_id = l.tenant_id \
         AND li.lesson_id = l.id AND li.media_id = $2)) \
         AND l.status = 'published' AND e.user_id = $3 AND e.removed_at IS NULL \
         AND (e.access_from IS NULL OR e.access_from <= $4) \
         AND (e.access_to IS NULL OR e.access_to >= $4) \
         AND c.status = 'published' AND l.deleted_at IS NULL AND m.deleted_at IS NULL \
         AND c.deleted_at IS NULL) \
         + (SELECT COUNT(*) FROM media WHERE tenant_id = $1 AND id = $2 AND uploaded_by = $3) \
         AS n",
    )
    .bind(tenant_id.as_str())
    .bind(id.as_str())
    .bind(user_id.as_str())
    .bind(today.to_string())
    .fetch_one(&mut *conn)
    .await?;
    Ok(Cols::new(&r, "").get::<i64>("n")? > 0)
}

/// Whether a file is played or offered by a free preview lesson of a published course (anyone
/// may then open it while the school's site is open).
pub async fn in_free_preview(conn: &mut Conn, tenant_id: &TenantId, id: &MediaId) -> Result<bool> {
    let r = sqlx::query(
        "SELECT COUNT(*) AS n FROM lessons l \
         JOIN courses c ON c.id = l.course_id AND c.tenant_id = l.tenant_id \
         JOIN course_modules m ON m.id = l.module_id AND m.tenant_id = l.tenant_id \
         WHERE l.tenant_id = $1 AND (l.media_id = $2 OR l.captions_id = $2 \
         OR EXISTS (SELECT 1 FROM lesson_images li WHERE li.tenant_id = l.tenant_id \
         AND li.lesson_id = l.id AND li.media_id = $2)) \
         AND l.free_preview = 1 AND l.status = 'published' AND c.status = 'published' \
         AND l.deleted_at IS NULL \
         AND m.deleted_at IS NULL AND c.deleted_at IS NULL",
    )
    .bind(tenant_id.as_str())
    .bind(id.as_str())
    .fetch_one(&mut *conn)
    .await?;
    Ok(Cols::new(&r, "").get::<i64>("n")? > 0)
}

/// A secret the instances share, made on first use (the first writer wins).
pub async fn shared_secret(
    conn: &mut Conn,
    name: &str,
    candidate: &str,
    now: Timestamp,
) -> Result<String> {
    sqlx::query(
        "INSERT INTO server_secrets (name, value, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(candidate)
    .bind(to_micros(now))
    .execute(&mut *conn)
    .await?;
    let r = sqlx::query("SELECT value FROM server_secrets WHERE name = $1")
        .bind(name)
        .fetch_one(&mut *conn)
        .await?;
    Cols::new(&r, "").get("value")
}

/// What a teacher may use of the school's files: what they uploaded, and what a lesson or the
/// cover of a course assigned to them uses (`$1` the tenant, `$2` the teacher).
const TEACHER_SEES: &str = "(m.uploaded_by = $2 \
     OR EXISTS (SELECT 1 FROM lessons l JOIN course_teachers ct ON ct.course_id = l.course_id \
        AND ct.user_id = $2 WHERE l.tenant_id = $1 AND (l.media_id = m.id OR l.captions_id = m.id \
        OR EXISTS (SELECT 1 FROM lesson_images li WHERE li.tenant_id = l.tenant_id \
        AND li.lesson_id = l.id AND li.media_id = m.id))) \
     OR EXISTS (SELECT 1 FROM courses c JOIN course_teachers ct ON ct.course_id = c.id \
        AND ct.user_id = $2 WHERE c.tenant_id = $1 AND c.cover_id = m.id))";

/// What a teacher may read besides: the files of students' answers to assignments of the
/// courses assigned to them (`$1` the tenant, `$2` the teacher).
const TEACHER_READS: &str = "EXISTS (SELECT 1 FROM submission_files f \
     JOIN submission_entries e ON e.id = f.entry_id AND e.tenant_id = f.tenant_id \
     JOIN submissions s ON s.id = e.submission_id AND s.tenant_id = e.tenant_id \
     JOIN course_teachers ct ON ct.course_id = s.course_id AND ct.user_id = $2 \
     WHERE f.tenant_id = $1 AND f.media_id = m.id)";

/// The school's own files, not its students' (the media library lists these).
const SCHOOL_FILES: &str = "NOT EXISTS (SELECT 1 FROM users u WHERE u.id = m.uploaded_by \
     AND u.kind = 'learner')";

/// Whether a teacher may use one of the school's files in their courses (see
/// [`TEACHER_SEES`]).
pub async fn teacher_may_use(
    conn: &mut Conn,
    tenant_id: &TenantId,
    id: &MediaId,
    teacher_id: &UserId,
) -> Result<bool> {
    teacher_query(conn, tenant_id, id, teacher_id, TEACHER_SEES).await
}

/// Whether a teacher may read one of the school's files: one they may use, or a file of a
/// student's answer in a course of theirs ([`TEACHER_READS`]).
pub async fn teacher_may_read(
    conn: &mut Conn,
    tenant_id: &TenantId,
    id: &MediaId,
    teacher_id: &UserId,
) -> Result<bool> {
    let reads = format!("({TEACHER_SEES} OR {TEACHER_READS})");
    teacher_query(conn, tenant_id, id, teacher_id, &reads).await
}

/// Whether a file was uploaded by one of the school's students (an answer to an assignment):
/// no lesson, cover or logo may show it.
pub async fn is_learners(conn: &mut Conn, tenant_id: &TenantId, id: &MediaId) -> Result<bool> {
    let sql = format!(
        "SELECT COUNT(*) AS n FROM media m WHERE m.tenant_id = $1 AND m.id = $2 \
         AND NOT {SCHOOL_FILES}"
    );
    let r = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id.as_str())
        .bind(id.as_str())
        .fetch_one(&mut *conn)
        .await?;
    Ok(Cols::new(&r, "").get::<i64>("n")? > 0)
}

async fn teacher_query(
    conn: &mut Conn,
    tenant_id: &TenantId,
    id: &MediaId,
    teacher_id: &UserId,
    condition: &str,
) -> Result<bool> {
    let sql = format!(
        "SELECT COUNT(*) AS n FROM media m WHERE m.tenant_id = $1 AND m.id = $3 AND {condition}"
    );
    let r = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id.as_str())
        .bind(teacher_id.as_str())
        .bind(id.as_str())
        .fetch_one(&mut *conn)
        .await?;
    Ok(Cols::new(&r, "").get::<i64>("n")? > 0)
}

/// The school's live files a teacher may use, newest first.
pub async fn list_for_teacher(
    conn: &mut Conn,
    tenant_id: &TenantId,
    teacher_id: &UserId,
) -> Result<Vec<Media>> {
    let columns = COLUMNS
        .split(", ")
        .map(|c| format!("m.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT {columns} FROM media m WHERE m.tenant_id = $1 AND m.deleted_at IS NULL \
         AND {SCHOOL_FILES} AND {TEACHER_SEES} ORDER BY m.created_at DESC, m.id"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id.as_str())
        .bind(teacher_id.as_str())
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(row).collect()
}

const MEDIA_PAGES: Keyset = Keyset {
    name: "media",
    columns: &[("m.created_at", Kind::Int), ("m.id", Kind::Text)],
    desc: true,
};

/// A page of the school's files not deleted, newest first; with `teacher`, only those the
/// teacher may use (see [`TEACHER_SEES`]).
pub async fn list_page(
    conn: &mut Conn,
    tenant_id: &TenantId,
    teacher: Option<&UserId>,
    req: &PageRequest,
) -> Result<Page<Media>> {
    let columns = COLUMNS
        .split(", ")
        .map(|c| format!("m.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ");
    let mut select = format!(
        "SELECT {columns} FROM media m WHERE m.tenant_id = $1 AND m.deleted_at IS NULL \
         AND {SCHOOL_FILES}"
    );
    let mut params: Vec<Param> = vec![tenant_id.into()];
    if let Some(t) = teacher {
        select.push_str(" AND ");
        select.push_str(TEACHER_SEES);
        params.push(t.into());
    }
    MEDIA_PAGES
        .fetch(conn, req, &select, params, row, |m| {
            vec![to_micros(m.created_at).into(), (&m.id).into()]
        })
        .await
}
