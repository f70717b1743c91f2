//! A course's editing page: its settings, modules and lessons in order, moving them, uploads, and the teachers assigned to it.

use super::*;

#[derive(Template)]
#[template(path = "course_edit.html")]
pub(crate) struct EditPage<'a> {
    pub(crate) l: Layout<'a>,
    pub(crate) course: Course,
    pub(crate) slug: String,
    pub(crate) modules: Vec<(Module, Vec<Lesson>)>,
    pub(crate) course_fields: Vec<Field>,
    pub(crate) module_fields: Vec<Field>,
    pub(crate) lesson_fields: Vec<Field>,
    /// The school's teachers and whether each teaches this course; `None` for a teacher, who
    /// cannot change it.
    pub(crate) teachers: Option<Vec<content::TeacherChoice>>,
    /// An error of the course settings form that belongs to no field (the cover).
    pub(crate) course_error: Option<String>,
}

impl EditPage<'_> {
    /// The lesson kinds a field of the new-lesson form is for (empty: every kind); the page's
    /// script shows only the chosen kind's fields.
    pub(crate) fn kinds_for(&self, field: &str) -> &'static str {
        match field {
            "lesson_body" => "text assignment",
            "embed_url" => "embed",
            _ => "",
        }
    }
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub(crate) struct CourseForm {
    pub(crate) course_title: String,
    pub(crate) course_description: String,
    pub(crate) course_status: String,
    pub(crate) in_order: String,
    pub(crate) self_enrol: String,
    pub(crate) certificate: String,
    /// A newly uploaded cover image.
    pub(crate) cover_id: String,
    pub(crate) remove_cover: String,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub(crate) struct LessonForm {
    pub(crate) lesson_module: String,
    pub(crate) lesson_title: String,
    pub(crate) lesson_kind: String,
    pub(crate) lesson_body: String,
    pub(crate) embed_url: String,
    pub(crate) media_id: String,
    pub(crate) captions_id: String,
    pub(crate) available_from: String,
    pub(crate) available_after_days: String,
    pub(crate) lesson_required: String,
    /// "on": visitors open the lesson from the course's public page.
    pub(crate) lesson_free_preview: String,
    /// "on": a stop-lesson.
    pub(crate) lesson_stop: String,
    /// "on": published (students see it); otherwise a draft.
    pub(crate) lesson_published: String,
}

/// What the editor shows again after a refused form.
#[derive(Default)]
pub(crate) struct Again {
    pub(crate) course: Option<CourseForm>,
    pub(crate) module_title: String,
    pub(crate) lesson: Option<LessonForm>,
    pub(crate) errors: FieldErrors,
    /// The form whose errors are shown: `course`, `module` or `lesson`.
    pub(crate) failed: &'static str,
}

pub(crate) async fn render_edit(
    state: &AppState,
    headers: &HeaderMap,
    who: &Principal,
    id: &str,
    again: Again,
    status: StatusCode,
) -> PageResult {
    let services = state.services();
    let (course, modules) = content::course(services, who, id).await?;
    let slug = educenter_services::tenancy::own(services, who)
        .await
        .ok()
        .flatten()
        .map(|t| t.slug)
        .unwrap_or_default();
    let path = format!("/cabinet/courses/{id}");
    let l = Layout::for_user(state, headers, &path, who);
    let cf = again.course.clone().unwrap_or(CourseForm {
        course_title: course.title.clone(),
        course_description: course.description.clone(),
        course_status: course.status.as_str().to_owned(),
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
        certificate: if course.certificate {
            "on".into()
        } else {
            String::new()
        },
        ..CourseForm::default()
    });
    let statuses = CourseStatus::ALL
        .iter()
        .map(|s| (s.as_str().to_owned(), l.t(&format!("course-status-{s}"))))
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
        Field::new(&l, "certificate", "checkbox")
            .value(cf.certificate)
            .optional(),
    ];
    let mut module_fields =
        vec![Field::new(&l, "module_title", "text").value(again.module_title.clone())];
    let lf = again.lesson.clone().unwrap_or(LessonForm {
        lesson_kind: "text".into(),
        lesson_required: "on".into(),
        // A lesson added to a course students already see starts as a draft.
        lesson_published: if course.status.is_published() {
            String::new()
        } else {
            "on".into()
        },
        lesson_module: modules
            .last()
            .map(|(m, _)| m.id.to_string())
            .unwrap_or_default(),
        ..LessonForm::default()
    });
    let kinds = LessonKind::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), l.t(&format!("lesson-kind-{k}"))))
        .collect();
    let module_options = modules
        .iter()
        .map(|(m, _)| (m.id.to_string(), m.title.clone()))
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
        Field::new(&l, "lesson_free_preview", "checkbox")
            .value(lf.lesson_free_preview)
            .optional(),
        Field::new(&l, "lesson_stop", "checkbox")
            .value(lf.lesson_stop)
            .optional(),
        Field::new(&l, "lesson_published", "checkbox")
            .value(lf.lesson_published)
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
    let teachers = if who.tenant_role() == Some(TenantRole::Teacher) {
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
    Ok(page.l.render(status, &page))
}

