//! `/s/{slug}/report` (issue 18, item 7; ): the "report content" form every page of a
//! school's site links to in its footer. A visitor's report opens a case in the operator's
//! compliance queue; the page then tells its number.

use askama::Template;
use axum::{
    Form,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
};
use educenter_domain::cases::ReportReason;
use educenter_services::{
    ServiceError,
    cases::{self, ReportInput},
    store::tenancy::Tenant,
};
use serde::Deserialize;

use super::{Layout, PageResult, School, accounts::FormPage, school, school_of};
use crate::{
    AppState, ClientOrigin,
    pages::forms::{Field, FieldErrors},
};

#[derive(Template)]
#[template(path = "school_message.html")]
struct ReportedPage<'a> {
    l: Layout<'a>,
    s: School,
    title: String,
    text: String,
    kind: &'static str,
    next: Option<(String, String)>,
}

impl ReportedPage<'_> {
    fn home(&self) -> String {
        format!("/s/{}/", self.s.slug)
    }
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub(crate) struct ReportForm {
    page: String,
    reason: String,
    details: String,
    name: String,
    email: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct ReportQuery {
    page: String,
}

fn form_page<'a>(
    state: &'a AppState,
    headers: &HeaderMap,
    t: &Tenant,
    form: &ReportForm,
    errors: FieldErrors,
) -> FormPage<'a> {
    let path = format!("/s/{}/report", t.slug);
    let l = Layout::new(state, headers, &path);
    let reasons = ReportReason::ALL
        .iter()
        .map(|r| {
            (
                r.as_str().to_owned(),
                l.t(&format!("report-reason-{}", r.as_str())),
            )
        })
        .collect();
    let mut fields = vec![
        Field::labelled("reason", "select", l.t("report-field-reason"))
            .options(reasons)
            .value(form.reason.clone()),
        Field::labelled("details", "textarea", l.t("report-field-details"))
            .value(form.details.clone()),
        Field::labelled("name", "text", l.t("report-field-name"))
            .value(form.name.clone())
            .autocomplete("name")
            .optional(),
        Field::labelled("email", "email", l.t("report-field-email"))
            .value(form.email.clone())
            .autocomplete("email")
            .optional(),
    ];
    let form_error = errors.form.clone();
    errors.apply(&mut fields);
    let page_error = errors.get("page");
    FormPage {
        title: l.t("report-title"),
        lead: if form.page.is_empty() {
            l.t("report-lead")
        } else {
            format!(
                "{} {}",
                l.t("report-lead"),
                l.t_args("report-about", &[("page", form.page.clone())])
            )
        },
        action: path,
        submit: l.t("report-submit"),
        fields,
        hidden: vec![("page", form.page.clone())],
        form_error: page_error.or(form_error),
        links: Vec::new(),
        s: school_of(t, None),
        l,
    }
}

pub(crate) async fn report_form(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    Query(q): Query<ReportQuery>,
) -> PageResult {
    let t = match school(&state, &headers, &slug).await {
        Ok(t) => t,
        Err(r) => return Ok(r),
    };
    let form = ReportForm {
        // Only a path of this site is kept; anything else reports the site as a whole.
        page: Some(q.page)
            .filter(|p| educenter_domain::cases::target_of(p, &t.slug).is_some() && p.len() <= 500)
            .unwrap_or_default(),
        ..ReportForm::default()
    };
    let page = form_page(&state, &headers, &t, &form, FieldErrors::default());
    Ok(page.l.render(StatusCode::OK, &page))
}

pub(crate) async fn report_submit(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<ReportForm>,
) -> PageResult {
    let t = match school(&state, &headers, &slug).await {
        Ok(t) => t,
        Err(r) => return Ok(r),
    };
    let input = ReportInput {
        page: form.page.clone(),
        reason: form.reason.clone(),
        details: form.details.clone(),
        name: form.name.clone(),
        email: form.email.clone(),
    };
    let lang = crate::base::request_lang(&headers);
    match cases::report(state.services(), &t.slug, &input, lang, origin.0).await {
        Ok(number) => {
            let path = format!("/s/{}/report", t.slug);
            let l = Layout::new(&state, &headers, &path);
            let page = ReportedPage {
                title: l.t("report-title"),
                text: l.t_args("report-received", &[("number", number.clone())]),
                kind: "success",
                next: None,
                s: school_of(&t, None),
                l,
            };
            Ok(page.l.render(StatusCode::CREATED, &page))
        }
        Err(ServiceError::Invalid(found)) => {
            let l = Layout::new(&state, &headers, "");
            let map = [
                ("reason", "reason"),
                ("details", "details"),
                ("name", "name"),
                ("email", "email"),
                ("page", "page"),
            ];
            let errors = FieldErrors::from_service(&l, found, &map);
            let page = form_page(&state, &headers, &t, &form, errors);
            Ok(page.l.render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}
