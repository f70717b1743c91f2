//! Assignments for their students (issue 19, item 4): under the task on the lesson page, where
//! the work stands, its thread (answers, the teachers' decisions and comments, files) and the
//! answer form (text, and files the page's script uploads as they are picked); a comment form
//! once the work is sent. A refused form shows again as sent, its error beside the field.

use educenter_domain::assignments::{EntryKind, MAX_GRADE, SubmissionState};
use educenter_services::assignments::{self, AnswerInput, Work};

use super::*;

/// A line of the thread as the page shows it.
pub(crate) struct ThreadLine {
    pub(crate) author: String,
    /// The school's staff wrote it (not the student).
    pub(crate) staff: bool,
    /// What it is: "Answer", "Returned for revision", "Accepted", "Comment".
    pub(crate) what: String,
    pub(crate) kind: EntryKind,
    pub(crate) when: String,
    pub(crate) text: String,
    /// "85 / 100" with a decision that gave a grade.
    pub(crate) grade: Option<String>,
    /// (link, file name, size in words).
    pub(crate) files: Vec<(String, String, String)>,
}

/// What a refused form sent, shown again with its errors.
#[derive(Default)]
pub(crate) struct Draft {
    pub(crate) text: String,
    /// Files uploaded for the answer: (id, name).
    pub(crate) files: Vec<(String, String)>,
    pub(crate) comment: String,
    pub(crate) text_error: Option<String>,
    pub(crate) files_error: Option<String>,
    pub(crate) comment_error: Option<String>,
}

/// The assignment part of an assignment lesson's page.
pub(crate) struct AssignmentPanel {
    pub(crate) submission_id: Option<String>,
    pub(crate) state: Option<SubmissionState>,
    /// Where the work stands, in words.
    pub(crate) status: String,
    pub(crate) grade: Option<String>,
    pub(crate) thread: Vec<ThreadLine>,
    /// The student may send an answer (the first, or again after a return).
    pub(crate) may_answer: bool,
    pub(crate) draft: Draft,
}

pub(crate) fn grade_words(grade: i64) -> String {
    format!("{grade} / {MAX_GRADE}")
}

/// The thread of a work as the pages show it, with links to its files signed for `who`.
pub(crate) async fn thread_of(
    state: &AppState,
    l: &Layout<'_>,
    who: &Principal,
    w: &Work,
) -> Result<Vec<ThreadLine>, PageError> {
    let links = w.links(state.services(), who).await?;
    Ok(w.thread
        .iter()
        .map(|e| ThreadLine {
            author: e.author.clone(),
            staff: e.staff,
            what: l.t(&format!("assignment-entry-{}", e.entry.kind.as_str())),
            kind: e.entry.kind,
            when: l.instant(&e.entry.created_at),
            text: e.entry.body.clone(),
            grade: e.entry.grade.map(grade_words),
            files: e
                .files
                .iter()
                .map(|m| {
                    (
                        links.get(&m.id).cloned().unwrap_or_default(),
                        m.filename.clone(),
                        l.size(m.size_bytes),
                    )
                })
                .collect(),
        })
        .collect())
}

/// The assignment part of the lesson page of a student (`draft`: a refused form).
pub(crate) async fn panel(
    state: &AppState,
    l: &Layout<'_>,
    who: &Principal,
    lesson_id: &str,
    draft: Option<Draft>,
) -> Result<AssignmentPanel, PageError> {
    let work = assignments::my_work(state.services(), who, lesson_id).await?;
    let thread = match &work {
        Some(w) => thread_of(state, l, who, w).await?,
        None => Vec::new(),
    };
    let s = work.as_ref().map(|w| &w.submission);
    let st = s.map(|s| s.state);
    Ok(AssignmentPanel {
        submission_id: s.map(|s| s.id.to_string()),
        state: st,
        status: l.t(&format!(
            "assignment-status-{}",
            st.map_or("new", SubmissionState::as_str)
        )),
        grade: s.and_then(|s| s.grade).map(grade_words),
        thread,
        may_answer: SubmissionState::may_answer(st),
        draft: draft.unwrap_or_default(),
    })
}

/// Which field of the page's forms a service's error is about.
fn field_of(field: &str) -> &'static str {
    if field.starts_with("files") {
        "files"
    } else if field == "comment" {
        "comment"
    } else {
        "text"
    }
}

