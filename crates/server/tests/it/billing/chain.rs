//! The licence chain and its dates: late renewals and payments keyed in late that continue it or
//! end the contract, partial payments and credit, the trial lapsing, and grant deadlines.

use serde_json::{Value, json};

use super::{
    OWNER, SLUG, apply, create_plans, first_period, licence, operator, owner, pay, periods,
};
use crate::harness::{TestApp, error_fields};

#[tokio::test]
async fn a_renewal_six_days_late_continues_the_chain() {
    let app = TestApp::builder()
        .clock("2027-02-01T10:00:00+05:00")
        .start()
        .await;
    let op = first_period(&app).await;
    // The renewal invoice is issued 10 days before L = 2027-03-01, at 00:00 on 19 February,
    // and e-mailed.
    app.set_clock("2027-02-19T00:05:00+05:00").await;
    let token = owner(&app).await;
    let list = app
        .call("GET", "/api/v1/invoices", &token, None)
        .await
        .items();
    assert_eq!(list[0]["number"], "2027-000002");
    assert_eq!(list[0]["purpose"], "renewal");
    assert_eq!(list[0]["issued_on"], "2027-02-19");
    assert_eq!(list[0]["due_on"], "2027-02-24");
    assert_eq!(list[0]["total"]["amount_minor"], 3_000_000);
    let mail = app.mail_to(OWNER).await;
    assert!(
        mail[0].subject.contains("2027-000002"),
        "{}",
        mail[0].subject
    );
    // The same day run again finds no school whose day has come, and sends nothing more.
    let report = educenter_services::billing::nightly::run_daily(app.store(), app.now().await)
        .await
        .unwrap();
    assert_eq!((report.schools, report.changed), (0, 0));
    let again = app
        .call("GET", "/api/v1/invoices", &token, None)
        .await
        .items();
    assert_eq!(again.as_array().unwrap().len(), 2);
    assert_eq!(app.mail_to(OWNER).await.len(), mail.len());
    assert!(
        mail[0].text.contains("30\u{a0}000,00\u{a0}KZT"),
        "{}",
        mail[0].text
    );
    // A partial payment makes it the one to finish: another application is refused.
    pay(&app, &op, "2027-000002", 1_000_000, "2027-02-19", "KZ-002a").await;
    app.call(
        "POST",
        "/api/v1/applications",
        &token,
        Some(json!({ "plan": "start", "months": 1, "currency": "KZT" })),
    )
    .await
    .problem(409);
    // Reminders on the due date, at L and at L + 3; overdue from 2 March.
    app.set_clock("2027-03-02T00:30:00+05:00").await;
    assert_eq!(licence(&app).await["state"], "overdue");
    app.set_clock("2027-03-04T12:00:00+05:00").await;
    let mail = app.mail_to(OWNER).await;
    let reminders = mail
        .iter()
        .filter(|m| m.subject.contains("Напоминание"))
        .count();
    assert_eq!(reminders, 3, "24 February, 1 and 4 March");
    assert!(mail.iter().any(|m| m.subject.contains("оплата просрочена")));
    app.set_clock("2027-03-07T18:00:00+05:00").await;
    let (status, _) = pay(&app, &op, "2027-000002", 2_000_000, "2027-03-07", "KZ-002").await;
    assert_eq!(status, 201);
    let l = licence(&app).await;
    assert_eq!(l["state"], "active");
    assert_eq!(
        periods(&l),
        [
            ("2027-02-02".into(), "2027-03-01".into()),
            ("2027-03-02".into(), "2027-04-01".into())
        ]
    );
    assert_eq!(l["contract"]["number"], 1, "one contract");
    assert_eq!(
        l["credit_balance"],
        json!([]),
        "two payments, exactly the total"
    );
    app.stop().await;
}

