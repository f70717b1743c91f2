//! The staff's side of assignments: the queue of work across their courses, a submission's
//! thread, decisions (accept or return, with a grade and a comment), and comments of either
//! side.

use educenter_domain::assignments::{Decision, EntryKind, MAX_GRADE, SubmissionState};
use educenter_domain::ids::{CourseId, SubmissionId};
use educenter_domain::roles::AccountKind;
use educenter_store::page::{Page, PageRequest};

use super::*;
use store::{QueueFilter, QueueRow};

/// What the queue shows: work in one state (default: waiting) of one course (default: all the
/// person reviews).
#[derive(Debug, Clone, Default)]
pub struct QueueInput {
    /// `submitted`, `returned`, `accepted` or `all`.
    pub state: Option<String>,
    pub course_id: Option<String>,
}

/// A page of the submissions the person reviews (a teacher: of the courses assigned to them),
/// the longest waiting first.
pub async fn queue(
    services: &Services,
    who: &Principal,
    input: &QueueInput,
    req: &PageRequest,
) -> Result<Page<QueueRow>, ServiceError> {
    let scope = crate::content::reader(who)?;
    let state = match input.state.as_deref().map(str::trim) {
        None | Some("") => Some(SubmissionState::Submitted),
        Some("all") => None,
        Some(s) => Some(SubmissionState::parse(s).ok_or_else(|| {
            ServiceError::Invalid(vec![(
                "state".into(),
                Msg::one_of_words::<SubmissionState>(),
            )])
        })?),
    };
    let filter = QueueFilter {
        state,
        course: input
            .course_id
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(CourseId::new),
        teacher: scope.teacher().cloned(),
    };
    let mut conn = services.db.conn().await?;
    Ok(store::queue(&mut conn, scope.tenant(), &filter, req).await?)
}

/// A submission for the person reading it: its student, or the school's staff who review its
/// course; anyone else reads "not found". Answers it and whether the reader is staff.
async fn readable(
    conn: &mut Conn,
    who: &Principal,
    id: &SubmissionId,
) -> Result<(Submission, bool), ServiceError> {
    if who.kind == AccountKind::Learner {
        let tenant = crate::access::require_learner(who)?;
        let s = store::get(conn, tenant, id)
            .await?
            .filter(|s| s.user_id == who.user_id)
            .ok_or_else(no_submission)?;
        return Ok((s, false));
    }
    let scope = crate::content::reader(who)?;
    let s = store::get(conn, scope.tenant(), id)
        .await?
        .ok_or_else(no_submission)?;
    scope
        .check(conn, &s.course_id)
        .await
        .map_err(|_| no_submission())?;
    Ok((s, true))
}

/// A submission with its thread, for its student or the staff who review it.
pub async fn work(services: &Services, who: &Principal, id: &str) -> Result<Work, ServiceError> {
    let mut conn = services.db.conn().await?;
    let (s, _) = readable(&mut conn, who, &SubmissionId::new(id)).await?;
    work_of(&mut conn, s).await
}

/// The student of a submission as the staff's pages name them (full name, e-mail).
pub async fn student_of(
    services: &Services,
    who: &Principal,
    s: &Submission,
) -> Result<Option<(String, String)>, ServiceError> {
    crate::quizzes::student_named(services, who, &s.user_id).await
}

/// A teacher's decision on work that waits.
#[derive(Debug, Clone, Default)]
pub struct ReviewInput {
    /// `accept` or `return`.
    pub decision: String,
    /// Points, 0 to 100 (`None`: no grade, or the one given before).
    pub grade: Option<i64>,
    /// Why it is returned (required then), or a word with the acceptance.
    pub comment: String,
}

