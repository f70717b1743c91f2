//! Pages of the API's lists: every list answers `{"items": [...], "next": cursor-or-null}` and
//! takes `?limit=` and `?after=` (the `next` of the page before).

use axum::{extract::FromRequestParts, http::request::Parts};
use educenter_services::store::page::{DEFAULT_LIMIT, MAX_LIMIT, PageRequest};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::problem::{ApiError, FieldError, Problem};

/// The query parameters of a list, as documented (the extractor is [`PageQuery`]).
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // Only its documentation is used: `PageQuery` reads the query itself.
pub struct PageParams {
    /// How many items to send: 1 to 200, 50 when absent. A larger or unreadable number is
    /// refused (422).
    #[param(minimum = 1, maximum = 200, default = 50)]
    limit: Option<u32>,
    /// Where to start: the `next` of the previous page. A cursor this list did not hand out
    /// is refused (422).
    after: Option<String>,
}

/// `?limit=&after=` read into a [`PageRequest`]; a bad limit is a 422 naming `limit` (a bad
/// cursor is found by the store and answers 422 naming `after`).
pub struct PageQuery(pub PageRequest);

#[derive(Deserialize)]
struct Raw {
    limit: Option<String>,
    after: Option<String>,
}

impl<S: Send + Sync> FromRequestParts<S> for PageQuery {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let invalid = |field: &str, message: String| {
            ApiError::from(Problem::invalid(vec![FieldError {
                field: field.to_owned(),
                message,
            }]))
        };
        let raw = axum::extract::Query::<Raw>::try_from_uri(&parts.uri)
            .map_err(|e| invalid("query", e.body_text()))?
            .0;
        let limit = match raw.limit.as_deref() {
            None => DEFAULT_LIMIT,
            Some(s) => match s.parse::<u32>() {
                Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
                _ => {
                    return Err(invalid(
                        "limit",
                        format!("a whole number from 1 to {MAX_LIMIT}"),
                    ));
                }
            },
        };
        let after = raw.after.filter(|a| !a.is_empty());
        Ok(Self(PageRequest { limit, after }))
    }
}

/// Declares the answer of a list: `page_of!(CoursePage, CourseOut, "courses")` makes
/// `CoursePage { items: Vec<CourseOut>, next }`, a schema of its own that names its items'
/// schema (a generic page would copy the item's schema into every list's).
#[macro_export]
macro_rules! page_of {
    ($page:ident, $item:ty, $what:literal) => {
        #[doc = concat!("One page of ", $what, ": pass `next` as `?after=` for the following page; it is `null` on the last one.")]
        #[derive(serde::Serialize, utoipa::ToSchema)]
        pub struct $page {
            pub items: Vec<$item>,
            /// The cursor of the next page; `null` when this page is the last.
            #[schema(required = true)]
            pub next: Option<String>,
        }

        impl $page {
            /// A page of the store's rows, each made into what the API sends.
            pub fn of<R>(
                page: educenter_services::store::page::Page<R>,
                f: impl FnMut(R) -> $item,
            ) -> Self {
                let page = page.map(f);
                Self {
                    items: page.items,
                    next: page.next,
                }
            }
        }
    };
}
