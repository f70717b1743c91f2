//! Issue 15, item 16: money that cannot overflow. Every amount entered is one line of at most
//! 100 000 000 000,00 (`MAX_AMOUNT_MINOR`), every document at most 1 000 000 000 000,00
//! (`MAX_DOCUMENT_MINOR`): past them the input is refused with a 422 and nothing is written;
//! sums of what is stored are exact and never fail, so the licence and the billing page answer
//! whatever the ledger holds.

use educenter_domain::billing::{MAX_AMOUNT_MINOR, MAX_DOCUMENT_MINOR};
use educenter_services::i18n::{Lang, format_money};
use serde_json::{Value, json};
use sqlx::Row;

use crate::{
    billing::{OWNER, SLUG, apply, create_plans, licence, operator},
    harness::{OWNER_PASSWORD, SANDBOX_SECRET, TestApp, error_fields},
};

async fn school(app: &TestApp) -> String {
    app.school(SLUG, "123456789013", OWNER, "+77011234567")
        .await
}

async fn transfer(
    app: &TestApp,
    billing: &str,
    number: &str,
    amount: i64,
    reference: &str,
) -> crate::harness::Res {
    app.call(
        "POST",
        "/api/v1/operator/payments",
        billing,
        Some(json!({
            "invoice_number": number, "amount_minor": amount, "currency": "KZT",
            "received_on": "2027-03-01", "reference": reference,
        })),
    )
    .await
}

async fn count(app: &TestApp, table: &str) -> i64 {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) AS n FROM {table}"
    )))
    .fetch_one(app.store().pool())
    .await
    .unwrap()
    .get("n")
}

/// The owner's billing page, signed in through the form.
async fn billing_page(app: &TestApp) -> crate::harness::Res {
    let b = app.browser();
    b.sign_in(OWNER, OWNER_PASSWORD, SLUG).await;
    b.get("/cabinet/billing").await
}

#[tokio::test]
async fn huge_overpayments_are_refused_and_the_licence_and_billing_page_keep_answering() {
    let app = TestApp::start().await;
    let token = school(&app).await;
    let op = operator(&app).await;
    create_plans(&app, &op, "2027-01-01").await;
    let billing = op.billing().await;
    // 2027-03-01: the first month of "start", 30 000,00, paid with the most one payment may
    // carry; the rest, 99 999 999 970 000,00, goes to the credit balance.
    let invoice = apply(&app, &token, "start", 1, "KZT").await;
    let number = invoice["number"].as_str().unwrap().to_owned();
    let res = transfer(&app, &billing, &number, MAX_AMOUNT_MINOR, "BIG-1").await;
    assert_eq!(res.status, 201, "{}", res.text);
    // A second one to the paid invoice is credited whole.
    let res = transfer(&app, &billing, &number, MAX_AMOUNT_MINOR, "BIG-2").await;
    assert_eq!(res.status, 201, "{}", res.text);
    let credit = 2 * MAX_AMOUNT_MINOR - 3_000_000;
    // Two that once wrapped the sum of the balance past i64::MAX: refused, nothing recorded.
    let payments = count(&app, "payments").await;
    for (amount, reference) in [
        (i64::MAX / 2 + 1, "HUGE-1"),
        (MAX_AMOUNT_MINOR + 1, "HUGE-2"),
    ] {
        let p = transfer(&app, &billing, &number, amount, reference)
            .await
            .problem(422);
        assert_eq!(error_fields(&p), ["amount_minor"]);
    }
    // The same from a payment gateway, for the paid invoice (whose money would be credited).
    let body = json!({
        "transaction_id": "tx-huge", "invoice_id": invoice["id"], "amount_minor": i64::MAX,
        "currency": "KZT", "captured_at": "2027-03-01T05:00:00Z", "status": "captured",
    })
    .to_string();
    let now = app.now().await.as_second();
    let p = app
        .send(
            app.client
                .post(app.url("/api/v1/payments/callback/sandbox"))
                .header("content-type", "application/json")
                .header("x-signature", sign(now, &body))
                .body(body),
        )
        .await
        .problem(422);
    assert_eq!(error_fields(&p), ["amount_minor"]);
    assert_eq!(count(&app, "payments").await, payments);
    let l = licence(&app).await;
    assert_eq!(l["state"], "active");
    assert_eq!(
        l["credit_balance"],
        json!([{ "amount_minor": credit, "currency": "KZT" }])
    );
    let page = billing_page(&app).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(
        page.text.contains(&format_money(Lang::Ru, credit, "KZT")),
        "{}",
        page.text
    );
    app.stop().await;
}

