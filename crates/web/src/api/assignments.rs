//! Assignments through the API (issue 19, item 4): a student's work on an assignment lesson
//! (files uploaded, then the answer sent, again after a return), the staff's review queue
//! across their courses, a submission's thread, decisions and comments.

use std::collections::HashMap;

use axum::{
    Json,
    body::Body,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
};
use educenter_domain::assignments::{EntryKind, SubmissionState};
use educenter_domain::ids::MediaId;
use educenter_services::{
    assignments::{self, AnswerInput, EntryView, QueueInput, ReviewInput, Work},
    media,
    store::assignments::{QueueRow, Submission},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    AppState, ClientOrigin,
    api::media::{MediaOut, UploadQuery, content_length, media_out},
    api::page::{PageParams, PageQuery},
    auth::Auth,
    page_of,
    problem::{ApiError, ApiJson, Problem},
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_my_submission, send_answer))
        .routes(routes!(upload_answer_file))
        .routes(routes!(remove_answer_file))
        .routes(routes!(list_submissions))
        .routes(routes!(get_submission))
        .routes(routes!(review_submission))
        .routes(routes!(comment_submission))
}

page_of!(
    SubmissionPage,
    SubmissionSummary,
    "the submissions to review"
);

/// A file of an answer, with a signed link (valid for an hour).
#[derive(Serialize, ToSchema)]
pub struct AnswerFile {
    id: String,
    filename: String,
    content_type: String,
    size_bytes: i64,
    url: String,
}

/// A line of a submission's thread.
#[derive(Serialize, ToSchema)]
pub struct EntryOut {
    id: String,
    /// `answer` (the student's, with files), `comment`, `returned` or `accepted`.
    kind: EntryKind,
    author_id: String,
    /// The author's name (empty once erased).
    author: String,
    /// Written by the school's staff (not the student).
    staff: bool,
    text: String,
    /// The grade given with a decision (0 to 100).
    grade: Option<i64>,
    files: Vec<AnswerFile>,
    created_at: String,
}

/// A student's work on an assignment with its thread, oldest first.
#[derive(Serialize, ToSchema)]
pub struct SubmissionOut {
    id: String,
    lesson_id: String,
    course_id: String,
    student_id: String,
    /// `submitted` (waits for a teacher), `returned` (for revision) or `accepted`.
    state: SubmissionState,
    /// 0 to 100, once a teacher gave one.
    grade: Option<i64>,
    submitted_at: String,
    reviewed_at: Option<String>,
    thread: Vec<EntryOut>,
}

fn entry_out(e: EntryView, links: &HashMap<MediaId, String>) -> EntryOut {
    EntryOut {
        id: e.entry.id,
        kind: e.entry.kind,
        author_id: e.entry.author_id.into_string(),
        author: e.author,
        staff: e.staff,
        text: e.entry.body,
        grade: e.entry.grade,
        files: e
            .files
            .into_iter()
            .map(|m| AnswerFile {
                url: links.get(&m.id).cloned().unwrap_or_default(),
                id: m.id.into_string(),
                filename: m.filename,
                content_type: m.content_type,
                size_bytes: m.size_bytes,
            })
            .collect(),
        created_at: e.entry.created_at.to_string(),
    }
}

async fn submission_out(
    state: &AppState,
    who: &educenter_services::access::Principal,
    w: Work,
) -> Result<SubmissionOut, ApiError> {
    let links = w.links(state.services(), who).await?;
    let s = w.submission;
    Ok(SubmissionOut {
        id: s.id.into_string(),
        lesson_id: s.lesson_id.into_string(),
        course_id: s.course_id.into_string(),
        student_id: s.user_id.into_string(),
        state: s.state,
        grade: s.grade,
        submitted_at: s.submitted_at.to_string(),
        reviewed_at: s.reviewed_at.map(|t| t.to_string()),
        thread: w.thread.into_iter().map(|e| entry_out(e, &links)).collect(),
    })
}

