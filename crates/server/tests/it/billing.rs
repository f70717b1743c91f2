//! Plans, applications, invoices, payments and the licence chain through the API (issue 4),
//! with the SPEC's dates and amounts and the test clock.

use serde_json::{Value, json};

use crate::harness::{ADMIN_PASSWORD, OWNER_PASSWORD, TestApp, error_fields};

pub(crate) const OWNER: &str = "owner@alma.kz";
pub(crate) const SLUG: &str = "alma-school";

/// The operator's super-admin and a billing officer (signing in anew each time: the test clock
/// outruns a day's token).
pub(crate) struct Operator<'a> {
    app: &'a TestApp,
}

impl Operator<'_> {
    pub(crate) async fn admin(&self) -> String {
        self.app
            .token_for("admin@educenter.test", ADMIN_PASSWORD, None)
            .await
    }

    pub(crate) async fn billing(&self) -> String {
        self.app
            .token_for("billing@educenter.test", "Numbers-2027!", None)
            .await
    }
}

pub(crate) async fn operator(app: &TestApp) -> Operator<'_> {
    educenter_services::accounts::create_operator(
        &app.services().db,
        app.now().await,
        "billing@educenter.test",
        "Бота Серикова",
        educenter_domain::roles::OperatorRole::Billing,
        "Numbers-2027!",
    )
    .await
    .unwrap();
    Operator { app }
}

/// Plans "start" (30 000.00 KZT a month, 80 000.00 for 3 months, 120.00 EUR a month) and
/// "pro" (60 000.00 KZT a month), in force from `effective_from`.
pub(crate) async fn create_plans(app: &TestApp, op: &Operator<'_>, effective_from: &str) {
    for (code, prices) in [
        (
            "start",
            json!([
                { "currency": "KZT", "months": 1, "amount_minor": 3_000_000, "effective_from": effective_from },
                { "currency": "KZT", "months": 3, "amount_minor": 8_000_000, "effective_from": effective_from },
                { "currency": "EUR", "months": 1, "amount_minor": 12_000, "effective_from": effective_from }
            ]),
        ),
        (
            "pro",
            json!([{ "currency": "KZT", "months": 1, "amount_minor": 6_000_000, "effective_from": effective_from }]),
        ),
    ] {
        let res = app
            .call(
                "POST",
                "/api/v1/operator/plans",
                &op.admin().await,
                Some(json!({
                    "code": code,
                    "name": { "ru": format!("Тариф {code}"), "kk": format!("Тариф {code}"), "en": format!("Plan {code}") },
                    "limits": { "students": 100, "staff": 5, "storage_bytes": 10_000_000_000i64, "courses": 20 },
                    "prices": prices,
                })),
            )
            .await;
        assert_eq!(res.status, 201, "{}", res.text);
    }
}

pub(crate) async fn owner(app: &TestApp) -> String {
    app.token_for(OWNER, OWNER_PASSWORD, Some(SLUG)).await
}

