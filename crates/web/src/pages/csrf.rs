//! Forms are accepted only from our own pages: the browser's `Sec-Fetch-Site`, or else its
//! `Origin`, must name the product's public address (`--public-url`) or, with
//! `--base-domain`, the site of the school the form is for.
//!
//! tower-http's `CsrfLayer` (the Go 1.25 scheme) falls back to comparing `Origin` with `Host`,
//! which a reverse proxy that rewrites `Host` to an internal name breaks for every browser
//! that sends no `Sec-Fetch-Site`; and its trusted origins are a fixed list, which cannot
//! name each school's subdomain. The rules are otherwise the same.

use axum::{
    extract::{Request, State},
    http::{Method, Uri, header},
    middleware::Next,
    response::Response,
};

use crate::{AppState, WebConfig};

/// The origins forms may come from.
#[derive(Debug, Clone)]
pub struct Policy {
    /// `scheme://host[:port]` of `--public-url`, as a browser writes it in `Origin`.
    public: String,
    /// With `--base-domain`, a school's site `{scheme}://{slug}.{domain}{port}`.
    schools: Option<(String, String, String)>,
}

impl Policy {
    pub fn new(config: &WebConfig) -> Self {
        let uri: Uri = config.public_url.parse().unwrap_or_default();
        let scheme = uri.scheme_str().unwrap_or("http").to_ascii_lowercase();
        let host = uri.host().unwrap_or_default().to_ascii_lowercase();
        // Browsers leave the default port out of `Origin`.
        let port = match (scheme.as_str(), uri.port_u16()) {
            ("http", Some(80)) | ("https", Some(443)) | (_, None) => String::new(),
            (_, Some(p)) => format!(":{p}"),
        };
        Self {
            public: format!("{scheme}://{host}{port}"),
            schools: config
                .base_domain
                .as_ref()
                .map(|domain| (scheme, domain.to_ascii_lowercase(), port)),
        }
    }

    /// Whether a request that changes something may go on.
    pub fn allows(&self, method: &Method, path: &str, headers: &header::HeaderMap) -> bool {
        if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
            return true;
        }
        let value = |name| {
            headers
                .get(name)
                .map(|v| v.as_bytes())
                .filter(|v| !v.is_empty())
        };
        let origin = value(header::ORIGIN);
        match value(header::HeaderName::from_static("sec-fetch-site")) {
            // The browser itself says the form is from our page, or typed by the person.
            Some(b"same-origin" | b"none") => true,
            // Another site (or another school's): only with an origin of ours.
            Some(_) => origin.is_some_and(|o| self.trusted(o, path)),
            // An old browser says only where the form is from; a program says neither.
            None => origin.is_none_or(|o| self.trusted(o, path)),
        }
    }

    fn trusted(&self, origin: &[u8], path: &str) -> bool {
        if origin == self.public.as_bytes() {
            return true;
        }
        let Some((scheme, domain, port)) = &self.schools else {
            return false;
        };
        // The school is the one the form goes to (its subdomain was rewritten to /s/{slug}/).
        let Some(slug) = path
            .strip_prefix("/s/")
            .and_then(|rest| rest.split('/').next())
            .filter(|s| !s.is_empty())
        else {
            return false;
        };
        origin == format!("{scheme}://{slug}.{domain}{port}").as_bytes()
    }
}

/// Refuses a form from another site with a page that says so (403).
pub async fn check(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if state
        .csrf()
        .allows(req.method(), req.uri().path(), req.headers())
    {
        return next.run(req).await;
    }
    tracing::info!(
        path = %req.uri().path(),
        origin = ?req.headers().get(header::ORIGIN),
        "form from another site refused"
    );
    let lang = super::request_lang(req.headers());
    super::error_page_with(
        &state,
        lang,
        axum::http::StatusCode::FORBIDDEN,
        "error-cross-site-title",
        "error-cross-site-text",
    )
}

#[cfg(test)]
mod tests {
    use axum::http::{HeaderMap, HeaderValue, Method};

    use super::Policy;
    use crate::WebConfig;

    fn policy(public_url: &str, base_domain: Option<&str>) -> Policy {
        Policy::new(&WebConfig {
            public_url: public_url.to_owned(),
            base_domain: base_domain.map(str::to_owned),
            ..WebConfig::default()
        })
    }

    fn allows(p: &Policy, path: &str, headers: &[(&'static str, &'static str)]) -> bool {
        let mut map = HeaderMap::new();
        for (k, v) in headers {
            map.insert(*k, HeaderValue::from_static(v));
        }
        p.allows(&Method::POST, path, &map)
    }

    #[test]
    fn the_public_origin_is_written_as_browsers_write_it() {
        assert_eq!(
            policy("https://EduCenter.kz:443/app", None).public,
            "https://educenter.kz"
        );
        assert_eq!(
            policy("http://127.0.0.1:8080", None).public,
            "http://127.0.0.1:8080"
        );
    }

    #[test]
    fn forms_are_judged_by_the_public_address_not_the_host() {
        let p = policy("https://educenter.kz", Some("educenter.kz"));
        assert!(allows(&p, "/login", &[("origin", "https://educenter.kz")]));
        assert!(allows(&p, "/login", &[("sec-fetch-site", "same-origin")]));
        assert!(allows(&p, "/login", &[]));
        assert!(!allows(&p, "/login", &[("origin", "https://evil.example")]));
        assert!(!allows(&p, "/login", &[("origin", "http://educenter.kz")]));
        assert!(!allows(&p, "/login", &[("sec-fetch-site", "cross-site")]));
        assert!(!allows(
            &p,
            "/login",
            &[
                ("sec-fetch-site", "same-site"),
                ("origin", "https://alma.educenter.kz")
            ]
        ));
        // A school's site posts to its own pages.
        assert!(allows(
            &p,
            "/s/alma/signup",
            &[("origin", "https://alma.educenter.kz")]
        ));
        assert!(!allows(
            &p,
            "/s/bota/signup",
            &[("origin", "https://alma.educenter.kz")]
        ));
        assert!(!allows(
            &p,
            "/s/alma/signup",
            &[("origin", "https://alma.evil.kz")]
        ));
        let p = policy("https://educenter.kz", None);
        assert!(!allows(
            &p,
            "/s/alma/signup",
            &[("origin", "https://alma.educenter.kz")]
        ));
    }
}
