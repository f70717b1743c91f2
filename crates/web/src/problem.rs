//! RFC 9457 problem details: the one shape of every API error.

use axum::{
    extract::{FromRequest, Request, rejection::JsonRejection},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use educenter_services::ServiceError;
use serde::{Serialize, de::DeserializeOwned};
use utoipa::ToSchema;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// A problem details object (RFC 9457). `errors` lists field errors of a 422.
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
        let (slug, detail) = match status {
            StatusCode::NOT_FOUND => ("not-found", "No such resource."),
            StatusCode::METHOD_NOT_ALLOWED => (
                "method-not-allowed",
                "This resource does not accept that method.",
            ),
            StatusCode::PAYLOAD_TOO_LARGE => (
                "payload-too-large",
                "The request body is larger than this endpoint accepts.",
            ),
            StatusCode::REQUEST_TIMEOUT => {
                ("timeout", "The request took too long and was stopped.")
            }
            StatusCode::UNSUPPORTED_MEDIA_TYPE => (
                "unsupported-media-type",
                "Send the body as application/json.",
            ),
            StatusCode::TOO_MANY_REQUESTS => ("rate-limited", "Too many requests; retry later."),
            s if s.is_server_error() => ("internal", "Something went wrong on our side."),
            _ => ("bad-request", "The request could not be processed."),
        };
        Self::new(status, slug, detail.to_owned())
    }

    pub fn invalid(errors: Vec<FieldError>) -> Self {
        let mut p = Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            "Some fields are invalid.".to_owned(),
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
    pub fn unauthorized(detail: impl Into<String>) -> Self {
        Self(
            Problem::new(StatusCode::UNAUTHORIZED, "unauthorized", detail.into()),
            vec![(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"))],
        )
    }
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Unauthorized(d) => return Self::unauthorized(d),
            ServiceError::TooManyRequests(secs) => {
                let retry = HeaderValue::from_str(&secs.to_string())
                    .unwrap_or(HeaderValue::from_static("60"));
                return Self(
                    Problem::new(
                        StatusCode::TOO_MANY_REQUESTS,
                        "rate-limited",
                        format!("Too many attempts; retry in {secs} s."),
                    ),
                    vec![(header::RETRY_AFTER, retry)],
                );
            }
            _ => {}
        }
        Self::from(match e {
            ServiceError::NotFound(d) => Problem::new(StatusCode::NOT_FOUND, "not-found", d),
            ServiceError::Conflict(d) => Problem::new(StatusCode::CONFLICT, "conflict", d),
            ServiceError::Forbidden(d) => Problem::new(StatusCode::FORBIDDEN, "forbidden", d),
            ServiceError::TooLarge(d) => {
                Problem::new(StatusCode::PAYLOAD_TOO_LARGE, "too-large", d)
            }
            ServiceError::Unsupported(d) => Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                d,
            ),
            ServiceError::LengthRequired(d) => {
                Problem::new(StatusCode::LENGTH_REQUIRED, "length-required", d)
            }
            ServiceError::Gone(d) => Problem::new(StatusCode::GONE, "gone", d),
            ServiceError::LicenceInactive(state) => Problem::new(
                StatusCode::FORBIDDEN,
                "licence_inactive",
                format!(
                    "The school's licence is {state}: staff, learners and programs may work again \
                     once it is paid. The owner may still sign in to billing."
                ),
            ),
            ServiceError::CodeRequired => Problem::new(
                StatusCode::FORBIDDEN,
                "code-required",
                "Too many failed sign-ins for this e-mail: if the password was right, a code was \
                 e-mailed to the address. Sign in again with the password and the code."
                    .to_owned(),
            ),
            ServiceError::Blocked(_) => Problem::new(
                StatusCode::FORBIDDEN,
                "blocked",
                "This school is blocked: its staff, students and programs are refused until the \
                 block is lifted. The owner may still sign in to billing and documents, and reach \
                 support."
                    .to_owned(),
            ),
            ServiceError::Invalid(errors) => Problem::invalid(
                errors
                    .into_iter()
                    .map(|(field, message)| FieldError { field, message })
                    .collect(),
            ),
            ServiceError::Store(e) => {
                // 5xx details are logged, never sent.
                tracing::error!(error = %e, "storage error");
                Problem::from_status(StatusCode::INTERNAL_SERVER_ERROR)
            }
            ServiceError::Internal(e) => {
                tracing::error!(error = %e, "internal error");
                Problem::from_status(StatusCode::INTERNAL_SERVER_ERROR)
            }
            ServiceError::Unauthorized(_) | ServiceError::TooManyRequests(_) => {
                Problem::from_status(StatusCode::INTERNAL_SERVER_ERROR)
            }
        })
    }
}

/// `Json<T>` whose rejections are problems: malformed JSON is a 400, a body of the wrong
/// shape a 422 naming what is wrong, a wrong content type a 415, a body over the limit a 413.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Self(v)),
            Err(rejection) => Err(ApiError::from(json_problem(rejection))),
        }
    }
}

fn json_problem(rejection: JsonRejection) -> Problem {
    match rejection {
        JsonRejection::JsonDataError(e) => {
            let (field, message) = data_error_field(&e);
            let mut p = Problem::invalid(vec![FieldError { field, message }]);
            p.detail = Some("The JSON body does not have the expected shape.".to_owned());
            p
        }
        JsonRejection::JsonSyntaxError(e) => Problem::new(
            StatusCode::BAD_REQUEST,
            "malformed-json",
            format!("The body is not valid JSON: {}", e.body_text()),
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
