//! Students, enrolments and progress through the API (issue 6): staff who manage learners read
//! the student list and enrol or unenrol; the progress table of a course is read by staff who
//! see reports or edit content. Another school's ids answer 404.

use axum::{
    Json,
    extract::{Path, Query, State},
    http::StatusCode,
};
use educenter_domain::learning::EnrolmentSource;
use educenter_services::{
    learning::{self, EnrolInput},
    store::learning::Enrolment,
};
use jiff::civil::Date;
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
        .routes(routes!(list_students, add_student))
        .routes(routes!(import_students))
        .routes(routes!(get_student, delete_student))
        .routes(routes!(archive_student))
        .routes(routes!(restore_student))
        .routes(routes!(archived_students))
        .routes(routes!(list_groups, create_group))
        .routes(routes!(add_group_member))
        .routes(routes!(list_enrolments, create_enrolment))
        .routes(routes!(delete_enrolment))
        .routes(routes!(enrol_group))
        .routes(routes!(course_progress))
        .routes(routes!(group_progress))
        .routes(routes!(resend_invitation))
}

page_of!(StudentPage, StudentOut, "students");
page_of!(GroupPage, GroupOut, "groups");
page_of!(EnrolmentPage, EnrolmentOut, "enrolments");
page_of!(ArchivedPage, ArchivedOut, "students in the learners' trash");

#[derive(Serialize, ToSchema)]
pub struct ArchivedOut {
    id: String,
    full_name: String,
    email: String,
    #[schema(value_type = String)]
    archived_at: jiff::Timestamp,
    /// The day they are erased unless restored before (`YYYY-MM-DD`, Almaty).
    #[schema(value_type = String)]
    erased_on: jiff::civil::Date,
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
    params(StudentQuery, PageParams),
    responses((status = 200, body = StudentPage), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, description = "A bad `limit` or `after`, or a NUL in a parameter", body = Problem)))]
async fn list_students(
    State(state): State<AppState>,
    Auth(who): Auth,
    Query(q): Query<StudentQuery>,
    PageQuery(page): PageQuery,
) -> Result<Json<StudentPage>, ApiError> {
    let found = learning::students_page(state.services(), &who, q.q.as_deref(), &page).await?;
    Ok(Json(StudentPage::of(found, |u| StudentOut {
        id: u.id.into_string(),
        full_name: u.full_name,
        email: u.email,
        email_verified: u.email_verified_at.is_some(),
        created_at: u.created_at.to_string(),
    })))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct StudentIn {
    full_name: String,
    email: String,
    /// International form, e.g. +77011234567 (optional).
    phone: String,
    /// A group to put the student in, created when missing (optional).
    group: String,
}

impl From<StudentIn> for learning::StudentInput {
    fn from(s: StudentIn) -> Self {
        Self {
            full_name: s.full_name,
            email: s.email,
            phone: s.phone,
            group: s.group,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CreatedId {
    id: String,
}

/// Adds a student by hand; they are e-mailed an invitation to set a password. Counts against
/// the plan's student limit.
#[utoipa::path(post, path = "/api/v1/students", tag = "learning", security(("bearer" = [])),
    request_body = StudentIn,
    responses((status = 201, body = CreatedId), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, body = Problem)))]
async fn add_student(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<StudentIn>,
) -> Result<(StatusCode, Json<CreatedId>), ApiError> {
    let id = learning::add_student(state.services(), &who, body.into(), origin.0).await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedId {
            id: id.into_string(),
        }),
    ))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct ImportIn {
    /// CSV with a header row naming the columns `full_name`, `email`, `phone`, `group` (or in
    /// Russian or Kazakh: `ФИО`, `E-mail`, `Телефон`, `Группа`, `Аты-жөні`, ...); `;` or `,`
    /// between columns.
    csv: String,
}

#[derive(Serialize, ToSchema)]
pub struct ImportOut {
    /// How many students were added.
    imported: usize,
}

