//! Assignments for the school's staff (issue 19, item 4): the review queue across the courses a
//! person reviews (a teacher: those assigned to them; the owner and administrators: all), the
//! longest waiting first, filtered by state and course; a submission read whole with its
//! thread, the decision (accept or return, a grade, a comment) and comments.

use educenter_domain::assignments::{Decision, MAX_GRADE, SubmissionState};
use educenter_services::assignments::{self, QueueInput, ReviewInput};
use educenter_services::store::page::PageRequest;

use super::*;
use crate::pages::school::assignment::{ThreadLine, grade_words, thread_of};

/// A line of the queue.
pub(crate) struct QueueLine {
    pub(crate) id: String,
    pub(crate) student: String,
    pub(crate) email: String,
    pub(crate) course: String,
    pub(crate) lesson: String,
    pub(crate) state: String,
    pub(crate) waiting: bool,
    pub(crate) submitted: String,
    pub(crate) grade: String,
}

#[derive(Template)]
#[template(path = "submissions.html")]
pub(crate) struct QueuePage<'a> {
    l: Layout<'a>,
    rows: Vec<QueueLine>,
    /// (value, words, chosen) of the state filter.
    states: Vec<(String, String, bool)>,
    /// (id, title, chosen) of the course filter.
    courses: Vec<(String, String, bool)>,
    /// The next page's address.
    next: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct QueueQuery {
    state: String,
    course: String,
    after: String,
}

fn state_words(l: &Layout<'_>, s: SubmissionState) -> String {
    l.t(&format!("assignment-status-{}", s.as_str()))
}

/// The review queue.
pub(crate) async fn submissions(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Query(q): Query<QueueQuery>,
    headers: HeaderMap,
) -> PageResult {
    staff_only(&who)?;
    let services = state.services();
    let l = Layout::for_user(&state, &headers, "/cabinet/submissions", &who);
    let input = QueueInput {
        state: Some(q.state.clone()),
        course_id: Some(q.course.clone()),
    };
    let req = PageRequest {
        after: Some(q.after.clone()).filter(|a| !a.is_empty()),
        ..PageRequest::default()
    };
    let (found, error) = match assignments::queue(services, &who, &input, &req).await {
        Ok(p) => (Some(p), None),
        Err(ServiceError::Invalid(e)) => (None, e.first().map(|(_, m)| l.say(m))),
        Err(e) => return Err(e.into()),
    };
    let courses = content::courses(services, &who)
        .await?
        .into_iter()
        .map(|c| {
            let id = c.id.to_string();
            let chosen = id == q.course;
            (id, c.title, chosen)
        })
        .collect();
    let chosen_state = if q.state.is_empty() {
        "submitted"
    } else {
        q.state.as_str()
    };
    let mut states: Vec<(String, String, bool)> = SubmissionState::ALL
        .iter()
        .map(|s| {
            let v = s.as_str();
            (v.to_owned(), state_words(&l, *s), v == chosen_state)
        })
        .collect();
    states.push((
        "all".into(),
        l.t("assignment-status-all"),
        chosen_state == "all",
    ));
    let (rows, next) = match found {
        Some(p) => {
            let next = p.next.as_ref().map(|n| {
                format!(
                    "/cabinet/submissions?state={}&course={}&after={}",
                    crate::pages::encode_param(chosen_state),
                    crate::pages::encode_param(&q.course),
                    crate::pages::encode_param(n)
                )
            });
            let rows = p
                .items
                .into_iter()
                .map(|r| QueueLine {
                    id: r.submission.id.to_string(),
                    student: if r.student_name.is_empty() {
                        l.t("quiz-student-gone")
                    } else {
                        r.student_name
                    },
                    email: r.student_email,
                    course: r.course_title,
                    lesson: r.lesson_title,
                    state: state_words(&l, r.submission.state),
                    waiting: r.submission.state == SubmissionState::Submitted,
                    submitted: l.instant(&r.submission.submitted_at),
                    grade: r.submission.grade.map(grade_words).unwrap_or_default(),
                })
                .collect();
            (rows, next)
        }
        None => (Vec::new(), None),
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = QueuePage {
        rows,
        states,
        courses,
        next,
        error,
        l,
    };
    Ok(page.l.render(status, &page))
}

#[derive(Template)]
#[template(path = "submission_review.html")]
pub(crate) struct ReviewPage<'a> {
    l: Layout<'a>,
    id: String,
    student: String,
    email: String,
    course: String,
    lesson_id: String,
    lesson: String,
    /// The task as the student reads it.
    task: String,
    state: SubmissionState,
    status: String,
    grade: Option<String>,
    thread: Vec<ThreadLine>,
    max_grade: i64,
    /// The decision form as sent, and its errors.
    decision: String,
    grade_value: String,
    comment: String,
    decision_error: Option<String>,
    grade_error: Option<String>,
    comment_error: Option<String>,
    /// The comment form as sent, and its error.
    note: String,
    note_error: Option<String>,
}

