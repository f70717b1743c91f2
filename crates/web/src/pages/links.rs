//! The pages of e-mailed links: the e-mail verification (and a new link for an expired one),
//! an invitation and a password reset. The school's students get them on the school's site,
//! `/s/{slug}/verify-email`, `/s/{slug}/invitation` and `/s/{slug}/reset-password`, in the
//! school's brand (issue 17, item 2); everyone else at the platform's addresses. The link's token
//! decides whose account it is; the address only chooses the frame.

use askama::Template;
use axum::{
    Form, Router,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::Response,
    routing::{get, post},
};
use educenter_domain::roles::TokenPurpose;
use educenter_services::{
    ServiceError,
    accounts::{self, PasswordLink},
    verification::{self, Verification},
};
use serde::Deserialize;

use super::{Layout, MessagePage, PageResult, request_lang, school};
use crate::{AppState, ClientOrigin};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/verify-email", get(verify_email))
        .route("/verify-email/resend", post(resend_verification))
        .route("/invitation", get(invitation_form).post(invitation_submit))
        .route("/reset-password", get(reset_form).post(reset_submit))
        .route("/s/{slug}/verify-email", get(school_verify_email))
        .route("/s/{slug}/verify-email/resend", post(school_resend))
        .route(
            "/s/{slug}/invitation",
            get(school_invitation_form).post(school_invitation_submit),
        )
        .route(
            "/s/{slug}/reset-password",
            get(school_reset_form).post(school_reset_submit),
        )
}

/// Where a page renders: the platform's frame, or a school's site for its students.
enum Frame {
    Platform,
    School(Box<school::School>),
}

impl Frame {
    /// The frame of `/s/{slug}/…`, or the answer for a school that is unknown or closed.
    async fn of_school(
        state: &AppState,
        headers: &HeaderMap,
        slug: &str,
    ) -> Result<Self, Response> {
        let t = school::school(state, headers, slug).await?;
        Ok(Frame::School(Box::new(school::school_of(&t, None))))
    }

    /// The school's frame with a slug, the platform's without.
    async fn of(
        state: &AppState,
        headers: &HeaderMap,
        slug: Option<&str>,
    ) -> Result<Self, Response> {
        match slug {
            Some(slug) => Self::of_school(state, headers, slug).await,
            None => Ok(Frame::Platform),
        }
    }

    /// A platform path (`/invitation`) in this frame.
    fn path(&self, path: &str) -> String {
        match self {
            Frame::Platform => path.to_owned(),
            Frame::School(s) => format!("/s/{}{path}", s.slug),
        }
    }
}

/// A page's message: status, title, text, kind (`success`, `error`) and where to go on.
struct Message {
    status: StatusCode,
    title: String,
    text: String,
    kind: &'static str,
    next: Option<(String, String)>,
}

#[derive(Template)]
#[template(path = "school_message.html")]
struct SchoolMessage<'a> {
    l: Layout<'a>,
    s: school::School,
    title: String,
    text: String,
    kind: &'static str,
    next: Option<(String, String)>,
}

impl SchoolMessage<'_> {
    fn home(&self) -> String {
        format!("/s/{}/", self.s.slug)
    }
}

fn message(
    state: &AppState,
    headers: &HeaderMap,
    frame: Frame,
    path: &str,
    m: Message,
) -> Response {
    let l = Layout::new(state, headers, &frame.path(path));
    match frame {
        Frame::Platform => {
            let page = MessagePage {
                next: m.next,
                title: m.title,
                text: m.text,
                kind: m.kind,
                l,
            };
            page.l.render(m.status, &page)
        }
        Frame::School(s) => {
            let page = SchoolMessage {
                next: m.next,
                title: m.title,
                text: m.text,
                kind: m.kind,
                s: *s,
                l,
            };
            page.l.render(m.status, &page)
        }
    }
}

#[derive(Deserialize)]
struct VerifyQuery {
    #[serde(default)]
    token: String,
}

#[derive(Template)]
#[template(path = "verify_expired.html")]
struct VerifyExpired<'a> {
    l: Layout<'a>,
    token: String,
    action: String,
}

#[derive(Template)]
#[template(path = "school_verify_expired.html")]
struct SchoolVerifyExpired<'a> {
    l: Layout<'a>,
    s: school::School,
    token: String,
    action: String,
}

