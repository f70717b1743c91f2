//! The school's cabinet `/cabinet` (issue 3, item 9): the licence banner with the trial's last
//! day, the staff, the API tokens, and the offer and termination, each action a form that
//! posts back and returns here.

use askama::Template;
use axum::{
    Form, Router,
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect},
    routing::{get, post},
};
use educenter_domain::billing::LicenceState;
use educenter_domain::roles::AccountKind;
use educenter_domain::roles::{TenantAction, TenantRole, TokenScope, tenant_may};
use educenter_domain::tenancy::{BlockReason, EndReason};
use educenter_services::{
    ServiceError,
    access::Principal,
    offers, staff,
    store::{accounts::User, tokens::ApiToken},
    tenancy::{self, Licence},
    tokens,
};
use serde::Deserialize;

use super::{
    Layout, MessagePage, PageError, PageResult,
    forms::{Field, FieldErrors},
    redirect_with_flash,
};
use crate::{
    AppState, ClientOrigin,
    auth::{KeptUser, WebUser},
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/cabinet", get(home))
        .route("/cabinet/staff", post(invite))
        .route("/cabinet/staff/{id}/role", post(change_role))
        .route("/cabinet/staff/{id}/remove", post(remove))
        .route("/cabinet/tokens", post(create_token))
        .route("/cabinet/tokens/{id}/revoke", post(revoke_token))
        .route("/cabinet/api-write", post(set_api_write))
        .route("/cabinet/verify-email", post(resend_verification))
        .route("/cabinet/contract", get(contract))
        .route("/cabinet/objection", post(object))
        .route("/cabinet/termination", post(give_notice))
        .route("/cabinet/termination/withdraw", post(withdraw_notice))
        .route("/cabinet/refusal", post(refuse))
}

#[derive(Template)]
#[template(path = "cabinet.html")]
struct CabinetPage<'a> {
    l: Layout<'a>,
    licence: Licence,
    may_manage_staff: bool,
    may_see_staff: bool,
    may_manage_contract: bool,
    may_use_tokens: bool,
    may_see_billing: bool,
    may_edit_content: bool,
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
    /// A coming price change of the school's plan, in words.
    price_change: Option<String>,
    /// Coming price changes of the additional services the school uses, in words (R-5.8a).
    service_price_changes: Vec<String>,
    /// The support address, for a blocked school.
    support: String,
    /// The signed-in person's address is not verified yet: the page offers a new link.
    unverified: bool,
    /// The school's site for its students.
    school_url: String,
}

impl CabinetPage<'_> {
    fn role_label(&self, role: &str) -> String {
        self.l.t(&format!("role-{role}"))
    }

    fn scope_label(&self, scope: &TokenScope) -> String {
        self.l.t(&format!("scope-{scope}"))
    }

    fn block_text(&self, b: &educenter_services::store::blocks::Block) -> String {
        let purge = b.purge_on.map(|d| self.l.date(&d)).unwrap_or_default();
        if b.reason == BlockReason::Refusal {
            self.l
                .t_args("cabinet-blocked-refusal", &[("purge", purge)])
        } else {
            self.l
                .t_args("cabinet-blocked", &[("support", self.support.clone())])
        }
    }

    fn state_text(&self) -> String {
        let t = &self.licence.tenant;
        self.l.t_args(
            "cabinet-trial",
            &[
                ("trial_ends", self.l.date(&t.trial_ends_on)),
                ("deadline", self.l.date(&t.application_deadline)),
            ],
        )
    }
}

/// The forms' values and errors when the page is shown again after a failed action.
#[derive(Default)]
struct Again {
    invite: Option<(InviteForm, FieldErrors)>,
    token: Option<(TokenForm, FieldErrors)>,
    new_token: Option<(String, String)>,
}

fn may(who: &Principal, action: TenantAction) -> bool {
    who.tenant_role().is_some_and(|r| tenant_may(r, action))
}

