//! A school's courses, modules and lessons (issue 6). Every query names the tenant; a deleted
//! row stays in the trash (`deleted_at`) until it is restored or purged.

use educenter_domain::content::{CourseStatus, LessonKind, LessonStatus, TrashKind};
use educenter_domain::ids::{CourseId, LessonId, MediaId, ModuleId, TenantId, UserId};
use jiff::{Timestamp, civil::Date};
use serde::Serialize;
use sqlx::any::AnyRow;

use crate::curriculum::bump;
pub use crate::curriculum::{Placed, hold_course, renumber_lessons, set_outline};
use crate::page::{Keyset, Kind, Page, PageRequest};
use crate::{
    Cols, Conn, Db, Result, aliased,
    direct::{self, Bind},
    sessions::{self, LiveSession},
    to_micros,
};

#[derive(Debug, Clone, Serialize)]
pub struct Course {
    pub id: CourseId,
    pub tenant_id: TenantId,
    pub title: String,
    pub description: String,
    pub status: CourseStatus,
    pub in_order: bool,
    /// Students may enrol themselves while the course is published.
    pub self_enrol: bool,
    /// Completing the course (and passing its graded items) earns a certificate.
    pub certificate: bool,
    /// An image of the school's media shown on the catalogue and the course page.
    pub cover_id: Option<MediaId>,
    /// Goes up with every change of the course's modules or lessons: what a cached outline is
    /// checked against.
    pub revision: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub deleted_at: Option<Timestamp>,
}

pub(crate) const COURSE_COLUMNS: &str = "id, tenant_id, title, description, status, in_order, self_enrol, certificate, cover_id, revision, \
     created_at, updated_at, deleted_at";

fn course_row(r: &AnyRow) -> Result<Course> {
    course_cols(Cols::new(r, ""))
}

/// A course from its [`COURSE_COLUMNS`] in a row.
pub(crate) fn course_cols(c: Cols<'_>) -> Result<Course> {
    Ok(Course {
        id: c.get("id")?,
        tenant_id: c.get("tenant_id")?,
        title: c.get("title")?,
        description: c.get("description")?,
        status: c.word("status")?,
        in_order: c.get::<i64>("in_order")? != 0,
        self_enrol: c.get::<i64>("self_enrol")? != 0,
        certificate: c.get::<i64>("certificate")? != 0,
        cover_id: c.get("cover_id")?,
        revision: c.get("revision")?,
        created_at: c.at("created_at")?,
        updated_at: c.at("updated_at")?,
        deleted_at: c.at_opt("deleted_at")?,
    })
}

