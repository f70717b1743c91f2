//! EduCenter's HTTP layer: the JSON API under `/api/v1` with its OpenAPI document, the
//! server-rendered pages, and the middleware every request passes through.

pub mod api;
pub mod auth;
pub mod base;
pub mod media;
pub mod metrics;
mod middleware;
pub mod pages;
pub mod problem;

use std::{collections::HashMap, net::SocketAddr, sync::Arc, time::Duration};

use axum::{
    Router,
    extract::{ConnectInfo, FromRequestParts, State},
    http::{HeaderName, HeaderValue, Method, StatusCode, header, request::Parts},
    middleware::from_fn_with_state,
    response::{IntoResponse, Response},
    routing::get,
};
use educenter_services::{Services, store::audit::Origin};
use tower_http::{
    catch_panic::CatchPanicLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    set_header::SetResponseHeaderLayer,
    trace::TraceLayer,
};

pub use educenter_services::i18n;
use educenter_services::i18n::I18n;

/// Settings of the HTTP layer.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// The address people reach the product at, e.g. `https://educenter.kz`.
    pub public_url: String,
    /// Mounts `/api/v1/test/*` and checks every served API route is documented.
    pub test_mode: bool,
    /// The largest request body accepted, in bytes.
    pub body_limit: usize,
    /// How long a request may take before it is answered 408 (test-mode clock moves are
    /// exempt).
    pub request_timeout: Duration,
    /// With `educenter.kz`, each school's site also answers at `{slug}.educenter.kz`.
    pub base_domain: Option<String>,
    /// The proxies whose `X-Forwarded-For` names the client (none: the socket's address).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// With a token, `/metrics` is served behind it; without, not on this listener (404).
    pub metrics_token: Option<String>,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            public_url: "http://127.0.0.1:8080".to_owned(),
            test_mode: false,
            body_limit: 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            trusted_proxies: Vec::new(),
            base_domain: None,
            metrics_token: None,
        }
    }
}

struct Inner {
    services: Services,
    config: WebConfig,
    csrf: pages::csrf::Policy,
    openapi_json: String,
    /// Each documented operation's statuses.
    documented: HashMap<(String, Method), Vec<u16>>,
}

/// What every handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

impl AppState {
    pub fn services(&self) -> &Services {
        &self.0.services
    }

    pub fn config(&self) -> &WebConfig {
        &self.0.config
    }

    /// Where forms may come from.
    pub(crate) fn csrf(&self) -> &pages::csrf::Policy {
        &self.0.csrf
    }

    pub fn i18n(&self) -> &I18n {
        self.0.services.i18n
    }

    /// The statuses the document lists for an operation; `None` when it is not documented.
    fn documented(&self, path: &str, method: &Method) -> Option<&[u16]> {
        self.0
            .documented
            .get(&(path.to_owned(), method.clone()))
            .map(Vec::as_slice)
    }
}

/// Where a request came from, for the audit log and sign-in throttling.
pub struct ClientOrigin(pub Origin);

/// The client's address: the socket's, or, for a request from a trusted proxy, the nearest
/// address in `X-Forwarded-For` that is not a trusted proxy (set by [`client_ip`]).
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub std::net::IpAddr);

/// The client's address of a request, believing `X-Forwarded-For` only from trusted proxies
/// (a client cannot make up its own address to dodge throttling).
pub fn client_address(
    peer: Option<std::net::IpAddr>,
    forwarded: Option<&str>,
    trusted: &[ipnet::IpNet],
) -> Option<std::net::IpAddr> {
    let peer = peer?;
    let is_trusted = |ip: &std::net::IpAddr| trusted.iter().any(|n| n.contains(ip));
    if !is_trusted(&peer) {
        return Some(peer);
    }
    let mut nearest = peer;
    for hop in forwarded.unwrap_or_default().rsplit(',') {
        match hop.trim().parse::<std::net::IpAddr>() {
            Ok(ip) if is_trusted(&ip) => nearest = ip,
            Ok(ip) => return Some(ip),
            Err(_) => break,
        }
    }
    Some(nearest)
}

impl<S: Send + Sync> FromRequestParts<S> for ClientOrigin {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(origin_of(&parts.extensions, &parts.headers)))
    }
}

/// Where a request came from: the client's address (see [`ClientIp`]) and its browser (the
/// first 512 characters of `User-Agent`).
pub(crate) fn origin_of(
    extensions: &axum::http::Extensions,
    headers: &axum::http::HeaderMap,
) -> Origin {
    origin_from(client_ip_of(extensions), headers.get(header::USER_AGENT))
}

/// The client's address of a request (see [`ClientIp`]).
pub(crate) fn client_ip_of(extensions: &axum::http::Extensions) -> Option<std::net::IpAddr> {
    match extensions.get::<ClientIp>() {
        Some(ClientIp(ip)) => Some(*ip),
        None => extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip()),
    }
}

/// The origin of a client's address and `User-Agent` header.
pub(crate) fn origin_from(
    ip: Option<std::net::IpAddr>,
    user_agent: Option<&axum::http::HeaderValue>,
) -> Origin {
    Origin {
        ip: ip.map(|ip| ip.to_string()),
        user_agent: user_agent.and_then(|v| v.to_str().ok()).map(|s| {
            // `to_str` admits visible ASCII only: 512 bytes are 512 characters.
            s[..s.len().min(512)].to_owned()
        }),
    }
}

