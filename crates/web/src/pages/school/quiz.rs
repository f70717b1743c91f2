//! Quizzes for their students (issue 19): the quiz lesson's rules, the student's attempts and
//! the button to start or go on; the attempt page with a form per question (app.js saves it as
//! the student goes and shows the time left); the results as the quiz's review settings show
//! them. Without the script the page works too: its buttons save, and submit.

use educenter_domain::questions::{QuestionKind, RichText};
use educenter_domain::quiz::{self, AttemptState, MatchResponse, Response as Answer};
use educenter_services::Msg;
use educenter_services::markdown::{render_inline, render_rich};
use educenter_services::quizzes::{self, AttemptDetail, Overview, SlotView};

use super::*;

/// The quiz part of a quiz lesson's page.
pub(crate) struct QuizPanel {
    /// The rules as sentences: questions, time, attempts, grading, the grade to pass.
    pub(crate) rules: Vec<String>,
    pub(crate) attempts: Vec<AttemptRow>,
    /// The grade over the attempts, in percent, where the quiz shows scores.
    pub(crate) grade: Option<String>,
    pub(crate) passed: Option<bool>,
    /// The button's words: start, or go on with the attempt under way (`None`: why not is in
    /// `refused`).
    pub(crate) action: Option<String>,
    pub(crate) refused: Option<String>,
}

/// One of the student's attempts in the list.
pub(crate) struct AttemptRow {
    pub(crate) id: String,
    pub(crate) number: i64,
    pub(crate) state: String,
    pub(crate) started: String,
    /// "4.5 / 6", or empty where scores are not shown or not given yet.
    pub(crate) score: String,
}

fn marks(points: i64) -> String {
    let v = quiz::points_f64(points);
    format!("{v}")
}

pub(crate) fn percent(grade: i64) -> String {
    // The grade is in ten-millionths of the maximum; a percent with at most one decimal, cut
    // rather than rounded (99.96% is not shown as 100% beside "not passed").
    let tenths = grade.max(0) / 10_000;
    if tenths % 10 == 0 {
        format!("{}%", tenths / 10)
    } else {
        format!("{}.{}%", tenths / 10, tenths % 10)
    }
}

fn state_word(l: &Layout<'_>, state: AttemptState) -> String {
    l.t(&format!("attempt-state-{}", state.as_str()))
}

/// The quiz part of the lesson page of a student.
pub(crate) async fn panel(
    state: &AppState,
    l: &Layout<'_>,
    who: &Principal,
    lesson_id: &str,
) -> Result<QuizPanel, PageError> {
    let o = quizzes::overview(state.services(), who, lesson_id).await?;
    Ok(panel_of(l, o))
}

fn panel_of(l: &Layout<'_>, o: Overview) -> QuizPanel {
    let s = &o.settings;
    let mut rules = vec![l.t_args("quiz-rule-questions", &[("count", o.questions.to_string())])];
    rules.push(match s.time_limit_minutes {
        Some(m) => l.t_args("quiz-rule-time", &[("minutes", m.to_string())]),
        None => l.t("quiz-rule-no-time"),
    });
    rules.push(match s.attempts {
        Some(n) => l.t_args(
            "quiz-rule-attempts",
            &[
                ("count", n.to_string()),
                ("used", o.attempts.len().to_string()),
            ],
        ),
        None => l.t("quiz-rule-any-attempts"),
    });
    if s.attempts != Some(1) {
        rules.push(l.t(&format!("quiz-rule-grading-{}", s.grading.as_str())));
    }
    if let Some(p) = s.pass_percent {
        rules.push(l.t_args("quiz-rule-pass", &[("percent", p.to_string())]));
    }
    if s.delay_minutes > 0 {
        rules.push(l.t_args(
            "quiz-rule-delay",
            &[("minutes", s.delay_minutes.to_string())],
        ));
    }
    let attempts = o
        .attempts
        .iter()
        .map(|a| AttemptRow {
            id: a.id.to_string(),
            number: a.number,
            state: state_word(l, a.state),
            started: l.instant(&a.started_at),
            score: a
                .score
                .map(|sc| format!("{} / {}", marks(sc), marks(a.max_score)))
                .unwrap_or_default(),
        })
        .collect();
    QuizPanel {
        rules,
        attempts,
        grade: o.grade.map(percent),
        passed: o.passed,
        action: match (&o.in_progress, &o.refused) {
            (Some(_), _) => Some(l.t("quiz-continue")),
            (None, None) => Some(l.t("quiz-start")),
            (None, Some(_)) => None,
        },
        refused: o.refused.as_ref().map(|m| l.say(m)),
    }
}

