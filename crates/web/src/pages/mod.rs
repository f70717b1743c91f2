//! Server-rendered pages: the layout, the landing page, the language switch, flash messages,
//! error pages and static assets.

pub(super) mod account;
mod assets;
mod back_office;
mod billing;
mod cabinet;
mod courses;
pub(crate) mod csrf;
mod documents;
mod forms;
mod operations;
mod operator;
mod operator_staff;
mod privacy;
mod school;
mod service_prices;
mod students;

use askama::Template;
use axum::{
    Form, Router,
    extract::{Path, Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{Html, IntoResponse, Redirect, Response},
    routing::get,
};
use serde::Deserialize;

use educenter_services::{
    ServiceError,
    accounts::{self, PasswordLink},
    verification::{self, Verification},
};

use crate::{AppState, ClientOrigin, i18n::Lang};

pub use assets::asset_url;

pub fn routes(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/", get(landing))
        .route("/lang/{code}", get(switch_lang))
        .route("/verify-email", get(verify_email))
        .route(
            "/verify-email/resend",
            axum::routing::post(resend_verification),
        )
        .route("/invitation", get(invitation_form).post(invitation_submit))
        .route("/reset-password", get(reset_form).post(reset_submit))
        .route("/offer", get(offer_current))
        .route("/offer/{version}", get(offer_version))
        .merge(account::routes())
        .merge(billing::routes())
        .merge(back_office::routes())
        .merge(documents::routes())
        .merge(cabinet::routes())
        .merge(courses::routes())
        .merge(operator::routes())
        .merge(operator_staff::routes())
        .merge(operations::routes())
        .merge(school::routes())
        .merge(privacy::routes())
        .merge(service_prices::routes())
        .merge(students::routes())
        .route("/static/{name}", get(assets::serve))
        .route("/favicon.ico", get(assets::favicon))
        // Every form post must come from our own pages (Sec-Fetch-Site, or Origin against the
        // public address); the JSON API uses bearer tokens instead of cookies.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            csrf::check,
        ))
}

const LANG_COOKIE: &str = "lang";
const FLASH_COOKIE: &str = "flash";

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find_map(|(k, v)| (k == name).then_some(v))
}

/// The language of a request: the `lang` cookie, else `Accept-Language`, else Russian.
pub fn request_lang(headers: &HeaderMap) -> Lang {
    chosen_lang(headers).unwrap_or(Lang::Ru)
}

/// The language a request asks for: the `lang` cookie, else `Accept-Language`.
pub fn chosen_lang(headers: &HeaderMap) -> Option<Lang> {
    cookie(headers, LANG_COOKIE)
        .and_then(Lang::from_code)
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
}

/// A one-time message shown on the next page.
pub struct Flash {
    pub kind: &'static str,
    pub text: String,
}

