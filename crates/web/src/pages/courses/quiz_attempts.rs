//! A quiz's attempts for the school's staff (issue 19): who took it, when and with what score,
//! those waiting for a teacher first; an attempt read whole, with a mark and a comment to give
//! each question (an essay, or a regrade of any other).

use educenter_domain::quiz::{self, AttemptState};
use educenter_services::quizzes::{self, GradeInput};

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
    /// More attempts than the list shows: how many, in words.
    more: Option<String>,
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

/// A quiz's attempts, those waiting for a teacher's grade first, then the newest.
pub(crate) async fn quiz_attempts(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> PageResult {
    staff_only(&who)?;
    let services = state.services();
    let lesson = content::lesson(services, &who, &id).await?;
    let (found, total) = quizzes::attempts_of_students(services, &who, &id).await?;
    let path = format!("/cabinet/lessons/{id}/attempts");
    let l = Layout::for_user(&state, &headers, &path, &who);
    let rows: Vec<AttemptLine> = found
        .into_iter()
        .map(|(a, person)| {
            let (student, email) =
                person.unwrap_or_else(|| (l.t("quiz-student-gone"), String::new()));
            AttemptLine {
                id: a.id.to_string(),
                student,
                email,
                number: a.number,
                state: l.t(&format!("attempt-state-{}", a.state.as_str())),
                started: l.instant(&a.started_at),
                score: score_text(&a),
                waiting: a.state == AttemptState::Submitted,
            }
        })
        .collect();
    let more = (total > rows.len() as i64).then(|| {
        l.t_args(
            "quiz-attempts-more",
            &[
                ("shown", rows.len().to_string()),
                ("total", total.to_string()),
            ],
        )
    });
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
    /// Why the grades sent were refused: above the form, and beside each question's marks.
    error: Option<String>,
    by_slot: Vec<(i64, String)>,
    /// The marks and comments as sent, shown again after a refusal.
    sent: Vec<(String, String)>,
}

impl ReviewPage<'_> {
    fn error_of(&self, slot: impl std::borrow::Borrow<i64>) -> Option<&str> {
        let slot = *slot.borrow();
        self.by_slot
            .iter()
            .find(|(s, _)| *s == slot)
            .map(|(_, e)| e.as_str())
    }

    /// The value of a field as sent, or as stored.
    fn value_of(&self, name: &str, stored: &str) -> String {
        self.sent
            .iter()
            .find(|(k, _)| k == name)
            .map_or_else(|| stored.to_owned(), |(_, v)| v.clone())
    }
}

/// A refused grading form: the errors, and the form as sent.
#[derive(Default)]
struct Refusal {
    by_slot: Vec<(i64, String)>,
    sent: Vec<(String, String)>,
}

async fn render_review(
    state: &AppState,
    headers: &HeaderMap,
    who: &Principal,
    id: &str,
    refusal: Option<Refusal>,
) -> PageResult {
    let services = state.services();
    let d = quizzes::attempt(services, who, id).await?;
    let path = format!("/cabinet/attempts/{id}");
    let l = Layout::for_user(state, headers, &path, who);
    let a = &d.attempt;
    let student = quizzes::student_of_attempt(services, who, a)
        .await?
        .map(|(name, email)| format!("{name} <{email}>"))
        .unwrap_or_else(|| l.t("quiz-student-gone"));
    let (status, error, refusal) = match refusal {
        Some(r) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(l.t("quiz-grades-refused")),
            r,
        ),
        None => (StatusCode::OK, None, Refusal::default()),
    };
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
        error,
        by_slot: refusal.by_slot,
        sent: refusal.sent,
        l,
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
    staff_only(&who)?;
    render_review(&state, &headers, &who, &id, None).await
}