#[tokio::test]
async fn seven_days_late_the_contract_ends_and_a_new_one_starts_after_payment() {
    let app = TestApp::builder()
        .clock("2027-02-01T10:00:00+05:00")
        .start()
        .await;
    let op = first_period(&app).await;
    // At 00:00 of L + 7 the licence lapses and contract #1 ends; the unpaid renewal
    // 2027-000002 is void and a new contract's invoice 2027-000003 takes its place.
    app.set_clock("2027-03-08T00:30:00+05:00").await;
    let l = licence(&app).await;
    assert_eq!(l["state"], "lapsed", "{l}");
    let tenant = app
        .call(
            "GET",
            "/api/v1/operator/tenants?q=alma",
            &op.admin().await,
            None,
        )
        .await
        .items()[0]
        .clone();
    assert_eq!(tenant["state"], "lapsed", "stored by the midnight run");
    // Money sent against the void invoice is not lost: it goes to the credit balance.
    let (status, body) = pay(&app, &op, "2027-000002", 3_000_000, "2027-03-08", "KZ-002").await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(
        licence(&app).await["credit_balance"],
        json!([{ "amount_minor": 3_000_000, "currency": "KZT" }])
    );
    let token = owner(&app).await;
    let list = app
        .call("GET", "/api/v1/invoices", &token, None)
        .await
        .items();
    assert_eq!(list[0]["number"], "2027-000003");
    assert_eq!(list[0]["purpose"], "licence");
    assert_eq!(list[1]["status"], "void");
    assert!(
        app.mail_to(OWNER)
            .await
            .iter()
            .any(|m| m.subject.contains("Новый счёт 2027-000003"))
    );
    let (status, _) = pay(&app, &op, "2027-000003", 3_000_000, "2027-03-08", "KZ-003").await;
    assert_eq!(status, 201);
    let l = licence(&app).await;
    assert_eq!(l["state"], "active");
    assert_eq!(l["contract"]["number"], 2);
    assert_eq!(periods(&l), [("2027-03-09".into(), "2027-04-08".into())]);
    let detail = app
        .call(
            "GET",
            &format!(
                "/api/v1/operator/tenants/{}",
                tenant["id"].as_str().unwrap()
            ),
            &op.admin().await,
            None,
        )
        .await
        .json();
    assert_eq!(detail["contracts"][0]["status"], "ended");
    assert_eq!(detail["contracts"][1]["status"], "in_force");
    let ends: Vec<&Value> = detail["audit"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "contract.end")
        .collect();
    assert_eq!(ends.len(), 1);
    assert_eq!(ends[0]["details"]["reason"], "late_payment");
    app.stop().await;
}