async fn render(
    state: &AppState,
    headers: &HeaderMap,
    who: &Principal,
    again: Again,
    status: StatusCode,
) -> PageResult {
    let l = Layout::for_user(state, headers, "/cabinet", who);
    let services = state.services();
    let licence = tenancy::licence(services, who).await?;
    let support = if licence.blocks.is_empty() {
        String::new()
    } else {
        educenter_services::requisites::support_email(services).await?
    };
    let (user, _) = educenter_services::accounts::me(services, who).await?;
    let unverified = user.email_verified_at.is_none();
    let school_url = services.school_url(&licence.tenant.slug);
    let price_change =
        match educenter_services::billing::catalog::upcoming_prices(services, who).await? {
            Some((plan, prices)) => {
                let first = prices[0].effective_from;
                let list = prices
                    .iter()
                    .filter(|p| p.effective_from == first)
                    .map(|p| {
                        format!(
                            "{} — {}",
                            l.months(p.months),
                            educenter_services::i18n::format_money(
                                l.lang,
                                p.amount.minor,
                                p.amount.currency
                            )
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                Some(l.t_args(
                    "cabinet-price-change",
                    &[
                        (
                            "plan",
                            educenter_services::billing::catalog::plan_label(l.lang, &plan),
                        ),
                        ("date", l.date(&first)),
                        ("prices", list),
                    ],
                ))
            }
            None => None,
        };
    let service_price_changes = educenter_services::service_items::upcoming_for(services, who)
        .await?
        .into_iter()
        .map(|(item, prices)| {
            let first = prices[0].effective_from;
            let list = prices
                .iter()
                .filter(|p| p.effective_from == first)
                .map(|p| {
                    educenter_services::i18n::format_money(
                        l.lang,
                        p.amount.minor,
                        p.amount.currency,
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            l.t_args(
                "cabinet-service-price-change",
                &[
                    (
                        "service",
                        educenter_services::service_items::name(l.lang, &item),
                    ),
                    ("date", l.date(&first)),
                    ("prices", list),
                ],
            )
        })
        .collect();
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
    let page = CabinetPage {
        may_manage_staff: may(who, TenantAction::ManageStaff),
        may_manage_contract: may(who, TenantAction::ManageContract),
        may_see_staff,
        may_use_tokens,
        may_see_billing: may(who, TenantAction::ManageBilling),
        may_edit_content: may(who, TenantAction::EditContent),
        may_manage_learners: may(who, TenantAction::ManageLearners),
        licence,
        staff,
        role_options,
        tokens,
        api_write,
        invite_fields,
        token_fields,
        new_token: again.new_token,
        price_change,
        service_price_changes,
        support,
        unverified,
        school_url,
        l,
    };
    Ok(page.l.render(status, &page))
}

async fn home(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    headers: HeaderMap,
) -> PageResult {
    if who.kind == AccountKind::Operator {
        return Ok(Redirect::to("/operator").into_response());
    }
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
            "/cabinet#staff",
            "staff-invited",
        )),
        Err(ServiceError::Invalid(errors)) => {
            let l = Layout::new(&state, &headers, "/cabinet");
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
            let l = Layout::new(&state, &headers, "/cabinet");
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
            "/cabinet#staff",
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
        "/cabinet#staff",
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
    let l = Layout::new(&state, &headers, "/cabinet");
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
        "/cabinet#tokens",
        "token-revoked",
    ))
}

async fn object(
    State(state): State<AppState>,
    KeptUser(who): KeptUser,
    origin: ClientOrigin,
) -> PageResult {
    offers::object(state.services(), &who, origin.0).await?;
    Ok(redirect_with_flash(
        &state,
        "/cabinet/contract",
        "objection-filed",
    ))
}

async fn give_notice(
    State(state): State<AppState>,
    KeptUser(who): KeptUser,
    origin: ClientOrigin,
) -> PageResult {
    offers::give_notice(state.services(), &who, origin.0).await?;
    Ok(redirect_with_flash(
        &state,
        "/cabinet/contract",
        "notice-filed",
    ))
}

async fn withdraw_notice(
    State(state): State<AppState>,
    KeptUser(who): KeptUser,
    origin: ClientOrigin,
) -> PageResult {
    offers::withdraw_notice(state.services(), &who, origin.0).await?;
    Ok(redirect_with_flash(
        &state,
        "/cabinet/contract",
        "notice-withdrawn",
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RefusalForm {
    confirm: Option<String>,
}

/// The written refusal during the trial (R-4.4a): confirmed by a checkbox, it blocks the school
/// at once, so the browser's session ends with it.
async fn refuse(
    State(state): State<AppState>,
    KeptUser(who): KeptUser,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<RefusalForm>,
) -> PageResult {
    let l = Layout::new(&state, &headers, "/cabinet/contract");
    if form.confirm.is_none() {
        return render_contract(
            &state,
            &headers,
            &who,
            Some(l.t("error-confirm")),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let block = tenancy::refuse(state.services(), &who, origin.0).await?;
    let purge = block.purge_on.map(|d| l.date(&d)).unwrap_or_default();
    let page = MessagePage {
        next: None,
        title: l.t("refusal-title"),
        text: l.t_args("refusal-done", &[("purge", purge)]),
        kind: "success",
        l,
    };
    let mut res = page.l.render(StatusCode::OK, &page);
    if let Ok(v) = HeaderValue::from_str(&crate::auth::clear_session_cookie(&state)) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(res)
}

#[derive(Template)]
#[template(path = "contract.html")]
struct ContractPage<'a> {
    l: Layout<'a>,
    licence: Licence,
    /// A contract is in force (a notice can be given).
    in_force: bool,
    restricted: Option<String>,
    refusal_error: Option<String>,
}

/// The contract (the owner's, kept while the school may not work): the version accepted, a new
/// version open to objection, a pending notice and its withdrawal, a notice, the refusal during
/// the trial.
async fn contract(
    State(state): State<AppState>,
    KeptUser(who): KeptUser,
    headers: HeaderMap,
) -> PageResult {
    render_contract(&state, &headers, &who, None, StatusCode::OK).await
}

async fn render_contract(
    state: &AppState,
    headers: &HeaderMap,
    who: &Principal,
    refusal_error: Option<String>,
    status: StatusCode,
) -> PageResult {
    if !may(who, TenantAction::ManageContract) {
        return Err(PageError(ServiceError::Forbidden(
            educenter_services::Msg::new("err-owner-only"),
        )));
    }
    let services = state.services();
    let licence = tenancy::licence(services, who).await?;
    let support = educenter_services::requisites::support_email(services).await?;
    let l = Layout::for_user(state, headers, "/cabinet/contract", who);
    let restricted = super::restricted_banner(&l, who, licence.tenant.purge_on, &support);
    let in_force = licence.in_force;
    let page = ContractPage {
        l,
        licence,
        in_force,
        restricted,
        refusal_error,
    };
    Ok(page.l.render(status, &page))
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
        "/cabinet#tokens",
        if enabled {
            "api-write-on"
        } else {
            "api-write-off"
        },
    ))
}

/// E-mails a new verification link to the signed-in person.
async fn resend_verification(
    State(state): State<AppState>,
    KeptUser(who): KeptUser,
    origin: ClientOrigin,
) -> PageResult {
    educenter_services::verification::resend_verification(state.services(), &who, origin.0).await?;
    Ok(redirect_with_flash(&state, "/cabinet", "verification-sent"))
}