/// "Start" (or "go on"): the attempt's page.
pub(crate) async fn start(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> PageResult {
    let path = format!("/s/{slug}/lessons/{id}");
    let (_, who) = match school_student(&state, &headers, &slug, &path).await {
        Ok(v) => v,
        Err(r) => return Ok(r),
    };
    let (d, _) = quizzes::start(state.services(), &who, &id).await?;
    Ok(see_other(&format!("/s/{slug}/attempts/{}", d.attempt.id)))
}

fn see_other(to: &str) -> Response {
    let mut res = Redirect::to(to).into_response();
    *res.status_mut() = StatusCode::SEE_OTHER;
    res
}

/// A choice of a question as the form shows it.
pub(crate) struct ChoiceView {
    pub(crate) id: u32,
    pub(crate) html: String,
    pub(crate) checked: bool,
}

/// A matching item and the answer chosen for it.
pub(crate) struct ItemView {
    pub(crate) id: u32,
    pub(crate) html: String,
    /// The answers it may take, the one given selected.
    pub(crate) options: Vec<MatchOption>,
}

/// An answer a matching item may take.
pub(crate) struct MatchOption {
    pub(crate) id: u32,
    pub(crate) text: String,
    pub(crate) selected: bool,
}

/// One question of the attempt page.
pub(crate) struct QuestionView {
    pub(crate) slot: i64,
    /// Its number among the questions to answer (a description has none).
    pub(crate) number: Option<usize>,
    pub(crate) kind: QuestionKind,
    pub(crate) html: String,
    pub(crate) marks: String,
    pub(crate) single: bool,
    pub(crate) choices: Vec<ChoiceView>,
    pub(crate) items: Vec<ItemView>,
    /// True/false: the answer given.
    pub(crate) value: Option<bool>,
    /// Short answer, numerical, essay: the answer given.
    pub(crate) text: String,
    /// After submission: the answer given, as HTML pieces.
    pub(crate) given: Vec<String>,
    /// After submission where the quiz shows it: the right answer.
    pub(crate) right: Vec<String>,
    /// "1.5 / 2" where scores are shown.
    pub(crate) mark: Option<String>,
    /// The marks earned as a number ("1.5"), empty while not graded or not shown.
    pub(crate) earned: String,
    /// `right`, `partial` or `wrong` where scores are shown.
    pub(crate) outcome: &'static str,
    pub(crate) feedback: Vec<String>,
    pub(crate) comment: String,
    /// Why the answer just sent was refused.
    pub(crate) error: Option<String>,
}

/// The answer `r` as HTML pieces, in the words of its question.
fn shown(l: &Layout<'_>, v: &SlotView, r: &Answer) -> Vec<String> {
    let choice = |id: u32| {
        v.choices
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, t)| render_inline(t))
    };
    if let Some(cs) = &r.choices {
        return cs.iter().filter_map(|c| choice(*c)).collect();
    }
    if let Some(b) = r.value {
        return vec![l.t(if b { "quiz-true" } else { "quiz-false" })];
    }
    if let Some(t) = &r.text {
        return vec![render_inline(&RichText::new(
            t.as_str(),
            educenter_domain::questions::TextFormat::Plain,
        ))];
    }
    r.matches
        .iter()
        .flatten()
        .filter_map(|m| {
            let item = v.items.iter().find(|(i, _)| *i == m.item)?;
            let to = v.choices.iter().find(|(i, _)| *i == m.choice)?;
            Some(format!(
                "{} → {}",
                render_inline(&item.1),
                render_inline(&to.1)
            ))
        })
        .collect()
}