/// A line of the review queue.
#[derive(Serialize, ToSchema)]
pub struct SubmissionSummary {
    id: String,
    state: SubmissionState,
    grade: Option<i64>,
    lesson_id: String,
    lesson_title: String,
    course_id: String,
    course_title: String,
    student_id: String,
    student_name: String,
    student_email: String,
    /// When the student last answered.
    submitted_at: String,
    reviewed_at: Option<String>,
}

fn summary(q: QueueRow) -> SubmissionSummary {
    let Submission {
        id,
        state,
        grade,
        lesson_id,
        course_id,
        user_id,
        submitted_at,
        reviewed_at,
        ..
    } = q.submission;
    SubmissionSummary {
        id: id.into_string(),
        state,
        grade,
        lesson_id: lesson_id.into_string(),
        lesson_title: q.lesson_title,
        course_id: course_id.into_string(),
        course_title: q.course_title,
        student_id: user_id.into_string(),
        student_name: q.student_name,
        student_email: q.student_email,
        submitted_at: submitted_at.to_string(),
        reviewed_at: reviewed_at.map(|t| t.to_string()),
    }
}

/// The student's own work on an assignment lesson; 404 before their first answer.
#[utoipa::path(get, path = "/api/v1/assignments/{id}/submission", tag = "assignments", security(("bearer" = [])),
    params(("id" = String, Path, description = "The assignment lesson")),
    responses((status = 200, body = SubmissionOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
async fn get_my_submission(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path(id): Path<String>,
) -> Result<Json<SubmissionOut>, ApiError> {
    let work = assignments::my_work(state.services(), &who, &id)
        .await?
        .ok_or_else(|| {
            educenter_services::ServiceError::NotFound(educenter_services::Msg::new(
                "err-no-submission",
            ))
        })?;
    Ok(Json(submission_out(&state, &who, work).await?))
}

/// A student's answer: text, files uploaded before, or both.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default, deny_unknown_fields)]
pub struct AnswerIn {
    text: String,
    /// Ids of files uploaded with `POST /api/v1/assignments/{id}/files` (at most 10).
    files: Vec<String>,
}

/// Sends the student's answer to an assignment they may open: the first (201), or again after
/// the work was returned (200). While it waits for review, or once accepted, it is a conflict.
#[utoipa::path(post, path = "/api/v1/assignments/{id}/submission", tag = "assignments", security(("bearer" = [])),
    params(("id" = String, Path, description = "The assignment lesson")),
    request_body = AnswerIn,
    responses((status = 201, body = SubmissionOut), (status = 200, body = SubmissionOut),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, description = "The work waits for review, or is accepted", body = Problem),
        (status = 422, body = Problem)))]
async fn send_answer(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<AnswerIn>,
) -> Result<(StatusCode, Json<SubmissionOut>), ApiError> {
    let input = AnswerInput {
        text: body.text,
        files: body.files,
    };
    let work = assignments::answer(state.services(), &who, &id, input, origin.0).await?;
    let first = work
        .thread
        .iter()
        .filter(|e| e.entry.kind == EntryKind::Answer)
        .count()
        == 1;
    let status = if first {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(submission_out(&state, &who, work).await?)))
}

/// Uploads a file for the student's answer (the body is the file, with its `Content-Length`),
/// counted in the school's storage; the answer then names it in `files`.
#[utoipa::path(post, path = "/api/v1/assignments/{id}/files", tag = "assignments", security(("bearer" = [])),
    params(("id" = String, Path, description = "The assignment lesson"), UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = MediaOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 411, body = Problem),
        (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)))]
async fn upload_answer_file(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
    Query(q): Query<UploadQuery>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<MediaOut>), ApiError> {
    let input = media::UploadInput {
        filename: q.filename.unwrap_or_default(),
        length: content_length(&headers),
        expect: q.kind,
    };
    let m = assignments::upload_file(
        state.services(),
        &who,
        &id,
        input,
        body.into_data_stream(),
        origin.0,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(media_out(m, None))))
}

