//! A school's students learning (issue 6): consents given at sign-up, enrolments in courses and
//! progress per lesson. Every query names the tenant.

use educenter_domain::ids::{CourseId, LessonId, TenantId, UserId};
use educenter_domain::learning::{ConsentKind, EnrolmentSource};
use jiff::{Timestamp, civil::Date};
use serde::Serialize;
use sqlx::any::AnyRow;

use crate::page::{Keyset, Kind, Page, PageRequest};
use crate::{
    Cols, Conn, Db, Result, RowRef, aliased,
    content::{COURSE_COLUMNS, Course, course_cols},
    direct::{self, Bind},
    new_id,
    sessions::{self, LiveSession},
    to_micros,
};

/// Records what a student agreed to: the exact text and its version, with the time.
pub async fn insert_consent(
    conn: &mut Conn,
    tenant_id: &TenantId,
    user_id: &UserId,
    kind: ConsentKind,
    text_version: &str,
    text: &str,
    at: Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO learner_consents (id, tenant_id, user_id, kind, text_version, text, \
         accepted_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(new_id())
    .bind(tenant_id.as_str())
    .bind(user_id.as_str())
    .bind(kind.as_str())
    .bind(text_version)
    .bind(text)
    .bind(to_micros(at))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A consent as stored.
#[derive(Debug, Clone, Serialize)]
pub struct Consent {
    pub kind: ConsentKind,
    pub text_version: String,
    pub accepted_at: Timestamp,
}

pub async fn consents(
    conn: &mut Conn,
    tenant_id: &TenantId,
    user_id: &UserId,
) -> Result<Vec<Consent>> {
    let rows = sqlx::query(
        "SELECT kind, text_version, accepted_at FROM learner_consents \
         WHERE tenant_id = $1 AND user_id = $2 AND withdrawn_at IS NULL ORDER BY accepted_at",
    )
    .bind(tenant_id.as_str())
    .bind(user_id.as_str())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let c = Cols::new(r, "");
            Ok(Consent {
                kind: c.word("kind")?,
                text_version: c.get("text_version")?,
                accepted_at: c.at("accepted_at")?,
            })
        })
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct Enrolment {
    pub id: String,
    pub tenant_id: TenantId,
    pub course_id: CourseId,
    pub user_id: UserId,
    pub source: EnrolmentSource,
    pub access_from: Option<Date>,
    pub access_to: Option<Date>,
    pub enrolled_at: Timestamp,
    pub completed_at: Option<Timestamp>,
    pub removed_at: Option<Timestamp>,
}

const ENROLMENT_COLUMNS: &str = "id, tenant_id, course_id, user_id, source, access_from, \
                                 access_to, enrolled_at, completed_at, removed_at";

fn enrolment_row(r: &AnyRow) -> Result<Enrolment> {
    enrolment_cols(Cols::new(r, ""))
}

fn enrolment_cols(c: Cols<'_>) -> Result<Enrolment> {
    Ok(Enrolment {
        id: c.get("id")?,
        tenant_id: c.get("tenant_id")?,
        course_id: c.get("course_id")?,
        user_id: c.get("user_id")?,
        source: c.word("source")?,
        access_from: c.date_opt("access_from")?,
        access_to: c.date_opt("access_to")?,
        enrolled_at: c.at("enrolled_at")?,
        completed_at: c.at_opt("completed_at")?,
        removed_at: c.at_opt("removed_at")?,
    })
}

/// Enrols a student, or enrols again one who was removed (the enrolment keeps its id and
/// the student's progress); returns the enrolment as stored.
pub async fn enrol(conn: &mut Conn, e: &Enrolment) -> Result<Enrolment> {
    sqlx::query(
        "INSERT INTO enrolments (id, tenant_id, course_id, user_id, source, access_from, \
         access_to, enrolled_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (tenant_id, course_id, user_id) DO UPDATE SET \
         access_from = excluded.access_from, access_to = excluded.access_to, \
         removed_at = NULL, \
         enrolled_at = CASE WHEN enrolments.removed_at IS NULL THEN enrolments.enrolled_at \
         ELSE excluded.enrolled_at END",
    )
    .bind(&e.id)
    .bind(e.tenant_id.as_str())
    .bind(e.course_id.as_str())
    .bind(e.user_id.as_str())
    .bind(e.source.as_str())
    .bind(e.access_from.map(|d| d.to_string()))
    .bind(e.access_to.map(|d| d.to_string()))
    .bind(to_micros(e.enrolled_at))
    .execute(&mut *conn)
    .await?;
    Ok(enrolment(conn, &e.tenant_id, &e.course_id, &e.user_id)
        .await?
        .expect("the enrolment was just written"))
}

/// A student's enrolment in a course, removed or not.
pub async fn enrolment(
    conn: &mut Conn,
    tenant_id: &TenantId,
    course_id: &CourseId,
    user_id: &UserId,
) -> Result<Option<Enrolment>> {
    let sql = format!(
        "SELECT {ENROLMENT_COLUMNS} FROM enrolments WHERE tenant_id = $1 AND course_id = $2 \
         AND user_id = $3"
    );
    let r = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id.as_str())
        .bind(course_id.as_str())
        .bind(user_id.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    r.as_ref().map(enrolment_row).transpose()
}

pub async fn enrolment_by_id(
    conn: &mut Conn,
    tenant_id: &TenantId,
    id: &str,
) -> Result<Option<Enrolment>> {
    let sql =
        format!("SELECT {ENROLMENT_COLUMNS} FROM enrolments WHERE tenant_id = $1 AND id = $2");
    let r = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id.as_str())
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    r.as_ref().map(enrolment_row).transpose()
}