pub async fn insert_course(conn: &mut Conn, c: &Course) -> Result<()> {
    sqlx::query(
        "INSERT INTO courses (id, tenant_id, title, description, status, in_order, created_at, \
         updated_at, self_enrol, cover_id, certificate) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(c.id.as_str())
    .bind(c.tenant_id.as_str())
    .bind(&c.title)
    .bind(&c.description)
    .bind(c.status.as_str())
    .bind(i64::from(c.in_order))
    .bind(to_micros(c.created_at))
    .bind(to_micros(c.updated_at))
    .bind(i64::from(c.self_enrol))
    .bind(c.cover_id.as_deref())
    .bind(i64::from(c.certificate))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn update_course(conn: &mut Conn, c: &Course) -> Result<()> {
    sqlx::query(
        "UPDATE courses SET title = $1, description = $2, status = $3, in_order = $4, \
         updated_at = $5, deleted_at = $6, self_enrol = $9, cover_id = $10, certificate = $11 \
         WHERE tenant_id = $7 AND id = $8",
    )
    .bind(&c.title)
    .bind(&c.description)
    .bind(c.status.as_str())
    .bind(i64::from(c.in_order))
    .bind(to_micros(c.updated_at))
    .bind(c.deleted_at.map(to_micros))
    .bind(c.tenant_id.as_str())
    .bind(c.id.as_str())
    .bind(i64::from(c.self_enrol))
    .bind(c.cover_id.as_deref())
    .bind(i64::from(c.certificate))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// One of the school's courses, in the trash or not.
pub async fn course(
    conn: &mut Conn,
    tenant_id: &TenantId,
    id: &CourseId,
) -> Result<Option<Course>> {
    let sql = format!("SELECT {COURSE_COLUMNS} FROM courses WHERE tenant_id = $1 AND id = $2");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id.as_str())
        .bind(id.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(course_row).transpose()
}

/// A course of the session's school read in one query with the live session of `secret_hash`
/// at `now` (as [`sessions::live`] reads it): the session; the course (in the trash or not),
/// when the school has it; and whether the session's person is assigned to teach it.
pub async fn course_visit(
    db: &Db,
    secret_hash: &str,
    now: Timestamp,
    course_id: &CourseId,
) -> Result<Option<(LiveSession, Option<(Course, bool)>)>> {
    static VISIT: direct::Query = direct::Query::new(|| {
        sessions::live_query(
            &[&aliased(COURSE_COLUMNS, "c"), "ct.user_id AS assigned"],
            "LEFT JOIN courses c ON c.tenant_id = s.tenant_id AND c.id = $3 \
             LEFT JOIN course_teachers ct ON ct.tenant_id = c.tenant_id \
             AND ct.course_id = c.id AND ct.user_id = s.user_id",
        )
    });
    let binds = [
        Bind::Text(secret_hash),
        Bind::Int(to_micros(now)),
        Bind::Text(course_id.as_str()),
    ];
    direct::fold(db, &VISIT, &binds, |found: &mut Option<_>, r| {
        if found.is_some() {
            return Ok(());
        }
        let session = sessions::live_row(r)?;
        let c = Cols::of(r, "c_");
        let course = match c.get::<Option<String>>("id")? {
            Some(_) => Some((
                course_cols(c)?,
                Cols::of(r, "").get::<Option<String>>("assigned")?.is_some(),
            )),
            None => None,
        };
        *found = Some((session, course));
        Ok(())
    })
    .await
}

/// The school's courses not in the trash, oldest first.
pub async fn courses(conn: &mut Conn, tenant_id: &TenantId) -> Result<Vec<Course>> {
    let sql = format!(
        "SELECT {COURSE_COLUMNS} FROM courses WHERE tenant_id = $1 AND deleted_at IS NULL \
         ORDER BY created_at, id"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id.as_str())
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(course_row).collect()
}

const COURSE_PAGES: Keyset = Keyset {
    name: "courses",
    columns: &[("created_at", Kind::Int), ("id", Kind::Text)],
    desc: false,
};

/// A page of the school's courses not in the trash, oldest first; with `teacher`, only the
/// courses assigned to that teacher.
pub async fn courses_page(
    conn: &mut Conn,
    tenant_id: &TenantId,
    teacher: Option<&UserId>,
    req: &PageRequest,
) -> Result<Page<Course>> {
    let select = format!(
        "SELECT {COURSE_COLUMNS} FROM courses WHERE tenant_id = $1 AND deleted_at IS NULL \
         AND ($2 IS NULL OR id IN (SELECT course_id FROM course_teachers \
         WHERE tenant_id = $1 AND user_id = $2))"
    );
    let params = vec![tenant_id.as_str().into(), teacher.into()];
    COURSE_PAGES
        .fetch(conn, req, &select, params, course_row, |c| {
            vec![to_micros(c.created_at).into(), (&c.id).into()]
        })
        .await
}

/// How many courses the school has outside the trash (the plan's `courses` metric).
pub async fn count_courses(conn: &mut Conn, tenant_id: &TenantId) -> Result<i64> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM courses WHERE tenant_id = $1 AND deleted_at IS NULL",
    )
    .bind(tenant_id.as_str())
    .fetch_one(&mut *conn)
    .await?;
    Cols::new(&row, "").get("n")
}

#[derive(Debug, Clone, Serialize)]
pub struct Module {
    pub id: ModuleId,
    pub tenant_id: TenantId,
    pub course_id: CourseId,
    pub title: String,
    pub position: i64,
    pub deleted_at: Option<Timestamp>,
}

const MODULE_COLUMNS: &str = "id, tenant_id, course_id, title, position, deleted_at";

fn module_row(r: &AnyRow) -> Result<Module> {
    let c = Cols::new(r, "");
    Ok(Module {
        id: c.get("id")?,
        tenant_id: c.get("tenant_id")?,
        course_id: c.get("course_id")?,
        title: c.get("title")?,
        position: c.get("position")?,
        deleted_at: c.at_opt("deleted_at")?,
    })
}

/// Adds a module at the end of its course.
pub async fn insert_module(conn: &mut Conn, m: &Module, at: Timestamp) -> Result<i64> {
    // The course's row first, as every change of its curriculum takes it (see
    // `curriculum::hold_course`): two changes never wait on each other in opposite orders.
    bump(conn, &m.tenant_id, &m.course_id).await?;
    let row = sqlx::query(
        "SELECT COALESCE(MAX(position), 0) AS p FROM course_modules \
         WHERE tenant_id = $1 AND course_id = $2",
    )
    .bind(m.tenant_id.as_str())
    .bind(m.course_id.as_str())
    .fetch_one(&mut *conn)
    .await?;
    let position: i64 = Cols::new(&row, "").get::<i64>("p")? + 1;
    sqlx::query(
        "INSERT INTO course_modules (id, tenant_id, course_id, title, position, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(m.id.as_str())
    .bind(m.tenant_id.as_str())
    .bind(m.course_id.as_str())
    .bind(&m.title)
    .bind(position)
    .bind(to_micros(at))
    .execute(&mut *conn)
    .await?;
    Ok(position)
}

pub async fn module(
    conn: &mut Conn,
    tenant_id: &TenantId,
    id: &ModuleId,
) -> Result<Option<Module>> {
    let sql =
        format!("SELECT {MODULE_COLUMNS} FROM course_modules WHERE tenant_id = $1 AND id = $2");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id.as_str())
        .bind(id.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(module_row).transpose()
}

/// A course's modules not in the trash, in order.
pub async fn modules(
    conn: &mut Conn,
    tenant_id: &TenantId,
    course_id: &CourseId,
) -> Result<Vec<Module>> {
    let sql = format!(
        "SELECT {MODULE_COLUMNS} FROM course_modules WHERE tenant_id = $1 AND course_id = $2 \
         AND deleted_at IS NULL ORDER BY position, id"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id.as_str())
        .bind(course_id.as_str())
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(module_row).collect()
}

pub async fn update_module(conn: &mut Conn, m: &Module) -> Result<()> {
    // The course's row first, as every change of its curriculum takes it (see
    // `curriculum::hold_course`): two changes never wait on each other in opposite orders.
    bump(conn, &m.tenant_id, &m.course_id).await?;
    sqlx::query(
        "UPDATE course_modules SET title = $1, position = $2, deleted_at = $3 \
         WHERE tenant_id = $4 AND id = $5",
    )
    .bind(&m.title)
    .bind(m.position)
    .bind(m.deleted_at.map(to_micros))
    .bind(m.tenant_id.as_str())
    .bind(m.id.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, Serialize)]
pub struct Lesson {
    pub id: LessonId,
    pub tenant_id: TenantId,
    pub course_id: CourseId,
    pub module_id: ModuleId,
    pub title: String,
    pub kind: LessonKind,
    pub body: String,
    pub embed_url: Option<String>,
    pub position: i64,
    pub available_from: Option<Date>,
    pub available_after_days: Option<i64>,
    pub required: bool,
    /// The file a video, audio or file lesson plays or offers.
    pub media_id: Option<MediaId>,
    /// A video's captions (a WebVTT file).
    pub captions_id: Option<MediaId>,
    /// Visitors of the school's site open it without enrolling (a published course's).
    pub free_preview: bool,
    /// A stop-lesson: the lessons after it stay closed to a student until it is complete.
    pub stop: bool,
    /// A draft is the teachers' only (issue 19, item 1).
    pub status: LessonStatus,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub deleted_at: Option<Timestamp>,
}

const LESSON_COLUMNS: &str = "l.id, l.tenant_id, l.course_id, l.module_id, l.title, l.kind, \
                              l.body, l.embed_url, l.position, l.available_from, \
                              l.available_after_days, l.required, l.created_at, l.updated_at, \
                              l.deleted_at, l.media_id, l.captions_id, l.free_preview, \
                              l.stop_lesson, l.status";

fn lesson_row(r: &AnyRow) -> Result<Lesson> {
    let c = Cols::new(r, "");
    Ok(Lesson {
        id: c.get("id")?,
        tenant_id: c.get("tenant_id")?,
        course_id: c.get("course_id")?,
        module_id: c.get("module_id")?,
        title: c.get("title")?,
        kind: c.word("kind")?,
        body: c.get("body")?,
        embed_url: c.get("embed_url")?,
        position: c.get("position")?,
        available_from: c.date_opt("available_from")?,
        available_after_days: c.get("available_after_days")?,
        required: c.get::<i64>("required")? != 0,
        media_id: c.get("media_id")?,
        captions_id: c.get("captions_id")?,
        free_preview: c.get::<i64>("free_preview")? != 0,
        stop: c.get::<i64>("stop_lesson")? != 0,
        status: c.word("status")?,
        created_at: c.at("created_at")?,
        updated_at: c.at("updated_at")?,
        deleted_at: c.at_opt("deleted_at")?,
    })
}

/// Adds a lesson at the end of its module.
pub async fn insert_lesson(conn: &mut Conn, l: &Lesson) -> Result<i64> {
    // The course's row first, as every change of its curriculum takes it (see
    // `curriculum::hold_course`): two changes never wait on each other in opposite orders.
    bump(conn, &l.tenant_id, &l.course_id).await?;
    let row = sqlx::query(
        "SELECT COALESCE(MAX(position), 0) AS p FROM lessons WHERE tenant_id = $1 AND module_id = $2",
    )
    .bind(l.tenant_id.as_str())
    .bind(l.module_id.as_str())
    .fetch_one(&mut *conn)
    .await?;
    let position: i64 = Cols::new(&row, "").get::<i64>("p")? + 1;
    sqlx::query(
        "INSERT INTO lessons (id, tenant_id, course_id, module_id, title, kind, body, embed_url, \
         position, available_from, available_after_days, required, created_at, updated_at, \
         media_id, captions_id, free_preview, stop_lesson, status) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
         $18, $19)",
    )
    .bind(l.id.as_str())
    .bind(l.tenant_id.as_str())
    .bind(l.course_id.as_str())
    .bind(l.module_id.as_str())
    .bind(&l.title)
    .bind(l.kind.as_str())
    .bind(&l.body)
    .bind(&l.embed_url)
    .bind(position)
    .bind(l.available_from.map(|d| d.to_string()))
    .bind(l.available_after_days)
    .bind(i64::from(l.required))
    .bind(to_micros(l.created_at))
    .bind(to_micros(l.updated_at))
    .bind(l.media_id.as_deref())
    .bind(l.captions_id.as_deref())
    .bind(i64::from(l.free_preview))
    .bind(i64::from(l.stop))
    .bind(l.status.as_str())
    .execute(&mut *conn)
    .await?;
    crate::curriculum::set_lesson_images(conn, &l.tenant_id, &l.id, &l.body).await?;
    Ok(position)
}

pub async fn update_lesson(conn: &mut Conn, l: &Lesson) -> Result<()> {
    // The course's row first, as every change of its curriculum takes it (see
    // `curriculum::hold_course`): two changes never wait on each other in opposite orders.
    bump(conn, &l.tenant_id, &l.course_id).await?;
    sqlx::query(
        "UPDATE lessons SET title = $1, body = $2, embed_url = $3, position = $4, \
         available_from = $5, available_after_days = $6, required = $7, updated_at = $8, \
         deleted_at = $9, module_id = $10, media_id = $13, captions_id = $14, \
         free_preview = $15, stop_lesson = $16, status = $17 WHERE tenant_id = $11 AND id = $12",
    )
    .bind(&l.title)
    .bind(&l.body)
    .bind(&l.embed_url)
    .bind(l.position)
    .bind(l.available_from.map(|d| d.to_string()))
    .bind(l.available_after_days)
    .bind(i64::from(l.required))
    .bind(to_micros(l.updated_at))
    .bind(l.deleted_at.map(to_micros))
    .bind(l.module_id.as_str())
    .bind(l.tenant_id.as_str())
    .bind(l.id.as_str())
    .bind(l.media_id.as_deref())
    .bind(l.captions_id.as_deref())
    .bind(i64::from(l.free_preview))
    .bind(i64::from(l.stop))
    .bind(l.status.as_str())
    .execute(&mut *conn)
    .await?;
    crate::curriculum::set_lesson_images(conn, &l.tenant_id, &l.id, &l.body).await?;
    Ok(())
}

pub async fn lesson(
    conn: &mut Conn,
    tenant_id: &TenantId,
    id: &LessonId,
) -> Result<Option<Lesson>> {
    let sql =
        format!("SELECT {LESSON_COLUMNS} FROM lessons l WHERE l.tenant_id = $1 AND l.id = $2");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id.as_str())
        .bind(id.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(lesson_row).transpose()
}

/// A module's lessons not in the trash, in order.
pub async fn module_lessons(
    conn: &mut Conn,
    tenant_id: &TenantId,
    module_id: &ModuleId,
) -> Result<Vec<Lesson>> {
    let sql = format!(
        "SELECT {LESSON_COLUMNS} FROM lessons l WHERE l.tenant_id = $1 AND l.module_id = $2 \
         AND l.deleted_at IS NULL ORDER BY l.position, l.id"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id.as_str())
        .bind(module_id.as_str())
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(lesson_row).collect()
}

/// A course's lessons in reading order: by module, then by lesson; trashed modules and lessons
/// are left out.
pub async fn course_lessons(
    conn: &mut Conn,
    tenant_id: &TenantId,
    course_id: &CourseId,
) -> Result<Vec<Lesson>> {
    let sql = format!(
        "SELECT {LESSON_COLUMNS} FROM lessons l JOIN course_modules m ON m.id = l.module_id \
         WHERE l.tenant_id = $1 AND l.course_id = $2 AND l.deleted_at IS NULL \
         AND m.deleted_at IS NULL ORDER BY m.position, l.position, l.id"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id.as_str())
        .bind(course_id.as_str())
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(lesson_row).collect()
}

/// A course's lessons in reading order without their text (`body` is empty): what an outline
/// needs, at a fraction of the bytes.
pub async fn course_outline(
    conn: &mut Conn,
    tenant_id: &TenantId,
    course_id: &CourseId,
) -> Result<Vec<Lesson>> {
    let columns = LESSON_COLUMNS.replace("l.body", "'' AS body");
    let sql = format!(
        "SELECT {columns} FROM lessons l JOIN course_modules m ON m.id = l.module_id \
         WHERE l.tenant_id = $1 AND l.course_id = $2 AND l.deleted_at IS NULL \
         AND m.deleted_at IS NULL ORDER BY m.position, l.position, l.id"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id.as_str())
        .bind(course_id.as_str())
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(lesson_row).collect()
}

/// An item in the trash.
#[derive(Debug, Clone, Serialize)]
pub struct Trashed {
    pub kind: TrashKind,
    pub id: String,
    /// The course it belongs to (a course's own id for a course).
    pub course_id: CourseId,
    pub title: String,
    pub deleted_at: Timestamp,
}

/// What the school deleted at or after `since`, newest first.
pub async fn trash(
    conn: &mut Conn,
    tenant_id: &TenantId,
    since: Timestamp,
) -> Result<Vec<Trashed>> {
    let rows = sqlx::query(
        "SELECT 'course' AS kind, id, id AS course_id, title, deleted_at FROM courses \
         WHERE tenant_id = $1 AND deleted_at >= $2 \
         UNION ALL SELECT 'module' AS kind, id, course_id, title, deleted_at FROM course_modules \
         WHERE tenant_id = $1 AND deleted_at >= $2 \
         UNION ALL SELECT 'lesson' AS kind, id, course_id, title, deleted_at FROM lessons \
         WHERE tenant_id = $1 AND deleted_at >= $2 ORDER BY deleted_at DESC",
    )
    .bind(tenant_id.as_str())
    .bind(to_micros(since))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let c = Cols::new(r, "");
            Ok(Trashed {
                kind: c.word("kind")?,
                id: c.get("id")?,
                course_id: c.get("course_id")?,
                title: c.get("title")?,
                deleted_at: c.at("deleted_at")?,
            })
        })
        .collect()
}