/// Imports students from CSV: all rows or none. Send `{"csv": "..."}` as JSON, or the file
/// itself as `text/csv` (UTF-8 with or without a BOM, or Windows-1251). 201 with the count, or
/// a 422 problem whose `errors` name every refused row and field as the spreadsheet numbers
/// them (`rows[2].email`: the header is row 1) and why.
#[utoipa::path(post, path = "/api/v1/students/import", tag = "learning", security(("bearer" = [])),
    request_body(content(
        (ImportIn = "application/json"),
        (String = "text/csv"),
    )),
    responses((status = 201, body = ImportOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 415, body = Problem), (status = 422, body = Problem)))]
async fn import_students(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<ImportOut>), ApiError> {
    let kind = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let file = if kind.starts_with("application/json") {
        let parsed: ImportIn = serde_json::from_slice(&body).map_err(|e| {
            crate::problem::Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                format!("The body is not {{\"csv\": \"...\"}}: {e}"),
            )
        })?;
        parsed.csv.into_bytes()
    } else if kind.starts_with("text/csv") || kind.starts_with("text/plain") {
        body.to_vec()
    } else {
        return Err(
            crate::problem::Problem::from_status(StatusCode::UNSUPPORTED_MEDIA_TYPE).into(),
        );
    };
    match educenter_services::student_import::import(state.services(), &who, &file, origin.0)
        .await?
    {
        Ok(imported) => Ok((StatusCode::CREATED, Json(ImportOut { imported }))),
        Err(rows) => Err(educenter_services::ServiceError::Invalid(
            rows.into_iter()
                .map(|e| (format!("rows[{}].{}", e.row, e.field), e.message))
                .collect(),
        )
        .into()),
    }
}

