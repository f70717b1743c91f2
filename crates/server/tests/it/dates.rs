//! Issue 15, item 3: the dates of acceptances and contracts (R-2.2c, R-5.1.1, R-5.6) and of
//! the application deadline.

use serde_json::{Value, json};

use crate::{
    billing::{apply, create_plans, licence, operator, owner},
    harness::{ADMIN_PASSWORD, OWNER_PASSWORD, TestApp},
};

const SLUG: &str = "alma-school";
const OWNER: &str = "owner@alma.kz";

/// The operator's view of the school: contracts and acceptances.
async fn detail(app: &TestApp) -> Value {
    let admin = app
        .token_for("admin@educenter.test", ADMIN_PASSWORD, None)
        .await;
    let found = app
        .call("GET", "/api/v1/operator/tenants?q=alma", &admin, None)
        .await
        .items();
    let id = found[0]["id"].as_str().unwrap();
    app.call(
        "GET",
        &format!("/api/v1/operator/tenants/{id}"),
        &admin,
        None,
    )
    .await
    .json()
}

/// The local date (Asia/Almaty) of an RFC 3339 instant in a JSON value.
fn local(v: &Value) -> String {
    let at: jiff::Timestamp = v.as_str().unwrap().parse().unwrap();
    educenter_domain::clock::local_date(at).to_string()
}

async fn record(app: &TestApp, billing: &str, number: &str, amount: i64, on: &str) {
    let res = app
        .call(
            "POST",
            "/api/v1/operator/payments",
            billing,
            Some(json!({
                "invoice_number": number, "amount_minor": amount, "currency": "KZT",
                "received_on": on, "reference": format!("bank-{number}-{on}"),
            })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
}

#[tokio::test]
async fn the_application_deadline_moves_off_a_day_off() {
    // Created Thu 2026-11-05: day 30 is Sat 2026-12-05, so applications are open through Mon
    // 2026-12-07 and the school lapses only at 2026-12-08 00:00.
    let app = TestApp::builder()
        .clock("2026-11-05T10:00:00+05:00")
        .start()
        .await;
    app.school(SLUG, "123456789013", OWNER, "+77011234567")
        .await;
    let l = licence(&app).await;
    assert_eq!(l["trial_ends_on"], "2026-11-19");
    assert_eq!(l["application_deadline"], "2026-12-07");
    app.set_clock("2026-12-07T23:00:00+05:00").await;
    assert_eq!(licence(&app).await["state"], "trial_expired");
    app.set_clock("2026-12-08T00:00:00+05:00").await;
    assert_eq!(licence(&app).await["state"], "lapsed");
    app.stop().await;
}

#[tokio::test]
async fn an_application_on_the_moved_deadline_is_accepted() {
    // Created Mon 2026-11-16: day 30 is Independence Day (Wed 2026-12-16); the deadline is Thu
    // 2026-12-17, and an application that day keeps the school from lapsing.
    let app = TestApp::builder()
        .clock("2026-11-16T10:00:00+05:00")
        .start()
        .await;
    app.school(SLUG, "123456789013", OWNER, "+77011234567")
        .await;
    assert_eq!(licence(&app).await["application_deadline"], "2026-12-17");
    let op = operator(&app).await;
    create_plans(&app, &op, "2026-01-01").await;
    app.set_clock("2026-12-17T15:00:00+05:00").await;
    let invoice = apply(&app, &owner(&app).await, "start", 1, "KZT").await;
    assert_eq!(invoice["due_on"], "2026-12-22");
    app.set_clock("2026-12-18T00:30:00+05:00").await;
    assert_eq!(
        licence(&app).await["state"],
        "trial_expired",
        "an invoice is open"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_new_contract_and_an_acceptance_by_payment_are_dated_by_the_receipt() {
    // Paid 2026-11-05 for one month: the period runs 2026-11-06..2026-12-05 (L). Nothing more
    // is paid, so the contract lapses at L + 7 = 2026-12-12 00:00.
    let app = TestApp::builder()
        .clock("2026-11-05T10:00:00+05:00")
        .start()
        .await;
    app.school(SLUG, "123456789013", OWNER, "+77011234567")
        .await;
    let op = operator(&app).await;
    create_plans(&app, &op, "2026-01-01").await;
    app.set_clock("2026-11-16T10:00:00+05:00").await;
    let first = apply(&app, &owner(&app).await, "start", 1, "KZT").await;
    record(
        &app,
        &op.billing().await,
        first["number"].as_str().unwrap(),
        3_000_000,
        "2026-11-16",
    )
    .await;
    assert_eq!(licence(&app).await["paid_through"], "2026-12-05");
    app.set_clock("2026-12-12T00:30:00+05:00").await;
    assert_eq!(licence(&app).await["state"], "lapsed");

    // A tenant with no acceptance (as one the operator would create without the checkbox):
    // its first full payment accepts the offer (R-2.2c).
    let tenant = detail(&app).await["tenant"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    sqlx::query("DELETE FROM acceptances WHERE tenant_id = $1")
        .bind(&tenant)
        .execute(app.store().pool())
        .await
        .unwrap();

    // At L + 7 the unpaid renewal was replaced by a new contract's invoice. Its money
    // reaches the bank on Mon 2026-12-14 and is keyed in on Thu 2026-12-17.
    let invoices = app
        .call("GET", "/api/v1/invoices", &owner(&app).await, None)
        .await
        .items();
    let second = invoices
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["status"] == "issued")
        .expect("the new contract's invoice")
        .clone();
    app.set_clock("2026-12-17T16:45:00+05:00").await;
    record(
        &app,
        &op.billing().await,
        second["number"].as_str().unwrap(),
        3_000_000,
        "2026-12-14",
    )
    .await;
    let l = licence(&app).await;
    assert_eq!(l["state"], "active");
    assert_eq!(l["contract"]["number"], 2);
    assert_eq!(l["contract"]["started_on"], "2026-12-14", "{l}");
    assert_eq!(l["periods"][0]["from"], "2026-12-15");
    let d = detail(&app).await;
    let contract = &d["contracts"][1];
    assert_eq!(local(&contract["started_at"]), "2026-12-14", "{d}");
    let acceptance = &d["acceptances"][0];
    assert_eq!(acceptance["method"], "payment");
    assert_eq!(local(&acceptance["accepted_at"]), "2026-12-14", "{d}");
    // The owner's own sign-in still works the same (the password did not change).
    app.token_for(OWNER, OWNER_PASSWORD, Some(SLUG)).await;
    app.stop().await;
}
