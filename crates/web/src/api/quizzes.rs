//! Quizzes through the API (issue 19, item 3): a quiz lesson's settings for its editors; a
//! student's attempts (start, save answers as they go, submit); the attempts a teacher reads
//! and grades.

use std::collections::BTreeMap;

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use educenter_domain::questions::{QuestionKind, RichText};
use educenter_domain::quiz::{
    self, AttemptState, GradingMethod, QuestionSource, QuizSettings, Response, Review,
};
use educenter_services::{
    quizzes::{self, AttemptDetail, GradeInput, QuizInput, RandomInput, SlotView},
    store::quizzes::Attempt,
};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    AppState, ClientOrigin,
    api::page::{PageParams, PageQuery},
    auth::Auth,
    page_of,
    problem::{ApiError, ApiJson, Problem},
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_quiz))
        .routes(routes!(list_attempts, start_attempt))
        .routes(routes!(get_attempt))
        .routes(routes!(save_answers))
        .routes(routes!(submit_attempt))
        .routes(routes!(grade_attempt))
}

page_of!(AttemptPage, AttemptSummary, "a quiz's attempts");

/// Questions drawn at random for each attempt.
#[derive(Deserialize, Serialize, ToSchema, Default, Clone)]
#[serde(default)]
pub struct RandomIn {
    /// The category's id, or its path of names (`Top/Algebra`).
    category: String,
    count: i64,
    /// Each drawn question's marks (absent: the question's own).
    marks: Option<f64>,
}

/// A quiz lesson's settings; on a change, absent fields keep their value.
#[derive(Deserialize, Serialize, ToSchema, Default, Clone)]
#[serde(default)]
pub struct QuizIn {
    /// Ids of the bank's questions, in the order asked (or `random`).
    questions: Option<Vec<String>>,
    /// A question's marks in this quiz, by question id (others: the question's own).
    marks: Option<BTreeMap<String, f64>>,
    random: Option<RandomIn>,
    /// Choices and matching answers in a new order for each attempt (default: on).
    shuffle_answers: Option<bool>,
    /// 0: no limit (the default).
    time_limit_minutes: Option<i64>,
    /// Attempts allowed; 0: no limit (the default).
    attempts: Option<i64>,
    /// `highest` (the default), `average`, `first` or `last`.
    grading: Option<String>,
    /// The grade to pass in percent; 0: any submitted attempt passes.
    pass_percent: Option<i64>,
    /// What a student sees after submitting (default: score and feedback, not the right
    /// answers).
    review: Option<Review>,
    /// Minutes between the end of an attempt and the start of the next.
    delay_minutes: Option<i64>,
}