fn question_view(l: &Layout<'_>, v: SlotView, number: Option<usize>) -> QuestionView {
    let answer = v.answer.clone().unwrap_or_default();
    let chosen = answer.choices.clone().unwrap_or_default();
    let matched = answer.matches.clone().unwrap_or_default();
    let outcome = match v.fraction.map(|f| f.units()) {
        Some(f) if f >= educenter_domain::questions::Fraction::FULL.units() => "right",
        Some(f) if f > 0 => "partial",
        Some(_) => "wrong",
        None => "",
    };
    QuestionView {
        slot: v.slot,
        number,
        kind: v.kind,
        html: render_rich(&v.text),
        marks: format!("{}", v.marks.as_f64()),
        single: v.single.unwrap_or(true),
        choices: if v.kind == QuestionKind::MultiChoice {
            v.choices
                .iter()
                .map(|(id, t)| ChoiceView {
                    id: *id,
                    html: render_inline(t),
                    checked: chosen.contains(id),
                })
                .collect()
        } else {
            Vec::new()
        },
        items: v
            .items
            .iter()
            .map(|(id, t)| {
                let chosen = matched.iter().find(|m| m.item == *id).map(|m| m.choice);
                ItemView {
                    id: *id,
                    html: render_inline(t),
                    options: v
                        .choices
                        .iter()
                        .map(|(c, text)| MatchOption {
                            id: *c,
                            text: text.text.clone(),
                            selected: chosen == Some(*c),
                        })
                        .collect(),
                }
            })
            .collect(),
        value: answer.value,
        text: answer.text.clone().unwrap_or_default(),
        given: v
            .answer
            .as_ref()
            .map(|r| shown(l, &v, r))
            .unwrap_or_default(),
        right: v
            .right_answer
            .as_ref()
            .map(|r| shown(l, &v, r))
            .unwrap_or_default(),
        mark: v
            .points
            .map(|p| format!("{} / {}", marks(p), v.marks.as_f64())),
        earned: v.points.map(marks).unwrap_or_default(),
        outcome,
        feedback: v.feedback.iter().map(render_rich).collect(),
        comment: v.comment.clone(),
        error: None,
    }
}

/// The attempt's questions as its reader sees them, numbered (descriptions are not).
pub(crate) fn question_views(l: &Layout<'_>, d: &AttemptDetail) -> Vec<QuestionView> {
    let mut n = 0;
    d.questions()
        .into_iter()
        .map(|v| {
            let number = (v.kind != QuestionKind::Description).then(|| {
                n += 1;
                n
            });
            question_view(l, v, number)
        })
        .collect()
}

#[derive(Template)]
#[template(path = "school_attempt.html")]
pub(crate) struct AttemptPage<'a> {
    l: Layout<'a>,
    s: School,
    id: String,
    lesson_id: String,
    lesson_title: String,
    number: i64,
    in_progress: bool,
    /// Submitted, a question waiting for a teacher's grade.
    waiting: bool,
    state: String,
    /// When the time runs out and the server's time now, in milliseconds since 1970 (the
    /// countdown's clock).
    deadline: Option<i64>,
    now: i64,
    deadline_text: String,
    submitted: String,
    score: Option<String>,
    passed: Option<bool>,
    questions: Vec<QuestionView>,
    /// Why the answers just sent were refused.
    error: Option<String>,
    /// The questions of a refused form, none of them saved: the page's script saves them with
    /// the next change.
    unsaved: String,
}

