//! Operator staff: the first super-admin, roles, the business-day calendar API, the offer.

use educenter_store::audit;
use serde_json::json;
use sqlx::Row;

use crate::harness::{ADMIN_PASSWORD, Res, TestApp, error_fields};

/// The super-admin's token, with two-step sign-in set up (required of the operator's staff).
async fn operator_token(app: &TestApp) -> String {
    app.token_for("admin@educenter.test", ADMIN_PASSWORD, None)
        .await
}

async fn get(app: &TestApp, path: &str, token: &str) -> Res {
    app.send(app.client.get(app.url(path)).bearer_auth(token))
        .await
}

async fn put(app: &TestApp, path: &str, token: &str, body: &serde_json::Value) -> Res {
    app.send(app.client.put(app.url(path)).bearer_auth(token).json(body))
        .await
}

#[tokio::test]
async fn the_first_super_admin_is_created_once_and_signs_in() {
    let app = TestApp::start().await;
    let t = operator_token(&app).await;
    let me = get(&app, "/api/v1/me", &t).await.json();
    assert_eq!(
        (me["kind"].as_str(), me["role"].as_str()),
        (Some("operator"), Some("super_admin"))
    );
    assert!(me["tenant"].is_null());
    // The super-admin is not a tenant's account.
    app.post_json(
        "/api/v1/auth/login",
        &json!({ "email": "admin@educenter.test", "password": ADMIN_PASSWORD, "tenant": "alma-school" }),
    )
    .await
    .problem(401);
    let db = app.db.clone();
    app.stop().await;
    // A restart (here with the same settings) creates no second operator.
    let app = TestApp::builder().db(&db).start().await;
    let n: i64 = sqlx::query("SELECT COUNT(*) FROM users WHERE kind = 'operator'")
        .fetch_one(app.store().pool())
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 1);
    app.stop().await;
}

#[tokio::test]
async fn the_super_admin_reads_and_edits_the_calendar() {
    let app = TestApp::start().await;
    let t = operator_token(&app).await;
    // Seeded at the first start from the shipped Kazakhstan calendar.
    let res = get(&app, "/api/v1/operator/calendar/2026", &t).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let y = res.json();
    assert_eq!(y["year"], 2026);
    let off: Vec<&str> = y["non_working_days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap())
        .collect();
    assert!(
        off.contains(&"2026-03-23") && off.contains(&"2026-05-27"),
        "{off:?}"
    );
    assert!(!off.contains(&"2026-08-31"));
    get(&app, "/api/v1/operator/calendar/2031", &t)
        .await
        .problem(404);

    let body =
        json!({ "non_working_days": ["2028-01-03", "2028-03-08"], "working_days": ["2028-01-08"] });
    let res = put(&app, "/api/v1/operator/calendar/2028", &t, &body).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let res = get(&app, "/api/v1/operator/calendar/2028", &t).await;
    assert_eq!(
        res.json(),
        json!({ "year": 2028, "non_working_days": ["2028-01-03", "2028-03-08"], "working_days": ["2028-01-08"] })
    );
    let entries = audit::recent(app.store(), Some("calendar.update"), 5)
        .await
        .unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].target_id.as_deref(), Some("2028"));

    // A weekend listed as a day off, a weekday as a working day, a date of another year.
    let bad =
        json!({ "non_working_days": ["2028-01-01", "2029-01-02"], "working_days": ["2028-01-04"] });
    let problem = put(&app, "/api/v1/operator/calendar/2028", &t, &bad)
        .await
        .problem(422);
    let fields = error_fields(&problem);
    assert_eq!(
        fields,
        ["non_working_days", "non_working_days", "working_days"]
    );
    let problem = put(
        &app,
        "/api/v1/operator/calendar/2028",
        &t,
        &json!({ "non_working_days": ["3 March"], "working_days": [] }),
    )
    .await
    .problem(422);
    assert_eq!(problem["errors"][0]["field"], "non_working_days[0]");
    // Nothing changed.
    let res = get(&app, "/api/v1/operator/calendar/2028", &t).await;
    assert_eq!(
        res.json()["non_working_days"],
        json!(["2028-01-03", "2028-03-08"])
    );
    app.stop().await;
}

#[tokio::test]
async fn only_the_super_admin_may_touch_the_calendar() {
    let app = TestApp::start().await;
    let body = json!({
        "organization": { "name": "Alma School", "kind": "legal_entity", "bin_iin": "123456789013", "resident": true },
        "owner": { "full_name": "Owner", "email": "owner@alma.kz", "phone": "+77011234567", "password": "Kazakh-2027!" },
        "slug": "alma-school", "accept_offer": true
    });
    assert_eq!(app.post_json("/api/v1/signup", &body).await.status, 201);
    let owner = app
        .post_json("/api/v1/auth/login", &json!({ "email": "owner@alma.kz", "password": "Kazakh-2027!", "tenant": "alma-school" }))
        .await
        .json()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    get(&app, "/api/v1/operator/calendar/2026", &owner)
        .await
        .problem(403);
    put(
        &app,
        "/api/v1/operator/calendar/2026",
        &owner,
        &json!({ "non_working_days": [], "working_days": [] }),
    )
    .await
    .problem(403);
    app.get("/api/v1/operator/calendar/2026").await.problem(401);

    // A billing officer, created the way the command line does it, may not either.
    educenter_services::operator_staff::create_operator(
        app.store(),
        app.now().await,
        "billing@educenter.test",
        "Billing Officer",
        educenter_domain::roles::OperatorRole::Billing,
        "Ledger-2027!x",
    )
    .await
    .unwrap();
    let billing = app
        .token_for("billing@educenter.test", "Ledger-2027!x", None)
        .await;
    get(&app, "/api/v1/operator/calendar/2026", &billing)
        .await
        .problem(403);
    // The 2026 calendar is untouched.
    let t = operator_token(&app).await;
    let y = get(&app, "/api/v1/operator/calendar/2026", &t).await.json();
    assert_eq!(y["non_working_days"].as_array().unwrap().len(), 14);
    app.stop().await;
}

#[tokio::test]
async fn the_offer_in_force_is_public() {
    let app = TestApp::start().await;
    let res = app.get("/api/v1/offer").await;
    assert_eq!(res.status, 200, "{}", res.text);
    let offer = res.json();
    assert_eq!(offer["number"], 1);
    assert!(offer["text_ru"].as_str().unwrap().contains("Лицензиар"));
    app.stop().await;
}
