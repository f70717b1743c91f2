//! The school's data from the contract page (issue 18, items 3 and 4): its export, and deleting
//! the school's account with the owner's password and the school's address typed out; then,
//! for 14 days, undo or purge at once.

use axum::{
    Form,
    extract::State,
    http::{HeaderMap, HeaderValue, header},
};
use educenter_services::{ServiceError, access::Principal, school_deletion};
use serde::Deserialize;

use super::{
    super::{Layout, PageResult, redirect_with_flash},
    contract::{Unconfirmed, render_contract},
};
use crate::{AppState, ClientOrigin, auth::KeptUser};

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct DeletionForm {
    password: String,
    confirm: String,
}

/// The contract page again with the message of each wrong field.
async fn again(
    state: &AppState,
    headers: &HeaderMap,
    who: &Principal,
    e: ServiceError,
) -> PageResult {
    match e {
        ServiceError::Invalid(errors) => {
            let l = Layout::new(state, headers, "/cabinet/contract");
            let errors = errors.iter().map(|(f, m)| (f.clone(), l.say(m))).collect();
            render_contract(state, headers, who, Some(Unconfirmed::Deletion(errors))).await
        }
        e => Err(e.into()),
    }
}

pub(super) async fn request(
    State(state): State<AppState>,
    KeptUser(who): KeptUser,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<DeletionForm>,
) -> PageResult {
    match school_deletion::request(
        state.services(),
        &who,
        &form.password,
        &form.confirm,
        origin.0,
    )
    .await
    {
        Ok(_) => Ok(redirect_with_flash(
            &state,
            "/cabinet/contract",
            "deletion-requested",
        )),
        Err(e) => again(&state, &headers, &who, e).await,
    }
}

/// Asks for an export of the school; the contract page shows its progress and its link.
pub(super) async fn export(
    State(state): State<AppState>,
    KeptUser(who): KeptUser,
    origin: ClientOrigin,
) -> PageResult {
    educenter_services::exports::request(state.services(), &who, origin.0).await?;
    Ok(redirect_with_flash(
        &state,
        "/cabinet/contract#export",
        "export-requested",
    ))
}

pub(super) async fn undo(
    State(state): State<AppState>,
    KeptUser(who): KeptUser,
    origin: ClientOrigin,
) -> PageResult {
    school_deletion::undo(state.services(), &who, origin.0).await?;
    Ok(redirect_with_flash(
        &state,
        "/cabinet/contract",
        "deletion-undone",
    ))
}

pub(super) async fn purge_now(
    State(state): State<AppState>,
    KeptUser(who): KeptUser,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<DeletionForm>,
) -> PageResult {
    match school_deletion::purge_now(state.services(), &who, &form.password, origin.0).await {
        Ok(()) => {
            let mut res = redirect_with_flash(&state, "/", "school-purged");
            if let Ok(v) = HeaderValue::from_str(&crate::auth::clear_session_cookie(&state)) {
                res.headers_mut().append(header::SET_COOKIE, v);
            }
            Ok(res)
        }
        Err(e) => again(&state, &headers, &who, e).await,
    }
}