async fn render_attempt(
    state: &AppState,
    headers: &HeaderMap,
    t: &Tenant,
    who: &Principal,
    d: AttemptDetail,
    errors: Vec<(i64, String)>,
    unsaved: &[i64],
) -> PageResult {
    let services = state.services();
    let path = format!("/s/{}/attempts/{}", t.slug, d.attempt.id);
    let l = Layout::for_user(state, headers, &path, who);
    let lesson = learning::lesson(services, who, d.attempt.lesson_id.as_str())
        .await
        .ok()
        .and_then(|(o, i, _)| o.lessons().nth(i).map(|v| v.lesson.title.clone()))
        .unwrap_or_default();
    let mut questions = question_views(&l, &d);
    for q in &mut questions {
        q.error = errors
            .iter()
            .find(|(slot, _)| *slot == q.slot)
            .map(|(_, e)| e.clone());
    }
    // An error naming no question of the form goes above it.
    let error = (!errors.is_empty()).then(|| {
        let loose: Vec<&str> = errors
            .iter()
            .filter(|(slot, _)| !questions.iter().any(|q| q.slot == *slot))
            .map(|(_, e)| e.as_str())
            .collect();
        if loose.is_empty() {
            l.t("quiz-answers-refused")
        } else {
            loose.join(" ")
        }
    });
    let unsaved = unsaved
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(" ");
    let a = &d.attempt;
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = AttemptPage {
        s: school_of(t, Some(who)),
        id: a.id.to_string(),
        lesson_id: a.lesson_id.to_string(),
        lesson_title: lesson,
        number: a.number,
        in_progress: a.state == AttemptState::InProgress,
        waiting: a.state == AttemptState::Submitted,
        state: state_word(&l, a.state),
        deadline: a.deadline.map(|d| d.as_millisecond()),
        now: services.clock.now().as_millisecond(),
        deadline_text: a.deadline.map(|d| l.instant(&d)).unwrap_or_default(),
        submitted: a.submitted_at.map(|s| l.instant(&s)).unwrap_or_default(),
        score: a.score.filter(|_| d.review.score).map(|s| {
            format!(
                "{} / {} ({})",
                marks(s),
                marks(a.max_score),
                percent(quiz::grade_of(s, a.max_score))
            )
        }),
        passed: d.passed().filter(|_| d.review.score),
        questions,
        error,
        unsaved,
        l,
    };
    Ok(page.l.render(status, &page))
}

