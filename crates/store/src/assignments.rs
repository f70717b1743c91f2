//! Assignments (issue 19, item 4): a student's work on an assignment lesson (one per student
//! and lesson, with where it stands and its grade), its thread of answers, comments and
//! decisions, and the files of each answer. Every query names the tenant.

use educenter_domain::assignments::{EntryKind, SubmissionState};
use educenter_domain::ids::{CourseId, LessonId, MediaId, SubmissionId, TenantId, UserId};
use jiff::Timestamp;
use sqlx::any::AnyRow;

use crate::page::{Keyset, Kind, Page, PageRequest, Param};
use crate::{Cols, Conn, Result, to_micros};

/// A student's work on an assignment, as kept.
#[derive(Debug, Clone)]
pub struct Submission {
    pub id: SubmissionId,
    pub tenant_id: TenantId,
    pub lesson_id: LessonId,
    pub course_id: CourseId,
    pub user_id: UserId,
    pub state: SubmissionState,
    /// Points, 0 to 100, once a teacher gave a grade.
    pub grade: Option<i64>,
    pub created_at: Timestamp,
    /// When the student last answered.
    pub submitted_at: Timestamp,
    /// When a teacher last decided, and who.
    pub reviewed_at: Option<Timestamp>,
    pub reviewed_by: Option<UserId>,
}

const COLUMNS: &str = "s.id, s.tenant_id, s.lesson_id, s.course_id, s.user_id, s.state, s.grade, \
                       s.created_at, s.submitted_at, s.reviewed_at, s.reviewed_by";

fn submission(r: &AnyRow) -> Result<Submission> {
    let c = Cols::new(r, "");
    Ok(Submission {
        id: SubmissionId::new(c.get::<String>("id")?),
        tenant_id: TenantId::new(c.get::<String>("tenant_id")?),
        lesson_id: LessonId::new(c.get::<String>("lesson_id")?),
        course_id: CourseId::new(c.get::<String>("course_id")?),
        user_id: UserId::new(c.get::<String>("user_id")?),
        state: c.word("state")?,
        grade: c.get("grade")?,
        created_at: c.at("created_at")?,
        submitted_at: c.at("submitted_at")?,
        reviewed_at: c.at_opt("reviewed_at")?,
        reviewed_by: c.get::<Option<String>>("reviewed_by")?.map(UserId::new),
    })
}