/// Flash messages travel as a message key in a short-lived cookie; only known keys are shown.
const FLASH_KEYS: &[(&str, &str)] = &[
    ("lang-changed", "success"),
    ("signed-in", "success"),
    ("signed-up", "success"),
    ("signed-out", "success"),
    ("signed-out-everywhere", "success"),
    ("staff-invited", "success"),
    ("verification-sent", "success"),
    ("retried", "success"),
    ("staff-role-changed", "success"),
    ("staff-removed", "success"),
    ("token-revoked", "success"),
    ("objection-filed", "success"),
    ("notice-filed", "success"),
    ("notice-withdrawn", "success"),
    ("calendar-saved", "success"),
    ("payment-recorded", "success"),
    ("payment-known", "success"),
    ("refund-recorded", "success"),
    ("quote-recorded", "success"),
    ("promotion-saved", "success"),
    ("receipt-recorded", "success"),
    ("receipt-matched", "success"),
    ("plan-created", "success"),
    ("price-added", "success"),
    ("documents-saved", "success"),
    ("act-objected", "success"),
    ("copy-requested", "success"),
    ("copy-done", "success"),
    ("profile-saved", "success"),
    ("student-signed-up", "success"),
    ("enrolled", "success"),
    ("lesson-complete", "success"),
    ("course-complete", "success"),
    ("course-created", "success"),
    ("course-saved", "success"),
    ("module-added", "success"),
    ("lesson-added", "success"),
    ("lesson-deleted", "success"),
    ("student-added", "success"),
    ("students-imported", "success"),
    ("group-created", "success"),
    ("student-enrolled", "success"),
    ("student-grouped", "success"),
    ("group-enrolled", "success"),
    ("moved-to-trash", "success"),
    ("restored", "success"),
    ("teachers-saved", "success"),
    ("logo-saved", "success"),
    ("logo-missing", "error"),
    ("invitation-resent", "success"),
    ("embed-hosts-saved", "success"),
    ("lesson-saved", "success"),
    ("tenant-blocked", "success"),
    ("tenant-unblocked", "success"),
    ("tenant-terminated", "success"),
    ("trial-plan-saved", "success"),
    ("api-write-on", "success"),
    ("api-write-off", "success"),
    ("privacy-saved", "success"),
    ("marketing-withdrawn", "success"),
];

/// A 303 redirect that shows a flash message (a key of [`FLASH_KEYS`]) on the next page.
pub fn redirect_with_flash(state: &AppState, to: &str, key: &'static str) -> Response {
    debug_assert!(FLASH_KEYS.iter().any(|(k, _)| *k == key), "{key}");
    let mut res = Redirect::to(to).into_response();
    *res.status_mut() = StatusCode::SEE_OTHER;
    let cookie = format!(
        "{FLASH_COOKIE}={key}; Path=/; Max-Age=60; HttpOnly; SameSite=Lax{}",
        crate::auth::secure_attr(state)
    );
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

/// Percent-encodes a value for a query parameter (a path's slashes stay as they are).
pub fn encode_param(value: &str) -> String {
    use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
    const KEEP: &percent_encoding::AsciiSet = &NON_ALPHANUMERIC
        .remove(b'/')
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    utf8_percent_encode(value, KEEP).to_string()
}

fn take_flash(state: &AppState, headers: &HeaderMap, lang: Lang) -> Option<Flash> {
    let key = cookie(headers, FLASH_COOKIE)?;
    let (key, kind) = FLASH_KEYS.iter().find(|(k, _)| *k == key)?;
    Some(Flash {
        kind,
        text: state.i18n().t(lang, &format!("flash-{key}")),
    })
}

/// What every page's layout needs.
pub struct Layout<'a> {
    pub lang: Lang,
    pub path: String,
    pub flash: Option<Flash>,
    /// Whether the request carries a session cookie: the header then offers the cabinet and
    /// signing out instead of signing in.
    pub signed_in: bool,
    /// Where "my cabinet" leads: `/operator` for operator staff.
    pub home: &'static str,
    /// A page of a signed-in person: never stored by caches.
    private: bool,
    state: &'a AppState,
}

impl<'a> Layout<'a> {
    pub fn new(state: &'a AppState, headers: &HeaderMap, path: &str) -> Self {
        let lang = request_lang(headers);
        Self {
            lang,
            path: path.to_owned(),
            flash: take_flash(state, headers, lang),
            signed_in: crate::auth::session_secret(headers).is_some(),
            home: "/cabinet",
            private: false,
            state,
        }
    }

    /// The layout of a page for a signed-in person.
    pub fn for_user(
        state: &'a AppState,
        headers: &HeaderMap,
        path: &str,
        who: &educenter_services::access::Principal,
    ) -> Self {
        let mut l = Self::new(state, headers, path);
        l.signed_in = true;
        l.private = true;
        if who.kind == "operator" {
            l.home = "/operator";
        }
        l
    }

