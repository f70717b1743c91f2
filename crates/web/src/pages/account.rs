//! Signing up, in and out in the browser (issue 3, items 2, 3 and 9), and the one-time set-up
//! of the first operator account.

use askama::Template;
use axum::{
    Form, Router,
    extract::{Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::Response,
    routing::{get, post},
};
use educenter_services::{
    ServiceError, accounts,
    sessions::{self, SessionKind},
};
use serde::Deserialize;

use super::{
    Layout, MessagePage, PageError, PageResult,
    forms::{Field, FieldErrors},
    is_local_path, redirect_with_flash, request_lang,
};
use crate::{
    AppState, ClientOrigin,
    auth::{self, SelfUser},
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/signup", get(signup_form).post(signup_submit))
        .route("/login", get(login_form).post(login_submit))
        .route("/login/choose", post(login_choose))
        .route("/login/code", post(login_code))
        .route("/logout", post(logout))
        .route("/logout-everywhere", post(logout_everywhere))
        .route("/forgot-password", get(forgot_form).post(forgot_submit))
        .route("/setup", get(setup_form).post(setup_submit))
}

#[derive(Template)]
#[template(path = "form.html")]
pub struct FormPage<'a> {
    pub l: Layout<'a>,
    pub title: String,
    pub lead: String,
    pub action: String,
    pub submit: String,
    pub fields: Vec<Field>,
    pub hidden: Vec<(&'static str, String)>,
    pub form_error: Option<String>,
    /// Links under the form: (href, text).
    pub links: Vec<(String, String)>,
}

impl FormPage<'_> {
    pub(super) fn respond(self, status: StatusCode) -> Response {
        self.l.render(status, &self)
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SignupForm {
    org_name: String,
    kind: String,
    bin_iin: String,
    resident: Option<String>,
    full_name: String,
    email: String,
    phone: String,
    password: String,
    slug: String,
    accept_offer: Option<String>,
}

/// The service's fields as the sign-up form names them.
const SIGNUP_FIELDS: &[(&str, &str)] = &[
    ("organization.name", "org_name"),
    ("organization.kind", "kind"),
    ("organization.bin_iin", "bin_iin"),
    ("owner.full_name", "full_name"),
    ("owner.email", "email"),
    ("owner.phone", "phone"),
    ("owner.password", "password"),
    ("slug", "slug"),
    ("accept_offer", "accept_offer"),
];

fn signup_page<'a>(
    state: &'a AppState,
    headers: &HeaderMap,
    form: &SignupForm,
    errors: &FieldErrors,
) -> FormPage<'a> {
    let l = Layout::new(state, headers, "/signup");
    let kinds = ["legal_entity", "sole_proprietor", "individual"]
        .iter()
        .map(|k| ((*k).to_owned(), l.t(&format!("kind-{k}"))))
        .collect();
    let checked = |v: &Option<String>| if v.is_some() { "on" } else { "" };
    let mut fields = vec![
        Field::new(&l, "org_name", "text")
            .value(&form.org_name)
            .autocomplete("organization"),
        Field::new(&l, "kind", "select")
            .value(if form.kind.is_empty() {
                "legal_entity"
            } else {
                &form.kind
            })
            .options(kinds),
        Field::new(&l, "bin_iin", "text")
            .value(&form.bin_iin)
            .hint(&l),
        Field::new(&l, "resident", "checkbox")
            .value(checked(&form.resident))
            .optional(),
        Field::new(&l, "full_name", "text")
            .value(&form.full_name)
            .autocomplete("name"),
        Field::new(&l, "email", "email")
            .value(&form.email)
            .autocomplete("email"),
        Field::new(&l, "phone", "tel")
            .value(&form.phone)
            .autocomplete("tel")
            .hint(&l),
        Field::new(&l, "password", "password")
            .autocomplete("new-password")
            .hint(&l),
        Field::new(&l, "slug", "text").value(&form.slug).hint(&l),
        Field::new(&l, "accept_offer", "checkbox").value(checked(&form.accept_offer)),
    ];
    errors.apply(&mut fields);
    FormPage {
        title: l.t("signup-title"),
        lead: l.t("signup-lead"),
        action: "/signup".into(),
        submit: l.t("signup-submit"),
        fields,
        hidden: Vec::new(),
        form_error: errors.form.clone(),
        links: vec![
            ("/offer".into(), l.t("signup-read-offer")),
            ("/login".into(), l.t("signup-have-account")),
        ],
        l,
    }
}

