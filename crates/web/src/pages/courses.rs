//! The course editor in the cabinet (issue 6, item 7): the school's courses, a course's
//! settings and publishing, modules and lessons in order, file uploads with a progress bar (the
//! body streams to the media store), a lesson's preview and a course's progress table.

use askama::Template;
use axum::{
    Form, Json, Router,
    body::Body,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use educenter_domain::roles::{TenantAction, TenantRole, tenant_may};
use educenter_services::{
    ServiceError,
    access::Principal,
    content::{self, CourseInput, LessonInput},
    learning, media,
    store::content::{Course, Lesson, Module},
};
use serde::Deserialize;

use super::{
    Layout,
    cabinet::service_error,
    forms::{Field, FieldErrors},
    redirect_with_flash,
};
use crate::{AppState, ClientOrigin, api::media::content_length, auth::WebUser};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/cabinet/courses", get(list).post(create))
        .route("/cabinet/courses/{id}", get(edit).post(save))
        .route("/cabinet/courses/{id}/modules", post(add_module))
        .route("/cabinet/courses/{id}/lessons", post(add_lesson))
        .route("/cabinet/courses/{id}/progress", get(progress))
        .route("/cabinet/lessons/{id}/move", post(move_lesson))
        .route("/cabinet/modules/{id}/move", post(move_module))
        .route("/cabinet/lessons/{id}/delete", post(delete_lesson))
        .route("/cabinet/media", post(upload))
        .route("/cabinet/courses/{id}/teachers", post(save_teachers))
        .route("/cabinet/courses/{id}/delete", post(delete_course))
        .route("/cabinet/modules/{id}/delete", post(delete_module))
        .route("/cabinet/trash", get(trash))
        .route("/cabinet/trash/{kind}/{id}/restore", post(restore))
        .route("/cabinet/school/logo", post(save_logo))
        .route("/cabinet/lessons/{id}", get(lesson_form).post(lesson_save))
}

fn may(who: &Principal, action: TenantAction) -> bool {
    TenantRole::parse(&who.role).is_some_and(|r| tenant_may(r, action))
}

#[derive(Template)]
#[template(path = "courses.html")]
struct ListPage<'a> {
    l: Layout<'a>,
    courses: Vec<Course>,
    fields: Vec<Field>,
    /// The person may set the school's logo (editors other than teachers).
    may_brand: bool,
    has_logo: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NewCourse {
    course_title: String,
    course_description: String,
}

async fn render_list(
    state: &AppState,
    headers: &HeaderMap,
    who: &Principal,
    form: NewCourse,
    errors: FieldErrors,
    status: StatusCode,
) -> Response {
    let courses = match content::courses(state.services(), who).await {
        Ok(c) => c,
        Err(e) => return service_error(state, headers, e),
    };
    let l = Layout::for_user(state, headers, "/cabinet/courses", who);
    let mut fields = vec![
        Field::new(&l, "course_title", "text").value(form.course_title),
        Field::new(&l, "course_description", "textarea")
            .value(form.course_description)
            .optional(),
    ];
    errors.apply(&mut fields);
    let may_brand = TenantRole::parse(&who.role) != Some(TenantRole::Teacher);
    let has_logo = match (&who.tenant_id, state.services().db.conn().await) {
        (Some(t), Ok(mut conn)) => educenter_services::store::tenancy::get_in(&mut conn, t)
            .await
            .ok()
            .flatten()
            .is_some_and(|t| t.logo_id.is_some()),
        _ => false,
    };
    let page = ListPage {
        courses,
        fields,
        may_brand,
        has_logo,
        l,
    };
    page.l.render(status, &page)
}