    /// A message with arguments.
    pub fn t_args(&self, key: &str, args: &[(&str, String)]) -> String {
        let mut fa = fluent_bundle::FluentArgs::new();
        for (k, v) in args {
            fa.set(*k, v.clone());
        }
        self.state.i18n().t_args(self.lang, key, &fa)
    }

    /// A term in months, with the plural form the number needs ("1 месяц", "3 месяца").
    pub fn months(&self, n: i64) -> String {
        let mut fa = fluent_bundle::FluentArgs::new();
        fa.set("months", n);
        self.state.i18n().t_args(self.lang, "pricing-term", &fa)
    }

    /// A local date (`YYYY-MM-DD`) as people read it in this language.
    pub fn date(&self, on: &str) -> String {
        on.parse::<jiff::civil::Date>()
            .map(|d| educenter_services::i18n::format_date(self.lang, d))
            .unwrap_or_else(|_| on.to_owned())
    }

    /// An instant in Almaty time as people read it: the date in words and the time ("3
    /// февраля 2027 г., 14:05").
    pub fn instant(&self, at: &jiff::Timestamp) -> String {
        let local = educenter_domain::clock::almaty().to_datetime(*at);
        format!(
            "{}, {}",
            educenter_services::i18n::format_date(self.lang, local.date()),
            local.strftime("%H:%M")
        )
    }

    /// A month (`YYYY-MM`) as people name it ("декабрь 2026 г.").
    pub fn month(&self, month: &str) -> String {
        educenter_services::i18n::format_month(self.lang, month)
    }

    /// A licence state in words.
    pub fn state_name(&self, state: &str) -> String {
        self.t(&format!("state-{state}"))
    }

    pub fn t(&self, key: &str) -> String {
        self.state.i18n().t(self.lang, key)
    }

    /// The catalogs (to ask whether a message exists).
    pub fn state_i18n(&self) -> &educenter_services::i18n::I18n {
        self.state.i18n()
    }

    /// A message of the service layer in the page's language.
    pub fn say(&self, msg: &educenter_services::Msg) -> String {
        msg.render(self.lang)
    }

    pub fn asset(&self, name: &str) -> String {
        asset_url(name)
    }

    /// The current path, percent-encoded for a `next=` query parameter.
    pub fn next_param(&self) -> String {
        encode_param(&self.path)
    }

    /// (code, native name, is current) for the language switch.
    pub fn languages(&self) -> Vec<(&'static str, &'static str, bool)> {
        Lang::ALL
            .iter()
            .map(|l| (l.code(), l.native_name(), *l == self.lang))
            .collect()
    }

    /// Renders a page, clearing a flash message once it has been shown.
    pub fn render(&self, status: StatusCode, page: &impl Template) -> Response {
        match page.render() {
            Ok(html) => {
                let mut res = (status, Html(html)).into_response();
                res.headers_mut().insert(
                    header::CONTENT_LANGUAGE,
                    HeaderValue::from_static(self.lang.code()),
                );
                if self.private {
                    res.headers_mut().insert(
                        header::CACHE_CONTROL,
                        HeaderValue::from_static("no-store, private"),
                    );
                }
                if self.flash.is_some() {
                    res.headers_mut().append(
                        header::SET_COOKIE,
                        HeaderValue::from_static(
                            "flash=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax",
                        ),
                    );
                }
                res
            }
            Err(e) => {
                tracing::error!(error = %e, "template rendering failed");
                let text = self.t("error-generic-text");
                (StatusCode::INTERNAL_SERVER_ERROR, text).into_response()
            }
        }
    }
}

#[derive(Template)]
#[template(path = "landing.html")]
struct LandingPage<'a> {
    l: Layout<'a>,
    features: Vec<(String, String)>,
}

async fn landing(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let l = Layout::new(&state, &headers, "/");
    let features = ["courses", "students", "billing", "languages"]
        .iter()
        .map(|f| {
            (
                l.t(&format!("feature-{f}-title")),
                l.t(&format!("feature-{f}-text")),
            )
        })
        .collect();
    let page = LandingPage { l, features };
    page.l.render(StatusCode::OK, &page)
}

