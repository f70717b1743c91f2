//! A student's attempts at a quiz: starting one (its questions drawn and fixed), saving answers
//! as they go, submitting (or running out of time: the attempt is submitted with what was
//! saved, and later answers are refused), the grade over attempts that completes the lesson,
//! and a teacher's grades for essays.

use educenter_domain::clock::local_date;
use educenter_domain::ids::{AttemptId, LessonId, TenantId, UserId};
use educenter_domain::questions::Fraction;
use educenter_domain::quiz::{
    self, AttemptState, MAX_QUESTIONS, QuizSettings, Response, ResponseError, Review,
};
use educenter_store::audit::{self, Actor, Entry};
use educenter_store::page::{Page, PageRequest};
use educenter_store::quizzes::{Attempt, SavedAnswer};
use educenter_store::{content as content_store, new_id};
use jiff::{SignedDuration, Timestamp};

use super::grading::{draw, grade_slots, max_score, outcome};
use super::*;
use crate::jobs::Job as _;

/// An attempt with its answers and what its reader may see of it.
#[derive(Debug, Clone)]
pub struct AttemptDetail {
    pub attempt: Attempt,
    pub answers: Vec<SavedAnswer>,
    /// What the reader sees once it is submitted: the quiz's review settings for its student,
    /// everything for the school's staff.
    pub review: Review,
    /// The quiz's grade to pass, in percent.
    pub pass_percent: Option<u32>,
}

impl AttemptDetail {
    /// The attempt's grade in ten-millionths of its maximum, once graded.
    pub fn grade(&self) -> Option<i64> {
        self.attempt
            .score
            .map(|s| quiz::grade_of(s, self.attempt.max_score))
    }

    /// Whether the attempt reached the grade to pass (`None` until it is graded).
    pub fn passed(&self) -> Option<bool> {
        self.grade().map(|g| quiz::passes(g, self.pass_percent))
    }

    /// The saved answer to a slot (from 1).
    pub fn answer(&self, slot: i64) -> Option<&SavedAnswer> {
        self.answers.iter().find(|a| a.slot == slot)
    }
}

pub(super) fn learner(who: &Principal) -> Result<TenantId, ServiceError> {
    crate::access::require_learner(who).cloned()
}

