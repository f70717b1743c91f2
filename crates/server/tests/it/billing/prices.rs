//! Prices over time: price versions, price-change notices and reissued invoices, promotions and
//! capped refunds.

use serde_json::{Value, json};

use super::{OWNER, SLUG, apply, create_plans, licence, operator, owner, pay};
use crate::harness::{OWNER_PASSWORD, TestApp, error_fields};

#[tokio::test]
async fn price_versions_take_effect_on_their_date() {
    let app = TestApp::builder()
        .clock("2025-04-14T10:00:00+05:00")
        .start()
        .await;
    let op = operator(&app).await;
    create_plans(&app, &op, "2025-04-14").await;
    // Decided 2025-04-14, effective 2025-05-01 (R-5.8a).
    let res = app
        .call(
            "POST",
            "/api/v1/operator/plans/pro/prices",
            &op.admin().await,
            Some(json!({ "prices": [{ "currency": "KZT", "months": 1, "amount_minor": 6_600_000, "effective_from": "2025-05-01" }] })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let price = |plans: &Value| {
        plans
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["code"] == "pro")
            .unwrap()["prices"][0]["amount_minor"]
            .clone()
    };
    assert_eq!(price(&app.get("/api/v1/plans").await.items()), 6_000_000);
    app.set_clock("2025-05-01T00:00:00+05:00").await;
    assert_eq!(price(&app.get("/api/v1/plans").await.items()), 6_600_000);
    // An effective date before the decision, a bad term, another role: refused.
    let res = app
        .call(
            "POST",
            "/api/v1/operator/plans/pro/prices",
            &op.admin().await,
            Some(json!({ "prices": [{ "currency": "KZT", "months": 2, "amount_minor": 1, "effective_from": "2025-04-01" }] })),
        )
        .await;
    assert_eq!(
        error_fields(&res.problem(422)),
        ["prices[0].months", "prices[0].effective_from"]
    );
    app.call(
        "POST",
        "/api/v1/operator/plans/pro/prices",
        &op.billing().await,
        Some(json!({ "prices": [] })),
    )
    .await
    .problem(403);
    app.call(
        "POST",
        "/api/v1/operator/plans/gold/prices",
        &op.admin().await,
        Some(json!({ "prices": [{ "currency": "KZT", "months": 1, "amount_minor": 1, "effective_from": "2025-06-01" }] })),
    )
    .await
    .problem(404);
    app.stop().await;
}

#[tokio::test]
async fn a_price_change_reissues_past_due_invoices_and_keeps_the_others() {
    // R-5.2: #1 for Pro 60 000, issued 2025-03-20, due 03-28, unpaid; new price 66 000 from
    // 2025-04-01 -> #1 void and a new invoice for 66 000; a transfer of 60 000 on 04-02 leaves
    // 6 000 outstanding and activates nothing.
    let app = TestApp::builder()
        .clock("2025-03-20T10:00:00+05:00")
        .start()
        .await;
    app.school(SLUG, "123456789013", OWNER, "+77011234567")
        .await;
    let op = operator(&app).await;
    create_plans(&app, &op, "2025-01-01").await;
    let first = apply(&app, &owner(&app).await, "pro", 1, "KZT").await;
    assert_eq!(first["due_on"], "2025-03-28");
    let res = app
        .call(
            "POST",
            "/api/v1/operator/plans/pro/prices",
            &op.admin().await,
            Some(json!({ "prices": [{ "currency": "KZT", "months": 1, "amount_minor": 6_600_000, "effective_from": "2025-04-01" }] })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    // The school on the plan is told at once (R-5.8a).
    let mail = app.mail_to(OWNER).await;
    assert!(
        mail[0].subject.contains("Новые цены"),
        "{}",
        mail[0].subject
    );
    assert!(
        mail[0].text.contains("66\u{a0}000,00\u{a0}KZT"),
        "{}",
        mail[0].text
    );
    // A second school applies on 31 March: due 3 April, not past due when the price changes.
    app.set_clock("2025-03-31T10:00:00+05:00").await;
    let beta = app
        .school(
            "beta-school",
            "900101300007",
            "owner@beta.kz",
            "+77019876543",
        )
        .await;
    let theirs = apply(&app, &beta, "pro", 1, "KZT").await;
    app.set_clock("2025-04-01T00:30:00+05:00").await;
    let token = owner(&app).await;
    let list = app
        .call("GET", "/api/v1/invoices", &token, None)
        .await
        .items();
    assert_eq!(list[1]["number"], first["number"]);
    assert_eq!(list[1]["status"], "void");
    let new_number = list[0]["number"].as_str().unwrap().to_owned();
    assert_eq!(list[0]["total"]["amount_minor"], 6_600_000);
    assert_eq!(list[0]["issued_on"], "2025-04-01");
    assert!(
        app.mail_to(OWNER)
            .await
            .iter()
            .any(|m| m.subject.contains(&new_number))
    );
    let beta = app
        .token_for("owner@beta.kz", OWNER_PASSWORD, Some("beta-school"))
        .await;
    let kept = app
        .call(
            "GET",
            &format!("/api/v1/invoices/{}", theirs["id"].as_str().unwrap()),
            &beta,
            None,
        )
        .await
        .json();
    assert_eq!(
        kept["total"]["amount_minor"], 6_000_000,
        "not yet due: its price stays"
    );
    assert_ne!(kept["status"], "void");
    app.set_clock("2025-04-02T10:00:00+05:00").await;
    pay(&app, &op, &new_number, 6_000_000, "2025-04-02", "T-60").await;
    let id = list[0]["id"].as_str().unwrap();
    let token = owner(&app).await;
    let inv = app
        .call("GET", &format!("/api/v1/invoices/{id}"), &token, None)
        .await
        .json();
    assert_eq!(
        inv["total"]["amount_minor"].as_i64().unwrap()
            - inv["paid"]["amount_minor"].as_i64().unwrap(),
        600_000
    );
    assert_ne!(inv["status"], "paid");
    assert_eq!(
        licence(&app).await["periods"],
        json!([]),
        "nothing activated"
    );
    app.stop().await;
}

#[tokio::test]
async fn unsent_price_notices_alert_the_operator_on_the_fifth_day() {
    // R-5.8a: decided 2025-04-14, effective 2025-05-01; with the mail down, the alert fires
    // before 2025-04-19 23:59.
    let smtp = crate::smtp::SmtpServer::start().await;
    let app = TestApp::builder()
        .clock("2025-04-01T10:00:00+05:00")
        .smtp(smtp.url())
        .start()
        .await;
    let owner_token = app
        .school(SLUG, "123456789013", OWNER, "+77011234567")
        .await;
    let op = operator(&app).await;
    create_plans(&app, &op, "2025-01-01").await;
    apply(&app, &owner_token, "pro", 1, "KZT").await;
    app.set_clock("2025-04-14T10:00:00+05:00").await;
    smtp.fail_next_permanent(1);
    let res = app
        .call(
            "POST",
            "/api/v1/operator/plans/pro/prices",
            &op.admin().await,
            Some(json!({ "decided_on": "2025-04-14", "prices": [{ "currency": "KZT", "months": 1, "amount_minor": 6_600_000, "effective_from": "2025-05-01" }] })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    // What the super-admin was sent before (setting up two-step sign-in) is not an alert.
    let alerts = |smtp: &crate::smtp::SmtpServer| {
        smtp.received()
            .iter()
            .filter(|m| m.rcpt.iter().any(|r| r.contains("admin@educenter.test")))
            .count()
    };
    let before = alerts(&smtp);
    let alerts = |smtp: &crate::smtp::SmtpServer| alerts(smtp) - before;
    app.set_clock("2025-04-18T12:00:00+05:00").await;
    assert_eq!(alerts(&smtp), 0, "not before the fifth day");
    app.set_clock("2025-04-19T09:00:00+05:00").await;
    assert_eq!(alerts(&smtp), 1, "{:?}", smtp.received());
    // Once only.
    app.set_clock("2025-04-21T09:00:00+05:00").await;
    assert_eq!(alerts(&smtp), 1);
    // It fails work on purpose.
    app.expect_leftovers();
    app.stop().await;
}

#[tokio::test]
async fn promotions_discount_silently_and_refunds_are_capped_at_the_unused_time() {
    // a 12-month Start promotion at 240 000 (regular 30 000 a month) ending after exactly
    // 4 months caps the refund at 120 000; 160 000 is refused.
    let app = TestApp::builder()
        .clock("2025-03-03T10:00:00+05:00")
        .start()
        .await;
    let owner_token = app
        .school(SLUG, "123456789013", OWNER, "+77011234567")
        .await;
    let op = operator(&app).await;
    create_plans(&app, &op, "2025-01-01").await;
    let res = app
        .call(
            "POST",
            "/api/v1/operator/plans/start/prices",
            &op.admin().await,
            Some(json!({ "prices": [{ "currency": "KZT", "months": 12, "amount_minor": 36_000_000, "effective_from": "2025-03-03" }] })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let promo = |value: i64| {
        json!({ "code": "year", "kind": "fixed", "value": value, "currency": "KZT",
                "plans": ["start"], "valid_from": "2025-03-01", "valid_to": "2025-03-31" })
    };
    let res = app
        .call(
            "POST",
            "/api/v1/operator/promotions",
            &op.admin().await,
            Some(promo(12_000_000)),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.json()["code"], "YEAR");
    let bad = app
        .call(
            "POST",
            "/api/v1/operator/promotions",
            &op.admin().await,
            Some(json!({ "code": "x", "kind": "percent", "value": 120, "plans": ["gold"], "valid_from": "2025-03-31", "valid_to": "2025-03-01" })),
        )
        .await
        .problem(422);
    assert_eq!(
        error_fields(&bad),
        ["code", "value", "valid_to", "plans[0]"]
    );
    // Changing a promotion tells nobody (R-5.8b).
    let mails = app.mail_to(OWNER).await.len();
    app.call(
        "POST",
        "/api/v1/operator/promotions",
        &op.admin().await,
        Some(promo(12_000_000)),
    )
    .await;
    assert_eq!(app.mail_to(OWNER).await.len(), mails);
    let res = app
        .call(
            "POST",
            "/api/v1/applications",
            &owner_token,
            Some(json!({ "plan": "start", "months": 12, "currency": "KZT", "promo_code": "Year" })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let invoice = res.json()["invoice"].clone();
    assert_eq!(invoice["lines"][1]["kind"], "discount");
    assert_eq!(invoice["lines"][1]["amount_minor"], -12_000_000);
    assert_eq!(invoice["total"]["amount_minor"], 24_000_000);
    let number = invoice["number"].as_str().unwrap().to_owned();
    pay(&app, &op, &number, 24_000_000, "2025-03-03", "Y-1").await;
    // Paid in the trial: 2025-03-04 to 2026-03-03. A refund while the contract is in force: 409.
    let refund = |amount: i64| {
        json!({ "invoice_number": number, "amount_minor": amount, "reason": "Закрытие школы",
                "email_reference": "письмо от 2025-07-05" })
    };
    app.call(
        "POST",
        "/api/v1/operator/refunds",
        &op.billing().await,
        Some(refund(1)),
    )
    .await
    .problem(409);
    // A notice on Thu 2025-06-19 keeps the contract through Thu 2025-07-03: exactly 4 months.
    app.set_clock("2025-06-19T10:00:00+05:00").await;
    let notice = app
        .call("POST", "/api/v1/termination", &owner(&app).await, None)
        .await
        .json();
    assert_eq!(notice["effective_on"], "2025-07-03");
    app.set_clock("2025-07-05T10:00:00+05:00").await;
    let p = app
        .call(
            "POST",
            "/api/v1/operator/refunds",
            &op.billing().await,
            Some(refund(16_000_000)),
        )
        .await
        .problem(422);
    assert!(
        p["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("120,000.00\u{a0}KZT"),
        "{p}"
    );
    app.call(
        "POST",
        "/api/v1/operator/refunds",
        &op.admin().await,
        Some(refund(1)),
    )
    .await
    .problem(403);
    let res = app
        .call(
            "POST",
            "/api/v1/operator/refunds",
            &op.billing().await,
            Some(refund(12_000_000)),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    // Nothing more is left to refund.
    app.call(
        "POST",
        "/api/v1/operator/refunds",
        &op.billing().await,
        Some(refund(1)),
    )
    .await
    .problem(422);
    app.stop().await;
}
