//! Privacy on the school's site and in its cabinet (R-9.4.1, R-2.6b): the school's privacy text
//! for students (`/s/{slug}/privacy`), set and versioned in the cabinet (`/cabinet/privacy`); a
//! student's profile with their consents and the withdrawal of the marketing consent
//! (`/s/{slug}/profile`).

use askama::Template;
use axum::{
    Form, Router,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    routing::{get, post},
};
use educenter_services::{ServiceError, privacy};
use serde::Deserialize;

use super::{
    Layout, PageResult,
    forms::{Field, FieldErrors},
    redirect_with_flash,
    school::{School, school, school_of, school_student},
};
use crate::{AppState, ClientOrigin, auth::WebUser};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/s/{slug}/privacy", get(public_text))
        .route("/s/{slug}/profile", get(profile))
        .route("/s/{slug}/profile/marketing", post(withdraw_marketing))
        .route("/s/{slug}/profile/delete", post(delete_account))
        .route("/s/{slug}/profile/data.json", get(my_data_json))
        .route("/s/{slug}/profile/data.csv", get(my_data_csv))
        .route("/cabinet/privacy", get(edit).post(save))
}

#[derive(Template)]
#[template(path = "school_privacy.html")]
struct PrivacyPage<'a> {
    l: Layout<'a>,
    s: School,
    paragraphs: Vec<String>,
}

/// The school's privacy text as anyone reads it (the one students agree to at sign-up).
async fn public_text(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> PageResult {
    let t = match school(&state, &headers, &slug).await {
        Ok(t) => t,
        Err(r) => return Ok(r),
    };
    let l = Layout::new(&state, &headers, &format!("/s/{slug}/privacy"));
    let shown = privacy::public_text(state.services(), &t, l.lang).await?;
    let page = PrivacyPage {
        paragraphs: shown
            .text
            .split("\n\n")
            .map(|p| p.trim().to_owned())
            .filter(|p| !p.is_empty())
            .collect(),
        s: school_of(&t, None),
        l,
    };
    Ok(page.l.render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "school_profile.html")]
struct ProfilePage<'a> {
    l: Layout<'a>,
    s: School,
    /// Each consent in words: what, when, and withdrawn when.
    consents: Vec<String>,
    marketing_active: bool,
    /// The password that confirms deleting the account (with its error after a wrong one).
    password: Field,
    /// The student's certificates: (id, course, date issued, revoked).
    certificates: Vec<(String, String, String, bool)>,
}

