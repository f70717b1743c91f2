//! A student's account on the school's site: sign-up with the privacy consent, sign-in, sign-out and a forgotten password, all in the school's brand.

use super::*;

#[derive(Template)]
#[template(path = "school_form.html")]
pub(crate) struct FormPage<'a> {
    pub(super) l: Layout<'a>,
    pub(super) s: School,
    pub(super) title: String,
    pub(super) lead: String,
    pub(super) action: String,
    pub(super) submit: String,
    pub(super) fields: Vec<Field>,
    pub(super) hidden: Vec<(&'static str, String)>,
    pub(super) form_error: Option<String>,
    pub(super) links: Vec<(String, String)>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct SignupForm {
    full_name: String,
    email: String,
    password: String,
    privacy: String,
    marketing: String,
    /// The course whose page sent the visitor here: they are enrolled in it once signed up.
    course: String,
}

pub(crate) async fn signup_page<'a>(
    state: &'a AppState,
    headers: &HeaderMap,
    t: &Tenant,
    form: &SignupForm,
    errors: FieldErrors,
) -> Result<FormPage<'a>, PageError> {
    let path = format!("/s/{}/signup", t.slug);
    let l = Layout::new(state, headers, &path);
    // The school's own privacy text is linked (it may be long); the platform's default is one
    // sentence, shown as the box's label.
    let shown = educenter_services::privacy::public_text(state.services(), t, l.lang).await?;
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
        hidden: vec![("course", form.course.clone())],
        form_error: errors.form,
        links: vec![
            (
                format!("/s/{}/privacy", t.slug),
                l.t("school-privacy-title"),
            ),
            (
                format!("/s/{}/login{}", t.slug, course_query(&form.course)),
                l.t("school-have-account"),
            ),
        ],
        s: school_of(t, None),
        l,
    })
}

