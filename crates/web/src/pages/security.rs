//! `/account/security` (issue 18, item 5): a person's two-step sign-in (setting up an
//! authenticator app with its QR code, the recovery codes shown once, renewing them, switching
//! it off where it is not required), their live sessions with a sign-out for each, and, for a
//! school's owner, whether the school's staff must sign in in two steps. Reached by anyone
//! signed in, even while two-step sign-in is required of them and not yet set up: every other
//! page leads here until it is.

use askama::Template;
use axum::{
    Form, Router,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::Response,
    routing::{get, post},
};
use educenter_domain::roles::AccountKind;
use educenter_services::{
    ServiceError,
    access::Principal,
    mfa::{self, Enrolment},
    sessions::{self, SessionView},
};
use serde::Deserialize;

use super::{Layout, PageResult, forms::Field, redirect_with_flash};
use crate::{
    AppState, ClientOrigin,
    auth::{SECURITY_PAGE, SelfUser},
};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(SECURITY_PAGE, get(page))
        .route("/account/security/totp", post(start))
        .route("/account/security/totp/confirm", post(confirm))
        .route("/account/security/totp/disable", post(disable))
        .route("/account/security/recovery-codes", post(renew))
        .route("/account/security/sessions/{id}/end", post(end_session))
        .route("/account/security/staff", post(staff_requirement))
}

#[derive(Template)]
#[template(path = "security.html")]
struct SecurityPage<'a> {
    l: Layout<'a>,
    status: mfa::Status,
    /// Two-step sign-in is required and not yet on: nothing else opens until it is.
    must_set_up: bool,
    /// The authenticator waiting for its first code.
    enrolment: Option<Enrolment>,
    /// The field of the code (with its error after a wrong one), and the one of switching off.
    code: Field,
    off_code: Field,
    /// Recovery codes just made: shown this once.
    recovery_codes: Vec<String>,
    sessions: Vec<SessionView>,
    /// The owner's choice for the school's staff (`None`: not the owner).
    staff_required: Option<bool>,
}

/// What the page shows besides what is stored.
#[derive(Default)]
struct Shown {
    /// The error of a wrong code, and whether it was the code that switches off.
    code_error: Option<(String, bool)>,
    recovery_codes: Vec<String>,
}

async fn render(
    state: &AppState,
    headers: &HeaderMap,
    who: &Principal,
    shown: Shown,
    status: StatusCode,
) -> PageResult {
    let services = state.services();
    let l = Layout::for_user(state, headers, SECURITY_PAGE, who);
    let mfa_status = mfa::status(services, who).await?;
    // The waiting secret is read only when one waits.
    let enrolment = if mfa_status.pending {
        mfa::pending(services, who).await?
    } else {
        None
    };
    // The sessions list needs the school's work to be open; the person's own sign-in does not.
    let sessions = if who.mfa_missing {
        Vec::new()
    } else {
        let all = educenter_services::store::page::PageRequest {
            limit: educenter_services::store::page::MAX_LIMIT,
            after: None,
        };
        sessions::list(services, who, all).await?.items
    };
    let staff_required = if who.kind == AccountKind::Owner && who.school_open() {
        Some(mfa::staff_requirement(services, who).await?)
    } else {
        None
    };
    let code_field = |name: &'static str| {
        let mut f = Field::new(&l, name, "text").autocomplete("one-time-code");
        f.label = l.t("security-code");
        f.hint = Some(l.t("field-totp-hint"));
        f
    };
    let (mut code, mut off_code) = (code_field("code"), code_field("off_code"));
    if enrolment.is_some() {
        // Switching on takes the app's code only.
        code.hint = Some(l.t("security-code-hint"));
    }
    match shown.code_error {
        Some((e, true)) => off_code.error = Some(e),
        Some((e, false)) => code.error = Some(e),
        None => {}
    }
    let page = SecurityPage {
        must_set_up: mfa_status.required && !mfa_status.enabled,
        status: mfa_status,
        enrolment,
        code,
        off_code,
        recovery_codes: shown.recovery_codes,
        sessions,
        staff_required,
        l,
    };
    Ok(page.l.render(status, &page))
}