#[tokio::test]
async fn a_ledger_holding_more_than_i64_still_shows_and_never_fails() {
    // Rows from before the bounds (or written by hand): their sum passes i64::MAX. SQLite's
    // SUM failed with "integer overflow" and PostgreSQL's cast alike: every later licence and
    // billing page answered 500. Now the sum is exact and shown clamped.
    let app = TestApp::start().await;
    school(&app).await;
    let tenant: String = sqlx::query("SELECT id FROM tenants WHERE slug = $1")
        .bind(SLUG)
        .fetch_one(app.store().pool())
        .await
        .unwrap()
        .get("id");
    for id in ["c-1", "c-2"] {
        sqlx::query(
            "INSERT INTO credit_ledger (id, tenant_id, currency, amount_minor, reason, at) \
             VALUES ($1, $2, 'KZT', $3, 'overpayment', 0)",
        )
        .bind(id)
        .bind(&tenant)
        .bind(i64::MAX / 2 + 1)
        .execute(app.store().pool())
        .await
        .unwrap();
    }
    let l = licence(&app).await;
    assert_eq!(
        l["credit_balance"],
        json!([{ "amount_minor": i64::MAX, "currency": "KZT" }])
    );
    let page = billing_page(&app).await;
    assert_eq!(page.status, 200, "{}", page.text);
    app.stop().await;
}

