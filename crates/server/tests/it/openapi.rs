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

/// API routes are declared only through utoipa-axum's `routes!`, which documents them: no
/// `.route(...)` in the API module, and no `/api/` path routed anywhere else in the web crate
/// (the OpenAPI document itself excepted).
#[test]
fn api_routes_are_only_declared_through_the_documented_router() {
    fn walk(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, files);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../web/src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    assert!(files.len() > 5, "the web sources were not found");
    let mut offenders = Vec::new();
    for path in files {
        let in_api = path.components().any(|c| c.as_os_str() == "api");
        let text = std::fs::read_to_string(&path).expect("source");
        for (i, line) in text.lines().enumerate() {
            let routes = [".route(", ".route_service(", ".nest(", ".nest_service("]
                .iter()
                .any(|r| line.contains(r));
            let api_path = line.contains("\"/api/") && !line.contains("\"/api/openapi.json\"");
            if routes && (in_api || api_path) {
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

/// A status, purpose or kind is an enum of the words the API sends, not free text; money is one
/// schema of an amount and a currency.
#[tokio::test]
async fn statuses_kinds_and_currencies_are_enums_in_the_document() {
    let app = TestApp::start().await;
    let doc = app.get("/api/openapi.json").await.json();
    let schemas = &doc["components"]["schemas"];
    for (name, words) in [
        ("InvoiceStatus", vec!["issued", "paid", "overdue", "void"]),
        ("QuoteStatus", vec!["issued", "accepted_by_payment"]),
        (
            "InvoicePurpose",
            vec!["licence", "renewal", "plan_change", "service"],
        ),
        (
            "LineKind",
            vec![
                "licence",
                "service",
                "discount",
                "proration_credit",
                "credit_balance",
            ],
        ),
        ("Currency", vec!["KZT", "EUR", "USD"]),
        ("PromotionKind", vec!["percent", "fixed"]),
        (
            "ServiceUnit",
            vec!["one_off", "hour", "package", "gb_month"],
        ),
        (
            "EndReason",
            vec![
                "late_payment",
                "no_application",
                "notice",
                "objection",
                "refusal",
                "breach",
                "agreement",
            ],
        ),
        ("CourseStatus", vec!["draft", "published", "archived"]),
        ("ActStatus", vec!["published", "objected", "accepted"]),
        ("ActLineKind", vec!["licence", "service"]),
        ("CopyKind", vec!["paper", "electronic"]),
        ("TokenScope", vec!["read", "read_write"]),
        ("TrashKind", vec!["course", "module", "lesson"]),
        ("AccountKind", vec!["operator", "owner", "staff", "learner"]),
        (
            "BlockReason",
            vec![
                "illegal_content",
                "licence_breach",
                "spam_complaint",
                "over_limit",
                "refusal",
            ],
        ),
        (
            "LicenseeKind",
            vec!["individual", "sole_proprietor", "legal_entity"],
        ),
        (
            "LicenceState",
            vec![
                "trial",
                "trial_expired",
                "active",
                "overdue",
                "lapsed",
                "terminating",
                "terminated",
                "purged",
            ],
        ),
        (
            "LessonKind",
            vec![
                "text",
                "video",
                "audio",
                "file",
                "embed",
                "quiz",
                "assignment",
            ],
        ),
        ("SubmissionState", vec!["submitted", "returned", "accepted"]),
        ("LessonStatus", vec!["draft", "published"]),
        (
            "GradeState",
            vec!["none", "waiting", "returned", "failed", "passed"],
        ),
        (
            "EntryKind",
            vec!["answer", "comment", "returned", "accepted"],
        ),
        (
            "MediaKind",
            vec!["video", "audio", "image", "file", "captions"],
        ),
        ("EnrolmentSource", vec!["self", "staff"]),
        ("StaffStatus", vec!["invited", "active"]),
        (
            "Role",
            vec![
                "super_admin",
                "billing",
                "support",
                "compliance",
                "infrastructure",
                "owner",
                "administrator",
                "teacher",
                "manager",
                "accountant",
                "student",
            ],
        ),
    ] {
        let listed: Vec<&str> = schemas[name]["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("{name} is not an enum: {}", schemas[name]))
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(listed, words, "{name}");
    }
    assert_eq!(
        schemas["Me"]["properties"]["role"]["$ref"],
        "#/components/schemas/Role"
    );
    let invoice = &schemas["InvoiceOut"]["properties"];
    assert_eq!(
        invoice["status"]["$ref"],
        "#/components/schemas/InvoiceStatus"
    );
    assert_eq!(
        invoice["purpose"]["$ref"],
        "#/components/schemas/InvoicePurpose"
    );
    assert_eq!(invoice["total"]["$ref"], "#/components/schemas/Money");
    let money = &schemas["Money"]["properties"];
    assert!(money["amount_minor"].is_object(), "{}", schemas["Money"]);
    assert_eq!(money["currency"]["$ref"], "#/components/schemas/Currency");
    app.stop().await;
}
