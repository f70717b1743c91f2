//! RFC 9457 problem details: the one shape of every API error.

use axum::{
    body::Bytes,
    extract::{FromRequest, Request, rejection::JsonRejection},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use educenter_services::{Msg, ServiceError, i18n::Lang};
use serde::{Serialize, de::DeserializeOwned};
use utoipa::ToSchema;

pub const PROBLEM_JSON: &str = "application/problem+json";

tokio::task_local! {
    /// The language of the person or program a request answers (set by `error_bodies` for
    /// every request): the `lang` cookie, else `Accept-Language`, else Russian for pages and
    /// English for the API.
    pub static READER_LANG: Lang;
}

/// The language problems of this request are written in.
pub fn reader_lang() -> Lang {
    READER_LANG.try_with(|l| *l).unwrap_or(Lang::En)
}

/// A message of the catalogs in the request's language.
pub fn say(msg: &Msg) -> String {
    msg.render(reader_lang())
}

/// A problem details object (RFC 9457). `errors` lists field errors of a 422, or the field
/// whose value is taken of a 409.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// A URI reference naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// One invalid field: a JSON pointer-like path (`organization.bin_iin`) and what is wrong.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl Problem {
    /// A problem for `status` with the standard reason phrase as its title.
    pub fn new(status: StatusCode, slug: &str, detail: impl Into<Option<String>>) -> Self {
        Self {
            kind: format!("https://educenter.kz/problems/{slug}"),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: detail.into(),
            errors: Vec::new(),
        }
    }

    /// The generic problem for a bare status (used when a layer answered without a body).
    pub fn from_status(status: StatusCode) -> Self {
        let (slug, key) = match status {
            StatusCode::NOT_FOUND => ("not-found", "err-http-not-found"),
            StatusCode::METHOD_NOT_ALLOWED => ("method-not-allowed", "err-http-method"),
            StatusCode::PAYLOAD_TOO_LARGE => ("payload-too-large", "err-http-too-large"),
            StatusCode::REQUEST_TIMEOUT => ("timeout", "err-http-timeout"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => ("unsupported-media-type", "err-http-media-type"),
            StatusCode::TOO_MANY_REQUESTS => ("rate-limited", "err-http-rate"),
            s if s.is_server_error() => ("internal", "err-http-internal"),
            _ => ("bad-request", "err-http-bad-request"),
        };
        Self::new(status, slug, say(&Msg::new(key)))
    }

    pub fn invalid(errors: Vec<FieldError>) -> Self {
        let mut p = Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            say(&Msg::new("err-invalid")),
        );
        p.errors = errors;
        p
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut res = (status, body).into_response();
        res.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        res
    }
}

/// The error type of API handlers: a problem, and headers it needs (`WWW-Authenticate` on a
/// 401, `Retry-After` on a 429).
#[derive(Debug)]
pub struct ApiError(pub Problem, pub Vec<(header::HeaderName, HeaderValue)>);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut res = self.0.into_response();
        res.headers_mut().extend(self.1);
        res
    }
}

impl From<Problem> for ApiError {
    fn from(p: Problem) -> Self {
        Self(p, Vec::new())
    }
}

impl ApiError {
    /// 401: not signed in, or a token that is unknown, expired or revoked.
    pub fn unauthorized(detail: &Msg) -> Self {
        Self(
            Problem::new(StatusCode::UNAUTHORIZED, "unauthorized", say(detail)),
            vec![(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"))],
        )
    }
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        let detail = e.message().map(|m| say(&m));
        let headers = match &e {
            ServiceError::Unauthorized(_) | ServiceError::MfaCodeRequired => {
                vec![(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"))]
            }
            ServiceError::TooManyRequests(secs) => vec![(
                header::RETRY_AFTER,
                HeaderValue::from_str(&secs.to_string()).unwrap_or(HeaderValue::from_static("60")),
            )],
            _ => Vec::new(),
        };
        let (status, slug) = match &e {
            ServiceError::NotFound(_) => (StatusCode::NOT_FOUND, "not-found"),
            ServiceError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            ServiceError::Taken(field, message) => {
                // A 409 like any conflict, naming the field whose value is taken.
                let mut p = Problem::new(StatusCode::CONFLICT, "conflict", detail);
                p.errors = vec![FieldError {
                    field: field.clone(),
                    message: say(message),
                }];
                return Self(p, headers);
            }
            ServiceError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            ServiceError::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "unauthorized"),
            ServiceError::TooManyRequests(_) => (StatusCode::TOO_MANY_REQUESTS, "rate-limited"),
            ServiceError::TooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "too-large"),
            ServiceError::Unsupported(_) => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type")
            }
            ServiceError::LengthRequired(_) => (StatusCode::LENGTH_REQUIRED, "length-required"),
            ServiceError::Gone(_) => (StatusCode::GONE, "gone"),
            ServiceError::LicenceInactive(_) => (StatusCode::FORBIDDEN, "licence_inactive"),
            ServiceError::CodeRequired => (StatusCode::FORBIDDEN, "code-required"),
            ServiceError::MfaRequired => (StatusCode::FORBIDDEN, "mfa-required"),
            ServiceError::MfaCodeRequired => (StatusCode::UNAUTHORIZED, "mfa-required"),
            ServiceError::Blocked(_) => (StatusCode::FORBIDDEN, "blocked"),
            ServiceError::Invalid(errors) => {
                return Self::from(Problem::invalid(
                    errors
                        .iter()
                        .map(|(field, message)| FieldError {
                            field: field.clone(),
                            message: say(message),
                        })
                        .collect(),
                ));
            }
            ServiceError::Store(e) => {
                // 5xx details are logged, never sent.
                tracing::error!(error = %e, "storage error");
                return Self::from(Problem::from_status(StatusCode::INTERNAL_SERVER_ERROR));
            }
            ServiceError::Internal(e) => {
                tracing::error!(error = %e, "internal error");
                return Self::from(Problem::from_status(StatusCode::INTERNAL_SERVER_ERROR));
            }
        };
        Self(Problem::new(status, slug, detail), headers)
    }
}