#[tokio::test]
async fn partial_payments_complete_on_the_value_date_and_overpayments_become_credit() {
    // 50 000 in two transfers, 30 000 on 04-10 and 20 000 on 04-14 keyed in on 04-16:
    // paid on 04-14.
    let app = TestApp::builder()
        .clock("2025-04-01T10:00:00+05:00")
        .start()
        .await;
    app.school(SLUG, "123456789013", OWNER, "+77011234567")
        .await;
    let op = operator(&app).await;
    create_plans(&app, &op, "2025-01-01").await;
    let token = owner(&app).await;
    let invoice = apply(&app, &token, "pro", 1, "KZT").await;
    let number = invoice["number"].as_str().unwrap().to_owned();
    assert_eq!(number, "2025-000001");
    app.set_clock("2025-04-16T12:00:00+05:00").await;
    let (status, _) = pay(&app, &op, &number, 3_000_000, "2025-04-10", "A").await;
    assert_eq!(status, 201);
    let id = invoice["id"].as_str().unwrap();
    let token = owner(&app).await;
    let inv = app
        .call("GET", &format!("/api/v1/invoices/{id}"), &token, None)
        .await
        .json();
    assert_eq!(inv["paid"]["amount_minor"], 3_000_000);
    assert_ne!(inv["status"], "paid");
    assert_eq!(
        licence(&app).await["state"],
        "trial_expired",
        "nothing activated yet"
    );
    pay(&app, &op, &number, 3_100_000, "2025-04-14", "B").await;
    let inv = app
        .call("GET", &format!("/api/v1/invoices/{id}"), &token, None)
        .await
        .json();
    assert_eq!(inv["status"], "paid");
    assert_eq!(inv["paid_on"], "2025-04-14");
    let l = licence(&app).await;
    // Paid within 6 days of the trial's end (2025-04-15): anchored at creation.
    assert_eq!(periods(&l), [("2025-04-02".into(), "2025-05-01".into())]);
    assert_eq!(
        l["credit_balance"],
        json!([{ "amount_minor": 100_000, "currency": "KZT" }])
    );
    // The credit is used by the next invoice.
    let next = apply(&app, &token, "pro", 1, "KZT").await;
    assert_eq!(next["lines"][1]["kind"], "credit_balance");
    assert_eq!(next["lines"][1]["amount_minor"], -100_000);
    assert_eq!(next["total"]["amount_minor"], 5_900_000);
    assert_eq!(licence(&app).await["credit_balance"], json!([]));
    // Wrong currency or a number nobody issued: refused, nothing recorded.
    let res = app
        .call(
            "POST",
            "/api/v1/operator/payments",
            &op.billing().await,
            Some(json!({ "invoice_number": number, "amount_minor": 1, "currency": "EUR", "received_on": "2025-04-16", "reference": "C" })),
        )
        .await;
    assert_eq!(error_fields(&res.problem(422)), ["currency"]);
    let res = app
        .call(
            "POST",
            "/api/v1/operator/payments",
            &op.billing().await,
            Some(json!({ "invoice_number": "2025-999999", "amount_minor": 1, "currency": "KZT", "received_on": "2025-04-16", "reference": "D" })),
        )
        .await;
    res.problem(404);
    // Only the billing officer records payments.
    let res = app
        .call(
            "POST",
            "/api/v1/operator/payments",
            &op.admin().await,
            Some(json!({ "invoice_number": number, "amount_minor": 1, "currency": "KZT", "received_on": "2025-04-16", "reference": "E" })),
        )
        .await;
    res.problem(403);
    app.stop().await;
}

#[tokio::test]
async fn without_an_application_the_trial_expires_then_lapses() {
    // R-4.1b, R-4.2: created 2025-03-03 -> trial_expired at 2025-03-18 00:00, lapsed at
    // 2025-04-03 00:00 with nothing filed.
    let app = TestApp::builder()
        .clock("2025-03-03T15:20:00+05:00")
        .start()
        .await;
    let owner_session = app
        .school(SLUG, "123456789013", OWNER, "+77011234567")
        .await;
    assert_eq!(licence(&app).await["state"], "trial");
    let program = app
        .call(
            "POST",
            "/api/v1/tokens",
            &owner_session,
            Some(json!({ "name": "sync", "scope": "read" })),
        )
        .await
        .json()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = app
        .call(
            "POST",
            "/api/v1/staff",
            &owner_session,
            Some(json!({ "email": "teacher@alma.kz", "full_name": "Данияр Ахметов", "role": "teacher" })),
        )
        .await;
    assert_eq!(res.status, 201);
    let link = app.mail_to("teacher@alma.kz").await[0].links[0].clone();
    app.post_json(
        "/api/v1/invitations/accept",
        &json!({ "token": link.split("token=").nth(1).unwrap(), "password": "Lessons-2027!" }),
    )
    .await;
    assert_eq!(
        app.call("GET", "/api/v1/me", &program, None).await.status,
        200
    );
    app.set_clock("2025-03-17T23:59:00+05:00").await;
    assert_eq!(licence(&app).await["state"], "trial");
    app.set_clock("2025-03-18T00:00:00+05:00").await;
    assert_eq!(licence(&app).await["state"], "trial_expired");
    // Staff and programs wait for the payment; the owner reaches billing (SPEC 3.0).
    let body = app
        .call("GET", "/api/v1/me", &program, None)
        .await
        .problem(403);
    assert!(
        body["type"]
            .as_str()
            .unwrap()
            .ends_with("/licence_inactive"),
        "{body}"
    );
    let teacher = app
        .token_for("teacher@alma.kz", "Lessons-2027!", Some(SLUG))
        .await;
    app.call("GET", "/api/v1/staff", &teacher, None)
        .await
        .problem(403);
    let browser = app.browser();
    browser
        .sign_in("teacher@alma.kz", "Lessons-2027!", SLUG)
        .await;
    let page = browser.get("/cabinet").await;
    assert_eq!(page.status, 403);
    assert!(page.text.contains("Школа ждёт оплаты"));
    let owner_now = owner(&app).await;
    assert_eq!(
        app.call("GET", "/api/v1/invoices", &owner_now, None)
            .await
            .status,
        200
    );
    app.set_clock("2025-04-02T23:00:00+05:00").await;
    assert_eq!(licence(&app).await["state"], "trial_expired");
    app.set_clock("2025-04-03T00:00:00+05:00").await;
    let l = licence(&app).await;
    assert_eq!(l["state"], "lapsed");
    assert_eq!(l["contract"], Value::Null, "the contract ended");
    // The data is kept 60 days after the lapse (R-4.4a).
    assert_eq!(l["purge_on"], "2025-06-02");
    // Paid on 2025-04-10 while the data is kept: a new contract from the day after payment,
    // and nothing is purged (R-4.4b).
    app.set_clock("2025-04-10T10:00:00+05:00").await;
    let op = operator(&app).await;
    create_plans(&app, &op, "2025-01-01").await;
    let invoice = apply(&app, &owner(&app).await, "start", 1, "KZT").await;
    pay(
        &app,
        &op,
        invoice["number"].as_str().unwrap(),
        3_000_000,
        "2025-04-10",
        "R-1",
    )
    .await;
    let l = licence(&app).await;
    assert_eq!(l["state"], "active");
    assert_eq!(l["contract"]["number"], 2);
    assert_eq!(periods(&l), [("2025-04-11".into(), "2025-05-10".into())]);
    assert_eq!(l["purge_on"], Value::Null);
    drop(browser);
    app.stop().await;
}

