//! The question bank's page (issue 19, item 2): `/cabinet/questions` lists the school's
//! questions with their types, categories and tags, imports a GIFT or Moodle XML file (what was
//! refused is listed with its reason), and deletes a question. Staff who edit content; reached
//! from the courses page.

use std::collections::HashMap;

use askama::Template;
use axum::{
    Router,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    routing::{get, post},
};
use educenter_domain::questions::{ImportFormat, QuestionKind};
use educenter_services::{
    ServiceError,
    access::Principal,
    question_bank::{self as bank, ImportInput},
    store::{
        page::{MAX_LIMIT, PageRequest},
        question_bank::{Filter, Stored},
    },
};

use super::{Layout, PageResult, redirect_with_flash};
use crate::{AppState, ClientOrigin, auth::WebUser};

const PATH: &str = "/cabinet/questions";

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/cabinet/questions", get(page))
        .route("/cabinet/questions/import", post(import))
        .route("/cabinet/questions/export", get(export))
        .route("/cabinet/questions/{id}/delete", post(delete))
        .route(
            "/cabinet/questions/new",
            get(super::question_edit::new_form).post(super::question_edit::create),
        )
        .route(
            "/cabinet/questions/{id}",
            get(super::question_edit::edit_form).post(super::question_edit::update),
        )
        .route("/cabinet/questions/categories/{id}", post(category_save))
        .route(
            "/cabinet/questions/categories/{id}/delete",
            post(category_delete),
        )
}

#[derive(Template)]
#[template(path = "questions.html")]
struct QuestionsPage<'a> {
    l: Layout<'a>,
    questions: Vec<Stored>,
    /// The bank's categories with what each holds, in the order of their paths.
    categories: Vec<bank::CategoryView>,
    /// The category the list is narrowed to (its id), if any.
    filter: String,
    /// (value, label) of the question types, for a new question.
    types: Vec<(String, String)>,
    /// Why a change to a category was refused.
    category_error: Option<String>,
    /// Each category's path from the top of the bank, by id.
    paths: HashMap<String, String>,
    /// More questions than the page shows.
    more: bool,
    /// Why the file was refused, or the questions that were (each as a sentence).
    problems: Vec<String>,
    /// After an import that skipped questions: how many went in.
    imported: Option<usize>,
    /// The form as sent.
    format: String,
    category: String,
    skip_invalid: bool,
}

impl QuestionsPage<'_> {
    fn path_of(&self, s: &Stored) -> &str {
        self.paths.get(&s.category_id).map_or("", String::as_str)
    }

    fn kind(&self, s: &Stored) -> String {
        self.l.t(&format!("question-type-{}", s.question.kind))
    }
}

/// The form sent back as it was, and what to say about it.
#[derive(Default)]
struct Again {
    /// The category the list is narrowed to.
    filter: String,
    category_error: Option<String>,
    problems: Vec<String>,
    imported: Option<usize>,
    format: String,
    category: String,
    skip_invalid: bool,
}

async fn render(
    state: &AppState,
    headers: &HeaderMap,
    who: &Principal,
    again: Again,
    status: StatusCode,
) -> PageResult {
    let services = state.services();
    let filter = Filter {
        category_id: Some(again.filter.clone()).filter(|c| !c.is_empty()),
        ..Filter::default()
    };
    let found = bank::list(services, who, &filter, &PageRequest::first(MAX_LIMIT)).await?;
    let categories = bank::category_tree(services, who).await?;
    let paths = categories
        .iter()
        .map(|c| (c.category.id.clone(), c.path.clone()))
        .collect();
    let l = Layout::for_user(state, headers, PATH, who);
    let types = QuestionKind::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), l.t(&format!("question-type-{k}"))))
        .collect();
    let page = QuestionsPage {
        questions: found.items,
        categories,
        filter: again.filter,
        types,
        category_error: again.category_error,
        more: found.next.is_some(),
        paths,
        problems: again.problems,
        imported: again.imported,
        format: if again.format.is_empty() {
            ImportFormat::Gift.as_str().to_owned()
        } else {
            again.format
        },
        category: again.category,
        skip_invalid: again.skip_invalid,
        l,
    };
    Ok(page.l.render(status, &page))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct ListQuery {
    /// Only this category's questions (its id).
    category: String,
}

