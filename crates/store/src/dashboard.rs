//! The facts of a school's cabinet home (issue 17, item 1): what its people have set up (the
//! onboarding checklist), per-day counts of a window of days, the days students worked, and its
//! lessons with how many students completed them.

use educenter_domain::ids::{CourseId, LessonId, TenantId, UserId};
use jiff::{Timestamp, civil::Date};

use crate::{Cols, Conn, Result, to_micros};

/// What a school has done of its first steps, counted from its data.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SetUp {
    pub has_logo: bool,
    pub courses: i64,
    pub lessons: i64,
    pub published: i64,
    pub students: i64,
    pub invoices: i64,
    /// The checklist was put away.
    pub dismissed: bool,
}

/// The school's first steps as its data shows them, in one query.
pub async fn set_up(conn: &mut Conn, tenant_id: &TenantId) -> Result<SetUp> {
    let row = sqlx::query(
        "SELECT \
         (SELECT COUNT(*) FROM tenants WHERE id = $1 AND logo_id IS NOT NULL) AS logo, \
         (SELECT COUNT(*) FROM tenants WHERE id = $1 AND checklist_dismissed_at IS NOT NULL) \
           AS dismissed, \
         (SELECT COUNT(*) FROM courses WHERE tenant_id = $1 AND deleted_at IS NULL) AS courses, \
         (SELECT COUNT(*) FROM lessons l JOIN courses c ON c.id = l.course_id \
           WHERE l.tenant_id = $1 AND l.deleted_at IS NULL AND c.deleted_at IS NULL) AS lessons, \
         (SELECT COUNT(*) FROM courses WHERE tenant_id = $1 AND deleted_at IS NULL \
           AND status = 'published') AS published, \
         (SELECT COUNT(*) FROM users WHERE tenant_id = $1 AND kind = 'learner' \
           AND removed_at IS NULL) AS students, \
         (SELECT COUNT(*) FROM invoices WHERE tenant_id = $1) AS invoices",
    )
    .bind(tenant_id.as_str())
    .fetch_one(&mut *conn)
    .await?;
    let c = Cols::new(&row, "");
    Ok(SetUp {
        has_logo: c.get::<i64>("logo")? > 0,
        dismissed: c.get::<i64>("dismissed")? > 0,
        courses: c.get("courses")?,
        lessons: c.get("lessons")?,
        published: c.get("published")?,
        students: c.get("students")?,
        invoices: c.get("invoices")?,
    })
}

/// Puts the school's onboarding checklist away (or back, with `None`).
pub async fn dismiss_checklist(
    conn: &mut Conn,
    tenant_id: &TenantId,
    at: Option<Timestamp>,
) -> Result<()> {
    sqlx::query("UPDATE tenants SET checklist_dismissed_at = $1 WHERE id = $2")
        .bind(at.map(to_micros))
        .bind(tenant_id.as_str())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// What a per-day figure counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Series {
    /// Students whose accounts were made (and are not removed).
    NewStudents,
    /// Enrolments made (and not removed).
    Enrolments,
    /// Lessons completed (in enrolments not removed).
    Completions,
}

impl Series {
    fn sql(self) -> &'static str {
        match self {
            Self::NewStudents => {
                "SELECT (created_at - $2) / 86400000000 AS d, COUNT(*) AS n FROM users \
                 WHERE tenant_id = $1 AND kind = 'learner' AND removed_at IS NULL \
                 AND created_at >= $2 AND created_at < $3 GROUP BY d"
            }
            Self::Enrolments => {
                "SELECT (enrolled_at - $2) / 86400000000 AS d, COUNT(*) AS n FROM enrolments \
                 WHERE tenant_id = $1 AND removed_at IS NULL \
                 AND enrolled_at >= $2 AND enrolled_at < $3 GROUP BY d"
            }
            Self::Completions => {
                "SELECT (p.completed_at - $2) / 86400000000 AS d, COUNT(*) AS n \
                 FROM lesson_progress p JOIN enrolments e ON e.tenant_id = p.tenant_id \
                 AND e.course_id = p.course_id AND e.user_id = p.user_id AND e.removed_at IS NULL \
                 WHERE p.tenant_id = $1 AND p.completed_at >= $2 AND p.completed_at < $3 GROUP BY d"
            }
        }
    }
}

