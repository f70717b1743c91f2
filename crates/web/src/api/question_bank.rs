//! The school's question bank through the API (issue 19, item 2): import from GIFT and Moodle
//! XML, categories, and questions listed, read, written and deleted. Staff who edit content;
//! writes need a session or a `read_write` token.

use axum::{
    Json,
    extract::{Path, Query, State},
    http::StatusCode,
};
use base64::Engine;
use educenter_domain::questions::{
    Answer, Fraction, ImportFormat, Mark, MatchPair, Question, QuestionKind, RichText, TextFormat,
};
use educenter_services::{
    question_bank::{self as bank, ImportInput},
    store::question_bank::{Category, Filter, Stored},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
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
        .routes(routes!(import_questions))
        .routes(routes!(list_categories))
        .routes(routes!(update_category, delete_category))
        .routes(routes!(export_questions))
        .routes(routes!(list_questions, create_question))
        .routes(routes!(get_question, update_question, delete_question))
}

page_of!(QuestionPage, QuestionOut, "questions");
page_of!(CategoryPage, CategoryOut, "question categories");

#[derive(Serialize, ToSchema)]
pub struct AnswerOut {
    text: String,
    format: TextFormat,
    /// The answer's share of the question's mark, from -1 to 1.
    fraction: f64,
    feedback: String,
    feedback_format: TextFormat,
    /// Numerical answers: how far off a number may be (absent: a catch-all answer).
    #[serde(skip_serializing_if = "Option::is_none")]
    tolerance: Option<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct PairOut {
    /// The item to match (empty: an answer that matches nothing).
    item: String,
    item_format: TextFormat,
    answer: String,
}

#[derive(Serialize, ToSchema)]
pub struct QuestionOut {
    id: String,
    category_id: String,
    #[serde(rename = "type")]
    kind: QuestionKind,
    name: String,
    text: String,
    text_format: TextFormat,
    general_feedback: String,
    default_mark: f64,
    /// What each wrong try costs, from 0 to 1.
    penalty: f64,
    /// Choices, accepted answers, or (true/false) `true` then `false`.
    answers: Vec<AnswerOut>,
    /// Multichoice: one answer rather than several.
    single: bool,
    shuffle: bool,
    /// Short answer: letters' case counts.
    case_sensitive: bool,
    /// True/false: the right answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    correct: Option<bool>,
    pairs: Vec<PairOut>,
    hints: Vec<String>,
    tags: Vec<String>,
    idnumber: Option<String>,
    created_at: String,
    updated_at: String,
}

fn question_out(s: Stored) -> QuestionOut {
    let q = s.question;
    QuestionOut {
        correct: q.correct_answer(),
        id: s.id,
        category_id: s.category_id,
        kind: q.kind,
        name: q.name,
        text: q.text.text,
        text_format: q.text.format,
        general_feedback: q.general_feedback.text,
        default_mark: q.default_mark.as_f64(),
        penalty: q.penalty.as_f64(),
        answers: q
            .answers
            .into_iter()
            .map(|a| AnswerOut {
                text: a.text.text,
                format: a.text.format,
                fraction: a.fraction.as_f64(),
                feedback: a.feedback.text,
                feedback_format: a.feedback.format,
                tolerance: a.tolerance,
            })
            .collect(),
        single: q.single,
        shuffle: q.shuffle,
        case_sensitive: q.case_sensitive,
        pairs: q
            .pairs
            .into_iter()
            .map(|p| PairOut {
                item: p.item.text,
                item_format: p.item.format,
                answer: p.answer,
            })
            .collect(),
        hints: q.hints.into_iter().map(|h| h.text).collect(),
        tags: q.tags,
        idnumber: q.idnumber,
        created_at: s.created_at.to_string(),
        updated_at: s.updated_at.to_string(),
    }
}

#[derive(Serialize, ToSchema)]
pub struct CategoryOut {
    id: String,
    /// `null` at the top of the bank.
    parent_id: Option<String>,
    name: String,
    info: String,
    idnumber: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct QuestionImportIn {
    format: ImportFormat,
    /// The category (a path, `Algebra/Fractions`) the questions go to until the file names
    /// one; made when missing [default: `Default`].
    category: Option<String>,
    /// The file as text.
    content: Option<String>,
    /// The file's bytes in base64 (so that a file not in UTF-8 can be sent, and refused).
    content_base64: Option<String>,
    /// Import the valid questions of a file that holds invalid ones (otherwise none is).
    #[serde(default)]
    skip_invalid: bool,
}

#[derive(Serialize, ToSchema)]
pub struct QuestionImportError {
    /// The question's place among the file's questions, from 0.
    index: usize,
    name: String,
    message: String,
}

#[derive(Serialize, ToSchema)]
pub struct QuestionImportOut {
    imported: usize,
    questions: Vec<QuestionOut>,
    /// The questions not imported (with `skip_invalid`), and why.
    errors: Vec<QuestionImportError>,
}

/// Imports questions from a GIFT or Moodle XML file. A file that does not read, holds no
/// question, or holds one that cannot be saved imports nothing (422 naming each refused question
/// as `questions[i]`), unless `skip_invalid`, which imports the valid ones and lists the others.
#[utoipa::path(post, path = "/api/v1/question-bank/import", tag = "content",
    security(("bearer" = [])), request_body = QuestionImportIn,
    responses((status = 201, body = QuestionImportOut), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn import_questions(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<QuestionImportIn>,
) -> Result<(StatusCode, Json<QuestionImportOut>), ApiError> {
    let field = |name: &str, key: &'static str| {
        ApiError::from(educenter_services::ServiceError::Invalid(vec![(
            name.to_owned(),
            educenter_services::Msg::new(key),
        )]))
    };
    let content = match (body.content, body.content_base64) {
        (Some(text), None) => text.into_bytes(),
        (None, Some(b64)) => {
            let clean: String = b64.split_ascii_whitespace().collect();
            base64::engine::general_purpose::STANDARD
                .decode(clean)
                .map_err(|_| field("content_base64", "err-base64"))?
        }
        _ => return Err(field("content", "err-import-content")),
    };
    let report = bank::import(
        state.services(),
        &who,
        ImportInput {
            format: body.format,
            category: body.category,
            content,
            skip_invalid: body.skip_invalid,
        },
        origin.0,
    )
    .await?
    .map_err(|refused| {
        educenter_services::ServiceError::Invalid(
            refused
                .into_iter()
                .map(|r| (format!("questions[{}]", r.index), r.message))
                .collect(),
        )
    })?;
    let lang = crate::problem::reader_lang();
    Ok((
        StatusCode::CREATED,
        Json(QuestionImportOut {
            imported: report.imported.len(),
            questions: report.imported.into_iter().map(question_out).collect(),
            errors: report
                .refused
                .into_iter()
                .map(|r| QuestionImportError {
                    index: r.index,
                    name: r.name,
                    message: r.message.render(lang),
                })
                .collect(),
        }),
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// One category with its subcategories (its id, or its path of names `Top/Algebra`);
    /// absent: the whole bank.
    category: Option<String>,
}

/// The bank, or one category with its subcategories, as a Moodle XML file (at most 10 000
/// questions) that Moodle and this bank's import read back.
#[utoipa::path(get, path = "/api/v1/question-bank/export", tag = "content",
    security(("bearer" = [])), params(ExportQuery),
    responses((status = 200, content_type = "application/xml", body = String),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 422, description = "More questions than one export holds", body = Problem)))]
async fn export_questions(
    State(state): State<AppState>,
    Auth(who): Auth,
    Query(q): Query<ExportQuery>,
) -> Result<axum::response::Response, ApiError> {
    let (xml, _) = bank::export(state.services(), &who, q.category.as_deref()).await?;
    Ok(xml_file(xml))
}

/// A Moodle XML download.
pub(crate) fn xml_file(xml: String) -> axum::response::Response {
    crate::api::documents::file_response(
        xml.into_bytes(),
        "application/xml; charset=utf-8",
        "questions.moodle.xml",
    )
}

/// The bank's categories, parents before their children.
#[utoipa::path(get, path = "/api/v1/question-bank/categories", tag = "content",
    security(("bearer" = [])), params(PageParams),
    responses((status = 200, body = CategoryPage), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, description = "A bad `limit` or `after`, or a NUL in a parameter", body = Problem)))]
