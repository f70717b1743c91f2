//! The one page error: a page handler returns [`PageResult`] and passes a service's refusal up
//! with `?`; [`render_failures`], around every page route, turns it into the page the reader
//! gets. What that page is depends only on where the request was: the school's own site
//! answers neutrally (404, 403, or 503 while the school is closed, never why), every other
//! page says what was refused and why in the reader's language ([`failure_page`]), with the
//! licence-inactive page for a school that may not work.

use std::sync::{Arc, Mutex};

use axum::{
    extract::{Request, State},
    http::{HeaderMap, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use educenter_services::ServiceError;

use super::layout::{error_page, failure_page};
use crate::AppState;

/// A service's refusal on its way from a page handler to [`render_failures`].
#[derive(Debug)]
pub struct PageError(pub ServiceError);

/// What a page handler returns.
pub type PageResult = Result<Response, PageError>;

impl PageError {
    /// The 404 page: the address names nothing there is.
    pub fn not_found() -> Self {
        Self(ServiceError::NotFound(educenter_services::Msg::new(
            "err-http-not-found",
        )))
    }
}

impl From<ServiceError> for PageError {
    fn from(e: ServiceError) -> Self {
        Self(e)
    }
}

/// The error inside a response's extensions until [`render_failures`] renders it (extensions
/// must be `Clone`; the error is taken out once).
#[derive(Clone)]
struct Failure(Arc<Mutex<Option<ServiceError>>>);

impl IntoResponse for PageError {
    /// A bare 500 carrying the error: [`render_failures`] replaces it with the page. (Outside
    /// the page routes nothing renders it, and the reader gets the generic error page.)
    fn into_response(self) -> Response {
        let mut res = StatusCode::INTERNAL_SERVER_ERROR.into_response();
        res.extensions_mut()
            .insert(Failure(Arc::new(Mutex::new(Some(self.0)))));
        res
    }
}

/// The middleware around the page routes that renders a handler's [`PageError`].
pub async fn render_failures(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let headers = req.headers().clone();
    let path = req.uri().path().to_owned();
    let mut res = next.run(req).await;
    let Some(Failure(slot)) = res.extensions_mut().remove::<Failure>() else {
        return res;
    };
    let taken = slot.lock().map(|mut e| e.take());
    match taken {
        Ok(Some(e)) => answer(&state, &headers, &path, e),
        _ => res,
    }
}

/// The page for a service's refusal of a request to `path`.
pub fn answer(state: &AppState, headers: &HeaderMap, path: &str, e: ServiceError) -> Response {
    if path.starts_with("/s/") {
        school_failure(state, headers, e)
    } else {
        failure_page(state, headers, section_home(path), e)
    }
}

/// The home of the section a page belongs to, which the failure page's layout is drawn for.
fn section_home(path: &str) -> &'static str {
    if path.starts_with("/operator") {
        "/operator"
    } else if path.starts_with("/cabinet/billing") {
        "/cabinet/billing"
    } else if path.starts_with("/cabinet") {
        "/cabinet"
    } else {
        "/"
    }
}

/// A refusal on the school's own site, for its students and visitors: neutral, in their
/// language, saying nothing of the school's licence or blocks.
pub fn school_failure(state: &AppState, headers: &HeaderMap, e: ServiceError) -> Response {
    let lang = super::request_lang(headers);
    match e {
        ServiceError::NotFound(_) => error_page(state, lang, StatusCode::NOT_FOUND),
        ServiceError::Forbidden(_) => error_page(state, lang, StatusCode::FORBIDDEN),
        // The school closed while the student was on its site (licence or block).
        ServiceError::LicenceInactive(_) | ServiceError::Blocked(_) => {
            error_page(state, lang, StatusCode::SERVICE_UNAVAILABLE)
        }
        e => {
            tracing::error!(error = %e, "school page failed");
            error_page(state, lang, StatusCode::INTERNAL_SERVER_ERROR)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::section_home;

    #[test]
    fn a_failure_page_is_drawn_for_the_section_of_its_request() {
        assert_eq!(section_home("/operator/billing/invoices"), "/operator");
        assert_eq!(
            section_home("/cabinet/billing/invoices/1"),
            "/cabinet/billing"
        );
        assert_eq!(section_home("/cabinet/courses/1"), "/cabinet");
        assert_eq!(section_home("/offer/2"), "/");
    }
}