/// Stores a student's first answer's submission; a unique violation means another request
/// made it meanwhile.
pub async fn insert(conn: &mut Conn, s: &Submission) -> Result<()> {
    sqlx::query(
        "INSERT INTO submissions (id, tenant_id, lesson_id, course_id, user_id, state, grade, \
         created_at, submitted_at, reviewed_at, reviewed_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(s.id.as_str())
    .bind(s.tenant_id.as_str())
    .bind(s.lesson_id.as_str())
    .bind(s.course_id.as_str())
    .bind(s.user_id.as_str())
    .bind(s.state.as_str())
    .bind(s.grade)
    .bind(to_micros(s.created_at))
    .bind(to_micros(s.submitted_at))
    .bind(s.reviewed_at.map(to_micros))
    .bind(s.reviewed_by.as_ref().map(|u| u.as_str()))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// One submission of the school.
pub async fn get(
    conn: &mut Conn,
    tenant: &TenantId,
    id: &SubmissionId,
) -> Result<Option<Submission>> {
    let sql = format!("SELECT {COLUMNS} FROM submissions s WHERE s.tenant_id = $1 AND s.id = $2");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant.as_str())
        .bind(id.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(submission).transpose()
}

/// A student's submission for an assignment lesson, if they answered it.
pub async fn of_student(
    conn: &mut Conn,
    tenant: &TenantId,
    lesson: &LessonId,
    user: &UserId,
) -> Result<Option<Submission>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM submissions s WHERE s.tenant_id = $1 AND s.lesson_id = $2 \
         AND s.user_id = $3"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant.as_str())
        .bind(lesson.as_str())
        .bind(user.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(submission).transpose()
}

/// A returned submission answered again: it waits once more. `false` when it was not
/// returned (another request answered first).
pub async fn resubmit(
    conn: &mut Conn,
    tenant: &TenantId,
    id: &SubmissionId,
    now: Timestamp,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE submissions SET state = 'submitted', submitted_at = $1 \
         WHERE tenant_id = $2 AND id = $3 AND state = 'returned'",
    )
    .bind(to_micros(now))
    .bind(tenant.as_str())
    .bind(id.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A teacher's decision on waiting work: its new state and grade (`None` keeps the grade it
/// had). `false` when it no longer waits (another teacher decided first, or the student's
/// answer is not there yet).
pub async fn decide(
    conn: &mut Conn,
    tenant: &TenantId,
    id: &SubmissionId,
    state: SubmissionState,
    grade: Option<i64>,
    by: &UserId,
    now: Timestamp,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE submissions SET state = $1, grade = COALESCE($2, grade), reviewed_at = $3, \
         reviewed_by = $4 WHERE tenant_id = $5 AND id = $6 AND state = 'submitted'",
    )
    .bind(state.as_str())
    .bind(grade)
    .bind(to_micros(now))
    .bind(by.as_str())
    .bind(tenant.as_str())
    .bind(id.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// An entry of a submission's thread.
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: String,
    pub submission_id: SubmissionId,
    /// Who wrote it: the student, or one of the school's staff.
    pub author_id: UserId,
    pub kind: EntryKind,
    pub body: String,
    /// The grade given with a decision.
    pub grade: Option<i64>,
    pub created_at: Timestamp,
    /// The answer's files, in the order given.
    pub files: Vec<MediaId>,
}

/// Adds an entry to a submission's thread (with its files), for the submission's student
/// `user`.
pub async fn add_entry(conn: &mut Conn, tenant: &TenantId, user: &UserId, e: &Entry) -> Result<()> {
    sqlx::query(
        "INSERT INTO submission_entries (id, tenant_id, submission_id, user_id, author_id, kind, \
         body, grade, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(e.id.as_str())
    .bind(tenant.as_str())
    .bind(e.submission_id.as_str())
    .bind(user.as_str())
    .bind(e.author_id.as_str())
    .bind(e.kind.as_str())
    .bind(e.body.as_str())
    .bind(e.grade)
    .bind(to_micros(e.created_at))
    .execute(&mut *conn)
    .await?;
    if e.files.is_empty() {
        return Ok(());
    }
    let rows: Vec<String> = (0..e.files.len())
        .map(|i| {
            let b = i * 5;
            format!(
                "(${}, ${}, ${}, ${}, ${})",
                b + 1,
                b + 2,
                b + 3,
                b + 4,
                b + 5
            )
        })
        .collect();
    let sql = format!(
        "INSERT INTO submission_files (entry_id, tenant_id, user_id, media_id, position) VALUES {}",
        rows.join(", ")
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for (i, m) in e.files.iter().enumerate() {
        q = q
            .bind(e.id.as_str())
            .bind(tenant.as_str())
            .bind(user.as_str())
            .bind(m.as_str())
            .bind(i as i64);
    }
    q.execute(&mut *conn).await?;
    Ok(())
}

/// A submission's thread, oldest first, each entry with its files.
pub async fn thread(conn: &mut Conn, tenant: &TenantId, id: &SubmissionId) -> Result<Vec<Entry>> {
    let rows = sqlx::query(
        "SELECT id, submission_id, author_id, kind, body, grade, created_at \
         FROM submission_entries WHERE tenant_id = $1 AND submission_id = $2 \
         ORDER BY created_at, id",
    )
    .bind(tenant.as_str())
    .bind(id.as_str())
    .fetch_all(&mut *conn)
    .await?;
    let mut entries = rows
        .iter()
        .map(|r| {
            let c = Cols::new(r, "");
            Ok(Entry {
                id: c.get("id")?,
                submission_id: SubmissionId::new(c.get::<String>("submission_id")?),
                author_id: UserId::new(c.get::<String>("author_id")?),
                kind: c.word("kind")?,
                body: c.get("body")?,
                grade: c.get("grade")?,
                created_at: c.at("created_at")?,
                files: Vec::new(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let files: Vec<(String, String)> = sqlx::query_as(
        "SELECT f.entry_id, f.media_id FROM submission_files f \
         JOIN submission_entries e ON e.id = f.entry_id AND e.tenant_id = f.tenant_id \
         WHERE f.tenant_id = $1 AND e.submission_id = $2 ORDER BY f.entry_id, f.position",
    )
    .bind(tenant.as_str())
    .bind(id.as_str())
    .fetch_all(&mut *conn)
    .await?;
    for (entry, media) in files {
        if let Some(e) = entries.iter_mut().find(|e| e.id == entry) {
            e.files.push(MediaId::new(media));
        }
    }
    Ok(entries)
}

/// Which of `ids` are files of some submission already (a file answers once).
pub async fn attached(conn: &mut Conn, tenant: &TenantId, ids: &[MediaId]) -> Result<Vec<MediaId>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT DISTINCT media_id FROM submission_files WHERE tenant_id = $1 AND media_id IN ({})",
        crate::placeholders(2, ids.len())
    );
    let mut q = sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql)).bind(tenant.as_str());
    for id in ids {
        q = q.bind(id.as_str());
    }
    Ok(q.fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(MediaId::new)
        .collect())
}

/// A line of the review queue: the submission with its lesson, course and student.
#[derive(Debug, Clone)]
pub struct QueueRow {
    pub submission: Submission,
    pub lesson_title: String,
    pub course_title: String,
    /// The student's name and e-mail (empty once they were erased).
    pub student_name: String,
    pub student_email: String,
}

/// What the queue shows.
#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    /// Only work in this state (`None`: every state).
    pub state: Option<SubmissionState>,
    pub course: Option<CourseId>,
    /// Only the courses this teacher teaches.
    pub teacher: Option<UserId>,
}

const QUEUE: Keyset = Keyset {
    name: "submissions",
    columns: &[("s.submitted_at", Kind::Int), ("s.id", Kind::Text)],
    desc: false,
};

/// A page of the school's submissions, the longest waiting first.
pub async fn queue(
    conn: &mut Conn,
    tenant: &TenantId,
    filter: &QueueFilter,
    req: &PageRequest,
) -> Result<Page<QueueRow>> {
    let mut select = format!(
        "SELECT {COLUMNS}, l.title AS lesson_title, c.title AS course_title, \
         u.full_name AS student_name, u.email AS student_email FROM submissions s \
         JOIN lessons l ON l.id = s.lesson_id AND l.tenant_id = s.tenant_id \
         JOIN courses c ON c.id = s.course_id AND c.tenant_id = s.tenant_id \
         JOIN users u ON u.id = s.user_id \
         WHERE s.tenant_id = $1 AND l.deleted_at IS NULL AND c.deleted_at IS NULL"
    );
    let mut params: Vec<Param> = vec![tenant.into()];
    if let Some(state) = filter.state {
        params.push(state.as_str().into());
        select.push_str(&format!(" AND s.state = ${}", params.len()));
    }
    if let Some(course) = &filter.course {
        params.push(course.into());
        select.push_str(&format!(" AND s.course_id = ${}", params.len()));
    }
    if let Some(t) = &filter.teacher {
        params.push(t.into());
        select.push_str(&format!(
            " AND s.course_id IN (SELECT course_id FROM course_teachers \
             WHERE tenant_id = $1 AND user_id = ${})",
            params.len()
        ));
    }
    QUEUE
        .fetch(
            conn,
            req,
            &select,
            params,
            |r| {
                let c = Cols::new(r, "");
                Ok(QueueRow {
                    submission: submission(r)?,
                    lesson_title: c.get("lesson_title")?,
                    course_title: c.get("course_title")?,
                    student_name: c.get("student_name")?,
                    student_email: c.get("student_email")?,
                })
            },
            |q| {
                vec![
                    to_micros(q.submission.submitted_at).into(),
                    (&q.submission.id).into(),
                ]
            },
        )
        .await
}

/// Every submission to the assignments of a course (the gradebook's).
pub async fn of_course(
    conn: &mut Conn,
    tenant: &TenantId,
    course: &CourseId,
) -> Result<Vec<Submission>> {
    let sql =
        format!("SELECT {COLUMNS} FROM submissions s WHERE s.tenant_id = $1 AND s.course_id = $2");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant.as_str())
        .bind(course.as_str())
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(submission).collect()
}

/// Which files a student uploaded are live and in no answer (picked, not sent yet).
pub async fn unattached(conn: &mut Conn, tenant: &TenantId, user: &UserId) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM media m WHERE m.tenant_id = $1 AND m.uploaded_by = $2 \
         AND m.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM submission_files f \
         WHERE f.tenant_id = m.tenant_id AND f.media_id = m.id)",
    )
    .bind(tenant.as_str())
    .bind(user.as_str())
    .fetch_one(&mut *conn)
    .await?)
}

