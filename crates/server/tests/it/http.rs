//! HTTP basics: health, problem+json for every API error, limits, headers, pages, assets.

use serde_json::json;

use crate::harness::TestApp;

#[tokio::test]
async fn health_and_readiness() {
    let app = TestApp::start().await;
    let res = app.get("/healthz").await;
    assert_eq!(res.status, 200);
    assert_eq!(res.json(), json!({ "status": "ok" }));
    let res = app.get("/readyz").await;
    assert_eq!(res.status, 200);
    assert_eq!(res.json()["database"], app.db.engine);
    app.stop().await;
}

#[tokio::test]
async fn every_response_has_security_headers_and_a_request_id() {
    let app = TestApp::start().await;
    for path in ["/", "/healthz", "/api/v1/nope", "/no-such-page"] {
        let res = app.get(path).await;
        assert!(
            res.header("content-security-policy")
                .contains("frame-ancestors 'none'"),
            "{path}"
        );
        assert_eq!(res.header("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(
            res.header("referrer-policy"),
            "strict-origin-when-cross-origin"
        );
        assert_eq!(res.header("x-request-id").len(), 36, "{path}");
        // No HSTS over plain http.
        assert!(res.headers.get("strict-transport-security").is_none());
    }
    // A request id the client sends is kept.
    let res = app
        .send(
            app.client
                .get(app.url("/healthz"))
                .header("x-request-id", "abc-123"),
        )
        .await;
    assert_eq!(res.header("x-request-id"), "abc-123");
    app.stop().await;
}

#[tokio::test]
async fn malformed_json_unknown_route_and_oversized_body_are_problems() {
    let app = TestApp::start().await;

    let res = app
        .send(
            app.client
                .post(app.url("/api/v1/test/clock"))
                .header("content-type", "application/json")
                .body("{\"now\": "),
        )
        .await;
    let body = res.problem(400);
    assert!(body["detail"].as_str().unwrap().contains("not valid JSON"));

    let res = app
        .post_json("/api/v1/test/clock", &json!({ "now": 5 }))
        .await;
    let body = res.problem(422);
    assert_eq!(body["errors"][0]["field"], "now");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("invalid type")
    );
    let res = app
        .post_json("/api/v1/test/clock/advance", &json!({ "weeks": 1 }))
        .await;
    let body = res.problem(422);
    assert_eq!(body["errors"][0]["field"], "weeks");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("unknown field")
    );
    let res = app
        .post_json(
            "/api/v1/signup",
            &json!({ "organization": { "resident": "yes" } }),
        )
        .await;
    assert_eq!(
        res.problem(422)["errors"][0]["field"],
        "organization.resident"
    );

    let res = app
        .send(app.client.post(app.url("/api/v1/test/clock")).body("now=1"))
        .await;
    res.problem(415);

    let res = app.get("/api/v1/no/such/route").await;
    let body = res.problem(404);
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("/api/v1/no/such/route")
    );

    let res = app
        .send(app.client.delete(app.url("/api/v1/test/clock")))
        .await;
    res.problem(405);
    assert!(res.header("allow").contains("GET"));

    let big = format!("{{\"now\": \"{}\"}}", "x".repeat(2 * 1024 * 1024));
    let res = app
        .send(
            app.client
                .post(app.url("/api/v1/test/clock"))
                .header("content-type", "application/json")
                .body(big),
        )
        .await;
    res.problem(413);

    // The server keeps serving.
    assert_eq!(app.get("/healthz").await.status, 200);
    assert_eq!(app.get("/api/v1/test/clock").await.status, 200);
    app.stop().await;
}

#[tokio::test]
async fn unknown_pages_get_a_page_in_the_visitors_language() {
    let app = TestApp::start().await;
    let res = app.get("/no-such-page").await;
    assert_eq!(res.status, 404);
    assert!(res.header("content-type").starts_with("text/html"));
    assert!(res.text.contains("Страница не найдена"), "{}", res.text);
    let res = app
        .send(
            app.client
                .get(app.url("/no-such-page"))
                .header("accept-language", "en-GB,en;q=0.9"),
        )
        .await;
    assert!(res.text.contains("Page not found"));
    app.stop().await;
}