pub(crate) async fn apply(
    app: &TestApp,
    token: &str,
    plan: &str,
    months: i64,
    currency: &str,
) -> Value {
    let res = app
        .call(
            "POST",
            "/api/v1/applications",
            token,
            Some(json!({ "plan": plan, "months": months, "currency": currency })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    res.json()["invoice"].clone()
}

async fn pay(
    app: &TestApp,
    op: &Operator<'_>,
    number: &str,
    amount: i64,
    on: &str,
    reference: &str,
) -> (u16, Value) {
    let res = app
        .call(
            "POST",
            "/api/v1/operator/payments",
            &op.billing().await,
            Some(json!({
                "invoice_number": number, "amount_minor": amount, "currency": "KZT",
                "received_on": on, "reference": reference,
            })),
        )
        .await;
    (res.status, res.json())
}

pub(crate) async fn licence(app: &TestApp) -> Value {
    let token = owner(app).await;
    let res = app.call("GET", "/api/v1/license", &token, None).await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.json()
}

fn periods(l: &Value) -> Vec<(String, String)> {
    l["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["from"].as_str().unwrap().to_owned(),
                p["to"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The issue's example up to the first paid period: created 2027-02-01 10:00 +05, 1-month
/// plan at 30 000.00 KZT paid 2027-02-10.
async fn first_period(app: &TestApp) -> Operator<'_> {
    app.school(SLUG, "123456789013", OWNER, "+77011234567")
        .await;
    let op = operator(app).await;
    create_plans(app, &op, "2027-01-01").await;
    app.set_clock("2027-02-10T09:00:00+05:00").await;
    let token = owner(app).await;
    let invoice = apply(app, &token, "start", 1, "KZT").await;
    assert_eq!(invoice["number"], "2027-000001");
    assert_eq!(invoice["issued_on"], "2027-02-10");
    assert_eq!(
        invoice["due_on"], "2027-02-15",
        "3 business days, over a weekend"
    );
    assert_eq!(invoice["status"], "issued");
    assert_eq!(
        invoice["total"],
        json!({ "amount_minor": 3_000_000, "currency": "KZT" })
    );
    assert_eq!(invoice["lines"][0]["kind"], "licence");
    assert_eq!(invoice["supplier"]["bin"], "151140002258");
    assert_eq!(invoice["customer"]["bin_iin"], "123456789013");
    let (status, first) = pay(app, &op, "2027-000001", 3_000_000, "2027-02-10", "KZ-001").await;
    assert_eq!(status, 201, "{first}");
    // The same bank reference again records nothing new and answers with the first.
    let (status, again) = pay(app, &op, "2027-000001", 3_000_000, "2027-02-10", "KZ-001").await;
    assert_eq!(status, 200);
    assert_eq!(again["id"], first["id"]);
    let l = licence(app).await;
    assert_eq!(l["state"], "active");
    assert_eq!(l["plan"], "start");
    assert_eq!(periods(&l), [("2027-02-02".into(), "2027-03-01".into())]);
    assert_eq!(l["paid_through"], "2027-03-01");
    assert_eq!(l["contract"]["number"], 1);
    assert_eq!(l["credit_balance"], json!([]), "nothing was paid twice");
    op
}

#[tokio::test]
async fn a_renewal_six_days_late_continues_the_chain() {
    let app = TestApp::builder()
        .clock("2027-02-01T10:00:00+05:00")
        .start()
        .await;
    let op = first_period(&app).await;
    // The renewal invoice is issued 10 days before L = 2027-03-01, at 00:00 on 19 February,
    // and e-mailed (A-9).
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
    let report =
        educenter_services::billing::nightly::run_daily(&app.services().db, app.now().await)
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
    // At 00:00 of L + 7 the licence lapses and contract #1 ends (R-5.1.1); the unpaid renewal
    // 2027-000002 is void and a new contract's invoice 2027-000003 takes its place (A-9).
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
    // Money sent against the void invoice is not lost: it goes to the credit balance (R-5.2).
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
    // R-5.6: 50 000 in two transfers, 30 000 on 04-10 and 20 000 on 04-14 keyed in on 04-16:
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
    // Paid within 6 days of the trial's end (2025-04-15): anchored at creation (A-5).
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
async fn a_plan_change_credits_the_unused_days() {
    // R-4.5b: Start 30 000 for 2025-04-01..04-30, Pro 60 000 invoiced and paid 2025-04-20:
    // credit 10 000.00, invoice 50 000.00, Pro covers 2025-04-21..2025-05-20.
    let app = TestApp::builder()
        .clock("2025-03-10T10:00:00+05:00")
        .start()
        .await;
    app.school(SLUG, "123456789013", OWNER, "+77011234567")
        .await;
    let op = operator(&app).await;
    create_plans(&app, &op, "2025-01-01").await;
    // The trial ends 2025-03-24; paid 2025-03-31 (7 days later): anchored at the payment.
    app.set_clock("2025-03-31T10:00:00+05:00").await;
    let start = apply(&app, &owner(&app).await, "start", 1, "KZT").await;
    pay(
        &app,
        &op,
        start["number"].as_str().unwrap(),
        3_000_000,
        "2025-03-31",
        "S",
    )
    .await;
    assert_eq!(
        periods(&licence(&app).await),
        [("2025-04-01".into(), "2025-04-30".into())]
    );
    app.set_clock("2025-04-20T10:00:00+05:00").await;
    let token = owner(&app).await;
    let pro = apply(&app, &token, "pro", 1, "KZT").await;
    assert_eq!(pro["purpose"], "plan_change");
    // The renewal issued that night gave way to the owner's choice.
    let list = app
        .call("GET", "/api/v1/invoices", &token, None)
        .await
        .items();
    assert_eq!(list[1]["purpose"], "renewal");
    assert_eq!(list[1]["status"], "void");
    assert_eq!(pro["lines"][1]["kind"], "proration_credit");
    assert_eq!(pro["lines"][1]["amount_minor"], -1_000_000);
    assert_eq!(pro["total"]["amount_minor"], 5_000_000);
    // Another currency may not change the plan mid-period (A-8); a resident may not pay in EUR.
    let res = app
        .call(
            "POST",
            "/api/v1/applications",
            &token,
            Some(json!({ "plan": "start", "months": 1, "currency": "EUR" })),
        )
        .await;
    assert_eq!(error_fields(&res.problem(422)), ["currency"]);
    pay(
        &app,
        &op,
        pro["number"].as_str().unwrap(),
        5_000_000,
        "2025-04-20",
        "P",
    )
    .await;
    let l = licence(&app).await;
    assert_eq!(l["plan"], "pro");
    assert_eq!(
        periods(&l),
        [
            ("2025-04-01".into(), "2025-04-20".into()),
            ("2025-04-21".into(), "2025-05-20".into())
        ]
    );
    // A later price version of Pro shows in the cabinet (R-5.8a); the paid period keeps its
    // price (A-19).
    let res = app
        .call(
            "POST",
            "/api/v1/operator/plans/pro/prices",
            &op.admin().await,
            Some(json!({ "prices": [{ "currency": "KZT", "months": 1, "amount_minor": 6_600_000, "effective_from": "2025-06-01" }] })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let b = app.browser();
    b.sign_in(OWNER, OWNER_PASSWORD, SLUG).await;
    let page = b.get("/cabinet").await.text;
    assert!(page.contains("id=\"price-banner\""), "{page}");
    assert!(page.contains("1 июня 2025 г."));
    assert!(page.contains("66\u{a0}000,00\u{a0}KZT"));
    assert_eq!(
        periods(&licence(&app).await).len(),
        2,
        "no re-billing of a paid period"
    );
    drop(b);
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
    app.set_clock("2025-04-18T12:00:00+05:00").await;
    let alerts = |smtp: &crate::smtp::SmtpServer| {
        smtp.received()
            .iter()
            .filter(|m| m.rcpt.iter().any(|r| r.contains("admin@educenter.test")))
            .count()
    };
    assert_eq!(alerts(&smtp), 0, "not before the fifth day");
    app.set_clock("2025-04-19T09:00:00+05:00").await;
    assert_eq!(alerts(&smtp), 1, "{:?}", smtp.received());
    // Once only.
    app.set_clock("2025-04-21T09:00:00+05:00").await;
    assert_eq!(alerts(&smtp), 1);
    app.stop().await;
}

#[tokio::test]
async fn promotions_discount_silently_and_refunds_are_capped_at_the_unused_time() {
    // R-5.7: a 12-month Start promotion at 240 000 (regular 30 000 a month) ending after exactly
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

#[tokio::test]
async fn staff_seats_stop_at_the_plan_limit_with_warnings_on_the_way() {
    // R-3.5.4, A-23: the plan allows 5 staff; the owner is warned at 80% and 100%, and a sixth
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
    // R-1.9: Start (10 GB) with +20 GB for 1 month at 1 000 KZT/GB: 20 000 KZT on the invoice;
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

#[tokio::test]
async fn the_operator_moves_a_school_to_another_plan_and_blocks_and_unblocks_it() {
    // R-3.5.4: an operator move from Start to Pro on 2025-04-20 gives the R-4.5b invoice of
    // 50 000 KZT; a block is a manual, audited decision (A-23).
    let app = TestApp::builder()
        .clock("2025-03-10T10:00:00+05:00")
        .start()
        .await;
    app.school(SLUG, "123456789013", OWNER, "+77011234567")
        .await;
    let op = operator(&app).await;
    create_plans(&app, &op, "2025-01-01").await;
    app.set_clock("2025-03-31T10:00:00+05:00").await;
    let start = apply(&app, &owner(&app).await, "start", 1, "KZT").await;
    pay(
        &app,
        &op,
        start["number"].as_str().unwrap(),
        3_000_000,
        "2025-03-31",
        "S",
    )
    .await;
    app.set_clock("2025-04-20T10:00:00+05:00").await;
    let tenant_id = app
        .call(
            "GET",
            "/api/v1/operator/tenants?q=alma",
            &op.admin().await,
            None,
        )
        .await
        .items()[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/v1/operator/tenants/{tenant_id}/plan-change");
    app.call(
        "POST",
        &path,
        &op.admin().await,
        Some(json!({ "plan": "pro", "months": 1 })),
    )
    .await
    .problem(403);
    let res = app
        .call(
            "POST",
            &path,
            &op.billing().await,
            Some(json!({ "plan": "start", "months": 1 })),
        )
        .await;
    assert_eq!(error_fields(&res.problem(422)), ["plan"]);
    let res = app
        .call(
            "POST",
            &path,
            &op.billing().await,
            Some(json!({ "plan": "pro", "months": 1 })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.json()["total_minor"], 5_000_000);
    assert!(app.mail_to(OWNER).await.iter().any(|m| {
        m.subject
            .contains(res.json()["invoice_number"].as_str().unwrap())
    }));

    // A compliance officer blocks the school: staff are out, the owner still signs in.
    educenter_services::accounts::create_operator(
        &app.services().db,
        app.now().await,
        "compliance@educenter.test",
        "Комплаенс",
        educenter_domain::roles::OperatorRole::Compliance,
        "Rules-2027!!",
    )
    .await
    .unwrap();
    let compliance = app
        .token_for("compliance@educenter.test", "Rules-2027!!", None)
        .await;
    let owner_token = owner(&app).await;
    app.call(
        "POST",
        "/api/v1/staff",
        &owner_token,
        Some(json!({ "email": "t@alma.kz", "full_name": "T", "role": "teacher" })),
    )
    .await;
    let link = app.mail_to("t@alma.kz").await[0].links[0].clone();
    app.post_json(
        "/api/v1/invitations/accept",
        &json!({ "token": link.split("token=").nth(1).unwrap(), "password": "Lessons-2027!" }),
    )
    .await;
    let teacher = app
        .token_for("t@alma.kz", "Lessons-2027!", Some(SLUG))
        .await;
    let block = format!("/api/v1/operator/tenants/{tenant_id}/block");
    let unblock = format!("/api/v1/operator/tenants/{tenant_id}/unblock");
    app.call(
        "POST",
        &block,
        &op.billing().await,
        Some(json!({ "reason": "over_limit" })),
    )
    .await
    .problem(403);
    let res = app
        .call(
            "POST",
            &block,
            &compliance,
            Some(json!({ "reason": "refusal", "note": "x" })),
        )
        .await;
    assert_eq!(error_fields(&res.problem(422)), ["reason"]);
    // The internal note is required (R-2.5a).
    let res = app
        .call(
            "POST",
            &block,
            &compliance,
            Some(json!({ "reason": "over_limit", "note": "  " })),
        )
        .await;
    assert_eq!(error_fields(&res.problem(422)), ["note"]);
    let res = app
        .call(
            "POST",
            &block,
            &compliance,
            Some(json!({ "reason": "over_limit", "note": "Storage at 180% for a month" })),
        )
        .await;
    assert_eq!(res.status, 204, "{}", res.text);
    // A program tells a block from a bad token: 403 `blocked`, not 401.
    let body = app
        .call("GET", "/api/v1/me", &teacher, None)
        .await
        .problem(403);
    assert!(
        body["type"].as_str().unwrap().ends_with("/blocked"),
        "{body}"
    );
    let body = app
        .login("t@alma.kz", "Lessons-2027!", Some(SLUG))
        .await
        .problem(403);
    assert!(
        body["type"].as_str().unwrap().ends_with("/blocked"),
        "{body}"
    );
    let owner_again = owner(&app).await;
    assert_eq!(licence(&app).await["blocked"], "over_limit");
    assert!(
        app.mail_to(OWNER)
            .await
            .iter()
            .any(|m| m.subject.contains("заблокирован"))
    );
    let res = app
        .call(
            "POST",
            &unblock,
            &compliance,
            Some(json!({ "reason": "over_limit" })),
        )
        .await;
    assert_eq!(res.status, 204, "{}", res.text);
    app.call(
        "POST",
        &unblock,
        &compliance,
        Some(json!({ "reason": "over_limit" })),
    )
    .await
    .problem(404);
    let teacher = app
        .token_for("t@alma.kz", "Lessons-2027!", Some(SLUG))
        .await;
    assert_eq!(
        app.call("GET", "/api/v1/me", &teacher, None).await.status,
        200
    );
    assert_eq!(
        app.call("GET", "/api/v1/license", &owner_again, None)
            .await
            .json()["blocked"],
        Value::Null
    );
    app.stop().await;
}

#[tokio::test]
async fn a_paid_invoice_names_its_grant_deadline() {
    // R-3.4.1: a bank value date of Thu 2025-06-05 gives a deadline at the end of Wed
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

#[tokio::test]
async fn money_received_on_l_plus_six_but_keyed_in_later_continues_the_chain() {
    // A-6, R-5.6: the value date counts. L = 2027-03-01; the transfer's value date is 2027-03-07
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