#[derive(Deserialize)]
struct SwitchQuery {
    next: Option<String>,
}

/// Sets the interface language and goes back to the page the person was on.
async fn switch_lang(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<SwitchQuery>,
    headers: HeaderMap,
) -> Response {
    let Some(lang) = Lang::from_code(&code) else {
        return error_page(&state, request_lang(&headers), StatusCode::NOT_FOUND);
    };
    let next = q
        .next
        .filter(|n| is_local_path(n))
        .unwrap_or_else(|| "/".to_owned());
    let secure = if state.config().public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let mut res = Redirect::to(&next).into_response();
    *res.status_mut() = StatusCode::SEE_OTHER;
    for cookie in [
        format!(
            "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax{secure}",
            lang.code()
        ),
        format!("{FLASH_COOKIE}=lang-changed; Path=/; Max-Age=60; HttpOnly; SameSite=Lax{secure}"),
    ] {
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

/// A path on this site, safe to redirect to: it starts with one `/` and holds only URL path
/// and query characters (no control characters, spaces or backslashes, which browsers may
/// strip or rewrite into `//other.site`).
pub(crate) fn is_local_path(next: &str) -> bool {
    next.starts_with('/')
        && !next.starts_with("//")
        && next.len() <= 2000
        && next.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'/' | b'-' | b'_' | b'.' | b'~' | b'%' | b'?' | b'=' | b'&' | b'+' | b'#'
                )
        })
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    l: Layout<'a>,
    status: u16,
    title: String,
    text: String,
}

/// A friendly error page in the visitor's language.
pub fn error_page(state: &AppState, lang: Lang, status: StatusCode) -> Response {
    let (title, text) = match status {
        StatusCode::NOT_FOUND => ("error-404-title", "error-404-text"),
        // A school's site that is closed (licence or block): neutral, nothing about why.
        StatusCode::SERVICE_UNAVAILABLE => ("error-503-title", "error-503-text"),
        _ => ("error-generic-title", "error-generic-text"),
    };
    error_page_with(state, lang, status, title, text)
}

/// An error page with a title and text of the catalogs.
pub fn error_page_with(
    state: &AppState,
    lang: Lang,
    status: StatusCode,
    title: &str,
    text: &str,
) -> Response {
    let l = Layout {
        lang,
        path: String::new(),
        flash: None,
        signed_in: false,
        home: "/cabinet",
        private: false,
        state,
    };
    let (title, text) = (l.t(title), l.t(text));
    let page = ErrorPage {
        l,
        status: status.as_u16(),
        title,
        text,
    };
    page.l.render(status, &page)
}

/// Why the school may not work now, for the banner of the pages its owner keeps (billing,
/// documents, the contract): the block, or the licence state (with the day the data would be
/// deleted, when known); `None` while the school works.
pub fn restricted_banner(
    l: &Layout<'_>,
    who: &educenter_services::access::Principal,
    purge_on: Option<&str>,
    support: &str,
) -> Option<String> {
    if who.school_open() {
        return None;
    }
    let purge = purge_on.map(|d| l.date(d)).unwrap_or_default();
    let key = match (who.blocked.as_deref(), who.licence_state.as_deref()) {
        (Some("refusal"), _) => "cabinet-blocked-refusal".to_owned(),
        (Some(_), _) => "restricted-blocked".to_owned(),
        (None, Some(state @ ("lapsed" | "terminated"))) if !purge.is_empty() => {
            format!("restricted-{state}-purge")
        }
        (None, Some(state)) => format!("restricted-{state}"),
        (None, None) => return None,
    };
    Some(l.t_args(&key, &[("purge", purge), ("support", support.to_owned())]))
}

