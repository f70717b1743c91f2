//! Certificates through the API (issue 19, item 6): a student's own, a course's for its staff,
//! the PDF, revocation, and the public check of a verification code.

use axum::{
    Json,
    extract::{Path, Query, State},
    response::Response,
};
use educenter_services::{ServiceError, certificates, store::certificates::Certificate};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    AppState, ClientOrigin,
    api::documents::pdf_response,
    api::page::{PageParams, PageQuery},
    auth::Auth,
    page_of,
    problem::{ApiError, Problem},
};

page_of!(CertificatePage, CertificateOut, "certificates");

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_certificates))
        .routes(routes!(get_certificate))
        .routes(routes!(certificate_pdf))
        .routes(routes!(revoke_certificate))
        .routes(routes!(verify_certificate))
}

/// A certificate.
#[derive(Serialize, ToSchema)]
pub struct CertificateOut {
    id: String,
    course_id: String,
    student_id: String,
    /// The public verification code; the page `/verify/{code}` checks it.
    code: String,
    verify_url: String,
    holder_name: String,
    course_title: String,
    school_name: String,
    /// The local date of issue.
    issued_on: String,
    revoked_at: Option<String>,
}

fn out(state: &AppState, c: Certificate) -> CertificateOut {
    CertificateOut {
        verify_url: certificates::verify_url(state.services(), &c.code),
        id: c.id,
        course_id: c.course_id.into_string(),
        student_id: c.user_id.into_string(),
        code: c.code,
        holder_name: c.holder_name,
        course_title: c.course_title,
        school_name: c.school_name,
        issued_on: c.issued_on,
        revoked_at: c.revoked_at.map(|t| t.to_string()),
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CertificateQuery {
    /// Only this course's certificates (for the school's staff; a student gets their own).
    course_id: Option<String>,
}

/// Certificates, newest first: a student's own (any they earned is issued on the way), or the
/// school's (of one course) for the staff who read its courses (a teacher: of their courses).
#[utoipa::path(get, path = "/api/v1/certificates", tag = "learning", security(("bearer" = [])),
    params(CertificateQuery, PageParams),
    responses((status = 200, body = CertificatePage), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 422, description = "A bad `limit` or `after`", body = Problem)))]
async fn list_certificates(
    State(state): State<AppState>,
    Auth(who): Auth,
    Query(q): Query<CertificateQuery>,
    PageQuery(page): PageQuery,
) -> Result<Json<CertificatePage>, ApiError> {
    let services = state.services();
    let found = if who.kind == educenter_domain::roles::AccountKind::Learner {
        certificates::mine(services, &who).await?
    } else {
        match q.course_id.as_deref().filter(|c| !c.trim().is_empty()) {
            Some(course) => certificates::of_course(services, &who, course).await?,
            None => certificates::of_school(services, &who).await?,
        }
    };
    let cut = educenter_services::store::page::Page::cut(found, &page, |c| c.id.clone())
        .map_err(ServiceError::from)?;
    Ok(Json(CertificatePage::of(cut, |c| out(&state, c))))
}

/// A certificate: its student's, or for the staff who read its course.
#[utoipa::path(get, path = "/api/v1/certificates/{id}", tag = "learning", security(("bearer" = [])),
    params(("id" = String, Path, description = "The certificate")),
    responses((status = 200, body = CertificateOut), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn get_certificate(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path(id): Path<String>,
) -> Result<Json<CertificateOut>, ApiError> {
    let c = certificates::get(state.services(), &who, &id).await?;
    Ok(Json(out(&state, c)))
}

/// The certificate as PDF (410 once revoked).
#[utoipa::path(get, path = "/api/v1/certificates/{id}/pdf", tag = "learning", security(("bearer" = [])),
    params(("id" = String, Path, description = "The certificate")),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 410, description = "The certificate was revoked", body = Problem)))]
async fn certificate_pdf(
    State(state): State<AppState>,
    Auth(who): Auth,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let services = state.services();
    let c = certificates::get(services, &who, &id).await?;
    let bytes = certificates::pdf(services, &c).await?;
    Ok(pdf_response((format!("certificate-{}.pdf", c.code), bytes)))
}

/// Revokes a certificate (the owner, administrators, the course's teachers); its public page
/// then says it was revoked.
#[utoipa::path(post, path = "/api/v1/certificates/{id}/revoke", tag = "learning", security(("bearer" = [])),
    params(("id" = String, Path, description = "The certificate")),
    responses((status = 200, body = CertificateOut), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, description = "Revoked already", body = Problem)))]
async fn revoke_certificate(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    Path(id): Path<String>,
) -> Result<Json<CertificateOut>, ApiError> {
    let c = certificates::revoke(state.services(), &who, &id, origin.0).await?;
    Ok(Json(out(&state, c)))
}

/// What a verification code certifies, for anyone (no sign-in).
#[derive(Serialize, ToSchema)]
pub struct VerifiedOut {
    code: String,
    holder_name: String,
    course_title: String,
    school_name: String,
    issued_on: String,
    /// Set once the school revoked it: it no longer certifies anything.
    revoked_at: Option<String>,
}

/// Checks a certificate's verification code (public).
#[utoipa::path(get, path = "/api/v1/verify/{code}", tag = "learning",
    params(("code" = String, Path, description = "The verification code")),
    responses((status = 200, body = VerifiedOut), (status = 404, body = Problem)))]
async fn verify_certificate(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<VerifiedOut>, ApiError> {
    let c = certificates::verify(state.services(), &code).await?;
    Ok(Json(VerifiedOut {
        code: c.code,
        holder_name: c.holder_name,
        course_title: c.course_title,
        school_name: c.school_name,
        issued_on: c.issued_on,
        revoked_at: c.revoked_at.map(|t| t.to_string()),
    }))
}