/// A student's live enrolments, oldest first.
pub async fn user_enrolments(
    conn: &mut Conn,
    tenant_id: &TenantId,
    user_id: &UserId,
) -> Result<Vec<Enrolment>> {
    let sql = format!(
        "SELECT {ENROLMENT_COLUMNS} FROM enrolments WHERE tenant_id = $1 AND user_id = $2 \
         AND removed_at IS NULL ORDER BY enrolled_at, id"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id.as_str())
        .bind(user_id.as_str())
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(enrolment_row).collect()
}

/// A course's live enrolments, oldest first.
pub async fn course_enrolments(
    conn: &mut Conn,
    tenant_id: &TenantId,
    course_id: &CourseId,
) -> Result<Vec<Enrolment>> {
    let sql = format!(
        "SELECT {ENROLMENT_COLUMNS} FROM enrolments WHERE tenant_id = $1 AND course_id = $2 \
         AND removed_at IS NULL AND NOT EXISTS (SELECT 1 FROM users u \
         WHERE u.id = enrolments.user_id AND u.removed_at IS NOT NULL) ORDER BY enrolled_at, id"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id.as_str())
        .bind(course_id.as_str())
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(enrolment_row).collect()
}

const ENROLMENT_PAGES: Keyset = Keyset {
    name: "enrolments",
    columns: &[("enrolled_at", Kind::Int), ("id", Kind::Text)],
    desc: false,
};

/// A page of a course's live enrolments, oldest first.
pub async fn course_enrolments_page(
    conn: &mut Conn,
    tenant_id: &TenantId,
    course_id: &CourseId,
    req: &PageRequest,
) -> Result<Page<Enrolment>> {
    let select = format!(
        "SELECT {ENROLMENT_COLUMNS} FROM enrolments WHERE tenant_id = $1 AND course_id = $2 \
         AND removed_at IS NULL AND NOT EXISTS (SELECT 1 FROM users u \
         WHERE u.id = enrolments.user_id AND u.removed_at IS NOT NULL)"
    );
    ENROLMENT_PAGES
        .fetch(
            conn,
            req,
            &select,
            vec![tenant_id.into(), course_id.into()],
            enrolment_row,
            |e| vec![to_micros(e.enrolled_at).into(), (&e.id).into()],
        )
        .await
}

