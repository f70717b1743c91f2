//! The catalogue through the API: plans and their prices, additional services and
//! promotions.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use educenter_domain::{
    billing::{Currency, PromotionKind},
    clock::local_date,
};
use educenter_services::{
    billing::{self, catalog::PlanInput, catalog::PriceInput},
    store::billing::{Plan, Price},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    AppState, ClientOrigin,
    api::page::{PageParams, PageQuery},
    auth::KeptAuth,
    page_of,
    problem::{ApiError, ApiJson, Problem},
};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_plan))
        .routes(routes!(add_prices))
        .routes(routes!(list_plans))
        .routes(routes!(put_promotion, list_promotions))
        .routes(routes!(put_service))
        .routes(routes!(list_services))
}

page_of!(ServicePage, ServiceOut, "additional services");
page_of!(PromotionPage, PromotionOut, "promotions");
page_of!(PlanPage, PlanOut, "plans");

#[derive(Deserialize, Serialize, ToSchema, Default, Clone)]
#[serde(default)]
pub struct ServicePrice {
    currency: String,
    /// Per unit (per GB per month for `gb_month`), in minor units: at most 10000000000000
    /// (100 000 000 000.00).
    #[schema(maximum = 10_000_000_000_000_i64)]
    amount_minor: i64,
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct ServiceIn {
    #[schema(example = "extra_storage")]
    code: String,
    name: PlanNames,
    /// `one_off`, `hour`, `package` or `gb_month`.
    unit: String,
    /// Agreed by e-mail and invoiced through a quote, instead of list prices.
    price_on_request: bool,
    prices: Vec<ServicePrice>,
}

#[derive(Serialize, ToSchema)]
pub struct ServiceOut {
    code: String,
    name: PlanNames,
    unit: educenter_domain::billing::ServiceUnit,
    price_on_request: bool,
    prices: Vec<ServicePrice>,
}

impl From<educenter_services::store::service_items::ServiceItem> for ServiceOut {
    fn from(s: educenter_services::store::service_items::ServiceItem) -> Self {
        Self {
            code: s.code,
            name: PlanNames {
                ru: s.name_ru,
                kk: s.name_kk,
                en: s.name_en,
            },
            unit: s.unit,
            price_on_request: s.price_on_request,
            prices: s
                .prices
                .into_iter()
                .map(|price| ServicePrice {
                    currency: price.currency.as_str().to_owned(),
                    amount_minor: price.minor,
                })
                .collect(),
        }
    }
}

/// Creates or changes an additional service of the catalogue (super-admin, R-1.9). A new
/// service's `prices` are in force from today; an existing service's prices change only by a
/// price version (`POST /api/v1/operator/services/{code}/prices`): other prices here are a 422.
#[utoipa::path(post, path = "/api/v1/operator/services", tag = "billing", security(("bearer" = [])),
    request_body = ServiceIn,
    responses((status = 200, body = ServiceOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, body = Problem)))]
async fn put_service(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<ServiceIn>,
) -> Result<Json<ServiceOut>, ApiError> {
    let item = educenter_services::service_items::put_service(
        state.services(),
        &who,
        educenter_services::service_items::ServiceInput {
            code: body.code,
            name_ru: body.name.ru,
            name_kk: body.name.kk,
            name_en: body.name.en,
            unit: body.unit,
            price_on_request: body.price_on_request,
            prices: body
                .prices
                .into_iter()
                .map(|p| (p.currency, p.amount_minor))
                .collect(),
        },
        origin.0,
    )
    .await?;
    Ok(Json(item.into()))
}

/// The additional services with their list prices (public); order them in an application's
/// `services`.
#[utoipa::path(get, path = "/api/v1/services", tag = "billing",
    params(PageParams),
    responses((status = 200, body = ServicePage), (status = 422, description = "A bad `limit` or `after`, or a NUL in a parameter", body = Problem)))]
