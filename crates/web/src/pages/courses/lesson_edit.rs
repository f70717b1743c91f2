//! A lesson's own editing page: its text, media or link, and release rules.

use super::quiz_edit::{QuizEditor, QuizForm, quiz_editor, quiz_field};
use super::*;

#[derive(Template)]
#[template(path = "lesson_edit.html")]
pub(crate) struct LessonEditPage<'a> {
    pub(crate) l: Layout<'a>,
    pub(crate) lesson: Lesson,
    pub(crate) fields: Vec<Field>,
    /// A refused file or captions (no field of their own).
    pub(crate) form_error: Option<String>,
    /// A quiz lesson's settings.
    pub(crate) quiz: Option<QuizEditor>,
}

impl LessonForm {
    /// The lesson's fields of a form that also carries a quiz's (`quiz_*`, some repeated).
    pub(crate) fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut f = Self::default();
        for (k, v) in pairs {
            let v = v.clone();
            match k.as_str() {
                "lesson_module" => f.lesson_module = v,
                "lesson_title" => f.lesson_title = v,
                "lesson_kind" => f.lesson_kind = v,
                "lesson_body" => f.lesson_body = v,
                "embed_url" => f.embed_url = v,
                "media_id" => f.media_id = v,
                "captions_id" => f.captions_id = v,
                "available_from" => f.available_from = v,
                "available_after_days" => f.available_after_days = v,
                "lesson_required" => f.lesson_required = v,
                "lesson_free_preview" => f.lesson_free_preview = v,
                "lesson_stop" => f.lesson_stop = v,
                "lesson_published" => f.lesson_published = v,
                _ => {}
            }
        }
        f
    }
}

/// What the lesson page shows again after a refused form.
pub(crate) struct LessonAgain {
    pub(crate) lesson: LessonForm,
    pub(crate) quiz: Option<QuizForm>,
    pub(crate) errors: FieldErrors,
}

pub(crate) fn lesson_fields(l: &Layout<'_>, lesson: &Lesson, form: LessonForm) -> Vec<Field> {
    let mut fields = vec![Field::new(l, "lesson_title", "text").value(form.lesson_title)];
    match lesson.kind {
        // A text lesson's text, an assignment's task.
        LessonKind::Text | LessonKind::Assignment => fields.push(
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
        Field::new(l, "lesson_stop", "checkbox")
            .value(form.lesson_stop)
            .optional(),
        Field::new(l, "lesson_published", "checkbox")
            .value(form.lesson_published)
            .optional(),
    ]);
    fields
}

pub(crate) async fn render_lesson_form(
    state: &AppState,
    headers: &HeaderMap,
    who: &Principal,
    id: &str,
    again: Option<LessonAgain>,
) -> PageResult {
    let lesson = content::lesson(state.services(), who, id).await?;
    let path = format!("/cabinet/lessons/{id}");
    let l = Layout::for_user(state, headers, &path, who);
    let (form, quiz_form, errors, status) = match again {
        Some(a) => (a.lesson, a.quiz, a.errors, StatusCode::UNPROCESSABLE_ENTITY),
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
                lesson_stop: if lesson.stop {
                    "on".into()
                } else {
                    String::new()
                },
                lesson_published: if lesson.status.is_published() {
                    "on".into()
                } else {
                    String::new()
                },
                ..LessonForm::default()
            },
            None,
            FieldErrors::default(),
            StatusCode::OK,
        ),
    };
    let mut fields = lesson_fields(&l, &lesson, form);
    errors.apply(&mut fields);
    let quiz = if lesson.kind == LessonKind::Quiz {
        Some(quiz_editor(state, &l, who, &lesson, quiz_form, &errors).await?)
    } else {
        None
    };
    let page = LessonEditPage {
        lesson,
        fields,
        form_error: errors.form.clone(),
        quiz,
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
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let l = Layout::new(&state, &headers, "/cabinet/courses");
    let form = LessonForm::from_pairs(&pairs);
    // Only a quiz lesson's page has the quiz's fields.
    let quiz_form = pairs
        .iter()
        .any(|(k, _)| k == "quiz_source")
        .then(|| QuizForm::from_pairs(&pairs));
    let again = |lesson, quiz, errors| {
        Some(LessonAgain {
            lesson,
            quiz,
            errors,
        })
    };
    let mut errors = FieldErrors::default();
    let days = match non_empty(&form.available_after_days).map(|d| d.parse::<i64>()) {
        // An emptied field opens the lesson on enrolment, as if there were no rule.
        None => Some(0),
        Some(Ok(d)) => Some(d),
        Some(Err(_)) => {
            errors.set("available_after_days", l.t("error-available_after_days"));
            None
        }
    };
    let quiz = match quiz_form.as_ref().map(|q| q.input(&l)) {
        Some(Ok(q)) => Some(q),
        Some(Err(e)) => {
            errors = e;
            None
        }
        None => None,
    };
    if errors.has_any() {
        // Both checks' errors: the quiz's replaced the days', so check those again.
        if days.is_none() {
            errors.set("available_after_days", l.t("error-available_after_days"));
        }
        let a = again(form, quiz_form, errors);
        return render_lesson_form(&state, &headers, &who, &id, a).await;
    }
    let input = LessonInput {
        title: Some(form.lesson_title.clone()),
        body: Some(form.lesson_body.clone()),
        embed_url: non_empty(&form.embed_url),
        available_from: Some(form.available_from.trim().to_owned()),
        available_after_days: days,
        required: Some(form.lesson_required == "on"),
        free_preview: Some(form.lesson_free_preview == "on"),
        stop: Some(form.lesson_stop == "on"),
        status: Some(
            super::edit::lesson_status(&form.lesson_published)
                .as_str()
                .to_owned(),
        ),
        media_id: non_empty(&form.media_id),
        captions_id: non_empty(&form.captions_id),
        quiz,
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
                .map(|(f, m)| match quiz_field(&f) {
                    Some(to) => (to.to_owned(), m),
                    None => (f, m),
                })
                .collect();
            let mut map = vec![
                ("title", "lesson_title"),
                ("body", "lesson_body"),
                ("embed_url", "embed_url"),
                ("available_from", "available_from"),
                ("available_after_days", "available_after_days"),
            ];
            map.extend(
                super::quiz_edit::QUIZ_FIELDS
                    .iter()
                    .map(|(_, to)| (*to, *to)),
            );
            let mut errors = FieldErrors::from_service(&l, found, &map);
            if file_refused {
                errors.add_form(l.t("error-lesson-file"));
            }
            render_lesson_form(&state, &headers, &who, &id, again(form, quiz_form, errors)).await
        }
        Err(e) => Err(e.into()),
    }
}