pub async fn remove_enrolment(
    conn: &mut Conn,
    tenant_id: &TenantId,
    id: &str,
    at: Timestamp,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE enrolments SET removed_at = $1 WHERE tenant_id = $2 AND id = $3 \
         AND removed_at IS NULL",
    )
    .bind(to_micros(at))
    .bind(tenant_id.as_str())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks the course complete for the student (the first time only).
pub async fn mark_course_complete(
    conn: &mut Conn,
    tenant_id: &TenantId,
    id: &str,
    at: Timestamp,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE enrolments SET completed_at = $1 WHERE tenant_id = $2 AND id = $3 \
         AND completed_at IS NULL",
    )
    .bind(to_micros(at))
    .bind(tenant_id.as_str())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A student's progress in one lesson.
#[derive(Debug, Clone, Serialize)]
pub struct Progress {
    pub user_id: UserId,
    pub lesson_id: LessonId,
    pub course_id: CourseId,
    pub position_ms: i64,
    pub duration_ms: Option<i64>,
    pub completed_at: Option<Timestamp>,
    pub updated_at: Timestamp,
}

/// The progress rows of the enrolment `e`, outer-joined as `p` (see [`EnrolmentRows`]).
const PROGRESS_JOIN: &str = "LEFT JOIN lesson_progress p ON p.tenant_id = e.tenant_id \
                             AND p.course_id = e.course_id AND p.user_id = e.user_id";

const PROGRESS_COLUMNS: &str =
    "user_id, lesson_id, course_id, position_ms, duration_ms, completed_at, updated_at";

fn progress_row(r: &AnyRow) -> Result<Progress> {
    progress_cols(Cols::new(r, ""))
}

fn progress_cols(c: Cols<'_>) -> Result<Progress> {
    Ok(Progress {
        user_id: c.get("user_id")?,
        lesson_id: c.get("lesson_id")?,
        course_id: c.get("course_id")?,
        position_ms: c.get("position_ms")?,
        duration_ms: c.get("duration_ms")?,
        completed_at: c.at_opt("completed_at")?,
        updated_at: c.at("updated_at")?,
    })
}

/// Saves where a student is in a lesson; a lesson once complete stays complete.
pub async fn save_progress(conn: &mut Conn, tenant_id: &TenantId, p: &Progress) -> Result<()> {
    sqlx::query(
        "INSERT INTO lesson_progress (tenant_id, user_id, lesson_id, course_id, position_ms, \
         duration_ms, completed_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (tenant_id, user_id, lesson_id) DO UPDATE SET \
         position_ms = excluded.position_ms, \
         duration_ms = COALESCE(excluded.duration_ms, lesson_progress.duration_ms), \
         completed_at = COALESCE(lesson_progress.completed_at, excluded.completed_at), \
         updated_at = excluded.updated_at",
    )
    .bind(tenant_id.as_str())
    .bind(p.user_id.as_str())
    .bind(p.lesson_id.as_str())
    .bind(p.course_id.as_str())
    .bind(p.position_ms)
    .bind(p.duration_ms)
    .bind(p.completed_at.map(to_micros))
    .bind(to_micros(p.updated_at))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A student's enrolment in a course (removed or not) with their progress in its lessons, in
/// one query. Progress is only ever saved under an enrolment (which is never deleted but with
/// the course), so no enrolment means no progress.
pub async fn enrolment_with_progress(
    conn: &mut Conn,
    tenant_id: &TenantId,
    course_id: &CourseId,
    user_id: &UserId,
) -> Result<(Option<Enrolment>, Vec<Progress>)> {
    static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!(
            "SELECT {e}, {p} FROM enrolments e {PROGRESS_JOIN} \
             WHERE e.tenant_id = $1 AND e.course_id = $2 AND e.user_id = $3",
            e = aliased(ENROLMENT_COLUMNS, "e"),
            p = aliased(PROGRESS_COLUMNS, "p"),
        )
    });
    let rows = sqlx::query(sqlx::AssertSqlSafe(SQL.as_str()))
        .bind(tenant_id.as_str())
        .bind(course_id.as_str())
        .bind(user_id.as_str())
        .fetch_all(&mut *conn)
        .await?;
    enrolment_and_progress(&rows)
}

