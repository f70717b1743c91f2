//! The contract through the API: publishing offer versions (operator), objecting to one and
//! giving or withdrawing a termination notice (owner).

use axum::{Json, extract::State, http::StatusCode};
use educenter_services::{offers, store::notices::Notice};
use jiff::{Timestamp, civil::Date};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    AppState, ClientOrigin,
    auth::KeptAuth,
    problem::{ApiError, ApiJson, Problem},
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(publish))
        .routes(routes!(object))
        .routes(routes!(get_notice, give_notice, withdraw_notice))
        .routes(routes!(refuse))
        .routes(routes!(get_deletion, delete_account, undo_deletion))
        .routes(routes!(purge_now))
}

#[derive(Serialize, ToSchema)]
pub struct DeletionOut {
    #[schema(value_type = String)]
    requested_at: Timestamp,
    /// The day the school's data is deleted for good, unless the deletion is undone before.
    #[schema(value_type = String)]
    purge_on: Date,
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct DeletionIn {
    /// The owner's password.
    password: String,
    /// The school's address (slug), typed out.
    confirm: String,
}

/// The pending deletion of the school's account (the owner); 404 when none is pending.
#[utoipa::path(get, path = "/api/v1/school/deletion", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = DeletionOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
async fn get_deletion(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
) -> Result<Json<DeletionOut>, ApiError> {
    match educenter_services::school_deletion::status(state.services(), &who).await? {
        Some(d) => Ok(Json(DeletionOut {
            requested_at: d.requested_at,
            purge_on: d.purge_on,
        })),
        None => Err(
            educenter_services::ServiceError::NotFound(educenter_services::Msg::new(
                "err-no-deletion",
            ))
            .into(),
        ),
    }
}

/// Deletes the school's account (the owner, signed in, with their password and the school's
/// address typed out): the contract ends by agreement today, staff, students and programs lose
/// access at once, and all the school's data is purged 14 days later unless undone. 422 naming
/// a wrong field; 409 when a deletion is pending already.
#[utoipa::path(post, path = "/api/v1/school/deletion", tag = "accounts", security(("bearer" = [])),
    request_body = DeletionIn,
    responses((status = 202, body = DeletionOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, description = "The school's data is purged already", body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn delete_account(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<DeletionIn>,
) -> Result<(StatusCode, Json<DeletionOut>), ApiError> {
    let d = educenter_services::school_deletion::request(
        state.services(),
        &who,
        &body.password,
        &body.confirm,
        origin.0,
    )
    .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(DeletionOut {
            requested_at: d.requested_at,
            purge_on: d.purge_on,
        }),
    ))
}

/// Undoes the pending deletion: nothing is purged. The contract stays ended; a new licence
/// brings the school back to work.
#[utoipa::path(delete, path = "/api/v1/school/deletion", tag = "accounts", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
async fn undo_deletion(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    origin: ClientOrigin,
) -> Result<StatusCode, ApiError> {
    educenter_services::school_deletion::undo(state.services(), &who, origin.0).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct PurgeIn {
    /// The owner's password.
    password: String,
}

/// Purges the school whose deletion is pending at once (the owner, with their password); every
/// session ends, the owner's too.
#[utoipa::path(post, path = "/api/v1/school/deletion/purge", tag = "accounts", security(("bearer" = [])),
    request_body = PurgeIn,
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn purge_now(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<PurgeIn>,
) -> Result<StatusCode, ApiError> {
    educenter_services::school_deletion::purge_now(
        state.services(),
        &who,
        &body.password,
        origin.0,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct RefusalOut {
    /// `refusal`: access is blocked from now on.
    block_reason: educenter_domain::tenancy::BlockReason,
    /// The data is kept until this day (refusal + 60 days), then purged.
    purge_on: Option<String>,
    /// The purge warning goes out by this day (10 business days before the purge).
    purge_warning_by: Option<String>,
}

/// A written refusal during the trial (the owner, R-4.4a): the school is blocked at once, every
/// session and token ends, and the data is kept 60 days. After the trial, give a termination
/// notice instead.
#[utoipa::path(post, path = "/api/v1/refusal", tag = "accounts", security(("bearer" = [])),
    responses((status = 201, body = RefusalOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 409, description = "Not in the trial, already blocked, or a notice is pending", body = Problem)))]
async fn refuse(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    origin: ClientOrigin,
) -> Result<(StatusCode, Json<RefusalOut>), ApiError> {
    let block = educenter_services::tenancy::refuse(state.services(), &who, origin.0).await?;
    Ok((
        StatusCode::CREATED,
        Json(RefusalOut {
            block_reason: block.reason,
            purge_on: block.purge_on.map(|d| d.to_string()),
            purge_warning_by: block.purge_warning_on.map(|d| d.to_string()),
        }),
    ))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct NewVersion {
    text_ru: String,
    text_kk: Option<String>,
    change_summary: String,
}

#[derive(Serialize, ToSchema)]
pub struct PublishedVersion {
    number: i64,
    #[schema(value_type = String)]
    published_at: Timestamp,
    #[schema(value_type = String)]
    published_on: Date,
    /// The last day to object: publication + 5 days, rolled to a business day (R-2.3b).
    #[schema(value_type = String)]
    objection_deadline: Date,
    /// 00:00 Asia/Almaty after the window.
    #[schema(value_type = String)]
    deemed_acceptance_at: Timestamp,
    /// True when the window reaches a year whose calendar is not loaded.
    provisional: bool,
    /// How many owners were e-mailed.
    notified: usize,
}

/// Publishes a new version of the offer (operator super-admin).
#[utoipa::path(post, path = "/api/v1/operator/offers", tag = "operator", security(("bearer" = [])),
    request_body = NewVersion,
    responses((status = 201, body = PublishedVersion), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn publish(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<NewVersion>,
) -> Result<(StatusCode, Json<PublishedVersion>), ApiError> {
    let p = offers::publish(
        state.services(),
        &who,
        &body.text_ru,
        body.text_kk.as_deref(),
        &body.change_summary,
        origin.0,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(PublishedVersion {
            number: p.number,
            published_at: p.published_at,
            published_on: p.published_on,
            objection_deadline: p.objection_deadline,
            deemed_acceptance_at: p.deemed_acceptance_at,
            provisional: p.provisional,
            notified: p.notified,
        }),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct NoticeOut {
    id: String,
    /// `objection`, `notice` or `refusal`.
    reason: educenter_domain::tenancy::EndReason,
    /// The version objected to.
    offer_version: Option<i64>,
    /// The version that governs until the end.
    governing_version: i64,
    filed_on: String,
    /// The contract stays in force through this day (Asia/Almaty).
    effective_on: String,
}

impl From<Notice> for NoticeOut {
    fn from(n: Notice) -> Self {
        Self {
            id: n.id,
            reason: n.reason,
            offer_version: n.offer_version,
            governing_version: n.governing_version,
            filed_on: n.filed_on.to_string(),
            effective_on: n.effective_on.to_string(),
        }
    }
}

/// Objects to the newest offer version within its window (the owner): the contract ends after
/// 10 business days under the previous version (R-2.3c, A-12).
#[utoipa::path(post, path = "/api/v1/offer/objection", operation_id = "object_to_offer", tag = "accounts", security(("bearer" = [])),
    responses((status = 201, body = NoticeOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 409, description = "The window closed, the version is accepted, or a notice is pending", body = Problem)))]
async fn object(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    origin: ClientOrigin,
) -> Result<(StatusCode, Json<NoticeOut>), ApiError> {
    let n = offers::object(state.services(), &who, origin.0).await?;
    Ok((StatusCode::CREATED, Json(n.into())))
}

/// The pending termination notice (the owner).
#[utoipa::path(get, path = "/api/v1/termination", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = NoticeOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, description = "No notice is pending", body = Problem)))]
async fn get_notice(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
) -> Result<Json<NoticeOut>, ApiError> {
    match offers::pending_notice(state.services(), &who).await? {
        Some(n) => Ok(Json(n.into())),
        None => Err(Problem::new(
            StatusCode::NOT_FOUND,
            "not-found",
            "No termination notice is pending.".to_owned(),
        )
        .into()),
    }
}

/// Gives written notice of termination (the owner): the contract stays in force through the
/// 10th business day after today.
#[utoipa::path(post, path = "/api/v1/termination", tag = "accounts", security(("bearer" = [])),
    responses((status = 201, body = NoticeOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 409, body = Problem)))]
async fn give_notice(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    origin: ClientOrigin,
) -> Result<(StatusCode, Json<NoticeOut>), ApiError> {
    let n = offers::give_notice(state.services(), &who, origin.0).await?;
    Ok((StatusCode::CREATED, Json(n.into())))
}

/// Withdraws the pending notice before it takes effect (the owner).
#[utoipa::path(delete, path = "/api/v1/termination", tag = "accounts", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn withdraw_notice(
    State(state): State<AppState>,
    KeptAuth(who): KeptAuth,
    origin: ClientOrigin,
) -> Result<StatusCode, ApiError> {
    offers::withdraw_notice(state.services(), &who, origin.0).await?;
    Ok(StatusCode::NO_CONTENT)
}
