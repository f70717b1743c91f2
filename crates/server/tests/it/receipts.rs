//! Money received without an invoice to match: recorded with its grant deadline,
//! alerted one business day before it, matched later with the receipt's own date; and the
//! back-office forms for receipts, plans and price versions.

use serde_json::{Value, json};

use crate::{
    billing::{OWNER, SLUG, apply, create_plans, licence, operator, owner},
    harness::{ADMIN_PASSWORD, TestApp, error_fields},
};

fn receipt(reference: &str, amount: i64, currency: &str, on: &str) -> Value {
    json!({
        "reference": reference, "amount_minor": amount, "currency": currency,
        "received_on": on, "payer": "ТОО «Алма» БИН 123456789013",
        "purpose": "Оплата лицензии по договору",
    })
}

#[tokio::test]
async fn unmatched_money_is_alerted_a_business_day_before_its_deadline_and_matched_by_date() {
    // SPEC: a bank value date of Thu 2025-06-05 gives a deadline at the end of Wed
    // 2025-06-11 (6 June is Kurban Ait, 7-8 June a weekend); still unmatched, the alert fires
    // on 2025-06-10.
    let app = TestApp::builder()
        .clock("2025-06-02T10:00:00+05:00")
        .start()
        .await;
    let owner_token = app
        .school(SLUG, "123456789013", OWNER, "+77011234567")
        .await;
    let op = operator(&app).await;
    create_plans(&app, &op, "2025-01-01").await;
    app.set_clock("2025-06-03T09:00:00+05:00").await;
    let invoice = apply(&app, &owner_token, "start", 1, "KZT").await;
    let number = invoice["number"].as_str().unwrap().to_owned();

    app.set_clock("2025-06-09T10:00:00+05:00").await;
    let billing = op.billing().await;
    let url = "/api/v1/operator/receipts";
    // Bad input changes nothing.
    let bad = app
        .call(
            "POST",
            url,
            &billing,
            Some(receipt("", 0, "RUB", "2025-06-10")),
        )
        .await;
    let mut fields = error_fields(&bad.problem(422));
    fields.sort();
    assert_eq!(
        fields,
        ["amount_minor", "currency", "received_on", "reference"]
    );
    let first = app
        .call(
            "POST",
            url,
            &billing,
            Some(receipt("KASPI-0605-17", 3_000_000, "KZT", "2025-06-05")),
        )
        .await;
    assert_eq!(first.status, 201, "{}", first.text);
    let first = first.json();
    assert_eq!(first["grant_deadline"], "2025-06-11");
    assert_eq!(first["status"], "unmatched");
    // The same reference twice is one receipt.
    let again = app
        .call(
            "POST",
            url,
            &billing,
            Some(receipt("KASPI-0605-17", 3_000_000, "KZT", "2025-06-05")),
        )
        .await;
    assert_eq!(again.status, 200);
    assert_eq!(again.json()["id"], first["id"]);
    let open = app.call("GET", url, &billing, None).await.items();
    assert_eq!(open.as_array().unwrap().len(), 1);
    // A school's people see none of it.
    assert_eq!(
        app.call("GET", url, &owner(&app).await, None).await.status,
        403
    );
    // Recording it as a payment by its reference is refused: it is matched instead.
    let as_payment = app
        .call(
            "POST",
            "/api/v1/operator/payments",
            &billing,
            Some(json!({
                "invoice_number": number, "amount_minor": 3_000_000, "currency": "KZT",
                "received_on": "2025-06-05", "reference": "KASPI-0605-17",
            })),
        )
        .await;
    assert_eq!(as_payment.status, 409, "{}", as_payment.text);

    // No alert on Monday 9 June (the deadline is two business days away) ...
    let alerts = || async {
        app.mail_to("billing@educenter.test")
            .await
            .into_iter()
            .filter(|m| m.subject.contains("KASPI-0605-17"))
            .count()
    };
    assert_eq!(alerts().await, 0);
    // ... one at 00:00 of Tuesday 10 June, to the billing officer and the super-admin, once.
    app.set_clock("2025-06-10T09:00:00+05:00").await;
    assert_eq!(alerts().await, 1);
    let admin_mail = app.mail_to("admin@educenter.test").await;
    assert!(
        admin_mail
            .iter()
            .any(|m| m.subject.contains("KASPI-0605-17") && m.text.contains("11 июня 2025")),
        "{admin_mail:?}"
    );
    app.set_clock("2025-06-11T09:00:00+05:00").await;
    assert_eq!(alerts().await, 1, "once only");

    // Matching: an unknown invoice is 404, another currency 422, both change nothing.
    let billing = op.billing().await;
    let id = first["id"].as_str().unwrap();
    let match_url = format!("{url}/{id}/match");
    let unknown = app
        .call(
            "POST",
            &match_url,
            &billing,
            Some(json!({ "invoice_number": "2025-999999" })),
        )
        .await;
    unknown.problem(404);
    let eur = app
        .call(
            "POST",
            url,
            &billing,
            Some(receipt("SWIFT-EUR-1", 12_000, "EUR", "2025-06-10")),
        )
        .await
        .json();
    let wrong_currency = app
        .call(
            "POST",
            &format!("{url}/{}/match", eur["id"].as_str().unwrap()),
            &billing,
            Some(json!({ "invoice_number": number })),
        )
        .await;
    assert_eq!(error_fields(&wrong_currency.problem(422)), ["currency"]);
    assert_eq!(licence(&app).await["state"], "trial");

    // Matched on 11 June, the money counts from 5 June: paid during the trial, the first
    // period runs from the day after creation.
    let matched = app
        .call(
            "POST",
            &match_url,
            &billing,
            Some(json!({ "invoice_number": number })),
        )
        .await;
    assert_eq!(matched.status, 201, "{}", matched.text);
    assert_eq!(matched.json()["received_on"], "2025-06-05");
    let token = owner(&app).await;
    let paid = app
        .call(
            "GET",
            &format!("/api/v1/invoices/{}", invoice["id"].as_str().unwrap()),
            &token,
            None,
        )
        .await
        .json();
    assert_eq!(paid["status"], "paid");
    assert_eq!(paid["paid_on"], "2025-06-05");
    assert_eq!(paid["grant_deadline"], "2025-06-11");
    let lic = licence(&app).await;
    assert_eq!(lic["state"], "active");
    assert_eq!(lic["periods"][0]["from"], "2025-06-03");
    assert_eq!(lic["periods"][0]["to"], "2025-07-02");
    // Twice is refused; it is no longer open; its reference is now a payment's.
    let twice = app
        .call(
            "POST",
            &match_url,
            &billing,
            Some(json!({ "invoice_number": number })),
        )
        .await;
    twice.problem(409);
    let open = app.call("GET", url, &billing, None).await.items();
    assert_eq!(
        open.as_array().unwrap().len(),
        1,
        "only the EUR one: {open}"
    );
    let all = app
        .call("GET", &format!("{url}?status=all"), &billing, None)
        .await
        .items();
    assert_eq!(all.as_array().unwrap().len(), 2);
    assert_eq!(all[1]["status"], "matched");
    app.stop().await;
}

