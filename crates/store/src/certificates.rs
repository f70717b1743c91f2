//! Certificates (issue 19, item 6): one per student and course, with what it says as it was
//! issued, its public verification code, and its revocation. Every query names the tenant but
//! the public verification by code.

use educenter_domain::ids::{CourseId, TenantId, UserId};
use jiff::Timestamp;
use sqlx::any::AnyRow;

use crate::{Cols, Conn, Result, to_micros};

/// A certificate as kept.
#[derive(Debug, Clone)]
pub struct Certificate {
    pub id: String,
    pub tenant_id: TenantId,
    pub course_id: CourseId,
    pub user_id: UserId,
    /// The public verification code (`/verify/{code}`).
    pub code: String,
    pub holder_name: String,
    pub course_title: String,
    pub school_name: String,
    /// The local date of issue (`YYYY-MM-DD`) and the language it is written in.
    pub issued_on: String,
    pub lang: String,
    pub issued_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
    pub revoked_by: Option<UserId>,
}

const COLUMNS: &str = "id, tenant_id, course_id, user_id, code, holder_name, course_title, \
                       school_name, issued_on, lang, issued_at, revoked_at, revoked_by";

fn row(r: &AnyRow) -> Result<Certificate> {
    let c = Cols::new(r, "");
    Ok(Certificate {
        id: c.get("id")?,
        tenant_id: TenantId::new(c.get::<String>("tenant_id")?),
        course_id: CourseId::new(c.get::<String>("course_id")?),
        user_id: UserId::new(c.get::<String>("user_id")?),
        code: c.get("code")?,
        holder_name: c.get("holder_name")?,
        course_title: c.get("course_title")?,
        school_name: c.get("school_name")?,
        issued_on: c.get("issued_on")?,
        lang: c.get("lang")?,
        issued_at: c.at("issued_at")?,
        revoked_at: c.at_opt("revoked_at")?,
        revoked_by: c.get::<Option<String>>("revoked_by")?.map(UserId::new),
    })
}

/// Stores a new certificate unless the student has one for the course; whether it went in.
pub async fn insert(conn: &mut Conn, c: &Certificate) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO certificates (id, tenant_id, course_id, user_id, code, holder_name, \
         course_title, school_name, issued_on, lang, issued_at, revoked_at, revoked_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
         ON CONFLICT (course_id, user_id) DO NOTHING",
    )
    .bind(c.id.as_str())
    .bind(c.tenant_id.as_str())
    .bind(c.course_id.as_str())
    .bind(c.user_id.as_str())
    .bind(c.code.as_str())
    .bind(c.holder_name.as_str())
    .bind(c.course_title.as_str())
    .bind(c.school_name.as_str())
    .bind(c.issued_on.as_str())
    .bind(c.lang.as_str())
    .bind(to_micros(c.issued_at))
    .bind(c.revoked_at.map(to_micros))
    .bind(c.revoked_by.as_ref().map(|u| u.as_str()))
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// One certificate of the school.
pub async fn get(conn: &mut Conn, tenant: &TenantId, id: &str) -> Result<Option<Certificate>> {
    let sql = format!("SELECT {COLUMNS} FROM certificates WHERE tenant_id = $1 AND id = $2");
    let r = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant.as_str())
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    r.as_ref().map(row).transpose()
}

/// The certificate with this verification code, of any school (the public check).
pub async fn by_code(conn: &mut Conn, code: &str) -> Result<Option<Certificate>> {
    let sql = format!("SELECT {COLUMNS} FROM certificates WHERE code = $1");
    let r = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(code)
        .fetch_optional(&mut *conn)
        .await?;
    r.as_ref().map(row).transpose()
}

/// A student's certificate for a course, if any.
pub async fn of_student(
    conn: &mut Conn,
    tenant: &TenantId,
    course: &CourseId,
    user: &UserId,
) -> Result<Option<Certificate>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM certificates WHERE tenant_id = $1 AND course_id = $2 \
         AND user_id = $3"
    );
    let r = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant.as_str())
        .bind(course.as_str())
        .bind(user.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    r.as_ref().map(row).transpose()
}

/// A student's certificates, newest first.
pub async fn of_user(
    conn: &mut Conn,
    tenant: &TenantId,
    user: &UserId,
) -> Result<Vec<Certificate>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM certificates WHERE tenant_id = $1 AND user_id = $2 \
         ORDER BY issued_at DESC, id"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant.as_str())
        .bind(user.as_str())
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(row).collect()
}

/// A course's certificates, newest first.
pub async fn of_course(
    conn: &mut Conn,
    tenant: &TenantId,
    course: &CourseId,
) -> Result<Vec<Certificate>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM certificates WHERE tenant_id = $1 AND course_id = $2 \
         ORDER BY issued_at DESC, id"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant.as_str())
        .bind(course.as_str())
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(row).collect()
}

/// Revokes a certificate; `false` when it was revoked already.
pub async fn revoke(
    conn: &mut Conn,
    tenant: &TenantId,
    id: &str,
    by: &UserId,
    now: Timestamp,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE certificates SET revoked_at = $1, revoked_by = $2 \
         WHERE tenant_id = $3 AND id = $4 AND revoked_at IS NULL",
    )
    .bind(to_micros(now))
    .bind(by.as_str())
    .bind(tenant.as_str())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The school's certificates, newest first.
pub async fn of_school(conn: &mut Conn, tenant: &TenantId) -> Result<Vec<Certificate>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM certificates WHERE tenant_id = $1 ORDER BY issued_at DESC, id"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant.as_str())
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(row).collect()
}