/// The lesson page again with the form as sent and its errors beside the fields (422).
async fn refused(
    state: &AppState,
    headers: &HeaderMap,
    slug: &str,
    lesson_id: &str,
    mut draft: Draft,
    errors: Vec<(String, educenter_services::Msg)>,
    comment: bool,
) -> PageResult {
    let l = Layout::new(state, headers, &format!("/s/{slug}/lessons/{lesson_id}"));
    for (field, m) in errors {
        let words = l.say(&m);
        let slot = match (comment, field_of(&field)) {
            (true, _) => &mut draft.comment_error,
            (false, "files") => &mut draft.files_error,
            _ => &mut draft.text_error,
        };
        slot.get_or_insert(words);
    }
    let mut res = lesson_page(state.clone(), slug, lesson_id, headers, Some(draft)).await?;
    *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(res)
}

/// The answer form: `text`, and `file` (repeated) with the ids of the files the script
/// uploaded (`file_name` with their names, to show them again should the form be refused).
pub(crate) async fn answer(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> PageResult {
    let path = format!("/s/{slug}/lessons/{id}");
    let (_, who) = match school_student(&state, &headers, &slug, &path).await {
        Ok(v) => v,
        Err(r) => return Ok(r),
    };
    let values = |key: &str| -> Vec<String> {
        form.iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect()
    };
    let text = values("text").concat();
    let files = values("file");
    let names = values("file_name");
    let input = AnswerInput {
        text: text.clone(),
        files: files.clone(),
    };
    match assignments::answer(state.services(), &who, &id, input, origin.0).await {
        Ok(_) => Ok(redirect_with_flash(
            &state,
            &format!("{path}#assignment"),
            "answer-sent",
        )),
        // Sent twice (a double click, another tab): the lesson says where the work stands.
        Err(ServiceError::Conflict(_)) => Ok(redirect_with_flash(
            &state,
            &format!("{path}#assignment"),
            "answer-refused",
        )),
        Err(ServiceError::Invalid(errors)) => {
            let draft = Draft {
                text,
                files: files
                    .into_iter()
                    .enumerate()
                    .map(|(i, f)| {
                        let name = names.get(i).cloned().unwrap_or_else(|| f.clone());
                        (f, name)
                    })
                    .collect(),
                ..Draft::default()
            };
            refused(&state, &headers, &slug, &id, draft, errors, false).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The student's comment on their work (`text`), from the lesson page.
pub(crate) async fn comment(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> PageResult {
    let path = format!("/s/{slug}/my");
    let (_, who) = match school_student(&state, &headers, &slug, &path).await {
        Ok(v) => v,
        Err(r) => return Ok(r),
    };
    let services = state.services();
    let work = assignments::work(services, &who, &id).await?;
    let lesson = work.submission.lesson_id.to_string();
    let text: String = form
        .iter()
        .filter(|(k, _)| k == "text")
        .map(|(_, v)| v.as_str())
        .collect();
    match assignments::comment(services, &who, &id, &text, origin.0).await {
        Ok(_) => Ok(redirect_with_flash(
            &state,
            &format!("/s/{slug}/lessons/{lesson}#assignment"),
            "comment-sent",
        )),
        Err(ServiceError::Invalid(errors)) => {
            let draft = Draft {
                comment: text,
                ..Draft::default()
            };
            refused(&state, &headers, &slug, &lesson, draft, errors, true).await
        }
        Err(e) => Err(e.into()),
    }
}

/// A file for the student's answer, uploaded by the page's script as it is picked (the body
/// is the file); answers the file as JSON (the API's `MediaOut`), or a problem.
pub(crate) async fn upload(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    origin: ClientOrigin,
    Query(q): Query<crate::api::media::UploadQuery>,
    headers: HeaderMap,
    body: axum::body::Body,
) -> Response {
    let who = match school_visitor(&state, &headers, &slug).await {
        Ok((_, Some(who))) => who,
        Ok((_, None)) => return StatusCode::UNAUTHORIZED.into_response(),
        Err(r) => return r,
    };
    let input = media::UploadInput {
        filename: q.filename.unwrap_or_default(),
        length: crate::api::media::content_length(&headers),
        expect: None,
    };
    match assignments::upload_file(
        state.services(),
        &who,
        &id,
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

/// The script's "remove" beside a picked file: deletes it (204), or a problem.
pub(crate) async fn remove_file(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let who = match school_visitor(&state, &headers, &slug).await {
        Ok((_, Some(who))) => who,
        Ok((_, None)) => return StatusCode::UNAUTHORIZED.into_response(),
        Err(r) => return r,
    };
    match assignments::remove_unsent_file(state.services(), &who, &id).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => crate::problem::ApiError::from(e).into_response(),
    }
}
