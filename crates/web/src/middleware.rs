//! Cross-cutting HTTP behaviour: metrics per route, problem bodies for bare errors, the
//! test-mode guard that every served API route is in the OpenAPI document.

use std::time::Instant;

use axum::{
    body::Body,
    extract::{MatchedPath, Request, State},
    http::{HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};

use crate::{AppState, problem::Problem};

/// Counts requests and records their latency, labelled by the route pattern (never the raw
/// path, which would make a label per id); and logs each request of someone signed in to the
/// access log (R-2.5c): the route pattern, the method, the final status, the address and
/// browser, by whoever the request's authentication found (queued for the access log's writer,
/// which writes in batches). One layer for both: every request passes it.
pub async fn track_requests(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let matched = req.extensions().get::<MatchedPath>().cloned();
    let method = req.method().clone();
    let ip = crate::client_ip_of(req.extensions());
    let user_agent = req.headers().get(header::USER_AGENT).cloned();
    let started = Instant::now();
    let (res, seen) = educenter_services::access_log::observe(next.run(req)).await;
    let route = matched.as_ref().map_or("unmatched", |p| p.as_str());
    // Only the standard methods become labels: any other token would add a series per value.
    let label = match method {
        Method::GET
        | Method::POST
        | Method::PUT
        | Method::PATCH
        | Method::DELETE
        | Method::HEAD
        | Method::OPTIONS => method.as_str(),
        _ => "OTHER",
    };
    let status = res.status().as_u16();
    let labels = [
        ("method", label.to_owned()),
        ("route", route.to_owned()),
        ("status", status.to_string()),
    ];
    metrics::counter!("educenter_http_requests_total", &labels).increment(1);
    metrics::histogram!("educenter_http_request_duration_seconds", &labels[..2])
        .record(started.elapsed().as_secs_f64());
    if let Some(seen) = seen {
        let services = state.services();
        let agent = user_agent.as_ref().and_then(|v| v.to_str().ok());
        let line = educenter_services::access_log::RequestLine {
            method: method.as_str(),
            route,
            status,
            ip,
            // `to_str` admits visible ASCII only: 512 bytes are 512 characters.
            user_agent: agent.map(|a| &a[..a.len().min(512)]),
        };
        services
            .access_log
            .request(seen, line, services.clock.now())
            .await;
    }
    res
}

/// Answers 408 when a request takes longer than the configured timeout. Test-mode clock moves
/// are exempt: they run every job due on the way and must not be cut off halfway.
pub async fn timeout(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.uri().path().starts_with("/api/v1/test/") || is_streaming(&req) {
        return next.run(req).await;
    }
    match tokio::time::timeout(state.config().request_timeout, next.run(req)).await {
        Ok(res) => res,
        Err(_) => StatusCode::REQUEST_TIMEOUT.into_response(),
    }
}

/// Uploads of files (which may take gigabytes and minutes) and the signed media links (a video
/// plays for as long as it plays): no body limit and no request timeout.
fn is_streaming(req: &Request) -> bool {
    let path = req.uri().path();
    (req.method() == axum::http::Method::POST && is_upload(path)) || path.starts_with("/media/")
}

/// The routes that take a file as their body: the school's media, and a student's file for an
/// answer to an assignment (`/api/v1/assignments/{id}/files`, `/s/{slug}/lessons/{id}/files`).
pub fn is_upload(path: &str) -> bool {
    let under = |prefix: &str| {
        path.strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix("/files"))
            .is_some_and(|middle| !middle.is_empty())
    };
    matches!(path, "/api/v1/media" | "/cabinet/media")
        || under("/api/v1/assignments/")
        || (under("/s/") && path.contains("/lessons/"))
}

/// Limits every request body to `body_limit`, except file uploads, whose size the media
/// service checks against the per-file limit and the school's storage before it stores a byte.
pub async fn limit_body(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if is_streaming(&req) {
        return next.run(req).await;
    }
    let limit = state.config().body_limit;
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    }
    let (parts, body) = req.into_parts();
    let body = axum::body::Body::new(http_body_util::Limited::new(body, limit));
    next.run(Request::from_parts(parts, body)).await
}

