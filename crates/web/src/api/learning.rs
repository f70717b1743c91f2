//! Students, enrolments and progress through the API (issue 6): staff who manage learners read
//! the student list and enrol or unenrol; the progress table of a course is read by staff who
//! see reports or edit content. Another school's ids answer 404.

use axum::{
    Json,
    extract::{Path, Query, State},
    http::StatusCode,
};
use educenter_services::{
    learning::{self, EnrolInput},
    store::learning::Enrolment,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    AppState, ClientOrigin,
    auth::Auth,
    problem::{ApiError, ApiJson, Problem},
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_students))
        .routes(routes!(list_enrolments, create_enrolment))
        .routes(routes!(delete_enrolment))
        .routes(routes!(course_progress))
}

#[derive(Serialize, ToSchema)]
pub struct StudentOut {
    id: String,
    full_name: String,
    email: String,
    email_verified: bool,
    created_at: String,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StudentQuery {
    /// Part of a name or e-mail.
    q: Option<String>,
}

/// The school's students by name; `q` searches names and e-mails.
#[utoipa::path(get, path = "/api/v1/students", tag = "learning", security(("bearer" = [])),
    params(StudentQuery),
    responses((status = 200, body = Vec<StudentOut>), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn list_students(
    State(state): State<AppState>,
    Auth(who): Auth,
    Query(q): Query<StudentQuery>,
) -> Result<Json<Vec<StudentOut>>, ApiError> {
    let all = learning::students(state.services(), &who, q.q.as_deref()).await?;
    Ok(Json(
        all.into_iter()
            .map(|u| StudentOut {
                id: u.id,
                full_name: u.full_name,
                email: u.email,
                email_verified: u.email_verified_at.is_some(),
                created_at: u.created_at.to_string(),
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct EnrolmentOut {
    id: String,
    course_id: String,
    user_id: String,
    /// `self` or `staff`.
    source: String,
    access_from: Option<String>,
    access_to: Option<String>,
    enrolled_at: String,
    completed_at: Option<String>,
}

fn enrolment_out(e: Enrolment) -> EnrolmentOut {
    EnrolmentOut {
        id: e.id,
        course_id: e.course_id,
        user_id: e.user_id,
        source: e.source,
        access_from: e.access_from,
        access_to: e.access_to,
        enrolled_at: e.enrolled_at.to_string(),
        completed_at: e.completed_at.map(|t| t.to_string()),
    }
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct EnrolmentIn {
    /// A student of the school.
    user_id: String,
    /// Optional access window (local dates, YYYY-MM-DD).
    access_from: Option<String>,
    access_to: Option<String>,
}

/// A course's enrolments.
#[utoipa::path(get, path = "/api/v1/courses/{id}/enrolments", tag = "learning", security(("bearer" = [])),
    params(("id" = String, Path, description = "The course")),
    responses((status = 200, body = Vec<EnrolmentOut>), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
async fn list_enrolments(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path(id): Path<String>,
) -> Result<Json<Vec<EnrolmentOut>>, ApiError> {
    let all = learning::enrolments(state.services(), &who, &id).await?;
    Ok(Json(all.into_iter().map(enrolment_out).collect()))
}

/// Enrols a student in a course (again, if they were unenrolled: their progress is kept).
#[utoipa::path(post, path = "/api/v1/courses/{id}/enrolments", tag = "learning", security(("bearer" = [])),
    params(("id" = String, Path, description = "The course")),
    request_body = EnrolmentIn,
    responses((status = 201, body = EnrolmentOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn create_enrolment(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<EnrolmentIn>,
) -> Result<(StatusCode, Json<EnrolmentOut>), ApiError> {
    let e = learning::enrol(
        state.services(),
        &who,
        &id,
        EnrolInput {
            user_id: body.user_id,
            access_from: body.access_from,
            access_to: body.access_to,
        },
        origin.0,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(enrolment_out(e))))
}

/// Unenrols a student; the course's files stop opening for them at once.
#[utoipa::path(delete, path = "/api/v1/enrolments/{id}", tag = "learning", security(("bearer" = [])),
    params(("id" = String, Path, description = "The enrolment")),
    responses((status = 204, description = "Unenrolled"), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn delete_enrolment(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    learning::unenrol(state.services(), &who, &id, origin.0).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct ProgressCell {
    lesson_id: String,
    complete: bool,
    /// Where a video or audio was stopped, in milliseconds.
    position_ms: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ProgressRowOut {
    user_id: String,
    full_name: String,
    enrolment_id: String,
    /// Lessons complete.
    done: usize,
    completed_at: Option<String>,
    /// The lessons this student started, in reading order.
    lessons: Vec<ProgressCell>,
}

#[derive(Serialize, ToSchema)]
pub struct ProgressOut {
    course_id: String,
    /// The course's lessons in reading order.
    lesson_ids: Vec<String>,
    students: Vec<ProgressRowOut>,
}

/// The progress table of a course: every enrolled student and the lessons they started.
#[utoipa::path(get, path = "/api/v1/courses/{id}/progress", tag = "learning", security(("bearer" = [])),
    params(("id" = String, Path, description = "The course")),
    responses((status = 200, body = ProgressOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
async fn course_progress(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path(id): Path<String>,
) -> Result<Json<ProgressOut>, ApiError> {
    let (course, lessons, rows) = learning::progress_table(state.services(), &who, &id).await?;
    let students = rows
        .into_iter()
        .map(|r| ProgressRowOut {
            user_id: r.student.id,
            full_name: r.student.full_name,
            enrolment_id: r.enrolment.id,
            done: r.done,
            completed_at: r.enrolment.completed_at.map(|t| t.to_string()),
            lessons: lessons
                .iter()
                .zip(r.cells)
                .filter_map(|(l, c)| {
                    c.map(|(complete, position_ms)| ProgressCell {
                        lesson_id: l.id.clone(),
                        complete,
                        position_ms,
                    })
                })
                .collect(),
        })
        .collect();
    Ok(Json(ProgressOut {
        course_id: course.id,
        lesson_ids: lessons.into_iter().map(|l| l.id).collect(),
        students,
    }))
}