impl From<QuizIn> for QuizInput {
    fn from(q: QuizIn) -> Self {
        Self {
            questions: q.questions,
            marks: q.marks,
            random: q.random.map(|r| RandomInput {
                category: r.category,
                count: r.count,
                marks: r.marks,
            }),
            shuffle_answers: q.shuffle_answers,
            time_limit_minutes: q.time_limit_minutes,
            attempts: q.attempts,
            grading: q.grading,
            pass_percent: q.pass_percent,
            review: q.review,
            delay_minutes: q.delay_minutes,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RandomOut {
    category_id: String,
    count: u32,
    marks: Option<f64>,
}

/// A quiz lesson's settings.
#[derive(Serialize, ToSchema)]
pub struct QuizOut {
    /// The bank's questions asked, in order (absent when drawn at random).
    #[serde(skip_serializing_if = "Option::is_none")]
    questions: Option<Vec<String>>,
    /// Marks set in this quiz, by question id.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    marks: BTreeMap<String, f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    random: Option<RandomOut>,
    shuffle_answers: bool,
    time_limit_minutes: Option<u32>,
    attempts: Option<u32>,
    grading: GradingMethod,
    pass_percent: Option<u32>,
    review: Review,
    delay_minutes: u32,
}

impl From<QuizSettings> for QuizOut {
    fn from(s: QuizSettings) -> Self {
        let (questions, marks, random) = match s.source {
            QuestionSource::Fixed(qs) => {
                let marks = qs
                    .iter()
                    .filter_map(|(id, m)| m.map(|m| (id.clone(), m.as_f64())))
                    .collect();
                (
                    Some(qs.into_iter().map(|(id, _)| id).collect()),
                    marks,
                    None,
                )
            }
            QuestionSource::Random {
                category_id,
                count,
                marks,
            } => (
                None,
                BTreeMap::new(),
                Some(RandomOut {
                    category_id,
                    count,
                    marks: marks.map(|m| m.as_f64()),
                }),
            ),
        };
        Self {
            questions,
            marks,
            random,
            shuffle_answers: s.shuffle_answers,
            time_limit_minutes: s.time_limit_minutes,
            attempts: s.attempts,
            grading: s.grading,
            pass_percent: s.pass_percent,
            review: s.review,
            delay_minutes: s.delay_minutes,
        }
    }
}

/// A quiz lesson's settings.
#[utoipa::path(get, path = "/api/v1/quizzes/{id}", tag = "quizzes", security(("bearer" = [])),
    params(("id" = String, Path, description = "The quiz lesson")),
    responses((status = 200, body = QuizOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
async fn get_quiz(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path(id): Path<String>,
) -> Result<Json<QuizOut>, ApiError> {
    let (_, settings) = quizzes::settings(state.services(), &who, &id).await?;
    Ok(Json(settings.into()))
}

/// A choice or a matching item as shown.
#[derive(Serialize, ToSchema)]
pub struct ChoiceOut {
    id: u32,
    text: RichText,
}

/// A question as an attempt asks it, with the answer saved and, once submitted, its result
/// (as far as the quiz's review settings show it to the student).
#[derive(Serialize, ToSchema)]
pub struct AttemptQuestion {
    /// The question's place in the attempt, from 1: answers name it.
    slot: i64,
    #[serde(rename = "type")]
    kind: QuestionKind,
    name: String,
    text: RichText,
    marks: f64,
    /// Multiple choice: one answer or several.
    #[serde(skip_serializing_if = "Option::is_none")]
    single: Option<bool>,
    /// Multiple choice: the choices in the order shown; matching: the answers to choose from.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    choices: Vec<ChoiceOut>,
    /// Matching: the items to match.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    items: Vec<ChoiceOut>,
    /// The response saved (`null`: none yet).
    answer: Option<Response>,
    /// Once graded: the share of the marks earned, -1 to 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    fraction: Option<f64>,
    /// Once graded: the marks earned.
    #[serde(skip_serializing_if = "Option::is_none")]
    mark: Option<f64>,
    /// After submission: the feedback the answer earns and the question's general feedback.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    feedback: Vec<RichText>,
    /// After submission: the response that earns full marks.
    #[serde(skip_serializing_if = "Option::is_none")]
    right_answer: Option<Response>,
    /// A teacher's comment on the answer.
    #[serde(skip_serializing_if = "String::is_empty")]
    comment: String,
}

/// An attempt at a quiz.
#[derive(Serialize, ToSchema)]
pub struct AttemptOut {
    id: String,
    lesson_id: String,
    user_id: String,
    /// 1 for the first attempt.
    number: i64,
    state: AttemptState,
    #[schema(value_type = String)]
    started_at: Timestamp,
    /// When its time runs out (`null`: no limit); answers saved after it are refused.
    #[schema(value_type = Option<String>)]
    deadline: Option<Timestamp>,
    #[schema(value_type = Option<String>)]
    submitted_at: Option<Timestamp>,
    /// Marks earned, once graded (`null` while an essay waits, or when the quiz does not show
    /// scores).
    score: Option<f64>,
    max_score: f64,
    /// Whether the attempt reached the grade to pass (`null` until graded).
    passed: Option<bool>,
    questions: Vec<AttemptQuestion>,
}

impl From<SlotView> for AttemptQuestion {
    fn from(v: SlotView) -> Self {
        let choice = |(id, text): (u32, RichText)| ChoiceOut { id, text };
        Self {
            slot: v.slot,
            kind: v.kind,
            name: v.name,
            text: v.text,
            marks: v.marks.as_f64(),
            single: v.single,
            choices: v.choices.into_iter().map(choice).collect(),
            items: v.items.into_iter().map(choice).collect(),
            answer: v.answer,
            fraction: v.fraction.map(|f| f.as_f64()),
            mark: v.points.map(quiz::points_f64),
            feedback: v.feedback,
            right_answer: v.right_answer,
            comment: v.comment,
        }
    }
}

impl From<AttemptDetail> for AttemptOut {
    fn from(d: AttemptDetail) -> Self {
        let questions = d.questions().into_iter().map(Into::into).collect();
        let a = &d.attempt;
        Self {
            id: a.id.to_string(),
            lesson_id: a.lesson_id.to_string(),
            user_id: a.user_id.to_string(),
            number: a.number,
            state: a.state,
            started_at: a.started_at,
            deadline: a.deadline,
            submitted_at: a.submitted_at,
            score: a.score.filter(|_| d.review.score).map(quiz::points_f64),
            max_score: quiz::points_f64(a.max_score),
            passed: d.passed().filter(|_| d.review.score),
            questions,
        }
    }
}

/// An attempt in a list.
#[derive(Serialize, ToSchema)]
pub struct AttemptSummary {
    id: String,
    user_id: String,
    number: i64,
    state: AttemptState,
    #[schema(value_type = String)]
    started_at: Timestamp,
    #[schema(value_type = Option<String>)]
    submitted_at: Option<Timestamp>,
    score: Option<f64>,
    max_score: f64,
}

impl From<Attempt> for AttemptSummary {
    fn from(a: Attempt) -> Self {
        Self {
            id: a.id.to_string(),
            user_id: a.user_id.to_string(),
            number: a.number,
            state: a.state,
            started_at: a.started_at,
            submitted_at: a.submitted_at,
            score: a.score.map(quiz::points_f64),
            max_score: quiz::points_f64(a.max_score),
        }
    }
}

/// Starts an attempt (201), or answers the one in progress (200). A student's session.
#[utoipa::path(post, path = "/api/v1/quizzes/{id}/attempts", tag = "quizzes", security(("bearer" = [])),
    params(("id" = String, Path, description = "The quiz lesson")),
    responses((status = 201, body = AttemptOut), (status = 200, description = "The attempt in progress", body = AttemptOut),
        (status = 401, body = Problem), (status = 403, description = "Not a student, or the lesson is closed to them", body = Problem),
        (status = 404, body = Problem), (status = 409, description = "No attempt left, the delay after the last has not passed, or the quiz has no question to ask", body = Problem)))]
async fn start_attempt(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<AttemptOut>), ApiError> {
    let (d, new) = quizzes::start(state.services(), &who, &id).await?;
    let status = if new {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(d.into())))
}

/// A quiz's attempts, oldest first: the student's own, or every student's for the school's
/// staff (a teacher: of their courses).
#[utoipa::path(get, path = "/api/v1/quizzes/{id}/attempts", tag = "quizzes", security(("bearer" = [])),
    params(("id" = String, Path, description = "The quiz lesson"), PageParams),
    responses((status = 200, body = AttemptPage), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, description = "A bad `limit` or `after`", body = Problem)))]