async fn list(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    headers: HeaderMap,
) -> Response {
    render_list(
        &state,
        &headers,
        &who,
        NewCourse::default(),
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

async fn create(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<NewCourse>,
) -> Response {
    let input = CourseInput {
        title: Some(form.course_title.clone()),
        description: Some(form.course_description.clone()),
        ..CourseInput::default()
    };
    match content::create_course(state.services(), &who, input, origin.0).await {
        Ok(c) => redirect_with_flash(
            &state,
            &format!("/cabinet/courses/{}", c.id),
            "course-created",
        ),
        Err(ServiceError::Invalid(found)) => {
            let l = Layout::new(&state, &headers, "/cabinet/courses");
            let errors = FieldErrors::from_service(
                &l,
                found,
                &[
                    ("title", "course_title"),
                    ("description", "course_description"),
                ],
            );
            render_list(
                &state,
                &headers,
                &who,
                form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => service_error(&state, &headers, e),
    }
}

#[derive(Template)]
#[template(path = "course_edit.html")]
struct EditPage<'a> {
    l: Layout<'a>,
    course: Course,
    slug: String,
    modules: Vec<(Module, Vec<Lesson>)>,
    course_fields: Vec<Field>,
    module_fields: Vec<Field>,
    lesson_fields: Vec<Field>,
    /// The school's teachers and whether each teaches this course; `None` for a teacher, who
    /// cannot change it.
    teachers: Option<Vec<content::TeacherChoice>>,
    /// An error of the course settings form that belongs to no field (the cover).
    course_error: Option<String>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct CourseForm {
    course_title: String,
    course_description: String,
    course_status: String,
    in_order: String,
    self_enrol: String,
    /// A newly uploaded cover image.
    cover_id: String,
    remove_cover: String,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct LessonForm {
    lesson_module: String,
    lesson_title: String,
    lesson_kind: String,
    lesson_body: String,
    embed_url: String,
    media_id: String,
    captions_id: String,
    available_from: String,
    available_after_days: String,
    lesson_required: String,
}

/// What the editor shows again after a refused form.
#[derive(Default)]
struct Again {
    course: Option<CourseForm>,
    module_title: String,
    lesson: Option<LessonForm>,
    errors: FieldErrors,
    /// The form whose errors are shown: `course`, `module` or `lesson`.
    failed: &'static str,
}

async fn render_edit(
    state: &AppState,
    headers: &HeaderMap,
    who: &Principal,
    id: &str,
    again: Again,
    status: StatusCode,
) -> Response {
    let services = state.services();
    let (course, modules) = match content::course(services, who, id).await {
        Ok(v) => v,
        Err(e) => return service_error(state, headers, e),
    };
    let slug = match (&who.tenant_id, services.db.conn().await) {
        (Some(t), Ok(mut conn)) => educenter_services::store::tenancy::get_in(&mut conn, t)
            .await
            .ok()
            .flatten()
            .map(|t| t.slug)
            .unwrap_or_default(),
        _ => String::new(),
    };
    let path = format!("/cabinet/courses/{id}");
    let l = Layout::for_user(state, headers, &path, who);
    let cf = again.course.clone().unwrap_or(CourseForm {
        course_title: course.title.clone(),
        course_description: course.description.clone(),
        course_status: course.status.clone(),
        in_order: if course.in_order {
            "on".into()
        } else {
            String::new()
        },
        self_enrol: if course.self_enrol {
            "on".into()
        } else {
            String::new()
        },
        ..CourseForm::default()
    });
    let statuses = ["draft", "published", "archived"]
        .iter()
        .map(|s| ((*s).to_owned(), l.t(&format!("course-status-{s}"))))
        .collect();
    let mut course_fields = vec![
        Field::new(&l, "course_title", "text").value(cf.course_title),
        Field::new(&l, "course_description", "textarea")
            .value(cf.course_description)
            .optional(),
        Field::new(&l, "course_status", "select")
            .value(cf.course_status)
            .options(statuses),
        Field::new(&l, "in_order", "checkbox")
            .value(cf.in_order)
            .optional(),
        Field::new(&l, "self_enrol", "checkbox")
            .value(cf.self_enrol)
            .optional(),
    ];
    let mut module_fields =
        vec![Field::new(&l, "module_title", "text").value(again.module_title.clone())];
    let lf = again.lesson.clone().unwrap_or(LessonForm {
        lesson_kind: "text".into(),
        lesson_required: "on".into(),
        lesson_module: modules
            .last()
            .map(|(m, _)| m.id.clone())
            .unwrap_or_default(),
        ..LessonForm::default()
    });
    let kinds = content::LESSON_KINDS
        .iter()
        .map(|k| ((*k).to_owned(), l.t(&format!("lesson-kind-{k}"))))
        .collect();
    let module_options = modules
        .iter()
        .map(|(m, _)| (m.id.clone(), m.title.clone()))
        .collect();
    let mut lesson_fields = vec![
        Field::new(&l, "lesson_module", "select")
            .value(lf.lesson_module)
            .options(module_options),
        Field::new(&l, "lesson_title", "text").value(lf.lesson_title),
        Field::new(&l, "lesson_kind", "select")
            .value(lf.lesson_kind)
            .options(kinds),
        Field::new(&l, "lesson_body", "textarea")
            .value(lf.lesson_body)
            .hint(&l)
            .optional(),
        Field::new(&l, "embed_url", "url")
            .value(lf.embed_url)
            .hint(&l)
            .optional(),
        Field::new(&l, "available_from", "date")
            .value(lf.available_from)
            .optional(),
        Field::new(&l, "available_after_days", "number")
            .value(lf.available_after_days)
            .optional(),
        Field::new(&l, "lesson_required", "checkbox")
            .value(lf.lesson_required)
            .optional(),
    ];
    let course_error = (again.failed == "course")
        .then(|| again.errors.form.clone())
        .flatten();
    match again.failed {
        "course" => again.errors.apply(&mut course_fields),
        "module" => again.errors.apply(&mut module_fields),
        "lesson" => again.errors.apply(&mut lesson_fields),
        _ => {}
    }
    let teachers = if TenantRole::parse(&who.role) == Some(TenantRole::Teacher) {
        None
    } else {
        content::teachers(services, who, id).await.ok()
    };
    let page = EditPage {
        course,
        slug,
        modules,
        course_fields,
        module_fields,
        lesson_fields,
        teachers,
        course_error,
        l,
    };
    page.l.render(status, &page)
}

async fn edit(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    render_edit(
        &state,
        &headers,
        &who,
        &id,
        Again::default(),
        StatusCode::OK,
    )
    .await
}

async fn save(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<CourseForm>,
) -> Response {
    let input = CourseInput {
        title: Some(form.course_title.clone()),
        description: Some(form.course_description.clone()),
        status: Some(form.course_status.clone()),
        in_order: Some(form.in_order == "on"),
        self_enrol: Some(form.self_enrol == "on"),
        cover_id: if form.remove_cover == "on" {
            Some(None)
        } else {
            non_empty(&form.cover_id).map(Some)
        },
    };
    match content::update_course(state.services(), &who, &id, input, origin.0).await {
        Ok(_) => redirect_with_flash(&state, &format!("/cabinet/courses/{id}"), "course-saved"),
        Err(ServiceError::Invalid(found)) => {
            let l = Layout::new(&state, &headers, "/cabinet/courses");
            let cover_refused = found.iter().any(|(f, _)| f == "cover_id");
            let found = found.into_iter().filter(|(f, _)| f != "cover_id").collect();
            let mut errors = FieldErrors::from_service(
                &l,
                found,
                &[
                    ("title", "course_title"),
                    ("description", "course_description"),
                    ("status", "course_status"),
                ],
            );
            if cover_refused {
                errors.add_form(l.t("error-image"));
            }
            let again = Again {
                course: Some(form),
                errors,
                failed: "course",
                ..Again::default()
            };
            render_edit(
                &state,
                &headers,
                &who,
                &id,
                again,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => service_error(&state, &headers, e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ModuleForm {
    module_title: String,
}

async fn add_module(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<ModuleForm>,
) -> Response {
    match content::create_module(state.services(), &who, &id, &form.module_title, origin.0).await {
        Ok(_) => redirect_with_flash(&state, &format!("/cabinet/courses/{id}"), "module-added"),
        Err(ServiceError::Invalid(found)) => {
            let l = Layout::new(&state, &headers, "/cabinet/courses");
            let errors = FieldErrors::from_service(&l, found, &[("title", "module_title")]);
            let again = Again {
                module_title: form.module_title,
                errors,
                failed: "module",
                ..Again::default()
            };
            render_edit(
                &state,
                &headers,
                &who,
                &id,
                again,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => service_error(&state, &headers, e),
    }
}

fn non_empty(v: &str) -> Option<String> {
    let v = v.trim();
    (!v.is_empty()).then(|| v.to_owned())
}

async fn add_lesson(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<LessonForm>,
) -> Response {
    let l = Layout::new(&state, &headers, "/cabinet/courses");
    let days = match non_empty(&form.available_after_days).map(|d| d.parse::<i64>()) {
        None => Ok(None),
        Some(Ok(d)) => Ok(Some(d)),
        Some(Err(_)) => Err(()),
    };
    let Ok(days) = days else {
        let mut errors = FieldErrors::default();
        errors.set("available_after_days", l.t("error-available_after_days"));
        let again = Again {
            lesson: Some(form),
            errors,
            failed: "lesson",
            ..Again::default()
        };
        return render_edit(
            &state,
            &headers,
            &who,
            &id,
            again,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let input = LessonInput {
        module_id: non_empty(&form.lesson_module),
        title: Some(form.lesson_title.clone()),
        kind: non_empty(&form.lesson_kind),
        body: Some(form.lesson_body.clone()),
        embed_url: non_empty(&form.embed_url),
        position: None,
        available_from: non_empty(&form.available_from),
        available_after_days: days,
        required: Some(form.lesson_required == "on"),
        media_id: non_empty(&form.media_id),
        captions_id: non_empty(&form.captions_id),
    };
    match content::create_lesson(state.services(), &who, &id, input, origin.0).await {
        Ok(_) => redirect_with_flash(&state, &format!("/cabinet/courses/{id}"), "lesson-added"),
        Err(ServiceError::Invalid(found)) => {
            let errors = FieldErrors::from_service(
                &l,
                found,
                &[
                    ("module_id", "lesson_module"),
                    ("title", "lesson_title"),
                    ("kind", "lesson_kind"),
                    ("body", "lesson_body"),
                    ("embed_url", "embed_url"),
                    ("media_id", "lesson_kind"),
                    ("captions_id", "lesson_kind"),
                    ("available_from", "available_from"),
                    ("available_after_days", "available_after_days"),
                ],
            );
            let again = Again {
                lesson: Some(form),
                errors,
                failed: "lesson",
                ..Again::default()
            };
            render_edit(
                &state,
                &headers,
                &who,
                &id,
                again,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => service_error(&state, &headers, e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MoveForm {
    /// `up` or `down`.
    direction: String,
}

async fn move_lesson(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<MoveForm>,
) -> Response {
    let services = state.services();
    let lesson = match content::lesson(services, &who, &id).await {
        Ok(l) => l,
        Err(e) => return service_error(&state, &headers, e),
    };
    let position = match form.direction.as_str() {
        "up" => (lesson.position - 1).max(1),
        _ => lesson.position + 1,
    };
    let input = LessonInput {
        position: Some(position),
        ..LessonInput::default()
    };
    match content::update_lesson(services, &who, &id, input, origin.0).await {
        Ok(_) => Redirect::to(&format!(
            "/cabinet/courses/{}#lesson-{id}",
            lesson.course_id
        ))
        .into_response(),
        Err(e) => service_error(&state, &headers, e),
    }
}

async fn move_module(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<MoveForm>,
) -> Response {
    let services = state.services();
    let module = match content::module(services, &who, &id).await {
        Ok(m) => m,
        Err(e) => return service_error(&state, &headers, e),
    };
    let position = match form.direction.as_str() {
        "up" => (module.position - 1).max(1),
        _ => module.position + 1,
    };
    match content::update_module(services, &who, &id, None, Some(position), origin.0).await {
        Ok(_) => Redirect::to(&format!(
            "/cabinet/courses/{}#module-{id}",
            module.course_id
        ))
        .into_response(),
        Err(e) => service_error(&state, &headers, e),
    }
}

async fn delete_lesson(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    trash_in_course(
        &state,
        &who,
        origin,
        &headers,
        "lesson",
        &id,
        "lesson-deleted",
    )
    .await
}

/// Puts a module or lesson in the trash and goes back to its course's editor.
async fn trash_in_course(
    state: &AppState,
    who: &Principal,
    origin: ClientOrigin,
    headers: &HeaderMap,
    kind: &str,
    id: &str,
    flash: &'static str,
) -> Response {
    let services = state.services();
    let course_id = match kind {
        "module" => content::module(services, who, id)
            .await
            .map(|m| m.course_id),
        _ => content::lesson(services, who, id)
            .await
            .map(|l| l.course_id),
    };
    let course_id = match course_id {
        Ok(c) => c,
        Err(e) => return service_error(state, headers, e),
    };
    match content::delete(services, who, kind, id, origin.0).await {
        Ok(()) => redirect_with_flash(state, &format!("/cabinet/courses/{course_id}"), flash),
        Err(e) => service_error(state, headers, e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct UploadQuery {
    filename: String,
    kind: Option<String>,
}

/// A file from the editor's upload field: the body streams to the media store; the answer is
/// the file as JSON (or a problem), for the page's script.
async fn upload(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Query(q): Query<UploadQuery>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let input = media::UploadInput {
        filename: q.filename,
        length: content_length(&headers),
        expect: q.kind.filter(|k| !k.is_empty()),
    };
    match media::upload(
        state.services(),
        &who,
        input,
        body.into_data_stream(),
        origin.0,
    )
    .await
    {
        Ok(m) => (
            StatusCode::CREATED,
            Json(crate::api::media::media_out(m, None)),
        )
            .into_response(),
        Err(e) => crate::problem::ApiError::from(e).into_response(),
    }
}

struct ProgressLine {
    name: String,
    email: String,
    cells: Vec<&'static str>,
    done: usize,
    completed: Option<String>,
}

#[derive(Template)]
#[template(path = "course_progress.html")]
struct ProgressPage<'a> {
    l: Layout<'a>,
    course: Course,
    lessons: Vec<Lesson>,
    rows: Vec<ProgressLine>,
    may_edit: bool,
    may_manage: bool,
    /// (id, name) of the school's groups, to enrol one.
    groups: Vec<(String, String)>,
}

async fn progress(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let (course, lessons, rows) = match learning::progress_table(state.services(), &who, &id).await
    {
        Ok(v) => v,
        Err(e) => return service_error(&state, &headers, e),
    };
    let path = format!("/cabinet/courses/{id}/progress");
    let l = Layout::for_user(&state, &headers, &path, &who);
    let rows = rows
        .into_iter()
        .map(|r| ProgressLine {
            name: r.student.full_name,
            email: r.student.email,
            cells: r
                .cells
                .iter()
                .map(|c| match c {
                    Some((true, _)) => "complete",
                    Some((false, _)) => "started",
                    None => "none",
                })
                .collect(),
            done: r.done,
            completed: r.enrolment.completed_at.map(|t| l.instant(&t)),
        })
        .collect();
    let may_manage = may(&who, TenantAction::ManageLearners);
    let groups = if may_manage {
        learning::groups(state.services(), &who)
            .await
            .map(|g| g.into_iter().map(|g| (g.id, g.name)).collect())
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let page = ProgressPage {
        may_manage,
        groups,
        may_edit: may(&who, TenantAction::EditContent),
        course,
        lessons,
        rows,
        l,
    };
    page.l.render(StatusCode::OK, &page)
}

/// Sets who teaches a course from the editor's checkboxes (`teacher` repeated).
async fn save_teachers(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let ids: Vec<String> = pairs
        .into_iter()
        .filter(|(k, _)| k == "teacher")
        .map(|(_, v)| v)
        .collect();
    match content::set_teachers(state.services(), &who, &id, &ids, origin.0).await {
        Ok(_) => redirect_with_flash(&state, &format!("/cabinet/courses/{id}"), "teachers-saved"),
        Err(e) => service_error(&state, &headers, e),
    }
}

async fn delete_course(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    match content::delete(state.services(), &who, "course", &id, origin.0).await {
        Ok(()) => redirect_with_flash(&state, "/cabinet/trash", "moved-to-trash"),
        Err(e) => service_error(&state, &headers, e),
    }
}

async fn delete_module(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    trash_in_course(
        &state,
        &who,
        origin,
        &headers,
        "module",
        &id,
        "moved-to-trash",
    )
    .await
}

#[derive(Template)]
#[template(path = "trash.html")]
struct TrashPage<'a> {
    l: Layout<'a>,
    /// Each deleted thing with its local deletion date.
    items: Vec<(educenter_services::store::content::Trashed, String)>,
    days: i64,
}

/// What was deleted in the last 30 days, each with a button to restore it.
async fn trash(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    headers: HeaderMap,
) -> Response {
    let items = match content::trash(state.services(), &who).await {
        Ok(t) => t,
        Err(e) => return service_error(&state, &headers, e),
    };
    let l = Layout::for_user(&state, &headers, "/cabinet/trash", &who);
    let items = items
        .into_iter()
        .map(|t| {
            let on = educenter_domain::clock::local_date(t.deleted_at).to_string();
            (t, on)
        })
        .collect();
    let page = TrashPage {
        items,
        days: content::TRASH_DAYS,
        l,
    };
    page.l.render(StatusCode::OK, &page)
}

async fn restore(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Path((kind, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    match content::restore(state.services(), &who, &kind, &id, origin.0).await {
        Ok(()) => redirect_with_flash(&state, "/cabinet/trash", "restored"),
        Err(e) => service_error(&state, &headers, e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LogoForm {
    logo_id: String,
    remove_logo: String,
}

/// Sets or removes the logo of the school's site.
async fn save_logo(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<LogoForm>,
) -> Response {
    let id = non_empty(&form.logo_id);
    if id.is_none() && form.remove_logo != "on" {
        return redirect_with_flash(&state, "/cabinet/courses", "logo-missing");
    }
    let id = id.filter(|_| form.remove_logo != "on");
    match content::set_logo(state.services(), &who, id.as_deref(), origin.0).await {
        Ok(()) => redirect_with_flash(&state, "/cabinet/courses", "logo-saved"),
        Err(e) => service_error(&state, &headers, e),
    }
}

#[derive(Template)]
#[template(path = "lesson_edit.html")]
struct LessonEditPage<'a> {
    l: Layout<'a>,
    lesson: Lesson,
    fields: Vec<Field>,
    /// A refused file or captions (no field of their own).
    form_error: Option<String>,
}

fn lesson_fields(l: &Layout<'_>, lesson: &Lesson, form: LessonForm) -> Vec<Field> {
    let mut fields = vec![Field::new(l, "lesson_title", "text").value(form.lesson_title)];
    match lesson.kind.as_str() {
        "text" => fields.push(
            Field::new(l, "lesson_body", "textarea")
                .value(form.lesson_body)
                .hint(l)
                .optional(),
        ),
        "embed" => fields.push(
            Field::new(l, "embed_url", "url")
                .value(form.embed_url)
                .hint(l),
        ),
        _ => {}
    }
    fields.extend([
        Field::new(l, "available_from", "date")
            .value(form.available_from)
            .optional(),
        Field::new(l, "available_after_days", "number")
            .value(form.available_after_days)
            .optional(),
        Field::new(l, "lesson_required", "checkbox")
            .value(form.lesson_required)
            .optional(),
    ]);
    fields
}

async fn render_lesson_form(
    state: &AppState,
    headers: &HeaderMap,
    who: &Principal,
    id: &str,
    again: Option<(LessonForm, FieldErrors)>,
) -> Response {
    let lesson = match content::lesson(state.services(), who, id).await {
        Ok(l) => l,
        Err(e) => return service_error(state, headers, e),
    };
    let path = format!("/cabinet/lessons/{id}");
    let l = Layout::for_user(state, headers, &path, who);
    let (form, errors, status) = match again {
        Some((f, e)) => (f, e, StatusCode::UNPROCESSABLE_ENTITY),
        None => (
            LessonForm {
                lesson_title: lesson.title.clone(),
                lesson_body: lesson.body.clone(),
                embed_url: lesson.embed_url.clone().unwrap_or_default(),
                available_from: lesson.available_from.clone().unwrap_or_default(),
                available_after_days: lesson
                    .available_after_days
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                lesson_required: if lesson.required {
                    "on".into()
                } else {
                    String::new()
                },
                ..LessonForm::default()
            },
            FieldErrors::default(),
            StatusCode::OK,
        ),
    };
    let mut fields = lesson_fields(&l, &lesson, form);
    errors.apply(&mut fields);
    let page = LessonEditPage {
        lesson,
        fields,
        form_error: errors.form.clone(),
        l,
    };
    page.l.render(status, &page)
}

/// A lesson's own page in the editor: its text or link, release rules, and a new file.
async fn lesson_form(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    render_lesson_form(&state, &headers, &who, &id, None).await
}

async fn lesson_save(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<LessonForm>,
) -> Response {
    let l = Layout::new(&state, &headers, "/cabinet/courses");
    let days = match non_empty(&form.available_after_days).map(|d| d.parse::<i64>()) {
        // An emptied field opens the lesson on enrolment, as if there were no rule.
        None => Some(0),
        Some(Ok(d)) => Some(d),
        Some(Err(_)) => {
            let mut errors = FieldErrors::default();
            errors.set("available_after_days", l.t("error-available_after_days"));
            return render_lesson_form(&state, &headers, &who, &id, Some((form, errors))).await;
        }
    };
    let input = LessonInput {
        title: Some(form.lesson_title.clone()),
        body: Some(form.lesson_body.clone()),
        embed_url: non_empty(&form.embed_url),
        available_from: Some(form.available_from.trim().to_owned()),
        available_after_days: days,
        required: Some(form.lesson_required == "on"),
        media_id: non_empty(&form.media_id),
        captions_id: non_empty(&form.captions_id),
        ..LessonInput::default()
    };
    match content::update_lesson(state.services(), &who, &id, input, origin.0).await {
        Ok(lesson) => redirect_with_flash(
            &state,
            &format!("/cabinet/courses/{}", lesson.course_id),
            "lesson-saved",
        ),
        Err(ServiceError::Invalid(found)) => {
            let file_refused = found
                .iter()
                .any(|(f, _)| f == "media_id" || f == "captions_id");
            let found = found
                .into_iter()
                .filter(|(f, _)| f != "media_id" && f != "captions_id")
                .collect();
            let mut errors = FieldErrors::from_service(
                &l,
                found,
                &[
                    ("title", "lesson_title"),
                    ("body", "lesson_body"),
                    ("embed_url", "embed_url"),
                    ("available_from", "available_from"),
                    ("available_after_days", "available_after_days"),
                ],
            );
            if file_refused {
                errors.add_form(l.t("error-lesson-file"));
            }
            render_lesson_form(&state, &headers, &who, &id, Some((form, errors))).await
        }
        Err(e) => service_error(&state, &headers, e),
    }
}
