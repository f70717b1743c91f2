//! Quizzes (issue 19, item 3): a quiz lesson's settings, students' attempts with the questions
//! as they were asked, and their answers. Every query names the tenant.

use educenter_domain::ids::{AttemptId, CourseId, LessonId, TenantId, UserId};
use educenter_domain::questions::Fraction;
use educenter_domain::quiz::{AttemptState, QuizSettings, Response, Slot};
use jiff::Timestamp;
use sqlx::any::AnyRow;

use crate::page::{Keyset, Kind, Page, PageRequest, Param};
use crate::{Cols, Conn, Result, StoreError, to_micros};

fn corrupt(what: &str, e: serde_json::Error) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

/// Writes a quiz lesson's settings (made or replaced).
pub async fn save_settings(
    conn: &mut Conn,
    tenant: &TenantId,
    lesson: &LessonId,
    settings: &QuizSettings,
    now: Timestamp,
) -> Result<()> {
    let json = serde_json::to_string(settings).map_err(|e| corrupt("quiz settings", e))?;
    sqlx::query(
        "INSERT INTO quizzes (lesson_id, tenant_id, settings, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (lesson_id) DO UPDATE SET settings = excluded.settings, \
         updated_at = excluded.updated_at",
    )
    .bind(lesson.as_str())
    .bind(tenant.as_str())
    .bind(json)
    .bind(to_micros(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A quiz lesson's settings (`None`: not a quiz, or another school's).
pub async fn settings(
    conn: &mut Conn,
    tenant: &TenantId,
    lesson: &LessonId,
) -> Result<Option<QuizSettings>> {
    let json: Option<String> =
        sqlx::query_scalar("SELECT settings FROM quizzes WHERE tenant_id = $1 AND lesson_id = $2")
            .bind(tenant.as_str())
            .bind(lesson.as_str())
            .fetch_optional(&mut *conn)
            .await?;
    json.map(|j| serde_json::from_str(&j).map_err(|e| corrupt("quiz settings", e)))
        .transpose()
}

/// An attempt as kept.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub id: AttemptId,
    pub tenant_id: TenantId,
    pub lesson_id: LessonId,
    pub course_id: CourseId,
    pub user_id: UserId,
    /// 1 for a student's first attempt at the quiz.
    pub number: i64,
    pub state: AttemptState,
    pub started_at: Timestamp,
    pub deadline: Option<Timestamp>,
    pub submitted_at: Option<Timestamp>,
    pub graded_at: Option<Timestamp>,
    /// Points (ten-millionths of a mark) once graded.
    pub score: Option<i64>,
    pub max_score: i64,
    pub slots: Vec<Slot>,
}

const COLUMNS: &str = "a.id, a.tenant_id, a.lesson_id, a.course_id, a.user_id, a.number, \
                       a.state, a.started_at, a.deadline, a.submitted_at, a.graded_at, a.score, \
                       a.max_score, a.slots";

/// [`COLUMNS`] without the questions as asked (`slots` read as an empty list): what lists and
/// checks of attempts read, leaving the large `slots` text where it is.
const HEAD_COLUMNS: &str = "a.id, a.tenant_id, a.lesson_id, a.course_id, a.user_id, a.number, \
                            a.state, a.started_at, a.deadline, a.submitted_at, a.graded_at, \
                            a.score, a.max_score, '[]' AS slots";

fn attempt(r: &AnyRow) -> Result<Attempt> {
    let c = Cols::new(r, "");
    let slots: String = c.get("slots")?;
    Ok(Attempt {
        id: AttemptId::new(c.get::<String>("id")?),
        tenant_id: TenantId::new(c.get::<String>("tenant_id")?),
        lesson_id: LessonId::new(c.get::<String>("lesson_id")?),
        course_id: CourseId::new(c.get::<String>("course_id")?),
        user_id: UserId::new(c.get::<String>("user_id")?),
        number: c.get("number")?,
        state: c.word("state")?,
        started_at: c.at("started_at")?,
        deadline: c.at_opt("deadline")?,
        submitted_at: c.at_opt("submitted_at")?,
        graded_at: c.at_opt("graded_at")?,
        score: c.get("score")?,
        max_score: c.get("max_score")?,
        slots: serde_json::from_str(&slots).map_err(|e| corrupt("an attempt's questions", e))?,
    })
}

/// Stores a new attempt; a unique violation means another attempt took its number or is in
/// progress already.
pub async fn insert_attempt(conn: &mut Conn, a: &Attempt) -> Result<()> {
    let slots = serde_json::to_string(&a.slots).map_err(|e| corrupt("an attempt", e))?;
    sqlx::query(
        "INSERT INTO quiz_attempts (id, tenant_id, lesson_id, course_id, user_id, number, state, \
         started_at, deadline, submitted_at, graded_at, score, max_score, slots) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(a.id.as_str())
    .bind(a.tenant_id.as_str())
    .bind(a.lesson_id.as_str())
    .bind(a.course_id.as_str())
    .bind(a.user_id.as_str())
    .bind(a.number)
    .bind(a.state.as_str())
    .bind(to_micros(a.started_at))
    .bind(a.deadline.map(to_micros))
    .bind(a.submitted_at.map(to_micros))
    .bind(a.graded_at.map(to_micros))
    .bind(a.score)
    .bind(a.max_score)
    .bind(slots)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// One attempt of the school.
pub async fn attempt_by_id(
    conn: &mut Conn,
    tenant: &TenantId,
    id: &AttemptId,
) -> Result<Option<Attempt>> {
    let sql = format!("SELECT {COLUMNS} FROM quiz_attempts a WHERE a.tenant_id = $1 AND a.id = $2");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant.as_str())
        .bind(id.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(attempt).transpose()
}

/// An attempt without its questions (`slots` empty): who took it, its state and its score.
pub async fn attempt_head(
    conn: &mut Conn,
    tenant: &TenantId,
    id: &AttemptId,
) -> Result<Option<Attempt>> {
    let sql =
        format!("SELECT {HEAD_COLUMNS} FROM quiz_attempts a WHERE a.tenant_id = $1 AND a.id = $2");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant.as_str())
        .bind(id.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(attempt).transpose()
}

/// A student's attempts at a quiz, first to last, without their questions (`slots` empty).
pub async fn attempts_of(
    conn: &mut Conn,
    tenant: &TenantId,
    lesson: &LessonId,
    user: &UserId,
) -> Result<Vec<Attempt>> {
    let sql = format!(
        "SELECT {HEAD_COLUMNS} FROM quiz_attempts a WHERE a.tenant_id = $1 AND a.lesson_id = $2 \
         AND a.user_id = $3 ORDER BY a.number"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant.as_str())
        .bind(lesson.as_str())
        .bind(user.as_str())
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(attempt).collect()
}

const PAGES: Keyset = Keyset {
    name: "attempts",
    columns: &[("a.started_at", Kind::Int), ("a.id", Kind::Text)],
    desc: false,
};

/// A page of a quiz's attempts, every student's (`user`: one student's), oldest first, without
/// their questions (`slots` empty).
pub async fn lesson_attempts(
    conn: &mut Conn,
    tenant: &TenantId,
    lesson: &LessonId,
    user: Option<&UserId>,
    req: &PageRequest,
) -> Result<Page<Attempt>> {
    let mut select = format!(
        "SELECT {HEAD_COLUMNS} FROM quiz_attempts a WHERE a.tenant_id = $1 AND a.lesson_id = $2"
    );
    let mut params: Vec<Param> = vec![tenant.into(), lesson.into()];
    if let Some(u) = user {
        params.push(u.into());
        select.push_str(" AND a.user_id = $3");
    }
    PAGES
        .fetch(conn, req, &select, params, attempt, |a| {
            vec![to_micros(a.started_at).into(), (&a.id).into()]
        })
        .await
}

/// A quiz's attempts as its staff list them: those waiting for a teacher's grade first (the
/// longest waiting first), then the newest; at most `limit`, without their questions (`slots` empty); and how many there
/// are in all.
pub async fn for_staff(
    conn: &mut Conn,
    tenant: &TenantId,
    lesson: &LessonId,
    limit: i64,
) -> Result<(Vec<Attempt>, i64)> {
    let sql = format!(
        "SELECT {HEAD_COLUMNS} FROM quiz_attempts a WHERE a.tenant_id = $1 AND a.lesson_id = $2 \
         ORDER BY CASE WHEN a.state = 'submitted' THEN 0 ELSE 1 END, \
         CASE WHEN a.state = 'submitted' THEN a.submitted_at END ASC, a.started_at DESC, a.id DESC \
         LIMIT $3"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant.as_str())
        .bind(lesson.as_str())
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
    let total: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM quiz_attempts WHERE tenant_id = $1 AND lesson_id = $2",
    )
    .bind(tenant.as_str())
    .bind(lesson.as_str())
    .fetch_one(&mut *conn)
    .await?;
    Ok((rows.iter().map(attempt).collect::<Result<_>>()?, total))
}

/// The attempts in progress whose time ran out before `now`, at most `limit`: of every school,
/// or of one quiz (and one student of it).
pub async fn overdue(
    conn: &mut Conn,
    now: Timestamp,
    scope: Option<(&TenantId, &LessonId, Option<&UserId>)>,
    limit: i64,
) -> Result<Vec<(TenantId, AttemptId)>> {
    let mut sql = "SELECT tenant_id, id FROM quiz_attempts WHERE state = 'in_progress' \
                   AND deadline IS NOT NULL AND deadline < $1"
        .to_owned();
    if let Some((_, _, user)) = scope {
        sql.push_str(" AND tenant_id = $3 AND lesson_id = $4");
        if user.is_some() {
            sql.push_str(" AND user_id = $5");
        }
    }
    sql.push_str(" ORDER BY deadline LIMIT $2");
    let mut q = sqlx::query_as::<_, (String, String)>(sqlx::AssertSqlSafe(sql))
        .bind(to_micros(now))
        .bind(limit);
    if let Some((tenant, lesson, user)) = scope {
        q = q.bind(tenant.as_str()).bind(lesson.as_str());
        if let Some(u) = user {
            q = q.bind(u.as_str());
        }
    }
    let rows = q.fetch_all(&mut *conn).await?;
    Ok(rows
        .into_iter()
        .map(|(t, a)| (TenantId::new(t), AttemptId::new(a)))
        .collect())
}

/// Takes an attempt that is in progress and whose time has not run out at `now`, holding its
/// row until the transaction ends (a submission waits for a save, and the other way round);
/// `false` when it is no longer open.
pub async fn hold_open(
    conn: &mut Conn,
    tenant: &TenantId,
    id: &AttemptId,
    now: Timestamp,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE quiz_attempts SET state = state WHERE tenant_id = $1 AND id = $2 \
         AND state = 'in_progress' AND (deadline IS NULL OR deadline >= $3)",
    )
    .bind(tenant.as_str())
    .bind(id.as_str())
    .bind(to_micros(now))
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Holds an attempt's row until the transaction ends, whatever its deadline: one in progress
/// (`in_progress`) or one submitted (not); `false` when it is not in that state. A submission
/// and a save, or two teachers' grades, then take turns.
pub async fn hold(
    conn: &mut Conn,
    tenant: &TenantId,
    id: &AttemptId,
    in_progress: bool,
) -> Result<bool> {
    let sql = if in_progress {
        "UPDATE quiz_attempts SET state = state WHERE tenant_id = $1 AND id = $2 \
         AND state = 'in_progress'"
    } else {
        "UPDATE quiz_attempts SET state = state WHERE tenant_id = $1 AND id = $2 \
         AND state <> 'in_progress'"
    };
    let done = sqlx::query(sql)
        .bind(tenant.as_str())
        .bind(id.as_str())
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Ends an attempt in progress: `submitted` (an essay waits) or `graded` with its score.
/// `false` when it had ended already.
pub async fn close_attempt(
    conn: &mut Conn,
    tenant: &TenantId,
    id: &AttemptId,
    state: AttemptState,
    submitted_at: Timestamp,
    score: Option<i64>,
) -> Result<bool> {
    let graded_at = (state == AttemptState::Graded).then_some(to_micros(submitted_at));
    let done = sqlx::query(
        "UPDATE quiz_attempts SET state = $1, submitted_at = $2, graded_at = $3, score = $4 \
         WHERE tenant_id = $5 AND id = $6 AND state = 'in_progress'",
    )
    .bind(state.as_str())
    .bind(to_micros(submitted_at))
    .bind(graded_at)
    .bind(score)
    .bind(tenant.as_str())
    .bind(id.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records a submitted attempt's grade once its last essay is graded (or a regrade).
pub async fn grade_attempt(
    conn: &mut Conn,
    tenant: &TenantId,
    id: &AttemptId,
    state: AttemptState,
    score: Option<i64>,
    at: Timestamp,
) -> Result<bool> {
    let graded_at = (state == AttemptState::Graded).then_some(to_micros(at));
    let done = sqlx::query(
        "UPDATE quiz_attempts SET state = $1, graded_at = $2, score = $3 \
         WHERE tenant_id = $4 AND id = $5 AND state <> 'in_progress'",
    )
    .bind(state.as_str())
    .bind(graded_at)
    .bind(score)
    .bind(tenant.as_str())
    .bind(id.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A student's answer to one question of an attempt, and its grade once given.
#[derive(Debug, Clone)]
pub struct SavedAnswer {
    /// The question's place in the attempt, from 1.
    pub slot: i64,
    pub response: Option<Response>,
    pub saved_at: Timestamp,
    pub fraction: Option<Fraction>,
    pub comment: String,
}

/// Saves (or replaces) the responses to slots of an attempt, one statement a batch; a slot
/// named twice keeps its last response.
pub async fn save_answers(
    conn: &mut Conn,
    tenant: &TenantId,
    attempt: &AttemptId,
    user: &UserId,
    answers: &[(i64, Response)],
    now: Timestamp,
) -> Result<()> {
    let mut last = std::collections::BTreeMap::new();
    for (slot, r) in answers {
        last.insert(*slot, r);
    }
    let mut rows = Vec::with_capacity(last.len());
    for (slot, r) in last {
        rows.push((
            slot,
            serde_json::to_string(r).map_err(|e| corrupt("an answer", e))?,
        ));
    }
    let batch = crate::Batch::of(conn);
    for chunk in rows.chunks(batch.rows(6)) {
        let sql = format!(
            "INSERT INTO quiz_answers (attempt_id, tenant_id, user_id, slot, response, saved_at) \
             VALUES {} ON CONFLICT (attempt_id, slot) DO UPDATE \
             SET response = excluded.response, saved_at = excluded.saved_at",
            batch.tuples(chunk.len(), 6)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (slot, json) in chunk {
            q = q
                .bind(attempt.as_str())
                .bind(tenant.as_str())
                .bind(user.as_str())
                .bind(*slot)
                .bind(json.clone())
                .bind(to_micros(now));
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Sets the grades of slots, each with a comment (a slot the student left blank gets its
/// row), and who gave them (`None`: the program); one statement a batch, a slot named twice
/// keeping its last grade.
pub async fn set_grades(
    conn: &mut Conn,
    tenant: &TenantId,
    attempt: &AttemptId,
    user: &UserId,
    grades: &[(i64, Fraction, &str)],
    by: Option<&UserId>,
    now: Timestamp,
) -> Result<()> {
    let mut last = std::collections::BTreeMap::new();
    for (slot, f, comment) in grades {
        last.insert(*slot, (*f, *comment));
    }
    let rows: Vec<(i64, (Fraction, &str))> = last.into_iter().collect();
    let batch = crate::Batch::of(conn);
    for chunk in rows.chunks(batch.rows(8)) {
        let sql = format!(
            "INSERT INTO quiz_answers (attempt_id, tenant_id, user_id, slot, response, saved_at, \
             fraction, comment, graded_by) VALUES {} \
             ON CONFLICT (attempt_id, slot) DO UPDATE SET fraction = excluded.fraction, \
             comment = excluded.comment, graded_by = excluded.graded_by",
            batch.tuples_of(chunk.len(), "({}, {}, {}, {}, NULL, {}, {}, {}, {})")
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (slot, (f, comment)) in chunk {
            q = q
                .bind(attempt.as_str())
                .bind(tenant.as_str())
                .bind(user.as_str())
                .bind(*slot)
                .bind(to_micros(now))
                .bind(i64::from(f.units()))
                .bind(comment.to_string())
                .bind(by.map(|u| u.as_str().to_owned()));
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// An attempt's answers by slot.
pub async fn answers(
    conn: &mut Conn,
    tenant: &TenantId,
    attempt: &AttemptId,
) -> Result<Vec<SavedAnswer>> {
    let rows = sqlx::query(
        "SELECT slot, response, saved_at, fraction, comment FROM quiz_answers \
         WHERE tenant_id = $1 AND attempt_id = $2 ORDER BY slot",
    )
    .bind(tenant.as_str())
    .bind(attempt.as_str())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let c = Cols::new(r, "");
            let response: Option<String> = c.get("response")?;
            let fraction: Option<i64> = c.get("fraction")?;
            Ok(SavedAnswer {
                slot: c.get("slot")?,
                response: response
                    .map(|j| serde_json::from_str(&j).map_err(|e| corrupt("an answer", e)))
                    .transpose()?,
                saved_at: c.at("saved_at")?,
                fraction: fraction
                    .and_then(|f| i32::try_from(f).ok())
                    .and_then(Fraction::from_units),
                comment: c.get("comment")?,
            })
        })
        .collect()
}

/// Every ended attempt (submitted or graded) at the quizzes of a course, without their
/// questions (`slots` empty), each student's first to last: what the gradebook reads.
pub async fn course_attempts(
    conn: &mut Conn,
    tenant: &TenantId,
    course: &CourseId,
) -> Result<Vec<Attempt>> {
    let sql = format!(
        "SELECT {HEAD_COLUMNS} FROM quiz_attempts a WHERE a.tenant_id = $1 AND a.course_id = $2 \
         AND a.state <> 'in_progress' ORDER BY a.lesson_id, a.user_id, a.number"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant.as_str())
        .bind(course.as_str())
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(attempt).collect()
}

/// The settings of every quiz of a course, by lesson.
pub async fn course_settings(
    conn: &mut Conn,
    tenant: &TenantId,
    course: &CourseId,
) -> Result<Vec<(LessonId, QuizSettings)>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT q.lesson_id, q.settings FROM quizzes q \
         JOIN lessons l ON l.id = q.lesson_id AND l.tenant_id = q.tenant_id \
         WHERE q.tenant_id = $1 AND l.course_id = $2",
    )
    .bind(tenant.as_str())
    .bind(course.as_str())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|(id, json)| {
            let s = serde_json::from_str(&json).map_err(|e| corrupt("quiz settings", e))?;
            Ok((LessonId::new(id), s))
        })
        .collect()
}
