//! The JSON API under `/api/v1`, described by an OpenAPI 3.1 document generated from the
//! same route list (utoipa-axum): a handler is routed and documented in one line.

mod assignments;
mod auth;
pub(crate) mod billing;
mod brand;
mod cases;
mod certificates;
mod content;
mod contract;
mod disclosures;
pub(crate) mod documents;
mod exports;
pub(crate) mod force_majeure;
pub(crate) mod gradebook;
mod incidents;
mod learning;
pub(crate) mod media;
mod mfa;
mod offer;
mod operator;
mod operator_staff;
pub(crate) mod page;
mod privacy;
pub(crate) mod question_bank;
pub(crate) mod quizzes;
mod receipts;
mod responses;
mod service_prices;
mod signup;
pub(crate) mod staff;
mod system;
mod test_mode;
mod tokens;

use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "EduCenter API",
        description = "The EduCenter platform API. Amounts are integer minor units with a \
                       currency; dates are YYYY-MM-DD (Asia/Almaty); instants are RFC 3339. \
                       Errors are RFC 9457 problem+json.",
        version = "1"
    ),
    components(schemas(crate::problem::Problem, crate::problem::FieldError)),
    modifiers(&BearerAuth),
    tags(
        (name = "system", description = "Health and readiness"),
        (name = "accounts", description = "Sign-up, sign-in, accounts and the offer"),
        (name = "operator", description = "The operator's back office"),
        (name = "compliance", description = "Reports of schools' content and complaints about their mailings, in the compliance officers' queue"),
        (name = "billing", description = "Plans, applications, invoices, payments and the licence"),
        (name = "content", description = "A school's courses, modules, lessons and trash"),
        (name = "documents", description = "Invoice and act PDFs, monthly acts and their objections, the operator's requisites"),
        (name = "learning", description = "A school's students, their enrolments and progress"),
        (name = "assignments", description = "Students' work on assignments: answers, the review queue, decisions and comments"),
        (name = "staff", description = "A school's staff and their invitations"),
        (name = "test-mode", description = "Only with --test-mode: the test clock and captured mail")
    )
)]
struct ApiDoc;

/// Declares the bearer token that signed-in routes take.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Completes the document made from the routes: the error answers every operation of a kind
/// gives, descriptions and problem content types (see [`responses`]).
pub fn complete(openapi: &mut utoipa::openapi::OpenApi) {
    use utoipa::Modify;
    responses::ErrorResponses.modify(openapi);
}

/// Every API route with its documentation. Test-mode routes exist only with `test_mode`.
pub fn routes(test_mode: bool) -> OpenApiRouter<AppState> {
    let router = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(system::routes())
        .merge(signup::routes())
        .merge(auth::routes())
        .merge(billing::routes())
        .merge(receipts::routes())
        .merge(brand::routes())
        .merge(mfa::routes())
        .merge(exports::routes())
        .merge(disclosures::routes())
        .merge(cases::routes())
        .merge(force_majeure::routes())
        .merge(incidents::routes())
        .merge(privacy::routes())
        .merge(service_prices::routes())
        .merge(documents::routes())
        .merge(content::routes())
        .merge(media::routes())
        .merge(question_bank::routes())
        .merge(quizzes::routes())
        .merge(assignments::routes())
        .merge(gradebook::routes())
        .merge(certificates::routes())
        .merge(learning::routes())
        .merge(offer::routes())
        .merge(operator::routes())
        .merge(operator_staff::routes())
        .merge(tokens::routes())
        .merge(staff::routes())
        .merge(contract::routes());
    if test_mode {
        router.merge(test_mode::routes())
    } else {
        router
    }
}