async fn list_categories(
    State(state): State<AppState>,
    Auth(who): Auth,
    PageQuery(page): PageQuery,
) -> Result<Json<CategoryPage>, ApiError> {
    let all = bank::categories(state.services(), &who).await?;
    let page = educenter_services::store::page::Page::cut(all, &page, |c: &Category| c.id.clone())
        .map_err(educenter_services::ServiceError::from)?;
    Ok(Json(CategoryPage::of(page, category_out)))
}

fn category_out(c: Category) -> CategoryOut {
    CategoryOut {
        id: c.id,
        parent_id: c.parent_id,
        name: c.name,
        info: c.info.text,
        idnumber: c.idnumber,
    }
}

/// A change to a category; absent fields keep their value.
#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct CategoryIn {
    /// A new name (no "/").
    name: Option<String>,
    /// The category to put it under; `null` puts it at the top.
    #[serde(deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    parent_id: Option<Option<String>>,
}

/// A field that is present (perhaps `null`) is `Some`; an absent one stays `None`.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Ok(Some(Option::deserialize(d)?))
}

/// Renames a category or moves it (with its subcategories and questions) under another.
#[utoipa::path(patch, path = "/api/v1/question-bank/categories/{id}", tag = "content",
    security(("bearer" = [])), params(("id" = String, Path, description = "The category")),
    request_body = CategoryIn,
    responses((status = 200, body = CategoryOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn update_category(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CategoryIn>,
) -> Result<Json<CategoryOut>, ApiError> {
    let input = bank::CategoryInput {
        name: body.name,
        parent_id: body.parent_id,
    };
    let c = bank::change_category(state.services(), &who, &id, input, origin.0).await?;
    Ok(Json(category_out(c)))
}

/// Deletes an empty category: 409 while it holds questions or subcategories or a quiz draws
/// from it.
#[utoipa::path(delete, path = "/api/v1/question-bank/categories/{id}", tag = "content",
    security(("bearer" = [])), params(("id" = String, Path, description = "The category")),
    responses((status = 204, description = "Deleted"), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn delete_category(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    bank::delete_category(state.services(), &who, &id, origin.0).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QuestionQuery {
    /// Only this category's questions (not its subcategories').
    category_id: Option<String>,
    /// Only questions with this tag (any case).
    tag: Option<String>,
    /// Only questions of this type.
    #[serde(rename = "type")]
    kind: Option<String>,
}

/// The bank's questions in the order they were added.
#[utoipa::path(get, path = "/api/v1/questions", tag = "content", security(("bearer" = [])),
    params(QuestionQuery, PageParams),
    responses((status = 200, body = QuestionPage), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, description = "A bad `type`, `limit` or `after`, or a NUL in a parameter", body = Problem)))]
async fn list_questions(
    State(state): State<AppState>,
    Auth(who): Auth,
    Query(q): Query<QuestionQuery>,
    PageQuery(page): PageQuery,
) -> Result<Json<QuestionPage>, ApiError> {
    let kind = match q.kind.as_deref().filter(|k| !k.is_empty()) {
        None => None,
        Some(word) => Some(QuestionKind::parse(word).ok_or_else(|| {
            ApiError::from(educenter_services::ServiceError::Invalid(vec![(
                "type".into(),
                educenter_services::Msg::one_of_words::<QuestionKind>(),
            )]))
        })?),
    };
    let filter = Filter {
        category_id: q.category_id.filter(|c| !c.is_empty()),
        tag: q.tag.filter(|t| !t.is_empty()),
        kind,
    };
    let found = bank::list(state.services(), &who, &filter, &page).await?;
    Ok(Json(QuestionPage::of(found, question_out)))
}

#[derive(Deserialize, ToSchema)]
pub struct AnswerIn {
    text: String,
    /// The answer's share of the mark, from -1 to 1 (one of Moodle's grade options).
    fraction: f64,
    #[serde(default)]
    feedback: String,
    /// Numerical answers: how far off a number may be [default: 0].
    tolerance: Option<f64>,
}

#[derive(Deserialize, ToSchema)]
pub struct PairIn {
    /// The item (empty: an answer that matches nothing).
    #[serde(default)]
    item: String,
    answer: String,
}

#[derive(Deserialize, ToSchema)]
pub struct QuestionIn {
    #[serde(rename = "type")]
    kind: QuestionKind,
    name: String,
    text: String,
    /// How `text` (and the feedback) is written [default: `html`].
    text_format: Option<TextFormat>,
    /// The category (a path) [default: `Default`]; made when missing.
    category: Option<String>,
    #[serde(default)]
    general_feedback: String,
    /// [default: 1; 0 for a description]
    default_mark: Option<f64>,
    /// [default: a third; all of it for true/false]
    penalty: Option<f64>,
    /// Choices (multichoice) or accepted answers (short answer, numerical).
    #[serde(default)]
    answers: Vec<AnswerIn>,
    /// True/false: the right answer.
    correct: Option<bool>,
    /// Multichoice: one answer rather than several [default: true].
    single: Option<bool>,
    /// [default: true]
    shuffle: Option<bool>,
    #[serde(default)]
    case_sensitive: bool,
    /// Matching: items and their answers.
    #[serde(default)]
    pairs: Vec<PairIn>,
    #[serde(default)]
    tags: Vec<String>,
    idnumber: Option<String>,
}

fn question_in(
    body: QuestionIn,
) -> Result<(Option<String>, Question), educenter_services::ServiceError> {
    let invalid = |field: String, key: &'static str| {
        educenter_services::ServiceError::Invalid(vec![(field, educenter_services::Msg::new(key))])
    };
    let fmt = body.text_format.unwrap_or(TextFormat::Html);
    let mut q = Question::new(
        body.kind,
        body.name.trim(),
        RichText::new(body.text.trim(), fmt),
    );
    q.general_feedback = RichText::new(body.general_feedback.trim(), fmt);
    if let Some(m) = body.default_mark {
        q.default_mark =
            Mark::from_f64(m).ok_or_else(|| invalid("default_mark".into(), "err-question-mark"))?;
    }
    if let Some(p) = body.penalty {
        q.penalty = Fraction::from_f64(p)
            .filter(|p| p.units() >= 0)
            .ok_or_else(|| invalid("penalty".into(), "err-question-penalty"))?;
    }
    q.case_sensitive = body.case_sensitive;
    q.single = body.single.unwrap_or(true);
    q.shuffle = body.shuffle.unwrap_or(true);
    if body.kind == QuestionKind::TrueFalse {
        let correct = body
            .correct
            .ok_or_else(|| invalid("correct".into(), "err-question-correct"))?;
        let answer = |word: &str, good: bool| Answer {
            text: RichText::new(word, TextFormat::Plain),
            fraction: if good { Fraction::FULL } else { Fraction::ZERO },
            feedback: RichText::empty(fmt),
            tolerance: None,
        };
        q.answers = vec![answer("true", correct), answer("false", !correct)];
    } else {
        for (i, a) in body.answers.into_iter().enumerate() {
            let fraction = Fraction::from_f64(a.fraction).ok_or_else(|| {
                invalid(format!("answers[{i}].fraction"), "err-question-fraction")
            })?;
            let plain = matches!(
                body.kind,
                QuestionKind::ShortAnswer | QuestionKind::Numerical
            );
            q.answers.push(Answer {
                text: RichText::new(a.text.trim(), if plain { TextFormat::Plain } else { fmt }),
                fraction,
                feedback: RichText::new(a.feedback.trim(), fmt),
                tolerance: (body.kind == QuestionKind::Numerical)
                    .then(|| a.tolerance.unwrap_or(0.0)),
            });
        }
    }
    q.pairs = body
        .pairs
        .into_iter()
        .map(|p| MatchPair {
            item: RichText::new(p.item.trim(), fmt),
            answer: p.answer.trim().to_owned(),
        })
        .collect();
    q.tags = body
        .tags
        .into_iter()
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .collect();
    q.idnumber = body
        .idnumber
        .map(|i| i.trim().to_owned())
        .filter(|i| !i.is_empty());
    Ok((body.category, q))
}

