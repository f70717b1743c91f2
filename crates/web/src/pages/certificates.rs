//! Certificates on the pages (issue 19, item 6): the public verification page a certificate's
//! QR code leads to (`/verify/{code}`), a student's download from the school's site, and a
//! course's certificates in the cabinet with revocation.

use askama::Template;
use axum::{
    Router,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::Response,
    routing::{get, post},
};
use educenter_services::{ServiceError, certificates};

use super::{Layout, PageError, PageResult, redirect_with_flash, school::school_student};
use crate::{AppState, ClientOrigin, api::documents::pdf_response, auth::WebUser};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/verify/{code}", get(verify))
        .route("/s/{slug}/certificates/{id}", get(download))
        .route(
            "/cabinet/courses/{id}/certificates",
            get(course_certificates),
        )
        .route("/cabinet/certificates/{id}/revoke", post(revoke))
}

#[derive(Template)]
#[template(path = "verify.html")]
struct VerifyPage<'a> {
    l: Layout<'a>,
    code: String,
    /// (holder, course, school, date issued, revoked on), or `None`: no such certificate.
    found: Option<(String, String, String, String, Option<String>)>,
}

/// What a verification code certifies, for anyone: the holder, course, school and date, or
/// that the certificate was revoked; 404 for a code no certificate has.
async fn verify(
    State(state): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> PageResult {
    let path = format!("/verify/{}", super::encode_param(&code));
    let l = Layout::new(&state, &headers, &path);
    let (found, status) = match certificates::verify(state.services(), &code).await {
        Ok(c) => {
            let on = l.date(c.issued_on.as_str());
            let revoked = c.revoked_at.map(|t| l.instant(&t));
            (
                Some((c.holder_name, c.course_title, c.school_name, on, revoked)),
                StatusCode::OK,
            )
        }
        Err(ServiceError::NotFound(_)) => (None, StatusCode::NOT_FOUND),
        Err(e) => return Err(e.into()),
    };
    let page = VerifyPage {
        code: code.trim().to_ascii_uppercase(),
        found,
        l,
    };
    Ok(page.l.render(status, &page))
}

/// A student downloads their certificate from the school's site.
async fn download(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let path = format!("/s/{slug}/profile");
    let (_, who) = match school_student(&state, &headers, &slug, &path).await {
        Ok(v) => v,
        Err(r) => return Ok(r),
    };
    let services = state.services();
    let c = certificates::get(services, &who, &id).await?;
    let bytes = certificates::pdf(services, &c).await?;
    Ok(pdf_response((format!("certificate-{}.pdf", c.code), bytes)))
}

/// A certificate in the cabinet's list.
struct CertificateLine {
    id: String,
    holder: String,
    on: String,
    code: String,
    revoked: Option<String>,
}

#[derive(Template)]
#[template(path = "course_certificates.html")]
struct CertificatesPage<'a> {
    l: Layout<'a>,
    course_id: String,
    course_title: String,
    issues: bool,
    rows: Vec<CertificateLine>,
}

/// A course's certificates, with a button to revoke each.
async fn course_certificates(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> PageResult {
    super::courses::staff_only(&who)?;
    let services = state.services();
    let list = certificates::of_course(services, &who, &id).await?;
    let (course, _) = educenter_services::content::course(services, &who, &id).await?;
    let l = Layout::for_user(
        &state,
        &headers,
        &format!("/cabinet/courses/{id}/certificates"),
        &who,
    );
    let rows = list
        .into_iter()
        .map(|c| CertificateLine {
            on: l.date(c.issued_on.as_str()),
            revoked: c.revoked_at.map(|t| l.instant(&t)),
            id: c.id,
            holder: c.holder_name,
            code: c.code,
        })
        .collect();
    let page = CertificatesPage {
        course_id: course.id.to_string(),
        course_title: course.title,
        issues: course.certificate,
        rows,
        l,
    };
    Ok(page.l.render(StatusCode::OK, &page))
}

/// Revokes a certificate from the course's list.
async fn revoke(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
) -> PageResult {
    super::courses::staff_only(&who)?;
    let c = match certificates::revoke(state.services(), &who, &id, origin.0).await {
        Ok(c) => c,
        Err(ServiceError::Conflict(_)) => certificates::get(state.services(), &who, &id).await?,
        Err(e) => return Err(e.into()),
    };
    Ok(redirect_with_flash(
        &state,
        &format!("/cabinet/courses/{}/certificates", c.course_id),
        "certificate-revoked",
    ))
}