/// What a student acts on: a quiz lesson or an attempt.
enum Object<'a> {
    Lesson(&'a LessonId),
    Attempt(&'a AttemptId),
}

/// The student's school. Anyone else is refused: "not found" when the object is not of their
/// school (as any other school's object answers), "students only" when it is.
async fn student_of(
    services: &Services,
    who: &Principal,
    object: Object<'_>,
) -> Result<TenantId, ServiceError> {
    let refused = match learner(who) {
        Ok(t) => return Ok(t),
        Err(e) => e,
    };
    let Some(tenant) = &who.tenant_id else {
        return Err(refused);
    };
    let mut conn = services.db.conn().await?;
    let ours = match object {
        Object::Lesson(id) => content_store::lesson(&mut conn, tenant, id)
            .await?
            .is_some_and(|l| l.deleted_at.is_none()),
        Object::Attempt(id) => store::attempt_by_id(&mut conn, tenant, id).await?.is_some(),
    };
    Err(if ours {
        refused
    } else {
        match object {
            Object::Lesson(_) => ServiceError::NotFound(Msg::new("err-no-lesson")),
            Object::Attempt(_) => no_attempt(),
        }
    })
}

fn no_attempt() -> ServiceError {
    ServiceError::NotFound(Msg::new("err-no-attempt"))
}

async fn detail(
    conn: &mut Conn,
    attempt: Attempt,
    staff: bool,
) -> Result<AttemptDetail, ServiceError> {
    let settings = store::settings(conn, &attempt.tenant_id, &attempt.lesson_id).await?;
    let answers = store::answers(conn, &attempt.tenant_id, &attempt.id).await?;
    let review = match (&settings, staff) {
        (_, true) => Review {
            score: true,
            right_answers: true,
            feedback: true,
        },
        (Some(s), false) => s.review,
        (None, false) => Review::default(),
    };
    Ok(AttemptDetail {
        attempt,
        answers,
        review,
        pass_percent: settings.and_then(|s| s.pass_percent),
    })
}

/// Starts an attempt at a quiz the student may open, or answers the one in progress (`false`:
/// not a new one). Refused when no attempt is left or the delay after the last has not passed.
pub async fn start(
    services: &Services,
    who: &Principal,
    lesson_id: &str,
) -> Result<(AttemptDetail, bool), ServiceError> {
    let lesson_id = &LessonId::new(lesson_id);
    let tenant = student_of(services, who, Object::Lesson(lesson_id)).await?;
    close_overdue(services, Some((&tenant, lesson_id, Some(&who.user_id)))).await?;
    // To the microsecond, as stored: the answer built here reads as a later read of it does.
    let now = services.clock.now();
    let now = Timestamp::from_microsecond(now.as_microsecond()).unwrap_or(now);
    let mut tx = services.db.begin().await?;
    let not_found = || ServiceError::NotFound(Msg::new("err-no-lesson"));
    let (lesson, settings) = live_quiz(&mut tx, &tenant, lesson_id).await?;
    let course = crate::learning::published_course(&mut tx, &tenant, &lesson.course_id).await?;
    let outline = crate::learning::outline_in(
        services,
        &mut tx,
        &tenant,
        &who.user_id,
        course,
        local_date(now),
    )
    .await?;
    let view = outline
        .lessons()
        .find(|v| v.lesson.id == *lesson_id)
        .ok_or_else(not_found)?;
    if view.state.is_locked() {
        return Err(ServiceError::Forbidden(Msg::new("err-lesson-locked")));
    }
    let previous = store::attempts_of(&mut tx, &tenant, lesson_id, &who.user_id).await?;
    if let Some(open) = previous
        .iter()
        .find(|a| a.state == AttemptState::InProgress)
    {
        let open = store::attempt_by_id(&mut tx, &tenant, &open.id)
            .await?
            .ok_or_else(no_attempt)?;
        let d = detail(&mut tx, open, false).await?;
        return Ok((d, false));
    }
    check_may_start(&settings, &previous, now)?;
    let slots = draw(&mut tx, &tenant, &settings).await?;
    let attempt = Attempt {
        id: AttemptId::new(new_id()),
        tenant_id: tenant.clone(),
        lesson_id: lesson_id.clone(),
        course_id: lesson.course_id.clone(),
        user_id: who.user_id.clone(),
        number: previous.len() as i64 + 1,
        state: AttemptState::InProgress,
        started_at: now,
        deadline: settings
            .time_limit_minutes
            .map(|m| now + SignedDuration::from_mins(i64::from(m))),
        submitted_at: None,
        graded_at: None,
        score: None,
        max_score: max_score(&slots),
        slots,
    };
    match store::insert_attempt(&mut tx, &attempt).await {
        Ok(()) => {}
        Err(e) if e.is_unique_violation() => {
            // A second tab started one at the same moment: that one is the attempt.
            drop(tx);
            let mut conn = services.db.conn().await?;
            let open = store::attempts_of(&mut conn, &tenant, lesson_id, &who.user_id)
                .await?
                .into_iter()
                .find(|a| a.state == AttemptState::InProgress)
                .ok_or_else(|| ServiceError::Conflict(Msg::new("err-attempt-busy")))?;
            let open = store::attempt_by_id(&mut conn, &tenant, &open.id)
                .await?
                .ok_or_else(no_attempt)?;
            return Ok((detail(&mut conn, open, false).await?, false));
        }
        Err(e) => return Err(e.into()),
    }
    // Submitted when its time runs out, whether or not its student comes back.
    if let Some(deadline) = attempt.deadline {
        let job = CloseAttempt {
            tenant_id: tenant.to_string(),
            attempt_id: attempt.id.to_string(),
        }
        .job(deadline + SignedDuration::from_secs(1))
        .idempotency_key(format!("quiz-attempt:{}:deadline", attempt.id));
        educenter_store::jobs::enqueue(&mut tx, &job, now).await?;
    }
    let entry = who
        .audit("quiz.attempt.start")
        .tenant(tenant.clone())
        .target("attempt", attempt.id.clone());
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    // A new attempt has no answers yet; its reader is its student.
    let d = AttemptDetail {
        attempt,
        answers: Vec::new(),
        review: settings.review,
        pass_percent: settings.pass_percent,
    };
    Ok((d, true))
}

/// Whether the settings let a student start another attempt after `previous` at `now`.
pub(super) fn check_may_start(
    settings: &QuizSettings,
    previous: &[Attempt],
    now: Timestamp,
) -> Result<(), ServiceError> {
    if let Some(n) = settings.attempts
        && previous.len() >= n as usize
    {
        return Err(ServiceError::Conflict(
            Msg::new("err-no-attempts-left").num("count", i64::from(n)),
        ));
    }
    let last_end = previous.iter().filter_map(|a| a.submitted_at).max();
    if settings.delay_minutes > 0
        && let Some(end) = last_end
    {
        let opens = end + SignedDuration::from_mins(i64::from(settings.delay_minutes));
        if now < opens {
            let minutes = ((opens - now).as_secs() + 59).div_euclid(60);
            return Err(ServiceError::Conflict(
                Msg::new("err-attempt-wait").num("minutes", minutes),
            ));
        }
    }
    Ok(())
}

/// The signed-in student's attempt, or for the school's staff any attempt at a quiz of theirs
/// (a teacher: of their courses). An attempt whose time ran out is submitted first.
pub async fn attempt(
    services: &Services,
    who: &Principal,
    id: &str,
) -> Result<AttemptDetail, ServiceError> {
    let id = &AttemptId::new(id);
    let (tenant, staff) = reader_of(who)?;
    let mut conn = services.db.conn().await?;
    let a = own_or_staff(&mut conn, who, &tenant, staff.as_ref(), id, false).await?;
    if a.state == AttemptState::InProgress && overdue(&a, services.clock.now()) {
        drop(conn);
        finish(services, None, &tenant, id).await?;
        conn = services.db.conn().await?;
    }
    let a = store::attempt_by_id(&mut conn, &tenant, id)
        .await?
        .ok_or_else(no_attempt)?;
    detail(&mut conn, a, staff.is_some()).await
}

fn overdue(a: &Attempt, now: Timestamp) -> bool {
    a.deadline.is_some_and(|d| now > d)
}

/// The school and, for its staff, their scope (`None`: a student).
fn reader_of(
    who: &Principal,
) -> Result<(TenantId, Option<crate::access::TenantScope>), ServiceError> {
    match learner(who) {
        Ok(t) => Ok((t, None)),
        Err(_) => {
            let s = crate::content::reader(who)?;
            Ok((s.tenant().clone(), Some(s)))
        }
    }
}

/// The attempt if the reader may read it (`full`: with its questions, else without).
async fn own_or_staff(
    conn: &mut Conn,
    who: &Principal,
    tenant: &TenantId,
    staff: Option<&crate::access::TenantScope>,
    id: &AttemptId,
    full: bool,
) -> Result<Attempt, ServiceError> {
    let a = if full {
        store::attempt_by_id(conn, tenant, id).await?
    } else {
        store::attempt_head(conn, tenant, id).await?
    }
    .ok_or_else(no_attempt)?;
    match staff {
        None if a.user_id != who.user_id => Err(no_attempt()),
        None => Ok(a),
        Some(s) => {
            s.check(conn, &a.course_id)
                .await
                .map_err(|_| no_attempt())?;
            Ok(a)
        }
    }
}

/// What a save kept.
#[derive(Debug, Clone, Copy)]
pub struct Saved {
    pub saved: usize,
    pub deadline: Option<Timestamp>,
}

/// Saves the student's answers to some of an attempt's questions (each replaces the last saved
/// for its question). Refused once the attempt is submitted or its time has run out (it is
/// then submitted with what was saved before).
pub async fn save_answers(
    services: &Services,
    who: &Principal,
    id: &str,
    answers: Vec<(i64, Response)>,
) -> Result<Saved, ServiceError> {
    let id = &AttemptId::new(id);
    let tenant = student_of(services, who, Object::Attempt(id)).await?;
    let now = services.clock.now();
    if answers.len() > MAX_QUESTIONS {
        return Err(ServiceError::Invalid(vec![(
            "answers".into(),
            Msg::new("err-range")
                .num("min", 0)
                .num("max", MAX_QUESTIONS as i64),
        )]));
    }
    let mut tx = services.db.begin().await?;
    let a = own_or_staff(&mut tx, who, &tenant, None, id, true).await?;
    let mut errors = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, (slot, r)) in answers.iter().enumerate() {
        let question = slot
            .checked_sub(1)
            .and_then(|at| usize::try_from(at).ok())
            .and_then(|at| a.slots.get(at))
            .map(|s| &s.question);
        let Some(q) = question.filter(|_| seen.insert(*slot)) else {
            errors.push((format!("answers[{i}].slot"), Msg::new("err-no-slot")));
            continue;
        };
        if let Err(e) = quiz::check_response(q, r) {
            let key = match e {
                ResponseError::WrongShape => "err-answer-shape",
                ResponseError::UnknownChoice => "err-answer-choice",
                ResponseError::OneChoice => "err-answer-one-choice",
                ResponseError::TooLong => "err-answer-too-long",
            };
            errors.push((
                format!("answers[{i}]"),
                Msg::new(key).key("type", format!("question-type-{}", q.kind)),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    if !store::hold_open(&mut tx, &tenant, id, now).await? {
        drop(tx);
        let key = if a.state == AttemptState::InProgress {
            // Its time ran out: it is submitted (by the platform) with the answers saved before.
            finish(services, None, &tenant, id).await?;
            "err-attempt-time-up"
        } else {
            "err-attempt-closed"
        };
        return Err(ServiceError::Conflict(Msg::new(key)));
    }
    store::save_answers(&mut tx, &tenant, id, &a.user_id, &answers, now).await?;
    tx.commit().await?;
    Ok(Saved {
        saved: answers.len(),
        deadline: a.deadline,
    })
}

/// Submits the student's attempt with the answers saved (submitting one already submitted
/// answers it as it is).
pub async fn submit(
    services: &Services,
    who: &Principal,
    id: &str,
) -> Result<AttemptDetail, ServiceError> {
    let attempt_id = &AttemptId::new(id);
    let tenant = student_of(services, who, Object::Attempt(attempt_id)).await?;
    {
        let mut conn = services.db.conn().await?;
        own_or_staff(&mut conn, who, &tenant, None, attempt_id, false).await?;
    }
    finish(services, Some(who), &tenant, attempt_id).await?;
    let mut conn = services.db.conn().await?;
    let a = store::attempt_by_id(&mut conn, &tenant, attempt_id)
        .await?
        .ok_or_else(no_attempt)?;
    detail(&mut conn, a, false).await
}

/// Ends an attempt in progress: grades what was saved (an essay waits for a teacher), and
/// completes the lesson when the quiz's grade over the student's attempts passes. Submitted
/// when the student says so, or when its time ran out (`who`: `None`, the platform), at the
/// earlier of now and its deadline. An attempt already ended is left as it is.
pub(crate) async fn finish(
    services: &Services,
    who: Option<&Principal>,
    tenant: &TenantId,
    id: &AttemptId,
) -> Result<(), ServiceError> {
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    // The row first: a save under way finishes before the answers are read, and one that
    // comes after finds the attempt closed.
    if !store::hold(&mut tx, tenant, id, true).await? {
        return Ok(());
    }
    let Some(a) = store::attempt_by_id(&mut tx, tenant, id).await? else {
        return Ok(());
    };
    let answers = store::answers(&mut tx, tenant, id).await?;
    let grades = grade_slots(&a.slots, &answers, false);
    let (state, score) = outcome(&a.slots, &grades);
    let at = a.deadline.map_or(now, |d| d.min(now));
    if !store::close_attempt(&mut tx, tenant, id, state, at, score).await? {
        return Ok(());
    }
    let auto: Vec<(i64, Fraction, &str)> = grades
        .iter()
        .filter_map(|g| g.fraction.map(|f| (g.slot, f, "")))
        .collect();
    store::set_grades(&mut tx, tenant, id, &a.user_id, &auto, None, now).await?;
    let entry = match who {
        Some(w) => w.audit("quiz.attempt.submit"),
        None => Entry::new(Actor::System, "quiz.attempt.submit"),
    }
    .tenant(tenant.clone())
    .target("attempt", id.clone());
    audit::record(&mut tx, &entry, now).await?;
    if state == AttemptState::Graded {
        after_grade(services, &mut tx, who, tenant, &a.lesson_id, &a.user_id).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Completes the quiz lesson for its student when their grade over their graded attempts
/// passes.
async fn after_grade(
    services: &Services,
    tx: &mut Conn,
    who: Option<&Principal>,
    tenant: &TenantId,
    lesson_id: &LessonId,
    user_id: &UserId,
) -> Result<(), ServiceError> {
    let Some(settings) = store::settings(tx, tenant, lesson_id).await? else {
        return Ok(());
    };
    let grades: Vec<Option<i64>> = store::attempts_of(tx, tenant, lesson_id, user_id)
        .await?
        .iter()
        .filter(|a| a.state != AttemptState::InProgress)
        .map(|a| a.score.map(|s| quiz::grade_of(s, a.max_score)))
        .collect();
    if quiz::overall(settings.grading, &grades)
        .is_some_and(|g| quiz::passes(g, settings.pass_percent))
    {
        crate::learning::complete_for(services, tx, who, tenant, user_id, lesson_id).await?;
    }
    Ok(())
}

/// A page of a quiz's attempts: the student's own, or every student's for the school's staff.
pub async fn attempts(
    services: &Services,
    who: &Principal,
    lesson_id: &str,
    req: &PageRequest,
) -> Result<Page<Attempt>, ServiceError> {
    let lesson_id = &LessonId::new(lesson_id);
    let (tenant, staff) = reader_of(who)?;
    {
        let mut conn = services.db.conn().await?;
        let (lesson, _) = live_quiz(&mut conn, &tenant, lesson_id).await?;
        if let Some(s) = &staff {
            s.check(&mut conn, &lesson.course_id).await?;
        }
    }
    let user = staff.is_none().then_some(&who.user_id);
    close_overdue(services, Some((&tenant, lesson_id, user))).await?;
    let mut conn = services.db.conn().await?;
    let page = store::lesson_attempts(&mut conn, &tenant, lesson_id, user, req).await?;
    // A student sees the scores only where the quiz shows them.
    let hide = staff.is_none()
        && !store::settings(&mut conn, &tenant, lesson_id)
            .await?
            .is_some_and(|s| s.review.score);
    Ok(page.map(|mut a| {
        if hide {
            a.score = None;
        }
        a
    }))
}

/// A student as the staff's pages name them: full name and e-mail.
pub type Named = (String, String);

/// How many attempts the staff's list shows.
pub const STAFF_LIST: i64 = 200;

/// A quiz's attempts for the school's staff (a teacher: of their courses), each with its
/// student (`None`: no longer there): those waiting for a grade first, then the newest, at
/// most [`STAFF_LIST`]; and how many there are in all.
pub async fn attempts_of_students(
    services: &Services,
    who: &Principal,
    lesson_id: &str,
) -> Result<(Vec<(Attempt, Option<Named>)>, i64), ServiceError> {
    let lesson_id = &LessonId::new(lesson_id);
    let scope = crate::content::reader(who)?;
    let tenant = scope.tenant().clone();
    {
        let mut conn = services.db.conn().await?;
        let (lesson, _) = live_quiz(&mut conn, &tenant, lesson_id).await?;
        scope.check(&mut conn, &lesson.course_id).await?;
    }
    close_overdue(services, Some((&tenant, lesson_id, None))).await?;
    let mut conn = services.db.conn().await?;
    let (list, total) = store::for_staff(&mut conn, &tenant, lesson_id, STAFF_LIST).await?;
    let ids: Vec<UserId> = list.iter().map(|a| a.user_id.clone()).collect();
    let people = educenter_store::accounts::of_school(&mut conn, &tenant, &ids).await?;
    let named = list
        .into_iter()
        .map(|a| {
            let person = people
                .iter()
                .find(|u| u.id == a.user_id)
                .map(|u| (u.full_name.clone(), u.email.clone()));
            (a, person)
        })
        .collect();
    Ok((named, total))
}

/// The student of an attempt the school's staff read (`None`: no longer there).
pub async fn student_of_attempt(
    services: &Services,
    who: &Principal,
    attempt: &Attempt,
) -> Result<Option<Named>, ServiceError> {
    student_named(services, who, &attempt.user_id).await
}

/// A student of the school as the staff's pages name them (`None`: no longer there).
pub async fn student_named(
    services: &Services,
    who: &Principal,
    user: &UserId,
) -> Result<Option<Named>, ServiceError> {
    let tenant = crate::content::reader(who)?.tenant().clone();
    let mut conn = services.db.conn().await?;
    let ids = [user.clone()];
    Ok(
        educenter_store::accounts::of_school(&mut conn, &tenant, &ids)
            .await?
            .pop()
            .map(|u| (u.full_name, u.email)),
    )
}

/// A teacher's grade for one question of an attempt.
#[derive(Debug, Clone)]
pub struct GradeInput {
    pub slot: i64,
    /// -1 to 1 (of the question's marks).
    pub fraction: f64,
    pub comment: String,
}

/// Grades questions of a submitted attempt by hand (an essay, or a regrade); once no question
/// waits, the attempt is graded and may complete the lesson.
pub async fn grade(
    services: &Services,
    who: &Principal,
    id: &str,
    grades: Vec<GradeInput>,
    origin: educenter_store::audit::Origin,
) -> Result<AttemptDetail, ServiceError> {
    let id = &AttemptId::new(id);
    let s = crate::content::editor(who)?;
    let tenant = s.tenant().clone();
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let a = own_or_staff(&mut tx, who, &tenant, Some(&s), id, true).await?;
    // The row first: two teachers grading one attempt take turns, each reading the other's.
    if !store::hold(&mut tx, &tenant, id, false).await? {
        return Err(ServiceError::Conflict(Msg::new("err-attempt-in-progress")));
    }
    let mut errors = Vec::new();
    if grades.is_empty() || grades.len() > a.slots.len() {
        errors.push((
            "grades".into(),
            Msg::new("err-range")
                .num("min", 1)
                .num("max", a.slots.len() as i64),
        ));
    }
    let mut parsed = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, g) in grades.iter().enumerate() {
        if g.slot < 1 || g.slot as usize > a.slots.len() || !seen.insert(g.slot) {
            errors.push((format!("grades[{i}].slot"), Msg::new("err-no-slot")));
        }
        match Fraction::from_f64(g.fraction) {
            Some(f) => parsed.push((g.slot, f, g.comment.trim())),
            None => errors.push((
                format!("grades[{i}].fraction"),
                Msg::new("err-range").num("min", -1).num("max", 1),
            )),
        }
        if let Some(m) = Msg::text_error(&g.comment, 0, 10_000, true) {
            errors.push((format!("grades[{i}].comment"), m));
        }
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    store::set_grades(
        &mut tx,
        &tenant,
        id,
        &a.user_id,
        &parsed,
        Some(&who.user_id),
        now,
    )
    .await?;
    let answers = store::answers(&mut tx, &tenant, id).await?;
    let slot_grades = grade_slots(&a.slots, &answers, true);
    let (state, score) = outcome(&a.slots, &slot_grades);
    store::grade_attempt(&mut tx, &tenant, id, state, score, now).await?;
    let entry = who
        .writing(now, origin)
        .audit("quiz.attempt.grade")
        .tenant(tenant.clone())
        .target("attempt", id.clone());
    audit::record(&mut tx, &entry, now).await?;
    if state == AttemptState::Graded {
        after_grade(
            services,
            &mut tx,
            Some(who),
            &tenant,
            &a.lesson_id,
            &a.user_id,
        )
        .await?;
    }
    let a = store::attempt_by_id(&mut tx, &tenant, id)
        .await?
        .ok_or_else(no_attempt)?;
    let d = detail(&mut tx, a, true).await?;
    tx.commit().await?;
    Ok(d)
}

/// Submits the attempts whose time ran out (of one quiz and student, or everywhere) with what
/// they saved; answers how many.
pub async fn close_overdue(
    services: &Services,
    scope: Option<(&TenantId, &LessonId, Option<&UserId>)>,
) -> Result<usize, ServiceError> {
    let now = services.clock.now();
    let due = {
        let mut conn = services.db.conn().await?;
        store::overdue(&mut conn, now, scope, 10_000).await?
    };
    for (tenant, id) in &due {
        finish(services, None, tenant, id).await?;
    }
    Ok(due.len())
}

/// Submits one attempt a second after its time ran out (queued with the attempt), unless it
/// was submitted before: an attempt whose student never comes back is graded at its deadline.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct CloseAttempt {
    pub tenant_id: String,
    pub attempt_id: String,
}

impl crate::jobs::Job for CloseAttempt {
    const KIND: &'static str = "quiz.close_attempt";

    async fn run(self, ctx: crate::jobs::JobContext) -> anyhow::Result<()> {
        let tenant = TenantId::new(self.tenant_id);
        finish(
            &ctx.services,
            None,
            &tenant,
            &AttemptId::new(self.attempt_id),
        )
        .await?;
        Ok(())
    }
}

/// Submits every attempt whose time ran out (the daily safety net behind [`CloseAttempt`]).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct CloseOverdue {}

impl crate::jobs::Job for CloseOverdue {
    const KIND: &'static str = "quiz.close_overdue";

    async fn run(self, ctx: crate::jobs::JobContext) -> anyhow::Result<()> {
        let closed = close_overdue(&ctx.services, None).await?;
        if closed > 0 {
            tracing::info!(attempts = closed, "submitted attempts whose time ran out");
        }
        Ok(())
    }
}

/// Registers the submission of attempts whose time ran out: each attempt's own job, and once a
/// day (at 04:00, with the trash's purge) a sweep for any attempt its job left open (one
/// started before the jobs existed, or whose job failed for good).
pub fn register(registry: &mut crate::jobs::JobRegistry) {
    registry.job::<CloseAttempt>();
    if let Ok(at) = educenter_domain::schedule::Schedule::daily_at(4, 0) {
        registry.every::<CloseOverdue>(at);
    }
}
