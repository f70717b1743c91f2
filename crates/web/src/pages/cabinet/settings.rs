//! The school's cabinet `/cabinet` (issue 3, item 9): the licence banner with the trial's last
//! day, the staff, the API tokens, and the offer and termination, each action a form that
//! posts back and returns here.

//! The cabinet's settings `/cabinet/settings` (issue 17, item 1): the staff, the API tokens
//! and writing through the API, the sessions, and the links to the contract, the privacy text
//! and the school's logo; each action a form that posts back and returns here.

use askama::Template;
use axum::{
    Form, Router,
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    routing::{get, post},
};
use educenter_domain::roles::{TenantAction, TenantRole, TokenScope};
use educenter_services::{
    ServiceError,
    access::Principal,
    staff,
    store::{accounts::User, tokens::ApiToken},
    tokens,
};
use serde::Deserialize;

use super::{
    super::{
        Layout, PageError, PageResult,
        forms::{Field, FieldErrors},
        redirect_with_flash,
    },
    may,
};
use crate::{AppState, ClientOrigin, auth::WebUser};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/cabinet/settings", get(page))
        .route("/cabinet/staff", post(invite))
        .route("/cabinet/staff/{id}/role", post(change_role))
        .route("/cabinet/staff/{id}/remove", post(remove))
        .route("/cabinet/tokens", post(create_token))
        .route("/cabinet/tokens/{id}/revoke", post(revoke_token))
        .route("/cabinet/api-write", post(set_api_write))
}

#[derive(Template)]
#[template(path = "cabinet_settings.html")]
struct SettingsPage<'a> {
    l: Layout<'a>,
    may_manage_staff: bool,
    may_see_staff: bool,
    may_manage_contract: bool,
    may_use_tokens: bool,
    /// The person sets the school's look (the owner and administrators).
    may_brand: bool,
    may_manage_learners: bool,
    staff: Vec<User>,
    role_options: Vec<(String, String)>,
    tokens: Vec<ApiToken>,
    /// Whether the school allows writing through the API.
    api_write: bool,
    invite_fields: Vec<Field>,
    token_fields: Vec<Field>,
    /// A token just created: its name and its secret, shown this once.
    new_token: Option<(String, String)>,
}

impl SettingsPage<'_> {
    fn role_label(&self, role: &str) -> String {
        self.l.t(&format!("role-{role}"))
    }

    fn scope_label(&self, scope: &TokenScope) -> String {
        self.l.t(&format!("scope-{scope}"))
    }
}

/// The forms' values and errors when the page is shown again after a failed action.
#[derive(Default)]
struct Again {
    invite: Option<(InviteForm, FieldErrors)>,
    token: Option<(TokenForm, FieldErrors)>,
    new_token: Option<(String, String)>,
}

async fn render(
    state: &AppState,
    headers: &HeaderMap,
    who: &Principal,
    again: Again,
    status: StatusCode,
) -> PageResult {
    let l = Layout::for_user(state, headers, "/cabinet/settings", who);
    let services = state.services();
    let may_see_staff = may(who, TenantAction::ViewStaff);
    let staff = if may_see_staff {
        staff::list(services, who).await?
    } else {
        Vec::new()
    };
    let may_use_tokens = may(who, TenantAction::UseApiTokens);
    let (tokens, api_write) = if may_use_tokens {
        match (
            tokens::list(services, who).await,
            tokens::api_write(services, who).await,
        ) {
            (Ok(t), Ok(w)) => (t, w),
            (Err(e), _) | (_, Err(e)) => return Err(e.into()),
        }
    } else {
        (Vec::new(), false)
    };
    let role_options: Vec<(String, String)> = TenantRole::STAFF
        .iter()
        .map(|r| (r.as_str().to_owned(), l.t(&format!("role-{}", r.as_str()))))
        .collect();
    let (invite, invite_errors) = again.invite.unwrap_or_default();
    let mut invite_fields = vec![
        Field::new(&l, "email", "email").value(invite.email),
        Field::new(&l, "full_name", "text").value(invite.full_name),
        Field::new(&l, "role", "select")
            .value(if invite.role.is_empty() {
                "teacher".to_owned()
            } else {
                invite.role
            })
            .options(role_options.clone()),
    ];
    invite_errors.apply(&mut invite_fields);
    let (token, token_errors) = again.token.unwrap_or_default();
    // Read-write tokens only while writing through the API is on.
    let scopes = TokenScope::ALL
        .iter()
        .filter(|s| api_write || **s == TokenScope::Read)
        .map(|s| (s.as_str().to_owned(), l.t(&format!("scope-{s}"))))
        .collect();
    let mut token_fields = vec![
        Field::new(&l, "name", "text").value(token.name),
        Field::new(&l, "scope", "select")
            .value(if token.scope.is_empty() {
                "read".to_owned()
            } else {
                token.scope
            })
            .options(scopes),
        Field::new(&l, "expires_on", "date")
            .value(token.expires_on)
            .optional(),
    ];
    token_errors.apply(&mut token_fields);
    let page = SettingsPage {
        may_manage_staff: may(who, TenantAction::ManageStaff),
        may_manage_contract: may(who, TenantAction::ManageContract),
        may_see_staff,
        may_use_tokens,
        may_brand: may(who, TenantAction::EditContent) && may(who, TenantAction::ManageLearners),
        may_manage_learners: may(who, TenantAction::ManageLearners),
        staff,
        role_options,
        tokens,
        api_write,
        invite_fields,
        token_fields,
        new_token: again.new_token,
        l,
    };
    Ok(page.l.render(status, &page))
}