/// A student's profile: the consents they gave, withdrawing the marketing consent, and
/// deleting their account.
async fn profile(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> PageResult {
    let path = format!("/s/{slug}/profile");
    let (t, who) = match school_student(&state, &headers, &slug, &path).await {
        Ok(v) => v,
        Err(r) => return Ok(r),
    };
    render_profile(&state, &headers, &t, &who, None, StatusCode::OK).await
}

async fn render_profile(
    state: &AppState,
    headers: &HeaderMap,
    t: &educenter_services::store::tenancy::Tenant,
    who: &educenter_services::access::Principal,
    password_error: Option<String>,
    status: StatusCode,
) -> PageResult {
    let path = format!("/s/{}/profile", t.slug);
    let (state, headers, who) = (state, headers, who);
    let consents = privacy::my_consents(state.services(), who).await?;
    let certificates = educenter_services::certificates::mine(state.services(), who).await?;
    let l = Layout::for_user(state, headers, &path, who);
    let certificates = certificates
        .into_iter()
        .map(|c| {
            let on = l.date(c.issued_on.as_str());
            (c.id, c.course_title, on, c.revoked_at.is_some())
        })
        .collect();
    let marketing_active = consents.iter().any(|c| {
        c.kind == educenter_domain::learning::ConsentKind::Marketing && c.withdrawn_at.is_none()
    });
    let consents = consents
        .iter()
        .map(|c| {
            let given = l.instant(&c.accepted_at);
            match c.withdrawn_at {
                Some(w) => l.t_args(
                    &format!("school-consent-{}-withdrawn", c.kind),
                    &[("given", given), ("withdrawn", l.instant(&w))],
                ),
                None => l.t_args(&format!("school-consent-{}", c.kind), &[("given", given)]),
            }
        })
        .collect();
    let mut password = Field::new(&l, "password", "password").autocomplete("current-password");
    password.error = password_error;
    let page = ProfilePage {
        s: school_of(t, Some(who)),
        consents,
        marketing_active,
        password,
        certificates,
        l,
    };
    Ok(page.l.render(status, &page))
}

/// The student's own data as a download: JSON or CSV.
async fn my_data(state: &AppState, headers: &HeaderMap, slug: &str, json: bool) -> PageResult {
    let path = format!("/s/{slug}/profile");
    let (_, who) = match school_student(state, headers, slug, &path).await {
        Ok(v) => v,
        Err(r) => return Ok(r),
    };
    let (doc, csv) = educenter_services::exports::my_data(state.services(), &who).await?;
    let (body, kind, ext) = if json {
        (
            serde_json::to_string_pretty(&doc).unwrap_or_default(),
            "application/json",
            "json",
        )
    } else {
        (csv, "text/csv; charset=utf-8", "csv")
    };
    let mut res = axum::response::IntoResponse::into_response(body);
    let h = res.headers_mut();
    h.insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static(kind),
    );
    if let Ok(v) =
        axum::http::HeaderValue::from_str(&format!("attachment; filename=\"my-data-{slug}.{ext}\""))
    {
        h.insert(axum::http::header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("private, no-store"),
    );
    Ok(res)
}

async fn my_data_json(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> PageResult {
    my_data(&state, &headers, &slug, true).await
}

async fn my_data_csv(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> PageResult {
    my_data(&state, &headers, &slug, false).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DeleteForm {
    password: String,
}

/// A student deletes their own account with their password: erased at once, signed out.
async fn delete_account(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    Form(form): Form<DeleteForm>,
) -> PageResult {
    let path = format!("/s/{slug}/profile");
    let (t, who) = match school_student(&state, &headers, &slug, &path).await {
        Ok(v) => v,
        Err(r) => return Ok(r),
    };
    match educenter_services::erasure::delete_own_account(state.services(), &who, &form.password)
        .await
    {
        Ok(()) => {
            let mut res = redirect_with_flash(&state, &format!("/s/{slug}/"), "account-deleted");
            if let Ok(v) =
                axum::http::HeaderValue::from_str(&crate::auth::clear_session_cookie(&state))
            {
                res.headers_mut().append(axum::http::header::SET_COOKIE, v);
            }
            Ok(res)
        }
        Err(ServiceError::Invalid(errors)) => {
            let l = Layout::new(&state, &headers, &path);
            let error = errors.first().map(|(_, m)| l.say(m));
            render_profile(
                &state,
                &headers,
                &t,
                &who,
                error,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

async fn withdraw_marketing(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    origin: ClientOrigin,
    headers: HeaderMap,
) -> PageResult {
    let path = format!("/s/{slug}/profile");
    let (_, who) = match school_student(&state, &headers, &slug, &path).await {
        Ok(v) => v,
        Err(r) => return Ok(r),
    };
    privacy::withdraw_marketing(state.services(), &who, origin.0).await?;
    Ok(redirect_with_flash(&state, &path, "marketing-withdrawn"))
}

#[derive(Template)]
#[template(path = "privacy_edit.html")]
struct EditPage<'a> {
    l: Layout<'a>,
    version: Option<i64>,
    fields: Vec<Field>,
    /// (version, when) of every version, newest first.
    history: Vec<(i64, String)>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TextForm {
    text: String,
}

async fn render_edit(
    state: &AppState,
    headers: &HeaderMap,
    who: &educenter_services::access::Principal,
    typed: Option<String>,
    errors: FieldErrors,
    status: StatusCode,
) -> PageResult {
    let services = state.services();
    let versions = privacy::texts(services, who).await?;
    let l = Layout::for_user(state, headers, "/cabinet/privacy", who);
    let current = versions.first().map(|v| v.text.clone()).unwrap_or_default();
    let mut fields = vec![
        Field::new(&l, "text", "textarea")
            .value(typed.unwrap_or(current))
            .hint(&l),
    ];
    errors.apply(&mut fields);
    let page = EditPage {
        version: versions.first().map(|v| v.version),
        history: versions
            .iter()
            .map(|v| (v.version, l.instant(&v.created_at)))
            .collect(),
        fields,
        l,
    };
    Ok(page.l.render(status, &page))
}

/// The school's privacy text in the cabinet (owner, administrator, manager).
async fn edit(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    headers: HeaderMap,
) -> PageResult {
    render_edit(
        &state,
        &headers,
        &who,
        None,
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

async fn save(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<TextForm>,
) -> PageResult {
    match privacy::set_text(state.services(), &who, &form.text, origin.0).await {
        Ok(_) => Ok(redirect_with_flash(
            &state,
            "/cabinet/privacy",
            "privacy-saved",
        )),
        Err(ServiceError::Invalid(found)) => {
            let l = Layout::new(&state, &headers, "/cabinet/privacy");
            let errors = FieldErrors::from_service(&l, found, &[("text", "text")]);
            render_edit(
                &state,
                &headers,
                &who,
                Some(form.text),
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
