//! Courses, modules and lessons through the API (issue 6): staff who edit content read and
//! write; write routes need a session or a `read_write` token; another school's ids answer 404.

use axum::{
    Json,
    extract::{Path, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use educenter_domain::content::{CourseStatus, LessonKind, LessonStatus, TrashKind};
use educenter_domain::ids::MediaId;
use educenter_services::{
    content::{self, CourseInput, LessonInput},
    quizzes, sessions,
    store::content::{Course, Lesson, Module, Trashed},
};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    AppState, ClientOrigin,
    api::page::{PageParams, PageQuery},
    auth::{Auth, Bearer, unknown_token},
    page_of,
    problem::{ApiError, ApiJson, Problem},
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_courses, create_course))
        .routes(routes!(get_course, update_course, delete_course))
        .routes(routes!(set_outline))
        .routes(routes!(create_module))
        .routes(routes!(update_module, delete_module))
        .routes(routes!(list_lessons, create_lesson))
        .routes(routes!(get_lesson, update_lesson, delete_lesson))
        .routes(routes!(duplicate_lesson))
        .routes(routes!(copy_course))
        .routes(routes!(list_trash))
        .routes(routes!(restore))
        .routes(routes!(get_teachers, set_teachers))
        .routes(routes!(set_logo, remove_logo))
}

page_of!(CoursePage, CourseOut, "courses");
page_of!(LessonPage, LessonOut, "a course's lessons");
page_of!(TrashPage, TrashedOut, "the trash");
page_of!(TeacherPage, TeacherOut, "the school's teachers");

#[derive(Serialize, ToSchema)]
pub struct CourseOut {
    id: String,
    title: String,
    description: String,
    status: CourseStatus,
    /// A lesson opens when the one before it is complete.
    in_order: bool,
    /// Students may enrol themselves on the school's site while it is published.
    self_enrol: bool,
    /// Completing the course (every required lesson, every quiz passed and assignment
    /// accepted) earns a certificate.
    certificate: bool,
    /// The cover image (a file of kind `image`), shown on the school's site.
    cover_id: Option<String>,
    created_at: String,
    updated_at: String,
    /// Only in `GET /api/v1/courses/{id}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    modules: Option<Vec<ModuleOut>>,
}

fn course_out(c: Course, modules: Option<Vec<ModuleOut>>) -> CourseOut {
    CourseOut {
        id: c.id.into_string(),
        title: c.title,
        description: c.description,
        status: c.status,
        in_order: c.in_order,
        self_enrol: c.self_enrol,
        certificate: c.certificate,
        cover_id: c.cover_id.map(MediaId::into_string),
        created_at: c.created_at.to_string(),
        updated_at: c.updated_at.to_string(),
        modules,
    }
}

#[derive(Serialize, ToSchema)]
pub struct ModuleOut {
    id: String,
    course_id: String,
    title: String,
    position: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    lessons: Option<Vec<LessonOut>>,
}

fn module_out(m: Module, lessons: Option<Vec<LessonOut>>) -> ModuleOut {
    ModuleOut {
        id: m.id.into_string(),
        course_id: m.course_id.into_string(),
        title: m.title,
        position: m.position,
        lessons,
    }
}

#[derive(Serialize, ToSchema)]
pub struct LessonOut {
    id: String,
    course_id: String,
    module_id: String,
    title: String,
    kind: LessonKind,
    /// Markdown, for a text lesson.
    body: String,
    embed_url: Option<String>,
    position: i64,
    /// Release rules: from a date, or N days after enrolment.
    #[schema(value_type = Option<String>, format = Date)]
    available_from: Option<Date>,
    available_after_days: Option<i64>,
    /// Counts towards completing the course.
    required: bool,
    /// The uploaded file a video, audio or file lesson plays or offers.
    media_id: Option<String>,
    /// A video's captions (an uploaded WebVTT file).
    captions_id: Option<String>,
    /// Visitors of the school's site open it from the course's public page without enrolling.
    free_preview: bool,
    /// A stop-lesson: the lessons after it stay closed to a student until it is complete (a
    /// quiz: passed).
    stop: bool,
    /// A draft is the teachers' only: students see no trace of it until it is published.
    status: LessonStatus,
    /// A quiz lesson's settings (in a lesson's own answers, not in lists).
    #[serde(skip_serializing_if = "Option::is_none")]
    quiz: Option<crate::api::quizzes::QuizOut>,
}