pub(crate) async fn edit(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> PageResult {
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

pub(crate) async fn save(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<CourseForm>,
) -> PageResult {
    let input = CourseInput {
        title: Some(form.course_title.clone()),
        description: Some(form.course_description.clone()),
        status: Some(form.course_status.clone()),
        in_order: Some(form.in_order == "on"),
        self_enrol: Some(form.self_enrol == "on"),
        certificate: Some(form.certificate == "on"),
        cover_id: if form.remove_cover == "on" {
            Some(None)
        } else {
            non_empty(&form.cover_id).map(Some)
        },
    };
    match content::update_course(state.services(), &who, &id, input, origin.0).await {
        Ok(_) => Ok(redirect_with_flash(
            &state,
            &format!("/cabinet/courses/{id}"),
            "course-saved",
        )),
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
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct ModuleForm {
    pub(crate) module_title: String,
}

pub(crate) async fn add_module(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<ModuleForm>,
) -> PageResult {
    match content::create_module(state.services(), &who, &id, &form.module_title, origin.0).await {
        Ok(_) => Ok(redirect_with_flash(
            &state,
            &format!("/cabinet/courses/{id}"),
            "module-added",
        )),
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
        Err(e) => Err(e.into()),
    }
}

pub(crate) fn non_empty(v: &str) -> Option<String> {
    let v = v.trim();
    (!v.is_empty()).then(|| v.to_owned())
}

/// A form's "published" checkbox as a lesson's status.
pub(crate) fn lesson_status(checkbox: &str) -> LessonStatus {
    if checkbox == "on" {
        LessonStatus::Published
    } else {
        LessonStatus::Draft
    }
}

pub(crate) async fn add_lesson(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<LessonForm>,
) -> PageResult {
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
        free_preview: Some(form.lesson_free_preview == "on"),
        stop: Some(form.lesson_stop == "on"),
        status: Some(lesson_status(&form.lesson_published).as_str().to_owned()),
        media_id: non_empty(&form.media_id),
        captions_id: non_empty(&form.captions_id),
        // A quiz starts with no question; its page then offers the bank's.
        quiz: (form.lesson_kind == LessonKind::Quiz.as_str()).then(|| {
            educenter_services::quizzes::QuizInput {
                questions: Some(Vec::new()),
                ..Default::default()
            }
        }),
    };
    match content::create_lesson(state.services(), &who, &id, input, origin.0).await {
        Ok(lesson) if lesson.kind == LessonKind::Quiz => Ok(redirect_with_flash(
            &state,
            &format!("/cabinet/lessons/{}", lesson.id),
            "quiz-added",
        )),
        Ok(_) => Ok(redirect_with_flash(
            &state,
            &format!("/cabinet/courses/{id}"),
            "lesson-added",
        )),
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
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct UploadQuery {
    pub(crate) filename: String,
    pub(crate) kind: Option<String>,
}

/// A file from the editor's upload field: the body streams to the media store; the answer is
/// the file as JSON (or a problem), for the page's script.
pub(crate) async fn upload(
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

/// Sets who teaches a course from the editor's checkboxes (`teacher` repeated).
pub(crate) async fn save_teachers(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let ids: Vec<String> = pairs
        .into_iter()
        .filter(|(k, _)| k == "teacher")
        .map(|(_, v)| v)
        .collect();
    content::set_teachers(state.services(), &who, &id, &ids, origin.0).await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/cabinet/courses/{id}"),
        "teachers-saved",
    ))
}
