//! Test mode (`--test-mode`): the test clock and the captured mail. Without test mode none of
//! these routes exist, so every `/api/v1/test/*` path answers 404.

use axum::{
    Json,
    extract::{Query, State},
    http::StatusCode,
};
use educenter_services::testing;
use jiff::{Span, Timestamp};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    AppState, ClientOrigin,
    problem::{ApiError, ApiJson, FieldError, Problem},
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_clock, set_clock))
        .routes(routes!(advance_clock))
        .routes(routes!(list_mail, queue_mail))
}

#[derive(Serialize, ToSchema)]
pub struct ClockNow {
    /// The test clock's instant, RFC 3339.
    #[schema(value_type = String, example = "2027-04-08T04:00:00Z")]
    now: Timestamp,
}

#[derive(Deserialize, ToSchema)]
pub struct SetClock {
    /// The new instant, RFC 3339 with an offset; not earlier than now.
    #[schema(example = "2027-04-08T09:00:00+05:00")]
    now: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Advance {
    #[serde(default)]
    days: i64,
    #[serde(default)]
    hours: i64,
    #[serde(default)]
    minutes: i64,
}

/// The test clock.
#[utoipa::path(get, path = "/api/v1/test/clock", tag = "test-mode",
    responses((status = 200, body = ClockNow)))]
async fn get_clock(State(state): State<AppState>) -> Json<ClockNow> {
    Json(ClockNow {
        now: state.services().clock.now(),
    })
}

/// Moves the test clock forward to an instant, running every job due on the way.
#[utoipa::path(post, path = "/api/v1/test/clock", tag = "test-mode", request_body = SetClock,
    responses(
        (status = 200, description = "Moved; everything due by then has run", body = ClockNow),
        (status = 409, description = "The instant is earlier than now", body = Problem),
        (status = 422, description = "Not an RFC 3339 instant", body = Problem)))]
async fn set_clock(
    State(state): State<AppState>,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<SetClock>,
) -> Result<Json<ClockNow>, ApiError> {
    let to: Timestamp = body.now.parse().map_err(|e| {
        Problem::invalid(vec![FieldError {
            field: "now".into(),
            message: format!("must be an RFC 3339 instant with an offset: {e}"),
        }])
    })?;
    let now = testing::set_clock(state.services(), to, origin.0).await?;
    Ok(Json(ClockNow { now }))
}

/// Moves the test clock forward by days, hours and minutes, running every job due on the
/// way in time order; answers when all of it has run.
#[utoipa::path(post, path = "/api/v1/test/clock/advance", tag = "test-mode", request_body = Advance,
    responses(
        (status = 200, description = "Moved; everything due by then has run", body = ClockNow),
        (status = 422, description = "A negative or too large step", body = Problem)))]
async fn advance_clock(
    State(state): State<AppState>,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<Advance>,
) -> Result<Json<ClockNow>, ApiError> {
    let mut errors = Vec::new();
    for (field, value, max) in [
        ("days", body.days, 3660),
        ("hours", body.hours, 24 * 3660),
        ("minutes", body.minutes, 60 * 24 * 3660),
    ] {
        if !(0..=max).contains(&value) {
            errors.push(FieldError {
                field: field.into(),
                message: format!("must be between 0 and {max}"),
            });
        }
    }
    if !errors.is_empty() {
        return Err(Problem::invalid(errors).into());
    }
    let step = Span::new()
        .days(body.days)
        .hours(body.hours)
        .minutes(body.minutes);
    let now = testing::advance_clock(state.services(), step, origin.0).await?;
    Ok(Json(ClockNow { now }))
}

#[derive(Deserialize, IntoParams)]
pub struct MailQuery {
    /// The recipient's address.
    to: String,
}

#[derive(Serialize, ToSchema)]
pub struct SentMail {
    subject: String,
    text: String,
    /// Every http(s) link in the text, in order.
    links: Vec<String>,
    #[schema(value_type = String)]
    sent_at: Timestamp,
}

/// Messages sent to an address, newest first. Delivers whatever is due first.
#[utoipa::path(get, path = "/api/v1/test/mail", tag = "test-mode", params(MailQuery),
    responses((status = 200, body = Vec<SentMail>)))]
async fn list_mail(
    State(state): State<AppState>,
    Query(q): Query<MailQuery>,
) -> Result<Json<Vec<SentMail>>, ApiError> {
    let services = state.services();
    let to = q.to.trim();
    // Deliver what is due, and wait for deliveries another sender has in hand (up to 10 s;
    // an SMTP exchange takes far less), so the answer does not depend on which sender got to
    // a message first.
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        if let Err(e) = services.mailer.deliver_due().await {
            tracing::warn!(error = %format!("{e:#}"), "delivering due mail failed");
        }
        let pending = testing::pending_mail_to(services, to).await?;
        if pending == 0 || tokio::time::Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let sent = testing::sent_mail_to(services, to, 500).await?;
    Ok(Json(
        sent.into_iter()
            .map(|m| SentMail {
                links: links(&m.text),
                subject: m.subject,
                text: m.text,
                sent_at: m.sent_at.unwrap_or(m.created_at),
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct QueueMail {
    to: String,
    subject: String,
    text: String,
}

#[derive(Serialize, ToSchema)]
pub struct Queued {
    id: String,
}

/// Queues a message through the outbox, exactly as a use case does.
#[utoipa::path(post, path = "/api/v1/test/mail", tag = "test-mode", request_body = QueueMail,
    responses((status = 201, body = Queued), (status = 422, body = Problem)))]
async fn queue_mail(
    State(state): State<AppState>,
    origin: ClientOrigin,
    ApiJson(body): ApiJson<QueueMail>,
) -> Result<(StatusCode, Json<Queued>), ApiError> {
    let id = testing::queue_mail(
        state.services(),
        &body.to,
        body.subject,
        body.text,
        origin.0,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(Queued { id })))
}

/// The http(s) links of a plain-text message.
fn links(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '(' | ')'))
        .filter(|w| w.starts_with("http://") || w.starts_with("https://"))
        .map(|w| {
            w.trim_end_matches(['.', ',', ';', ':', '!', '?'])
                .to_owned()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn links_are_found_in_text() {
        assert_eq!(
            super::links("Open https://x.kz/a?b=1. Or (http://y.kz/c), <https://z.kz>"),
            ["https://x.kz/a?b=1", "http://y.kz/c", "https://z.kz"]
        );
    }
}