const TRASH_PAGES: Keyset = Keyset {
    name: "trash",
    columns: &[
        ("deleted_at", Kind::Int),
        ("kind", Kind::Text),
        ("id", Kind::Text),
    ],
    desc: true,
};

/// A page of what the school deleted at or after `since`, newest first; with `teacher`, only
/// what belongs to the courses assigned to that teacher.
pub async fn trash_page(
    conn: &mut Conn,
    tenant_id: &TenantId,
    since: Timestamp,
    teacher: Option<&UserId>,
    req: &PageRequest,
) -> Result<Page<Trashed>> {
    let select = "SELECT kind, id, course_id, title, deleted_at FROM (\
         SELECT 'course' AS kind, id, id AS course_id, title, deleted_at FROM courses \
         WHERE tenant_id = $1 AND deleted_at >= $2 \
         UNION ALL SELECT 'module' AS kind, id, course_id, title, deleted_at FROM course_modules \
         WHERE tenant_id = $1 AND deleted_at >= $2 \
         UNION ALL SELECT 'lesson' AS kind, id, course_id, title, deleted_at FROM lessons \
         WHERE tenant_id = $1 AND deleted_at >= $2) t \
         WHERE ($3 IS NULL OR course_id IN (SELECT course_id FROM course_teachers \
         WHERE tenant_id = $1 AND user_id = $3))";
    let params = vec![
        tenant_id.as_str().into(),
        to_micros(since).into(),
        teacher.into(),
    ];
    let parse = |r: &AnyRow| {
        let c = Cols::new(r, "");
        Ok(Trashed {
            kind: c.word("kind")?,
            id: c.get("id")?,
            course_id: c.get("course_id")?,
            title: c.get("title")?,
            deleted_at: c.at("deleted_at")?,
        })
    };
    TRASH_PAGES
        .fetch(conn, req, select, params, parse, |t| {
            vec![
                to_micros(t.deleted_at).into(),
                t.kind.as_str().into(),
                (&t.id).into(),
            ]
        })
        .await
}