/// `?course={id}` to carry a course's page through the sign-up and sign-in forms.
fn course_query(course: &str) -> String {
    if course.is_empty() {
        String::new()
    } else {
        format!("?course={}", encode_param(course))
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct CourseQuery {
    course: String,
    next: String,
}

pub(crate) async fn signup_form(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Query<CourseQuery>,
    headers: HeaderMap,
) -> PageResult {
    let t = match school(&state, &headers, &slug).await {
        Ok(t) => t,
        Err(r) => return Ok(r),
    };
    let form = SignupForm {
        course: q.course,
        ..SignupForm::default()
    };
    let page = signup_page(&state, &headers, &t, &form, FieldErrors::default()).await?;
    Ok(page.l.render(StatusCode::OK, &page))
}

pub(crate) async fn signup_submit(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<SignupForm>,
) -> PageResult {
    let t = match school(&state, &headers, &slug).await {
        Ok(t) => t,
        Err(r) => return Ok(r),
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
            let issued = educenter_services::signin::login_at(
                state.services(),
                &form.email,
                &form.password,
                &t.slug,
                None,
                SessionKind::Web,
                origin.0.clone(),
            )
            .await?;
            // A new account signs in in one step.
            let Some(issued) = issued.session() else {
                return Ok(Redirect::to(&format!("/s/{slug}/login")).into_response());
            };
            let enrolled =
                enrol_from_page(&state, &slug, &issued.token, &form.course, origin.0).await;
            let (to, flash) = match enrolled {
                Some((to, _)) => (to, "student-signed-up-enrolled"),
                None => (format!("/s/{slug}/my"), "student-signed-up"),
            };
            Ok(signed_in(&state, &headers, &issued.token, &to, flash).await)
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
            let page = signup_page(&state, &headers, &t, &form, errors).await?;
            Ok(page.l.render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(ServiceError::Forbidden(_)) => {
            let l = Layout::new(&state, &headers, "/");
            let mut errors = FieldErrors::default();
            errors.form = Some(l.t("school-signup-full"));
            let page = signup_page(&state, &headers, &t, &form, errors).await?;
            Ok(page.l.render(StatusCode::FORBIDDEN, &page))
        }
        // Too many sign-ups at this school or from this address just now.
        Err(ServiceError::TooManyRequests(secs)) => {
            let l = Layout::new(&state, &headers, "/");
            let mut errors = FieldErrors::default();
            errors.form = Some(l.t_args(
                "school-signup-throttled",
                &[("minutes", secs.div_ceil(60).max(1).to_string())],
            ));
            let page = signup_page(&state, &headers, &t, &form, errors).await?;
            let mut res = page.l.render(StatusCode::TOO_MANY_REQUESTS, &page);
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct LoginForm {
    email: String,
    password: String,
    /// The code e-mailed after too many failed sign-ins.
    code: String,
    next: String,
    /// The course whose page sent the visitor here: they are enrolled in it once signed in.
    course: String,
}

pub(crate) fn login_page<'a>(
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
        hidden: vec![("next", form.next.clone()), ("course", form.course.clone())],
        form_error: error,
        links: vec![
            (
                format!("/s/{}/signup{}", t.slug, course_query(&form.course)),
                l.t("school-signup-title"),
            ),
            (format!("/s/{}/reset", t.slug), l.t("login-forgot")),
        ],
        s: school_of(t, None),
        l,
    }
}

pub(crate) async fn login_form(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Query<CourseQuery>,
    headers: HeaderMap,
) -> PageResult {
    let t = match school(&state, &headers, &slug).await {
        Ok(t) => t,
        Err(r) => return Ok(r),
    };
    let form = LoginForm {
        next: q.next,
        course: q.course,
        ..LoginForm::default()
    };
    let page = login_page(&state, &headers, &t, &form, None, false);
    Ok(page.l.render(StatusCode::OK, &page))
}

pub(crate) async fn login_submit(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> PageResult {
    let t = match school(&state, &headers, &slug).await {
        Ok(t) => t,
        Err(r) => return Ok(r),
    };
    let result = educenter_services::signin::login_at(
        state.services(),
        &form.email,
        &form.password,
        &t.slug,
        Some(form.code.as_str()).filter(|c| !c.trim().is_empty()),
        SessionKind::Web,
        origin.0.clone(),
    )
    .await;
    signed_in_or_again(&state, &headers, &t, &form, result, origin).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct SecondStepForm {
    challenge: String,
    totp: String,
    next: String,
    course: String,
}

/// The code of a student's second step, sent with the challenge of the first.
pub(crate) async fn login_code(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<SecondStepForm>,
) -> PageResult {
    let t = match school(&state, &headers, &slug).await {
        Ok(t) => t,
        Err(r) => return Ok(r),
    };
    let result = educenter_services::signin::second_step(
        state.services(),
        &form.challenge,
        &form.totp,
        Some(&t.id),
        SessionKind::Web,
        origin.0.clone(),
    )
    .await;
    let again = LoginForm {
        next: form.next,
        course: form.course,
        ..LoginForm::default()
    };
    signed_in_or_again(&state, &headers, &t, &again, result, origin).await
}

/// Goes on once signed in (enrolling in the course the visitor came from), asks for the second
/// step, or shows the form again saying what went wrong.
async fn signed_in_or_again(
    state: &AppState,
    headers: &HeaderMap,
    t: &Tenant,
    form: &LoginForm,
    result: Result<educenter_services::signin::SignIn, ServiceError>,
    origin: ClientOrigin,
) -> PageResult {
    use educenter_services::signin::SignIn;
    let slug = &t.slug;
    let l = Layout::new(state, headers, "/");
    let mut ask_code = false;
    let (status, error) = match result {
        Ok(SignIn::Session(issued, _)) => {
            if let Some((to, enrolling)) =
                enrol_from_page(state, slug, &issued.token, &form.course, origin.0.clone()).await
            {
                let flash = if enrolling { "enrolled" } else { "signed-in" };
                return Ok(signed_in(state, headers, &issued.token, &to, flash).await);
            }
            let to = if is_local_path(&form.next) && form.next.starts_with(&format!("/s/{slug}/")) {
                form.next.clone()
            } else {
                format!("/s/{slug}/my")
            };
            return Ok(signed_in(state, headers, &issued.token, &to, "signed-in").await);
        }
        Ok(SignIn::SecondStep { challenge, retry }) => {
            let path = format!("/s/{slug}/login");
            let l = Layout::new(state, headers, &path);
            let mut code = Field::new(&l, "totp", "text")
                .autocomplete("one-time-code")
                .hint(&l);
            if retry {
                code.error = Some(l.t("login-totp-wrong"));
            }
            let page = FormPage {
                title: l.t("login-totp-title"),
                lead: l.t("login-totp-lead"),
                action: format!("{path}/code"),
                submit: l.t("login-submit"),
                fields: vec![code],
                hidden: vec![
                    ("challenge", challenge),
                    ("next", form.next.clone()),
                    ("course", form.course.clone()),
                ],
                form_error: None,
                links: vec![(path, l.t("login-start-again"))],
                s: school_of(t, None),
                l,
            };
            let status = if retry {
                StatusCode::UNAUTHORIZED
            } else {
                StatusCode::OK
            };
            return Ok(page.l.render(status, &page));
        }
        // One school is named: at most one account matches.
        Ok(SignIn::Choose { .. }) | Err(ServiceError::Unauthorized(_)) => {
            (StatusCode::UNAUTHORIZED, l.t("login-failed"))
        }
        Err(ServiceError::Gone(_)) => (StatusCode::GONE, l.t("login-totp-expired")),
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
        Err(e) => return Err(e.into()),
    };
    let page = login_page(state, headers, t, form, Some(error), ask_code);
    Ok(page.l.render(status, &page))
}

pub(crate) async fn logout(
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
pub(crate) struct ResetForm {
    email: String,
}

pub(crate) fn reset_page<'a>(
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

pub(crate) async fn reset_form(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> PageResult {
    let t = match school(&state, &headers, &slug).await {
        Ok(t) => t,
        Err(r) => return Ok(r),
    };
    let page = reset_page(&state, &headers, &t, false);
    Ok(page.l.render(StatusCode::OK, &page))
}

pub(crate) async fn reset_submit(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<ResetForm>,
) -> PageResult {
    let t = match school(&state, &headers, &slug).await {
        Ok(t) => t,
        Err(r) => return Ok(r),
    };
    educenter_services::accounts::request_password_reset(
        state.services(),
        &form.email,
        Some(&t.slug),
        origin.0,
    )
    .await?;
    let page = reset_page(&state, &headers, &t, true);
    Ok(page.l.render(StatusCode::OK, &page))
}

/// After signing up or in from a course's page: enrols the new session's student in the course
/// when it is open for that, and gives the address of its first lesson and whether they were
/// enrolled just now; `None` (go on as usual) without a course, or when it takes no
/// self-enrolment.
async fn enrol_from_page(
    state: &AppState,
    slug: &str,
    secret: &str,
    course: &str,
    origin: educenter_services::store::audit::Origin,
) -> Option<(String, bool)> {
    if course.is_empty() {
        return None;
    }
    let services = state.services();
    let who = sessions::authenticate(services, secret)
        .await
        .ok()
        .flatten()?;
    let outline = learning::outline(services, &who, course).await.ok()?;
    let enrolling = outline.enrolment.is_none();
    if enrolling {
        if !outline.course.self_enrol {
            return None;
        }
        learning::enrol_self(services, &who, course, origin)
            .await
            .ok()?;
    }
    let first = learning::outline(services, &who, course).await.ok()?;
    let to = match first.lessons().next() {
        Some(v) => format!("/s/{slug}/lessons/{}", v.lesson.id),
        None => format!("/s/{slug}/courses/{course}"),
    };
    Some((to, enrolling))
}
