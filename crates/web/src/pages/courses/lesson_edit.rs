//! A lesson's own editing page: its text, media or link, and release rules.

use super::*;

#[derive(Template)]
#[template(path = "lesson_edit.html")]
pub(crate) struct LessonEditPage<'a> {
    pub(crate) l: Layout<'a>,
    pub(crate) lesson: Lesson,
    pub(crate) fields: Vec<Field>,
    /// A refused file or captions (no field of their own).
    pub(crate) form_error: Option<String>,
}

pub(crate) fn lesson_fields(l: &Layout<'_>, lesson: &Lesson, form: LessonForm) -> Vec<Field> {
    let mut fields = vec![Field::new(l, "lesson_title", "text").value(form.lesson_title)];
    match lesson.kind {
        LessonKind::Text => fields.push(
            Field::new(l, "lesson_body", "textarea")
                .value(form.lesson_body)
                .hint(l)
                .optional(),
        ),
        LessonKind::Embed => fields.push(
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
        Field::new(l, "lesson_free_preview", "checkbox")
            .value(form.lesson_free_preview)
            .optional(),
    ]);
    fields
}

pub(crate) async fn render_lesson_form(
    state: &AppState,
    headers: &HeaderMap,
    who: &Principal,
    id: &str,
    again: Option<(LessonForm, FieldErrors)>,
) -> PageResult {
    let lesson = content::lesson(state.services(), who, id).await?;
    let path = format!("/cabinet/lessons/{id}");
    let l = Layout::for_user(state, headers, &path, who);
    let (form, errors, status) = match again {
        Some((f, e)) => (f, e, StatusCode::UNPROCESSABLE_ENTITY),
        None => (
            LessonForm {
                lesson_title: lesson.title.clone(),
                lesson_body: lesson.body.clone(),
                embed_url: lesson.embed_url.clone().unwrap_or_default(),
                available_from: lesson
                    .available_from
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                available_after_days: lesson
                    .available_after_days
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                lesson_required: if lesson.required {
                    "on".into()
                } else {
                    String::new()
                },
                lesson_free_preview: if lesson.free_preview {
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
    Ok(page.l.render(status, &page))
}

/// A lesson's own page in the editor: its text or link, release rules, and a new file.
pub(crate) async fn lesson_form(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> PageResult {
    render_lesson_form(&state, &headers, &who, &id, None).await
}

pub(crate) async fn lesson_save(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<LessonForm>,
) -> PageResult {
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
        free_preview: Some(form.lesson_free_preview == "on"),
        media_id: non_empty(&form.media_id),
        captions_id: non_empty(&form.captions_id),
        ..LessonInput::default()
    };
    match content::update_lesson(state.services(), &who, &id, input, origin.0).await {
        Ok(lesson) => Ok(redirect_with_flash(
            &state,
            &format!("/cabinet/courses/{}", lesson.course_id),
            "lesson-saved",
        )),
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
        Err(e) => Err(e.into()),
    }
}
