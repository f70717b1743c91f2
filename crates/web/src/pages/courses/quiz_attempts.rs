//! A quiz's attempts for the school's staff (issue 19): who took it, when and with what score,
//! those waiting for a teacher first; an attempt read whole, with a mark and a comment to give
//! each question (an essay, or a regrade of any other).

use educenter_domain::quiz::{self, AttemptState};
use educenter_services::quizzes::{self, GradeInput};
use educenter_services::store::page::{MAX_LIMIT, PageRequest};

use super::*;
use crate::pages::school::quiz::{QuestionView, percent, question_views};

/// An attempt in the staff's list.
pub(crate) struct AttemptLine {
    pub(crate) id: String,
    pub(crate) student: String,
    pub(crate) email: String,
    pub(crate) number: i64,
    pub(crate) state: String,
    pub(crate) started: String,
    pub(crate) score: String,
    pub(crate) waiting: bool,
}

#[derive(Template)]
#[template(path = "quiz_attempts.html")]
pub(crate) struct AttemptsPage<'a> {
    l: Layout<'a>,
    lesson: Lesson,
    rows: Vec<AttemptLine>,
    /// More attempts than the list shows.
    more: bool,
}

fn score_text(a: &educenter_services::store::quizzes::Attempt) -> String {
    a.score
        .map(|s| {
            format!(
                "{} / {} ({})",
                quiz::points_f64(s),
                quiz::points_f64(a.max_score),
                percent(quiz::grade_of(s, a.max_score))
            )
        })
        .unwrap_or_default()
}

/// A quiz's attempts, those waiting for a teacher's grade first.
pub(crate) async fn quiz_attempts(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> PageResult {
    let services = state.services();
    let lesson = content::lesson(services, &who, &id).await?;
    let found =
        quizzes::attempts_of_students(services, &who, &id, &PageRequest::first(MAX_LIMIT)).await?;
    let path = format!("/cabinet/lessons/{id}/attempts");
    let l = Layout::for_user(&state, &headers, &path, &who);
    let more = found.next.is_some();
    let mut rows: Vec<AttemptLine> = found
        .items
        .into_iter()
        .map(|(a, person)| AttemptLine {
            id: a.id.to_string(),
            student: person
                .as_ref()
                .map(|p| p.full_name.clone())
                .unwrap_or_default(),
            email: person.map(|p| p.email).unwrap_or_default(),
            number: a.number,
            state: l.t(&format!("attempt-state-{}", a.state.as_str())),
            started: l.instant(&a.started_at),
            score: score_text(&a),
            waiting: a.state == AttemptState::Submitted,
        })
        .collect();
    // Waiting ones first, each group as it came.
    rows.sort_by_key(|r| !r.waiting);
    let page = AttemptsPage {
        lesson,
        rows,
        more,
        l,
    };
    Ok(page.l.render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "quiz_attempt_review.html")]
pub(crate) struct ReviewPage<'a> {
    l: Layout<'a>,
    id: String,
    lesson_id: String,
    student: String,
    number: i64,
    state: String,
    in_progress: bool,
    submitted: String,
    score: String,
    questions: Vec<QuestionView>,
    /// Why the grades sent were refused.
    error: Option<String>,
}

async fn render_review(
    state: &AppState,
    headers: &HeaderMap,
    who: &Principal,
    id: &str,
    error: Option<String>,
) -> PageResult {
    let services = state.services();
    let d = quizzes::attempt(services, who, id).await?;
    let path = format!("/cabinet/attempts/{id}");
    let l = Layout::for_user(state, headers, &path, who);
    let a = &d.attempt;
    let student = quizzes::student_of_attempt(services, who, a)
        .await?
        .map(|p| format!("{} <{}>", p.full_name, p.email))
        .unwrap_or_default();
    let page = ReviewPage {
        id: a.id.to_string(),
        lesson_id: a.lesson_id.to_string(),
        student,
        number: a.number,
        state: l.t(&format!("attempt-state-{}", a.state.as_str())),
        in_progress: a.state == AttemptState::InProgress,
        submitted: a.submitted_at.map(|s| l.instant(&s)).unwrap_or_default(),
        score: score_text(a),
        questions: question_views(&l, &d),
        error: error.clone(),
        l,
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(page.l.render(status, &page))
}

/// An attempt read whole by the school's staff, with the form to grade it.
pub(crate) async fn attempt_review(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> PageResult {
    render_review(&state, &headers, &who, &id, None).await
}

/// The grades of the form: `mark_{slot}` (the marks earned, a comma or a point for decimals)
/// and `comment_{slot}`; a question whose mark and comment are as they were is left as it is.
pub(crate) async fn attempt_grade(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> PageResult {
    let services = state.services();
    let l = Layout::new(&state, &headers, "/cabinet/courses");
    let d = quizzes::attempt(services, &who, &id).await?;
    let value = |key: String| {
        form.iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.trim().to_owned())
    };
    let mut grades = Vec::new();
    let mut bad = Vec::new();
    for (n, v) in d.questions().into_iter().enumerate() {
        let marks = v.marks.as_f64();
        let Some(mark) = value(format!("mark_{}", v.slot)).filter(|m| !m.is_empty()) else {
            continue;
        };
        let comment = value(format!("comment_{}", v.slot)).unwrap_or_default();
        let Ok(given) = mark.replace(',', ".").parse::<f64>() else {
            bad.push((n + 1).to_string());
            continue;
        };
        let earned = v.points.map(quiz::points_f64);
        if marks <= 0.0 || (earned == Some(given) && comment == v.comment) {
            continue;
        }
        grades.push(GradeInput {
            slot: v.slot,
            fraction: given / marks,
            comment,
        });
    }
    if !bad.is_empty() {
        let error = l.t_args("quiz-grade-not-number", &[("questions", bad.join(", "))]);
        return render_review(&state, &headers, &who, &id, Some(error)).await;
    }
    let path = format!("/cabinet/attempts/{id}");
    if grades.is_empty() {
        return Ok(redirect_with_flash(&state, &path, "attempt-graded"));
    }
    match quizzes::grade(services, &who, &id, grades, origin.0).await {
        Ok(_) => Ok(redirect_with_flash(&state, &path, "attempt-graded")),
        Err(ServiceError::Invalid(found)) => {
            let error = found
                .iter()
                .map(|(_, m)| l.say(m))
                .collect::<Vec<_>>()
                .join(" ");
            render_review(&state, &headers, &who, &id, Some(error)).await
        }
        Err(e) => Err(e.into()),
    }
}
