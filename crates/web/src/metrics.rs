//! Prometheus metrics at `/metrics`: request counts and latency by route (recorded by
//! `middleware::track_requests`), job and runs by state, mail outbox depth.
//!
//! They say how busy the product is and how its queues stand, which is nobody's business but
//! the operator's: they are served on a listener of their own (`--metrics-listen`, on a
//! private address) or behind a bearer token (`--metrics-token`), and not at all otherwise.

use std::sync::{Arc, OnceLock};

use axum::{
    Router,
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use educenter_domain::queues::{JobState, MailState};
use educenter_services::{Services, ops};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::problem::ApiError;

#[derive(Clone)]
struct Exporter {
    services: Services,
    /// The bearer token a scrape must send, when one is configured.
    token: Option<Arc<str>>,
}

/// `GET /metrics` alone, behind the bearer token when one is given.
pub fn router(services: Services, token: Option<String>) -> Router {
    let _ = handle();
    Router::new()
        .route("/metrics", get(render))
        .with_state(Exporter {
            services,
            token: token.map(Arc::from),
        })
}

/// Compares the whole token whatever the first difference, so the time taken says nothing of
/// how much of a guess was right.
fn bearer_matches(headers: &HeaderMap, token: &str) -> bool {
    let Some(given) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    else {
        return false;
    };
    given.len() == token.len()
        && given
            .bytes()
            .zip(token.bytes())
            .fold(0u8, |diff, (a, b)| diff | (a ^ b))
            == 0
}

/// The process-wide recorder (metrics are per process, whatever number of apps it serves).
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(
                Matcher::Full("educenter_http_request_duration_seconds".to_owned()),
                &[
                    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
                ],
            )
            .unwrap_or_else(|_| PrometheusBuilder::new());
        match builder.install_recorder() {
            Ok(handle) => handle,
            Err(e) => {
                // Another recorder is installed (only possible in an embedding program):
                // keep serving with a detached one.
                tracing::warn!(error = %e, "metrics recorder already installed");
                PrometheusBuilder::new().build_recorder().handle()
            }
        }
    })
}

async fn render(State(exporter): State<Exporter>, headers: HeaderMap) -> Response {
    if let Some(token) = &exporter.token
        && !bearer_matches(&headers, token)
    {
        return ApiError::unauthorized(&educenter_services::Msg::new("err-metrics-token"))
            .into_response();
    }
    match ops::queue_counts(&exporter.services).await {
        Ok(ops::QueueCounts {
            jobs: job_counts,
            mail: mail_counts,
        }) => {
            fn count<S: PartialEq>(counts: &[(S, i64)], s: S) -> i64 {
                counts.iter().find(|(k, _)| *k == s).map_or(0, |(_, n)| *n)
            }
            for &s in JobState::ALL {
                metrics::gauge!("educenter_jobs", "state" => s.as_str())
                    .set(count(&job_counts, s) as f64);
            }
            for &s in MailState::ALL {
                let n = count(&mail_counts, s);
                metrics::gauge!("educenter_mail_outbox", "state" => s.as_str()).set(n as f64);
            }
            let depth =
                count(&mail_counts, MailState::Queued) + count(&mail_counts, MailState::Sending);
            metrics::gauge!("educenter_mail_outbox_depth").set(depth as f64);
            // How old the last successful backup is; absent until the first.
            if let Ok(Some(age)) =
                educenter_services::backup::last_success_age(&exporter.services).await
            {
                metrics::gauge!("educenter_backup_last_success_age_seconds").set(age.as_secs_f64());
            }
            (
                [(
                    header::CONTENT_TYPE,
                    "text/plain; version=0.0.4; charset=utf-8",
                )],
                handle().render(),
            )
                .into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "metrics: database unavailable");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