/// The courses a teacher is assigned to.
pub async fn teacher_courses(
    conn: &mut Conn,
    tenant_id: &TenantId,
    user_id: &UserId,
) -> Result<Vec<CourseId>> {
    let rows =
        sqlx::query("SELECT course_id FROM course_teachers WHERE tenant_id = $1 AND user_id = $2")
            .bind(tenant_id.as_str())
            .bind(user_id.as_str())
            .fetch_all(&mut *conn)
            .await?;
    rows.iter()
        .map(|r| Cols::new(r, "").get::<CourseId>("course_id"))
        .collect()
}

/// Whether a teacher is assigned to a course.
pub async fn is_teacher(
    conn: &mut Conn,
    tenant_id: &TenantId,
    course_id: &CourseId,
    user_id: &UserId,
) -> Result<bool> {
    let row = sqlx::query(
        "SELECT 1 AS one FROM course_teachers WHERE tenant_id = $1 AND course_id = $2 AND user_id = $3",
    )
    .bind(tenant_id.as_str())
    .bind(course_id.as_str())
    .bind(user_id.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.is_some())
}

/// The teachers of a course (user ids).
pub async fn course_teachers(
    conn: &mut Conn,
    tenant_id: &TenantId,
    course_id: &CourseId,
) -> Result<Vec<UserId>> {
    let rows = sqlx::query(
        "SELECT user_id FROM course_teachers WHERE tenant_id = $1 AND course_id = $2 ORDER BY assigned_at, user_id",
    )
    .bind(tenant_id.as_str())
    .bind(course_id.as_str())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| Cols::new(r, "").get::<UserId>("user_id"))
        .collect()
}