/// The school's subdomain (`{slug}.{base_domain}`) as its site: a request for `/`, `/my`,
/// `/lessons/{id}`... on that host is served by `/s/{slug}/...`. Paths that are the same on
/// every host (assets, media links, the API, e-mailed links, the language switch) and paths
/// already under `/s/` are left as they are.
pub async fn school_host(base_domain: String, mut req: Request, next: Next) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(|h| h.split(':').next().unwrap_or(h).to_ascii_lowercase());
    let slug = host.as_deref().and_then(|h| {
        h.strip_suffix(base_domain.as_str())
            .and_then(|rest| rest.strip_suffix('.'))
            .filter(|s| *s != "www" && educenter_domain::tenancy::check_slug(s).is_ok())
            .map(str::to_owned)
    });
    if let Some(slug) = slug {
        let path = req.uri().path();
        let shared = [
            "/s/",
            "/static/",
            "/media/",
            "/api/",
            "/lang/",
            // The e-mailed links a school's students get (verification, invitation, reset) open
            // on its host as its own pages, `/s/{slug}/…` (issue 17, item 2).
            "/healthz",
            "/readyz",
            "/metrics",
            "/favicon.ico",
        ];
        if !shared.iter().any(|p| path.starts_with(p)) {
            let rest = if path == "/" { "/" } else { path };
            let query = req
                .uri()
                .query()
                .map(|q| format!("?{q}"))
                .unwrap_or_default();
            if let Ok(uri) = format!("/s/{slug}{rest}{query}").parse() {
                *req.uri_mut() = uri;
            }
        }
    }
    next.run(req).await
}