async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
    SelfUser(who): SelfUser,
) -> PageResult {
    render(&state, &headers, &who, Shown::default(), StatusCode::OK).await
}

/// Starts setting up an authenticator (or replaces the one waiting); the page shows its QR code.
async fn start(
    State(state): State<AppState>,
    headers: HeaderMap,
    SelfUser(who): SelfUser,
) -> PageResult {
    match mfa::start(state.services(), &who).await {
        Ok(_) | Err(ServiceError::Conflict(_)) => {}
        Err(e) => return Err(e.into()),
    }
    render(&state, &headers, &who, Shown::default(), StatusCode::OK).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CodeForm {
    #[serde(alias = "off_code")]
    code: String,
}

/// The page again with the error of a wrong code beside its field, or the recovery codes.
async fn after_code(
    state: &AppState,
    headers: &HeaderMap,
    who: &Principal,
    result: Result<Vec<String>, ServiceError>,
    switching_off: bool,
) -> PageResult {
    match result {
        Ok(codes) => {
            let shown = Shown {
                recovery_codes: codes,
                ..Shown::default()
            };
            render(state, headers, who, shown, StatusCode::OK).await
        }
        Err(ServiceError::Invalid(errors)) => {
            let l = Layout::new(state, headers, SECURITY_PAGE);
            let shown = Shown {
                code_error: errors.first().map(|(_, m)| (l.say(m), switching_off)),
                ..Shown::default()
            };
            render(state, headers, who, shown, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn confirm(
    State(state): State<AppState>,
    headers: HeaderMap,
    SelfUser(who): SelfUser,
    origin: ClientOrigin,
    Form(form): Form<CodeForm>,
) -> PageResult {
    let result = mfa::confirm(state.services(), &who, &form.code, origin.0).await;
    after_code(&state, &headers, &who, result, false).await
}

async fn renew(
    State(state): State<AppState>,
    headers: HeaderMap,
    SelfUser(who): SelfUser,
    origin: ClientOrigin,
    Form(form): Form<CodeForm>,
) -> PageResult {
    let result = mfa::renew_recovery_codes(state.services(), &who, &form.code, origin.0).await;
    after_code(&state, &headers, &who, result, false).await
}

async fn disable(
    State(state): State<AppState>,
    headers: HeaderMap,
    SelfUser(who): SelfUser,
    origin: ClientOrigin,
    Form(form): Form<CodeForm>,
) -> PageResult {
    match mfa::disable(state.services(), &who, &form.code, origin.0).await {
        Ok(()) => Ok(redirect_with_flash(&state, SECURITY_PAGE, "mfa-disabled")),
        Err(e) => after_code(&state, &headers, &who, Err(e), true).await,
    }
}

async fn end_session(
    State(state): State<AppState>,
    SelfUser(who): SelfUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
) -> Result<Response, super::PageError> {
    // One's own sessions, whatever the state of the school, once two-step sign-in is set up
    // where it is required.
    if who.mfa_missing {
        return Err(ServiceError::MfaRequired.into());
    }
    sessions::end(state.services(), &who, &id, origin.0).await?;
    Ok(redirect_with_flash(&state, SECURITY_PAGE, "session-ended"))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct StaffForm {
    /// `on` when the box is ticked.
    required: String,
}

async fn staff_requirement(
    State(state): State<AppState>,
    SelfUser(who): SelfUser,
    origin: ClientOrigin,
    Form(form): Form<StaffForm>,
) -> PageResult {
    let required = !form.required.is_empty();
    mfa::require_for_staff(state.services(), &who, required, origin.0).await?;
    Ok(redirect_with_flash(
        &state,
        SECURITY_PAGE,
        "staff-mfa-saved",
    ))
}