async fn list_attempts(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path(id): Path<String>,
    PageQuery(page): PageQuery,
) -> Result<Json<AttemptPage>, ApiError> {
    let found = quizzes::attempts(state.services(), &who, &id, &page).await?;
    Ok(Json(AttemptPage::of(found, AttemptSummary::from)))
}

/// One attempt with its questions and answers; once submitted, its results as the quiz's
/// review settings show them (all of them to the school's staff).
#[utoipa::path(get, path = "/api/v1/attempts/{id}", tag = "quizzes", security(("bearer" = [])),
    params(("id" = String, Path, description = "The attempt")),
    responses((status = 200, body = AttemptOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
async fn get_attempt(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path(id): Path<String>,
) -> Result<Json<AttemptOut>, ApiError> {
    Ok(Json(
        quizzes::attempt(state.services(), &who, &id).await?.into(),
    ))
}

/// An answer to one question of an attempt: `choices` (multiple choice: choice ids), `value`
/// (true/false), `text` (short answer, numerical, essay) or `matches` (matching).
#[derive(Deserialize, Serialize, ToSchema)]
pub struct AnswerIn {
    slot: i64,
    #[serde(flatten)]
    response: Response,
}

#[derive(Deserialize, Serialize, ToSchema)]
pub struct AnswersIn {
    answers: Vec<AnswerIn>,
}

#[derive(Serialize, ToSchema)]
pub struct SavedOut {
    saved: usize,
    #[schema(value_type = Option<String>)]
    deadline: Option<Timestamp>,
}

/// Saves answers as the student goes (each replaces the one saved before for its question).
#[utoipa::path(put, path = "/api/v1/attempts/{id}/answers", tag = "quizzes", security(("bearer" = [])),
    params(("id" = String, Path, description = "The attempt")),
    request_body = AnswersIn,
    responses((status = 200, body = SavedOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "The attempt is submitted, or its time ran out (it is then submitted with what was saved before)", body = Problem),
        (status = 422, body = Problem)))]