/// Adds a question to the bank; it is checked as Moodle checks it (grade options, a choice
/// worth 100%, positive grades of several answers adding up to 100%).
#[utoipa::path(post, path = "/api/v1/questions", tag = "content", security(("bearer" = [])),
    request_body = QuestionIn,
    responses((status = 201, body = QuestionOut), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn create_question(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<QuestionIn>,
) -> Result<(StatusCode, Json<QuestionOut>), ApiError> {
    let (category, q) = question_in(body)?;
    let saved = bank::save(
        state.services(),
        &who,
        None,
        category.as_deref(),
        q,
        origin.0,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(question_out(saved))))
}

/// One question.
#[utoipa::path(get, path = "/api/v1/questions/{id}", tag = "content", security(("bearer" = [])),
    params(("id" = String, Path, description = "The question")),
    responses((status = 200, body = QuestionOut), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn get_question(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path(id): Path<String>,
) -> Result<Json<QuestionOut>, ApiError> {
    Ok(Json(question_out(
        bank::get(state.services(), &who, &id).await?,
    )))
}

/// Replaces a question.
#[utoipa::path(put, path = "/api/v1/questions/{id}", tag = "content", security(("bearer" = [])),
    params(("id" = String, Path, description = "The question")), request_body = QuestionIn,
    responses((status = 200, body = QuestionOut), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn update_question(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<QuestionIn>,
) -> Result<Json<QuestionOut>, ApiError> {
    let (category, q) = question_in(body)?;
    let saved = bank::save(
        state.services(),
        &who,
        Some(&id),
        category.as_deref(),
        q,
        origin.0,
    )
    .await?;
    Ok(Json(question_out(saved)))
}

/// Deletes a question from the bank.
#[utoipa::path(delete, path = "/api/v1/questions/{id}", tag = "content", security(("bearer" = [])),
    params(("id" = String, Path, description = "The question")),
    responses((status = 204, description = "Deleted"), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn delete_question(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    bank::delete(state.services(), &who, &id, origin.0).await?;
    Ok(StatusCode::NO_CONTENT)
}
