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
use educenter_domain::learning::{LessonState, Locked};
use educenter_services::{
    ServiceError,
    access::Principal,
    content, learning, media,
    sessions::{self, SessionKind},
    store::{content::Course, tenancy::Tenant},
};
use serde::{Deserialize, Serialize};

use super::{
    Layout, account::signed_in, encode_param, error_page, forms::Field, forms::FieldErrors,
    is_local_path, redirect_with_flash, request_lang,
};
use crate::{AppState, ClientOrigin, auth};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/s/{slug}", get(to_home))
        .route("/s/{slug}/", get(home))
        .route("/s/{slug}/logo", get(logo))
        .route("/s/{slug}/courses/{id}/cover", get(cover))
        .route("/s/{slug}/signup", get(signup_form).post(signup_submit))
        .route("/s/{slug}/login", get(login_form).post(login_submit))
        .route("/s/{slug}/logout", post(logout))
        .route("/s/{slug}/reset", get(reset_form).post(reset_submit))
        .route("/s/{slug}/my", get(my_courses))
        .route("/s/{slug}/courses/{id}", get(course))
        .route("/s/{slug}/courses/{id}/enrol", post(enrol))
        .route("/s/{slug}/lessons/{id}", get(lesson))
        .route("/s/{slug}/lessons/{id}/progress", post(progress))
        .route("/s/{slug}/lessons/{id}/complete", post(complete))
        .route("/cabinet/lessons/{id}/preview", get(preview))
}