async fn save_answers(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<AnswersIn>,
) -> Result<Json<SavedOut>, ApiError> {
    let answers = body
        .answers
        .into_iter()
        .map(|a| (a.slot, a.response))
        .collect();
    let saved = quizzes::save_answers(state.services(), &who, &id, answers).await?;
    Ok(Json(SavedOut {
        saved: saved.saved,
        deadline: saved.deadline,
    }))
}

/// Submits the attempt with the answers saved: `score`, `max_score` and `passed` (`null` with
/// state `submitted` while an essay waits for a teacher's grade).
#[utoipa::path(post, path = "/api/v1/attempts/{id}/submit", tag = "quizzes", security(("bearer" = [])),
    params(("id" = String, Path, description = "The attempt")),
    responses((status = 200, body = AttemptOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
async fn submit_attempt(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path(id): Path<String>,
) -> Result<Json<AttemptOut>, ApiError> {
    Ok(Json(
        quizzes::submit(state.services(), &who, &id).await?.into(),
    ))
}

#[derive(Deserialize, Serialize, ToSchema)]
pub struct GradeIn {
    slot: i64,
    /// The share of the question's marks, -1 to 1.
    fraction: f64,
    #[serde(default)]
    comment: String,
}

#[derive(Deserialize, Serialize, ToSchema)]
pub struct GradesIn {
    grades: Vec<GradeIn>,
}

/// A teacher grades questions of a submitted attempt (an essay, or a regrade); once none
/// waits, the attempt is graded and a passing grade completes the lesson.
#[utoipa::path(post, path = "/api/v1/attempts/{id}/grades", tag = "quizzes", security(("bearer" = [])),
    params(("id" = String, Path, description = "The attempt")),
    request_body = GradesIn,
    responses((status = 200, body = AttemptOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, description = "The attempt is in progress", body = Problem),
        (status = 422, body = Problem)))]
async fn grade_attempt(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<GradesIn>,
) -> Result<Json<AttemptOut>, ApiError> {
    let grades = body
        .grades
        .into_iter()
        .map(|g| GradeInput {
            slot: g.slot,
            fraction: g.fraction,
            comment: g.comment,
        })
        .collect();
    let d = quizzes::grade(state.services(), &who, &id, grades, origin.0).await?;
    Ok(Json(d.into()))
}