async fn signup_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let form = SignupForm {
        resident: Some("on".into()),
        ..SignupForm::default()
    };
    signup_page(&state, &headers, &form, &FieldErrors::default()).respond(StatusCode::OK)
}

/// Signs up through the form; on success the owner is signed in and lands in the cabinet.
async fn signup_submit(
    State(state): State<AppState>,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<SignupForm>,
) -> PageResult {
    let lang = request_lang(&headers);
    let input = accounts::SignupInput {
        organization_name: form.org_name.clone(),
        kind: form.kind.clone(),
        bin_iin: form.bin_iin.clone(),
        resident: form.resident.is_some(),
        owner_full_name: form.full_name.clone(),
        owner_email: form.email.clone(),
        owner_phone: form.phone.clone(),
        owner_password: form.password.clone(),
        slug: form.slug.trim().to_owned(),
        accept_offer: form.accept_offer.is_some(),
        locale: lang,
    };
    let l = Layout::new(&state, &headers, "/signup");
    let (status, errors) =
        match accounts::signup_licensee(state.services(), input, origin.0.clone()).await {
            Ok(done) => {
                let issued = educenter_services::signin::login_at(
                    state.services(),
                    &form.email,
                    &form.password,
                    &done.slug,
                    None,
                    SessionKind::Web,
                    origin.0,
                )
                .await;
                return Ok(
                    match issued.map(educenter_services::signin::SignIn::session) {
                        Ok(Some(issued)) => {
                            signed_in(&state, &headers, &issued.token, "/cabinet", "signed-up")
                                .await
                        }
                        // The school exists; signing in is one step away.
                        Ok(None) | Err(_) => redirect_with_flash(&state, "/login", "signed-up"),
                    },
                );
            }
            Err(ServiceError::Invalid(errors)) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                FieldErrors::from_service(&l, errors, SIGNUP_FIELDS),
            ),
            Err(ServiceError::Taken(field, _)) if field == "slug" => {
                let mut errors = FieldErrors::default();
                errors.set("slug", l.t("error-slug-taken"));
                (StatusCode::CONFLICT, errors)
            }
            // A trial was already used.
            Err(ServiceError::Conflict(_)) => {
                let mut errors = FieldErrors::default();
                let support = educenter_services::requisites::support_email(state.services())
                    .await
                    .unwrap_or_default();
                errors.form = Some(l.t_args("error-trial-used", &[("support", support)]));
                (StatusCode::CONFLICT, errors)
            }
            Err(e) => return Err(e.into()),
        };
    Ok(signup_page(&state, &headers, &form, &errors).respond(status))
}

/// Sets the session cookie, ending the session the browser held before, so the id changes at
/// every sign-in, and goes on.
pub(super) async fn signed_in(
    state: &AppState,
    headers: &HeaderMap,
    secret: &str,
    to: &str,
    flash: &'static str,
) -> Response {
    if let Some(old) = auth::session_secret(headers)
        && let Err(e) = sessions::end_secret(state.services(), old).await
    {
        // The browser gets the new cookie either way; the old session still expires.
        tracing::warn!(error = %e, "ending the replaced session failed");
    }
    let mut res = redirect_with_flash(state, to, flash);
    if let Ok(v) = HeaderValue::from_str(&auth::session_cookie(state, secret)) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LoginForm {
    email: String,
    password: String,
    /// A school's address, when the form came with one (the e-mail alone finds it).
    school: String,
    /// The code e-mailed after too many failed sign-ins.
    code: String,
    next: String,
}

fn login_page<'a>(
    state: &'a AppState,
    headers: &HeaderMap,
    form: &LoginForm,
    error: Option<String>,
    ask_code: bool,
) -> FormPage<'a> {
    let l = Layout::new(state, headers, "/login");
    let mut fields = vec![
        Field::new(&l, "email", "email")
            .value(&form.email)
            .autocomplete("username"),
        Field::new(&l, "password", "password").autocomplete("current-password"),
    ];
    if ask_code {
        fields.push(
            Field::new(&l, "code", "text")
                .autocomplete("one-time-code")
                .hint(&l),
        );
    }
    let mut hidden = vec![("next", form.next.clone())];
    if !form.school.trim().is_empty() {
        hidden.push(("school", form.school.trim().to_owned()));
    }
    FormPage {
        title: l.t("login-title"),
        lead: l.t("login-lead"),
        action: "/login".into(),
        submit: l.t("login-submit"),
        fields,
        hidden,
        form_error: error,
        links: vec![
            ("/forgot-password".into(), l.t("login-forgot")),
            ("/signup".into(), l.t("login-no-account")),
        ],
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
    Query(q): Query<NextQuery>,
    headers: HeaderMap,
) -> Response {
    let form = LoginForm {
        next: q.next,
        ..LoginForm::default()
    };
    login_page(&state, &headers, &form, None, false).respond(StatusCode::OK)
}