/// Accepts waiting work (the lesson is then complete for the student) or returns it for
/// revision with a comment; the student is e-mailed either way. Work that no longer waits
/// (decided by another teacher, or returned and not answered yet) is a conflict.
pub async fn decide(
    services: &Services,
    who: &Principal,
    id: &str,
    input: ReviewInput,
    origin: Origin,
) -> Result<Work, ServiceError> {
    let id = &SubmissionId::new(id);
    let scope = crate::content::editor(who)?;
    let tenant = scope.tenant().clone();
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let s = store::get(&mut tx, &tenant, id)
        .await?
        .ok_or_else(no_submission)?;
    scope
        .check(&mut tx, &s.course_id)
        .await
        .map_err(|_| no_submission())?;
    let comment = input.comment.trim();
    let mut errors = Vec::new();
    let decision = Decision::parse(input.decision.trim());
    if decision.is_none() {
        errors.push(("decision".into(), Msg::one_of_words::<Decision>()));
    }
    if input.grade.is_some_and(|g| !(0..=MAX_GRADE).contains(&g)) {
        errors.push((
            "grade".into(),
            Msg::new("err-range").num("min", 0).num("max", MAX_GRADE),
        ));
    }
    check_text(
        "comment",
        comment,
        decision == Some(Decision::Return),
        &mut errors,
    );
    let Some(decision) = decision.filter(|_| errors.is_empty()) else {
        return Err(ServiceError::Invalid(errors));
    };
    let lesson = live_assignment(&mut tx, &tenant, &s.lesson_id).await?;
    let state = SubmissionState::after(decision);
    if !s.state.may_decide()
        || !store::decide(&mut tx, &tenant, id, state, input.grade, &who.user_id, now).await?
    {
        return Err(ServiceError::Conflict(Msg::new(
            "err-submission-not-waiting",
        )));
    }
    let entry = Entry {
        id: new_id(),
        submission_id: id.clone(),
        author_id: who.user_id.clone(),
        kind: EntryKind::of(decision),
        body: comment.to_owned(),
        grade: input.grade,
        created_at: now,
        files: Vec::new(),
    };
    store::add_entry(&mut tx, &tenant, &s.user_id, &entry).await?;
    let action = match decision {
        Decision::Accept => "assignment.accept",
        Decision::Return => "assignment.return",
    };
    let audit = who
        .audit(action)
        .tenant(tenant.clone())
        .target("submission", id.clone())
        .origin(origin)
        .details(serde_json::json!({ "grade": input.grade }));
    audit::record(&mut tx, &audit, now).await?;
    if decision == Decision::Accept {
        crate::learning::complete_for(
            services,
            &mut tx,
            Some(who),
            &tenant,
            &s.user_id,
            &s.lesson_id,
        )
        .await?;
    }
    let s = store::get(&mut tx, &tenant, id)
        .await?
        .ok_or_else(no_submission)?;
    let step = match decision {
        Decision::Accept => mail::Step::Accepted,
        Decision::Return => mail::Step::Returned,
    };
    mail::queue(services, &mut tx, &s, &lesson, step, Some(comment)).await?;
    let work = work_of(&mut tx, s).await?;
    tx.commit().await?;
    services.mailer.wake();
    Ok(work)
}

/// A comment on a submission by its student or by the staff who review it; it changes
/// nothing else. A comment of the staff is e-mailed to the student.
pub async fn comment(
    services: &Services,
    who: &Principal,
    id: &str,
    text: &str,
    origin: Origin,
) -> Result<Work, ServiceError> {
    let id = &SubmissionId::new(id);
    who.require_write()?;
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let (s, staff) = readable(&mut tx, who, id).await?;
    let text = text.trim();
    let mut errors = Vec::new();
    check_text("text", text, true, &mut errors);
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let tenant = s.tenant_id.clone();
    let lesson = live_assignment(&mut tx, &tenant, &s.lesson_id).await?;
    let entry = Entry {
        id: new_id(),
        submission_id: id.clone(),
        author_id: who.user_id.clone(),
        kind: EntryKind::Comment,
        body: text.to_owned(),
        grade: None,
        created_at: now,
        files: Vec::new(),
    };
    store::add_entry(&mut tx, &tenant, &s.user_id, &entry).await?;
    let audit = who
        .audit("assignment.comment")
        .tenant(tenant.clone())
        .target("submission", id.clone())
        .origin(origin);
    audit::record(&mut tx, &audit, now).await?;
    if staff {
        mail::queue(
            services,
            &mut tx,
            &s,
            &lesson,
            mail::Step::Comment,
            Some(text),
        )
        .await?;
    }
    let work = work_of(&mut tx, s).await?;
    tx.commit().await?;
    if staff {
        services.mailer.wake();
    }
    Ok(work)
}