/// Refuses a NUL character anywhere in what a request says in text (issue 15, item 16):
/// PostgreSQL refuses `\0` in text, so a NUL that reached a query was a 500, and no name, title
/// or search ever holds one. A NUL in the path names nothing (404); in the query string it is a
/// 422 naming the parameter (a 400 page for a page); in a form's body a 400 page. JSON bodies
/// are checked by `ApiJson`, which names the field; uploads by the services.
pub async fn refuse_nul(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let api = is_api(&path);
    let lang = crate::base::request_lang(req.headers());
    let page = |status: StatusCode| crate::base::layout::error_page(&state, lang, status);
    if has_nul(path.as_bytes()) {
        return if api {
            Problem::from_status(StatusCode::NOT_FOUND).into_response()
        } else {
            page(StatusCode::NOT_FOUND)
        };
    }
    let in_query = req.uri().query().map(nul_fields).unwrap_or_default();
    if !in_query.is_empty() {
        if !api {
            return page(StatusCode::BAD_REQUEST);
        }
        let mut p = Problem::invalid(
            in_query
                .into_iter()
                .map(|field| crate::problem::FieldError {
                    field,
                    message: crate::problem::say(&educenter_services::Msg::control_chars()),
                })
                .collect(),
        );
        p.detail = Some(crate::problem::say(&educenter_services::Msg::new(
            "err-request-nul",
        )));
        return p.into_response();
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form || is_streaming(&req) {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    // The body limit layer bounds what is read here.
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    if bytes.contains(&0) || !nul_fields(&String::from_utf8_lossy(&bytes)).is_empty() {
        return if api {
            let mut p = Problem::from_status(StatusCode::BAD_REQUEST);
            p.detail = Some(crate::problem::say(&educenter_services::Msg::new(
                "err-request-nul",
            )));
            p.into_response()
        } else {
            page(StatusCode::BAD_REQUEST)
        };
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// Whether percent-encoded text holds a NUL once decoded (`%00`; a raw NUL is no part of a URI).
fn has_nul(encoded: &[u8]) -> bool {
    percent_encoding::percent_decode(encoded).any(|b| b == 0)
}

/// The names of the fields of `a=1&b=2` (a query string or a form's body) whose name or value
/// holds a NUL once decoded.
fn nul_fields(encoded: &str) -> Vec<String> {
    encoded
        .split('&')
        .filter(|pair| has_nul(pair.as_bytes()))
        .map(|pair| {
            let name = pair.split('=').next().unwrap_or_default().replace('+', " ");
            let name = percent_encoding::percent_decode_str(&name)
                .decode_utf8_lossy()
                .replace('\0', "");
            if name.is_empty() {
                "query".to_owned()
            } else {
                name
            }
        })
        .collect()
}

/// Paths whose errors are problem+json: the API and the endpoints programs poll.
fn is_api(path: &str) -> bool {
    path.starts_with("/api/") || matches!(path, "/healthz" | "/readyz" | "/metrics")
}

/// Gives every error answer a body of the right kind: problem+json under `/api/`, a page
/// elsewhere. Layers such as the body limit, the timeout or the method router answer with a
/// bare status; this turns those into the same shape as the handlers' own errors.
pub async fn error_bodies(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let lang = crate::base::request_lang(req.headers());
    // Problems speak the reader's language: the page's for the pages and their scripts, and
    // for programs the one they ask for, English when they name none.
    let reader = if is_api(&path) {
        crate::base::chosen_lang(req.headers()).unwrap_or(educenter_services::i18n::Lang::En)
    } else {
        lang
    };
    let res = crate::problem::READER_LANG
        .scope(reader, next.run(req))
        .await;
    let status = res.status();
    // Media links answer players, not people: their short plain answers (416 with its
    // Content-Range, 410 for an expired link) stay as they are.
    if !(status.is_client_error() || status.is_server_error()) || path.starts_with("/media/") {
        return res;
    }
    let content_type = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    // A problem, a page, or an answer of the API's own shape (sign-in's 409 with the schools
    // to choose from) stays as it is.
    if content_type.starts_with(crate::problem::PROBLEM_JSON)
        || content_type.starts_with("text/html")
        || content_type.starts_with("application/json")
    {
        return res;
    }
    let keep: Vec<(header::HeaderName, HeaderValue)> = [header::ALLOW, header::RETRY_AFTER]
        .into_iter()
        .filter_map(|h| res.headers().get(&h).map(|v| (h, v.clone())))
        .collect();
    let mut fresh = if is_api(&path) {
        crate::problem::READER_LANG
            .sync_scope(reader, || Problem::from_status(status))
            .into_response()
    } else {
        crate::base::layout::error_page(&state, lang, status)
    };
    *fresh.status_mut() = status;
    fresh.headers_mut().extend(keep);
    fresh
}

/// The answer for a path no route matches.
pub async fn not_found(State(state): State<AppState>, req: Request<Body>) -> Response {
    if is_api(req.uri().path()) {
        Problem::new(
            StatusCode::NOT_FOUND,
            "unknown-route",
            crate::problem::say(
                &educenter_services::Msg::new("err-unknown-route").text("path", req.uri().path()),
            ),
        )
        .into_response()
    } else {
        let lang = crate::base::request_lang(req.headers());
        crate::base::layout::error_page(&state, lang, StatusCode::NOT_FOUND)
    }
}

/// Test mode only: an API route that is served but missing from the OpenAPI document
/// answers 500, and so does an answer whose status the document does not list for its
/// operation, so any test that meets either fails (the document is generated from the same
/// route list: this fires for a route added around it, or a handler that answers more than
/// its attribute says).
pub async fn openapi_guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .filter(|p| p.starts_with("/api/v"));
    let method = req.method().clone();
    let res = next.run(req).await;
    let status = res.status();
    // A 405 means the method router refused: no handler ran. A 500 is a failure already.
    let Some(path) = route.filter(|_| {
        status != StatusCode::METHOD_NOT_ALLOWED && status != StatusCode::INTERNAL_SERVER_ERROR
    }) else {
        return res;
    };
    match state.documented(&path, &method) {
        None => {
            tracing::error!(%path, %method, "route missing from the OpenAPI document");
            Problem::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "undocumented-route",
                format!("{method} {path} is served but missing from the OpenAPI document"),
            )
            .into_response()
        }
        Some(statuses) if !statuses.contains(&status.as_u16()) => {
            tracing::error!(%path, %method, %status, "status missing from the OpenAPI document");
            Problem::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "undocumented-status",
                format!(
                    "{method} {path} answered {status}, which the OpenAPI document does not list"
                ),
            )
            .into_response()
        }
        Some(_) => res,
    }
}
