//! Serving a school's files through signed links (issue 6): `GET /media/{id}?t&u&e&s`, with
//! HTTP ranges (206, 416, `Accept-Ranges`), `ETag` (the file's SHA-256), `Last-Modified` and
//! conditional requests (`If-None-Match`, `If-Modified-Since`, `If-Range`). The bytes stream
//! from the media store; nothing holds a whole file in memory.

use axum::{
    body::Body,
    extract::{Path, Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use educenter_services::{ServiceError, media, store::media::Media};
use jiff::{Timestamp, fmt::rfc2822};
use serde::Deserialize;

use crate::AppState;

#[derive(Deserialize)]
pub struct LinkQuery {
    #[serde(default)]
    t: String,
    #[serde(default)]
    u: String,
    #[serde(default)]
    e: i64,
    #[serde(default)]
    s: String,
}

fn http_date(at: Timestamp) -> String {
    rfc2822::DateTimePrinter::new()
        .timestamp_to_rfc9110_string(&at)
        .unwrap_or_default()
}

fn parse_http_date(v: &str) -> Option<Timestamp> {
    rfc2822::parse(v.trim()).ok().map(|z| z.timestamp())
}

fn bare(status: StatusCode, text: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text,
    )
        .into_response()
}

/// Whether an `If-None-Match` list names this entity tag (weak comparison).
fn etag_matches(list: &str, etag: &str) -> bool {
    list.split(',')
        .map(str::trim)
        .any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == etag)
}

pub async fn serve(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<LinkQuery>,
    headers: HeaderMap,
) -> Response {
    let services = state.services();
    let params = media::LinkParams {
        tenant: q.t,
        user: q.u,
        expires: q.e,
        signature: q.s,
    };
    let m = match media::open_link(services, &id, &params).await {
        Ok(m) => m,
        // A person who clicked an old link reads why in their language; players ignore it.
        Err(e @ ServiceError::Gone(_)) => {
            return crate::base::layout::failure_page(&state, &headers, "/", e);
        }
        Err(ServiceError::NotFound(_)) => {
            return crate::base::layout::error_page(
                &state,
                crate::base::request_lang(&headers),
                StatusCode::NOT_FOUND,
            );
        }
        // The school's site is closed (licence or block): "temporarily unavailable", as its
        // pages say.
        Err(ServiceError::LicenceInactive(_) | ServiceError::Blocked(_)) => {
            return crate::base::layout::error_page(
                &state,
                crate::base::request_lang(&headers),
                StatusCode::SERVICE_UNAVAILABLE,
            );
        }
        Err(e) => {
            tracing::error!(error = %e, "opening a media link failed");
            return crate::base::layout::error_page(
                &state,
                crate::base::request_lang(&headers),
                StatusCode::INTERNAL_SERVER_ERROR,
            );
        }
    };
    // Links are per person (or for a free preview's visitors) and short-lived: browsers may keep
    // the bytes, shared caches not.
    send(&state, &headers, &m, "private, max-age=3600").await
}