#[tokio::test]
async fn a_quote_past_the_document_maximum_is_refused_and_creates_nothing() {
    let app = TestApp::start().await;
    let token = school(&app).await;
    let op = operator(&app).await;
    let billing = op.billing().await;
    let quote = |items: Value| {
        json!({ "tenant": SLUG, "currency": "KZT", "items": items,
                "email_reference": "письмо от 2027-02-26, тема «Внедрение»" })
    };
    let line = |n: usize, amount: i64| {
        Value::Array(
            (1..=n)
                .map(|i| json!({ "description": format!("Этап {i}"), "amount_minor": amount }))
                .collect(),
        )
    };
    // Two lines adding past i64::MAX were once issued for 0,01: the first is past one line's
    // maximum, and the two past the document's.
    let p = app
        .call(
            "POST",
            "/api/v1/operator/quotes",
            &billing,
            Some(quote(json!([
                { "description": "Внедрение", "amount_minor": i64::MAX },
                { "description": "Поддержка", "amount_minor": 2 }
            ]))),
        )
        .await
        .problem(422);
    assert_eq!(error_fields(&p), ["items[0].amount_minor", "items"]);
    // Eleven lines of the most one line may carry: 1 100 000 000 000,00, past the document's
    // 1 000 000 000 000,00.
    let p = app
        .call(
            "POST",
            "/api/v1/operator/quotes",
            &billing,
            Some(quote(line(11, MAX_AMOUNT_MINOR))),
        )
        .await
        .problem(422);
    assert_eq!(error_fields(&p), ["items"]);
    assert!(
        p["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("1,000,000,000,000.00"),
        "{p}"
    );
    assert_eq!(count(&app, "invoices").await, 0);
    assert_eq!(count(&app, "quotes").await, 0);
    // Ten of them make exactly the maximum: issued.
    let res = app
        .call(
            "POST",
            "/api/v1/operator/quotes",
            &billing,
            Some(quote(line(10, MAX_AMOUNT_MINOR))),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(
        res.json()["invoice"]["total"]["amount_minor"],
        MAX_DOCUMENT_MINOR
    );
    let invoices = app.call("GET", "/api/v1/invoices", &token, None).await;
    assert_eq!(invoices.items().as_array().unwrap().len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn an_application_whose_service_lines_pass_the_maxima_is_refused() {
    let app = TestApp::start().await;
    let token = school(&app).await;
    let op = operator(&app).await;
    create_plans(&app, &op, "2027-01-01").await;
    let admin = op.admin().await;
    // Extra storage at the most a price may be, per GB per month; a package at the same.
    for (code, unit) in [("extra_storage", "gb_month"), ("setup", "package")] {
        let res = app
            .call(
                "POST",
                "/api/v1/operator/services",
                &admin,
                Some(json!({
                    "code": code, "name": { "ru": code, "kk": code, "en": code }, "unit": unit,
                    "price_on_request": false,
                    "prices": [{ "currency": "KZT", "amount_minor": MAX_AMOUNT_MINOR }],
                })),
            )
            .await;
        assert_eq!(res.status, 200, "{}", res.text);
    }
    let application = |services: Value| json!({ "plan": "start", "months": 3, "currency": "KZT", "services": services });
    // 10 000 GB for 3 months at that price: 3 * 10^17 in one line, and 31 such lines once
    // wrapped past i64::MAX. Refused at the line.
    let p = app
        .call(
            "POST",
            "/api/v1/applications",
            &token,
            Some(application(Value::Array(
                (0..31)
                    .map(|_| json!({ "code": "extra_storage", "quantity": 10_000 }))
                    .collect(),
            ))),
        )
        .await
        .problem(422);
    assert_eq!(error_fields(&p)[0], "services[0].quantity");
    // Two packages are one line of twice the maximum.
    let p = app
        .call(
            "POST",
            "/api/v1/applications",
            &token,
            Some(application(json!([{ "code": "setup", "quantity": 2 }]))),
        )
        .await
        .problem(422);
    assert_eq!(error_fields(&p), ["services[0].quantity"]);
    // Ten lines at the maximum and the licence: past the document's maximum.
    let p = app
        .call(
            "POST",
            "/api/v1/applications",
            &token,
            Some(application(Value::Array(
                (0..10)
                    .map(|_| json!({ "code": "setup", "quantity": 1 }))
                    .collect(),
            ))),
        )
        .await
        .problem(422);
    assert_eq!(error_fields(&p), ["services"]);
    assert_eq!(count(&app, "invoices").await, 0);
    app.stop().await;
}

#[tokio::test]
async fn one_amount_past_the_maximum_is_refused_on_every_route() {
    let app = TestApp::start().await;
    let token = school(&app).await;
    let op = operator(&app).await;
    create_plans(&app, &op, "2027-01-01").await;
    let (admin, billing) = (op.admin().await, op.billing().await);
    let too_much = MAX_AMOUNT_MINOR + 1;
    let price = |amount: i64| json!({ "currency": "KZT", "months": 1, "amount_minor": amount, "effective_from": "2027-04-01" });
    let cases: Vec<(&str, String, &str, Value, &str)> = vec![
        (
            "POST",
            "/api/v1/operator/plans".into(),
            &admin,
            json!({
                "code": "gold", "name": { "ru": "Золото", "kk": "Алтын", "en": "Gold" },
                "limits": { "students": 100, "staff": 5, "storage_bytes": 10_000_000_000i64, "courses": 20 },
                "prices": [price(too_much)],
            }),
            "prices[0].amount_minor",
        ),
        (
            "POST",
            "/api/v1/operator/plans/start/prices".into(),
            &admin,
            json!({ "prices": [price(too_much)] }),
            "prices[0].amount_minor",
        ),
        (
            "POST",
            "/api/v1/operator/services".into(),
            &admin,
            json!({
                "code": "audit", "name": { "ru": "Аудит", "kk": "Аудит", "en": "Audit" },
                "unit": "one_off", "price_on_request": false,
                "prices": [{ "currency": "KZT", "amount_minor": too_much }],
            }),
            "prices[0].amount_minor",
        ),
        (
            "POST",
            "/api/v1/operator/receipts".into(),
            &billing,
            json!({
                "reference": "R-1", "amount_minor": too_much, "currency": "KZT",
                "received_on": "2027-03-01", "payer": "ТОО «Алма»", "purpose": "Оплата",
            }),
            "amount_minor",
        ),
        (
            "POST",
            "/api/v1/operator/refunds".into(),
            &billing,
            json!({
                "invoice_number": "2027-000001", "amount_minor": too_much,
                "reason": "Расторжение", "email_reference": "письмо от 2027-03-01",
            }),
            "amount_minor",
        ),
        (
            "POST",
            "/api/v1/operator/promotions".into(),
            &admin,
            json!({
                "code": "HUGE", "kind": "fixed", "value": too_much, "currency": "KZT",
                "plans": [], "valid_from": "2027-03-01", "valid_to": "2027-03-31",
            }),
            "value",
        ),
        (
            "POST",
            "/api/v1/operator/quotes".into(),
            &billing,
            json!({
                "tenant": SLUG, "currency": "KZT",
                "items": [{ "description": "Внедрение", "amount_minor": too_much }],
                "email_reference": "письмо от 2027-03-01",
            }),
            "items[0].amount_minor",
        ),
    ];
    let invoice = apply(&app, &token, "start", 1, "KZT").await;
    let number = invoice["number"].as_str().unwrap();
    let before = (
        count(&app, "plans").await,
        count(&app, "plan_prices").await,
        count(&app, "receipts").await,
        count(&app, "promotions").await,
        count(&app, "invoices").await,
    );
    for (method, path, who, body, field) in &cases {
        let p = app
            .call(method, path, who, Some(body.clone()))
            .await
            .problem(422);
        assert!(
            error_fields(&p).contains(&(*field).to_owned()),
            "{path}: {p}"
        );
    }
    let p = transfer(&app, &billing, number, too_much, "T-1")
        .await
        .problem(422);
    assert_eq!(error_fields(&p), ["amount_minor"]);
    assert_eq!(
        (
            count(&app, "plans").await,
            count(&app, "plan_prices").await,
            count(&app, "receipts").await,
            count(&app, "promotions").await,
            count(&app, "invoices").await,
        ),
        before
    );
    // The operator's payment form, typed as money: one tiyn past the maximum.
    let b = app.browser();
    b.sign_in("billing@educenter.test", "Numbers-2027!", "")
        .await;
    let res = b
        .post_form(
            "/operator/billing/payments",
            &[
                ("invoice_number", number),
                ("amount", "100 000 000 000,01"),
                ("currency", "KZT"),
                ("received_on", "2027-03-01"),
                ("reference", "BANK-1"),
            ],
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert!(res.text.contains("id=\"amount-error\""));
    assert!(res.text.contains("100 000 000 000,00"), "{}", res.text);
    assert_eq!(count(&app, "payments").await, 0);
    app.stop().await;
}

fn sign(at: i64, body: &str) -> String {
    use hmac::{Hmac, KeyInit, Mac};
    let mut m = Hmac::<sha2::Sha256>::new_from_slice(SANDBOX_SECRET.as_bytes()).unwrap();
    m.update(format!("{at}.{body}").as_bytes());
    format!("t={at},v1={}", hex::encode(m.finalize().into_bytes()))
}