/// The page for someone of a school that may not work now (SPEC 3.0): its licence is not paid
/// (403, `licence-inactive-*`) or a block is in force (403, `blocked-*`).
pub fn closed_page(state: &AppState, lang: Lang, e: &ServiceError) -> Response {
    let (status, prefix) = match e {
        ServiceError::Blocked(_) => (StatusCode::FORBIDDEN, "blocked"),
        ServiceError::LicenceInactive(_) => (StatusCode::FORBIDDEN, "licence-inactive"),
        _ => return error_page(state, lang, StatusCode::FORBIDDEN),
    };
    let l = Layout {
        lang,
        path: String::new(),
        flash: None,
        signed_in: true,
        home: "/cabinet",
        private: true,
        state,
    };
    let page = MessagePage {
        next: None,
        title: l.t(&format!("{prefix}-title")),
        text: l.t(&format!("{prefix}-text")),
        kind: "error",
        l,
    };
    page.l.render(status, &page)
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage<'a> {
    l: Layout<'a>,
    title: String,
    text: String,
    kind: &'static str,
    /// Where to go on (address, label) instead of the home page.
    next: Option<(String, String)>,
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
}

#[derive(Deserialize)]
struct ResendForm {
    #[serde(default)]
    token: String,
}

/// A new verification link for whoever holds an expired one.
async fn resend_verification(
    State(state): State<AppState>,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<ResendForm>,
) -> Response {
    match verification::resend_by_link(state.services(), &form.token, origin.0).await {
        Ok(true) => {
            let l = Layout::new(&state, &headers, "/verify-email");
            let page = MessagePage {
                next: None,
                title: l.t("verify-title"),
                text: l.t("flash-verification-sent"),
                kind: "success",
                l,
            };
            page.l.render(StatusCode::OK, &page)
        }
        Ok(false) => {
            let l = Layout::new(&state, &headers, "/verify-email");
            let page = MessagePage {
                next: None,
                title: l.t("verify-title"),
                text: l.t("verify-invalid"),
                kind: "error",
                l,
            };
            page.l.render(StatusCode::NOT_FOUND, &page)
        }
        Err(e) => failure_page(&state, &headers, "/", e),
    }
}

/// The e-mailed verification link (R-2.2b): 200 when verified, 410 when expired or used.
async fn verify_email(
    State(state): State<AppState>,
    Query(q): Query<VerifyQuery>,
    origin: ClientOrigin,
    headers: HeaderMap,
) -> Response {
    let l = Layout::new(&state, &headers, "/verify-email");
    let (status, key, kind) =
        match verification::verify_email(state.services(), &q.token, origin.0).await {
            Ok(Verification::Verified) => (StatusCode::OK, "verify-ok", "success"),
            Ok(Verification::Expired) => {
                // The expired link's own page sends a new one: no sign-in needed.
                let page = VerifyExpired { l, token: q.token };
                return page.l.render(StatusCode::GONE, &page);
            }
            Ok(Verification::AlreadyUsed) => (StatusCode::GONE, "verify-used", "error"),
            Ok(Verification::Unknown) => (StatusCode::NOT_FOUND, "verify-invalid", "error"),
            Err(e) => {
                tracing::error!(error = %e, "e-mail verification failed");
                return error_page(&state, l.lang, StatusCode::INTERNAL_SERVER_ERROR);
            }
        };
    let page = MessagePage {
        next: None,
        title: l.t("verify-title"),
        text: l.t(key),
        kind,
        l,
    };
    page.l.render(status, &page)
}