/// A lesson's course (deleted or not) with a student's enrolment in it (removed or not) and
/// progress in its lessons; `None` when the school has no such lesson.
pub type LessonData = Option<(Course, Option<Enrolment>, Vec<Progress>)>;

/// The course of a lesson (deleted or not) with the student's enrolment in it and their
/// progress in its lessons: what a lesson page needs, in one query (it runs on every one).
pub async fn lesson_for_student(
    conn: &mut Conn,
    tenant_id: &TenantId,
    lesson_id: &LessonId,
    user_id: &UserId,
) -> Result<LessonData> {
    static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!(
            "SELECT {c}, {e}, {p} FROM lessons l \
             JOIN courses c ON c.tenant_id = l.tenant_id AND c.id = l.course_id \
             LEFT JOIN enrolments e ON e.tenant_id = c.tenant_id AND e.course_id = c.id \
             AND e.user_id = $3 {PROGRESS_JOIN} \
             WHERE l.tenant_id = $1 AND l.id = $2",
            c = aliased(COURSE_COLUMNS, "c"),
            e = aliased(ENROLMENT_COLUMNS, "e"),
            p = aliased(PROGRESS_COLUMNS, "p"),
        )
    });
    let rows = sqlx::query(sqlx::AssertSqlSafe(SQL.as_str()))
        .bind(tenant_id.as_str())
        .bind(lesson_id.as_str())
        .bind(user_id.as_str())
        .fetch_all(&mut *conn)
        .await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let course = course_cols(Cols::new(first, "c_"))?;
    let (enrolment, progress) = enrolment_and_progress(&rows)?;
    Ok(Some((course, enrolment, progress)))
}

/// A student's lesson page in one query (it runs on every one): the live session of
/// `secret_hash` at `now` (as [`sessions::live`] reads it) and, when the session's school has the
/// lesson, the lesson's course (deleted or not) with the session's person's enrolment in it and
/// progress in its lessons.
pub async fn lesson_visit(
    db: &Db,
    secret_hash: &str,
    now: Timestamp,
    lesson_id: &LessonId,
) -> Result<Option<(LiveSession, LessonData)>> {
    static VISIT: direct::Query = direct::Query::new(|| {
        sessions::live_query(
            &[
                &aliased(COURSE_COLUMNS, "c"),
                &aliased(ENROLMENT_COLUMNS, "e"),
                &aliased(PROGRESS_COLUMNS, "p"),
            ],
            &format!(
                "LEFT JOIN lessons l ON l.tenant_id = s.tenant_id AND l.id = $3 \
                 LEFT JOIN courses c ON c.tenant_id = l.tenant_id AND c.id = l.course_id \
                 LEFT JOIN enrolments e ON e.tenant_id = c.tenant_id AND e.course_id = c.id \
                 AND e.user_id = s.user_id {PROGRESS_JOIN}"
            ),
        )
    });
    let binds = [
        Bind::Text(secret_hash),
        Bind::Int(to_micros(now)),
        Bind::Text(lesson_id),
    ];
    let visit = direct::fold(db, &VISIT, &binds, |v: &mut Visit, r| {
        if v.session.is_none() {
            v.session = Some(sessions::live_row(r)?);
            let course = Cols::of(r, "c_");
            if course.get::<Option<String>>("id")?.is_some() {
                v.course = Some(course_cols(course)?);
            }
        }
        if v.course.is_some() {
            v.rest.add(r)?;
        }
        Ok(())
    })
    .await?;
    let Some(session) = visit.session else {
        return Ok(None);
    };
    let data = visit.course.map(|c| {
        let (enrolment, progress) = visit.rest.done();
        (c, enrolment, progress)
    });
    Ok(Some((session, data)))
}

