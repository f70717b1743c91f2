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
use educenter_domain::content::{CourseStatus, LessonKind, LessonStatus};
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
    Layout, PageResult,
    forms::{Field, FieldErrors},
    redirect_with_flash,
};
use crate::{AppState, ClientOrigin, api::media::content_length, auth::WebUser};

mod copies;
mod edit;
mod gradebook;
mod lesson_edit;
mod outline;
mod progress;
mod quiz_attempts;
mod quiz_edit;
mod submissions;
mod trash;
pub(crate) use edit::*;
pub(crate) use gradebook::{GradeText, grade_text};
pub(crate) use lesson_edit::*;
pub(crate) use progress::*;
pub(crate) use quiz_attempts::*;
pub(crate) use trash::*;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/cabinet/courses", get(list).post(create))
        .route("/cabinet/courses/{id}", get(edit).post(save))
        .route("/cabinet/courses/{id}/modules", post(add_module))
        .route("/cabinet/courses/{id}/lessons", post(add_lesson))
        .route("/cabinet/courses/{id}/progress", get(progress))
        .route("/cabinet/lessons/{id}/move", post(outline::move_lesson))
        .route("/cabinet/courses/{id}/outline", post(outline::reorder))
        .route("/cabinet/lessons/{id}/status", post(outline::set_status))
        .route("/cabinet/markdown", post(outline::preview))
        .route(
            "/cabinet/lessons/{id}/duplicate",
            post(copies::duplicate_lesson),
        )
        .route("/cabinet/courses/{id}/copy", post(copies::copy_course))
        .route("/cabinet/modules/{id}/move", post(outline::move_module))
        .route("/cabinet/lessons/{id}/delete", post(delete_lesson))
        .route("/cabinet/media", post(upload))
        .route("/cabinet/courses/{id}/teachers", post(save_teachers))
        .route("/cabinet/courses/{id}/delete", post(delete_course))
        .route("/cabinet/modules/{id}/delete", post(delete_module))
        .route("/cabinet/trash", get(trash))
        .route("/cabinet/trash/{kind}/{id}/restore", post(restore))
        .route("/cabinet/school/logo", post(save_logo))
        .route("/cabinet/lessons/{id}", get(lesson_form).post(lesson_save))
        .route("/cabinet/lessons/{id}/attempts", get(quiz_attempts))
        .route(
            "/cabinet/courses/{id}/gradebook",
            get(gradebook::gradebook_page),
        )
        .route(
            "/cabinet/courses/{id}/gradebook/export",
            get(gradebook::gradebook_export),
        )
        .route("/cabinet/submissions", get(submissions::submissions))
        .route("/cabinet/submissions/{id}", get(submissions::submission))
        .route(
            "/cabinet/submissions/{id}/review",
            post(submissions::review),
        )
        .route(
            "/cabinet/submissions/{id}/comments",
            post(submissions::submission_comment),
        )
        .route(
            "/cabinet/attempts/{id}",
            get(attempt_review).post(attempt_grade),
        )
}

pub(crate) fn may(who: &Principal, action: TenantAction) -> bool {
    who.tenant_role().is_some_and(|r| tenant_may(r, action))
}

#[derive(Template)]
#[template(path = "courses.html")]
pub(crate) struct ListPage<'a> {
    pub(crate) l: Layout<'a>,
    pub(crate) courses: Vec<Course>,
    pub(crate) fields: Vec<Field>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct NewCourse {
    pub(crate) course_title: String,
    pub(crate) course_description: String,
}

pub(crate) async fn render_list(
    state: &AppState,
    headers: &HeaderMap,
    who: &Principal,
    form: NewCourse,
    errors: FieldErrors,
    status: StatusCode,
) -> PageResult {
    let courses = content::courses(state.services(), who).await?;
    let l = Layout::for_user(state, headers, "/cabinet/courses", who);
    let mut fields = vec![
        Field::new(&l, "course_title", "text").value(form.course_title),
        Field::new(&l, "course_description", "textarea")
            .value(form.course_description)
            .optional(),
    ];
    errors.apply(&mut fields);
    let page = ListPage { courses, fields, l };
    Ok(page.l.render(status, &page))
}

pub(crate) async fn list(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    headers: HeaderMap,
) -> PageResult {
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

pub(crate) async fn create(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<NewCourse>,
) -> PageResult {
    let input = CourseInput {
        title: Some(form.course_title.clone()),
        description: Some(form.course_description.clone()),
        ..CourseInput::default()
    };
    match content::create_course(state.services(), &who, input, origin.0).await {
        Ok(c) => Ok(redirect_with_flash(
            &state,
            &format!("/cabinet/courses/{}", c.id),
            "course-created",
        )),
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
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct LogoForm {
    pub(crate) logo_id: String,
    pub(crate) remove_logo: String,
}

/// Sets or removes the logo of the school's site.
pub(crate) async fn save_logo(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Form(form): Form<LogoForm>,
) -> PageResult {
    let id = non_empty(&form.logo_id);
    if id.is_none() && form.remove_logo != "on" {
        return Ok(redirect_with_flash(
            &state,
            "/cabinet/settings/brand",
            "logo-missing",
        ));
    }
    let id = id.filter(|_| form.remove_logo != "on");
    content::set_logo(state.services(), &who, id.as_deref(), origin.0).await?;
    Ok(redirect_with_flash(
        &state,
        "/cabinet/settings/brand",
        "logo-saved",
    ))
}

/// The cabinet's staff pages: a student's session finds no such page.
pub(crate) fn staff_only(who: &Principal) -> Result<(), crate::pages::PageError> {
    if who.kind == educenter_domain::roles::AccountKind::Learner {
        return Err(crate::pages::PageError::not_found());
    }
    Ok(())
}