/// An attempt of the signed-in student: the form while it is under way, the results after.
pub(crate) async fn attempt_page(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> PageResult {
    let path = format!("/s/{slug}/attempts/{id}");
    let (t, who) = match school_student(&state, &headers, &slug, &path).await {
        Ok(v) => v,
        Err(r) => return Ok(r),
    };
    let d = quizzes::attempt(state.services(), &who, &id).await?;
    render_attempt(&state, &headers, &t, &who, d, Vec::new(), &[]).await
}

/// The answers of the attempt's form: `q{slot}` (a choice's id, several for a question of
/// several answers; `true` or `false`; the text), `q{slot}-{item}` (a matching item's answer)
/// and `shown={slot}` (a question of several answers is in the form, though none is ticked).
/// A question the form does not carry, or leaves blank, is not saved, unless an answer saved
/// before is taken back.
fn answers_of(d: &AttemptDetail, form: &[(String, String)]) -> Vec<(i64, Answer)> {
    let values = |key: &str| -> Vec<&str> {
        form.iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    let mut out = Vec::new();
    for v in d.questions() {
        let key = format!("q{}", v.slot);
        let given = values(&key);
        let slot = v.slot.to_string();
        let in_form = form.iter().any(|(k, val)| {
            *k == key
                || k.strip_prefix(&key)
                    .is_some_and(|rest| rest.starts_with('-'))
                || (k == "shown" && *val == slot)
        });
        if !in_form {
            continue;
        }
        let had = v.answer.is_some();
        let answer = match v.kind {
            QuestionKind::MultiChoice => {
                // An id that is not a number is kept as one no choice has: it is refused.
                let choices: Vec<u32> = given
                    .iter()
                    .map(|c| c.trim().parse().unwrap_or(u32::MAX))
                    .collect();
                (had || !choices.is_empty()).then(|| Answer {
                    choices: Some(choices),
                    ..Answer::default()
                })
            }
            QuestionKind::TrueFalse => given
                .first()
                .and_then(|b| match *b {
                    "true" => Some(true),
                    "false" => Some(false),
                    _ => None,
                })
                .map(|b| Answer {
                    value: Some(b),
                    ..Answer::default()
                }),
            QuestionKind::ShortAnswer | QuestionKind::Numerical | QuestionKind::Essay => given
                .first()
                .filter(|t| had || !t.trim().is_empty())
                .map(|t| Answer {
                    text: Some((*t).to_owned()),
                    ..Answer::default()
                }),
            QuestionKind::Matching => {
                let matches: Vec<MatchResponse> = v
                    .items
                    .iter()
                    .filter_map(|(item, _)| {
                        let choice = values(&format!("{key}-{item}")).first()?.parse().ok()?;
                        Some(MatchResponse {
                            item: *item,
                            choice,
                        })
                    })
                    .collect();
                (had || !matches.is_empty()).then(|| Answer {
                    matches: Some(matches),
                    ..Answer::default()
                })
            }
            QuestionKind::Description => None,
        };
        if let Some(a) = answer {
            out.push((v.slot, a));
        }
    }
    out
}

/// The service's refusal of a save as (slot, words) for each question it names: its errors
/// are `answers[i]` (or `answers[i].slot`), `i` a place in `answers`.
fn refusal(
    l: &Layout<'_>,
    found: &[(String, educenter_services::Msg)],
    answers: &[(i64, Answer)],
) -> Vec<(i64, String)> {
    found
        .iter()
        .map(|(field, m)| {
            let slot = field
                .strip_prefix("answers[")
                .and_then(|rest| rest.split(']').next())
                .and_then(|i| i.parse::<usize>().ok())
                .and_then(|i| answers.get(i))
                .map_or(0, |(slot, _)| *slot);
            (slot, l.say(m))
        })
        .collect()
}

#[derive(Serialize)]
struct SavedAnswer {
    saved: usize,
    deadline: Option<String>,
}

/// The page's script saves the form as the student goes (JSON answer; 409 once the attempt
/// is closed).
pub(crate) async fn autosave(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let who = match school_visitor(&state, &headers, &slug).await {
        Ok((_, Some(who))) => who,
        Ok((_, None)) => return StatusCode::UNAUTHORIZED.into_response(),
        Err(r) => return r,
    };
    let services = state.services();
    let saved = match quizzes::attempt(services, &who, &id).await {
        Ok(d) if d.attempt.state != AttemptState::InProgress => {
            Err(ServiceError::Conflict(Msg::new("err-attempt-closed")))
        }
        Ok(d) => quizzes::save_answers(services, &who, &id, answers_of(&d, &form)).await,
        Err(e) => Err(e),
    };
    match saved {
        Ok(s) => Json(SavedAnswer {
            saved: s.saved,
            deadline: s.deadline.map(|d| d.to_string()),
        })
        .into_response(),
        Err(e) => crate::problem::ApiError::from(e).into_response(),
    }
}

/// The attempt's form sent by its buttons: `action=save` keeps the answers, `action=submit`
/// keeps them and submits the attempt.
pub(crate) async fn attempt_post(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> PageResult {
    let path = format!("/s/{slug}/attempts/{id}");
    let (t, who) = match school_student(&state, &headers, &slug, &path).await {
        Ok(v) => v,
        Err(r) => return Ok(r),
    };
    let services = state.services();
    let d = quizzes::attempt(services, &who, &id).await?;
    if d.attempt.state != AttemptState::InProgress {
        // Submitted meanwhile (another tab, or its time ran out): the results.
        return Ok(redirect_with_flash(&state, &path, "attempt-closed"));
    }
    let submit = form.iter().any(|(k, v)| k == "action" && v == "submit");
    let answers = answers_of(&d, &form);
    match quizzes::save_answers(services, &who, &id, answers.clone()).await {
        Ok(_) => {}
        Err(ServiceError::Conflict(_)) => {
            return Ok(redirect_with_flash(&state, &path, "attempt-closed"));
        }
        Err(ServiceError::Invalid(found)) => {
            // The form shows again as sent, each refusal beside its question.
            let l = Layout::new(&state, &headers, &path);
            let errors = refusal(&l, &found, &answers);
            let unsaved: Vec<i64> = answers.iter().map(|(slot, _)| *slot).collect();
            let mut shown = d;
            for (slot, response) in answers {
                shown.answers.retain(|a| a.slot != slot);
                shown
                    .answers
                    .push(educenter_services::store::quizzes::SavedAnswer {
                        slot,
                        response: Some(response),
                        saved_at: shown.attempt.started_at,
                        fraction: None,
                        comment: String::new(),
                    });
            }
            return render_attempt(&state, &headers, &t, &who, shown, errors, &unsaved).await;
        }
        Err(e) => return Err(e.into()),
    }
    if !submit {
        return Ok(redirect_with_flash(&state, &path, "answers-saved"));
    }
    quizzes::submit(services, &who, &id).await?;
    Ok(redirect_with_flash(&state, &path, "attempt-submitted"))
}
