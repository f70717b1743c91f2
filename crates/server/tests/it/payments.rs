//! Online payments: the signed provider callback, and the sandbox provider's pages from
//! the invoice's "Pay by card" button to the paid licence; the billing pages.

use serde_json::{Value, json};

use crate::harness::{ADMIN_PASSWORD, OWNER_PASSWORD, SANDBOX_SECRET, TestApp, signup_body};

const OWNER: &str = "aigerim@mail.kz";
const SLUG: &str = "aigerim-tutor";

/// An individual tutor (who pays by card) and a plan; returns the owner's token.
async fn tutor(app: &TestApp) -> String {
    let mut body = signup_body(SLUG, "900101300007", OWNER, "+77015550101");
    body["organization"]["kind"] = json!("individual");
    body["organization"]["name"] = json!("Айгерим Сапарова");
    let res = app.post_json("/api/v1/signup", &body).await;
    assert_eq!(res.status, 201, "{}", res.text);
    let admin = app
        .token_for("admin@educenter.test", ADMIN_PASSWORD, None)
        .await;
    let res = app
        .call(
            "POST",
            "/api/v1/operator/plans",
            &admin,
            Some(json!({
                "code": "start",
                "name": { "ru": "Старт", "kk": "Старт", "en": "Start" },
                "limits": { "students": 100, "staff": 5, "storage_bytes": 10_000_000_000i64, "courses": 20 },
                "prices": [{ "currency": "KZT", "months": 1, "amount_minor": 3_000_000, "effective_from": "2024-01-01" }],
            })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    app.token_for(OWNER, OWNER_PASSWORD, Some(SLUG)).await
}

fn sign(at: i64, body: &str) -> String {
    use hmac::{Hmac, KeyInit, Mac};
    let mut m = Hmac::<sha2::Sha256>::new_from_slice(SANDBOX_SECRET.as_bytes()).unwrap();
    m.update(format!("{at}.{body}").as_bytes());
    format!("t={at},v1={}", hex::encode(m.finalize().into_bytes()))
}

async fn callback(app: &TestApp, signature: &str, body: &str) -> crate::harness::Res {
    app.send(
        app.client
            .post(app.url("/api/v1/payments/callback/sandbox"))
            .header("content-type", "application/json")
            .header("x-signature", signature)
            .body(body.to_owned()),
    )
    .await
}

#[tokio::test]
async fn a_signed_capture_pays_the_invoice_once_and_bad_ones_change_nothing() {
    // a capture at 2025-05-12 19:40 +05 gives received_on 2025-05-12 and immediate
    // activation.
    let app = TestApp::builder()
        .clock("2025-05-10T10:00:00+05:00")
        .start()
        .await;
    let token = tutor(&app).await;
    let res = app
        .call(
            "POST",
            "/api/v1/applications",
            &token,
            Some(json!({ "plan": "start", "months": 1, "currency": "KZT" })),
        )
        .await;
    let invoice = res.json()["invoice"].clone();
    let id = invoice["id"].as_str().unwrap().to_owned();
    app.set_clock("2025-05-12T19:40:00+05:00").await;
    let now = app.now().await.as_second();
    let body = |amount: i64, currency: &str, tx: &str| {
        json!({
            "transaction_id": tx, "invoice_id": id, "amount_minor": amount, "currency": currency,
            "captured_at": "2025-05-12T14:40:00Z", "status": "captured",
        })
        .to_string()
    };

    // A wrong signature, a stale one, a missing one: 401, nothing recorded.
    let good = body(3_000_000, "KZT", "tx-1");
    callback(&app, &sign(now, &body(3_000_001, "KZT", "tx-1")), &good)
        .await
        .problem(401);
    callback(&app, &sign(now - 301, &good), &good)
        .await
        .problem(401);
    callback(&app, "", &good).await.problem(401);
    // Signed, but not what the invoice asks: 422.
    let short = body(2_000_000, "KZT", "tx-2");
    let p = callback(&app, &sign(now, &short), &short)
        .await
        .problem(422);
    assert_eq!(p["errors"][0]["field"], "amount_minor");
    let euros = body(3_000_000, "EUR", "tx-3");
    callback(&app, &sign(now, &euros), &euros)
        .await
        .problem(422);
    let token = app.token_for(OWNER, OWNER_PASSWORD, Some(SLUG)).await;
    let inv = app
        .call("GET", &format!("/api/v1/invoices/{id}"), &token, None)
        .await
        .json();
    assert_eq!(inv["status"], "issued");
    assert_eq!(inv["paid"]["amount_minor"], 0);

    let res = callback(&app, &sign(now, &good), &good).await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.json()["status"], "recorded");
    // The same transaction again: one payment.
    let again = callback(&app, &sign(now, &good), &good).await;
    assert_eq!(again.json()["status"], "duplicate");
    assert_eq!(again.json()["payment_id"], res.json()["payment_id"]);
    let inv = app
        .call("GET", &format!("/api/v1/invoices/{id}"), &token, None)
        .await
        .json();
    assert_eq!(inv["status"], "paid");
    assert_eq!(inv["paid_on"], "2025-05-12");
    let licence = app
        .call("GET", "/api/v1/license", &token, None)
        .await
        .json();
    assert_eq!(licence["state"], "active");
    // Created 2025-05-10, paid in the trial: 2025-05-11 to 2025-06-10.
    assert_eq!(licence["periods"][0]["from"], "2025-05-11");
    assert_eq!(licence["periods"][0]["to"], "2025-06-10");
    // A report that is not a capture is acknowledged and ignored; an unknown provider is 404.
    let declined = json!({
        "transaction_id": "tx-9", "invoice_id": id, "amount_minor": 1, "currency": "KZT",
        "captured_at": "2025-05-12T14:40:00Z", "status": "declined",
    })
    .to_string();
    assert_eq!(
        callback(&app, &sign(now, &declined), &declined)
            .await
            .json()["status"],
        "ignored"
    );
    app.send(
        app.client
            .post(app.url("/api/v1/payments/callback/paypal"))
            .header("x-signature", sign(now, &good))
            .body(good.clone()),
    )
    .await
    .problem(404);
    app.stop().await;
}

#[tokio::test]
async fn a_tutor_applies_sees_the_invoice_and_pays_by_card_through_the_sandbox() {
    let app = TestApp::builder()
        .clock("2025-05-10T10:00:00+05:00")
        .start()
        .await;
    tutor(&app).await;
    let b = app.browser();
    b.sign_in(OWNER, OWNER_PASSWORD, SLUG).await;
    let page = b.get("/cabinet/billing").await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.text.contains("пробный период"), "{}", page.text);
    // A made-up plan: the message stands beside the field.
    let res = b
        .post_form(
            "/cabinet/billing/preview",
            &[("plan", "gold"), ("months", "1"), ("currency", "KZT")],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.text.contains("id=\"offer-error\""));
    // The preview shows the invoice and issues nothing.
    let res = b
        .post_form(
            "/cabinet/billing/preview",
            &[("plan", "start"), ("months", "1"), ("currency", "KZT")],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert!(res.text.contains("30\u{a0}000,00\u{a0}KZT"), "{}", res.text);
    let token = app.token_for(OWNER, OWNER_PASSWORD, Some(SLUG)).await;
    let none: Value = app
        .call("GET", "/api/v1/invoices", &token, None)
        .await
        .items();
    assert_eq!(
        none.as_array().unwrap().len(),
        0,
        "a preview issues nothing"
    );
    let res = b
        .post_form(
            "/cabinet/billing/apply",
            &[("plan", "start"), ("months", "1"), ("currency", "KZT")],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let invoice_page = res.header("location").to_owned();
    let page = b.get(&invoice_page).await;
    assert!(page.text.contains("2025-000001"));
    assert!(page.text.contains("151140002258"), "the operator's BIN");
    assert!(
        page.text.contains("ИИН 900101300007"),
        "an individual's IIN"
    );
    assert!(page.text.contains("id=\"pay-online\""));
    // Pay by card: to the sandbox's checkout, "Pay", back to a paid invoice.
    let id = invoice_page.rsplit('/').next().unwrap();
    let res = b
        .post_form(&format!("/cabinet/billing/invoices/{id}/pay"), &[])
        .await;
    assert_eq!(res.status, 303);
    let checkout = res.header("location").to_owned();
    assert!(checkout.starts_with("/sandbox/checkout?"), "{checkout}");
    let page = b.get(&checkout).await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("30\u{a0}000,00\u{a0}KZT"));
    // The page cannot be talked into another amount.
    let tampered = checkout.replace("amount=3000000", "amount=100");
    assert_eq!(b.get(&tampered).await.status, 404);
    let q: Vec<(String, String)> = checkout
        .split_once('?')
        .unwrap()
        .1
        .split('&')
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap();
            (k.to_owned(), v.to_owned())
        })
        .collect();
    let form: Vec<(&str, &str)> = q.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = b.post_form("/sandbox/checkout", &form).await;
    assert_eq!(res.status, 303, "{}", res.text);
    let page = b.get(&invoice_page).await;
    assert!(page.text.contains("Платёж внесён."));
    assert!(page.text.contains("оплачен"));
    assert!(!page.text.contains("id=\"pay-online\""));
    let billing = b.get("/cabinet/billing").await;
    assert!(billing.text.contains("id=\"paid-through\""));
    assert!(billing.text.contains("10 июня 2025 г."), "{}", billing.text);
    // The public price list.
    let pricing = app.get("/pricing").await;
    assert_eq!(pricing.status, 200);
    assert!(pricing.text.contains("Старт"));
    assert!(pricing.text.contains("1 месяц<"), "{}", pricing.text);
    drop(b);
    app.stop().await;
}

