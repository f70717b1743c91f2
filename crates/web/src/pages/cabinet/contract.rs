//! The contract in the cabinet's settings (the owner's, kept while the school may not work):
//! the offer version accepted, a new version open to objection, the notice of termination and
//! the refusal during the trial, each behind a confirmation that states its consequences and
//! dates (issue 17, item 1).

use askama::Template;
use axum::{
    Form,
    extract::State,
    http::{HeaderMap, HeaderValue, StatusCode, header},
};
use educenter_domain::roles::TenantAction;
use educenter_domain::tenancy::EndReason;
use educenter_services::{
    ServiceError,
    access::Principal,
    offers,
    tenancy::{self, Licence},
};
use serde::Deserialize;

use super::{
    super::{Layout, MessagePage, PageError, PageResult, redirect_with_flash},
    may,
};
use crate::{AppState, ClientOrigin, auth::KeptUser};

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

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct ConfirmForm {
    confirm: Option<String>,
}

/// What went wrong with a confirmation: which form, and the message beside its checkbox.
pub(super) enum Unconfirmed {
    Notice(String),
    Refusal(String),
    /// The deletion of the school's account: (field, message) of each wrong field.
    Deletion(Vec<(String, String)>),
}

/// The notice of termination: confirmed by a checkbox beside the date the contract
/// would end.
async fn give_notice(
    State(state): State<AppState>,
    KeptUser(who): KeptUser,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<ConfirmForm>,
) -> PageResult {
    if form.confirm.is_none() {
        let l = Layout::new(&state, &headers, "/cabinet/contract");
        let error = Some(Unconfirmed::Notice(l.t("error-confirm")));
        return render_contract(&state, &headers, &who, error).await;
    }
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

/// The written refusal during the trial (R-4.4a): confirmed by a checkbox beside the day the
/// school's data would be deleted, it blocks the school at once, so the browser's session ends
/// with it.
async fn refuse(
    State(state): State<AppState>,
    KeptUser(who): KeptUser,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<ConfirmForm>,
) -> PageResult {
    let l = Layout::new(&state, &headers, "/cabinet/contract");
    if form.confirm.is_none() {
        let error = Some(Unconfirmed::Refusal(l.t("error-confirm")));
        return render_contract(&state, &headers, &who, error).await;
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
    /// What a notice and a refusal filed today would mean, in words with their dates.
    notice_consequences: String,
    refusal_consequences: String,
    notice_error: Option<String>,
    refusal_error: Option<String>,
    /// A deletion of the school's account waiting for its purge.
    deletion: Option<educenter_services::school_deletion::Deletion>,
    /// The password and the typed address that delete the school's account.
    deletion_fields: Vec<super::super::forms::Field>,
    /// The password that purges at once.
    purge_fields: Vec<super::super::forms::Field>,
    /// The school's latest export.
    export: Option<educenter_services::exports::ExportView>,
    /// No export is on its way: a new one may be asked for.
    may_export: bool,
}

/// The contract (the owner's, kept while the school may not work): the version accepted, a new
/// version open to objection, a pending notice and its withdrawal, a notice, the refusal during
/// the trial.
async fn contract(
    State(state): State<AppState>,
    KeptUser(who): KeptUser,
    headers: HeaderMap,
) -> PageResult {
    render_contract(&state, &headers, &who, None).await
}

pub(super) async fn render_contract(
    state: &AppState,
    headers: &HeaderMap,
    who: &Principal,
    error: Option<Unconfirmed>,
) -> PageResult {
    if !may(who, TenantAction::ManageContract) {
        return Err(PageError(ServiceError::Forbidden(
            educenter_services::Msg::new("err-owner-only"),
        )));
    }
    let services = state.services();
    let licence = tenancy::licence(services, who).await?;
    let support = educenter_services::requisites::support_email(services).await?;
    let dates = offers::ending_dates(services, who).await?;
    let l = Layout::for_user(state, headers, "/cabinet/contract", who);
    let restricted = super::super::restricted_banner(&l, who, licence.tenant.purge_on, &support);
    let in_force = licence.in_force;
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let (notice_error, refusal_error, deletion_errors) = match error {
        Some(Unconfirmed::Notice(e)) => (Some(e), None, Vec::new()),
        Some(Unconfirmed::Refusal(e)) => (None, Some(e), Vec::new()),
        Some(Unconfirmed::Deletion(e)) => (None, None, e),
        None => (None, None, Vec::new()),
    };
    let deletion = educenter_services::school_deletion::status(services, who).await?;
    let export = educenter_services::exports::latest(services, who).await?;
    let error_of = |name: &str| {
        deletion_errors
            .iter()
            .find(|(f, _)| f == name)
            .map(|(_, m)| m.clone())
    };
    let mut password = super::super::forms::Field::new(&l, "password", "password")
        .autocomplete("current-password");
    let mut confirm = super::super::forms::Field::labelled(
        "confirm",
        "text",
        l.t_args("field-confirm", &[("slug", licence.tenant.slug.clone())]),
    );
    password.error = error_of("password");
    confirm.error = error_of("confirm");
    let (deletion_fields, purge_fields) = if deletion.is_some() {
        (Vec::new(), vec![password])
    } else {
        (vec![password, confirm], Vec::new())
    };
    let page = ContractPage {
        notice_consequences: l.t_args(
            "cabinet-notice-consequences",
            &[("end", l.date(&dates.notice_ends_on))],
        ),
        refusal_consequences: l.t_args(
            "cabinet-refusal-consequences",
            &[("purge", l.date(&dates.refusal_purges_on))],
        ),
        l,
        licence,
        in_force,
        restricted,
        notice_error,
        refusal_error,
        deletion,
        deletion_fields,
        purge_fields,
        may_export: export
            .as_ref()
            .is_none_or(|x| x.status != "queued" && x.status != "running"),
        export,
    };
    Ok(page.l.render(status, &page))
}

/// The contract's routes.
pub(super) fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/cabinet/contract", get(contract))
        .route("/cabinet/objection", post(object))
        .route("/cabinet/termination", post(give_notice))
        .route("/cabinet/termination/withdraw", post(withdraw_notice))
        .route("/cabinet/refusal", post(refuse))
        .route("/cabinet/export", post(super::deletion::export))
        .route("/cabinet/deletion", post(super::deletion::request))
        .route("/cabinet/deletion/undo", post(super::deletion::undo))
        .route("/cabinet/deletion/now", post(super::deletion::purge_now))
}
