//! The layout every page renders in (language, flash, header links, caching), and the pages
//! of errors and refusals in the reader's language.

use askama::Template;
use axum::{
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{Html, IntoResponse, Response},
};
use educenter_domain::roles::AccountKind;
use educenter_services::ServiceError;

use super::{Flash, encode_param, request_lang, take_flash};
use crate::{AppState, i18n::Lang};

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
    /// The cabinet's side navigation (empty on other pages).
    pub side_nav: Vec<super::nav::NavLink>,
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
            signed_in: super::session_secret(headers).is_some(),
            home: "/cabinet",
            side_nav: Vec::new(),
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
        if who.kind == AccountKind::Operator {
            l.home = "/operator";
        }
        let nav = super::nav::cabinet_nav(who, path, |key| l.t(key));
        l.side_nav = nav;
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

    /// A local date (a date, or its `YYYY-MM-DD` text) as people read it in this language.
    pub fn date<D: educenter_services::i18n::LocalDate + ?Sized>(&self, on: &D) -> String {
        on.local_date()
            .map(|d| educenter_services::i18n::format_date(self.lang, d))
            .unwrap_or_else(|| on.to_string())
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

    /// A file's size as people read it ("1,5 МБ").
    pub fn size(&self, bytes: i64) -> String {
        educenter_services::i18n::format_size(self.lang, bytes)
    }

    /// A month (`YYYY-MM`) as people name it ("декабрь 2026 г.").
    pub fn month(&self, month: &str) -> String {
        educenter_services::i18n::format_month(self.lang, month)
    }

    /// A licence state in words.
    pub fn state_name(&self, state: &educenter_domain::billing::LicenceState) -> String {
        self.t(&format!("state-{state}"))
    }

    /// This page's path as a query parameter's value (the "report content" link names it).
    pub fn path_param(&self) -> String {
        super::encode_param(&self.path)
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
        super::assets::asset_url(name)
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
        side_nav: Vec::new(),
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
    purge_on: Option<jiff::civil::Date>,
    support: &str,
) -> Option<String> {
    if who.school_open() {
        return None;
    }
    let purge = purge_on.map(|d| l.date(&d)).unwrap_or_default();
    use educenter_domain::billing::LicenceState;
    let key = match (who.blocked, who.licence_state) {
        (Some(educenter_domain::tenancy::BlockReason::Refusal), _) => {
            "cabinet-blocked-refusal".to_owned()
        }
        (Some(_), _) => "restricted-blocked".to_owned(),
        (None, Some(state @ (LicenceState::Lapsed | LicenceState::Terminated)))
            if !purge.is_empty() =>
        {
            format!("restricted-{}-purge", state.as_str())
        }
        (None, Some(state)) => format!("restricted-{}", state.as_str()),
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
        side_nav: Vec::new(),
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
pub(crate) struct MessagePage<'a> {
    pub(crate) l: Layout<'a>,
    pub(crate) title: String,
    pub(crate) text: String,
    pub(crate) kind: &'static str,
    /// Where to go on (address, label) instead of the home page.
    pub(crate) next: Option<(String, String)>,
}

impl MessagePage<'_> {
    /// Where "back to the home page" leads.
    pub(crate) fn home(&self) -> &'static str {
        "/"
    }
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
        // Two-step sign-in is to be set up before anything else.
        E::MfaRequired => {
            return axum::response::Redirect::to(super::SECURITY_PAGE).into_response();
        }
        E::Forbidden(_) | E::Blocked(_) | E::CodeRequired => {
            (StatusCode::FORBIDDEN, "error-forbidden")
        }
        E::MfaCodeRequired => (StatusCode::UNAUTHORIZED, "error-forbidden"),
        E::Conflict(_) | E::Taken(..) => (StatusCode::CONFLICT, "error-conflict"),
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