#[tokio::test]
async fn the_billing_officer_records_a_transfer_on_the_page() {
    let app = TestApp::builder()
        .clock("2025-05-10T10:00:00+05:00")
        .start()
        .await;
    let token = tutor(&app).await;
    let res = app
        .call(
            "POST",
            "/api/v1/applications",
            &token,
            Some(json!({ "plan": "start", "months": 1, "currency": "KZT" })),
        )
        .await;
    assert_eq!(res.status, 201);
    educenter_services::operator_staff::create_operator(
        app.store(),
        app.now().await,
        "billing@educenter.test",
        "Бота Серикова",
        educenter_domain::roles::OperatorRole::Billing,
        "Numbers-2027!",
    )
    .await
    .unwrap();
    let b = app.browser();
    b.sign_in("billing@educenter.test", "Numbers-2027!", "")
        .await;
    let page = b.get("/operator/billing").await;
    assert_eq!(page.status, 200);
    // The list names the school and its IIN, not its address.
    assert!(page.text.contains("2025-000001") && page.text.contains("Айгерим Сапарова"));
    assert!(page.text.contains("900101300007"));
    let form = |amount: &'static str, number: &'static str| {
        vec![
            ("invoice_number", number),
            ("amount", amount),
            ("currency", "KZT"),
            ("received_on", "2025-05-10"),
            ("reference", "BANK-77"),
        ]
    };
    let res = b
        .post_form(
            "/operator/billing/payments",
            &form("30 000,001", "2025-000001"),
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.text.contains("id=\"amount-error\""));
    let res = b
        .post_form(
            "/operator/billing/payments",
            &form("30 000,00", "2025-999999"),
        )
        .await;
    assert_eq!(res.status, 404);
    assert!(res.text.contains("id=\"invoice_number-error\""));
    let res = b
        .post_form(
            "/operator/billing/payments",
            &form("30 000,00", "2025-000001"),
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let page = b.get("/operator/billing?status=paid").await;
    assert!(page.text.contains("Платёж внесён."));
    assert!(page.text.contains("2025-000001"));
    let res = b
        .post_form(
            "/operator/billing/payments",
            &form("30 000,00", "2025-000001"),
        )
        .await;
    assert_eq!(res.status, 303);
    assert!(b.get("/operator/billing").await.text.contains("уже внесён"));
    let licence = app
        .call(
            "GET",
            "/api/v1/license",
            &app.token_for(OWNER, OWNER_PASSWORD, Some(SLUG)).await,
            None,
        )
        .await
        .json();
    assert_eq!(licence["state"], "active");
    assert_eq!(licence["credit_balance"], json!([]), "recorded once");
    // A quote from the page issues its invoice; a refund for a contract in force is refused.
    let page = b.get("/operator/billing").await;
    assert!(page.text.contains("Акции"));
    assert!(page.text.contains("Старт"), "the plans with their prices");
    let res = b
        .post_form(
            "/operator/billing/quotes",
            &[
                ("tenant", "no-such-school"),
                ("currency", "KZT"),
                ("description", "Настройка школы"),
                ("amount", "45 000"),
                ("email_reference", "письмо от 2025-05-09"),
            ],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.text.contains("id=\"tenant-error\""));
    let res = b
        .post_form(
            "/operator/billing/quotes",
            &[
                ("tenant", SLUG),
                ("currency", "KZT"),
                ("description", "Настройка школы"),
                ("amount", "45 000"),
                ("email_reference", "письмо от 2025-05-09"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let page = b.get("/operator/billing").await;
    assert!(page.text.contains("2025-000002"));
    assert!(page.text.contains("45\u{a0}000,00\u{a0}KZT"));
    let res = b
        .post_form(
            "/operator/billing/refunds",
            &[
                ("invoice_number", "2025-000001"),
                ("amount", "1 000"),
                ("reason", "Просьба клиента"),
                ("email_reference", "письмо от 2025-05-10"),
            ],
        )
        .await;
    assert_eq!(res.status, 409, "{}", res.text);
    assert!(res.text.contains("id=\"form-error\""));
    // Promotions are the super-admin's, on their own form.
    let admin = app.browser();
    admin
        .sign_in("admin@educenter.test", crate::harness::ADMIN_PASSWORD, "")
        .await;
    let promo = |value: &'static str, plans: &'static str| {
        vec![
            ("code", "spring"),
            ("promo_kind", "percent"),
            ("value", value),
            ("currency", "KZT"),
            ("plans", plans),
            ("valid_from", "2025-05-01"),
            ("valid_to", "2025-05-31"),
        ]
    };
    let res = admin
        .post_form("/operator/billing/promotions", &promo("150", "gold"))
        .await;
    assert_eq!(res.status, 422);
    assert!(res.text.contains("id=\"value-error\""));
    assert!(res.text.contains("id=\"plans-error\""));
    let res = admin
        .post_form("/operator/billing/promotions", &promo("20", "start"))
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let page = admin.get(res.header("location")).await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("Акция сохранена."));
    assert!(b.get("/operator/billing").await.text.contains("SPRING"));
    let res = b
        .post_form("/operator/billing/promotions", &promo("20", "start"))
        .await;
    assert_eq!(res.status, 403, "a billing officer may not");
    drop((b, admin));
    app.stop().await;
}