impl From<Lesson> for LessonOut {
    fn from(l: Lesson) -> Self {
        Self {
            id: l.id.into_string(),
            course_id: l.course_id.into_string(),
            module_id: l.module_id.into_string(),
            title: l.title,
            kind: l.kind,
            body: l.body,
            embed_url: l.embed_url,
            position: l.position,
            available_from: l.available_from,
            available_after_days: l.available_after_days,
            required: l.required,
            media_id: l.media_id.map(MediaId::into_string),
            captions_id: l.captions_id.map(MediaId::into_string),
            free_preview: l.free_preview,
            stop: l.stop,
            status: l.status,
            quiz: None,
        }
    }
}

/// A lesson as its own answer gives it: with its quiz's settings when it is a quiz.
async fn lesson_out(state: &AppState, l: Lesson) -> Result<LessonOut, ApiError> {
    let quiz = if l.kind == LessonKind::Quiz {
        Some(quizzes::settings_for(state.services(), &l).await?.into())
    } else {
        None
    };
    Ok(LessonOut { quiz, ..l.into() })
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct CourseIn {
    title: Option<String>,
    description: Option<String>,
    /// `draft` (the default), `published` or `archived`.
    status: Option<String>,
    in_order: Option<bool>,
    /// Students may enrol themselves while the course is published.
    self_enrol: Option<bool>,
    /// Completing the course earns a certificate.
    certificate: Option<bool>,
    /// An uploaded image for the cover; `null` removes it.
    #[serde(deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    cover_id: Option<Option<String>>,
}

/// A field that is present (perhaps `null`) is `Some`; an absent one stays `None`.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Ok(Some(Option::deserialize(d)?))
}

impl From<CourseIn> for CourseInput {
    fn from(c: CourseIn) -> Self {
        Self {
            title: c.title,
            description: c.description,
            status: c.status,
            in_order: c.in_order,
            self_enrol: c.self_enrol,
            certificate: c.certificate,
            cover_id: c.cover_id,
        }
    }
}

/// The school's courses outside the trash.
#[utoipa::path(get, path = "/api/v1/courses", tag = "content", security(("bearer" = [])),
    params(PageParams),
    responses((status = 200, body = CoursePage), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, description = "A bad `limit` or `after`, or a NUL in a parameter", body = Problem)))]
async fn list_courses(
    State(state): State<AppState>,
    Auth(who): Auth,
    PageQuery(page): PageQuery,
) -> Result<Json<CoursePage>, ApiError> {
    let courses = content::courses_page(state.services(), &who, &page).await?;
    Ok(Json(CoursePage::of(courses, |c| course_out(c, None))))
}

/// Creates a course (a draft unless told otherwise); 403 naming the limit when the plan's
/// courses are all in use.
#[utoipa::path(post, path = "/api/v1/courses", tag = "content", security(("bearer" = [])),
    request_body = CourseIn,
    responses((status = 201, body = CourseOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, body = Problem)))]
async fn create_course(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<CourseIn>,
) -> Result<(StatusCode, Json<CourseOut>), ApiError> {
    let c = content::create_course(state.services(), &who, body.into(), origin.0).await?;
    Ok((StatusCode::CREATED, Json(course_out(c, None))))
}

