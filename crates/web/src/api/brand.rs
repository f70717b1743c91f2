//! The school's own face (issue 17, item 2) through the API: the name its students see, its
//! accent colour, description, contacts and social links. The logo has its own resource,
//! `/api/v1/school/logo`.

use axum::{Json, extract::State};
use educenter_services::{
    brand::{self, BrandInput},
    store::tenancy::Tenant,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    AppState, ClientOrigin,
    auth::Auth,
    problem::{ApiError, ApiJson, Problem},
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_brand, put_brand))
}

#[derive(Serialize, ToSchema)]
pub struct BrandOut {
    /// The name the school's students see (the name given at sign-up until it is changed).
    display_name: String,
    /// The school's legal name, on its contract, invoices and acts.
    legal_name: String,
    /// The accent colour, `#rrggbb`; `null`: the platform's colour.
    accent: Option<String>,
    description: String,
    contact_email: Option<String>,
    contact_phone: Option<String>,
    contact_address: Option<String>,
    /// https addresses, shown in the site's footer.
    social_links: Vec<String>,
    /// The uploaded image the site shows as the logo; `null`: none.
    logo_media_id: Option<String>,
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct BrandIn {
    /// The name students see (1 to 120 characters).
    display_name: String,
    /// `#rrggbb`, readable on white and with white on it (contrast at least 4.5:1); `null` or
    /// empty: the platform's colour.
    accent: Option<String>,
    /// Up to 500 characters.
    description: String,
    contact_email: Option<String>,
    /// A Kazakhstan phone number, `+7…` or `8…`.
    contact_phone: Option<String>,
    /// Up to 300 characters.
    contact_address: Option<String>,
    /// Up to 8 https addresses, one per item.
    social_links: Vec<String>,
}

fn out(t: Tenant) -> BrandOut {
    BrandOut {
        display_name: t.display_name().to_owned(),
        legal_name: t.name,
        accent: t.brand.accent,
        description: t.brand.description,
        contact_email: t.brand.contact_email,
        contact_phone: t.brand.contact_phone,
        contact_address: t.brand.contact_address,
        social_links: t
            .brand
            .social_links
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
        logo_media_id: t.logo_id.map(|m| m.to_string()),
    }
}

/// The school's brand (the owner and administrators).
#[utoipa::path(get, path = "/api/v1/school/brand", tag = "content", security(("bearer" = [])),
    responses((status = 200, body = BrandOut), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn get_brand(
    State(state): State<AppState>,
    Auth(who): Auth,
) -> Result<Json<BrandOut>, ApiError> {
    Ok(Json(out(brand::school(state.services(), &who).await?)))
}

/// Replaces the school's brand as a whole: a field left out is cleared. Every bad field is
/// named and nothing changes. Audited with what changed.
#[utoipa::path(put, path = "/api/v1/school/brand", tag = "content", security(("bearer" = [])),
    request_body = BrandIn,
    responses((status = 200, body = BrandOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, body = Problem)))]
async fn put_brand(
    State(state): State<AppState>,
    Auth(who): Auth,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<BrandIn>,
) -> Result<Json<BrandOut>, ApiError> {
    let input = BrandInput {
        display_name: body.display_name,
        accent: body.accent.unwrap_or_default(),
        description: body.description,
        contact_email: body.contact_email.unwrap_or_default(),
        contact_phone: body.contact_phone.unwrap_or_default(),
        contact_address: body.contact_address.unwrap_or_default(),
        social_links: brand::links_text(&body.social_links)?,
    };
    brand::save(state.services(), &who, &input, origin.0).await?;
    Ok(Json(out(brand::school(state.services(), &who).await?)))
}