/// The names of a course's teachers still on the staff as teachers, in the order they were
/// assigned.
pub async fn course_teacher_names(
    conn: &mut Conn,
    tenant_id: &TenantId,
    course_id: &CourseId,
) -> Result<Vec<String>> {
    let rows = sqlx::query(
        "SELECT u.full_name FROM course_teachers ct JOIN users u ON u.id = ct.user_id \
         WHERE ct.tenant_id = $1 AND ct.course_id = $2 AND u.removed_at IS NULL \
         AND u.role = 'teacher' \
         ORDER BY ct.assigned_at, ct.user_id",
    )
    .bind(tenant_id.as_str())
    .bind(course_id.as_str())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| Cols::new(r, "").get::<String>("full_name"))
        .collect()
}

/// Assigns a teacher to a course (nothing changes when already assigned).
pub async fn assign_teacher(
    conn: &mut Conn,
    tenant_id: &TenantId,
    course_id: &CourseId,
    user_id: &UserId,
    at: Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO course_teachers (tenant_id, course_id, user_id, assigned_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (course_id, user_id) DO NOTHING",
    )
    .bind(tenant_id.as_str())
    .bind(course_id.as_str())
    .bind(user_id.as_str())
    .bind(to_micros(at))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Takes a teacher off a course.
pub async fn unassign_teacher(
    conn: &mut Conn,
    tenant_id: &TenantId,
    course_id: &CourseId,
    user_id: &UserId,
) -> Result<()> {
    sqlx::query(
        "DELETE FROM course_teachers WHERE tenant_id = $1 AND course_id = $2 AND user_id = $3",
    )
    .bind(tenant_id.as_str())
    .bind(course_id.as_str())
    .bind(user_id.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// What a purge removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    pub courses: u64,
    pub modules: u64,
    pub lessons: u64,
}

/// Deletes for good what was put in the trash before `before`, across schools: lessons with
/// their students' progress, modules with their lessons, courses with their modules, lessons,
/// enrolments, progress and teachers.
pub async fn purge_trash(conn: &mut Conn, before: Timestamp) -> Result<Purged> {
    let t = to_micros(before);
    // Courses first take everything of theirs, then modules, then single lessons.
    let course_scope = "course_id IN (SELECT id FROM courses WHERE deleted_at < $1)";
    let module_scope = "module_id IN (SELECT id FROM course_modules WHERE deleted_at < $1)";
    let lesson_scope = "lesson_id IN (SELECT id FROM lessons WHERE deleted_at < $1 \
         OR module_id IN (SELECT id FROM course_modules WHERE deleted_at < $1) \
         OR course_id IN (SELECT id FROM courses WHERE deleted_at < $1))";
    let statements = [
        format!("DELETE FROM lesson_progress WHERE {lesson_scope}"),
        format!(
            "DELETE FROM quiz_answers WHERE attempt_id IN \
             (SELECT id FROM quiz_attempts WHERE {lesson_scope})"
        ),
        format!("DELETE FROM quiz_attempts WHERE {lesson_scope}"),
        format!(
            "DELETE FROM submission_files WHERE entry_id IN (SELECT e.id FROM submission_entries e \
             JOIN submissions s ON s.id = e.submission_id WHERE s.{lesson_scope})"
        ),
        format!(
            "DELETE FROM submission_entries WHERE submission_id IN \
             (SELECT id FROM submissions WHERE {lesson_scope})"
        ),
        format!("DELETE FROM submissions WHERE {lesson_scope}"),
        format!("DELETE FROM quizzes WHERE {lesson_scope}"),
        format!("DELETE FROM lesson_images WHERE {lesson_scope}"),
        format!("DELETE FROM certificates WHERE {course_scope}"),
        format!("DELETE FROM enrolments WHERE {course_scope}"),
        format!("DELETE FROM course_teachers WHERE {course_scope}"),
        format!("DELETE FROM lessons WHERE deleted_at < $1 OR {module_scope} OR {course_scope}"),
        format!("DELETE FROM course_modules WHERE deleted_at < $1 OR {course_scope}"),
        "DELETE FROM courses WHERE deleted_at < $1".to_owned(),
    ];
    let mut counts = Vec::new();
    for sql in statements {
        let done = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(t)
            .execute(&mut *conn)
            .await?;
        counts.push(done.rows_affected());
    }
    // The last three statements take the lessons, the modules and the courses.
    let n = counts.len();
    Ok(Purged {
        lessons: counts[n - 3],
        modules: counts[n - 2],
        courses: counts[n - 1],
    })
}

/// The hosts an embed lesson may link to, in order.
pub async fn embed_hosts(conn: &mut Conn) -> Result<Vec<String>> {
    let rows = sqlx::query("SELECT host FROM embed_hosts ORDER BY host")
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|r| Cols::new(r, "").get::<String>("host"))
        .collect()
}

const EMBED_HOST_PAGES: Keyset = Keyset {
    name: "embed-hosts",
    columns: &[("host", Kind::Text)],
    desc: false,
};

/// A page of the hosts an embed lesson may link to, in order.
pub async fn embed_hosts_page(conn: &mut Conn, req: &PageRequest) -> Result<Page<String>> {
    let parse = |r: &AnyRow| Cols::new(r, "").get::<String>("host");
    EMBED_HOST_PAGES
        .fetch(
            conn,
            req,
            "SELECT host FROM embed_hosts WHERE 1 = 1",
            Vec::new(),
            parse,
            |h| vec![h.into()],
        )
        .await
}

/// The order of a course's lessons for the API's pages: module position, lesson position, id
/// (the reading order [`course_lessons`] reads them in).
pub const LESSON_PAGES: Keyset = Keyset {
    name: "lessons",
    columns: &[
        ("m.position", Kind::Int),
        ("l.position", Kind::Int),
        ("l.id", Kind::Text),
    ],
    desc: false,
};

/// Allows a host; false when it was allowed already.
pub async fn add_embed_host(
    conn: &mut Conn,
    host: &str,
    by: &UserId,
    at: Timestamp,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO embed_hosts (host, added_by, added_at) VALUES ($1, $2, $3) \
         ON CONFLICT (host) DO NOTHING",
    )
    .bind(host)
    .bind(by.as_str())
    .bind(to_micros(at))
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Stops allowing a host; false when it was not allowed.
pub async fn remove_embed_host(conn: &mut Conn, host: &str) -> Result<bool> {
    let done = sqlx::query("DELETE FROM embed_hosts WHERE host = $1")
        .bind(host)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The titles of the school's published courses not in the trash, by title (at most 200).
pub async fn published_course_titles(conn: &mut Conn, tenant_id: &TenantId) -> Result<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT title FROM courses WHERE tenant_id = $1 AND status = 'published' \
         AND deleted_at IS NULL ORDER BY title LIMIT 200",
    )
    .bind(tenant_id.as_str())
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|(t,)| t).collect())
}