/// Deletes a file the student uploaded for an answer and has not sent (409 once an answer
/// holds it).
#[utoipa::path(delete, path = "/api/v1/assignment-files/{id}", tag = "assignments", security(("bearer" = [])),
    params(("id" = String, Path, description = "The file")),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn remove_answer_file(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    assignments::remove_unsent_file(state.services(), &who, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// `submitted` (the default: waiting for review), `returned`, `accepted` or `all`.
    state: Option<String>,
    /// Only this course's work.
    course_id: Option<String>,
}

/// The work the person reviews (a teacher: of the courses assigned to them), the longest
/// waiting first.
#[utoipa::path(get, path = "/api/v1/submissions", tag = "assignments", security(("bearer" = [])),
    params(QueueQuery, PageParams),
    responses((status = 200, body = SubmissionPage), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, description = "A bad `state`, `limit` or `after`", body = Problem)))]
async fn list_submissions(
    State(state): State<AppState>,
    Auth(who): Auth,
    Query(q): Query<QueueQuery>,
    PageQuery(page): PageQuery,
) -> Result<Json<SubmissionPage>, ApiError> {
    let input = QueueInput {
        state: q.state,
        course_id: q.course_id,
    };
    let found = assignments::queue(state.services(), &who, &input, &page).await?;
    Ok(Json(SubmissionPage::of(found, summary)))
}

/// A submission with its thread: for its student, or the staff who review its course.
#[utoipa::path(get, path = "/api/v1/submissions/{id}", tag = "assignments", security(("bearer" = [])),
    params(("id" = String, Path, description = "The submission")),
    responses((status = 200, body = SubmissionOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
async fn get_submission(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path(id): Path<String>,
) -> Result<Json<SubmissionOut>, ApiError> {
    let work = assignments::work(state.services(), &who, &id).await?;
    Ok(Json(submission_out(&state, &who, work).await?))
}

/// A teacher's decision on waiting work.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ReviewIn {
    /// `accept` (the lesson is complete for the student) or `return` (for revision).
    decision: String,
    /// 0 to 100 (absent: none, or the one given before).
    grade: Option<i64>,
    /// Why it is returned (required then), or a word with the acceptance.
    comment: String,
}

/// Accepts waiting work or returns it for revision; the student is e-mailed.
#[utoipa::path(post, path = "/api/v1/submissions/{id}/review", tag = "assignments", security(("bearer" = [])),
    params(("id" = String, Path, description = "The submission")),
    request_body = ReviewIn,
    responses((status = 200, body = SubmissionOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "The work does not wait for review", body = Problem),
        (status = 422, body = Problem)))]
async fn review_submission(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ReviewIn>,
) -> Result<Json<SubmissionOut>, ApiError> {
    let input = ReviewInput {
        decision: body.decision,
        grade: body.grade,
        comment: body.comment,
    };
    let work = assignments::decide(state.services(), &who, &id, input, origin.0).await?;
    Ok(Json(submission_out(&state, &who, work).await?))
}

/// A comment.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default, deny_unknown_fields)]
pub struct CommentIn {
    text: String,
}

/// A comment on a submission by its student or the staff who review it (e-mailed to the
/// student when it is the staff's).
#[utoipa::path(post, path = "/api/v1/submissions/{id}/comments", tag = "assignments", security(("bearer" = [])),
    params(("id" = String, Path, description = "The submission")),
    request_body = CommentIn,
    responses((status = 201, body = SubmissionOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn comment_submission(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CommentIn>,
) -> Result<(StatusCode, Json<SubmissionOut>), ApiError> {
    let work = assignments::comment(state.services(), &who, &id, &body.text, origin.0).await?;
    Ok((
        StatusCode::CREATED,
        Json(submission_out(&state, &who, work).await?),
    ))
}