#[derive(Serialize, ToSchema)]
pub struct StudentCourseOut {
    course_id: String,
    title: String,
    enrolment_id: String,
    /// Required lessons complete, of `required`.
    done: usize,
    required: usize,
    completed_at: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct StudentDetailOut {
    id: String,
    full_name: String,
    email: String,
    phone: Option<String>,
    groups: Vec<String>,
    courses: Vec<StudentCourseOut>,
}

/// Deletes a student: their personal data is erased at once (name, e-mail, phone, password,
/// enrolments, progress, groups, consents, sessions), and they are gone from every page and
/// answer; the audit trail keeps a pseudonymous id. The owner and administrators; audited.
#[utoipa::path(delete, path = "/api/v1/students/{id}", tag = "learning", security(("bearer" = [])),
    params(("id" = String, Path, description = "The student")),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
async fn delete_student(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
) -> Result<axum::http::StatusCode, ApiError> {
    educenter_services::erasure::delete_student(state.services(), &who, &id, origin.0).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// Archives a student into the learners' trash: they leave the lists and cannot sign in, their
/// data is kept for 30 days (restore with `POST .../restore`), then erased. Audited.
#[utoipa::path(post, path = "/api/v1/students/{id}/archive", tag = "learning", security(("bearer" = [])),
    params(("id" = String, Path, description = "The student")),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
async fn archive_student(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
) -> Result<axum::http::StatusCode, ApiError> {
    educenter_services::erasure::archive_student(state.services(), &who, &id, origin.0).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// Brings a student back from the learners' trash (within 30 days of archiving), with their
/// courses, progress and groups. 404 when they are not there.
#[utoipa::path(post, path = "/api/v1/students/{id}/restore", tag = "learning", security(("bearer" = [])),
    params(("id" = String, Path, description = "The student")),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
async fn restore_student(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
) -> Result<axum::http::StatusCode, ApiError> {
    educenter_services::erasure::restore_student(state.services(), &who, &id, origin.0).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// The learners' trash: the students archived in the last 30 days, the last archived first.
#[utoipa::path(get, path = "/api/v1/students/archived", tag = "learning", security(("bearer" = [])),
    params(PageParams),
    responses((status = 200, body = ArchivedPage), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, body = Problem)))]
async fn archived_students(
    State(state): State<AppState>,
    Auth(who): Auth,
    PageQuery(page): PageQuery,
) -> Result<Json<ArchivedPage>, ApiError> {
    let page =
        educenter_services::erasure::archived_students(state.services(), &who, &page).await?;
    Ok(Json(ArchivedPage::of(page, |u| ArchivedOut {
        id: u.id.into_string(),
        full_name: u.full_name,
        email: u.email,
        archived_at: u.removed_at.unwrap_or_default(),
        erased_on: educenter_services::erasure::erased_on(u.removed_at.unwrap_or_default()),
    })))
}

/// A student with their groups and courses, and their progress in each.
#[utoipa::path(get, path = "/api/v1/students/{id}", tag = "learning", security(("bearer" = [])),
    params(("id" = String, Path, description = "The student")),
    responses((status = 200, body = StudentDetailOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
async fn get_student(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path(id): Path<String>,
) -> Result<Json<StudentDetailOut>, ApiError> {
    let d = learning::student(state.services(), &who, &id).await?;
    Ok(Json(StudentDetailOut {
        id: d.user.id.into_string(),
        full_name: d.user.full_name,
        email: d.user.email,
        phone: d.user.phone,
        groups: d.groups,
        courses: d
            .courses
            .into_iter()
            .map(|(c, e, done, required)| StudentCourseOut {
                course_id: c.id.into_string(),
                title: c.title,
                enrolment_id: e.id,
                done,
                required,
                completed_at: e.completed_at.map(|t| t.to_string()),
            })
            .collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct GroupOut {
    id: String,
    name: String,
    members: i64,
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct GroupIn {
    name: String,
}

/// The school's groups with their sizes.
#[utoipa::path(get, path = "/api/v1/groups", tag = "learning", security(("bearer" = [])),
    params(PageParams),
    responses((status = 200, body = GroupPage), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, description = "A bad `limit` or `after`, or a NUL in a parameter", body = Problem)))]
async fn list_groups(
    State(state): State<AppState>,
    Auth(who): Auth,
    PageQuery(page): PageQuery,
) -> Result<Json<GroupPage>, ApiError> {
    let found = learning::groups_page(state.services(), &who, &page).await?;
    Ok(Json(GroupPage::of(found, |g| GroupOut {
        id: g.id,
        name: g.name,
        members: g.members,
    })))
}

/// Creates a group (a group of that name already there is returned as is).
#[utoipa::path(post, path = "/api/v1/groups", tag = "learning", security(("bearer" = [])),
    request_body = GroupIn,
    responses((status = 201, body = GroupOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, body = Problem)))]
async fn create_group(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<GroupIn>,
) -> Result<(StatusCode, Json<GroupOut>), ApiError> {
    let g = learning::create_group(state.services(), &who, &body.name, origin.0).await?;
    Ok((
        StatusCode::CREATED,
        Json(GroupOut {
            id: g.id,
            name: g.name,
            members: g.members,
        }),
    ))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct MemberIn {
    user_id: String,
}

/// Puts a student in a group.
#[utoipa::path(post, path = "/api/v1/groups/{id}/members", tag = "learning", security(("bearer" = [])),
    params(("id" = String, Path, description = "The group")),
    request_body = MemberIn,
    responses((status = 204, description = "In the group"), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn add_group_member(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<MemberIn>,
) -> Result<StatusCode, ApiError> {
    learning::add_to_group(state.services(), &who, &id, &body.user_id, origin.0).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct EnrolmentOut {
    id: String,
    course_id: String,
    user_id: String,
    source: EnrolmentSource,
    #[schema(value_type = Option<String>, format = Date)]
    access_from: Option<Date>,
    #[schema(value_type = Option<String>, format = Date)]
    access_to: Option<Date>,
    enrolled_at: String,
    completed_at: Option<String>,
}

fn enrolment_out(e: Enrolment) -> EnrolmentOut {
    EnrolmentOut {
        id: e.id,
        course_id: e.course_id.into_string(),
        user_id: e.user_id.into_string(),
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
    params(("id" = String, Path, description = "The course"), PageParams),
    responses((status = 200, body = EnrolmentPage), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, description = "A bad `limit` or `after`, or a NUL in a parameter", body = Problem)))]
async fn list_enrolments(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path(id): Path<String>,
    PageQuery(page): PageQuery,
) -> Result<Json<EnrolmentPage>, ApiError> {
    let found = learning::enrolments_page(state.services(), &who, &id, &page).await?;
    Ok(Json(EnrolmentPage::of(found, enrolment_out)))
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

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct GroupEnrolmentIn {
    group_id: String,
    access_from: Option<String>,
    access_to: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct GroupEnrolmentOut {
    /// How many students of the group are now enrolled.
    enrolled: usize,
}

/// Enrols every student of a group in a course, with optional access dates.
#[utoipa::path(post, path = "/api/v1/courses/{id}/group-enrolments", tag = "learning", security(("bearer" = [])),
    params(("id" = String, Path, description = "The course")),
    request_body = GroupEnrolmentIn,
    responses((status = 201, body = GroupEnrolmentOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn enrol_group(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<GroupEnrolmentIn>,
) -> Result<(StatusCode, Json<GroupEnrolmentOut>), ApiError> {
    let enrolled = learning::enrol_group(
        state.services(),
        &who,
        &id,
        &body.group_id,
        (body.access_from, body.access_to),
        origin.0,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(GroupEnrolmentOut { enrolled })))
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
            user_id: r.student.id.into_string(),
            full_name: r.student.full_name,
            enrolment_id: r.enrolment.id,
            done: r.done,
            completed_at: r.enrolment.completed_at.map(|t| t.to_string()),
            lessons: lessons
                .iter()
                .zip(r.cells)
                .filter_map(|(l, c)| {
                    c.map(|(complete, position_ms)| ProgressCell {
                        lesson_id: l.id.to_string(),
                        complete,
                        position_ms,
                    })
                })
                .collect(),
        })
        .collect();
    Ok(Json(ProgressOut {
        course_id: course.id.into_string(),
        lesson_ids: lessons.into_iter().map(|l| l.id.into_string()).collect(),
        students,
    }))
}

/// A student's standing in one course of a group's table.
#[derive(Serialize, ToSchema)]
pub struct GroupCell {
    course_id: String,
    /// Required lessons complete, and how many the course requires.
    done: usize,
    required: usize,
    complete: bool,
}

#[derive(Serialize, ToSchema)]
pub struct GroupRowOut {
    user_id: String,
    full_name: String,
    /// The courses the student is enrolled in, of the table's courses.
    courses: Vec<GroupCell>,
}

#[derive(Serialize, ToSchema)]
pub struct GroupProgressOut {
    group_id: String,
    name: String,
    /// The courses any member is enrolled in (for a teacher, those assigned to them).
    course_ids: Vec<String>,
    students: Vec<GroupRowOut>,
}

/// The progress table of a group: its students × the courses they are enrolled in.
#[utoipa::path(get, path = "/api/v1/groups/{id}/progress", tag = "learning", security(("bearer" = [])),
    params(("id" = String, Path, description = "The group")),
    responses((status = 200, body = GroupProgressOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
async fn group_progress(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path(id): Path<String>,
) -> Result<Json<GroupProgressOut>, ApiError> {
    let (group, courses, rows) = learning::group_progress(state.services(), &who, &id).await?;
    let students = rows
        .into_iter()
        .map(|r| GroupRowOut {
            user_id: r.student.id.into_string(),
            full_name: r.student.full_name,
            courses: courses
                .iter()
                .zip(r.cells)
                .filter_map(|(c, cell)| {
                    cell.map(|(done, required, complete)| GroupCell {
                        course_id: c.id.to_string(),
                        done,
                        required,
                        complete,
                    })
                })
                .collect(),
        })
        .collect();
    Ok(Json(GroupProgressOut {
        group_id: group.id,
        name: group.name,
        course_ids: courses.into_iter().map(|c| c.id.into_string()).collect(),
        students,
    }))
}

/// Sends a student who has not set a password yet a new invitation e-mail; earlier links stop
/// working. 409 when the student has a password (they reset it themselves); 429 when it was
/// sent in the last 10 minutes, or 3 times in a day (`Retry-After` says when).
#[utoipa::path(post, path = "/api/v1/students/{id}/invitation", tag = "learning", security(("bearer" = [])),
    params(("id" = String, Path, description = "The student")),
    responses((status = 204, description = "Sent"), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 429, description = "Sent too often", body = Problem)))]
async fn resend_invitation(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    learning::resend_invitation(state.services(), &who, &id, origin.0).await?;
    Ok(StatusCode::NO_CONTENT)
}