/// The e-mailed verification link (R-2.2b): 200 when verified, 410 when expired or used.
async fn verify_in(
    state: &AppState,
    headers: &HeaderMap,
    frame: Frame,
    token: String,
    origin: ClientOrigin,
) -> PageResult {
    let verified = verification::verify_email(state.services(), &token, origin.0).await?;
    let l = Layout::new(state, headers, &frame.path("/verify-email"));
    let (status, key, kind) = match verified {
        Verification::Verified => (StatusCode::OK, "verify-ok", "success"),
        Verification::Expired => {
            // The expired link's own page sends a new one: no sign-in needed.
            let action = frame.path("/verify-email/resend");
            return Ok(match frame {
                Frame::Platform => {
                    let page = VerifyExpired { l, token, action };
                    page.l.render(StatusCode::GONE, &page)
                }
                Frame::School(s) => {
                    let page = SchoolVerifyExpired {
                        l,
                        s: *s,
                        token,
                        action,
                    };
                    page.l.render(StatusCode::GONE, &page)
                }
            });
        }
        Verification::AlreadyUsed => (StatusCode::GONE, "verify-used", "error"),
        Verification::Unknown => (StatusCode::NOT_FOUND, "verify-invalid", "error"),
    };
    let m = Message {
        status,
        title: l.t("verify-title"),
        text: l.t(key),
        kind,
        next: None,
    };
    Ok(message(state, headers, frame, "/verify-email", m))
}

async fn verify_email(
    State(state): State<AppState>,
    Query(q): Query<VerifyQuery>,
    origin: ClientOrigin,
    headers: HeaderMap,
) -> PageResult {
    verify_in(&state, &headers, Frame::Platform, q.token, origin).await
}

async fn school_verify_email(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Query<VerifyQuery>,
    origin: ClientOrigin,
    headers: HeaderMap,
) -> PageResult {
    match Frame::of_school(&state, &headers, &slug).await {
        Ok(frame) => verify_in(&state, &headers, frame, q.token, origin).await,
        Err(r) => Ok(r),
    }
}

/// A new verification link for whoever holds an expired one.
async fn resend_in(
    state: &AppState,
    headers: &HeaderMap,
    frame: Frame,
    token: String,
    origin: ClientOrigin,
) -> PageResult {
    let sent = verification::resend_by_link(state.services(), &token, origin.0).await?;
    let lang = request_lang(headers);
    let i18n = state.i18n();
    let m = Message {
        status: if sent {
            StatusCode::OK
        } else {
            StatusCode::NOT_FOUND
        },
        title: i18n.t(lang, "verify-title"),
        text: i18n.t(
            lang,
            if sent {
                "flash-verification-sent"
            } else {
                "verify-invalid"
            },
        ),
        kind: if sent { "success" } else { "error" },
        next: None,
    };
    Ok(message(state, headers, frame, "/verify-email", m))
}

async fn resend_verification(
    State(state): State<AppState>,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<VerifyQuery>,
) -> PageResult {
    resend_in(&state, &headers, Frame::Platform, form.token, origin).await
}

async fn school_resend(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<VerifyQuery>,
) -> PageResult {
    match Frame::of_school(&state, &headers, &slug).await {
        Ok(frame) => resend_in(&state, &headers, frame, form.token, origin).await,
        Err(r) => Ok(r),
    }
}

/// A page that sets a password through an e-mailed link: an invitation or a reset.
struct PasswordFlow {
    path: &'static str,
    /// The message keys' prefix: `invitation` or `reset`.
    keys: &'static str,
    purpose: TokenPurpose,
}

const INVITATION: PasswordFlow = PasswordFlow {
    path: "/invitation",
    keys: "invitation",
    purpose: TokenPurpose::Invitation,
};
const RESET: PasswordFlow = PasswordFlow {
    path: "/reset-password",
    keys: "reset",
    purpose: TokenPurpose::ResetPassword,
};

#[derive(Template)]
#[template(path = "set_password.html")]
struct PasswordPage<'a> {
    l: Layout<'a>,
    title: String,
    lead: String,
    submit: String,
    action: String,
    token: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "school_set_password.html")]
struct SchoolPasswordPage<'a> {
    l: Layout<'a>,
    s: school::School,
    title: String,
    lead: String,
    submit: String,
    action: String,
    token: String,
    error: Option<String>,
}

/// The form that sets a password, with the error of a refused one beside the field.
fn password_page(
    state: &AppState,
    headers: &HeaderMap,
    frame: Frame,
    flow: &PasswordFlow,
    token: String,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let action = frame.path(flow.path);
    let l = Layout::new(state, headers, &action);
    let (title, lead, submit) = (
        l.t(&format!("{}-title", flow.keys)),
        l.t(&format!("{}-lead", flow.keys)),
        l.t(&format!("{}-submit", flow.keys)),
    );
    match frame {
        Frame::Platform => {
            let page = PasswordPage {
                title,
                lead,
                submit,
                action,
                token,
                error,
                l,
            };
            page.l.render(status, &page)
        }
        Frame::School(s) => {
            let page = SchoolPasswordPage {
                title,
                lead,
                submit,
                action,
                token,
                error,
                s: *s,
                l,
            };
            page.l.render(status, &page)
        }
    }
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
}

/// A password form in the platform's frame or, with a slug, in the school's.
async fn form_in(
    state: &AppState,
    headers: &HeaderMap,
    slug: Option<&str>,
    flow: &PasswordFlow,
    token: String,
) -> Response {
    match Frame::of(state, headers, slug).await {
        Ok(frame) => password_page(state, headers, frame, flow, token, None, StatusCode::OK),
        Err(r) => r,
    }
}

