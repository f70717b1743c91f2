//! `/operator/disclosures` (issue 18, item 7; R-2.5b): the compliance officers' register of
//! disclosure requests: recording one, approving another officer's, generating its package
//! once and downloading it.

use askama::Template;
use axum::{
    Form, Router,
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use educenter_services::{
    ServiceError,
    access::Principal,
    disclosures::{self, DisclosureInput, PARTS},
    store::disclosures::Disclosure,
};
use serde::Deserialize;

use super::{
    Layout, PageResult,
    forms::{Field, FieldErrors},
    redirect_with_flash,
};
use crate::{AppState, ClientOrigin, auth::OperatorUser};

const PAGE: &str = "/operator/disclosures";

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/operator/disclosures", get(page).post(record))
        .route("/operator/disclosures/{id}/approve", post(approve))
        .route(
            "/operator/disclosures/{id}/package",
            post(generate).get(download),
        )
}

#[derive(Template)]
#[template(path = "operator_disclosures.html")]
struct DisclosuresPage<'a> {
    l: Layout<'a>,
    items: Vec<Disclosure>,
    fields: Vec<Field>,
    /// (part, its words, ticked) of the scope's boxes.
    parts: Vec<(String, String, bool)>,
    scope_error: Option<String>,
    me: String,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct RecordForm {
    tenant_id: String,
    authority: String,
    reference: String,
    received_on: String,
    legal_basis: String,
    profile: String,
    people: String,
    access: String,
    audit: String,
    content: String,
    learners: String,
    from: String,
    to: String,
    school_told: String,
    told_note: String,
}

impl RecordForm {
    fn ticked(&self, part: &str) -> bool {
        let v = match part {
            "profile" => &self.profile,
            "people" => &self.people,
            "access" => &self.access,
            "audit" => &self.audit,
            "content" => &self.content,
            _ => &self.learners,
        };
        !v.is_empty()
    }
}

const FIELDS: &[(&str, &str)] = &[
    ("tenant_id", "text"),
    ("authority", "text"),
    ("reference", "text"),
    ("received_on", "date"),
    ("legal_basis", "textarea"),
    ("from", "date"),
    ("to", "date"),
    ("school_told", "checkbox"),
    ("told_note", "textarea"),
];

async fn render(
    state: &AppState,
    headers: &HeaderMap,
    who: &Principal,
    form: RecordForm,
    errors: FieldErrors,
    status: StatusCode,
) -> PageResult {
    let all = educenter_services::store::page::PageRequest::first(
        educenter_services::store::page::MAX_LIMIT,
    );
    let items = disclosures::list(state.services(), who, &all).await?.items;
    let l = Layout::for_user(state, headers, PAGE, who);
    let value = |name: &str| match name {
        "tenant_id" => form.tenant_id.clone(),
        "authority" => form.authority.clone(),
        "reference" => form.reference.clone(),
        "received_on" => form.received_on.clone(),
        "legal_basis" => form.legal_basis.clone(),
        "from" => form.from.clone(),
        "to" => form.to.clone(),
        "school_told" => form.school_told.clone(),
        _ => form.told_note.clone(),
    };
    let mut fields: Vec<Field> = FIELDS
        .iter()
        .map(|(name, kind)| {
            let f = Field::labelled(name, kind, l.t(&format!("disclosure-field-{name}")))
                .value(value(name));
            if matches!(*name, "school_told" | "told_note") {
                f.optional()
            } else {
                f
            }
        })
        .collect();
    errors.apply(&mut fields);
    let parts = PARTS
        .iter()
        .map(|p| {
            (
                (*p).to_owned(),
                l.t(&format!("disclosure-part-{p}")),
                form.ticked(p),
            )
        })
        .collect();
    let page = DisclosuresPage {
        items,
        fields,
        parts,
        scope_error: errors.get("scope"),
        me: who.user_id.to_string(),
        l,
    };
    Ok(page.l.render(status, &page))
}

async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
    OperatorUser(who): OperatorUser,
) -> PageResult {
    render(
        &state,
        &headers,
        &who,
        RecordForm::default(),
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

async fn record(
    State(state): State<AppState>,
    headers: HeaderMap,
    OperatorUser(who): OperatorUser,
    origin: ClientOrigin,
    Form(form): Form<RecordForm>,
) -> PageResult {
    let input = DisclosureInput {
        tenant_id: form.tenant_id.clone(),
        authority: form.authority.clone(),
        reference: form.reference.clone(),
        received_on: form.received_on.clone(),
        legal_basis: form.legal_basis.clone(),
        scope: PARTS
            .iter()
            .filter(|p| form.ticked(p))
            .map(|p| (*p).to_owned())
            .collect(),
        from: form.from.clone(),
        to: form.to.clone(),
        school_told: !form.school_told.is_empty(),
        told_note: form.told_note.clone(),
    };
    match disclosures::record(state.services(), &who, &input, origin.0).await {
        Ok(_) => Ok(redirect_with_flash(&state, PAGE, "disclosure-recorded")),
        Err(ServiceError::Invalid(found)) => {
            let l = Layout::new(&state, &headers, PAGE);
            let map: Vec<(&str, &'static str)> = FIELDS
                .iter()
                .map(|(name, _)| (*name, *name))
                .chain([("scope", "scope")])
                .collect();
            let errors = FieldErrors::from_service(&l, found, &map);
            render(
                &state,
                &headers,
                &who,
                form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

async fn approve(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
) -> PageResult {
    disclosures::approve(state.services(), &who, &id, origin.0).await?;
    Ok(redirect_with_flash(&state, PAGE, "disclosure-approved"))
}

async fn generate(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
) -> PageResult {
    disclosures::generate(state.services(), &who, &id, origin.0).await?;
    Ok(redirect_with_flash(&state, PAGE, "disclosure-generated"))
}

async fn download(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
) -> Result<Response, super::PageError> {
    let (bytes, sha256) = disclosures::download(state.services(), &who, &id, origin.0).await?;
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    if let Ok(v) = HeaderValue::from_str(&sha256) {
        h.insert("x-content-sha256", v);
    }
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"disclosure-{id}.json\""))
    {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}