#[tokio::test]
async fn the_back_office_records_and_matches_receipts_and_creates_plans_and_prices() {
    let app = TestApp::builder()
        .clock("2025-06-02T10:00:00+05:00")
        .start()
        .await;
    let owner_token = app
        .school(SLUG, "123456789013", OWNER, "+77011234567")
        .await;
    let admin = app.browser();
    admin
        .sign_in("admin@educenter.test", ADMIN_PASSWORD, "")
        .await;

    // A new plan from the form: errors stand beside their fields and nothing is created.
    let form = |code: &'static str, students: &'static str, kzt: &'static str| {
        vec![
            ("code", code),
            ("name_ru", "Старт"),
            ("name_kk", "Бастау"),
            ("name_en", "Start"),
            ("limit_students", students),
            ("limit_staff", "5"),
            ("limit_storage_gb", "10"),
            ("limit_courses", "20"),
            ("effective_from", "2025-06-02"),
            ("price_kzt_1", kzt),
            ("price_kzt_12", ""),
            ("price_usd_1", "60.00"),
        ]
    };
    let bad = admin
        .post_form(
            "/operator/billing/plans",
            &form("Start!", "many", "30 000,001"),
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.text);
    for id in ["limit_students-error", "price_kzt_1-error"] {
        assert!(bad.text.contains(id), "{id}");
    }
    let bad_code = admin
        .post_form(
            "/operator/billing/plans",
            &form("Start!", "100", "30 000,00"),
        )
        .await;
    assert_eq!(bad_code.status, 422);
    assert!(bad_code.text.contains("code-error"));
    assert!(
        app.get("/api/v1/plans")
            .await
            .items()
            .as_array()
            .unwrap()
            .is_empty()
    );
    let created = admin
        .post_form(
            "/operator/billing/plans",
            &form("start", "100", "30 000,00"),
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.text);
    let plans = app.get("/api/v1/plans").await.items();
    assert_eq!(plans[0]["code"], "start");
    assert_eq!(plans[0]["limits"]["storage_bytes"], 10_000_000_000i64);
    let prices = plans[0]["prices"].as_array().unwrap();
    assert_eq!(prices.len(), 2, "{plans}");
    assert!(
        prices
            .iter()
            .any(|p| p["currency"] == "KZT" && p["amount_minor"] == 3_000_000)
    );
    assert!(
        prices
            .iter()
            .any(|p| p["currency"] == "USD" && p["amount_minor"] == 6_000)
    );
    let twice = admin
        .post_form(
            "/operator/billing/plans",
            &form("start", "100", "30 000,00"),
        )
        .await;
    assert_eq!(twice.status, 409);
    assert!(twice.text.contains("code-error"));

    // The plans show in the page's body, not in its title.
    let page = admin.get("/operator/billing").await;
    let body = &page.text[page.text.find("<body").unwrap()..];
    assert!(body.contains("Старт"), "{}", page.text);

    // A price version: not retroactive; a school on the plan is told.
    apply(&app, &owner_token, "start", 1, "KZT").await;
    let price = |effective: &'static str| {
        vec![
            ("plan", "start"),
            ("currency", "KZT"),
            ("months", "1"),
            ("amount", "33 000,00"),
            ("decided_on", "2025-06-02"),
            ("effective_from", effective),
        ]
    };
    let retro = admin
        .post_form("/operator/billing/prices", &price("2025-05-01"))
        .await;
    assert_eq!(retro.status, 422, "{}", retro.text);
    assert!(retro.text.contains("effective_from-error"));
    let added = admin
        .post_form("/operator/billing/prices", &price("2025-07-01"))
        .await;
    assert_eq!(added.status, 303, "{}", added.text);
    assert!(
        app.mail_to(OWNER)
            .await
            .iter()
            .any(|m| m.text.contains("33") && m.text.contains("000")),
        "the school on the plan is told"
    );

    // The billing officer: a receipt from the form, then a match typed wrong (the error beside that receipt's
    // field) and right.
    let number = app
        .call("GET", "/api/v1/invoices", &owner(&app).await, None)
        .await
        .items()[0]["number"]
        .as_str()
        .unwrap()
        .to_owned();
    operator(&app).await;
    let officer = app.browser();
    officer
        .sign_in("billing@educenter.test", "Numbers-2027!", "")
        .await;
    let recorded = officer
        .post_form(
            "/operator/billing/receipts",
            &[
                ("reference", "HALYK-555"),
                ("amount", "30 000,00"),
                ("currency", "KZT"),
                ("received_on", "2025-06-02"),
                ("payer", "ТОО «Алма»"),
                ("purpose", ""),
            ],
        )
        .await;
    assert_eq!(recorded.status, 303, "{}", recorded.text);
    let page = officer.get("/operator/billing").await;
    assert!(page.text.contains("HALYK-555") && page.text.contains("id=\"receipts\""));
    let action = page
        .text
        .split("action=\"")
        .find(|s| s.contains("/match\""))
        .map(|s| s[..s.find('"').unwrap()].to_owned())
        .unwrap();
    let wrong = officer
        .post_form(&action, &[("invoice_number", "2025-424242")])
        .await;
    assert_eq!(wrong.status, 404);
    assert!(wrong.text.contains("aria-invalid=\"true\"") && wrong.text.contains("2025-424242"));
    let right = officer
        .post_form(&action, &[("invoice_number", number.as_str())])
        .await;
    assert_eq!(right.status, 303, "{}", right.text);
    assert!(
        officer
            .get("/operator/billing")
            .await
            .text
            .contains("id=\"receipts-none\"")
    );
    assert_eq!(licence(&app).await["state"], "active");
    app.stop().await;
}