async fn list_services(
    State(state): State<AppState>,
    PageQuery(page): PageQuery,
) -> Result<Json<ServicePage>, ApiError> {
    let found = educenter_services::service_items::catalogue_page(state.services(), &page).await?;
    Ok(Json(ServicePage::of(found, Into::into)))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct PromotionIn {
    #[schema(example = "SPRING25")]
    code: String,
    /// `percent` (value 1-100) or `fixed` (value in minor units of `currency`, at most
    /// 10000000000000).
    kind: String,
    #[schema(maximum = 10_000_000_000_000_i64)]
    value: i64,
    currency: Option<String>,
    /// Plan codes it applies to; empty: every plan.
    plans: Vec<String>,
    valid_from: String,
    valid_to: String,
}

#[derive(Serialize, ToSchema)]
pub struct PromotionOut {
    code: String,
    kind: PromotionKind,
    value: i64,
    currency: Option<Currency>,
    plans: Vec<String>,
    valid_from: String,
    valid_to: String,
}

impl From<educenter_services::store::billing::Promotion> for PromotionOut {
    fn from(p: educenter_services::store::billing::Promotion) -> Self {
        Self {
            code: p.code,
            kind: p.kind,
            value: p.value,
            currency: p.currency,
            plans: p.plans,
            valid_from: p.valid_from.to_string(),
            valid_to: p.valid_to.to_string(),
        }
    }
}

/// Creates or changes a promotion (super-admin); a change notifies nobody (R-5.8b). The code
/// goes into an application's `promo_code` and shows as a `discount` line.
#[utoipa::path(post, path = "/api/v1/operator/promotions", tag = "billing", security(("bearer" = [])),
    request_body = PromotionIn,
    responses((status = 200, body = PromotionOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, body = Problem)))]
async fn put_promotion(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<PromotionIn>,
) -> Result<Json<PromotionOut>, ApiError> {
    let p = billing::catalog::put_promotion(
        state.services(),
        &who,
        billing::catalog::PromotionInput {
            code: body.code,
            kind: body.kind,
            value: body.value,
            currency: body.currency,
            plans: body.plans,
            valid_from: body.valid_from,
            valid_to: body.valid_to,
        },
        origin.0,
    )
    .await?;
    Ok(Json(p.into()))
}

/// Every promotion (super-admin, billing officer).
#[utoipa::path(get, path = "/api/v1/operator/promotions", tag = "billing", security(("bearer" = [])),
    params(PageParams),
    responses((status = 200, body = PromotionPage), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, description = "A bad `limit` or `after`, or a NUL in a parameter", body = Problem)))]