#[tokio::test]
async fn money_received_on_l_plus_six_but_keyed_in_later_continues_the_chain() {
    // the value date counts. L = 2027-03-01; the transfer's value date is 2027-03-07
    // (L + 6) but it is recorded on 2027-03-09, after the night of L + 7 lapsed the contract and
    // replaced the renewal: the contract goes back in force and the chain continues.
    let app = TestApp::builder()
        .clock("2027-02-01T10:00:00+05:00")
        .start()
        .await;
    let op = first_period(&app).await;
    app.set_clock("2027-03-09T11:00:00+05:00").await;
    assert_eq!(licence(&app).await["state"], "lapsed");
    let token = owner(&app).await;
    let list = app
        .call("GET", "/api/v1/invoices", &token, None)
        .await
        .items();
    assert_eq!(list[0]["number"], "2027-000003");
    assert_eq!(list[1]["status"], "void");
    let (status, body) = pay(&app, &op, "2027-000002", 3_000_000, "2027-03-07", "KZ-LATE").await;
    assert_eq!(status, 201, "{body}");
    let l = licence(&app).await;
    assert_eq!(l["state"], "active", "{l}");
    assert_eq!(l["contract"]["number"], 1, "the same contract");
    assert_eq!(
        periods(&l),
        [
            ("2027-02-02".into(), "2027-03-01".into()),
            ("2027-03-02".into(), "2027-04-01".into())
        ]
    );
    assert_eq!(l["credit_balance"], json!([]), "nothing left over");
    assert_eq!(l["purge_on"], Value::Null);
    let token = owner(&app).await;
    let list = app
        .call("GET", "/api/v1/invoices", &token, None)
        .await
        .items();
    assert_eq!(list[0]["number"], "2027-000003");
    assert_eq!(
        list[0]["status"], "void",
        "the new contract's invoice gave way"
    );
    assert_eq!(list[1]["status"], "paid");
    // A value date of L + 7 would not have: shown by the test of seven days late.
    app.stop().await;
}