/// Builds the whole application: API, pages, metrics, middleware.
pub fn app(services: Services, config: WebConfig) -> Result<Router, String> {
    let (api_router, mut openapi) = api::routes(config.test_mode).split_for_parts();
    api::complete(&mut openapi);
    let mut documented = HashMap::new();
    for (path, item) in &openapi.paths.paths {
        for (method, op) in [
            (Method::GET, &item.get),
            (Method::POST, &item.post),
            (Method::PUT, &item.put),
            (Method::PATCH, &item.patch),
            (Method::DELETE, &item.delete),
        ] {
            if let Some(op) = op {
                let statuses = op
                    .responses
                    .responses
                    .keys()
                    .filter_map(|s| s.parse().ok())
                    .collect();
                documented.insert((path.clone(), method), statuses);
            }
        }
    }
    let openapi_json = openapi.to_pretty_json().map_err(|e| e.to_string())?;
    let test_mode = config.test_mode;
    let metrics = config
        .metrics_token
        .clone()
        .map(|token| metrics::router(services.clone(), Some(token)));
    let state = AppState(Arc::new(Inner {
        services,
        csrf: pages::csrf::Policy::new(&config),
        config,
        openapi_json,
        documented,
    }));
    let _ = metrics::handle();

    let mut router = Router::new()
        .merge(api_router)
        .route("/api/openapi.json", get(openapi_document))
        .route("/media/{id}", get(media::serve))
        .route("/exports/{id}/download", get(media::export_download))
        .merge(pages::routes(&state))
        .fallback(middleware::not_found);
    if let Some(metrics) = metrics {
        router = router.route_service("/metrics", metrics);
    }
    // Inside the guard: what it answers must be documented like any handler's answer.
    router = router.layer(from_fn_with_state(state.clone(), middleware::refuse_nul));
    if test_mode {
        router = router.layer(from_fn_with_state(state.clone(), middleware::openapi_guard));
    }
    let limit = state.config().body_limit;
    let hsts = state.config().public_url.starts_with("https://");
    // `Router::layer` wraps every route (after routing, so `MatchedPath` is known); the
    // last layer added is the outermost: metrics see every answer, and `error_bodies` gives
    // a body to the bare answers of the limit, timeout and panic layers.
    let router = router
        .layer(axum::extract::DefaultBodyLimit::max(limit))
        .layer(from_fn_with_state(state.clone(), middleware::limit_body))
        .layer(from_fn_with_state(state.clone(), middleware::timeout))
        .layer(CatchPanicLayer::custom(|_| {
            problem::Problem::from_status(StatusCode::INTERNAL_SERVER_ERROR).into_response()
        }))
        .layer(from_fn_with_state(state.clone(), middleware::error_bodies))
        .layer(from_fn_with_state(
            state.clone(),
            middleware::track_requests,
        ));
    let router = security_headers(router, hsts)
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
            let id = req
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid));
    let base_domain = state.config().base_domain.clone();
    let trusted = std::sync::Arc::new(state.config().trusted_proxies.clone());
    // The client's address, believing X-Forwarded-For only from trusted proxies.
    let router = router.layer(axum::middleware::from_fn(
        move |mut req: axum::extract::Request, next: axum::middleware::Next| {
            let trusted = trusted.clone();
            async move {
                let peer = req
                    .extensions()
                    .get::<ConnectInfo<SocketAddr>>()
                    .map(|ConnectInfo(a)| a.ip());
                // Several header lines read as one list (RFC 9110, 5.3): a proxy that appends
                // its own line leaves the client's forged first line at the front.
                let lines: Vec<&str> = req
                    .headers()
                    .get_all("x-forwarded-for")
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .collect();
                let forwarded = (!lines.is_empty()).then(|| lines.join(", "));
                if let Some(ip) = client_address(peer, forwarded.as_deref(), &trusted) {
                    req.extensions_mut().insert(ClientIp(ip));
                }
                next.run(req).await
            }
        },
    ));
    let router = router.with_state(state);
    Ok(match base_domain {
        // The host is looked at before routing, so the school's subdomain reaches its pages.
        Some(domain) => Router::new()
            .fallback_service(router)
            .layer(axum::middleware::from_fn(move |req, next| {
                middleware::school_host(domain.clone(), req, next)
            })),
        None => router,
    })
}

fn security_headers(router: Router<AppState>, hsts: bool) -> Router<AppState> {
    let headers: [(HeaderName, &'static str); 6] = [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
             object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        (
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=()",
        ),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
    ];
    let mut router = router;
    for (name, value) in headers {
        router = router.layer(SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_static(value),
        ));
    }
    if hsts {
        router = router.layer(SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        ));
    }
    router
}

async fn openapi_document(State(state): State<AppState>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        state.0.openapi_json.clone(),
    )
        .into_response()
}

#[cfg(test)]
mod client_address_tests {
    use super::client_address;

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let trusted: Vec<ipnet::IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        let ip = |s: &str| s.parse::<std::net::IpAddr>().ok();
        // A client talking to us directly cannot choose its address.
        assert_eq!(
            client_address(ip("203.0.113.7"), Some("198.51.100.1"), &trusted),
            ip("203.0.113.7")
        );
        // Through the load balancer: the nearest hop that is not one of ours.
        assert_eq!(
            client_address(
                ip("10.0.0.2"),
                Some("1.2.3.4, 203.0.113.7, 10.0.0.9"),
                &trusted
            ),
            ip("203.0.113.7")
        );
        assert_eq!(
            client_address(ip("10.0.0.2"), None, &trusted),
            ip("10.0.0.2")
        );
        // Nothing is trusted by default.
        assert_eq!(
            client_address(ip("127.0.0.1"), Some("203.0.113.7"), &[]),
            ip("127.0.0.1")
        );
    }
}
