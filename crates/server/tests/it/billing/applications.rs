//! Applications and quotes: what an application is checked for, gapless invoice numbers, and a
//! quote agreed by e-mail becoming an invoice accepted by payment.

use serde_json::{Value, json};

use super::{OWNER, SLUG, apply, create_plans, licence, operator, owner, pay};
use crate::harness::{TestApp, error_fields};

#[tokio::test]
async fn applications_are_checked_and_numbers_stay_gapless() {
    // R-5.1: issued Thu 2025-03-20 -> due Fri 2025-03-28 (Nauryz days off and a weekend).
    let app = TestApp::builder()
        .clock("2025-03-20T10:00:00+05:00")
        .start()
        .await;
    app.school(SLUG, "123456789013", OWNER, "+77011234567")
        .await;
    let op = operator(&app).await;
    create_plans(&app, &op, "2025-01-01").await;
    let token = owner(&app).await;
    for (body, field) in [
        (
            json!({ "plan": "start", "months": 2, "currency": "KZT" }),
            "months",
        ),
        (
            json!({ "plan": "gold", "months": 1, "currency": "KZT" }),
            "plan",
        ),
        (
            json!({ "plan": "start", "months": 1, "currency": "EUR" }),
            "currency",
        ),
        (
            json!({ "plan": "start", "months": 1, "currency": "RUB" }),
            "currency",
        ),
        (
            json!({ "plan": "pro", "months": 3, "currency": "KZT" }),
            "months",
        ),
        (
            json!({ "plan": "start", "months": 1, "currency": "KZT", "promo_code": "SPRING" }),
            "promo_code",
        ),
    ] {
        let res = app
            .call("POST", "/api/v1/applications", &token, Some(body))
            .await;
        assert_eq!(error_fields(&res.problem(422)), [field]);
    }
    let first = apply(&app, &token, "start", 1, "KZT").await;
    assert_eq!(first["number"], "2025-000001", "refusals used no number");
    assert_eq!(first["due_on"], "2025-03-28");
    let res = app
        .call(
            "POST",
            "/api/v1/applications",
            &token,
            Some(json!({ "plan": "start", "months": 3, "currency": "KZT" })),
        )
        .await;
    assert!(
        res.problem(409)["detail"]
            .as_str()
            .unwrap()
            .contains("2025-000001")
    );
    // A second school's invoice takes the next number; a read-only token and a teacher may not
    // apply; another school's invoice is not found.
    let beta = app
        .school(
            "beta-school",
            "900101300007",
            "owner@beta.kz",
            "+77019876543",
        )
        .await;
    let theirs = apply(&app, &beta, "start", 3, "KZT").await;
    assert_eq!(theirs["number"], "2025-000002");
    assert_eq!(theirs["total"]["amount_minor"], 8_000_000);
    let res = app
        .call(
            "GET",
            &format!("/api/v1/invoices/{}", theirs["id"].as_str().unwrap()),
            &token,
            None,
        )
        .await;
    res.problem(404);
    let list = app
        .call("GET", "/api/v1/invoices", &token, None)
        .await
        .items();
    assert_eq!(list.as_array().unwrap().len(), 1);
    let read = app
        .call(
            "POST",
            "/api/v1/tokens",
            &beta,
            Some(json!({ "name": "r", "scope": "read" })),
        )
        .await
        .json()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    app.call(
        "POST",
        "/api/v1/applications",
        &read,
        Some(json!({ "plan": "start", "months": 1, "currency": "KZT" })),
    )
    .await
    .problem(403);
    // The public price list.
    let plans = app.get("/api/v1/plans").await.items();
    let start = plans
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "start")
        .unwrap();
    assert_eq!(start["prices"].as_array().unwrap().len(), 3);
    assert_eq!(start["name"]["en"], "Plan start");
    app.stop().await;
}

#[tokio::test]
async fn a_quote_agreed_by_email_is_invoiced_and_accepted_by_payment() {
    // R-5.3: a consulting package agreed at 45 000 KZT gives a 45 000 KZT invoice; once paid,
    // the quote shows accepted_by_payment.
    let app = TestApp::builder()
        .clock("2025-04-01T10:00:00+05:00")
        .start()
        .await;
    let owner_token = app
        .school(SLUG, "123456789013", OWNER, "+77011234567")
        .await;
    let op = operator(&app).await;
    let quote = |items: Value, currency: &str| {
        json!({ "tenant": SLUG, "currency": currency, "items": items,
                "email_reference": "письмо от 2025-03-28, тема «Консультация»" })
    };
    let p = app
        .call(
            "POST",
            "/api/v1/operator/quotes",
            &op.billing().await,
            Some(quote(
                json!([{ "description": "", "amount_minor": 0 }]),
                "EUR",
            )),
        )
        .await
        .problem(422);
    assert_eq!(
        error_fields(&p),
        ["items[0].description", "items[0].amount_minor", "currency"]
    );
    app.call(
        "POST",
        "/api/v1/operator/quotes",
        &op.admin().await,
        Some(quote(
            json!([{ "description": "Консультация", "amount_minor": 4_500_000 }]),
            "KZT",
        )),
    )
    .await
    .problem(403);
    let res = app
        .call(
            "POST",
            "/api/v1/operator/quotes",
            &op.billing().await,
            Some(quote(
                json!([{ "description": "Консультационный пакет, 5 часов", "amount_minor": 4_500_000 }]),
                "KZT",
            )),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let invoice = res.json()["invoice"].clone();
    assert_eq!(invoice["purpose"], "service");
    assert_eq!(invoice["total"]["amount_minor"], 4_500_000);
    let id = invoice["id"].as_str().unwrap().to_owned();
    let number = invoice["number"].as_str().unwrap().to_owned();
    let url = format!("/api/v1/invoices/{id}");
    assert_eq!(
        app.call("GET", &url, &owner_token, None).await.json()["quote_status"],
        "issued"
    );
    // It does not stand in the way of a licence application.
    create_plans(&app, &op, "2025-01-01").await;
    apply(&app, &owner_token, "start", 1, "KZT").await;
    pay(&app, &op, &number, 4_500_000, "2025-04-01", "Q-1").await;
    let paid = app.call("GET", &url, &owner_token, None).await.json();
    assert_eq!(paid["status"], "paid");
    assert_eq!(paid["quote_status"], "accepted_by_payment");
    assert_eq!(
        licence(&app).await["periods"],
        json!([]),
        "a service buys no licence time"
    );
    app.stop().await;
}