#[derive(Template)]
#[template(path = "login_choose.html")]
struct ChoosePage<'a> {
    l: Layout<'a>,
    /// (slug, name) of each school the e-mail and password sign in to.
    schools: Vec<(String, String)>,
    choice: String,
    next: String,
}

/// Where a person lands after signing in: the page they came from, else their home (the back
/// office, a student's courses on the school's site, or the cabinet).
fn home_of(who: &educenter_services::signin::SignedInAs, next: &str) -> String {
    if is_local_path(next) {
        return next.to_owned();
    }
    use educenter_domain::roles::AccountKind;
    match (who.kind, &who.slug) {
        (AccountKind::Operator, _) => "/operator".into(),
        (AccountKind::Learner, Some(slug)) => format!("/s/{slug}/my"),
        _ => "/cabinet".into(),
    }
}

/// Signs in with the e-mail and password alone (issue 15, item 11): one match goes on, matches
/// in several schools ask which; after too many failures a code e-mailed to the address is
/// asked for as well.
async fn login_submit(
    State(state): State<AppState>,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> PageResult {
    let school = form.school.trim();
    let result = educenter_services::signin::login(
        state.services(),
        educenter_services::signin::Credentials {
            email: form.email.clone(),
            password: form.password.clone(),
            tenant: (!school.is_empty()).then(|| school.to_owned()),
            code: Some(form.code.clone()).filter(|c| !c.trim().is_empty()),
            totp: None,
        },
        SessionKind::Web,
        origin.0,
    )
    .await;
    signed_in_or_again(&state, &headers, &form, result).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ChooseForm {
    choice: String,
    school: String,
    next: String,
}

/// The school chosen after the password matched people of several schools.
async fn login_choose(
    State(state): State<AppState>,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<ChooseForm>,
) -> PageResult {
    let result = educenter_services::signin::chosen(
        state.services(),
        &form.choice,
        &form.school,
        SessionKind::Web,
        origin.0,
    )
    .await;
    let again = LoginForm {
        next: form.next,
        ..LoginForm::default()
    };
    signed_in_or_again(&state, &headers, &again, result).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SecondStepForm {
    challenge: String,
    totp: String,
    next: String,
}

/// The second step's page: the code of the person's authenticator app (or a recovery code),
/// sent with the challenge the password earned. `retry`: the code typed before was wrong.
pub(super) fn second_step_page<'a>(
    l: Layout<'a>,
    action: String,
    challenge: String,
    next: String,
    retry: bool,
) -> FormPage<'a> {
    let mut code = Field::new(&l, "totp", "text")
        .autocomplete("one-time-code")
        .hint(&l);
    if retry {
        code.error = Some(l.t("login-totp-wrong"));
    }
    FormPage {
        title: l.t("login-totp-title"),
        lead: l.t("login-totp-lead"),
        action,
        submit: l.t("login-submit"),
        fields: vec![code],
        hidden: vec![("challenge", challenge), ("next", next)],
        form_error: None,
        links: vec![("/login".into(), l.t("login-start-again"))],
        l,
    }
}

/// The code of the second step, sent with the challenge of the first.
async fn login_code(
    State(state): State<AppState>,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<SecondStepForm>,
) -> PageResult {
    let result = educenter_services::signin::second_step(
        state.services(),
        &form.challenge,
        &form.totp,
        None,
        SessionKind::Web,
        origin.0,
    )
    .await;
    let again = LoginForm {
        next: form.next,
        ..LoginForm::default()
    };
    if let Err(ServiceError::Gone(_)) = result {
        let l = Layout::new(&state, &headers, "/login");
        let error = l.t("login-totp-expired");
        return Ok(
            login_page(&state, &headers, &again, Some(error), false).respond(StatusCode::GONE)
        );
    }
    signed_in_or_again(&state, &headers, &again, result).await
}

async fn signed_in_or_again(
    state: &AppState,
    headers: &HeaderMap,
    form: &LoginForm,
    result: Result<educenter_services::signin::SignIn, ServiceError>,
) -> PageResult {
    use educenter_services::signin::SignIn;
    let l = Layout::new(state, headers, "/login");
    let (status, error, ask_code) = match result {
        Ok(SignIn::Session(issued, who)) => {
            let to = home_of(&who, &form.next);
            return Ok(signed_in(state, headers, &issued.token, &to, "signed-in").await);
        }
        Ok(SignIn::Choose { schools, choice }) => {
            let page = ChoosePage {
                schools: schools.into_iter().map(|s| (s.slug, s.name)).collect(),
                choice,
                next: form.next.clone(),
                l,
            };
            return Ok(page.l.render(StatusCode::OK, &page));
        }
        Ok(SignIn::SecondStep { challenge, retry }) => {
            let status = if retry {
                StatusCode::UNAUTHORIZED
            } else {
                StatusCode::OK
            };
            let page =
                second_step_page(l, "/login/code".into(), challenge, form.next.clone(), retry);
            return Ok(page.respond(status));
        }
        Err(ServiceError::Unauthorized(_)) => {
            (StatusCode::UNAUTHORIZED, l.t("login-failed"), false)
        }
        Err(ServiceError::CodeRequired) => (StatusCode::FORBIDDEN, l.t("login-code-sent"), true),
        Err(ServiceError::Forbidden(_) | ServiceError::Blocked(_)) => {
            let support = educenter_services::requisites::support_email(state.services())
                .await
                .unwrap_or_default();
            (
                StatusCode::FORBIDDEN,
                l.t_args("login-blocked", &[("support", support)]),
                false,
            )
        }
        Err(ServiceError::TooManyRequests(secs)) => {
            let minutes = secs.div_ceil(60).max(1);
            let mut res = login_page(
                state,
                headers,
                form,
                Some(l.t_args("login-throttled", &[("minutes", minutes.to_string())])),
                false,
            )
            .respond(StatusCode::TOO_MANY_REQUESTS);
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
            return Ok(res);
        }
        Err(e) => return Err(e.into()),
    };
    Ok(login_page(state, headers, form, Some(error), ask_code).respond(status))
}

fn signed_out(state: &AppState, flash: &'static str) -> Response {
    let mut res = redirect_with_flash(state, "/login", flash);
    if let Ok(v) = HeaderValue::from_str(&auth::clear_session_cookie(state)) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

async fn logout(
    State(state): State<AppState>,
    SelfUser(who): SelfUser,
    origin: ClientOrigin,
) -> PageResult {
    sign_out(&state, &who, false, origin).await
}

async fn logout_everywhere(
    State(state): State<AppState>,
    SelfUser(who): SelfUser,
    origin: ClientOrigin,
) -> PageResult {
    sign_out(&state, &who, true, origin).await
}

async fn sign_out(
    state: &AppState,
    who: &educenter_services::access::Principal,
    everywhere: bool,
    origin: ClientOrigin,
) -> PageResult {
    sessions::logout(state.services(), who, everywhere, origin.0).await?;
    Ok(signed_out(
        state,
        if everywhere {
            "signed-out-everywhere"
        } else {
            "signed-out"
        },
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SetupForm {
    token: String,
    email: String,
    full_name: String,
    password: String,
}

fn setup_page<'a>(
    state: &'a AppState,
    headers: &HeaderMap,
    form: &SetupForm,
    errors: &FieldErrors,
) -> FormPage<'a> {
    let l = Layout::new(state, headers, "/setup");
    let mut fields = vec![
        Field::new(&l, "email", "email")
            .value(&form.email)
            .autocomplete("username"),
        Field::new(&l, "full_name", "text")
            .value(&form.full_name)
            .autocomplete("name"),
        Field::new(&l, "password", "password")
            .autocomplete("new-password")
            .hint(&l),
    ];
    errors.apply(&mut fields);
    FormPage {
        title: l.t("setup-title"),
        lead: l.t("setup-lead"),
        action: "/setup".into(),
        submit: l.t("setup-submit"),
        fields,
        hidden: vec![("token", form.token.clone())],
        form_error: errors.form.clone(),
        links: Vec::new(),
        l,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TokenQuery {
    token: String,
}

async fn setup_form(
    State(state): State<AppState>,
    Query(q): Query<TokenQuery>,
    headers: HeaderMap,
) -> PageResult {
    // Once an operator exists there is nothing to set up.
    if !educenter_services::operator_staff::setup_pending(state.services()).await? {
        return Err(PageError::not_found());
    }
    let form = SetupForm {
        token: q.token,
        ..SetupForm::default()
    };
    Ok(setup_page(&state, &headers, &form, &FieldErrors::default()).respond(StatusCode::OK))
}

/// Creates the first super-admin through the one-time link logged at start.
async fn setup_submit(
    State(state): State<AppState>,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<SetupForm>,
) -> PageResult {
    let l = Layout::new(&state, &headers, "/setup");
    let result = educenter_services::operator_staff::set_up_operator(
        state.services(),
        &form.token,
        &form.email,
        &form.full_name,
        &form.password,
        origin.0,
    )
    .await;
    let errors = match result {
        Ok(true) => {
            let page = MessagePage {
                next: None,
                title: l.t("setup-title"),
                text: l.t("setup-done"),
                kind: "success",
                l,
            };
            return Ok(page.l.render(StatusCode::CREATED, &page));
        }
        Ok(false) => {
            let page = MessagePage {
                next: None,
                title: l.t("setup-title"),
                text: l.t("setup-invalid"),
                kind: "error",
                l,
            };
            return Ok(page.l.render(StatusCode::GONE, &page));
        }
        Err(ServiceError::Invalid(errors)) => FieldErrors::from_service(
            &l,
            errors,
            &[
                ("email", "email"),
                ("full_name", "full_name"),
                ("password", "password"),
            ],
        ),
        Err(e) => return Err(e.into()),
    };
    Ok(setup_page(&state, &headers, &form, &errors).respond(StatusCode::UNPROCESSABLE_ENTITY))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ForgotForm {
    email: String,
    school: String,
}

fn forgot_page<'a>(state: &'a AppState, headers: &HeaderMap, form: &ForgotForm) -> FormPage<'a> {
    let l = Layout::new(state, headers, "/forgot-password");
    let fields = vec![
        Field::new(&l, "email", "email")
            .value(&form.email)
            .autocomplete("username"),
    ];
    FormPage {
        title: l.t("forgot-title"),
        lead: l.t("forgot-lead"),
        action: "/forgot-password".into(),
        submit: l.t("forgot-submit"),
        fields,
        hidden: Vec::new(),
        form_error: None,
        links: vec![("/login".into(), l.t("forgot-back"))],
        l,
    }
}

async fn forgot_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    forgot_page(&state, &headers, &ForgotForm::default()).respond(StatusCode::OK)
}

/// Asks for a reset link; the answer is the same whether or not the account exists.
async fn forgot_submit(
    State(state): State<AppState>,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<ForgotForm>,
) -> PageResult {
    let school = form.school.trim();
    accounts::request_password_reset(
        state.services(),
        &form.email,
        (!school.is_empty()).then_some(school),
        origin.0,
    )
    .await?;
    let l = Layout::new(&state, &headers, "/forgot-password");
    let page = MessagePage {
        next: None,
        title: l.t("forgot-title"),
        text: l.t("forgot-sent"),
        kind: "success",
        l,
    };
    Ok(page.l.render(StatusCode::ACCEPTED, &page))
}