/// Paragraphs of a contract text. Texts taken from a PDF break lines mid-sentence, so a line
/// continues the paragraph unless it starts a numbered clause ("2.", "4.1.") or the previous
/// line ended a sentence.
fn paragraphs(text: &str) -> Vec<String> {
    let starts_clause = |line: &str| {
        let head: String = line
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        head.len() >= 2 && head.ends_with('.') && head.starts_with(|c: char| c.is_ascii_digit())
    };
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let ended = current.ends_with(['.', ':', ';', '!', '?']);
        if !current.is_empty() && (starts_clause(line) || ended) {
            out.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(line);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{encode_param, is_local_path, paragraphs};

    #[test]
    fn query_parameters_are_percent_encoded_but_paths_keep_their_slashes() {
        assert_eq!(
            encode_param("/s/a-b_c.d~/урок?x=1&y=2 z"),
            "/s/a-b_c.d~/%D1%83%D1%80%D0%BE%D0%BA%3Fx%3D1%26y%3D2%20z"
        );
    }

    #[test]
    fn contract_text_is_split_into_clauses() {
        let pdf = "1. Термины\n\n1.1. Оферта — публичное\n\nпредложение.\n\n1.2. Акцепт —\n\nполное принятие.";
        assert_eq!(
            paragraphs(pdf),
            [
                "1. Термины",
                "1.1. Оферта — публичное предложение.",
                "1.2. Акцепт — полное принятие."
            ]
        );
        assert_eq!(
            paragraphs("First one.\n\nSecond one."),
            ["First one.", "Second one."]
        );
    }

    #[test]
    fn only_local_paths_are_redirect_targets() {
        for ok in ["/", "/courses?page=2", "/s/alma-school/", "/a%20b"] {
            assert!(is_local_path(ok), "{ok}");
        }
        for bad in [
            "//evil.example",
            "/\t/evil.example",
            "/\\evil",
            "https://evil.example",
            "/\n",
            "/a b",
            "evil",
        ] {
            assert!(!is_local_path(bad), "{bad:?}");
        }
    }
}

/// A page that sets a password through an e-mailed link: an invitation or a reset.
struct PasswordFlow {
    path: &'static str,
    /// The message keys' prefix: `invitation` or `reset`.
    keys: &'static str,
    purpose: &'static str,
}

const INVITATION: PasswordFlow = PasswordFlow {
    path: "/invitation",
    keys: "invitation",
    purpose: "invitation",
};
const RESET: PasswordFlow = PasswordFlow {
    path: "/reset-password",
    keys: "reset",
    purpose: "reset_password",
};

#[derive(Template)]
#[template(path = "set_password.html")]
struct PasswordPage<'a> {
    l: Layout<'a>,
    title: String,
    lead: String,
    submit: String,
    action: &'static str,
    token: String,
    error: Option<String>,
}

fn password_page<'a>(
    state: &'a AppState,
    headers: &HeaderMap,
    flow: &PasswordFlow,
    token: String,
    error: Option<String>,
) -> PasswordPage<'a> {
    let l = Layout::new(state, headers, flow.path);
    PasswordPage {
        title: l.t(&format!("{}-title", flow.keys)),
        lead: l.t(&format!("{}-lead", flow.keys)),
        submit: l.t(&format!("{}-submit", flow.keys)),
        action: flow.path,
        token,
        error,
        l,
    }
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
}

async fn invitation_form(
    State(state): State<AppState>,
    Query(q): Query<VerifyQuery>,
    headers: HeaderMap,
) -> Response {
    let page = password_page(&state, &headers, &INVITATION, q.token, None);
    page.l.render(StatusCode::OK, &page)
}

async fn invitation_submit(
    State(state): State<AppState>,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<PasswordForm>,
) -> Response {
    password_submit(&state, origin, &headers, &INVITATION, form).await
}

async fn reset_form(
    State(state): State<AppState>,
    Query(q): Query<VerifyQuery>,
    headers: HeaderMap,
) -> Response {
    let page = password_page(&state, &headers, &RESET, q.token, None);
    page.l.render(StatusCode::OK, &page)
}

async fn reset_submit(
    State(state): State<AppState>,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<PasswordForm>,
) -> Response {
    password_submit(&state, origin, &headers, &RESET, form).await
}

