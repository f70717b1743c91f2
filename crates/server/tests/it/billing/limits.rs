//! Plan limits: staff seats with warnings up to the limit, and extra storage as a service line
//! that raises the limit for its period only.

use serde_json::json;

use super::{OWNER, SLUG, apply, create_plans, licence, operator, owner, pay};
use crate::harness::{TestApp, error_fields};

#[tokio::test]
async fn staff_seats_stop_at_the_plan_limit_with_warnings_on_the_way() {
    // the plan allows 5 staff; the owner is warned at 80% and 100%, and a sixth
    // invitation is refused with the limit named, while the five keep working.
    let app = TestApp::builder()
        .clock("2025-04-01T10:00:00+05:00")
        .start()
        .await;
    let owner_token = app
        .school(SLUG, "123456789013", OWNER, "+77011234567")
        .await;
    let op = operator(&app).await;
    create_plans(&app, &op, "2025-01-01").await;
    // The trial runs under the built-in trial limits (no trial plan is chosen).
    let l = licence(&app).await;
    assert_eq!(
        l["limits"],
        json!({ "students": 100, "staff": 5, "storage_bytes": 5_000_000_000i64, "courses": 10 })
    );
    assert_eq!(l["usage"]["staff"], 0);
    let invoice = apply(&app, &owner_token, "start", 1, "KZT").await;
    pay(
        &app,
        &op,
        invoice["number"].as_str().unwrap(),
        3_000_000,
        "2025-04-01",
        "L-1",
    )
    .await;
    let invite = |n: usize| json!({ "email": format!("t{n}@alma.kz"), "full_name": format!("Teacher {n}"), "role": "teacher" });
    for n in 1..=5 {
        let res = app
            .call("POST", "/api/v1/staff", &owner_token, Some(invite(n)))
            .await;
        assert_eq!(res.status, 201, "{n}: {}", res.text);
    }
    let warnings: Vec<String> = app
        .mail_to(OWNER)
        .await
        .into_iter()
        .map(|m| m.subject)
        .filter(|s| s.contains("лимита тарифа"))
        .collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings.iter().any(|s| s.contains("80%")));
    assert!(warnings.iter().any(|s| s.contains("100%")));
    let p = app
        .call("POST", "/api/v1/staff", &owner_token, Some(invite(6)))
        .await
        .problem(403);
    assert!(
        p["detail"].as_str().unwrap().contains("allows 5 staff"),
        "{p}"
    );
    let l = licence(&app).await;
    assert_eq!(l["usage"]["staff"], 5);
    assert_eq!(l["limits"]["staff"], 5);
    // Removing one frees a seat.
    let staff = app
        .call("GET", "/api/v1/staff", &owner_token, None)
        .await
        .items();
    let id = staff[0]["id"].as_str().unwrap();
    assert_eq!(
        app.call("DELETE", &format!("/api/v1/staff/{id}"), &owner_token, None)
            .await
            .status,
        204
    );
    let res = app
        .call("POST", "/api/v1/staff", &owner_token, Some(invite(6)))
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    app.stop().await;
}

#[tokio::test]
async fn extra_storage_is_a_service_line_and_raises_the_limit_for_its_period_only() {
    // Start (10 GB) with +20 GB for 1 month at 1 000 KZT/GB: 20 000 KZT on the invoice;
    // the limit is 30 GB for the paid month, then 10 GB again.
    let app = TestApp::builder()
        .clock("2025-04-01T10:00:00+05:00")
        .start()
        .await;
    let owner_token = app
        .school(SLUG, "123456789013", OWNER, "+77011234567")
        .await;
    let op = operator(&app).await;
    create_plans(&app, &op, "2025-01-01").await;
    for (body, status) in [
        (
            json!({ "code": "extra_storage", "name": { "ru": "Дополнительное хранилище, ГБ", "kk": "Қосымша сақтау, ГБ", "en": "Extra storage, GB" },
                    "unit": "gb_month", "prices": [{ "currency": "KZT", "amount_minor": 100_000 }] }),
            200,
        ),
        (
            json!({ "code": "consulting", "name": { "ru": "Консультация", "kk": "Кеңес", "en": "Consulting" },
                    "unit": "package", "price_on_request": true }),
            200,
        ),
        (
            json!({ "code": "Bad Code", "name": { "ru": "", "kk": "x", "en": "x" }, "unit": "year",
                    "price_on_request": true, "prices": [{ "currency": "RUB", "amount_minor": 0 }] }),
            422,
        ),
    ] {
        let res = app
            .call(
                "POST",
                "/api/v1/operator/services",
                &op.admin().await,
                Some(body),
            )
            .await;
        assert_eq!(res.status, status, "{}", res.text);
    }
    assert_eq!(
        app.get("/api/v1/services")
            .await
            .items()
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // A price on request is not ordered in an application: a quote follows the e-mails.
    let res = app
        .call(
            "POST",
            "/api/v1/applications",
            &owner_token,
            Some(json!({ "plan": "start", "months": 1, "currency": "KZT", "services": [{ "code": "consulting", "quantity": 1 }] })),
        )
        .await;
    assert_eq!(error_fields(&res.problem(422)), ["services[0].code"]);
    let res = app
        .call(
            "POST",
            "/api/v1/applications",
            &owner_token,
            Some(json!({ "plan": "start", "months": 1, "currency": "KZT", "services": [{ "code": "extra_storage", "quantity": 20 }] })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let invoice = res.json()["invoice"].clone();
    assert_eq!(invoice["lines"][1]["kind"], "service");
    assert_eq!(invoice["lines"][1]["amount_minor"], 2_000_000);
    assert_eq!(invoice["total"]["amount_minor"], 5_000_000);
    pay(
        &app,
        &op,
        invoice["number"].as_str().unwrap(),
        5_000_000,
        "2025-04-01",
        "S-1",
    )
    .await;
    // Paid in the trial: 2025-04-02 to 2025-05-01, with 10 + 20 GB from its first day.
    app.set_clock("2025-04-02T09:00:00+05:00").await;
    let l = licence(&app).await;
    assert_eq!(l["periods"][0]["to"], "2025-05-01");
    assert_eq!(l["limits"]["storage_bytes"], 30_000_000_000i64);
    app.set_clock("2025-05-01T12:00:00+05:00").await;
    assert_eq!(
        licence(&app).await["limits"]["storage_bytes"],
        30_000_000_000i64
    );
    // The renewal issued meanwhile is paid; the extra storage was for its own month only.
    let token = owner(&app).await;
    let list = app
        .call("GET", "/api/v1/invoices", &token, None)
        .await
        .items();
    pay(
        &app,
        &op,
        list[0]["number"].as_str().unwrap(),
        3_000_000,
        "2025-05-01",
        "S-2",
    )
    .await;
    app.set_clock("2025-05-02T12:00:00+05:00").await;
    assert_eq!(
        licence(&app).await["limits"]["storage_bytes"],
        10_000_000_000i64
    );
    app.stop().await;
}
