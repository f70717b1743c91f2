//! The school's own site for its students (issue 6): `/s/{slug}/` with the public catalogue,
//! student sign-up with the privacy consent, sign-in and password reset, "my courses", the
//! course outline with enrolment, and the lesson page with its player and progress.

use askama::Template;
use axum::{
    Form, Json, Router,
    extract::{Path, Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use educenter_domain::assignments::SubmissionState;
use educenter_domain::content::LessonKind;
use educenter_domain::learning::{LessonState, Locked};
use educenter_domain::roles::AccountKind;
use educenter_services::{
    ServiceError,
    access::Principal,
    content, learning, media,
    sessions::{self, SessionKind},
    store::{content::Course, tenancy::Tenant},
};
use serde::{Deserialize, Serialize};

use super::{
    Layout, PageError, PageResult, account::signed_in, encode_param, error_page, forms::Field,
    forms::FieldErrors, is_local_path, redirect_with_flash, request_lang,
};
use crate::{AppState, ClientOrigin, auth};

mod accounts;
pub(crate) mod assignment;
mod courses;
mod lessons;
pub(crate) mod quiz;
mod report;
use accounts::*;
use courses::*;
use lessons::*;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/s/{slug}", get(to_home))
        .route("/s/{slug}/", get(home))
        .route("/s/{slug}/logo", get(logo))
        .route("/s/{slug}/sitemap.xml", get(sitemap))
        .route("/s/{slug}/brand.css", get(brand_css))
        .route("/s/{slug}/courses/{id}/cover", get(cover))
        .route("/s/{slug}/signup", get(signup_form).post(signup_submit))
        .route("/s/{slug}/login", get(login_form).post(login_submit))
        .route("/s/{slug}/login/code", post(accounts::login_code))
        .route("/s/{slug}/logout", post(logout))
        .route("/s/{slug}/reset", get(reset_form).post(reset_submit))
        .route(
            "/s/{slug}/report",
            get(report::report_form).post(report::report_submit),
        )
        .route("/s/{slug}/my", get(my_courses))
        .route("/s/{slug}/courses/{id}", get(course))
        .route("/s/{slug}/courses/{id}/enrol", post(enrol))
        .route("/s/{slug}/lessons/{id}", get(lesson))
        .route("/s/{slug}/lessons/{id}/progress", post(progress))
        .route("/s/{slug}/lessons/{id}/complete", post(complete))
        .route("/s/{slug}/lessons/{id}/attempts", post(quiz::start))
        .route(
            "/s/{slug}/lessons/{id}/submission",
            post(assignment::answer),
        )
        .route("/s/{slug}/lessons/{id}/files", post(assignment::upload))
        .route("/s/{slug}/files/{id}/delete", post(assignment::remove_file))
        .route(
            "/s/{slug}/submissions/{id}/comments",
            post(assignment::comment),
        )
        .route(
            "/s/{slug}/attempts/{id}",
            get(quiz::attempt_page).post(quiz::attempt_post),
        )
        .route("/s/{slug}/attempts/{id}/answers", post(quiz::autosave))
        .route("/cabinet/lessons/{id}/preview", get(preview))
        .route("/cabinet/courses/{id}/preview", get(course_preview))
}

pub(crate) async fn to_home(Path(slug): Path<String>) -> Response {
    Redirect::permanent(&format!("/s/{}/", encode_param(&slug))).into_response()
}

/// The school of the address, or the answer to give instead (404, or licence inactive).
pub(super) async fn school(
    state: &AppState,
    headers: &HeaderMap,
    slug: &str,
) -> Result<Tenant, Response> {
    educenter_services::site::school(state.services(), slug)
        .await
        .map_err(|e| closed(state, headers, e))
}

/// The answer for a school whose site is not open: 503 while its licence does not allow use,
/// 404 otherwise.
pub(crate) fn closed(state: &AppState, headers: &HeaderMap, e: ServiceError) -> Response {
    let status = match e {
        ServiceError::LicenceInactive(_) | ServiceError::Blocked(_) => {
            StatusCode::SERVICE_UNAVAILABLE
        }
        _ => StatusCode::NOT_FOUND,
    };
    error_page(state, request_lang(headers), status)
}

/// The school of the address and whoever is signed in at it (someone of another school counts
/// as nobody). A signed-in visitor's session brings its school along in the same query, so
/// their pages spend no query on finding the school.
pub(crate) async fn school_visitor(
    state: &AppState,
    headers: &HeaderMap,
    slug: &str,
) -> Result<(Tenant, Option<Principal>), Response> {
    let services = state.services();
    // A session brings its school; an API token in the cookie matches no session.
    let signed_in = match auth::session_secret(headers) {
        Some(secret) => sessions::authenticate_with_school(services, secret)
            .await
            .ok()
            .flatten(),
        None => None,
    };
    match signed_in {
        Some((who, Some(t))) if t.slug == slug => match educenter_services::site::open_school(t) {
            Ok(t) => Ok((t, Some(who))),
            Err(e) => Err(closed(state, headers, e)),
        },
        other => {
            let t = school(state, headers, slug).await?;
            let who = other
                .map(|(who, _)| who)
                .filter(|who| who.tenant_id.as_deref() == Some(t.id.as_str()));
            Ok((t, who))
        }
    }
}

/// The school of the address and its student signed in, or the answer to give instead: the
/// school's sign-in page for nobody, the cabinet for its staff.
pub(super) async fn school_student(
    state: &AppState,
    headers: &HeaderMap,
    slug: &str,
    back_to: &str,
) -> Result<(Tenant, Principal), Response> {
    let (t, who) = school_visitor(state, headers, slug).await?;
    match who {
        Some(p) if p.kind == AccountKind::Learner => Ok((t, p)),
        Some(_) => Err(Redirect::to("/cabinet").into_response()),
        None => {
            let mut res = Redirect::to(&format!(
                "/s/{}/login?next={}",
                t.slug,
                encode_param(back_to)
            ))
            .into_response();
            *res.status_mut() = StatusCode::SEE_OTHER;
            Err(res)
        }
    }
}

/// What every page of the school's site shows: the school in its brand (issue 17, item 2) and
/// who is signed in.
pub struct School {
    /// The name students see.
    pub name: String,
    pub slug: String,
    pub student: Option<String>,
    /// The logo's file, when the school has one (the page links `/s/{slug}/logo?v={id}`).
    pub logo: Option<String>,
    /// The accent colour's hex digits, when the school chose one: the page links its
    /// stylesheet `/s/{slug}/brand.css?v={digits}`.
    pub accent: Option<String>,
    pub description: String,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_address: Option<String>,
    /// (kind, address) of each social link.
    pub links: Vec<(&'static str, String)>,
}

impl School {
    pub fn has_contacts(&self) -> bool {
        self.contact_email.is_some()
            || self.contact_phone.is_some()
            || self.contact_address.is_some()
    }
}

pub(super) fn school_of(t: &Tenant, who: Option<&Principal>) -> School {
    let b = &t.brand;
    School {
        name: t.display_name().to_owned(),
        slug: t.slug.clone(),
        student: who.map(|p| p.user_id.to_string()),
        logo: t.logo_id.as_deref().map(str::to_owned),
        accent: b
            .accent
            .as_deref()
            .map(|a| a.trim_start_matches('#').to_owned()),
        description: b.description.clone(),
        contact_email: b.contact_email.clone(),
        contact_phone: b.contact_phone.clone(),
        contact_address: b.contact_address.clone(),
        links: b
            .social_links
            .lines()
            .map(|l| (educenter_services::brand::link_kind(l), l.to_owned()))
            .collect(),
    }
}

/// The school's accent colour as a stylesheet, linked by its pages (the policy of the pages
/// allows no inline styles). Its address names the colour, so it is cached for a long time.
pub(crate) async fn brand_css(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Response {
    let t = match school(&state, &headers, &slug).await {
        Ok(t) => t,
        Err(r) => return r,
    };
    match t.brand.accent {
        Some(accent) => (
            [
                (axum::http::header::CONTENT_TYPE, "text/css; charset=utf-8"),
                (axum::http::header::CACHE_CONTROL, "public, max-age=86400"),
            ],
            format!(":root {{ --accent: {accent}; --accent-dark: {accent}; }}\n"),
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The school's logo, to anyone while its site is open.
pub(crate) async fn logo(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Response {
    public_image(&state, &headers, &slug, None).await
}

/// A published course's cover, to anyone while the school's site is open.
pub(crate) async fn cover(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    public_image(&state, &headers, &slug, Some(&id)).await
}

pub(crate) async fn public_image(
    state: &AppState,
    headers: &HeaderMap,
    slug: &str,
    course: Option<&str>,
) -> Response {
    match content::public_image(state.services(), slug, course).await {
        // Pages link the image with its id in the query, so a new image is a new address.
        Ok(m) => crate::media::send(state, headers, &m, "public, max-age=86400").await,
        Err(ServiceError::Internal(e)) => {
            tracing::error!(error = %e, "serving a school image failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
        Err(ServiceError::LicenceInactive(_) | ServiceError::Blocked(_)) => {
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

#[derive(Template)]
#[template(path = "school_home.html")]
pub(crate) struct HomePage<'a> {
    l: Layout<'a>,
    s: School,
    courses: Vec<Course>,
    /// The site's canonical address.
    canonical: String,
    /// One of the school's staff looks at the site.
    staff_view: bool,
}

pub(crate) async fn home(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> PageResult {
    let (t, who) = match school_visitor(&state, &headers, &slug).await {
        Ok(v) => v,
        Err(r) => return Ok(r),
    };
    let courses = learning::catalogue(state.services(), &t).await?;
    let path = format!("/s/{slug}/");
    // The school's staff see the site as a visitor does, marked so (issue 17, item 4).
    let student = who.as_ref().filter(|p| p.kind == AccountKind::Learner);
    let page = HomePage {
        staff_view: who.is_some() && student.is_none(),
        l: Layout::new(&state, &headers, &path),
        s: school_of(&t, student),
        courses,
        canonical: state.services().school_url(&slug),
    };
    Ok(page.l.render(StatusCode::OK, &page))
}

/// The school's sitemap for search engines (issue 17, item 3): its site and every published
/// course, at their canonical addresses (built of the school's address and the courses' ids,
/// nothing that needs escaping in XML).
pub(crate) async fn sitemap(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> PageResult {
    let t = match school(&state, &headers, &slug).await {
        Ok(t) => t,
        Err(r) => return Ok(r),
    };
    let base = state.services().school_url(&slug);
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n\
         <url><loc>{base}</loc></url>\n"
    );
    for c in learning::catalogue(state.services(), &t).await? {
        let day = educenter_domain::clock::local_date(c.updated_at);
        xml.push_str(&format!(
            "<url><loc>{base}courses/{}</loc><lastmod>{day}</lastmod></url>\n",
            c.id
        ));
    }
    xml.push_str("</urlset>\n");
    Ok((
        [(
            axum::http::header::CONTENT_TYPE,
            "application/xml; charset=utf-8",
        )],
        xml,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::embed_src;

    #[test]
    fn youtube_links_play_from_the_nocookie_host_and_vimeo_from_its_player() {
        for url in [
            "https://www.youtube.com/watch?v=abc",
            "https://youtube.com/watch?feature=share&v=abc",
            "https://youtu.be/abc?si=x",
            "https://www.youtube.com/embed/abc",
            "https://youtube.com/shorts/abc",
        ] {
            assert_eq!(
                embed_src(url),
                "https://www.youtube-nocookie.com/embed/abc",
                "{url}"
            );
        }
        assert_eq!(
            embed_src("https://vimeo.com/123"),
            "https://player.vimeo.com/video/123"
        );
        assert_eq!(
            embed_src("https://rutube.ru/play/embed/x"),
            "https://rutube.ru/play/embed/x"
        );
    }
}
