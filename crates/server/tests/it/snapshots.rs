//! Snapshots (insta) of what programs and people read: the OpenAPI document and a few pages
//! as rendered. A change to either shows as a diff to review (`cargo insta review`, or rename
//! the `.snap.new` file insta writes beside the old one), never passes unseen.

use serde_json::json;

use crate::harness::TestApp;

/// The date every snapshot is taken on: pages show dates.
const CLOCK: &str = "2027-03-01T06:00:00Z";

#[tokio::test]
async fn the_openapi_document() {
    let app = TestApp::builder().clock(CLOCK).start().await;
    let doc = app.get("/api/openapi.json").await.json();
    insta::assert_json_snapshot!("openapi", doc);
    app.stop().await;
}

#[tokio::test]
async fn the_public_pages() {
    let app = TestApp::builder().clock(CLOCK).start().await;
    app.create_plan(json!({
        "code": "start",
        "name": { "ru": "Старт", "kk": "Старт", "en": "Start" },
        "limits": { "students": 100, "staff": 5, "storage_bytes": 10_000_000_000i64, "courses": 20 },
        "prices": [
            { "currency": "KZT", "months": 1, "amount_minor": 3_000_000, "effective_from": "2027-01-01" },
            { "currency": "EUR", "months": 1, "amount_minor": 12_000, "effective_from": "2027-01-01" }
        ],
    }))
    .await;
    for (name, path, lang) in [
        ("landing-ru", "/", "ru"),
        ("landing-kk", "/", "kk"),
        ("login-en", "/login", "en"),
        ("signup-ru", "/signup", "ru"),
        ("pricing-ru", "/pricing", "ru"),
    ] {
        let res = app
            .send(
                app.client
                    .get(app.url(path))
                    .header("cookie", format!("lang={lang}")),
            )
            .await;
        assert_eq!(res.status, 200, "{path}");
        insta::assert_snapshot!(name, res.text);
    }
    app.stop().await;
}