/// Sets the password; a weak one is said beside the field and changes nothing.
async fn password_submit(
    state: &AppState,
    origin: ClientOrigin,
    headers: &HeaderMap,
    flow: &PasswordFlow,
    form: PasswordForm,
) -> Response {
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
            let text = if flow.purpose == "invitation" {
                let mut args = fluent_bundle::FluentArgs::new();
                args.set("email", email);
                args.set("slug", slug.clone());
                if operator {
                    next = Some(("/login".to_owned(), state.i18n().t(lang, "nav-sign-in")));
                    state
                        .i18n()
                        .t_args(lang, "invitation-accepted-operator", &args)
                } else if learner {
                    // A student studies on the school's site, not in the cabinet.
                    next = Some((
                        format!("/s/{slug}/login"),
                        state.i18n().t(lang, "school-login-title"),
                    ));
                    state
                        .i18n()
                        .t_args(lang, "invitation-accepted-learner", &args)
                } else {
                    next = Some(("/login".to_owned(), state.i18n().t(lang, "nav-sign-in")));
                    state.i18n().t_args(lang, "invitation-accepted", &args)
                }
            } else {
                t("done")
            };
            (StatusCode::OK, text, "success")
        }
        Ok(PasswordLink::Expired) => {
            if flow.purpose == "reset_password" {
                next = Some((
                    "/forgot-password".to_owned(),
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
            let page = password_page(state, headers, flow, form.token, Some(message));
            return page.l.render(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
        Err(e) => {
            tracing::error!(error = %e, "setting a password by link failed");
            return error_page(state, lang, StatusCode::INTERNAL_SERVER_ERROR);
        }
    };
    let l = Layout::new(state, headers, flow.path);
    let page = MessagePage {
        next,
        title: t("title"),
        text,
        kind,
        l,
    };
    page.l.render(status, &page)
}

#[derive(Template)]
#[template(path = "offer.html")]
struct OfferPage<'a> {
    l: Layout<'a>,
    heading: String,
    is_current: bool,
    summary: String,
    note: Option<String>,
    text_lang: &'static str,
    paragraphs: Vec<String>,
    archive: Vec<(String, String)>,
}

/// The offer in force (R-2.3a).
async fn offer_current(State(state): State<AppState>, headers: HeaderMap) -> Response {
    render_offer(&state, &headers, None).await
}

/// An earlier (or the current) version, `/offer/v3`; every published version stays readable.
async fn offer_version(
    State(state): State<AppState>,
    Path(version): Path<String>,
    headers: HeaderMap,
) -> Response {
    match version
        .strip_prefix('v')
        .and_then(|n| n.parse::<i64>().ok())
    {
        Some(n) => render_offer(&state, &headers, Some(n)).await,
        None => error_page(&state, request_lang(&headers), StatusCode::NOT_FOUND),
    }
}

async fn render_offer(state: &AppState, headers: &HeaderMap, number: Option<i64>) -> Response {
    use educenter_services::store::offers;
    let services = state.services();
    let now = services.clock.now();
    let lang = request_lang(headers);
    let published = match offers::published(&services.db, now).await {
        Ok(p) => p,
        Err(e) => {
            tracing::error!(error = %e, "reading offer versions failed");
            return error_page(state, lang, StatusCode::INTERNAL_SERVER_ERROR);
        }
    };
    let Some(&(current, _)) = published.first() else {
        return error_page(state, lang, StatusCode::NOT_FOUND);
    };
    let number = number.unwrap_or(current);
    if !published.iter().any(|(n, _)| *n == number) {
        return error_page(state, lang, StatusCode::NOT_FOUND);
    }
    let offer = match offers::get(&services.db, number).await {
        Ok(Some(o)) => o,
        _ => return error_page(state, lang, StatusCode::NOT_FOUND),
    };
    let path = if number == current {
        "/offer".to_owned()
    } else {
        format!("/offer/v{number}")
    };
    let l = Layout::new(state, headers, &path);
    let date_label = |on: &str| {
        on.parse::<jiff::civil::Date>()
            .map(|d| educenter_services::i18n::format_date(lang, d))
            .unwrap_or_else(|_| on.to_owned())
    };
    let version_label = |n: i64, on: &str| {
        let mut args = fluent_bundle::FluentArgs::new();
        args.set("number", n);
        args.set("date", date_label(on));
        state.i18n().t_args(lang, "offer-version", &args)
    };
    let (text, text_lang, note) = match (&offer.text_kk, lang) {
        (Some(kk), Lang::Kk) => (kk.clone(), "kk", None),
        (None, Lang::Kk) => (offer.text_ru.clone(), "ru", Some(l.t("offer-kk-missing"))),
        (_, Lang::En) => (offer.text_ru.clone(), "ru", Some(l.t("offer-en-missing"))),
        _ => (offer.text_ru.clone(), "ru", None),
    };
    let paragraphs = paragraphs(&text);
    let archive = published
        .iter()
        .map(|(n, on)| (format!("/offer/v{n}"), version_label(*n, on)))
        .collect();
    let page = OfferPage {
        heading: version_label(offer.number, &offer.published_on),
        is_current: number == current,
        // The shipped first version has no change summary worth showing.
        summary: if offer.number == 1 {
            String::new()
        } else {
            offer.change_summary.clone()
        },
        note,
        text_lang,
        paragraphs,
        archive,
        l,
    };
    page.l.render(StatusCode::OK, &page)
}

/// The page for a service's refusal, in the reader's language: what was refused and why (the
/// service's message), never its English text or a field's code. `home` is the section the
/// page belongs to. Our own failures are logged and get the generic page.
pub fn failure_page(
    state: &AppState,
    headers: &HeaderMap,
    home: &str,
    e: educenter_services::ServiceError,
) -> Response {
    use educenter_services::ServiceError as E;
    let lang = request_lang(headers);
    let (status, key) = match &e {
        E::NotFound(_) => return error_page(state, lang, StatusCode::NOT_FOUND),
        E::LicenceInactive(_) => {
            let l = Layout::new(state, headers, home);
            let page = MessagePage {
                next: None,
                title: l.t("licence-inactive-title"),
                text: l.t("licence-inactive-text"),
                kind: "error",
                l,
            };
            return page.l.render(StatusCode::FORBIDDEN, &page);
        }
        E::Forbidden(_) | E::Blocked(_) | E::CodeRequired => {
            (StatusCode::FORBIDDEN, "error-forbidden")
        }
        E::Conflict(_) => (StatusCode::CONFLICT, "error-conflict"),
        E::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "error-invalid"),
        E::Gone(_) => (StatusCode::GONE, "error-conflict"),
        E::TooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "error-invalid"),
        E::Unsupported(_) => (StatusCode::UNSUPPORTED_MEDIA_TYPE, "error-invalid"),
        E::LengthRequired(_) => (StatusCode::LENGTH_REQUIRED, "error-invalid"),
        E::TooManyRequests(_) => (StatusCode::TOO_MANY_REQUESTS, "error-too-many"),
        E::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "error-forbidden"),
        E::Store(_) | E::Internal(_) => {
            tracing::error!(error = %e, path = home, "a page's action failed");
            return error_page(state, lang, StatusCode::INTERNAL_SERVER_ERROR);
        }
    };
    let l = Layout::new(state, headers, home);
    let text = match &e {
        E::Invalid(found) => found
            .iter()
            .map(|(_, message)| l.say(message))
            .collect::<Vec<_>>()
            .join(" "),
        E::TooManyRequests(secs) => l.t_args(
            "error-too-many-text",
            &[("minutes", secs.div_ceil(60).max(1).to_string())],
        ),
        _ => e.message().map(|m| l.say(&m)).unwrap_or_default(),
    };
    let page = MessagePage {
        next: None,
        title: l.t(key),
        text,
        kind: "error",
        l,
    };
    let mut res = page.l.render(status, &page);
    if let E::TooManyRequests(secs) = e
        && let Ok(v) = axum::http::HeaderValue::from_str(&secs.to_string())
    {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
    res
}