/// A course with its modules and their lessons in order.
#[utoipa::path(get, path = "/api/v1/courses/{id}", tag = "content", security(("bearer" = [])),
    params(("id" = String, Path, description = "The course")),
    responses((status = 200, body = CourseOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
async fn get_course(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path(id): Path<String>,
) -> Result<Json<CourseOut>, ApiError> {
    let (c, modules) = content::course(state.services(), &who, &id).await?;
    let modules = modules
        .into_iter()
        .map(|(m, lessons)| module_out(m, Some(lessons.into_iter().map(Into::into).collect())))
        .collect();
    Ok(Json(course_out(c, Some(modules))))
}

/// A module of a course in the order to take, with its lessons in theirs.
#[derive(Deserialize, Serialize, ToSchema)]
pub struct OutlineModuleIn {
    id: String,
    lessons: Vec<String>,
}

/// A course's whole curriculum in a new order: every live module once, each with its lessons
/// (every live lesson of the course once, in whichever module it is to be).
#[derive(Deserialize, Serialize, ToSchema)]
pub struct OutlineIn {
    modules: Vec<OutlineModuleIn>,
}

/// Puts a course's modules and lessons in a new order at once (a lesson may change module);
/// answers the course as `GET` does. 409 when the list does not name each live module and
/// lesson exactly once (read before another change): nothing moves.
#[utoipa::path(put, path = "/api/v1/courses/{id}/outline", tag = "content", security(("bearer" = [])),
    params(("id" = String, Path, description = "The course")),
    request_body = OutlineIn,
    responses((status = 200, body = CourseOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn set_outline(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<OutlineIn>,
) -> Result<Json<CourseOut>, ApiError> {
    let order = body
        .modules
        .into_iter()
        .map(|m| (m.id, m.lessons))
        .collect();
    content::reorder(state.services(), &who, &id, order, origin.0).await?;
    get_course(State(state), Auth(who), Path(id)).await
}

/// Changes a course's title, description, status or "in order" rule.
#[utoipa::path(patch, path = "/api/v1/courses/{id}", tag = "content", security(("bearer" = [])),
    params(("id" = String, Path, description = "The course")),
    request_body = CourseIn,
    responses((status = 200, body = CourseOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn update_course(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CourseIn>,
) -> Result<Json<CourseOut>, ApiError> {
    let c = content::update_course(state.services(), &who, &id, body.into(), origin.0).await?;
    Ok(Json(course_out(c, None)))
}

/// Moves a course to the trash (restorable for 30 days).
#[utoipa::path(delete, path = "/api/v1/courses/{id}", tag = "content", security(("bearer" = [])),
    params(("id" = String, Path, description = "The course")),
    responses((status = 204, description = "In the trash"), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn delete_course(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    content::delete(state.services(), &who, TrashKind::Course, &id, origin.0).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct ModuleIn {
    title: Option<String>,
    /// 1 is first; the others move to make room.
    position: Option<i64>,
}

/// Adds a module at the end of a course.
#[utoipa::path(post, path = "/api/v1/courses/{id}/modules", tag = "content", security(("bearer" = [])),
    params(("id" = String, Path, description = "The course")),
    request_body = ModuleIn,
    responses((status = 201, body = ModuleOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn create_module(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ModuleIn>,
) -> Result<(StatusCode, Json<ModuleOut>), ApiError> {
    let title = body.title.unwrap_or_default();
    let m = content::create_module(state.services(), &who, &id, &title, origin.0.clone()).await?;
    let m = match body.position {
        Some(p) => {
            content::update_module(state.services(), &who, &m.id, None, Some(p), origin.0).await?
        }
        None => m,
    };
    Ok((StatusCode::CREATED, Json(module_out(m, None))))
}

/// Renames a module or moves it.
#[utoipa::path(patch, path = "/api/v1/modules/{id}", tag = "content", security(("bearer" = [])),
    params(("id" = String, Path, description = "The module")),
    request_body = ModuleIn,
    responses((status = 200, body = ModuleOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn update_module(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ModuleIn>,
) -> Result<Json<ModuleOut>, ApiError> {
    let m = content::update_module(
        state.services(),
        &who,
        &id,
        body.title.as_deref(),
        body.position,
        origin.0,
    )
    .await?;
    Ok(Json(module_out(m, None)))
}

/// Moves a module, with its lessons, to the trash.
#[utoipa::path(delete, path = "/api/v1/modules/{id}", tag = "content", security(("bearer" = [])),
    params(("id" = String, Path, description = "The module")),
    responses((status = 204, description = "In the trash"), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn delete_module(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    content::delete(state.services(), &who, TrashKind::Module, &id, origin.0).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct LessonIn {
    module_id: Option<String>,
    title: Option<String>,
    /// `text` (the default), `video`, `audio`, `file` (these three with `media_id`) or `embed`.
    kind: Option<String>,
    body: Option<String>,
    embed_url: Option<String>,
    position: Option<i64>,
    available_from: Option<String>,
    available_after_days: Option<i64>,
    required: Option<bool>,
    /// The uploaded file of a video, audio or file lesson (of the lesson's kind).
    media_id: Option<String>,
    /// A video's captions: an uploaded WebVTT file; empty removes them.
    captions_id: Option<String>,
    /// Offered as a free preview: visitors of the school's site open it without enrolling.
    free_preview: Option<bool>,
    /// A stop-lesson: the lessons after it stay closed to a student until it is complete (a
    /// quiz: passed).
    stop: Option<bool>,
    /// `published` (a new lesson's default) or `draft` (the teachers' only).
    status: Option<String>,
    /// A quiz lesson's settings: required to make one; on a change, absent fields keep their
    /// value.
    quiz: Option<crate::api::quizzes::QuizIn>,
}

impl From<LessonIn> for LessonInput {
    fn from(l: LessonIn) -> Self {
        Self {
            module_id: l.module_id,
            title: l.title,
            kind: l.kind,
            body: l.body,
            embed_url: l.embed_url,
            position: l.position,
            available_from: l.available_from,
            available_after_days: l.available_after_days,
            required: l.required,
            media_id: l.media_id,
            captions_id: l.captions_id,
            free_preview: l.free_preview,
            stop: l.stop,
            status: l.status,
            quiz: l.quiz.map(Into::into),
        }
    }
}

/// A course's lessons in reading order.
#[utoipa::path(get, path = "/api/v1/courses/{id}/lessons", tag = "content", security(("bearer" = [])),
    params(("id" = String, Path, description = "The course"), PageParams),
    responses((status = 200, body = LessonPage), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, description = "A bad `limit` or `after`, or a NUL in a parameter", body = Problem)))]
async fn list_lessons(
    State(state): State<AppState>,
    Bearer(token): Bearer,
    Path(id): Path<String>,
    PageQuery(page): PageQuery,
) -> Result<Response, ApiError> {
    let services = state.services();
    // A session's token: the session and the course in one query (no session: 401). An API
    // token goes the usual way.
    let content = if token.starts_with(educenter_services::tokens::PREFIX) {
        let Auth(who) = Auth::admit(sessions::authenticate(services, &token).await?)?;
        content::course_lessons(services, &who, &id).await?
    } else {
        let Some((who, content)) = content::visit_course_lessons(services, &token, &id).await?
        else {
            return Err(ApiError::unauthorized(&unknown_token()));
        };
        Auth::admit(Some(who))?;
        content?
    };
    // The first page is encoded once per revision of the course and kept with its content.
    let body = content.lessons_json(&page, |lessons| {
        let out = LessonPage::of(lessons, |l| LessonOut::from(Lesson::clone(&l)));
        // Strings, numbers and booleans only: encoding cannot fail.
        serde_json::to_vec(&out)
            .expect("lessons encode as JSON")
            .into()
    })?;
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response())
}

/// Adds a lesson to a module of the course.
#[utoipa::path(post, path = "/api/v1/courses/{id}/lessons", tag = "content", security(("bearer" = [])),
    params(("id" = String, Path, description = "The course")),
    request_body = LessonIn,
    responses((status = 201, body = LessonOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn create_lesson(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<LessonIn>,
) -> Result<(StatusCode, Json<LessonOut>), ApiError> {
    let l = content::create_lesson(state.services(), &who, &id, body.into(), origin.0).await?;
    Ok((StatusCode::CREATED, Json(lesson_out(&state, l).await?)))
}

/// Duplicates a lesson right after itself, titled as a copy: its content, release rules, files
/// and a quiz's settings (never students' work).
#[utoipa::path(post, path = "/api/v1/lessons/{id}/duplicate", tag = "content", security(("bearer" = [])),
    params(("id" = String, Path, description = "The lesson")),
    responses((status = 201, body = LessonOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
async fn duplicate_lesson(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<LessonOut>), ApiError> {
    let l = content::duplicate_lesson(state.services(), &who, &id, origin.0).await?;
    Ok((StatusCode::CREATED, Json(lesson_out(&state, l).await?)))
}

/// Copies a course as a new draft with its settings, modules and lessons (403 naming the limit
/// when the plan's courses are all in use).
#[utoipa::path(post, path = "/api/v1/courses/{id}/copy", tag = "content", security(("bearer" = [])),
    params(("id" = String, Path, description = "The course")),
    responses((status = 201, body = CourseOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
async fn copy_course(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<CourseOut>), ApiError> {
    let c = content::copy_course(state.services(), &who, &id, origin.0).await?;
    Ok((StatusCode::CREATED, Json(course_out(c, None))))
}

/// One lesson.
#[utoipa::path(get, path = "/api/v1/lessons/{id}", tag = "content", security(("bearer" = [])),
    params(("id" = String, Path, description = "The lesson")),
    responses((status = 200, body = LessonOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
async fn get_lesson(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path(id): Path<String>,
) -> Result<Json<LessonOut>, ApiError> {
    let l = content::lesson(state.services(), &who, &id).await?;
    Ok(Json(lesson_out(&state, l).await?))
}

/// Changes a lesson: text, link, release rules, position or module (within its course).
#[utoipa::path(patch, path = "/api/v1/lessons/{id}", tag = "content", security(("bearer" = [])),
    params(("id" = String, Path, description = "The lesson")),
    request_body = LessonIn,
    responses((status = 200, body = LessonOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn update_lesson(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<LessonIn>,
) -> Result<Json<LessonOut>, ApiError> {
    let l = content::update_lesson(state.services(), &who, &id, body.into(), origin.0).await?;
    Ok(Json(lesson_out(&state, l).await?))
}

/// Moves a lesson to the trash.
#[utoipa::path(delete, path = "/api/v1/lessons/{id}", tag = "content", security(("bearer" = [])),
    params(("id" = String, Path, description = "The lesson")),
    responses((status = 204, description = "In the trash"), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn delete_lesson(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    content::delete(state.services(), &who, TrashKind::Lesson, &id, origin.0).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct TrashedOut {
    kind: TrashKind,
    id: String,
    title: String,
    deleted_at: String,
}

/// What the school deleted in the last 30 days, newest first.
#[utoipa::path(get, path = "/api/v1/trash", tag = "content", security(("bearer" = [])),
    params(PageParams),
    responses((status = 200, body = TrashPage), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, description = "A bad `limit` or `after`, or a NUL in a parameter", body = Problem)))]
async fn list_trash(
    State(state): State<AppState>,
    Auth(who): Auth,
    PageQuery(page): PageQuery,
) -> Result<Json<TrashPage>, ApiError> {
    let items = content::trash_page(state.services(), &who, &page).await?;
    Ok(Json(TrashPage::of(items, |t: Trashed| TrashedOut {
        kind: t.kind,
        id: t.id,
        title: t.title,
        deleted_at: t.deleted_at.to_string(),
    })))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct RestoreIn {
    /// `course`, `module` or `lesson`.
    kind: String,
}

/// Restores a course, module or lesson from the trash (within 30 days).
#[utoipa::path(post, path = "/api/v1/trash/{id}/restore", tag = "content", security(("bearer" = [])),
    params(("id" = String, Path, description = "The course, module or lesson")),
    request_body = RestoreIn,
    responses((status = 204, description = "Restored"), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn restore(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<RestoreIn>,
) -> Result<StatusCode, ApiError> {
    content::restore(state.services(), &who, &body.kind, &id, origin.0).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// One of the school's teachers and whether they teach the course.
#[derive(Serialize, ToSchema)]
pub struct TeacherOut {
    id: String,
    full_name: String,
    email: String,
    assigned: bool,
}

fn teacher_out(t: content::TeacherChoice) -> TeacherOut {
    TeacherOut {
        id: t.id.into_string(),
        full_name: t.full_name,
        email: t.email,
        assigned: t.assigned,
    }
}

/// The school's teachers, each with whether they teach this course. A teacher edits and sees
/// the progress of only the courses assigned to them; other staff roles see every course.
#[utoipa::path(get, path = "/api/v1/courses/{id}/teachers", tag = "content", security(("bearer" = [])),
    params(("id" = String, Path, description = "The course"), PageParams),
    responses((status = 200, body = TeacherPage), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, description = "A bad `limit` or `after`, or a NUL in a parameter", body = Problem)))]
async fn get_teachers(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path(id): Path<String>,
    PageQuery(page): PageQuery,
) -> Result<Json<TeacherPage>, ApiError> {
    let page = content::teachers_page(state.services(), &who, &id, &page).await?;
    Ok(Json(TeacherPage::of(page, teacher_out)))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct TeachersIn {
    /// Exactly the teachers who teach the course (staff with the `teacher` role).
    user_ids: Vec<String>,
}

/// Sets who teaches a course (not open to teachers themselves).
#[utoipa::path(put, path = "/api/v1/courses/{id}/teachers", tag = "content", security(("bearer" = [])),
    params(("id" = String, Path, description = "The course")),
    request_body = TeachersIn,
    responses((status = 200, body = Vec<TeacherOut>), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn set_teachers(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<TeachersIn>,
) -> Result<Json<Vec<TeacherOut>>, ApiError> {
    let list = content::set_teachers(state.services(), &who, &id, &body.user_ids, origin.0).await?;
    Ok(Json(list.into_iter().map(teacher_out).collect()))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct LogoIn {
    /// An uploaded file of kind `image`.
    media_id: String,
}

/// Sets the logo the school's site shows (at `/s/{slug}/logo`).
#[utoipa::path(put, path = "/api/v1/school/logo", tag = "content", security(("bearer" = [])),
    request_body = LogoIn,
    responses((status = 204, description = "Set"), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, body = Problem)))]
async fn set_logo(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<LogoIn>,
) -> Result<StatusCode, ApiError> {
    content::set_logo(state.services(), &who, Some(&body.media_id), origin.0).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes the school's logo.
#[utoipa::path(delete, path = "/api/v1/school/logo", tag = "content", security(("bearer" = [])),
    responses((status = 204, description = "Removed"), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn remove_logo(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
) -> Result<StatusCode, ApiError> {
    content::set_logo(state.services(), &who, None, origin.0).await?;
    Ok(StatusCode::NO_CONTENT)
}