/// Students' files, of every school, in no answer and uploaded before `before`, at most
/// `limit`: what the nightly sweep deletes.
pub async fn unsent_files(
    conn: &mut Conn,
    before: Timestamp,
    limit: i64,
) -> Result<Vec<crate::media::Media>> {
    let ids: Vec<(String, String)> = sqlx::query_as(
        "SELECT m.tenant_id, m.id FROM media m JOIN users u ON u.id = m.uploaded_by \
         WHERE u.kind = 'learner' AND m.created_at < $1 AND NOT EXISTS \
         (SELECT 1 FROM submission_files f WHERE f.tenant_id = m.tenant_id AND f.media_id = m.id) \
         ORDER BY m.created_at LIMIT $2",
    )
    .bind(to_micros(before))
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::new();
    for (tenant, id) in ids {
        if let Some(m) = crate::media::get(conn, &TenantId::new(tenant), &MediaId::new(id)).await? {
            out.push(m);
        }
    }
    Ok(out)
}

/// Deletes a student's file row once its bytes are gone, unless an answer took it meanwhile.
pub async fn forget_unsent_file(conn: &mut Conn, tenant: &TenantId, id: &MediaId) -> Result<bool> {
    let done = sqlx::query(
        "DELETE FROM media WHERE tenant_id = $1 AND id = $2 AND NOT EXISTS \
         (SELECT 1 FROM submission_files f WHERE f.tenant_id = $1 AND f.media_id = $2)",
    )
    .bind(tenant.as_str())
    .bind(id.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
