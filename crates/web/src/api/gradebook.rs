//! The gradebook through the API (issue 19, item 5): a course's students × its quizzes and
//! assignments, as JSON, CSV or XLSX; a student reads their own row.

use axum::{
    Json,
    extract::{Path, Query, State},
    http::HeaderMap,
    response::{IntoResponse, Response},
};
use educenter_domain::content::LessonKind;
use educenter_domain::gradebook::{Cell, GradeState, percent_text};
use educenter_services::gradebook::{self, Gradebook};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

pub(crate) use crate::api::documents::file_response;
use crate::{
    AppState,
    auth::Auth,
    problem::{ApiError, Problem},
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(course_gradebook))
}

/// A graded item of the course.
#[derive(Serialize, ToSchema)]
pub struct GradedItem {
    lesson_id: String,
    title: String,
    /// `quiz` or `assignment`.
    kind: LessonKind,
}

/// A student's standing in one item.
#[derive(Serialize, ToSchema)]
pub struct GradeCell {
    lesson_id: String,
    /// `none`, `waiting` (for a teacher), `returned` (for revision), `failed`, `passed`.
    state: GradeState,
    /// The grade in percent of the item's maximum (one decimal, cut), once given.
    grade_percent: Option<f64>,
}

/// A student's row.
#[derive(Serialize, ToSchema)]
pub struct GradeRow {
    user_id: String,
    full_name: String,
    email: String,
    cells: Vec<GradeCell>,
    /// The course grade so far: the mean of the grades given, in percent.
    grade_percent: Option<f64>,
    /// Required lessons complete, of `required`.
    done: usize,
    required: usize,
    completed_at: Option<String>,
}

/// A course's gradebook.
#[derive(Serialize, ToSchema)]
pub struct GradebookOut {
    course_id: String,
    items: Vec<GradedItem>,
    students: Vec<GradeRow>,
}

fn percent(grade: Option<i64>) -> Option<f64> {
    grade.and_then(|g| percent_text(g).parse().ok())
}

fn cell(lesson_id: String, c: Cell) -> GradeCell {
    GradeCell {
        lesson_id,
        state: c.state,
        grade_percent: percent(c.grade),
    }
}

fn out(gb: Gradebook) -> GradebookOut {
    let ids: Vec<String> = gb.items.iter().map(|i| i.lesson_id.to_string()).collect();
    GradebookOut {
        course_id: gb.course.id.into_string(),
        students: gb
            .rows
            .into_iter()
            .map(|r| GradeRow {
                user_id: r.user_id.into_string(),
                full_name: r.full_name,
                email: r.email,
                cells: ids
                    .iter()
                    .cloned()
                    .zip(r.cells)
                    .map(|(id, c)| cell(id, c))
                    .collect(),
                grade_percent: percent(r.grade),
                done: r.done,
                required: r.required,
                completed_at: r.completed_at.map(|t| t.to_string()),
            })
            .collect(),
        items: gb
            .items
            .into_iter()
            .map(|i| GradedItem {
                lesson_id: i.lesson_id.into_string(),
                title: i.title,
                kind: i.kind,
            })
            .collect(),
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GradebookQuery {
    /// Only the members of this group (staff).
    group_id: Option<String>,
    /// `json` (the default), `csv` or `xlsx` (a file in the language of `Accept-Language`).
    format: Option<String>,
}

pub(crate) const CSV: &str = "text/csv; charset=utf-8";
pub(crate) const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A course's students × its quizzes and assignments: each student's standing and grade in
/// each, the course grade so far and the required lessons done. Staff who read the course's
/// reports get every student (a teacher: of their courses); a student enrolled in it gets
/// their own row.
#[utoipa::path(get, path = "/api/v1/courses/{id}/gradebook", tag = "learning", security(("bearer" = [])),
    params(("id" = String, Path, description = "The course"), GradebookQuery),
    responses((status = 200, body = GradebookOut,
            description = "The gradebook (JSON), or with `format`, a CSV or XLSX file"),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn course_gradebook(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path(id): Path<String>,
    Query(q): Query<GradebookQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let services = state.services();
    let format = q.format.as_deref().map(str::trim).unwrap_or("json");
    if !matches!(format, "json" | "csv" | "xlsx" | "") {
        return Err(educenter_services::ServiceError::Invalid(vec![(
            "format".into(),
            educenter_services::Msg::new("err-gradebook-format"),
        )])
        .into());
    }
    let gb = gradebook::gradebook(services, &who, &id, q.group_id.as_deref()).await?;
    let lang = crate::base::request_lang(&headers);
    let name = format!("gradebook-{}", gb.course.id);
    Ok(match format {
        "csv" => file_response(
            gradebook::to_csv(services, lang, &gb)?,
            CSV,
            &format!("{name}.csv"),
        ),
        "xlsx" => file_response(
            gradebook::to_xlsx(services, lang, &gb)?,
            XLSX,
            &format!("{name}.xlsx"),
        ),
        _ => Json(out(gb)).into_response(),
    })
}
