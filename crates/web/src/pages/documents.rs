//! Document pages (issue 5): the cabinet's acts (download, object within the window, ask for a
//! copy) and document settings, PDF downloads for people, and the back office's acts, copy
//! requests, e-mailed objections and the operator's requisites.

use askama::Template;
use axum::{
    Form, Router,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect},
    routing::{get, post},
};
use educenter_domain::roles::AccountKind;
use educenter_domain::{
    clock::local_date,
    documents::{ActStatus, CopyKind},
    roles::OperatorAction,
};
use educenter_services::{
    ServiceError,
    access::Principal,
    documents::{self, Settings},
    i18n::format_money,
    store::documents::{Act, CopyRequest, Profile},
};
use jiff::civil::Date;
use serde::Deserialize;

use super::{
    Layout, PageResult,
    forms::{Field, FieldErrors},
    redirect_with_flash,
};
use crate::{
    AppState, ClientOrigin,
    api::documents::pdf_response,
    auth::{KeptUser, OperatorUser},
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/cabinet/documents", get(cabinet))
        .route("/cabinet/documents/settings", post(save_settings))
        .route("/cabinet/billing/invoices/{id}/pdf", get(invoice_pdf))
        .route("/cabinet/acts/{id}/pdf", get(act_pdf))
        .route("/cabinet/acts/{id}/objection", post(object))
        .route("/cabinet/acts/{id}/copy", post(copy))
        .route("/operator/documents", get(operator))
        .route("/operator/documents/profile", post(save_profile))
        .route("/operator/acts/{id}/pdf", get(operator_act_pdf))
        .route("/operator/acts/{id}/objection", post(record_objection))
        .route(
            "/operator/billing/invoices/{id}/pdf",
            get(operator_invoice_pdf),
        )
        .route("/operator/act-copies/{id}/done", post(copy_done))
}

async fn copy_done(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
) -> PageResult {
    documents::copy_done(state.services(), &who, &id, origin.0).await?;
    Ok(redirect_with_flash(
        &state,
        "/operator/documents",
        "copy-done",
    ))
}

/// An act as a row of a page.
struct ActRow {
    act: Act,
    total: String,
    status: String,
    open: bool,
}