/// The grades of the form: `mark_{slot}` (the marks earned, from 0 to the question's marks; a
/// comma or a point for decimals) and `comment_{slot}`. A question whose mark and comment are
/// as shown is left as it is; a comment alone keeps the mark it has (to the ten-millionth).
/// Every refused value is said beside its question and nothing is saved.
pub(crate) async fn attempt_grade(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> PageResult {
    staff_only(&who)?;
    let services = state.services();
    let l = Layout::new(&state, &headers, "/cabinet/courses");
    let d = quizzes::attempt(services, &who, &id).await?;
    let value = |key: String| {
        form.iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.trim().to_owned())
    };
    let mut grades = Vec::new();
    let mut refusal = Refusal::default();
    let mut moved = Vec::new();
    for v in d.questions() {
        let marks = v.marks.as_f64();
        if marks <= 0.0 {
            continue;
        }
        // What the page showed (`was_*`, absent from an older form: what is stored) and what
        // is stored now: another teacher may have graded the question in between.
        let stored = v
            .points
            .map(|p| format!("{}", quiz::points_f64(p)))
            .unwrap_or_default();
        let was = value(format!("was_mark_{}", v.slot)).unwrap_or_else(|| stored.clone());
        let was_comment =
            value(format!("was_comment_{}", v.slot)).unwrap_or_else(|| v.comment.clone());
        let mark = value(format!("mark_{}", v.slot)).unwrap_or_default();
        let comment = value(format!("comment_{}", v.slot)).unwrap_or_default();
        let mark_unchanged = mark == was;
        if mark_unchanged && comment == was_comment {
            continue;
        }
        if stored != was || v.comment != was_comment {
            // Never over what someone else saved meanwhile: the page shows it now.
            refusal.by_slot.push((v.slot, l.t("quiz-grade-conflict")));
            moved.push(v.slot);
            continue;
        }
        if mark.is_empty() {
            refusal
                .by_slot
                .push((v.slot, l.t("quiz-grade-mark-needed")));
            continue;
        }
        let fraction = match (mark_unchanged, v.fraction) {
            // A comment alone: the mark stays exactly as it is.
            (true, Some(f)) => f.as_f64(),
            _ => match mark.replace(',', ".").parse::<f64>() {
                Ok(given) if (0.0..=marks).contains(&given) => given / marks,
                _ => {
                    let say = l.t_args("quiz-grade-range", &[("marks", format!("{marks}"))]);
                    refusal.by_slot.push((v.slot, say));
                    continue;
                }
            },
        };
        grades.push(GradeInput {
            slot: v.slot,
            fraction,
            comment,
        });
    }
    if !refusal.by_slot.is_empty() {
        // The form as sent, but for the questions graded meanwhile (shown as they are now).
        refusal.sent = form
            .into_iter()
            .filter(|(k, _)| {
                let slot = k.rsplit('_').next().and_then(|n| n.parse::<i64>().ok());
                !slot.is_some_and(|s| moved.contains(&s))
            })
            .collect();
        return render_review(&state, &headers, &who, &id, Some(refusal)).await;
    }
    let path = format!("/cabinet/attempts/{id}");
    if grades.is_empty() {
        return Ok(redirect_with_flash(&state, &path, "attempt-unchanged"));
    }
    let slots: Vec<i64> = grades.iter().map(|g| g.slot).collect();
    match quizzes::grade(services, &who, &id, grades, origin.0).await {
        Ok(_) => Ok(redirect_with_flash(&state, &path, "attempt-graded")),
        // A comment too long, say: beside its question (`grades[i]` names the i-th sent).
        Err(ServiceError::Invalid(found)) => {
            let by_slot = found
                .iter()
                .map(|(field, m)| {
                    let slot = field
                        .strip_prefix("grades[")
                        .and_then(|rest| rest.split(']').next())
                        .and_then(|i| i.parse::<usize>().ok())
                        .and_then(|i| slots.get(i).copied())
                        .unwrap_or(0);
                    (slot, l.say(m))
                })
                .collect();
            let refusal = Refusal {
                by_slot,
                sent: form,
            };
            render_review(&state, &headers, &who, &id, Some(refusal)).await
        }
        Err(e) => Err(e.into()),
    }
}