async fn page(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    axum::extract::Query(q): axum::extract::Query<ListQuery>,
    headers: HeaderMap,
) -> PageResult {
    let again = Again {
        filter: q.category,
        ..Again::default()
    };
    render(&state, &headers, &who, again, StatusCode::OK).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct CategoryForm {
    name: String,
    /// Empty: the top.
    parent_id: String,
}

/// Renames a category or moves it under another.
async fn category_save(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<CategoryForm>,
) -> PageResult {
    let input = bank::CategoryInput {
        name: Some(form.name),
        parent_id: Some(Some(form.parent_id).filter(|p| !p.is_empty())),
    };
    match bank::change_category(state.services(), &who, &id, input, origin.0).await {
        Ok(_) => Ok(redirect_with_flash(&state, PATH, "category-saved")),
        Err(ServiceError::Invalid(found)) => {
            let l = Layout::new(&state, &headers, PATH);
            let words: Vec<String> = found.iter().map(|(_, m)| l.say(m)).collect();
            let why = words.join(" ");
            category_refused(
                &state,
                &headers,
                &who,
                why,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// Deletes an empty category.
async fn category_delete(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> PageResult {
    match bank::delete_category(state.services(), &who, &id, origin.0).await {
        Ok(()) => Ok(redirect_with_flash(&state, PATH, "category-deleted")),
        Err(ServiceError::Conflict(m)) => {
            let l = Layout::new(&state, &headers, PATH);
            category_refused(&state, &headers, &who, l.say(&m), StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The bank's page again with why a change to a category was refused.
async fn category_refused(
    state: &AppState,
    headers: &HeaderMap,
    who: &Principal,
    why: String,
    status: StatusCode,
) -> PageResult {
    let again = Again {
        category_error: Some(why),
        ..Again::default()
    };
    render(state, headers, who, again, status).await
}

/// Imports the file of the form (`file`, `format`, `category`, `skip_invalid`).
async fn import(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    headers: HeaderMap,
    mut form: axum::extract::Multipart,
) -> PageResult {
    let mut again = Again::default();
    let mut file = Vec::new();
    let mut broke = false;
    loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => {
                broke = true;
                break;
            }
        };
        let name = field.name().unwrap_or_default().to_owned();
        let Ok(bytes) = field.bytes().await else {
            broke = true;
            break;
        };
        match name.as_str() {
            "file" => file = bytes.to_vec(),
            "format" => again.format = String::from_utf8_lossy(&bytes).into_owned(),
            "category" => again.category = String::from_utf8_lossy(&bytes).trim().to_owned(),
            "skip_invalid" => again.skip_invalid = true,
            _ => {}
        }
    }
    let l = Layout::new(&state, &headers, PATH);
    let refuse = |problems: Vec<String>, again: Again| Again { problems, ..again };
    let format = ImportFormat::parse(&again.format);
    let problem = if broke {
        Some(l.say(&educenter_services::Msg::new("err-upload-broke")))
    } else if format.is_none() {
        Some(l.t("questions-import-bad-format"))
    } else if file.is_empty() {
        Some(l.t("questions-import-no-file"))
    } else {
        None
    };
    let (Some(format), None) = (format, problem.clone()) else {
        let again = refuse(problem.into_iter().collect(), again);
        return render(
            &state,
            &headers,
            &who,
            again,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let input = ImportInput {
        format,
        category: Some(again.category.clone()).filter(|c| !c.is_empty()),
        content: file,
        skip_invalid: again.skip_invalid,
    };
    let say = |r: &bank::Refused| refused(&l, r.index, &r.name, &l.say(&r.message));
    let outcome = match bank::import(state.services(), &who, input, origin.0).await {
        Ok(outcome) => outcome,
        // The file itself: not UTF-8, not XML, no question, too many.
        Err(ServiceError::Invalid(found)) => {
            let again = refuse(found.iter().map(|(_, m)| l.say(m)).collect(), again);
            return render(
                &state,
                &headers,
                &who,
                again,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
        Err(e) => return Err(e.into()),
    };
    let (again, status) = match outcome {
        Ok(report) if report.refused.is_empty() => {
            return Ok(redirect_with_flash(&state, PATH, "questions-imported"));
        }
        Ok(report) => {
            let problems = report.refused.iter().map(say).collect();
            let imported = Some(report.imported.len());
            (
                Again {
                    imported,
                    ..refuse(problems, again)
                },
                StatusCode::OK,
            )
        }
        Err(refused) => (
            refuse(refused.iter().map(say).collect(), again),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    };
    render(&state, &headers, &who, again, status).await
}

/// "Question 4 (Name): why" — numbered from 1, as people count.
fn refused(l: &Layout<'_>, index: usize, name: &str, why: &str) -> String {
    let number = (index + 1).to_string();
    if name.is_empty() {
        l.t_args(
            "questions-refused",
            &[("number", number), ("why", why.to_owned())],
        )
    } else {
        l.t_args(
            "questions-refused-named",
            &[
                ("number", number),
                ("name", name.to_owned()),
                ("why", why.to_owned()),
            ],
        )
    }
}

async fn delete(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
) -> PageResult {
    bank::delete(state.services(), &who, &id, origin.0).await?;
    Ok(redirect_with_flash(&state, PATH, "question-deleted"))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct ExportForm {
    category: String,
}

/// The bank (or one category) as a Moodle XML file.
async fn export(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    axum::extract::Query(q): axum::extract::Query<ExportForm>,
) -> PageResult {
    let category = Some(q.category.as_str()).filter(|c| !c.is_empty());
    let (xml, _) = bank::export(state.services(), &who, category).await?;
    Ok(crate::api::question_bank::xml_file(xml))
}