async fn page(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    headers: HeaderMap,
) -> PageResult {
    render(&state, &headers, &who, Again::default(), StatusCode::OK).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct InviteForm {
    email: String,
    full_name: String,
    role: String,
}

async fn invite(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<InviteForm>,
) -> PageResult {
    match staff::invite(
        state.services(),
        &who,
        &form.email,
        &form.full_name,
        &form.role,
        origin.0,
    )
    .await
    {
        Ok(_) => Ok(redirect_with_flash(
            &state,
            "/cabinet/settings#staff",
            "staff-invited",
        )),
        Err(ServiceError::Invalid(errors)) => {
            let l = Layout::new(&state, &headers, "/cabinet/settings");
            let errors = FieldErrors::from_service(
                &l,
                errors,
                &[
                    ("email", "email"),
                    ("full_name", "full_name"),
                    ("role", "role"),
                ],
            );
            let again = Again {
                invite: Some((form, errors)),
                ..Again::default()
            };
            render(
                &state,
                &headers,
                &who,
                again,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(ServiceError::Conflict(_) | ServiceError::Taken(..)) => {
            let l = Layout::new(&state, &headers, "/cabinet/settings");
            let mut errors = FieldErrors::default();
            errors.set("email", l.t("error-email-taken"));
            let again = Again {
                invite: Some((form, errors)),
                ..Again::default()
            };
            render(&state, &headers, &who, again, StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RoleForm {
    role: String,
}

async fn change_role(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    Form(form): Form<RoleForm>,
) -> PageResult {
    match staff::change_role(state.services(), &who, &id, &form.role, origin.0).await {
        Ok(_) => Ok(redirect_with_flash(
            &state,
            "/cabinet/settings#staff",
            "staff-role-changed",
        )),
        Err(ServiceError::Invalid(_)) => Err(PageError(ServiceError::Conflict(
            educenter_services::Msg::new("err-choose-role"),
        ))),
        Err(e) => Err(e.into()),
    }
}

async fn remove(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
) -> PageResult {
    staff::remove(state.services(), &who, &id, origin.0).await?;
    Ok(redirect_with_flash(
        &state,
        "/cabinet/settings#staff",
        "staff-removed",
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TokenForm {
    name: String,
    scope: String,
    expires_on: String,
}

async fn create_token(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<TokenForm>,
) -> PageResult {
    let l = Layout::new(&state, &headers, "/cabinet/settings");
    let expires_on = match form.expires_on.trim() {
        "" => None,
        s => match s.parse::<jiff::civil::Date>() {
            Ok(d) => Some(d),
            Err(_) => {
                let mut errors = FieldErrors::default();
                errors.set("expires_on", l.t("error-expires_on"));
                let again = Again {
                    token: Some((form, errors)),
                    ..Again::default()
                };
                return render(
                    &state,
                    &headers,
                    &who,
                    again,
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await;
            }
        },
    };
    match tokens::create(
        state.services(),
        &who,
        &form.name,
        &form.scope,
        expires_on,
        origin.0,
    )
    .await
    {
        Ok((token, secret)) => {
            let again = Again {
                new_token: Some((token.name, secret)),
                ..Again::default()
            };
            let mut res = render(&state, &headers, &who, again, StatusCode::CREATED).await?;
            // The secret is on this page only: never kept by a cache or the history.
            res.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            Ok(res)
        }
        Err(ServiceError::Invalid(errors)) => {
            let errors = FieldErrors::from_service(
                &l,
                errors,
                &[
                    ("name", "name"),
                    ("scope", "scope"),
                    ("expires_on", "expires_on"),
                ],
            );
            let again = Again {
                token: Some((form, errors)),
                ..Again::default()
            };
            render(
                &state,
                &headers,
                &who,
                again,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

async fn revoke_token(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
) -> PageResult {
    tokens::revoke(state.services(), &who, &id, origin.0).await?;
    Ok(redirect_with_flash(
        &state,
        "/cabinet/settings#tokens",
        "token-revoked",
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ApiWriteForm {
    enabled: Option<String>,
}

/// Switches writing through the API on or off (the owner).
async fn set_api_write(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Form(form): Form<ApiWriteForm>,
) -> PageResult {
    let enabled = form.enabled.is_some();
    tokens::set_api_write(state.services(), &who, enabled, origin.0).await?;
    Ok(redirect_with_flash(
        &state,
        "/cabinet/settings#tokens",
        if enabled {
            "api-write-on"
        } else {
            "api-write-off"
        },
    ))
}
