//! The school's brand in the cabinet's settings, `/cabinet/settings/brand` (issue 17, item 2):
//! the name students see, the logo, the accent colour (checked for contrast), the description,
//! contacts and social links, with a link to see the site as a visitor does.

use askama::Template;
use axum::{Form, extract::State, http::HeaderMap, http::StatusCode};
use educenter_services::{
    ServiceError,
    access::Principal,
    brand::{self, BrandInput},
};
use serde::Deserialize;

use super::super::{
    Layout, PageResult,
    forms::{Field, FieldErrors},
    redirect_with_flash,
};
use crate::{AppState, ClientOrigin, auth::WebUser};

pub(super) fn routes() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new().route("/cabinet/settings/brand", get(page).post(save))
}

#[derive(Template)]
#[template(path = "cabinet_brand.html")]
struct BrandPage<'a> {
    l: Layout<'a>,
    fields: Vec<Field>,
    has_logo: bool,
    /// The school's site, to see the result.
    school_url: String,
    /// The legal name, shown beside the name students see.
    legal_name: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct BrandForm {
    display_name: String,
    accent: String,
    site_description: String,
    contact_email: String,
    contact_phone: String,
    contact_address: String,
    social_links: String,
}

impl From<&BrandForm> for BrandInput {
    fn from(f: &BrandForm) -> Self {
        BrandInput {
            display_name: f.display_name.clone(),
            accent: f.accent.clone(),
            description: f.site_description.clone(),
            contact_email: f.contact_email.clone(),
            contact_phone: f.contact_phone.clone(),
            contact_address: f.contact_address.clone(),
            social_links: f.social_links.clone(),
        }
    }
}

async fn render(
    state: &AppState,
    headers: &HeaderMap,
    who: &Principal,
    again: Option<(BrandForm, FieldErrors)>,
) -> PageResult {
    let t = brand::school(state.services(), who).await?;
    let l = Layout::for_user(state, headers, "/cabinet/settings/brand", who);
    let status = if again.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let (form, errors) = again.unwrap_or_else(|| {
        let b = &t.brand;
        (
            BrandForm {
                display_name: t.display_name().to_owned(),
                accent: b.accent.clone().unwrap_or_default(),
                site_description: b.description.clone(),
                contact_email: b.contact_email.clone().unwrap_or_default(),
                contact_phone: b.contact_phone.clone().unwrap_or_default(),
                contact_address: b.contact_address.clone().unwrap_or_default(),
                social_links: b.social_links.clone(),
            },
            FieldErrors::default(),
        )
    });
    let mut fields = vec![
        Field::new(&l, "display_name", "text")
            .value(form.display_name)
            .hint(&l),
        Field::new(&l, "accent", "text")
            .value(form.accent)
            .hint(&l)
            .optional(),
        Field::new(&l, "site_description", "textarea")
            .value(form.site_description)
            .hint(&l)
            .optional(),
        Field::new(&l, "contact_email", "email")
            .value(form.contact_email)
            .optional(),
        Field::new(&l, "contact_phone", "tel")
            .value(form.contact_phone)
            .optional(),
        Field::new(&l, "contact_address", "text")
            .value(form.contact_address)
            .optional(),
        Field::new(&l, "social_links", "textarea")
            .value(form.social_links)
            .hint(&l)
            .optional(),
    ];
    errors.apply(&mut fields);
    let page = BrandPage {
        fields,
        has_logo: t.logo_id.is_some(),
        school_url: state.services().school_url(&t.slug),
        legal_name: t.name.clone(),
        l,
    };
    Ok(page.l.render(status, &page))
}

async fn page(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    headers: HeaderMap,
) -> PageResult {
    render(&state, &headers, &who, None).await
}

async fn save(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<BrandForm>,
) -> PageResult {
    match brand::save(state.services(), &who, &BrandInput::from(&form), origin.0).await {
        Ok(_) => Ok(redirect_with_flash(
            &state,
            "/cabinet/settings/brand",
            "brand-saved",
        )),
        Err(ServiceError::Invalid(found)) => {
            let l = Layout::new(&state, &headers, "/cabinet/settings/brand");
            let errors = FieldErrors::from_service(
                &l,
                found,
                &[
                    ("display_name", "display_name"),
                    ("accent", "accent"),
                    ("description", "site_description"),
                    ("contact_email", "contact_email"),
                    ("contact_phone", "contact_phone"),
                    ("contact_address", "contact_address"),
                    ("social_links", "social_links"),
                ],
            );
            render(&state, &headers, &who, Some((form, errors))).await
        }
        Err(e) => Err(e.into()),
    }
}