/// Counts of a series per day of the window `[from, to)`, as `(day's index from 0, count)` for
/// the days that have any. A day is 24 hours from `from`: the caller passes the start of a local
/// day in a zone that keeps one offset all year (Asia/Almaty since 2024).
pub async fn per_day(
    conn: &mut Conn,
    tenant_id: &TenantId,
    series: Series,
    from: Timestamp,
    to: Timestamp,
) -> Result<Vec<(i64, i64)>> {
    let rows = sqlx::query(series.sql())
        .bind(tenant_id.as_str())
        .bind(to_micros(from))
        .bind(to_micros(to))
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|r| {
            let c = Cols::new(r, "");
            Ok((c.get("d")?, c.get("n")?))
        })
        .collect()
}

/// Notes that a student worked in a lesson on a local date (once per student and day).
pub async fn note_active(
    conn: &mut Conn,
    tenant_id: &TenantId,
    user_id: &UserId,
    on: Date,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO learner_days (tenant_id, user_id, day) VALUES ($1, $2, $3) \
         ON CONFLICT (tenant_id, day, user_id) DO NOTHING",
    )
    .bind(tenant_id.as_str())
    .bind(user_id.as_str())
    .bind(on.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// How many students worked on each local date from `from` to `to` (both included), for the
/// dates that have any.
pub async fn active_per_day(
    conn: &mut Conn,
    tenant_id: &TenantId,
    from: Date,
    to: Date,
) -> Result<Vec<(Date, i64)>> {
    let rows = sqlx::query(
        "SELECT day, COUNT(*) AS n FROM learner_days \
         WHERE tenant_id = $1 AND day >= $2 AND day <= $3 GROUP BY day",
    )
    .bind(tenant_id.as_str())
    .bind(from.to_string())
    .bind(to.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let c = Cols::new(r, "");
            Ok((c.date("day")?, c.get("n")?))
        })
        .collect()
}

/// A live lesson of a published course, with how many of the course's enrolled students
/// completed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonReach {
    pub lesson_id: LessonId,
    pub lesson_title: String,
    pub course_id: CourseId,
    pub course_title: String,
    pub completed: i64,
    pub enrolled: i64,
}

/// Every live published lesson of the school's published courses that have students, with its
/// completions among the course's students (removed enrolments left out).
pub async fn lesson_reach(conn: &mut Conn, tenant_id: &TenantId) -> Result<Vec<LessonReach>> {
    let rows = sqlx::query(
        "SELECT l.id, l.title, c.id AS course_id, c.title AS course_title, \
         (SELECT COUNT(*) FROM lesson_progress p JOIN enrolments e ON e.tenant_id = p.tenant_id \
            AND e.course_id = p.course_id AND e.user_id = p.user_id AND e.removed_at IS NULL \
          WHERE p.tenant_id = l.tenant_id AND p.lesson_id = l.id AND p.completed_at IS NOT NULL) \
           AS completed, \
         (SELECT COUNT(*) FROM enrolments e WHERE e.tenant_id = l.tenant_id \
            AND e.course_id = l.course_id AND e.removed_at IS NULL) AS enrolled \
         FROM lessons l JOIN courses c ON c.id = l.course_id \
         JOIN course_modules m ON m.id = l.module_id \
         WHERE l.tenant_id = $1 AND l.deleted_at IS NULL AND m.deleted_at IS NULL \
         AND l.status = 'published' AND c.deleted_at IS NULL AND c.status = 'published' \
         ORDER BY c.title, m.position, l.position",
    )
    .bind(tenant_id.as_str())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let c = Cols::new(r, "");
            Ok(LessonReach {
                lesson_id: c.get("id")?,
                lesson_title: c.get("title")?,
                course_id: c.get("course_id")?,
                course_title: c.get("course_title")?,
                completed: c.get("completed")?,
                enrolled: c.get("enrolled")?,
            })
        })
        .filter(|r| r.as_ref().map_or(true, |r| r.enrolled > 0))
        .collect()
}