impl ReviewPage<'_> {
    /// The message that says why no decision is asked for.
    fn not_waiting_key(&self) -> String {
        format!("submission-not-waiting-{}", self.state.as_str())
    }
}

/// What the forms of the review page sent.
#[derive(Default)]
struct Sent {
    decision: String,
    grade: String,
    comment: String,
    note: String,
    errors: Vec<(String, educenter_services::Msg)>,
    /// The errors are the comment form's.
    of_note: bool,
}

async fn review_page(
    state: &AppState,
    headers: &HeaderMap,
    who: &Principal,
    id: &str,
    sent: Sent,
) -> PageResult {
    staff_only(who)?;
    let services = state.services();
    let work = assignments::work(services, who, id).await?;
    let lesson = content::lesson(services, who, work.submission.lesson_id.as_str()).await?;
    let (course, _) = content::course(services, who, &lesson.course_id).await?;
    let student = assignments::student_of(services, who, &work.submission).await?;
    let path = format!("/cabinet/submissions/{id}");
    let l = Layout::for_user(state, headers, &path, who);
    let thread = thread_of(state, &l, who, &work).await?;
    let (student, email) = student.unwrap_or_else(|| (l.t("quiz-student-gone"), String::new()));
    let mut page = ReviewPage {
        id: id.to_owned(),
        student,
        email,
        course: course.title,
        lesson_id: lesson.id.to_string(),
        task: media::sign_images(
            services,
            &lesson.tenant_id,
            Some(&who.user_id),
            &content::render_markdown(&lesson.body),
        )
        .await?,
        lesson: lesson.title,
        state: work.submission.state,
        status: state_words(&l, work.submission.state),
        grade: work.submission.grade.map(grade_words),
        thread,
        max_grade: MAX_GRADE,
        decision: sent.decision,
        grade_value: sent.grade,
        comment: sent.comment,
        decision_error: None,
        grade_error: None,
        comment_error: None,
        note: sent.note,
        note_error: None,
        l,
    };
    let invalid = !sent.errors.is_empty();
    for (field, m) in sent.errors {
        let words = page.l.say(&m);
        let slot = match (sent.of_note, field.as_str()) {
            (true, _) => &mut page.note_error,
            (false, "decision") => &mut page.decision_error,
            (false, "grade") => &mut page.grade_error,
            _ => &mut page.comment_error,
        };
        slot.get_or_insert(words);
    }
    let status = if invalid {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(page.l.render(status, &page))
}

/// A submission read whole, with the decision and comment forms.
pub(crate) async fn submission(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> PageResult {
    review_page(&state, &headers, &who, &id, Sent::default()).await
}

fn value(form: &[(String, String)], key: &str) -> String {
    form.iter()
        .filter(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .collect()
}

/// The decision form: `decision` (accept, return), `grade` (blank: none), `comment`.
pub(crate) async fn review(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> PageResult {
    staff_only(&who)?;
    let sent = Sent {
        decision: value(&form, "decision"),
        grade: value(&form, "grade").trim().to_owned(),
        comment: value(&form, "comment"),
        ..Sent::default()
    };
    let grade = match sent.grade.as_str() {
        "" => None,
        g => match g.parse::<i64>() {
            Ok(g) => Some(g),
            Err(_) => {
                let errors = vec![(
                    "grade".to_owned(),
                    educenter_services::Msg::new("err-range")
                        .num("min", 0)
                        .num("max", MAX_GRADE),
                )];
                return review_page(&state, &headers, &who, &id, Sent { errors, ..sent }).await;
            }
        },
    };
    let input = ReviewInput {
        decision: sent.decision.clone(),
        grade,
        comment: sent.comment.clone(),
    };
    let path = format!("/cabinet/submissions/{id}");
    match assignments::decide(state.services(), &who, &id, input, origin.0).await {
        Ok(w) => {
            let flash = match Decision::parse(&sent.decision) {
                Some(Decision::Accept) if w.submission.state == SubmissionState::Accepted => {
                    "work-accepted"
                }
                _ => "work-returned",
            };
            Ok(redirect_with_flash(&state, &path, flash))
        }
        Err(ServiceError::Invalid(errors)) => {
            review_page(&state, &headers, &who, &id, Sent { errors, ..sent }).await
        }
        Err(ServiceError::Conflict(_)) => {
            Ok(redirect_with_flash(&state, &path, "work-not-waiting"))
        }
        Err(e) => Err(e.into()),
    }
}

/// A comment of the staff on a submission (`text`).
pub(crate) async fn submission_comment(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> PageResult {
    staff_only(&who)?;
    let note = value(&form, "text");
    match assignments::comment(state.services(), &who, &id, &note, origin.0).await {
        Ok(_) => Ok(redirect_with_flash(
            &state,
            &format!("/cabinet/submissions/{id}"),
            "comment-sent",
        )),
        Err(ServiceError::Invalid(errors)) => {
            let sent = Sent {
                note,
                errors,
                of_note: true,
                ..Sent::default()
            };
            review_page(&state, &headers, &who, &id, sent).await
        }
        Err(e) => Err(e.into()),
    }
}