async fn list_promotions(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    PageQuery(page): PageQuery,
) -> Result<Json<PromotionPage>, ApiError> {
    let found = billing::catalog::promotions_page(state.services(), &who, &page).await?;
    Ok(Json(PromotionPage::of(found, Into::into)))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct PlanNames {
    ru: String,
    kk: String,
    en: String,
}

#[derive(Deserialize, Serialize, ToSchema, Default, Clone, Copy)]
#[serde(default)]
pub struct Limits {
    pub(super) students: i64,
    pub(super) staff: i64,
    pub(super) storage_bytes: i64,
    pub(super) courses: i64,
}

#[derive(Deserialize, Serialize, ToSchema, Default, Clone)]
#[serde(default)]
pub struct PriceIn {
    /// `KZT`, `EUR` or `USD`.
    #[schema(example = "KZT")]
    currency: String,
    /// 1, 3, 6 or 12.
    months: i64,
    /// Minor units (tiyn, cents): 3000000 is 30 000.00; at most 10000000000000
    /// (100 000 000 000.00), more is refused (422).
    #[schema(example = 3000000, maximum = 10_000_000_000_000_i64)]
    amount_minor: i64,
    /// The first day the price applies (not before the decision date).
    #[schema(example = "2027-01-01")]
    effective_from: String,
}

impl From<PriceIn> for PriceInput {
    fn from(p: PriceIn) -> Self {
        Self {
            currency: p.currency,
            months: p.months,
            amount_minor: p.amount_minor,
            effective_from: p.effective_from,
        }
    }
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct NewPlan {
    #[schema(example = "start")]
    code: String,
    name: PlanNames,
    limits: Limits,
    prices: Vec<PriceIn>,
}

#[derive(Serialize, ToSchema)]
pub struct PriceOut {
    currency: Currency,
    months: i64,
    amount_minor: i64,
    decided_on: String,
    effective_from: String,
}

impl From<Price> for PriceOut {
    fn from(p: Price) -> Self {
        Self {
            currency: p.amount.currency,
            months: p.months,
            amount_minor: p.amount.minor,
            decided_on: p.decided_on.to_string(),
            effective_from: p.effective_from.to_string(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PlanOut {
    code: String,
    name: PlanNames,
    limits: Limits,
    /// The prices in force today (Asia/Almaty).
    prices: Vec<PriceOut>,
}

fn plan_out(plan: Plan, prices: Vec<Price>) -> PlanOut {
    PlanOut {
        code: plan.code,
        name: PlanNames {
            ru: plan.name_ru,
            kk: plan.name_kk,
            en: plan.name_en,
        },
        limits: Limits {
            students: plan.limit_students,
            staff: plan.limit_staff,
            storage_bytes: plan.limit_storage_bytes,
            courses: plan.limit_courses,
        },
        prices: prices.into_iter().map(Into::into).collect(),
    }
}

/// Creates a plan with its prices (super-admin).
#[utoipa::path(post, path = "/api/v1/operator/plans", tag = "billing", security(("bearer" = [])),
    request_body = NewPlan,
    responses((status = 201, body = PlanOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 409, description = "The code is taken", body = Problem), (status = 422, body = Problem)))]
async fn create_plan(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<NewPlan>,
) -> Result<(StatusCode, Json<PlanOut>), ApiError> {
    let input = PlanInput {
        code: body.code,
        name_ru: body.name.ru,
        name_kk: body.name.kk,
        name_en: body.name.en,
        limits: [
            body.limits.students,
            body.limits.staff,
            body.limits.storage_bytes,
            body.limits.courses,
        ],
        prices: body.prices.into_iter().map(Into::into).collect(),
    };
    let services = state.services();
    let plan = billing::catalog::create_plan(services, &who, input, origin.0).await?;
    let today = local_date(services.clock.now());
    let prices = billing::catalog::catalogue(services, today)
        .await?
        .into_iter()
        .find(|(p, _)| p.code == plan.code)
        .map(|(_, prices)| prices)
        .unwrap_or_default();
    Ok((StatusCode::CREATED, Json(plan_out(plan, prices))))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct NewPrices {
    /// The day the change was decided (default today): notices go out from it (R-5.8a).
    decided_on: Option<String>,
    prices: Vec<PriceIn>,
}

/// Adds price versions to a plan (super-admin); periods already paid keep their price.
#[utoipa::path(post, path = "/api/v1/operator/plans/{code}/prices", tag = "billing",
    security(("bearer" = [])), request_body = NewPrices,
    responses((status = 201, body = Vec<PriceOut>), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn add_prices(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    origin: ClientOrigin,
    Path(code): Path<String>,
    ApiJson(body): ApiJson<NewPrices>,
) -> Result<(StatusCode, Json<Vec<PriceOut>>), ApiError> {
    let rows = billing::catalog::add_prices(
        state.services(),
        &who,
        &code,
        body.decided_on.as_deref(),
        body.prices.into_iter().map(Into::into).collect(),
        origin.0,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(rows.into_iter().map(Into::into).collect()),
    ))
}

/// The plans with the prices in force today (public).
#[utoipa::path(get, path = "/api/v1/plans", tag = "billing",
    params(PageParams),
    responses((status = 200, body = PlanPage), (status = 422, description = "A bad `limit` or `after`, or a NUL in a parameter", body = Problem)))]
async fn list_plans(
    State(state): State<AppState>,
    PageQuery(page): PageQuery,
) -> Result<Json<PlanPage>, ApiError> {
    let services = state.services();
    let today = local_date(services.clock.now());
    let found = billing::catalog::catalogue_page(services, today, &page).await?;
    Ok(Json(PlanPage::of(found, |(plan, prices)| {
        plan_out(plan, prices)
    })))
}