/// What [`lesson_visit`] reads, row by row.
#[derive(Default)]
struct Visit {
    session: Option<LiveSession>,
    course: Option<Course>,
    rest: EnrolmentRows,
}

/// The enrolment (`e_` columns, empty when outer-joined to nothing) and progress (`p_`) of rows
/// that join one enrolment with its progress rows, read row by row.
#[derive(Default)]
struct EnrolmentRows {
    first_read: bool,
    enrolment: Option<Enrolment>,
    progress: Vec<Progress>,
}

impl EnrolmentRows {
    fn add(&mut self, r: RowRef<'_>) -> Result<()> {
        if !self.first_read {
            self.first_read = true;
            let e = Cols::of(r, "e_");
            if e.get::<Option<String>>("id")?.is_some() {
                self.enrolment = Some(enrolment_cols(e)?);
            }
        }
        let p = Cols::of(r, "p_");
        if self.enrolment.is_some() && p.get::<Option<String>>("lesson_id")?.is_some() {
            self.progress.push(progress_cols(p)?);
        }
        Ok(())
    }

    fn done(self) -> (Option<Enrolment>, Vec<Progress>) {
        (self.enrolment, self.progress)
    }
}

fn enrolment_and_progress(rows: &[AnyRow]) -> Result<(Option<Enrolment>, Vec<Progress>)> {
    let mut acc = EnrolmentRows::default();
    for r in rows {
        acc.add(RowRef::Any(r))?;
    }
    Ok(acc.done())
}

/// Every student's progress in the lessons of a course (the progress table).
pub async fn course_progress(
    conn: &mut Conn,
    tenant_id: &TenantId,
    course_id: &CourseId,
) -> Result<Vec<Progress>> {
    let sql = format!(
        "SELECT {PROGRESS_COLUMNS} FROM lesson_progress WHERE tenant_id = $1 AND course_id = $2"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id.as_str())
        .bind(course_id.as_str())
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(progress_row).collect()
}

/// The school's live students, by name; `query` filters by name or e-mail.
pub async fn learners(
    conn: &mut Conn,
    tenant_id: &TenantId,
    query: Option<&str>,
) -> Result<Vec<crate::accounts::User>> {
    let mut all = crate::accounts::people(conn, tenant_id).await?;
    all.retain(|u| u.kind == educenter_domain::roles::AccountKind::Learner);
    if let Some(q) = query.map(str::to_lowercase).filter(|q| !q.is_empty()) {
        all.retain(|u| u.full_name.to_lowercase().contains(&q) || u.email.contains(&q));
    }
    all.sort_by(|a, b| a.full_name.cmp(&b.full_name));
    Ok(all)
}

/// A group (cohort) of students.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub id: String,
    pub name: String,
    pub members: i64,
    pub created_at: Timestamp,
}

/// The group of that name, created when missing; returns its id.
pub async fn group_named(
    conn: &mut Conn,
    tenant_id: &TenantId,
    name: &str,
    at: Timestamp,
) -> Result<String> {
    sqlx::query(
        "INSERT INTO learner_groups (id, tenant_id, name, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (tenant_id, name) DO NOTHING",
    )
    .bind(new_id())
    .bind(tenant_id.as_str())
    .bind(name)
    .bind(to_micros(at))
    .execute(&mut *conn)
    .await?;
    let r = sqlx::query("SELECT id FROM learner_groups WHERE tenant_id = $1 AND name = $2")
        .bind(tenant_id.as_str())
        .bind(name)
        .fetch_one(&mut *conn)
        .await?;
    Cols::new(&r, "").get("id")
}