#[tokio::test]
async fn a_paid_invoice_names_its_grant_deadline() {
    // a bank value date of Thu 2025-06-05 gives a deadline at the end of Wed
    // 2025-06-11 (6 June is Kurban Ait, 7-8 June a weekend).
    let app = TestApp::builder()
        .clock("2025-06-01T10:00:00+05:00")
        .start()
        .await;
    let owner_token = app
        .school(SLUG, "123456789013", OWNER, "+77011234567")
        .await;
    let op = operator(&app).await;
    create_plans(&app, &op, "2025-01-01").await;
    let invoice = apply(&app, &owner_token, "start", 1, "KZT").await;
    let id = invoice["id"].as_str().unwrap().to_owned();
    let url = format!("/api/v1/invoices/{id}");
    assert_eq!(
        app.call("GET", &url, &owner_token, None).await.json()["grant_deadline"],
        Value::Null
    );
    app.set_clock("2025-06-06T10:00:00+05:00").await;
    pay(
        &app,
        &op,
        invoice["number"].as_str().unwrap(),
        3_000_000,
        "2025-06-05",
        "G-1",
    )
    .await;
    let token = owner(&app).await;
    let paid = app.call("GET", &url, &token, None).await.json();
    assert_eq!(paid["paid_on"], "2025-06-05");
    assert_eq!(paid["grant_deadline"], "2025-06-11");
    assert_eq!(licence(&app).await["state"], "active", "granted at once");
    app.stop().await;
}

/// The night reads what a page of schools' renewals need together (issue 16, item 8): the
/// renewal invoice still uses the school's credit balance, and names the owner, the school's
/// address and the operator's requisites, as an application's invoice does.
#[tokio::test]
async fn the_nights_renewal_uses_the_credit_and_names_both_parties() {
    let app = TestApp::builder()
        .clock("2027-02-01T10:00:00+05:00")
        .start()
        .await;
    app.school(SLUG, "123456789013", OWNER, "+77011234567")
        .await;
    let op = operator(&app).await;
    create_plans(&app, &op, "2027-01-01").await;
    app.set_clock("2027-02-10T09:00:00+05:00").await;
    let token = owner(&app).await;
    let res = app
        .call(
            "PUT",
            "/api/v1/documents/settings",
            &token,
            Some(json!({ "lang": "ru", "address": "Алматы, пр. Абая, 1" })),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let first = apply(&app, &token, "start", 1, "KZT").await;
    // 1 000.00 KZT more than the invoice: the rest goes to the credit balance.
    let (status, body) = pay(&app, &op, "2027-000001", 3_100_000, "2027-02-10", "KZ-1").await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(first["number"], "2027-000001");
    assert_eq!(
        licence(&app).await["credit_balance"],
        json!([{ "amount_minor": 100_000, "currency": "KZT" }])
    );

    // 10 days before L = 2027-03-01: the renewal, 30 000.00 less the 1 000.00 of credit.
    app.set_clock("2027-02-19T00:05:00+05:00").await;
    let token = owner(&app).await;
    let list = app
        .call("GET", "/api/v1/invoices", &token, None)
        .await
        .items();
    assert_eq!(list[0]["purpose"], "renewal");
    let id = list[0]["id"].as_str().unwrap();
    let renewal = app
        .call("GET", &format!("/api/v1/invoices/{id}"), &token, None)
        .await
        .json();
    assert_eq!(renewal["lines"][0]["kind"], "licence");
    assert_eq!(renewal["lines"][0]["amount_minor"], 3_000_000);
    assert_eq!(renewal["lines"][1]["kind"], "credit_balance");
    assert_eq!(renewal["lines"][1]["amount_minor"], -100_000);
    assert_eq!(renewal["total"]["amount_minor"], 2_900_000);
    assert_eq!(renewal["customer"]["email"], OWNER);
    assert_eq!(renewal["customer"]["address"], "Алматы, пр. Абая, 1");
    assert_eq!(renewal["supplier"]["bin"], "151140002258");
    assert_eq!(licence(&app).await["credit_balance"], json!([]));
    app.stop().await;
}
