//! Licensee sign-up through the API (R-4.1a, R-2.2a).

use axum::{Json, extract::State, http::HeaderMap, http::StatusCode};
use educenter_services::accounts::{self, SignupInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    AppState, ClientOrigin,
    problem::{ApiError, ApiJson, Problem},
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(signup))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct SignupOrganization {
    /// The licensee's name as it appears on documents.
    #[schema(example = "Alma School")]
    name: String,
    /// `individual`, `sole_proprietor` or `legal_entity`.
    #[schema(example = "legal_entity")]
    kind: String,
    /// A resident's 12-digit IIN (individuals, sole proprietors) or BIN (legal entities),
    /// checked by its check digit; a foreign tax number for non-residents.
    #[schema(example = "123456789013")]
    bin_iin: String,
    resident: bool,
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct SignupOwner {
    full_name: String,
    email: String,
    /// International form, e.g. `+77011234567`.
    phone: String,
    /// At least 10 characters mixing letters with digits or symbols.
    password: String,
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct SignupRequest {
    organization: SignupOrganization,
    owner: SignupOwner,
    /// 3-40 characters of `[a-z0-9-]`: the school's address.
    #[schema(example = "alma-school")]
    slug: String,
    /// The offer checkbox: must be `true`.
    accept_offer: bool,
}

#[derive(Serialize, ToSchema)]
pub struct TenantRef {
    id: String,
    slug: String,
}

#[derive(Serialize, ToSchema)]
pub struct LicenseSummary {
    /// `trial` right after sign-up.
    state: &'static str,
    /// The last day of the trial: creation date + 14 (local dates, Asia/Almaty).
    #[schema(example = "2027-02-03")]
    trial_ends_on: String,
    /// The last day to apply for a plan: creation date + 30.
    #[schema(example = "2027-02-19")]
    application_deadline: String,
}

#[derive(Serialize, ToSchema)]
pub struct SignupResponse {
    tenant: TenantRef,
    license: LicenseSummary,
}

/// Signs up a licensee: creates the tenant in its trial, the owner, the contract and the
/// acceptance of the current offer, and e-mails the access details with a verification link.
#[utoipa::path(post, path = "/api/v1/signup", tag = "accounts", request_body = SignupRequest,
    responses(
        (status = 201, description = "Created, in trial", body = SignupResponse),
        (status = 409, description = "The slug is taken, or the IIN/BIN, e-mail or phone already had a trial", body = Problem),
        (status = 422, description = "Invalid fields; nothing was created", body = Problem)))]
async fn signup(
    State(state): State<AppState>,
    origin: ClientOrigin,
    headers: HeaderMap,
    ApiJson(body): ApiJson<SignupRequest>,
) -> Result<(StatusCode, Json<SignupResponse>), ApiError> {
    let input = SignupInput {
        organization_name: body.organization.name,
        kind: body.organization.kind,
        bin_iin: body.organization.bin_iin,
        resident: body.organization.resident,
        owner_full_name: body.owner.full_name,
        owner_email: body.owner.email,
        owner_phone: body.owner.phone,
        owner_password: body.owner.password,
        slug: body.slug,
        accept_offer: body.accept_offer,
        locale: crate::base::request_lang(&headers),
    };
    let done = accounts::signup_licensee(state.services(), input, origin.0).await?;
    Ok((
        StatusCode::CREATED,
        Json(SignupResponse {
            tenant: TenantRef {
                id: done.tenant_id.into_string(),
                slug: done.slug,
            },
            license: LicenseSummary {
                state: "trial",
                trial_ends_on: done.trial_ends_on.to_string(),
                application_deadline: done.application_deadline.to_string(),
            },
        }),
    ))
}