async fn to_home(Path(slug): Path<String>) -> Response {
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
fn closed(state: &AppState, headers: &HeaderMap, e: ServiceError) -> Response {
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
async fn school_visitor(
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
        Some(p) if p.kind == "learner" => Ok((t, p)),
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

pub(super) fn failed(state: &AppState, headers: &HeaderMap, e: ServiceError) -> Response {
    let lang = request_lang(headers);
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

/// What every page of the school's site shows: the school and who is signed in.
pub struct School {
    pub name: String,
    pub slug: String,
    pub student: Option<String>,
    /// The logo's file, when the school has one (the page links `/s/{slug}/logo?v={id}`).
    pub logo: Option<String>,
}

pub(super) fn school_of(t: &Tenant, who: Option<&Principal>) -> School {
    School {
        name: t.name.clone(),
        slug: t.slug.clone(),
        student: who.map(|p| p.user_id.clone()),
        logo: t.logo_id.clone(),
    }
}

/// The school's logo, to anyone while its site is open.
async fn logo(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Response {
    public_image(&state, &headers, &slug, None).await
}

/// A published course's cover, to anyone while the school's site is open.
async fn cover(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    public_image(&state, &headers, &slug, Some(&id)).await
}

async fn public_image(
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
struct HomePage<'a> {
    l: Layout<'a>,
    s: School,
    courses: Vec<Course>,
}

async fn home(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Response {
    let (t, who) = match school_visitor(&state, &headers, &slug).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let courses = match learning::catalogue(state.services(), &t).await {
        Ok(c) => c,
        Err(e) => return failed(&state, &headers, e),
    };
    let path = format!("/s/{slug}/");
    let page = HomePage {
        l: Layout::new(&state, &headers, &path),
        s: school_of(&t, who.as_ref()),
        courses,
    };
    page.l.render(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "school_form.html")]
struct FormPage<'a> {
    l: Layout<'a>,
    s: School,
    title: String,
    lead: String,
    action: String,
    submit: String,
    fields: Vec<Field>,
    hidden: Vec<(&'static str, String)>,
    form_error: Option<String>,
    links: Vec<(String, String)>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SignupForm {
    full_name: String,
    email: String,
    password: String,
    privacy: String,
    marketing: String,
}

async fn signup_page<'a>(
    state: &'a AppState,
    headers: &HeaderMap,
    t: &Tenant,
    form: &SignupForm,
    errors: FieldErrors,
) -> Result<FormPage<'a>, Response> {
    let path = format!("/s/{}/signup", t.slug);
    let l = Layout::new(state, headers, &path);
    // The school's own privacy text is linked (it may be long); the platform's default is one
    // sentence, shown as the box's label.
    let shown = educenter_services::privacy::public_text(state.services(), t, l.lang)
        .await
        .map_err(|e| failed(state, headers, e))?;
    let privacy_label = if shown.version.starts_with("school-v") {
        l.t_args("school-privacy-agree", &[("school", t.name.clone())])
    } else {
        shown.text
    };
    let mut args = fluent_bundle::FluentArgs::new();
    args.set("school", t.name.clone());
    let marketing_label = state
        .i18n()
        .t_args(l.lang, "learner-marketing-consent", &args);
    let mut fields = vec![
        Field::new(&l, "full_name", "text")
            .value(form.full_name.clone())
            .autocomplete("name"),
        Field::new(&l, "email", "email")
            .value(form.email.clone())
            .autocomplete("email"),
        Field::new(&l, "password", "password")
            .autocomplete("new-password")
            .hint(&l),
        Field::labelled("privacy", "checkbox", privacy_label).value(form.privacy.clone()),
        Field::labelled("marketing", "checkbox", marketing_label)
            .value(form.marketing.clone())
            .optional(),
    ];
    errors.apply(&mut fields);
    Ok(FormPage {
        title: l.t("school-signup-title"),
        lead: l.t_args("school-signup-lead", &[("school", t.name.clone())]),
        action: path.clone(),
        submit: l.t("school-signup-submit"),
        fields,
        hidden: Vec::new(),
        form_error: errors.form,
        links: vec![
            (
                format!("/s/{}/privacy", t.slug),
                l.t("school-privacy-title"),
            ),
            (format!("/s/{}/login", t.slug), l.t("school-have-account")),
        ],
        s: school_of(t, None),
        l,
    })
}

async fn signup_form(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Response {
    let t = match school(&state, &headers, &slug).await {
        Ok(t) => t,
        Err(r) => return r,
    };
    match signup_page(
        &state,
        &headers,
        &t,
        &SignupForm::default(),
        FieldErrors::default(),
    )
    .await
    {
        Ok(page) => page.l.render(StatusCode::OK, &page),
        Err(r) => r,
    }
}

async fn signup_submit(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<SignupForm>,
) -> Response {
    let t = match school(&state, &headers, &slug).await {
        Ok(t) => t,
        Err(r) => return r,
    };
    let lang = request_lang(&headers);
    let input = learning::SignupInput {
        full_name: form.full_name.clone(),
        email: form.email.clone(),
        password: form.password.clone(),
        privacy: form.privacy == "on",
        marketing: form.marketing == "on",
        lang,
    };
    match learning::signup(state.services(), &t, input, origin.0.clone()).await {
        Ok(_) => {
            match educenter_services::signin::login_at(
                state.services(),
                &form.email,
                &form.password,
                &t.slug,
                None,
                SessionKind::Web,
                origin.0,
            )
            .await
            {
                Ok(issued) => {
                    signed_in(
                        &state,
                        &headers,
                        &issued.token,
                        &format!("/s/{slug}/my"),
                        "student-signed-up",
                    )
                    .await
                }
                Err(e) => failed(&state, &headers, e),
            }
        }
        Err(ServiceError::Invalid(found)) => {
            let l = Layout::new(&state, &headers, "/");
            let mut errors = FieldErrors::from_service(
                &l,
                found.clone(),
                &[
                    ("full_name", "full_name"),
                    ("email", "email"),
                    ("password", "password"),
                    ("privacy", "privacy"),
                ],
            );
            // The service's own words where they say more than "invalid" (a taken address).
            for (field, message) in found {
                if field == "email" && message.key == "err-email-taken-school" {
                    errors.set("email", l.t("error-email-taken-school"));
                }
            }
            let page = match signup_page(&state, &headers, &t, &form, errors).await {
                Ok(page) => page,
                Err(r) => return r,
            };
            page.l.render(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(ServiceError::Forbidden(_)) => {
            let l = Layout::new(&state, &headers, "/");
            let mut errors = FieldErrors::default();
            errors.form = Some(l.t("school-signup-full"));
            let page = match signup_page(&state, &headers, &t, &form, errors).await {
                Ok(page) => page,
                Err(r) => return r,
            };
            page.l.render(StatusCode::FORBIDDEN, &page)
        }
        // Too many sign-ups at this school or from this address just now.
        Err(ServiceError::TooManyRequests(secs)) => {
            let l = Layout::new(&state, &headers, "/");
            let mut errors = FieldErrors::default();
            errors.form = Some(l.t_args(
                "school-signup-throttled",
                &[("minutes", secs.div_ceil(60).max(1).to_string())],
            ));
            let page = match signup_page(&state, &headers, &t, &form, errors).await {
                Ok(page) => page,
                Err(r) => return r,
            };
            let mut res = page.l.render(StatusCode::TOO_MANY_REQUESTS, &page);
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
            res
        }
        Err(e) => failed(&state, &headers, e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LoginForm {
    email: String,
    password: String,
    /// The code e-mailed after too many failed sign-ins.
    code: String,
    next: String,
}

fn login_page<'a>(
    state: &'a AppState,
    headers: &HeaderMap,
    t: &Tenant,
    form: &LoginForm,
    error: Option<String>,
    ask_code: bool,
) -> FormPage<'a> {
    let path = format!("/s/{}/login", t.slug);
    let l = Layout::new(state, headers, &path);
    let mut fields = vec![
        Field::new(&l, "email", "email")
            .value(form.email.clone())
            .autocomplete("email"),
        Field::new(&l, "password", "password").autocomplete("current-password"),
    ];
    if ask_code {
        fields.push(
            Field::new(&l, "code", "text")
                .autocomplete("one-time-code")
                .hint(&l),
        );
    }
    FormPage {
        title: l.t("school-login-title"),
        lead: t.name.clone(),
        action: path.clone(),
        submit: l.t("login-submit"),
        fields,
        hidden: vec![("next", form.next.clone())],
        form_error: error,
        links: vec![
            (format!("/s/{}/signup", t.slug), l.t("school-signup-title")),
            (format!("/s/{}/reset", t.slug), l.t("login-forgot")),
        ],
        s: school_of(t, None),
        l,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NextQuery {
    next: String,
}

async fn login_form(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Query<NextQuery>,
    headers: HeaderMap,
) -> Response {
    let t = match school(&state, &headers, &slug).await {
        Ok(t) => t,
        Err(r) => return r,
    };
    let form = LoginForm {
        next: q.next,
        ..LoginForm::default()
    };
    let page = login_page(&state, &headers, &t, &form, None, false);
    page.l.render(StatusCode::OK, &page)
}

async fn login_submit(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let t = match school(&state, &headers, &slug).await {
        Ok(t) => t,
        Err(r) => return r,
    };
    let result = educenter_services::signin::login_at(
        state.services(),
        &form.email,
        &form.password,
        &t.slug,
        Some(form.code.as_str()).filter(|c| !c.trim().is_empty()),
        SessionKind::Web,
        origin.0,
    )
    .await;
    let l = Layout::new(&state, &headers, "/");
    let mut ask_code = false;
    let (status, error) = match result {
        Ok(issued) => {
            let to = if is_local_path(&form.next) && form.next.starts_with(&format!("/s/{slug}/")) {
                form.next.clone()
            } else {
                format!("/s/{slug}/my")
            };
            return signed_in(&state, &headers, &issued.token, &to, "signed-in").await;
        }
        Err(ServiceError::Unauthorized(_)) => (StatusCode::UNAUTHORIZED, l.t("login-failed")),
        Err(ServiceError::CodeRequired) => {
            ask_code = true;
            (StatusCode::FORBIDDEN, l.t("login-code-sent"))
        }
        Err(ServiceError::Forbidden(_) | ServiceError::Blocked(_)) => {
            let support = educenter_services::requisites::support_email(state.services())
                .await
                .unwrap_or_default();
            (
                StatusCode::FORBIDDEN,
                l.t_args("login-blocked", &[("support", support)]),
            )
        }
        Err(ServiceError::TooManyRequests(secs)) => (
            StatusCode::TOO_MANY_REQUESTS,
            l.t_args(
                "login-throttled",
                &[("minutes", secs.div_ceil(60).max(1).to_string())],
            ),
        ),
        Err(e) => return failed(&state, &headers, e),
    };
    let page = login_page(&state, &headers, &t, &form, Some(error), ask_code);
    page.l.render(status, &page)
}

async fn logout(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Some(secret) = auth::session_secret(&headers)
        && let Err(e) = sessions::end_secret(state.services(), secret).await
    {
        tracing::warn!(error = %e, "signing out failed");
    }
    let mut res = redirect_with_flash(&state, &format!("/s/{slug}/"), "signed-out");
    if let Ok(v) = HeaderValue::from_str(&auth::clear_session_cookie(&state)) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ResetForm {
    email: String,
}

fn reset_page<'a>(
    state: &'a AppState,
    headers: &HeaderMap,
    t: &Tenant,
    sent: bool,
) -> FormPage<'a> {
    let path = format!("/s/{}/reset", t.slug);
    let l = Layout::new(state, headers, &path);
    FormPage {
        title: l.t("forgot-title"),
        lead: if sent {
            l.t("forgot-sent")
        } else {
            l.t("forgot-lead")
        },
        action: path.clone(),
        submit: l.t("forgot-submit"),
        fields: vec![Field::new(&l, "email", "email").autocomplete("email")],
        hidden: Vec::new(),
        form_error: None,
        links: vec![(format!("/s/{}/login", t.slug), l.t("school-login-title"))],
        s: school_of(t, None),
        l,
    }
}

async fn reset_form(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Response {
    let t = match school(&state, &headers, &slug).await {
        Ok(t) => t,
        Err(r) => return r,
    };
    let page = reset_page(&state, &headers, &t, false);
    page.l.render(StatusCode::OK, &page)
}

async fn reset_submit(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<ResetForm>,
) -> Response {
    let t = match school(&state, &headers, &slug).await {
        Ok(t) => t,
        Err(r) => return r,
    };
    if let Err(e) = educenter_services::accounts::request_password_reset(
        state.services(),
        &form.email,
        Some(&t.slug),
        origin.0,
    )
    .await
    {
        return failed(&state, &headers, e);
    }
    let page = reset_page(&state, &headers, &t, true);
    page.l.render(StatusCode::OK, &page)
}

/// A course on "my courses": title, done of required, percent.
struct CourseCard {
    id: String,
    title: String,
    done: usize,
    required: usize,
    percent: usize,
    complete: bool,
}

#[derive(Template)]
#[template(path = "school_my.html")]
struct MyPage<'a> {
    l: Layout<'a>,
    s: School,
    courses: Vec<CourseCard>,
}

async fn my_courses(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Response {
    let path = format!("/s/{slug}/my");
    let (t, who) = match school_student(&state, &headers, &slug, &path).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let outlines = match learning::my_courses(state.services(), &who).await {
        Ok(o) => o,
        Err(e) => return failed(&state, &headers, e),
    };
    let courses = outlines
        .into_iter()
        .map(|o| CourseCard {
            percent: (o.done * 100).checked_div(o.required).unwrap_or(0),
            complete: o
                .enrolment
                .as_ref()
                .is_some_and(|e| e.completed_at.is_some()),
            id: o.course.id,
            title: o.course.title,
            done: o.done,
            required: o.required,
        })
        .collect();
    let page = MyPage {
        l: Layout::for_user(&state, &headers, &path, &who),
        s: school_of(&t, Some(&who)),
        courses,
    };
    page.l.render(StatusCode::OK, &page)
}

/// A lesson as a line of the outline.
struct LessonLine {
    id: String,
    title: String,
    kind: String,
    /// `open`, `complete` or `locked`.
    state: &'static str,
    /// Why it is locked, in words.
    reason: String,
}

fn lock_reason(l: &Layout<'_>, state: LessonState) -> (&'static str, String) {
    match state {
        LessonState::Open => ("open", String::new()),
        LessonState::Complete => ("complete", String::new()),
        LessonState::Locked(Locked::Until(d)) => (
            "locked",
            l.t_args("lesson-locked-until", &[("date", l.date(&d.to_string()))]),
        ),
        LessonState::Locked(Locked::PreviousIncomplete) => {
            ("locked", l.t("lesson-locked-previous"))
        }
        LessonState::Locked(Locked::NotEnrolled) => ("locked", l.t("lesson-locked-enrol")),
    }
}

#[derive(Template)]
#[template(path = "school_course.html")]
struct CoursePage<'a> {
    l: Layout<'a>,
    s: School,
    course: Course,
    description: String,
    enrolled: bool,
    may_enrol: bool,
    complete: bool,
    done: usize,
    required: usize,
    modules: Vec<(String, Vec<LessonLine>)>,
}

async fn course(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let path = format!("/s/{slug}/courses/{id}");
    let (t, who) = match school_student(&state, &headers, &slug, &path).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let o = match learning::outline(state.services(), &who, &id).await {
        Ok(o) => o,
        Err(e) => return failed(&state, &headers, e),
    };
    let l = Layout::for_user(&state, &headers, &path, &who);
    let modules = o
        .modules
        .iter()
        .map(|(m, lessons)| {
            let lines = lessons
                .iter()
                .map(|v| {
                    let (state, reason) = lock_reason(&l, v.state);
                    LessonLine {
                        id: v.lesson.id.clone(),
                        title: v.lesson.title.clone(),
                        kind: v.lesson.kind.clone(),
                        state,
                        reason,
                    }
                })
                .collect();
            (m.title.clone(), lines)
        })
        .collect();
    let page = CoursePage {
        s: school_of(&t, Some(&who)),
        description: content::render_markdown(&o.course.description),
        enrolled: o.enrolment.is_some(),
        may_enrol: o.enrolment.is_none() && o.course.self_enrol,
        complete: o
            .enrolment
            .as_ref()
            .is_some_and(|e| e.completed_at.is_some()),
        done: o.done,
        required: o.required,
        course: o.course,
        modules,
        l,
    };
    page.l.render(StatusCode::OK, &page)
}

async fn enrol(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    origin: ClientOrigin,
    headers: HeaderMap,
) -> Response {
    let path = format!("/s/{slug}/courses/{id}");
    let (_, who) = match school_student(&state, &headers, &slug, &path).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    match learning::enrol_self(state.services(), &who, &id, origin.0).await {
        Ok(_) => redirect_with_flash(&state, &path, "enrolled"),
        Err(e) => failed(&state, &headers, e),
    }
}

#[derive(Template)]
#[template(path = "school_lesson.html")]
struct LessonPage<'a> {
    l: Layout<'a>,
    s: School,
    course_id: String,
    course_title: String,
    title: String,
    kind: String,
    id: String,
    state: &'static str,
    reason: String,
    html: String,
    media_url: Option<String>,
    media_type: String,
    filename: String,
    captions_url: Option<String>,
    embed_url: Option<String>,
    position_ms: i64,
    prev: Option<(String, String)>,
    next: Option<(String, String)>,
    /// Staff previewing the lesson as a student sees it (no progress is kept).
    preview: bool,
}

/// An embed link as a player address (YouTube's watch links become their embed form).
/// The player address of an embed link whose host the operator still allows.
async fn allowed_embed(
    services: &educenter_services::Services,
    url: Option<&str>,
) -> Option<String> {
    let url = url?;
    let hosts = content::embed_hosts(services).await.ok()?;
    content::embed_allowed(url, &hosts).then(|| embed_src(url))
}

fn embed_src(url: &str) -> String {
    let rest = url.trim_start_matches("https://");
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let nocookie = |id: &str| format!("https://www.youtube-nocookie.com/embed/{id}");
    match host {
        "youtu.be" => nocookie(path.split(['?', '#']).next().unwrap_or_default()),
        "youtube.com" | "www.youtube.com" | "m.youtube.com" => {
            let (route, query) = path.split_once('?').unwrap_or((path, ""));
            let v = query
                .split('&')
                .find_map(|kv| kv.strip_prefix("v="))
                .filter(|_| route == "watch");
            match (
                v,
                route.strip_prefix("embed/"),
                route.strip_prefix("shorts/"),
            ) {
                (Some(id), _, _) | (None, Some(id), _) | (None, None, Some(id)) => nocookie(id),
                _ => url.to_owned(),
            }
        }
        "vimeo.com" => format!("https://player.vimeo.com/video/{path}"),
        _ => url.to_owned(),
    }
}

async fn lesson(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let path = format!("/s/{slug}/lessons/{id}");
    let services = state.services();
    // A student of this school: the session, the school and the lesson in one query.
    let visit = match auth::session_secret(&headers) {
        Some(secret) => learning::visit_lesson(services, secret, &id)
            .await
            .ok()
            .flatten(),
        None => None,
    };
    let (t, who, found) = match visit {
        Some(learning::LessonVisit {
            who,
            school: Some(t),
            lesson,
        }) if t.slug == slug && who.kind == "learner" => {
            match educenter_services::site::open_school(t) {
                Ok(t) => (t, who, lesson),
                Err(e) => return closed(&state, &headers, e),
            }
        }
        // Anyone else: the sign-in page, the cabinet, or (should the session have changed
        // meanwhile) the lesson read again.
        _ => match school_student(&state, &headers, &slug, &path).await {
            Ok((t, who)) => {
                let found = learning::lesson(services, &who, &id).await;
                (t, who, found)
            }
            Err(r) => return r,
        },
    };
    let (o, index, full) = match found {
        Ok(v) => v,
        Err(e) => return failed(&state, &headers, e),
    };
    let l = Layout::for_user(&state, &headers, &path, &who);
    let all: Vec<_> = o.lessons().collect();
    let v = all[index];
    let (lesson_state, reason) = lock_reason(&l, v.state);
    let open = lesson_state != "locked";
    let mut media_url = None;
    let mut media_type = String::new();
    let mut filename = String::new();
    let mut captions_url = None;
    if open {
        if let Some(mid) = &v.lesson.media_id {
            // A file that no longer opens leaves the rest of the lesson readable.
            if let Ok((url, m)) = media::link(services, &who, mid).await {
                media_url = Some(url);
                media_type = m.content_type;
                filename = m.filename;
            }
        }
        if let Some(cid) = &v.lesson.captions_id {
            captions_url = media::link(services, &who, cid).await.ok().map(|(u, _)| u);
        }
    }
    let link = |i: usize| {
        all.get(i)
            .map(|x| (x.lesson.id.clone(), x.lesson.title.clone()))
    };
    let embed_url = allowed_embed(services, v.lesson.embed_url.as_deref().filter(|_| open)).await;
    let page = LessonPage {
        s: school_of(&t, Some(&who)),
        course_id: o.course.id.clone(),
        course_title: o.course.title.clone(),
        title: v.lesson.title.clone(),
        kind: v.lesson.kind.clone(),
        id: v.lesson.id.clone(),
        state: lesson_state,
        reason,
        html: if open && v.lesson.kind == "text" {
            o.content.html(&full.id).unwrap_or_default().to_owned()
        } else {
            String::new()
        },
        media_url,
        media_type,
        filename,
        captions_url,
        position_ms: v.position_ms,
        prev: index.checked_sub(1).and_then(link),
        next: link(index + 1),
        embed_url: embed_url.clone(),
        preview: false,
        l,
    };
    render_lesson(page, embed_url.as_deref())
}

/// Renders a lesson page; one with an embedded player may frame that player's host.
fn render_lesson(page: LessonPage<'_>, embed: Option<&str>) -> Response {
    let mut res = page.l.render(StatusCode::OK, &page);
    if let Some(host) = embed.and_then(content::embed_host) {
        // The embedded player's own host may be framed on this page, nothing else (YouTube's
        // player moves between its two hosts).
        let youtube = ["youtube.com", "youtube-nocookie.com"]
            .iter()
            .any(|d| host == *d || host.ends_with(&format!(".{d}")));
        let frames = if youtube {
            "https://www.youtube-nocookie.com https://www.youtube.com".to_owned()
        } else {
            format!("https://{host}")
        };
        if let Ok(v) = HeaderValue::from_str(&format!(
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
             object-src 'none'; frame-src {frames}; frame-ancestors 'none'; base-uri 'self'; \
             form-action 'self'"
        )) {
            res.headers_mut().insert(header::CONTENT_SECURITY_POLICY, v);
        }
    }
    res
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ProgressBody {
    position_ms: i64,
    duration_ms: Option<i64>,
    complete: bool,
}

#[derive(Serialize)]
struct ProgressAnswer {
    lesson_complete: bool,
    course_complete: bool,
}

/// Staff see a lesson as a student will (any lesson of any course, open, nothing recorded).
async fn preview(
    State(state): State<AppState>,
    auth::WebUser(who): auth::WebUser,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let services = state.services();
    let lesson = match content::lesson(services, &who, &id).await {
        Ok(l) => l,
        Err(e) => return super::cabinet::service_error(&state, &headers, e),
    };
    let (course, modules) = match content::course(services, &who, &lesson.course_id).await {
        Ok(v) => v,
        Err(e) => return super::cabinet::service_error(&state, &headers, e),
    };
    let tenant = match services.db.conn().await {
        Ok(mut conn) => educenter_services::store::tenancy::get_in(&mut conn, &course.tenant_id)
            .await
            .ok()
            .flatten(),
        Err(_) => None,
    };
    let Some(t) = tenant else {
        return error_page(&state, request_lang(&headers), StatusCode::NOT_FOUND);
    };
    let all: Vec<_> = modules.into_iter().flat_map(|(_, ls)| ls).collect();
    let index = all.iter().position(|l| l.id == id).unwrap_or(0);
    let link = |i: usize| all.get(i).map(|x| (x.id.clone(), x.title.clone()));
    let mut media_url = None;
    let (mut media_type, mut filename) = (String::new(), String::new());
    if let Some(mid) = &lesson.media_id
        && let Ok((url, m)) = media::link(services, &who, mid).await
    {
        media_url = Some(url);
        media_type = m.content_type;
        filename = m.filename;
    }
    let captions_url = match &lesson.captions_id {
        Some(c) => media::link(services, &who, c).await.ok().map(|(u, _)| u),
        None => None,
    };
    let path = format!("/cabinet/lessons/{id}/preview");
    let embed_url = allowed_embed(services, lesson.embed_url.as_deref()).await;
    let page = LessonPage {
        l: Layout::for_user(&state, &headers, &path, &who),
        s: school_of(&t, None),
        course_id: course.id.clone(),
        course_title: course.title.clone(),
        title: lesson.title.clone(),
        kind: lesson.kind.clone(),
        id: lesson.id.clone(),
        state: "open",
        reason: String::new(),
        html: if lesson.kind == "text" {
            content::render_markdown(&lesson.body)
        } else {
            String::new()
        },
        media_url,
        media_type,
        filename,
        captions_url,
        embed_url: embed_url.clone(),
        position_ms: 0,
        prev: index.checked_sub(1).and_then(link),
        next: link(index + 1),
        preview: true,
    };
    render_lesson(page, embed_url.as_deref())
}

/// The player reports where the student is (JSON, from the lesson page's script).
async fn progress(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    headers: HeaderMap,
    Json(body): Json<ProgressBody>,
) -> Response {
    let who = match school_visitor(&state, &headers, &slug).await {
        Ok((_, who)) => who,
        Err(r) => return r,
    };
    let Some(who) = who else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let input = learning::ProgressInput {
        position_ms: body.position_ms,
        duration_ms: body.duration_ms,
        complete: body.complete,
    };
    match learning::save_progress(state.services(), &who, &id, input).await {
        Ok(s) => Json(ProgressAnswer {
            lesson_complete: s.lesson_complete,
            course_complete: s.course_complete,
        })
        .into_response(),
        Err(e) => crate::problem::ApiError::from(e).into_response(),
    }
}

/// "Mark complete": saves, then goes on to the next lesson (or back to the course).
async fn complete(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let path = format!("/s/{slug}/lessons/{id}");
    let (_, who) = match school_student(&state, &headers, &slug, &path).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let input = learning::ProgressInput {
        complete: true,
        ..Default::default()
    };
    let services = state.services();
    let saved = match learning::save_progress(services, &who, &id, input).await {
        Ok(s) => s,
        Err(e) => return failed(&state, &headers, e),
    };
    let (o, index, _) = match learning::lesson(services, &who, &id).await {
        Ok(v) => v,
        Err(e) => return failed(&state, &headers, e),
    };
    let next = o.lessons().nth(index + 1).map(|v| v.lesson.id.clone());
    match (saved.course_complete, next) {
        (true, _) | (_, None) => redirect_with_flash(
            &state,
            &format!("/s/{slug}/courses/{}", o.course.id),
            if saved.course_complete {
                "course-complete"
            } else {
                "lesson-complete"
            },
        ),
        (false, Some(n)) => {
            redirect_with_flash(&state, &format!("/s/{slug}/lessons/{n}"), "lesson-complete")
        }
    }
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