/// `Json<T>` whose rejections are problems: malformed JSON is a 400, a body of the wrong
/// shape a 422 naming what is wrong, a wrong content type a 415, a body over the limit a 413.
/// Every body the API takes is a JSON object: anything else (an array, a string, a number,
/// `null`) is a 422, even where serde would read an array as a struct's fields in order.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !json_content_type(req.headers()) {
            return Err(Problem::from_status(StatusCode::UNSUPPORTED_MEDIA_TYPE).into());
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError::from(Problem::from_status(e.status())))?;
        let value = axum::Json::<T>::from_bytes(&bytes).map_err(json_problem)?;
        let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
        if first != Some(&b'{') {
            let mut p = Problem::invalid(vec![FieldError {
                field: "body".to_owned(),
                message: say(&Msg::new("err-json-object")),
            }]);
            p.detail = Some(say(&Msg::new("err-json-object")));
            return Err(p.into());
        }
        // A NUL can only come as the escape `\u0000`: only then is the body walked for the
        // field that holds it (PostgreSQL refuses NUL in text; issue 15, item 16).
        if bytes.windows(6).any(|w| w == b"\\u0000")
            && let Ok(tree) = serde_json::from_slice::<serde_json::Value>(&bytes)
            && let Some(field) = nul_field(&tree, "")
        {
            let mut p = Problem::invalid(vec![FieldError {
                field,
                message: say(&Msg::control_chars()),
            }]);
            p.detail = Some(say(&Msg::new("err-request-nul")));
            return Err(p.into());
        }
        Ok(Self(value.0))
    }
}

/// The path (`organization.name`, `items[2].description`) of the first string or key of a JSON
/// value that holds a NUL.
fn nul_field(value: &serde_json::Value, at: &str) -> Option<String> {
    let here = || {
        if at.is_empty() {
            "body".to_owned()
        } else {
            at.to_owned()
        }
    };
    match value {
        serde_json::Value::String(s) if s.contains('\0') => Some(here()),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| nul_field(v, &format!("{at}[{i}]"))),
        serde_json::Value::Object(map) => map.iter().find_map(|(k, v)| {
            let path = if at.is_empty() {
                k.replace('\0', "")
            } else {
                format!("{at}.{}", k.replace('\0', ""))
            };
            if k.contains('\0') {
                Some(path)
            } else {
                nul_field(v, &path)
            }
        }),
        _ => None,
    }
}

/// Whether the request says its body is JSON (`application/json` or a `+json` type), as
/// axum's `Json` decides.
fn json_content_type(headers: &axum::http::HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let Some((kind, subtype)) = essence.split_once('/') else {
        return false;
    };
    kind == "application" && (subtype == "json" || subtype.ends_with("+json"))
}

fn json_problem(rejection: JsonRejection) -> Problem {
    match rejection {
        JsonRejection::JsonDataError(e) => {
            let (field, message) = data_error_field(&e);
            let mut p = Problem::invalid(vec![FieldError { field, message }]);
            p.detail = Some(say(&Msg::new("err-json-shape")));
            p
        }
        JsonRejection::JsonSyntaxError(e) => Problem::new(
            StatusCode::BAD_REQUEST,
            "malformed-json",
            say(&Msg::new("err-json-syntax").text("why", e.body_text())),
        ),
        JsonRejection::MissingJsonContentType(_) => {
            Problem::from_status(StatusCode::UNSUPPORTED_MEDIA_TYPE)
        }
        other => Problem::from_status(other.status()),
    }
}

/// The path of the field a JSON body got wrong (`organization.kind`, `items[2].amount`), and
/// what is wrong, from the error axum's JSON extractor keeps; `body` when no path is known.
fn data_error_field(e: &axum::extract::rejection::JsonDataError) -> (String, String) {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if let Some(p) = err.downcast_ref::<serde_path_to_error::Error<serde_json::Error>>() {
            let path = p.path().to_string();
            let field = if path == "." { "body".to_owned() } else { path };
            return (field, p.inner().to_string());
        }
        source = err.source();
    }
    ("body".to_owned(), e.body_text())
}

impl<T: Serialize> IntoResponse for ApiJson<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}