fn act_rows(l: &Layout<'_>, acts: Vec<Act>, today: Date) -> Vec<ActRow> {
    acts.into_iter()
        .map(|a| ActRow {
            total: format_money(l.lang, a.total_minor, a.currency),
            status: l.t(&format!("act-status-{}", a.status)),
            open: a.status == ActStatus::Published && a.window_ends_on >= today,
            act: a,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "documents.html")]
struct CabinetPage<'a> {
    l: Layout<'a>,
    acts: Vec<ActRow>,
    owner: bool,
    fields: Vec<Field>,
    /// (act id, message) of a refused objection.
    objection_error: Option<(String, String)>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SettingsForm {
    lang: String,
    address: String,
}

async fn render_cabinet(
    state: &AppState,
    headers: &HeaderMap,
    who: &Principal,
    form: Option<SettingsForm>,
    errors: FieldErrors,
    objection_error: Option<(String, String)>,
    status: StatusCode,
) -> PageResult {
    let l = Layout::for_user(state, headers, "/cabinet/documents", who);
    let (acts, settings) = match (
        documents::acts(state.services(), who).await,
        documents::settings(state.services(), who).await,
    ) {
        (Ok(a), Ok(s)) => (a, s),
        (Err(e), _) | (_, Err(e)) => return Err(e.into()),
    };
    let form = form.unwrap_or(SettingsForm {
        lang: settings.lang,
        address: settings.address,
    });
    let mut fields = vec![
        Field::new(&l, "document_lang", "select")
            .value(form.lang)
            .options(vec![
                ("ru".into(), "Русский".into()),
                ("kk".into(), "Қазақша".into()),
            ]),
        Field::new(&l, "address", "text")
            .value(form.address)
            .hint(&l)
            .optional(),
    ];
    errors.apply(&mut fields);
    let today = local_date(state.services().clock.now());
    let page = CabinetPage {
        acts: act_rows(&l, acts, today),
        owner: who.kind == AccountKind::Owner,
        fields,
        objection_error,
        l,
    };
    Ok(page.l.render(status, &page))
}

async fn cabinet(
    State(state): State<AppState>,
    KeptUser(who): KeptUser,
    headers: HeaderMap,
) -> PageResult {
    if who.kind == AccountKind::Operator {
        return Ok(Redirect::to("/operator/documents").into_response());
    }
    render_cabinet(
        &state,
        &headers,
        &who,
        None,
        FieldErrors::default(),
        None,
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SettingsPost {
    document_lang: String,
    address: String,
}

async fn save_settings(
    State(state): State<AppState>,
    KeptUser(who): KeptUser,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<SettingsPost>,
) -> PageResult {
    let settings = Settings {
        lang: form.document_lang.clone(),
        address: form.address.clone(),
    };
    match documents::put_settings(state.services(), &who, settings, origin.0).await {
        Ok(_) => Ok(redirect_with_flash(
            &state,
            "/cabinet/documents",
            "documents-saved",
        )),
        Err(ServiceError::Invalid(found)) => {
            let l = Layout::new(&state, &headers, "/cabinet/documents");
            let errors = FieldErrors::from_service(
                &l,
                found,
                &[("lang", "document_lang"), ("address", "address")],
            );
            render_cabinet(
                &state,
                &headers,
                &who,
                Some(SettingsForm {
                    lang: form.document_lang,
                    address: form.address,
                }),
                errors,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

async fn invoice_pdf(
    State(state): State<AppState>,
    KeptUser(who): KeptUser,
    Path(id): Path<String>,
) -> PageResult {
    let file = documents::invoice_pdf(state.services(), &who, &id).await?;
    Ok(pdf_response(file))
}

async fn act_pdf(
    State(state): State<AppState>,
    KeptUser(who): KeptUser,
    Path(id): Path<String>,
) -> PageResult {
    let file = documents::act_pdf(state.services(), &who, &id).await?;
    Ok(pdf_response(file))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ObjectionForm {
    reason: String,
    received_on: String,
}

/// The owner's objection from the cabinet; a refusal shows beside that act's field.
async fn object(
    State(state): State<AppState>,
    KeptUser(who): KeptUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<ObjectionForm>,
) -> PageResult {
    let l = Layout::new(&state, &headers, "/cabinet/documents");
    let (status, message) =
        match documents::object(state.services(), &who, &id, &form.reason, origin.0).await {
            Ok(_) => {
                return Ok(redirect_with_flash(
                    &state,
                    "/cabinet/documents",
                    "act-objected",
                ));
            }
            Err(ServiceError::Invalid(_)) => {
                (StatusCode::UNPROCESSABLE_ENTITY, l.t("error-reason"))
            }
            Err(ServiceError::Conflict(_)) => (StatusCode::CONFLICT, l.t("error-act-closed")),
            Err(e) => return Err(e.into()),
        };
    render_cabinet(
        &state,
        &headers,
        &who,
        None,
        FieldErrors::default(),
        Some((id, message)),
        status,
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CopyForm {
    kind: String,
}

async fn copy(
    State(state): State<AppState>,
    KeptUser(who): KeptUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    Form(form): Form<CopyForm>,
) -> PageResult {
    documents::request_copy(state.services(), &who, &id, &form.kind, origin.0).await?;
    Ok(redirect_with_flash(
        &state,
        "/cabinet/documents",
        "copy-requested",
    ))
}

#[derive(Template)]
#[template(path = "operator_documents.html")]
struct OperatorPage<'a> {
    l: Layout<'a>,
    may_bill: bool,
    may_edit: bool,
    acts: Vec<ActRow>,
    requests: Vec<CopyRequest>,
    fields: Vec<Field>,
    version: i64,
    objection_error: Option<(String, String)>,
}

/// The requisites' form fields, in order.
const PROFILE_FIELDS: [&str; 13] = [
    "name",
    "bin",
    "address",
    "phone",
    "email",
    "support_email",
    "bank",
    "iik",
    "bik",
    "kbe",
    "knp",
    "signer",
    "vat_percent",
];

fn profile_value(p: &Profile, name: &str) -> String {
    match name {
        "name" => p.name.clone(),
        "bin" => p.bin.clone(),
        "support_email" => p.support_email.clone(),
        "address" => p.address.clone(),
        "phone" => p.phone.clone(),
        "email" => p.email.clone(),
        "bank" => p.bank.clone(),
        "iik" => p.iik.clone(),
        "bik" => p.bik.clone(),
        "kbe" => p.kbe.clone(),
        "knp" => p.knp.clone(),
        "signer" => p.signer.clone(),
        _ => p.vat_percent.map(|v| v.to_string()).unwrap_or_default(),
    }
}

async fn render_operator(
    state: &AppState,
    headers: &HeaderMap,
    who: &Principal,
    form: Option<&ProfileForm>,
    errors: FieldErrors,
    objection_error: Option<(String, String)>,
    status: StatusCode,
) -> PageResult {
    let l = Layout::for_user(state, headers, "/operator/documents", who);
    let may_bill = who.operator_may(OperatorAction::ManageBilling);
    let (acts, requests) = if may_bill {
        documents::operator_acts(state.services(), who).await?
    } else {
        (Vec::new(), Vec::new())
    };
    let profile = documents::profile(state.services(), who).await?;
    let mut fields: Vec<Field> = PROFILE_FIELDS
        .iter()
        .map(|name| {
            let value = match form {
                Some(f) => f.value(name),
                None => profile_value(&profile, name),
            };
            let field = Field::new(&l, name, "text").value(value);
            if *name == "vat_percent" {
                field.hint(&l).optional()
            } else {
                field
            }
        })
        .collect();
    errors.apply(&mut fields);
    let today = local_date(state.services().clock.now());
    let page = OperatorPage {
        may_bill,
        may_edit: who.operator_may(OperatorAction::ManagePlatform),
        acts: act_rows(&l, acts, today),
        requests,
        fields,
        version: profile.version,
        objection_error,
        l,
    };
    Ok(page.l.render(status, &page))
}

async fn operator(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    headers: HeaderMap,
) -> PageResult {
    render_operator(
        &state,
        &headers,
        &who,
        None,
        FieldErrors::default(),
        None,
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ProfileForm {
    name: String,
    bin: String,
    address: String,
    phone: String,
    email: String,
    support_email: String,
    bank: String,
    iik: String,
    bik: String,
    kbe: String,
    knp: String,
    signer: String,
    vat_percent: String,
}

impl ProfileForm {
    fn value(&self, name: &str) -> String {
        match name {
            "name" => &self.name,
            "support_email" => &self.support_email,
            "bin" => &self.bin,
            "address" => &self.address,
            "phone" => &self.phone,
            "email" => &self.email,
            "bank" => &self.bank,
            "iik" => &self.iik,
            "bik" => &self.bik,
            "kbe" => &self.kbe,
            "knp" => &self.knp,
            "signer" => &self.signer,
            _ => &self.vat_percent,
        }
        .clone()
    }
}

/// Saves the requisites as a new version (super-admin).
async fn save_profile(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<ProfileForm>,
) -> PageResult {
    let l = Layout::new(&state, &headers, "/operator/documents");
    let vat = form.vat_percent.trim();
    let vat_percent = if vat.is_empty() {
        Ok(None)
    } else {
        vat.trim_end_matches('%').trim().parse::<i64>().map(Some)
    };
    let Ok(vat_percent) = vat_percent else {
        let mut errors = FieldErrors::default();
        errors.set("vat_percent", l.t("error-vat_percent"));
        return render_operator(
            &state,
            &headers,
            &who,
            Some(&form),
            errors,
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let profile = Profile {
        version: 0,
        name: form.name.clone(),
        bin: form.bin.clone(),
        address: form.address.clone(),
        phone: form.phone.clone(),
        email: form.email.clone(),
        support_email: form.support_email.clone(),
        bank: form.bank.clone(),
        iik: form.iik.clone(),
        bik: form.bik.clone(),
        kbe: form.kbe.clone(),
        knp: form.knp.clone(),
        signer: form.signer.clone(),
        vat_percent,
    };
    match documents::put_profile(state.services(), &who, profile, origin.0).await {
        Ok(_) => Ok(redirect_with_flash(
            &state,
            "/operator/documents",
            "profile-saved",
        )),
        Err(ServiceError::Invalid(found)) => {
            let map: Vec<(&str, &'static str)> = PROFILE_FIELDS.iter().map(|f| (*f, *f)).collect();
            let errors = FieldErrors::from_service(&l, found, &map);
            render_operator(
                &state,
                &headers,
                &who,
                Some(&form),
                errors,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

async fn operator_act_pdf(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    Path(id): Path<String>,
) -> PageResult {
    let file = documents::operator_act_pdf(state.services(), &who, &id).await?;
    Ok(pdf_response(file))
}

async fn operator_invoice_pdf(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    Path(id): Path<String>,
) -> PageResult {
    let file = documents::operator_invoice_pdf(state.services(), &who, &id).await?;
    Ok(pdf_response(file))
}

/// The billing officer records an objection that came by e-mail.
async fn record_objection(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<ObjectionForm>,
) -> PageResult {
    let l = Layout::new(&state, &headers, "/operator/documents");
    let outcome = documents::record_objection(
        state.services(),
        &who,
        &id,
        &form.reason,
        &form.received_on,
        origin.0,
    )
    .await;
    let (status, message) = match outcome {
        Ok(_) => {
            return Ok(redirect_with_flash(
                &state,
                "/operator/documents",
                "act-objected",
            ));
        }
        Err(ServiceError::Invalid(_)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            l.t("error-objection-email"),
        ),
        Err(ServiceError::Conflict(_)) => (StatusCode::CONFLICT, l.t("error-act-closed")),
        Err(e) => return Err(e.into()),
    };
    render_operator(
        &state,
        &headers,
        &who,
        None,
        FieldErrors::default(),
        Some((id, message)),
        status,
    )
    .await
}
