//! A school's files through the API (issue 6): upload (the body is the file), list, read with a
//! signed link, delete. Staff who edit content; writes need a session or a `read_write` token.

use axum::{
    Json,
    body::Body,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode, header},
};
use educenter_services::{media, store::media::Media};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    AppState, ClientOrigin,
    api::page::{PageParams, PageQuery},
    auth::Auth,
    page_of,
    problem::{ApiError, Problem},
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_media, upload_media))
        .routes(routes!(get_media, delete_media))
}

page_of!(MediaPage, MediaOut, "files");

#[derive(Serialize, ToSchema)]
pub struct MediaOut {
    id: String,
    /// From the file's bytes (`captions`: WebVTT).
    kind: educenter_domain::content::MediaKind,
    filename: String,
    /// From the file's bytes, not its name.
    content_type: String,
    size_bytes: i64,
    /// Hex SHA-256 of the bytes (also the `ETag` of the signed link).
    sha256: String,
    created_at: String,
    /// A signed link, a path on this server, that works for an hour (only in
    /// `GET /api/v1/media/{id}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

pub fn media_out(m: Media, url: Option<String>) -> MediaOut {
    MediaOut {
        id: m.id.into_string(),
        kind: m.kind,
        filename: m.filename,
        content_type: m.content_type,
        size_bytes: m.size_bytes,
        sha256: m.sha256,
        created_at: m.created_at.to_string(),
        url,
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// The file's name as people see it (its type comes from its bytes).
    pub(crate) filename: Option<String>,
    /// The kind expected (`video`, `audio`, `image`, `file`, `captions`): 415 when the bytes are
    /// something else.
    pub(crate) kind: Option<String>,
}

/// The announced body length, from `Content-Length`.
pub fn content_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
}

/// Uploads a file: the request body is the file, with its `Content-Length`. The per-file limit
/// (413) and the school's storage (403 naming the limit) are checked before a byte is stored;
/// the type comes from the bytes.
#[utoipa::path(post, path = "/api/v1/media", tag = "content", security(("bearer" = [])),
    params(UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = MediaOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 411, body = Problem), (status = 413, body = Problem), (status = 415, body = Problem),
        (status = 422, body = Problem)))]
async fn upload_media(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Query(q): Query<UploadQuery>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<MediaOut>), ApiError> {
    let input = media::UploadInput {
        filename: q.filename.unwrap_or_default(),
        length: content_length(&headers),
        expect: q.kind,
    };
    let m = media::upload(
        state.services(),
        &who,
        input,
        body.into_data_stream(),
        origin.0,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(media_out(m, None))))
}

/// The school's files, newest first.
#[utoipa::path(get, path = "/api/v1/media", tag = "content", security(("bearer" = [])),
    params(PageParams),
    responses((status = 200, body = MediaPage), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, description = "A bad `limit` or `after`, or a NUL in a parameter", body = Problem)))]
async fn list_media(
    State(state): State<AppState>,
    Auth(who): Auth,
    PageQuery(page): PageQuery,
) -> Result<Json<MediaPage>, ApiError> {
    let found = media::list_page(state.services(), &who, &page).await?;
    Ok(Json(MediaPage::of(found, |m| media_out(m, None))))
}

/// A file with a signed link to its bytes (valid for an hour; HTTP ranges supported).
#[utoipa::path(get, path = "/api/v1/media/{id}", tag = "content", security(("bearer" = [])),
    params(("id" = String, Path, description = "The file")),
    responses((status = 200, body = MediaOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
async fn get_media(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path(id): Path<String>,
) -> Result<Json<MediaOut>, ApiError> {
    // Staff who edit content only (students get their links on the lesson page).
    media::get(state.services(), &who, &id).await?;
    let (url, m) = media::link(state.services(), &who, &id).await?;
    Ok(Json(media_out(m, Some(url))))
}

/// Deletes a file no lesson uses (409 otherwise); its storage is freed.
#[utoipa::path(delete, path = "/api/v1/media/{id}", tag = "content", security(("bearer" = [])),
    params(("id" = String, Path, description = "The file")),
    responses((status = 204, description = "Deleted"), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn delete_media(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    media::delete(state.services(), &who, &id, origin.0).await?;
    Ok(StatusCode::NO_CONTENT)
}