#[tokio::test]
async fn landing_page_in_three_languages_with_the_switch() {
    let app = TestApp::start().await;
    let res = app.get("/").await;
    assert_eq!(res.status, 200);
    assert!(res.text.contains("<html lang=\"ru\">"));
    assert!(res.text.contains("Ваша онлайн-школа за один вечер"));
    assert!(res.text.contains("<main id=\"main\""));
    assert!(res.text.contains("href=\"/lang/kk?next=/\""));
    assert_eq!(res.header("content-language"), "ru");
    // Prices in the main menu; the API for programs in the footer only.
    let nav = &res.text[res.text.find("class=\"main-nav\"").unwrap()..];
    let nav = &nav[..nav.find("</nav>").unwrap()];
    assert!(nav.contains("<a href=\"/pricing\">Цены</a>"), "{nav}");
    assert!(!nav.contains("/api/"), "{nav}");
    let footer = &res.text[res.text.find("class=\"site-footer\"").unwrap()..];
    assert!(
        footer.contains("<a href=\"/api/openapi.json\" id=\"footer-api\">API для программ</a>"),
        "{footer}"
    );
    // The way in, the prices, and the demo school once there is one (issue 17, item 7).
    assert!(res.text.contains("href=\"/signup\" id=\"hero-signup\""));
    assert!(res.text.contains("href=\"/pricing\" id=\"hero-pricing\""));
    assert!(res.text.contains("Сайт школы") && res.text.contains("Кабинет, который ведёт"));
    assert!(!res.text.contains("id=\"hero-demo\""));
    let demo = app
        .post_json(
            "/api/v1/signup",
            &crate::harness::signup_body(
                "demo-school",
                "123456789013",
                "demo@example.kz",
                "+77011234567",
            ),
        )
        .await;
    assert_eq!(demo.status, 201, "{}", demo.text);
    let with_demo = app.get("/").await.text;
    assert!(with_demo.contains(&format!(
        "href=\"{}\" id=\"hero-demo\"",
        app.services().school_url("demo-school")
    )));

    let res = app
        .send(
            app.client
                .get(app.url("/"))
                .header("accept-language", "kk-KZ"),
        )
        .await;
    assert!(res.text.contains("Онлайн-мектебіңіз бір кеште дайын"));

    // The switch remembers the choice in a cookie and says so once.
    let res = app.get("/lang/en?next=/").await;
    assert_eq!(res.status, 303);
    assert_eq!(res.header("location"), "/");
    let res = app.get("/").await;
    assert!(res.text.contains("<html lang=\"en\">"));
    assert!(res.text.contains("Your online school in one evening"));
    assert!(
        res.text
            .contains("The interface language has been changed.")
    );
    let res = app.get("/").await;
    assert!(res.text.contains("<html lang=\"en\">"));
    assert!(
        !res.text
            .contains("The interface language has been changed.")
    );

    // Never an open redirect.
    let res = app.get("/lang/ru?next=//evil.example").await;
    assert_eq!(res.header("location"), "/");
    assert_eq!(app.get("/lang/xx").await.status, 404);
    app.stop().await;
}

#[tokio::test]
async fn static_assets_are_cached_and_revalidated() {
    let app = TestApp::start().await;
    let page = app.get("/").await.text;
    let start = page.find("/static/app.css?v=").expect("stylesheet link");
    let href: String = page[start..].chars().take_while(|c| *c != '"').collect();
    let res = app.get(&href).await;
    assert_eq!(res.status, 200);
    assert!(res.header("content-type").starts_with("text/css"));
    assert_eq!(
        res.header("cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert!(res.text.contains("--accent: #00afca"));
    let etag = res.header("etag").to_owned();
    let res = app
        .send(
            app.client
                .get(app.url(&href))
                .header("if-none-match", &etag),
        )
        .await;
    assert_eq!(res.status, 304);
    assert_eq!(app.get("/static/nope.css").await.status, 404);
    app.stop().await;
}

#[tokio::test]
async fn metrics_are_not_public_without_a_token_or_a_listener_of_their_own() {
    let app = TestApp::start().await;
    app.get("/healthz").await;
    app.get("/metrics").await.problem(404);
    app.stop().await;
}

#[tokio::test]
async fn metrics_behind_a_token_count_requests_by_route() {
    let app = TestApp::builder().metrics_token().start().await;
    app.get("/healthz").await;
    app.get("/api/v1/nope").await;
    let res = app.get("/metrics").await;
    res.problem(401);
    assert_eq!(res.header("www-authenticate"), "Bearer");
    let wrong = app
        .send(
            app.client
                .get(app.url("/metrics"))
                .bearer_auth("metrics-token-for-tests-but-not"),
        )
        .await;
    wrong.problem(401);
    let text = app.metrics().await;
    assert!(text.contains(
        "educenter_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"}"
    ));
    assert!(text.contains("route=\"unmatched\",status=\"404\""));
    assert!(text.contains("educenter_http_request_duration_seconds_bucket"));
    assert!(text.contains("educenter_mail_outbox_depth"));
    assert!(text.contains("educenter_jobs{state=\"queued\"}"));
    app.stop().await;
}

#[tokio::test]
async fn metrics_on_a_listener_of_their_own() {
    let app = TestApp::builder().metrics_listen().start().await;
    app.get("/healthz").await;
    app.get("/metrics").await.problem(404);
    let at = app.metrics_addr().expect("a metrics listener");
    assert_ne!(app.base, format!("http://{at}"));
    let res = reqwest::get(format!("http://{at}/metrics")).await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("educenter_jobs{state=\"queued\"}")
    );
    // Nothing else is served there.
    let res = reqwest::get(format!("http://{at}/healthz")).await.unwrap();
    assert_eq!(res.status(), 404);
    app.stop().await;

    // With a token too, the token is needed there as well.
    let app = TestApp::builder()
        .metrics_listen()
        .metrics_token()
        .start()
        .await;
    let at = app.metrics_addr().expect("a metrics listener");
    let client = reqwest::Client::new();
    let url = format!("http://{at}/metrics");
    assert_eq!(client.get(&url).send().await.unwrap().status(), 401);
    let res = client
        .get(&url)
        .bearer_auth(crate::harness::METRICS_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    app.stop().await;
}