/// A password form's submission in the platform's frame or, with a slug, in the school's.
async fn submit_in(
    state: &AppState,
    headers: &HeaderMap,
    slug: Option<&str>,
    origin: ClientOrigin,
    flow: &PasswordFlow,
    form: PasswordForm,
) -> PageResult {
    match Frame::of(state, headers, slug).await {
        Ok(frame) => password_submit(state, origin, headers, frame, flow, form).await,
        Err(r) => Ok(r),
    }
}

async fn invitation_form(
    State(state): State<AppState>,
    Query(q): Query<VerifyQuery>,
    headers: HeaderMap,
) -> Response {
    form_in(&state, &headers, None, &INVITATION, q.token).await
}

async fn reset_form(
    State(state): State<AppState>,
    Query(q): Query<VerifyQuery>,
    headers: HeaderMap,
) -> Response {
    form_in(&state, &headers, None, &RESET, q.token).await
}

async fn school_invitation_form(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Query<VerifyQuery>,
    headers: HeaderMap,
) -> Response {
    form_in(&state, &headers, Some(&slug), &INVITATION, q.token).await
}

async fn school_reset_form(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Query<VerifyQuery>,
    headers: HeaderMap,
) -> Response {
    form_in(&state, &headers, Some(&slug), &RESET, q.token).await
}

async fn invitation_submit(
    State(state): State<AppState>,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<PasswordForm>,
) -> PageResult {
    submit_in(&state, &headers, None, origin, &INVITATION, form).await
}

async fn reset_submit(
    State(state): State<AppState>,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<PasswordForm>,
) -> PageResult {
    submit_in(&state, &headers, None, origin, &RESET, form).await
}

async fn school_invitation_submit(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<PasswordForm>,
) -> PageResult {
    submit_in(&state, &headers, Some(&slug), origin, &INVITATION, form).await
}

async fn school_reset_submit(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<PasswordForm>,
) -> PageResult {
    submit_in(&state, &headers, Some(&slug), origin, &RESET, form).await
}

/// Sets the password; a weak one is said beside the field and changes nothing.
async fn password_submit(
    state: &AppState,
    origin: ClientOrigin,
    headers: &HeaderMap,
    frame: Frame,
    flow: &PasswordFlow,
    form: PasswordForm,
) -> PageResult {
    let lang = request_lang(headers);
    let result = accounts::set_password_by_link(
        state.services(),
        flow.purpose,
        &form.token,
        &form.password,
        origin.0,
    )
    .await;
    let t = |key: &str| state.i18n().t(lang, &format!("{}-{key}", flow.keys));
    let mut next = None;
    let (status, text, kind) = match result {
        Ok(PasswordLink::Accepted {
            email,
            slug,
            learner,
            operator,
        }) => {
            let mut args = fluent_bundle::FluentArgs::new();
            args.set("email", email);
            args.set("slug", slug.clone());
            let sign_in = if operator || slug.is_empty() {
                ("/login".to_owned(), state.i18n().t(lang, "nav-sign-in"))
            } else if learner {
                // A student studies on the school's site, not in the cabinet.
                (
                    format!("/s/{slug}/login"),
                    state.i18n().t(lang, "school-login-title"),
                )
            } else {
                ("/login".to_owned(), state.i18n().t(lang, "nav-sign-in"))
            };
            let text = if flow.purpose == TokenPurpose::Invitation {
                next = Some(sign_in);
                let key = if operator {
                    "invitation-accepted-operator"
                } else if learner {
                    "invitation-accepted-learner"
                } else {
                    "invitation-accepted"
                };
                state.i18n().t_args(lang, key, &args)
            } else {
                // A student goes back to their school's site to sign in.
                if learner {
                    next = Some(sign_in);
                }
                t("done")
            };
            (StatusCode::OK, text, "success")
        }
        Ok(PasswordLink::Expired) => {
            if flow.purpose == TokenPurpose::ResetPassword {
                next = Some((
                    match &frame {
                        Frame::Platform => "/forgot-password".to_owned(),
                        Frame::School(s) => format!("/s/{}/reset", s.slug),
                    },
                    state.i18n().t(lang, "reset-again"),
                ));
            }
            (StatusCode::GONE, t("expired"), "error")
        }
        Ok(PasswordLink::AlreadyUsed) => (StatusCode::GONE, t("used"), "error"),
        Ok(PasswordLink::Unknown) => (StatusCode::NOT_FOUND, t("invalid"), "error"),
        Err(ServiceError::Invalid(errors)) => {
            let message = errors
                .iter()
                .map(|(_, m)| m.render(lang))
                .collect::<Vec<_>>()
                .join(" ");
            return Ok(password_page(
                state,
                headers,
                frame,
                flow,
                form.token,
                Some(message),
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
        Err(e) => return Err(e.into()),
    };
    let m = Message {
        status,
        title: t("title"),
        text,
        kind,
        next,
    };
    Ok(message(state, headers, frame, flow.path, m))
}
