//! The OpenAPI document: generated from the handlers, and complete.

use std::path::Path;

use serde_json::Value;

use crate::harness::TestApp;

#[tokio::test]
async fn the_document_is_openapi_3_1_and_lists_every_routed_path() {
    let app = TestApp::start().await;
    let res = app.get("/api/openapi.json").await;
    assert_eq!(res.status, 200);
    let doc = res.json();
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        doc["openapi"]
    );
    let paths = doc["paths"].as_object().expect("paths");
    for expected in [
        "/healthz",
        "/readyz",
        "/api/v1/test/clock",
        "/api/v1/test/clock/advance",
        "/api/v1/test/mail",
    ] {
        assert!(
            paths.contains_key(expected),
            "{expected} missing from the document"
        );
    }

    // Every documented operation is routed: calling it never reaches the unknown-route answer.
    for (path, item) in paths {
        for method in ["get", "post", "put", "patch", "delete"] {
            if item.get(method).is_none() {
                continue;
            }
            let url = app.url(&path.replace('{', "x").replace('}', ""));
            let req = app
                .client
                .request(method.to_uppercase().parse().unwrap(), url);
            let res = app.send(req).await;
            let unknown = res.status == 404
                && serde_json::from_str::<Value>(&res.text)
                    .is_ok_and(|b| b["type"].as_str().unwrap_or("").ends_with("/unknown-route"));
            assert!(!unknown, "{method} {path} is documented but not routed");
            // In test mode, a routed operation missing from the document answers 500.
            assert_ne!(res.status, 500, "{method} {path}: {}", res.text);
        }
    }
    app.stop().await;
}

/// API routes are declared only through utoipa-axum's `routes!`, which documents them; a
/// plain `.route(...)` in the API module would serve a path the document does not list.
#[test]
fn api_routes_are_only_declared_through_the_documented_router() {
    let api = Path::new(env!("CARGO_MANIFEST_DIR")).join("../web/src/api");
    let mut offenders = Vec::new();
    for entry in std::fs::read_dir(&api).expect("api folder") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("source");
        for (i, line) in text.lines().enumerate() {
            if line.contains(".route(")
                || line.contains(".route_service(")
                || line.contains(".nest_service(")
            {
                offenders.push(format!("{}:{}: {}", path.display(), i + 1, line.trim()));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "undocumented routes:\n{}",
        offenders.join("\n")
    );
}
