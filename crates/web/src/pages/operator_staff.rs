//! `/operator/staff`: the super-admin adds the operator's staff (billing, support, compliance,
//! infrastructure, other super-admins), changes their roles and removes them (issue 15,
//! item 13). Anyone else is told which role manages staff.

use askama::Template;
use axum::{
    Form, Router,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    routing::{get, post},
};
use educenter_domain::roles::OperatorRole;
use educenter_services::{
    ServiceError,
    access::Principal,
    operator_staff::{self, StaffInput},
    store::{accounts::User, page::PageRequest},
};
use serde::Deserialize;

use super::{
    Layout, PageResult,
    forms::{Field, FieldErrors},
    redirect_with_flash,
};
use crate::{AppState, ClientOrigin, auth::OperatorUser};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/operator/staff", get(list).post(invite))
        .route("/operator/staff/{id}/role", post(change_role))
        .route("/operator/staff/{id}/remove", post(remove))
}

#[derive(Template)]
#[template(path = "operator_staff.html")]
struct StaffPage<'a> {
    l: Layout<'a>,
    staff: Vec<User>,
    next: Option<String>,
    me: String,
    role_options: Vec<(String, String)>,
    fields: Vec<Field>,
    form_error: Option<String>,
    list_error: Option<String>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct InviteForm {
    email: String,
    full_name: String,
    role: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct After {
    after: String,
}

/// The operator's roles as a select offers them, in the page's language.
fn role_options(l: &Layout<'_>) -> Vec<(String, String)> {
    OperatorRole::ALL
        .iter()
        .map(|r| {
            (
                r.as_str().to_owned(),
                l.t(&format!("operator-role-{}", r.as_str())),
            )
        })
        .collect()
}

struct Again {
    form: InviteForm,
    errors: FieldErrors,
    list_error: Option<String>,
    after: Option<String>,
}

async fn render(
    state: &AppState,
    headers: &HeaderMap,
    who: &Principal,
    again: Again,
    status: StatusCode,
) -> PageResult {
    let req = PageRequest {
        after: again.after.filter(|a| !a.is_empty()),
        ..PageRequest::default()
    };
    let found = operator_staff::list_page(state.services(), who, &req).await?;
    let l = Layout::for_user(state, headers, "/operator/staff", who);
    let role_options = role_options(&l);
    let role = if again.form.role.is_empty() {
        OperatorRole::Billing.as_str().to_owned()
    } else {
        again.form.role.clone()
    };
    let mut fields = vec![
        Field::new(&l, "email", "email").value(&again.form.email),
        Field::new(&l, "full_name", "text").value(&again.form.full_name),
        Field::new(&l, "role", "select")
            .value(role)
            .options(role_options.clone()),
    ];
    again.errors.apply(&mut fields);
    let page = StaffPage {
        staff: found.items,
        next: found.next,
        me: who.user_id.to_string(),
        role_options,
        fields,
        form_error: again.errors.form.clone(),
        list_error: again.list_error,
        l,
    };
    Ok(page.l.render(status, &page))
}

async fn list(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    headers: HeaderMap,
    Query(q): Query<After>,
) -> PageResult {
    let again = Again {
        form: InviteForm::default(),
        errors: FieldErrors::default(),
        list_error: None,
        after: Some(q.after),
    };
    render(&state, &headers, &who, again, StatusCode::OK).await
}

async fn invite(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<InviteForm>,
) -> PageResult {
    let input = StaffInput {
        email: form.email.clone(),
        full_name: form.full_name.clone(),
        role: form.role.clone(),
    };
    let l = Layout::new(&state, &headers, "/operator/staff");
    let (errors, status) =
        match operator_staff::invite(state.services(), &who, input, origin.0).await {
            Ok(_) => {
                return Ok(redirect_with_flash(
                    &state,
                    "/operator/staff",
                    "staff-invited",
                ));
            }
            Err(ServiceError::Invalid(found)) => (
                FieldErrors::from_service(
                    &l,
                    found,
                    &[
                        ("email", "email"),
                        ("full_name", "full_name"),
                        ("role", "role"),
                    ],
                ),
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            Err(ServiceError::Conflict(m) | ServiceError::Taken(_, m)) => {
                let mut errors = FieldErrors::default();
                errors.set("email", l.say(&m));
                (errors, StatusCode::CONFLICT)
            }
            Err(e) => return Err(e.into()),
        };
    let again = Again {
        form,
        errors,
        list_error: None,
        after: None,
    };
    render(&state, &headers, &who, again, status).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RoleForm {
    role: String,
}

/// A refusal about one row (the last super-admin, oneself) shows above the list.
async fn row_outcome(
    state: &AppState,
    headers: &HeaderMap,
    who: &Principal,
    outcome: Result<(), ServiceError>,
    flash: &'static str,
) -> PageResult {
    match outcome {
        Ok(()) => Ok(redirect_with_flash(state, "/operator/staff", flash)),
        Err(ServiceError::Conflict(m)) => {
            let l = Layout::new(state, headers, "/operator/staff");
            let again = Again {
                form: InviteForm::default(),
                errors: FieldErrors::default(),
                list_error: Some(l.say(&m)),
                after: None,
            };
            render(state, headers, who, again, StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn change_role(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<RoleForm>,
) -> PageResult {
    let outcome = operator_staff::change_role(state.services(), &who, &id, &form.role, origin.0)
        .await
        .map(|_| ());
    row_outcome(&state, &headers, &who, outcome, "staff-role-changed").await
}

async fn remove(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> PageResult {
    let outcome = operator_staff::remove(state.services(), &who, &id, origin.0).await;
    row_outcome(&state, &headers, &who, outcome, "staff-removed").await
}