/// The school's groups by name, with how many live students each has.
pub async fn groups(conn: &mut Conn, tenant_id: &TenantId) -> Result<Vec<Group>> {
    let rows = sqlx::query(
        "SELECT g.id, g.name, g.created_at, \
         (SELECT COUNT(*) FROM group_members gm JOIN users u ON u.id = gm.user_id \
          WHERE gm.group_id = g.id AND u.removed_at IS NULL) AS members \
         FROM learner_groups g WHERE g.tenant_id = $1 ORDER BY g.name",
    )
    .bind(tenant_id.as_str())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let c = Cols::new(r, "");
            Ok(Group {
                id: c.get("id")?,
                name: c.get("name")?,
                members: c.get("members")?,
                created_at: c.at("created_at")?,
            })
        })
        .collect()
}

const GROUP_PAGES: Keyset = Keyset {
    name: "groups",
    columns: &[("g.name", Kind::Text), ("g.id", Kind::Text)],
    desc: false,
};

/// A page of the school's groups by name, with how many live students each has.
pub async fn groups_page(
    conn: &mut Conn,
    tenant_id: &TenantId,
    req: &PageRequest,
) -> Result<Page<Group>> {
    let select = "SELECT g.id, g.name, g.created_at, \
         (SELECT COUNT(*) FROM group_members gm JOIN users u ON u.id = gm.user_id \
          WHERE gm.group_id = g.id AND u.removed_at IS NULL) AS members \
         FROM learner_groups g WHERE g.tenant_id = $1";
    let parse = |r: &AnyRow| {
        let c = Cols::new(r, "");
        Ok(Group {
            id: c.get("id")?,
            name: c.get("name")?,
            members: c.get("members")?,
            created_at: c.at("created_at")?,
        })
    };
    GROUP_PAGES
        .fetch(conn, req, select, vec![tenant_id.into()], parse, |g| {
            vec![(&g.name).into(), (&g.id).into()]
        })
        .await
}

/// One of the school's groups.
pub async fn group(conn: &mut Conn, tenant_id: &TenantId, id: &str) -> Result<Option<Group>> {
    Ok(groups(conn, tenant_id)
        .await?
        .into_iter()
        .find(|g| g.id == id))
}

pub async fn add_member(
    conn: &mut Conn,
    tenant_id: &TenantId,
    group_id: &str,
    user_id: &UserId,
    at: Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO group_members (tenant_id, group_id, user_id, added_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (group_id, user_id) DO NOTHING",
    )
    .bind(tenant_id.as_str())
    .bind(group_id)
    .bind(user_id.as_str())
    .bind(to_micros(at))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The live students of a group.
pub async fn group_members(
    conn: &mut Conn,
    tenant_id: &TenantId,
    group_id: &str,
) -> Result<Vec<UserId>> {
    let rows = sqlx::query(
        "SELECT gm.user_id FROM group_members gm JOIN users u ON u.id = gm.user_id \
         WHERE gm.tenant_id = $1 AND gm.group_id = $2 AND u.removed_at IS NULL \
         ORDER BY u.full_name",
    )
    .bind(tenant_id.as_str())
    .bind(group_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| Cols::new(r, "").get::<UserId>("user_id"))
        .collect()
}

/// The names of a student's groups.
pub async fn user_groups(
    conn: &mut Conn,
    tenant_id: &TenantId,
    user_id: &UserId,
) -> Result<Vec<String>> {
    let rows = sqlx::query(
        "SELECT g.name FROM group_members gm JOIN learner_groups g ON g.id = gm.group_id \
         WHERE gm.tenant_id = $1 AND gm.user_id = $2 ORDER BY g.name",
    )
    .bind(tenant_id.as_str())
    .bind(user_id.as_str())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| Cols::new(r, "").get::<String>("name"))
        .collect()
}
