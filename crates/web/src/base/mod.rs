//! The web layer's base, below the pages and the extractors: cookies (the session's, the
//! language's, the flash message's), the language of a request, flash messages, safe local
//! paths, the layout every page renders in, error pages, the one page error, and static
//! assets. It names nothing of `pages` or `auth`, which both build on it.

pub mod assets;
pub mod failure;
pub mod layout;
pub mod nav;

use axum::{
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};

use crate::{AppState, i18n::Lang};

/// The cookie that carries a browser session's secret.
pub const SESSION_COOKIE: &str = "session";

/// Where a person goes to set up two-step sign-in (and see their sessions): every other page
/// leads there while it is required of them and not set up.
pub const SECURITY_PAGE: &str = "/account/security";

/// The session secret of a browser request, from its cookie.
pub fn session_secret(headers: &axum::http::HeaderMap) -> Option<&str> {
    cookie(headers, SESSION_COOKIE).filter(|s| !s.is_empty())
}

/// `Set-Cookie` for a new browser session: HttpOnly, SameSite=Lax, Secure behind https, for
/// the session's absolute lifetime (the server ends it earlier when idle).
pub fn session_cookie(state: &AppState, secret: &str) -> String {
    format!(
        "{SESSION_COOKIE}={secret}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax{}",
        educenter_services::sessions::WEB_ABSOLUTE_LIFETIME.as_secs(),
        secure_attr(state)
    )
}

/// `Set-Cookie` that removes the session cookie.
pub fn clear_session_cookie(state: &AppState) -> String {
    format!(
        "{SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{}",
        secure_attr(state)
    )
}

/// `; Secure` behind https.
pub fn secure_attr(state: &AppState) -> &'static str {
    if state.config().public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    }
}

pub(crate) const LANG_COOKIE: &str = "lang";

pub(crate) const FLASH_COOKIE: &str = "flash";

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
pub(crate) const FLASH_KEYS: &[(&str, &str)] = &[
    ("lang-changed", "success"),
    ("questions-imported", "success"),
    ("question-deleted", "success"),
    ("question-saved", "success"),
    ("question-created", "success"),
    ("category-saved", "success"),
    ("category-deleted", "success"),
    ("answers-saved", "success"),
    ("quiz-added", "success"),
    ("attempt-graded", "success"),
    ("answer-sent", "success"),
    ("comment-sent", "success"),
    ("work-accepted", "success"),
    ("work-returned", "success"),
    ("work-not-waiting", "error"),
    ("answer-refused", "error"),
    ("certificate-revoked", "success"),
    ("lesson-duplicated", "success"),
    ("course-copied", "success"),
    ("attempt-unchanged", "success"),
    ("attempt-submitted", "success"),
    ("attempt-closed", "error"),
    ("signed-in", "success"),
    ("signed-up", "success"),
    ("signed-out", "success"),
    ("signed-out-everywhere", "success"),
    ("staff-invited", "success"),
    ("trial-changed", "success"),
    ("plan-moved", "success"),
    ("checklist-dismissed", "success"),
    ("checklist-shown", "success"),
    ("verification-sent", "success"),
    ("retried", "success"),
    ("backup-queued", "success"),
    ("staff-role-changed", "success"),
    ("staff-removed", "success"),
    ("token-revoked", "success"),
    ("mfa-disabled", "success"),
    ("session-ended", "success"),
    ("staff-mfa-saved", "success"),
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
    ("student-signed-up-enrolled", "success"),
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
    ("brand-saved", "success"),
    ("logo-missing", "error"),
    ("student-delete-unconfirmed", "error"),
    ("student-deleted", "success"),
    ("student-archived", "success"),
    ("deletion-requested", "success"),
    ("export-requested", "success"),
    ("disclosure-recorded", "success"),
    ("incident-recorded", "success"),
    ("incident-closed", "success"),
    ("disclosure-approved", "success"),
    ("disclosure-generated", "success"),
    ("case-recorded", "success"),
    ("case-closed", "success"),
    ("fm-recorded", "success"),
    ("fm-notified", "success"),
    ("fm-evidence-asked", "success"),
    ("fm-attached", "success"),
    ("deletion-undone", "success"),
    ("school-purged", "success"),
    ("account-deleted", "success"),
    ("invitation-resent", "success"),
    ("embed-hosts-saved", "success"),
    ("lesson-saved", "success"),
    ("lesson-published", "success"),
    ("lesson-unpublished", "success"),
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
        secure_attr(state)
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

pub(crate) fn take_flash(state: &AppState, headers: &HeaderMap, lang: Lang) -> Option<Flash> {
    let key = cookie(headers, FLASH_COOKIE)?;
    let (key, kind) = FLASH_KEYS.iter().find(|(k, _)| *k == key)?;
    Some(Flash {
        kind,
        text: state.i18n().t(lang, &format!("flash-{key}")),
    })
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
