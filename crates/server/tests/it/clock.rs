//! The test clock: read, set forward, refuse backwards, advance; absent without test mode.

use educenter_store::audit;
use serde_json::json;

use crate::harness::TestApp;

#[tokio::test]
async fn the_test_clock_moves_forward_only() {
    let app = TestApp::builder()
        .clock("2027-04-08T03:00:00Z")
        .start()
        .await;
    assert_eq!(app.now().await.to_string(), "2027-04-08T03:00:00Z");

    // An offset is understood: 10:00 in Almaty is 05:00 UTC.
    let now = app.set_clock("2027-04-08T10:00:00+05:00").await;
    assert_eq!(now.to_string(), "2027-04-08T05:00:00Z");

    let res = app
        .post_json(
            "/api/v1/test/clock",
            &json!({ "now": "2027-04-08T04:59:59Z" }),
        )
        .await;
    res.problem(409);
    assert_eq!(app.now().await.to_string(), "2027-04-08T05:00:00Z");

    let res = app
        .post_json("/api/v1/test/clock", &json!({ "now": "tomorrow" }))
        .await;
    let body = res.problem(422);
    assert_eq!(body["errors"][0]["field"], "now");

    let now = app.advance(1, 2, 30).await;
    assert_eq!(now.to_string(), "2027-04-09T07:30:00Z");
    // Omitted parts are zero; negative parts are refused.
    let res = app
        .post_json("/api/v1/test/clock/advance", &json!({ "minutes": 15 }))
        .await;
    assert_eq!(res.json()["now"], "2027-04-09T07:45:00Z");
    let res = app
        .post_json("/api/v1/test/clock/advance", &json!({ "days": -1 }))
        .await;
    assert_eq!(res.problem(422)["errors"][0]["field"], "days");
    let res = app
        .post_json("/api/v1/test/clock/advance", &json!({ "weeks": 1 }))
        .await;
    res.problem(422);
    assert_eq!(app.now().await.to_string(), "2027-04-09T07:45:00Z");

    // Every move is in the audit log, with where it came from.
    let entries = audit::recent(app.store(), Some("test_clock.move"), 10)
        .await
        .unwrap();
    assert_eq!(entries.len(), 3);
    assert_eq!(entries[0].actor_kind, "test_harness");
    assert_eq!(entries[0].ip.as_deref(), Some("127.0.0.1"));
    assert_eq!(entries[0].details["to"], "2027-04-09T07:45:00Z");
    app.stop().await;
}

#[tokio::test]
async fn without_test_mode_every_test_path_is_404() {
    let app = TestApp::builder().without_test_mode().start().await;
    for path in [
        "/api/v1/test/clock",
        "/api/v1/test/clock/advance",
        "/api/v1/test/mail",
        "/api/v1/test/anything",
    ] {
        app.get(path).await.problem(404);
        app.post_json(path, &json!({ "now": "2030-01-01T00:00:00Z", "days": 1 }))
            .await
            .problem(404);
    }
    let spec = app.get("/api/openapi.json").await.text;
    assert!(!spec.contains("/api/v1/test/"));
    app.stop().await;
}