/// Answers a file the caller may read: conditional requests, one byte range, and a type that
/// never runs on this origin.
pub async fn send(state: &AppState, headers: &HeaderMap, m: &Media, cache: &str) -> Response {
    let services = state.services();
    let etag = format!("\"{}\"", m.sha256);
    // HTTP dates have whole seconds.
    let modified = Timestamp::from_second(m.created_at.as_second()).unwrap_or(m.created_at);
    let last_modified = http_date(modified);
    let header_str = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());

    let not_modified = match header_str(header::IF_NONE_MATCH) {
        Some(list) => etag_matches(list, &etag),
        None => header_str(header::IF_MODIFIED_SINCE)
            .and_then(parse_http_date)
            .is_some_and(|since| modified <= since),
    };
    let mut common = vec![
        (header::ETAG, etag.clone()),
        (header::LAST_MODIFIED, last_modified.clone()),
        (header::ACCEPT_RANGES, "bytes".to_owned()),
        (header::CACHE_CONTROL, cache.to_owned()),
    ];
    if not_modified {
        let mut res = StatusCode::NOT_MODIFIED.into_response();
        put_headers(&mut res, &common);
        return res;
    }

    let total = u64::try_from(m.size_bytes).unwrap_or(0);
    // If-Range: the range applies only to the same version of the file.
    let range_applies = match header_str(header::IF_RANGE) {
        None => true,
        Some(v) if v.starts_with('"') || v.starts_with("W/") => v == etag,
        Some(v) => parse_http_date(v).is_some_and(|d| d == modified),
    };
    let range = match header_str(header::RANGE).filter(|_| range_applies) {
        None => None,
        Some(v) => match http_range_header::parse_range_header(v) {
            // A malformed header is ignored (RFC 9110 14.2): the whole file.
            Err(http_range_header::RangeUnsatisfiableError::Invalid(_)) => None,
            Err(_) => return unsatisfiable(total, &common),
            Ok(parsed) => match parsed.validate(total) {
                Ok(ranges) if ranges.len() == 1 => Some(ranges[0].clone()),
                // Several ranges: answered with the whole file, which RFC 9110 allows.
                Ok(_) => None,
                Err(_) => return unsatisfiable(total, &common),
            },
        },
    };
    let (status, start, end) = match &range {
        Some(r) => (StatusCode::PARTIAL_CONTENT, *r.start(), *r.end() + 1),
        None => (StatusCode::OK, 0, total),
    };
    let stream = match media::read_range(services, m, start, end).await {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(error = %e, "reading a media file failed");
            return crate::base::layout::error_page(
                state,
                crate::base::request_lang(headers),
                StatusCode::INTERNAL_SERVER_ERROR,
            );
        }
    };
    let mut res = Response::new(Body::from_stream(stream));
    *res.status_mut() = status;
    // Players and images show inline; anything else (an HTML or SVG file, say) only downloads,
    // so no uploaded page ever runs on this origin.
    let (content_type, disposition) = if plays_inline(&m.content_type) {
        (m.content_type.clone(), "inline")
    } else {
        ("application/octet-stream".to_owned(), "attachment")
    };
    common.push((header::CONTENT_TYPE, content_type));
    common.push((header::CONTENT_LENGTH, (end - start).to_string()));
    common.push((
        header::CONTENT_DISPOSITION,
        format!(
            "{disposition}; filename*=UTF-8''{}",
            crate::base::encode_param(&m.filename)
        ),
    ));
    common.push((
        header::CONTENT_SECURITY_POLICY,
        "sandbox; default-src 'none'".to_owned(),
    ));
    if range.is_some() {
        common.push((
            header::CONTENT_RANGE,
            format!("bytes {start}-{}/{total}", end - 1),
        ));
    }
    put_headers(&mut res, &common);
    res
}

/// Types a browser shows without running anything: video, audio, raster images, captions.
fn plays_inline(content_type: &str) -> bool {
    content_type.starts_with("video/")
        || content_type.starts_with("audio/")
        || content_type == "text/vtt"
        || [
            "image/png",
            "image/jpeg",
            "image/gif",
            "image/webp",
            "image/avif",
        ]
        .contains(&content_type)
}

fn unsatisfiable(total: u64, common: &[(header::HeaderName, String)]) -> Response {
    let mut res = bare(StatusCode::RANGE_NOT_SATISFIABLE, "Range not satisfiable.");
    put_headers(&mut res, common);
    if let Ok(v) = HeaderValue::from_str(&format!("bytes */{total}")) {
        res.headers_mut().insert(header::CONTENT_RANGE, v);
    }
    res
}

fn put_headers(res: &mut Response, list: &[(header::HeaderName, String)]) {
    for (name, value) in list {
        if let Ok(v) = HeaderValue::from_str(value) {
            res.headers_mut().insert(name.clone(), v);
        }
    }
}

/// A school's export behind its signed link (`/exports/{id}/download?e=&s=`): the ZIP as an
/// attachment; a bad signature is a 404, an expired link a page that says so (410).
pub async fn export_download(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<LinkQuery>,
    headers: HeaderMap,
) -> Response {
    let (name, size, stream) =
        match educenter_services::exports::download(state.services(), &id, q.e, &q.s).await {
            Ok(found) => found,
            Err(e @ ServiceError::Gone(_)) => {
                return crate::base::layout::failure_page(&state, &headers, "/", e);
            }
            Err(ServiceError::NotFound(_)) => {
                return crate::base::layout::error_page(
                    &state,
                    crate::base::request_lang(&headers),
                    StatusCode::NOT_FOUND,
                );
            }
            Err(e) => {
                tracing::error!(error = %e, "reading an export failed");
                return crate::base::layout::error_page(
                    &state,
                    crate::base::request_lang(&headers),
                    StatusCode::INTERNAL_SERVER_ERROR,
                );
            }
        };
    let mut res = Response::new(Body::from_stream(stream));
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/zip"),
    );
    if let Ok(v) = HeaderValue::from_str(&size.to_string()) {
        h.insert(header::CONTENT_LENGTH, v);
    }
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    res
}
